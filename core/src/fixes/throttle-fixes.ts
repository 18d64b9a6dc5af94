import ts = require('typescript');
import type { SharedState } from '../analysis/shared-state';
import { isClockNow } from '../analysis/state-use';
import { skipOuterExpressions, within } from '../analysis/text';
import type { RemovedStatement, TextEdit } from '../types';
import type { FixContext } from './context';
import { importEdit, moduleSpecifier, statementSpan, useAdapter } from './module-edits';
import { referencesOf } from './references';
import type { PlanResult } from './state-fixes';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** One use of the stamp: the clock check that lets the work run, or the statement that stamps the time. */
interface Check {
  /** The part of the condition that reads the stamp (`Date.now() - last > PERIOD`, with a `!last ||` before it). */
  expression: ts.Expression;
  /** True when the expression says the period is over (the work runs inside the `if`); false when it says it is not (the `if` exits). */
  expired: boolean;
  period: ts.Expression;
  statement: ts.IfStatement;
  key?: string;
}

/**
 * A time stamped where work runs at most once per period (`if (Date.now() - lastAlertAt > PERIOD)
 * { lastAlertAt = Date.now(); await send(…) }`, also per key, or after an early return) becomes a
 * Redis lock taken for the period and never released: the first instance to take it runs the work,
 * the others find it taken until it expires. The check becomes `await tryAcquireLock(name, { ttlMs:
 * PERIOD })`, the stamp and the declaration go (the lock is the stamp now). Undefined when the state
 * is not used that way, so the lock fix says why it cannot move it.
 */
