import type { ApiaryContext } from '../context';
import { requireViewer } from '../context';
import { FRAME_TYPES, type FrameType } from '../constants';
import { notFound } from '../errors';
import { beekeeperShape } from './shapes';

export const Query = {
  async me(_parent: unknown, _args: unknown, ctx: ApiaryContext) {
    const viewer = requireViewer(ctx);
    const row = await ctx.loaders.beekeeper.load(viewer.beekeeperId);
    if (!row) throw notFound('Your membership was removed');
    return { ...beekeeperShape(row), hiveCount: await ctx.services.hives.countFor(viewer.beekeeperId) };
  },

  hives(_parent: unknown, _args: unknown, ctx: ApiaryContext) {
    const viewer = requireViewer(ctx);
    return ctx.services.hives.listFor(viewer.beekeeperId);
  },

  // Members look at each other's hives (the sites are shared); only the owner changes one.
  hive(_parent: unknown, args: { id: string }, ctx: ApiaryContext) {
    requireViewer(ctx);
    return ctx.services.hives.byId(Number(args.id));
  },

  frameTypes() {
    return (Object.keys(FRAME_TYPES) as FrameType[]).map((type) => ({ type, ...FRAME_TYPES[type] }));
  },
};
