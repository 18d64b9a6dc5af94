import * as path from 'node:path';
import ts = require('typescript');
import type { Finding, RemovedStatement, ReplacedStatement, TextEdit } from '../types';
import { findBlockingCall } from '../analysis/blocking-calls';
import { getFileFacts, isFunctionNode, type CallLike } from '../analysis/file-facts';
import { resolveImportedMember } from '../analysis/imports';
import type { RequestGraph } from '../analysis/request-graph';
import { short, skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { lostInQueue } from './job-arguments';
import { startWorkerWithNext } from './next-worker';
import { bindingRemoval, defaultImportEdit, hasModuleSyntax, importEdit, moduleSpecifier, onlyUseBinding, useAdapter } from './module-edits';
import { referencesOf, symbolOf } from './references';
import { isJavaScript, type PlanResult } from './state-fixes';

const FS_ASYNC = new Set(['readFile', 'writeFile', 'appendFile', 'readdir', 'stat', 'lstat', 'mkdir', 'unlink', 'rm', 'rename', 'copyFile', 'access', 'readlink', 'realpath', 'rmdir', 'truncate', 'mkdtemp', 'cp', 'opendir', 'chmod', 'chown', 'utimes', 'symlink', 'link']);
const PROMISIFIABLE: Record<string, Set<string>> = {
  zlib: new Set(['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress']),
  crypto: new Set(['pbkdf2', 'generateKeyPair', 'generateKey', 'generatePrime', 'checkPrime', 'hkdf']),
};
/**
 * Callback APIs whose `promisify(…)` has no usable type (`crypto.scrypt`: its last overload takes
 * options, so `promisify` gives `unknown` under every @types/node): they are wrapped in a promise
 * by hand, typed with what the callback yields.
 */
const WRAPPED: Record<string, Record<string, string>> = {
  crypto: { scrypt: 'Buffer' },
};

/**
 * Takes blocking work off the request: a sync API becomes its async twin, awaited (the functions
 * around it become async); slow work the handler calls through a named function moves to the job
 * queue — the handler enqueues it, and the worker runs the same function.
 */
export function blockingPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext, graph: RequestGraph, slowCalls: readonly { module: string; name: string }[]): PlanResult {
  const facts = getFileFacts(sourceFile);
  const blocking = facts.calls
    .map(({ node }) => findBlockingCall(node, facts, slowCalls, context.program.getTypeChecker(), graph.resolver))
    .find((candidate) => candidate !== undefined && candidate.node.getStart(sourceFile) === finding.start && candidate.node.getEnd() === finding.end);
  if (!blocking) return { refused: 'the call is not where the analysis found it' };
  return blocking.kind === 'sync' ? asyncTwin(blocking.call, context) : enqueueSlowWork(blocking.call, context, graph);
}

