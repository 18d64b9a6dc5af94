import ts = require('typescript');
import { isConnectedSockets, sameElementsOf } from './connection-loops';
import { getFileFacts, type CallLike, type FunctionNode, type Mutation } from './file-facts';
import { decoratorsOf } from './frameworks/nest';
import { resolveImportedMember } from './imports';
import { findOption, optionsObject } from './options';
import { isExportsObject } from './module-exports';
import { graphFilesWhere, type Reach, type RequestGraph } from './request-graph';
import { requestPathListeners } from './nest-events';
import { enclosingClass } from './resolve';
import { isShadowed, localInitializer, localVariableOf, valuesOfLocal } from './scope';
import { fieldInitializer, singletonClasses, statesWrittenOnRequestPath, type SharedState } from './shared-state';
import { inTimerCallback, keyNode } from './state-use';
import { globalSingletonValue, propertyNameText, skipOuterExpressions, stringValue } from './text';
import { isDevelopmentBranch } from './development-branches';

// Fan-out that only reaches this process: socket.io servers without an adapter, broadcasts over a
// ws server's `clients`, module lists of connected clients, and EventEmitters that wake other
// requests. Each is a hazard only when a request path (a route or a socket event) sends the message.

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Methods that send to one connection: a response, a socket, a stream controller or writer, an SSE stream's subscriber (`subscriber.next(event)`, given what it sends). */
const SEND_METHODS = new Set(['write', 'writeSSE', 'send', 'sendMessage', 'emit', 'enqueue', 'json', 'end', 'sendEvent', 'sse', 'next']);
/** Calls that hand back the same elements: `[...clients]`, `clients.values()`, `m.entries()` (the value of `[k, v]`), `peers.keys()` (of a Map keyed by the socket), `waiters.splice(0)`, a set library's `set.array()`. */
const SAME_ELEMENTS = new Set(['values', 'entries', 'keys', 'slice', 'splice', 'filter', 'concat', 'toArray', 'array']);
const ITERATE_METHODS = new Set(['forEach', 'map', 'flatMap', 'some', 'every']);
const SUBSCRIBE_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'subscribe', 'asObservable', 'pipe']);
const EMIT_METHODS = new Set(['emit', 'next']);
/** Broadcast selectors of socket.io: `io.to(room)`, `socket.broadcast`, `io.of('/ns')`. */
const SOCKET_IO_SELECTORS = new Set(['to', 'in', 'except', 'of']);
const SOCKET_IO_SERVER_NAME = /^(io|ioServer|socketServer|socketIo|socketIO)$/;
const WS_SERVER_NAME = /^(wss|wsServer|webSocketServer|websocketServer|socketServer)$/i;
/** Packages that give socket.io an adapter across instances (Redis, Redis streams, Postgres, Mongo, cluster, cloud queues). */
const ADAPTER_PACKAGE = /^(@socket\.io\/[\w-]*adapter|socket\.io-(redis|ioredis|adapter-[\w-]+|[\w-]+-adapter)|@nestjs-redis\/socket\.io-adapter|[\w@/.-]*socket\.io[\w-]*-adapter)$/;
const EMITTER_CLASSES: Record<string, readonly string[]> = {
  events: ['', 'EventEmitter'],
  eventemitter2: ['', 'EventEmitter2'],
  eventemitter3: ['', 'EventEmitter'],
  rxjs: ['Subject', 'ReplaySubject', 'BehaviorSubject'],
};

/** A socket.io server (or NestJS gateway) that broadcasts on a request path and has no adapter. */
export interface LocalSocketIoServer {
  node: ts.Node;
  /** `new Server()`, `socketIo()`, `@WebSocketGateway() ChatGateway`. */
  label: string;
  broadcast: CallLike;
  /** Empty when the broadcast runs in a listener of an in-process event whose emit no request path is seen to reach. */
  broadcastReaches: readonly Reach[];
  /** The in-process event whose listener broadcasts (`core.on('user_join', …)`), when the broadcast is not itself on a request path. */
  event: string | undefined;
  /** HTTP long-polling is on (socket.io's default): the load balancer also needs sticky sessions. */
  polling: boolean;
  /** The socket.io factory call, when the fix can give it an adapter. */
  creation: ts.NewExpression | ts.CallExpression | undefined;
}

/** A loop over a ws server's `clients` that sends to each, on a request path. */
export interface WsBroadcast {
  clients: ts.Expression;
  /** The loop that sends to each client. */
  loop: ts.Node;
  reaches: readonly Reach[];
}

/** A process-local EventEmitter (or RxJS Subject) that requests subscribe to and requests emit on. */
export interface EmitterFanOut {
  nameNode: ts.Node;
  name: string;
  subscriptions: { node: CallLike; reaches: readonly Reach[] }[];
  emits: { node: CallLike; reaches: readonly Reach[] }[];
}

interface ProgramEvidence {
  /** `io.adapter(createAdapter(…))` or an `adapter:` option somewhere the analysis sees. */
  hasAdapter: boolean;
  /** `app.useWebSocketAdapter(new WsAdapter(app))`: Nest gateways run on ws, not socket.io. */
  nestUsesWs: boolean;
  /** socket.io broadcasts reached from a request path (directly, or through a listener of an event a request emits), in source order. */
  broadcasts: { node: CallLike; reaches: readonly Reach[]; event?: string }[];
}

const evidenceCache = new WeakMap<RequestGraph, ProgramEvidence>();

function programEvidence(graph: RequestGraph): ProgramEvidence {
  let evidence = evidenceCache.get(graph);
  if (evidence) return evidence;
  evidence = { hasAdapter: false, nestUsesWs: false, broadcasts: [] };
  /** `x.emit('name', …)` calls that are not socket.io broadcasts, by event name, with their request-path reaches: what wakes in-process listeners. */
  const emitsByEvent = new Map<string, Reach[]>();
  const offPath: ts.CallExpression[] = [];
  const serverFields = new Set<string>();
  const files = graphFilesWhere(graph, socketIoCalls, hasSocketIoCalls);
  for (const file of files) for (const field of socketIoCalls(file).serverFields) serverFields.add(field);
  for (const file of files) {
    if (graph.isIgnoredFile(file)) continue;
    const facts = getFileFacts(file);
    for (const { node, callee } of socketIoCalls(file).calls) {
      const method = callee.name.text;
      if (method === 'adapter' && node.arguments.length > 0) evidence.hasAdapter = true;
      else if (method === 'createIOServer' && node.arguments.some((argument) => hasAdapterOption(argument, facts))) evidence.hasAdapter = true;
      else if (method === 'useWebSocketAdapter' && node.arguments.length > 0) {
        const adapter = skipOuterExpressions(node.arguments[0]);
        if (ts.isNewExpression(adapter) && resolveImportedMember(adapter.expression, facts.imports)?.module === '@nestjs/platform-ws') evidence.nestUsesWs = true;
      } else if (method === 'emit') {
        const reaches = graph.reachesOf(node);
        if (!isSocketIoBroadcastTarget(callee.expression, serverFields)) {
          // Each instance ticks its own timers: an event a timer emits is not one request's.
          const event = stringValue(node.arguments[0]);
          if (event !== undefined && !inTimerCallback(node)) emitsByEvent.set(event, [...(emitsByEvent.get(event) ?? []), ...reaches.map((reach) => ({ entry: reach.entry, calls: [...reach.calls, node] }))]);
        } else if (reaches.length > 0) evidence.broadcasts.push({ node, reaches });
        else offPath.push(node);
      }
    }
  }
  // A broadcast in a listener of an in-process event (`core.on('user_join', …)`) that the service's
  // code emits (`core.emit('user_join', …)`, not from a timer) fans out something that happened on
  // this instance only: on the request path of that emit when the graph sees it.
  const relayed: ProgramEvidence['broadcasts'] = [];
  for (const node of offPath) {
    const event = listenedEvents(node).find((name) => emitsByEvent.has(name));
    if (event !== undefined) relayed.push({ node, reaches: emitsByEvent.get(event)!, event });
  }
  evidence.broadcasts.push(...relayed.filter((broadcast) => broadcast.reaches.length > 0), ...relayed.filter((broadcast) => broadcast.reaches.length === 0));
  // A loop over the server's own connected sockets that emits to each, on a request path: a broadcast
  // written by hand, which reaches the sockets of this instance only.
  evidence.broadcasts.push(...connectedSocketLoops(graph));
  // Without socket.io's own broadcasts, rooms kept by hand: a list of connected sockets the service
  // emits to one by one (`for (const id in peers[room]) peers[room][id].emit(…)`) reaches the sockets of
  // this instance only, and rooms on the server's adapter are what would reach the others.
  if (evidence.broadcasts.length === 0) evidence.broadcasts.push(...socketListBroadcasts(graph));
  evidenceCache.set(graph, evidence);
  return evidence;
}

