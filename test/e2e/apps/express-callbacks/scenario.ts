// Bookclub's scripted client: a member signs up, logs in, adds a book with a cover, views it,
// reviews it, exports the catalogue, and the mobile client reads the stats with its token.
import type { Scenario } from '../harness';
import { bodyIs, lengthAt, valueAt } from '../checks';

const member = { email: 'ada@bookclub.test', name: 'Ada', password: 'correct horse' };
const coverBytes = 'not really a png, but the bytes must come back unchanged\n';

const scenario: Scenario = {
  app: 'express-callbacks',
  steps: [
    { name: 'signup', method: 'POST', path: '/auth/signup', json: member, status: 201 },
    { name: 'login with a wrong password', method: 'POST', path: '/auth/login', json: { email: member.email, password: 'nope' }, status: 401 },
    { name: 'login', method: 'POST', path: '/auth/login', json: member, save: { token: 'token' }, status: 200 },
    { name: 'me (session cookie)', method: 'GET', path: '/auth/me', status: 200 },
    { name: 'add a book', method: 'POST', path: '/books', json: { title: 'The Dispossessed', author: 'Ursula K. Le Guin', genre: 'scifi' }, save: { bookId: 'id' }, status: 201 },
    {
      name: 'upload the cover',
      method: 'POST',
      path: (v) => `/books/${v.bookId}/cover`,
      form: () => {
        const form = new FormData();
        form.append('cover', new Blob([coverBytes], { type: 'image/png' }), 'dispossessed.png');
        return form;
      },
      status: 201,
    },
    { name: 'download the cover', method: 'GET', path: (v) => `/books/${v.bookId}/cover`, status: 200 },
    { name: 'view the book (1)', method: 'GET', path: (v) => `/books/${v.bookId}`, status: 200 },
    { name: 'view the book (2)', method: 'GET', path: (v) => `/books/${v.bookId}`, status: 200 },
    { name: 'view the book (3)', method: 'GET', path: (v) => `/books/${v.bookId}`, status: 200 },
    { name: 'review the book', method: 'POST', path: (v) => `/books/${v.bookId}/reviews`, json: { rating: 5, text: 'An ambiguous utopia.' }, status: 201 },
    { name: 'list the reviews', method: 'GET', path: (v) => `/books/${v.bookId}/reviews`, afterReplicaCatchesUp: true, status: 200 },
    { name: 'list the books', method: 'GET', path: '/books', status: 200 },
    { name: 'export the catalogue', method: 'POST', path: '/exports', save: { exportUrl: 'url' }, status: 201 },
    { name: 'download the export', method: 'GET', path: (v) => v.exportUrl, status: 200 },
    { name: 'genres', method: 'GET', path: '/api/genres', status: 200 },
    { name: 'stats (mobile, bearer token)', method: 'GET', path: '/api/stats', client: 'mobile', headers: (v) => ({ authorization: `Bearer ${v.token}` }), status: 200 },
    { name: 'stats (mobile, no token)', method: 'GET', path: '/api/stats', client: 'mobile', status: 401 },
    { name: 'logout', method: 'POST', path: '/auth/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/auth/me', status: 401 },
  ],
  normalise: [
    { key: 'token', as: '<token>' },
    { pattern: /books-(\d+)-\d+\.csv/g, as: 'books-$1-<ms>.csv' },
  ],
  differencesAfterFix: [
    'POST /books/:id/reviews lists the review it just wrote (the read after the write goes to the primary); before, the standby had not replayed it yet',
    'POST /exports may answer 202 and the export file appear later when the CSV/gzip work and the e-mail move to a queue',
    'POST /auth/signup may answer before the welcome e-mail is sent (welcomeSent reports the enqueue) when mailing moves to a queue',
  ],
  stepsAFixMayChange: ['signup', 'review the book', 'export the catalogue', 'download the export'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
    { step: 'add a book', via: 0 },
  ],
  scaleOutLogin: ['login'],
  scaleOut: [
    { name: 'a member logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me (session cookie)', via: 'every', jar: 'shared' }] },
    { name: 'the mobile token issued by one instance is accepted by every instance', kind: 'session', steps: [{ step: 'stats (mobile, bearer token)', via: 'every', jar: 'shared' }] },
    {
      name: 'a cover uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'upload the cover', via: 0 },
        { step: 'download the cover', via: 'every', expect: bodyIs(coverBytes) },
      ],
    },
    {
      name: 'an export made through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'export the catalogue', via: 0 },
        { step: 'download the export', via: 'every' },
      ],
    },
    {
      name: 'nine views through three instances make the tenth view count 10',
      kind: 'counter',
      steps: [
        { step: 'view the book (1)', via: 'every', times: 3 },
        { step: 'view the book (1)', via: 0, expect: valueAt('views', () => 10) },
      ],
    },
    { name: 'a review is listed in the reply that wrote it', kind: 'read-after-write', steps: [{ step: 'review the book', via: 0, expect: lengthAt('reviews', 1) }] },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it logged in through is killed, the member is still logged in', kind: 'killed', steps: [{ step: 'me (session cookie)', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the cover still downloads', kind: 'killed', steps: [{ step: 'download the cover', via: 'every', expect: bodyIs(coverBytes) }] },
    { name: 'after an instance that counted views is killed, its views still count', kind: 'killed', steps: [{ step: 'view the book (1)', via: 1, expect: valueAt('views', () => 11) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'app.js:20', code: 'app.use(session({', note: 'express-session with its default MemoryStore' },
    { kind: 'session', at: 'lib/auth.js:4', code: 'var tokens = {};', note: 'API tokens of the mobile client, written at login (line 8)' },
    { kind: 'counter', at: 'lib/stats.js:5', code: 'views[bookId] = (views[bookId] || 0) + 1;', note: 'page views per book' },
    { kind: 'counter', at: 'lib/auth.js:31', code: 'var attempts = {};', note: 'hand-rolled login rate limit per ip' },
    { kind: 'disk', at: 'routes/books.js:13', code: 'multer({ dest:', note: 'multer dest: covers land in the local tmp folder' },
    { kind: 'disk', at: 'routes/books.js:64', code: 'fs.rename(req.file.path, target', note: 'cover moved into the local covers folder' },
    { kind: 'disk', at: 'routes/books.js:79', code: 'res.sendFile(', note: 'another route reads the cover back from the local disk' },
    { kind: 'disk', at: 'routes/exports.js:32', code: 'fs.writeFile(path.join(config.exportDir, name), csv', note: 'export written locally, the continuation answers' },
    { kind: 'disk', at: 'routes/exports.js:52', code: 'stream.pipeline(fs.createReadStream(file), res', note: 'another route streams the export back' },
    { kind: 'blocking', at: 'routes/auth.js:16', code: 'bcrypt.hashSync(', note: 'bcryptjs hashSync on signup' },
    { kind: 'blocking', at: 'routes/auth.js:42', code: 'bcrypt.compareSync(', note: 'bcryptjs compareSync on login' },
    { kind: 'blocking', at: 'lib/mailer.js:17', code: 'transporter.sendMail({', note: 'welcome e-mail sent while the signup waits (mailer.sendWelcome, routes/auth.js:26, answers in its callback)' },
    { kind: 'blocking', at: 'routes/exports.js:34', code: 'zlib.gzipSync(csv)', note: 'gzip of the export on the request' },
    { kind: 'blocking', at: 'lib/mailer.js:26', code: 'transporter.sendMail({', note: 'e-mail sent before the export answers (mailer.sendExportReady, routes/exports.js:37)' },
    { kind: 'replica', at: 'routes/books.js:94', code: 'db.read(', note: 'reviews re-read from the replica right after the insert on the primary' },
    { kind: 'look-alike', at: 'config/index.js:5', code: 'fs.readFileSync(', note: 'settings read once at start-up' },
    { kind: 'look-alike', at: 'config/genres.js:2', code: 'module.exports = {', note: 'constant genre table' },
    { kind: 'look-alike', at: 'routes/auth.js:44', code: 'setTimeout(function () {', note: 'a delay inside the request (slows password guessing)' },
    { kind: 'look-alike', at: 'routes/books.js:28', code: 'db.read(', note: 'a replica read with no write before it' },
  ],
};

export default scenario;
