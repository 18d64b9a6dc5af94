import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath, untypedProjectFile } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-in-process-scheduler';

type Options = StatelessRuleOptions<'no-in-process-scheduler'>;
type MessageIds = 'schedulerInProcess';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts, whose program holds every fixture.

/** A device manager whose timer calls, for each device, what the integration a service manager hands out does. */
const deviceManager = (work: string): string => `
import express from 'express';

const app = express();
const serviceManager = { getService: (name: string) => ({ name, device: { poll: async (id: string) => id }, flush: () => name }) };

class DeviceManager {
  private readonly devices: string[] = [];

  constructor(private readonly serviceManager: { getService(name: string): any }) {}

  setupPoll(): void {
    setInterval(async () => {
      for (const device of this.devices) {
        const service = this.serviceManager.getService(device);
        ${work}
      }
    }, 60_000);
  }
}

const devices = new DeviceManager(serviceManager);
devices.setupPoll();
app.listen(3000);
`;

/** An uptime monitor's check loop over two methods: the check hands its result to `record`, which arms the timer with `timer`. */
const monitorLoop = (timer: string): string => `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();

class Monitors {
  private readonly timeouts = new Map<string, NodeJS.Timeout>();

  async initialise(): Promise<void> {
    const { rows } = await pool.query('SELECT id, url, interval FROM monitors');
    for (const monitor of rows) await this.checkStatus(monitor.id);
  }

  async record(monitor: { id: string; interval: number }, ok: boolean): Promise<void> {
    await pool.query('INSERT INTO heartbeats (monitor_id, ok) VALUES ($1, $2)', [monitor.id, ok]);
    this.timeouts.set(monitor.id, ${timer});
  }

  forget(id: string): void {
    this.timeouts.delete(id);
  }

  async checkStatus(id: string): Promise<void> {
    const { rows } = await pool.query('SELECT id, url, interval FROM monitors WHERE id = $1', [id]);
    const response = await fetch(rows[0].url).catch(() => undefined);
    await this.record(rows[0], response?.ok === true);
  }
}

const monitors = new Monitors();
express().listen(3000, () => void monitors.initialise());
`;

const sameFileInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: "NestJS: a `@Module()` class starts its telemetry interval in its own onModuleInit (Nest makes each module once, as it makes a provider)",
    code: `
import { Controller, Get, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Injectable()
class UsageService {
  async execute(): Promise<void> {
    await fetch('https://telemetry.example.com/usage', { method: 'POST' });
  }
}

@Controller('health')
class HealthController {
  @Get()
  check() {
    return { ok: true };
  }
}

@Module({ controllers: [HealthController], providers: [UsageService] })
class AppModule implements OnModuleInit {
  constructor(private readonly usage: UsageService) {}

  onModuleInit(): void {
    setInterval(() => this.report(), 60_000);
  }

  startLater(): void {
    setInterval(() => this.report(), 3_600_000);
  }

  private report(): void {
    this.usage.execute().catch(() => undefined);
  }
}

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
`,
    errors: [{ messageId: 'schedulerInProcess', line: 25, column: 5 }],
  },
  {
    name: 'a writing statement run over many rows of parameters (sql.executeMany) in a sweep every instance runs writes to the database',
    code: `
import express from 'express';
import Database from 'better-sqlite3';

const sql = new Database('document.db');

function eraseNotes(ids: string[]) {
  sql.executeMany('DELETE FROM notes WHERE noteId IN (???)', ids);
}

const app = express();
app.get('/health', (req, res) => res.send('ok'));
setInterval(() => eraseNotes([]), 4 * 3600 * 1000);
app.listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 13, column: 1, data: { callee: 'setInterval', work: '`eraseNotes()` writes to the database (`sql.executeMany`)', when: 'every 4 hours' } }],
  },
  {
    name: "a binding imported from the project's models folder is a model: its destroy in a sweep every instance runs writes to the database",
    code: `
import express from 'express';
import tests from './models/speedtests';

const app = express();
app.get('/tests', async (req, res) => res.json(await tests.findAll()));

setInterval(async () => {
  await tests.destroy({ where: { created: { lte: new Date(Date.now() - 30 * 86400000) } } });
}, 60000);

app.listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 8, column: 1, data: { callee: 'setInterval', work: 'the job writes to the database (`tests.destroy`)', when: 'every minute' } }],
  },
  {
    name: 'a check that the cron expression is well formed (isValidCron) is no deployment flag: the job started at boot and by the route runs on every instance',
    code: `
import express from 'express';
import schedule from 'node-schedule';
import { isValidCron } from 'cron-validator';
import { Pool } from 'pg';

const pool = new Pool();
let job: schedule.Job | undefined;

function startTimer(cron: string) {
  if (!isValidCron(cron)) return;
  job = schedule.scheduleJob(cron, () => pool.query('INSERT INTO speedtests (taken_at) VALUES (now())'));
}

const app = express();
app.patch('/config/cron', express.json(), (req, res) => {
  job?.cancel();
  startTimer(String(req.body.value));
  res.json({ ok: true });
});

startTimer('0 * * * *');
app.listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 12, column: 9, data: { callee: 'schedule.scheduleJob', work: "the job writes to the database (`pool.query`)", when: 'on a recurrence rule' } }],
  },
  {
    name: "a monitor's check loop re-armed through a second method: checkStatus → record → setTimeout(() => this.checkStatus(id))",
    code: monitorLoop('setTimeout(() => this.checkStatus(monitor.id), monitor.interval * 1000)'),
    errors: [{ messageId: 'schedulerInProcess', line: 17, column: 35 }],
  },
  {
    name: "NestJS: a task base class creates its cron job through the tasks service's wrapper from the onApplicationBootstrap its provider inherits",
    code: `
import { Controller, Get, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Pool } from 'pg';

const pool = new Pool();

@Injectable()
class TasksService {
  constructor(private readonly registry: SchedulerRegistry) {}

  createJob(name: string, expression: string, task: () => void): void {
    const job = new CronJob(expression, () => {
      task();
    });
    this.registry.addCronJob(name, job);
    job.start();
  }
}

abstract class TaskBase implements OnApplicationBootstrap {
  protected abstract readonly name: string;

  constructor(protected readonly tasks: TasksService) {}

  onApplicationBootstrap(): void {
    this.tasks.createJob(this.name, '0 3 * * *', this.execute.bind(this));
  }

  async execute(): Promise<void> {
    await pool.query('DELETE FROM sessions WHERE expires_at < now()');
  }
}

@Injectable()
class CleanupTask extends TaskBase {
  protected readonly name = 'cleanup';
}

@Controller('health')
class HealthController {
  @Get()
  check() {
    return { ok: true };
  }
}

@Module({ controllers: [HealthController], providers: [TasksService, CleanupTask] })
class AppModule {}

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
void bootstrap();
`,
    errors: [{ messageId: 'schedulerInProcess', line: 29, column: 5, data: { callee: 'this.tasks.createJob', work: 'the job writes to the database (`pool.query`)', when: 'every day at 03:00' } }],
  },
  {
    name: "the same shapes behind a lock named for this process (withLocalLock), and work done before the shared lock is taken",
    code: `
import express from 'express';
import cron from 'node-cron';
import { Pool } from 'pg';
import { withDistributedLock, withLocalLock } from './scaling/locks';

const pool = new Pool();

async function rebuildTotals() {
  await withLocalLock('totals', async () => {
    await pool.query('DELETE FROM totals');
  });
}

cron.schedule('0 2 * * *', async () => {
  await pool.query('DELETE FROM sessions WHERE expires_at < now()');
  await withDistributedLock('report', async () => pool.query('DELETE FROM reports'));
});
setInterval(() => void rebuildTotals(), 600_000);
express().listen(3000);
`,
    errors: [
      { messageId: 'schedulerInProcess', line: 15, column: 1, data: { callee: 'cron.schedule', work: 'the job writes to the database (`pool.query`)', when: 'every day at 02:00' } },
      { messageId: 'schedulerInProcess', line: 19, column: 1, data: { callee: 'setInterval', work: '`rebuildTotals()` writes to the database (`pool.query`)', when: 'every 10 minutes' } },
    ],
  },
  {
    name: 'a device poll through the integration a service manager hands out by name',
    code: deviceManager('await service.device.poll(device);'),
    errors: [{ messageId: 'schedulerInProcess', line: 13, column: 5, data: { callee: 'setInterval', work: 'the job calls `service.device.poll()`', when: 'every minute' } }],
  },
  {
    name: "Express: cleanup timers run SQL through the service's own query wrapper, the statement held in a local; the one that deletes is reported, the one that only counts rows is not",
    code: `
import express from 'express';
import knex from 'knex';

const db = knex({ client: 'mysql' });
function query(sql: string, params: unknown[], callback: (error: Error | null, rows?: unknown) => void) {
  db.raw(sql, params).then((rows) => callback(null, rows), callback);
}

const app = express();
app.listen(8080);

setInterval(() => {
  const sql = 'DELETE FROM aliases WHERE time < ?';
  query(sql, [Date.now() - 86400000], (error) => error && console.error(error));
}, 3600000);

let aliasCount = 0;
setInterval(() => {
  const sql = 'SELECT COUNT(*) AS n FROM aliases';
  query(sql, [], (_error, rows) => { aliasCount = (rows as { n: number }[])[0].n; });
}, 60000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 13, column: 1, data: { callee: 'setInterval', work: 'the job writes to the database (`query`)', when: 'every hour' } }],
  },
  {
    name: 'NestJS: a cron job armed per stored row by onModuleInit (behind the app holder\'s readiness and the row\'s own kind) and again by the save route runs on every instance; the export job only a route arms does not',
    code: `
import { Controller, Injectable, OnModuleInit, Param, Post } from '@nestjs/common';
import { CronJob } from 'cron';
import { AppInstance } from './app-instance';

enum ReminderKind { scheduled = 'scheduled', once = 'once' }
const reminders = new Map<string, { kind: ReminderKind; schedule: string; url: string }>();

@Injectable()
export class RemindersService implements OnModuleInit {
  async onModuleInit() {
    if (!AppInstance.isReady()) return;
    for (const id of reminders.keys()) this.arm(id);
  }

  arm(id: string) {
    const reminder = reminders.get(id);
    if (!reminder || reminder.kind !== ReminderKind.scheduled) return;
    new CronJob(reminder.schedule, () => fetch(reminder.url, { method: 'POST' })).start();
  }

  armExport(id: string, schedule: string) {
    new CronJob(schedule, () => fetch(\`https://exports.example.com/\${id}\`, { method: 'POST' })).start();
  }
}

@Controller('reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Post(':id')
  save(@Param('id') id: string) {
    this.reminders.arm(id);
  }

  @Post(':id/export')
  exportLater(@Param('id') id: string) {
    this.reminders.armExport(id, '0 3 * * *');
  }
}
`,
    errors: [{ messageId: 'schedulerInProcess', line: 19, column: 5 }],
  },
  {
    name: 'Express + node-cron: the same index rebuild that also marks the rows it indexed is reported',
    code: `
import express from 'express';
import cron from 'node-cron';
import lunr from 'lunr';
import { MongoClient } from 'mongodb';

const db = new MongoClient('mongodb://db').db('shop');
const app = express();
let productIndex: lunr.Index | undefined;
app.get('/search', (req, res) => res.json(productIndex?.search(String(req.query.q))));

cron.schedule('*/30 * * * *', async () => {
  const products = await db.collection('products').find({ indexed: false }).toArray();
  productIndex = lunr(function () {
    this.ref('id');
    for (const product of products) this.add({ id: String(product._id) });
  });
  await db.collection('products').updateMany({ indexed: false }, { $set: { indexed: true } });
});
`,
    errors: [{ messageId: 'schedulerInProcess', line: 12, column: 1 }],
  },
  {
    name: 'Express: node-cron in the server file next to app.listen, sending e-mail',
    code: `
import express from 'express';
import cron from 'node-cron';
import nodemailer from 'nodemailer';

const app = express();
const transporter = nodemailer.createTransport({ jsonTransport: true });

cron.schedule('*/5 * * * *', async () => {
  await transporter.sendMail({ to: 'ops@example.com', subject: 'Queue digest' });
});

app.listen(3000);
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 9,
        column: 1,
        endLine: 11,
        endColumn: 3,
        data: { callee: 'cron.schedule', work: 'the job sends e-mail (`transporter.sendMail`)', when: 'every 5 minutes' },
      },
    ],
  },
  {
    name: "Express: pm2's NODE_APP_INSTANCE is 0 on every host, so it does not pick one instance; the loop starts worker threads",
    code: `
import express from 'express';
import { Worker } from 'node:worker_threads';

const app = express();

async function buildThumbnails(): Promise<void> {
  new Worker('./thumbnail-worker.js', { workerData: { batch: 50 } });
}

if (process.env.NODE_APP_INSTANCE === '0') {
  setInterval(() => void buildThumbnails(), 60_000);
}

app.listen(3000);
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 12,
        column: 3,
        data: { callee: 'setInterval', work: '`buildThumbnails()` starts worker threads (`new Worker`)', when: 'every minute' },
      },
    ],
  },
  {
    name: 'a reminder job shifting rows it read off a local array: the rows are shared, every instance sends them',
    code: `
import express from 'express';
import nodemailer from 'nodemailer';
import { Pool } from 'pg';

const transport = nodemailer.createTransport({ jsonTransport: true });
const pool = new Pool();

setInterval(async () => {
  const { rows } = await pool.query('SELECT email FROM members WHERE due < now()');
  const due = [...rows];
  while (due.length > 0) await transport.sendMail({ to: due.shift().email, subject: 'Your book is due' });
}, 60_000);

express().listen(3000);
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 9,
        column: 1,
        endLine: 13,
        endColumn: 11,
        data: { callee: 'setInterval', work: 'the job sends e-mail (`transport.sendMail`)', when: 'every minute' },
      },
    ],
  },
  {
    name: 'a job that records to a history trimmed with shift() and writes rows: trimming takes no items, the write is repeated',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const history: string[] = [];

setInterval(async () => {
  history.push(new Date().toISOString());
  if (history.length > 100) history.shift();
  await pool.query('UPDATE carts SET status = $1 WHERE expires_at < now()', ['expired']);
}, 60_000);

express().listen(3000);
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 8,
        column: 1,
        endLine: 12,
        endColumn: 11,
        data: { callee: 'setInterval', work: "the job writes to the database (`pool.query`)", when: 'every minute' },
      },
    ],
  },
  {
    name: 'Koa: setInterval at module scope deleting expired rows with Prisma',
    code: `
import Koa from 'koa';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const app = new Koa();

setInterval(async () => {
  await prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}, 10 * 60 * 1000);

app.listen(3000);
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 8,
        column: 1,
        data: { callee: 'setInterval', work: 'the job writes to the database (`prisma.session.deleteMany`)', when: 'every 10 minutes' },
      },
    ],
  },
  {
    name: 'Fastify: new CronJob from cron, started at once, charging with Stripe through a named function',
    code: `
import Fastify from 'fastify';
import { CronJob } from 'cron';
import Stripe from 'stripe';

const stripe = new Stripe('sk_test');
const fastify = Fastify();

async function chargeSubscriptions(): Promise<void> {
  await stripe.invoices.create({ customer: 'cus_1' });
}

new CronJob('0 0 * * *', chargeSubscriptions, null, true);

void fastify.listen({ port: 3000 });
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 13,
        column: 1,
        data: { callee: 'new CronJob', work: 'the job charges payments (`stripe.invoices.create`)', when: 'every day at 00:00' },
      },
    ],
  },
  {
    name: 'http.createServer: node-schedule posting to a webhook every hour',
    code: `
import http from 'node:http';
import schedule from 'node-schedule';

const server = http.createServer((req, res) => res.end('ok'));

schedule.scheduleJob('0 * * * *', async () => {
  await fetch('https://hooks.example.com/heartbeat', { method: 'POST', body: '{}' });
});

server.listen(8080);
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 7,
        column: 1,
        data: { callee: 'schedule.scheduleJob', work: 'the job posts to an HTTP API (`fetch`)', when: 'every hour' },
      },
    ],
  },
  {
    name: 'Fastify: toad-scheduler interval job enqueueing on a BullMQ queue',
    code: `
import Fastify from 'fastify';
import { AsyncTask, SimpleIntervalJob, ToadScheduler } from 'toad-scheduler';
import { Queue } from 'bullmq';

const reportQueue = new Queue('reports');
const scheduler = new ToadScheduler();
const task = new AsyncTask('enqueue-reports', async () => {
  await reportQueue.add('hourly', {});
});
scheduler.addSimpleIntervalJob(new SimpleIntervalJob({ minutes: 15 }, task));

const app = Fastify();
void app.listen({ port: 3000 });
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 11,
        column: 1,
        data: { callee: 'scheduler.addSimpleIntervalJob', work: 'the job enqueues jobs (`reportQueue.add`)', when: 'every 15 minutes' },
      },
    ],
  },
  {
    name: 'Express: a self-rescheduling setTimeout loop started at module scope, updating rows with pg',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

async function pollOutbox(): Promise<void> {
  try {
    await pool.query('UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL');
  } finally {
    setTimeout(pollOutbox, 2000);
  }
}

void pollOutbox();
app.listen(3000);
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 12,
        column: 5,
        data: { callee: 'setTimeout', work: 'the job writes to the database (`pool.query`)', when: 'every 2 seconds' },
      },
    ],
  },
  {
    name: 'Express: croner jobs with options before the job, started when the server starts',
    code: `
import express from 'express';
import { Cron } from 'croner';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

async function clearOldHeartbeats(): Promise<void> {
  await pool.query("DELETE FROM heartbeat WHERE time < now() - interval '180 days'");
}

app.listen(3000, () => {
  new Cron('14 3 * * *', { name: 'clear-old-data', timezone: 'UTC' }, clearOldHeartbeats);
});
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 14,
        column: 3,
        endColumn: 90,
        data: { callee: 'new Cron', work: 'the job writes to the database (`pool.query`)', when: 'every day at 03:14' },
      },
    ],
  },
  {
    name: 'Express: a Redis set with an expiry but without NX takes no lock: the cleanup still runs on every instance',
    code: `
import express from 'express';
import cron from 'node-cron';
import Redis from 'ioredis';
import { Pool } from 'pg';

const redis = new Redis();
const pool = new Pool();
const app = express();

cron.schedule('0 * * * *', async () => {
  await redis.set('cleanup:last-run', Date.now(), 'EX', 3600);
  await pool.query('DELETE FROM sessions WHERE expires_at < now()');
});
app.listen(3000);
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 11,
        column: 1,
        endLine: 14,
        endColumn: 3,
        data: { callee: 'cron.schedule', work: 'the job writes to the database (`pool.query`)', when: 'every hour' },
      },
    ],
  },
  {
    name: 'Koa + croner: a job that claims its run with an insert ignored on conflict but never checks the claim still mails on every instance',
    code: `
import Koa from 'koa';
import { Cron } from 'croner';
import { drizzle } from 'drizzle-orm/node-postgres';
import nodemailer from 'nodemailer';
import { weeklyRuns } from './schema';

const db = drizzle(process.env.DATABASE_URL!);
const mailer = nodemailer.createTransport({ host: 'smtp.example.com' });
const app = new Koa();

new Cron('0 8 * * 1', async () => {
  await db.insert(weeklyRuns).values({ week: new Date().toISOString() }).onConflictDoNothing().returning();
  await mailer.sendMail({ to: 'team@example.com', subject: 'Weekly summary' });
});
app.listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 12, column: 1, data: { callee: 'new Cron', work: 'the job writes to the database (`db.insert`)', when: 'on cron `0 8 * * 1`' } }],
  },
  {
    name: 'Express + mysql callbacks: an INSERT IGNORE whose outcome the callback never reads still mails on every instance',
    code: `
import express from 'express';
import mysql from 'mysql';
import nodemailer from 'nodemailer';

const pool = mysql.createPool({ host: 'db' });
const mailer = nodemailer.createTransport({ host: 'smtp.example.com' });
const app = express();

setInterval(() => {
  pool.query('INSERT IGNORE INTO digest_runs (day) VALUES (CURDATE())', () => {
    mailer.sendMail({ to: 'team@example.com', subject: 'Daily digest' }, () => undefined);
  });
}, 86_400_000);
app.listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 10, column: 1, data: { callee: 'setInterval', work: 'the job writes to the database (`pool.query`)', when: 'every day' } }],
  },
  {
    name: 'Express: croner (default export) jobs read from a table of jobs the server starts',
    code: `
import express from 'express';
import Cron from 'croner';
import { clearOldData } from './jobs/clear-old-data';

const app = express();
const jobs = [{ name: 'clear-old-data', interval: '14 03 * * *', jobFunc: clearOldData }];

app.listen(3000, () => {
  for (const job of jobs) {
    new Cron(job.interval, { name: job.name }, job.jobFunc);
  }
});
`,
    errors: [{ messageId: 'schedulerInProcess', line: 11, column: 5, data: { callee: 'new Cron', work: 'it runs `job.jobFunc()`', when: 'on the cron schedule `job.interval`' } }],
  },
  {
    name: 'Express: a heartbeat loop through an error-catching wrapper, with a drop-in setTimeout for long delays',
    code: `
import express from 'express';
import { setTimeout } from 'unlimited-timeout';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

function startMonitor(id: number, seconds: number): void {
  const beat = async (): Promise<void> => {
    await pool.query('INSERT INTO heartbeat (monitor_id, time) VALUES ($1, now())', [id]);
    setTimeout(safeBeat, seconds * 1000);
  };
  const safeBeat = async (): Promise<void> => {
    try {
      await beat();
    } catch {
      setTimeout(safeBeat, seconds * 1000);
    }
  };
  void safeBeat();
}

app.listen(3000, () => {
  startMonitor(1, 60);
});
`,
    errors: [
      {
        messageId: 'schedulerInProcess',
        line: 12,
        column: 5,
        data: { callee: 'setTimeout', work: 'the job writes to the database (`pool.query`)', when: 'every `seconds * 1000` ms' },
      },
      {
        messageId: 'schedulerInProcess',
        line: 18,
        column: 7,
        data: { callee: 'setTimeout', work: '`beat()` writes to the database (`pool.query`)', when: 'every `seconds * 1000` ms' },
      },
    ],
  },
  {
    name: 'Express: jobs started in the app.listen callback through a function of this file',
    code: `
import express from 'express';
import { sendDigest } from './digest';

const app = express();
const HOUR = 60 * 60 * 1000;

function startJobs(): void {
  setInterval(() => {
    void sendDigest();
  }, HOUR);
}

app.listen(3000, () => {
  startJobs();
});
`,
    errors: [{ messageId: 'schedulerInProcess', line: 9, column: 3, data: { callee: 'setInterval', work: 'the job calls `sendDigest()`', when: 'every hour' } }],
  },
  {
    name: 'Express: cron.schedule given a function imported from the project',
    code: `
import express from 'express';
import cron from 'node-cron';
import { rebuildRecommendations } from './recommendations';

const app = express();
cron.schedule('30 2 * * *', rebuildRecommendations);
app.listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 7, column: 1, data: { callee: 'cron.schedule', work: 'it runs `rebuildRecommendations()`', when: 'every day at 02:30' } }],
  },
  {
    name: 'Express: Bree started by the server',
    code: `
import express from 'express';
import Bree from 'bree';

const bree = new Bree({ jobs: ['send-invoices', { name: 'cleanup', interval: '1h' }] });
void bree.start();

express().listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 5, column: 14, data: { callee: 'new Bree', work: 'the Bree jobs `send-invoices`, `cleanup` run', when: 'on their schedules' } }],
  },
  {
    name: 'NestJS: @Cron and @Interval on a provider calling a service and a repository',
    code: `
import { Injectable } from '@nestjs/common';
import { Cron, CronExpression, Interval } from '@nestjs/schedule';
import type { Repository } from 'typeorm';
import { NotificationsService } from './notifications.service';

interface Order { id: number }

@Injectable()
export class ReportsService {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly ordersRepository: Repository<Order>,
  ) {}

  @Cron(CronExpression.EVERY_WEEK)
  async sendWeekly(): Promise<void> {
    await this.notifications.sendWeeklyDigest();
  }

  @Interval('expire-orders', 60_000)
  async expireOrders(): Promise<void> {
    await this.ordersRepository.delete({ id: 0 });
  }
}
`,
    errors: [
      { messageId: 'schedulerInProcess', line: 16, column: 3, endLine: 16, endColumn: 35, data: { callee: '@Cron', work: 'the job calls `this.notifications.sendWeeklyDigest()`', when: 'every week' } },
      { messageId: 'schedulerInProcess', line: 21, column: 3, data: { callee: '@Interval', work: 'the job writes to the database (`this.ordersRepository.delete`)', when: 'every minute' } },
    ],
  },
  {
    name: "NestJS: an @Interval whose period is computed with ms() and whose job posts to another service",
    code: `
