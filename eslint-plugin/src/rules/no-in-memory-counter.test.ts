import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath, untypedProjectFile } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-in-memory-counter';
import { sfuServer } from '../testing/sfu-server';

type Options = StatelessRuleOptions<'no-in-memory-counter'>;
type MessageIds = 'counterInMemory' | 'rateLimitInMemory' | 'rateLimitMoveToRedis' | 'rateLimitRedisClient';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts. Routes are named by the path of their
// file relative to the project root (the nearest package.json): `file.ts:7`,
// `src/rules/fixtures/counter/routes.ts:7`.

/** What the rate-limit suggestion adds after the imports of a TypeScript file without a Redis client. */
const redisClientLines = `import { RedisStore as RateLimitRedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error: unknown) => console.error('Redis connection failed', error));`;

const redisStoreProperty = (prefix: string): string => `store: new RateLimitRedisStore({ sendCommand: (...args: string[]) => redisClient.sendCommand(args), prefix: 'rl:${prefix}:' })`;

/** A publisher that reconnects with a back-off, counting its attempts; `opens` is the call that makes its connection. */
const reconnectingPublisher = (opens: string): string => `
import express from 'express';
import amqp from 'amqplib';

class Publisher {
  private channel: amqp.Channel | undefined;
  private attempts = 0;

  private async open(): Promise<void> {
    try {
      const connection = await ${opens}(process.env.AMQP_URL ?? 'amqp://localhost');
      this.channel = await connection.createChannel();
      this.attempts = 0;
    } catch {
      this.retry();
    }
  }

  private retry(): void {
    if (this.attempts >= 10) return;
    this.attempts++;
    setTimeout(() => void this.open(), 1000 * 2 ** this.attempts);
  }

  publish(body: string): void {
    if (!this.channel) return this.retry();
    this.channel.sendToQueue('events', Buffer.from(body));
  }
}

const publisher = new Publisher();
const app = express();
app.post('/events', (req, res) => {
  publisher.publish(JSON.stringify(req.body));
  res.sendStatus(202);
});
app.listen(3000);
`;

/** A GraphQL login counting wrong passwords in a service's Map, read into a local before it is bumped; the service made in a container object, the mutation in a type object of its own. */
const graphqlLoginThrottle = `
class AuthService {
  private readonly failedLogins = new Map<string, number>();

  login(email: string, password: string): boolean {
    const failures = this.failedLogins.get(email) ?? 0;
    if (failures >= 3) throw new Error('locked');
    if (password !== 'secret') {
      this.failedLogins.set(email, failures + 1);
      return false;
    }
    this.failedLogins.delete(email);
    return true;
  }
}

const services = { auth: new AuthService() };

const Mutation = {
  login: (_parent: unknown, args: { email: string; password: string }) => services.auth.login(args.email, args.password),
};

export const resolvers = { Mutation };
`;

// A module that makes and keeps its own upstream socket, with an error count and a reconnect time; `call` is what the
// request does with the socket (connecting it makes the counts the connection's upkeep; only sending does not).
const upstreamSocketModule = (call: string): string => `
import express from 'express';

class UpstreamSocket {
  onOpen: () => void = () => undefined;
  onError: (error: unknown) => void = () => undefined;
  constructor(readonly url: string) {}
  async connect(): Promise<void> { this.onOpen(); }
  async send(_message: string): Promise<void> { this.onOpen(); }
}

let socket: UpstreamSocket | undefined;
let errorCount = 0;
let reconnectAt: number | null = null;

function initialize(url: string): void {
  socket = new UpstreamSocket(url);
  socket.onOpen = () => {
    errorCount = 0;
    reconnectAt = null;
  };
  socket.onError = () => {
    errorCount++;
  };
}

async function liveSessions(url: string): Promise<string[]> {
  if (!socket) initialize(url);
  if (errorCount >= 3) {
    const now = Date.now();
    if (reconnectAt === null) reconnectAt = now + 60_000;
    if (now < reconnectAt) return [];
    reconnectAt = now + 60_000;
  }
  await socket!.${call};
  return [];
}

const app = express();
app.get('/sessions', async (_req, res) => res.json(await liveSessions('ws://upstream.local/socket')));
`;

// A client of an upstream service that logs its first failure and its recovery once; `limit` is a line that also
// turns requests away once the failures reach a limit (then the count is a count each instance keeps alone).
const upstreamClient = (limit: string): string => `
import express from 'express';

class UpstreamClient {
  private failures = 0;

  async sessions(): Promise<unknown[]> {
${limit}    try {
      const response = await fetch('http://upstream.local/sessions');
      if (this.failures > 0) {
        console.log('upstream: connection restored');
        this.failures = 0;
      }
      return (await response.json()) as unknown[];
    } catch {
      if (this.failures == 0) {
        this.failures++;
        console.log('upstream: unable to connect');
      }
      return [];
    }
  }
}

const upstream = new UpstreamClient();
const app = express();
app.get('/sessions', async (_req, res) => res.json(await upstream.sessions()));
`;

/**
 * Cases that need no file name: run untyped and typed, which must agree within one file. `file` is
 * how messages name the linted file (relative to its project root).
 */
const sameFileInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: 'Hono: a sub-app a factory makes under a name of its own registers its routes, whatever the handler is called; a client a factory makes does not',
    code: `
import { Hono } from 'hono';
import type { Context } from 'hono';
import got from 'got';

const seen: Record<string, number> = {};

async function handleSlackEvent(c: Context) {
  const body = await c.req.json();
  seen[body.team_id] = (seen[body.team_id] ?? 0) + 1;
  return c.json({ ok: true });
}

function onEvent(response: { url: string }) {
  seen[response.url] = (seen[response.url] ?? 0) + 1;
}

export function createSlackRoute() {
  const slack = new Hono();
  slack.post('/events', handleSlackEvent);
  return slack;
}

export function notifier(prefixUrl: string) {
  const r = got.extend({ prefixUrl });
  r.post('/events', onEvent);
  return r;
}
`,
    errors: [{ messageId: 'counterInMemory', line: 6, column: 7, endColumn: 11, data: { name: 'seen', route: `POST /events (${file}:20)` } }],
  },
  {
    name: "look-alike: the SFU's count reset at a fixed number, not at the length of the list it indexes, is a counter",
    code: sfuServer({ cursor: 'if (++nextWorkerIdx === 1000) nextWorkerIdx = 0;' }),
    errors: [{ messageId: 'counterInMemory', line: 32, column: 5 }],
  },
  {
    name: 'a stamp written after the mail it throttles, with the text sent beside it, stays reported',
    code: `
import express from 'express';
import axios from 'axios';

const DAY = 24 * 60 * 60 * 1000;
let versions: string[] = [];
let versionsFetchedAt = 0;
const mailer = { async sendMail(message: object) { return message; } };

const app = express();
app.get('/versions', async (req, res) => {
  const now = Date.now();
  if (versions.length > 0 && now - versionsFetchedAt < DAY) return res.json(versions);
  await mailer.sendMail({ subject: 'versions asked', text: String(req.query.note) });
  versions = [String(req.query.note)];
  versionsFetchedAt = now;
  res.json(versions);
});
`,
    errors: [{ messageId: 'counterInMemory', line: 7, column: 5, endColumn: 22, data: { name: 'versionsFetchedAt', route: `GET /versions (${file}:11)` } }],
  },
  {
    name: 'Hono: the route is named with the sub-app’s mount and the app’s `basePath` (`GET /api/books/:id`)',
    code: `
import { Hono } from 'hono';

const views = new Map<string, number>();
const books = new Hono();

books.get('/:id', (c) => {
  views.set(c.req.param('id'), (views.get(c.req.param('id')) ?? 0) + 1);
  return c.json({});
});

const app = new Hono().basePath('/api');
app.route('/books', books);
export default app;
`,
    errors: [{ messageId: 'counterInMemory', line: 4, column: 7, endColumn: 12, data: { name: 'views', route: `GET /api/books/:id (${file}:7)` } }],
  },
  {
    name: 'Fastify: a plugin registered with a prefix names its routes with it (`POST /votes/:id`)',
    code: `
import Fastify, { type FastifyInstance } from 'fastify';

const votes = new Map<string, number>();

async function voteRoutes(fastify: FastifyInstance) {
  fastify.post<{ Params: { id: string } }>('/:id', async (request) => {
    votes.set(request.params.id, (votes.get(request.params.id) ?? 0) + 1);
    return { ok: true };
  });
}

const app = Fastify();
app.register(voteRoutes, { prefix: '/votes' });
app.listen({ port: 3000 });
`,
    errors: [{ messageId: 'counterInMemory', line: 4, column: 7, endColumn: 12, data: { name: 'votes', route: `POST /votes/:id (${file}:7)` } }],
  },
  {
    name: "Fastify: @fastify/websocket's wsHandler in route options counts open sockets per user in a module Map",
    code: `
import Fastify from 'fastify';
import websocket from '@fastify/websocket';

const openPerUser = new Map<string, number>();
const app = Fastify();
app.register(websocket);
app.route({
  method: 'GET',
  url: '/ws',
  handler: (_request, reply) => reply.code(400).send(),
  wsHandler: (socket, request) => {
    const user = String(request.query);
    openPerUser.set(user, (openPerUser.get(user) ?? 0) + 1);
    socket.on('close', () => openPerUser.set(user, (openPerUser.get(user) ?? 1) - 1));
  },
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 7, endColumn: 18, data: { name: 'openPerUser', route: `GET /ws (${file}:8)` } }],
  },
  {
    name: 'GraphQL: wrong passwords per account read into a local, then set to it plus one, in a service a container object makes, called by a mutation of `{ Mutation }`',
    code: graphqlLoginThrottle,
    errors: [{ messageId: 'counterInMemory', line: 3, column: 20, endColumn: 32, data: { name: 'failedLogins', route: `GraphQL mutation login (${file}:20)` } }],
  },
  {
    name: 'the same module that only sends over its client and never connects it: its error count and reconnect time are counts each instance keeps alone',
    code: upstreamSocketModule("send('sessions')"),
    errors: [
      { messageId: 'counterInMemory', line: 13, column: 5, endColumn: 15, data: { name: 'errorCount', route: `GET /sessions (${file}:40)` } },
      { messageId: 'counterInMemory', line: 14, column: 5, endColumn: 16, data: { name: 'reconnectAt', route: `GET /sessions (${file}:40)` } },
    ],
  },
  {
    name: 'the same failure count also compared with a limit that turns requests away: a count each instance keeps alone',
    code: upstreamClient("    if (this.failures >= 3) throw new Error('upstream is down');\n"),
    errors: [{ messageId: 'counterInMemory', line: 5, column: 11, endColumn: 19, data: { name: 'failures', route: `GET /sessions (${file}:28)` } }],
  },
  {
    name: 'the same count around a call that opens no connection (a flush): still a count each instance keeps alone',
    code: reconnectingPublisher('amqp.flush'),
    errors: [{ messageId: 'counterInMemory', line: 7, column: 11, endColumn: 19, data: { name: 'attempts', route: `POST /events (${file}:33)` } }],
  },
  {
    name: 'a buffer flushed on a timer whose size refuses requests: the size is a limit each instance counts alone',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
let pending: string[] = [];

async function flush() {
  const batch = pending;
  pending = [];
  if (batch.length > 0) await pool.query('INSERT INTO events (name) SELECT unnest($1::text[])', [batch]);
}

const app = express();
app.post('/events', (req, res) => {
  if (pending.length >= 500) return res.status(503).send('busy');
  pending.push(String(req.body.name));
  res.sendStatus(202);
});
setInterval(() => void flush(), 2000);
app.listen(3000);
`,
    errors: [{ messageId: 'counterInMemory', line: 6, column: 5, endColumn: 12, data: { name: 'pending', route: `POST /events (${file}:15)` } }],
  },
  {
    name: "a day's count read out and emptied by a midnight job, which a route answers with as it stands: the tally, not a buffer",
    code: `
import express from 'express';
import cron from 'node-cron';

let ordersToday = 0;

function closeDay() {
  const count = ordersToday;
  ordersToday = 0;
  return count;
}

const app = express();
app.post('/orders', (req, res) => {
  ordersToday++;
  res.sendStatus(201);
});
app.get('/orders/today', (req, res) => {
  res.json({ ordersToday });
});
cron.schedule('0 0 * * *', () => console.log('closed the day with', closeDay()));
app.listen(3000);
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 5, endColumn: 16, data: { name: 'ordersToday', route: `POST /orders (${file}:14)` } }],
  },
  {
    name: 'a static map of a store class that a route counts through its setter, handing it the getter’s value plus one',
    code: `
import express from 'express';

class Globals {
  static readonly map = new Map<string, number>();
  static set(key: string, value: number) {
    Globals.map.set(key, value);
  }
  static get(key: string, fallback = 0) {
    return Globals.map.get(key) ?? fallback;
  }
}

const app = express();
app.post('/login', (req, res) => {
  Globals.set('logins', Globals.get('logins', 0) + 1);
  res.sendStatus(204);
});
app.listen(3000);
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 19, endColumn: 22, data: { name: 'map', route: `POST /login (${file}:15)` } }],
  },
  {
    name: 'NestJS: a log of token usage and a daily total, read back and compared with the limits before each call',
    code: `
import { Controller, Injectable, Post } from '@nestjs/common';
import { complete } from './llm';

@Injectable()
export class AiService {
  private used: { time: number; count: number }[] = [];
  private daily = { count: 0, date: '' };
  async generate(prompt: string) {
    const now = Date.now();
    this.used = this.used.filter((entry) => entry.time > now - 60_000);
    const tokens = this.used.reduce((sum, entry) => sum + entry.count, 0);
    if (tokens + prompt.length > 10_000) throw new Error('tokens per minute');
    if (this.daily.count + prompt.length > 100_000) throw new Error('tokens per day');
    const { text, spent } = await complete(prompt);
    this.used = [...this.used, { time: now, count: spent }];
    this.daily = { ...this.daily, count: this.daily.count + spent };
    return text;
  }
}

@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}
  @Post()
  generate() {
    return this.ai.generate('x');
  }
}
`,
    errors: [
      { messageId: 'counterInMemory', line: 7, column: 11, endColumn: 15, data: { name: 'used', route: `POST /ai (AiController.generate, ${file}:25)` } },
      { messageId: 'counterInMemory', line: 8, column: 11, endColumn: 16, data: { name: 'daily', route: `POST /ai (AiController.generate, ${file}:25)` } },
    ],
  },
  {
    name: 'Express: a module `let` incremented in a handler',
    code: `
import express from 'express';

const app = express();
let views = 0;

app.get('/products/:id', (req, res) => {
  views++;
  res.json({ id: req.params.id, views });
});
`,
    errors: [
      { messageId: 'counterInMemory', line: 5, column: 5, endLine: 5, endColumn: 10, data: { name: 'views', route: `GET /products/:id (${file}:7)` } },
    ],
  },
  {
    name: 'Express: failed logins per user, a record made behind a miss, counted through a local and deleted on success (not a lock)',
    code: `
import express from 'express';
import { users } from './users';

const app = express();
const loginAttempts: Record<string, { attempts: number; lockedUntil: number | null }> = {};

app.post('/login', async (req, res) => {
  const username = String(req.body.username);
  const user = await users.check(username, req.body.password);
  if (!user) {
    if (!loginAttempts[username]) loginAttempts[username] = { attempts: 0, lockedUntil: null };
    const attempt = loginAttempts[username];
    attempt.attempts++;
    if (attempt.attempts >= 5) attempt.lockedUntil = Date.now() + 60_000;
    return res.sendStatus(401);
  }
  delete loginAttempts[username];
  res.json(user);
});
`,
    errors: [{ messageId: 'counterInMemory', line: 6, column: 7, endColumn: 20, data: { name: 'loginAttempts', route: `POST /login (${file}:8)` } }],
  },
  {
    name: 'Express: a Map incremented with m.set(k, (m.get(k) ?? 0) + 1)',
    code: `
import express from 'express';

const app = express();
const viewsBySlug = new Map<string, number>();

app.get('/articles/:slug', (req, res) => {
  viewsBySlug.set(req.params.slug, (viewsBySlug.get(req.params.slug) ?? 0) + 1);
  res.json({ views: viewsBySlug.get(req.params.slug) });
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 7, endColumn: 18, data: { name: 'viewsBySlug', route: `GET /articles/:slug (${file}:7)` } }],
  },
  {
    name: 'Express: a Map incremented through a local (const next = …; m.set(k, next))',
    code: `
import express from 'express';

const app = express();
const likes = new Map<string, number>();

app.post('/posts/:id/like', (req, res) => {
  const next = (likes.get(req.params.id) ?? 0) + 1;
  likes.set(req.params.id, next);
  res.json({ likes: next });
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 7, endColumn: 12, data: { name: 'likes', route: `POST /posts/:id/like (${file}:7)` } }],
  },
  {
    name: 'Express: an object incremented with obj[k] = (obj[k] || 0) + 1',
    code: `
import express from 'express';

const app = express();
const downloads: Record<string, number> = {};

app.get('/files/:name', (req, res) => {
  downloads[req.params.name] = (downloads[req.params.name] || 0) + 1;
  res.download(\`files/\${req.params.name}\`);
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 7, endColumn: 16, data: { name: 'downloads', route: `GET /files/:name (${file}:7)` } }],
  },
  {
    name: 'Express: stats.hits++ on a module object, changed by three routes (reported once)',
    code: `
import express from 'express';

const app = express();
const stats = { hits: 0, errors: 0 };

app.get('/', (req, res) => {
  stats.hits++;
  res.send('ok');
});

app.get('/about', (req, res) => {
  stats.hits += 1;
  res.send('about');
});

app.post('/report-error', (req, res) => {
  stats.errors = stats.errors + 1;
  res.sendStatus(204);
});
`,
    errors: [
      { messageId: 'counterInMemory', line: 5, column: 7, endColumn: 12, data: { name: 'stats', route: `GET / (${file}:7) and 2 other routes` } },
    ],
  },
  {
    name: 'Express: a counter written by a helper the handler calls',
    code: `
import express from 'express';

const app = express();
let signups = 0;

function recordSignup() {
  signups += 1;
}

app.post('/signup', (req, res) => {
  recordSignup();
  res.sendStatus(201);
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 5, endColumn: 12, data: { name: 'signups', route: `POST /signup (${file}:11)` } }],
  },
  {
    name: 'Fastify shorthand route',
    code: `
import Fastify from 'fastify';

const fastify = Fastify();
let requestCount = 0;

fastify.get('/status', async () => {
  requestCount += 1;
  return { requestCount };
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 5, endColumn: 17, data: { name: 'requestCount', route: `GET /status (${file}:7)` } }],
  },
  {
    name: "Fastify: counters shared as a decoration (fastify.decorate('stats', { … })), incremented in a route",
    code: `
import Fastify, { type FastifyInstance } from 'fastify';

async function statsPlugin(fastify: FastifyInstance) {
  fastify.decorate('stats', { ticketsOpened: 0, repliesByTicket: {} as Record<string, number> });
}

async function ticketRoutes(fastify: FastifyInstance) {
  fastify.post('/tickets/:id/replies', async (request) => {
    const { id } = request.params as { id: string };
    fastify.stats.ticketsOpened++;
    fastify.stats.repliesByTicket[id] = (fastify.stats.repliesByTicket[id] || 0) + 1;
    return { ok: true };
  });
}

const app = Fastify();
app.register(statsPlugin);
app.register(ticketRoutes);
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 20, endColumn: 27, data: { name: 'stats', route: `POST /tickets/:id/replies (${file}:9)` } }],
  },
  {
    name: 'Koa + @koa/router',
    code: `
import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();
const votes: Record<string, number> = {};

router.post('/polls/:id/vote', (ctx) => {
  votes[ctx.params.id] = (votes[ctx.params.id] ?? 0) + 1;
  ctx.body = { votes: votes[ctx.params.id] };
});

app.use(router.routes());
`,
    errors: [{ messageId: 'counterInMemory', line: 7, column: 7, endColumn: 12, data: { name: 'votes', route: `POST /polls/:id/vote (${file}:9)` } }],
  },
  {
    name: 'NestJS: a field of an @Injectable singleton, incremented through a controller method',
    code: `
import { Controller, Injectable, Param, Post } from '@nestjs/common';

@Injectable()
export class VotesService {
  private readonly votes = new Map<string, number>();

  vote(pollId: string) {
    this.votes.set(pollId, (this.votes.get(pollId) ?? 0) + 1);
  }
}

@Controller('polls')
export class PollsController {
  constructor(private readonly votesService: VotesService) {}

  @Post(':id/vote')
  vote(@Param('id') id: string) {
    this.votesService.vote(id);
  }
}
`,
    errors: [
      { messageId: 'counterInMemory', line: 6, column: 20, endColumn: 25, data: { name: 'votes', route: `POST /polls/:id/vote (PollsController.vote, ${file}:17)` } },
    ],
  },
  {
    name: 'NestJS: a field of the controller itself',
    code: `
import { Controller, Post } from '@nestjs/common';

@Controller('downloads')
export class DownloadsController {
  private count = 0;

  @Post()
  record() {
    this.count++;
    return { count: this.count };
  }
}
`,
    errors: [
      { messageId: 'counterInMemory', line: 6, column: 11, endColumn: 16, data: { name: 'count', route: `POST /downloads (DownloadsController.record, ${file}:8)` } },
    ],
  },
  {
    name: 'socket.io: socket.on(event, handler) inside the connection handler',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);
