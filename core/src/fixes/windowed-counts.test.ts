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

  it('a Map of request times per key compared with a cap: refused, typed by its declared values and untyped by what `set` stores', () => {
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
    expect(planFirst(typed, 'no-in-memory-counter', `${ROOT}/src/flood.ts`).refused?.reason).toBe('`sent` holds number[] values, and the Redis counter holds numbers');
    const untyped = {
      [`${ROOT}/lib/flood.js`]: typed[`${ROOT}/src/flood.ts`]!.replace('new Map<string, number[]>()', 'new Map()').replace('(ip: string): boolean', '(ip)').replace('(time) =>', '(time) =>'),
      [`${ROOT}/routes/messages.js`]: route('../lib/flood'),
    };
    expect(planFirst(untyped, 'no-in-memory-counter', `${ROOT}/lib/flood.js`).refused?.reason).toBe('`sent.set(ip, [...recent, now])` (lib/flood.js:6) stores what may not be a number, and the Redis counter holds numbers');
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
