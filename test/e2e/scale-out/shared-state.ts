// The checks of issue 12, run against a cluster: scheduled jobs, socket.io broadcasts, the checkout
// lock and the product cache. Like scenario.ts it measures and does not assert: the test decides
// what "before fixes" (each instance on its own) and "after fixes" (Redis) must look like.
import { createHmac } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { ShopClient, type Reply } from './client';
import { DEMO_USER } from './scenario';
import type { ManagedProcess } from './processes';

/** How often the jobs run in the e2e (the app's defaults are 06:00 daily and every minute). */
export const JOB_SCHEDULE_ENV = { DAILY_REPORT_CRON: '*/2 * * * * *', CART_EXPIRY_INTERVAL_MS: '1000' };
const REPORT_EVERY_MS = 2000;
const EXPIRY_EVERY_MS = 1000;

/** The example's development JWT secret (config/shop.json); instances get no JWT_SECRET in the e2e. */
const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me';

export interface SharedStateOptions {
  /** Each instance directly, in instance order. */
  instanceUrls: string[];
  /** Every process that may run a job: the instances, and the queue worker after the fixes. */
  processes: ManagedProcess[];
  /** How long to watch the jobs. */
  jobWindowMs?: number;
  lockPairs?: number;
  cacheProductId?: number;
}

export interface SharedStateResult {
  /** Runs of each job per process (by process name) during the window, and the ticks in it. */
  jobs: { windowMs: number; reportTicks: number; expiryTicks: number; reportRuns: Record<string, number>; expiryRuns: Record<string, number> };
  /** Browser tabs (one per instance) watching an order, and how many got its status push. */
  broadcast: { orderId?: number; placedStatus: number; watchers: number; received: number };
  /** Pairs of simultaneous checkouts by one customer through two instances: how many both passed the lock (no 409), how many one was turned away. */
  lock: { pairs: number; bothTaken: number; excluded: number; statuses: number[][] };
  /** A price changed through one instance, then read through every instance. */
  cache: { updateStatus: number; instances: number; fresh: number; prices: number[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** An HS256 JWT like the example's scripts/admin-token.ts prints. */
export function adminToken(secret = DEV_JWT_SECRET): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: 'admin', role: 'admin', iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

async function loggedIn(url: string): Promise<ShopClient> {
  const client = new ShopClient(url);
  const reply = await client.request('POST', '/login', { json: DEMO_USER });
  if (reply.status !== 200) throw new Error(`login on ${url} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return client;
}

function count(output: string, marker: string): number {
  return output.split('\n').filter((line) => line.includes(marker)).length;
}

export async function runSharedStateChecks(options: SharedStateOptions): Promise<SharedStateResult> {
  const { instanceUrls, processes, jobWindowMs = 8000, lockPairs = 3, cacheProductId = 5 } = options;

  // 1. Jobs: count the runs each process logs over a window (each run of either job logs a line).
  const windowOutput = processes.map(() => '');
  const listeners = processes.map((proc, index) => {
    const listen = (chunk: Buffer) => {
      windowOutput[index] += chunk.toString('utf8');
    };
    proc.child.stdout?.on('data', listen);
    return listen;
  });
  await sleep(jobWindowMs);
  const reportRuns: Record<string, number> = {};
  const expiryRuns: Record<string, number> = {};
  processes.forEach((proc, index) => {
    proc.child.stdout?.off('data', listeners[index]);
    reportRuns[proc.name] = count(windowOutput[index], '[mail] ops report');
    expiryRuns[proc.name] = count(windowOutput[index], '[jobs] cart expiry:');
  });
  const jobs = { windowMs: jobWindowMs, reportTicks: Math.floor(jobWindowMs / REPORT_EVERY_MS), expiryTicks: Math.floor(jobWindowMs / EXPIRY_EVERY_MS), reportRuns, expiryRuns };

  // 2. Broadcast: a tab on each instance watches the next order; the order is placed through one instance.
  const customer = await loggedIn(instanceUrls[0]);
  const listed = await customer.request('GET', '/orders');
  const ids = isRecord(listed.body) && Array.isArray(listed.body.orders) ? listed.body.orders.filter(isRecord).map((order) => Number(order.id)) : [];
  const next = Math.max(0, ...ids) + 1;
  // Order ids come from one sequence: watch a few, in case another customer's order takes the next.
  const watched = [next, next + 1, next + 2];
  const sockets: Socket[] = [];
  const heard: Set<number>[] = [];
  let broadcast: SharedStateResult['broadcast'];
  try {
    for (const url of instanceUrls) {
      const socket = io(url, { transports: ['websocket'], reconnection: false, timeout: 5000 });
      const got = new Set<number>();
      socket.on('order-status', (event: unknown) => {
        if (isRecord(event) && typeof event.orderId === 'number') got.add(event.orderId);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      for (const orderId of watched) socket.emit('watch-order', orderId);
      sockets.push(socket);
      heard.push(got);
    }
    // The rooms are joined on the server once it has read the events: give it a moment.
    await sleep(300);
    const placed = await customer.request('POST', '/orders', { json: { items: [{ productId: 1, quantity: 1 }], shipping: 'standard' } });
    const orderId = isRecord(placed.body) && typeof placed.body.id === 'number' ? placed.body.id : undefined;
    await sleep(1000);
    broadcast = { orderId, placedStatus: placed.status, watchers: sockets.length, received: orderId === undefined ? 0 : heard.filter((got) => got.has(orderId)).length };
  } finally {
    for (const socket of sockets) socket.close();
  }

  // 3. Lock: one customer's two checkouts at the same moment, through two instances.
  const [first, second] = await Promise.all([loggedIn(instanceUrls[0]), loggedIn(instanceUrls[1 % instanceUrls.length])]);
  const statuses: number[][] = [];
  for (let pair = 0; pair < lockPairs; pair++) {
    const order = { json: { items: [{ productId: 2, quantity: 1 }], shipping: 'standard' } };
    const replies: Reply[] = await Promise.all([first.request('POST', '/orders', order), second.request('POST', '/orders', order)]);
    statuses.push(replies.map((reply) => reply.status));
  }
  const lock = {
    pairs: lockPairs,
    bothTaken: statuses.filter((pair) => !pair.includes(409)).length,
    excluded: statuses.filter((pair) => [...pair].sort().join() === '201,409').length,
    statuses,
  };

  // 4. Cache: every instance shows the product (and keeps it), the price changes through the first.
  const browsers = instanceUrls.map((url) => new ShopClient(url));
  for (const browser of browsers) await browser.request('GET', `/products/${cacheProductId}`);
  const price = 10_000 + Math.floor(Math.random() * 80_000);
  const updated = await browsers[0].request('PUT', `/products/${cacheProductId}`, { json: { priceCents: price }, headers: { authorization: `Bearer ${adminToken()}` } });
  const prices: number[] = [];
  for (const browser of browsers) {
    const reply = await browser.request('GET', `/products/${cacheProductId}`);
    prices.push(isRecord(reply.body) ? Number(reply.body.priceCents) : Number.NaN);
  }
  const cache = { updateStatus: updated.status, instances: browsers.length, fresh: prices.filter((seen) => seen === price).length, prices };

  return { jobs, broadcast, lock, cache };
}
