import type { Context, Next } from 'koa';

export async function requireVolunteer(ctx: Context, next: Next): Promise<void> {
  if (!ctx.session?.volunteerId) ctx.throw(401, 'Log in first');
  await next();
}
