import ts = require('typescript');
import type { Finding, FixPlan, RemovedStatement, ReplacedStatement, TextEdit } from '../types';
import { getFileFacts, type FunctionNode } from '../analysis/file-facts';
import type { RequestGraph } from '../analysis/request-graph';
import { statesFilledBy } from '../analysis/background-state';
import { processDataOf, processQueueFilledBy } from '../analysis/scheduled-work';
import { getStartupReach } from '../analysis/startup';
import { findSchedules, type ScheduleStart } from '../analysis/schedulers';
import { skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { registerJob } from './blocking-fixes';
import { importEdit, importLeftUnused, importSwap, moduleSpecifier, useAdapter } from './module-edits';
import { referencesOf, symbolOf } from './references';
import { isImportOrExportName } from './state-fixes';

export interface SchedulerPlans {
  plans: Omit<FixPlan, 'message'>[];
  /** Why the job-scheduler move cannot be offered, when it cannot. */
  refused?: string;
}

/**
 * Two fixes for a schedule every instance starts: move the job to the job queue's scheduler (the
 * schedule call becomes `scheduleJob(name, repeat)` and the job a function the worker runs, listed
 * in jobs.ts), or, for a `setInterval`, keep the timer and run the job only on the instance that
 * holds a Redis leader lock. Neither drops a statement: a callback's body moves verbatim into an
 * exported function of the same file.
 */
export function schedulerPlans(sourceFile: ts.SourceFile, finding: Finding, context: FixContext, graph: RequestGraph): SchedulerPlans {
  const schedule = findSchedules(getFileFacts(sourceFile), graph.resolver).find((candidate) => candidate.node.getStart(sourceFile) === finding.start && candidate.node.getEnd() === finding.end);
  if (!schedule) return { plans: [], refused: 'the schedule is not where the analysis found it' };
  // The job handles this instance's copy of data requests write: on one instance, or in the worker, the other copies would go unhandled.
  const data = schedule.job && processDataOf(schedule.job, graph);
  if (data) return { plans: [], refused: `the job works on \`${data.state.name}\` (${context.where(data.state.nameNode)}), which each instance keeps in its own memory: run once, it would handle one instance's copy and leave the others'; move \`${data.state.name}\` to a shared store first` };
  // The job fills what requests read (`sitesOverLimit` of the accounts over their quota): run once, in the worker or on the
  // leader, it fills one process's copy and every other instance reads an empty one.
  const startup = getStartupReach(graph, context.program, context.config.requestPath.maxDepth);
  const [filled] = statesFilledBy(schedule.node, graph, startup, context.program.getTypeChecker());
  if (filled) return { plans: [], refused: `the job fills \`${filled.state.name}\` (${context.where(filled.state.nameNode)}), which requests read from this instance's memory: run once, it would fill one process's copy and the other instances would read theirs unfilled. Have the job keep it in Redis (a set or a hash every instance reads) first, then run the job once` };
  const plans: Omit<FixPlan, 'message'>[] = [];
  const moved = jobSchedulerPlan(schedule, context, graph);
  if ('plan' in moved) plans.push(moved.plan);
  // A cron job the worker cannot run (it uses the app around it): one instance runs each tick, by a lock shorter than a minute.
  const leader = leaderLockPlan(schedule, context) ?? ('refused' in moved ? cronTickLockPlan(schedule, context) : undefined);
  if (leader) plans.push(leader);
  return 'refused' in moved ? { plans, refused: moved.refused } : { plans };
}

type Result = { plan: Omit<FixPlan, 'message'> } | { refused: string };

function jobSchedulerPlan(schedule: ScheduleStart, context: FixContext, graph: RequestGraph): Result {
  if (ts.isIterationStatement(schedule.node, false)) return { refused: 'the job is a loop that sleeps between rounds: register one round with `scheduleJob` by hand, or run the loop in the worker' };
  if (!ts.isCallExpression(schedule.node) && !ts.isNewExpression(schedule.node)) return { refused: `\`${schedule.callee}\` is a decorator: register the method's work with \`scheduleJob\` in a module the worker runs` };
  // Not a recurring schedule: each row's job runs once, at its own time.
  if (schedule.timing.kind === 'delayed') return { refused: "each job runs once at its own time: add it to the job queue as a delayed job where its row is written (the row's id as the job id), and drop the timers start-up arms" };
  const call = schedule.node;
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const repeat = repeatOf(schedule, args, context.program.getTypeChecker());
  if ('refused' in repeat) return repeat;
  const statement = call.parent;
  const returned = ts.isReturnStatement(statement) ? droppedByEveryCaller(statement, context) : undefined;
  if (!ts.isExpressionStatement(statement) && !(returned && 'fn' in returned)) {
    const kept = returned && 'kept' in returned ? `; ${returned.kept}` : '';
    return { refused: `the value of \`${schedule.callee}(…)\` is used (${statementKind(statement)}${kept}): a job scheduler has no timer or task to hand back` };
  }
  const file = call.getSourceFile();
  if (!file.statements.some((candidate) => ts.isImportDeclaration(candidate))) return { refused: 'the file is a CommonJS module: the worker\'s jobs.ts imports named exports' };
  const callback = jobArgument(schedule, args);
  if (!callback) return { refused: `the job of \`${schedule.callee}\` is not a function the fix can read` };
  const queue = schedule.job && processQueueFilledBy(schedule.job, graph);
  if (queue) {
    const at = `${context.displayPath(queue.getSourceFile().fileName)}:${queue.getSourceFile().getLineAndCharacterOfPosition(queue.getStart()).line + 1}`;
    return { refused: `the job fills \`${queue.name.getText()}\` (${at}), a queue this process drains itself: in the worker it would wait where nothing sends it` };
  }

  const edits: TextEdit[] = [];
  const exported = exportedJob(callback, context);
  const job = exported ?? extractedJob(callback, schedule, context);
  if ('refused' in job) return job;
  edits.push(...job.edits);
  const scheduled = `void scheduleJob('${job.name}', ${repeat.text})`;
  // A returned task no caller keeps: the function schedules the job and returns nothing (its written return type, the task's, becomes `void`).
  const droppedFrom = returned && 'fn' in returned ? returned.fn : undefined;
  edits.push({ fileName: file.fileName, start: droppedFrom ? statement.getStart(file) : call.getStart(file), end: call.getEnd(), newText: scheduled });
  if (droppedFrom?.type) edits.push({ fileName: file.fileName, start: droppedFrom.type.getStart(file), end: droppedFrom.type.getEnd(), newText: 'void' });
  // A job called as it is (\`() => resetWatering()\`), or a callback with no block to move, leaves no statement of
  // the schedule behind: the schedule's statement is replaced, and the plan says by what.
  const body = skipOuterExpressions(callback);
  const replacedStatements: ReplacedStatement[] =
    exported || !((ts.isArrowFunction(body) || ts.isFunctionExpression(body)) && ts.isBlock(body.body)) || droppedFrom
      ? [{ fileName: file.fileName, start: statement.getStart(file), end: statement.getEnd(), replacement: scheduled, reason: `the worker runs \`${job.name}\` on each tick of the schedule${droppedFrom ? `, and every call of \`${droppedFrom.name!.text}\` dropped the task it returned` : ''}` }]
      : [];

  const scheduler = useAdapter('scheduler.ts', context.projectRoot, context.adapterDir, context.exists);
  const worker = useAdapter('worker.ts', context.projectRoot, context.adapterDir, context.exists);
  const line = importEdit(file, ['scheduleJob'], moduleSpecifier(file, scheduler.fileName, context.program.getCompilerOptions()));
  // `import cron from 'node-cron'` was there for this call only: left behind it would fail noUnusedLocals and lint.
  const library = rootIdentifier(call.expression);
  const unusedImport = library ? importLeftUnused(file, library, [call.expression, ...(droppedFrom?.type ? [droppedFrom.type] : [])]) : undefined;
  edits.push(...importSwap(file, unusedImport, line));
  const jobs = registerJob(job.name, job.declaringFile, scheduler.fileName.replace(/scheduler\.ts$/, 'jobs.ts'), context);
  if ('refused' in jobs) return jobs;
  edits.push(...jobs.edits);
  const createFiles = [...scheduler.createFiles, ...worker.createFiles.filter((created) => !scheduler.createFiles.some((other) => other.fileName === created.fileName)), ...jobs.createFiles];
  const dependencies = [...new Map([...scheduler.dependencies, ...worker.dependencies].map((dependency) => [dependency.name, dependency])).values()];
  const removedStatements: RemovedStatement[] = unusedImport
    ? [{ fileName: file.fileName, start: unusedImport.getStart(file), end: unusedImport.getEnd(), reason: `it imported only \`${library!.text}\`, whose one use became \`scheduleJob\`` }]
    : [];
  return { plan: { messageId: 'moveToJobScheduler', data: { name: job.name }, edits, createFiles, dependencies, ...(removedStatements.length > 0 ? { removedStatements } : {}), ...(replacedStatements.length > 0 ? { replacedStatements } : {}) } };
}

