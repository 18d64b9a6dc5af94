import ts = require('typescript');
import { getFileFacts } from './file-facts';
import { sendingLoops } from './pubsub';
import type { Reach, RequestGraph } from './request-graph';
import { localInitializer, valuesOfLocal } from './scope';
import { isSingletonConstructor, singletonClasses, type SharedState } from './shared-state';
import { classesOf, storedInstances, valuesSetInto } from './untyped-resolve';
import { propertyNameText, skipOuterExpressions } from './text';

// Rooms as objects: `class Room { clients = new Set(); broadcast(m) { for (const c of this.clients) c.send(m) } }`,
// one instance per chat room, document or board, kept in a registry for as long as anyone is
// connected. The set holds the connections of this process only, so a broadcast through it misses
// every client of the same room that connected to another instance. Older CommonJS writes the room as a
// constructor function (`function Game() { this.players = [] }`, methods on `Game.prototype`). Module and singleton lists are
// shared state (`shared-state.ts`); these live on objects that many requests reach through a registry.

const { SyntaxKind } = ts;

/** A field of a room class that holds connections, added to and sent to on request paths. */
export interface RoomConnectionList {
  nameNode: ts.Node;
  /** The field: `clients`. */
  name: string;
  /** The room class: `Room`. */
  className: string;
  adds: { node: ts.CallExpression; reaches: readonly Reach[] }[];
  sends: { node: ts.Node; reaches: readonly Reach[] }[];
}

const ADD_METHODS = new Set(['add', 'set', 'push']);

/** Fields of classes (and constructor functions) declared in this file that hold a room's connections (see the file comment), sent to on a request path. */
export function findRoomConnectionLists(graph: RequestGraph, sourceFile: ts.SourceFile): RoomConnectionList[] {
  return roomConnectionLists(graph, sourceFile)
    .map((list) => ({ ...list, sends: list.sends.filter((send) => send.reaches.length > 0) }))
    .filter((list) => list.sends.length > 0);
}

/** The same, with every loop that sends to the field, whether or not a request path reaches it (a listener may). */
export function roomConnectionLists(graph: RequestGraph, sourceFile: ts.SourceFile): RoomConnectionList[] {
  const rooms = roomTypes(graph, sourceFile);
  if (rooms.length === 0) return [];
  const found: RoomConnectionList[] = [];
  for (const room of rooms) {
    const loops = sendingLoops(sourceFile).filter((loop) => room.body.some((part) => within(loop.node, part)));
    for (const [name, nameNode] of room.fields) {
      const sends = loops
        .filter((loop) => namesField(loop.collection, room, name))
        .map((loop) => ({ node: loop.node, reaches: graph.reachesOf(loop.node) }));
      if (sends.length === 0) continue;
      const adds = addsTo(room.methods, name)
        .map((node) => ({ node, reaches: graph.reachesOf(node) }))
        .filter((add) => add.reaches.length > 0);
      if (adds.length === 0 || !isKeptAcrossRequests(graph, room.name)) continue;
      found.push({ nameNode, name, className: room.name, adds, sends });
    }
  }
  return found;
}

/** A class, or a constructor function with methods on its prototype (`function Game() { this.players = [] }`, `Game.prototype.sendToAll = …`). */
interface RoomType {
  name: string;
  /** Instance fields that start as an empty collection. */
  fields: Map<string, ts.Node>;
  /** Where its code is: the class, or the constructor and its prototype's methods. */
  body: readonly ts.Node[];
  /** Its methods, the constructor left out: where clients join. */
  methods: readonly ts.Node[];
  /** The function of a method of this name (`this.getConnections()`). */
  method(name: string): ts.FunctionLikeDeclaration | undefined;
}

/** The classes and constructor functions of a file that may be rooms: not singletons (whose fields are shared state), with collection fields. */
function roomTypes(graph: RequestGraph, sourceFile: ts.SourceFile): RoomType[] {
  const facts = getFileFacts(sourceFile);
  const rooms: RoomType[] = [];
  const singletons = facts.classes.length > 0 ? singletonClasses(graph) : undefined;
  for (const declaration of facts.classes) {
    if (singletons?.has(declaration) || !declaration.name) continue;
    const fields = collectionFields(declaration);
    if (fields.size === 0) continue;
    rooms.push({
      name: declaration.name.text,
      fields,
      body: [declaration],
      methods: declaration.members.filter((member) => !ts.isConstructorDeclaration(member)),
      method: (name) => declaration.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && propertyNameText(member.name) === name),
    });
  }
  if (!sourceFile.text.includes('.prototype')) return rooms;
  for (const [name, constructor] of constructorFunctions(sourceFile)) {
    const fields = constructorFields(constructor);
    const methods = prototypeMethods(sourceFile, name);
    if (fields.size === 0 || methods.size === 0 || isSingletonConstructor(graph, constructor)) continue;
    rooms.push({ name, fields, body: [constructor, ...methods.values()], methods: [...methods.values()], method: (method) => methods.get(method) });
  }
  return rooms;
}

