import ts = require('typescript');
import type { FunctionNode } from '../file-facts';
import { resolveImportedMember } from '../imports';
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import { detectKeyedTableRoute } from './keyed-route-tables';
import { detectTableRoute, tableRowsGiven } from './route-tables';
import type { DetectorContext, EntryCandidate } from './types';

/**
 * Express, Express Router, `app.route(p).verb`, Koa + @koa/router, Hono, Fastify (shorthand,
 * `route({ handler, preHandler })`, hooks), restify/polka-style routers, `http.createServer`; routes
 * registered from a table of rows in `route-tables.ts`.
 */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'any']);
/** A router's own verb methods named with a prefix: lin-mizar's `api.linGet(name, path, …)`, a wrapper's `router.authPost(path, …)`. */
const PREFIXED_VERB = /^[a-z]{2,}(Get|Post|Put|Patch|Delete)$/;
/**
 * The hooks and handlers a Fastify route's options name; `wsHandler` is @fastify/websocket's handler of the
 * route's WebSocket connections (`route({ method: 'GET', url, handler, wsHandler(socket, req) {} })`).
 */
const FASTIFY_HOOK_HANDLERS = ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse', 'handler', 'wsHandler'];
const SERVER_MODULES = new Set(['express', 'koa', '@koa/router', 'koa-router', 'hono', 'fastify', 'polka', 'restify', 'router', 'elysia', 'h3', '@hono/node-server']);
/** Browser frameworks whose app object has `use` and routes of its own (`const app = choo(); app.use(store)`): it runs in a page, not a server. */
const BROWSER_APP_MODULES = new Set(['choo', 'vue', 'preact', 'mithril', 'backbone', 'hyperapp', 'page', 'navigo', 'sammy', 'vue-router', 'react-router', 'react-router-dom']);
const APP_NAME = /^(app|application|router|routes?|server|api|fastify|instance|koa|hono|v\d+|\w*(Router|App|Server|Routes|Api))$/;
const NOT_A_SERVER = /^(\$|jQuery|axios|https?|rest|graphql|msw|worker|request|superagent|got|ky|fetch|\w*[cC]lient|cache|\w*Cache|redis|store|map|localStorage|sessionStorage|chai|i18n|i18next|passport|mongoose|Vue|vue|sinon|nock|mock\w*|cy|supertest|agent|db|knex|prisma|query|params|headers|cookies|searchParams|url)$/;
/** Request libraries and mocks whose `get('/path', fn)` looks like a route but is a client or a test double. */
const CLIENT_MODULES = new Set(['msw', 'axios', 'supertest', 'superagent', 'got', 'node-fetch', 'ky', 'undici', 'nock', '@angular/common/http', 'miragejs']);
const APP_TYPE_NAMES = new Set(['Express', 'Application', 'Router', 'IRouter', 'Hono', 'FastifyInstance', 'Koa', 'KoaRouter', 'Elysia', 'Polka', 'Server']);
const HANDLER_PARAMETER = /^_?(req|request|ctx|context|c|event|evt)$/;
/** `(_, reply) => …`, `(_unused, res) => …`: the request left unused, the response named as frameworks name it. */
const UNUSED_PARAMETER = /^_\w*$/;
const RESPONSE_PARAMETER = /^_?(res|response|reply)$/;

