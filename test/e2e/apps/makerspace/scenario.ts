// The makerspace's scripted client: a member signs up, logs in (@hapi/cookie around a session id),
// adds a laser cutter and a 3D printer, books two laser slots (a lock around the slot check, the
// day's booking number, an awaited confirmation mail, the member's upcoming bookings re-read on the
// standby), uploads a design file (a multipart stream written to the local folder) and downloads it
// (inert's h.file relative to that folder), marks the laser out of order (the cached machine row
// dropped) and finds it cannot be booked; the public lists the machines and the day's count.
import type { Scenario, Step, Vars } from '../harness';
import { bodyIs, valueAt } from '../checks';

const member = { name: 'Grace', email: 'grace@makerspace.example', password: 'kerf-0.2mm' };
const design = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="40" height="20"/></svg>\n';

function designForm(name: string, type: string, text: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([text], { type }), name);
  return form;
}

const wrongPassword: Step = { name: 'login with a wrong password', method: 'POST', path: '/api/login', json: { ...member, password: 'kerf-0.3mm' }, status: 401 };
const addLaser: Step = { name: 'add a laser cutter', method: 'POST', path: '/api/machines', json: { name: 'Big laser', type: 'laser' }, save: { laserId: 'machine.id' }, status: 201 };
const bookLaser: Step = {
  name: 'book the laser',
  method: 'POST',
  path: (v) => `/api/machines/${v.laserId}/bookings`,
  json: { day: '2026-12-10', slot: 2 },
  save: { bookingId: 'booking.id' },
  status: 201,
};
const uploadDesign: Step = { name: 'upload a design', method: 'POST', path: '/api/designs', form: () => designForm('box-lid.svg', 'image/svg+xml', design), save: { designUrl: 'design.url' }, status: 201 };

// Each booking of the counter check on a day of its own (no slot or per-day limit is hit).
let nextDay = 0;
const bookAnotherDay: Step = {
  name: 'book the laser on another day',
  method: 'POST',
  path: (v: Vars) => `/api/machines/${v.laserId}/bookings`,
  json: () => ({ day: `2027-01-${String(++nextDay).padStart(2, '0')}`, slot: 1 }),
  status: 201,
};

/** Each booking number handed out in this check is one no earlier reply had. */
function newNumber(): (body: unknown) => string | undefined {
  const seen = new Set<number>();
  return (body) => {
    const number = (body as { number?: number }).number;
    if (number === undefined || seen.has(number)) return `booking number ${number} was handed out already (${[...seen].join(', ')})`;
    seen.add(number);
    return undefined;
  };
}

