import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default {
  port: Number(process.env.PORT ?? 3000),
  keys: (process.env.APP_KEYS ?? 'snapshots-dev-key').split(','),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost/snapshots',
  replicaUrl: process.env.DATABASE_REPLICA_URL ?? process.env.DATABASE_URL ?? 'postgres://localhost/snapshots',
  uploadDir: process.env.UPLOAD_DIR ?? path.join(root, 'public', 'uploads'),
  maxUploadMb: 10,
};
