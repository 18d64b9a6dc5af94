import fs from 'fs';
import path from 'path';

export interface WorkshopSettings {
  name: string;
  benchesPerDay: number;
  openingHours: string;
  replyTo: string;
}

// Shop details are edited by hand and shipped with the release.
const workshop: WorkshopSettings = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'workshop.json'), 'utf8'));

export const config = {
  port: Number(process.env.PORT || 4000),
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost/spoke_and_chain',
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://localhost/spoke_and_chain',
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads'),
  smtpHost: process.env.SMTP_HOST,
  smtpPort: Number(process.env.SMTP_PORT || 587),
  mailFrom: process.env.MAIL_FROM || 'Spoke & Chain <bookings@spokeandchain.test>',
  sessionTtlMs: 8 * 60 * 60 * 1000,
  workshop,
};
