import Redis from 'ioredis';
import { config } from '../config';

// One connection for the whole app: sessions, the mail queue and socket.io all go through it.
// BullMQ wants maxRetriesPerRequest null on the connections its workers use.
export const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });

redis.on('error', (err) => console.error('redis error', err.message));

// Every key we write starts with the app's name, so the shop can share a Redis with others.
export const KEY_PREFIX = 'secondspin';

export function redisKey(...parts: Array<string | number>): string {
  return [KEY_PREFIX, ...parts].join(':');
}
