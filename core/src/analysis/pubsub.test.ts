import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';

// A project on disk: the rule reads the nearest package.json for adapter packages it cannot see wired.
const projects: string[] = [];

function project(dependencies: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stateless-pubsub-'));
  projects.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies }));
  fs.mkdirSync(path.join(root, 'src'));
  return root;
}

afterAll(() => {
  for (const root of projects) fs.rmSync(root, { recursive: true, force: true });
});

function findings(root: string, code: string): string[] {
  const fileName = path.join(root, 'src', 'chat.gateway.ts').replace(/\\/g, '/');
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return analyzeSourceFile(sourceFile, { rules: ['no-in-memory-pubsub'] }).map((finding) => `${finding.messageId}: ${finding.data.server}`);
}

const GATEWAY = `
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server } from 'socket.io';

@WebSocketGateway()
export class ChatGateway {
  @WebSocketServer()
  server!: Server;

  @SubscribeMessage('message')
  handleMessage(@MessageBody() message: string): void {
    this.server.to('lobby').emit('message', message);
  }
}
`;

describe('what the nearest package.json tells about adapters wired in files the analysis does not see', () => {
  it('reports a gateway when no adapter package is a dependency', () => {
    expect(findings(project({ '@nestjs/websockets': '11.0.0', '@nestjs/platform-socket.io': '11.0.0' }), GATEWAY)).toEqual(['socketIoWithoutAdapter: @WebSocketGateway() ChatGateway']);
  });

  it.each(['@socket.io/redis-adapter', '@socket.io/redis-streams-adapter', '@socket.io/postgres-adapter', '@socket.io/cluster-adapter', 'socket.io-redis', '@nestjs-redis/socket.io-adapter'])(
    'is quiet when %s is a dependency (main.ts may install a RedisIoAdapter)',
    (adapter) => {
      expect(findings(project({ '@nestjs/websockets': '11.0.0', [adapter]: '1.0.0' }), GATEWAY)).toEqual([]);
    },
  );

  it('is quiet for gateways of an app on @nestjs/platform-ws (no socket.io there)', () => {
    expect(findings(project({ '@nestjs/websockets': '11.0.0', '@nestjs/platform-ws': '11.0.0' }), GATEWAY)).toEqual([]);
  });

  it('never throws on an unreadable package.json', () => {
    const root = project({});
    fs.writeFileSync(path.join(root, 'package.json'), '{ not json');
    expect(findings(root, GATEWAY)).toEqual(['socketIoWithoutAdapter: @WebSocketGateway() ChatGateway']);
  });
});

