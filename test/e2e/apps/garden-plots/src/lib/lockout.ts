// Five wrong passwords for an address and it is locked for a quarter of an hour.
const MAX_FAILURES = 5;
const LOCK_MS = 15 * 60 * 1000;

const failures = new Map<string, { count: number; lockedUntil: number }>();

export function isLocked(email: string): boolean {
  const entry = failures.get(email);
  return !!entry && entry.lockedUntil > Date.now();
}

export function recordFailure(email: string): void {
  const entry = failures.get(email) ?? { count: 0, lockedUntil: 0 };
  entry.count += 1;
  if (entry.count >= MAX_FAILURES) {
    entry.lockedUntil = Date.now() + LOCK_MS;
    entry.count = 0;
  }
  failures.set(email, entry);
}

export function clearFailures(email: string): void {
  failures.delete(email);
}
