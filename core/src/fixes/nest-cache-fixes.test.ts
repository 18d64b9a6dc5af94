import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';

// Nest's CacheModule with cache-manager's in-memory store: with cache-manager 5.7.6 or later, and
// types that show every value put in the cache reads back the same from JSON, the registration gets
// cache-manager-redis-yet's store. The version is read from the project's node_modules, on disk.

/** A project folder with cache-manager `version` installed (its `Cache` type) and @nestjs/cache-manager's two exports. */
function projectWith(version: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-nest-cache-'));
  const write = (name: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  };
  write('package.json', JSON.stringify({ name: 'choir', dependencies: { '@nestjs/cache-manager': '2.2.2', 'cache-manager': version } }));
  write('node_modules/cache-manager/package.json', JSON.stringify({ name: 'cache-manager', version, types: 'index.d.ts' }));
  write('node_modules/cache-manager/index.d.ts', 'export interface Cache {\n  get<T>(key: string): Promise<T | undefined>;\n  set(key: string, value: unknown, ttl?: number): Promise<void>;\n  del(key: string): Promise<void>;\n  wrap<T>(key: string, fn: () => Promise<T>, ttl?: number): Promise<T>;\n}\n');
  write('node_modules/@nestjs/cache-manager/package.json', JSON.stringify({ name: '@nestjs/cache-manager', version: '2.2.2', types: 'index.d.ts' }));
  write('node_modules/@nestjs/cache-manager/index.d.ts', "export declare const CACHE_MANAGER = 'CACHE_MANAGER';\nexport declare class CacheModule {\n  static register(options?: { isGlobal?: boolean; ttl?: number; max?: number }): object;\n  static registerAsync(options: object): object;\n}\n");
  return root;
}

const MODULE = (register: string, value = 'row', extra = '') => `import { Controller, Get, Inject, Injectable, Module, Param } from '@nestjs/common';
import { CacheModule, CACHE_MANAGER } from '@nestjs/cache-manager';
import { Cache } from 'cache-manager';

interface Score { id: number; title: string; composer: string }
declare const db: { one(id: number): Promise<Score>; when(id: number): Promise<Date> };

@Injectable()
export class ScoresService {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}
  async findOne(id: number): Promise<Score> {
    const cached = await this.cache.get<Score>(\`score:\${id}\`);
    if (cached) return cached;
    const row = await db.one(id);
    await this.cache.set(\`score:\${id}\`, ${value}, 10 * 60 * 1000);
    return row;
  }
}
${extra}
@Controller('scores')
export class ScoresController {
  constructor(private readonly scores: ScoresService) {}
  @Get(':id')
  one(@Param('id') id: string) {
    return this.scores.findOne(Number(id));
  }
}

@Module({ imports: [${register}], controllers: [ScoresController], providers: [ScoresService] })
export class AppModule {}
`;

function planned(root: string, code: string) {
  const fileName = path.join(root, 'src/app.module.ts');
  const program = createProgram({ [fileName]: code });
  const sourceFile = program.getSourceFile(fileName)!;
  const [finding] = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-process-local-cache'] });
  expect(finding?.messageId).toBe('cacheLibraryInMemory');
  return planFixes(sourceFile, finding, { program, projectRoot: root });
}

describe("planFixes: Nest's CacheModule with the in-memory store", () => {
  const five = projectWith('5.7.6');

  it('cache-manager 5: the registration gets the Redis store of cache-manager-redis-yet, its TTL with it', () => {
    const result = planned(five, MODULE('CacheModule.register({ isGlobal: true, ttl: 5 * 60 * 1000 })'));
    expect(result.refused).toBeUndefined();
    const [plan] = result.plans;
    expect(plan.edits.map((edit) => edit.newText)).toEqual([
      "registerAsync({ isGlobal: true, useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL || 'redis://127.0.0.1:6379', ttl: 5 * 60 * 1000 }) }) })",
      "\nimport { redisStore } from 'cache-manager-redis-yet';",
    ]);
    expect(plan.dependencies).toEqual([{ name: 'cache-manager-redis-yet', version: '5.1.5' }]);
    const bare = planned(five, MODULE('CacheModule.register()')).plans[0];
    expect(bare.edits[0].newText).toBe("registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' }) }) })");
  });

  it('refuses, saying what to write, when a value would read back changed from JSON, a CacheInterceptor caches replies, or an option is the memory store\'s', () => {
    expect(planned(five, MODULE('CacheModule.register()', '{ ...row, seen: new Date() }')).refused?.reason).toBe("the Redis store keeps values as JSON, and `{ ...row, seen: new Date() }` (src/app.module.ts:15) holds Date values, which would read back changed: give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL }) }) })`, redisStore from cache-manager-redis-yet), so every instance reads one cache");
    expect(planned(five, MODULE('CacheModule.register()', 'row as any')).refused?.reason).toBe("the Redis store keeps values as JSON, and `row as any` (src/app.module.ts:15) has no type that shows it reads back the same: give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL }) }) })`, redisStore from cache-manager-redis-yet), so every instance reads one cache");
    expect(planned(five, MODULE('CacheModule.register()', 'row', "import { CacheInterceptor } from '@nestjs/cache-manager';\nexport const interceptors = [CacheInterceptor];")).refused?.reason).toBe("CacheInterceptor (src/app.module.ts) caches what handlers return, and the fix cannot check that it reads back the same from JSON, as the Redis store keeps it; check that, then: give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL }) }) })`, redisStore from cache-manager-redis-yet), so every instance reads one cache");
    expect(planned(five, MODULE('CacheModule.register({ max: 100 })')).refused?.reason).toBe("`max: 100` is an option of the in-memory store, with no counterpart in Redis: give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL }) }) })`, redisStore from cache-manager-redis-yet), so every instance reads one cache");
  });

  it('refuses with the advice of the release the project has: cache-manager 6 (Keyv stores), or a 5 older than the Redis store supports', () => {
    expect(planned(projectWith('6.1.0'), MODULE('CacheModule.register()')).refused?.reason).toBe("cache-manager 6.1.0 takes Keyv stores, which the fix does not write: give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: () => ({ stores: [new KeyvRedis(process.env.REDIS_URL)] }) })`, KeyvRedis from @keyv/redis), so every instance reads one cache");
    expect(planned(projectWith('5.2.4'), MODULE('CacheModule.register()')).refused?.reason).toBe("cache-manager 5.2.4 is older than the 5.7.6 that cache-manager-redis-yet 5 needs: give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL }) }) })`, redisStore from cache-manager-redis-yet), so every instance reads one cache");
  });
});
