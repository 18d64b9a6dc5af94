import ts = require('typescript');
import type { FunctionNode } from '../file-facts';
import type { Resolver } from '../resolve';
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import { initializerOf } from '../untyped-resolve';
import type { DetectorContext, EntryCandidate } from './types';

/**
 * Routes registered from a table: `routes.forEach((route) => app[route.method](route.path, route.handler))`,
 * `for (const { method, path, handler } of routes) router[method](path, handler)`, and the TypeORM
 * starter's `(req, res, next) => new (route.controller)()[route.action](req, res, next)`. The table is
 * an array of object literals, here or in another module (`module.exports = [ … ]`, `export const Routes = [ … ]`),
 * its rows written inline or named. Each row is one entry, labelled with its own method and path and
 * registered where the row is written; what the call names with the row (`route.handler`,
 * `...route.middlewares`) is that row's value, and `controller[route.action]` (bound or not) the member the
 * row names. A table that does not resolve to rows registers nothing.
 */
export function detectTableRoute(context: DetectorContext, call: ts.CallExpression, callee: ts.ElementAccessExpression, receiverIsServer: boolean, found: EntryCandidate[]): void {
  if (!receiverIsServer || call.arguments.length < 2 || stringValue(skipOuterExpressions(callee.argumentExpression)) !== undefined) return;
  const methodOf = rowReference(callee.argumentExpression);
  if (!methodOf) return;
  const iteration = iterationOf(methodOf.row, call);
  if (!iteration) return;
  const rows = tableRows(iteration.table, context.resolver, 0);
  const [first, ...rest] = call.arguments;
  for (const row of rows) {
    const method = methodName(valueOf(row, methodOf.property), context.resolver);
    if (method === undefined || !ROUTE_METHOD.test(method)) continue;
    const pathReference = rowReference(first);
    const pathValue = pathReference && pathReference.row === methodOf.row ? valueOf(row, pathReference.property) : undefined;
    const path = pathValue ? routePathText(pathValue, context.resolver) : undefined;
    const handlers: (ts.Expression | FunctionNode)[] = [];
    for (const argument of rest) {
      const value = ts.isSpreadElement(argument) ? argument.expression : argument;
      const reference = rowReference(value);
      if (reference) {
        if (reference.row !== methodOf.row) continue;
        const handler = valueOf(row, reference.property);
        if (handler) handlers.push(handler);
        continue;
      }
      // controller[route.action], controller[route.action].bind(controller): the member the row names.
      const picked = pickedAction(value, methodOf.row, row, context.resolver);
      if (picked) {
        handlers.push(...picked);
        continue;
      }
      handlers.push(value);
      const inline = skipOuterExpressions(value);
      if (ts.isArrowFunction(inline) || ts.isFunctionExpression(inline)) handlers.push(...actionsCalledBy(inline, methodOf.row, row, context.resolver));
    }
    if (handlers.length === 0) continue;
    const verb = method.toLowerCase() === 'del' ? 'DELETE' : method.toUpperCase();
    found.push({ label: `${verb} ${path ?? `<${first.getText()}>`}`, framework: 'http', registration: row, handlers, route: { method: verb, path: path ?? '', receiver: callee.expression } });
  }
}

/** The rows a loop hands to a call as one argument (`routes.forEach((route) => fastify.route(route))`); none when the argument is not a row. */
export function tableRowsGiven(argument: ts.Expression, resolver: Resolver): ts.ObjectLiteralExpression[] {
  const value = skipOuterExpressions(argument);
  const row = ts.isIdentifier(value) ? bindingOf(value) : undefined;
  const iteration = row && iterationOf(row, argument);
  return iteration ? tableRows(iteration.table, resolver, 0) : [];
}

const ROUTE_METHOD = /^(get|post|put|patch|delete|del|all|options|head)$/i;
const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap', 'each']);
const MAX_DEPTH = 4;

/** A row and the property of it an expression reads: `route.handler`, `route['path']`, `route.method.toLowerCase()`, or `handler` destructured from the row. */
interface RowReference {
  /** The name the row is bound to, or the binding pattern it is destructured by. */
  row: ts.Identifier | ts.ObjectBindingPattern;
  property: string;
}

