import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { applyPlan as apply, ROOT } from '../testing/fix-plans';
import { createProgram } from '../testing/program';

function plan(files: Record<string, string>, fileName: string) {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(fileName)!;
  const finding = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-in-process-scheduler'] })[0];
  expect(finding, `a no-in-process-scheduler finding in ${fileName}`).toBeDefined();
  return planFixes(sourceFile, finding, { program, projectRoot: ROOT });
}

function findingsAfter(files: Record<string, string>): string[] {
  const program = createProgram(files);
  return Object.keys(files)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => analyzeSourceFile(program.getSourceFile(name)!, { program, projectRoot: ROOT, rules: ['no-in-process-scheduler'] }).map((finding) => `${name}: ${finding.message}`));
}

const SERVER = `import express from 'express';
import { scheduleDailyReport } from './jobs/daily-report';
import { startCartExpiry } from './jobs/expire-carts';

const app = express();
// The timer is kept to stop it on shutdown: the job scheduler has no timer to hand back.
const cartExpiry = startCartExpiry();
process.on('SIGTERM', () => clearInterval(cartExpiry));
scheduleDailyReport();
app.listen(3000);
`;

const DAILY_REPORT = `import cron from 'node-cron';
import { db } from '../db';
import { sendOpsReport } from '../mailer';

// 06:00 every day: yesterday's orders to the ops mailbox.
export function scheduleDailyReport(): void {
  cron.schedule('0 6 * * *', async () => {
    const count = await db.count('orders');
    await sendOpsReport('Daily orders', \`\${count} orders\`);
  }, { timezone: 'Europe/Berlin' });
}
`;

const EXPIRE_CARTS = `import { db } from '../db';

const CART_TTL_MS = 2 * 60 * 60_000;

async function expireCarts(): Promise<void> {
  await db.delete('carts', Date.now() - CART_TTL_MS);
}

export function startCartExpiry(): NodeJS.Timeout {
  return setInterval(() => {
    expireCarts().catch((err: unknown) => console.error('[jobs] cart expiry failed', err));
  }, 60_000);
}
`;

const DB = `export const db = {
  async count(table: string): Promise<number> { return table.length; },
  async delete(table: string, before: number): Promise<void> { void table; void before; },
};
`;

const MAILER = `import nodemailer from 'nodemailer';
const transporter = nodemailer.createTransport({ jsonTransport: true });
export async function sendOpsReport(subject: string, text: string): Promise<void> {
  await transporter.sendMail({ to: 'ops@example.com', subject, text });
}
`;

const files = {
  [`${ROOT}/src/server.ts`]: SERVER,
  [`${ROOT}/src/jobs/daily-report.ts`]: DAILY_REPORT,
  [`${ROOT}/src/jobs/expire-carts.ts`]: EXPIRE_CARTS,
  [`${ROOT}/src/db.ts`]: DB,
  [`${ROOT}/src/mailer.ts`]: MAILER,
};

