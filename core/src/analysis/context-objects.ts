import ts = require('typescript');
import { getFileFacts } from './file-facts';
import { assignmentsIn, type FilesMatching } from './global-namespaces';
import { requiredPath, resolveImportedMember } from './imports';
import { isNonServerPath } from './paths';
import { skipOuterExpressions } from './text';

const { SyntaxKind } = ts;

/**
 * A context object of a service: made once at start-up, handed to each module's factory, which the
 * start-up code keeps on it (`ctx.cache = require('./cache')(env, ctx)`, `services.users =
 * createUsers(db, services)`), then read by every route module through its own parameter
 * (`module.exports = function (env, ctx) { … ctx.cache.insert(…) … }`). The object comes in as a
 * parameter wherever it is used, often from a library that made it (nightscout's `bootevent`), so it is
 * known by its name: what was assigned to `ctx.cache` in any file is what `ctx.cache` holds.
 */
export interface ContextObject {
  /** Assignments of its members by name, from any file: `ctx.bus = require('../bus')(settings, ctx)`, `ctx.settings = env.settings`. */
  readonly members: ReadonlyMap<string, readonly ts.BinaryExpression[]>;
}

/**
 * A file that keeps a factory's result on the object it hands that factory: `P.m = f(…, P)`,
 * `P.m = require('./m')(…, P)`, `P.m = new M(P)`.
 */
const HANDED_TO_FACTORY_TEXT = /\b([A-Za-z_$][\w$]*)\s*\.\s*[A-Za-z_$][\w$]*\s*=\s*(?:new\s+)?[\w$]+(?:\s*\.\s*[\w$]+)*(?:\s*\([^()]*\)(?:\s*\.\s*[\w$]+)*)?\s*\([^()]*\b\1\b[^()]*\)/;

/**
 * The context objects of a project by name. A name is one when at least two different members of it
 * are each given the result of a module's factory that was handed the object itself: one such
 * assignment may be a request's own (`ctx.user = loadUser(ctx)` in a Koa middleware), a set of them
 * is the start-up wiring of a service.
 */
export function contextObjectNames(filesMatching: FilesMatching): Set<string> {
  const membersByName = new Map<string, Set<string>>();
  for (const file of filesMatching(HANDED_TO_FACTORY_TEXT)) {
    if (isNonServerPath(file.fileName)) continue;
    for (const { assignment, owner, member } of memberAssignmentsIn(file)) {
      if (!keepsFactoryResult(assignment, owner)) continue;
      const members = membersByName.get(owner) ?? new Set<string>();
      members.add(member);
      membersByName.set(owner, members);
    }
  }
  const names = new Set([...membersByName].filter(([, members]) => members.size >= 2).map(([name]) => name));
  for (const file of filesMatching(APP_LIBRARY_NAME)) {
    if (isNonServerPath(file.fileName) || !assignsServiceAfterAppLibrary(file)) continue;
    for (const name of appsKeepingServices(file)) names.add(name);
  }
  return names;
}

/**
 * A file that may hang a service on an app it makes: `app.games = new Games()` (or `= createGames(…)`)
 * after it names express, connect or Koa. Tested as two patterns, the assignment searched from the end of
 * the first library name: one pattern with `[\s\S]*` between them went to the end of the text and back
 * from every name, which an editor paid on every keystroke in the file being typed in.
 */
