import Router from '@koa/router';
import bcrypt from 'bcryptjs';
import { db } from '../db.js';
import { requireUser } from '../middleware/auth.js';

const router = new Router({ prefix: '/api' });

router.post('/signup', async (ctx) => {
  const { username, password } = ctx.request.body;
  ctx.assert(username && password, 400, 'username and password required');
  const hash = bcrypt.hashSync(password, 10);
  const { rows } = await db.query('INSERT INTO users (username, password) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id, username', [username, hash]);
  ctx.assert(rows.length, 409, 'username taken');
  ctx.status = 201;
  ctx.body = rows[0];
});

router.post('/login', async (ctx) => {
  const { username, password } = ctx.request.body;
  const { rows } = await db.query('SELECT id, username, password FROM users WHERE username = $1', [username]);
  const user = rows[0];
  if (!user || !bcrypt.compareSync(password || '', user.password)) {
    ctx.status = 401;
    ctx.body = { error: 'invalid login' };
    return;
  }
  ctx.session.user = { id: user.id, username: user.username };
  ctx.body = { user: ctx.session.user };
});

router.get('/me', requireUser, (ctx) => {
  ctx.body = { user: ctx.session.user };
});

router.post('/logout', (ctx) => {
  ctx.session = null;
  ctx.body = { ok: true };
});

export default router;
