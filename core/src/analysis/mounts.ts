import ts = require('typescript');
import { getFileFacts } from './file-facts';
import { routerKeysAbove } from './frameworks/events';
import type { EntryCandidate } from './frameworks/types';
import { routePath } from './frameworks/http-routers';
import { requiredPath } from './imports';
import type { Resolver } from './resolve';
import { isNonServerPath } from './paths';
import { propertyNameText, skipOuterExpressions, stringValue } from './text';

/**
 * Router mount prefixes: `app.use('/products', productsRouter)` makes `productsRouter.get('/:id')`
 * `GET /products/:id`; so do Koa's `api.use('/products', products.routes())`, Hono's
 * `app.route('/products', products)` and Fastify's `fastify.register(plugin, { prefix: '/products' })`
 * (the plugin's routes are registered on its first parameter). A router's own prefix comes after its
 * mount: `new Router({ prefix: '/api' })`, `new Hono().basePath('/api')`. Nested mounts add up. Routers
 * are matched by declaration (any file when typed, or untyped with a project index: `export default
 * router`, `module.exports = router`).
 */
export class MountPrefixes {
  private readonly prefixes = new Map<ts.Node, string[]>();
  /** The router a router is mounted on (`api` for `api.use('/v1', v1)`), for nested prefixes. */
  private readonly parents = new Map<ts.Node, ts.Node | undefined>();
  /** The same, for `use` mounts of routers held in variables alone: how routes were named before the other frameworks' mounts were read (`wordsOf`). */
  private readonly usePrefixes = new Map<ts.Node, string[]>();
  private readonly useParents = new Map<ts.Node, ts.Node | undefined>();
  /** tRPC: where a router is merged under a key (`post` in `router({ post: postRouter })`), asked for when a procedure is labelled. */
  private readonly merges = new Map<ts.Node, MergedRouter[]>();

  /** The files whose mounts are read: the graph's that mount anything, and the files they miss that register plugins. */
  private readonly files: Set<ts.SourceFile>;
  private pluginFilesRead = false;

  constructor(files: readonly ts.SourceFile[], private readonly resolver: Resolver) {
    this.files = new Set(files);
    for (const file of files) this.readMounts(file, () => true);
  }

  private readMounts(file: ts.SourceFile, wanted: (call: MountCall) => boolean): void {
    for (const call of mountCalls(file)) {
      if (!wanted(call)) continue;
      const { node, callee, prefix, kind } = call;
      if (kind === 'use') {
        for (const router of node.arguments.slice(1).flatMap((argument) => this.routerDeclaration(argument, true) ?? [])) {
          this.usePrefixes.set(router, [...(this.usePrefixes.get(router) ?? []), prefix]);
          this.useParents.set(router, this.routerDeclaration(callee.expression, true));
        }
      }
      const mounted = kind === 'register' ? this.pluginFunctions(node.arguments[0]) : node.arguments.slice(1).flatMap((argument) => this.routerDeclaration(argument) ?? []);
      for (const router of mounted) {
        const list = this.prefixes.get(router) ?? [];
        list.push(prefix);
        this.prefixes.set(router, list);
        this.parents.set(router, this.routerDeclaration(callee.expression));
      }
    }
  }

