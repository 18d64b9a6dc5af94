import crypto from 'node:crypto';

const ITERATIONS = 210_000;

export function hashPassword(password: string, salt: string): string {
  // hazard: no-blocking-request-work
  return crypto.pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256').toString('hex');
}

export function passwordMatches(password: string, salt: string, expectedHex: string): boolean {
  const actual = Buffer.from(hashPassword(password, salt), 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}