/** The repeat options as the code wrote them: `{ every: 60_000 }`, `{ pattern: '0 6 * * *', tz: 'Europe/Paris' }`. */
function repeatOf(schedule: ScheduleStart, args: ts.NodeArray<ts.Expression>, checker: ts.TypeChecker): { text: string } | { refused: string } {
  const timing = schedule.timing;
  if (schedule.library === 'timers') {
    if (timing.kind !== 'interval' || schedule.callee.endsWith('setTimeout')) return { refused: 'a setTimeout loop reschedules itself: register its work with `scheduleJob` by hand' };
    if (args.length > 2) return { refused: 'the timer passes arguments to its callback' };
    return timing.ms === 0 ? { refused: 'the timer has no interval' } : { text: `{ every: ${timing.text} }` };
  }
  if (timing.kind !== 'cron' || (timing.pattern === undefined && !isPatternString(schedule, args[0], checker))) return { refused: `the schedule of \`${schedule.callee}\` is not a cron pattern the fix can read` };
  if (schedule.library === 'node-cron' || schedule.library === 'node-schedule') {
    const options = schedule.library === 'node-cron' ? args[2] : undefined;
    if (schedule.library === 'node-schedule' && args.length > 2) return { refused: 'the job is scheduled under a name' };
    if (!options) return { text: `{ pattern: ${timing.text} }` };
    const tz = timezoneOption(options, 'timezone');
    return tz ? { text: `{ pattern: ${timing.text}, tz: ${tz} }` } : { refused: `the schedule has options (\`${options.getText()}\`) a job scheduler does not take` };
  }
  if (schedule.library === 'cron' && ts.isNewExpression(schedule.node)) {
    // new CronJob(pattern, onTick, onComplete?, start?, timeZone?): started at once, nothing on completion
    const [, , onComplete, start, timeZone, ...rest] = args;
    const isEmpty = (value: ts.Expression | undefined): boolean => !value || ['null', 'undefined'].includes(value.getText());
    if (!isEmpty(onComplete)) return { refused: `the CronJob calls \`${onComplete.getText()}\` when it stops, which a job scheduler never does` };
    if (start?.getText() !== 'true') return { refused: notStartedWhereMade(schedule.node) };
    if (rest.length > 0) return { refused: `the CronJob takes options past its time zone (\`${rest.map((option) => option.getText()).join(', ')}\`) that a job scheduler does not` };
    return isEmpty(timeZone) ? { text: `{ pattern: ${timing.text} }` } : { text: `{ pattern: ${timing.text}, tz: ${timeZone.getText()} }` };
  }
  return { refused: `\`${schedule.callee}\` takes options the fix does not carry over` };
}

