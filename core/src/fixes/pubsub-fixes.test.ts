import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { applyPlan as apply, planFirst as planFirstOf, ROOT } from '../testing/fix-plans';
import { createProgram } from '../testing/program';

function plan(files: Record<string, string>, fileName: string) {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(fileName)!;
  const finding = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-in-memory-pubsub'] })[0];
  expect(finding, `a no-in-memory-pubsub finding in ${fileName}`).toBeDefined();
  return planFixes(sourceFile, finding, { program, projectRoot: ROOT });
}

function findingsAfter(files: Record<string, string>): number {
  const program = createProgram(files);
  return Object.keys(files)
    .filter((name) => name.endsWith('.ts'))
    .reduce((count, name) => count + analyzeSourceFile(program.getSourceFile(name)!, { program, projectRoot: ROOT, rules: ['no-in-memory-pubsub'] }).length, 0);
}

const SERVER = `import express from 'express';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

export const app = express();
const httpServer = createServer(app);
const io = new Server(httpServer, {
  cors: { origin: '*' },
});

app.post('/announcements', express.json(), (req, res) => {
  io.emit('announcement', req.body);
  res.sendStatus(202);
});
`;

describe('planFixes: a socket.io server gets the Redis adapter', () => {
  it('adds `adapter: redisAdapter()` as the first option and imports the generated adapter', () => {
    const files = { [`${ROOT}/src/server.ts`]: SERVER };
    const move = plan(files, `${ROOT}/src/server.ts`).plans.find((candidate) => candidate.messageId === 'socketIoAddRedisAdapter')!;
    expect(move.message).toBe('Broadcast through Redis with @socket.io/redis-adapter (clients from REDIS_URL)');
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/redis.ts`, `${ROOT}/src/scaling/socket-io.ts`]);
    expect(move.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`).sort()).toEqual(['@socket.io/redis-adapter@^8.3.0', 'ioredis@^5.8.2']);
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/src/server.ts`]).toBe(`import express from 'express';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { redisAdapter } from './scaling/socket-io';

export const app = express();
const httpServer = createServer(app);
const io = new Server(httpServer, {
  adapter: redisAdapter(),
  cors: { origin: '*' },
});

app.post('/announcements', express.json(), (req, res) => {
  io.emit('announcement', req.body);
  res.sendStatus(202);
});
`);
    expect(findingsAfter(fixed)).toBe(0);
  });

  it('gives a server created without options a new options argument', () => {
    const files = { [`${ROOT}/src/server.ts`]: SERVER.replace("new Server(httpServer, {\n  cors: { origin: '*' },\n})", 'new Server(httpServer)') };
    const move = plan(files, `${ROOT}/src/server.ts`).plans.find((candidate) => candidate.messageId === 'socketIoAddRedisAdapter')!;
    expect(apply(files, move)[`${ROOT}/src/server.ts`]).toContain("import { redisAdapter } from './scaling/socket-io';\n\nexport const app = express();\nconst httpServer = createServer(app);\nconst io = new Server(httpServer, { adapter: redisAdapter() });\n");
  });

  it('gives the same adapter to a server whose broadcast runs in a listener of an in-process event', () => {
    const relay = `import { EventEmitter } from 'node:events';
import { Server } from 'socket.io';

const io = new Server(3000);
export const core = new EventEmitter();

core.on('rooms:update', (room: { id: string }) => {
  io.to(room.id).emit('rooms:update', room);
});

export function saveRoom(room: { id: string }): void {
  core.emit('rooms:update', room);
}
`;
    const files = { [`${ROOT}/src/server.ts`]: relay };
    const found = plan(files, `${ROOT}/src/server.ts`);
    const move = found.plans.find((candidate) => candidate.messageId === 'socketIoAddRedisAdapter')!;
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/src/server.ts`]).toBe(relay.replace("import { Server } from 'socket.io';\n", "import { Server } from 'socket.io';\nimport { redisAdapter } from './scaling/socket-io';\n").replace('new Server(3000)', 'new Server(3000, { adapter: redisAdapter() })'));
    expect(findingsAfter(fixed)).toBe(0);
  });

  it('gives `adapter: undefined` a value instead of adding a second adapter key', () => {
    const files = { [`${ROOT}/src/server.ts`]: SERVER.replace("cors: { origin: '*' },", "adapter: undefined,\n  cors: { origin: '*' },") };
    const move = plan(files, `${ROOT}/src/server.ts`).plans.find((candidate) => candidate.messageId === 'socketIoAddRedisAdapter')!;
    expect(apply(files, move)[`${ROOT}/src/server.ts`]).toContain("const io = new Server(httpServer, {\n  adapter: redisAdapter(),\n  cors: { origin: '*' },\n});\n");
  });

  it('refuses for a NestJS gateway, saying where its adapter goes', () => {
    const files = {
      [`${ROOT}/src/chat.gateway.ts`]: `import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server } from 'socket.io';

@WebSocketGateway()
export class ChatGateway {
  @WebSocketServer()
  server!: Server;

  @SubscribeMessage('message')
  handleMessage(@MessageBody() message: string): void {
    this.server.emit('message', message);
  }
}
`,
    };
    expect(plan(files, `${ROOT}/src/chat.gateway.ts`).refused).toEqual({
      title: 'Broadcast through Redis',
      reason:
        'a NestJS gateway gets its adapter where the app starts: extend IoAdapter from @nestjs/platform-socket.io, call `server.adapter(redisAdapter())` in its createIOServer, and install it with `app.useWebSocketAdapter(…)` in main.ts',
    });
  });
});

