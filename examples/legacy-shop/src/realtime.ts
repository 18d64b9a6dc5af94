import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';

// quiet: assigned once at start-up (attachRealtime), only read on request paths
let io: Server | undefined;

// Pushes order status changes to the customer's open browser tabs.
export function attachRealtime(httpServer: HttpServer): Server {
  // hazard: no-in-memory-pubsub
  io = new Server(httpServer, { cors: { origin: '*' } });
  io.on('connection', (socket) => {
    socket.on('watch-order', (orderId: unknown) => {
      if (typeof orderId === 'number') void socket.join(`order:${orderId}`);
    });
  });
  return io;
}

// Only reaches sockets connected to THIS process.
export function notifyOrder(orderId: number, status: string): void {
  io?.to(`order:${orderId}`).emit('order-status', { orderId, status });
}
