import ts = require('typescript');
import { getFileFacts, type FunctionNode } from './file-facts';
import { decoratorsOf } from './frameworks/nest';
import { resolveImportedMember } from './imports';
import { fanOutLoopsOf, findWsBroadcasts } from './pubsub';
import { roomConnectionLists } from './pubsub-rooms';
import type { Reach, RequestGraph } from './request-graph';
import { statesWrittenOnRequestPath } from './shared-state';
import { propertyNameText, skipOuterExpressions, stringValue } from './text';

// @nestjs/event-emitter: `EventEmitterModule.forRoot()` gives the app one EventEmitter2 per process.
// Services emit on it on request paths (`this.eventEmitter.emit('note.deleted', id)`) and `@OnEvent`
// listeners run in the same process. When such a listener tells connected clients (a loop over a
// list of connections kept in memory), only the clients of the instance that served the request
// hear of it. Listeners that write to the database or send mail do the same work on any instance.

const { SyntaxKind } = ts;
const EVENT_EMITTER_MODULE = '@nestjs/event-emitter';
const EMITTER_TYPES = new Set(['EventEmitter2']);
const EMIT_METHODS = new Set(['emit', 'emitAsync']);
/** How far from a listener the walk looks for the send: listener → service → room → its send helper. */
const MAX_DEPTH = 4;

/** An in-process event bus module whose request-path events reach a listener that sends to this instance's clients. */
export interface NestEventFanOut {
  /** `EventEmitterModule.forRoot(…)`. */
  node: ts.CallExpression;
  /** The event as written: `'note.deleted'`, `NoteEvent.DELETION`. */
  event: string;
  emits: { node: ts.CallExpression; reaches: readonly Reach[] }[];
  /** `RealtimeNoteService.handleNoteDeleted`. */
  listener: string;
  /** The loop that sends to the clients of this instance. */
  send: ts.Node;
}

/** `EventEmitterModule.forRoot()` calls in this file, when an event emitted on a request path reaches a listener that sends to locally held connections. */
export function findNestEventFanOuts(graph: RequestGraph, sourceFile: ts.SourceFile): NestEventFanOut[] {
  const modules = eventEmitterModules(sourceFile);
  const fanOut = modules.length > 0 ? eventFanOut(graph) : undefined;
  return fanOut ? modules.map((node) => ({ node, ...fanOut })) : [];
}

/** `EventEmitterModule.forRoot(…)` calls of @nestjs/event-emitter in a file. */
function eventEmitterModules(sourceFile: ts.SourceFile): ts.CallExpression[] {
  if (!sourceFile.text.includes('EventEmitterModule')) return [];
  const facts = getFileFacts(sourceFile);
  return facts.calls.flatMap(({ node }) => {
    if (!ts.isCallExpression(node)) return [];
    const member = resolveImportedMember(node.expression, facts.imports);
    return member?.module === EVENT_EMITTER_MODULE && member.path.join('.') === 'EventEmitterModule.forRoot' ? [node] : [];
  });
}

const fanOutCache = new WeakMap<RequestGraph, Omit<NestEventFanOut, 'node'> | null>();

/** The first request-path event whose `@OnEvent` listener sends to this instance's clients (once per graph). */
function eventFanOut(graph: RequestGraph): Omit<NestEventFanOut, 'node'> | undefined {
  const cached = fanOutCache.get(graph);
  if (cached !== undefined) return cached ?? undefined;
  let found: Omit<NestEventFanOut, 'node'> | undefined;
  const listeners = eventListeners(graph);
  if (listeners.length > 0) {
    const emits = requestPathEmits(graph);
    const sends = localSends(graph);
    for (const { event, method, className } of listeners) {
      const emitted = emits.get(event);
      if (!emitted || sends.length === 0) continue;
      const send = sendReachedFrom(graph, method, sends);
      if (!send) continue;
      found = { event, emits: emitted, listener: `${className}.${propertyNameText(method.name) ?? 'listener'}`, send };
      break;
    }
  }
  fanOutCache.set(graph, found ?? null);
  return found;
}

const listenerReachCache = new WeakMap<RequestGraph, Map<FunctionNode, readonly Reach[]>>();

/**
 * The `@OnEvent` listeners of events a request path emits, each with the reaches of those emits:
 * EventEmitter2 runs a listener in the process that emitted, as part of that request's work.
 */
