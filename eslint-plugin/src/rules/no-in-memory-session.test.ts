import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath, untypedProjectFile } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-in-memory-session';

type Options = StatelessRuleOptions<'no-in-memory-session'>;
type MessageIds = 'sessionInMemory' | 'sessionStoreInMemory' | 'sessionStoreMoveToRedis' | 'sessionSecretDrawn' | 'sessionKeyDrawn' | 'redisStandIn';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts. Routes are named by the path of their
// file relative to the project root (the nearest package.json): `file.ts:7`,
// `src/rules/fixtures/cross-file/routes.ts:8`.

// A NestJS scores service with a factory beside it, and a controller that gets its scorer through `constructorParameter`
// as `scorer`: injected, it is one object per process; made by the factory for each call, it is that call's.
const scoresController = (constructorParameter: string, scorer: string): string => `
import { Body, Controller, Injectable, Post } from '@nestjs/common';

@Injectable()
export class ScoreService {
  private items: string[] = [];

  add(item: string): number {
    this.items.push(item);
    return this.items.length;
  }
}

@Injectable()
export class ScoreServiceFactory {
  create(): ScoreService {
    return new ScoreService();
  }
}

@Controller('scores')
export class ScoresController {
  constructor(${constructorParameter}) {}

  @Post()
  score(@Body() body: { items: string[] }): number {
    const scorer = ${scorer};
    return body.items.reduce((total, item) => total + scorer.add(item), 0);
  }
}
`;

/**
 * Cases that need no file name: run untyped and typed, which must agree within one file. `file` is
 * how messages name the linted file (relative to its project root).
 */
const sameFileInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: 'the same timings, once a route answers with their average',
    code: `
import express from 'express';

const timings: { path: string; ms: number }[] = [];

function averageTiming() {
  return timings.reduce((sum, t) => sum + t.ms, 0) / timings.length;
}

const app = express();
app.use((req, res, next) => {
  const start = Date.now();
  res.on('finish', () => {
    timings.push({ path: req.path, ms: Date.now() - start });
    if (timings.length > 1000) timings.shift();
  });
  next();
});
app.get('/health', (req, res) => res.json({ ok: true, average: averageTiming() }));
app.listen(3000);
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 14, data: { name: 'timings', what: 'application data', route: `middleware for all routes (${file}:11)` } }],
  },
  {
    name: "a singleton's private field each call sets, also read by a public method: what the last call left reaches a later request",
    code: `
import express from 'express';

class Notifier {
  private senders = new Map([['chat', this.chat]]);
  private title = '';

  async notify(type: string, title: string) {
    if (type) {
      this.title = title;
      return this.senders.get(type)?.call(this);
    }
    return false;
  }

  lastTitle() {
    return this.title;
  }

  private async chat() {
    await fetch('https://chat.example/hook', { method: 'POST', body: this.title });
    return true;
  }
}

