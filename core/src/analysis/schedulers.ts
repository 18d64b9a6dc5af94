import ts = require('typescript');
import { getFileFacts, type CallLike, type FileFacts, type FunctionNode } from './file-facts';
import { decoratorsOf } from './frameworks/nest';
import { resolveImportedMember, schedulerModule, type ImportBinding } from './imports';
import { enclosingFunction } from './request-graph';
import type { Resolver } from './resolve';
import { lineageOf } from './resolution-cache';
import { isShadowed } from './scope';
import { isWrapperInside, wrappedScheduleOf } from './scheduler-wrappers';
import { findSleepLoops, type SleepLoop } from './sleep-loops';
import { calledName, functionName, isCallArgument, propertyNameText, returnedValues, skipOuterExpressions, stringValue } from './text';

/** Recurring or delayed work a process starts for itself: a timer, a cron job, a Nest `@Cron` method. */
export interface ScheduleStart {
  /** Where to report: the call that starts the schedule, or the decorator. */
  node: ts.Node;
  /** `cron.schedule`, `setInterval`, `new CronJob`, `@Cron` … as the user wrote it. */
  callee: string;
  /** The library the schedule comes from (`timers` for setInterval/setTimeout). */
  library: string;
  /** What runs on each tick, when it is a function the program defines. */
  job: FunctionNode | undefined;
  /** The job as written when it cannot be read (`sendDigest`, Bree job names). */
  jobText: string | undefined;
  /** `every 5 minutes`, `every day at 06:00`, `on cron \`0 6 * * 1\``. */
  when: string;
  /** The arguments that say when, as written (the fix keeps them). */
  /** `delayed`: a one-shot timer per row of delayed jobs, armed again at start-up. */
  timing: { kind: 'interval'; ms: number | undefined; text: string } | { kind: 'cron'; pattern: string | undefined; text: string } | { kind: 'delayed' } | { kind: 'other' };
}

const TOAD_METHODS = new Set(['addSimpleIntervalJob', 'addIntervalJob', 'addLongIntervalJob', 'addCronJob']);
const NEST_DECORATORS = new Set(['Cron', 'Interval', 'Timeout']);

/** Per program, the schedules of each file asked for. */
const schedulesByProgram = new WeakMap<ts.Program, Map<ts.SourceFile, ScheduleStart[]>>();

/**
 * Every schedule started in a file, by import binding (a user's own `schedule()` is not node-cron's).
 * Typed, the previous program's answer for a file the lineage carries is kept while each job is
 * still a function of this program: an editor asks for every web-process file on each keystroke.
 */
export function findSchedules(facts: FileFacts, resolver: Resolver): ScheduleStart[] {
  const program = resolver.program;
  if (!program) return readSchedules(facts, resolver);
  let known = schedulesByProgram.get(program);
  if (!known) schedulesByProgram.set(program, (known = new Map<ts.SourceFile, ScheduleStart[]>()));
  let found = known.get(facts.sourceFile);
  if (found) return found;
  const lineage = lineageOf(program);
  const before = lineage.previous && lineage.carries(facts.sourceFile) ? schedulesByProgram.get(lineage.previous)?.get(facts.sourceFile) : undefined;
  found = before?.every(({ job }) => !job || program.getSourceFile(job.getSourceFile().fileName) === job.getSourceFile()) ? before : readSchedules(facts, resolver);
  known.set(facts.sourceFile, found);
  return found;
}

function readSchedules(facts: FileFacts, resolver: Resolver): ScheduleStart[] {
  const found: ScheduleStart[] = [];
  for (const { node, function: fn } of facts.calls) {
    const start = scheduleOf(node, fn, facts, resolver);
    if (start) found.push(start);
  }
  for (const declaration of facts.classes) {
    for (const member of declaration.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      for (const decorator of decoratorsOf(member)) {
        if (!decorator.call) continue;
        const own = nestScheduleDecorator(decorator.name, facts);
        // Nest's own decorators (`@Get`, `@UseGuards`) are not wrappers of the project's: no need to resolve them.
        const framework = facts.imports.get(decorator.name)?.module.startsWith('@nestjs/') ?? false;
        const made = own ? { kind: own, args: decorator.call.arguments } : framework ? undefined : wrappedNestSchedule(decorator.call, resolver);
        if (made) found.push(nestSchedule(made.kind, made.args, decorator.node, member, `@${decorator.name}`));
      }
    }
  }
  for (const loop of findSleepLoops(facts, resolver)) found.push(loopSchedule(loop));
  return found.sort((a, b) => a.node.getStart() - b.node.getStart());
}

