import { lt } from 'drizzle-orm';
import { config } from '../config.js';
import { db } from '../db/client.js';
import { carts } from '../db/schema.js';

const CART_TTL_MS = 2 * 60 * 60_000;

async function expireCarts(): Promise<void> {
  const expired = await db
    .delete(carts)
    .where(lt(carts.updatedAt, new Date(Date.now() - CART_TTL_MS)))
    .returning({ userId: carts.userId });
  console.log(`[jobs] cart expiry: ${expired.length} abandoned carts removed`);
}

// Started by server.ts: every running instance runs its own copy.
export function startCartExpiry(): NodeJS.Timeout {
  // hazard: no-in-process-scheduler
  return setInterval(() => {
    expireCarts().catch((err: unknown) => console.error('[jobs] cart expiry failed', err));
  }, config.cartExpiryIntervalMs);
}
