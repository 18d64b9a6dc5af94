// Snapshots' scripted client: sign up, log in (koa-session cookie), make an album, upload two
// photos (multipart), fetch one back through koa-static, like, download the album archive.
import type { Scenario } from '../harness';

const user = { username: 'margaret', password: 'apollo-11' };
const png = 'pretend-png-bytes:0123456789abcdef\n';
const gif = 'GIF89a pretend gif bytes\n';

function photoForm(albumId: string, name: string, type: string, bytes: string, caption?: string): FormData {
  const form = new FormData();
  form.append('albumId', albumId);
  if (caption) form.append('caption', caption);
  form.append('photo', new Blob([bytes], { type }), name);
  return form;
}

const scenario: Scenario = {
  app: 'koa-app',
  steps: [
    { name: 'home', method: 'GET', path: '/', status: 200 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: user, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: user, status: 409 },
    { name: 'albums before login', method: 'GET', path: '/api/albums', status: 401 },
    { name: 'login', method: 'POST', path: '/api/login', json: user, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    { name: 'create an album', method: 'POST', path: '/api/albums', json: { title: 'Launch day' }, save: { albumId: 'id' }, status: 201 },
    { name: 'upload a png', method: 'POST', path: '/api/photos', form: (v) => photoForm(v.albumId, 'pad-39a.png', 'image/png', png, 'Pad 39A'), save: { photoId: 'id', photoUrl: 'url' }, status: 201 },
    { name: 'upload a gif', method: 'POST', path: '/api/photos', form: (v) => photoForm(v.albumId, 'countdown.gif', 'image/gif', gif), status: 201 },
    { name: 'upload a text file', method: 'POST', path: '/api/photos', form: (v) => photoForm(v.albumId, 'notes.txt', 'text/plain', 'hello'), status: 415 },
    { name: 'fetch the png', method: 'GET', path: (v) => v.photoUrl, status: 200 },
    { name: 'like the png', method: 'POST', path: (v) => `/api/photos/${v.photoId}/like`, status: 200 },
    { name: 'like the png twice', method: 'POST', path: (v) => `/api/photos/${v.photoId}/like`, status: 200 },
    { name: 'show the album', method: 'GET', path: (v) => `/api/albums/${v.albumId}`, afterReplicaCatchesUp: true, status: 200 },
    { name: 'download the album archive', method: 'GET', path: (v) => `/api/albums/${v.albumId}/archive`, summarise: true, status: 200 },
    { name: 'list the albums', method: 'GET', path: '/api/albums', status: 200 },
    { name: 'delete the gif', method: 'DELETE', path: (v) => `/api/photos/${Number(v.photoId) + 1}`, status: 204 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  // formidable names the stored file with a random id
  normalise: [{ pattern: /\/uploads\/[0-9a-z]{16,}\.(\w+)/g, as: '/uploads/<random>.$1' }],
  differencesAfterFix: [
    'POST /api/albums lists the album it just created (its read goes to the primary); before, the standby had not replayed it and the list was empty',
    'photo URLs may point at object storage (or a route that streams from it) instead of /uploads/<file> served from the local folder',
  ],
};

export default scenario;
