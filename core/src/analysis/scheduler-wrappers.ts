import ts = require('typescript');
import { getFileFacts, type FileFacts, type FunctionNode } from './file-facts';
import { resolveImportedMember, schedulerModule, type ImportBinding } from './imports';
import type { Resolver } from './resolve';
import { calledName, skipOuterExpressions } from './text';

/**
 * A function of the project that hands one of its parameters to a scheduler library as the job
 * (`scheduleJob(rule, method) { return schedule.scheduleJob(rule, method); }`, `addTask(expression,
 * task) { this.tasks.push(cron.schedule(expression, task)); }`): each call of it starts a schedule of
 * that library, with the job and the timing its caller gives. Timers are left out: a function that
 * hands its parameter to `setInterval` is as often a client's retry or a UI helper.
 */
export interface ScheduleWrapper {
  fn: FunctionNode;
  /** The wrapper's own call of the library. */
  call: ts.CallExpression | ts.NewExpression;
  /** `node-schedule`, `node-cron`, `cron` or `croner`. */
  library: string;
  /** The wrapper's parameter the library runs on each tick. */
  jobParameter: number;
  /** The wrapper's parameter that says when, if it hands one on. */
  timingParameter: number | undefined;
  /** What says when in the wrapper's own call (used when no parameter is handed on). */
  innerTiming: ts.Expression;
  /** The field of `this` the library is called through, when another file sets it (confirmed before use). */
  heldField?: string;
}

/**
 * Where a scheduler library's call takes its job and its timing: node-cron's `schedule(expression, job)`,
 * cron's `new CronJob(expression, job)`, node-schedule's `scheduleJob([name,] rule, job)`, croner's
 * `Cron(pattern, [options,] job)`.
 */
function libraryArguments(module: string, path: string, call: ts.CallExpression | ts.NewExpression): { job: number; timing: number } | undefined {
  const count = call.arguments?.length ?? 0;
  if (count < 2) return undefined;
  if (module === 'node-cron' && path === 'schedule') return { job: 1, timing: 0 };
  if (module === 'cron' && (path === 'CronJob' || path === 'job')) return { job: 1, timing: 0 };
  if (module === 'node-schedule' && path === 'scheduleJob') return { job: count - 1, timing: count - 2 };
  if (module === 'croner' && (path === '' || path === 'Cron' || path === 'default')) return { job: count - 1, timing: 0 };
  return undefined;
}

/**
 * The scheduler library a call goes to: an import binding, a field of `this` the file sets to one
 * (`this.nodeSchedule = schedule`), or a field set in another file (a constructor function's methods
 * kept one per file), named by the library's own method (`this.nodeSchedule.scheduleJob(…)`): that
 * one is confirmed by the project's assignments of the field (`heldField`).
 */
function libraryMember(call: ts.CallExpression | ts.NewExpression, facts: FileFacts): (ImportBinding & { heldField?: string }) | undefined {
  const member = resolveImportedMember(call.expression, facts.imports);
  if (member) return member;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const owner = skipOuterExpressions(callee.expression);
  if (!ts.isPropertyAccessExpression(owner) || owner.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const held = fieldLibraries(facts).get(owner.name.text);
  if (held) return { ...held, path: [...held.path, callee.name.text] };
  const guessed = HELD_LIBRARY_METHODS.get(callee.name.text);
  return guessed ? { module: guessed, path: [callee.name.text], heldField: owner.name.text } : undefined;
}

/** The method that names its library when the library is held in a field set elsewhere. */
const HELD_LIBRARY_METHODS = new Map([['scheduleJob', 'node-schedule']]);

/** Fields of `this` that every assignment in the file sets to a scheduler library's binding (`this.cron = cron`, `nodeSchedule = schedule`). */
function fieldLibraries(facts: FileFacts): ReadonlyMap<string, ImportBinding> {
  const cached = heldLibraries.get(facts.sourceFile);
  if (cached) return cached;
  const held = new Map<string, ImportBinding>();
  const refused = new Set<string>();
  const note = (name: string, value: ts.Expression | undefined): void => {
    const binding = value && ts.isIdentifier(skipOuterExpressions(value)) ? facts.imports.get((skipOuterExpressions(value) as ts.Identifier).text) : undefined;
    if (binding && SCHEDULER_MODULES.has(schedulerModule(binding.module)) && !refused.has(name)) held.set(name, { ...binding, module: schedulerModule(binding.module) });
    else {
      refused.add(name);
      held.delete(name);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.expression.kind === ts.SyntaxKind.ThisKeyword) {
      note(node.left.name.text, node.right);
    } else if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) note(node.name.text, node.initializer);
    ts.forEachChild(node, visit);
  };
  if (SCHEDULER_TEXT.test(facts.sourceFile.text)) visit(facts.sourceFile);
  heldLibraries.set(facts.sourceFile, held);
  fieldsSetOtherwise.set(facts.sourceFile, refused);
  return held;
}

