import path = require('path');
import ts = require('typescript');
import { getFileFacts, isFunctionNode, type FunctionNode } from '../file-facts';
import { moduleExportsOf } from '../module-exports';
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import { receiverVerdict } from './http-routers';
import { FOLDER_LOADER_TEXT } from '../entry-text';
import type { DetectorContext, EntryCandidate } from './types';

/**
 * Route modules loaded from a folder at start-up: a loop over a listing of the folder
 * (`fs.readdirSync(dir)`, a glob, fs-jetpack's `find`) loads each file (`require(path.join(dir, file))`,
 * `await import(pathToFileURL(file).href)`) and registers what the module exports:
 * `app[route.method](route.path, route.handler)`, `server.route({ method: options.method, url: options.url,
 * handler: (req, res) => route.run(req, res) })`, `fastify.route(route.default)`. Every module of the
 * folder with that export is a route, labelled with the method and path the registration reads from it
 * (prefixes written in the loop included) or, when they cannot be read, with the module's path; it is
 * registered where the module writes its handler. A loop whose modules are not handed to a route
 * registration (migrations, commands, models) registers nothing.
 */
export function detectFolderRoutes(context: DetectorContext, found: EntryCandidate[]): void {
  if (!FOLDER_LOADER_TEXT.test(context.facts.sourceFile.text)) return;
  for (const { node } of context.facts.calls) {
    if (!ts.isCallExpression(node) || !isDynamicLoad(node)) continue;
    const loaded = loadedModules(context, node);
    if (!loaded) continue;
    for (const registration of registrationsIn(context, loaded)) {
      for (const module of loaded.files) routeOfModule(context, loaded, registration, module, found);
    }
  }
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const NOT_A_ROUTE_MODULE = /\.(?:test|spec|d)\.[cm]?[jt]sx?$|(?:^|\/)(?:__tests__|__mocks__)\//;
const VERBS = /^(get|post|put|patch|delete|del|all|options|head)$/i;
const FASTIFY_HANDLER_OPTIONS = new Set(['handler', 'onRequest', 'preHandler', 'preValidation']);
const MAX_DEPTH = 4;

/** The modules one dynamic load in a loop brings in: the folder's files, the names the module is bound to, and the loop. */
interface LoadedModules {
  /** The statement or function the loop runs for each file: where the registrations are. */
  body: ts.Node;
  files: readonly ts.SourceFile[];
  /** `const route = await import(…)`: the whole module. */
  moduleName?: ts.Identifier;
  /** `const { options, run } = await import(…)`: local name → export name. */
  exportNames: ReadonlyMap<ts.Identifier, string>;
  /** `app.post('/' + name, require(file))`: the load itself is a handler, the module's whole value. */
  load: ts.CallExpression;
}

function isDynamicLoad(call: ts.CallExpression): boolean {
  const isRequire = ts.isIdentifier(call.expression) && call.expression.text === 'require';
  if (!isRequire && call.expression.kind !== ts.SyntaxKind.ImportKeyword) return false;
  return call.arguments.length >= 1 && stringValue(call.arguments[0]) === undefined;
}

function loadedModules(context: DetectorContext, load: ts.CallExpression): LoadedModules | undefined {
  const loop = loopOver(load);
  if (!loop) return undefined;
  const folder = listedFolder(context, loop.list, 0);
  if (!folder) return undefined;
  const self = context.facts.sourceFile;
  const files = context.resolver.filesUnder(folder.directory, folder.recursive).filter((file) => file !== self && SOURCE_FILE.test(file.fileName) && !NOT_A_ROUTE_MODULE.test(file.fileName));
  if (files.length === 0) return undefined;
  // const route = await import(…) / require(…); const { run } = …; const handler = require(…).default
  let value: ts.Node = load;
  while (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  const exportNames = new Map<ts.Identifier, string>();
  let moduleName: ts.Identifier | undefined;
  const declaration = value.parent;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer === value) {
    if (ts.isIdentifier(declaration.name)) moduleName = declaration.name;
    else if (ts.isObjectBindingPattern(declaration.name)) {
      for (const element of declaration.name.elements) {
        const exported = element.propertyName ? propertyNameText(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
        if (exported !== undefined && ts.isIdentifier(element.name) && !element.dotDotDotToken) exportNames.set(element.name, exported);
      }
    }
  } else if (ts.isPropertyAccessExpression(declaration) && ts.isVariableDeclaration(declaration.parent) && ts.isIdentifier(declaration.parent.name)) {
    exportNames.set(declaration.parent.name, declaration.name.text);
  }
  return { body: loop.body, files, moduleName, exportNames, load };
}

/** The loop a load runs in, with the list it iterates: `for (const file of list)`, `list.forEach((file) => …)`; the load names the loop's variable. */
function loopOver(load: ts.CallExpression): { list: ts.Expression; body: ts.Node } | undefined {
  const names = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, collect);
  };
  collect(load.arguments[0]);
  // A path built before the load (`const full = path.join(dir, file)`) names the variable through a local.
  for (const name of [...names]) {
    const local = localInitializer(load, name);
    if (local) collect(local);
  }
  for (let node: ts.Node = load; node.parent && !ts.isSourceFile(node); node = node.parent) {
    const parent = node.parent;
    if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.statement === node && ts.isVariableDeclarationList(parent.initializer)) {
      const variable = parent.initializer.declarations[0]?.name;
      if (variable && ts.isIdentifier(variable) && names.has(variable.text)) return { list: parent.expression, body: parent.statement };
    }
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isCallExpression(parent) && parent.arguments[0] === node) {
      const callee = skipOuterExpressions(parent.expression);
      const variable = node.parameters[0]?.name;
      if (ts.isPropertyAccessExpression(callee) && /^(forEach|map)$/.test(callee.name.text) && variable && ts.isIdentifier(variable) && names.has(variable.text)) return { list: callee.expression, body: node.body };
    }
  }
  return undefined;
}

