// Three wrong passwords for an address within fifteen minutes lock it out until the oldest expires.
const WINDOW_MS = 15 * 60 * 1000;
const LIMIT = 3;
const failures = new Map<string, number[]>();

function recent(email: string): number[] {
  const now = Date.now();
  const times = (failures.get(email) ?? []).filter((at) => now - at < WINDOW_MS);
  failures.set(email, times);
  return times;
}

export function lockedOut(email: string): boolean {
  return recent(email).length >= LIMIT;
}

export function recordFailure(email: string): void {
  recent(email).push(Date.now());
}

export function clearFailures(email: string): void {
  failures.delete(email);
}
