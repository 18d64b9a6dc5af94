import path = require('path');
import ts = require('typescript');
import { isFunctionNode, type FunctionNode } from '../file-facts';
import { resolveImportedMember } from '../imports';
import { propertyNameText, skipOuterExpressions, stringValue } from '../text';
import type { DetectorContext, EntryCandidate } from './types';

/** The router of AdonisJS: `import Route from '@ioc:Adonis/Core/Route'` (v5), `import router from '@adonisjs/core/services/router'` (v6). */
const ADONIS_ROUTERS = new Set(['@ioc:Adonis/Core/Route', '@adonisjs/core/services/router']);
const VERBS = new Map([['get', 'GET'], ['post', 'POST'], ['put', 'PUT'], ['patch', 'PATCH'], ['delete', 'DELETE'], ['any', 'ANY']]);
/** Where a v5 application keeps the controllers its routes name by string (the `App/Controllers/Http` namespace). */
const CONTROLLERS_FOLDER = 'app/Controllers/Http';
/** Where a v6 application keeps them (`#controllers/*` in its package.json's imports). */
const V6_CONTROLLERS_FOLDER = 'app/controllers';
const SOURCE_FILE = /\.[cm]?[jt]s$/;

/**
 * AdonisJS routes: `Route.get('me', 'UserController.me')` and `Route.post('login',
 * 'Dashboard/LoginController.login')` (v5: the method of the class a file of `app/Controllers/Http`
 * exports by default, `App/Controllers/Http/…` written out or not), `router.get('/users',
 * [UsersController, 'index'])` (v6: a class imported, not lazily loaded), or a function written in
 * place. Each is labelled with its method and path, the prefixes of the `Route.group(() => …)
 * .prefix('/v1')` calls around it included. A string that names no controller file, or a method the
 * class does not have, registers nothing.
 */
export function detectAdonisRoutes(context: DetectorContext, found: EntryCandidate[]): void {
  const { facts } = context;
  if (![...facts.imports.values()].some((binding) => ADONIS_ROUTERS.has(binding.module))) return;
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node) || node.arguments.length < 2) continue;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || !VERBS.has(callee.name.text) || !isRouter(callee.expression, context)) continue;
    const routePath = stringValue(node.arguments[0]);
    if (routePath === undefined) continue;
    const handlers = handlerFunctions(node.arguments[1], context);
    if (handlers.length === 0) continue;
    found.push({ label: `${VERBS.get(callee.name.text)} ${joinPaths([...groupPrefixes(node, context), routePath])}`, framework: 'adonis', registration: node, handlers });
  }
}

function isRouter(expression: ts.Expression, context: DetectorContext): boolean {
  const binding = resolveImportedMember(expression, context.facts.imports);
  return binding !== undefined && ADONIS_ROUTERS.has(binding.module) && binding.path.length === 0;
}

/** The prefixes of the groups a registration is written in, outermost first: `Route.group(() => { … }).prefix('/v1')`. */
function groupPrefixes(registration: ts.Node, context: DetectorContext): string[] {
  const prefixes: string[] = [];
  for (let node: ts.Node = registration; node.parent; node = node.parent) {
    if (!isFunctionNode(node) || !ts.isCallExpression(node.parent) || !node.parent.arguments.includes(node as ts.Expression)) continue;
    const group = node.parent;
    const callee = skipOuterExpressions(group.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'group' || !isRouter(callee.expression, context)) continue;
    // `Route.group(…).middleware(…).prefix('/v1')`: each call of the chain is on the one before.
    for (let link: ts.Node = group; ts.isPropertyAccessExpression(link.parent) && ts.isCallExpression(link.parent.parent); link = link.parent.parent) {
      if (link.parent.name.text !== 'prefix') continue;
      const prefix = stringValue(link.parent.parent.arguments[0]);
      if (prefix !== undefined) prefixes.unshift(prefix);
    }
  }
  return prefixes;
}

function joinPaths(parts: readonly string[]): string {
  const joined = parts.map((part) => part.replace(/^\/+|\/+$/g, '')).filter((part) => part !== '').join('/');
  return `/${joined}`;
}

function handlerFunctions(handler: ts.Expression, context: DetectorContext): FunctionNode[] {
  const value = skipOuterExpressions(handler);
  if (isFunctionNode(value)) return [value];
  const named = stringValue(value);
  if (named !== undefined) return namedControllerMethod(named, context);
  // v6: `[UsersController, 'index']`, the class imported or loaded lazily (`const UsersController = () => import('#controllers/users_controller')`).
  if (ts.isArrayLiteralExpression(value) && value.elements.length === 2) {
    const method = stringValue(value.elements[1]);
    if (method === undefined) return [];
    const lazy = lazyControllerFile(value.elements[0], context);
    if (lazy) {
      const exported = defaultExportedClass(lazy);
      return exported ? methodOf(exported, method) : [];
    }
    const classes = context.resolver.declarationsOf(value.elements[0]).filter(ts.isClassLike);
    return classes.flatMap((declaration) => methodOf(declaration, method));
  }
  return [];
}

