import type { Server as HttpServer } from 'http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import { redis } from '../lib/redis';

let io: Server | undefined;

export function attachRealtime(server: HttpServer): Server {
  io = new Server(server, { path: '/live' });
  // The adapter was the first step of running more than one instance: events reach every instance's sockets.
  io.adapter(createAdapter(redis, redis.duplicate()));
  io.on('connection', (socket) => {
    socket.emit('hello', { shop: 'Second Spin' });
  });
  return io;
}

export function announceStock(recordId: number, stock: number): void {
  io?.emit('stock', { recordId, stock });
}
