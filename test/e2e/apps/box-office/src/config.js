import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// Venue details are edited by the front-of-house team, so they live in a JSON file beside the code.
const venue = JSON.parse(readFileSync(path.join(here, 'venue.json'), 'utf8'));

export default {
  port: Number(process.env.PORT || 4000),
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost:5432/boxoffice',
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://localhost:5432/boxoffice',
  uploadDir: process.env.UPLOAD_DIR || path.join(here, '..', 'uploads'),
  sessionSecret: process.env.SESSION_SECRET || 'lantern-box-office-keep-this-secret',
  smtp: process.env.SMTP_HOST
    ? { host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT || 587), auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } }
    : null,
  venue,
};
