import ts = require('typescript');
import { getFileFacts, type FileFacts, type FunctionNode, type Mutation } from './file-facts';
import { resolveImportedMember } from './imports';
import { callsWithin, type Reach, type RequestGraph } from './request-graph';
import { scheduledWork } from './scheduled-work';
import { textMatches, type Resolver } from './resolve';
import { findSchedules } from './schedulers';
import { collectBindingNames, mentionsAny, resolveWrittenState, statesWrittenOnRequestPath, type SharedState } from './shared-state';
import { isSharedData } from './staleness';
import { localInitializer } from './scope';
import { readsOf } from './state-reads';
import type { StartupReach } from './startup';
import { propertyNameText, skipOuterExpressions } from './text';

/**
 * State that only background work of the web process fills, and that requests read:
 * - a recurring job that does shared work, with data it loaded (`sitesOverLimit` added to by a cron
 *   that checks usage and writes it back, read by the tracking route). The job belongs on one
 *   instance (no-in-process-scheduler): there, every other instance reads a copy nothing fills.
 * - a consumer of a work queue (BullMQ, Bull, Kafka consumer groups, RabbitMQ, SQS), with what its
 *   messages carry: the queue hands each message to one consumer, so each instance holds its share.
 */
export interface BackgroundState {
  state: SharedState;
  filledBy: { kind: 'schedule'; callee: string; when: string } | { kind: 'consumer'; callee: string; library: string };
  fills: Mutation[];
  /** Where requests read the state, each with the entry points that reach it. */
  reads: { node: ts.Expression; reaches: readonly Reach[] }[];
  /** The schedule or consumer that fills it (its fills are kept together). */
  start: ts.Node;
}

/** How deep the job's calls are followed to the writes (as far as its shared work is looked for). */
const MAX_FOLLOW_DEPTH = 4;

const cache = new WeakMap<RequestGraph, { files: number; byFile: Map<ts.SourceFile, BackgroundState[]> }>();

/** The states declared in `sourceFile` that only a scheduled job or a queue consumer of the web process fills and requests read. */
export function statesFilledInBackground(graph: RequestGraph, sourceFile: ts.SourceFile, startup: StartupReach, checker: ts.TypeChecker | undefined): BackgroundState[] {
  return collected(graph, startup, checker).get(sourceFile) ?? [];
}

/** The states a scheduled job or a queue consumer (`start`, its schedule or subscription) fills and requests read, in any file. */
export function statesFilledBy(start: ts.Node, graph: RequestGraph, startup: StartupReach, checker: ts.TypeChecker | undefined): BackgroundState[] {
  return [...collected(graph, startup, checker).values()].flat().filter((entry) => entry.start === start);
}

/** Every such state of the graph, by the file that declares it. */
function collected(graph: RequestGraph, startup: StartupReach, checker: ts.TypeChecker | undefined): Map<ts.SourceFile, BackgroundState[]> {
  // An untyped graph takes in files as its resolver enters them: the answer is good for the files it saw.
  let cached = cache.get(graph);
  if (cached?.files !== graph.files.length) {
    cached = { files: graph.files.length, byFile: collect(graph, startup, checker) };
    cache.set(graph, cached);
  }
  return cached.byFile;
}

function collect(graph: RequestGraph, startup: StartupReach, checker: ts.TypeChecker | undefined): Map<ts.SourceFile, BackgroundState[]> {
  const byNode = new Map<ts.Node, BackgroundState>();
  const fill = (mutation: Mutation, filledBy: BackgroundState['filledBy'], start: ts.Node): void => {
    const state = resolveWrittenState(graph, mutation);
    if (!state) return;
    const known = byNode.get(state.nameNode);
    if (!known) byNode.set(state.nameNode, { state, filledBy, fills: [mutation], reads: [], start });
    else if (known.start === start) known.fills.push(mutation);
  };
  for (const file of startup.webProcessFiles()) {
    if (graph.isIgnoredFile(file)) continue;
    const facts = getFileFacts(file);
    // What a job or a consumer keeps is read first: whether start-up runs it takes a walk of
    // everything the web process runs, which most jobs (keeping nothing) need not pay for.
    for (const schedule of findSchedules(facts, graph.resolver)) {
      if (!schedule.job) continue;
      const fills = mutationsRunBy(schedule.job, graph).filter((mutation) => storesLoadedValue(mutation, checker));
      if (fills.length === 0 || !runsInEveryInstance(schedule.node, schedule.library === '@nestjs/schedule', graph, startup)) continue;
      // A job that only refreshes this process's copy (reloads settings every minute) is bounded staleness, not shared work.
      if (!scheduledWork(schedule, graph, { localOnlyCallees: [], sharedWorkCallees: [] })) continue;
      for (const mutation of fills) fill(mutation, { kind: 'schedule', callee: schedule.callee, when: schedule.when }, schedule.node);
    }
    for (const consumer of findQueueConsumers(facts, graph.resolver)) {
      const received = parameterNames(consumer.handler);
      const fills = mutationsRunBy(consumer.handler, graph).filter((mutation) => storesReceivedValue(mutation, received, checker));
      if (fills.length === 0 || !runsInEveryInstance(consumer.node, false, graph, startup)) continue;
      for (const mutation of fills) fill(mutation, { kind: 'consumer', callee: consumer.callee, library: consumer.library }, consumer.node);
    }
  }
  const byFile = new Map<ts.SourceFile, BackgroundState[]>();
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

/** Started by the web process at start-up, not by a request, as no-in-process-scheduler reads it (a Nest decorator: in a file the web process loads). */
function runsInEveryInstance(start: ts.Node, decorated: boolean, graph: RequestGraph, startup: StartupReach): boolean {
  const inWebProcess = decorated ? !startup.isWorkerOnlyFile(start.getSourceFile()) : startup.runsAtStartUp(start);
  return inWebProcess && graph.reachesOf(start).length === 0;
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
  const value = keptValue(mutation);
  if (!value) return false;
  const sources = sourcesOf(value, 0);
  return sources.some((source) => ts.isAwaitExpression(source)) && sources.some((source) => isSharedData(source, checker, 0, true));
}

/**
 * The write keeps what a message carried (`prices.set(job.data.sku, job.data.price)`, computed
 * from it through locals) or what the consumer loaded for it; a count of messages or the time of
 * the last one is the consumer's bookkeeping.
 */
function storesReceivedValue(mutation: Mutation, received: ReadonlySet<string>, checker: ts.TypeChecker | undefined): boolean {
  const value = keptValue(mutation);
  if (!value || mutation.isIncrement) return false;
  return sourcesOf(value, 0).some((source) => mentionsAny(source, received)) || storesLoadedValue(mutation, checker);
}

/** What a write keeps: `m.set(k, v)` → v, `s.add(v)`, `a.push(v)`, `x = v`. */
function keptValue(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    return method === 'set' ? node.arguments[1] : method === 'add' || method === 'push' || method === 'unshift' ? node.arguments[0] : undefined;
  }
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken ? node.right : undefined;
}

