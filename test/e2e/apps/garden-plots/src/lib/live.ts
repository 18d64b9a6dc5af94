import type { Server } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

let wss: WebSocketServer | undefined;

export function attachLive(server: Server): void {
  wss = new WebSocketServer({ server, path: '/live' });
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'hello' }));
  });
}

export function broadcast(event: Record<string, unknown>): void {
  if (!wss) return;
  const message = JSON.stringify(event);
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN) client.send(message);
  }
}
