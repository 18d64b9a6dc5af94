import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes, type RuleId } from '../index';
import { applyPlan as apply, applyPlan, countFindings, movePlan, planFirst, ROOT } from '../testing/fix-plans';
import { createProgram } from '../testing/program';

function plan(files: Record<string, string>, ruleId: RuleId, fileName: string) {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(fileName)!;
  const finding = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: [ruleId] })[0];
  expect(finding, `a ${ruleId} finding in ${fileName}`).toBeDefined();
  return planFixes(sourceFile, finding, { program, projectRoot: ROOT });
}

function findingsAfter(files: Record<string, string>, ruleId: RuleId): number {
  const program = createProgram(files);
  return Object.keys(files)
    .filter((name) => name.endsWith('.ts'))
    .reduce((count, name) => count + analyzeSourceFile(program.getSourceFile(name)!, { program, projectRoot: ROOT, rules: [ruleId] }).length, 0);
}

const USERS = `import express from 'express';

interface User { id: string; name: string }
declare const db: { findUser(id: string): Promise<User>; renameUser(id: string, name: string): Promise<void> };

export const app = express();
const usersById = new Map<string, User>();

async function findUser(id: string): Promise<User> {
  const hit = usersById.get(id);
  if (hit) return hit;
  const user = await db.findUser(id);
  usersById.set(id, user);
  return user;
}

app.get('/users/:id', async (req, res) => {
  res.json(await findUser(req.params.id));
});

app.put('/users/:id', async (req, res) => {
  await db.renameUser(req.params.id, req.body.name);
  usersById.delete(req.params.id);
  res.sendStatus(204);
});
`;