// A NestJS gateway's server is made by the app's WebSocket adapter: the Redis adapter goes into
// one that main.ts installs right after NestFactory.create.
describe('planFixes: a NestJS gateway broadcasts through Redis', () => {
  const GATEWAY = `import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';

@WebSocketGateway({ namespace: '/waiting-room' })
export class WaitingRoomGateway {
  @WebSocketServer()
  server!: Namespace;

  @SubscribeMessage('follow')
  follow(@ConnectedSocket() client: Socket, @MessageBody() vetId: number) {
    client.join(\`vet:\${vetId}\`);
    return { following: vetId };
  }

  announce(vetId: number, payload: unknown) {
    this.server.to(\`vet:\${vetId}\`).emit('booked', payload);
  }
}
`;
  const CONTROLLER = `import { Body, Controller, Post } from '@nestjs/common';
import { WaitingRoomGateway } from './waiting-room.gateway';

@Controller('appointments')
export class AppointmentsController {
  constructor(private readonly waitingRoom: WaitingRoomGateway) {}

  @Post()
  book(@Body() body: { vetId: number; time: string }) {
    this.waitingRoom.announce(body.vetId, body);
    return body;
  }
}
`;
  const MAIN = `import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useGlobalPipes(new ValidationPipe());
  await app.listen(3000);
}

bootstrap();
`;
  const project = (dependencies: Record<string, string>, main = MAIN) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-nest-gateway-'));
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ dependencies }));
    const files = {
      [`${root}/src/waiting-room.gateway.ts`]: GATEWAY,
      [`${root}/src/appointments.controller.ts`]: CONTROLLER,
      [`${root}/src/app.module.ts`]: 'export class AppModule {}\n',
      [`${root}/src/main.ts`]: main,
    };
    const program = createProgram(files);
    const sourceFile = program.getSourceFile(`${root}/src/waiting-room.gateway.ts`)!;
    const finding = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-in-memory-pubsub'] })[0];
    expect(finding?.messageId).toBe('socketIoWithoutAdapter');
    return { root, files, planned: planFixes(sourceFile, finding, { program, projectRoot: root }) };
  };
  const SOCKET_IO = { '@nestjs/core': '10.4.4', '@nestjs/platform-socket.io': '10.4.4', '@nestjs/websockets': '10.4.4' };

  it('main.ts gets a RedisIoAdapter whose createIOServer gives each server redisAdapter(), installed after NestFactory.create; the gateway is left as it is', () => {
    const { root, files, planned } = project(SOCKET_IO);
    const move = planned.plans[0];
    expect(move.message).toBe('Broadcast through Redis with @socket.io/redis-adapter (clients from REDIS_URL)');
    expect(move.createFiles.map((file) => path.relative(root, file.fileName)).sort()).toEqual(['src/scaling/redis.ts', 'src/scaling/socket-io.ts']);
    const fixed = apply(files, move);
    expect(fixed[`${root}/src/main.ts`]).toBe(`import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions } from 'socket.io';
import { redisAdapter } from './scaling/socket-io';

/** Gives every gateway's socket.io server the Redis adapter: rooms and broadcasts reach the clients of every instance. */
class RedisIoAdapter extends IoAdapter {
  createIOServer(port: number, options?: ServerOptions) {
    const server = super.createIOServer(port, options);
    server.adapter(redisAdapter());
    return server;
  }
}

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  app.useGlobalPipes(new ValidationPipe());
  await app.listen(3000);
}

bootstrap();
`);
    expect(fixed[`${root}/src/waiting-room.gateway.ts`]).toBe(GATEWAY);
    const program = createProgram(fixed);
    expect(analyzeSourceFile(program.getSourceFile(`${root}/src/waiting-room.gateway.ts`)!, { program, projectRoot: root, rules: ['no-in-memory-pubsub'] })).toEqual([]);
  });

  it('refuses, saying what to do, when the app installs an adapter of its own or socket.io is not the platform it has', () => {
    const own = MAIN.replace('  app.useGlobalPipes', '  app.useWebSocketAdapter(new ClusterAdapter(app));\n  app.useGlobalPipes').replace("import { AppModule } from './app.module';", "import { AppModule } from './app.module';\nimport { ClusterAdapter } from './cluster.adapter';");
    expect(project(SOCKET_IO, own).planned.refused?.reason).toBe(
      'src/main.ts installs a WebSocket adapter of its own: extend IoAdapter from @nestjs/platform-socket.io, call `server.adapter(redisAdapter())` in its createIOServer, and install it with `app.useWebSocketAdapter(…)` in main.ts',
    );
    expect(project({ '@nestjs/core': '10.4.4', '@nestjs/websockets': '10.4.4' }).planned.refused?.reason).toBe(
      'a NestJS gateway gets its adapter where the app starts: extend IoAdapter from @nestjs/platform-socket.io, call `server.adapter(redisAdapter())` in its createIOServer, and install it with `app.useWebSocketAdapter(…)` in main.ts',
    );
  });
});