/** The initializer of a `const` declared by name in a block around `from`, before it. */
function localInitializer(from: ts.Node, name: string): ts.Expression | undefined {
  for (let node: ts.Node | undefined = from.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isBlock(node)) continue;
    for (const statement of node.statements) {
      if (statement.pos >= from.pos || !ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) return declaration.initializer;
    }
  }
  return undefined;
}

/** The folder a list of files comes from: a listing call, a name bound to one, a `.filter(…)` of one, awaited or not. */
function listedFolder(context: DetectorContext, list: ts.Expression, depth: number): { directory: string; recursive: boolean } | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let value = skipOuterExpressions(list);
  if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  if (ts.isIdentifier(value)) {
    const initializer = declaredValue(context, value);
    return initializer ? listedFolder(context, initializer, depth + 1) : undefined;
  }
  if (!ts.isCallExpression(value)) return undefined;
  const callee = skipOuterExpressions(value.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  const receiver = ts.isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression).getText() : '';
  if (ts.isPropertyAccessExpression(callee) && /^(filter|sort|slice|map|concat)$/.test(name)) return listedFolder(context, callee.expression, depth + 1);
  const [first, second] = value.arguments;
  if (!first) return undefined;
  if (name === 'readdirSync' || name === 'readdir') {
    const directory = folderPath(context, first, 0);
    return directory === undefined ? undefined : { directory, recursive: second !== undefined && /recursive\s*:\s*true/.test(second.getText()) };
  }
  if (/jetpack/i.test(receiver) && /^(find|findAsync|list|listAsync)$/.test(name)) {
    const directory = folderPath(context, first, 0);
    return directory === undefined ? undefined : { directory, recursive: name.startsWith('find') };
  }
  if (/^(glob|globSync|globby|globbySync|fg|fastGlob)$/.test(name) || (name === 'sync' && /^(glob|fg|fastGlob|globby)$/.test(receiver))) {
    const pattern = patternText(context, first);
    if (pattern === undefined) return undefined;
    const cwd = second && ts.isObjectLiteralExpression(skipOuterExpressions(second)) ? optionValue(skipOuterExpressions(second) as ts.ObjectLiteralExpression, 'cwd') : undefined;
    // A relative pattern without a `cwd` is read from the process's working folder: the project root.
    const base = cwd ? folderPath(context, cwd, 0) : fromRoot(context, '.');
    if (base === undefined) return undefined;
    const parts = pattern.split('/');
    const stop = parts.findIndex((part) => /[*?{[]/.test(part));
    if (stop < 0) return undefined;
    const prefix = parts.slice(0, stop).join('/');
    return { directory: prefix.startsWith('/') ? prefix : path.posix.join(base, prefix), recursive: pattern.includes('**') };
  }
  return undefined;
}

/** A glob pattern: a string, or a path joined from a folder and a pattern (`path.join(__dirname, 'routes/*.js')`). */
function patternText(context: DetectorContext, expression: ts.Expression): string | undefined {
  const literal = stringValue(skipOuterExpressions(expression));
  if (literal !== undefined) return literal;
  return folderPath(context, expression, 0);
}

/**
 * The absolute folder an expression names: `__dirname`, `import.meta.dirname`, `path.join(__dirname, 'routes')`,
 * `path.resolve(…)`, `fileURLToPath(new URL('../routes', import.meta.url))`, a `const` holding one, a string
 * relative to the project root (the process's working folder).
 */
function folderPath(context: DetectorContext, expression: ts.Expression, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const value = skipOuterExpressions(expression);
  const file = context.facts.sourceFile.fileName;
  const here = path.posix.dirname(file);
  const literal = stringValue(value);
  if (literal !== undefined) {
    return literal.startsWith('/') ? literal : fromRoot(context, literal);
  }
  if (ts.isIdentifier(value)) {
    if (value.text === '__dirname') return here;
    const initializer = declaredValue(context, value);
    return initializer ? folderPath(context, initializer, depth + 1) : undefined;
  }
  if (ts.isPropertyAccessExpression(value)) {
    if (value.name.text === 'dirname' && value.expression.getText() === 'import.meta') return here;
    if (value.name.text === 'pathname' || value.name.text === 'href') return folderPath(context, value.expression, depth + 1);
    return undefined;
  }
  if (ts.isNewExpression(value) && value.expression.getText() === 'URL' && value.arguments?.length === 2 && value.arguments[1].getText() === 'import.meta.url') {
    const relative = stringValue(value.arguments[0]);
    return relative === undefined ? undefined : path.posix.join(here, relative);
  }
  if (!ts.isCallExpression(value)) return undefined;
  const callee = skipOuterExpressions(value.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if ((name === 'fileURLToPath' || name === 'pathToFileURL') && value.arguments.length === 1) return folderPath(context, value.arguments[0], depth + 1);
  if (name !== 'join' && name !== 'resolve') return undefined;
  const [first, ...rest] = value.arguments;
  const start = first && folderPath(context, first, depth + 1);
  if (start === undefined || !start.startsWith('/')) return undefined;
  const segments = rest.map((argument) => stringValue(skipOuterExpressions(argument)));
  if (segments.some((segment) => segment === undefined)) return undefined;
  return path.posix.join(start, ...(segments as string[]));
}

/** A path relative to the project root (the folder the service is started from). */
function fromRoot(context: DetectorContext, relative: string): string | undefined {
  const file = context.facts.sourceFile.fileName;
  if (!file.endsWith(context.relativePath)) return undefined;
  return path.posix.join(file.slice(0, file.length - context.relativePath.length), relative);
}

/** What a name holds: the initializer of its declaration in this file (a `const`, or a `let` never reassigned). */
function declaredValue(context: DetectorContext, name: ts.Identifier): ts.Expression | undefined {
  for (const declaration of context.resolver.declarationsOf(name)) {
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && declaration.getSourceFile() === context.facts.sourceFile) return declaration.initializer;
  }
  return localInitializer(name, name.text);
}

function optionValue(options: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of options.properties) {
    if (propertyNameText(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

/** One registration in the loop: its method and path expressions (read per module), and the handler expressions that name the module. */
interface LoopRegistration {
  call: ts.CallExpression;
  method: ts.Expression | string | undefined;
  path: ts.Expression | undefined;
  receiver: ts.Expression;
  /** What the route's options hand over whole: `fastify.route(route.default)`. */
  options?: ModuleReference;
  handlers: ModuleReference[];
}

/** A value of the loaded module: an export by name, or the module's whole value (`module.exports`, or the default export). */
type ModuleReference = { export: string } | { whole: true };

function registrationsIn(context: DetectorContext, loaded: LoadedModules): LoopRegistration[] {
  const registrations: LoopRegistration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const registration = registrationOf(context, loaded, node);
      if (registration) registrations.push(registration);
    }
    ts.forEachChild(node, visit);
  };
  visit(loaded.body);
  return registrations;
}

function registrationOf(context: DetectorContext, loaded: LoadedModules, call: ts.CallExpression): LoopRegistration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return undefined;
  const receiver = callee.expression;
  const member = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (receiverVerdict(context, receiver) === 'no') return undefined;
  if (member === 'route' && call.arguments.length === 1) {
    const options = skipOuterExpressions(call.arguments[0]);
    const whole = reference(loaded, options);
    if (whole) return { call, method: undefined, path: undefined, receiver, options: whole, handlers: [] };
    if (!ts.isObjectLiteralExpression(options)) return undefined;
    const handlers = [...FASTIFY_HANDLER_OPTIONS].flatMap((name) => {
      const handler = optionValue(options, name);
      return handler ? handlerReferences(loaded, handler) : [];
    });
    if (handlers.length === 0) return undefined;
    return { call, method: optionValue(options, 'method'), path: optionValue(options, 'url') ?? optionValue(options, 'path'), receiver, handlers };
  }
  const verb = member !== undefined && VERBS.test(member) ? member : undefined;
  const methodExpression = ts.isElementAccessExpression(callee) ? callee.argumentExpression : undefined;
  if ((verb === undefined && methodExpression === undefined) || call.arguments.length < 2) return undefined;
  const handlers = call.arguments.slice(1).flatMap((argument) => handlerReferences(loaded, ts.isSpreadElement(argument) ? argument.expression : argument));
  if (handlers.length === 0) return undefined;
  return { call, method: verb ?? methodExpression, path: call.arguments[0], receiver, handlers };
}

/** The module values a handler argument names: `route.handler`, `route` (the module's function), `require(file)`, an inline function that calls `route.run(…)`. */
function handlerReferences(loaded: LoadedModules, expression: ts.Expression): ModuleReference[] {
  const value = skipOuterExpressions(expression);
  const direct = reference(loaded, value);
  if (direct) return [direct];
  if (!ts.isArrowFunction(value) && !ts.isFunctionExpression(value)) return [];
  const found: ModuleReference[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const called = reference(loaded, skipOuterExpressions(node.expression));
      if (called) found.push(called);
    }
    ts.forEachChild(node, visit);
  };
  visit(value.body);
  return found;
}

