import { RateLimiterMemory } from 'rate-limiter-flexible';

// Three wrong passwords from one address, then a quarter of an hour's wait.
export const loginFailures = new RateLimiterMemory({ points: 3, duration: 15 * 60 });

export async function isLockedOut(ip: string): Promise<boolean> {
  const state = await loginFailures.get(ip);
  return state !== null && state.consumedPoints >= 3;
}

export async function countFailure(ip: string): Promise<void> {
  await loginFailures.consume(ip).catch(() => undefined);
}
