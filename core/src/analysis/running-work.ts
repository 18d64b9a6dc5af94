import ts = require('typescript');
import { getFileFacts, type CallLike, type FunctionNode, type Mutation } from './file-facts';
import { resolveImportedMember } from './imports';
import { enclosingFunction, type Reach, type RequestGraph } from './request-graph';
import type { StateWrite } from './shared-state';
import { inTimerCallback } from './state-use';
import { skipOuterExpressions, within } from './text';

/**
 * Entries of work this process is running: each one is added when a piece of work starts and taken
 * out by the same flow when it ends (`const task = tasks.createAndAdd(…); try { await scan() } …;
 * tasks.finished(task)`, `jobs.set(id, job); try { await job.run() } finally { jobs.delete(id) }`).
 * Listed to users or announced as it starts and ends, such a list is this instance's account of
 * its own work, which no other instance runs. An entry another request removes (a logout), one a
 * timer expires, or one the flow removes only on some branch (the last chunk of an upload) outlives
 * the request that added it: that is still data a user comes back for.
 */

/** How many calls deep a removal is looked for behind the call that ends the work (`finish(task)` → `cleanup(task)` → `tasks.delete(task.id)`). */
const REMOVER_DEPTH = 3;

/** Every request-path fill of the state is bracketed: on every path that adds it, the same flow takes the entry out again. */
export function holdsRunningWork(writes: readonly StateWrite[], graph: RequestGraph, holds: string): boolean {
  if (holds === 'value') return false;
  // A removal a timer makes is an expiry: the entry outlives the flow that added it.
  const removals = writes.map((write) => write.mutation).filter((mutation) => dropsEntry(mutation) && !inTimerCallback(mutation.node));
  const removers = new Set(removals.map((removal) => removal.function).filter((fn): fn is FunctionNode => fn !== undefined));
  const fills = writes.filter((write) => !dropsEntry(write.mutation));
  if (removers.size === 0 || fills.length === 0 || fills.some((write) => write.mutation.isReassignment)) return false;
  return fills.every((write) => write.reaches.length > 0 && write.reaches.every((reach) => isBracketed(write.mutation, reach, removals, removers, graph)));
}

/**
 * `m.delete(k)`, `m.clear()`, `delete o[k]`, `a.splice(i, 1)`, and a list replaced by a filter of
 * itself (`this.tasks = this.tasks.filter((t) => t.id !== task.id)`): a write that only drops entries.
 */
export function dropsEntry(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isDeleteExpression(node)) return true;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    return method === 'delete' || method === 'clear' || (method === 'splice' && node.arguments.length === 2);
  }
  if (!mutation.isReassignment || !ts.isBinaryExpression(node)) return false;
  const value = skipOuterExpressions(node.right);
  return ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'filter' && sameText(value.expression.expression, node.left);
}

/**
 * Walks out from the fill along the chain of calls that reached it: at each step, the names that
 * stand for the entry (what the fill stores, or what the call that led to it passed or returned)
 * must reach a removal that surely runs later in the same function.
 */
function isBracketed(fill: Mutation, reach: Reach, removals: readonly Mutation[], removers: ReadonlySet<FunctionNode>, graph: RequestGraph): boolean {
  const steps: ts.Node[] = [fill.node, ...[...reach.calls].reverse()];
  // A sweep by key prefix stands as one removal, its loop, which names the run its test picks.
  const removalNodes = new Set<ts.Node>(removals.map((removal) => sweepAround(removal.node) ?? removal.node));
  return steps.some((step) => {
    const fn = enclosingFunction(step);
    if (!fn) return false;
    const names = entryNames(step, step === fill.node);
    if (names.size === 0) return false;
    const removes = (node: ts.Node): boolean =>
      node.pos > step.end &&
      (ts.isForOfStatement(node) && removalNodes.has(node) ? sweepPicks(node, names) : mentions(node, names)) &&
      (removalNodes.has(node) || ((ts.isCallExpression(node) || ts.isNewExpression(node)) && reachesRemover(node, removers, graph, REMOVER_DEPTH)));
    const candidates = [...removals.filter((removal) => removal.function === fn).map((removal) => sweepAround(removal.node) ?? removal.node), ...laterCalls(fn, step)];
    return candidates.some((node) => removes(node) && surelyRunsAfter(node, step, fn, removes));
  });
}

/**
 * `for (const key of files.keys()) { if (key.startsWith(\`${runId}:\`)) files.delete(key) }`: the entries a run
 * keyed under its id, taken out together by a loop over the state's own keys that drops those its test
 * picks. The loop is the removal; where it stands (a `finally`) says when it runs.
 */
