import type { NextFunction, Request, Response } from 'express';

const MAX_FAILURES = 3;
const WINDOW_MS = 15 * 60 * 1000;

// Failed logins per client address in the current window.
const failures = new Map<string, { count: number; since: number }>();

export function loginLimiter(req: Request, res: Response, next: NextFunction): void {
  const key = req.ip ?? 'unknown';
  const entry = failures.get(key);
  if (entry && Date.now() - entry.since < WINDOW_MS && entry.count >= MAX_FAILURES) {
    res.status(429).json({ error: 'too many failed logins, try again later' });
    return;
  }
  next();
}

export function recordFailedLogin(ip: string | undefined): void {
  const key = ip ?? 'unknown';
  const entry = failures.get(key);
  if (!entry || Date.now() - entry.since >= WINDOW_MS) {
    failures.set(key, { count: 1, since: Date.now() });
  } else {
    entry.count += 1;
  }
}