export function detectHttpRouters(context: DetectorContext, found: EntryCandidate[]): void {
  for (const { node } of context.facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (ROUTE_METHODS.has(method)) detectVerbRoute(context, node, callee, method, found);
      else if (PREFIXED_VERB.test(method)) detectVerbRoute(context, node, callee, method.replace(PREFIXED_VERB, '$1').toLowerCase(), found, true);
      else if (method === 'use') detectMiddleware(context, node, callee, found);
      else if (method === 'route') detectFastifyRoute(context, node, callee, found);
      else if (method === 'addHook') detectFastifyHook(context, node, callee, found);
      else if (method === 'on' && stringValue(node.arguments[0]) === 'upgrade') detectUpgrade(context, node, callee, found);
      else if (method === 'on') detectHonoOn(context, node, callee, found);
      else if (method === 'openapi') detectOpenApiRoute(context, node, callee, found);
      else if (method === 'createServer' || method === 'createSecureServer') detectNodeServer(context, node, found);
      else if (method === 'ws') detectExpressWsRoute(context, node, callee, found);
    } else if (ts.isIdentifier(callee) && (callee.text === 'createServer' || callee.text === 'createSecureServer')) {
      detectNodeServer(context, node, found);
    } else if (ts.isElementAccessExpression(callee)) {
      // app[route.method](route.path, route.handler) over a table of routes
      const isServer = receiverVerdict(context, callee.expression) === 'yes';
      detectTableRoute(context, node, callee, isServer, found);
      // router[method](path, …) with the method and path split from a table's key: 'post /login'
      detectKeyedTableRoute(context, node, callee, isServer, found);
    }
  }
}

function detectVerbRoute(context: DetectorContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string, found: EntryCandidate[], prefixed = false): void {
  // app.route('/p').get(h).post(h2)
  const chainedPath = prefixed ? undefined : routeChainPath(callee.expression);
  if (chainedPath !== undefined) {
    if (call.arguments.length === 0) return;
    found.push({ label: `${verbLabel(method)} ${chainedPath}`, framework: 'express', registration: callee.name, handlers: call.arguments });
    return;
  }
  if (call.arguments.length < 2) return;
  // A route's name before its path (koa-router's `router.get('user', '/users/:id', show)`, lin-mizar's `linGet`).
  const named = call.arguments.length >= 3 && stringValue(call.arguments[0]) !== undefined && routePath(call.arguments[0]) === undefined;
  const [first, ...rest] = named ? call.arguments.slice(1) : call.arguments;
  // A service's own router class keeps its routes by a key of its own (`router.put('api/items/:id', …)`).
  const ownRouterPath = named ? undefined : stringValue(first);
  const homeMade = routePath(first) === undefined && ownRouterPath !== undefined && isHomeMadeRouter(context, callee.expression);
  const path = homeMade ? ownRouterPath : routePath(first);
  if (path === undefined) return;
  // Fastify's route options (`fastify.post('/', { preValidation: [fastify.auth, fastify.upload], schema }, handler)`) run their hooks first.
  const optionHooks = rest.flatMap((argument) => fastifyOptionHandlers(skipOuterExpressions(argument)));
  const handlers = [...optionHooks, ...rest.filter((argument) => !ts.isObjectLiteralExpression(skipOuterExpressions(argument)))];
  if (handlers.length === 0) return;
  const verdict = homeMade ? 'yes' : receiverVerdict(context, callee.expression);
  if (verdict === 'no') return;
  const last = handlers[handlers.length - 1];
  if (verdict === 'unknown' && !(path.startsWith('/') && (ts.isMethodDeclaration(last) || looksLikeHandler(last)))) return;
  // `api.safeGet('/users', (err, body) => …)` is a client's helper even on a receiver named like an app: a prefixed verb needs a handler.
  if (prefixed && !(ts.isMethodDeclaration(last) || looksLikeHandler(last))) return;
  // In a chain (router.get(…).post(…)) every registration starts where the chain does: point at the method.
  const registration = ts.isCallExpression(skipOuterExpressions(callee.expression)) ? callee.name : call;
  found.push({ label: `${verbLabel(method)} ${path}`, framework: 'http', registration, handlers, route: { method: verbLabel(method), path, receiver: callee.expression } });
}

function detectMiddleware(context: DetectorContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, found: EntryCandidate[]): void {
  if (call.arguments.length === 0) return;
  const verdict = receiverVerdict(context, callee.expression);
  if (verdict !== 'yes') return;
  const first = call.arguments[0];
  const path = routePath(first);
  const handlers = path === undefined ? call.arguments : call.arguments.slice(1);
  const label = path === undefined ? 'middleware for all routes' : `middleware for ${path}`;
  found.push({ label, framework: 'http', registration: call, handlers, route: { method: 'USE', path: path ?? '', receiver: callee.expression } });
}

