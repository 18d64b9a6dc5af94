import { describeRoutes, pathSteps, primaryReach } from '../analysis/context';
import { findMemoryRateLimiters, redisRateLimitStoreFix } from '../analysis/rate-limiters';
import { statesWrittenOnRequestPath } from '../analysis/shared-state';
import { spanOf } from '../analysis/text';
import type { RuleDefinition } from '../rule-definition';
import { isAllowedName, sortReaches } from '../analysis/state-findings';

export const noInMemoryCounter: RuleDefinition<'no-in-memory-counter'> = {
  id: 'no-in-memory-counter',
  description: 'Disallow counters and rate limits kept in process memory',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    counterInMemory:
      '`{{name}}` counts in this process; it is changed by {{route}}. Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    rateLimitInMemory:
      '{{library}} counts requests in this process ({{store}}). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
    rateLimitMoveToRedis: 'Count requests in Redis with rate-limit-redis (client from REDIS_URL)',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      checkRateLimiters: {
        type: 'boolean',
        description:
          'Report rate limiters that count in process memory (express-rate-limit and express-slow-down without a store, rate-limiter-flexible RateLimiterMemory, @nestjs/throttler without storage).',
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
      for (const limiter of findMemoryRateLimiters(context.facts)) {
        context.report({
          ruleId: 'no-in-memory-counter',
          messageId: 'rateLimitInMemory',
          data: { library: limiter.library, store: limiter.store },
          node: limiter.node,
          fixes: limiter.fixableCall ? [redisRateLimitStoreFix(limiter.fixableCall, context.facts)] : [],
        });
      }
    }
    for (const { state, writes, classification } of statesWrittenOnRequestPath(context.graph, context.sourceFile)) {
      if (classification !== 'counter' || isAllowedName(state.name, options.allowNames)) continue;
      const reaches = sortReaches(writes.flatMap((write) => write.reaches));
      const first = primaryReach(reaches)!;
      const firstWrite = writes.find((write) => write.reaches.some((reach) => reach.entry === first.entry && reach.calls === first.calls)) ?? writes[0];
      context.report({
        ruleId: 'no-in-memory-counter',
        messageId: 'counterInMemory',
        data: { name: state.name, route: describeRoutes(reaches, context.graph) },
        node: state.nameNode,
        path: pathSteps(first, firstWrite.mutation.node, `changes ${state.name}`),
        related: writes.map((write) => ({ ...spanOf(write.mutation.node), message: `${state.name} is changed here on ${sortReaches(write.reaches)[0].entry.label}` })),
      });
    }
  },
};
