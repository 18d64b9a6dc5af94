import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Idiom classes read in a socket.io game server, a NestJS admin service and a Next.js app (round 12
// of test/real-world), written here in other shapes: each hazard, and the look-alikes that stay quiet.

afterAll(removeAnalysedProjects);

describe('connection handlers kept in a list and called in a loop', () => {
  const files = {
    'server.ts': `import { Server } from 'socket.io';
import { chatHandlers } from './chat';
import { boardHandlers } from './board';
import { seedExamples } from './seed';

const io = new Server(3001);
const handlers = [chatHandlers];

[seedExamples].forEach((run) => run());

io.on('connection', (socket) => {
  handlers.forEach((register) => register({ io, socket }));
  for (const register of [boardHandlers]) register({ io, socket });
});
`,
    'chat.ts': `import fs from 'fs';

export const chatHandlers = ({ io, socket }: { io: any; socket: any }) => {
  socket.on('save', (name: string) => {
    fs.writeFileSync('data/' + name + '.json', '{}');
    io.to(name).emit('saved');
  });
};
`,
    'board.ts': `import fs from 'fs';

export function boardHandlers({ socket }: { socket: any }) {
  socket.on('remove', (id: string) => fs.unlinkSync('boards/' + id));
}
`,
    'seed.ts': `import fs from 'fs';

export function seedExamples() {
  fs.writeFileSync('data/example.json', '{}');
}
`,
  };
  const save = [
    '5:5 no-blocking-request-work: `fs.writeFileSync` blocks the event loop on socket connection (server.ts:11): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    "5:5 no-local-disk-write: `fs.writeFileSync` writes to this instance's local disk on socket connection (server.ts:11). Other instances will not find the file, and it is lost when this instance is replaced.",
  ];
  const remove = [
    '4:39 no-blocking-request-work: `fs.unlinkSync` blocks the event loop on socket connection (server.ts:11): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    "4:39 no-local-disk-write: `fs.unlinkSync` deletes a stored file from this instance's local disk on socket connection (server.ts:11). The other instances keep their copy, or never had it: the files belong in shared storage.",
  ];

  it('`handlers.forEach((register) => register(ctx))` and `for (const register of [...])` run every listed handler (untyped and typed)', () => {
    expect(untyped(files, 'chat.ts')).toEqual(save);
    expect(typed(files, 'chat.ts')).toEqual(save);
    expect(untyped(files, 'board.ts')).toEqual(remove);
    expect(typed(files, 'board.ts')).toEqual(remove);
  });

  it('quiet: a list of set-up steps run once at start-up', () => {
    expect(untyped(files, 'seed.ts')).toEqual([]);
    expect(typed(files, 'seed.ts')).toEqual([]);
  });
});

describe('a list measured against itself', () => {
  const files = {
    'server.ts': `import express from 'express';

const app = express();
let rooms: { id: string; empty: boolean }[] = [];
let signups: string[] = [];

app.post('/rooms', (req, res) => {
  rooms.push({ id: req.body.id, empty: false });
  res.sendStatus(201);
});

app.delete('/rooms/empty', (req, res) => {
  const before = rooms.length;
  const kept = rooms.filter((room) => !room.empty);
  if (kept.length === rooms.length) return res.sendStatus(304);
  rooms = kept;
  res.json({ removed: rooms.length < before });
});

app.post('/signups', (req, res) => {
  if (signups.length >= 100) return res.sendStatus(429);
  signups.push(req.body.email);
  res.sendStatus(202);
});

app.listen(3000);
`,
  };

  it('the size before a filter, or of the part kept, is not a limit: the rooms are per-user state; sign-ups capped at 100 stay a counter (untyped and typed)', () => {
    const expected = [
      '4:5 no-in-memory-session: `rooms` holds application data in this process; it is written by POST /rooms (server.ts:7) and 1 other route. A second instance will not see it.',
      '5:5 no-in-memory-counter: `signups` counts in this process; it is changed by POST /signups (server.ts:20). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untyped(files, 'server.ts')).toEqual(expected);
    expect(typed(files, 'server.ts')).toEqual(expected);
  });
});

describe('SSE streams kept as their subscribers', () => {
  const files = {
    'events.service.ts': `import { Injectable } from '@nestjs/common';
import { Subscriber } from 'rxjs';

const streams = new Map<number, Subscriber<MessageEvent>[]>();

@Injectable()
export class EventsService {
  add(userId: number, subscriber: Subscriber<MessageEvent>) {
    streams.set(userId, (streams.get(userId) ?? []).concat(subscriber));
  }

  notify(userId: number, data: object) {
    streams.get(userId)?.forEach((subscriber) => subscriber.next({ data } as MessageEvent));
  }
}
`,
    'events.controller.ts': `import { Body, Controller, Param, Post, Sse } from '@nestjs/common';
import { Observable } from 'rxjs';
import { EventsService } from './events.service';

@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Sse(':userId')
  stream(@Param('userId') userId: number) {
    return new Observable<MessageEvent>((subscriber) => this.events.add(userId, subscriber));
  }

  @Post(':userId')
  send(@Param('userId') userId: number, @Body() body: object) {
    this.events.notify(userId, body);
  }
}
`,
    'steps.ts': `import express from 'express';

const app = express();
const pending: Iterator<number>[] = [];

app.post('/steps', (req, res) => {
  pending.push([1, 2, 3][Symbol.iterator]());
  pending.forEach((step) => step.next());
  res.sendStatus(204);
});
`,
  };

  it('`subscriber.next(event)` over the subscribers a stream route added is a fan-out to this instance only (untyped and typed)', () => {
    const expected = [
      '4:7 no-in-memory-pubsub: `streams` lists the clients connected to this instance; GET /events/:userId (EventsController.stream, events.controller.ts:9) adds to it and POST /events/:userId (EventsController.send, events.controller.ts:14) sends to its entries. Clients connected to other instances never get the message.',
    ];
    expect(untyped(files, 'events.service.ts')).toEqual(expected);
    expect(typed(files, 'events.service.ts')).toEqual(expected);
  });

  it('quiet as pub/sub: iterators stepped with `next()` (nothing sent)', () => {
    expect(untyped(files, 'steps.ts').filter((finding) => finding.includes('pubsub'))).toEqual([]);
    expect(typed(files, 'steps.ts').filter((finding) => finding.includes('pubsub'))).toEqual([]);
  });
});

describe("a project's own decorator that makes @nestjs/schedule's", () => {
  const files = {
    'schedule.decorators.ts': `import cluster from 'node:cluster';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';

export const CronOnce: typeof Cron = (...rest) => {
  if (cluster.isPrimary) return Cron.call(null, ...rest);
  const nothing: MethodDecorator = () => {};
  return nothing;
};

export function Nightly(name: string) {
  return applyDecorators(Cron('0 3 * * *', { name }), SetMetadata('job', name));
}

export const Mission = () => SetMetadata('mission', true);
`,
    'tokens.service.ts': `import { Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { CronOnce, Mission, Nightly } from './schedule.decorators';

@Injectable()
export class TokensService {
  @CronOnce(CronExpression.EVERY_DAY_AT_MIDNIGHT)
  async sweepExpired() {
    await fetch('https://auth.example.com/tokens/expired', { method: 'DELETE' });
  }

  @Nightly('report')
  async report() {
    await fetch('https://hooks.example.com/report', { method: 'POST' });
  }

  @Mission()
  async clearLogs() {
    await fetch('https://logs.example.com/clear', { method: 'POST' });
  }
}
`,
  };

  it('`Cron.call(null, ...rest)` returned by a wrapper, and `applyDecorators(Cron(…))`, schedule the method in every instance; quiet: a wrapper of `SetMetadata` (untyped and typed)', () => {
    const expected = [
      '7:3 no-in-process-scheduler: `@CronOnce` runs in every instance of the web process: the job posts to an HTTP API (`fetch`) every day at midnight. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
      '12:3 no-in-process-scheduler: `@Nightly` runs in every instance of the web process: the job posts to an HTTP API (`fetch`) every day at 03:00. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'tokens.service.ts')).toEqual(expected);
    expect(typed(files, 'tokens.service.ts')).toEqual(expected);
  });
});

describe('next-auth providers called by the sign-in route', () => {
  const files = {
    'pages/api/auth/[...nextauth].ts': `import NextAuth from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import EmailProvider from 'next-auth/providers/email';
import bcrypt from 'bcrypt';
import nodemailer from 'nodemailer';
import { users } from '../../../lib/db';

const transport = nodemailer.createTransport(process.env.EMAIL_SERVER);

export const authOptions = {
  providers: [
    CredentialsProvider({
      credentials: {},
      async authorize(credentials: any) {
        const user = await users.find(credentials.username);
        return user && bcrypt.compareSync(credentials.password, user.password) ? user : null;
      },
    }),
    EmailProvider({
      sendVerificationRequest: async ({ identifier, url }: any) => {
        await transport.sendMail({ to: identifier, text: url });
      },
    }),
  ],
};

export default NextAuth(authOptions);
`,
    'lib/db.ts': `export const users = { async find(name: string) { return { name, password: '' }; } };
`,
    'lib/policy.ts': `import bcrypt from 'bcrypt';

export const policy = {
  authorize(password: string, hash: string) {
    return bcrypt.compareSync(password, hash);
  },
};
`,
  };

  it("`authorize` of the credentials provider and the e-mail provider's `sendVerificationRequest` run on a sign-in (untyped and typed)", () => {
    const expected = [
      "16:24 no-blocking-request-work: `bcrypt.compareSync` blocks the event loop on next-auth sign-in (credentials provider's authorize, pages/api/auth/[...nextauth].ts:14): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
      "21:15 no-blocking-request-work: `transport.sendMail` holds the request open on next-auth sign-in (email provider's sendVerificationRequest, pages/api/auth/[...nextauth].ts:20) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).",
    ];
    expect(untyped(files, 'pages/api/auth/[...nextauth].ts')).toEqual(expected);
    expect(typed(files, 'pages/api/auth/[...nextauth].ts')).toEqual(expected);
  });

  it('quiet: an `authorize` method of an object no provider is given', () => {
    expect(untyped(files, 'lib/policy.ts')).toEqual([]);
    expect(typed(files, 'lib/policy.ts')).toEqual([]);
  });
});

describe('passport strategies and sessions called by the routes that authenticate', () => {
  const files = {
    'src/auth.js': `import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Strategy as JwtStrategy } from 'passport-jwt';
import bcrypt from 'bcryptjs';
import zlib from 'node:zlib';
import { users } from './db.js';

passport.use(new LocalStrategy({ usernameField: 'email' }, async (email, password, done) => {
  const user = await users.find(email);
  return done(null, user && bcrypt.compareSync(password, user.hash) ? user : false);
}));

function verifyToken(payload, done) {
  done(null, JSON.parse(zlib.gunzipSync(Buffer.from(payload.profile, 'base64')).toString()));
}
passport.use(new JwtStrategy({ secretOrKey: process.env.JWT_SECRET }, verifyToken));

passport.deserializeUser((id, done) => {
  done(null, JSON.parse(zlib.inflateSync(Buffer.from(id, 'base64')).toString()));
});
`,
    'src/db.js': `export const users = { async find(email) { return { email, hash: '' }; } };
`,
    'src/policy.js': `import bcrypt from 'bcryptjs';
import { Checker } from './checker.js';

const session = { deserializeUser(fn) { return fn; } };
export const checker = new Checker({ strict: true }, (password, hash) => bcrypt.compareSync(password, hash));
session.deserializeUser((id) => bcrypt.hashSync(id, 10));
`,
    'src/checker.js': `export class Checker { constructor(options, check) { this.check = check; } }
`,
  };

  it("a strategy's verify (inline or named) and deserializeUser run on the requests passport authenticates (untyped and typed)", () => {
    const expected = [
      "10:29 no-blocking-request-work: `bcrypt.compareSync` blocks the event loop on passport sign-in (passport-local strategy's verify, src/auth.js:8): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
      "14:25 no-blocking-request-work: `zlib.gunzipSync` blocks the event loop on passport sign-in (passport-jwt strategy's verify, src/auth.js:16): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
      "19:25 no-blocking-request-work: `zlib.inflateSync` blocks the event loop on passport session (deserializeUser, src/auth.js:18): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
    ];
    expect(untyped(files, 'src/auth.js')).toEqual(expected);
    expect(typed(files, 'src/auth.js')).toEqual(expected);
  });

  it('quiet: a class of the project given a callback, and a deserializeUser of an object that is not passport', () => {
    expect(untyped(files, 'src/policy.js')).toEqual([]);
    expect(typed(files, 'src/policy.js')).toEqual([]);
  });
});

describe('Nest passport strategies: the class’s validate runs on the requests its guard authenticates', () => {
  const files = {
    'src/auth/local.strategy.ts': `import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { AccountsService } from './accounts.service';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly accounts: AccountsService) {
    super({ usernameField: 'email' });
  }

  async validate(email: string, password: string) {
    const account = await this.accounts.checkPassword(email, password);
    if (!account) throw new UnauthorizedException();
    return account;
  }
}
`,
    'src/auth/accounts.service.ts': `import { Injectable } from '@nestjs/common';
import { compareSync, hashSync } from 'bcryptjs';

@Injectable()
export class AccountsService {
  private readonly rows = [{ email: 'a@example.com', hash: hashSync('seed', 10) }];

  async checkPassword(email: string, password: string) {
    const row = this.rows.find((r) => r.email === email);
    return row && compareSync(password, row.hash) ? row : null;
  }

  rehash(password: string) {
    return hashSync(password, 10);
  }
}
`,
    'src/auth/api-key.strategy.ts': `import { Injectable } from '@nestjs/common';
import { PassportStrategy } from './passport-mixin';
import { Strategy } from 'passport-headerapikey';
import { AccountsService } from './accounts.service';

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly accounts: AccountsService) {
    super();
  }

  validate(key: string) {
    return this.accounts.rehash(key);
  }
}
`,
    'src/auth/passport-mixin.ts': `export function PassportStrategy(base: any): any {
  return class extends base {};
}
`,
  };

  it('a compareSync in the service the strategy’s validate calls is reported on passport sign-in (untyped and typed)', () => {
    const expected = [
      '10:19 no-blocking-request-work: `compareSync` blocks the event loop on passport sign-in (LocalStrategy.validate, a @nestjs/passport strategy, src/auth/local.strategy.ts:12): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'src/auth/accounts.service.ts')).toEqual(expected);
    expect(typed(files, 'src/auth/accounts.service.ts')).toEqual(expected);
  });

  it('quiet: a class extending a mixin of the project’s own that is named PassportStrategy', () => {
    expect(untyped(files, 'src/auth/api-key.strategy.ts')).toEqual([]);
    expect(typed(files, 'src/auth/api-key.strategy.ts')).toEqual([]);
  });
});

describe('clients made from the deployment’s settings', () => {
  const files = {
    'billing.ts': `import express from 'express';
import { StoreClient } from 'store-api';
import { readSecret, readKey } from './secrets';

const app = express();
const clients: Record<string, StoreClient> = {};
const tenantClients: Record<string, StoreClient> = {};

function clientFor(environment: string) {
  if (!clients[environment]) clients[environment] = new StoreClient(readSecret(process.env.STORE_KEY), process.env.STORE_ISSUER, environment);
  return clients[environment];
}

app.post('/billing/:environment/verify', async (req, res) => {
  res.json(await clientFor(req.params.environment).verify(req.body.receipt));
});

app.post('/tenants/:id/verify', async (req, res) => {
  const tenant = await loadTenant(req.params.id);
  if (!tenantClients[tenant.id]) tenantClients[tenant.id] = new StoreClient(readKey(tenant.keyPath), tenant.issuer, 'production');
  res.json(await tenantClients[tenant.id].verify(req.body.receipt));
});

async function loadTenant(id: string) { return { id, keyPath: '', issuer: '' }; }
`,
    'secrets.ts': `export function readSecret(value?: string) { return value ?? ''; }
export function readKey(path: string) { return path; }
`,
  };

  it('quiet: a client per environment built from `process.env` only; a client built from a loaded tenant stays a cache (untyped and typed)', () => {
    const expected = [
      '7:7 no-process-local-cache: `tenantClients` caches shared data in this process; it is written by POST /tenants/:id/verify (billing.ts:18). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'billing.ts')).toEqual(expected);
    expect(typed(files, 'billing.ts')).toEqual(expected);
  });
});

describe('handlers wrapped where a controller keeps them: a class field or an object property', () => {
  const files = {
    'wrap.ts': `import type { NextFunction, Request, RequestHandler, Response } from 'express';
export const asyncHandler = (fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler => (req, res, next) => {
  fn(req, res, next).catch(next);
};
`,
    'products.ts': `import type { Request, Response } from 'express';
import { asyncHandler } from './wrap';

export class ProductController {
  private views = new Map<string, number>();

  show = asyncHandler(async (req: Request, res: Response) => {
    this.views.set(req.params.id, (this.views.get(req.params.id) ?? 0) + 1);
    res.json({ views: this.views.get(req.params.id) });
  });
}
`,
    'items.ts': `import { asyncHandler } from './wrap';

const hits: Record<string, number> = {};

export default {
  hit: asyncHandler(async (req, res) => {
    hits[req.params.id] = (hits[req.params.id] || 0) + 1;
    res.json({ hits: hits[req.params.id] });
  }),
};
`,
    'server.ts': `import express from 'express';
import { ProductController } from './products';
import items from './items';

const app = express();
const products = new ProductController();
app.get('/products/:id', products.show);
app.post('/items/:id/hit', items.hit);
app.listen(3000);
`,
  };

  it('`show = asyncHandler(async (req, res) => …)` in a class and `{ hit: asyncHandler(…) }` are the handlers the routes name (untyped and typed)', () => {
    const views = ['5:11 no-in-memory-counter: `views` counts in this process; it is changed by GET /products/:id (server.ts:7). Each instance keeps its own count, so totals and limits are wrong once there is more than one.'];
    const hits = ['3:7 no-in-memory-counter: `hits` counts in this process; it is changed by POST /items/:id/hit (server.ts:8). Each instance keeps its own count, so totals and limits are wrong once there is more than one.'];
    expect(untyped(files, 'products.ts', ['no-in-memory-counter'])).toEqual(views);
    expect(typed(files, 'products.ts', ['no-in-memory-counter'])).toEqual(views);
    expect(untyped(files, 'items.ts', ['no-in-memory-counter'])).toEqual(hits);
    expect(typed(files, 'items.ts', ['no-in-memory-counter'])).toEqual(hits);
  });

  it('quiet: the same controller when no route names its handlers', () => {
    const quiet = {
      ...files,
      'server.ts': `import express from 'express';\nimport { ProductController } from './products';\nconst app = express();\nconst products = new ProductController();\nconsole.log(products);\napp.listen(3000);\n`,
    };
    expect(untyped(quiet, 'products.ts', ['no-in-memory-counter'])).toEqual([]);
    expect(typed(quiet, 'products.ts', ['no-in-memory-counter'])).toEqual([]);
  });
});

describe("Express's app.locals written by requests", () => {
  const files = {
    'app.js': `const express = require('express');
const app = express();
app.locals.title = 'Shop';
app.locals.carts = new Map();
app.locals.orderCount = 0;
app.use(express.json());
app.use((req, res, next) => {
  res.locals.user = req.headers['x-user'];
  next();
});
app.use('/cart', require('./routes/cart'));
app.use('/otp', require('./routes/otp'));
app.get('/', (req, res) => res.json({ title: req.app.locals.title }));
app.listen(3000);
`,
    'routes/cart.js': `const router = require('express').Router();
router.post('/:user', (req, res) => {
  const carts = req.app.locals.carts;
  const cart = carts.get(req.params.user) || [];
  cart.push(req.body.item);
  carts.set(req.params.user, cart);
  req.app.locals.orderCount += 1;
  res.json({ cart, orders: req.app.locals.orderCount });
});
module.exports = router;
`,
    'routes/otp.js': `const router = require('express').Router();
router.post('/send', (req, res) => {
  req.app.locals = { code: String(Math.random()).slice(2, 8), resetSession: false };
  res.status(204).end();
});
router.post('/verify', (req, res) => {
  if (req.body.code !== req.app.locals.code) return res.status(401).end();
  req.app.locals.resetSession = true;
  res.status(204).end();
});
module.exports = router;
`,
  };
  const rules = ['no-in-memory-session', 'no-in-memory-counter'] as const;

  it('a Map and a count kept there (also through a local that holds the member) are state every instance keeps apart (untyped and typed)', () => {
    const expected = [
      '4:12 no-in-memory-session: `app.locals.carts` holds per-user state in this process; it is written by POST /cart/:user (routes/cart.js:2). A second instance will not see it.',
      '5:12 no-in-memory-counter: `app.locals.orderCount` counts in this process; it is changed by POST /cart/:user (routes/cart.js:2). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untyped(files, 'app.js', [...rules])).toEqual(expected);
    expect(typed(files, 'app.js', [...rules])).toEqual(expected);
  });

  it('a request replacing app.locals itself (a one-time code kept there) is state too, named where it is first replaced', () => {
    const expected = ['3:11 no-in-memory-session: `app.locals` holds per-user state in this process; it is written by POST /otp/send (routes/otp.js:2). A second instance will not see it.'];
    expect(untyped(files, 'routes/otp.js', [...rules])).toEqual(expected);
    expect(typed(files, 'routes/otp.js', [...rules])).toEqual(expected);
  });

  it("quiet: a title set at start-up and read by requests, and res.locals (the request's own)", () => {
    const quiet = { ...files, 'routes/cart.js': "module.exports = require('express').Router();\n", 'routes/otp.js': "module.exports = require('express').Router();\n" };
    expect(untyped(quiet, 'app.js', [...rules])).toEqual([]);
    expect(typed(quiet, 'app.js', [...rules])).toEqual([]);
  });
});

describe("Koa's app.context changed through ctx", () => {
  const files = {
    'app.js': `import Koa from 'koa';
import Router from '@koa/router';
import { db } from './db.js';

const app = new Koa();
app.context.db = db;
app.context.carts = new Map();
app.context.hits = 0;
app.context.flash = null;

const router = new Router();
router.post('/cart/:user', async (ctx) => {
  const cart = ctx.carts.get(ctx.params.user) || [];
  cart.push(ctx.query.item);
  ctx.carts.set(ctx.params.user, cart);
  await ctx.db.insert({ user: ctx.params.user });
  ctx.body = { cart };
});
router.get('/hits', (ctx) => {
  ctx.app.context.hits += 1;
  ctx.flash = 'seen';
  ctx.body = { hits: ctx.hits };
});
app.use(router.routes());
app.listen(3000);
`,
    'db.js': 'export const db = { insert: async (row) => row };\n',
  };
  const rules = ['no-in-memory-session', 'no-in-memory-counter'] as const;

  it('a member start-up code puts there and a request changes (`ctx.carts.set`, `ctx.app.context.hits += 1`) is state every instance keeps apart (untyped and typed)', () => {
    const expected = [
      '7:13 no-in-memory-session: `app.context.carts` holds per-user state in this process; it is written by POST /cart/:user (app.js:12). A second instance will not see it.',
      '8:13 no-in-memory-counter: `app.context.hits` counts in this process; it is changed by GET /hits (app.js:19). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untyped(files, 'app.js', [...rules])).toEqual(expected);
    expect(typed(files, 'app.js', [...rules])).toEqual(expected);
  });

  it("quiet: `ctx.flash = v` gives this request's ctx its own property, and a client on app.context is only called", () => {
    const quiet = { ...files, 'app.js': files['app.js'].replace("app.context.carts = new Map();\n", '').replace("app.context.hits = 0;\n", '').replace(/router\.post[\s\S]*?\n\}\);\n/, '').replace('  ctx.app.context.hits += 1;\n', '') };
    expect(untyped(quiet, 'app.js', [...rules])).toEqual([]);
    expect(typed(quiet, 'app.js', [...rules])).toEqual([]);
  });
});

describe('delayed jobs kept in the database and armed again by every instance at start-up', () => {
  // An auction house: each auction's end is a one-shot timer. After a restart the service's
  // constructor loads the running auctions and arms their timers again, so every instance ends each
  // auction once: the price moves from winner to owner N times.
  const files = {
    'main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
void bootstrap();
`,
    'app.module.ts': `import { Module } from '@nestjs/common';
import { AuctionController } from './auction.controller';
import { AuctionService } from './auction.service';
import { SchedulerService } from './scheduler.service';

@Module({ controllers: [AuctionController], providers: [AuctionService, SchedulerService] })
export class AppModule {}
`,
    'scheduler.service.ts': `import { Injectable } from '@nestjs/common';

@Injectable()
export class SchedulerService {
  addJob(name: string, at: Date, callback: () => void): void {
    const delay = at.getTime() - Date.now();
    setTimeout(() => {
      callback();
    }, delay);
  }
}
`,
    'auction.service.ts': `import { Injectable } from '@nestjs/common';
import { SchedulerService } from './scheduler.service';

interface Auction { id: number; endsAt: Date }
declare const db: { query(sql: string, values?: unknown[]): Promise<Auction[]> };

@Injectable()
export class AuctionService {
  constructor(private readonly scheduler: SchedulerService) {
    void this.restoreTimers();
    setTimeout(() => this.warmUp(), 1000);
  }

  private async restoreTimers() {
    const running = await db.query('SELECT * FROM auctions WHERE ended = false');
    running.forEach((auction) => {
      this.scheduler.addJob('auction-' + auction.id, auction.endsAt, () => {
        void this.end(auction.id);
      });
    });
    for (const auction of running) {
      this.scheduler.addJob('warm-' + auction.id, auction.endsAt, () => this.warmUp());
    }
  }

  async create(endsAt: Date) {
    const [auction] = await db.query('INSERT INTO auctions (ends_at) VALUES ($1) RETURNING *', [endsAt]);
    this.scheduler.addJob('auction-' + auction.id, endsAt, () => {
      void this.end(auction.id);
    });
    return auction;
  }

  async end(id: number) {
    await db.query('UPDATE auctions SET ended = true WHERE id = $1', [id]);
  }

  private warmUp() {
    this.cache.clear();
  }

  private readonly cache = new Map<number, Auction>();
}
`,
    'auction.controller.ts': `import { Body, Controller, Post } from '@nestjs/common';
import { AuctionService } from './auction.service';

@Controller('auctions')
export class AuctionController {
  constructor(private readonly auctions: AuctionService) {}

  @Post()
  create(@Body() body: { endsAt: string }) {
    return this.auctions.create(new Date(body.endsAt));
  }
}
`,
  };

  it('reports the timer armed for each running auction from the constructor; quiet: the one a request arms, a warm-up timer, and a job that only touches this process (untyped and typed)', () => {
    const expected = [
      "17:7 no-in-process-scheduler: `this.scheduler.addJob` runs in every instance of the web process: `this.end()` writes to the database (`db.query`) when each delay ends, armed again by every instance at start-up. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(files, 'auction.service.ts', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'auction.service.ts', ['no-in-process-scheduler'])).toEqual(expected);
  });

  const reminders = (decorator: string): string => `import { Injectable, OnModuleInit, Scope } from '@nestjs/common';

declare const db: { query(sql: string, values?: unknown[]): Promise<{ id: number; at: number }[]> };

${decorator}
export class ReminderService implements OnModuleInit {
  async onModuleInit() {
    for (const reminder of await db.query('SELECT * FROM reminders WHERE sent = false')) {
      setTimeout(() => {
        void db.query('UPDATE reminders SET sent = true WHERE id = $1', [reminder.id]);
      }, reminder.at - Date.now());
    }
  }
}
`;

  it('a timer armed directly for each row in `onModuleInit` (untyped and typed); quiet in a request-scoped provider, which Nest does not make at start-up', () => {
    // The controller is given the reminders too (untyped, the analysis follows the files the routes import).
    const withReminders = (decorator: string) => ({
      ...files,
      'app.module.ts': files['app.module.ts'].replace('providers: [', 'providers: [ReminderService, ').replace("import { SchedulerService } from './scheduler.service';", "import { SchedulerService } from './scheduler.service';\nimport { ReminderService } from './reminder.service';"),
      'auction.controller.ts': files['auction.controller.ts']
        .replace("import { AuctionService } from './auction.service';", "import { AuctionService } from './auction.service';\nimport { ReminderService } from './reminder.service';")
        .replace('private readonly auctions: AuctionService', 'private readonly auctions: AuctionService, readonly reminders: ReminderService'),
      'reminder.service.ts': reminders(decorator),
    });
    const expected = [
      "9:7 no-in-process-scheduler: `setTimeout` runs in every instance of the web process: the job writes to the database (`db.query`) when each delay ends, armed again by every instance at start-up. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(withReminders('@Injectable()'), 'reminder.service.ts', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(withReminders('@Injectable()'), 'reminder.service.ts', ['no-in-process-scheduler'])).toEqual(expected);
    expect(untyped(withReminders('@Injectable({ scope: Scope.REQUEST })'), 'reminder.service.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(withReminders('@Injectable({ scope: Scope.REQUEST })'), 'reminder.service.ts', ['no-in-process-scheduler'])).toEqual([]);
  });
});

describe('cron jobs armed for each stored row at start-up and again when a request saves a row', () => {
  // The service arms a job per stored report when the module starts (after checking the app holder is
  // ready) and again when the controller saves one; each arming first reads the row's own kind and
  // schedule. Start-up arms every job on every instance, whatever the requests do.
  const files = {
    'main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  AppHolder.app = app;
  await app.listen(3000);
}
export const AppHolder: { app?: unknown } = {};
bootstrap();
`,
    'app.module.ts': `import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { ExportsService } from './exports.service';

@Module({ imports: [ScheduleModule.forRoot()], controllers: [ReportsController], providers: [ReportsService, ExportsService] })
export class AppModule {}
`,
    'app-instance.ts': `export class AppInstance {
  private static ready = false;
  static markReady() { AppInstance.ready = true; }
  static isReady() { return AppInstance.ready; }
}
`,
    'reports.controller.ts': `import { Body, Controller, Param, Post } from '@nestjs/common';
import { ReportsService } from './reports.service';
import { ExportsService } from './exports.service';

@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService, private readonly exportsService: ExportsService) {}

  @Post(':id')
  async save(@Param('id') id: string) {
    await this.reports.arm(id);
  }

  @Post(':id/export')
  async scheduleExport(@Param('id') id: string, @Body() body: { cron: string }) {
    this.exportsService.armExport(id, body.cron);
  }
}
`,
    'reports.service.ts': `import { Injectable, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppInstance } from './app-instance';

export enum ReportKind { scheduled = 'scheduled', manual = 'manual' }
interface Report { id: string; kind: ReportKind; schedule?: string; recipient: string }

@Injectable()
export class ReportsService implements OnModuleInit {
  private readonly rows = new Map<string, Report>();

  constructor(private readonly registry: SchedulerRegistry) {}

  async onModuleInit() {
    if (!AppInstance.isReady()) return;
    for (const id of this.rows.keys()) await this.arm(id);
  }

  async arm(id: string) {
    const report = this.rows.get(id);
    if (!report) return;
    if (report.kind !== ReportKind.scheduled) return;
    if (!report.schedule) return;
    const job = new CronJob(report.schedule, async () => {
      await fetch('https://mail.example.com/send', { method: 'POST', body: report.recipient });
    });
    this.registry.addCronJob(\`report-\${id}\`, job);
    job.start();
  }
}
`,
    'exports.service.ts': `import { Injectable } from '@nestjs/common';
import { CronJob } from 'cron';

@Injectable()
export class ExportsService {
  armExport(id: string, cron: string) {
    const job = new CronJob(cron, async () => {
      await fetch(\`https://exports.example.com/\${id}\`, { method: 'POST' });
    });
    job.start();
  }
}
`,
  };

  it('the job armed by onModuleInit and by the save route is reported (untyped and typed)', () => {
    const expected = [
      '25:17 no-in-process-scheduler: `new CronJob` runs in every instance of the web process: the job posts to an HTTP API (`fetch`) on the cron schedule `report.schedule`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'reports.service.ts', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'reports.service.ts', ['no-in-process-scheduler'])).toEqual(expected);
  });

  it('quiet: a job only a request arms runs on the instance that served it', () => {
    expect(untyped(files, 'exports.service.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(files, 'exports.service.ts', ['no-in-process-scheduler'])).toEqual([]);
  });

  it('quiet: the same start-up behind a deployment flag, read from the environment or from settings the function loads', () => {
    const flagged = { ...files, 'reports.service.ts': files['reports.service.ts'].replace('if (!AppInstance.isReady()) return;', "if (!AppInstance.isReady() || process.env.SCHEDULER_ROLE !== 'leader') return;") };
    expect(untyped(flagged, 'reports.service.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(flagged, 'reports.service.ts', ['no-in-process-scheduler'])).toEqual([]);
    const settings = { ...files, 'reports.service.ts': files['reports.service.ts'].replace('if (!AppInstance.isReady()) return;', "const settings = { enableScheduler: process.env.ENABLE_SCHEDULER === 'true' };\n    if (!settings.enableScheduler) return;") };
    expect(untyped(settings, 'reports.service.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(settings, 'reports.service.ts', ['no-in-process-scheduler'])).toEqual([]);
  });
});
