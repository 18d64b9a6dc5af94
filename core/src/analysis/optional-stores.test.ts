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

  it('the limiters whose store falls back to none are reported, naming the setting; the store always given stays quiet (untyped and typed)', () => {
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