/** The hooks and handler in a Fastify route options object: `{ onRequest: [a, b], preHandler, handler() {} }`. */
function fastifyOptionHandlers(options: ts.Expression): (ts.Expression | ts.MethodDeclaration)[] {
  if (!ts.isObjectLiteralExpression(options)) return [];
  const handlers: (ts.Expression | ts.MethodDeclaration)[] = [];
  for (const property of options.properties) {
    const name = propertyNameText(property.name);
    if (name === undefined || !FASTIFY_HOOK_HANDLERS.includes(name)) continue;
    if (ts.isMethodDeclaration(property)) handlers.push(property);
    else if (ts.isPropertyAssignment(property)) handlers.push(property.initializer);
    else if (ts.isShorthandPropertyAssignment(property)) handlers.push(property.name);
  }
  return handlers;
}

/** fastify.route({ method, url, handler, preHandler, … }) */
function detectFastifyRoute(context: DetectorContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, found: EntryCandidate[]): void {
  const options = call.arguments.length === 1 ? skipOuterExpressions(call.arguments[0]) : undefined;
  if (!options) return;
  const verdict = receiverVerdict(context, callee.expression);
  // routes.forEach((route) => fastify.route(route)): each row of the table is a route's options.
  const rows = ts.isObjectLiteralExpression(options) ? [options] : verdict === 'yes' ? tableRowsGiven(options, context.resolver) : [];
  if (rows.length === 0 || verdict === 'no') return;
  for (const row of rows) fastifyRoute(row, row === options ? call : row, callee.expression, found);
}

function fastifyRoute(options: ts.ObjectLiteralExpression, registration: ts.Node, receiver: ts.Expression, found: EntryCandidate[]): void {
  let method = 'ROUTE';
  let url: string | undefined;
  const handlers: (ts.Expression | FunctionNode)[] = [];
  for (const property of options.properties) {
    const name = propertyNameText(property.name);
    if (name === undefined) continue;
    const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (ts.isMethodDeclaration(property) && FASTIFY_HOOK_HANDLERS.includes(name)) {
      handlers.push(property);
      continue;
    }
    if (!value) continue;
    if (name === 'method') method = methodText(value) ?? method;
    else if (name === 'url' || name === 'path') url = routePath(value);
    else if (FASTIFY_HOOK_HANDLERS.includes(name)) handlers.push(value);
  }
  if (url === undefined || handlers.length === 0) return;
  found.push({ label: `${method} ${url}`, framework: 'fastify', registration, handlers, route: { method, path: url, receiver } });
}

function detectFastifyHook(context: DetectorContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, found: EntryCandidate[]): void {
  const hook = stringValue(call.arguments[0]);
  if (hook === undefined || call.arguments.length < 2 || !/^(on|pre)[A-Z]/.test(hook) || hook === 'onReady' || hook === 'onClose' || hook === 'onListen' || hook === 'onRoute' || hook === 'onRegister') return;
  if (receiverVerdict(context, callee.expression) === 'no') return;
  found.push({ label: `${hook} hook for all routes`, framework: 'fastify', registration: call, handlers: call.arguments.slice(1) });
}

/**
 * `server.on('upgrade', (request, socket, head) => …)` on a Node HTTP server: each WebSocket
 * handshake is a request, answered (or refused) by this handler before any socket library sees it.
 * The handler must take the request first (`req`, `request`) and the socket second.
 */
function detectUpgrade(context: DetectorContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, found: EntryCandidate[]): void {
  const handler = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  if (!handler || call.arguments.length !== 2 || receiverVerdict(context, callee.expression) === 'no') return;
  if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) {
    const [request, socket] = handler.parameters;
    if (!request || !socket || !ts.isIdentifier(request.name) || !/^_?(req|request)$/.test(request.name.text) || !ts.isIdentifier(socket.name) || !/socket/i.test(socket.name.text)) return;
  } else if (!ts.isIdentifier(handler) && !ts.isPropertyAccessExpression(handler)) {
    return;
  } else if (!/server/i.test(callee.expression.getText())) {
    return;
  }
  found.push({ label: 'HTTP upgrade (WebSocket handshake)', framework: 'node:http', registration: call, handlers: [handler] });
}

