import { declaredPropertyNames, type SpreadNames } from '../analysis/options';
import { callbackStoreRelease, findMemoryRateLimiters, redisClientOptionFix, redisRateLimitStoreFix } from '../analysis/rate-limiters';
import { reportStates } from '../analysis/state-findings';
import type { RuleDefinition } from '../rule-definition';

export const noInMemoryCounter: RuleDefinition<'no-in-memory-counter'> = {
  id: 'no-in-memory-counter',
  description: 'Disallow counters and rate limits kept in process memory',
  whatBreaks:
    'Each instance counts on its own: totals are split N ways, and every rate limit lets N times the limit through.',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    counterInMemory:
      '`{{name}}` counts in this process; it is changed by {{route}}. Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    idSequenceInMemory:
      '`{{name}}` mints ids in this process, and they are kept in `{{store}}`, which every instance should share; it is changed by {{route}}. Each instance counts from the same start, so two of them hand out the same id.',
    rateLimitInMemory:
      '{{library}} counts requests in this process ({{store}}). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
    rateLimitMoveToRedis: 'Count requests in Redis with rate-limit-redis (client from REDIS_URL)',
    rateLimitMoveToSharedRedis: "Count requests in Redis with rate-limit-redis, through the project's own Redis client",
    rateLimitThrottlerStorage: 'Count requests in Redis: give {{library}} the Redis storage ({{adapter}})',
    rateLimitRedisClient: 'Count requests in Redis: give {{library}} an ioredis client from REDIS_URL (`{{option}}`)',
    counterMoveToRedis: 'Count `{{name}}` in Redis ({{adapter}})',
    counterWindowMoveToRedis: "Count `{{name}}` in Redis, its time window as the count's expiry ({{adapter}})",
    counterMoveToList: 'Keep the entries of `{{name}}` in a Redis list every instance reads and counts ({{adapter}})',
    counterRecordsMoveToStore: 'Keep the records of `{{name}}` in Redis, each read and written back whole as the code does ({{adapter}}); two changes of one record at the same moment keep only the later',
    counterMoveToLog: 'Keep the lists of `{{name}}` per key in Redis, where every instance adds to and counts them ({{adapter}})',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      checkRateLimiters: {
        type: 'boolean',
        description:
          'Report rate limiters that count in process memory (express-rate-limit and express-slow-down without a store, hono-rate-limiter without a store, @fastify/rate-limit without redis or a store, koa-ratelimit with the memory driver, rate-limiter-flexible RateLimiterMemory, @nestjs/throttler without storage, connect-ratelimit, and RateLimiter and TokenBucket of the limiter package).',
      },
      allowNames: {
        type: 'array',
        items: { type: 'string' },
        description: 'Names of counters that are knowingly per instance; `/regex/` strings match by pattern.',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { checkRateLimiters: true, allowNames: [] },
  hasSuggestions: true,
  check(context, options) {
    if (context.isIgnoredFile) return;
    if (options.checkRateLimiters) {
      const spreadNames: SpreadNames = (spread) => declaredPropertyNames(spread, (expression) => context.graph.resolver.declarationsOf(expression));
      for (const limiter of findMemoryRateLimiters(context.facts, spreadNames)) {
        // A release whose stores take callbacks gets no Redis store (the fix engine says why).
        const fixable = limiter.fixableCall && !callbackStoreRelease(limiter.library, context.sourceFile.fileName) ? limiter.fixableCall : undefined;
        context.report({
          ruleId: 'no-in-memory-counter',
          messageId: 'rateLimitInMemory',
          data: { library: limiter.library, store: limiter.store },
          node: limiter.node,
          fixes: fixable ? [redisRateLimitStoreFix(fixable, context.facts)] : limiter.redisOption ? [redisClientOptionFix(limiter.redisOption, context.facts)] : [],
        });
      }
    }
    reportStates(context, { ruleId: 'no-in-memory-counter', messageId: 'counterInMemory', classification: 'counter', verb: 'changed', allowNames: options.allowNames, describe: (entry) => (entry.idsKeptIn ? undefined : {}) });
    reportStates(context, {
      ruleId: 'no-in-memory-counter',
      messageId: 'idSequenceInMemory',
      classification: 'counter',
      verb: 'changed',
      allowNames: options.allowNames,
      describe: (entry) => (entry.idsKeptIn ? { store: entry.idsKeptIn } : undefined),
    });
  },
};
