import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A voice assistant's socket server (held-out round 37): `const io = IS_DEVELOPMENT_ENV ? new
// SocketIOServer(http, { cors: { origin: devHost } }) : new SocketIOServer(http)`. A developer's machine
// makes the first server; every deployment makes the second, which has no adapter. One server, reported
// once, where the deployment makes it. A branch a deployment setting picks names two servers.

afterAll(removeAnalysedProjects);

const server = (io: string) => `import http from 'node:http';
import { Server as SocketIOServer } from 'socket.io';

const IS_DEVELOPMENT_ENV = process.env.LEON_NODE_ENV === 'development';
const httpServer = http.createServer();

const io =
  ${io};

io.on('connection', (socket) => {
  socket.on('hotword-detected', () => {
    socket.broadcast.emit('enable-record');
  });
});

httpServer.listen(3000);
`;

const files = (io: string) => ({ 'server.ts': server(io) });
const noAdapter = (line: number, column: number) =>
  `${line}:${column} no-in-memory-pubsub: new SocketIOServer() has no adapter, so \`socket.broadcast.emit()\` on socket event "hotword-detected" (server.ts:13) reaches only the clients connected to this instance. socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.`;

describe("a socket.io server made only in a development environment's branch", () => {
  it('the development branch is quiet; the deployed branch is reported (typed and untyped)', () => {
    const io = "IS_DEVELOPMENT_ENV\n    ? new SocketIOServer(httpServer, { cors: { origin: 'http://localhost:3000' } })\n    : new SocketIOServer(httpServer)";
    expect(typedFindings(files(io), 'server.ts', ['no-in-memory-pubsub'])).toEqual([noAdapter(10, 7)]);
    expect(untypedFindings(files(io), 'server.ts', ['no-in-memory-pubsub'])).toEqual([noAdapter(10, 7)]);
  });

  it("a test of the environment's name puts the development server second when negated", () => {
    const io = "process.env.NODE_ENV !== 'development'\n    ? new SocketIOServer(httpServer)\n    : new SocketIOServer(httpServer, { cors: { origin: '*' } })";
    expect(typedFindings(files(io), 'server.ts', ['no-in-memory-pubsub'])).toEqual([noAdapter(9, 7)]);
    expect(untypedFindings(files(io), 'server.ts', ['no-in-memory-pubsub'])).toEqual([noAdapter(9, 7)]);
  });

  it('a branch a deployment setting picks is no development branch: both servers are reported', () => {
    const io = "process.env.BEHIND_PROXY === 'yes'\n    ? new SocketIOServer(httpServer, { path: '/ws' })\n    : new SocketIOServer(httpServer)";
    expect(typedFindings(files(io), 'server.ts', ['no-in-memory-pubsub'])).toEqual([noAdapter(9, 7), noAdapter(10, 7)]);
    expect(untypedFindings(files(io), 'server.ts', ['no-in-memory-pubsub'])).toEqual([noAdapter(9, 7), noAdapter(10, 7)]);
  });
});
