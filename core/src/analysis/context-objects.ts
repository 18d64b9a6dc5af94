import ts = require('typescript');
import { getFileFacts } from './file-facts';
import type { FilesMatching } from './global-namespaces';
import { requiredPath } from './imports';
import { isNonServerPath } from './paths';
import { skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
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
const HANDED_TO_FACTORY_TEXT = /\b([A-Za-z_$][\w$]*)\s*\.\s*[A-Za-z_$][\w$]*\s*=\s*(?:new\s+)?[\w$.]+(?:\s*\([^()]*\))?(?:\s*\.\s*[\w$]+)*\s*\([^()]*\b\1\b[^()]*\)/;

/**
 * The context objects of a project by name. A name is one when at least two different members of it
 * are each given the result of a module's factory that was handed the object itself: one such
 * assignment is a request's own (`ctx.user = await loadUser(ctx)` in a Koa middleware), a set of them
 * is the start-up wiring of a service.
 */
export function contextObjectNames(filesMatching: FilesMatching): Set<string> {
  const membersByName = new Map<string, Set<string>>();
  for (const file of filesMatching(HANDED_TO_FACTORY_TEXT)) {
    if (isNonServerPath(file.fileName)) continue;
    for (const assignment of memberAssignmentsIn(file)) {
      const left = assignment.left as ts.PropertyAccessExpression;
      const owner = left.expression as ts.Identifier;
      if (!keepsFactoryResult(assignment, owner.text)) continue;
      const members = membersByName.get(owner.text) ?? new Set<string>();
      members.add(left.name.text);
      membersByName.set(owner.text, members);
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
    for (const assignment of memberAssignmentsIn(file)) {
      const left = assignment.left as ts.PropertyAccessExpression;
      if ((left.expression as ts.Identifier).text !== name) continue;
      const list = members.get(left.name.text) ?? [];
      list.push(assignment);
      members.set(left.name.text, list);
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

const assignmentCache = new WeakMap<ts.SourceFile, readonly ts.BinaryExpression[]>();

/** Every `name.member = value` of a file whose owner is a plain name (not `this`, not a global object). */
function memberAssignmentsIn(file: ts.SourceFile): readonly ts.BinaryExpression[] {
  let found = assignmentCache.get(file);
  if (found) return found;
  const list: ts.BinaryExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && ts.isIdentifier(node.left.expression)) list.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  found = list;
  assignmentCache.set(file, found);
  return found;
}
