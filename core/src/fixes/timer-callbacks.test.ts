import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// State a timer or a cron schedule changes (a count reset every hour, at midnight): the callback
// becomes async. Nothing waits for what a timer's callback gives, and a throw there ended the
// process as a rejection does (node-cron catches both), so it runs the same.

const APP_JS = (schedule: string): string => `const express = require('express');
const cron = require('node-cron');
const app = express();
let served = 0;
function resetServed() { served = 0; }
setInterval(() => { served = 0; }, 60 * 60 * 1000);
${schedule}
app.get('/', (req, res) => { served++; res.json({ served }); });
module.exports = app;
`;

describe('planFixes: a callback of a timer or a cron schedule becomes async', () => {
  it('setInterval and cron.schedule callbacks await the counter', () => {
    const files = { [`${ROOT}/src/app.js`]: APP_JS("cron.schedule('0 0 * * *', () => resetServed());") };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`];
    expect(fixed).toContain('async function resetServed() { await served.set(0); }\nsetInterval(async () => { await served.set(0); }, 60 * 60 * 1000);\ncron.schedule(\'0 0 * * *\', async () => await resetServed());\n');
  });

  it('an event listener still refuses: its emitter does not wait for a promise either, and the request that emitted goes on', () => {
    const files = { [`${ROOT}/src/app.js`]: APP_JS("process.on('SIGHUP', () => resetServed());") };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/src/app.js`).refused?.reason).toBe('the function is called by `process.on`, which does not wait for a promise (src/app.js:7)');
  });
});