/**
 * `const UsersController = () => import('#controllers/users_controller')`: the file of
 * `app/controllers` the `#controllers` alias of a v6 application names (beside the routes file's folder
 * or a parent's), or the file a relative specifier names.
 */
function lazyControllerFile(element: ts.Expression, context: DetectorContext): ts.SourceFile | undefined {
  let value = skipOuterExpressions(element);
  if (ts.isIdentifier(value)) {
    const declaration = context.resolver.declarationsOf(value).find(ts.isVariableDeclaration);
    if (!declaration?.initializer) return undefined;
    value = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isArrowFunction(value) || ts.isBlock(value.body)) return undefined;
  const load = skipOuterExpressions(value.body);
  if (!ts.isCallExpression(load) || load.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  const specifier = stringValue(load.arguments[0]);
  if (specifier === undefined) return undefined;
  const fileName = context.facts.sourceFile.fileName.replace(/\\/g, '/');
  const folder = fileName.slice(0, fileName.lastIndexOf('/'));
  const candidates = specifier.startsWith('#controllers/')
    ? controllerFolders(context, V6_CONTROLLERS_FOLDER).map((controllers) => `${controllers}/${specifier.slice('#controllers/'.length)}`)
    : specifier.startsWith('.')
      ? [path.posix.normalize(`${folder}/${specifier}`)]
      : [];
  for (const wanted of candidates) {
    const stem = wanted.replace(SOURCE_FILE, '');
    const found = context.resolver.filesUnder(stem.slice(0, stem.lastIndexOf('/')), false).find((file) => SOURCE_FILE.test(file.fileName) && file.fileName.replace(SOURCE_FILE, '') === stem);
    if (found) return found;
  }
  return undefined;
}

/** `'Dashboard/LoginController.login'`, `'App/Controllers/Http/UserController.me'`: that method of the class the controller file exports by default. */
function namedControllerMethod(name: string, context: DetectorContext): FunctionNode[] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return [];
  const controller = name.slice(0, dot).replace(/^App\/Controllers\/Http\//, '');
  const method = name.slice(dot + 1);
  for (const folder of controllerFolders(context)) {
    const wanted = `${folder}/${controller}`;
    const file = context.resolver.filesUnder(folder, true).find((candidate) => SOURCE_FILE.test(candidate.fileName) && candidate.fileName.replace(SOURCE_FILE, '') === wanted);
    if (!file) continue;
    const exported = defaultExportedClass(file);
    return exported ? methodOf(exported, method) : [];
  }
  return [];
}

/**
 * The `app/Controllers/Http` folders of the application the routes file belongs to: beside the
 * folder of the routes file (`start/routes.ts`) or of one of its parents, nearest first, up to the
 * project's root (an application in a workspace package keeps its own).
 */
function controllerFolders(context: DetectorContext, controllers = CONTROLLERS_FOLDER): string[] {
  const fileName = context.facts.sourceFile.fileName.replace(/\\/g, '/');
  const relative = context.relativePath.replace(/\\/g, '/');
  const root = fileName.endsWith(`/${relative}`) ? fileName.slice(0, fileName.length - relative.length - 1) : undefined;
  const folders: string[] = [];
  for (let dir = fileName.slice(0, fileName.lastIndexOf('/')), depth = 0; dir.includes('/') && depth < 6; dir = dir.slice(0, dir.lastIndexOf('/')), depth++) {
    folders.push(`${dir}/${controllers}`);
    if (dir === root) break;
  }
  return folders;
}

function defaultExportedClass(file: ts.SourceFile): ts.ClassLikeDeclaration | undefined {
  for (const statement of file.statements) {
    if (ts.isClassDeclaration(statement) && statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) return statement;
    if (ts.isExportAssignment(statement)) {
      const value = skipOuterExpressions(statement.expression);
      if (ts.isClassExpression(value)) return value;
      if (ts.isIdentifier(value)) {
        const declared = file.statements.find((other): other is ts.ClassDeclaration => ts.isClassDeclaration(other) && other.name?.text === value.text);
        if (declared) return declared;
      }
    }
  }
  return undefined;
}

/** A method of the class (or an arrow function in a field) with that name and a body. */
function methodOf(declaration: ts.ClassLikeDeclaration, name: string): FunctionNode[] {
  for (const member of declaration.members) {
    if (!member.name || propertyNameText(member.name) !== name) continue;
    if (ts.isMethodDeclaration(member) && member.body) return [member];
    if (ts.isPropertyDeclaration(member) && member.initializer) {
      const value = skipOuterExpressions(member.initializer);
      if (isFunctionNode(value)) return [value];
    }
  }
  return [];
}
