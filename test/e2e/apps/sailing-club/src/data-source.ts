import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { config } from './config';
import { Boat } from './entities/Boat';
import { Member } from './entities/Member';
import { Reservation } from './entities/Reservation';

const entities = [Member, Boat, Reservation];

// Every write goes to the primary.
export const AppDataSource = new DataSource({
  type: 'postgres',
  url: config.databaseUrl,
  entities,
  synchronize: false,
  logging: false,
});

// The standby: the lists and reports read here to keep load off the primary.
export const ReplicaDataSource = new DataSource({
  type: 'postgres',
  url: config.replicaUrl,
  entities,
  synchronize: false,
  logging: false,
});

export async function createSchema(): Promise<void> {
  await AppDataSource.query(`
    CREATE TABLE IF NOT EXISTS members (
      id SERIAL PRIMARY KEY,
      email TEXT UNIQUE NOT NULL,
      name TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      salt TEXT NOT NULL,
      joined_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS boats (
      id SERIAL PRIMARY KEY,
      name TEXT NOT NULL,
      boat_class TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'afloat',
      photo TEXT
    );
    CREATE TABLE IF NOT EXISTS reservations (
      id SERIAL PRIMARY KEY,
      member_id INTEGER NOT NULL REFERENCES members(id),
      boat_id INTEGER NOT NULL REFERENCES boats(id),
      day DATE NOT NULL,
      launch_number INTEGER NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
  `);
}