function reference(loaded: LoadedModules, expression: ts.Expression): ModuleReference | undefined {
  const value = skipOuterExpressions(expression);
  if (value === loaded.load) return { whole: true };
  if (ts.isIdentifier(value)) {
    if (loaded.moduleName && isBoundTo(value, loaded.moduleName)) return { whole: true };
    for (const [local, exported] of loaded.exportNames) if (isBoundTo(value, local)) return exported === 'default' ? { whole: true } : { export: exported };
    return undefined;
  }
  if (ts.isPropertyAccessExpression(value) && loaded.moduleName && ts.isIdentifier(skipOuterExpressions(value.expression)) && isBoundTo(skipOuterExpressions(value.expression) as ts.Identifier, loaded.moduleName)) {
    return value.name.text === 'default' ? { whole: true } : { export: value.name.text };
  }
  return undefined;
}

/** Whether a name is a use of a declaration: same text, after it, in its scope (shadowing is not looked for). */
function isBoundTo(name: ts.Identifier, declared: ts.Identifier): boolean {
  return name !== declared && name.text === declared.text && name.pos > declared.pos && within(name, scopeOf(declared));
}

function scopeOf(declared: ts.Identifier): ts.Node {
  for (let node: ts.Node = declared.parent; node.parent; node = node.parent) if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isFunctionLike(node)) return node;
  return declared.getSourceFile();
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** One module of the folder as a route of this registration: its handlers, method and path, registered where the module writes its handler. */
function routeOfModule(context: DetectorContext, loaded: LoadedModules, registration: LoopRegistration, module: ts.SourceFile, found: EntryCandidate[]): void {
  const exports = new ModuleValues(module);
  let methodText: Value;
  let pathText: Value;
  const handlers: (ts.Expression | FunctionNode)[] = [];
  let where: ts.Node | undefined;
  if (registration.options) {
    // fastify.route(route.default): the module's value is the route's options.
    const options = exports.value(registration.options);
    const literal = options && ts.isObjectLiteralExpression(options.value) ? options.value : undefined;
    if (!literal) return;
    methodText = valueOf(optionValue(literal, 'method'), exports, loaded, registration.call.pos, 0);
    pathText = valueOf(optionValue(literal, 'url') ?? optionValue(literal, 'path'), exports, loaded, registration.call.pos, 0);
    for (const name of FASTIFY_HANDLER_OPTIONS) {
      const handler = literal.properties.find((property) => propertyNameText(property.name) === name);
      if (handler && ts.isMethodDeclaration(handler)) handlers.push(handler);
      else if (handler && ts.isPropertyAssignment(handler)) handlers.push(handler.initializer);
      else if (handler && ts.isShorthandPropertyAssignment(handler)) handlers.push(handler.name);
      if (handler && name === 'handler') where = handler;
    }
    where ??= literal;
  } else {
    for (const handler of registration.handlers) {
      const held = exports.value(handler);
      if (!held) continue;
      handlers.push(held.value);
      where ??= held.declaration;
    }
    methodText = typeof registration.method === 'string' ? registration.method : valueOf(registration.method, exports, loaded, registration.call.pos, 0);
    pathText = valueOf(registration.path, exports, loaded, registration.call.pos, 0);
  }
  // A module without the method or path the registration reads is not registered (the loader skips it, or the router throws).
  if (handlers.length === 0 || !where || methodText === undefined || pathText === undefined || skippedByGuard(registration.call, exports, loaded)) return;
  const functions = handlers.flatMap((handler) => (isFunctionNode(handler) ? [handler] : context.resolver.handlerFunctions(handler)));
  if (functions.length === 0) return;
  const verb = typeof methodText === 'string' && VERBS.test(methodText) ? (methodText.toLowerCase() === 'del' ? 'DELETE' : methodText.toUpperCase()) : undefined;
  const routePath = typeof pathText === 'string' && (pathText.startsWith('/') || pathText === '*') ? pathText : undefined;
  const modulePath = path.posix.relative(path.posix.dirname(context.facts.sourceFile.fileName), module.fileName);
  const label = `${verb ?? 'ROUTE'} ${routePath ?? `<${modulePath}>`}`;
  found.push({ label, framework: 'http', registration: where, handlers: functions, route: routePath !== undefined && verb ? { method: verb, path: routePath, receiver: registration.receiver } : undefined });
}

