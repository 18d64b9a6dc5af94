import { Mutex } from 'async-mutex';
import config from '../config.js';
import { pickupWindow } from '../lib/hours.js';
import { announce } from '../lib/kitchen.js';
import { orderConfirmation } from '../lib/mailer.js';
import { productCache } from '../lib/productCache.js';
import { findProduct } from './products.js';

// Only one order may touch the stock at a time, otherwise two people get the last bun.
const stockLock = new Mutex();

// Numbers handed out at the counter, starting again from 1 every morning (see jobs.js).
let pickupNumber = 0;
export function resetPickupNumbers() {
  pickupNumber = 0;
}

// customer id -> times of their recent orders, to stop scripts emptying the shelves.
const recentOrders = new Map();

function tooManyOrders(customerId) {
  const hourAgo = Date.now() - 60 * 60 * 1000;
  const times = (recentOrders.get(customerId) || []).filter((t) => t > hourAgo);
  recentOrders.set(customerId, times);
  return times.length >= config.shop.maxOrdersPerHour;
}

function present(row) {
  return {
    id: row.id,
    productId: row.product_id,
    quantity: row.quantity,
    totalCents: row.total_cents,
    pickupNumber: row.pickup_number,
    status: row.status,
  };
}

export default async function orderRoutes(fastify) {
  fastify.post('/api/orders', { preHandler: fastify.requireCustomer }, async (request, reply) => {
    const productId = Number(request.body?.productId);
    const quantity = Number(request.body?.quantity || 1);
    if (!Number.isInteger(quantity) || quantity < 1) {
      return reply.code(400).send({ error: 'quantity must be a whole number' });
    }
    if (tooManyOrders(request.customer.id)) {
      return reply.code(429).send({ error: `at most ${config.shop.maxOrdersPerHour} orders an hour, please` });
    }

    const result = await stockLock.runExclusive(async () => {
      const product = await findProduct(fastify.pg, productId);
      if (!product) return { code: 404, body: { error: 'no such product' } };
      if (product.stock < quantity) return { code: 409, body: { error: `only ${product.stock} left` } };

      await fastify.pg.query('UPDATE products SET stock = stock - $2 WHERE id = $1', [productId, quantity]);
      productCache.set(productId, { ...product, stock: product.stock - quantity });
      pickupNumber += 1;
      const { rows } = await fastify.pg.query(
        'INSERT INTO orders (customer_id, product_id, quantity, total_cents, pickup_number) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [request.customer.id, productId, quantity, product.price_cents * quantity, pickupNumber],
      );
      return { code: 201, order: rows[0], product };
    });
    if (result.code !== 201) {
      return reply.code(result.code).send(result.body);
    }

    recentOrders.get(request.customer.id).push(Date.now());
    announce('placed', result.order);
    await orderConfirmation(request.customer, result.product, result.order, await pickupWindow());

    const { rows: mine } = await fastify.pg.replica.query(
      "SELECT * FROM orders WHERE customer_id = $1 AND status IN ('placed', 'paid') ORDER BY id",
      [request.customer.id],
    );
    return reply.code(201).send({ order: present(result.order), openOrders: mine.map(present) });
  });

  fastify.get('/api/orders', { preHandler: fastify.requireCustomer }, async (request) => {
    const { rows } = await fastify.pg.query('SELECT * FROM orders WHERE customer_id = $1 ORDER BY id', [request.customer.id]);
    return { orders: rows.map(present) };
  });

  fastify.post('/api/orders/:id/pay', { preHandler: fastify.requireCustomer }, async (request, reply) => {
    const { rows } = await fastify.pg.query(
      "UPDATE orders SET status = 'paid' WHERE id = $1 AND customer_id = $2 AND status = 'placed' RETURNING *",
      [Number(request.params.id), request.customer.id],
    );
    if (rows.length === 0) return reply.code(409).send({ error: 'nothing to pay on that order' });
    announce('paid', rows[0]);
    return { order: present(rows[0]) };
  });

  fastify.post('/api/orders/:id/cancel', { preHandler: fastify.requireCustomer }, async (request, reply) => {
    const { rows } = await fastify.pg.query(
      "UPDATE orders SET status = 'cancelled' WHERE id = $1 AND customer_id = $2 AND status = 'placed' RETURNING *",
      [Number(request.params.id), request.customer.id],
    );
    if (rows.length === 0) return reply.code(409).send({ error: 'only unpaid orders can be cancelled' });
    await fastify.pg.query('UPDATE products SET stock = stock + $2 WHERE id = $1', [rows[0].product_id, rows[0].quantity]);
    productCache.delete(rows[0].product_id);
    announce('cancelled', rows[0]);
    return { order: present(rows[0]) };
  });
}
