import ts = require('typescript');
import { getFileFacts, type FunctionNode } from './file-facts';
import { isShadowed } from './scope';
import { skipOuterExpressions } from './text';

/**
 * A registry of the service's own: `onProcessExit(cb) { const rec = { cb, order }; cbsOnExit.add(rec); return () =>
 * cbsOnExit.delete(rec) }`. The function keeps its parameter in a module's collection (`add`, `push`, `set`,
 * `unshift`, directly or in a record) and does nothing else with it: the callback runs later, when whoever
 * reads the collection calls it (at exit, on an event), not as part of the call that hands it over. A function
 * that calls its parameter, passes it on, or keeps it in a local collection (per call) does not qualify.
 */
export function keepsParameterForLater(fn: FunctionNode, index: number): boolean {
  const parameter = fn.parameters[index];
  const body = fn.body;
  if (!parameter || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name) || !body) return false;
  const moduleNames = getFileFacts(fn.getSourceFile()).topLevel;
  // The parameter, and locals set to a record of it (`const rec = { cb, order }`).
  const holders = new Set<string>([parameter.name.text]);
  let kept = false;
  let otherUse = false;
  const isRegistryCall = (call: ts.Node, methods: RegExp): boolean => {
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || !methods.test(call.expression.name.text)) return false;
    const receiver = skipOuterExpressions(call.expression.expression);
    return ts.isIdentifier(receiver) && moduleNames.has(receiver.text) && !isShadowed(receiver, receiver.text);
  };
  const useOf = (name: ts.Identifier): void => {
    let node: ts.Node = name;
    if (ts.isShorthandPropertyAssignment(node.parent) || (ts.isPropertyAssignment(node.parent) && node.parent.initializer === node)) {
      const record = node.parent.parent;
      const declaration = record.parent;
      if (ts.isVariableDeclaration(declaration) && declaration.initializer === record && ts.isIdentifier(declaration.name)) {
        holders.add(declaration.name.text);
        return;
      }
      node = record;
    }
    const call = node.parent;
    if (isRegistryCall(call, KEEPING_METHODS) && (call as ts.CallExpression).arguments.includes(node as ts.Expression)) kept = true;
    else if (!(isRegistryCall(call, /^delete$/) && (call as ts.CallExpression).arguments.includes(node as ts.Expression))) otherUse = true;
  };
  // Records are declared before they are kept: one pass in source order sees each holder before its uses.
  const visit = (node: ts.Node): void => {
    if (otherUse) return;
    if (ts.isIdentifier(node) && holders.has(node.text) && isValueUse(node)) useOf(node);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return kept && !otherUse;
}

const KEEPING_METHODS = /^(?:add|push|unshift|set)$/;

/** A name used as a value: not a declaration's name, a property's name or a member name. */
function isValueUse(node: ts.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  return true;
}
