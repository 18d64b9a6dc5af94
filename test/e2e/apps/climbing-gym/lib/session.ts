import { randomBytes } from 'crypto';
import { cookies } from 'next/headers';

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'crag_sid';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

// session id -> climber. On globalThis so `next dev` reloads don't log everyone out.
const globalForSessions = globalThis as unknown as { sessions?: Map<string, SessionUser> };
export const sessions = globalForSessions.sessions ?? (globalForSessions.sessions = new Map<string, SessionUser>());

export async function createSession(user: { id: number; email: string; name: string }) {
  const sid = randomBytes(24).toString('hex');
  sessions.set(sid, { id: user.id, email: user.email, name: user.name, expiresAt: Date.now() + SESSION_TTL_MS });
  const cookieStore = await cookies();
  cookieStore.set(SESSION_COOKIE, sid, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: SESSION_TTL_MS / 1000 });
}

export async function currentUser(): Promise<SessionUser | null> {
  const cookieStore = await cookies();
  const sid = cookieStore.get(SESSION_COOKIE)?.value;
  if (!sid) return null;
  const session = sessions.get(sid);
  if (!session || session.expiresAt < Date.now()) return null;
  return session;
}

export async function destroySession() {
  const cookieStore = await cookies();
  const sid = cookieStore.get(SESSION_COOKIE)?.value;
  if (sid) sessions.delete(sid);
  cookieStore.delete(SESSION_COOKIE);
}

export function sweepExpiredSessions() {
  const now = Date.now();
  for (const [sid, session] of sessions) {
    if (session.expiresAt < now) sessions.delete(sid);
  }
}
