import ts = require('typescript');
import { getFileFacts, type FileFacts, type Mutation } from './file-facts';
import { resolveImportedMember } from './imports';
import { hapiMemoryCaches } from './hapi-cache';
import { nestMemoryCaches } from './nest-cache';
import { findOption, optionsObject } from './options';
import { localInitializer } from './scope';
import { constantNumber } from './staleness';
import { isFill, isRequestData } from './state-use';
import type { Reach, RequestGraph } from './request-graph';
import { enclosingClass } from './resolve';
import { moduleDeclarationOf, singletonClasses } from './shared-state';
import { isRemoval } from './process-work';
import { storedValue } from './state-use';
import { propertyNameText, skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** A cache or lock library instance kept for the life of the process: module scope, a class static, a singleton's field. */
export interface LibraryInstance {
  kind: 'cache' | 'lock';
  /** The package, e.g. `lru-cache`, `async-mutex`. */
  library: string;
  /** What is created, as the code spells it: `LRUCache`, `Mutex`, `Semaphore`, `pLimit(1)`. */
  what: string;
  /** Where the finding goes: the `new …()` (or factory) call. */
  creation: ts.CallExpression | ts.NewExpression;
  /** The options object, `undefined` without one, `unknown` when it cannot be seen. */
  options: ts.ObjectLiteralExpression | undefined | 'unknown';
  /** The binding or field that holds it. */
  name: string;
  /** Calls on it (or of it, for p-limit) from code on a request path. */
  uses: { call: ts.CallExpression; method: string; reaches: readonly Reach[] }[];
  /**
   * For a cache: calls anywhere in the code looked at that drop entries before they expire
   * (`cache.del(id)`, `cache.reset()`) or store what a request sent; undefined when not looked for.
   */
  invalidations?: readonly ts.CallExpression[];
  /** For a cache: reads of an entry (`get`, `peek`, `has`, `take`) from code on a request path. */
  reads?: readonly { call: ts.CallExpression; method: string; reaches: readonly Reach[] }[];
}

interface LibraryKind {
  kind: 'cache' | 'lock';
  library: string;
  what: string;
}

/**
 * Library classes by module and imported path. p-limit, Bottleneck and the task queues (queue,
 * p-queue) limit concurrency per instance, which is usually what they are for (N instances × the
 * limit); only a limit of one is a mutex, so only that is a lock (see `limiterOfOne`, `limitOf`).
 */
function libraryKindOf(module: string, path: readonly string[], call: ts.CallExpression | ts.NewExpression, facts: FileFacts): LibraryKind | undefined {
  const imported = path.length === 0 ? 'default' : path.join('.');
  const isNew = ts.isNewExpression(call);
  switch (module) {
    case 'lru-cache':
      return ['default', 'LRUCache', 'LRU', 'default.LRUCache'].includes(imported) ? { kind: 'cache', library: module, what: imported === 'default' ? 'LRU' : path[path.length - 1] } : undefined;
    case 'node-cache':
      return isNew && ['default', 'NodeCache'].includes(imported) ? { kind: 'cache', library: module, what: 'NodeCache' } : undefined;
    case 'memory-cache':
      return isNew && imported === 'Cache' ? { kind: 'cache', library: module, what: 'Cache' } : undefined;
    case 'async-mutex':
      return isNew && (imported === 'Mutex' || imported === 'Semaphore') ? { kind: 'lock', library: module, what: imported } : undefined;
    case 'async-lock':
      return isNew && imported === 'default' ? { kind: 'lock', library: module, what: 'AsyncLock' } : undefined;
    // mediasoup's servers serialize room creation with `queue.push(async () => …)`: one task at a time.
    case 'awaitqueue':
      return isNew && imported === 'AwaitQueue' ? { kind: 'lock', library: module, what: 'AwaitQueue' } : undefined;
    // A task queue that runs one task at a time (`new Queue({ concurrency: 1 })` of queue, `new PQueue({ concurrency: 1 })` of p-queue):
    // what is pushed runs alone in this process only. Their default runs every task at once: no lock.
    case 'queue':
      return isNew && imported === 'default' && call.arguments !== undefined && call.arguments.length > 0 && limitOf(call.arguments[0], facts) === 1 ? { kind: 'lock', library: module, what: 'Queue' } : undefined;
    // p-queue-cjs and @esm2cjs/p-queue are p-queue's CommonJS builds, under their own names.
    case 'p-queue':
    case 'p-queue-cjs':
    case '@esm2cjs/p-queue':
      return isNew && ['default', 'PQueue', 'default.default'].includes(imported) && call.arguments !== undefined && call.arguments.length > 0 && limitOf(call.arguments[0], facts) === 1 ? { kind: 'lock', library: module, what: 'PQueue' } : undefined;
    case 'p-limit':
      return !isNew && ['default', 'pLimit'].includes(imported) && call.arguments.length > 0 && limitOf(call.arguments[0], facts) === 1 ? { kind: 'lock', library: module, what: 'pLimit(1)' } : undefined;
    case 'bottleneck':
      return isNew && imported === 'default' && limiterOfOne(call, facts) ? { kind: 'lock', library: module, what: 'Bottleneck' } : undefined;
    default:
      return undefined;
  }
}

/**
 * Locks kept per key and made on first use: `if (!m.has(id)) m.set(id, new Mutex())`, also inside
 * an entry (`{ mutex: new Mutex(), lastUsed }`) or through a local. Every fill stores a lock library
 * instance, so the map is this process's locks, whatever evicts its entries.
 */
export function isLockRegistry(mutations: readonly Mutation[]): boolean {
  const fills = mutations.filter((mutation) => !isRemoval(mutation) && !mutation.isReassignment);
  return fills.length > 0 && fills.every((mutation) => {
    const value = storedValue(mutation);
    return value !== undefined && createsLock(value, getFileFacts(value.getSourceFile()));
  });
}

function createsLock(expression: ts.Expression, facts: FileFacts): boolean {
  const value = skipOuterExpressions(expression);
  // A local given the lock where it is declared or later (`let lock = m.get(k); if (!lock) { lock = new Mutex(); m.set(k, lock) }`).
  if (ts.isIdentifier(value)) return localValues(value).some((local) => createsLock(local, facts));
  if (ts.isObjectLiteralExpression(value)) return value.properties.some((property) => ts.isPropertyAssignment(property) && createsLock(property.initializer, facts));
  // withTimeout(new Mutex(), ms) keeps the instance.
  if (ts.isCallExpression(value) && /(^|\.)withTimeout$/.test(value.expression.getText()) && value.arguments.length > 0) return createsLock(value.arguments[0], facts);
  if (!ts.isNewExpression(value) && !ts.isCallExpression(value)) return false;
  const member = resolveImportedMember(value.expression, facts.imports);
  return member !== undefined && libraryKindOf(member.module, member.path, value, facts)?.kind === 'lock';
}

/** What a local may hold: its initializer and what its function assigns it. */
function localValues(identifier: ts.Identifier): ts.Expression[] {
  const initializer = localInitializer(identifier);
  const fn = ts.findAncestor(identifier, ts.isFunctionLike);
  const values = initializer ? [initializer] : [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === identifier.text) values.push(node.right);
    ts.forEachChild(node, visit);
  };
  if (fn) visit(fn);
  return values;
}