import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import ms from 'ms';

@Injectable()
export class UsageService {
  private requests = 0;

  @Interval('report-usage', ms('1h'))
  async report(): Promise<void> {
    await fetch('https://stats.example.com/usage', { method: 'POST', body: String(this.requests) });
  }
}
`,
    errors: [{ messageId: 'schedulerInProcess', line: 10, column: 3, data: { callee: '@Interval', work: 'the job posts to an HTTP API (`fetch`)', when: "every `ms('1h')` ms" } }],
  },
  {
    name: 'a NODE_ENV check does not pick one instance: production runs N of them',
    code: `
import express from 'express';
import cron from 'node-cron';
import { Pool } from 'pg';

const pool = new Pool();
if (process.env.NODE_ENV === 'production') {
  cron.schedule('0 3 * * *', () => pool.query('DELETE FROM audit_log WHERE at < now() - interval 90 day'));
}
express().listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 8, column: 3, data: { callee: 'cron.schedule', work: 'the job writes to the database (`pool.query`)', when: 'every day at 03:00' } }],
  },
  {
    name: 'a cron job calling an API the rule has no table for: a cron library runs jobs, so anything not evidently local is work',
    code: `
import express from 'express';
import cron from 'node-cron';
import { google } from 'googleapis';

const drive = google.drive({ version: 'v3' });
cron.schedule('0 2 * * *', async () => {
  const startedAt = new Date().toISOString();
  console.log('backup', startedAt);
  await drive.files.create({ requestBody: { name: \`backup-\${startedAt}.sql\` } });
});
express().listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 7, column: 1, data: { callee: 'cron.schedule', work: 'the job calls `drive.files.create()`', when: 'every day at 02:00' } }],
  },
  {
    name: 'a schedule the configuration names as shared work',
    code: `
import express from 'express';
import { rebuildIndex } from 'search-kit';

setInterval(() => rebuildIndex(), 600_000);
express().listen(3000);
`,
    options: [{ sharedWorkCallees: ['rebuildIndex'] }],
    errors: [{ messageId: 'schedulerInProcess', line: 5, column: 1, data: { callee: 'setInterval', work: 'the job runs shared work (`rebuildIndex`)', when: 'every 10 minutes' } }],
  },
  {
    name: 'Fastify: node-cron deleting stale rows through the tag of postgres.js (no call to follow, the statement is the work)',
    code: `
import Fastify from 'fastify';
import cron from 'node-cron';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL ?? '');
const app = Fastify();

