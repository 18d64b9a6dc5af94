import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A scheduler library copied into the project's `libs/` folder under its name in camel case
// (`server/libs/nodeCron`, node-cron's files and LICENSE), called by a manager class that the
// server builds in its constructor and starts with `this.cronManager.init()` before it listens.
// The copy's `schedule` is node-cron's: the daily clean-up runs in every instance.

afterAll(removeAnalysedProjects);

const COPY = `function schedule(expression, func, options) {
  return { expression, func, options };
}
module.exports = { schedule };
`;

function project(cronModule: string): Record<string, string> {
  return {
    'server/Server.js': `const express = require('express');
const CronManager = require('./managers/CronManager');

class Server {
  constructor() {
    this.cronManager = new CronManager();
  }

  async start() {
    await this.cronManager.init();
    const app = express();
    app.get('/healthcheck', (req, res) => res.sendStatus(200));
    app.listen(3000);
  }
}

new Server().start();
`,
    'server/managers/CronManager.js': `const cron = require('${cronModule}');
const Database = require('../Database');

class CronManager {
  async init() {
    this.initSessionCleanupCron();
  }

  initSessionCleanupCron() {
    cron.schedule('30 0 * * *', async () => {
      await Database.sessionModel.destroy({ where: { expired: true } });
    });
  }
}
module.exports = CronManager;
`,
    'server/Database.js': `class Database {
  constructor() {
    this.sessionModel = null;
  }
}
module.exports = new Database();
`,
    'server/libs/nodeCron/index.js': COPY,
    'server/libs/nodeCron/LICENSE': 'ISC License\n',
    'server/lib/scheduler.js': COPY,
  };
}

describe('a copy of node-cron kept in libs/', () => {
  it('its schedule is read as node-cron\'s: the cron manager started by the server is reported (untyped and typed)', () => {
    const files = project('../libs/nodeCron');
    const expected = [
      '10:5 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: the job writes to the database (`Database.sessionModel.destroy`) every day at 00:30. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'server/managers/CronManager.js', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'server/managers/CronManager.js', ['no-in-process-scheduler'])).toEqual(expected);
  });

  it('quiet: the project\'s own module of another name with the same `schedule`', () => {
    const files = project('../lib/scheduler');
    expect(untyped(files, 'server/managers/CronManager.js', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(files, 'server/managers/CronManager.js', ['no-in-process-scheduler'])).toEqual([]);
  });

  // The backup manager skips its cron when no schedule is set and the podcast cron when the copy's
  // `cron.validate` rejects the expression; the job first looks up its own entry and stops if it
  // is gone. Neither the schedule's setting, nor the library, nor the entry picks one instance.
  const backups = (guard: string): Record<string, string> => ({
    ...project('../libs/nodeCron'),
    'server/managers/CronManager.js': `const cron = require('../libs/nodeCron');
const Database = require('../Database');

class CronManager {
  constructor() {
    this.podcastCrons = [];
    this.backupSchedule = process.env.BACKUP_SCHEDULE;
  }

  async init() {
    this.initSessionCleanupCron();
  }

  initSessionCleanupCron() {
    ${guard}
    if (!cron.validate(this.backupSchedule)) return;
    const task = cron.schedule(this.backupSchedule, () => this.executeCron(this.backupSchedule));
    this.podcastCrons.push({ expression: this.backupSchedule, task });
  }

  async executeCron(expression) {
    const podcastCron = this.podcastCrons.find((entry) => entry.expression === expression);
    if (!podcastCron) return;
    await Database.sessionModel.destroy({ where: { expired: true } });
  }
}
module.exports = CronManager;
`,
  });

  it('the schedule\'s own setting, the library\'s `validate` and a looked-up entry are no deployment flags (untyped and typed)', () => {
    const files = backups('if (!this.backupSchedule) return;');
    const expected = [
      '17:18 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: `this.executeCron()` writes to the database (`Database.sessionModel.destroy`) on the cron schedule `this.backupSchedule`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'server/managers/CronManager.js', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'server/managers/CronManager.js', ['no-in-process-scheduler'])).toEqual(expected);
  });

  it('quiet: the same manager behind a deployment flag, read directly or through a local set from it', () => {
    for (const guard of ['if (!process.env.RUN_CRON) return;', 'const runCron = process.env.RUN_CRON === \'true\';\n    if (!runCron) return;']) {
      const files = backups(guard);
      expect(untyped(files, 'server/managers/CronManager.js', ['no-in-process-scheduler'])).toEqual([]);
      expect(typed(files, 'server/managers/CronManager.js', ['no-in-process-scheduler'])).toEqual([]);
    }
  });
});
