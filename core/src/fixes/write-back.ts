import ts = require('typescript');
import { skipOuterExpressions } from '../analysis/text';
import type { TextEdit } from '../types';
import type { FixContext } from './context';
import { referencesOf as referencesOfName } from './references';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Array methods that run their callback before they return: a change made in it is made by the statement that calls them. */
const SYNCHRONOUS_CALLBACKS = new Set(['forEach', 'map', 'filter', 'find', 'findIndex', 'some', 'every', 'reduce', 'reduceRight', 'flatMap', 'sort']);

/** Calls that change a Map or Set inside the value: JSON, which the store keeps, has neither. */
const COLLECTION_CHANGES = new Set(['set', 'add', 'clear', 'delete']);

/** A key read again where the value is written back: a name, a member chain, or one of them converted (`Number(req.params.id)`). */
const REREADABLE_KEY = /^(?:(?:Number|String|parseInt|parseFloat)\()?(?:this\.)?[\w$]+(?:\.[\w$]+)*(?:, ?10)?\)?$/;

/** What writes back the value a statement changed: the statement and the edits that set it again after it. */
export interface WriteBack {
  anchor: ts.Statement;
  edits: TextEdit[];
}

/**
 * `const todo = todos.get(id); … todo.done = true;`: the value read from a store is changed in
 * place, which a Redis copy would not keep. The change is kept by setting the value again right
 * after the statement that makes it (`await todos.set(id, todo);`), so every later read, on any
 * instance, sees it as the process would have. Undefined when `change` is not made through such a
 * local; a reason when it is, but the fix cannot write it back soundly.
 */
export function writeBackOf(change: ts.Node, read: ts.Expression, store: string, key: string, context: FixContext): WriteBack | string | undefined {
  const kept = entryWriteBack(change, read, store, (local) => `await ${store}.set(${key}, ${local});`, context);
  if (typeof kept !== 'object' || REREADABLE_KEY.test(key.replace(/\s+/g, ' '))) return kept;
  return `\`${change.getText()}\` (${context.where(change)}) changes a value whose key \`${key}\` the fix cannot read a second time to write it back`;
}

/**
 * The same for an entry of a list found by a search (`const todo = todos.find(…)`): `writeBack`
 * gives the statement that writes the local back.
 */
export function entryWriteBack(change: ts.Node, read: ts.Expression, store: string, writeBackOfLocal: (local: string) => string, context: FixContext): WriteBack | string | undefined {
  const local = localOf(read);
  if (!local || !changesLocal(change, local.name.text)) return undefined;
  const where = `\`${change.getText()}\` (${context.where(change)})`;
  if (ts.isCallExpression(change) && ts.isPropertyAccessExpression(change.expression) && COLLECTION_CHANGES.has(change.expression.name.text)) {
    return `${where} changes a Map or Set inside a value of \`${store}\`, which the store keeps as JSON`;
  }
  const scope = ts.findAncestor(read.parent, ts.isFunctionLike);
  if (isReassigned(local, scope ?? read.getSourceFile())) return `${where} changes \`${local.name.text}\`, which is assigned again, so the fix cannot tell which value to write back`;
  const anchor = statementOf(change, scope);
  if (!anchor) return `${where} changes the value inside a function that may run later, where the fix cannot write it back`;
  const file = anchor.getSourceFile();
  const writeBack = writeBackOfLocal(local.name.text);
  const start = anchor.getStart(file);
  const end = anchor.getEnd();
  if (ts.isBlock(anchor.parent) || ts.isSourceFile(anchor.parent) || ts.isCaseClause(anchor.parent) || ts.isDefaultClause(anchor.parent)) {
    const indentation = /[ \t]*$/.exec(file.text.slice(file.text.lastIndexOf('\n', start - 1) + 1, start))?.[0] ?? '';
    return { anchor, edits: [{ fileName: file.fileName, start: end, end, newText: `\n${indentation}${writeBack}` }] };
  }
  // if (req.body.done !== undefined) todo.done = req.body.done;
  return {
    anchor,
    edits: [
      { fileName: file.fileName, start, end: start, newText: '{ ' },
      { fileName: file.fileName, start: end, end, newText: ` ${writeBack} }` },
    ],
  };
}

/** The local the read is kept in as it is (`const todo = todos.get(id)`, `var s = sessions[sid]`), not a fallback or a copy. */
type Local = ts.VariableDeclaration & { name: ts.Identifier };

function localOf(read: ts.Expression): Local | undefined {
  let value: ts.Node = read;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent) || ts.isNonNullExpression(value.parent) || ts.isAwaitExpression(value.parent)) value = value.parent;
  const declaration = value.parent;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || skipOuterExpressions(declaration.initializer) !== skipOuterExpressions(value as ts.Expression) || !ts.isIdentifier(declaration.name)) return undefined;
  return declaration as Local;
}

/** Whether the change goes through the local itself (`todo.done = …`, `todo.tags.push(…)`). */
function changesLocal(change: ts.Node, local: string): boolean {
  let changed: ts.Node = ts.isBinaryExpression(change) ? change.left : ts.isCallExpression(change) ? change.expression : ts.isDeleteExpression(change) ? change.expression : ts.isPrefixUnaryExpression(change) || ts.isPostfixUnaryExpression(change) ? change.operand : change;
  while (ts.isPropertyAccessExpression(changed) || ts.isElementAccessExpression(changed)) changed = changed.expression;
  return ts.isIdentifier(changed) && changed.text === local;
}

