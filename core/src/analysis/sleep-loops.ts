import ts = require('typescript');
import { getFileFacts, type FileFacts, type FunctionNode } from './file-facts';
import { resolveImportedMember } from './imports';
import { enclosingFunction } from './request-graph';
import type { Resolver } from './resolve';
import { skipOuterExpressions } from './text';

/** A loop that runs for the life of the process and sleeps between rounds: a timer written as a loop. */
export interface SleepLoop {
  /** The `while`, `do` or `for (;;)` statement. */
  loop: ts.IterationStatement;
  /** The function the loop is written in: what runs on each round, and what started it. */
  job: FunctionNode;
  /** The awaited sleep as written (`wait(WAIT_MS)`). */
  sleepText: string;
  /** The delay between rounds, and the file its names are read in. */
  delay: { expression: ts.Expression; facts: FileFacts } | undefined;
}

/** Packages whose default export is `sleep(ms)`. */
const SLEEP_PACKAGES = new Set(['delay', 'sleep-promise', 'await-sleep']);
const LOOP_TEXT = /\bwhile\s*\(|\bfor\s*\(\s*;\s*;\s*\)/;

/**
 * `while (true) { await poll(); await sleep(60_000); }`, `for (;;) { …; await setTimeout(ms) }`,
 * `while (!this.stopped) { …; await wait(ms) }`: a loop that never ends by itself and awaits a sleep
 * as one of its own statements. A loop that breaks out or returns (a retry until something
 * succeeds), or sleeps only on one branch (a consumer idle until work comes), is no schedule.
 */
export function findSleepLoops(facts: FileFacts, resolver: Resolver): SleepLoop[] {
  const file = facts.sourceFile;
  if (!LOOP_TEXT.test(file.text)) return [];
  const found: SleepLoop[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIterationStatement(node, false) && runsForever(node) && !leavesLoop(node.statement)) {
      const job = enclosingFunction(node);
      const sleep = job && sleepStatement(node.statement, facts, resolver);
      if (job && sleep) found.push({ loop: node, job, ...sleep });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** `while (true)`, `do … while (1)`, `for (;;)`, or a loop on a stop flag (`while (!this.stopped)`, `while (running)`). */
function runsForever(loop: ts.IterationStatement): boolean {
  if (ts.isForStatement(loop)) return loop.condition === undefined;
  if (!ts.isWhileStatement(loop) && !ts.isDoStatement(loop)) return false;
  let condition = skipOuterExpressions(loop.expression);
  if (condition.kind === ts.SyntaxKind.TrueKeyword || (ts.isNumericLiteral(condition) && Number(condition.text) !== 0)) return true;
  if (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken) condition = skipOuterExpressions(condition.operand);
  return ts.isIdentifier(condition) || (ts.isPropertyAccessExpression(condition) && (ts.isIdentifier(condition.expression) || condition.expression.kind === ts.SyntaxKind.ThisKeyword));
}

/** Whether the body leaves the loop: a `break` of this loop, or a `return` (functions written inside it aside). */
function leavesLoop(body: ts.Statement): boolean {
  let leaves = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (leaves || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || (ts.isBreakStatement(node) && (node.label !== undefined || !nested))) {
      leaves = true;
      return;
    }
    // A `break` inside an inner loop or switch ends that one, not ours.
    const inner = nested || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  ts.forEachChild(body, (child) => visit(child, false));
  return leaves;
}

/** The sleep the loop awaits as one of its own statements (or in the `finally` of one). */
function sleepStatement(body: ts.Statement, facts: FileFacts, resolver: Resolver): Pick<SleepLoop, 'sleepText' | 'delay'> | undefined {
  const statements = ts.isBlock(body) ? [...body.statements] : [body];
  for (const statement of statements) {
    const candidates = ts.isTryStatement(statement) && statement.finallyBlock ? [...statement.finallyBlock.statements] : [statement];
    for (const candidate of candidates) {
      if (!ts.isExpressionStatement(candidate)) continue;
      const awaited = skipOuterExpressions(candidate.expression);
      if (!ts.isAwaitExpression(awaited)) continue;
      const value = skipOuterExpressions(awaited.expression);
      const delay = sleepDelay(value, facts, resolver);
      if (delay) return { sleepText: value.getText().replace(/\s+/g, ' '), delay: delay.expression ? { expression: delay.expression, facts: delay.facts } : undefined };
    }
  }
  return undefined;
}

interface Delay {
  expression: ts.Expression | undefined;
  facts: FileFacts;
}

/** What an awaited expression sleeps for, when it is a sleep: `setTimeout(ms)` of `timers/promises`, `new Promise((r) => setTimeout(r, ms))`, or a project function that returns one. */
function sleepDelay(value: ts.Expression, facts: FileFacts, resolver: Resolver): Delay | undefined {
  if (ts.isNewExpression(value)) {
    const timer = promisedTimeout(value);
    return timer ? { expression: timer.arguments[1], facts } : undefined;
  }
  if (!ts.isCallExpression(value)) return undefined;
  const member = resolveImportedMember(value.expression, facts.imports);
  // `timers/promises` is read as `timers` with the path `promises.…`.
  if (member?.module === 'timers' && ['promises.setTimeout', 'promises.scheduler.wait'].includes(member.path.join('.'))) return { expression: value.arguments[0], facts };
  if (member && SLEEP_PACKAGES.has(member.module) && (member.path.length === 0 || member.path.join('.') === 'default')) return { expression: value.arguments[0], facts };
  let targets: FunctionNode[] = [];
  try {
    targets = resolver.callTargets(value);
  } catch {
    targets = [];
  }
  for (const target of targets.slice(0, 2)) {
    const timer = sleepingTimer(target);
    if (!timer) continue;
    const ms = timer.arguments[1] && skipOuterExpressions(timer.arguments[1]);
    // `const wait = (ms) => new Promise((r) => setTimeout(r, ms))`: the caller's argument is the delay.
    const parameter = ms && ts.isIdentifier(ms) ? target.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === ms.text) : -1;
    if (parameter >= 0) return { expression: value.arguments[parameter], facts };
    return { expression: ms, facts: getFileFacts(target.getSourceFile()) };
  }
  return undefined;
}

/** The `setTimeout` of a function whose body makes a promise that a timer resolves. */
function sleepingTimer(fn: FunctionNode): ts.CallExpression | undefined {
  let timer: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (timer) return;
    if (ts.isNewExpression(node)) timer = promisedTimeout(node);
    if (!timer) ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return timer;
}

/** `new Promise((resolve) => setTimeout(resolve, ms))` (or `setTimeout(() => resolve(), ms)`): its `setTimeout`. */
function promisedTimeout(value: ts.NewExpression): ts.CallExpression | undefined {
  const callee = skipOuterExpressions(value.expression);
  const executor = value.arguments?.[0] && skipOuterExpressions(value.arguments[0]);
  if (!ts.isIdentifier(callee) || callee.text !== 'Promise' || !executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return undefined;
  const resolve = executor.parameters[0]?.name;
  if (!resolve || !ts.isIdentifier(resolve)) return undefined;
  let timer: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (timer) return;
    if (ts.isCallExpression(node) && calleeName(node) === 'setTimeout' && node.arguments.length >= 1) {
      const callback = skipOuterExpressions(node.arguments[0]);
      const resolves = (ts.isIdentifier(callback) && callback.text === resolve.text) || ((ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callsIdentifier(callback.body, resolve.text));
      if (resolves) timer = node;
    }
    if (!timer) ts.forEachChild(node, visit);
  };
  visit(executor.body);
  return timer;
}

function callsIdentifier(body: ts.Node, name: string): boolean {
  if (ts.isCallExpression(body) && calleeName(body) === name) return true;
  return ts.forEachChild(body, (child) => (callsIdentifier(child, name) ? true : undefined)) ?? false;
}

/** `f` of a call `f(…)`. */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isIdentifier(callee) ? callee.text : undefined;
}
