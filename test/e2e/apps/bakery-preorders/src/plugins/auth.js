import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import config from '../config.js';

export function hashPassword(password, salt = crypto.randomBytes(16).toString('hex')) {
  const hash = crypto.scryptSync(password, salt, 64).toString('hex');
  return { hash, salt };
}

export function passwordMatches(password, customer) {
  const { hash } = hashPassword(password, customer.salt);
  return crypto.timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(customer.password_hash, 'hex'));
}

async function auth(fastify) {
  await fastify.register(fastifyCookie);
  await fastify.register(fastifySession, {
    secret: config.sessionSecret,
    cookieName: 'bakery.sid',
    saveUninitialized: false,
    cookie: { secure: false, httpOnly: true, sameSite: 'lax', maxAge: 7 * 24 * 3600 * 1000 },
  });

  fastify.decorateRequest('customer', null);

  fastify.decorate('requireCustomer', async function (request, reply) {
    const id = request.session.get('customerId');
    if (!id) {
      return reply.code(401).send({ error: 'please log in' });
    }
    const { rows } = await fastify.pg.query('SELECT id, email, name, role FROM customers WHERE id = $1', [id]);
    if (rows.length === 0) {
      return reply.code(401).send({ error: 'please log in' });
    }
    request.customer = rows[0];
  });

  fastify.decorate('requireBaker', async function (request, reply) {
    await fastify.requireCustomer(request, reply);
    if (reply.sent) return;
    if (request.customer.role !== 'baker') {
      return reply.code(403).send({ error: 'bakers only' });
    }
  });
}

export default fp(auth, { name: 'auth', dependencies: ['db'] });