/** A loop that sleeps between rounds recurs like an interval of its delay; its round is the function it runs in. */
function loopSchedule({ loop, job, sleepText, delay }: SleepLoop): ScheduleStart {
  const head = ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? `while (${loop.expression.getText().replace(/\s+/g, ' ')})` : 'for (;;)';
  return { node: loop, callee: `${head} … await ${sleepText}`, library: 'timers', job, jobText: undefined, ...intervalTiming(delay?.expression, delay?.facts) };
}

function scheduleOf(call: CallLike, fn: FunctionNode | undefined, facts: FileFacts, resolver: Resolver): ScheduleStart | undefined {
  const callee = skipOuterExpressions(call.expression);
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const text = callee.getText().replace(/\s+/g, '');
  const timer = timerName(callee, facts);
  const base = { node: call as ts.Node, callee: ts.isNewExpression(call) ? `new ${text}` : text };
  if (timer === 'setInterval' && ts.isCallExpression(call) && args.length >= 1) {
    return { ...base, library: 'timers', ...jobOf(args[0], resolver), ...intervalTiming(args[1], facts) };
  }
  if (timer === 'setTimeout' && ts.isCallExpression(call) && args.length >= 1 && fn) {
    const rescheduled = selfRescheduled(args[0], fn) ?? rearmedThroughMethod(args[0], fn);
    // Run again only when it failed: a retry of a start or a connection, reported, if it recurs, where it recurs on success.
    if (rescheduled && isFailureRetry(call, rescheduled)) return undefined;
    const recurring = rescheduled ?? startedLoop(args[0]);
    if (recurring) return { ...base, library: 'timers', job: recurring, jobText: undefined, ...intervalTiming(args[1], facts) };
    return isPerRow(call) ? { ...base, library: 'timers', ...jobOf(args[0], resolver), ...ONE_SHOT_PER_ROW } : undefined;
  }
  const member = resolveImportedMember(call.expression, facts.imports);
  if (!member && ts.isCallExpression(call) && isPerRow(call)) {
    const delayed = delayedJobArgument(call, resolver);
    if (delayed) return { ...base, library: 'timers', ...jobOf(delayed, resolver), ...ONE_SHOT_PER_ROW };
  }
  if (!member && ts.isCallExpression(call)) {
    const wrapper = wrappedScheduleOf(call, resolver);
    if (wrapper) {
      const timing = wrapper.timingParameter !== undefined ? call.arguments[wrapper.timingParameter] : wrapper.innerTiming;
      return { ...base, library: wrapper.library, ...jobOf(call.arguments[wrapper.jobParameter], resolver), ...libraryTiming(wrapper.library, timing) };
    }
  }
  if (!member) return ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee) ? toadSchedule(call, callee, facts, resolver, base) : undefined;
  const path = member.path.join('.');
  const module = schedulerModule(member.module);
  // A wrapper's own call hands on its caller's job: each call of the wrapper is the schedule.
  if (isWrapperInside(call)) return undefined;
  if (module === 'node-cron' && path === 'schedule' && args.length >= 2) {
    return { ...base, library: 'node-cron', ...jobOf(args[1], resolver), ...cronTiming(args[0]) };
  }
  if (module === 'cron' && (path === 'CronJob' || path === 'job') && args.length >= 2) {
    return { ...base, library: 'cron', ...jobOf(args[1], resolver), ...cronTiming(args[0]) };
  }
  if (module === 'cron' && path === 'CronJob.from' && args.length >= 1) {
    const options = objectArgument(args[0]);
    const onTick = options && propertyValue(options, 'onTick');
    return { ...base, library: 'cron', ...(onTick ? jobOf(onTick, resolver) : { job: undefined, jobText: undefined }), ...cronTiming(options && propertyValue(options, 'cronTime')) };
  }
  if (module === 'node-schedule' && path === 'scheduleJob' && args.length >= 2) {
    const job = args[args.length - 1];
    const spec = args[args.length - 2];
    return { ...base, library: 'node-schedule', ...jobOf(job, resolver), ...libraryTiming('node-schedule', spec) };
  }
  // croner: `new Cron('0 3 * * *', options?, job)`, `Cron(pattern, job, options?)` (croner takes the
  // two in either order); the job is the last argument after the pattern that is no options object.
  if (module === 'croner' && (path === '' || path === 'Cron' || path === 'default') && args.length >= 2) {
    const job = [...args.slice(1)].reverse().find((argument) => !ts.isObjectLiteralExpression(skipOuterExpressions(argument))) ?? args[args.length - 1];
    return { ...base, library: 'croner', ...jobOf(job, resolver), ...cronTiming(args[0]) };
  }
  if (module === 'bree' && path === '' && ts.isNewExpression(call)) {
    return { ...base, library: 'bree', job: undefined, jobText: breeJobs(args[0]), when: 'on their schedules', timing: { kind: 'other' } };
  }
  return undefined;
}

