import ts = require('typescript');
import { getFileFacts, type CallLike, type FunctionNode } from './file-facts';
import type { Resolver } from './resolve';
import { prototypeOwnerDeclaration, enclosingClass } from './untyped-resolve';
import { isShadowed } from './scope';
import { propertyNameText, skipOuterExpressions, stringValue } from './text';

const { SyntaxKind } = ts;

const SUBSCRIBE_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/**
 * Emitters whose events are not this process's own: `process` (signals, exits), connections whose
 * `emit` sends to the other side (socket.io sockets and servers, a socket.io or WebSocket client), and
 * pub/sub over Redis (the pub/sub adapter a fix writes, `createPubSub('chat')`), whose listeners every
 * instance runs for its own clients.
 */
const REMOTE_EMITTER_TEXT = /\b(?:io|socket|sockets|ws|wss|client|conn|connection|peer|channel|subscriber|\w*pub_?sub\w*|\w*redis\w*)\b|socket\.io|WebSocket|connect\s*\(/i;

/**
 * `bus.emit('data-update', { changes })`, `bus.emit('data-received')`: the emitter and the event as
 * written. A signal without data runs its listeners too: when a request raises it, what they reload,
 * take or release (`all = await db.list()`) is done by that request, in this process only.
 */
export function emittedEvent(call: CallLike): { emitter: ts.Expression; event: string; constant: boolean } | undefined {
  if (!ts.isCallExpression(call) || call.arguments.length < 1) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'emit') return undefined;
  const event = eventName(call.arguments[0]);
  return event === undefined ? undefined : { emitter: skipOuterExpressions(callee.expression), ...event };
}

/**
 * The event a call names: a string, or a constant of the module (`EVENTS.TRIGGERS.CHECK`, a member of
 * an imported or module-level object or enum), matched by how it is written. A value read at run time
 * (`job.event`) names no event.
 */
function eventName(argument: ts.Expression): { event: string; constant: boolean } | undefined {
  const literal = stringValue(argument);
  if (literal !== undefined) return { event: literal, constant: false };
  let value = skipOuterExpressions(argument);
  if (!ts.isPropertyAccessExpression(value)) return undefined;
  const parts: string[] = [];
  while (ts.isPropertyAccessExpression(value)) {
    parts.unshift(value.name.text);
    value = skipOuterExpressions(value.expression);
  }
  if (!ts.isIdentifier(value) || isShadowed(value, value.text)) return undefined;
  const facts = getFileFacts(value.getSourceFile());
  const declaration = facts.topLevel.get(value.text);
  const name = value.text;
  const isConstant =
    facts.imports.has(name) ||
    (declaration !== undefined && ts.isVariableDeclaration(declaration) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0) ||
    value.getSourceFile().statements.some((statement) => ts.isEnumDeclaration(statement) && statement.name.text === name);
  return isConstant ? { event: [value.text, ...parts].join('.'), constant: true } : undefined;
}

/** `bus.emit('data-received')`: an event raised without data. */
export function isDatalessSignal(call: CallLike): boolean {
  return emittedEvent(call) !== undefined && (call as ts.CallExpression).arguments.length === 1;
}

/** Inside a `setTimeout`/`setInterval` callback. */
function inTimer(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    if (ts.isFunctionLike(current) && ts.isCallExpression(current.parent) && /(^|\.)set(Timeout|Interval)$/.test(current.parent.expression.getText())) return true;
  }
  return false;
}

/** `bus.on('data-update', listener)`: the emitter, the event and the listener as written. */
export function subscription(call: CallLike): { emitter: ts.Expression; event: string; constant: boolean; listener: ts.Expression } | undefined {
  if (!ts.isCallExpression(call) || call.arguments.length < 2) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !SUBSCRIBE_METHODS.has(callee.name.text)) return undefined;
  const event = eventName(call.arguments[0]);
  return event === undefined ? undefined : { emitter: skipOuterExpressions(callee.expression), ...event, listener: call.arguments[1] };
}