/** Packages that give an Express app or router a `ws(path, …handlers)` method for WebSocket routes. */
const EXPRESS_WS_MODULES = new Set(['express-ws', '@wll8/express-ws', 'express-ws-routes']);

/**
 * express-ws: `app.ws('/games/:code', (socket, req) => …)` on an app or router the package patched
 * (`const { app } = expressWs(express())`, `require('express-ws')(app)`): each WebSocket that opens on
 * the path is a request, and what its handler registers on the socket runs on that connection's messages.
 * The receiver must be an app or router by what makes it, its type or its name (`router.ws` in a routes
 * file that never imports the package), or the file must import the package.
 */
function detectExpressWsRoute(context: DetectorContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, found: EntryCandidate[]): void {
  if (call.arguments.length < 2) return;
  const [first, ...handlers] = call.arguments;
  const path = routePath(first);
  if (path === undefined) return;
  const verdict = receiverVerdict(context, callee.expression);
  if (verdict === 'no') return;
  const importsPackage = [...context.facts.imports.values()].some((imported) => EXPRESS_WS_MODULES.has(imported.module));
  if (verdict !== 'yes' && !importsPackage) return;
  const registration = ts.isCallExpression(skipOuterExpressions(callee.expression)) ? callee.name : call;
  found.push({ label: `WS ${path}`, framework: 'express-ws', registration, handlers, route: { method: 'WS', path, receiver: callee.expression } });
}

/** Hono: app.on('POST', '/x', h) or app.on(['GET', 'POST'], '/x', h). */
function detectHonoOn(context: DetectorContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, found: EntryCandidate[]): void {
  if (call.arguments.length < 3) return;
  const method = methodText(call.arguments[0]);
  const path = routePath(call.arguments[1]);
  if (method === undefined || path === undefined || !/^[A-Z|]+$/.test(method)) return;
  if (receiverVerdict(context, callee.expression) === 'no') return;
  found.push({ label: `${method} ${path}`, framework: 'hono', registration: call, handlers: call.arguments.slice(2) });
}

/**
 * @hono/zod-openapi: `app.openapi(route, handler)` with `route = createRoute({ method, path, … })`,
 * inline, in this file or imported. The route's method and path label it when they can be read.
 */
function detectOpenApiRoute(context: DetectorContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, found: EntryCandidate[]): void {
  if (call.arguments.length < 2) return;
  const [route, handler] = call.arguments;
  const definition = routeDefinition(context, route);
  const verdict = receiverVerdict(context, callee.expression);
  if (verdict === 'no' || (verdict === 'unknown' && !definition && !looksLikeHandler(handler))) return;
  const method = definition ? methodText(definition.method) : undefined;
  const path = definition ? stringValue(skipOuterExpressions(definition.path)) : undefined;
  const label = method !== undefined && path !== undefined ? `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}` : `openapi ${route.getText()}`;
  found.push({ label, framework: 'hono', registration: call, handlers: [handler] });
}

/** The `{ method, path }` of `createRoute({ … })`, given inline or as the name of a declaration that holds it. */
function routeDefinition(context: DetectorContext, route: ts.Expression): { method: ts.Expression; path: ts.Expression } | undefined {
  let value = skipOuterExpressions(route);
  if (ts.isIdentifier(value)) {
    const declaration = context.resolver.declarationsOf(value).find(ts.isVariableDeclaration);
    if (!declaration?.initializer) return undefined;
    value = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isCallExpression(value) || value.arguments.length !== 1) return undefined;
  const callee = skipOuterExpressions(value.expression);
  if (!(ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '').endsWith('reateRoute')) return undefined;
  const options = skipOuterExpressions(value.arguments[0]);
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  let method: ts.Expression | undefined;
  let path: ts.Expression | undefined;
  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = propertyNameText(property.name);
    if (name === 'method') method = property.initializer;
    else if (name === 'path') path = property.initializer;
  }
  return method && path ? { method, path } : undefined;
}

