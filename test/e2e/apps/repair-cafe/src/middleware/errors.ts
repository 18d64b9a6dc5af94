import type { Context, Next } from 'koa';

export async function errors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    const error = err as { status?: number; expose?: boolean; message?: string };
    ctx.status = error.status ?? 500;
    ctx.body = { error: error.expose ? error.message : 'Something went wrong' };
    if (ctx.status >= 500) ctx.app.emit('error', err, ctx);
  }
}
