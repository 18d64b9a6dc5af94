import { hashPassword, passwordMatches } from '../plugins/auth.js';

export default async function accountRoutes(fastify) {
  fastify.post('/api/signup', async (request, reply) => {
    const { email, name, password } = request.body || {};
    if (!email || !name || !password) {
      return reply.code(400).send({ error: 'email, name and password are required' });
    }
    const { hash, salt } = hashPassword(password);
    const { rows: existing } = await fastify.pg.query('SELECT count(*)::int AS n FROM customers');
    // The first account is the baker's.
    const role = existing[0].n === 0 ? 'baker' : 'customer';
    try {
      const { rows } = await fastify.pg.query(
        'INSERT INTO customers (email, name, password_hash, salt, role) VALUES ($1, $2, $3, $4, $5) RETURNING id, email, name, role',
        [email.toLowerCase(), name, hash, salt, role],
      );
      return reply.code(201).send({ customer: rows[0] });
    } catch (err) {
      if (err.code === '23505') {
        return reply.code(409).send({ error: 'that e-mail already has an account' });
      }
      throw err;
    }
  });

  fastify.post('/api/login', async (request, reply) => {
    const { email, password } = request.body || {};
    const { rows } = await fastify.pg.query('SELECT * FROM customers WHERE email = $1', [String(email || '').toLowerCase()]);
    const customer = rows[0];
    if (!customer || !passwordMatches(String(password || ''), customer)) {
      return reply.code(401).send({ error: 'wrong e-mail or password' });
    }
    request.session.set('customerId', customer.id);
    return { customer: { id: customer.id, email: customer.email, name: customer.name, role: customer.role } };
  });

  fastify.post('/api/logout', async (request) => {
    await request.session.destroy();
    return { ok: true };
  });

  fastify.get('/api/me', { preHandler: fastify.requireCustomer }, async (request) => {
    return { customer: request.customer };
  });
}