describe('typed: socket.io evidence anywhere in the program', () => {
  const files = {
    '/app/src/io.ts': `import { Server } from 'socket.io';\nexport const io = new Server(3000);\n`,
    '/app/src/routes.ts': `import express from 'express';\nimport { io } from './io';\nexport const app = express();\napp.post('/notify', (req, res) => {\n  io.to('admins').emit('notice', req.body);\n  res.end();\n});\n`,
  };

  function typedFindings(program: Record<string, string>): string[] {
    const built = createProgram(program);
    return analyzeSourceFile(built.getSourceFile('/app/src/io.ts')!, { program: built, projectRoot: '/app', rules: ['no-in-memory-pubsub'] }).map((finding) => finding.message);
  }

  it('reports the server where it is created when a route in another file broadcasts', () => {
    expect(typedFindings(files)).toEqual([
      "new Server() has no adapter, so `io.to(…).emit()` on POST /notify (src/routes.ts:4) reaches only the clients connected to this instance. socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.",
    ]);
  });

  it('follows a broadcast in a listener to the route in another file that emits its event (lets-chat: controllers relay core events)', () => {
    const relayed = {
      '/app/src/io.ts': `import { Server } from 'socket.io';\nexport const io = new Server(3000, { transports: ['websocket'] });\n`,
      '/app/src/core.ts': `import { EventEmitter } from 'node:events';\nexport const core = new EventEmitter();\nexport function createMessage(message: { room: string }) {\n  core.emit('messages:new', message);\n}\n`,
      '/app/src/relay.ts': `import { core } from './core';\nimport { io } from './io';\ncore.on('messages:new', (message: { room: string }) => {\n  io.to(message.room).emit('messages:new', message);\n});\n`,
      '/app/src/routes.ts': `import express from 'express';\nimport { createMessage } from './core';\nexport const app = express();\napp.post('/messages', (req, res) => {\n  createMessage(req.body);\n  res.end();\n});\n`,
    };
    expect(typedFindings(relayed)).toEqual(['new Server() has no adapter, so `io.to(…).emit()` on POST /messages (src/routes.ts:4) reaches only the clients connected to this instance.']);
    const unreached = { ...relayed, '/app/src/routes.ts': `export {};\n` };
    expect(typedFindings(unreached)).toEqual(['new Server() has no adapter, so `io.to(…).emit()` (src/relay.ts:4), run when this process emits "messages:new", reaches only the clients connected to this instance.']);
    const fromTimer = { ...unreached, '/app/src/core.ts': `import { EventEmitter } from 'node:events';\nexport const core = new EventEmitter();\nsetInterval(() => core.emit('messages:new', { room: 'all' }), 1000);\n` };
    expect(typedFindings(fromTimer)).toEqual([]);
  });

  it('an emitter kept on globalThis is one per process: reported when a route emits to what another subscribes, quiet when only a timer emits', () => {
    const bus = `import { EventEmitter } from 'node:events';\nconst globalForEvents = globalThis as unknown as { wall?: EventEmitter };\nexport const wall = globalForEvents.wall ?? (globalForEvents.wall = new EventEmitter());\n`;
    const routes = `import express from 'express';\nimport { wall } from './bus';\nexport const app = express();\napp.get('/feed', (req, res) => {\n  const send = (route: { id: number }) => res.write(\`data: \${route.id}\\n\\n\`);\n  wall.on('route', send);\n  req.on('close', () => wall.off('route', send));\n});\n`;
    const emitted = { '/app/src/bus.ts': bus, '/app/src/routes.ts': `${routes}app.post('/routes', (req, res) => {\n  wall.emit('route', { id: 1 });\n  res.end();\n});\n` };
    const busFindings = (program: Record<string, string>): string[] => {
      const built = createProgram(program);
      return analyzeSourceFile(built.getSourceFile('/app/src/bus.ts')!, { program: built, projectRoot: '/app', rules: ['no-in-memory-pubsub'] }).map((finding) => finding.messageId);
    };
    expect(busFindings(emitted)).toEqual(['emitterInMemory']);
    const fromTimer = { '/app/src/bus.ts': `${bus}setInterval(() => wall.emit('route', { id: 0 }), 1000);\n`, '/app/src/routes.ts': routes };
    expect(busFindings(fromTimer)).toEqual([]);
  });

  it('is quiet when a third file gives the server its adapter', () => {
    const withAdapter = { ...files, '/app/src/scale.ts': `import { createAdapter } from '@socket.io/redis-adapter';\nimport { Redis } from 'ioredis';\nimport { io } from './io';\nconst pub = new Redis();\nio.adapter(createAdapter(pub, pub.duplicate()));\n` };
    expect(typedFindings(withAdapter)).toEqual([]);
  });
});

