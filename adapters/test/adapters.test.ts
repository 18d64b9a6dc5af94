import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer, freePort, startRedis } from './services';

// The adapters read their configuration from the environment on first use, as in a user's project.
const available = findRedisServer() !== undefined;
if (!available && process.env.CI === 'true') throw new Error('redis-server is missing: CI installs it (apt-get install -y redis-server)');
const suite = available ? describe : describe.skip;

suite('adapters against a real redis-server and an S3-compatible server (s3rver)', () => {
  let stopRedis: () => Promise<void>;
  let s3: { close(): Promise<void> };
  const bucket = 'stateless-test';
  const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stateless-s3-'));

  beforeAll(async () => {
    const redis = await startRedis();
    stopRedis = redis.stop;
    process.env.REDIS_URL = redis.url;
    process.env.QUEUE_NAME = `test-${process.pid}`;
    const port = await freePort();
    const { default: S3rver } = (await import('s3rver')) as unknown as { default: new (options: object) => { run(): Promise<unknown>; close(): Promise<void> } };
    const server = new S3rver({ port, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: bucket }] });
    await server.run();
    s3 = server;
    Object.assign(process.env, { S3_BUCKET: bucket, S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' });
  });

  afterAll(async () => {
    const { closeRedis } = await import('../src/redis');
    const { closeQueue } = await import('../src/job-queue');
    await closeQueue();
    await closeRedis();
    await s3?.close();
    await stopRedis?.();
    fs.rmSync(s3Dir, { recursive: true, force: true });
  });

  it('session store: set, get, has, delete, and entries expire', async () => {
    const { createSessionStore } = await import('../src/session-store');
    const sessions = createSessionStore<{ userId: number; email: string }>('sessions');
    await sessions.set('t1', { userId: 7, email: 'a@example.test' });
    expect(await sessions.get('t1')).toEqual({ userId: 7, email: 'a@example.test' });
    expect(await sessions.has('t1')).toBe(true);
    expect(await sessions.delete('t1')).toBe(true);
    expect(await sessions.get('t1')).toBeUndefined();
    const shortLived = createSessionStore<string>('short', { ttlSeconds: 1 });
    await shortLived.set(1, 'gone soon');
    let value: string | undefined = 'gone soon';
    for (let attempt = 0; attempt < 40 && value !== undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await shortLived.get(1);
    }
    expect(value).toBeUndefined();
  });

  it('session store: touch renews an entry\'s expiry and only an existing one; size counts the namespace', async () => {
    const { createSessionStore } = await import('../src/session-store');
    const { redis } = await import('../src/redis');
    const idle = createSessionStore<{ user: string }>('idle', { ttlSeconds: 30 });
    await idle.set('a', { user: 'ann' }, 2);
    await idle.set('b', { user: 'bob' });
    expect(await redis().ttl('idle:a')).toBeLessThanOrEqual(2);
    expect(await idle.touch('a')).toBe(true);
    expect(await redis().ttl('idle:a')).toBeGreaterThan(2);
    expect(await idle.get('a')).toEqual({ user: 'ann' });
    expect(await idle.touch('missing')).toBe(false);
    expect(await idle.has('missing')).toBe(false);
    await createSessionStore<string>('idler').set('x', 'another namespace');
    expect(await idle.size()).toBe(2);
    await idle.delete('a');
    expect(await idle.size()).toBe(1);
  });

  it('session store, ordered: values, keys and entries list what any instance set, in the order keys were first set, as a Map iterates', async () => {
    const { Redis } = await import('ioredis');
    const { createSessionStore } = await import('../src/session-store');
    const here = createSessionStore<{ title: string }>('todos', { ordered: true, ttlSeconds: 0 });
    // The same store made by a second instance: everything it lists is in Redis.
    const there = createSessionStore<{ title: string }>('todos', { ordered: true, ttlSeconds: 0 });
    await here.set(2, { title: 'two' });
    await there.set('b', { title: 'bee' });
    await here.set(1, { title: 'one' });
    // Set again, a key keeps its place; deleted and set again, it goes last (as in a Map).
    await there.set(2, { title: 'two, edited' });
    await here.delete('b');
    await there.set('b', { title: 'bee again' });
    expect(await there.entries()).toEqual([
      [2, { title: 'two, edited' }],
      [1, { title: 'one' }],
      ['b', { title: 'bee again' }],
    ]);
    expect(await here.keys()).toEqual([2, 1, 'b']);
    // Records the app lists never expire; touch only says whether the entry is there.
    expect(await here.touch(2)).toBe(true);
    expect(await here.touch('gone')).toBe(false);
    // An entry gone without the store (expired, or deleted by hand) leaves the listing.
    const other = new Redis(process.env.REDIS_URL!);
    expect(await other.ttl('todos:2')).toBe(-1);
    await other.del('todos:1');
    expect(await here.values()).toEqual([{ title: 'two, edited' }, { title: 'bee again' }]);
    expect(await other.zrange('todos#order', 0, -1)).toEqual(['2', 'b']);
    await here.clear();
    expect(await there.entries()).toEqual([]);
    expect(await there.size()).toBe(0);
    await other.quit();
    // A store that was a plain object lists as one: integer keys first, ascending, all keys strings.
    const users = createSessionStore<string>('users', { ordered: 'object', ttlSeconds: 0 });
    await users.set('zoe', 'Zoe');
    await users.set(10, 'ten');
    await users.set('ann', 'Ann');
    await users.set(2, 'two');
    expect(await users.entries()).toEqual([['2', 'two'], ['10', 'ten'], ['zoe', 'Zoe'], ['ann', 'Ann']]);
    await expect(createSessionStore('plain').values()).rejects.toThrow('plain: only a store created with { ordered: true } lists its entries');
  });

  it('session store: append adds to a list in one step, so appends from several instances at once are all kept', async () => {
    const { createSessionStore } = await import('../src/session-store');
    // Two instances' stores over the same namespace, appending to the same key at once.
    const here = createSessionStore<number[]>('hits', { ttlSeconds: 60 });
    const there = createSessionStore<number[]>('hits', { ttlSeconds: 60 });
    const stamps = Array.from({ length: 40 }, (_, index) => 1_733_380_000_000 + index);
    const lengths = await Promise.all(stamps.map((stamp, index) => (index % 2 === 0 ? here : there).append('ann', stamp)));
    expect([...lengths].sort((a, b) => a - b)).toEqual(stamps.map((_, index) => index + 1));
    // Millisecond times come back exact (the list is never decoded in Redis).
    expect([...((await there.get('ann')) ?? [])].sort((a, b) => a - b)).toEqual(stamps);
    // A list set whole (after trimming), then appended to; several items at once; a new key starts a list.
    await here.set('ann', []);
    expect(await there.append('ann', 5, 6)).toBe(2);
    expect(await here.get('ann')).toEqual([5, 6]);
    expect(await here.append('bob', 1)).toBe(1);
    const { redis } = await import('../src/redis');
    expect(await redis().ttl('hits:bob')).toBeGreaterThan(50);
    // What is not a list fails, as push on it would.
    const records = createSessionStore<unknown>('records');
    await records.set('x', { count: 1 });
    await expect(records.append('x', 2)).rejects.toThrow('the value of records:x is not a list');
    // In an ordered store, a key first made by append is listed.
    const logs = createSessionStore<string[]>('logs', { ordered: true, ttlSeconds: 0 });
    await logs.set('a', ['x']);
    await logs.append(7, 'y');
    expect(await logs.entries()).toEqual([['a', ['x']], [7, ['y']]]);
  });

  it('koa-session store: get, set with the session\'s maxAge as the expiry in Redis, destroy', async () => {
    const { redisSessionStore } = await import('../src/koa-session-store');
    const { redis } = await import('../src/redis');
    const store = redisSessionStore();
    const session = { user: { id: 3, username: 'ada' }, _expire: Date.now() + 60_000, _maxAge: 60_000 };
    await store.set('k1', session, 70_000);
    expect(await store.get('k1')).toEqual(session);
    const ttl = await redis().pttl('koa:sess:k1');
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(70_000);
    await store.set('k2', { _session: true }, 'session');
    expect(await redis().pttl('koa:sess:k2')).toBeGreaterThan(23 * 60 * 60 * 1000);
    await store.destroy('k1');
    expect(await store.get('k1')).toBeUndefined();
    await store.set('k3', { n: 1 }, 200);
    let value = await store.get('k3');
    for (let attempt = 0; attempt < 40 && value !== undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await store.get('k3');
    }
    expect(value).toBeUndefined();
  });

  it('counter: two clients incrementing 500 times each in parallel count exactly 1000', async () => {
    const { Redis } = await import('ioredis');
    const { createCounter, createCounterMap } = await import('../src/counter');
    const views = createCounter('views');
    // A second, independent connection plays the second instance.
    const other = new Redis(process.env.REDIS_URL!);
    const script = `local value = redis.call('INCRBY', KEYS[1], ARGV[1]) return value`;
    await Promise.all([
      ...Array.from({ length: 500 }, () => views.increment()),
      ...Array.from({ length: 500 }, () => other.eval(script, 1, 'counter:views', '1')),
    ]);
    await other.quit();
    expect(await views.get()).toBe(1000);
    const perProduct = createCounterMap('product-views');
    expect(await perProduct.get(3)).toBeUndefined();
    expect(await perProduct.increment(3)).toBe(1);
    expect(await perProduct.increment(3, 4)).toBe(5);
    await perProduct.increment('b');
    // A snapshot of every count of this map only (not `product-views-2`), integer keys in order as in an object.
    await createCounterMap('product-views-2').increment(1);
    expect(await perProduct.all()).toEqual({ 3: 5, b: 1 });
    expect(Object.keys(await perProduct.all())).toEqual(['3', 'b']);
    // clear() forgets this map's counts only.
    await perProduct.clear();
    expect(await perProduct.all()).toEqual({});
    expect(await perProduct.get(3)).toBeUndefined();
    expect(await createCounterMap('product-views-2').get(1)).toBe(1);
    // A rate window's end: its first increment starts it, the next ones leave it where it is.
    const attempts = createCounterMap('attempts', { ttlSeconds: 60 });
    const before = Date.now();
    await attempts.increment('1.2.3.4');
    const end = await attempts.expiresAt('1.2.3.4');
    expect(end).toBeGreaterThan(before + 58_000);
    expect(end).toBeLessThanOrEqual(Date.now() + 60_000);
    await attempts.increment('1.2.3.4');
    expect(Math.abs((await attempts.expiresAt('1.2.3.4')) - end)).toBeLessThan(1_000);
    const window = createCounter('window', { ttlSeconds: 1 });
    await window.increment();
    let count = 1;
    for (let attempt = 0; attempt < 40 && count !== 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      count = await window.get();
    }
    expect(count).toBe(0);
  });

  it('throttler storage: two storages (two instances) count one limit per key, block past it for the block duration, and the window expires', async () => {
    const { RedisThrottlerStorage } = await import('../src/throttler-storage');
    const [one, two] = [new RedisThrottlerStorage(`throttler-test-${process.pid}`), new RedisThrottlerStorage(`throttler-test-${process.pid}`)];
    const hits = [];
    for (const storage of [one, two, one]) hits.push(await storage.increment('127.0.0.1:auditions', 60_000, 3, 60_000, 'default'));
    expect(hits.map((hit) => [hit.totalHits, hit.isBlocked])).toEqual([[1, false], [2, false], [3, false]]);
    expect(hits[0].timeToExpire).toBe(60);
    const fourth = await two.increment('127.0.0.1:auditions', 60_000, 3, 60_000, 'default');
    expect([fourth.totalHits, fourth.isBlocked, fourth.timeToBlockExpire]).toEqual([4, true, 60]);
    // Blocked: not counted further, still blocked on the other instance.
    expect(await one.increment('127.0.0.1:auditions', 60_000, 3, 60_000, 'default')).toMatchObject({ totalHits: 4, isBlocked: true });
    // Another key, another throttler: counted apart. @nestjs/throttler 5 passes only key and ttl: never blocked by the storage.
    expect(await one.increment('127.0.0.1:auditions', 60_000, 3, 60_000, 'long')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await one.increment('v5-key', 60_000)).toMatchObject({ totalHits: 1, isBlocked: false });
    // A short window and block run out.
    await two.increment('short', 50, 1, 50, 'default');
    expect(await two.increment('short', 50, 1, 50, 'default')).toMatchObject({ isBlocked: true });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await one.increment('short', 50, 1, 50, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('value: the initial value until one client sets it, then what the last set stored, on every client', async () => {
    const { Redis } = await import('ioredis');
    const { createValue } = await import('../src/value');
    const maintenance = createValue('maintenance', false);
    const settings = createValue<{ theme: string; banner?: string } | undefined>('settings', { theme: 'light' });
    // A second, independent connection plays the second instance.
    const other = new Redis(process.env.REDIS_URL!);
    expect(await maintenance.get()).toBe(false);
    // Each read of the initial value is a fresh copy: changing one changes no other.
    const first = await settings.get();
    first!.theme = 'changed here only';
    expect(await settings.get()).toEqual({ theme: 'light' });
    await maintenance.set(true);
    expect(JSON.parse((await other.get('value:maintenance'))!)).toEqual({ value: true });
    await other.set('value:settings', JSON.stringify({ value: { theme: 'dark', banner: 'hi' } }));
    expect(await settings.get()).toEqual({ theme: 'dark', banner: 'hi' });
    // undefined is a value too, not "never set".
    await settings.set(undefined);
    expect(await settings.get()).toBeUndefined();
    await other.quit();
  });

  it('list as a data store: an entry changed after all() is written back where it now is, filtered, replaced and removed by index; a change made meanwhile elsewhere fails the write-back', async () => {
    const { Redis } = await import('ioredis');
    const { createList } = await import('../src/list');
    const todos = createList<{ id: number; title: string; done: boolean }>('todos');
    const other = new Redis(process.env.REDIS_URL!);
    await todos.push({ id: 1, title: 'one', done: false }, { id: 2, title: 'two', done: false }, { id: 3, title: 'three', done: false });
    const two = (await todos.all()).find((todo) => todo.id === 2)!;
    // Another instance adds in front meanwhile: the entry is found where it now is.
    await other.lpush('list:todos', JSON.stringify({ id: 0, title: 'zero', done: false }));
    two.done = true;
    await todos.update(two);
    two.title = 'two, again';
    await todos.update(two);
    expect((await other.lrange('list:todos', 0, -1)).map((raw) => JSON.parse(raw).title)).toEqual(['zero', 'one', 'two, again', 'three']);
    // Changed elsewhere since it was read: the write-back fails rather than undo that change.
    const three = (await todos.all()).find((todo) => todo.id === 3)!;
    await other.lset('list:todos', 3, JSON.stringify({ id: 3, title: 'three, elsewhere', done: true }));
    three.title = 'lost?';
    await expect(todos.update(three)).rejects.toThrow('list:todos: the entry was changed or removed by another request since it was read');
    await expect(todos.update({ id: 9, title: 'never read', done: false })).rejects.toThrow('list:todos: update() takes an entry read with all()');
    await todos.keepWhere((todo) => todo.id !== 0);
    await todos.setAt(0, { id: 1, title: 'one, replaced', done: false });
    // Two equal entries: removing by index removes that one only.
    await todos.push({ id: 1, title: 'one, replaced', done: false });
    // What it removed comes back as splice gives it: `const [todo] = todos.splice(i, 1)`.
    expect(await todos.removeAt(0)).toEqual([{ id: 1, title: 'one, replaced', done: false }]);
    expect(await todos.all()).toEqual([
      { id: 2, title: 'two, again', done: true },
      { id: 3, title: 'three, elsewhere', done: true },
      { id: 1, title: 'one, replaced', done: false },
    ]);
    expect(await todos.removeAt(7)).toEqual([]);
    expect(await todos.size()).toBe(3);
    // Code that only has the entry (a function returned it) saves it to the list it came from.
    const { saveEntry } = await import('../src/list');
    const found = (await todos.all()).find((todo) => todo.id === 2)!;
    found.done = false;
    await saveEntry(found);
    expect((await todos.all()).find((todo) => todo.id === 2)).toEqual({ id: 2, title: 'two, again', done: false });
    await expect(saveEntry({ id: 5 })).rejects.toThrow('saveEntry() takes an entry read from a shared list');
    await other.quit();
  });

  it('list with initial entries: pushed once, by whichever instance comes first; emptied later, it stays empty', async () => {
    const { createList } = await import('../src/list');
    const seed = [{ id: 1, title: 'Read the docs' }, { id: 2, title: 'Try it' }];
    // Three instances start at once, each with the same initial entries.
    const instances = [createList('seeded', { initial: seed }), createList('seeded', { initial: seed }), createList('seeded', { initial: seed })];
    const sizes = await Promise.all(instances.map((list) => list.size()));
    expect(sizes).toEqual([2, 2, 2]);
    await instances[1].push({ id: 3, title: 'Ship it' });
    expect(await instances[2].all()).toEqual([...seed, { id: 3, title: 'Ship it' }]);
    await instances[0].clear();
    // A restarted instance does not seed again.
    expect(await createList('seeded', { initial: seed }).all()).toEqual([]);
  });

  it('list: two clients pushing in parallel and capping at 50 leave the last 50 of both, in order, seen by each', async () => {
    const { Redis } = await import('ioredis');
    const { createList } = await import('../src/list');
    const recent = createList<{ id: number; from: string }>('recent');
    // A second, independent connection plays the second instance.
    const other = new Redis(process.env.REDIS_URL!);
    // Each instance pushes 30 entries one after another, both at once, each capping the list after its push.
    const pushA = async (): Promise<void> => {
      for (let id = 0; id < 30; id++) {
        await recent.push({ id, from: 'a' });
        await recent.keepLast(50);
      }
    };
    const pushB = async (): Promise<void> => {
      for (let id = 0; id < 30; id++) {
        await other.rpush('list:recent', JSON.stringify({ id, from: 'b' }));
        await other.ltrim('list:recent', -50, -1);
      }
    };
    await Promise.all([pushA(), pushB()]);
    const seen = await recent.all();
    expect((await other.lrange('list:recent', 0, -1)).map((raw) => JSON.parse(raw))).toEqual(seen);
    await other.quit();
    // The 50 kept are the last ones: each instance's last entry is there, each in the order it was pushed.
    for (const from of ['a', 'b']) {
      const ids = seen.filter((entry) => entry.from === from).map((entry) => entry.id);
      expect(ids.at(-1)).toBe(29);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => 30 - ids.length + index));
    }
    expect(await recent.size()).toBe(50);
    // unshift keeps the order given, as an array's does; shift and pop take from either end.
    const log = createList<string>('log');
    expect(await log.push('c')).toBe(1);
    expect(await log.unshift('a', 'b')).toBe(3);
    expect(await log.all()).toEqual(['a', 'b', 'c']);
    expect(await log.shift()).toBe('a');
    expect(await log.pop()).toBe('c');
    expect(await log.pop()).toBe('b');
    expect(await log.pop()).toBeUndefined();
    await log.push('1', '2', '3', '4');
    await log.keepFirst(3);
    expect(await log.all()).toEqual(['1', '2', '3']);
    await log.keepLast(0);
    expect(await log.size()).toBe(0);
    await log.push('x');
    await log.clear();
    expect(await log.all()).toEqual([]);
  });
  it('object store: round trip, streams, files by local path, sendFile, and rejected keys', async () => {
    const { objectStore, objectKey, objectStorage } = await import('../src/object-store');
    await objectStore.put('reports/a.txt', 'hello');
    expect((await objectStore.get('reports/a.txt'))?.toString()).toBe('hello');
    await objectStore.upload('big/b.bin', Readable.from([Buffer.alloc(1024, 1), Buffer.alloc(1024, 2)]));
    expect((await objectStore.get('big/b.bin'))?.length).toBe(2048);
    await objectStore.delete('reports/a.txt');
    expect(await objectStore.get('reports/a.txt')).toBeUndefined();
    await objectStore.putFile('invoices/invoice-1.pdf', Buffer.from('%PDF'));
    expect((await objectStore.getFile(path.resolve('invoices/invoice-1.pdf'))).toString()).toBe('%PDF');
    await expect(objectStore.getFile('invoices/missing.pdf')).rejects.toMatchObject({ code: 'ENOENT' });
    for (const bad of ['../etc/passwd', 'a/../../b', '/abs', 'a//b', 'a/./b', 'a\\b', '']) await expect(objectStore.put(bad, 'x')).rejects.toThrow(`invalid object key: ${JSON.stringify(bad)}`);
    // A local path outside the working directory still maps to a key without `..`.
    expect(objectKey('/var/data/x.txt')).toBe('var/data/x.txt');
    // sendFile streams to a response, and reports a missing object to the callback
    const chunks: Buffer[] = [];
    const headers: Record<string, string> = {};
    const response = Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) }), { setHeader: (name: string, value: string) => (headers[name] = value), writeHead: () => response });
    await new Promise<void>((resolve, reject) => objectStore.sendFile(response as never, 'invoices/invoice-1.pdf', (error) => (error ? reject(error) : resolve())));
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(chunks).toString()).toBe('%PDF');
    expect(headers['Content-Type']).toBe('application/pdf');
    const error = await new Promise<Error | undefined>((resolve) => objectStore.sendFile(response as never, 'invoices/none.pdf', resolve));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    // sendFile with express's root option: the path is inside the root, or refused with 403
    const rooted = Object.assign(new Writable({ write: (_chunk: Buffer, _encoding, done) => done() }), { setHeader: () => rooted, writeHead: () => rooted });
    await new Promise<void>((resolve, reject) => objectStore.sendFile(rooted as never, 'invoice-1.pdf', { root: 'invoices' }, (failure) => (failure ? reject(failure) : resolve())));
    const forbidden = await new Promise<Error | undefined>((resolve) => objectStore.sendFile(rooted as never, '../reports/a.txt', { root: 'invoices' }, resolve));
    expect(forbidden).toMatchObject({ status: 403 });
    // express.static's and @fastify/static's counterparts serve <root>/<path>; missing falls through / is a 404
    const { serveStatic, fastifyObjectStatic } = await import('../src/object-store');
    const served: Buffer[] = [];
    const staticResponse = Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => (served.push(chunk), done()) }), { headersSent: false, setHeader: () => staticResponse, writeHead: () => staticResponse });
    const fellThrough = await new Promise<unknown>((resolve) => serveStatic('invoices')({ method: 'GET', url: '/none.pdf' }, staticResponse as never, resolve));
    expect(fellThrough).toBeUndefined();
    await new Promise<void>((resolve) => {
      staticResponse.on('finish', () => resolve());
      serveStatic('invoices')({ method: 'GET', url: '/invoice-1.pdf?v=1' }, staticResponse as never, () => resolve());
    });
    expect(Buffer.concat(served).toString()).toBe('%PDF');
    let route = '';
    let handler: ((request: { params: Record<string, string> }, reply: unknown) => void) | undefined;
    await fastifyObjectStatic({ get: (url: string, handle: typeof handler) => ((route = url), (handler = handle)) }, { root: 'invoices', prefix: '/files/' });
    expect(route).toBe('/files/*');
    const status = await new Promise<number>((resolve) => {
      const raw = { headersSent: false, writeHead: (code: number) => ({ end: () => resolve(code) }) };
      handler!({ params: { '*': 'none.pdf' } }, { hijack: () => undefined, raw });
    });
    expect(status).toBe(404);
    // With the app's plugin as `local`, the route sends through reply.sendFile: the store's object, else the disk's.
    let localRoute = '';
    let localHandler: ((request: { params: Record<string, string> }, reply: unknown) => unknown) | undefined;
    const localRegistered: unknown[] = [];
    const localHooks: ((request: unknown, reply: unknown, done: () => void) => void)[] = [];
    const appPlugin = () => undefined;
    await fastifyObjectStatic(
      { register: (plugin: unknown, opts: unknown) => localRegistered.push(plugin, opts), addHook: (_name: string, hook: (typeof localHooks)[number]) => localHooks.push(hook), get: (url: string, handle: typeof localHandler) => ((localRoute = url), (localHandler = handle)) },
      { root: 'invoices', prefix: '/files/', local: appPlugin },
    );
    expect([localRoute, localRegistered, localHooks.length]).toEqual(['/files/*', [appPlugin, { root: 'invoices', serve: false }], 1]);
    const routed: unknown[] = [];
    localHandler!({ params: { '*': 'site.css' } }, { sendFile: (name: string) => routed.push(name), callNotFound: () => routed.push('404') });
    localHandler!({ params: { '*': '' } }, { sendFile: (name: string) => routed.push(name), callNotFound: () => routed.push('404') });
    expect(routed).toEqual(['site.css', '404']);
    // With `serve: false` no route: reply.sendFile(name) streams <root>/<name> from the store (the type
    // the handler set kept), the app's own plugin (`local`, registered with serve: false) sends what the store lacks.
    const hooks: ((request: unknown, reply: unknown, done: () => void) => void)[] = [];
    const registered: unknown[] = [];
    const localPlugin = () => undefined;
    await fastifyObjectStatic({ register: (plugin: unknown, opts: unknown) => registered.push(plugin, opts), addHook: (_name: string, hook: (typeof hooks)[number]) => hooks.push(hook), get: () => expect.unreachable('no route with serve: false') }, { root: 'invoices', serve: false, local: localPlugin });
    expect(registered).toEqual([localPlugin, { root: 'invoices', serve: false }]);
    const replyOf = (headers: Record<string, string>) => {
      const sent = { body: undefined as unknown, status: 200, fromDisk: undefined as unknown[] | undefined, notFound: false };
      const reply = {
        sent,
        sendFile: (...args: unknown[]) => void (sent.fromDisk = args),
        hasHeader: (name: string) => name in headers,
        type: (value: string) => void (headers['content-type'] = value),
        code: (code: number) => ((sent.status = code), reply),
        send: (body: unknown) => void (sent.body = body),
        callNotFound: () => void (sent.notFound = true),
      };
      hooks[0]({}, reply, () => undefined);
      return reply;
    };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
    const typed: Record<string, string> = { 'content-type': 'application/x-score' };
    const found = replyOf(typed);
    found.sendFile('invoice-1.pdf');
    await settle();
    const sentBody: Buffer[] = [];
    for await (const chunk of found.sent.body as Readable) sentBody.push(chunk as Buffer);
    expect([Buffer.concat(sentBody).toString(), typed['content-type']]).toEqual(['%PDF', 'application/x-score']);
    const onDisk = replyOf({});
    onDisk.sendFile('logo.png');
    await settle();
    expect(onDisk.sent.fromDisk).toEqual(['logo.png']);
    const leaving = replyOf({});
    leaving.sendFile('../reports/a.txt');
    expect(leaving.sent.status).toBe(403);
    // koa-static's counterpart: a found object is the body, a missing one (or a path leaving the root) goes on to next()
    const { koaServe } = await import('../src/object-store');
    const headersSet: Record<string, string> = {};
    const ctx = { method: 'GET', path: '/invoice-1.pdf', body: undefined as unknown, type: '', set: (name: string, value: string) => (headersSet[name] = value) };
    let nextCalls = 0;
    const next = async () => void nextCalls++;
    await koaServe('invoices', { maxage: 3600000 })(ctx, next);
    expect(ctx.type).toBe('.pdf');
    expect(headersSet['Cache-Control']).toBe('max-age=3600');
    const body: Buffer[] = [];
    for await (const chunk of ctx.body as Readable) body.push(chunk as Buffer);
    expect(Buffer.concat(body).toString()).toBe('%PDF');
    await koaServe('invoices')({ ...ctx, path: '/none.pdf' }, next);
    await koaServe('invoices')({ ...ctx, path: '/../reports/a.txt' }, next);
    expect(nextCalls).toBe(2);
    // With the app's own koa-static first: what it serves from the disk is served so; what it passes on, the store answers.
    const local = async (localCtx: typeof ctx, localNext: () => Promise<unknown>) => {
      if (localCtx.path === '/site.css') localCtx.body = 'body{}';
      else await localNext();
    };
    const shipped = { ...ctx, path: '/site.css', body: undefined as unknown };
    await koaServe('invoices', {}, local)(shipped, next);
    expect(shipped.body).toBe('body{}');
    const uploaded = { ...ctx, body: undefined as unknown };
    await koaServe('invoices', {}, local)(uploaded, next);
    expect(uploaded.type).toBe('.pdf');
    const missing = { ...ctx, path: '/none.pdf', body: undefined as unknown };
    await koaServe('invoices', {}, local)(missing, next);
    expect([missing.body, nextCalls]).toEqual([undefined, 3]);
    // koa-send's counterpart: a found object is the body (koa-send's Cache-Control unless one is set); a missing one,
    // or a name leaving the root, goes to koa-send itself (a file the app ships, its 404)
    const { koaSend } = await import('../src/object-store');
    const sentFromDisk: unknown[][] = [];
    const koaSendLocal = async (...args: unknown[]) => (sentFromDisk.push(args.slice(1)), 'from disk');
    const sending = { ...ctx, body: undefined as unknown, response: { get: (name: string) => headersSet[name] ?? '' } };
    delete headersSet['Cache-Control'];
    expect(await koaSend(sending, 'invoice-1.pdf', { root: 'invoices', maxage: 60000 }, koaSendLocal)).toBe(path.resolve('invoices', 'invoice-1.pdf'));
    expect([sending.type, headersSet['Cache-Control']]).toEqual(['.pdf', 'max-age=60']);
    const koaSent: Buffer[] = [];
    for await (const chunk of sending.body as Readable) koaSent.push(chunk as Buffer);
    expect(Buffer.concat(koaSent).toString()).toBe('%PDF');
    expect(await koaSend({ ...sending }, 'none.pdf', { root: 'invoices' }, koaSendLocal)).toBe('from disk');
    expect(await koaSend({ ...sending }, '../reports/a.txt', { root: 'invoices' }, koaSendLocal)).toBe('from disk');
    expect(sentFromDisk).toEqual([['none.pdf', { root: 'invoices' }], ['../reports/a.txt', { root: 'invoices' }]]);
    // inert's h.file counterpart: the object under the route's files.relativeTo with inert's disposition; a missing
    // object, or a name leaving the folder, goes to inert's own h.file (a file the app ships, its 404 or 403)
    const { hapiFile } = await import('../src/object-store');
    const fromDisk: unknown[][] = [];
    const hapiResponse = {
      source: undefined as unknown,
      contentType: '',
      headers: {} as Record<string, string>,
      type(value: string) {
        this.contentType = value;
        return this;
      },
      header(name: string, value: string) {
        this.headers[name] = value;
        return this;
      },
    };
    const toolkit = {
      request: { route: { settings: { files: { relativeTo: 'invoices' } } } },
      response: (source: unknown) => ((hapiResponse.source = source), hapiResponse),
      file: (...args: unknown[]) => (fromDisk.push(args), 'from disk'),
    };
    expect(await hapiFile(toolkit, 'invoice-1.pdf', { mode: 'attachment', filename: 'copy 1.pdf' })).toBe(hapiResponse);
    expect([hapiResponse.contentType, hapiResponse.headers]).toEqual(['application/pdf', { 'content-disposition': 'attachment; filename=copy%201.pdf' }]);
    const fromStore: Buffer[] = [];
    for await (const chunk of hapiResponse.source as Readable) fromStore.push(chunk as Buffer);
    expect(Buffer.concat(fromStore).toString()).toBe('%PDF');
    expect(await hapiFile(toolkit, 'none.pdf')).toBe('from disk');
    expect(await hapiFile(toolkit, '../reports/a.txt', { mode: 'inline' })).toBe('from disk');
    expect(fromDisk).toEqual([['none.pdf', {}], ['../reports/a.txt', { mode: 'inline' }]]);
    // confine: false reads any path, resolved against relativeTo (an absolute one as it is)
    expect(await hapiFile(toolkit, path.resolve('invoices/invoice-1.pdf'), { confine: false })).toBe(hapiResponse);
    expect(await hapiFile(toolkit, '../invoices/invoice-1.pdf', { confine: '..' })).toBe(hapiResponse);
    expect(fromDisk).toHaveLength(2);
    // download: the same stream, as an attachment
    chunks.length = 0;
    const second = Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) }), { setHeader: (name: string, value: string) => (headers[name] = value), writeHead: () => second });
    await new Promise<void>((resolve, reject) => objectStore.download(second as never, 'invoices/invoice-1.pdf', 'copy "1".pdf', (failure) => (failure ? reject(failure) : resolve())));
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(chunks).toString()).toBe('%PDF');
    expect(headers['Content-Disposition']).toBe('attachment; filename="copy _1_.pdf"');
    const missingDownload = await new Promise<Error | undefined>((resolve) => objectStore.download(second as never, 'invoices/none.pdf', resolve));
    expect((missingDownload as NodeJS.ErrnoException).code).toBe('ENOENT');
    // the multer engine stores an upload under destination/filename and reports the key as the path
    const engine = objectStorage({ destination: 'uploads/' });
    const info = await new Promise<{ filename: string; path: string; size: number }>((resolve, reject) =>
      engine._handleFile({}, { fieldname: 'file', originalname: 'a.txt', encoding: '7bit', mimetype: 'text/plain', stream: Readable.from([Buffer.from('upload body')]) }, (failure, result) => (failure ? reject(failure as Error) : resolve(result!))),
    );
    expect(info.filename).toMatch(/^[a-f0-9]{32}$/);
    expect(info.path).toBe(`uploads/${info.filename}`);
    expect(info.size).toBe(11);
    expect((await objectStore.getFile(path.join('uploads', info.filename))).toString()).toBe('upload body');
    // the fs counterparts a moved folder's other uses become: stat, rename (the multer key as the source), copy, streams
    expect(await objectStore.stat(info.path)).toMatchObject({ size: 11 });
    await expect(objectStore.stat('uploads/none')).rejects.toMatchObject({ code: 'ENOENT' });
    await objectStore.rename(info.path, path.resolve('covers/1.txt'));
    await expect(objectStore.stat(info.path)).rejects.toMatchObject({ code: 'ENOENT' });
    await objectStore.copyFile('covers/1.txt', 'covers/2.txt');
    expect((await objectStore.getFile('covers/2.txt')).toString()).toBe('upload body');
    await expect(objectStore.rename('covers/none.txt', 'covers/3.txt')).rejects.toMatchObject({ code: 'ENOENT' });
    const read: Buffer[] = [];
    for await (const chunk of objectStore.createReadStream('covers/1.txt')) read.push(chunk as Buffer);
    expect(Buffer.concat(read).toString()).toBe('upload body');
    await expect(async () => {
      for await (const chunk of objectStore.createReadStream('covers/none.txt')) read.push(chunk as Buffer);
    }).rejects.toMatchObject({ code: 'ENOENT' });
    const writable = objectStore.createWriteStream('reports/streamed.txt');
    const finished = new Promise((resolve, reject) => writable.on('finish', resolve).on('error', reject));
    Readable.from([Buffer.from('part one, '), Buffer.from('part two')]).pipe(writable);
    await finished;
    // 'finish' means stored: the object is readable at once
    expect((await objectStore.getFile('reports/streamed.txt')).toString()).toBe('part one, part two');
  });

  it('job queue: an enqueued job runs on the worker with its Buffer and Date arguments intact', async () => {
    const { enqueueJob } = await import('../src/job-queue');
    const { startWorker } = await import('../src/worker');
    const worker = startWorker();
    const done = new Promise<unknown>((resolve, reject) => {
      worker.on('completed', (_job, result) => resolve(result));
      worker.on('failed', (_job, error) => reject(error));
    });
    const { id } = await enqueueJob('echo', ['hello', new Date('2026-01-02T03:04:05.000Z'), Buffer.alloc(5)]);
    expect(id).toMatch(/^\d+$/);
    expect(await done).toBe('hello 2026-01-02T03:04:05.000Z 5');
    await worker.close();
  });
});