/**
 * `for (const socket of io.sockets.sockets.values()) socket.emit(…)`, `io.of('/admin').sockets.forEach(…)`,
 * `for (const id in io.sockets.connected) io.sockets.connected[id].emit(…)` (socket.io 2), on a request path:
 * socket.io's map of the sockets connected to this process, each sent to by hand.
 */
function connectedSocketLoops(graph: RequestGraph): ProgramEvidence['broadcasts'] {
  const found: ProgramEvidence['broadcasts'] = [];
  for (const file of graph.files) {
    if (graph.isIgnoredFile(file) || !graph.reachedFiles.has(file) || !CONNECTED_SOCKETS_TEXT.test(file.text)) continue;
    for (const loop of sendingLoops(file)) {
      if (loop.send === loop.node || !isEmit(loop.send) || !isConnectedSockets(loop.collection)) continue;
      const reaches = graph.reachesOf(loop.send);
      if (reaches.length > 0) found.push({ node: loop.send, reaches });
    }
  }
  return found;
}

const CONNECTED_SOCKETS_TEXT = /\.sockets\s*\.\s*(?:sockets|connected)\b|\.of\s*\([^)]*\)\s*\.\s*sockets\b/;

/** Emits, on a request path, to each socket of a module or singleton list of connected clients. */
function socketListBroadcasts(graph: RequestGraph): ProgramEvidence['broadcasts'] {
  const found: ProgramEvidence['broadcasts'] = [];
  for (const file of graph.files) {
    if (graph.isIgnoredFile(file) || !graph.reachedFiles.has(file)) continue;
    if (!sendingLoops(file).some((loop) => isEmit(loop.send))) continue;
    for (const { state, classification } of statesWrittenOnRequestPath(graph, file)) {
      if (classification !== 'realtime') continue;
      for (const loop of fanOutLoopsOf(state)) {
        // `users.get(id)?.emit(…)` answers one user: a direct message, not a broadcast.
        const reaches = isEmit(loop.send) && loop.send !== loop.node ? graph.reachesOf(loop.send) : [];
        if (reaches.length > 0) found.push({ node: loop.send, reaches });
      }
    }
  }
  return found;
}

/** `socket.emit(…)`, or `socket.send(…)` (socket.io's emit of a "message" event). */
function isEmit(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'emit' || callee.name.text === 'send');
}

const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** Event names of the listeners a node runs in: `x.on('name', function () { … node … })`, at any depth of callbacks. */
function listenedEvents(node: ts.Node): string[] {
  const events: string[] = [];
  for (let current: ts.Node | undefined = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionExpression(current) && !ts.isArrowFunction(current)) continue;
    const call: ts.Node = current.parent;
    if (!ts.isCallExpression(call) || call.arguments[1] !== current) continue;
    const callee = skipOuterExpressions(call.expression);
    const event = stringValue(call.arguments[0]);
    if (ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) && event !== undefined) events.push(event);
  }
  return events;
}

const SOCKET_IO_METHODS = new Set(['adapter', 'createIOServer', 'useWebSocketAdapter', 'emit']);
const socketIoCallsOf = new WeakMap<ts.SourceFile, { serverFields: string[]; calls: { node: ts.CallExpression; callee: ts.PropertyAccessExpression }[] }>();

/** A file's `@WebSocketServer()` fields and its calls of the methods the evidence looks at (syntax only: kept as long as the file is). */
function socketIoCalls(file: ts.SourceFile): { serverFields: string[]; calls: { node: ts.CallExpression; callee: ts.PropertyAccessExpression }[] } {
  let found = socketIoCallsOf.get(file);
  if (found) return found;
  found = { serverFields: [], calls: [] };
  const facts = getFileFacts(file);
  for (const declaration of facts.classes) {
    for (const member of declaration.members) {
      if (decoratorsOf(member).some((d) => d.name === 'WebSocketServer')) found.serverFields.push(propertyNameText(member.name) ?? '');
    }
  }
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && SOCKET_IO_METHODS.has(callee.name.text)) found.calls.push({ node, callee });
  }
  socketIoCallsOf.set(file, found);
  return found;
}

function hasSocketIoCalls(file: ts.SourceFile): boolean {
  const found = socketIoCalls(file);
  return found.serverFields.length > 0 || found.calls.length > 0;
}

function hasAdapterOption(argument: ts.Expression, facts: ReturnType<typeof getFileFacts>): boolean {
  const options = optionsObject(argument, facts);
  return typeof options === 'object' && options.properties.some((property) => propertyNameText(property.name) === 'adapter');
}

/** Whether the service's socket.io servers have an adapter across instances: set up somewhere the analysis sees, or a package for one in the nearest package.json. */
export function socketIoHasAdapter(graph: RequestGraph, sourceFile: ts.SourceFile): boolean {
  return programEvidence(graph).hasAdapter || [...packageDependencies(sourceFile.fileName)].some((name) => ADAPTER_PACKAGE.test(name));
}

