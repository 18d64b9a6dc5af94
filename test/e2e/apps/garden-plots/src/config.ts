import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

interface GardenInfo {
  name: string;
  secretary: string;
  waterPerDay: number;
  seasonStarts: string;
}

// The garden's own details ship with the app and never change while it runs.
const garden: GardenInfo = JSON.parse(readFileSync(path.join(here, '..', 'config', 'garden.json'), 'utf8'));

export const config = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost/allotments',
  replicaUrl: process.env.DATABASE_REPLICA_URL ?? process.env.DATABASE_URL ?? 'postgres://localhost/allotments',
  uploadDir: process.env.UPLOAD_DIR ?? path.join(here, '..', 'uploads'),
  sessionSecret: process.env.SESSION_SECRET ?? 'compost-happens',
  mailFrom: process.env.MAIL_FROM ?? `${garden.name} <${garden.secretary}>`,
  smtp: process.env.SMTP_HOST
    ? { host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT ?? 587), auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS ?? '' } : undefined }
    : undefined,
  garden,
};
