import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A scheduled job that a lock helper of the service's own makes run once (round 24 of test/real-world:
// an analytics service whose crons each take a lock kept in its shared cache), written here in other
// shapes: the job itself inside the lock, or a function it calls whose work is inside the lock; and
// the look-alikes that stay reported.

afterAll(removeAnalysedProjects);

describe('a job behind a lock helper named for the shared store that keeps the lock', () => {
  const files = {
    'server.ts': `import express from 'express';
import { startJobs } from './jobs';

const app = express();
app.get('/health', (_req, res) => res.send('ok'));
app.listen(3000);
startJobs();
`,
    'db.ts': `import { PrismaClient } from '@prisma/client';
export const db = new PrismaClient();
`,
    'lock.ts': `import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { randomUUID } from 'crypto';

const locks = new Keyv({ store: new KeyvRedis(process.env.REDIS_URL), namespace: 'locks' });

export async function withDistributedLock<T>(name: string, work: () => Promise<T>, ttlMs = 60_000): Promise<T | null> {
  const owner = randomUUID();
  if (await locks.get(name)) return null;
  await locks.set(name, owner, ttlMs);
  try {
    return await work();
  } finally {
    if ((await locks.get(name)) === owner) await locks.delete(name);
  }
}

const tails = new Map<string, Promise<unknown>>();

export function withLocalLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const run = (tails.get(name) ?? Promise.resolve()).then(work);
  tails.set(name, run.catch(() => undefined));
  return run;
}
`,
    'jobs.ts': `import cron from 'node-cron';
import { db } from './db';
import { withDistributedLock, withLocalLock } from './lock';

let indexing = false;

async function reindexSearch() {
  if (indexing) return false;
  return withDistributedLock('reindex-search', async () => {
    indexing = true;
    try {
      await db.searchDocument.deleteMany({});
      await db.searchDocument.createMany({ data: await db.article.findMany() });
      return true;
    } finally {
      indexing = false;
    }
  });
}

async function sendDigest() {
  await withLocalLock('digest', async () => {
    await db.digest.create({ data: { sentAt: new Date() } });
  });
}

export function startJobs() {
  cron.schedule('0 3 * * *', async () => {
    await withDistributedLock('purge-sessions', async () => {
      await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    });
  });
  setInterval(() => void reindexSearch(), 20 * 60 * 1000);
  setInterval(() => void sendDigest(), 60 * 60 * 1000);
  setInterval(async () => {
    await db.heartbeat.create({ data: { at: new Date() } });
    await withDistributedLock('heartbeat-report', async () => db.report.create({ data: {} }));
  }, 60_000);
}
`,
  };

  it('the cron inside withDistributedLock and the timer whose function runs its work inside it are quiet; a lock named for this process, and work done before the shared lock is taken, stay reported (untyped and typed)', () => {
    const expected = [
      '34:3 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `sendDigest()` writes to the database (`db.digest.create`) every hour. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
      '35:3 no-in-process-scheduler: `setInterval` runs in every instance of the web process: the job writes to the database (`db.heartbeat.create`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'jobs.ts', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'jobs.ts', ['no-in-process-scheduler'])).toEqual(expected);
  });
});
