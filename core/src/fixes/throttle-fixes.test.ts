import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// Work sent at most once per period, by stamping the time it last ran: an on-call alert, a digest
// per team. Each instance keeps its own stamp, so N instances send N copies per period.

const READINGS_JS = `const express = require('express');
const { sendMail } = require('./mail');
const app = express();
app.use(express.json());

let lastAlertAt = 0;
const sentAt = {};

app.post('/readings', async (req, res) => {
  const value = Number(req.body.value);
  if (value > 300 && Date.now() - lastAlertAt > 30 * 60 * 1000) {
    lastAlertAt = Date.now();
    await sendMail('oncall@example.test', 'high reading: ' + value);
  }
  const key = req.body.device + ':' + req.body.level;
  if (!sentAt[key] || Date.now() - sentAt[key] > 15 * 60 * 1000) {
    sentAt[key] = Date.now();
    await sendMail('oncall@example.test', key);
  }
  res.status(201).end();
});
module.exports = app;
`;

const MAIL_JS = `exports.sendMail = async function sendMail(to, text) {
  return { to, text };
};
`;

const DIGEST_TS = `import { Router } from 'express';
import { sendDigest } from './digest';

const HOUR = 60 * 60 * 1000;
const lastDigest = new Map<string, number>();

export const digests = Router();

digests.post('/digest/:team', async (req, res) => {
  const now = Date.now();
  if (now - (lastDigest.get(req.params.team) || 0) < HOUR) {
    return res.status(429).json({ error: 'already sent this hour' });
  }
  lastDigest.set(req.params.team, now);
  await sendDigest(req.params.team);
  res.json({ sent: true });
});
`;

describe('planFixes: a once-per-period stamp becomes a Redis lock taken for the period', () => {
  it('JavaScript: the clock check takes the lock, the stamp and the declaration go, each with the reason', () => {
    const files = { [`${ROOT}/server.js`]: READINGS_JS, [`${ROOT}/mail.js`]: MAIL_JS };
    const plan = movePlan(files, 'no-in-process-lock', `${ROOT}/server.js`);
    expect(plan.message).toBe('Take a Redis lock for each period instead of stamping `lastAlertAt` (src/scaling/lock.js)');
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/server.js`]).toBe(`const express = require('express');
const { sendMail } = require('./mail');
const { tryAcquireLock } = require('./src/scaling/lock');
const app = express();
app.use(express.json());

// \`lastAlertAt\` is now a Redis lock taken for each period (tryAcquireLock in src/scaling/lock.js): one instance runs the work per period.
const sentAt = {};

app.post('/readings', async (req, res) => {
  const value = Number(req.body.value);
  if (value > 300 && (await tryAcquireLock('lastAlertAt', { ttlMs: 30 * 60 * 1000 }))) {
    await sendMail('oncall@example.test', 'high reading: ' + value);
  }
  const key = req.body.device + ':' + req.body.level;
  if (!sentAt[key] || Date.now() - sentAt[key] > 15 * 60 * 1000) {
    sentAt[key] = Date.now();
    await sendMail('oncall@example.test', key);
  }
  res.status(201).end();
});
module.exports = app;
`);
    expect(plan.notes).toEqual([
      'removes `lastAlertAt = Date.now()` (server.js:12): the Redis lock taken by the check is the stamp now: it expires when the period is over, on every instance',
      'removes `let lastAlertAt = 0` (server.js:6): the time of the last run lives in Redis now (the lock and its expiry); a comment says so in its place',
    ]);
    // The stamp kept per key: a lock per key, taken where the missing stamp or the expired one let the work run.
    const second = applyPlan(fixed, movePlan(fixed, 'no-in-process-lock', `${ROOT}/server.js`))[`${ROOT}/server.js`];
    expect(second).toContain("  if (await tryAcquireLock(`sentAt:${key}`, { ttlMs: 15 * 60 * 1000 })) {\n    await sendMail('oncall@example.test', key);");
    expect(countFindings({ ...fixed, [`${ROOT}/server.js`]: second }, 'no-in-process-lock')).toBe(0);
  });

  it('TypeScript: an early return while the period runs becomes a return when the lock is taken elsewhere', () => {
    const files = { [`${ROOT}/src/digests.ts`]: DIGEST_TS, [`${ROOT}/src/digest.ts`]: 'export async function sendDigest(team: string): Promise<void> {\n  void team;\n}\n' };
    const fixed = applyPlan(files, movePlan(files, 'no-in-process-lock', `${ROOT}/src/digests.ts`));
    expect(fixed[`${ROOT}/src/digests.ts`]).toBe(`import { Router } from 'express';
import { sendDigest } from './digest';
import { tryAcquireLock } from './scaling/lock';

const HOUR = 60 * 60 * 1000;
// \`lastDigest\` is now a Redis lock taken for each period (tryAcquireLock in src/scaling/lock.ts): one instance runs the work per period.

export const digests = Router();

digests.post('/digest/:team', async (req, res) => {
  const now = Date.now();
  if (!(await tryAcquireLock(\`lastDigest:\${req.params.team}\`, { ttlMs: HOUR }))) {
    return res.status(429).json({ error: 'already sent this hour' });
  }
  await sendDigest(req.params.team);
  res.json({ sent: true });
});
`);
  });

  it('a stamp read anywhere else (shown on a status route) is not only a throttle: the lock fix says why it cannot move it', () => {
    const files = { [`${ROOT}/server.js`]: READINGS_JS.replace('module.exports = app;', "app.get('/status', (req, res) => res.json({ lastAlertAt }));\nmodule.exports = app;"), [`${ROOT}/mail.js`]: MAIL_JS };
    expect(planFirst(files, 'no-in-process-lock', `${ROOT}/server.js`).refused?.reason).toBe('`lastAlertAt = Date.now()` (server.js:12) is not the check, the take, the release or a status read of a lock');
  });
});