/** `io.emit`, `io.to(room).emit`, `socket.broadcast.emit`, `socket.to(room).emit`, `this.server.emit` (a `@WebSocketServer()` field). */
function isSocketIoBroadcastTarget(target: ts.Expression, serverFields: ReadonlySet<string>): boolean {
  const value = skipOuterExpressions(target);
  if (ts.isPropertyAccessExpression(value)) {
    const name = value.name.text;
    if (name === 'broadcast' || name === 'sockets') return true;
    // io.local.emit and io.volatile.emit broadcast; socket.volatile.emit answers one client.
    if (name === 'local' || name === 'volatile') return isSocketIoBroadcastTarget(value.expression, serverFields);
    return serverFields.has(name) || SOCKET_IO_SERVER_NAME.test(name);
  }
  if (ts.isCallExpression(value)) {
    const callee = skipOuterExpressions(value.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    // `req.app.get('io')`: the server an Express app was given with `app.set('io', io)`.
    if (callee.name.text === 'get' && value.arguments.length === 1) return SOCKET_IO_SERVER_NAME.test(stringValue(value.arguments[0]) ?? '');
    return SOCKET_IO_SELECTORS.has(callee.name.text);
  }
  return ts.isIdentifier(value) && SOCKET_IO_SERVER_NAME.test(value.text);
}

/**
 * socket.io servers created in this file (`new Server(http)`, `socketIo(http)`, `require('socket.io')(http)`)
 * and NestJS gateways declared in it, when some request path broadcasts and nothing the analysis
 * sees gives socket.io an adapter.
 */
export function findLocalSocketIoServers(graph: RequestGraph, sourceFile: ts.SourceFile): LocalSocketIoServer[] {
  const evidence = programEvidence(graph);
  const broadcast = evidence.broadcasts[0];
  if (!broadcast || evidence.hasAdapter) return [];
  const dependencies = packageDependencies(sourceFile.fileName);
  if ([...dependencies].some((name) => ADAPTER_PACKAGE.test(name))) return [];
  const facts = getFileFacts(sourceFile);
  const found: LocalSocketIoServer[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (member?.module !== 'socket.io' || !isServerFactory(member.path, node)) continue;
    // `isDev ? new Server(http, { cors }) : new Server(http)`: the deployment runs the other branch's server.
    if (isDevelopmentBranch(node)) continue;
    const options = serverOptions(node, facts);
    if (options === 'unknown' || (options && givesAdapter(options))) continue;
    found.push({
      node,
      label: ts.isNewExpression(node) ? `new ${node.expression.getText()}()` : `${node.expression.getText()}()`,
      broadcast: broadcast.node,
      broadcastReaches: broadcast.reaches,
      event: broadcast.event,
      polling: !options || !websocketOnly(options),
      creation: node,
    });
  }
  for (const node of expressIoServers(facts)) {
    found.push({ node: node.name, label: `${node.getText().replace(/\s+/g, '').replace(/\(\{.*\}\)/, '(…)')}()`, broadcast: broadcast.node, broadcastReaches: broadcast.reaches,
      event: broadcast.event, polling: true, creation: undefined });
  }
  const nestOnWs = evidence.nestUsesWs || (dependencies.has('@nestjs/platform-ws') && !dependencies.has('@nestjs/platform-socket.io'));
  if (nestOnWs) return found;
  for (const declaration of facts.classes) {
    const gateway = decoratorsOf(declaration).find((d) => d.name === 'WebSocketGateway');
    if (!gateway) continue;
    const options = gateway.call?.arguments.find((argument) => ts.isObjectLiteralExpression(skipOuterExpressions(argument)));
    const object = options && skipOuterExpressions(options);
    found.push({
      node: gateway.node,
      label: `@WebSocketGateway() ${declaration.name?.text ?? 'class'}`,
      broadcast: broadcast.node,
      broadcastReaches: broadcast.reaches,
      event: broadcast.event,
      polling: !(object && ts.isObjectLiteralExpression(object) && websocketOnly(object)),
      creation: undefined,
    });
  }
  return found;
}

/** express.io and express.oi: `express().http().io()` gives the app a socket.io server (`app.io`) with socket.io's in-memory adapter. */
const EXPRESS_IO_MODULES = new Set(['express.io', 'express.oi']);

/** The `….io` member of `express().http().io()` / `express().https(options).io()` chains of express.io or express.oi. */
function expressIoServers(facts: ReturnType<typeof getFileFacts>): ts.PropertyAccessExpression[] {
  const found: ts.PropertyAccessExpression[] = [];
  for (const { node } of facts.calls) {
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(callee) || callee.name.text !== 'io') continue;
    let root: ts.Expression = skipOuterExpressions(callee.expression);
    for (let guard = 0; guard < 4 && ts.isCallExpression(root); guard++) {
      const inner = skipOuterExpressions(root.expression);
      if (!ts.isPropertyAccessExpression(inner) || !['http', 'https', 'listen'].includes(inner.name.text)) break;
      root = skipOuterExpressions(inner.expression);
    }
    if (!ts.isCallExpression(root)) continue;
    const member = resolveImportedMember(root.expression, facts.imports);
    if (member && EXPRESS_IO_MODULES.has(member.module) && member.path.length === 0) found.push(callee);
  }
  return found;
}

