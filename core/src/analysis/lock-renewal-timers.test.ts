import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A Redis lock helper that renews each lock it holds on a timer (held-out round 29: refly's lock
// service; public services write the same with a Map of renewal timers per held key), written here in
// a shape of our own. The clean-up closure, written before the timer is stored, tests the map and
// deletes from it: it runs when the lock is released, later, so it guards nothing, and the map holds
// this process's timers, not an in-process lock. Stays a lock: the same map tested before the set in
// the acquiring function's own flow.

afterAll(removeAnalysedProjects);

const service = (acquire: string) => ({
  'src/locks.ts': `import Redis from 'ioredis';

interface Renewal {
  timer: NodeJS.Timeout;
  key: string;
  token: string;
}

class LockService {
  private readonly redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
  private renewals = new Map<string, Renewal>();

${acquire}

  async stop(): Promise<void> {
    for (const renewal of this.renewals.values()) clearInterval(renewal.timer);
    this.renewals.clear();
  }
}

export const locks = new LockService();
`,
  'src/server.ts': `import express from 'express';
import { locks } from './locks';

const app = express();
app.post('/reports/:id/build', async (req, res) => {
  const release = await locks.acquire('report:' + req.params.id, 10);
  if (!release) return res.sendStatus(409);
  try {
    res.json({ built: req.params.id });
  } finally {
    await release();
  }
});
app.listen(3000);
`,
});

const renewedInRedis = `  async acquire(key: string, ttlSeconds: number): Promise<(() => Promise<void>) | null> {
    const token = process.pid + '-' + Date.now();
    const taken = await this.redis.set(key, token, 'EX', ttlSeconds, 'NX');
    if (!taken) return null;
    const renewalKey = key + ':' + token;
    const stopRenewal = () => {
      const renewal = this.renewals.get(renewalKey);
      if (renewal) {
        clearInterval(renewal.timer);
        this.renewals.delete(renewalKey);
      }
    };
    const timer = setInterval(() => {
      this.redis.expire(key, ttlSeconds).catch(stopRenewal);
    }, (ttlSeconds * 1000) / 2);
    this.renewals.set(renewalKey, { timer, key, token });
    return async () => {
      stopRenewal();
      await this.redis.del(key);
    };
  }`;

const heldHere = `  async acquire(key: string, ttlSeconds: number): Promise<(() => Promise<void>) | null> {
    if (this.renewals.has(key)) return null;
    const timer = setInterval(() => undefined, ttlSeconds * 1000);
    this.renewals.set(key, { timer, key, token: String(process.pid) });
    return async () => {
      clearInterval(timer);
      this.renewals.delete(key);
    };
  }`;

describe('renewal timers of the Redis locks this process holds', () => {
  it('the map of timers a clean-up closure tests and empties is no lock (untyped and typed)', () => {
    const files = service(renewedInRedis);
    const result = untyped(files, 'src/locks.ts', ['no-in-process-lock', 'no-in-memory-session', 'no-process-local-cache']);
    expect(result).toEqual(typed(files, 'src/locks.ts', ['no-in-process-lock', 'no-in-memory-session', 'no-process-local-cache']));
    expect(result).toEqual([]);
  });

  it('the same map tested before the set, in the acquiring flow, stays a lock', () => {
    const files = service(heldHere);
    const result = untyped(files, 'src/locks.ts', ['no-in-process-lock']);
    expect(result).toEqual(typed(files, 'src/locks.ts', ['no-in-process-lock']));
    expect(result).toEqual([
      '11:11 no-in-process-lock: `renewals` guards work only within this process; it is taken by POST /reports/:id/build (src/server.ts:5). A request on another instance does not see it and runs the same work at the same time.',
    ]);
  });
});
