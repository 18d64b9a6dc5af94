import fs from 'node:fs';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import session from 'koa-session';
import serve from 'koa-static';
import mount from 'koa-mount';
import ratelimit from 'koa-ratelimit';
import config from './config.js';
import errors from './middleware/errors.js';
import sessionStore from './lib/sessionStore.js';
import users from './routes/users.js';
import albums from './routes/albums.js';
import photos from './routes/photos.js';

fs.mkdirSync(config.uploadDir, { recursive: true });

const app = new Koa();
app.keys = config.keys;
app.proxy = true;

app.use(errors);
app.use(
  ratelimit({
    driver: 'memory',
    db: new Map(),
    duration: 60000,
    max: 300,
    id: (ctx) => ctx.ip,
    errorMessage: 'Slow down',
  }),
);
app.use(session({ key: 'snap.sid', maxAge: 86400000, store: sessionStore }, app));
app.use(mount('/uploads', serve(config.uploadDir, { maxage: 3600000 })));

// multipart is parsed only on the upload route
app.use(async (ctx, next) => {
  if (ctx.is('multipart')) return next();
  return koaBody()(ctx, next);
});

app.use(users.routes()).use(users.allowedMethods());
app.use(albums.routes()).use(albums.allowedMethods());
app.use(photos.routes()).use(photos.allowedMethods());

app.use(async (ctx) => {
  if (ctx.path === '/') ctx.body = { app: 'snapshots', ok: true };
});

app.on('error', (err) => console.error('server error', err));

export default app;