/** An `adapter` option (or a spread that may bring one) other than `adapter: undefined` / `null`. */
function givesAdapter(options: ts.ObjectLiteralExpression): boolean {
  const adapter = findOption(options, 'adapter');
  if (!adapter || !ts.isPropertyAssignment(adapter)) return adapter !== undefined;
  const value = skipOuterExpressions(adapter.initializer);
  return !(value.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined'));
}

/** `new Server(…)`, `new socketIo.Server(…)`, `socketIo(…)`, `require('socket.io')(…)`, `socketIo.listen(…)`. */
function isServerFactory(path: readonly string[], node: CallLike): boolean {
  if (path.length === 0) return true;
  if (path.length !== 1) return false;
  return path[0] === 'Server' ? ts.isNewExpression(node) || ts.isCallExpression(node) : path[0] === 'listen' && ts.isCallExpression(node);
}

/** The options object: `new Server(http, { … })`, `new Server({ … })`, `new Server(3000, { … })`. */
function serverOptions(node: CallLike, facts: ReturnType<typeof getFileFacts>): ts.ObjectLiteralExpression | undefined | 'unknown' {
  const args = node.arguments ?? [];
  const first = args[0] && skipOuterExpressions(args[0]);
  if (first && ts.isObjectLiteralExpression(first)) return first;
  return optionsObject(args[1], facts);
}

/** `transports: ['websocket']`: no HTTP long-polling, so no sticky sessions are needed. */
function websocketOnly(options: ts.ObjectLiteralExpression): boolean {
  const transports = findOption(options, 'transports');
  if (!transports || !ts.isPropertyAssignment(transports)) return false;
  const value = skipOuterExpressions(transports.initializer);
  return ts.isArrayLiteralExpression(value) && value.elements.length > 0 && value.elements.every((element) => stringValue(element) === 'websocket');
}

/** Loops over a ws server's `clients` in this file that send to each client, on a request path. */
export function findWsBroadcasts(graph: RequestGraph, sourceFile: ts.SourceFile): WsBroadcast[] {
  const found: WsBroadcast[] = [];
  const facts = getFileFacts(sourceFile);
  const importsWs = [...facts.imports.values()].some((binding) => binding.module === 'ws');
  for (const loop of sendingLoops(sourceFile)) {
    const collection = loop.collection;
    if (!ts.isPropertyAccessExpression(collection) || collection.name.text !== 'clients') continue;
    if (!isWsServer(graph, collection.expression, facts, importsWs)) continue;
    const reaches = graph.reachesOf(loop.node);
    if (reaches.length > 0) found.push({ clients: collection, loop: loop.node, reaches });
  }
  return found;
}

function isWsServer(graph: RequestGraph, owner: ts.Expression, facts: ReturnType<typeof getFileFacts>, importsWs: boolean): boolean {
  const value = skipOuterExpressions(owner);
  const checker = graph.resolver.checker;
  if (checker) {
    try {
      const symbol = checker.getTypeAtLocation(value).getSymbol();
      const declaration = symbol?.declarations?.[0];
      if (symbol && declaration && /(^|\/)(@types\/)?ws\//.test(declaration.getSourceFile().fileName.replace(/\\/g, '/'))) return symbol.name === 'WebSocketServer' || symbol.name === 'Server';
    } catch {
      // fall through to the syntactic check
    }
  }
  if (ts.isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword) {
    const owner = enclosingClass(value);
    const field = owner?.declaration.members.find((member) => propertyNameText(member.name) === value.name.text);
    return field !== undefined && decoratorsOf(field).some((d) => d.name === 'WebSocketServer');
  }
  if (!ts.isIdentifier(value)) return false;
  const declaration = facts.topLevel.get(value.text);
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && !isShadowed(value, value.text)) {
    const init = skipOuterExpressions(declaration.initializer);
    if (ts.isNewExpression(init)) return resolveImportedMember(init.expression, facts.imports)?.module === 'ws';
  }
  return importsWs && WS_SERVER_NAME.test(value.text);
}

/** A loop (or `forEach`) over a collection whose body sends to each element. */
export interface SendingLoop {
  node: ts.Node;
  /** The iterated collection with `[...x]`, `x.values()`, `Array.from(x)` taken off. */
  collection: ts.Expression;
  /** The first send to an element (`socket.emit(…)`, `send(peer, …)`). */
  send: ts.CallExpression;
}

const loopCache = new WeakMap<ts.SourceFile, SendingLoop[]>();

/** Every loop in a file that sends to the elements it iterates, and every `m.get(k).write(…)` (a send to one entry). */
export function sendingLoops(sourceFile: ts.SourceFile): SendingLoop[] {
  let loops = loopCache.get(sourceFile);
  if (loops) return loops;
  loops = [];
  const found = loops;
  const visit = (node: ts.Node): void => {
    if (ts.isForOfStatement(node)) {
      const element = node.initializer;
      const bound = ts.isVariableDeclarationList(element) ? element.declarations.flatMap((d) => boundNames(d.name, true)) : [];
      // for (const [socket, peer] of peers) socket.send(…), for (const socket of peers.keys()): a Map keyed by the socket itself.
      const overKeys = readsKeys(node.expression);
      const names = overKeys ? [] : bound;
      const keys = overKeys ? bound : ts.isVariableDeclarationList(element) ? element.declarations.flatMap((d) => entryKeyNames(d.name)) : [];
      const send = names.length + keys.length > 0 ? sendTo(node.statement, names, undefined, keys) : undefined;
      if (send) found.push({ node, collection: iterated(node.expression), send });
    } else if (ts.isForStatement(node)) {
      // for (var i = 0; i < clients.length; i++) clients[i].send(…)
      const bound = indexedLoop(node);
      const send = bound ? sendToEntries(node.statement, bound.collection, bound.index) : undefined;
      if (bound && send) found.push({ node, collection: skipOuterExpressions(bound.collection), send });
    } else if (ts.isForInStatement(node)) {
      // for (const id in peers) peers[id].emit(…) — or const peer = peers[id]; send(peer, …)
      const key = ts.isVariableDeclarationList(node.initializer) ? node.initializer.declarations[0]?.name : node.initializer;
      const send = key && ts.isIdentifier(key) ? sendToEntries(node.statement, node.expression, key.text) : undefined;
      if (send) found.push({ node, collection: skipOuterExpressions(node.expression), send });
    } else if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        const callback = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
        if (ITERATE_METHODS.has(method) && callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
          const first = callback.parameters[0];
          const overKeys = readsKeys(callee.expression);
          const names = first && !overKeys ? boundNames(first.name, false) : [];
          // peers.forEach((peer, socket) => socket.send(…)): a Map's forEach hands its key second.
          const second = method === 'forEach' ? callback.parameters[1] : undefined;
          const keys = overKeys && first ? boundNames(first.name, false) : second && ts.isIdentifier(second.name) ? [second.name.text] : [];
          const send = names.length + keys.length > 0 ? sendTo(callback.body, names, undefined, keys) : undefined;
          if (send) found.push({ node, collection: iterated(callee.expression), send });
        } else if (isSend(method, node)) {
          // clients.get(userId)?.write(…): a send to one entry of the collection.
          const receiver = skipOuterExpressions(callee.expression);
          if (ts.isCallExpression(receiver)) {
            const get = skipOuterExpressions(receiver.expression);
            if (ts.isPropertyAccessExpression(get) && get.name.text === 'get' && receiver.arguments.length === 1) found.push({ node, collection: skipOuterExpressions(get.expression), send: node });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  loopCache.set(sourceFile, loops);
  return loops;
}

/** `for (…; i < xs.length; …)`: the collection an index walks, and the index. */
function indexedLoop(node: ts.ForStatement): { collection: ts.Expression; index: string } | undefined {
  const condition = node.condition && skipOuterExpressions(node.condition);
  if (!condition || !ts.isBinaryExpression(condition) || condition.operatorToken.kind !== SyntaxKind.LessThanToken) return undefined;
  const index = skipOuterExpressions(condition.left);
  const length = skipOuterExpressions(condition.right);
  if (!ts.isIdentifier(index) || !ts.isPropertyAccessExpression(length) || length.name.text !== 'length') return undefined;
  return { collection: length.expression, index: index.text };
}

/**
 * Names an element binding introduces: `c`, `{ res }`, `[id, res]` (a Map entry: its value, and its key,
 * which is the connection in a map keyed by socket, `for (const [ws, info] of connections) ws.send(…)`).
 */
function boundNames(name: ts.BindingName, entryValue: boolean): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  if (ts.isArrayBindingPattern(name)) {
    const value = name.elements[entryValue ? 1 : 0] ?? name.elements[0];
    const key = entryValue ? name.elements[0] : undefined;
    return [value, ...(key && key !== value ? [key] : [])].flatMap((element) => (element && !ts.isOmittedExpression(element) ? boundNames(element.name, false) : []));
  }
  return name.elements.flatMap((element) => boundNames(element.name, false));
}

/** `peers.keys()`, `[...peers.keys()]`, `Array.from(peers.keys())`: a Map's keys. */
function readsKeys(expression: ts.Expression): boolean {
  let value = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(value) && value.elements.length === 1 && ts.isSpreadElement(value.elements[0])) value = skipOuterExpressions(value.elements[0].expression);
  else if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'from' && value.arguments.length > 0) value = skipOuterExpressions(value.arguments[0]);
  if (!ts.isCallExpression(value) || value.arguments.length > 0) return false;
  const callee = skipOuterExpressions(value.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'keys';
}

/** The key a `[key, value]` binding of a Map entry introduces: `socket` of `[socket, peer]`. */
function entryKeyNames(name: ts.BindingName): string[] {
  if (!ts.isArrayBindingPattern(name) || name.elements.length < 2) return [];
  const key = name.elements[0];
  return !ts.isOmittedExpression(key) && ts.isIdentifier(key.name) ? [key.name.text] : [];
}

function iterated(expression: ts.Expression): ts.Expression {
  return sameElementsOf(expression, SAME_ELEMENTS);
}

/**
 * The first send in `body` to one of `names`: a send method on it, on a member of it
 * (`client.res.write`) or on what a getter of it returns (`connection.getTransport().send`), or a
 * send helper given it first (`this.send(peer, message)`).
 */
function sendTo(body: ts.Node, names: readonly string[], isElement: (node: ts.Expression) => boolean = () => false, keys: readonly string[] = []): ts.CallExpression | undefined {
  const isTarget = (expression: ts.Expression): boolean => {
    const value = skipOuterExpressions(expression);
    return (ts.isIdentifier(value) && (names.includes(value.text) || aliases.has(value.text))) || isElement(value);
  };
  // A Map's key is a connection only where a send method is called on it (`socket.send(…)`), not when
  // it is handed to a helper (`sendTo(userId, …)` names a user, not the socket).
  const isKey = (expression: ts.Expression): boolean => {
    const value = skipOuterExpressions(expression);
    return ts.isIdentifier(value) && keys.includes(value.text);
  };
  // `const socket = rawSocket as AppSocket`: a local that is the element under another name.
  const aliases = new Set<string>();
  const collectAliases = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const value = skipOuterExpressions(node.initializer);
      if (ts.isIdentifier(value) && names.includes(value.text)) aliases.add(node.name.text);
    }
    ts.forEachChild(node, collectAliases);
  };
  if (names.length > 0) collectAliases(body);
  let send: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (send) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && isSend(callee.name.text, node)) {
        let root = skipOuterExpressions(callee.expression);
        for (;;) {
          if (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
          else if (isGetterCall(root)) root = skipOuterExpressions((skipOuterExpressions(root.expression) as ts.PropertyAccessExpression).expression);
          else break;
        }
        if (isTarget(root) || isTarget(callee.expression) || isKey(callee.expression)) {
          send = node;
          return;
        }
      }
      const helper = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (SEND_HELPER.test(helper) && node.arguments.length >= 2 && isTarget(node.arguments[0])) {
        send = node;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return send;
}

/** A call of a send method; `next` sends only what it is given (`iterator.next()` steps an iterator). */
function isSend(method: string, call: ts.CallExpression): boolean {
  return SEND_METHODS.has(method) && (method !== 'next' || call.arguments.length > 0);
}

/** `x.getTransport()`, `x.getSocket()`: an accessor of what the element holds, called without arguments. */
function isGetterCall(node: ts.Expression): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || node.arguments.length > 0) return false;
  const callee = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(callee) && /^get[A-Z]\w*$/.test(callee.name.text);
}

