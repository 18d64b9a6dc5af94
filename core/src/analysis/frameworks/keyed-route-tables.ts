import ts = require('typescript');
import type { FunctionNode } from '../file-facts';
import { propertyNameText, returnedValues, skipOuterExpressions, stringValue } from '../text';
import { initializerOf } from '../untyped-resolve';
import type { DetectorContext, EntryCandidate } from './types';

/**
 * Routes kept in an object keyed by method and path, `{ 'post /api/v1/login': { authenticated: false,
 * controller: users.login } }` (sails-style route files), registered by a loop over its keys that splits
 * each key: `Object.keys(routes).forEach((key) => { const [method, path] = key.split(' '); router[method](path, ...params) })`.
 * Each key is an entry, labelled with its method and path and registered where the key is written; its
 * handlers are what the registration names of the key's value (`routes[key].controller`, pushed into the
 * argument list or given directly). The table is followed through names, the function that returns it and
 * `Object.assign(table, part)`. An object of paths that no such loop registers (a client's API map, a
 * mock server's table) is no route.
 */
export function detectKeyedTableRoute(context: DetectorContext, call: ts.CallExpression, callee: ts.ElementAccessExpression, receiverIsServer: boolean, found: EntryCandidate[]): void {
  if (!receiverIsServer || call.arguments.length < 2) return;
  const method = keyPart(callee.argumentExpression);
  const path = keyPart(call.arguments[0]);
  if (!method || !path || method.key !== path.key || method.index !== 0 || path.index !== 1) return;
  const iteration = keyIteration(method.key);
  if (!iteration) return;
  const rows = tableRows(iteration.table, context, 0);
  if (rows.length === 0) return;
  const reads = call.arguments.slice(1).flatMap((argument) => rowReads(ts.isSpreadElement(argument) ? argument.expression : argument, iteration, call));
  if (reads.length === 0) return;
  for (const row of rows) {
    const key = propertyNameText(row.name);
    const parsed = key === undefined ? undefined : ROUTE_KEY.exec(key.trim());
    if (!parsed) continue;
    const handlers: (ts.Expression | FunctionNode)[] = [];
    for (const property of reads) {
      const value = property === undefined ? rowValue(row) : memberOf(rowValue(row), property);
      if (value) handlers.push(value);
    }
    if (handlers.length === 0) continue;
    const verb = parsed[1].toLowerCase() === 'del' ? 'DELETE' : parsed[1].toUpperCase();
    found.push({ label: `${verb} ${parsed[2]}`, framework: 'http', registration: row, handlers, route: { method: verb, path: parsed[2], receiver: callee.expression } });
  }
}

const ROUTE_KEY = /^(get|post|put|patch|delete|del|all|options|head)\s+(\/\S*)$/i;
const MAX_DEPTH = 4;

/** Which part of a split key an expression is: `parts[0]` after `const parts = key.split(' ')`, `method` of `const [method, path] = key.split(' ')`, `key.split(' ')[1]`. */
function keyPart(expression: ts.Expression): { key: ts.Identifier; index: number } | undefined {
  let value = skipOuterExpressions(expression);
  if (ts.isCallExpression(value) && value.arguments.length === 0 && ts.isPropertyAccessExpression(value.expression) && /^(toLowerCase|toUpperCase|trim)$/.test(value.expression.name.text)) value = skipOuterExpressions(value.expression.expression);
  if (ts.isElementAccessExpression(value) && ts.isNumericLiteral(value.argumentExpression)) {
    const index = Number(value.argumentExpression.text);
    const key = splitKey(value.expression);
    return key ? { key, index } : undefined;
  }
  if (!ts.isIdentifier(value)) return undefined;
  const declaration = localDeclaration(value);
  if (!declaration) return undefined;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) return keyPart(declaration.initializer);
  // const [method, path] = key.split(' ')
  if (ts.isBindingElement(declaration) && ts.isArrayBindingPattern(declaration.parent) && ts.isVariableDeclaration(declaration.parent.parent) && declaration.parent.parent.initializer) {
    const key = splitKey(declaration.parent.parent.initializer);
    return key ? { key, index: declaration.parent.elements.indexOf(declaration) } : undefined;
  }
  return undefined;
}