/** Methods that take or wait for the lock, and methods that fill a cache. */
const LOCK_METHODS = new Set(['acquire', 'runExclusive', 'waitForUnlock', 'schedule', 'wrap', 'submit', 'push', 'add', 'addAll', '(call)']);
export const CACHE_FILL_METHODS = new Set(['set', 'put', 'fetch', 'mset', 'setMany']);
/** Methods that read one entry of a cache library. */
const CACHE_READ_METHODS = new Set(['get', 'peek', 'has', 'take']);
/** Methods that make lru-cache or node-cache forget entries before their TTL (`purgeStale` and `prune` only drop expired ones). */
const CACHE_DROP_METHODS = new Set(['del', 'delete', 'mdel', 'take', 'reset', 'clear', 'flushAll']);

const perGraph = new WeakMap<RequestGraph, { singletons: Set<ts.ClassLikeDeclaration>; byFile: Map<ts.SourceFile, LibraryInstance[]> }>();

/** Cache and lock library instances this file keeps for the life of the process, with their request-path uses. */
export function libraryInstancesIn(graph: RequestGraph, sourceFile: ts.SourceFile): LibraryInstance[] {
  let state = perGraph.get(graph);
  if (!state) {
    state = { singletons: singletonClasses(graph), byFile: new Map() };
    perGraph.set(graph, state);
  }
  let found = state.byFile.get(sourceFile);
  if (!found) {
    found = collect(graph, sourceFile, state.singletons);
    state.byFile.set(sourceFile, found);
  }
  return found;
}

