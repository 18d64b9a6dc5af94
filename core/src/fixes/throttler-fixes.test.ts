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
  it("rate-limiter-flexible's RateLimiterMemory", () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
const limiter = new RateLimiterMemory({ points: 5, duration: 60 });
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
