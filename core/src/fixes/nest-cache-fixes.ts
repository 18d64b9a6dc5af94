import ts = require('typescript');
import { propertyNameText, skipOuterExpressions } from '../analysis/text';
import type { Finding, TextEdit } from '../types';
import type { FixContext } from './context';
import { atLeast, parseVersion, usedPackageVersion } from './installed-packages';
import { unsafePart } from './lock-cache-fixes';
import { importEdit } from './module-edits';
import { isJavaScript, type PlanResult } from './state-fixes';

/** The Redis store of cache-manager 5 (5.7.6 and later), as Nest's caching guide gives it for that release. */
const REDIS_YET = { name: 'cache-manager-redis-yet', version: '5.1.5' };
const REDIS_URL = "process.env.REDIS_URL || 'redis://127.0.0.1:6379'";
const ADVICE_6 = 'give CacheModule a Redis store where it is registered (`CacheModule.registerAsync({ useFactory: () => ({ stores: [new KeyvRedis(process.env.REDIS_URL)] }) })`, KeyvRedis from @keyv/redis)';
const ADVICE_5 = `give CacheModule a Redis store where it is registered (\`CacheModule.registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL }) }) })\`, redisStore from ${REDIS_YET.name})`;

/**
 * Nest's `CacheModule.register({ isGlobal, ttl })` with no store: cache-manager's in-memory store,
 * one per process, so an entry one instance deletes after a write stays in the others. With
 * cache-manager 5 (5.7.6 and later, what `cache-manager-redis-yet` 5 supports) the registration
 * becomes `CacheModule.registerAsync({ isGlobal, useFactory: async () => ({ store: await
 * redisStore({ url, ttl }) }) })`: every instance reads and deletes in one Redis cache. The Redis
 * store keeps values as JSON, where the memory store kept them as they were: the fix is made only
 * when the types show that every value the program puts in the cache (`cache.set(k, v)`,
 * `cache.wrap(k, fn)`, `cache.mset(…)` on cache-manager's `Cache`) reads back the same from JSON,
 * and no `CacheInterceptor` caches what handlers return. Otherwise refused with what to write.
 */
export function nestCacheStorePlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  const version = usedPackageVersion(sourceFile.fileName, 'cache-manager');
  const major = version ? parseVersion(version)?.[0] : undefined;
  const advice = major === undefined ? `${ADVICE_6} with cache-manager 6, or ${ADVICE_5} with cache-manager 5` : major >= 6 ? ADVICE_6 : ADVICE_5;
  const refuse = (why: string): PlanResult => ({ refused: `${why}: ${advice}, so every instance reads one cache` });
  if (major === undefined) return refuse('the fix cannot read which cache-manager the project has');
  if (major >= 6) return refuse(`cache-manager ${version} takes Keyv stores, which the fix does not write`);
  if (major < 5 || !atLeast(version!, '5.7.6')) return refuse(`cache-manager ${version} is older than the 5.7.6 that cache-manager-redis-yet 5 needs`);
  const call = registration(sourceFile, finding.start);
  if (!call) return refuse('the fix rewrites only `CacheModule.register(…)`');
  const [options] = call.arguments;
  const settings = options && skipOuterExpressions(options);
  if (settings && !ts.isObjectLiteralExpression(settings)) return refuse("CacheModule's options are not written where it is registered");
  const kept: string[] = [];
  let ttl: string | undefined;
  for (const property of settings && ts.isObjectLiteralExpression(settings) ? settings.properties : []) {
    const name = property.name && propertyNameText(property.name);
    if (!ts.isPropertyAssignment(property) || (name !== 'isGlobal' && name !== 'ttl')) return refuse(`\`${property.getText()}\` is an option of the in-memory store, with no counterpart in Redis`);
    if (name === 'isGlobal') kept.push(property.getText());
    else ttl = property.initializer.getText();
  }
  if (isJavaScript(sourceFile)) return refuse('the Redis store keeps values as JSON, and in JavaScript no types show that what the cache holds reads back the same: check that');
  const unsafe = unsafeCacheValue(context);
  if (unsafe) return refuse(unsafe);
  const store = `await redisStore({ url: ${REDIS_URL}${ttl ? `, ttl: ${ttl}` : ''} })`;
  const callee = call.expression as ts.PropertyAccessExpression;
  const edits: TextEdit[] = [
    { fileName: sourceFile.fileName, start: callee.name.getStart(sourceFile), end: call.getEnd(), newText: `registerAsync({ ${[...kept, `useFactory: async () => ({ store: ${store} })`].join(', ')} })` },
  ];
  const importLine = importEdit(sourceFile, ['redisStore'], REDIS_YET.name);
  if (importLine) edits.push(importLine);
  return { plan: { messageId: 'nestCacheToRedis', data: { name: finding.data.name ?? 'CacheModule' }, edits, createFiles: [], dependencies: [REDIS_YET] } };
}

/** `CacheModule.register(…)` starting where the finding is. */
function registration(sourceFile: ts.SourceFile, start: number): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.getEnd() < start || node.getStart(sourceFile) > start) return;
    if (ts.isCallExpression(node) && node.getStart(sourceFile) === start && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'register') found = node;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** What the program puts in cache-manager's `Cache` that JSON would give back changed, said with where; undefined when all of it survives. */
function unsafeCacheValue(context: FixContext): string | undefined {
  const checker = context.program.getTypeChecker();
  for (const file of context.program.getSourceFiles()) {
    if (file.isDeclarationFile || context.program.isSourceFileFromExternalLibrary(file)) continue;
    if (/\bCacheInterceptor\b/.test(file.text)) return `CacheInterceptor (${context.displayPath(file.fileName)}) caches what handlers return, and the fix cannot check that it reads back the same from JSON, as the Redis store keeps it; check that, then`;
    if (!/\.(set|wrap|mset)\(/.test(file.text)) continue;
    let found: string | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['set', 'wrap', 'mset'].includes(node.expression.name.text) && isCacheManager(checker.getTypeAtLocation(node.expression.expression))) {
        const method = node.expression.name.text;
        const value = method === 'set' ? node.arguments[1] : method === 'wrap' ? node.arguments[1] : undefined;
        if (!value) found = `\`${node.getText()}\` (${context.where(node)}) puts values in the cache whose JSON the fix cannot check`;
        else {
          let type = checker.getTypeAtLocation(value);
          if (method === 'wrap') type = checker.getAwaitedType(checker.getSignaturesOfType(type, ts.SignatureKind.Call)[0]?.getReturnType() ?? type) ?? type;
          const problem = unsafePart(checker, type, 0);
          if (problem) found = `the Redis store keeps values as JSON, and \`${value.getText()}\` (${context.where(value)}) holds ${problem}, which would read back changed`;
          else if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) found = `the Redis store keeps values as JSON, and \`${value.getText()}\` (${context.where(value)}) has no type that shows it reads back the same`;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (found) return found;
  }
  return undefined;
}

/** cache-manager's `Cache` (or `MemoryCache`), as its own declarations name it. */
function isCacheManager(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  return symbol?.declarations?.some((declaration) => /\/node_modules\/cache-manager\//.test(declaration.getSourceFile().fileName)) ?? false;
}
