import { Mutex } from 'async-mutex';
import { db, replica } from '../lib/db';
import { sendMail, template } from '../lib/mailer';
import { config } from '../config';
import { FORMATS } from '../constants';
import { announceStock } from '../realtime/io';
import { HttpError } from '../types';
import type { Customer } from './authService';
import { forgetRecord, getRecord, postageFor } from './recordService';

// Orders taken since midnight, for the counter's screen.
let ordersToday = 0;

// Two customers must not buy the last copy.
const stockLock = new Mutex();

export interface Order {
  id: number;
  recordId: number;
  quantity: number;
  totalPence: number;
}

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;

export async function placeOrder(customer: Customer, recordId: number, quantity: number): Promise<{ order: Order; history: Order[] }> {
  if (!Number.isInteger(recordId)) throw new HttpError(400, 'which record?');
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > config.shop.maxPerOrder) {
    throw new HttpError(400, `quantity must be 1 to ${config.shop.maxPerOrder}`);
  }
  const record = await getRecord(recordId);
  const order = await stockLock.runExclusive(async () => {
    const { rows } = await db.query('SELECT stock FROM records WHERE id = $1', [recordId]);
    if (rows[0].stock < quantity) throw new HttpError(409, 'not enough copies left');
    const total = record.pricePence * quantity + postageFor(record.format);
    await db.query('UPDATE records SET stock = stock - $2 WHERE id = $1', [recordId, quantity]);
    const inserted = await db.query(
      'INSERT INTO orders (customer_id, record_id, quantity, total_pence) VALUES ($1, $2, $3, $4) RETURNING id, record_id AS "recordId", quantity, total_pence AS "totalPence"',
      [customer.id, recordId, quantity, total],
    );
    return { order: inserted.rows[0] as Order, stockLeft: rows[0].stock - quantity };
  });
  forgetRecord(recordId);
  ordersToday++;
  announceStock(recordId, order.stockLeft);

  const receipt = template('receipt')({
    shop: config.shop.name,
    name: customer.name,
    orderId: order.order.id,
    quantity,
    title: `${record.artist} – ${record.title}`,
    format: FORMATS[record.format].label,
    total: pounds(order.order.totalPence),
  });
  await sendMail(customer.email, `Your Second Spin order #${order.order.id}`, receipt);

  const history = await replica.query(
    'SELECT id, record_id AS "recordId", quantity, total_pence AS "totalPence" FROM orders WHERE customer_id = $1 ORDER BY id',
    [customer.id],
  );
  return { order: order.order, history: history.rows };
}

export async function ordersOf(customerId: number): Promise<Order[]> {
  const { rows } = await replica.query('SELECT id, record_id AS "recordId", quantity, total_pence AS "totalPence" FROM orders WHERE customer_id = $1 ORDER BY id', [customerId]);
  return rows;
}

export function todayCount(): number {
  return ordersToday;
}

export function resetDay(): number {
  const count = ordersToday;
  ordersToday = 0;
  return count;
}
