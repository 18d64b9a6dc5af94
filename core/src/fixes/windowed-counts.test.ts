import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// A login limiter kept by hand: a count per key in a window that starts at the key's first
// attempt. Redis counts it with the window as the key's expiry.

const LIMITER_JS = `// 5 tries per minute per ip
var attempts = {};

exports.tooManyAttempts = function (ip, limit) {
  var now = Date.now();
  var entry = attempts[ip];
  if (!entry || now - entry.since > 60 * 1000) {
    entry = attempts[ip] = { since: now, count: 0 };
  }
  entry.count++;
  return entry.count > limit;
};
`;

const ROUTES_JS = `var express = require('express');
var limiter = require('../lib/limiter');
var router = express.Router();

router.post('/login', function (req, res) {
  if (limiter.tooManyAttempts(req.ip, 5)) {
    return res.status(429).json({ error: 'too many attempts' });
  }
  res.json({ ok: true });
});
module.exports = router;
`;

const project = (limiter: string): Record<string, string> => ({ [`${ROOT}/lib/limiter.js`]: limiter, [`${ROOT}/routes/auth.js`]: ROUTES_JS });

describe('planFixes: a count per key in a time window, kept by hand', () => {
  it('becomes a Redis count whose TTL is the window; the window check and the ++ are removed with the reason', () => {
    const files = project(LIMITER_JS);
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/limiter.js`);
    expect(plan.message).toBe("Count `attempts` in Redis, its time window as the count's expiry (src/scaling/counter.js)");
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/lib/limiter.js`]).toBe(`const { createCounterMap } = require('../src/scaling/counter');
// 5 tries per minute per ip
var attempts = createCounterMap('attempts', { ttlSeconds: 60 });

exports.tooManyAttempts = async function (ip, limit) {
  var now = Date.now();
  var entry = { count: await attempts.increment(ip) };
  return entry.count > limit;
};
`);
    expect(fixed[`${ROOT}/routes/auth.js`]).toBe(ROUTES_JS.replace("router.post('/login', function (req, res) {\n  if (limiter.tooManyAttempts(", "router.post('/login', async function (req, res) {\n  if (await limiter.tooManyAttempts("));
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual([
      "the count's window: Redis expires the count of `ip` 60 s (`60 * 1000` ms) after its first increment, and the next one starts a new window at 1",
      '`attempts.increment(ip)` above counts the attempt in one atomic step',
    ]);
  });

  it('is not this fix when the entry is used for more than its count, or the window is not whole seconds', () => {
    const reason = (limiter: string): string | undefined => planFirst(project(limiter), 'no-in-memory-counter', `${ROOT}/lib/limiter.js`).refused?.reason;
    // The window start is read back: the store keeps what the session store can, and says why it cannot.
    expect(reason(LIMITER_JS.replace('return entry.count > limit;', 'return entry.count > limit && now - entry.since < 1000;'))).toBe(
      '`entry.count++` (lib/limiter.js:10) changes a value read from `attempts` in place, and the store would not keep the change',
    );
    expect(reason(LIMITER_JS.replace('60 * 1000', '1500'))).toBe('`entry.count++` (lib/limiter.js:10) changes a value read from `attempts` in place, and the store would not keep the change');
  });
});

