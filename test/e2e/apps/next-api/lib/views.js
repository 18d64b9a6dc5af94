const views = globalThis.__views ?? (globalThis.__views = {});

export function countView(postId) {
  views[postId] = (views[postId] || 0) + 1;
  return views[postId];
}
