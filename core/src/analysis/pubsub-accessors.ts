import ts = require('typescript');
import type { RequestGraph } from './request-graph';
import { sendingLoops, type SendingLoop } from './pubsub';
import { localInitializer } from './scope';
import type { SharedState } from './shared-state';
import { isStaticMember, propertyNameText, skipOuterExpressions } from './text';

/**
 * `for (const socket of sockets.get(code, user)) socket.send(…)` in another module, where `get` is a
 * method of the class that keeps the connections and hands them out (`*get(code, id) { yield*
 * this.users(code).get(id) }`, `users(code) { return this.sockets.get(code) }`): a loop that sends to
 * what the state's own accessor gives sends to the state's connections, wherever it is written.
 */
export function accessorLoopsOf(state: SharedState, graph: RequestGraph): SendingLoop[] {
  if (state.kind !== 'singleton-field' || state.holds === 'value') return [];
  const owner = ts.findAncestor(state.nameNode, ts.isClassLike);
  if (!owner) return [];
  const accessors = accessorMethods(owner, state.name);
  if (accessors.size === 0) return [];
  const names = new Set([...accessors].map((method) => propertyNameText(method.name)));
  const found: SendingLoop[] = [];
  for (const file of graph.files) {
    if (graph.isIgnoredFile(file)) continue;
    for (const loop of sendingLoops(file)) {
      const call = accessorCall(loop.collection);
      const callee = call && skipOuterExpressions(call.expression);
      if (!call || !callee || !ts.isPropertyAccessExpression(callee) || !names.has(callee.name.text)) continue;
      if (graph.callTargets(call).some((target) => accessors.has(target as ts.MethodDeclaration))) found.push(loop);
    }
  }
  return found;
}

/** `sockets.get(code, user)`, or the local it was read into first (`const userSockets = sockets.get(…)`). */
function accessorCall(collection: ts.Expression): ts.CallExpression | undefined {
  let value = skipOuterExpressions(collection);
  if (ts.isIdentifier(value)) {
    const initializer = localInitializer(value);
    if (!initializer) return undefined;
    value = skipOuterExpressions(initializer);
  }
  return ts.isCallExpression(value) ? value : undefined;
}

/** The methods of a class that return or yield the state's entries, directly or through another such method of the class. */
function accessorMethods(owner: ts.ClassLikeDeclaration, stateName: string): Set<ts.MethodDeclaration> {
  const methods = owner.members.filter((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.body !== undefined && !isStaticMember(member));
  const accessors = new Set<ts.MethodDeclaration>();
  for (let added = true; added; ) {
    added = false;
    const names = new Set([...accessors].map((method) => propertyNameText(method.name)));
    for (const method of methods) {
      if (accessors.has(method) || !handedOut(method).some((value) => readsState(value, stateName, names))) continue;
      accessors.add(method);
      added = true;
    }
  }
  return accessors;
}

/** What a method gives its caller: its `return` and `yield` expressions, not those of functions written inside it. */
function handedOut(method: ts.MethodDeclaration): ts.Expression[] {
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if ((ts.isReturnStatement(node) || ts.isYieldExpression(node)) && node.expression) values.push(node.expression);
    ts.forEachChild(node, visit);
  };
  if (method.body) ts.forEachChild(method.body, visit);
  return values;
}

/** `this.sockets.get(code)`, `this.users(code).get(id)` (through an accessor), or a local read from one. */
function readsState(expression: ts.Expression, stateName: string, accessors: ReadonlySet<string | undefined>): boolean {
  let value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) {
    const initializer = localInitializer(value);
    if (!initializer) return false;
    value = skipOuterExpressions(initializer);
  }
  for (let guard = 0; guard < 8; guard++) {
    if (ts.isPropertyAccessExpression(value)) {
      if (value.expression.kind === ts.SyntaxKind.ThisKeyword) return value.name.text === stateName;
      value = skipOuterExpressions(value.expression);
    } else if (ts.isCallExpression(value)) {
      const callee = skipOuterExpressions(value.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) return accessors.has(callee.name.text);
      value = callee;
    } else if (ts.isElementAccessExpression(value)) {
      value = skipOuterExpressions(value.expression);
    } else {
      return false;
    }
  }
  return false;
}
