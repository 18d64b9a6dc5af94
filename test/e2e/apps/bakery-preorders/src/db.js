import fp from 'fastify-plugin';
import fastifyPostgres from '@fastify/postgres';
import config from './config.js';

const schema = `
CREATE TABLE IF NOT EXISTS customers (
  id SERIAL PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  salt TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'customer',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS products (
  id SERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  stock INTEGER NOT NULL DEFAULT 0,
  allergens TEXT[] NOT NULL DEFAULT '{}',
  photo TEXT
);
CREATE TABLE IF NOT EXISTS orders (
  id SERIAL PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL,
  total_cents INTEGER NOT NULL,
  pickup_number INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'placed',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`;

const seed = `
INSERT INTO products (id, name, price_cents, stock, allergens) VALUES
  (1, 'Sourdough loaf', 550, 12, '{GLU}'),
  (2, 'Cardamom bun', 320, 3, '{GLU,EGG,MLK}'),
  (3, 'Sesame rye', 480, 6, '{GLU,SES}')
ON CONFLICT (id) DO NOTHING;
SELECT setval('products_id_seq', (SELECT max(id) FROM products));
`;

async function db(fastify) {
  await fastify.register(fastifyPostgres, { connectionString: config.databaseUrl });
  // Reports and "my orders" pages read from the standby to keep load off the primary.
  await fastify.register(fastifyPostgres, { connectionString: config.replicaUrl, name: 'replica' });

  await fastify.pg.query(schema);
  await fastify.pg.query(seed);
}

export default fp(db, { name: 'db' });
