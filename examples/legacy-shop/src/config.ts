import { readFileSync } from 'node:fs';

export interface ShopConfig {
  port: number;
  sessionSecret: string;
  jwtSecret: string;
  mailFrom: string;
  opsEmail: string;
  uploadDir: string;
  invoiceDir: string;
  productImageDir: string;
  databaseUrl?: string;
  databaseReplicaUrl?: string;
  smtpUrl?: string;
  /** How often abandoned carts are cleared, in ms. */
  cartExpiryIntervalMs: number;
  /** When the ops report goes out (node-cron syntax). */
  dailyReportCron: string;
}

// Compiled to dist/src/config.js (and dist/scripts/*.js), so the package root is two levels up.
const configFile = new URL('../../config/shop.json', import.meta.url);

// quiet: *Sync read once at start-up (module scope), never on a request path
const fromFile = JSON.parse(readFileSync(configFile, 'utf8')) as ShopConfig;

// Environment wins over the file so the same build runs in dev and prod.
export const config: ShopConfig = {
  ...fromFile,
  port: Number(process.env.PORT ?? fromFile.port),
  sessionSecret: process.env.SESSION_SECRET ?? fromFile.sessionSecret,
  jwtSecret: process.env.JWT_SECRET ?? fromFile.jwtSecret,
  databaseUrl: process.env.DATABASE_URL,
  databaseReplicaUrl: process.env.DATABASE_REPLICA_URL ?? process.env.DATABASE_URL,
  smtpUrl: process.env.SMTP_URL,
  cartExpiryIntervalMs: Number(process.env.CART_EXPIRY_INTERVAL_MS ?? fromFile.cartExpiryIntervalMs),
  dailyReportCron: process.env.DAILY_REPORT_CRON ?? fromFile.dailyReportCron,
};
