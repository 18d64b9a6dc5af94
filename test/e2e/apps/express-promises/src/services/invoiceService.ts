import { pool, readPool } from '../db/pool';
import { config, TAX_RATES } from '../config';
import { SessionUser } from './authService';

export interface LineInput {
  description: string;
  quantity: number;
  unitCents: number;
}

export interface Invoice {
  id: number;
  customer: string;
  customerEmail: string;
  netCents: number;
  taxCents: number;
  totalCents: number;
  dueDate: string;
  status: string;
  lines: LineInput[];
}

function dueDate(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function toInvoice(row: any, lines: any[]): Invoice {
  return {
    id: row.id,
    customer: row.customer,
    customerEmail: row.customer_email,
    netCents: row.net_cents,
    taxCents: row.tax_cents,
    totalCents: row.net_cents + row.tax_cents,
    dueDate: row.due_date instanceof Date ? row.due_date.toISOString().slice(0, 10) : row.due_date,
    status: row.status,
    lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unitCents: l.unit_cents })),
  };
}

export function createInvoice(user: SessionUser, customer: string, customerEmail: string, lines: LineInput[]): Promise<number> {
  const net = lines.reduce((sum, l) => sum + l.quantity * l.unitCents, 0);
  const tax = Math.round(net * (TAX_RATES[user.country] ?? 0));
  return pool
    .query('INSERT INTO invoices (user_id, customer, customer_email, net_cents, tax_cents, due_date) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [
      user.id,
      customer,
      customerEmail,
      net,
      tax,
      dueDate(config.paymentTermsDays),
    ])
    .then((result) => {
      const id: number = result.rows[0].id;
      return Promise.all(
        lines.map((l) => pool.query('INSERT INTO invoice_lines (invoice_id, description, quantity, unit_cents) VALUES ($1, $2, $3, $4)', [id, l.description, l.quantity, l.unitCents])),
      ).then(() => id);
    });
}

export function findById(userId: number, id: number): Promise<Invoice | undefined> {
  return readPool.query('SELECT * FROM invoices WHERE id = $1 AND user_id = $2', [id, userId]).then((result) => {
    if (result.rows.length === 0) return undefined;
    return readPool
      .query('SELECT * FROM invoice_lines WHERE invoice_id = $1 ORDER BY id', [id])
      .then((lines) => toInvoice(result.rows[0], lines.rows));
  });
}

export function listForUser(userId: number): Promise<Invoice[]> {
  return readPool
    .query('SELECT * FROM invoices WHERE user_id = $1 ORDER BY id', [userId])
    .then((result) => result.rows.map((row) => toInvoice(row, [])));
}

export function markSent(id: number): Promise<void> {
  return pool.query("UPDATE invoices SET status = 'sent' WHERE id = $1", [id]).then(() => undefined);
}