let messagesSent = 0;

io.on('connection', (socket) => {
  socket.on('chat message', (text: string) => {
    messagesSent++;
    io.emit('chat message', text);
  });
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 5, endColumn: 17, data: { name: 'messagesSent', route: `socket event "chat message" (${file}:8)` } }],
  },
  {
    name: 'express-rate-limit default import without a store: the suggestion adds a Redis store (multi-line options)',
    code: `
import express from 'express';
import rateLimit from 'express-rate-limit';

const app = express();
app.use(
  rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 100,
  }),
);
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 7,
        column: 3,
        endLine: 7,
        endColumn: 12,
        data: { library: 'express-rate-limit', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
import express from 'express';
import rateLimit from 'express-rate-limit';
${redisClientLines}

const app = express();
app.use(
  rateLimit({
    ${redisStoreProperty('file-7')},
    windowMs: 15 * 60 * 1000,
    limit: 100,
  }),
);
`,
          },
        ],
      },
    ],
  },
  {
    name: 'express-rate-limit whose Redis store is given only when a setting is on counts in memory with the setting off; a store always given stays quiet',
    code: `
import rateLimit from 'express-rate-limit';
import RedisStore from 'rate-limit-redis';
import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });
const settings = { redis: { enabled: process.env.REDIS_ENABLED === 'true' } };
export const voteLimiter = rateLimit({ limit: 10, store: settings.redis.enabled ? new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args) }) : null });
export const loginLimiter = rateLimit({ limit: 5, store: new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args), prefix: 'login:' }) });
`,
    errors: [{ messageId: 'rateLimitInMemory', line: 8, column: 28, endColumn: 37, data: { library: 'express-rate-limit', store: 'the default MemoryStore unless `settings.redis.enabled`' } }],
  },
  {
    name: "a limiter made only in the local environment's branch of a conditional is quiet; the deployed branch is reported",
    code: `
import rateLimit from 'express-rate-limit';

export const loginLimiter =
  process.env.ENV === 'local'
    ? rateLimit({ max: 0 })
    : rateLimit({ windowMs: 5 * 60 * 1000, max: 10 });
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 7,
        column: 7,
        endColumn: 16,
        data: { library: 'express-rate-limit', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
import rateLimit from 'express-rate-limit';
${redisClientLines}

export const loginLimiter =
  process.env.ENV === 'local'
    ? rateLimit({ max: 0 })
    : rateLimit({ ${redisStoreProperty('file-7')}, windowMs: 5 * 60 * 1000, max: 10 });
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a limiter in the branch a deployment setting picks (STORAGE === local) is no development branch: reported',
    code: `
import rateLimit from 'express-rate-limit';

export const uploadLimiter = process.env.STORAGE === 'local' ? rateLimit({ max: 5 }) : null;
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 4,
        column: 64,
        endColumn: 73,
        data: { library: 'express-rate-limit', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
import rateLimit from 'express-rate-limit';
${redisClientLines}

export const uploadLimiter = process.env.STORAGE === 'local' ? rateLimit({ ${redisStoreProperty('file-4')}, max: 5 }) : null;
`,
          },
        ],
      },
    ],
  },
  {
    name: 'express-rate-limit named import { rateLimit }, options on one line',
    code: `
import { rateLimit } from 'express-rate-limit';

export const apiLimiter = rateLimit({ windowMs: 60_000, limit: 30 });
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 4,
        column: 27,
        endColumn: 36,
        data: { library: 'express-rate-limit', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
import { rateLimit } from 'express-rate-limit';
${redisClientLines}

export const apiLimiter = rateLimit({ ${redisStoreProperty('apiLimiter')}, windowMs: 60_000, limit: 30 });
`,
          },
        ],
      },
    ],
  },
  {
    name: 'express-rate-limit in a file that already has createClient and a module-level redisClient: only the store import and property are added',
    code: `
import express from 'express';
import rateLimit from 'express-rate-limit';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
void redisClient.connect();

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 10,
        column: 9,
        endColumn: 18,
        data: { library: 'express-rate-limit', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
import express from 'express';
import rateLimit from 'express-rate-limit';
import { createClient } from 'redis';
import { RedisStore as RateLimitRedisStore } from 'rate-limit-redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
void redisClient.connect();

const app = express();
app.use(rateLimit({ ${redisStoreProperty('file-10')}, windowMs: 60_000, limit: 100 }));
`,
          },
        ],
      },
    ],
  },
  {
    name: 'express-rate-limit options in a same-file const are followed',
    code: `
import rateLimit from 'express-rate-limit';

const limiterOptions = { windowMs: 60_000, limit: 5 };
export const loginLimiter = rateLimit(limiterOptions);
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 5,
        column: 29,
        endColumn: 38,
        data: { library: 'express-rate-limit', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
import rateLimit from 'express-rate-limit';
${redisClientLines}

const limiterOptions = { ${redisStoreProperty('loginLimiter')}, windowMs: 60_000, limit: 5 };
export const loginLimiter = rateLimit(limiterOptions);
`,
          },
        ],
      },
    ],
  },
  {
    name: 'express-rate-limit with an explicit MemoryStore: reported at the store property, no suggestion',
    code: `
import { MemoryStore, rateLimit } from 'express-rate-limit';

export const limiter = rateLimit({
  windowMs: 60_000,
  limit: 10,
  store: new MemoryStore(),
});
`,
    errors: [
      { messageId: 'rateLimitInMemory', line: 7, column: 3, endLine: 7, endColumn: 27, data: { library: 'express-rate-limit', store: 'MemoryStore' }, suggestions: [] },
    ],
  },
  {
    name: 'express-slow-down without a store',
    code: `
import express from 'express';
import { slowDown } from 'express-slow-down';

const app = express();
app.use('/api', slowDown({ windowMs: 15 * 60 * 1000, delayAfter: 50, delayMs: (hits) => hits * 100 }));
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 6,
        column: 17,
        endColumn: 25,
        data: { library: 'express-slow-down', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
import express from 'express';
import { slowDown } from 'express-slow-down';
${redisClientLines}

const app = express();
app.use('/api', slowDown({ ${redisStoreProperty('file-6')}, windowMs: 15 * 60 * 1000, delayAfter: 50, delayMs: (hits) => hits * 100 }));
`,
          },
        ],
      },
    ],
  },
  {
    name: '@fastify/rate-limit registered without redis or a store: the suggestion gives it an ioredis client',
    code: `
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';

export async function buildApp() {
  const app = Fastify();
  await app.register(rateLimit, { max: 100, timeWindow: '1 minute' });
  return app;
}
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 7,
        column: 9,
        endLine: 7,
        endColumn: 21,
        data: { library: '@fastify/rate-limit', store: 'its default in-memory store' },
        suggestions: [
          {
            messageId: 'rateLimitRedisClient',
            data: { library: '@fastify/rate-limit', option: 'redis' },
            output: `
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';

export async function buildApp() {
  const app = Fastify();
  await app.register(rateLimit, { redis: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), max: 100, timeWindow: '1 minute' });
  return app;
}
`,
          },
        ],
      },
    ],
  },
  {
    name: 'Express: open requests per IP and a log of request times per IP, read through locals and defaults and compared with limits',
    code: `
import express from 'express';

const app = express();
const inFlight = new Map<string, number>();
const recentHits = new Map<string, number[]>();

function overRate(ip: string): boolean {
  const now = Date.now();
  const hits = recentHits.get(ip) ?? [];
  const lastMinute = hits.filter((time) => now - time < 60_000);
  return lastMinute.length >= 60;
}

app.use((req, res, next) => {
  const ip = req.ip ?? '';
  if (overRate(ip)) return res.sendStatus(429);
  recentHits.set(ip, [...(recentHits.get(ip) ?? []), Date.now()]);
  const open = inFlight.get(ip) ?? 0;
  if (open >= 4) return res.sendStatus(429);
  inFlight.set(ip, open + 1);
  res.on('close', () => inFlight.set(ip, (inFlight.get(ip) ?? 1) - 1));
  next();
});
`,
    errors: [
      { messageId: 'counterInMemory', line: 5, column: 7, endColumn: 15, data: { name: 'inFlight', route: `middleware for all routes (${file}:15)` } },
      { messageId: 'counterInMemory', line: 6, column: 7, endColumn: 17, data: { name: 'recentHits', route: `middleware for all routes (${file}:15)` } },
    ],
  },
  {
    name: 'node:http: a WebSocket handshake limiter counting attempts per address in the upgrade handler',
    code: `
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const handshakes = new Map<string, number>();
const server = createServer();

function allowed(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? '';
  const seen = (handshakes.get(address) ?? 0) + 1;
  handshakes.set(address, seen);
  return seen <= 20;
}

server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
  if (!allowed(request)) socket.destroy();
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 7, endColumn: 17, data: { name: 'handshakes', route: `HTTP upgrade (WebSocket handshake, ${file}:15)` } }],
  },
  {
    name: 'node:http with a hand-written router: the handler of the route table row the request matches counts per process',
    code: `
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

let queueNumber = 0;

function takeNumber(req: IncomingMessage, res: ServerResponse): void {
  queueNumber = queueNumber + 1;
  res.end(String(queueNumber));
}

const routes = [{ method: 'POST', pattern: /^\\/queue$/, handler: takeNumber }];

createServer((req, res) => {
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i];
    if (route.method === req.method && route.pattern.test(req.url ?? '')) return route.handler(req, res);
  }
  res.end();
}).listen(3000);
`,
    errors: [{ messageId: 'counterInMemory', line: 4, column: 5, endColumn: 16, data: { name: 'queueNumber', route: `POST /^\\/queue$/ (${file}:11)` } }],
  },
  {
    name: 'express-rate-limit given its limits by a spread of a settings object whose properties are all known, none a store',
    code: `
import express from 'express';
import rateLimit from 'express-rate-limit';

const settings = { exportLimits: { windowMs: 90_000, max: 10 } };

const app = express();
const limiter = rateLimit({ ...settings.exportLimits, handler: (req, res) => res.status(429).send('slow down') });
app.use('/export', limiter);
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 8,
        column: 17,
        endLine: 8,
        endColumn: 26,
        data: { library: 'express-rate-limit', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
import express from 'express';
import rateLimit from 'express-rate-limit';
${redisClientLines}

const settings = { exportLimits: { windowMs: 90_000, max: 10 } };

const app = express();
const limiter = rateLimit({ ${redisStoreProperty('limiter')}, ...settings.exportLimits, handler: (req, res) => res.status(429).send('slow down') });
app.use('/export', limiter);
`,
          },
        ],
      },
    ],
  },
  {
    name: '@fastify/autoload plugin file that is @fastify/rate-limit itself, with autoConfig options naming no store',
    code: `
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

export const autoConfig = (fastify: FastifyInstance) => {
  return { max: Number(process.env.RATE_LIMIT_MAX ?? 100), timeWindow: '1 minute' };
};

export default fastifyRateLimit;
`,
    errors: [{ messageId: 'rateLimitInMemory', line: 9, column: 16, endLine: 9, endColumn: 32, data: { library: '@fastify/rate-limit', store: 'its default in-memory store' }, suggestions: [] }],
  },
  {
    name: '@fastify/autoload plugin file in CommonJS without autoConfig: registered with no options',
    code: `
module.exports = require('@fastify/rate-limit');
`,
    errors: [{ messageId: 'rateLimitInMemory', line: 2, column: 18, endLine: 2, endColumn: 48, data: { library: '@fastify/rate-limit', store: 'its default in-memory store' }, suggestions: [] }],
  },
  {
    name: "koa-ratelimit with driver 'memory': the suggestion switches to the redis driver with an ioredis client, reusing the file's Redis import",
    code: `
import Koa from 'koa';
import ratelimit from 'koa-ratelimit';
import IORedis from 'ioredis';

const app = new Koa();
app.use(
  ratelimit({
    driver: 'memory',
    db: new Map(),
    duration: 60000,
    max: 100,
    id: (ctx) => ctx.ip,
  }),
);
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 8,
        column: 3,
        endLine: 8,
        endColumn: 12,
        data: { library: 'koa-ratelimit', store: "driver 'memory'" },
        suggestions: [
          {
            messageId: 'rateLimitRedisClient',
            data: { library: 'koa-ratelimit', option: 'db' },
            output: `
import Koa from 'koa';
import ratelimit from 'koa-ratelimit';
import IORedis from 'ioredis';

const app = new Koa();
app.use(
  ratelimit({
    driver: 'redis',
    db: new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    duration: 60000,
    max: 100,
    id: (ctx) => ctx.ip,
  }),
);
`,
          },
        ],
      },
    ],
  },
  {
    name: 'rate-limiter-flexible RateLimiterMemory: reported at the new expression; the suggestion makes it a RateLimiterRedis on an ioredis client, under its own key prefix',
    code: `
import express from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';

const app = express();
const loginLimiter = new RateLimiterMemory({ points: 5, duration: 60 });

app.post('/login', async (req, res) => {
  await loginLimiter.consume(req.ip ?? 'unknown');
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 6,
        column: 22,
        endLine: 6,
        endColumn: 72,
        data: { library: 'rate-limiter-flexible', store: 'RateLimiterMemory' },
        suggestions: [
          {
            messageId: 'rateLimitRedisClient',
            data: { library: 'rate-limiter-flexible', option: 'storeClient' },
            output: `
import express from 'express';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { Redis } from 'ioredis';

const app = express();
const loginLimiter = new RateLimiterRedis({ storeClient: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), keyPrefix: 'loginLimiter', points: 5, duration: 60 });