const heldLibraries = new WeakMap<ts.SourceFile, ReadonlyMap<string, ImportBinding>>();
/** Fields of `this` a file sets to something other than a scheduler library. */
const fieldsSetOtherwise = new WeakMap<ts.SourceFile, ReadonlySet<string>>();
const SCHEDULER_MODULES = new Set(['node-cron', 'cron', 'node-schedule', 'croner']);
/** Text a file that wraps a scheduler library has: its name, that of a copy (`../libs/nodeCron`), or its method on a field. */
const SCHEDULER_TEXT = /node[-_]?cron|node[-_]?schedule|croner|['"`]cron['"`]|\.scheduleJob\s*\(/i;

/** The wrappers a file defines (syntax, kept while the file is). */
export function scheduleWrappersOf(file: ts.SourceFile): readonly ScheduleWrapper[] {
  const cached = wrappersOfFile.get(file);
  if (cached) return cached;
  const wrappers: ScheduleWrapper[] = [];
  if (SCHEDULER_TEXT.test(file.text)) {
    const facts = getFileFacts(file);
    for (const { node: call, function: fn } of facts.calls) {
      if (!fn || fn.parameters.length === 0 || calledName(fn) === undefined) continue;
      const handed = handedArguments(call, facts);
      if (!handed) continue;
      const job = parameterIndex(fn, call.arguments![handed.job]);
      if (job === undefined) continue;
      const timing = parameterIndex(fn, call.arguments![handed.timing]);
      wrappers.push({ fn, call, library: handed.library, jobParameter: job, timingParameter: timing, innerTiming: call.arguments![handed.timing], heldField: handed.heldField });
    }
  }
  wrappersOfFile.set(file, wrappers);
  return wrappers;
}

const wrappersOfFile = new WeakMap<ts.SourceFile, readonly ScheduleWrapper[]>();

function handedArguments(call: ts.CallExpression | ts.NewExpression, facts: FileFacts): { library: string; job: number; timing: number; heldField?: string } | undefined {
  const member = libraryMember(call, facts);
  if (!member) return undefined;
  const module = schedulerModule(member.module);
  const found = libraryArguments(module, member.path.join('.'), call);
  return found ? { library: module, ...found, heldField: member.heldField } : undefined;
}

/** Which of the function's own parameters an argument is, or (a job) calls: `method`, `() => method()`, `() => { task(); }`. */
function parameterIndex(fn: FunctionNode, argument: ts.Expression | undefined): number | undefined {
  if (!argument) return undefined;
  let value = skipOuterExpressions(argument);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) value = soleExpression(value.body) ?? value;
  if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  if (ts.isCallExpression(value)) value = skipOuterExpressions(value.expression);
  if (!ts.isIdentifier(value)) return undefined;
  const name = value.text;
  const index = fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name);
  return index < 0 ? undefined : index;
}