function sweepAround(removal: ts.Node): ts.ForOfStatement | undefined {
  if (!ts.isCallExpression(removal) || !ts.isPropertyAccessExpression(removal.expression) || removal.expression.name.text !== 'delete') return undefined;
  const key = removal.arguments[0] && skipOuterExpressions(removal.arguments[0]);
  if (!key || !ts.isIdentifier(key)) return undefined;
  let test: ts.IfStatement | undefined;
  for (let current: ts.Node = removal.parent; !ts.isFunctionLike(current) && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isIfStatement(current) && within(removal, current.thenStatement) && mentionsName(current.expression, key.text)) test ??= current;
    if (!ts.isForOfStatement(current)) continue;
    const bound = ts.isVariableDeclarationList(current.initializer) ? current.initializer.declarations[0]?.name : undefined;
    const listed = skipOuterExpressions(current.expression);
    const keysOf = ts.isCallExpression(listed) && ts.isPropertyAccessExpression(listed.expression) && listed.expression.name.text === 'keys' ? listed.expression.expression : undefined;
    const sameState = keysOf !== undefined && sameText(keysOf, removal.expression.expression);
    return bound && ts.isIdentifier(bound) && bound.text === key.text && sameState && test !== undefined && within(test, current.statement) ? current : undefined;
  }
  return undefined;
}

/** The sweep's test names the run (`key.startsWith(\`${runId}:\`)` names `runId`; the loop's own key is no name of the entry). */
function sweepPicks(loop: ts.ForOfStatement, names: ReadonlySet<string>): boolean {
  const bound = ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0]?.name : undefined;
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node)) collectIdentifiersDeep(node.expression, found);
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (bound && ts.isIdentifier(bound)) found.delete(bound.text);
  return [...found].some((name) => names.has(name));
}

function mentionsName(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name;
  return ts.forEachChild(node, (child) => mentionsName(child, name) || undefined) ?? false;
}

/** The identifiers that stand for the entry at a step: a fill's key and value; a call's arguments and the local its result is kept in. */
function entryNames(step: ts.Node, isFill: boolean): Set<string> {
  const names = new Set<string>();
  const call = ts.isCallExpression(step) || ts.isNewExpression(step) ? step : undefined;
  const payload: ts.Node[] = call ? [...(call.arguments ?? [])] : ts.isBinaryExpression(step) ? [step.right] : [];
  const target = ts.isBinaryExpression(step) ? skipOuterExpressions(step.left) : undefined;
  if (isFill && target && ts.isElementAccessExpression(target)) payload.push(target.argumentExpression);
  for (const part of payload) collectIdentifiers(part, names);
  names.delete('undefined');
  if (!isFill) {
    let holder: ts.Node = step.parent;
    while (ts.isAwaitExpression(holder) || ts.isParenthesizedExpression(holder)) holder = holder.parent;
    if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) names.add(holder.name.text);
  }
  return names;
}

function collectIdentifiers(node: ts.Node, into: Set<string>): void {
  if (ts.isIdentifier(node)) {
    if (!(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) into.add(node.text);
    return;
  }
  if (ts.isFunctionLike(node)) return;
  ts.forEachChild(node, (child) => collectIdentifiers(child, into));
}

function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  const found = new Set<string>();
  collectIdentifiersDeep(node, found);
  return [...found].some((name) => names.has(name));
}

/** Identifiers anywhere in a node, callbacks included (`tasks.filter((t) => t.id !== task.id)`). */
function collectIdentifiersDeep(node: ts.Node, into: Set<string>): void {
  if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) into.add(node.text);
  ts.forEachChild(node, (child) => collectIdentifiersDeep(child, into));
}

/** Calls written in `fn` (its callbacks included) after `step`. */
function laterCalls(fn: FunctionNode, step: ts.Node): CallLike[] {
  return callsIn(fn).filter((call) => call.pos > step.end);
}

