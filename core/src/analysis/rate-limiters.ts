import ts = require('typescript');
import type { FixPlan, TextEdit } from '../types';
import type { FileFacts } from './file-facts';
import { requiredPath, resolveImportedMember } from './imports';
import { findOption, optionsObject, type SpreadNames } from './options';
import { addRedisBackedStore, insertFirstProperty } from './store-fixes';
import { endOfImports } from '../fixes/module-edits';
import { propertyNameText, skipOuterExpressions } from './text';
import { localInitializer } from './scope';
import { isDevelopmentBranch } from './development-branches';
import { atLeast, parseVersion, usedPackageVersion } from '../fixes/installed-packages';

/** A rate limiter or throttler that counts requests in this process. */
export interface MemoryRateLimiter {
  node: ts.Node;
  library: string;
  store: string;
  /** The express-rate-limit call whose options lack a store, when the fix can add one. */
  fixableCall: ts.CallExpression | undefined;
  /** A limiter that takes an ioredis client as one option (@fastify/rate-limit `redis`, koa-ratelimit `db`), when the fix can give it one. */
  redisOption?: RedisClientOption;
}

/** Where an ioredis client goes in a limiter's options, and what else changes with it. */
export interface RedisClientOption {
  library: string;
  options: ts.ObjectLiteralExpression;
  /** The option that takes the client (`redis`, `db`). */
  name: string;
  /** The property the client replaces (`db: new Map()`), if there is one. */
  replaces?: ts.ObjectLiteralElementLike;
  /** Other properties rewritten with it (`driver: 'memory'` → `driver: 'redis'`). */
  rewrites: { property: ts.ObjectLiteralElementLike; text: string }[];
  /** Other code rewritten with it: the class the limiter is made of and its import (`RateLimiterMemory` → `RateLimiterRedis`). */
  renames?: { node: ts.Node; text: string }[];
  /** Options added beside the client (`keyPrefix: 'loginFailures'`). */
  beside?: string;
}

/** @fastify/rate-limit (and its old name): `app.register(rateLimit, { max, timeWindow })` counts in an LRU in this process unless given `redis` or a `store`. */
const FASTIFY_LIMITERS = new Set(['@fastify/rate-limit', 'fastify-rate-limit']);

/** GraphQL rate limiters and the option that gives them a store: graphql-rate-limit-directive's `limiterClass` (else RateLimiterMemory), graphql-rate-limit's `store` (else an in-memory one). */
const GRAPHQL_LIMITERS: Record<string, string> = { 'graphql-rate-limit-directive': 'limiterClass', 'graphql-rate-limit': 'store' };
const GRAPHQL_LIMITER_FACTORIES = new Set(['createRateLimitDirective', 'rateLimitDirective', 'createRateLimitRule', 'getGraphQLRateLimiter']);

/**
 * What the inline `useFactory` of Nest's `forRootAsync({ … })` returns: each returned object (`undefined`
 * for a list of throttlers, which has no storage), or `unknown` when the factory or a result cannot be seen.
 */
function factoryResults(options: ts.ObjectLiteralExpression | undefined | 'unknown'): (ts.ObjectLiteralExpression | undefined)[] | 'unknown' {
  if (!options || options === 'unknown') return 'unknown';
  const factory = findOption(options, 'useFactory');
  const fn = factory && ts.isPropertyAssignment(factory) ? skipOuterExpressions(factory.initializer) : factory && ts.isMethodDeclaration(factory) ? factory : undefined;
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) || !fn.body) return 'unknown';
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(fn.body)) returned.push(fn.body);
  else {
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn.body, visit);
  }
  const results: (ts.ObjectLiteralExpression | undefined)[] = [];
  for (const expression of returned) {
    const value = skipOuterExpressions(expression);
    if (ts.isArrayLiteralExpression(value)) results.push(undefined);
    else if (ts.isObjectLiteralExpression(value)) results.push(value);
    else return 'unknown';
  }
  return results.length > 0 ? results : 'unknown';
}