describe('typed: rooms kept as objects and NestJS events, across files', () => {
  function messages(files: Record<string, string>, file: string): string[] {
    const built = createProgram(files);
    const sourceFile = built.getSourceFile(file)!;
    return analyzeSourceFile(sourceFile, { program: built, projectRoot: '/app', rules: ['no-in-memory-pubsub'] }).map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
  }

  // Fastify: one Room per document, kept by a registry in another file; SSE replies join it, a route publishes.
  const fastifyRooms = {
    '/app/src/room.ts': `import type { ServerResponse } from 'node:http';\nexport class Room {\n  readonly listeners = new Set<ServerResponse>();\n  join(res: ServerResponse) {\n    this.listeners.add(res);\n  }\n  publish(data: string) {\n    for (const res of this.listeners) res.write(\`data: \${data}\\n\\n\`);\n  }\n}\n`,
    '/app/src/registry.ts': `import { Room } from './room';\nconst rooms = new Map<string, Room>();\nexport function roomFor(id: string): Room {\n  const room = rooms.get(id) ?? new Room();\n  rooms.set(id, room);\n  return room;\n}\n`,
    '/app/src/server.ts': `import Fastify from 'fastify';\nimport { roomFor } from './registry';\nconst app = Fastify();\napp.get('/docs/:id/events', (request, reply) => {\n  roomFor((request.params as { id: string }).id).join(reply.raw);\n});\napp.post('/docs/:id/edits', async (request) => {\n  roomFor((request.params as { id: string }).id).publish(JSON.stringify(request.body));\n  return { ok: true };\n});\n`,
  };

  it('reports the client set of a room class whose instances a registry in another file keeps', () => {
    expect(messages(fastifyRooms, '/app/src/room.ts')).toEqual([
      '3: Each `Room` keeps its connected clients in `listeners`, in this process only: GET /docs/:id/events (src/server.ts:4) adds to it and POST /docs/:id/edits (src/server.ts:7) sends to its entries, so clients of the same Room connected to another instance never get the message.',
    ]);
    // The registry is the room class's business: it is not also a session or a cache.
    expect(messages(fastifyRooms, '/app/src/registry.ts')).toEqual([]);
  });

  it('is quiet when each request makes its own room and drops it', () => {
    const perRequest = { ...fastifyRooms, '/app/src/registry.ts': `import { Room } from './room';\nexport function roomFor(id: string): Room {\n  void id;\n  return new Room();\n}\n` };
    expect(messages(perRequest, '/app/src/room.ts')).toEqual([]);
  });

  const nestEvents = {
    '/app/src/app.module.ts': `import { Module } from '@nestjs/common';\nimport { EventEmitterModule } from '@nestjs/event-emitter';\nimport { OrdersController } from './orders.controller';\nimport { OrdersListener } from './orders.listener';\n@Module({ imports: [EventEmitterModule.forRoot({ wildcard: true })], controllers: [OrdersController], providers: [OrdersListener] })\nexport class AppModule {}\n`,
    '/app/src/orders.controller.ts': `import { Controller, Param, Patch } from '@nestjs/common';\nimport { EventEmitter2 } from '@nestjs/event-emitter';\n@Controller('orders')\nexport class OrdersController {\n  constructor(private readonly eventEmitter: EventEmitter2) {}\n  @Patch(':id/ship')\n  ship(@Param('id') id: string) {\n    this.eventEmitter.emit(OrderEvents.Shipped, id);\n  }\n}\nexport const OrderEvents = { Shipped: 'order.shipped' } as const;\n`,
    '/app/src/tracking.ts': `import type { WebSocket } from 'ws';\nexport class Tracking {\n  private readonly watchers: WebSocket[] = [];\n  watch(ws: WebSocket) {\n    this.watchers.push(ws);\n  }\n  announce(id: string) {\n    this.watchers.forEach((ws) => ws.send(id));\n  }\n}\nconst trackings = new Map<string, Tracking>();\nexport function trackingOf(id: string): Tracking {\n  let tracking = trackings.get(id);\n  if (!tracking) {\n    tracking = new Tracking();\n    trackings.set(id, tracking);\n  }\n  return tracking;\n}\n`,
    '/app/src/tracking.gateway.ts': `import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';\nimport type { WebSocket } from 'ws';\nimport { trackingOf } from './tracking';\n@WebSocketGateway()\nexport class TrackingGateway implements OnGatewayConnection {\n  handleConnection(ws: WebSocket) {\n    trackingOf('all').watch(ws);\n  }\n}\n`,
    '/app/src/orders.listener.ts': `import { Injectable } from '@nestjs/common';\nimport { OnEvent } from '@nestjs/event-emitter';\nimport { trackingOf } from './tracking';\nimport { OrderEvents } from './orders.controller';\n@Injectable()\nexport class OrdersListener {\n  @OnEvent(OrderEvents.Shipped)\n  onShipped(id: string) {\n    trackingOf(id).announce(id);\n  }\n}\n`,
  };

  it('reports EventEmitterModule.forRoot() when a route emits an event whose @OnEvent listener sends to this instance’s clients', () => {
    expect(messages(nestEvents, '/app/src/app.module.ts')).toEqual([
      '5: `EventEmitterModule.forRoot()` delivers events inside this process only: "OrderEvents.Shipped", emitted on PATCH /orders/:id/ship (OrdersController.ship, src/orders.controller.ts:6), runs the `@OnEvent` listener OrdersListener.onShipped, which sends to the clients connected to this instance (src/tracking.ts:8). Clients connected to other instances never hear of it; publish the event through Redis pub/sub so every instance tells its own clients.',
    ]);
  });

  it('is quiet when the listener only does work any instance can do', () => {
    const quiet = { ...nestEvents, '/app/src/orders.listener.ts': `import { Injectable } from '@nestjs/common';\nimport { OnEvent } from '@nestjs/event-emitter';\nimport { OrderEvents } from './orders.controller';\n@Injectable()\nexport class OrdersListener {\n  shipped: string[] = [];\n  @OnEvent(OrderEvents.Shipped)\n  async onShipped(id: string) {\n    await fetch('https://mail.example.com/send', { method: 'POST', body: id });\n  }\n}\n` };
    expect(messages(quiet, '/app/src/app.module.ts')).toEqual([]);
  });
});

