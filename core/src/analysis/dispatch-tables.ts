import ts = require('typescript');
import { getFileFacts, isFunctionNode, type FunctionNode } from './file-facts';
import { isNonServerPath } from './paths';
import { bindsName, localVariableOf } from './scope';
import { propertyNameText, returnedValues, skipOuterExpressions, stringValue } from './text';
import { initializerOf, pathBelowCommonFolder } from './untyped-resolve';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * A dispatch table: an object of handler functions a route calls by a name it reads at run time,
 * `apis[ctx.params.name](params, ctx)`, `const fn = methods[req.body.method]; await fn(...params)`
 * (a JSON-RPC endpoint, an API middleware handed `{ ...adminApis, ...frontEndApis }`). Each function
 * of the object is a handler that route may run. The object is followed through names, spreads,
 * imports, what a function returns and, for a parameter (`apiMiddleware(apis)`), what the calls of
 * its function hand it. A member picked by a constant (`apis['get_config']`) is a call of that member,
 * which the resolver answers by name; an object of plain values gives no function.
 */

/** What following a table needs from the resolver. */
export interface TableLookup {
  declarationsOf(expression: ts.Expression): ts.Declaration[];
  handlerFunctions(expression: ts.Expression): FunctionNode[];
  callTargets(call: ts.CallExpression): FunctionNode[];
  /** The project's files whose text matches (undefined: the file being read is all there is). */
  filesMatching(pattern: RegExp): readonly ts.SourceFile[] | undefined;
}

const MAX_DEPTH = 6;
/** Calls of a function whose parameter holds the table: more than this and the parameter is no one table. */
const MAX_CALL_SITES = 8;

/**
 * The tables a callee picks its function from by a key read at run time: `apis[name]` itself, or a local
 * holding such a pick (`const fn = apis.hasOwnProperty(name) && apis[name]`, `methods[m] ?? fallback`,
 * `methods[m].bind(methods)`, `const { [m]: handler } = methods`). Empty for anything else.
 */
export function pickedTables(callee: ts.Expression): ts.Expression[] {
  const value = skipOuterExpressions(callee);
  if (ts.isIdentifier(value)) {
    const declaration = localVariableOf(value);
    if (declaration && ts.isIdentifier(declaration.name) && declaration.initializer) return picks(declaration.initializer, 0);
    return computedBindingTable(value);
  }
  return picks(value, 0);
}

function picks(expression: ts.Expression, depth: number): ts.Expression[] {
  if (depth > 3) return [];
  const value = skipOuterExpressions(expression);
  if (ts.isElementAccessExpression(value)) return isReadAtRunTime(value.argumentExpression) && value.expression.kind !== SyntaxKind.ThisKeyword ? [value.expression] : [];
  if (ts.isBinaryExpression(value)) {
    const operator = value.operatorToken.kind;
    // `apis.hasOwnProperty(name) && apis[name]`: the right side is the value.
    if (operator === SyntaxKind.AmpersandAmpersandToken) return picks(value.right, depth + 1);
    if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.QuestionQuestionToken) return [...picks(value.left, depth + 1), ...picks(value.right, depth + 1)];
    return [];
  }
  if (ts.isConditionalExpression(value)) return [...picks(value.whenTrue, depth + 1), ...picks(value.whenFalse, depth + 1)];
  // methods[name].bind(methods)
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'bind') return picks(value.expression.expression, depth + 1);
  return [];
}

/** Array methods whose callback is handed each row of the array in turn (its first parameter). */
const ROW_CALLBACK_METHODS = new Set(['find', 'findLast', 'forEach', 'some', 'every', 'filter', 'map']);

/**
 * The rows a hand-written router loops over: `route.handler(req, res, params)` where `route` is
 * `routes[i]`, the variable of `for (const route of routes)`, `routes.find(…)` (or `.filter(…)[0]`),
 * or the first parameter of a callback `routes.some((route) => …)` hands each row. The table and the
 * member called; undefined for anything else (a member of one object, `config.onReady()`).
 */
export function pickedRow(callee: ts.Expression): { table: ts.Expression; member: string } | undefined {
  const value = skipOuterExpressions(callee);
  if (!ts.isPropertyAccessExpression(value) && !ts.isElementAccessExpression(value)) return undefined;
  const member = ts.isPropertyAccessExpression(value) ? value.name.text : stringValue(value.argumentExpression);
  const row = skipOuterExpressions(value.expression);
  if (member === undefined || !ts.isIdentifier(row)) return undefined;
  const table = rowTable(row);
  return table ? { table, member } : undefined;
}