/** Whether the loop leaves this module out before the registration: `if (!options.url || !options.method) continue;`. */
function skippedByGuard(registration: ts.CallExpression, exports: ModuleValues, loaded: LoadedModules): boolean {
  for (let node: ts.Node = registration; node !== loaded.body && node.parent; node = node.parent) {
    const block = node.parent;
    if (!ts.isBlock(block)) continue;
    for (const statement of block.statements) {
      if (statement === node) break;
      if (!ts.isIfStatement(statement) || !leavesIteration(statement.thenStatement)) continue;
      const condition = valueOf(statement.expression, exports, loaded, statement.pos, 0);
      if (condition === true || (typeof condition === 'string' && condition !== '')) return true;
    }
  }
  return false;
}

function leavesIteration(statement: ts.Statement): boolean {
  if (ts.isContinueStatement(statement) || ts.isReturnStatement(statement)) return true;
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : undefined;
  return last !== undefined && (ts.isContinueStatement(last) || ts.isReturnStatement(last));
}

/** A module's values read from its syntax: its exports by name and its whole value (`module.exports = …`, `export default …`). */
class ModuleValues {
  constructor(private readonly module: ts.SourceFile) {}

  /** The value a reference names, with the declaration that writes it. */
  value(reference: ModuleReference): { value: ts.Expression | FunctionNode; declaration: ts.Node } | undefined {
    return 'whole' in reference ? this.whole() : this.named(reference.export);
  }