/** When a cron library's schedule runs: its pattern, or (node-schedule) a recurrence rule or a date. */
function libraryTiming(library: string, spec: ts.Expression | undefined): Pick<ScheduleStart, 'when' | 'timing'> {
  if (library === 'node-schedule' && (!spec || stringValue(spec) === undefined)) return { when: 'on a recurrence rule', timing: { kind: 'other' } };
  return cronTiming(spec);
}

/**
 * Delayed jobs kept as rows (an auction's end, a reminder) and armed one timer per row: at start-up
 * every instance loads the rows and arms them all again, so each job runs once per instance.
 */
const ONE_SHOT_PER_ROW = { when: 'when each delay ends, armed again by every instance at start-up', timing: { kind: 'delayed' as const } };

/** Whether a call is made once per element of something iterated: in a loop's body or an iteration callback (`rows.forEach((row) => …)`). */
function isPerRow(call: ts.CallExpression): boolean {
  for (let current: ts.Node = call; current.parent && !ts.isSourceFile(current.parent); current = current.parent) {
    const parent = current.parent;
    if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent) || ts.isForStatement(parent) || ts.isWhileStatement(parent)) && parent.statement === current) return true;
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
      const iteration = ts.isCallExpression(parent) && parent.arguments[0] === current ? skipOuterExpressions(parent.expression) : undefined;
      return iteration !== undefined && ts.isPropertyAccessExpression(iteration) && ITERATION_METHODS.has(iteration.name.text);
    }
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

const ITERATION_METHODS = new Set(['forEach', 'map']);

/**
 * The job a call hands to a function of the project that arms a one-shot timer with it
 * (`scheduler.addJob(name, at, () => end(id))` where `addJob` runs `setTimeout(() => callback(), delay)`):
 * the argument given for the parameter the timer calls.
 */
function delayedJobArgument(call: ts.CallExpression, resolver: Resolver): ts.Expression | undefined {
  const jobs = call.arguments.filter((argument) => ts.isArrowFunction(skipOuterExpressions(argument)) || ts.isFunctionExpression(skipOuterExpressions(argument)));
  if (jobs.length === 0) return undefined;
  // Typed, the checker is asked only about a call named as a function of the program that arms such a timer:
  // per-row calls given a callback (`rows.map((row) => …)`) are common, and resolving each costs a new program's checker.
  const callee = skipOuterExpressions(call.expression);
  const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const arming = timerArmingNames(resolver);
  if (arming && calleeName !== undefined && !arming.has(calleeName)) return undefined;
  for (const target of resolver.callTargets(call)) {
    const called = timerCalledParameters(target);
    const job = jobs.find((argument) => called.includes(call.arguments.indexOf(argument)));
    if (job) return job;
  }
  return undefined;
}

/**
 * Typed: the names of the program's functions and methods that arm a one-shot timer with a parameter;
 * undefined untyped, or when such a function has no name a call could use (then every call is resolved).
 */
function timerArmingNames(resolver: Resolver): ReadonlySet<string> | undefined {
  if (armingNamesOfProgram.has(resolver)) return armingNamesOfProgram.get(resolver);
  let names: Set<string> | undefined;
  const files = resolver.programSourceFiles();
  if (files) {
    names = new Set();
    for (const file of files) {
      const found = timerArmingNamesOf(file);
      if (!found) {
        names = undefined;
        break;
      }
      for (const name of found) names.add(name);
    }
  }
  armingNamesOfProgram.set(resolver, names);
  return names;
}

const armingNamesOfProgram = new WeakMap<Resolver, ReadonlySet<string> | undefined>();

