import ts = require('typescript');
import { isFunctionNode } from '../analysis/file-facts';
import { within } from '../analysis/text';
import { declarationName } from './asyncify';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * A count read right after the statement that counts, before the code can be interrupted:
 *
 *     ticket += 1;
 *     res.json({ number: ticket });
 *
 * In one process nothing runs between the two, so the read is the number this request counted. With
 * the count in Redis, `await ticket.get()` there would read whatever the count is by then: another
 * request on any instance may have counted meanwhile, and two requests would be handed the same
 * number. What the increment returns is that number: the statement keeps it in a local
 * (`const ticketNow = await ticket.increment(1);`) and those reads read the local.
 */
export interface CountedRead {
  /** The increment statement's expression (`ticket += 1`, `ticket++`). */
  increment: ts.Expression;
  /** The local that keeps what the increment returns. */
  local: string;
  /** Reads of the count that see exactly what this increment made. */
  reads: ts.Expression[];
}

/**
 * For an increment written as a statement of its own in a block, the reads that follow it in the
 * same block and run before anything can interrupt: up to the first `await` or `yield` (a read
 * inside the awaited expression runs before it), another write of the count, or a call of a
 * function that writes it. Reads inside nested functions (callbacks that run later) and in a loop
 * that awaits are left as they are. `holders` are the count's uses (`n`, or `this.n`), `writes`
 * those that change it. Undefined when no read follows.
 */
export function countedReads(increment: ts.Expression, holders: readonly ts.Expression[], writes: ReadonlySet<ts.Expression>, name: string): CountedRead | undefined {
  const statement = increment.parent;
  if (!ts.isExpressionStatement(statement) || !(ts.isBlock(statement.parent) || ts.isSourceFile(statement.parent) || ts.isCaseClause(statement.parent) || ts.isDefaultClause(statement.parent))) return undefined;
  const siblings = statement.parent.statements;
  const writers = new Set(holders.filter((holder) => writes.has(holder) && !within(holder, statement)).map(writerName).filter((text): text is string => text !== undefined));
  const reads: ts.Expression[] = [];
  for (const next of siblings.slice(siblings.indexOf(statement) + 1)) {
    if (callsAny(next, writers)) break;
    const suspension = firstSuspension(next);
    const write = holders.find((holder) => writes.has(holder) && within(holder, next));
    for (const holder of holders) {
      if (writes.has(holder) || !within(holder, next) || insideFunction(holder, next)) continue;
      if (write && holder.getStart() >= write.getStart()) continue;
      if (suspension && (holder.getEnd() > suspension.getEnd() || insideSuspendingLoop(holder, next))) continue;
      reads.push(holder);
    }
    if (suspension || write) break;
  }
  if (reads.length === 0) return undefined;
  return { increment, local: freeName(`${name}Now`, ts.findAncestor(statement, isFunctionNode) ?? statement.getSourceFile()), reads };
}

/** The await or yield that suspends first: the one that ends first, outside nested functions. */
function firstSuspension(statement: ts.Node): ts.Node | undefined {
  let first: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node) || ts.isClassLike(node)) return;
    ts.forEachChild(node, visit);
    const suspends = ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined);
    if (suspends && (!first || node.getEnd() < first.getEnd())) first = node;
  };
  visit(statement);
  return first;
}

function insideFunction(node: ts.Node, container: ts.Node): boolean {
  return ts.findAncestor(node.parent, (ancestor) => ancestor === container || isFunctionNode(ancestor)) !== container;
}

/** A read in a loop body that suspends may run after the suspension of an earlier pass. */
function insideSuspendingLoop(node: ts.Node, container: ts.Node): boolean {
  for (let current: ts.Node = node.parent; current !== container && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isIterationStatement(current, false) && firstSuspension(current)) return true;
  }
  return false;
}

/** The name other code calls the function around a write by (`function reset()`, `const reset = () =>`, a method, `obj.reset = function`). */
function writerName(write: ts.Node): string | undefined {
  const fn = ts.findAncestor(write, isFunctionNode);
  if (!fn) return undefined;
  const parent = fn.parent;
  // An anonymous callback (a route, a timer): nothing calls it by name in between.
  return declarationName(fn)?.text ?? (ts.isBinaryExpression(parent) && ts.isPropertyAccessExpression(parent.left) ? parent.left.name.text : undefined);
}

function callsAny(statement: ts.Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node)) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name !== undefined && names.has(name)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

/** `base`, or `base2`, `base3`, … when the scope already has a name spelled so. */
function freeName(base: string, scope: ts.Node): string {
  const taken = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) taken.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(scope);
  let name = base;
  for (let index = 2; taken.has(name); index++) name = `${base}${index}`;
  return name;
}

/** Whether `use` is a write of the count (`n++`, `n += k`, `n = v`), given its holder. */
export function isCountWrite(holder: ts.Expression): boolean {
  const parent = holder.parent;
  if ((ts.isPostfixUnaryExpression(parent) || ts.isPrefixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken)) return true;
  return ts.isBinaryExpression(parent) && parent.left === holder && parent.operatorToken.kind >= SyntaxKind.FirstAssignment && parent.operatorToken.kind <= SyntaxKind.LastAssignment;
}
