import { Pool } from 'pg';
import { config } from '../config';

export const pool = new Pool({ connectionString: config.databaseUrl });
export const readPool = new Pool({ connectionString: config.replicaUrl });

export function migrate(): Promise<void> {
  return pool
    .query(
      `CREATE TABLE IF NOT EXISTS users (
        id SERIAL PRIMARY KEY,
        email TEXT UNIQUE NOT NULL,
        password_hash TEXT NOT NULL,
        salt TEXT NOT NULL,
        country TEXT NOT NULL DEFAULT 'DE'
      )`,
    )
    .then(() =>
      pool.query(`CREATE TABLE IF NOT EXISTS invoices (
        id SERIAL PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        customer TEXT NOT NULL,
        customer_email TEXT NOT NULL,
        net_cents INTEGER NOT NULL,
        tax_cents INTEGER NOT NULL,
        due_date DATE NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft',
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`),
    )
    .then(() =>
      pool.query(`CREATE TABLE IF NOT EXISTS invoice_lines (
        id SERIAL PRIMARY KEY,
        invoice_id INTEGER NOT NULL REFERENCES invoices(id),
        description TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        unit_cents INTEGER NOT NULL
      )`),
    )
    .then(() => undefined);
}
