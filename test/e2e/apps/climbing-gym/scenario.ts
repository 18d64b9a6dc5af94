// Crag's scripted client (the front-desk tablet and the setters' app, here replaced by fetch): join
// (a welcome mail), sign in (an HttpOnly cookie), set a route and see the wall, photograph it, read its
// card, check in twice, book the belay class, sign out.
import type { Scenario } from '../harness';
import { bodyIs, listsSaved, valueAt } from '../checks';

const climber = { email: 'lynn@crag.example', password: 'the-nose-1993', name: 'Lynn' };
const photo = 'pretend png bytes of the cave wall\n';

function photoForm(type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('photo', new Blob([bytes], { type }), type === 'image/png' ? 'cave.png' : 'cave.txt');
  return form;
}

const scenario: Scenario = {
  app: 'climbing-gym',
  build: true,
  readyPath: '/api/health',
  steps: [
    { name: 'health', method: 'GET', path: '/api/health', status: 200 },
    { name: 'join', method: 'POST', path: '/api/auth/signup', json: climber, status: 201 },
    { name: 'join again', method: 'POST', path: '/api/auth/signup', json: climber, status: 409 },
    { name: 'join with a short password', method: 'POST', path: '/api/auth/signup', json: { ...climber, email: 'x@crag.example', password: 'chalk' }, status: 400 },
    { name: 'me before signing in', method: 'GET', path: '/api/auth/me', status: 401 },
    { name: 'sign in with a wrong password', method: 'POST', path: '/api/auth/login', json: { ...climber, password: 'el-cap-1958' }, status: 401 },
    { name: 'sign in', method: 'POST', path: '/api/auth/login', json: climber, status: 200 },
    { name: 'me', method: 'GET', path: '/api/auth/me', status: 200 },
    { name: 'set a route', method: 'POST', path: '/api/routes', json: { name: 'Crimp Street', grade: 'V3', wall: 'cave' }, save: { routeId: 'id' }, status: 201 },
    { name: 'set a route of no grade', method: 'POST', path: '/api/routes', json: { name: 'Sandbag', grade: 'V99', wall: 'cave' }, status: 400 },
    { name: 'list the routes', method: 'GET', path: '/api/routes', afterReplicaCatchesUp: true, status: 200 },
    { name: 'photograph the route', method: 'POST', path: (v) => `/api/routes/${v.routeId}/photo`, form: () => photoForm('image/png', photo), save: { photoUrl: 'photo' }, status: 201 },
    { name: 'photograph it as text', method: 'POST', path: (v) => `/api/routes/${v.routeId}/photo`, form: () => photoForm('text/plain', 'not a photo'), status: 415 },
    { name: 'fetch the photo', method: 'GET', path: (v) => v.photoUrl, status: 200 },
    { name: 'read the route card', method: 'GET', path: (v) => `/api/routes/${v.routeId}`, status: 200 },
    { name: 'check in', method: 'POST', path: '/api/checkins', status: 200 },
    { name: 'check in again', method: 'POST', path: '/api/checkins', status: 200 },
    { name: 'the day so far', method: 'GET', path: '/api/checkins', status: 200 },
    { name: 'check in without a cookie', method: 'POST', path: '/api/checkins', client: 'mobile', status: 401 },
    { name: 'book the belay class', method: 'POST', path: '/api/classes/intro-belay/bookings', status: 201 },
    { name: 'book it again', method: 'POST', path: '/api/classes/intro-belay/bookings', status: 409 },
    { name: 'book a class that is not on', method: 'POST', path: '/api/classes/yoga/bookings', status: 404 },
    { name: 'sign out', method: 'POST', path: '/api/auth/logout', status: 200 },
    { name: 'me after signing out', method: 'GET', path: '/api/auth/me', status: 401 },
  ],
  normalise: [{ pattern: /-\d{13}\.png/g, as: '-<ms>.png' }],
  differencesAfterFix: [
    'POST /api/routes lists the wall with the route it just set (its read goes to the primary); before, the standby had not replayed the insert and the wall was empty',
    'photo URLs may point at object storage (or a route that streams from it) instead of a file in the local upload folder',
  ],
  stepsAFixMayChange: ['set a route', 'photograph the route', 'read the route card'],
  scaleOutSetup: [
    { step: 'join', via: 0 },
    { step: 'sign in', via: 0, afterReplicaCatchesUp: true },
  ],
  // A climber of their own on each instance.
  scaleOutLogin: [
    { name: 'join here', method: 'POST', path: '/api/auth/signup', json: (v: Record<string, string>) => ({ ...climber, email: `lynn-${v.instance}@crag.example` }), status: 201 },
    { name: 'sign in here', method: 'POST', path: '/api/auth/login', json: (v: Record<string, string>) => ({ ...climber, email: `lynn-${v.instance}@crag.example` }), status: 200 },
  ],
  scaleOut: [
    { name: 'a climber signed in through one instance is signed in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'a route just set is on the wall its setting answers with', kind: 'read-after-write', steps: [{ step: 'set a route', via: 0, expect: listsSaved('wall', 'id', 'routeId') }] },
    {
      name: 'a photo taken through one instance is served by every instance',
      kind: 'file',
      steps: [
        { step: 'set a route', via: 0 },
        { step: 'photograph the route', via: 0 },
        { step: 'fetch the photo', via: 'every', expect: bodyIs(photo) },
      ],
    },
    {
      name: 'check-ins at three instances make 3 check-ins today',
      kind: 'counter',
      steps: [
        { step: 'check in', via: 'every' },
        { step: 'the day so far', via: 0, expect: valueAt('checkins', () => 3) },
      ],
    },
    {
      // Five wrong passwords for one address, spread over the instances: the sixth attempt waits.
      name: 'wrong passwords through three instances lock the address together',
      kind: 'counter',
      steps: [
        { step: 'sign in with a wrong password', via: 'every', jar: 'shared' },
        { step: 'sign in with a wrong password', via: 1, jar: 'shared', times: 2 },
        { step: { name: 'sign in once too often', method: 'POST', path: '/api/auth/login', json: { ...climber, password: 'el-cap-1958' }, status: 429 }, via: 2, jar: 'shared' },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it signed in through is killed, the climber is still signed in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the photo is still served', kind: 'killed', steps: [{ step: 'fetch the photo', via: 'every', expect: bodyIs(photo) }] },
    { name: 'after an instance that counted a check-in is killed, its check-in still counts', kind: 'killed', steps: [{ step: 'the day so far', via: 1, expect: valueAt('checkins', () => 3) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'lib/session.ts:16', code: 'export const sessions = globalForSessions.sessions ?? (globalForSessions.sessions = new Map<string, SessionUser>());', note: 'session id (the crag_sid cookie) → climber, in a globalThis Map' },
    { kind: 'session', at: 'lib/session.ts:20', code: 'sessions.set(sid,', note: 'sign-in writes the session there' },
    { kind: 'session', at: 'lib/route-cache.ts:13', code: 'const routeCache = new Map<number, Route>();', note: 'route rows cached per instance, forgotten only where the photo was added (a stale card elsewhere)' },
    { kind: 'session', at: 'lib/events.ts:6', code: 'new EventEmitter()', note: 'the "new on the wall" SSE screen (app/api/feed/route.ts:14) hears only the routes set through its own process' },
    { kind: 'counter', at: 'lib/stats.ts:7', code: 'gymStats.checkinsToday += 1;', note: "today's check-ins in a globalThis object" },
    { kind: 'counter', at: 'lib/login-limit.ts:5', code: 'const failures = new Map<string, { count: number; since: number }>();', note: 'wrong passwords per address, bumped in place (line 22)' },
    { kind: 'counter', at: 'app/api/classes/[slug]/bookings/route.ts:9', code: 'const bookingLock = new Mutex();', note: 'async-mutex around the places check and insert: one instance only' },
    { kind: 'scheduler', at: 'lib/jobs.ts:13', code: "cron.schedule('0 0 * * *'", note: 'node-cron midnight reset of the check-ins and the route cache, started by instrumentation.ts on every instance' },
    { kind: 'scheduler', at: 'lib/jobs.ts:20', code: 'setInterval(sweepExpiredSessions', note: 'a sweep of the in-memory sessions' },
    { kind: 'disk', at: 'app/api/routes/[id]/photo/route.ts:27', code: 'await writeFile(path.join(UPLOAD_DIR, fileName)', note: 'request.formData() upload written to the local folder' },
    { kind: 'disk', at: 'app/api/photos/[name]/route.ts:10', code: 'await readFile(path.join(UPLOAD_DIR, path.basename(name)));', note: 'another route reads it back' },
    { kind: 'blocking', at: 'lib/passwords.ts:7', code: 'pbkdf2Sync(', note: 'pbkdf2Sync on joining' },
    { kind: 'blocking', at: 'lib/passwords.ts:13', code: 'pbkdf2Sync(', note: 'pbkdf2Sync on signing in' },
    { kind: 'blocking', at: 'app/api/auth/signup/route.ts:14', code: 'await sendWelcome(', note: 'the welcome mail (nodemailer) awaited by the request' },
    { kind: 'replica', at: 'app/api/routes/route.ts:25', code: 'await replica.query<Route>(', note: 'the wall re-listed from the standby right after the insert' },
    { kind: 'look-alike', at: 'app/api/routes/route.ts:11', code: 'await replica.query<Route>(', note: 'a standby read with no write before it' },
    { kind: 'look-alike', at: 'lib/grades.ts:2', code: 'export const GRADES: Record<string, { font: string; colour: string }> = {', note: 'constant grade table' },
    { kind: 'look-alike', at: 'app/api/routes/[id]/photo/route.ts:9', code: 'const IMAGE_TYPES: Record<string, string> = {', note: 'constant MIME table' },
    { kind: 'look-alike', at: 'lib/config.ts:12', code: 'readFileSync(', note: 'gym.json read once at start-up' },
    { kind: 'look-alike', at: 'lib/mailer.ts:17', code: 'timer = setTimeout(', note: 'a per-request mail timeout, cleared in finally' },
    { kind: 'look-alike', at: 'lib/jobs.ts:6', code: 'let started = false;', note: 'a start-once flag for the jobs' },
  ],
};

export default scenario;