/**
 * The listeners an emit on a request path runs, synchronously and in this process: those registered
 * for the same event on the same emitter (`ctx.bus.emit('data-update', …)` in a route's module and
 * `ctx.bus.on('data-update', dataChanged)` in the cache's factory, run at start-up). The same emitter is
 * the same declaration (a module's variable, an imported one, a context object's member, a field), or
 * `this` of the same class; an emitter a request makes itself (a parameter, a local of the function
 * that registers) is that request's, and its listeners are already in the function that made it.
 */
export class EventListeners {
  private readonly byEmit = new Map<CallLike, FunctionNode[]>();

  constructor(
    private readonly resolver: Resolver,
    /** The files to look for listeners in when the resolver has no project index to search (typed: the program's). */
    private readonly files: () => readonly ts.SourceFile[],
  ) {}

  listenersOf(call: CallLike): readonly FunctionNode[] {
    let listeners = this.byEmit.get(call);
    if (!listeners) {
      try {
        listeners = this.find(call);
      } catch {
        listeners = [];
      }
      this.byEmit.set(call, listeners);
    }
    return listeners;
  }

  private find(call: CallLike): FunctionNode[] {
    const emitted = emittedEvent(call);
    if (!emitted || isRemoteEmitter(emitted.emitter)) return [];
    const emitterIdentity = this.identityOf(emitted.emitter);
    if (emitterIdentity.length === 0) return [];
    const written = emitted.constant ? `${emitted.event.split('.').map(escapeRegExp).join('\\s*\\.\\s*')}\\b` : `['"\`]${escapeRegExp(emitted.event)}['"\`]`;
    const pattern = new RegExp(`\\.\\s*(?:${[...SUBSCRIBE_METHODS].join('|')})\\s*\\(\\s*${written}`);
    const files = this.resolver.filesMatching(pattern) ?? this.files().filter((file) => pattern.test(file.text));
    const listeners: FunctionNode[] = [];
    for (const file of files) {
      for (const { node } of getFileFacts(file).calls) {
        const subscribed = subscription(node);
        if (!subscribed || subscribed.event !== emitted.event || subscribed.constant !== emitted.constant) continue;
        if (!this.identityOf(subscribed.emitter).some((identity) => emitterIdentity.includes(identity))) continue;
        for (const listener of this.resolver.handlerFunctions(subscribed.listener)) if (!listeners.includes(listener)) listeners.push(listener);
      }
    }
    return listeners;
  }

  /**
   * An emit of the service's own code on the emitter a subscription names (`this.manager.events.on(Events.SESSION_STATUS, …)`
   * in a gateway, `this.events.emit(event, data)` in the manager it is handed): of the same event, or of a name read
   * at run time, and not raised by a timer (each instance ticks its own). Undefined for a remote emitter (a Redis
   * subscriber, a socket), whose events every instance hears.
   */
  emitOnEmitterOf(subscribe: ts.CallExpression): CallLike | undefined {
    const subscribed = subscription(subscribe);
    if (!subscribed || isRemoteEmitter(subscribed.emitter)) return undefined;
    const identity = this.identityOf(subscribed.emitter);
    if (identity.length === 0) return undefined;
    const pattern = /\.\s*emit\s*\(/;
    const files = this.resolver.filesMatching(pattern) ?? this.files().filter((file) => pattern.test(file.text));
    for (const file of files) {
      for (const { node } of getFileFacts(file).calls) {
        if (!ts.isCallExpression(node) || node.arguments.length === 0) continue;
        const callee = skipOuterExpressions(node.expression);
        if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'emit' || isRemoteEmitter(callee.expression) || inTimer(node)) continue;
        const named = eventName(node.arguments[0]);
        // `this.events.emit(event, data)`: a name the caller hands in may be this one.
        const readAtRunTime = named === undefined && !ts.isStringLiteralLike(skipOuterExpressions(node.arguments[0])) && this.mayHandEvent(node.arguments[0], subscribed);
        if (!readAtRunTime && (named?.event !== subscribed.event || named.constant !== subscribed.constant)) continue;
        if (this.identityOf(skipOuterExpressions(callee.expression)).some((candidate) => identity.includes(candidate))) return node;
      }
    }
    return undefined;
  }

