import ts = require('typescript');
import type { CallLike, FunctionNode } from './file-facts';

const { SyntaxKind } = ts;

/**
 * A function's flag parameters: plain parameters that open a branch (`if (sync) appendFileSync(…)`,
 * `sync ? writeFileSync(…) : …`, `sync && …`) and that it never assigns. A storage module writes its
 * synchronous variant this way for the one caller that cannot wait, the exit handler's flush
 * (`append(path, entries, sync = false)`), and a request that leaves the flag off never runs that branch.
 */
export function flagParameters(fn: FunctionNode): ReadonlySet<string> {
  let flags = flagsOf.get(fn);
  if (!flags) flagsOf.set(fn, (flags = readFlagParameters(fn)));
  return flags;
}

const flagsOf = new WeakMap<FunctionNode, ReadonlySet<string>>();
const NO_FLAGS: ReadonlySet<string> = new Set();

function readFlagParameters(fn: FunctionNode): ReadonlySet<string> {
  const names = new Set<string>();
  for (const parameter of fn.parameters) if (ts.isIdentifier(parameter.name) && !parameter.dotDotDotToken) names.add(parameter.name.text);
  if (names.size === 0 || !fn.body) return NO_FLAGS;
  const guarding = new Set<string>();
  const assigned = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node) || ts.isConditionalExpression(node)) for (const name of testedNames(ts.isIfStatement(node) ? node.expression : node.condition)) guarding.add(name);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) for (const name of testedNames(node.left)) guarding.add(name);
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind) && ts.isIdentifier(node.left)) assigned.add(node.left.text);
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand) && (node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken)) assigned.add(node.operand.text);
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  const flags = new Set([...guarding].filter((name) => names.has(name) && !assigned.has(name)));
  return flags.size > 0 ? flags : NO_FLAGS;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

/** The names a condition tests as plain truth values: `p`, `!p`, `p === true`, either side of `&&` and `||`. */
function testedNames(condition: ts.Expression): string[] {
  const value = skipParentheses(condition);
  if (ts.isIdentifier(value)) return [value.text];
  if (ts.isPrefixUnaryExpression(value) && value.operator === SyntaxKind.ExclamationToken) return testedNames(value.operand);
  if (!ts.isBinaryExpression(value)) return [];
  const operator = value.operatorToken.kind;
  if (operator === SyntaxKind.AmpersandAmpersandToken || operator === SyntaxKind.BarBarToken) return [...testedNames(value.left), ...testedNames(value.right)];
  const tested = comparedToBoolean(value);
  return tested ? [tested.name] : [];
}

/** `p === true`, `false == p`: the name and whether the comparison holds when `p` is on. */
function comparedToBoolean(value: ts.BinaryExpression): { name: string; whenOn: boolean } | undefined {
  const operator = value.operatorToken.kind;
  const equal = operator === SyntaxKind.EqualsEqualsEqualsToken || operator === SyntaxKind.EqualsEqualsToken;
  if (!equal && operator !== SyntaxKind.ExclamationEqualsEqualsToken && operator !== SyntaxKind.ExclamationEqualsToken) return undefined;
  const [name, literal] = ts.isIdentifier(value.left) ? [value.left, value.right] : [value.right, value.left];
  if (!ts.isIdentifier(name) || (literal.kind !== SyntaxKind.TrueKeyword && literal.kind !== SyntaxKind.FalseKeyword)) return undefined;
  return { name: name.text, whenOn: (literal.kind === SyntaxKind.TrueKeyword) === equal };
}

/** The flags a condition needs on for its true side (`a && b` needs both; `a || b`, neither for sure). */
function needsOn(condition: ts.Expression, flags: ReadonlySet<string>): string[] {
  const value = skipParentheses(condition);
  if (ts.isIdentifier(value)) return flags.has(value.text) ? [value.text] : [];
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) return [...needsOn(value.left, flags), ...needsOn(value.right, flags)];
  if (ts.isPrefixUnaryExpression(value) && value.operator === SyntaxKind.ExclamationToken) return needsOnWhenFalse(value.operand, flags);
  if (ts.isBinaryExpression(value)) {
    const compared = comparedToBoolean(value);
    if (compared && compared.whenOn && flags.has(compared.name)) return [compared.name];
  }
  return [];
}

