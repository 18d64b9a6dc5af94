import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, findingsIn, movePlan, planFirst } from '../testing/fix-plans';

// Sessions and counters kept in plain objects keyed by id, as legacy code writes them: a module
// object shared through CommonJS exports, a typed `Record`, a counter in a field of a NestJS-style singleton.

const TOKENS_JS = `var crypto = require('crypto');

// API tokens: token -> member
var tokens = {};

exports.issueToken = function (member) {
  var token = crypto.randomBytes(24).toString('hex');
  tokens[token] = { id: member.id, name: member.name };
  return token;
};

exports.revokeToken = function (token) {
  delete tokens[token];
};

exports.requireLogin = function (req, res, next) {
  var token = (req.get('authorization') || '').replace(/^Bearer\\s+/i, '');
  if (token && token in tokens) {
    req.member = tokens[token];
    return next();
  }
  res.status(401).json({ error: 'login required' });
};
`;

const ROUTES_JS = `var express = require('express');
var auth = require('../lib/auth');
var router = express.Router();

router.post('/login', function (req, res) {
  res.json({ token: auth.issueToken({ id: req.body.id, name: req.body.name }) });
});
router.post('/logout', function (req, res) {
  auth.revokeToken(req.get('authorization'));
  res.json({ ok: true });
});
router.get('/me', auth.requireLogin, function (req, res) {
  res.json(req.member);
});
module.exports = router;
`;

