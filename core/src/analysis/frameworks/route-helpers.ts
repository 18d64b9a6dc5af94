import ts = require('typescript');
import { getFileFacts, isFunctionNode, type FunctionNode } from '../file-facts';
import type { Resolver } from '../resolve';
import { bindsName, isShadowed } from '../scope';
import { propertyNameText, skipOuterExpressions, stringValue, within } from '../text';
import type { RequestPathSettings } from '../../types';
import { looksLikeHandler, namedLikeApp, receiverVerdict, routePath } from './http-routers';
import { dependsOnTurn, loopTurns, readsLoopName, textIn, turnRow, valueIn, type LoopTurn } from './loop-bindings';
import { controllerMembers } from './route-tables';
import { isCalledMember } from './action-wrappers';
import type { DetectorContext, EntryCandidate } from './types';

/**
 * Routes registered through a helper of the service's own that takes the handler as an argument:
 * `setupPageRoute(router, '/login', [mw], controllers.login)` whose body does
 * `router.get(name, …middlewares, tryRoute(controller))`, `const get = (path, h) => router.get(path, asyncHandler(h))`,
 * `route(method, path, handler) { this.app[method](path, this.wrap(handler)) }`. The registration
 * inside the helper is found here by syntax (`helperRoutesIn`); each call of the helper is a route
 * whose method, path, receiver and handlers are the call's arguments in the places the helper
 * passes on (`callSiteRoute`). Which calls run the helper is the resolver's answer (request-graph.ts).
 * A call in loops over tables (`for (ctrl in config) config[ctrl].forEach((item) => createAction(router, '/api',
 * CONTROLLERS[ctrl].controller, item.action, prefix + item.path, item.method))`) is a route per row, its
 * arguments read in that row's turn (`loop-bindings.ts`) and registered where the row is written; a helper
 * whose own handler runs a controller's action by name (`new Controller(ctx)[action](ctx)`) has that
 * handler, the class's constructors and the member the call names as the route's entries.
 */

/** A place in a call's arguments: the n-th, or the n-th from the end (`args[args.length - 1]` of a rest parameter). */
interface ArgumentSlot {
  index: number;
  fromEnd: boolean;
  /** A property of that argument, for a parameter destructured as an object (`register({ method, path, handler })`). */
  property?: string;
}

/** A route registration inside a helper whose handler comes from the helper's arguments. */
export interface HelperRoute {
  helper: FunctionNode;
  /** The names a call of the helper is written with: `setupPageRoute`, `route`, `get`. */
  names: readonly string[];
  /** Whether calls from other modules may run it (a member or a module-scope function, not a local of another function). */
  shared: boolean;
  /** `GET` when the registration names its verb, else where the call gives it (`router[verb](…)`). */
  method: string | readonly ArgumentSlot[];
  path: ts.Expression;
  /** The app or router the helper registers on, and where the call gives it when it is an argument. */
  receiver: ts.Expression;
  receiverSlots: readonly ArgumentSlot[];
  /** Per handler argument of the registration that comes from the call: where the call gives it. */
  handlers: readonly (readonly ArgumentSlot[])[];
  /** `case 'GET': app.get(path, handler)` in a switch over the call's method: the call must give that method. */
  onlyFor?: { slots: readonly ArgumentSlot[]; value: string };
  /**
   * The helper's own inline handler when it runs a controller's action the call names,
   * `router[method](baseurl + path, async (ctx) => { const inst = new Controller(ctx); await inst[action].call(inst, ctx) })`:
   * that function, and per action where the call gives the controller and the action's name.
   */
  actions?: { inline: FunctionNode; calls: readonly ControllerAction[] };
}

/** `inst[action](…)` in a helper's inline handler: where the call gives the class or object and the member's name. */
interface ControllerAction {
  owner: readonly ArgumentSlot[];
  action: readonly ArgumentSlot[];
  /** `new Controller(ctx)` per request: the class's constructor runs too. */
  constructed: boolean;
}