function detectNodeServer(context: DetectorContext, call: ts.CallExpression, found: EntryCandidate[]): void {
  const member = resolveImportedMember(call.expression, context.facts.imports);
  const fromNodeHttp = member !== undefined && ['http', 'https', 'http2'].includes(member.module);
  const handler = call.arguments.find((argument) => {
    const value = skipOuterExpressions(argument);
    return !ts.isObjectLiteralExpression(value);
  });
  if (!handler) return;
  if (!fromNodeHttp && !looksLikeHandler(handler)) return;
  found.push({ label: 'every request (http.createServer)', framework: 'node:http', registration: call, handlers: [handler] });
}

/** `'/users/:id'`, a template, a regex, an array of paths, a concatenation with a path (`API + '/notes'`), or a named constant. */
export function routePath(node: ts.Expression): string | undefined {
  const value = skipOuterExpressions(node);
  const text = stringValue(value);
  if (text !== undefined) return text.startsWith('/') || text === '*' || text.startsWith('*') || text === '' ? text || '/' : undefined;
  if (ts.isTemplateExpression(value)) return value.getText().slice(1, -1);
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) return concatenatedPath(value);
  if (ts.isRegularExpressionLiteral(value)) return value.text;
  if (ts.isArrayLiteralExpression(value)) {
    const parts = value.elements.map((element) => routePath(element));
    return parts.every((part) => part !== undefined) && parts.length > 0 ? parts.join('|') : undefined;
  }
  if ((ts.isIdentifier(value) && /^[A-Z_0-9]+$|[pP]ath|[rR]oute|[uU]rl/.test(value.text)) || (ts.isPropertyAccessExpression(value) && /[pP]ath|[rR]oute|[uU]rl|^[A-Z]/.test(value.getText()))) {
    return `<${value.getText()}>`;
  }
  return undefined;
}

/**
 * `API + '/notes'`, `'/users/' + id`, `base + '/items/' + ':id'`: the path as a template writes it
 * (`${API}/notes`), when the pieces are text and names and one of them is a path's literal piece.
 */
function concatenatedPath(expression: ts.BinaryExpression): string | undefined {
  const pieces: ts.Expression[] = [];
  const flatten = (node: ts.Expression): void => {
    const value = skipOuterExpressions(node);
    if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      flatten(value.left);
      flatten(value.right);
    } else pieces.push(value);
  };
  flatten(expression);
  let text = '';
  let literalPath = false;
  for (const piece of pieces) {
    const literal = stringValue(piece);
    if (literal !== undefined) {
      literalPath ||= literal.includes('/');
      text += literal;
    } else if (ts.isTemplateExpression(piece)) {
      literalPath ||= piece.getText().includes('/');
      text += piece.getText().slice(1, -1);
    } else if (ts.isIdentifier(piece) || ts.isPropertyAccessExpression(piece)) text += `\${${piece.getText()}}`;
    else return undefined;
  }
  return literalPath ? text : undefined;
}

/**
 * The route a row of a hand-written router's table names (`{ method: 'PUT', pattern: /^\/items\/(\d+)$/, handler }`):
 * `PUT /^\/items\/(\d+)$/`, its path written as a framework's would be; undefined when the row says no method or no path.
 */
export function rowRouteLabel(row: ts.ObjectLiteralExpression): string | undefined {
  let method: string | undefined;
  let path: string | undefined;
  for (const property of row.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = propertyNameText(property.name);
    if (name === 'method' || name === 'verb') method = methodText(property.initializer);
    else if (name === 'path' || name === 'pattern' || name === 'url' || name === 'route') path = routePath(property.initializer);
  }
  return method && path && /^[A-Z|]+$/.test(method) ? `${method} ${path}` : undefined;
}