/**
 * `if (queueMode) limiters.set(id, rateLimit({ …, store: new RedisStore(…) })) else
 * limiters.set(id, rateLimit({ … }))`: the limiter without a store is the other branch of a
 * condition whose branch makes the same limiter with a store. The code knows how to share the
 * counts; the branch without a store is the mode that runs one process, and a deployment that
 * scales out takes the other.
 */
function isSingleProcessBranch(call: ts.CallExpression, module: string, facts: FileFacts, spreadNames: SpreadNames | undefined): boolean {
  for (let child: ts.Node = call, parent = call.parent; parent && !ts.isSourceFile(parent) && !ts.isFunctionLike(parent); child = parent, parent = parent.parent) {
    const other = ts.isIfStatement(parent) ? (parent.thenStatement === child ? parent.elseStatement : parent.elseStatement === child ? parent.thenStatement : undefined) : ts.isConditionalExpression(parent) ? (parent.whenTrue === child ? parent.whenFalse : parent.whenFalse === child ? parent.whenTrue : undefined) : undefined;
    if (other && makesLimiterWithStore(other, module, facts, spreadNames)) return true;
  }
  return false;
}

function makesLimiterWithStore(branch: ts.Node, module: string, facts: FileFacts, spreadNames: SpreadNames | undefined): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && resolveImportedMember(node.expression, facts.imports)?.module === module) {
      const options = optionsObject(node.arguments[0], facts);
      const store = typeof options === 'object' && options ? findOption(options, 'store', spreadNames) : undefined;
      if (store && !(ts.isPropertyAssignment(store) && isMemoryStoreCreation(store.initializer, facts))) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(branch);
  return found;
}

/** Factories of express-rate-limit and express-slow-down: `rateLimit({…})`, `slowDown({…})`. */
const EXPRESS_LIMITERS = new Set(['express-rate-limit', 'express-slow-down']);
/** hono-rate-limiter's factories: `rateLimiter({ windowMs, limit, keyGenerator })` counts in its MemoryStore unless given a `store`. */
const HONO_LIMITER_FACTORIES = new Set(['rateLimiter', 'webSocketLimiter']);
// BurstyRateLimiter stores wherever the two limiters it combines do: only RateLimiterMemory is in memory.
const FLEXIBLE_MEMORY = new Set(['RateLimiterMemory']);

