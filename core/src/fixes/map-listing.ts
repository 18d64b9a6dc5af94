import ts = require('typescript');
import { isWriteTarget, skipOuterExpressions } from '../analysis/text';
import { changesThrough } from './state-fixes';

/** Array methods whose callback is given the entries themselves. */
const ENTRY_CALLBACKS = new Set(['forEach', 'map', 'filter', 'find', 'findIndex', 'some', 'every', 'reduce', 'flatMap', 'sort']);

/** A use of a Map that lists it, as the ordered store's call: what to await and its text, or what the store cannot do. */
/** `awaited`: the text awaits the store itself and replaces the node as it is. */
export type ListingUse = { node: ts.Expression; text: string; listing: true; awaited?: true } | { unsupported: ts.Node; why: string };

/**
 * A Map read whole, as the ordered Redis store lists it: `m.values()`, `m.keys()`, `m.entries()`
 * (awaited as they are: the store gives arrays, which spread, `Array.from` and `for … of` read the
 * same), `m.size` (`await m.size()`), the Map itself iterated or spread (`await m.entries()`), and
 * `m.forEach((value) => …)` over the values (`(value, key) =>`: over a Map of the entries listed). Undefined for other uses; unsupported when an entry
 * listed is changed in place, which the store would not keep.
 */
export function listingUse(holder: ts.Expression): ListingUse | undefined {
  const name = holder.getText();
  const parent = holder.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === holder) {
    const member = parent.name.text;
    if (member === 'size' && !isWriteTarget(parent)) return { node: parent, text: `${name}.size()`, listing: true };
    const call = ts.isCallExpression(parent.parent) && parent.parent.expression === parent && parent.parent.arguments.length === 0 ? parent.parent : undefined;
    if (call && (member === 'values' || member === 'keys' || member === 'entries')) {
      const changed = member === 'keys' ? undefined : changedEntry(call, member === 'entries');
      return changed ? { unsupported: changed, why: 'changes an entry it lists in place, and the store would not keep the change' } : { node: call, text: call.getText(), listing: true };
    }
    const forEach = member === 'forEach' && ts.isCallExpression(parent.parent) && parent.parent.expression === parent ? parent.parent : undefined;
    const callback = forEach && forEach.arguments.length === 1 ? skipOuterExpressions(forEach.arguments[0]) : undefined;
    if (forEach && callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callback.parameters.length <= 2) {
      const changed = parameterChange(callback);
      if (changed) return { unsupported: changed, why: 'changes an entry it lists in place, and the store would not keep the change' };
      // `(value, key) =>`: a Map of the listed entries runs the callback as it is, keys and order kept.
      if (callback.parameters.length === 2) return { node: holder, text: `new Map(await ${name}.entries())`, listing: true, awaited: true };
      return { node: holder, text: `${name}.values()`, listing: true };
    }
    return undefined;
  }
  // for (const [id, todo] of todos), [...todos], Array.from(todos)
  const iterated = (ts.isForOfStatement(parent) && parent.expression === holder) || ts.isSpreadElement(parent) || (ts.isCallExpression(parent) && parent.arguments[0] === holder && parent.expression.getText() === 'Array.from');
  if (!iterated) return undefined;
  const changed = changedEntry(holder, true);
  return changed ? { unsupported: changed, why: 'changes an entry it lists in place, and the store would not keep the change' } : { node: holder, text: `${name}.entries()`, listing: true };
}

/**
 * Where an entry of a listing is changed in place: through the listing itself or a local it is kept
 * in (`all[0].done = true`), the variable of a `for … of` over it, or the parameter of an array
 * method's callback (`Array.from(m.values()).forEach((t) => { t.done = true; })`). `pairs` when the
 * listing gives `[key, value]` pairs, whose value is what may be changed.
 */
export function changedEntry(listing: ts.Expression, pairs: boolean): ts.Node | undefined {
  let collection: ts.Expression = listing;
  // [...m.values()], Array.from(m.values()): the array made from it.
  if (ts.isSpreadElement(collection.parent) && ts.isArrayLiteralExpression(collection.parent.parent) && collection.parent.parent.elements.length === 1) collection = collection.parent.parent;
  else if (ts.isCallExpression(collection.parent) && collection.parent.arguments[0] === collection && collection.parent.expression.getText() === 'Array.from') collection = collection.parent;
  const direct = changesThrough(collection)[0];
  if (direct) return direct;
  const uses: ts.Expression[] = [collection];
  const declaration = collection.parent;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer === collection && ts.isIdentifier(declaration.name)) {
    const local = declaration.name;
    const scope = ts.findAncestor(declaration, ts.isFunctionLike) ?? declaration.getSourceFile();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node !== local && node.text === local.text) uses.push(node);
      ts.forEachChild(node, visit);
    };
    visit(scope);
  }
  for (const use of uses) {
    const parent = use.parent;
    if (ts.isForOfStatement(parent) && parent.expression === use) {
      const changed = bindingChange(parent.initializer, parent.statement, pairs);
      if (changed) return changed;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === use && ENTRY_CALLBACKS.has(parent.name.text) && ts.isCallExpression(parent.parent)) {
      const callback = parent.parent.arguments[0] && skipOuterExpressions(parent.parent.arguments[0]);
      if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
        const parameter = callback.parameters[parent.name.text === 'reduce' ? 1 : 0];
        const changed = parameter && bindingChange(parameter.name, callback.body, pairs);
        if (changed) return changed;
      }
    }
  }
  return undefined;
}

/** A change made through a callback's first parameter. */
function parameterChange(callback: ts.ArrowFunction | ts.FunctionExpression): ts.Node | undefined {
  const parameter = callback.parameters[0];
  return parameter ? bindingChange(parameter.name, callback.body, false) : undefined;
}

/** A change made in `body` through the names a binding declares (`todo`, `[id, todo]`, `{ done }`). */
function bindingChange(binding: ts.Node, body: ts.Node, pairs: boolean): ts.Node | undefined {
  const names = new Set<string>();
  const collect = (node: ts.Node, depth: number): void => {
    if (ts.isIdentifier(node)) {
      names.add(node.text);
      return;
    }
    if (ts.isVariableDeclarationList(node)) return node.declarations.forEach((declaration) => collect(declaration.name, depth));
    // Of a `[key, value]` pair, only the value can be changed in place.
    if (ts.isArrayBindingPattern(node)) return node.elements.forEach((element, index) => !ts.isOmittedExpression(element) && (!pairs || depth > 0 || index === 1) && collect(element.name, depth + 1));
    if (ts.isObjectBindingPattern(node)) return node.elements.forEach((element) => collect(element.name, depth + 1));
  };
  collect(binding, 0);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && names.has(node.text)) found = changesThrough(node)[0];
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}
