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
  } else if (route.kind === 'replaceQuery') {
    edit = { fileName: file.fileName, start: route.node.getStart(), end: route.node.getEnd(), newText: route.text };
    replacement = route.label;
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
 * when that name means the same client where the read is written. The client is a name or a member
 * chain (`primaryPool`, `db.primary` of a module, `fastify.pg` of the instance, `this.writer`)
 * whose root, looked up where the read is, is the binding the write used: the same symbol (typed),
 * the same module-scope name of the same file or the same parameter of a function around both
 * (untyped), `this` of the same class.
 */
function writerRoute(read: DbEvent, write: DbEvent | undefined, checker: ts.TypeChecker | undefined): PrimaryRoute | undefined {
  const replica = read.client;
  const primary = write?.client;
  if (read.family !== 'clients' || !replica || !primary) return undefined;
  const primaryRoot = chainRoot(primary);
  const replicaRoot = chainRoot(replica);
  if (!primaryRoot || !replicaRoot) return undefined;
  const replace: PrimaryRoute = { kind: 'replaceClient', node: replica, text: primary.getText() };
  if (primaryRoot.kind === ts.SyntaxKind.ThisKeyword) {
    return replicaRoot.kind === ts.SyntaxKind.ThisKeyword && enclosingClass(primaryRoot) !== undefined && enclosingClass(replicaRoot) === enclosingClass(primaryRoot) ? replace : undefined;
  }
  if (!ts.isIdentifier(primaryRoot) || !ts.isIdentifier(replicaRoot)) return undefined;
  if (checker) {
    const target = aliased(checker, checker.getSymbolAtLocation(primaryRoot));
    const inScope = checker.getSymbolsInScope(replicaRoot, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).find((symbol) => symbol.name === primaryRoot.text);
    return target && aliased(checker, inScope) === target ? replace : undefined;
  }
  const file = replicaRoot.getSourceFile();
  if (primaryRoot.getSourceFile() !== file) return undefined;
  const parameterOf = declaringParameterFunction(primaryRoot.text, primaryRoot);
  if (parameterOf) return declaringParameterFunction(primaryRoot.text, replicaRoot) === parameterOf ? replace : undefined;
  const facts = getFileFacts(file);
  return facts.topLevel.has(primaryRoot.text) || facts.imports.has(primaryRoot.text) ? replace : undefined;
}

/** The name or `this` a member chain starts at (`db` of `db.primary`); undefined through calls or computed members. */
function chainRoot(expression: ts.Expression): ts.Expression | undefined {
  let current = expression;
  while (ts.isPropertyAccessExpression(current) && ts.isIdentifier(current.name)) current = current.expression;
  return ts.isIdentifier(current) || current.kind === ts.SyntaxKind.ThisKeyword ? current : undefined;
}

/** The nearest function around `location` with a parameter named `name` (untyped: the binding the name reads there). */
function declaringParameterFunction(name: string, location: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = location.parent as ts.Node | undefined; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionLike(current) && current.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name)) return current;
  }
  return undefined;
}

function aliased(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isClassLike(current)) return current;
  return undefined;
}
