import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-in-memory-pubsub';
import { sfuServer } from '../testing/sfu-server';

type Options = StatelessRuleOptions<'no-in-memory-pubsub'>;

// The first typed case starts the project service and loads socket.io's, ioredis's and Nest's types:
// on a busy CI machine that alone can pass the 30 s default.
vi.setConfig({ testTimeout: 120_000 });
type MessageIds =
  | 'socketIoWithoutAdapter'
  | 'socketIoEventWithoutAdapter'
  | 'wsBroadcastInMemory'
  | 'clientListInMemory'
  | 'roomClientsInMemory'
  | 'roomRegistryInMemory'
  | 'clientListEventInMemory'
  | 'presenceInMemory'
  | 'eventModuleInMemory'
  | 'eventSubscriptionInMemory'
  | 'emitterInMemory';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts, whose program holds every fixture (none of
// them gives socket.io an adapter or broadcasts, so same-file cases mean the same thing typed).

const STICKY =
  " socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.";

const sameFileInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: "socket.io: a socket event's handler emits, by hand, to each of the server's connected sockets (io.sockets.sockets, through a local alias)",
    code: `
import http from 'node:http';
import * as socketIO from 'socket.io';

interface AppSocket extends socketIO.Socket {
  userID?: number;
}

const httpServer = http.createServer();
const io = new socketIO.Server(httpServer);

function refreshAll(userID: number, currentSocketID: string) {
  for (const rawSocket of io.sockets.sockets.values()) {
    const socket = rawSocket as AppSocket;
    if (socket.userID === userID && socket.id !== currentSocketID) {
      socket.emit('refresh');
      socket.disconnect();
    }
  }
}

io.on('connection', (socket) => {
  socket.on('changePassword', (userID: number) => refreshAll(userID, socket.id));
});

httpServer.listen(5001);
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 10,
        column: 12,
        data: { server: 'new socketIO.Server()', broadcast: 'socket.emit()', route: `socket connection (${file}:22) and 1 other handler`, sticky: STICKY },
      },
    ],
  },
  {
    name: 'Express + socket.io: a route broadcasts with io.emit on a server without an adapter',
    code: `
import express from 'express';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const app = express();
const httpServer = createServer(app);
const io = new Server(httpServer, { cors: { origin: '*' } });

app.post('/announcements', express.json(), (req, res) => {
  io.emit('announcement', req.body);
  res.sendStatus(202);
});

httpServer.listen(3000);
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 8,
        column: 12,
        endLine: 8,
        endColumn: 61,
        data: { server: 'new Server()', broadcast: 'io.emit()', route: `POST /announcements (${file}:10)`, sticky: STICKY },
      },
    ],
  },
  {
    name: "Express: the io server handed to routes with app.set('io', io); a route broadcasts through req.app.get('io')",
    code: `
import express from 'express';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const app = express();
const httpServer = createServer(app);
const io = new Server(httpServer);
app.set('io', io);

app.post('/announcements', (req, res) => {
  req.app.get('io').emit('announcement', req.body);
  res.sendStatus(204);
});

httpServer.listen(3000);
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 8,
        column: 12,
        endLine: 8,
        endColumn: 34,
        data: { server: 'new Server()', broadcast: 'req.app.get(…).emit()', route: `POST /announcements (${file}:11)`, sticky: STICKY },
      },
    ],
  },
  {
    name: "express.oi: express().http().io() gives the app socket.io's in-memory adapter; a route broadcasts to a room",
    code: `
import express from 'express.oi';

const app = express().http().io();

app.post('/rooms/:id/messages', (req, res) => {
  app.io.to(req.params.id).emit('messages:new', req.body);
  res.end();
});

app.listen(5000);
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 4,
        column: 30,
        endColumn: 32,
        data: { server: 'express().http().io()', broadcast: 'app.io.to(…).emit()', route: `POST /rooms/:id/messages (${file}:6)`, sticky: STICKY },
      },
    ],
  },
  {
    name: 'socket.io chat: a socket event broadcasts to a room; websocket-only transports need no sticky sessions',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000, { transports: ['websocket'] });

io.on('connection', (socket) => {
  socket.on('join', (room: string) => {
    void socket.join(room);
  });
  socket.on('chat', ({ room, text }: { room: string; text: string }) => {
    io.to(room).emit('chat', { from: socket.id, text });
  });
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 4,
        column: 12,
        endColumn: 59,
        data: { server: 'new Server()', broadcast: 'io.to(…).emit()', route: `socket event "chat" (${file}:10)`, sticky: '' },
      },
    ],
  },
  {
    name: 'socket.io through a namespace import: the Server class destructured from it, then a room broadcast',
    code: `
import * as socketIO from 'socket.io';

const { Server } = socketIO;
const io = new Server(3000, { path: '/socket.io' });

io.on('connection', (socket) => {
  socket.on('draw', ({ board, stroke }: { board: string; stroke: unknown }) => {
    socket.broadcast.to(board).emit('draw', stroke);
  });
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 5,
        column: 12,
        endColumn: 52,
        data: { server: 'new Server()', broadcast: 'socket.broadcast.to(…).emit()', route: `socket event "draw" (${file}:8)`, sticky: STICKY },
      },
    ],
  },
  {
    name: 'socket.io: `adapter: undefined` is no adapter',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000, { adapter: undefined, transports: ['websocket'] });

io.on('connection', (socket) => {
  socket.on('chat', (text: string) => io.emit('chat', text));
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 4,
        column: 12,
        endColumn: 79,
        data: { server: 'new Server()', broadcast: 'io.emit()', route: `socket event "chat" (${file}:7)`, sticky: '' },
      },
    ],
  },
  {
    name: 'socket.io: a route emits an in-process event whose listener broadcasts (the fan-out runs for that request)',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const app = express();
const io = new Server(createServer(app));
const core = new EventEmitter();

core.on('messages:new', (message: { room: string }) => {
  io.to(message.room).emit('messages:new', message);
});

app.post('/messages', (req, res) => {
  core.emit('messages:new', req.body);
  res.end();
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 8,
        column: 12,
        endColumn: 41,
        data: { server: 'new Server()', broadcast: 'io.to(…).emit()', route: `POST /messages (${file}:15)`, sticky: STICKY },
      },
    ],
  },
  {
    name: 'socket.io: a listener broadcasts an event the service emits where no route is seen to call it',
    code: `
import { EventEmitter } from 'node:events';
import { Server } from 'socket.io';

const io = new Server(3000);
export const core = new EventEmitter();

core.on('rooms:update', function (room: { id: string }) {
  io.to(room.id).emit('rooms:update', room);
});

export function saveRoom(room: { id: string }) {
  core.emit('rooms:update', room);
}
`,
    errors: [
      {
        messageId: 'socketIoEventWithoutAdapter',
        line: 5,
        column: 12,
        endColumn: 28,
        data: { server: 'new Server()', broadcast: 'io.to(…).emit()', event: 'rooms:update', where: `${file}:9`, sticky: STICKY },
      },
    ],
  },
  {
    name: 'socket.io presence: peers per room, keyed by socket id, and one room of them sent to the joiner',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000, { transports: ['websocket'] });
const peers: Record<string, Record<string, { name: string }>> = {};

io.on('connection', (socket) => {
  socket.on('join', (room: string, name: string) => {
    peers[room] ??= {};
    peers[room][socket.id] = { name };
    socket.emit('peers', { peers: peers[room] });
  });
});
`,
    errors: [
      {
        messageId: 'presenceInMemory',
        line: 5,
        column: 7,
        endColumn: 12,
        data: { name: 'peers', route: `socket event "join" (${file}:8)`, sendRoute: `socket event "join" (${file}:8)` },
      },
    ],
  },
  {
    name: 'Express + socket.io presence: connections recorded by the socket.io connection handler, listed by GET /online',
    code: `
import express from 'express';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const app = express();
const io = new Server(createServer(app), { transports: ['websocket'] });
const online = new Map<string, { user: string }>();

io.on('connection', (socket) => {
  online.set(socket.id, { user: String(socket.handshake.auth.user) });
  socket.on('disconnect', () => online.delete(socket.id));
});

app.get('/online', (req, res) => {
  res.json([...online.values()]);
});
`,
    errors: [
      {
        messageId: 'presenceInMemory',
        line: 8,
        column: 7,
        endColumn: 13,
        data: { name: 'online', route: `socket connection (${file}:10) and 1 other handler`, sendRoute: `GET /online (${file}:15)` },
      },
    ],
  },
  {
    name: 'NestJS gateway: a @SubscribeMessage handler broadcasts through its @WebSocketServer()',
    code: `
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server } from 'socket.io';

@WebSocketGateway({ cors: true })
export class ChatGateway {
  @WebSocketServer()
  server!: Server;

  @SubscribeMessage('message')
  handleMessage(@MessageBody() message: string): void {
    this.server.emit('message', message);
  }
}
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 5,
        column: 1,
        endColumn: 34,
        data: {
          server: '@WebSocketGateway() ChatGateway',
          broadcast: 'this.server.emit()',
          route: `WebSocket message "message" (ChatGateway.handleMessage, ${file}:10)`,
          sticky: STICKY,
        },
      },
    ],
  },
  {
    name: 'NestJS gateway decorated through a const a setting picks (`disabled ? () => {} : WebSocketGateway(…)`): on unless the setting turns it off',
    code: `
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server } from 'socket.io';

