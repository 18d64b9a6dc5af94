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
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/lib/limiter.js`);
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
    const reason = (limiter: string): string | undefined => planFirst(project(limiter), 'no-in-memory-session', `${ROOT}/lib/limiter.js`).refused?.reason;
    // The window start is read back: the store keeps what the session store can, and says why it cannot.
    expect(reason(LIMITER_JS.replace('return entry.count > limit;', 'return entry.count > limit && now - entry.since < 1000;'))).toBe(
      '`entry.count++` (lib/limiter.js:10) changes a value read from `attempts` in place, and the store would not keep the change',
    );
    expect(reason(LIMITER_JS.replace('60 * 1000', '1500'))).toBe('`entry.count++` (lib/limiter.js:10) changes a value read from `attempts` in place, and the store would not keep the change');
  });
});
