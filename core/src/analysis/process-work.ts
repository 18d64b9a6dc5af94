import ts = require('typescript');
import { getFileFacts, type CallLike, type FunctionNode, type Mutation } from './file-facts';
import { resolveImportedMember, type ImportTable } from './imports';
import type { SharedState, StateWrite } from './shared-state';
import { readsOf, type ReadableState } from './state-reads';
import { skipOuterExpressions, stringValue } from './text';

/**
 * State a process keeps about its own work, which requests reach but no user reads back from
 * another instance: the bookkeeping of a file watcher, a queue of jobs this process runs one at a
 * time (and the index that keeps a job from being queued twice), a stack popped by the call that
 * pushed it, what only debug routes write.
 */

/** Metrics clients: what their instruments hold is this process's own measurements, scraped or pushed per instance. */
const METRICS_PACKAGES = new Set(['prom-client', '@opentelemetry/api', '@opentelemetry/sdk-metrics', 'hot-shots', 'node-statsd', 'statsd-client', 'lynx', 'datadog-metrics']);
const INSTRUMENT_CLASSES = new Set(['Counter', 'Gauge', 'Histogram', 'Summary']);
/** `meter.createCounter(…)`, `meter.createObservableGauge(…)` of OpenTelemetry. */
const INSTRUMENT_FACTORY = /^create(?:Counter|Gauge|Histogram|UpDownCounter|Observable\w+)$/;

/**
 * A Map or object of metric instruments made on first use, by name (`metrics.set(name, this)` in
 * the constructor of a wrapper that makes a `new prom.Counter(…)`, `counters[name] ??= new
 * client.Counter(…)`), in a module that imports a metrics client: the registry of this process's
 * own metrics, which each instance exposes or pushes for itself. Every add is in a function that
 * makes an instrument; entries may be dropped anywhere (a sweep of stale ones).
 */
export function holdsMetricInstruments(state: Pick<SharedState, 'nameNode' | 'holds'>, mutations: readonly Mutation[]): boolean {
  if (state.holds === 'value') return false;
  const imports = getFileFacts(state.nameNode.getSourceFile()).imports;
  if (![...imports.values()].some((binding) => METRICS_PACKAGES.has(binding.module))) return false;
  const adds = mutations.filter((mutation) => !isRemoval(mutation));
  return adds.length > 0 && adds.every((mutation) => mutation.function !== undefined && makesInstrument(mutation.function, imports));
}