describe('planFixes: a cache Map moves to the Redis cache adapter', () => {
  const files = { [`${ROOT}/src/users.ts`]: USERS };

  it('awaits every use, keeps every statement, imports the adapter and creates it', () => {
    const planned = plan(files, 'no-process-local-cache', `${ROOT}/src/users.ts`);
    expect(planned.refused).toBeUndefined();
    const move = planned.plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(move.message).toBe('Move `usersById` to the Redis cache (src/scaling/cache.ts)');
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/cache.ts`, `${ROOT}/src/scaling/redis.ts`]);
    expect(move.dependencies).toEqual([{ name: 'ioredis', version: '^5.8.2' }]);
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/src/users.ts`]).toBe(`import express from 'express';
import { createCache } from './scaling/cache';

interface User { id: string; name: string }
declare const db: { findUser(id: string): Promise<User>; renameUser(id: string, name: string): Promise<void> };

export const app = express();
const usersById = createCache<User>('usersById');

async function findUser(id: string): Promise<User> {
  const hit = await usersById.get(id);
  if (hit) return hit;
  const user = await db.findUser(id);
  await usersById.set(id, user);
  return user;
}

app.get('/users/:id', async (req, res) => {
  res.json(await findUser(req.params.id));
});

app.put('/users/:id', async (req, res) => {
  await db.renameUser(req.params.id, req.body.name);
  await usersById.delete(req.params.id);
  res.sendStatus(204);
});
`);
    expect(findingsAfter(fixed, 'no-process-local-cache')).toBe(0);
  });

  // Every service of a NestJS app may keep its own `cache`: named alone, two services would read
  // each other's rows under one Redis key and clear each other's entries.
  it('a field is named with its class: two NestJS services that each keep a `cache` keep them apart', () => {
    const service = (name: string, entity: string) => `import { Injectable } from '@nestjs/common';

interface ${entity} { id: number; name: string }
declare const repository: { findOne(id: number): Promise<${entity}>; update(id: number, name: string): Promise<void> };

@Injectable()
export class ${name} {
  private readonly cache = new Map<number, ${entity}>();

  async findOne(id: number): Promise<${entity}> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = await repository.findOne(id);
    this.cache.set(id, row);
    return row;
  }

  async rename(id: number, name: string): Promise<void> {
    await repository.update(id, name);
    this.cache.delete(id);
  }
}
`;
    const controller = `import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { VetsService } from './vets.service';
import { PetsService } from './pets.service';

@Controller()
export class ClinicController {
  constructor(private readonly vets: VetsService, private readonly pets: PetsService) {}

  @Get('vets/:id')
  vet(@Param('id') id: string) {
    return this.vets.findOne(Number(id));
  }

  @Patch('vets/:id')
  renameVet(@Param('id') id: string, @Body() body: { name: string }) {
    return this.vets.rename(Number(id), body.name);
  }

  @Get('pets/:id')
  pet(@Param('id') id: string) {
    return this.pets.findOne(Number(id));
  }

  @Patch('pets/:id')
  renamePet(@Param('id') id: string, @Body() body: { name: string }) {
    return this.pets.rename(Number(id), body.name);
  }
}
`;
    const nest = { [`${ROOT}/src/vets.service.ts`]: service('VetsService', 'Vet'), [`${ROOT}/src/pets.service.ts`]: service('PetsService', 'Pet'), [`${ROOT}/src/clinic.controller.ts`]: controller };
    const vets = plan(nest, 'no-process-local-cache', `${ROOT}/src/vets.service.ts`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(apply(nest, vets)[`${ROOT}/src/vets.service.ts`]).toBe(`import { Injectable } from '@nestjs/common';
import { createCache } from './scaling/cache';

interface Vet { id: number; name: string }
declare const repository: { findOne(id: number): Promise<Vet>; update(id: number, name: string): Promise<void> };

@Injectable()
export class VetsService {
  private readonly cache = createCache<Vet>('VetsService.cache');

  async findOne(id: number): Promise<Vet> {
    const cached = await this.cache.get(id);
    if (cached) return cached;
    const row = await repository.findOne(id);
    await this.cache.set(id, row);
    return row;
  }

  async rename(id: number, name: string): Promise<void> {
    await repository.update(id, name);
    await this.cache.delete(id);
  }
}
`);
    const pets = plan(nest, 'no-process-local-cache', `${ROOT}/src/pets.service.ts`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(apply(nest, pets)[`${ROOT}/src/pets.service.ts`]).toContain("private readonly cache = createCache<Pet>('PetsService.cache');");
  });

  // Two query modules that each memoise counts in a `countCache`: under one Redis name, a book
  // query's count would answer a podcast query of the same shape, and clearing one clears both.
  it('module state of the same name in two modules is named with its module; a name no other module keeps stays as it is', () => {
    const counts = (entity: string) => `import express from 'express';

declare const db: { count(table: string, query: string): Promise<number>; insert(table: string, row: object): Promise<void> };

export const router = express.Router();
const countCache = new Map<string, number>();

router.get('/${entity}/count', async (req, res) => {
  const key = String(req.query.q);
  if (!countCache.has(key)) countCache.set(key, await db.count('${entity}', key));
  res.json({ count: countCache.get(key) });
});

router.post('/${entity}', async (req, res) => {
  await db.insert('${entity}', req.body);
  countCache.clear();
  res.sendStatus(201);
});
`;
    const project = { [`${ROOT}/src/queries/bookFilters.ts`]: counts('books'), [`${ROOT}/src/queries/podcastFilters.ts`]: counts('podcasts') };
    const books = plan(project, 'no-process-local-cache', `${ROOT}/src/queries/bookFilters.ts`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    const fixed = apply(project, books);
    expect(fixed[`${ROOT}/src/queries/bookFilters.ts`]).toContain("const countCache = createCache<number>('bookFilters.countCache');\n");
    // The second module, fixed after the first: the first's Redis name still says whose it is.
    const podcasts = plan(fixed, 'no-process-local-cache', `${ROOT}/src/queries/podcastFilters.ts`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(apply(fixed, podcasts)[`${ROOT}/src/queries/podcastFilters.ts`]).toContain("const countCache = createCache<number>('podcastFilters.countCache');\n");
    const alone = { [`${ROOT}/src/queries/bookFilters.ts`]: counts('books') };
    const only = plan(alone, 'no-process-local-cache', `${ROOT}/src/queries/bookFilters.ts`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(apply(alone, only)[`${ROOT}/src/queries/bookFilters.ts`]).toContain("const countCache = createCache<number>('countCache');\n");
  });

  it('refuses a cache of promises and a cache read by iteration, with the reason', () => {
    const promises = USERS.replace('new Map<string, User>()', 'new Map<string, Promise<User>>()').replace('const user = await db.findUser(id);\n  usersById.set(id, user);\n  return user;', 'const user = db.findUser(id);\n  usersById.set(id, user);\n  return user;');
    expect(plan({ [`${ROOT}/src/users.ts`]: promises }, 'no-process-local-cache', `${ROOT}/src/users.ts`).refused).toEqual({
      title: 'Move `usersById` to the Redis cache',
      reason: '`usersById` holds promises, which the Redis cache would give back changed',
    });
    const iterated = `${USERS}\napp.get('/users', (req, res) => res.json([...usersById.values()]));\n`;
    expect(plan({ [`${ROOT}/src/users.ts`]: iterated }, 'no-process-local-cache', `${ROOT}/src/users.ts`).refused).toEqual({
      title: 'Move `usersById` to the Redis cache',
      reason: '`usersById.values` (src/users.ts:27) has no counterpart in the Redis adapter',
    });
  });

  it('looks into a row type built from columns (drizzle\'s `$inferSelect`, a Record): a Date there moves (the adapter tags it), a function there is refused', () => {
    // The row's properties are made by a mapped type over column objects: they have no declaration of their own.
    const columns = (joinedAt: string) =>
      USERS.replace(
        'interface User { id: string; name: string }',
        `type Column<T> = { data: T };\ntype Columns = { id: Column<string>; name: Column<string>; joinedAt: Column<${joinedAt}> };\ntype User = { [K in keyof Columns as \`\${K}\`]: Columns[K]['data'] };`,
      );
    const dated = { [`${ROOT}/src/users.ts`]: columns('Date') };
    const move = plan(dated, 'no-process-local-cache', `${ROOT}/src/users.ts`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(apply(dated, move)[`${ROOT}/src/users.ts`]).toContain("const usersById = createCache<User>('usersById');");
    expect(plan({ [`${ROOT}/src/users.ts`]: columns('() => string') }, 'no-process-local-cache', `${ROOT}/src/users.ts`).refused).toEqual({
      title: 'Move `usersById` to the Redis cache',
      reason: '`usersById` holds functions, which the Redis cache would give back changed',
    });
    const record = USERS.replace('interface User { id: string; name: string }', "type User = Record<'id' | 'name', string> & Record<'joinedAt', Date> & Record<'pending', Map<string, Promise<string>>>;");
    expect(plan({ [`${ROOT}/src/users.ts`]: record }, 'no-process-local-cache', `${ROOT}/src/users.ts`).refused?.reason).toBe('`usersById` holds promises, which the Redis cache would give back changed');
  });

  it('a start-up copy replaced whole by a save route is one shared value: every instance reads what was saved last', () => {
    const settings = `import express from 'express';

interface Settings { title: string; signups: boolean }
declare function loadSettings(): Settings;
declare function saveSettings(settings: Settings): Promise<void>;

const app = express();
let settings = loadSettings();

app.get('/settings', (req, res) => res.json(settings));
app.put('/settings', async (req, res) => {
  await saveSettings(req.body);
  settings = req.body;
  res.json(settings);
});
`;
    const files = { [`${ROOT}/src/settings.ts`]: settings };
    const planned = movePlan(files, 'no-process-local-cache', `${ROOT}/src/settings.ts`);
    expect(planned.message).toBe('Keep `settings` in Redis, where every instance reads what was last set (src/scaling/value.ts)');
    expect(applyPlan(files, planned)[`${ROOT}/src/settings.ts`]).toBe(
      settings
        .replace("import express from 'express';\n", "import express from 'express';\nimport { createValue } from './scaling/value';\n")
        .replace('let settings = loadSettings();', "const settings = createValue<Settings>('settings', loadSettings());")
        .replace("app.get('/settings', (req, res) => res.json(settings));", "app.get('/settings', async (req, res) => res.json(await settings.get()));")
        .replace('  settings = req.body;\n  res.json(settings);', '  await settings.set(req.body);\n  res.json(await settings.get());'),
    );
  });
});

const PAYOUTS = `import express from 'express';

declare function settlePayouts(batchId: string): Promise<void>;
declare function chargeOrder(id: string): Promise<void>;

export const app = express();
let isProcessing = false;
const charging = new Set<string>();

app.post('/payouts', async (req, res) => {
  if (isProcessing) return res.status(409).send('busy');
  isProcessing = true;
  try {
    await settlePayouts(req.body.batchId);
  } finally {
    isProcessing = false;
  }
  res.sendStatus(200);
});

app.post('/orders/:id/charge', async (req, res) => {
  if (charging.has(req.params.id)) {
    return res.status(409).json({ error: 'already charging' });
  }
  charging.add(req.params.id);
  await chargeOrder(req.params.id);
  charging.delete(req.params.id);
  res.json({ charged: true });
});
`;

describe('planFixes: a guard-then-release lock moves to the Redis lock adapter', () => {
  const files = { [`${ROOT}/src/payouts.ts`]: PAYOUTS };

  it('a flag: the check tests the Redis lock, taking it replaces `= true`, the release releases it', () => {
    const planned = plan(files, 'no-in-process-lock', `${ROOT}/src/payouts.ts`);
    const move = planned.plans.find((candidate) => candidate.messageId === 'lockMoveToRedis')!;
    expect(move.message).toBe('Take `isProcessing` as a Redis lock (src/scaling/lock.ts)');
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/lock.ts`, `${ROOT}/src/scaling/redis.ts`]);
    const fixed = apply(files, move)[`${ROOT}/src/payouts.ts`];
    expect(fixed).toBe(PAYOUTS.replace("import express from 'express';\n", "import express from 'express';\nimport { tryAcquireLock } from './scaling/lock';\n")
      .replace('let isProcessing = false;', '// `isProcessing` is now a Redis lock (tryAcquireLock in src/scaling/lock.ts): it excludes requests on every instance.')
      .replace("  if (isProcessing) return res.status(409).send('busy');\n  isProcessing = true;\n", "  const isProcessingLock = await tryAcquireLock('isProcessing', { keepAlive: true });\n  if (!isProcessingLock) return res.status(409).send('busy');\n")
      .replace('    isProcessing = false;', '    await isProcessingLock.release();'));
  });

  it('a Set of keys: one Redis lock per key', () => {
    const program = createProgram(files);
    const sourceFile = program.getSourceFile(`${ROOT}/src/payouts.ts`)!;
    const finding = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-in-process-lock'] }).find((candidate) => candidate.data.name === 'charging')!;
    const move = planFixes(sourceFile, finding, { program, projectRoot: ROOT }).plans.find((candidate) => candidate.messageId === 'lockMoveToRedis')!;
    const fixed = apply(files, move)[`${ROOT}/src/payouts.ts`];
    expect(fixed).toBe(PAYOUTS.replace("import express from 'express';\n", "import express from 'express';\nimport { tryAcquireLock } from './scaling/lock';\n")
      .replace('const charging = new Set<string>();', '// `charging` is now a Redis lock (tryAcquireLock in src/scaling/lock.ts): it excludes requests on every instance.')
      .replace('  if (charging.has(req.params.id)) {', '  const chargingLock = await tryAcquireLock(`charging:${req.params.id}`, { keepAlive: true });\n  if (!chargingLock) {')
      .replace('  charging.add(req.params.id);\n', '')
      .replace('  charging.delete(req.params.id);', '  await chargingLock.release();'));
    // Every statement it takes out or rewrites is named, so a reviewer (and the statement walk) sees the release was not dropped.
    expect(move.notes).toEqual([
      'replaces `charging.delete(req.params.id)` (src/payouts.ts:27) with `await chargingLock.release()`: it frees the Redis lock `chargingLock` took',
      'removes `const charging = new Set<string>()` (src/payouts.ts:8): the lock lives in Redis now (tryAcquireLock); a comment says so in its place',
      'removes `charging.add(req.params.id)` (src/payouts.ts:25): `chargingLock` above takes the Redis lock in its place',
    ]);
  });

  it('both fixes applied: no lock is left in process memory', () => {
    const first = plan(files, 'no-in-process-lock', `${ROOT}/src/payouts.ts`).plans.find((candidate) => candidate.messageId === 'lockMoveToRedis')!;
    const once = apply(files, first);
    const second = plan(once, 'no-in-process-lock', `${ROOT}/src/payouts.ts`).plans.find((candidate) => candidate.messageId === 'lockMoveToRedis')!;
    expect(findingsAfter(apply(once, second), 'no-in-process-lock')).toBe(0);
  });

  it('a status read asks Redis what every instance holds: `.size` counts the held keys, a flag read asks whether it is held', () => {
    const withStats = `${PAYOUTS}
app.get('/admin/stats', (_req, res) => {
  res.json({ charging: charging.size, payoutRunning: isProcessing, charging7: charging.has('7') });
});
`;
    const statsFiles = { [`${ROOT}/src/payouts.ts`]: withStats };
    const program = createProgram(statsFiles);
    const sourceFile = program.getSourceFile(`${ROOT}/src/payouts.ts`)!;
    const findings = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-in-process-lock'] });
    const moveOf = (name: string) => planFixes(sourceFile, findings.find((candidate) => candidate.data.name === name)!, { program, projectRoot: ROOT }).plans.find((candidate) => candidate.messageId === 'lockMoveToRedis')!;
    const set = apply(statsFiles, moveOf('charging'))[`${ROOT}/src/payouts.ts`];
    expect(set.slice(set.indexOf("app.get('/admin/stats'"))).toBe(`app.get('/admin/stats', async (_req, res) => {
  res.json({ charging: await countHeldLocks('charging'), payoutRunning: isProcessing, charging7: await isLockHeld(\`charging:\${'7'}\`) });
});
`);
    expect(set).toContain("import { countHeldLocks, isLockHeld, tryAcquireLock } from './scaling/lock';");
    const flag = apply(statsFiles, moveOf('isProcessing'))[`${ROOT}/src/payouts.ts`];
    expect(flag.slice(flag.indexOf("app.get('/admin/stats'"))).toBe(`app.get('/admin/stats', async (_req, res) => {
  res.json({ charging: charging.size, payoutRunning: await isLockHeld('isProcessing'), charging7: charging.has('7') });
});
`);
  });

  it('refuses a lock taken in one handler and released in another, and a take that is not right after the check', () => {
    const split = `import express from 'express';
declare function work(): Promise<void>;
export const app = express();
let busy = false;
app.post('/start', async (req, res) => {
  if (busy) return res.status(409).end();
  busy = true;
  await work();
  res.end();
});
app.post('/stop', (req, res) => {
  busy = false;
  res.end();
});
`;
    expect(plan({ [`${ROOT}/src/jobs.ts`]: split }, 'no-in-process-lock', `${ROOT}/src/jobs.ts`).refused).toEqual({
      title: 'Take `busy` in Redis',
      reason: '`busy` is released outside the function that takes it (src/jobs.ts:12)',
    });
    const gap = PAYOUTS.replace("  isProcessing = true;\n", "  console.log('starting');\n  isProcessing = true;\n");
    expect(plan({ [`${ROOT}/src/payouts.ts`]: gap }, 'no-in-process-lock', `${ROOT}/src/payouts.ts`).refused).toEqual({
      title: 'Take `isProcessing` in Redis',
      reason: '`isProcessing` is not taken right after its check (src/payouts.ts:13)',
    });
  });

  it('refuses a flag declared in a base class that only singletons extend: only a module-level lock moves', () => {
    const reindexer = `import express from 'express';
import { catalog, search } from './services';

abstract class Reindexer {
  protected running = false;

  async run() {
    if (this.running) return;
    this.running = true;
    try {
      await search.rebuild(await catalog.all());
    } finally {
      this.running = false;
    }
  }
}

class ProductReindexer extends Reindexer {}

const productReindexer = new ProductReindexer();
const app = express();
app.post('/admin/reindex', async (req, res) => {
  await productReindexer.run();
  res.sendStatus(202);
});
`;
    expect(plan({ [`${ROOT}/src/reindex.ts`]: reindexer }, 'no-in-process-lock', `${ROOT}/src/reindex.ts`).refused).toEqual({
      title: 'Take `running` in Redis',
      reason: 'only a module-level lock can move to Redis, and `running` is a class field',
    });
  });
});

// async-mutex: a module Mutex taken with runExclusive around a read-then-write of shared data.

const QUOTA_TS = `import express from 'express';
import { Mutex } from 'async-mutex';
import { db } from './db';
export const app = express();
// Two uploads at once must not both squeeze under the quota.
const quotaLock = new Mutex();
app.post('/files', (req, res, next) => {
  quotaLock
    .runExclusive(async () => {
      const used = await db.used(req.body.user);
      if (used + req.body.size > 100) return res.status(413).end();
      await db.insert(req.body);
      res.status(201).end();
    })
    .catch(next);
});
`;

const QUOTA_DB_TS = `export const db = {
  async used(user: string): Promise<number> { return user.length; },
  async insert(row: object): Promise<void> { void row; },
};
`;

describe("planFixes: async-mutex's Mutex moves to the Redis lock adapter", () => {
  it('`lock.runExclusive(async () => …)` becomes `withLock(\'lock\', async () => …)`; the declaration becomes a comment', () => {
    const files = { [`${ROOT}/src/app.ts`]: QUOTA_TS, [`${ROOT}/src/db.ts`]: QUOTA_DB_TS };
    const plan = movePlan(files, 'no-in-process-lock', `${ROOT}/src/app.ts`);
    expect(plan.message).toBe('Take `quotaLock` as a Redis lock (src/scaling/lock.ts)');
    expect(applyPlan(files, plan)[`${ROOT}/src/app.ts`]).toBe(
      QUOTA_TS.replace("import { Mutex } from 'async-mutex';\nimport { db } from './db';\n", "import { db } from './db';\nimport { withLock } from './scaling/lock';\n")
        .replace('const quotaLock = new Mutex();', '// `quotaLock` is now a Redis lock (withLock in src/scaling/lock.ts): it excludes requests on every instance.')
        .replace('quotaLock\n    .runExclusive(async () => {', "withLock('quotaLock', async () => {"),
    );
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual(['the lock lives in Redis now (withLock); a comment says so in its place', '`Mutex` has no other use once `quotaLock` is a Redis lock']);
    expect(countFindings(applyPlan(files, plan), 'no-in-process-lock')).toBe(0);
  });

  // NestJS providers are singletons: a Mutex in a service's field excludes the requests of one process only.
  const BOOKINGS_TS = `import { ConflictException, Injectable } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { db } from './db';

@Injectable()
export class BookingsService {
  // One booking at a time, so two people cannot take the same slot.
  private readonly bookingLock = new Mutex();

  book(slot: string, user: string) {
    return this.bookingLock.runExclusive(async () => {
      if ((await db.used(slot)) > 0) throw new ConflictException('taken');
      await db.insert({ slot, user });
      return { slot, user };
    });
  }
}
`;
  const BOOKINGS_CONTROLLER_TS = `import { Body, Controller, Post } from '@nestjs/common';
import { BookingsService } from './bookings.service';

@Controller('bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post()
  book(@Body() body: { slot: string; user: string }) {
    return this.bookings.book(body.slot, body.user);
  }
}
`;

  it('a field of a NestJS service: `this.lock.runExclusive(…)` becomes `withLock(\'Service.lock\', …)`, the field a comment', () => {
    const files = { [`${ROOT}/src/bookings.service.ts`]: BOOKINGS_TS, [`${ROOT}/src/bookings.controller.ts`]: BOOKINGS_CONTROLLER_TS, [`${ROOT}/src/db.ts`]: QUOTA_DB_TS };
    const plan = movePlan(files, 'no-in-process-lock', `${ROOT}/src/bookings.service.ts`);
    expect(plan.message).toBe('Take `bookingLock` as a Redis lock (src/scaling/lock.ts)');
    expect(applyPlan(files, plan)[`${ROOT}/src/bookings.service.ts`]).toBe(`import { ConflictException, Injectable } from '@nestjs/common';
import { db } from './db';
import { withLock } from './scaling/lock';

@Injectable()
export class BookingsService {
  // One booking at a time, so two people cannot take the same slot.
  // \`bookingLock\` is now a Redis lock (withLock in src/scaling/lock.ts): it excludes requests on every instance.

  book(slot: string, user: string) {
    return withLock('BookingsService.bookingLock', async () => {
      if ((await db.used(slot)) > 0) throw new ConflictException('taken');
      await db.insert({ slot, user });
      return { slot, user };
    });
  }
}
`);
    expect(countFindings(applyPlan(files, plan), 'no-in-process-lock')).toBe(0);
  });

  it('refuses a field used otherwise than taken with runExclusive, naming the use', () => {
    const asked = BOOKINGS_TS.replace('  book(slot: string, user: string) {', '  busy(): boolean {\n    return this.bookingLock.isLocked();\n  }\n\n  book(slot: string, user: string) {');
    const files = { [`${ROOT}/src/bookings.service.ts`]: asked, [`${ROOT}/src/bookings.controller.ts`]: BOOKINGS_CONTROLLER_TS, [`${ROOT}/src/db.ts`]: QUOTA_DB_TS };
    expect(planFirst(files, 'no-in-process-lock', `${ROOT}/src/bookings.service.ts`).refused?.reason).toBe(
      '`this.bookingLock.isLocked` (src/bookings.service.ts:11) is not `this.bookingLock.runExclusive(work)`, the one use the Redis lock takes in its place',
    );
  });

  it('in a JavaScript project the comment names the adapter file it creates (lock.js)', () => {
    const js = `const { Mutex } = require('async-mutex');
const express = require('express');
const { db } = require('./db');
const app = express();
const quotaLock = new Mutex();
app.post('/files', async (req, res) => {
  await quotaLock.runExclusive(async () => {
    await db.insert(req.body);
  });
  res.status(201).end();
});
module.exports = app;
`;
    const files = { [`${ROOT}/src/app.js`]: js, [`${ROOT}/src/db.js`]: 'exports.db = { insert: async (row) => row };\n' };
    expect(applyPlan(files, movePlan(files, 'no-in-process-lock', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`]).toContain('// `quotaLock` is now a Redis lock (withLock in src/scaling/lock.js): it excludes requests on every instance.');
  });

  it('refuses a Mutex taken with acquire() and release, naming the use, and a work that is not async', () => {
    const acquired = QUOTA_TS.replace('quotaLock\n    .runExclusive(async () => {', 'quotaLock\n    .acquire().then(async (release) => { release();');
    expect(planFirst({ [`${ROOT}/src/app.ts`]: acquired, [`${ROOT}/src/db.ts`]: QUOTA_DB_TS }, 'no-in-process-lock', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      '`quotaLock.acquire` (src/app.ts:8) is not `quotaLock.runExclusive(work)`, the one use the Redis lock takes in its place',
    );
    const plain = QUOTA_TS.replace('.runExclusive(async () => {', '.runExclusive(() => {').replace(/await /g, '');
    expect(planFirst({ [`${ROOT}/src/app.ts`]: plain, [`${ROOT}/src/db.ts`]: QUOTA_DB_TS }, 'no-in-process-lock', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      'the work given to `quotaLock.runExclusive` (src/app.ts:9) is not an async function',
    );
  });

  it('a Semaphore of one permit is a Mutex: it moves the same way; more permits, or a work that takes the semaphore\'s value, are refused, naming them', () => {
    const semaphore = (permits: string, work = 'async () => {'): string => QUOTA_TS.replace("import { Mutex } from 'async-mutex';", "import { Semaphore } from 'async-mutex';").replace('new Mutex()', `new Semaphore(${permits})`).replace('.runExclusive(async () => {', `.runExclusive(${work}`);
    const files = { [`${ROOT}/src/app.ts`]: semaphore('1'), [`${ROOT}/src/db.ts`]: QUOTA_DB_TS };
    expect(applyPlan(files, movePlan(files, 'no-in-process-lock', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toBe(
      semaphore('1')
        .replace("import { Semaphore } from 'async-mutex';\nimport { db } from './db';\n", "import { db } from './db';\nimport { withLock } from './scaling/lock';\n")
        .replace('const quotaLock = new Semaphore(1);', '// `quotaLock` is now a Redis lock (withLock in src/scaling/lock.ts): it excludes requests on every instance.')
        .replace('quotaLock\n    .runExclusive(async () => {', "withLock('quotaLock', async () => {"),
    );
    expect(planFirst({ [`${ROOT}/src/app.ts`]: semaphore('3'), [`${ROOT}/src/db.ts`]: QUOTA_DB_TS }, 'no-in-process-lock', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      "no Redis fix for async-mutex's Semaphore of more than one permit yet: take it with withLock from the lock adapter (lock.ts)",
    );
    expect(planFirst({ [`${ROOT}/src/app.ts`]: semaphore('1', 'async (permit) => { void permit;'), [`${ROOT}/src/db.ts`]: QUOTA_DB_TS }, 'no-in-process-lock', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      'the work given to `quotaLock.runExclusive` (src/app.ts:9) takes what the Semaphore hands it, which the Redis lock does not',
    );
  });
});

describe("planFixes: async-mutex's withTimeout(new Mutex(), ms) moves to the Redis lock adapter, waiting as long", () => {
  const timed = (wrapper: string, imports = 'Mutex, withTimeout'): string =>
    QUOTA_TS.replace("import { Mutex } from 'async-mutex';", `import { ${imports} } from 'async-mutex';`).replace('const quotaLock = new Mutex();', `const quotaLock = ${wrapper};`);

  it('`withTimeout(new Mutex(), 5000)`: withLock with `waitMs: 5000`; both imports left unused go with their statement', () => {
    const files = { [`${ROOT}/src/app.ts`]: timed('withTimeout(new Mutex(), 5000)'), [`${ROOT}/src/db.ts`]: QUOTA_DB_TS };
    const plan = movePlan(files, 'no-in-process-lock', `${ROOT}/src/app.ts`);
    expect(applyPlan(files, plan)[`${ROOT}/src/app.ts`]).toBe(
      timed('withTimeout(new Mutex(), 5000)')
        .replace("import { Mutex, withTimeout } from 'async-mutex';\nimport { db } from './db';\n", "import { db } from './db';\nimport { withLock } from './scaling/lock';\n")
        .replace('const quotaLock = withTimeout(new Mutex(), 5000);', '// `quotaLock` is now a Redis lock (withLock in src/scaling/lock.ts): it excludes requests on every instance.')
        .replace('quotaLock\n    .runExclusive(async () => {', "withLock('quotaLock', async () => {")
        .replace('      res.status(201).end();\n    })\n', '      res.status(201).end();\n    }, { waitMs: 5000 })\n'),
    );
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual(['the lock lives in Redis now (withLock); a comment says so in its place', '`Mutex` and `withTimeout` have no other use once `quotaLock` is a Redis lock']);
    expect(countFindings(applyPlan(files, plan), 'no-in-process-lock')).toBe(0);
  });

  it('an import that keeps other names is written again with them alone', () => {
    const files = { [`${ROOT}/src/app.ts`]: `${timed('withTimeout(new Mutex(), 5000)', 'Mutex, Semaphore, withTimeout')}export const downloads = new Semaphore(4);\n`, [`${ROOT}/src/db.ts`]: QUOTA_DB_TS };
    expect(applyPlan(files, movePlan(files, 'no-in-process-lock', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toContain("import { Semaphore } from 'async-mutex';\n");
  });

  it('refused, naming it: an error of its own to throw, or E_TIMEOUT compared (the Redis lock throws LockNotAcquiredError)', () => {
    const ownError = { [`${ROOT}/src/app.ts`]: timed("withTimeout(new Mutex(), 5000, new Error('busy'))"), [`${ROOT}/src/db.ts`]: QUOTA_DB_TS };
    expect(planFirst(ownError, 'no-in-process-lock', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      "`withTimeout(new Mutex(), 5000, new Error('busy'))` (src/app.ts:6) is given an error of its own to throw, which the Redis lock does not throw",
    );
    const compared = timed('withTimeout(new Mutex(), 5000)', 'E_TIMEOUT, Mutex, withTimeout').replace('    .catch(next);', '    .catch((err) => (err === E_TIMEOUT ? res.status(503).end() : next(err)));');
    expect(planFirst({ [`${ROOT}/src/app.ts`]: compared, [`${ROOT}/src/db.ts`]: QUOTA_DB_TS }, 'no-in-process-lock', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      '`E_TIMEOUT` (src/app.ts:2) is what `withTimeout(new Mutex(), 5000)` throws, and the Redis lock throws LockNotAcquiredError instead',
    );
  });
});

// async-lock keys its lock (`lock.acquire(key, work)`): each key is a Redis lock of its own, named
// with the field's class and the key, so two boats are booked at once and one boat never twice.
const BOOKINGS_TS = `import AsyncLock from 'async-lock';
import { db } from './db';

export class BookingService {
  private lock = new AsyncLock();

  async book(boatId: number, day: string) {
    return this.lock.acquire(\`boat:\${boatId}\`, async () => {
      if (await db.taken(boatId, day)) throw new Error('taken');
      return db.insert(boatId, day);
    });
  }
}
export const bookingService = new BookingService();
`;
const BOOKINGS_DB_TS = `export const db = {
  taken: async (boatId: number, day: string) => boatId < 0 && day === '',
  insert: async (boatId: number, day: string) => ({ boatId, day }),
};
`;
const BOOKINGS_APP_TS = `import express from 'express';
import { bookingService } from './bookings';
export const app = express();
app.post('/boats/:id/bookings', async (req, res) => {
  res.status(201).json(await bookingService.book(Number(req.params.id), req.body.day));
});
`;

describe("planFixes: async-lock's AsyncLock moves to the Redis lock adapter, one lock per key", () => {
  const files = { [`${ROOT}/src/bookings.ts`]: BOOKINGS_TS, [`${ROOT}/src/db.ts`]: BOOKINGS_DB_TS, [`${ROOT}/src/app.ts`]: BOOKINGS_APP_TS };

  it('a field of a singleton service taken with a template key', () => {
    expect(applyPlan(files, movePlan(files, 'no-in-process-lock', `${ROOT}/src/bookings.ts`))[`${ROOT}/src/bookings.ts`]).toBe(
      BOOKINGS_TS.replace("import AsyncLock from 'async-lock';\nimport { db } from './db';\n", "import { db } from './db';\nimport { withLock } from './scaling/lock';\n")
        .replace('private lock = new AsyncLock();', '// `lock` is now a Redis lock (withLock in src/scaling/lock.ts): it excludes requests on every instance.')
        .replace('this.lock.acquire(`boat:${boatId}`, async () => {', 'withLock(`BookingService.lock:boat:${boatId}`, async () => {'),
    );
  });

  it('a string key and a key held in a variable', () => {
    const literal = { ...files, [`${ROOT}/src/bookings.ts`]: BOOKINGS_TS.replace('this.lock.acquire(`boat:${boatId}`,', "this.lock.acquire('bookings',") };
    expect(applyPlan(literal, movePlan(literal, 'no-in-process-lock', `${ROOT}/src/bookings.ts`))[`${ROOT}/src/bookings.ts`]).toContain("return withLock('BookingService.lock:bookings', async () => {");
    const held = { ...files, [`${ROOT}/src/bookings.ts`]: BOOKINGS_TS.replace('this.lock.acquire(`boat:${boatId}`,', 'this.lock.acquire(String(boatId),') };
    expect(applyPlan(held, movePlan(held, 'no-in-process-lock', `${ROOT}/src/bookings.ts`))[`${ROOT}/src/bookings.ts`]).toContain('return withLock(`BookingService.lock:${String(boatId)}`, async () => {');
  });

  it('refused, naming the use: several keys at once, and a work that takes the done callback', () => {
    const several = { ...files, [`${ROOT}/src/bookings.ts`]: BOOKINGS_TS.replace('this.lock.acquire(`boat:${boatId}`,', "this.lock.acquire(['boats', day],") };
    expect(planFirst(several, 'no-in-process-lock', `${ROOT}/src/bookings.ts`).refused?.reason).toBe("`this.lock.acquire(['boats', day], …)` (src/bookings.ts:8) takes several keys at once, which one Redis lock does not");
    const done = { ...files, [`${ROOT}/src/bookings.ts`]: BOOKINGS_TS.replace('async () => {\n      if (await', 'async (done: () => void) => {\n      done();\n      if (await') };
    expect(planFirst(done, 'no-in-process-lock', `${ROOT}/src/bookings.ts`).refused?.reason).toBe('the work given to `lock.acquire` (src/bookings.ts:8) takes what the AsyncLock hands it, which the Redis lock does not');
  });
});

const ROOM_CACHE = `'use strict';

const NodeCache = require('node-cache');
const { db } = require('./db');

// rooms hardly change: keep the rows for ten minutes
const roomCache = new NodeCache({ stdTTL: 600, checkperiod: 120 });

async function getRoom(id) {
  const key = \`room:\${id}\`;
  let room = roomCache.get(key);
  if (room === undefined) {
    room = await db.findRoom(id);
    if (room) roomCache.set(key, room);
  }
  return room;
}

function forgetRoom(id) {
  roomCache.del(\`room:\${id}\`);
}

module.exports = { getRoom, forgetRoom };
`;

const ROOMS = `const express = require('express');
const { getRoom, forgetRoom } = require('./cache');
const { db } = require('./db');

const router = express.Router();
router.get('/rooms/:id', async (req, res) => {
  res.json(await getRoom(req.params.id));
});
router.patch('/rooms/:id', async (req, res) => {
  await db.updateRoom(req.params.id, req.body);
  forgetRoom(req.params.id);
  res.json({ ok: true });
});
module.exports = router;
`;

const ROOM_DB = `exports.db = { findRoom: async (id) => ({ id, name: 'Ada' }), updateRoom: async (id, changes) => changes };\n`;

describe('planFixes: a node-cache of rows moves to the Redis cache adapter', () => {
  const files = { [`${ROOT}/cache.js`]: ROOM_CACHE, [`${ROOT}/routes.js`]: ROOMS, [`${ROOT}/db.js`]: ROOM_DB };

  it('its stdTTL becomes ttlSeconds, every call is awaited, del is delete (callers that did not wait for it now do)', () => {
    const move = plan(files, 'no-process-local-cache', `${ROOT}/cache.js`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(move.message).toBe('Move `roomCache` to the Redis cache (src/scaling/cache.js)');
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/cache.js`, `${ROOT}/src/scaling/redis.js`]);
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/cache.js`]).toBe(ROOM_CACHE.replace("const NodeCache = require('node-cache');\n", '').replace("const { db } = require('./db');\n", "const { db } = require('./db');\nconst { createCache } = require('./src/scaling/cache');\n")
      .replace('new NodeCache({ stdTTL: 600, checkperiod: 120 })', "createCache('roomCache', { ttlSeconds: 600 })")
      .replace('let room = roomCache.get(key);', 'let room = await roomCache.get(key);')
      .replace('if (room) roomCache.set(key, room);', 'if (room) await roomCache.set(key, room);')
      .replace('function forgetRoom(id) {\n  roomCache.del(`room:${id}`);', 'async function forgetRoom(id) {\n  await roomCache.delete(`room:${id}`);'));
    expect(fixed[`${ROOT}/routes.js`]).toBe(ROOMS.replace('  forgetRoom(req.params.id);', '  await forgetRoom(req.params.id);'));
  });

  it('a cache exported beside its functions (`module.exports = { roomCache }`) moves the same way', () => {
    const exported = { ...files, [`${ROOT}/cache.js`]: ROOM_CACHE.replace('module.exports = { getRoom, forgetRoom };', 'module.exports = { getRoom, forgetRoom, roomCache };') };
    const move = plan(exported, 'no-process-local-cache', `${ROOT}/cache.js`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(apply(exported, move)[`${ROOT}/cache.js`]).toContain("const roomCache = createCache('roomCache', { ttlSeconds: 600 });");
  });

  it('refuses, naming it, what the adapter has no counterpart for', () => {
    const refusal = (cache: string) => plan({ ...files, [`${ROOT}/cache.js`]: cache }, 'no-process-local-cache', `${ROOT}/cache.js`).refused?.reason;
    expect(refusal(ROOM_CACHE.replace('checkperiod: 120', 'useClones: false'))).toBe('the NodeCache option `useClones: false` has no counterpart in the Redis cache adapter');
    expect(refusal(ROOM_CACHE.replace('roomCache.del(`room:${id}`);', 'return roomCache.del(`room:${id}`);'))).toBe('the value of `roomCache.del(`room:${id}`)` (cache.js:20) is used, and the Redis cache answers it differently');
    expect(refusal(ROOM_CACHE.replace('roomCache.del(`room:${id}`);', 'roomCache.keys().forEach((key) => roomCache.del(key));'))).toBe('`roomCache.keys` (cache.js:20) has no counterpart in the Redis cache adapter');
    expect(refusal(ROOM_CACHE.replace('roomCache.del(`room:${id}`);', 'console.log(roomCache.toString()); roomCache.del(`room:${id}`);'))).toBe('`roomCache.toString` (cache.js:20) has no counterpart in the Redis cache adapter');
  });

  it('lru-cache: its ttl (ms) becomes ttlSeconds, peek is get, each call is awaited, and the import left unused goes', () => {
    const lru = ROOM_CACHE.replace("const NodeCache = require('node-cache');", "const { LRUCache } = require('lru-cache');")
      .replace('new NodeCache({ stdTTL: 600, checkperiod: 120 })', 'new LRUCache({ max: 100, ttl: 10 * 60 * 1000 })')
      .replace('let room = roomCache.get(key);', 'let room = roomCache.peek(key);')
      .replace('roomCache.del(`room:${id}`);', 'roomCache.delete(`room:${id}`);');
    const move = plan({ ...files, [`${ROOT}/cache.js`]: lru }, 'no-process-local-cache', `${ROOT}/cache.js`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(move.removedStatements).toEqual([expect.objectContaining({ reason: '`LRUCache` has no other use once `roomCache` is a Redis cache' })]);
    expect(apply({ ...files, [`${ROOT}/cache.js`]: lru }, move)[`${ROOT}/cache.js`]).toBe(
      ROOM_CACHE.replace("const NodeCache = require('node-cache');\n", '')
        .replace("const { db } = require('./db');\n", "const { db } = require('./db');\nconst { createCache } = require('./src/scaling/cache');\n")
        .replace('new NodeCache({ stdTTL: 600, checkperiod: 120 })', "createCache('roomCache', { ttlSeconds: 600 })")
        .replace('let room = roomCache.get(key);', 'let room = await roomCache.get(key);')
        .replace('if (room) roomCache.set(key, room);', 'if (room) await roomCache.set(key, room);')
        .replace('function forgetRoom(id) {\n  roomCache.del(`room:${id}`);', 'async function forgetRoom(id) {\n  await roomCache.delete(`room:${id}`);'),
    );
  });

  it('lru-cache without a ttl gets the adapter\'s default expiry, and says so; a per-entry ttl passes its seconds', () => {
    const lru = ROOM_CACHE.replace("const NodeCache = require('node-cache');", "const { LRUCache } = require('lru-cache');")
      .replace('new NodeCache({ stdTTL: 600, checkperiod: 120 })', 'new LRUCache({ max: 100 })')
      .replace('if (room) roomCache.set(key, room);', 'if (room) roomCache.set(key, room, { ttl: 900000 });');
    const move = plan({ ...files, [`${ROOT}/cache.js`]: lru }, 'no-process-local-cache', `${ROOT}/cache.js`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(move.notes?.[0]).toBe('`roomCache` had no ttl: its entries now expire after CACHE_TTL_SECONDS (default five minutes), where lru-cache kept them until evicted');
    const fixed = apply({ ...files, [`${ROOT}/cache.js`]: lru }, move)[`${ROOT}/cache.js`];
    expect(fixed).toContain("const roomCache = createCache('roomCache');\n");
    expect(fixed).toContain('if (room) await roomCache.set(key, room, 900);');
  });

  it('lru-cache is refused, naming it, for a value changed where it is read (lru-cache kept the object), a dispose hook, or a use Redis has no counterpart for', () => {
    const lru = (cache: string): string => cache.replace("const NodeCache = require('node-cache');", "const { LRUCache } = require('lru-cache');").replace('new NodeCache({ stdTTL: 600, checkperiod: 120 })', 'new LRUCache({ max: 100, ttl: 600000 })');
    const refusal = (cache: string) => plan({ ...files, [`${ROOT}/cache.js`]: cache }, 'no-process-local-cache', `${ROOT}/cache.js`).refused?.reason;
    expect(refusal(lru(ROOM_CACHE).replace('let room = roomCache.get(key);', 'let room = roomCache.get(key);\n  if (room) room.seen = true;'))).toBe('`room.seen = true` (cache.js:12) changes a value read from `roomCache` in place, which lru-cache kept changed and Redis would not');
    expect(refusal(lru(ROOM_CACHE).replace('ttl: 600000', 'ttl: 600000, dispose: (room) => console.log(room)'))).toBe('the LRUCache option `dispose: (room) => console.log(room)` has no counterpart in the Redis cache adapter');
    expect(refusal(lru(ROOM_CACHE).replace('roomCache.del(`room:${id}`);', 'roomCache.forEach((room, key) => roomCache.delete(key));'))).toBe('`roomCache.forEach` (cache.js:20) has no counterpart in the Redis cache adapter');
  });

  it('a node-cache whose entries live a minute or less is not reported (the look-alike)', () => {
    const short = ROOM_CACHE.replace('stdTTL: 600', 'stdTTL: 30');
    const program = createProgram({ ...files, [`${ROOT}/cache.js`]: short });
    expect(analyzeSourceFile(program.getSourceFile(`${ROOT}/cache.js`)!, { program, projectRoot: ROOT, rules: ['no-process-local-cache'] })).toEqual([]);
  });
});

// memory-cache's default export is one cache for the whole process: `put(key, value, ms)`, `get`
// answering null on a miss, `del`.
const SETTINGS_TS = `import cache from 'memory-cache';
import { db } from './db';

const TEN_MINUTES = 10 * 60 * 1000;

export async function settings(): Promise<Record<string, string>> {
  const cached = cache.get('settings') as Record<string, string> | null;
  if (cached !== null) return cached;
  const rows = await db.settings();
  cache.put('settings', rows, TEN_MINUTES);
  return rows;
}

export async function changeSetting(key: string, value: string): Promise<void> {
  await db.saveSetting(key, value);
  cache.del('settings');
}
`;

const SETTINGS_ROUTES_TS = `import express from 'express';
import { changeSetting, settings } from './settings';

export const app = express();
app.get('/settings', async (req, res) => {
  res.json(await settings());
});
app.put('/settings/:key', async (req, res) => {
  await changeSetting(req.params.key, String(req.body.value));
  res.json(await settings());
});
`;

const SETTINGS_DB_TS = `export const db = { settings: async (): Promise<Record<string, string>> => ({}), saveSetting: async (key: string, value: string): Promise<void> => undefined };\n`;

describe("planFixes: memory-cache's process-wide cache moves to the Redis cache adapter", () => {
  const files = { [`${ROOT}/src/settings.ts`]: SETTINGS_TS, [`${ROOT}/src/routes.ts`]: SETTINGS_ROUTES_TS, [`${ROOT}/src/db.ts`]: SETTINGS_DB_TS };

  it('the import becomes the cache made after the imports; put is set with its ms as seconds (the named length kept), get still answers null on a miss, del is delete', () => {
    const move = plan(files, 'no-process-local-cache', `${ROOT}/src/settings.ts`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(move.message).toBe('Move `cache` to the Redis cache (src/scaling/cache.ts)');
    expect(apply(files, move)[`${ROOT}/src/settings.ts`]).toBe(`import { createCache } from './scaling/cache';
import { db } from './db';
const cache = createCache('memory-cache', { ttlSeconds: 0 });

const TEN_MINUTES = 10 * 60 * 1000;

export async function settings(): Promise<Record<string, string>> {
  const cached = ((await cache.get('settings')) ?? null) as Record<string, string> | null;
  if (cached !== null) return cached;
  const rows = await db.settings();
  await cache.set('settings', rows, TEN_MINUTES / 1000);
  return rows;
}

export async function changeSetting(key: string, value: string): Promise<void> {
  await db.saveSetting(key, value);
  await cache.delete('settings');
}
`);
    expect(move.removedStatements?.map((removed) => removed.reason)).toEqual(["`cache` is the Redis cache now: `const cache = createCache('memory-cache', { ttlSeconds: 0 });` after the imports"]);
    expect(findingsAfter(apply(files, move), 'no-process-local-cache')).toBe(0);
  });

  it('CommonJS, required last: a time that is not whole seconds is rounded up, and a put without a time never expires', () => {
    const js = `const { db } = require('./db');
const cache = require('memory-cache');

async function settings() {
  let rows = cache.get('settings');
  if (!rows) {
    rows = await db.settings();
    cache.put('settings', rows, 90 * 1000 + 500);
    cache.put('settings:loaded', Date.now());
  }
  return rows;
}

module.exports = { settings };
`;
    const routes = `const express = require('express');
const { settings } = require('./settings');
const app = express();
app.get('/settings', async (req, res) => res.json(await settings()));
module.exports = app;
`;
    const cjs = { [`${ROOT}/settings.js`]: js, [`${ROOT}/routes.js`]: routes, [`${ROOT}/db.js`]: "exports.db = { settings: async () => ({}) };\n" };
    const move = plan(cjs, 'no-process-local-cache', `${ROOT}/settings.js`).plans.find((candidate) => candidate.messageId === 'cacheMoveToRedis')!;
    expect(apply(cjs, move)[`${ROOT}/settings.js`]).toBe(`const { db } = require('./db');
const { createCache } = require('./src/scaling/cache');
const cache = createCache('memory-cache', { ttlSeconds: 0 });

async function settings() {
  let rows = ((await cache.get('settings')) ?? null);
  if (!rows) {
    rows = await db.settings();
    await cache.set('settings', rows, 91);
    await cache.set('settings:loaded', Date.now(), 0);
  }
  return rows;
}

module.exports = { settings };
`);
  });

  it('refuses, naming it, what the adapter has no counterpart for, and a cache another file shares', () => {
    const refusal = (settings: string, more: Record<string, string> = {}) => plan({ ...files, ...more, [`${ROOT}/src/settings.ts`]: settings }, 'no-process-local-cache', `${ROOT}/src/settings.ts`).refused?.reason;
    expect(refusal(SETTINGS_TS.replace("  cache.put('settings', rows, TEN_MINUTES);\n  return rows;", "  return cache.put('settings', rows, TEN_MINUTES);"))).toBe(
      "the value of `cache.put('settings', rows, TEN_MINUTES)` (src/settings.ts:10) is used, and the Redis cache answers it differently",
    );
    expect(refusal(SETTINGS_TS.replace("cache.put('settings', rows, TEN_MINUTES);", "cache.put('settings', rows, TEN_MINUTES, () => console.log('expired'));"))).toBe(
      "`cache.put('settings', rows, TEN_MINUTES, () => console.log('expired'))` (src/settings.ts:10) has no counterpart in the Redis cache adapter",
    );
    expect(refusal(SETTINGS_TS.replace("  cache.del('settings');", '  console.log(cache.keys());'))).toBe('`cache.keys()` (src/settings.ts:16) has no counterpart in the Redis cache adapter');
    expect(refusal(SETTINGS_TS.replace("  cache.del('settings');", "  cache.put('settings:changed', () => Date.now(), TEN_MINUTES);"))).toBe(
      "`cache.put('settings:changed', () => Date.now(), TEN_MINUTES)` (src/settings.ts:16) stores functions, which the Redis cache would give back changed",
    );
    // A Date is tagged in the adapter's JSON and read back as a Date: it moves.
    expect(refusal(SETTINGS_TS.replace("  cache.del('settings');", "  cache.put('settings:changed', new Date(), TEN_MINUTES);"))).toBeUndefined();
    expect(refusal(SETTINGS_TS.replace("  cache.del('settings');", "  cache.put('settings:old', cache.get('settings'), TEN_MINUTES);"))).toBe(
      "`cache.put('settings:old', cache.get('settings'), TEN_MINUTES)` (src/settings.ts:16) calls the cache inside its arguments",
    );
    expect(refusal(SETTINGS_TS, { [`${ROOT}/src/admin.ts`]: "import cache from 'memory-cache';\nexport const flush = (): void => cache.clear();\n" })).toBe(
      'src/admin.ts uses the same process-wide memory-cache: move both to the cache adapter (createCache in cache.ts) under one name',
    );
  });
});
