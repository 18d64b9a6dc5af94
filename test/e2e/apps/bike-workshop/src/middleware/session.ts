import type { Next } from 'koa';
import type { AppContext } from '../types/state';
import { authService } from '../container';

export const SESSION_COOKIE = 'sc.sid';

export async function loadSession(ctx: AppContext, next: Next): Promise<void> {
  const sessionId = ctx.cookies.get(SESSION_COOKIE);
  const mechanic = authService.lookup(sessionId);
  if (mechanic) {
    ctx.state.mechanic = mechanic;
    ctx.state.sessionId = sessionId;
  }
  await next();
}

export async function requireMechanic(ctx: AppContext, next: Next): Promise<void> {
  if (!ctx.state.mechanic) {
    ctx.status = 401;
    ctx.body = { error: 'log in first' };
    return;
  }
  await next();
}