function collect(graph: RequestGraph, sourceFile: ts.SourceFile, singletons: ReadonlySet<ts.ClassLikeDeclaration>): LibraryInstance[] {
  const facts = getFileFacts(sourceFile);
  const instances: LibraryInstance[] = [];
  for (const { node, function: fn } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    const kind = member && libraryKindOf(member.module, member.path, node, facts);
    if (!kind) continue;
    const holder = holderOf(node, fn, singletons);
    if (!holder) continue;
    instances.push({ ...kind, creation: node, options: optionsObject(node.arguments?.[0], facts), name: holder.name, ...usesOf(graph, holder) });
  }
  const defaultMemoryCache = memoryCachePuts(graph, facts);
  if (defaultMemoryCache) instances.push(defaultMemoryCache);
  instances.push(...nestMemoryCaches(graph, facts));
  instances.push(...hapiMemoryCaches(graph, facts));
  return instances;
}

/** memory-cache's default export is itself a process-wide cache: `cache.put(key, value, ms)`, reported at the first request-path put. */
function memoryCachePuts(graph: RequestGraph, facts: FileFacts): LibraryInstance | undefined {
  let instance: LibraryInstance | undefined;
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const member = resolveImportedMember(node.expression, facts.imports);
    if (member?.module !== 'memory-cache' || member.path.join('.') !== 'put') continue;
    const reaches = graph.reachesOf(node);
    if (reaches.length === 0) continue;
    const callee = skipOuterExpressions(node.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.expression.getText() : 'put';
    instance ??= { kind: 'cache', library: 'memory-cache', what: 'cache', creation: node, options: undefined, name, uses: [] };
    instance.uses.push({ call: node, method: 'put', reaches });
  }
  return instance;
}

/**
 * The longest a library cache serves an entry, in milliseconds: its TTL option or the TTL each
 * request-path fill passes (lru-cache `ttl`/`maxAge` and `set(k, v, { ttl })`, node-cache `stdTTL`
 * and `set(k, v, seconds)`, memory-cache `put(k, v, ms)`); Infinity without one; undefined when
 * the options cannot be seen.
 */