const notifier = new Notifier();
const app = express();
app.post('/notify', async (req, res) => {
  res.json({ sent: await notifier.notify(String(req.body.type), String(req.body.title)) });
});
app.listen(3000);
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 11, endColumn: 16, data: { name: 'title', what: 'application data', route: `POST /notify (${file}:28)` } }],
  },
  {
    name: "a class made by a bare `new` statement of the module scope, inside an `if` on a setting: its fields (pair keys) are this process's",
    code: `
import http from 'node:http';
import crypto from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

class PairingServer {
  private pairKeys: Record<string, string> = {};
  constructor(server: http.Server) {
    new WebSocketServer({ server }).on('connection', (socket: WebSocket) => {
      socket.on('message', (data) => this.onMessage(socket, JSON.parse(String(data))));
    });
  }
  private onMessage(socket: WebSocket, message: { type: string; key: string; secret: string }) {
    if (message.type === 'pair-init') {
      const key = crypto.randomInt(100000, 999999).toString();
      this.pairKeys[key] = message.secret;
      socket.send(key);
    } else socket.send(this.pairKeys[message.key] ?? '');
  }
}

const server = http.createServer();
if (!process.env.SIGNALING_SERVER) {
  new PairingServer(server);
}
server.listen(3000);
`,
    errors: [{ messageId: 'sessionInMemory', line: 7, column: 11, endColumn: 19, data: { name: 'pairKeys', what: 'application data', route: `socket connection (${file}:9) and 1 other handler` } }],
  },
  {
    name: 'Express: an entry made on first use by `??=` and pushed into, `(viewedByUser[user] ??= []).push(id)`, writes into the module record',
    code: `
import express from 'express';

const viewedByUser: Record<string, string[]> = {};
const app = express();

app.get('/products/:id', (req, res) => {
  (viewedByUser[String(req.headers['x-user'])] ??= []).push(req.params.id);
  res.json({ id: req.params.id });
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 19, data: { name: 'viewedByUser', what: 'per-user state', route: `GET /products/:id (${file}:7)` } }],
  },
  {
    name: 'Express: chunked uploads kept by upload id, each entry an open write stream and a count of its chunks checked against a maximum: the upload in progress, not a counter',
    code: `
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';

const chunksData: Record<string, { chunks: number; writeStream?: fs.WriteStream }> = {};
const app = express();

app.post('/upload/chunk', (req, res) => {
  const uuid = String(req.body.uuid);
  if (chunksData[uuid] === undefined) {
    chunksData[uuid] = { chunks: 0 };
    chunksData[uuid].writeStream = fs.createWriteStream(path.join('chunks', uuid), { flags: 'a' });
  }
  req.pipe(chunksData[uuid].writeStream!, { end: false });
  req.on('end', () => {
    chunksData[uuid].chunks++;
    res.json({ ok: true });
  });
});
app.post('/upload/finish', (req, res) => {
  const data = chunksData[String(req.body.uuid)];
  if (data.chunks > 50) return res.status(400).end();
  data.writeStream?.end();
  res.json({ ok: true });
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 7, endColumn: 17, data: { name: 'chunksData', what: 'application data', route: `POST /upload/chunk (${file}:9)` } }],
  },
  {
    name: 'NestJS: the same provider injected into the controller is one object per process',
    code: scoresController('private readonly scorer: ScoreService', 'this.scorer'),
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 11, endColumn: 16, data: { name: 'items', what: 'application data', route: `POST /scores (ScoresController.score, ${file}:25)` } }],
  },
  {
    name: 'Express: one-time invite keys a helper draws and keeps in a list, checked and consumed by sign-up (no request data is stored, but the key goes to the client)',
    code: `
import express from 'express';

const inviteKeys: string[] = [];
const app = express();
app.use(express.json());

function createInviteKey(): string {
  let key: string;
  do {
    key = Math.random().toString(36).slice(2);
  } while (inviteKeys.includes(key));
  inviteKeys.push(key);
  return key;
}

app.post('/admin/invites', (_req, res) => {
  res.json({ key: createInviteKey() });
});

app.post('/signup', (req, res) => {
  const index = inviteKeys.indexOf(req.body.key);
  if (index < 0) return res.status(403).end();
  inviteKeys.splice(index, 1);
  res.status(201).end();
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 17, data: { name: 'inviteKeys', what: 'per-user state', route: `POST /admin/invites (${file}:17) and 1 other route` } }],
  },
  {
    name: "MCP over SSE: the server transports of clients' sessions kept by session id, which POST /messages looks up (a library's constructor, but no client of another system)",
    code: `
import express from 'express';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

const app = express();
const transports: Record<string, SSEServerTransport> = {};

app.get('/sse', async (_req, res) => {
  const transport = new SSEServerTransport('/messages', res);
  transports[transport.sessionId] = transport;
  res.on('close', () => delete transports[transport.sessionId]);
  await new McpServer({ name: 'tools', version: '1.0.0' }).connect(transport);
});

app.post('/messages', async (req, res) => {
  const transport = transports[String(req.query.sessionId)];
  if (!transport) return res.status(400).send('unknown session');
  await transport.handlePostMessage(req, res, req.body);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 7, column: 7, endColumn: 17, data: { name: 'transports', what: 'per-user state', route: `GET /sse (${file}:9)` } }],
  },
  {
    name: 'socket.io: a set of manager logins kept under the client id of the handshake, which the client presents again on every connection (named for clients, but no connections)',
    code: `
import { Server, type Socket } from 'socket.io';

const clientIdOf = (socket: Socket) => socket.handshake.auth.clientId as string;
const loggedClients = new Set<string>();
const io = new Server(3000);

io.on('connection', (socket) => {
  socket.on('manager:auth', (password: string) => {
    if (password !== process.env.MANAGER_PASSWORD) return;
    loggedClients.add(clientIdOf(socket));
  });
  socket.on('manager:start', () => {
    if (!loggedClients.has(clientIdOf(socket))) return socket.emit('manager:unauthorized');
    socket.emit('manager:started');
  });
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 20, data: { name: 'loggedClients', what: 'per-user state', route: `socket event "manager:auth" (${file}:9)` } }],
  },
  {
    name: 'ioredis-mock made when no Redis URL is set stands in for Redis in this process; the one a NODE_ENV test run makes stays quiet',
    code: `
import Redis from 'ioredis';
import RedisMock from 'ioredis-mock';

export function connectRedis(url?: string) {
  if (!url) return new RedisMock();
  return new Redis(url);
}
export function connectForTests(url: string) {
  return process.env.NODE_ENV === 'test' ? new RedisMock() : new Redis(url);
}
`,
    errors: [{ messageId: 'redisStandIn', line: 6, column: 20, endColumn: 35, data: { library: 'ioredis-mock' } }],
  },
  {
    name: 'Express: order ids kept after a mail to the customer stay reported (another instance mails again)',
    code: `
import express from 'express';
import { mailer } from './mailer';

const flaggedOrders: string[] = [];

function checkTotals(order: { id: string; total: number; email: string }) {
  if (flaggedOrders.indexOf(order.id) !== -1) return;
  try {
    if (order.total < 0) throw new Error('negative total');
  } catch (error) {
    mailer.send(order.email, 'We could not take your order');
    flaggedOrders.push(order.id);
  }
}

const app = express();
app.post('/orders', (req, res) => {
  checkTotals(req.body);
  res.sendStatus(201);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 20, data: { name: 'flaggedOrders', what: 'application data', route: `POST /orders (${file}:18)` } }],
  },
  {
    name: 'a per-user buffer behind a debounce timer, cleared and armed again on each write (not an expiring cache)',
    code: `
import express from 'express';
import { db } from './db';

const app = express();
const pendingViews: Record<string, { timer?: ReturnType<typeof setTimeout>; pages: string[] }> = {};

app.get('/pages/:page', (req, res) => {
  const userId = String(req.query.user);
  pendingViews[userId] = pendingViews[userId] || { pages: [] };
  pendingViews[userId].pages.push(req.params.page);
  if (pendingViews[userId].timer) clearTimeout(pendingViews[userId].timer);
  pendingViews[userId].timer = setTimeout(async () => {
    const pages = pendingViews[userId].pages;
    delete pendingViews[userId];
    const user = await db.findUser(userId);
    await db.insertViews(user.id, pages);
  }, 3000);
  res.end();
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 7, endColumn: 19, data: { name: 'pendingViews', what: 'per-user state', route: `GET /pages/:page (${file}:8)` } }],
  },
  {
    name: 'Express: an lru-cache keeps the PKCE verifier of each login under the state the login route draws; the callback reads it back',
    code: `
import express from 'express';
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const logins = new LRUCache<string, { verifier: string }>({ max: 500, ttl: 300_000 });
const app = express();
app.get('/login', (req, res) => {
  const state = randomBytes(16).toString('hex');
  logins.set(state, { verifier: randomBytes(32).toString('base64url') });
  res.redirect('https://idp.example.com/authorize?state=' + state);
});
app.get('/callback', (req, res) => {
  const login = logins.get(String(req.query.state));
  res.json({ ok: Boolean(login) });
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 16, endColumn: 86, data: { name: 'logins', what: 'per-user state', route: `GET /login (${file}:8)` } }],
  },
  {
    name: 'Express: a JWT secret drawn as the process starts signs the tokens one instance hands out, which the others reject',
    code: `
import crypto from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';

const JWT_SECRET = crypto.randomBytes(32).toString('hex');
const app = express();
app.post('/login', express.json(), (req, res) => {
  res.json({ token: jwt.sign({ sub: req.body.user }, JWT_SECRET, { expiresIn: '1h' }) });
});
app.get('/me', (req, res) => {
  res.json(jwt.verify(String(req.headers.authorization), JWT_SECRET));
});
`,
    errors: [{ messageId: 'sessionSecretDrawn', line: 6, column: 7, endColumn: 17, data: { name: 'JWT_SECRET', use: 'signs tokens (`jwt.sign`)' } }],
  },
  {
    name: "Koa: app.keys drawn with uuid as the app starts signs koa-session's cookie; keys read from the environment are quiet",
    code: `
import Koa from 'koa';
import session from 'koa-session';
import { v4 } from 'uuid';

const app = new Koa();
app.keys = [v4()];
app.use(session({ signed: true }, app));
const api = new Koa();
api.keys = String(process.env.COOKIE_KEYS).split(',');
app.listen(3000);
`,
    errors: [{ messageId: 'sessionSecretDrawn', line: 7, column: 13, endColumn: 17, data: { name: 'v4()', use: "signs the app's cookies and its session (Koa `app.keys`)" } }],
  },
  {
    name: 'Express: a JWT secret read from the environment with a drawn fallback: when it is not set, every instance signs with its own',
    code: `
import crypto from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';

const JWT_SECRET = process.env.JWT_SECRET || crypto.randomBytes(32).toString('hex');
const app = express();
app.post('/login', express.json(), (req, res) => {
  res.json({ token: jwt.sign({ sub: req.body.user }, JWT_SECRET) });
});
`,
    errors: [{ messageId: 'sessionKeyDrawn', line: 6, column: 46, endColumn: 84, data: { name: 'JWT_SECRET', when: 'as the process starts when none is configured' } }],
  },
  {
    name: 'Express: the IV of the captcha tag a client hands back, and a session secret drawn in place beside a Redis store',
    code: `
import { createCipheriv, randomBytes } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { v4 as uuid } from 'uuid';

const iv = Buffer.from(randomBytes(8)).toString('hex');
const key = String(process.env.CAPTCHA_KEY).slice(0, 32);
const app = express();
app.use(session({ store: new RedisStore({ client: createClient() }), secret: uuid(), resave: false, saveUninitialized: false }));
app.get('/captcha', (req, res) => {
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  res.json({ tag: cipher.update(String(req.query.text), 'utf8', 'hex') + cipher.final('hex') });
});
`,
    errors: [
      { messageId: 'sessionSecretDrawn', line: 9, column: 7, endColumn: 9, data: { name: 'iv', use: 'encrypts what clients hand back (`createCipheriv`)' } },
      { messageId: 'sessionSecretDrawn', line: 12, column: 78, endColumn: 84, data: { name: 'uuid()', use: 'signs the session cookie (express-session)' } },
    ],
  },
  {
    name: 'Express: promises of exports a status route looks up by index: running jobs another instance does not have, not a list only waited on',
    code: `
import express from 'express';
import { runExport } from './exports';

const exportJobs: Promise<string>[] = [];

const app = express();
app.post('/exports', express.json(), (req, res) => {
  exportJobs.push(runExport(req.body).then(() => 'done'));
  res.json({ id: exportJobs.length - 1 });
});
app.get('/exports/:id', async (req, res) => {
  res.json({ state: await exportJobs[Number(req.params.id)] });
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 17, data: { name: 'exportJobs', what: 'application data', route: `POST /exports (${file}:8)` } }],
  },
  {
    name: 'Express: a listener on the service’s own bus keeps what a login emits to it: the request’s data, not a package’s trace',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';

const bus = new EventEmitter();
const logins = new Map<string, string>();
bus.on('login', (user: { token: string; name: string }) => {
  logins.set(user.token, user.name);
});

const app = express();
app.post('/login', express.json(), (req, res) => {
  bus.emit('login', { token: req.body.token, name: req.body.name });
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 7, endColumn: 13, data: { name: 'logins', what: 'per-user state', route: `POST /login (${file}:12)` } }],
  },
  {
    name: 'Express: who plays which video, kept under a name like a stream list: the records a request sent, not a list of connections; the open event streams beside it are not reported',
    code: `
import express from 'express';

const app = express();
const playbackStreams: Record<string, { position: number; playing: boolean }> = {};
const liveStreams: Record<string, { res: express.Response; since: number }> = {};
app.post('/playback', express.json(), (req, res) => {
  const position = req.body.position;
  playbackStreams[req.body.videoId] = { position, playing: req.body.playing };
  res.json(playbackStreams[req.body.videoId]);
});
app.get('/live/:id', (req, res) => {
  liveStreams[req.params.id] = { res, since: Date.now() };
  req.on('close', () => delete liveStreams[req.params.id]);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 22, data: { name: 'playbackStreams', what: 'application data', route: `POST /playback (${file}:7)` } }],
  },
  {
    name: 'Express: upload parts kept per file and removed only when the last chunk arrives: a chunk on another instance finds no upload',
    code: `
import express from 'express';

const uploads: Record<string, { parts: string[] }> = {};

const app = express();
app.post('/chunk', express.json(), async (req, res) => {
  const file = req.body.file;
  if (req.body.index === 0) uploads[file.id] = { parts: [] };
  uploads[file.id].parts.push(req.body.etag);
  if (req.body.index === req.body.total - 1) {
    await complete(uploads[file.id]);
    delete uploads[file.id];
  }
  res.sendStatus(204);
});

declare function complete(upload: { parts: string[] }): Promise<void>;
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 14, data: { name: 'uploads', what: 'application data', route: `POST /chunk (${file}:7)` } }],
  },
  {
    name: 'Express: the records kept in a module object named db (an in-memory database), not a client of one',
    code: `
import express from 'express';

const db: { notes: { text: string }[] } = { notes: [] };

const app = express();
app.post('/notes', express.json(), (req, res) => {
  db.notes.push({ text: String(req.body.text) });
  res.sendStatus(201);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 9, data: { name: 'db', what: 'application data', route: `POST /notes (${file}:7)` } }],
  },
  {
    name: 'Express: reset tokens a request adds and a timer it starts removes: an expiry, not the end of the request’s work',
    code: `
import express from 'express';

const resetTokens = new Map<string, string>();

function expireLater(token: string) {
  setTimeout(() => resetTokens.delete(token), 60_000);
}

const app = express();
app.post('/reset', express.json(), (req, res) => {
  const token: string = req.body.token;
  resetTokens.set(token, req.body.email);
  expireLater(token);
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 18, data: { name: 'resetTokens', what: 'per-user state', route: `POST /reset (${file}:11)` } }],
  },
  {
    name: 'Express: a Map in a module that imports prom-client, filled with what the request sent (not metric instruments): reported',
    code: `
import express from 'express';
import client from 'prom-client';

const app = express();
const carts = new Map<string, string[]>();
const checkouts = new client.Counter({ name: 'checkouts_total', help: 'checkouts' });

app.post('/cart/:user', express.json(), (req, res) => {
  carts.set(req.params.user, req.body.items);
  checkouts.inc();
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 7, endColumn: 12, data: { name: 'carts', what: 'per-user state', route: `POST /cart/:user (${file}:9)` } }],
  },
  {
    name: 'Express: a login handler sets a flag on a module object (no request data stored, but the handler itself writes it)',
    code: `
import express from 'express';
import { checkPassword } from './auth';

const app = express();
const hostCfg = { protected: true, authenticated: false };

app.post('/login', express.json(), (req, res) => {
  if (checkPassword(req.body.username, req.body.password)) hostCfg.authenticated = true;
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 7, endColumn: 14, data: { name: 'hostCfg', what: 'per-user state', route: `POST /login (${file}:8)` } }],
  },
  {
    name: 'Hono: a helper given the user secret records a ban in a module Map',
    code: `
import { Hono } from 'hono';

const bans = new Map<string, number>();

function ban(userSecret: string, until: number) {
  bans.set(userSecret, until);
}

const app = new Hono();
app.post('/bans', async (c) => {
  const { secret } = await c.req.json<{ secret: string }>();
  ban(secret, Date.now() + 3_600_000);
  return c.body(null, 204);
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 11, data: { name: 'bans', what: 'per-user state', route: `POST /bans (${file}:11)` } }],
  },
  {
    name: 'Express app, inline handler',
    code: `
import express from 'express';

const app = express();
const sessions = new Map<string, { userId: string }>();

app.post('/login', (req, res) => {
  sessions.set(req.body.token, { userId: req.body.userId });
  res.sendStatus(204);
});
`,
    errors: [
      { messageId: 'sessionInMemory', line: 5, column: 7, endLine: 5, endColumn: 15, data: { name: 'sessions', what: 'per-user state', route: `POST /login (${file}:7)` } },
    ],
  },
  {
    name: 'Express Router, handler given by reference, index assignment',
    code: `
import { Router } from 'express';

export const router = Router();
const carts: Record<string, string[]> = {};

function addToCart(req, res) {
  carts[req.session.id] = [...(carts[req.session.id] ?? []), req.body.sku];
  res.json(carts[req.session.id]);
}

router.post('/cart', addToCart);
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 12, data: { name: 'carts', what: 'per-user state', route: `POST /cart (${file}:12)` } }],
  },
  {
    name: 'Express app.route(path).verb(handler) chain',
    code: `
import express from 'express';

const app = express();
const loggedIn = new Set<string>();

app.route('/session').post((req, res) => {
  loggedIn.add(req.body.user);
  res.end();
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 15, data: { name: 'loggedIn', what: 'per-user state', route: `POST /session (${file}:7)` } }],
  },
  {
    name: 'a module `let` reassigned on a request path',
    code: `
import express from 'express';

const app = express();
let currentUser: string | undefined;

app.post('/login', (req, res) => {
  currentUser = req.body.user;
  res.end();
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 5, endColumn: 16, data: { name: 'currentUser', what: 'per-user state', route: `POST /login (${file}:7)` } }],
  },
  {
    name: 'Fastify shorthand route',
    code: `
import Fastify from 'fastify';

const fastify = Fastify();
const sessions = new Map<string, string>();

fastify.post('/login', async (request) => {
  sessions.set(request.id, 'user');
  return { ok: true };
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 15, data: { name: 'sessions', what: 'per-user state', route: `POST /login (${file}:7)` } }],
  },
  {
    name: "Fastify: a Map shared as a decoration (fastify.decorate('sessions', new Map())), reported at the decoration's name",
    code: `
import Fastify, { type FastifyInstance } from 'fastify';

async function sessionsPlugin(fastify: FastifyInstance) {
  fastify.decorate('sessions', new Map<string, string>());
  fastify.decorate('limits', { pageSize: 20 });
}

async function authRoutes(fastify: FastifyInstance) {
  fastify.post('/login', async (request) => {
    fastify.sessions.set(request.id, 'user');
    return { pageSize: fastify.limits.pageSize };
  });
}

const app = Fastify();
app.register(sessionsPlugin);
app.register(authRoutes);
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 20, endColumn: 30, data: { name: 'sessions', what: 'per-user state', route: `POST /login (${file}:10)` } }],
  },
  {
    name: 'koa-session given a store of its own that keeps the sessions in a module Map: reported at the store option',
    code: `
import Koa from 'koa';
import session from 'koa-session';

const sessions = new Map();
const store = {
  get(key) { return sessions.get(key); },
  set(key, value) { sessions.set(key, value); },
  destroy(key) { sessions.delete(key); },
};

const app = new Koa();
app.use(session({ key: 'sid', store }, app));
`,
    errors: [{ messageId: 'sessionStoreInMemory', line: 13, column: 31, endColumn: 36, data: { library: 'koa-session', store: 'a store of its own that keeps them in `sessions`' } }],
  },
  {
    name: 'Fastify route({ handler, preHandler }): both functions are on the request path',
    code: `
import Fastify from 'fastify';

const server = Fastify();
const activeUsers = new Map<string, string>();
const tokens = new Set<string>();

server.route({
  method: 'POST',
  url: '/login',
  preHandler: async (request) => {
    tokens.add(String(request.headers.authorization));
  },
  handler: async (request) => {
    activeUsers.set(request.id, 'user');
    return { ok: true };
  },
});
`,
    errors: [
      { messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 18, data: { name: 'activeUsers', what: 'per-user state', route: `POST /login (${file}:8)` } },
      { messageId: 'sessionInMemory', line: 6, column: 7, endColumn: 13, data: { name: 'tokens', what: 'per-user state', route: `POST /login (${file}:8)` } },
    ],
  },
  {
    name: 'Fastify plugin registered with a prefix (the route label may carry the prefix: not asserted)',
    code: `
import Fastify, { type FastifyInstance } from 'fastify';

const app = Fastify();
const sessions = new Map<string, string>();

async function authRoutes(instance: FastifyInstance) {
  instance.post('/login', async (request) => {
    sessions.set(request.id, 'user');
    return { ok: true };
  });
}

app.register(authRoutes, { prefix: '/auth' });
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 15 }],
  },
  {
    name: 'Koa + @koa/router',
    code: `
import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();
const carts = new Map<string, unknown>();

router.post('/cart', (ctx) => {
  carts.set(ctx.state.user, ctx.request.body);
  ctx.status = 204;
});

app.use(router.routes());
`,
    errors: [{ messageId: 'sessionInMemory', line: 7, column: 7, endColumn: 12, data: { name: 'carts', what: 'per-user state', route: `POST /cart (${file}:9)` } }],
  },
  {
    name: 'Hono',
    code: `
import { Hono } from 'hono';

const app = new Hono();
const sessions = new Map<string, string>();

app.post('/login', async (c) => {
  sessions.set(c.req.header('x-token') ?? '', 'user');
  return c.text('ok');
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 15, data: { name: 'sessions', what: 'per-user state', route: `POST /login (${file}:7)` } }],
  },
  {
    name: 'NestJS: a field of an @Injectable singleton, written through a controller method',
    code: `
import { Body, Controller, Injectable, Post } from '@nestjs/common';

@Injectable()
export class SessionService {
  private readonly sessions = new Map<string, string>();

  create(token: string, userId: string) {
    this.sessions.set(token, userId);
  }
}

@Controller('auth')
export class AuthController {
  constructor(private readonly sessionService: SessionService) {}

  @Post('login')
  login(@Body() body: { token: string; userId: string }) {
    this.sessionService.create(body.token, body.userId);
  }
}
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 20, endColumn: 28 }],
  },
  {
    name: 'NestJS: a field of the controller itself (controllers are singletons too)',
    code: `
import { Body, Controller, Post } from '@nestjs/common';

@Controller('cart')
export class CartController {
  private carts: Record<string, string[]> = {};

  @Post()
  add(@Body() body: { user: string; items: string[] }) {
    this.carts[body.user] = body.items;
  }
}
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 11, endColumn: 16 }],
  },
  {
    name: 'a class static field',
    code: `
import express from 'express';

class SessionRegistry {
  static sessions = new Map<string, string>();
}

const app = express();
app.post('/login', (req, res) => {
  SessionRegistry.sessions.set(req.body.token, req.body.user);
  res.end();
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 10, endColumn: 18, data: { name: 'sessions', what: 'per-user state', route: `POST /login (${file}:9)` } }],
  },
  {
    name: 'a field of a class instantiated once at module scope',
    code: `
import express from 'express';

class UserSessions {
  private byToken = new Map<string, string>();

  remember(token: string, user: string) {
    this.byToken.set(token, user);
  }
}

const userSessions = new UserSessions();
const app = express();
app.post('/login', (req, res) => {
  userSessions.remember(req.body.token, req.body.user);
  res.end();
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 11, endColumn: 18, data: { name: 'byToken', what: 'per-user state', route: `POST /login (${file}:14)` } }],
  },
  {
    name: 'AWS Lambda handler export: warm containers keep module state between invocations',
    code: `
const sessions: Record<string, string> = {};

export const handler = async (event: { headers: Record<string, string>; body: string }) => {
  sessions[event.headers.authorization] = event.body;
  return { statusCode: 200 };
};
`,
    errors: [{ messageId: 'sessionInMemory', line: 2, column: 7, endColumn: 15 }],
  },
  {
    name: 'http.createServer',
    code: `
import { createServer } from 'node:http';

const sessions = new Map<string, string>();

createServer((req, res) => {
  sessions.set(String(req.headers.cookie), String(req.url));
  res.end();
}).listen(3000);
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 15 }],
  },
  {
    name: 'socket.io: socket.on(event, handler) inside the connection handler',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);
