import ts = require('typescript');
import { resolveImportedMember } from '../imports';
import { valuesOfLocal } from '../scope';
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

// Servers only: a socket.io-client socket (`io.connect(url).on('connect', …)`) is this process
// connecting out, in a browser or to another service; its events are not requests.
// SockJS's server (`sockjs.createServer(…)`, installed on the HTTP server) emits `connection` with each client's connection, as ws does.
const REALTIME_MODULES = new Set(['socket.io', 'ws', 'uWebSockets.js', 'sockjs']);
const CLIENT_MODULES = new Set(['socket.io-client']);
const REALTIME_SERVER_NAME = /^_?(io|socketServer|socketIo|ioServer|wss|wsServer|websocketServer|\w*Namespace|nsp)$/;
const CONNECTION_EVENTS = new Set(['connection', 'connect']);
const PROCEDURE_ROOT = /procedure$/i;
const TRPC_KINDS = new Set(['query', 'mutation', 'subscription']);

/**
 * socket.io, ws and SockJS: `io.on('connection', socket => …)` is an entry, and so is every
 * `socket.on('event', handler)` registered on the connected socket.
 */
export function detectRealtime(context: DetectorContext, found: EntryCandidate[]): void {
  for (const { node } of context.facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const callee = skipOuterExpressions(node.expression);
    // io.use((socket, next) => …): socket.io's middleware runs in every connection's handshake.
    if (node.arguments.length === 1 && ts.isPropertyAccessExpression(callee) && callee.name.text === 'use' && isSocketIoServer(context, callee.expression)) {
      found.push({ label: 'socket handshake', framework: 'socket.io', registration: node, handlers: [node.arguments[0]] });
      continue;
    }
    if (node.arguments.length < 2) continue;
    if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'on' && callee.name.text !== 'once')) continue;
    const event = stringValue(node.arguments[0]);
    if (event === undefined) continue;
    const handler = node.arguments[1];
    if (CONNECTION_EVENTS.has(event) && isRealtimeServer(context, callee.expression)) {
      found.push({ label: 'socket connection', framework: 'socket.io', registration: node, handlers: [handler] });
      continue;
    }
    // protoo-server, the signalling server of mediasoup's SFUs: `wss.on('connectionrequest', (info, accept, reject) => …)`
    // is each peer's WebSocket handshake, which the handler accepts or rejects.
    if (event === 'connectionrequest' && isProtooServer(context, callee.expression)) {
      found.push({ label: 'protoo connection request', framework: 'protoo', registration: node, handlers: [handler] });
      continue;
    }
    // …and each peer's messages: `peer = room.createPeer(id, transport); peer.on('request', (request, accept, reject) => …)`.
    if ((event === 'request' || event === 'notification') && isProtooPeer(context, callee.expression)) {
      found.push({ label: `protoo peer ${event}`, framework: 'protoo', registration: node, handlers: [handler] });
      continue;
    }
    if (isConnectedSocket(context, callee.expression)) {
      found.push({ label: `socket event "${event}"`, framework: 'socket.io', registration: node, handlers: [handler] });
    }
  }
}

function isRealtimeServer(context: DetectorContext, receiver: ts.Expression): boolean {
  let value = skipOuterExpressions(receiver);
  // io.of('/chat').on(…) and io.sockets.on(…)
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'of') value = skipOuterExpressions(value.expression.expression);
  if (ts.isPropertyAccessExpression(value) && value.name.text === 'sockets') value = skipOuterExpressions(value.expression);
  if (ts.isNewExpression(value) || ts.isCallExpression(value)) return createdByModule(context, value, REALTIME_MODULES);
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return false;
  const name = ts.isIdentifier(value) ? value.text : value.name.text;
  if (ts.isIdentifier(value)) {
    const declaration = context.facts.topLevel.get(value.text) ?? localDeclaration(value);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipOuterExpressions(declaration.initializer);
      if ((ts.isNewExpression(init) || ts.isCallExpression(init)) && createdByModule(context, init, REALTIME_MODULES)) return true;
      // const io = require('socket.io-client')(url): a client, whatever its name.
      if ((ts.isNewExpression(init) || ts.isCallExpression(init)) && createdByModule(context, init, CLIENT_MODULES)) return false;
    }
  }
  return REALTIME_SERVER_NAME.test(name);
}

