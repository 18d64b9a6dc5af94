// Room bookings' scripted client: the first user signs up (and so looks after the rooms), logs in
// (express-session), looks at a room twice, changes its price, uploads its photo (multer) and
// downloads it, holds a slot and books it, reads the notifications the changes made, logs out.
import type { Scenario } from '../harness';
import { bodyIs, valueAt } from '../checks';

const admin = { email: 'ada@example.test', name: 'Ada', password: 'analytical-1843' };
const photo = 'PNG pretend photo of the Ada room\n';
const slot = { roomId: 1, day: '2027-03-01', hour: 10 };

function photoForm(name: string, type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('photo', new Blob([bytes], { type }), name);
  return form;
}

const scenario: Scenario = {
  app: 'room-bookings',
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'list the rooms', method: 'GET', path: '/api/rooms', status: 200 },
    { name: 'me before login', method: 'GET', path: '/api/me', status: 401 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: admin, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: admin, status: 409 },
    { name: 'login with a wrong password', method: 'POST', path: '/api/login', json: { ...admin, password: 'difference-1822' }, status: 401 },
    { name: 'login', method: 'POST', path: '/api/login', json: admin, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    { name: 'show room 1', method: 'GET', path: '/api/rooms/1', status: 200 },
    { name: 'show room 1 again', method: 'GET', path: '/api/rooms/1', status: 200 },
    { name: 'change the price of room 1', method: 'PATCH', path: '/api/rooms/1', json: { price: 25 }, status: 200 },
    { name: 'show room 1 after the price change', method: 'GET', path: '/api/rooms/1', status: 200 },
    { name: 'upload a photo of room 1', method: 'POST', path: '/api/rooms/1/photo', form: () => photoForm('ada.png', 'image/png', photo), save: { photoUrl: 'photo' }, status: 201 },
    { name: 'upload a pdf as a photo', method: 'POST', path: '/api/rooms/1/photo', form: () => photoForm('plan.pdf', 'application/pdf', '%PDF-1.4'), status: 415 },
    { name: 'download the photo', method: 'GET', path: (v) => v.photoUrl, status: 200 },
    { name: 'hold a slot', method: 'POST', path: '/api/bookings/holds', json: slot, status: 201 },
    { name: 'book the slot', method: 'POST', path: '/api/bookings', json: { ...slot, hours: 2 }, status: 201 },
    { name: 'book the slot again', method: 'POST', path: '/api/bookings', json: { ...slot, hours: 1 }, status: 409 },
    { name: 'book after closing time', method: 'POST', path: '/api/bookings', json: { ...slot, hour: 18, hours: 3 }, status: 400 },
    { name: 'my bookings', method: 'GET', path: '/api/bookings', afterReplicaCatchesUp: true, status: 200 },
    { name: 'notifications', method: 'GET', path: '/api/notifications', status: 200 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  normalise: [],
  differencesAfterFix: [
    'POST /api/bookings lists the booking it just made among mine (the read goes to the primary); before, the standby had not replayed it and the list was empty',
  ],
  stepsAFixMayChange: ['book the slot'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
  ],
  // Someone of their own on each instance (not an admin: the first user is).
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Record<string, string>) => ({ ...admin, email: `ada-${v.instance}@example.test` }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Record<string, string>) => ({ ...admin, email: `ada-${v.instance}@example.test` }), status: 200 },
  ],
  scaleOut: [
    { name: 'a user logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a price changed through one instance is the price every instance shows',
      kind: 'read-after-write',
      steps: [
        // Every instance has room 1 in its cache first.
        { step: 'show room 1', via: 'every' },
        { step: { name: 'change the price to 40', method: 'PATCH', path: '/api/rooms/1', json: { price: 40 }, status: 200 }, via: 0, jar: 'shared' },
        { step: 'show room 1 after the price change', via: 'every', expect: valueAt('price', () => 40) },
      ],
    },
    {
      name: 'the price change made through one instance is in the notifications of every instance',
      kind: 'read-after-write',
      steps: [
        {
          step: 'notifications',
          via: 'every',
          expect: (body) => {
            const list = (body as { notifications?: { type: string; payload: { price?: number } }[] }).notifications ?? [];
            return list.some((n) => n.type === 'room-updated' && n.payload.price === 40) ? undefined : `no room-updated notification with price 40: ${JSON.stringify(list)}`;
          },
        },
      ],
    },
    {
      name: 'a booking is among mine in the reply that made it',
      kind: 'read-after-write',
      steps: [
        {
          step: { name: 'book a slot of room 2', method: 'POST', path: '/api/bookings', json: (v: Record<string, string>) => ({ roomId: 2, day: '2027-03-02', hour: 8 + Number(v.instance ?? 0), hours: 1 }), status: 201 },
          via: 0,
          expect: (body) => {
            const reply = body as { booking?: { id: number }; mine?: number[] };
            return reply.booking && reply.mine?.includes(reply.booking.id) ? undefined : `mine ${JSON.stringify(reply.mine)} lacks booking ${JSON.stringify(reply.booking)}`;
          },
        },
      ],
    },
    {
      name: 'a photo uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'upload a photo of room 1', via: 0, jar: 'shared' },
        { step: 'download the photo', via: 'every', jar: 'shared', expect: bodyIs(photo) },
      ],
    },
    {
      name: 'views through three instances add up',
      kind: 'counter',
      steps: [
        { step: { name: 'show room 2', method: 'GET', path: '/api/rooms/2', status: 200 }, via: 'every' },
        { step: { name: 'show room 2 once more', method: 'GET', path: '/api/rooms/2', status: 200 }, via: 0, expect: valueAt('views', () => 4) },
      ],
    },
    {
      name: 'a slot held through one instance cannot be held through another',
      kind: 'counter',
      steps: [
        { step: { name: 'hold room 2 at noon', method: 'POST', path: '/api/bookings/holds', json: { roomId: 2, day: '2027-03-03', hour: 12 }, status: 201 }, via: 0 },
        { step: { name: 'hold room 2 at noon too', method: 'POST', path: '/api/bookings/holds', json: { roomId: 2, day: '2027-03-03', hour: 12 }, status: 409 }, via: 1 },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it logged in through is killed, the user is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the photo still downloads', kind: 'killed', steps: [{ step: 'download the photo', via: 'every', jar: 'shared', expect: bodyIs(photo) }] },
    { name: 'after an instance that counted views is killed, its views still count', kind: 'killed', steps: [{ step: { name: 'show room 2 after the kill', method: 'GET', path: '/api/rooms/2', status: 200 }, via: 1, expect: valueAt('views', () => 5) }] },
    {
      name: 'after the instance a slot was held through is killed, the hold still holds',
      kind: 'killed',
      steps: [{ step: { name: 'hold room 2 at noon after the kill', method: 'POST', path: '/api/bookings/holds', json: { roomId: 2, day: '2027-03-03', hour: 12 }, status: 409 }, via: 2 }],
    },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'server.js:17', code: 'const sessionMiddleware = session({', note: "express-session with its default MemoryStore, shared with socket.io's engine" },
    { kind: 'session', at: 'lib/cache.js:7', code: 'const roomCache = new NodeCache(', note: 'node-cache of room rows, invalidated only on the instance that changed the room' },
    { kind: 'session', at: 'lib/notifications.js:6', code: 'const bus = new EventEmitter();', note: 'notifications fan out through an in-process EventEmitter (SSE and socket.io listen)' },
    { kind: 'session', at: 'lib/notifications.js:10', code: 'const recent = [];', note: 'the last 50 notifications kept for catch-up, per instance' },
    { kind: 'session', at: 'lib/sockets.js:10', code: 'const io = new Server(server);', note: 'socket.io without an adapter: io.emit reaches only this instance' },
    { kind: 'session', at: 'lib/sockets.js:7', code: 'const online = new Map();', note: 'who is online, per instance' },
    { kind: 'counter', at: 'routes/rooms.js:26', code: 'const views = {};', note: 'views per room in a module object' },
    { kind: 'counter', at: 'routes/bookings.js:13', code: 'const busyRooms = new Set();', note: 'the in-process lock around the booking check-and-insert' },
    { kind: 'counter', at: 'routes/bookings.js:16', code: 'const holds = new Map();', note: 'slot holds with an expiry, per instance' },
    { kind: 'counter', at: 'lib/notifications.js:11', code: 'let nextId = 1;', note: 'notification ids minted per instance' },
    { kind: 'scheduler', at: 'jobs.js:19', code: 'setInterval(() => {', note: 'the booking digest written every minute, by every instance' },
    { kind: 'disk', at: 'routes/rooms.js:15', code: 'const storage = multer.diskStorage({', note: 'multer writes the photo to the local upload folder' },
    { kind: 'disk', at: 'server.js:27', code: "app.use('/uploads', express.static(config.uploadDir));", note: 'and express.static serves it back from there' },
    { kind: 'blocking', at: 'lib/auth.js:27', code: 'bcrypt.hashSync(password, 10)', note: 'bcryptjs hashSync on signup' },
    { kind: 'blocking', at: 'lib/auth.js:40', code: 'bcrypt.compareSync(', note: 'bcryptjs compareSync on login' },
    { kind: 'replica', at: 'routes/bookings.js:68', code: "await readDb('bookings')", note: "knex: the user's bookings re-read from the replica right after the insert" },
    { kind: 'look-alike', at: 'routes/bookings.js:79', code: "await readDb('bookings')", note: 'a replica read with no write before it' },
    { kind: 'look-alike', at: 'lib/constants.js:3', code: 'const ROOM_KINDS = {', note: 'constant table of room kinds' },
    { kind: 'look-alike', at: 'config.js:7', code: 'fs.readFileSync(', note: 'rooms config read once at start-up' },
    { kind: 'look-alike', at: 'jobs.js:24', code: 'setInterval(() => {', note: 'a keep-alive ping of the pool, right on every instance' },
    { kind: 'look-alike', at: 'server.js:14', code: 'fs.mkdirSync(config.uploadDir', note: 'sync mkdir at start-up' },
    { kind: 'look-alike', at: 'server.js:26', code: "app.use(express.static(path.join(__dirname, 'public')));", note: 'static assets shipped with the app' },
  ],
};

export default scenario;