export function findMemoryRateLimiters(facts: FileFacts, spreadNames?: SpreadNames): MemoryRateLimiter[] {
  const found: MemoryRateLimiter[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (!member) continue;
    if (EXPRESS_LIMITERS.has(member.module) && ts.isCallExpression(node) && isLimiterFactory(member.path)) {
      const options = optionsObject(node.arguments[0], facts);
      if (options === 'unknown') continue;
      const store = options && findOption(options, 'store', spreadNames);
      const fallback = store && storeFallback(store, facts);
      if (!store && !isSingleProcessBranch(node, member.module, facts, spreadNames)) found.push({ node: node.expression, library: member.module, store: 'the default MemoryStore', fixableCall: node });
      else if (store && ts.isPropertyAssignment(store) && isMemoryStoreCreation(store.initializer, facts)) found.push({ node: store, library: member.module, store: 'MemoryStore', fixableCall: undefined });
      else if (fallback) found.push({ node: node.expression, library: member.module, store: `the default MemoryStore ${fallback}`, fixableCall: undefined });
    } else if (member.module === 'hono-rate-limiter' && ts.isCallExpression(node) && isHonoLimiterFactory(member.path)) {
      const options = optionsObject(node.arguments[0], facts);
      if (options === 'unknown' || (options && findOption(options, 'store', spreadNames)) || isSingleProcessBranch(node, member.module, facts, spreadNames)) continue;
      found.push({ node: node.expression, library: member.module, store: 'the default MemoryStore', fixableCall: undefined });
    } else if (member.module === 'koa-ratelimit' && ts.isCallExpression(node) && isLimiterFactory(member.path)) {
      // ratelimit({ driver: 'memory', db: new Map() }): the default driver is redis.
      const options = optionsObject(node.arguments[0], facts);
      if (typeof options !== 'object' || options === undefined) continue;
      const driver = findOption(options, 'driver');
      if (!driver || !ts.isPropertyAssignment(driver) || stringValueOf(driver.initializer) !== 'memory') continue;
      const db = findOption(options, 'db');
      const isMap = db === undefined || (ts.isPropertyAssignment(db) && /^new Map\b/.test(skipOuterExpressions(db.initializer).getText()));
      found.push({
        node: node.expression,
        library: 'koa-ratelimit',
        store: "driver 'memory'",
        fixableCall: undefined,
        redisOption: isMap && options.getSourceFile() === facts.sourceFile ? { library: 'koa-ratelimit', options, name: 'db', replaces: db, rewrites: [{ property: driver, text: "driver: 'redis'" }] } : undefined,
      });
    } else if (member.module === 'rate-limiter-flexible' && ts.isNewExpression(node) && member.path.length === 1 && FLEXIBLE_MEMORY.has(member.path[0])) {
      if (isInsuranceLimiter(node, facts.sourceFile)) continue;
      found.push({ node, library: 'rate-limiter-flexible', store: member.path[0], fixableCall: undefined, redisOption: flexibleRedisOption(node, facts) });
    } else if (member.module === 'connect-ratelimit' && ts.isCallExpression(node) && isLimiterFactory(member.path)) {
      // connect-ratelimit has no store option: its counters are always this process's.
      found.push({ node: node.expression, library: 'connect-ratelimit', store: 'its in-process counters', fixableCall: undefined });
    } else if (member.module === 'limiter' && ts.isNewExpression(node) && member.path.length === 1 && TOKEN_BUCKETS.has(member.path[0])) {
      // A token bucket of the limiter package lives in this process; wrapped in a class, each instance of the class is one limiter.
      const wrappers = wrapperCreations(node, facts);
      if (wrappers.length > 0) for (const creation of wrappers) found.push({ node: creation, library: 'limiter', store: `a ${member.path[0]} in process memory`, fixableCall: undefined });
      else found.push({ node, library: 'limiter', store: `a ${member.path[0]} in process memory`, fixableCall: undefined });
    } else if (member.module === '@nestjs/throttler' && ts.isCallExpression(node) && /^ThrottlerModule\.forRoot(Async)?$/.test(member.path.join('.'))) {
      const options = optionsObject(node.arguments[0], facts);
      // forRoot([{ ttl, limit }]) (an array of throttlers) has no storage; forRootAsync's is what its inline factory returns.
      const chosen = member.path[1] === 'forRootAsync' ? factoryResults(options) : options === 'unknown' ? 'unknown' : [options];
      if (chosen === 'unknown') continue;
      if (chosen.some((result) => !result || !findOption(result, 'storage', spreadNames))) found.push({ node: node.expression, library: '@nestjs/throttler', store: 'its default in-memory storage', fixableCall: undefined });
    } else if (ts.isCallExpression(node) && GRAPHQL_LIMITERS[member.module] && member.path.length === 1 && GRAPHQL_LIMITER_FACTORIES.has(member.path[0])) {
      // A GraphQL rate-limit directive or rule counts in this process unless given a store (or a limiter class) of its own.
      const options = optionsObject(node.arguments[0], facts);
      if (options === 'unknown' || (options && findOption(options, GRAPHQL_LIMITERS[member.module], spreadNames))) continue;
      found.push({ node: node.expression, library: member.module, store: 'its default in-memory store', fixableCall: undefined });
    }
  }
  for (const { node } of facts.calls) {
    // app.register(rateLimit, { … }) of @fastify/rate-limit
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 'register' || node.arguments.length === 0) continue;
    const plugin = resolveImportedMember(node.arguments[0], facts.imports);
    if (!plugin || !FASTIFY_LIMITERS.has(plugin.module) || !isLimiterFactory(plugin.path)) continue;
    const options = optionsObject(node.arguments[1], facts);
    if (options === 'unknown') continue;
    const given = options && (findOption(options, 'redis', spreadNames) ?? findOption(options, 'store', spreadNames));
    const fallback = given && storeFallback(given, facts);
    if (given && !fallback) continue;
    found.push({
      node: node.expression,
      library: plugin.module,
      store: fallback ? `its default in-memory store ${fallback}` : 'its default in-memory store',
      fixableCall: undefined,
      redisOption: !fallback && options && options.getSourceFile() === facts.sourceFile ? { library: plugin.module, options, name: 'redis', rewrites: [] } : undefined,
    });
  }
  const autoloaded = autoloadedFastifyLimiter(facts);
  if (autoloaded) found.push(autoloaded);
  return found.filter((limiter) => !isDevelopmentBranch(limiter.node));
}

