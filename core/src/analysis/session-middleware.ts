import ts = require('typescript');
import type { FixPlan } from '../types';
import type { FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { findOption, optionsObject } from './options';
import { addRedisBackedStore } from './store-fixes';
import { skipOuterExpressions } from './text';

/** A session middleware that keeps sessions in this process. */
export interface MemorySessionStore {
  node: ts.Node;
  library: string;
  store: string;
  /** The express-session call whose options lack a store, when the fix can add one. */
  fixableCall: ts.CallExpression | undefined;
}

const MEMORY_STORE_MODULES = new Set(['memorystore']);

export function findMemorySessionStores(facts: FileFacts): MemorySessionStore[] {
  const found: MemorySessionStore[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (ts.isNewExpression(node)) {
      const store = memoryStoreLibrary(node, facts);
      if (store) found.push({ node, library: store, store: 'MemoryStore', fixableCall: undefined });
      continue;
    }
    // fastify.register(fastifySession, { secret }) without a store
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'register' && node.arguments.length >= 1) {
      const plugin = resolveImportedMember(node.arguments[0], facts.imports);
      if (plugin && ['@fastify/session', 'fastify-session'].includes(plugin.module) && plugin.path.every((part) => part === 'fastifySession')) {
        const options = optionsObject(node.arguments[1], facts);
        if (options !== 'unknown' && (!options || !findOption(options, 'store'))) {
          found.push({ node: node.arguments[0], library: plugin.module, store: 'the default MemoryStore', fixableCall: undefined });
        }
      }
      continue;
    }
    if (!member || !ts.isCallExpression(node)) continue;
    if (member.module === 'express-session' && member.path.length === 0) {
      const options = optionsObject(node.arguments[0], facts);
      if (options === 'unknown') continue;
      if (!options || !findOption(options, 'store')) {
        found.push({ node: node.expression, library: 'express-session', store: 'the default MemoryStore', fixableCall: node });
      }
    }
  }
  return found;
}

/** `new session.MemoryStore()`, `new MemoryStore()` from express-session, or memorystore's `require('memorystore')(session)`. */
function memoryStoreLibrary(creation: ts.NewExpression, facts: FileFacts): string | undefined {
  const member = resolveImportedMember(creation.expression, facts.imports);
  if (member?.module === 'express-session' && member.path.join('.') === 'MemoryStore') return 'express-session';
  if (member && MEMORY_STORE_MODULES.has(member.module)) return member.module;
  const callee = skipOuterExpressions(creation.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const declaration = facts.topLevel.get(callee.text);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const init = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(init)) return undefined;
  const factory = resolveImportedMember(init.expression, facts.imports);
  return factory && MEMORY_STORE_MODULES.has(factory.module) ? factory.module : undefined;
}



/** Adds `store: new RedisStore({ client: redisClient })` and what it needs: imports and a client from REDIS_URL. */
export function redisSessionStoreFix(call: ts.CallExpression, facts: FileFacts): Omit<FixPlan, 'message'> {
  return addRedisBackedStore(
    {
      call,
      store: (client) => `new RedisStore({ client: ${client} })`,
      imports: [{ name: 'RedisStore', module: 'connect-redis' }],
      messageId: 'sessionStoreMoveToRedis',
      dependencies: [{ name: 'connect-redis', version: '^9.0.0' }],
    },
    facts,
  );
}
