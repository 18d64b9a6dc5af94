// The box office's scripted client: the first account signs up (and so is the manager), logs in
// (passport-local over express-session), looks at a show twice (a Map cache of show rows), changes
// its price, gives it a poster (multer in memory, then written to the upload folder) and downloads
// it, adds a show, buys tickets with an Idempotency-Key (retried: the first reply again), runs into
// a sold-out show, reads "my tickets" and the manager's takings (module counters), logs out. An
// Express 5 app in plain ESM JavaScript with Sequelize on the primary and a second Sequelize on the
// standby, no build.
import type { Scenario, Step } from '../harness';
import { bodyIs, listsSaved, valueAt } from '../checks';

const manager = { email: 'oona@lantern.example.test', name: 'Oona', password: 'footlights-1999' };
const poster = 'PNG pretend poster of The Seagull\n';
const vanya = { title: 'Uncle Vanya', startsAt: '2027-05-07T19:30:00Z', priceCents: 2200, seats: 60 };

function posterForm(name: string, type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('poster', new Blob([bytes], { type }), name);
  return form;
}

const key = (value: string) => ({ 'Idempotency-Key': value });

const wrongPassword: Step = { name: 'login with a wrong password', method: 'POST', path: '/api/login', json: { ...manager, password: 'curtain-2001' }, status: 401 };
const buyTwoSeagullTickets: Step = { name: 'buy two seagull tickets', method: 'POST', path: '/api/checkout', headers: key('seagull-1'), json: { showId: 1, quantity: 2 }, save: { seagullOrderId: 'order.id' }, status: 201 };
const takings: Step = { name: 'the takings', method: 'GET', path: '/api/takings', status: 200 };