/** A function body's one expression: an arrow's expression body, or a block of a single expression or `return` statement. */
function soleExpression(body: ts.ConciseBody): ts.Expression | undefined {
  if (!ts.isBlock(body)) return skipOuterExpressions(body);
  if (body.statements.length !== 1) return undefined;
  const [statement] = body.statements;
  const expression = ts.isExpressionStatement(statement) ? statement.expression : ts.isReturnStatement(statement) ? statement.expression : undefined;
  return expression && skipOuterExpressions(expression);
}

/**
 * The wrapper a call runs, when its callee is named as one: the names are read from the program's
 * files (typed) or the project's files that mention a scheduler (untyped), so a call of another name
 * is never resolved.
 */
export function wrappedScheduleOf(call: ts.CallExpression, resolver: Resolver): ScheduleWrapper | undefined {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name === undefined || call.arguments.length === 0) return undefined;
  const named = wrapperNames(resolver, call.getSourceFile());
  if (!named.has(name)) return undefined;
  let targets: readonly FunctionNode[] = [];
  try {
    targets = resolver.callTargets(call);
  } catch {
    targets = [];
  }
  for (const target of targets) {
    const wrapper = scheduleWrappersOf(target.getSourceFile()).find((candidate) => candidate.fn === target);
    // The wrapper's own call of the library is not a call of the wrapper.
    if (!wrapper || isWithin(call, wrapper.fn) || call.arguments.length <= wrapper.jobParameter) continue;
    if (wrapper.heldField === undefined || projectFieldLibraries(resolver, call.getSourceFile()).get(wrapper.heldField)?.module === wrapper.library) return wrapper;
  }
  return undefined;
}

function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end && node.getSourceFile() === container.getSourceFile();
}

/** The project's files that may wrap a scheduler library: the program's (typed), those that mention one (untyped), else the file asked about. */
function candidateFiles(resolver: Resolver, file: ts.SourceFile): readonly ts.SourceFile[] {
  return resolver.programSourceFiles() ?? resolver.filesMatching(SCHEDULER_TEXT) ?? [file];
}

/** Fields of `this` set to a scheduler library in the project's files, by name; a name one file sets to something else is left out. */
function projectFieldLibraries(resolver: Resolver, file: ts.SourceFile): ReadonlyMap<string, ImportBinding> {
  const cached = fieldsOfResolver.get(resolver);
  if (cached) return cached;
  const held = new Map<string, ImportBinding>();
  const refused = new Set<string>();
  for (const candidate of candidateFiles(resolver, file)) {
    const facts = getFileFacts(candidate);
    for (const [name, binding] of fieldLibraries(facts)) {
      if (refused.has(name) || (held.has(name) && held.get(name)!.module !== binding.module)) {
        refused.add(name);
        held.delete(name);
      } else held.set(name, binding);
    }
    for (const name of fieldsSetOtherwise.get(candidate) ?? []) {
      refused.add(name);
      held.delete(name);
    }
  }
  fieldsOfResolver.set(resolver, held);
  return held;
}

const fieldsOfResolver = new WeakMap<Resolver, ReadonlyMap<string, ImportBinding>>();

function wrapperNames(resolver: Resolver, file: ts.SourceFile): ReadonlySet<string> {
  const cached = namesOfResolver.get(resolver);
  if (cached) return cached;
  const files = candidateFiles(resolver, file);
  const names = new Set<string>();
  for (const candidate of files) {
    for (const wrapper of scheduleWrappersOf(candidate)) {
      const name = calledName(wrapper.fn);
      if (name !== undefined) names.add(name);
    }
  }
  // Without a program or a project index the names come from this file alone: another file's may follow.
  if (resolver.programSourceFiles() || resolver.filesMatching(SCHEDULER_TEXT)) namesOfResolver.set(resolver, names);
  return names;
}

const namesOfResolver = new WeakMap<Resolver, ReadonlySet<string>>();

/** Whether a library call is a wrapper's own (its job is the wrapper's parameter): the wrapper's callers start the schedules. */
export function isWrapperInside(call: ts.CallExpression | ts.NewExpression): boolean {
  return scheduleWrappersOf(call.getSourceFile()).some((wrapper) => wrapper.call === call);
}
