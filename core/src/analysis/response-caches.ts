import ts = require('typescript');
import { getFileFacts, type FileFacts } from './file-facts';
import { findOption, optionsObject } from './options';
import type { Reach, RequestGraph } from './request-graph';
import { localInitializer } from './scope';
import { constantNumber } from './staleness';
import { skipOuterExpressions, stringValue } from './text';

// Response-cache middleware that keeps whole responses in process memory (apicache and its fork
// apicache-plus, also a copy vendored into the project's own folder): each instance serves its own
// copy of a response until the duration ends, whatever another instance changed meanwhile.

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

const RESPONSE_CACHE_MODULE = /(^|\/)(apicache|apicache-plus)(\/index(\.[cm]?[jt]s)?)?$/;
/** apicache's duration when a route names none. */
const DEFAULT_DURATION_MS = 3_600_000;
const UNIT_MS: Record<string, number> = { ms: 1, millisecond: 1, second: 1000, sec: 1000, minute: 60_000, min: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000, month: 2_592_000_000 };
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'use', 'head', 'options']);

/** A response-cache middleware factory (`apicache.middleware`) that routes use with an in-memory store. */
export interface ResponseCache {
  /** The `….middleware` access: where the finding goes. */
  node: ts.PropertyAccessExpression;
  library: string;
  /** The binding the routes call (`cache` in `const cache = apicache.middleware`), else `apicache.middleware`. */
  name: string;
  /** Routes call the binding `name`, not the access itself. */
  bound: boolean;
  /** Each route's use (`cache('5 minutes')` among a route's handlers) with the routes it serves. */
  uses: { call: ts.CallExpression; reaches: readonly Reach[]; label: string | undefined }[];
  /** The longest duration a use keeps a response, in milliseconds; undefined when one cannot be read. */
  staleness: number | undefined;
}

/** Response caches this file creates whose middleware a route of this file uses, unless the cache is given a Redis client anywhere the analysis sees. */
export function findResponseCaches(graph: RequestGraph, sourceFile: ts.SourceFile): ResponseCache[] {
  if (!sourceFile.text.includes('middleware')) return [];
  const facts = getFileFacts(sourceFile);
  const found: ResponseCache[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'middleware') {
      const cache = responseCacheOf(node, facts);
      if (cache) found.push(cache);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (found.length === 0 || sharedStoreConfigured(graph)) return [];
  for (const cache of found) cache.uses = usesOf(graph, cache, facts);
  return found.filter((cache) => cache.uses.length > 0).map((cache) => ({ ...cache, staleness: longestDuration(cache.uses) }));
}

function responseCacheOf(access: ts.PropertyAccessExpression, facts: FileFacts): ResponseCache | undefined {
  const origin = cacheInstanceOf(access.expression, facts, 0);
  if (!origin || origin.redis) return undefined;
  const parent = skipOuterExpressions(access).parent;
  const bound = ts.isVariableDeclaration(parent) && parent.initializer && skipOuterExpressions(parent.initializer) === access && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  let root: ts.Expression = access.expression;
  while (ts.isCallExpression(root) || ts.isPropertyAccessExpression(root) || ts.isParenthesizedExpression(root)) root = root.expression;
  return { node: access, library: origin.library, name: bound ?? `${root.getText()}.middleware`, bound: bound !== undefined, uses: [], staleness: undefined };
}

/**
 * Whether an expression is an apicache instance: the module itself, `apicache.options({…})` (which
 * returns it), `apicache.newInstance({…})`, or a module binding initialised with one of those. Says
 * whether the options in the chain give it a Redis client.
 */
function cacheInstanceOf(expression: ts.Expression, facts: FileFacts, depth: number): { library: string; redis: boolean } | undefined {
  if (depth > 4) return undefined;
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) {
    const binding = facts.imports.get(value.text);
    if (binding && binding.path.length === 0 && RESPONSE_CACHE_MODULE.test(binding.module)) return { library: binding.module.includes('apicache-plus') ? 'apicache-plus' : 'apicache', redis: false };
    const initializer = binding ? undefined : (localInitializer(value) ?? moduleInitializer(value, facts));
    return initializer ? cacheInstanceOf(initializer, facts, depth + 1) : undefined;
  }
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && (value.expression.name.text === 'options' || value.expression.name.text === 'newInstance')) {
    const inner = cacheInstanceOf(value.expression.expression, facts, depth + 1);
    return inner && { library: inner.library, redis: inner.redis || givesRedisClient(value.arguments[0], facts) };
  }
  return undefined;
}

