import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Stores given only when a setting is on (round 26 of test/real-world: a rate limiter whose Redis
// store is set only when Redis is enabled, off by default), written here in shapes of our own, with
// the look-alikes that keep a store always.

afterAll(removeAnalysedProjects);

describe('a rate limiter whose store is given only when a setting is on', () => {
  const files = {
    'src/limits.ts': `import rateLimit from 'express-rate-limit';
import RedisStore from 'rate-limit-redis';
import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });

export const voteLimit = rateLimit({
  windowMs: 60_000,
  max: 10,
  store: process.env.REDIS_URL ? new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args) }) : undefined,
});

const viewStore = process.env.REDIS_URL && new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args), prefix: 'views:' });
export const viewLimit = rateLimit({ windowMs: 60_000, max: 100, store: viewStore });

export const loginLimit = rateLimit({
  windowMs: 60_000,
  max: 5,
  store: new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args), prefix: 'login:' }),
});

export const searchLimit = rateLimit({
  max: 30,
  store: process.env.NODE_ENV !== 'test' ? new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args), prefix: 'search:' }) : undefined,
});

export const exportLimit = rateLimit({
  max: 3,
  store: process.env.LIMITER_DRIVER === 'redis' ? new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args), prefix: 'export:' }) : undefined,
});
`,
    'src/server.ts': `import express from 'express';
import { loginLimit, viewLimit, voteLimit } from './limits';

const app = express();
app.post('/votes', voteLimit, (_req, res) => res.sendStatus(204));
app.get('/views', viewLimit, (_req, res) => res.sendStatus(204));
app.post('/login', loginLimit, (_req, res) => res.sendStatus(204));
app.listen(3000);
`,
    'src/fastify.ts': `import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import Redis from 'ioredis';

const app = Fastify();
const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
app.register(rateLimit, { max: 100, timeWindow: '1 minute', redis: process.env.REDIS_URL ? redis : undefined });
app.register(rateLimit, { max: 100, timeWindow: '1 minute', redis: new Redis(process.env.REDIS_URL!) });
app.get('/', async () => 'ok');
app.listen({ port: 3000 });
`,
  };

  it('the limiters whose store falls back to none when Redis is absent are reported, naming the setting; a store always given, one left out for a test run and one a driver setting picks by name stay quiet (untyped and typed)', () => {
    const expected = [
      '7:26 no-in-memory-counter: express-rate-limit counts requests in this process (the default MemoryStore unless `process.env.REDIS_URL`). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
      '14:26 no-in-memory-counter: express-rate-limit counts requests in this process (the default MemoryStore unless `process.env.REDIS_URL`). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
    ];
    expect(untyped(files, 'src/limits.ts')).toEqual(expected);
    expect(typed(files, 'src/limits.ts')).toEqual(expected);
    const fastify = [
      '7:1 no-in-memory-counter: @fastify/rate-limit counts requests in this process (its default in-memory store unless `process.env.REDIS_URL`). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
    ];
    expect(untyped(files, 'src/fastify.ts')).toEqual(fastify);
    expect(typed(files, 'src/fastify.ts')).toEqual(fastify);
  });
});

// An in-memory Redis stand-in the service falls back to when no Redis is configured (round 26: a job
// queue's API whose default run keeps every token and job in ioredis-mock), with the look-alikes made
// only for a test run: under a `NODE_ENV` test, in a test helper, in a test file.
describe('an in-memory Redis stand-in used when no Redis is configured', () => {
  const files = {
    'src/redis.ts': `import Redis from 'ioredis';
import RedisMock from 'ioredis-mock';

export function connectRedis(url: string | undefined): Redis {
  if (!url) return new RedisMock() as unknown as Redis;
  return new Redis(url);
}

export function connectForRun(url: string): Redis {
  if (process.env.NODE_ENV === 'test') return new RedisMock() as unknown as Redis;
  return new Redis(url);
}
`,
    'src/server.ts': `import express from 'express';
import { connectForRun, connectRedis } from './redis';

const redis = connectRedis(process.env.REDIS_URL);
const cache = connectForRun(process.env.CACHE_URL ?? 'redis://localhost:6379');
const app = express();
app.post('/tokens', async (_req, res) => {
  await redis.set('token', '1');
  await cache.set('seen', '1');
  res.sendStatus(201);
});
app.listen(3000);
`,
    'src/__tests__/tokens.test.ts': `import RedisMock from 'ioredis-mock';

export const client = new RedisMock();
`,
  };

  it('the stand-in of the default run is reported; those of a test run and a test file stay quiet (untyped and typed)', () => {
    const expected = [
      '5:20 no-in-memory-session: ioredis-mock stands in for Redis inside this process: what the service keeps in Redis (sessions, tokens, queues) lives in this instance alone, and a second instance sees none of it. Give every instance the same Redis server.',
    ];
    expect(untyped(files, 'src/redis.ts')).toEqual(expected);
    expect(typed(files, 'src/redis.ts')).toEqual(expected);
    expect(untyped(files, 'src/__tests__/tokens.test.ts')).toEqual([]);
  });
});