const scenario: Scenario = {
  app: 'makerspace',
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'me before login', method: 'GET', path: '/api/me', status: 401 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: member, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: member, status: 409 },
    { name: 'signup without a password', method: 'POST', path: '/api/signup', json: { name: 'Bob', email: 'bob@makerspace.example' }, status: 400 },
    wrongPassword,
    { name: 'login', method: 'POST', path: '/api/login', json: member, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    { name: 'machine types', method: 'GET', path: '/api/machine-types', client: 'mobile', status: 200 },
    addLaser,
    { name: 'add a 3D printer', method: 'POST', path: '/api/machines', json: { name: 'Printer one', type: 'printer' }, status: 201 },
    { name: 'add a machine of no type', method: 'POST', path: '/api/machines', json: { name: 'Toaster', type: 'toaster' }, status: 400 },
    { name: 'add a machine without logging in', method: 'POST', path: '/api/machines', client: 'mobile', json: { name: 'Saw', type: 'cnc' }, status: 401 },
    { name: 'show the laser', method: 'GET', path: (v) => `/api/machines/${v.laserId}`, client: 'mobile', status: 200 },
    { name: 'show a machine that is not there', method: 'GET', path: '/api/machines/999', status: 404 },
    bookLaser,
    { name: 'book the same slot again', method: 'POST', path: (v) => `/api/machines/${v.laserId}/bookings`, json: { day: '2026-12-10', slot: 2 }, status: 409 },
    { name: 'book the next slot', method: 'POST', path: (v) => `/api/machines/${v.laserId}/bookings`, json: { day: '2026-12-10', slot: 3 }, status: 201 },
    { name: 'book a third slot that day', method: 'POST', path: (v) => `/api/machines/${v.laserId}/bookings`, json: { day: '2026-12-10', slot: 5 }, status: 409 },
    { name: 'book slot nine', method: 'POST', path: (v) => `/api/machines/${v.laserId}/bookings`, json: { day: '2026-12-10', slot: 9 }, status: 400 },
    { name: 'my bookings', method: 'GET', path: '/api/bookings', status: 200 },
    uploadDesign,
    { name: 'upload a pdf', method: 'POST', path: '/api/designs', form: () => designForm('quote.pdf', 'application/pdf', '%PDF-1.4'), status: 415 },
    { name: 'download the design', method: 'GET', path: (v) => v.designUrl, status: 200 },
    { name: 'download a design that is not there', method: 'GET', path: '/api/designs/999/file', status: 404 },
    { name: 'mark the laser out of order', method: 'POST', path: (v) => `/api/machines/${v.laserId}/status`, json: { status: 'out-of-order' }, status: 200 },
    { name: 'show the laser after it broke', method: 'GET', path: (v) => `/api/machines/${v.laserId}`, client: 'mobile', status: 200 },
    { name: 'book the broken laser', method: 'POST', path: (v) => `/api/machines/${v.laserId}/bookings`, json: { day: '2026-12-11', slot: 1 }, status: 409 },
    { name: 'list the machines', method: 'GET', path: '/api/machines', client: 'mobile', afterReplicaCatchesUp: true, status: 200 },
    { name: 'stats', method: 'GET', path: '/api/stats', client: 'mobile', status: 200 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  normalise: [],
  differencesAfterFix: [
    'POST /api/machines/:id/bookings counts the booking it just made among the member\'s upcoming ones (the read goes to the primary); before, the standby had not replayed it yet',
  ],
  stepsAFixMayChange: ['book the laser', 'book the next slot'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
  ],
  // A member of their own on each instance.
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Vars) => ({ ...member, email: `member-${v.instance}@makerspace.example` }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Vars) => ({ ...member, email: `member-${v.instance}@makerspace.example` }), status: 200 },
  ],
  scaleOut: [
    { name: 'a member logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a laser marked out of order through one instance is shown out of order on every instance',
      kind: 'read-after-write',
      steps: [
        { step: addLaser, via: 0 },
        // Every instance has the row in its cache first.
        { step: 'show the laser', via: 'every', expect: valueAt('machine.status', () => 'working') },
        { step: 'mark the laser out of order', via: 0 },
        { step: 'show the laser after it broke', via: 'every', expect: valueAt('machine.status', () => 'out-of-order') },
      ],
    },
    {
      name: 'a booking counts itself among the member\'s upcoming bookings',
      kind: 'read-after-write',
      steps: [
        { step: addLaser, via: 0 },
        { step: bookLaser, via: 0, expect: valueAt('upcoming', () => 1) },
      ],
    },
    {
      name: 'a design uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: uploadDesign, via: 0 },
        { step: 'download the design', via: 'every', expect: bodyIs(design) },
      ],
    },
    {
      name: 'bookings through three instances each get a number of their own',
      kind: 'counter',
      steps: [
        { step: addLaser, via: 'every' },
        { step: bookAnotherDay, via: 'every', times: 2, expect: newNumber() },
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
    { name: 'after the instance it was uploaded through is killed, the design still downloads', kind: 'killed', steps: [{ step: 'download the design', via: 'every', expect: bodyIs(design) }] },
    {
      name: 'after an instance that counted a failed login is killed, the lock-out still holds',
      kind: 'killed',
      steps: [{ step: { ...wrongPassword, name: 'a wrong password after the kill', status: 429 }, via: 'every' }],
    },
  ],
  // Every hazard is fixed: sessions and failed logins in Redis records, the booking lock in Redis, the day's number in
  // a Redis counter (the nightly job on a leader lock), the mail on the job queue, socket.io on the Redis adapter, the
  // upcoming bookings read on the primary, the designs in the object store (written there, and inert's `h.file` read
  // through the adapter's `hapiFile`) (7 December); the server's default cache on @hapi/catbox-redis, so `getMachine`'s
  // results and their `cache.drop` are shared (7 December, evening).
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'lib/sessions.js:6', code: 'const sessions = new Map();', note: 'member sessions: the @hapi/cookie strategy keeps only { sid } in the cookie and its validate looks the member up here' },
    { kind: 'session', at: 'plugins/machines.js:20', code: "server.method('getMachine', getMachine, {", note: "machine rows cached for ten minutes by hapi's server method cache (catbox-memory, the server's default), dropped on a status change only on the instance that made it" },
    { kind: 'session', at: 'lib/live.js:10', code: "io = new Server(listener, { path: '/live' });", note: "socket.io on hapi's server.listener, no adapter" },
    { kind: 'session', at: 'lib/live.js:20', code: "io.emit('booking', booking);", note: 'each booking broadcast reaches only the screens connected to the instance that took it' },
    { kind: 'session', at: 'plugins/bookings.js:13', code: 'const bookingLock = new Mutex();', note: 'an async-mutex around the slot check and the insert: excludes only this process' },
    { kind: 'counter', at: 'plugins/bookings.js:16', code: 'let bookingsToday = 0;', note: "the day's booking number, per process (bumped at line 78, reset by the nightly job through resetDay)" },
    { kind: 'counter', at: 'lib/attempts.js:4', code: 'const failures = new Map();', note: 'wrong passwords per client address, { count, first } records bumped in place' },
    { kind: 'scheduler', at: 'jobs/nightly.js:11', code: "return Cron.schedule('0 0 * * *', async () => {", note: "node-cron at midnight on every process: resets the count and mails tomorrow's reminders" },
    { kind: 'disk', at: 'plugins/designs.js:44', code: 'await pipeline(file, Fs.createWriteStream(Path.join(Config.uploadDir, filename)));', note: "the multipart file (payload output 'stream') piped into the local upload folder" },
    { kind: 'disk', at: 'plugins/designs.js:68', code: "return h.file(rows[0].filename, { mode: 'attachment', filename: rows[0].original_name });", note: "another route sends it back with inert's h.file, relative to the folder the server was created with (server.js:18)" },
    { kind: 'blocking', at: 'lib/passwords.js:5', code: 'Crypto.scryptSync(password, salt, 32)', note: 'scryptSync on signup and on every login' },
    { kind: 'blocking', at: 'plugins/bookings.js:79', code: 'await Mailer.bookingConfirmed(member, machine, booking);', note: 'the confirmation mail sent while the member waits' },
    { kind: 'replica', at: 'plugins/bookings.js:82', code: 'const upcoming = await Db.replica.query(', note: "the member's upcoming bookings re-read from the standby right after the insert on the primary" },
    { kind: 'look-alike', at: 'plugins/machines.js:37', code: "await Db.replica.query('SELECT id, name, type, status FROM machines ORDER BY id')", note: 'a replica read with no write before it' },
    { kind: 'look-alike', at: 'lib/machine-types.js:4', code: 'module.exports = Object.freeze({', note: 'a frozen table of machine types' },
    { kind: 'look-alike', at: 'plugins/designs.js:12', code: "const ALLOWED = ['.svg', '.dxf', '.stl', '.gcode'];", note: 'a constant list of file types' },
    { kind: 'look-alike', at: 'config.js:7', code: 'Fs.readFileSync(', note: 'space.json read once at start-up' },
    { kind: 'look-alike', at: 'server.js:10', code: 'Fs.mkdirSync(Config.uploadDir', note: 'sync mkdir at start-up' },
    { kind: 'look-alike', at: 'scripts/export-bookings.js:10', code: 'const perMember = new Map();', note: 'a script run by hand: a Map of totals, mkdirSync and writeFileSync of a CSV, never part of the server' },
    { kind: 'look-alike', at: 'scripts/export-bookings.js:24', code: 'Fs.writeFileSync(', note: 'the monthly export written by the script' },
  ],
};

export default scenario;
