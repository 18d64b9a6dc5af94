import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// A Map a Fastify plugin decorates the instance with, declared on FastifyInstance by module
// augmentation: its uses are `fastify.sessions` wherever the instance goes. They all move to the
// session store, awaited, and the declared type becomes the store's.

const FASTIFY_TYPES = `export interface FastifyRequest { cookies: Record<string, string | undefined>; server: FastifyInstance }
export interface FastifyReply { code(status: number): FastifyReply; send(body?: unknown): FastifyReply }
export type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;
export interface FastifyInstance {
  decorate(name: string, value: unknown): FastifyInstance;
  post(path: string, handler: Handler): FastifyInstance;
  get(path: string, handler: Handler): FastifyInstance;
  addHook(name: 'onRequest', hook: (request: FastifyRequest) => Promise<void>): FastifyInstance;
}
export type FastifyPluginAsync = (fastify: FastifyInstance) => Promise<void>;
`;

const SESSIONS_TS = `import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';

export interface Agent {
  id: number;
  name: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Map<string, Agent>;
  }
  interface FastifyRequest {
    agent?: Agent | null;
  }
}

export const sessions: FastifyPluginAsync = async (fastify) => {
  fastify.decorate('sessions', new Map<string, Agent>());
  fastify.addHook('onRequest', async (request) => {
    const sid = request.cookies.sid;
    if (sid) request.agent = fastify.sessions.get(sid) ?? null;
  });
  fastify.post('/login', async (request, reply) => {
    const sid = crypto.randomUUID();
    fastify.sessions.set(sid, { id: 1, name: 'ada' });
    return reply.code(201).send({ sid });
  });
};
`;

const LOGOUT_TS = `import type { FastifyPluginAsync } from 'fastify';

export const logout: FastifyPluginAsync = async (fastify) => {
  fastify.post('/logout', async (request) => {
    const sid = request.cookies.sid;
    if (sid) request.server.sessions.delete(sid);
    return { ok: true };
  });
};
`;

const files = (overrides: Record<string, string> = {}): Record<string, string> => ({
  [`${ROOT}/node_modules/fastify/index.d.ts`]: FASTIFY_TYPES,
  [`${ROOT}/src/plugins/sessions.ts`]: SESSIONS_TS,
  [`${ROOT}/src/routes/logout.ts`]: LOGOUT_TS,
  ...overrides,
});

describe('a Map decorated onto the Fastify instance moves to the session store', () => {
  it('rewrites the decoration, its declared type and every use through the instance, in every file', () => {
    const sources = files();
    const fixed = applyPlan(sources, movePlan(sources, 'no-in-memory-session', `${ROOT}/src/plugins/sessions.ts`));
    expect(fixed[`${ROOT}/src/plugins/sessions.ts`]).toBe(`import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { createSessionStore } from '../scaling/session-store';

export interface Agent {
  id: number;
  name: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: ReturnType<typeof createSessionStore<Agent>>;
  }
  interface FastifyRequest {
    agent?: Agent | null;
  }
}

export const sessions: FastifyPluginAsync = async (fastify) => {
  fastify.decorate('sessions', createSessionStore<Agent>('sessions'));
  fastify.addHook('onRequest', async (request) => {
    const sid = request.cookies.sid;
    if (sid) request.agent = await fastify.sessions.get(sid) ?? null;
  });
  fastify.post('/login', async (request, reply) => {
    const sid = crypto.randomUUID();
    await fastify.sessions.set(sid, { id: 1, name: 'ada' });
    return reply.code(201).send({ sid });
  });
};
`);
    expect(fixed[`${ROOT}/src/routes/logout.ts`]).toBe(LOGOUT_TS.replace('if (sid) request.server.sessions.delete(sid);', 'if (sid) await request.server.sessions.delete(sid);'));
  });

  it('refuses a use the Redis store has no counterpart for, naming it', () => {
    const sources = files({ [`${ROOT}/src/routes/logout.ts`]: LOGOUT_TS.replace("return { ok: true };", 'return { ok: true, open: [...request.server.sessions.keys()].length, ids: request.server.sessions.forEach((session, sid, all) => all.get(sid)) };') });
    expect(planFirst(sources, 'no-in-memory-session', `${ROOT}/src/plugins/sessions.ts`).refused?.reason).toBe('`request.server.sessions.forEach` (src/routes/logout.ts:7) has no counterpart in the Redis adapter');
  });

  it('refuses when the decoration is not declared on FastifyInstance: its uses cannot be followed', () => {
    const sources = files({ [`${ROOT}/src/plugins/sessions.ts`]: SESSIONS_TS.replace('    sessions: Map<string, Agent>;\n', '') });
    expect(planFirst(sources, 'no-in-memory-session', `${ROOT}/src/plugins/sessions.ts`).refused?.reason).toBe(
      "`sessions` is a Fastify decoration (`fastify.decorate('sessions', …)`), read through the Fastify instance: `fastify.decorate('sessions', …)` has no declaration on `FastifyInstance` (`declare module 'fastify'`) to follow its uses through",
    );
  });

  it('refuses when a `.sessions` somewhere has no known type: it may be the decoration', () => {
    const sources = files({ [`${ROOT}/src/routes/admin.js`]: "exports.count = function (app) {\n  return app.sessions.size;\n};\n" });
    expect(planFirst(sources, 'no-in-memory-session', `${ROOT}/src/plugins/sessions.ts`).refused?.reason).toBe(
      '`sessions` is a Fastify decoration, and `app.sessions` (src/routes/admin.js:2) is a use whose type is not known: the fix cannot tell whether it reads the decoration',
    );
  });
});
