// socket.io-redis 5 (socket.io 2's Redis adapter) ships no types: what the socket-io-v2 adapter uses of it.
declare module 'socket.io-redis' {
  interface RedisAdapterOptions {
    /** Publishes broadcasts (an ioredis or node-redis client). */
    pubClient: unknown;
    /** Subscribes to the other servers' broadcasts (a client of its own, in subscriber mode). */
    subClient: unknown;
    key?: string;
    requestsTimeout?: number;
  }
  /** The adapter class socket.io 2 instantiates per namespace (`{ adapter }` or `io.adapter(…)`). */
  function createRedisAdapter(options: RedisAdapterOptions): new (namespace: unknown) => unknown;
  export = createRedisAdapter;
}