  named(name: string): { value: ts.Expression | FunctionNode; declaration: ts.Node } | undefined {
    const exports = moduleExportsOf(this.module);
    for (const target of exports.named.get(name) ?? []) {
      if (target.kind === 'node') {
        const held = heldBy(target.node);
        if (held) return held;
      } else if (target.kind === 'local') {
        const declaration = getFileFacts(this.module).topLevel.get(target.name);
        const held = declaration && heldBy(declaration);
        if (held) return held;
      }
    }
    // module.exports = { options, run }
    const whole = this.whole();
    if (whole && ts.isObjectLiteralExpression(whole.value)) {
      const property = whole.value.properties.find((candidate) => propertyNameText(candidate.name) === name);
      if (property && ts.isMethodDeclaration(property)) return { value: property, declaration: property };
      if (property && ts.isPropertyAssignment(property)) return { value: property.initializer, declaration: property };
      if (property && ts.isShorthandPropertyAssignment(property)) return { value: property.name, declaration: property };
    }
    return undefined;
  }

  whole(): { value: ts.Expression | FunctionNode; declaration: ts.Node } | undefined {
    const exports = moduleExportsOf(this.module);
    if (exports.commonJsValue) {
      const value = ts.isBinaryExpression(exports.commonJsValue) ? exports.commonJsValue.right : exports.commonJsValue.expression;
      return { value: skipOuterExpressions(value), declaration: exports.commonJsValue };
    }
    const target = exports.named.get('default')?.[0];
    return target?.kind === 'node' ? heldBy(target.node) : undefined;
  }
}