function makesInstrument(fn: ts.Node, imports: ImportTable): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isNewExpression(node)) {
      const made = resolveImportedMember(node.expression, imports);
      if (made && METRICS_PACKAGES.has(made.module) && INSTRUMENT_CLASSES.has(made.path[made.path.length - 1] ?? '')) found = true;
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && INSTRUMENT_FACTORY.test(node.expression.name.text)) {
      found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** File-system watcher packages: what their watchers report is a change on this machine's disk. */
const WATCHER_PACKAGES = new Set(['chokidar', 'watcher', 'node-watch', '@parcel/watcher', 'nsfw', 'gaze', 'sane', 'watchpack', 'filewatcher']);
const FS_WATCH = new Set(['watch', 'watchFile']);
/** Folders packages are copied into (`./libs/watcher/watcher` is the `watcher` package). */
const COPIED_PACKAGE_FOLDER = /^(?:libs?|vendors?|vendored|third[-_]party)$/i;

/**
 * A field of a class whose own methods start file-system watchers (chokidar, `fs.watch`, the
 * `watcher` package, also a copy of it under `libs/`): which files are being added, which folders to
 * ignore while this process writes them, the watchers per folder. Each instance watches its own
 * disk and keeps its own account of it.
 */
export function isFileWatcherField(nameNode: ts.Node): boolean {
  const owner = ts.findAncestor(nameNode, ts.isClassLike);
  if (!owner) return false;
  const imports = getFileFacts(nameNode.getSourceFile()).imports;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const member = resolveImportedMember(node.expression, imports);
      if (member && (WATCHER_PACKAGES.has(packageName(member.module)) || (member.module === 'fs' && FS_WATCH.has(member.path[member.path.length - 1] ?? '')))) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(owner);
  return found;
}

/** `chokidar`, `@parcel/watcher/x` → `@parcel/watcher`, `./libs/watcher/watcher` → `watcher`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  if (parts[0] === '.' || parts[0] === '..') {
    const folder = parts.findIndex((part) => COPIED_PACKAGE_FOLDER.test(part));
    return folder >= 0 && folder + 1 < parts.length ? parts[folder + 1] : specifier;
  }
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * A queue of this process's pending work: jobs pushed on it by one function and taken off one at a
 * time by another, its worker (`const next = this.queue.shift(); send(next)`, often in a timer); or
 * put at its front (`unshift`) and taken off its back (`const task = this.tasks.pop()`).
 * Only the state itself counts, not an entry kept per key (`pending[userId].shift()` is a user's
 * mailbox); entries taken where entries are added (a player who waits unless another is waiting) or
 * two at a time (players paired) are users meeting each other, which every instance should share. A
 * cap on its length bounds this process's backlog, not a user's quota; dropping the oldest entry
 * (`log.shift()` as a statement) is not taking work.
 */
export function isWorkQueue(state: ReadableState): boolean {
  const uses = readsOf(state);
  const take = queueTake(uses);
  const takenIn = new Map<ts.Node | undefined, number>();
  for (const use of uses) {
    if (calledMember(use, take, true)) {
      const worker = ts.findAncestor(use, ts.isFunctionLike);
      takenIn.set(worker, (takenIn.get(worker) ?? 0) + 1);
    }
  }
  return [...takenIn].some(([worker, takes]) => worker !== undefined && takes === 1 && !uses.some((use) => (calledMember(use, 'push', false) ?? calledMember(use, 'unshift', false)) && ts.findAncestor(use, ts.isFunctionLike) === worker));
}

/**
 * How a queue's worker takes the next job: off the front (`shift`), or off the back (`pop`) when every
 * job is put at the front (`unshift`). A list pushed and popped is a stack, someone's history.
 */
function queueTake(uses: readonly ts.Expression[]): 'shift' | 'pop' {
  const putAtFront = uses.some((use) => calledMember(use, 'unshift', false));
  return putAtFront && !uses.some((use) => calledMember(use, 'push', false)) ? 'pop' : 'shift';
}

/**
 * `if (this.startedThisTick < this.rateLimit) this.start(task); else this.tasks.unshift(task)`, with
 * `this.startedThisTick = 0` where the tick takes the waiting tasks off `this.tasks`: a count of the
 * jobs this process started in the current round of its own work queue, which decides whether a job
 * starts now or waits in that queue. It paces this process's load, as the queue is this process's;
 * a count that turns a request away over a limit (a quota, a rate limit) gates no queue of work.
 */
export function pacesWorkQueue(state: ReadableState, mutations: readonly Mutation[], isReset: (mutation: Mutation) => boolean): boolean {
  const resets = mutations.filter(isReset);
  if (resets.length === 0) return false;
  const queues = new Set(resets.flatMap((reset) => [...receiversIn(reset.function, 'shift', true), ...receiversIn(reset.function, 'pop', true)]));
  if (queues.size === 0) return false;
  const gates = readsOf(state).filter((read) => !mutations.some((mutation) => read.pos >= mutation.node.pos && read.end <= mutation.node.end) && isComparison(read));
  return gates.length > 0 && gates.some((gate) => {
    const fn = ts.findAncestor(gate, ts.isFunctionLike);
    return [...receiversIn(fn, 'push', false), ...receiversIn(fn, 'unshift', false)].some((queue) => queues.has(queue));
  });
}

/** `count < limit`, `limit >= count`: the read is one side of an ordering comparison. */
function isComparison(read: ts.Expression): boolean {
  let node: ts.Node = read;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return ts.isBinaryExpression(parent) && [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken].includes(parent.operatorToken.kind);
}

/**
 * The index of a work queue: ids marked where a job is pushed on a queue and unmarked where the
 * queue gives the job to its worker (`taskMap.set(id, true); queue.push(task)` …
 * `const task = queue.shift(); taskMap.delete(task.id)`), so one job is not queued twice.
 */
export function indexesWorkQueue(state: ReadableState, mutations: readonly Mutation[]): boolean {
  const fills = mutations.filter((mutation) => !isRemoval(mutation));
  const removals = readsOf(state).filter((use) => calledMember(use, 'delete', false) ?? calledMember(use, 'clear', false));
  if (removals.length === 0 || fills.length === 0) return false;
  const pushed = fills.map((fill) => receiversIn(fill.function, 'push', false));
  const taken = removals.map((removal) => receiversIn(ts.findAncestor(removal, ts.isFunctionLike), 'shift', true));
  return pushed[0].some((queue) => pushed.every((receivers) => receivers.includes(queue)) && taken.every((receivers) => receivers.includes(queue)));
}

/** `use.method(…)`, with its result used when `used` is set. */
function calledMember(use: ts.Expression, method: string, used: boolean): ts.CallExpression | undefined {
  const access = use.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== use || access.name.text !== method) return undefined;
  const call = access.parent;
  if (!ts.isCallExpression(call) || call.expression !== access) return undefined;
  return used && ts.isExpressionStatement(skipParentheses(call).parent) ? undefined : call;
}

