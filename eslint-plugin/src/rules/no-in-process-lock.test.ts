import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-in-process-lock';
import { sfuServer } from '../testing/sfu-server';

type Options = StatelessRuleOptions<'no-in-process-lock'>;
type MessageIds = 'lockInProcess' | 'lockLibraryInProcess';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts. Routes are named by the path of their
// file relative to the project root (the nearest package.json).

/** Cases that need no file name: run untyped and typed, which must agree within one file. */
const sameFileInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: "an SFU's AwaitQueue (awaitqueue) around room creation, pushed to by protoo's connection requests and an Express param callback: one task at a time in this process only",
    code: sfuServer(),
    errors: [{ messageId: 'lockLibraryInProcess', line: 29, column: 15 }],
  },
  {
    name: 'the same set holding names the request asks for: two instances may hold the same name at once',
    code: `
import express from 'express';
import { db } from './db';

const onHold = new Set<string>();

async function uniqueName(wanted: string): Promise<string | undefined> {
  for (let i = 0; i < 3; i++) {
    const name = \`\${wanted}-\${i}\`;
    if (onHold.has(name)) continue;
    onHold.add(name);
    if (await db.files.exists(name)) {
      onHold.delete(name);
      continue;
    }
    return name;
  }
  return undefined;
}

const app = express();
app.post('/uploads', async (_req, res) => {
  const name = await uniqueName(String(_req.body.name));
  res.once('finish', () => onHold.delete(name ?? ''));
  res.json({ name });
});
`,
    errors: [{ messageId: 'lockInProcess', line: 5, column: 7, endColumn: 13, data: { name: 'onHold', route: `POST /uploads (${file}:22)` } }],
  },
  {
    name: 'a map of zip generations hung on a module object after its literal: the lock is the map, reported where it is hung',
    code: `
import express from 'express';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { EventEmitter } from 'node:events';

const self: Record<string, any> = {
  titleMaxLength: 70,
};

self.zipEmitters = new Map<string, EventEmitter>();

const app = express();
app.get('/album/zip/:id', async (req, res) => {
  const id = req.params.id;
  if (self.zipEmitters.has(id)) {
    self.zipEmitters.get(id).once('done', () => res.sendFile(path.resolve('zips', id + '.zip')));
    return;
  }
  self.zipEmitters.set(id, new EventEmitter());
  await writeFile(path.join('zips', id + '.zip'), req.body);
  self.zipEmitters.get(id).emit('done');
  self.zipEmitters.delete(id);
  res.sendFile(path.resolve('zips', id + '.zip'));
});
`,
    errors: [{ messageId: 'lockInProcess', line: 11, column: 6, endColumn: 17, data: { name: 'zipEmitters', route: `GET /album/zip/:id (${file}:14)` } }],
  },
  {
    name: 'the same registry of mutexes handed a request’s account id through the helpers: a lock per account, not per local file',
    code: `
import express from 'express';
import path from 'node:path';
import { appendFile } from 'node:fs/promises';
import { Mutex } from 'async-mutex';

const held = new Map<string, Mutex>();

function mutexFor(file: string): Mutex {
  let mutex = held.get(file);
  if (!mutex) {
    mutex = new Mutex();
    held.set(file, mutex);
  }
  return mutex;
}

async function inTurn<T>(file: string, work: () => Promise<T>): Promise<T> {
  const mutex = mutexFor(file);
  const release = await mutex.acquire();
  try {
    return await work();
  } finally {
    release();
    if (!mutex.isLocked()) held.delete(file);
  }
}

function appendChunk(target: string, body: Buffer) {
  return inTurn(target, () => appendFile(target, body));
}

const app = express();
app.post('/uploads/:account/:name', express.raw(), async (req, res) => {
  const file = path.join('/var/chunks', req.params.name);
  await appendChunk(req.params.account, req.body);
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'lockInProcess', line: 7, column: 7, endColumn: 11, data: { name: 'held', route: `POST /uploads/:account/:name (${file}:34)` } }],
  },
  {
    name: 'a hold per path refused while taken (423) and let go by UNLOCK or by a timer armed as it is taken: a lease, not a cache whose entries expire',
    code: `
import express from 'express';
import { randomUUID } from 'node:crypto';

const locks = new Map<string, { token: string; timeout: NodeJS.Timeout }>();

function release(path: string): void {
  const lock = locks.get(path);
  if (lock) clearTimeout(lock.timeout);
  locks.delete(path);
}

const app = express();
app.post('/lock/:path', (req, res) => {
  const path = req.params.path;
  if (locks.has(path)) return res.sendStatus(423);
  const token = randomUUID();
  const timeout = setTimeout(() => release(path), 60_000);
  locks.set(path, { token, timeout });
  res.json({ token });
});
`,
    errors: [{ messageId: 'lockInProcess', line: 5, column: 7, endColumn: 12, data: { name: 'locks', route: `POST /lock/:path (${file}:14)` } }],
  },
  {
    name: 'Express: a busy flag checked and taken in one condition and given back in a finally guards the export in this process only',
    code: `
import express from 'express';
import { exportOrders } from './exports';

let exportRunning = false;
const app = express();
app.post('/exports', async (_req, res) => {
  if (!exportRunning) {
    exportRunning = true;
    try {
      await exportOrders();
    } finally {
      exportRunning = false;
    }
  }
  res.sendStatus(202);
});
`,
    errors: [{ messageId: 'lockInProcess', line: 5, column: 5, endColumn: 18, data: { name: 'exportRunning', route: `POST /exports (${file}:7)` } }],
  },
  {
    name: 'look-alike of a health probe: the same re-entry flag around a re-index of the search cluster guards shared work',
    code: `
import express from 'express';
import { searchClient } from './search';

class SearchHealth {
  private probing = false;
  healthy = true;

  async probe() {
    if (this.probing) return;
    this.probing = true;
    try {
      await searchClient.reindexAll();
      this.healthy = true;
    } catch {
      this.healthy = false;
    } finally {
      this.probing = false;
    }
  }
}

const searchHealth = new SearchHealth();
const app = express();
app.get('/search', async (req, res) => {
  if (!searchHealth.healthy) await searchHealth.probe();
  res.json(searchHealth.healthy ? await searchClient.query(String(req.query.q)) : []);
});
`,
    errors: [{ messageId: 'lockInProcess', line: 6, column: 11, endColumn: 18, data: { name: 'probing', route: `GET /search (${file}:25)` } }],
  },
  {
    name: 'Express: a promise chain per account, each deposit started after the one before it, orders deposits only in this process',
    code: `
import express from 'express';
import { db } from './db';

const tails = new Map<string, Promise<unknown>>();

function inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
  const next = (tails.get(key) ?? Promise.resolve()).then(task, task);
  tails.set(key, next);
  return next.finally(() => {
    if (tails.get(key) === next) tails.delete(key);
  });
}

