import pg from 'pg';
import { config } from './config.js';

export const db = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
// Lists and counts go to the standby.
export const replica = new pg.Pool({ connectionString: config.replicaUrl, max: 10 });

await db.query(`
  CREATE TABLE IF NOT EXISTS volunteers (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS benches (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
  );
  CREATE TABLE IF NOT EXISTS items (
    id SERIAL PRIMARY KEY,
    ticket INTEGER NOT NULL,
    owner TEXT NOT NULL,
    owner_email TEXT,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting',
    photo TEXT,
    bench_id INTEGER REFERENCES benches(id),
    volunteer_id INTEGER REFERENCES volunteers(id),
    booked_in_by INTEGER NOT NULL REFERENCES volunteers(id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
`);
for (const name of config.cafe.benches) {
  await db.query('INSERT INTO benches (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
}
