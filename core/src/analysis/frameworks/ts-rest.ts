import ts = require('typescript');
import { resolveImportedMember } from '../imports';
import { localInitializer } from '../scope';
import { propertyNameText, skipOuterExpressions } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

/** The ts-rest server adapters whose `initServer()` makes routers of request handlers (not `@ts-rest/core`'s client or contract). */
const SERVER_MODULES = new Set(['@ts-rest/express', '@ts-rest/fastify']);
const NESTED_LIMIT = 8;

/**
 * ts-rest: `const s = initServer(); export default s.router(quotesContract, { approve: { handler: async (r) => … } })`
 * (or `approve: async (r) => …`), which `createExpressEndpoints(contract, router, app)` or the Fastify adapter's
 * `registerRouter` serves: each handler of the object is a route, labelled by its keys (`ts-rest approve`; a router
 * written inline under a key, `{ quotes: { approve: … } }`, as `quotes.approve`). A router another router only
 * names (`{ quotes }`) is found where it is written. `initContract().router(…)` (the contract, shared with the
 * browser client) makes no handlers and is not read.
 */
export function detectTsRest(context: DetectorContext, found: EntryCandidate[]): void {
  const { facts } = context;
  if (![...facts.imports.values()].some((binding) => SERVER_MODULES.has(binding.module))) return;
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node) || node.arguments.length < 2) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'router' || !isServer(context, callee.expression)) continue;
    const routes = skipOuterExpressions(node.arguments[1]);
    if (ts.isObjectLiteralExpression(routes)) collectHandlers(routes, [], found, 0);
  }
}

/** `initServer()` itself, or a variable given it (`const s = initServer()`), from a ts-rest server adapter. */
function isServer(context: DetectorContext, receiver: ts.Expression): boolean {
  let value = skipOuterExpressions(receiver);
  if (ts.isIdentifier(value)) {
    const initializer = context.facts.topLevel.has(value.text) ? topLevelInitializer(context, value.text) : localInitializer(value);
    if (!initializer) return false;
    value = skipOuterExpressions(initializer);
  }
  if (!ts.isCallExpression(value)) return false;
  const member = resolveImportedMember(value.expression, context.facts.imports);
  return member !== undefined && SERVER_MODULES.has(member.module) && member.path.join('.') === 'initServer';
}

function topLevelInitializer(context: DetectorContext, name: string): ts.Expression | undefined {
  const declaration = context.facts.topLevel.get(name);
  return declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
}

function collectHandlers(routes: ts.ObjectLiteralExpression, keys: readonly string[], found: EntryCandidate[], depth: number): void {
  if (depth > NESTED_LIMIT) return;
  for (const property of routes.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isMethodDeclaration(property)) continue;
    const key = propertyNameText(property.name);
    if (key === undefined) continue;
    const path = [...keys, key];
    const label = `ts-rest ${path.join('.')}`;
    if (ts.isMethodDeclaration(property)) {
      found.push({ label, framework: 'ts-rest', registration: property, handlers: [property] });
      continue;
    }
    const value = skipOuterExpressions(property.initializer);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
      found.push({ label, framework: 'ts-rest', registration: property, handlers: [value] });
      continue;
    }
    if (!ts.isObjectLiteralExpression(value)) continue;
    // `{ middleware: [...], handler: async (r) => … }`: a route with its options; else a router written inline.
    const handler = value.properties.find((member) => (ts.isPropertyAssignment(member) || ts.isMethodDeclaration(member) || ts.isShorthandPropertyAssignment(member)) && propertyNameText(member.name) === 'handler');
    if (handler && ts.isPropertyAssignment(handler)) found.push({ label, framework: 'ts-rest', registration: property, handlers: [handler.initializer] });
    else if (handler && ts.isMethodDeclaration(handler)) found.push({ label, framework: 'ts-rest', registration: property, handlers: [handler] });
    else if (handler && ts.isShorthandPropertyAssignment(handler)) found.push({ label, framework: 'ts-rest', registration: property, handlers: [handler.name] });
    else collectHandlers(value, path, found, depth + 1);
  }
}