/** A function that sends a message to the connection it is given first: `send(peer, msg)`, `this._emitTo(socket, …)`. */
const SEND_HELPER = /^_?(send|emit)(To|Message|Event|Json)?$/i;

/** The first send in a `for (key in collection)` body to `collection[key]`, directly or through a local read from it. */
function sendToEntries(body: ts.Node, collection: ts.Expression, key: string): ts.CallExpression | undefined {
  const collectionText = collection.getText().replace(/\s+/g, '');
  const isElement = (node: ts.Expression): boolean => {
    const value = skipOuterExpressions(node);
    if (!ts.isElementAccessExpression(value)) return false;
    const index = skipOuterExpressions(value.argumentExpression);
    return ts.isIdentifier(index) && index.text === key && value.expression.getText().replace(/\s+/g, '') === collectionText;
  };
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isElement(node.initializer)) names.push(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return sendTo(body, names, isElement);
}

/** Whether `expression` names the state: the module binding (not shadowed) or `this.<field>` in the state's class. */
export function refersToState(expression: ts.Expression, state: SharedState): boolean {
  const value = skipOuterExpressions(expression);
  if (state.kind === 'module') return ts.isIdentifier(value) && value.text === state.name && !isShadowed(value, value.text);
  if (state.kind === 'closure') return ts.isIdentifier(value) && value.text === state.name && localVariableOf(value)?.name === state.nameNode;
  if (!ts.isPropertyAccessExpression(value) || value.name.text !== state.name || value.expression.kind !== SyntaxKind.ThisKeyword) return false;
  const owner = enclosingClass(value);
  return owner !== undefined && owner.declaration === classOf(state.nameNode);
}

function classOf(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (ts.isClassDeclaration(current)) return current;
  return undefined;
}

/** `socket.id`, `client.id`, `this.socket.id`, `ws.id`: the id of one realtime connection. */
const CONNECTION_ID = /(?:^|\.)(?:socket|client|ws|connection|conn)\.id$/;

/**
 * Every keyed write uses the id of the connection it serves (`users[socket.id] = …`): state that lives
 * and dies with a socket, which stays on the instance it connected to. It is not a session another
 * instance would miss; a reader names it realtime state (reported only when something sends to it).
 */
export function isKeyedByConnection(mutations: readonly Mutation[]): boolean {
  return mutations.length > 0 && mutations.every((mutation) => {
    const key = entryKey(mutation) ?? keyNode(mutation);
    // `users[socket.id].color = …`: a field of the connection's own entry.
    if (!key) return CONNECTION_ENTRY.test(mutation.node.getText().replace(/\s+/g, ''));
    return CONNECTION_ID.test(skipOuterExpressions(key).getText().replace(/\s+/g, ''));
  });
}

/** A connection as a handler names it: `socket`, `client`, `ws`, `connection`, `conn`. */
const CONNECTION_NAME = /^(?:socket|client|ws|connection|conn)$/;

/**
 * Entries, one per room (or user), that collect connections or what names them
 * (`room_users[room].add(client.username)`, `userSockets[id].push(socket)`), made empty first and
 * dropped again: who is connected to this instance, not a user's session. A reader names it
 * realtime state (reported only when something sends to it or sends it).
 */
export function holdsConnectionsInEntries(mutations: readonly Mutation[]): boolean {
  let adds = 0;
  for (const mutation of mutations) {
    const node = mutation.node;
    if (ts.isDeleteExpression(node)) continue;
    if (ts.isBinaryExpression(node)) {
      if (!ts.isElementAccessExpression(skipOuterExpressions(node.left)) || !isEmptyContainer(node.right)) return false;
      continue;
    }
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
    const method = node.expression.name.text;
    const receiver = skipOuterExpressions(node.expression.expression);
    if (method === 'delete' && !entryOf(receiver)) continue;
    if (method === 'set' && !entryOf(receiver) && node.arguments.length === 2 && isEmptyContainer(node.arguments[1])) continue;
    // let set = rooms.get(id); if (!set) { set = new Set(); rooms.set(id, set); } set.add(socket): the entry made in a local first.
    if (method === 'set' && !entryOf(receiver) && node.arguments.length === 2 && ts.isIdentifier(node.arguments[1])) {
      const entry = freshEntryLocal(node.arguments[1]);
      if (!entry) return false;
      if (entry.addsConnection) adds++;
      continue;
    }
    if ((method === 'add' || method === 'push') && entryOf(receiver) && node.arguments.length === 1 && namesConnection(node.arguments[0])) {
      adds++;
      continue;
    }
    return false;
  }
  return adds > 0;
}

/**
 * A local that holds one entry of the state: only ever the entry read back (`rooms.get(id)`) or an
 * empty container (`new Set()`), and whether the function adds a connection to it (`set.add(socket)`).
 */
function freshEntryLocal(local: ts.Identifier): { addsConnection: boolean } | undefined {
  const values = valuesOfLocal(local);
  if (values.length === 0 || !values.every((value) => isEmptyContainer(value) || entryOf(skipOuterExpressions(value)))) return undefined;
  let fn: ts.Node | undefined = local.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  let addsConnection = false;
  const visit = (node: ts.Node): void => {
    if (addsConnection) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(?:add|push)$/.test(node.expression.name.text) && node.arguments.length === 1) {
      const target = skipOuterExpressions(node.expression.expression);
      if (ts.isIdentifier(target) && target.text === local.text && namesConnection(node.arguments[0])) addsConnection = true;
    }
    ts.forEachChild(node, visit);
  };
  if (fn) visit(fn);
  return { addsConnection };
}

/**
 * The open connections of this process kept by a key (`connections.set(deviceId, connection)`,
 * `sockets.set(userId, new PeerConnection(ctx, socket))`, `connections.delete(deviceId)`): every write
 * stores a connection, or an object made around one, or drops an entry. Testing for an entry before
 * replacing it closes the older connection of the same device, guarding no shared work: a reader names
 * it realtime state (reported when something sends to it on a request path), not a lock or a session.
 */
export function keepsConnectionsByKey(mutations: readonly Mutation[]): boolean {
  let stores = 0;
  for (const mutation of mutations) {
    const node = mutation.node;
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
    const method = node.expression.name.text;
    if (method === 'delete' || method === 'clear') continue;
    if (method !== 'set' || node.arguments.length !== 2 || !isOpenConnection(node.arguments[1])) return false;
    stores++;
  }
  return stores > 0;
}

/** A socket as a handler names it (`socket`, `ws`, `connection`, `conn`; not `client`, which also names API clients), or an object made around one. */
function isOpenConnection(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) return SOCKET_NAME.test(value.text);
  return ts.isNewExpression(value) && (value.arguments ?? []).some((argument) => {
    const inner = skipOuterExpressions(argument);
    return ts.isIdentifier(inner) && SOCKET_NAME.test(inner.text);
  });
}

const SOCKET_NAME = /^(?:socket|ws|webSocket|connection|conn)$/;

/**
 * A flat list of who is connected (`online.add(name)` where `name` comes from the socket, and
 * `online.delete(name)` when it leaves): every write adds or removes one value, and an add names the
 * connection or is read off it (`const name = socket.handshake.auth.name`). Presence of this
 * instance, not a user's session: a reader names it realtime state (reported when it is sent).
 */
export function listsConnections(mutations: readonly Mutation[]): boolean {
  let adds = 0;
  for (const mutation of mutations) {
    const node = mutation.node;
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.arguments.length !== 1) return false;
    const method = node.expression.name.text;
    if (!ts.isIdentifier(skipOuterExpressions(node.expression.expression))) return false;
    if (method === 'delete') continue;
    if (method !== 'add' || !readOffConnection(node.arguments[0])) return false;
    adds++;
  }
  return adds > 0;
}

/** `socket`, `socket.data.user`, or a local read off one (`const name = String(socket.handshake.auth.name ?? 'guest')`). */
function readOffConnection(expression: ts.Expression): boolean {
  if (namesConnection(expression)) return true;
  const value = skipOuterExpressions(expression);
  const initializer = ts.isIdentifier(value) ? localInitializer(value) : undefined;
  return initializer !== undefined && CONNECTION_READ.test(initializer.getText());
}