app.post('/login', async (req, res) => {
  await loginLimiter.consume(req.ip ?? 'unknown');
  res.sendStatus(204);
});
`,
          },
        ],
      },
    ],
  },
  {
    name: 'rate-limiter-flexible: a RateLimiterMemory that is an insuranceLimiter and also counts requests itself is still reported (no suggestion: the fallback for when Redis is down stays in memory)',
    code: `
import express from 'express';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import Redis from 'ioredis';

const app = express();
const memoryLimiter = new RateLimiterMemory({ points: 5, duration: 60 });
const limiter = new RateLimiterRedis({ storeClient: new Redis(), points: 5, duration: 60, insuranceLimiter: memoryLimiter });
app.post('/login', async (req, res) => {
  await (process.env.REDIS_URL ? limiter : memoryLimiter).consume(req.ip ?? 'unknown');
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 7,
        column: 23,
        endLine: 7,
        endColumn: 73,
        data: { library: 'rate-limiter-flexible', store: 'RateLimiterMemory' },
        suggestions: [],
      },
    ],
  },
  {
    name: 'hono-rate-limiter: rateLimiter without a store counts in its MemoryStore, in this process',
    code: `
import { Hono } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';

const app = new Hono();
app.use('/api/*', rateLimiter({ windowMs: 60_000, limit: 100, keyGenerator: (c) => c.req.path }));
app.get('/api/notes', (c) => c.json([]));
`,
    errors: [{ messageId: 'rateLimitInMemory', line: 6, column: 19, endColumn: 30, data: { library: 'hono-rate-limiter', store: 'the default MemoryStore' } }],
  },
  {
    name: 'connect-ratelimit: always counts in this process',
    code: `
import connect from 'connect';
import connectRateLimit from 'connect-ratelimit';

const app = connect();
app.use(connectRateLimit({ normal: { totalRequests: 500, every: 60000 } }));
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 6,
        column: 9,
        endLine: 6,
        endColumn: 25,
        data: { library: 'connect-ratelimit', store: 'its in-process counters' },
        suggestions: [],
      },
    ],
  },
  {
    name: 'limiter: a RateLimiter wrapped in a class, reported at each wrapper the module makes',
    code: `
import { RateLimiter } from 'limiter';

class LoginRateLimiter {
  private rateLimiter: RateLimiter;
  constructor(config: { tokensPerInterval: number; interval: 'minute' | 'second' }) {
    this.rateLimiter = new RateLimiter(config);
  }
  pass() { return this.rateLimiter.tryRemoveTokens(1); }
}
export const loginRateLimiter = new LoginRateLimiter({ tokensPerInterval: 20, interval: 'minute' });
export const twoFaRateLimiter = new LoginRateLimiter({ tokensPerInterval: 30, interval: 'minute' });
`,
    errors: [
      { messageId: 'rateLimitInMemory', line: 11, column: 33, endLine: 11, endColumn: 100, data: { library: 'limiter', store: 'a RateLimiter in process memory' }, suggestions: [] },
      { messageId: 'rateLimitInMemory', line: 12, column: 33, endLine: 12, endColumn: 100, data: { library: 'limiter', store: 'a RateLimiter in process memory' }, suggestions: [] },
    ],
  },
  {
    name: '@nestjs/throttler ThrottlerModule.forRoot({ ttl, limit }) without storage',
    code: `
import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

@Module({
  imports: [ThrottlerModule.forRoot({ ttl: 60, limit: 10 })],
})
export class AppModule {}
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 6,
        column: 13,
        endColumn: 36,
        data: { library: '@nestjs/throttler', store: 'its default in-memory storage' },
        suggestions: [],
      },
    ],
  },
  {
    name: '@nestjs/throttler ThrottlerModule.forRoot([{ ttl, limit }]): the array form has no storage',
    code: `
import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

@Module({
  imports: [ThrottlerModule.forRoot([{ ttl: 60000, limit: 10 }])],
})
export class AppModule {}
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 6,
        column: 13,
        endColumn: 36,
        data: { library: '@nestjs/throttler', store: 'its default in-memory storage' },
        suggestions: [],
      },
    ],
  },
  {
    name: "@nestjs/throttler forRootAsync whose inline factory returns a list of throttlers: no storage",
    code: `
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: async (config: ConfigService) => [{ ttl: +config.get('RATE_LIMIT_TTL'), limit: +config.get('RATE_LIMIT_MAX') }],
    }),
  ],
})
export class AppModule {}
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 8,
        column: 5,
        endColumn: 33,
        data: { library: '@nestjs/throttler', store: 'its default in-memory storage' },
        suggestions: [],
      },
    ],
  },
  {
    name: "@nestjs/throttler forRootAsync whose factory returns options without a storage",
    code: `
import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

@Module({
  imports: [ThrottlerModule.forRootAsync({ useFactory: () => ({ throttlers: [{ ttl: 60000, limit: 10 }] }) })],
})
export class AppModule {}
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 6,
        column: 13,
        endColumn: 41,
        data: { library: '@nestjs/throttler', store: 'its default in-memory storage' },
        suggestions: [],
      },
    ],
  },
  {
    name: 'graphql-rate-limit-directive (CommonJS) with its default in-memory limiter, on the login mutation',
    code: `
const { createRateLimitDirective } = require('graphql-rate-limit-directive');

module.exports = createRateLimitDirective({
  keyGenerator: (directiveArgs, source, args, context, info) => context.req.ip + ':' + info.fieldName,
});
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 4,
        column: 18,
        endColumn: 42,
        data: { library: 'graphql-rate-limit-directive', store: 'its default in-memory store' },
        suggestions: [],
      },
    ],
  },
  {
    name: 'allowNames that do not match leave the finding',
    code: `
import express from 'express';

const app = express();
let views = 0;

app.get('/', (req, res) => {
  views++;
  res.json({ views });
});
`,
    options: [{ allowNames: ['other', '/^warm/'] }],
    errors: [{ messageId: 'counterInMemory', line: 5, column: 5, endColumn: 10, data: { name: 'views', route: `GET / (${file}:7)` } }],
  },
  {
    name: 'Express: exports running, counted up and down and compared with a limit before each start: reported',
    code: `
import express from 'express';

declare function exportCsv(id: string): Promise<Buffer>;
let running = 0;
const app = express();
app.post('/exports/:id', async (req, res) => {
  if (running >= 4) return res.sendStatus(429);
  running++;
  try {
    res.send(await exportCsv(req.params.id));
  } finally {
    running--;
  }
});
`,
    errors: [{ messageId: 'counterInMemory', line: 5, column: 5, endColumn: 12, data: { name: 'running', route: `POST /exports/:id (${file}:7)` } }],
  },
  {
    name: 'Express: exports in flight, raised and lowered around each and reported to a gauge, but also sent back to the client: reported',
    code: `
import express from 'express';
import metrics from './metrics';

declare function exportCsv(id: string): Promise<Buffer>;
let activeExports = 0;
const app = express();
app.post('/exports/:id', async (req, res) => {
  metrics.gauge('active_exports', ++activeExports);
  res.setHeader('x-exports-in-flight', String(activeExports));
  try {
    res.send(await exportCsv(req.params.id));
  } finally {
    metrics.gauge('active_exports', --activeExports);
  }
});
`,
    errors: [{ messageId: 'counterInMemory', line: 6, column: 5, endColumn: 18, data: { name: 'activeExports', route: `POST /exports/:id (${file}:8)` } }],
  },
  {
    name: 'Express: download counts added through a local and only read back by a stats route: counted per instance',
    code: `
import express from 'express';

const downloadCounts = new Map<string, number>();
const app = express();
app.get('/packages/:name/download', (req, res) => {
  const count = (downloadCounts.get(req.params.name) || 0) + 1;
  downloadCounts.set(req.params.name, count);
  res.redirect('https://cdn.example.com/' + req.params.name);
});
app.get('/stats/:name', (req, res) => {
  res.json({ downloads: downloadCounts.get(req.params.name) ?? 0 });
});
`,
    errors: [{ messageId: 'counterInMemory', line: 4, column: 7, endColumn: 21 }],
  },
  {
    name: 'express-ws: a code counter main() makes once and hands to a WebSocket route through the state object',
    code: `
import express from 'express';
import expressWs from 'express-ws';

class RoomCodes {
  private next = 0;
  draw(): string {
    this.next += 1;
    return String(this.next);
  }
}

async function main() {
  const { app } = expressWs(express());
  const state = { codes: new RoomCodes() };
  app.ws('/rooms', (socket) => {
    socket.send(state.codes.draw());
  });
  app.listen(3000);
}

main();
`,
    errors: [{ messageId: 'counterInMemory', line: 6, column: 11, endColumn: 15, data: { name: 'next', route: `WS /rooms (${file}:16)` } }],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  {
    name: "a tick that decides when this process sweeps its own waiting sessions (`if (++sinceSweep == 10) { …delete…; sinceSweep = 0 }`) counts no one's requests",
    code: `
import express from 'express';

const waiting: Record<string, { started: number }> = {};
let sinceSweep = 0;

function sweep() {
  if (++sinceSweep == 10) {
    for (const id in waiting) {
      if (Date.now() >= waiting[id].started + 60000) delete waiting[id];
    }
    sinceSweep = 0;
  }
}

const app = express();
app.post('/web', (req, res) => {
  setTimeout(() => sweep());
  waiting[String(req.body.session)] = { started: Date.now() };
  res.sendStatus(202);
});
app.listen(3000);
`,
  },
  { name: "an SFU's round-robin cursor over its workers (`if (++next === workers.length) next = 0`) counts nothing", code: sfuServer() },
  {
    name: "a day's count read out and emptied by a midnight job that hands it to a metrics gauge, which no route reads: pending work",
    code: `
import express from 'express';
import cron from 'node-cron';

const metrics = { gauge: (name: string, value: number) => [name, value] };
let ordersToday = 0;

function closeDay() {
  const count = ordersToday;
  ordersToday = 0;
  return count;
}

const app = express();
app.post('/orders', (req, res) => {
  ordersToday++;
  res.sendStatus(201);
});
cron.schedule('0 0 * * *', () => metrics.gauge('orders', closeDay()));
app.listen(3000);
`,
  },
  {
    name: 'the time of the last fetch, stamped beside the list it dates: the age of that copy, not a count',
    code: `
import express from 'express';
import axios from 'axios';

const DAY = 24 * 60 * 60 * 1000;
let versions: string[] = [];
let versionsFetchedAt = 0;
const mailer = { async sendMail(message: object) { return message; } };

const app = express();
app.get('/versions', async (req, res) => {
  const now = Date.now();
  if (versions.length > 0 && now - versionsFetchedAt < DAY) return res.json(versions);
  const response = await axios.get('https://releases.example.test/versions');
  const fetched = (response.data as string[]).sort();
  if (fetched.length > 0) {
    versions = fetched;
    versionsFetchedAt = now;
  }
  res.json(versions);
});
`,
  },
  {
    name: 'node:http look-alike: a table of start-up tasks run row by row at module scope counts nothing a request runs',
    code: `
import { createServer } from 'node:http';

let prepared = 0;

function warmCache(): void {
  prepared = prepared + 1;
}

const tasks = [{ name: 'cache', run: warmCache }];
for (const task of tasks) task.run();

createServer((req, res) => {
  res.end('ok');
}).listen(3000);
`,
  },
  {
    name: "a module's own upstream socket: its error count (error and open callbacks) and reconnect time (the function that connects) are that connection's upkeep",
    code: upstreamSocketModule('connect()'),
  },
  {
    name: "a latch read only to log an upstream failure once and its recovery once: this process's log",
    code: upstreamClient(''),
  },
  {
    name: "a publisher's reconnect attempts, counted by its back-off timer and reset where it connects: its own connection's upkeep",
    code: reconnectingPublisher('amqp.connect'),
  },
  {
    name: 'a task queue main() makes: the count of jobs started this tick, reset where the tick takes queued jobs, paces this process',
    code: `
import express from 'express';

class TaskQueue {
  private readonly waiting: string[] = [];
  private startedThisTick = 0;
  constructor(private readonly perTick: number) {}
  enqueue(url: string): void {
    if (this.startedThisTick < this.perTick) this.start(url);
    else this.waiting.unshift(url);
  }
  tick(): void {
    this.startedThisTick = 0;
    while (this.startedThisTick < this.perTick) {
      const next = this.waiting.pop();
      if (next === undefined) break;
      this.start(next);
    }
  }
  private start(url: string): void {
    this.startedThisTick += 1;
    void fetch(url);
  }
}

function main() {
  const queue = new TaskQueue(5);
  const app = express();
  app.post('/decks', (req, res) => {
    queue.enqueue(String(req.body.url));
    res.sendStatus(202);
  });
  setInterval(() => queue.tick(), 1000);
  app.listen(3000);
}

main();
`,
  },
  {
    name: 'express-ws: the same counter made per connection by the WebSocket route',
    code: `
import express from 'express';
import expressWs from 'express-ws';

class RoomCodes {
  private next = 0;
  draw(): string {
    this.next += 1;
    return String(this.next);
  }
}

async function main() {
  const { app } = expressWs(express());
  app.ws('/rooms', (socket) => {
    const codes = new RoomCodes();
    socket.send(codes.draw());
  });
  app.listen(3000);
}

main();
`,
  },
  {
    name: "a cap on the conversions this process runs at once: raised where one starts, lowered in the completion callback handed to it, read only against the cap",
    code: `
import express from 'express';
import { convert } from './converter';

let runningConversions = 0;
const maxConversions = 2;
const waiting: string[] = [];

function startConversion(fileId: string) {
  runningConversions++;
  convert(fileId, () => {
    runningConversions--;
    startNext();
  });
}

function startNext() {
  const next = waiting.shift();
  if (next && runningConversions < maxConversions) startConversion(next);
}

const app = express();
app.post('/files/:id/convert', (req, res) => {
  waiting.push(req.params.id);
  startNext();
  res.sendStatus(202);
});
`,
  },
  {
    name: 'a write-behind buffer of events sent on every two seconds and, sooner, when it reaches the batch size',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
let pending: string[] = [];

async function flush() {
  const batch = pending;
  pending = [];
  if (batch.length > 0) await pool.query('INSERT INTO events (name) SELECT unnest($1::text[])', [batch]);
}

const app = express();
app.post('/events', (req, res) => {
  pending.push(String(req.body.name));
  if (pending.length >= 500) void flush();
  res.sendStatus(202);
});
setInterval(() => void flush(), 2000);
app.listen(3000);
`,
  },
  {
    name: "express-rate-limit without a store in the branch of the one-process mode, whose other branch gives the same limiter a Redis store",
    code: `
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import Redis from 'ioredis';

const limiters = new Map<string, express.RequestHandler>();
export function addLimiter(id: string, limit: number, redis?: Redis) {
  if (redis) {
    limiters.set(id, rateLimit({ windowMs: 60_000, max: limit, store: new RedisStore({ prefix: 'rl:' + id, sendCommand: (...args: string[]) => redis.call(args[0], ...args.slice(1)) as never }) }));
  } else {
    limiters.set(id, rateLimit({ windowMs: 60_000, max: limit }));
  }
}
`,
  },
  {
    name: "Express: a cache's hits and misses, counted where the cache answers a route, are this process's statistics",
    code: `
import express from 'express';

declare function loadTopic(id: string): Promise<object>;
const entries = new Map<string, object>();
const topicCache = { hits: 0, misses: 0 };

const app = express();
app.get('/topics/:id', async (req, res) => {
  let topic = entries.get(req.params.id);
  if (topic) {
    topicCache.hits += 1;
  } else {
    topicCache.misses += 1;
    topic = await loadTopic(req.params.id);
  }
  res.json(topic);
});
`,
  },
  {
    name: 'Express: the numbers of a pool of forked sandbox workers (jobs handed out, boot failures, a breaker) count this process\'s pool',
    code: `
import express from 'express';
import { fork, type ChildProcess } from 'node:child_process';

const POOL_SIZE = 4;
let workers: { proc: ChildProcess; busy: boolean }[] = [];
let jobCounter = 0;
let bootFailures = 0;
let circuitOpenUntil = 0;

function spawnWorker() {
  const worker = { proc: fork('./sandbox-worker.js'), busy: false };
  worker.proc.on('exit', () => {
    workers = workers.filter((w) => w !== worker);
    if (++bootFailures >= 3) circuitOpenUntil = Date.now() + 30_000;
  });
  return worker;
}

const app = express();
app.post('/evaluate', express.json(), (req, res) => {
  if (circuitOpenUntil > Date.now()) return res.status(503).end();
  let worker = workers.find((w) => !w.busy);
  if (!worker && workers.length < POOL_SIZE) workers.push((worker = spawnWorker()));
  worker?.proc.send({ id: ++jobCounter, code: req.body.code });
  res.status(202).json({ id: jobCounter });
});
`,
  },
  {
    name: 'Express: download counts added through a local (`const count = (m.get(k) || 0) + 1; m.set(k, count)`) and flushed by a timer that hands each entry on and empties the map: a write-behind buffer',
    code: `
import express from 'express';
import { downloads } from './db';

let pendingDownloads = new Map<string, number>();
const app = express();
app.get('/packages/:name/download', (req, res) => {
  const count = (pendingDownloads.get(req.params.name) || 0) + 1;
  pendingDownloads.set(req.params.name, count);
  res.redirect('https://cdn.example.com/' + req.params.name);
});
setInterval(async () => {
  const totals: [string, number][] = [];
  for (const [name, count] of pendingDownloads) totals.push([name, count]);
  pendingDownloads = new Map();
  for (const [name, count] of totals) await downloads.increment(name, count);
}, 5000);
`,
  },
  {
    name: 'Express: signed-URL calls in flight in this process, raised before the call and lowered in its finally, only sent to a metrics gauge',
    code: `
import express from 'express';
import metrics from '@acme/metrics';

declare function signUrl(key: string): Promise<string>;
let ACTIVE_SIGNED_URL_CALLS = 0;

async function getRedirectUrl(key: string) {
  metrics.gauge('active_signed_url_calls', ++ACTIVE_SIGNED_URL_CALLS, { path: 'files' });
  try {
    return await signUrl(key);
  } finally {
    metrics.gauge('active_signed_url_calls', --ACTIVE_SIGNED_URL_CALLS, { path: 'files' });
  }
}

const app = express();
app.get('/files/:key', async (req, res) => res.redirect(await getRedirectUrl(req.params.key)));
`,
  },
  {
    name: 'Fastify and NestJS: uploads in flight counted up and down, read only by a statsd gauge and a log line',
    code: `
import Fastify from 'fastify';
import { Controller, Injectable, Post } from '@nestjs/common';
import StatsD from 'hot-shots';

declare function store(body: unknown): Promise<void>;
const statsd = new StatsD();
const logger = { info: (...args: unknown[]) => console.log(...args) };
let uploadsInFlight = 0;

const app = Fastify();
app.post('/uploads', async (request) => {
  uploadsInFlight++;
  statsd.gauge('uploads.in_flight', uploadsInFlight);
  try {
    await store(request.body);
  } finally {
    uploadsInFlight--;
    logger.info({ uploadsInFlight }, 'upload done');
  }
  return { ok: true };
});

@Injectable()
export class ImportService {
  private running = 0;
  async run(body: unknown) {
    this.running += 1;
    statsd.gauge('imports.running', this.running);
    try {
      await store(body);
    } finally {
      this.running -= 1;
      statsd.gauge('imports.running', this.running);
    }
  }
}

@Controller('imports')
export class ImportController {
  constructor(private readonly imports: ImportService) {}
  @Post()
  create() {
    return this.imports.run({});
  }
}
`,
  },
  {
    name: 'a list per user kept and shown back, never compared with a limit, and an upgrade event of something that is not a server',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';

const app = express();
const recentSearches = new Map<string, string[]>();
app.get('/search', (req, res) => {
  const user = String(req.query.user);
  const searches = recentSearches.get(user) ?? [];
  recentSearches.set(user, [String(req.query.q), ...searches].slice(0, 10));
  res.json({ recent: searches.length > 0 ? searches : [] });
});

const versions = new EventEmitter();
let upgrades = 0;
versions.on('upgrade', (from: string) => {
  upgrades++;
  console.log('upgraded from', from, upgrades);
});
`,
  },
  {
    name: 'express-rate-limit options spread from an object that brings a store, or from a parameter whose properties are unknown',
    code: `
import rateLimit from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });
const shared = { store: new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args) }), windowMs: 60_000 };
export const apiLimiter = rateLimit({ ...shared, max: 100 });
export const makeLimiter = (options: Record<string, unknown>) => rateLimit({ ...options, max: 5 });
`,
  },
  {
    name: '@fastify/autoload plugin file for @fastify/rate-limit whose autoConfig gives it Redis, and a file that only re-exports another plugin',
    code: `
import fastifyRateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';

export const autoConfig = { redis: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), max: 100, timeWindow: '1 minute' };

export default fastifyRateLimit;
`,
  },
  {
    name: '@fastify/autoload plugin file whose options come from a function that may add a store (not visible: left alone)',
    code: `
import fastifyRateLimit from '@fastify/rate-limit';
import { limiterOptions } from './limits';

export const autoConfig = limiterOptions;
export default fastifyRateLimit;
`,
  },
  {
    name: 'socket.io: a number bumped to mint reply ids is a sequence, not a count',
    code: `
import { Server } from 'socket.io';
import { publish } from './bus';

const io = new Server();
let replyCounter = 0;

io.on('connection', (socket) => {
  socket.on('ask', (question: string) => {
    ++replyCounter;
    const replyId = replyCounter;
    publish('ask', { replyId, question, from: socket.id });
  });
});
`,
  },
  {
    name: 'Express: a cache cleared when its size passes a bound, and a queue checked for emptiness, are not counters',
    code: `
import express from 'express';
import { rows } from './db';

const app = express();
const byId = new Map<string, object>();
const pending: string[] = [];

app.get('/rows/:id', async (req, res) => {
  if (byId.size > 1000) byId.clear();
  const hit = byId.get(req.params.id);
  if (hit) return res.json(hit);
  const row = await rows.find(req.params.id);
  byId.set(req.params.id, row);
  pending.push(req.params.id);
  if (pending.length > 0) pending.shift();
  res.json(row);
});
`,
  },
  {
    name: 'a RateLimiter class of the project’s own (Redis-backed), not the limiter package’s',
    code: `
class RateLimiter {
  constructor(private readonly redis: { incr(key: string): Promise<number> }) {}
  async hit(key: string) { return (await this.redis.incr(key)) <= 10; }
}
export const limiter = new RateLimiter({ incr: async () => 1 });
`,
  },
  {
    name: 'loop counters and per-request locals',
    code: `
import express from 'express';

const app = express();

app.post('/orders', (req, res) => {
  let total = 0;
  for (let i = 0; i < req.body.items.length; i++) total += req.body.items[i].price;
  const countsBySku = new Map<string, number>();
  for (const item of req.body.items) countsBySku.set(item.sku, (countsBySku.get(item.sku) ?? 0) + 1);
  res.json({ total, counts: Object.fromEntries(countsBySku) });
});
`,
  },
  {
    name: 'counters changed only at module start-up',
    code: `
import express from 'express';

const app = express();
let routesRegistered = 0;
const registrationsByMethod = new Map<string, number>();

function register(method: 'get' | 'post', path: string) {
  app[method](path, (req, res) => {
    res.json({ routesRegistered });
  });
  routesRegistered++;
  registrationsByMethod.set(method, (registrationsByMethod.get(method) ?? 0) + 1);
}

register('get', '/a');
register('post', '/b');
`,
  },
  {
    name: 'prom-client Counter: counter.inc() in a handler is not a state write',
    code: `
import express from 'express';
import { Counter } from 'prom-client';

const app = express();
const httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames: ['route'] });

app.get('/products', (req, res) => {
  httpRequests.inc({ route: '/products' });
  res.json([]);
});
`,
  },
  {
    name: 'a Map written with objects is session state (no-in-memory-session), never also a counter',
    code: `
import express from 'express';

const app = express();
const visitors = new Map<string, { count: number; lastSeen: number }>();

app.get('/visit', (req, res) => {
  const previous = visitors.get(req.ip ?? '');
  visitors.set(req.ip ?? '', { count: (previous?.count ?? 0) + 1, lastSeen: Date.now() });
  res.json(visitors.get(req.ip ?? ''));
});
`,
  },
  {
    name: 'a boolean flag is not a counter',
    code: `
import express from 'express';

const app = express();
let warmedUp = false;

app.get('/health', (req, res) => {
  warmedUp = true;
  res.json({ warmedUp });
});
`,
  },
  {
    name: '@fastify/rate-limit given an ioredis client, and koa-ratelimit on its default redis driver',
    code: `
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import Koa from 'koa';
import ratelimit from 'koa-ratelimit';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const app = Fastify();
await app.register(rateLimit, { max: 100, timeWindow: '1 minute', redis });
await app.register(rateLimit, { global: false, store: class {} });
const koa = new Koa();
koa.use(ratelimit({ driver: 'redis', db: redis, duration: 60000, max: 100 }));
koa.use(ratelimit({ db: redis, duration: 60000, max: 100 }));
`,
  },
  {
    name: 'express-rate-limit with a RedisStore from rate-limit-redis',
    code: `
import rateLimit from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });

export const limiter = rateLimit({
  windowMs: 60_000,
  limit: 100,
  store: new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args) }),
});
`,
  },
  {
    name: 'rateLimit(options) where options is a function parameter: its store cannot be seen',
    code: `
import rateLimit, { type Options } from 'express-rate-limit';

export function createLimiter(options: Partial<Options>) {
  return rateLimit(options);
}
`,
  },
  {
    name: 'a spread in the options may bring a store',
    code: `
import rateLimit from 'express-rate-limit';
import { sharedLimiterOptions } from './limiter-options';

export const limiter = rateLimit({ ...sharedLimiterOptions, limit: 10 });
`,
  },
  {
    name: "@nestjs/throttler forRootAsync: the factory's result cannot be seen",
    code: `
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';

@Module({
  imports: [ThrottlerModule.forRootAsync({ inject: [ConfigService], useFactory: (config: ConfigService) => config.getOrThrow('throttle') })],
})
export class AppModule {}
`,
  },
  {
    name: '@nestjs/throttler forRootAsync whose factory returns a Redis storage',
    code: `
import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      useFactory: async () => {
        return { throttlers: [{ ttl: 60000, limit: 10 }], storage: new ThrottlerStorageRedisService(process.env.REDIS_URL) };
      },
    }),
  ],
})
export class AppModule {}
`,
  },
  {
    name: 'graphql-rate-limit-directive given a Redis limiter class, and graphql-rate-limit given a Redis store',
    code: `
import { createRateLimitDirective } from 'graphql-rate-limit-directive';
import { createRateLimitRule, RedisStore } from 'graphql-rate-limit';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import Redis from 'ioredis';

const storeClient = new Redis(process.env.REDIS_URL);
export const rateLimit = createRateLimitDirective({ limiterClass: RateLimiterRedis, limiterOptions: { storeClient } });
export const rule = createRateLimitRule({ identifyContext: (ctx: { ip: string }) => ctx.ip, store: new RedisStore(storeClient) });
`,
  },
  {
    name: 'rate-limiter-flexible: a RateLimiterMemory given as the insuranceLimiter of a Redis limiter (used only while Redis is down), inline and held in a static field',
    code: `
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import Redis from 'ioredis';

const storeClient = new Redis(process.env.REDIS_URL);
export const apiLimiter = new RateLimiterRedis({ storeClient, points: 100, duration: 60, insuranceLimiter: new RateLimiterMemory({ points: 10, duration: 60 }) });

export class RateLimiter {
  static readonly insuranceRateLimiter = new RateLimiterMemory({ points: 10, duration: 60 });
  static readonly loginLimiter = new RateLimiterRedis({ storeClient, points: 5, duration: 60, insuranceLimiter: this.insuranceRateLimiter });
}
`,
  },
  {
    name: '@nestjs/throttler forRoot with a storage',
    code: `
import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';

@Module({
  imports: [
    ThrottlerModule.forRoot({
      throttlers: [{ ttl: 60000, limit: 10 }],
      storage: new ThrottlerStorageRedisService(process.env.REDIS_URL),
    }),
  ],
})
export class AppModule {}
`,
  },
  {
    name: 'allowNames silences a name, exactly or by /regex/',
    code: `
import express from 'express';

const app = express();
let views = 0;
const requestsByRoute = new Map<string, number>();

app.get('/', (req, res) => {
  views++;
  requestsByRoute.set(req.path, (requestsByRoute.get(req.path) ?? 0) + 1);
  res.json({ views });
});
`,
    options: [{ allowNames: ['views', '/ByRoute$/'] }],
  },
  {
    name: 'checkRateLimiters: false',
    code: `
import express from 'express';
import rateLimit from 'express-rate-limit';

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
`,
    options: [{ checkRateLimiters: false }],
  },
  {
    name: 'Express and socket.io: plugin installs still running in this process, counted up and down and read only to learn that none is left',
    code: `
import express from 'express';
import { Server } from 'socket.io';

declare function installPlugin(name: string): Promise<void>;
declare function reloadPlugins(): Promise<void>;
let tasks = 0;
function trackTask(done: () => void) {
  tasks++;
  return () => {
    done();
    tasks--;
    if (tasks === 0) void reloadPlugins();
  };
}
const app = express();
app.post('/plugins/:name', (req, res) => {
  const finish = trackTask(() => res.sendStatus(204));
  void installPlugin(req.params.name).then(finish);
});
const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('install', (name: string) => {
    const finish = trackTask(() => socket.emit('finished:install', name));
    void installPlugin(name).then(finish);
  });
});
`,
  },
];

