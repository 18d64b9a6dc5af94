import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// Slow work in a function that is also passed as a value (an event listener, a retry wrapper):
// the function stays as it is for those uses; only the call on the request path goes to the queue.

describe('planFixes: slow work in a function that is also used as a value', () => {
  it('TypeScript: the request-path call is queued; the listener keeps the function', () => {
    const files = {
      [`${ROOT}/src/mail.ts`]: `import nodemailer from 'nodemailer';
import { EventEmitter } from 'node:events';
const transporter = nodemailer.createTransport({ jsonTransport: true });
export async function sendWelcome(to: string): Promise<void> {
  await transporter.sendMail({ to, subject: 'Welcome' });
}
export const events = new EventEmitter();
events.on('invited', sendWelcome);
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { sendWelcome } from './mail';
export const app = express();
app.post('/signup', async (req, res) => {
  await sendWelcome(req.body.email);
  res.status(201).end();
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/mail.ts`));
    expect(fixed[`${ROOT}/src/mail.ts`]).toBe(files[`${ROOT}/src/mail.ts`]);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { sendWelcome } from './mail';
import { enqueueJob } from './scaling/job-queue';
export const app = express();
app.post('/signup', async (req, res) => {
  await enqueueJob('sendWelcome', [req.body.email]);
  res.status(201).end();
});
`);
  });

  it('CommonJS: a sync hash in a function passed to map() is refused, naming the value use', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const crypto = require('crypto');
function digest(password) {
  return crypto.scryptSync(password, 'salt', 32).toString('hex');
}
const app = express();
app.post('/login', (req, res) => {
  res.json({ ok: digest(req.body.password) === 'x' });
});
app.post('/bulk', (req, res) => {
  res.json(req.body.passwords.map(digest));
});
module.exports = app;
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.js`).refused).toEqual({
      title: 'Take the work off the request',
      reason: '`digest` is passed as a value at src/app.js:11',
    });
  });
});
