// Failed logins per client address. After MAX_FAILURES in WINDOW_MS the address has to wait.
const MAX_FAILURES = 3;
const WINDOW_MS = 15 * 60 * 1000;

const failures = new Map();

function blocked(ip) {
  const entry = failures.get(ip);
  if (!entry) return false;
  if (Date.now() - entry.first > WINDOW_MS) {
    failures.delete(ip);
    return false;
  }
  return entry.count >= MAX_FAILURES;
}

function failed(ip) {
  const entry = failures.get(ip);
  if (entry) entry.count++;
  else failures.set(ip, { count: 1, first: Date.now() });
}

module.exports = { blocked, failed };
