import ts = require('typescript');
import type { Resolver } from '../resolve';
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import { initializerOf } from '../untyped-resolve';

/**
 * What a call's arguments hold in each turn of the loops written around it over tables of the
 * program: `for (const ctrl in routerConfig) routerConfig[ctrl].forEach((item) => createAction(router,
 * '/api', CONTROLLERS[ctrl].controller, item.action, CONTROLLERS[ctrl].prefix + item.path, item.method))`.
 * A turn binds each loop's names to a key of an object literal (`for … in`, `Object.keys(o).forEach`)
 * or a row of an array literal (`for … of`, `rows.forEach`, `_.each(rows, …)`), and an argument is read
 * in it by syntax: names, members and keys of literals, text joined by `+` and templates.
 */

/** One name a loop binds in a turn: a key's text, or the row (an expression of the table). */
interface Bound {
  name: string;
  text?: string;
  node?: ts.Expression;
}

/** The names bound in one turn of the loops around a call, innermost last; empty outside loops. */
export type LoopTurn = readonly Bound[];

const MAX_TURNS = 400;
const MAX_DEPTH = 8;
const ITERATING = new Set(['forEach', 'map', 'flatMap', 'each']);

/** A loop around a call: the names it binds and the table it goes over. */
interface Loop {
  table: ts.Expression;
  /** `for (k in o)`, `Object.keys(o)`: the names take the table's keys. */
  keys: boolean;
  /** `Object.entries(o)`: `[key, value]` pairs. */
  entries: boolean;
  binding: ts.BindingName;
}

/**
 * Every turn of the loops around `call` (outermost first), at most 400; `[[]]` when the call is in
 * no loop over a table, and `[]` when a loop's table cannot be read (the call registers nothing known).
 */
export function loopTurns(call: ts.Node, resolver: Resolver): LoopTurn[] {
  const loops: Loop[] = [];
  for (let node: ts.Node = call; !ts.isSourceFile(node); node = node.parent) {
    const loop = loopAt(node);
    if (loop) loops.unshift(loop);
    // A function that is no loop's callback runs when it is called, not per turn of the loops around it.
    else if (ts.isFunctionLike(node)) break;
  }
  let turns: LoopTurn[] = [[]];
  for (const loop of loops) {
    const next: LoopTurn[] = [];
    for (const turn of turns) {
      for (const bound of boundNames(loop, turn, resolver)) {
        if (next.length >= MAX_TURNS) return next;
        next.push([...turn, ...bound]);
      }
    }
    turns = next;
  }
  return turns;
}

/** The loop a node is the body or callback of. */
function loopAt(node: ts.Node): Loop | undefined {
  if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && ts.isVariableDeclarationList(node.initializer) && node.initializer.declarations.length === 1) {
    return { table: node.expression, keys: ts.isForInStatement(node), entries: false, binding: node.initializer.declarations[0].name };
  }
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return undefined;
  const call = node.parent;
  const first = node.parameters[0];
  if (!first || !ts.isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ITERATING.has(callee.name.text)) return undefined;
  let table: ts.Expression;
  // _.each(rows, (row) => …)
  if (call.arguments.length === 2 && call.arguments[1] === node && ts.isIdentifier(callee.expression) && /^(_|lodash|underscore)$/.test(callee.expression.text)) table = call.arguments[0];
  else if (call.arguments[0] === node) table = callee.expression;
  else return undefined;
  // Object.keys(o).forEach(…), Object.values(o), Object.entries(o)
  const source = skipOuterExpressions(table);
  if (ts.isCallExpression(source) && source.arguments.length === 1 && ts.isPropertyAccessExpression(source.expression) && source.expression.expression.getText() === 'Object') {
    const kind = source.expression.name.text;
    if (kind === 'keys' || kind === 'values' || kind === 'entries') return { table: source.arguments[0], keys: kind === 'keys', entries: kind === 'entries', binding: first.name };
    return undefined;
  }
  return { table, keys: false, entries: false, binding: first.name };
}

/** The names one loop binds, per element of its table as read in the outer loops' turn. */
function boundNames(loop: Loop, turn: LoopTurn, resolver: Resolver): Bound[][] {
  const table = valueIn(loop.table, turn, resolver);
  if (!table) return [];
  const result: Bound[][] = [];
  if (ts.isObjectLiteralExpression(table)) {
    for (const property of table.properties) {
      const key = property.name && propertyNameText(property.name);
      if (key === undefined) continue;
      const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (loop.keys) result.push(bind(loop.binding, { text: key }));
      else if (loop.entries && ts.isArrayBindingPattern(loop.binding)) {
        const [keyName, valueName] = loop.binding.elements.map((element) => (ts.isBindingElement(element) ? element.name : undefined));
        result.push([...(keyName ? bind(keyName, { text: key }) : []), ...(valueName && value ? bind(valueName, { node: value }) : [])]);
      } else if (!loop.entries && value) result.push(bind(loop.binding, { node: value }));
    }
    return result;
  }
  if (ts.isArrayLiteralExpression(table) && !loop.keys && !loop.entries) {
    for (const element of table.elements) if (!ts.isSpreadElement(element) && !ts.isOmittedExpression(element)) result.push(bind(loop.binding, { node: element }));
  }
  return result;
}