export function libraryStaleness(instance: LibraryInstance): number | undefined {
  if (instance.options === 'unknown') return undefined;
  const options = instance.options;
  const option = (name: string): number | undefined | null => {
    const property = options && findOption(options, name);
    if (!property) return null;
    return ts.isPropertyAssignment(property) ? constantNumber(property.initializer) : undefined;
  };
  let base: number | undefined;
  let perUse: (call: ts.CallExpression) => number | undefined | null;
  if (instance.library === 'lru-cache') {
    const ttlOption = option('ttl');
    const ttl = ttlOption === null ? option('maxAge') : ttlOption;
    // No ttl (or 0) keeps entries until they are evicted; a ttl the code computes cannot be judged.
    base = ttl === null ? Infinity : ttl === undefined ? undefined : ttl <= 0 ? Infinity : ttl;
    perUse = (call) => {
      const third = call.arguments[2] && skipOuterExpressions(call.arguments[2]);
      if (!third) return null;
      if (!ts.isObjectLiteralExpression(third)) return undefined;
      const ttl = findOption(third, 'ttl');
      return ttl ? (ts.isPropertyAssignment(ttl) ? constantNumber(ttl.initializer) : undefined) : null;
    };
  } else if (instance.library === 'node-cache') {
    const seconds = option('stdTTL');
    base = seconds === null || seconds === 0 ? Infinity : seconds === undefined ? undefined : seconds * 1000;
    perUse = (call) => (call.arguments[2] ? secondsToMs(constantNumber(call.arguments[2])) : null);
  } else if (instance.library === '@nestjs/cache-manager' || instance.library === '@nestjs/common') {
    // @nestjs/cache-manager forwards milliseconds and keeps entries without a ttl; the CacheModule of
    // @nestjs/common (cache-manager 4) took seconds and expired entries after 5 seconds by default.
    const unit = instance.library === '@nestjs/common' ? 1000 : 1;
    const ttl = option('ttl');
    base = ttl === null ? (unit === 1 ? Infinity : 5000) : ttl === undefined ? undefined : ttl <= 0 ? Infinity : ttl * unit;
    perUse = (call) => {
      const third = call.arguments[2] && skipOuterExpressions(call.arguments[2]);
      if (!third) return null;
      const option = ts.isObjectLiteralExpression(third) ? findOption(third, 'ttl') : undefined;
      const seconds = ts.isObjectLiteralExpression(third) ? (option && ts.isPropertyAssignment(option) ? constantNumber(option.initializer) : option ? undefined : null) : constantNumber(third);
      return seconds === null ? null : seconds === undefined ? undefined : seconds * unit;
    };
  } else if (instance.library === '@hapi/hapi') {
    // A server method's cache: its `expiresIn` in milliseconds (an `expiresAt` time of day cannot be judged here).
    const expiresIn = option('expiresIn');
    base = expiresIn === null || expiresIn === undefined ? undefined : expiresIn <= 0 ? Infinity : expiresIn;
    perUse = () => null;
  } else {
    base = Infinity;
    perUse = (call) => (call.arguments[2] ? constantNumber(call.arguments[2]) : null);
  }
  let longest = 0;
  for (const use of instance.uses) {
    if (!CACHE_FILL_METHODS.has(use.method)) continue;
    const own = use.method === 'fetch' ? null : perUse(use.call);
    const ttl = own === null ? base : own;
    if (ttl === undefined) return undefined;
    longest = Math.max(longest, ttl <= 0 ? Infinity : ttl);
  }
  return longest;
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds === 0 ? Infinity : seconds * 1000;
}

type Holder = { name: string; declaration: ts.VariableDeclaration } | { name: string; field: ts.ClassDeclaration; isStatic: boolean };

/**
 * The module binding or class field the instance is kept in, when it lives as long as the process:
 * `const cache = new LRUCache(…)`, `static lock = new Mutex()`, a singleton's `private cache = …`
 * or `this.cache = …` in its constructor. Instances created per call are not shared.
 */
function holderOf(creation: ts.CallExpression | ts.NewExpression, fn: ts.Node | undefined, singletons: ReadonlySet<ts.ClassLikeDeclaration>): Holder | undefined {
  let node: ts.Node = creation;
  // withTimeout(new Mutex(), ms) and other wrappers keep the instance.
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent) || (ts.isCallExpression(node.parent) && /(^|\.)withTimeout$/.test(node.parent.expression.getText())))) node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name) && fn === undefined && ts.isVariableStatement(parent.parent.parent) && ts.isSourceFile(parent.parent.parent.parent)) {
    return { name: parent.name.text, declaration: parent };
  }
  if (ts.isPropertyDeclaration(parent) && parent.initializer === node && ts.isClassDeclaration(parent.parent)) {
    const isStatic = ts.getModifiers(parent)?.some((m) => m.kind === SyntaxKind.StaticKeyword) ?? false;
    const name = propertyNameText(parent.name);
    if (name !== undefined && (isStatic || singletons.has(parent.parent))) return { name, field: parent.parent, isStatic };
  }
  if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === SyntaxKind.EqualsToken && fn && ts.isConstructorDeclaration(fn) && ts.isClassDeclaration(fn.parent)) {
    const left = skipOuterExpressions(parent.left);
    if (ts.isPropertyAccessExpression(left) && left.expression.kind === SyntaxKind.ThisKeyword && singletons.has(fn.parent)) return { name: left.name.text, field: fn.parent, isStatic: false };
  }
  return undefined;
}