/**
 * A plugin file for @fastify/autoload that is @fastify/rate-limit itself (`export default
 * fastifyRateLimit`, `module.exports = require('@fastify/rate-limit')`): autoload registers it with
 * the file's `autoConfig` export as options (an object, or a function of the instance returning one).
 * Reported at the export when those options name neither `redis` nor `store`.
 */
function autoloadedFastifyLimiter(facts: FileFacts): MemoryRateLimiter | undefined {
  let exported: ts.Expression | undefined;
  let autoConfig: ts.Expression | undefined;
  for (const statement of facts.sourceFile.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) exported = statement.expression;
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && statement.expression.left.getText() === 'module.exports') exported = statement.expression.right;
    if (ts.isVariableStatement(statement) && statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === 'autoConfig') autoConfig = declaration.initializer;
    }
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && /^(module\.)?exports\.autoConfig$/.test(statement.expression.left.getText())) autoConfig = statement.expression.right;
  }
  if (!exported) return undefined;
  const plugin = resolveImportedMember(exported, facts.imports) ?? requiredPath(exported);
  if (!plugin || !FASTIFY_LIMITERS.has(plugin.module) || !isLimiterFactory(plugin.path)) return undefined;
  const options = autoConfig === undefined ? undefined : returnedObject(skipOuterExpressions(autoConfig));
  if (options === 'unknown' || (options && (findOption(options, 'redis') || findOption(options, 'store')))) return undefined;
  return { node: exported, library: plugin.module, store: 'its default in-memory store', fixableCall: undefined };
}

/** An object literal, or the object literal an arrow or function returns (`(fastify) => ({ … })`, `{ return { … } }`). */
function returnedObject(value: ts.Expression): ts.ObjectLiteralExpression | 'unknown' {
  if (ts.isObjectLiteralExpression(value)) return value;
  if (!ts.isArrowFunction(value) && !ts.isFunctionExpression(value)) return 'unknown';
  if (!ts.isBlock(value.body)) {
    const body = skipOuterExpressions(value.body);
    return ts.isObjectLiteralExpression(body) ? body : 'unknown';
  }
  const [only, ...others] = value.body.statements.filter(ts.isReturnStatement);
  const returned = only?.expression && others.length === 0 ? skipOuterExpressions(only.expression) : undefined;
  return returned && ts.isObjectLiteralExpression(returned) ? returned : 'unknown';
}

const TOKEN_BUCKETS = new Set(['RateLimiter', 'TokenBucket']);

/**
 * `class KumaRateLimiter { constructor(config) { this.rateLimiter = new RateLimiter(config); } }`
 * with `const loginRateLimiter = new KumaRateLimiter({ … })`: each creation of the wrapper, in
 * this file, is one limiter (reported there, where its limits are chosen).
 */
function wrapperCreations(creation: ts.NewExpression, facts: FileFacts): ts.NewExpression[] {
  let owner: ts.ClassLikeDeclaration | undefined;
  for (let node: ts.Node | undefined = creation.parent; node; node = node.parent) {
    if (ts.isClassLike(node)) {
      owner = node;
      break;
    }
  }
  const name = owner?.name?.text;
  if (!owner || !name) return [];
  const wrapper = owner;
  return facts.calls
    .map(({ node }) => node)
    .filter((node): node is ts.NewExpression => ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name && !(node.pos >= wrapper.pos && node.end <= wrapper.end));
}

