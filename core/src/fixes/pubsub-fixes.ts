import ts = require('typescript');
import type { Finding, RemovedStatement, TextEdit } from '../types';
import { getFileFacts } from '../analysis/file-facts';
import { resolveImportedMember } from '../analysis/imports';
import { optionsObject } from '../analysis/options';
import { insertFirstProperty } from '../analysis/store-fixes';
import { skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { projectLanguage } from './language';
import { importEdit, importLeftUnused, importSwap, moduleSpecifier, useAdapter } from './module-edits';
import { referencesOf } from './references';
import { isImportOrExportName, type PlanResult } from './state-fixes';

/** EventEmitter methods the pub/sub adapter has with the same meaning (all but `emit` unchanged). */
const SAME_SHAPE = new Set(['on', 'addListener', 'once', 'off', 'removeListener', 'removeAllListeners', 'listenerCount', 'setMaxListeners']);
const EMITTER_MODULES = new Set(['events', 'eventemitter2', 'eventemitter3']);

/**
 * Gives a socket.io server the Redis adapter: `adapter: redisAdapter()` as the first option (or a
 * new options argument), the import of the generated `socket-io.ts` adapter, and its dependencies.
 * Nothing else changes: `io.emit`, rooms and handlers stay as they are.
 */
export function socketIoAdapterPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  const facts = getFileFacts(sourceFile);
  const creation = facts.calls.find(({ node }) => node.getStart(sourceFile) === finding.start)?.node;
  if (!creation) {
    return { refused: 'a NestJS gateway gets its adapter where the app starts: extend IoAdapter from @nestjs/platform-socket.io, call `server.adapter(redisAdapter())` in its createIOServer, and install it with `app.useWebSocketAdapter(…)` in main.ts' };
  }
  // A JavaScript project gets JavaScript adapters (inProjectLanguage); a .js file among TypeScript sources would import a .ts module.
  if (!/\.[cm]?tsx?$/.test(sourceFile.fileName) && projectLanguage(context.program, context.projectRoot).typescript) return { refused: 'the generated adapter modules are TypeScript and this file is JavaScript' };
  const clash = clashingName(facts, 'redisAdapter', 'socket-io');
  if (clash) return { refused: clash };
  const use = useAdapter('socket-io.ts', context.projectRoot, context.adapterDir, context.exists);
  const fileName = sourceFile.fileName;
  const property = 'adapter: redisAdapter()';
  const args = creation.arguments;
  if (!args) return { refused: `\`${creation.getText(sourceFile)}\` has no argument list to give the adapter to` };
  const edits: TextEdit[] = [];
  const first = args[0] && skipOuterExpressions(args[0]);
  const options = first && ts.isObjectLiteralExpression(first) ? first : args.length > 1 ? optionsObject(args[1], facts) : undefined;
  if (options === 'unknown') return { refused: 'the server options are not visible here' };
  const existing = typeof options === 'object' ? options.properties.find((candidate) => candidate.name !== undefined && ts.isIdentifier(candidate.name) && candidate.name.text === 'adapter') : undefined;
  // `adapter: undefined` gets a value; a second `adapter` key would be a type error, and the last one wins.
  if (existing && ts.isPropertyAssignment(existing)) edits.push({ fileName, start: existing.initializer.getStart(sourceFile), end: existing.initializer.getEnd(), newText: 'redisAdapter()' });
  else if (existing) return { refused: `\`${existing.getText(sourceFile)}\` already names the adapter option` };
  else if (options) edits.push(insertFirstProperty(options, property, sourceFile));
  else if (args.length === 0) edits.push({ fileName, start: args.pos, end: args.end, newText: `{ ${property} }` });
  else edits.push({ fileName, start: args[args.length - 1].getEnd(), end: args[args.length - 1].getEnd(), newText: `, { ${property} }` });
  const importLine = importEdit(sourceFile, ['redisAdapter'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  return { plan: { messageId: 'socketIoAddRedisAdapter', data: {}, edits, createFiles: use.createFiles, dependencies: use.dependencies } };
}

/**
 * Moves a module-level EventEmitter to the Redis pub/sub adapter, which has the same
 * `on`/`once`/`off`/`emit` shape: the declaration becomes `createPubSub('name')` and each `emit`
 * is awaited (it now publishes, and resolves once Redis has the message), the functions around it
 * becoming async up through their callers. Refused when a use has no counterpart: more than one
 * payload, a payload that cannot travel as JSON, the result of `emit` used, any other member.
 */
export function pubSubPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  const facts = getFileFacts(sourceFile);
  const name = finding.data.name;
  const declaration = facts.topLevel.get(name);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || declaration.name.getStart(sourceFile) !== finding.start || !declaration.initializer) {
    return { refused: `only a module-level emitter can move to the adapter, and \`${name}\` is a class field` };
  }
  const initializer = skipOuterExpressions(declaration.initializer);
  const member = ts.isNewExpression(initializer) ? resolveImportedMember(initializer.expression, facts.imports) : undefined;
  if (!ts.isNewExpression(initializer) || !member || !EMITTER_MODULES.has(member.module)) {
    return { refused: `\`${name}\` is not an EventEmitter (an RxJS Subject or a subclass): publish its values through the pub/sub adapter by hand` };
  }
  if ((initializer.arguments?.length ?? 0) > 0) return { refused: `\`${name}\` is created with options the adapter does not take (${initializer.arguments!.map((a) => a.getText(sourceFile)).join(', ')})` };
  const clash = clashingName(facts, 'createPubSub', 'pubsub');
  if (clash) return { refused: clash };
  const checker = context.program.getTypeChecker();
  const rewriter = context.rewriter();
  for (const reference of referencesOf(context.program, declaration.name)) {
    const parent = reference.parent;
    if (isImportOrExportName(reference)) continue;
    const call = ts.isPropertyAccessExpression(parent) && parent.expression === reference && ts.isCallExpression(parent.parent) && parent.parent.expression === parent ? parent.parent : undefined;
    const method = call && (parent as ts.PropertyAccessExpression).name.text;
    if (!call || !method || (!SAME_SHAPE.has(method) && method !== 'emit')) {
      return { refused: `\`${parent.getText()}\` (${context.where(reference)}) has no counterpart in the Redis pub/sub adapter` };
    }
    if (method !== 'emit') continue;
    if (call.arguments.length > 2) return { refused: `\`${call.getText()}\` (${context.where(call)}) sends more than one value; the adapter sends one payload` };
    const payload = call.arguments[1];
    if (payload && !travelsAsJson(checker, payload)) return { refused: `the payload of \`${call.getText()}\` (${context.where(call)}) is a function or a Map/Set, which does not travel as JSON` };
    if (!ts.isExpressionStatement(call.parent) && !ts.isAwaitExpression(call.parent)) return { refused: `\`${call.getText()}\` (${context.where(call)}) uses what emit returns, which the adapter answers differently` };
    rewriter.awaitExpression(call);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('pubsub.ts', context.projectRoot, context.adapterDir, context.exists);
  const edits: TextEdit[] = [{ fileName: sourceFile.fileName, start: declaration.initializer.getStart(sourceFile), end: declaration.initializer.getEnd(), newText: `createPubSub('${name}')` }];
  if (declaration.type) edits.push({ fileName: sourceFile.fileName, start: declaration.name.getEnd(), end: declaration.type.getEnd(), newText: '' });
  const callee = skipOuterExpressions(initializer.expression);
  const unusedImport = ts.isIdentifier(callee) ? importLeftUnused(sourceFile, callee, declaration.type ? [declaration.type] : []) : undefined;
  const importLine = importEdit(sourceFile, ['createPubSub'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  edits.push(...importSwap(sourceFile, unusedImport, importLine));
  edits.push(...rewriter.result());
  const removedStatements: RemovedStatement[] = unusedImport
    ? [{ fileName: sourceFile.fileName, start: unusedImport.getStart(sourceFile), end: unusedImport.getEnd(), reason: `it imported only what \`${name}\` was made of, a Redis channel now` }]
    : [];
  return { plan: { messageId: 'emitterMoveToRedisPubSub', data: { name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies, ...(removedStatements.length > 0 ? { removedStatements } : {}) } };
}

/** A top-level name the fix would import that the file already uses for something else. */
function clashingName(facts: ReturnType<typeof getFileFacts>, name: string, adapter: string): string | undefined {
  const imported = facts.imports.get(name);
  if (imported) return imported.module.endsWith(adapter) ? undefined : `\`${name}\` already names something else in this file`;
  return facts.topLevel.has(name) ? `\`${name}\` already names something else in this file` : undefined;
}

function travelsAsJson(checker: ts.TypeChecker, payload: ts.Expression): boolean {
  try {
    const type = checker.getTypeAtLocation(payload);
    if (type.getCallSignatures().length > 0) return false;
    const symbolName = type.getSymbol()?.getName();
    return symbolName !== 'Map' && symbolName !== 'Set' && symbolName !== 'WeakMap' && symbolName !== 'WeakSet';
  } catch {
    return false;
  }
}