/**
 * Why a `new CronJob(…)` not started where it is made stays: the code holds the job, to start it
 * later (`job.start()`), keep it in NestJS's SchedulerRegistry (`addCronJob(name, job)`) or stop it,
 * and a job scheduler hands back no timer to hold.
 */
function notStartedWhereMade(creation: ts.Node): string {
  const declaration = creation.parent;
  const holder = ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  let scope: ts.Node = creation;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const uses: string[] = [];
  const visit = (node: ts.Node): void => {
    if (holder && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (method === 'addCronJob' && node.arguments.some((argument) => argument.getText() === holder)) uses.push(`kept in the SchedulerRegistry (\`${node.expression.getText()}(…)\`)`);
      else if (node.expression.expression.getText() === holder && /^(?:start|stop)$/.test(method)) uses.push(`${method === 'start' ? 'started' : 'stopped'} later (\`${node.getText()}\`)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  const held = uses.length > 0 ? `: it is ${[...new Set(uses)].join(' and ')}` : ' (its fourth argument, start, is not `true`)';
  return `the CronJob is not started where it is made${held}, a timer the code holds, and a job scheduler hands none back: register its work with \`scheduleJob\` by hand, or run each tick under a leader lock`;
}

/**
 * A pattern the code computes (`config.reportCron`, `process.env.CRON ?? '0 6 * * *'`): a string at
 * run time, which the job scheduler reads as it is (BullMQ parses node-cron's and cron's five- and
 * six-field patterns). node-cron takes only strings; node-schedule and cron also take dates and
 * rule objects, so for them the type must say string.
 */
function isPatternString(schedule: ScheduleStart, pattern: ts.Expression | undefined, checker: ts.TypeChecker): boolean {
  if (!pattern || ts.isObjectLiteralExpression(skipOuterExpressions(pattern))) return false;
  // A Nest CronExpression member is read by the analysis itself; an enum-like name is not a computed pattern.
  if (ts.isPropertyAccessExpression(pattern) && /^[A-Z0-9_]+$/.test(pattern.name.text)) return false;
  try {
    const type = checker.getTypeAtLocation(pattern);
    const isString = (part: ts.Type): boolean => (part.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.TemplateLiteral)) !== 0;
    if (type.isUnion() ? type.types.every(isString) : isString(type)) return true;
  } catch {
    return false;
  }
  return schedule.library === 'node-cron';
}

/** `cron` of `cron.schedule`, `CronJob` of `new CronJob`. */
function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let current = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(current)) current = skipOuterExpressions(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

function timezoneOption(options: ts.Expression, key: string): string | undefined {
  const value = skipOuterExpressions(options);
  if (!ts.isObjectLiteralExpression(value) || value.properties.length !== 1) return undefined;
  const property = value.properties[0];
  return ts.isPropertyAssignment(property) && property.name.getText() === key ? property.initializer.getText() : undefined;
}

function jobArgument(schedule: ScheduleStart, args: ts.NodeArray<ts.Expression>): ts.Expression | undefined {
  if (schedule.library === 'timers') return args[0];
  if (schedule.library === 'node-schedule' || schedule.library === 'croner') return args[args.length - 1];
  return args[1];
}

type Job = { name: string; declaringFile: ts.SourceFile; edits: TextEdit[] };

/** `setInterval(expireCarts, …)` or `() => expireCarts()`: an exported function without parameters is the job as it is. */
function exportedJob(callback: ts.Expression, context: FixContext): Job | undefined {
  let reference = skipOuterExpressions(callback);
  if (ts.isArrowFunction(reference) && reference.parameters.length === 0) {
    const body = ts.isBlock(reference.body) ? (reference.body.statements.length === 1 && ts.isExpressionStatement(reference.body.statements[0]) ? reference.body.statements[0].expression : undefined) : reference.body;
    let called = body ? skipOuterExpressions(body) : undefined;
    if (called && (ts.isAwaitExpression(called) || ts.isVoidExpression(called))) called = skipOuterExpressions(called.expression);
    if (!called || !ts.isCallExpression(called) || called.arguments.length > 0) return undefined;
    reference = skipOuterExpressions(called.expression);
  }
  if (!ts.isIdentifier(reference)) return undefined;
  const declaration = symbolOf(context.program.getTypeChecker(), reference)?.declarations?.[0];
  if (!declaration || !(ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration))) return undefined;
  const fn = ts.isFunctionDeclaration(declaration) ? declaration : declaration.initializer && skipOuterExpressions(declaration.initializer);
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters.some((parameter) => !parameter.questionToken && !parameter.initializer)) return undefined;
  if ((ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export) === 0) return undefined;
  return { name: reference.text, declaringFile: declaration.getSourceFile(), edits: [] };
}

