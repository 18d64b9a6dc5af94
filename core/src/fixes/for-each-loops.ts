import ts = require('typescript');
import type { TextEdit } from '../types';
import { isFunctionNode, type FunctionNode } from '../analysis/file-facts';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** The rewrite of `list.forEach(cb)` as `for (const x of list) …`: its edits and the loop statement. */
export interface ForEachLoop {
  edits: TextEdit[];
  /** The statement that becomes the loop: code in it awaits, so the function around it becomes async. */
  statement: ts.ExpressionStatement;
}

/**
 * A callback of `list.forEach` that now awaits: the same work in a `for…of` loop, so each
 * element's work is awaited in order and the code after the loop runs after the last one, as it
 * did. Only where the loop means what the callback meant: one parameter (the element), an array
 * (or an untyped value, as `map` is trusted), no `return` (it would leave the function, not the
 * element), no `this`/`arguments` of a function expression, no `var` (it would be the enclosing
 * function's), the list not changed or read in the callback, the call a statement of its own.
 * `undefined` when the function is not a forEach callback; `{ refused }` says which use blocks it.
 */
export function forEachLoop(program: ts.Program, fn: FunctionNode, where: (node: ts.Node) => string): ForEachLoop | { refused: string } | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const call = node.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== node || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'forEach') return undefined;
  const list = call.expression.expression;
  if (call.arguments.length !== 1) return { refused: `it is given a \`this\` value (${where(call.arguments[1] ?? call)})` };
  const statement = call.parent;
  if (!ts.isExpressionStatement(statement)) return { refused: `what \`forEach\` returns is used (${where(call)})` };
  const [element, ...others] = fn.parameters;
  if (!element || others.length > 0) return { refused: `it takes ${element ? 'the index or the list too' : 'no element'}` };
  if (element.initializer || element.dotDotDotToken) return { refused: `its parameter \`${element.getText()}\` is not just the element` };
  const checker = program.getTypeChecker();
  const listType = checker.getTypeAtLocation(list);
  if (!(listType.flags & ts.TypeFlags.Any) && !checker.isArrayType(listType) && !checker.isTupleType(listType)) return { refused: `\`${list.getText()}\` is not an array, and a loop over it would not visit what \`forEach\` visits` };
  const blocker = loopBlocker(fn, list.getText(), where);
  if (blocker) return { refused: blocker };
  const file = fn.getSourceFile();
  const binding = ts.isIdentifier(element.name) && isAssigned(fn.body, element.name.text) ? 'let' : 'const';
  const body = fn.body;
  return {
    statement,
    edits: [
      { fileName: file.fileName, start: call.getStart(file), end: call.getStart(file), newText: `for (${binding} ${element.name.getText(file)} of ` },
      { fileName: file.fileName, start: list.getEnd(), end: body.getStart(file), newText: ') ' },
      // `});` after a block; `);` after an expression body, whose statement keeps its `;`.
      { fileName: file.fileName, start: body.getEnd(), end: statement.getEnd(), newText: ts.isBlock(body) ? '' : ';' },
    ],
  };
}

/** What in the callback's own code (not in functions inside it) a loop body would mean differently. */
function loopBlocker(fn: ts.ArrowFunction | ts.FunctionExpression, listText: string, where: (node: ts.Node) => string): string | undefined {
  let blocker: string | undefined;
  const ownThis = ts.isFunctionExpression(fn);
  const visit = (node: ts.Node, inOwnCode: boolean, inOwnThis: boolean): void => {
    if (blocker) return;
    if (inOwnCode && ts.isReturnStatement(node)) blocker = `its \`return\` (${where(node)}) would leave the enclosing function, not the element`;
    else if (inOwnThis && node.kind === SyntaxKind.ThisKeyword) blocker = `its \`this\` (${where(node)}) is the callback's own`;
    else if (inOwnThis && ts.isIdentifier(node) && node.text === 'arguments') blocker = `its \`arguments\` (${where(node)}) are the callback's own`;
    else if (inOwnCode && ts.isVariableDeclarationList(node) && !(node.flags & ts.NodeFlags.BlockScoped)) blocker = `its \`var\` (${where(node)}) would belong to the enclosing function`;
    else if (ts.isExpression(node) && node.getText() === listText) blocker = `it uses \`${listText}\` itself (${where(node)}), which a loop reads as it goes`;
    if (blocker) return;
    const nested = isFunctionNode(node) || ts.isClassLike(node);
    ts.forEachChild(node, (child) => visit(child, inOwnCode && !nested, inOwnThis && !(nested && !ts.isArrowFunction(node))));
  };
  visit(fn.body, true, ownThis);
  return blocker;
}

/** `name = …`, `name++`, `name += …` anywhere in `body`. */
function isAssigned(body: ts.Node, name: string): boolean {
  let assigned = false;
  const visit = (node: ts.Node): void => {
    if (assigned) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= SyntaxKind.FirstAssignment && node.operatorToken.kind <= SyntaxKind.LastAssignment && ts.isIdentifier(node.left) && node.left.text === name) assigned = true;
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken) && ts.isIdentifier(node.operand) && node.operand.text === name) assigned = true;
    ts.forEachChild(node, visit);
  };
  visit(body);
  return assigned;
}
