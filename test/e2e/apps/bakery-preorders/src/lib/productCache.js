import { LRUCache } from 'lru-cache';

// Product pages are hit hard in the morning rush; keep rows around instead of asking Postgres each time.
export const productCache = new LRUCache({ max: 500, ttl: 10 * 60 * 1000 });
