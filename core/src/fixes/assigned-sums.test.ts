import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan } from '../testing/fix-plans';

// A counter bumped the long way, `queueNumber = queueNumber + 1`, and read right after to answer the
// number it handed out: one atomic increment whose value the reply reads; a read elsewhere is `get`.
const APP_JS = `const express = require('express');
const app = express();
let queueNumber = 0;
app.post('/queue', (req, res) => {
  queueNumber = queueNumber + 1;
  res.status(201).json({ number: queueNumber });
});
app.get('/stats', (req, res) => {
  res.json({ lastNumber: queueNumber });
});
app.listen(3000);
`;

describe('planFixes: a counter incremented as `n = n + k`', () => {
  it('moves to one Redis increment, the right-hand read included in it', () => {
    const files = { [`${ROOT}/app.js`]: APP_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/app.js`));
    expect(fixed[`${ROOT}/app.js`]).toBe(`const express = require('express');
const { createCounter } = require('./src/scaling/counter');
const app = express();
const queueNumber = createCounter('queueNumber');
app.post('/queue', async (req, res) => {
  const queueNumberNow = await queueNumber.increment(1);
  res.status(201).json({ number: queueNumberNow });
});
app.get('/stats', async (req, res) => {
  res.json({ lastNumber: await queueNumber.get() });
});
app.listen(3000);
`);
  });
});
