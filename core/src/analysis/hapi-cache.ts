import ts = require('typescript');
import { getFileFacts, type FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { findOption, optionsObject } from './options';
import type { RequestGraph } from './request-graph';
import { localInitializer } from './scope';
import type { LibraryInstance } from './state-libraries';
import { propertyNameText, skipOuterExpressions } from './text';
import { moduleSpecifiers } from '../project-index/import-scan';

const HAPI_MODULES = new Set(['@hapi/hapi', 'hapi']);
/** A cache provider other than catbox-memory named anywhere in the project: the server's caches may be shared. */
const SHARED_PROVIDER = /catbox-(redis|memcached|mongodb|s3|object)|catbox\/lib\/redis/;

/**
 * hapi's server methods cached in the server's default cache: `server.method('getUser', getUser, {
 * cache: { expiresIn } })` on a hapi server (`Hapi.server()`, or the `server` a plugin's `register`
 * receives) keeps each result in catbox-memory, one per process, unless the server is given another
 * provider. Reported at the `server.method(…)` call, with the request-path calls of
 * `server.methods.getUser(…)` as its fills and `server.methods.getUser.cache.drop(…)` as its
 * invalidations. A method cached in a named cache (`cache: { cache: 'redis' }`) is in a cache the
 * server was given: quiet.
 */
export function hapiMemoryCaches(graph: RequestGraph, facts: FileFacts): LibraryInstance[] {
  if (!facts.sourceFile.text.includes('.method(') || !facts.sourceFile.text.includes('cache')) return [];
  const instances: LibraryInstance[] = [];
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node) || node.arguments.length < 3) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'method') continue;
    const receiver = skipOuterExpressions(callee.expression);
    if (!ts.isIdentifier(receiver) || !isHapiServer(receiver, facts)) continue;
    const nameArgument = skipOuterExpressions(node.arguments[0]);
    if (!ts.isStringLiteralLike(nameArgument)) continue;
    const methodOptions = optionsObject(node.arguments[2], facts);
    if (!methodOptions || methodOptions === 'unknown') continue;
    const cacheProperty = findOption(methodOptions, 'cache');
    if (!cacheProperty || !ts.isPropertyAssignment(cacheProperty)) continue;
    const cacheOptions = skipOuterExpressions(cacheProperty.initializer);
    if (!ts.isObjectLiteralExpression(cacheOptions) || findOption(cacheOptions, 'cache')) continue;
    // A shared catbox provider the service loads (`provider: require('@hapi/catbox-redis')`), not one a comment or a document names.
    if (graph.files.some((file) => SHARED_PROVIDER.test(file.text) && moduleSpecifiers(file.text).some((specifier) => SHARED_PROVIDER.test(specifier)))) continue;
    const { uses, invalidations } = methodCalls(graph, nameArgument.text);
    instances.push({ kind: 'cache', library: '@hapi/hapi', what: 'server.method', creation: node, options: cacheOptions, name: nameArgument.text, uses, invalidations });
  }
  return instances;
}

/** `Hapi.server(…)`/`new Hapi.Server(…)` kept in a local, or the first parameter of a plugin's `register`. */
function isHapiServer(receiver: ts.Identifier, facts: FileFacts): boolean {
  const initializer = localInitializer(receiver);
  if (initializer) {
    let value = skipOuterExpressions(initializer);
    if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
    if (!ts.isCallExpression(value) && !ts.isNewExpression(value)) return false;
    const member = resolveImportedMember(value.expression, facts.imports);
    return member !== undefined && HAPI_MODULES.has(member.module) && ['server', 'Server'].includes(member.path[member.path.length - 1] ?? '');
  }
  for (let current: ts.Node | undefined = receiver.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const first = current.parameters[0];
    if (!first || !ts.isIdentifier(first.name) || first.name.text !== receiver.text) continue;
    const holder = ts.isMethodDeclaration(current) ? current : current.parent;
    return (ts.isMethodDeclaration(holder) || ts.isPropertyAssignment(holder)) && propertyNameText(holder.name) === 'register';
  }
  return false;
}

/** `….methods.<name>(…)` on a request path (each fills the cache on a miss), and `….methods.<name>.cache.drop(…)` anywhere. */
function methodCalls(graph: RequestGraph, name: string): { uses: LibraryInstance['uses']; invalidations: ts.CallExpression[] } {
  const uses: LibraryInstance['uses'] = [];
  const invalidations: ts.CallExpression[] = [];
  const isMethodsMember = (expression: ts.Expression): boolean => {
    const value = skipOuterExpressions(expression);
    return ts.isPropertyAccessExpression(value) && value.name.text === name && ts.isPropertyAccessExpression(skipOuterExpressions(value.expression)) && (skipOuterExpressions(value.expression) as ts.PropertyAccessExpression).name.text === 'methods';
  };
  for (const file of graph.files) {
    if (!file.text.includes(name)) continue;
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isCallExpression(node)) continue;
      const callee = skipOuterExpressions(node.expression);
      if (isMethodsMember(callee)) {
        const reaches = graph.reachesOf(node);
        if (reaches.length > 0) uses.push({ call: node, method: 'fetch', reaches });
        continue;
      }
      // server.methods.getUser.cache.drop(id)
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'drop') continue;
      const cache = skipOuterExpressions(callee.expression);
      if (ts.isPropertyAccessExpression(cache) && cache.name.text === 'cache' && isMethodsMember(cache.expression)) invalidations.push(node);
    }
  }
  return { uses, invalidations };
}
