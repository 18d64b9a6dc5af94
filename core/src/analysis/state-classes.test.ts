import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import type { RuleId } from '../types';
import { createProgram } from '../testing/program';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

/** Rule and state name of every state finding, untyped, one file. */
function stateRules(code: string, fileName = '/project/src/app.ts'): string[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'] }).map(
    (finding) => `${finding.ruleId}:${finding.start}: ${finding.data.name}${finding.data.staleness ? ` (${finding.data.staleness})` : ''}`.replace(/:\d+:/, ':'),
  );
}

/** Every finding of one JavaScript file, typed or untyped: `rule line:column message`. */
function jsFindings(code: string, typed: boolean): string[] {
  const fileName = '/project/src/app.js';
  const program = typed ? createProgram({ [fileName]: code }) : undefined;
  const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  return analyzeSourceFile(sourceFile, { program, projectRoot: '/project' }).map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${finding.ruleId} ${line + 1}:${character + 1} ${finding.message}`;
  });
}

/** The findings of the four state rules, whatever else the code has. */
function stateFindings(findings: string[]): string[] {
  return findings.filter((finding) => /^no-(in-process-lock|in-memory-session|in-memory-counter|process-local-cache)/.test(finding));
}

const EXPRESS = `import express from 'express';\nconst app = express();\n`;
const NEST = `import { Controller, Injectable, Post, Get, Inject, Module } from '@nestjs/common';\n`;
/** The four rules that classify state, for tests that read only their findings. */
const STATE_RULES: RuleId[] = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'];

describe('one state, one rule: what the code does with it', () => {
  it("the promise of work a request started, kept so tests can await it, is the process's own: declared Promise<…> or assigned a promise chain; the request's own value kept the same way is a session", () => {
    const usage = (field: string, kept: string): string => `${EXPRESS}${field}
async function refreshUsage(org: string): Promise<void> {
  await fetch('https://billing.example.com/usage/' + org);
}
app.get('/usage', (req, res) => {
  ${kept};
  res.json({ ok: true });
});
`;
    expect(stateRules(usage('export let refreshForTests: Promise<void>;', 'refreshForTests = refreshUsage(String(req.query.org))'))).toEqual([]);
    expect(stateRules(usage('export let refreshForTests = Promise.resolve();', 'refreshForTests = refreshUsage(String(req.query.org)).catch(() => undefined)'))).toEqual([]);
    expect(stateRules(usage('export let lastOrg: string;', 'lastOrg = String(req.query.org)'))).toEqual(['no-in-memory-session: lastOrg']);
  });

  it('state read back and compared with a limit is a counter, whatever it holds; emptiness checks and size-bounded caches are not counters', () => {
    expect(
      stateRules(`${NEST}
declare function complete(prompt: string): Promise<{ text: string; tokens: number }>;
declare function loadRow(id: string): Promise<object>;
@Injectable()
export class AiService {
  private used: { time: number; count: number }[] = [];
  private daily = { count: 0, date: '' };
  private queue: string[] = [];
  private rows = new Map<string, object>();
  async generate(prompt: string) {
    const now = Date.now();
    this.used = this.used.filter((entry) => entry.time > now - 60_000);
    const tokens = this.used.reduce((sum, entry) => sum + entry.count, 0);
    if (tokens + prompt.length > 10_000) throw new Error('tokens');
    if (this.daily.count + prompt.length > 100_000) throw new Error('daily');
    const { text, tokens: spent } = await complete(prompt);
    this.used = [...this.used, { time: now, count: spent }];
    this.daily = { ...this.daily, count: this.daily.count + spent };
    this.queue.push(text);
    if (this.queue.length > 0) this.queue.shift();
    return text;
  }
  async row(id: string) {
    if (this.rows.size > 1000) this.rows.clear();
    const hit = this.rows.get(id);
    if (hit) return hit;
    const row = await loadRow(id);
    this.rows.set(id, row);
    return row;
  }
}
@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}
  @Post() generate() { return this.ai.generate('x'); }
  @Get() row() { return this.ai.row('x'); }
}
`),
    ).toEqual(['no-in-memory-counter: used', 'no-in-memory-counter: daily', 'no-process-local-cache: rows (until this process restarts)']);
  });

  it('a position compared with -1 (`findIndex(…) > -1`) says whether an entry is there: per-user entries stay sessions; a real limit on the same list is a counter', () => {
    const queue = (limit: string) => `const express = require('express');
const app = express();
const waiting = [];
app.post('/queue', (req, res) => {
  ${limit}
  waiting.push({ user: req.body.user, prompt: req.body.prompt });
  res.json({ position: waiting.length });
});
app.post('/cancel', (req, res) => {
  const index = waiting.findIndex((entry) => entry.user === req.body.user);
  if (index > -1) waiting.splice(index, 1);
  res.end();
});
`;
    const session = 'no-in-memory-session 3:7 `waiting` holds application data in this process; it is written by POST /queue (src/app.js:4) and 1 other route. A second instance will not see it.';
    const counter = 'no-in-memory-counter 3:7 `waiting` counts in this process; it is changed by POST /queue (src/app.js:4) and 1 other route. Each instance keeps its own count, so totals and limits are wrong once there is more than one.';
    const capped = queue("if (waiting.filter((entry) => entry.user === req.body.user).length >= 3) return res.status(429).end();");
    for (const typed of [false, true]) {
      expect(jsFindings(queue(''), typed)).toEqual([session]);
      expect(jsFindings(capped, typed)).toEqual([counter]);
    }
  });

  it('an entry replaced by index with what it held (`todos[i] = { ...todos[i], … }`) is the app\'s data written by requests, not a copy of loaded data; the same written from a database load is a cache', () => {
    const routes = (stored: string): string => `${EXPRESS}declare const db: { findTodo(id: string): Promise<{ id: string; title: string }> };
let todos: { id: string; title: string }[] = [];
app.post('/todos', (req, res) => { todos.push({ id: String(req.body.id), title: String(req.body.title) }); res.end(); });
app.put('/todos/:id', async (req, res) => {
  const index = todos.findIndex((todo) => todo.id === req.params.id);
  if (index === -1) return res.status(404).end();
  todos[index] = ${stored};
  res.json(todos[index]);
});
`;
    expect(stateRules(routes('{ id: todos[index].id, title: String(req.body.title) }'))).toEqual(['no-in-memory-session: todos']);
    expect(stateRules(routes('await db.findTodo(req.params.id)'))).toEqual(['no-process-local-cache: todos (until this process restarts)']);
  });

  it('a client rebuilt from settings a request saves or loads is a cache of those settings; built once from the environment it is quiet; a model of one user stays a session', () => {
    const code = `const express = require('express');
const { MailClient } = require('./mail');
const db = require('./db');
const app = express();
let mailer;
let current;
let search;
function configureMailer(settings) {
  mailer = new MailClient(settings.smtp);
}
app.post('/settings/mail', async (req, res) => {
  const settings = req.body;
  await db.saveSettings(settings);
  configureMailer(settings);
  res.end();
});
app.post('/invite', async (req, res) => {
  if (!mailer) configureMailer(await db.loadSettings());
  await mailer.send(req.body.to);
  if (!search) search = new SearchClient(process.env.SEARCH_URL);
  res.end();
});
app.post('/cart', (req, res) => {
  current = new Cart(req.body.items);
  res.end();
});
`;
    for (const typed of [false, true]) {
      expect(jsFindings(code, typed)).toEqual([
        'no-process-local-cache 5:5 `mailer` caches shared data in this process; it is written by POST /settings/mail (src/app.js:11) and 1 other route. When another instance changes that data, this copy stays stale until this process restarts.',
        'no-in-memory-session 6:5 `current` holds per-user state in this process; it is written by POST /cart (src/app.js:23). A second instance will not see it.',
      ]);
    }
  });

  it('records of counts per key, counted through a local read of the entry, are a counter even when filled behind a miss and deleted again (lets-chat failed logins); the same shape without a count stays a lock', () => {
    const login = (count: string) => `const express = require('express');
const app = express();
const users = require('./users');
var loginAttempts = {};
app.post('/login', function (req, res) {
  var username = String(req.body.username);
  users.check(username, req.body.password, function (err, user) {
    if (!user) {
      if (!loginAttempts[username]) {
        loginAttempts[username] = { attempts: 0, lockedUntil: null };
      }
      var attempt = loginAttempts[username];
      ${count}
      if (attempt.attempts >= 5) attempt.lockedUntil = Date.now() + 60000;
      return res.sendStatus(401);
    }
    if (loginAttempts[username]) {
      delete loginAttempts[username];
    }
    res.json(user);
  });
});
`;
    expect(stateRules(login('attempt.attempts++;'), '/project/src/app.js')).toEqual(['no-in-memory-counter: loginAttempts']);
    expect(stateRules(login('attempt.attempts += 1;'), '/project/src/app.js')).toEqual(['no-in-memory-counter: loginAttempts']);
    expect(stateRules(login('attempt.lastTry = Date.now();'), '/project/src/app.js')).toEqual(['no-in-process-lock: loginAttempts']);
  });

  it('objects made per key behind a miss check and forgotten all at once (`list = {}`) are a cache; with no loaded data in them, nobody reports them', () => {
    expect(
      stateRules(`${EXPRESS}
class UptimeCalculator {
  static list: Record<string, UptimeCalculator> = {};
  static async forMonitor(id: string) {
    if (!UptimeCalculator.list[id]) UptimeCalculator.list[id] = new UptimeCalculator();
    return UptimeCalculator.list[id];
  }
  static removeAll() {
    UptimeCalculator.list = {};
  }
}
app.get('/monitors/:id/uptime', async (req, res) => res.json(await UptimeCalculator.forMonitor(req.params.id)));
app.delete('/monitors', (req, res) => { UptimeCalculator.removeAll(); res.end(); });
`),
    ).toEqual([]);
  });

  it('ids minted from a number, timers and listeners kept per key, and promise resolvers belong to no rule', () => {
    expect(
      stateRules(`${EXPRESS}
declare function publish(channel: string, message: object): void;
declare function persist(id: string, doc: object): Promise<void>;
let replyCounter = 0;
const pendingReplies: Record<number, (value: unknown) => void> = {};
const debounceTimers = new Map<string, { doc: object; timer: ReturnType<typeof setTimeout> | null; observer: () => void }>();
app.post('/ask', (req, res) => {
  ++replyCounter;
  const replyId = replyCounter;
  publish('ask', { replyId, body: req.body });
  new Promise((resolve) => { pendingReplies[replyId] = resolve; }).then((answer) => res.json(answer));
});
app.post('/docs/:id', (req, res) => {
  const doc = req.body;
  const observer = () => void persist(req.params.id, doc);
  debounceTimers.set(req.params.id, { doc, timer: null, observer });
  res.end();
});
`),
    ).toEqual([]);
  });

  it('debounced and throttled functions kept per key (evicting an entry, saving a document) schedule this process\'s own work; the values a request stores stay sessions', () => {
    expect(
      stateRules(`${EXPRESS}
import { debounce } from 'lodash';
declare const Util: { throttle(fn: () => void, ms: number): () => void };
declare function render(host: string): string;
declare function persist(id: string, doc: object): Promise<void>;
const evictors: Record<string, () => void> = {};
const pendingSaves = new Map<string, () => void>();
const drafts: Record<string, object> = {};
app.get('/config.js', (req, res) => {
  const key = String(req.headers.host);
  evictors[key] = evictors[key] || Util.throttle(function () { delete evictors[key]; }, 20000);
  evictors[key]();
  res.send(render(key));
});
app.put('/docs/:id', (req, res) => {
  if (!pendingSaves.has(req.params.id)) pendingSaves.set(req.params.id, debounce(() => persist(req.params.id, req.body), 1000));
  pendingSaves.get(req.params.id)!();
  drafts[req.params.id] = req.body;
  res.end();
});
`),
    ).toEqual(['no-in-memory-session: drafts']);
  });

  it('cron tasks kept per schedule id (node-cron, node-schedule, cron, croner) are timers of this process, not user data; entries that keep what a request sent stay sessions', () => {
    expect(
      stateRules(`${EXPRESS}
