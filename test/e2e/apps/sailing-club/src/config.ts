import { readFileSync } from 'fs';
import path from 'path';

interface ClubFile {
  name: string;
  mailFrom: string;
  slipwayOpens: string;
  maxReservationsPerDay: number;
  photoTypes: string[];
}

// club.json ships with the app; read once when the process starts.
const club: ClubFile = JSON.parse(readFileSync(path.join(__dirname, '..', 'club.json'), 'utf8'));

export const config = {
  port: Number(process.env.PORT || 4000),
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost/sailing',
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://localhost/sailing',
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads'),
  sessionSecret: process.env.SESSION_SECRET || 'harbour-lane-dev-secret',
  smtp: process.env.SMTP_HOST ? { host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT || 587) } : undefined,
  club,
};
