import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import { config } from '../config.js';
import * as schema from './schema.js';

const primaryPool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
const replicaPool = new pg.Pool({ connectionString: config.replicaUrl, max: 10 });

// Writes go to the primary; the lists and pages go to the read replica.
export const db = drizzle(primaryPool, { schema });
export const readDb = drizzle(replicaPool, { schema });

export async function migrate(): Promise<void> {
  await db.execute(sql`
    CREATE TABLE IF NOT EXISTS members (
      id serial PRIMARY KEY,
      email text NOT NULL UNIQUE,
      name text NOT NULL,
      password_hash text NOT NULL,
      joined_at timestamp NOT NULL DEFAULT now()
    )`);
  await db.execute(sql`
    CREATE TABLE IF NOT EXISTS plots (
      id serial PRIMARY KEY,
      label text NOT NULL,
      size text NOT NULL,
      holder_id integer NOT NULL REFERENCES members(id),
      created_at timestamp NOT NULL DEFAULT now()
    )`);
  await db.execute(sql`
    CREATE TABLE IF NOT EXISTS photos (
      id serial PRIMARY KEY,
      plot_id integer NOT NULL REFERENCES plots(id),
      file_name text NOT NULL,
      caption text NOT NULL DEFAULT '',
      taken_by integer NOT NULL REFERENCES members(id)
    )`);
}
