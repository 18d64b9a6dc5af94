import crypto from 'crypto';
import { pool } from '../db/pool';

export interface SessionUser {
  id: number;
  email: string;
  country: string;
}

interface Session {
  user: SessionUser;
  expiresAt: number;
}

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const sessions = new Map<string, Session>();

function hashPassword(password: string, salt: string): string {
  return crypto.scryptSync(password, salt, 64).toString('hex');
}

export function register(email: string, password: string, country: string): Promise<SessionUser> {
  const salt = crypto.randomBytes(16).toString('hex');
  const hash = hashPassword(password, salt);
  return pool
    .query('INSERT INTO users (email, password_hash, salt, country) VALUES ($1, $2, $3, $4) RETURNING id, email, country', [email, hash, salt, country])
    .then((result) => result.rows[0] as SessionUser);
}

export function login(email: string, password: string): Promise<string | null> {
  return pool.query('SELECT * FROM users WHERE email = $1', [email]).then((result) => {
    const row = result.rows[0];
    if (!row) return null;
    const candidate = Buffer.from(hashPassword(password, row.salt), 'hex');
    if (!crypto.timingSafeEqual(candidate, Buffer.from(row.password_hash, 'hex'))) return null;
    const token = crypto.randomBytes(32).toString('hex');
    sessions.set(token, { user: { id: row.id, email: row.email, country: row.country }, expiresAt: Date.now() + SESSION_TTL_MS });
    return token;
  });
}

export function userForToken(token: string): SessionUser | undefined {
  const session = sessions.get(token);
  if (!session) return undefined;
  if (session.expiresAt < Date.now()) {
    sessions.delete(token);
    return undefined;
  }
  return session.user;
}

export function logout(token: string): void {
  sessions.delete(token);
}