const onlineUsers = new Map<string, string>();

io.on('connection', (socket) => {
  socket.on('login', (userId: string) => {
    onlineUsers.set(userId, socket.id);
  });
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 18 }],
  },
  {
    name: 'tRPC procedure',
    code: `
import { initTRPC } from '@trpc/server';

const t = initTRPC.create();
const publicProcedure = t.procedure;
const carts = new Map<string, string[]>();

export const appRouter = t.router({
  addToCart: publicProcedure.mutation(({ input }) => {
    carts.set(String(input), []);
    return true;
  }),
});
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 7, endColumn: 12 }],
  },
  {
    name: 'express-session with the default MemoryStore: the suggestion adds a Redis store',
    code: `
import express from 'express';
import session from 'express-session';

const app = express();
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }));
`,
    errors: [
      {
        messageId: 'sessionStoreInMemory',
        line: 6,
        column: 9,
        endLine: 6,
        endColumn: 16,
        data: { library: 'express-session', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'sessionStoreMoveToRedis',
            output: `
import express from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error: unknown) => console.error('Redis connection failed', error));

const app = express();
app.use(session({ store: new RedisStore({ client: redisClient }), secret: 'keyboard cat', resave: false, saveUninitialized: false }));
`,
          },
        ],
      },
    ],
  },
  {
    name: '@fastify/session registered without options: the suggestion passes them, with the Redis store',
    code: `