function stringValueOf(expression: ts.Expression): string | undefined {
  const value = skipOuterExpressions(expression);
  return ts.isStringLiteralLike(value) ? value.text : undefined;
}

/**
 * rate-limiter-flexible's `insuranceLimiter`: a RateLimiterMemory that a Redis-backed limiter counts in
 * only while Redis is unreachable (`new RateLimiterRedis({ storeClient, insuranceLimiter })`). Its
 * documented design, not the store the limiter counts in: given inline, or held in a variable or
 * field (`static insuranceRateLimiter = new RateLimiterMemory(…)`) whose only uses in the file are
 * `insuranceLimiter` options.
 */
function isInsuranceLimiter(creation: ts.NewExpression, file: ts.SourceFile): boolean {
  let value: ts.Node = creation;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  const holder = value.parent;
  if (ts.isPropertyAssignment(holder) && holder.initializer === value) return propertyNameText(holder.name) === 'insuranceLimiter';
  const name =
    (ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) && holder.initializer === value && ts.isIdentifier(holder.name)
      ? holder.name
      : ts.isBinaryExpression(holder) && holder.right === value && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(holder.left)
        ? holder.left.name
        : undefined;
  if (!name) return false;
  const { insurance, other } = insuranceUses(name, file);
  return insurance > 0 && other === 0;
}

/** How often the file hands the limiter `name` holds to an `insuranceLimiter` option, and how often it uses the name otherwise. */
function insuranceUses(name: ts.MemberName, file: ts.SourceFile): { insurance: number; other: number } {
  let insurance = 0;
  let other = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name.text && node !== name) {
      const use = ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? node.parent : node;
      const option = use.parent;
      if ((ts.isPropertyAssignment(option) && option.initializer === use && propertyNameText(option.name) === 'insuranceLimiter') || (ts.isShorthandPropertyAssignment(option) && name.text === 'insuranceLimiter')) insurance++;
      else if (!(ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node)) other++;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { insurance, other };
}

/**
 * rate-limiter-flexible's `new RateLimiterMemory({ points, duration })` → `new RateLimiterRedis({
 * storeClient, keyPrefix, points, duration })`: the same `consume`, `get`, `penalty` and `delete`,
 * counted in Redis. Each limiter keeps its own key prefix (the library's default, shared by every
 * limiter, would add up their counts): the name it is assigned to. Only a class imported by name
 * (or read off the module) whose options are written in place, and whose name has no other use in
 * the file, is rewritten.
 */
function flexibleRedisOption(creation: ts.NewExpression, facts: FileFacts): RedisClientOption | undefined {
  const sourceFile = facts.sourceFile;
  const options = creation.arguments?.[0] && skipOuterExpressions(creation.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options) || findOption(options, 'storeClient')) return undefined;
  const callee = skipOuterExpressions(creation.expression);
  const renames: { node: ts.Node; text: string }[] = [];
  if (ts.isPropertyAccessExpression(callee)) renames.push({ node: callee.name, text: 'RateLimiterRedis' });
  else if (ts.isIdentifier(callee)) {
    const uses = [...sourceFile.text.matchAll(new RegExp(`\\b${callee.text}\\b`, 'g'))].length;
    const specifier = importedName(sourceFile, callee.text);
    if (!specifier || uses !== 2) return undefined;
    if (specifier.alias) renames.push({ node: specifier.imported, text: 'RateLimiterRedis' });
    else renames.push({ node: specifier.imported, text: 'RateLimiterRedis' }, { node: callee, text: 'RateLimiterRedis' });
  } else return undefined;
  let holder: ts.Node = creation.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder)) holder = holder.parent;
  // The fallback of a Redis-backed limiter (its `insuranceLimiter`) is there for when Redis is down: it stays in memory.
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name) && insuranceUses(holder.name, sourceFile).insurance > 0) return undefined;
  // `this.alarmCodeRateLimit = new RateLimiterMemory(…)` in a constructor is named by its member, as a field is.
  const assigned = ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(holder.left) ? holder.left.name.text : undefined;
  const name = (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name) ? holder.name.text : assigned ?? `${sourceFile.fileName.replace(/^.*\//, '').replace(/\.[^.]+$/, '')}-${sourceFile.getLineAndCharacterOfPosition(creation.getStart(sourceFile)).line + 1}`;
  return { library: 'rate-limiter-flexible', options, name: 'storeClient', rewrites: [], renames, beside: findOption(options, 'keyPrefix') ? undefined : `keyPrefix: '${name}'` };
}

