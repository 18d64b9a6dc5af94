import type { ItemRow } from '../routes/items.js';

// Items are looked up on every screen refresh; keep the rows for a minute.
const TTL_MS = 60_000;
const rows = new Map<number, { row: ItemRow; at: number }>();

export function cachedItem(id: number): ItemRow | undefined {
  const hit = rows.get(id);
  if (!hit || Date.now() - hit.at > TTL_MS) return undefined;
  return hit.row;
}

export function cacheItem(row: ItemRow): void {
  rows.set(row.id, { row, at: Date.now() });
}

export function forgetItem(id: number): void {
  rows.delete(id);
}