import Fastify from 'fastify';
import fastifySession from '@fastify/session';

const app = Fastify();
app.register(fastifySession);
`,
    errors: [
      {
        messageId: 'sessionStoreInMemory',
        line: 6,
        column: 14,
        endLine: 6,
        endColumn: 28,
        data: { library: '@fastify/session', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'sessionStoreMoveToRedis',
            output: `
import Fastify from 'fastify';
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error: unknown) => console.error('Redis connection failed', error));

const app = Fastify();
app.register(fastifySession, { store: new RedisStore({ client: redisClient }) });
`,
          },
        ],
      },
    ],
  },
  {
    name: 'an explicit express-session MemoryStore in the branch an opt-in setting leaves on by default (unset, `=== \'true\'` fails)',
    code: `
import session from 'express-session';
import connectRedis from 'connect-redis';

const RedisStore = connectRedis(session);
export const sessions = process.env.REDIS_ENABLED === 'true' ? session({ secret: 'x', store: new RedisStore({}) }) : session({ secret: 'x', store: new session.MemoryStore() });
`,
    errors: [
      { messageId: 'sessionStoreInMemory', line: 6, column: 148, endColumn: 173, data: { library: 'express-session', store: 'MemoryStore' }, suggestions: [] },
    ],
  },
  {
    name: 'an explicit express-session MemoryStore',
    code: `
import session from 'express-session';

export const sessionMiddleware = session({
  secret: 'x',
  store: new session.MemoryStore(),
});
`,
    errors: [
      {
        messageId: 'sessionStoreInMemory',
        line: 6,
        column: 10,
        endColumn: 35,
        data: { library: 'express-session', store: 'MemoryStore' },
        suggestions: [
          {
            messageId: 'sessionStoreMoveToRedis',
            output: `
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error: unknown) => console.error('Redis connection failed', error));

export const sessionMiddleware = session({
  secret: 'x',
  store: new RedisStore({ client: redisClient }),
});
`,
          },
        ],
      },
    ],
  },
  {
    name: 'express-session with session-file-store (CommonJS): sessions in files on this instance',
    code: `
const express = require('express');
const session = require('express-session');
const FileStore = require('session-file-store')(session);

const app = express();
app.use(session({ store: new FileStore({ path: './sessions' }), secret: process.env.SECRET, resave: false, saveUninitialized: false }));
`,
    errors: [
      { messageId: 'sessionStoreOnDisk', line: 7, column: 26, endColumn: 63, data: { library: 'session-file-store', store: 'FileStore' }, suggestions: [] },
    ],
  },
  {
    name: 'express-session with connect-sqlite3 (ESM): sessions in a local SQLite file',
    code: `
import session from 'express-session';
import connectSqlite from 'connect-sqlite3';

const SQLiteStore = connectSqlite(session);
export const sessions = session({ store: new SQLiteStore({ db: 'sessions.db', dir: './var' }), secret: 'x', resave: false, saveUninitialized: false });
`,
    errors: [{ messageId: 'sessionStoreOnDisk', line: 6, column: 42, endColumn: 94, data: { library: 'connect-sqlite3', store: 'SQLiteStore' }, suggestions: [] }],
  },
  {
    name: 'express-session given a store class of its own (CommonJS) that keeps the sessions in a Map field',
    code: `
const session = require('express-session');

class MapStore extends session.Store {
  constructor() {
    super();
    this.sessions = new Map();
  }
  get(sid, callback) {
    callback(null, this.sessions.get(sid) ?? null);
  }
  set(sid, data, callback) {
    this.sessions.set(sid, data);
    callback(null);
  }
}

module.exports = session({ store: new MapStore(), secret: process.env.SECRET, resave: false, saveUninitialized: false });
`,
    errors: [{ messageId: 'sessionStoreInMemory', line: 7, column: 10, endColumn: 18, data: { library: 'express-session', store: 'MapStore, a store of its own that keeps them in `this.sessions`' }, suggestions: [] }],
  },
  {
    name: 'passport-openidconnect state store of its own (NestJS service style) keeping login states in a Map field',
    code: `
import type { Request } from 'express';
import type { SessionStore, SessionStoreCallback, SessionStoreContext, SessionVerifyCallback } from 'passport-openidconnect';

export class LoginStateStore implements SessionStore {
  private readonly pending = new Map<string, { ctx: SessionStoreContext; at: number }>();

  store(_req: Request, ctx: SessionStoreContext, _state: unknown, _meta: unknown, callback: SessionStoreCallback) {
    const handle = crypto.randomUUID();
    this.pending.set(handle, { ctx, at: Date.now() });
    callback(null, handle);
  }

  verify(_req: Request, handle: string, callback: SessionVerifyCallback) {
    const entry = this.pending.get(handle);
    this.pending.delete(handle);
    callback(null, entry?.ctx, undefined);
  }
}
`,
    errors: [{ messageId: 'sessionStoreInMemory', line: 6, column: 20, endColumn: 27, data: { library: 'passport-openidconnect', store: 'LoginStateStore, a store of its own that keeps them in `this.pending`' }, suggestions: [] }],
  },
  {
    name: 'express-session with a file store class made where the middleware is configured (ESM, inside a setup function)',
    code: `
import session from 'express-session';
import LokiStoreFactory from 'connect-loki';

export function configureSessions(app, config) {
  if (config.requireLogin) {
    const LokiStore = LokiStoreFactory(session);
    app.use(session({ store: new LokiStore({ path: './data/sessions.db' }), secret: config.secret, resave: false, saveUninitialized: false }));
  }
}
`,
    errors: [{ messageId: 'sessionStoreOnDisk', line: 8, column: 30, endColumn: 75, data: { library: 'connect-loki', store: 'LokiStore' }, suggestions: [] }],
  },
  {
    name: '@fastify/session registered without a store',
    code: `
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';

const app = Fastify();
app.register(fastifyCookie);
app.register(fastifySession, { secret: 'a secret with minimum length of 32 characters' });
`,
    errors: [
      {
        messageId: 'sessionStoreInMemory',
        line: 8,
        column: 14,
        endColumn: 28,
        data: { library: '@fastify/session', store: 'the default MemoryStore' },
        // @fastify/session takes express-session's stores, in the options register passes it.
        suggestions: [
          {
            messageId: 'sessionStoreMoveToRedis',
            output: `
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error: unknown) => console.error('Redis connection failed', error));

const app = Fastify();
app.register(fastifyCookie);
app.register(fastifySession, { store: new RedisStore({ client: redisClient }), secret: 'a secret with minimum length of 32 characters' });
`,
          },
        ],
      },
    ],
  },
  {
    name: 'allowNames that do not match leave the finding',
    code: `
import express from 'express';

const app = express();
const sessions = new Map<string, string>();

app.post('/login', (req, res) => {
  sessions.set(req.body.token, req.body.user);
  res.end();
});
`,
    options: [{ allowNames: ['other', '/^warm/'] }],
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, data: { name: 'sessions', what: 'per-user state', route: `POST /login (${file}:7)` } }],
  },
  {
    name: 'Express: state a metrics callback observes and a route also answers from: reported',
    code: `
import express from 'express';
import { metrics } from '@opentelemetry/api';

const meter = metrics.getMeter('app');
const runtimeState = { lastVisitor: '' };
meter.createObservableGauge('app.visitor.length').addCallback((observer) => observer.observe(runtimeState.lastVisitor.length));
const app = express();
app.post('/visit', (req, res) => {
  runtimeState.lastVisitor = req.body.name;
  res.end();
});
app.get('/last-visitor', (req, res) => res.send(runtimeState.lastVisitor));
`,
    errors: [{ messageId: 'sessionInMemory', line: 6, column: 7, endColumn: 19, data: { name: 'runtimeState', what: 'per-user state', route: `POST /visit (${file}:9)` } }],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  {
    name: "the ids a class has queued in its own p-queue, added where it hands the install to the queue and dropped when it ends, are the queue's bookkeeping",
    code: `
import express from 'express';
import PQueue from 'p-queue';

class TaskLimit {
  private installQueue = new PQueue({ concurrency: 2 });
  private queuedIds = new Set<number>();

  get firstQueued() {
    return [...this.queuedIds.values()][0];
  }

  runInstall(id: number, fn: () => Promise<void>) {
    this.queuedIds.add(id);
    return this.installQueue.add(fn);
  }

  removeInstall(id: number) {
    this.queuedIds.delete(id);
  }
}

const taskLimit = new TaskLimit();
const app = express();
app.post('/installs/:id', async (req, res) => {
  const id = Number(req.params.id);
  if (taskLimit.firstQueued !== id) res.status(202);
  await taskLimit.runInstall(id, async () => taskLimit.removeInstall(id));
  res.end();
});
app.listen(3000);
`,
  },
  {
    name: 'request timings a middleware pushes and trims, summed up only by a function nothing calls, are no one\'s data',
    code: `
import express from 'express';

const timings: { path: string; ms: number }[] = [];

function averageTiming() {
  return timings.reduce((sum, t) => sum + t.ms, 0) / timings.length;
}

const app = express();
app.use((req, res, next) => {
  const start = Date.now();
  res.on('finish', () => {
    timings.push({ path: req.path, ms: Date.now() - start });
    if (timings.length > 1000) timings.shift();
  });
  next();
});
app.get('/health', (req, res) => res.json({ ok: true }));
app.listen(3000);
`,
  },
  {
    name: "a singleton's private field each call sets before the private methods it then calls read it is scratch of that call",
    code: `
import express from 'express';

class Notifier {
  private senders = new Map([['chat', this.chat]]);
  private title = '';

  async notify(type: string, title: string) {
    if (type) {
      this.title = title;
      return this.senders.get(type)?.call(this);
    }
    return false;
  }

  private async chat() {
    await fetch('https://chat.example/hook', { method: 'POST', body: this.title });
    return true;
  }
}

const notifier = new Notifier();
const app = express();
app.post('/notify', async (req, res) => {
  res.json({ sent: await notifier.notify(String(req.body.type), String(req.body.title)) });
});
app.listen(3000);
`,
  },
  {
    name: "a node-schedule job's handle, rewritten when a route changes the schedule and cleared when it is cancelled, is no application data",
    code: `
import express from 'express';
import schedule from 'node-schedule';
import { runSpeedtest } from './speedtest';

let job: schedule.Job | undefined;

const app = express();
app.patch('/config/cron', express.json(), (req, res) => {
  if (job !== undefined) {
    job.cancel();
    job = undefined;
  }
  job = schedule.scheduleJob(String(req.body.value), () => runSpeedtest());
  res.json({ ok: true });
});

app.listen(3000);
`,
  },
  {
    name: 'express-session without a store only in the else of a setting whose stated default (a helper handed it) takes the Redis branch',
    code: `
import session from 'express-session';
import connectRedis from 'connect-redis';
import { createClient } from 'redis';

function envFlag(name: string, fallback: boolean): boolean {
  return process.env[name] === undefined ? fallback : process.env[name] === 'true';
}
const config = { redisEnabled: envFlag('REDIS_ENABLED', true) };
const RedisStore = connectRedis(session);

export let sessions;
if (config.redisEnabled) {
  sessions = session({ secret: 'x', store: new RedisStore({ client: createClient() }) });
} else {
  sessions = session({ secret: 'x', store: new session.MemoryStore() });
}
`,
  },
  {
    name: "a library limiter kept in a field and rebuilt by a method that returns it, from a route's setting: the limiter, reported where it is built by the counter rule",
    code: `
import express from 'express';
import { TokenBucket } from 'limiter';

class ThrottleGroup {
  private bucket: TokenBucket;
  constructor(kbps: number) {
    this.bucket = this.resize(kbps);
  }
  resize(kbps: number): TokenBucket {
    return this.bucket = new TokenBucket({ bucketSize: kbps * 1000, tokensPerInterval: kbps * 1000, interval: 'second' });
  }
  consume(bytes: number): Promise<number> {
    return this.bucket.removeTokens(bytes);
  }
}

const mainGroup = new ThrottleGroup(1024);
const app = express();
app.post('/limits', (req, res) => {
  mainGroup.resize(Number(req.body.kbps));
  res.sendStatus(204);
});
`,
  },
  {
    name: 'NestJS: a provider a factory makes afresh for each call, and nothing injects: its fields belong to that call',
    code: scoresController('private readonly factory: ScoreServiceFactory', 'this.factory.create()'),
  },
  {
    name: "a run's entries keyed under its id and swept out by that prefix in the run's own finally, a return inside the try: this process's running work",
    code: `
import express from 'express';

const store = {
  async saveFile(runId: string, file: string): Promise<string> {
    const response = await fetch('https://files.example.com/' + runId, { method: 'POST', body: file });
    return String(await response.text());
  },
};

class Runner {
  private addedFiles = new Map<string, string>();

  private async addFiles(runId: string, files: string[]): Promise<void> {
    for (const file of files) {
      const key = runId + ':' + file;
      if (this.addedFiles.has(key)) continue;
      const id = await store.saveFile(runId, file);
      this.addedFiles.set(key, id);
    }
  }

  async run(runId: string, files: string[]): Promise<number> {
    try {
      await this.addFiles(runId, files);
      return files.length;
    } finally {
      for (const key of this.addedFiles.keys()) {
        if (key.startsWith(runId + ':')) this.addedFiles.delete(key);
      }
    }
  }
}

const runner = new Runner();
const app = express();
app.post('/runs/:id', async (req, res) => {
  res.json({ added: await runner.run(req.params.id, req.body.files) });
});
`,
  },
  {
    name: "socket.io: the clients connected to this instance, kept under the connection's own id and sent to, stay quiet (no-in-memory-pubsub's)",
    code: `
import { Server } from 'socket.io';

const connectedClients = new Set<string>();
const io = new Server(3000);

io.on('connection', (socket) => {
  connectedClients.add(socket.id);
  socket.on('disconnect', () => connectedClients.delete(socket.id));
  socket.on('ping', () => {
    for (const id of connectedClients) io.to(id).emit('pong');
  });
});
`,
  },
  {
    name: 'Express: SMTP transports made per configured host and kept by host are clients of another system, not sessions',
    code: `
import express from 'express';
import nodemailer, { type Transporter } from 'nodemailer';

const app = express();
const transports: Record<string, Transporter> = {};

app.post('/mail/:host', async (req, res) => {
  const host = req.params.host;
  if (!transports[host]) transports[host] = nodemailer.createTransport({ host, port: 587 });
  await transports[host].sendMail({ to: 'ops@example.com', subject: 'ping' });
  res.end();
});
`,
  },
  {
    name: 'Bull: a queue opened per tenant on first use and kept by tenant is a handle to the queue in Redis, not user state',
    code: `
import express from 'express';
import Queue from 'bull';

const app = express();
const tenantQueues: Record<string, Queue.Queue> = {};

app.post('/imports/:tenant', async (req, res) => {
  const tenant = req.params.tenant;
  if (!tenantQueues[tenant]) tenantQueues[tenant] = new Queue('imports-' + tenant, process.env.REDIS_URL);
  const job = await tenantQueues[tenant].add({ file: req.body.file });
  res.json({ id: job.id });
});
`,
  },
  {
    name: 'Express: mail templates compiled with Handlebars, memoised by name as a preview route first reads them, are code of this process, not user state',
    code: `
import express from 'express';
import Handlebars from 'handlebars';
import { readFile } from 'fs';

const app = express();
const views = new Map();

function view(name: string, done: (err: unknown, render?: (data: unknown) => string) => void): void {
  if (views.has(name)) return done(null, views.get(name));
  const finish = (text: string) => {
    const render = Handlebars.compile(text);
    views.set(name, render);
    done(null, render);
  };
  readFile(name, 'utf8', (err, text) => {
    if (err) return done(err);
    finish(text);
  });
}

app.post('/mail/preview', (req, res) => {
  view('mail.hbs', (err, render) => res.send(render ? render(req.body) : String(err)));
});
app.listen(3000);
`,
  },
  {
    name: "Express: the line of jobs waiting while a busy slot is taken belongs to the slot's lock (no-in-process-lock reports it), not to a user",
    code: `
import express from 'express';
import { db } from './db';

class Transcoder {
  private waiting: { videoId: string }[] = [];
  private active: { videoId: string } | null = null;
  async enqueue(job: { videoId: string }): Promise<void> {
    if (this.active) {
      this.waiting.push(job);
      return;
    }
    this.active = job;
    await db.renditions.insert({ videoId: job.videoId });
    this.active = null;
    const next = this.waiting.shift();
    if (next) void this.enqueue(next);
  }
}

const transcoder = new Transcoder();
const app = express();
app.post('/videos/:id/renditions', (req, res) => {
  void transcoder.enqueue({ videoId: req.params.id });
  res.sendStatus(202);
});
`,
  },
  {
    name: 'Express: order ids this process already logged a bad total for only de-duplicate its own log',
    code: `
import express from 'express';

const flaggedOrders: string[] = [];

function checkTotals(order: { id: string; total: number }) {
  if (flaggedOrders.indexOf(order.id) !== -1) return;
  try {
    if (order.total < 0) throw new Error('negative total');
  } catch (error) {
    console.warn('order with a bad total', order.id, error);
    flaggedOrders.push(order.id);
  }
}

const app = express();
app.post('/orders', (req, res) => {
  checkTotals(req.body);
  res.sendStatus(201);
});
`,
  },
  {
    name: 'socket.io: a window of round-trip samples sent back as its average and emptied is this process’s measurement',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);
let roundTrips: number[] = [];

io.on('connection', (socket) => {
  socket.on('pong-check', (sentAt: number) => {
    roundTrips.push(Date.now() - sentAt);
    if (roundTrips.length === 10) {
      socket.emit('latency', (roundTrips.reduce((sum, ms) => sum + ms, 0) / 10).toFixed(1));
      roundTrips = [];
    }
  });
});
`,
  },
  {
    name: 'Express: the handle of a flush timer a batcher made by a factory keeps, armed by the first request, is no user state',
    code: `
import express from 'express';
import { db } from './db';

function createBatcher<T>(save: (rows: T[]) => Promise<unknown>, ms: number) {
  let rows: T[] = [];
  let timer: ReturnType<typeof setInterval> | null = null;
  function ensureTimer() {
    if (timer) return;
    timer = setInterval(() => {
      const batch = rows;
      rows = [];
      void save(batch);
    }, ms);
  }
  return {
    add(row: T) {
      rows.push(row);
      ensureTimer();
    },
  };
}

const views = createBatcher((rows: string[]) => db.insertViews(rows), 1000);

const app = express();
app.post('/views', express.json(), (req, res) => {
  views.add(String(req.body.path));
  res.sendStatus(202);
});
`,
  },
  {
    name: "Express: the last report a route hands to its logger, kept for a test getter, is this process's copy of its log",
    code: `
import express from 'express';
import { logger } from './logger';

let lastReport: { board: string; reported: string } | null = null;
export function getLastReport() {
  return lastReport;
}

const app = express();
app.post('/boards/:board/reports', express.json(), (req, res) => {
  const entry = { board: req.params.board, reported: req.body.userId };
  lastReport = entry;
  logger.warn('user.reported', entry);
  res.sendStatus(202);
});
`,
  },
  {
    name: 'Express: an lru-cache of rendered pages keyed by their path is no login store',
    code: `
import express from 'express';
import { LRUCache } from 'lru-cache';

const pages = new LRUCache<string, string>({ max: 100, ttl: 60_000 });
const app = express();
app.get('/docs/:page', (req, res) => {
  const cached = pages.get(req.params.page);
  if (cached) return res.send(cached);
  pages.set(req.params.page, '<h1>' + req.params.page + '</h1>');
  res.send(pages.get(req.params.page));
});
`,
  },
  {
    name: 'a one-off command that signs a token with a key it draws: no web process loads it',
    code: `
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';

const SIGNING_KEY = crypto.randomBytes(32);
console.log(jwt.sign({ sub: process.argv[2] }, SIGNING_KEY));
`,
  },
  {
    name: 'a secret read from the environment with a fixed fallback, and a random id handed to a client as data, are not keys each instance draws',
    code: `
import crypto from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';

const JWT_SECRET = process.env.JWT_SECRET || 'development-only';
const app = express();
app.post('/login', express.json(), (req, res) => {
  const requestId = crypto.randomUUID();
  res.json({ requestId, token: jwt.sign({ sub: req.body.user }, JWT_SECRET) });
});
`,
  },
  {
    name: 'Express: promises of property loads a transform pushes and waits on with Promise.all are pending work of this process, not data a user left',
    code: `
import express from 'express';
import { fetchProps } from './props';

const propertyLoads: Promise<void>[] = [];

async function transform(nodes: { id: string; props?: unknown }[]) {
  nodes.forEach((node) => {
    const load = fetchProps(node.id).then((props) => {
      node.props = props;
    });
    propertyLoads.push(load);
  });
  await Promise.all(propertyLoads);
  return nodes;
}

const app = express();
app.post('/transform', express.json(), async (req, res) => {
  res.json(await transform(req.body.nodes));
});
`,
  },
  {
    name: 'Express: start times kept by listeners handed to llamaindex’s callback manager: a trace of the model calls this process runs',
    code: `
import express from 'express';
import { Settings } from 'llamaindex';

class EvaluationTracer {
  static startTimes = new Map<string, number>();
  static listening = false;
  constructor(public id: string) {
    EvaluationTracer.listen();
  }
  static listen() {
    if (EvaluationTracer.listening) return;
    Settings.callbackManager.on('llm-start', (event: { runId: string; timeStamp: number }) => {
      EvaluationTracer.startTimes.set(event.runId, event.timeStamp);
    });
    Settings.callbackManager.on('llm-end', (event: { runId: string; timeStamp: number }) => {
      console.log(event.timeStamp - (EvaluationTracer.startTimes.get(event.runId) ?? 0));
      EvaluationTracer.startTimes.delete(event.runId);
    });
    EvaluationTracer.listening = true;
  }
}

const app = express();
app.post('/evaluations', express.json(), (req, res) => {
  res.json(new EvaluationTracer(req.body.id).id);
});
`,
  },
  {
    name: 'Express: a task list added to when a scan starts and taken out by the same scan when it ends, through the manager’s helpers: this process’s running work, listed to admins',
    code: `
import express from 'express';

class Task {
  constructor(public id: string, public title: string) {}
}

class TaskManager {
  tasks: Task[] = [];
  addTask(task: Task) {
    this.tasks.push(task);
  }
  taskFinished(task: Task) {
    this.tasks = this.tasks.filter((t) => t.id !== task.id);
  }
}
const taskManager = new TaskManager();

async function scan(library: { id: string; walk(): Promise<void> }) {
  const task = new Task(library.id, 'scan');
  taskManager.addTask(task);
  try {
    await library.walk();
  } catch {
    // reported with the task
  }
  taskManager.taskFinished(task);
}

const app = express();
app.post('/libraries/:id/scan', express.json(), async (req, res) => {
  await scan(req.body.library);
  res.json(taskManager.tasks);
});
`,
  },
  {
    name: 'Express: shutdown handlers that a request only takes out again (`handlers = handlers.filter(…)`): filled at start-up',
    code: `
import express from 'express';

class ShutdownHelper {
  static handlers: { key: string; callback: () => Promise<unknown> }[] = [];
  static add(key: string, callback: () => Promise<unknown>) {
    this.handlers.push({ key, callback });
  }
  static remove(key: string) {
    this.handlers = this.handlers.filter((handler) => handler.key !== key);
  }
}

const app = express();
app.post('/locks/:key/release', (req, res) => {
  ShutdownHelper.remove(req.params.key);
  res.sendStatus(204);
});
`,
  },
  {
    name: 'Express: a registry of prom-client metrics by name, filled by the constructor of a wrapper that makes each instrument on first use from a middleware',
    code: `
import express from 'express';
import prom from 'prom-client';

const metrics = new Map<string, MetricWrapper>();

class MetricWrapper {
  metric: prom.Counter | prom.Histogram;
  constructor(type: string, name: string) {
    metrics.set(name, this);
    this.metric = type === 'counter' ? new prom.Counter({ name, help: name }) : new prom.Histogram({ name, help: name });
  }
}

function metric(type: string, name: string): MetricWrapper {
  return metrics.get(name) ?? new MetricWrapper(type, name);
}

const app = express();
app.use((req, res, next) => {
  metric('counter', \`http_\${req.method.toLowerCase()}\`);
  next();
});
`,
  },
  {
    name: 'Koa and Fastify: OpenTelemetry histograms and prom-client gauges made on first use by a helper, named from the request, kept by name',
    code: `
import Koa from 'koa';
import Fastify from 'fastify';
import client from 'prom-client';
import { metrics } from '@opentelemetry/api';

type Histogram = ReturnType<ReturnType<typeof metrics.getMeter>['createHistogram']>;
const histograms = new Map<string, Histogram>();
const gauges: Record<string, client.Gauge> = {};
const meter = metrics.getMeter('api');

function histogram(name: string): Histogram {
  let found = histograms.get(name);
  if (!found) {
    found = meter.createHistogram(name);
    histograms.set(name, found);
  }
  return found;
}

function gauge(name: string): client.Gauge {
  const made = new client.Gauge({ name, help: name });
  gauges[name] = made;
  return made;
}

const app = new Koa();
app.use(async (ctx, next) => {
  const started = Date.now();
  await next();
  histogram(\`koa_\${ctx.method}_latency\`).record(Date.now() - started);
});

const fastify = Fastify();
fastify.get('/queues/:name', async (request) => {
  const { name } = request.params as { name: string };
  (gauges[name] ?? gauge(name)).set(Number((request.query as { depth?: string }).depth ?? 0));
  return { name };
});
`,
  },
  {
    name: '@fastify/session given a Redis store, and a register of another plugin with no store',
    code: `
import Fastify from 'fastify';
import fastifySession from '@fastify/session';
import fastifyMultipart from '@fastify/multipart';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });
const app = Fastify();
app.register(fastifySession, { secret: process.env.SESSION_SECRET!, store: new RedisStore({ client }) });
app.register(fastifyMultipart, { limits: { fileSize: 1024 } });
`,
  },
  {
    name: 'a store class of its own that delegates to Redis (its Map only keeps expiry timers of its own), and a Map field in a class that is no session store',
    code: `
import session from 'express-session';
import { createClient } from 'redis';

const redis = createClient({ url: process.env.REDIS_URL });

export class RedisBackedStore extends session.Store {
  private readonly expiryTimers = new Map<string, { timer: ReturnType<typeof setTimeout>; at: number }>();

  touch(sid: string, data: session.SessionData, callback?: () => void) {
    const at = data.cookie.expires ? new Date(data.cookie.expires).getTime() : Date.now();
    clearTimeout(this.expiryTimers.get(sid)?.timer);
    const timer = setTimeout(() => this.expiryTimers.delete(sid), at - Date.now());
    this.expiryTimers.set(sid, { timer, at });
    callback?.();
  }
  get(sid: string, callback: (error: unknown, data?: session.SessionData | null) => void) {
    redis.get('sess:' + sid).then((text) => callback(null, text ? JSON.parse(text) : null), callback);
  }
  set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void) {
    redis.set('sess:' + sid, JSON.stringify(data)).then(() => callback?.(), callback);
  }
  destroy(sid: string, callback?: (error?: unknown) => void) {
    redis.del('sess:' + sid).then(() => callback?.(), callback);
  }
}

export class TemplateRegistry {
  private readonly templates = new Map<string, string>();
  register(name: string, text: string) {
    this.templates.set(name, text);
  }
}
`,
  },
  {
    name: "socket.io: state keyed by the connection's own id lives and dies with the socket, which stays on this instance (realtime state, not a session)",
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);
const users: Record<string, { name: string; color?: string }> = {};

io.on('connection', (socket) => {
  socket.on('hello', (name: string) => {
    users[socket.id] = { name };
    users[socket.id].color = '#fff';
  });
  socket.on('disconnect', () => {
    delete users[socket.id];
  });
});
`,
  },
  {
    name: 'socket.io-client: events of a socket this process opens (browser bundle, or a service connecting out) are not requests',
    code: `
import { io } from 'socket.io-client';

const socket = io('https://notes.example.com', { path: '/socket.io/' });
let onlineUsers: string[] = [];
const seen = new Set<string>();
socket.on('connect', () => {
  socket.on('online users', (data: { users: string[] }) => {
    onlineUsers = data.users;
    seen.add(socket.id ?? '');
  });
});
`,
  },
  {
    name: 'fields set up in the constructor of a service singleton that handlers also create per request (Express, NestJS)',
    code: `
import express from 'express';
import { Controller, Injectable, Post } from '@nestjs/common';

class FilesService {
  private accountDb: { run(sql: string): number };
  private names: Record<string, string>;
  constructor(accountDb: { run(sql: string): number }) {
    this.accountDb = accountDb;
    this.names = {};
  }
  count() { return this.accountDb.run('select 1'); }
}
const openDb = () => ({ run: () => 1 });
export const filesService = new FilesService(openDb());
const app = express();
app.get('/files', (req, res) => {
  res.json(new FilesService(openDb()).count());
});

@Injectable()
export class AuditService {
  private readonly entries: string[];
  constructor() {
    this.entries = [];
  }
}
@Controller('audit')
export class AuditController {
  @Post()
  create() {
    return new AuditService();
  }
}
`,
  },
  {
    name: 'NestJS: a service that keeps the client and library list of its own scan (what the process made, no user data)',
    code: `
import { Controller, Injectable, Post } from '@nestjs/common';
import { PlexApi } from './plex';

@Injectable()
export class PlexScanner {
  private client: PlexApi | undefined;
  private libraries: string[] = [];

  async run() {
    this.client = await PlexApi.connect(process.env.PLEX_URL!);
    this.libraries = await this.client.libraries();
  }
}

@Controller('scan')
export class ScanController {
  constructor(private readonly scanner: PlexScanner) {}

  @Post()
  start() {
    return this.scanner.run();
  }
}
`,
  },
  {
    name: 'Koa: a route that triggers a sync which reloads a public mapping table into a module variable',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { download } from './download';

let mapping: Record<string, number> = {};

async function sync() {
  mapping = await download('https://example.org/mapping.json');
}

const app = new Koa();
const router = new Router();
router.post('/admin/sync', async (ctx) => {
  await sync();
  ctx.status = 202;
});
app.use(router.routes());
`,
  },
  {
    name: 'koa-session keeping the session in its cookie, or in a Redis store',
    code: `
import Koa from 'koa';
import session from 'koa-session';
import redisStore from 'koa-redis';

const app = new Koa();
app.use(session({ key: 'sid', maxAge: 86400000 }, app));
app.use(session({ key: 'sid2', store: redisStore({ url: process.env.REDIS_URL }) }, app));
`,
  },
  {
    name: 'Fastify decorations only read on the request path, and a local object of the same name written there',
    code: `
import Fastify, { type FastifyInstance } from 'fastify';

async function configPlugin(fastify: FastifyInstance) {
  fastify.decorate('settings', new Map([['pageSize', 20]]));
  fastify.decorate('sessions', new Map<string, string>());
}

async function routes(fastify: FastifyInstance) {
  fastify.get('/settings', async () => Object.fromEntries(fastify.settings));
  fastify.post('/draft', async (request) => {
    const local = { sessions: new Map<string, string>() };
    local.sessions.set(request.id, 'draft');
    return { ok: true };
  });
}

const app = Fastify();
app.register(configPlugin);
app.register(routes);
`,
  },
  {
    name: 'a database client kept on globalThis across hot reloads',
    code: `
import express from 'express';
import { PrismaClient } from '@prisma/client';

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
const prisma = globalForPrisma.prisma ?? (globalForPrisma.prisma = new PrismaClient());
const app = express();
app.post('/users', async (req, res) => {
  res.json(await prisma.user.create({ data: req.body }));
});
`,
  },
  {
    name: 'a constant lookup table, only read in the handler',
    code: `
import express from 'express';

const app = express();
const ROLES = new Map([['admin', 3], ['user', 1]]);

app.get('/roles/:name', (req, res) => {
  res.json({ level: ROLES.get(req.params.name) });
});
`,
  },
  {
    name: 'per-request locals',
    code: `
import express from 'express';

const app = express();

app.post('/cart', (req, res) => {
  const cart = new Map<string, number>();
  for (const item of req.body.items) cart.set(item.sku, item.quantity);
  res.json(Object.fromEntries(cart));
});
`,
  },
  {
    name: 'state written only at module start-up',
    code: `
import express from 'express';

const app = express();
const users = new Map<string, string>();
users.set('admin', 'Administrator');

function loadUsers(names: string[]) {
  for (const name of names) users.set(name, name.toUpperCase());
}
loadUsers(['ada', 'grace']);

app.get('/users/:id', (req, res) => {
  res.json({ name: users.get(req.params.id) });
});
`,
  },
  {
    name: 'cookie-session keeps the session in the cookie',
    code: `
import express from 'express';
import cookieSession from 'cookie-session';

const app = express();
app.use(cookieSession({ name: 'session', keys: ['key1', 'key2'] }));

app.post('/login', (req, res) => {
  req.session!.user = req.body.user;
  res.end();
});
`,
  },
  {
    name: "koa-session's default store is the cookie",
    code: `
import Koa from 'koa';
import session from 'koa-session';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();
app.use(session({ key: 'shop.sess' }, app));

router.post('/login', (ctx) => {
  ctx.session!.user = ctx.request.body;
  ctx.status = 204;
});
app.use(router.routes());
`,
  },
  {
    name: 'signed JWTs: nothing kept in the process',
    code: `
import express from 'express';
import jwt from 'jsonwebtoken';

const app = express();

app.get('/me', (req, res) => {
  const user = jwt.verify(String(req.headers.authorization), process.env.JWT_SECRET!);
  res.json(user);
});
`,
  },
  {
    name: 'numeric counters belong to no-in-memory-counter, caches to no-process-local-cache',
    code: `
import express from 'express';

const app = express();
let hits = 0;
const userCache = new Map<string, string>();

app.get('/users/:id', (req, res) => {
  hits++;
  userCache.set(req.params.id, 'user');
  res.json({ hits });
});
`,
  },
  {
    name: 'a request-scoped NestJS provider is created per request',
    code: `
import { Controller, Injectable, Post, Scope } from '@nestjs/common';

@Injectable({ scope: Scope.REQUEST })
export class RequestContext {
  private readonly values = new Map<string, string>();

  set(key: string, value: string) {
    this.values.set(key, value);
  }
}

@Controller('context')
export class ContextController {
  constructor(private readonly context: RequestContext) {}

  @Post()
  remember() {
    this.context.set('seen', 'yes');
  }
}
`,
  },
  {
    name: 'browser code: a client fetch helper, not a route',
    code: `
declare const $: { get(url: string, done: (data: string[]) => void): void };

const cartItems: string[] = [];

$.get('/api/cart', (data: string[]) => {
  cartItems.push(...data);
});
`,
  },
  {
    name: 'allowNames silences a name, exactly or by /regex/',
    code: `
import express from 'express';

const app = express();
const sessions = new Map<string, string>();
const warmSessions = new Map<string, string>();

app.post('/login', (req, res) => {
  sessions.set(req.body.token, req.body.user);
  warmSessions.set(req.body.token, req.body.user);
  res.end();
});
`,
    options: [{ allowNames: ['sessions', '/^warm/'] }],
  },
  {
    name: 'checkSessionMiddleware: false',
    code: `
import express from 'express';
import session from 'express-session';

const app = express();
app.use(session({ secret: 'keyboard cat' }));
`,
    options: [{ checkSessionMiddleware: false }],
  },
  {
    name: 'socket.io: a gauge of this process read only by an OpenTelemetry observable callback',
    code: `
import { Server } from 'socket.io';
import { metrics } from '@opentelemetry/api';

const meter = metrics.getMeter('app');
const runtimeState = { connectedUsers: 0 };
meter.createObservableGauge('app.users.connected').addCallback((observer) => {
  observer.observe(runtimeState.connectedUsers);
});
function setConnectedUsers(value: number) {
  runtimeState.connectedUsers = value;
}
const io = new Server(3000);
io.on('connection', (socket) => {
  setConnectedUsers(io.engine.clientsCount);
  socket.on('disconnect', () => setConnectedUsers(io.engine.clientsCount));
});
`,
  },
];

const sessionsInExpressApp = `
import express from 'express';

const app = express();
const sessions = new Map<string, string>();

app.post('/login', (req, res) => {
  sessions.set(req.body.token, req.body.user);
  res.end();
});
`;

/** Cases whose file name decides what the file is (framework conventions, tests, scripts). */
const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: "Next.js: a map read from a global slot or made (`(global as any)._x || new Map()`), kept in a class's static field and filled under the id each new run draws",
    filename: 'app/api/answers/route.ts',
    code: `
const runs = (global as any)._answerRuns || new Map<string, Run>();
(global as any)._answerRuns = runs;

class Run {
  private static runs: Map<string, Run> = runs;
  readonly id = crypto.randomUUID();

  static create(): Run {
    const run = new Run();
    this.runs.set(run.id, run);
    return run;
  }
}

export async function POST() {
  return Response.json({ id: Run.create().id });
}
`,
    errors: [{ messageId: 'sessionInMemory', line: 2, column: 7, endColumn: 11, data: { name: 'runs', what: 'per-user state', route: 'POST /api/answers (app/api/answers/route.ts:16)' } }],
  },
  {
    name: 'Next.js: a Map kept on globalThis across hot reloads (globalThis.__x ?? (globalThis.__x = new Map()))',
    filename: 'app/api/login/route.ts',
    code: `
declare global { var __sessions: Map<string, string> | undefined }
const sessions = globalThis.__sessions ?? (globalThis.__sessions = new Map<string, string>());
const globalForTokens = globalThis as unknown as { tokens?: Map<string, string> };
const tokens = globalForTokens.tokens || (globalForTokens.tokens = new Map<string, string>());

export async function POST(request: Request) {
  const { token, user } = await request.json();
  sessions.set(token, user);
  tokens.set(user, token);
  return Response.json({ ok: true });
}
`,
    errors: [
      { messageId: 'sessionInMemory', line: 3, column: 7, endColumn: 15, data: { name: 'sessions', what: 'per-user state', route: 'POST /api/login (app/api/login/route.ts:7)' } },
      { messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 13, data: { name: 'tokens', what: 'per-user state', route: 'POST /api/login (app/api/login/route.ts:7)' } },
    ],
  },
  {
    name: 'Next.js route handler exports',
    filename: 'app/api/login/route.ts',
    code: `
const sessions = new Map<string, string>();

export async function POST(request: Request) {
  const { token, user } = await request.json();
  sessions.set(token, user);
  return Response.json({ ok: true });
}

export function GET(request: Request) {
  return Response.json({ user: sessions.get(request.headers.get('x-token') ?? '') });
}
`,
    errors: [{ messageId: 'sessionInMemory', line: 2, column: 7, endColumn: 15, data: { name: 'sessions', what: 'per-user state', route: 'POST /api/login (app/api/login/route.ts:4)' } }],
  },
  {
    name: 'Next.js pages/api default export',
    filename: 'pages/api/cart.ts',
    code: `
import type { NextApiRequest, NextApiResponse } from 'next';

const carts: Record<string, string[]> = {};

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  carts[String(req.query.user)] = req.body.items;
  res.status(200).json(carts[String(req.query.user)]);
}
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 12 }],
  },
  {
    name: 'Next.js server action module',
    filename: 'app/actions.ts',
    code: `
'use server';

const drafts = new Map<string, string>();

export async function saveDraft(userId: string, text: string) {
  drafts.set(userId, text);
}
`,
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 13 }],
  },
];

const fileNameValid: ValidTestCase<Options>[] = [
  { name: 'a test file never serves requests', filename: 'src/app.test.ts', code: sessionsInExpressApp },
  { name: 'a script never serves requests', filename: 'scripts/seed.ts', code: sessionsInExpressApp },
  {
    name: 'browser code: module state changed by a click handler',
    filename: 'src/components/product-list.tsx',
    code: `
'use client';

const selected = new Set<string>();

export function ProductList({ ids }: { ids: string[] }) {
  return (
    <ul>
      {ids.map((id) => (
        <li key={id} onClick={() => selected.add(id)}>{id}</li>
      ))}
    </ul>
  );
}
`,
  },
  { name: 'untyped analysis stays within one file: the route that writes this state is in another file', filename: 'src/session-store.ts', code: readFileSync(fixturePath('cross-file/session-store.ts'), 'utf8') },
];

/**
 * Untyped, across files: `fixtures/untyped-project` is a project of its own (package.json, tsconfig
 * `paths`), linted without type information; the project index reads its other files from disk.
 */
const untypedProjectInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'untyped cross-file Express: routes/auth.ts registers authController.login and .logout (namespace import), the controller writes its session Map',
    ...untypedProjectFile('src/controllers/auth.controller.ts'),
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 7, endColumn: 15, data: { name: 'sessions', what: 'per-user state', route: 'POST /api/login (src/routes/auth.ts:7) and 1 other route' } }],
  },
  {
    name: "untyped cross-file CommonJS: app.use('/cart', require('./routes/cart')), router.post('/items', cart.addItem), the controller writes store.carts of module.exports",
    ...untypedProjectFile('legacy/store.js'),
    errors: [{ messageId: 'sessionInMemory', line: 1, column: 16, endColumn: 21, data: { name: 'carts', what: 'per-user state', route: 'POST /cart/items (legacy/routes/cart.js:4)' } }],
  },
  {
    name: 'untyped cross-file Fastify: app.post(path, presence.join) in app.ts, the Set is exported by presence.ts',
    ...untypedProjectFile('fastify/presence.ts'),
    errors: [{ messageId: 'sessionInMemory', line: 1, column: 14, endColumn: 20, data: { name: 'online', what: 'per-user state', route: 'POST /presence (fastify/app.ts:5)' } }],
  },
  {
    name: 'untyped cross-file NestJS: the controller calls this.users.login() of a service typed by an imported class',
    ...untypedProjectFile('nest/users.service.ts'),
    errors: [{ messageId: 'sessionInMemory', line: 5, column: 20, endColumn: 26, data: { name: 'tokens', what: 'per-user state', route: 'POST /users/login (UsersController.login, nest/users.controller.ts:8)' } }],
  },
  {
    name: 'untyped route modules a loader lists in a folder: the module exporting method, path and handler is POST /api/drafts',
    ...untypedProjectFile('folder-routes/routes/drafts.js'),
    errors: [{ messageId: 'sessionInMemory', line: 1, column: 7, endColumn: 13, data: { name: 'drafts', what: 'application data', route: 'POST /api/drafts (folder-routes/routes/drafts.js:5)' } }],
  },
  {
    name: "untyped table keyed by method and path: 'post /api/notes/draft' registered by a loop that splits the key",
    ...untypedProjectFile('keyed-routes/notes.controller.js'),
    errors: [{ messageId: 'sessionInMemory', line: 1, column: 7, endColumn: 13, data: { name: 'drafts', what: 'application data', route: 'POST /api/notes/draft (keyed-routes/routes.js:5)' } }],
  },
  {
    name: 'untyped cross-file: fields of the one instance a lazy accessor hands out, written by routes of another file (through a local, and through a setter: the field behind it)',
    ...untypedProjectFile('lazy-settings/settings.ts'),
    errors: [
      { messageId: 'sessionInMemory', line: 2, column: 10, endColumn: 17, data: { name: 'banners', what: 'application data', route: 'POST /banners (lazy-settings/app.ts:7)' } },
      { messageId: 'sessionInMemory', line: 3, column: 11, endColumn: 15, data: { name: 'data', what: 'application data', route: 'PUT /title (lazy-settings/app.ts:13)' } },
    ],
  },
  {
    name: 'untyped cross-file: a class with a `static instance` is one object per process, so the list a route pushes to is reported',
    ...untypedProjectFile('account-connections/registry.ts'),
    errors: [{ messageId: 'sessionInMemory', line: 3, column: 19, endColumn: 24, data: { name: 'names', what: 'application data', route: 'POST /names (account-connections/app.ts:15)' } }],
  },
  {
    name: "untyped cross-file: the registry a module's singleton sets up in its constructor, written by a controller through the field its constructor was handed (`new InstanceController(waMonitor, config)`)",
    ...untypedProjectFile('wired-registry/monitor.service.js'),
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 10, endColumn: 19, data: { name: 'instances', what: 'application data', route: 'POST /instance/:name (wired-registry/app.js:6)' } }],
  },
  {
    name: "untyped: a `#!` file its package publishes as its command (package.json `bin`) is the service: its middleware's Map is reported",
    ...untypedProjectFile('published-command/src/index.ts'),
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 7, endColumn: 20, data: { name: 'pendingLogins', what: 'per-user state', route: 'middleware for all routes (src/index.ts:7)' } }],
  },
  {
    name: "untyped Fastify plugin: the controller made once in the plugin's body makes its service in a field initializer; the service keeps logins in flight under a state its own helper draws",
    ...untypedProjectFile('fastify-plugins/login/service.ts'),
    errors: [{ messageId: 'sessionInMemory', line: 4, column: 11, endColumn: 24, data: { name: 'pendingStates', what: 'per-user state', route: 'GET /auth/start (fastify-plugins/login/routes.ts:6)' } }],
  },
];

