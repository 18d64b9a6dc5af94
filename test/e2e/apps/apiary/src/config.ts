import fs from 'fs';
import path from 'path';

interface AssociationSettings {
  association: string;
  mailFrom: string;
  extractorSlotsPerDay: number;
  digestSchedule: string;
  sessionDays: number;
}

const settings: AssociationSettings = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'apiary.json'), 'utf8'));

export const config = {
  port: Number(process.env.PORT || 4000),
  databaseUrl: process.env.DATABASE_URL || 'postgres://apiary:apiary@localhost:5432/apiary',
  // Reads that can be a moment stale go to the standby when there is one.
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://apiary:apiary@localhost:5432/apiary',
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads'),
  smtp: process.env.SMTP_HOST
    ? { host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT || 587), user: process.env.SMTP_USER, pass: process.env.SMTP_PASS }
    : undefined,
  cookieName: 'apiary_sid',
  sessionTtlMs: settings.sessionDays * 24 * 60 * 60 * 1000,
  ...settings,
};