/** What finding a helper's calls needs from the graph. */
export interface HelperCallScope {
  resolver: Resolver;
  settings: RequestPathSettings;
  relativePath(file: ts.SourceFile): string;
  /** The files whose text matches, among which calls of a shared helper are looked for. */
  filesMentioning(pattern: RegExp): readonly ts.SourceFile[];
  callTargets(call: ts.CallExpression): readonly FunctionNode[];
  /** Files that never serve requests (tests, scripts): their calls register nothing. */
  isIgnoredFile(file: ts.SourceFile): boolean;
  /** Calls that register nothing in production (`if (isDev)`). */
  isDevelopmentOnly(node: ts.Node): boolean;
}

/**
 * The routes the calls of the helpers written in `files` register, one candidate per call and
 * registration in the helper, registered at the call and labelled with the path it gives.
 */
export function helperCallEntries(files: readonly ts.SourceFile[], scope: HelperCallScope): EntryCandidate[] {
  const routes = files.filter((file) => !scope.isIgnoredFile(file)).flatMap((file) => helperRoutesIn(file));
  if (routes.length === 0) return [];
  const byName = new Map<string, HelperRoute[]>();
  for (const route of routes) for (const name of route.names) byName.set(name, [...(byName.get(name) ?? []), route]);
  // A shared helper is looked for in every file that writes a call of its name; one named like a verb
  // (`const get = (path, h) => …`) only in its own file, or every `map.get(…)` of the project would be resolved.
  const sharedNames = [...byName].filter(([name, named]) => !ROUTE_VERBS.has(name) && named.some((route) => route.shared)).map(([name]) => name);
  const callFiles = new Set(routes.map((route) => route.helper.getSourceFile()));
  if (sharedNames.length > 0) for (const file of scope.filesMentioning(new RegExp(`(?:^|[^\\w$])(?:${sharedNames.map(escapeName).join('|')})\\s*\\(`))) callFiles.add(file);
  const found: EntryCandidate[] = [];
  for (const file of callFiles) {
    if (scope.isIgnoredFile(file)) continue;
    let context: DetectorContext | undefined;
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isCallExpression(node)) continue;
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const named = name === undefined ? undefined : byName.get(name)?.filter((route) => route.shared || route.helper.getSourceFile() === file);
      if (!named || named.length === 0 || scope.isDevelopmentOnly(node)) continue;
      const targets = scope.callTargets(node);
      let turns: LoopTurn[] | undefined;
      for (const route of named) {
        if (!targets.includes(route.helper) || within(node, route.helper)) continue;
        // A call in loops over tables (`routes.forEach((r) => route(app, r.method, r.path, r.handler))`) is a route per row; one whose tables cannot be read, the call as written.
        turns ??= turnsOf(node, scope.resolver);
        for (const turn of turns) {
        const site = callSiteRoute(route, node, turn, scope.resolver);
        if (!site || site.path === undefined || !/^(?:\/|\*|\$\{)/.test(site.path)) continue;
        context ??= { facts: getFileFacts(file), resolver: scope.resolver, settings: scope.settings, relativePath: scope.relativePath(file) };
        const receiverContext: DetectorContext = site.receiverFromCall ? context : { facts: getFileFacts(route.helper.getSourceFile()), resolver: scope.resolver, settings: scope.settings, relativePath: scope.relativePath(route.helper.getSourceFile()) };
        const verdict = receiverVerdict(receiverContext, site.receiver);
        if (verdict === 'no') continue;
        // A receiver known by nothing but its use: a path of the call's own (not one from configuration) and a handler that takes a request.
        if (verdict === 'unknown' && (!site.path.startsWith('/') || !site.handlers.some((handler) => takesRequest(handler, scope.resolver)))) continue;
        found.push({ label: `${site.method} ${site.path}`, framework: 'http', registration: turnRow(turn) ?? node, handlers: site.handlers, route: { method: site.method, path: site.path, receiver: site.receiver } });
        }
      }
    }
  }
  return found;
}

/** The turns of the loops around a call that its arguments depend on; the call as written (one empty turn) when they depend on none or a table cannot be read. */
function turnsOf(call: ts.CallExpression, resolver: Resolver): LoopTurn[] {
  const turns = loopTurns(call, resolver);
  if (turns.length === 0 || !call.arguments.some((argument) => dependsOnTurn(argument, turns[0], resolver))) return [[]];
  return turns;
}

