import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findRedisServer, startRedis } from './services';

// Each "instance" is a fresh copy of the adapter modules with its own Redis connection, as two
// server processes would have; they meet only in the redis-server started here.
const available = findRedisServer() !== undefined;
if (!available && process.env.CI === 'true') throw new Error('redis-server is missing: CI installs it (apt-get install -y redis-server)');
const suite = available ? describe : describe.skip;

type Instance = typeof import('../src/lock') & typeof import('../src/cache') & typeof import('../src/redis');

async function startInstance(): Promise<Instance> {
  vi.resetModules();
  const [lock, cache, redis] = await Promise.all([import('../src/lock'), import('../src/cache'), import('../src/redis')]);
  return { ...lock, ...cache, ...redis };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

suite('lock and cache adapters, two instances against one redis-server', () => {
  let stopRedis: () => Promise<void>;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    const server = await startRedis();
    stopRedis = server.stop;
    process.env.REDIS_URL = server.url;
    a = await startInstance();
    b = await startInstance();
  });

  afterAll(async () => {
    await a?.closeRedis();
    await b?.closeRedis();
    await stopRedis?.();
  });

  it('the two instances have their own connections', () => {
    expect(a.redis()).not.toBe(b.redis());
  });

  it('lock: 20 holders on each instance at once never overlap, and all of them run', async () => {
    let inside = 0;
    let most = 0;
    let done = 0;
    const work = async (): Promise<void> => {
      inside++;
      most = Math.max(most, inside);
      await sleep(5);
      inside--;
      done++;
    };
    await Promise.all(
      Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? a : b).withLock('payout:42', work, { ttlMs: 5_000, waitMs: 20_000, retryDelayMs: 5 })),
    );
    expect(most).toBe(1);
    expect(done).toBe(40);
    expect(await a.redis().exists('lock:payout:42')).toBe(0);
  });

  it('lock: a held lock refuses the other instance, times out with LockNotAcquiredError, and is free after release', async () => {
    const held = await a.acquireLock('order:7', { ttlMs: 10_000 });
    expect(await b.tryAcquireLock('order:7')).toBeUndefined();
    const started = Date.now();
    await expect(b.acquireLock('order:7', { waitMs: 200 })).rejects.toMatchObject({ name: 'LockNotAcquiredError', lockName: 'order:7', waitedMs: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await expect(b.withLock('order:7', async () => 'ran', { waitMs: 0 })).rejects.toBeInstanceOf(b.LockNotAcquiredError);
    expect(await held.release()).toBe(true);
    const next = await b.acquireLock('order:7', { waitMs: 0 });
    expect(await next.release()).toBe(true);
  });

  it('lock: release and extend go by token, so an expired holder cannot free or renew the next holder', async () => {
    const first = await a.acquireLock('seat:3', { ttlMs: 100 });
    await sleep(250);
    const second = await b.acquireLock('seat:3', { ttlMs: 10_000, waitMs: 0 });
    expect(await first.release()).toBe(false);
    expect(await first.extend(10_000)).toBe(false);
    expect(await a.redis().get('lock:seat:3')).toBe(second.token);
    expect(await second.extend(20_000)).toBe(true);
    expect(await a.redis().pttl('lock:seat:3')).toBeGreaterThan(10_000);
    expect(await second.release()).toBe(true);
  });

  it('lock: withLock extends the lease while long work runs, so the other instance stays out', async () => {
    const attempts: (string | undefined)[] = [];
    const result = await a.withLock(
      'import:9',
      async (signal) => {
        for (let step = 0; step < 5; step++) {
          await sleep(150);
          attempts.push((await b.tryAcquireLock('import:9'))?.token);
        }
        return signal.aborted ? 'lost' : 'kept';
      },
      { ttlMs: 300 },
    );
    expect(result).toBe('kept');
    expect(attempts).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(await a.redis().exists('lock:import:9')).toBe(0);
  });

  it('lock: keepAlive holds a lock past its ttl until release, like an in-process flag', async () => {
    const held = await a.tryAcquireLock('sync', { ttlMs: 200, keepAlive: true });
    expect(held).toBeDefined();
    await sleep(600);
    expect(await b.tryAcquireLock('sync')).toBeUndefined();
    expect(await held!.release()).toBe(true);
    const next = await b.tryAcquireLock('sync');
    expect(next).toBeDefined();
    await next!.release();
  });

  it('lock: what one instance holds is seen from the other (isLockHeld, countHeldLocks counts only its own prefix)', async () => {
    const one = await a.tryAcquireLock('checkouts:1');
    const two = await a.tryAcquireLock('checkouts:2');
    const other = await a.tryAcquireLock('checkoutsArchive:1');
    expect(await b.isLockHeld('checkouts:1')).toBe(true);
    expect(await b.countHeldLocks('checkouts')).toBe(2);
    await one!.release();
    expect(await b.isLockHeld('checkouts:1')).toBe(false);
    expect(await b.countHeldLocks('checkouts')).toBe(1);
    await two!.release();
    await other!.release();
    expect(await b.countHeldLocks('checkouts')).toBe(0);
  });

  it('cache: a write on one instance (delete on write) makes the other instance read fresh data', async () => {
    let row = { id: 1, name: 'Ada' };
    let loads = 0;
    const load = async (): Promise<typeof row> => {
      loads++;
      return { ...row };
    };
    const usersOnA = a.createCache<typeof row>('users', { ttlSeconds: 60 });
    const usersOnB = b.createCache<typeof row>('users', { ttlSeconds: 60 });
    expect(await usersOnA.getOrLoad(1, load)).toEqual({ id: 1, name: 'Ada' });
    expect(await usersOnB.getOrLoad(1, load)).toEqual({ id: 1, name: 'Ada' });
    expect(loads).toBe(1);
    // Instance A handles the rename: update the source, then delete the cached copy.
    row = { id: 1, name: 'Ada Lovelace' };
    expect(await usersOnA.delete(1)).toBe(true);
    expect(await usersOnB.get(1)).toBeUndefined();
    expect(await usersOnB.getOrLoad(1, load)).toEqual({ id: 1, name: 'Ada Lovelace' });
    expect(loads).toBe(2);
    expect(await usersOnA.get(1)).toEqual({ id: 1, name: 'Ada Lovelace' });
  });

  it('cache: set on one instance is read by the other; entries expire; ttl 0 keeps; clear forgets only this cache', async () => {
    const pricesOnA = a.createCache<number>('prices', { ttlSeconds: 1 });
    const pricesOnB = b.createCache<number>('prices');
    await pricesOnA.set('sku-1', 990);
    expect(await pricesOnB.get('sku-1')).toBe(990);
    expect(await pricesOnB.has('sku-1')).toBe(true);
    let value: number | undefined = 990;
    for (let attempt = 0; attempt < 40 && value !== undefined; attempt++) {
      await sleep(100);
      value = await pricesOnB.get('sku-1');
    }
    expect(value).toBeUndefined();
    await pricesOnA.set('sku-2', 5, 0);
    expect(await a.redis().ttl('cache:prices:sku-2')).toBe(-1);
    const other = a.createCache<string>('other');
    await other.set('x', 'kept');
    await pricesOnB.clear();
    expect(await pricesOnA.get('sku-2')).toBeUndefined();
    expect(await other.get('x')).toBe('kept');
    expect(await b.createCache<string>('missing').getOrLoad('k', async () => undefined as unknown as string)).toBeUndefined();
    expect(await a.redis().exists('cache:missing:k')).toBe(0);
  });

  it("cache: a row's Dates, a Map, a Set and a Buffer set on one instance come back as themselves on the other; a value's toJSON still applies", async () => {
    const row = { id: 7, name: 'Ada', joinedAt: new Date('2026-03-01T10:00:00.000Z'), tags: new Set(['a', 'b']), limits: new Map([['daily', 3]]), avatar: Buffer.from([1, 2, 3]), never: new Date(Number.NaN) };
    const model = { secret: 'kept out', toJSON: () => ({ id: 8, seenAt: new Date('2026-03-02T00:00:00.000Z') }) };
    await a.createCache<typeof row>('rows').set(7, row);
    await a.createCache<unknown>('models').set(8, model);
    const read = await b.createCache<typeof row>('rows').get(7);
    expect(read).toEqual({ ...row, never: new Date(Number.NaN) });
    expect(read?.joinedAt).toBeInstanceOf(Date);
    expect(read?.tags).toBeInstanceOf(Set);
    expect(read?.limits.get('daily')).toBe(3);
    expect(Buffer.isBuffer(read?.avatar)).toBe(true);
    expect(Number.isNaN(read?.never.getTime())).toBe(true);
    expect(await b.createCache<unknown>('models').get(8)).toEqual({ id: 8, seenAt: new Date('2026-03-02T00:00:00.000Z') });
    await a.createCache('rows').clear();
    await a.createCache('models').clear();
  });
});