export function throttlePlan(state: SharedState, context: FixContext): PlanResult | undefined {
  const declaration = state.nameNode.parent;
  if (state.kind !== 'module' || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const declared = declaration.parent.parent;
  if (!ts.isVariableStatement(declared) || declared.declarationList.declarations.length !== 1) return undefined;
  const name = state.name;
  const checks: Check[] = [];
  const stamps: { statement: ts.ExpressionStatement; key?: string }[] = [];
  const references = referencesOf(context.program, declaration.name).filter((reference) => reference !== declaration.name);
  for (const reference of references) {
    const stamp = stampOf(reference);
    if (stamp) stamps.push(stamp);
    const check = stamp ? undefined : checkOf(reference);
    if (check && !checks.some((known) => known.expression === check.expression)) checks.push(check);
  }
  // Every other use (the stamp shown on a status page, deleted, passed on) has no counterpart in the lock.
  const accounted = (reference: ts.Identifier): boolean => stamps.some((stamp) => within(reference, stamp.statement)) || checks.some((check) => within(reference, check.expression));
  if (checks.length === 0 || stamps.length === 0 || !references.every(accounted)) return undefined;
  // Each stamp follows its check in the same function: inside the `if` when the check says the period is over, after it when the `if` exits.
  for (const stamp of stamps) {
    const check = checks.find((candidate) => candidate.key === stamp.key && (candidate.expired ? within(stamp.statement, candidate.statement.thenStatement) : ts.isBlock(candidate.statement.parent) && stamp.statement.parent === candidate.statement.parent && stamp.statement.pos >= candidate.statement.end && exits(candidate.statement.thenStatement)));
    if (!check) return { refused: `\`${stamp.statement.getText().replace(/;$/, '')}\` (${context.where(stamp.statement)}) stamps \`${name}\` where no check of the period comes before it in the same block` };
  }
  const file = declaration.getSourceFile();
  const use = useAdapter('lock.ts', context.projectRoot, context.adapterDir, context.exists);
  const rewriter = context.rewriter();
  const edits: TextEdit[] = [];
  const removedStatements: RemovedStatement[] = [];
  for (const check of checks) {
    const lockName = check.key === undefined ? `'${name}'` : `\`${name}:\${${check.key}}\``;
    const taken = `await tryAcquireLock(${lockName}, { ttlMs: ${check.period.getText()} })`;
    const checkFile = check.expression.getSourceFile();
    edits.push({ fileName: checkFile.fileName, start: check.expression.getStart(checkFile), end: check.expression.getEnd(), newText: check.expired ? (check.statement.expression === check.expression ? taken : `(${taken})`) : `!(${taken})` });
    rewriter.requireAsync(check.expression);
  }
  for (const stamp of stamps) {
    const stampFile = stamp.statement.getSourceFile();
    edits.push({ fileName: stampFile.fileName, ...statementSpan(stamp.statement), newText: '' });
    removedStatements.push({ fileName: stampFile.fileName, start: stamp.statement.getStart(stampFile), end: stamp.statement.getEnd(), reason: `the Redis lock taken by the check is the stamp now: it expires when the period is over, on every instance` });
  }
  edits.push({ fileName: file.fileName, start: declared.getStart(file), end: declared.getEnd(), newText: `// \`${name}\` is now a Redis lock taken for each period (tryAcquireLock in ${context.displayPath(use.fileName)}): one instance runs the work per period.` });
  removedStatements.push({ fileName: file.fileName, start: declared.getStart(file), end: declared.getEnd(), reason: 'the time of the last run lives in Redis now (the lock and its expiry); a comment says so in its place' });
  if (rewriter.refused) return { refused: rewriter.refused };
  const importLine = importEdit(file, ['tryAcquireLock'], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: 'throttleMoveToRedis', data: { name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies, removedStatements } };
}

/** `last = Date.now();`, `sentAt[key] = Date.now();`, `last.set(key, now);` as a statement: the stamp, and its key. */
function stampOf(reference: ts.Identifier): { statement: ts.ExpressionStatement; key?: string } | undefined {
  const parent = reference.parent;
  let key: string | undefined;
  let write: ts.Expression | undefined;
  let value: ts.Expression | undefined;
  if (ts.isBinaryExpression(parent) && parent.left === reference && parent.operatorToken.kind === SyntaxKind.EqualsToken) [write, value] = [parent, parent.right];
  else if (ts.isElementAccessExpression(parent) && parent.expression === reference && ts.isBinaryExpression(parent.parent) && parent.parent.left === parent && parent.parent.operatorToken.kind === SyntaxKind.EqualsToken) {
    [write, value, key] = [parent.parent, parent.parent.right, parent.argumentExpression.getText()];
  } else if (ts.isPropertyAccessExpression(parent) && parent.expression === reference && parent.name.text === 'set' && ts.isCallExpression(parent.parent) && parent.parent.arguments.length === 2) {
    [write, value, key] = [parent.parent, parent.parent.arguments[1], parent.parent.arguments[0].getText()];
  }
  if (!write || !value || !ts.isExpressionStatement(write.parent) || !isClockNow(value)) return undefined;
  return { statement: write.parent, key };
}

/**
 * `CLOCK - X > P` (or `>=`): the period is over; `CLOCK - X < P` (or `<=`): it is not. X is the stamp
 * (`last`, `sentAt[key]`, `last.get(key)`, with a default `|| 0`). A `!X ||` before an over-check,
 * or `X &&` before a not-over check, is part of it.
 */
function checkOf(reference: ts.Identifier): Check | undefined {
  const read = stampRead(reference);
  if (!read) return undefined;
  let value: ts.Expression = read.node;
  while (ts.isParenthesizedExpression(value.parent) || (ts.isBinaryExpression(value.parent) && value.parent.left === value && [SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken].includes(value.parent.operatorToken.kind))) value = value.parent;
  const difference = value.parent;
  if (!ts.isBinaryExpression(difference) || difference.operatorToken.kind !== SyntaxKind.MinusToken || difference.right !== value || !isClockNow(difference.left)) return undefined;
  let around: ts.Expression = difference;
  while (ts.isParenthesizedExpression(around.parent)) around = around.parent;
  const comparison = around.parent;
  if (!ts.isBinaryExpression(comparison) || comparison.left !== around) return undefined;
  const operator = comparison.operatorToken.kind;
  const expired = operator === SyntaxKind.GreaterThanToken || operator === SyntaxKind.GreaterThanEqualsToken;
  if (!expired && operator !== SyntaxKind.LessThanToken && operator !== SyntaxKind.LessThanEqualsToken) return undefined;
  let expression: ts.Expression = comparison;
  // `!sentAt[key] || Date.now() - sentAt[key] > P`, `last && Date.now() - last < P`: the missing-stamp case belongs to the check.
  const joined = comparison.parent;
  if (ts.isBinaryExpression(joined) && joined.right === comparison && joined.operatorToken.kind === (expired ? SyntaxKind.BarBarToken : SyntaxKind.AmpersandAmpersandToken)) {
    const left = skipOuterExpressions(joined.left);
    const guarded = expired ? ts.isPrefixUnaryExpression(left) && left.operator === SyntaxKind.ExclamationToken && sameRead(left.operand, read.text) : sameRead(left, read.text);
    if (guarded) expression = joined;
  }
  // The check is the whole condition of an `if`, or one operand of its `&&` chain (when the period is over).
  let condition: ts.Expression = expression;
  while (ts.isParenthesizedExpression(condition.parent) || (expired && ts.isBinaryExpression(condition.parent) && condition.parent.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken)) condition = condition.parent;
  const statement = condition.parent;
  if (!ts.isIfStatement(statement) || statement.expression !== condition) return undefined;
  return { expression, expired, period: comparison.right, statement, key: read.key };
}

/** `last`, `sentAt[key]`, `last.get(key)`: a read of the stamp, with its key. */
function stampRead(reference: ts.Identifier): { node: ts.Expression; text: string; key?: string } | undefined {
  const parent = reference.parent;
  if (ts.isElementAccessExpression(parent) && parent.expression === reference) return { node: parent, text: parent.getText(), key: parent.argumentExpression.getText() };
  if (ts.isPropertyAccessExpression(parent) && parent.expression === reference && parent.name.text === 'get' && ts.isCallExpression(parent.parent) && parent.parent.arguments.length === 1) {
    return { node: parent.parent, text: parent.parent.getText(), key: parent.parent.arguments[0].getText() };
  }
  if (ts.isPropertyAccessExpression(parent) || ts.isCallExpression(parent) || ts.isElementAccessExpression(parent)) return undefined;
  return { node: reference, text: reference.text };
}

function sameRead(expression: ts.Expression, text: string): boolean {
  return skipOuterExpressions(expression).getText().replace(/\s+/g, '') === text.replace(/\s+/g, '');
}

/** A `return`, `throw`, `continue` or `break`, or a block that ends with one. */
function exits(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isContinueStatement(last) || ts.isBreakStatement(last));
}
