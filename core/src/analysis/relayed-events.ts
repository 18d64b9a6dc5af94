import ts = require('typescript');
import type { CallLike } from './file-facts';
import type { RequestGraph } from './request-graph';
import { enclosingClass } from './untyped-resolve';
import { propertyNameText, skipOuterExpressions } from './text';

// A list of connected clients sent to from a listener of an in-process event: a gateway subscribes to a
// service's EventEmitter at start-up (`this.manager.events.on(Events.SESSION_STATUS, this.sendToAll.bind(this))`)
// and sends what it hears to every client it holds. The event is raised where the work runs, on one
// instance; clients connected to another instance never hear of it. The loop is on no request path when
// the emit is not (raised by a session this process runs), as socket.io's broadcasts in such a listener.

const { SyntaxKind } = ts;

const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** The listener that runs a send and the emit of the service that raises its event. */
export interface EventRelay {
  /** `this.manager.events.on(…)`. */
  subscription: ts.CallExpression;
  /** The event as written: `Events.SESSION_STATUS`, `'status'`. */
  event: string;
  /** An emit on the same emitter: `this.events.emit(event, data)`. */
  emit: CallLike;
}

/**
 * The in-process event whose listener runs `node`: a function handed to a subscription (`bus.on('x', (data) => …)`),
 * or a method of its class subscribed as `this.sendToAll.bind(this)`, `this.sendToAll` or `(data) => this.sendToAll(data)`,
 * when the service's code emits that event on the same emitter.
 */
export function relayOf(node: ts.Node, graph: RequestGraph): EventRelay | undefined {
  for (const subscribe of subscriptionsRunning(node)) {
    const emit = graph.emitOnEmitterOf(subscribe);
    if (emit) return { subscription: subscribe, event: skipOuterExpressions(subscribe.arguments[0]).getText(), emit };
  }
  return undefined;
}

function subscriptionsRunning(node: ts.Node): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  for (let current: ts.Node | undefined = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if ((ts.isFunctionExpression(current) || ts.isArrowFunction(current)) && isListenerArgument(current)) found.push(current.parent as ts.CallExpression);
    if (ts.isMethodDeclaration(current) && current.body && ts.isClassLike(current.parent)) {
      const name = propertyNameText(current.name);
      if (name !== undefined) found.push(...methodSubscriptions(current.parent, name));
      break;
    }
  }
  return found;
}

function isListenerArgument(fn: ts.Expression): boolean {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || call.arguments[1] !== fn) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text);
}

/** Subscriptions in a class that hand it one of its methods: `x.on(e, this.m.bind(this))`, `x.on(e, this.m)`, `x.on(e, (d) => this.m(d))`. */
function methodSubscriptions(declaration: ts.ClassLikeDeclaration, method: string): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const isThisMethod = (expression: ts.Expression): boolean => {
    const value = skipOuterExpressions(expression);
    return ts.isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword && value.name.text === method && enclosingClass(value)?.declaration === declaration;
  };
  const handsMethod = (listener: ts.Expression): boolean => {
    const value = skipOuterExpressions(listener);
    if (isThisMethod(value)) return true;
    if (ts.isCallExpression(value)) {
      const callee = skipOuterExpressions(value.expression);
      return ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind' && isThisMethod(callee.expression);
    }
    if (ts.isArrowFunction(value)) {
      const body = ts.isBlock(value.body) && value.body.statements.length === 1 && ts.isExpressionStatement(value.body.statements[0]) ? value.body.statements[0].expression : value.body;
      const call = ts.isExpression(body) ? skipOuterExpressions(body) : undefined;
      return call !== undefined && ts.isCallExpression(call) && isThisMethod(call.expression);
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length >= 2) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) && handsMethod(node.arguments[1])) found.push(node);
    }
    ts.forEachChild(node, visit);
  };
  for (const member of declaration.members) visit(member);
  return found;
}