import cron from 'node-cron';
import schedule from 'node-schedule';
import { CronJob } from 'cron';
import { Cron } from 'croner';
declare function runFlow(id: string): Promise<void>;
declare const jobs: { schedule(job: object): object };
const cronTasks = new Map<string, unknown>();
const nodeScheduleJobs: Record<string, unknown> = {};
const cronJobs = new Map<string, CronJob>();
const croners = new Map<string, Cron>();
const queued = new Map<string, object>();
app.post('/schedules/:id', (req, res) => {
  const task = cron.schedule(req.body.pattern, () => { void runFlow(req.params.id); });
  cronTasks.set(req.params.id, task);
  nodeScheduleJobs[req.params.id] = schedule.scheduleJob(req.body.pattern, function () { void runFlow(req.params.id); });
  cronJobs.set(req.params.id, new CronJob(req.body.pattern, () => runFlow(req.params.id)));
  croners.set(req.params.id, new Cron(req.body.pattern, () => runFlow(req.params.id)));
  queued.set(req.params.id, jobs.schedule({ flow: req.params.id, pattern: req.body.pattern }));
  res.end();
});
app.delete('/schedules/:id', (req, res) => {
  cronTasks.delete(req.params.id);
  cronJobs.delete(req.params.id);
  res.end();
});
`),
    ).toEqual(['no-in-memory-session: queued']);
  });

  describe('cron tasks kept per key, typed and untyped', () => {
    const code = `const express = require('express');
const cron = require('node-cron');
const { CronJob } = require('cron');
const app = express();
const jobs = { schedule: (job) => job };
const tasks = new Map();
const cronJobs = new Map();
const queued = new Map();
function runFlow(id) { return id; }
app.post('/schedules/:id', (req, res) => {
  tasks.set(req.params.id, cron.schedule(req.body.pattern, () => runFlow(req.params.id)));
  cronJobs.set(req.params.id, new CronJob(req.body.pattern, () => runFlow(req.params.id)));
  queued.set(req.params.id, jobs.schedule({ flow: req.params.id, pattern: req.body.pattern }));
  res.end();
});
`;
    const expected = ['no-in-memory-session 8:7 `queued` holds application data in this process; it is written by POST /schedules/:id (src/app.js:10). A second instance will not see it.'];
    it('untyped', () => expect(jsFindings(code, false).filter((finding) => !finding.startsWith('no-in-process-scheduler'))).toEqual(expected));
    it('typed', () => expect(jsFindings(code, true).filter((finding) => !finding.startsWith('no-in-process-scheduler'))).toEqual(expected));
  });

  it('a map of claims dropped by a timer is a short-lived cache, not a lock, whatever it is called; a constant expiry past the threshold is reported', () => {
    expect(
      stateRules(`${EXPRESS}
declare const redis: { set(...args: unknown[]): Promise<string | null> };
declare const db: { findPrice(id: string): Promise<number>; savePrice(id: string, price: number): Promise<void> };
const ttl = Number(process.env.LOCK_TTL);
const lockPromises: Record<string, Promise<string | null>> = {};
const prices: Record<string, number> = {};
function claim(doc: string) {
  const existing = lockPromises[doc];
  if (existing) return existing;
  const claimed = redis.set('lock:' + doc, 'me', 'PX', ttl, 'NX', 'GET');
  lockPromises[doc] = claimed;
  setTimeout(() => { delete lockPromises[doc]; }, ttl / 2);
  return claimed;
}
async function price(id: string) {
  const price = await db.findPrice(id);
  prices[id] = price;
  setTimeout(() => { delete prices[id]; }, 10 * 60 * 1000);
  return price;
}
app.post('/docs/:id/claim', async (req, res) => res.json(await claim(req.params.id)));
app.get('/prices/:id', async (req, res) => res.json(await price(req.params.id)));
app.put('/prices/:id', async (req, res) => {
  await db.savePrice(req.params.id, req.body.price);
  delete prices[req.params.id];
  res.end();
});
`),
    ).toEqual(['no-process-local-cache: prices (for up to 10 minutes (its TTL))']);
  });
});

describe('write-behind buffers: requests add, something reads the buffer out and empties it', () => {
  it('counts published then reset, a queue spliced into a batch insert, a Map flushed then cleared: quiet', () => {
    expect(
      stateRules(`${EXPRESS}
declare const pubsub: { publish(channel: string, data: unknown): void };
declare const db: { insertMany(rows: unknown[]): Promise<void>; incrementBy(counts: Map<string, number>): Promise<void> };
const empty = { counters: {} as Record<string, number>, pageViews: 0 };
let local = structuredClone(empty);
const events: unknown[] = [];
const views = new Map<string, number>();
app.get('/p/:id', (req, res) => {
  local.counters[req.params.id] = local.counters[req.params.id] || 0;
  local.counters[req.params.id] += 1;
  local.pageViews += 1;
  events.push({ path: req.path, user: req.query.user });
  views.set(req.params.id, (views.get(req.params.id) ?? 0) + 1);
  res.send('ok');
});
setInterval(() => {
  pubsub.publish('analytics', { local: local });
  local = structuredClone(empty);
}, 10000);
setInterval(async () => {
  const batch = events.splice(0);
  await db.insertMany(batch);
}, 5000);
async function flushViews() {
  await db.incrementBy(new Map(views));
  views.clear();
}
setInterval(flushViews, 60000);
`),
    ).toEqual([]);
  });

  it('still reported: a window reset by a timer (nothing goes on), and one only logged before the reset', () => {
    expect(
      stateRules(`${EXPRESS}
declare const logger: { info(data: unknown): void };
let hits: Record<string, number> = {};
let seen: Record<string, string> = {};
app.post('/login', (req, res) => {
  hits[req.ip] = (hits[req.ip] || 0) + 1;
  seen[req.body.user] = req.ip;
  res.send('ok');
});
app.get('/seen/:user', (req, res) => res.send(seen[req.params.user]));
setInterval(() => {
  logger.info(seen);
  hits = {};
  seen = {};
}, 60000);
`),
    ).toEqual(['no-in-memory-counter: hits', 'no-in-memory-session: seen']);
  });
});

describe('write-behind buffers taken out one entry at a time', () => {
  const STATS = `const pending = {};
let totalClicks = 0;
export function recordClick(code) {
  pending[code] = (pending[code] || 0) + 1;
  totalClicks++;
}
export function getTotal() {
  return totalClicks;
}
export async function flush(pool) {
  const codes = Object.keys(pending);
  for (const code of codes) {
    const n = pending[code];
    delete pending[code];
    await pool.query('UPDATE links SET clicks = clicks + $2 WHERE code = $1', [code, n]);
  }
}
`;
  const APP = `import express from 'express';
import { pool } from './db.js';
import { recordClick, getTotal, flush } from './stats.js';
const app = express();
app.get('/r/:code', (req, res) => {
  recordClick(req.params.code);
  res.redirect('/');
});
app.get('/stats', (req, res) => res.json({ total: getTotal() }));
setInterval(() => {
  flush(pool).catch((err) => console.error('flush failed', err));
}, 30000);
app.listen(3000);
`;
  const findings = (stats: string, typed: boolean): string[] => {
    const files = { 'src/stats.js': stats, 'src/app.js': APP, 'src/db.js': 'export const pool = { query: async () => undefined };\n' };
    const of = typed ? typedFindings : untypedFindings;
    return ['src/stats.js', 'src/app.js'].flatMap((file) => of(files, file).map((finding) => `${file}:${finding}`));
  };
  afterAll(removeAnalysedProjects);

  for (const typed of [false, true]) {
    it(`clicks counted per key and flushed by a timer that takes each key out (\`delete pending[code]\` over its keys) are this instance's share, written once: the buffer and the timer are quiet, the total read on a route is not (${typed ? 'typed' : 'untyped'})`, () => {
      expect(findings(STATS, typed)).toEqual(['src/stats.js:2:5 no-in-memory-counter: `totalClicks` counts in this process; it is changed by GET /r/:code (src/app.js:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.']);
    });

    it(`the look-alike: a sweep that takes out only some keys (\`if (n > 100) delete pending[code]\`) leaves the state a count (${typed ? 'typed' : 'untyped'})`, () => {
      const sweep = STATS.replace('    delete pending[code];\n', '    if (n > 100) delete pending[code];\n');
      expect(findings(sweep, typed)).toContain('src/stats.js:1:7 no-in-memory-counter: `pending` counts in this process; it is changed by GET /r/:code (src/app.js:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.');
    });
  }

  it("a Map's entries taken out in a for…of over it are drained as well (untyped)", () => {
    const map = STATS.replace('const pending = {};', 'const pending = new Map();')
      .replace('pending[code] = (pending[code] || 0) + 1;', 'pending.set(code, (pending.get(code) || 0) + 1);')
      .replace('  const codes = Object.keys(pending);\n  for (const code of codes) {\n    const n = pending[code];\n    delete pending[code];', '  for (const [code, n] of pending) {\n    pending.delete(code);');
    expect(findings(map, false)).toEqual(['src/stats.js:2:5 no-in-memory-counter: `totalClicks` counts in this process; it is changed by GET /r/:code (src/app.js:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.']);
  });

  const MAP_COUNTS = STATS.replace('const pending = {};', 'const pending = new Map();').replace('pending[code] = (pending[code] || 0) + 1;', 'pending.set(code, (pending.get(code) ?? 0) + 1);');
  const TOTAL_ONLY = ['src/stats.js:2:5 no-in-memory-counter: `totalClicks` counts in this process; it is changed by GET /r/:code (src/app.js:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.'];
  const flushedBy = (body: string): string => MAP_COUNTS.replace(/ {2}const codes = Object\.keys\(pending\);\n[\s\S]*?\n {2}\}\n\}\n$/, `${body}\n}\n`);
  for (const typed of [false, true]) {
    it(`a copy of the entries taken before the Map is cleared (\`const batch = [...pending.entries()]; pending.clear()\`) is a flush too; so are a loop that saves each entry before the clear, and the whole Map written as one row (${typed ? 'typed' : 'untyped'})`, () => {
      const snapshot = flushedBy("  const batch = [...pending.entries()];\n  pending.clear();\n  for (const [code, n] of batch) {\n    await pool.query('UPDATE links SET clicks = clicks + $2 WHERE code = $1', [code, n]);\n  }");
      expect(findings(snapshot, typed)).toEqual(TOTAL_ONLY);
      const loop = flushedBy("  for (const [code, n] of pending) {\n    await pool.query('UPDATE links SET clicks = clicks + $2 WHERE code = $1', [code, n]);\n  }\n  pending.clear();");
      expect(findings(loop, typed)).toEqual(TOTAL_ONLY);
      const values = flushedBy("  await pool.query('INSERT INTO click_batches (counts) VALUES ($1)', [Object.fromEntries(pending)]);\n  pending.clear();");
      expect(findings(values, typed)).toEqual(TOTAL_ONLY);
    });

    it(`the look-alike: counts only logged before they are cleared are still the count the requests read (${typed ? 'typed' : 'untyped'})`, () => {
      const logged = flushedBy("  for (const [code, n] of pending) {\n    console.log(code, n);\n  }\n  pending.clear();");
      expect(findings(logged, typed)).toContain('src/stats.js:1:7 no-in-memory-counter: `pending` counts in this process; it is changed by GET /r/:code (src/app.js:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.');
    });
  }
});

