import ts = require('typescript');
import { enclosingFunction, type RequestGraph } from './request-graph';
import { emptiedBy, readsOf, type ReadableState } from './state-reads';
import { skipOuterExpressions } from './text';

/**
 * A tally read out and emptied that requests also read back: what a route answers with is the
 * tally, so it is no write-behind buffer however it is emptied. Two shapes:
 *
 * - a day's count closed by a job (`const count = ordersToday; ordersToday = 0; return count`) and
 *   answered as it stands by a getter a route calls (`return ordersToday`): each instance answers
 *   with its own part;
 * - a count per interval handed to this process's own record of it
 *   (`this.chart.push({ value: this.requests }); this.requests = 0`) that a route answers with
 *   (`return this.chart.getArray()`): each instance charts only the requests it served.
 *
 * A buffer read only where it is emptied, or sent out of the process there (a batch to the
 * database, counts to a metrics service), stays this process's pending work; so does one whose
 * reader no request reaches (a timer's snapshot).
 */
export function isTallyReadBack(state: ReadableState, graph: RequestGraph): boolean {
  const reads = readsOf(state);
  const drains = new Set(reads.filter((read) => emptiedBy(read) !== undefined).map(enclosingFunction));
  return reads.some((read) => {
    const fn = enclosingFunction(read);
    if (fn && !drains.has(fn) && isGivenOut(read)) return graph.reachesOf(read).length > 0;
    // Handed, in the function that empties it, to a record this process keeps: that record's readers count.
    const record = fn && drains.has(fn) ? ownRecordHandedTo(read, state) : undefined;
    return record !== undefined && readsOf(record).some((recordRead) => isGivenOut(recordRead) && graph.reachesOf(recordRead).length > 0);
  });
}

/** Methods that change a collection: what they return is no reading of it. */
const CHANGES = new Set(['delete', 'add', 'set', 'push', 'pop', 'shift', 'unshift', 'splice', 'clear', 'sort', 'reverse', 'fill']);

/** A response's method: `res.json(n)`, `res.status(200).send(n)`, `reply.send(n)`, `c.json(n)`, `Response.json(n)`. */
const RESPONDS = new Set(['json', 'send', 'jsonp', 'end']);

/**
 * The value of the read leaves the function as it stands: returned (`return n`, `() => n`, `return
 * { today: n }`, `return this.chart.getArray()`), in a response (`res.json({ n })`) or as a Koa body.
 */
function isGivenOut(read: ts.Expression): boolean {
  let value: ts.Node = read;
  // `chart.getArray()`, `counts.get(day)`: the state's own method hands out what it holds; `counts.delete(day)` changes it instead.
  const parent = value.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === value && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
    if (CHANGES.has(parent.name.text)) return false;
    value = parent.parent;
  }
  for (;;) {
    const up: ts.Node = value.parent;
    if (ts.isParenthesizedExpression(up) || ts.isAsExpression(up) || ts.isNonNullExpression(up) || ts.isArrayLiteralExpression(up) || ts.isSpreadElement(up) || ts.isObjectLiteralExpression(up)) value = up;
    else if ((ts.isPropertyAssignment(up) && up.initializer === value) || ts.isShorthandPropertyAssignment(up)) value = up.parent;
    else break;
  }
  const holder = value.parent;
  if (ts.isReturnStatement(holder)) return true;
  if (ts.isArrowFunction(holder) && holder.body === value) return true;
  if (ts.isBinaryExpression(holder) && holder.right === value && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = skipOuterExpressions(holder.left);
    return ts.isPropertyAccessExpression(target) && target.name.text === 'body';
  }
  return ts.isCallExpression(holder) && holder.arguments.includes(value as ts.Expression) && ts.isPropertyAccessExpression(holder.expression) && RESPONDS.has(holder.expression.name.text);
}

/**
 * `this.chart.push({ value: this.requests })`, `history.push(count)`: the read handed to an adding
 * method of a field of the same class, or of another binding of the same module. The record, as
 * `readsOf` finds it; undefined when the read goes anywhere else (a call of another object, a logger).
 */
function ownRecordHandedTo(read: ts.Expression, state: ReadableState): ReadableState | undefined {
  let value: ts.Node = read;
  for (;;) {
    const up: ts.Node = value.parent;
    if (ts.isParenthesizedExpression(up) || ts.isObjectLiteralExpression(up) || ts.isArrayLiteralExpression(up)) value = up;
    else if ((ts.isPropertyAssignment(up) && up.initializer === value) || ts.isShorthandPropertyAssignment(up)) value = up.parent;
    else break;
  }
  const call = value.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(value as ts.Expression)) return undefined;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ADDS.has(callee.name.text)) return undefined;
  const receiver = skipOuterExpressions(callee.expression);
  const file = read.getSourceFile();
  if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword && state.kind !== 'module') {
    const owner = ts.findAncestor(receiver, ts.isClassLike);
    const field = owner?.members.find((member) => ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === receiver.name.text);
    return field?.name && field.name !== state.nameNode ? { nameNode: field.name, name: receiver.name.text, kind: 'singleton-field' } : undefined;
  }
  if (ts.isIdentifier(receiver) && state.kind === 'module') {
    const declaration = file.statements.flatMap((statement) => (ts.isVariableStatement(statement) ? [...statement.declarationList.declarations] : [])).find((d) => ts.isIdentifier(d.name) && d.name.text === receiver.text);
    return declaration && declaration.name !== state.nameNode ? { nameNode: declaration.name, name: receiver.text, kind: 'module' } : undefined;
  }
  return undefined;
}

const ADDS = new Set(['push', 'unshift', 'add', 'set']);
