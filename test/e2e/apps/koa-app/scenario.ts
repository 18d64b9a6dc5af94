// Snapshots' scripted client: sign up, log in (koa-session cookie), make an album, upload two
// photos (multipart), fetch one back through koa-static, like, download the album archive.
import type { Scenario } from '../harness';
import { bodyIs, listsSaved, valueAt } from '../checks';

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
  stepsAFixMayChange: ['create an album', 'upload a png', 'upload a gif', 'show the album'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0, afterReplicaCatchesUp: true },
  ],
  // A photographer of their own on each instance: likes are one per user.
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Record<string, string>) => ({ ...user, username: `${user.username}-${v.instance}` }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Record<string, string>) => ({ ...user, username: `${user.username}-${v.instance}` }), afterReplicaCatchesUp: true, status: 200 },
  ],
  scaleOut: [
    { name: 'a user logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    // Before the file check: the album that check uploads to, and the counter check likes in, is the last one created.
    { name: 'a new album is in the list its creation answers with', kind: 'read-after-write', steps: [{ step: 'create an album', via: 0, expect: listsSaved('albums', 'id', 'albumId') }] },
    {
      name: 'a photo uploaded through one instance is served by every instance',
      kind: 'file',
      steps: [
        { step: 'create an album', via: 0 },
        { step: 'upload a png', via: 0 },
        { step: 'fetch the png', via: 'every', expect: bodyIs(png) },
      ],
    },
    {
      name: 'three users liking through three instances make 3 likes',
      kind: 'counter',
      steps: [
        { step: 'like the png', via: 'every' },
        { step: 'show the album', via: 0, afterReplicaCatchesUp: true, expect: valueAt('photos.0.likes', () => 3) },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it logged in through is killed, the user is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the photo is still served', kind: 'killed', steps: [{ step: 'fetch the png', via: 'every', expect: bodyIs(png) }] },
    { name: 'after an instance that counted a like is killed, its like still counts', kind: 'killed', steps: [{ step: 'show the album', via: 1, jar: 0, afterReplicaCatchesUp: true, expect: valueAt('photos.0.likes', () => 3) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/lib/sessionStore.js:2', code: 'const sessions = new Map();', note: 'koa-session external store kept in a Map' },
    { kind: 'session', at: 'src/app.js:32', code: 'store: sessionStore', note: 'koa-session given the in-memory store' },
    { kind: 'counter', at: 'src/app.js:23', code: 'ratelimit({', note: "koa-ratelimit with driver 'memory'" },
    { kind: 'counter', at: 'src/lib/likes.js:8', code: 'likes[photoId] = (likes[photoId] || 0) + 1;', note: 'likes per photo' },
    { kind: 'session', at: 'src/lib/likes.js:7', code: 'likedBy[key] = true;', note: 'who liked what, per user, in memory' },
    { kind: 'disk', at: 'src/routes/photos.js:16', code: 'uploadDir: config.uploadDir,', note: 'koa-body (formidable) writes uploads to the local folder' },
    { kind: 'disk', at: 'src/app.js:33', code: "mount('/uploads', serve(config.uploadDir", note: 'koa-static serves them back from the local folder' },
    { kind: 'disk', at: 'src/routes/photos.js:50', code: 'await fs.unlink(', note: 'delete removes the local file' },
    { kind: 'blocking', at: 'src/routes/users.js:11', code: 'bcrypt.hashSync(', note: 'bcryptjs hashSync on signup' },
    { kind: 'blocking', at: 'src/routes/users.js:22', code: 'bcrypt.compareSync(', note: 'bcryptjs compareSync on login' },
    { kind: 'blocking', at: 'src/lib/archive.js:9', code: 'fs.readFileSync(', note: 'every photo read synchronously for the archive' },
    { kind: 'blocking', at: 'src/lib/archive.js:12', code: 'zlib.gzipSync(', note: 'the archive gzipped on the request' },
    { kind: 'replica', at: 'src/routes/albums.js:21', code: 'await replica.query(', note: 'albums re-listed from the replica right after the insert' },
    { kind: 'look-alike', at: 'src/routes/photos.js:11', code: 'const ALLOWED = {', note: 'constant MIME table' },
    { kind: 'look-alike', at: 'src/app.js:15', code: 'fs.mkdirSync(config.uploadDir', note: 'sync mkdir at start-up' },
    { kind: 'look-alike', at: 'src/routes/albums.js:12', code: 'await replica.query(', note: 'a replica read with no write before it' },
  ],
};

export default scenario;
