import fp from 'fastify-plugin';

interface Stats {
  ticketsOpened: number;
  repliesByTicket: Record<string, number>;
}

declare module 'fastify' {
  interface FastifyInstance {
    stats: Stats;
  }
}

export default fp(async (fastify) => {
  fastify.decorate('stats', { ticketsOpened: 0, repliesByTicket: {} } as Stats);
}, { name: 'stats' });
