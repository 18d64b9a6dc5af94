import ts = require('typescript');
import type { CallLike, Mutation } from './file-facts';
import type { Reach } from './request-graph';
import { skipOuterExpressions } from './text';

/**
 * `static set(k, v) { Store.map.set(k, v) }` called on a request path as
 * `Store.set(LOGIN_COUNT, Store.get(LOGIN_COUNT, 0) + 1)`: a key-value store of the service's own
 * (a class of static wrappers, or a module's `set`/`get` functions) whose setter stores what it is
 * handed, and a request hands it the value the same store's getter gives for the same key, plus or
 * minus a number. The store counts, one key at a time, as `m.set(k, (m.get(k) ?? 0) + 1)` written in
 * place would; the count is the route's, whatever else the store keeps.
 */
export function countsThroughSetter(writes: readonly { mutation: Mutation; reaches: readonly Reach[] }[]): boolean {
  return writes.some(({ mutation, reaches }) => {
    const stored = storedParameters(mutation);
    return stored !== undefined && reaches.some((reach) => isCountingCall(reach.calls[reach.calls.length - 1], stored.key, stored.value));
  });
}

/** Which parameters of the mutation's function it stores, as the key and as the value: `map.set(k, v)`, `obj[k] = v`. */
function storedParameters(mutation: Mutation): { key: number; value: number } | undefined {
  const fn = mutation.function;
  if (!fn || !ts.isFunctionLike(fn)) return undefined;
  const node = mutation.node;
  let key: ts.Expression | undefined;
  let value: ts.Expression | undefined;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set' && node.arguments.length === 2) [key, value] = node.arguments;
  else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(node.left)) [key, value] = [node.left.argumentExpression, node.right];
  const index = (expression: ts.Expression | undefined): number => {
    const name = expression && skipOuterExpressions(expression);
    return name && ts.isIdentifier(name) ? fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name.text) : -1;
  };
  const keyIndex = index(key);
  const valueIndex = index(value);
  return keyIndex >= 0 && valueIndex >= 0 ? { key: keyIndex, value: valueIndex } : undefined;
}

/** `Store.set(K, Store.get(K, 0) + 1)`, `setValue(k, (getValue(k) || 0) - 1)`: the getter of the same receiver, the same key. */
function isCountingCall(call: CallLike | undefined, keyIndex: number, valueIndex: number): boolean {
  if (!call || !ts.isCallExpression(call)) return false;
  const key = call.arguments[keyIndex];
  const value = call.arguments[valueIndex] && skipOuterExpressions(call.arguments[valueIndex]);
  if (!key || !value || !ts.isBinaryExpression(value) || (value.operatorToken.kind !== ts.SyntaxKind.PlusToken && value.operatorToken.kind !== ts.SyntaxKind.MinusToken)) return false;
  const step = skipOuterExpressions(value.right);
  if (!ts.isNumericLiteral(step)) return false;
  let read = skipOuterExpressions(value.left);
  // (Store.get(k) || 0) + 1, (Store.get(k) ?? 0) + 1
  if (ts.isBinaryExpression(read) && (read.operatorToken.kind === ts.SyntaxKind.BarBarToken || read.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) read = skipOuterExpressions(read.left);
  if (!ts.isCallExpression(read) || !read.arguments[0] || read.arguments[0].getText() !== key.getText()) return false;
  return receiverText(read.expression) === receiverText(call.expression) && read.expression.getText() !== call.expression.getText();
}

/** `Store` of `Store.set`, `this.store` of `this.store.get`; '' for a bare function's name. */
function receiverText(callee: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(callee)) return callee.expression.getText();
  return ts.isIdentifier(callee) ? '' : undefined;
}
