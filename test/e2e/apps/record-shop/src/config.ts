import { readFileSync } from 'fs';
import path from 'path';

interface ShopFile {
  name: string;
  staffDomain: string;
  mailFrom: string;
  maxPerOrder: number;
}

const shop: ShopFile = JSON.parse(readFileSync(path.join(__dirname, '..', 'shop.json'), 'utf8'));

export const config = {
  port: Number(process.env.PORT || 3000),
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost/recordshop',
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://localhost/recordshop',
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads'),
  sessionSecret: process.env.SESSION_SECRET || 'second-spin-dev-secret',
  shop,
};
