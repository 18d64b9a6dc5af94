import ts = require('typescript');
import { getFileFacts } from './file-facts';
import { assignmentsIn, type FilesMatching } from './global-namespaces';
import { requiredPath } from './imports';
import { isNonServerPath } from './paths';
import { skipOuterExpressions } from './text';

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
  return new Set([...membersByName].filter(([, members]) => members.size >= 2).map(([name]) => name));
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
