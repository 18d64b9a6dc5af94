import ts = require('typescript');
import type { FixPlan, TextEdit } from '../types';
import { getFileFacts } from './file-facts';
import type { DbEvent, PrimaryRoute } from './replicas';
import { skipOuterExpressions } from './text';

/**
 * The one-file edit that sends a replica read to the primary: `db.$primary.select()`,
 * `prisma.$primary().…`, `{ useMaster: true }`, or the client the same flow wrote with
 * (`replicaPool.query(…)` → `primaryPool.query(…)` after `primaryPool.query('INSERT …')`).
 */
export function primaryRouteFix(read: DbEvent, write?: DbEvent, checker?: ts.TypeChecker): Omit<FixPlan, 'message'> | undefined {
  const route = writerRoute(read, write, checker) ?? read.primaryRoute;
  if (!route) return undefined;
  const file = read.node.getSourceFile();
  let edit: TextEdit;
  let replacement: string;
  if (route.kind === 'insertAfter') {
    edit = { fileName: file.fileName, start: route.node.getEnd(), end: route.node.getEnd(), newText: route.text };
    replacement = `\`${route.node.getText()}${route.text}\``;
  } else if (route.kind === 'replaceClient') {
    edit = { fileName: file.fileName, start: route.node.getStart(), end: route.node.getEnd(), newText: route.text };
    replacement = `\`${route.text}\``;
  } else {
    const useMaster = useMasterEdit(route.call, route.argumentIndex);
    if (!useMaster) return undefined;
    edit = useMaster;
    replacement = '`useMaster: true`';
  }
  return { messageId: 'readFromPrimary', data: { replacement }, edits: [edit], createFiles: [], dependencies: [] };
}

function useMasterEdit(call: ts.CallExpression, index: number): TextEdit | undefined {
  const fileName = call.getSourceFile().fileName;
  const options = call.arguments[index];
  if (options) {
    const value = skipOuterExpressions(options);
    if (!ts.isObjectLiteralExpression(value)) return undefined;
    if (value.properties.length === 0) return { fileName, start: value.getStart(), end: value.getEnd(), newText: '{ useMaster: true }' };
    const last = value.properties[value.properties.length - 1];
    return { fileName, start: last.getEnd(), end: last.getEnd(), newText: ', useMaster: true' };
  }
  if (call.arguments.length !== index) return undefined;
  const at = index === 0 ? call.arguments.pos : call.arguments[index - 1].getEnd();
  return { fileName, start: at, end: at, newText: index === 0 ? '{ useMaster: true }' : ', { useMaster: true }' };
}

/**
 * Named clients (two pg pools, two knex instances): the read moves to the client its write ran on,
 * when that name means the same client where the read is written — the same symbol (typed), the
 * same module-scope name of the same file (untyped), or a field of the same class (`this.writer`).
 */
function writerRoute(read: DbEvent, write: DbEvent | undefined, checker: ts.TypeChecker | undefined): PrimaryRoute | undefined {
  const replica = read.client;
  const primary = write?.client;
  if (read.family !== 'clients' || !replica || !primary) return undefined;
  const replace = (text: string): PrimaryRoute => ({ kind: 'replaceClient', node: replica, text });
  if (ts.isPropertyAccessExpression(primary) && primary.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const sameClass = ts.isPropertyAccessExpression(replica) && replica.expression.kind === ts.SyntaxKind.ThisKeyword && enclosingClass(replica) === enclosingClass(primary);
    return sameClass && enclosingClass(primary) ? replace(primary.getText()) : undefined;
  }
  if (!ts.isIdentifier(primary) || !ts.isIdentifier(replica)) return undefined;
  if (checker) {
    const target = aliased(checker, checker.getSymbolAtLocation(primary));
    const inScope = checker.getSymbolsInScope(replica, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).find((symbol) => symbol.name === primary.text);
    return target && aliased(checker, inScope) === target ? replace(primary.text) : undefined;
  }
  const file = replica.getSourceFile();
  if (primary.getSourceFile() !== file) return undefined;
  const facts = getFileFacts(file);
  return facts.topLevel.has(primary.text) || facts.imports.has(primary.text) ? replace(primary.text) : undefined;
}

function aliased(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isClassLike(current)) return current;
  return undefined;
}
