import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// croner takes its options and its job in either order after the pattern: `Cron(pattern, job, options)`
// as well as `new Cron(pattern, options, job)` (round 37b of test/real-world, a status page arming a
// job per monitor with `Cron(monitor.cron, async () => { await Minuter(monitor) }, { protect: true, name })`:
// the message named the options object as the job's work). The job is the last argument after the
// pattern that is no options object. Look-alike: a job given before its options that only logs.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-process-scheduler'];

const files = {
  'package.json': '{ "name": "status", "type": "module", "dependencies": { "croner": "8", "express": "4" } }',
  'src/jobs.js': `import { Cron } from 'croner';
import { db } from './db.js';

export function startJobs(monitor) {
  Cron(monitor.cron, async () => {
    await db.insertStatus(monitor.tag, 'UP');
  }, { protect: true, name: monitor.tag });
  Cron('* * * * *', () => {
    console.log('tick');
  }, { name: 'heartbeat log' });
}
`,
  'src/db.js': `import knex from 'knex';

const client = knex({ client: 'pg', connection: process.env.DATABASE_URL });

export const db = {
  insertStatus: (tag, status) => client('statuses').insert({ tag, status }),
};
`,
  'src/server.js': `import express from 'express';
import { startJobs } from './jobs.js';

const app = express();
app.listen(3000, () => startJobs({ cron: '*/5 * * * *', tag: 'api' }));
`,
};

describe("croner's job given before its options", () => {
  it('the job is the function, not the options object; a job that only logs stays quiet', () => {
    const expected = [
      "5:3 no-in-process-scheduler: `Cron` runs in every instance of the web process: `db.insertStatus()` writes to the database (`client('statuses').insert`) on the cron schedule `monitor.cron`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(files, 'src/jobs.js', RULES)).toEqual(expected);
    expect(typed(files, 'src/jobs.js', RULES)).toEqual(expected);
  });
});