/** A file's functions that arm a one-shot timer with a parameter, by name (syntax, kept while the file is); undefined when one has no name. */
function timerArmingNamesOf(file: ts.SourceFile): readonly string[] | undefined {
  if (armingNames.has(file)) return armingNames.get(file);
  let names: string[] | undefined = [];
  if (file.text.includes('setTimeout')) {
    const visit = (node: ts.Node): void => {
      if (!names) return;
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) && node.body && timerCalledParameters(node).length > 0) {
        const name = calledName(node);
        // `new Promise((resolve) => setTimeout(resolve, ms))`: a callback handed to a call is run by that call, never called by a name of its own.
        if (name !== undefined) names.push(name);
        else if (!isCallArgument(node)) names = undefined;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  armingNames.set(file, names);
  return names;
}

const armingNames = new WeakMap<ts.SourceFile, readonly string[] | undefined>();

/** The indexes of a function's parameters that a one-shot `setTimeout` in its own body calls (`setTimeout(callback, ms)`, `setTimeout(() => { callback(); }, ms)`). */
function timerCalledParameters(fn: FunctionNode): number[] {
  const names = fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : ''));
  const called: number[] = [];
  const visit = (node: ts.Node): void => {
    // A function declared inside is another function's body; arrows run with this one's parameters.
    if (node !== fn && ts.isFunctionLike(node) && !ts.isArrowFunction(node)) return;
    if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isIdentifier(node.expression) && node.expression.text === 'setTimeout') {
      const first = skipOuterExpressions(node.arguments[0]);
      names.forEach((name, index) => {
        if (name !== '' && ((ts.isIdentifier(first) && first.text === name) || ((ts.isArrowFunction(first) || ts.isFunctionExpression(first)) && callsName(first.body, name)))) called.push(index);
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return called;
}

/** Node's `timers` and drop-in replacements with the same API for delays past 24.8 days. */
const TIMER_MODULES = new Set(['timers', 'long-timeout', 'unlimited-timeout']);

/** `setInterval`, `setTimeout` as globals or imported from `timers` (or a drop-in); `global.setInterval`. */
function timerName(callee: ts.Expression, facts: FileFacts): 'setInterval' | 'setTimeout' | undefined {
  if (ts.isIdentifier(callee)) {
    const name = callee.text;
    if (name !== 'setInterval' && name !== 'setTimeout') return undefined;
    const binding = facts.imports.get(name);
    if (binding) return TIMER_MODULES.has(binding.module) && binding.path.join('.') === name ? name : undefined;
    return isShadowed(callee, name) || facts.topLevel.has(name) ? undefined : name;
  }
  if (ts.isPropertyAccessExpression(callee) && ['setInterval', 'setTimeout'].includes(callee.name.text)) {
    const owner = skipOuterExpressions(callee.expression);
    const binding: ImportBinding | undefined = ts.isIdentifier(owner) ? facts.imports.get(owner.text) : undefined;
    if ((ts.isIdentifier(owner) && (owner.text === 'global' || owner.text === 'globalThis')) || (binding !== undefined && TIMER_MODULES.has(binding.module) && binding.path.length === 0)) {
      return callee.name.text as 'setInterval' | 'setTimeout';
    }
  }
  return undefined;
}

/**
 * `function poll() { …; setTimeout(poll, 5000); }` or `setTimeout(() => tick(), ms)` inside
 * `tick`: the timer starts the function it is written in again, so it recurs like an interval.
 */
function selfRescheduled(callback: ts.Expression, fn: FunctionNode): FunctionNode | undefined {
  let outer: FunctionNode | undefined = fn;
  // The timer may sit in a callback inside the recurring function (`.finally(() => setTimeout(poll, ms))`).
  for (let guard = 0; outer && guard < 4; guard++, outer = enclosingFunction(outer.parent)) {
    const name = functionName(outer);
    if (name === undefined) continue;
    const value = skipOuterExpressions(callback);
    if (ts.isIdentifier(value) && (value.text === name || callsBack(value, name))) return outer;
    if ((ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && callsName(value.body, name)) return outer;
  }
  return undefined;
}

/**
 * A method's timer that starts a method of the same class which calls, itself or through one more of
 * the class's methods, the method the timer is written in: `updateTimeout(id) { …; setTimeout(() =>
 * this.checkStatus(id), ms) }` where `checkStatus` ends with `this.updateTimeout(…)`, or the timer calling
 * its own method (`setTimeout(() => this.poll(), ms)` in `poll`). The loop recurs like an interval; its
 * round is the method the timer starts. A timer whose method the started one never calls again (a
 * delayed warm-up, a flush) stays a one-shot.
 */
function rearmedThroughMethod(callback: ts.Expression, fn: FunctionNode): FunctionNode | undefined {
  let method: ts.Node | undefined = fn;
  for (let guard = 0; method && !isClassMethod(method) && guard < 4; guard++) method = enclosingFunction(method.parent);
  if (!method || !isClassMethod(method)) return undefined;
  const owner = method.parent;
  const ownName = propertyNameText(method.name);
  if (!ts.isClassLike(owner) || ownName === undefined) return undefined;
  const methods = new Map<string, ts.MethodDeclaration>();
  for (const member of owner.members) {
    const name = ts.isMethodDeclaration(member) && member.body ? propertyNameText(member.name) : undefined;
    if (name !== undefined && !methods.has(name)) methods.set(name, member as ts.MethodDeclaration);
  }
  const value = skipOuterExpressions(callback);
  const started = ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? thisMethodsCalled(value.body) : thisMethodOf(value);
  for (const name of [...started].slice(0, 4)) {
    const target = methods.get(name);
    if (!target?.body) continue;
    if (name === ownName) return target;
    const next = thisMethodsCalled(target.body);
    if (next.has(ownName) || [...next].slice(0, 8).some((inner) => inner !== name && methods.get(inner)?.body !== undefined && thisMethodsCalled(methods.get(inner)!.body!).has(ownName))) return target;
  }
  return undefined;
}

function isClassMethod(node: ts.Node): node is ts.MethodDeclaration {
  return ts.isMethodDeclaration(node) && node.body !== undefined && ts.isClassLike(node.parent);
}

/** `this.check` or `this.check.bind(this)` handed as the callback: the method's name. */
function thisMethodOf(value: ts.Expression): Set<string> {
  let callee = value;
  if (ts.isCallExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'bind') callee = skipOuterExpressions(callee.expression.expression);
  return ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? new Set([callee.name.text]) : new Set<string>();
}

/** The names of the methods a body calls on `this` (`this.checkStatus(id)`), in nested callbacks too. */
function thisMethodsCalled(body: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) names.add(callee.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return names;
}

/**
 * `catch (err) { log(err); setTimeout(start, 1000) }`, `.catch(() => setTimeout(start, ms))`, `.then(ok, () =>
 * setTimeout(connect, ms))`, `server.on('error', () => setTimeout(start, ms))`: the timer, written inside the
 * function it starts again, is armed only when that function failed, and no timer of the same scope arms it
 * after it worked. A start or a connection tried again until it works runs once per instance, as a start does;
 * a loop that re-arms itself on success too (a heartbeat, also re-armed after an error) stays reported.
 */
function isFailureRetry(timer: ts.Node, recurring: FunctionNode): boolean {
  if (!onFailurePath(timer, recurring)) return false;
  const name = functionName(recurring);
  const scope = name === undefined ? undefined : ts.findAncestor(recurring.parent, (node) => ts.isBlock(node) || ts.isSourceFile(node) || ts.isClassLike(node));
  if (!name || !scope) return true;
  let rearmedOnSuccess = false;
  const visit = (node: ts.Node): void => {
    if (rearmedOnSuccess) return;
    if (node !== timer && ts.isCallExpression(node) && node.arguments.length > 0 && TIMER_CALLEE.test(skipOuterExpressions(node.expression).getText())) {
      const first = skipOuterExpressions(node.arguments[0]);
      const rearms = (ts.isIdentifier(first) && first.text === name) || ((ts.isArrowFunction(first) || ts.isFunctionExpression(first)) && callsName(first.body, name));
      if (rearms && !onFailurePath(node, scope)) rearmedOnSuccess = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return !rearmedOnSuccess;
}

const TIMER_CALLEE = /^(?:(?:global|globalThis|timers)\.)?set(?:Timeout|Interval)$/;

/** Whether a node runs only when something failed, on the way up to `stop`: in a `catch` clause, a `.catch` callback, a `then`'s rejection handler, an `'error'` listener. */
function onFailurePath(node: ts.Node, stop: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent && current !== stop; current = current.parent) {
    const parent = current.parent;
    if (ts.isCatchClause(parent)) return true;
    if (!(ts.isArrowFunction(current) || ts.isFunctionExpression(current)) || !ts.isCallExpression(parent)) continue;
    const callee = skipOuterExpressions(parent.expression);
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const method = callee.name.text;
    if ((method === 'catch' && parent.arguments[0] === current) || (method === 'then' && parent.arguments[1] === current)) return true;
    if ((method === 'on' || method === 'once') && parent.arguments[1] === current && stringValue(parent.arguments[0]) === 'error') return true;
  }
  return false;
}

/**
 * `setTimeout(() => safeBeat(), ms)` where `safeBeat` is a local function that schedules itself
 * again: the first tick of a loop, delayed.
 */
function startedLoop(callback: ts.Expression): FunctionNode | undefined {
  const value = skipOuterExpressions(callback);
  const names: ts.Identifier[] = [];
  if (ts.isIdentifier(value)) names.push(value);
  else if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression))) names.push(skipOuterExpressions(node.expression) as ts.Identifier);
      ts.forEachChild(node, visit);
    };
    visit(value.body);
  }
  for (const name of names.slice(0, 4)) {
    const body = localFunction(name);
    const loop = body?.parent;
    if (!body || !loop || !(ts.isFunctionDeclaration(loop) || ts.isFunctionExpression(loop) || ts.isArrowFunction(loop))) continue;
    if (reschedules(body, name.text)) return loop;
  }
  return undefined;
}