describe('planFixes: a plain object used as a session store', () => {
  it('CommonJS: o[k] = v sets, o[k] gets, delete o[k] deletes, k in o asks has; exported functions and their callers become async', () => {
    const files = { [`${ROOT}/lib/auth.js`]: TOKENS_JS, [`${ROOT}/routes/auth.js`]: ROUTES_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/lib/auth.js`));
    expect(fixed[`${ROOT}/lib/auth.js`]).toBe(`var crypto = require('crypto');
const { createSessionStore } = require('../src/scaling/session-store');

// API tokens: token -> member
var tokens = createSessionStore('tokens');

exports.issueToken = async function (member) {
  var token = crypto.randomBytes(24).toString('hex');
  await tokens.set(token, { id: member.id, name: member.name });
  return token;
};

exports.revokeToken = async function (token) {
  await tokens.delete(token);
};

exports.requireLogin = async function (req, res, next) {
  var token = (req.get('authorization') || '').replace(/^Bearer\\s+/i, '');
  if (token && await tokens.has(token)) {
    req.member = await tokens.get(token);
    return next();
  }
  res.status(401).json({ error: 'login required' });
};
`);
    expect(fixed[`${ROOT}/routes/auth.js`]).toBe(ROUTES_JS.replace("router.post('/login', function (req, res) {\n  res.json({ token: auth.issueToken(", "router.post('/login', async function (req, res) {\n  res.json({ token: await auth.issueToken(").replace("router.post('/logout', function (req, res) {\n  auth.revokeToken(", "router.post('/logout', async function (req, res) {\n  await auth.revokeToken("));
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('TypeScript: the store takes its value type from the Record annotation', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { randomUUID } from 'node:crypto';

interface Session { userId: string }
const sessions: Record<string, Session> = {};

export const app = express();
app.post('/login', (req, res) => {
  const token = randomUUID();
  sessions[token] = { userId: String(req.body.user) };
  res.json({ token });
});
app.get('/me', (req, res) => {
  const session = sessions[String(req.headers.authorization)];
  if (!session) return res.status(401).end();
  res.json({ userId: session.userId });
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/src/app.ts`));
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { randomUUID } from 'node:crypto';
import { createSessionStore } from './scaling/session-store';

interface Session { userId: string }
const sessions = createSessionStore<Session>('sessions');

export const app = express();
app.post('/login', async (req, res) => {
  const token = randomUUID();
  await sessions.set(token, { userId: String(req.body.user) });
  res.json({ token });
});
app.get('/me', async (req, res) => {
  const session = await sessions.get(String(req.headers.authorization));
  if (!session) return res.status(401).end();
  res.json({ userId: session.userId });
});
`);
  });

  it('sets a value changed in place again under its key, after the statement that changes it', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const visits = {};
const app = express();
app.get('/visit/:user', (req, res) => {
  const entry = visits[req.params.user];
  if (!entry) {
    visits[req.params.user] = { first: Date.now(), pages: [] };
    return res.json({ first: true });
  }
  entry.pages.push(req.query.page);
  res.json({ first: false });
});
module.exports = app;
`,
    };
    expect(applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const { createSessionStore } = require('./scaling/session-store');
const visits = createSessionStore('visits');
const app = express();
app.get('/visit/:user', async (req, res) => {
  const entry = await visits.get(req.params.user);
  if (!entry) {
    await visits.set(req.params.user, { first: Date.now(), pages: [] });
    return res.json({ first: true });
  }
  entry.pages.push(req.query.page);
  await visits.set(req.params.user, entry);
  res.json({ first: false });
});
module.exports = app;
`);
  });

  it('refuses the whole object handed on, naming it', () => {
    const files = { [`${ROOT}/lib/auth.js`]: `${TOKENS_JS}exports.all = function () {\n  return tokens;\n};\n`, [`${ROOT}/routes/auth.js`]: ROUTES_JS };
    expect(planFirst(files, 'no-in-memory-session', `${ROOT}/lib/auth.js`).refused?.reason).toBe('`return tokens;` (lib/auth.js:25) has no counterpart in the Redis adapter');
  });
});

describe('planFixes: a counter object in a field of a singleton', () => {
  const SERVICE = `import { Injectable } from '@nestjs/common';

@Injectable()
export class CoursesService {
  private readonly views: Record<number, number> = {};

  view(id: number) {
    this.views[id] = (this.views[id] ?? 0) + 1;
    return { id, views: this.views[id] };
  }

  popular() {
    return Object.entries(this.views).map(([id, views]) => ({ id: Number(id), views }));
  }
}
`;
  const CONTROLLER = `import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { CoursesService } from './courses.service';

@Controller('courses')
export class CoursesController {
  constructor(private readonly courses: CoursesService) {}

  @Get('popular')
  popular() {
    return this.courses.popular();
  }

  @Get(':id')
  view(@Param('id', ParseIntPipe) id: number) {
    return this.courses.view(id);
  }
}
`;

  it('TypeScript: this.o[k] read-modify-write is one increment, Object.entries(this.o) reads a snapshot with all()', () => {
    const files = { [`${ROOT}/src/courses/courses.service.ts`]: SERVICE, [`${ROOT}/src/courses/courses.controller.ts`]: CONTROLLER };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/courses/courses.service.ts`));
    expect(fixed[`${ROOT}/src/courses/courses.service.ts`]).toBe(`import { Injectable } from '@nestjs/common';
import { createCounterMap } from '../scaling/counter';

@Injectable()
export class CoursesService {
  private readonly views = createCounterMap('CoursesService.views');

  async view(id: number) {
    return { id, views: await this.views.increment(id) };
  }

  async popular() {
    return Object.entries(await this.views.all()).map(([id, views]) => ({ id: Number(id), views }));
  }
}
`);
    expect(fixed[`${ROOT}/src/courses/courses.controller.ts`]).toBe(CONTROLLER.replace('  popular() {\n    return this.courses.popular();', '  async popular() {\n    return await this.courses.popular();').replace('  view(@Param', '  async view(@Param').replace('return this.courses.view(id);', 'return await this.courses.view(id);'));
    expect(countFindings(fixed, 'no-in-memory-counter')).toBe(0);
  });

  it('CommonJS: this.o = {} in the constructor; `return o` of the whole object reads all()', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
class Downloads {
  constructor() {
    this.counts = {};
  }
  hit(name) {
    this.counts[name] = (this.counts[name] || 0) + 1;
  }
  report() {
    return this.counts;
  }
}
const downloads = new Downloads();
const app = express();
app.get('/files/:name', (req, res) => {
  downloads.hit(req.params.name);
  res.sendStatus(204);
});
app.get('/stats', (req, res) => {
  res.json(downloads.report());
});
module.exports = app;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const { createCounterMap } = require('./scaling/counter');
class Downloads {
  constructor() {
    this.counts = createCounterMap('Downloads.counts');
  }
  async hit(name) {
    await this.counts.increment(name);
  }
  async report() {
    return await this.counts.all();
  }
}
const downloads = new Downloads();
const app = express();
app.get('/files/:name', async (req, res) => {
  await downloads.hit(req.params.name);
  res.sendStatus(204);
});
app.get('/stats', async (req, res) => {
  res.json(await downloads.report());
});
module.exports = app;
`);
  });
});

describe('planFixes: a counter read inside an array `.map` callback', () => {
  const LIKES = `const likes = {};

export function like(photoId) {
  likes[photoId] = (likes[photoId] || 0) + 1;
  return likes[photoId];
}

export function likesOf(photoId) {
  return likes[photoId] || 0;
}
`;

  it('ESM JavaScript: xs.map(cb) becomes await Promise.all(xs.map(async cb)), the same array', () => {
    const files = {
      [`${ROOT}/src/lib/likes.js`]: LIKES,
      [`${ROOT}/src/routes/photos.js`]: `import Router from '@koa/router';
import { like, likesOf } from '../lib/likes.js';

const router = new Router();
router.post('/photos/:id/like', async (ctx) => {
  ctx.body = { likes: like(ctx.params.id) };
});
router.get('/photos', async (ctx) => {
  const rows = [{ id: 1 }, { id: 2 }];
  ctx.body = rows.map((p) => ({ id: p.id, likes: likesOf(p.id) }));
});
router.get('/photos/top', async (ctx) => {
  const rows = [{ id: 1 }, { id: 2 }];
  ctx.body = rows.map((p) => likesOf(p.id)).sort();
});
export default router;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/lib/likes.js`));
    expect(fixed[`${ROOT}/src/routes/photos.js`]).toBe(`import Router from '@koa/router';
import { like, likesOf } from '../lib/likes.js';

const router = new Router();
router.post('/photos/:id/like', async (ctx) => {
  ctx.body = { likes: await like(ctx.params.id) };
});
router.get('/photos', async (ctx) => {
  const rows = [{ id: 1 }, { id: 2 }];
  ctx.body = await Promise.all(rows.map(async (p) => ({ id: p.id, likes: await likesOf(p.id) })));
});
router.get('/photos/top', async (ctx) => {
  const rows = [{ id: 1 }, { id: 2 }];
  ctx.body = (await Promise.all(rows.map(async (p) => await likesOf(p.id)))).sort();
});
export default router;
`);
  });

  it('a forEach callback becomes a for…of loop (for-each-loops.test.ts has the shapes it refuses)', () => {
    const files = {
      [`${ROOT}/src/lib/likes.js`]: LIKES,
      [`${ROOT}/src/routes/photos.js`]: `import Router from '@koa/router';
import { like } from '../lib/likes.js';

const router = new Router();
router.post('/photos/like', async (ctx) => {
  [1, 2].forEach((id) => like(id));
  ctx.body = { ok: true };
});
export default router;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/lib/likes.js`));
    expect(fixed[`${ROOT}/src/routes/photos.js`]).toBe(files[`${ROOT}/src/routes/photos.js`].replace('[1, 2].forEach((id) => like(id));', 'for (const id of [1, 2]) await like(id);'));
  });
});

describe('planFixes: state kept on globalThis across hot reloads (Next.js)', () => {
  it('the whole `globalThis.__x ?? (globalThis.__x = {})` becomes the store; an ESM file with only `export function` gets an import', () => {
    const files = {
      [`${ROOT}/lib/views.js`]: `const views = globalThis.__views ?? (globalThis.__views = {});

export function countView(postId) {
  views[postId] = (views[postId] || 0) + 1;
  return views[postId];
}
`,
      [`${ROOT}/pages/api/posts/[id].js`]: `import { countView } from '../../../lib/views';

export default function handler(req, res) {
  res.status(200).json({ id: req.query.id, views: countView(req.query.id) });
}
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/views.js`));
    expect(fixed[`${ROOT}/lib/views.js`]).toBe(`import { createCounterMap } from '../src/scaling/counter.js';
const views = createCounterMap('views');

export async function countView(postId) {
  return await views.increment(postId);
}
`);
    expect(fixed[`${ROOT}/pages/api/posts/[id].js`]).toBe(`import { countView } from '../../../lib/views';

export default async function handler(req, res) {
  res.status(200).json({ id: req.query.id, views: await countView(req.query.id) });
}
`);
  });
});

describe('state in an object a CommonJS module exports whole (module.exports = { sessions: {} })', () => {
  const STORE = `'use strict';
// Shared between the handlers.
module.exports = {
  sessions: {},
  stats: { requests: 0, uploads: 0 },
  limits: { pageSize: 20 },
};
`;
  const APP = `const express = require('express');
const crypto = require('crypto');
const store = require('./store');
const app = express();
app.use((req, res, next) => {
  store.stats.requests++;
  next();
});
app.post('/login', (req, res) => {
  const sid = crypto.randomBytes(18).toString('hex');
  store.sessions[sid] = { user: req.body.user };
  res.json({ sid, pageSize: store.limits.pageSize });
});
module.exports = app;
`;

  it('reports each property the request path writes at the property, not the read-only ones', () => {
    const files = { [`${ROOT}/src/store.js`]: STORE, [`${ROOT}/src/app.js`]: APP };
    const where = (ruleId: 'no-in-memory-session' | 'no-in-memory-counter') =>
      findingsIn(files, ruleId, `${ROOT}/src/store.js`).findings.map((finding) => `${finding.messageId} ${STORE.slice(0, finding.start).split('\n').length}:${finding.start - STORE.lastIndexOf('\n', finding.start - 1)} ${STORE.slice(finding.start, finding.end)}`);
    expect(where('no-in-memory-session')).toEqual(['sessionInMemory 4:3 sessions']);
    expect(where('no-in-memory-counter')).toEqual(['counterInMemory 5:3 stats']);
  });

  it('moves a property used as a session store in place, the import added to the exporting module', () => {
    const files = { [`${ROOT}/src/store.js`]: STORE, [`${ROOT}/src/app.js`]: APP };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/src/store.js`));
    expect(fixed[`${ROOT}/src/store.js`]).toBe(`'use strict';
const { createSessionStore } = require('./scaling/session-store');
// Shared between the handlers.
module.exports = {
  sessions: createSessionStore('sessions'),
  stats: { requests: 0, uploads: 0 },
  limits: { pageSize: 20 },
};
`);
    expect(fixed[`${ROOT}/src/app.js`]).toBe(APP.replace("app.post('/login', (req, res) => {", "app.post('/login', async (req, res) => {").replace('  store.sessions[sid] = { user: req.body.user };', '  await store.sessions.set(sid, { user: req.body.user });'));
  });
});

