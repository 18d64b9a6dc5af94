import { randomUUID } from 'node:crypto';

export interface ApiSession {
  token: string;
  userId: number;
  email: string;
  createdAt: number;
}

// Bearer tokens for the mobile app. Kept in memory so logout is instant and lookups are free.
// hazard: no-in-memory-session
const sessions = new Map<string, ApiSession>();

export function createSession(user: { id: number; email: string }): ApiSession {
  const session: ApiSession = { token: randomUUID(), userId: user.id, email: user.email, createdAt: Date.now() };
  sessions.set(session.token, session);
  return session;
}

export function getSession(token: string): ApiSession | undefined {
  return sessions.get(token);
}

export function destroySession(token: string): void {
  sessions.delete(token);
}