/** Top-level `function Game(…) {…}` and `var Game = function (…) {…}` of a file, by name. */
function constructorFunctions(sourceFile: ts.SourceFile): Map<string, ts.FunctionDeclaration | ts.FunctionExpression> {
  const found = new Map<string, ts.FunctionDeclaration | ts.FunctionExpression>();
  for (const [name, declaration] of getFileFacts(sourceFile).topLevel) {
    const value = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : declaration;
    if ((ts.isFunctionDeclaration(value) || ts.isFunctionExpression(value)) && value.body) found.set(name, value);
  }
  return found;
}

/** `this.players = []` statements of a constructor function's body. */
function constructorFields(constructor: ts.FunctionDeclaration | ts.FunctionExpression): Map<string, ts.Node> {
  const fields = new Map<string, ts.Node>();
  for (const statement of constructor.body?.statements ?? []) {
    const field = emptyCollectionField(statement);
    if (field) fields.set(field.text, field);
  }
  return fields;
}

/** The methods a file puts on a constructor's prototype: `Game.prototype.send = function () {…}`, or `Game.prototype = { send() {…} }`. */
function prototypeMethods(sourceFile: ts.SourceFile, name: string): Map<string, ts.FunctionLikeDeclaration> {
  const methods = new Map<string, ts.FunctionLikeDeclaration>();
  for (const statement of sourceFile.statements) {
    const assignment = ts.isExpressionStatement(statement) ? skipOuterExpressions(statement.expression) : undefined;
    if (!assignment || !ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
    const target = skipOuterExpressions(assignment.left);
    const value = skipOuterExpressions(assignment.right);
    if (!ts.isPropertyAccessExpression(target)) continue;
    if (isPrototypeOf(target.expression, name) && (ts.isFunctionExpression(value) || ts.isArrowFunction(value))) methods.set(target.name.text, value);
    else if (target.name.text === 'prototype' && isNamed(target.expression, name) && ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        const method = ts.isMethodDeclaration(property) ? property : ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : undefined;
        const key = propertyNameText(property.name);
        if (key && method && (ts.isMethodDeclaration(method) || ts.isFunctionExpression(method) || ts.isArrowFunction(method))) methods.set(key, method);
      }
    }
  }
  return methods;
}

function isPrototypeOf(expression: ts.Expression, name: string): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isPropertyAccessExpression(value) && value.name.text === 'prototype' && isNamed(value.expression, name);
}

function isNamed(expression: ts.Expression, name: string): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isIdentifier(value) && value.text === name;
}

/** Instance fields that start as an empty collection: `clients = new Set()`, or `this.clients = []` in the constructor. */
function collectionFields(declaration: ts.ClassDeclaration): Map<string, ts.Node> {
  const fields = new Map<string, ts.Node>();
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && member.initializer && !ts.getModifiers(member)?.some((m) => m.kind === SyntaxKind.StaticKeyword)) {
      const name = propertyNameText(member.name);
      if (name && isEmptyCollection(member.initializer)) fields.set(name, member.name);
    } else if (ts.isConstructorDeclaration(member) && member.body) {
      for (const statement of member.body.statements) {
        const field = emptyCollectionField(statement);
        if (field) fields.set(field.text, field);
      }
    }
  }
  return fields;
}

/** The field a constructor's statement `this.clients = []` (or `new Set()`, `{}`) starts as an empty collection. */
function emptyCollectionField(statement: ts.Statement): ts.MemberName | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  const assignment = skipOuterExpressions(statement.expression);
  if (!ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
  const target = skipOuterExpressions(assignment.left);
  return ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword && isEmptyCollection(assignment.right) ? target.name : undefined;
}

function isEmptyCollection(initializer: ts.Expression): boolean {
  const value = skipOuterExpressions(initializer);
  if (ts.isArrayLiteralExpression(value)) return value.elements.length === 0;
  if (ts.isObjectLiteralExpression(value)) return value.properties.length === 0;
  return ts.isNewExpression(value) && ts.isIdentifier(value.expression) && ['Set', 'Map'].includes(value.expression.text) && (value.arguments?.length ?? 0) === 0;
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end && node.getSourceFile() === container.getSourceFile();
}

