import ts = require('typescript');
import { getFileFacts, type FunctionNode, type Mutation } from './file-facts';
import { callsWithin, type Reach, type RequestGraph } from './request-graph';
import { scheduledWork } from './scheduled-work';
import { findSchedules, type ScheduleStart } from './schedulers';
import { resolveWrittenState, statesWrittenOnRequestPath, type SharedState } from './shared-state';
import { isSharedData } from './staleness';
import { localInitializer } from './scope';
import { readsOf } from './state-reads';
import type { StartupReach } from './startup';
import { skipOuterExpressions } from './text';

/**
 * State that only a recurring job of the web process fills, with data it loaded, and that requests
 * read (`sitesOverLimit` added to by a cron that checks usage and writes it back, read by the
 * tracking route). The job does shared work, so it belongs on one instance (no-in-process-scheduler):
 * there, every other instance reads a copy nothing fills; until then each fills its own.
 */
export interface ScheduledState {
  state: SharedState;
  schedule: ScheduleStart;
  fills: Mutation[];
  /** Where requests read the state, each with the entry points that reach it. */
  reads: { node: ts.Expression; reaches: readonly Reach[] }[];
}

/** How deep the job's calls are followed to the writes (as far as its shared work is looked for). */
const MAX_FOLLOW_DEPTH = 4;

const cache = new WeakMap<RequestGraph, Map<ts.SourceFile, ScheduledState[]>>();

/** The states declared in `sourceFile` that only a scheduled job of the web process fills and requests read. */
export function statesFilledBySchedules(graph: RequestGraph, sourceFile: ts.SourceFile, startup: StartupReach, checker: ts.TypeChecker | undefined): ScheduledState[] {
  let byFile = cache.get(graph);
  if (!byFile) {
    byFile = collect(graph, startup, checker);
    cache.set(graph, byFile);
  }
  return byFile.get(sourceFile) ?? [];
}

function collect(graph: RequestGraph, startup: StartupReach, checker: ts.TypeChecker | undefined): Map<ts.SourceFile, ScheduledState[]> {
  const byNode = new Map<ts.Node, ScheduledState>();
  for (const file of startup.webProcessFiles()) {
    if (graph.isIgnoredFile(file)) continue;
    for (const schedule of findSchedules(getFileFacts(file), graph.resolver)) {
      if (!schedule.job || !runsInEveryInstance(schedule, graph, startup)) continue;
      // A job that only refreshes this process's copy (reloads settings every minute) is bounded staleness, not shared work.
      if (!scheduledWork(schedule, graph, { localOnlyCallees: [], sharedWorkCallees: [] })) continue;
      for (const mutation of mutationsRunBy(schedule.job, graph)) {
        if (!storesLoadedValue(mutation, checker)) continue;
        const state = resolveWrittenState(graph, mutation);
        if (!state) continue;
        const known = byNode.get(state.nameNode);
        if (known) {
          if (known.schedule === schedule) known.fills.push(mutation);
          continue;
        }
        byNode.set(state.nameNode, { state, schedule, fills: [mutation], reads: [] });
      }
    }
  }
  const byFile = new Map<ts.SourceFile, ScheduledState[]>();
  for (const entry of byNode.values()) {
    const file = entry.state.nameNode.getSourceFile();
    // One state, one rule: what requests write is classified with those writes.
    if (statesWrittenOnRequestPath(graph, file).some((written) => written.state.nameNode === entry.state.nameNode)) continue;
    entry.reads = requestReads(graph, entry.state);
    if (entry.reads.length === 0) continue;
    byFile.set(file, [...(byFile.get(file) ?? []), entry]);
  }
  return byFile;
}

/** Started by the web process at start-up, not by a request, as no-in-process-scheduler reads it. */
function runsInEveryInstance(schedule: ScheduleStart, graph: RequestGraph, startup: StartupReach): boolean {
  const inWebProcess = schedule.library === '@nestjs/schedule' ? !startup.isWorkerOnlyFile(schedule.node.getSourceFile()) : startup.runsAtStartUp(schedule.node);
  return inWebProcess && graph.reachesOf(schedule.node).length === 0;
}

