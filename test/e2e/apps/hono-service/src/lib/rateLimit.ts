import { createMiddleware } from 'hono/factory';

interface Window {
  count: number;
  resetAt: number;
}

// Fixed window per client address: enough to slow down password guessing.
export function rateLimit(perMinute: number) {
  const windows = new Map<string, Window>();
  return createMiddleware(async (c, next) => {
    const key = c.req.header('x-forwarded-for')?.split(',')[0].trim() || 'local';
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + 60_000 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > perMinute) {
      c.header('Retry-After', String(Math.ceil((window.resetAt - now) / 1000)));
      return c.json({ error: 'too many attempts, try again later' }, 429);
    }
    await next();
  });
}
