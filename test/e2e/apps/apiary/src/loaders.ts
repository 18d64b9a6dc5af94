import DataLoader from 'dataloader';
import type { BeekeeperRow, InspectionRow } from './db';
import { primary } from './db';
import { services } from './services';

// Made per request in the context: batches the owner and inspection lookups of one query.
export function createLoaders() {
  return {
    beekeeper: new DataLoader<number, BeekeeperRow | null>(async (ids) => {
      const { rows } = await primary.query<BeekeeperRow>('SELECT * FROM beekeepers WHERE id = ANY($1::int[])', [ids]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    inspectionsByHive: new DataLoader<number, InspectionRow[]>(async (hiveIds) => {
      const rows = await services.inspections.forHives(hiveIds);
      return hiveIds.map((id) => rows.filter((row) => row.hive_id === id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