function asyncTwin(call: CallLike, context: FixContext): PlanResult {
  if (!ts.isCallExpression(call)) return { refused: 'only a call has an async twin' };
  const file = call.getSourceFile();
  const facts = getFileFacts(file);
  const member = resolveImportedMember(call.expression, facts.imports);
  const callee = skipOuterExpressions(call.expression);
  // A sandbox's `vm.run(code)`: the script runs to its end whatever API starts it.
  if (!member) return { refused: `\`${callee.getText()}\` has no drop-in async twin; move the work to a job queue` };
  // `import { scryptSync } from 'node:crypto'`: the async twin is imported by name beside it.
  const specifier = ts.isIdentifier(callee) && member.path.length === 1 ? importedFrom(callee, context) : undefined;
  if (!ts.isPropertyAccessExpression(callee) && !specifier) return { refused: `\`${callee.getText()}\` is imported by name; call the async API on the module instead` };
  const name = member.path[member.path.length - 1];
  const base = name.replace(/Sync$/, '');
  const namespace = ts.isPropertyAccessExpression(callee) ? callee.expression.getText() : undefined;
  const args = call.arguments.map((argument) => argument.getText()).join(', ');
  const edits: TextEdit[] = [];
  const removedStatements: RemovedStatement[] = [];
  /** The async twin `twin` of the module (`crypto.scrypt`), or the name imported from `from` (`scrypt`); undefined when that name means something else here. */
  const twin = (asyncName: string, from = specifier): string | undefined => {
    if (namespace !== undefined) return `${namespace}.${asyncName}`;
    if (!from || !isFreeFor(call, asyncName, from, context)) return undefined;
    // The sync name's only use was this call: its import would be left unused (an error under noUnusedLocals, a lint warning).
    const binding = ts.isIdentifier(callee) ? onlyUseBinding(callee, context) : undefined;
    const inScope = context.program.getTypeChecker().getSymbolsInScope(call, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).some((symbol) => symbol.name === asyncName);
    if (binding && from === specifier && !inScope) {
      // `import { scryptSync } from 'node:crypto'` → `import { scrypt } from 'node:crypto'`
      edits.push({ fileName: file.fileName, start: binding.getStart(file), end: binding.getEnd(), newText: asyncName });
      return asyncName;
    }
    const added = importEdit(file, [asyncName], from);
    if (binding) {
      const removal = bindingRemoval(binding, added);
      edits.push(...removal.edits);
      if (removal.statement) removedStatements.push({ fileName: file.fileName, start: removal.statement.getStart(file), end: removal.statement.getEnd(), reason: `\`${binding.name.getText()}\` has no other use, and \`${asyncName}\` is imported from ${from} in its place` });
    } else if (added) edits.push(added);
    return asyncName;
  };
  const taken = (asyncName: string): PlanResult => ({ refused: `\`${callee.getText()}\` is imported by name, and \`${asyncName}\` already means something else here; call the async API on the module instead` });
  let replacement: string;
  let shown: string;
  if ((member.module === 'fs' || member.module === 'fs-extra') && FS_ASYNC.has(base)) {
    const twinName = namespace !== undefined ? `${namespace}.promises.${base}` : twin(base, member.module === 'fs' ? `${specifier}/promises` : specifier);
    if (!twinName) return taken(base);
    replacement = `${(shown = twinName)}(${args})`;
  } else if ((member.module === 'bcrypt' || member.module === 'bcryptjs') && ['hash', 'compare', 'genSalt'].includes(base)) {
    const twinName = twin(base);
    if (!twinName) return taken(base);
    replacement = `${(shown = twinName)}(${args})`;
  } else if (PROMISIFIABLE[member.module]?.has(base)) {
    const twinName = twin(base);
    if (!twinName) return taken(base);
    shown = `promisify(${twinName})`;
    replacement = `${shown}(${args})`;
    const util = importEdit(file, ['promisify'], 'node:util');
    if (util && ![...facts.imports].some(([local, binding]) => local === 'promisify' && binding.module === 'util')) edits.push(util);
  } else if (WRAPPED[member.module]?.[base]) {
    if (call.arguments.some((argument) => /\b(?:resolve|reject)\b/.test(argument.getText()))) return { refused: `an argument of \`${callee.getText()}\` names \`resolve\` or \`reject\`, which the promise around the async call would hide` };
    const twinName = twin(base);
    if (!twinName) return taken(base);
    shown = twinName;
    const typed = /\.[cm]?tsx?$/.test(file.fileName) ? `<${WRAPPED[member.module][base]}>` : '';
    replacement = `new Promise${typed}((resolve, reject) => ${shown}(${args}, (error, result) => (error ? reject(error) : resolve(result))))`;
  } else return { refused: `\`${callee.getText()}\` has no drop-in async twin; move the work to a job queue` };
  const rewriter = context.rewriter();
  rewriter.awaitExpression(call, replacement);
  if (rewriter.refused) return { refused: rewriter.refused };
  edits.push(...rewriter.result());
  return { plan: { messageId: 'useAsyncApi', data: { replacement: shown }, edits, createFiles: [], dependencies: [], ...(removedStatements.length > 0 ? { removedStatements } : {}) } };
}

/** The module a name is imported from by name (`import { scryptSync } from 'node:crypto'`, `const { scryptSync } = require('crypto')`), as written. */
function importedFrom(name: ts.Identifier, context: FixContext): string | undefined {
  // The local binding itself (the alias), not the module's function it stands for.
  const declaration = context.program.getTypeChecker().getSymbolAtLocation(name)?.declarations?.[0];
  if (declaration && ts.isImportSpecifier(declaration)) {
    const module = declaration.parent.parent.parent.moduleSpecifier;
    return ts.isStringLiteral(module) && (declaration.propertyName ?? declaration.name).text === name.text ? module.text : undefined;
  }
  if (declaration && ts.isBindingElement(declaration) && !declaration.propertyName && ts.isObjectBindingPattern(declaration.parent) && ts.isVariableDeclaration(declaration.parent.parent)) {
    const initializer = declaration.parent.parent.initializer && skipOuterExpressions(declaration.parent.parent.initializer);
    const required = initializer && ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && initializer.expression.text === 'require' ? initializer.arguments[0] : undefined;
    return required && ts.isStringLiteral(required) && ts.isSourceFile(declaration.parent.parent.parent.parent.parent) ? required.text : undefined;
  }
  return undefined;
}

