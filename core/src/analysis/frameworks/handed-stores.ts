import ts = require('typescript');
import { isFunctionNode, type FunctionNode } from '../file-facts';
import { requiredPath, resolveImportedMember } from '../imports';
import { propertyNameText, skipOuterExpressions } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

/**
 * What a tus server calls on the upload store it is given, while the upload request waits: tusboy
 * (and the abstract-tus-store interface it takes) and `@tus/server`'s `DataStore`. A store's other
 * methods (`deleteExpired`, a listing for an admin page) are the project's own calls.
 */
const TUSBOY_STORE_METHODS = ['create', 'info', 'append', 'del', 'createReadStream'];
const TUS_SERVER_STORE_METHODS = ['create', 'write', 'getUpload', 'remove', 'declareUploadLength'];

/** How far a store handed to middleware of the project's own is followed into the functions it passes the store on to. */
const MAX_HAND_ON_DEPTH = 3;

/**
 * An object of the project handed to middleware mounted on a route, `app.use('/files', tusboy(store))`
 * or `app.all('/files/*', (req, res) => tusServer.handle(req, res))` with `new Server({ datastore })`:
 * the middleware runs the object's methods while the route's request waits. Each method the
 * middleware's protocol names (what a known tus server calls, or what middleware the project wrote
 * calls on that parameter) is run by the route. Runs after the other detectors, over the routes
 * they found in this file.
 */
export function detectHandedStores(context: DetectorContext, found: EntryCandidate[]): void {
  for (const candidate of found.slice()) {
    if (candidate.framework !== 'http' && candidate.framework !== 'express') continue;
    for (const handler of candidate.handlers) {
      if (isFunctionNode(handler) && !ts.isArrowFunction(handler) && !ts.isFunctionExpression(handler)) continue;
      for (const handed of handedStores(context, handler)) {
        for (const method of handed.store.members) {
          if (!ts.isMethodDeclaration(method) || !method.body || !handed.methods.has(propertyNameText(method.name) ?? '')) continue;
          const className = handed.store.name?.text ?? 'store';
          found.push({ ...candidate, label: `${candidate.label} (${handed.by} runs ${className}.${propertyNameText(method.name)})`, handlers: [method] });
        }
      }
    }
  }
}

interface HandedStore {
  store: ts.ClassLikeDeclaration;
  /** The protocol's method names: what the middleware calls on it. */
  methods: ReadonlySet<string>;
  /** The middleware, as the label names it. */
  by: string;
}

function handedStores(context: DetectorContext, handler: ts.Expression): HandedStore[] {
  const value = skipOuterExpressions(handler);
  const tusServer = tusServerStore(context, value);
  if (tusServer) return [tusServer];
  if (!ts.isCallExpression(value) || requiredPath(value) !== undefined) return [];
  const callee = skipOuterExpressions(value.expression);
  const by = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : 'middleware';
  const result: HandedStore[] = [];
  value.arguments.forEach((argument, position) => {
    const store = projectInstanceClass(context, argument);
    if (!store) return;
    const member = resolveImportedMember(value.expression, context.facts.imports);
    if (member?.module === 'tusboy') {
      result.push({ store, methods: new Set(TUSBOY_STORE_METHODS), by });
      return;
    }
    const methods = new Set<string>();
    for (const target of context.resolver.callTargets(value)) collectParameterCalls(context, target, position, methods, 0, new Set());
    if (methods.size > 0) result.push({ store, methods, by });
  });
  return result;
}

/**
 * `tusServer.handle.bind(tusServer)`, `tusServer.handle`, or a handler calling `tusServer.handle(req, res)`,
 * where `tusServer` is `new Server({ datastore: new DiskStore() })` of `@tus/server` and the store's class is the project's.
 */
function tusServerStore(context: DetectorContext, value: ts.Expression): HandedStore | undefined {
  const receivers: ts.Expression[] = [];
  const handleReceiver = (expression: ts.Expression): void => {
    const access = skipOuterExpressions(expression);
    if (ts.isPropertyAccessExpression(access) && access.name.text === 'handle') receivers.push(access.expression);
  };
  const callee = ts.isCallExpression(value) ? skipOuterExpressions(value.expression) : undefined;
  if (callee && ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') {
    handleReceiver(callee.expression);
  } else if (ts.isPropertyAccessExpression(value)) {
    handleReceiver(value);
  } else if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) handleReceiver(node.expression);
      if (!isFunctionNode(node) || node === value) ts.forEachChild(node, visit);
    };
    visit(value);
  }
  for (const receiver of receivers) {
    const server = initializerOf(context, receiver);
    if (!server || !ts.isNewExpression(server) || resolveImportedMember(server.expression, context.facts.imports)?.module !== '@tus/server') continue;
    const options = server.arguments?.[0] && skipOuterExpressions(server.arguments[0]);
    if (!options || !ts.isObjectLiteralExpression(options)) continue;
    const datastore = options.properties.find((property) => propertyNameText(property.name) === 'datastore');
    const given = datastore && (ts.isPropertyAssignment(datastore) ? datastore.initializer : ts.isShorthandPropertyAssignment(datastore) ? datastore.name : undefined);
    const store = given && projectInstanceClass(context, given);
    if (store) return { store, methods: new Set(TUS_SERVER_STORE_METHODS), by: '@tus/server' };
  }
  return undefined;
}

/** `new Store(dir)`, or a name bound to it once (`const store = new Store(dir)`), of a class the project defines. */
function projectInstanceClass(context: DetectorContext, expression: ts.Expression): ts.ClassLikeDeclaration | undefined {
  const value = skipOuterExpressions(expression);
  const created = ts.isNewExpression(value) ? value : initializerOf(context, value);
  if (!created || !ts.isNewExpression(created)) return undefined;
  const classes = context.resolver.declarationsOf(created.expression).filter(ts.isClassLike);
  return classes.length === 1 ? classes[0] : undefined;
}

/** The value a `const` (or a `let` never assigned again) was created with. */
function initializerOf(context: DetectorContext, expression: ts.Expression): ts.Expression | undefined {
  if (!ts.isIdentifier(expression)) return undefined;
  const declarations = context.resolver.declarationsOf(expression);
  if (declarations.length !== 1) return undefined;
  const [declaration] = declarations;
  return ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
}

/**
 * The methods middleware the project wrote calls on its parameter at `position`: `store.create(…)`
 * anywhere in its body (the handlers it returns included), and in the functions it hands the
 * parameter on to, `post(store, opts)`.
 */
function collectParameterCalls(context: DetectorContext, fn: FunctionNode, position: number, methods: Set<string>, depth: number, seen: Set<FunctionNode>): void {
  if (seen.has(fn) || depth > MAX_HAND_ON_DEPTH || !fn.body) return;
  seen.add(fn);
  const parameter = fn.parameters[position];
  if (!parameter || !ts.isIdentifier(parameter.name)) return;
  const name = parameter.name.text;
  const isParameter = (node: ts.Expression): boolean => {
    const value = skipOuterExpressions(node);
    return ts.isIdentifier(value) && value.text === name;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && isParameter(callee.expression)) methods.add(callee.name.text);
      node.arguments.forEach((argument, index) => {
        if (!isParameter(argument)) return;
        for (const target of context.resolver.callTargets(node)) collectParameterCalls(context, target, index, methods, depth + 1, seen);
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
}