/**
 * The callback becomes an exported function of the same file, its body verbatim, placed after the
 * top-level statement that holds the schedule. Refused when the body uses what only the callback's
 * surroundings have (a parameter, a local of the function that starts the timer, `this`).
 */
function extractedJob(callback: ts.Expression, schedule: ScheduleStart, context: FixContext): Job | { refused: string } {
  const value = skipOuterExpressions(callback);
  if (!ts.isArrowFunction(value) && !ts.isFunctionExpression(value)) return { refused: `\`${value.getText()}\` is not an exported function without parameters the worker can import` };
  if (value.parameters.length > 0) return { refused: `the job uses the arguments \`${schedule.callee}\` passes to it` };
  const outer = outerLocal(value, context.program.getTypeChecker());
  if (outer) return { refused: `the job uses \`${outer}\` from the code around it; a worker runs it without that` };
  const file = value.getSourceFile();
  const name = jobName(value, file);
  const topLevel = topLevelStatement(value);
  const indent = indentationOf(file, schedule.node.getStart(file));
  const isAsync = value.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
  const body = ts.isBlock(value.body) ? dedent(value.body.getText(file), indent) : `{\n  return ${value.body.getText(file)};\n}`;
  const newline = file.text.includes('\r\n') ? '\r\n' : '\n';
  const text = `${newline}${newline}/** Run by the worker on every tick of its schedule (scheduleJob). */${newline}export ${isAsync ? 'async ' : ''}function ${name}() ${body.replace(/\n/g, newline)}`;
  return { name, declaringFile: file, edits: [{ fileName: file.fileName, start: topLevel.getEnd(), end: topLevel.getEnd(), newText: text }] };
}

