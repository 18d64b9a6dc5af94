import * as fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { eq } from 'drizzle-orm';
import { db } from '../db/client.js';
import { products } from '../db/schema.js';
import { requireAdmin } from '../middleware/auth.js';
import { categoryTitle, getProduct, updateProduct } from '../services/catalog.js';

export const productsRouter = Router();

// "Popular this week" badge on the product page.
// hazard: no-in-memory-counter
const productViews = new Map<number, number>();

productsRouter.get('/', async (req, res) => {
  const category = typeof req.query.category === 'string' ? req.query.category : undefined;
  const rows = category
    ? await db.select().from(products).where(eq(products.category, category))
    : await db.select().from(products);
  res.json(rows.map((row) => ({ ...row, categoryTitle: categoryTitle(row.category) })));
});

productsRouter.get('/:id', async (req, res) => {
  const id = Number(req.params.id);
  const product = await getProduct(id);
  if (!product) {
    res.status(404).json({ error: 'no such product' });
    return;
  }
  const views = (productViews.get(id) ?? 0) + 1;
  productViews.set(id, views);
  res.json({ ...product, categoryTitle: categoryTitle(product.category), views, popular: views > 100 });
});

productsRouter.put('/:id', requireAdmin, async (req, res) => {
  const { priceCents, stock } = (req.body ?? {}) as { priceCents?: unknown; stock?: unknown };
  const changes = {
    ...(Number.isInteger(priceCents) ? { priceCents: priceCents as number } : {}),
    ...(Number.isInteger(stock) ? { stock: stock as number } : {}),
  };
  const product = await updateProduct(Number(req.params.id), changes);
  if (!product) res.status(404).json({ error: 'no such product' });
  else res.json(product);
});

productsRouter.get('/:id/image', async (req, res) => {
  const product = await getProduct(Number(req.params.id));
  if (!product?.imagePath) {
    res.status(404).json({ error: 'no image' });
    return;
  }
  // hazard: no-blocking-request-work
  const image = fs.readFileSync(product.imagePath);
  res.type(path.extname(product.imagePath) || 'application/octet-stream').send(image);
});
