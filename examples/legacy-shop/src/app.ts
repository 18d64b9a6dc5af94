import express from 'express';
import session from 'express-session';
import { config } from './config.js';
import { countRequests, registry } from './metrics.js';
import { authRouter } from './routes/auth.js';
import { ordersRouter } from './routes/orders.js';
import { productsRouter } from './routes/products.js';
import { uploadsRouter } from './routes/uploads.js';

export function createApp(): express.Express {
  const app = express();
  app.set('trust proxy', 1);
  app.use(countRequests);
  app.use(express.json({ limit: '100kb' }));

  // Cookie-based login for the web shop (no store configured).
  app.use(
    // hazard: no-in-memory-session
    session({
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 7 * 24 * 60 * 60_000 },
    }),
  );

  app.use(authRouter);
  app.use('/products', productsRouter);
  app.use(uploadsRouter);
  app.use(ordersRouter);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, pid: process.pid });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  const onError: express.ErrorRequestHandler = (err, _req, res, _next) => {
    console.error('[http]', err);
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}