/** Whether a function body starts `setTimeout(name, …)` or `setTimeout(() => name(), …)`. */
function reschedules(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = skipOuterExpressions(node.expression);
      const timer = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      const first = skipOuterExpressions(node.arguments[0]);
      if (timer === 'setTimeout' && ((ts.isIdentifier(first) && first.text === name) || ((ts.isArrowFunction(first) || ts.isFunctionExpression(first)) && callsName(first.body, name)))) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/**
 * `setTimeout(safeBeat, ms)` inside `beat`, where `safeBeat` is a local function of the same scope
 * that calls `beat`: the loop goes through a wrapper (one that catches errors, say).
 */
function callsBack(callee: ts.Identifier, name: string): boolean {
  const initializer = localFunction(callee);
  return initializer !== undefined && callsName(initializer, name);
}

function localFunction(identifier: ts.Identifier): ts.Node | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === identifier.text) return statement.body;
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const value = declaration.initializer && skipOuterExpressions(declaration.initializer);
        if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text && value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) return value.body;
      }
    }
  }
  return undefined;
}

function callsName(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression)) && (skipOuterExpressions(node.expression) as ts.Identifier).text === name) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function jobOf(expression: ts.Expression, resolver: Resolver): { job: FunctionNode | undefined; jobText: string | undefined } {
  const value = skipOuterExpressions(expression);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return { job: value, jobText: undefined };
  let functions: FunctionNode[] = [];
  try {
    functions = resolver.handlerFunctions(value);
  } catch {
    functions = [];
  }
  return { job: functions[0], jobText: value.getText().replace(/\s+/g, '').replace(/\.bind\(this\)$/, '') };
}