/** Whether `name` at `at` is unused, or already the same member imported by name from `specifier`. */
function isFreeFor(at: ts.Node, name: string, specifier: string, context: FixContext): boolean {
  const checker = context.program.getTypeChecker();
  const existing = checker.getSymbolsInScope(at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).find((symbol) => symbol.name === name);
  if (!existing) return true;
  const declaration = existing.declarations?.[0];
  if (!declaration || declaration.getSourceFile() !== at.getSourceFile()) return false;
  const reference = ts.isImportSpecifier(declaration) || ts.isBindingElement(declaration) ? declaration.name : undefined;
  return reference !== undefined && ts.isIdentifier(reference) && importedFrom(reference, context) === specifier;
}

/**
 * `await sendOrderConfirmation(…)` in a handler → `await enqueueJob('sendOrderConfirmation', [...])`,
 * with the function registered in the adapter folder's `jobs.ts` for the worker. When the handler
 * answers with the result, it answers `202 Accepted` with the job id instead.
 */
function enqueueSlowWork(slow: CallLike, context: FixContext, graph: RequestGraph): PlanResult {
  const reaches = graph.reachesOf(slow);
  const reach = reaches.find((candidate) => candidate.calls.length > 0);
  if (!reach) {
    // The worker runs a module function by name with serializable arguments; `fastify.mailer.sendMail(…)` inline has neither.
    const file = slow.getSourceFile();
    const owner = ts.isCallExpression(slow) && ts.isPropertyAccessExpression(skipOuterExpressions(slow.expression)) ? (skipOuterExpressions(slow.expression) as ts.PropertyAccessExpression).expression : undefined;
    const imported = owner !== undefined && ts.isIdentifier(owner) && getFileFacts(file).imports.has(owner.text);
    const uses = owner && !imported ? `, on \`${owner.getText()}\`, which the worker does not have` : '';
    return { refused: `\`${short(slow)}\` (${context.displayPath(file.fileName)}:${file.getLineAndCharacterOfPosition(slow.getStart(file)).line + 1}) is written in the handler itself${uses}; move it into a module function the worker can run` };
  }
  const call = reach.calls[jobCallIndex(reach.calls, handlerCallIndex(reach.calls, slow, context, graph))];
  if (!ts.isCallExpression(call)) return { refused: 'the slow work starts with `new`; move it into a function the worker can run' };
  const callee = skipOuterExpressions(call.expression);
  const last = call.arguments[call.arguments.length - 1] as ts.Expression | undefined;
  const continuation = last && (ts.isFunctionExpression(last) || ts.isArrowFunction(last)) ? last : undefined;
  if (continuation) {
    // The request goes on in the callback: it runs once the job is enqueued, with the enqueue's error or null — unless it uses what the work gives back.
    const used = continuation.parameters.slice(1).find((parameter) => !ts.isIdentifier(parameter.name) || referencesOf(context.program, parameter.name).length > 0);
    if (used) {
      const file = call.getSourceFile();
      return { refused: `the request goes on in the callback given to \`${callee.getText()}(…)\` (${context.displayPath(file.fileName)}:${file.getLineAndCharacterOfPosition(call.getStart(file)).line + 1}) and uses what the work gives back (\`${used.name.getText()}\`), which a queued job does not return` };
    }
  }
  const checker = context.program.getTypeChecker();
  const imports = getFileFacts(call.getSourceFile()).imports;
  const member = ts.isPropertyAccessExpression(callee) ? resolveImportedMember(callee, imports) : undefined;
  // `mailer.sendWelcome(…)` with `mailer = require('./mailer')`: a function of the program's own module.
  // `mailer.sendWelcome(…)` with `import { mailer } from './mailer'`: a method of an object the module exports by name.
  const ofNamedObject = member !== undefined && member.module.startsWith('.') && member.path.length === 2;
  const name = ts.isIdentifier(callee) ? callee : member && member.module.startsWith('.') && (member.path.length === 1 || ofNamedObject) && ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  if (!name) return { refused: `\`${callee.getText()}\` is a method; the worker can only run a module function` };
  const declaration = symbolOf(checker, name)?.declarations?.[0];
  const isModuleFunction = declaration !== undefined && (ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration) || (!ts.isIdentifier(callee) && !declaration.getSourceFile().isDeclarationFile));
  if (!declaration || !isModuleFunction) return { refused: `\`${name.text}\` is not a module function the worker can import` };
  const declaringFile = declaration.getSourceFile();
  // Read as a property of the module it is required from, it is exported.
  // So is a function the call site itself takes from the module by name (`const { sendWelcome } = require('./mail')`).
  const takenByName = ts.isIdentifier(callee) && imports.get(callee.text)?.module.startsWith('.') === true && imports.get(callee.text)?.path.join('.') === name.text;
  const exported = !ts.isIdentifier(callee) || takenByName || (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export) !== 0 || exportedByModule(checker, declaringFile, name.text);
  // Not exported: a function at the top of its module gets exported, so the worker can import it.
  const exportEdits = exported ? [] : exportEditsOf(declaration, name.text, context);
  if (typeof exportEdits === 'string') return { refused: exportEdits };
  // A worker runs its own copy of the module: what the work changes there (`this.sent++`, a module counter) the web process would never see.
  const ownChange = changedProcessState(declaration);
  if (ownChange) return { refused: `\`${short(call)}\` changes \`${ownChange.getText()}\` (${context.where(ownChange)}), which this process keeps and reads; run by the worker, it would change the worker's copy instead` };
  // `mailer.sendWelcome(…)` where the module exports an object whose method reads `this`: the worker calls it on that object.
  const receiver = ts.isPropertyAccessExpression(callee) && (isMethodOfObject(declaration) || ofNamedObject) ? boundReceiver(callee, declaringFile, context) : undefined;
  if (typeof receiver === 'string') return { refused: receiver };
  const jobName = receiver ? `${receiver.local}.${name.text}` : name.text;

  const file = call.getSourceFile();
  const edits: TextEdit[] = [];
  const replacedStatements: ReplacedStatement[] = [];
  const awaited = ts.isAwaitExpression(call.parent) ? call.parent : undefined;
  const statement = (awaited ?? call).parent;
  const jobArguments = continuation ? call.arguments.slice(0, -1) : call.arguments;
  for (const argument of jobArguments) {
    const given = handlerParameter(argument, context);
    if (given) return { refused: `the job's argument \`${short(argument)}\` (${context.where(argument)}) ${given === skipOuterExpressions(argument).getText() ? 'is' : 'holds'} what the handler was given (\`${given}\`), which the queue cannot copy; pass the job the data it needs` };
    const lost = lostInQueue(argument, checker);
    if (lost) return { refused: `the job's argument \`${short(argument)}\` (${context.where(argument)}) is ${lost}; pass the job the data it needs` };
  }
  const enqueue = `enqueueJob('${jobName}', [${jobArguments.map((argument) => argument.getText()).join(', ')}])`;
  let changesApi = false;
  if (continuation) {
    // `callbackify(() => enqueueJob(…))(callback)`: the callback, kept verbatim, runs once the job is enqueued.
    edits.push({ fileName: file.fileName, start: call.getStart(file), end: continuation.getStart(file), newText: `callbackify(() => ${enqueue})(` });
    edits.push({ fileName: file.fileName, start: continuation.getEnd(), end: call.getEnd(), newText: ')' });
    const util = importEdit(file, ['callbackify'], 'node:util');
    if (util && ![...imports].some(([local, binding]) => local === 'callbackify' && binding.module === 'util')) edits.push(util);
  } else if (ts.isExpressionStatement(statement)) {
    edits.push({ fileName: file.fileName, start: call.getStart(file), end: call.getEnd(), newText: awaited ? enqueue : `await ${enqueue}` });
  } else {
    const response = answeredWith(statement);
    if (!response) {
      const use = resultUse(awaited ?? call);
      return { refused: `the handler goes on to use what \`${name.text}()\` returns: \`${short(use)}\` (${context.displayPath(file.fileName)}:${file.getLineAndCharacterOfPosition(use.getStart(file)).line + 1}); move that work into the job too` };
    }
    const enqueued = `const { id: jobId } = await ${enqueue};`;
    edits.push({ fileName: file.fileName, start: response.declaration.getStart(file), end: response.declaration.getEnd(), newText: enqueued });
    replacedStatements.push({ fileName: file.fileName, start: response.declaration.getStart(file), end: response.declaration.getEnd(), replacement: enqueued, reason: `the worker runs \`${name.text}\` and the handler answers 202 Accepted with the job id` });
    edits.push({ fileName: file.fileName, start: response.answer.getStart(file), end: response.answer.getEnd(), newText: `${response.responseName}.status(202).json({ jobId })` });
    changesApi = true;
  }
  const queue = useAdapter('job-queue.ts', context.projectRoot, context.adapterDir, context.exists);
  const worker = useAdapter('worker.ts', context.projectRoot, context.adapterDir, context.exists);
  const line = importEdit(file, ['enqueueJob'], moduleSpecifier(file, queue.fileName, context.program.getCompilerOptions()));
  if (line) edits.push(line);
  const jobs = registerJob(name.text, declaringFile, queue.fileName.replace(/job-queue\.ts$/, 'jobs.ts'), context, continuation !== undefined, receiver);
  if ('refused' in jobs) return jobs;
  edits.push(...jobs.edits, ...exportEdits);
  // A Next.js app never builds the worker file: its instrumentation hook starts the worker instead.
  const started = startWorkerWithNext(worker.fileName, context);
  edits.push(...started.edits);
  const createFiles = [...queue.createFiles, ...worker.createFiles.filter((created) => !queue.createFiles.some((other) => other.fileName === created.fileName)), ...jobs.createFiles, ...started.createFiles];
  const dependencies = [...new Map([...queue.dependencies, ...worker.dependencies].map((dependency) => [dependency.name, dependency])).values()];
  if (!continuation) {
    const rewriter = context.rewriter();
    rewriter.requireAsync(call);
    if (rewriter.refused) return { refused: rewriter.refused };
    edits.push(...rewriter.result());
  }
  return { plan: { messageId: changesApi ? 'enqueueAndAccept' : 'enqueueJob', data: { name: jobName }, edits, createFiles, dependencies, replacedStatements } };
}