export function requestPathListeners(graph: RequestGraph): Map<FunctionNode, readonly Reach[]> {
  let byListener = listenerReachCache.get(graph);
  if (byListener) return byListener;
  byListener = new Map();
  const listeners = eventListeners(graph);
  if (listeners.length > 0) {
    const emits = requestPathEmits(graph);
    for (const { event, method } of listeners) {
      const emitted = emits.get(event);
      if (emitted) byListener.set(method, emitted.flatMap((emit) => emit.reaches));
    }
  }
  listenerReachCache.set(graph, byListener);
  return byListener;
}

/** `@OnEvent('note.deleted') handle(…)` methods in the graph's files, keyed by the event as written. */
function eventListeners(graph: RequestGraph): { event: string; method: ts.MethodDeclaration; className: string }[] {
  const listeners: { event: string; method: ts.MethodDeclaration; className: string }[] = [];
  for (const file of graph.files) {
    if (graph.isIgnoredFile(file) || !file.text.includes('OnEvent')) continue;
    for (const declaration of getFileFacts(file).classes) {
      for (const member of declaration.members) {
        if (!ts.isMethodDeclaration(member) || !member.body) continue;
        const onEvent = decoratorsOf(member).find((d) => d.name === 'OnEvent');
        const argument = onEvent?.call?.arguments[0];
        if (argument) listeners.push({ event: eventKey(argument), method: member, className: declaration.name?.text ?? 'class' });
      }
    }
  }
  return listeners;
}

/** `'note.deleted'` and `NoteEvent.DELETION` as written, so an emit and a listener of the same constant match. */
function eventKey(argument: ts.Expression): string {
  return stringValue(argument) ?? skipOuterExpressions(argument).getText().replace(/\s+/g, '');
}

/** `this.eventEmitter.emit(event, …)` on a request path, where `eventEmitter` is an injected EventEmitter2 of @nestjs/event-emitter. */
function requestPathEmits(graph: RequestGraph): Map<string, { node: ts.CallExpression; reaches: readonly Reach[] }[]> {
  const byEvent = new Map<string, { node: ts.CallExpression; reaches: readonly Reach[] }[]>();
  for (const { node, method, event } of injectedEmitterCalls(graph)) {
    if (!EMIT_METHODS.has(method)) continue;
    const reaches = graph.reachesOf(node);
    if (reaches.length > 0) byEvent.set(event, [...(byEvent.get(event) ?? []), { node, reaches }]);
  }
  return byEvent;
}

/** Calls of an injected EventEmitter2 of @nestjs/event-emitter in the graph's files (`this.bus.emit(event, …)`, `this.bus.on(event, …)`), with the event as written. */
function injectedEmitterCalls(graph: RequestGraph): { node: ts.CallExpression; method: string; event: string }[] {
  const calls: { node: ts.CallExpression; method: string; event: string }[] = [];
  for (const file of graph.files) {
    if (graph.isIgnoredFile(file) || !file.text.includes(EVENT_EMITTER_MODULE)) continue;
    const facts = getFileFacts(file);
    for (const { node } of facts.calls) {
      if (!ts.isCallExpression(node) || node.arguments.length === 0) continue;
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && isInjectedEmitter(callee.expression, facts)) calls.push({ node, method: callee.name.text, event: eventKey(node.arguments[0]) });
    }
  }
  return calls;
}

const SUBSCRIBE_METHODS = new Set(['on', 'once', 'addListener', 'prependListener']);

/**
 * A request that subscribes to the module's bus and waits (an `@Sse()` stream or a long poll:
 * `this.eventEmitter.on('ranking-update', (data) => observer.next(…))` in the handler), and an emit
 * of the same event anywhere in the program (a request, a `@Cron` job): only the clients waiting on
 * the instance that emitted hear it.
 */
export interface NestEventSubscription {
  /** `EventEmitterModule.forRoot(…)`. */
  node: ts.CallExpression;
  event: string;
  subscription: { node: ts.CallExpression; reaches: readonly Reach[] };
  emit: ts.CallExpression;
}

/** `EventEmitterModule.forRoot()` calls in this file, when a request path subscribes to an event that code elsewhere emits. */
export function findNestEventSubscriptions(graph: RequestGraph, sourceFile: ts.SourceFile): NestEventSubscription[] {
  const modules = eventEmitterModules(sourceFile);
  const found = modules.length > 0 ? subscribedEvent(graph) : undefined;
  return found ? modules.map((node) => ({ node, ...found })) : [];
}

