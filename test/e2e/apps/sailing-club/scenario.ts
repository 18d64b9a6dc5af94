// Harbour Lane Sailing Club's scripted client: a member signs up, logs in (express-session with an
// explicit MemoryStore), adds two dinghies, photographs one (express-fileupload's `mv` into the local
// folder) and downloads the photo (another route's `res.sendFile`), reserves boats (an AsyncLock per
// boat around the check and the insert, the day's launch number in a service field, the confirmation
// mail awaited, the member's upcoming reservations counted on the standby), hauls a boat ashore (its
// cached row dropped) and finds it cannot be reserved; the public lists the boats and the day's count.
import type { Scenario, Step, Vars } from '../harness';
import { bodyIs, valueAt } from '../checks';

const member = { name: 'Ellen', email: 'ellen@harbourlane.example', password: 'close-hauled-12' };
const photo = 'PNG pretend photo of a Laser on the slipway\n';

function photoForm(name: string, type: string, text: string): FormData {
  const form = new FormData();
  form.append('photo', new Blob([text], { type }), name);
  return form;
}

const wrongPassword: Step = { name: 'login with a wrong password', method: 'POST', path: '/api/login', json: { ...member, password: 'close-hauled-13' }, status: 401 };
const addLaser: Step = { name: 'add a Laser', method: 'POST', path: '/api/boats', json: { name: 'Kestrel', boatClass: 'laser' }, save: { boatId: 'boat.id' }, status: 201 };
const reserveLaser: Step = {
  name: 'reserve the Laser',
  method: 'POST',
  path: (v) => `/api/boats/${v.boatId}/reservations`,
  json: { day: '2026-12-12' },
  save: { reservationId: 'reservation.id' },
  status: 201,
};
const uploadPhoto: Step = { name: 'photograph the Laser', method: 'POST', path: (v) => `/api/boats/${v.boatId}/photo`, form: () => photoForm('kestrel.png', 'image/png', photo), save: { photoUrl: 'url' }, status: 201 };

// Each reservation of the counter check on a day of its own (no per-day limit is hit).
let nextDay = 0;
const reserveAnotherDay: Step = {
  name: 'reserve the Laser on another day',
  method: 'POST',
  path: (v: Vars) => `/api/boats/${v.boatId}/reservations`,
  json: () => ({ day: `2027-03-${String(++nextDay).padStart(2, '0')}` }),
  status: 201,
};

/** Each launch number handed out in this check is one no earlier reply had. */
function newNumber(): (body: unknown) => string | undefined {
  const seen = new Set<number>();
  return (body) => {
    const number = (body as { reservation?: { launchNumber?: number } }).reservation?.launchNumber;
    if (number === undefined || seen.has(number)) return `launch number ${number} was handed out already (${[...seen].join(', ')})`;
    seen.add(number);
    return undefined;
  };
}

