import ts = require('typescript');
import { isFunctionNode, type FunctionNode } from '../file-facts';
import type { Resolver } from '../resolve';
import { skipOuterExpressions, stringValue } from '../text';
import { valueIn } from './loop-bindings';
import { controllerMembers } from './route-tables';

/**
 * A handler made by a wrapper of the service's own from a controller and an action's name,
 * `app.post('/login', wrap(users, 'login'))` with `wrap = (controller, action) => (req, res, next) =>
 * controller[action](req, res).catch(next)`, or `new Controller(req)[action](req, res)` in the function it
 * returns: the member the call names (and the constructor, for an instance made per request) runs on
 * the route. `returned` are the functions the wrapper returns; nothing when they pick no member by the wrapper's parameters.
 */
export function wrappedActions(call: ts.CallExpression, wrapper: FunctionNode, returned: readonly FunctionNode[], resolver: Resolver): FunctionNode[] {
  if (call.arguments.length < 2 || call.arguments.some(ts.isSpreadElement)) return [];
  const result: FunctionNode[] = [];
  for (const fn of returned) {
    if (!fn.body) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isElementAccessExpression(node) && isCalledMember(node)) {
        const nameIndex = parameterIndex(node.argumentExpression, wrapper);
        let owner = skipOuterExpressions(node.expression);
        const constructed = ts.isNewExpression(owner);
        if (ts.isNewExpression(owner)) owner = skipOuterExpressions(owner.expression);
        const ownerIndex = parameterIndex(owner, wrapper);
        const nameArgument = nameIndex !== undefined ? call.arguments[nameIndex] : undefined;
        const name = nameArgument && stringValue(skipOuterExpressions(nameArgument));
        const given = ownerIndex !== undefined ? call.arguments[ownerIndex] : undefined;
        const value = given && valueIn(given, [], resolver);
        if (name !== undefined && value) for (const member of controllerMembers(value, name, constructed, resolver)) if (!result.includes(member)) result.push(member);
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
  }
  return result;
}

/** `x[name](…)`, `x[name].call(…)`, `x[name].apply(…)`. */
export function isCalledMember(access: ts.ElementAccessExpression): boolean {
  let node: ts.Node = access;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  if (ts.isCallExpression(node.parent) && node.parent.expression === node) return true;
  return ts.isPropertyAccessExpression(node.parent) && /^(call|apply)$/.test(node.parent.name.text) && ts.isCallExpression(node.parent.parent) && node.parent.parent.expression === node.parent;
}

/** The index of the wrapper's own parameter a name is (not one of a function inside it of the same name). */
function parameterIndex(expression: ts.Expression, wrapper: FunctionNode): number | undefined {
  const value = skipOuterExpressions(expression);
  if (!ts.isIdentifier(value)) return undefined;
  for (let node: ts.Node = value.parent; node; node = node.parent) {
    if (!isFunctionNode(node)) continue;
    const index = node.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === value.text && !parameter.dotDotDotToken);
    if (index >= 0) return node === wrapper ? index : undefined;
    if (node === wrapper) return undefined;
  }
  return undefined;
}
