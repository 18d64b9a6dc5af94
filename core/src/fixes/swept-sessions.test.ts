import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// The commonjs-service shape: a plain object in a shared module.exports store, swept in another
// file by a cutoff read from a third (settings), renewed on lookup (sliding expiry), counted on a status page.
const STORE_JS = `'use strict';

// Who is logged in, shared between the handlers.
module.exports = {
  sessions: {}
};
`;
const SETTINGS_JS = `'use strict';

module.exports = {
  idleMinutes: parseInt(process.env.IDLE_MINUTES, 10) || 30
};
`;
const SESSIONS_JS = `'use strict';

const crypto = require('crypto');
const store = require('./store');
const settings = require('./settings');

function open(user) {
  const sid = crypto.randomBytes(18).toString('hex');
  store.sessions[sid] = { user: user, lastSeen: Date.now() };
  return sid;
}

function find(sid) {
  const session = sid && store.sessions[sid];
  if (!session) return null;
  session.lastSeen = Date.now();
  return session;
}

function close(sid) {
  delete store.sessions[sid];
}

// drop idle sessions once a minute
function startSweeper() {
  const timer = setInterval(() => {
    const cutoff = Date.now() - settings.idleMinutes * 60 * 1000;
    Object.keys(store.sessions).forEach((sid) => {
      if (store.sessions[sid].lastSeen < cutoff) delete store.sessions[sid];
    });
  }, 60 * 1000);
  timer.unref();
  return timer;
}

module.exports = { open, find, close, startSweeper };
`;
const SERVER_JS = `'use strict';

const express = require('express');
const store = require('./store');
const sessions = require('./sessions');

const app = express();
app.post('/login', express.json(), function (req, res) {
  res.json({ sid: sessions.open(req.body.user) });
});
app.get('/me', function (req, res) {
  const session = sessions.find(req.get('x-sid'));
  if (!session) return res.status(401).end();
  res.json({ user: session.user });
});
app.post('/logout', function (req, res) {
  sessions.close(req.get('x-sid'));
  res.end();
});
app.get('/stats', function (req, res) {
  res.json({ sessions: Object.keys(store.sessions).length });
});
sessions.startSweeper();
app.listen(8080);
`;

const files = (overrides: Record<string, string> = {}): Record<string, string> => ({
  [`${ROOT}/lib/store.js`]: STORE_JS,
  [`${ROOT}/lib/settings.js`]: SETTINGS_JS,
  [`${ROOT}/lib/sessions.js`]: SESSIONS_JS,
  [`${ROOT}/lib/server.js`]: SERVER_JS,
  ...overrides,
});


// A TypeScript class keeping a Map, its sweep started in the constructor and kept in a field.
const REGISTRY_TS = `import { randomUUID } from 'node:crypto';

const IDLE_TIMEOUT_MS = 20 * 60_000;

interface UserSession { userId: string; touchedAt: number }

export class SessionRegistry {
  private readonly sessions = new Map<string, UserSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [id, session] of this.sessions) {
        if (now - session.touchedAt > IDLE_TIMEOUT_MS) this.sessions.delete(id);
      }
    }, 30_000);
    this.sweeper.unref();
  }

  open(userId: string): string {
    const id = randomUUID();
    this.sessions.set(id, { userId, touchedAt: Date.now() });
    return id;
  }

  find(id: string): UserSession | undefined {
    const session = this.sessions.get(id);
    if (session) session.touchedAt = Date.now();
    return session;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  stop(): void {
    clearInterval(this.sweeper);
  }
}

export const registry = new SessionRegistry();
`;
const ROUTES_TS = `import express from 'express';
import { registry } from './registry';

export const router = express.Router();
router.post('/sessions', (req, res) => {
  res.status(201).json({ id: registry.open(String(req.body.userId)) });
});
router.get('/sessions/:id', (req, res) => {
  const session = registry.find(req.params.id);
  if (!session) return res.sendStatus(404);
  res.json({ userId: session.userId });
});
router.delete('/sessions/:id', (req, res) => {
  registry.close(req.params.id);
  res.sendStatus(204);
});
`;