/** A protoo `WebSocketServer`: made by `new protoo.WebSocketServer(…)` where it is declared, or any receiver in a file that imports protoo-server. */
function isProtooServer(context: DetectorContext, receiver: ts.Expression): boolean {
  const value = skipOuterExpressions(receiver);
  if (ts.isNewExpression(value)) return createdByModule(context, value, PROTOO);
  return [...context.facts.imports.values()].some((binding) => PROTOO.has(binding.module));
}

const PROTOO = new Set(['protoo-server']);

/** A local given `….createPeer(…)` (a protoo `Room`'s peer), in a file that imports protoo-server. */
function isProtooPeer(context: DetectorContext, receiver: ts.Expression): boolean {
  const value = skipOuterExpressions(receiver);
  if (!ts.isIdentifier(value) || ![...context.facts.imports.values()].some((binding) => PROTOO.has(binding.module))) return false;
  return valuesOfLocal(value).some((assigned) => {
    const call = skipOuterExpressions(assigned);
    const callee = ts.isCallExpression(call) ? skipOuterExpressions(call.expression) : undefined;
    return callee !== undefined && ts.isPropertyAccessExpression(callee) && callee.name.text === 'createPeer';
  });
}

/**
 * A socket.io server, for its `use`: one that socket.io creates, or named `io` and created by a call
 * (`const io = this.io = sio()`). ws servers have no middleware, and an Express app is not a socket server.
 */
function isSocketIoServer(context: DetectorContext, receiver: ts.Expression): boolean {
  const value = skipOuterExpressions(receiver);
  if (ts.isNewExpression(value) || ts.isCallExpression(value)) return createdByModule(context, value, SOCKET_IO);
  if (!ts.isIdentifier(value)) return false;
  const declaration = context.facts.topLevel.get(value.text) ?? localDeclaration(value);
  let init = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  // const io = this.io = sio.instance = sio()
  while (init && ts.isBinaryExpression(init) && init.operatorToken.kind === ts.SyntaxKind.EqualsToken) init = skipOuterExpressions(init.right);
  return init !== undefined && (ts.isNewExpression(init) || ts.isCallExpression(init)) && createdByModule(context, init, SOCKET_IO);
}

const SOCKET_IO = new Set(['socket.io']);

function createdByModule(context: DetectorContext, creation: ts.NewExpression | ts.CallExpression, modules: ReadonlySet<string>): boolean {
  // new Server(http), socketIo(http), require('socket.io')(http)
  const member = resolveImportedMember(creation.expression, context.facts.imports);
  return member !== undefined && modules.has(member.module);
}

/**
 * The `const`/`let` of a function that declares `name` before it is used there:
 * `const sockets = new Server(http); sockets.on('connect', …)` inside a `start()` function.
 */