  /**
   * Whether an event name read at run time may be the subscribed one: a parameter of a function
   * (`handleSessionEvent(event, session)`) whose calls, found by its name, hand it that event, or
   * that no call names; any other value read at run time may be any event.
   */
  private mayHandEvent(argument: ts.Expression, subscribed: { event: string; constant: boolean }): boolean {
    const value = skipOuterExpressions(argument);
    if (!ts.isIdentifier(value)) return true;
    let fn: ts.Node | undefined = value.parent;
    let index = -1;
    for (; fn && !ts.isSourceFile(fn); fn = fn.parent) {
      if (!ts.isFunctionLike(fn)) continue;
      index = fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === value.text);
      if (index >= 0) break;
    }
    if (!fn || ts.isSourceFile(fn) || index < 0) return true;
    const name = (ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn)) && fn.name ? propertyNameText(fn.name) : undefined;
    if (name === undefined) return true;
    const pattern = new RegExp(`\\b${escapeRegExp(name)}\\s*\\(`);
    const files = this.resolver.filesMatching(pattern) ?? this.files().filter((file) => pattern.test(file.text));
    let calls = 0;
    for (const file of files) {
      for (const { node } of getFileFacts(file).calls) {
        if (!ts.isCallExpression(node) || node.arguments.length <= index) continue;
        const callee = skipOuterExpressions(node.expression);
        const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (called !== name) continue;
        calls++;
        const handed = eventName(node.arguments[index]);
        if (handed === undefined || (handed.event === subscribed.event && handed.constant === subscribed.constant)) return true;
      }
    }
    return calls === 0;
  }

  /** What names the emitter for the whole process: its declarations, or the class whose `this` it is. Empty for a request's own emitter. */
  private identityOf(emitter: ts.Expression, depth = 0): ts.Node[] {
    if (emitter.kind === SyntaxKind.ThisKeyword) {
      const owner = enclosingClass(emitter)?.declaration ?? prototypeOwnerDeclaration(emitter);
      return owner ? [owner] : [];
    }
    if (!ts.isIdentifier(emitter) && !ts.isPropertyAccessExpression(emitter)) return [];
    if (ts.isIdentifier(emitter) && emitter.text === 'process') return [];
    return this.resolver.declarationsOf(emitter).flatMap((declaration) => {
      // `this.eventEmitter`, a field the constructor is handed: also what every creation of the class hands it.
      const parameter = ts.isPropertyAccessExpression(emitter) && skipOuterExpressions(emitter.expression).kind === SyntaxKind.ThisKeyword ? injectedParameter(declaration) : undefined;
      const handed = parameter && depth < 3 ? this.handedTo(parameter, depth + 1) : [];
      const own = isRequestOwn(declaration) || isRemoteDeclaration(declaration) ? [] : [declaration];
      return [...own, ...handed];
    });
  }

  /**
   * What every `new Controller(…)` of a class hands one of its constructor's parameters, as process-wide
   * identities: `new InstanceController(monitor, eventEmitter)` and `new MonitorService(eventEmitter)` at
   * module scope give both classes' `this.eventEmitter` the module's one emitter. Empty when a creation
   * hands a request's own emitter, or none is found.
   */
  private handedTo(parameter: ts.ParameterDeclaration, depth: number): ts.Node[] {
    const constructor = parameter.parent as ts.ConstructorDeclaration;
    const declaration = constructor.parent;
    const name = declaration.name?.text;
    const index = constructor.parameters.indexOf(parameter);
    if (!name || index < 0 || parameter.dotDotDotToken) return [];
    const pattern = new RegExp(`\\bnew\\s+${escapeRegExp(name)}\\s*[(<]`);
    const files = this.resolver.filesMatching(pattern) ?? this.files().filter((file) => pattern.test(file.text));
    const identities: ts.Node[] = [];
    let creations = 0;
    for (const file of files) {
      for (const { node } of getFileFacts(file).calls) {
        if (!ts.isNewExpression(node) || !this.resolver.declarationsOf(node.expression).includes(declaration)) continue;
        const handedArguments = node.arguments ?? [];
        const argument = handedArguments[index];
        if (++creations > MAX_CREATIONS || !argument || handedArguments.slice(0, index + 1).some(ts.isSpreadElement)) return [];
        const handed = this.identityOf(skipOuterExpressions(argument), depth);
        if (handed.length === 0) return [];
        identities.push(...handed);
      }
    }
    return identities;
  }
}

