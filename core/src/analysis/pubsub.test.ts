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

  it('is quiet when a third file gives the server its adapter', () => {
    const withAdapter = { ...files, '/app/src/scale.ts': `import { createAdapter } from '@socket.io/redis-adapter';\nimport { Redis } from 'ioredis';\nimport { io } from './io';\nconst pub = new Redis();\nio.adapter(createAdapter(pub, pub.duplicate()));\n` };
    expect(typedFindings(withAdapter)).toEqual([]);
  });
});