/** `todo = other` or `todo++` anywhere in the local's scope. */
function isReassigned(local: Local, scope: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node !== local.name && node.text === local.name.text) {
      const parent = node.parent;
      if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= SyntaxKind.FirstAssignment && parent.operatorToken.kind <= SyntaxKind.LastAssignment) found = true;
      if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/**
 * The statement of the local's own function that makes the change: the change's statement, or, for a
 * change in the callback of a synchronous array method (`items.forEach((i) => cart.items.push(i))`),
 * the statement that calls it. Undefined when the change is in a function that may run later, or in
 * a statement after which nothing can run (`return`, `throw`).
 */
function statementOf(change: ts.Node, scope: ts.Node | undefined): ts.Statement | undefined {
  let current: ts.Node = change;
  for (;;) {
    const parent = current.parent;
    if (!parent) return undefined;
    if (parent === scope || (scope === undefined && ts.isSourceFile(parent))) return undefined;
    if (ts.isFunctionLike(parent)) {
      const call = parent.parent;
      const synchronous = (ts.isArrowFunction(parent) || ts.isFunctionExpression(parent)) && ts.isCallExpression(call) && call.arguments.includes(parent) && ts.isPropertyAccessExpression(call.expression) && SYNCHRONOUS_CALLBACKS.has(call.expression.name.text);
      if (!synchronous) return undefined;
      current = call;
      continue;
    }
    if (ts.isStatement(parent)) {
      const own = (ts.findAncestor(parent.parent, ts.isFunctionLike) ?? undefined) === scope;
      // A statement inside a callback the walk has not left yet: go on to the callback.
      if (own) return ts.isExpressionStatement(parent) || ts.isVariableStatement(parent) ? parent : undefined;
    }
    current = parent;
  }
}

/**
 * Where a value read from a store leaves the function that read it (`function findBook(id) { return
 * books.find(…); }`) and a caller changes it in place (`const book = findBook(id); book.available--`).
 * The Redis copy would not keep such a change, and the caller does not know the store to write it
 * back to. Followed through callers that return it on (two levels).
 */
export function changesThroughCallers(read: ts.Expression, program: ts.Program, changesOf: (value: ts.Expression) => ts.Node[], depth = 0): ts.Node[] {
  return callerChanges(read, program, changesOf, depth).map((found) => found.change);
}

/** The same, with the call each change is made through (`findBook(id)` of `const book = findBook(id); book.available--`). */
export function callerChanges(read: ts.Expression, program: ts.Program, changesOf: (value: ts.Expression) => ts.Node[], depth = 0): Array<{ call: ts.CallExpression; change: ts.Node }> {
  if (depth > 2) return [];
  let value: ts.Node = read;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent) || ts.isNonNullExpression(value.parent) || ts.isAwaitExpression(value.parent) || (ts.isBinaryExpression(value.parent) && value.parent.right === value && [SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken, SyntaxKind.AmpersandAmpersandToken].includes(value.parent.operatorToken.kind)) || (ts.isConditionalExpression(value.parent) && value.parent.condition !== value)) value = value.parent;
  // Returned as it is, or kept in a local the function returns.
  let fn: ts.SignatureDeclaration | undefined;
  if (ts.isReturnStatement(value.parent) || (ts.isArrowFunction(value.parent) && value.parent.body === value)) fn = ts.findAncestor(value.parent, ts.isFunctionLike);
  else if (ts.isVariableDeclaration(value.parent) && ts.isIdentifier(value.parent.name)) {
    const local = value.parent.name.text;
    const scope = ts.findAncestor(value.parent, ts.isFunctionLike);
    let returned = false;
    const visit = (node: ts.Node): void => {
      if (returned || (ts.isFunctionLike(node) && node !== scope)) return;
      if (ts.isReturnStatement(node) && node.expression && skipOuterExpressions(node.expression).getText() === local) returned = true;
      ts.forEachChild(node, visit);
    };
    if (scope) ts.forEachChild(scope, visit);
    if (returned) fn = scope;
  }
  if (!fn) return [];
  const name = functionNameOf(fn);
  if (!name) return [];
  const found: Array<{ call: ts.CallExpression; change: ts.Node }> = [];
  for (const reference of referencesOfName(program, name)) {
    const call = reference.parent;
    const callee = ts.isPropertyAccessExpression(call) && call.name === reference ? call : reference;
    if (!ts.isCallExpression(callee.parent) || callee.parent.expression !== callee) continue;
    const site = callee.parent;
    found.push(...changesOf(site).map((change) => ({ call: site, change })), ...callerChanges(site, program, changesOf, depth + 1));
  }
  return found;
}

/** The name a function is called by: its declaration's, its variable's, its method's or property's. */
function functionNameOf(fn: ts.SignatureDeclaration): ts.Identifier | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name;
  const holder = fn.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && holder.name && ts.isIdentifier(holder.name)) return holder.name;
  return undefined;
}