async function cleanupOldSessions(): Promise<void> {
  await sql\`
    DELETE FROM active_sessions WHERE last_activity < NOW() - INTERVAL '30 minutes'
  \`;
}

cron.schedule('* * * * *', cleanupOldSessions);

void app.listen({ port: 3001 });
`,
    errors: [{ messageId: 'schedulerInProcess', line: 15, column: 1, data: { callee: 'cron.schedule', work: 'the job writes to the database (`sql DELETE`)', when: 'every minute' } }],
  },
  {
    name: "Express (CommonJS): a nightly cron expiring subscriptions with @vercel/postgres's sql tag",
    code: `
const express = require('express');
const cron = require('node-cron');
const { sql } = require('@vercel/postgres');

const app = express();

cron.schedule('0 3 * * *', async () => {
  const today = new Date().toISOString();
  await sql\`UPDATE subscriptions SET status = 'expired' WHERE ends_at < \${today}\`;
});

app.listen(3000);
`,
    errors: [{ messageId: 'schedulerInProcess', line: 8, column: 1, data: { callee: 'cron.schedule', work: 'the job writes to the database (`sql UPDATE`)', when: 'every day at 03:00' } }],
  },
  {
    name: 'NestJS: a @Cron that tells age with moment() and then deletes rows is still reported, for the delete',
    code: `
import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import * as moment from 'moment';
import { PrismaClient } from '@prisma/client';

@Injectable()
export class ShareSweeper {
  private readonly prisma = new PrismaClient();

  @Cron('0 * * * *')
  async sweep(): Promise<void> {
    const cutoff = moment().subtract(1, 'day').toDate();
    await this.prisma.share.deleteMany({ where: { createdAt: { lt: cutoff } } });
  }
}
`,
    errors: [{ messageId: 'schedulerInProcess', line: 11, column: 3, data: { callee: '@Cron', work: 'the job writes to the database (`this.prisma.share.deleteMany`)', when: 'every hour' } }],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  { name: "look-alike: the same model only read by the timer, for this process's log", code: `
import express from 'express';
import tests from './models/speedtests';

const app = express();
app.get('/tests', async (req, res) => res.json(await tests.findAll()));

setInterval(async () => {
  console.log(await tests.count());
}, 60000);

app.listen(3000);
` },
  { name: 'look-alike: the same job behind a deployment flag beside the well-formedness check', code: `
import express from 'express';
import schedule from 'node-schedule';
import { isValidCron } from 'cron-validator';
import { Pool } from 'pg';

const pool = new Pool();
let job: schedule.Job | undefined;

function startTimer(cron: string) {
  if (!isValidCron(cron) || process.env.RUN_JOBS !== 'true') return;
  job = schedule.scheduleJob(cron, () => pool.query('INSERT INTO speedtests (taken_at) VALUES (now())'));
}

const app = express();
app.patch('/config/cron', express.json(), (req, res) => {
  job?.cancel();
  startTimer(String(req.body.value));
  res.json({ ok: true });
});

startTimer('0 * * * *');
app.listen(3000);
` },
  { name: "look-alike: the monitor's one-shot timer starts a method that never arms it again", code: monitorLoop('setTimeout(() => this.forget(monitor.id), monitor.interval * 1000)') },
  {
    name: "NestJS: an @Interval whose period is computed with ms() sweeps expired codes from its provider's own map",
    code: `
import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import ms from 'ms';

@Injectable()
export class CodesService {
  private codes = new Map<string, number>();

  @Interval('sweep-codes', ms('5m'))
  sweep(): void {
    const now = Date.now();
    this.codes.forEach((expiresAt, code) => {
      if (expiresAt < now) this.codes.delete(code);
    });
  }
}
`,
  },
  {
    name: "Express: a start function armed again from its promise chain's catch only when the start failed is a retry, not a schedule",
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();
app.get('/health', (_req, res) => res.send('ok'));

function start(): Promise<void> {
  return pool
    .query('INSERT INTO boots (at) VALUES (now())')
    .then(() => {
      app.listen(3000);
    })
    .catch((err: Error) => {
      console.error(err.message);
      setTimeout(start, 1000);
    });
}

start();
`,
  },
  {
    name: 'Koa + croner: a job that claims its run with an insert ignored on conflict, and mails only when the claim is won, runs once',
    code: `
import Koa from 'koa';
import { Cron } from 'croner';
import { drizzle } from 'drizzle-orm/node-postgres';
import nodemailer from 'nodemailer';
import { weeklyRuns } from './schema';

const db = drizzle(process.env.DATABASE_URL!);
const mailer = nodemailer.createTransport({ host: 'smtp.example.com' });
const app = new Koa();

new Cron('0 8 * * 1', async () => {
  const [won] = await db.insert(weeklyRuns).values({ week: new Date().toISOString() }).onConflictDoNothing().returning();
  if (won) await mailer.sendMail({ to: 'team@example.com', subject: 'Weekly summary' });
});
app.listen(3000);
`,
  },
  {
    name: 'Express + mysql callbacks: a poller that claims each export with a compare-and-set UPDATE, tested in its callback, runs once',
    code: `
import express from 'express';
import mysql from 'mysql';
import nodemailer from 'nodemailer';

const pool = mysql.createPool({ host: 'db' });
const mailer = nodemailer.createTransport({ host: 'smtp.example.com' });
const app = express();

setInterval(() => {
  pool.query('UPDATE exports SET state = ? WHERE id = ? AND state = ?', ['sending', 1, 'ready'], (err: any, result: any) => {
    if (err || !result.affectedRows) return;
    mailer.sendMail({ to: 'ops@example.com', subject: 'Export ready' }, () => undefined);
  });
}, 30_000);
app.listen(3000);
`,
  },
  {
    name: "quiet: the same lookup flushing this process's metrics",
    code: deviceManager('service.flush();'),
  },
  {
    name: 'Express + a timer: an hourly refresh that downloads the rates document and keeps that copy under one settings key (every instance stores the same)',
    code: `
import express from 'express';
import axios from 'axios';
import { Pool } from 'pg';

const pool = new Pool();
const RATES_SETTING = 'exchange-rates';
let current: unknown;

async function saveSetting(name: string, value: string): Promise<void> {
  await pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2', [name, value]);
}

async function refreshRates(): Promise<void> {
  const { data } = await axios.get('https://rates.example.com/latest.json');
  current = data;
  await saveSetting(RATES_SETTING, JSON.stringify({ fetchedAt: Date.now(), rates: data }));
}

const app = express();
app.get('/rates', (req, res) => res.json(current));
setInterval(() => void refreshRates(), 60 * 60 * 1000);
app.listen(3000);
`,
  },
  {
    name: "Express + node-cron: a job that rebuilds this process's lunr search index from a MongoDB cursor and logs in colour",
    code: `
import express from 'express';
import cron from 'node-cron';
import lunr from 'lunr';
import chalk from 'chalk';
import { MongoClient } from 'mongodb';

const db = new MongoClient('mongodb://db').db('shop');
const app = express();
let productIndex: lunr.Index | undefined;
app.get('/search', (req, res) => res.json(productIndex?.search(String(req.query.q))));

cron.schedule('*/30 * * * *', async () => {
  const products = await db.collection('products').find({}).toArray();
  productIndex = lunr(function () {
    this.ref('id');
    this.field('title');
    for (const product of products) this.add({ id: String(product._id), title: product.title });
  });
  console.log(chalk.cyan('product index rebuilt'));
});
`,
  },
  {
    name: "socket.io: a timer sends this instance's records, serialised, to its own rooms (each instance tells its own clients)",
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);
const boards = new Map<string, { toJSON(): object }>();

setInterval(() => {
  for (const [room, board] of boards) io.to(room).emit('board', board.toJSON());
}, 5000);
`,
  },
  {
    name: 'a job that one instance runs: behind a Redis leader lock, Redlock, or a flag checked inside the job',
    code: `
import express from 'express';
import { Pool } from 'pg';
import Redlock from 'redlock';
import { runAsLeader } from './scaling/leader-lock';

const pool = new Pool();
const redlock = new Redlock([]);

setInterval(() => void runAsLeader('expire-carts', 120_000, () => pool.query('DELETE FROM carts')), 60_000);
setInterval(() => {
  void redlock.using(['locks:tokens'], 5000, async () => {
    await pool.query('DELETE FROM tokens');
  });
}, 60_000);
setInterval(async () => {
  if (process.env.ROLE !== 'scheduler') return;
  await pool.query('DELETE FROM sessions');
}, 60_000);
express().listen(3000);
`,
  },
  {
    name: "a cron inside the service's lock helper named for the shared store that keeps the lock, and a timer whose function does its work inside that lock",
    code: `
import express from 'express';
import cron from 'node-cron';
import { Pool } from 'pg';
import { withDistributedLock } from './scaling/distributed-lock';

const pool = new Pool();

async function rebuildTotals() {
  await withDistributedLock('totals', async () => {
    await pool.query('DELETE FROM totals');
  });
}

cron.schedule('0 2 * * *', async () => {
  await withDistributedLock('purge', async () => {
    await pool.query('DELETE FROM sessions WHERE expires_at < now()');
  });
});
setInterval(() => void rebuildTotals(), 600_000);
express().listen(3000);
`,
  },
  {
    name: 'a job behind a Redis set-if-absent: ioredis NX in a Nest @Cron service, node-redis { NX: true } in a node-cron job, a marker set once per day',
    code: `
import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import cron from 'node-cron';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { Pool } from 'pg';

const redis = new Redis();
const client = createClient();
const pool = new Pool();

@Injectable()
export class DigestJobs {
  private async acquire(name: string): Promise<boolean> {
    return (await redis.set(\`lock:\${name}\`, process.pid, 'EX', 300, 'NX')) === 'OK';
  }

  @Cron(CronExpression.EVERY_HOUR)
  async sendDigests() {
    if (!(await this.acquire('digests'))) return;
    await pool.query('UPDATE digests SET sent = true');
  }

  @Cron(CronExpression.EVERY_DAY_AT_MIDNIGHT)
  async markDay() {
    await redis.set(\`day:\${new Date().toISOString().slice(0, 10)}\`, 1, 'NX', 'EX', 86_400);
  }
}

cron.schedule('*/5 * * * *', async () => {
  if (!(await client.set('lock:cleanup', '1', { NX: true, EX: 240 }))) return;
  await pool.query('DELETE FROM sessions WHERE expires_at < now()');
});
`,
  },
  {
    name: 'a deployment flag picks the instance that runs the jobs (if, early return, &&)',
    code: `
import express from 'express';
import cron from 'node-cron';
import { Pool } from 'pg';

const pool = new Pool();

function registerJobs(): void {
  if (!process.env.RUN_SCHEDULER) return;
  cron.schedule('0 * * * *', () => pool.query('DELETE FROM carts WHERE updated_at < now()'));
}

if (process.env.CRON_SERVER) {
  setInterval(() => void pool.query('UPDATE stats SET refreshed_at = now()'), 60_000);
}
process.env.IS_LEADER === 'true' && cron.schedule('*/5 * * * *', () => pool.query('DELETE FROM tokens'));

registerJobs();
express().listen(3000);
`,
  },
  {
    name: 'a sweep of this instance\'s own Map (the state it sweeps is what other rules are about)',
    code: `
import express from 'express';

const cache = new Map<string, { value: string; expires: number }>();
setInterval(() => {
  for (const [key, entry] of cache) if (entry.expires < Date.now()) cache.delete(key);
}, 60_000);

express().listen(3000);
`,
  },
  {
    name: "a worker draining this process's own queue or buffer: a mail queue shifted, a write buffer spliced, a mailer class's pending field",
    code: `
import express from 'express';
import nodemailer from 'nodemailer';
import { Pool } from 'pg';

const transport = nodemailer.createTransport({ jsonTransport: true });
const pool = new Pool();
const queue: { to: string; subject: string }[] = [];
const pageViews = [];

async function drain() {
  while (queue.length > 0) {
    const message = queue.shift()!;
    await transport.sendMail(message);
  }
}
setInterval(drain, 2000);
setInterval(async () => {
  const batch = pageViews.splice(0, pageViews.length);
  if (batch.length > 0) await pool.query('INSERT INTO page_views (path) SELECT unnest($1::text[])', [batch]);
}, 5000);

class Mailer {
  pending = [];
  start() {
    setInterval(() => this.flush(), 1000);
  }
  async flush() {
    const next = this.pending.pop();
    if (next) await transport.sendMail(next);
  }
}
new Mailer().start();

const app = express();
app.post('/signup', (req, res) => {
  queue.push({ to: req.body.email, subject: 'Welcome' });
  pageViews.push(req.path);
  res.sendStatus(201);
});
app.listen(3000);
`,
  },
  {
    name: 'a cron job that only logs and reads (the tutorials\' first cron job)',
    code: `
import express from 'express';
import cron from 'node-cron';
import { Pool } from 'pg';

const pool = new Pool();
let openOrders = 0;
cron.schedule('* * * * *', async () => {
  console.log('running a task every minute', new Date().toISOString());
  const { rows } = await pool.query('SELECT count(*) AS n FROM orders WHERE status = $1', ['open']);
  openOrders = Number(rows[0].n);
});
const app = express();
app.get('/open-orders', (req, res) => res.json({ openOrders }));
app.listen(3000);
`,
  },
  {
    name: 'a metrics flush and a WebSocket ping: per-instance by design',
    code: `
import http from 'node:http';
import { StatsD } from 'hot-shots';
import { WebSocketServer } from 'ws';

const statsd = new StatsD();
const server = http.createServer();
const wss = new WebSocketServer({ server });

setInterval(() => statsd.gauge('heap', process.memoryUsage().heapUsed), 10_000);
setInterval(() => {
  wss.clients.forEach((socket) => socket.ping());
}, 30_000);

server.listen(3000);
`,
  },
  {
    name: 'a refresh of this instance\'s copy of a config (a GET, kept in a module variable)',
    code: `
import express from 'express';
import cron from 'node-cron';

let rates: Record<string, number> = {};
cron.schedule('0 * * * *', async () => {
  rates = (await (await fetch('https://api.example.com/rates')).json()) as Record<string, number>;
});

const app = express();
app.get('/rates', (req, res) => res.json(rates));
app.listen(3000);
`,
  },
  {
    name: 'a keep-alive ping of this process\'s own connection pool',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
setInterval(() => void pool.query('SELECT 1'), 30_000).unref();
express().listen(3000);
`,
  },
  {
    name: 'timers started by a request: a delay, an SSE keep-alive, a debounce',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();
let saveTimer: NodeJS.Timeout | undefined;

app.get('/slow', (req, res) => {
  setTimeout(() => res.send('ok'), 100);
});
app.get('/events', (req, res) => {
  const timer = setInterval(() => res.write('data: ping\\n\\n'), 15_000);
  req.on('close', () => clearInterval(timer));
});
app.post('/draft', (req, res) => {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => void pool.query('UPDATE drafts SET body = $1', [req.body]), 500);
  res.sendStatus(202);
});
app.listen(3000);
`,
  },
  {
    name: 'queue-backed schedulers: a BullMQ job scheduler, a repeatable job, Agenda',
    code: `
import express from 'express';
import { Queue } from 'bullmq';
import Agenda from 'agenda';

const queue = new Queue('reports');
void queue.upsertJobScheduler('daily-report', { pattern: '0 6 * * *' }, { name: 'daily-report' });
void queue.add('cleanup', {}, { repeat: { every: 60_000 } });
const agenda = new Agenda({ db: { address: 'mongodb://localhost/agenda' } });
void agenda.every('5 minutes', 'send digest');

express().listen(3000);
`,
  },
  {
    name: 'a scheduler file that starts no server and registers no route (a worker of its own)',
    code: `
import cron from 'node-cron';
import nodemailer from 'nodemailer';

const transporter = nodemailer.createTransport({ jsonTransport: true });
cron.schedule('0 6 * * *', () => transporter.sendMail({ to: 'ops@example.com', subject: 'Daily' }));
`,
  },
  {
    name: 'a function of the project named like a scheduler, and shadowed setInterval',
    code: `
import express from 'express';
import { schedule } from './my-calendar';
import { Pool } from 'pg';

const pool = new Pool();
schedule('0 6 * * *', () => pool.query('DELETE FROM slots'));
function tick(setInterval: (fn: () => void, ms: number) => void): void {
  setInterval(() => void pool.query('DELETE FROM slots'), 1000);
}
tick(() => undefined);
express().listen(3000);
`,
  },
  {
    name: "NestJS: @Cron removing this instance's own stale upload chunks, their age told by moment and dayjs called directly",
    code: `
import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import * as fs from 'fs';
import * as moment from 'moment';
import dayjs from 'dayjs';

@Injectable()
export class ChunkSweeper {
  private readonly logger = new Logger(ChunkSweeper.name);

  @Cron('0 0 * * *')
  sweep(): void {
    for (const name of fs.readdirSync('./data/chunks').filter((file) => file.endsWith('.tmp-chunk'))) {
      const stats = fs.statSync('./data/chunks/' + name);
      if (moment(stats.mtime).add(1, 'day').isBefore(moment()) || dayjs(stats.ctime).isBefore(dayjs().subtract(2, 'day'))) fs.rmSync('./data/chunks/' + name);
    }
    this.logger.log('swept');
  }
}
`,
  },
  {
    name: 'NestJS: @Timeout that only logs, @Cron refreshing its own cache',
    code: `
import { Injectable, Logger } from '@nestjs/common';
import { Cron, Timeout } from '@nestjs/schedule';

@Injectable()
export class WarmupService {
  private readonly logger = new Logger(WarmupService.name);
  private readonly cache = new Map<string, string>();

  @Timeout(5000)
  announce(): void {
    this.logger.log('warm');
  }

  @Cron('*/10 * * * *')
  refresh(): void {
    this.cache.clear();
  }
}
`,
  },
  {
    name: "NestJS: @Cron refreshing this process's OIDC clients (discovery read, objects built, failures logged through a logger service)",
    code: `
import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Issuer, type Client } from 'openid-client';
import { paint } from './colors';

@Injectable()
export class AppLogger {
  error(message: string): void {
    process.stderr.write(paint(message));
  }
}

@Injectable()
export class OidcService {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly logger: AppLogger) {}

  @Cron('30 3 * * *')
  refreshClients(): void {
    Issuer.discover('https://id.example.test')
      .then((issuer) => this.clients.set('main', new issuer.Client({ client_id: 'app' })))
      .catch((error: unknown) => this.logger.error(String(error)));
  }
}
`,
  },
  {
    name: 'checkTimers: false leaves setInterval alone',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
setInterval(() => void pool.query('DELETE FROM sessions WHERE expires_at < now()'), 60_000);
express().listen(3000);
`,
    options: [{ checkTimers: false }],
  },
  {
    name: 'localOnlyCallees: a project function the configuration knows to be local',
    code: `
import express from 'express';
import cron from 'node-cron';
import { refreshFeatureFlags } from './flags';

cron.schedule('* * * * *', () => refreshFeatureFlags());
express().listen(3000);
`,
    options: [{ localOnlyCallees: ['refreshFeatureFlags'] }],
  },
  {
    name: 'a WebSocket heartbeat that calls a helper of another file the rule cannot follow: a timer is housekeeping unless it says otherwise',
    code: `
import { WebSocketServer, type WebSocket } from 'ws';
import { handleConnection, leaveRoom } from './rooms';

const wss = new WebSocketServer({ port: 8080 });
wss.on('connection', handleConnection);

setInterval(() => {
  for (const ws of wss.clients as Set<WebSocket & { isAlive?: boolean }>) {
    if (ws.isAlive === false) {
      leaveRoom(ws);
      ws.terminate();
    }
    ws.isAlive = false;
    ws.ping();
  }
}, 30_000);
`,
  },
  {
    name: "a cron job that only reads through the SQL tag, refreshing this process's copy of the plans",
    code: `
import express from 'express';
import cron from 'node-cron';
import postgres from 'postgres';

const sql = postgres();
const app = express();
const prices = new Map<string, number>();

cron.schedule('*/5 * * * *', async () => {
  const rows = await sql\`SELECT id, price FROM plans\`;
  for (const row of rows) prices.set(String(row.id), Number(row.price));
});

app.listen(3000);
`,
  },
  {
    name: 'a writing statement behind a leader lock, and a timer whose tags build markup (html, css), not statements',
    code: `
import express from 'express';
import cron from 'node-cron';
import postgres from 'postgres';
import { html } from 'lit';
import { isLeader } from './scaling/leader';

const sql = postgres();
const app = express();
let banner = html\`<p></p>\`;

cron.schedule('* * * * *', async () => {
  if (!(await isLeader())) return;
  await sql\`DELETE FROM sessions WHERE expires_at < now()\`;
});

setInterval(() => {
  banner = html\`<p>update the footer at \${new Date().toISOString()}</p>\`;
}, 60_000);

app.listen(3000);
`,
  },
];

const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'Next.js instrumentation.ts: register() starts a cron job in every server instance',
    filename: 'instrumentation.ts',
    code: `
import cron from 'node-cron';
import { sendReminderEmails } from './lib/reminders';

export function register(): void {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    cron.schedule('0 8 * * *', () => sendReminderEmails());
  }
}
`,
    errors: [{ messageId: 'schedulerInProcess', line: 7, column: 5, data: { callee: 'cron.schedule', work: 'the job calls `sendReminderEmails()`', when: 'every day at 08:00' } }],
  },
  {
    name: 'Next.js route handler module: a setInterval at module scope posts to Slack',
    filename: 'app/api/stats/route.ts',
    code: `
let hits = 0;
setInterval(() => {
  void fetch('https://hooks.slack.com/services/x', { method: 'POST', body: JSON.stringify({ text: String(hits) }) });
}, 60_000);

export async function GET() {
  hits += 1;
  return Response.json({ ok: true });
}
`,
    errors: [{ messageId: 'schedulerInProcess', line: 3, column: 1, data: { callee: 'setInterval', work: 'the job posts to an HTTP API (`fetch`)', when: 'every minute' } }],
  },
];

