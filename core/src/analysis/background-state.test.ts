import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { ROOT } from '../testing/fix-plans';
import { createProgram } from '../testing/program';
import { analyseTyped, analyseUntyped, removeAnalysedProjects } from '../testing/project-findings';

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'] as const;

/** The state findings of one file of a project, typed or untyped: `rule line:column message`. */
function findingsOf(files: Record<string, string>, file: string, typed: boolean): string[] {
  const { sourceFile, findings } = (typed ? analyseTyped : analyseUntyped)(files, file, [...RULES]);
  return findings.map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${finding.ruleId} ${line + 1}:${character + 1} ${finding.message}`;
  });
}

const DB = `export const db = { query: async (sql: string, params?: unknown[]): Promise<any[]> => [] };
`;

const SERVER = `import express from 'express';
import { startJobs } from './jobs';
import { sitesOverLimit, lastRun, plans, countries, loadCountries } from './usage';
const app = express();
app.post('/track/:site', (req, res) => {
  if (sitesOverLimit.has(Number(req.params.site))) return res.status(402).end();
  res.status(204).end();
});
app.get('/health', (req, res) => res.json({ lastRun }));
app.get('/plans', (req, res) => res.json({ plans, countries }));
startJobs();
loadCountries().then(() => app.listen(3000));
`;

const JOBS = `import cron from 'node-cron';
import { checkUsage, refreshPlans } from './usage';
export function startJobs() {
  cron.schedule('*/30 * * * *', checkUsage);
  setInterval(refreshPlans, 60000);
}
`;

const USAGE = `import { db } from './db';
export const sitesOverLimit = new Set<number>();
export let lastRun = 0;
export let plans: any[] = [];
export let countries: any[] = [];
export async function checkUsage() {
  lastRun = Date.now();
  const orgs = await db.query('SELECT id, quota FROM organizations');
  for (const org of orgs) {
    const siteIds: number[] = (await db.query('SELECT id FROM sites WHERE org = $1', [org.id])).map((row) => row.id);
    const [{ used }] = await db.query('SELECT count(*) AS used FROM events WHERE org = $1', [org.id]);
    await db.query('UPDATE organizations SET used = $1 WHERE id = $2', [used, org.id]);
    for (const siteId of siteIds) {
      if (used > org.quota) sitesOverLimit.add(siteId);
      else sitesOverLimit.delete(siteId);
    }
  }
}
export async function refreshPlans() {
  plans = await db.query('SELECT * FROM plans');
}
export async function loadCountries() {
  countries = await db.query('SELECT * FROM countries');
}
`;

describe.each([false, true])('state only a scheduled job fills (typed: %s)', (typed) => {
  it('a set a cron doing shared work fills with what it loaded, read by a route, is a cache; its own timestamp, a refresh-only interval and a start-up load stay quiet', () => {
    const files = { 'src/db.ts': DB, 'src/server.ts': SERVER, 'src/jobs.ts': JOBS, 'src/usage.ts': USAGE };
    expect(findingsOf(files, 'src/usage.ts', typed)).toEqual([
      'no-process-local-cache 2:14 `sitesOverLimit` holds shared data that the scheduled job `cron.schedule` loads into this process every 30 minutes, and POST /track/:site (src/server.ts:5) reads it. That job does shared work and belongs on one instance: there, the other instances read a copy that nothing fills.',
    ]);
  });

  it('state a request writes too keeps the class its writes give it; a running flag and a metrics gauge the job keeps are its own', () => {
    const usage = `import os from 'os';
import { db } from './db';
export const overrides = new Map<number, number>();
export let running = false;
export const gauges = { load: 0 };
export async function syncQuotas() {
  if (running) return;
  running = true;
  gauges.load = os.loadavg()[0];
  for (const row of await db.query('SELECT org, quota FROM quota_overrides')) overrides.set(row.org, row.quota);
  await db.query('DELETE FROM quota_overrides WHERE expires < now()');
  running = false;
}
`;
    const server = `import express from 'express';
import cron from 'node-cron';
import { overrides, running, gauges, syncQuotas } from './usage';
const app = express();
app.put('/orgs/:id/quota', (req, res) => {
  overrides.set(Number(req.params.id), req.body.quota);
  res.end();
});
app.get('/orgs/:id/quota', (req, res) => res.json({ quota: overrides.get(Number(req.params.id)), running, load: gauges.load }));
cron.schedule('0 * * * *', syncQuotas);
app.listen(3000);
`;
    expect(findingsOf({ 'src/db.ts': DB, 'src/server.ts': server, 'src/usage.ts': usage }, 'src/usage.ts', typed)).toEqual([
      'no-in-memory-session 3:14 `overrides` holds application data in this process; it is written by PUT /orgs/:id/quota (src/server.ts:5). A second instance will not see it.',
    ]);
  });

  it('a Nest service whose @Cron loads rates and records the run keeps them per instance; the controller reads them through the service', () => {
    const service = `import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { db } from './db';
@Injectable()
export class RatesService {
  private rates = new Map<string, number>();
  private timer = 0;
  @Cron('0 */6 * * *')
  async refresh() {
    this.timer = Date.now();
    for (const row of await db.query('SELECT code, rate FROM rates')) this.rates.set(row.code, row.rate);
    await db.query('INSERT INTO rate_checks (at) VALUES (now())');
  }
  rateOf(code: string) {
    return this.rates.get(code);
  }
}
`;
    const controller = `import { Controller, Get, Param } from '@nestjs/common';
import { RatesService } from './rates.service';
@Controller('rates')
export class RatesController {
  constructor(private readonly rates: RatesService) {}
  @Get(':code')
  get(@Param('code') code: string) {
    return this.rates.rateOf(code);
  }
}
`;
    const main = `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
NestFactory.create(AppModule).then((app) => app.listen(3000));
`;
    const module = `import { Module } from '@nestjs/common';
import { RatesController } from './rates.controller';
import { RatesService } from './rates.service';
@Module({ controllers: [RatesController], providers: [RatesService] })
export class AppModule {}
`;
    const files = { 'src/db.ts': DB, 'src/main.ts': main, 'src/app.module.ts': module, 'src/rates.controller.ts': controller, 'src/rates.service.ts': service };
    expect(findingsOf(files, 'src/rates.service.ts', typed)).toEqual([
      'no-process-local-cache 6:11 `rates` holds shared data that the scheduled job `@Cron` loads into this process every 6 hours, and GET /rates/:code (RatesController.get, src/rates.controller.ts:6) reads it. That job does shared work and belongs on one instance: there, the other instances read a copy that nothing fills.',
    ]);
  });
});

describe.each([false, true])('state only a queue consumer fills (typed: %s)', (typed) => {
  it('what a BullMQ worker or a Kafka consumer group receives, read by routes, is each instance\'s share; a pub/sub subscriber, the consumer\'s own counts and a worker process of its own stay quiet', () => {
    const prices = `import { Worker } from 'bullmq';
import { Kafka } from 'kafkajs';
import Redis from 'ioredis';
export const prices = new Map<string, number>();
export const stock = new Map<string, number>();
export const flags = new Map<string, boolean>();
export let handled = 0;
export let lastJobAt = 0;
export function startConsumers() {
  new Worker('prices', async (job) => {
    prices.set(job.data.sku, job.data.price);
    handled++;
    lastJobAt = Date.now();
  });
  const consumer = new Kafka({ brokers: ['kafka:9092'] }).consumer({ groupId: 'shop' });
  consumer.run({
    async eachMessage({ message }) {
      const update = JSON.parse(String(message.value));
      stock.set(update.sku, update.count);
    },
  });
  const sub = new Redis();
  sub.subscribe('flags');
  sub.on('message', (channel, text) => {
    const flag = JSON.parse(text);
    flags.set(flag.name, flag.on);
  });
}
`;
    const worker = `import { Worker } from 'bullmq';
export const seen = new Set<string>();
new Worker('audit', async (job) => {
  seen.add(job.data.id);
});
`;
    const server = `import express from 'express';
import { prices, stock, flags, handled, lastJobAt, startConsumers } from './prices';
const app = express();
app.get('/prices/:sku', (req, res) => res.json({ price: prices.get(req.params.sku), stock: stock.get(req.params.sku), flag: flags.get('sale') }));
app.get('/health', (req, res) => res.json({ handled, lastJobAt }));
startConsumers();
app.listen(3000);
`;
    const files = { 'src/prices.ts': prices, 'src/worker.ts': worker, 'src/server.ts': server };
    expect(findingsOf(files, 'src/prices.ts', typed)).toEqual([
      'no-process-local-cache 4:14 `prices` holds what the bullmq consumer `new Worker` receives in this process, and GET /prices/:sku (src/server.ts:4) reads it. The queue hands each message to one consumer: every instance holds only its share, and answers without the rest.',
      'no-process-local-cache 5:14 `stock` holds what the kafkajs consumer `consumer.run` receives in this process, and GET /prices/:sku (src/server.ts:4) reads it. The queue hands each message to one consumer: every instance holds only its share, and answers without the rest.',
    ]);
    expect(findingsOf(files, 'src/worker.ts', typed)).toEqual([]);
  });
});

/** The message id of the one cache finding in `file` and what planning its fix gives (typed). */
function plannedFix(files: Record<string, string>, file: string) {
  const program = createProgram(Object.fromEntries(Object.entries(files).map(([name, text]) => [`${ROOT}/${name}`, text])));
  const sourceFile = program.getSourceFile(`${ROOT}/${file}`)!;
  const [finding] = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-process-local-cache'] });
  return { messageId: finding.messageId, ...planFixes(sourceFile, finding, { program, projectRoot: ROOT }) };
}

describe('the fix for state filled off the request path', () => {
  it('is refused for state a scheduled job fills, with what to do instead: moving the state alone would leave the job in every instance', () => {
    expect(plannedFix({ 'src/db.ts': DB, 'src/server.ts': SERVER, 'src/jobs.ts': JOBS, 'src/usage.ts': USAGE }, 'src/usage.ts')).toEqual({
      messageId: 'cacheFilledBySchedule',
      plans: [],
      refused: {
        title: 'Move `sitesOverLimit` to the Redis cache',
        reason: "no request fills it: a scheduled job does, in every instance. Run that job once (on the job queue's scheduler, or under a leader lock) and have it keep what it loaded in Redis (a set or a hash every instance reads) instead of this process's memory",
      },
    });
  });

  it('the scheduler fix of the job that fills it is refused too: in the worker, or on the leader alone, the job would fill one process\'s copy', () => {
    const program = createProgram(Object.fromEntries(Object.entries({ 'src/db.ts': DB, 'src/server.ts': SERVER, 'src/jobs.ts': JOBS, 'src/usage.ts': USAGE }).map(([name, text]) => [`${ROOT}/${name}`, text])));
    const sourceFile = program.getSourceFile(`${ROOT}/src/jobs.ts`)!;
    const findings = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-in-process-scheduler'] });
    expect(findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1} ${finding.data.callee}`)).toEqual(['4 cron.schedule']);
    expect(planFixes(sourceFile, findings[0], { program, projectRoot: ROOT })).toEqual({
      plans: [],
      refused: {
        title: "Run the job from the job queue's scheduler",
        reason: "the job fills `sitesOverLimit` (src/usage.ts:2), which requests read from this instance's memory: run once, it would fill one process's copy and the other instances would read theirs unfilled. Have the job keep it in Redis (a set or a hash every instance reads) first, then run the job once",
      },
    });
  });

  it('is refused for state a queue consumer fills, with what to do instead', () => {
    const prices = `import { Worker } from 'bullmq';
export const prices = new Map<string, number>();
export function startConsumers() {
  new Worker('prices', async (job) => {
    prices.set(job.data.sku, job.data.price);
  });
}
`;
    const server = `import express from 'express';
import { prices, startConsumers } from './prices';
const app = express();
app.get('/prices/:sku', (req, res) => res.json({ price: prices.get(req.params.sku) }));
startConsumers();
app.listen(3000);
`;
    expect(plannedFix({ 'src/prices.ts': prices, 'src/server.ts': server }, 'src/prices.ts')).toEqual({
      messageId: 'cacheFilledByConsumer',
      plans: [],
      refused: {
        title: 'Move `prices` to the Redis cache',
        reason: 'no request fills it: a queue consumer does, with the messages this instance was handed. Have the consumer write what it receives to Redis (a hash or a set every instance reads), or subscribe every instance to the updates (pub/sub) instead of sharing one queue',
      },
    });
  });
});
