import ts = require('typescript');
import type { Span } from '../types';
import type { FunctionNode } from './file-facts';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Whether `node` lies inside `container` (the same file, between its first token and its end). */
export function within(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && container.getStart() <= node.getStart() && node.getEnd() <= container.getEnd();
}

/** `x = …`, `x += …`, `x++`, `--x`: the expression is what the assignment or update writes. */
export function isWriteTarget(expression: ts.Expression): boolean {
  const parent = expression.parent;
  if (ts.isBinaryExpression(parent)) return parent.left === expression && parent.operatorToken.kind >= SyntaxKind.FirstAssignment && parent.operatorToken.kind <= SyntaxKind.LastAssignment;
  return (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken);
}

/** 1-based line, 0-based column (ESLint's convention) of an offset in a file. */
export function lineAndColumn(sourceFile: ts.SourceFile, offset: number): { line: number; column: number } {
  const clamped = Math.max(0, Math.min(offset, sourceFile.text.length));
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(clamped);
  return { line: line + 1, column: character };
}

export function spanOf(node: ts.Node, sourceFile: ts.SourceFile = node.getSourceFile()): Span {
  return { fileName: sourceFile.fileName, start: node.getStart(sourceFile), end: node.getEnd() };
}



/** The text of a string-like literal, or undefined. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** A function's own name, or the variable it is assigned to (`const handler = async () => …`). */
export function functionName(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/** Name of a property, method, or declaration name node when it is static text. */
export function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/**
 * The name callers call a function by: a declaration's or method's own, else the variable, property or
 * `exports.x` that holds it (`const arm = (cb) => …`), else a function expression's own name.
 */
export function calledName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return propertyNameText(fn.name);
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return propertyNameText(parent.name);
  if (ts.isBinaryExpression(parent) && parent.right === node && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
  if (ts.isBinaryExpression(parent) && parent.right === node && ts.isIdentifier(parent.left)) return parent.left.text;
  return fn.name ? propertyNameText(fn.name) : undefined;
}

/** Strips parentheses, `as`, `satisfies`, `!` and type assertions. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    switch (current.kind) {
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.TypeAssertionExpression:
      case SyntaxKind.SatisfiesExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

/**
 * The value a process-wide singleton starts with: `globalThis.__x ?? (globalThis.__x = new Map())`
 * (or `||`, `global.__x`, or an alias `globalForSessions.x` of `globalThis as …`), as Next.js and
 * hot-reloading servers keep state across module reloads; also when the slot is only read here and
 * written after (`(global as any)._x || new Map()`, the next statement keeping it in the slot), or
 * filled in place (`g.x ??= new Map()`, `g` a local of `globalThis`);
 * any other expression as it is.
 */
export function globalSingletonValue(node: ts.Expression): ts.Expression {
  const value = skipOuterExpressions(node);
  if (!ts.isBinaryExpression(value)) return value;
  const operator = value.operatorToken.kind;
  if (operator === SyntaxKind.QuestionQuestionEqualsToken || operator === SyntaxKind.BarBarEqualsToken) return isGlobalSlot(value.left) ? skipOuterExpressions(value.right) : value;
  if (operator !== SyntaxKind.QuestionQuestionToken && operator !== SyntaxKind.BarBarToken) return value;
  const slot = skipOuterExpressions(value.left);
  if (!isGlobalSlot(slot)) return value;
  const right = skipOuterExpressions(value.right);
  if (!ts.isBinaryExpression(right) || right.operatorToken.kind !== SyntaxKind.EqualsToken) return right;
  return skipOuterExpressions(right.left).getText() === slot.getText() ? skipOuterExpressions(right.right) : value;
}

/** `global.x`, `globalThis['x']`, `(global as any).x`, `globalForPrisma.x`, or a member of a local given `globalThis` (`const g = globalThis as unknown as {…}`). */
function isGlobalSlot(expression: ts.Expression): boolean {
  const slot = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(slot) && !ts.isElementAccessExpression(slot)) return false;
  const holder = skipOuterExpressions(slot.expression);
  if (!ts.isIdentifier(holder)) return false;
  if (/^global/.test(holder.text)) return true;
  // The nearest declaration of the name above the slot, in a block or the module: a `const` given the global object.
  for (let scope: ts.Node | undefined = slot.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.Const) === 0) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== holder.text) continue;
        const initializer = declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
        return initializer !== undefined && ts.isIdentifier(initializer) && (initializer.text === 'globalThis' || initializer.text === 'global');
      }
    }
  }
  return false;
}

