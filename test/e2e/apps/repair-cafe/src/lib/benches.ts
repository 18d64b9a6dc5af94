import { db } from '../db.js';

export interface Bench {
  id: number;
  name: string;
}

// The benches are set up once from cafe.json when the database is made; they never change while the café runs.
export const benches: Bench[] = (await db.query<Bench>('SELECT id, name FROM benches ORDER BY id')).rows;

export function benchName(id: number | null): string | null {
  return benches.find((bench) => bench.id === id)?.name ?? null;
}
