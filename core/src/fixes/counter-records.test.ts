import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// A record of named counts that start at 0 (`stats: { requests: 0, uploads: 0 }`): each count
// becomes its own Redis counter, which reads 0 until it is first counted, as the record's 0 did.

const STORE_JS = `'use strict';

// what the service has done since it started
module.exports = {
  stats: { requests: 0, uploads: 0, bytesIn: 0 }
};
`;

const SERVER_JS = `'use strict';

const express = require('express');
const store = require('./lib/store');

const app = express();
app.use((req, res, next) => {
  store.stats.requests++;
  next();
});
app.put('/documents/:name', (req, res) => {
  const bytes = Number(req.get('content-length'));
  store.stats.uploads++;
  store.stats.bytesIn += bytes;
  res.status(201).json({ bytes: bytes });
});
app.get('/stats', function (req, res) {
  res.json({ requests: store.stats.requests, uploads: store.stats.uploads, bytesIn: store.stats.bytesIn });
});
module.exports = app;
`;

const planned = (store: string, server: string) => planFirst({ [`${ROOT}/lib/store.js`]: store, [`${ROOT}/server.js`]: server }, 'no-in-memory-counter', `${ROOT}/lib/store.js`);

describe('planFixes: a record of counts that start at 0', () => {
  it('CommonJS module.exports store: each count is a createCounter, ++ and += increment, reads get', () => {
    const files = { [`${ROOT}/lib/store.js`]: STORE_JS, [`${ROOT}/server.js`]: SERVER_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/store.js`));
    expect(fixed[`${ROOT}/lib/store.js`]).toBe(`'use strict';
const { createCounter } = require('../src/scaling/counter');

// what the service has done since it started
module.exports = {
  stats: { requests: createCounter('stats.requests'), uploads: createCounter('stats.uploads'), bytesIn: createCounter('stats.bytesIn') }
};
`);
    expect(fixed[`${ROOT}/server.js`]).toBe(`'use strict';

const express = require('express');
const store = require('./lib/store');

const app = express();
app.use(async (req, res, next) => {
  await store.stats.requests.increment();
  next();
});
app.put('/documents/:name', async (req, res) => {
  const bytes = Number(req.get('content-length'));
  await store.stats.uploads.increment();
  await store.stats.bytesIn.increment(bytes);
  res.status(201).json({ bytes: bytes });
});
app.get('/stats', async function (req, res) {
  res.json({ requests: await store.stats.requests.get(), uploads: await store.stats.uploads.get(), bytesIn: await store.stats.bytesIn.get() });
});
module.exports = app;
`);
    expect(countFindings(fixed, 'no-in-memory-counter')).toBe(0);
  });

  it('TypeScript module variable: -- and -= count down, `o.k = v;` sets', () => {
    const files = {
      [`${ROOT}/src/jobs.ts`]: `import express from 'express';

const jobs = { running: 0, done: 0 };

export const app = express();
app.post('/jobs', async (req, res) => {
  jobs.running++;
  await new Promise((resolve) => setTimeout(resolve, 10));
  jobs.running--;
  jobs.done += 1;
  res.json({ running: jobs.running, done: jobs.done });
});
app.delete('/jobs', (req, res) => {
  jobs.done = 0;
  jobs.running -= 0;
  res.end();
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/jobs.ts`));
    expect(fixed[`${ROOT}/src/jobs.ts`]).toBe(`import express from 'express';
import { createCounter } from './scaling/counter';

const jobs = { running: createCounter('jobs.running'), done: createCounter('jobs.done') };

export const app = express();
app.post('/jobs', async (req, res) => {
  await jobs.running.increment();
  await new Promise((resolve) => setTimeout(resolve, 10));
  await jobs.running.increment(-1);
  await jobs.done.increment(1);
  res.json({ running: await jobs.running.get(), done: await jobs.done.get() });
});
app.delete('/jobs', async (req, res) => {
  await jobs.done.set(0);
  await jobs.running.increment(-(0));
  res.end();
});
`);
  });

  it('a record kept on globalThis (the Next.js dev-reload singleton) moves whole: the slot goes, the counts live in Redis', () => {
    const files = {
      [`${ROOT}/src/stats.ts`]: `const globalForStats = globalThis as unknown as { gymStats?: { checkinsToday: number } };

export const gymStats = globalForStats.gymStats ?? (globalForStats.gymStats = { checkinsToday: 0 });
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { gymStats } from './stats';

export const app = express();
app.post('/checkins', (req, res) => {
  gymStats.checkinsToday += 1;
  res.json({ checkins: gymStats.checkinsToday });
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/stats.ts`));
    expect(fixed[`${ROOT}/src/stats.ts`]).toBe(`import { createCounter } from './scaling/counter';
const globalForStats = globalThis as unknown as { gymStats?: { checkinsToday: number } };

export const gymStats = { checkinsToday: createCounter('gymStats.checkinsToday') };
`);
    expect(fixed[`${ROOT}/src/app.ts`]).toContain('  await gymStats.checkinsToday.increment(1);\n  res.json({ checkins: await gymStats.checkinsToday.get() });\n');
  });

  it('the day the counts are for, beside them and replaced whole by the reset, becomes a shared value set and read in Redis', () => {
    const files = {
      [`${ROOT}/src/stats.ts`]: `const globalForStats = globalThis as unknown as { gymStats?: { checkinsToday: number; day: string } };

export const gymStats = globalForStats.gymStats ?? (globalForStats.gymStats = { checkinsToday: 0, day: new Date().toISOString().slice(0, 10) });
`,
      [`${ROOT}/src/jobs.ts`]: `import cron from 'node-cron';
import { gymStats } from './stats';

export function startJobs(): void {
  cron.schedule('0 0 * * *', () => {
    gymStats.checkinsToday = 0;
    gymStats.day = new Date().toISOString().slice(0, 10);
  });
}
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { gymStats } from './stats';

export const app = express();
app.post('/checkins', (req, res) => {
  gymStats.checkinsToday += 1;
  res.json({ day: gymStats.day, checkins: gymStats.checkinsToday });
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/stats.ts`));
    expect(fixed[`${ROOT}/src/stats.ts`]).toBe(`import { createCounter } from './scaling/counter';
import { createValue } from './scaling/value';
const globalForStats = globalThis as unknown as { gymStats?: { checkinsToday: number; day: string } };

export const gymStats = { checkinsToday: createCounter('gymStats.checkinsToday'), day: createValue<string>('gymStats.day', new Date().toISOString().slice(0, 10)) };
`);
    expect(fixed[`${ROOT}/src/jobs.ts`]).toBe(`import cron from 'node-cron';
import { gymStats } from './stats';

export function startJobs(): void {
  cron.schedule('0 0 * * *', async () => {
    await gymStats.checkinsToday.set(0);
    await gymStats.day.set(new Date().toISOString().slice(0, 10));
  });
}
`);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { gymStats } from './stats';

export const app = express();
app.post('/checkins', async (req, res) => {
  await gymStats.checkinsToday.increment(1);
  res.json({ day: await gymStats.day.get(), checkins: await gymStats.checkinsToday.get() });
});
`);
  });

  it('CommonJS: the time the counts start from, set by the daily reset, moves; a label no code changes stays', () => {
    const store = STORE_JS.replace('bytesIn: 0 }', "bytesIn: 0, since: new Date().toISOString(), label: 'documents' }");
    const server = SERVER_JS.replace('module.exports = app;', `setInterval(() => {
  store.stats.requests = 0;
  store.stats.since = new Date().toISOString();
}, 24 * 60 * 60 * 1000);
module.exports = app;`).replace('bytesIn: store.stats.bytesIn });', 'bytesIn: store.stats.bytesIn, since: store.stats.since, label: store.stats.label });');
    const files = { [`${ROOT}/lib/store.js`]: store, [`${ROOT}/server.js`]: server };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/store.js`));
    expect(fixed[`${ROOT}/lib/store.js`]).toBe(`'use strict';
const { createCounter } = require('../src/scaling/counter');
const { createValue } = require('../src/scaling/value');

// what the service has done since it started
module.exports = {
  stats: { requests: createCounter('stats.requests'), uploads: createCounter('stats.uploads'), bytesIn: createCounter('stats.bytesIn'), since: createValue('stats.since', new Date().toISOString()), label: 'documents' }
};
`);
    expect(fixed[`${ROOT}/server.js`]).toBe(`'use strict';

const express = require('express');
const store = require('./lib/store');

const app = express();
app.use(async (req, res, next) => {
  await store.stats.requests.increment();
  next();
});
app.put('/documents/:name', async (req, res) => {
  const bytes = Number(req.get('content-length'));
  await store.stats.uploads.increment();
  await store.stats.bytesIn.increment(bytes);
  res.status(201).json({ bytes: bytes });
});
app.get('/stats', async function (req, res) {
  res.json({ requests: await store.stats.requests.get(), uploads: await store.stats.uploads.get(), bytesIn: await store.stats.bytesIn.get(), since: await store.stats.since.get(), label: store.stats.label });
});
setInterval(async () => {
  await store.stats.requests.set(0);
  await store.stats.since.set(new Date().toISOString());
}, 24 * 60 * 60 * 1000);
module.exports = app;
`);
    // Sent whole: a snapshot of the counts, the value and the label.
    const whole = { ...files, [`${ROOT}/server.js`]: server.replace(/res\.json\(\{ requests: [^\n]*/, 'res.json(store.stats);') };
    expect(applyPlan(whole, movePlan(whole, 'no-in-memory-counter', `${ROOT}/lib/store.js`))[`${ROOT}/server.js`]).toContain('  res.json(({ requests: await store.stats.requests.get(), uploads: await store.stats.uploads.get(), bytesIn: await store.stats.bytesIn.get(), since: await store.stats.since.get(), label: store.stats.label }));');
  });

  it('refuses a changed member that is a number not starting at 0, one set to what JSON would not give back, one changed in place or added to', () => {
    const store = (members: string) => STORE_JS.replace('bytesIn: 0 }', `bytesIn: 0, ${members} }`);
    const reset = (change: string) => SERVER_JS.replace('module.exports = app;', `setInterval(() => {
  store.stats.requests = 0;
  ${change}
}, 24 * 60 * 60 * 1000);
module.exports = app;`);
    expect(planned(store('limit: 100'), reset('store.stats.limit = 200;')).refused?.reason).toBe('`stats.limit` starts at `100`, not 0');
    expect(planned(store('since: new Date()'), reset('store.stats.since = new Date();')).refused?.reason).toBe('`stats.since` starts as `new Date()`, which is not plain data: Redis would store it as JSON and give back something else');
    expect(planned(store("since: ''"), reset('store.stats.since = new Date();')).refused?.reason).toBe('`store.stats.since = new Date()` (server.js:22) has no counterpart in the Redis value');
    expect(planned(store('days: []'), reset('store.stats.days.push(Date.now());')).refused?.reason).toBe('`store.stats.days.push` (server.js:22) has no counterpart in the Redis value');
    expect(planned(store("since: ''"), reset("store.stats.since += 'x';")).refused?.reason).toBe(`\`store.stats.since += 'x'\` (server.js:22) has no counterpart in the Redis value`);
  });

  it('TypeScript: a value whose declared type JSON would not give back is refused; a plain one keeps its type as the shared value', () => {
    const files = (member: string, value: string) => ({
      [`${ROOT}/src/stats.ts`]: `interface Stats { checkins: number; ${member} }

export const stats: Stats = { checkins: 0, since: null };
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { stats } from './stats';

export const app = express();
app.post('/checkins', (req, res) => {
  stats.checkins++;
  res.json({ checkins: stats.checkins, next: stats.checkins + 1, since: stats.since });
});
setInterval(() => {
  stats.checkins = 0;
  stats.since = ${value};
}, 60_000);
`,
    });
    expect(planFirst(files('since: Date | null;', 'new Date(Date.now())'), 'no-in-memory-counter', `${ROOT}/src/stats.ts`).refused?.reason).toBe('`stats.since` holds Date values, which Redis would store as JSON and give back changed');
    const plain = files('since: string | null;', 'new Date().toISOString()');
    const fixed = applyPlan(plain, movePlan(plain, 'no-in-memory-counter', `${ROOT}/src/stats.ts`));
    expect(fixed[`${ROOT}/src/stats.ts`]).toBe(`import { createCounter } from './scaling/counter';
import { SharedValue, createValue } from './scaling/value';
interface Stats { checkins: ReturnType<typeof createCounter>; since: SharedValue<string | null>; }

export const stats: Stats = { checkins: createCounter('stats.checkins'), since: createValue<string | null>('stats.since', null) };
`);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { stats } from './stats';

export const app = express();
app.post('/checkins', async (req, res) => {
  await stats.checkins.increment();
  res.json({ checkins: await stats.checkins.get(), next: await stats.checkins.get() + 1, since: await stats.since.get() });
});
setInterval(async () => {
  await stats.checkins.set(0);
  await stats.since.set(new Date().toISOString());
}, 60_000);
`);
  });

  it('the record sent whole is a snapshot of its counts', () => {
    const server = SERVER_JS.replace('res.json({ requests: store.stats.requests, uploads: store.stats.uploads, bytesIn: store.stats.bytesIn });', 'res.json(store.stats);');
    const files = { [`${ROOT}/lib/store.js`]: STORE_JS, [`${ROOT}/server.js`]: server };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/store.js`));
    expect(fixed[`${ROOT}/server.js`]).toContain(`app.get('/stats', async function (req, res) {
  res.json(({ requests: await store.stats.requests.get(), uploads: await store.stats.uploads.get(), bytesIn: await store.stats.bytesIn.get() }));
});`);
  });

  it('refuses the record used whole where a snapshot would not do, a count it does not start with, a count that starts elsewhere than 0, a `.stats` of an untyped value', () => {
    expect(planned(STORE_JS, SERVER_JS.replace("res.json({ requests: store.stats.requests, uploads: store.stats.uploads, bytesIn: store.stats.bytesIn });", 'const stats = store.stats;\n  res.json({ uploads: stats.uploads });')).refused?.reason).toBe(
      '`stats = store.stats` (server.js:18) uses the record `stats` whole, and its counts live in Redis one by one',
    );
    expect(planned(STORE_JS, SERVER_JS.replace('store.stats.bytesIn += bytes;', 'store.stats.bytesOut += bytes;')).refused?.reason).toBe('`store.stats.bytesOut` (server.js:14) is not one of the counts `stats` starts with');
    expect(planned(STORE_JS.replace('requests: 0', 'requests: 1'), SERVER_JS).refused?.reason).toBe('`stats.requests` starts at `1`, not 0');
    // The store handed to a function whose parameter has no type: its `.stats` cannot be followed.
    expect(planned(STORE_JS, SERVER_JS.replace("module.exports = app;", "function countUpload(shared) {\n  shared.stats.uploads++;\n}\nmodule.exports = { app, countUpload };")).refused?.reason).toBe(
      '`shared.stats` (server.js:21) may read `stats`, through a value whose type does not say so',
    );
    expect(planned(STORE_JS.replace('bytesIn: 0', 'lastUpload: null'), SERVER_JS).refused?.reason).toBe('`store.stats.bytesIn` (server.js:14) is not one of the counts `stats` starts with');
  });

  it('refuses `o.k++` whose value is used (the count before, where increment gives the count after)', () => {
    expect(planned(STORE_JS, SERVER_JS.replace('store.stats.uploads++;', 'const number = store.stats.uploads++;')).refused?.reason).toBe('`store.stats.uploads++` (server.js:13) has no counterpart in the Redis counter');
  });

  it('refuses a TypeScript record whose type is used elsewhere, where it would still say numbers', () => {
    const files = {
      [`${ROOT}/src/jobs.ts`]: `import express from 'express';

interface Jobs { done: number }
const jobs: Jobs = { done: 0 };

export const app = express();
app.post('/jobs', (req, res) => {
  jobs.done++;
  res.end();
});
export function report(jobs: Jobs): string {
  return String(jobs.done);
}
`,
    };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/src/jobs.ts`).refused?.reason).toBe('the type `Jobs` of `jobs` is also used at src/jobs.ts:11, where it would still say numbers');
  });
});

const STATS_PLUGIN = `import fp from 'fastify-plugin';

interface Stats {
  ticketsOpened: number;
  repliesByTicket: Record<string, number>;
}

declare module 'fastify' {
  interface FastifyInstance {
    stats: Stats;
  }
}

export default fp(async (fastify) => {
  fastify.decorate('stats', { ticketsOpened: 0, repliesByTicket: {} } as Stats);
}, { name: 'stats' });
`;

const FASTIFY = `export interface FastifyRequest { params: { id: string }; server: FastifyInstance }
export interface FastifyReply { code(status: number): FastifyReply; send(value: unknown): FastifyReply }
export interface FastifyInstance {
  decorate(name: string, value: unknown): FastifyInstance;
  get(path: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown): void;
  post(path: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown): void;
}
export type FastifyPluginAsync = (fastify: FastifyInstance) => Promise<void>;
`;
const FASTIFY_PLUGIN = `import type { FastifyPluginAsync } from 'fastify';
export default function fp(plugin: FastifyPluginAsync, options?: object): FastifyPluginAsync;
`;

const TICKETS = `import type { FastifyPluginAsync } from 'fastify';

export const tickets: FastifyPluginAsync = async (fastify) => {
  fastify.post('/tickets', async (request, reply) => {
    fastify.stats.ticketsOpened++;
    return reply.code(201).send({ ok: true });
  });
  fastify.post('/tickets/:id/replies', async (request) => {
    const id = request.params.id;
    request.server.stats.repliesByTicket[id] = (request.server.stats.repliesByTicket[id] || 0) + 1;
    return { replies: fastify.stats.repliesByTicket[id] };
  });
  fastify.get('/stats', async () => fastify.stats);
};
`;

const fastifyProject = (plugin: string): Record<string, string> => ({
  [`${ROOT}/node_modules/fastify/index.d.ts`]: FASTIFY,
  [`${ROOT}/node_modules/fastify-plugin/index.d.ts`]: FASTIFY_PLUGIN,
  [`${ROOT}/src/plugins/stats.ts`]: plugin,
  [`${ROOT}/src/routes/tickets.ts`]: TICKETS,
});

describe('planFixes: a record of counts a Fastify plugin decorates the instance with', () => {
  it('follows every fastify.stats and request.server.stats; a `{}` member is counts by key; the declared type says counters; the record read whole is a snapshot', () => {
    const files = fastifyProject(STATS_PLUGIN);
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/plugins/stats.ts`));
    expect(fixed[`${ROOT}/src/plugins/stats.ts`]).toBe(`import fp from 'fastify-plugin';
import { createCounter, createCounterMap } from '../scaling/counter';

interface Stats {
  ticketsOpened: ReturnType<typeof createCounter>;
  repliesByTicket: ReturnType<typeof createCounterMap>;
}

declare module 'fastify' {
  interface FastifyInstance {
    stats: Stats;
  }
}

export default fp(async (fastify) => {
  fastify.decorate('stats', { ticketsOpened: createCounter('stats.ticketsOpened'), repliesByTicket: createCounterMap('stats.repliesByTicket') } as Stats);
}, { name: 'stats' });
`);
    expect(fixed[`${ROOT}/src/routes/tickets.ts`]).toBe(`import type { FastifyPluginAsync } from 'fastify';

export const tickets: FastifyPluginAsync = async (fastify) => {
  fastify.post('/tickets', async (request, reply) => {
    await fastify.stats.ticketsOpened.increment();
    return reply.code(201).send({ ok: true });
  });
  fastify.post('/tickets/:id/replies', async (request) => {
    const id = request.params.id;
    await request.server.stats.repliesByTicket.increment(id);
    return { replies: await fastify.stats.repliesByTicket.get(id) };
  });
  fastify.get('/stats', async () => ({ ticketsOpened: await fastify.stats.ticketsOpened.get(), repliesByTicket: await fastify.stats.repliesByTicket.all() }));
};
`);
  });

  it('refuses a decoration no augmentation declares, a `.stats` read through an untyped value', () => {
    const undeclared = STATS_PLUGIN.replace(/declare module 'fastify' \{[\s\S]*?\n\}\n/, '');
    expect(planFirst(fastifyProject(undeclared), 'no-in-memory-counter', `${ROOT}/src/plugins/stats.ts`).refused?.reason).toBe(
      "`stats` is a Fastify decoration (`fastify.decorate('stats', …)`) that no `declare module 'fastify'` augmentation of `FastifyInstance` declares, so its uses cannot be followed",
    );
    const withLabel = STATS_PLUGIN.replace('repliesByTicket: {} }', "repliesByTicket: {}, label: 'helpdesk' }").replace('repliesByTicket: Record<string, number>;', 'repliesByTicket: Record<string, number>;\n  label: string;');
    const untyped = fastifyProject(STATS_PLUGIN);
    untyped[`${ROOT}/src/routes/tickets.ts`] = TICKETS.replace("fastify.get('/stats', async () => fastify.stats);", "fastify.get('/stats', async (request: any) => request.server.stats.ticketsOpened);");
    expect(planFirst(untyped, 'no-in-memory-counter', `${ROOT}/src/plugins/stats.ts`).refused?.reason).toBe('`request.server.stats` (src/routes/tickets.ts:13) may read `stats`, through a value whose type does not say so');
    // A label no code changes stays in the record beside the counters.
    const labelled = fastifyProject(withLabel);
    expect(applyPlan(labelled, movePlan(labelled, 'no-in-memory-counter', `${ROOT}/src/plugins/stats.ts`))[`${ROOT}/src/plugins/stats.ts`]).toContain("repliesByTicket: createCounterMap('stats.repliesByTicket'), label: 'helpdesk' }");
  });
});

