// Journal's scripted client (its own React front end, here replaced by fetch): sign up, sign in
// (an HttpOnly cookie), upload a cover image, write a post with it, read it, export everything.
import type { Scenario } from '../harness';
import { bodyIs, valueAt } from '../checks';

const author = { handle: 'octavia', password: 'parable-of-the-sower' };
const cover = 'fake gif bytes for a cover\n';

const scenario: Scenario = {
  app: 'next-api',
  build: true,
  readyPath: '/api/health',
  steps: [
    { name: 'health', method: 'GET', path: '/api/health', status: 200 },
    { name: 'sign up', method: 'POST', path: '/api/auth/signup', json: author, status: 201 },
    { name: 'sign up with a short password', method: 'POST', path: '/api/auth/signup', json: { handle: 'x', password: 'short' }, status: 400 },
    { name: 'sign in with a wrong password', method: 'POST', path: '/api/auth/login', json: { handle: author.handle, password: 'kindred-kindred' }, status: 401 },
    { name: 'sign in', method: 'POST', path: '/api/auth/login', json: author, status: 200 },
    { name: 'me', method: 'GET', path: '/api/auth/me', status: 200 },
    {
      name: 'upload a cover',
      method: 'POST',
      path: '/api/media',
      form: () => {
        const form = new FormData();
        form.append('file', new Blob([cover], { type: 'image/gif' }), 'earthseed.gif');
        return form;
      },
      save: { coverUrl: 'url' },
      status: 201,
    },
    { name: 'fetch the cover', method: 'GET', path: (v) => v.coverUrl, status: 200 },
    { name: 'write a post', method: 'POST', path: '/api/posts', json: (v) => ({ title: 'God is change', body: 'All that you touch you change.', cover: v.coverUrl }), save: { postId: 'id' }, status: 201 },
    { name: 'read the post', method: 'GET', path: (v) => `/api/posts/${v.postId}`, afterReplicaCatchesUp: true, status: 200 },
    { name: 'read the post again', method: 'GET', path: (v) => `/api/posts/${v.postId}`, status: 200 },
    { name: 'list the posts', method: 'GET', path: '/api/posts', status: 200 },
    { name: 'export (gzip)', method: 'GET', path: '/api/export', status: 200 },
    { name: 'export without a session', method: 'GET', path: '/api/export', client: 'mobile', status: 401 },
    { name: 'sign out', method: 'POST', path: '/api/auth/logout', status: 200 },
    { name: 'me after sign out', method: 'GET', path: '/api/auth/me', status: 401 },
  ],
  normalise: [{ pattern: /\/api\/media\/\d+-/g, as: '/api/media/<ms>-' }],
  differencesAfterFix: [
    'POST /api/posts answers with the post it wrote (its read goes to the primary); before, the standby had not replayed the insert and the reply had only the id',
    'cover URLs may point at object storage (or a route that streams from it) instead of a file in the local upload folder',
  ],
  stepsAFixMayChange: ['upload a cover', 'write a post', 'read the post', 'read the post again', 'export (gzip)'],
  scaleOutSetup: [
    { step: 'sign up', via: 0 },
    { step: 'sign in', via: 0, afterReplicaCatchesUp: true },
  ],
  scaleOutLogin: ['sign in'],
  scaleOut: [
    { name: 'an author signed in through one instance is signed in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a cover uploaded through one instance is served by every instance',
      kind: 'file',
      steps: [
        { step: 'upload a cover', via: 0 },
        { step: 'fetch the cover', via: 'every', expect: bodyIs(cover) },
      ],
    },
    // Before the counter check: the post that check counts views of is the last one written.
    { name: 'a new post is in the reply that wrote it', kind: 'read-after-write', steps: [{ step: 'write a post', via: 0, expect: valueAt('post.title', () => 'God is change') }] },
    {
      name: 'nine reads through three instances make the tenth read count 10 views',
      kind: 'counter',
      steps: [
        { step: 'write a post', via: 0 },
        { step: 'read the post again', via: 'every', times: 3, afterReplicaCatchesUp: true },
        { step: 'read the post again', via: 0, expect: valueAt('views', () => 10) },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it signed in through is killed, the author is still signed in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the cover is still served', kind: 'killed', steps: [{ step: 'fetch the cover', via: 'every', expect: bodyIs(cover) }] },
    { name: 'after an instance that counted views is killed, its views still count', kind: 'killed', steps: [{ step: 'read the post again', via: 1, expect: valueAt('views', () => 11) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'lib/session.js:4', code: 'globalThis.__sessions ?? (globalThis.__sessions = new Map())', note: 'sessions in a globalThis Map, set at login (line 8)' },
    { kind: 'counter', at: 'lib/rate-limit.js:4', code: 'new LRUCache(', note: 'the lru-cache rate limiter, per process' },
    { kind: 'counter', at: 'lib/views.js:4', code: 'views[postId] = (views[postId] || 0) + 1;', note: 'views per post' },
    { kind: 'disk', at: 'pages/api/media/index.js:16', code: 'uploadDir: UPLOAD_DIR,', note: 'formidable writes the upload to the local folder' },
    { kind: 'disk', at: 'pages/api/media/[name].js:11', code: 'fs.createReadStream(file).pipe(res);', note: 'another route streams it back' },
    { kind: 'blocking', at: 'pages/api/auth/signup.js:11', code: 'bcrypt.hashSync(', note: 'bcryptjs hashSync on signup' },
    { kind: 'blocking', at: 'pages/api/auth/login.js:15', code: 'bcrypt.compareSync(', note: 'bcryptjs compareSync on login' },
    { kind: 'blocking', at: 'pages/api/export.js:10', code: 'zlib.gzipSync(json)', note: 'gzip of the export on the request' },
    { kind: 'blocking', at: 'pages/api/media/[name].js:9', code: 'fs.existsSync(file)', note: 'sync fs on the request' },
    { kind: 'replica', at: 'pages/api/posts/index.js:13', code: 'await readDb.query(', note: 'the new post read back from the replica right after the insert' },
    { kind: 'look-alike', at: 'pages/api/media/[name].js:5', code: 'const TYPES = {', note: 'constant MIME table' },
    { kind: 'look-alike', at: 'lib/db.js:15', code: 'export function ensureSchema() {', note: 'a once-only schema promise cached in the module' },
    { kind: 'look-alike', at: 'pages/api/posts/index.js:23', code: 'await readDb.query(', note: 'a replica read with no write before it' },
  ],
};

export default scenario;