/**
 * Where a function counts in state its process keeps: a field of its object (`this.sent++`), or a
 * variable at the top of its module (`sentCount += 1`), directly or in a method of the same object
 * it calls (`this.send(…)`), a few calls deep.
 */
/**
 * Where the chain leaves the handler the request runs: its first call, or past a hand-written
 * router's dispatch (`handle(req, res)` → `route.handler(req, res)`), the first call in the row's
 * handler (`context.isHandler`), so the job is the work that handler starts, not the router.
 */
function handlerCallIndex(calls: readonly CallLike[], slow: CallLike, context: FixContext, graph: RequestGraph): number {
  let index = 0;
  for (let at = 0; at + 1 < calls.length; at++) {
    const next = calls[at + 1] ?? slow;
    const inHandler = graph.callTargets(calls[at]).some((fn) => context.isHandler(fn) && fn.getSourceFile() === next.getSourceFile() && fn.getStart() <= next.getStart() && next.getEnd() <= fn.getEnd());
    if (inHandler) index = at + 1;
  }
  return index;
}

/**
 * The call the job runs: the handler's own call, unless the handler uses what that call returns
 * (`const result = await reservations.reserve(…); res.status(201).json(result)`) and a call further
 * down the chain to the slow work stands as a statement of its own, its result unused
 * (`await sendConfirmation(…)` inside `reserve`). Then only that call moves to the worker: the
 * handler keeps its answer and its errors (a conflict `reserve` throws is still a 409), where
 * queuing the whole of `reserve` would answer 202 for work that may yet fail.
 */
