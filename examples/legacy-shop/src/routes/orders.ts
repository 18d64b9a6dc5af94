import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Router } from 'express';
import { desc, eq } from 'drizzle-orm';
import { db } from '../db/client.js';
import { carts, orders, type LineItem } from '../db/schema.js';
import { requireAdmin, requireUser } from '../middleware/auth.js';
import { getProduct } from '../services/catalog.js';
import { invoicePath, renderInvoice, saveInvoice } from '../services/invoices.js';
import { sendOrderConfirmation } from '../services/mailer.js';
import { isShippingMethod, shippingCost } from '../services/shipping.js';
import { notifyOrder } from '../realtime.js';

export const ordersRouter = Router();

// Shown on the admin dashboard.
// hazard: no-in-memory-counter
let ordersPlaced = 0;

// One checkout per customer at a time: a double click on "Pay" used to create two orders.
// hazard: no-in-process-lock
const checkoutsInProgress = new Set<number>();

async function priceItems(raw: unknown): Promise<LineItem[] | undefined> {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const items: LineItem[] = [];
  for (const entry of raw as { productId?: unknown; quantity?: unknown }[]) {
    const product = await getProduct(Number(entry.productId));
    const quantity = Number(entry.quantity ?? 1);
    if (!product || !Number.isInteger(quantity) || quantity < 1) return undefined;
    items.push({ productId: product.id, quantity, priceCents: product.priceCents });
  }
  return items;
}

ordersRouter.put('/cart', requireUser, async (req, res) => {
  const items = await priceItems((req.body as { items?: unknown } | undefined)?.items);
  if (!items) {
    res.status(400).json({ error: 'invalid items' });
    return;
  }
  const row = { userId: res.locals.user.id, items, updatedAt: new Date() };
  await db.insert(carts).values(row).onConflictDoUpdate({ target: carts.userId, set: row });
  res.json(row);
});

ordersRouter.post('/orders', requireUser, async (req, res) => {
  const user = res.locals.user;
  if (checkoutsInProgress.has(user.id)) {
    res.status(409).json({ error: 'checkout already in progress' });
    return;
  }
  checkoutsInProgress.add(user.id);
  try {
    const body = (req.body ?? {}) as { items?: unknown; shipping?: unknown };
    const items = await priceItems(body.items);
    const shipping = body.shipping ?? 'standard';
    if (!items || !isShippingMethod(shipping)) {
      res.status(400).json({ error: 'invalid order' });
      return;
    }
    const subtotal = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
    const [{ id }] = await db
      .insert(orders)
      .values({ userId: user.id, items, shipping, totalCents: subtotal + shippingCost(shipping, items) })
      .returning({ id: orders.id });

    // Re-read the row so the response carries the DB defaults (status, created_at).
    // hazard: no-replica-read-after-write
    const [order] = await db.select().from(orders).where(eq(orders.id, id));
    await db.delete(carts).where(eq(carts.userId, user.id));
    ordersPlaced++;

    const pdf = await renderInvoice(order, user.email);
    await saveInvoice(order.id, pdf);
    await sendOrderConfirmation(user.email, order, pdf);
    notifyOrder(order.id, order.status);
    res.status(201).json(order);
  } finally {
    checkoutsInProgress.delete(user.id);
  }
});

ordersRouter.get('/orders', requireUser, async (_req, res) => {
  const rows = await db.select().from(orders).where(eq(orders.userId, res.locals.user.id)).orderBy(desc(orders.id));
  // quiet: per-request local Map, gone when the handler returns
  const byStatus = new Map<string, number>();
  for (const row of rows) byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
  res.json({ orders: rows, byStatus: Object.fromEntries(byStatus) });
});

// Serves the PDF that POST /orders saved to this instance's disk.
ordersRouter.get('/orders/:id/invoice', requireUser, async (req, res) => {
  const [order] = await db.select().from(orders).where(eq(orders.id, Number(req.params.id)));
  if (!order || order.userId !== res.locals.user.id) {
    res.status(404).json({ error: 'no such order' });
    return;
  }
  res.sendFile(invoicePath(order.id), (err) => {
    if (err && !res.headersSent) res.status(404).json({ error: 'invoice not found' });
  });
});

ordersRouter.get('/admin/stats', requireAdmin, (_req, res) => {
  res.json({ ordersPlaced, checkoutsInProgress: checkoutsInProgress.size });
});

// Accounting export: every order as gzipped CSV.
ordersRouter.get('/admin/orders/export', requireAdmin, async (_req, res) => {
  const rows = await db.select().from(orders).orderBy(orders.id);
  const csv = ['id,user_id,status,total_cents,created_at']
    .concat(rows.map((o) => [o.id, o.userId, o.status, o.totalCents, o.createdAt.toISOString()].join(',')))
    .join('\n');
  // hazard: no-blocking-request-work
  const gzipped = zlib.gzipSync(csv);

  // res.download() wants a path, so spool the export to a temp file first.
  const tmpFile = path.join(os.tmpdir(), `orders-export-${process.pid}-${Date.now()}.csv.gz`);
  try {
    // quiet: os.tmpdir() file removed in the finally block of this same handler
    await writeFile(tmpFile, gzipped);
    await new Promise<void>((resolve, reject) =>
      res.download(tmpFile, 'orders.csv.gz', (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    await rm(tmpFile, { force: true });
  }
});