const serverWithCron = `
import express from 'express';
import cron from 'node-cron';
import { Pool } from 'pg';

const pool = new Pool();
cron.schedule('* * * * *', () => pool.query('DELETE FROM carts WHERE updated_at < now()'));
express().listen(3000);
`;

const fileNameValid: ValidTestCase<Options>[] = [
  { name: 'a test file', filename: 'src/server.test.ts', code: serverWithCron },
  { name: 'a script', filename: 'scripts/cleanup.ts', code: serverWithCron },
  {
    name: 'browser code: a clock in a client component',
    filename: 'components/clock.tsx',
    code: `
'use client';
import { useEffect, useState } from 'react';

export function Clock() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span>{new Date(now).toLocaleTimeString()}</span>;
}
`,
  },
  {
    name: 'untyped analysis stays within one file: the server that calls startReminders() is in another file',
    filename: 'src/reminders.ts',
    code: readFileSync(fixturePath('scheduler/reminders.ts'), 'utf8'),
  },
];

/** Untyped, across files (`fixtures/untyped-project/hub`, read from disk by the project index): a plain-JavaScript service of constructor functions with one method per file. */
const untypedProjectInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: "untyped legacy service: index.js calls serve() of http/ after the factory-made hub's start(), which runs meters.init(); init's this.startReading() is the method MeterManager.prototype takes from its own file",
    ...untypedProjectFile('hub/core/meter/meter.startReading.js'),
    errors: [{ messageId: 'schedulerInProcess', line: 2, column: 3, endColumn: 42, data: { callee: 'setInterval', work: 'the job writes to the database (`db.Reading.create`)', when: 'every minute' } }],
  },
  {
    name: "untyped cron manager: the server's start() runs this.cronManager.init(), which schedules through a copy of node-cron in libs/nodeCron; neither the schedule's setting nor the copy's validate() picks an instance",
    ...untypedProjectFile('crons/managers/CronManager.js'),
    errors: [{ messageId: 'schedulerInProcess', line: 12, column: 5, data: { callee: 'cron.schedule', work: 'the job writes to the database (`Database.sessionModel.destroy`)', when: 'on the cron schedule `this.backupSchedule`' } }],
  },
  {
    name: "untyped wrapped scheduler: the server builds Reports with the bus and a clock whose every() hands its task to node-cron; the daily job only emits TOPICS.REPORT_DUE, whose listener on the same bus sends e-mail",
    ...untypedProjectFile('reports/reports.js'),
    errors: [{ messageId: 'schedulerInProcess', line: 11, column: 3, data: { callee: 'this.clock.every', work: '`this.bus.emit()` sends e-mail (`mailer.sendMail`)', when: 'every day at 08:00' } }],
  },
  {
    name: "untyped entry module: index.js's init() starts the server and, once it listens, the crons; the job jobs/purge.js builds at module scope and jobs/index.js starts behind a setting runs on every instance",
    ...untypedProjectFile('entry-crons/jobs/purge.js'),
    errors: [{ messageId: 'schedulerInProcess', line: 9, column: 18, data: { callee: 'new CronJob', work: '`purgeHidden()` writes to the database (`db.run`)', when: "on the cron schedule `config.crons.purge || '0 0 * * * *'`" } }],
  },
  {
    name: "untyped start-once guard: the server starts jobs.js's crons once it listens; `if (cronJobsStarted) return` keeps this process from starting them twice and picks no instance",
    ...untypedProjectFile('once-crons/jobs.js'),
    errors: [{ messageId: 'schedulerInProcess', line: 9, column: 3, data: { callee: 'cron.schedule', work: 'the job writes to the database (`db.query`)', when: 'every 15 minutes' } }],
  },
  {
    name: "untyped database module: the server starts a monitor whose job writes through db.js's insertBulk, which builds its statement from the table and rows it is handed",
    ...untypedProjectFile('db-module-monitor/monitor.js'),
    errors: [{ messageId: 'schedulerInProcess', line: 4, column: 3, data: { callee: 'setInterval', work: 'the job writes to the database (`db.insertBulk`)', when: 'every `ms` ms' } }],
  },
  {
    name: "untyped singleton holder: the listen callback makes `new TaskSchedulerSingleton()`, whose constructor fills `TaskSchedulerSingleton.instance` under `if (!TaskSchedulerSingleton.instance)`, a slot test and no deployment flag; the held scheduler's timer runs in every instance",
    ...untypedProjectFile('singleton-holders/classes/task-scheduler.js'),
    errors: [{ messageId: 'schedulerInProcess', line: 11, column: 5, data: { callee: 'setInterval', work: '`this.run()` writes to the database (`db.query`)', when: 'every minute' } }],
  },
  {
    name: "untyped server entry: server.js only calls app.listen() on the app app.js builds and, once it listens, starts jobs.js's cron: the job runs on every instance",
    ...untypedProjectFile('listen-entry/jobs.js'),
    errors: [{ messageId: 'schedulerInProcess', line: 5, column: 3, data: { callee: 'cron.schedule', work: 'the job writes to the database (`db.query`)', when: 'every day at 03:00' } }],
  },
];