/** The import (or `require` destructuring) that binds `local`: the imported name's node, and whether it is renamed there. */
function importedName(sourceFile: ts.SourceFile, local: string): { imported: ts.Node; alias: boolean } | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause?.namedBindings && ts.isNamedImports(statement.importClause.namedBindings)) {
      const element = statement.importClause.namedBindings.elements.find((candidate) => candidate.name.text === local);
      if (element) return { imported: element.propertyName ?? element.name, alias: element.propertyName !== undefined };
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isObjectBindingPattern(declaration.name)) continue;
        const element = declaration.name.elements.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === local);
        if (element) return { imported: element.propertyName ?? element.name, alias: element.propertyName !== undefined };
      }
    }
  }
  return undefined;
}

/**
 * Gives a limiter an ioredis client from REDIS_URL in its own option (`redis: new Redis(…)` for
 * @fastify/rate-limit, `db: new Redis(…)` with `driver: 'redis'` for koa-ratelimit, a
 * rate-limiter-flexible limiter's `storeClient` with its class renamed), importing `Redis` from
 * ioredis in the file's module style.
 */
export function redisClientOptionFix(option: RedisClientOption, facts: FileFacts): Omit<FixPlan, 'message'> {
  const sourceFile = facts.sourceFile;
  const fileName = sourceFile.fileName;
  const local = [...facts.imports].find(([, binding]) => binding.module === 'ioredis' && (binding.path.join('.') === 'Redis' || binding.path.length === 0 || binding.path.join('.') === 'default'))?.[0];
  const client = `new ${local ?? 'Redis'}(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')`;
  const edits: TextEdit[] = option.rewrites.map(({ property, text }) => ({ fileName, start: property.getStart(sourceFile), end: property.getEnd(), newText: text }));
  for (const { node, text } of option.renames ?? []) edits.push({ fileName, start: node.getStart(sourceFile), end: node.getEnd(), newText: text });
  const given = `${option.name}: ${client}${option.beside ? `, ${option.beside}` : ''}`;
  if (option.replaces) edits.push({ fileName, start: option.replaces.getStart(sourceFile), end: option.replaces.getEnd(), newText: given });
  else edits.push(insertFirstProperty(option.options, given, sourceFile));
  if (!local) {
    const usesRequire = !sourceFile.statements.some((statement) => ts.isImportDeclaration(statement)) && facts.imports.size > 0;
    const line = usesRequire ? "const { Redis } = require('ioredis');" : "import { Redis } from 'ioredis';";
    const insertAt = endOfImports(sourceFile);
    const newline = sourceFile.text.includes('\r\n') ? '\r\n' : '\n';
    edits.push({ fileName, start: insertAt, end: insertAt, newText: insertAt === 0 ? `${line}${newline}` : `${newline}${line}` });
  }
  return { messageId: 'rateLimitRedisClient', data: { library: option.library, option: option.name }, edits, createFiles: [], dependencies: [{ name: 'ioredis', version: '^5.8.2' }] };
}