function localDeclaration(name: ts.Identifier): ts.VariableDeclaration | undefined {
  for (let scope: ts.Node | undefined = name.parent; scope && !ts.isSourceFile(scope); scope = scope.parent) {
    if (!ts.isBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (statement.pos >= name.pos) break;
      if (!ts.isVariableStatement(statement)) continue;
      const found = statement.declarationList.declarations.find((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name.text);
      if (found) return found;
    }
  }
  return undefined;
}

/** `socket` is the first parameter of a connection handler: `io.on('connection', (socket) => socket.on(…))`. */
function isConnectedSocket(context: DetectorContext, receiver: ts.Expression): boolean {
  const value = skipOuterExpressions(receiver);
  if (!ts.isIdentifier(value)) return false;
  for (let current: ts.Node | undefined = value.parent; current; current = current.parent) {
    if (!ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) continue;
    const first = current.parameters[0];
    if (!first || !ts.isIdentifier(first.name) || first.name.text !== value.text) continue;
    const registration = current.parent;
    if (!ts.isCallExpression(registration) || !ts.isPropertyAccessExpression(registration.expression)) return false;
    const event = stringValue(registration.arguments[0]);
    return event !== undefined && CONNECTION_EVENTS.has(event) && isRealtimeServer(context, registration.expression.expression);
  }
  return false;
}

/** tRPC: `publicProcedure.input(schema).mutation(async ({ input }) => …)` inside `router({ name: … })`. */
export function detectTrpc(context: DetectorContext, found: EntryCandidate[]): void {
  for (const { node } of context.facts.calls) {
    if (!ts.isCallExpression(node) || node.arguments.length !== 1) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || !TRPC_KINDS.has(callee.name.text)) continue;
    if (!isProcedureChain(callee.expression)) continue;
    const { path, router } = procedurePath(node);
    const kind = callee.name.text;
    found.push({ label: `tRPC ${kind} ${path}`, framework: 'trpc', registration: node, handlers: [node.arguments[0]], procedure: { kind, path, router } });
  }
}

function isProcedureChain(expression: ts.Expression): boolean {
  let current = skipOuterExpressions(expression);
  for (let guard = 0; guard < 16; guard++) {
    if (ts.isIdentifier(current)) return PROCEDURE_ROOT.test(current.text);
    if (ts.isPropertyAccessExpression(current)) {
      if (PROCEDURE_ROOT.test(current.name.text)) return true;
      current = skipOuterExpressions(current.expression);
    } else if (ts.isCallExpression(current)) current = skipOuterExpressions(current.expression);
    else return false;
  }
  return false;
}

/**
 * The procedure's path inside the routers of its file, as clients call it: `user.create` for
 * `router({ user: router({ create: … }) })`, the variable's name for `export const create = …`; and the
 * variable that holds the outermost router (`postRouter`), which other files merge under a key.
 */
function procedurePath(call: ts.CallExpression): { path: string; router: ts.VariableDeclaration | undefined } {
  const names = routerKeysAbove(call);
  for (let current: ts.Node | undefined = call.parent; current; current = current.parent) {
    if (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name)) {
      return names.length > 0 ? { path: names.join('.'), router: current } : { path: current.name.text, router: undefined };
    }
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) break;
  }
  return { path: names.length > 0 ? names.join('.') : 'procedure', router: undefined };
}

/** The keys of the object literals around a node, outermost first, up to its variable or function: `['user', 'create']`. */
export function routerKeysAbove(node: ts.Node): string[] {
  const names: string[] = [];
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isPropertyAssignment(current) || ts.isShorthandPropertyAssignment(current)) names.unshift(propertyNameText(current.name) ?? 'procedure');
    if (ts.isVariableDeclaration(current) || ts.isFunctionLike(current) || ts.isSourceFile(current)) break;
  }
  return names;
}

/** `requestPath.handlerCallees`: user-named registration functions; every function argument is a handler. */
export function detectConfiguredCallees(context: DetectorContext, found: EntryCandidate[]): void {
  const callees = context.settings.handlerCallees;
  if (callees.length === 0) return;
  for (const { node } of context.facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const text = calleeText(node.expression);
    if (text === undefined || !callees.some((callee) => callee === text || (!callee.includes('.') && text.endsWith(`.${callee}`)))) continue;
    const path = stringValue(node.arguments[0]);
    const handlers = node.arguments.filter((argument) => !ts.isStringLiteralLike(argument) && !ts.isObjectLiteralExpression(skipOuterExpressions(argument)));
    if (handlers.length > 0) found.push({ label: path !== undefined ? `${text} ${path}` : text, framework: 'configured', registration: node, handlers });
  }
}

function calleeText(expression: ts.Expression): string | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isPropertyAccessExpression(value)) {
    const owner = calleeText(value.expression);
    return owner === undefined ? undefined : `${owner}.${value.name.text}`;
  }
  return undefined;
}