describe('planFixes: a count per key in a window, as other authors write it', () => {
  it('Fastify, CommonJS: the entry made on first sight (`get(ip) || { count: 0, since: now }`), reset in place and stored back, becomes the Redis count; the reset, the ++ and the set are removed with the reason', () => {
    const VOTES_JS = `const votesByIp = new Map();
const MAX_VOTES_PER_MINUTE = 10;

module.exports = async function voteRoutes(fastify) {
  fastify.post('/polls/:id/vote', async (request, reply) => {
    const ip = request.ip;
    const now = Date.now();
    const entry = votesByIp.get(ip) || { count: 0, since: now };
    if (now - entry.since > 60000) {
      entry.count = 0;
      entry.since = now;
    }
    entry.count++;
    votesByIp.set(ip, entry);
    if (entry.count > MAX_VOTES_PER_MINUTE) {
      return reply.code(429).send({ error: 'slow down' });
    }
    return { ok: true };
  });
};
`;
    const files = { [`${ROOT}/src/routes/votes.js`]: VOTES_JS, [`${ROOT}/src/server.js`]: "const fastify = require('fastify')();\nfastify.register(require('./routes/votes'));\nfastify.listen({ port: 3000 });\n" };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/routes/votes.js`);
    expect(applyPlan(files, plan)[`${ROOT}/src/routes/votes.js`]).toBe(`const { createCounterMap } = require('../scaling/counter');
const votesByIp = createCounterMap('votesByIp', { ttlSeconds: 60 });
const MAX_VOTES_PER_MINUTE = 10;

module.exports = async function voteRoutes(fastify) {
  fastify.post('/polls/:id/vote', async (request, reply) => {
    const ip = request.ip;
    const now = Date.now();
    const entry = { count: await votesByIp.increment(ip) };
    if (entry.count > MAX_VOTES_PER_MINUTE) {
      return reply.code(429).send({ error: 'slow down' });
    }
    return { ok: true };
  });
};
`);
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual([
      "the count's window: Redis expires the count of `ip` 60 s (`60000` ms) after its first increment, and the next one starts a new window at 1",
      '`votesByIp.increment(ip)` above counts the attempt in one atomic step',
      'the count is kept in Redis by `votesByIp.increment(ip)` above, with its window as the TTL',
    ]);
    // The look-alike: the window's start read back after the count (a Retry-After) is not this shape: the records move whole.
    const readsStart = { ...files, [`${ROOT}/src/routes/votes.js`]: VOTES_JS.replace("reply.code(429).send({ error: 'slow down' })", "reply.code(429).send({ error: 'slow down', since: entry.since })") };
    const records = movePlan(readsStart, 'no-in-memory-counter', `${ROOT}/src/routes/votes.js`);
    expect(records.messageId).toBe('counterRecordsMoveToStore');
    expect(applyPlan(readsStart, records)[`${ROOT}/src/routes/votes.js`]).toContain('    const entry = await votesByIp.get(ip) || { count: 0, since: now };\n');
  });

  // A Map of buckets changed in place (`bucket.n += 1`): moved to a store as it is, the count would stay 0 in Redis
  // and the limit would never trip; the fix refuses it, naming the change.
  it('TypeScript: a Map of buckets, `let bucket = hits.get(key)` counted in place, is refused (not moved with the count lost)', () => {
    const files = {
    [`${ROOT}/src/rate-limit.ts`]: `const WINDOW_MS = 15 * 60 * 1000;

interface Bucket { first: number; n: number }
const hits = new Map<string, Bucket>();

export function allow(key: string, max = 10): boolean {
  const now = Date.now();
  let bucket = hits.get(key);
  if (bucket === undefined || now - bucket.first >= WINDOW_MS) {
    bucket = { first: now, n: 0 };
    hits.set(key, bucket);
  }
  bucket.n += 1;
  return bucket.n <= max;
}
`,
    [`${ROOT}/src/routes.ts`]: `import Fastify from 'fastify';
import { allow } from './rate-limit';

export const app = Fastify();
app.post('/password-reset', async (request, reply) => {
  if (!allow(request.ip, 3)) return reply.code(429).send({ error: 'slow down' });
  return { sent: true };
});
`,
  };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/src/rate-limit.ts`).refused?.reason).toBe(`\`bucket.n += 1\` (src/rate-limit.ts:13) changes a value read from \`hits\` in place, and the store would not keep the change`);
  });

  it('CommonJS arrow counting through `o[k].count += 1` with no local: refused, naming the change', () => {
    const files = {
    [`${ROOT}/lib/lockout.js`]: `const failures = {};
const WINDOW = 10 * 60 * 1000;

const tooMany = (user) => {
  const t = Date.now();
  if (!failures[user] || t - failures[user].start > WINDOW) failures[user] = { start: t, count: 0 };
  failures[user].count += 1;
  return failures[user].count > 3;
};

module.exports = { tooMany };
`,
    [`${ROOT}/routes/login.js`]: `const express = require('express');
const { tooMany } = require('../lib/lockout');
const router = express.Router();
router.post('/login', (req, res) => {
  if (tooMany(req.body.user)) return res.status(423).send('locked');
  res.send('ok');
});
module.exports = router;
`,
  };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/lib/lockout.js`).refused?.reason).toBe(`\`failures[user].count += 1\` (lib/lockout.js:7) changes a value read from \`failures\` in place, and the store would not keep the change`);
  });

  it('CommonJS records replaced whole on each hit (`hits[ip] = prev ? { …, n: prev.n + 1 } : …`): refused, the counter holds numbers', () => {
    const files = {
      [`${ROOT}/lib/throttle.js`]: `const hits = {};

function overLimit(ip) {
  const prev = hits[ip];
  hits[ip] = prev && Date.now() - prev.first < 60000 ? { first: prev.first, n: prev.n + 1 } : { first: Date.now(), n: 1 };
  return hits[ip].n > 10;
}

module.exports = { overLimit };
`,
      [`${ROOT}/routes/api.js`]: `const express = require('express');
const { overLimit } = require('../lib/throttle');
const router = express.Router();
router.get('/search', (req, res) => {
  if (overLimit(req.ip)) return res.status(429).send('slow down');
  res.json([]);
});
module.exports = router;
`,
    };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/lib/throttle.js`).refused?.reason).toBe('`hits[ip].n` (lib/throttle.js:6) reads a field of a record kept in `hits`, and the Redis counter holds numbers');
  });

  it('a Map of request times per key compared with a cap: its lists move to the Redis store, expiring a window after their last write (typed by its declared values, untyped by what `set` stores)', () => {
    const route = (module: string) => `const express = require('express');
const { tooFrequent } = require('${module}');
const router = express.Router();
router.post('/messages', (req, res) => {
  if (tooFrequent(req.ip)) return res.status(429).end();
  res.status(201).end();
});
module.exports = router;
`;
    const typed = {
      [`${ROOT}/src/flood.ts`]: `const sent = new Map<string, number[]>();

export function tooFrequent(ip: string): boolean {
  const now = Date.now();
  const recent = (sent.get(ip) ?? []).filter((time) => now - time < 10_000);
  sent.set(ip, [...recent, now]);
  return recent.length >= 5;
}
`,
      [`${ROOT}/src/routes.js`]: route('./flood'),
    };
    const typedPlan = movePlan(typed, 'no-in-memory-counter', `${ROOT}/src/flood.ts`);
    expect(typedPlan.message).toBe('Keep the lists of `sent` per key in Redis, where every instance adds to and counts them (src/scaling/session-store.ts)');
    expect(applyPlan(typed, typedPlan)[`${ROOT}/src/flood.ts`]).toBe(`import { createSessionStore } from './scaling/session-store';
const sent = createSessionStore<number[]>('sent', { ttlSeconds: 10 });

export async function tooFrequent(ip: string): Promise<boolean> {
  const now = Date.now();
  const recent = (await sent.get(ip) ?? []).filter((time) => now - time < 10_000);
  await sent.set(ip, [...recent, now]);
  return recent.length >= 5;
}
`);
    expect(typedPlan.notes).toEqual(['each list of `sent` expires 10 s after its last write, the window its filter keeps, when every entry in it is older than that']);
    const untyped = {
      [`${ROOT}/lib/flood.js`]: typed[`${ROOT}/src/flood.ts`]!.replace('new Map<string, number[]>()', 'new Map()').replace('(ip: string): boolean', '(ip)'),
      [`${ROOT}/routes/messages.js`]: route('../lib/flood'),
    };
    const untypedPlan = movePlan(untyped, 'no-in-memory-counter', `${ROOT}/lib/flood.js`);
    expect(applyPlan(untyped, untypedPlan)[`${ROOT}/lib/flood.js`]).toContain("const sent = createSessionStore('sent', { ttlSeconds: 10 });");
  });

  it('a log trimmed in one function and pushed onto in another: the push is one atomic append; a window held in a local cut-off', () => {
    const files = {
      [`${ROOT}/src/orders.js`]: `import express from 'express';

const router = express.Router();
// customer -> times of their recent orders
const recentOrders = new Map();

function tooManyOrders(customerId) {
  const hourAgo = Date.now() - 60 * 60 * 1000;
  const times = (recentOrders.get(customerId) || []).filter((t) => t > hourAgo);
  recentOrders.set(customerId, times);
  return times.length >= 3;
}

router.post('/orders', (req, res) => {
  if (tooManyOrders(req.user.id)) return res.status(429).json({ error: 'slow down' });
  recentOrders.get(req.user.id).push(Date.now());
  res.status(201).json({ ok: true });
});

export default router;
`,
    };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/orders.js`);
    expect(applyPlan(files, plan)[`${ROOT}/src/orders.js`]).toBe(`import express from 'express';
import { createSessionStore } from './scaling/session-store.js';

const router = express.Router();
// customer -> times of their recent orders
const recentOrders = createSessionStore('recentOrders', { ttlSeconds: 3600 });

async function tooManyOrders(customerId) {
  const hourAgo = Date.now() - 60 * 60 * 1000;
  const times = (await recentOrders.get(customerId) || []).filter((t) => t > hourAgo);
  await recentOrders.set(customerId, times);
  return times.length >= 3;
}

router.post('/orders', async (req, res) => {
  if (await tooManyOrders(req.user.id)) return res.status(429).json({ error: 'slow down' });
  await recentOrders.append(req.user.id, Date.now());
  res.status(201).json({ ok: true });
});

export default router;
`);
    // No window spelled out (the cut-off is a parameter): the lists never expire, as the Map kept them.
    const unknown = { [`${ROOT}/src/orders.js`]: files[`${ROOT}/src/orders.js`].replace('function tooManyOrders(customerId) {\n  const hourAgo = Date.now() - 60 * 60 * 1000;', 'function tooManyOrders(customerId, hourAgo = Date.now() - WINDOW) {') .replace('const router', 'const WINDOW = Number(process.env.ORDER_WINDOW_MS);\nconst router') };
    const unbounded = movePlan(unknown, 'no-in-memory-counter', `${ROOT}/src/orders.js`);
    expect(applyPlan(unknown, unbounded)[`${ROOT}/src/orders.js`]).toContain("const recentOrders = createSessionStore('recentOrders', { ttlSeconds: 0 });");
    expect(unbounded.notes).toEqual(['the lists of `recentOrders` never expire in Redis, as the Map kept them: no window the code spells out says when their entries are all stale']);
  });

  it('is not a log when a record or a number is set per key (the counter fixes apply: records move whole)', () => {
    const files = {
      [`${ROOT}/src/limit.js`]: `import express from 'express';

const router = express.Router();
const hits = new Map();

router.post('/send', (req, res) => {
  const now = Date.now();
  const times = (hits.get(req.ip) || []).filter((t) => now - t < 60000);
  hits.set(req.ip, { times, last: now });
  if (times.length >= 5) return res.status(429).end();
  res.json({ ok: true });
});

export default router;
`,
    };
    expect(movePlan(files, 'no-in-memory-counter', `${ROOT}/src/limit.js`).messageId).toBe('counterRecordsMoveToStore');
  });
});

