import express from 'express';
import session from 'express-session';
import RedisStore from 'connect-redis';
import { config } from './config';
import { redis, redisKey } from './lib/redis';
import { requestTimeout } from './middleware/timeout';
import { errorHandler } from './middleware/errorHandler';
import { authRoutes } from './routes/auth';
import { recordRoutes } from './routes/records';
import { orderRoutes } from './routes/orders';
import * as records from './controllers/recordController';
import './types';

export function createApp() {
  const app = express();
  app.use(express.json());
  app.use(requestTimeout());
  app.use(
    session({
      store: new RedisStore({ client: redis, prefix: `${redisKey('sess')}:` }),
      name: 'spin.sid',
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 7 * 24 * 60 * 60 * 1000 },
    }),
  );

  app.get('/health', (_req, res) => res.json({ ok: true, shop: config.shop.name }));
  app.use('/api', authRoutes);
  app.use('/api/records', recordRoutes);
  app.use('/api/orders', orderRoutes);
  app.get('/covers/:file', records.sendCover);
  app.use(errorHandler);
  return app;
}
