import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findRedisServer, startRedis } from './services';

// Several instances of a service, each with its own connections, against one real redis-server.
const available = findRedisServer() !== undefined;
if (!available && process.env.CI === 'true') throw new Error('redis-server is missing: CI installs it (apt-get install -y redis-server)');
const suite = available ? describe : describe.skip;

type SchedulerModule = typeof import('../src/scheduler');

/** A fresh copy of the adapter modules, as a second instance of the service loads them. */
async function loadInstance(): Promise<SchedulerModule> {
  vi.resetModules();
  return await import('../src/scheduler');
}

suite('scheduler and leader lock against a real redis-server', () => {
  let stopRedis: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const redis = await startRedis();
    stopRedis = redis.stop;
    url = redis.url;
    process.env.REDIS_URL = url;
    process.env.QUEUE_NAME = `scheduler-test-${process.pid}`;
  });

  afterAll(async () => {
    await stopRedis?.();
  });

  it('job scheduler: two instances register the same schedule, the worker runs one job per tick', async () => {
    const first = await loadInstance();
    const second = await loadInstance();
    const started = Date.now();
    await first.scheduleJob('tick', { every: 400 });
    await second.scheduleJob('tick', { every: 400 });

    const { Queue } = await import('bullmq');
    const inspectConnection = new Redis(url, { maxRetriesPerRequest: null });
    const inspect = new Queue(process.env.QUEUE_NAME!, { connection: inspectConnection });
    const schedulers = await inspect.getJobSchedulers();
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.every])).toEqual([['tick', 400]]);

    const { startWorker } = await import('../src/worker');
    const worker = startWorker();
    const workerConnection = await worker.client;
    const runs: { id: string; result: unknown }[] = [];
    worker.on('completed', (job, result) => runs.push({ id: String(job.id), result }));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const elapsed = Date.now() - started;
    await worker.close();
    workerConnection.disconnect();

    // Two registrations, one schedule: one job per 400 ms tick, give or take the ticks at either end
    // (two setIntervals would give twice as many).
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 1);
    expect(new Set(runs.map((run) => run.id)).size).toBe(runs.length);
    expect(runs.every((run) => run.result === 'tick')).toBe(true);

    await first.unscheduleJob('tick');
    expect(await inspect.getJobSchedulers()).toEqual([]);
    await inspect.obliterate({ force: true });
    await inspect.close();
    await inspectConnection.quit();
    await first.closeScheduler();
    await second.closeScheduler();
    const { closeQueue } = await import('../src/job-queue');
    await closeQueue();
  }, 20_000);

  it('leader lock: two instances tick together, one of them runs the job on every tick; the other takes over when it stops or resigns', async () => {
    const { createLeaderLock } = await import('../src/leader-lock');
    const connections = [new Redis(url), new Redis(url)];
    const a = createLeaderLock('expire-carts', { ttlMs: 300, holder: 'instance-a', connection: connections[0] });
    const b = createLeaderLock('expire-carts', { ttlMs: 300, holder: 'instance-b', connection: connections[1] });
    const runs: string[] = [];

    for (let tick = 0; tick < 10; tick++) {
      await Promise.all([a.run(() => runs.push('a')), b.run(() => runs.push('b'))]);
    }
    expect(runs).toHaveLength(10);
    const leader = runs[0];
    expect(runs.every((holder) => holder === leader)).toBe(true);

    // The leader dies without a word: the lead expires, and the other instance takes it on its next tick.
    const [survivor, survivorName] = leader === 'a' ? [b, 'b'] : [a, 'a'];
    expect(await survivor.run(() => survivorName)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await survivor.run(() => survivorName)).toBe(survivorName);

    // Resigning hands the lead over at once.
    const other = survivor === a ? b : a;
    expect(await other.isLeader()).toBe(false);
    await survivor.resign();
    expect(await other.isLeader()).toBe(true);

    await Promise.all(connections.map((connection) => connection.quit()));
  });

  it('leader lock: a Redis that cannot be reached skips the tick instead of throwing', async () => {
    const { createLeaderLock } = await import('../src/leader-lock');
    const broken = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    broken.on('error', () => undefined);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const lock = createLeaderLock('report', { ttlMs: 1000, connection: broken });
    expect(await lock.run(() => 'ran')).toBeUndefined();
    expect(errors.mock.calls.map((call) => String(call[0]).replace(/\(.*\)$/, '(…)'))).toEqual(['[leader-lock] report: no leader this tick (…)']);
    errors.mockRestore();
    broken.disconnect();
  });
});