describe('planFixes: a record of counts, as other authors write it', () => {
  it('ESM JavaScript in Koa: an exported record, += 1 and ++ in a try/catch, each count read by name', () => {
    const files = {
    [`${ROOT}/src/metrics.js`]: `export const metrics = { hits: 0, errors: 0 };
`,
    [`${ROOT}/src/app.js`]: `import Koa from 'koa';
import { metrics } from './metrics.js';

const app = new Koa();
app.use(async (ctx, next) => {
  metrics.hits += 1;
  try {
    await next();
  } catch (err) {
    metrics.errors++;
    throw err;
  }
});
app.use(async (ctx) => {
  if (ctx.path === '/metrics') ctx.body = { hits: metrics.hits, errors: metrics.errors };
});
export default app;
`,
    [`${ROOT}/package.json`]: '{"type":"module"}',
  };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/metrics.js`));
    expect(fixed[`${ROOT}/src/metrics.js`]).toBe(`import { createCounter } from './scaling/counter.js';
export const metrics = { hits: createCounter('metrics.hits'), errors: createCounter('metrics.errors') };
`);
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`import Koa from 'koa';
import { metrics } from './metrics.js';

const app = new Koa();
app.use(async (ctx, next) => {
  await metrics.hits.increment(1);
  try {
    await next();
  } catch (err) {
    await metrics.errors.increment();
    throw err;
  }
});
app.use(async (ctx) => {
  if (ctx.path === '/metrics') ctx.body = { hits: await metrics.hits.get(), errors: await metrics.errors.get() };
});
export default app;
`);
  });

  it('TypeScript: a readonly field of a singleton class, counted by methods the routes call', () => {
    const files = {
    [`${ROOT}/src/telemetry.ts`]: `class Telemetry {
  private readonly totals = { sent: 0, failed: 0 };

  sent(): void {
    this.totals.sent++;
  }

  failed(): void {
    this.totals.failed += 1;
  }

  snapshot(): { sent: number; failed: number } {
    return { sent: this.totals.sent, failed: this.totals.failed };
  }
}

export const telemetry = new Telemetry();
`,
    [`${ROOT}/src/server.ts`]: `import express from 'express';
import { telemetry } from './telemetry';

export const app = express();
app.post('/mail', (req, res) => {
  if (!req.body.to) {
    telemetry.failed();
    return res.status(400).end();
  }
  telemetry.sent();
  res.status(202).end();
});
app.get('/telemetry', (req, res) => res.json(telemetry.snapshot()));
`,
  };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/telemetry.ts`));
    expect(fixed[`${ROOT}/src/telemetry.ts`]).toBe(`import { createCounter } from './scaling/counter';
class Telemetry {
  private readonly totals = { sent: createCounter('totals.sent'), failed: createCounter('totals.failed') };

  async sent(): Promise<void> {
    await this.totals.sent.increment();
  }

  async failed(): Promise<void> {
    await this.totals.failed.increment(1);
  }

  async snapshot(): Promise<{ sent: number; failed: number }> {
    return { sent: await this.totals.sent.get(), failed: await this.totals.failed.get() };
  }
}

export const telemetry = new Telemetry();
`);
    expect(fixed[`${ROOT}/src/server.ts`]).toBe(`import express from 'express';
import { telemetry } from './telemetry';

export const app = express();
app.post('/mail', async (req, res) => {
  if (!req.body.to) {
    await telemetry.failed();
    return res.status(400).end();
  }
  await telemetry.sent();
  res.status(202).end();
});
app.get('/telemetry', async (req, res) => res.json(await telemetry.snapshot()));
`);
  });
});