function skipParentheses(node: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return node;
}

/** `m.delete(k)`, `m.clear()`, `delete o[k]`. */
export function isRemoval(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isDeleteExpression(node)) return true;
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && (node.expression.name.text === 'delete' || node.expression.name.text === 'clear');
}

/** The receivers (as text) of `x.method(…)` calls in a function; `used`: only where the result is used. */
function receiversIn(fn: ts.Node | undefined, method: string, used: boolean): string[] {
  if (!fn) return [];
  const receivers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method && (!used || !ts.isExpressionStatement(skipParentheses(node).parent))) {
      receivers.push(skipOuterExpressions(node.expression.expression).getText().replace(/\s+/g, ''));
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return receivers;
}

/**
 * A stack of work in progress: every push onto the state (or a fixed property of it) is popped
 * again later in the same function (`frames.push(ctx); … frames.pop()`), and nothing else writes
 * it: a renderer's or a tracer's context, empty again when the call that pushed returns.
 */
export function isBalancedStack(mutations: readonly Mutation[]): boolean {
  const pushes = mutations.filter((mutation) => memberCalled(mutation) === 'push');
  if (pushes.length === 0 || mutations.some((mutation) => memberCalled(mutation) !== 'push' && memberCalled(mutation) !== 'pop')) return false;
  return pushes.every((push) => {
    const receiver = receiverText(push);
    return receiver !== undefined && mutations.some((pop) => memberCalled(pop) === 'pop' && pop.function === push.function && pop.node.pos > push.node.end && receiverText(pop) === receiver);
  });
}

/** `push` for `a.b.push(x)`: the method a write calls, on a receiver with no computed key. */
function memberCalled(mutation: Mutation): string | undefined {
  const node = mutation.node;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || receiverText(mutation) === undefined) return undefined;
  return node.expression.name.text;
}

function receiverText(mutation: Mutation): string | undefined {
  const node = mutation.node;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const receiver = skipOuterExpressions(node.expression.expression);
  for (let part: ts.Expression = receiver; !ts.isIdentifier(part) && part.kind !== ts.SyntaxKind.ThisKeyword; part = skipOuterExpressions(part.expression)) {
    if (!ts.isPropertyAccessExpression(part)) return undefined;
  }
  return receiver.getText().replace(/\s+/g, '');
}

