import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Idiom classes read in two Express services in CommonJS and TypeScript (round 13 of
// test/real-world), written here in other shapes: each hazard, and the look-alikes that stay quiet.

afterAll(removeAnalysedProjects);

describe('a CommonJS barrel of controllers, each required by name', () => {
  const files = {
    'app.js': `const express = require('express');
const { saveNote, removeNote } = require('./controllers');
const reports = require('./reports');

const app = express();
app.post('/notes', saveNote);
app.delete('/notes/:id', removeNote);
app.post('/reports', reports.create);
app.listen(3000);
`,
    'controllers/index.js': `module.exports = {
  saveNote: require('./saveNote'),
  removeNote: require('./removeNote'),
  seedNotes: require('./seedNotes'),
};
`,
    'controllers/catchErrors.js': `module.exports = function catchErrors(fn) {
  return function (req, res, next) {
    return Promise.resolve(fn(req, res, next)).catch(next);
  };
};
`,
    'controllers/saveNote.js': `const fs = require('fs');
const catchErrors = require('./catchErrors');

const saveNote = catchErrors(async (req, res) => {
  fs.writeFileSync('notes/' + req.body.id + '.md', req.body.text);
  res.sendStatus(201);
});

module.exports = saveNote;
`,
    'controllers/removeNote.js': `const fs = require('fs');

module.exports = function removeNote(req, res) {
  fs.unlink('notes/' + req.params.id + '.md', () => res.sendStatus(204));
};
`,
    'controllers/seedNotes.js': `const fs = require('fs');

module.exports = function seedNotes() {
  fs.writeFileSync('notes/welcome.md', '# Welcome');
};
`,
    'reports.js': `const fs = require('fs');
const catchErrors = require('./controllers/catchErrors');

module.exports = {
  create: catchErrors(async (req, res) => {
    await fs.promises.writeFile('reports/' + req.body.name, req.body.csv);
    res.sendStatus(201);
  }),
  template: 'name,total',
};
`,
    'scripts/seed.js': `const { seedNotes } = require('../controllers');

seedNotes();
`,
  };

  it("`{ saveNote: require('./saveNote') }` is what that module exports, wrapped handlers included; an object of wrapped handlers too (untyped and typed)", () => {
    const save = [
      '5:3 no-blocking-request-work: `fs.writeFileSync` blocks the event loop on POST /notes (app.js:6): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      "5:3 no-local-disk-write: `fs.writeFileSync` writes to this instance's local disk on POST /notes (app.js:6). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    const remove = [
      "4:3 no-local-disk-write: `fs.unlink` deletes a stored file from this instance's local disk on DELETE /notes/:id (app.js:7). The other instances keep their copy, or never had it: the files belong in shared storage.",
    ];
    const report = [
      "6:11 no-local-disk-write: `fs.promises.writeFile` writes to this instance's local disk on POST /reports (app.js:8). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'controllers/saveNote.js')).toEqual(save);
    expect(typed(files, 'controllers/saveNote.js')).toEqual(save);
    expect(untyped(files, 'controllers/removeNote.js')).toEqual(remove);
    expect(typed(files, 'controllers/removeNote.js')).toEqual(remove);
    expect(untyped(files, 'reports.js')).toEqual(report);
    expect(typed(files, 'reports.js')).toEqual(report);
  });

  it('quiet: a member of the barrel only a script calls', () => {
    expect(untyped(files, 'controllers/seedNotes.js')).toEqual([]);
    expect(typed(files, 'controllers/seedNotes.js')).toEqual([]);
  });
});

describe('a loop that sleeps between rounds, started with the server', () => {
  const files = {
    'server.ts': `import express from 'express';
import { pollFeeds } from './poller';
import { drainOutbox, refreshRates, waitForDatabase } from './loops';
import { priceWatcher } from './prices';

const app = express();
app.get('/health', (_req, res) => res.send('ok'));

waitForDatabase().then(() => {
  app.listen(3000);
  void pollFeeds();
  void drainOutbox();
  void refreshRates();
  void priceWatcher.run();
});
`,
    'sleep.ts': `export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
`,
    'db.ts': `import { PrismaClient } from '@prisma/client';
export const db = new PrismaClient();
`,
    'poller.ts': `import { db } from './db';
import { sleep } from './sleep';

const POLL_MS = 5 * 60 * 1000;

export async function pollFeeds() {
  while (true) {
    try {
      const items = await fetch('https://feeds.example.com/latest').then((r) => r.json());
      await db.feedItem.createMany({ data: items });
    } catch (error) {
      console.error(error);
    }
    await sleep(POLL_MS);
  }
}
`,
    'loops.ts': `import { db } from './db';
import { sleep } from './sleep';

let rates: Record<string, number> = {};

export async function drainOutbox() {
  for (;;) {
    const message = await db.outbox.findFirst({ where: { sentAt: null } });
    if (!message) {
      await sleep(1000);
      continue;
    }
    await db.outbox.update({ where: { id: message.id }, data: { sentAt: new Date() } });
  }
}

export async function refreshRates() {
  while (true) {
    rates = await fetch('https://rates.example.com').then((r) => r.json());
    await sleep(60_000);
  }
}

export async function waitForDatabase() {
  while (true) {
    try {
      await db.$connect();
      await db.auditLog.create({ data: { event: 'connected' } });
      return;
    } catch {
      await sleep(3000);
    }
  }
}

export function rateOf(currency: string) {
  return rates[currency];
}
`,
    'prices.ts': `import { setTimeout as delay } from 'timers/promises';
import { db } from './db';

class PriceWatcher {
  private stopped = false;

  async run() {
    while (!this.stopped) {
      const prices = await fetch('https://prices.example.com').then((r) => r.json());
      await db.price.createMany({ data: prices });
      await delay(30_000);
    }
  }

  stop() {
    this.stopped = true;
  }
}

export const priceWatcher = new PriceWatcher();
`,
  };

  it('`while (true) { …; await sleep(ms) }` and `while (!this.stopped) { …; await setTimeout(ms) }` recur like intervals (untyped and typed)', () => {
    const feeds = [
      '7:3 no-in-process-scheduler: `while (true) … await sleep(POLL_MS)` runs in every instance of the web process: the job writes to the database (`db.feedItem.createMany`) every 5 minutes. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    const prices = [
      '8:5 no-in-process-scheduler: `while (!this.stopped) … await delay(30_000)` runs in every instance of the web process: the job writes to the database (`db.price.createMany`) every 30 seconds. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'poller.ts', ['no-in-process-scheduler'])).toEqual(feeds);
    expect(typed(files, 'poller.ts', ['no-in-process-scheduler'])).toEqual(feeds);
    expect(untyped(files, 'prices.ts', ['no-in-process-scheduler'])).toEqual(prices);
    expect(typed(files, 'prices.ts', ['no-in-process-scheduler'])).toEqual(prices);
  });

  it('quiet: a consumer that sleeps only while idle, a loop that only refreshes this process, a retry that returns once connected', () => {
    expect(untyped(files, 'loops.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(files, 'loops.ts', ['no-in-process-scheduler'])).toEqual([]);
  });
});

describe('a server started inside an exported function that the entry module calls', () => {
  const files = {
    'index.ts': `import { startServer } from './www';
import { migrate } from './migrate';

if (process.argv[2] === '--migrate') migrate();
else startServer();
`,
    'www.ts': `import http from 'http';
import express from 'express';
import { syncAccounts } from './sync';

const app = express();
app.get('/', (_req, res) => res.send('ok'));

export function startServer() {
  const server = http.createServer(app);
  server.listen(8080, () => console.log('listening'));
  setInterval(() => void syncAccounts(), 10 * 60 * 1000);
}
`,
    'migrate.ts': `import { syncAccounts } from './sync';

export function migrate() {
  setInterval(() => void syncAccounts(), 60 * 1000);
}
`,
    'sync.ts': `import { PrismaClient } from '@prisma/client';
const db = new PrismaClient();
export async function syncAccounts() {
  await db.account.updateMany({ data: { syncedAt: new Date() } });
}
`,
  };

  it('what the function that starts the server runs, runs in every instance (untyped and typed)', () => {
    const expected = [
      '11:3 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `syncAccounts()` writes to the database (`db.account.updateMany`) every 10 minutes. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'www.ts', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'www.ts', ['no-in-process-scheduler'])).toEqual(expected);
  });

  it('quiet: a timer of the other branch the entry module takes instead (a one-off command)', () => {
    expect(untyped(files, 'migrate.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(files, 'migrate.ts', ['no-in-process-scheduler'])).toEqual([]);
  });
});

describe('a field typed with a base class, filled by the constructor with one of several providers', () => {
  const files = {
    'app.ts': `import express from 'express';
import { notifier } from './notifier';

const app = express();
app.post('/events/:id/rsvp', async (req, res) => {
  await notifier.notify(req.body.email, 'See you there');
  res.sendStatus(201);
});
app.listen(3000);
`,
    'notifier.ts': `import { MailProvider } from './providers/base';
import { SmtpProvider } from './providers/smtp';
import { PostmarkProvider } from './providers/postmark';

export class Notifier {
  private provider: MailProvider;

  constructor() {
    switch (process.env.MAIL_SERVICE) {
      case 'postmark':
        this.provider = new PostmarkProvider();
        break;
      default:
        this.provider = new SmtpProvider();
    }
  }

  async notify(to: string, text: string) {
    await this.provider.deliver(to, text);
  }
}

export const notifier = new Notifier();
`,
    'providers/base.ts': `export abstract class MailProvider {
  abstract deliver(to: string, text: string): Promise<void>;
}
`,
    'providers/smtp.ts': `import nodemailer from 'nodemailer';
import { MailProvider } from './base';

export class SmtpProvider extends MailProvider {
  private transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });

  async deliver(to: string, text: string) {
    await this.transport.sendMail({ to, text });
  }
}
`,
    'providers/postmark.ts': `import { ServerClient } from 'postmark';
import { MailProvider } from './base';

export class PostmarkProvider extends MailProvider {
  private client = new ServerClient(process.env.POSTMARK_TOKEN ?? '');

  async deliver(to: string, text: string) {
    await this.client.sendEmail({ From: 'events@example.com', To: to, TextBody: text });
  }
}
`,
    'sms.ts': `import nodemailer from 'nodemailer';

export class SmsGateway {
  private transport = nodemailer.createTransport({ host: 'sms-gateway.local' });

  async deliver(to: string, text: string) {
    await this.transport.sendMail({ to: to + '@sms.local', text });
  }
}
`,
  };

  it("`this.provider.deliver()` runs each provider the constructor may choose (untyped and typed)", () => {
    const smtp = [
      '8:11 no-blocking-request-work: `this.transport.sendMail` holds the request open on POST /events/:id/rsvp (app.ts:5) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    const postmark = [
      '8:11 no-blocking-request-work: `this.client.sendEmail` holds the request open on POST /events/:id/rsvp (app.ts:5) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'providers/smtp.ts', ['no-blocking-request-work'])).toEqual(smtp);
    expect(typed(files, 'providers/smtp.ts', ['no-blocking-request-work'])).toEqual(smtp);
    expect(untyped(files, 'providers/postmark.ts', ['no-blocking-request-work'])).toEqual(postmark);
    expect(typed(files, 'providers/postmark.ts', ['no-blocking-request-work'])).toEqual(postmark);
  });

  it('quiet: a class with a method of the same name that the field never holds', () => {
    expect(untyped(files, 'sms.ts', ['no-blocking-request-work'])).toEqual([]);
    expect(typed(files, 'sms.ts', ['no-blocking-request-work'])).toEqual([]);
  });
});

describe("express-generator's bin/www starting the server and the work beside it", () => {
  const files = {
    'bin/www.js': `const http = require('http');
const app = require('../app');
const { pollOrders } = require('../jobs/poll-orders');

const server = http.createServer(app);
server.listen(process.env.PORT || 3000);
server.on('listening', () => pollOrders());
`,
    'app.js': `const express = require('express');
const app = express();
app.get('/', (req, res) => res.send('ok'));
module.exports = app;
`,
    'jobs/poll-orders.js': `const { setTimeout: sleep } = require('timers/promises');
const db = require('../db');

exports.pollOrders = async function pollOrders() {
  while (true) {
    const orders = await fetch('https://shop.example.com/orders').then((r) => r.json());
    await db.orders.insertMany(orders);
    await sleep(60 * 1000);
  }
};
`,
    'db.js': `const { MongoClient } = require('mongodb');
const client = new MongoClient(process.env.MONGO_URL);
exports.orders = client.db().collection('orders');
`,
  };

  it('bin/www.js is where the server starts, so what it starts runs in every instance (untyped, as typed)', () => {
    const expected = [
      '5:3 no-in-process-scheduler: `while (true) … await sleep(60 * 1000)` runs in every instance of the web process: the job writes to the database (`db.orders.insertMany`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'jobs/poll-orders.js', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'jobs/poll-orders.js', ['no-in-process-scheduler'])).toEqual(expected);
  });
});

describe('running work kept per user and refused while it runs, checked with `in`', () => {
  const files = {
    'app.ts': `import express from 'express';
import { runSync, isSyncing } from './sync';

const app = express();
app.post('/sync', async (req, res) => {
  if (isSyncing(req.body.accountId)) return res.status(409).send({ code: 'ALREADY_SYNCING' });
  runSync(req.body.accountId, (started) => res.sendStatus(started ? 202 : 400)).catch(console.error);
});
app.listen(3000);
`,
    'plans.ts': `import express from 'express';
import { loadPlan, savePlan } from './accounts';

const router = express.Router();
const plans: { [planId: string]: { id: string } } = {};

async function planOf(planId: string) {
  if (planId in plans) return plans[planId];
  plans[planId] = await loadPlan(planId);
  return plans[planId];
}

router.get('/plans/:id', async (req, res) => res.json(await planOf(req.params.id)));
router.put('/plans/:id', async (req, res) => {
  await savePlan(req.params.id, req.body);
  delete plans[req.params.id];
  res.sendStatus(204);
});

export default router;
`,
    'sync.ts': `import { loadAccount, Syncer } from './accounts';

const syncers: { [accountId: string]: Syncer } = {};

export function isSyncing(accountId: string) {
  return accountId in syncers;
}

export async function runSync(accountId: string, started: (ok: boolean) => void) {
  const account = await loadAccount(accountId);
  const syncer = new Syncer(account);
  if (accountId in syncers) return started(false);
  syncers[accountId] = syncer;
  try {
    started(true);
    await syncer.run();
  } catch (error) {
    console.error(error);
  }
  delete syncers[accountId];
}
`,
    'accounts.ts': `export async function loadAccount(id: string) {
  return { id };
}
export async function loadPlan(id: string) {
  return { id };
}
export async function savePlan(id: string, plan: object) {
  void id;
  void plan;
}
export class Syncer {
  constructor(private account: { id: string }) {}
  async run() {
    await fetch('https://bank.example.com/sync/' + this.account.id);
  }
}
`,
  };

  it('`if (id in syncers) return; syncers[id] = job; …; delete syncers[id]` is a lock, whatever its name and whatever the job was built from (untyped and typed)', () => {
    const expected = [
      '3:7 no-in-process-lock: `syncers` guards work only within this process; it is taken by POST /sync (app.ts:5). A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untyped(files, 'sync.ts')).toEqual(expected);
    expect(typed(files, 'sync.ts')).toEqual(expected);
  });

  it('quiet as a lock: a memo filled after `if (id in memo) return memo[id]` and dropped when saved stays a cache', () => {
    const expected = [
      '5:7 no-process-local-cache: `plans` caches shared data in this process; it is written by GET /plans/:id (plans.ts:13) and 1 other route. When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'plans.ts', ['no-process-local-cache', 'no-in-process-lock'])).toEqual(expected);
    expect(typed(files, 'plans.ts', ['no-process-local-cache', 'no-in-process-lock'])).toEqual(expected);
  });
});

// Round 16 (a forum and a pad server in CommonJS): modules name their exports object once (`const
// helpers = module.exports;`, `var RPC = module.exports;`) and hang every function on that name.
describe('members hung on an alias of module.exports', () => {
  const files = {
    'app.js': `const express = require('express');
const search = require('./controllers/search');
const uploads = require('./controllers/uploads');
const settings = require('./settings');

const app = express();
settings.load();
app.get('/search', search.search);
app.post('/uploads', uploads.upload);
app.listen(3000);
`,
    'controllers/search.js': `const searchController = module.exports;

const recent = {};

searchController.search = async function (req, res) {
  recent[req.uid] = recent[req.uid] || [];
  recent[req.uid].push(String(req.query.term));
  res.json({ results: [] });
};
`,
    'controllers/uploads.js': `const file = require('../file');

exports.upload = async function (req, res) {
  await file.save(req.body.name, req.body.data);
  res.sendStatus(201);
};
`,
    'file.js': `var fs = require('fs');

var file = module.exports;

file.save = async function (name, data) {
  await fs.promises.writeFile('uploads/' + name, data);
};
`,
    'settings.js': `const fs = require('fs');

const Settings = module.exports;

Settings.load = function () {
  fs.writeFileSync('config/defaults.json', JSON.stringify({ theme: 'light' }));
};
`,
  };

  it('are the module\'s exports: the routes reach them, and a member only start-up calls stays quiet (untyped and typed)', () => {
    const recent = ['3:7 no-in-memory-session: `recent` holds per-user state in this process; it is written by GET /search (app.js:8). A second instance will not see it.'];
    const save = ["6:9 no-local-disk-write: `fs.promises.writeFile` writes to this instance's local disk on POST /uploads (app.js:9). Other instances will not find the file, and it is lost when this instance is replaced."];
    expect(untyped(files, 'controllers/search.js')).toEqual(recent);
    expect(typed(files, 'controllers/search.js')).toEqual(recent);
    expect(untyped(files, 'file.js')).toEqual(save);
    expect(typed(files, 'file.js')).toEqual(save);
    expect(untyped(files, 'settings.js')).toEqual([]);
    expect(typed(files, 'settings.js')).toEqual([]);
  });
});

describe('a controller module wrapped member by member (`wrapController(controllerRaw)`)', () => {
  const files = {
    'src/wrap.ts': `import type { NextFunction, Request, RequestHandler, Response } from 'express';

type Controller<T extends string> = Record<T, RequestHandler>;
const asyncHandler = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

export function wrapController<T extends string>(controller: Record<T, any>): Controller<T> {
  const wrapped = {} as Controller<T>;
  (Object.keys(controller) as T[]).forEach((key) => {
    if (typeof controller[key] !== 'function') return;
    wrapped[key] = asyncHandler(controller[key]);
  });
  return wrapped;
}

export function auditController<T extends string>(controller: Record<T, unknown>): Controller<T> {
  console.log('controller actions:', Object.keys(controller).join(', '));
  return {} as Controller<T>;
}
`,
    'src/avatars.controller.ts': `import type { Request, Response } from 'express';
import fs from 'node:fs';

export async function postAvatar(req: Request, res: Response) {
  await fs.promises.writeFile(\`uploads/\${req.params.id}.png\`, req.body);
  res.status(201).end();
}

export async function seedAvatars() {
  await fs.promises.writeFile('uploads/default.png', '');
}
`,
    'src/reports.controller.ts': `import type { Request, Response } from 'express';
import fs from 'node:fs';

export async function postReport(req: Request, res: Response) {
  await fs.promises.writeFile(\`reports/\${req.params.id}.csv\`, req.body);
  res.status(201).end();
}
`,
    'src/app.ts': `import express from 'express';
import * as avatarsControllerRaw from './avatars.controller';
import * as reportsControllerRaw from './reports.controller';
import { auditController, wrapController } from './wrap';

const avatarsController = wrapController(avatarsControllerRaw);
const reportsController = auditController(reportsControllerRaw);
const app = express();
app.post('/users/:id/avatar', avatarsController.postAvatar);
app.post('/reports/:id', reportsController.postReport);
app.listen(3000);
`,
  };

  it("the wrapped object's member is the argument's: the route runs `postAvatar` (untyped and typed)", () => {
    const expected = [
      "5:9 no-local-disk-write: `fs.promises.writeFile` writes to this instance's local disk on POST /users/:id/avatar (src/app.ts:9). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'src/avatars.controller.ts')).toEqual(expected);
    expect(typed(files, 'src/avatars.controller.ts')).toEqual(expected);
  });

  it('quiet: a function that only lists the keys and returns an object of its own, and a member no route names', () => {
    expect(untyped(files, 'src/reports.controller.ts')).toEqual([]);
    expect(typed(files, 'src/reports.controller.ts')).toEqual([]);
  });
});

// Older services build a route's path by concatenation (`API + '/notes'`, before template literals):
// the route is the same as `${API}/notes`, and is labelled so.
describe('a route path concatenated from a prefix and a literal path', () => {
  const files = {
    'app.js': `const express = require('express');
const fs = require('fs');
const API = '/api/v1';
const app = express();
app.post(API + '/notes/' + ':id', (req, res) => {
  fs.writeFileSync('notes/' + req.params.id, req.body.text);
  res.end();
});
const label = API + '-' + 'notes';
client.post(API + '/notes', (err, body) => fs.writeFileSync('cache/notes.json', body));
app.listen(3000);
`,
  };

  it('registers the route, labelled as a template writes it (untyped and typed)', () => {
    const expected = [
      '6:3 no-blocking-request-work: `fs.writeFileSync` blocks the event loop on POST ${API}/notes/:id (app.js:5): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      "6:3 no-local-disk-write: `fs.writeFileSync` writes to this instance's local disk on POST ${API}/notes/:id (app.js:5). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'app.js')).toEqual(expected);
    expect(typed(files, 'app.js')).toEqual(expected);
  });
});