/** Calls written in `fn`, its callbacks included. */
function callsIn(fn: FunctionNode): CallLike[] {
  const calls: CallLike[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return calls;
}

/**
 * Runs whenever the work that `step` started ends: in a `finally` after it, or on no branch the
 * step is not on (no `if`, `catch`, `case`, conditional or short-circuit around it alone, and every
 * `return` between them after a removal of its own), possibly in a callback the work calls when it
 * is done; never in a timer, which is an expiry.
 */
function surelyRunsAfter(node: ts.Node, step: ts.Node, fn: FunctionNode, removes: (node: ts.Node) => boolean): boolean {
  if (inTimerCallback(node)) return false;
  let inFinally = false;
  for (let current: ts.Node = node; current !== fn && current.parent; current = current.parent) {
    const parent = current.parent;
    // Checked before the try is found to hold the step too: a `finally` runs however its `try` ends, `return`s included.
    if (ts.isTryStatement(parent) && parent.finallyBlock === current && within(step, parent.tryBlock)) {
      inFinally = true;
      break;
    }
    if (within(step, parent)) break;
    if (ts.isIfStatement(parent) || ts.isConditionalExpression(parent) || ts.isCatchClause(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isIterationStatement(parent, false)) return false;
    if (ts.isBinaryExpression(parent) && parent.right === current && isShortCircuit(parent.operatorToken.kind)) return false;
  }
  return inFinally || returnsBetween(fn, step, node).every((exit) => removedBefore(exit, step, removes));
}

/** `if (failed) { finish(task); return }`: a statement of the return's own block, after the step, removes the entry first. */
function removedBefore(exit: ts.ReturnStatement, step: ts.Node, removes: (node: ts.Node) => boolean): boolean {
  const block = exit.parent;
  if (!ts.isBlock(block)) return false;
  const before = block.statements.slice(0, block.statements.indexOf(exit)).filter((statement) => statement.pos > step.end);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (removes(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  for (const statement of before) visit(statement);
  return found;
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** The `return`s of `fn` itself (not of a callback in it) between two nodes. */
function returnsBetween(fn: FunctionNode, from: ts.Node, to: ts.Node): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.pos > from.end && node.end <= to.pos) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** The call runs a function that drops entries of the state, directly or through calls that pass on its parameters. */
function reachesRemover(call: CallLike, removers: ReadonlySet<FunctionNode>, graph: RequestGraph, depth: number): boolean {
  return graph.callTargets(call).some((target) => {
    if (removers.has(target)) return true;
    if (depth <= 1) return false;
    const parameters = new Set<string>();
    for (const parameter of target.parameters) collectIdentifiers(parameter.name, parameters);
    return parameters.size > 0 && callsIn(target).some((inner) => mentions(inner, parameters) && reachesRemover(inner, removers, graph, depth - 1));
  });
}

function sameText(a: ts.Node, b: ts.Node): boolean {
  return skipOuterExpressions(a as ts.Expression).getText().replace(/\s+/g, '') === skipOuterExpressions(b as ts.Expression).getText().replace(/\s+/g, '');
}

const LISTEN_METHODS = new Set(['on', 'once', 'addListener']);
/** Node's own emitters are made per use (`new EventEmitter()`): only a package's own objects count. */
const NODE_EVENTS = /^(?:node:)?events$/;

/**
 * Every write runs in a listener handed to an object of a package, or in what it calls (`Settings.callbackManager.on('llm-start',
 * (event) => startTimes.set(id, event.timeStamp))` of llamaindex): the package calls it about work it
 * runs in this process (a model call starting and ending), so what the listener keeps is this
 * process's trace of its own work. A listener on an emitter of the project's own (a bus a request
 * emits a login on), on a request or a socket, or a handler that is itself an entry point, stays
 * what requests write.
 */
export function isWrittenByPackageListeners(writes: readonly StateWrite[], graph: RequestGraph): boolean {
  return writes.length > 0 && writes.every((write) =>
    write.reaches.every((reach) => {
      // In the listener itself, or in a function one of the calls written in it runs (`this.calculateMetrics(event)`).
      const listener = packageListenerAround(write.mutation.node) ?? reach.calls.map(packageListenerAround).find((found) => found !== undefined);
      // Reached through a request's own emit (`bus.emit('login', user)`), or registered as the entry itself: the request's data.
      // The registration (`.on('llm-start', listener)`) may count as a call of the listener; it is no emit.
      return listener !== undefined && reach.entry.handler !== listener && !reach.calls.some((call) => call !== listener.parent && graph.callTargets(call).includes(listener));
    }),
  );
}

/** The outermost listener around a node that is registered on a package's object. */
function packageListenerAround(node: ts.Node): FunctionNode | undefined {
  for (let fn = enclosingFunction(node); fn; fn = fn.parent ? enclosingFunction(fn.parent) : undefined) {
    const call = fn.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression) || !ts.isPropertyAccessExpression(call.expression)) continue;
    if (!LISTEN_METHODS.has(call.expression.name.text) || !call.arguments[0] || !ts.isStringLiteralLike(call.arguments[0])) continue;
    const emitter = resolveImportedMember(call.expression.expression, getFileFacts(node.getSourceFile()).imports);
    if (emitter && !emitter.module.startsWith('.') && !emitter.module.startsWith('/') && !NODE_EVENTS.test(emitter.module)) return fn;
  }
  return undefined;
}