function methodText(node: ts.Expression): string | undefined {
  const value = skipOuterExpressions(node);
  const text = stringValue(value);
  if (text !== undefined) return text.toUpperCase();
  if (ts.isArrayLiteralExpression(value)) {
    const parts = value.elements.map((element) => stringValue(element));
    return parts.every((part) => part !== undefined) ? parts.map((part) => part.toUpperCase()).join('|') : undefined;
  }
  return undefined;
}

function verbLabel(method: string): string {
  return method === 'del' ? 'DELETE' : method.toUpperCase();
}

/** The path of `x.route('/p')` under a chain `x.route('/p').get(h).post(h2)`. */
function routeChainPath(expression: ts.Expression): string | undefined {
  let current = skipOuterExpressions(expression);
  for (let guard = 0; guard < 16 && ts.isCallExpression(current); guard++) {
    const callee = skipOuterExpressions(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (callee.name.text === 'route' && current.arguments.length === 1) return routePath(current.arguments[0]);
    if (!ROUTE_METHODS.has(callee.name.text)) return undefined;
    current = skipOuterExpressions(callee.expression);
  }
  return undefined;
}

export type Verdict = 'yes' | 'no' | 'unknown';

/** Is the receiver of `.get/.use/…` an app or router? By how it was created, its type, then its name. */
export function receiverVerdict(context: DetectorContext, receiver: ts.Expression): Verdict {
  let value = skipOuterExpressions(receiver);
  // router.get('/', list).post('/post', create): a chained registration returns the router.
  for (let guard = 0; guard < 32 && ts.isCallExpression(value); guard++) {
    const callee = skipOuterExpressions(value.expression);
    if (!ts.isPropertyAccessExpression(callee) || !(ROUTE_METHODS.has(callee.name.text) || callee.name.text === 'use')) break;
    value = skipOuterExpressions(callee.expression);
  }
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  if (ts.isIdentifier(value)) {
    const imported = context.facts.imports.get(value.text);
    if (imported && CLIENT_MODULES.has(imported.module)) return 'no';
    const declaration = context.facts.topLevel.get(value.text);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && createsServer(context, declaration.initializer)) return 'yes';
  }
  if (isBrowserAppFile(context)) return 'no';
  if (ts.isCallExpression(value) && createsServer(context, value)) return 'yes';
  const checker = context.resolver.checker;
  if (checker) {
    try {
      const type = checker.getTypeAtLocation(value);
      const typeName = type.aliasSymbol?.name ?? type.getSymbol()?.name;
      if (typeName && APP_TYPE_NAMES.has(typeName)) return 'yes';
    } catch {
      // fall through to the name
    }
  }
  if (name === undefined) return 'unknown';
  // `static router(express) { express.post('/uploads', …) }`: the app handed in under the framework's name.
  if (ts.isIdentifier(value) && name === 'express' && isParameter(value)) return 'yes';
  if (NOT_A_SERVER.test(name)) return 'no';
  return APP_NAME.test(name) ? 'yes' : 'unknown';
}

/**
 * A router the service wrote itself: the receiver is made by `new Router(…)` of a class in the
 * project whose verb methods (two or more of `get`, `post`, `put`, `patch`, `delete`/`del`) keep the
 * handler they are given in a field (`this.routes_.GET[path] = { handler }`,
 * `this.routes.push({ method, path, handler })`, `this.table.set(path, handler)`), for a middleware
 * of the app to look up and run. A class that keeps callbacks under other names is not one.
 */
function isHomeMadeRouter(context: DetectorContext, receiver: ts.Expression): boolean {
  const value = skipOuterExpressions(receiver);
  if (!ts.isIdentifier(value)) return false;
  const declaration = context.facts.topLevel.get(value.text);
  const created = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (!created || !ts.isNewExpression(created)) return false;
  const classes = context.resolver.declarationsOf(created.expression).filter(ts.isClassDeclaration);
  return classes.some((declaration) => declaration.members.filter((member) => ts.isMethodDeclaration(member) && keepsHandler(member)).length >= 2);
}

