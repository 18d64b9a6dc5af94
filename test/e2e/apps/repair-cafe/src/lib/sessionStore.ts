import type { Session } from 'koa-session';

interface Stored {
  session: Partial<Session>;
  expires: number;
}

// koa-session keeps only the key in the cookie; the sessions themselves live here.
export class MemorySessionStore {
  private sessions = new Map<string, Stored>();

  get(key: string): Partial<Session> | undefined {
    const stored = this.sessions.get(key);
    if (!stored) return undefined;
    if (stored.expires < Date.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return stored.session;
  }

  set(key: string, session: Partial<Session>, maxAge: number | 'session' | undefined): void {
    const ttl = typeof maxAge === 'number' ? maxAge : 8 * 60 * 60 * 1000;
    this.sessions.set(key, { session, expires: Date.now() + ttl });
  }

  destroy(key: string): void {
    this.sessions.delete(key);
  }
}