/** The flags a condition needs on for its false side (`!p`'s else, `!a || !b`'s else). */
function needsOnWhenFalse(condition: ts.Expression, flags: ReadonlySet<string>): string[] {
  const value = skipParentheses(condition);
  if (ts.isPrefixUnaryExpression(value) && value.operator === SyntaxKind.ExclamationToken) return needsOn(value.operand, flags);
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.BarBarToken) return [...needsOnWhenFalse(value.left, flags), ...needsOnWhenFalse(value.right, flags)];
  if (ts.isBinaryExpression(value)) {
    const compared = comparedToBoolean(value);
    if (compared && !compared.whenOn && flags.has(compared.name)) return [compared.name];
  }
  return [];
}

/**
 * The flag parameters of `fn` that must be on for `node` (written in `fn`, or in a callback inside it)
 * to run: the branches around it, up to `fn`, that a flag opens. A callback declaring a parameter of the
 * same name hides the flag from what is written in it.
 */
export function flagsGuarding(node: ts.Node, fn: FunctionNode): string[] {
  const flags = flagParameters(fn);
  if (flags.size === 0) return [];
  const needed: string[] = [];
  let hidden: Set<string> | undefined;
  for (let current = node; current.parent && current !== fn; current = current.parent) {
    const parent = current.parent;
    if (ts.isFunctionLike(parent) && parent !== fn) {
      for (const parameter of parent.parameters) if (ts.isIdentifier(parameter.name)) (hidden ??= new Set()).add(parameter.name.text);
      continue;
    }
    const visible = hidden ? new Set([...flags].filter((flag) => !hidden!.has(flag))) : flags;
    if (ts.isIfStatement(parent)) {
      if (parent.thenStatement === current) needed.push(...needsOn(parent.expression, visible));
      else if (parent.elseStatement === current) needed.push(...needsOnWhenFalse(parent.expression, visible));
    } else if (ts.isConditionalExpression(parent)) {
      if (parent.whenTrue === current) needed.push(...needsOn(parent.condition, visible));
      else if (parent.whenFalse === current) needed.push(...needsOnWhenFalse(parent.condition, visible));
    } else if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) {
      needed.push(...needsOn(parent.left, visible));
    }
  }
  return needed;
}

/**
 * The flag parameters of `target` a call may turn on. A flag is off when the call leaves it out and
 * the parameter has no default or a false one (`sync = false`), or passes `false`, `0`, `null`,
 * `undefined` or `''`; anything else (a variable, a request's value, a spread) may turn it on. A call
 * that is not plainly the target's own (another name: a callback handed on, `.call`, an emit) turns
 * every flag on.
 */
export function flagsTurnedOn(call: CallLike | undefined, target: FunctionNode): ReadonlySet<string> {
  const flags = flagParameters(target);
  if (flags.size === 0 || !call || !ts.isCallExpression(call) || calleeName(call) === undefined || calleeName(call) !== functionName(target)) return flags;
  const on = new Set<string>();
  const spreadAt = call.arguments.findIndex((argument) => ts.isSpreadElement(argument));
  target.parameters.forEach((parameter, index) => {
    if (!ts.isIdentifier(parameter.name) || !flags.has(parameter.name.text)) return;
    if (spreadAt >= 0 && spreadAt <= index) return void on.add(parameter.name.text);
    const argument = call.arguments[index];
    const off = argument ? isFalseLiteral(argument) : !parameter.initializer || isFalseLiteral(parameter.initializer);
    if (!off) on.add(parameter.name.text);
  });
  return on;
}

function isFalseLiteral(expression: ts.Expression): boolean {
  const value = skipParentheses(expression);
  if (value.kind === SyntaxKind.FalseKeyword || value.kind === SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(value)) return value.text === 'undefined';
  if (ts.isNumericLiteral(value)) return Number(value.text) === 0;
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return value.text === '';
  return ts.isVoidExpression(value);
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipParentheses(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  return undefined;
}

function functionName(fn: FunctionNode): string | undefined {
  const own = (fn as { name?: ts.Node }).name;
  if (own && (ts.isIdentifier(own) || ts.isPrivateIdentifier(own) || ts.isStringLiteral(own))) return own.text;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && (ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name))) return parent.name.text;
  return undefined;
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let value = expression;
  while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value) || ts.isNonNullExpression(value)) value = value.expression;
  return value;
}