const OWN_ROUTER_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del']);

/** A verb method `get(path, handler)` whose body stores `handler` in a field of `this`. */
function keepsHandler(method: ts.MethodDeclaration): boolean {
  const name = propertyNameText(method.name);
  const handler = method.parameters[1]?.name;
  if (!name || !OWN_ROUTER_VERBS.has(name) || !method.body || !handler || !ts.isIdentifier(handler)) return false;
  let kept = false;
  const holdsHandler = (node: ts.Node): boolean => {
    const inner = skipOuterExpressions(node as ts.Expression);
    if (ts.isIdentifier(inner)) return inner.text === handler.text;
    return ts.isObjectLiteralExpression(inner) && inner.properties.some((property) => (ts.isShorthandPropertyAssignment(property) ? property.name.text === handler.text : ts.isPropertyAssignment(property) && holdsHandler(property.initializer)));
  };
  const visit = (node: ts.Node): void => {
    if (kept) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isThisField(node.left) && holdsHandler(node.right)) kept = true;
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(?:push|set|unshift)$/.test(node.expression.name.text) && isThisField(node.expression.expression) && node.arguments.some(holdsHandler)) kept = true;
    else ts.forEachChild(node, visit);
  };
  visit(method.body);
  return kept;
}

/** `this.routes`, `this.routes_.GET[path]`: a place under a field of the instance. */
function isThisField(node: ts.Expression): boolean {
  let current = skipOuterExpressions(node);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
    const owner = skipOuterExpressions(current.expression);
    if (owner.kind === ts.SyntaxKind.ThisKeyword) return true;
    current = owner;
  }
  return false;
}

/** A name bound by a parameter of a function around it (not an import of the module). */
function isParameter(name: ts.Identifier): boolean {
  for (let node: ts.Node | undefined = name.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node) && node.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name.text)) return true;
  }
  return false;
}

function createsServer(context: DetectorContext, initializer: ts.Expression): boolean {
  return createsFrom(context, initializer, SERVER_MODULES);
}

/** A file that imports a browser framework and no server framework: its `app.use(store)` and `app.route('/share/:id', page)` run in a page. */
function isBrowserAppFile(context: DetectorContext): boolean {
  const modules = [...context.facts.imports.values()].map((binding) => binding.module);
  return modules.some((module) => BROWSER_APP_MODULES.has(module)) && !modules.some((module) => SERVER_MODULES.has(module));
}

/** A call or `new` of what a module of `modules` exports: `express()`, `new Koa()`, `choo()`. */
function createsFrom(context: DetectorContext, initializer: ts.Expression, modules: ReadonlySet<string>): boolean {
  const value = skipOuterExpressions(initializer);
  if (!ts.isCallExpression(value) && !ts.isNewExpression(value)) return false;
  const member = resolveImportedMember(value.expression, context.facts.imports);
  return member !== undefined && modules.has(member.module);
}

/** A receiver named like an app or router (`app`, `router`, `this.app`, `apiRouter`) and not like a client or a store. */
export function namedLikeApp(receiver: ts.Expression): boolean {
  const value = skipOuterExpressions(receiver);
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  return name !== undefined && APP_NAME.test(name) && !NOT_A_SERVER.test(name);
}

/** A function literal whose first parameter is named like a request or context, or is left unused before a response. */
export function looksLikeHandler(node: ts.Expression): boolean {
  const value = skipOuterExpressions(node);
  if (!ts.isFunctionExpression(value) && !ts.isArrowFunction(value)) return ts.isIdentifier(value) && /handler|controller|middleware|route/i.test(value.text);
  const [first, second] = value.parameters;
  if (first === undefined || !ts.isIdentifier(first.name)) return false;
  if (HANDLER_PARAMETER.test(first.name.text)) return true;
  return UNUSED_PARAMETER.test(first.name.text) && second !== undefined && ts.isIdentifier(second.name) && RESPONSE_PARAMETER.test(second.name.text);
}