function rowReference(expression: ts.Expression): RowReference | undefined {
  let value = skipOuterExpressions(expression);
  // route.method.toLowerCase()
  if (ts.isCallExpression(value) && value.arguments.length === 0 && ts.isPropertyAccessExpression(value.expression) && /^to(Lower|Upper)Case$/.test(value.expression.name.text)) value = skipOuterExpressions(value.expression.expression);
  if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) {
    const property = ts.isPropertyAccessExpression(value) ? value.name.text : stringValue(value.argumentExpression);
    const owner = skipOuterExpressions(value.expression);
    if (property === undefined || !ts.isIdentifier(owner)) return undefined;
    const binding = bindingOf(owner);
    return binding && ts.isIdentifier(binding) ? { row: binding, property } : undefined;
  }
  if (!ts.isIdentifier(value)) return undefined;
  const binding = bindingOf(value) ?? destructuredFromRow(value);
  if (!binding || !ts.isBindingElement(binding.parent) || !ts.isObjectBindingPattern(binding.parent.parent)) return undefined;
  const element = binding.parent;
  const property = element.propertyName ? propertyNameText(element.propertyName) : element.name.getText();
  if (property === undefined) return undefined;
  // const { method, path, handler } = route: the row is the name the pattern destructures.
  const pattern = element.parent as ts.ObjectBindingPattern;
  const declaration = pattern.parent;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(skipOuterExpressions(declaration.initializer))) {
    const row = bindingOf(skipOuterExpressions(declaration.initializer) as ts.Identifier);
    return row ? { row, property } : undefined;
  }
  return { row: pattern, property };
}

/** A name declared by `const { method, path } = route` in a function around it (the row destructured in the loop's body). */
function destructuredFromRow(name: ts.Identifier): ts.Identifier | undefined {
  for (let node: ts.Node | undefined = name.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isBlock(node)) continue;
    for (const statement of node.statements) {
      if (statement.pos >= name.pos || !ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isObjectBindingPattern(declaration.name) && declaration.initializer && ts.isIdentifier(skipOuterExpressions(declaration.initializer))) {
          const found = findBinding(declaration.name, name.text);
          if (found) return found;
        }
      }
    }
  }
  return undefined;
}

/** The identifier a name is bound to by an enclosing function's parameter or `for … of` variable (the row of an iteration). */
function bindingOf(name: ts.Identifier): ts.Identifier | undefined {
  for (let node: ts.Node | undefined = name.parent; node; node = node.parent) {
    const bindings = ts.isFunctionLike(node) ? node.parameters.map((parameter) => parameter.name) : ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer) ? node.initializer.declarations.map((declaration) => declaration.name) : [];
    for (const binding of bindings) {
      const found = findBinding(binding, name.text);
      if (found) return found;
    }
  }
  return undefined;
}

function findBinding(binding: ts.BindingName, text: string): ts.Identifier | undefined {
  if (ts.isIdentifier(binding)) return binding.text === text ? binding : undefined;
  if (!ts.isObjectBindingPattern(binding)) return undefined;
  for (const element of binding.elements) if (ts.isIdentifier(element.name) && element.name.text === text && !element.dotDotDotToken) return element.name;
  return undefined;
}

/** The table a row comes from: `table.forEach((row) => …)`, `_.each(table, (row) => …)`, `table.forEach(setRoute)`, `for (const row of table)`. */
function iterationOf(row: ts.Identifier | ts.ObjectBindingPattern, registration: ts.Node): { table: ts.Expression } | undefined {
  const declaration = row.parent;
  if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && ts.isForOfStatement(declaration.parent.parent)) return { table: declaration.parent.parent.expression };
  if (!ts.isParameter(declaration) || declaration.parent.parameters[0] !== declaration) return undefined;
  const fn = declaration.parent;
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) return tableIteratedWith(fn);
  if (ts.isFunctionDeclaration(fn) && fn.name) {
    // routes.forEach(setRoute): the function is handed to the iteration by name, in this file.
    const name = fn.name.text;
    let table: ts.Expression | undefined;
    const visit = (node: ts.Node): void => {
      if (table) return;
      if (ts.isIdentifier(node) && node.text === name && node !== fn.name && ts.isCallExpression(node.parent) && node.parent.arguments.includes(node)) table = tableIteratedWith(node)?.table;
      ts.forEachChild(node, visit);
    };
    visit(registration.getSourceFile());
    return table ? { table } : undefined;
  }
  return undefined;
}

function tableIteratedWith(callback: ts.Expression): { table: ts.Expression } | undefined {
  const call = callback.parent;
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ITERATING_METHODS.has(callee.name.text)) return undefined;
  // _.each(table, fn) / _.forEach(table, fn)
  if (call.arguments.length === 2 && call.arguments[1] === callback && ts.isIdentifier(callee.expression) && /^(_|lodash|underscore|async)$/.test(callee.expression.text)) return { table: call.arguments[0] };
  return call.arguments[0] === callback ? { table: callee.expression } : undefined;
}

