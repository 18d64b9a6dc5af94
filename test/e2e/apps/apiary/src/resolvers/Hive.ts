import type { ApiaryContext } from '../context';
import { harvestShape, type HiveParent } from './shapes';

export const Hive = {
  id: (hive: HiveParent) => String(hive.id),
  frameType: (hive: HiveParent) => hive.frame_type,
  photoUrl: (hive: HiveParent) => (hive.photo ? `/photos/${hive.photo}` : null),
  createdAt: (hive: HiveParent) => hive.created_at.toISOString(),

  async owner(hive: HiveParent, _args: unknown, ctx: ApiaryContext) {
    const row = await ctx.loaders.beekeeper.load(hive.owner_id);
    return row && { id: String(row.id), name: row.name, email: row.email, memberSince: row.created_at.toISOString(), hiveCount: await ctx.services.hives.countFor(row.id) };
  },

  inspections(hive: HiveParent, _args: unknown, ctx: ApiaryContext) {
    return ctx.loaders.inspectionsByHive.load(hive.id);
  },

  async harvests(hive: HiveParent, _args: unknown, ctx: ApiaryContext) {
    return (await ctx.services.harvests.forHive(hive.id)).map(harvestShape);
  },
};