const ConditionalGateway = process.env.CHAT_DISABLED === 'true' ? () => {} : WebSocketGateway({ cors: true });

@ConditionalGateway
export class ChatGateway {
  @WebSocketServer()
  server!: Server;

  @SubscribeMessage('message')
  handleMessage(@MessageBody() message: string): void {
    this.server.emit('message', message);
  }
}
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 7,
        column: 1,
        endColumn: 20,
        data: {
          server: '@WebSocketGateway() ChatGateway',
          broadcast: 'this.server.emit()',
          route: `WebSocket message "message" (ChatGateway.handleMessage, ${file}:12)`,
          sticky: STICKY,
        },
      },
    ],
  },
  {
    name: 'ws: a message from one client is sent to every client in wss.clients',
    code: `
import { WebSocket, WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 8080 });

wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    wss.clients.forEach((client) => {
      if (client.readyState === WebSocket.OPEN) client.send(data);
    });
  });
});
`,
    errors: [{ messageId: 'wsBroadcastInMemory', line: 8, column: 5, endColumn: 16, data: { name: 'wss.clients', route: `socket event "message" (${file}:7)` } }],
  },
  {
    name: 'Express + ws: a route sends to every client in a for…of over wss.clients',
    code: `
import express from 'express';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const app = express();
const server = createServer(app);
const wss = new WebSocketServer({ server });

app.post('/prices', express.json(), (req, res) => {
  for (const client of wss.clients) client.send(JSON.stringify(req.body));
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'wsBroadcastInMemory', line: 11, column: 24, endColumn: 35, data: { name: 'wss.clients', route: `POST /prices (${file}:10)` } }],
  },
  {
    name: "SockJS: connections kept by a typedi @Service()'s list (one instance per container), written to by POST /runs",
    code: `
import express from 'express';
import http from 'node:http';
import sockJs, { type Connection } from 'sockjs';
import { Container, Service } from 'typedi';

@Service()
class SockService {
  private clients: Connection[] = [];
  addClient(conn: Connection) {
    this.clients.push(conn);
  }
  sendMessage(msg: object) {
    this.clients.forEach((client) => client.write(JSON.stringify(msg)));
  }
}

const app = express();
const server = http.createServer(app);
const echo = sockJs.createServer({ prefix: '/api/ws' });
echo.on('connection', (conn) => Container.get(SockService).addClient(conn));
echo.installHandlers(server);

app.post('/runs', (req, res) => {
  Container.get(SockService).sendMessage({ id: req.body.id });
  res.end();
});
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 9,
        column: 11,
        endColumn: 18,
        data: { name: 'clients', route: `socket connection (${file}:21)`, sendRoute: `POST /runs (${file}:24)` },
      },
    ],
  },
  {
    name: 'Express SSE: a module array of responses, added to by GET /events and written to by POST /messages',
    code: `
import express, { type Response } from 'express';

const app = express();
let clients: Response[] = [];

app.get('/events', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.flushHeaders();
  clients.push(res);
  req.on('close', () => {
    clients = clients.filter((client) => client !== res);
  });
});

app.post('/messages', express.json(), (req, res) => {
  clients.forEach((client) => client.write(\`data: \${JSON.stringify(req.body)}\\n\\n\`));
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 5,
        column: 5,
        endColumn: 12,
        data: { name: 'clients', route: `GET /events (${file}:7)`, sendRoute: `POST /messages (${file}:16)` },
      },
    ],
  },
  {
    name: 'express-ws: a registry main() makes, whose connections a function sends to through the registry’s accessor',
    code: `
import express from 'express';
import expressWs from 'express-ws';
import type WebSocket from 'ws';

class Registry {
  private readonly sockets: Map<string, Set<WebSocket>>;
  constructor() {
    this.sockets = new Map();
  }
  add(room: string, socket: WebSocket): void {
    this.room(room).add(socket);
  }
  *members(room: string): Iterable<WebSocket> {
    yield* this.room(room);
  }
  private room(name: string): Set<WebSocket> {
    const existing = this.sockets.get(name);
    if (existing === undefined) {
      const created = new Set<WebSocket>();
      this.sockets.set(name, created);
      return created;
    } else {
      return existing;
    }
  }
}

function broadcast(registry: Registry, room: string, message: string): void {
  for (const socket of registry.members(room)) socket.send(message);
}

async function main() {
  const { app } = expressWs(express());
  const registry = new Registry();
  app.ws('/rooms/:room', (socket, req) => {
    registry.add(req.params.room, socket);
    socket.on('message', (data) => broadcast(registry, req.params.room, String(data)));
  });
  app.listen(3000);
}

main();
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 7,
        column: 20,
        endColumn: 27,
        data: { name: 'sockets', route: `WS /rooms/:room (${file}:36)`, sendRoute: `WS /rooms/:room (${file}:36)` },
      },
    ],
  },
  {
    name: 'ws: open sockets kept as the keys of a map, sent to by a loop over its entries (`for (const [ws, info] of connections) ws.send(…)`)',
    code: `
import express from 'express';
import { WebSocketServer, type WebSocket } from 'ws';

const app = express();
const wss = new WebSocketServer({ port: 8080 });
const connections = new Map<WebSocket, { room: string }>();

wss.on('connection', (ws: WebSocket) => {
  ws.on('message', (room: string) => connections.set(ws, { room: String(room) }));
  ws.on('close', () => connections.delete(ws));
});

app.post('/rooms/:room/messages', express.json(), (req, res) => {
  for (const [ws, info] of connections) if (info.room === req.params.room) ws.send(JSON.stringify(req.body));
  res.sendStatus(204);
});
app.listen(3000);
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 7,
        column: 7,
        endColumn: 18,
        data: { name: 'connections', route: `socket event "message" (${file}:10) and 1 other handler`, sendRoute: `POST /rooms/:room/messages (${file}:14)` },
      },
    ],
  },
  {
    name: 'Express long-polling: a Set named for what it does (waiters), classified by use',
    code: `
import express, { type Response } from 'express';

const app = express();
const waiters = new Set<Response>();

app.get('/poll', (req, res) => {
  waiters.add(res);
  req.on('close', () => waiters.delete(res));
});

app.post('/publish', express.json(), (req, res) => {
  for (const waiter of waiters) waiter.json(req.body);
  waiters.clear();
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 5,
        column: 7,
        endColumn: 14,
        data: { name: 'waiters', route: `GET /poll (${file}:7) and 1 other route`, sendRoute: `POST /publish (${file}:12)` },
      },
    ],
  },
  {
    name: 'Fastify SSE: reply.raw streams kept in a Set',
    code: `
import Fastify from 'fastify';
import type { ServerResponse } from 'node:http';

const app = Fastify();
const subscribers = new Set<ServerResponse>();

app.get('/feed', (request, reply) => {
  reply.raw.writeHead(200, { 'Content-Type': 'text/event-stream' });
  subscribers.add(reply.raw);
  request.raw.on('close', () => subscribers.delete(reply.raw));
});

app.post('/feed', async (request) => {
  for (const raw of subscribers) raw.write(\`data: \${JSON.stringify(request.body)}\\n\\n\`);
  return { delivered: subscribers.size };
});
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 6,
        column: 7,
        endColumn: 18,
        data: { name: 'subscribers', route: `GET /feed (${file}:8)`, sendRoute: `POST /feed (${file}:14)` },
      },
    ],
  },
  {
    name: 'ws: sockets kept in a Map keyed by the socket itself, sent to through the entry key',
    code: `
import express from 'express';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const app = express();
const server = createServer(app);
const wss = new WebSocketServer({ server });
const peers = new Map<WebSocket, { user: string }>();

wss.on('connection', (socket: WebSocket) => {
  peers.set(socket, { user: 'guest' });
  socket.on('close', () => peers.delete(socket));
});

app.post('/announce', express.json(), (req, res) => {
  for (const [socket, peer] of peers) socket.send(JSON.stringify({ to: peer.user, body: req.body }));
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 9,
        column: 7,
        endColumn: 12,
        data: { name: 'peers', route: `socket connection (${file}:11) and 1 other handler`, sendRoute: `POST /announce (${file}:16)` },
      },
    ],
  },
  {
    name: 'Koa SSE: PassThrough streams in a module array',
    code: `
import Router from '@koa/router';
import Koa from 'koa';
import { PassThrough } from 'node:stream';

const app = new Koa();
const router = new Router();
const streams: PassThrough[] = [];

router.get('/stream', (ctx) => {
  const stream = new PassThrough();
  streams.push(stream);
  ctx.type = 'text/event-stream';
  ctx.body = stream;
});

router.post('/notify', (ctx) => {
  streams.forEach((stream) => stream.write(\`data: \${ctx.path}\\n\\n\`));
  ctx.status = 204;
});

app.use(router.routes());
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 8,
        column: 7,
        endColumn: 14,
        data: { name: 'streams', route: `GET /stream (${file}:10)`, sendRoute: `POST /notify (${file}:17)` },
      },
    ],
  },
  {
    name: 'Hono SSE: streamSSE streams in a Set, written with writeSSE',
    code: `
import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';

const app = new Hono();
const streams = new Set<SSEStreamingApi>();

app.get('/sse', (c) =>
  streamSSE(c, async (stream) => {
    streams.add(stream);
    stream.onAbort(() => {
      streams.delete(stream);
    });
    while (!stream.aborted) await stream.sleep(30_000);
  }),
);

app.post('/publish', async (c) => {
  const body: unknown = await c.req.json();
  for (const stream of streams) await stream.writeSSE({ data: JSON.stringify(body) });
  return c.json({ ok: true });
});

export default app;
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 6,
        column: 7,
        endColumn: 14,
        data: { name: 'streams', route: `GET /sse (${file}:8)`, sendRoute: `POST /publish (${file}:18)` },
      },
    ],
  },
  {
    name: 'socket.io rooms in a module object: room -> socket id -> socket, a for…in over one room emits to each (no io.to() anywhere)',
    code: `
import { Server, type Socket } from 'socket.io';

const io = new Server(3000, { transports: ['websocket'] });
const channels: Record<string, Record<string, Socket>> = {};

io.on('connection', (socket) => {
  socket.on('join', (channel: string) => {
    if (!(channel in channels)) channels[channel] = {};
    for (const id in channels[channel]) {
      channels[channel][id].emit('addPeer', { peer_id: socket.id });
    }
    channels[channel][socket.id] = socket;
  });
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 4,
        column: 12,
        endColumn: 59,
        data: { server: 'new Server()', broadcast: 'channels[channel][id].emit()', route: `socket event "join" (${file}:8)`, sticky: '' },
      },
      {
        messageId: 'clientListInMemory',
        line: 5,
        column: 7,
        endColumn: 15,
        data: { name: 'channels', route: `socket event "join" (${file}:8)`, sendRoute: `socket event "join" (${file}:8)` },
      },
    ],
  },
  {
    name: 'ws rooms on a singleton server: peers grouped by IP in this._rooms, each notified through a send helper',
    code: `
import { WebSocketServer, type WebSocket } from 'ws';

class PeerServer {
  private readonly _wss: WebSocketServer;
  private readonly _rooms: Record<string, Record<string, WebSocket>> = {};

  constructor(port: number) {
    this._wss = new WebSocketServer({ port });
    this._wss.on('connection', (socket, request) => this._join(socket, request.socket.remoteAddress ?? ''));
  }

  private _join(socket: WebSocket, ip: string) {
    if (!this._rooms[ip]) this._rooms[ip] = {};
    for (const otherId in this._rooms[ip]) {
      const other = this._rooms[ip][otherId];
      this._send(other, { type: 'peer-joined' });
    }
    this._rooms[ip][String(Date.now())] = socket;
  }

  private _send(socket: WebSocket, message: object) {
    socket.send(JSON.stringify(message));
  }
}

export const server = new PeerServer(3000);
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 6,
        column: 20,
        endColumn: 26,
        data: { name: '_rooms', route: `socket connection (${file}:10)`, sendRoute: `socket connection (${file}:10)` },
      },
    ],
  },
  {
    name: 'ws on a singleton: sockets per document in a Map of Sets, the room read into a local before the loop that relays updates',
    code: `
import { WebSocketServer, type WebSocket } from 'ws';

class DocumentRelay {
  private readonly wss = new WebSocketServer({ port: 3001 });
  private readonly connections = new Map<string, Set<WebSocket>>();

  constructor() {
    this.wss.on('connection', (socket, request) => {
      const docId = request.url ?? '/';
      if (!this.connections.has(docId)) this.connections.set(docId, new Set());
      this.connections.get(docId)!.add(socket);
      socket.on('message', (update: Buffer) => this.relay(docId, update, socket));
    });
  }

  private relay(docId: string, update: Buffer, origin: WebSocket) {
    const peers = this.connections.get(docId);
    if (!peers) return;
    for (const peer of peers) {
      if (peer !== origin) this.send(peer, update);
    }
  }

  private send(peer: WebSocket, update: Buffer) {
    peer.send(update);
  }
}

export const relay = new DocumentRelay();
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 6,
        column: 20,
        endColumn: 31,
        data: { name: 'connections', route: `socket connection (${file}:9)`, sendRoute: `socket connection (${file}:9) and 1 other handler` },
      },
    ],
  },
  {
    name: 'socket.io users by id: a Map of sockets, one of them sent to on a request (m.get(id)?.emit)',
    code: `
import express from 'express';
import { Server, type Socket } from 'socket.io';

const app = express();
const io = new Server(3001);
const socketsByUser = new Map<string, Socket>();

io.on('connection', (socket) => {
  socketsByUser.set(String(socket.handshake.auth.userId), socket);
});

app.post('/users/:id/notify', express.json(), (req, res) => {
  socketsByUser.get(req.params.id)?.emit('notification', req.body);
  res.sendStatus(202);
});
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 7,
        column: 7,
        endColumn: 20,
        data: { name: 'socketsByUser', route: `socket connection (${file}:9)`, sendRoute: `POST /users/:id/notify (${file}:13)` },
      },
    ],
  },
  {
    name: 'Express SSE over a module EventEmitter: GET subscribes per request, PATCH emits',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';

const app = express();
const orderEvents = new EventEmitter();

app.get('/orders/:id/events', (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  const onUpdate = (order: { id: string }) => {
    if (order.id === req.params.id) res.write(\`data: \${JSON.stringify(order)}\\n\\n\`);
  };
  orderEvents.on('updated', onUpdate);
  req.on('close', () => orderEvents.off('updated', onUpdate));
});

app.patch('/orders/:id', express.json(), (req, res) => {
  orderEvents.emit('updated', { id: req.params.id, ...req.body });
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'emitterInMemory',
        line: 6,
        column: 7,
        endColumn: 18,
        data: { name: 'orderEvents', route: `GET /orders/:id/events (${file}:8)`, emitRoute: `PATCH /orders/:id (${file}:17)` },
      },
    ],
  },
  {
    name: "Express SSE over an EventEmitter subclass whose own method emits through `this`: the module's one instance",
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';

class BoardEvents extends EventEmitter {
  publish(event: { id: string }): void {
    this.emit('board', event);
  }
}

const app = express();
const boardEvents = new BoardEvents();

app.get('/board', (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  const send = (event: { id: string }) => res.write(\`data: \${event.id}\\n\\n\`);
  boardEvents.on('board', send);
  req.on('close', () => boardEvents.off('board', send));
});

app.patch('/repairs/:id', (req, res) => {
  boardEvents.publish({ id: req.params.id });
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'emitterInMemory',
        line: 12,
        column: 7,
        endColumn: 18,
        data: { name: 'boardEvents', route: `GET /board (${file}:14)`, emitRoute: `PATCH /repairs/:id (${file}:21)` },
      },
    ],
  },
  {
    name: "Express SSE over an EventEmitter kept on globalThis (Next.js's dev-reload singleton): one per process all the same",
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';

const app = express();
const globalForEvents = globalThis as unknown as { orderEvents?: EventEmitter };
const orderEvents = globalForEvents.orderEvents ?? (globalForEvents.orderEvents = new EventEmitter());

app.get('/orders/events', (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  const onUpdate = (order: { id: string }) => res.write(\`data: \${JSON.stringify(order)}\\n\\n\`);
  orderEvents.on('updated', onUpdate);
  req.on('close', () => orderEvents.off('updated', onUpdate));
});

app.patch('/orders/:id', express.json(), (req, res) => {
  orderEvents.emit('updated', { id: req.params.id });
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'emitterInMemory',
        line: 7,
        column: 7,
        endColumn: 18,
        data: { name: 'orderEvents', route: `GET /orders/events (${file}:9)`, emitRoute: `PATCH /orders/:id (${file}:16)` },
      },
    ],
  },
  {
    name: "long-polling with once(emitter, 'message') from node:events",
    code: `
import express from 'express';
import { EventEmitter, once } from 'node:events';

const app = express();
const chat = new EventEmitter();

app.get('/messages/wait', async (req, res) => {
  const [message] = await once(chat, 'message');
  res.json(message);
});

app.post('/messages', express.json(), (req, res) => {
  chat.emit('message', req.body);
  res.sendStatus(201);
});
`,
    errors: [
      {
        messageId: 'emitterInMemory',
        line: 6,
        column: 7,
        endColumn: 11,
        data: { name: 'chat', route: `GET /messages/wait (${file}:8)`, emitRoute: `POST /messages (${file}:13)` },
      },
    ],
  },
  {
    name: 'NestJS SSE: an @Injectable Subject that @Sse() streams and @Post() feeds',
    code: `
import { Body, Controller, Injectable, MessageEvent, Post, Sse } from '@nestjs/common';
import { Observable, Subject, map } from 'rxjs';

@Injectable()
export class NotificationsService {
  private readonly events = new Subject<string>();

  stream(): Observable<string> {
    return this.events.asObservable();
  }

  publish(text: string): void {
    this.events.next(text);
  }
}

@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Sse('stream')
  stream(): Observable<MessageEvent> {
    return this.notifications.stream().pipe(map((data) => ({ data })));
  }

  @Post()
  create(@Body('text') text: string): void {
    this.notifications.publish(text);
  }
}
`,
    errors: [
      {
        messageId: 'emitterInMemory',
        line: 7,
        column: 20,
        endColumn: 26,
        data: {
          name: 'events',
          route: `GET /notifications/stream (NotificationsController.stream, ${file}:22)`,
          emitRoute: `POST /notifications (NotificationsController.create, ${file}:27)`,
        },
      },
    ],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  { name: "look-alike: the same loop over the server's connected sockets only disconnects them, sending nothing", code: `
import http from 'node:http';
import * as socketIO from 'socket.io';

interface AppSocket extends socketIO.Socket {
  userID?: number;
}

const httpServer = http.createServer();
const io = new socketIO.Server(httpServer);

function refreshAll(userID: number, currentSocketID: string) {
  for (const rawSocket of io.sockets.sockets.values()) {
    const socket = rawSocket as AppSocket;
    if (socket.userID === userID && socket.id !== currentSocketID) {
      socket.disconnect();
    }
  }
}

io.on('connection', (socket) => {
  socket.on('changePassword', (userID: number) => refreshAll(userID, socket.id));
});

httpServer.listen(5001);
` },
  { name: 'look-alike: a class decorated through a const that holds no decorator factory call is no gateway', code: `
import { MessageBody, SubscribeMessage, WebSocketServer } from '@nestjs/websockets';
import type { Server } from 'socket.io';

const ConditionalGateway = () => (target: unknown) => target;

@ConditionalGateway
export class ChatGateway {
  @WebSocketServer()
  server!: Server;

  @SubscribeMessage('message')
  handleMessage(@MessageBody() message: string): void {
    this.server.emit('message', message);
  }
}
` },
  {
    name: 'per-connection state: a socket is sent its own entry and the number of connections, never the list',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000, { transports: ['websocket'] });
const users: Record<string, { name: string }> = {};

io.on('connection', (socket) => {
  socket.on('rename', (name: string) => {
    users[socket.id] = { name };
    socket.emit('me', users[socket.id]);
    socket.emit('count', Object.keys(users).length);
  });
  socket.on('disconnect', () => {
    delete users[socket.id];
  });
});
`,
  },
  {
    name: 'socket.io: a listener broadcasts an event only a timer emits (each instance ticks its own clients)',
    code: `
import { EventEmitter } from 'node:events';
import { Server } from 'socket.io';

const io = new Server(3000);
const clock = new EventEmitter();

setInterval(() => clock.emit('tick', Date.now()), 1000);
clock.on('tick', (now: number) => io.emit('time', now));
`,
  },
  {
    name: 'socket.io: a shutdown notice to this instance\'s own clients (process signals are no request)',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);

process.on('SIGTERM', () => {
  io.emit('server:restarting');
  io.close();
});
`,
  },
  {
    name: 'socket.io with io.adapter(createAdapter(pubClient, subClient))',
    code: `
import express from 'express';
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const app = express();
const httpServer = createServer(app);
const io = new Server(httpServer);
const pubClient = new Redis(process.env.REDIS_URL!);
const subClient = pubClient.duplicate();
io.adapter(createAdapter(pubClient, subClient));

app.post('/announcements', express.json(), (req, res) => {
  io.emit('announcement', req.body);
  res.sendStatus(202);
});
`,
  },
  {
    name: 'socket.io with the adapter in its options (Redis streams adapter)',
    code: `
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const redisClient = new Redis(process.env.REDIS_URL!);
const io = new Server(3000, { adapter: createAdapter(redisClient) });

io.on('connection', (socket) => {
  socket.on('chat', (text: string) => {
    io.emit('chat', text);
  });
});
`,
  },
  {
    name: 'socket.io with options the analysis cannot see',
    code: `
import { Server, type ServerOptions } from 'socket.io';
import { ioOptions } from './io-options';

const io = new Server(3000, ioOptions as Partial<ServerOptions>);

io.on('connection', (socket) => {
  socket.on('chat', (text: string) => io.emit('chat', text));
});
`,
  },
  {
    name: 'NestJS: a RedisIoAdapter that sets the redis adapter, used by the app (the Nest docs recipe)',
    code: `
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

@WebSocketGateway()
export class ChatGateway {
  @WebSocketServer()
  server!: Server;

  @SubscribeMessage('message')
  handleMessage(@MessageBody() message: string): void {
    this.server.emit('message', message);
  }
}

export class RedisIoAdapter extends IoAdapter {
  private adapterConstructor!: ReturnType<typeof createAdapter>;

  constructor(app: INestApplication) {
    super(app);
  }

  async connectToRedis(): Promise<void> {
    const pubClient = new Redis(process.env.REDIS_URL!);
    const subClient = pubClient.duplicate();
    await Promise.all([pubClient.ping(), subClient.ping()]);
    this.adapterConstructor = createAdapter(pubClient, subClient);
  }

  createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    server.adapter(this.adapterConstructor);
    return server;
  }
}

export async function bootstrap(module: object): Promise<void> {
  const app = await NestFactory.create(module);
  const redisIoAdapter = new RedisIoAdapter(app);
  await redisIoAdapter.connectToRedis();
  app.useWebSocketAdapter(redisIoAdapter);
  await app.listen(3000);
}
`,
  },
  {
    name: 'NestJS gateway that only answers the sender (returns from @SubscribeMessage)',
    code: `
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

@WebSocketGateway()
export class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() text: string): { event: string; data: string } {
    return { event: 'echo', data: text };
  }
}
`,
  },
  {
    name: 'socket.io server that only answers the sender (socket.emit and acknowledgements)',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);

io.on('connection', (socket) => {
  socket.on('ping', (callback: (answer: string) => void) => {
    socket.emit('pong', Date.now());
    callback('pong');
  });
});
`,
  },
  {
    name: 'a for…in over a constant table of handlers that sends the answer to the one requesting socket',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);
