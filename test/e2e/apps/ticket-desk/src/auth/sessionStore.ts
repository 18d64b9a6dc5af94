import { randomBytes } from 'crypto';
import { config } from '../config';

export interface SessionData {
  agentId: number;
  name: string;
  isAdmin: boolean;
  expiresAt: number;
}

/** Agent sessions, keyed by the id in the session cookie. */
export class SessionStore {
  private readonly sessions = new Map<string, SessionData>();

  create(data: Omit<SessionData, 'expiresAt'>): string {
    const id = randomBytes(24).toString('hex');
    this.sessions.set(id, { ...data, expiresAt: Date.now() + config.sessionTtlMs });
    return id;
  }

  get(id: string | undefined): SessionData | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt < Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}

export const sessionStore = new SessionStore();