describe('a Fastify decoration holding sessions', () => {
  it('is reported at its name; without fastify\'s types its uses cannot be tied to the declaration, and the fix is refused naming one', () => {
    const files = {
      [`${ROOT}/src/plugins/sessions.ts`]: `import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Map<string, number>;
  }
}

export default async function sessions(fastify: FastifyInstance) {
  fastify.decorate('sessions', new Map<string, number>());
}
`,
      [`${ROOT}/src/app.ts`]: `import Fastify from 'fastify';
import sessions from './plugins/sessions';

export const app = Fastify();
app.register(sessions);
app.register(async (fastify) => {
  fastify.post('/login', async (request) => {
    fastify.sessions.set(request.id, 1);
    return { ok: true };
  });
});
`,
    };
    const planned = planFirst(files, 'no-in-memory-session', `${ROOT}/src/plugins/sessions.ts`);
    expect(planned.refused?.reason).toBe('`sessions` is a Fastify decoration, and `fastify.sessions` (src/app.ts:8) is a use whose type is not known: the fix cannot tell whether it reads the decoration');
  });
});

describe('planFixes: a count read back right after its increment', () => {
  const VOTES_TS = `// Votes per file.
const votes: Record<number, number> = {};

export function vote(fileId: number): number {
  votes[fileId] = (votes[fileId] ?? 0) + 1;
  return votes[fileId];
}

export function votesFor(fileId: number): number {
  return votes[fileId] ?? 0;
}
`;

  const ROUTES_TS = `import express from 'express';
import { vote, votesFor } from './votes';
export const app = express();
app.post('/files/:id/vote', (req, res) => res.json({ votes: vote(Number(req.params.id)) }));
app.get('/files/:id', (req, res) => res.json({ votes: votesFor(Number(req.params.id)) }));
`;

  it('TypeScript: `o[k] = (o[k] ?? 0) + 1; return o[k];` returns what the one increment counted (the map get may be undefined, the increment never is)', () => {
    const files = { [`${ROOT}/src/votes.ts`]: VOTES_TS, [`${ROOT}/src/routes.ts`]: ROUTES_TS };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/votes.ts`);
    expect(applyPlan(files, plan)[`${ROOT}/src/votes.ts`]).toBe(`import { createCounterMap } from './scaling/counter';
// Votes per file.
const votes = createCounterMap('votes');

export async function vote(fileId: number): Promise<number> {
  return await votes.increment(fileId);
}

export async function votesFor(fileId: number): Promise<number> {
  return await votes.get(fileId) ?? 0;
}
`);
    expect(plan.removedStatements?.map((removed) => [VOTES_TS.slice(removed.start, removed.end), removed.reason])).toEqual([
      ['votes[fileId] = (votes[fileId] ?? 0) + 1;', '`votes.increment(fileId)` below adds to the count and reads it back in one atomic step'],
    ]);
  });

  it('keeps the increment and reads with get when the next statement reads another key, or the key is computed', () => {
    const other = VOTES_TS.replace('return votes[fileId];', 'return votes[fileId + 1];');
    const computed = VOTES_TS.replace(/votes\[fileId\]/g, 'votes[key(fileId)]').replace('export function vote', 'const key = (id: number) => id;\nexport function vote');
    for (const text of [other, computed]) {
      const files = { [`${ROOT}/src/votes.ts`]: text, [`${ROOT}/src/routes.ts`]: ROUTES_TS };
      const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/votes.ts`);
      expect(plan.removedStatements ?? []).toEqual([]);
      expect(applyPlan(files, plan)[`${ROOT}/src/votes.ts`]).toContain(text === other ? 'await votes.increment(fileId);\n  return await votes.get(fileId + 1);' : 'await votes.increment(key(fileId));\n  return await votes.get(key(fileId));');
    }
  });
});

