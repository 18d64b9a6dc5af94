import type { ApiaryContext } from '../context';
import { requireViewer } from '../context';
import { config } from '../config';
import { badInput } from '../errors';
import type { NewHive } from '../services/HiveService';
import type { NewInspection } from '../services/InspectionService';
import { beekeeperShape, harvestShape } from './shapes';

export const Mutation = {
  async signup(_parent: unknown, args: { input: { email: string; name: string; password: string } }, ctx: ApiaryContext) {
    const { email, name, password } = args.input;
    if (!email.includes('@')) throw badInput('That is not an e-mail address');
    if (password.length < 8) throw badInput('Passwords need at least 8 characters');
    const row = await ctx.services.auth.signup(email, name, password);
    return { ...beekeeperShape(row), hiveCount: 0 };
  },

  async login(_parent: unknown, args: { email: string; password: string }, ctx: ApiaryContext) {
    const { token, beekeeper } = await ctx.services.auth.login(args.email, args.password);
    ctx.res?.cookie(config.cookieName, token, { httpOnly: true, sameSite: 'lax', maxAge: config.sessionTtlMs });
    return { token, beekeeper: { ...beekeeperShape(beekeeper), hiveCount: await ctx.services.hives.countFor(beekeeper.id) } };
  },

  logout(_parent: unknown, _args: unknown, ctx: ApiaryContext) {
    if (ctx.token) ctx.services.auth.logout(ctx.token);
    ctx.res?.clearCookie(config.cookieName);
    return true;
  },

  addHive(_parent: unknown, args: { input: NewHive }, ctx: ApiaryContext) {
    const viewer = requireViewer(ctx);
    if (!args.input.name.trim()) throw badInput('A hive needs a name');
    return ctx.services.hives.create(viewer.beekeeperId, args.input);
  },

  renameHive(_parent: unknown, args: { id: string; name: string }, ctx: ApiaryContext) {
    const viewer = requireViewer(ctx);
    if (!args.name.trim()) throw badInput('A hive needs a name');
    return ctx.services.hives.rename(Number(args.id), viewer.beekeeperId, args.name.trim());
  },

  logInspection(_parent: unknown, args: { input: NewInspection }, ctx: ApiaryContext) {
    const viewer = requireViewer(ctx);
    return ctx.services.inspections.log(viewer, args.input);
  },

  async recordHarvest(_parent: unknown, args: { hiveId: string; kg: number }, ctx: ApiaryContext) {
    const viewer = requireViewer(ctx);
    return harvestShape(await ctx.services.harvests.record(viewer, Number(args.hiveId), args.kg));
  },
};
