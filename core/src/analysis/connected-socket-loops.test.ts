import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A broadcast written by hand over socket.io's own map of connected sockets
// (`for (const raw of this.io.sockets.sockets.values()) { const socket = raw as AppSocket; socket.emit(…) }`,
// `io.of('/admin').sockets.forEach(…)`), on a socket event, reaches the sockets of this instance only: the
// server without an adapter is reported, as for `io.emit`. Look-alikes: the same loop that only
// disconnects the sockets when the server stops, and the same broadcast with a Redis adapter.

afterAll(removeAnalysedProjects);

const server = (loop: string, extra = '') => `import http from 'node:http';
import * as socketIO from 'socket.io';
${extra}
interface AppSocket extends socketIO.Socket {
  userID?: number;
}

export class AppServer {
  httpServer = http.createServer();
  io = new socketIO.Server(this.httpServer, { cors: { origin: '*' } });

  constructor() {
    this.io.on('connection', (socket) => {
      socket.on('changePassword', (userID: number) => {
        this.refreshAll(userID, socket.id);
      });
    });
  }

  refreshAll(userID: number, currentSocketID: string) {
${loop}
  }

  listen() {
    this.httpServer.listen(5001);
  }
}

new AppServer().listen();
`;

const EMIT = `    for (const rawSocket of this.io.sockets.sockets.values()) {
      const socket = rawSocket as AppSocket;
      if (socket.userID === userID && socket.id !== currentSocketID) {
        socket.emit('refresh');
        socket.disconnect();
      }
    }`;

const NAMESPACE = `    this.io.of('/admin').sockets.forEach((socket) => {
      if (socket.id !== currentSocketID) socket.emit('refresh', userID);
    });`;

const DISCONNECT = `    for (const rawSocket of this.io.sockets.sockets.values()) {
      const socket = rawSocket as AppSocket;
      if (socket.userID === userID && socket.id !== currentSocketID) socket.disconnect();
    }`;

describe("a loop over socket.io's connected sockets that emits to each", () => {
  const reported =
    "10:8 no-in-memory-pubsub: new socketIO.Server() has no adapter, so `socket.emit()` on socket connection (server.ts:13) and 1 other handler reaches only the clients connected to this instance. socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.";

  it('is a broadcast: the server without an adapter is reported (typed and untyped)', () => {
    const files = { 'server.ts': server(EMIT) };
    const typed = typedFindings(files, 'server.ts', ['no-in-memory-pubsub']);
    expect(typed).toEqual([reported]);
    expect(untypedFindings(files, 'server.ts', ['no-in-memory-pubsub'])).toEqual(typed);
  });

  it("a namespace's sockets too", () => {
    const files = { 'server.ts': server(NAMESPACE) };
    const typed = typedFindings(files, 'server.ts', ['no-in-memory-pubsub']);
    expect(typed).toEqual([reported]);
    expect(untypedFindings(files, 'server.ts', ['no-in-memory-pubsub'])).toEqual(typed);
  });

  it('a loop that only disconnects sends nothing: quiet', () => {
    const files = { 'server.ts': server(DISCONNECT) };
    expect(typedFindings(files, 'server.ts', ['no-in-memory-pubsub'])).toEqual([]);
    expect(untypedFindings(files, 'server.ts', ['no-in-memory-pubsub'])).toEqual([]);
  });

  it('with a Redis adapter: quiet', () => {
    const files = {
      'server.ts': server(EMIT, "import { createAdapter } from '@socket.io/redis-adapter';\nimport { pub, sub } from './redis';\n").replace(
        "{ cors: { origin: '*' } }",
        "{ cors: { origin: '*' }, adapter: createAdapter(pub, sub) }",
      ),
      'redis.ts': "export const pub = {};\nexport const sub = {};\n",
    };
    expect(typedFindings(files, 'server.ts', ['no-in-memory-pubsub'])).toEqual([]);
    expect(untypedFindings(files, 'server.ts', ['no-in-memory-pubsub'])).toEqual([]);
  });
});
