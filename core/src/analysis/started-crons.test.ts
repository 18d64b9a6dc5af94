import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A cron job built at module scope and started by `.start()` in another module, behind a setting,
// from the entry module's `init()` that starts the server (round 26 of test/real-world: an API's
// archive job), written here in a shape of our own. Look-alike: the same job in a worker entry that
// starts no server.

afterAll(removeAnalysedProjects);

describe('a cron job an entry module starts from the function that starts the server', () => {
  const files = {
    'src/config.ts': `export const config = { crons: { enabled: process.env.CRONS === 'on', purge: process.env.PURGE_SCHEDULE } };
`,
    'src/db.ts': `import { Pool } from 'pg';

const pool = new Pool();
export const db = {
  run: (sql: string, params: unknown[] = []) => pool.query(sql, params),
};
`,
    'src/jobs/purge.ts': `import { CronJob } from 'cron';
import { config } from '../config';
import { db } from '../db';

export async function purgeHidden(days: number): Promise<void> {
  await db.run('DELETE FROM posts WHERE hidden AND created < now() - $1::interval', [days + ' days']);
}

const PurgeJob = new CronJob(config.crons.purge || '0 0 * * * *', () => void purgeHidden(30));

export default PurgeJob;
`,
    'src/jobs/index.ts': `import { config } from '../config';
import PurgeJob from './purge';

export function startCrons(): void {
  if (config.crons.enabled) PurgeJob.start();
}
`,
    'src/jobs/digest.ts': `import { CronJob } from 'cron';
import { db } from '../db';

export const DigestJob = new CronJob('0 0 8 * * *', () => void db.run('INSERT INTO digests SELECT * FROM pending'));
`,
    'src/app.ts': `import express from 'express';

export function createServer(onListening: () => void) {
  const app = express();
  app.get('/health', (_req, res) => res.send('ok'));
  return app.listen(3000, onListening);
}
`,
    'src/index.ts': `import { createServer } from './app';
import { startCrons } from './jobs';

async function init() {
  createServer(() => startCrons());
}

init().catch((error) => console.error(error));
`,
    'src/worker.ts': `import { DigestJob } from './jobs/digest';

async function init() {
  DigestJob.start();
}

init().catch((error) => console.error(error));
`,
  };

  it('the job the web entry starts is reported; the one only the worker entry loads stays quiet (untyped and typed)', () => {
    const expected = [
      "9:18 no-in-process-scheduler: `new CronJob` runs in every instance of the web process: `purgeHidden()` writes to the database (`db.run`) on the cron schedule `config.crons.purge || '0 0 * * * *'`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(files, 'src/jobs/purge.ts')).toEqual(expected);
    expect(typed(files, 'src/jobs/purge.ts')).toEqual(expected);
    expect(untyped(files, 'src/jobs/digest.ts')).toEqual([]);
    expect(typed(files, 'src/jobs/digest.ts')).toEqual([]);
  });
});