const CONNECTION_READ = /\b(?:socket|client|ws|connection|conn)\.(?:id|handshake|data|user|request)\b/;

/** `rooms[room]`, `rooms.get(room)`: one entry of the state. */
function entryOf(receiver: ts.Expression): boolean {
  if (ts.isElementAccessExpression(receiver)) return true;
  if (!ts.isCallExpression(receiver) || receiver.arguments.length !== 1) return false;
  const callee = skipOuterExpressions(receiver.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'get';
}

/** `new Set()`, `new Map()`, `[]`, `{}`. */
function isEmptyContainer(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(value)) return value.elements.length === 0;
  if (ts.isObjectLiteralExpression(value)) return value.properties.length === 0;
  return ts.isNewExpression(value) && (value.arguments?.length ?? 0) === 0;
}

/** `socket`, or what it carries (`client.username`, `socket.data.user`). */
function namesConnection(expression: ts.Expression): boolean {
  let value = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(value)) value = skipOuterExpressions(value.expression);
  return ts.isIdentifier(value) && CONNECTION_NAME.test(value.text);
}

/** The key of the entry a call changes in place: `room` of `rooms[room].add(socket)` (not `socket`, which the entry's own set is keyed by). */
function entryKey(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const receiver = skipOuterExpressions(node.expression.expression);
  return ts.isElementAccessExpression(receiver) ? receiver.argumentExpression : undefined;
}

const CONNECTION_ENTRY = /^[\w$.]+\[(?:[\w$]+\.)?(?:socket|client|ws|connection|conn)\.id\]\./;

/** Loops in the state's file that send to the state's elements: the state is a list of connected clients. */
export function fanOutLoopsOf(state: SharedState): SendingLoop[] {
  if (state.holds === 'value') return [];
  // An object or a Map of rooms holds the lists: `rooms[room]`, `rooms.get(room)` are one of them.
  const nested = state.holds === 'object' || state.holds === 'map';
  return sendingLoops(state.nameNode.getSourceFile()).filter((loop) => {
    // `const connections = this.rooms.get(id); for (const ws of connections) …`: the room read into a local first.
    const initializer = ts.isIdentifier(loop.collection) ? localInitializer(loop.collection) : undefined;
    const sent = [loop.collection, ...(initializer ? [iterated(initializer)] : [])].some((collection) => refersToState(collection, state) || (nested && isRoomRead(collection, state)));
    // `const list = Array.from(roommates)`: the recipients gathered under another name.
    const locals = [loop.collection, initializer && iterated(initializer)].filter((local): local is ts.Identifier => local !== undefined && ts.isIdentifier(local));
    return sent || (nested && locals.some((local) => gathersFromRooms(local, state)));
  });
}

/**
 * A local set of recipients filled from rooms of the state (`this_room = rooms[room].array();
 * roommates.add(this_room[j])`), as a service does to send once to everyone sharing a room with a client.
 */
function gathersFromRooms(local: ts.Identifier, state: SharedState): boolean {
  let body: ts.Node | undefined = local.parent;
  while (body && !ts.isFunctionLike(body) && !ts.isSourceFile(body)) body = body.parent;
  if (!body) return false;
  const isRoomEntry = (value: ts.Expression): boolean => {
    const entry = skipOuterExpressions(value);
    if (!ts.isElementAccessExpression(entry)) return false;
    const list = skipOuterExpressions(entry.expression);
    const initializer = ts.isIdentifier(list) ? localInitializer(list) : undefined;
    return isRoomRead(list, state) || (initializer !== undefined && isRoomRead(iterated(initializer), state));
  };
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const callee = skipOuterExpressions(node.expression);
      const adds = ts.isPropertyAccessExpression(callee) && (callee.name.text === 'add' || callee.name.text === 'push');
      const receiver = adds ? skipOuterExpressions(callee.expression) : undefined;
      if (receiver && ts.isIdentifier(receiver) && receiver.text === local.text && isRoomEntry(node.arguments[0])) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/**
 * One room of a state of rooms: `rooms[room]`, `rooms.get(room)`, or a call of a function of the
 * file that hands one back (`getRoom(name)`: `let users = rooms.get(name); if (!users) { … } return users`).
 */
function isRoomRead(expression: ts.Expression, state: SharedState, depth = 0): boolean {
  const value = iterated(expression);
  if (refersToState(roomsOf(value), state) && roomsOf(value) !== value) return true;
  // `rooms.hasOwnProperty(room) ? rooms[room].array() : []`
  if (ts.isConditionalExpression(value)) return isRoomRead(value.whenTrue, state, depth) || isRoomRead(value.whenFalse, state, depth);
  if (depth > 1 || !ts.isCallExpression(value)) return false;
  const body = helperBody(value.expression, state.nameNode.getSourceFile());
  if (!body) return false;
  return returnedExpressions(body).some((returned) => {
    const read = ts.isIdentifier(returned) ? localInitializer(returned) : returned;
    return read !== undefined && isRoomRead(read, state, depth + 1);
  });
}

/** The body of a function of the state's file a call names: `getRoom(…)`, or a CommonJS module's own `exports.roomClients(…)`. */
function helperBody(callee: ts.Expression, sourceFile: ts.SourceFile): ts.Block | undefined {
  const name = skipOuterExpressions(callee);
  if (ts.isIdentifier(name)) {
    const helper = getFileFacts(sourceFile).topLevel.get(name.text);
    return helper && ts.isFunctionDeclaration(helper) ? helper.body : undefined;
  }
  if (!ts.isPropertyAccessExpression(name) || !isExportsObject(name.expression)) return undefined;
  for (const statement of sourceFile.statements) {
    const assignment = ts.isExpressionStatement(statement) ? skipOuterExpressions(statement.expression) : undefined;
    if (!assignment || !ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
    const target = skipOuterExpressions(assignment.left);
    const fn = skipOuterExpressions(assignment.right);
    if (ts.isPropertyAccessExpression(target) && target.name.text === name.name.text && isExportsObject(target.expression) && (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) && ts.isBlock(fn.body)) return fn.body;
  }
  return undefined;
}


function returnedExpressions(body: ts.Block): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(skipOuterExpressions(node.expression));
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** A room of the state, as the loop or write names it: a room read, or a local given one (`const users = getRoom(name)`). */
function namesRoom(expression: ts.Expression, state: SharedState): boolean {
  const value = skipOuterExpressions(expression);
  const initializer = ts.isIdentifier(value) ? localInitializer(value) : undefined;
  return isRoomRead(value, state) || (initializer !== undefined && isRoomRead(initializer, state));
}

/**
 * Rooms of connections (see `holdsConnectionsPerRoom`) that the file sends to or sends as presence:
 * a list of who is connected, per room. Rooms of connections that are only looked up (who presents
 * in a room) are the users' state, not a list of clients.
 */
export function sendsToRoomsOfConnections(state: SharedState): boolean {
  return holdsConnectionsPerRoom(state) && (fanOutLoopsOf(state).length > 0 || presenceSendsOf(state, [], true).length > 0);
}

/**
 * Rooms whose entries are keyed by the connection they describe (`getRoom(name).set(socket.id, user)`,
 * `rooms[room][socket.id] = peer`): the state lists who is connected to this instance, per room.
 */
function holdsConnectionsPerRoom(state: SharedState): boolean {
  if (state.holds !== 'map' && state.holds !== 'object') return false;
  return connectionKeyedWrites(state.nameNode.getSourceFile()).some((room) => namesRoom(room, state));
}

const connectionWritesCache = new WeakMap<ts.SourceFile, ts.Expression[]>();

/** What a file writes entries under a connection's id into: `x` of `x.set(socket.id, …)` and `x[socket.id] = …` (syntax only, once per file). */
function connectionKeyedWrites(sourceFile: ts.SourceFile): ts.Expression[] {
  let found = connectionWritesCache.get(sourceFile);
  if (found) return found;
  const targets: ts.Expression[] = [];
  const isConnectionId = (key: ts.Expression): boolean => CONNECTION_ID.test(skipOuterExpressions(key).getText(sourceFile).replace(/\s+/g, ''));
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length === 2) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'set' && isConnectionId(node.arguments[0])) targets.push(callee.expression);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
      const target = skipOuterExpressions(node.left);
      if (ts.isElementAccessExpression(target) && isConnectionId(target.argumentExpression)) targets.push(target.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  found = targets;
  connectionWritesCache.set(sourceFile, found);
  return found;
}

/**
 * Loops over one room of the state that send each entry to a connection (`getRoom(name).forEach((user) =>
 * socket.emit('user joined', describe(user)))`): a newcomer learns who is there, from this instance only.
 */
function presenceLoopsOf(state: SharedState): ts.Node[] {
  const loops: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const callback = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
      if (ts.isPropertyAccessExpression(callee) && ITERATE_METHODS.has(callee.name.text) && callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
        const element = callback.parameters[0];
        const names = element ? boundNames(element.name, false) : [];
        if (names.length > 0 && namesRoom(iterated(callee.expression), state) && sendsElement(callback.body, names)) loops.push(node);
      }
    } else if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
      const names = node.initializer.declarations.flatMap((d) => boundNames(d.name, true));
      if (names.length > 0 && namesRoom(iterated(node.expression), state) && sendsElement(node.statement, names)) loops.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(state.nameNode.getSourceFile());
  return loops;
}