describe('planFixes: a count per key in a Map, with the time its window ends', () => {
  const LIMITER = `const windows = new Map();

exports.allow = function (ip) {
  const now = Date.now();
  let window = windows.get(ip);
  if (!window || now >= window.endsAt) {
    window = { hits: 0, endsAt: now + 30000 };
    windows.set(ip, window);
  }
  window.hits++;
  return window.hits <= 5;
};
`;
  const files = (limiter: string): Record<string, string> => ({ [`${ROOT}/lib/limiter.js`]: limiter, [`${ROOT}/routes/auth.js`]: ROUTES_JS.replace('limiter.tooManyAttempts(req.ip, 5)', '!limiter.allow(req.ip)') });

  it('becomes a Redis count whose TTL is the window; the end is not read, so only the count is', () => {
    const plan = movePlan(files(LIMITER), 'no-in-memory-counter', `${ROOT}/lib/limiter.js`);
    expect(applyPlan(files(LIMITER), plan)[`${ROOT}/lib/limiter.js`]).toBe(`const { createCounterMap } = require('../src/scaling/counter');
const windows = createCounterMap('windows', { ttlSeconds: 30 });

exports.allow = async function (ip) {
  const now = Date.now();
  let window = { hits: await windows.increment(ip) };
  return window.hits <= 5;
};
`);
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual([
      "the count's window: Redis expires the count of `ip` 30 s (`30000` ms) after its first increment, and the next one starts a new window at 1",
      '`windows.increment(ip)` above counts the attempt in one atomic step',
    ]);
  });

  it('is not this fix when the window is changed after the count (the Map fix then refuses, naming what it cannot hold)', () => {
    const changed = LIMITER.replace('  return window.hits <= 5;', '  window.endsAt += 1000;\n  return window.hits <= 5;');
    expect(planFirst(files(changed), 'no-in-memory-counter', `${ROOT}/lib/limiter.js`).refused?.reason).toBe(
      '`windows.set(ip, window)` (lib/limiter.js:8) stores what may not be a number, and the Redis counter holds numbers',
    );
  });
});

