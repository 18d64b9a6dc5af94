import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Agent {
  id: number;
  email: string;
  name: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Map<string, Agent>;
    createSession(agent: Agent): string;
    requireAgent(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    agent: Agent | null;
  }
}

export default fp(async (fastify) => {
  await fastify.register(cookie, { secret: process.env.COOKIE_SECRET || 'helpdesk-cookie-secret' });

  fastify.decorate('sessions', new Map<string, Agent>());
  fastify.decorateRequest('agent', null);

  fastify.decorate('createSession', (agent: Agent) => {
    const id = crypto.randomUUID();
    fastify.sessions.set(id, agent);
    return id;
  });

  fastify.addHook('onRequest', async (request) => {
    const raw = request.cookies.hd_session;
    if (!raw) return;
    const unsigned = request.unsignCookie(raw);
    if (unsigned.valid && unsigned.value) request.agent = fastify.sessions.get(unsigned.value) ?? null;
  });

  fastify.decorate('requireAgent', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.agent) {
      await reply.code(401).send({ error: 'Unauthorized' });
    }
  });
}, { name: 'sessions' });
