import { LRUCache } from 'lru-cache';

export default function rateLimit({ interval, uniqueTokenPerInterval = 500 }) {
  const tokenCache = new LRUCache({ max: uniqueTokenPerInterval, ttl: interval });

  return {
    check: (res, limit, token) => {
      const count = (tokenCache.get(token) || 0) + 1;
      tokenCache.set(token, count);
      res.setHeader('X-RateLimit-Limit', limit);
      res.setHeader('X-RateLimit-Remaining', Math.max(0, limit - count));
      return count <= limit;
    },
  };
}
