import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;

interface Failures {
  count: number;
  firstAt: number;
}

// Five wrong passwords for one account locks it for a quarter of an hour.
@Injectable()
export class LoginAttemptsService {
  private readonly failures = new Map<string, Failures>();

  isLocked(email: string): boolean {
    const entry = this.failures.get(email);
    if (!entry) return false;
    if (Date.now() - entry.firstAt > WINDOW_MS) {
      this.failures.delete(email);
      return false;
    }
    return entry.count >= MAX_FAILURES;
  }

  recordFailure(email: string) {
    const entry = this.failures.get(email);
    if (!entry || Date.now() - entry.firstAt > WINDOW_MS) {
      this.failures.set(email, { count: 1, firstAt: Date.now() });
    } else {
      entry.count++;
    }
  }

  reset(email: string) {
    this.failures.delete(email);
  }

  @Interval(60_000)
  sweep() {
    const now = Date.now();
    for (const [email, entry] of this.failures) {
      if (now - entry.firstAt > WINDOW_MS) this.failures.delete(email);
    }
  }
}