function moduleInitializer(identifier: ts.Identifier, facts: FileFacts): ts.Expression | undefined {
  const declaration = facts.topLevel.get(identifier.text);
  return declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
}

/** `{ redisClient: … }` (or a spread that may bring one, or options the analysis cannot see). */
function givesRedisClient(argument: ts.Expression | undefined, facts: FileFacts): boolean {
  if (!argument) return false;
  const options = optionsObject(argument, facts);
  if (options === 'unknown') return true;
  return options !== undefined && findOption(options, 'redisClient') !== undefined;
}

const sharedStores = new WeakMap<RequestGraph, boolean>();

/** `apicache.options({ redisClient })` anywhere in the graph's files (set once at start-up, it changes the default instance every route uses). */
function sharedStoreConfigured(graph: RequestGraph): boolean {
  let shared = sharedStores.get(graph);
  if (shared !== undefined) return shared;
  shared = false;
  for (const file of graph.files) {
    if (shared || !file.text.includes('redisClient')) continue;
    const facts = getFileFacts(file);
    for (const { node } of facts.calls) {
      if (!ts.isCallExpression(node)) continue;
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'options' && cacheInstanceOf(callee.expression, facts, 0) && givesRedisClient(node.arguments[0], facts)) shared = true;
    }
  }
  sharedStores.set(graph, shared);
  return shared;
}

/** `cache('5 minutes')` (or `apicache.middleware('1 hour')`) given to a route or `use` of this file. */
function usesOf(graph: RequestGraph, cache: ResponseCache, facts: FileFacts): ResponseCache['uses'] {
  const uses: ResponseCache['uses'] = [];
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const callee = skipOuterExpressions(node.expression);
    const isUse = callee === cache.node || (cache.bound && ts.isIdentifier(callee) && callee.text === cache.name);
    if (!isUse) continue;
    const registration = skipOuterExpressions(node).parent;
    if (!ts.isCallExpression(registration) || !registration.arguments.some((argument) => skipOuterExpressions(argument) === node)) continue;
    const method = skipOuterExpressions(registration.expression);
    if (!ts.isPropertyAccessExpression(method) || !ROUTE_METHODS.has(method.name.text)) continue;
    const reaches = graph.entries.filter((entry) => entry.registration === registration).map((entry) => ({ entry, calls: [] }));
    const file = registration.getSourceFile();
    const line = file.getLineAndCharacterOfPosition(registration.getStart(file)).line + 1;
    uses.push({ call: node, reaches, label: reaches.length > 0 ? undefined : `\`${method.getText().replace(/\s+/g, '')}(…)\` (${graph.displayPath(file.fileName)}:${line})` });
  }
  return uses;
}

/** The longest duration the uses keep a response: `'5 minutes'`, a number of milliseconds, or apicache's default hour. */
function longestDuration(uses: ResponseCache['uses']): number | undefined {
  let longest = 0;
  for (const { call } of uses) {
    const argument = call.arguments[0];
    const duration = argument === undefined ? DEFAULT_DURATION_MS : durationOf(argument);
    if (duration === undefined) return undefined;
    longest = Math.max(longest, duration);
  }
  return longest;
}

function durationOf(argument: ts.Expression): number | undefined {
  const text = stringValue(argument);
  if (text === undefined) {
    const value = skipOuterExpressions(argument);
    return value.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined') ? DEFAULT_DURATION_MS : constantNumber(argument);
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*$/i.exec(text);
  const unit = match && UNIT_MS[match[2].toLowerCase()];
  return match && unit ? Number(match[1]) * unit : undefined;
}
