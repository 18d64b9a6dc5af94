import ts = require('typescript');
import { localInitializer } from './scope';
import { skipOuterExpressions } from './text';

// The connections of this process: socket.io's map of connected sockets (`io.sockets.sockets`,
// `io.of('/ns').sockets`, socket.io 2's `io.sockets.connected`) and a ws server's `clients`. Each
// client is connected to one instance, so what a loop over them does for each is done once per
// client however many instances there are: a timer's work inside such a loop is no work every
// instance repeats (`scheduled-work.ts`), while a send inside it on a request path is a broadcast
// that misses the other instances' clients (`pubsub.ts`).

const WS_SERVER_NAME = /^(wss|wsServer|webSocketServer|websocketServer|socketServer)$/i;
/** Calls that hand back the same elements: `sockets.values()`, `[...clients]`, `Array.from(clients)`. */
const SAME_ELEMENTS = new Set(['values', 'entries', 'keys', 'slice', 'filter']);
const ITERATE_METHODS = new Set(['forEach', 'map', 'flatMap', 'some', 'every', 'filter']);

/** `io.sockets.sockets`, `this.io.sockets.connected`, `io.of('/ns').sockets`: a namespace's connected sockets. */
export function isConnectedSockets(collection: ts.Expression): boolean {
  const value = skipOuterExpressions(collection);
  if (!ts.isPropertyAccessExpression(value)) return false;
  const owner = skipOuterExpressions(value.expression);
  if (value.name.text === 'sockets' && ts.isCallExpression(owner)) {
    const callee = skipOuterExpressions(owner.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'of' && owner.arguments.length === 1;
  }
  return (value.name.text === 'sockets' || value.name.text === 'connected') && ts.isPropertyAccessExpression(owner) && owner.name.text === 'sockets';
}

/** socket.io's connected sockets, or a ws server's `clients` (`wss.clients`, `this.wss.clients`), seen through `.values()`, a spread, `Array.from` and a local holding one. */
export function isOwnConnections(collection: ts.Expression, depth = 0): boolean {
  const value = sameElementsOf(collection);
  if (isConnectedSockets(value)) return true;
  if (ts.isPropertyAccessExpression(value) && value.name.text === 'clients') {
    const server = skipOuterExpressions(value.expression);
    const name = ts.isIdentifier(server) ? server.text : ts.isPropertyAccessExpression(server) ? server.name.text : undefined;
    return name !== undefined && WS_SERVER_NAME.test(name);
  }
  if (ts.isIdentifier(value) && depth === 0) {
    const initializer = localInitializer(value);
    return initializer !== undefined && isOwnConnections(initializer, depth + 1);
  }
  return false;
}

/** The collection a value hands back the elements of (`[...clients]`, `Array.from(sockets.values())`): through the `methods` that keep them. */
export function sameElementsOf(expression: ts.Expression, methods: ReadonlySet<string> = SAME_ELEMENTS): ts.Expression {
  let value = skipOuterExpressions(expression);
  for (let guard = 0; guard < 8; guard++) {
    if (ts.isArrayLiteralExpression(value) && value.elements.length === 1 && ts.isSpreadElement(value.elements[0])) value = skipOuterExpressions(value.elements[0].expression);
    else if (ts.isCallExpression(value)) {
      const callee = skipOuterExpressions(value.expression);
      if (!ts.isPropertyAccessExpression(callee)) break;
      if (callee.name.text === 'from' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Array' && value.arguments.length > 0) value = skipOuterExpressions(value.arguments[0]);
      else if (methods.has(callee.name.text)) value = skipOuterExpressions(callee.expression);
      else break;
    } else break;
  }
  return value;
}

/**
 * Whether `node` runs once per connection of this process, inside `fn`: in the body of a loop over
 * them (`for (const socket of io.sockets.sockets.values()) { … }`, `wss.clients.forEach((ws) => …)`).
 */
export function inLoopOverOwnConnections(node: ts.Node, fn: ts.Node): boolean {
  for (let child: ts.Node = node, current = node.parent; current && current !== fn.parent; child = current, current = current.parent) {
    if ((ts.isForOfStatement(current) || ts.isForInStatement(current)) && child === current.statement && isOwnConnections(current.expression)) return true;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isCallExpression(current.parent) && current.parent.arguments[0] === current) {
      const callee = skipOuterExpressions(current.parent.expression);
      if (ts.isPropertyAccessExpression(callee) && ITERATE_METHODS.has(callee.name.text) && isOwnConnections(callee.expression)) return true;
    }
    if (current === fn) break;
  }
  return false;
}
