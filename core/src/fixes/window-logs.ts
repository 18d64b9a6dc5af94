import ts = require('typescript');
import type { SharedState } from '../analysis/shared-state';
import { localInitializer } from '../analysis/scope';
import { skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { referencesOf } from './references';
import { isNow, literalValue } from './windowed-counts';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Array methods that give a new array of the entries (what a log trimmed to its window is set to). */
const NEW_ARRAY = new Set(['filter', 'slice', 'concat', 'map']);

/**
 * A `Map` whose values are lists of entries per key, counted against a limit: a sliding window's
 * log of times per client, as rate limits are written by hand:
 *
 *     const times = (recentOrders.get(customerId) || []).filter((t) => t > hourAgo);
 *     recentOrders.set(customerId, times);
 *     if (times.length >= limit) …
 *     recentOrders.get(customerId).push(Date.now());
 *
 * No count the Redis counter holds: the lists move to the Redis store as they are, each instance
 * appending to and reading the same list. What the Map is declared to hold says so when typed
 * (`Map<string, number[]>`); untyped, what is set and pushed (an array, a filtered copy, a push
 * onto a value read from the Map) and nothing set that is a number or a record.
 */
export function isEntryLog(state: SharedState, context: FixContext): boolean {
  const name = state.nameNode;
  const declaration = name.parent;
  if (state.holds !== 'map' || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const created = skipOuterExpressions(declaration.initializer);
  if (!ts.isNewExpression(created) || created.expression.getText() !== 'Map' || (created.arguments?.length ?? 0) > 0) return false;
  const valueType = created.typeArguments?.[1] ?? (declaration.type && ts.isTypeReferenceNode(declaration.type) ? declaration.type.typeArguments?.[1] : undefined);
  if (valueType) return ts.isArrayTypeNode(valueType) || (ts.isTypeReferenceNode(valueType) && /^(Readonly)?Array$/.test(valueType.typeName.getText()));
  let lists = 0;
  for (const reference of referencesOf(context.program, declaration.name as ts.Identifier)) {
    const access = reference.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== reference || !ts.isCallExpression(access.parent) || access.parent.expression !== access) continue;
    const call = access.parent;
    if (access.name.text === 'set') {
      const stored = call.arguments[1];
      if (!stored || !isNewArray(stored)) return false;
      lists++;
    }
    if (access.name.text === 'get' && isPushOnto(call)) lists++;
  }
  return lists > 0;
}

/**
 * The window a log's entries are kept for, in whole seconds (rounded up), read from the filter that
 * trims what is read from the Map: `(t) => t > cutoff` with `cutoff = Date.now() - LENGTH` (or `now -
 * LENGTH`), or `(t) => now - t < LENGTH`, LENGTH a number the code spells out. Undefined when no
 * such filter says it.
 */
export function logWindowSeconds(state: SharedState, context: FixContext): number | undefined {
  const declaration = state.nameNode.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  let longest: number | undefined;
  for (const reference of referencesOf(context.program, declaration.name)) {
    const access = reference.parent;
    if (!ts.isPropertyAccessExpression(access) || access.name.text !== 'get' || !ts.isCallExpression(access.parent)) continue;
    const filter = filterOf(access.parent);
    const length = filter && windowOf(filter);
    if (length === undefined) continue;
    longest = Math.max(longest ?? 0, length);
  }
  return longest === undefined ? undefined : Math.ceil(longest / 1000);
}

/** `m.get(k).push(x)` as a statement of its own. */
export function isPushOnto(read: ts.CallExpression): boolean {
  const access = read.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== read || access.name.text !== 'push') return false;
  const push = access.parent;
  return ts.isCallExpression(push) && push.expression === access && push.arguments.length > 0 && ts.isExpressionStatement(push.parent);
}

function isNewArray(expression: ts.Expression, depth = 0): boolean {
  const value = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(value)) return true;
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression)) return NEW_ARRAY.has(value.expression.name.text) || (value.expression.name.text === 'from' && value.expression.expression.getText() === 'Array');
  if (ts.isIdentifier(value) && depth < 3) {
    const initializer = localInitializer(value);
    return initializer !== undefined && isNewArray(initializer, depth + 1);
  }
  return false;
}

/** The `filter` callback applied to what `read` gave: `(m.get(k) || []).filter(cb)`, `m.get(k)?.filter(cb)`. */
function filterOf(read: ts.CallExpression): ts.Expression | undefined {
  let value: ts.Expression = read;
  for (;;) {
    const parent = value.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent)) value = parent;
    else if (ts.isBinaryExpression(parent) && parent.left === value && (parent.operatorToken.kind === SyntaxKind.BarBarToken || parent.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) value = parent;
    else break;
  }
  const access = value.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== value || access.name.text !== 'filter' || !ts.isCallExpression(access.parent)) return undefined;
  return access.parent.arguments[0];
}

/** The length in ms of the window a filter callback keeps, when it is spelled out. */
function windowOf(callback: ts.Expression): number | undefined {
  const fn = skipOuterExpressions(callback);
  if ((!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) || fn.parameters.length < 1 || !ts.isIdentifier(fn.parameters[0].name)) return undefined;
  const entry = fn.parameters[0].name.text;
  let body: ts.Node = fn.body;
  if (ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    if (!only || !ts.isReturnStatement(only) || !only.expression) return undefined;
    body = only.expression;
  }
  const comparison = skipOuterExpressions(body as ts.Expression);
  if (!ts.isBinaryExpression(comparison)) return undefined;
  const operator = comparison.operatorToken.kind;
  const isEntry = (node: ts.Expression): boolean => ts.isIdentifier(skipOuterExpressions(node)) && (skipOuterExpressions(node) as ts.Identifier).text === entry;
  // t > cutoff, cutoff < t
  if ((operator === SyntaxKind.GreaterThanToken || operator === SyntaxKind.GreaterThanEqualsToken) && isEntry(comparison.left)) return cutoffLength(comparison.right);
  if ((operator === SyntaxKind.LessThanToken || operator === SyntaxKind.LessThanEqualsToken) && isEntry(comparison.right)) return cutoffLength(comparison.left);
  // now - t < LENGTH, LENGTH > now - t
  if (operator === SyntaxKind.LessThanToken || operator === SyntaxKind.LessThanEqualsToken) return ageOf(comparison.left, isEntry) ? literalValue(comparison.right) : undefined;
  if (operator === SyntaxKind.GreaterThanToken || operator === SyntaxKind.GreaterThanEqualsToken) return ageOf(comparison.right, isEntry) ? literalValue(comparison.left) : undefined;
  return undefined;
}

/** `Date.now() - LENGTH`, `now - LENGTH`, or a local holding one: LENGTH. */
function cutoffLength(expression: ts.Expression, depth = 0): number | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value) && depth < 3) {
    const initializer = localInitializer(value);
    return initializer ? cutoffLength(initializer, depth + 1) : undefined;
  }
  if (!ts.isBinaryExpression(value) || value.operatorToken.kind !== SyntaxKind.MinusToken || !isNow(value.left)) return undefined;
  return literalValue(value.right);
}

/** `now - t`, `Date.now() - t`. */
function ageOf(expression: ts.Expression, isEntry: (node: ts.Expression) => boolean): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.MinusToken && isNow(value.left) && isEntry(value.right);
}
