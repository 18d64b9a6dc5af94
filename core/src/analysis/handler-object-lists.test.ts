import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A server that keeps its socket handlers as a list of objects (`socketHandlerList = [new MainSocketHandler(),
// new StackSocketHandler()]`) and, on each connection, loops over it calling `handler.create(socket, this)`:
// untyped, the loop's element is each object of the array literal the field is declared with, so the
// events each handler registers are request paths (held-out round 35b, dockge). Look-alike: the same
// handlers' `describe()`, called over the list once at start-up, is no request's work.

afterAll(removeAnalysedProjects);

const server = (extra: string) => `import http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { SocketHandler } from './socket-handler';
import { MainSocketHandler } from './main-socket-handler';
import { StackSocketHandler } from './stack-socket-handler';

export class AppServer {
  httpServer = http.createServer();
  io = new Server(this.httpServer);
  stacksDir = '/opt/stacks';

  socketHandlerList: SocketHandler[] = [
    new MainSocketHandler(),
    new StackSocketHandler(),
  ];

  constructor() {
    this.io.on('connection', (socket: Socket) => {
      for (const socketHandler of this.socketHandlerList) {
        socketHandler.create(socket, this);
      }
    });
${extra}
  }
}

new AppServer().httpServer.listen(5001);
`;

const base = `import type { Socket } from 'socket.io';
import type { AppServer } from './server';

export abstract class SocketHandler {
  abstract create(socket: Socket, server: AppServer): void;
  abstract describe(server: AppServer): void;
}
`;

const main = `import type { Socket } from 'socket.io';
import type { AppServer } from './server';
import { SocketHandler } from './socket-handler';

export class MainSocketHandler extends SocketHandler {
  create(socket: Socket) {
    socket.on('ping', (callback: (ok: boolean) => void) => callback(true));
  }

  describe() {
    return 'main';
  }
}
`;

const stack = `import fs from 'node:fs';
import path from 'node:path';
import type { Socket } from 'socket.io';
import type { AppServer } from './server';
import { SocketHandler } from './socket-handler';

export class StackSocketHandler extends SocketHandler {
  create(socket: Socket, server: AppServer) {
    socket.on('saveStack', (name: string, yaml: string, callback: (ok: boolean) => void) => {
      fs.writeFileSync(path.join(server.stacksDir, name, 'compose.yaml'), yaml);
      callback(true);
    });
  }

  describe(server: AppServer) {
    fs.writeFileSync(path.join(server.stacksDir, 'README.txt'), 'stacks');
  }
}
`;

const files = (extra = '') => ({
  'server.ts': server(extra),
  'socket-handler.ts': base,
  'main-socket-handler.ts': main,
  'stack-socket-handler.ts': stack,
});

describe('socket handlers kept as a list of objects the connection loops over', () => {
  it("each handler's events are request paths (typed and untyped)", () => {
    const typed = typedFindings(files(), 'stack-socket-handler.ts', ['no-blocking-request-work']);
    expect(typed).toEqual([
      '10:7 no-blocking-request-work: `fs.writeFileSync` blocks the event loop on socket connection (server.ts:18): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ]);
    expect(untypedFindings(files(), 'stack-socket-handler.ts', ['no-blocking-request-work'])).toEqual(typed);
  });

  it('a method the same list runs once at start-up is no request path: quiet', () => {
    const startUp = `    for (const socketHandler of this.socketHandlerList) socketHandler.describe(this);`;
    const only = { ...files(startUp), 'stack-socket-handler.ts': stack.replace(/  create\(socket: Socket, server: AppServer\) \{[^]*?\n  \}\n\n/, '  create() {}\n\n') };
    expect(typedFindings(only, 'stack-socket-handler.ts', ['no-blocking-request-work'])).toEqual([]);
    expect(untypedFindings(only, 'stack-socket-handler.ts', ['no-blocking-request-work'])).toEqual([]);
  });
});
