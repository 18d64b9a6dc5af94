const likes = {};
const likedBy = {};

export function like(photoId, userId) {
  const key = `${photoId}:${userId}`;
  if (likedBy[key]) return likes[photoId] || 0;
  likedBy[key] = true;
  likes[photoId] = (likes[photoId] || 0) + 1;
  return likes[photoId];
}

export function likesOf(photoId) {
  return likes[photoId] || 0;
}
