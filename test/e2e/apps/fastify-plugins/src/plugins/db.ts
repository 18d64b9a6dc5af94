import fp from 'fastify-plugin';
import { Pool } from 'pg';

declare module 'fastify' {
  interface FastifyInstance {
    pg: Pool;
    replica: Pool;
  }
}

export default fp(async (fastify) => {
  const pg = new Pool({ connectionString: process.env.DATABASE_URL });
  const replica = new Pool({ connectionString: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL });

  await pg.query(`
    CREATE TABLE IF NOT EXISTS agents (
      id SERIAL PRIMARY KEY,
      email TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      password_hash TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tickets (
      id SERIAL PRIMARY KEY,
      requester_email TEXT NOT NULL,
      requester_name TEXT NOT NULL,
      subject TEXT NOT NULL,
      priority TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open',
      assignee INTEGER REFERENCES agents(id)
    );
    CREATE TABLE IF NOT EXISTS replies (
      id SERIAL PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets(id),
      author TEXT NOT NULL,
      body TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS attachments (
      id SERIAL PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets(id),
      filename TEXT NOT NULL,
      stored_as TEXT NOT NULL
    );
  `);

  fastify.decorate('pg', pg);
  fastify.decorate('replica', replica);
  fastify.addHook('onClose', async () => {
    await pg.end();
    await replica.end();
  });
}, { name: 'db' });