/** Data JSON gives back as written: literals, and arrays and objects of them with plain keys. */
export function isPlainData(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  switch (value.kind) {
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NumericLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
      return true;
    case SyntaxKind.PrefixUnaryExpression:
      return (value as ts.PrefixUnaryExpression).operator === SyntaxKind.MinusToken && ts.isNumericLiteral((value as ts.PrefixUnaryExpression).operand);
    case SyntaxKind.ArrayLiteralExpression:
      return (value as ts.ArrayLiteralExpression).elements.every(isPlainData);
    case SyntaxKind.ObjectLiteralExpression:
      return (value as ts.ObjectLiteralExpression).properties.every((property) => ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) || ts.isNumericLiteral(property.name)) && isPlainData(property.initializer));
    default:
      return false;
  }
}

/** SQL that changes rows or tables, by its first words. */
export const WRITE_SQL = /^\s*(?:with\b[\s\S]*?\)\s*)?(?:insert|update|delete|upsert|merge|replace|create|alter|drop|truncate|call)\b/i;

/** The text of the SQL a query call is given: a string, the head of a template, a tagged template, pg's `{ text }` config. */
export function sqlText(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  const value = skipOuterExpressions(argument);
  const literal = stringValue(value);
  if (literal !== undefined) return literal;
  if (ts.isTemplateExpression(value)) return value.head.text;
  if (ts.isTaggedTemplateExpression(value)) return ts.isNoSubstitutionTemplateLiteral(value.template) ? value.template.text : value.template.head.text;
  if (ts.isObjectLiteralExpression(value)) {
    const text = value.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyNameText(p.name) === 'text');
    return text ? sqlText(text.initializer) : undefined;
  }
  return undefined;
}

/** Code quoted in a message, on one line and at most 60 characters: a long call keeps its callee (`db.query(…)`). */
export function short(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  if (text.length <= 60) return text;
  return ts.isCallExpression(node) ? `${node.expression.getText()}(…)` : `${text.slice(0, 57)}…`;
}

/** `await x`, `(await x)`: the value awaited; any other expression as it is. */
export function awaitedValue(expression: ts.Expression): ts.Expression {
  const value = skipOuterExpressions(expression);
  return ts.isAwaitExpression(value) ? skipOuterExpressions(value.expression) : value;
}

/** `list.find((item) => …)`, `list.filter(function (item) {…})`: an array method handed a predicate (a database's `find` takes a query, not a function). */
export function isPredicateSearch(node: ts.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  const predicate = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
  return ts.isPropertyAccessExpression(callee) && PREDICATE_SEARCH.test(callee.name.text) && predicate !== undefined && (ts.isArrowFunction(predicate) || ts.isFunctionExpression(predicate));
}

const PREDICATE_SEARCH = /^(?:find|findLast|filter)$/;

/** Whether the node (in parentheses or not) is an argument of a call or a `new`. */
export function isCallArgument(node: ts.Node): boolean {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return (ts.isCallExpression(current.parent) || ts.isNewExpression(current.parent)) && (current.parent.arguments?.includes(current as ts.Expression) ?? false);
}

/** `static x`, `static get x()`, `static m()`: a member of the class itself, not of each instance. */
export function isStaticMember(member: ts.ClassElement): boolean {
  return (ts.canHaveModifiers(member) ? ts.getModifiers(member) : undefined)?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword) ?? false;
}

/** Code as a message quotes it: on one line, without spaces, but for one between two words (`new AdmZip(file).extractAllTo`). */
export function compactCode(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/ (?![\w$])|(?<![\w$]) /g, '');
}

/** What a function returns from its own body (not from functions written in it); an arrow's expression body. */
export function returnedValues(fn: FunctionNode): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) values.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return values;
}