/**
 * Calls on the instance (`cache.set`, `this.mutex.runExclusive`, `limit(() => …)`) reached from a
 * request handler, and the calls that invalidate its entries wherever they are written (a model
 * hook, a settings route): `cache.del(id)`, `cache.reset()`, `cache.set(id, req.body)`.
 */
function usesOf(graph: RequestGraph, holder: Holder): Pick<LibraryInstance, 'uses' | 'invalidations' | 'reads'> {
  const uses: LibraryInstance['uses'] = [];
  const readsFound: NonNullable<LibraryInstance['reads']>[number][] = [];
  const invalidations: ts.CallExpression[] = [];
  // A module binding is used through imports too (`const { lock } = require('./utils')`): the
  // resolver follows them, typed or not, so every file of the graph that names it is read.
  for (const file of graph.files) {
    if (!file.text.includes(holder.name)) continue;
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isCallExpression(node)) continue;
      const callee = skipOuterExpressions(node.expression);
      const receiver = ts.isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : callee;
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : '(call)';
      const drops = CACHE_DROP_METHODS.has(method);
      const reads = CACHE_READ_METHODS.has(method);
      if (!LOCK_METHODS.has(method) && !CACHE_FILL_METHODS.has(method) && !drops && !reads) continue;
      if (!refersTo(graph, receiver, holder)) continue;
      if (reads) {
        const readReaches = graph.reachesOf(node);
        if (readReaches.length > 0) readsFound.push({ call: node, method, reaches: readReaches });
        if (method !== 'take') continue;
      }
      if (drops || (method === 'set' && writesRequestDataThrough(node, file))) invalidations.push(node);
      if (drops) continue;
      const reaches = graph.reachesOf(node);
      if (reaches.length > 0) uses.push({ call: node, method, reaches });
    }
  }
  // Untyped, an importer's invalidation may go through a name the resolver cannot follow: a binding the file exports may be invalidated where it is imported.
  const unseen = !graph.resolver.checker && 'declaration' in holder && exportsBinding(holder.declaration);
  return { uses, invalidations: unseen && invalidations.length === 0 ? undefined : invalidations, reads: readsFound };
}