describe('planFixes: a window counted in one function and checked in another (a failed-login lock-out)', () => {
  // Only failures count: the login's limiter reads the window, and the login records a failure.
  const LOCKOUT_TS = `import type { NextFunction, Request, Response } from 'express';

const MAX_FAILURES = 3;
const WINDOW_MS = 15 * 60 * 1000;

const failures = new Map<string, { count: number; since: number }>();

export function loginLimiter(req: Request, res: Response, next: NextFunction): void {
  const key = req.ip ?? 'unknown';
  const entry = failures.get(key);
  if (entry && Date.now() - entry.since < WINDOW_MS && entry.count >= MAX_FAILURES) {
    res.status(429).json({ error: 'too many failed logins' });
    return;
  }
  next();
}

export function recordFailedLogin(ip: string | undefined): void {
  const key = ip ?? 'unknown';
  const entry = failures.get(key);
  if (!entry || Date.now() - entry.since >= WINDOW_MS) {
    failures.set(key, { count: 1, since: Date.now() });
  } else {
    entry.count += 1;
  }
}
`;
  const ROUTES_TS = `import express from 'express';
import { loginLimiter, recordFailedLogin } from './lockout';

export const app = express();
app.post('/login', loginLimiter, async (req, res) => {
  if (req.body.password !== 'secret') {
    recordFailedLogin(req.ip);
    res.status(401).json({ error: 'wrong password' });
    return;
  }
  res.json({ ok: true });
});
`;
  const files = (lockout: string): Record<string, string> => ({ [`${ROOT}/src/lockout.ts`]: lockout, [`${ROOT}/src/routes.ts`]: ROUTES_TS });

  it('the failure becomes one Redis increment whose TTL is the window; the check reads the count and drops its window clause', () => {
    const plan = movePlan(files(LOCKOUT_TS), 'no-in-memory-counter', `${ROOT}/src/lockout.ts`);
    expect(plan.message).toBe("Count `failures` in Redis, its time window as the count's expiry (src/scaling/counter.ts)");
    const fixed = applyPlan(files(LOCKOUT_TS), plan);
    expect(fixed[`${ROOT}/src/lockout.ts`]).toBe(`import type { NextFunction, Request, Response } from 'express';
import { createCounterMap } from './scaling/counter';

const MAX_FAILURES = 3;
const WINDOW_MS = 15 * 60 * 1000;

const failures = createCounterMap('failures', { ttlSeconds: 900 });

export async function loginLimiter(req: Request, res: Response, next: NextFunction): Promise<void> {
  const key = req.ip ?? 'unknown';
  const entry = { count: (await failures.get(key)) ?? 0 };
  if (entry && entry.count >= MAX_FAILURES) {
    res.status(429).json({ error: 'too many failed logins' });
    return;
  }
  next();
}

export async function recordFailedLogin(ip: string | undefined): Promise<void> {
  const key = ip ?? 'unknown';
  await failures.increment(key);
}
`);
    // (Under Express 4 the limiter made async is also wrapped in forwardErrors: express-errors.test.ts.)
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(`import express from 'express';
import { loginLimiter, recordFailedLogin } from './lockout';

export const app = express();
app.post('/login', loginLimiter, async (req, res) => {
  if (req.body.password !== 'secret') {
    await recordFailedLogin(req.ip);
    res.status(401).json({ error: 'wrong password' });
    return;
  }
  res.json({ ok: true });
});
`);
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual([
      '`failures.increment(key)` in its place counts in one atomic step; it needs no entry read first',
      "the count's window: Redis expires the count of `key` 900 s (`WINDOW_MS` ms) after its first increment, and the next one starts a new window at 1",
    ]);
  });

  it('CommonJS, a `<=` window in a returned chain, `>` in the record, `++` for the count: the same fix', () => {
    const lockout = `const failures = new Map();

exports.isLocked = function (email) {
  const entry = failures.get(email);
  return entry && Date.now() - entry.since <= 600000 && entry.count > 4;
};

exports.recordFailure = function (email) {
  const now = Date.now();
  const entry = failures.get(email);
  if (!entry || now - entry.since > 600000) {
    failures.set(email, { since: now, count: 1 });
  } else {
    entry.count++;
  }
};
`;
    const routes = `const express = require('express');
const lockout = require('./lockout');
const router = express.Router();
router.post('/login', async function (req, res) {
  if (lockout.isLocked(req.body.email)) return res.status(429).end();
  lockout.recordFailure(req.body.email);
  res.status(401).end();
});
module.exports = router;
`;
    const js = { [`${ROOT}/lib/lockout.js`]: lockout, [`${ROOT}/lib/routes.js`]: routes };
    const fixed = applyPlan(js, movePlan(js, 'no-in-memory-counter', `${ROOT}/lib/lockout.js`));
    expect(fixed[`${ROOT}/lib/lockout.js`]).toBe(`const { createCounterMap } = require('../src/scaling/counter');
const failures = createCounterMap('failures', { ttlSeconds: 600 });

exports.isLocked = async function (email) {
  const entry = { count: (await failures.get(email)) ?? 0 };
  return entry && entry.count > 4;
};

exports.recordFailure = async function (email) {
  const now = Date.now();
  await failures.increment(email);
};
`);
    expect(fixed[`${ROOT}/lib/routes.js`]).toBe(routes.replace('if (lockout.isLocked(', 'if (await lockout.isLocked(').replace('  lockout.recordFailure(', '  await lockout.recordFailure('));
  });

  it('is not this fix when the check reads the window start for more than the clause, or its window differs from the count’s: the records move whole instead', () => {
    const fix = (lockout: string): string | undefined => planFirst(files(lockout), 'no-in-memory-counter', `${ROOT}/src/lockout.ts`).plans.at(-1)?.messageId;
    expect(fix(LOCKOUT_TS.replace("    res.status(429).json({ error: 'too many failed logins' });", "    res.set('Retry-After', String(entry.since + WINDOW_MS));\n    res.status(429).json({ error: 'too many failed logins' });"))).toBe('counterRecordsMoveToStore');
    expect(fix(LOCKOUT_TS.replace('Date.now() - entry.since < WINDOW_MS &&', 'Date.now() - entry.since < 60_000 &&'))).toBe('counterRecordsMoveToStore');
    expect(fix(LOCKOUT_TS.replace('if (entry && Date.now() - entry.since < WINDOW_MS && entry.count >= MAX_FAILURES) {', 'if (entry && entry.count >= MAX_FAILURES) {'))).toBe('counterRecordsMoveToStore');
  });
});

