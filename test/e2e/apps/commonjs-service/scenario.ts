// Docstore's scripted client: an editor logs in with the seeded account, PUTs two documents as raw
// bodies, downloads and previews them, comments, and reads the service's own stats.
import type { Scenario } from '../harness';
import { bodyIs, lengthAt, valueAt } from '../checks';

const notes = '# Meeting notes\n\n- ship the importer\n- rotate the keys\n- lunch\n';
const budget = 'item,eur\nservers,1200\nlicences,300\n';
const editor = { username: 'editor', password: 'editor' };

const scenario: Scenario = {
  app: 'commonjs-service',
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'documents before login', method: 'GET', path: '/documents', status: 401 },
    { name: 'login with a wrong password', method: 'POST', path: '/login', json: { username: 'editor', password: 'admin' }, status: 401 },
    { name: 'login', method: 'POST', path: '/login', json: editor, status: 200 },
    { name: 'whoami', method: 'GET', path: '/whoami', status: 200 },
    { name: 'upload notes.md', method: 'PUT', path: '/documents/notes.md', text: notes, headers: { 'content-type': 'text/markdown' }, status: 201 },
    { name: 'upload budget.csv', method: 'PUT', path: '/documents/budget.csv', text: budget, headers: { 'content-type': 'text/csv' }, status: 201 },
    { name: 'upload with a bad name', method: 'PUT', path: '/documents/..%2Fescape', text: 'x', headers: { 'content-type': 'text/plain' }, status: 400 },
    { name: 'download notes.md', method: 'GET', path: '/documents/notes.md', status: 200 },
    { name: 'download notes.md again', method: 'GET', path: '/documents/notes.md', status: 200 },
    { name: 'preview notes.md', method: 'GET', path: '/documents/notes.md/preview', status: 200 },
    { name: 'download a missing document', method: 'GET', path: '/documents/missing.txt', status: 404 },
    { name: 'comment on notes.md', method: 'POST', path: '/documents/notes.md/comments', json: { text: 'Who books lunch?' }, status: 201 },
    { name: 'comments on notes.md', method: 'GET', path: '/documents/notes.md/comments', afterReplicaCatchesUp: true, status: 200 },
    { name: 'list the documents', method: 'GET', path: '/documents', status: 200 },
    { name: 'stats', method: 'GET', path: '/stats', status: 200 },
    { name: 'logout', method: 'POST', path: '/logout', status: 200 },
    { name: 'whoami after logout', method: 'GET', path: '/whoami', status: 401 },
  ],
  normalise: [{ key: 'since', as: '<time>' }],
  differencesAfterFix: [
    'POST /documents/:name/comments lists the comment it just wrote (the read goes to the primary); before, the standby had not replayed it and the list was empty',
    'the preview of a stored document may be computed off the request (a queue) and appear a moment later',
  ],
  stepsAFixMayChange: ['comment on notes.md', 'preview notes.md'],
  scaleOutSetup: [{ step: 'login', via: 0 }],
  scaleOutLogin: ['login'],
  scaleOut: [
    { name: 'an editor logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'whoami', via: 'every', jar: 'shared' }] },
    {
      name: 'a document uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'upload notes.md', via: 0 },
        { step: 'download notes.md', via: 'every', expect: bodyIs(notes) },
      ],
    },
    {
      name: 'uploads through three instances add up in the stats',
      kind: 'counter',
      steps: [
        { step: { name: 'stats (before)', method: 'GET', path: '/stats', save: { uploadsBefore: 'uploads' }, status: 200 }, via: 0 },
        { step: 'upload budget.csv', via: 'every' },
        { step: 'stats', via: 0, expect: valueAt('uploads', (v) => Number(v.uploadsBefore) + 3) },
      ],
    },
    { name: 'a comment is listed in the reply that wrote it', kind: 'read-after-write', steps: [{ step: 'comment on notes.md', via: 0, expect: lengthAt('comments', 1) }] },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it logged in through is killed, the editor is still logged in', kind: 'killed', steps: [{ step: 'whoami', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the document still downloads', kind: 'killed', steps: [{ step: 'download notes.md', via: 'every', expect: bodyIs(notes) }] },
    { name: 'after an instance that counted an upload is killed, its upload still counts', kind: 'killed', steps: [{ step: 'stats', via: 1, expect: valueAt('uploads', (v) => Number(v.uploadsBefore) + 3) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'lib/store.js:5', code: 'sessions: {},', note: 'a module.exports store shared between modules; written at login (lib/sessions.js:18)' },
    { kind: 'scheduler', at: 'lib/sessions.js:36', code: 'const timer = setInterval(() => {', note: 'idle sessions swept every minute, in each process' },
    { kind: 'counter', at: 'services/DocumentService.js:72', code: 'this.downloads[name] = (this.downloads[name] || 0) + 1;', note: 'downloads per document in the singleton' },
    { kind: 'counter', at: 'server.js:16', code: 'store.stats.requests++;', note: 'request counter in the shared store' },
    { kind: 'counter', at: 'services/DocumentService.js:54', code: 'store.stats.uploads++;', note: 'upload counter in the shared store' },
    { kind: 'disk', at: 'services/DocumentService.js:49', code: 'pipeline(req, fs.createWriteStream(tmp)', note: 'the raw request body streamed to the local disk' },
    { kind: 'disk', at: 'services/DocumentService.js:52', code: 'fs.rename(tmp, target', note: 'moved into the local documents folder' },
    { kind: 'disk', at: 'services/DocumentService.js:73', code: 'fs.createReadStream(file)', note: 'another route streams it back' },
    { kind: 'blocking', at: 'services/DocumentService.js:15', code: 'fs.readFileSync(file)', note: 'buildPreview reads the whole file synchronously' },
    { kind: 'blocking', at: 'services/DocumentService.js:17', code: 'zlib.gzipSync(', note: 'buildPreview gzips it synchronously' },
    { kind: 'blocking', at: 'services/DocumentService.js:35', code: 'this.afterStore = [buildPreview];', note: 'the slow function passed as a value, called on the upload (line 56)' },
    { kind: 'blocking', at: 'services/AccountService.js:7', code: 'crypto.pbkdf2Sync(', note: 'pbkdf2Sync on login (and on the start-up seed)' },
    { kind: 'counter', at: 'services/DocumentService.js:57', code: 'this.previews[name] = results[0];', note: 'a per-document preview cache filled on upload, stale on other instances' },
    { kind: 'replica', at: 'services/DocumentService.js:92', code: 'db.replica.query(', note: 'comments re-read from the replica right after the insert' },
    { kind: 'look-alike', at: 'lib/mime.js:3', code: 'const TYPES = {', note: 'constant MIME table' },
    { kind: 'look-alike', at: 'services/DocumentService.js:36', code: 'fs.mkdirSync(this.dir', note: 'sync mkdir when the singleton is built at start-up' },
    { kind: 'look-alike', at: 'services/DocumentService.js:86', code: 'db.replica.query(', note: 'a replica read with no write before it' },
  ],
};

export default scenario;
