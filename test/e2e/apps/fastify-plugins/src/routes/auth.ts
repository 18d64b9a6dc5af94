import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';

function hash(password: string, salt: string): string {
  return crypto.scryptSync(password, salt, 32).toString('hex');
}

interface Credentials {
  email: string;
  password: string;
  name?: string;
}

const credentialsSchema = {
  type: 'object',
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', minLength: 3 },
    password: { type: 'string', minLength: 6 },
    name: { type: 'string' },
  },
} as const;

const auth: FastifyPluginAsync = async (fastify) => {
  fastify.post<{ Body: Credentials }>('/agents', { schema: { body: credentialsSchema } }, async (request, reply) => {
    const { email, password, name = email.split('@')[0] } = request.body;
    const salt = crypto.randomBytes(16).toString('hex');
    const { rows } = await fastify.pg.query(
      'INSERT INTO agents (email, name, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id, email, name',
      [email, name, `${salt}:${hash(password, salt)}`],
    );
    if (rows.length === 0) return reply.code(409).send({ error: 'Agent exists' });
    return reply.code(201).send(rows[0]);
  });

  fastify.post<{ Body: Credentials }>(
    '/login',
    { schema: { body: credentialsSchema }, config: { rateLimit: { max: 5, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { rows } = await fastify.pg.query('SELECT id, email, name, password_hash FROM agents WHERE email = $1', [request.body.email]);
      const row = rows[0];
      const [salt, expected] = row ? String(row.password_hash).split(':') : ['', ''];
      if (!row || hash(request.body.password, salt) !== expected) {
        return reply.code(401).send({ error: 'Invalid email or password' });
      }
      const agent = { id: row.id, email: row.email, name: row.name };
      const sessionId = fastify.createSession(agent);
      reply.setCookie('hd_session', sessionId, { path: '/', httpOnly: true, signed: true, sameSite: 'lax' });
      return { agent };
    },
  );

  fastify.get('/me', { preHandler: fastify.requireAgent }, async (request) => ({ agent: request.agent }));

  fastify.post('/logout', async (request, reply) => {
    const raw = request.cookies.hd_session;
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) fastify.sessions.delete(unsigned.value);
    reply.clearCookie('hd_session', { path: '/' });
    return { ok: true };
  });
};

export default auth;
