import ts = require('typescript');
import type { Finding, RemovedStatement, TextEdit } from '../types';
import { getFileFacts } from '../analysis/file-facts';
import type { RequestGraph } from '../analysis/request-graph';
import { findOwnMemorySessionStores } from '../analysis/session-middleware';
import { skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { importEdit, importLeftUnused, importSwap, moduleSpecifier, useAdapter } from './module-edits';
import type { PlanResult } from './state-fixes';

/**
 * koa-session given a store of the app's own that keeps the sessions in a module `Map`: the
 * `store` option gets the Redis-backed store (`redisSessionStore()`, whose `set` turns koa-session's
 * `maxAge` into the entry's expiry), so every instance reads the same sessions. The hand-written
 * store's import goes when nothing else in the file uses it (the module itself stays, unused). A
 * store that other code also uses (an admin page listing sessions, a logout-everywhere loop) would
 * go on reading this process's sessions: the fix is refused with that use.
 */
export function koaSessionStorePlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext, graph: RequestGraph): PlanResult | undefined {
  const found = findOwnMemorySessionStores(getFileFacts(sourceFile), graph).find((store) => store.node.getStart(sourceFile) === finding.start);
  if (!found || !(ts.isPropertyAssignment(found.node) || ts.isShorthandPropertyAssignment(found.node))) return undefined;
  const property = found.node;
  const given = ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : property.name;
  // `new MemorySessionStore()`: the class is what the file imports and what other code may also use.
  const value = ts.isNewExpression(given) && ts.isIdentifier(given.expression) && (given.arguments?.length ?? 0) === 0 ? given.expression : given;
  const blocked = otherUse(value, property, sourceFile, context, graph);
  if (blocked) return { refused: blocked };

  const use = useAdapter('koa-session-store.ts', context.projectRoot, context.adapterDir, context.exists);
  const edits: TextEdit[] = [
    ts.isPropertyAssignment(property)
      ? { fileName: sourceFile.fileName, start: property.initializer.getStart(sourceFile), end: property.initializer.getEnd(), newText: 'redisSessionStore()' }
      : { fileName: sourceFile.fileName, start: property.getStart(sourceFile), end: property.getEnd(), newText: 'store: redisSessionStore()' },
  ];
  const removedStatements: RemovedStatement[] = [];
  const unused = ts.isIdentifier(value) ? importLeftUnused(sourceFile, value, [value]) : undefined;
  if (unused) {
    const from = ts.isStringLiteral(unused.moduleSpecifier) ? unused.moduleSpecifier.text : 'its module';
    removedStatements.push({ fileName: sourceFile.fileName, start: unused.getStart(sourceFile), end: unused.getEnd(), reason: `koa-session now keeps the sessions in Redis: the hand-written store is no longer used (${from} stays, unused)` });
  }
  edits.push(...importSwap(sourceFile, unused, importEdit(sourceFile, ['redisSessionStore'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()))));
  return {
    plan: {
      messageId: 'sessionStoreMoveToAdapter',
      data: { adapter: context.displayPath(use.fileName) },
      edits,
      createFiles: use.createFiles,
      dependencies: use.dependencies,
      removedStatements,
    },
  };
}

/** Why the hand-written store cannot be replaced: a use of it besides the `store` option, in this file or another. */
function otherUse(value: ts.Expression, option: ts.ObjectLiteralElement, sourceFile: ts.SourceFile, context: FixContext, graph: RequestGraph): string | undefined {
  if (!ts.isIdentifier(value)) return undefined;
  let blocked: string | undefined;
  const visit = (node: ts.Node): void => {
    if (blocked || node === option) return;
    if (ts.isIdentifier(node) && node.text === value.text && !isBindingName(node)) blocked = `the store \`${value.text}\` is also used at ${context.where(node)}, which would go on reading this process's sessions`;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (blocked) return blocked;
  // Another module that imports the store's module may read the same sessions.
  const declarationFiles = new Set(graph.resolver.declarationsOf(value).map((declaration) => declaration.getSourceFile()));
  declarationFiles.delete(sourceFile);
  if (declarationFiles.size === 0) return undefined;
  const checker = context.program.getTypeChecker();
  for (const file of context.program.getSourceFiles()) {
    if (file === sourceFile || declarationFiles.has(file) || file.isDeclarationFile || context.program.isSourceFileFromExternalLibrary(file)) continue;
    for (const specifier of moduleSpecifiers(file)) {
      const target = checker.getSymbolAtLocation(specifier)?.valueDeclaration;
      if (target && ts.isSourceFile(target) && declarationFiles.has(target)) return `the store's module (${context.displayPath(target.fileName)}) is also imported at ${context.where(specifier)}, which would go on reading this process's sessions`;
    }
  }
  return undefined;
}

/** `import x from 'm'`, `export … from 'm'`, `require('m')`, `import('m')`: the module names a file loads. */
function moduleSpecifiers(file: ts.SourceFile): ts.StringLiteralLike[] {
  const found: ts.StringLiteralLike[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)) found.push(node.moduleSpecifier);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) found.push(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The name an import or declaration binds (not a use of it). */
function isBindingName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return ((ts.isImportClause(parent) || ts.isImportSpecifier(parent) || ts.isNamespaceImport(parent) || ts.isVariableDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === node) || (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
}