describe('leases per key: an entry with an owner and an expiry that refuses everyone else', () => {
  const SEATS = `import express from 'express';
import { db } from './db.js';
const app = express();
const holds = new Map();
function hold(eventId, seat, user) {
  const key = eventId + ':' + seat;
  const current = holds.get(key);
  if (current && current.expires > Date.now() && current.user !== user) return null;
  const entry = { user, expires: Date.now() + 5 * 60000 };
  holds.set(key, entry);
  return entry;
}
app.post('/events/:id/seats/:seat/hold', (req, res) => {
  const entry = hold(req.params.id, req.params.seat, req.get('x-user'));
  if (!entry) return res.status(409).json({ error: 'taken' });
  res.json(entry);
});
app.post('/events/:id/seats/:seat/buy', async (req, res) => {
  const key = req.params.id + ':' + req.params.seat;
  const current = holds.get(key);
  if (!current || current.user !== req.get('x-user')) return res.status(409).json({ error: 'hold expired' });
  await db.query('INSERT INTO tickets (event_id, seat, email) VALUES ($1, $2, $3)', [req.params.id, req.params.seat, current.user]);
  holds.delete(key);
  res.json({ ok: true });
});
app.listen(3000);
`;
  const LEASE = "1 no-in-process-lock: `holds` guards work only within this process; it is taken by POST /events/:id/seats/:seat/hold (src/app.js:13) and 1 other route. A request on another instance does not see it and runs the same work at the same time.".replace('1 ', '4:7 ');
  afterAll(removeAnalysedProjects);

  for (const typed of [false, true]) {
    const findings = (code: string): string[] => (typed ? typedFindings : untypedFindings)({ 'src/app.js': code, 'src/db.js': 'export const db = { query: async (sql, params) => [sql, params] };\n' }, 'src/app.js');
    it(`a seat held during checkout is a lock: another instance hands the same seat to a second buyer (${typed ? 'typed' : 'untyped'})`, () => {
      expect(findings(SEATS)).toEqual([LEASE]);
    });

    it(`the look-alike: an expiring entry no owner is compared with is no lease (left to the other rules: an entry kept for 5 minutes, quiet) (${typed ? 'typed' : 'untyped'})`, () => {
      expect(findings(SEATS.replace(' && current.user !== user', ''))).toEqual([]);
    });
  }
});

describe('write-behind buffers: look-alikes', () => {
  it('still a cache: a copy loaded, handed back to callers and dropped to null by a setter, is no buffer', () => {
    expect(
      stateRules(`${EXPRESS}
declare function loadConfig(): Promise<{ mail: string }>;
let cachedConfig: { mail: string } | null = null;
let cacheExpiration = 0;
async function getConfig() {
  const now = Date.now();
  if (cachedConfig && cacheExpiration > now) return Promise.resolve(cachedConfig);
  const loaded = await loadConfig();
  cachedConfig = loaded;
  cacheExpiration = now + 10 * 60 * 1000;
  return Promise.resolve(cachedConfig);
}
function clearConfigCache() {
  cacheExpiration = 0;
  cachedConfig = null;
}
app.get('/config', async (req, res) => res.json(await getConfig()));
app.post('/config', (req, res) => { clearConfigCache(); res.sendStatus(204); });
`),
    ).toEqual(['no-process-local-cache: cachedConfig (until this process restarts)']);
  });
});

describe('caches the code fills from shared storage', () => {
  it('records a caller loads and passes to a setter, records a store builds from what its caller loaded, and values written through to the database', () => {
    expect(
      stateRules(`${EXPRESS}
declare const Boards: { load(name: string): Promise<object> };
declare const revisions: { getLatest(id: string): Promise<{ content: string }> };
declare const secretsDb: { set(name: string, value: string): { changes: number }; get(name: string): { value: string } | undefined };
declare class LiveNote { constructor(id: string, text: string) }
const loadedBoards = new Map<string, Promise<object>>();
const liveNotes = new Map<string, LiveNote>();
const secrets = new Map<string, string>();
function setLoadedBoard(name: string, board: Promise<object>) { loadedBoards.set(name, board); }
function deleteLoadedBoard(name: string) { loadedBoards.delete(name); }
function getBoard(name: string) {
  const loaded = loadedBoards.get(name);
  if (loaded) return loaded;
  const board = Boards.load(name).then((loaded) => ({ ...loaded, loadedAt: Date.now() }));
  setLoadedBoard(name, board);
  return board;
}
function createLiveNote(id: string, text: string) {
  const note = new LiveNote(id, text);
  liveNotes.set(id, note);
  return note;
}
async function openNote(id: string) {
  const latest = await revisions.getLatest(id);
  return createLiveNote(id, latest.content);
}
const secretsService = {
  get: (name: string) => secrets.get(name) ?? secretsDb.get(name)?.value ?? null,
  set: (name: string, value: string) => {
    const result = secretsDb.set(name, value);
    if (result.changes === 1) secrets.set(name, value);
    return result;
  },
};
app.get('/boards/:name', async (req, res) => res.json(await getBoard(req.params.name)));
app.delete('/boards/:name', (req, res) => { deleteLoadedBoard(req.params.name); res.end(); });
app.get('/notes/:id', async (req, res) => res.json(await openNote(req.params.id)));
app.post('/secrets/:name', (req, res) => res.json(secretsService.set(req.params.name, req.body.value)));
`),
    ).toEqual([
      'no-process-local-cache: loadedBoards (until this process restarts)',
      'no-process-local-cache: liveNotes (until this process restarts)',
      'no-process-local-cache: secrets (until this process restarts)',
    ]);
  });

  it('a sweep every minute of entries older than a minute serves them for up to two minutes: past the 60-second threshold', () => {
    expect(
      stateRules(`${EXPRESS}
declare const R: { getCell(sql: string, args: unknown[]): Promise<string>; exec(sql: string, args: unknown[]): Promise<void> };
class Settings {
  static cacheList: Record<string, { value: unknown; timestamp: number }> = {};
  static cacheCleaner: ReturnType<typeof setInterval> | null = null;
  static async get(key: string) {
    if (!Settings.cacheCleaner) {
      Settings.cacheCleaner = setInterval(() => {
        for (const k in Settings.cacheList) if (Date.now() - Settings.cacheList[k].timestamp > 60 * 1000) delete Settings.cacheList[k];
      }, 60 * 1000);
    }
    if (key in Settings.cacheList) return Settings.cacheList[key].value;
    const raw = await R.getCell('SELECT value FROM setting WHERE key = ?', [key]);
    const value = JSON.parse(raw);
    Settings.cacheList[key] = { value, timestamp: Date.now() };
    return value;
  }
  static async set(key: string, value: unknown) {
    await R.exec('UPDATE setting SET value = ? WHERE key = ?', [JSON.stringify(value), key]);
    delete Settings.cacheList[key];
  }
}
app.get('/settings/:key', async (req, res) => res.json(await Settings.get(req.params.key)));
app.put('/settings/:key', async (req, res) => res.json(await Settings.set(req.params.key, req.body.value)));
`),
    ).toEqual(['no-process-local-cache: cacheList (for up to 2 minutes (its TTL))']);
  });

  it('quiet: a fixed public document fetched and kept, a flag around refreshing it, and a throttle-looking debounce of local work', () => {
    expect(
      stateRules(`${EXPRESS}
import axios from 'axios';
declare const settings: { updateServer: string };
declare const Setting: { set(key: string, value: unknown): Promise<void>; get(key: string): Promise<unknown> };
declare function flushLocalBuffer(): void;
let rdapData: { services: unknown[] } | null = null;
let nextCheck = 0;
let running = false;
let infos: { latestVersion: string } | undefined;
let scheduled = false;
async function getRdapData() {
  if (rdapData && Date.now() < nextCheck) return rdapData;
  if (running) return rdapData;
  try {
    running = true;
    const response = await fetch('https://data.iana.org/rdap/dns.json');
    const data = await response.json();
    rdapData = data;
    nextCheck = Date.now() + 7 * 24 * 60 * 60 * 1000;
    await Setting.set('rdapData', data);
  } catch {
    rdapData = await getOfflineData();
  } finally {
    running = false;
  }
  return rdapData;
}
async function getOfflineData() {
  try {
    return (await Setting.get('rdapData')) as { services: unknown[] };
  } catch {
    return { services: [] };
  }
}
function loadInfos() {
  return axios.get(\`\${settings.updateServer}/info.json\`).then(async (resp) => {
    infos = await resp.data;
    return infos;
  });
}
app.get('/rdap', async (req, res) => res.json(await getRdapData()));
app.get('/version', async (req, res) => res.json(await loadInfos()));
app.post('/log', (req, res) => {
  if (!scheduled) {
    scheduled = true;
    setTimeout(() => { scheduled = false; flushLocalBuffer(); }, 100);
  }
  res.end();
});
`),
    ).toEqual([]);
  });
});

describe('a field replaced by a part of what an awaited load settled with', () => {
  const code = `const express = require('express');
const fs = require('fs');
const app = express();
const settingsModel = { loadAll: async () => ({ server: { signups: true }, email: {} }), save: async (body) => body };
class Database {
  constructor() {
    this.serverSettings = null;
    this.diskUsed = 0;
  }
  async loadData() {
    const loaded = await settingsModel.loadAll();
    this.serverSettings = loaded.server;
    const stats = await fs.promises.stat('/var/data');
    this.diskUsed = stats.size;
  }
}
const database = new Database();
app.post('/settings', async (req, res) => {
  await settingsModel.save(req.body);
  await database.loadData();
  res.json(database.serverSettings);
});
`;
  const expected = [
    'no-process-local-cache 7:10 `serverSettings` caches shared data in this process; it is written by POST /settings (src/app.js:18). When another instance changes that data, this copy stays stale until this process restarts.',
  ];
  it('`const loaded = await settings.loadAll(); this.serverSettings = loaded.server`: a cache of the settings; a size read off a stat of a local folder is not (untyped)', () => {
    expect(stateFindings(jsFindings(code, false))).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(stateFindings(jsFindings(code, true))).toEqual(expected);
  });
});

describe('a cache library wrapped in a class whose setter takes what its caller loaded', () => {
  const code = `const express = require('express');
const { LRUCache } = require('lru-cache');
const app = express();
const db = { users: { findByPk: async (id) => ({ id }) } };
const templates = { compile: (name) => ({ name }) };
class UserCache {
  constructor() { this.cache = new LRUCache({ max: 100 }); }
  get(id) { return this.cache.get(id); }
  set(user) { this.cache.set(user.id, user); }
}
class TemplateCache {
  constructor() { this.cache = new LRUCache({ max: 10 }); }
  set(name, compiled) { this.cache.set(name, compiled); }
}
const userCache = new UserCache();
const templateCache = new TemplateCache();
async function getUser(id) {
  const hit = userCache.get(id);
  if (hit) return hit;
  const user = await db.users.findByPk(id);
  if (user) userCache.set(user);
  return user;
}
function render(name) {
  const compiled = templates.compile(name);
  templateCache.set(name, compiled);
  return compiled;
}
app.get('/users/:id', async (req, res) => res.json(await getUser(req.params.id)));
app.get('/pages/:name', (req, res) => res.json(render(req.params.name)));
`;
  const expected = [
    'no-process-local-cache 7:32 lru-cache `cache` caches shared data in this process; it is filled by GET /users/:id (src/app.js:29). When another instance changes that data, this copy stays stale until it is evicted or this process restarts.',
  ];
  it('`userCache.set(await db.users.findByPk(id))` through `set(user) { this.cache.set(user.id, user) }`: reported; templates compiled here and kept the same way are not (untyped)', () => {
    expect(stateFindings(jsFindings(code, false))).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(stateFindings(jsFindings(code, true))).toEqual(expected);
  });
});

