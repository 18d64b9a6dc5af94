import type { BeekeeperRow, HarvestRow, HiveRow, InspectionRow } from '../db';

// Rows as the schema shows them.
export const beekeeperShape = (row: BeekeeperRow) => ({ id: String(row.id), name: row.name, email: row.email, memberSince: row.created_at.toISOString() });

export const harvestShape = (row: HarvestRow) => ({ id: String(row.id), hiveId: String(row.hive_id), kg: Number(row.kg), harvestedOn: row.harvested_on });

export type HiveParent = HiveRow;
export type InspectionParent = InspectionRow;