/** Creations of one class read for what they hand its constructor: more and it is made per use, not wired once. */
const MAX_CREATIONS = 8;

/**
 * The constructor parameter a field is: a parameter property (`constructor(private readonly bus: EventEmitter2)`),
 * or a field the constructor sets from its parameter (`this.bus = bus`).
 */
function injectedParameter(declaration: ts.Node): ts.ParameterDeclaration | undefined {
  if (ts.isParameter(declaration)) return ts.isConstructorDeclaration(declaration.parent) && ts.isParameterPropertyDeclaration(declaration, declaration.parent) ? declaration : undefined;
  if (!ts.isPropertyDeclaration(declaration) || declaration.initializer || !ts.isClassLike(declaration.parent)) return undefined;
  const field = declaration.name.getText();
  for (const member of declaration.parent.members) {
    if (!ts.isConstructorDeclaration(member) || !member.body) continue;
    for (const statement of member.body.statements) {
      const expression = ts.isExpressionStatement(statement) ? skipOuterExpressions(statement.expression) : undefined;
      if (!expression || !ts.isBinaryExpression(expression) || expression.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
      const target = skipOuterExpressions(expression.left);
      const value = skipOuterExpressions(expression.right);
      if (!ts.isPropertyAccessExpression(target) || target.expression.kind !== SyntaxKind.ThisKeyword || target.name.text !== field || !ts.isIdentifier(value)) continue;
      return member.parameters.find((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === value.text);
    }
  }
  return undefined;
}

/** A parameter (a socket, a request, a stream handed in): each call's own, not the process's. */
function isRequestOwn(declaration: ts.Node): boolean {
  return ts.isParameter(declaration) || ts.isBindingElement(declaration);
}

/** A socket, a connection, a client: its events come from the other side, one per message. */
export function isRemoteEmitter(emitter: ts.Expression): boolean {
  return REMOTE_EMITTER_TEXT.test(emitter.getText());
}

function isRemoteDeclaration(declaration: ts.Node): boolean {
  const initializer = ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) ? declaration.initializer : ts.isBinaryExpression(declaration) ? declaration.right : undefined;
  return initializer !== undefined && REMOTE_EMITTER_TEXT.test(initializer.getText());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether the caller announces what it ran to the other instances: after `auth.reloadGroups()` it
 * emits `'reloadGroups'` on an emitter (`events.outbound`) other than the one a listener of that event
 * is registered on (`events.inbound.on('reloadGroups', …)`), the two ends of a channel between
 * instances. Every instance then runs the same reload. `calls` is a request's call chain.
 */
export function isAnnouncedToOtherInstances(calls: readonly CallLike[], filesMatching: (pattern: RegExp) => readonly ts.SourceFile[]): boolean {
  return calls.some((call) => {
    const callee = ts.isCallExpression(call) ? skipOuterExpressions(call.expression) : undefined;
    if (!callee || !ts.isPropertyAccessExpression(callee)) return false;
    const name = callee.name.text;
    let fn: ts.Node | undefined = call.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
    if (!fn) return false;
    const emitters: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.getStart() >= call.end) {
        const emitted = emittedEvent(node);
        if (emitted && emitted.event === name) emitters.push(emitted.emitter.getText());
      }
      ts.forEachChild(node, visit);
    };
    visit(fn);
    if (emitters.length === 0) return false;
    const pattern = new RegExp(`\\.\\s*(?:${[...SUBSCRIBE_METHODS].join('|')})\\s*\\(\\s*['"\`]${escapeRegExp(name)}['"\`]`);
    return filesMatching(pattern).some((file) => getFileFacts(file).calls.some(({ node }) => {
      const subscribed = subscription(node);
      return subscribed !== undefined && subscribed.event === name && !emitters.includes(subscribed.emitter.getText());
    }));
  });
}
