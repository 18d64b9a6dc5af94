import ts = require('typescript');
import { getFileFacts, type FunctionNode } from './file-facts';
import { replicationSetup, ReplicaClassifier, sameTable, type DbEvent, type QueryNode, type ReplicaClientNames } from './replicas';
import type { EntryPoint, Reach, RequestGraph } from './request-graph';
import { DEFAULT_REPLICA_CLIENTS } from '../rules/replica-defaults';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** A database call in a request flow, with the call sites that lead to it from the handler (outermost first). */
interface FlowEvent {
  event: DbEvent;
  trail: readonly QueryNode[];
}

/** A replica read that runs after a write of the same family in at least one request flow. */
export interface ReadAfterWrite {
  read: DbEvent;
  write: DbEvent;
  /** The entry points whose flow has the write before the read. */
  reaches: Reach[];
}

/** Most files have no replicated setup in reach and name no replica client: settle that on the text first. */
export function mayReadFromReplica(sourceFile: ts.SourceFile, graph: RequestGraph, names: ReplicaClientNames): boolean {
  if (graph.entries.length === 0) return false;
  const setup = replicationSetup(graph.files);
  return setup.prisma || setup.drizzle || setup.sequelize || setup.typeorm || mayNameReplicaClient(sourceFile.text, names) || graphNamesReplicaClient(graph, names);
}

const graphHints = new WeakMap<RequestGraph, Map<readonly string[], boolean>>();

/** A file of the graph may name a replica client: a call here may reach it through the project's own wrapper (`db.read(…)`). */
function graphNamesReplicaClient(graph: RequestGraph, names: ReplicaClientNames): boolean {
  let byNames = graphHints.get(graph);
  if (!byNames) {
    byNames = new Map();
    graphHints.set(graph, byNames);
  }
  let named = byNames.get(names.replicaClients);
  if (named === undefined) {
    named = graph.files.some((file) => mayNameReplicaClient(file.text, names));
    byNames.set(names.replicaClients, named);
  }
  return named;
}

const hints = new WeakMap<readonly string[], RegExp | null>();

/**
 * Whether a file's text may name a replica client: a text pattern derived from the names (plain
 * names, or the words in `/regex/` options such as `replica`, `reader`, `readDb`). `null` (no
 * usable hint) means "maybe".
 */
function mayNameReplicaClient(text: string, names: ReplicaClientNames): boolean {
  let hint = hints.get(names.replicaClients);
  if (hint === undefined) {
    hint = replicaHint(names.replicaClients);
    hints.set(names.replicaClients, hint);
  }
  return hint === null || hint.test(text);
}