const app = express();
app.post('/accounts/:id/deposits', async (req, res) => {
  await inTurn(req.params.id, async () => {
    const account = await db.accounts.findOne(req.params.id);
    await db.accounts.update(req.params.id, { balance: account.balance + Number(req.body.amount) });
  });
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'lockInProcess', line: 5, column: 7, endColumn: 12, data: { name: 'tails', route: `POST /accounts/:id/deposits (${file}:16)` } }],
  },
  {
    name: 'look-alike of a throttled refresh: the throttled function sends mail, once per period per instance',
    code: `
import express from 'express';
import axios from 'axios';
import { mailer } from './mailer';

const app = express();
let releaseNotes = '';
let lastRefresh = 0;

function updateReleaseNotes() {
  void mailer.sendMail({ subject: 'about page viewed' });
}

app.get('/about', (req, res) => {
  const now = Date.now();
  if (now - lastRefresh > 6 * 60 * 60 * 1000) {
    lastRefresh = now;
    updateReleaseNotes();
  }
  res.json({ releaseNotes });
});
`,
    errors: [{ messageId: 'lockInProcess', line: 8, column: 5, endColumn: 16, data: { name: 'lastRefresh', route: `GET /about (${file}:14)` } }],
  },
  {
    name: 'async-lock whose callback rechecks a memo its function never serves: a run once per key, per process',
    code: `
import express from 'express';
import AsyncLock from 'async-lock';
import { payments } from './payments';

const app = express();
const charging = new AsyncLock();
const charged: Record<string, boolean> = {};

app.post('/orders/:id/charge', async (req, res) => {
  await charging.acquire(req.params.id, async () => {
    if (charged[req.params.id]) return;
    await payments.charge(req.params.id);
    charged[req.params.id] = true;
  });
  res.end();
});
`,
    errors: [{ messageId: 'lockLibraryInProcess', line: 7, column: 18, endColumn: 33, data: { library: 'async-lock', name: 'charging', route: `POST /orders/:id/charge (${file}:10)` } }],
  },
  {
    name: 'event bus: a busy flag taken and released by the listener of an event the route emits with data',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';
import { archive } from './services';

const bus = new EventEmitter();
let exporting = false;

bus.on('export-requested', async (job: { by: string }) => {
  if (exporting) return;
  exporting = true;
  try {
    await archive.build(job);
  } finally {
    exporting = false;
  }
});

const app = express();
app.post('/exports', (req, res) => {
  bus.emit('export-requested', { by: req.body.user });
  res.sendStatus(202);
});
`,
    errors: [{ messageId: 'lockInProcess', line: 7, column: 5, endColumn: 14, data: { name: 'exporting', route: `POST /exports (${file}:20)` } }],
  },
  {
    name: 'Express: a flag taken after its check and given back by a timer throttles notifications per process',
    code: `
import express from 'express';
import { devices, socket } from './services';

const app = express();
let isSend = false;

async function deviceEvent(id: string, online: boolean) {
  const device = await devices.update(id, { online });
  if (!isSend) {
    isSend = true;
    socket.emit('device', { ward: device.ward, online });
    setTimeout(() => {
      isSend = false;
    }, 5000);
  }
}

app.post('/devices/:id/event', async (req, res) => {
  await deviceEvent(req.params.id, req.body.online);
  res.end();
});
`,
    errors: [{ messageId: 'lockInProcess', line: 6, column: 5, endColumn: 11, data: { name: 'isSend', route: `POST /devices/:id/event (${file}:19)` } }],
  },
  {
    name: 'socket.io: a throttle flag around an e-mail the handler sends',
    code: `
import { Server } from 'socket.io';
import { mailer } from './mailer';

const io = new Server();
let alerted = false;

io.on('connection', (socket) => {
  socket.on('panic', async (room: string) => {
    if (alerted) return;
    alerted = true;
    await mailer.sendMail({ to: 'ops@example.com', subject: room });
    setTimeout(() => { alerted = false; }, 60_000);
  });
});
`,
    errors: [{ messageId: 'lockInProcess', line: 6, column: 5, endColumn: 12, data: { name: 'alerted', route: `socket event "panic" (${file}:9)` } }],
  },
  {
    name: 'Express: a busy flag checked, set, and cleared in finally around a payment webhook',
    code: `
import express from 'express';
import { settlePayouts } from './payouts';

const app = express();
let isProcessing = false;

app.post('/webhooks/payouts', async (req, res) => {
  if (isProcessing) return res.status(409).send('busy');
  isProcessing = true;
  try {
    await settlePayouts(req.body.batchId);
  } finally {
    isProcessing = false;
  }
  res.sendStatus(200);
});
`,
    errors: [
      { messageId: 'lockInProcess', line: 6, column: 5, endLine: 6, endColumn: 17, data: { name: 'isProcessing', route: `POST /webhooks/payouts (${file}:8)` } },
    ],
  },
  {
    name: 'Express: a Set of order ids guarding a charge (check, add, delete after the await)',
    code: `
import express from 'express';
import { chargeOrder } from './billing';

const app = express();
const ordersBeingCharged = new Set<string>();

app.post('/orders/:id/charge', async (req, res) => {
  const id = req.params.id;
  if (ordersBeingCharged.has(id)) return res.status(409).json({ error: 'already charging' });
  ordersBeingCharged.add(id);
  await chargeOrder(id);
  ordersBeingCharged.delete(id);
  res.json({ charged: true });
});
`,
    errors: [{ messageId: 'lockInProcess', line: 6, column: 7, endColumn: 25, data: { name: 'ordersBeingCharged', route: `POST /orders/:id/charge (${file}:8)` } }],
  },
  {
    name: 'Express: a map of in-flight promises around work that writes (idempotency by key), released in .finally',
    code: `
import express from 'express';
import { createRefund } from './refunds';

const app = express();
const refunding = new Map<string, Promise<unknown>>();

function refundOnce(key: string, orderId: string) {
  const running = refunding.get(key);
  if (running) return running;
  const work = createRefund(orderId).finally(() => refunding.delete(key));
  refunding.set(key, work);
  return work;
}

app.post('/refunds', async (req, res) => {
  res.json(await refundOnce(String(req.headers['idempotency-key']), req.body.orderId));
});
`,
    errors: [{ messageId: 'lockInProcess', line: 6, column: 7, endColumn: 16, data: { name: 'refunding', route: `POST /refunds (${file}:16)` } }],
  },
  {
    name: 'Express: async-mutex Mutex around a wallet debit (reported at new Mutex())',
    code: `
import express from 'express';
import { Mutex } from 'async-mutex';
import { wallets } from './wallets';

const app = express();
const walletMutex = new Mutex();

app.post('/wallets/:id/debit', async (req, res) => {
  const balance = await walletMutex.runExclusive(async () => {
    const wallet = await wallets.find(req.params.id);
    return wallets.update(req.params.id, wallet.balance - req.body.amount);
  });
  res.json({ balance });
});
`,
    errors: [{ messageId: 'lockLibraryInProcess', line: 7, column: 21, endColumn: 32, data: { library: 'async-mutex', name: 'walletMutex', route: `POST /wallets/:id/debit (${file}:9)` } }],
  },
  {
    name: 'Fastify: async-mutex Mutex around a stock check and decrement through pg query (the SQL says write, the method name says read)',
    code: `
import Fastify from 'fastify';
import { Mutex } from 'async-mutex';
import { pool } from './db';

const app = Fastify();
const stockLock = new Mutex();

app.post('/orders', async (request) => {
  return stockLock.runExclusive(async () => {
    const { rows } = await pool.query('SELECT stock FROM products WHERE id = $1', [request.body.productId]);
    if (rows[0].stock < 1) return { soldOut: true };
    await pool.query(\`
      UPDATE products SET stock = stock - 1 WHERE id = $1\`, [request.body.productId]);
    return { soldOut: false };
  });
});
`,
    errors: [{ messageId: 'lockLibraryInProcess', line: 7, column: 19, endColumn: 30, data: { library: 'async-mutex', name: 'stockLock', route: `POST /orders (${file}:9)` } }],
  },
  {
    name: 'Koa: withTimeout(new Mutex(), ms) acquired and released by hand',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { Mutex, withTimeout } from 'async-mutex';
import { reserveSeat } from './seats';

const app = new Koa();
const router = new Router();
const seatLock = withTimeout(new Mutex(), 5000);

router.post('/seats/:id', async (ctx) => {
  const release = await seatLock.acquire();
  try {
    ctx.body = await reserveSeat(ctx.params.id);
  } finally {
    release();
  }
});

app.use(router.routes());
`,
    errors: [{ messageId: 'lockLibraryInProcess', line: 9, column: 30, endColumn: 41, data: { library: 'async-mutex', name: 'seatLock', route: `POST /seats/:id (${file}:11)` } }],
  },
  {
    name: 'Fastify: a Semaphore bounding concurrent exports of shared storage',
    code: `
import Fastify from 'fastify';
import { Semaphore } from 'async-mutex';
import { exportTenant } from './exports';

const fastify = Fastify();
const exportSlots = new Semaphore(2);

fastify.post('/exports', async (request) => {
  const { tenantId } = request.body as { tenantId: string };
  return exportSlots.runExclusive(() => exportTenant(tenantId));
});
`,
    errors: [{ messageId: 'lockLibraryInProcess', line: 7, column: 21, endColumn: 37, data: { library: 'async-mutex', name: 'exportSlots', route: `POST /exports (${file}:9)` } }],
  },
  {
    name: 'Express: p-limit(1) serialising stock updates is a mutex; async-lock keyed by sku too',
    code: `
import express from 'express';
import pLimit from 'p-limit';
import AsyncLock from 'async-lock';
import { adjustStock } from './stock';

const app = express();
const oneAtATime = pLimit(1);
const skuLocks = new AsyncLock();

app.post('/stock/:sku', async (req, res) => {
  await oneAtATime(() => adjustStock(req.params.sku, req.body.delta));
  await skuLocks.acquire(req.params.sku, () => adjustStock(req.params.sku, 0));
  res.end();
});
`,
    errors: [
      { messageId: 'lockLibraryInProcess', line: 8, column: 20, endColumn: 29, data: { library: 'p-limit', name: 'oneAtATime', route: `POST /stock/:sku (${file}:11)` } },
      { messageId: 'lockLibraryInProcess', line: 9, column: 18, endColumn: 33, data: { library: 'async-lock', name: 'skuLocks', route: `POST /stock/:sku (${file}:11)` } },
    ],
  },
  {
    name: 'Express: a queue of concurrency one (queue) around group status updates is a mutex; a p-queue of ten at a time is a throttle',
    code: `
import express from 'express';
import Queue from 'queue';
import PQueue from 'p-queue';
import { saveGroupStatus, notify } from './status';

const app = express();
const statusQueue = new Queue({ concurrency: 1, autostart: true });
const mails = new PQueue({ concurrency: 10 });

app.post('/heartbeat/:tag', async (req, res) => {
  statusQueue.push(async (cb) => {
    await saveGroupStatus(req.params.tag);
    cb();
  });
  await mails.add(() => notify(req.params.tag));
  res.end();
});
`,
    errors: [{ messageId: 'lockLibraryInProcess', line: 8, column: 21, endColumn: 67, data: { library: 'queue', name: 'statusQueue', route: `POST /heartbeat/:tag (${file}:11)` } }],
  },
  {
    name: "p-queue of concurrency one serialising installs, kept by a singleton service: a mutex",
    code: `
import express from 'express';
import PQueue from 'p-queue';
import { installPackage } from './packages';

class TaskLimit {
  private installs = new PQueue({ concurrency: 1 });
  run(name: string) {
    return this.installs.add(() => installPackage(name));
  }
}
const taskLimit = new TaskLimit();

const app = express();
app.post('/dependencies', async (req, res) => {
  await taskLimit.run(req.body.name);
  res.end();
});
`,
    errors: [{ messageId: 'lockLibraryInProcess', line: 7, column: 22, endColumn: 52, data: { library: 'p-queue', name: 'installs', route: `POST /dependencies (${file}:15)` } }],
  },
  {
    name: 'NestJS: a provider field of locked invoice ids',
    code: `
import { Controller, HttpException, Injectable, Param, Post } from '@nestjs/common';

declare function issueInvoice(id: string): Promise<void>;

@Injectable()
export class InvoicesService {
  private readonly locked = new Set<string>();

  async issue(id: string): Promise<void> {
    if (this.locked.has(id)) throw new HttpException('Invoice is being issued', 409);
    this.locked.add(id);
    try {
      await issueInvoice(id);
    } finally {
      this.locked.delete(id);
    }
  }
}

@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Post(':id/issue')
  issue(@Param('id') id: string) {
    return this.invoices.issue(id);
  }
}
`,
    errors: [{ messageId: 'lockInProcess', line: 8, column: 20, endColumn: 26, data: { name: 'locked', route: `POST /invoices/:id/issue (InvoicesController.issue, ${file}:25)` } }],
  },
  {
    name: 'Express: a class keeps the ids it is scanning in a list, checked through its own method, pushed, then filtered out',
    code: `
import express from 'express';
import { scanFolder } from './scanner';

class LibraryScanner {
  librariesScanning: string[] = [];

  isScanning(id: string): boolean {
    return this.librariesScanning.some((scanning) => scanning === id);
  }

  async scan(id: string): Promise<void> {
    if (this.isScanning(id)) return;
    this.librariesScanning.push(id);
    await scanFolder(id);
    this.librariesScanning = this.librariesScanning.filter((scanning) => scanning !== id);
  }
}

const scanner = new LibraryScanner();
const app = express();

app.post('/libraries/:id/scan', async (req, res) => {
  await scanner.scan(req.params.id);
  res.end();
});
`,
    errors: [{ messageId: 'lockInProcess', line: 6, column: 3, endColumn: 20, data: { name: 'librariesScanning', route: `POST /libraries/:id/scan (${file}:23)` } }],
  },
  {
    name: 'Express: episode downloads in progress in a module list, refused while listed, spliced out in finally',
    code: `
import express from 'express';
import { storeEpisode } from './podcasts';

const app = express();
const downloading: string[] = [];

app.post('/episodes/:id/download', async (req, res) => {
  const id = req.params.id;
  if (downloading.includes(id)) return res.status(409).end();
  downloading.push(id);
  try {
    await storeEpisode(id);
  } finally {
    downloading.splice(downloading.indexOf(id), 1);
  }
  res.end();
});
`,
    errors: [{ messageId: 'lockInProcess', line: 6, column: 7, endColumn: 18, data: { name: 'downloading', route: `POST /episodes/:id/download (${file}:8)` } }],
  },
];

const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'Next.js route handler: a module flag guarding a sync with another service',
    filename: 'app/api/sync/route.ts',
    code: `
let syncing = false;

export async function POST() {
  if (syncing) return Response.json({ error: 'sync in progress' }, { status: 409 });
  syncing = true;
  try {
    await fetch('https://crm.internal/sync', { method: 'POST' });
  } finally {
    syncing = false;
  }
  return Response.json({ ok: true });
}
`,
    errors: [{ messageId: 'lockInProcess', line: 2, column: 5, endColumn: 12, data: { name: 'syncing', route: 'POST /api/sync (app/api/sync/route.ts:4)' } }],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  { name: "look-alike: an SFU's AwaitQueue pushed to only at start-up guards no request", code: sfuServer({ startUpOnly: true }) },
  {
    name: 'names drawn at random, held while the database is asked whether one is taken: another instance draws its own, not a lock',
    code: `
import express from 'express';
import { randomBytes } from 'node:crypto';
import { db } from './db';

const onHold = new Set<string>();

async function uniqueName(): Promise<string | undefined> {
  for (let i = 0; i < 3; i++) {
    const name = randomBytes(6).toString('hex');
    if (onHold.has(name)) continue;
    onHold.add(name);
    if (await db.files.exists(name)) {
      onHold.delete(name);
      continue;
    }
    return name;
  }
  return undefined;
}

const app = express();
app.post('/uploads', async (_req, res) => {
  const name = await uniqueName();
  res.once('finish', () => onHold.delete(name ?? ''));
  res.json({ name });
});
`,
  },
  {
    name: "Fastify: the open WebSocket of each device kept by a singleton, the older one closed when the device connects again and dropped when it closes: realtime bookkeeping, not a lock",
    code: `
import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';

class DeviceSocket {
  constructor(private readonly socket: WebSocket, onClose: () => void) {
    socket.on('close', onClose);
  }
  close(): void {
    this.socket.close();
  }
}

class SocketService {
  private readonly connections: Map<string, DeviceSocket> = new Map();

  async addConnection(deviceId: string, socket: WebSocket): Promise<boolean> {
    if (!(await Promise.resolve(deviceId.length > 0))) return false;
    const existing = this.connections.get(deviceId);
    if (existing) {
      existing.close();
      this.connections.delete(deviceId);
    }
    const connection = new DeviceSocket(socket, () => this.connections.delete(deviceId));
    this.connections.set(deviceId, connection);
    return true;
  }
}

const socketService = new SocketService();
const app = Fastify();
app.register(websocket);
app.route({
  method: 'GET',
  url: '/sockets/:deviceId',
  handler: (_request, reply) => reply.code(400).send(),
  wsHandler: async (socket, request) => {
    const added = await socketService.addConnection(String(request.params), socket);
    if (!added) socket.close();
  },
});
`,
  },
  {
    name: 'renewal timers of the Redis locks this process holds: the clean-up closure written before the set tests the map when it runs, later, and guards nothing',
    code: `
import express from 'express';
import Redis from 'ioredis';

const redis = new Redis();
const renewals = new Map<string, { timer: NodeJS.Timeout; key: string }>();

async function acquire(key: string, ttlSeconds: number) {
  const taken = await redis.set(key, String(process.pid), 'EX', ttlSeconds, 'NX');
  if (!taken) return null;
  const stopRenewal = () => {
    const renewal = renewals.get(key);
    if (renewal) {
      clearInterval(renewal.timer);
      renewals.delete(key);
    }
  };
  const timer = setInterval(() => void redis.expire(key, ttlSeconds), (ttlSeconds * 1000) / 2);
  renewals.set(key, { timer, key });
  return async () => {
    stopRenewal();
    await redis.del(key);
  };
}

const app = express();
app.post('/reports/:id/build', async (req, res) => {
  const release = await acquire('report:' + req.params.id, 10);
  if (!release) return res.sendStatus(409);
  await release();
  res.sendStatus(202);
});
`,
  },
  {
    name: 'look-alike of a busy flag: raised on first use and reset only when that first run fails, it is a load that may retry',
    code: `
import express from 'express';
import { exportSchema } from './exports';

let initialized = false;
const app = express();
app.post('/exports', async (_req, res) => {
  if (!initialized) {
    initialized = true;
    try {
      await exportSchema();
    } catch (error) {
      initialized = false;
      throw error;
    }
  }
  res.sendStatus(202);
});
`,
  },
  {
    name: "a re-entry flag of a health probe that pings this process's own connection guards no shared work",
    code: `
import express from 'express';
import { searchClient } from './search';

class SearchHealth {
  private probing = false;
  healthy = true;

  async probe() {
    if (this.probing) return;
    this.probing = true;
    try {
      await searchClient.ping();
      this.healthy = true;
    } catch {
      this.healthy = false;
    } finally {
      this.probing = false;
    }
  }
}

const searchHealth = new SearchHealth();
const app = express();
app.get('/search', async (req, res) => {
  if (!searchHealth.healthy) await searchHealth.probe();
  res.json(searchHealth.healthy ? await searchClient.query(String(req.query.q)) : []);
});
`,
  },
  {
    name: "Express: a promise chain per journal file that the route builds with path.join orders appends to this instance's own file",
    code: `
import express from 'express';
import path from 'node:path';
import { appendFile } from 'node:fs/promises';

const tails = new Map<string, Promise<unknown>>();

function inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
  const next = (tails.get(key) ?? Promise.resolve()).then(task, task);
  tails.set(key, next);
  return next.finally(() => {
    if (tails.get(key) === next) tails.delete(key);
  });
}

const app = express();
app.post('/journals/:name', async (req, res) => {
  const file = path.join('/var/journals', req.params.name + '.log');
  await inTurn(file, () => appendFile(file, JSON.stringify(req.body) + '\\n'));
  res.sendStatus(204);
});
`,
  },
  {
    name: "a stamp throttling this process's own refresh: the throttled function only fetches into a module binding",
    code: `
import express from 'express';
import axios from 'axios';
import { mailer } from './mailer';

const app = express();
let releaseNotes = '';
let lastRefresh = 0;

function updateReleaseNotes() {
  axios.get('https://releases.example.test/latest').then((response) => { releaseNotes = String(response.data); }).catch(() => undefined);
}

app.get('/about', (req, res) => {
  const now = Date.now();
  if (now - lastRefresh > 6 * 60 * 60 * 1000) {
    lastRefresh = now;
    updateReleaseNotes();
  }
  res.json({ releaseNotes });
});
`,
  },
  {
    name: 'Koa: upstream sockets kept by name and dropped in the socket’s onerror handler are the connections’ entries, not a lock',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { WebSocket } from 'ws';

const app = new Koa();
const router = new Router();
const tunnels = new Map<string, { socket: WebSocket; owner: string }>();

router.post('/tunnels/:name', (ctx) => {
  const name = ctx.params.name;
  if (tunnels.has(name)) {
    ctx.status = 409;
    return;
  }
  const socket = new WebSocket(String(ctx.query.target));
  socket.onerror = () => {
    tunnels.delete(name);
  };
  tunnels.set(name, { socket, owner: String(ctx.query.owner) });
  ctx.body = { name };
});
app.use(router.routes());
`,
  },
  {
    name: "a registry of mutexes per file path, the route's path.join handed on through two helpers' parameters before a mutex is made for it",
    code: `
import express from 'express';
import path from 'node:path';
import { appendFile } from 'node:fs/promises';
import { Mutex } from 'async-mutex';

const held = new Map<string, Mutex>();

function mutexFor(file: string): Mutex {
  let mutex = held.get(file);
  if (!mutex) {
    mutex = new Mutex();
    held.set(file, mutex);
  }
  return mutex;
}

async function inTurn<T>(file: string, work: () => Promise<T>): Promise<T> {
  const mutex = mutexFor(file);
  const release = await mutex.acquire();
  try {
    return await work();
  } finally {
    release();
    if (!mutex.isLocked()) held.delete(file);
  }
}

function appendChunk(target: string, body: Buffer) {
  return inTurn(target, () => appendFile(target, body));
}

const app = express();
app.post('/uploads/:account/:name', express.raw(), async (req, res) => {
  const file = path.join('/var/chunks', req.params.name);
  await appendChunk(file, req.body);
  res.sendStatus(204);
});
`,
  },
  {
    name: 'a lock kept per local file path: the file is on this instance’s disk, which no other instance touches',
    code: `
import express from 'express';
import path from 'node:path';
import { renderThumbnail } from './render';

const app = express();
const thumbnailDir = path.resolve('thumbnails');
const renderLocks: Record<string, boolean> = {};

function whenFree(file: string, run: () => void) {
  if (!renderLocks.hasOwnProperty(file)) {
    renderLocks[file] = true;
    return setImmediate(run);
  }
  const retry = setInterval(() => {
    if (renderLocks.hasOwnProperty(file)) return;
    renderLocks[file] = true;
    clearInterval(retry);
    setImmediate(run);
  }, 200);
}

app.get('/thumbnails/:id', (req, res) => {
  const file = path.join(thumbnailDir, req.params.id + '.png');
  whenFree(file, () => {
    renderThumbnail(req.params.id, file, (err: Error | null) => {
      delete renderLocks[file];
      if (err) return res.sendStatus(500);
      res.sendFile(file);
    });
  });
});
`,
  },
  {
    name: 'async-lock around the refill of a copy the function serves, rechecked first inside the lock',
    code: `
import express from 'express';
import AsyncLock from 'async-lock';
import { billing } from './billing';

const app = express();
const refills = new AsyncLock();
const quotas: Record<string, number> = {};

async function quotaOf(account: string) {
  if (!quotas[account]) {
    await refills.acquire(account, async () => {
      if (quotas[account]) return;
      quotas[account] = await billing.requestQuota(account);
    });
  }
  return quotas[account];
}

app.get('/quota/:account', async (req, res) => {
  res.json({ quota: await quotaOf(req.params.account) });
});
`,
  },
  {
    name: 'event bus: a signal without data, whose listener does the process its own work',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';
import { archive } from './services';

const bus = new EventEmitter();
let reloading = false;

bus.on('settings-changed', async () => {
  if (reloading) return;
  reloading = true;
  try {
    await archive.reload();
  } finally {
    reloading = false;
  }
});

const app = express();
app.post('/settings', (req, res) => {
  bus.emit('settings-changed');
  res.sendStatus(204);
});
`,
  },
  {
    name: 'Express: the same flag in a base class a handler also creates per request (not only extended): one object per request, no shared state',
    code: `
import express from 'express';
import { catalog, search } from './services';

class Reindexer {
  protected running = false;

  async run() {
    if (this.running) return;
    this.running = true;
    try {
      await search.rebuild(await catalog.all());
    } finally {
      this.running = false;
    }
  }
}

class ProductReindexer extends Reindexer {}

const productReindexer = new ProductReindexer();
const app = express();
app.post('/admin/reindex', async (req, res) => {
  await new Reindexer().run();
  res.json({ shared: productReindexer instanceof Reindexer });
});
`,
  },
  {
    name: 'failed logins per user: made behind a miss and deleted on success, but counted, so a counter (no-in-memory-counter), not a lock',
    code: `
import express from 'express';
import { users } from './users';

const app = express();
const loginAttempts: Record<string, { attempts: number }> = {};

app.post('/login', async (req, res) => {
  const username = String(req.body.username);
  const user = await users.check(username, req.body.password);
  if (!user) {
    if (!loginAttempts[username]) loginAttempts[username] = { attempts: 0 };
    const attempt = loginAttempts[username];
    attempt.attempts++;
    return res.sendStatus(401);
  }
  delete loginAttempts[username];
  res.json(user);
});
`,
  },
  {
    name: 'Fastify: a flag around refreshing a copy the same function serves (one refresh per instance is what a copy needs)',
    code: `
import Fastify from 'fastify';
import { Settings } from './settings';

const fastify = Fastify();
let rdapData: object | null = null;
let nextCheck = 0;
let running = false;

async function getRdapData() {
  if (rdapData && Date.now() < nextCheck) return rdapData;
  if (running) return rdapData;
  running = true;
  try {
    const response = await fetch('https://data.iana.org/rdap/dns.json');
    rdapData = await response.json();
    nextCheck = Date.now() + 24 * 60 * 60 * 1000;
    await Settings.set('rdapData', rdapData);
  } finally {
    running = false;
  }
  return rdapData;
}

fastify.get('/rdap', async () => getRdapData());
`,
  },
  {
    name: 'Koa: a debounce flag given back by a timer that only flushes a local buffer',
    code: `
import Koa from 'koa';
import { flushLocalBuffer } from './buffer';

const app = new Koa();
let scheduled = false;

app.use(async (ctx) => {
  if (!scheduled) {
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      flushLocalBuffer();
    }, 100);
  }
  ctx.body = 'ok';
});
`,
  },
  {
    name: 'a per-process connection set up once (lazy initialisation and a connect guard)',
    code: `
import express from 'express';

declare const client: { connect(): Promise<void> };
const app = express();
let initPromise: Promise<unknown> | undefined;
let connecting = false;

app.get('/health', async (req, res) => {
  initPromise ??= client.connect();
  await initPromise;
  if (connecting) return res.status(503).end();
  connecting = true;
  try {
    await client.connect();
  } finally {
    connecting = false;
  }
  res.end();
});
`,
  },
  {
    name: 'Express: a flag around a refresh that only reads (public data fetched and kept in this process)',
    code: `
import express from 'express';

const app = express();
let refreshing = false;
let rdapServers: object | undefined;

app.get('/rdap', async (req, res) => {
  if (!refreshing) {
    refreshing = true;
    try {
      const response = await fetch('https://data.iana.org/rdap/dns.json');
      rdapServers = await response.json();
    } finally {
      refreshing = false;
    }
  }
  res.json(rdapServers);
});
`,
  },
  {
    name: 'Hono middleware: a path computed once, with null kept as the answer when it fails (not a release)',
    code: `
import { Hono } from 'hono';
import { fileURLToPath } from 'node:url';

const app = new Hono();
let cachedRoot: string | null | undefined;

function repoRoot(): string | null {
  if (cachedRoot !== undefined) return cachedRoot;
  try {
    cachedRoot = fileURLToPath(new URL('../..', import.meta.url));
    return cachedRoot;
  } catch {
    cachedRoot = null;
    return null;
  }
}

app.use('*', async (c, next) => {
  c.header('x-root', repoRoot() ?? '');
  await next();
});
`,
  },
  {
    name: 'NestJS: a store that refuses a second entry per note and drops it when the note emits destroy (no release by the work)',
    code: `
import { Controller, Injectable, Param, Post } from '@nestjs/common';

declare class RealtimeNote { constructor(id: string); on(event: 'destroy', listener: () => void): void }

@Injectable()
export class NoteStore {
  private readonly notes = new Map<string, RealtimeNote>();

  create(id: string): RealtimeNote {
    if (this.notes.has(id)) throw new Error('already open');
    const note = new RealtimeNote(id);
    note.on('destroy', () => this.notes.delete(id));
    this.notes.set(id, note);
    return note;
  }
}

@Controller('notes')
export class NotesController {
  constructor(private readonly store: NoteStore) {}

  @Post(':id/open')
  open(@Param('id') id: string): void {
    this.store.create(id);
  }
}
`,
  },
  {
    name: 'a serial task queue class: its promise chain runs whatever task the caller passes, so the field itself guards nothing in particular',
    code: `
import express from 'express';
import { writeBoardFile } from './boards';

class SerialTaskQueue {
  private pending: Promise<unknown> = Promise.resolve();

  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.pending.then(task, task);
    this.pending = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

const app = express();
const saves = new SerialTaskQueue();

app.post('/boards/:name', async (req, res) => {
  await saves.runExclusive(() => writeBoardFile(req.params.name, req.body));
  res.end();
});
`,
  },
  {
    name: "a mutex around launching this process's own browser",
    code: `
import express from 'express';
import { Mutex } from 'async-mutex';
import puppeteer, { type Browser } from 'puppeteer';

const app = express();
const launchMutex = new Mutex();
let browser: Browser | undefined;

app.get('/screenshot', async (req, res) => {
  await launchMutex.runExclusive(async () => {
    browser = await puppeteer.launch();
  });
  res.end();
});
`,
  },
  {
    name: "a busy set keyed by the caller's own socket id (every event of a socket is handled on its instance): per connection",
    code: `
import { Server } from 'socket.io';
import { createRace } from './races';

const lockedIds = new Set<string>();

async function runIfOpen(lockId: string, work: () => Promise<unknown>): Promise<unknown> {
  if (lockedIds.has(lockId)) return undefined;
  lockedIds.add(lockId);
  try {
    return await work();
  } finally {
    lockedIds.delete(lockId);
  }
}

const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('play', async () => {
    const socketId = socket.id;
    await runIfOpen(socketId, () => createRace(socket.id));
  });
});
`,
  },
  {
    name: "p-limit(5) and Bottleneck bound this instance's own concurrency; a clustered Bottleneck is shared",
    code: `
import express from 'express';
import pLimit from 'p-limit';
import Bottleneck from 'bottleneck';
import { fetchPrice } from './prices';

const app = express();
const limit = pLimit(5);
const upstream = new Bottleneck({ maxConcurrent: 4, minTime: 50 });
const clustered = new Bottleneck({ maxConcurrent: 1, datastore: 'ioredis', id: 'prices' });

app.get('/prices', async (req, res) => {
  const skus = String(req.query.skus).split(',');
  const prices = await Promise.all(skus.map((sku) => limit(() => fetchPrice(sku))));
  await upstream.schedule(() => fetchPrice('x'));
  await clustered.schedule(() => fetchPrice('y'));
  res.json(prices);
});
`,
  },
  {
    name: "p-queue of four bounds this instance's own concurrency; a queue of one used only at start-up guards no request",
    code: `
import express from 'express';
import PQueue from 'p-queue';
import { fetchPrice, warmUp } from './prices';

const app = express();
const upstream = new PQueue({ concurrency: 4 });
const startup = new PQueue({ concurrency: 1 });

startup.add(() => warmUp());

app.get('/prices', async (req, res) => {
  const skus = String(req.query.skus).split(',');
  res.json(await Promise.all(skus.map((sku) => upstream.add(() => fetchPrice(sku)))));
});
app.listen(3000);
`,
  },
  {
    name: 'a single-flight map of in-flight reads, a one-way readiness flag, and a mutex created per request',
    code: `
import express from 'express';
import { Mutex } from 'async-mutex';
import { getRates } from './rates';

const app = express();
const inFlight = new Map<string, Promise<number>>();
let warmedUp = false;

function ratesFor(currency: string): Promise<number> {
  const running = inFlight.get(currency);
  if (running) return running;
  const request = getRates(currency).finally(() => inFlight.delete(currency));
  inFlight.set(currency, request);
  return request;
}

app.get('/rates/:currency', async (req, res) => {
  warmedUp = true;
  const local = new Mutex();
  await local.runExclusive(() => getRates('eur'));
  res.json({ rate: await ratesFor(req.params.currency) });
});
`,
  },
  {
    name: 'a mutex around a refresh that only SELECTs through pg query (one load per instance)',
    code: `
import express from 'express';
import { Mutex } from 'async-mutex';
import { pool } from './db';

const app = express();
const refresh = new Mutex();
let prices: unknown[] = [];

app.get('/prices', async (req, res) => {
  await refresh.runExclusive(async () => {
    const { rows } = await pool.query(\`SELECT * FROM prices WHERE day = \${'$'}1\`, [req.query.day]);
    prices = rows;
  });
  res.json(prices);
});
`,
  },
  {
    name: 'a lock taken only at start-up',
    code: `
import express from 'express';
import { Mutex } from 'async-mutex';
import { migrate } from './db';

const migrations = new Mutex();
void migrations.runExclusive(() => migrate());

const app = express();
app.get('/', (req, res) => res.end());
`,
  },
  {
    name: 'allowNames and checkLibraries: false',
    options: [{ allowNames: ['isProcessing'], checkLibraries: false }],
    code: `
import express from 'express';
import { Mutex } from 'async-mutex';
import { settlePayouts } from './payouts';

const app = express();
let isProcessing = false;
const mutex = new Mutex();

app.post('/payouts', async (req, res) => {
  if (isProcessing) return res.status(409).end();
  isProcessing = true;
  try {
    await mutex.runExclusive(() => settlePayouts(req.body.batchId));
  } finally {
    isProcessing = false;
  }
  res.end();
});
`,
  },
  {
    name: 'lists that are not locks: sockets pushed on connect and filtered out on close, recent ids expired by a timer',
    code: `
import express from 'express';
import { WebSocketServer, type WebSocket } from 'ws';

const app = express();
const wss = new WebSocketServer({ port: 8080 });
let sockets: WebSocket[] = [];
let recentUploads: string[] = [];

wss.on('connection', (ws) => {
  if (sockets.includes(ws)) return;
  sockets.push(ws);
  ws.on('close', () => {
    sockets = sockets.filter((socket) => socket !== ws);
  });
});

app.post('/uploads/:id', (req, res) => {
  const id = req.params.id;
  if (recentUploads.includes(id)) return res.status(409).end();
  recentUploads.push(id);
  setTimeout(() => {
    recentUploads = recentUploads.filter((upload) => upload !== id);
  }, 60_000);
  res.end();
});
`,
  },
  {
    name: "a field holding the abort controller of this process's one running job, let go of when the run ends",
    code: `
import express from 'express';
import { importAll } from './imports';

const app = express();

class ImportJob {
  private controller: AbortController | undefined = undefined;

  async execute(handed?: AbortController): Promise<void> {
    this.controller = handed ?? new AbortController();
    try {
      await importAll(this.controller.signal);
    } finally {
      this.controller = undefined;
    }
  }

  stop(): void {
    if (!this.controller || this.controller.signal.aborted) return;
    this.controller.abort();
  }
}

const importJob = new ImportJob();
app.post('/imports/run', async (req, res) => {
  await importJob.execute();
  res.end();
});
app.post('/imports/stop', (req, res) => {
  importJob.stop();
  res.end();
});
`,
  },
  {
    name: "a flag around the restart of this instance's own child process (kill, then spawn again)",
    code: `
import express from 'express';
import { spawn, type ChildProcess } from 'node:child_process';

const app = express();

class SidecarManager {
  private child: ChildProcess | null = null;
  private restarting = false;

  async restart(): Promise<void> {
    if (this.restarting) return;
    this.restarting = true;
    try {
      this.child?.kill('SIGTERM');
      this.child = spawn('/usr/local/bin/sidecar', ['serve'], { stdio: 'ignore' });
    } finally {
      this.restarting = false;
    }
  }
}

const sidecar = new SidecarManager();
app.patch('/admin/sso', async (req, res) => {
  await sidecar.restart();
  res.end();
});
`,
  },
];

const fileNameValid: ValidTestCase<Options>[] = [
  {
    name: 'a CLI guarding its own output file',
    filename: 'scripts/export.ts',
    code: `
import express from 'express';
import { appendFile } from 'node:fs/promises';
const app = express();
let writing = false;
app.post('/export', async (req, res) => {
  if (writing) return res.status(409).end();
  writing = true;
  try { await appendFile('export.csv', req.body.line); } finally { writing = false; }
  res.end();
});
`,
  },
  {
    name: 'a test file never serves requests',
    filename: 'src/payouts.spec.ts',
    code: `
import express from 'express';
import { Mutex } from 'async-mutex';
const app = express();
const mutex = new Mutex();
app.post('/payouts', async (req, res) => { await mutex.runExclusive(async () => undefined); res.end(); });
`,
  },
];

/** A module object whose method sets a status its caller tests (fixtures/lock-cache): untyped (through the project index) and typed. */
const objectModuleInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'cross-file, object-literal module: `this.exportState` of the module the route tests before calling `exportJob.runExport()`',
    filename: fixturePath('lock-cache/export-job.ts'),
    code: readFileSync(fixturePath('lock-cache/export-job.ts'), 'utf8'),
    errors: [{ messageId: 'lockInProcess', line: 4, column: 3, endColumn: 14, data: { name: 'exportState', route: 'POST /exports (src/rules/fixtures/lock-cache/routes.ts:23)' } }],
  },
];

createUntypedRuleTester().run('no-in-process-lock', rule, {
  valid: [
    ...sameFileValid,
    ...fileNameValid,
    {
      name: 'untyped analysis stays within one file: the routes that reach this state are in another file',
      filename: 'src/catalog-service.ts',
      code: readFileSync(fixturePath('lock-cache/catalog-service.ts'), 'utf8'),
    },
    {
      name: 'cross-file, object-literal module: a run status no caller tests before starting the run',
      filename: fixturePath('lock-cache/report-job.ts'),
      code: readFileSync(fixturePath('lock-cache/report-job.ts'), 'utf8'),
    },
  ],
  invalid: [...sameFileInvalid('file.ts'), ...fileNameInvalid, ...objectModuleInvalid],
});

createTypedRuleTester().run('no-in-process-lock (typed)', rule, {
  valid: [
    ...sameFileValid,
    {
      name: 'cross-file: routes.ts reaches the state in catalog-service.ts but declares none',
      filename: fixturePath('lock-cache/routes.ts'),
      code: readFileSync(fixturePath('lock-cache/routes.ts'), 'utf8'),
    },
    {
      name: 'cross-file, object-literal module: a run status no caller tests before starting the run',
      filename: fixturePath('lock-cache/report-job.ts'),
      code: readFileSync(fixturePath('lock-cache/report-job.ts'), 'utf8'),
    },
  ],
  invalid: [
    ...sameFileInvalid('src/rules/fixtures/file.ts'),
    ...objectModuleInvalid,
    {
      // Typed only: untyped resolution does not follow a method inherited from a base class.
      name: 'Express: a running flag declared in an abstract base class whose only subclass is created once at module scope',
      code: `
import express from 'express';
import { catalog, search } from './services';

abstract class Reindexer {
  protected running = false;

  async run() {
    if (this.running) return;
    this.running = true;
    try {
      await search.rebuild(await catalog.all());
    } finally {
      this.running = false;
    }
  }
}

class ProductReindexer extends Reindexer {}

const productReindexer = new ProductReindexer();
const app = express();
app.post('/admin/reindex', async (req, res) => {
  await productReindexer.run();
  res.sendStatus(202);
});
`,
      errors: [{ messageId: 'lockInProcess', line: 6, column: 13, endColumn: 20, data: { name: 'running', route: 'POST /admin/reindex (src/rules/fixtures/file.ts:23)' } }],
    },
    {
      name: 'cross-file: the routes in routes.ts call the helpers in catalog-service.ts that use the state',
      filename: fixturePath('lock-cache/catalog-service.ts'),
      code: readFileSync(fixturePath('lock-cache/catalog-service.ts'), 'utf8'),
      errors: [
        { messageId: 'lockInProcess', line: 6, column: 5, endColumn: 15, data: { name: 'reindexing', route: 'POST /reindex (src/rules/fixtures/lock-cache/routes.ts:10)' } },
        {
          messageId: 'lockLibraryInProcess',
          line: 7,
          column: 27,
          endColumn: 38,
          data: { library: 'async-mutex', name: 'stockMutex', route: 'POST /stock/:sku (src/rules/fixtures/lock-cache/routes.ts:15)' },
        },
      ],
    },
  ],
});
