import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer, startRedis } from './services';

// Several instances at once: each channel object has its own subscriber connection, as each
// instance of a service would; the socket.io case runs two servers with a client on each.
const available = findRedisServer() !== undefined;
if (!available && process.env.CI === 'true') throw new Error('redis-server is missing: CI installs it (apt-get install -y redis-server)');
const suite = available ? describe : describe.skip;

/** Resolves with the first `count` payloads a listener hears, or rejects after a timeout. */
function collect<T>(subscribe: (listener: (payload: T) => void) => void, count: number, timeoutMs = 5000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const heard: T[] = [];
    const timer = setTimeout(() => reject(new Error(`heard ${heard.length} of ${count}: ${JSON.stringify(heard)}`)), timeoutMs);
    subscribe((payload) => {
      heard.push(payload);
      if (heard.length === count) {
        clearTimeout(timer);
        resolve(heard);
      }
    });
  });
}

suite('pub/sub and the socket.io adapter against a real redis-server', () => {
  let stopRedis: () => Promise<void>;

  beforeAll(async () => {
    const redis = await startRedis();
    stopRedis = redis.stop;
    process.env.REDIS_URL = redis.url;
  });

  afterAll(async () => {
    const { closeRedis } = await import('../src/redis');
    await closeRedis();
    await stopRedis?.();
  });

  it('two subscribers on two connections both get the message, as JSON, and emit counts them', async () => {
    const { createPubSub } = await import('../src/pubsub');
    type Events = { message: { text: string; at: number; tags: string[] } };
    const instanceA = createPubSub<Events>('chat');
    const instanceB = createPubSub<Events>('chat');
    const heardByA = collect<Events['message']>((listener) => instanceA.on('message', listener), 1);
    const heardByB = collect<Events['message']>((listener) => instanceB.on('message', listener), 1);
    await Promise.all([instanceA.ready(), instanceB.ready()]);
    const payload = { text: 'hello', at: 1_700_000_000_000, tags: ['a', 'b'] };
    expect(await instanceB.emit('message', payload)).toBe(2);
    expect(await heardByA).toEqual([payload]);
    expect(await heardByB).toEqual([payload]);
    await Promise.all([instanceA.close(), instanceB.close()]);
  });

  it('many subscribers at once: ten channel objects each hear all 20 messages, in order', async () => {
    const { createPubSub } = await import('../src/pubsub');
    const instances = Array.from({ length: 10 }, () => createPubSub<{ tick: number }>('ticks'));
    const heard = instances.map((instance) => collect<number>((listener) => instance.on('tick', listener), 20));
    await Promise.all(instances.map((instance) => instance.ready()));
    for (let n = 1; n <= 20; n++) await instances[n % 10].emit('tick', n);
    const expected = Array.from({ length: 20 }, (_, index) => index + 1);
    for (const list of await Promise.all(heard)) expect(list).toEqual(expected);
    await Promise.all(instances.map((instance) => instance.close()));
  });

  it('once, off, listenerCount, and events and channels that do not cross', async () => {
    const { createPubSub } = await import('../src/pubsub');
    const orders = createPubSub<{ updated: { id: number }; deleted: { id: number } }>('orders');
    const other = createPubSub<{ updated: { id: number } }>('invoices');
    const onceHeard: number[] = [];
    const updates: number[] = [];
    const deletes: number[] = [];
    const invoices: number[] = [];
    const onUpdate = (order: { id: number }) => updates.push(order.id);
    orders.once('updated', (order) => onceHeard.push(order.id));
    orders.on('updated', onUpdate);
    orders.on('deleted', (order) => deletes.push(order.id));
    other.on('updated', (invoice) => invoices.push(invoice.id));
    // Code written for an EventEmitter raises its limit; here nothing is limited, and the channel chains on.
    expect(orders.setMaxListeners(100)).toBe(orders);
    expect(orders.listenerCount('updated')).toBe(2);
    await Promise.all([orders.ready(), other.ready()]);
    const lastUpdate = collect<{ id: number }>((listener) => orders.on('updated', listener), 2);
    await orders.emit('updated', { id: 1 });
    await orders.emit('updated', { id: 2 });
    await lastUpdate;
    expect(onceHeard).toEqual([1]);
    expect(updates).toEqual([1, 2]);
    orders.off('updated', onUpdate);
    const deleted = collect<{ id: number }>((listener) => orders.on('deleted', listener), 1);
    await orders.emit('deleted', { id: 3 });
    await deleted;
    expect(deletes).toEqual([3]);
    expect(updates).toEqual([1, 2]);
    expect(invoices).toEqual([]);
    orders.removeAllListeners();
    expect(orders.listenerCount('deleted')).toBe(0);
    await orders.ready();
    expect(await orders.emit('deleted', { id: 4 })).toBe(0);
    await Promise.all([orders.close(), other.close()]);
  });

  it('socket.io: two servers on the redis adapter, a client on each; a broadcast from one reaches both', async () => {
    const { Server } = await import('socket.io');
    const { io: connect } = await import('socket.io-client');
    const { closeRedisAdapters, redisAdapter } = await import('../src/socket-io');
    const servers: { http: HttpServer; io: InstanceType<typeof Server> }[] = [];
    for (let index = 0; index < 2; index++) {
      const http = createServer();
      const io = new Server(http, { adapter: redisAdapter() });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      servers.push({ http, io });
    }
    const clients = servers.map(({ http }) => connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], forceNew: true }));
    await Promise.all(clients.map((client) => new Promise<void>((resolve) => client.on('connect', () => resolve()))));
    const heard = clients.map((client) => collect<string>((listener) => client.on('announcement', listener), 1));
    // The adapters subscribe asynchronously: wait until server 0 sees both servers' sockets.
    for (let attempt = 0; attempt < 50 && (await servers[0].io.fetchSockets()).length < 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await servers[0].io.fetchSockets()).length).toBe(2);
    servers[0].io.emit('announcement', 'from server 0');
    expect(await Promise.all(heard)).toEqual([['from server 0'], ['from server 0']]);
    for (const client of clients) client.close();
    await Promise.all(servers.map(({ io }) => new Promise<void>((resolve) => void io.close(() => resolve()))));
    await closeRedisAdapters();
  });

  // socket.io 2's line (a legacy app's): its rooms are socket.io-adapter 1.x's, which socket.io-redis 5 extends.
  it('socket.io 2: two servers on the socket-io-v2 adapter (socket.io-redis 5), a client on each; a broadcast from one reaches both', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- socket.io 2 and its client ship no ES module entry
    const createIo = require('socket.io-v2') as (server: HttpServer, options: { adapter: unknown }) => { emit(event: string, payload: string): void; of(name: string): { adapter: { allRooms(done: (error: unknown, rooms: string[]) => void): void } }; close(done?: () => void): void };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const connect = require('socket.io-client-v2') as (url: string, options: object) => { on(event: string, listener: (payload: string) => void): void; close(): void };
    const { closeRedisAdapters, redisAdapter } = await import('../src/socket-io-v2');
    const servers: { http: HttpServer; io: ReturnType<typeof createIo> }[] = [];
    for (let index = 0; index < 2; index++) {
      const http = createServer();
      const io = createIo(http, { adapter: redisAdapter() });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      servers.push({ http, io });
    }
    const clients = servers.map(({ http }) => connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], forceNew: true }));
    await Promise.all(clients.map((client) => new Promise<void>((resolve) => client.on('connect', () => resolve()))));
    // socket.io-redis subscribes asynchronously, broadcasts by pattern: wait until both servers' subscriber
    // connections hold their pattern, then until server 0 sees both servers' rooms (each socket's own).
    const { redis } = await import('../src/redis');
    const patternHolders = async () => String(await redis().client('LIST')).split('\n').filter((line) => / psub=[1-9]/.test(line)).length;
    for (let attempt = 0; attempt < 50 && (await patternHolders()) < 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    const rooms = () => new Promise<string[]>((resolve, reject) => servers[0].io.of('/').adapter.allRooms((error, found) => (error ? reject(error) : resolve(found))));
    for (let attempt = 0; attempt < 50 && (await rooms()).length < 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await rooms()).length).toBe(2);
    const heard = clients.map((client) => collect<string>((listener) => client.on('announcement', listener), 1));
    servers[0].io.emit('announcement', 'from server 0');
    expect(await Promise.all(heard)).toEqual([['from server 0'], ['from server 0']]);
    for (const client of clients) client.close();
    await Promise.all(servers.map(({ io }) => new Promise<void>((resolve) => void io.close(() => resolve()))));
    await closeRedisAdapters();
  });
});