// The window counted in one function and expired by the check that reads it: the count goes on
// until a check finds the window over and forgets the entry.
const FORGETTING_LIMITER_JS = `// Failed logins per client address. After MAX_FAILURES in WINDOW_MS the address has to wait.
const MAX_FAILURES = 3;
const WINDOW_MS = 15 * 60 * 1000;

const failures = new Map();

function blocked(ip) {
  const entry = failures.get(ip);
  if (!entry) return false;
  if (Date.now() - entry.first > WINDOW_MS) {
    failures.delete(ip);
    return false;
  }
  return entry.count >= MAX_FAILURES;
}

function failed(ip) {
  const entry = failures.get(ip);
  if (entry) entry.count++;
  else failures.set(ip, { count: 1, first: Date.now() });
}

module.exports = { blocked, failed };
`;

const FORGETTING_ROUTES_JS = `const express = require('express');
const { blocked, failed } = require('./limiter');
const app = express();
app.post('/login', (req, res) => {
  if (blocked(req.ip)) return res.status(429).end();
  if (req.body.password !== 'secret') {
    failed(req.ip);
    return res.status(401).end();
  }
  res.end();
});
module.exports = app;
`;

describe('planFixes: a window counted in one function and forgotten by the check', () => {
  it('counts with the Redis counter, whose TTL is the window; the check reads the count and loses the expiry it did by hand', () => {
    const files = { [`${ROOT}/lib/limiter.js`]: FORGETTING_LIMITER_JS, [`${ROOT}/lib/app.js`]: FORGETTING_ROUTES_JS };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/limiter.js`);
    expect(applyPlan(files, plan)[`${ROOT}/lib/limiter.js`]).toBe(`const { createCounterMap } = require('../src/scaling/counter');
// Failed logins per client address. After MAX_FAILURES in WINDOW_MS the address has to wait.
const MAX_FAILURES = 3;
const WINDOW_MS = 15 * 60 * 1000;

const failures = createCounterMap('failures', { ttlSeconds: 900 });

async function blocked(ip) {
  const entry = { count: (await failures.get(ip)) ?? 0 };
  if (!entry) return false;
  return entry.count >= MAX_FAILURES;
}

async function failed(ip) {
  await failures.increment(ip);
}

module.exports = { blocked, failed };
`);
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual([
      '`failures.increment(ip)` in its place counts in one atomic step; it needs no entry read first',
      'counted in one step: Redis starts a missing count at 1, and its TTL is when the window began (`first`)',
      "the count's window: Redis expires the count of `ip` 900 s (`WINDOW_MS` ms) after its first increment, and the next one starts a new window at 1",
    ]);
  });

  it('a check that does more when the window is over than forget the entry is not this shape: the records move whole', () => {
    const logs = FORGETTING_LIMITER_JS.replace('    failures.delete(ip);\n', "    failures.delete(ip);\n    console.log('window over', ip);\n");
    const files = { [`${ROOT}/lib/limiter.js`]: logs, [`${ROOT}/lib/app.js`]: FORGETTING_ROUTES_JS };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/limiter.js`);
    expect(plan.messageId).toBe('counterRecordsMoveToStore');
    expect(applyPlan(files, plan)[`${ROOT}/lib/limiter.js`]).toContain('  if (entry) { entry.count++; await failures.set(ip, entry); }\n');
  });
});