const viewsInExpressApp = `
import express from 'express';
import rateLimit from 'express-rate-limit';

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
let views = 0;

app.get('/', (req, res) => {
  views++;
  res.json({ views });
});
`;

/** Cases whose file name decides what the file is (framework conventions, module style, tests, scripts). */
const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'Next.js route handler export',
    filename: 'app/api/views/route.ts',
    code: `
let views = 0;

export async function GET() {
  views++;
  return Response.json({ views });
}
`,
    errors: [{ messageId: 'counterInMemory', line: 2, column: 5, endColumn: 10, data: { name: 'views', route: 'GET /api/views (app/api/views/route.ts:4)' } }],
  },
  {
    name: 'CommonJS require in a .js file: the suggestion requires the store and leaves out types',
    filename: 'src/server.js',
    code: `
const express = require('express');
const rateLimit = require('express-rate-limit');

const app = express();
app.use(rateLimit({ windowMs: 60 * 1000, max: 20 }));
`,
    errors: [
      {
        messageId: 'rateLimitInMemory',
        line: 6,
        column: 9,
        endColumn: 18,
        data: { library: 'express-rate-limit', store: 'the default MemoryStore' },
        suggestions: [
          {
            messageId: 'rateLimitMoveToRedis',
            output: `
const express = require('express');
const rateLimit = require('express-rate-limit');
const { RedisStore: RateLimitRedisStore } = require('rate-limit-redis');
const { createClient } = require('redis');

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error) => console.error('Redis connection failed', error));

const app = express();
app.use(rateLimit({ store: new RateLimitRedisStore({ sendCommand: (...args) => redisClient.sendCommand(args), prefix: 'rl:server-6:' }), windowMs: 60 * 1000, max: 20 }));
`,
          },
        ],
      },
    ],
  },
];

