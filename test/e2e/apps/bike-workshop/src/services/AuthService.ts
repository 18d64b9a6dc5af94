import crypto from 'crypto';
import { db } from '../db/knex';
import { config } from '../config';
import type { Mechanic } from '../types/state';

interface Session {
  mechanic: Mechanic;
  expiresAt: number;
}

export class AuthError extends Error {
  constructor(message: string, public readonly status: number) {
    super(message);
  }
}

export class AuthService {
  private readonly sessions = new Map<string, Session>();

  hashPassword(password: string, salt: string): string {
    return crypto.scryptSync(password, salt, 64).toString('hex');
  }

  async signup(email: string, name: string, password: string): Promise<Mechanic> {
    const existing = await db('mechanics').where({ email }).first();
    if (existing) throw new AuthError('a mechanic with that e-mail already exists', 409);
    const salt = crypto.randomBytes(16).toString('hex');
    const [row] = await db('mechanics')
      .insert({ email, name, salt, password_hash: this.hashPassword(password, salt) })
      .returning(['id', 'email', 'name']);
    return row;
  }

  async login(email: string, password: string): Promise<{ sessionId: string; mechanic: Mechanic } | null> {
    const row = await db('mechanics').where({ email }).first();
    if (!row) return null;
    const hash = this.hashPassword(password, row.salt);
    if (!crypto.timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(row.password_hash, 'hex'))) return null;
    const mechanic: Mechanic = { id: row.id, email: row.email, name: row.name };
    const sessionId = crypto.randomBytes(24).toString('base64url');
    this.sessions.set(sessionId, { mechanic, expiresAt: Date.now() + config.sessionTtlMs });
    return { sessionId, mechanic };
  }

  lookup(sessionId: string | undefined): Mechanic | undefined {
    if (!sessionId) return undefined;
    const session = this.sessions.get(sessionId);
    if (!session) return undefined;
    if (session.expiresAt < Date.now()) {
      this.sessions.delete(sessionId);
      return undefined;
    }
    return session.mechanic;
  }

  logout(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  sweepExpired(): number {
    let removed = 0;
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt < now) {
        this.sessions.delete(id);
        removed++;
      }
    }
    return removed;
  }
}
