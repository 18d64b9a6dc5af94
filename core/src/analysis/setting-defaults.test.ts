import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A memory store built only in the branch a setting turns on away from its default (round 32 of
// test/real-world: express-session with connect-redis unless `REDIS_ENABLED` is turned off, the
// setting on by default through the configuration's own helper), written here in shapes of our own:
// the default stated by an environment test, a configuration helper handed the default, a schema's
// `default:` and a literal; with the look-alikes whose default is the memory store, or unstated.

afterAll(removeAnalysedProjects);

describe('a memory session store only where a setting is turned away from its default', () => {
  const files = {
    'src/config.ts': `function envFlag(name: string, fallback: boolean): boolean {
  const value = process.env[name];
  return value === undefined ? fallback : value === 'true';
}

interface Config {
  redisSessions: boolean;
  sharedSessions: boolean;
  redisForLogin: boolean;
  redisForAdmin: boolean;
  guestRedis: boolean;
}

const config: Config = {
  redisSessions: envFlag('REDIS_SESSIONS', true),
  sharedSessions: envFlag('SHARED_SESSIONS', false),
  redisForLogin: process.env.REDIS_FOR_LOGIN !== 'false',
  redisForAdmin: process.env.REDIS_FOR_ADMIN === 'true',
  guestRedis: Boolean(process.env.GUEST_REDIS_URL),
};

export default config;

export const schema = {
  redis: { enabled: { doc: 'keep sessions in Redis', format: Boolean, default: true, env: 'REDIS_ON' } },
};
`,
    'src/sessions.ts': `import session from 'express-session';
import connectRedis from 'connect-redis';
import { createClient } from 'redis';
import config, { schema } from './config';

const RedisStore = connectRedis(session);
const client = createClient();

export let appSessions;
if (config.redisSessions) {
  appSessions = session({ secret: 'a', store: new RedisStore({ client }) });
} else {
  appSessions = session({ secret: 'a' });
}

export let siteSessions;
if (config.sharedSessions) {
  siteSessions = session({ secret: 'b', store: new RedisStore({ client }) });
} else {
  siteSessions = session({ secret: 'b' });
}

export const loginSessions = config.redisForLogin ? session({ secret: 'c', store: new RedisStore({ client }) }) : session({ secret: 'c' });

export const adminSessions = config.redisForAdmin ? session({ secret: 'd', store: new RedisStore({ client }) }) : session({ secret: 'd' });

export const guestSessions = config.guestRedis ? session({ secret: 'e', store: new RedisStore({ client }) }) : session({ secret: 'e' });

export const apiSessions = process.env.API_REDIS !== 'false' ? session({ secret: 'f', store: new RedisStore({ client }) }) : session({ secret: 'f', store: new session.MemoryStore() });

export const shopSessions = schema.redis.enabled ? session({ secret: 'g', store: new RedisStore({ client }) }) : session({ secret: 'g' });

export const kioskSessions = process.env.KIOSK_MEMORY === 'true' ? session({ secret: 'h' }) : session({ secret: 'h', store: new RedisStore({ client }) });

export const demoSessions = process.env.DEMO_REDIS_URL ? session({ secret: 'i', store: new RedisStore({ client }) }) : session({ secret: 'i' });
`,
  };

  it('stays quiet where the default takes the Redis branch; reported where the default is the memory branch or unstated (untyped and typed)', () => {
    const lines = (list: string[]): string[] => list.filter((line) => line.includes('no-in-memory-session')).map((line) => line.split(' ')[0]);
    // the else of a setting off by default, an opt-in \`=== 'true'\`, a bare presence test, an unset URL
    const expected = ['20:18', '25:115', '27:112', '35:120'];
    expect(lines(untyped(files, 'src/sessions.ts'))).toEqual(expected);
    expect(lines(typed(files, 'src/sessions.ts'))).toEqual(expected);
    expect(untyped(files, 'src/sessions.ts')[0]).toContain('express-session');
  });
});
