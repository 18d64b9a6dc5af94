import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { PRIMARY, REPLICA } from './tokens';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS singers (
  id SERIAL PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  voice_part TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'singer',
  password_hash TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS scores (
  id SERIAL PRIMARY KEY,
  title TEXT NOT NULL,
  composer TEXT NOT NULL,
  file_name TEXT NOT NULL,
  original_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  uploaded_by INTEGER NOT NULL REFERENCES singers(id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS rehearsals (
  id SERIAL PRIMARY KEY,
  day DATE NOT NULL,
  starts TEXT NOT NULL,
  venue TEXT NOT NULL,
  programme TEXT NOT NULL,
  rsvp_open BOOLEAN NOT NULL DEFAULT true,
  reminded BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS rsvps (
  id SERIAL PRIMARY KEY,
  rehearsal_id INTEGER NOT NULL REFERENCES rehearsals(id),
  singer_id INTEGER NOT NULL REFERENCES singers(id),
  voice_part TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (rehearsal_id, singer_id)
);
CREATE TABLE IF NOT EXISTS auditions (
  id SERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  voice_part TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`;

@Injectable()
export class SchemaService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchemaService.name);
  private keepAlive?: NodeJS.Timeout;

  constructor(
    @Inject(PRIMARY) private readonly primary: Pool,
    @Inject(REPLICA) private readonly replica: Pool,
  ) {}

  async onModuleInit() {
    await this.primary.query(SCHEMA);
    this.logger.log('schema ready');
  }

  onApplicationBootstrap() {
    // The standby sits behind a firewall that drops idle connections after a few minutes.
    this.keepAlive = setInterval(() => {
      this.replica.query('SELECT 1').catch((err) => this.logger.warn(`replica keep-alive: ${err.message}`));
    }, 60_000);
    this.keepAlive.unref();
  }

  async onApplicationShutdown() {
    if (this.keepAlive) clearInterval(this.keepAlive);
    await Promise.all([this.primary.end(), this.replica.end()]);
  }
}