const SERVICE_ASSIGNMENT_FROM = /\b[A-Za-z_$][\w$]*\s*\.\s*[A-Za-z_$][\w$]*\s*=\s*(?:new\s+)?[\w$.]+\s*\(/g;
const APP_LIBRARY_NAME = /\b(?:express|connect|koa|Koa)\b/;

/** Per file, whether a service assignment follows the first name of an app library in its text. */
const assignsAfterLibrary = new WeakMap<ts.SourceFile, boolean>();

function assignsServiceAfterAppLibrary(file: ts.SourceFile): boolean {
  let assigns = assignsAfterLibrary.get(file);
  if (assigns === undefined) {
    const library = APP_LIBRARY_NAME.exec(file.text);
    if (library) SERVICE_ASSIGNMENT_FROM.lastIndex = library.index + library[0].length;
    assigns = library !== null && SERVICE_ASSIGNMENT_FROM.test(file.text);
    assignsAfterLibrary.set(file, assigns);
  }
  return assigns;
}

const APP_MODULES = new Set(['express', 'connect', 'koa']);

/**
 * An Express, connect or Koa app made at module scope that start-up code gives a service
 * (`app.drawphone = new Drawphone()`, `app.mailer = createMailer(config)`) and hands to the modules
 * that register routes (`require('./routes')(app)`, `attachSocketRoutes(app)`): those modules read the
 * service through their own `app` parameter, as a context object's members are read.
 */
function appsKeepingServices(file: ts.SourceFile): string[] {
  const facts = getFileFacts(file);
  const apps = new Set<string>();
  for (const [name, declaration] of facts.topLevel) {
    const made = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
    if (!made || !(ts.isCallExpression(made) || ts.isNewExpression(made))) continue;
    const member = resolveImportedMember(made.expression, facts.imports);
    if (member && APP_MODULES.has(member.module) && member.path.length === 0) apps.add(name);
  }
  if (apps.size === 0) return [];
  const keepsService = new Set<string>();
  const handedOn = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = skipOuterExpressions(statement.expression);
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(expression.left);
      const right = skipOuterExpressions(expression.right);
      const owner = ts.isPropertyAccessExpression(left) ? skipOuterExpressions(left.expression) : undefined;
      if (owner && ts.isIdentifier(owner) && apps.has(owner.text) && (ts.isNewExpression(right) || ts.isCallExpression(right))) keepsService.add(owner.text);
    } else if (ts.isCallExpression(expression)) {
      // require('./routes')(app), attachRoutes(app): not the app's own methods (`app.use(…)`).
      const callee = skipOuterExpressions(expression.expression);
      const ownMethod = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && apps.has(callee.expression.text);
      if (!ownMethod) for (const argument of expression.arguments) if (ts.isIdentifier(argument) && apps.has(argument.text)) handedOn.add(argument.text);
    }
  }
  return [...keepsService].filter((name) => handedOn.has(name));
}

/** What each member of the context object `name` was assigned, in the files whose text assigns one (`ctx.store = store`). */
export function contextObjectMembers(name: string, filesMatching: FilesMatching): Map<string, ts.BinaryExpression[]> {
  const members = new Map<string, ts.BinaryExpression[]>();
  const escaped = name.replace(/\$/g, '\\$');
  for (const file of filesMatching(new RegExp(`(?:^|[^\\w$.])${escaped}\\s*\\.\\s*[A-Za-z_$][\\w$]*\\s*=(?!=)`))) {
    // A test's or script's own wiring (`ctx.store = fakeStore`) is not what the service holds.
    if (isNonServerPath(file.fileName)) continue;
    for (const { assignment, owner, member } of memberAssignmentsIn(file)) {
      if (owner !== name) continue;
      const list = members.get(member) ?? [];
      list.push(assignment);
      members.set(member, list);
    }
  }
  return members;
}

/**
 * `P.m = <factory>(…, P)` where the factory is another module's (`require('./m')(env, P)`,
 * `require('./m').init(P)`, an imported `createUsers(P)`, `new Users(P)`), called as it is, not awaited
 * per request.
 */
function keepsFactoryResult(assignment: ts.BinaryExpression, owner: string): boolean {
  const value = skipOuterExpressions(assignment.right);
  if (!ts.isCallExpression(value) && !ts.isNewExpression(value)) return false;
  if (!(value.arguments ?? []).some((argument) => isIdentifierNamed(argument, owner))) return false;
  let callee = skipOuterExpressions(value.expression);
  if (ts.isCallExpression(callee) && requiredPath(callee)) return true;
  while (ts.isPropertyAccessExpression(callee)) callee = skipOuterExpressions(callee.expression);
  if (ts.isCallExpression(callee)) return requiredPath(callee) !== undefined;
  return ts.isIdentifier(callee) && callee.text !== owner && getFileFacts(assignment.getSourceFile()).imports.has(callee.text);
}

function isIdentifierNamed(expression: ts.Expression, name: string): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isIdentifier(value) && value.text === name;
}

/** Every `name.member = value` of a file whose owner is a plain name (not `this`, not a global object's member). */
function memberAssignmentsIn(file: ts.SourceFile): { assignment: ts.BinaryExpression; owner: string; member: string }[] {
  const found: { assignment: ts.BinaryExpression; owner: string; member: string }[] = [];
  for (const assignment of assignmentsIn(file)) {
    const left = skipOuterExpressions(assignment.left);
    const owner = ts.isPropertyAccessExpression(left) ? skipOuterExpressions(left.expression) : undefined;
    if (owner && ts.isIdentifier(owner)) found.push({ assignment, owner: owner.text, member: (left as ts.PropertyAccessExpression).name.text });
  }
  return found;
}