/** `Cron`, `Interval` or `Timeout` when a name in this file is that decorator of `@nestjs/schedule`. */
function nestScheduleDecorator(name: string, facts: FileFacts): string | undefined {
  const binding = facts.imports.get(name);
  const imported = binding?.path[0] ?? name;
  return binding?.module === '@nestjs/schedule' && NEST_DECORATORS.has(imported) ? imported : undefined;
}

/**
 * A decorator of the project's own that hands its arguments to `@nestjs/schedule`'s (`CronOnce(…)`
 * returning `Cron.call(null, ...rest)` after a check of the process, `Job(…)` returning
 * `applyDecorators(Cron(expression), …)`): which one it makes, when a function it resolves to returns it.
 */
function wrappedNestSchedule(call: ts.CallExpression, resolver: Resolver): { kind: string; args: readonly ts.Expression[] } | undefined {
  for (const fn of resolver.callTargets(call)) {
    const facts = getFileFacts(fn.getSourceFile());
    for (const returned of returnedValues(fn).map(skipOuterExpressions)) {
      const made = [returned, ...(ts.isCallExpression(returned) ? returned.arguments.map((argument) => skipOuterExpressions(argument)) : [])];
      for (const value of made) {
        if (!ts.isCallExpression(value)) continue;
        let callee = skipOuterExpressions(value.expression);
        // `Cron.call(null, ...rest)` / `Cron.apply(null, args)`: the wrapper's own arguments are the decorator's.
        const forwards = ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply');
        if (forwards) callee = skipOuterExpressions((callee as ts.PropertyAccessExpression).expression);
        const kind = ts.isIdentifier(callee) ? nestScheduleDecorator(callee.text, facts) : undefined;
        // `Cron('0 3 * * *', { name })` written in the wrapper says when; `Cron(expression)` passes the wrapper's on.
        const written = !forwards && value.arguments.length > 0 && (ts.isStringLiteralLike(value.arguments[0]) || ts.isPropertyAccessExpression(value.arguments[0]));
        if (kind) return { kind, args: written ? value.arguments : call.arguments };
      }
    }
  }
  return undefined;
}