/** Whether a send in `body` carries one of `names` in its message (`socket.emit('joined', describe(user))`), not sent to it. */
function sendsElement(body: ts.Node, names: readonly string[]): boolean {
  let found = false;
  const mentions = (node: ts.Node): boolean => (ts.isIdentifier(node) && names.includes(node.text)) || (!ts.isFunctionLike(node) && (ts.forEachChild(node, mentions) ?? false));
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && SEND_METHODS.has(callee.name.text) && !mentions(callee.expression) && node.arguments.some(mentions)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/**
 * Sends in the state's file whose message carries the list itself or one room of it (presence:
 * `socket.emit('addPeer', { peers: peers[room] })`, `res.json([...online.values()])`): the client
 * learns who is connected, and hears only of the clients of this instance. One connection's own
 * entry (`users[socket.id]`), sizes and counts are not the list. A loop that sends each entry of a
 * room to one client is the list too.
 */
export function presenceSendsOf(state: SharedState, mutations: readonly Mutation[], holdsRooms = false): ts.Node[] {
  if (state.holds === 'value') return [];
  // `peers[room][socket.id] = …`: the state holds rooms, and `peers[room]` is one room's list.
  const nested = holdsRooms || mutations.some((mutation) => {
    const target = ts.isBinaryExpression(mutation.node) ? skipOuterExpressions(mutation.node.left) : ts.isDeleteExpression(mutation.node) ? skipOuterExpressions(mutation.node.expression) : undefined;
    return target !== undefined && ts.isElementAccessExpression(target) && ts.isElementAccessExpression(skipOuterExpressions(target.expression));
  });
  const sends: ts.CallExpression[] = [];
  for (const { node } of getFileFacts(state.nameNode.getSourceFile()).calls) {
    if (!ts.isCallExpression(node)) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || !SEND_METHODS.has(callee.name.text)) continue;
    if (node.arguments.some((argument) => carriesList(argument, state, nested))) sends.push(node);
  }
  return [...sends, ...presenceLoopsOf(state)];
}

function carriesList(argument: ts.Node, state: SharedState, nested: boolean): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if ((ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) && refersToState(node, state)) {
      found = isWholeOrRoom(node, nested);
      if (found) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(argument);
  return found;
}

/** How a reference to the state is used in a message: whole (`peers`, `Object.values(peers)`), one room of nested state (`peers[room]`), not an entry, a size or a lookup. */
function isWholeOrRoom(reference: ts.Node, nested: boolean): boolean {
  let use: ts.Node = reference;
  while (ts.isParenthesizedExpression(use.parent) || ts.isNonNullExpression(use.parent)) use = use.parent;
  const parent = use.parent;
  if (ts.isElementAccessExpression(parent) && parent.expression === use) {
    if (!nested || CONNECTION_ID.test(parent.argumentExpression.getText().replace(/\s+/g, ''))) return false;
    return !isSizeOrEntry(parent);
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === use) {
    const member = parent.name.text;
    if (member === 'values' || member === 'entries' || member === 'keys') return true;
    if (member === 'get' && nested && ts.isCallExpression(parent.parent)) return !isSizeOrEntry(parent.parent);
    return false;
  }
  return !isSizeOrEntry(use);
}

/** `x.length`, `x.size`, `x[k]`, `x.get(k)`, `x.has(k)`: one value from the list, not the list. */
function isSizeOrEntry(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isElementAccessExpression(parent) && parent.expression === node) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return ['length', 'size', 'get', 'has'].includes(parent.name.text);
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression) && /^Object\.keys$/.test(parent.expression.getText()) && ts.isPropertyAccessExpression(parent.parent) && parent.parent.name.text === 'length') return true;
  return false;
}

/** `rooms[room]`, `this.rooms[ip]`, `rooms.get(room)` → `rooms`, `this.rooms`. */
function roomsOf(collection: ts.Expression): ts.Expression {
  const value = skipOuterExpressions(collection);
  if (ts.isElementAccessExpression(value)) return skipOuterExpressions(value.expression);
  if (ts.isCallExpression(value) && value.arguments.length === 1) {
    const callee = skipOuterExpressions(value.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'get') return skipOuterExpressions(callee.expression);
  }
  return value;
}

const emitterCache = new WeakMap<RequestGraph, Map<ts.SourceFile, EmitterFanOut[]>>();

/** EventEmitters (and RxJS Subjects) declared in this file that a request path subscribes to and a request path emits on. */
export function findEmitterFanOuts(graph: RequestGraph, sourceFile: ts.SourceFile): EmitterFanOut[] {
  let byFile = emitterCache.get(graph);
  if (!byFile) {
    byFile = collectEmitters(graph);
    emitterCache.set(graph, byFile);
  }
  return (byFile.get(sourceFile) ?? []).filter((emitter) => emitter.subscriptions.length > 0 && emitter.emits.length > 0);
}

function collectEmitters(graph: RequestGraph): Map<ts.SourceFile, EmitterFanOut[]> {
  const singletons = singletonClasses(graph);
  const byDeclaration = new Map<ts.Node, EmitterFanOut>();
  for (const file of graphFilesWhere(graph, emitterCalls, hasEmitterCalls)) {
    if (!graph.reachedFiles.has(file)) continue;
    for (const { node, function: fn, target, kind } of emitterCalls(file)) {
      // Off the request path nothing counts: look that up before asking the checker about the target.
      // An emit in an `@OnEvent` listener of a request's event is that request's (`bus.next(payload)`).
      let reaches = graph.reachesOf(node);
      if (reaches.length === 0 && kind === 'emit') reaches = requestPathListeners(graph).get(fn) ?? [];
      if (reaches.length === 0) continue;
      const emitter = emitterDeclaration(graph, target, singletons);
      if (!emitter) continue;
      let entry = byDeclaration.get(emitter.nameNode);
      if (!entry) {
        entry = { nameNode: emitter.nameNode, name: emitter.name, subscriptions: [], emits: [] };
        byDeclaration.set(emitter.nameNode, entry);
      }
      (kind === 'subscribe' ? entry.subscriptions : entry.emits).push({ node, reaches });
    }
  }
  const byFile = new Map<ts.SourceFile, EmitterFanOut[]>();
  for (const entry of byDeclaration.values()) {
    const file = entry.nameNode.getSourceFile();
    byFile.set(file, [...(byFile.get(file) ?? []), entry]);
  }
  return byFile;
}

