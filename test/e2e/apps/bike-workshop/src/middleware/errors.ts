import type { Next } from 'koa';
import type { AppContext } from '../types/state';

export async function errorHandler(ctx: AppContext, next: Next): Promise<void> {
  ctx.state.requestStartedAt = Date.now();
  try {
    await next();
  } catch (err: any) {
    ctx.status = err.status || err.statusCode || 500;
    ctx.body = { error: ctx.status === 500 ? 'something went wrong' : err.message };
    if (ctx.status === 500) console.error(err);
  } finally {
    ctx.set('X-Response-Time', `${Date.now() - ctx.state.requestStartedAt}ms`);
  }
}
