import { Pool } from 'pg';

// Reuse the pools across hot reloads in dev.
const globalForDb = globalThis;

export const db = globalForDb.__db ?? new Pool({ connectionString: process.env.DATABASE_URL });
export const readDb = globalForDb.__readDb ?? new Pool({ connectionString: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL });

if (process.env.NODE_ENV !== 'production') {
  globalForDb.__db = db;
  globalForDb.__readDb = readDb;
}

let ready;
export function ensureSchema() {
  if (!ready) {
    ready = db.query(`
      CREATE TABLE IF NOT EXISTS authors (
        id SERIAL PRIMARY KEY,
        handle TEXT UNIQUE NOT NULL,
        password_hash TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS posts (
        id SERIAL PRIMARY KEY,
        author_id INTEGER NOT NULL REFERENCES authors(id),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        cover TEXT,
        published_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `);
  }
  return ready;
}
