import ts = require('typescript');
import { isFunctionNode, type FunctionNode } from './file-facts';
import { localDeclarations } from './scope';
import { skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

// What a module's factory makes, read from syntax: nightscout's `function init(env, ctx) { function api() { return api; } api.save = …; return api(); }`,
// `const storage = {}; storage.reload = …; return storage;`, `return { insert, list }`.

/**
 * What a module's factory gives back, besides instances: an object literal (`return { insert, list }`),
 * or one of its own functions or variables (`return api`, `return api()` where `function api() { return api; }`)
 * whose members are hung on it in the factory (`api.insert = function …`).
 */
export function factoryResults(fn: FunctionNode): readonly ts.Node[] {
  let results = factoryResultsCache.get(fn);
  if (!results) {
    results = collectFactoryResults(fn, true);
    factoryResultsCache.set(fn, results);
  }
  return results;
}

const factoryResultsCache = new WeakMap<FunctionNode, readonly ts.Node[]>();

function collectFactoryResults(fn: FunctionNode, followLocalCalls: boolean): ts.Node[] {
  if (!fn.body) return [];
  const result: ts.Node[] = [];
  for (const expression of returnedExpressions(fn)) {
    const value = frozenValue(skipOuterExpressions(expression));
    if (ts.isObjectLiteralExpression(value)) result.push(value);
    else if (ts.isIdentifier(value)) result.push(...ownBindings(fn, value.text));
    else if (followLocalCalls && ts.isCallExpression(value) && ts.isIdentifier(skipOuterExpressions(value.expression))) {
      for (const local of ownBindings(fn, (skipOuterExpressions(value.expression) as ts.Identifier).text)) {
        if (ts.isFunctionDeclaration(local)) result.push(...collectFactoryResults(local, false).filter((found) => found === local || ts.isObjectLiteralExpression(found)));
      }
    }
  }
  return result;
}

/** `Object.freeze(service)`, `Object.seal(service)`: the object itself, made read-only (its members are the same). */
function frozenValue(value: ts.Expression): ts.Expression {
  if (!ts.isCallExpression(value) || value.arguments.length !== 1) return value;
  const callee = skipOuterExpressions(value.expression);
  const isFreeze = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && (callee.name.text === 'freeze' || callee.name.text === 'seal');
  return isFreeze ? skipOuterExpressions(value.arguments[0]) : value;
}

/** What a function returns: its `return` expressions (not those of functions written inside it), or an arrow's expression body. */
export function returnedExpressions(fn: FunctionNode): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const returned: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return returned;
}

/** A function's own declaration of `name` in its body's statements, or the function itself when it is so named. */
function ownBindings(fn: FunctionNode, name: string): ts.Node[] {
  if (ts.isFunctionDeclaration(fn) && fn.name?.text === name) return [fn];
  if (!fn.body || !ts.isBlock(fn.body)) return [];
  const found: ts.Node[] = [];
  for (const statement of fn.body.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) found.push(statement);
    if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === name) found.push(declaration);
  }
  return found;
}

/**
 * `api.insert = function …` beside a function's own `function api() {…}` or `var api = {}`: the members
 * hung on a local name in the body that declares it (not on a module-scope one, which its module's
 * exports already describe).
 */
export function expandoMembers(value: ts.Node, name: string): ts.BinaryExpression[] {
  if (!(ts.isFunctionDeclaration(value) || (ts.isVariableDeclaration(value) && madeHere(value.initializer))) || !value.name || !ts.isIdentifier(value.name)) return [];
  const scope = ts.isVariableDeclaration(value) ? value.parent.parent.parent : value.parent;
  if (!scope || !ts.isBlock(scope) || !isFunctionNode(scope.parent)) return [];
  const owner = value.name.text;
  const found: ts.BinaryExpression[] = [];
  // Anywhere in the body, `var storage = api.storage = …` and `api.roles = results` in a callback included, where the name is still this one.
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
      const left = node.left;
      if (ts.isPropertyAccessExpression(left) && left.name.text === name && ts.isIdentifier(left.expression) && left.expression.text === owner && localDeclarations(left.expression)[0] === value) found.push(node);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return found;
}

/**
 * `const self = { onHold: new Set() }` at module scope, then `self.upload = async (req, res) => …` in the module's own
 * statements: the members hung on the object after its literal (a CommonJS module written as one object and exported
 * with `module.exports = self`). Only the assignments of the module's top level: one inside a function runs when it is
 * called, and a local of the same name in a function is another object. An empty literal's members are read as a
 * context object's (by name, across the project) instead.
 */
export function moduleObjectMembers(value: ts.Node, name: string): ts.BinaryExpression[] {
  if (!ts.isVariableDeclaration(value) || !ts.isIdentifier(value.name) || !value.initializer) return [];
  const literal = skipOuterExpressions(value.initializer);
  if (!ts.isObjectLiteralExpression(literal) || literal.properties.length === 0) return [];
  const statement = value.parent.parent;
  if (!statement || !ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent)) return [];
  const owner = value.name.text;
  const found: ts.BinaryExpression[] = [];
  for (const topLevel of statement.parent.statements) {
    if (!ts.isExpressionStatement(topLevel)) continue;
    // `self.get = self.fetch = function …`: each place of a chained assignment.
    let current = skipOuterExpressions(topLevel.expression);
    for (let guard = 0; guard < 4 && ts.isBinaryExpression(current) && current.operatorToken.kind === SyntaxKind.EqualsToken; guard++) {
      const left = skipOuterExpressions(current.left);
      if (ts.isPropertyAccessExpression(left) && left.name.text === name && ts.isIdentifier(left.expression) && left.expression.text === owner) found.push(current);
      current = skipOuterExpressions(current.right);
    }
  }
  return found;
}

/** `{}`, `{ … }`, `function () {…}`, or no value yet: an object the declaring function makes, whose members it may add. */
function madeHere(initializer: ts.Expression | undefined): boolean {
  const value = initializer && skipOuterExpressions(initializer);
  return value === undefined || ts.isObjectLiteralExpression(value) || ts.isFunctionExpression(value) || ts.isArrowFunction(value);
}

/**
 * `function wrapController(controller) { const wrapped = {}; Object.keys(controller).forEach((key) => { wrapped[key] =
 * asyncHandler(controller[key]); }); return wrapped; }`: a function that gives back an object with its argument's members, each
 * wrapped (Express async wrappers applied to a whole controller module). The position of that argument: `wrapped.login` runs the
 * argument's `login`. The function must walk the argument's keys (`Object.keys`/`Object.entries`, `for … in`), read its members by
 * key, and return what it built.
 */
export function memberWiseParameter(fn: FunctionNode): number | undefined {
  if (!fn.body || !ts.isBlock(fn.body) || returnedExpressions(fn).length === 0) return undefined;
  for (const [index, parameter] of fn.parameters.entries()) {
    if (!ts.isIdentifier(parameter.name)) continue;
    const name = parameter.name.text;
    let walksKeys = false;
    let readsByKey = false;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length === 1 && isNamed(node.arguments[0], name) && /^Object\.(keys|entries)$/.test(node.expression.getText())) walksKeys = true;
      if (ts.isForInStatement(node) && isNamed(node.expression, name)) walksKeys = true;
      if (ts.isElementAccessExpression(node) && isNamed(node.expression, name) && !ts.isStringLiteralLike(node.argumentExpression)) readsByKey = true;
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn.body, visit);
    if (walksKeys && readsByKey) return index;
  }
  return undefined;
}

function isNamed(expression: ts.Expression, name: string): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isIdentifier(value) && value.text === name;
}