/** The object literals a table holds: an array literal (spreads and `a.concat(b)` included), followed through names, imports and `module.exports`. */
function tableRows(expression: ts.Expression, resolver: Resolver, depth: number): ts.ObjectLiteralExpression[] {
  if (depth > MAX_DEPTH) return [];
  const value = skipOuterExpressions(expression);
  if (ts.isObjectLiteralExpression(value)) return [value];
  if (ts.isArrayLiteralExpression(value)) return value.elements.flatMap((element) => tableRows(ts.isSpreadElement(element) ? element.expression : element, resolver, depth + 1));
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'concat') {
    return [value.expression.expression, ...value.arguments].flatMap((part) => tableRows(part, resolver, depth + 1));
  }
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value) && !ts.isCallExpression(value)) return [];
  const rows: ts.ObjectLiteralExpression[] = [];
  for (const declaration of resolver.declarationsOf(value)) {
    const assigned = valueOfDeclaration(declaration);
    if (assigned && assigned !== value) for (const row of tableRows(assigned, resolver, depth + 1)) if (!rows.includes(row)) rows.push(row);
  }
  return rows;
}

/** A row's property: its value, the name a shorthand gives, or the method itself. */
function valueOf(row: ts.ObjectLiteralExpression, name: string): ts.Expression | ts.MethodDeclaration | undefined {
  for (const property of row.properties) {
    if (propertyNameText(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
    if (ts.isMethodDeclaration(property)) return property;
  }
  return undefined;
}

function routePathText(value: ts.Expression | ts.MethodDeclaration, resolver: Resolver): string | undefined {
  const text = constantText(value, resolver);
  if (text === undefined) return ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) ? `<${value.getText()}>` : undefined;
  return text.startsWith('/') || text.startsWith('*') ? text : `/${text}`;
}

/** `'post'`, or a constant that holds it (`MethodEnum.POST = 'post'`, `const POST = 'post'`), else the member's own name when it is a method (`Methods.POST`). */
function methodName(value: ts.Expression | ts.MethodDeclaration | undefined, resolver: Resolver): string | undefined {
  if (!value) return undefined;
  const text = constantText(value, resolver);
  if (text !== undefined) return text;
  return ts.isPropertyAccessExpression(value) && ROUTE_METHOD.test(value.name.text) ? value.name.text : undefined;
}

/** A string literal, or the string an enum member or constant is declared with. */
function constantText(value: ts.Expression | ts.MethodDeclaration, resolver: Resolver): string | undefined {
  const literal = stringValue(value);
  if (literal !== undefined || (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value))) return literal;
  for (const declaration of resolver.declarationsOf(value)) {
    const initializer = ts.isEnumMember(declaration) || ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) ? declaration.initializer : undefined;
    const text = initializer && stringValue(skipOuterExpressions(initializer));
    if (text !== undefined) return text;
  }
  return undefined;
}

/**
 * What an inline handler runs by the row's name: the row's own function (`route.action(req, res)`),
 * and `new (route.controller)()[route.action](…)`,
 * `route.controller[route.action](…)`, `controller[route.action].bind(controller)` with `controller`
 * a class or object of the program: the method of the class (or object) that the row names.
 */
