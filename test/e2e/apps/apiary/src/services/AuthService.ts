import { randomBytes, scryptSync, timingSafeEqual } from 'crypto';
import type { Pool } from 'pg';
import { config } from '../config';
import { MAX_FAILED_LOGINS } from '../constants';
import type { BeekeeperRow } from '../db';
import { conflict, tooManyRequests, unauthenticated } from '../errors';

export interface Session {
  beekeeperId: number;
  email: string;
  name: string;
  expiresAt: number;
}

export class AuthService {
  private readonly sessions = new Map<string, Session>();
  private readonly failedLogins = new Map<string, number>();

  constructor(private readonly db: Pool) {}

  private hash(password: string, salt: string): string {
    return scryptSync(password, salt, 64).toString('hex');
  }

  async signup(email: string, name: string, password: string): Promise<BeekeeperRow> {
    const salt = randomBytes(16).toString('hex');
    const passwordHash = this.hash(password, salt);
    try {
      const { rows } = await this.db.query<BeekeeperRow>(
        'INSERT INTO beekeepers (email, name, password_hash, salt) VALUES ($1, $2, $3, $4) RETURNING *',
        [email.toLowerCase(), name, passwordHash, salt],
      );
      return rows[0];
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw conflict(`${email} is already a member`);
      throw err;
    }
  }

  async login(email: string, password: string): Promise<{ token: string; beekeeper: BeekeeperRow }> {
    const key = email.toLowerCase();
    const failures = this.failedLogins.get(key) ?? 0;
    if (failures >= MAX_FAILED_LOGINS) throw tooManyRequests('Too many wrong passwords, ask the secretary to unlock your account');

    const { rows } = await this.db.query<BeekeeperRow>('SELECT * FROM beekeepers WHERE email = $1', [key]);
    const beekeeper = rows[0];
    const ok = beekeeper && timingSafeEqual(Buffer.from(this.hash(password, beekeeper.salt), 'hex'), Buffer.from(beekeeper.password_hash, 'hex'));
    if (!ok) {
      this.failedLogins.set(key, failures + 1);
      throw unauthenticated('Wrong e-mail or password');
    }
    this.failedLogins.delete(key);

    const token = randomBytes(24).toString('hex');
    this.sessions.set(token, { beekeeperId: beekeeper.id, email: beekeeper.email, name: beekeeper.name, expiresAt: Date.now() + config.sessionTtlMs });
    return { token, beekeeper };
  }

  sessionFor(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const session = this.sessions.get(token);
    if (!session || session.expiresAt < Date.now()) return undefined;
    return session;
  }

  logout(token: string): void {
    this.sessions.delete(token);
  }

  sweepExpired(): number {
    let removed = 0;
    for (const [token, session] of this.sessions) {
      if (session.expiresAt < Date.now()) {
        this.sessions.delete(token);
        removed++;
      }
    }
    return removed;
  }
}