// The same lock-out as a NestJS service keeps it: the failures in a field of a singleton provider,
// the window restarted by the record when it is over, forgotten by the check, cleared on a
// successful login, and swept by a scheduled method.
const LOGIN_ATTEMPTS_TS = `import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;

interface Failures {
  count: number;
  firstAt: number;
}

@Injectable()
export class LoginAttemptsService {
  private readonly failures = new Map<string, Failures>();

  isLocked(email: string): boolean {
    const entry = this.failures.get(email);
    if (!entry) return false;
    if (Date.now() - entry.firstAt > WINDOW_MS) {
      this.failures.delete(email);
      return false;
    }
    return entry.count >= MAX_FAILURES;
  }

  recordFailure(email: string) {
    const entry = this.failures.get(email);
    if (!entry || Date.now() - entry.firstAt > WINDOW_MS) {
      this.failures.set(email, { count: 1, firstAt: Date.now() });
    } else {
      entry.count++;
    }
  }

  reset(email: string) {
    this.failures.delete(email);
  }

  @Interval(60_000)
  sweep() {
    const now = Date.now();
    for (const [email, entry] of this.failures) {
      if (now - entry.firstAt > WINDOW_MS) this.failures.delete(email);
    }
  }
}
`;

const AUTH_CONTROLLER_TS = `import { Body, Controller, HttpException, Post, UnauthorizedException } from '@nestjs/common';
import { LoginAttemptsService } from './login-attempts.service';

declare function passwordMatches(email: string, password: string): Promise<boolean>;

@Controller('auth')
export class AuthController {
  constructor(private readonly attempts: LoginAttemptsService) {}

  @Post('login')
  async login(@Body() body: { email: string; password: string }) {
    if (this.attempts.isLocked(body.email)) throw new HttpException('too many wrong passwords', 429);
    if (!(await passwordMatches(body.email, body.password))) {
      this.attempts.recordFailure(body.email);
      throw new UnauthorizedException('wrong email or password');
    }
    this.attempts.reset(body.email);
    return { ok: true };
  }
}
`;

