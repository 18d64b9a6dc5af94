import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Limits {
  quotaBytes: number;
  maxFileBytes: number;
  loginAttemptsPerMinute: number;
  sessionHours: number;
}

// Shipped with the app; read once when it boots.
const limits: Limits = JSON.parse(readFileSync(new URL('../config/limits.json', import.meta.url), 'utf8'));

export const config = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost:5432/pinboard',
  replicaUrl: process.env.DATABASE_REPLICA_URL,
  uploadDir: process.env.UPLOAD_DIR ?? fileURLToPath(new URL('../uploads', import.meta.url)),
  limits,
};

export interface Settings {
  brand: string;
  version: string;
  sessionTtlMs: number;
}

let settingsCache: Settings | undefined;

export function settings(): Settings {
  if (!settingsCache) {
    settingsCache = {
      brand: process.env.BRAND_NAME ?? 'Pinboard',
      version: process.env.npm_package_version ?? '0.3.1',
      sessionTtlMs: limits.sessionHours * 60 * 60 * 1000,
    };
  }
  return settingsCache;
}