function actionsCalledBy(handler: ts.ArrowFunction | ts.FunctionExpression, row: ts.Identifier | ts.ObjectBindingPattern, rowValue: ts.ObjectLiteralExpression, resolver: Resolver): (FunctionNode | ts.Expression)[] {
  const result: FunctionNode[] = [];
  const pending: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    // route.action(req, res): the row's own function.
    const called = ts.isCallExpression(node) ? rowReference(node.expression) : undefined;
    if (called && called.row === row) {
      const value = valueOf(rowValue, called.property);
      if (value && ts.isMethodDeclaration(value)) result.push(value);
      else if (value) pending.push(value);
    }
    if (ts.isElementAccessExpression(node)) {
      const action = rowReference(node.argumentExpression);
      const actionName = action && action.row === row ? stringValue(valueOf(rowValue, action.property)) : undefined;
      if (actionName !== undefined) {
        for (const owner of ownersOf(node.expression, row, rowValue, resolver)) {
          for (const member of ownerMembers(owner, actionName)) if (!result.includes(member)) result.push(member);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(handler.body);
  return [...result, ...pending];
}

/** `controller[route.action]` or `controller[route.action].bind(controller)` as a handler: the member of the controller the row names; undefined for any other value. */
function pickedAction(value: ts.Expression, row: ts.Identifier | ts.ObjectBindingPattern, rowValue: ts.ObjectLiteralExpression, resolver: Resolver): FunctionNode[] | undefined {
  let access = skipOuterExpressions(value);
  if (ts.isCallExpression(access) && ts.isPropertyAccessExpression(access.expression) && access.expression.name.text === 'bind') access = skipOuterExpressions(access.expression.expression);
  if (!ts.isElementAccessExpression(access)) return undefined;
  const action = rowReference(access.argumentExpression);
  const actionName = action && action.row === row ? stringValue(valueOf(rowValue, action.property)) : undefined;
  if (actionName === undefined) return undefined;
  return ownersOf(access.expression, row, rowValue, resolver).flatMap((owner) => ownerMembers(owner, actionName));
}

/** The classes or object literals an expression stands for: `new (route.controller)()`, `route.controller`, a name of the program. */
function ownersOf(expression: ts.Expression, row: ts.Identifier | ts.ObjectBindingPattern, rowValue: ts.ObjectLiteralExpression, resolver: Resolver): ts.Node[] {
  let value = skipOuterExpressions(expression);
  if (ts.isNewExpression(value)) value = skipOuterExpressions(value.expression);
  const reference = rowReference(value);
  if (reference) {
    if (reference.row !== row) return [];
    const named = valueOf(rowValue, reference.property);
    if (!named || ts.isMethodDeclaration(named)) return [];
    value = skipOuterExpressions(named);
  }
  return ownersOfValue(value, resolver);
}

/** The classes or object literals a value of the program stands for: a class, an object, a name of either, or of an instance (`new Controller()`). */
function ownersOfValue(expression: ts.Expression, resolver: Resolver): ts.Node[] {
  const value = skipOuterExpressions(expression);
  if (ts.isClassExpression(value) || ts.isObjectLiteralExpression(value)) return [value];
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return [];
  const owners: ts.Node[] = [];
  for (const declaration of resolver.declarationsOf(value)) {
    if (ts.isClassDeclaration(declaration)) owners.push(declaration);
    const assigned = valueOfDeclaration(declaration);
    const held = assigned && skipOuterExpressions(assigned);
    if (held && (ts.isObjectLiteralExpression(held) || ts.isClassExpression(held))) owners.push(held);
    else if (held && ts.isNewExpression(held)) owners.push(...resolver.declarationsOf(held.expression).filter(ts.isClassDeclaration));
  }
  return owners;
}

const MAX_BASES = 3;

/**
 * The member `name` of the classes or objects `owner` stands for (a class's inherited from its bases,
 * up to three), and when the code creates an instance per request (`new Controller(ctx)[action]()`),
 * the constructors that run: the methods a route made of a controller and an action's name runs.
 */
export function controllerMembers(owner: ts.Expression, name: string, constructed: boolean, resolver: Resolver): FunctionNode[] {
  const result: FunctionNode[] = [];
  for (const found of ownersOfValue(owner, resolver)) {
    let member: FunctionNode[] = [];
    let constructor: FunctionNode | undefined;
    for (let current: ts.Node | undefined = found, depth = 0; current && depth <= MAX_BASES; depth++) {
      if (member.length === 0) member = ownerMembers(current, name);
      if (!ts.isClassLike(current)) break;
      constructor ??= current.members.find((candidate): candidate is ts.ConstructorDeclaration => ts.isConstructorDeclaration(candidate) && candidate.body !== undefined);
      if (member.length > 0 && (constructor || !constructed)) break;
      const base: ts.Expression | undefined = current.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      current = base ? resolver.declarationsOf(base).find(ts.isClassLike) : undefined;
    }
    if (member.length === 0) continue;
    for (const fn of constructed && constructor ? [constructor, ...member] : member) if (!result.includes(fn)) result.push(fn);
  }
  return result;
}

function ownerMembers(owner: ts.Node, name: string): FunctionNode[] {
  const members = ts.isClassLike(owner) ? owner.members : ts.isObjectLiteralExpression(owner) ? owner.properties : undefined;
  const result: FunctionNode[] = [];
  for (const member of members ?? []) {
    if (propertyNameText(member.name) !== name) continue;
    if (ts.isMethodDeclaration(member) && member.body) result.push(member);
    else if ((ts.isPropertyAssignment(member) || ts.isPropertyDeclaration(member)) && member.initializer) {
      const value = skipOuterExpressions(member.initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) result.push(value);
    }
  }
  return result;
}

/** What a declaration holds (`initializerOf`), and the name a shorthand property gives. */
function valueOfDeclaration(declaration: ts.Node): ts.Expression | undefined {
  return ts.isShorthandPropertyAssignment(declaration) ? declaration.name : initializerOf(declaration);
}