/** A handler written like one (`(req, res) => …`, `usersController`), or a function of the program whose first parameter is a request or context. */
function takesRequest(handler: ts.Expression | FunctionNode, resolver: Resolver): boolean {
  if (looksLikeHandler(handler as ts.Expression)) return true;
  return (isFunctionNode(handler) ? [handler] : resolver.handlerFunctions(handler)).some((fn) => {
    const first = fn.parameters[0];
    return first !== undefined && ts.isIdentifier(first.name) && /^_?(req|request|ctx|context)$/.test(first.name.text);
  });
}

function escapeName(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** A call of a helper read as the route it registers. */
interface CallSiteRoute {
  method: string;
  /** The path when the call gives it as text (a literal or a template), else undefined. */
  path: string | undefined;
  /** The receiver the call hands in (for mount prefixes and the app-or-not verdict), or the helper's own. */
  receiver: ts.Expression;
  receiverFromCall: boolean;
  handlers: (ts.Expression | FunctionNode)[];
}

const ROUTE_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head']);
/** A verb call or an element-access call: what a helper's registration can look like, as text. */
const REGISTRATION_TEXT = /\.\s*(?:get|post|put|patch|delete|del|all|options|head)\s*\(|\]\s*\(/;
const MAX_SLOT_DEPTH = 6;
const MAX_HELPER_NESTING = 3;

const helperRoutesCache = new WeakMap<ts.SourceFile, HelperRoute[]>();

/** The helper routes written in a file (syntax only; cached per file). */
export function helperRoutesIn(file: ts.SourceFile): readonly HelperRoute[] {
  let routes = helperRoutesCache.get(file);
  if (!routes) {
    routes = REGISTRATION_TEXT.test(file.text) ? findHelperRoutes(file) : [];
    if (routes.length > 0) routes = [...routes, ...wrapperRoutes(file, routes)];
    helperRoutesCache.set(file, routes);
  }
  return routes;
}

function findHelperRoutes(file: ts.SourceFile): HelperRoute[] {
  const routes: HelperRoute[] = [];
  for (const { node, function: enclosing } of getFileFacts(file).calls) {
    if (!enclosing || !ts.isCallExpression(node) || node.arguments.length < 2) continue;
    const callee = skipOuterExpressions(node.expression);
    let verb: string | undefined;
    let methodExpression: ts.Expression | undefined;
    if (ts.isPropertyAccessExpression(callee) && ROUTE_VERBS.has(callee.name.text)) verb = callee.name.text;
    else if (ts.isElementAccessExpression(callee)) {
      const literal = stringValue(skipOuterExpressions(callee.argumentExpression));
      if (literal !== undefined && !ROUTE_VERBS.has(literal.toLowerCase())) continue;
      verb = literal;
      methodExpression = callee.argumentExpression;
    } else continue;
    const [path, ...handlerArguments] = node.arguments;
    const last = handlerArguments[handlerArguments.length - 1];
    if (ts.isSpreadElement(path)) continue;
    // The helper is the nearest function around the registration whose parameters give the route's handler.
    let helper: FunctionNode | undefined = enclosing;
    for (let nesting = 0; helper && nesting < MAX_HELPER_NESTING; nesting++, helper = enclosingFunctionOf(helper)) {
      const handlerSlots = slotsOf(ts.isSpreadElement(last) ? last.expression : last, helper);
      const actions = handlerSlots.length === 0 ? controllerActions(last, helper) : undefined;
      if (handlerSlots.length === 0 && !actions) continue;
      const methodSlots = verb === undefined && methodExpression ? slotsOf(methodExpression, helper) : [];
      if (verb === undefined && methodSlots.length === 0) break;
      const names = helperNames(helper);
      const receiverSlots = slotsOf(callee.expression, helper);
      // `Topics.get(tid, uid)`, `activitypub.get('uid', uid, id)`: a model's getter, not a route; the app is handed in or named as one, and the path is one.
      if (names.length === 0 || (receiverSlots.length === 0 && !namedLikeApp(callee.expression)) || !isPathShaped(path, helper)) break;
      routes.push({
        onlyFor: switchedMethod(node, helper),
        helper,
        names,
        shared: isShared(helper),
        method: verb !== undefined ? verbLabel(verb) : methodSlots,
        path,
        receiver: ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : callee,
        receiverSlots,
        handlers: handlerArguments.map((argument) => slotsOf(ts.isSpreadElement(argument) ? argument.expression : argument, helper!)).filter((slots) => slots.length > 0),
        actions,
      });
      break;
    }
  }
  return routes;
}

/**
 * Helpers of the same module that register through another helper, handing it their own arguments:
 * `function apiRoute(method, path, handler) { route(method, path, [auth], handler, apiResultHandler); }`
 * over `function route(method, path, middleware, handler) { router[method](path, …) }`, or
 * `const get = (path, handler) => route('get', path, [], handler)`. A call of the wrapper is the route
 * the inner call would register with the wrapper's arguments in its places. Wrappers of wrappers are
 * followed to MAX_HELPER_NESTING; a wrapper whose method, path or handler is none of its own
 * arguments (or a written verb) registers nothing of the call's.
 */
function wrapperRoutes(file: ts.SourceFile, routes: readonly HelperRoute[]): HelperRoute[] {
  const found: HelperRoute[] = [];
  let inner = routes;
  for (let nesting = 0; inner.length > 0 && nesting < MAX_HELPER_NESTING; nesting++) {
    const byName = new Map<string, HelperRoute[]>();
    for (const route of inner) for (const name of route.names) byName.set(name, [...(byName.get(name) ?? []), route]);
    const next: HelperRoute[] = [];
    for (const { node, function: wrapper } of getFileFacts(file).calls) {
      if (!wrapper || !ts.isCallExpression(node) || node.arguments.some(ts.isSpreadElement)) continue;
      const callee = skipOuterExpressions(node.expression);
      if (!ts.isIdentifier(callee) || isShadowed(callee, callee.text)) continue;
      for (const route of byName.get(callee.text) ?? []) {
        if (within(node, route.helper) || [...routes, ...found, ...next].some((known) => known.helper === wrapper)) continue;
        const wrapped = wrapperRoute(route, node, wrapper);
        if (wrapped) next.push(wrapped);
      }
    }
    found.push(...next);
    inner = next;
  }
  return found;
}

/** The route a wrapper registers through `call` of the helper `route`, or undefined when the call does not pass the wrapper's arguments on. */
function wrapperRoute(route: HelperRoute, call: ts.CallExpression, wrapper: FunctionNode): HelperRoute | undefined {
  if (route.onlyFor) return undefined;
  const names = helperNames(wrapper);
  if (names.length === 0) return undefined;
  const through = (slots: readonly ArgumentSlot[]): { slots: ArgumentSlot[]; arguments: ts.Expression[] } => {
    const given = slots.map((slot) => argumentAt(call, slot)).filter((argument): argument is ts.Expression => argument !== undefined);
    return { slots: unique(given.flatMap((argument) => slotsOf(argument, wrapper))), arguments: given };
  };
  let method: HelperRoute['method'];
  if (typeof route.method === 'string') method = route.method;
  else {
    const { slots, arguments: given } = through(route.method);
    const written = given.length === 1 ? stringValue(skipOuterExpressions(given[0])) : undefined;
    if (written !== undefined) {
      if (!ROUTE_VERBS.has(written.toLowerCase())) return undefined;
      method = verbLabel(written.toLowerCase());
    } else if (slots.length > 0) method = slots;
    else return undefined;
  }
  // The path: the argument the call gives where the helper takes its path, or the helper's own written path.
  const pathSlots = slotsOf(route.path, route.helper);
  const path = pathSlots.length === 0 ? (stringValue(skipOuterExpressions(route.path)) !== undefined ? route.path : undefined) : pathSlots.length === 1 ? argumentAt(call, pathSlots[0]) : undefined;
  if (!path || !isPathShaped(path, wrapper)) return undefined;
  const handlers = route.handlers.map((slots) => through(slots).slots).filter((slots) => slots.length > 0);
  if (handlers.length === 0) return undefined;
  let receiver = route.receiver;
  let receiverSlots: ArgumentSlot[] = [];
  if (route.receiverSlots.length > 0) {
    const given = through(route.receiverSlots);
    if (given.arguments.length !== 1) return undefined;
    receiver = given.arguments[0];
    receiverSlots = given.slots;
  }
  return { helper: wrapper, names, shared: isShared(wrapper), method, path, receiver, receiverSlots, handlers };
}

/** A path written in the helper (`'/health'`, `` `/api${name}` ``, `'/v1' + path`) or given by the call (`name`). */
function isPathShaped(path: ts.Expression, helper: FunctionNode): boolean {
  const value = skipOuterExpressions(path);
  if (ts.isTemplateExpression(value)) return value.head.text.startsWith('/') || (value.head.text === '' && value.templateSpans.some((span) => slotsOf(span.expression, helper).length > 0));
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) return isPathShaped(value.left, helper) || slotsOf(value.right, helper).length > 0;
  const text = stringValue(value);
  if (text !== undefined) return text.startsWith('/') || text.startsWith('*');
  return slotsOf(value, helper).length > 0;
}

/**
 * A call of the helper as the route it registers: the method and path it gives (a verb the call
 * does not give as text is no route), its receiver and the handlers in the places the helper
 * passes on. Undefined when the call's arguments cannot be placed (spread arguments).
 */
function callSiteRoute(route: HelperRoute, call: ts.CallExpression, turn: LoopTurn, resolver: Resolver): CallSiteRoute | undefined {
  if (call.arguments.some(ts.isSpreadElement)) return undefined;
  // In a loop's turn, or for a controller's action, an argument is read through names to the table's text (`item.method`, `prefix + item.path`).
  const read = turn.length > 0 || route.actions !== undefined;
  const textOf = (argument: ts.Expression): string | undefined => stringValue(skipOuterExpressions(argument)) ?? (read ? textIn(argument, turn, resolver) : undefined);
  if (route.onlyFor) {
    const given = route.onlyFor.slots.length === 1 ? argumentAt(call, route.onlyFor.slots[0]) : undefined;
    const text = given && textOf(given);
    if (text === undefined || text.toLowerCase() !== route.onlyFor.value.toLowerCase()) return undefined;
  }
  let method: string | undefined;
  if (typeof route.method === 'string') method = route.method;
  else {
    const given = route.method.map((slot) => argumentAt(call, slot)).map((argument) => argument && (methodConstant(argument) ?? (read ? textOf(argument) : undefined)));
    const verb = given.length === 1 ? given[0] : undefined;
    method = verb !== undefined && ROUTE_VERBS.has(verb.toLowerCase()) ? verbLabel(verb.toLowerCase()) : undefined;
  }
  if (method === undefined) return undefined;
  const handlers: (ts.Expression | FunctionNode)[] = [];
  for (const slots of route.handlers) {
    for (const slot of slots) {
      const given = argumentAt(call, slot);
      // A row's handler (`r.handler`) is the one the turn's row names.
      const argument = given && turn.length > 0 && readsLoopName(given, turn) ? valueIn(given, turn, resolver) : given;
      if (argument && !handlers.includes(argument)) handlers.push(argument);
    }
  }
  if (route.actions) {
    const actions = route.actions.calls.flatMap((action) => actionsGiven(action, call, turn, resolver));
    if (actions.length === 0) return undefined;
    handlers.push(route.actions.inline, ...actions);
  }
  if (handlers.length === 0) return undefined;
  const receiverArgument = route.receiverSlots.length === 1 ? argumentAt(call, route.receiverSlots[0]) : undefined;
  return {
    method,
    path: pathAt(route.path, route.helper, call, read ? (argument) => textIn(argument, turn, resolver) : undefined),
    receiver: receiverArgument ?? route.receiver,
    receiverFromCall: receiverArgument !== undefined,
    handlers,
  };
}

/**
 * The verb a call gives: written as text (`'post'`), or a constant of the calling module that holds it
 * (`const GET = 'get', PST = 'post'; route(PST, '/login', …)`), not a local or parameter of that name.
 */
function methodConstant(argument: ts.Expression): string | undefined {
  const value = skipOuterExpressions(argument);
  const text = stringValue(value);
  if (text !== undefined || !ts.isIdentifier(value) || isShadowed(value, value.text)) return text;
  const declaration = getFileFacts(value.getSourceFile()).topLevel.get(value.text);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  return stringValue(skipOuterExpressions(declaration.initializer));
}

function argumentAt(call: ts.CallExpression, slot: ArgumentSlot): ts.Expression | undefined {
  const index = slot.fromEnd ? call.arguments.length - slot.index : slot.index;
  const argument = index >= 0 ? call.arguments[index] : undefined;
  if (!argument || slot.property === undefined) return argument;
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (propertyNameText(property.name) !== slot.property) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

/** The switch over the call's method a registration is a case of: `switch (method) { case 'GET': app.get(path, handler) }`. */
function switchedMethod(registration: ts.Node, helper: FunctionNode): HelperRoute['onlyFor'] {
  for (let node = registration.parent; node && node !== helper; node = node.parent) {
    if (!ts.isCaseClause(node)) continue;
    const value = stringValue(skipOuterExpressions(node.expression));
    let subject = skipOuterExpressions(node.parent.parent.expression);
    // switch (method.toUpperCase())
    if (ts.isCallExpression(subject) && subject.arguments.length === 0 && ts.isPropertyAccessExpression(subject.expression) && /^to(Upper|Lower)Case$/.test(subject.expression.name.text)) subject = skipOuterExpressions(subject.expression.expression);
    const slots = slotsOf(subject, helper);
    return value !== undefined && slots.length > 0 ? { slots, value } : undefined;
  }
  return undefined;
}

/** The route's path as the call gives it: `name` → `'/login'`, `` `/api${name}` `` → `/api/login`. */
function pathAt(path: ts.Expression, helper: FunctionNode, call: ts.CallExpression, textOf?: (argument: ts.Expression) => string | undefined, depth = 0): string | undefined {
  const value = skipOuterExpressions(path);
  const literal = stringValue(value);
  if (literal !== undefined) return literal;
  if (depth > 2) return undefined;
  if (ts.isTemplateExpression(value)) {
    let text = value.head.text;
    for (const span of value.templateSpans) {
      const part = pathAt(span.expression, helper, call, textOf, depth + 1);
      text += (part ?? `\${${span.expression.getText()}}`) + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = pathAt(value.left, helper, call, textOf, depth + 1);
    const right = pathAt(value.right, helper, call, textOf, depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  const slots = slotsOf(value, helper);
  const argument = slots.length === 1 ? argumentAt(call, slots[0]) : undefined;
  if (!argument) return undefined;
  const read = textOf?.(argument);
  if (read !== undefined) return read;
  const given = routePath(argument);
  return given !== undefined && !given.startsWith('<') ? given : undefined;
}

/**
 * The controller actions a helper's inline handler runs by the names its call gives: `inst[action](ctx)`,
 * `inst[action].call(inst, ctx)` with `inst = new Controller(ctx)`, or `controller[action](req, res)`,
 * the class (or object) and the action each a parameter of the helper. Undefined when it runs none.
 */
function controllerActions(argument: ts.Expression, helper: FunctionNode): HelperRoute['actions'] {
  const inline = skipOuterExpressions(argument);
  if (!(ts.isArrowFunction(inline) || ts.isFunctionExpression(inline)) || !looksLikeHandler(inline)) return undefined;
  const calls: ControllerAction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isElementAccessExpression(node) && isCalledMember(node)) {
      const action = slotsOf(node.argumentExpression, helper);
      const owner = skipOuterExpressions(node.expression);
      const created = ts.isIdentifier(owner) ? createdFrom(owner, inline) : undefined;
      const ownerSlots = created ? slotsOf(created, helper) : slotsOf(owner, helper);
      if (action.length > 0 && ownerSlots.length > 0) calls.push({ owner: ownerSlots, action, constructed: created !== undefined });
    }
    ts.forEachChild(node, visit);
  };
  visit(inline.body);
  return calls.length > 0 ? { inline, calls } : undefined;
}

/** The class a local of the inline handler is created from: `const inst = new Controller(ctx)` gives `Controller`. */
function createdFrom(name: ts.Identifier, inline: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  let created: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (created) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name.text && node.initializer) {
      let value = skipOuterExpressions(node.initializer);
      if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
      if (ts.isNewExpression(value)) created = value.expression;
    }
    ts.forEachChild(node, visit);
  };
  visit(inline.body);
  return created;
}

/** The members a call's controller and action name: the class's (or object's) method, and its constructor when the helper creates one per request. */
function actionsGiven(action: ControllerAction, call: ts.CallExpression, turn: LoopTurn, resolver: Resolver): FunctionNode[] {
  const ownerArgument = action.owner.length === 1 ? argumentAt(call, action.owner[0]) : undefined;
  const nameArgument = action.action.length === 1 ? argumentAt(call, action.action[0]) : undefined;
  const owner = ownerArgument && valueIn(ownerArgument, turn, resolver);
  const name = nameArgument && (stringValue(skipOuterExpressions(nameArgument)) ?? textIn(nameArgument, turn, resolver));
  if (!owner || name === undefined) return [];
  return controllerMembers(owner, name, action.constructed, resolver);
}

/**
 * Where an expression inside a helper comes from among the helper's arguments: a parameter, an
 * element of a rest parameter (`args[1]`, `args[args.length - 1]`, `const [router, name] = args`),
 * a local set from them (every assignment counts), an array or conditional of them, a wrapper's
 * argument (`tryRoute(controller)`, `asyncHandler(h)`, `h.bind(this)`), or a parameter that an
 * inline function calls (`(req, res) => handler(req, res)`).
 */
function slotsOf(expression: ts.Expression, helper: FunctionNode, seen = new Set<ts.Node>(), depth = 0): ArgumentSlot[] {
  if (depth > MAX_SLOT_DEPTH) return [];
  const value = skipOuterExpressions(expression);
  const next = (inner: ts.Expression): ArgumentSlot[] => slotsOf(inner, helper, seen, depth + 1);
  if (ts.isIdentifier(value)) return slotsOfName(value, helper, seen, depth);
  if (ts.isElementAccessExpression(value)) return restElementSlot(value, helper);
  if (ts.isConditionalExpression(value)) return unique([...next(value.whenTrue), ...next(value.whenFalse)]);
  if (ts.isBinaryExpression(value) && (value.operatorToken.kind === ts.SyntaxKind.BarBarToken || value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return unique([...next(value.left), ...next(value.right)]);
  if (ts.isArrayLiteralExpression(value)) return unique(value.elements.flatMap((element) => next(ts.isSpreadElement(element) ? element.expression : element)));
  if (ts.isCallExpression(value)) {
    const callee = skipOuterExpressions(value.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return next(callee.expression);
    return unique(value.arguments.flatMap((argument) => next(ts.isSpreadElement(argument) ? argument.expression : argument)));
  }
  // (req, res) => handler(req, res): an inline handler that runs the one it was given.
  if ((ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && looksLikeHandler(value)) {
    const called: ArgumentSlot[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression))) called.push(...slotsOfName(skipOuterExpressions(node.expression) as ts.Identifier, helper, seen, depth + 1));
      ts.forEachChild(node, visit);
    };
    visit(value.body);
    return unique(called);
  }
  return [];
}

function slotsOfName(name: ts.Identifier, helper: FunctionNode, seen: Set<ts.Node>, depth: number): ArgumentSlot[] {
  for (let node: ts.Node = name.parent; ; node = node.parent) {
    if (isFunctionNode(node)) {
      const index = node.parameters.findIndex((parameter) => bindsName(parameter.name, name.text));
      if (index >= 0) {
        const parameter = node.parameters[index];
        // A parameter of a function inside the helper is that function's, not the helper's.
        if (node !== helper || parameter.dotDotDotToken) return [];
        if (ts.isIdentifier(parameter.name)) return [{ index, fromEnd: false }];
        // register({ method, path, handler }): a property of the argument.
        const element = ts.isObjectBindingPattern(parameter.name) ? parameter.name.elements.find((candidate) => !candidate.dotDotDotToken && ts.isIdentifier(candidate.name) && candidate.name.text === name.text) : undefined;
        const property = element && propertyNameText(element.propertyName ?? element.name);
        return property !== undefined ? [{ index, fromEnd: false, property }] : [];
      }
      if (node === helper) return [];
    }
    if (ts.isSourceFile(node)) return [];
    if (!ts.isBlock(node)) continue;
    for (const statement of node.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!bindsName(declaration.name, name.text)) continue;
        if (seen.has(declaration)) return [];
        seen.add(declaration);
        if (ts.isArrayBindingPattern(declaration.name)) return destructuredRestSlot(declaration.name, name.text, declaration.initializer, helper);
        if (!ts.isIdentifier(declaration.name)) return [];
        return unique(valuesOf(declaration, helper).flatMap((value) => slotsOf(value, helper, seen, depth + 1)));
      }
    }
  }
}

