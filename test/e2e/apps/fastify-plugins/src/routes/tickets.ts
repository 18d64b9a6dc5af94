import type { FastifyPluginAsync } from 'fastify';

export const SLA_HOURS: Record<string, number> = { low: 72, normal: 24, urgent: 4 };

interface NewTicket {
  email: string;
  name: string;
  subject: string;
  priority?: string;
}

const tickets: FastifyPluginAsync = async (fastify) => {
  // public: the contact form posts here
  fastify.post<{ Body: NewTicket }>(
    '/tickets',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'name', 'subject'],
          properties: { email: { type: 'string' }, name: { type: 'string' }, subject: { type: 'string' }, priority: { type: 'string', enum: Object.keys(SLA_HOURS) } },
        },
      },
    },
    async (request, reply) => {
      const { email, name, subject, priority = 'normal' } = request.body;
      const { rows } = await fastify.pg.query(
        'INSERT INTO tickets (requester_email, requester_name, subject, priority) VALUES ($1, $2, $3, $4) RETURNING id, status',
        [email, name, subject, priority],
      );
      const ticket = rows[0];
      fastify.stats.ticketsOpened++;
      await fastify.mailer.sendMail({
        from: 'support@helpdesk.test',
        to: email,
        subject: `[#${ticket.id}] ${subject}`,
        text: fastify.renderTemplate('new-ticket', { name, id: ticket.id, subject, sla: SLA_HOURS[priority] }),
      });
      return reply.code(201).send({ id: ticket.id, status: ticket.status, slaHours: SLA_HOURS[priority] });
    },
  );

  fastify.register(async (agentOnly) => {
    agentOnly.addHook('preHandler', fastify.requireAgent);

    agentOnly.get('/tickets', async () => {
      const { rows } = await fastify.replica.query('SELECT id, subject, priority, status, assignee FROM tickets ORDER BY id');
      return { tickets: rows };
    });

    agentOnly.get<{ Params: { id: string } }>('/tickets/:id', async (request, reply) => {
      const { rows } = await fastify.replica.query('SELECT * FROM tickets WHERE id = $1', [request.params.id]);
      if (rows.length === 0) return reply.code(404).send({ error: 'Ticket not found' });
      const replies = await fastify.replica.query('SELECT id, author, body FROM replies WHERE ticket_id = $1 ORDER BY id', [request.params.id]);
      return { ...rows[0], replies: replies.rows };
    });

    agentOnly.post<{ Params: { id: string }; Body: { body: string; close?: boolean } }>('/tickets/:id/replies', async (request, reply) => {
      const id = request.params.id;
      await fastify.pg.query('INSERT INTO replies (ticket_id, author, body) VALUES ($1, $2, $3)', [id, request.agent!.name, request.body.body]);
      await fastify.pg.query("UPDATE tickets SET assignee = $2, status = $3 WHERE id = $1", [id, request.agent!.id, request.body.close ? 'closed' : 'pending']);
      fastify.stats.repliesByTicket[id] = (fastify.stats.repliesByTicket[id] || 0) + 1;
      const thread = await fastify.replica.query('SELECT id, author, body FROM replies WHERE ticket_id = $1 ORDER BY id', [id]);
      return reply.code(201).send({ ticket: Number(id), replies: thread.rows });
    });

    agentOnly.get('/stats', async () => fastify.stats);
  });
};

export default tickets;
