import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A service of JavaScript constructor functions: a clock that wraps node-cron (kept in a field), and a
// report service handed the clock and the process's event bus by the server's start-up. Its daily job
// only raises an event, named by a constant of the project; the listener the service registered on the
// same bus sends the e-mail. Each call of the clock's wrapper starts a node-cron schedule.

afterAll(removeAnalysedProjects);

function project(listener: string, rowGuard = "row.kind === 'digest'"): Record<string, string> {
  return {
    'server/index.js': `const express = require('express');
const { EventEmitter } = require('events');
const Clock = require('./clock');
const Reports = require('./reports');

const bus = new EventEmitter();
const clock = new Clock();
const reports = new Reports(bus, clock);
reports.start([{ kind: 'digest', expression: '0 8 * * *' }]);

const app = express();
app.get('/health', (req, res) => res.sendStatus(200));
app.listen(3000);
`,
    'server/clock.js': `const cron = require('node-cron');

function Clock() {
  this.cron = cron;
}

Clock.prototype.every = function every(expression, task) {
  return this.cron.schedule(expression, task);
};

module.exports = Clock;
`,
    'server/topics.js': `module.exports = { REPORT_DUE: 'report.due' };
`,
    'server/mailer.js': `const nodemailer = require('nodemailer');
module.exports = nodemailer.createTransport({ host: 'smtp.example.com' });
`,
    'server/reports.js': `const TOPICS = require('./topics');
const mailer = require('./mailer');

function Reports(bus, clock) {
  this.bus = bus;
  this.clock = clock;
  this.bus.on(TOPICS.REPORT_DUE, this.deliver.bind(this));
}

Reports.prototype.start = function start(rows) {
  rows.forEach((row) => {
    if (${rowGuard}) {
      this.clock.every(row.expression, () => this.bus.emit(TOPICS.REPORT_DUE));
    }
  });
};

Reports.prototype.deliver = async function deliver() {
${listener}
};

module.exports = Reports;
`,
  };
}

const SENDS = "  await mailer.sendMail({ to: 'team@example.com', subject: 'Daily report' });";
const LOCAL = '  this.lastDue = Date.now();';

describe('a wrapper of a scheduler library, whose job raises an event on the process bus', () => {
  it('each call of the wrapper is a node-cron schedule, and the listener its event runs is the job\'s work (untyped and typed)', () => {
    const expected = [
      '13:7 no-in-process-scheduler: `this.clock.every` runs in every instance of the web process: `this.bus.emit()` sends e-mail (`mailer.sendMail`) on the cron schedule `row.expression`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(project(SENDS), 'server/reports.js', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(project(SENDS), 'server/reports.js', ['no-in-process-scheduler'])).toEqual(expected);
  });

  it('the wrapper itself is not reported: its job is whatever its callers hand it', () => {
    expect(untyped(project(SENDS), 'server/clock.js', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(project(SENDS), 'server/clock.js', ['no-in-process-scheduler'])).toEqual([]);
  });

  it('quiet: the same schedule whose listener only notes the time in this process', () => {
    expect(untyped(project(LOCAL), 'server/reports.js', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(project(LOCAL), 'server/reports.js', ['no-in-process-scheduler'])).toEqual([]);
  });

  it('a row\'s own field compared with a string (`row.kind === \'digest\'`) is its data, while a deployment flag still picks the instance', () => {
    expect(untyped(project(SENDS, "row.schedule_kind !== 'never'"), 'server/reports.js', ['no-in-process-scheduler'])).toHaveLength(1);
    expect(untyped(project(SENDS, "process.env.SCHEDULER_ROLE === 'leader'"), 'server/reports.js', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(project(SENDS, "process.env.SCHEDULER_ROLE === 'leader'"), 'server/reports.js', ['no-in-process-scheduler'])).toEqual([]);
  });

  it('the event raised by another constructor function handed the same bus reaches the listener (untyped, and typed where the checker names each constructor\'s own assignment)', () => {
    const files = {
      ...project(SENDS, 'false'),
      'server/alarm.js': `const TOPICS = require('./topics');

function Alarm(bus, clock) {
  this.bus = bus;
  this.clock = clock;
}

Alarm.prototype.arm = function arm() {
  this.clock.every('30 7 * * *', () => this.bus.emit(TOPICS.REPORT_DUE));
};

module.exports = Alarm;
`,
    };
    files['server/index.js'] = files['server/index.js'].replace("const reports = new Reports(bus, clock);", "const reports = new Reports(bus, clock);\nconst Alarm = require('./alarm');\nconst alarm = new Alarm(bus, clock);\nalarm.arm();");
    const expected = [
      '9:3 no-in-process-scheduler: `this.clock.every` runs in every instance of the web process: `this.bus.emit()` sends e-mail (`mailer.sendMail`) every day at 07:30. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'server/alarm.js', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'server/alarm.js', ['no-in-process-scheduler'])).toEqual(expected);
  });
});