describe('planFixes: a schedule every instance starts moves to the job scheduler', () => {
  it('turns the cron callback into an exported job, registers it for the worker, and schedules it with its pattern and time zone', () => {
    const planned = plan(files, `${ROOT}/src/jobs/daily-report.ts`);
    expect(planned.refused).toBeUndefined();
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(["Run `dailyReportJob` from the job queue's scheduler: one run per tick across all instances, done by the worker"]);
    const move = planned.plans[0];
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([
      `${ROOT}/src/scaling/job-queue.ts`,
      `${ROOT}/src/scaling/jobs.ts`,
      `${ROOT}/src/scaling/scheduler.ts`,
      `${ROOT}/src/scaling/worker.ts`,
    ]);
    expect(move.dependencies.map((dependency) => dependency.name).sort()).toEqual(['bullmq', 'ioredis']);
    const fixed = apply(files, move);
    // node-cron was imported for this one call: the import goes with it (and the plan says so).
    expect(move.removedStatements?.map((removed) => removed.reason)).toEqual(["it imported only `cron`, whose one use became `scheduleJob`"]);
    expect(fixed[`${ROOT}/src/jobs/daily-report.ts`]).toBe(`import { db } from '../db';
import { sendOpsReport } from '../mailer';
import { scheduleJob } from '../scaling/scheduler';

// 06:00 every day: yesterday's orders to the ops mailbox.
export function scheduleDailyReport(): void {
  void scheduleJob('dailyReportJob', { pattern: '0 6 * * *', tz: 'Europe/Berlin' });
}

/** Run by the worker on every tick of its schedule (scheduleJob). */
export async function dailyReportJob() {
  const count = await db.count('orders');
  await sendOpsReport('Daily orders', \`\${count} orders\`);
}
`);
    expect(fixed[`${ROOT}/src/scaling/jobs.ts`]).toBe(`// Jobs the worker runs (worker.ts), by name. Stateless adds an entry each time it moves slow work off a request.
import { dailyReportJob } from '../jobs/daily-report';

export const jobs = {
  dailyReportJob,
};
`);
    // The daily report no longer runs in the web process (the worker's job is not reached from it); the cart expiry is another finding.
    expect(findingsAfter(fixed).map((finding) => finding.slice(0, finding.indexOf(':')))).toEqual([`${ROOT}/src/jobs/expire-carts.ts`]);
  });

  it('takes a pattern the code computes (a config value) as it is, and keeps an import the file still uses', () => {
    const computed = {
      [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport cron from 'node-cron';\nimport { sendDigest } from './digest';\n\nconst config = { digestCron: process.env.DIGEST_CRON ?? '*/15 * * * *' };\ncron.schedule(config.digestCron, () => sendDigest());\ncron.validate(config.digestCron);\nexpress().listen(3000);\n`,
      [`${ROOT}/src/digest.ts`]: MAILER.replace('sendOpsReport(subject: string, text: string)', 'sendDigest()').replace('subject, text', "subject: 'Digest', text: ''"),
    };
    const move = plan(computed, `${ROOT}/src/server.ts`).plans[0];
    // cron is still used (cron.validate); sendDigest is the worker's now.
    expect(move.removedStatements).toEqual([{ fileName: `${ROOT}/src/server.ts`, start: 61, end: 99, reason: '`sendDigest` has no use left after the fix' }]);
    expect(apply(computed, move)[`${ROOT}/src/server.ts`]).toBe(`import express from 'express';\nimport cron from 'node-cron';\nimport { scheduleJob } from './scaling/scheduler';\n\nconst config = { digestCron: process.env.DIGEST_CRON ?? '*/15 * * * *' };\nvoid scheduleJob('sendDigest', { pattern: config.digestCron });\ncron.validate(config.digestCron);\nexpress().listen(3000);\n`);
  });

  it('refuses a node-schedule job given something that may be a date or a rule, not a pattern', () => {
    const dated = {
      [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport schedule from 'node-schedule';\nimport { sendDigest } from './digest';\n\ndeclare const when: Date | string;\nschedule.scheduleJob(when, () => sendDigest());\nexpress().listen(3000);\n`,
      [`${ROOT}/src/digest.ts`]: MAILER.replace('sendOpsReport(subject: string, text: string)', 'sendDigest()').replace('subject, text', "subject: 'Digest', text: ''"),
    };
    expect(plan(dated, `${ROOT}/src/server.ts`).refused?.reason).toBe('the schedule of `schedule.scheduleJob` is not a cron pattern the fix can read');
  });

  it('refuses timers armed again at start-up for each stored delayed job: they belong on the queue as delayed jobs', () => {
    const reminders = {
      [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport { sendOpsReport } from './mailer';\n\ndeclare function pendingReminders(): Promise<string[]>;\n\nasync function restoreReminders(): Promise<void> {\n  for (const reminder of await pendingReminders()) {\n    setTimeout(() => void sendOpsReport('Reminder', String(reminder)), 60_000);\n  }\n}\nvoid restoreReminders();\nexpress().listen(3000);\n`,
      [`${ROOT}/src/mailer.ts`]: MAILER,
    };
    const planned = plan(reminders, `${ROOT}/src/server.ts`);
    expect(planned.plans).toEqual([]);
    expect(planned.refused?.reason).toBe("each job runs once at its own time: add it to the job queue as a delayed job where its row is written (the row's id as the job id), and drop the timers start-up arms");
  });

  it('uses an exported function as it is, and adds it to an existing jobs.ts', () => {
    const withJobs = {
      [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport cron from 'node-cron';\nimport { sendDigest } from './digest';\n\ncron.schedule('*/15 * * * *', () => sendDigest());\nexpress().listen(3000);\n`,
      [`${ROOT}/src/digest.ts`]: MAILER.replace('sendOpsReport(subject: string, text: string)', 'sendDigest()').replace('subject, text', "subject: 'Digest', text: ''"),
      [`${ROOT}/src/scaling/jobs.ts`]: `import { resizeImage } from '../images';\n\nexport const jobs = {\n  resizeImage,\n};\n`,
      [`${ROOT}/src/images.ts`]: `export async function resizeImage(path: string): Promise<string> {\n  return path;\n}\n`,
    };
    const move = plan(withJobs, `${ROOT}/src/server.ts`).plans[0];
    expect(move.message).toBe("Run `sendDigest` from the job queue's scheduler: one run per tick across all instances, done by the worker");
    // The invariants check the scheduler's plans too, and the CLI prints what each replaces and removes.
    expect(move.notes).toEqual([
      "replaces `cron.schedule('*/15 * * * *', () => sendDigest())` (src/server.ts:5) with `void scheduleJob('sendDigest', { pattern: '*/15 * * * *' })`: the worker runs `sendDigest` on each tick of the schedule",
      "removes `import cron from 'node-cron'` (src/server.ts:2): it imported only `cron`, whose one use became `scheduleJob`",
      "removes `import { sendDigest } from './digest'` (src/server.ts:3): `sendDigest` has no use left after the fix",
    ]);
    const fixed = apply(withJobs, move);
    // The cron import goes with its line break, so the sendDigest import's removal leaves its line empty.
    expect(fixed[`${ROOT}/src/server.ts`]).toBe(`import express from 'express';\n\nimport { scheduleJob } from './scaling/scheduler';\n\nvoid scheduleJob('sendDigest', { pattern: '*/15 * * * *' });\nexpress().listen(3000);\n`);
    expect(fixed[`${ROOT}/src/scaling/jobs.ts`]).toBe(`import { resizeImage } from '../images';\nimport { sendDigest } from '../digest';\n\nexport const jobs = {\n  resizeImage,\n  sendDigest,\n};\n`);
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/job-queue.ts`, `${ROOT}/src/scaling/scheduler.ts`, `${ROOT}/src/scaling/worker.ts`]);
  });

  it('two schedules of one file, one after the other: the block moves verbatim and says nothing; the job called as it is is a declared replacement, and the import the last one leaves unused goes with a reason', () => {
    const jobs = `import cron from 'node-cron';
import { sendOpsReport } from '../mailer';
import { resetWatering } from '../watering';

export function startJobs(): void {
  // Monday 7am: the week's report.
  cron.schedule('0 7 * * 1', async () => {
    await sendOpsReport('Weekly', 'plots');
  });

  // Midnight: a new day's watering log.
  cron.schedule('0 0 * * *', async () => await resetWatering());
}
`;
    const garden = {
      [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport { startJobs } from './jobs/digest';\n\nstartJobs();\nexpress().listen(3000);\n`,
      [`${ROOT}/src/jobs/digest.ts`]: jobs,
      [`${ROOT}/src/mailer.ts`]: MAILER,
      [`${ROOT}/src/db.ts`]: DB,
      [`${ROOT}/src/watering.ts`]: `import { db } from './db';\n\nexport async function resetWatering(): Promise<void> {\n  await db.delete('waterings', Date.now());\n}\n`,
    };
    const weekly = plan(garden, `${ROOT}/src/jobs/digest.ts`).plans[0];
    expect(weekly.notes).toBeUndefined();
    const once = apply(garden, weekly);
    const midnight = plan(once, `${ROOT}/src/jobs/digest.ts`).plans[0];
    expect(midnight.notes).toEqual([
      "replaces `cron.schedule('0 0 * * *', async () => await resetWatering())` (src/jobs/digest.ts:11) with `void scheduleJob('resetWatering', { pattern: '0 0 * * *' })`: the worker runs `resetWatering` on each tick of the schedule",
      "removes `import cron from 'node-cron'` (src/jobs/digest.ts:1): it imported only `cron`, whose one use became `scheduleJob`",
      "removes `import { resetWatering } from '../watering'` (src/jobs/digest.ts:3): `resetWatering` has no use left after the fix",
    ]);
    expect(apply(once, midnight)[`${ROOT}/src/jobs/digest.ts`]).toBe(`import { sendOpsReport } from '../mailer';
import { scheduleJob } from '../scaling/scheduler';

export function startJobs(): void {
  // Monday 7am: the week's report.
  void scheduleJob('jobsJob', { pattern: '0 7 * * 1' });

  // Midnight: a new day's watering log.
  void scheduleJob('resetWatering', { pattern: '0 0 * * *' });
}

/** Run by the worker on every tick of its schedule (scheduleJob). */
export async function jobsJob() {
  await sendOpsReport('Weekly', 'plots');
}
`);
  });

  it('untyped, the same: a JavaScript module\'s schedule of an exported job is a declared replacement', () => {
    const js = {
      [`${ROOT}/src/server.js`]: `import express from 'express';\nimport cron from 'node-cron';\nimport { sendDigest } from './digest.js';\n\ncron.schedule('*/15 * * * *', () => sendDigest());\nexpress().listen(3000);\n`,
      [`${ROOT}/src/digest.js`]: `import nodemailer from 'nodemailer';\nconst transporter = nodemailer.createTransport({ jsonTransport: true });\nexport async function sendDigest() {\n  await transporter.sendMail({ to: 'ops@example.com', subject: 'Digest', text: '' });\n}\n`,
    };
    const move = plan(js, `${ROOT}/src/server.js`).plans[0];
    expect(move.notes?.[0]).toBe("replaces `cron.schedule('*/15 * * * *', () => sendDigest())` (src/server.js:5) with `void scheduleJob('sendDigest', { pattern: '*/15 * * * *' })`: the worker runs `sendDigest` on each tick of the schedule");
    expect(apply(js, move)[`${ROOT}/src/server.js`]).toContain("void scheduleJob('sendDigest', { pattern: '*/15 * * * *' });\nexpress().listen(3000);");
  });

  it('keeps an interval as { every } and a started CronJob as { pattern }', () => {
    const server = `import express from 'express';\nimport { CronJob } from 'cron';\nimport { db } from './db';\n\nconst MINUTE = 60_000;\nsetInterval(async () => {\n  await db.delete('tokens', Date.now());\n}, 5 * MINUTE);\nnew CronJob('0 0 * * *', async () => {\n  await db.delete('carts', Date.now());\n}, null, true, 'UTC');\nexpress().listen(3000);\n`;
    const both = { [`${ROOT}/src/server.ts`]: server, [`${ROOT}/src/db.ts`]: DB };
    const program = createProgram(both);
    const sourceFile = program.getSourceFile(`${ROOT}/src/server.ts`)!;
    const [interval, cronJob] = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-in-process-scheduler'] });
    const intervalMove = planFixes(sourceFile, interval, { program, projectRoot: ROOT }).plans[0];
    expect(apply(both, intervalMove)[`${ROOT}/src/server.ts`]).toBe(`import express from 'express';\nimport { CronJob } from 'cron';\nimport { db } from './db';\nimport { scheduleJob } from './scaling/scheduler';\n\nconst MINUTE = 60_000;\nvoid scheduleJob('serverJob', { every: 5 * MINUTE });\n\n/** Run by the worker on every tick of its schedule (scheduleJob). */\nexport async function serverJob() {\n  await db.delete('tokens', Date.now());\n}\nnew CronJob('0 0 * * *', async () => {\n  await db.delete('carts', Date.now());\n}, null, true, 'UTC');\nexpress().listen(3000);\n`);
    const cronMove = planFixes(sourceFile, cronJob, { program, projectRoot: ROOT }).plans[0];
    expect(cronMove.edits.find((edit) => edit.newText.startsWith('void'))?.newText).toBe("void scheduleJob('serverJob', { pattern: '0 0 * * *', tz: 'UTC' })");
  });

  it('refuses, with the reason, what it cannot move without changing the code\'s meaning', () => {
    const refusal = (server: string): string | undefined => plan({ [`${ROOT}/src/server.ts`]: server, [`${ROOT}/src/db.ts`]: DB }, `${ROOT}/src/server.ts`).refused?.reason;
    expect(refusal(`import express from 'express';\nimport { db } from './db';\nfunction start(table: string): void {\n  setInterval(() => void db.delete(table, Date.now()), 1000);\n}\nstart('carts');\nexpress().listen(3000);\n`)).toBe('the job uses `table` from the code around it; a worker runs it without that');
    expect(refusal(`import express from 'express';\nimport cron from 'node-cron';\nimport { db } from './db';\nconst task = cron.schedule('* * * * *', () => db.delete('carts', 0));\ntask.start();\nexpress().listen(3000);\n`)).toBe('the value of `cron.schedule(…)` is used (kept in `task`): a job scheduler has no timer or task to hand back');
    expect(refusal(`import express from 'express';\nimport cron from 'node-cron';\nimport { db } from './db';\ncron.schedule('* * * * *', () => db.delete('carts', 0), { noOverlap: true });\nexpress().listen(3000);\n`)).toBe('the schedule has options (`{ noOverlap: true }`) a job scheduler does not take');
    expect(refusal(`import express from 'express';\nimport { db } from './db';\nasync function poll(): Promise<void> {\n  await db.delete('outbox', 0);\n  setTimeout(poll, 1000);\n}\nvoid poll();\nexpress().listen(3000);\n`)).toBe('a setTimeout loop reschedules itself: register its work with `scheduleJob` by hand');
    const sleeping = plan({ [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport { setTimeout as sleep } from 'timers/promises';\nimport { db } from './db';\nasync function poll(): Promise<void> {\n  while (true) {\n    await db.delete('outbox', 0);\n    await sleep(1000);\n  }\n}\nvoid poll();\nexpress().listen(3000);\n`, [`${ROOT}/src/db.ts`]: DB }, `${ROOT}/src/server.ts`);
    expect([sleeping.plans.length, sleeping.refused?.reason]).toEqual([0, 'the job is a loop that sleeps between rounds: register one round with `scheduleJob` by hand, or run the loop in the worker']);
    // The delayed first tick of such a loop (`setTimeout(() => safeBeat(), ms)`) is the loop: neither fix is offered.
    const files = { [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport { db } from './db';\nfunction start(): void {\n  const beat = async (): Promise<void> => {\n    await db.delete('outbox', 0);\n    setTimeout(() => void beat(), 1000);\n  };\n  setTimeout(() => void beat(), 5000);\n}\nstart();\nexpress().listen(3000);\n`, [`${ROOT}/src/db.ts`]: DB };
    const program = createProgram(files);
    const server = program.getSourceFile(`${ROOT}/src/server.ts`)!;
    const findings = analyzeSourceFile(server, { program, projectRoot: ROOT, rules: ['no-in-process-scheduler'] });
    expect(findings.map((finding) => server.getLineAndCharacterOfPosition(finding.start).line + 1)).toEqual([6, 8]);
    const delayed = planFixes(server, findings[1], { program, projectRoot: ROOT });
    expect([delayed.plans.length, delayed.refused?.reason]).toEqual([0, 'a setTimeout loop reschedules itself: register its work with `scheduleJob` by hand']);
  });
});

describe('planFixes: an interval that stays in the web process runs on the leader only', () => {
  it('wraps the callback, unchanged, in runAsLeader with a lead of twice the interval', () => {
    const planned = plan(files, `${ROOT}/src/jobs/expire-carts.ts`);
    // The timer handle is returned and kept, so the job scheduler cannot replace it; the leader lock keeps it.
    expect(planned.refused).toEqual({
      title: "Run the job from the job queue's scheduler",
      reason: 'the value of `setInterval(…)` is used (returned; `startCartExpiry()` (src/server.ts:7) keeps it): a job scheduler has no timer or task to hand back',
    });
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(['Keep the timer, but run `cart-expiry` only on the instance that holds the leader lock in Redis']);
    const lock = planned.plans[0];
    expect(lock.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/leader-lock.ts`, `${ROOT}/src/scaling/redis.ts`]);
    expect(lock.dependencies).toEqual([{ name: 'ioredis', version: expect.any(String) as string }]);
    expect(apply(files, lock)[`${ROOT}/src/jobs/expire-carts.ts`]).toBe(`import { db } from '../db';
import { runAsLeader } from '../scaling/leader-lock';

const CART_TTL_MS = 2 * 60 * 60_000;

async function expireCarts(): Promise<void> {
  await db.delete('carts', Date.now() - CART_TTL_MS);
}

export function startCartExpiry(): NodeJS.Timeout {
  return setInterval(() => void runAsLeader('cart-expiry', 120000, () => {
    expireCarts().catch((err: unknown) => console.error('[jobs] cart expiry failed', err));
  }), 60_000);
}
`);
    expect(findingsAfter(apply(files, lock)).map((finding) => finding.slice(0, finding.indexOf(':')))).toEqual([`${ROOT}/src/jobs/daily-report.ts`]);
  });
});

describe('planFixes: the leader lock in a JavaScript project', () => {
  const jsFiles = {
    [`${ROOT}/jobs.js`]: `'use strict';

const { db } = require('./lib/db');

async function digest() {
  await db.insert('digests', 1);
}

function startJobs() {
  setInterval(() => {
    digest().catch((err) => console.error('digest failed', err));
  }, 60 * 1000);
}

module.exports = { startJobs };
`,
    [`${ROOT}/lib/db.js`]: `exports.db = { insert: async (table, n) => n };\n`,
    [`${ROOT}/server.js`]: `const express = require('express');\nconst { startJobs } = require('./jobs');\nstartJobs();\nexpress().listen(3000);\n`,
  };

  it('writes its adapters as CommonJS modules the edited file can require, as the other fixes do', () => {
    const planned = plan(jsFiles, `${ROOT}/jobs.js`);
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(['Keep the timer, but run `jobs` only on the instance that holds the leader lock in Redis']);
    const lock = planned.plans[0];
    expect(lock.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/leader-lock.js`, `${ROOT}/src/scaling/redis.js`]);
    const leader = lock.createFiles.find((file) => file.fileName.endsWith('leader-lock.js'))!.text;
    expect([leader.includes('module.exports'), leader.includes("require('./redis')"), /: Promise<|import /.test(leader)]).toEqual([true, true, false]);
    expect(apply(jsFiles, lock)[`${ROOT}/jobs.js`]).toBe(`'use strict';

const { db } = require('./lib/db');
const { runAsLeader } = require('./src/scaling/leader-lock');

async function digest() {
  await db.insert('digests', 1);
}

function startJobs() {
  setInterval(() => void runAsLeader('jobs', 2 * (60 * 1000), () => {
    digest().catch((err) => console.error('digest failed', err));
  }), 60 * 1000);
}

module.exports = { startJobs };
`);
  });

  it('the job run once before the timer starts is the same job: the leader runs that first run too; a call with arguments, or in another block, is left alone', () => {
    const firstRun = {
      ...jsFiles,
      [`${ROOT}/jobs.js`]: jsFiles[`${ROOT}/jobs.js`].replace(
        "function startJobs() {\n  setInterval(() => {\n    digest().catch((err) => console.error('digest failed', err));\n  }, 60 * 1000);\n}",
        "function startJobs() {\n  digest();\n  digest().catch((err) => console.error('digest failed', err));\n  digest(1);\n  if (process.env.WARM) digest();\n  setInterval(digest, 60 * 1000);\n}",
      ),
    };
    const lock = plan(firstRun, `${ROOT}/jobs.js`).plans[0];
    expect(apply(firstRun, lock)[`${ROOT}/jobs.js`]).toContain(`function startJobs() {
  void runAsLeader('digest', 2 * (60 * 1000), digest);
  runAsLeader('digest', 2 * (60 * 1000), digest).catch((err) => console.error('digest failed', err));
  digest(1);
  if (process.env.WARM) digest();
  setInterval(() => void runAsLeader('digest', 2 * (60 * 1000), digest), 60 * 1000);
}`);
  });

  it("a class's bound method is its lock's name, not the method that starts the timer: two jobs started by `start()` must not share a lock", () => {
    const classFiles = {
      [`${ROOT}/lib/revisions.js`]: `'use strict';

const { db } = require('./db');

class RevisionJob {
  start() {
    if (this.timer) return;
    this.timer = setInterval(this.saveRevisions.bind(this), 5 * 60 * 1000);
  }

  saveRevisions() {
    db.insert('revisions', 1).catch((err) => console.error(err));
  }
}

exports.RevisionJob = RevisionJob;
`,
      [`${ROOT}/lib/db.js`]: `exports.db = { insert: async (table, n) => n };\n`,
      [`${ROOT}/server.js`]: `const express = require('express');\nconst { RevisionJob } = require('./lib/revisions');\nnew RevisionJob().start();\nexpress().listen(3000);\n`,
    };
    const lock = plan(classFiles, `${ROOT}/lib/revisions.js`).plans.find((candidate) => candidate.message.startsWith('Keep the timer'))!;
    expect(apply(classFiles, lock)[`${ROOT}/lib/revisions.js`]).toContain("this.timer = setInterval(() => void runAsLeader('save-revisions', 2 * (5 * 60 * 1000), this.saveRevisions.bind(this)), 5 * 60 * 1000);");
  });

  it('timers a function starts side by side with callbacks one call makes per frequency keep a lock each', () => {
    const pollFiles = {
      [`${ROOT}/lib/device.js`]: `'use strict';

const { db } = require('./db');
const FREQUENCIES = { EVERY_MINUTE: 60 * 1000, EVERY_10_SECONDS: 10 * 1000 };

class DeviceManager {
  pollAll(frequency) {
    return async () => {
      const devices = await db.devicesPolledEvery(frequency);
      await Promise.all(devices.map((device) => db.insert('states', device.id)));
    };
  }

  setupPoll() {
    setInterval(this.pollAll(FREQUENCIES.EVERY_MINUTE), FREQUENCIES.EVERY_MINUTE);
    setInterval(this.pollAll(FREQUENCIES.EVERY_10_SECONDS), FREQUENCIES.EVERY_10_SECONDS);
  }
}

exports.DeviceManager = DeviceManager;
`,
      [`${ROOT}/lib/db.js`]: `exports.db = { insert: async (table, n) => n, devicesPolledEvery: async () => [] };\n`,
      [`${ROOT}/server.js`]: `const express = require('express');\nconst { DeviceManager } = require('./lib/device');\nnew DeviceManager().setupPoll();\nexpress().listen(3000);\n`,
    };
    const lock = (files: Record<string, string>) => apply(files, plan(files, `${ROOT}/lib/device.js`).plans.find((candidate) => candidate.message.startsWith('Keep the timer'))!)[`${ROOT}/lib/device.js`];
    expect(lock(pollFiles)).toContain("    setInterval(() => void runAsLeader('poll-all-every-minute', 2 * FREQUENCIES.EVERY_MINUTE, this.pollAll(FREQUENCIES.EVERY_MINUTE)), FREQUENCIES.EVERY_MINUTE);\n    setInterval(this.pollAll(FREQUENCIES.EVERY_10_SECONDS), FREQUENCIES.EVERY_10_SECONDS);");
    // The other timer, planned first when it comes first.
    const swapped = { ...pollFiles, [`${ROOT}/lib/device.js`]: pollFiles[`${ROOT}/lib/device.js`].replace(/( {4}setInterval\(this\.pollAll\(FREQUENCIES\.EVERY_MINUTE\).*\n)( {4}setInterval.*\n)/, '$2$1') };
    expect(lock(swapped)).toContain("    setInterval(() => void runAsLeader('poll-all-every-10-seconds', 2 * FREQUENCIES.EVERY_10_SECONDS, this.pollAll(FREQUENCIES.EVERY_10_SECONDS)), FREQUENCIES.EVERY_10_SECONDS);");
  });

  it('a TypeScript project keeps its .ts adapters (the look-alike)', () => {
    const planned = plan({ ...files }, `${ROOT}/src/jobs/expire-carts.ts`);
    expect(planned.plans[0].createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/leader-lock.ts`, `${ROOT}/src/scaling/redis.ts`]);
  });
});

describe('planFixes: a cron job the worker cannot run takes a lock for each tick', () => {
  const JOBS_JS = (job: string): string => `const cron = require('node-cron');
const { db } = require('./lib/db');

function startJobs(app) {
  cron.schedule('0 18 * * *', ${job});
}

module.exports = { startJobs };
`;
  const files = (job: string) => ({
    [`${ROOT}/jobs.js`]: JOBS_JS(job),
    [`${ROOT}/lib/db.js`]: `exports.db = { insert: async (table, n) => n };\n`,
    [`${ROOT}/server.js`]: `const express = require('express');\nconst { startJobs } = require('./jobs');\nconst app = express();\nstartJobs(app);\napp.listen(3000);\n`,
  });

  it('the job uses the app around it: every instance keeps the schedule, the first to take the tick runs it', () => {
    const input = files("async () => {\n    await db.insert('bake-lists', app.locals.shop);\n  }");
    const planned = plan(input, `${ROOT}/jobs.js`);
    expect(planned.refused?.reason).toBe('the file is a CommonJS module: the worker\'s jobs.ts imports named exports');
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(['Keep the schedule, but run each tick on one instance: the first to take `jobs:0 18 * * *` in Redis']);
    expect(apply(input, planned.plans[0])[`${ROOT}/jobs.js`]).toBe(`const cron = require('node-cron');
const { db } = require('./lib/db');
const { runAsLeader } = require('./src/scaling/leader-lock');

function startJobs(app) {
  cron.schedule('0 18 * * *', () => void runAsLeader('jobs:0 18 * * *', 30_000, async () => {
    await db.insert('bake-lists', app.locals.shop);
  }));
}

module.exports = { startJobs };
`);
  });

  it('a job that takes the tick node-cron hands it is left to the job scheduler\'s refusal', () => {
    const planned = plan(files("async (now) => {\n    await db.insert('bake-lists', now);\n  }"), `${ROOT}/jobs.js`);
    expect(planned.plans).toEqual([]);
  });

  it("cron's CronJob the code keeps (returned to its caller) stays a CronJob, its tick run on one instance", () => {
    const input = {
      [`${ROOT}/src/digest.ts`]: `import { CronJob } from 'cron';
import { db } from './db';

export function scheduleDigest(): CronJob {
  return new CronJob('0 0 8 * * 1-5', () => {
    db.insert('digests', Date.now()).catch((err) => console.error('digest failed', err));
  }, null, true);
}
`,
      [`${ROOT}/src/db.ts`]: `export const db = { insert: async (table: string, n: number) => n };\n`,
      [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport { scheduleDigest } from './digest';\nconst digest = scheduleDigest();\nprocess.on('SIGTERM', () => digest.stop());\nexpress().listen(3000);\n`,
    };
    const planned = plan(input, `${ROOT}/src/digest.ts`);
    expect(planned.refused?.reason).toBe('the value of `new CronJob(…)` is used (returned; `scheduleDigest()` (src/server.ts:3) keeps it): a job scheduler has no timer or task to hand back');
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(['Keep the schedule, but run each tick on one instance: the first to take `digest:0 0 8 * * 1-5` in Redis']);
    expect(apply(input, planned.plans[0])[`${ROOT}/src/digest.ts`]).toBe(`import { CronJob } from 'cron';
import { db } from './db';
import { runAsLeader } from './scaling/leader-lock';

export function scheduleDigest(): CronJob {
  return new CronJob('0 0 8 * * 1-5', () => void runAsLeader('digest:0 0 8 * * 1-5', 30_000, () => {
    db.insert('digests', Date.now()).catch((err) => console.error('digest failed', err));
  }), null, true);
}
`);
  });

  it('a task returned by a function every call of which drops it moves to the job scheduler: the function schedules the job and returns nothing', () => {
    const input = (server: string) => ({
      [`${ROOT}/src/jobs/digest.ts`]: `import cron from 'node-cron';
import { db } from '../db';

// Monday morning: the hives nobody looked at for two weeks.
export function scheduleWeeklyDigest(): cron.ScheduledTask {
  const pattern = process.env.DIGEST_CRON ?? '0 7 * * 1';
  return cron.schedule(pattern, async () => {
    const due = await db.insert('digests', Date.now());
    console.log('digest', due);
  });
}
`,
      [`${ROOT}/src/db.ts`]: `export const db = { insert: async (table: string, n: number) => n };\n`,
      [`${ROOT}/src/server.ts`]: server,
    });
    const dropped = input(`import express from 'express';\nimport { scheduleWeeklyDigest } from './jobs/digest';\nscheduleWeeklyDigest();\nexpress().listen(3000);\n`);
    const planned = plan(dropped, `${ROOT}/src/jobs/digest.ts`);
    expect(planned.refused).toBeUndefined();
    expect(apply(dropped, planned.plans[0])[`${ROOT}/src/jobs/digest.ts`]).toBe(`import { db } from '../db';
import { scheduleJob } from '../scaling/scheduler';

// Monday morning: the hives nobody looked at for two weeks.
export function scheduleWeeklyDigest(): void {
  const pattern = process.env.DIGEST_CRON ?? '0 7 * * 1';
  void scheduleJob('weeklyDigestJob', { pattern: pattern });
}

/** Run by the worker on every tick of its schedule (scheduleJob). */
export async function weeklyDigestJob() {
  const due = await db.insert('digests', Date.now());
  console.log('digest', due);
}
`);
    expect(planned.plans[0].replacedStatements?.map((replaced) => replaced.reason)).toEqual([
      'the worker runs `weeklyDigestJob` on each tick of the schedule, and every call of `scheduleWeeklyDigest` dropped the task it returned',
    ]);
    // A caller that keeps the task (to stop it on shutdown) still needs it: refused, saying which.
    const kept = input(`import express from 'express';\nimport { scheduleWeeklyDigest } from './jobs/digest';\nconst digest = scheduleWeeklyDigest();\nprocess.on('SIGTERM', () => digest.stop());\nexpress().listen(3000);\n`);
    expect(plan(kept, `${ROOT}/src/jobs/digest.ts`).refused?.reason).toBe(
      'the value of `cron.schedule(…)` is used (returned; `scheduleWeeklyDigest()` (src/server.ts:3) keeps it): a job scheduler has no timer or task to hand back',
    );
  });

  it("node-schedule's job kept in a variable, and cron's CronJob.from, alike; a tick every second is not locked for 30 s", () => {
    const input = (code: string) => ({
      [`${ROOT}/src/jobs.ts`]: code,
      [`${ROOT}/src/db.ts`]: `export const db = { insert: async (table: string, n: number) => n };\n`,
      [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport { nightly } from './jobs';\nconsole.log(nightly);\nexpress().listen(3000);\n`,
    });
    const scheduled = input(`import schedule from 'node-schedule';
import { db } from './db';

export const nightly = schedule.scheduleJob('nightly', '30 2 * * *', async () => {
  await db.insert('nightly', Date.now());
});
`);
    const planned = plan(scheduled, `${ROOT}/src/jobs.ts`);
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(['Keep the schedule, but run each tick on one instance: the first to take `jobs:30 2 * * *` in Redis']);
    expect(apply(scheduled, planned.plans[0])[`${ROOT}/src/jobs.ts`]).toContain("export const nightly = schedule.scheduleJob('nightly', '30 2 * * *', () => void runAsLeader('jobs:30 2 * * *', 30_000, async () => {\n  await db.insert('nightly', Date.now());\n}));");
    const from = input(`import { CronJob } from 'cron';
import { db } from './db';

export const nightly = CronJob.from({ cronTime: '0 3 * * *', onTick: async () => { await db.insert('nightly', 1); }, start: true });
`);
    const fromPlan = plan(from, `${ROOT}/src/jobs.ts`);
    expect(apply(from, fromPlan.plans[0])[`${ROOT}/src/jobs.ts`]).toContain("onTick: () => void runAsLeader('jobs:0 3 * * *', 30_000, async () => { await db.insert('nightly', 1); }), start: true");
    const everySecond = input(`import { CronJob } from 'cron';
import { db } from './db';

export const nightly = new CronJob('* * * * * *', async () => { await db.insert('beats', 1); }, null, true);
`);
    expect(plan(everySecond, `${ROOT}/src/jobs.ts`).plans).toEqual([]);
  });
});

describe('planFixes: a job that fills the queue its own process drains stays in the web process', () => {
  const MAIL_QUEUE = `import nodemailer from 'nodemailer';

const transport = nodemailer.createTransport({ jsonTransport: true });
const queue: { to: string; text: string }[] = [];

export function enqueueMail(message: { to: string; text: string }): void {
  queue.push(message);
}

export function startMailWorker(): void {
  setInterval(async () => {
    while (queue.length > 0) await transport.sendMail(queue.shift()!);
  }, 2000);
}
`;
  const JOBS = (job: string) => `import schedule from 'node-schedule';
import { db } from './db';
import { enqueueMail } from './mail-queue';

export function startJobs(): void {
  schedule.scheduleJob('30 2 * * *', ${job});
}
`;
  const files = (job: string) => ({
    [`${ROOT}/src/mail-queue.ts`]: MAIL_QUEUE,
    [`${ROOT}/src/jobs.ts`]: JOBS(job),
    [`${ROOT}/src/db.ts`]: `export const db = { async update(table: string): Promise<number> { return 0; } };\n`,
    [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport { startJobs } from './jobs';\nimport { startMailWorker } from './mail-queue';\nconst app = express();\napp.listen(3000);\nstartMailWorker();\nstartJobs();\n`,
  });

  it("node-schedule: the nightly close that mails through the in-process queue keeps its schedule and takes each tick's lock; the queue's own timer is not a job", () => {
    const input = files("async () => {\n    const closed = await db.update('shows');\n    enqueueMail({ to: 'manager@example.test', text: `${closed} shows closed` });\n  }");
    expect(findingsAfter(input).map((line) => line.replace(/: .*/, ''))).toEqual([`${ROOT}/src/jobs.ts`]);
    const planned = plan(input, `${ROOT}/src/jobs.ts`);
    expect(planned.refused?.reason).toBe('the job fills `queue` (src/mail-queue.ts:4), a queue this process drains itself: in the worker it would wait where nothing sends it');
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(['Keep the schedule, but run each tick on one instance: the first to take `jobs:30 2 * * *` in Redis']);
    expect(apply(input, planned.plans[0])[`${ROOT}/src/jobs.ts`]).toBe(`import schedule from 'node-schedule';
import { db } from './db';
import { enqueueMail } from './mail-queue';
import { runAsLeader } from './scaling/leader-lock';

export function startJobs(): void {
  schedule.scheduleJob('30 2 * * *', () => void runAsLeader('jobs:30 2 * * *', 30_000, async () => {
    const closed = await db.update('shows');
    enqueueMail({ to: 'manager@example.test', text: \`\${closed} shows closed\` });
  }));
}
`);
  });

  it('the look-alike: a job that only writes moves to the job scheduler as before', () => {
    const planned = plan(files("async () => {\n    await db.update('shows');\n  }"), `${ROOT}/src/jobs.ts`);
    expect(planned.refused).toBeUndefined();
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(["Run `jobsJob` from the job queue's scheduler: one run per tick across all instances, done by the worker"]);
  });
});

describe('planFixes: a job that works on data each instance keeps in its own memory', () => {
  const STORE = `const polls = {};
let nextId = 1;
function createPoll(question) {
  const id = String(nextId++);
  polls[id] = { id, question, open: true, createdAt: Date.now() };
  return polls[id];
}
function allPolls() {
  return Object.values(polls);
}
module.exports = { createPoll, allPolls };
`;
  const SERVER = `const express = require('express');
const cron = require('node-cron');
const store = require('./store');
const { db } = require('./db');
const app = express();
app.post('/polls', (req, res) => res.status(201).json(store.createPoll(req.body.question)));
cron.schedule('*/10 * * * *', async () => {
  for (const poll of store.allPolls()) {
    if (poll.open && poll.createdAt < Date.now() - 86400000) {
      poll.open = false;
      await db.insert('closed_polls', poll.id);
    }
  }
});
app.listen(3000);
`;
  const input = {
    [`${ROOT}/store.js`]: STORE,
    [`${ROOT}/server.js`]: SERVER,
    [`${ROOT}/db.js`]: `exports.db = { insert: async (table, id) => id };\n`,
  };

  it('is refused, naming the data: on one instance the job would close only the polls that instance holds', () => {
    const planned = plan(input, `${ROOT}/server.js`);
    expect(planned.plans).toEqual([]);
    expect(planned.refused?.reason).toBe("the job works on `polls` (store.js:1), which each instance keeps in its own memory: run once, it would handle one instance's copy and leave the others'; move `polls` to a shared store first");
  });

  it('the look-alike: the same job over records kept in the shared store takes the tick lock', () => {
    const shared = { ...input, [`${ROOT}/store.js`]: STORE.replace('const polls = {};', "const polls = require('./scaling/shared').records('polls');") };
    const planned = plan(shared, `${ROOT}/server.js`);
    expect(planned.plans.map((candidate) => candidate.message)).toEqual(['Keep the schedule, but run each tick on one instance: the first to take `server:*/10 * * * *` in Redis']);
  });
});

describe("planFixes: cron's CronJob made without starting it, then registered and started by the code", () => {
  const input = (registration: string) => ({
    [`${ROOT}/src/closing.ts`]: `import { CronJob } from 'cron';
import { db } from './db';

export const registry = { jobs: new Map<string, CronJob>(), addCronJob(name: string, job: CronJob) { this.jobs.set(name, job); } };

export function scheduleClosing() {
  const job = new CronJob('0 30 17 * * *', async () => {
    await db.insert('closings', Date.now());
  });
${registration}
}
`,
    [`${ROOT}/src/db.ts`]: `export const db = { insert: async (table: string, n: number) => n };\n`,
    [`${ROOT}/src/server.ts`]: `import express from 'express';\nimport { scheduleClosing } from './closing';\nscheduleClosing();\nexpress().listen(3000);\n`,
  });

  it("says what holds it: kept in a SchedulerRegistry-style registry (`addCronJob`) and started later, as NestJS's docs write dynamic cron jobs", () => {
    const planned = plan(input('  registry.addCronJob(\'close\', job);\n  job.start();'), `${ROOT}/src/closing.ts`);
    expect(planned.refused?.reason).toBe(
      'the CronJob is not started where it is made: it is kept in the SchedulerRegistry (`registry.addCronJob(…)`) and started later (`job.start()`), a timer the code holds, and a job scheduler hands none back: register its work with `scheduleJob` by hand, or run each tick under a leader lock',
    );
  });

  it('a CronJob made and never started names its start argument', () => {
    const planned = plan(input('  void job;'), `${ROOT}/src/closing.ts`);
    expect(planned.refused?.reason).toBe(
      'the CronJob is not started where it is made (its fourth argument, start, is not `true`), a timer the code holds, and a job scheduler hands none back: register its work with `scheduleJob` by hand, or run each tick under a leader lock',
    );
  });
});
