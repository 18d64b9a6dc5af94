import ts = require('typescript');
import { isFunctionNode, type FunctionNode } from '../analysis/file-facts';
import { skipOuterExpressions } from '../analysis/text';
import { referencesOf, symbolOf } from './references';

/**
 * Lists of the program's own functions (`this.afterStore = [buildPreview]`, `const hooks = [a, b]`)
 * run over by `list.map((step) => step(x))`, `list.forEach(…)` or `for (const step of list)`: what
 * a fix needs to follow a value through them, both ways — from the parameter `step` to the
 * functions it can be, and from a function to the calls that run it through the list.
 */

/** Array methods whose callback gets each element as its first parameter. */
const ELEMENT_METHODS = new Set(['map', 'forEach', 'flatMap', 'filter', 'some', 'every', 'find']);

/** The name a list is held by: `afterStore` of `this.afterStore`, `hooks` of `hooks`. */
function holderName(expression: ts.Expression): ts.Identifier | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) return value;
  return ts.isPropertyAccessExpression(value) && ts.isIdentifier(value.name) ? value.name : undefined;
}

/** The list value a reference to the holder stands for: `this.afterStore` for the identifier `afterStore` in it. */
function holderExpression(reference: ts.Identifier): ts.Expression {
  return ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
}

/** The array literal assigned to the holder at this reference (`x = [...]`, `const x = [...]`, `x = [...];` in a class); undefined when it is not an assignment. */
function assignedList(reference: ts.Identifier): ts.ArrayLiteralExpression | 'other' | undefined {
  const parent = reference.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === reference) {
    const value = parent.initializer && skipOuterExpressions(parent.initializer);
    return value && ts.isArrayLiteralExpression(value) ? value : 'other';
  }
  const target = holderExpression(reference);
  const assignment = target.parent;
  if (ts.isBinaryExpression(assignment) && assignment.left === target && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const value = skipOuterExpressions(assignment.right);
    return ts.isArrayLiteralExpression(value) ? value : 'other';
  }
  return undefined;
}

/** The function an element of a list is: a function literal, or a name declared as one in the program. */
function elementFunction(element: ts.Expression, checker: ts.TypeChecker): FunctionNode | undefined {
  const value = skipOuterExpressions(element);
  if (isFunctionNode(value)) return value;
  if (!ts.isIdentifier(value)) return undefined;
  const declaration = symbolOf(checker, value)?.valueDeclaration;
  if (!declaration || declaration.getSourceFile().isDeclarationFile) return undefined;
  if (ts.isFunctionDeclaration(declaration)) return declaration;
  const initializer = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  return initializer && isFunctionNode(initializer) ? initializer : undefined;
}

/**
 * The functions a callback's parameter can be: `step` in `this.afterStore.map((step) => step(x))`
 * when every assignment of `afterStore` is an array literal of the program's own functions and the
 * list is not changed in place anywhere. Undefined when the parameter is not an element of such a list.
 */
export function functionsOfElement(parameter: ts.ParameterDeclaration, program: ts.Program): FunctionNode[] | undefined {
  const callback = parameter.parent;
  if (!isFunctionNode(callback) || callback.parameters[0] !== parameter) return undefined;
  const call = skipOuterExpressionsUp(callback).parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== skipOuterExpressionsUp(callback) || !ts.isPropertyAccessExpression(call.expression) || !ELEMENT_METHODS.has(call.expression.name.text)) return undefined;
  const holder = holderName(call.expression.expression);
  return holder ? functionsHeldBy(holder, program) : undefined;
}

/** `for (const step of this.afterStore)`: the functions `step` can be, as for a callback's parameter. */
export function functionsOfLoopVariable(declaration: ts.VariableDeclaration, program: ts.Program): FunctionNode[] | undefined {
  const list = declaration.parent;
  const loop = list.parent;
  if (!ts.isVariableDeclarationList(list) || !ts.isForOfStatement(loop) || loop.initializer !== list || list.declarations.length !== 1) return undefined;
  const holder = holderName(loop.expression);
  return holder ? functionsHeldBy(holder, program) : undefined;
}

