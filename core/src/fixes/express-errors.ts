import ts = require('typescript');
import type { FixPlan, TextEdit } from '../types';
import type { FunctionNode } from '../analysis/file-facts';
import type { RequestGraph } from '../analysis/request-graph';
import { asyncInsertionPoint } from './asyncify';
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
  const expressHandlers = new Set(graph.entries.filter((entry) => EXPRESS_FRAMEWORKS.has(entry.framework)).map((entry) => entry.handler));
  const wrapped = new Map<TextEdit, TextEdit[]>();
  const files = new Set<ts.SourceFile>();
  for (const handler of context.functionsMadeAsync()) {
    if (!expressHandlers.has(handler)) continue;
    const file = handler.getSourceFile();
    const at = asyncInsertionPoint(handler);
    const edit = plan.edits.find((candidate) => candidate.fileName === file.fileName && candidate.start === at && candidate.end === at && candidate.newText === 'async ');
    if (!edit || !isExpress4(file.fileName)) continue;
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

/** A function expression or arrow with no modifiers before it: `forwardErrors(` can go right where `async ` goes. */
function isWrappable(fn: FunctionNode): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  return !fn.modifiers || fn.modifiers.length === 0;
}
