import ts = require('typescript');
import { getFileFacts } from './file-facts';
import { isShadowed } from './scope';
import { skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * A global namespace of a legacy service: `global.WIKI = { … }` (or `global.db = require('./db')`,
 * `globalThis.io = io`) at start-up, then `WIKI.models.users.query()` or `db.query()` in every module
 * without an import. Read from syntax: what was assigned to the global, and to its members, in any
 * file. Browser globals (`window.App = …`) are not a server's namespaces and are left out.
 */
export interface GlobalNamespace {
  /** The assignments of the global itself (`global.WIKI = WIKI`): their right sides are the namespace. */
  readonly roots: readonly ts.BinaryExpression[];
  /** Assignments of its members by name, from any file: `WIKI.cache = require('./cache').init()`, `global.WIKI.cache = …`. */
  readonly members: ReadonlyMap<string, readonly ts.BinaryExpression[]>;
}

/** Finds parsed project files by their text (the project index, or a program's files). */
export type FilesMatching = (pattern: RegExp) => readonly ts.SourceFile[];

/** Text of a file that writes a property of the global object: `global.X =`, `globalThis.X.y =`. */
export const GLOBAL_WRITE_TEXT = /\b(?:global|globalThis|GLOBAL)\s*(?:\.\s*[A-Za-z_$][\w$]*\s*)+=(?!=)/;
const GLOBAL_OBJECTS = new Set(['global', 'globalThis', 'GLOBAL']);

/** The global namespaces of a project by name, read once from the files that write the global object. */
export function globalNamespaceRoots(filesMatching: FilesMatching): Map<string, ts.BinaryExpression[]> {
  const roots = new Map<string, ts.BinaryExpression[]>();
  for (const file of filesMatching(GLOBAL_WRITE_TEXT)) {
    for (const assignment of assignmentsIn(file)) {
      const name = globalPropertyName(assignment.left);
      if (name === undefined) continue;
      const list = roots.get(name) ?? [];
      list.push(assignment);
      roots.set(name, list);
    }
  }
  return roots;
}

/** The members assigned to a global namespace, in the files whose text writes one (`WIKI.system = …`). */
export function globalNamespaceMembers(name: string, roots: readonly ts.BinaryExpression[], filesMatching: FilesMatching): Map<string, ts.BinaryExpression[]> {
  const members = new Map<string, ts.BinaryExpression[]>();
  const add = (member: string, assignment: ts.BinaryExpression): void => {
    const list = members.get(member) ?? [];
    if (!list.includes(assignment)) list.push(assignment);
    members.set(member, list);
  };
  const escaped = name.replace(/\$/g, '\\$');
  const files = new Set([...filesMatching(new RegExp(`(?:^|[^\\w$.])${escaped}\\s*\\.\\s*[A-Za-z_$][\\w$]*\\s*=(?!=)`)), ...filesMatching(GLOBAL_WRITE_TEXT)]);
  for (const file of files) {
    // A file's own top-level `WIKI` is the namespace only when the file makes it the global (`global.WIKI = WIKI`).
    const ownBinding = getFileFacts(file).topLevel.has(name) || getFileFacts(file).imports.has(name);
    const publishesOwn = ownBinding && roots.some((root) => root.getSourceFile() === file && isIdentifierNamed(root.right, name));
    for (const assignment of assignmentsIn(file)) {
      const left = skipOuterExpressions(assignment.left);
      if (!ts.isPropertyAccessExpression(left)) continue;
      const owner = skipOuterExpressions(left.expression);
      const viaGlobal = globalPropertyName(owner) === name;
      const viaName = ts.isIdentifier(owner) && owner.text === name && !isShadowed(owner, name) && (!ownBinding || publishesOwn);
      if (viaGlobal || viaName) add(left.name.text, assignment);
    }
  }
  return members;
}

/** `global.X`, `globalThis.X`, `global['X']`: the name X of the global it writes or reads. */
export function globalPropertyName(expression: ts.Expression): string | undefined {
  const target = skipOuterExpressions(expression);
  const owner = ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target) ? skipOuterExpressions(target.expression) : undefined;
  if (!owner || !ts.isIdentifier(owner) || !GLOBAL_OBJECTS.has(owner.text) || isShadowed(owner, owner.text)) return undefined;
  if (ts.isPropertyAccessExpression(target)) return target.name.text;
  return ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression) ? target.argumentExpression.text : undefined;
}

function isIdentifierNamed(expression: ts.Expression, name: string): boolean {
  const value = skipOuterExpressions(expression);
  return ts.isIdentifier(value) && value.text === name;
}

const assignmentCache = new WeakMap<ts.SourceFile, readonly ts.BinaryExpression[]>();

/** Every plain assignment (`a.b = c`) of a file whose target is a member access. */
export function assignmentsIn(file: ts.SourceFile): readonly ts.BinaryExpression[] {
  let found = assignmentCache.get(file);
  if (found) return found;
  const list: ts.BinaryExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) list.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  found = list;
  assignmentCache.set(file, found);
  return found;
}