function jobCallIndex(calls: readonly CallLike[], handlerIndex: number): number {
  const standsAlone = (call: CallLike): boolean => {
    const value = ts.isAwaitExpression(call.parent) ? call.parent : call;
    return ts.isExpressionStatement(value.parent);
  };
  const first = calls[handlerIndex];
  const last = ts.isCallExpression(first) ? first.arguments[first.arguments.length - 1] : undefined;
  if (standsAlone(first) || (last && (ts.isFunctionExpression(last) || ts.isArrowFunction(last)))) return handlerIndex;
  for (let index = handlerIndex + 1; index < calls.length; index++) if (ts.isCallExpression(calls[index]) && standsAlone(calls[index])) return index;
  return handlerIndex;
}

function changedProcessState(declaration: ts.Declaration, depth = 0): ts.Node | undefined {
  const fn = ts.isFunctionLike(declaration) ? declaration : ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) ? declaration.initializer : undefined;
  if (!fn || !(ts.isFunctionLike(fn) && 'body' in fn && fn.body) || depth > 3) return undefined;
  const file = declaration.getSourceFile();
  const topLevel = getFileFacts(file).topLevel;
  const owner = ts.isMethodDeclaration(declaration) ? declaration.parent : undefined;
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // Counts and totals kept (`this.sent++`, `bytes += n`); a plain `=` is a client made on first use, which the worker makes its own of.
    const target = ts.isBinaryExpression(node) && node.operatorToken.kind > ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastCompoundAssignment ? node.left : (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) ? node.operand : undefined;
    if (target) {
      let root: ts.Expression = target;
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
      if (root.kind === ts.SyntaxKind.ThisKeyword && root !== target) found = node;
      else if (ts.isIdentifier(root) && topLevel.has(root.text) && !ts.findAncestor(root, (ancestor) => ancestor !== fn && ts.isFunctionLike(ancestor) && declaresLocal(ancestor, root.text)) && !declaresLocal(fn, root.text)) found = node;
    }
    // this.send(…): a method of the same class or object literal.
    if (!found && owner && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const members: readonly ts.Node[] = ts.isClassLike(owner) ? owner.members : ts.isObjectLiteralExpression(owner) ? owner.properties : [];
      const called = node.expression.name.text;
      const method = members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.name.getText() === called);
      if (method && method !== declaration) found = changedProcessState(method, depth + 1);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}

