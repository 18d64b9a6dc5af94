import Router from '@koa/router';
import { db } from '../db.js';
import { checkPassword, hashPassword } from '../lib/passwords.js';
import { clearFailures, lockedOut, recordFailure } from '../lib/loginGuard.js';

interface Credentials {
  name?: string;
  email?: string;
  password?: string;
}

export const volunteers = new Router({ prefix: '/api' });

volunteers.post('/signup', async (ctx) => {
  const { name, email, password } = ctx.request.body as Credentials;
  if (!name || !email || !password || password.length < 8) return ctx.throw(400, 'Name, e-mail and a password of 8 characters or more');
  const existing = await db.query('SELECT id FROM volunteers WHERE email = $1', [email]);
  if (existing.rowCount) return ctx.throw(409, 'That e-mail has signed up already');
  const { rows } = await db.query('INSERT INTO volunteers (name, email, password_hash) VALUES ($1, $2, $3) RETURNING id, name, email', [name, email, hashPassword(password)]);
  ctx.status = 201;
  ctx.body = { volunteer: rows[0] };
});

volunteers.post('/login', async (ctx) => {
  const { email, password } = ctx.request.body as Credentials;
  if (!email || !password) return ctx.throw(400, 'E-mail and password');
  if (lockedOut(email)) return ctx.throw(429, 'Too many wrong passwords, try again later');
  const { rows } = await db.query('SELECT id, name, email, password_hash FROM volunteers WHERE email = $1', [email]);
  const volunteer = rows[0];
  if (!volunteer || !checkPassword(password, volunteer.password_hash)) {
    recordFailure(email);
    ctx.throw(401, 'Wrong e-mail or password');
  }
  clearFailures(email);
  ctx.session!.volunteerId = volunteer.id;
  ctx.session!.name = volunteer.name;
  ctx.body = { volunteer: { id: volunteer.id, name: volunteer.name, email: volunteer.email } };
});

volunteers.get('/me', async (ctx) => {
  if (!ctx.session?.volunteerId) return ctx.throw(401, 'Not logged in');
  ctx.body = { volunteer: { id: ctx.session.volunteerId, name: ctx.session.name } };
});

volunteers.post('/logout', async (ctx) => {
  ctx.session = null;
  ctx.body = { ok: true };
});
