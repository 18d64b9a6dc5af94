import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'owner',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS vets (
  id serial PRIMARY KEY,
  name text NOT NULL,
  specialty text NOT NULL,
  fee_cents integer NOT NULL
);
CREATE TABLE IF NOT EXISTS pets (
  id serial PRIMARY KEY,
  owner_id integer NOT NULL REFERENCES users(id),
  name text NOT NULL,
  species text NOT NULL,
  birth_year integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS pet_records (
  id serial PRIMARY KEY,
  pet_id integer NOT NULL REFERENCES pets(id),
  file_name text NOT NULL,
  original_name text NOT NULL,
  mime_type text NOT NULL,
  size integer NOT NULL,
  uploaded_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS appointments (
  id serial PRIMARY KEY,
  pet_id integer NOT NULL REFERENCES pets(id),
  vet_id integer NOT NULL REFERENCES vets(id),
  day date NOT NULL,
  time text NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (vet_id, day, time)
);
INSERT INTO vets (id, name, specialty, fee_cents) VALUES
  (1, 'Dr. Ada Okafor', 'small animals', 4500),
  (2, 'Dr. Tomás Reyes', 'birds and exotics', 6000)
ON CONFLICT (id) DO NOTHING;
`;

@Injectable()
export class SchemaService implements OnModuleInit {
  private readonly logger = new Logger(SchemaService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit() {
    // Every instance runs this on boot; the advisory lock keeps two of them from racing on CREATE TABLE.
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(73310)');
      await manager.query(SCHEMA);
    });
    this.logger.log('schema ready');
  }
}
