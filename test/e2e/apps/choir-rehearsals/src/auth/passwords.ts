import { randomBytes, scryptSync, timingSafeEqual } from 'crypto';

export function hashPassword(password: string): string {
  const salt = randomBytes(16).toString('hex');
  const key = scryptSync(password, salt, 64);
  return `${salt}:${key.toString('hex')}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [salt, hex] = stored.split(':');
  const key = scryptSync(password, salt, 64);
  return timingSafeEqual(key, Buffer.from(hex, 'hex'));
}