describe('a function picked by a condition (`const count = profiling ? profile(this.count) : this.count`)', () => {
  const code = `const express = require('express');
const app = express();
const db = { count: async (query) => query.length, findAll: async (query) => [query] };
const countCache = new Map();
const labels = new Map();
function profile(fn) {
  return async (...args) => {
    const start = Date.now();
    const result = await fn(...args);
    console.log(Date.now() - start);
    return result;
  };
}
const queries = {
  async countAll(query) {
    const key = JSON.stringify(query);
    if (!countCache.has(key)) countCache.set(key, await db.count(query));
    return countCache.get(key);
  },
  async list(query) {
    const countAll = process.env.PROFILE ? profile(this.countAll) : this.countAll;
    const label = process.env.PROFILE ? 'profiled' : 'plain';
    if (!labels.has(label)) labels.set(label, label.toUpperCase());
    return { rows: await db.findAll(query), count: await countAll(query) };
  },
};
app.get('/items', async (req, res) => res.json(await queries.list(req.query)));
`;
  const expected = [
    'no-process-local-cache 4:7 `countCache` caches shared data in this process; it is written by GET /items (src/app.js:27). When another instance changes that data, this copy stays stale until this process restarts.',
  ];
  it('either branch may run: the cache the plain branch fills is reported; a value picked the same way is no call (untyped)', () => {
    expect(stateFindings(jsFindings(code, false))).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(stateFindings(jsFindings(code, true))).toEqual(expected);
  });
});

describe('locks: throttles', () => {
  it('a flag taken after its check and given back by a timer, around work that sends, throttles per process', () => {
    expect(
      stateRules(`${EXPRESS}
declare const socket: { emit(event: string, payload: object): void };
declare const prisma: { devices: { update(args: object): Promise<{ ward: string }> } };
let isSend = false;
async function deviceEvent(id: string, event: string) {
  const device = await prisma.devices.update({ where: { id }, data: { online: event === 'connected' } });
  if (!isSend) {
    isSend = true;
    socket.emit('send_message', { ward: device.ward, message: event });
    setTimeout(() => {
      isSend = false;
    }, 5000);
  }
  return 'OK';
}
app.post('/devices/:id/event', async (req, res) => res.send(await deviceEvent(req.params.id, req.body.event)));
`),
    ).toEqual(['no-in-process-lock: isSend']);
  });
});