// Counts kept in records per key and set back whole (a login lock-out: failures and the time the
// lock ends): no number the Redis counter can hold, so the records move to the Redis store, each
// read and written back as the code already does.
const LOCKOUT_TS = `const MAX_ATTEMPTS = 5;
const LOCK_MS = 15 * 60 * 1000;

const failures: Record<string, { count: number; lockedUntil: number }> = {};

export function isLocked(email: string): boolean {
  const f = failures[email];
  return !!f && f.lockedUntil > Date.now();
}

export function recordFailure(email: string): void {
  const f = failures[email] ?? { count: 0, lockedUntil: 0 };
  f.count += 1;
  if (f.count >= MAX_ATTEMPTS) {
    f.lockedUntil = Date.now() + LOCK_MS;
    f.count = 0;
  }
  failures[email] = f;
}

export function clearFailures(email: string): void {
  delete failures[email];
}
`;

const LOGIN_TS = `import express from 'express';
import { clearFailures, isLocked, recordFailure } from './lockout';

export const app = express();
app.post('/login', (req, res) => {
  const { email, password } = req.body;
  if (isLocked(email)) return res.status(429).end();
  if (password !== 'secret') {
    recordFailure(email);
    return res.status(401).end();
  }
  clearFailures(email);
  res.json({ ok: true });
});
`;

