import type { ApiaryContext } from '../context';
import { notFound } from '../errors';
import { beekeeperShape, type InspectionParent } from './shapes';

export const Inspection = {
  id: (row: InspectionParent) => String(row.id),
  hiveId: (row: InspectionParent) => String(row.hive_id),
  queenSeen: (row: InspectionParent) => row.queen_seen,
  broodFrames: (row: InspectionParent) => row.brood_frames,
  createdAt: (row: InspectionParent) => row.created_at.toISOString(),

  async inspectedBy(row: InspectionParent, _args: unknown, ctx: ApiaryContext) {
    const beekeeper = await ctx.loaders.beekeeper.load(row.inspector_id);
    if (!beekeeper) throw notFound('The inspector left the association');
    return { ...beekeeperShape(beekeeper), hiveCount: await ctx.services.hives.countFor(beekeeper.id) };
  },
};
