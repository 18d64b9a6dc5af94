import { Pool } from 'pg';
import { config } from '../config';

// Writes go to the primary; the reports and listings read the standby.
export const db = new Pool({ connectionString: config.databaseUrl, max: 10 });
export const replica = new Pool({ connectionString: config.replicaUrl, max: 10 });

export async function createSchema(): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS customers (
      id SERIAL PRIMARY KEY,
      email TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      salt TEXT NOT NULL,
      staff BOOLEAN NOT NULL DEFAULT false,
      welcomed_at TIMESTAMPTZ,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS records (
      id SERIAL PRIMARY KEY,
      artist TEXT NOT NULL,
      title TEXT NOT NULL,
      format TEXT NOT NULL,
      price_pence INTEGER NOT NULL,
      stock INTEGER NOT NULL DEFAULT 0,
      cover TEXT
    );
    CREATE TABLE IF NOT EXISTS orders (
      id SERIAL PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers(id),
      record_id INTEGER NOT NULL REFERENCES records(id),
      quantity INTEGER NOT NULL,
      total_pence INTEGER NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS stock_alerts (
      id SERIAL PRIMARY KEY,
      record_id INTEGER NOT NULL REFERENCES records(id),
      email TEXT NOT NULL
    );
  `);
  const { rows } = await db.query('SELECT count(*)::int AS n FROM records');
  if (rows[0].n === 0) {
    await db.query(
      `INSERT INTO records (artist, title, format, price_pence, stock) VALUES
        ('Broadcast', 'Tender Buttons', 'LP', 2400, 4),
        ('Stereolab', 'Ping Pong', 'single', 800, 2),
        ('Young Marble Giants', 'Colossal Youth', 'LP', 2200, 0)`,
    );
  }
}