// An ESM module: for…of over the Map, the cutoff named, its maximum age imported from the config.
const CONFIG_MJS = `export const SESSION_IDLE_MS = Number(process.env.SESSION_IDLE_MS ?? 900000);
`;
const SESSIONS_MJS = `import { randomBytes } from 'node:crypto';
import { SESSION_IDLE_MS } from './config.js';

const sessions = new Map();

setInterval(() => {
  const cutoff = Date.now() - SESSION_IDLE_MS;
  for (const [id, s] of sessions) {
    if (s.lastActive < cutoff) {
      sessions.delete(id);
    }
  }
}, 10_000).unref();

export const login = async (req, res) => {
  const id = randomBytes(16).toString('hex');
  sessions.set(id, { user: req.body.user, lastActive: Date.now() });
  res.cookie('sid', id).json({ ok: true });
};

export const current = (req, res, next) => {
  const s = sessions.get(req.cookies.sid);
  if (!s) return res.status(401).json({ error: 'login first' });
  s.lastActive = Date.now();
  req.user = s.user;
  next();
};
`;
const APP_MJS = `import express from 'express';
import { login, current } from './sessions.js';

const app = express();
app.post('/login', login);
app.get('/profile', current, (req, res) => res.json({ user: req.user }));
export default app;
`;

// The cutoff written as a literal in the condition, in a plain CommonJS module.
const LITERAL_JS = `const express = require('express');
const crypto = require('crypto');

const carts = new Map();

setInterval(function () {
  carts.forEach(function (cart, token) {
    if (Date.now() - cart.at > 15 * 60 * 1000) carts.delete(token);
  });
}, 60000);

const app = express();
app.post('/cart', function (req, res) {
  const token = crypto.randomUUID();
  carts.set(token, { items: [], at: Date.now() });
  res.json({ token: token });
});
app.get('/cart/:token', function (req, res) {
  const cart = carts.get(req.params.token);
  res.json(cart ? cart.items : []);
});
module.exports = app;
`;