/** A local's initializer and every `name = …` in the helper. */
function valuesOf(declaration: ts.VariableDeclaration, helper: FunctionNode): ts.Expression[] {
  const name = (declaration.name as ts.Identifier).text;
  const values = declaration.initializer ? [declaration.initializer] : [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) values.push(node.right);
    ts.forEachChild(node, visit);
  };
  if (helper.body) visit(helper.body);
  return values;
}

/** `const [router, name] = args` with `args` the helper's rest parameter: `name` is the argument at the rest's index plus one. */
function destructuredRestSlot(pattern: ts.ArrayBindingPattern, name: string, initializer: ts.Expression | undefined, helper: FunctionNode): ArgumentSlot[] {
  const rest = initializer && restParameterIndex(skipOuterExpressions(initializer), helper);
  if (rest === undefined) return [];
  const position = pattern.elements.findIndex((element) => ts.isBindingElement(element) && !element.dotDotDotToken && ts.isIdentifier(element.name) && element.name.text === name);
  return position >= 0 ? [{ index: rest + position, fromEnd: false }] : [];
}

/** `args[2]`, `args[args.length - 1]` of the helper's rest parameter `...args`. */
function restElementSlot(access: ts.ElementAccessExpression, helper: FunctionNode): ArgumentSlot[] {
  const owner = skipOuterExpressions(access.expression);
  const rest = restParameterIndex(owner, helper);
  if (rest === undefined) return [];
  const key = skipOuterExpressions(access.argumentExpression);
  if (ts.isNumericLiteral(key)) return [{ index: rest + Number(key.text), fromEnd: false }];
  // args[args.length - 1]: counted from the end of the whole call.
  if (ts.isBinaryExpression(key) && key.operatorToken.kind === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(key.right)) {
    const length = skipOuterExpressions(key.left);
    if (ts.isPropertyAccessExpression(length) && length.name.text === 'length' && skipOuterExpressions(length.expression).getText() === owner.getText()) return [{ index: Number(key.right.text), fromEnd: true }];
  }
  return [];
}

