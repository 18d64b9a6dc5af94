import { findDrawnSecrets, findNamedDrawnKeys } from '../analysis/drawn-secrets';
import { findRedisStandIns } from '../analysis/redis-stand-ins';
import { findMemorySessionStores, findOwnMemorySessionStores, findSessionStoreClasses, redisSessionStoreFix } from '../analysis/session-middleware';
import { getStartupReach } from '../analysis/startup';
import { statesWrittenOnRequestPath } from '../analysis/shared-state';
import { describeRoutes, pathSteps, primaryReach } from '../analysis/context';
import { isAllowedName, reportStates, sortReaches } from '../analysis/state-findings';
import { libraryInstancesIn, pendingLoginStore } from '../analysis/state-libraries';
import { spanOf } from '../analysis/text';
import { holdsUsersState } from '../analysis/state-use';
import type { RuleDefinition } from '../rule-definition';
import type ts = require('typescript');

export const noInMemorySession: RuleDefinition<'no-in-memory-session'> = {
  id: 'no-in-memory-session',
  description: 'Disallow per-user session state in process memory',
  whatBreaks:
    'Each instance keeps its own copy: a user who logs in on one instance is a stranger to the others, so the next request the load balancer sends elsewhere loses the session.',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    sessionInMemory:
      '`{{name}}` holds {{what}} in this process; it is written by {{route}}. A second instance will not see it.',
    sessionStoreInMemory:
      '{{library}} keeps sessions in this process ({{store}}). Behind a load balancer users are logged out whenever a request reaches another instance.',
    sessionStoreOnDisk:
      "{{library}} keeps sessions in files on this instance's disk ({{store}}). Behind a load balancer users are logged out whenever a request reaches another instance.",
    sessionSecretDrawn:
      '`{{name}}` is drawn at random when the process starts and {{use}}: every instance draws its own, so what one instance signed or encrypted the others reject. Read it from the environment, the same value on every instance.',
    sessionKeyDrawn:
      '`{{name}}` is a key drawn at random {{when}}: every instance draws its own, so what one instance signs or encrypts with it the others reject, and users are logged out whenever the load balancer switches them. Give every instance the same key (from the environment, or from shared storage).',
    redisStandIn:
      '{{library}} stands in for Redis inside this process: what the service keeps in Redis (sessions, tokens, queues) lives in this instance alone, and a second instance sees none of it. Give every instance the same Redis server.',
    sessionStoreMoveToRedis: 'Store sessions in Redis with connect-redis (client from REDIS_URL)',
    sessionMoveToStore: 'Move `{{name}}` to the Redis session store ({{adapter}})',
    sessionMoveToList: 'Keep `{{name}}` in a Redis list every instance reads ({{adapter}})',
    sessionMoveToValue: 'Keep `{{name}}` in Redis, where every instance reads what was last set ({{adapter}})',
    sessionCountMoveToRedis: 'Count `{{name}}` in Redis, its time window as the count\'s expiry ({{adapter}})',
    sessionStoreMoveToAdapter: 'Keep the sessions in Redis with a Redis-backed store ({{adapter}})',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      checkSessionMiddleware: {
        type: 'boolean',
        description:
          'Report session middleware that keeps sessions in process memory (express-session without a store, MemoryStore, memorystore, @fastify/session without a store, koa-session given a store of its own that writes a module Map or object) or in local files (session-file-store, connect-sqlite3, connect-loki).',
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
    // A set-up server (a web installer) that hands over to the real application serves one admin, once: its sessions are no user's.
    if (options.checkSessionMiddleware && !context.graph.oneShotServerFiles.has(context.facts.sourceFile)) {
      // A store class's field is one state: reported once, as the store, also when a request writes it directly.
      const states = new Set(statesWrittenOnRequestPath(context.graph, context.facts.sourceFile).map(({ state }) => state.nameNode));
      const classStores = findSessionStoreClasses(context.facts).filter((store) => !states.has(store.node));
      const memoryStores = [...findMemorySessionStores(context.facts, context.graph.resolver), ...findOwnMemorySessionStores(context.facts, context.graph), ...classStores];
      // A key a web process draws for itself: a middleware in memory is reported as the store, whose fix reads the key from the environment too.
      const storeCalls = new Set<ts.Node | undefined>(memoryStores.map((store) => store.fixableCall));
      const secrets = findDrawnSecrets(context.facts).filter((secret) => !storeCalls.has(secret.at));
      if (secrets.length > 0 && getStartupReach(context.graph, context.program, context.config.requestPath.maxDepth).isWebProcessFile(context.facts.sourceFile)) {
        for (const secret of secrets) context.report({ ruleId: 'no-in-memory-session', messageId: 'sessionSecretDrawn', data: { name: secret.name, use: secret.use }, node: secret.node });
      }
      // A key kept under a key's name (`SERVER_SECRET = uuid()`, saved to a local settings file for the next start), drawn by the web process as it starts.
      const reported = new Set<ts.Node>(secrets.map((secret) => secret.drawn));
      const keys = findNamedDrawnKeys(context.facts).filter((key) => !reported.has(key.drawn) && !isAllowedName(key.name, options.allowNames));
      if (keys.length > 0) {
        const startup = getStartupReach(context.graph, context.program, context.config.requestPath.maxDepth);
        for (const key of keys) {
          if (!startup.calledAtStartUp(key.drawn)) continue;
          const when = key.fallback ? 'as the process starts when none is configured' : 'as the process starts';
          context.report({ ruleId: 'no-in-memory-session', messageId: 'sessionKeyDrawn', data: { name: key.name, when }, node: key.drawn });
        }
      }
      for (const standIn of findRedisStandIns(context.facts)) {
        context.report({ ruleId: 'no-in-memory-session', messageId: 'redisStandIn', data: { library: standIn.library }, node: standIn.node });
      }
      for (const store of memoryStores) {
        context.report({
          ruleId: 'no-in-memory-session',
          messageId: store.medium === 'disk' ? 'sessionStoreOnDisk' : 'sessionStoreInMemory',
          data: { library: store.library, store: store.store },
          node: store.node,
          fixes: store.fixableCall ? [redisSessionStoreFix(store.fixableCall, store.library, context.facts)] : [],
        });
      }
    }
    reportStates(context, {
      ruleId: 'no-in-memory-session',
      messageId: 'sessionInMemory',
      classification: 'session',
      verb: 'written',
      allowNames: options.allowNames,
      // Games, rooms and uploads are the application's data, not a user's session: the message says which.
      describe: ({ state, writes }) => ({ what: holdsUsersState(state.name, writes) ? 'per-user state' : 'application data' }),
    });
    // A cache library kept as the store of pending logins (the OAuth state and PKCE verifier of a login a callback finishes).
    for (const instance of libraryInstancesIn(context.graph, context.sourceFile)) {
      const store = isAllowedName(instance.name, options.allowNames) ? undefined : pendingLoginStore(instance);
      if (!store) continue;
      const reaches = sortReaches(store.fills.flatMap((use) => use.reaches));
      const first = primaryReach(reaches)!;
      const firstFill = store.fills.find((use) => use.reaches.includes(first)) ?? store.fills[0];
      context.report({
        ruleId: 'no-in-memory-session',
        messageId: 'sessionInMemory',
        data: { name: instance.name, what: 'per-user state', route: describeRoutes(reaches, context.graph) },
        node: instance.creation,
        path: pathSteps(first, firstFill.call, `writes ${instance.name}`),
        related: store.reads.map((read) => ({ ...spanOf(read.call), message: `read back here on ${sortReaches(read.reaches)[0].entry.label}` })),
      });
    }
  },
};
