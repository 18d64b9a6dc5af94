import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// Session maps as legacy services write them: swept by a timer, in CommonJS, counted in objects.

const SWEPT_TS = `import express from 'express';
import { randomUUID } from 'node:crypto';

interface Session { userId: string; createdAt: number }
const MAX_AGE_MS = 30 * 60 * 1000;
const sessions = new Map<string, Session>();

// Forget sessions older than MAX_AGE_MS.
setInterval(() => {
  const now = Date.now();
  for (const [token, session] of sessions) {
    if (now - session.createdAt > MAX_AGE_MS) sessions.delete(token);
  }
}, 60_000).unref();

export const app = express();
app.post('/login', (req, res) => {
  const token = randomUUID();
  sessions.set(token, { userId: String(req.body.user), createdAt: Date.now() });
  res.json({ token });
});
app.get('/me', (req, res) => {
  const session = sessions.get(String(req.headers.authorization));
  if (!session) return res.status(401).end();
  res.json({ userId: session.userId });
});
`;

const SWEPT_JS = `const express = require('express');
const crypto = require('crypto');
const sessions = new Map();
setInterval(function () {
  sessions.forEach((session, token) => {
    if (Date.now() - session.lastSeen >= 3600000) sessions.delete(token);
  });
}, 5 * 60 * 1000);
const app = express();
app.post('/login', function (req, res) {
  const token = crypto.randomBytes(16).toString('hex');
  sessions.set(token, { user: req.body.user, lastSeen: Date.now() });
  res.json({ token: token });
});
app.post('/logout', function (req, res) {
  sessions.delete(req.get('x-token'));
  res.end();
});
module.exports = app;
`;

describe('planFixes: a session map swept by a timer gets the TTL from the sweep', () => {
  it('TypeScript: for…of sweep removed, TTL from the cutoff constant, removal declared', () => {
    const files = { [`${ROOT}/src/app.ts`]: SWEPT_TS };
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/src/app.ts`);
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { randomUUID } from 'node:crypto';
import { createSessionStore } from './scaling/session-store';

interface Session { userId: string; createdAt: number }
const MAX_AGE_MS = 30 * 60 * 1000;
const sessions = createSessionStore<Session>('sessions', { ttlSeconds: Math.ceil(MAX_AGE_MS / 1000) });

export const app = express();
app.post('/login', async (req, res) => {
  const token = randomUUID();
  await sessions.set(token, { userId: String(req.body.user), createdAt: Date.now() });
  res.json({ token });
});
app.get('/me', async (req, res) => {
  const session = await sessions.get(String(req.headers.authorization));
  if (!session) return res.status(401).end();
  res.json({ userId: session.userId });
});
`);
    const start = SWEPT_TS.indexOf('// Forget');
    expect(plan.removedStatements).toEqual([
      { fileName: `${ROOT}/src/app.ts`, start, end: SWEPT_TS.indexOf('export const app'), reason: "the timer deleted entries older than `MAX_AGE_MS` (by `createdAt`); the store's TTL expires them in Redis now" },
    ]);
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('CommonJS: forEach sweep with a literal cutoff; no type arguments in a .js file', () => {
    const files = { [`${ROOT}/src/app.js`]: SWEPT_JS };
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/src/app.js`);
    expect(applyPlan(files, plan)[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const crypto = require('crypto');
const { createSessionStore } = require('./scaling/session-store');
const sessions = createSessionStore('sessions', { ttlSeconds: 3600 });
const app = express();
app.post('/login', async function (req, res) {
  const token = crypto.randomBytes(16).toString('hex');
  await sessions.set(token, { user: req.body.user, lastSeen: Date.now() });
  res.json({ token: token });
});
app.post('/logout', async function (req, res) {
  await sessions.delete(req.get('x-token'));
  res.end();
});
module.exports = app;
`);
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual(["the timer deleted entries older than `3600000` (by `lastSeen`); the store's TTL expires them in Redis now"]);
  });

  it('refuses a sweep that does more than delete old entries, naming it', () => {
    const files = { [`${ROOT}/src/app.js`]: SWEPT_JS.replace("  sessions.forEach(", "  console.log('sweeping', sessions.size);\n  sessions.forEach(") };
    expect(planFirst(files, 'no-in-memory-session', `${ROOT}/src/app.js`).refused?.reason).toBe('`sessions` is swept by a timer (src/app.js:6), but the sweep (src/app.js:5) does more than delete old entries');
  });

  it('refuses a sweep by an expiry stamp: the TTL is not one constant', () => {
    const files = { [`${ROOT}/src/app.ts`]: SWEPT_TS.replace('if (now - session.createdAt > MAX_AGE_MS)', 'if (session.createdAt + MAX_AGE_MS < now)') };
    expect(planFirst(files, 'no-in-memory-session', `${ROOT}/src/app.ts`).refused?.reason).toBe('`sessions` is swept by a timer (src/app.ts:11), but the sweep (src/app.ts:11) deletes by a condition other than `now - entry.<time> > maxAge`');
  });
});

