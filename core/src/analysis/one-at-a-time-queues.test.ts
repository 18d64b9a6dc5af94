import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A task queue that runs one task at a time is a lock of this process (round 37b of test/real-world:
// a status page serializes each group monitor's status update with `new Queue({ concurrency: 1 })`
// of the queue package, fed by its heartbeat endpoint; round 36's cron panel installs dependencies
// through a p-queue of concurrency one). Look-alikes: a queue of ten at a time (a throttle of mails),
// a queue with the default concurrency, and a one-at-a-time queue only start-up pushes to.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-process-lock'];

const files = {
  'package.json': '{ "name": "status", "dependencies": { "express": "4", "queue": "6", "p-queue": "6" } }',
  'src/status.js': `const Queue = require('queue');
const db = require('./db');

const statusQueue = new Queue({ concurrency: 1, autostart: true });
const mailQueue = new Queue({ concurrency: 10, autostart: true });
const anyQueue = new Queue({ autostart: true });

async function insertStatus(tag, status) {
  statusQueue.push(async (cb) => {
    const group = await db.groupOf(tag);
    await db.saveGroupStatus(group, status);
    cb();
  });
  mailQueue.push(async (cb) => {
    await db.notify(tag);
    cb();
  });
  anyQueue.push((cb) => cb());
  return db.insertStatus(tag, status);
}

module.exports = { insertStatus };
`,
  'src/db.js': `module.exports = {
  groupOf: async (tag) => tag,
  saveGroupStatus: async () => {},
  notify: async () => {},
  insertStatus: async () => {},
};
`,
  'src/installs.ts': `import PQueue from 'p-queue';
import { db } from './store';

const installs = new PQueue({ concurrency: 1 });

export async function install(name: string): Promise<void> {
  await installs.add(async () => {
    await db.markInstalling(name);
  });
}

export async function warmUp(): Promise<void> {
  const seeds = new PQueue({ concurrency: 1 });
  await seeds.add(async () => db.markInstalling('base'));
}
`,
  'src/store.ts': `export const db = { markInstalling: async (name: string) => name, appendLog: async (name: string, line: string) => name + line };
`,
  'src/logs.ts': `import PQueue from 'p-queue-cjs';
import { db } from './store';

const logUpdates = new PQueue({ concurrency: 1 });

export function appendInstallLog(name: string, line: string): void {
  logUpdates.add(() => db.appendLog(name, line));
}
`,
  'src/app.js': `const express = require('express');
const { insertStatus } = require('./status');
const { install, warmUp } = require('./installs');
const { appendInstallLog } = require('./logs');

const app = express();
app.post('/api/heartbeat/:tag', async (req, res) => {
  await insertStatus(req.params.tag, 'UP');
  res.json({ ok: true });
});
app.post('/dependencies', async (req, res) => {
  await install(req.body.name);
  appendInstallLog(req.body.name, 'queued');
  res.end();
});
warmUp();
app.listen(3000);
`,
};

describe('a task queue that runs one task at a time', () => {
  it('queue of concurrency one pushed to on a request path: a lock of this process; ten at a time and the default stay quiet', () => {
    const expected = [
      '4:21 no-in-process-lock: queue `statusQueue` excludes only callers in this process; it is used by POST /api/heartbeat/:tag (src/app.js:7). A request on another instance runs the guarded work at the same time.',
    ];
    expect(untyped(files, 'src/status.js', RULES)).toEqual(expected);
    expect(typed(files, 'src/status.js', RULES)).toEqual(expected);
  });

  it("p-queue of concurrency one added to by a route; a local one start-up adds to guards no request", () => {
    const expected = [
      '4:18 no-in-process-lock: p-queue `installs` excludes only callers in this process; it is used by POST /dependencies (src/app.js:11). A request on another instance runs the guarded work at the same time.',
    ];
    expect(untyped(files, 'src/installs.ts', RULES)).toEqual(expected);
    expect(typed(files, 'src/installs.ts', RULES)).toEqual(expected);
  });

  it("p-queue-cjs, p-queue's CommonJS build, the same", () => {
    const expected = [
      '4:20 no-in-process-lock: p-queue-cjs `logUpdates` excludes only callers in this process; it is used by POST /dependencies (src/app.js:11). A request on another instance runs the guarded work at the same time.',
    ];
    expect(untyped(files, 'src/logs.ts', RULES)).toEqual(expected);
    expect(typed(files, 'src/logs.ts', RULES)).toEqual(expected);
  });
});