describe('planFixes: a counter object exported and read in another module', () => {
  it('TypeScript: the import names the counter map, the read there becomes get', () => {
    const files = {
      [`${ROOT}/src/middleware/usage.ts`]: `import type { NextFunction, Request, Response } from 'express';

export const usage: Record<string, number> = {};

export function countUsage(req: Request, _res: Response, next: NextFunction) {
  usage[req.ip ?? ''] = (usage[req.ip ?? ''] || 0) + 1;
  next();
}
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { countUsage, usage } from './middleware/usage';

export const app = express();
app.use(countUsage);
app.get('/account', (req, res) => {
  res.json({ requests: usage[req.ip ?? ''] || 0 });
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/middleware/usage.ts`));
    expect(fixed[`${ROOT}/src/middleware/usage.ts`]).toBe(`import type { NextFunction, Request, Response } from 'express';
import { createCounterMap } from '../scaling/counter';

export const usage = createCounterMap('usage');

export async function countUsage(req: Request, _res: Response, next: NextFunction) {
  await usage.increment(req.ip ?? '');
  next();
}
`);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { countUsage, usage } from './middleware/usage';

export const app = express();
app.use(countUsage);
app.get('/account', async (req, res) => {
  res.json({ requests: await usage.get(req.ip ?? '') || 0 });
});
`);
  });
});
