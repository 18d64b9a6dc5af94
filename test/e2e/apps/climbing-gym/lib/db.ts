import { Pool } from 'pg';

// Keep one pool per process across hot reloads in dev (the pattern from the Next.js docs).
const globalForDb = globalThis as unknown as { db?: Pool; replica?: Pool };

export const db = globalForDb.db ?? new Pool({ connectionString: process.env.DATABASE_URL });
// Reads that can be a little behind go to the standby.
export const replica = globalForDb.replica ?? new Pool({ connectionString: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL });

if (process.env.NODE_ENV !== 'production') {
  globalForDb.db = db;
  globalForDb.replica = replica;
}

export async function ensureSchema() {
  await db.query(`
    CREATE TABLE IF NOT EXISTS climbers (
      id SERIAL PRIMARY KEY,
      email TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS routes (
      id SERIAL PRIMARY KEY,
      name TEXT NOT NULL,
      grade TEXT NOT NULL,
      wall TEXT NOT NULL,
      setter_id INTEGER NOT NULL REFERENCES climbers(id),
      photo TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS bookings (
      id SERIAL PRIMARY KEY,
      class_slug TEXT NOT NULL,
      climber_id INTEGER NOT NULL REFERENCES climbers(id),
      UNIQUE (class_slug, climber_id)
    );
  `);
}
