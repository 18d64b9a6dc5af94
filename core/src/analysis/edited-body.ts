import ts = require('typescript');
import { skipOuterExpressions } from './text';

/**
 * Where the part of an edited function body that the edit cannot have changed ends: the statements
 * of the body before the one the edit is in. An editor's keystroke lands in one statement of a
 * handler; what the statements before it refer to, and the calls they make, are what they were in
 * the previous program, so the answers about them are carried too (the checker of a new program
 * would otherwise type them again: on outline, resolving the calls of the 250-line handler being
 * typed in was most of a keystroke).
 *
 * The checker reads code in order: what a name before the edit refers to, and its narrowed type,
 * come from declarations and control flow before it, and a function body's statements share no
 * loop of their own. What reaches back is a name declared from the edited statement on (a
 * hoisted function or `var`, a type, a variable a closure before it reads) and, for the syntax-based
 * fallbacks, a variable assigned there (`x = …`): when an earlier statement mentions any of those
 * names, nothing of the body is carried. `undefined` when
 * nothing of the body is (the edit is in its first statement, spans two, or the body is an
 * expression).
 */
export function unaffectedPrefixEnd(before: ts.SourceFile, bodyAfter: ts.Node, start: number, newEnd: number, delta: number): number | undefined {
  if (!ts.isBlock(bodyAfter)) return undefined;
  const index = bodyAfter.statements.findIndex((statement) => statement.pos <= start && statement.end >= newEnd);
  if (index <= 0) return undefined;
  const boundary = bodyAfter.statements[index].pos;
  const bodyBefore = nodeAt(before, bodyAfter.pos, bodyAfter.end - delta, bodyAfter.kind);
  if (!bodyBefore || !ts.isBlock(bodyBefore)) return undefined;
  // The statements before the edit parse as they did (no statement merged across the boundary).
  for (let i = 0; i < index; i++) {
    const was = bodyBefore.statements[i];
    const is = bodyAfter.statements[i];
    if (!was || was.pos !== is.pos || was.end !== is.end || was.kind !== is.kind) return undefined;
  }
  const reachingBack = new Set<string>();
  for (const statement of bodyAfter.statements.slice(index)) namesReachingBack(statement, reachingBack);
  for (const statement of bodyBefore.statements) if (statement.pos >= boundary) namesReachingBack(statement, reachingBack);
  if (reachingBack.size === 0) return boundary;
  let mentioned = false;
  const visit = (node: ts.Node): void => {
    if (mentioned) return;
    if (ts.isIdentifier(node) && reachingBack.has(node.text) && !isMemberName(node)) mentioned = true;
    else ts.forEachChild(node, visit);
  };
  for (let i = 0; i < index && !mentioned; i++) visit(bodyAfter.statements[i]);
  return mentioned ? undefined : boundary;
}

/**
 * Names a statement declares (in any block, not inside a nested function) or assigns (a variable,
 * anywhere in it: `x = …`, `[a, b] = …`). A member it writes (`ctx.body = …`) changes no name: the
 * lineage already carries other files' answers across member writes inside a sealed body.
 */
function namesReachingBack(statement: ts.Statement, names: Set<string>): void {
  const addAll = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, addAll);
  };
  const addAssigned = (target: ts.Expression): void => {
    const assigned = skipOuterExpressions(target);
    if (ts.isIdentifier(assigned) || ts.isArrayLiteralExpression(assigned) || ts.isObjectLiteralExpression(assigned)) addAll(assigned);
  };
  const visit = (node: ts.Node, inFunction: boolean): void => {
    const name = (node as ts.NamedDeclaration).name;
    if (!inFunction && name && (ts.isVariableDeclaration(node) || ts.isBindingElement(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node))) {
      addAll(name);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) addAssigned(node.left);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) addAssigned(node.operand);
    ts.forEachChild(node, (child) => visit(child, inFunction || ts.isFunctionLike(node)));
  };
  visit(statement, false);
}

/** A name that is a member's, looked up on a value or type rather than in scope: `ctx.state.pagination`, `{ pagination: 1 }`, `A.B`. */
function isMemberName(name: ts.Identifier): boolean {
  const parent = name.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === name;
  if (ts.isQualifiedName(parent)) return parent.right === name;
  if (ts.isBindingElement(parent)) return parent.propertyName === name;
  return (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent) || ts.isJsxAttribute(parent)) && parent.name === name;
}

/** The node of `kind` spanning exactly `pos`–`end` in `file`. */
export function nodeAt(file: ts.SourceFile, pos: number, end: number, kind: ts.SyntaxKind): ts.Node | undefined {
  let found: ts.Node | undefined;
  const descend = (current: ts.Node): void => {
    if (current.pos === pos && current.end === end && current.kind === kind) found = current;
    ts.forEachChild(current, (child) => {
      // Children come in order: none after one that starts past `pos` can hold it (an edited file's names are mapped one by one on every keystroke).
      if (found || child.pos > pos) return true;
      if (child.end >= end) descend(child);
      return undefined;
    });
  };
  descend(file);
  return found;
}