describe('planFixes: a counter kept in a plain object keyed by id', () => {
  it('CommonJS: (o[id] || 0) + 1 becomes one atomic increment, reads get', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const downloads = {};
const app = express();
app.get('/files/:id', function (req, res) {
  downloads[req.params.id] = (downloads[req.params.id] || 0) + 1;
  res.sendStatus(204);
});
app.get('/files/:id/stats', function (req, res) {
  res.json({ downloads: downloads[req.params.id] || 0 });
});
module.exports = app;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const { createCounterMap } = require('./scaling/counter');
const downloads = createCounterMap('downloads');
const app = express();
app.get('/files/:id', async function (req, res) {
  await downloads.increment(req.params.id);
  res.sendStatus(204);
});
app.get('/files/:id/stats', async function (req, res) {
  res.json({ downloads: await downloads.get(req.params.id) || 0 });
});
module.exports = app;
`);
    expect(countFindings(fixed, 'no-in-memory-counter')).toBe(0);
  });

  it('TypeScript: the `if (!o[id]) o[id] = 0;` before o[id]++ is removed and declared', () => {
    const source = `import express from 'express';
const votes: Record<string, number> = {};
export const app = express();
app.post('/polls/:id/vote', (req, res) => {
  const id = req.params.id;
  if (!votes[id]) votes[id] = 0;
  votes[id]++;
  res.json({ votes: votes[id] });
});
`;
    const files = { [`${ROOT}/src/app.ts`]: source };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.ts`);
    expect(applyPlan(files, plan)[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { createCounterMap } from './scaling/counter';
const votes = createCounterMap('votes');
export const app = express();
app.post('/polls/:id/vote', async (req, res) => {
  const id = req.params.id;
  await votes.increment(id);
  res.json({ votes: await votes.get(id) });
});
`);
    const start = source.indexOf('  if (!votes');
    expect(plan.removedStatements).toEqual([{ fileName: `${ROOT}/src/app.ts`, start, end: source.indexOf('  votes[id]++'), reason: 'Redis starts a missing count at 0, so `votes[id] = 0` is not needed' }]);
  });

  it('refuses a use the counter has no counterpart for, naming it', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');\nconst hits = {};\nconst app = express();\napp.get('/p/:id', (req, res) => {\n  hits[req.params.id] = (hits[req.params.id] || 0) + 1;\n  res.send(JSON.stringify(hits));\n});\n`,
    };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/src/app.js`).refused?.reason).toBe('`JSON.stringify(hits)` (src/app.js:6) has no counterpart in the Redis counter');
  });
});

describe('planFixes: sessions in a field of a singleton class', () => {
  it('TypeScript: a private field of a class instantiated once', () => {
    const files = {
      [`${ROOT}/src/auth.ts`]: `import express from 'express';

interface Session { user: string }

class SessionService {
  private sessions: Map<string, Session> = new Map();

  create(token: string, user: string): void {
    this.sessions.set(token, { user });
  }

  find(token: string): Session | undefined {
    return this.sessions.get(token);
  }
}

const service = new SessionService();
export const app = express();
app.post('/login', (req, res) => {
  service.create(req.body.token, req.body.user);
  res.status(204).end();
});
app.get('/me', (req, res) => {
  res.json(service.find(String(req.headers.authorization)) ?? null);
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/src/auth.ts`));
    expect(fixed[`${ROOT}/src/auth.ts`]).toBe(`import express from 'express';
import { createSessionStore } from './scaling/session-store';

interface Session { user: string }

class SessionService {
  private sessions = createSessionStore<Session>('SessionService.sessions');

  async create(token: string, user: string): Promise<void> {
    await this.sessions.set(token, { user });
  }

  async find(token: string): Promise<Session | undefined> {
    return await this.sessions.get(token);
  }
}

const service = new SessionService();
export const app = express();
app.post('/login', async (req, res) => {
  await service.create(req.body.token, req.body.user);
  res.status(204).end();
});
app.get('/me', async (req, res) => {
  res.json(await service.find(String(req.headers.authorization)) ?? null);
});
`);
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('CommonJS: this.sessions = new Map() in the constructor of a module-level instance', () => {
    const files = {
      [`${ROOT}/src/auth.js`]: `const express = require('express');
class Sessions {
  constructor() {
    this.sessions = new Map();
  }
  login(token, user) {
    this.sessions.set(token, user);
  }
  logout(token) {
    return this.sessions.delete(token);
  }
}
const store = new Sessions();
const app = express();
app.post('/login', (req, res) => {
  store.login(req.body.token, req.body.user);
  res.end();
});
app.post('/logout', (req, res) => {
  res.json({ removed: store.logout(req.body.token) });
});
module.exports = app;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/src/auth.js`));
    expect(fixed[`${ROOT}/src/auth.js`]).toBe(`const express = require('express');
const { createSessionStore } = require('./scaling/session-store');
class Sessions {
  constructor() {
    this.sessions = createSessionStore('Sessions.sessions');
  }
  async login(token, user) {
    await this.sessions.set(token, user);
  }
  async logout(token) {
    return await this.sessions.delete(token);
  }
}
const store = new Sessions();
const app = express();
app.post('/login', async (req, res) => {
  await store.login(req.body.token, req.body.user);
  res.end();
});
app.post('/logout', async (req, res) => {
  res.json({ removed: await store.logout(req.body.token) });
});
module.exports = app;
`);
  });
});

describe("planFixes: state on Express's app.locals", () => {
  it('is refused with what to do instead: every route reads it through req.app, which no reference search reaches', () => {
    const files = {
      [`${ROOT}/app.js`]: `const express = require('express');\nconst app = express();\napp.locals.carts = new Map();\napp.post('/cart/:user', (req, res) => {\n  req.app.locals.carts.set(req.params.user, req.body);\n  res.status(204).end();\n});\napp.listen(3000);\n`,
    };
    expect(planFirst(files, 'no-in-memory-session', `${ROOT}/app.js`).refused?.reason).toBe("`app.locals.carts` is kept on Express's app.locals, which every route reads through `req.app`: keep it in a module of its own (`const carts = new Map()`, exported), and the fix moves that to Redis");
  });

  it("and on Koa's app.context alike", () => {
    const files = {
      [`${ROOT}/app.js`]: `const Koa = require('koa');\nconst app = new Koa();\napp.context.carts = new Map();\napp.use((ctx) => {\n  ctx.carts.set(ctx.query.user, ctx.query.item);\n  ctx.status = 204;\n});\napp.listen(3000);\n`,
    };
    expect(planFirst(files, 'no-in-memory-session', `${ROOT}/app.js`).refused?.reason).toBe("`app.context.carts` is kept on Koa's app.context, which every middleware reads through `ctx`: keep it in a module of its own (`const carts = new Map()`, exported), and the fix moves that to Redis");
  });
});
