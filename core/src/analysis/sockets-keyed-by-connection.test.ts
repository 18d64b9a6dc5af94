import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// The open sockets of this process kept in a Map keyed by the socket itself, what the service knows of
// each as the value (`peers.set(socket, { user, rooms })`), and broadcast to by functions the routes
// call: `for (const [socket, peer] of peers) socket.send(…)`, `peers.forEach((peer, socket) => …)`,
// `for (const socket of peers.keys())`. A client on another instance is in another process's Map and
// hears nothing. The look-alike that stays quiet: the same Map swept by this process's own timer,
// which pings each socket (no request sends to it).

afterAll(removeAnalysedProjects);

const realtime = (loop: string): string => `import { WebSocketServer, type WebSocket } from 'ws';

interface Peer {
  user: string;
  rooms: Set<string>;
}

const peers = new Map<WebSocket, Peer>();

export function attach(wss: WebSocketServer): void {
  wss.on('connection', (socket: WebSocket, request) => {
    peers.set(socket, { user: String(request.headers['x-user']), rooms: new Set() });
    socket.on('message', (raw) => {
      const room = String(raw);
      peers.get(socket)?.rooms.add(room);
    });
    socket.on('close', () => {
      peers.delete(socket);
    });
  });
}

export function notifyRoom(room: string, event: unknown): void {
  const message = JSON.stringify(event);
${loop}
}
`;

const routes = `import express from 'express';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { attach, notifyRoom } from './realtime';

const app = express();
app.use(express.json());
app.post('/rooms/:room/messages', (req, res) => {
  notifyRoom(req.params.room, { type: 'message', body: req.body });
  res.status(201).end();
});

const server = createServer(app);
attach(new WebSocketServer({ server }));
server.listen(3000);
`;

const LOOPS = {
  'a for-of over the entries, sending to the key': `  for (const [socket, peer] of peers) {
    if (peer.rooms.has(room) && socket.readyState === socket.OPEN) socket.send(message);
  }`,
  "a Map's forEach, sending to its second parameter": `  peers.forEach((peer, socket) => {
    if (peer.rooms.has(room)) socket.send(message);
  });`,
  'a for-of over the keys': `  for (const socket of peers.keys()) socket.send(message);`,
};

const RULES = ['no-in-memory-pubsub', 'no-in-memory-session', 'no-in-process-lock', 'no-process-local-cache'];
const EXPECTED = [
  '8:7 no-in-memory-pubsub: `peers` lists the clients connected to this instance; socket connection (realtime.ts:11) and 2 other handlers adds to it and POST /rooms/:room/messages (routes.ts:8) sends to its entries. Clients connected to other instances never get the message.',
];

describe('sockets kept in a Map keyed by the socket, broadcast to by functions the routes call', () => {
  for (const [name, loop] of Object.entries(LOOPS)) {
    it(`${name}: reported (typed)`, () => {
      expect(typedFindings({ 'realtime.ts': realtime(loop), 'routes.ts': routes }, 'realtime.ts', RULES)).toEqual(EXPECTED);
    });

    it(`${name}: reported (untyped)`, () => {
      expect(untypedFindings({ 'realtime.ts': realtime(loop), 'routes.ts': routes }, 'realtime.ts', RULES)).toEqual(EXPECTED);
    });
  }

  const swept = realtime(`  void room;
  void message;`).replace(
    'export function attach(wss: WebSocketServer): void {',
    `setInterval(() => {
  for (const [socket, peer] of peers) if (peer.rooms.size > 0) socket.ping();
}, 30_000);

export function attach(wss: WebSocketServer): void {`,
  );

  it("the same Map pinged only by this process's own timer: quiet (typed)", () => {
    expect(typedFindings({ 'realtime.ts': swept, 'routes.ts': routes }, 'realtime.ts', RULES)).toEqual([]);
  });

  it("the same Map pinged only by this process's own timer: quiet (untyped)", () => {
    expect(untypedFindings({ 'realtime.ts': swept, 'routes.ts': routes }, 'realtime.ts', RULES)).toEqual([]);
  });
});