/** What a function returns: an arrow's expression body, and each `return` of its own body (not of nested functions). */
/** `@Cron('0 * * * *')`, `@Cron(CronExpression.EVERY_HOUR)`, `@Interval(60_000)`, `@Interval('name', 60_000)`, `@Timeout(5000)`; a wrapper's arguments read as those of the decorator it makes. */
function nestSchedule(name: string, args: readonly ts.Expression[], decorator: ts.Decorator, method: ts.MethodDeclaration, callee: string): ScheduleStart {
  const base = { node: decorator, callee, library: '@nestjs/schedule', job: method, jobText: undefined };
  if (name === 'Cron') return { ...base, ...cronTiming(args[0]) };
  const delay = args.length >= 2 ? args[1] : args[0];
  const interval = intervalTiming(delay, undefined);
  if (name === 'Interval') return { ...base, ...interval };
  const ms = interval.timing.kind === 'interval' ? interval.timing.ms : undefined;
  return { ...base, when: ms !== undefined && ms > 0 ? `once, ${duration(ms)} after start-up` : 'once after start-up', timing: interval.timing };
}

/** toad-scheduler (and @fastify/schedule): `scheduler.addSimpleIntervalJob(new SimpleIntervalJob({ minutes: 5 }, new AsyncTask('id', fn)))`. */
function toadSchedule(call: ts.CallExpression, callee: ts.PropertyAccessExpression, facts: FileFacts, resolver: Resolver, base: { node: ts.Node; callee: string }): ScheduleStart | undefined {
  if (!TOAD_METHODS.has(callee.name.text) || call.arguments.length < 1) return undefined;
  if (![...facts.imports.values()].some((binding) => binding.module === 'toad-scheduler' || binding.module === '@fastify/schedule')) return undefined;
  const job = newExpressionOf(call.arguments[0], facts);
  const task = job?.arguments?.[1] ? newExpressionOf(job.arguments[1], facts) : undefined;
  const work = task?.arguments?.[1];
  const timing = job?.arguments?.[0];
  const schedule = timing ? objectArgument(timing) : undefined;
  let when: Pick<ScheduleStart, 'when' | 'timing'> = { when: 'on its schedule', timing: { kind: 'other' } };
  if (schedule && propertyValue(schedule, 'cronExpression')) when = cronTiming(propertyValue(schedule, 'cronExpression'));
  else if (schedule) {
    const units: Record<string, number> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 };
    let ms = 0;
    for (const [unit, factor] of Object.entries(units)) {
      const value = propertyValue(schedule, unit);
      const amount = value ? evaluateNumber(value, facts) : 0;
      if (amount === undefined) return { ...base, library: 'toad-scheduler', ...(work ? jobOf(work, resolver) : { job: undefined, jobText: undefined }), when: 'on an interval', timing: { kind: 'other' } };
      ms += amount * factor;
    }
    if (ms > 0) when = { when: `every ${duration(ms)}`, timing: { kind: 'interval', ms, text: String(ms) } };
  }
  return { ...base, library: 'toad-scheduler', ...(work ? jobOf(work, resolver) : { job: undefined, jobText: undefined }), ...when };
}

function newExpressionOf(expression: ts.Expression, facts: FileFacts): ts.NewExpression | undefined {
  let value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) {
    const declaration = facts.topLevel.get(value.text);
    const local = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
    if (local) value = skipOuterExpressions(local);
  }
  return ts.isNewExpression(value) ? value : undefined;
}

function breeJobs(options: ts.Expression | undefined): string | undefined {
  const object = options ? objectArgument(options) : undefined;
  const jobs = object && propertyValue(object, 'jobs');
  if (!jobs || !ts.isArrayLiteralExpression(jobs)) return undefined;
  const names = jobs.elements.flatMap((element) => {
    const value = skipOuterExpressions(element);
    const name = stringValue(value) ?? (ts.isObjectLiteralExpression(value) ? stringValue(propertyValue(value, 'name')) : undefined);
    return name === undefined ? [] : [`\`${name}\``];
  });
  return names.length > 0 ? names.join(', ') : undefined;
}

function objectArgument(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const value = skipOuterExpressions(expression);
  return ts.isObjectLiteralExpression(value) ? value : undefined;
}

function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (propertyNameText(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
    if (ts.isMethodDeclaration(property)) return undefined;
  }
  return undefined;
}

