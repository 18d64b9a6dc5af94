import { Pool } from 'pg';
import { config } from './config';

export const primary = new Pool({ connectionString: config.databaseUrl, max: 10 });
export const replica = new Pool({ connectionString: config.replicaUrl, max: 10 });

export interface BeekeeperRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  salt: string;
  created_at: Date;
}

export interface HiveRow {
  id: number;
  owner_id: number;
  name: string;
  site: string;
  frame_type: string;
  photo: string | null;
  created_at: Date;
}

export interface InspectionRow {
  id: number;
  hive_id: number;
  inspector_id: number;
  temperament: string;
  queen_seen: boolean;
  brood_frames: number;
  notes: string | null;
  created_at: Date;
}

export interface HarvestRow {
  id: number;
  hive_id: number;
  kg: string;
  harvested_on: string;
}

export async function migrate(): Promise<void> {
  await primary.query(`
    CREATE TABLE IF NOT EXISTS beekeepers (
      id SERIAL PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      salt TEXT NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS hives (
      id SERIAL PRIMARY KEY,
      owner_id INTEGER NOT NULL REFERENCES beekeepers(id),
      name TEXT NOT NULL,
      site TEXT NOT NULL,
      frame_type TEXT NOT NULL,
      photo TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS inspections (
      id SERIAL PRIMARY KEY,
      hive_id INTEGER NOT NULL REFERENCES hives(id),
      inspector_id INTEGER NOT NULL REFERENCES beekeepers(id),
      temperament TEXT NOT NULL,
      queen_seen BOOLEAN NOT NULL,
      brood_frames INTEGER NOT NULL,
      notes TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS harvests (
      id SERIAL PRIMARY KEY,
      hive_id INTEGER NOT NULL REFERENCES hives(id),
      kg NUMERIC(6, 2) NOT NULL,
      harvested_on DATE NOT NULL DEFAULT CURRENT_DATE,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
  `);
}
