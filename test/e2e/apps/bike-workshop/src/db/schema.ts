import { db } from './knex';

export async function migrate(): Promise<void> {
  await db.raw(`
    CREATE TABLE IF NOT EXISTS mechanics (
      id SERIAL PRIMARY KEY,
      email TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      salt TEXT NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
  await db.raw(`
    CREATE TABLE IF NOT EXISTS repairs (
      id SERIAL PRIMARY KEY,
      customer_name TEXT NOT NULL,
      customer_email TEXT NOT NULL,
      bike TEXT NOT NULL,
      service TEXT NOT NULL,
      booked_for DATE NOT NULL,
      status TEXT NOT NULL DEFAULT 'booked',
      mechanic_id INTEGER REFERENCES mechanics(id),
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
  await db.raw(`
    CREATE TABLE IF NOT EXISTS repair_notes (
      id SERIAL PRIMARY KEY,
      repair_id INTEGER NOT NULL REFERENCES repairs(id),
      mechanic_id INTEGER NOT NULL REFERENCES mechanics(id),
      body TEXT NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
  await db.raw(`
    CREATE TABLE IF NOT EXISTS repair_photos (
      id SERIAL PRIMARY KEY,
      repair_id INTEGER NOT NULL REFERENCES repairs(id),
      original_name TEXT NOT NULL,
      stored_as TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      size INTEGER NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
  await db.raw(`
    CREATE TABLE IF NOT EXISTS parts (
      id SERIAL PRIMARY KEY,
      sku TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      price_cents INTEGER NOT NULL,
      in_stock INTEGER NOT NULL DEFAULT 0
    )`);
  await db.raw(`
    INSERT INTO parts (sku, name, price_cents, in_stock) VALUES
      ('TUBE-700C', 'Inner tube 700x25c', 799, 40),
      ('PAD-SH-B01S', 'Brake pads Shimano B01S', 1299, 12),
      ('CHAIN-11S', 'Chain 11-speed', 3499, 6)
    ON CONFLICT (sku) DO NOTHING`);
}
