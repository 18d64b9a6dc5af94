import { db } from '../db/knex';

export interface Part {
  id: number;
  sku: string;
  name: string;
  price_cents: number;
  in_stock: number;
}

export class PartsService {
  // Parts change rarely; keep the rows we have seen.
  private cache = new Map<number, Part>();

  async list(): Promise<Part[]> {
    return db<Part>('parts').select('*').orderBy('id');
  }

  async get(id: number): Promise<Part | undefined> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const part = await db<Part>('parts').where({ id }).first();
    if (part) this.cache.set(id, part);
    return part;
  }

  async updatePrice(id: number, priceCents: number): Promise<Part | undefined> {
    const [part] = await db<Part>('parts').where({ id }).update({ price_cents: priceCents }).returning('*');
    this.cache.delete(id);
    return part;
  }
}