/** What an export's declaration holds: a function declaration, a variable's initializer, `export default value`, `exports.x = value`. */
function heldBy(node: ts.Node): { value: ts.Expression | FunctionNode; declaration: ts.Node } | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) return isFunctionNode(node) ? { value: node, declaration: node } : undefined;
  if (ts.isVariableDeclaration(node)) return node.initializer ? { value: skipOuterExpressions(node.initializer), declaration: node } : undefined;
  if (ts.isExportAssignment(node)) return { value: skipOuterExpressions(node.expression), declaration: node };
  if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && ts.isBinaryExpression(node.parent) && node.parent.left === node) return { value: skipOuterExpressions(node.parent.right), declaration: node.parent };
  return undefined;
}

/** A string, `false`-like absence (`undefined`), `true`, or unknown (`null`). */
type Value = string | undefined | true | null;

/**
 * A string the registration reads from the module: `route.path`, `options.url` after
 * `const options = route.options`, `'/api' + options.url`, `` `${options.prefix ? '' : '/api'}${options.url}` ``,
 * `options.method.toUpperCase()`, and the value a statement of the loop set before the registration
 * (`options.url = `/api${options.url}``). Undefined when the module leaves it out, null when it cannot be read.
 */
function valueOf(expression: ts.Expression | undefined, exports: ModuleValues, loaded: LoadedModules, before: number, depth: number): Value {
  if (!expression || depth > 8) return null;
  const value = skipOuterExpressions(expression);
  const literal = stringValue(value);
  if (literal !== undefined) return literal;
  if (value.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (value.kind === ts.SyntaxKind.FalseKeyword) return undefined;
  if (ts.isTemplateExpression(value)) {
    let text = value.head.text;
    for (const span of value.templateSpans) {
      const part = valueOf(span.expression, exports, loaded, before, depth + 1);
      if (typeof part !== 'string') return null;
      text += part + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = valueOf(value.left, exports, loaded, before, depth + 1);
    const right = valueOf(value.right, exports, loaded, before, depth + 1);
    return typeof left === 'string' && typeof right === 'string' ? left + right : null;
  }
  if (ts.isBinaryExpression(value) && (value.operatorToken.kind === ts.SyntaxKind.BarBarToken || value.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) {
    const left = valueOf(value.left, exports, loaded, before, depth + 1);
    if (left === null) return null;
    const leftTruthy = left === true || (typeof left === 'string' && left !== '');
    const takesLeft = value.operatorToken.kind === ts.SyntaxKind.BarBarToken ? leftTruthy : !leftTruthy;
    return takesLeft ? left : valueOf(value.right, exports, loaded, before, depth + 1);
  }
  if (ts.isConditionalExpression(value)) {
    const condition = valueOf(value.condition, exports, loaded, before, depth + 1);
    if (condition === null) return null;
    return valueOf(condition === true || (typeof condition === 'string' && condition !== '') ? value.whenTrue : value.whenFalse, exports, loaded, before, depth + 1);
  }
  if (ts.isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = valueOf(value.operand, exports, loaded, before, depth + 1);
    return operand === null ? null : operand === true || (typeof operand === 'string' && operand !== '') ? undefined : true;
  }
  if (ts.isCallExpression(value) && value.arguments.length === 0 && ts.isPropertyAccessExpression(value.expression) && /^to(Upper|Lower)Case$/.test(value.expression.name.text)) {
    const text = valueOf(value.expression.expression, exports, loaded, before, depth + 1);
    if (typeof text !== 'string') return null;
    return value.expression.name.text === 'toUpperCase' ? text.toUpperCase() : text.toLowerCase();
  }
  if (!ts.isPropertyAccessExpression(value) && !ts.isIdentifier(value)) return null;
  // A value the loop set before this point: `options.url = …` (the last such statement).
  const assigned = assignmentBefore(loaded.body, value, before);
  if (assigned) return valueOf(assigned.right, exports, loaded, assigned.pos, depth + 1);
  const held = moduleValue(value, exports, loaded, depth);
  if (held === null) return null;
  if (held === undefined) return undefined;
  if (!isFunctionNode(held)) return valueOf(held, exports, loaded, before, depth + 1);
  return true;
}

/** The expression of the module a reference chain names (`route.options.url`, `options.url` with `options = route.options`), undefined when the module leaves it out, null when it cannot be read. */
function moduleValue(expression: ts.Expression, exports: ModuleValues, loaded: LoadedModules, depth: number): ts.Expression | FunctionNode | undefined | null {
  const chain: string[] = [];
  let current = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(current)) {
    chain.unshift(current.name.text);
    current = skipOuterExpressions(current.expression);
  }
  if (!ts.isIdentifier(current)) return null;
  let start: ts.Expression | FunctionNode | undefined;
  const root = reference(loaded, current);
  if (root && 'whole' in root && chain.length > 0 && loaded.moduleName && isBoundTo(current, loaded.moduleName)) {
    // route.options.url: the module's `options` export, then its `url`.
    const exported = chain.shift()!;
    start = (exported === 'default' ? exports.whole() : exports.named(exported))?.value;
  } else if (root) start = exports.value(root)?.value;
  else {
    // const options = route.options (in the loop)
    const local = localInitializer(current, current.text);
    if (!local || depth > 4) return null;
    const base = moduleValue(local, exports, loaded, depth + 1);
    if (base === null || base === undefined) return base;
    start = base;
  }
  if (start === undefined) return undefined;
  let held: ts.Expression | FunctionNode = start;
  for (const name of chain) {
    if (isFunctionNode(held) || !ts.isObjectLiteralExpression(held)) return null;
    const property = held.properties.find((candidate) => propertyNameText(candidate.name) === name);
    if (!property) return undefined;
    if (ts.isPropertyAssignment(property)) held = skipOuterExpressions(property.initializer);
    else if (ts.isMethodDeclaration(property)) held = property;
    else return null;
  }
  return held;
}

/** The last `target = value` statement of the loop's body before `before` whose target is written as `target` is. */
function assignmentBefore(body: ts.Node, target: ts.Expression, before: number): ts.BinaryExpression | undefined {
  const text = target.getText().replace(/\?\./g, '.');
  let last: ts.BinaryExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (node.pos >= before) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.end <= before && node.left.getText().replace(/\?\./g, '.') === text) last = node;
    if (!ts.isFunctionLike(node) || node === body) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return last;
}