/**
 * A rate limiter built by a library (`rateLimit({…})`, `slowDown({…})`, koa-ratelimit's factory,
 * rate-limiter-flexible's `new RateLimiterRedis({…})`), whatever store it counts in: kept per route
 * or per tenant in a map, the map holds middlewares; where they count is the limiter's own option,
 * reported (or not) at the call that builds it.
 */
export function isRateLimiterCreation(expression: ts.Expression, facts: FileFacts): boolean {
  const value = skipOuterExpressions(expression);
  if (!ts.isCallExpression(value) && !ts.isNewExpression(value)) return false;
  const member = resolveImportedMember(value.expression, facts.imports);
  if (!member) return false;
  if (ts.isNewExpression(value)) return member.module === 'rate-limiter-flexible';
  return ((EXPRESS_LIMITERS.has(member.module) || member.module === 'koa-ratelimit') && isLimiterFactory(member.path)) || (member.module === 'hono-rate-limiter' && isHonoLimiterFactory(member.path));
}

function isHonoLimiterFactory(path: readonly string[]): boolean {
  return path.length === 1 && HONO_LIMITER_FACTORIES.has(path[0]);
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

/**
 * `store: config.redis?.enabled ? new RedisStore({ … }) : null`, `redis: process.env.REDIS_URL ? client :
 * undefined`, `store: useRedis && redisStore` (inline, or a local holding it): a store given only when a
 * setting is on, else none (or a MemoryStore), so with the setting off (often the default) the limiter
 * counts in this process. When it does (`unless \`config.redis?.enabled\``), or undefined for a store always given. An `if`/`else`
 * making one limiter with a store and one without is a mode of its own (`isSingleProcessBranch`).
 */
function storeFallback(option: ts.ObjectLiteralElementLike, facts: FileFacts): string | undefined {
  let value = ts.isPropertyAssignment(option) ? skipOuterExpressions(option.initializer) : ts.isShorthandPropertyAssignment(option) ? option.name : undefined;
  if (value && ts.isIdentifier(value)) {
    const initializer = localInitializer(value) ?? moduleConstInitializer(value);
    value = initializer && skipOuterExpressions(initializer);
  }
  if (!value) return undefined;
  const none = (branch: ts.Expression): boolean => {
    const inner = skipOuterExpressions(branch);
    return inner.kind === ts.SyntaxKind.NullKeyword || inner.kind === ts.SyntaxKind.FalseKeyword || ts.isVoidExpression(inner) || (ts.isIdentifier(inner) && inner.text === 'undefined') || isMemoryStoreCreation(inner, facts);
  };
  const condition = (test: ts.Expression): string => `\`${test.getText().replace(/\s+/g, ' ')}\``;
  const test = ts.isConditionalExpression(value) ? value.condition : ts.isBinaryExpression(value) ? value.left : undefined;
  if (test && isChosenMode(test)) return undefined;
  if (ts.isConditionalExpression(value)) {
    if (none(value.whenFalse) && !none(value.whenTrue)) return `unless ${condition(value.condition)}`;
    if (none(value.whenTrue) && !none(value.whenFalse)) return `when ${condition(value.condition)}`;
  }
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && !none(value.right)) return `unless ${condition(value.left)}`;
  return undefined;
}

/**
 * `NODE_ENV !== 'test' ? redis : undefined` (memory for a test run only) and `driver === 'redis' ? … : undefined`
 * (a limiter driver or mode the operator picks by name, as `isSingleProcessBranch`'s modes are): a deployment
 * choice, not a store that silently falls back when Redis is absent (`config.redis?.enabled`, `process.env.REDIS_URL`).
 */
function isChosenMode(test: ts.Expression): boolean {
  let value = skipOuterExpressions(test);
  while (ts.isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) value = skipOuterExpressions(value.operand);
  if (/\b(?:NODE_ENV|test|jest|vitest|development|isDev)\b/i.test(value.getText())) return true;
  if (!ts.isBinaryExpression(value) || !EQUALITY.has(value.operatorToken.kind)) return false;
  const named = (side: ts.Expression): boolean => {
    const inner = skipOuterExpressions(side);
    return ts.isStringLiteralLike(inner) || ts.isPropertyAccessExpression(inner);
  };
  return named(value.left) || named(value.right);
}