/** What draws a key no other login has: a random id, or openid-client's state, nonce and PKCE verifier. */
const LOGIN_KEY = /\b(?:randomUUID|uuid|uuidv4|v4|nanoid|randomBytes|cuid|createId|ulid|generateId|generateToken|createToken)\s*\(|\bgenerators\.(?:state|nonce|codeVerifier)\s*\(/;

/**
 * A cache library used as a store of pending logins: a request puts an entry under a key it draws
 * at random (`cache.set(generators.state(), { codeVerifier })`, the state it hands the identity
 * provider), and another route reads it back by that key (the callback). The callback that reaches
 * another instance finds nothing. Undefined when the instance is no such store.
 */
export function pendingLoginStore(instance: LibraryInstance): { fills: LibraryInstance['uses']; reads: NonNullable<LibraryInstance['reads']> } | undefined {
  if (instance.kind !== 'cache' || !instance.reads) return undefined;
  const fills = instance.uses.filter((use) => use.method === 'set' && drawsKey(use.call.arguments[0]));
  if (fills.length === 0) return undefined;
  const fillEntries = new Set(fills.flatMap((use) => use.reaches.map((reach) => reach.entry)));
  const reads = instance.reads.filter((read) => read.reaches.some((reach) => !fillEntries.has(reach.entry)));
  return reads.length > 0 ? { fills, reads } : undefined;
}

/** A key drawn at random where it is used, or in the local it names (a `case` clause's own too: `case 'oidc': const state = generators.state()`). */
function drawsKey(key: ts.Expression | undefined): boolean {
  if (!key) return false;
  const value = skipOuterExpressions(key);
  const text = ts.isIdentifier(value) ? localInitializer(value)?.getText() ?? '' : value.getText();
  return LOGIN_KEY.test(text);
}

/** `export const cache = …`, `module.exports = cache`, `exports.cache = cache`, `export { cache }`, `module.exports = { cache }`. */
function exportsBinding(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent.parent;
  if (ts.isVariableStatement(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === SyntaxKind.ExportKeyword)) return true;
  if (!ts.isIdentifier(declaration.name)) return true;
  const name = declaration.name.text.replace(/\$/g, '\\$');
  return new RegExp(`(module\\.)?exports(\\.[\\w$]+)?\\s*=\\s*(\\{[^}]*)?\\b${name}\\b|export\\s*(default\\s+${name}\\b|\\{[^}]*\\b${name}\\b)`).test(declaration.getSourceFile().text);
}

/**
 * `cache.set(id, req.body)` on a save route: what a request sent, written over the entry. A fill
 * behind a miss check (`if (hit) return hit; … cache.set(k, ctx.body)`) answers the miss instead.
 */
function writesRequestDataThrough(call: ts.CallExpression, file: ts.SourceFile): boolean {
  const value = call.arguments[1];
  if (value === undefined || !isRequestData(skipOuterExpressions(value))) return false;
  const mutation = getFileFacts(file).mutations.find((candidate) => candidate.node === call);
  return mutation === undefined || !isFill(mutation);
}

function refersTo(graph: RequestGraph, receiver: ts.Expression, holder: Holder): boolean {
  if ('declaration' in holder) return ts.isIdentifier(receiver) && receiver.text === holder.name && moduleDeclarationOf(graph, receiver) === holder.declaration;
  if (!ts.isPropertyAccessExpression(receiver) || receiver.name.text !== holder.name) return false;
  const owner = skipOuterExpressions(receiver.expression);
  if (owner.kind === SyntaxKind.ThisKeyword) {
    const enclosing = enclosingClass(receiver);
    return enclosing?.declaration === holder.field && enclosing.isStatic === holder.isStatic;
  }
  // Class.lock.acquire(): a static field through the class name.
  return holder.isStatic && ts.isIdentifier(owner) && owner.text === holder.field.name?.text;
}

function limitOf(argument: ts.Expression, facts: FileFacts): number | undefined {
  const value = skipOuterExpressions(argument);
  if (ts.isNumericLiteral(value)) return Number(value.text);
  const options = optionsObject(value, facts);
  if (!options || options === 'unknown') return undefined;
  const concurrency = findOption(options, 'concurrency');
  return concurrency && ts.isPropertyAssignment(concurrency) && ts.isNumericLiteral(skipOuterExpressions(concurrency.initializer)) ? Number(skipOuterExpressions(concurrency.initializer).getText()) : undefined;
}

/** `new Bottleneck({ maxConcurrent: 1 })` without a Redis datastore (clustered limiters are shared). */
function limiterOfOne(call: ts.CallExpression | ts.NewExpression, facts: FileFacts): boolean {
  const options = optionsObject(call.arguments?.[0], facts);
  if (!options || options === 'unknown') return false;
  const concurrent = findOption(options, 'maxConcurrent');
  const datastore = findOption(options, 'datastore');
  if (datastore && !(ts.isPropertyAssignment(datastore) && /^['"]local['"]$/.test(datastore.initializer.getText()))) return false;
  return concurrent !== undefined && ts.isPropertyAssignment(concurrent) && skipOuterExpressions(concurrent.initializer).getText() === '1';
}
