import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import type { AppState } from './types/state';
import { errorHandler } from './middleware/errors';
import { loadSession } from './middleware/session';
import { authRouter } from './routes/auth';
import { repairsRouter } from './routes/repairs';
import { partsRouter } from './routes/parts';

export function createApp(): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = true;

  app.use(errorHandler);
  app.use(bodyParser({ jsonLimit: '100kb' }));
  app.use(loadSession);

  app.use(async (ctx, next) => {
    if (ctx.path === '/health') {
      ctx.body = { ok: true };
      return;
    }
    await next();
  });

  for (const router of [authRouter, repairsRouter, partsRouter]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