function intervalTiming(delay: ts.Expression | undefined, facts: FileFacts | undefined): Pick<ScheduleStart, 'when' | 'timing'> {
  if (!delay) return { when: 'continuously', timing: { kind: 'interval', ms: 0, text: '0' } };
  const text = delay.getText().replace(/\s+/g, ' ');
  const ms = evaluateNumber(delay, facts);
  if (ms === undefined || ms <= 0) return { when: `every \`${text}\` ms`, timing: { kind: 'interval', ms: undefined, text } };
  return { when: `every ${duration(ms)}`, timing: { kind: 'interval', ms, text } };
}

function cronTiming(expression: ts.Expression | undefined): Pick<ScheduleStart, 'when' | 'timing'> {
  if (!expression) return { when: 'on a cron schedule', timing: { kind: 'other' } };
  const value = skipOuterExpressions(expression);
  const pattern = stringValue(value);
  if (pattern !== undefined) return { when: describeCron(pattern), timing: { kind: 'cron', pattern, text: value.getText() } };
  // @nestjs/schedule's CronExpression.EVERY_5_MINUTES reads as what it says.
  if (ts.isPropertyAccessExpression(value) && skipOuterExpressions(value.expression).getText() === 'CronExpression') {
    return { when: value.name.text.toLowerCase().replace(/_/g, ' ').replace(/\bam\b|\bpm\b/g, (s) => s.toUpperCase()), timing: { kind: 'cron', pattern: undefined, text: value.getText() } };
  }
  return { when: `on the cron schedule \`${value.getText()}\``, timing: { kind: 'cron', pattern: undefined, text: value.getText() } };
}

/** The common cron shapes in words; anything else is quoted. */
export function describeCron(pattern: string): string {
  const fields = pattern.trim().split(/\s+/);
  const quoted = `on cron \`${pattern.trim()}\``;
  if (fields.length !== 5 && fields.length !== 6) return quoted;
  const [seconds, rest] = fields.length === 6 ? [fields[0], fields.slice(1)] : ['0', fields];
  const [minute, hour, day, month, weekday] = rest;
  const everyDay = day === '*' && month === '*' && weekday === '*';
  if (!everyDay) return quoted;
  if (fields.length === 6 && seconds !== '0') {
    if (seconds === '*' && minute === '*' && hour === '*') return 'every second';
    const step = /^\*\/(\d+)$/.exec(seconds);
    return step && minute === '*' && hour === '*' ? `every ${plural(Number(step[1]), 'second')}` : quoted;
  }
  if (minute === '*' && hour === '*') return 'every minute';
  const minuteStep = /^\*\/(\d+)$/.exec(minute);
  if (minuteStep && hour === '*') return `every ${plural(Number(minuteStep[1]), 'minute')}`;
  if (/^\d+$/.test(minute) && hour === '*') return minute === '0' ? 'every hour' : `every hour at minute ${minute}`;
  const hourStep = /^\*\/(\d+)$/.exec(hour);
  if (/^\d+$/.test(minute) && hourStep) return `every ${plural(Number(hourStep[1]), 'hour')}`;
  if (/^\d+$/.test(minute) && /^\d+$/.test(hour)) return `every day at ${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
  return quoted;
}

/** `60000` → `minute`, `300000` → `5 minutes`, `1500` → `1500 ms`. */
export function duration(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return plural(ms / size, unit);
  return `${ms} ms`;
}

function plural(count: number, unit: string): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}

/** Numbers the code spells out: literals, `5 * 60 * 1000`, and same-file constants. */
function evaluateNumber(expression: ts.Expression, facts: FileFacts | undefined, depth = 0): number | undefined {
  const value = skipOuterExpressions(expression);
  if (depth > 8) return undefined;
  if (ts.isNumericLiteral(value)) return Number(value.text.replace(/_/g, ''));
  if (ts.isBinaryExpression(value)) {
    const left = evaluateNumber(value.left, facts, depth + 1);
    const right = evaluateNumber(value.right, facts, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (value.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return left * right;
      case ts.SyntaxKind.PlusToken:
        return left + right;
      case ts.SyntaxKind.MinusToken:
        return left - right;
      case ts.SyntaxKind.SlashToken:
        return right === 0 ? undefined : left / right;
      default:
        return undefined;
    }
  }
  if (ts.isIdentifier(value) && facts && !isShadowed(value, value.text)) {
    const declaration = facts.topLevel.get(value.text);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && declaration.parent.flags & ts.NodeFlags.Const) {
      return evaluateNumber(declaration.initializer, facts, depth + 1);
    }
  }
  return undefined;
}
