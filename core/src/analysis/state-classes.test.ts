import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';

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

const EXPRESS = `import express from 'express';\nconst app = express();\n`;
const NEST = `import { Controller, Injectable, Post, Get, Inject, Module } from '@nestjs/common';\n`;

describe('one state, one rule: what the code does with it', () => {
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
    const session = 'no-in-memory-session 3:7 `waiting` holds per-user state in this process; it is written by POST /queue (src/app.js:4) and 1 other route. A second instance will not see it.';
    const counter = 'no-in-memory-counter 3:7 `waiting` counts in this process; it is changed by POST /queue (src/app.js:4) and 1 other route. Each instance keeps its own count, so totals and limits are wrong once there is more than one.';
    const capped = queue("if (waiting.filter((entry) => entry.user === req.body.user).length >= 3) return res.status(429).end();");
    for (const typed of [false, true]) {
      expect(jsFindings(queue(''), typed)).toEqual([session]);
      expect(jsFindings(capped, typed)).toEqual([counter]);
    }
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

  it('a map of claims dropped by a timer is a short-lived cache, not a lock, whatever it is called; a constant expiry past the threshold is reported', () => {
    expect(
      stateRules(`${EXPRESS}
declare const redis: { set(...args: unknown[]): Promise<string | null> };
declare const db: { findPrice(id: string): Promise<number> };
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
`),
    ).toEqual(['no-process-local-cache: prices (for up to 10 minutes (its TTL))']);
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
declare const R: { getCell(sql: string, args: unknown[]): Promise<string> };
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
}
app.get('/settings/:key', async (req, res) => res.json(await Settings.get(req.params.key)));
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

  it('refuses the quick-fix with the reason: the store is chosen at the registration', () => {
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
          'the store is chosen where CacheModule is registered: give it a Redis store (`stores: [new KeyvRedis(process.env.REDIS_URL)]` from @keyv/redis) so every instance reads one cache; values then go through JSON, so check what the cache holds first',
      },
    });
  });

  it('quiet: a Redis store, a factory that picks stores, and options it cannot see', () => {
    const stores = `import { CacheModule } from '@nestjs/cache-manager';\ndeclare const redisStore: object;\ndeclare const options: object;`;
    expect(stateRules(gateway(stores, 'CacheModule.register({ store: redisStore })'))).toEqual([]);
    expect(stateRules(gateway(stores, 'CacheModule.registerAsync({ useFactory: () => ({ stores: [redisStore] }) })'))).toEqual([]);
    expect(stateRules(gateway(stores, 'CacheModule.registerAsync({ useFactory: makeOptions })'))).toEqual([]);
  });
});

describe('quick-fixes of the newly classified shapes', () => {
  it('refuses a record of counts counted through a local read of the entry: the store would not keep the in-place change', () => {
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
    expect(planFixes(sourceFile, finding, { program, projectRoot: '/project' })).toEqual({
      plans: [],
      refused: { title: 'Count `loginAttempts` in Redis', reason: '`attempt.attempts++` (src/app.ts:11) changes a value read from `loginAttempts` in place, and the store would not keep the change' },
    });
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
      ['no-in-memory-counter', 'used', 0, '`used` is a list of entries, not a count: keep them in a Redis list every instance appends to (RPUSH, LTRIM to its cap, LRANGE to read it)'],
      ['no-in-memory-counter', 'daily', 0, "`daily.date` starts at '', not 0"],
      ['no-in-process-lock', 'isSend', 0, '`isSend` is not checked, taken and released in one function'],
    ]);
  });
});