  /**
   * A Fastify plugin is often registered from a file that registers no route itself (`app.ts` registering
   * `routes/index.ts`), which the graph's files may not hold untyped: the files that write `register(`
   * are read once, when a plugin's route is first named.
   */
  private readPluginFiles(): void {
    if (this.pluginFilesRead) return;
    this.pluginFilesRead = true;
    for (const file of this.resolver.filesMatching(/\.register\s*\(/) ?? []) {
      if (!this.files.has(file)) this.readMounts(file, (call) => call.kind === 'register');
    }
  }

  /**
   * The label the readings that go by a route's words read (`POST /login` says a state is users'):
   * the written path with Express-style `use` mounts of routers held in variables, as routes were
   * named before Koa's, Hono's, Fastify's, Nest's and tRPC's prefixes were read, so naming routes
   * better does not change what a state is taken to hold.
   */
  wordsOf(candidate: EntryCandidate): string {
    if (!candidate.route || candidate.framework === 'fastify') return candidate.label;
    return prefixedLabel(candidate.label, candidate.route, this.usePrefix(this.routerDeclaration(candidate.route.receiver, true), 0));
  }

  private usePrefix(router: ts.Node | undefined, depth: number): string | undefined {
    if (!router || depth > 8) return undefined;
    const own = this.usePrefixes.get(router);
    if (!own || own.length !== 1) return undefined;
    const outer = this.usePrefix(this.useParents.get(router), depth + 1);
    return joinPaths(outer ?? '', own[0]);
  }

  /** The label with the router's mount prefix, e.g. `GET /products/:id`. Unchanged when the router is not mounted with a literal path. */
  labelOf(candidate: EntryCandidate): string {
    if (candidate.procedure) {
      const prefix = this.procedurePrefix(candidate.procedure.router, 0);
      return prefix ? `tRPC ${candidate.procedure.kind} ${prefix}.${candidate.procedure.path}` : candidate.label;
    }
    if (candidate.controllerRoute) {
      const global = this.globalPrefix();
      const { method, path, where } = candidate.controllerRoute;
      return global ? `${method} ${joinPaths(global, path)} (${where})` : candidate.label;
    }
    if (!candidate.route) return candidate.label;
    return prefixedLabel(candidate.label, candidate.route, this.fullPrefix(this.routerDeclaration(candidate.route.receiver), 0));
  }

  private fullPrefix(router: ts.Node | undefined, depth: number): string | undefined {
    if (!router || depth > 8) return undefined;
    if (ts.isFunctionLike(router)) this.readPluginFiles();
    const own = ownPrefix(router);
    const mounts = this.prefixes.get(router);
    if (!mounts || mounts.length !== 1) return own;
    const outer = this.fullPrefix(this.parents.get(router), depth + 1);
    return joinPaths(joinPaths(outer ?? '', mounts[0]), own ?? '');
  }

  /**
   * NestJS's `app.setGlobalPrefix('api')`, before every controller's path: read once, in the files that
   * write it (tests and scripts left out). None when the app sets two, builds it at run time or
   * excludes routes from it (`{ exclude: [...] }`).
   */
  private globalPrefix(): string | undefined {
    if (this.nestPrefix !== null) return this.nestPrefix;
    const prefixes = new Set<string | undefined>();
    for (const file of this.resolver.filesMatching(/\.setGlobalPrefix\s*\(/) ?? []) {
      if (isNonServerPath(file.fileName)) continue;
      for (const { node } of getFileFacts(file).calls) {
        if (!ts.isCallExpression(node)) continue;
        const callee = skipOuterExpressions(node.expression);
        if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'setGlobalPrefix') continue;
        const prefix = node.arguments.length === 1 ? stringValue(node.arguments[0]) : undefined;
        prefixes.add(prefix === undefined ? undefined : `/${prefix.replace(/^\/+|\/+$/g, '')}`);
      }
    }
    const [only] = prefixes;
    this.nestPrefix = prefixes.size === 1 && only !== '/' ? only : undefined;
    return this.nestPrefix;
  }

  private nestPrefix: string | undefined | null = null;

  /** The functions a Fastify `register` call's plugin stands for (an imported function, `require('./routes')`, an inline one, `fp(…)`). */
  private pluginFunctions(plugin: ts.Expression): ts.Node[] {
    try {
      return [...this.resolver.handlerFunctions(plugin)];
    } catch {
      return [];
    }
  }

  /** `post` for a router merged as `router({ post: postRouter })`, `api.post` when that router is merged under `api`. */
  private procedurePrefix(router: ts.VariableDeclaration | undefined, depth: number): string | undefined {
    if (!router || depth > 8) return undefined;
    const merges = this.mergesOf(router);
    if (merges.length !== 1) return undefined;
    const outer = this.procedurePrefix(merges[0].holder, depth + 1);
    return outer ? `${outer}.${merges[0].key}` : merges[0].key;
  }

  /** The merges of a router, read in the files that write its name (the program's or the index's; else the graph's mounting files). */
  private mergesOf(router: ts.VariableDeclaration): MergedRouter[] {
    const known = this.merges.get(router);
    if (known) return known;
    const found: MergedRouter[] = [];
    if (ts.isIdentifier(router.name)) {
      const name = router.name.text;
      const files = this.resolver.filesMatching(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`)) ?? [router.getSourceFile()];
      for (const file of files) {
        for (const merge of mergedRouters(file)) {
          const written = ts.isIdentifier(merge.value) ? merge.value.text : ts.isPropertyAccessExpression(merge.value) ? merge.value.name.text : undefined;
          if (written === name && merge.holder !== router && this.routerDeclaration(merge.value) === router) found.push(merge);
        }
      }
    }
    this.merges.set(router, found);
    return found;
  }

  private routerDeclaration(expression: ts.Expression, variablesOnly = false): ts.Node | undefined {
    let value = skipOuterExpressions(expression);
    if (variablesOnly) {
      const isRequired = ts.isCallExpression(value) && requiredPath(value) !== undefined;
      if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value) && !isRequired) return undefined;
      try {
        return this.resolver.declarationsOf(value).find(ts.isVariableDeclaration);
      } catch {
        return undefined;
      }
    }
    // router.post('/login', …).post('/upload', …): each registration of a chain is on the chain's router.
    while (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && CHAINED_REGISTRATIONS.has(value.expression.name.text)) value = skipOuterExpressions(value.expression.expression);
    // Koa: api.use('/books', books.routes(), books.allowedMethods()): the router whose routes are mounted.
    if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && ROUTER_MIDDLEWARE.has(value.expression.name.text)) value = skipOuterExpressions(value.expression.expression);
    // app.use('/users', require('./routes/users')): the router the module exports.
    const isRequire = ts.isCallExpression(value) && requiredPath(value) !== undefined;
    if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value) && !isRequire) return undefined;
    try {
      const declarations = this.resolver.declarationsOf(value);
      // Fastify: a plugin's routes are registered on its first parameter, which stands for the plugin function.
      const parameter = declarations.find(ts.isParameter) ?? (declarations.length === 0 && ts.isIdentifier(value) ? parameterNamed(value) : undefined);
      if (parameter && ts.isFunctionLike(parameter.parent) && parameter.parent.parameters[0] === parameter) return parameter.parent;
      return declarations.find(ts.isVariableDeclaration);
    } catch {
      return undefined;
    }
  }
}

interface MountCall {
  node: ts.CallExpression;
  callee: ts.PropertyAccessExpression;
  prefix: string;
  /** `use` and Hono's `route` mount the routers after the path; Fastify's `register` mounts the plugin before its options. */
  kind: 'use' | 'route' | 'register';
}

/** The parameter of an enclosing function that an identifier names (without a checker: the nearest function declaring it). */
function parameterNamed(identifier: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let current: ts.Node | undefined = identifier.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const parameter = current.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === identifier.text);
    if (parameter) return parameter;
  }
  return undefined;
}

/** Registrations that hand back their router, so the next one chains on it. */
const CHAINED_REGISTRATIONS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'use']);

/** A Koa router's middleware: what `api.use('/books', books.routes())` mounts stands for `books`. */
const ROUTER_MIDDLEWARE = new Set(['routes', 'middleware']);

/**
 * A router's own prefix, after wherever it is mounted: koa-router's `new Router({ prefix: '/api' })`,
 * Hono's `new Hono().basePath('/api')`.
 */
function ownPrefix(router: ts.Node): string | undefined {
  if (!ts.isVariableDeclaration(router) || !router.initializer) return undefined;
  for (let current = skipOuterExpressions(router.initializer); ; ) {
    if (ts.isNewExpression(current)) {
      const options = current.arguments?.[0] && skipOuterExpressions(current.arguments[0]);
      if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
      const prefix = options.properties.find((property) => ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'prefix');
      return prefix && ts.isPropertyAssignment(prefix) ? routePath(prefix.initializer) : undefined;
    }
    if (!ts.isCallExpression(current) || !ts.isPropertyAccessExpression(current.expression)) return undefined;
    if (current.expression.name.text === 'basePath' && current.arguments.length === 1) return routePath(current.arguments[0]);
    current = skipOuterExpressions(current.expression.expression);
  }
}

const mountCallsOf = new WeakMap<ts.SourceFile, MountCall[]>();

/** Whether a file mounts anything on a literal path (the files `MountPrefixes` needs). */
export function hasMountCalls(file: ts.SourceFile): boolean {
  return mountCalls(file).length > 0;
}

interface MergedRouter {
  /** `postRouter` in `router({ post: postRouter })`. */
  value: ts.Expression;
  /** `post`, or `api.post` for a router merged inside a nested literal. */
  key: string;
  /** The variable holding the router it is merged into (`appRouter`). */
  holder: ts.VariableDeclaration | undefined;
}

const mergedRoutersOf = new WeakMap<ts.SourceFile, MergedRouter[]>();

/** tRPC's `router({ key: otherRouter })`, `t.router(…)`, `createTRPCRouter(…)`: routers merged under a key (syntax only). */
function mergedRouters(file: ts.SourceFile): MergedRouter[] {
  let merged = mergedRoutersOf.get(file);
  if (merged) return merged;
  merged = [];
  for (const { node } of getFileFacts(file).calls) {
    if (!ts.isCallExpression(node) || node.arguments.length !== 1) continue;
    const callee = skipOuterExpressions(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name === undefined || !ROUTER_FACTORY.test(name)) continue;
    const routes = skipOuterExpressions(node.arguments[0]);
    if (!ts.isObjectLiteralExpression(routes)) continue;
    for (const property of routes.properties) {
      const value = ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (!value || (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value))) continue;
      merged.push({ value, key: routerKeysAbove(value).join('.'), holder: holderOf(node) });
    }
  }
  mergedRoutersOf.set(file, merged);
  return merged;
}

/** `router`, `t.router`, `createTRPCRouter`, `createRouter`: the names tRPC's router factory goes by. */
const ROUTER_FACTORY = /^(router|createTRPCRouter|createRouter)$/;

function holderOf(node: ts.Node): ts.VariableDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isVariableDeclaration(current)) return current;
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** A file's `x.use('/literal', …)` calls (syntax only: kept as long as the file is). */
function mountCalls(file: ts.SourceFile): MountCall[] {
  let calls = mountCallsOf.get(file);
  if (calls) return calls;
  calls = [];
  for (const { node } of getFileFacts(file).calls) {
    if (!ts.isCallExpression(node) || node.arguments.length < 2) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const kind = callee.name.text;
    if (kind === 'register') {
      const options = skipOuterExpressions(node.arguments[1]);
      const prefix = ts.isObjectLiteralExpression(options) ? options.properties.find((property) => ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'prefix') : undefined;
      const path = prefix && ts.isPropertyAssignment(prefix) ? routePath(prefix.initializer) : undefined;
      if (path !== undefined) calls.push({ node, callee, prefix: path, kind });
      continue;
    }
    if (kind !== 'use' && kind !== 'route') continue;
    const prefix = routePath(node.arguments[0]);
    if (prefix !== undefined) calls.push({ node, callee, prefix, kind });
  }
  mountCallsOf.set(file, calls);
  return calls;
}

/** `GET /api/books/:id`, or `middleware for /api`: a route's label under a prefix; the written label when there is none. */
function prefixedLabel(label: string, route: NonNullable<EntryCandidate['route']>, prefix: string | undefined): string {
  if (prefix === undefined || prefix === '') return label;
  if (route.method === 'USE') return `middleware for ${joinPaths(prefix, route.path)}`;
  return `${route.method} ${joinPaths(prefix, route.path)}`;
}

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}