const EVENTS = `import { EventEmitter } from 'node:events';

export const orderEvents = new EventEmitter();
`;

const ORDERS = `import express from 'express';
import { orderEvents } from './events';

export const app = express();

app.get('/orders/:id/events', (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  const onUpdate = (order: { id: string }) => {
    if (order.id === req.params.id) res.write(\`data: \${JSON.stringify(order)}\\n\\n\`);
  };
  orderEvents.on('updated', onUpdate);
  req.on('close', () => orderEvents.off('updated', onUpdate));
});

function publishUpdate(id: string, status: string): void {
  orderEvents.emit('updated', { id, status });
}

app.patch('/orders/:id', express.json(), (req, res) => {
  publishUpdate(req.params.id, req.body.status);
  res.sendStatus(204);
});
`;

describe('planFixes: an EventEmitter that requests wait on moves to Redis pub/sub', () => {
  const files = { [`${ROOT}/src/events.ts`]: EVENTS, [`${ROOT}/src/orders.ts`]: ORDERS };

  it('creates the channel with the same on/off shape, awaits emit and makes its callers async', () => {
    const move = plan(files, `${ROOT}/src/events.ts`).plans.find((candidate) => candidate.messageId === 'emitterMoveToRedisPubSub')!;
    expect(move.message).toBe('Publish `orderEvents` through Redis pub/sub (src/scaling/pubsub.ts)');
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/pubsub.ts`, `${ROOT}/src/scaling/redis.ts`]);
    const fixed = apply(files, move);
    // The node:events import served only the emitter: it goes, so noUnusedLocals still passes.
    expect(fixed[`${ROOT}/src/events.ts`]).toBe(`import { createPubSub } from './scaling/pubsub';

export const orderEvents = createPubSub('orderEvents');
`);
    expect(fixed[`${ROOT}/src/orders.ts`]).toBe(ORDERS.replace("function publishUpdate(id: string, status: string): void {\n  orderEvents.emit(", "async function publishUpdate(id: string, status: string): Promise<void> {\n  await orderEvents.emit(").replace("express.json(), (req, res) => {\n  publishUpdate(", "express.json(), async (req, res) => {\n  await publishUpdate("));
    expect(findingsAfter(fixed)).toBe(0);
  });

  it("a globalThis emitter (Next.js's dev-reload singleton) is found and replaced whole: the channel outlives a reload", () => {
    const global = {
      ...files,
      [`${ROOT}/src/events.ts`]: `import { EventEmitter } from 'node:events';

const globalForEvents = globalThis as unknown as { orderEvents?: EventEmitter };
export const orderEvents = globalForEvents.orderEvents ?? (globalForEvents.orderEvents = new EventEmitter());
orderEvents.setMaxListeners(100);
`,
    };
    const move = plan(global, `${ROOT}/src/events.ts`).plans.find((candidate) => candidate.messageId === 'emitterMoveToRedisPubSub')!;
    expect(apply(global, move)[`${ROOT}/src/events.ts`]).toBe(`import { EventEmitter } from 'node:events';
import { createPubSub } from './scaling/pubsub';

const globalForEvents = globalThis as unknown as { orderEvents?: EventEmitter };
export const orderEvents = createPubSub('orderEvents');
orderEvents.setMaxListeners(100);
`);
  });

  it('removes the node:events import with its line when other imports follow it', () => {
    const withLogger = { ...files, [`${ROOT}/src/events.ts`]: `import { EventEmitter } from 'node:events';\nimport { log } from './log';\n\nexport const orderEvents = new EventEmitter();\nlog('events ready');\n`, [`${ROOT}/src/log.ts`]: 'export const log = (text: string) => console.log(text);\n' };
    const move = plan(withLogger, `${ROOT}/src/events.ts`).plans.find((candidate) => candidate.messageId === 'emitterMoveToRedisPubSub')!;
    expect(apply(withLogger, move)[`${ROOT}/src/events.ts`]).toBe(`import { log } from './log';\nimport { createPubSub } from './scaling/pubsub';\n\nexport const orderEvents = createPubSub('orderEvents');\nlog('events ready');\n`);
  });

  it.each([
    ['a second payload', "orderEvents.emit('updated', { id, status });", "orderEvents.emit('updated', id, status);", "`orderEvents.emit('updated', id, status)` (src/orders.ts:16) sends more than one value; the adapter sends one payload"],
    ['a member the adapter lacks', "orderEvents.emit('updated', { id, status });", "console.log(orderEvents.eventNames());\n  orderEvents.emit('updated', { id, status });", '`orderEvents.eventNames` (src/orders.ts:16) has no counterpart in the Redis pub/sub adapter'],
    ['the result of emit', "orderEvents.emit('updated', { id, status });", "if (!orderEvents.emit('updated', { id, status })) console.log('nobody listens');", "`orderEvents.emit('updated', { id, status })` (src/orders.ts:16) uses what emit returns, which the adapter answers differently"],
    ['a function payload', "orderEvents.emit('updated', { id, status });", "orderEvents.emit('updated', () => id);", "the payload of `orderEvents.emit('updated', () => id)` (src/orders.ts:16) is a function or a Map/Set, which does not travel as JSON"],
  ])('refuses, with the reason, for %s', (_, before, after, reason) => {
    const changed = { ...files, [`${ROOT}/src/orders.ts`]: ORDERS.replace(before, after) };
    expect(plan(changed, `${ROOT}/src/events.ts`).refused).toEqual({ title: 'Publish `orderEvents` through Redis pub/sub', reason });
  });

  it('refuses for a presence list sent to a client, saying where the list must live', () => {
    const presence = {
      [`${ROOT}/src/presence.ts`]: `import { Server } from 'socket.io';
const io = new Server(3000, { transports: ['websocket'] });
const online = new Map<string, string>();
io.on('connection', (socket) => {
  online.set(socket.id, String(socket.handshake.auth.user));
  socket.emit('online', [...online.values()]);
});
`,
    };
    expect(plan(presence, `${ROOT}/src/presence.ts`).refused).toEqual({
      title: 'Keep `online` in Redis',
      reason:
        "who is connected must be known to every instance: keep the list in Redis (a hash per room of connection id → user, written on connect and join, deleted on disconnect, with each instance's entries expiring when it stops renewing them) and read it from there where it is sent",
    });
  });

  it('a loop written in a handler that reads the request itself is refused: the request cannot travel to the other instances', () => {
    const list = {
      [`${ROOT}/src/sse.ts`]: `import express, { type Response } from 'express';
export const app = express();
const clients = new Set<Response>();
app.get('/events', (req, res) => { clients.add(res); });
app.post('/messages', (req, res) => { for (const client of clients) client.write(\`data: \${req.body.text}\\n\\n\`); res.end(); });
`,
    };
    expect(plan(list, `${ROOT}/src/sse.ts`).refused?.reason).toBe(
      "every instance must hear the broadcast: publish it to a Redis channel on the request path, and send to this instance's own clients in a subscription started at start-up (the loop moves into the subscriber); the loop uses `req`, the handler's own parameter, which cannot travel to the other instances",
    );
  });
});

const SOCKETS_JS = `'use strict';

const { Server } = require('socket.io');

function attachSockets(server) {
  const io = new Server(server);
  io.on('connection', (socket) => socket.join('dashboard'));
  return io;
}

module.exports = { attachSockets };
`;

const SOCKETS_SERVER_JS = `const http = require('http');
const express = require('express');
const { attachSockets } = require('./sockets');

const app = express();
const server = http.createServer(app);
const io = attachSockets(server);
app.post('/announcements', express.json(), (req, res) => {
  io.emit('announcement', req.body);
  res.sendStatus(202);
});
server.listen(3000);
`;

describe('planFixes: socket.io in a JavaScript project', () => {
  it('gets the adapter as a CommonJS module it can require', () => {
    const files = { [`${ROOT}/sockets.js`]: SOCKETS_JS, [`${ROOT}/server.js`]: SOCKETS_SERVER_JS };
    const planned = plan(files, `${ROOT}/sockets.js`);
    const move = planned.plans.find((candidate) => candidate.messageId === 'socketIoAddRedisAdapter')!;
    expect(planned.refused).toBeUndefined();
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/redis.js`, `${ROOT}/src/scaling/socket-io.js`]);
    expect(apply(files, move)[`${ROOT}/sockets.js`]).toBe(
      SOCKETS_JS.replace("const { Server } = require('socket.io');\n", "const { Server } = require('socket.io');\nconst { redisAdapter } = require('./src/scaling/socket-io');\n").replace('new Server(server)', 'new Server(server, { adapter: redisAdapter() })'),
    );
  });

  it('a JavaScript file among TypeScript sources gets JavaScript adapters too: it requires them, and Node loads no .ts', () => {
    const files = { [`${ROOT}/sockets.js`]: SOCKETS_JS, [`${ROOT}/server.js`]: SOCKETS_SERVER_JS, [`${ROOT}/src/app.ts`]: 'export const port = 3000;\n' };
    const planned = plan(files, `${ROOT}/sockets.js`);
    expect(planned.refused).toBeUndefined();
    expect(planned.plans.find((candidate) => candidate.messageId === 'socketIoAddRedisAdapter')!.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/redis.js`, `${ROOT}/src/scaling/socket-io.js`]);
  });
});

