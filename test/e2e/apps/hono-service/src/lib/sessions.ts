import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { randomBytes } from 'node:crypto';
import { settings } from '../config.js';
import { sql } from '../db.js';
import type { AppEnv, User } from '../types.js';

interface Session {
  userId: number;
  expiresAt: number;
}

const COOKIE = 'pinboard.sid';
const sessions = new Map<string, Session>();
// Users looked up by the auth middleware on every request: kept once loaded.
const userCache = new Map<number, User>();

export function startSession(c: Context, userId: number) {
  const sid = randomBytes(24).toString('base64url');
  sessions.set(sid, { userId, expiresAt: Date.now() + settings().sessionTtlMs });
  setCookie(c, COOKIE, sid, { httpOnly: true, sameSite: 'Lax', path: '/' });
}

export function endSession(c: Context) {
  const sid = getCookie(c, COOKIE);
  if (sid) sessions.delete(sid);
  deleteCookie(c, COOKIE, { path: '/' });
}

export function sweepSessions(): number {
  const now = Date.now();
  let removed = 0;
  for (const [sid, session] of sessions) {
    if (session.expiresAt < now) {
      sessions.delete(sid);
      removed++;
    }
  }
  return removed;
}

export async function findUser(id: number): Promise<User | undefined> {
  const cached = userCache.get(id);
  if (cached) return cached;
  const [user] = await sql<User[]>`SELECT id, email, display_name FROM users WHERE id = ${id}`;
  if (user) userCache.set(id, user);
  return user;
}

export function rememberUser(user: User) {
  userCache.set(user.id, user);
}

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const sid = getCookie(c, COOKIE);
  const session = sid ? sessions.get(sid) : undefined;
  if (!session || session.expiresAt < Date.now()) {
    return c.json({ error: 'not logged in' }, 401);
  }
  const user = await findUser(session.userId);
  if (!user) return c.json({ error: 'not logged in' }, 401);
  c.set('user', user);
  await next();
});
