import { Hono } from 'hono';
import postgres from 'postgres';
import { config } from '../config.js';
import { sql } from '../db.js';
import { checkPassword, hashPassword } from '../lib/passwords.js';
import { rateLimit } from '../lib/rateLimit.js';
import { endSession, rememberUser, requireUser, startSession } from '../lib/sessions.js';
import type { AppEnv, User } from '../types.js';

const users = new Hono<AppEnv>();

users.post('/signup', async (c) => {
  const { email, password, displayName } = await c.req.json<{ email?: string; password?: string; displayName?: string }>();
  if (!email || !password || password.length < 8) {
    return c.json({ error: 'email and a password of 8 characters or more are required' }, 400);
  }
  try {
    const [user] = await sql<User[]>`
      INSERT INTO users (email, display_name, password_hash)
      VALUES (${email.toLowerCase()}, ${displayName ?? email.split('@')[0]}, ${hashPassword(password)})
      RETURNING id, email, display_name`;
    return c.json(user, 201);
  } catch (err) {
    if (err instanceof postgres.PostgresError && err.code === '23505') {
      return c.json({ error: 'that email is already registered' }, 409);
    }
    throw err;
  }
});

users.post('/login', rateLimit(config.limits.loginAttemptsPerMinute), async (c) => {
  const { email, password } = await c.req.json<{ email?: string; password?: string }>();
  const [row] = await sql<(User & { passwordHash: string })[]>`
    SELECT id, email, display_name, password_hash FROM users WHERE email = ${(email ?? '').toLowerCase()}`;
  if (!row || !checkPassword(password ?? '', row.passwordHash)) {
    return c.json({ error: 'wrong email or password' }, 401);
  }
  startSession(c, row.id);
  return c.json({ id: row.id, email: row.email, displayName: row.displayName });
});

users.post('/logout', (c) => {
  endSession(c);
  return c.json({ ok: true });
});

users.get('/me', requireUser, (c) => c.json(c.get('user')));

users.patch('/me', requireUser, async (c) => {
  const { displayName } = await c.req.json<{ displayName?: string }>();
  if (!displayName?.trim()) return c.json({ error: 'displayName is required' }, 400);
  const [user] = await sql<User[]>`
    UPDATE users SET display_name = ${displayName.trim()} WHERE id = ${c.get('user').id}
    RETURNING id, email, display_name`;
  rememberUser(user);
  return c.json(user);
});

export default users;