const fileNameValid: ValidTestCase<Options>[] = [
  { name: 'a test file never serves requests', filename: 'src/app.test.ts', code: viewsInExpressApp },
  { name: 'a script never serves requests', filename: 'scripts/count.ts', code: viewsInExpressApp },
  {
    name: 'untyped analysis stays within one file: the routes that call these helpers are in another file',
    filename: 'src/metrics.ts',
    code: readFileSync(fixturePath('counter/metrics.ts'), 'utf8'),
  },
];

/** Untyped, across files (`fixtures/untyped-project`, read from disk by the project index). */
const untypedProjectInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'untyped cross-file Express: POST /api/login → login() in the controller → recordLogin() in a service → loginCounts exported by state/metrics.ts',
    ...untypedProjectFile('src/state/metrics.ts'),
    errors: [{ messageId: 'counterInMemory', line: 1, column: 14, endColumn: 25, data: { name: 'loginCounts', route: 'POST /api/login (src/routes/auth.ts:7)' } }],
  },
  {
    name: 'untyped cross-file Koa: router.get(path, visit) in server.ts, visits++ in visits.ts',
    ...untypedProjectFile('koa/visits.ts'),
    errors: [{ messageId: 'counterInMemory', line: 1, column: 5, endColumn: 11, data: { name: 'visits', route: 'GET /visit (koa/server.ts:7)' } }],
  },
];

