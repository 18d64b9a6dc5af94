import express from 'express';
import fileUpload from 'express-fileupload';
import session, { MemoryStore } from 'express-session';
import { config } from './config';
import { errorHandler } from './middleware/errorHandler';
import { router } from './routes';

export function createApp() {
  const app = express();
  app.set('trust proxy', true);
  app.use(express.json());
  app.use(fileUpload({ limits: { fileSize: 5 * 1024 * 1024 }, abortOnLimit: true }));
  app.use(
    session({
      name: 'harbour.sid',
      secret: config.sessionSecret,
      store: new MemoryStore(),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 8 * 60 * 60 * 1000 },
    }),
  );

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/api', router);
  app.use(errorHandler);
  return app;
}
