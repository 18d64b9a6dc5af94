import ts = require('typescript');
import { skipOuterExpressions } from '../analysis/text';
import type { Finding, TextEdit } from '../types';
import type { FixContext } from './context';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';
import type { PlanResult } from './state-fixes';

/**
 * @nestjs/throttler registered with no storage (`ThrottlerModule.forRoot([{ ttl, limit }])`, or
 * `forRoot({ throttlers: […] })`) counts each tracker's hits in this process: the module is given the
 * Redis storage adapter, `forRoot({ throttlers: [{ ttl, limit }], storage: new RedisThrottlerStorage() })`,
 * so the guard counts every instance's requests against one limit. Both shapes are @nestjs/throttler 5
 * and later (times in milliseconds, the storage's `increment(key, ttl, …)`); version 4's
 * `forRoot({ ttl, limit })` (seconds), `forRootAsync` and options held in a variable are refused, naming them.
 */
export function throttlerStoragePlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  const call = callAt(sourceFile, finding.start);
  if (!call) return { refused: 'the ThrottlerModule registration could not be found where it was reported' };
  const where = `\`${call.expression.getText()}(…)\` (${context.where(call)})`;
  if (ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'forRootAsync') {
    return { refused: `${where} builds its options in a factory: return \`storage: new RedisThrottlerStorage()\` from it (the Redis storage adapter the fix writes for \`forRoot\`)` };
  }
  const options = call.arguments.length === 1 ? skipOuterExpressions(call.arguments[0]) : undefined;
  const use = useAdapter('throttler-storage.ts', context.projectRoot, context.adapterDir, context.exists);
  const storage = 'storage: new RedisThrottlerStorage()';
  let edit: TextEdit | undefined;
  if (options && ts.isArrayLiteralExpression(options)) {
    edit = { fileName: sourceFile.fileName, start: options.getStart(sourceFile), end: options.getEnd(), newText: `{ throttlers: ${options.getText(sourceFile)}, ${storage} }` };
  } else if (options && ts.isObjectLiteralExpression(options) && options.properties.some((property) => property.name?.getText(sourceFile) === 'throttlers') && !options.properties.some((property) => ts.isSpreadAssignment(property))) {
    const last = options.properties[options.properties.length - 1];
    edit = { fileName: sourceFile.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${storage}` };
  }
  if (!edit) return { refused: `${where} is not a list of throttlers (or \`{ throttlers }\`) written in place, which is where the fix adds \`${storage}\`; @nestjs/throttler 4's \`{ ttl, limit }\` counts in seconds, which the Redis storage adapter does not` };
  const importLine = importEdit(sourceFile, ['RedisThrottlerStorage'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  return {
    plan: {
      messageId: 'rateLimitThrottlerStorage',
      data: { library: finding.data.library ?? '@nestjs/throttler', adapter: context.displayPath(use.fileName) },
      edits: [edit, ...(importLine ? [importLine] : [])],
      createFiles: use.createFiles,
      dependencies: use.dependencies,
    },
  };
}

/** The `ThrottlerModule.forRoot(…)` call whose callee starts at `start` (where the finding is). */
function callAt(sourceFile: ts.SourceFile, start: number): ts.CallExpression | undefined {
  const visit = (node: ts.Node): ts.CallExpression | undefined => {
    if (node.getEnd() < start || node.getStart(sourceFile) > start) return undefined;
    if (ts.isCallExpression(node) && node.expression.getStart(sourceFile) === start) return node;
    return ts.forEachChild(node, visit);
  };
  return visit(sourceFile);
}
