import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// Shop details live next to the code so the owner can edit them without a deploy pipeline.
const shop = JSON.parse(readFileSync(path.join(here, 'shop.json'), 'utf8'));

const config = {
  port: Number(process.env.PORT || 3000),
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost:5432/bakery',
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://localhost:5432/bakery',
  uploadDir: process.env.UPLOAD_DIR || path.join(here, '..', 'uploads'),
  sessionSecret: process.env.SESSION_SECRET || 'a-very-long-bakery-secret-nobody-will-ever-guess',
  smtp: process.env.SMTP_HOST
    ? { host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT || 587), auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } }
    : null,
  shop,
};

export default config;