/** The first identifier the callback reads that is declared in a function around it (not at module scope, not inside the callback). */
function outerLocal(callback: ts.ArrowFunction | ts.FunctionExpression, checker: ts.TypeChecker): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (node.kind === ts.SyntaxKind.ThisKeyword && ts.isArrowFunction(callback)) found = 'this';
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) {
      if (node.text === 'arguments') found = 'arguments';
      const declarations = symbolOf(checker, node)?.declarations ?? [];
      for (const declaration of declarations) {
        if (declaration.getSourceFile() !== callback.getSourceFile()) continue;
        const inside = declaration.pos >= callback.pos && declaration.end <= callback.end;
        if (!inside && enclosingFunctionOf(declaration) !== undefined) found = node.text;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(callback.body, visit);
  return found;
}

function enclosingFunctionOf(node: ts.Node): FunctionNode | ts.ClassLikeDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) return current as FunctionNode | ts.ClassLikeDeclaration;
    if (ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** `scheduleDailyReport` → `dailyReportJob`; at module scope, after the file (`server.ts` → `serverJob`). */
function jobName(callback: ts.Node, file: ts.SourceFile): string {
  let base: string | undefined;
  for (let current: ts.Node | undefined = callback.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if ((ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current)) && current.name && ts.isIdentifier(current.name)) {
      base = current.name.text;
      break;
    }
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isVariableDeclaration(current.parent) && ts.isIdentifier(current.parent.name)) {
      base = current.parent.name.text;
      break;
    }
  }
  base = (base ?? file.fileName.replace(/^.*\//, '').replace(/\.[^.]*$/, '')).replace(/^(?:schedule|start|register|init|setup|run)(?=[A-Z])/, '');
  const camel = base.replace(/[-_.\s]+(\w)/g, (_, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toLowerCase()).replace(/[^\w$]/g, '');
  const taken = getFileFacts(file).topLevel;
  let name = `${camel || 'scheduled'}Job`;
  for (let suffix = 2; taken.has(name) || getFileFacts(file).imports.has(name); suffix++) name = `${camel}Job${suffix}`;
  return name;
}

function topLevelStatement(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current;
}

function indentationOf(file: ts.SourceFile, offset: number): string {
  const lineStart = file.text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(lineStart))![0];
}

/** The block as written, with the indentation of the line the schedule started on taken off each line after the first. */
function dedent(text: string, indent: string): string {
  if (!indent) return text;
  return text
    .split(/\r?\n/)
    .map((line, index) => (index > 0 && line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/**
 * `function scheduleDigest() { …; return cron.schedule(…) }` whose every call drops what it returns
 * (`scheduleDigest();` at start-up): no one keeps the task, so the schedule can move as a statement
 * would. Only a function declaration, not async or a generator, whose body ends with that return;
 * else undefined, or what keeps the task when a call does.
 */
function droppedByEveryCaller(statement: ts.ReturnStatement, context: FixContext): { fn: ts.FunctionDeclaration } | { kept: string } | undefined {
  const fn = ts.isBlock(statement.parent) ? statement.parent.parent : undefined;
  if (!fn || !ts.isFunctionDeclaration(fn) || !fn.name || fn.asteriskToken || fn.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  if (fn.body?.statements[fn.body.statements.length - 1] !== statement) return undefined;
  const references = referencesOf(context.program, fn.name).filter((reference) => !isImportOrExportName(reference));
  if (references.length === 0) return undefined;
  for (const reference of references) {
    const call = reference.parent;
    if (!ts.isCallExpression(call) || call.expression !== reference) return { kept: `\`${fn.name.text}\` is used other than by a call (${context.where(reference)})` };
    const user = ts.isVoidExpression(call.parent) ? call.parent.parent : call.parent;
    if (!ts.isExpressionStatement(user)) return { kept: `\`${call.getText()}\` (${context.where(call)}) keeps it` };
  }
  return { fn };
}

function statementKind(node: ts.Node): string {
  if (ts.isReturnStatement(node)) return 'returned';
  if (ts.isVariableDeclaration(node)) return `kept in \`${node.name.getText()}\``;
  if (ts.isBinaryExpression(node)) return `assigned to \`${node.left.getText()}\``;
  return 'passed on';
}

/**
 * `setInterval(job, ms)` → `setInterval(() => void runAsLeader('job', 2 * ms, job), ms)`: every
 * instance keeps its timer, the one holding the lead runs the job. Offered for intervals only: a
 * cron tick hours apart is better served by the job scheduler.
 */
function leaderLockPlan(schedule: ScheduleStart, context: FixContext): Omit<FixPlan, 'message'> | undefined {
  if (schedule.library !== 'timers' || schedule.callee.endsWith('setTimeout') || !ts.isCallExpression(schedule.node)) return undefined;
  const timing = schedule.timing;
  const call = schedule.node;
  if (timing.kind !== 'interval' || timing.ms === 0 || call.arguments.length !== 2) return undefined;
  const callback = skipOuterExpressions(call.arguments[0]);
  if (!runsUnchangedByLeader(callback)) return undefined;
  const name = lockName(callback, call.getSourceFile());
  const ttl = timing.ms !== undefined && /^[\d_]+$/.test(timing.text) ? String(2 * timing.ms) : `2 * ${/^[\w.]+$/.test(timing.text) ? timing.text : `(${timing.text})`}`;
  const plan = runAsLeaderPlan(call.arguments[0], name, ttl, 'holdLeaderLock', context);
  // `pingAccounts(); setInterval(pingAccounts, DAY)`: the first run, at start-up, is the same job; every instance would run it once more.
  const job = ts.isIdentifier(callback) ? callback : undefined;
  const firstRuns = job ? firstRunsOf(call, job) : [];
  if (!job || firstRuns.length === 0) return plan;
  const file = call.getSourceFile();
  // A call that is the whole statement is not awaited: `void` says so, as the timer's wrapper does.
  const edits = firstRuns.map((first) => ({ fileName: file.fileName, start: first.getStart(file), end: first.getEnd(), newText: `${ts.isExpressionStatement(first.parent) ? 'void ' : ''}runAsLeader('${name}', ${ttl}, ${job.text})` }));
  return { ...plan, edits: [...plan.edits, ...edits] };
}

/**
 * The calls that run an interval's job once before the timer starts, in the same block: `job();`,
 * `void job();`, `job().catch(log);` just before `setInterval(job, ms)`.
 */
function firstRunsOf(schedule: ts.CallExpression, job: ts.Identifier): ts.CallExpression[] {
  let statement: ts.Node = schedule;
  while (!ts.isExpressionStatement(statement) && !ts.isVariableStatement(statement)) {
    if (!statement.parent || ts.isFunctionLike(statement.parent) || ts.isSourceFile(statement.parent) || ts.isBlock(statement.parent)) return [];
    statement = statement.parent;
  }
  const block = statement.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return [];
  const index = block.statements.indexOf(statement);
  const runs: ts.CallExpression[] = [];
  for (const earlier of block.statements.slice(0, index)) {
    if (!ts.isExpressionStatement(earlier)) continue;
    let expression = skipOuterExpressions(earlier.expression);
    if (ts.isVoidExpression(expression)) expression = skipOuterExpressions(expression.expression);
    // `job().catch(log)`, `job().then(…)`: the chain goes on after the first run.
    while (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression) && /^(?:catch|then|finally)$/.test(expression.expression.name.text)) expression = skipOuterExpressions(expression.expression.expression);
    if (ts.isCallExpression(expression) && expression.arguments.length === 0 && ts.isIdentifier(expression.expression) && expression.expression.text === job.text) runs.push(expression);
  }
  return runs;
}

/**
 * A job `runAsLeader` can call as it is: it takes nothing the schedule hands it (node-cron the
 * tick's date, a timer its extra arguments) and a function expression does not read `this`.
 */
function runsUnchangedByLeader(callback: ts.Expression): boolean {
  if ((ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callback.parameters.length > 0) return false;
  return !(ts.isFunctionExpression(callback) && /\bthis\b/.test(callback.body.getText()));
}

/** The job argument wrapped as `() => void runAsLeader(name, ttl, job)`, with the leader-lock adapter imported. */
function runAsLeaderPlan(job: ts.Expression, name: string, ttl: string, messageId: string, context: FixContext): Omit<FixPlan, 'message'> {
  const file = job.getSourceFile();
  const leader = useAdapter('leader-lock.ts', context.projectRoot, context.adapterDir, context.exists);
  const edits: TextEdit[] = [{ fileName: file.fileName, start: job.getStart(file), end: job.getEnd(), newText: `() => void runAsLeader('${name}', ${ttl}, ${job.getText(file)})` }];
  const line = importEdit(file, ['runAsLeader'], moduleSpecifier(file, leader.fileName, context.program.getCompilerOptions()));
  if (line) edits.push(line);
  return { messageId, data: { name }, edits, createFiles: leader.createFiles, dependencies: leader.dependencies };
}

/**
 * node-cron's `cron.schedule('0 18 * * *', job)` → `cron.schedule('0 18 * * *', () => void
 * runAsLeader('bake-list', 30_000, job))`: every instance keeps its schedule and fires on the same
 * minute; the first to ask holds the lead for 30 seconds, so the others skip that tick, and it has
 * expired by the next one (a pattern whose ticks are a minute apart or more: five fields, or six
 * with a fixed second). For the cron jobs the job scheduler's worker cannot run; cron's `CronJob`,
 * node-schedule and croner alike, so a `CronJob` the code keeps (`return new CronJob(…)`) stays one.
 */
function cronTickLockPlan(schedule: ScheduleStart, context: FixContext): Omit<FixPlan, 'message'> | undefined {
  if (schedule.timing.kind !== 'cron' || schedule.timing.pattern === undefined) return undefined;
  const fields = schedule.timing.pattern.trim().split(/\s+/);
  if (!(fields.length === 5 || (fields.length === 6 && /^\d+$/.test(fields[0])))) return undefined;
  const job = tickJobOf(schedule);
  if (!job) return undefined;
  const call = schedule.node;
  const callback = skipOuterExpressions(job);
  if ((!ts.isIdentifier(callback) && !ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) || !runsUnchangedByLeader(callback)) return undefined;
  // Named with its pattern too: a timer and a schedule started in one function would otherwise share one lead.
  return runAsLeaderPlan(job, `${lockName(callback, call.getSourceFile())}:${fields.join(' ')}`, '30_000', 'holdTickLock', context);
}

/** The cron libraries whose tick function the leader lock wraps. */
const TICK_LOCKED = new Set(['node-cron', 'cron', 'node-schedule', 'croner']);

/**
 * The function a cron schedule calls on each tick, where the schedule is written so: node-cron's
 * `schedule(pattern, job, options?)`; cron's `new CronJob(pattern, onTick, …)` (and `CronJob.from({
 * cronTime, onTick })`); node-schedule's `scheduleJob([name,] pattern, job)`; croner's `Cron(pattern,
 * [options,] job)`.
 */
function tickJobOf(schedule: ScheduleStart): ts.Expression | undefined {
  const call = schedule.node;
  if ((!ts.isCallExpression(call) && !ts.isNewExpression(call)) || !TICK_LOCKED.has(schedule.library)) return undefined;
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (schedule.library === 'node-cron' && (!ts.isCallExpression(call) || args.length > 3)) return undefined;
  // CronJob.from({ cronTime, onTick }): the job is an option.
  const options = schedule.library === 'cron' && args.length === 1 ? skipOuterExpressions(args[0]) : undefined;
  if (options && ts.isObjectLiteralExpression(options)) {
    return options.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && property.name.getText() === 'onTick')?.initializer;
  }
  return jobArgument(schedule, args);
}

/**
 * `expireCarts` → `expire-carts`; a method, also bound (`this.saveRevision.bind(this)`), → its name
 * (`save-revision`): two jobs started by methods of one name (`start`) must not share a lock; a
 * callback → after the function that starts it.
 */
function lockName(callback: ts.Expression, file: ts.SourceFile): string {
  let named = skipOuterExpressions(callback);
  if (ts.isCallExpression(named) && ts.isPropertyAccessExpression(named.expression) && named.expression.name.text === 'bind') named = skipOuterExpressions(named.expression.expression);
  const base = ts.isIdentifier(named) ? named.text : ts.isPropertyAccessExpression(named) ? named.name.text : madeByCall(named) ?? jobName(callback, file).replace(/Job\d*$/, '');
  return base.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * A callback a call makes (`setInterval(this.pollAll(FREQUENCIES.EVERY_MINUTE), …)`, one per
 * frequency): the called function and the last name of each argument (`pollAll-EVERY_MINUTE`),
 * so timers started side by side by one function keep locks of their own.
 */
function madeByCall(node: ts.Expression): string | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (!name) return undefined;
  const parts = node.arguments.map((argument) => {
    const value = skipOuterExpressions(argument);
    return ts.isPropertyAccessExpression(value) ? value.name.text : ts.isIdentifier(value) || ts.isNumericLiteral(value) ? value.text : ts.isStringLiteralLike(value) ? value.text.replace(/[^\w-]+/g, '-') : undefined;
  });
  return parts.every((part): part is string => part !== undefined) ? [name, ...parts.map((part) => part.replace(/_/g, '-'))].join('-') : undefined;
}