const untypedProjectValid: ValidTestCase<Options>[] = [
  { name: 'untyped: the status the process exits with (`exitCode = code` in quit(), read only by `process.exit(exitCode)`), set from the update route, is its own', ...untypedProjectFile('exit-hooks/first.ts') },
  { name: 'untyped folder of route modules: a module without the path the loader reads is skipped by the loader', ...untypedProjectFile('folder-routes/routes/disabled.js') },
  { name: 'untyped cross-file: a helper that only a script and a test call (both register routes) stays quiet', ...untypedProjectFile('src/lib/warm-cache.ts') },
  { name: 'untyped cross-file: an exported constant table only read by a handler', ...untypedProjectFile('src/state/roles.ts') },
  { name: 'untyped cross-file: the routes file declares no state (the state it reaches is reported where declared)', ...untypedProjectFile('src/routes/auth.ts') },
  { name: 'untyped cross-file: the CommonJS controller writes state another module declares', ...untypedProjectFile('legacy/controllers/cart.js') },
  { name: 'untyped cross-file: the script itself never serves requests', ...untypedProjectFile('scripts/warm.ts') },
  { name: 'untyped: a `#!` file of the same package that it does not publish stays a command-line tool', ...untypedProjectFile('published-command/src/fixture-server.ts') },
  {
    name: 'untyped cross-file: a field named `instance` (the account each connection serves) does not make the class a singleton: the fields of the object a route makes stay quiet',
    ...untypedProjectFile('account-connections/connection.ts'),
  },
  { name: 'untyped cross-file: the configuration handed to the same controller, only read, stays quiet', ...untypedProjectFile('wired-registry/config.js') },
];