describe('planFixes: a swept session store becomes the Redis session store with the sweep\'s TTL', () => {
  it('CommonJS across files: the cutoff\'s settings are required where the store is made, lastSeen renewal touches the TTL, the timer and its handle are removed', () => {
    const input = files();
    const plan = movePlan(input, 'no-in-memory-session', `${ROOT}/lib/store.js`);
    const fixed = applyPlan(input, plan);
    expect(fixed[`${ROOT}/lib/store.js`]).toBe(`'use strict';
const { createSessionStore } = require('./scaling/session-store');
const settings = require('./settings');

// Who is logged in, shared between the handlers.
module.exports = {
  sessions: createSessionStore('sessions', { ttlSeconds: Math.ceil(settings.idleMinutes * 60) })
};
`);
    expect(fixed[`${ROOT}/lib/sessions.js`]).toBe(`'use strict';

const crypto = require('crypto');
const store = require('./store');
require('./settings');

async function open(user) {
  const sid = crypto.randomBytes(18).toString('hex');
  await store.sessions.set(sid, { user: user, lastSeen: Date.now() });
  return sid;
}

async function find(sid) {
  const session = sid && await store.sessions.get(sid);
  if (!session) return null;
  session.lastSeen = Date.now();
  await store.sessions.touch(sid);
  return session;
}

async function close(sid) {
  await store.sessions.delete(sid);
}

// drop idle sessions once a minute
function startSweeper() {
}

module.exports = { open, find, close, startSweeper };
`);
    expect(fixed[`${ROOT}/lib/server.js`]).toBe(`'use strict';

const express = require('express');
const store = require('./store');
const sessions = require('./sessions');

const app = express();
app.post('/login', express.json(), async function (req, res) {
  res.json({ sid: await sessions.open(req.body.user) });
});
app.get('/me', async function (req, res) {
  const session = await sessions.find(req.get('x-sid'));
  if (!session) return res.status(401).end();
  res.json({ user: session.user });
});
app.post('/logout', async function (req, res) {
  await sessions.close(req.get('x-sid'));
  res.end();
});
app.get('/stats', async function (req, res) {
  res.json({ sessions: await store.sessions.size() });
});
sessions.startSweeper();
app.listen(8080);
`);
    const timer = SESSIONS_JS.indexOf('  const timer');
    const unref = SESSIONS_JS.indexOf('  timer.unref();');
    const returned = SESSIONS_JS.indexOf('  return timer;');
    expect(plan.removedStatements).toEqual([
      { fileName: `${ROOT}/lib/sessions.js`, start: timer, end: unref, reason: "the timer deleted entries older than `settings.idleMinutes * 60 * 1000` (by `lastSeen`); the store's TTL expires them in Redis now" },
      { fileName: `${ROOT}/lib/sessions.js`, start: unref, end: returned, reason: "`timer` was the sweep's timer, removed with it" },
      { fileName: `${ROOT}/lib/sessions.js`, start: returned, end: SESSIONS_JS.indexOf('}\n\nmodule.exports'), reason: "`timer` was the sweep's timer, removed with it" },
      { fileName: `${ROOT}/lib/sessions.js`, start: SESSIONS_JS.indexOf("const settings = require('./settings');"), end: SESSIONS_JS.indexOf("const settings = require('./settings');") + "const settings = require('./settings');".length, reason: '`settings` has no use left after the fix, and the module is still loaded' },
    ]);
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('TypeScript class: a Map swept from the constructor, the timer kept in a field that stop() clears; a braceless renewal gets braces', () => {
    const input = { [`${ROOT}/src/registry.ts`]: REGISTRY_TS, [`${ROOT}/src/routes.ts`]: ROUTES_TS };
    const plan = movePlan(input, 'no-in-memory-session', `${ROOT}/src/registry.ts`);
    const fixed = applyPlan(input, plan);
    expect(fixed[`${ROOT}/src/registry.ts`]).toBe(`import { randomUUID } from 'node:crypto';
import { createSessionStore } from './scaling/session-store';

const IDLE_TIMEOUT_MS = 20 * 60_000;

interface UserSession { userId: string; touchedAt: number }

export class SessionRegistry {
  private readonly sessions = createSessionStore<UserSession>('SessionRegistry.sessions', { ttlSeconds: Math.ceil(IDLE_TIMEOUT_MS / 1000) });

  constructor() {
  }

  async open(userId: string): Promise<string> {
    const id = randomUUID();
    await this.sessions.set(id, { userId, touchedAt: Date.now() });
    return id;
  }

  async find(id: string): Promise<UserSession | undefined> {
    const session = await this.sessions.get(id);
    if (session) { session.touchedAt = Date.now(); await this.sessions.touch(id); }
    return session;
  }

  async close(id: string): Promise<void> {
    await this.sessions.delete(id);
  }

  stop(): void {
  }
}

export const registry = new SessionRegistry();
`);
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(`import express from 'express';
import { registry } from './registry';

export const router = express.Router();
router.post('/sessions', async (req, res) => {
  res.status(201).json({ id: await registry.open(String(req.body.userId)) });
});
router.get('/sessions/:id', async (req, res) => {
  const session = await registry.find(req.params.id);
  if (!session) return res.sendStatus(404);
  res.json({ userId: session.userId });
});
router.delete('/sessions/:id', async (req, res) => {
  await registry.close(req.params.id);
  res.sendStatus(204);
});
`);
    expect(plan.removedStatements?.map((removed) => [REGISTRY_TS.slice(removed.start, removed.end).trim().split('\n')[0], removed.reason])).toEqual([
      ['this.sweeper = setInterval(() => {', "the timer deleted entries older than `IDLE_TIMEOUT_MS` (by `touchedAt`); the store's TTL expires them in Redis now"],
      ['private readonly sweeper: NodeJS.Timeout;', "`sweeper` was the sweep's timer, removed with it"],
      ['this.sweeper.unref();', "`sweeper` was the sweep's timer, removed with it"],
      ['clearInterval(this.sweeper);', "`sweeper` was the sweep's timer, removed with it"],
    ]);
  });

  it('ESM JavaScript: for (const [id, s] of sessions) against a named cutoff whose maximum age is imported', () => {
    const input = { [`${ROOT}/src/config.js`]: CONFIG_MJS, [`${ROOT}/src/sessions.js`]: SESSIONS_MJS, [`${ROOT}/src/app.js`]: APP_MJS, [`${ROOT}/package.json`]: '{"type":"module"}' };
    const plan = movePlan(input, 'no-in-memory-session', `${ROOT}/src/sessions.js`);
    expect(applyPlan(input, plan)[`${ROOT}/src/sessions.js`]).toBe(`import { randomBytes } from 'node:crypto';
import { SESSION_IDLE_MS } from './config.js';
import { createSessionStore } from './scaling/session-store.js';

const sessions = createSessionStore('sessions', { ttlSeconds: Math.ceil(SESSION_IDLE_MS / 1000) });

export const login = async (req, res) => {
  const id = randomBytes(16).toString('hex');
  await sessions.set(id, { user: req.body.user, lastActive: Date.now() });
  res.cookie('sid', id).json({ ok: true });
};

export const current = async (req, res, next) => {
  const s = await sessions.get(req.cookies.sid);
  if (!s) return res.status(401).json({ error: 'login first' });
  s.lastActive = Date.now();
  await sessions.touch(req.cookies.sid);
  req.user = s.user;
  next();
};
`);
    expect(plan.removedStatements).toEqual([
      { fileName: `${ROOT}/src/sessions.js`, start: SESSIONS_MJS.indexOf('setInterval'), end: SESSIONS_MJS.indexOf('export const login'), reason: "the timer deleted entries older than `SESSION_IDLE_MS` (by `lastActive`); the store's TTL expires them in Redis now" },
    ]);
  });

  it('a literal cutoff in the condition is computed: 15 * 60 * 1000 ms is a TTL of 900 s', () => {
    const input = { [`${ROOT}/src/app.js`]: LITERAL_JS };
    const plan = movePlan(input, 'no-in-memory-session', `${ROOT}/src/app.js`);
    expect(applyPlan(input, plan)[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const crypto = require('crypto');
const { createSessionStore } = require('./scaling/session-store');

const carts = createSessionStore('carts', { ttlSeconds: 900 });

const app = express();
app.post('/cart', async function (req, res) {
  const token = crypto.randomUUID();
  await carts.set(token, { items: [], at: Date.now() });
  res.json({ token: token });
});
app.get('/cart/:token', async function (req, res) {
  const cart = await carts.get(req.params.token);
  res.json(cart ? cart.items : []);
});
module.exports = app;
`);
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual(["the timer deleted entries older than `15 * 60 * 1000` (by `at`); the store's TTL expires them in Redis now"]);
  });
});

describe('planFixes: a swept session store the TTL cannot replace is refused, naming what blocks it', () => {
  it('a sweep that also writes an audit log: the TTL would not write it', () => {
    const input = files({
      [`${ROOT}/lib/sessions.js`]: SESSIONS_JS.replace('      if (store.sessions[sid].lastSeen < cutoff) delete store.sessions[sid];', '      if (store.sessions[sid].lastSeen < cutoff) {\n        audit.write(`session ${"$"}{sid} expired`);\n        delete store.sessions[sid];\n      }').replace("const settings = require('./settings');", "const settings = require('./settings');\nconst audit = require('./audit');"),
    });
    expect(planFirst(input, 'no-in-memory-session', `${ROOT}/lib/store.js`).refused?.reason).toBe('`sessions` is swept by a timer (lib/sessions.js:29), but the sweep does more than delete old entries: `audit.write(`session ${"$"}{sid} expired`);` (lib/sessions.js:31) would no longer run');
  });

  it('the renewed field is read elsewhere: the store would keep its first value', () => {
    const input = files({ [`${ROOT}/lib/server.js`]: SERVER_JS.replace('res.json({ user: session.user });', 'res.json({ user: session.user, idleSince: session.lastSeen });') });
    expect(planFirst(input, 'no-in-memory-session', `${ROOT}/lib/store.js`).refused?.reason).toBe('`session.lastSeen` (lib/server.js:14) reads `lastSeen`, which the store would no longer renew (its TTL replaces the sweep)');
  });

  it('the timer the sweep starts is kept by a caller: removing it would change what the caller gets', () => {
    const input = files({ [`${ROOT}/lib/server.js`]: SERVER_JS.replace('sessions.startSweeper();', "const sweeper = sessions.startSweeper();\nprocess.on('SIGTERM', () => clearInterval(sweeper));") });
    expect(planFirst(input, 'no-in-memory-session', `${ROOT}/lib/store.js`).refused?.reason).toBe('`sessions` is swept by a timer (lib/sessions.js:28), but the function that starts the sweep returns its timer, and the value is used at lib/server.js:23');
  });

  it('another change to a value read from the swept store is still refused', () => {
    const input = files({ [`${ROOT}/lib/sessions.js`]: SESSIONS_JS.replace('  session.lastSeen = Date.now();', '  session.lastSeen = Date.now();\n  session.hits = (session.hits || 0) + 1;') });
    expect(planFirst(input, 'no-in-memory-session', `${ROOT}/lib/store.js`).refused?.reason).toBe('`session.hits = (session.hits || 0) + 1` (lib/sessions.js:17) changes a value read from `sessions` in place, and the store would not keep the change');
  });
});

// A value read from a Map store and changed in place is kept only when the code sets it again under its key.
const CARTS_TS = `import express from 'express';
import { randomUUID } from 'node:crypto';

interface Cart { user: string; items: string[] }
const carts = new Map<string, Cart>();

export const app = express();
app.post('/carts', (req, res) => {
  const id = randomUUID();
  carts.set(id, { user: String(req.body.user), items: [] });
  res.status(201).json({ id });
});
app.post('/carts/:id/items', (req, res) => {
  const cart = carts.get(req.params.id);
  if (!cart) return res.sendStatus(404);
  cart.items.push(String(req.body.sku));
  carts.set(req.params.id, cart);
  res.json({ items: cart.items.length });
});
`;

describe('planFixes: a value read from a Map store and changed in place', () => {
  it('moves when the changed value is set again under its key afterwards', () => {
    const input = { [`${ROOT}/src/app.ts`]: CARTS_TS };
    expect(applyPlan(input, movePlan(input, 'no-in-memory-session', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { randomUUID } from 'node:crypto';
import { createSessionStore } from './scaling/session-store';

interface Cart { user: string; items: string[] }
const carts = createSessionStore<Cart>('carts');

export const app = express();
app.post('/carts', async (req, res) => {
  const id = randomUUID();
  await carts.set(id, { user: String(req.body.user), items: [] });
  res.status(201).json({ id });
});
app.post('/carts/:id/items', async (req, res) => {
  const cart = await carts.get(req.params.id);
  if (!cart) return res.sendStatus(404);
  cart.items.push(String(req.body.sku));
  await carts.set(req.params.id, cart);
  res.json({ items: cart.items.length });
});
`);
  });

  it('without that write-back, sets the value again after the statement that changes it', () => {
    const input = { [`${ROOT}/src/app.ts`]: CARTS_TS.replace('  carts.set(req.params.id, cart);\n', '') };
    expect(applyPlan(input, movePlan(input, 'no-in-memory-session', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toContain(`  const cart = await carts.get(req.params.id);
  if (!cart) return res.sendStatus(404);
  cart.items.push(String(req.body.sku));
  await carts.set(req.params.id, cart);
  res.json({ items: cart.items.length });`);
  });
});

// The hono-service shape: each session carries its own expiry, and a function a scheduler runs
// (node-cron) deletes the expired ones and counts them.
const EXPIRING_TS = `import { randomBytes } from 'node:crypto';
import cron from 'node-cron';

interface Session {
  userId: number;
  expiresAt: number;
}

const TTL_MS = 12 * 60 * 60 * 1000;
const sessions = new Map<string, Session>();

export function startSession(userId: number): string {
  const sid = randomBytes(24).toString('base64url');
  sessions.set(sid, { userId, expiresAt: Date.now() + TTL_MS });
  return sid;
}

export function sessionOf(sid: string): Session | undefined {
  const session = sessions.get(sid);
  return session && session.expiresAt >= Date.now() ? session : undefined;
}

export function sweepSessions(): number {
  const now = Date.now();
  let removed = 0;
  for (const [sid, session] of sessions) {
    if (session.expiresAt < now) {
      sessions.delete(sid);
      removed++;
    }
  }
  return removed;
}

cron.schedule('0 * * * *', () => console.log(\`swept \${sweepSessions()}\`));
`;
const EXPIRING_ROUTES_TS = `import express from 'express';
import { sessionOf, startSession } from './sessions';
export const app = express();
app.post('/login', (req, res) => res.json({ sid: startSession(req.body.userId) }));
app.get('/me', (req, res) => (sessionOf(String(req.headers.sid)) ? res.json({ ok: true }) : res.status(401).end()));
`;

describe('planFixes: a sweep by the entries\' own expiry, in a function a scheduler runs', () => {
  it('the store expires each entry after what every write adds to Date.now(); the loop goes, the function and its count stay', () => {
    const files = { [`${ROOT}/src/sessions.ts`]: EXPIRING_TS, [`${ROOT}/src/routes.ts`]: EXPIRING_ROUTES_TS };
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/src/sessions.ts`);
    const loop = EXPIRING_TS.slice(EXPIRING_TS.indexOf('  for (const [sid, session]'), EXPIRING_TS.indexOf('  return removed;'));
    expect(applyPlan(files, plan)[`${ROOT}/src/sessions.ts`]).toBe(
      EXPIRING_TS.replace("import cron from 'node-cron';\n", "import cron from 'node-cron';\nimport { createSessionStore } from './scaling/session-store';\n")
        .replace('const sessions = new Map<string, Session>();', "const sessions = createSessionStore<Session>('sessions', { ttlSeconds: Math.ceil(TTL_MS / 1000) });")
        .replace('export function startSession(userId: number): string {', 'export async function startSession(userId: number): Promise<string> {')
        .replace('  sessions.set(sid,', '  await sessions.set(sid,')
        .replace('export function sessionOf(sid: string): Session | undefined {', 'export async function sessionOf(sid: string): Promise<Session | undefined> {')
        .replace('const session = sessions.get(sid);', 'const session = await sessions.get(sid);')
        .replace(loop, ''),
    );
    expect(plan.removedStatements?.map((removed) => [EXPIRING_TS.slice(removed.start, removed.end).trim().split('\n')[0], removed.reason])).toEqual([
      ['for (const [sid, session] of sessions) {', "the loop deleted entries past their `expiresAt` (each written as `Date.now() + TTL_MS`); the store's TTL expires them in Redis now"],
    ]);
  });

  it('refuses when a write sets the expiry another way, naming it; a function that does more than sweep is no sweep, and moves as any other use', () => {
    const other = EXPIRING_TS.replace('export function sweepSessions', "export function extend(sid: string): void {\n  sessions.set(sid, { userId: 1, expiresAt: Date.now() + 60_000 });\n}\n\nexport function sweepSessions");
    expect(planFirst({ [`${ROOT}/src/sessions.ts`]: other, [`${ROOT}/src/routes.ts`]: EXPIRING_ROUTES_TS.replace('import { sessionOf, startSession }', 'import { extend, sessionOf, startSession }').replace("res.json({ sid: startSession(req.body.userId) })", "(extend('x'), res.json({ sid: startSession(req.body.userId) }))") }, 'no-in-memory-session', `${ROOT}/src/sessions.ts`).refused?.reason).toBe(
      "`sessions` is swept by a timer (src/sessions.ts:30), but `sessions.set(sid, { userId: 1, expiresAt: Date.now() + 60_000 })` (src/sessions.ts:24) does not write `expiresAt` as `Date.now() + TTL_MS`, which the store's TTL would repeat",
    );
    const logs = EXPIRING_TS.replace('  return removed;\n}', "  console.log('swept');\n  return removed;\n}");
    // No sweep: the loop lists the store like any other use, and the schedule's callback, which nothing waits for, becomes async.
    const moved = applyPlan({ [`${ROOT}/src/sessions.ts`]: logs, [`${ROOT}/src/routes.ts`]: EXPIRING_ROUTES_TS }, movePlan({ [`${ROOT}/src/sessions.ts`]: logs, [`${ROOT}/src/routes.ts`]: EXPIRING_ROUTES_TS }, 'no-in-memory-session', `${ROOT}/src/sessions.ts`))[`${ROOT}/src/sessions.ts`];
    expect(moved).toContain('  for (const [sid, session] of await sessions.entries()) {\n    if (session.expiresAt < now) {\n      await sessions.delete(sid);\n');
    expect(moved).toContain("cron.schedule('0 * * * *', async () => console.log(`swept ${await sweepSessions()}`));");
  });
});

describe('planFixes: an entry deleted by its own timer after it is set', () => {
  const code = (timer: string) => `const express = require('express');
const crypto = require('crypto');
const app = express();
const resetTokens = new Map();

app.post('/password/forgot', (req, res) => {
  const token = crypto.randomBytes(16).toString('hex');
  resetTokens.set(token, req.body.email);
  ${timer}
  res.json({ token });
});

app.post('/password/reset', (req, res) => {
  const email = resetTokens.get(req.body.token);
  if (!email) return res.status(400).json({ error: 'invalid or expired token' });
  resetTokens.delete(req.body.token);
  res.json({ email });
});

module.exports = app;
`;

  it('is set with that TTL, and the timer (which only this process had) goes with the reason', () => {
    const files = { [`${ROOT}/app.js`]: code('setTimeout(() => resetTokens.delete(token), 15 * 60 * 1000);') };
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/app.js`);
    const fixed = applyPlan(files, plan)[`${ROOT}/app.js`];
    expect(fixed).toContain("  await resetTokens.set(token, req.body.email, 900);\n  res.json({ token });");
    expect(fixed).not.toContain('setTimeout');
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual([
      'the timer deleted `token` 900 s after it was set, in this process only; the store sets the entry with that TTL (`resetTokens.set(…, 900)`) and Redis expires it on every instance',
    ]);
  });

  it('a timer that deletes another key, or after a time in part of a second, stays as it is', () => {
    for (const timer of ['setTimeout(() => resetTokens.delete(req.body.other), 60000);', 'setTimeout(() => resetTokens.delete(token), 1500);']) {
      const files = { [`${ROOT}/app.js`]: code(timer) };
      const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/app.js`))[`${ROOT}/app.js`];
      expect(fixed).toContain('  await resetTokens.set(token, req.body.email);\n  setTimeout(async () => await resetTokens.delete(');
    }
  });
});

// The bike-workshop shape: the sessions are a field of a service class the app makes once, each
// entry carries its own expiry (a config value added to Date.now()), and a method the start-up
// interval calls deletes the expired ones through `this.sessions`.
const EXPIRING_CLASS_TS = `import { randomBytes } from 'node:crypto';
import { config } from './config';

interface Session {
  userId: number;
  expiresAt: number;
}

export class AuthService {
  private readonly sessions = new Map<string, Session>();

  start(userId: number): string {
    const sid = randomBytes(24).toString('base64url');
    this.sessions.set(sid, { userId, expiresAt: Date.now() + config.sessionTtlMs });
    return sid;
  }

  lookup(sid: string): Session | undefined {
    const session = this.sessions.get(sid);
    return session && session.expiresAt >= Date.now() ? session : undefined;
  }

  sweepExpired(): number {
    let removed = 0;
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt < now) {
        this.sessions.delete(id);
        removed++;
      }
    }
    return removed;
  }
}

export const authService = new AuthService();
`;
const CLASS_CONFIG_TS = `export const config = { sessionTtlMs: 8 * 60 * 60 * 1000 };
`;
const CLASS_SERVER_TS = `import express from 'express';
import { authService } from './auth';
export const app = express();
app.post('/login', (req, res) => res.json({ sid: authService.start(req.body.userId) }));
app.get('/me', (req, res) => (authService.lookup(String(req.headers.sid)) ? res.json({ ok: true }) : res.status(401).end()));
setInterval(() => console.log(\`swept \${authService.sweepExpired()}\`), 10 * 60 * 1000);
`;

describe('planFixes: a class field swept by its entries\' own expiry', () => {
  it('reads the expiry from the writes through `this.sessions`: the store expires each entry after it, the loop goes, the method and its count stay', () => {
    const files = { [`${ROOT}/src/auth.ts`]: EXPIRING_CLASS_TS, [`${ROOT}/src/config.ts`]: CLASS_CONFIG_TS, [`${ROOT}/src/server.ts`]: CLASS_SERVER_TS };
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/src/auth.ts`);
    const loop = EXPIRING_CLASS_TS.slice(EXPIRING_CLASS_TS.indexOf('    for (const [id, session]'), EXPIRING_CLASS_TS.indexOf('    return removed;'));
    expect(applyPlan(files, plan)[`${ROOT}/src/auth.ts`]).toBe(
      EXPIRING_CLASS_TS.replace("import { config } from './config';\n", "import { config } from './config';\nimport { createSessionStore } from './scaling/session-store';\n")
        .replace('private readonly sessions = new Map<string, Session>();', "private readonly sessions = createSessionStore<Session>('AuthService.sessions', { ttlSeconds: Math.ceil(config.sessionTtlMs / 1000) });")
        .replace('  start(userId: number): string {', '  async start(userId: number): Promise<string> {')
        .replace('    this.sessions.set(sid,', '    await this.sessions.set(sid,')
        .replace('  lookup(sid: string): Session | undefined {', '  async lookup(sid: string): Promise<Session | undefined> {')
        .replace('const session = this.sessions.get(sid);', 'const session = await this.sessions.get(sid);')
        .replace(loop, ''),
    );
    expect(plan.removedStatements?.map((removed) => [EXPIRING_CLASS_TS.slice(removed.start, removed.end).trim().split('\n')[0], removed.reason])).toEqual([
      ['for (const [id, session] of this.sessions) {', "the loop deleted entries past their `expiresAt` (each written as `Date.now() + config.sessionTtlMs`); the store's TTL expires them in Redis now"],
    ]);
  });

  it('still refuses, naming it, when a write through `this.sessions` sets the expiry another way', () => {
    const other = EXPIRING_CLASS_TS.replace('  sweepExpired(): number {', '  extend(sid: string): void {\n    this.sessions.set(sid, { userId: 1, expiresAt: Date.now() + 60_000 });\n  }\n\n  sweepExpired(): number {');
    const server = CLASS_SERVER_TS.replace("app.get('/me'", "app.post('/extend', (req, res) => (authService.extend(String(req.headers.sid)), res.end()));\napp.get('/me'");
    expect(planFirst({ [`${ROOT}/src/auth.ts`]: other, [`${ROOT}/src/config.ts`]: CLASS_CONFIG_TS, [`${ROOT}/src/server.ts`]: server }, 'no-in-memory-session', `${ROOT}/src/auth.ts`).refused?.reason).toBe(
      '`sessions` is swept by a timer (src/auth.ts:30), but `this.sessions.set(sid, { userId: 1, expiresAt: Date.now() + 60_000 })` (src/auth.ts:24) does not write `expiresAt` as `Date.now() + config.sessionTtlMs`, which the store\'s TTL would repeat',
    );
  });
});
