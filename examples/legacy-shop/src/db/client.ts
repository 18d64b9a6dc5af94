import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { withReplicas, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { config } from '../config.js';
import { hashPassword } from '../services/passwords.js';
import { categories, products, SCHEMA_SQL, users } from './schema.js';

type Database = PgDatabase<PgQueryResultHKT>;

function connect(): { primary: Database; replica: Database } {
  if (config.databaseUrl) {
    // Production: a real PostgreSQL primary and a streaming read replica.
    const primary = drizzleNodePg(new pg.Pool({ connectionString: config.databaseUrl }));
    const replica = drizzleNodePg(new pg.Pool({ connectionString: config.databaseReplicaUrl }));
    return { primary, replica };
  }
  // Development: one embedded PGlite plays both roles, so replication lag is zero here.
  const embedded = new PGlite();
  return { primary: drizzlePglite(embedded), replica: drizzlePglite(embedded) };
}

const { primary, replica } = connect();

// Writes go to the primary, every select() goes to the replica.
export const db = withReplicas(primary, [replica]);

const DEFAULT_CATEGORIES = [
  { slug: 'coffee', title: 'Coffee' },
  { slug: 'gear', title: 'Brewing gear' },
  { slug: 'courses', title: 'Courses' },
];

interface SeedProduct {
  name: string;
  category: string;
  priceCents: number;
  stock: number;
}

// Called once from server.ts before listen().
export async function initDatabase(): Promise<void> {
  for (const statement of SCHEMA_SQL) await primary.execute(sql.raw(statement));

  await primary.insert(categories).values(DEFAULT_CATEGORIES).onConflictDoNothing();

  const [{ count }] = await primary.select({ count: sql<number>`count(*)::int` }).from(products);
  if (count === 0) {
    // quiet: *Sync at start-up (initDatabase runs before listen)
    const seed = JSON.parse(readFileSync(new URL('../../../data/products.json', import.meta.url), 'utf8')) as SeedProduct[];
    await primary.insert(products).values(seed);
  }

  const salt = randomBytes(16).toString('hex');
  await primary
    .insert(users)
    .values({ email: 'demo@legacy-shop.test', name: 'Demo Customer', salt, passwordHash: hashPassword('hunter2', salt) })
    .onConflictDoNothing();
}