function functionsHeldBy(holder: ts.Identifier, program: ts.Program): FunctionNode[] | undefined {
  const checker = program.getTypeChecker();
  const functions: FunctionNode[] = [];
  const references = [holder, ...referencesOf(program, holder)];
  for (const reference of references) {
    const list = assignedList(reference);
    if (list === 'other') return undefined;
    if (list) {
      for (const element of list.elements) {
        const fn = elementFunction(element, checker);
        if (!fn) return undefined;
        functions.push(fn);
      }
      continue;
    }
    // Read only where its elements are run: a list pushed to, spliced or handed elsewhere holds other functions too.
    if (!isElementRun(holderExpression(reference))) return undefined;
  }
  return functions.length > 0 ? [...new Set(functions)] : undefined;
}

/** `list.map(cb)` (any element method) or `for (… of list)`. */
function isElementRun(list: ts.Expression): boolean {
  const parent = list.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === list && ELEMENT_METHODS.has(parent.name.text) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return true;
  return ts.isForOfStatement(parent) && parent.expression === list;
}

/**
 * A function held in a list (`[buildPreview]` assigned to `this.afterStore`): the calls that run it
 * through the list (`step(target)` in `this.afterStore.map((step) => step(target))`), or a refusal
 * naming the use of the list that runs its elements some other way. Undefined when the reference is
 * not an element of a list assigned to a name.
 */
export function callsThroughList(element: ts.Identifier, program: ts.Program, where: (node: ts.Node) => string): { calls: ts.CallExpression[] } | { refused: string } | undefined {
  const list = skipOuterExpressionsUp(element).parent;
  if (!ts.isArrayLiteralExpression(list)) return undefined;
  const owner = skipOuterExpressionsUp(list).parent;
  const holder =
    (ts.isVariableDeclaration(owner) || ts.isPropertyDeclaration(owner)) && ts.isIdentifier(owner.name)
      ? owner.name
      : ts.isBinaryExpression(owner) && owner.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuterExpressions(owner.right) === list
        ? holderName(owner.left)
        : undefined;
  if (!holder) return undefined;
  const calls: ts.CallExpression[] = [];
  for (const reference of [holder, ...referencesOf(program, holder)]) {
    if (assignedList(reference)) continue;
    const used = holderExpression(reference);
    const parent = used.parent;
    let variable: ts.Identifier | undefined;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === used && ELEMENT_METHODS.has(parent.name.text) && ts.isCallExpression(parent.parent)) {
      const callback = parent.parent.arguments[0] && skipOuterExpressions(parent.parent.arguments[0]);
      const first = callback && isFunctionNode(callback) ? callback.parameters[0] : undefined;
      if (first && ts.isIdentifier(first.name)) variable = first.name;
    } else if (ts.isForOfStatement(parent) && parent.expression === used && ts.isVariableDeclarationList(parent.initializer) && parent.initializer.declarations.length === 1 && ts.isIdentifier(parent.initializer.declarations[0].name)) {
      variable = parent.initializer.declarations[0].name;
    }
    if (!variable) return { refused: `\`${used.getText()}\` (${where(used)}) runs the functions of the list in a way the fix cannot follow` };
    for (const use of referencesOf(program, variable)) {
      const call = use.parent;
      if (ts.isCallExpression(call) && call.expression === use) calls.push(call);
      else return { refused: `\`${use.getText()}\` (${where(use)}) uses a function of \`${holder.text}\` as a value` };
    }
  }
  return { calls };
}

/** The outermost parenthesis or type assertion around a node (the node itself when there is none). */
function skipOuterExpressionsUp(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isSatisfiesExpression(current.parent) || ts.isNonNullExpression(current.parent)) current = current.parent;
  return current;
}