function rowTable(row: ts.Identifier): ts.Expression | undefined {
  const declaration = localVariableOf(row);
  if (declaration) return declaration.initializer && ts.isIdentifier(declaration.name) ? tableOfPickedRow(declaration.initializer) : undefined;
  // A function between the call and the row's binding is a closure made for one row: a handler a
  // start-up loop registers per row (`routes.forEach((route) => app[route.method](route.path, (req, res) => route.handler(req, res)))`)
  // calls its own row's member, which the route table's entries already name; only a row picked where it is called is any row.
  let inClosure = false;
  for (let node: ts.Node | undefined = row.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer) && node.initializer.declarations.some((each) => bindsName(each.name, row.text))) {
      return ts.isIdentifier(node.initializer.declarations[0].name) && !inClosure ? node.expression : undefined;
    }
    if (!ts.isFunctionLike(node)) continue;
    if (!node.parameters.some((parameter) => bindsName(parameter.name, row.text))) {
      inClosure = true;
      continue;
    }
    if (inClosure) return undefined;
    const first = node.parameters[0];
    const call = node.parent;
    if (!ts.isIdentifier(first.name) || first.name.text !== row.text || !ts.isCallExpression(call) || call.arguments[0] !== node) return undefined;
    const method = skipOuterExpressions(call.expression);
    return ts.isPropertyAccessExpression(method) && ROW_CALLBACK_METHODS.has(method.name.text) ? method.expression : undefined;
  }
  return undefined;
}

/** `routes[i]`, `routes.find(match)`, `routes.filter(match)[0]`: the array a row is taken from. */
function tableOfPickedRow(initializer: ts.Expression): ts.Expression | undefined {
  const value = skipOuterExpressions(initializer);
  if (ts.isElementAccessExpression(value)) {
    const array = skipOuterExpressions(value.expression);
    if (ts.isCallExpression(array) && ts.isPropertyAccessExpression(array.expression) && array.expression.name.text === 'filter') return array.expression.expression;
    return isReadAtRunTime(value.argumentExpression) && value.expression.kind !== SyntaxKind.ThisKeyword ? value.expression : undefined;
  }
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && (value.expression.name.text === 'find' || value.expression.name.text === 'findLast')) return value.expression.expression;
  return undefined;
}

/** The functions the rows of a table hold in one member: `{ method, pattern, handler: items.list }` rows give each `handler`. */
export function rowFunctions(lookup: TableLookup, table: ts.Expression, member: string): FunctionNode[] {
  return propertyFunctions(lookup, tableRows(lookup, table, 0, new Set()), member);
}

/** Whether nothing waits for what a call returns: its value dropped, returned or awaited (a router's `return route.handler(req, res)`). */
export function valueGoesNowhere(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isVoidExpression(node.parent)) node = node.parent;
  return ts.isExpressionStatement(node.parent) || ts.isReturnStatement(node.parent);
}

/**
 * The rows a hand-written router picks one of and runs a member of (`route.handler(req, res, params)`,
 * see `pickedRow`), each with the functions that member holds; undefined when the callee picks no row.
 */
export function dispatchedRows(lookup: TableLookup, callee: ts.Expression): { row: ts.ObjectLiteralExpression; functions: FunctionNode[] }[] | undefined {
  const picked = pickedRow(callee);
  if (!picked) return undefined;
  return tableRows(lookup, picked.table, 0, new Set()).map((row) => ({ row, functions: propertyFunctions(lookup, [row], picked.member) }));
}

/** The functions the properties of object literals hold (methods, function values, wrapped handlers); only the named member's, if one is named. */
function propertyFunctions(lookup: TableLookup, objects: readonly ts.ObjectLiteralExpression[], member?: string): FunctionNode[] {
  const result: FunctionNode[] = [];
  for (const object of objects) {
    for (const property of object.properties) {
      if (member !== undefined && propertyNameText(property.name) !== member) continue;
      if (ts.isMethodDeclaration(property)) {
        if (property.body && !result.includes(property)) result.push(property);
        continue;
      }
      const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (!value) continue;
      for (const fn of lookup.handlerFunctions(value)) if (!result.includes(fn)) result.push(fn);
    }
  }
  return result;
}

/** The object literals an array of rows holds, through names, spreads and `concat`. */
function tableRows(lookup: TableLookup, expression: ts.Expression, depth: number, seen: Set<ts.Node>): ts.ObjectLiteralExpression[] {
  if (depth > MAX_DEPTH) return [];
  const value = skipOuterExpressions(expression);
  if (seen.has(value)) return [];
  seen.add(value);
  if (ts.isArrayLiteralExpression(value)) {
    return value.elements.flatMap((element) => (ts.isSpreadElement(element) ? tableRows(lookup, element.expression, depth + 1, seen) : tableObjects(lookup, element, depth + 1, seen)));
  }
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'concat') {
    return [value.expression.expression, ...value.arguments].flatMap((part) => tableRows(lookup, part, depth + 1, seen));
  }
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return [];
  const result: ts.ObjectLiteralExpression[] = [];
  for (const declaration of lookup.declarationsOf(value)) {
    if (seen.has(declaration)) continue;
    seen.add(declaration);
    if (ts.isArrayLiteralExpression(declaration)) result.push(...tableRows(lookup, declaration, depth + 1, seen));
    const initializer = initializerOf(declaration);
    if (initializer && initializer !== value) result.push(...tableRows(lookup, initializer, depth + 1, seen));
  }
  return result;
}

