import ts = require('typescript');
import type { FixPlan, TextEdit } from '../types';
import type { FunctionNode } from '../analysis/file-facts';
import type { RequestGraph } from '../analysis/request-graph';
import type { FixContext } from './context';
import { parseVersion, usedPackageVersion } from './installed-packages';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';

type Plan = Omit<FixPlan, 'message'>;

/** Registrations whose handlers Express runs: `app.get(…)`, `router.use(…)` (the `http` detector also sees Express routers). */
const EXPRESS_FRAMEWORKS = new Set(['express', 'http']);

/**
 * Express 4 calls a handler and ignores what it returns: a throw in a synchronous handler reaches
 * the error handler, but a rejected promise does not (it becomes an unhandled rejection, which ends
 * the process on Node 15+). When a plan makes an Express 4 handler async, the handler is wrapped in
 * `forwardErrors(…)` (an adapter that passes the rejection to `next`), so its errors still reach
 * the error handler. A handler that cannot be wrapped where it is written (a function declaration,
 * a method) makes the plan refused. Express 5 forwards rejections itself: nothing changes there.
 */
export function forwardHandlerRejections(plan: Plan, graph: RequestGraph, context: FixContext): { plan: Plan } | { refused: string } {
  const madeAsync = plan.edits.filter((edit) => edit.newText === 'async ' && edit.start === edit.end);
  if (madeAsync.length === 0) return { plan };
  const handlers = new Map<string, FunctionNode>();
  for (const entry of graph.entries) {
    if (!EXPRESS_FRAMEWORKS.has(entry.framework)) continue;
    const file = entry.handler.getSourceFile();
    handlers.set(`${file.fileName}\u0000${asyncPosition(entry.handler)}`, entry.handler);
  }
  const wrapped = new Map<TextEdit, TextEdit[]>();
  const files = new Set<ts.SourceFile>();
  for (const edit of madeAsync) {
    const handler = handlers.get(`${edit.fileName}\u0000${edit.start}`);
    if (!handler || !isExpress4(edit.fileName)) continue;
    const file = handler.getSourceFile();
    if (!isWrappable(handler)) {
      return { refused: `Express 4 does not pass a rejected promise to the error handler, and the handler made async (${context.where(handler)}) is not a function expression the fix can wrap in \`forwardErrors\`` };
    }
    wrapped.set(edit, [
      { ...edit, newText: 'forwardErrors(async ' },
      { fileName: file.fileName, start: handler.getEnd(), end: handler.getEnd(), newText: ')' },
    ]);
    files.add(file);
  }
  if (wrapped.size === 0) return { plan };
  const use = useAdapter('express-errors.ts', context.projectRoot, context.adapterDir, context.exists);
  const edits = plan.edits.flatMap((edit) => wrapped.get(edit) ?? [edit]);
  for (const file of files) {
    const line = importEdit(file, ['forwardErrors'], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
    if (line) edits.push(line);
  }
  const createFiles = [...plan.createFiles, ...use.createFiles.filter((created) => !plan.createFiles.some((other) => other.fileName === created.fileName))];
  return { plan: { ...plan, edits, createFiles } };
}

function isExpress4(fileName: string): boolean {
  const version = usedPackageVersion(fileName, 'express');
  const parsed = version === undefined ? undefined : parseVersion(version);
  return parsed !== undefined && parsed[0] < 5;
}

/** Where `async ` goes in front of a function (what the async rewrite inserts there). */
function asyncPosition(fn: FunctionNode): number {
  const file = fn.getSourceFile();
  if (ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn)) {
    const keyword = fn.getChildren(file).find((child) => child.kind === ts.SyntaxKind.FunctionKeyword);
    if (keyword) return keyword.getStart(file);
  }
  if (ts.isArrowFunction(fn)) return fn.getStart(file);
  return ts.isMethodDeclaration(fn) ? fn.name.getStart(file) : fn.getStart(file);
}

/** A function expression or arrow with no modifiers before it: `forwardErrors(` can go right where `async ` goes. */
function isWrappable(fn: FunctionNode): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  return !fn.modifiers || fn.modifiers.length === 0;
}
