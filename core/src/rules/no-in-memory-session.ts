import { describeRoutes, pathSteps, primaryReach } from '../analysis/context';
import { findMemorySessionStores, redisSessionStoreFix } from '../analysis/session-middleware';
import { statesWrittenOnRequestPath } from '../analysis/shared-state';
import { spanOf } from '../analysis/text';
import type { RuleDefinition } from '../rule-definition';
import { isAllowedName, sortReaches } from '../analysis/state-findings';

export const noInMemorySession: RuleDefinition<'no-in-memory-session'> = {
  id: 'no-in-memory-session',
  description: 'Disallow per-user session state in process memory',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    sessionInMemory:
      '`{{name}}` holds per-user state in this process; it is written by {{route}}. A second instance will not see it.',
    sessionStoreInMemory:
      '{{library}} keeps sessions in this process ({{store}}). Behind a load balancer users are logged out whenever a request reaches another instance.',
    sessionStoreMoveToRedis: 'Store sessions in Redis with connect-redis (client from REDIS_URL)',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      checkSessionMiddleware: {
        type: 'boolean',
        description:
          'Report session middleware that keeps sessions in process memory (express-session without a store, MemoryStore, memorystore, @fastify/session without a store).',
      },
      allowNames: {
        type: 'array',
        items: { type: 'string' },
        description: 'Names of module or singleton state that is knowingly per instance; `/regex/` strings match by pattern.',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { checkSessionMiddleware: true, allowNames: [] },
  hasSuggestions: true,
  check(context, options) {
    if (context.isIgnoredFile) return;
    if (options.checkSessionMiddleware) {
      for (const store of findMemorySessionStores(context.facts)) {
        context.report({
          ruleId: 'no-in-memory-session',
          messageId: 'sessionStoreInMemory',
          data: { library: store.library, store: store.store },
          node: store.node,
          fixes: store.fixableCall ? [redisSessionStoreFix(store.fixableCall, context.facts)] : [],
        });
      }
    }
    for (const { state, writes, classification } of statesWrittenOnRequestPath(context.graph, context.sourceFile)) {
      if (classification !== 'session' || isAllowedName(state.name, options.allowNames)) continue;
      const reaches = sortReaches(writes.flatMap((write) => write.reaches));
      const first = primaryReach(reaches)!;
      const firstWrite = writes.find((write) => write.reaches.some((reach) => reach.entry === first.entry && reach.calls === first.calls)) ?? writes[0];
      context.report({
        ruleId: 'no-in-memory-session',
        messageId: 'sessionInMemory',
        data: { name: state.name, route: describeRoutes(reaches, context.graph) },
        node: state.nameNode,
        path: pathSteps(first, firstWrite.mutation.node, `writes ${state.name}`),
        related: writes.map((write) => ({
          ...spanOf(write.mutation.node),
          message: `${state.name} is written here on ${sortReaches(write.reaches)[0].entry.label}`,
        })),
      });
    }
  },
};
