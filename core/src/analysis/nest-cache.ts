import ts = require('typescript');
import { getFileFacts, type FileFacts } from './file-facts';
import { decoratorsOf } from './frameworks/nest';
import { resolveImportedMember } from './imports';
import { findOption, optionsObject } from './options';
import type { RequestGraph } from './request-graph';
import { enclosingClass } from './resolve';
import type { LibraryInstance } from './state-libraries';
import { propertyNameText, skipOuterExpressions } from './text';

const NEST_CACHE_MODULES = new Set(['@nestjs/cache-manager', '@nestjs/common']);

/**
 * Nest's `CacheModule.register()` (or `registerAsync` whose factory returns its options) without a
 * `store`/`stores`, or with a `stores` list kept in memory (`memoryStoreOfList`): cache-manager's
 * in-memory store, one per process, filled through the
 * `@Inject(CACHE_MANAGER)` field of providers and controllers. Reported at the registration, with
 * the request-path `set` calls as its fills.
 */
export function nestMemoryCaches(graph: RequestGraph, facts: FileFacts): LibraryInstance[] {
  if (!facts.sourceFile.text.includes('CacheModule')) return [];
  const instances: LibraryInstance[] = [];
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const member = resolveImportedMember(node.expression, facts.imports);
    if (!member || !NEST_CACHE_MODULES.has(member.module)) continue;
    const registration = member.path.join('.');
    if (registration !== 'CacheModule.register' && registration !== 'CacheModule.registerAsync') continue;
    const options = registration === 'CacheModule.register' ? optionsObject(node.arguments[0], facts) : factoryOptions(node.arguments[0], facts);
    if (options === 'unknown') continue;
    const memoryStore = options && findOption(options, 'stores') ? memoryStoreOfList(options, facts) : undefined;
    if (options && !memoryStore && (hasOption(options, 'store') || hasOption(options, 'stores'))) continue;
    const uses = cacheManagerSets(graph);
    // The TTL of the in-memory store itself (`new CacheableMemory({ ttl })`) when the module's options give none.
    const ttlOptions = options && !findOption(options, 'ttl') && memoryStore && memoryStore !== 'default' && findOption(memoryStore, 'ttl') ? memoryStore : options;
    instances.push({ kind: 'cache', library: member.module, what: 'CacheModule', creation: node, options: ttlOptions, name: 'CacheModule', uses });
  }
  return instances;
}

/**
 * cache-manager 6's `stores` list kept in this process: an empty list (the default in-memory Keyv), or
 * a single store that is Keyv over memory in some configuration, `[redis ? new KeyvRedis(url) : new
 * Keyv({ store: new CacheableMemory({ ttl }) })]`: the in-memory store's options (`'default'` when it
 * has none). A list with another store beside the memory one (a Redis second tier) is shared.
 */
function memoryStoreOfList(options: ts.ObjectLiteralExpression, facts: FileFacts): ts.ObjectLiteralExpression | 'default' | undefined {
  const property = findOption(options, 'stores');
  if (!property || !ts.isPropertyAssignment(property)) return undefined;
  const list = skipOuterExpressions(property.initializer);
  if (!ts.isArrayLiteralExpression(list)) return undefined;
  if (list.elements.length === 0) return 'default';
  if (list.elements.length !== 1) return undefined;
  return memoryStoreIn(list.elements[0], facts);
}

/** `new Keyv()`, `new Keyv({ store: new CacheableMemory(…) })`, `new CacheableMemory(…)`, `createKeyv()` of cacheable, or either branch of a configuration's choice. */
function memoryStoreIn(expression: ts.Expression, facts: FileFacts): ts.ObjectLiteralExpression | 'default' | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isConditionalExpression(value)) return memoryStoreIn(value.whenTrue, facts) ?? memoryStoreIn(value.whenFalse, facts);
  if (!ts.isNewExpression(value) && !ts.isCallExpression(value)) return undefined;
  const member = resolveImportedMember(value.expression, facts.imports);
  const created = member?.path.join('.');
  const argument = value.arguments?.[0] && skipOuterExpressions(value.arguments[0]);
  const ownOptions = argument && ts.isObjectLiteralExpression(argument) ? argument : 'default';
  if (member?.module === 'cacheable' && (created === 'CacheableMemory' || created === 'KeyvCacheableMemory' || created === 'createKeyv')) return ownOptions;
  if (member?.module !== 'keyv' || !ts.isNewExpression(value) || (created !== 'Keyv' && created !== '')) return undefined;
  // Keyv without a store keeps its entries in a Map of this process.
  const store = ownOptions === 'default' ? undefined : findOption(ownOptions, 'store');
  if (!store) return ownOptions;
  return ts.isPropertyAssignment(store) ? memoryStoreIn(store.initializer, facts) : undefined;
}