describe('planFixes: a window kept in a field of a NestJS service', () => {
  const files = { [`${ROOT}/src/auth/login-attempts.service.ts`]: LOGIN_ATTEMPTS_TS, [`${ROOT}/src/auth/auth.controller.ts`]: AUTH_CONTROLLER_TS };

  it('counts with the Redis counter named with its class; the restart, the expiry and the sweep go to the TTL; the reset deletes in Redis; callers await', () => {
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/auth/login-attempts.service.ts`);
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/auth/login-attempts.service.ts`]).toBe(`import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { createCounterMap } from '../scaling/counter';

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;

interface Failures {
  count: number;
  firstAt: number;
}

@Injectable()
export class LoginAttemptsService {
  private readonly failures = createCounterMap('LoginAttemptsService.failures', { ttlSeconds: 900 });

  async isLocked(email: string): Promise<boolean> {
    const entry = { count: (await this.failures.get(email)) ?? 0 };
    if (!entry) return false;
    return entry.count >= MAX_FAILURES;
  }

  async recordFailure(email: string) {
    await this.failures.increment(email);
  }

  async reset(email: string) {
    await this.failures.delete(email);
  }

  @Interval(60_000)
  sweep() {
    const now = Date.now();
  }
}
`);
    expect(fixed[`${ROOT}/src/auth/auth.controller.ts`]).toBe(
      AUTH_CONTROLLER_TS.replace('if (this.attempts.isLocked(body.email))', 'if (await this.attempts.isLocked(body.email))')
        .replace('      this.attempts.recordFailure(body.email);', '      await this.attempts.recordFailure(body.email);')
        .replace('    this.attempts.reset(body.email);', '    await this.attempts.reset(body.email);'),
    );
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual([
      '`this.failures.increment(email)` in its place counts in one atomic step; it needs no entry read first',
      'counted in one step: Redis starts a missing count at 1, and its TTL is when the window began (`firstAt`)',
      "the count's window: Redis expires the count of `email` 900 s (`WINDOW_MS` ms) after its first increment, and the next one starts a new window at 1",
      "the loop deleted entries older than `WINDOW_MS` (by `firstAt`); the store's TTL expires them in Redis now",
    ]);
  });

  it('a sweep by another window than the count’s is not this shape: the records move whole, the sweep becomes their TTL', () => {
    const otherWindow = LOGIN_ATTEMPTS_TS.replace('if (now - entry.firstAt > WINDOW_MS) this.failures.delete(email);', 'if (now - entry.firstAt > 60 * 60 * 1000) this.failures.delete(email);');
    const plan = planFirst({ ...files, [`${ROOT}/src/auth/login-attempts.service.ts`]: otherWindow }, 'no-in-memory-counter', `${ROOT}/src/auth/login-attempts.service.ts`).plans.at(-1)!;
    expect(plan.messageId).toBe('counterRecordsMoveToStore');
    expect(plan.notes).toEqual(["removes `for (const [email, entry] of this.failures) { …` (src/auth/login-attempts.service.ts:42): the loop deleted entries older than `60 * 60 * 1000` (by `firstAt`); the store's TTL expires them in Redis now"]);
  });
});