const scenario: Scenario = {
  app: 'sailing-club',
  build: true,
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'me before login', method: 'GET', path: '/api/me', status: 401 },
    { name: 'boat classes', method: 'GET', path: '/api/boat-classes', client: 'mobile', status: 200 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: member, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: member, status: 409 },
    { name: 'signup with a short password', method: 'POST', path: '/api/signup', json: { ...member, email: 'tom@harbourlane.example', password: 'jib' }, status: 400 },
    wrongPassword,
    { name: 'login', method: 'POST', path: '/api/login', json: member, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    addLaser,
    { name: 'add a Wayfarer', method: 'POST', path: '/api/boats', json: { name: 'Puffin', boatClass: 'wayfarer' }, save: { wayfarerId: 'boat.id' }, status: 201 },
    { name: 'add a boat of no class the club sails', method: 'POST', path: '/api/boats', json: { name: 'Ark', boatClass: 'galleon' }, status: 400 },
    { name: 'add a boat without logging in', method: 'POST', path: '/api/boats', client: 'mobile', json: { name: 'Skiff', boatClass: 'topper' }, status: 401 },
    { name: 'show the Laser', method: 'GET', path: (v) => `/api/boats/${v.boatId}`, client: 'mobile', status: 200 },
    { name: 'show a boat that is not there', method: 'GET', path: '/api/boats/999', status: 404 },
    uploadPhoto,
    { name: 'photograph the Laser as a GIF', method: 'POST', path: (v) => `/api/boats/${v.boatId}/photo`, form: () => photoForm('kestrel.gif', 'image/gif', 'GIF89a'), status: 415 },
    { name: 'download the photo', method: 'GET', path: (v) => v.photoUrl, status: 200 },
    { name: 'download the photo of a boat with none', method: 'GET', path: (v) => `/api/boats/${v.wayfarerId}/photo`, status: 404 },
    reserveLaser,
    { name: 'reserve the Laser again that day', method: 'POST', path: (v) => `/api/boats/${v.boatId}/reservations`, json: { day: '2026-12-12' }, status: 409 },
    { name: 'reserve the Wayfarer that day', method: 'POST', path: (v) => `/api/boats/${v.wayfarerId}/reservations`, json: { day: '2026-12-12' }, status: 201 },
    { name: 'reserve with no day', method: 'POST', path: (v) => `/api/boats/${v.boatId}/reservations`, json: {}, status: 400 },
    { name: 'my reservations', method: 'GET', path: '/api/reservations', status: 200 },
    { name: 'haul the Laser ashore', method: 'PATCH', path: (v) => `/api/boats/${v.boatId}`, json: { status: 'ashore' }, status: 200 },
    { name: 'show the Laser ashore', method: 'GET', path: (v) => `/api/boats/${v.boatId}`, client: 'mobile', status: 200 },
    { name: 'reserve the Laser ashore', method: 'POST', path: (v) => `/api/boats/${v.boatId}/reservations`, json: { day: '2026-12-13' }, status: 409 },
    { name: 'give a boat a status there is not', method: 'PATCH', path: (v) => `/api/boats/${v.boatId}`, json: { status: 'sunk' }, status: 400 },
    { name: 'list the boats', method: 'GET', path: '/api/boats', client: 'mobile', afterReplicaCatchesUp: true, status: 200 },
    { name: 'stats', method: 'GET', path: '/api/stats', client: 'mobile', status: 200 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  // The count is read on the standby, which replays the insert 500 ms late: 0 or 1 by the time the
  // second reservation asks, run to run. The 3-instance check holds the fixed count to exactly 1.
  normalise: [{ key: 'upcoming', as: '<reservations counted on the standby>' }],
  differencesAfterFix: [
    "POST /api/boats/:id/reservations counts the reservation it just made among the member's upcoming ones (the count goes to the primary); before, the standby had not replayed it yet",
  ],
  stepsAFixMayChange: ['reserve the Laser', 'reserve the Wayfarer that day'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
  ],
  // A member of their own on each instance.
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Vars) => ({ ...member, email: `member-${v.instance}@harbourlane.example` }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Vars) => ({ ...member, email: `member-${v.instance}@harbourlane.example` }), status: 200 },
  ],
  scaleOut: [
    { name: 'a member logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a boat hauled ashore through one instance is shown ashore on every instance',
      kind: 'read-after-write',
      steps: [
        { step: addLaser, via: 0 },
        // Every instance has the row in its cache first.
        { step: 'show the Laser', via: 'every', expect: valueAt('boat.status', () => 'afloat') },
        { step: 'haul the Laser ashore', via: 0 },
        { step: 'show the Laser ashore', via: 'every', expect: valueAt('boat.status', () => 'ashore') },
      ],
    },
    {
      name: "a reservation counts itself among the member's upcoming reservations",
      kind: 'read-after-write',
      steps: [
        { step: addLaser, via: 0 },
        { step: reserveLaser, via: 0, expect: valueAt('upcoming', () => 1) },
      ],
    },
    {
      name: 'a photo uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: addLaser, via: 0 },
        { step: uploadPhoto, via: 0 },
        { step: 'download the photo', via: 'every', expect: bodyIs(photo) },
      ],
    },
    {
      name: 'reservations through three instances each get a launch number of their own',
      kind: 'counter',
      steps: [
        { step: addLaser, via: 'every' },
        { step: reserveAnotherDay, via: 'every', times: 2, expect: newNumber() },
      ],
    },
    {
      name: 'failed logins through three instances add up to a lock-out',
      kind: 'counter',
      steps: [
        { step: wrongPassword, via: 'every' },
        { step: { ...wrongPassword, name: 'a fourth wrong password', status: 429 }, via: 1 },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance she logged in through is killed, the member is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the photo still downloads', kind: 'killed', steps: [{ step: 'download the photo', via: 'every', expect: bodyIs(photo) }] },
    {
      name: 'after an instance that counted a failed login is killed, the lock-out still holds',
      kind: 'killed',
      steps: [{ step: { ...wrongPassword, name: 'a wrong password after the kill', status: 429 }, via: 'every' }],
    },
  ],
  // Every other hazard is fixed: the sessions in Redis (connect-redis in place of the written-out MemoryStore), the
  // photos in the object store (express-fileupload's `mv` as `putFile(path, photo.data)`, the controller's
  // `res.sendFile` through the adapter), the launch number in a Redis counter, the login limiter a RateLimiterRedis,
  // the per-boat AsyncLock a Redis lock per key, the mail on the job queue (the call inside the service, not the
  // whole reservation), the nightly job on the queue's scheduler, the upcoming count on the primary's data source
  // (7 December).
  knownScaleOutFailures: {
    'a boat hauled ashore through one instance is shown ashore on every instance':
      "no-process-local-cache refused at src/lib/ttlCache.ts:3: the generic `TtlCache<K, V>` keeps its entries in a Map keyed by any `K`, and the cache adapter takes string or number keys, so moving the Map to Redis adds a type error (TS2345 at line 9); BoatService's cached row is dropped on a status change only on the instance that made the change",
  },
  planted: [
    { kind: 'session', at: 'src/app.ts:17', code: 'store: new MemoryStore(),', note: "express-session's MemoryStore, written out as the store option" },
    { kind: 'session', at: 'src/lib/ttlCache.ts:3', code: 'private entries = new Map<K, { value: V; expires: number }>();', note: "a generic TTL cache class; BoatService keeps the boat rows in one (src/services/boatService.ts:13), dropped on a status change or a photo only on the instance that made it" },
    { kind: 'session', at: 'src/lib/liveFeed.ts:5', code: 'private clients = new Set<Response>();', note: "the clubhouse screen's SSE responses, written to on each reservation (line 16): only the screens on the instance that took it hear it" },
    { kind: 'session', at: 'src/services/reservationService.ts:17', code: 'private lock = new AsyncLock();', note: 'async-lock around the per-boat check and insert: excludes only this process' },
    { kind: 'counter', at: 'src/services/statsService.ts:3', code: 'private launchesToday = 0;', note: "the day's launch number in a service field (bumped at line 6, reset by the nightly job)" },
    { kind: 'counter', at: 'src/middleware/loginLimiter.ts:4', code: 'export const loginFailures = new RateLimiterMemory({ points: 3, duration: 15 * 60 });', note: "rate-limiter-flexible's memory limiter, consumed on each wrong password" },
    { kind: 'scheduler', at: 'src/jobs/nightly.ts:13', code: "return cron.schedule('0 0 * * *', async () => {", note: "node-cron at midnight on every process: resets the day's count and mails tomorrow's reminders" },
    { kind: 'disk', at: 'src/services/boatService.ts:48', code: 'await photo.mv(path.join(config.uploadDir, filename));', note: "express-fileupload's `mv` into the local folder, in a service method handed the file (`photo: UploadedFile`) by the controller" },
    { kind: 'disk', at: 'src/controllers/boatController.ts:77', code: 'res.sendFile(file, (err) => {', note: 'another route sends it back from the local folder (the path from BoatService.photoPath)' },
    { kind: 'blocking', at: 'src/lib/passwords.ts:4', code: 'crypto.pbkdf2Sync(password, salt, 100_000, 32, ', note: 'pbkdf2Sync on signup and on every login' },
    { kind: 'blocking', at: 'src/services/reservationService.ts:37', code: 'await sendReservationConfirmation(member.email, member.name, boat.name, day);', note: 'the confirmation mail awaited inside the service method whose result the controller answers with' },
    { kind: 'replica', at: 'src/services/reservationService.ts:40', code: 'const upcoming = await ReplicaDataSource.getRepository(Reservation).countBy(', note: "the member's upcoming reservations counted on the standby's DataSource right after the insert through the primary's repository" },
    { kind: 'look-alike', at: 'src/services/boatService.ts:20', code: "return ReplicaDataSource.getRepository(Boat).find({ order: { id: 'ASC' } });", note: 'a replica read with no write before it' },
    { kind: 'look-alike', at: 'src/constants/boatClasses.ts:2', code: 'export const BOAT_CLASSES = Object.freeze({', note: 'a frozen table of dinghy classes' },
    { kind: 'look-alike', at: 'src/config.ts:13', code: 'readFileSync(', note: 'club.json read once at start-up' },
    { kind: 'look-alike', at: 'src/index.ts:9', code: 'fs.mkdirSync(config.uploadDir', note: 'sync mkdir at start-up' },
    { kind: 'look-alike', at: 'src/scripts/season-report.ts:11', code: 'const perBoat = new Map<string, number>();', note: 'a script run by hand (npm run season-report): a Map of totals, mkdirSync and writeFileSync of a CSV, never part of the server' },
    { kind: 'look-alike', at: 'src/scripts/season-report.ts:16', code: 'fs.writeFileSync(', note: "the season's CSV written by the script" },
  ],
};

export default scenario;