/**
 * Whether a loop's collection is the field: `this.clients`, a local read of it, or what a method of
 * the class returns of it (`this.getConnections()` returning `[...this.clients]`).
 */
function namesField(collection: ts.Expression, room: RoomType, name: string): boolean {
  let value = skipOuterExpressions(collection);
  if (ts.isIdentifier(value)) {
    const initializer = localInitializer(value);
    if (!initializer) return false;
    value = skipOuterExpressions(initializer);
  }
  if (isThisField(value, name)) return true;
  if (!ts.isCallExpression(value) || value.arguments.length > 0) return false;
  const callee = skipOuterExpressions(value.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== SyntaxKind.ThisKeyword) return false;
  const body = room.method(callee.name.text)?.body;
  const returned = body && ts.isBlock(body) ? body.statements.find(ts.isReturnStatement)?.expression : body;
  return returned !== undefined && isThisField(elementsOf(returned), name);
}

/** `[...x]`, `Array.from(x)`, `x.values()`, `[...x.values()]` → `x`. */
function elementsOf(expression: ts.Expression): ts.Expression {
  let value = skipOuterExpressions(expression);
  for (let guard = 0; guard < 4; guard++) {
    if (ts.isArrayLiteralExpression(value) && value.elements.length === 1 && ts.isSpreadElement(value.elements[0])) value = skipOuterExpressions(value.elements[0].expression);
    else if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'from' && value.arguments.length === 1) value = skipOuterExpressions(value.arguments[0]);
    else if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'values' && value.arguments.length === 0) value = skipOuterExpressions(value.expression.expression);
    else break;
  }
  return value;
}

function isThisField(expression: ts.Expression, name: string): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword && value.name.text === name;
}

/** `this.clients.add(client)`, `this.clients.set(id, socket)`, `this.clients.push(ws)` in the room's methods. */
function addsTo(methods: readonly ts.Node[], name: string): ts.CallExpression[] {
  const adds: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && ADD_METHODS.has(callee.name.text) && node.arguments.length > 0 && isThisField(callee.expression, name)) adds.push(node);
    }
    ts.forEachChild(node, visit);
  };
  for (const method of methods) visit(method);
  return adds;
}

/**
 * Whether some `new Room(…)` in the graph's files is kept beyond the call that makes it: stored in a
 * collection or a field (`rooms.set(id, new Room())`, `const room = new Room(); this.rooms.set(id, room)`),
 * or held at module scope. A room made and dropped in one handler holds one
 * request's clients, which no other instance could serve anyway.
 */
function isKeptAcrossRequests(graph: RequestGraph, className: string): boolean {
  for (const file of graph.files) {
    if (!file.text.includes(`new ${className}`)) continue;
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== className) continue;
      if (isKept(node)) return true;
    }
  }
  return false;
}

function isKept(creation: ts.Expression): boolean {
  let use: ts.Node = creation;
  while (ts.isParenthesizedExpression(use.parent) || ts.isAsExpression(use.parent) || ts.isNonNullExpression(use.parent)) use = use.parent;
  const parent = use.parent;
  // rooms.get(id) ?? new Room(id), cond ? existing : new Room(id): the value of the whole expression.
  const operator = ts.isBinaryExpression(parent) ? parent.operatorToken.kind : undefined;
  if (operator === SyntaxKind.QuestionQuestionToken || operator === SyntaxKind.BarBarToken || (ts.isConditionalExpression(parent) && parent.condition !== use)) return isKept(parent as ts.Expression);
  if (ts.isCallExpression(parent) && parent.arguments.includes(use as ts.Expression)) {
    const callee = skipOuterExpressions(parent.expression);
    return ts.isPropertyAccessExpression(callee) && ADD_METHODS.has(callee.name.text);
  }
  if (ts.isBinaryExpression(parent) && parent.right === use && parent.operatorToken.kind === SyntaxKind.EqualsToken) {
    const target = skipOuterExpressions(parent.left);
    if (ts.isIdentifier(target)) {
      // found = new Room(); rooms.set(id, found)
      const scope = enclosingFunctionBody(parent);
      return scope !== undefined && storesName(scope, target.text);
    }
    return ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target);
  }
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const statement = parent.parent.parent;
    if (ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent)) return true;
    const scope = enclosingFunctionBody(parent);
    return scope !== undefined && storesName(scope, parent.name.text);
  }
  return false;
}

