import fs from 'fs';
import path from 'path';

interface Defaults {
  company: string;
  currency: string;
  paymentTermsDays: number;
  rateLimitPerMinute: number;
  mailFrom: string;
}

const defaults: Defaults = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'config', 'defaults.json'), 'utf8'));

export const config = {
  ...defaults,
  port: Number(process.env.PORT) || 4000,
  databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@localhost:5432/invoicer',
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://postgres@localhost:5432/invoicer',
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads'),
  smtp: process.env.SMTP_URL,
};

export const TAX_RATES: Record<string, number> = {
  DE: 0.19,
  FR: 0.2,
  NL: 0.21,
  IE: 0.23,
  UK: 0.2,
  US: 0,
};
