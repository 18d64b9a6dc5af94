import ts = require('typescript');
import { skipOuterExpressions } from '../analysis/text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * A timer that deletes a map's old entries: what a Redis TTL does. The fix gives the store that TTL
 * and removes the timer's statement (declared, with the reason, on the plan).
 */
export interface Sweep {
  /** The statement that starts the timer (`setInterval(() => { … }, 60_000);`). */
  statement: ts.Statement;
  /** The span removed: the statement with its own leading comment lines and line break. */
  removed: { start: number; end: number };
  /** The maximum age in milliseconds, as the code writes it (`SESSION_MAX_AGE_MS`). */
  maxAge: ts.Expression;
  /** The entry field the age is measured from (`createdAt`). */
  field: string;
}

/**
 * `setInterval(() => { const now = Date.now(); for (const [key, value] of map) if (now - value.createdAt > MAX) map.delete(key); }, ms)`,
 * also with `map.entries()` or `map.forEach((value, key) => …)`. Undefined when `reference` is not
 * the map of such a sweep; a string when it is a sweep the store's TTL cannot replace (the reason).
 */
export function sweepOf(reference: ts.Expression): Sweep | string | undefined {
  const loop = loopOver(reference);
  if (!loop) return undefined;
  const timer = enclosingTimer(loop.statement);
  if (!timer) return undefined;
  const { callback, statement } = timer;
  const body = callback.body;
  const statements = ts.isBlock(body) ? body.statements : undefined;
  const nowNames = new Set<string>();
  for (const other of statements ?? []) {
    if (other === loop.statement) continue;
    const now = ts.isVariableStatement(other) && other.declarationList.declarations.length === 1 ? other.declarationList.declarations[0] : undefined;
    if (now && ts.isIdentifier(now.name) && now.initializer && isDateNow(now.initializer)) nowNames.add(now.name.text);
    else return `the sweep at line ${line(other)} does more than delete old entries`;
  }
  if (statements && !statements.includes(loop.statement)) return `the sweep at line ${line(loop.statement)} does more than delete old entries`;
  const cutoff = cutoffOf(loop.body, loop.key, loop.value, reference.getText(), nowNames);
  if (!cutoff) return `the sweep at line ${line(loop.statement)} deletes by a condition other than \`now - entry.<time> > maxAge\``;
  return { statement, removed: removalSpan(statement), maxAge: cutoff.maxAge, field: cutoff.field };
}

interface Loop {
  statement: ts.Statement;
  key: string;
  value: string;
  body: ts.Node;
}

function loopOver(reference: ts.Expression): Loop | undefined {
  let iterated: ts.Node = reference;
  // map.entries()
  if (ts.isPropertyAccessExpression(reference.parent) && reference.parent.name.text === 'entries' && ts.isCallExpression(reference.parent.parent)) iterated = reference.parent.parent;
  const parent = iterated.parent;
  if (ts.isForOfStatement(parent) && parent.expression === iterated) {
    const declarations = ts.isVariableDeclarationList(parent.initializer) ? parent.initializer.declarations : undefined;
    const pattern = declarations?.length === 1 ? declarations[0].name : undefined;
    if (!pattern || !ts.isArrayBindingPattern(pattern) || pattern.elements.length !== 2) return undefined;
    const [key, value] = pattern.elements.map((element) => (ts.isBindingElement(element) && ts.isIdentifier(element.name) ? element.name.text : undefined));
    return key && value ? { statement: parent, key, value, body: parent.statement } : undefined;
  }
  // map.forEach((value, key) => …)
  if (ts.isPropertyAccessExpression(reference.parent) && reference.parent.name.text === 'forEach' && ts.isCallExpression(reference.parent.parent) && ts.isExpressionStatement(reference.parent.parent.parent)) {
    const callback = reference.parent.parent.arguments[0];
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || callback.parameters.length !== 2) return undefined;
    const [value, key] = callback.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
    return key && value ? { statement: reference.parent.parent.parent, key, value, body: callback.body } : undefined;
  }
  return undefined;
}

