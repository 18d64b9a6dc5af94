import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import config from '../config.js';
import { labels } from '../lib/allergens.js';
import { productCache } from '../lib/productCache.js';

const PHOTO_TYPES = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp' };

function present(row) {
  return {
    id: row.id,
    name: row.name,
    priceCents: row.price_cents,
    stock: row.stock,
    soldOut: row.stock === 0,
    allergens: labels(row.allergens),
    photo: row.photo ? `/api/products/${row.id}/photo` : null,
  };
}

export async function findProduct(pg, id) {
  const key = Number(id);
  let product = productCache.get(key);
  if (!product) {
    const { rows } = await pg.query('SELECT * FROM products WHERE id = $1', [key]);
    if (rows.length === 0) return null;
    product = rows[0];
    productCache.set(key, product);
  }
  return product;
}

export default async function productRoutes(fastify) {
  fastify.get('/api/products', async () => {
    const { rows } = await fastify.pg.query('SELECT * FROM products ORDER BY id');
    return { products: rows.map(present) };
  });

  fastify.get('/api/products/:id', async (request, reply) => {
    const product = await findProduct(fastify.pg, request.params.id);
    if (!product) return reply.code(404).send({ error: 'no such product' });
    return { product: present(product) };
  });

  fastify.post('/api/products', { preHandler: fastify.requireBaker }, async (request, reply) => {
    const { name, priceCents, stock = 0, allergens = [] } = request.body || {};
    if (!name || !Number.isInteger(priceCents)) {
      return reply.code(400).send({ error: 'name and priceCents are required' });
    }
    const { rows } = await fastify.pg.query(
      'INSERT INTO products (name, price_cents, stock, allergens) VALUES ($1, $2, $3, $4) RETURNING *',
      [name, priceCents, stock, allergens],
    );
    return reply.code(201).send({ product: present(rows[0]) });
  });

  fastify.patch('/api/products/:id', { preHandler: fastify.requireBaker }, async (request, reply) => {
    const { priceCents, stock } = request.body || {};
    const { rows } = await fastify.pg.query(
      'UPDATE products SET price_cents = COALESCE($2, price_cents), stock = COALESCE($3, stock) WHERE id = $1 RETURNING *',
      [Number(request.params.id), priceCents ?? null, stock ?? null],
    );
    if (rows.length === 0) return reply.code(404).send({ error: 'no such product' });
    productCache.delete(rows[0].id);
    return { product: present(rows[0]) };
  });

  fastify.post('/api/products/:id/photo', { preHandler: fastify.requireBaker }, async (request, reply) => {
    const product = await findProduct(fastify.pg, request.params.id);
    if (!product) return reply.code(404).send({ error: 'no such product' });
    const data = await request.file();
    if (!data) return reply.code(400).send({ error: 'send the photo as "photo"' });
    const ext = PHOTO_TYPES[data.mimetype];
    if (!ext) {
      data.file.resume();
      return reply.code(415).send({ error: 'photos must be PNG, JPEG or WebP' });
    }
    const fileName = `product-${product.id}-${Date.now()}${ext}`;
    await pipeline(data.file, createWriteStream(path.join(config.uploadDir, fileName)));
    const { rows } = await fastify.pg.query('UPDATE products SET photo = $2 WHERE id = $1 RETURNING *', [product.id, fileName]);
    productCache.delete(product.id);
    return reply.code(201).send({ product: present(rows[0]) });
  });

  fastify.get('/api/products/:id/photo', async (request, reply) => {
    const product = await findProduct(fastify.pg, request.params.id);
    if (!product || !product.photo) return reply.code(404).send({ error: 'no photo' });
    const type = Object.keys(PHOTO_TYPES).find((mime) => product.photo.endsWith(PHOTO_TYPES[mime]));
    const bytes = await readFile(path.join(config.uploadDir, product.photo));
    return reply.type(type).send(bytes);
  });
}
