import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import session from 'koa-session';
import { config } from './config.js';
import { errors } from './middleware/errors.js';
import { MemorySessionStore } from './lib/sessionStore.js';
import { volunteers } from './routes/volunteers.js';
import { items } from './routes/items.js';
import { cafe } from './routes/cafe.js';

export const app = new Koa();
app.keys = config.sessionKeys;
app.proxy = true;

app.use(errors);
app.use(session({ key: 'cafe.sid', maxAge: 8 * 60 * 60 * 1000, store: new MemorySessionStore() }, app));
app.use(bodyParser());

app.use(volunteers.routes()).use(volunteers.allowedMethods());
app.use(items.routes()).use(items.allowedMethods());
app.use(cafe.routes()).use(cafe.allowedMethods());

app.use(async (ctx) => {
  if (ctx.path === '/health') ctx.body = { ok: true };
});

app.on('error', (err) => console.error('server error', err));