/** `setInterval(() => { … }, ms)` as a statement (also with `.unref()`), around the loop. */
function enclosingTimer(loop: ts.Statement): { callback: ts.ArrowFunction | ts.FunctionExpression; statement: ts.Statement } | undefined {
  let node: ts.Node = loop;
  while (node.parent && !ts.isArrowFunction(node.parent) && !ts.isFunctionExpression(node.parent)) {
    if (!ts.isBlock(node.parent)) return undefined;
    node = node.parent;
  }
  const callback = node.parent as ts.ArrowFunction | ts.FunctionExpression | undefined;
  if (!callback) return undefined;
  const timer = callback.parent;
  if (!ts.isCallExpression(timer) || timer.arguments[0] !== callback || !/^(?:global\.|globalThis\.)?setInterval$/.test(timer.expression.getText())) return undefined;
  let outer: ts.Expression = timer;
  if (ts.isPropertyAccessExpression(outer.parent) && outer.parent.name.text === 'unref' && ts.isCallExpression(outer.parent.parent)) outer = outer.parent.parent;
  return ts.isExpressionStatement(outer.parent) ? { callback, statement: outer.parent } : undefined;
}

/** `if (now - value.createdAt > MAX) map.delete(key);` (also `>=`, `Date.now()`, braces). */
function cutoffOf(body: ts.Node, key: string, value: string, map: string, nowNames: ReadonlySet<string>): { maxAge: ts.Expression; field: string } | undefined {
  let statement: ts.Node = body;
  if (ts.isBlock(statement)) {
    if (statement.statements.length !== 1) return undefined;
    statement = statement.statements[0];
  }
  if (!ts.isIfStatement(statement) || statement.elseStatement) return undefined;
  let action: ts.Node = statement.thenStatement;
  if (ts.isBlock(action)) {
    if (action.statements.length !== 1) return undefined;
    action = action.statements[0];
  }
  if (!ts.isExpressionStatement(action)) return undefined;
  const remove = skipOuterExpressions(action.expression);
  if (!ts.isCallExpression(remove) || remove.expression.getText() !== `${map}.delete` || remove.arguments.length !== 1 || remove.arguments[0].getText() !== key) return undefined;
  const condition = skipOuterExpressions(statement.expression);
  if (!ts.isBinaryExpression(condition)) return undefined;
  const operator = condition.operatorToken.kind;
  const [age, maxAge] = operator === SyntaxKind.GreaterThanToken || operator === SyntaxKind.GreaterThanEqualsToken ? [condition.left, condition.right] : operator === SyntaxKind.LessThanToken || operator === SyntaxKind.LessThanEqualsToken ? [condition.right, condition.left] : [];
  if (!age || !maxAge) return undefined;
  const difference = skipOuterExpressions(age);
  if (!ts.isBinaryExpression(difference) || difference.operatorToken.kind !== SyntaxKind.MinusToken) return undefined;
  const now = skipOuterExpressions(difference.left);
  if (!isDateNow(now) && !(ts.isIdentifier(now) && nowNames.has(now.text))) return undefined;
  const since = skipOuterExpressions(difference.right);
  if (!ts.isPropertyAccessExpression(since) || since.expression.getText() !== value) return undefined;
  return { maxAge, field: since.name.text };
}

function isDateNow(expression: ts.Expression): boolean {
  return /^Date\.now\(\)$/.test(skipOuterExpressions(expression).getText());
}

function line(node: ts.Node): number {
  const file = node.getSourceFile();
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

/** The statement's lines: from the start of its first leading comment's line to after its line break. */
function removalSpan(statement: ts.Statement): { start: number; end: number } {
  const file = statement.getSourceFile();
  const text = file.text;
  const comments = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
  const first = comments.length > 0 ? comments[0].pos : statement.getStart(file);
  const start = text.lastIndexOf('\n', first - 1) + 1;
  let end = statement.getEnd();
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  // Between two blank lines, one of them goes too.
  const blankBefore = /\n\r?\n$/.test(text.slice(Math.max(0, start - 3), start));
  const blankAfter = /^\r?\n/.exec(text.slice(end, end + 2));
  if (blankBefore && blankAfter) end += blankAfter[0].length;
  return { start, end };
}

/** `{ ttlSeconds: … }` for a maximum age in milliseconds: a literal is divided here, an expression in the code. */
export function ttlSecondsText(maxAge: ts.Expression): string {
  const value = skipOuterExpressions(maxAge);
  if (ts.isNumericLiteral(value)) return String(Math.ceil(Number(value.text.replace(/_/g, '')) / 1000));
  return `Math.ceil(${maxAge.getText()} / 1000)`;
}