/** The index of the helper's rest parameter when `expression` names it. */
function restParameterIndex(expression: ts.Expression, helper: FunctionNode): number | undefined {
  if (!ts.isIdentifier(expression)) return undefined;
  const index = helper.parameters.findIndex((parameter) => parameter.dotDotDotToken !== undefined && ts.isIdentifier(parameter.name) && parameter.name.text === expression.text);
  return index >= 0 ? index : undefined;
}

/** The names a helper is called by: its own, the variable or member it is assigned to. */
function helperNames(helper: FunctionNode): string[] {
  if (ts.isFunctionDeclaration(helper) || ts.isMethodDeclaration(helper)) {
    const name = helper.name && propertyNameText(helper.name);
    return name ? [name] : [];
  }
  if (!ts.isArrowFunction(helper) && !ts.isFunctionExpression(helper)) return [];
  let holder: ts.Node = helper.parent;
  while (ts.isParenthesizedExpression(holder)) holder = holder.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && holder.initializer && skipOuterExpressions(holder.initializer) === helper) {
    const name = propertyNameText(holder.name);
    return name ? [name] : [];
  }
  // helpers.setupPageRoute = function (…) { … }; exports.route = (…) => …
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuterExpressions(holder.right) === helper) {
    const target = skipOuterExpressions(holder.left);
    if (ts.isPropertyAccessExpression(target)) return [target.name.text];
    if (ts.isIdentifier(target)) return [target.text];
  }
  return [];
}

/** A module-scope function or a member (of a class, an object, `exports`): other modules may call it. */
function isShared(helper: FunctionNode): boolean {
  if (ts.isMethodDeclaration(helper)) return true;
  let holder: ts.Node = helper.parent;
  while (ts.isParenthesizedExpression(holder)) holder = holder.parent;
  if (ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder) || ts.isBinaryExpression(holder)) return true;
  return enclosingFunctionOf(helper) === undefined;
}

function enclosingFunctionOf(node: ts.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) return current;
  return undefined;
}

function verbLabel(verb: string): string {
  return verb === 'del' ? 'DELETE' : verb.toUpperCase();
}

function unique(slots: ArgumentSlot[]): ArgumentSlot[] {
  return slots.filter((slot, index) => slots.findIndex((other) => other.index === slot.index && other.fromEnd === slot.fromEnd && other.property === slot.property) === index);
}
