import ts = require('typescript');
import type { FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { functionName } from './text';

/** In-memory stand-ins for a Redis server, made for tests: whatever is written to them stays in this process. */
const STAND_INS = new Set(['ioredis-mock', 'redis-mock', 'fakeredis']);

/** A condition or function name that marks a test or development run, not the deployed one. */
const NON_PRODUCTION = /test|jest|vitest|mocha|\bci\b|develop|\bdev\b|production|\bprod\b|NODE_ENV|mock|fake/i;

export interface RedisStandIn {
  node: ts.Node;
  library: string;
}

/**
 * `new IORedisMock()`, `redisMock.createClient()`, `fakeredis.createClient()` in serving code, where the
 * service keeps what it would keep in Redis (sessions, tokens, queues) when no Redis is configured
 * (`if (!redisUrl) return new IORedisMock()`): that run holds it all in this instance. Quiet in a branch
 * or function a test or development run takes (`if (process.env.NODE_ENV === 'test')`, `createTestRedis()`);
 * test files are never analysed.
 */
export function findRedisStandIns(facts: FileFacts): RedisStandIn[] {
  const found: RedisStandIn[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (!member || !STAND_INS.has(member.module)) continue;
    const creates = ts.isNewExpression(node) || member.path[member.path.length - 1] === 'createClient';
    if (!creates || isNonProductionBranch(node)) continue;
    found.push({ node, library: member.module });
  }
  return found;
}

function isNonProductionBranch(node: ts.Node): boolean {
  for (let child: ts.Node = node, parent = node.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    const test = ts.isIfStatement(parent) && child !== parent.expression ? parent.expression : ts.isConditionalExpression(parent) && child !== parent.condition ? parent.condition : undefined;
    if (test && NON_PRODUCTION.test(test.getText())) return true;
    if (ts.isFunctionLike(parent) && NON_PRODUCTION.test(functionName(parent) ?? '')) return true;
  }
  return false;
}
