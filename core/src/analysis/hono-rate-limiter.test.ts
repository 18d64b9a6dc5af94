import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 28 of test/real-world: a Hono service limits its API with hono-rate-limiter, whose
// `rateLimiter({ … })` counts in a MemoryStore unless it is given a `store`. Written here in other
// shapes: a limiter without a store is reported where it is made, one with a shared store is not.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-counter'] as const;

describe("hono-rate-limiter's rateLimiter", () => {
  const api = (options: string) => ({
    'server.ts': `import { Hono } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { RedisStore } from '@hono-rate-limiter/redis';
import { redis } from './redis';

const app = new Hono();
const limitLogins = rateLimiter({ windowMs: 15 * 60 * 1000, limit: 10, keyGenerator: (c) => c.req.header('x-forwarded-for') ?? ''${options} });
app.use('/login', limitLogins);
app.post('/login', (c) => c.json({ ok: true }));
export default app;
`,
    'redis.ts': 'export const redis = { scriptLoad: async () => "", evalsha: async () => 0 };\n',
  });

  it('without a store: counts in this process (untyped and typed)', () => {
    const files = api('');
    const expected = [
      '7:21 no-in-memory-counter: hono-rate-limiter counts requests in this process (the default MemoryStore). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
    ];
    expect(untyped(files, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'server.ts', [...RULES])).toEqual(expected);
  });

  it('look-alike, quiet: given a Redis store (untyped and typed)', () => {
    const files = api(', store: new RedisStore({ client: redis })');
    expect(untyped(files, 'server.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'server.ts', [...RULES])).toEqual([]);
  });
});
