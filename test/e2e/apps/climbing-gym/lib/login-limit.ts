// Wrong passwords per e-mail address: five in fifteen minutes and the account waits.
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;

const failures = new Map<string, { count: number; since: number }>();

export function isLockedOut(email: string): boolean {
  const entry = failures.get(email);
  if (!entry) return false;
  if (Date.now() - entry.since > WINDOW_MS) {
    failures.delete(email);
    return false;
  }
  return entry.count >= MAX_FAILURES;
}

export function recordFailure(email: string) {
  const entry = failures.get(email);
  if (!entry || Date.now() - entry.since > WINDOW_MS) {
    failures.set(email, { count: 1, since: Date.now() });
  } else {
    entry.count++;
  }
}

export function clearFailures(email: string) {
  failures.delete(email);
}
