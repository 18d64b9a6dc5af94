import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 32 of test/real-world: a Fastify service keeps its open WebSockets as the keys of a map
// (`connections.set(ws, { userId, projectIds })`) and broadcasts by walking the entries
// (`for (const [ws, conn] of connections) ws.send(message)`), from functions the app hangs on the
// instance with `decorate` and routes call as `request.server.broadcast(…)`. The key of the entry is
// the client sent to. Look-alikes that stay quiet: a map keyed by id whose loop only logs the ids,
// and a decoration that only logs.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-pubsub'] as const;

const files = {
  'realtime/service.ts': `import type { WebSocket } from 'ws';

interface ConnectionInfo { userId: string; projectIds: Set<string> }
const connections = new Map<WebSocket, ConnectionInfo>();
const lastSeen = new Map<string, number>();

export function register(ws: WebSocket, userId: string) {
  connections.set(ws, { userId, projectIds: new Set() });
  lastSeen.set(userId, Date.now());
}
export function subscribe(ws: WebSocket, projectId: string) {
  const conn = connections.get(ws);
  if (conn) conn.projectIds.add(projectId);
}
export function remove(ws: WebSocket) {
  connections.delete(ws);
}
export function broadcast(projectId: string, event: string, data: unknown): void {
  const message = JSON.stringify({ event, data, projectId });
  for (const [ws, conn] of connections) {
    if (conn.projectIds.has(projectId) && ws.readyState === ws.OPEN) ws.send(message);
  }
}
export function audit(event: string): void {
  for (const [userId, time] of lastSeen) console.log(event, userId, time);
}
`,
  'realtime/routes.ts': `import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import * as realtime from './service';

export default async function realtimeRoutes(fastify: FastifyInstance) {
  fastify.route({
    method: 'GET',
    url: '/ws',
    handler: (_request, reply) => { reply.status(400).send({ error: 'upgrade' }); },
    wsHandler: (socket: WebSocket) => {
      socket.on('message', (raw: Buffer) => {
        const msg = JSON.parse(raw.toString());
        if (msg.type === 'auth') realtime.register(socket, msg.userId);
        else realtime.subscribe(socket, msg.projectId);
      });
      socket.on('close', () => realtime.remove(socket));
    },
  });
}
`,
  'tasks/controller.ts': `import type { FastifyReply, FastifyRequest } from 'fastify';

export async function createTask(request: FastifyRequest<{ Params: { pid: string } }>, reply: FastifyReply) {
  const task = { id: 't1' };
  request.server.broadcast(request.params.pid, 'task_created', { taskId: task.id });
  request.server.audit('task_created');
  reply.status(201).send(task);
}
`,
  'tasks/routes.ts': `import type { FastifyInstance } from 'fastify';
import { createTask } from './controller';

export default async function taskRoutes(fastify: FastifyInstance) {
  fastify.post('/:pid/tasks', createTask);
}
`,
  'app.ts': `import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import realtimeRoutes from './realtime/routes';
import taskRoutes from './tasks/routes';
import { audit, broadcast } from './realtime/service';

declare module 'fastify' {
  interface FastifyInstance { broadcast: typeof broadcast; audit: typeof audit }
}

export async function buildApp() {
  const app = Fastify();
  await app.register(websocket);
  await app.register(realtimeRoutes, { prefix: '/api' });
  await app.register(taskRoutes, { prefix: '/api/projects' });
  app.decorate('broadcast', broadcast);
  app.decorate('audit', audit);
  return app;
}
buildApp().then((app) => app.listen({ port: 3000 }));
`,
  'package.json': '{ "name": "app", "dependencies": { "fastify": "5.0.0", "@fastify/websocket": "11.0.0" } }',
};

const EXPECTED = [
  '4:7 no-in-memory-pubsub: `connections` lists the clients connected to this instance; GET /api/ws (realtime/routes.ts:6) adds to it and POST /api/projects/:pid/tasks (tasks/routes.ts:5) sends to its entries. Clients connected to other instances never get the message.',
];

describe('open sockets kept as the keys of a map, broadcast through a Fastify decoration', () => {
  it('the loop over the entries sends to each key: the map lists the clients (untyped)', () => {
    expect(untyped(files, 'realtime/service.ts', [...RULES])).toEqual(EXPECTED);
  });

  it('the same, typed', () => {
    expect(typed(files, 'realtime/service.ts', [...RULES])).toEqual(EXPECTED);
  });
});