function parameterNames(fn: FunctionNode): Set<string> {
  const names = new Set<string>();
  for (const parameter of fn.parameters) collectBindingNames(parameter.name, names);
  return names;
}

/** A queue's consumer the web process starts: where, as written, and the function each message is handed to. */
interface QueueConsumer {
  node: ts.Node;
  callee: string;
  library: string;
  handler: FunctionNode;
}

const CONSUMER_MODULES = /['"](?:bullmq|bull|bee-queue|kafkajs|amqplib(?:\/callback_api)?|amqp-connection-manager|sqs-consumer)['"]/;

/**
 * Consumers of a work queue, whose messages are shared out among the instances (each goes to one):
 * BullMQ's `new Worker(name, processor)`, Bull's and Bee-Queue's `queue.process(fn)`, a Kafka
 * consumer group's `consumer.run({ eachMessage })`, RabbitMQ's `channel.consume(queue, fn)`,
 * `Consumer.create({ handleMessage })` of sqs-consumer. The file imports the library: a method of
 * the same name elsewhere is not one. Pub/sub subscribers (every instance gets every message) are not.
 */
function findQueueConsumers(facts: FileFacts, resolver: Resolver): QueueConsumer[] {
  // Kept per file: the web process's every file is asked on each program.
  if (!textMatches(facts.sourceFile, CONSUMER_MODULES)) return [];
  const modules = new Set([...facts.imports.values()].map((binding) => binding.module));
  const found: QueueConsumer[] = [];
  const handlerOf = (expression: ts.Expression | ts.MethodDeclaration | undefined): FunctionNode | undefined => {
    if (!expression || ts.isMethodDeclaration(expression)) return expression;
    const value = skipOuterExpressions(expression);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
    try {
      return resolver.handlerFunctions(value)[0];
    } catch {
      return undefined;
    }
  };
  // `{ eachMessage: fn }`, `{ eachMessage }`, `{ async eachMessage(payload) { … } }`.
  const optionHandler = (options: ts.Expression | undefined, names: readonly string[]): ts.Expression | ts.MethodDeclaration | undefined => {
    const object = options && skipOuterExpressions(options);
    if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
    for (const property of object.properties) {
      const name = property.name && propertyNameText(property.name);
      if (name === undefined || !names.includes(name)) continue;
      if (ts.isPropertyAssignment(property)) return property.initializer;
      if (ts.isMethodDeclaration(property)) return property;
      if (ts.isShorthandPropertyAssignment(property)) return property.name;
    }
    return undefined;
  };
  for (const { node } of facts.calls) {
    const callee = skipOuterExpressions(node.expression);
    const args = node.arguments ?? [];
    const text = callee.getText().replace(/\s+/g, '');
    const member = resolveImportedMember(node.expression, facts.imports);
    let library: string | undefined;
    let handler: FunctionNode | undefined;
    if (ts.isNewExpression(node) && member?.module === 'bullmq' && member.path.join('.') === 'Worker') {
      library = 'bullmq';
      handler = handlerOf(args[1]);
    } else if (member?.module === 'sqs-consumer' && member.path.join('.') === 'Consumer.create') {
      library = 'sqs-consumer';
      handler = handlerOf(optionHandler(args[0], ['handleMessage', 'handleMessageBatch']));
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (method === 'process' && (modules.has('bull') || modules.has('bee-queue'))) {
        library = modules.has('bull') ? 'bull' : 'bee-queue';
        handler = handlerOf(args[args.length - 1]);
      } else if (method === 'run' && modules.has('kafkajs')) {
        library = 'kafkajs';
        handler = handlerOf(optionHandler(args[0], ['eachMessage', 'eachBatch']));
      } else if (method === 'consume' && args.length >= 2 && (modules.has('amqplib') || modules.has('amqplib/callback_api') || modules.has('amqp-connection-manager'))) {
        library = 'amqplib';
        handler = handlerOf(args[1]);
      }
    }
    if (library && handler) found.push({ node, callee: ts.isNewExpression(node) ? `new ${text}` : text, library, handler });
  }
  return found;
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
function requestReads(graph: RequestGraph, state: SharedState): BackgroundState['reads'] {
  const reads: BackgroundState['reads'] = [];
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