/** The key a `key.split(' ')` (or `split(/\s+/)`) splits, through a local that holds the parts. */
function splitKey(expression: ts.Expression): ts.Identifier | undefined {
  let value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) {
    const declaration = localDeclaration(value);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    value = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression) || value.expression.name.text !== 'split' || value.arguments.length < 1) return undefined;
  const separator = value.arguments[0];
  if (!(stringValue(separator)?.trim() === '' || ts.isRegularExpressionLiteral(separator))) return undefined;
  const key = skipOuterExpressions(value.expression.expression);
  return ts.isIdentifier(key) ? key : undefined;
}

/** The declaration of a name in the functions and blocks around it, before it: a `const`, a destructured element, a parameter. */
function localDeclaration(name: ts.Identifier): ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration | undefined {
  for (let node: ts.Node | undefined = name.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node)) {
      for (const parameter of node.parameters) {
        const found = bindingNamed(parameter.name, name.text);
        if (found) return found === parameter.name ? parameter : (found.parent as ts.BindingElement);
      }
    }
    if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && ts.isVariableDeclarationList(node.initializer)) {
      for (const declaration of node.initializer.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === name.text) return declaration;
    }
    if (!ts.isBlock(node)) continue;
    for (const statement of node.statements) {
      if (statement.pos >= name.pos || !ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const found = bindingNamed(declaration.name, name.text);
        if (found) return found === declaration.name ? declaration : (found.parent as ts.BindingElement);
      }
    }
  }
  return undefined;
}

function bindingNamed(binding: ts.BindingName, text: string): ts.Identifier | undefined {
  if (ts.isIdentifier(binding)) return binding.text === text ? binding : undefined;
  for (const element of binding.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const found = bindingNamed(element.name, text);
    if (found) return found;
  }
  return undefined;
}

/** A loop over a table's keys: the table, and the name its key's value is bound to (`Object.entries`). */
interface KeyIteration {
  table: ts.Expression;
  key: ts.Identifier;
  /** `([key, value]) => …` of `Object.entries(table)`. */
  value?: ts.Identifier;
}

/** `Object.keys(t).forEach((key) => …)`, `keys.forEach(…)` after `const keys = Object.keys(t)`, `for (const key of Object.keys(t))`, `for (const key in t)`, `Object.entries(t).forEach(([key, value]) => …)`. */
function keyIteration(key: ts.Identifier): KeyIteration | undefined {
  const declaration = localDeclaration(key);
  if (!declaration) return undefined;
  if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent)) {
    const loop = declaration.parent.parent;
    if (ts.isForInStatement(loop)) return { table: loop.expression, key };
    if (ts.isForOfStatement(loop)) {
      const table = keysOf(loop.expression);
      return table ? { table, key } : undefined;
    }
    return undefined;
  }
  let parameter: ts.ParameterDeclaration | undefined;
  let value: ts.Identifier | undefined;
  if (ts.isParameter(declaration)) parameter = declaration;
  else if (ts.isBindingElement(declaration) && ts.isArrayBindingPattern(declaration.parent) && ts.isParameter(declaration.parent.parent) && declaration.parent.elements.indexOf(declaration) === 0) {
    parameter = declaration.parent.parent;
    const second = declaration.parent.elements[1];
    if (second && !ts.isOmittedExpression(second) && ts.isIdentifier(second.name)) value = second.name;
  }
  const callback = parameter?.parent;
  if (!parameter || !callback || callback.parameters[0] !== parameter || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || !ts.isCallExpression(callback.parent)) return undefined;
  const iterating = skipOuterExpressions(callback.parent.expression);
  if (!ts.isPropertyAccessExpression(iterating) || !/^(forEach|map)$/.test(iterating.name.text) || callback.parent.arguments[0] !== callback) return undefined;
  const table = keysOf(iterating.expression, value !== undefined);
  return table ? { table, key, value } : undefined;
}

/** The table of `Object.keys(table)` (or `Object.entries(table)` when entries are wanted), through a local that holds the keys. */
function keysOf(expression: ts.Expression, entries = false): ts.Expression | undefined {
  let value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) {
    const declaration = localDeclaration(value);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    value = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isCallExpression(value) || value.arguments.length !== 1 || value.expression.getText() !== (entries ? 'Object.entries' : 'Object.keys')) return undefined;
  return value.arguments[0];
}

/**
 * What an argument of the registration reads of the key's row: `routes[key].controller` (→ `controller`),
 * `routes[key]` or the entry's value (→ the row's value itself), or the same through an array the
 * loop's body pushes them into (`params.push(routes[key].controller)`, then `...params`).
 */