function replicaHint(options: readonly string[]): RegExp | null {
  const words: string[] = [];
  for (const option of options) {
    if (DEFAULT_REPLICA_CLIENTS.includes(option)) words.push(DEFAULT_HINT);
    else if (/^\/.*\/[a-z]*$/.test(option)) return null; // a user pattern: no text hint
    else words.push(option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
  return words.length === 0 ? /(?!)/ : new RegExp([...new Set(words)].join('|'));
}

/** Every name the default replica patterns match contains one of these. */
const DEFAULT_HINT = '[Rr]eplica|[Rr]eader|read(?:Db|DB|Pool|Client|Knex|Conn|Database|Sql)|read[Oo]nly|ro(?:Db|DB|Pool|Client)';

/** Cap on the database calls followed per function (flows through huge helpers stay bounded). */
const MAX_EVENTS = 400;

interface FlowState {
  classifier: ReplicaClassifier;
  namesKey: string;
  ofFunction: Map<FunctionNode, FlowEvent[]>;
  ofEntry: Map<EntryPoint, FlowEvent[]>;
}

const flowStates = new WeakMap<RequestGraph, FlowState[]>();

const namesKeys = new WeakMap<ReplicaClientNames, string>();

function stateFor(graph: RequestGraph, names: ReplicaClientNames): FlowState {
  let namesKey = namesKeys.get(names);
  if (namesKey === undefined) {
    namesKey = JSON.stringify([names.replicaClients, names.primaryClients]);
    namesKeys.set(names, namesKey);
  }
  let states = flowStates.get(graph);
  if (!states) {
    states = [];
    flowStates.set(graph, states);
  }
  let state = states.find((candidate) => candidate.namesKey === namesKey);
  if (!state) {
    state = { classifier: new ReplicaClassifier(graph.resolver, replicationSetup(graph.files), names, (call) => graph.callTargets(call)), namesKey, ofFunction: new Map(), ofEntry: new Map() };
    states.push(state);
  }
  return state;
}

/**
 * The replica reads in one file that follow a write in some request flow: the handler and what it
 * calls, in source order (an approximation of execution order), skipping writes in branches that
 * exclude the read or that return before it.
 */
export function readsAfterWrites(sourceFile: ts.SourceFile, graph: RequestGraph, names: ReplicaClientNames, calls: readonly QueryNode[]): ReadAfterWrite[] {
  const state = stateFor(graph, names);
  const results: ReadAfterWrite[] = [];
  for (const call of calls) {
    if (call.getSourceFile() !== sourceFile) continue;
    const read = state.classifier.classify(call);
    if (!read || read.kind !== 'replicaRead') continue;
    const reaches = graph.reachesOf(call);
    let write: DbEvent | undefined;
    const matching: Reach[] = [];
    for (const reach of reaches) {
      const found = writeBefore(read, eventsOfEntry(reach.entry, graph, state)) ?? writeBefore(read, eventsAlongReach(reach, call, graph, state));
      if (!found) continue;
      write ??= found;
      matching.push(reach);
    }
    if (write) results.push({ read, write, reaches: matching });
  }
  return results;
}

function eventsOfEntry(entry: EntryPoint, graph: RequestGraph, state: FlowState): FlowEvent[] {
  let events = state.ofEntry.get(entry);
  if (!events) {
    events = eventsOfFunction(entry.handler, graph, state, new Set(), 0);
    state.ofEntry.set(entry, events);
  }
  return events;
}

/**
 * The flow of a reach where a call of its chain runs one of several functions (a route row's
 * `route.handler(req, res)`, a dispatch table's pick): followed into the function the chain goes on
 * in, not the first one; empty when no call of the chain has a choice (the entry's flow is that).
 */
function eventsAlongReach(reach: Reach, read: QueryNode, graph: RequestGraph, state: FlowState): FlowEvent[] {
  const choices = new Map<QueryNode, FunctionNode>();
  const onChain = new Set<FunctionNode>([reach.entry.handler]);
  reach.calls.forEach((call, index) => {
    const next = reach.calls[index + 1] ?? read;
    const targets = graph.callTargets(call);
    const target = targets.find((fn) => fn.getSourceFile() === next.getSourceFile() && fn.getStart() <= next.getStart() && next.getEnd() <= fn.getEnd());
    if (!target) return;
    onChain.add(target);
    if (targets.length > 1 && target !== targets[0]) choices.set(call, target);
  });
  return choices.size === 0 ? [] : eventsOfFunction(reach.entry.handler, graph, state, new Set(), 0, { choices, onChain });
}

/** Database calls a function makes, directly or through the functions it calls, in source order (through `chain.choices` where a reach says which target runs). */
function eventsOfFunction(fn: FunctionNode, graph: RequestGraph, state: FlowState, active: Set<FunctionNode>, depth: number, chain?: { choices: Map<QueryNode, FunctionNode>; onChain: Set<FunctionNode> }): FlowEvent[] {
  // A function of the chain is followed along the chain's choices, and not cached.
  const guided = chain?.onChain.has(fn) ? chain : undefined;
  const cached = guided ? undefined : state.ofFunction.get(fn);
  if (cached) return cached;
  if (active.has(fn) || depth > 8) return [];
  active.add(fn);
  const events: FlowEvent[] = [];
  const queries = queriesWithin(fn).sort((a, b) => a.getStart() - b.getStart() || b.getEnd() - a.getEnd());
  for (const call of queries) {
    if (events.length >= MAX_EVENTS) break;
    const event = state.classifier.classify(call);
    if (event) {
      events.push({ event, trail: [] });
      continue;
    }
    if (ts.isTaggedTemplateExpression(call)) continue;
    const target = guided?.choices.get(call) ?? graph.callTargets(call)[0];
    if (!target) continue;
    for (const inner of eventsOfFunction(target, graph, state, active, depth + 1, guided)) events.push({ event: inner.event, trail: [call, ...inner.trail] });
  }
  active.delete(fn);
  // A recursive call back into an open caller contributes nothing; the rest of the flow is complete.
  if (!guided) state.ofFunction.set(fn, events);
  return events;
}

/** Callees whose function arguments run later, after the request has moved on (`res.on('finish', …)`, timers). */
const DEFERRING_CALLEES = /(?:^|\.)(?:on|once|addListener|prependListener|prependOnceListener|setTimeout|setImmediate|setInterval|nextTick|queueMicrotask)$/;

/** Calls and tagged templates in a function and in the callbacks written in it, except callbacks that run later. */
function queriesWithin(fn: FunctionNode): QueryNode[] {
  const facts = getFileFacts(fn.getSourceFile());
  const result: QueryNode[] = [];
  const stack: FunctionNode[] = [fn];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const info = facts.functions.get(current);
    if (!info) continue;
    result.push(...info.calls, ...info.taggedTemplates);
    for (const child of info.children) if (!isDeferredCallback(child)) stack.push(child);
  }
  return result;
}

function isDeferredCallback(fn: FunctionNode): boolean {
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const call = node.parent;
  return ts.isCallExpression(call) && call.arguments.includes(node as ts.Expression) && DEFERRING_CALLEES.test(call.expression.getText().replace(/\s+/g, ''));
}

/** The last write of the read's family that runs before this read in the flow. */
function writeBefore(read: DbEvent, events: readonly FlowEvent[]): DbEvent | undefined {
  for (let index = 0; index < events.length; index++) {
    if (events[index].event !== read && events[index].event.node !== read.node) continue;
    const readTrail = [...events[index].trail, read.node];
    for (let earlier = index - 1; earlier >= 0; earlier--) {
      const candidate = events[earlier];
      if (candidate.event.kind !== 'write' || candidate.event.family !== read.family) continue;
      // A write to another table cannot be what this read misses.
      const written = candidate.event.table;
      if (written !== undefined && read.table !== undefined && !sameTable(written, read.table)) continue;
      if (runsBefore([...candidate.trail, candidate.event.node], readTrail)) return candidate.event;
    }
  }
  return undefined;
}

/**
 * Whether the node at the end of one trail runs before the node at the end of the other: compared
 * where the two trails part (both there are in one function body), the first starts earlier, and
 * is neither in a branch that excludes the second nor followed by a `return`/`throw` before it.
 */
function runsBefore(writeTrail: readonly ts.Node[], readTrail: readonly ts.Node[]): boolean {
  let index = 0;
  while (index < writeTrail.length && index < readTrail.length && writeTrail[index] === readTrail[index]) index++;
  if (index >= writeTrail.length || index >= readTrail.length) return false;
  const write = writeTrail[index];
  const read = readTrail[index];
  if (write.getSourceFile() !== read.getSourceFile()) return false;
  // `db.query('INSERT …', values, function (err) { db.read(…) })`: the callback runs once the write is done.
  if (ts.isCallExpression(write) && write.arguments.some((argument) => (ts.isFunctionExpression(argument) || ts.isArrowFunction(argument)) && within(read, argument))) return true;
  if (write.getStart() >= read.getStart() || write.getEnd() > read.getStart()) return false;
  return !excludes(write, read);
}

function excludes(write: ts.Node, read: ts.Node): boolean {
  const readStart = read.getStart();
  for (let child: ts.Node = write, parent = write.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    const containsRead = parent.getStart() <= readStart && readStart < parent.getEnd();
    // `if (post) return withAuth(createPost)(req, res);`: the function the read is in ends with the write
    // (a return in a callback, `.then(() => { return write(); })`, ends only the callback).
    if (!containsRead && (ts.isReturnStatement(parent) || ts.isThrowStatement(parent))) {
      const owner = enclosingFunctionLike(parent);
      if (owner && within(read, owner)) return true;
    }
    if (containsRead) {
      if (ts.isIfStatement(parent)) return child === parent.thenStatement ? !!parent.elseStatement && within(read, parent.elseStatement) : child === parent.elseStatement;
      if (ts.isConditionalExpression(parent)) return child === parent.whenTrue ? within(read, parent.whenFalse) : child === parent.whenFalse;
      // Different `case` clauses of one switch.
      return ts.isCaseBlock(parent);
    }
    // The write's branch ends before the read: `if (!found) { await create(); return res.json(…); }`.
    // A `return` ends only the function it is in: a callback the write runs in
    // (`await lock.runExclusive(async () => { await insert(); return row; })`) hands back to the code after it.
    const exit = ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) ? exitAfter(parent.statements, child) : undefined;
    if (exit === SyntaxKind.ThrowStatement) return true;
    if (exit === SyntaxKind.ReturnStatement) {
      const owner = enclosingFunctionLike(parent);
      if (!owner || within(read, owner)) return true;
    }
  }
  return false;
}

/** The `return` or `throw` that ends the statements after `child`, if any. */
function exitAfter(statements: ts.NodeArray<ts.Statement>, child: ts.Node): ts.SyntaxKind.ReturnStatement | ts.SyntaxKind.ThrowStatement | undefined {
  const index = statements.indexOf(child as ts.Statement);
  if (index < 0) return undefined;
  for (let next = index + 1; next < statements.length; next++) {
    const kind = statements[next].kind;
    // `break` and `continue` leave a switch or a loop, and the code after it still runs.
    if (kind === SyntaxKind.ReturnStatement || kind === SyntaxKind.ThrowStatement) return kind;
  }
  return undefined;
}

function enclosingFunctionLike(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

function within(node: ts.Node, container: ts.Node): boolean {
  return container.getStart() <= node.getStart() && node.getEnd() <= container.getEnd();
}