createUntypedRuleTester().run('no-in-memory-session', rule, {
  valid: [...sameFileValid, ...fileNameValid, ...untypedProjectValid],
  invalid: [...sameFileInvalid('file.ts'), ...fileNameInvalid, ...untypedProjectInvalid],
});

createTypedRuleTester().run('no-in-memory-session (typed)', rule, {
  valid: [
    ...sameFileValid,
    {
      name: 'cross-file: routes.ts reaches state in other files but declares none',
      filename: fixturePath('cross-file/routes.ts'),
      code: readFileSync(fixturePath('cross-file/routes.ts'), 'utf8'),
    },
  ],
  invalid: [
    ...sameFileInvalid('src/rules/fixtures/file.ts'),
    {
      name: 'cross-file: POST /login in routes.ts calls saveSession() here, which writes `sessions`',
      filename: fixturePath('cross-file/session-store.ts'),
      code: readFileSync(fixturePath('cross-file/session-store.ts'), 'utf8'),
      errors: [{ messageId: 'sessionInMemory', line: 1, column: 7, endColumn: 15, data: { name: 'sessions', what: 'per-user state', route: 'POST /login (src/rules/fixtures/cross-file/routes.ts:8)' } }],
    },
    {
      name: "cross-file: a handler given by reference (app.post('/logout', logout) in routes.ts)",
      filename: fixturePath('cross-file/logout-handler.ts'),
      code: readFileSync(fixturePath('cross-file/logout-handler.ts'), 'utf8'),
      errors: [{ messageId: 'sessionInMemory', line: 3, column: 7, endColumn: 20, data: { name: 'revokedTokens', what: 'per-user state', route: 'POST /logout (src/rules/fixtures/cross-file/routes.ts:22)' } }],
    },
  ],
});
