// @nestjs/throttler with no storage counts in this process: the fix gives ThrottlerModule the Redis
// storage adapter, so the guard counts every instance's requests against one limit.
import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

const appModule = (registration: string) => `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AuditionsController } from './auditions.controller';

@Module({
  imports: [
    ${registration},
  ],
  controllers: [AuditionsController],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}
`;

const controller = `import { Body, Controller, Post } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';

@Controller('auditions')
export class AuditionsController {
  @Post()
  @Throttle({ default: { limit: 3, ttl: 60_000 } })
  apply(@Body() body: { name: string }) {
    return { name: body.name };
  }
}
`;

const project = (registration: string, extension = 'ts') => ({
  [`${ROOT}/src/app.module.${extension}`]: appModule(registration),
  [`${ROOT}/src/auditions.controller.${extension}`]: controller,
});

describe('planFixes: @nestjs/throttler without storage gets the Redis storage adapter', () => {
  it('a list of throttlers becomes `{ throttlers, storage: new RedisThrottlerStorage() }`, the adapter imported', () => {
    const files = project('ThrottlerModule.forRoot([{ ttl: 60_000, limit: 100 }])');
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.module.ts`);
    expect(plan.message).toBe('Count requests in Redis: give @nestjs/throttler the Redis storage (src/scaling/throttler-storage.ts)');
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/app.module.ts`]).toBe(`import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AuditionsController } from './auditions.controller';
import { RedisThrottlerStorage } from './scaling/throttler-storage';

@Module({
  imports: [
    ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 100 }], storage: new RedisThrottlerStorage() }),
  ],
  controllers: [AuditionsController],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}
`);
    expect(plan.createFiles.map((file) => file.fileName.slice(ROOT.length + 1)).sort()).toEqual(['src/scaling/redis.ts', 'src/scaling/throttler-storage.ts']);
    expect(plan.dependencies.map((dependency) => dependency.name)).toEqual(['ioredis']);
    // The registration has a storage now: nothing left to report.
    expect(countFindings(fixed, 'no-in-memory-counter')).toBe(0);
  });

  it('`forRoot({ throttlers, errorMessage })` gets the storage after its last option', () => {
    const files = project("ThrottlerModule.forRoot({ throttlers: [{ name: 'short', ttl: 1000, limit: 3 }], errorMessage: 'slow down' })");
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.module.ts`));
    expect(fixed[`${ROOT}/src/app.module.ts`]).toContain("    ThrottlerModule.forRoot({ throttlers: [{ name: 'short', ttl: 1000, limit: 3 }], errorMessage: 'slow down', storage: new RedisThrottlerStorage() }),\n");
  });

  it('JavaScript: the same edit, the adapter written as JavaScript', () => {
    const files = {
      [`${ROOT}/src/app.module.js`]: `const { Module } = require('@nestjs/common');
const { ThrottlerModule } = require('@nestjs/throttler');
class AppModule {}
module.exports = { AppModule, imports: [ThrottlerModule.forRoot([{ ttl: 60000, limit: 10 }])] };
`,
    };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.module.js`);
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/app.module.js`]).toBe(`const { Module } = require('@nestjs/common');
const { ThrottlerModule } = require('@nestjs/throttler');
const { RedisThrottlerStorage } = require('./scaling/throttler-storage');
class AppModule {}
module.exports = { AppModule, imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: 60000, limit: 10 }], storage: new RedisThrottlerStorage() })] };
`);
    expect(plan.createFiles.map((file) => file.fileName.slice(ROOT.length + 1)).sort()).toEqual(['src/scaling/redis.js', 'src/scaling/throttler-storage.js']);
  });

  it("refuses version 4's `{ ttl, limit }` (seconds) and forRootAsync, naming the registration", () => {
    expect(planFirst(project('ThrottlerModule.forRoot({ ttl: 60, limit: 10 })'), 'no-in-memory-counter', `${ROOT}/src/app.module.ts`).refused?.reason).toBe(
      "`ThrottlerModule.forRoot(…)` (src/app.module.ts:8) is not a list of throttlers (or `{ throttlers }`) written in place, which is where the fix adds `storage: new RedisThrottlerStorage()`; @nestjs/throttler 4's `{ ttl, limit }` counts in seconds, which the Redis storage adapter does not",
    );
    expect(planFirst(project('ThrottlerModule.forRootAsync({ useFactory: () => [{ ttl: 60_000, limit: 10 }] })'), 'no-in-memory-counter', `${ROOT}/src/app.module.ts`).refused?.reason).toBe(
      '`ThrottlerModule.forRootAsync(…)` (src/app.module.ts:8) builds its options in a factory: return `storage: new RedisThrottlerStorage()` from it (the Redis storage adapter the fix writes for `forRoot`)',
    );
  });

  it('stays quiet for a registration given a storage already (the look-alike)', () => {
    expect(countFindings({ ...project('ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 100 }], storage: new RedisThrottlerStorage() })') }, 'no-in-memory-counter')).toBe(0);
  });
});

describe('planFixes: a rate limiter whose finding brings no fix is refused, naming it, never passed over', () => {
  it("rate-limiter-flexible's RateLimiterMemory given options held elsewhere", () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
const options = { points: 5, duration: 60 };
const limiter = new RateLimiterMemory(options);
const app = express();
app.post('/login', async (req, res) => {
  await limiter.consume(req.ip ?? 'unknown');
  res.send('ok');
});
app.listen(3000);
`,
    };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/src/app.ts`).refused).toEqual({
      title: "Count rate-limiter-flexible's requests in Redis",
      reason: 'rate-limiter-flexible counts in RateLimiterMemory, and the fix has no Redis store to give it where it is created: give it one there (its Redis store or client option), or a limiter that counts in Redis',
    });
  });
});

// rate-limiter-flexible's RateLimiterRedis has RateLimiterMemory's methods (`consume`, `get`,
// `delete`): the limiter becomes one on an ioredis client, under a key prefix of its own.
describe("planFixes: rate-limiter-flexible's RateLimiterMemory counts in Redis", () => {
  const LIMITER = `import { RateLimiterMemory } from 'rate-limiter-flexible';

