import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// @fastify/websocket's full route form: `fastify.route({ method: 'GET', url, handler, wsHandler })`, where
// `handler` answers plain HTTP and `wsHandler(socket, request)` serves each WebSocket that opens on the
// route. What the WebSocket handler and the listeners it registers do runs on a request path. The
// look-alikes that stay quiet: the socket's own idle check, a timer cleared when it closes, and the open
// sockets kept by user, the older one closed when its user connects again (realtime bookkeeping, read
// as a lock by its test before the set until connections kept by a key were recognised).

afterAll(removeAnalysedProjects);

const files = {
  'realtime.ts': `import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';

const openPerUser = new Map<string, number>();

class TrackedSocket {
  constructor(private readonly socket: WebSocket, onClose: () => void) {
    socket.on('close', onClose);
  }

  close(): void {
    this.socket.close();
  }
}

class SocketRegistry {
  private readonly sockets: Map<string, TrackedSocket> = new Map();

  async add(user: string, socket: WebSocket): Promise<boolean> {
    if (!(await isKnown(user))) return false;
    const older = this.sockets.get(user);
    if (older) {
      older.close();
      this.sockets.delete(user);
    }
    const connection = new TrackedSocket(socket, () => this.sockets.delete(user));
    this.sockets.set(user, connection);
    return true;
  }
}

async function isKnown(user: string): Promise<boolean> {
  return user.length > 0;
}

export const registry = new SocketRegistry();

export function admit(userId: string): boolean {
  const open = openPerUser.get(userId) ?? 0;
  if (open >= 5) return false;
  openPerUser.set(userId, open + 1);
  return true;
}

export default async function realtimeRoutes(fastify: FastifyInstance) {
  fastify.route({
    method: 'GET',
    url: '/ws',
    handler: (_request, reply) => {
      reply.status(400).send({ error: 'WebSocket upgrade required' });
    },
    wsHandler: async (socket: WebSocket, request) => {
      const added = await registry.add(String(request.query), socket);
      if (!added) return socket.close();
      const idle = setInterval(() => socket.ping(), 60_000);
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw));
        if (message.type !== 'auth') return;
        const user = String(message.user);
        if (!admit(user)) socket.close();
      });
      socket.on('close', () => clearInterval(idle));
    },
  });
}
`,
  'app.ts': `import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import realtimeRoutes from './realtime';

const app = Fastify();
await app.register(websocket);
await app.register(realtimeRoutes, { prefix: '/api' });
await app.listen({ port: 3000 });
`,
};

const RULES = ['no-in-memory-counter', 'no-in-memory-session', 'no-in-process-scheduler', 'no-in-process-lock'];
const EXPECTED = [
  '4:7 no-in-memory-counter: `openPerUser` counts in this process; it is changed by GET /api/ws (realtime.ts:46). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
];

describe("@fastify/websocket's wsHandler in a route's options", () => {
  it('serves a request path: the per-user count is reported; the idle timer and the sockets kept by user stay quiet (typed)', () => {
    expect(typedFindings(files, 'realtime.ts', RULES)).toEqual(EXPECTED);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'realtime.ts', RULES)).toEqual(EXPECTED);
  });
});
