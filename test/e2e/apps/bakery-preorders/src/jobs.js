import cron from 'node-cron';
import config from './config.js';
import { announce } from './lib/kitchen.js';
import { sendMail } from './lib/mailer.js';
import { productCache } from './lib/productCache.js';
import { resetPickupNumbers } from './routes/orders.js';

// Unpaid reservations go back on the shelf after a while.
async function expireUnpaidOrders(fastify) {
  const { rows } = await fastify.pg.query(
    "SELECT * FROM orders WHERE status = 'placed' AND created_at < now() - make_interval(mins => $1)",
    [config.shop.unpaidMinutes],
  );
  for (const order of rows) {
    await fastify.pg.query("UPDATE orders SET status = 'expired' WHERE id = $1", [order.id]);
    await fastify.pg.query('UPDATE products SET stock = stock + $2 WHERE id = $1', [order.product_id, order.quantity]);
    productCache.delete(order.product_id);
    announce('expired', order);
  }
  if (rows.length > 0) fastify.log.info({ expired: rows.length }, 'unpaid orders expired');
}

// Tomorrow's bake list for the baker, every evening.
async function mailBakeList(fastify) {
  const { rows } = await fastify.pg.query(
    "SELECT p.name, sum(o.quantity)::int AS quantity FROM orders o JOIN products p ON p.id = o.product_id WHERE o.status IN ('placed', 'paid') GROUP BY p.name ORDER BY p.name",
  );
  const lines = rows.map((row) => `${row.quantity} x ${row.name}`).join('\n') || 'Nothing ordered yet.';
  await sendMail({ to: config.shop.bakerEmail, subject: 'Bake list for tomorrow', text: lines });
}

export function startJobs(fastify) {
  setInterval(() => {
    expireUnpaidOrders(fastify).catch((err) => fastify.log.error(err, 'expiring orders failed'));
  }, 60 * 1000);

  cron.schedule('0 18 * * *', () => {
    mailBakeList(fastify).catch((err) => fastify.log.error(err, 'bake list failed'));
  });

  cron.schedule('0 0 * * *', () => resetPickupNumbers());
}