/** A route under a `debug` segment (`GET /debug/check/:permission`, `/_debug/…`): a diagnostic of this process. */
const DEBUG_ROUTE = /(?:^|[\s/])_*debug(?:[/\s]|$)/i;

/** Every request path to every write is a debug route's: what is kept is that process's diagnostics. */
export function isWrittenOnlyByDebugRoutes(writes: readonly StateWrite[]): boolean {
  return writes.length > 0 && writes.every((write) => write.reaches.length > 0 && write.reaches.every((reach) => DEBUG_ROUTE.test(reach.entry.label)));
}

/** Calls that ask whether a connection answers: `client.ping()`, `this.pingFn()`, `redis.healthCheck()`. */
const PROBE_CALL = /^(?:ping|pingFn|healthCheck|healthcheck|checkHealth|isAlive)$/;

/**
 * Every write of the state sits in a health probe: a function that pings a connection
 * (`await clickhouse.ping()`), or a method of the same class that only such probes call (the
 * `recordFailure()` a failed ping runs), besides the constructor. A failure streak, a re-entry flag
 * and a healthy flag kept so say how this instance's own connection answers, and each instance
 * probes its own: no user's count, and no shared work to guard. `mutations` are every write of the
 * state in its file.
 */
export function isHealthProbeState(mutations: readonly Mutation[]): boolean {
  // A field only the constructor sets (`this.instances = {}`, written by code outside the class) is not kept by a probe.
  const outsideConstructor = mutations.filter((mutation) => mutation.function === undefined || !ts.isConstructorDeclaration(mutation.function));
  return outsideConstructor.length > 0 && outsideConstructor.every((mutation) => {
    const fn = mutation.function;
    return fn !== undefined && (probes(fn) || isCalledOnlyByProbes(fn));
  });
}

function probes(fn: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (PROBE_CALL.test(name)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** A method whose every call in its class (`this.recordFailure(…)`) is made from a probe. */
function isCalledOnlyByProbes(fn: FunctionNode): boolean {
  if (!ts.isMethodDeclaration(fn) || !ts.isIdentifier(fn.name) || !ts.isClassLike(fn.parent)) return false;
  const name = fn.name.text;
  const callers: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword && callee.name.text === name) {
        const caller = ts.findAncestor(node.parent, (ancestor) => ts.isMethodDeclaration(ancestor) || ts.isConstructorDeclaration(ancestor) || ts.isPropertyDeclaration(ancestor));
        callers.push(caller ?? node);
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.parent, visit);
  return callers.length > 0 && callers.every((caller) => caller !== fn && (ts.isMethodDeclaration(caller) || ts.isConstructorDeclaration(caller)) && probes(caller));
}

/** Calls that open (or re-open) a connection or a channel on it: `producer.connect()`, `amqp.connect(url, cb)`, `conn.createChannel()`. */
const CONNECT_CALL = /^(?:connect|reconnect|createConnection|createChannel|createConfirmChannel)$/;

/**
 * A reconnect attempt count or a re-entry flag of a class's own connection to a broker or server:
 * every write sits in a method that (re)connects that connection (`this.producer.connect()`,
 * `amqp.connect(…)` of an imported client, or `this.connect()` of such a method, as a back-off timer
 * does), or the constructor, and a connecting method resets it (`this.attempts = 0` once connected).
 * Each instance keeps its own connection and counts its own attempts: no user's count, and no shared
 * work to guard. A count a request adds to while it connects, never reset on connecting, stays.
 */
export function isConnectionUpkeepState(mutations: readonly Mutation[]): boolean {
  if (mutations.length === 0) return false;
  const methods = mutations.map((mutation) => ts.findAncestor(mutation.node, (node) => ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)));
  if (!methods.every((method) => method !== undefined && (ts.isConstructorDeclaration(method) || connects(method, new Set())))) return false;
  return mutations.some((mutation, index) => isLiteralReset(mutation) && methods[index] !== undefined && !ts.isConstructorDeclaration(methods[index]));
}

