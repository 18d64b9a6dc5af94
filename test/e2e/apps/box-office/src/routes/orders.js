import { Router } from 'express';
import { QueryTypes } from 'sequelize';
import { Order, Show, sequelize, replica } from '../db.js';
import { requireLogin, requireManager } from '../auth.js';
import { TICKET_TYPES, ticketPrice } from '../lib/ticketTypes.js';
import { showCache } from '../lib/showCache.js';
import { enqueueMail } from '../lib/mailQueue.js';
import { publish } from '../lib/live.js';
import { venueSettings } from '../lib/venue.js';
import { presentShow } from './shows.js';

// Takings since the nightly report, for the manager's dashboard.
let ticketsSold = 0;
let revenueCents = 0;

export function resetTakings() {
  const totals = { ticketsSold, revenueCents };
  ticketsSold = 0;
  revenueCents = 0;
  return totals;
}

// A checkout retried with the same Idempotency-Key (a double click, a flaky phone) gets the first reply again.
const completedCheckouts = new Map();

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function presentOrder(order) {
  return { id: order.id, showId: order.showId, ticketType: order.ticketType, quantity: order.quantity, totalCents: order.totalCents };
}

async function ordersOf(userId) {
  return replica.query(
    'SELECT id, show_id AS "showId", ticket_type AS "ticketType", quantity, total_cents AS "totalCents" FROM orders WHERE user_id = :userId ORDER BY id',
    { replacements: { userId }, type: QueryTypes.SELECT },
  );
}

export const orderRoutes = Router();

orderRoutes.post('/api/checkout', requireLogin, async (req, res) => {
  const key = req.get('Idempotency-Key');
  if (!key) return res.status(400).json({ error: 'an Idempotency-Key header is required' });
  const scopedKey = `${req.user.id}:${key}`;
  if (completedCheckouts.has(scopedKey)) {
    const earlier = completedCheckouts.get(scopedKey);
    res.set('Idempotent-Replayed', 'true');
    return res.status(earlier.status).json(earlier.body);
  }

  const { showId, quantity = 1, ticketType = 'adult' } = req.body ?? {};
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 8) return res.status(400).json({ error: 'quantity must be 1 to 8' });
  if (!TICKET_TYPES[ticketType]) return res.status(400).json({ error: `unknown ticket type ${ticketType}` });

  const result = await withTimeout(sequelize.transaction(async (transaction) => {
    const show = await Show.findByPk(showId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!show) return { status: 404, error: 'no such show' };
    if (show.status !== 'on-sale') return { status: 409, error: 'this show is no longer on sale' };
    if (show.seatsSold + quantity > show.seats) return { status: 409, error: `only ${show.seats - show.seatsSold} seats left` };
    await show.increment('seatsSold', { by: quantity, transaction });
    await show.reload({ transaction });
    const order = await Order.create({ userId: req.user.id, showId: show.id, ticketType, quantity, totalCents: quantity * ticketPrice(show, ticketType) }, { transaction });
    return { status: 201, show, order };
  }), 5000, 'checkout');
  if (result.status !== 201) return res.status(result.status).json({ error: result.error });

  const { show, order } = result;
  showCache.delete(show.id);
  ticketsSold += order.quantity;
  revenueCents += order.totalCents;
  publish(show.id, 'seats', { showId: show.id, seatsLeft: show.seats - show.seatsSold });
  enqueueMail({
    to: req.user.email,
    subject: `Your tickets for ${show.title}`,
    text: `${order.quantity} x ${TICKET_TYPES[ticketType].label}, ${(order.totalCents / 100).toFixed(2)} ${venueSettings().currency}. Doors open ${venueSettings().doorsOpenMinutesBefore} minutes before the show.`,
  });

  const myOrders = await ordersOf(req.user.id);
  const body = { order: presentOrder(order), show: presentShow(show), myOrders };
  completedCheckouts.set(scopedKey, { status: 201, body });
  res.status(201).json(body);
});

orderRoutes.get('/api/orders', requireLogin, async (req, res) => {
  res.json({ orders: await ordersOf(req.user.id) });
});

orderRoutes.get('/api/takings', requireManager, (req, res) => {
  res.json({ ticketsSold, revenueCents, currency: venueSettings().currency });
});