const BUS_JS = `'use strict';

const EventEmitter = require('events');

const bus = new EventEmitter();
bus.setMaxListeners(100);

function notify(type, payload) {
  bus.emit('notification', { type, payload });
}

module.exports = { bus, notify };
`;

const BUS_ROUTES_JS = `const express = require('express');
const { bus, notify } = require('./bus');

const router = express.Router();
router.get('/events', (req, res) => {
  const send = (n) => res.write(\`data: \${JSON.stringify(n)}\\n\\n\`);
  bus.on('notification', send);
  req.on('close', () => bus.off('notification', send));
});
router.post('/rooms/:id', (req, res) => {
  notify('room-updated', { id: req.params.id });
  res.json({ ok: true });
});
module.exports = router;
`;

describe('planFixes: an EventEmitter whose listener limit is raised', () => {
  it('moves to Redis pub/sub with setMaxListeners kept as it is (the channel has no limit)', () => {
    const files = { [`${ROOT}/bus.js`]: BUS_JS, [`${ROOT}/routes.js`]: BUS_ROUTES_JS };
    const planned = plan(files, `${ROOT}/bus.js`);
    expect(planned.refused).toBeUndefined();
    const move = planned.plans.find((candidate) => candidate.messageId === 'emitterMoveToRedisPubSub')!;
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/bus.js`]).toBe(
      BUS_JS.replace("const EventEmitter = require('events');\n", "const { createPubSub } = require('./src/scaling/pubsub');\n")
        .replace('new EventEmitter()', "createPubSub('bus')")
        .replace('function notify(type, payload) {\n  bus.emit(', 'async function notify(type, payload) {\n  await bus.emit('),
    );
    expect(fixed[`${ROOT}/routes.js`]).toBe(BUS_ROUTES_JS.replace("router.post('/rooms/:id', (req, res) => {\n  notify(", "router.post('/rooms/:id', async (req, res) => {\n  await notify("));
  });

  it('the JavaScript adapter keeps its header, and what the adapter keeps (its pending subscribe chain) is not reported', () => {
    const files = { [`${ROOT}/bus.js`]: BUS_JS, [`${ROOT}/routes.js`]: BUS_ROUTES_JS };
    const fixed = apply(files, plan(files, `${ROOT}/bus.js`).plans.find((candidate) => candidate.messageId === 'emitterMoveToRedisPubSub')!);
    expect(fixed[`${ROOT}/src/scaling/pubsub.js`].split('\n')[0]).toBe(
      '// Generated by Stateless: events published through Redis, so a listener on any instance hears an emit on any other. Yours to edit.',
    );
    const program = createProgram(fixed);
    const findings = Object.keys(fixed).flatMap((name) => analyzeSourceFile(program.getSourceFile(name)!, { program, projectRoot: ROOT }).map((finding) => `${name.slice(ROOT.length + 1)}: ${finding.ruleId}`));
    expect(findings).toEqual([]);
    // Without the header, the same chain in the project's own code is reported (the look-alike).
    const own = { ...fixed, [`${ROOT}/src/scaling/pubsub.js`]: fixed[`${ROOT}/src/scaling/pubsub.js`].replace(/^[^\n]*\n/, '') };
    const ownProgram = createProgram(own);
    expect(analyzeSourceFile(ownProgram.getSourceFile(`${ROOT}/src/scaling/pubsub.js`)!, { program: ownProgram, projectRoot: ROOT }).map((finding) => `${finding.ruleId}: ${finding.data.name}`)).toEqual(['no-in-process-lock: pending']);
  });
});

describe('planFixes: a socket.io server a library makes', () => {
  it("express.oi's `express().http().io()` takes no adapter option: refused with where the adapter goes, not a NestJS gateway's steps", () => {
    const files = {
      [`${ROOT}/app.js`]: `const express = require('express.oi');
const app = express().http().io();
app.post('/rooms/:id/messages', (req, res) => {
  app.io.to(req.params.id).emit('messages:new', req.body);
  res.end();
});
app.listen(3000);
`,
    };
    expect(plan(files, `${ROOT}/app.js`).refused?.reason).toBe(
      '`express().http().io()` makes the socket.io server, and takes no options the fix can give it; give that server the Redis adapter where it is made (`io.adapter(createAdapter(pubClient, subClient))` from @socket.io/redis-adapter)',
    );
  });
});

// From the legacy apps corpus (bike-workshop): the emitter is an instance of a subclass with a
// `publish` method of its own; the adapter has only the emitter's members, so the fix refuses and
// says what the class adds (before, it said the instance "is not an EventEmitter").
describe('planFixes: an instance of an EventEmitter subclass', () => {
  it('is refused, naming the subclass and the members it adds', () => {
    const files = {
      [`${ROOT}/src/bus.ts`]: `import { EventEmitter } from 'node:events';
class BoardEvents extends EventEmitter {
  publish(event: { id: number }): void {
    this.emit('board', event);
  }
}
export const boardEvents = new BoardEvents();
`,
      [`${ROOT}/src/routes.ts`]: `import express from 'express';
import { boardEvents } from './bus';
export const app = express();
app.get('/board', (req, res) => {
  const send = (event: { id: number }) => res.write(\`data: \${event.id}\\n\\n\`);
  boardEvents.on('board', send);
});
app.post('/repairs', (req, res) => {
  boardEvents.publish({ id: 1 });
  res.end();
});
`,
    };
    expect(planFirstOf(files, 'no-in-memory-pubsub', `${ROOT}/src/bus.ts`).refused?.reason).toBe(
      '`boardEvents` is a `BoardEvents`, a subclass of EventEmitter with members of its own (`publish`), and the adapter is only an emitter: publish its values through the pub/sub adapter by hand',
    );
  });
});

describe('planFixes: an in-memory GraphQL subscription engine is refused with the engine to swap it for', () => {
  it("graphql-subscriptions' PubSub: graphql-redis-subscriptions' RedisPubSub, the payloads checked for what JSON changes", () => {
    const files = { [`${ROOT}/src/pubsub.ts`]: `import { PubSub } from 'graphql-subscriptions';\n\nexport const pubsub = new PubSub();\n` };
    expect(plan(files, `${ROOT}/src/pubsub.ts`).refused).toEqual({
      title: 'Share the GraphQL subscription engine through Redis',
      reason:
        "the subscriptions' engine is chosen where `new PubSub()` is made: give it one every instance shares, graphql-redis-subscriptions' `RedisPubSub` (a publisher and a subscriber Redis connection), whose `publish` and `asyncIterator` keep their shape; what is published then travels between instances as JSON, so check what the subscription resolvers read from each payload first (a `Date` arrives as a string, a class instance as a plain object)",
    });
  });

  it("GraphQL Yoga's createPubSub(): the Redis event target", () => {
    const files = { [`${ROOT}/src/pubsub.ts`]: `import { createPubSub } from 'graphql-yoga';\n\nexport const pubSub = createPubSub();\n` };
    expect(plan(files, `${ROOT}/src/pubsub.ts`).refused?.reason).toBe(
      "the subscriptions' engine is chosen where `createPubSub()` is made: give it one every instance shares, `createPubSub({ eventTarget })` given `createRedisEventTarget({ publishClient, subscribeClient })` from @graphql-yoga/redis-event-target; what is published then travels between instances as JSON, so check what the subscription resolvers read from each payload first (a `Date` arrives as a string, a class instance as a plain object)",
    );
  });
});

// From a real CommonJS game server on socket.io 2: the fix gave it @socket.io/redis-adapter 8, whose
// adapter extends socket.io-adapter 2.5, while socket.io 2 builds its rooms on 1.x: broadcasts failed.
describe('planFixes: a socket.io server of a release before the Redis adapter’s', () => {
  const GAME = `const express = require('express');
const http = require('http');
const socketio = require('socket.io');

const app = express();
const server = http.createServer(app);
const io = socketio(server, { pingTimeout: 30000 });

app.post('/announce', express.json(), (req, res) => {
  io.sockets.emit('announcement', req.body.text);
  res.sendStatus(202);
});

server.listen(process.env.PORT || 8080);
`;
  const planned = (dependencies: Record<string, string>, name = 'app.js', code = GAME) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-socket-io-release-'));
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'lobby', dependencies }));
    const fileName = `${root}/${name}`;
    const program = createProgram({ [fileName]: code }, { allowJs: true });
    const sourceFile = program.getSourceFile(fileName)!;
    const finding = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-in-memory-pubsub'] })[0];
    expect(finding?.messageId).toBe('socketIoWithoutAdapter');
    return { root, fileName, code, result: planFixes(sourceFile, finding, { program, projectRoot: root }) };
  };

  it('socket.io 2 in JavaScript: socket.io-redis 5, the Redis adapter of its line, as the `adapter` option', () => {
    const { root, fileName, code, result } = planned({ express: '^4.16.4', 'socket.io': '~2.2.0' });
    expect(result.refused).toBeUndefined();
    const move = result.plans.find((candidate) => candidate.messageId === 'socketIoAddLegacyRedisAdapter')!;
    expect(move.message).toBe("Broadcast through Redis with socket.io-redis 5, socket.io 2's Redis adapter (clients from REDIS_URL)");
    expect(move.createFiles.map((file) => path.relative(root, file.fileName)).sort()).toEqual(['src/scaling/redis.js', 'src/scaling/socket-io-v2.js']);
    expect(move.dependencies).toEqual([
      { name: 'socket.io-redis', version: '^5.4.0' },
      { name: 'ioredis', version: '^5.8.2' },
    ]);
    const fixed = apply({ [fileName]: code }, move);
    expect(fixed[fileName].split('\n').slice(0, 9).join('\n')).toBe(`const express = require('express');
const http = require('http');
const socketio = require('socket.io');
const { redisAdapter } = require('./src/scaling/socket-io-v2');

const app = express();
const server = http.createServer(app);
const io = socketio(server, { adapter: redisAdapter(), pingTimeout: 30000 });
`);
    expect(fixed[`${root}/src/scaling/socket-io-v2.js`]).toContain("const createRedisAdapter = require('socket.io-redis');");
  });

  it('socket.io 3, and socket.io 2 in TypeScript: refused, naming the release, the upgrade and the adapter of its own line', () => {
    expect(planned({ 'socket.io': '^3.1.2' }).result).toEqual({
      plans: [],
      refused: {
        title: 'Broadcast through Redis',
        reason:
          'socket.io 3.1.2 predates the Redis adapter the fix installs (@socket.io/redis-adapter, for socket.io 4.3.1 and later): upgrade socket.io to 4 (and its client, which a socket.io 4 server needs at 3 or later), or give this server the Redis adapter of its own line by hand (socket.io-redis 6.0: `io.adapter(redisAdapter({ pubClient, subClient }))`)',
      },
    });
    const typed = GAME.replace("const socketio = require('socket.io');", "import socketio = require('socket.io');");
    expect(planned({ 'socket.io': '2.4.1' }, 'app.ts', typed).result.refused?.reason).toMatch(/^socket\.io 2\.4\.1 predates .* \(socket\.io-redis 5: /);
  });

  it('socket.io 4, or a project that does not say: @socket.io/redis-adapter', () => {
    for (const dependencies of [{ 'socket.io': '^4.1.2' }, {}]) {
      const { result } = planned(dependencies);
      expect(result.refused).toBeUndefined();
      expect(result.plans.map((plan) => plan.messageId)).toContain('socketIoAddRedisAdapter');
    }
  });
});

