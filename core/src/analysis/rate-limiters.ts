import ts = require('typescript');
import type { FixPlan } from '../types';
import type { FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { findOption, optionsObject } from './options';
import { addRedisBackedStore } from './store-fixes';
import { skipOuterExpressions } from './text';
import { atLeast, usedPackageVersion } from '../fixes/installed-packages';

/** A rate limiter or throttler that counts requests in this process. */
export interface MemoryRateLimiter {
  node: ts.Node;
  library: string;
  store: string;
  /** The express-rate-limit call whose options lack a store, when the fix can add one. */
  fixableCall: ts.CallExpression | undefined;
}

/** Factories of express-rate-limit and express-slow-down: `rateLimit({…})`, `slowDown({…})`. */
const EXPRESS_LIMITERS = new Set(['express-rate-limit', 'express-slow-down']);
// BurstyRateLimiter stores wherever the two limiters it combines do: only RateLimiterMemory is in memory.
const FLEXIBLE_MEMORY = new Set(['RateLimiterMemory']);

export function findMemoryRateLimiters(facts: FileFacts): MemoryRateLimiter[] {
  const found: MemoryRateLimiter[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (!member) continue;
    if (EXPRESS_LIMITERS.has(member.module) && ts.isCallExpression(node) && isLimiterFactory(member.path)) {
      const options = optionsObject(node.arguments[0], facts);
      if (options === 'unknown') continue;
      const store = options && findOption(options, 'store');
      if (!store) found.push({ node: node.expression, library: member.module, store: 'the default MemoryStore', fixableCall: node });
      else if (ts.isPropertyAssignment(store) && isMemoryStoreCreation(store.initializer, facts)) found.push({ node: store, library: member.module, store: 'MemoryStore', fixableCall: undefined });
    } else if (member.module === 'rate-limiter-flexible' && ts.isNewExpression(node) && member.path.length === 1 && FLEXIBLE_MEMORY.has(member.path[0])) {
      found.push({ node, library: 'rate-limiter-flexible', store: member.path[0], fixableCall: undefined });
    } else if (member.module === '@nestjs/throttler' && ts.isCallExpression(node) && /^ThrottlerModule\.forRoot(Async)?$/.test(member.path.join('.'))) {
      const options = optionsObject(node.arguments[0], facts);
      // forRoot([{ ttl, limit }]) (an array of throttlers) has no storage; forRootAsync's factory is not visible here.
      if (member.path[1] === 'forRootAsync' || options === 'unknown') continue;
      if (!options || !findOption(options, 'storage')) found.push({ node: node.expression, library: '@nestjs/throttler', store: 'its default in-memory storage', fixableCall: undefined });
    }
  }
  return found;
}

function isLimiterFactory(path: readonly string[]): boolean {
  return path.length === 0 || (path.length === 1 && ['rateLimit', 'slowDown', 'default'].includes(path[0]));
}

function isMemoryStoreCreation(expression: ts.Expression, facts: FileFacts): boolean {
  const value = skipOuterExpressions(expression);
  if (!ts.isNewExpression(value)) return false;
  const member = resolveImportedMember(value.expression, facts.imports);
  return member !== undefined && EXPRESS_LIMITERS.has(member.module) && member.path.join('.') === 'MemoryStore';
}



/** `store: new RateLimitRedisStore({ sendCommand: (...args) => redisClient.sendCommand(args) })` from rate-limit-redis. */
export function redisRateLimitStoreFix(call: ts.CallExpression, facts: FileFacts): Omit<FixPlan, 'message'> {
  const typed = /\.[cm]?tsx?$/.test(facts.sourceFile.fileName);
  return addRedisBackedStore(
    {
      call,
      store: (client) => `new RateLimitRedisStore({ sendCommand: (...args${typed ? ': string[]' : ''}) => ${client}.sendCommand(args) })`,
      imports: [{ name: 'RedisStore', local: 'RateLimitRedisStore', module: 'rate-limit-redis' }],
      messageId: 'rateLimitMoveToRedis',
      dependencies: [{ name: 'rate-limit-redis', version: rateLimitRedisFor(usedPackageVersion(facts.sourceFile.fileName, 'express-rate-limit')) }],
    },
    facts,
  );
}

/**
 * The rate-limit-redis line whose peer range takes the app's express-rate-limit: 6.x needs
 * express-rate-limit 8.6+, 5.x needs 8.5+, 4.x takes 6 and later (the same `RedisStore` and
 * `sendCommand` option in all three). An app on express-rate-limit 7 given 6.x fails `npm install`.
 */
export function rateLimitRedisFor(expressRateLimit: string | undefined): string {
  if (expressRateLimit === undefined || atLeast(expressRateLimit, '8.6.0')) return '^6.0.1';
  if (atLeast(expressRateLimit, '8.5.0')) return '^5.0.0';
  return '^4.3.1';
}