const untypedProjectValid: ValidTestCase<Options>[] = [
  { name: 'untyped cross-file: the service increments a counter another module declares', ...untypedProjectFile('src/services/audit.service.ts') },
];

createUntypedRuleTester().run('no-in-memory-counter', rule, {
  valid: [...sameFileValid, ...fileNameValid, ...untypedProjectValid],
  invalid: [...sameFileInvalid('file.ts'), ...fileNameInvalid, ...untypedProjectInvalid],
});

createTypedRuleTester().run('no-in-memory-counter (typed)', rule, {
  valid: [
    ...sameFileValid,
    {
      name: 'cross-file: routes.ts reaches counters in other files but declares none',
      filename: fixturePath('counter/routes.ts'),
      code: readFileSync(fixturePath('counter/routes.ts'), 'utf8'),
    },
    {
      name: 'cross-file: the controller reaches the service counter but declares none',
      filename: fixturePath('counter/page-views.controller.ts'),
      code: readFileSync(fixturePath('counter/page-views.controller.ts'), 'utf8'),
    },
  ],
  invalid: [
    ...sameFileInvalid('src/rules/fixtures/file.ts'),
    {
      name: 'cross-file: POST /orders and POST /payments/failed in routes.ts call the helpers here that increment the counters',
      filename: fixturePath('counter/metrics.ts'),
      code: readFileSync(fixturePath('counter/metrics.ts'), 'utf8'),
      errors: [
        { messageId: 'counterInMemory', line: 1, column: 5, endColumn: 17, data: { name: 'ordersPlaced', route: 'POST /orders (src/rules/fixtures/counter/routes.ts:7)' } },
        {
          messageId: 'counterInMemory',
          line: 2,
          column: 7,
          endColumn: 21,
          data: { name: 'failedPayments', route: 'POST /payments/failed (src/rules/fixtures/counter/routes.ts:12)' },
        },
      ],
    },
    {
      name: "cross-file: a handler given by reference (app.get('/downloads/:file', countDownload) in routes.ts)",
      filename: fixturePath('counter/download-handler.ts'),
      code: readFileSync(fixturePath('counter/download-handler.ts'), 'utf8'),
      errors: [
        {
          messageId: 'counterInMemory',
          line: 3,
          column: 7,
          endColumn: 22,
          data: { name: 'downloadsByFile', route: 'GET /downloads/:file (src/rules/fixtures/counter/routes.ts:21)' },
        },
      ],
    },
    {
      name: 'cross-file NestJS: GET /pages/:slug in the controller calls PageViewsService.record(), which increments an @Injectable field',
      filename: fixturePath('counter/page-views.service.ts'),
      code: readFileSync(fixturePath('counter/page-views.service.ts'), 'utf8'),
      errors: [
        {
          messageId: 'counterInMemory',
          line: 5,
          column: 11,
          endColumn: 16,
          data: { name: 'total', route: 'GET /pages/:slug (PageViewsController.view, src/rules/fixtures/counter/page-views.controller.ts:8)' },
        },
      ],
    },
  ],
});