// From a real diabetes-data server: `require('socket.io')({ 'log level': 0 }).listen(server, { … })`.
// The fix put the adapter in `listen`'s options, which socket.io hands to engine.io: the server kept
// its in-memory adapter, and broadcasts still reached one instance.
describe('planFixes: a socket.io server made and attached in one expression', () => {
  it('the adapter goes to the call that makes the server, not to `listen` or `attach`', () => {
    const made = (expression: string) => `const http = require('http');
const express = require('express');
const app = express();
const server = http.createServer(app);
const io = ${expression};
app.post('/entries', express.json(), (req, res) => {
  io.emit('dataUpdate', req.body);
  res.sendStatus(201);
});
server.listen(1337);
`;
    const fixed = (expression: string): string => {
      const files = { [`${ROOT}/lib/server.js`]: made(expression) };
      const move = plan(files, `${ROOT}/lib/server.js`).plans.find((candidate) => candidate.messageId === 'socketIoAddRedisAdapter')!;
      return apply(files, move)[`${ROOT}/lib/server.js`].split('\n')[5];
    };
    expect(fixed("require('socket.io')({ 'log level': 0 }).listen(server, { allowEIO3: true })")).toBe(
      "const io = require('socket.io')({ adapter: redisAdapter(), 'log level': 0 }).listen(server, { allowEIO3: true });",
    );
    expect(fixed("require('socket.io')().listen(server, { path: '/ws' })")).toBe("const io = require('socket.io')({ adapter: redisAdapter() }).listen(server, { path: '/ws' });");
    expect(fixed("new (require('socket.io').Server)().attach(server, { path: '/ws' })")).toBe("const io = new (require('socket.io').Server)({ adapter: redisAdapter() }).attach(server, { path: '/ws' });");
  });
});
