// Pinboard's scripted client: sign up, log in (a session cookie), rename yourself, make a board, pin
// a note and a PDF (multipart), download the note, vote for it twice, show the board, export it
// (gzipped JSON with the files inline), delete the PDF, log out.
import type { Scenario } from '../harness';
import { bodyIs, listsSaved, valueAt } from '../checks';

const user = { email: 'grace@example.test', password: 'cobol-1959', displayName: 'Grace' };
const note = 'Standup moved to 9:30 on Thursdays.\n';
const pdf = '%PDF-1.4 pretend minutes of the meeting\n%%EOF\n';

function fileForm(name: string, type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  return form;
}

const scenario: Scenario = {
  app: 'hono-service',
  build: true,
  steps: [
    { name: 'home', method: 'GET', path: '/', status: 200 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: user, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: user, status: 409 },
    { name: 'boards before login', method: 'GET', path: '/api/boards', status: 401 },
    { name: 'login with a wrong password', method: 'POST', path: '/api/login', json: { ...user, password: 'fortran-57' }, status: 401 },
    { name: 'login', method: 'POST', path: '/api/login', json: user, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    { name: 'rename me', method: 'PATCH', path: '/api/me', json: { displayName: 'Grace H.' }, status: 200 },
    { name: 'me after the rename', method: 'GET', path: '/api/me', status: 200 },
    { name: 'create a board', method: 'POST', path: '/api/boards', json: { title: 'Team notes' }, save: { boardId: 'id' }, status: 201 },
    { name: 'list the boards', method: 'GET', path: '/api/boards', afterReplicaCatchesUp: true, status: 200 },
    { name: 'pin a note', method: 'POST', path: (v) => `/api/boards/${v.boardId}/files`, form: () => fileForm('standup.txt', 'text/plain', note), save: { fileId: 'id', fileUrl: 'url' }, status: 201 },
    { name: 'pin a pdf', method: 'POST', path: (v) => `/api/boards/${v.boardId}/files`, form: () => fileForm('minutes.pdf', 'application/pdf', pdf), status: 201 },
    { name: 'pin a program', method: 'POST', path: (v) => `/api/boards/${v.boardId}/files`, form: () => fileForm('setup.exe', 'application/x-msdownload', 'MZ'), status: 415 },
    { name: 'download the note', method: 'GET', path: (v) => v.fileUrl, status: 200 },
    { name: 'vote for the note', method: 'POST', path: (v) => `/api/files/${v.fileId}/vote`, status: 200 },
    { name: 'vote for the note again', method: 'POST', path: (v) => `/api/files/${v.fileId}/vote`, status: 200 },
    { name: 'show the board', method: 'GET', path: (v) => `/api/boards/${v.boardId}`, afterReplicaCatchesUp: true, status: 200 },
    { name: 'export the board', method: 'GET', path: (v) => `/api/boards/${v.boardId}/export`, summarise: true, status: 200 },
    { name: 'delete the pdf', method: 'DELETE', path: (v) => `/api/files/${Number(v.fileId) + 1}`, status: 204 },
    { name: 'download the deleted pdf', method: 'GET', path: (v) => `/api/files/${Number(v.fileId) + 1}`, status: 404 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  normalise: [],
  differencesAfterFix: [
    'POST /api/boards lists the board it just created (its read goes to the primary); before, the standby had not replayed it and the list was empty',
  ],
  stepsAFixMayChange: ['create a board'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
  ],
  // Someone of their own on each instance.
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Record<string, string>) => ({ ...user, email: `grace-${v.instance}@example.test` }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Record<string, string>) => ({ ...user, email: `grace-${v.instance}@example.test` }), status: 200 },
  ],
  scaleOut: [
    { name: 'a user logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a new name given through one instance is the name every instance shows',
      kind: 'read-after-write',
      steps: [
        { step: 'me', via: 'every', jar: 'shared' },
        { step: 'rename me', via: 0, jar: 'shared' },
        { step: 'me after the rename', via: 'every', jar: 'shared', expect: valueAt('displayName', () => 'Grace H.') },
      ],
    },
    // Before the file check: the board that check pins to, and the counter check shows, is the last one created.
    { name: 'a new board is in the list its creation answers with', kind: 'read-after-write', steps: [{ step: 'create a board', via: 0, expect: listsSaved('boards', 'id', 'boardId') }] },
    {
      name: 'a note pinned through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'create a board', via: 0 },
        { step: 'pin a note', via: 0 },
        { step: 'download the note', via: 'every', expect: bodyIs(note) },
      ],
    },
    {
      name: 'three votes through three instances make 3 votes',
      kind: 'counter',
      steps: [
        { step: 'vote for the note', via: 'every' },
        { step: 'show the board', via: 0, afterReplicaCatchesUp: true, expect: valueAt('files.0.votes', () => 3) },
      ],
    },
    {
      // 4 logins so far (the shared one, one per instance), 6 wrong passwords: the 11th attempt in the minute is one too many.
      name: 'login attempts through three instances are limited together',
      kind: 'counter',
      steps: [
        { step: 'login with a wrong password', via: 'every', times: 2 },
        { step: { name: 'login once too often', method: 'POST', path: '/api/login', json: { ...user, password: 'fortran-57' }, status: 429 }, via: 1 },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it logged in through is killed, the user is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was pinned through is killed, the note still downloads', kind: 'killed', steps: [{ step: 'download the note', via: 'every', expect: bodyIs(note) }] },
    // Votes are everyone's: instance 1's own client reads them, so the sessions hide nothing here.
    { name: 'after an instance that counted a vote is killed, its vote still counts', kind: 'killed', steps: [{ step: 'show the board', via: 1, afterReplicaCatchesUp: true, expect: valueAt('files.0.votes', () => 3) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/lib/sessions.ts:15', code: 'const sessions = new Map<string, Session>();', note: 'session ids (the cookie) → user, in a module Map' },
    { kind: 'session', at: 'src/lib/sessions.ts:21', code: 'sessions.set(sid,', note: 'login writes the session there' },
    { kind: 'session', at: 'src/lib/sessions.ts:17', code: 'const userCache = new Map<number, User>();', note: 'user rows cached per instance, refreshed only where the rename happened' },
    { kind: 'counter', at: 'src/lib/rateLimit.ts:10', code: 'const windows = new Map<string, Window>();', note: 'login attempts per client address, in the closure of the middleware factory' },
    { kind: 'counter', at: 'src/lib/votes.ts:5', code: 'votes[fileId] = (votes[fileId] ?? 0) + 1;', note: 'votes per file in a module object' },
    { kind: 'counter', at: 'src/lib/rateLimit.ts:19', code: 'window.count++;', note: 'hand-written fixed-window login limiter in a Map' },
    { kind: 'counter', at: 'src/routes/files.ts:21', code: 'const quotaLock = new Mutex();', note: 'async-mutex guarding the quota check: one instance only' },
    { kind: 'scheduler', at: 'src/jobs.ts:6', code: "cron.schedule('*/10 * * * *'", note: 'node-cron sweep of the in-memory sessions, on every instance' },
    { kind: 'disk', at: 'src/routes/files.ts:42', code: 'await writeFile(path.join(config.uploadDir, storedName), bytes);', note: 'the upload written to the local folder' },
    { kind: 'disk', at: 'src/routes/files.ts:54', code: 'await readFile(path.join(config.uploadDir, file.storedName));', note: 'another route reads it back' },
    { kind: 'disk', at: 'src/routes/files.ts:68', code: 'await unlink(', note: 'delete removes the local file' },
    { kind: 'disk', at: 'src/routes/boards.ts:70', code: 'readFileSync(path.join(config.uploadDir, file.storedName))', note: 'the export reads every file from the local folder' },
    { kind: 'blocking', at: 'src/lib/passwords.ts:5', code: 'scryptSync(', note: 'scryptSync on signup' },
    { kind: 'blocking', at: 'src/lib/passwords.ts:12', code: 'scryptSync(', note: 'scryptSync on login' },
    { kind: 'blocking', at: 'src/routes/boards.ts:73', code: 'gzipSync(', note: 'the export gzipped while the request waits' },
    { kind: 'replica', at: 'src/routes/boards.ts:43', code: 'await replica<Board[]>`', note: "postgres.js: the boards re-listed from the standby right after the insert" },
    { kind: 'look-alike', at: 'src/routes/boards.ts:31', code: 'await replica<Board[]>`', note: 'a standby read with no write before it' },
    { kind: 'look-alike', at: 'src/routes/files.ts:12', code: 'const EXTENSIONS: Record<string, string> = {', note: 'constant MIME table' },
    { kind: 'look-alike', at: 'src/config.ts:12', code: 'readFileSync(new URL(', note: 'limits read once at start-up' },
    { kind: 'look-alike', at: 'src/config.ts:32', code: 'settingsCache = {', note: 'settings memoised once from the environment' },
    { kind: 'look-alike', at: 'src/index.ts:8', code: 'mkdirSync(config.uploadDir', note: 'sync mkdir at start-up' },
  ],
};

export default scenario;