const untypedProjectValid: ValidTestCase<Options>[] = [
  { name: 'untyped server entry: the same cron started by archiver.js, a process of its own that starts no server', ...untypedProjectFile('listen-entry/archive.js') },
  { name: 'untyped entry module: the job only worker.js, which starts no server, loads and starts', ...untypedProjectFile('entry-crons/jobs/digest.js') },
  { name: 'untyped cron manager: the same job behind `if (!process.env.RUN_CRON) return`, a deployment flag', ...untypedProjectFile('crons/managers/FlaggedCronManager.js') },
  { name: "untyped legacy service: the same service's status timer only formats this process's view for its log", ...untypedProjectFile('hub/core/meter/meter.startStatusLog.js') },
  { name: "untyped wrapped scheduler: the same clock's minute job emits TOPICS.PULSE, whose listener only notes the time in this process", ...untypedProjectFile('reports/pulse.js') },
  { name: 'untyped wrapped scheduler: the clock that wraps node-cron runs whatever its callers hand it, reported at their calls', ...untypedProjectFile('reports/clock.js') },
];

createUntypedRuleTester().run('no-in-process-scheduler', rule, {
  valid: [...sameFileValid, ...fileNameValid, ...untypedProjectValid],
  invalid: [
    ...sameFileInvalid,
    ...fileNameInvalid,
    ...untypedProjectInvalid,
    {
      name: 'untyped NestJS: a provider\'s @Cron is reported wherever the module that runs it is',
      filename: 'src/digest.service.ts',
      code: readFileSync(fixturePath('scheduler/digest.service.ts'), 'utf8'),
      errors: [{ messageId: 'schedulerInProcess', line: 9, column: 3, data: { callee: '@Cron', work: 'the job calls `this.mailer.sendDigest()`', when: 'every week' } }],
    },
  ],
});