/** A binding name given a value: a name, or `{ method, path }` destructured from a row. */
function bind(binding: ts.BindingName, value: { text?: string; node?: ts.Expression }): Bound[] {
  if (ts.isIdentifier(binding)) return [{ name: binding.text, ...value }];
  if (!ts.isObjectBindingPattern(binding) || !value.node) return [];
  const row = skipOuterExpressions(value.node);
  const bound: Bound[] = [];
  for (const element of binding.elements) {
    if (element.dotDotDotToken || !ts.isIdentifier(element.name)) continue;
    const key = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
    const member = key !== undefined && ts.isObjectLiteralExpression(row) ? memberOf(row, key) : undefined;
    if (member) bound.push({ name: element.name.text, node: member });
  }
  return bound;
}

function memberOf(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (!property.name || propertyNameText(property.name) !== key) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

/** The row a turn's innermost loop is at, when it is an object literal (`{ action, path, method }`): where that route is written. */
export function turnRow(turn: LoopTurn): ts.ObjectLiteralExpression | undefined {
  for (let index = turn.length - 1; index >= 0; index--) {
    const node = turn[index].node && skipOuterExpressions(turn[index].node!);
    if (node) return ts.isObjectLiteralExpression(node) ? node : undefined;
  }
  return undefined;
}

function boundIn(name: ts.Identifier, turn: LoopTurn): Bound | undefined {
  for (let index = turn.length - 1; index >= 0; index--) if (turn[index].name === name.text) return turn[index];
  return undefined;
}

/** Whether an expression reads a name the turn binds (`item.action`, `CONTROLLERS[ctrl].prefix`). */
export function readsLoopName(expression: ts.Expression, turn: LoopTurn): boolean {
  if (turn.length === 0) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && boundIn(node, turn) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** Whether a call's argument depends on the turn: it reads a loop's name, or a local whose initializer does (`let routerPath = CONFIG[ctrl].prefix + item.path`). */
export function dependsOnTurn(expression: ts.Expression, turn: LoopTurn, resolver: Resolver): boolean {
  if (readsLoopName(expression, turn)) return true;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      found = resolver.declarationsOf(node).some((declaration) => ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && readsLoopName(declaration.initializer, turn));
    } else ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/**
 * The expression a value comes to in a turn: a bound row, a member or key of an object literal, a
 * name's initializer followed through declarations (locals, module constants, imports). A name that
 * leads to no initializer (a class, an import the resolver reads no further) is itself the value.
 */
export function valueIn(expression: ts.Expression, turn: LoopTurn, resolver: Resolver, depth = 0): ts.Expression | undefined {
  const value = skipOuterExpressions(expression);
  if (depth > MAX_DEPTH) return undefined;
  if (ts.isIdentifier(value)) {
    const bound = boundIn(value, turn);
    if (bound) return bound.node ? valueIn(bound.node, turn, resolver, depth + 1) : bound.text !== undefined ? ts.factory.createStringLiteral(bound.text) : undefined;
    for (const declaration of resolver.declarationsOf(value)) {
      const initializer = ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) ? initializerOf(declaration) : undefined;
      const held = initializer && skipOuterExpressions(initializer);
      if (held && (ts.isObjectLiteralExpression(held) || ts.isArrayLiteralExpression(held) || stringValue(held) !== undefined || ts.isIdentifier(held) || ts.isPropertyAccessExpression(held) || ts.isElementAccessExpression(held) || ts.isTemplateExpression(held) || (ts.isBinaryExpression(held) && held.operatorToken.kind === ts.SyntaxKind.PlusToken))) {
        return valueIn(held, turn, resolver, depth + 1) ?? value;
      }
    }
    return value;
  }
  if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) {
    const key = ts.isPropertyAccessExpression(value) ? value.name.text : textIn(value.argumentExpression, turn, resolver, depth + 1);
    const owner = valueIn(value.expression, turn, resolver, depth + 1);
    if (key !== undefined && owner && ts.isObjectLiteralExpression(owner)) {
      const member = memberOf(owner, key);
      return member ? valueIn(member, turn, resolver, depth + 1) : undefined;
    }
    // A member of something the turn does not spell out (`users.login`): itself, unless it reads the loop's names.
    return readsLoopName(value, turn) ? undefined : value;
  }
  return value;
}

/** The text a value comes to in a turn: literals, `+` and templates over names that hold text; undefined when a piece is unknown. */
export function textIn(expression: ts.Expression, turn: LoopTurn, resolver: Resolver, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const value = skipOuterExpressions(expression);
  const literal = stringValue(value);
  if (literal !== undefined) return literal;
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = textIn(value.left, turn, resolver, depth + 1);
    const right = left === undefined ? undefined : textIn(value.right, turn, resolver, depth + 1);
    return right === undefined ? undefined : left! + right;
  }
  if (ts.isTemplateExpression(value)) {
    let text = value.head.text;
    for (const span of value.templateSpans) {
      const part = textIn(span.expression, turn, resolver, depth + 1);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value) && !ts.isElementAccessExpression(value)) return undefined;
  const held = valueIn(value, turn, resolver, depth + 1);
  return held && held !== value ? textIn(held, turn, resolver, depth + 1) : undefined;
}
