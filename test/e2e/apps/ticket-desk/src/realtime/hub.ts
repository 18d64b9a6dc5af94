import type { Server } from 'http';
import { WebSocket, WebSocketServer } from 'ws';

let wss: WebSocketServer | undefined;

/** Agents' browsers keep a socket open on /live and redraw the queue on every update. */
export function attachLiveUpdates(server: Server): void {
  wss = new WebSocketServer({ server, path: '/live' });
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'hello' }));
  });
}

export function broadcast(type: string, payload: unknown): void {
  if (!wss) return;
  const message = JSON.stringify({ type, payload, at: new Date().toISOString() });
  wss.clients.forEach((client) => {
    if (client.readyState === WebSocket.OPEN) client.send(message);
  });
}