const scenario: Scenario = {
  app: 'box-office',
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'list the shows', method: 'GET', path: '/api/shows', status: 200 },
    { name: 'me before login', method: 'GET', path: '/api/me', status: 401 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: manager, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: manager, status: 409 },
    { name: 'signup without a password', method: 'POST', path: '/api/signup', json: { email: 'x@example.test', name: 'X' }, status: 400 },
    wrongPassword,
    { name: 'login', method: 'POST', path: '/api/login', json: manager, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    { name: 'show the seagull', method: 'GET', path: '/api/shows/1', status: 200 },
    { name: 'show the seagull again', method: 'GET', path: '/api/shows/1', status: 200 },
    { name: 'show a show that is not there', method: 'GET', path: '/api/shows/99', status: 404 },
    { name: 'change the price of the seagull', method: 'PATCH', path: '/api/shows/1', json: { priceCents: 2600 }, status: 200 },
    { name: 'show the seagull after the price change', method: 'GET', path: '/api/shows/1', status: 200 },
    { name: 'give the seagull a poster', method: 'POST', path: '/api/shows/1/poster', form: () => posterForm('seagull.png', 'image/png', poster), status: 201 },
    { name: 'give the seagull a pdf as a poster', method: 'POST', path: '/api/shows/1/poster', form: () => posterForm('seagull.pdf', 'application/pdf', '%PDF-1.4'), status: 415 },
    { name: 'download the poster', method: 'GET', path: '/api/shows/1/poster', status: 200 },
    { name: 'add a show', method: 'POST', path: '/api/shows', json: vanya, save: { vanyaId: 'show.id' }, status: 201 },
    { name: 'add a show without a price', method: 'POST', path: '/api/shows', json: { title: 'Mystery', startsAt: '2027-06-01T19:00:00Z', seats: 10 }, status: 400 },
    buyTwoSeagullTickets,
    { ...buyTwoSeagullTickets, name: 'buy the same two seagull tickets again', save: undefined },
    { name: 'buy a ticket without a key', method: 'POST', path: '/api/checkout', json: { showId: 1 }, status: 400 },
    { name: 'buy five twelfth night tickets', method: 'POST', path: '/api/checkout', headers: key('twelfth-1'), json: { showId: 2, quantity: 5 }, status: 409 },
    { name: 'buy a ticket of a type that is not there', method: 'POST', path: '/api/checkout', headers: key('twelfth-2'), json: { showId: 2, ticketType: 'balcony' }, status: 400 },
    { name: 'buy a ticket for a show that is not there', method: 'POST', path: '/api/checkout', headers: key('nothing-1'), json: { showId: 99 }, status: 404 },
    { name: 'buy the last twelfth night tickets', method: 'POST', path: '/api/checkout', headers: key('twelfth-3'), json: { showId: 2, quantity: 4, ticketType: 'concession' }, afterReplicaCatchesUp: true, status: 201 },
    { name: 'show twelfth night', method: 'GET', path: '/api/shows/2', status: 200 },
    { name: 'my orders', method: 'GET', path: '/api/orders', afterReplicaCatchesUp: true, status: 200 },
    takings,
    { name: 'the takings without a login', method: 'GET', path: '/api/takings', client: 'mobile', status: 401 },
    { name: 'list the shows at the end', method: 'GET', path: '/api/shows', afterReplicaCatchesUp: true, status: 200 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  normalise: [],
  differencesAfterFix: [
    'POST /api/checkout answers with my orders including the one it just placed (the read goes to the primary); before, the standby had not replayed the insert and the list lacked it. A retry with the same key answers the first reply again, so it changes with it',
  ],
  stepsAFixMayChange: ['buy two seagull tickets', 'buy the same two seagull tickets again', 'buy the last twelfth night tickets'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
  ],
  // A patron of their own on each instance (not the manager: the first account is).
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Record<string, string>) => ({ name: `Patron ${v.instance}`, email: `patron-${v.instance}@example.test`, password: 'matinee-2024' }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Record<string, string>) => ({ email: `patron-${v.instance}@example.test`, password: 'matinee-2024' }), status: 200 },
  ],
  // The manager (the shared client, logged in through instance 0) changes shows and reads the
  // takings; each instance's own patron buys the tickets counted there.
  scaleOut: [
    { name: 'the manager logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a price changed through one instance reads the same on every instance',
      kind: 'read-after-write',
      steps: [
        // Every instance has the show in its cache first.
        { step: 'show the seagull', via: 'every', expect: valueAt('show.priceCents', () => 2400) },
        { step: { name: 'change the price of the seagull to 30', method: 'PATCH', path: '/api/shows/1', json: { priceCents: 3000 }, status: 200 }, via: 0, jar: 'shared' },
        { step: 'show the seagull after the price change', via: 'every', expect: valueAt('show.priceCents', () => 3000) },
      ],
    },
    {
      name: 'a poster uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'give the seagull a poster', via: 0, jar: 'shared' },
        { step: 'download the poster', via: 'every', expect: bodyIs(poster) },
      ],
    },
    {
      name: 'a checkout answers with the order among my orders',
      kind: 'read-after-write',
      steps: [
        {
          step: { name: 'buy a seagull ticket here', method: 'POST', path: '/api/checkout', headers: (v) => key(`here-${v.instance}`), json: { showId: 1 }, save: { hereOrderId: 'order.id' }, status: 201 },
          via: 'every',
          expect: listsSaved('myOrders', 'id', 'hereOrderId'),
        },
      ],
    },
    {
      name: 'tickets sold through three instances add up in the takings',
      kind: 'counter',
      // One ticket per instance on top of whatever the takings held before.
      steps: [
        { step: { ...takings, name: 'the takings before', save: { ticketsBefore: 'ticketsSold' } }, via: 1, jar: 'shared' },
        { step: { name: 'buy a seagull ticket to count', method: 'POST', path: '/api/checkout', headers: (v) => key(`count-${v.instance}`), json: { showId: 1 }, status: 201 }, via: 'every' },
        { step: { ...takings, save: { ticketsCounted: 'ticketsSold' } }, via: 1, jar: 'shared', expect: valueAt('ticketsSold', (v) => Number(v.ticketsBefore) + 3) },
      ],
    },
    {
      name: 'a checkout retried through another instance sells the tickets once',
      kind: 'counter',
      steps: [
        { step: { name: 'buy two twelfth night tickets', method: 'POST', path: '/api/checkout', headers: key('retry-1'), json: { showId: 2, quantity: 2 }, save: { retryOrderId: 'order.id' }, status: 201 }, via: 0, jar: 'shared' },
        {
          step: { name: 'retry the twelfth night tickets', method: 'POST', path: '/api/checkout', headers: key('retry-1'), json: { showId: 2, quantity: 2 }, status: 201 },
          via: 1,
          jar: 'shared',
          expect: valueAt('order.id', (v) => Number(v.retryOrderId)),
        },
        { step: { name: 'show twelfth night after the retry', method: 'GET', path: '/api/shows/2', status: 200 }, via: 'every', expect: valueAt('show.seatsLeft', () => 2) },
      ],
    },
    {
      name: 'wrong passwords through three instances add up to the login limit',
      kind: 'counter',
      steps: [
        { step: wrongPassword, via: 'every' },
        { step: wrongPassword, via: 0 },
        { step: wrongPassword, via: 1 },
        { step: { ...wrongPassword, name: 'a sixth wrong password', status: 429 }, via: 2 },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance she logged in through is killed, the manager is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the poster still downloads', kind: 'killed', steps: [{ step: 'download the poster', via: 'every', expect: bodyIs(poster) }] },
    {
      name: 'after an instance that counted tickets is killed, its tickets are still in the takings',
      kind: 'killed',
      // The count the takings check ended on and the 2 twelfth night tickets, sold through instance 0 among others.
      steps: [{ step: takings, via: 'every', jar: 'shared', expect: valueAt('ticketsSold', (v) => Number(v.ticketsCounted) + 2) }],
    },
    {
      name: 'after the instance a checkout went through is killed, its retry still answers the same order',
      kind: 'killed',
      steps: [
        {
          step: { name: 'retry the twelfth night tickets after the kill', method: 'POST', path: '/api/checkout', headers: key('retry-1'), json: { showId: 2, quantity: 2 }, status: 201 },
          via: 'every',
          jar: 'shared',
          expect: valueAt('order.id', (v) => Number(v.retryOrderId)),
        },
      ],
    },
    {
      name: 'after an instance that counted wrong passwords is killed, the login limit still holds',
      kind: 'killed',
      steps: [{ step: { ...wrongPassword, name: 'a wrong password after the kill', status: 429 }, via: 'every' }],
    },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/server.js:21', code: 'app.use(session({', note: 'express-session with no store: its default MemoryStore keeps every session (and so every passport login) in this process' },
    { kind: 'session', at: 'src/lib/showCache.js:2', code: 'export const showCache = new Map();', note: 'a Map of show rows, set on read (routes/shows.js:38), deleted on a change or a sale only in the process that made it' },
    { kind: 'session', at: 'src/lib/live.js:7', code: "io = new Server(server, { path: '/live' });", note: 'socket.io rooms per show with no adapter: a seat count published through one process reaches only the pages connected to it' },
    { kind: 'session', at: 'src/routes/orders.js:24', code: 'const completedCheckouts = new Map();', note: 'the Idempotency-Key replies, per process: a retry through another instance sells the tickets again' },
    { kind: 'counter', at: 'src/routes/orders.js:13', code: 'let ticketsSold = 0;', note: "the manager's takings counted per process, reset by the nightly job" },
    { kind: 'counter', at: 'src/routes/orders.js:14', code: 'let revenueCents = 0;', note: 'the same for the money' },
    { kind: 'counter', at: 'src/auth.js:59', code: 'const loginLimiter = rateLimit({', note: "express-rate-limit with its default memory store: five wrong passwords per process, not per address" },
    { kind: 'counter', at: 'src/lib/mailQueue.js:7', code: 'const queue = [];', note: 'an in-process mail queue: the confirmations of a process that dies before its worker drains are lost (no rule finds it yet; the nightly job that fills it stays in the web process behind a per-tick lock)' },
    { kind: 'scheduler', at: 'src/jobs.js:20', code: "schedule.scheduleJob('30 2 * * *', () => {", note: 'node-schedule: the nightly close (shows off sale, the takings mailed to the manager) run by every process' },
    { kind: 'scheduler', at: 'src/jobs.js:24', code: "schedule.scheduleJob('*/10 * * * *', () => showCache.clear());", note: "clears this process's show cache only" },
    { kind: 'disk', at: 'src/routes/shows.js:84', code: 'await fs.promises.writeFile(path.join(config.uploadDir, fileName), req.file.buffer);', note: 'multer memoryStorage, then the poster written into the local upload folder' },
    { kind: 'disk', at: 'src/routes/shows.js:93', code: 'const bytes = await fs.promises.readFile(path.join(config.uploadDir, show.poster));', note: 'and another route reads it back from there' },
    { kind: 'blocking', at: 'src/auth.js:13', code: "const key = crypto.pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');", note: 'pbkdf2Sync with 600,000 iterations on signup' },
    { kind: 'blocking', at: 'src/auth.js:19', code: "const key = crypto.pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');", note: 'and on every login, inside the passport-local strategy' },
    { kind: 'replica', at: 'src/routes/orders.js:84', code: 'const myOrders = await ordersOf(req.user.id);', note: "the buyer's orders re-read from the second Sequelize instance (the standby, orders.js:39) right after the checkout's insert on the primary" },
    { kind: 'look-alike', at: 'src/routes/orders.js:91', code: 'res.json({ orders: await ordersOf(req.user.id) });', note: 'the same replica read with no write before it' },
    { kind: 'look-alike', at: 'src/routes/shows.js:45', code: 'const rows = await replica.query(', note: 'the listing read from the standby, no write before it' },
    { kind: 'look-alike', at: 'src/lib/ticketTypes.js:2', code: 'export const TICKET_TYPES = Object.freeze({', note: 'constant table of ticket types' },
    { kind: 'look-alike', at: 'src/config.js:8', code: "const venue = JSON.parse(readFileSync(path.join(here, 'venue.json'), 'utf8'));", note: 'venue.json read once at start-up' },
    { kind: 'look-alike', at: 'src/lib/venue.js:4', code: 'let settings;', note: 'the venue settings worked out the first time they are asked for, never changed by a request' },
    { kind: 'look-alike', at: 'src/routes/orders.js:29', code: 'timer = setTimeout(', note: "a per-request timeout around the checkout's transaction, cleared when it settles" },
    { kind: 'look-alike', at: 'src/lib/mailQueue.js:32', code: 'setInterval(drain, 2000);', note: "the queue's worker: every instance drains the mail it queued itself, once; a leader lock would leave the other instances' mail waiting (the queue itself is the hazard, mailQueue.js:7)" },
    { kind: 'look-alike', at: 'src/server.js:16', code: 'mkdirSync(config.uploadDir, { recursive: true });', note: 'sync mkdir at start-up' },
  ],
};

export default scenario;