createTypedRuleTester().run('no-in-process-scheduler (typed)', rule, {
  valid: [
    ...sameFileValid,
    {
      name: 'cross-file: the module-scope sweep in sessions.ts runs in every instance but only over its own Map',
      filename: fixturePath('scheduler/sessions.ts'),
      code: readFileSync(fixturePath('scheduler/sessions.ts'), 'utf8'),
    },
    {
      name: 'cross-file: worker.ts is imported by no server file, so it is a process of its own',
      filename: fixturePath('scheduler/worker.ts'),
      code: readFileSync(fixturePath('scheduler/worker.ts'), 'utf8'),
    },
    {
      name: 'cross-file cron manager: initFlagged() schedules only where RUN_CRON is set',
      filename: fixturePath('cron-managers/cron-manager.ts'),
      code: readFileSync(fixturePath('cron-managers/cron-manager.ts'), 'utf8').replace(/async init\(\)[^]*?\n  }\n\n/, ''),
    },
    {
      name: 'cross-file NestJS: DigestService is a provider of the application context in worker-main.ts only',
      filename: fixturePath('scheduler/digest.service.ts'),
      code: readFileSync(fixturePath('scheduler/digest.service.ts'), 'utf8'),
    },
  ],
  invalid: [
    ...sameFileInvalid,
    {
      name: 'cross-file: server.ts calls startReminders() at start-up; the job sends e-mail through mailer.ts',
      filename: fixturePath('scheduler/reminders.ts'),
      code: readFileSync(fixturePath('scheduler/reminders.ts'), 'utf8'),
      errors: [
        {
          messageId: 'schedulerInProcess',
          line: 6,
          column: 3,
          data: { callee: 'cron.schedule', work: '`sendReminderMail()` sends e-mail (`transporter.sendMail`)', when: 'every day at 09:00' },
        },
      ],
    },
    {
      name: "cross-file cron manager: Server.start() runs this.cronManager.init(), which schedules through a copy of node-cron in libs/nodeCron; initFlagged()'s job waits for RUN_CRON",
      filename: fixturePath('cron-managers/cron-manager.ts'),
      code: readFileSync(fixturePath('cron-managers/cron-manager.ts'), 'utf8'),
      errors: [{ messageId: 'schedulerInProcess', line: 10, column: 5, data: { callee: 'cron.schedule', work: "the job writes to the database (`db('sessions').where('expired', true).delete`)", when: 'on the cron schedule `this.backupSchedule`' } }],
    },
    {
      name: 'cross-file NestJS: BillingService is a provider of the app that app-main.ts serves; the store updates rows',
      filename: fixturePath('scheduler/billing.service.ts'),
      code: readFileSync(fixturePath('scheduler/billing.service.ts'), 'utf8'),
      errors: [
        {
          messageId: 'schedulerInProcess',
          line: 9,
          column: 3,
          data: { callee: '@Interval', work: '`this.invoices.markOverdue()` writes to the database (`pool.query`)', when: 'every 5 minutes' },
        },
      ],
    },
  ],
});