function rowReads(argument: ts.Expression, iteration: KeyIteration, registration: ts.CallExpression): (string | undefined)[] {
  const value = skipOuterExpressions(argument);
  const direct = rowRead(value, iteration);
  if (direct !== null) return [direct];
  if (!ts.isIdentifier(value)) return [];
  const declaration = localDeclaration(value);
  const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (!initializer || !ts.isArrayLiteralExpression(initializer)) return [];
  const reads: (string | undefined)[] = [];
  const scope = declaration!.parent.parent.parent;
  const visit = (node: ts.Node): void => {
    if (node.pos >= registration.pos) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'push' && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === value.text) {
      for (const pushed of node.arguments) {
        const read = rowRead(skipOuterExpressions(pushed), iteration);
        if (read !== null) reads.push(read);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return reads;
}

/** `table[key].name` → name, `table[key]` or the entry's value → undefined (the row's value), anything else → null. */
function rowRead(value: ts.Expression, iteration: KeyIteration): string | undefined | null {
  const isRow = (node: ts.Expression): boolean => {
    const inner = skipOuterExpressions(node);
    if (iteration.value && ts.isIdentifier(inner)) return inner.text === iteration.value.text;
    return ts.isElementAccessExpression(inner) && ts.isIdentifier(skipOuterExpressions(inner.argumentExpression)) && (skipOuterExpressions(inner.argumentExpression) as ts.Identifier).text === iteration.key.text && skipOuterExpressions(inner.expression).getText() === skipOuterExpressions(iteration.table).getText();
  };
  if (isRow(value)) return undefined;
  if (ts.isPropertyAccessExpression(value) && isRow(value.expression)) return value.name.text;
  return null;
}

/** The keyed properties of a table: an object literal (spreads included), through names, the function that returns it and `Object.assign(table, part)`. */
function tableRows(expression: ts.Expression, context: DetectorContext, depth: number): ts.ObjectLiteralElementLike[] {
  if (depth > MAX_DEPTH) return [];
  const value = skipOuterExpressions(expression);
  if (ts.isObjectLiteralExpression(value)) {
    return value.properties.flatMap((property) => (ts.isSpreadAssignment(property) ? tableRows(property.expression, context, depth + 1) : [property]));
  }
  const rows: ts.ObjectLiteralElementLike[] = [];
  const add = (found: readonly ts.ObjectLiteralElementLike[]): void => {
    for (const row of found) if (!rows.includes(row)) rows.push(row);
  };
  if (ts.isCallExpression(value)) {
    // getRoutes(app): what the function returns.
    for (const fn of context.resolver.callTargets(value)) for (const returned of returnedValues(fn)) add(tableRows(returned, context, depth + 1));
    return rows;
  }
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return [];
  for (const declaration of context.resolver.declarationsOf(value)) {
    const assigned = initializerOf(declaration);
    if (assigned && assigned !== value) add(tableRows(assigned, context, depth + 1));
    // const routes = {}; … Object.assign(routes, coreRoutes)
    if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) add(assignedParts(declaration.name, context, depth));
  }
  return rows;
}

function assignedParts(name: ts.Identifier, context: DetectorContext, depth: number): ts.ObjectLiteralElementLike[] {
  const scope = name.parent.parent.parent.parent;
  const rows: ts.ObjectLiteralElementLike[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText() === 'Object.assign' && node.arguments.length >= 2 && ts.isIdentifier(skipOuterExpressions(node.arguments[0])) && (skipOuterExpressions(node.arguments[0]) as ts.Identifier).text === name.text) {
      for (const part of node.arguments.slice(1)) for (const row of tableRows(part, context, depth + 1)) if (!rows.includes(row)) rows.push(row);
    }
    ts.forEachChild(node, visit);
  };
  if (scope) visit(scope);
  return rows;
}

function rowValue(row: ts.ObjectLiteralElementLike): ts.Expression | ts.MethodDeclaration | undefined {
  if (ts.isPropertyAssignment(row)) return skipOuterExpressions(row.initializer);
  if (ts.isMethodDeclaration(row)) return row;
  return undefined;
}

function memberOf(value: ts.Expression | ts.MethodDeclaration | undefined, name: string): ts.Expression | ts.MethodDeclaration | undefined {
  if (!value || !ts.isObjectLiteralExpression(value)) return undefined;
  for (const property of value.properties) {
    if (propertyNameText(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
    if (ts.isMethodDeclaration(property)) return property;
  }
  return undefined;
}