const commands: Record<string, string> = { help: 'usage', version: '1.0' };

io.on('connection', (socket) => {
  socket.on('commands', () => {
    for (const name in commands) socket.emit('command', { name, text: commands[name] });
  });
});
`,
  },
  {
    name: 'a for…in over rooms kept by a start-up timer only (each instance pings its own sockets)',
    code: `
import type { Socket } from 'socket.io';

const rooms: Record<string, Record<string, Socket>> = {};

export function track(room: string, socket: Socket) {
  rooms[room] ??= {};
  rooms[room][socket.id] = socket;
}

setInterval(() => {
  for (const room in rooms) for (const id in rooms[room]) rooms[room][id].emit('ping');
}, 30_000);
`,
  },
  {
    name: 'socket.io broadcast from a timer only (each instance ticks its own clients)',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);

setInterval(() => {
  io.emit('time', new Date().toISOString());
}, 1000);
`,
  },
  {
    name: 'ws server that only replies to the sender',
    code: `
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 8080 });

wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    ws.send(\`echo: \${String(data)}\`);
  });
});
`,
  },
  {
    name: 'ws broadcast from a Redis subscription (each instance sends to its own clients: the fixed shape)',
    code: `
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 8080 });
const subscriber = new Redis(process.env.REDIS_URL!);
void subscriber.subscribe('chat');

subscriber.on('message', (_channel: string, message: string) => {
  for (const client of wss.clients) client.send(message);
});
`,
  },
  {
    name: 'SSE list that is only sent to by a start-up timer (heartbeats), and counted by a route',
    code: `
import express, { type Response } from 'express';

const app = express();
const clients = new Set<Response>();

app.get('/events', (req, res) => {
  clients.add(res);
  req.on('close', () => clients.delete(res));
});

app.get('/events/count', (req, res) => {
  res.json({ connected: clients.size });
});

setInterval(() => {
  for (const client of clients) client.write(': ping\\n\\n');
}, 15_000);
`,
  },
  {
    name: 'an EventEmitter local to one request (progress of this request only)',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';

const app = express();

app.post('/imports', express.json(), (req, res) => {
  const progress = new EventEmitter();
  progress.on('row', (row: number) => res.write(\`\${row}\\n\`));
  for (let row = 1; row <= 3; row++) progress.emit('row', row);
  res.end();
});
`,
  },
  {
    name: 'an EventEmitter for in-process domain events: listeners registered at start-up',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';

const app = express();
const domainEvents = new EventEmitter();

domainEvents.on('order.created', (order: { id: string }) => {
  console.log('send receipt for', order.id);
});

app.post('/orders', express.json(), (req, res) => {
  domainEvents.emit('order.created', req.body);
  res.sendStatus(201);
});
`,
  },
  {
    name: 'a module EventEmitter that requests subscribe to, fed by a per-instance database listener (not a request)',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';
import { Client } from 'pg';

const app = express();
const changes = new EventEmitter();
const listener = new Client({ connectionString: process.env.DATABASE_URL });
await listener.connect();
await listener.query('LISTEN orders');
listener.on('notification', (message) => changes.emit('order', message.payload));

app.get('/orders/events', (req, res) => {
  const send = (payload: string) => res.write(\`data: \${payload}\\n\\n\`);
  changes.on('order', send);
  req.on('close', () => changes.off('order', send));
});
`,
  },
  {
    name: 'browser code: socket.io-client',
    code: `
import { io } from 'socket.io-client';

const socket = io('https://chat.example.test');
export function send(text: string): void {
  socket.emit('chat', text);
}
`,
  },
  {
    name: 'allowNames: a client list knowingly per instance',
    code: `
import express, { type Response } from 'express';

const app = express();
const adminConsoles: Response[] = [];

app.get('/admin/console', (req, res) => {
  adminConsoles.push(res);
});

app.post('/admin/broadcast', (req, res) => {
  adminConsoles.forEach((console) => console.write('data: hi\\n\\n'));
  res.end();
});
`,
    options: [{ allowNames: ['adminConsoles'] }],
  },
  {
    name: 'checkServers: false leaves socket.io servers alone',
    code: `
import { Server } from 'socket.io';

const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('chat', (text: string) => io.emit('chat', text));
});
`,
    options: [{ checkServers: false }],
  },
];

const chatInSocketIo = `
import { Server } from 'socket.io';

const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('chat', (text: string) => io.emit('chat', text));
});
`;

/** secret-hitler's shape: the start file in bin/ keeps the io server on `global`, socket handlers broadcast through it. */
const BIN_START = `
'use strict';
const http = require('http');
const express = require('express');

global.app = express();
const server = http.createServer(app);
global.io = require('socket.io')(server);
server.listen(process.env.PORT || 8080);

io.on('connection', (socket) => {
  socket.on('addNewGeneralChat', (data) => {
    io.sockets.emit('generalChats', data);
  });
});
`;

/** A ws gateway sending its clients the status events a session manager's EventEmitter raises, with a name its caller hands in. */
const RELAYED_EVENTS = `
import { Controller, Injectable, Post } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { EventEmitter } from 'events';
import type { WebSocket } from 'ws';

@Injectable()
export class SessionManager {
  events = new EventEmitter();
  started(name: string) {
    this.relay('session.status')({ name, status: 'WORKING' });
  }
  relay(event: string) {
    return (payload: unknown) => this.events.emit(event, payload);
  }
}

@Controller('sessions')
export class SessionsController {
  constructor(private readonly manager: SessionManager) {}
  @Post('start')
  start() {
    return { starting: true };
  }
}

@WebSocketGateway({ path: '/ws' })
export class EventsGateway implements OnGatewayInit, OnGatewayConnection {
  private clients = new Map<WebSocket, { events: string[] }>();
  constructor(private readonly manager: SessionManager) {}
  handleConnection(socket: WebSocket) {
    this.clients.set(socket, { events: ['*'] });
  }
  afterInit() {
    this.manager.events.on('session.status', this.sendToAll.bind(this));
  }
  sendToAll(data: unknown) {
    this.clients.forEach((_options, client) => client.send(JSON.stringify(data)));
  }
}
`;

/** Rooms as objects in a module Map, each sending to the socket.io room of its id, fanned out through a value taken out of the Map. */
const SFU_ROOMS = `
const http = require('node:http');
const socketIo = require('socket.io');

class Room {
  constructor(id, io) {
    this.id = id;
    this.io = io;
  }
  broadCast(action, data) {
    this.io.to(this.id).emit(action, data);
  }
}

const server = http.createServer();
const io = socketIo(server);
const roomList = new Map();

io.on('connection', (socket) => {
  socket.on('join', (roomId) => {
    if (!roomList.has(roomId)) roomList.set(roomId, new Room(roomId, io));
    socket.join(roomId);
    socket.room_id = roomId;
  });
  socket.on('message', (data) => {
    roomList.get(socket.room_id).broadCast('message', data);
  });
});
`;

const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'Next.js route handlers: stream controllers kept in a module Set (named for what they are: controllers)',
    filename: 'app/api/events/route.ts',
    code: `
const controllers = new Set<ReadableStreamDefaultController<Uint8Array>>();
const encoder = new TextEncoder();

export async function GET() {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controllers.add(controller);
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });
}

export async function POST(request: Request) {
  const message: unknown = await request.json();
  for (const controller of controllers) controller.enqueue(encoder.encode(\`data: \${JSON.stringify(message)}\\n\\n\`));
  return Response.json({ ok: true });
}
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 2,
        column: 7,
        endColumn: 18,
        data: { name: 'controllers', route: 'GET /api/events (app/api/events/route.ts:5)', sendRoute: 'POST /api/events (app/api/events/route.ts:14)' },
      },
    ],
  },
  {
    name: 'CommonJS: require("socket.io")(server) and socket.broadcast.emit',
    filename: 'src/chat.js',
    code: `
const http = require('node:http');
const socketIo = require('socket.io');

const server = http.createServer();
const io = socketIo(server);

io.on('connection', (socket) => {
  socket.on('typing', (user) => {
    socket.broadcast.emit('typing', user);
  });
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 6,
        column: 12,
        endColumn: 28,
        data: { server: 'socketIo()', broadcast: 'socket.broadcast.emit()', route: 'socket event "typing" (src/chat.js:9)', sticky: STICKY },
      },
    ],
  },
  {
    name: "a server made in each branch of a development test: the development one is quiet, the deployed one is reported",
    filename: 'src/socket-server.ts',
    code: `
import http from 'node:http';
import { Server as SocketIOServer } from 'socket.io';

const IS_DEVELOPMENT_ENV = process.env.NODE_ENV === 'development';
const httpServer = http.createServer();
const io = IS_DEVELOPMENT_ENV
  ? new SocketIOServer(httpServer, { cors: { origin: 'http://localhost:3000' } })
  : new SocketIOServer(httpServer);

io.on('connection', (socket) => {
  socket.on('hotword-detected', () => {
    socket.broadcast.emit('enable-record');
  });
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 9,
        column: 5,
        endColumn: 35,
        data: { server: 'new SocketIOServer()', broadcast: 'socket.broadcast.emit()', route: 'socket event "hotword-detected" (src/socket-server.ts:12)', sticky: STICKY },
      },
    ],
  },
  {
    name: 'NestJS ws gateway: a client Map sent to from a listener of the session manager\'s EventEmitter',
    filename: 'src/events.gateway.ts',
    code: RELAYED_EVENTS,
    errors: [
      {
        messageId: 'clientListEventInMemory',
        line: 29,
        column: 11,
        endColumn: 18,
        data: { name: 'clients', route: 'WebSocket connection (EventsGateway.handleConnection, src/events.gateway.ts:31)', event: "'session.status'", where: 'src/events.gateway.ts:38' },
      },
    ],
  },
  {
    name: 'CommonJS: rooms as objects in a module Map, a socket event sends through roomList.get(id).broadCast()',
    filename: 'src/sfu.js',
    code: SFU_ROOMS,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 16,
        column: 12,
        endColumn: 28,
        data: { server: 'socketIo()', broadcast: 'this.io.to(…).emit()', route: 'socket connection (src/sfu.js:19) and 1 other handler', sticky: STICKY },
      },
      {
        messageId: 'roomRegistryInMemory',
        line: 17,
        column: 7,
        endColumn: 15,
        data: { name: 'roomList', className: 'Room', route: 'socket event "join" (src/sfu.js:20)', sendRoute: 'socket connection (src/sfu.js:19) and 1 other handler', send: 'Room.broadCast()' },
      },
    ],
  },
  {
    name: 'CommonJS start file in bin/ (express-generator layout): require("socket.io")(server) kept on global, io.sockets.emit in a socket event',
    filename: 'bin/dev.js',
    code: BIN_START,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 8,
        column: 13,
        endColumn: 41,
        data: { server: "require('socket.io')()", broadcast: 'io.sockets.emit()', route: 'socket event "addNewGeneralChat" (bin/dev.js:12)', sticky: STICKY },
      },
    ],
  },
];

/** Rooms kept by hand: socket lists per room, room objects with a client set, presence per room, NestJS's in-process event bus. */
const roomsInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: "an SFU's rooms made by the class's static factory, each notifying its joined protoo peers: fan-out to this instance's peers only",
    code: sfuServer(),
    errors: [{ messageId: 'roomRegistryInMemory', line: 30, column: 7 }],
  },
  {
    name: 'socket.io without rooms: peers kept per channel by socket id and emitted to one by one; the server has no adapter',
    code: `
import express from 'express';
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';

const app = express();
const server = createServer(app);
const io = new Server({ transports: ['websocket'] }).listen(server);
const channels: Record<string, Record<string, Socket>> = {};

io.on('connection', (socket) => {
  socket.on('join', (channel: string) => {
    channels[channel] ??= {};
    for (const id in channels[channel]) channels[channel][id].emit('addPeer', { peerId: socket.id });
    channels[channel][socket.id] = socket;
  });
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 8,
        column: 12,
        endColumn: 53,
        data: { server: 'new Server()', broadcast: 'channels[channel][id].emit()', route: `socket event "join" (${file}:12)`, sticky: '' },
      },
      {
        messageId: 'clientListInMemory',
        line: 9,
        column: 7,
        endColumn: 15,
        data: { name: 'channels', route: `socket event "join" (${file}:12)`, sendRoute: `socket event "join" (${file}:12)` },
      },
    ],
  },
  {
    name: 'Express SSE: channel objects made at module scope are singletons: their subscriber lists are shared state, reported once as a client list',
    code: `
import express, { type Response } from 'express';

class Channel {
  private subscribers: Response[] = [];

  subscribe(res: Response): void {
    this.subscribers.push(res);
  }

  publish(event: unknown): void {
    this.subscribers.forEach((res) => res.write(\`data: \${JSON.stringify(event)}\\n\\n\`));
  }
}

const news = new Channel();
const alerts = new Channel();

const app = express();
app.get('/news/events', (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  news.subscribe(res);
});
app.post('/news', express.json(), (req, res) => {
  news.publish(req.body);
  res.sendStatus(202);
});
app.post('/alerts', express.json(), (req, res) => {
  alerts.publish(req.body);
  res.sendStatus(202);
});
`,
    errors: [
      {
        messageId: 'clientListInMemory',
        line: 5,
        column: 11,
        endColumn: 22,
        data: { name: 'subscribers', route: `GET /news/events (${file}:20)`, sendRoute: `POST /news (${file}:24) and 1 other route` },
      },
    ],
  },
  {
    name: 'socket.io presence: users per board behind a get-or-create helper, each sent to the socket that joins',
    code: `
import { Server, type Socket } from 'socket.io';

const io = new Server(3000, { transports: ['websocket'] });
const boardUsers = new Map<string, Map<string, { name: string }>>();

function usersOf(board: string): Map<string, { name: string }> {
  let users = boardUsers.get(board);
  if (users) return users;
  users = new Map();
  boardUsers.set(board, users);
  return users;
}

function welcome(socket: Socket, board: string): void {
  usersOf(board).forEach((user) => socket.emit('user joined', { name: user.name }));
}

io.on('connection', (socket) => {
  socket.on('join', (board: string, name: string) => {
    welcome(socket, board);
    usersOf(board).set(socket.id, { name });
    socket.broadcast.to(board).emit('user joined', { name });
  });
});
`,
    errors: [
      {
        messageId: 'socketIoWithoutAdapter',
        line: 4,
        column: 12,
        endColumn: 59,
        data: { server: 'new Server()', broadcast: 'socket.broadcast.to(…).emit()', route: `socket event "join" (${file}:20)`, sticky: '' },
      },
      {
        messageId: 'presenceInMemory',
        line: 5,
        column: 7,
        endColumn: 17,
        data: { name: 'boardUsers', route: `socket connection (${file}:19) and 1 other handler`, sendRoute: `socket connection (${file}:19) and 1 other handler` },
      },
    ],
  },
  {
    name: 'NestJS: a route emits on EventEmitterModule; the @OnEvent listener sends to the sockets this instance holds',
    code: `
import { Controller, Injectable, Module, Param, Post } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { WebSocket } from 'ws';

@Injectable()
export class BoardHub {
  private readonly sockets = new Set<WebSocket>();

  add(socket: WebSocket): void {
    this.sockets.add(socket);
  }

  notify(event: object): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(event));
  }
}

@WebSocketGateway()
export class BoardGateway implements OnGatewayConnection {
  constructor(private readonly hub: BoardHub) {}

  handleConnection(socket: WebSocket): void {
    this.hub.add(socket);
  }
}

@Injectable()
export class BoardEvents {
  constructor(private readonly hub: BoardHub) {}

  @OnEvent('card.moved')
  handleCardMoved(payload: { cardId: string }): void {
    this.hub.notify({ type: 'card.moved', ...payload });
  }
}

@Controller('cards')
export class CardsController {
  constructor(private readonly events: EventEmitter2) {}

  @Post(':id/move')
  move(@Param('id') id: string): void {
    this.events.emit('card.moved', { cardId: id });
  }
}

@Module({
  imports: [EventEmitterModule.forRoot()],
  controllers: [CardsController],
  providers: [BoardHub, BoardGateway, BoardEvents],
})
export class AppModule {}
`,
    errors: [
      {
        messageId: 'eventModuleInMemory',
        line: 50,
        column: 13,
        endColumn: 41,
        data: {
          module: 'EventEmitterModule.forRoot()',
          event: 'card.moved',
          emitRoute: `POST /cards/:id/move (CardsController.move, ${file}:43)`,
          listener: 'BoardEvents.handleCardMoved',
          where: `${file}:16`,
        },
      },
    ],
  },
  {
    name: 'NestJS: an @Sse() stream subscribes to the event bus and a @Cron job emits on it: only the streams of the emitting instance hear it',
    code: `
import { Controller, Injectable, Module, Sse } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Cron, ScheduleModule } from '@nestjs/schedule';
import { Observable } from 'rxjs';

@Controller('scores')
export class ScoresController {
  constructor(private readonly bus: EventEmitter2) {}

  @Sse('live')
  live(): Observable<{ data: unknown }> {
    return new Observable((subscriber) => {
      this.bus.on('scores.changed', (scores: unknown) => subscriber.next({ data: scores }));
    });
  }
}

@Injectable()
export class ScoreRefresher {
  constructor(private readonly bus: EventEmitter2) {}

  @Cron('*/30 * * * * *')
  refresh(): void {
    this.bus.emit('scores.changed', { at: Date.now() });
  }
}

@Module({
  imports: [ScheduleModule.forRoot(), EventEmitterModule.forRoot()],
  controllers: [ScoresController],
  providers: [ScoreRefresher],
})
export class ScoresModule {}
`,
    errors: [
      {
        messageId: 'eventSubscriptionInMemory',
        line: 30,
        column: 39,
        endColumn: 67,
        data: {
          module: 'EventEmitterModule.forRoot()',
          event: 'scores.changed',
          route: `GET /scores/live (ScoresController.live, ${file}:11)`,
          emitter: 'ScoreRefresher.refresh',
        },
      },
    ],
  },
];

/** Typed only: untyped resolution does not see that `boards.get(name) ?? new Board()` is a Board. */
const BOARD_ROOMS_CODE = `
import { WebSocketServer, type WebSocket } from 'ws';

class Board {
  private readonly members = new Set<WebSocket>();

  join(ws: WebSocket): void {
    this.members.add(ws);
    ws.on('close', () => this.members.delete(ws));
  }

  broadcast(message: string): void {
    for (const member of this.members) member.send(message);
  }
}

const boards = new Map<string, Board>();
const wss = new WebSocketServer({ port: 8080 });

wss.on('connection', (ws, req) => {
  const name = req.url ?? '/';
  const board = boards.get(name) ?? new Board();
  boards.set(name, board);
  board.join(ws);
  ws.on('message', (data) => board.broadcast(String(data)));
});
`;

const roomsValid: ValidTestCase<Options>[] = [
  { name: "look-alike: an SFU's rooms whose class notifies no peer", code: sfuServer({ send: 'other.data.seen = true;' }) },
  {
    name: 'NestJS: the bus subscribed once at start-up (onModuleInit), not by a waiting request, and an emit nobody waits for',
    code: `
import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Cron } from '@nestjs/schedule';

@Injectable()
export class AuditTrail implements OnModuleInit {
  constructor(private readonly bus: EventEmitter2) {}

  onModuleInit(): void {
    this.bus.on('order.placed', (order: { id: string }) => console.log('placed', order.id));
  }

  @Cron('0 * * * *')
  hourly(): void {
    this.bus.emit('order.placed', { id: 'heartbeat' });
  }
}

@Module({ imports: [EventEmitterModule.forRoot()], providers: [AuditTrail] })
export class AuditModule {}
`,
  },
  {
    name: 'NestJS: @OnEvent listeners that write to the database and send mail do the same work on any instance',
    code: `
import { Controller, Injectable, Module, Post } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';

interface Mailer {
  sendMail(to: string, subject: string): Promise<void>;
}

@Injectable()
export class WelcomeMail {
  constructor(private readonly mailer: Mailer) {}

  @OnEvent('user.created')
  async handleUserCreated(user: { email: string }): Promise<void> {
    await this.mailer.sendMail(user.email, 'Welcome');
  }
}

@Controller('users')
export class UsersController {
  constructor(private readonly events: EventEmitter2) {}

  @Post()
  create(): void {
    this.events.emit('user.created', { email: 'a@example.com' });
  }
}

@Module({ imports: [EventEmitterModule.forRoot()], controllers: [UsersController], providers: [WelcomeMail] })
export class AppModule {}
`,
  },
  {
    name: 'Koa: a batch object made and dropped in one request sends to the responses it collected',
    code: `
import Koa from 'koa';
import type { ServerResponse } from 'node:http';

class Batch {
  private readonly targets: ServerResponse[] = [];

  add(res: ServerResponse): void {
    this.targets.push(res);
  }

  flush(body: string): void {
    for (const target of this.targets) target.end(body);
  }
}

const app = new Koa();
app.use((ctx) => {
  const batch = new Batch();
  batch.add(ctx.res);
  batch.flush('ok');
  ctx.respond = false;
});
`,
  },
  {
    name: 'socket.io: sockets per room kept only to disconnect them when the room closes, never sent to',
    code: `
import { Server, type Socket } from 'socket.io';

const io = new Server(3000, { transports: ['websocket'] });
const roomSockets = new Map<string, Map<string, Socket>>();

function socketsOf(room: string): Map<string, Socket> {
  let sockets = roomSockets.get(room);
  if (!sockets) {
    sockets = new Map();
    roomSockets.set(room, sockets);
  }
  return sockets;
}

io.on('connection', (socket) => {
  socket.on('join', (room: string) => {
    socketsOf(room).set(socket.id, socket);
  });
  socket.on('close room', (room: string) => {
    socketsOf(room).forEach((member) => member.disconnect(true));
    roomSockets.delete(room);
  });
});
`,
  },
  {
    name: 'Fastify: a per-process metrics emitter whose listeners are this process’s own gauges',
    code: `
import Fastify from 'fastify';

class Metrics {
  private readonly listeners = new Set<(name: string) => void>();

  onMetric(listener: (name: string) => void): void {
    this.listeners.add(listener);
  }

  record(name: string): void {
    for (const listener of this.listeners) listener(name);
  }
}

const metrics = new Metrics();
metrics.onMetric((name) => console.log(name));

const app = Fastify();
app.get('/health', async () => {
  metrics.record('health');
  return { ok: true };
});
`,
  },
];

const fileNameValid: ValidTestCase<Options>[] = [
  { name: 'a test file never serves requests', filename: 'src/chat.test.ts', code: chatInSocketIo },
  { name: 'a script never serves requests', filename: 'scripts/chat.ts', code: chatInSocketIo },
  { name: 'a command in bin/ with a #! line is a CLI, even when it starts a server', filename: 'bin/dev.js', code: `#!/usr/bin/env node${BIN_START}` },
  { name: 'a file in bin/ that starts no server is a CLI', filename: 'bin/dev.js', code: BIN_START.replace('server.listen(process.env.PORT || 8080);\n', '') },
  { name: 'a start file under scripts/bin/ stays a script', filename: 'scripts/bin/dev.js', code: BIN_START },
  {
    name: 'bin/dev.js whose io server is given the Redis adapter',
    filename: 'bin/dev.js',
    code: `${BIN_START}const { createAdapter } = require('@socket.io/redis-adapter');\nconst { createClient } = require('redis');\nconst pub = createClient();\nio.adapter(createAdapter(pub, pub.duplicate()));\n`,
  },
  {
    name: 'bin/dev.js that keeps a socket.io client on global: this process connects out',
    filename: 'bin/dev.js',
    code: BIN_START.replace("require('socket.io')(server)", "require('socket.io-client')('https://game.example.com')"),
  },
  {
    name: 'the same gateway relaying an event nothing in the service raises but a timer of each instance',
    filename: 'src/events.gateway.ts',
    code: RELAYED_EVENTS.replace("this.relay('session.status')({ name, status: 'WORKING' });", "setInterval(() => this.events.emit('session.status', { name }), 1000);").replace('return (payload: unknown) => this.events.emit(event, payload);', 'return (payload: unknown) => console.log(event, payload);'),
  },
  {
    name: 'rooms as objects in a Map whose sends go through socket.io, which has the Redis adapter',
    filename: 'src/sfu.js',
    code: `${SFU_ROOMS}const { createAdapter } = require('@socket.io/redis-adapter');\nconst { createClient } = require('redis');\nconst pub = createClient();\nio.adapter(createAdapter(pub, pub.duplicate()));\n`,
  },
  { name: "browser code ('use client')", filename: 'src/components/chat.ts', code: `'use client';\n${chatInSocketIo}` },
  {
    name: 'untyped analysis stays within one file: the routes that call notifyAll are in another file',
    filename: 'src/notifications.ts',
    code: readFileSync(fixturePath('pubsub/notifications.ts'), 'utf8'),
  },
];

createUntypedRuleTester().run('no-in-memory-pubsub', rule, {
  valid: [
    ...sameFileValid,
    ...roomsValid,
    ...fileNameValid,
    { name: 'untyped: the room behind `boards.get(name) ?? new Board()` is not resolved, so its client set is not seen', code: BOARD_ROOMS_CODE },
  ],
  invalid: [...sameFileInvalid('file.ts'), ...roomsInvalid('file.ts'), ...fileNameInvalid],
});

createTypedRuleTester().run('no-in-memory-pubsub (typed)', rule, {
  valid: [
    ...sameFileValid,
    ...roomsValid,
    {
      name: 'cross-file: routes.ts reaches the client list in notifications.ts but declares none',
      filename: fixturePath('pubsub/routes.ts'),
      code: readFileSync(fixturePath('pubsub/routes.ts'), 'utf8'),
    },
  ],
  invalid: [
    ...sameFileInvalid('src/rules/fixtures/file.ts'),
    ...roomsInvalid('src/rules/fixtures/file.ts'),
    {
      name: 'ws: a room object per board keeps its members; a message from one member is sent to the others',
      code: BOARD_ROOMS_CODE,
      errors: [
        {
          messageId: 'roomClientsInMemory',
          line: 5,
          column: 20,
          endColumn: 27,
          data: {
            name: 'members',
            className: 'Board',
            route: 'socket connection (src/rules/fixtures/file.ts:20)',
            sendRoute: 'socket connection (src/rules/fixtures/file.ts:20) and 1 other handler',
          },
        },
      ],
    },
    {
      name: 'cross-file: GET /notifications/stream adds to the list here, POST /notifications calls notifyAll() here',
      filename: fixturePath('pubsub/notifications.ts'),
      code: readFileSync(fixturePath('pubsub/notifications.ts'), 'utf8'),
      errors: [
        {
          messageId: 'clientListInMemory',
          line: 3,
          column: 7,
          endColumn: 14,
          data: {
            name: 'streams',
            route: 'GET /notifications/stream (src/rules/fixtures/pubsub/routes.ts:6)',
            sendRoute: 'POST /notifications (src/rules/fixtures/pubsub/routes.ts:8)',
          },
        },
      ],
    },
  ],
});
