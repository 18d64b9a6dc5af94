import ts = require('typescript');
import { getFileFacts, type CallLike } from './file-facts';
import { resolveImportedMember } from './imports';
import { findOption, optionsObject } from './options';
import { skipOuterExpressions } from './text';

// GraphQL subscriptions delivered by an engine that lives in this process: graphql-subscriptions'
// `PubSub` (also re-exported by Apollo Server 2 and 3), GraphQL Yoga's `createPubSub()` without an
// event target, Mercurius' subscriptions on its default in-memory emitter. What one instance publishes
// reaches only the subscriptions opened on that instance, wherever the publish runs (a resolver, a
// service, a logger), so the engine is the finding; its construction is where it is chosen.

/** Packages whose `PubSub` class is graphql-subscriptions' in-memory engine. */
const IN_MEMORY_PUBSUB_MODULE = /^(graphql-subscriptions|apollo-server(-[\w-]+)?)$/;
/** Packages whose `createPubSub` keeps subscribers in this process unless given an `eventTarget`. */
const YOGA_MODULES = new Set(['graphql-yoga', '@graphql-yoga/subscription', '@graphql-yoga/node']);
/**
 * Engines shared by every instance. A file that imports one chooses between it and the in-memory
 * engine (`process.env.REDIS_URL ? new RedisPubSub(…) : new PubSub()`): the local one is the
 * development fallback, not the deployment.
 */
const SHARED_ENGINE_MODULE =
  /^(graphql-redis-subscriptions|graphql-postgres-subscriptions|@graphql-yoga\/redis-event-target|graphql-google-pubsub|@axelspringer\/graphql-google-pubsub|graphql-amqp-subscriptions|graphql-rabbitmq-subscriptions|graphql-kafka-subscriptions|graphql-kafkajs-subscriptions|graphql-mqtt-subscriptions|graphql-ioredis-subscriptions|mqemitter-redis|mqemitter-mongodb)$/;

export interface InMemoryGraphqlPubSub {
  /** The construction (`new PubSub()`, `createPubSub()`) or Mercurius' `subscription` option. */
  node: ts.Node;
  /** How the reader wrote it: `new PubSub()`, `createPubSub()`, `mercurius`. */
  label: string;
  /** The package the engine comes from. */
  module: string;
}

/** In-memory GraphQL subscription engines created in this file. */
export function findInMemoryGraphqlPubSubs(sourceFile: ts.SourceFile): InMemoryGraphqlPubSub[] {
  const facts = getFileFacts(sourceFile);
  const modules = [...facts.imports.values()].map((binding) => binding.module);
  if (modules.some((module) => SHARED_ENGINE_MODULE.test(module))) return [];
  const found: InMemoryGraphqlPubSub[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (!member) {
      const subscription = ts.isCallExpression(node) ? mercuriusSubscription(node, facts) : undefined;
      if (subscription) found.push({ node: subscription, label: 'mercurius', module: 'mercurius' });
    } else if (ts.isNewExpression(node) && IN_MEMORY_PUBSUB_MODULE.test(member.module) && member.path.length === 1 && member.path[0] === 'PubSub') {
      found.push({ node, label: `new ${node.expression.getText()}()`, module: member.module });
    } else if (ts.isCallExpression(node) && YOGA_MODULES.has(member.module) && member.path.length === 1 && member.path[0] === 'createPubSub' && !hasOption(node, facts, 'eventTarget')) {
      found.push({ node, label: `${node.expression.getText()}()`, module: member.module });
    }
  }
  return found;
}

/** Whether the call's options object (its first argument) has `name`, or may have it (a spread, an options object it cannot see). */
function hasOption(node: CallLike, facts: ReturnType<typeof getFileFacts>, name: string): boolean {
  const options = optionsObject(node.arguments?.[0], facts);
  if (options === 'unknown') return true;
  return options !== undefined && findOption(options, name) !== undefined;
}

/**
 * `app.register(mercurius, { subscription: true })`, or `subscription: { … }` without an `emitter` or
 * `pubsub` of its own: Mercurius then publishes through an in-memory MQEmitter.
 */
function mercuriusSubscription(node: ts.CallExpression, facts: ReturnType<typeof getFileFacts>): ts.Node | undefined {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'register' || node.arguments.length < 2) return undefined;
  const plugin = resolveImportedMember(node.arguments[0], facts.imports);
  if (plugin?.module !== 'mercurius' || plugin.path.length > 0) return undefined;
  const options = optionsObject(node.arguments[1], facts);
  if (!options || options === 'unknown') return undefined;
  const subscription = findOption(options, 'subscription');
  if (!subscription || !ts.isPropertyAssignment(subscription)) return undefined;
  const value = skipOuterExpressions(subscription.initializer);
  if (value.kind === ts.SyntaxKind.TrueKeyword) return subscription;
  if (!ts.isObjectLiteralExpression(value)) return undefined;
  return findOption(value, 'emitter') || findOption(value, 'pubsub') ? undefined : subscription;
}