/** Whether a function declares `name` itself (a parameter or a local), which hides the module's. */
function declaresLocal(fn: ts.SignatureDeclaration, name: string): boolean {
  if (fn.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name)) return true;
  let declared = false;
  const visit = (node: ts.Node): void => {
    if (declared || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) declared = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return declared;
}

/** A method of a class, or a function in an object literal that reads `this`: called without its object, it would lose it. */
function isMethodOfObject(declaration: ts.Declaration): boolean {
  if (ts.isMethodDeclaration(declaration) && ts.isClassLike(declaration.parent)) return true;
  const fn = ts.isMethodDeclaration(declaration) ? declaration : ts.isPropertyAssignment(declaration) && (ts.isFunctionExpression(declaration.initializer) || ts.isArrowFunction(declaration.initializer)) ? declaration.initializer : undefined;
  if (!fn || ts.isArrowFunction(fn)) return false;
  let readsThis = false;
  const visit = (node: ts.Node): void => {
    if (readsThis || (ts.isFunctionLike(node) && !ts.isArrowFunction(node) && node !== fn)) return;
    if (node.kind === ts.SyntaxKind.ThisKeyword) readsThis = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return readsThis;
}

/** How the call site names the object the module exports, so the worker can import it the same way and call the method on it. */
export interface BoundReceiver {
  local: string;
  /** Exported by that name (`export const mailer = new Mailer()`), not as the module or its default. */
  named?: true;
}

/**
 * `mailer` of `mailer.sendWelcome(…)`, when it is the whole module (`const mailer = require('./mailer')`
 * in JavaScript), its default export (`import mailer from './mailer'`) or an export of that name
 * (`import { mailer } from './mailer'`), and that module declares
 * the method. Otherwise why the worker could not reach the object.
 */
function boundReceiver(callee: ts.PropertyAccessExpression, declaringFile: ts.SourceFile, context: FixContext): BoundReceiver | string {
  const object = skipOuterExpressions(callee.expression);
  const refused = `\`${callee.getText()}\` is a method of an object, which the worker could not import the way this file does; move the work into a module function`;
  if (!ts.isIdentifier(object)) return refused;
  const binding = getFileFacts(callee.getSourceFile()).imports.get(object.text);
  // Imported by its own name (`import { mailer }`, `const { mailer } = require(…)`), the registry imports it by that name too.
  const named = binding !== undefined && binding.path.length === 1 && binding.path[0] === object.text;
  if (!binding || !binding.module.startsWith('.') || (binding.path.length > 0 && !named)) return refused;
  // The registry imports it the same way: a default import, or in JavaScript the module `require` returns.
  const declaration = context.program.getTypeChecker().getSymbolAtLocation(object)?.declarations?.[0];
  const byDefault = declaration !== undefined && ts.isImportClause(declaration) && declaration.name !== undefined;
  const required = declaration !== undefined && ts.isVariableDeclaration(declaration) && isJavaScript(callee.getSourceFile());
  const byName = named && declaration !== undefined && (ts.isImportSpecifier(declaration) || (ts.isBindingElement(declaration) && isJavaScript(callee.getSourceFile())));
  if (!byDefault && !required && !byName) return refused;
  const target = path.resolve(path.dirname(callee.getSourceFile().fileName), binding.module).replace(/\.[cm]?[jt]sx?$/, '');
  const declaring = declaringFile.fileName.replace(/\.[cm]?[jt]sx?$/, '');
  if (declaring !== target && declaring !== `${target}/index`) return `\`${callee.getText()}\` is a method declared in ${context.displayPath(declaringFile.fileName)}, not in the module \`${object.text}\` comes from; move the work into a module function`;
  return named ? { local: object.text, named: true } : { local: object.text };
}

/**
 * The edits that export a function declared at the top of its module: `export` in front of it in a
 * module with `import`/`export` syntax, or `module.exports.name = name;` at the end of a CommonJS
 * file (after any `module.exports = …`, so the object it ends up exporting has it). Why not, when
 * the function is nested, or the file is a Next.js page or route, whose exports Next.js checks.
 */
function exportEditsOf(declaration: ts.Declaration, name: string, context: FixContext): TextEdit[] | string {
  const file = declaration.getSourceFile();
  const statement = ts.isFunctionDeclaration(declaration) ? declaration : ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && declaration.parent.declarations.length === 1 ? declaration.parent.parent : undefined;
  if (!statement || statement.parent !== file) return `\`${name}\` is not exported, and is not declared at the top of its module, where an export could be added`;
  const relative = context.displayPath(file.fileName);
  if (/(?:^|\/)pages\//.test(relative) || /(?:^|\/)app\/(?:.*\/)?(?:route|page|layout)\.[cm]?[jt]sx?$/.test(relative)) return `\`${name}\` is not exported, and ${relative} is a Next.js page or route, whose exports Next.js checks`;
  if (hasModuleSyntax(file)) return [{ fileName: file.fileName, start: statement.getStart(file), end: statement.getStart(file), newText: 'export ' }];
  if (!isJavaScript(file)) return `\`${name}\` is not exported, and ${relative} is a script without imports or exports, whose names an export would take out of the global scope`;
  const end = file.text.length;
  const newline = file.text.endsWith('\n') ? '' : '\n';
  return [{ fileName: file.fileName, start: end, end, newText: `${newline}module.exports.${name} = ${name};\n` }];
}

/**
 * `req` given to a queued job: a parameter of the handler (the request, the response, a context),
 * made of sockets and methods; also inside an object or array the job is given (`{ mailOptions, req }`).
 */
function handlerParameter(argument: ts.Expression, context: FixContext): string | undefined {
  const value = skipOuterExpressions(argument);
  const checker = context.program.getTypeChecker();
  if (ts.isObjectLiteralExpression(value)) {
    for (const property of value.properties) {
      const given = ts.isPropertyAssignment(property)
        ? handlerParameter(property.initializer, context)
        : ts.isShorthandPropertyAssignment(property)
          ? givenToHandler(checker.getShorthandAssignmentValueSymbol(property)?.valueDeclaration, property.name.text, context)
          : ts.isSpreadAssignment(property)
            ? handlerParameter(property.expression, context)
            : undefined;
      if (given) return given;
    }
    return undefined;
  }
  if (ts.isArrayLiteralExpression(value)) {
    for (const element of value.elements) {
      const given = handlerParameter(ts.isSpreadElement(element) ? element.expression : element, context);
      if (given) return given;
    }
    return undefined;
  }
  if (!ts.isIdentifier(value)) return undefined;
  return givenToHandler(symbolOf(checker, value)?.valueDeclaration, value.text, context);
}

function givenToHandler(declaration: ts.Declaration | undefined, name: string, context: FixContext): string | undefined {
  if (!declaration || !ts.isParameter(declaration) || !isFunctionNode(declaration.parent) || !context.isHandler(declaration.parent)) return undefined;
  return isDataParameter(declaration, context.program.getTypeChecker()) ? undefined : name;
}

/** Decorators that hand a handler a piece of the request's data: NestJS `@Body()`, `@Param('id')`, TypeGraphQL's `@Arg('chapterId')`. */
const DATA_DECORATORS = new Set(['Body', 'Param', 'Query', 'Headers', 'Arg', 'Args', 'Payload', 'MessageBody']);
const PRIMITIVE = ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.EnumLike;

/**
 * A handler's parameter that is data rather than the request or its context: a number or string
 * (`chapterId: number` of a resolver), or one a decorator fills from the request's data. The queue
 * copies it as it copies anything else (`lostInQueue` still reads its type).
 */
function isDataParameter(parameter: ts.ParameterDeclaration, checker: ts.TypeChecker): boolean {
  const decorators = ts.canHaveDecorators(parameter) ? (ts.getDecorators(parameter) ?? []) : [];
  if (decorators.some((decorator) => ts.isCallExpression(decorator.expression) && ts.isIdentifier(decorator.expression.expression) && DATA_DECORATORS.has(decorator.expression.expression.text))) return true;
  if (!parameter.type) return false;
  try {
    const type = checker.getTypeAtLocation(parameter);
    const parts = type.isUnion() ? type.types : [type];
    return parts.every((part) => (part.flags & (PRIMITIVE | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0) && parts.some((part) => (part.flags & PRIMITIVE) !== 0);
  } catch {
    return false;
  }
}

/** Exported under its name some other way, e.g. CommonJS `module.exports = { name }`. */
function exportedByModule(checker: ts.TypeChecker, file: ts.SourceFile, name: string): boolean {
  const module = checker.getSymbolAtLocation(file);
  return module !== undefined && checker.getExportsOfModule(module).some((symbol) => symbol.name === name);
}

/** Where the handler takes the result: the callback of `.then(…)`, or the expression around the call. */
function resultUse(value: ts.Expression): ts.Node {
  const parent = value.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === value && ts.isCallExpression(parent.parent) && parent.parent.arguments[0]) return parent.parent.arguments[0];
  return ts.isParenthesizedExpression(parent) || ts.isReturnStatement(parent) ? value : parent;
}

/** `const pdf = await render(…); res.send(pdf);` — the result only goes into the response. */
function answeredWith(parent: ts.Node): { declaration: ts.VariableStatement; answer: ts.CallExpression; responseName: string } | undefined {
  const declaration = parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isVariableStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
  const name = declaration.name.text;
  const later = statement.parent.statements.slice(statement.parent.statements.indexOf(statement) + 1);
  let answer: ts.CallExpression | undefined;
  let otherUse = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) {
      const argumentOf = node.parent;
      if (ts.isCallExpression(argumentOf) && argumentOf.arguments.length === 1 && /^\w+\.(?:status\(\d+\)\.)?(?:send|json)$/.test(argumentOf.expression.getText()) && !answer) answer = argumentOf;
      else otherUse = true;
    }
    ts.forEachChild(node, visit);
  };
  for (const next of later) visit(next);
  if (!answer || otherUse) return undefined;
  return { declaration: statement, answer, responseName: answer.expression.getText().split('.')[0] };
}

/**
 * Adds the function to the jobs registry the worker reads (creating it the first time). A
 * callback-style function (`sendWelcome(member, callback)`) is registered promisified: the worker
 * waits for its callback, and a job is failed with the error it calls back with.
 */
export function registerJob(name: string, declaringFile: ts.SourceFile, jobsFile: string, context: FixContext, callbackStyle = false, receiver?: BoundReceiver): { edits: TextEdit[]; createFiles: { fileName: string; text: string }[] } | { refused: string } {
  // A JavaScript project has the registry as `jobs.js`.
  const existing = context.program.getSourceFile(jobsFile) ?? context.program.getSourceFile(jobsFile.replace(/\.ts$/, '.js'));
  const placeholder = ts.createSourceFile(jobsFile, '', ts.ScriptTarget.Latest, true);
  const specifier = moduleSpecifier(existing ?? placeholder, declaringFile.fileName, context.program.getCompilerOptions());
  // A method is called on the module's object: `'mailer.sendWelcome': (...args) => mailer.sendWelcome(...args)`.
  const jobName = receiver ? `${receiver.local}.${name}` : name;
  const method = receiver ? `${receiver.local}.${name}` : name;
  const entry = receiver
    ? callbackStyle
      ? `'${jobName}': promisify(${method}.bind(${receiver.local}))`
      : `'${jobName}': (...args: Parameters<typeof ${method}>) => ${method}(...args)`
    : callbackStyle
      ? `${name}: promisify(${name})`
      : name;
  const importOf = receiver && !receiver.named ? `import ${receiver.local} from '${specifier}';` : `import { ${receiver?.local ?? name} } from '${specifier}';`;
  if (!existing) {
    if (context.exists(jobsFile)) return { refused: `${context.displayPath(jobsFile)} exists but is not part of the program` };
    const text = [
      '// Jobs the worker runs (worker.ts), by name. Stateless adds an entry each time it moves slow work off a request.',
      ...(callbackStyle ? ["import { promisify } from 'node:util';"] : []),
      importOf,
      '',
      'export const jobs = {',
      `  ${entry},`,
      '};',
      '',
    ].join('\n');
    return { edits: [], createFiles: [{ fileName: jobsFile, text }] };
  }
  if (receiver ? existing.text.includes(`'${jobName}'`) : new RegExp(`\\b${name}\\b`).test(existing.text)) return { edits: [], createFiles: [] };
  const object = existing.statements
    .filter(ts.isVariableStatement)
    .flatMap((statement) => [...statement.declarationList.declarations])
    .find((declaration) => declaration.name.getText() === 'jobs')?.initializer;
  const literal = object && ts.isObjectLiteralExpression(skipOuterExpressions(object)) ? (skipOuterExpressions(object) as ts.ObjectLiteralExpression) : undefined;
  if (!literal) return { refused: `${context.displayPath(jobsFile)} has no \`jobs\` object to add to` };
  const importLine = receiver && !receiver.named ? defaultImportEdit(existing, receiver.local, specifier) : importEdit(existing, [receiver?.local ?? name], specifier);
  const promisifyLine = callbackStyle && !/\bpromisify\b/.test(existing.text) ? importEdit(existing, ['promisify'], 'node:util') : undefined;
  const last = literal.properties[literal.properties.length - 1];
  return {
    edits: [
      ...(promisifyLine ? [promisifyLine] : []),
      ...(importLine ? [importLine] : []),
      last
        ? { fileName: existing.fileName, start: last.getEnd(), end: last.getEnd(), newText: `,\n  ${entry}` }
        : { fileName: existing.fileName, start: literal.getStart() + 1, end: literal.getEnd() - 1, newText: `\n  ${entry},\n` },
    ],
    createFiles: [],
  };
}