/** `const { [method]: handler } = methods`: the table a computed binding picks from. */
function computedBindingTable(name: ts.Identifier): ts.Expression[] {
  for (let node: ts.Node | undefined = name.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isBlock(node)) continue;
    for (const statement of node.statements) {
      if (statement.pos >= name.pos || !ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
        const element = declaration.name.elements.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name.text);
        const key = element?.propertyName;
        if (element && key && ts.isComputedPropertyName(key) && isReadAtRunTime(key.expression)) return [declaration.initializer];
      }
    }
  }
  return [];
}

/** A key that names no member by itself: not a literal, not a local constant holding one. */
function isReadAtRunTime(key: ts.Expression): boolean {
  const value = skipOuterExpressions(key);
  if (stringValue(value) !== undefined || ts.isNumericLiteral(value)) return false;
  if (ts.isIdentifier(value)) {
    const declaration = localVariableOf(value);
    const initializer = declaration?.initializer && skipOuterExpressions(declaration.initializer);
    if (declaration && ts.isIdentifier(declaration.name) && declaration.parent.flags & ts.NodeFlags.Const && initializer && (stringValue(initializer) !== undefined || ts.isNumericLiteral(initializer))) return false;
  }
  // Symbol.iterator and the like
  return !(ts.isPropertyAccessExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'Symbol');
}

/** The functions a table's members hold: methods, function values, wrapped handlers, and the members of the objects spread into it. */
export function tableFunctions(lookup: TableLookup, table: ts.Expression): FunctionNode[] {
  return propertyFunctions(lookup, tableObjects(lookup, table, 0, new Set()));
}

/** The object literals a table is, spreads followed into the objects they spread. */
function tableObjects(lookup: TableLookup, expression: ts.Expression, depth: number, seen: Set<ts.Node>): ts.ObjectLiteralExpression[] {
  if (depth > MAX_DEPTH) return [];
  const value = skipOuterExpressions(expression);
  if (seen.has(value)) return [];
  seen.add(value);
  if (ts.isObjectLiteralExpression(value)) {
    const spread = value.properties.flatMap((property) => (ts.isSpreadAssignment(property) ? tableObjects(lookup, property.expression, depth + 1, seen) : []));
    return [value, ...spread];
  }
  if (ts.isCallExpression(value)) {
    // Object.assign({}, adminApis, frontEndApis)
    if (value.expression.getText() === 'Object.assign') return value.arguments.flatMap((argument) => tableObjects(lookup, argument, depth + 1, seen));
    // what a function of the project returns: `getApis()`
    return lookup.callTargets(value).flatMap((fn) => returnedValues(fn)).flatMap((returned) => tableObjects(lookup, returned, depth + 1, seen));
  }
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return [];
  const result: ts.ObjectLiteralExpression[] = [];
  for (const declaration of lookup.declarationsOf(value)) {
    if (seen.has(declaration)) continue;
    seen.add(declaration);
    if (ts.isObjectLiteralExpression(declaration)) result.push(...tableObjects(lookup, declaration, depth + 1, seen));
    else if (ts.isParameter(declaration)) {
      for (const argument of handedArguments(lookup, declaration)) result.push(...tableObjects(lookup, argument, depth + 1, seen));
    } else {
      const initializer = initializerOf(declaration);
      if (initializer && initializer !== value) result.push(...tableObjects(lookup, initializer, depth + 1, seen));
    }
  }
  return result;
}

/**
 * What the calls of a function hand one of its parameters: the calls by the function's name in the
 * project's files that the resolver confirms run it, not those of tests or scripts. A parameter of a
 * function called from more than a few places holds no one table.
 */
function handedArguments(lookup: TableLookup, parameter: ts.ParameterDeclaration): ts.Expression[] {
  const fn = parameter.parent;
  if (!isFunctionNode(fn) || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return [];
  const index = fn.parameters.indexOf(parameter);
  const name = calledName(fn);
  if (index < 0 || !name) return [];
  const own = fn.getSourceFile();
  const files = lookup.filesMatching(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\s*\\(`)) ?? [own];
  const result: ts.Expression[] = [];
  let calls = 0;
  for (const file of files) {
    if (file !== own && isNonServerPath(pathBelowCommonFolder(file.fileName, own.fileName))) continue;
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isCallExpression(node)) continue;
      const callee = skipOuterExpressions(node.expression);
      const written = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (written !== name || node.arguments.length <= index || node.arguments.slice(0, index + 1).some(ts.isSpreadElement)) continue;
      if (!lookup.callTargets(node).includes(fn)) continue;
      if (++calls > MAX_CALL_SITES) return [];
      result.push(node.arguments[index]);
    }
  }
  return result;
}

/** The name calls of a function are written with: its own, or the variable or property it is assigned to. */
function calledName(fn: FunctionNode): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return propertyNameText(fn.name);
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.initializer === node) return propertyNameText(parent.name);
  if (ts.isFunctionExpression(fn) && fn.name) return fn.name.text;
  return undefined;
}