describe('a fill behind a miss on a local read of the entry', () => {
  const code = `const express = require('express');
const app = express();
const db = { findPlan: async (id) => ({ id }) };
const labels = new Map();
const statesByMethod = new Map();
const plans = new Map();
function labelOf(code) {
  let label = labels.get(code);
  if (!label) {
    label = String(code);
    labels.set(code, label);
  }
  return label;
}
function stateOf(method, code) {
  let byCode = statesByMethod.get(method);
  if (!byCode) {
    byCode = new Map();
    statesByMethod.set(method, byCode);
  }
  return { label: labelOf(code), byCode };
}
async function planOf(id) {
  let plan = plans.get(id);
  if (!plan) {
    plan = await db.findPlan(id);
    plans.set(id, plan);
  }
  return plan;
}
app.use((req, res, next) => { res.on('finish', () => { stateOf(req.method, res.statusCode); }); next(); });
app.get('/plans/:id', async (req, res) => res.json(await planOf(req.params.id)));
`;
  const expected = [
    'no-process-local-cache 6:7 `plans` caches shared data in this process; it is written by GET /plans/:id (src/app.js:32). When another instance changes that data, this copy stays stale until this process restarts.',
  ];
  it("`let hit = m.get(k); if (!hit) { hit = …; m.set(k, hit) }` is a cache: of labels computed here, nobody's; of records loaded from the database, reported (untyped)", () => {
    expect(jsFindings(code, false)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(jsFindings(code, true)).toEqual(expected);
  });
});

describe('rate limiters kept per key', () => {
  const code = `const express = require('express');
const rateLimit = require('express-rate-limit');
const { RedisStore } = require('rate-limit-redis');
const app = express();
const redis = { call: async () => null };
const limiters = new Map();
const hits = new Map();
function addLimiter(id, max) {
  if (process.env.MODE === 'queue') limiters.set(id, rateLimit({ windowMs: 60000, max, store: new RedisStore({ sendCommand: (...args) => redis.call(...args) }) }));
  else limiters.set(id, rateLimit({ windowMs: 60000, max }));
}
function addTenantLimiter(id, max) {
  limiters.set('tenant:' + id, rateLimit({ windowMs: 60000, max }));
}
app.put('/flows/:id', (req, res) => { addLimiter(req.params.id, Number(req.body.max)); addTenantLimiter(req.body.tenant, 1000); res.end(); });
app.post('/flows/:id/run', (req, res) => {
  hits.set(req.params.id, { by: req.body.user, at: Date.now() });
  res.end();
});
`;
  const expected = [
    'no-in-memory-session 7:7 `hits` holds application data in this process; it is written by POST /flows/:id/run (src/app.js:16). A second instance will not see it.',
    'no-in-memory-counter 13:32 express-rate-limit counts requests in this process (the default MemoryStore). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
  ];
  it('a map of limiter middlewares belongs to no state rule: where each counts is its own store option, reported at the call that builds it (not in the one-process branch of a mode whose other branch has a Redis store); a map of what requests send stays a session (untyped)', () => {
    expect(jsFindings(code, false)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(jsFindings(code, true)).toEqual(expected);
  });
});

describe('settings checked against each other are no counter', () => {
  const code = `const express = require('express');
const app = express();
let config;
let quota = { used: 0 };
function getConfig(reload) {
  if (config && !reload) return config;
  config = { maxElu: Number(process.env.MAX_ELU), triggerElu: Number(process.env.TRIGGER_ELU) };
  if (config.maxElu <= config.triggerElu) throw new Error('MAX_ELU must be greater than TRIGGER_ELU');
  return config;
}
app.get('/elu', (req, res) => res.json(getConfig(req.query.reload === '1')));
app.post('/work', (req, res) => {
  if (quota.used + 1 > 100) return res.status(429).end();
  quota = { used: quota.used + 1 };
  res.end();
});
`;
  const expected = [
    'no-in-memory-counter 4:5 `quota` counts in this process; it is changed by POST /work (src/app.js:12). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
  ];
  it('two fields of the configuration compared with each other (`config.max <= config.trigger`) are a consistency check, not an amount against a limit; a count compared with a constant stays a counter (untyped)', () => {
    expect(jsFindings(code, false)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(jsFindings(code, true)).toEqual(expected);
  });
});

describe('a cap on what a list keeps is no limit', () => {
  const code = `const express = require('express');
const app = express();
const history = [];
const activity = [];
const attempts = [];
app.post('/messages', (req, res) => {
  history.push({ text: req.body.text, at: Date.now() });
  if (history.length > 100) history.shift();
  res.status(201).end();
});
app.get('/messages', (req, res) => res.json(history));
app.post('/activity', (req, res) => {
  activity.unshift(req.body);
  while (activity.length >= 50) activity.pop();
  res.end();
});
app.post('/try', (req, res) => {
  if (attempts.length >= 10) return res.status(429).end();
  attempts.push(Date.now());
  if (attempts.length > 10) attempts.shift();
  res.end();
});
`;
  const expected = [
    'no-in-memory-session 3:7 `history` holds application data in this process; it is written by POST /messages (src/app.js:6). A second instance will not see it.',
    'no-in-memory-session 4:7 `activity` holds application data in this process; it is written by POST /activity (src/app.js:12). A second instance will not see it.',
    'no-in-memory-counter 5:7 `attempts` counts in this process; it is changed by POST /try (src/app.js:17). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
  ];
  it('`if (log.length > 100) log.shift()` and `while (log.length >= 50) log.pop()` only drop old entries: the lists stay what requests wrote; a length checked before the work is a limit (untyped)', () => {
    expect(jsFindings(code, false)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(jsFindings(code, true)).toEqual(expected);
  });
});

describe('work sent at most once per period', () => {
  const code = `const express = require('express');
const nodemailer = require('nodemailer');
const app = express();
const transport = nodemailer.createTransport({ host: 'smtp.example.test' });
let lastAlertAt = 0;
const sentAt = {};
const lastDigest = new Map();
const lastSeen = {};
let windowStart = Date.now();
let hits = 0;
app.post('/readings', async (req, res) => {
  if (Number(req.body.value) > 300 && Date.now() - lastAlertAt > 30 * 60 * 1000) {
    lastAlertAt = Date.now();
    await transport.sendMail({ to: 'oncall@example.test', subject: 'high reading' });
  }
  const key = req.body.device + ':' + req.body.level;
  if (!sentAt[key] || Date.now() - sentAt[key] > 15 * 60 * 1000) {
    sentAt[key] = Date.now();
    await transport.sendMail({ to: 'oncall@example.test', subject: key });
  }
  res.status(201).end();
});
app.post('/digest/:team', async (req, res) => {
  const now = Date.now();
  if (now - (lastDigest.get(req.params.team) || 0) < 60 * 60 * 1000) return res.status(429).send('already sent');
  lastDigest.set(req.params.team, now);
  await transport.sendMail({ to: req.params.team + '@example.test', subject: 'digest' });
  res.send('sent');
});
app.post('/ping', (req, res) => {
  lastSeen[req.body.user] = Date.now();
  res.end();
});
app.get('/online', (req, res) => res.json(Object.keys(lastSeen).filter((user) => Date.now() - lastSeen[user] < 60000)));
app.get('/limited', (req, res) => {
  if (Date.now() - windowStart > 60000) windowStart = Date.now();
  hits++;
  if (hits > 100) return res.status(429).send('slow down');
  res.send('ok');
});
`;
  const expected = [
    'no-in-process-lock 5:5 `lastAlertAt` guards work only within this process; it is taken by POST /readings (src/app.js:11). A request on another instance does not see it and runs the same work at the same time.',
    'no-in-process-lock 6:7 `sentAt` guards work only within this process; it is taken by POST /readings (src/app.js:11). A request on another instance does not see it and runs the same work at the same time.',
    'no-in-process-lock 7:7 `lastDigest` guards work only within this process; it is taken by POST /digest/:team (src/app.js:23). A request on another instance does not see it and runs the same work at the same time.',
    'no-in-memory-session 8:7 `lastSeen` holds per-user state in this process; it is written by POST /ping (src/app.js:30). A second instance will not see it.',
    'no-in-memory-session 9:5 `windowStart` holds application data in this process; it is written by GET /limited (src/app.js:35). A second instance will not see it.',
    'no-in-memory-counter 10:5 `hits` counts in this process; it is changed by GET /limited (src/app.js:35). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
  ];
  const stateOnly = (findings: string[]): string[] => findings.filter((finding) => !finding.startsWith('no-blocking-request-work'));
  it('a time stamped where an alert or a digest is sent, checked against the clock first, throttles per process: a lock; a last-seen time and a window start are not (untyped)', () => {
    expect(stateOnly(jsFindings(code, false))).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(stateOnly(jsFindings(code, true))).toEqual(expected);
  });
});

describe('a busy flag given back by another method', () => {
  const code = `const express = require('express');
const app = express();
const mailer = { sendMail: async (message) => message };
class Notifier {
  constructor() {
    this.sending = false;
    this.connected = false;
    this.started = false;
  }
  claim() {
    if (this.sending) {
      console.warn('busy');
      return false;
    }
    this.sending = true;
    return true;
  }
  finished() {
    setTimeout(() => {
      this.sending = false;
    }, 1000);
  }
  async notify(event) {
    if (!this.claim()) return;
    await mailer.sendMail({ subject: event });
    this.finished();
  }
  connect() {
    if (!this.connected) this.connected = true;
  }
  disconnect() {
    this.connected = false;
  }
  start() {
    if (this.started) return;
    this.started = true;
  }
  stop() {
    this.started = false;
  }
}
const notifier = new Notifier();
process.on('SIGTERM', () => notifier.stop());
app.post('/events', async (req, res) => {
  notifier.start();
  notifier.connect();
  await notifier.notify(req.body.event);
  res.end();
});
app.post('/disconnect', (req, res) => {
  notifier.disconnect();
  res.end();
});
`;
  const expected = [
    'no-in-process-lock 6:10 `sending` guards work only within this process; it is taken by POST /events (src/app.js:44). A request on another instance does not see it and runs the same work at the same time.',
  ];
  it('`if (this.sending) return; this.sending = true` in one method, `this.sending = false` in the one the work calls when done: a lock; a flag set without an exit on it, or given back only at shutdown, is not (untyped)', () => {
    expect(stateFindings(jsFindings(code, false))).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(stateFindings(jsFindings(code, true))).toEqual(expected);
  });
});

describe('locks around nothing another instance shares', () => {
  const code = `const express = require('express');
const { Mutex } = require('async-mutex');
const { getHeapSnapshot } = require('node:v8');
const app = express();
const renderMutex = new Mutex();
const walletMutex = new Mutex();
const transferMutex = new Mutex();
let capturing = false;
let exporting = false;
function transform(body, options) { return options.format(body); }
async function applyTransfer(body) { return body; }
function exportAll(body, done) { setImmediate(done); }
const wallets = { update: async (id, amount) => amount };
app.post('/render', async (req, res) => {
  const release = await renderMutex.acquire();
  let out;
  try { out = transform(req.body, { format: (...args) => JSON.stringify(...args) }); } finally { release(); }
  res.json(out);
});
app.post('/wallets/:id', async (req, res) => {
  const release = await walletMutex.acquire();
  try { await wallets.update(req.params.id, req.body.amount); } finally { release(); }
  res.end();
});
app.post('/transfers', async (req, res) => {
  res.json(await transferMutex.runExclusive(() => applyTransfer(req.body)));
});
app.get('/debug/heap', (req, res) => {
  if (capturing) return res.status(409).end();
  capturing = true;
  const stream = getHeapSnapshot();
  const stop = () => stream.destroy();
  req.once('aborted', stop);
  stream.once('close', () => { capturing = false; req.removeListener('aborted', stop); });
  stream.pipe(res);
});
app.post('/export', (req, res) => {
  if (exporting) return res.status(409).end();
  exporting = true;
  exportAll(req.body, () => { exporting = false; });
  res.status(202).end();
});
`;
  const expected = [
    'no-in-process-lock 6:21 async-mutex `walletMutex` excludes only callers in this process; it is used by POST /wallets/:id (src/app.js:20). A request on another instance runs the guarded work at the same time.',
    'no-in-process-lock 7:23 async-mutex `transferMutex` excludes only callers in this process; it is used by POST /transfers (src/app.js:25). A request on another instance runs the guarded work at the same time.',
    'no-in-process-lock 9:5 `exporting` guards work only within this process; it is taken by POST /export (src/app.js:37). A request on another instance does not see it and runs the same work at the same time.',
  ];
  it('quiet: a mutex taken and released around synchronous work in one function, and a flag around a heap snapshot of this process; reported: awaited writes, work a lock callback returns, and a flag given back by a callback (untyped)', () => {
    expect(jsFindings(code, false).filter((finding) => finding.startsWith('no-in-process-lock'))).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(jsFindings(code, true).filter((finding) => finding.startsWith('no-in-process-lock'))).toEqual(expected);
  });
});

describe("Nest's CacheModule with its default in-memory store", () => {
  const gateway = (imports: string, register: string) => `${NEST}${imports}
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
declare const maps: { find(id: string): Promise<object> };
@WebSocketGateway()
export class MapsGateway {
  constructor(@Inject(CACHE_MANAGER) private cacheManager: { get(key: string): Promise<unknown>; set(key: string, value: unknown, ttl?: number): Promise<void> }) {}
  @SubscribeMessage('join')
  async join(client: { id: string }, mapId: string) {
    const clients = (await this.cacheManager.get(mapId)) || {};
    await this.cacheManager.set(mapId, { ...clients, [client.id]: await maps.find(mapId) }, 86_400_000);
  }
}
@Module({ imports: [${register}], providers: [MapsGateway] })
export class MapModule {}
`;

  it('reports the registration the request-path sets fill, with their TTL', () => {
    expect(stateRules(gateway(`import { CacheModule } from '@nestjs/cache-manager';`, 'CacheModule.register()'))).toEqual(['no-process-local-cache: CacheModule (for up to 1 day (its TTL))']);
  });

  it('refuses the quick-fix with the reason when no cache-manager can be read (fixes/nest-cache-fixes.test.ts moves a cache-manager 5 store)', () => {
    const fileName = '/project/src/map.module.ts';
    const program = createProgram({ [fileName]: gateway(`import { CacheModule } from '@nestjs/cache-manager';`, 'CacheModule.register()') });
    const sourceFile = program.getSourceFile(fileName)!;
    const [finding] = analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-process-local-cache'] });
    expect(finding.messageId).toBe('cacheLibraryInMemory');
    expect(planFixes(sourceFile, finding, { program, projectRoot: '/project' })).toEqual({
      plans: [],
      refused: {
        title: 'Move `CacheModule` to the Redis cache',
        reason:
          'the fix cannot read which cache-manager the project has: give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: () => ({ stores: [new KeyvRedis(process.env.REDIS_URL)] }) })`, KeyvRedis from @keyv/redis) with cache-manager 6, or give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL }) }) })`, redisStore from cache-manager-redis-yet) with cache-manager 5, so every instance reads one cache',
      },
    });
  });

  const keyvImports = `import { CacheModule } from '@nestjs/cache-manager';
import KeyvRedis, { createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import { CacheableMemory } from 'cacheable';`;
  const memoryOrRedis = `CacheModule.registerAsync({
  useFactory: async () => ({
    stores: [process.env.CACHE_REDIS_URL ? new KeyvRedis(process.env.CACHE_REDIS_URL) : new Keyv({ store: new CacheableMemory({ lruSize: 500 }) })],
  }),
})`;

  it("reports a cache-manager 6 stores list whose only store is Keyv over memory unless Redis is configured, and an empty list (the default store)", () => {
    expect(stateRules(gateway(keyvImports, memoryOrRedis))).toEqual(['no-process-local-cache: CacheModule (for up to 1 day (its TTL))']);
    expect(stateRules(gateway(keyvImports, 'CacheModule.register({ stores: [] })'))).toEqual(['no-process-local-cache: CacheModule (for up to 1 day (its TTL))']);
    expect(stateRules(gateway(keyvImports, 'CacheModule.register({ stores: [new Keyv()] })'))).toEqual(['no-process-local-cache: CacheModule (for up to 1 day (its TTL))']);
  });

  it('typed: the same memory-or-Redis list, reported at the registration', () => {
    const fileName = '/project/src/map.module.ts';
    const program = createProgram({ [fileName]: gateway(keyvImports, memoryOrRedis) });
    const sourceFile = program.getSourceFile(fileName)!;
    const findings = analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-process-local-cache'] });
    expect(findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1} ${finding.data.name}`)).toEqual(['no-process-local-cache 18 CacheModule']);
  });

  it('quiet: a stores list of Redis only, or with Redis as a second tier behind memory', () => {
    expect(stateRules(gateway(keyvImports, 'CacheModule.registerAsync({ useFactory: () => ({ stores: [new KeyvRedis(process.env.REDIS_URL)] }) })'))).toEqual([]);
    expect(stateRules(gateway(keyvImports, 'CacheModule.registerAsync({ useFactory: () => ({ ttl: 60_000, stores: [createKeyv(process.env.REDIS_URL)] }) })'))).toEqual([]);
    expect(stateRules(gateway(keyvImports, 'CacheModule.register({ stores: [new Keyv({ store: new CacheableMemory({ lruSize: 100 }) }), createKeyv(process.env.REDIS_URL)] })'))).toEqual([]);
  });

  it('quiet: a Redis store, a factory that picks stores, and options it cannot see', () => {
    const stores = `import { CacheModule } from '@nestjs/cache-manager';\ndeclare const redisStore: object;\ndeclare const options: object;`;
    expect(stateRules(gateway(stores, 'CacheModule.register({ store: redisStore })'))).toEqual([]);
    expect(stateRules(gateway(stores, 'CacheModule.registerAsync({ useFactory: () => ({ stores: [redisStore] }) })'))).toEqual([]);
    expect(stateRules(gateway(stores, 'CacheModule.registerAsync({ useFactory: makeOptions })'))).toEqual([]);
  });
});

describe('quick-fixes of the newly classified shapes', () => {
  it('a record of counts counted through a local read of the entry: no counter, the records move whole, each change written back', () => {
    const fileName = '/project/src/app.ts';
    const program = createProgram({
      [fileName]: `import express from 'express';
import { users } from './users';
export const app = express();
const loginAttempts: Record<string, { attempts: number; lockedUntil: number | null }> = {};
app.post('/login', async (req, res) => {
  const username = String(req.body.username);
  const user = await users.check(username, String(req.body.password));
  if (!user) {
    if (!loginAttempts[username]) loginAttempts[username] = { attempts: 0, lockedUntil: null };
    const attempt = loginAttempts[username];
    attempt.attempts++;
    if (attempt.attempts >= 5) attempt.lockedUntil = Date.now() + 60000;
    return res.sendStatus(401);
  }
  delete loginAttempts[username];
  res.json(user);
});
`,
      '/project/src/users.ts': 'export const users = { async check(name: string, password: string): Promise<object | undefined> { return name === password ? {} : undefined; } };\n',
    });
    const sourceFile = program.getSourceFile(fileName)!;
    const [finding] = analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-in-memory-counter', 'no-in-process-lock'] });
    expect(finding.message).toBe('`loginAttempts` counts in this process; it is changed by POST /login (src/app.ts:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.');
    // (Where the record read back may be undefined, as here under strict TypeScript, the fix's own type check then refuses it.)
    const planned = planFixes(sourceFile, finding, { program, projectRoot: '/project' });
    expect(planned.refused).toBeUndefined();
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Keep the records of `loginAttempts` in Redis, each read and written back whole as the code does (src/scaling/session-store.ts); two changes of one record at the same moment keep only the later']);
  });

  it('refuses, with the reason, a counter that is a log of entries or a record with a date, and a throttle released by a timer', () => {
    const files = {
      '/project/src/ai.ts': `import { Controller, Injectable, Post } from '@nestjs/common';
declare function complete(prompt: string): Promise<{ text: string; tokens: number }>;
@Injectable()
export class AiService {
  private used: { time: number; count: number }[] = [];
  private daily = { count: 0, date: '' };
  async generate(prompt: string) {
    const now = Date.now();
    this.used = this.used.filter((entry) => entry.time > now - 60_000);
    const tokens = this.used.reduce((sum, entry) => sum + entry.count, 0);
    if (tokens + prompt.length > 10_000) throw new Error('tokens');
    if (this.daily.count + prompt.length > 100_000) throw new Error('daily');
    const { text, tokens: spent } = await complete(prompt);
    this.used = [...this.used, { time: now, count: spent }];
    this.daily = { ...this.daily, count: this.daily.count + spent };
    return text;
  }
}
@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}
  @Post() generate() { return this.ai.generate('x'); }
}
`,
      '/project/src/notify.ts': `import express from 'express';
const app = express();
declare const socket: { emit(event: string, payload: object): void };
declare const prisma: { devices: { update(args: object): Promise<{ ward: string }> } };
let isSend = false;
async function deviceEvent(id: string, event: string) {
  const device = await prisma.devices.update({ where: { id }, data: { online: event === 'connected' } });
  if (!isSend) {
    isSend = true;
    socket.emit('send_message', { ward: device.ward, message: event });
    setTimeout(() => {
      isSend = false;
    }, 5000);
  }
  return 'OK';
}
app.post('/devices/:id/event', async (req, res) => res.send(await deviceEvent(req.params.id, req.body.event)));
`,
    };
    const program = createProgram(files);
    const refusals = Object.keys(files).flatMap((name) => {
      const sourceFile = program.getSourceFile(name)!;
      return analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-in-memory-counter', 'no-in-process-lock'] }).map((finding) => {
        const planned = planFixes(sourceFile, finding, { program, projectRoot: '/project' });
        return [finding.ruleId, finding.data.name, planned.plans.length, planned.refused?.reason];
      });
    });
    expect(refusals).toEqual([
      ['no-in-memory-counter', 'used', 0, '`used` is a list the fix can only move from a variable of its own (`const used = []`)'],
      ['no-in-memory-counter', 'daily', 0, '`this.daily = { ...this.daily, count: this.daily.count + spent }` (src/ai.ts:15) uses the record `daily` whole, and its counts live in Redis one by one'],
      ['no-in-process-lock', 'isSend', 0, '`isSend` is not checked, taken and released in one function'],
    ]);
  });
});

describe('objects a singleton creates in its constructor', () => {
  const app = (serverCreation: string) => `const express = require('express');
const crypto = require('crypto');

class OidcStrategy {
  constructor() {
    this.pending = new Map();
  }

  start(req) {
    const state = crypto.randomUUID();
    this.pending.set(state, req.query.redirect_uri);
    return state;
  }
}

class Visit {
  constructor() {
    this.paths = [];
  }

  mark(path) {
    this.paths.push(path);
  }
}

class Server {
  constructor() {
    this.oidc = new OidcStrategy();
    this.app = express();
  }

  routes() {
    this.app.get('/auth/openid', (req, res) => {
      const visit = new Visit();
      visit.mark(req.path);
      res.redirect(this.oidc.start(req));
    });
  }
}
${serverCreation}`;

  for (const typed of [false, true]) {
    it(`${typed ? 'typed' : 'untyped'}: the field a once-made server gives \`new OidcStrategy()\` is one strategy per process, so its map of login states is; an object made per request is not`, () => {
      expect(jsFindings(app('const server = new Server();\nserver.routes();\nserver.app.listen(3000);\n'), typed)).toEqual([
        'no-in-memory-session 6:10 `pending` holds per-user state in this process; it is written by GET /auth/openid (src/app.js:33). A second instance will not see it.',
      ]);
    });

    it(`${typed ? 'typed' : 'untyped'}: a server class made per call (a factory) makes its strategy per call too: nothing is shared`, () => {
      expect(jsFindings(app('function createServer() {\n  const server = new Server();\n  server.routes();\n  return server.app;\n}\nmodule.exports = createServer;\n'), typed)).toEqual([]);
    });
  }
});

describe('a map of abort controllers keyed by the id of the work they cancel', () => {
  const searches = (value: string) => `const express = require('express');
const app = express();
const finder = require('./finder');

class CoverSearchManager {
  constructor() {
    this.activeSearches = new Map();
  }
  async startSearch(requestId, title, onResult) {
    if (this.activeSearches.has(requestId)) return;
    const controller = new AbortController();
    this.activeSearches.set(requestId, ${value});
    try {
      onResult(await finder.search(title, controller.signal));
    } finally {
      this.activeSearches.delete(requestId);
    }
  }
  cancelSearch(requestId) {
    const controller = this.activeSearches.get(requestId);
    if (controller) controller.abort();
  }
}
const manager = new CoverSearchManager();
app.post('/covers/search/:requestId', async (req, res) => {
  await manager.startSearch(req.params.requestId, req.body.title, (covers) => res.json(covers));
});
app.delete('/covers/search/:requestId', (req, res) => {
  manager.cancelSearch(req.params.requestId);
  res.end();
});
`;

  for (const typed of [false, true]) {
    it(`${typed ? 'typed' : 'untyped'}: a second start refused while this process's controller is kept is no lock; the same guard keeping \`true\` is one`, () => {
      expect(stateFindings(jsFindings(searches('controller'), typed))).toEqual([]);
      expect(stateFindings(jsFindings(searches('true'), typed))).toEqual([
        'no-in-process-lock 7:10 `activeSearches` guards work only within this process; it is taken by POST /covers/search/:requestId (src/app.js:25). A request on another instance does not see it and runs the same work at the same time.',
      ]);
    });
  }
});

describe("a field holding the abort controller of this process's one running job", () => {
  // A job class keeps its run's controller in a field to cancel it with, and lets go of it when the
  // run ends; the guard against a second run reads the database, and a stop route aborts the field.
  const job = (value: string) => `const express = require('express');
const app = express();
const jobs = require('./jobs');

class ImportJob {
  constructor() {
    this.controller = undefined;
  }
  async execute(handed) {
    if (await jobs.isRunning('import')) return;
    this.controller = ${value};
    await jobs.setRunning('import');
    try {
      await jobs.importAll(this.controller.signal);
    } finally {
      this.controller = undefined;
      await jobs.clearRunning('import');
    }
  }
  stop() {
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
`;

  for (const typed of [false, true]) {
    it(`${typed ? 'typed' : 'untyped'}: the run's controller (its own, or the one it was handed) is no lock; a busy flag kept in the same field is one`, () => {
      expect(stateFindings(jsFindings(job('new AbortController()'), typed))).toEqual([]);
      expect(stateFindings(jsFindings(job('handed || new AbortController()'), typed))).toEqual([]);
      expect(stateFindings(jsFindings(job('true'), typed))).toEqual([
        'no-in-process-lock 7:10 `controller` guards work only within this process; it is taken by POST /imports/run (src/app.js:26). A request on another instance does not see it and runs the same work at the same time.',
      ]);
    });
  }
});

describe('a field given a singleton manager by its accessor', () => {
  const stripe = (value: string) => `${EXPRESS}
declare const UsageCacheManager: { getInstance(): Promise<{ quotas(id: string): Promise<object> }> };
declare const db: { usage: { find(id: string): Promise<{ quotas(id: string): Promise<object> }> } };
class StripeManager {
  private usage: { quotas(id: string): Promise<object> } | undefined;
  async quotas(id: string) {
    this.usage = ${value};
    return this.usage.quotas(id);
  }
}
const stripe = new StripeManager();
app.get('/quotas/:id', async (req, res) => res.json(await stripe.quotas(req.params.id)));
`;

  it('`this.usage = await UsageCacheManager.getInstance()` holds a manager of this process, not data; a row loaded the same way is a cache', () => {
    expect(stateRules(stripe('await UsageCacheManager.getInstance()'))).toEqual([]);
    expect(stateRules(stripe('await db.usage.find(id)'))).toEqual(['no-process-local-cache: usage (until this process restarts)']);
  });
});

describe('a TTL cache library nothing in its file invalidates', () => {
  const settings = (declaration: string) => `${EXPRESS}
import NodeCache from 'node-cache';
declare function loadSettings(id: string): Promise<object>;
${declaration}
app.get('/tenants/:id/settings', async (req, res) => {
  const cached = settingsCache.get(req.params.id);
  if (cached) return res.json(cached);
  const settings = await loadSettings(req.params.id);
  settingsCache.set(req.params.id, settings);
  res.json(settings);
});
`;

  it('untyped, is quiet when the file keeps it to itself; exported, another file may delete from it, so it stays reported', () => {
    expect(stateRules(settings('const settingsCache = new NodeCache({ stdTTL: 600 });'))).toEqual([]);
    expect(stateRules(settings('export const settingsCache = new NodeCache({ stdTTL: 600 });'))).toEqual(['no-process-local-cache: settingsCache (for up to 10 minutes (its TTL))']);
    expect(stateRules(settings('const settingsCache = new NodeCache({ stdTTL: 600 });\nmodule.exports = { settingsCache };'), '/project/src/app.js')).toEqual([
      'no-process-local-cache: settingsCache (for up to 10 minutes (its TTL))',
    ]);
  });
});

describe('a field declared without a value and given one by the constructor', () => {
  const files = {
    'src/app.ts': `${NEST}import { Mutex, type MutexInterface } from 'async-mutex';
declare const db: { auctions: { findOne(id: number): Promise<{ price: number }>; update(id: number, price: number): Promise<void> }; users: { findOne(id: string): Promise<{ id: string; name: string }>; update(id: string, name: string): Promise<void> } };
declare function connect(url: string): { get(key: string): Promise<string | null> };
interface Entry { lastUsed: number; mutex: MutexInterface }
@Injectable()
export class AuctionLocks {
  private locks: Map<number, Entry>;
  private formats: Map<string, Intl.NumberFormat>;
  private readonly redis: { get(key: string): Promise<string | null> };
  constructor() {
    this.locks = new Map();
    this.formats = new Map();
    this.redis = connect('redis://cache:6379');
  }
  async lock(id: number) {
    if (!this.locks.has(id)) this.locks.set(id, { lastUsed: Date.now(), mutex: new Mutex() });
    return this.locks.get(id)!.mutex.acquire();
  }
  format(locale: string, amount: number) {
    if (!this.formats.has(locale)) this.formats.set(locale, new Intl.NumberFormat(locale));
    return this.formats.get(locale)!.format(amount);
  }
}
@Injectable()
export class Users {
  private byId!: Map<string, { id: string; name: string }>;
  constructor() {
    this.byId = new Map();
  }
  async get(id: string) {
    if (!this.byId.has(id)) this.byId.set(id, await db.users.findOne(id));
    return this.byId.get(id);
  }
  async rename(id: string, name: string) {
    await db.users.update(id, name);
    this.byId.delete(id);
  }
}
@Controller('auctions')
export class AuctionController {
  constructor(private readonly locks: AuctionLocks, private readonly users: Users) {}
  @Post(':id/bids')
  async bid(@Body() body: { id: number; amount: number; user: string }) {
    const release = await this.locks.lock(body.id);
    try {
      const auction = await db.auctions.findOne(body.id);
      if (body.amount > auction.price) await db.auctions.update(body.id, body.amount);
    } finally {
      release();
    }
    const bidder = await this.users.get(body.user);
    return this.locks.format('en', body.amount) + bidder?.name;
  }
  @Post('users/:id')
  async rename(@Body() body: { id: string; name: string }) {
    await this.users.rename(body.id, body.name);
  }
}
`,
  };
  const expected = [
    '8:11 no-in-process-lock: `locks` guards work only within this process; it is taken by POST /auctions/:id/bids (AuctionController.bid, src/app.ts:43). A request on another instance does not see it and runs the same work at the same time.',
    '27:11 no-process-local-cache: `byId` caches shared data in this process; it is written by POST /auctions/:id/bids (AuctionController.bid, src/app.ts:43) and 1 other route. When another instance changes that data, this copy stays stale until this process restarts.',
  ];
  it('`private locks: Map<…>;` then `this.locks = new Map()` in the constructor is the same state as a field initialised where it is declared: mutexes per key are a lock, loaded users a cache; number formats and a client are quiet (untyped)', () => {
    expect(untypedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(typedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
});

describe('a hand-written TTL cache whose setter takes the TTL as a defaulted parameter', () => {
  const files = {
    'src/app.ts': `import express from 'express';
declare const github: { listRepos(token: string): Promise<string[]>; getUser(id: string): Promise<{ id: string; name: string }>; rename(id: string, name: string): Promise<void> };
const FIVE_MINUTES = 5 * 60 * 1000;
const listingCache = new Map<string, { value: unknown; expires: number }>();
const profileCache = new Map<string, { value: unknown; expires: number }>();
function sweep(): void {
  const now = Date.now();
  listingCache.forEach((entry, key) => {
    if (now > entry.expires) listingCache.delete(key);
  });
}
function getListing<T>(key: string): T | null {
  const entry = listingCache.get(key);
  if (!entry) return null;
  if (Date.now() > entry.expires) {
    listingCache.delete(key);
    return null;
  }
  return entry.value as T;
}
function setListing(key: string, value: unknown, ttl = FIVE_MINUTES): void {
  if (listingCache.size >= 200) sweep();
  if (listingCache.size >= 200) {
    const oldest = listingCache.keys().next().value;
    if (oldest) listingCache.delete(oldest);
  }
  listingCache.set(key, { value, expires: Date.now() + ttl });
}
function setProfile(id: string, value: unknown, ttl = FIVE_MINUTES): void {
  profileCache.set(id, { value, expires: Date.now() + ttl });
}
const app = express();
app.get('/repos', async (req, res) => {
  const token = String(req.headers.authorization);
  const hit = getListing<string[]>(token);
  if (hit) return res.json(hit);
  const repos = await github.listRepos(token);
  setListing(token, repos);
  res.json(repos);
});
app.get('/users/:id', async (req, res) => {
  const hit = profileCache.get(req.params.id);
  if (hit && Date.now() < hit.expires) return res.json(hit.value);
  const user = await github.getUser(req.params.id);
  setProfile(req.params.id, user);
  res.json(user);
});
app.put('/users/:id', async (req, res) => {
  await github.rename(req.params.id, req.body.name);
  profileCache.delete(req.params.id);
  res.end();
});
`,
  };
  const expected = [
    '5:7 no-process-local-cache: `profileCache` caches shared data in this process; it is written by GET /users/:id (src/app.ts:41) and 1 other route. When another instance changes that data, this copy stays stale for up to 5 minutes (its TTL).',
  ];
  it('`ttl = FIVE_MINUTES` in the setter is the TTL; entries dropped when the clock passes their `expires`, or the oldest dropped when the map is full, only expire: quiet; a delete when the record changes is reported (untyped)', () => {
    expect(untypedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(typedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
});

describe('a memo class whose TTL is a constructor parameter with a default', () => {
  const memo = (name: string, seconds: number): string => `export class ${name}<T> {
  private store: Map<string, { expires: number; obj: T }>;
  private ttl: number;
  constructor(private load: (key: string) => Promise<T>, ttl: number = ${seconds}) {
    this.store = new Map();
    this.ttl = ttl * 1000;
  }
  async get(key: string): Promise<T> {
    const existing = this.store.get(key);
    if (existing && existing.expires > Date.now()) return existing.obj;
    const obj = await this.load(key);
    this.store.set(key, { expires: Date.now() + this.ttl, obj });
    return obj;
  }
  forget(key: string): void {
    this.store.delete(key);
  }
}
`;
  const files = {
    'src/short-memo.ts': memo('ShortMemo', 30),
    'src/long-memo.ts': memo('LongMemo', 600),
    'src/app.ts': `import express from 'express';
import { ShortMemo } from './short-memo';
import { LongMemo } from './long-memo';
declare const db: { connections: { findOne(id: string): Promise<{ id: string }>; update(id: string, body: unknown): Promise<void> } };
const connections = new ShortMemo((id) => db.connections.findOne(id));
const teams = new LongMemo((id) => db.connections.findOne(id));
const app = express();
app.get('/sso/:id', async (req, res) => { res.json(await connections.get(req.params.id)); });
app.get('/teams/:id', async (req, res) => { res.json(await teams.get(req.params.id)); });
app.put('/sso/:id', async (req, res) => {
  await db.connections.update(req.params.id, req.body);
  connections.forget(req.params.id);
  teams.forget(req.params.id);
  res.end();
});
`,
  };
  const expected = [
    '2:11 no-process-local-cache: `store` caches shared data in this process; it is written by GET /teams/:id (src/app.ts:9) and 1 other route. When another instance changes that data, this copy stays stale for up to 10 minutes (its TTL).',
  ];
  it('`this.ttl = ttl * 1000` with `ttl = 30` is a 30-second TTL: quiet; the same class defaulting to 600 and dropping entries on a write is reported with its TTL (untyped)', () => {
    expect([...untypedFindings(files, 'src/short-memo.ts', STATE_RULES), ...untypedFindings(files, 'src/long-memo.ts', STATE_RULES)]).toEqual(expected);
  });
  it('the same, typed', () => {
    expect([...typedFindings(files, 'src/short-memo.ts', STATE_RULES), ...typedFindings(files, 'src/long-memo.ts', STATE_RULES)]).toEqual(expected);
  });
});

describe('clients, drivers and pools kept per key', () => {
  const files = {
    'src/app.ts': `import express from 'express';
import { Pool } from 'pg';
import nodemailer from 'nodemailer';
declare function loadStorageDriver(config: { type: string }): Promise<{ read(id: string): Promise<Buffer> }>;
declare const db: { users: { findOne(id: string): Promise<{ id: string }> } };
const storage = { type: process.env.STORAGE ?? 'fs' };
const drivers = new Map<object, { read(id: string): Promise<Buffer> }>();
const pools: Record<string, Pool> = {};
const mailers = new Map<string, ReturnType<typeof nodemailer.createTransport>>();
const users = new Map<string, { id: string }>();
async function driverFor(config: { type: string }) {
  let driver = drivers.get(config);
  if (!driver) {
    driver = await loadStorageDriver(config);
    drivers.set(config, driver);
  }
  return driver;
}
function poolFor(tenant: string) {
  if (!pools[tenant]) pools[tenant] = new Pool({ database: tenant });
  return pools[tenant];
}
const app = express();
app.get('/files/:id', async (req, res) => {
  const driver = await driverFor(storage);
  res.send(await driver.read(req.params.id));
});
app.get('/:tenant/orders', async (req, res) => {
  res.json((await poolFor(req.params.tenant).query('select * from orders')).rows);
});
app.post('/:tenant/smtp', (req, res) => {
  mailers.set(req.params.tenant, nodemailer.createTransport(req.body.smtp));
  res.end();
});
app.get('/users/:id', async (req, res) => {
  if (!users.has(req.params.id)) users.set(req.params.id, await db.users.findOne(req.params.id));
  res.json(users.get(req.params.id));
});
app.delete('/users/:id', (req, res) => {
  users.delete(req.params.id);
  res.end();
});
`,
  };
  const expected = [
    '9:7 no-in-memory-session: `mailers` holds application data in this process; it is written by POST /:tenant/smtp (src/app.ts:31). A second instance will not see it.',
    '10:7 no-process-local-cache: `users` caches shared data in this process; it is written by GET /users/:id (src/app.ts:35) and 1 other route. When another instance changes that data, this copy stays stale until this process restarts.',
  ];
  it('a storage driver loaded per configuration and a pg pool per tenant are handles to shared systems, not their data: quiet; a transport built from what a request sent, and users loaded per id, stay reported (untyped)', () => {
    expect(untypedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(typedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
});

describe('instances kept per key by a static getInstance', () => {
  const files = {
    'src/app.ts': `import express from 'express';
declare const db: { flows: { findOne(id: string): Promise<{ id: string; analytics: string }> } };
declare function fetchTracer(config: string, step: string): Promise<object>;
export class ChatTracer {
  private static tracers: Map<string, ChatTracer> = new Map();
  private spans: Record<string, object> = {};
  private constructor(private readonly config: string) {}
  static getInstance(chatId: string, config: string): ChatTracer {
    if (!ChatTracer.tracers.has(chatId)) ChatTracer.tracers.set(chatId, new ChatTracer(config));
    return ChatTracer.tracers.get(chatId)!;
  }
  async start(step: string) {
    this.spans[step] = await fetchTracer(this.config, step);
  }
}
export class ChatMeter {
  private static meters: Record<string, ChatMeter> = {};
  private marks: Record<string, object> = {};
  private constructor(private readonly config: string) {}
  static getInstance(chatId: string, config: string): ChatMeter {
    if (!ChatMeter.meters[chatId]) ChatMeter.meters[chatId] = new ChatMeter(config);
    return ChatMeter.meters[chatId];
  }
  async start(step: string) {
    this.marks[step] = await fetchTracer(this.config, step);
  }
}
export class FlowCache {
  private static instance: FlowCache;
  private flows: Record<string, { id: string; analytics: string }> = {};
  static getInstance(): FlowCache {
    if (!FlowCache.instance) FlowCache.instance = new FlowCache();
    return FlowCache.instance;
  }
  async get(id: string) {
    if (!this.flows[id]) this.flows[id] = await db.flows.findOne(id);
    return this.flows[id];
  }
}
const app = express();
app.post('/chats/:chatId/:flowId', async (req, res) => {
  const flow = await FlowCache.getInstance().get(req.params.flowId);
  await ChatTracer.getInstance(req.params.chatId, process.env.TRACER ?? 'console').start('predict');
  await ChatMeter.getInstance(req.params.chatId, process.env.METER ?? 'console').start('predict');
  res.json(flow);
});
`,
  };
  const expected = [
    '30:11 no-process-local-cache: `flows` caches shared data in this process; it is written by POST /chats/:chatId/:flowId (src/app.ts:41). When another instance changes that data, this copy stays stale until this process restarts.',
  ];
  // Typed only: untyped resolution does not follow the instance a getInstance call returns, so it never reaches `start`.
  it("typed: a class whose getInstance(chatId) keeps one instance per chat (`tracers.set(chatId, new ChatTracer(…))`, `meters[chatId] = new ChatMeter(…)`) keeps that chat's fields, not the process's: quiet; a getInstance() singleton's cache of loaded flows is reported", () => {
    expect(typedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
});

describe('entries keyed by an id the code mints when the client sent none', () => {
  const files = {
    'src/app.ts': `import express from 'express';
import { randomUUID } from 'node:crypto';
declare const s3: { send(command: object): Promise<{ UploadId?: string; ETag?: string }> };
declare const db: { files: { findOne(id: string): Promise<{ id: string; key: string }> } };
class ChunkedUploads {
  private uploads: Record<string, { uploadId: string; parts: { ETag?: string; PartNumber: number }[] }> = {};
  private getClient() {
    return s3;
  }
  async create(data: string, chunk: { index: number; total: number }, file: { id?: string; name: string }) {
    if (!file.id) file.id = randomUUID();
    const client = this.getClient();
    try {
      if (chunk.index === 0) {
        const response = await client.send({ command: 'CreateMultipartUpload', key: file.name });
        const uploadId = response.UploadId;
        if (!uploadId) throw new Error('no upload id');
        this.uploads[file.id] = { uploadId, parts: [] };
      }
      const upload = this.uploads[file.id];
      if (!upload) throw new Error('upload session not found');
      const part = await client.send({ command: 'UploadPart', uploadId: upload.uploadId, body: data });
      upload.parts.push({ ETag: part.ETag, PartNumber: chunk.index + 1 });
      if (chunk.index === chunk.total - 1) {
        await client.send({ command: 'CompleteMultipartUpload', uploadId: upload.uploadId, parts: upload.parts });
        delete this.uploads[file.id];
      }
    } catch (error) {
      delete this.uploads[file.id];
      throw error;
    }
    return file.id;
  }
}
const uploads = new ChunkedUploads();
const records: Record<string, { id: string; key: string }> = {};
const app = express();
app.post('/uploads', async (req, res) => {
  const id = await uploads.create(req.body.data, { index: Number(req.query.index), total: Number(req.query.total) }, { id: req.query.id as string | undefined, name: String(req.query.name) });
  res.json({ id });
});
app.get('/files/:id', async (req, res) => {
  const record = await db.files.findOne(req.params.id);
  if (!records[record.id]) records[record.id] = record;
  res.json(records[record.id]);
});
`,
  };
  const expected = [
    '6:11 no-in-memory-session: `uploads` holds per-user state in this process; it is written by POST /uploads (src/app.ts:38). A second instance will not see it.',
    '36:7 no-process-local-cache: `records` caches shared data in this process; it is written by GET /files/:id (src/app.ts:42). When another instance changes that data, this copy stays stale until this process restarts.',
  ];
  it('`if (!file.id) file.id = randomUUID()` then `uploads[file.id] = { uploadId, parts: [] }` with what an awaited S3 call answered: an upload session the later chunks find by that id, not a cache of what S3 answered; records keyed by the id they were loaded with stay a cache (untyped)', () => {
    expect(untypedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(typedFindings(files, 'src/app.ts', STATE_RULES)).toEqual(expected);
  });
});

describe('settings requests turn on and off', () => {
  const code = `const express = require('express');
const app = express();
const signupsDisabled = { status: false };
let maintenance = false;
let exporting = false;
let connected = false;
const db = { users: { create: async (body) => body }, export: async () => [] };
app.post('/admin/:action', (req, res) => {
  switch (req.params.action) {
    case 'disableSignups':
      signupsDisabled.status = true;
      break;
    case 'enableSignups':
      signupsDisabled.status = false;
      break;
  }
  res.end();
});
app.post('/admin/maintenance/on', (req, res) => {
  maintenance = true;
  res.end();
});
app.post('/admin/maintenance/off', (req, res) => {
  maintenance = false;
  res.end();
});
app.post('/signup', async (req, res) => {
  if (signupsDisabled.status || maintenance) return res.status(503).end();
  res.json(await db.users.create(req.body));
});
app.post('/export', async (req, res) => {
  if (exporting) return res.status(409).end();
  exporting = true;
  try {
    res.json(await db.export());
  } finally {
    exporting = false;
  }
});
class Scanner {
  constructor() {
    this.running = false;
  }
  startRun() {
    this.running = true;
  }
  endRun() {
    this.running = false;
  }
  cancel() {
    this.running = false;
  }
  async run() {
    this.startRun();
    await db.export();
    this.endRun();
  }
}
const scanner = new Scanner();
app.post('/scan', async (req, res) => {
  await scanner.run();
  res.end();
});
app.post('/scan/cancel', (req, res) => {
  scanner.cancel();
  res.end();
});
app.post('/link', (req, res) => {
  if (!connected) connected = true;
  res.end();
});
app.post('/unlink', (req, res) => {
  connected = false;
  res.end();
});
`;
  const expected = [
    'no-process-local-cache 3:7 `signupsDisabled` caches shared data in this process; it is written by POST /admin/:action (src/app.js:8). When another instance changes that data, this copy stays stale until this process restarts.',
    'no-process-local-cache 4:5 `maintenance` caches shared data in this process; it is written by POST /admin/maintenance/on (src/app.js:19) and 1 other route. When another instance changes that data, this copy stays stale until this process restarts.',
    'no-in-process-lock 5:5 `exporting` guards work only within this process; it is taken by POST /export (src/app.js:31). A request on another instance does not see it and runs the same work at the same time.',
    'no-in-process-lock 42:10 `running` guards work only within this process; it is taken by POST /scan (src/app.js:60) and 1 other route. A request on another instance does not see it and runs the same work at the same time.',
  ];
  it('a switch set by one admin action and cleared by another (separate routes, or separate cases of one) guards nothing: a setting every instance should see; a busy flag tested before it is raised, or raised and lowered around the work of one request (`startRun()` … `endRun()`), stays a lock, and a flag raised behind its own test is neither (untyped)', () => {
    expect(stateFindings(jsFindings(code, false))).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(stateFindings(jsFindings(code, true))).toEqual(expected);
  });
});

describe('a list of hooks this process runs', () => {
  const hooks = (entry: string, name = 'handlers') => `const express = require('express');
const app = express();

class ShutdownHelper {
  static ${name} = [];
  static add(key, callback) {
    this.${name}.push(${entry});
  }
  static remove(key) {
    this.${name} = this.${name}.filter((handler) => handler.key !== key);
  }
  static async execute() {
    for (const handler of this.${name}) await handler.callback();
    process.exit(0);
  }
  static keys() {
    return this.${name}.map((handler) => handler.key);
  }
}
app.post('/documents/:id/watch', (req, res) => {
  ShutdownHelper.add(req.params.id, async () => flush(req.params.id));
  res.end();
});
app.get('/documents/watched', (req, res) => res.json(ShutdownHelper.keys()));
function flush(id) {}
`;

  for (const typed of [false, true]) {
    it(`${typed ? 'typed' : 'untyped'}: records that carry the callback to run are this process's own work; records of request data are reported`, () => {
      expect(stateFindings(jsFindings(hooks('{ key, callback }'), typed))).toEqual([]);
      expect(stateFindings(jsFindings(hooks('{ key, order: 1, callback }'), typed))).toEqual([]);
      expect(stateFindings(jsFindings(hooks('{ key, at: Date.now() }'), typed))).toEqual([
        'no-in-memory-session 5:10 `handlers` holds application data in this process; it is written by POST /documents/:id/watch (src/app.js:20). A second instance will not see it.',
      ]);
    });
  }

  it('a bare function pushed by a request may be a subscriber a publish route sends to: still reported', () => {
    const subscribers = `const express = require('express');
const app = express();
const handlers = [];
app.get('/events', (req, res) => {
  handlers.push((message) => res.write(message));
});
app.post('/publish', (req, res) => {
  for (const handler of handlers) handler(req.body.message);
  res.end();
});
`;
    expect(stateFindings(jsFindings(subscribers, false))).toEqual([
      'no-in-memory-session 3:7 `handlers` holds application data in this process; it is written by GET /events (src/app.js:4). A second instance will not see it.',
    ]);
  });
});

describe("hapi's server methods cached in the default cache (catbox-memory)", () => {
  // A plugin registers its methods on the server it is handed; a route reads through one and drops its entry after a write.
  const plugin = (cacheOptions: string, extra = '') => `const Hapi = require('@hapi/hapi');
const db = require('./db');

const getMachine = async (id) => (await db.query('SELECT * FROM machines WHERE id = $1', [id])).rows[0];

exports.plugin = {
  name: 'machines',
  register: (server) => {
    server.method('getMachine', getMachine, { cache: ${cacheOptions} });
    server.route({ method: 'GET', path: '/machines/{id}', handler: (request) => server.methods.getMachine(request.params.id) });
    server.route({
      method: 'POST',
      path: '/machines/{id}/status',
      handler: async (request) => {
        await db.query('UPDATE machines SET status = $1 WHERE id = $2', [request.payload.status, request.params.id]);
        await server.methods.getMachine.cache.drop(request.params.id);
        return { ok: true };
      },
    });
  },
};
${extra}`;
  const reported = [
    'no-process-local-cache 9:5 @hapi/hapi `getMachine` caches shared data in this process; it is filled by GET /machines/{id} (src/app.js:10). When another instance changes that data, this copy stays stale for up to 10 minutes (its TTL).',
  ];
  const cachesOf = (code: string, typed: boolean) => jsFindings(code, typed).filter((finding) => finding.startsWith('no-process-local-cache'));

  it('reports a method cached for ten minutes whose entry a route drops (untyped and typed)', () => {
    expect(cachesOf(plugin('{ expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }'), false)).toEqual(reported);
    expect(cachesOf(plugin('{ expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }'), true)).toEqual(reported);
  });

  it('reports it on a server the file creates', () => {
    const code = `const Hapi = require('@hapi/hapi');
const db = require('./db');
const init = async () => {
  const server = Hapi.server({ port: 3000 });
  server.method('getPrice', (sku) => db.price(sku), { cache: { expiresIn: 3_600_000, generateTimeout: 100 } });
  server.route({ method: 'GET', path: '/prices/{sku}', handler: (request) => server.methods.getPrice(request.params.sku) });
  server.route({ method: 'PUT', path: '/prices/{sku}', handler: async (request) => { await db.setPrice(request.params.sku, request.payload); server.methods.getPrice.cache.drop(request.params.sku); return null; } });
  await server.start();
};
init();
`;
    expect(cachesOf(code, false)).toEqual([
      'no-process-local-cache 5:3 @hapi/hapi `getPrice` caches shared data in this process; it is filled by GET /prices/{sku} (src/app.js:6). When another instance changes that data, this copy stays stale for up to 1 hour (its TTL).',
    ]);
  });

  it('quiet: a TTL within the staleness accepted, entries that only expire, a named cache the server was given, a Redis provider, no cache, and a method of something that is not a hapi server', () => {
    expect(cachesOf(plugin('{ expiresIn: 30 * 1000, generateTimeout: 2000 }'), false)).toEqual([]);
    expect(cachesOf(plugin("{ cache: 'redisCache', expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }"), false)).toEqual([]);
    expect(cachesOf(plugin('{ expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }', "const CatboxRedis = require('@hapi/catbox-redis');"), false)).toEqual([]);
    expect(cachesOf(plugin('{ expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }').replace('await server.methods.getMachine.cache.drop(request.params.id);', ''), false)).toEqual([]);
    expect(cachesOf(plugin('{ expiresIn: 10 * 60 * 1000 }').replace(', { cache: { expiresIn: 10 * 60 * 1000 } }', ''), false)).toEqual([]);
    expect(cachesOf(plugin('{ expiresIn: 10 * 60 * 1000 }').replace('register: (server) => {', 'setup: (server) => {'), false)).toEqual([]);
  });

  it('refuses the fix when no file creates the server: the provider is chosen where it is created (fixes/hapi-cache-fixes.test.ts gives one)', () => {
    const fileName = '/project/src/machines.js';
    const program = createProgram({ [fileName]: plugin('{ expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }') });
    const sourceFile = program.getSourceFile(fileName)!;
    const [finding] = analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-process-local-cache'] });
    expect(finding.messageId).toBe('cacheLibraryInMemory');
    expect(planFixes(sourceFile, finding, { program, projectRoot: '/project' })).toEqual({
      plans: [],
      refused: {
        title: 'Move `getMachine` to the Redis cache',
        reason:
          "no `Hapi.server(…)` in the project creates the server whose default cache keeps `getMachine`'s results: give that server a Redis provider (`cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]`) where it is created",
      },
    });
  });
});
