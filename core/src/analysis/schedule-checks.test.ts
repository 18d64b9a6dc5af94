import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Three readings of a speed-test service's jobs (held-out round 35b):
// - `if (!isValidCron(cron)) return;` before `schedule.scheduleJob(cron, …)` checks that the expression a
//   setting gives is well formed: not a deployment flag that picks the instance running jobs, though the
//   checker is named after cron. A flag beside it (`process.env.RUN_JOBS`) still picks one instance.
// - `tests.destroy({ where })` with `tests` imported from the project's models folder is a database write,
//   whatever the binding is called; a read of the same model is not.
// - `job = schedule.scheduleJob(…)`, `job = undefined` once cancelled: the handle of this process's job,
//   rewritten when a route changes the schedule, is no application data; a setting a route stores is.

afterAll(removeAnalysedProjects);

const timer = (guard: string) => `import schedule from 'node-schedule';
import { isValidCron } from 'cron-validator';
import { saveResult } from './results';

let job: schedule.Job | undefined;

export function startTimer(cron: string) {
  ${guard}
  job = schedule.scheduleJob(cron, () => saveResult());
}

export function stopTimer() {
  if (job !== undefined) {
    job.cancel();
    job = undefined;
  }
}
`;

const results = `import db from './db';

export async function saveResult() {
  await db.query('INSERT INTO results (taken_at) VALUES (now())');
}
`;

const server = `import express from 'express';
import { startTimer, stopTimer } from './timer';

const app = express();
app.use(express.json());

app.patch('/config/cron', (req, res) => {
  stopTimer();
  startTimer(String(req.body.value));
  res.json({ ok: true });
});

startTimer('0 * * * *');
app.listen(3000);
`;

const timerFiles = (guard: string) => ({ 'timer.ts': timer(guard), 'results.ts': results, 'db.ts': 'export default { async query(sql: string) { return sql; } };\n', 'server.ts': server });

describe('a check that a schedule expression is well formed', () => {
  const reported =
    "9:9 no-in-process-scheduler: `schedule.scheduleJob` runs in every instance of the web process: `saveResult()` writes to the database (`db.query`) on a recurrence rule. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.";

  it('is no deployment flag: the job started at boot and again by the route is reported (typed and untyped)', () => {
    expect(typedFindings(timerFiles('if (!isValidCron(cron)) return;'), 'timer.ts', ['no-in-process-scheduler'])).toEqual([reported]);
    expect(untypedFindings(timerFiles('if (!isValidCron(cron)) return;'), 'timer.ts', ['no-in-process-scheduler'])).toEqual([reported]);
  });

  it('a deployment flag beside it still picks the instance that runs jobs: quiet', () => {
    const guard = 'if (!isValidCron(cron) || process.env.RUN_JOBS !== "true") return;';
    expect(typedFindings(timerFiles(guard), 'timer.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(untypedFindings(timerFiles(guard), 'timer.ts', ['no-in-process-scheduler'])).toEqual([]);
  });

  it('the job handle the route rewrites is not application data (typed and untyped)', () => {
    const rules = ['no-in-memory-session', 'no-in-process-lock', 'no-process-local-cache', 'no-in-memory-counter'] as const;
    expect(typedFindings(timerFiles(''), 'timer.ts', [...rules])).toEqual([]);
    expect(untypedFindings(timerFiles(''), 'timer.ts', [...rules])).toEqual([]);
  });

  it('a setting the route stores beside it stays reported', () => {
    const files = timerFiles('lastCron = cron;');
    files['timer.ts'] = files['timer.ts'].replace('let job:', 'let lastCron = "";\nexport const currentCron = () => lastCron;\nlet job:');
    // The setting is read back where it is shown (a getter nothing calls would be this process's own record).
    files['server.ts'] = files['server.ts'].replace("import { startTimer, stopTimer } from './timer';", "import { currentCron, startTimer, stopTimer } from './timer';").replace('startTimer(\'0 * * * *\');', "app.get('/config/cron', (req, res) => res.json({ value: currentCron() }));\nstartTimer('0 * * * *');");
    const typed = typedFindings(files, 'timer.ts', ['no-in-memory-session']);
    expect(typed).toHaveLength(1);
    expect(typed[0]).toMatch(/^5:5 no-in-memory-session: `lastCron`/);
    expect(untypedFindings(files, 'timer.ts', ['no-in-memory-session'])).toEqual(typed);
  });
});

const sweep = (work: string) => `import express from 'express';
import tests from './models/speedtests';

const app = express();
app.get('/tests', async (req, res) => res.json(await tests.findAll()));

setInterval(async () => {
  ${work}
}, 60000);

app.listen(3000);
`;

const model = `import { Sequelize, DataTypes } from 'sequelize';

const db = new Sequelize(process.env.DATABASE_URL as string);
export default db.define('speedtests', { ping: DataTypes.INTEGER, created: DataTypes.DATE });
`;

describe("a model imported from the project's models folder", () => {
  const files = (work: string) => ({ 'server.ts': sweep(work), 'models/speedtests.ts': model });

  it('its destroy is a database write: the sweep every instance runs is reported (typed and untyped)', () => {
    const work = 'await tests.destroy({ where: { created: { lte: new Date(Date.now() - 30 * 86400000) } } });';
    const reported =
      '7:1 no-in-process-scheduler: `setInterval` runs in every instance of the web process: the job writes to the database (`tests.destroy`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.';
    expect(typedFindings(files(work), 'server.ts', ['no-in-process-scheduler'])).toEqual([reported]);
    expect(untypedFindings(files(work), 'server.ts', ['no-in-process-scheduler'])).toEqual([reported]);
  });

  it('a read of the same model only refreshes what this process logs: quiet', () => {
    const work = 'console.log(await tests.count());';
    expect(typedFindings(files(work), 'server.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(untypedFindings(files(work), 'server.ts', ['no-in-process-scheduler'])).toEqual([]);
  });
});