const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/** The initializer of a module-scope `const` of the identifier's file. */
function moduleConstInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  for (const statement of identifier.getSourceFile().statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text) return declaration.initializer;
  }
  return undefined;
}

/**
 * `store: new RateLimitRedisStore({ sendCommand: (...args) => redisClient.sendCommand(args) })` from rate-limit-redis,
 * or, given the shared-connection adapter that hands out the project's own ioredis client (`shared`),
 * `sendCommand: (command, ...args) => redis().call(command, ...args)` through it: no second client.
 */
export function redisRateLimitStoreFix(call: ts.CallExpression, facts: FileFacts, shared?: { specifier: string }): Omit<FixPlan, 'message'> {
  const typed = /\.[cm]?tsx?$/.test(facts.sourceFile.fileName);
  return addRedisBackedStore(
    {
      call,
      store: (client, library) =>
        library === 'ioredis'
          ? `new RateLimitRedisStore({ sendCommand: (command${typed ? ': string' : ''}, ...args${typed ? ': string[]' : ''}) => ${client}.call(command, ...args)${typed ? ' as Promise<RedisReply>' : ''}, prefix: '${storePrefix(call)}' })`
          : `new RateLimitRedisStore({ sendCommand: (...args${typed ? ': string[]' : ''}) => ${client}.sendCommand(args), prefix: '${storePrefix(call)}' })`,
      imports: [{ name: 'RedisStore', local: 'RateLimitRedisStore', module: 'rate-limit-redis' }],
      messageId: shared ? 'rateLimitMoveToSharedRedis' : 'rateLimitMoveToRedis',
      dependencies: [{ name: 'rate-limit-redis', version: rateLimitRedisFor(usedPackageVersion(facts.sourceFile.fileName, 'express-rate-limit')) }],
      shared: shared && { specifier: shared.specifier, imports: typed ? ["import type { RedisReply } from 'rate-limit-redis';"] : [] },
    },
    facts,
  );
}

/**
 * The key prefix of one limiter's store: each in-memory limiter counted alone, and two stores on
 * rate-limit-redis's default prefix would add up each other's hits (and a request through both
 * would count twice). Named after what the limiter is assigned to, else its file and line.
 */
function storePrefix(call: ts.CallExpression): string {
  let holder: ts.Node = call.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder)) holder = holder.parent;
  let name: string | undefined;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && (ts.isIdentifier(holder.name) || ts.isStringLiteral(holder.name))) name = holder.name.text;
  else if (ts.isBinaryExpression(holder) && ts.isPropertyAccessExpression(holder.left)) name = holder.left.name.text;
  if (!name) {
    const file = call.getSourceFile();
    const base = (file.fileName.split('/').at(-1) ?? 'limiter').replace(/\.[^.]*$/, '');
    name = `${base}-${file.getLineAndCharacterOfPosition(call.getStart()).line + 1}`;
  }
  return `rl:${name.replace(/[^\w-]/g, '')}:`;
}

/** The first release of each library whose stores implement `increment(key)`: the API every rate-limit-redis since 3.0 implements. */
const PROMISE_STORE_API: Readonly<Record<string, string>> = { 'express-rate-limit': '6.0.0', 'express-slow-down': '2.0.0' };

/**
 * The version of the limiter's library the project uses, when it is a release from before its stores
 * became promise-based (express-rate-limit 5, express-slow-down 1): those call `store.incr(key,
 * callback)`, which no rate-limit-redis that takes a `sendCommand` implements, so the limiter given
 * one would throw on every request. Undefined when the version is newer or not known.
 */
export function callbackStoreRelease(library: string, fromFile: string): string | undefined {
  const first = PROMISE_STORE_API[library];
  const version = first === undefined ? undefined : usedPackageVersion(fromFile, library);
  return version !== undefined && parseVersion(version) && !atLeast(version, first) ? version : undefined;
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