const subscriptionCache = new WeakMap<RequestGraph, Omit<NestEventSubscription, 'node'> | null>();

function subscribedEvent(graph: RequestGraph): Omit<NestEventSubscription, 'node'> | undefined {
  const cached = subscriptionCache.get(graph);
  if (cached !== undefined) return cached ?? undefined;
  const subscriptions = new Map<string, { node: ts.CallExpression; reaches: readonly Reach[] }>();
  const emits = new Map<string, ts.CallExpression>();
  for (const { node, method, event } of injectedEmitterCalls(graph)) {
    if (EMIT_METHODS.has(method) && !emits.has(event)) emits.set(event, node);
    if (SUBSCRIBE_METHODS.has(method) && node.arguments.length >= 2 && !subscriptions.has(event)) {
      const reaches = graph.reachesOf(node);
      if (reaches.length > 0) subscriptions.set(event, { node, reaches });
    }
  }
  let found: Omit<NestEventSubscription, 'node'> | undefined;
  for (const [event, subscription] of subscriptions) {
    const emit = emits.get(event);
    if (emit) {
      found = { event, subscription, emit };
      break;
    }
  }
  subscriptionCache.set(graph, found ?? null);
  return found;
}

/** `this.eventEmitter` where the class's constructor takes `eventEmitter: EventEmitter2` (imported from @nestjs/event-emitter). */
function isInjectedEmitter(target: ts.Expression, facts: ReturnType<typeof getFileFacts>): boolean {
  const value = skipOuterExpressions(target);
  if (!ts.isPropertyAccessExpression(value) || value.expression.kind !== SyntaxKind.ThisKeyword) return false;
  for (let current: ts.Node | undefined = value.parent; current; current = current.parent) {
    if (!ts.isClassDeclaration(current)) continue;
    const constructor = current.members.find(ts.isConstructorDeclaration);
    const parameter = constructor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === value.name.text);
    const type = parameter?.type;
    if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || !EMITTER_TYPES.has(type.typeName.text)) return false;
    return facts.imports.get(type.typeName.text)?.module === EVENT_EMITTER_MODULE;
  }
  return false;
}

/** Loops on request paths that send to connections this process holds: module and singleton client lists, rooms' client sets, a ws server's clients. */
function localSends(graph: RequestGraph): ts.Node[] {
  const sends: ts.Node[] = [];
  for (const file of graph.files) {
    if (graph.isIgnoredFile(file) || !graph.reachedFiles.has(file)) continue;
    for (const { state, classification } of statesWrittenOnRequestPath(graph, file)) {
      if (classification === 'realtime') sends.push(...fanOutLoopsOf(state).map((loop) => loop.node));
    }
    for (const list of roomConnectionLists(graph, file)) sends.push(...list.sends.map((send) => send.node));
    sends.push(...findWsBroadcasts(graph, file).map((broadcast) => broadcast.loop));
  }
  return sends;
}

/** The first of `sends` in a function the listener calls (breadth first, a few calls deep). */
function sendReachedFrom(graph: RequestGraph, listener: ts.MethodDeclaration, sends: readonly ts.Node[]): ts.Node | undefined {
  const seen = new Set<FunctionNode>([listener]);
  let frontier: FunctionNode[] = [listener];
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
    const next: FunctionNode[] = [];
    for (const fn of frontier) {
      const send = sends.find((node) => node.getSourceFile() === fn.getSourceFile() && node.pos >= fn.pos && node.end <= fn.end);
      if (send) return send;
      if (depth === MAX_DEPTH) continue;
      for (const call of callsIn(fn)) {
        for (const target of graph.callTargets(call)) {
          if (seen.has(target)) continue;
          seen.add(target);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return undefined;
}

/** The calls written in a function, its callbacks included. */
function callsIn(fn: FunctionNode): (ts.CallExpression | ts.NewExpression)[] {
  const facts = getFileFacts(fn.getSourceFile());
  const calls: (ts.CallExpression | ts.NewExpression)[] = [];
  const pending: FunctionNode[] = [fn];
  for (let guard = 0; pending.length > 0 && guard < 64; guard++) {
    const info = facts.functions.get(pending.pop()!);
    if (!info) continue;
    calls.push(...info.calls);
    pending.push(...info.children);
  }
  return calls;
}
