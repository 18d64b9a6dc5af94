import pg from 'pg';
import config from './config.js';

export const db = new pg.Pool({ connectionString: config.databaseUrl });
export const replica = new pg.Pool({ connectionString: config.replicaUrl });

export async function migrate() {
  await db.query(`
    CREATE TABLE IF NOT EXISTS users (
      id SERIAL PRIMARY KEY,
      username TEXT UNIQUE NOT NULL,
      password TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS albums (
      id SERIAL PRIMARY KEY,
      owner_id INTEGER NOT NULL REFERENCES users(id),
      title TEXT NOT NULL,
      created_at TIMESTAMPTZ DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS photos (
      id SERIAL PRIMARY KEY,
      album_id INTEGER NOT NULL REFERENCES albums(id),
      file TEXT NOT NULL,
      original_name TEXT NOT NULL,
      size INTEGER NOT NULL,
      caption TEXT
    );
  `);
}
