// Bakery pre-orders' scripted client: the first customer signs up (and so is the baker), logs in
// (@fastify/session), looks at the cardamom buns twice (an lru-cache of product rows), changes their
// price, gives them a photo (@fastify/multipart, to the local folder) and downloads it, adds a stollen,
// reserves buns (an async-mutex around the stock, a pickup number, an awaited confirmation e-mail,
// the open orders read back from the standby), pays, reserves and cancels a loaf, hits the
// orders-per-hour limit, reads the kitchen's ticket feed (an EventEmitter with a catch-up buffer),
// logs out. A Fastify 4 app in plain ESM JavaScript with @fastify/postgres on the primary and the
// standby, no build.
import type { Scenario, Step } from '../harness';
import { bodyIs, listsSaved, valueAt } from '../checks';

const baker = { email: 'hannah@crumb.example.test', name: 'Hannah', password: 'levain-2019' };
const photo = 'PNG pretend photo of cardamom buns\n';
const stollen = { name: 'Stollen', priceCents: 1450, stock: 2, allergens: ['GLU', 'NUT', 'MLK'] };

function photoForm(name: string, type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('photo', new Blob([bytes], { type }), name);
  return form;
}

const wrongPassword: Step = { name: 'login with a wrong password', method: 'POST', path: '/api/login', json: { ...baker, password: 'poolish-2020' }, status: 401 };
const orderALoaf: Step = { name: 'reserve a sourdough loaf', method: 'POST', path: '/api/orders', json: { productId: 1, quantity: 1 }, save: { loafOrderId: 'order.id' }, afterReplicaCatchesUp: true, status: 201 };
const kitchenTickets: Step = { name: 'the kitchen tickets', method: 'GET', path: '/api/kitchen/tickets', status: 200 };

/** Each order the replies make has a pickup number no earlier reply of this check had (orders placed through several instances). */
function newPickupNumber(): (body: unknown) => string | undefined {
  const seen = new Set<number>();
  return (body) => {
    const pickup = (body as { order?: { pickupNumber: number } }).order?.pickupNumber;
    if (pickup === undefined || seen.has(pickup)) return `pickup number ${pickup} was given out already (${[...seen].join(', ')})`;
    seen.add(pickup);
    return undefined;
  };
}

