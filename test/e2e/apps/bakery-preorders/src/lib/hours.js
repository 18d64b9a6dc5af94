import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'shop.json');

let cached;

// Opening hours don't change while we're running, read them the first time someone asks.
export async function pickupWindow() {
  if (!cached) {
    const shop = JSON.parse(await readFile(file, 'utf8'));
    cached = { opens: shop.pickup.opens, closes: shop.pickup.closes };
  }
  return cached;
}