function enclosingFunctionBody(node: ts.Node): ts.Node | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

/** Whether `name` is stored in the function: an argument of `.set`/`.push`/`.add`, or assigned to a member. */
function storesName(scope: ts.Node, name: string): boolean {
  let stored = false;
  const isName = (node: ts.Node | undefined): boolean => node !== undefined && ts.isIdentifier(skipOuterExpressions(node as ts.Expression)) && (skipOuterExpressions(node as ts.Expression) as ts.Identifier).text === name;
  const visit = (node: ts.Node): void => {
    if (stored) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && ADD_METHODS.has(callee.name.text) && node.arguments.some(isName)) stored = true;
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && isName(node.right)) {
      const target = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) stored = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return stored;
}

/** A registry of room objects: a Map whose every `set` stores a `new Room(…)` of a class whose methods send to connections. */
export interface RoomRegistry {
  /** The room class: `Room`. */
  className: string;
  /** The sends written in the class's methods: `this.io.to(id).emit(…)`, a loop that sends to each of its peers. */
  sends: ts.CallExpression[];
  /** Every send goes through socket.io (`this.io.to(id).emit`), which an adapter carries to the other instances. */
  throughSocketIo: boolean;
}

const registryCache = new WeakMap<RequestGraph, WeakMap<ts.Node, RoomRegistry | null>>();

/**
 * A module or singleton Map of rooms as objects (`roomList.set(id, new Room(id, worker, io))`) whose
 * class sends to connections: to a socket.io room or socket id (`this.io.to(socketId).emit(…)`), or in
 * a loop over its own peers. Fan-out through a value taken out of the Map (`roomList.get(id).broadCast(…)`):
 * each instance keeps its own rooms, so a room's clients on another instance are not in it.
 */
export function roomsKeptIn(state: SharedState, graph: RequestGraph): RoomRegistry | undefined {
  if (state.holds !== 'map') return undefined;
  const declaration = state.nameNode.parent;
  let cache = registryCache.get(graph);
  if (!cache) registryCache.set(graph, (cache = new WeakMap()));
  let found = cache.get(declaration);
  if (found !== undefined) return found ?? undefined;
  found = null;
  const made = storedInstances(declaration);
  const classes = new Set<ts.ClassLikeDeclaration>();
  for (const creation of made) for (const target of graph.resolver.declarationsOf(creation.expression)) for (const declared of classesOf(target)) classes.add(declared);
  if (made.length === 0) for (const declared of factoryMadeRooms(declaration, graph)) classes.add(declared);
  for (const declared of classes) {
    const { sends, loops } = classSends(declared);
    if (sends.length === 0) continue;
    // The room's own list of connections is reported where the class keeps it (`roomClientsInMemory`): one finding for one
    // hazard, and what the Map keeps besides (each note's live document, loaded and edited here) is read by its use.
    if (findRoomConnectionLists(graph, declared.getSourceFile()).some((list) => list.className === declared.name?.text)) break;
    // A loop over the room's own peers misses those on other instances even when each emit would reach any socket.
    found = { className: declared.name?.text ?? (ts.isIdentifier(made[0].expression) ? made[0].expression.text : 'room'), sends, throughSocketIo: loops === 0 };
    break;
  }
  cache.set(declaration, found);
  return found ?? undefined;
}

/**
 * `let room = rooms.get(id); if (!room) { room = await Room.create({ … }); rooms.set(id, room) }`: the classes a
 * module Map's every `set` stores through a static factory of the class (`static async create(…) { …; return new
 * Room(…) }`), as mediasoup's servers make their rooms. Empty when any stored value is something else.
 */
function factoryMadeRooms(declaration: ts.Node, graph: RequestGraph): ts.ClassLikeDeclaration[] {
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !ts.isVariableStatement(declaration.parent.parent) || !ts.isSourceFile(declaration.parent.parent.parent)) return [];
  const name = declaration.name.text;
  const isTheMap = (node: ts.Expression): boolean => ts.isIdentifier(node) && node.text === name;
  const stored = valuesSetInto(declaration.getSourceFile(), isTheMap);
  const classes = new Set<ts.ClassLikeDeclaration>();
  for (const value of stored) {
    // The local's other values are the Map's own reads (`rooms.get(id)`), which hold what an earlier set stored.
    const values = ts.isIdentifier(value) ? valuesOfLocal(value).map((v) => skipOuterExpressions(v)).filter((v) => !isReadOf(v, isTheMap)) : [value];
    if (values.length === 0) return [];
    for (const made of values) {
      const found = factoryClass(made, graph);
      if (!found) return [];
      classes.add(found);
    }
  }
  return [...classes];
}

