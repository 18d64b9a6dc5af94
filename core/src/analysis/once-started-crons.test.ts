import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A scheduler module's guard against starting twice in the same process (`if (cronJobsStarted)
// return; cronJobsStarted = true;`, `if (schedulerState.isInitialized) return`) names the scheduler,
// as a deployment flag that picks the instance running jobs does (`if (!process.env.RUN_CRON)
// return`), but says nothing about other instances: each starts its own jobs. Round 29 of
// test/real-world (a task manager's reminder jobs, built in a `map` callback, created unstarted and
// started by iterating a Map) and the idiom as public services write it, in shapes of our own.

afterAll(removeAnalysedProjects);

describe('cron jobs made in a map callback, started later behind an already-initialized guard', () => {
  const files = {
    'src/db.js': `const { Pool } = require('pg');

const pool = new Pool();
module.exports = { query: (sql, params) => pool.query(sql, params) };
`,
    'src/jobs/reminders.js': `const cron = require('node-cron');
const db = require('../db');

let cronState = { jobs: new Map(), initialized: false };

const jobOptions = () => ({ scheduled: false, timezone: 'UTC' });

const patterns = { hourly: '0 * * * *', nightly: '0 3 * * *' };

const sendDue = async () => {
  const { sendDueReminders } = require('./due');
  return await sendDueReminders();
};

const handlerFor = (name) => async () => {
  if (name === 'hourly') {
    await sendDue();
  }
};

const buildJobs = () =>
  Object.keys(patterns).map((name) => {
    const job = cron.schedule(patterns[name], handlerFor(name), jobOptions());
    return [name, job];
  });

const startAll = (jobs) => {
  jobs.forEach((job) => {
    job.start();
  });
};

const start = async () => {
  if (cronState.initialized) return cronState;
  const jobs = new Map(buildJobs());
  startAll(jobs);
  cronState = { jobs, initialized: true };
  return cronState;
};

module.exports = { start };
`,
    'src/jobs/due.js': `const db = require('../db');

const sendDueReminders = async () => {
  const { rows } = await db.query('SELECT id FROM tasks WHERE due < now()');
  for (const row of rows) await db.query('UPDATE tasks SET reminded = true WHERE id = $1', [row.id]);
  return rows.length;
};

module.exports = { sendDueReminders };
`,
    'src/app.js': `const express = require('express');
const reminders = require('./jobs/reminders');

const app = express();
app.get('/health', (req, res) => res.send('ok'));

async function boot() {
  await reminders.start();
  app.listen(3000);
}

if (require.main === module) {
  boot();
}

module.exports = app;
`,
  };

  it('is reported where the job is made (untyped and typed)', () => {
    const expected = [
      "23:17 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: `sendDue()` writes to the database (`db.query`) on the cron schedule `patterns[name]`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(files, 'src/jobs/reminders.js')).toEqual(expected);
    expect(typed(files, 'src/jobs/reminders.js')).toEqual(expected);
  });
});

describe('a start function that returns when its jobs have already started', () => {
  const files = (guard: string) => ({
    'src/mailer.ts': `import nodemailer from 'nodemailer';

const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
export const sendDigest = (to: string) => transport.sendMail({ to, subject: 'Your week', text: '…' });
`,
    'src/cron.ts': `import cron from 'node-cron';
import { sendDigest } from './mailer';

let cronJobsStarted = false;

export function startCronJobs(): void {
  ${guard}
  cronJobsStarted = true;
  cron.schedule('0 8 * * 1', async () => {
    await sendDigest('team@example.com');
  });
}
`,
    'src/server.ts': `import express from 'express';
import { startCronJobs } from './cron';

const app = express();
app.get('/health', (_req, res) => res.send('ok'));
app.listen(3000, () => startCronJobs());
`,
  });

  it('is reported when the guard is only against starting twice (untyped and typed)', () => {
    const expected = [
      "9:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: `sendDigest()` sends e-mail (`transport.sendMail`) on cron `0 8 * * 1`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    const once = files('if (cronJobsStarted) return;');
    expect(untyped(once, 'src/cron.ts')).toEqual(expected);
    expect(typed(once, 'src/cron.ts')).toEqual(expected);
  });

  it('stays quiet when a deployment flag picks the instance that runs jobs, beside the same guard', () => {
    const flagged = files("if (cronJobsStarted || process.env.RUN_CRON !== 'true') return;");
    expect(untyped(flagged, 'src/cron.ts')).toEqual([]);
    expect(typed(flagged, 'src/cron.ts')).toEqual([]);
  });
});