/** The writes in the job and in the functions it calls (callbacks written in them included), as deep as its work is followed. */
function mutationsRunBy(job: FunctionNode, graph: RequestGraph): Mutation[] {
  const visited = new Set<FunctionNode>([job]);
  const queue: { fn: FunctionNode; depth: number }[] = [{ fn: job, depth: 0 }];
  const found: Mutation[] = [];
  for (let index = 0; index < queue.length; index++) {
    const { fn, depth } = queue[index];
    for (const mutation of getFileFacts(fn.getSourceFile()).mutations) {
      if (mutation.function && mutation.node.pos >= fn.pos && mutation.node.end <= fn.end && !found.includes(mutation)) found.push(mutation);
    }
    if (depth >= MAX_FOLLOW_DEPTH) continue;
    for (const call of callsWithin(fn)) {
      for (const target of graph.callTargets(call)) {
        if (visited.has(target)) continue;
        visited.add(target);
        queue.push({ fn: target, depth: depth + 1 });
      }
    }
  }
  return found;
}

/**
 * The write keeps something the job awaited from a load (`sitesOverLimit.add(siteId)` for each
 * `siteId` of an awaited query, `leaders = await db.select()…`); a flag, a timestamp, a count or a
 * gauge of its own (`os.loadavg()`, computed without waiting) is the job's bookkeeping.
 */
function storesLoadedValue(mutation: Mutation, checker: ts.TypeChecker | undefined): boolean {
  const node = mutation.node;
  const value = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
    ? ({ set: node.arguments[1], add: node.arguments[0], push: node.arguments[0], unshift: node.arguments[0] } as Record<string, ts.Expression | undefined>)[node.expression.name.text]
    : ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken ? node.right : undefined;
  if (!value) return false;
  const sources = sourcesOf(value, 0);
  return sources.some((source) => ts.isAwaitExpression(source)) && sources.some((source) => isSharedData(source, checker, 0, true));
}

/**
 * What a value was computed from, two steps back through locals: the value, the initializers of the
 * locals it starts from (`const ids = (await q()).map(…)`), and the list a loop variable is an
 * element of (`for (const row of await db.query(…))`), each with the awaits written in them.
 */
function sourcesOf(value: ts.Expression, depth: number): ts.Expression[] {
  const found: ts.Expression[] = [value];
  const visit = (node: ts.Node): void => {
    if (ts.isAwaitExpression(node)) found.push(node);
    if (ts.isIdentifier(node) && depth < 2 && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const origin = localInitializer(node) ?? iteratedSource(node);
      if (origin) found.push(...sourcesOf(origin, depth + 1));
      return;
    }
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  visit(skipOuterExpressions(value));
  return found;
}

/** `for (const id of ids) set.add(id)`: the list a loop variable is an element of. */
function iteratedSource(identifier: ts.Identifier): ts.Expression | undefined {
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (!ts.isForOfStatement(current) || !ts.isVariableDeclarationList(current.initializer)) continue;
    const declaration = current.initializer.declarations[0];
    if (declaration && ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text) return current.expression;
  }
  return undefined;
}

/**
 * Where a request reads the state: in its own file (`readsOf`), and for a module binding in the
 * other files requests run, wherever the name resolves to its declaration (`import { sitesOverLimit }`).
 */
function requestReads(graph: RequestGraph, state: SharedState): ScheduledState['reads'] {
  const reads: ScheduledState['reads'] = [];
  const add = (node: ts.Expression): void => {
    const reaches = graph.reachesOf(node);
    if (reaches.length > 0) reads.push({ node, reaches });
  };
  for (const read of readsOf(state)) add(read);
  if (state.kind !== 'module') return reads;
  const declaration = state.nameNode.parent;
  const home = state.nameNode.getSourceFile();
  for (const file of graph.reachedFiles) {
    if (file === home || !file.text.includes(state.name)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.text === state.name && !ts.isImportSpecifier(node.parent) && !ts.isImportClause(node.parent) && graph.resolver.declarationsOf(node).some((found) => found === declaration)) add(node);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return reads;
}
