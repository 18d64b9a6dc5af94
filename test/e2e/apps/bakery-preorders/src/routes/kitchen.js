import { kitchen, recentTickets } from '../lib/kitchen.js';

export default async function kitchenRoutes(fastify) {
  // The tablet in the kitchen keeps this open all day.
  fastify.get('/api/kitchen/stream', { preHandler: fastify.requireBaker }, (request, reply) => {
    reply.raw.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    const send = (event) => reply.raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    kitchen.on('ticket', send);
    request.raw.on('close', () => kitchen.off('ticket', send));
    reply.hijack();
  });

  // What the screen missed while it was reconnecting.
  fastify.get('/api/kitchen/tickets', { preHandler: fastify.requireBaker }, async () => {
    return { tickets: recentTickets().map(({ at, ...ticket }) => ticket) };
  });
}