/**
 * The same bookkeeping kept in a module's variables: `errorCount++` in the error callback the module
 * sets on the client it makes (`client.onError = () => …`, `client.on('error', …)`), `errorCount = 0`
 * in its open callback, `retryAt = now + interval` in the module function that calls
 * `client.connect()`. Every write sits in such a function or callback, and one sets the value back to
 * a literal there: the module's own connection, counted and paced in this process.
 */
export function isModuleConnectionUpkeepState(state: SharedState, mutations: readonly Mutation[]): boolean {
  if (state.kind !== 'module' || mutations.length === 0) return false;
  const file = state.nameNode.getSourceFile();
  const clients = moduleClients(file);
  if (clients.size === 0) return false;
  const upkeep = mutations.map((mutation) => mutation.function !== undefined && servesConnection(mutation.function, clients, file));
  return upkeep.every(Boolean) && mutations.some((mutation) => isLiteralReset(mutation));
}

/** Module variables the file sets to a client it makes with `new` (`wsClient = new WebSocketClient(url)`) and connects (`wsClient.connect()`). */
function moduleClients(file: ts.SourceFile): Set<string> {
  const facts = getFileFacts(file);
  const made = new Set<string>();
  const connected = new Set<string>();
  for (const { node } of facts.calls) {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && CONNECT_CALL.test(callee.name.text) && ts.isIdentifier(skipOuterExpressions(callee.expression))) connected.add((skipOuterExpressions(callee.expression) as ts.Identifier).text);
      continue;
    }
    const parent = skipParentheses(node).parent;
    const target = parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken ? parent.left : parent && ts.isVariableDeclaration(parent) ? parent.name : undefined;
    if (target && ts.isIdentifier(target) && facts.topLevel.has(target.text)) made.add(target.text);
  }
  return new Set([...made].filter((name) => connected.has(name)));
}

/** A connection's own events: opened, closed, failed, reconnected. */
const CONNECTION_EVENT = /^(?:open|close|error|connect|connected|disconnect|disconnected|reconnect|end)$/i;

/** A function that (re)connects one of the module's clients, or a callback set on one (`client.onOpen = () => …`, `client.on('close', …)`). */
function servesConnection(fn: FunctionNode, clients: ReadonlySet<string>, file: ts.SourceFile): boolean {
  const isClient = (node: ts.Expression): boolean => {
    const value = skipOuterExpressions(node);
    return ts.isIdentifier(value) && clients.has(value.text);
  };
  const holder = skipParentheses(fn).parent;
  if (holder && ts.isBinaryExpression(holder) && ts.isPropertyAccessExpression(holder.left) && /^on/.test(holder.left.name.text) && CONNECTION_EVENT.test(holder.left.name.text.slice(2)) && isClient(holder.left.expression)) return true;
  if (holder && ts.isCallExpression(holder) && ts.isPropertyAccessExpression(holder.expression) && /^(?:on|once|addListener)$/.test(holder.expression.name.text) && CONNECTION_EVENT.test(stringValue(holder.arguments[0]) ?? '') && isClient(holder.expression.expression)) return true;
  let connects = false;
  const visit = (node: ts.Node): void => {
    if (connects || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && CONNECT_CALL.test(callee.name.text) && isClient(callee.expression)) connects = true;
    }
    if (!connects) ts.forEachChild(node, visit);
  };
  if (ts.isFunctionLike(fn) && fn.getSourceFile() === file) ts.forEachChild(fn, visit);
  return connects;
}

/** A method whose body (its callbacks included) opens a connection: on a field's client, an imported client, or through another such method of its class. */
function connects(method: ts.MethodDeclaration, seen: Set<ts.MethodDeclaration>): boolean {
  if (seen.has(method) || !method.body || !ts.isClassLike(method.parent)) return false;
  seen.add(method);
  const owner = method.parent;
  const imports = getFileFacts(method.getSourceFile()).imports;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const receiver = skipOuterExpressions(callee.expression);
        if (receiver.kind === ts.SyntaxKind.ThisKeyword) {
          const own = owner.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === callee.name.text);
          if (own && connects(own, seen)) found = true;
        } else if (CONNECT_CALL.test(callee.name.text) && (isFieldOfThis(receiver) || (ts.isIdentifier(receiver) && resolveImportedMember(receiver, imports) !== undefined))) {
          found = true;
        }
      }
    }
    if (!found) ts.forEachChild(node, visit);
  };
  ts.forEachChild(method.body, visit);
  return found;
}