const scenario: Scenario = {
  app: 'bakery-preorders',
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'list the products', method: 'GET', path: '/api/products', status: 200 },
    { name: 'me before login', method: 'GET', path: '/api/me', status: 401 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: baker, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: baker, status: 409 },
    { name: 'signup without a password', method: 'POST', path: '/api/signup', json: { email: 'x@example.test', name: 'X' }, status: 400 },
    wrongPassword,
    { name: 'login', method: 'POST', path: '/api/login', json: baker, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    { name: 'show the buns', method: 'GET', path: '/api/products/2', status: 200 },
    { name: 'show the buns again', method: 'GET', path: '/api/products/2', status: 200 },
    { name: 'show a product that is not there', method: 'GET', path: '/api/products/99', status: 404 },
    { name: 'change the price of the buns', method: 'PATCH', path: '/api/products/2', json: { priceCents: 350 }, status: 200 },
    { name: 'show the buns after the price change', method: 'GET', path: '/api/products/2', status: 200 },
    { name: 'give the buns a photo', method: 'POST', path: '/api/products/2/photo', form: () => photoForm('buns.png', 'image/png', photo), status: 201 },
    { name: 'give the buns a pdf as a photo', method: 'POST', path: '/api/products/2/photo', form: () => photoForm('buns.pdf', 'application/pdf', '%PDF-1.4'), status: 415 },
    { name: 'download the photo', method: 'GET', path: '/api/products/2/photo', status: 200 },
    { name: 'add a stollen', method: 'POST', path: '/api/products', json: stollen, save: { stollenId: 'product.id' }, status: 201 },
    { name: 'add a product without a price', method: 'POST', path: '/api/products', json: { name: 'Mystery' }, status: 400 },
    { name: 'reserve two buns', method: 'POST', path: '/api/orders', json: { productId: 2, quantity: 2 }, save: { bunOrderId: 'order.id' }, status: 201 },
    { name: 'reserve two more buns', method: 'POST', path: '/api/orders', json: { productId: 2, quantity: 2 }, status: 409 },
    { name: 'reserve a product that is not there', method: 'POST', path: '/api/orders', json: { productId: 99 }, status: 404 },
    { name: 'reserve half a bun', method: 'POST', path: '/api/orders', json: { productId: 2, quantity: 0.5 }, status: 400 },
    { name: 'show the buns after the reservation', method: 'GET', path: '/api/products/2', status: 200 },
    { name: 'my orders', method: 'GET', path: '/api/orders', status: 200 },
    { name: 'pay for the buns', method: 'POST', path: (v) => `/api/orders/${v.bunOrderId}/pay`, status: 200 },
    { name: 'pay for the buns again', method: 'POST', path: (v) => `/api/orders/${v.bunOrderId}/pay`, status: 409 },
    orderALoaf,
    { name: 'cancel the loaf', method: 'POST', path: (v) => `/api/orders/${v.loafOrderId}/cancel`, status: 200 },
    { name: 'cancel the paid buns', method: 'POST', path: (v) => `/api/orders/${v.bunOrderId}/cancel`, status: 409 },
    { name: 'reserve the stollen', method: 'POST', path: '/api/orders', json: (v) => ({ productId: Number(v.stollenId), quantity: 2 }), afterReplicaCatchesUp: true, status: 201 },
    { name: 'a fourth order within the hour', method: 'POST', path: '/api/orders', json: { productId: 3 }, status: 429 },
    { name: 'list the products at the end', method: 'GET', path: '/api/products', status: 200 },
    kitchenTickets,
    { name: 'the kitchen tickets without a login', method: 'GET', path: '/api/kitchen/tickets', client: 'mobile', status: 401 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  normalise: [],
  differencesAfterFix: [
    'POST /api/orders answers with the open orders including the one it just placed (the read goes to the primary); before, the standby had not replayed the insert and the list lacked it',
  ],
  stepsAFixMayChange: ['reserve two buns', 'reserve a sourdough loaf', 'reserve the stollen'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
  ],
  // A customer of their own on each instance (not the baker: the first account is).
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Record<string, string>) => ({ name: `Customer ${v.instance}`, email: `customer-${v.instance}@example.test`, password: 'brioche-2021' }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Record<string, string>) => ({ email: `customer-${v.instance}@example.test`, password: 'brioche-2021' }), status: 200 },
  ],
  // The baker (the shared client, logged in through instance 0) changes the shop and places the
  // orders of the limit check; each instance's own customer places the other orders.
  scaleOut: [
    { name: 'the baker logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a price changed through one instance reads the same on every instance',
      kind: 'read-after-write',
      steps: [
        { step: { name: 'show the rye', method: 'GET', path: '/api/products/3', status: 200 }, via: 'every', expect: valueAt('product.priceCents', () => 480) },
        { step: { name: 'change the price of the rye', method: 'PATCH', path: '/api/products/3', json: { priceCents: 520 }, status: 200 }, via: 0, jar: 'shared' },
        { step: { name: 'show the rye after the price change', method: 'GET', path: '/api/products/3', status: 200 }, via: 'every', expect: valueAt('product.priceCents', () => 520) },
      ],
    },
    {
      name: 'the last stollen reserved through one instance is sold out on every instance',
      kind: 'read-after-write',
      steps: [
        { step: 'add a stollen', via: 0, jar: 'shared' },
        { step: { name: 'show the stollen', method: 'GET', path: (v) => `/api/products/${v.stollenId}`, status: 200 }, via: 'every', jar: 'shared', expect: valueAt('product.stock', () => 2) },
        { step: 'reserve the stollen', via: 1, jar: 'shared' },
        { step: { name: 'show the sold-out stollen', method: 'GET', path: (v) => `/api/products/${v.stollenId}`, status: 200 }, via: 'every', jar: 'shared', expect: valueAt('product.soldOut', () => true) },
        { step: { name: 'reserve a stollen that is sold out', method: 'POST', path: '/api/orders', json: (v) => ({ productId: Number(v.stollenId), quantity: 1 }), status: 409 }, via: 2, jar: 'shared' },
      ],
    },
    {
      name: 'an order placed through one instance is in the open orders it answers with',
      kind: 'read-after-write',
      steps: [{ step: { ...orderALoaf, name: 'reserve a loaf here' }, via: 'every', expect: listsSaved('openOrders', 'id', 'loafOrderId') }],
    },
    {
      name: 'an order placed through one instance reaches the kitchen screen of every instance',
      kind: 'read-after-write',
      steps: [
        { step: { ...orderALoaf, name: 'reserve a loaf for the kitchen', save: { kitchenOrderId: 'order.id' } }, via: 2 },
        { step: kitchenTickets, via: 'every', jar: 'shared', expect: listsSaved('tickets', 'orderId', 'kitchenOrderId') },
      ],
    },
    {
      name: 'a photo uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'give the buns a photo', via: 0, jar: 'shared' },
        { step: 'download the photo', via: 'every', expect: bodyIs(photo) },
      ],
    },
    {
      name: 'orders placed through three instances each get a pickup number of their own',
      kind: 'counter',
      steps: [{ step: { ...orderALoaf, name: 'reserve a loaf for a pickup number' }, via: 'every', expect: newPickupNumber() }],
    },
    {
      name: 'orders placed through three instances add up to the hourly limit',
      kind: 'counter',
      // The baker's only orders: two here and the stollen above make three.
      steps: [
        { step: { ...orderALoaf, name: 'the baker reserves a loaf' }, via: 0, jar: 'shared' },
        { step: { ...orderALoaf, name: 'the baker reserves another loaf' }, via: 2, jar: 'shared' },
        { step: { ...orderALoaf, name: 'the baker reserves one loaf too many', status: 429 }, via: 1, jar: 'shared' },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance she logged in through is killed, the baker is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the photo still downloads', kind: 'killed', steps: [{ step: 'download the photo', via: 'every', expect: bodyIs(photo) }] },
    {
      name: 'after an instance that counted her orders is killed, the hourly limit still holds',
      kind: 'killed',
      steps: [{ step: { ...orderALoaf, name: 'the baker reserves a loaf after the kill', status: 429 }, via: 'every', jar: 'shared' }],
    },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/plugins/auth.js:19', code: 'await fastify.register(fastifySession, {', note: "@fastify/session with no store: its default MemoryStore keeps every session in this process" },
    { kind: 'session', at: 'src/lib/productCache.js:4', code: 'export const productCache = new LRUCache({ max: 500, ttl: 10 * 60 * 1000 });', note: 'an lru-cache of product rows: set on read and after a reservation (routes/orders.js:56), deleted on a change only in the process that made it' },
    { kind: 'session', at: 'src/lib/kitchen.js:4', code: 'export const kitchen = new EventEmitter();', note: 'the kitchen screen (SSE, routes/kitchen.js:12) hears only the orders placed through its own process' },
    { kind: 'session', at: 'src/lib/kitchen.js:8', code: 'const recent = [];', note: "the kitchen's catch-up buffer of tickets, per process" },
    { kind: 'counter', at: 'src/routes/orders.js:10', code: 'const stockLock = new Mutex();', note: 'an async-mutex around the stock check and decrement: one reservation at a time per process only' },
    { kind: 'counter', at: 'src/routes/orders.js:13', code: 'let pickupNumber = 0;', note: 'pickup numbers minted per process, reset at midnight by a cron job' },
    { kind: 'counter', at: 'src/routes/orders.js:19', code: 'const recentOrders = new Map();', note: 'orders per customer in the last hour, per process (the orders-per-hour limit)' },
    { kind: 'scheduler', at: 'src/jobs.js:33', code: 'setInterval(() => {', note: 'unpaid orders expired and their stock put back every minute, by every process (stock restored once per process)' },
    { kind: 'scheduler', at: 'src/jobs.js:37', code: "cron.schedule('0 18 * * *', () => {", note: "the evening bake list mailed to the baker by every process" },
    { kind: 'scheduler', at: 'src/jobs.js:41', code: "cron.schedule('0 0 * * *', () => resetPickupNumbers());", note: 'pickup numbers reset at midnight, per process' },
    { kind: 'disk', at: 'src/routes/products.js:81', code: 'await pipeline(data.file, createWriteStream(path.join(config.uploadDir, fileName)));', note: '@fastify/multipart: the photo streamed into the local upload folder' },
    { kind: 'disk', at: 'src/routes/products.js:91', code: 'const bytes = await readFile(path.join(config.uploadDir, product.photo));', note: 'and another route reads it back from there' },
    { kind: 'blocking', at: 'src/plugins/auth.js:8', code: 'const hash = crypto.scryptSync(password, salt, 64).toString', note: 'scryptSync on signup and on every login' },
    { kind: 'blocking', at: 'src/routes/orders.js:70', code: 'await orderConfirmation(request.customer, result.product, result.order, await pickupWindow());', note: 'the confirmation e-mail sent while the customer waits (lib/mailer.js:16)' },
    { kind: 'replica', at: 'src/routes/orders.js:72', code: 'const { rows: mine } = await fastify.pg.replica.query(', note: "@fastify/postgres's named 'replica' pool: the open orders re-read from the standby right after the insert on the primary" },
    { kind: 'look-alike', at: 'src/lib/allergens.js:2', code: 'export const ALLERGENS = Object.freeze({', note: 'constant table of allergen codes' },
    { kind: 'look-alike', at: 'src/config.js:8', code: 'const shop = JSON.parse(readFileSync(', note: 'shop.json read once at start-up' },
    { kind: 'look-alike', at: 'src/lib/hours.js:7', code: 'let cached;', note: 'the pickup window read from shop.json the first time it is asked for, never changed by a request' },
    { kind: 'look-alike', at: 'src/lib/mailer.js:9', code: 'timer = setTimeout(', note: 'a per-request timeout around the mail server, cleared when it answers' },
    { kind: 'look-alike', at: 'src/server.js:13', code: 'mkdirSync(config.uploadDir, { recursive: true });', note: 'sync mkdir at start-up' },
  ],
};

export default scenario;
