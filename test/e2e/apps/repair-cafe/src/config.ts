import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface CafeSettings {
  name: string;
  mailFrom: string;
  benches: string[];
  photoTypes: string[];
}

// Read once when the server starts; edited by hand between seasons.
const cafe: CafeSettings = JSON.parse(await readFile(path.join(root, 'cafe.json'), 'utf8'));

export const config = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost/repair_cafe',
  replicaUrl: process.env.DATABASE_REPLICA_URL ?? process.env.DATABASE_URL ?? 'postgres://localhost/repair_cafe',
  uploadDir: process.env.UPLOAD_DIR ?? path.join(root, 'uploads'),
  sessionKeys: [process.env.SESSION_SECRET ?? 'eastgate-solder-and-thread'],
  cafe,
};