interface EmitterCall {
  node: ts.CallExpression;
  function: FunctionNode;
  target: ts.Expression;
  kind: 'subscribe' | 'emit';
}

/** Per file, its calls in a function that subscribe to or emit on something (syntax only, kept as long as the file is). */
const emitterCallsOf = new WeakMap<ts.SourceFile, readonly EmitterCall[]>();

/**
 * The calls of a file that subscribe (`bus.on(…)`, `once(emitter, 'event')` from node:events) or emit
 * (`bus.emit(…)`, `subject.next(…)`) inside a function: read once per file, since every program asked
 * about every call of every reached file (an editor's keystroke makes a program).
 */
function emitterCalls(file: ts.SourceFile): readonly EmitterCall[] {
  let found = emitterCallsOf.get(file);
  if (found) return found;
  const calls: EmitterCall[] = [];
  const facts = getFileFacts(file);
  for (const { node, function: fn } of facts.calls) {
    if (!fn || !ts.isCallExpression(node)) continue;
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && SUBSCRIBE_METHODS.has(callee.name.text)) calls.push({ node, function: fn, target: callee.expression, kind: 'subscribe' });
    else if (ts.isPropertyAccessExpression(callee) && EMIT_METHODS.has(callee.name.text)) calls.push({ node, function: fn, target: callee.expression, kind: 'emit' });
    else {
      // once(emitter, 'event') and on(emitter, 'event') from node:events
      const member = resolveImportedMember(node.expression, facts.imports);
      if (member?.module === 'events' && member.path.length === 1 && (member.path[0] === 'once' || member.path[0] === 'on') && node.arguments.length > 0) calls.push({ node, function: fn, target: node.arguments[0], kind: 'subscribe' });
    }
  }
  emitterCallsOf.set(file, (found = calls));
  return found;
}

function hasEmitterCalls(file: ts.SourceFile): boolean {
  return emitterCalls(file).length > 0;
}

/** The module-scope or singleton-field declaration of a process-local emitter an expression names. */
function emitterDeclaration(graph: RequestGraph, target: ts.Expression, singletons: ReadonlySet<ts.ClassLikeDeclaration>): { nameNode: ts.Node; name: string } | undefined {
  const value = skipOuterExpressions(target);
  // `this.emit(…)` in a method of `class Bus extends EventEmitter` (`publish(event) { this.emit('board', event); }`): the one instance the module makes of it.
  if (value.kind === SyntaxKind.ThisKeyword) return moduleInstanceOf(value);
  // `bus`, `this.bus`, or the bus of an injected service (`this.bids.observable`).
  if (!ts.isIdentifier(value) && !(ts.isPropertyAccessExpression(value) && (value.expression.kind === SyntaxKind.ThisKeyword || isThisMember(value.expression)))) return undefined;
  for (const declaration of graph.resolver.declarationsOf(value)) {
    if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.initializer) {
      const statement = declaration.parent.parent;
      if (!ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent)) continue;
      if (createsEmitter(declaration.initializer, declaration.getSourceFile())) return { nameNode: declaration.name, name: declaration.name.text };
    } else if (ts.isPropertyDeclaration(declaration) && ts.isClassDeclaration(declaration.parent)) {
      const isStatic = ts.getModifiers(declaration)?.some((m) => m.kind === SyntaxKind.StaticKeyword) ?? false;
      const initializer = fieldInitializer(declaration);
      if (initializer && (isStatic || singletons.has(declaration.parent)) && createsEmitter(initializer, declaration.getSourceFile())) {
        return { nameNode: declaration.name, name: propertyNameText(declaration.name) ?? 'emitter' };
      }
    }
  }
  return undefined;
}

/**
 * `this` in a method of a top-level emitter class (`class BoardEvents extends EventEmitter`) of which
 * its module makes exactly one instance at top level (`export const boardEvents = new BoardEvents()`):
 * that instance. Undefined for an arrow function's or a nested function's `this`, and for a class the
 * module makes no instance of, or several (each is then its own emitter).
 */
function moduleInstanceOf(self: ts.Expression): { nameNode: ts.Node; name: string } | undefined {
  let scope: ts.Node = self.parent;
  while (!ts.isSourceFile(scope) && !ts.isMethodDeclaration(scope) && !(ts.isFunctionLike(scope) && !ts.isArrowFunction(scope))) scope = scope.parent;
  if (!ts.isMethodDeclaration(scope) || !ts.isClassDeclaration(scope.parent) || !scope.parent.name || !ts.isSourceFile(scope.parent.parent)) return undefined;
  const className = scope.parent.name.text;
  const file = scope.getSourceFile();
  const instances: ts.VariableDeclaration[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
      if (initializer && ts.isNewExpression(initializer) && ts.isIdentifier(initializer.expression) && initializer.expression.text === className) instances.push(declaration);
    }
  }
  const [instance] = instances;
  if (instances.length !== 1 || !ts.isIdentifier(instance.name) || !createsEmitter(instance.initializer!, file)) return undefined;
  return { nameNode: instance.name, name: instance.name.text };
}

/** `this.service`: a member of the class the code is in (an injected provider). */
function isThisMember(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword;
}

/** `new EventEmitter()` (node:events, eventemitter2/3), `new Subject()` (rxjs), or `new Bus()` where `class Bus extends EventEmitter`, kept on `globalThis` or not. */
function createsEmitter(initializer: ts.Expression, sourceFile: ts.SourceFile): boolean {
  // `globalForEvents.bus ?? (globalForEvents.bus = new EventEmitter())`: one per process all the same.
  const value = globalSingletonValue(initializer);
  if (!ts.isNewExpression(value)) return false;
  const facts = getFileFacts(sourceFile);
  if (isEmitterClass(value.expression, facts)) return true;
  const callee = skipOuterExpressions(value.expression);
  if (!ts.isIdentifier(callee)) return false;
  const declaration = facts.topLevel.get(callee.text);
  if (!declaration || !ts.isClassDeclaration(declaration)) return false;
  const base = declaration.heritageClauses?.find((clause) => clause.token === SyntaxKind.ExtendsKeyword)?.types[0];
  return base !== undefined && isEmitterClass(base.expression, facts);
}

function isEmitterClass(expression: ts.Expression, facts: ReturnType<typeof getFileFacts>): boolean {
  const member = resolveImportedMember(expression, facts.imports);
  if (!member) return false;
  const classes = EMITTER_CLASSES[member.module];
  return classes !== undefined && member.path.length <= 1 && classes.includes(member.path[0] ?? '');
}

const dependencyCache = new Map<string, { at: number; names: ReadonlySet<string> }>();

/**
 * The dependency names of the nearest package.json above a file (cached per folder for ten seconds,
 * like the project configuration). An adapter package there means the wiring may be in a file this
 * analysis does not see.
 */
export function packageDependencies(fileName: string): ReadonlySet<string> {
  const dir = fileName.replace(/\\/g, '/').replace(/\/[^/]*$/, '');
  const now = Date.now();
  const cached = dependencyCache.get(dir);
  if (cached && now - cached.at < 10_000) return cached.names;
  const names = new Set<string>();
  try {
    for (let current = dir, guard = 0; current !== '' && guard < 64; guard++) {
      const packageJson = `${current}/package.json`;
      if (ts.sys.fileExists(packageJson)) {
        const parsed = JSON.parse(ts.sys.readFile(packageJson) ?? '{}') as Record<string, unknown>;
        for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
          const table = parsed[key];
          if (table && typeof table === 'object') for (const name of Object.keys(table)) names.add(name);
        }
        break;
      }
      const parent = current.replace(/\/[^/]*$/, '');
      if (parent === current) break;
      current = parent;
    }
  } catch {
    // An unreadable or invalid package.json tells nothing.
  }
  dependencyCache.set(dir, { at: now, names });
  return names;
}