describe('typed: a CommonJS socket.io server kept on `global` (secret-hitler)', () => {
  // bin/dev.js starts the server (express-generator's layout) and stores io on global; a socket
  // handler in another file broadcasts through the global.
  const start = `'use strict';\nconst http = require('http');\nconst express = require('express');\nglobal.app = express();\nconst server = http.createServer(app);\nglobal.io = require('socket.io')(server);\nserver.listen(process.env.PORT || 8080);\nrequire('../routes/socket/routes')();\n`;
  const files: Record<string, string> = {
    '/app/bin/dev.js': start,
    '/app/routes/socket/routes.js': `const { handleNewGeneralChat } = require('./user-events/chat');\nmodule.exports = () => {\n  io.on('connection', (socket) => {\n    socket.on('addNewGeneralChat', (data) => {\n      handleNewGeneralChat(socket, data);\n    });\n  });\n};\n`,
    '/app/routes/socket/user-events/chat.js': `const generalChats = { list: [] };\nmodule.exports.handleNewGeneralChat = (socket, data) => {\n  generalChats.list.push(data.chat);\n  io.sockets.emit('generalChats', generalChats);\n};\n`,
  };

  function startFindings(program: Record<string, string>, file = '/app/bin/dev.js'): string[] {
    const built = createProgram(program);
    const sourceFile = built.getSourceFile(file)!;
    return analyzeSourceFile(sourceFile, { program: built, projectRoot: '/app', rules: ['no-in-memory-pubsub'] }).map(
      (finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`,
    );
  }

  it('reports the server in bin/dev.js when a socket event in another file broadcasts through the global', () => {
    expect(startFindings(files)).toEqual([
      '6: require(\'socket.io\')() has no adapter, so `io.sockets.emit()` on socket connection (routes/socket/routes.js:3) and 1 other handler reaches only the clients connected to this instance.' + STICKY_NOTE_TEXT,
    ]);
  });

  it('is quiet when another file gives the server the Redis adapter', () => {
    const withAdapter = { ...files, '/app/lib/scale.js': `const { createAdapter } = require('@socket.io/redis-adapter');\nconst { createClient } = require('redis');\nconst pub = createClient();\nio.adapter(createAdapter(pub, pub.duplicate()));\n` };
    expect(startFindings(withAdapter)).toEqual([]);
  });

  it('is quiet for a socket.io client stored on global', () => {
    const client = { ...files, '/app/bin/dev.js': start.replace("require('socket.io')(server)", "require('socket.io-client')('http://game.example.com')") };
    expect(startFindings(client)).toEqual([]);
  });

  it('is quiet for a command-line tool in bin/ (a #! line, or no server started)', () => {
    expect(startFindings({ ...files, '/app/bin/dev.js': `#!/usr/bin/env node\n${start}` })).toEqual([]);
    expect(startFindings({ ...files, '/app/bin/dev.js': start.replace('server.listen(process.env.PORT || 8080);\n', '') })).toEqual([]);
  });

  it('is quiet in scripts/, even when the file starts a server', () => {
    expect(startFindings({ ...files, '/app/scripts/bin/dev.js': start, '/app/bin/dev.js': 'module.exports = {};\n' }, '/app/scripts/bin/dev.js')).toEqual([]);
  });
});

const STICKY_NOTE_TEXT =
  " socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.";

describe('rooms kept by hand in older CommonJS: indexed loops, exported helpers, recipients gathered across rooms', () => {
  // socket.io with its own rooms unused: each board's sockets sit in a module object, and a move is
  // sent to everyone who shares a board with the mover, one socket at a time.
  const BOARDS = `const http = require('http');
const server = http.createServer();
const io = require('socket.io')(server, { path: '/socketio' });
const rooms = {};
const socketRooms = {};

exports.roomClients = function (room) {
  return rooms.hasOwnProperty(room) ? rooms[room].array() : [];
};

function join(client, room) {
  if (!socketRooms[client.id]) socketRooms[client.id] = new Set();
  socketRooms[client.id].add(room);
  if (!rooms[room]) rooms[room] = new Set();
  rooms[room].add(client);
}

function toRoommates(client, message) {
  const roommates = new Set();
  for (const room of socketRooms[client.id] || []) {
    const members = Array.from(rooms[room]);
    for (let j = 0; j < members.length; j++) roommates.add(members[j]);
  }
  roommates.delete(client);
  const list = Array.from(roommates);
  for (let k = 0; k < list.length; k++) list[k].send(message);
}

io.on('connection', (client) => {
  client.on('join', (room) => join(client, room));
  client.on('move', (message) => toRoommates(client, message));
});
server.listen(3000);
`;

  function found(code: string, program?: ts.Program): string[] {
    const fileName = '/app/server.js';
    const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    return analyzeSourceFile(sourceFile, { program, projectRoot: '/app' }).map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
  }

  const expected = [
    "no-in-memory-pubsub 3: require('socket.io')() has no adapter, so `list[k].send()` on socket connection (server.js:29) and 1 other handler reaches only the clients connected to this instance. socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.",
    'no-in-memory-pubsub 4: `rooms` lists the clients connected to this instance; socket connection (server.js:29) and 1 other handler adds to it and socket connection (server.js:29) and 1 other handler sends to its entries. Clients connected to other instances never get the message.',
  ];

  it('untyped: reports the socket list and the server; the index of each socket\'s rooms is the connection\'s own', () => {
    expect(found(BOARDS)).toEqual(expected);
  });

  it('typed: the same', () => {
    expect(found(BOARDS, createProgram({ '/app/server.js': BOARDS }))).toEqual(expected);
  });

  it('an exported helper that hands back one room, walked with an index', () => {
    const code = BOARDS.replace(
      'function toRoommates(client, message) {',
      'function toBoard(room, message) {\n  const clients = exports.roomClients(room);\n  for (let i = 0; i < clients.length; i++) clients[i].send(message);\n}\n\nfunction toRoommates(client, message) {',
    ).replace("client.on('move', (message) => toRoommates(client, message));", "client.on('move', (message) => toBoard(message.board, message));");
    expect(found(code)).toEqual([
      "no-in-memory-pubsub 3: require('socket.io')() has no adapter, so `clients[i].send()` on socket connection (server.js:34) and 1 other handler reaches only the clients connected to this instance. socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.",
      'no-in-memory-pubsub 4: `rooms` lists the clients connected to this instance; socket connection (server.js:34) and 1 other handler adds to it and socket connection (server.js:34) and 1 other handler sends to its entries. Clients connected to other instances never get the message.',
    ]);
  });

  it('names kept per room are who is connected here, not a session; a cart kept per user still is one', () => {
    const code = `const io = require('socket.io')(3000);
const roomUsers = {};
const carts = {};
io.on('connection', (client) => {
  client.on('join', (room) => {
    if (!roomUsers[room]) roomUsers[room] = new Set();
    roomUsers[room].add(client.username);
  });
  client.on('leave', (room) => { delete roomUsers[room]; });
  client.on('cart', (item) => {
    if (!carts[client.user]) carts[client.user] = [];
    carts[client.user].push(item);
  });
});
`;
    expect(found(code).map((finding) => finding.slice(0, finding.indexOf(':')))).toEqual(['no-in-memory-session 3']);
  });

  it('is quiet for sockets kept by their own id and only disconnected at shutdown', () => {
    const code = `const io = require('socket.io')(3000);
const sockets = {};
io.on('connection', (socket) => {
  sockets[socket.id] = socket;
  socket.on('disconnect', () => { delete sockets[socket.id]; });
});
process.on('SIGTERM', () => {
  const ids = Object.keys(sockets);
  for (let i = 0; i < ids.length; i++) sockets[ids[i]].disconnect(true);
});
`;
    expect(found(code)).toEqual([]);
  });

  it('is quiet for an indexed loop that sends to one connection, not to the elements', () => {
    const code = `const io = require('socket.io')(3000);
const history = [];
io.on('connection', (socket) => {
  socket.on('say', (line) => { history.push(line); });
  socket.on('replay', () => {
    for (let i = 0; i < history.length; i++) socket.emit('line', history[i]);
  });
});
`;
    expect(found(code).filter((finding) => finding.startsWith('no-in-memory-pubsub'))).toEqual([]);
  });
});

describe('a room made in a local first (`let set = rooms.get(id); if (!set) { set = new Set(); rooms.set(id, set); } set.add(socket)`)', () => {
  // ws clients watching a document: an edit through one instance is sent to the watchers of that instance only.
  const WATCHERS = `import express from 'express';
import { WebSocketServer } from 'ws';

const app = express();
const server = app.listen(3000);
const wss = new WebSocketServer({ server });
const watchers = new Map();

wss.on('connection', (socket, req) => {
  const docId = new URL(req.url, 'http://x').searchParams.get('doc');
  let set = watchers.get(docId);
  if (!set) {
    set = new Set();
    watchers.set(docId, set);
  }
  set.add(socket);
  socket.on('close', () => {
    set.delete(socket);
    if (set.size === 0) watchers.delete(docId);
  });
});

app.put('/docs/:id', express.json(), (req, res) => {
  const set = watchers.get(req.params.id);
  if (set) for (const ws of set) ws.send(JSON.stringify(req.body));
  res.end();
});
`;
  const fileName = '/app/server.js';
  function found(code: string, typed: boolean): string[] {
    const program = typed ? createProgram({ [fileName]: code }) : undefined;
    const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    return analyzeSourceFile(sourceFile, { program, projectRoot: '/app' }).map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
  }
  const expected = [
    'no-in-memory-pubsub 7: `watchers` lists the clients connected to this instance; socket connection (server.js:9) and 1 other handler adds to it and PUT /docs/:id (server.js:23) sends to its entries. Clients connected to other instances never get the message.',
  ];

  it.each([false, true])('typed %s: the watchers are reported as a list of connected clients', (typed) => {
    expect(found(WATCHERS, typed)).toEqual(expected);
  });

  it.each([false, true])('typed %s: closed one by one and cleared at shutdown, the watchers are taken down, not flushed: still reported', (typed) => {
    const shutdown = WATCHERS.replace(
      "app.put('/docs/:id'",
      "process.on('SIGTERM', () => {\n  for (const [docId, set] of watchers) {\n    for (const ws of set) ws.close(1001);\n    console.log('closed', docId);\n    release(docId);\n  }\n  watchers.clear();\n});\nfunction release(docId) {\n  return docId;\n}\n\napp.put('/docs/:id'",
    );
    expect(found(shutdown, typed)).toEqual([expected[0].replace('(server.js:23)', '(server.js:35)')]);
  });

  it.each([false, true])('typed %s: ids indexed per tag the same way are no list of clients, nor are sockets nothing sends to', (typed) => {
    const index = WATCHERS.replace('set.add(socket);', 'set.add(req.headers.host);').replace('set.delete(socket);', 'set.delete(req.headers.host);');
    expect(found(index, typed).filter((finding) => finding.startsWith('no-in-memory-pubsub'))).toEqual([]);
    const unsent = WATCHERS.replace('if (set) for (const ws of set) ws.send(JSON.stringify(req.body));', 'res.setHeader("x-watchers", String(set ? set.size : 0));');
    expect(found(unsent, typed)).toEqual([]);
  });
});

describe('a flat list of who is connected (`online.add(name)` read off the socket, deleted on disconnect)', () => {
  const PRESENCE = `const http = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const server = http.createServer();
const io = new Server(server);
io.adapter(createAdapter(pub, sub));
const online = new Set();
io.on('connection', (socket) => {
  const name = String(socket.handshake.auth.name || 'guest');
  online.add(name);
  io.emit('presence', [...online]);
  socket.on('disconnect', () => {
    online.delete(name);
    io.emit('presence', [...online]);
  });
});
server.listen(3000);
`;
  const fileName = '/app/server.js';
  function found(code: string, typed: boolean): string[] {
    const program = typed ? createProgram({ [fileName]: code }) : undefined;
    const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    return analyzeSourceFile(sourceFile, { program, projectRoot: '/app' }).map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
  }

  it.each([false, true])('typed %s: presence of this instance, sent to the clients: the pub/sub rule, not a session', (typed) => {
    expect(found(PRESENCE, typed)).toEqual([
      'no-in-memory-pubsub 7: `online` lists the clients connected to this instance; socket connection (server.js:8) and 1 other handler adds to it and socket connection (server.js:8) and 1 other handler sends the list to a client, which never learns of the clients connected to other instances.',
    ]);
  });

  it.each([false, true])('typed %s: names a login route adds (not read off a socket) stay per-user state', (typed) => {
    const login = PRESENCE.replace("const name = String(socket.handshake.auth.name || 'guest');\n  online.add(name);\n", '').replace(
      'server.listen(3000);',
      "require('express')().post('/login', (req, res) => {\n  online.add(req.body.name);\n  res.end();\n});\nserver.listen(3000);",
    ).replace('    online.delete(name);\n', '');
    expect(found(login, typed).map((finding) => finding.slice(0, finding.indexOf(':')))).toEqual(['no-in-memory-session 7']);
  });
});

// From the legacy apps corpus (bike-workshop): the emitter is a subclass with a method of its own that
// emits through `this`, and the module exports its one instance; routes publish through that method.
describe('an EventEmitter subclass that emits through `this` in its own method', () => {
  const BUS = `import { EventEmitter } from 'node:events';
class BoardEvents extends EventEmitter {
  publish(event: { id: number }): void {
    this.emit('board', event);
  }
}
export const boardEvents = new BoardEvents();
`;
  const ROUTES = `import express from 'express';
import { boardEvents } from './bus';
export const app = express();
app.get('/board', (req, res) => {
  const send = (event: { id: number }) => res.write(\`data: \${event.id}\\n\\n\`);
  boardEvents.on('board', send);
  req.on('close', () => boardEvents.off('board', send));
});
app.post('/repairs', (req, res) => {
  boardEvents.publish({ id: 1 });
  res.end();
});
`;
  function messages(files: Record<string, string>, file: string): string[] {
    const built = createProgram(files);
    const sourceFile = built.getSourceFile(file)!;
    return analyzeSourceFile(sourceFile, { program: built, projectRoot: '/app', rules: ['no-in-memory-pubsub'] }).map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
  }

  it('typed: the module\'s one instance is the emitter the route publishes on, reported at its declaration', () => {
    expect(messages({ '/app/src/bus.ts': BUS, '/app/src/routes.ts': ROUTES }, '/app/src/bus.ts')).toEqual([
      '7: `boardEvents` is an in-process event emitter: requests waiting on GET /board (src/routes.ts:4) only hear what POST /repairs (src/routes.ts:9) emits on this same instance. Behind a load balancer that request usually reaches another instance, and the waiting client never hears it.',
    ]);
  });

  it('untyped: the same in one file', () => {
    const oneFile = `${BUS.replace('export const boardEvents', 'const boardEvents')}${ROUTES.replace("import { boardEvents } from './bus';\n", '').replace("import express from 'express';\n", '')}`.replace("import { EventEmitter } from 'node:events';\n", "import { EventEmitter } from 'node:events';\nimport express from 'express';\n");
    const sourceFile = ts.createSourceFile('/app/src/board.ts', oneFile, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    expect(analyzeSourceFile(sourceFile, { rules: ['no-in-memory-pubsub'] }).map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.messageId}`)).toEqual(['8: emitterInMemory']);
  });

  it('stays quiet when the module makes two instances (each its own emitter, `this` names neither), or when only a timer publishes', () => {
    const two = BUS.replace('export const boardEvents = new BoardEvents();', 'export const boardEvents = new BoardEvents();\nexport const kitchenEvents = new BoardEvents();');
    expect(messages({ '/app/src/bus.ts': two, '/app/src/routes.ts': ROUTES }, '/app/src/bus.ts')).toEqual([]);
    const timer = ROUTES.replace("app.post('/repairs', (req, res) => {\n  boardEvents.publish({ id: 1 });\n  res.end();\n});\n", 'setInterval(() => boardEvents.publish({ id: 0 }), 1000);\n');
    expect(messages({ '/app/src/bus.ts': BUS, '/app/src/routes.ts': timer }, '/app/src/bus.ts')).toEqual([]);
  });
});