/** `rooms.get(id)`: a read of the Map. */
function isReadOf(value: ts.Expression, isTheMap: (node: ts.Expression) => boolean): boolean {
  const callee = ts.isCallExpression(value) ? skipOuterExpressions(value.expression) : undefined;
  return callee !== undefined && ts.isPropertyAccessExpression(callee) && callee.name.text === 'get' && isTheMap(skipOuterExpressions(callee.expression));
}

/** `await Room.create(…)` of a static method whose every return is `new Room(…)` (or `new this(…)`): that class. */
function factoryClass(value: ts.Expression, graph: RequestGraph): ts.ClassLikeDeclaration | undefined {
  const call = ts.isAwaitExpression(value) ? skipOuterExpressions(value.expression) : value;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(skipOuterExpressions(call.expression))) return undefined;
  for (const target of graph.resolver.declarationsOf(call.expression)) {
    if (!ts.isMethodDeclaration(target) || !target.body || !ts.isClassLike(target.parent) || !target.modifiers?.some((m) => m.kind === SyntaxKind.StaticKeyword)) continue;
    const owner = target.parent;
    const returns: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isReturnStatement(node) && node.expression) returns.push(skipOuterExpressions(node.expression));
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(target.body, visit);
    const makesOwner = (returned: ts.Expression): boolean =>
      ts.isNewExpression(returned) && (returned.expression.kind === SyntaxKind.ThisKeyword || (ts.isIdentifier(returned.expression) && returned.expression.text === owner.name?.text));
    if (returns.length > 0 && returns.every(makesOwner)) return owner;
  }
  return undefined;
}

/** The sends of a class's methods: emits through a socket.io server it holds, and the loops that send to each element of a collection. */
function classSends(declaration: ts.ClassLikeDeclaration): { sends: ts.CallExpression[]; loops: number } {
  const sends: ts.CallExpression[] = [];
  for (const loop of sendingLoops(declaration.getSourceFile())) if (within(loop.node, declaration) && loop.send !== loop.node) sends.push(loop.send);
  sends.push(...protooNotifyLoops(declaration));
  const loops = sends.length;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isSocketIoSend(node) && !sends.includes(node)) sends.push(node);
    ts.forEachChild(node, visit);
  };
  for (const member of declaration.members) if (!ts.isConstructorDeclaration(member)) visit(member);
  return { sends, loops };
}

/**
 * In a file that imports protoo-server (mediasoup's signalling), `for (const peer of this._getJoinedPeers()) peer.notify('newPeer', …)`:
 * a protoo peer's `notify` sends a message over its WebSocket.
 */
function protooNotifyLoops(declaration: ts.ClassLikeDeclaration): ts.CallExpression[] {
  if (![...getFileFacts(declaration.getSourceFile()).imports.values()].some((binding) => binding.module === 'protoo-server')) return [];
  const found: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer) && node.initializer.declarations.length === 1 && ts.isIdentifier(node.initializer.declarations[0].name)) {
      const element = node.initializer.declarations[0].name.text;
      const inBody = (inner: ts.Node): void => {
        if (ts.isCallExpression(inner)) {
          const callee = skipOuterExpressions(inner.expression);
          if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'notify' && ts.isIdentifier(callee.expression) && callee.expression.text === element) found.push(inner);
        }
        ts.forEachChild(inner, inBody);
      };
      inBody(node.statement);
    }
    ts.forEachChild(node, visit);
  };
  for (const member of declaration.members) if (!ts.isConstructorDeclaration(member)) visit(member);
  return found;
}

const SOCKET_IO_FIELD = /^(io|ioServer|socketServer|socketIo|socketIO|server)$/;

/** `this.io.emit(…)`, `this.io.to(id).emit(…)`, `this.io.in(room).emit(…)`: a send through the socket.io server the object was handed. */
function isSocketIoSend(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'emit') return false;
  let target = skipOuterExpressions(callee.expression);
  for (let guard = 0; guard < 4 && ts.isCallExpression(target); guard++) {
    const selector = skipOuterExpressions(target.expression);
    if (!ts.isPropertyAccessExpression(selector) || !['to', 'in', 'except', 'of'].includes(selector.name.text)) return false;
    target = skipOuterExpressions(selector.expression);
  }
  return ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword && SOCKET_IO_FIELD.test(target.name.text);
}