/** A store named in the options, or options spread in from elsewhere (which may name one). */
function hasOption(options: ts.ObjectLiteralExpression, name: string): boolean {
  const property = findOption(options, name);
  if (!property) return false;
  if (ts.isSpreadAssignment(property)) return true;
  // store: 'memory' is the default, spelled out.
  return !(ts.isPropertyAssignment(property) && ts.isStringLiteralLike(property.initializer) && property.initializer.text === 'memory');
}

/** `registerAsync({ useFactory: () => ({ ttl }) })`: the object the factory returns, `unknown` when it cannot be seen. */
function factoryOptions(argument: ts.Expression | undefined, facts: FileFacts): ts.ObjectLiteralExpression | undefined | 'unknown' {
  const options = optionsObject(argument, facts);
  if (!options || options === 'unknown') return 'unknown';
  const factory = findOption(options, 'useFactory');
  if (!factory || !ts.isPropertyAssignment(factory)) return 'unknown';
  const fn = skipOuterExpressions(factory.initializer);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return 'unknown';
  const returned = ts.isBlock(fn.body) ? fn.body.statements.filter(ts.isReturnStatement).map((statement) => statement.expression) : [fn.body];
  if (returned.length !== 1 || !returned[0]) return 'unknown';
  const value = skipOuterExpressions(returned[0]);
  return ts.isObjectLiteralExpression(value) ? value : 'unknown';
}

const setsOf = new WeakMap<RequestGraph, { files: number; uses: LibraryInstance['uses'] }>();

/** `this.cacheManager.set(…)` reached from a handler, where the class injects `cacheManager` with `@Inject(CACHE_MANAGER)`. */
function cacheManagerSets(graph: RequestGraph): LibraryInstance['uses'] {
  const cached = setsOf.get(graph);
  if (cached?.files === graph.files.length) return cached.uses;
  const uses: LibraryInstance['uses'] = [];
  for (const file of graph.files) {
    if (!file.text.includes('CACHE_MANAGER')) continue;
    const facts = getFileFacts(file);
    const fields = new Map<ts.ClassLikeDeclaration, Set<string>>();
    for (const declaration of facts.classes) {
      const names = injectedCacheManagers(declaration);
      if (names.size > 0) fields.set(declaration, names);
    }
    if (fields.size === 0) continue;
    for (const { node } of facts.calls) {
      if (!ts.isCallExpression(node)) continue;
      const callee = skipOuterExpressions(node.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'set') continue;
      const receiver = skipOuterExpressions(callee.expression);
      if (!ts.isPropertyAccessExpression(receiver) || receiver.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
      const owner = enclosingClass(receiver);
      if (!owner || owner.isStatic || !fields.get(owner.declaration)?.has(receiver.name.text)) continue;
      const reaches = graph.reachesOf(node);
      if (reaches.length > 0) uses.push({ call: node, method: 'set', reaches });
    }
  }
  setsOf.set(graph, { files: graph.files.length, uses });
  return uses;
}

/** Constructor parameter properties and fields decorated `@Inject(CACHE_MANAGER)`. */
function injectedCacheManagers(declaration: ts.ClassDeclaration): Set<string> {
  const names = new Set<string>();
  const injected = (node: ts.Node): boolean => decoratorsOf(node).some((decorator) => decorator.name === 'Inject' && decorator.call?.arguments[0]?.getText() === 'CACHE_MANAGER');
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && injected(member)) {
      const name = propertyNameText(member.name);
      if (name !== undefined) names.add(name);
    }
    if (!ts.isConstructorDeclaration(member)) continue;
    for (const parameter of member.parameters) {
      if (ts.isIdentifier(parameter.name) && injected(parameter) && ts.getModifiers(parameter)?.length) names.add(parameter.name.text);
    }
  }
  return names;
}