export const loginFailures = new RateLimiterMemory({
  points: 3,
  duration: 15 * 60,
});
`;
  const APP = `import express from 'express';
import { loginFailures } from './limiter';
const app = express();
app.post('/login', async (req, res) => {
  const state = await loginFailures.get(req.ip ?? '');
  if (state && state.consumedPoints >= 3) return res.status(429).end();
  await loginFailures.consume(req.ip ?? '').catch(() => undefined);
  res.status(401).end();
});
app.listen(3000);
`;
  const files = { [`${ROOT}/src/limiter.ts`]: LIMITER, [`${ROOT}/src/app.ts`]: APP };

  it('a RateLimiterRedis on an ioredis client from REDIS_URL, keyed by the name it is kept under', () => {
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/limiter.ts`);
    expect(plan.message).toBe('Count requests in Redis: give rate-limiter-flexible an ioredis client from REDIS_URL (`storeClient`)');
    expect(applyPlan(files, plan)[`${ROOT}/src/limiter.ts`]).toBe(`import { RateLimiterRedis } from 'rate-limiter-flexible';
import { Redis } from 'ioredis';

export const loginFailures = new RateLimiterRedis({
  storeClient: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), keyPrefix: 'loginFailures',
  points: 3,
  duration: 15 * 60,
});
`);
    expect(plan.dependencies).toEqual([{ name: 'ioredis', version: '^5.8.2' }]);
  });

  it('a class read off the module, and a class imported under another name, keep how they are named', () => {
    const namespace = { ...files, [`${ROOT}/src/limiter.ts`]: "import * as flexible from 'rate-limiter-flexible';\n\nexport const loginFailures = new flexible.RateLimiterMemory({ points: 3, duration: 900 });\n" };
    expect(applyPlan(namespace, movePlan(namespace, 'no-in-memory-counter', `${ROOT}/src/limiter.ts`))[`${ROOT}/src/limiter.ts`]).toContain("new flexible.RateLimiterRedis({ storeClient: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), keyPrefix: 'loginFailures', points: 3, duration: 900 })");
    const aliased = { ...files, [`${ROOT}/src/limiter.ts`]: "import { RateLimiterMemory as Limiter } from 'rate-limiter-flexible';\n\nexport const loginFailures = new Limiter({ points: 3, duration: 900, keyPrefix: 'login' });\n" };
    expect(applyPlan(aliased, movePlan(aliased, 'no-in-memory-counter', `${ROOT}/src/limiter.ts`))[`${ROOT}/src/limiter.ts`]).toBe("import { RateLimiterRedis as Limiter } from 'rate-limiter-flexible';\nimport { Redis } from 'ioredis';\n\nexport const loginFailures = new Limiter({ storeClient: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), points: 3, duration: 900, keyPrefix: 'login' });\n");
  });

  // From a real home-automation server: a limiter a constructor keeps on `this` was keyed by its file and line (`index-26`).
  it('a limiter a constructor assigns to a member is keyed by the member', () => {
    const house = {
      [`${ROOT}/src/house.js`]: `const { RateLimiterMemory } = require('rate-limiter-flexible');

const House = function House(db) {
  this.db = db;
  this.alarmCodeRateLimit = new RateLimiterMemory({
    points: 3,
    duration: 5 * 60,
  });
};

House.prototype.disarmWithCode = async function disarmWithCode(selector, code) {
  await this.alarmCodeRateLimit.consume(selector);
  return this.db.disarm(selector, code);
};

module.exports = { House };
`,
    };
    expect(applyPlan(house, movePlan(house, 'no-in-memory-counter', `${ROOT}/src/house.js`))[`${ROOT}/src/house.js`].split('\n').slice(0, 10).join('\n')).toBe(`const { RateLimiterRedis } = require('rate-limiter-flexible');
const { Redis } = require('ioredis');

const House = function House(db) {
  this.db = db;
  this.alarmCodeRateLimit = new RateLimiterRedis({
    storeClient: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), keyPrefix: 'alarmCodeRateLimit',
    points: 3,
    duration: 5 * 60,
  });`);
  });
});