describe('planFixes: counts kept in records per key, set back whole', () => {
  it('TypeScript object: the records move to the Redis store; the read with a fallback and the set-back are awaited', () => {
    const files = { [`${ROOT}/src/lockout.ts`]: LOCKOUT_TS, [`${ROOT}/src/app.ts`]: LOGIN_TS };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/lockout.ts`);
    expect(plan.message).toBe('Keep the records of `failures` in Redis, each read and written back whole as the code does (src/scaling/session-store.ts); two changes of one record at the same moment keep only the later');
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/lockout.ts`]).toBe(
      LOCKOUT_TS.replace('const MAX_ATTEMPTS', "import { createSessionStore } from './scaling/session-store';\nconst MAX_ATTEMPTS")
        .replace('const failures: Record<string, { count: number; lockedUntil: number }> = {};', "const failures = createSessionStore<{ count: number; lockedUntil: number }>('failures');")
        .replace('export function isLocked(email: string): boolean {\n  const f = failures[email];', 'export async function isLocked(email: string): Promise<boolean> {\n  const f = await failures.get(email);')
        .replace('export function recordFailure(email: string): void {\n  const f = failures[email] ??', 'export async function recordFailure(email: string): Promise<void> {\n  const f = await failures.get(email) ??')
        .replace('  failures[email] = f;', '  await failures.set(email, f);')
        .replace('export function clearFailures(email: string): void {\n  delete failures[email];', 'export async function clearFailures(email: string): Promise<void> {\n  await failures.delete(email);'),
    );
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(
      LOGIN_TS.replace("app.post('/login', (req, res) =>", "app.post('/login', async (req, res) =>")
        .replace('if (isLocked(email))', 'if (await isLocked(email))')
        .replace('    recordFailure(email);', '    await recordFailure(email);')
        .replace('  clearFailures(email);', '  await clearFailures(email);'),
    );
  });

  it('a Map: `m.get(k) ?? {…}` changed and `m.set(k, f)` back moves the same way', () => {
    const map = LOCKOUT_TS.replace('const failures: Record<string, { count: number; lockedUntil: number }> = {};', 'const failures = new Map<string, { count: number; lockedUntil: number }>();')
      .replace(/failures\[email\] = f;/, 'failures.set(email, f);')
      .replace(/delete failures\[email\];/, 'failures.delete(email);')
      .replace(/failures\[email\]/g, 'failures.get(email)');
    const plan = movePlan({ [`${ROOT}/src/lockout.ts`]: map, [`${ROOT}/src/app.ts`]: LOGIN_TS }, 'no-in-memory-counter', `${ROOT}/src/lockout.ts`);
    expect(plan.messageId).toBe('counterRecordsMoveToStore');
  });

  it('JavaScript: a record made in place and changed through a local is set back after each change', () => {
    const inPlace = LOCKOUT_TS.replace(': Record<string, { count: number; lockedUntil: number }>', '').replace(/\(email: string\): \w+ \{/g, '(email) {')
      .replace('  const f = failures[email] ?? { count: 0, lockedUntil: 0 };', '  if (!failures[email]) failures[email] = { count: 0, lockedUntil: 0 };\n  const f = failures[email];').replace('  failures[email] = f;\n', '');
    const files = { [`${ROOT}/src/lockout.js`]: inPlace, [`${ROOT}/src/app.js`]: LOGIN_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/lockout.js`))[`${ROOT}/src/lockout.js`];
    expect(fixed).toContain("  if (!(await failures.get(email))) await failures.set(email, { count: 0, lockedUntil: 0 });\n  const f = await failures.get(email);\n  f.count += 1;\n  await failures.set(email, f);\n  if (f.count >= MAX_ATTEMPTS) {\n    f.lockedUntil = Date.now() + LOCK_MS;\n    await failures.set(email, f);\n    f.count = 0;\n    await failures.set(email, f);\n  }\n");
  });
});

// A limiter written by hand in JavaScript (a Fastify hook): a record per client with the time its
// window ends, set anew when the window has passed. Untyped, the first `set` stores what may not be a
// number, so the Redis counter is refused; the records move to the store instead.
const LIMITER_JS = `const hits = new Map();

module.exports = function limit(app, options) {
  app.addHook('onRequest', async (request, reply) => {
    const key = request.ip;
    const now = Date.now();
    if (!hits.has(key) || now > hits.get(key).resetAt) {
      hits.set(key, {
        count: 0,
        resetAt: now + options.windowMs,
      });
    }
    const entry = hits.get(key);
    entry.count += 1;
    if (entry.count > options.max) return reply.code(429).send({ error: 'slow down' });
  });
};
`;

const APP_JS = `const fastify = require('fastify');
const limit = require('./limit');

const app = fastify();
limit(app, { windowMs: 60000, max: 100 });
app.get('/', async () => ({ ok: true }));
app.listen({ port: 3000 });
`;

describe('planFixes: a JavaScript limiter whose records hold a count and when the window ends', () => {
  it('moves the records to the Redis store, each change set back', () => {
    const files = { [`${ROOT}/limit.js`]: LIMITER_JS, [`${ROOT}/app.js`]: APP_JS };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/limit.js`);
    expect(plan.messageId).toBe('counterRecordsMoveToStore');
    expect(applyPlan(files, plan)[`${ROOT}/limit.js`]).toBe(`const { createSessionStore } = require('./src/scaling/session-store');
const hits = createSessionStore('hits');

module.exports = function limit(app, options) {
  app.addHook('onRequest', async (request, reply) => {
    const key = request.ip;
    const now = Date.now();
    if (!(await hits.has(key)) || now > (await hits.get(key)).resetAt) {
      await hits.set(key, {
        count: 0,
        resetAt: now + options.windowMs,
      });
    }
    const entry = await hits.get(key);
    entry.count += 1;
    await hits.set(key, entry);
    if (entry.count > options.max) return reply.code(429).send({ error: 'slow down' });
  });
};
`);
  });

  it('a reason that quotes code written over several lines quotes it on one line', () => {
    const listed = LIMITER_JS.replace("    const entry = hits.get(key);", "    const entry = hits.get(key);\n    console.log([...hits.entries()].filter(\n      ([, value]) => value.count > 0,\n    ).length);");
    const planned = planFirst({ [`${ROOT}/limit.js`]: listed, [`${ROOT}/app.js`]: APP_JS }, 'no-in-memory-counter', `${ROOT}/limit.js`);
    expect(planned.refused?.reason).toBe('`hits.set(key, { count: 0, resetAt: now + options.windowMs, })` (limit.js:8) stores what may not be a number, and the Redis counter holds numbers');
  });
});
