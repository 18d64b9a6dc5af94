import ts = require('typescript');
import type { TextEdit } from '../types';
import { skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';
import { referencesOf } from './references';
import type { PlanResult } from './state-fixes';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * A record of named counts that all start at 0 (`stats: { requests: 0, uploads: 0 }`), counted
 * with `o.requests++` / `o.bytes += n` and read as `o.requests`: each count becomes its own Redis
 * counter, `createCounter('stats.requests')`, which reads 0 until it is first counted, as the 0 in
 * the record did. Every use must name one of the record's counts: the record itself, a count it
 * did not start with, or a count that does not start at 0 would mean something else in Redis.
 */
export function counterRecordPlan(name: ts.Identifier, record: ts.ObjectLiteralExpression, context: FixContext): PlanResult {
  const file = record.getSourceFile();
  const counts = new Set<string>();
  const edits: TextEdit[] = [];
  for (const property of record.properties) {
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) return { refused: `\`${property.getText()}\` in \`${name.text}\` is not a named count` };
    const initial = skipOuterExpressions(property.initializer).getText();
    // A count that starts elsewhere needs its start in Redis, and no instance may set it twice.
    if (initial !== '0') return { refused: `\`${name.text}.${property.name.text}\` starts at ${initial}, not 0` };
    counts.add(property.name.text);
    edits.push({ fileName: file.fileName, start: property.initializer.getStart(file), end: property.initializer.getEnd(), newText: `createCounter('${name.text}.${property.name.text}')` });
  }
  const rewriter = context.rewriter();
  for (const reference of referencesOf(context.program, name)) {
    if (reference === name || isModuleName(reference)) continue;
    const holder = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    const count = holder.parent;
    if (!ts.isPropertyAccessExpression(count) || count.expression !== holder) return { refused: `\`${count.getText()}\` (${context.where(reference)}) uses the record \`${name.text}\` whole, and its counts live in Redis one by one` };
    if (!counts.has(count.name.text)) return { refused: `\`${count.getText()}\` (${context.where(reference)}) is not one of the counts \`${name.text}\` starts with` };
    const use = countUse(count);
    if (!use) return { refused: `\`${count.parent.getText()}\` (${context.where(reference)}) has no counterpart in the Redis counter` };
    rewriter.awaitExpression(use.node, use.text);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const adapter = useAdapter('counter.ts', context.projectRoot, context.adapterDir, context.exists);
  const importLine = importEdit(file, ['createCounter'], moduleSpecifier(file, adapter.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: 'counterMoveToRedis', data: { name: name.text, adapter: context.displayPath(adapter.fileName) }, edits, createFiles: adapter.createFiles, dependencies: adapter.dependencies } };
}

/** One use of a count `o.k` with the adapter: `o.k++` increments, `o.k += n` adds, `o.k = v;` sets, anything else reads. */
function countUse(count: ts.PropertyAccessExpression): { node: ts.Expression; text: string } | undefined {
  const text = count.getText();
  const use = count.parent;
  if ((ts.isPostfixUnaryExpression(use) || ts.isPrefixUnaryExpression(use)) && (use.operator === SyntaxKind.PlusPlusToken || use.operator === SyntaxKind.MinusMinusToken)) {
    // `o.k++` as a value is the count before: increment gives the count after.
    if (ts.isPostfixUnaryExpression(use) && !ts.isExpressionStatement(use.parent)) return undefined;
    return { node: use, text: `${text}.increment(${use.operator === SyntaxKind.PlusPlusToken ? '' : '-1'})` };
  }
  if (ts.isBinaryExpression(use) && use.left === count) {
    const operator = use.operatorToken.kind;
    if (operator === SyntaxKind.PlusEqualsToken) return { node: use, text: `${text}.increment(${use.right.getText()})` };
    if (operator === SyntaxKind.MinusEqualsToken) return { node: use, text: `${text}.increment(-(${use.right.getText()}))` };
    if (operator === SyntaxKind.EqualsToken && ts.isExpressionStatement(use.parent)) return { node: use, text: `${text}.set(${use.right.getText()})` };
    return undefined;
  }
  if (ts.isDeleteExpression(use)) return undefined;
  return { node: count, text: `${text}.get()` };
}

function isModuleName(reference: ts.Identifier): boolean {
  return ts.isImportSpecifier(reference.parent) || ts.isExportSpecifier(reference.parent) || ts.isImportClause(reference.parent);
}