/** `this.producer`: a field of the object itself. */
function isFieldOfThis(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && skipOuterExpressions(node.expression).kind === ts.SyntaxKind.ThisKeyword;
}

/** `this.attempts = 0`, `this.reconnecting = false`: set back to a literal. */
function isLiteralReset(mutation: Mutation): boolean {
  if (!ts.isBinaryExpression(mutation.node) || mutation.node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const value = skipOuterExpressions(mutation.node.right);
  return ts.isNumericLiteral(value) || value.kind === ts.SyntaxKind.FalseKeyword || value.kind === ts.SyntaxKind.NullKeyword;
}

/**
 * `workers.push({ proc: fork(WORKER_PATH) })`, `new Worker(file)` of worker_threads, `cluster.fork()`:
 * a module that runs a pool of this process's own worker processes or threads. The module's
 * variables the pool's functions use (the list of workers, jobs handed out, restarts, boot
 * failures, a breaker's open-until time) are the pool's bookkeeping: each instance has its own
 * pool, sized for its own machine, as it has its own CPUs. They are the variables the function
 * that starts a worker uses, and those used together with one of them, in turn; a variable only
 * other code uses (a daily quota counted by a route of the same module) is not the pool's.
 */
export function isWorkerPoolState(state: SharedState): boolean {
  if (state.kind !== 'module' || !ts.isIdentifier(state.nameNode)) return false;
  const sourceFile = state.nameNode.getSourceFile();
  let names = poolStates.get(sourceFile);
  if (!names) poolStates.set(sourceFile, (names = workerPoolStates(sourceFile)));
  return names.has(state.name);
}

const poolStates = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

function workerPoolStates(sourceFile: ts.SourceFile): ReadonlySet<string> {
  const facts = getFileFacts(sourceFile);
  const variables = new Set([...facts.topLevel].filter(([, declaration]) => ts.isVariableDeclaration(declaration)).map(([name]) => name));
  const outermost = (fn: FunctionNode): FunctionNode => {
    let current = fn;
    for (let parent = facts.functions.get(current)?.parent; parent; parent = facts.functions.get(current)?.parent) current = parent;
    return current;
  };
  const starters = new Set(facts.calls.filter(({ node, function: fn }) => fn !== undefined && startsWorker(node, facts.imports)).map(({ function: fn }) => outermost(fn!)));
  const pool = new Set<string>();
  if (starters.size === 0) return pool;
  const uses = [...facts.functions.values()].filter((info) => info.parent === undefined).map((info) => ({ fn: info.node, names: mentionedVariables(info.node, variables) }));
  for (const use of uses) if (starters.has(use.fn)) use.names.forEach((name) => pool.add(name));
  for (let grown = true; grown; ) {
    grown = false;
    for (const use of uses) {
      if (![...use.names].some((name) => pool.has(name))) continue;
      for (const name of use.names) {
        if (pool.has(name)) continue;
        pool.add(name);
        grown = true;
      }
    }
  }
  return pool;
}

function startsWorker(node: CallLike, imports: ImportTable): boolean {
  const member = resolveImportedMember(node.expression, imports);
  const name = member?.path.join('.');
  if (member?.module === 'child_process' || member?.module === 'cluster') return name === 'fork';
  return ts.isNewExpression(node) && member?.module === 'worker_threads' && name === 'Worker';
}

/** The module variables a function (with the functions inside it) names. */
function mentionedVariables(fn: FunctionNode, variables: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && variables.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) found.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}
