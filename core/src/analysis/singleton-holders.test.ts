import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

// A singleton holder made in the listen callback (`new TaskSchedulerSingleton()`) fills its slot once:
// `if (!TaskSchedulerSingleton.instance) TaskSchedulerSingleton.instance = new TaskScheduler()`. The test of
// a slot its own branch fills is no deployment flag, whatever the slot's name says (`…Scheduler…instance`),
// so the scheduler's constructor, and the timer it starts, run in every web process. A scheduler started
// under a flag that picks the instance (`if (config.schedulerInstance)`) stays quiet.

afterAll(removeAnalysedProjects);

const files: Record<string, string> = {
  'server.js': `const http = require('http');
const express = require('express');
const config = require('./config');
const TaskSchedulerSingleton = require('./classes/task-scheduler-singleton');
const CleanupScheduler = require('./classes/cleanup-scheduler');
const app = express();
app.get('/health', (req, res) => res.send('ok'));
const server = http.createServer(app);
server.listen(3000, () => {
  new TaskSchedulerSingleton();
  if (config.schedulerInstance) new CleanupScheduler();
});
`,
  'config.js': `module.exports = { schedulerInstance: process.env.SCHEDULER_INSTANCE === 'true' };
`,
  'db.js': `const { Pool } = require('pg');
module.exports = new Pool();
`,
  'classes/task-scheduler-singleton.js': `const TaskScheduler = require('./task-scheduler');
class TaskSchedulerSingleton {
  constructor() {
    if (!TaskSchedulerSingleton.instance) {
      TaskSchedulerSingleton.instance = new TaskScheduler();
    }
  }
  getInstance() {
    return TaskSchedulerSingleton.instance;
  }
}
module.exports = TaskSchedulerSingleton;
`,
  'classes/task-scheduler.js': `const db = require('../db');
class TaskScheduler {
  constructor() {
    this.start();
  }
  start() {
    setInterval(() => this.run(), 60000);
  }
  async run() {
    await db.query('INSERT INTO task_log (name) VALUES ($1)', ['sync']);
  }
}
module.exports = TaskScheduler;
`,
  'classes/cleanup-scheduler.js': `const db = require('../db');
class CleanupScheduler {
  constructor() {
    setInterval(() => db.query('DELETE FROM sessions WHERE expires < now()'), 60000);
  }
}
module.exports = CleanupScheduler;
`,
};

const lines = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);

describe("a singleton holder's slot filled once at start-up is no deployment flag", () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the timer the held scheduler starts runs in every instance', (_mode, analyse) => {
    expect(lines(analyse(files, 'classes/task-scheduler.js'))).toEqual(['no-in-process-scheduler 7']);
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: a scheduler started under a flag that picks the instance stays quiet', (_mode, analyse) => {
    expect(lines(analyse(files, 'classes/cleanup-scheduler.js'))).toEqual([]);
  });
});
