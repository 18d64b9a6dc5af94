const MAX_FAILURES = 3;
const WINDOW_MS = 15 * 60 * 1000;

interface Failures {
  count: number;
  firstAt: number;
}

// Locks an account for a while after too many wrong passwords.
export class LoginThrottle {
  private failures: Map<string, Failures> = new Map();

  isLocked(email: string): boolean {
    const entry = this.failures.get(email);
    if (!entry) return false;
    if (Date.now() - entry.firstAt > WINDOW_MS) {
      this.failures.delete(email);
      return false;
    }
    return entry.count >= MAX_FAILURES;
  }

  recordFailure(email: string): void {
    const entry = this.failures.get(email);
    if (!entry || Date.now() - entry.firstAt > WINDOW_MS) {
      this.failures.set(email, { count: 1, firstAt: Date.now() });
    } else {
      entry.count += 1;
    }
  }

  reset(email: string): void {
    this.failures.delete(email);
  }
}
