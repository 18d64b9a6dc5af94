import ts = require('typescript');
import { getFileFacts, isFunctionNode, mutationRoot, type Mutation } from './file-facts';
import { isDatalessSignal } from './event-listeners';
import { decoratorsOf } from './frameworks/nest';
import { globalPropertyName } from './global-namespaces';
import { enclosingFunction, graphFilesWhere, type Reach, type RequestGraph } from './request-graph';
import { enclosingClass } from './resolve';
import { startUpMadeClasses } from './startup-instances';
import { isMadePerCall } from './per-call-providers';
import { isPerCallScratchField } from './call-scratch';
import { isReadByNoRunningCode } from './unread-state';
import { recordsQueuedWork } from './queue-bookkeeping';
import { classesOf, constructorAssignments, prototypeOwnerDeclaration } from './untyped-resolve';
import { isShadowed, localInitializer, localVariableOf, valuesOfLocal } from './scope';
import { appLocalsInitializer, appLocalsWrite, appMemberWrite, hasModuleScopeInitializers, isRequestApp, type AppLocalsWrite } from './app-locals';
import { isCommonJsExportTarget } from './module-exports';
import { moduleObjectMembers } from './factory-results';
import { fanOutLoopsOf, holdsConnectionsInEntries, isKeyedByConnection, keepsConnectionsByKey, listsConnections, sendsToRoomsOfConnections } from './pubsub';
import { roomsKeptIn } from './pubsub-rooms';
import { isRateLimiterCreation } from './rate-limiters';
import { holdsLimiterHandle } from './held-limiters';
import { holdsMetricInstruments, indexesWorkQueue, isConnectionUpkeepState, isModuleConnectionUpkeepState, isHealthProbeState, isBalancedStack, isFileWatcherField, isRemoval, isWorkQueue, isWorkerPoolState, isWrittenOnlyByDebugRoutes, pacesWorkQueue } from './process-work';
import { dropsEntry, holdsRunningWork, isWrittenByPackageListeners } from './running-work';
import { holdsReferenceData, isSavedAsSetting, isSharedData, storesLoadedData } from './staleness';
import { holdsJobQueueHandles, isJobQueueHandle } from './job-queue-handles';
import { isLockRegistry } from './state-libraries';
import { isTallyReadBack } from './drained-tallies';
import { countsThroughSetter } from './counting-setters';
import { isIdentityProviderHandle } from './identity-providers';
import { appendsProcessHandles, holdsAbortControllers, isAwaitedPromiseList, holdsProcessHandles, holdsTimerHandle, isCacheStatistic, isComparedToLimit, isDrainedBuffer, isIdSequence, isIdleCount, isInFlightGauge, isLastResultFallback, isRunningWorkCap, isExitStatus, isLoggedOnceRecord, isLogOnceLatch, isReadOnlyByMetrics, isSweepTick, keepsLastLogged } from './state-reads';
import { countsThroughEntries, hasTimedRelease, inTimerCallback, isCacheUse, isKeyedByFreshId, isLoadedCopyReplacedByRequest, isLockWaitList, isOneWaySwitch, isPerUserRequestWrite, isRequestData, isRunningStatus, isToggledSetting, keyNode, lockUseOf, ownerText, storedValue } from './state-use';
import { globalSingletonValue, isStaticMember, propertyNameText, skipOuterExpressions, within } from './text';
import { holdsSessionTransports } from './session-transports';
import { isFieldOfWrittenThroughCopy, isPreloadedCopyOfRecords, isWrittenThroughCopy, mirrorsStoredDocument, mirrorsStoredDocumentThroughSetter } from './stored-documents';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** State one process keeps across requests: a module binding, a class static, or a field of a singleton. */
export interface SharedState {
  /** The declaration's name node (where findings about the state are reported). */
  nameNode: ts.Node;
  name: string;
  /** `closure`: a variable of a factory that runs at start-up, kept by the functions it registers or returns. */
  kind: 'module' | 'static' | 'singleton-field' | 'closure';
  /** What the state holds, as far as its initializer tells. */
  holds: 'map' | 'set' | 'array' | 'object' | 'value';
  /** Kept on a framework's one object per process (Express's `app.locals`, Koa's `app.context`, or the app itself), read through every request's `req.app` or `ctx`. */
  on?: 'locals' | 'context' | 'app';
}

export interface StateWrite {
  mutation: Mutation;
  reaches: readonly Reach[];
}

/**
 * Which rule a state belongs to. `single-flight` (in-flight reads shared by concurrent callers),
 * `flag` (set one way, e.g. `ready = true`), `resource` (clients, pools) and `process` (values the
 * process computes for itself, which no request's data reaches) are reported by none.
 */
export type StateClass = 'session' | 'counter' | 'cache' | 'lock' | 'realtime' | 'resource' | 'single-flight' | 'flag' | 'process';

export interface StateWithWrites {
  state: SharedState;
  writes: StateWrite[];
  classification: StateClass;
  /** For a sequence that mints ids: the name of the shared state its ids are kept in (`recent.push({ id: nextId++, … })`). */
  idsKeptIn?: string;
}

const stateCache = new WeakMap<RequestGraph, Map<ts.SourceFile, StateWithWrites[]>>();

const CACHE_NAME = /cache|memo|lru|^cached/i;
const LOCK_NAME = /lock|mutex|semaphore|inProgress|inFlight|^(is)?(busy|running|processing|pending)$/i;
const REALTIME_NAME = /socket|client|connection|subscriber|listener|stream|emitter|peer|^ws|sse/i;
/** Handles to things outside the process, opened once and reused: not data about requests. */
const RESOURCE_NAME = /^_?(db|database|conn|pool|knex|prisma|sequelize|mongo|mongoose|redis|driver|channel|browser|transporter|queue|worker|server|app|instance)$/i;
/**
 * A collection the code makes itself and names a database (`const db = {}`, `this.db = new Map()`): the
 * app's records kept in memory, not a handle to a database server.
 */
function isInMemoryDatabase(state: SharedState): boolean {
  return state.holds !== 'value' && DATABASE_NAME.test(state.name);
}
const DATABASE_NAME = /^_?(db|database)$/i;
/** Calls that hand back a client or a manager of this process (`await UsageCacheManager.getInstance()`), not data. */
const RESOURCE_VALUE = /\b(connect|createConnection|createPool|createClient|launch|getConnection|initiali[sz]e|init|open|getInstance)\s*\(/;
/** Objects that talk to another service for the app (an SDK client, a mail transport, a provider), not data. */
const CLIENT_NAME = /(service|client|api|sdk|transport|transporter|provider|adapter|agent)$/i;
const REQUEST_SCOPES = /Scope\.(REQUEST|TRANSIENT)/;
const SINGLETON_DECORATORS = new Set(['Injectable', 'Controller', 'Resolver', 'WebSocketGateway']);
/**
 * `@Service()` of a container that keeps one instance per class unless told otherwise (typedi, whose
 * `Container.get(X)` hands every caller the same object; Ts.ED's DI; fastify-decorators), by the module
 * it is imported from: a `@Service` of another library says nothing. `{ transient: true }` and a request
 * or instance scope make one per lookup.
 */
const CONTAINER_SERVICE_MODULES = new Set(['typedi', '@tsed/di', '@tsed/common', 'fastify-decorators']);
const CONTAINER_PER_LOOKUP = /transient\s*:\s*true|Scope\.(?:REQUEST|TRANSIENT|INSTANCE)|scope\s*:\s*['"](?:request|instance|transient)['"]/i;

function isContainerSingleton(decorator: { name: string; call: ts.CallExpression | undefined }, file: ts.SourceFile): boolean {
  if (decorator.name !== 'Service') return false;
  const module = getFileFacts(file).imports.get('Service')?.module;
  return module !== undefined && CONTAINER_SERVICE_MODULES.has(module) && !(decorator.call && CONTAINER_PER_LOOKUP.test(decorator.call.getText()));
}

/** State declared in `sourceFile` that code on a request path writes, with the writes, grouped per declaration. */
export function statesWrittenOnRequestPath(graph: RequestGraph, sourceFile: ts.SourceFile): StateWithWrites[] {
  let byFile = stateCache.get(graph);
  if (!byFile) {
    byFile = collectStates(graph);
    stateCache.set(graph, byFile);
  }
  return byFile.get(sourceFile) ?? [];
}

function collectStates(graph: RequestGraph): Map<ts.SourceFile, StateWithWrites[]> {
  const singletons = singletonClasses(graph);
  const byNode = new Map<ts.Node, StateWithWrites>();
  for (const file of graph.files) {
    if (!graph.reachedFiles.has(file)) continue;
    for (const mutation of getFileFacts(file).mutations) {
      if (!mutation.function) continue;
      const reaches = graph.reachesOf(mutation.node);
      if (reaches.length === 0) continue;
      const state = resolveState(graph, mutation, singletons);
      if (!state || isLazyInitialisation(mutation, state)) continue;
      let entry = byNode.get(state.nameNode);
      if (!entry) {
        entry = { state, writes: [], classification: 'session' };
        byNode.set(state.nameNode, entry);
      }
      entry.writes.push({ mutation, reaches });
    }
  }
  const byFile = new Map<ts.SourceFile, StateWithWrites[]>();
  for (const entry of byNode.values()) {
    entry.classification = classify(entry, graph);
    // Reached only through a signal a request raises without data (`bus.emit('changed')`): its listeners
    // work on this process's own copy. A reload of shared data there is a cache the other instances
    // miss the signal for; a flag keeping two reloads apart, or what the reload tallies, is the process's own.
    if (entry.classification !== 'cache' && entry.writes.every((write) => write.reaches.every((reach) => reach.calls.some(isDatalessSignal)))) entry.classification = 'process';
    const file = entry.state.nameNode.getSourceFile();
    const list = byFile.get(file) ?? [];
    list.push(entry);
    byFile.set(file, list);
  }
  // Ids minted here and kept in state every instance should share (or already shares, through a
  // Redis adapter a fix made): two instances mint the same id.
  for (const entry of byNode.values()) {
    if (entry.classification !== 'process' || !isIdSequence(entry.state, entry.writes.map((write) => write.mutation))) continue;
    const others = [...byNode.values()].filter((other) => other !== entry && SHARED_CLASSES.has(other.classification));
    let store: string | undefined;
    for (const write of entry.writes) {
      const stores = storesOf(write.mutation.node);
      store ??= others.find((other) => other.writes.some((otherWrite) => stores(otherWrite.mutation.node)))?.state.name ?? adapterStoreOf(write.mutation.node, stores);
    }
    if (!store) continue;
    entry.classification = 'counter';
    entry.idsKeptIn = store;
  }
  return byFile;
}

/** Classes of state every instance should share (what the rules report and the fixes move). */
const SHARED_CLASSES = new Set<StateClass>(['session', 'cache', 'counter']);

/** The Redis adapters' factories (what a fix put in place of a Map or an array): state every instance shares. */
const ADAPTER_FACTORY = /^create(List|SessionStore|Cache|CounterMap)$/;

/**
 * Whether a write stores the id an increment mints: the record it is a field of
 * (`recent.push({ id: nextId++, … })`), or the local the id or the record is put in
 * (`const todo = { id: nextId++ }; todos.push(todo)`), in the same function after it.
 */
function storesOf(increment: ts.Node): (write: ts.Node) => boolean {
  let value: ts.Node = increment;
  while (value.parent && (ts.isParenthesizedExpression(value.parent) || ts.isPropertyAssignment(value.parent) || ts.isObjectLiteralExpression(value.parent) || ts.isTemplateSpan(value.parent) || ts.isTemplateExpression(value.parent))) value = value.parent;
  const declaration = value.parent;
  const local = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer === value && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  const scope = enclosingFunction(increment);
  return (write) => {
    if (value !== increment && within(value, write)) return true;
    return local !== undefined && scope !== undefined && enclosingFunction(write) === scope && write.getStart() > declaration.getEnd() && mentions(write, local);
  };
}

/** `recent.push(…)` where `const recent = createList('recent')`: the adapter's name, when the call stores the minted id. */
function adapterStoreOf(increment: ts.Node, stores: (write: ts.Node) => boolean): string | undefined {
  const scope = enclosingFunction(increment);
  if (!scope) return undefined;
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && stores(node)) {
      const receiver = node.expression.expression;
      let initializer: ts.Expression | undefined;
      let name: string | undefined;
      if (ts.isIdentifier(receiver)) {
        const topLevel = getFileFacts(receiver.getSourceFile()).topLevel.get(receiver.text);
        initializer = localInitializer(receiver) ?? (topLevel && ts.isVariableDeclaration(topLevel) && !isShadowed(receiver, receiver.text) ? topLevel.initializer : undefined);
        name = receiver.text;
      } else if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === SyntaxKind.ThisKeyword) {
        // `this.products.set(…)` where the class has `private products = createSessionStore(…)`.
        initializer = initializerOfThisField(receiver);
        name = receiver.name.text;
      }
      const factory = initializer && ts.isCallExpression(skipOuterExpressions(initializer)) ? (skipOuterExpressions(initializer) as ts.CallExpression).expression : undefined;
      if (factory && ts.isIdentifier(factory) && ADAPTER_FACTORY.test(factory.text)) found = name;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/** What the class around `this.x` gives `x`: its field's initializer, or the constructor's `this.x = …`. */
function initializerOfThisField(access: ts.PropertyAccessExpression): ts.Expression | undefined {
  const owner = ts.findAncestor(access, ts.isClassLike);
  if (!owner) return undefined;
  for (const member of owner.members) {
    if (ts.isPropertyDeclaration(member) && member.name.getText() === access.name.text && member.initializer) return member.initializer;
    if (ts.isConstructorDeclaration(member) && member.body) {
      for (const statement of member.body.statements) {
        const expression = ts.isExpressionStatement(statement) ? statement.expression : undefined;
        if (expression && ts.isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(expression.left) && expression.left.expression.kind === SyntaxKind.ThisKeyword && expression.left.name.text === access.name.text) return expression.right;
      }
    }
  }
  return undefined;
}

function mentions(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node);
  return ts.forEachChild(node, (child) => mentions(child, name) || undefined) ?? false;
}

/**
 * One state, one rule: the one a reader would name. Use decides first (increments, guard-then-release,
 * fill-once, keyed by a fresh session id); names only break ties when the writes say nothing more.
 * What looks like a user's data but is taken out again by the flow that added it, when its work
 * ends, or is kept only by a package's listeners about work it runs here (a tracer's start times
 * per model call), is this process's account of its running work.
 */
function classify(entry: StateWithWrites, graph: RequestGraph): StateClass {
  // Room objects kept by id whose methods send to connections (`roomList.get(id).broadCast(…)`): fan-out, however the Map is filled.
  if (roomsKeptIn(entry.state, graph)) return 'realtime';
  const use = classifyByUse(entry, graph);
  // Kept through the service's own setter, which a request hands the getter's value for the same key plus one: a count per key.
  if (use === 'session' && countsThroughSetter(entry.writes)) return 'counter';
  // The app object (`req.app.config = loadConfig()`) holds a user's data only when a request's own data goes there.
  if (use === 'session' && entry.state.on === 'app' && !entry.writes.some((write) => carriesPassedData(write.mutation))) return 'process';
  // The numbers of a module's own pool of worker processes or threads count that pool.
  if (use === 'counter' && isWorkerPoolState(entry.state)) return 'process';
  return use === 'session' && (holdsRunningWork(entry.writes, graph, entry.state.holds) || isWrittenByPackageListeners(entry.writes, graph)) ? 'process' : use;
}

function classifyByUse({ state, writes }: StateWithWrites, graph: RequestGraph): StateClass {
  const mutations = writes.map((write) => write.mutation);
  // Requests only drop entries (`unload(board)` deletes it, `handlers = handlers.filter(…)`); what fills it runs elsewhere: nothing requests write.
  if (mutations.every(dropsEntry)) return 'process';
  // A private field each call sets before the methods it calls read it (`this.title = title; this.send()`): scratch of that call.
  if (state.kind === 'singleton-field' && isPerCallScratchField(state.nameNode, state.name)) return 'process';
  // Added to by requests and read by nothing the program runs (request timings summed up by a function no one calls): this process's own record.
  if (isReadByNoRunningCode(state, mutationsOfState(state), graph)) return 'process';
  // What a class has queued in its own work queue (`this.queuedIds.add(id); return this.installQueue.add(fn)`): the queue's bookkeeping.
  if (state.kind === 'singleton-field' && state.holds !== 'value' && recordsQueuedWork(state.nameNode, mutationsOfState(state))) return 'process';
  // What an identity provider publishes, kept in one variable (`cachedConfig = await discovery(issuerUrl, clientId)`, reset to null when it
  // fails, fetched again when the settings it was made with change): the provider's, the same on every instance, as a keyed one is.
  if (state.holds === 'value' && holdsIdentityProviderHandle(mutations)) return 'resource';
  // The server transports of clients' protocol sessions (MCP's), kept under the id the client sends back: sessions, not a cache or clients.
  if (holdsSessionTransports(state.nameNode.parent, state.holds, mutations)) return 'session';
  // Loaded on first use (`if (!this.settings) this.settings = await db.load()`) and dropped by a request: the next read here reloads, the other instances keep their copy.
  if (isDroppedLazyLoad(state, mutations)) return 'cache';
  // The last result of a load, answered with only while the load is skipped (`if (db.highLoad()) return lastFetch`): this process's fallback.
  if (isLastResultFallback(state, mutationsOfState(state))) return 'process';
  // The registry of this process's metric instruments, made on first use by name: each instance exposes its own.
  if (holdsMetricInstruments(state, mutations)) return 'process';
  // A failure streak or re-entry flag written only where this process pings its own connection: how that connection answers here.
  if (isHealthProbeState(mutationsOfState(state))) return 'process';
  // A reconnect attempt count or re-entry flag written only where the class (re)connects its own client: that connection's upkeep here.
  if (isConnectionUpkeepState(mutationsOfState(state))) return 'process';
  if (isModuleConnectionUpkeepState(state, mutationsOfState(state))) return 'process';
  // Requests add to it, something reads it out and empties it (a batch sent on, counts published): pending work, unless a limit
  // reads it or a route answers with it (a day's count closed at midnight, a chart of requests per interval).
  if (isDrainedBuffer(state) && !isComparedToLimit(state) && !isTallyReadBack(state, graph)) return 'process';
  // Read only to log a failure once and its recovery once (`if (errors == 0) { errors++; console.log(…) }`): this process's log.
  if (state.holds === 'value' && isLogOnceLatch(state, mutations)) return 'process';
  // Read only as the status the process exits with (`process.exit(exitCode)`): this process's own.
  if (state.holds === 'value' && isExitStatus(state)) return 'process';
  if (mutations.some((mutation) => mutation.isIncrement) && mutations.every((mutation) => mutation.isIncrement || isCounterReset(mutation))) {
    // ++replyId; const replyId = … : a sequence that names things, not a tally. tasks++ … tasks--,
    // if (tasks === 0): this process's own work still running, not a tally either; nor is a number
    // of calls in flight here that only a metrics gauge or a log line reads, nor a cache's hits and misses.
    if (state.holds === 'value' && isRunningWorkCap(state, mutationsOfState(state))) return 'process';
    // Nor is the number of jobs started in this round of the process's own work queue, which paces it.
    // Nor is a round-robin cursor over a list (`workers[next]`, `if (++next === workers.length) next = 0`): which one serves next here.
    if (isRoundRobinCursor(state, mutations)) return 'process';
    // Nor is a tick that decides when this process sweeps its own memory (`if (++sinceSweep == 10) { …delete…; sinceSweep = 0 }`).
    if (state.holds === 'value' && isSweepTick(state, mutationsOfState(state))) return 'process';
    return isIdSequence(state, mutations) || isIdleCount(state, mutations) || isInFlightGauge(state, mutations) || isCacheStatistic(mutations) || pacesWorkQueue(state, mutationsOfState(state), isCounterReset) ? 'process' : 'counter';
  }
  // Entries that each hold an open write stream (`chunks[uuid].writeStream = fs.createWriteStream(path)`) beside a count of the parts
  // written: an upload in progress, the client's session, whatever limit that count is checked against.
  if (state.holds !== 'value' && holdsWriteStreamPerEntry(mutations)) return 'session';
  // Entries whose number is counted where they are filled (`const a = tries[name]; a.count++`): a record of counts per key.
  if (state.holds !== 'value' && countsThroughEntries(mutations)) return 'counter';
  // Abort controllers of this process's running work, kept by an id (or the one run's in a field) to cancel it with: a guard on them keeps no data.
  if (holdsAbortControllers(mutations)) return 'resource';
  // Turned on by one admin action and off by another, guarding nothing: a setting every instance should see.
  if (isToggledSetting(writes)) return 'cache';
  // This process's open connections kept by device or user, an older one closed when its owner reconnects: realtime state, whatever the test before the set.
  if (state.holds !== 'value' && keepsConnectionsByKey(mutations)) return 'realtime';
  const lockUse = lockUseOf(state.holds, mutations);
  // Raised for good by a request and read elsewhere (an admin's maintenance switch): a setting every instance should see.
  if (lockUse === 'flag' && LOCK_NAME.test(state.name) && isOneWaySwitch(mutations)) return 'cache';
  if (lockUse === 'flag' && LOCK_NAME.test(state.name)) return 'lock';
  // The time of this process's last refresh of its own copies: its own schedule, no one's data.
  if (lockUse === 'refresh') return 'process';
  if (lockUse) return lockUse;
  if (isRunningStatus(writes)) return 'lock';
  // Keys already logged or reported for diagnosis (`if (reported.includes(id)) return; … logger.warn(…); reported.push(id)`): this process's log, de-duplicated.
  if (state.holds !== 'value' && isLoggedOnceRecord(state, mutations)) return 'process';
  // Locks made per key on first use (`if (!m.has(id)) m.set(id, new Mutex())`): this process's locks, not a cache of them.
  if (state.holds !== 'value' && isLockRegistry(mutations)) return 'lock';
  // The line of work waiting for a busy slot (`if (current) { waiting.push(job); return }`): the slot's lock finding covers it.
  if (state.holds !== 'value' && isLockWaitList(mutations)) return 'process';
  // The handle of a timer this process runs (`timer = setInterval(flush, ms)`, `= null` when cleared): no one's data.
  if (state.holds === 'value' && holdsTimerHandle(mutations)) return 'resource';
  if ((RESOURCE_NAME.test(state.name) && !isInMemoryDatabase(state)) || (state.holds === 'value' && writes.every((write) => RESOURCE_VALUE.test(assignedValue(write.mutation)?.getText() ?? '')))) return 'resource';
  // Timers, cron tasks, listeners and promise resolvers kept per key: this process's own pending work.
  if (state.holds !== 'value' && holdsProcessHandles(mutations)) return 'resource';
  // A list of hooks this process runs (`handlers.push({ key, callback })`), unless code sends to its entries (subscribers).
  if (state.holds !== 'value' && appendsProcessHandles(mutations) && !REALTIME_NAME.test(state.name) && fanOutLoopsOf(state).length === 0) return 'resource';
  // Promises of work this process runs, only waited on together (`await Promise.all(pending)`): pending work, not a user's data.
  if (state.holds !== 'value' && isAwaitedPromiseList(state, mutations)) return 'resource';
  // Rate limiters kept per route or tenant (`limiters.set(id, rateLimit({…}))`): middlewares, whose counts live in their store.
  if (state.holds !== 'value' && holdsRateLimiters(mutations)) return 'resource';
  // A limiter kept in a field (`this.bucket = new TokenBucket({…})`, or a method of the class that builds one): its finding is where it is built.
  if (state.holds === 'value' && holdsLimiterHandle(mutations)) return 'resource';
  // Written only under the connection's own id (`users[socket.id]`): the connection's state, not a user's.
  // Entries that collect connections (`room_users[room].add(client.username)`): who is connected here.
  if (isKeyedByConnection(mutations) || holdsConnectionsInEntries(mutations) || (state.holds !== 'value' && listsConnections(mutations)) || sendsToRoomsOfConnections(state)) return 'realtime';
  // Queues and workers of a job-queue library kept per key (`queues.set(region, new Queue(region))`): handles to queues in
  // Redis, no one's data; built from settings a request saved, this process's copy of those settings.
  if (state.holds !== 'value' && holdsJobQueueHandles(mutations)) return isClientBuiltFromSettings(state, writes) ? 'cache' : 'resource';
  // Clients, drivers and pools made per tenant or configuration on first use (`drivers.set(config, await loadDriver(config))`): handles, not data.
  if (state.holds !== 'value' && holdsClients(mutations)) return 'resource';
  // A client rebuilt from settings a request passes (`auditService = new Provider(audit.options)`): every user's, stale where it was not rebuilt.
  if (isClientBuiltFromSettings(state, writes)) return 'cache';
  // What an identity provider publishes, kept per issuer (a discovered issuer, its client, JWKS-backed JWT middleware): the provider's, the same everywhere.
  if (state.holds !== 'value' && holdsIdentityProviderHandles(mutations)) return 'resource';
  // Set by a request and saved, itself, as a setting (`config.setConfigItem('use_local_db', usingLocalDb)`): each instance's copy of that setting.
  // An object or list replaced whole (`vfs = data`, then `setConfig({ vfs })`) is such a copy too.
  if (isReplacedWhole(state, mutations) && mutations.some((mutation) => isSavedAsSetting(state.name, mutation))) return 'cache';
  // Loaded from a file or store, and replaced by what a request saves there: this process's copy of a stored document.
  if (state.holds === 'value' && (mirrorsStoredDocument(mutations, mutationsOfState(state)) || mirrorsStoredDocumentThroughSetter(writes))) return 'cache';
  // Loaded from a file and changed in place by requests, each saving the whole state back: this process's copy of a settings file.
  if (isWrittenThroughCopy(state.name, writes, mutationsOfState(state))) return 'cache';
  if (isKeyedByFreshId(mutations) || isPerUserRequestWrite(mutations)) return 'session';
  // The process's own work: a file watcher's bookkeeping, a queue of jobs taken one at a time and its index, a stack popped by
  // the call that pushed, what only debug routes write.
  if (state.kind === 'singleton-field' && isFileWatcherField(state.nameNode)) return 'process';
  if (state.holds !== 'value' && (isWorkQueue(state) || indexesWorkQueue(state, mutations) || isBalancedStack(mutations))) return 'process';
  if (isWrittenOnlyByDebugRoutes(writes)) return 'process';
  if (isCacheUse(mutations)) return 'cache';
  // A copy loaded at start-up and replaced whole by a request (`config = req.body.config`): data every user shares, not a user's.
  if (isLoadedCopyReplacedByRequest(state.nameNode, mutations)) return 'cache';
  if (CACHE_NAME.test(state.name)) return 'cache';
  // Read back and compared with a limit before the work (`if (used.count + n > limit) throw`): a counter, whatever it holds.
  if (isComparedToLimit(state)) return 'counter';
  // Entries dropped by a timer in the function that stores them: an expiry, so a cache, whatever it is called.
  if (hasTimedExpiry(mutations)) return 'cache';
  if (LOCK_NAME.test(state.name)) return 'lock';
  // A list of connected clients (responses, sockets, stream controllers) that code sends to: no-in-memory-pubsub.
  // A name alone does not make one: records of what requests sent (`streams[id] = { position, playing }`) are the users' data.
  // Nor does it when every entry is the identity a client presents again on each connection (`loggedClients.add(socket.handshake.auth.clientId)`).
  if ((REALTIME_NAME.test(state.name) && !storesRequestRecords(mutations) && !keysByHandshakeIdentity(mutations)) || fanOutLoopsOf(state).length > 0) return 'realtime';
  // Records loaded from the database or another service (here, by the caller, or written through to
  // storage) and kept (a board, a document, a pad, a setting): a cache of shared data.
  if (writes.some((write) => (state.holds !== 'value' || isAsyncResult(write.mutation)) && (storesLoadedData(write.mutation, write.reaches, undefined) || holdsReferenceData(write.mutation)))) return 'cache';
  // Read only where metrics are observed: this process's own gauges, which the backend adds up.
  if (isReadOnlyByMetrics(state, mutations)) return 'process';
  // `refreshForTests = refreshUsage()`: the promise of work this process started, which no user's data is.
  if (holdsPendingWork(state, mutations)) return 'process';
  // `lastReport = entry; logger.warn('reported', entry)`: this process's copy of its last log entry.
  if (state.holds === 'value' && keepsLastLogged(state, mutations)) return 'process';
  // Per-user state is what requests bring: a handler writes it, or the write stores data passed in.
  if (!writes.some((write) => isWrittenByHandler(write) || (carriesPassedData(write.mutation) && !startsWithoutArguments(write)))) return 'process';
  // Unless something outside requests fills it with the rows a store load returned (all domains, read as the holder is made):
  // then what the routes that save a row add is more of those rows, this process's copy of them.
  return state.holds !== 'value' && isPreloadedCopyOfRecords(state.name, writes, mutationsOfState(state)) ? 'cache' : 'session';
}

/** A single value, or a binding every request-path write replaces whole (`vfs = data`). */
export function isReplacedWhole(state: SharedState, mutations: readonly Mutation[]): boolean {
  return state.holds === 'value' || (mutations.length > 0 && mutations.every((mutation) => mutation.isReassignment));
}

/**
 * A single binding every write replaces with a client or service object constructed from what the
 * caller passed (`auditService = new Service(config.options)`, `mailer = new MailClient(settings)`),
 * or a map of them by name (`providers.set(name, new OidcProvider(app, config))`): the process's copy
 * of a configuration, rebuilt only where the settings were saved.
 */
export function isClientBuiltFromSettings(state: SharedState, writes: readonly StateWrite[]): boolean {
  // `ssoProviders` holds one `ssoProvider` per key.
  const entryName = state.holds === 'value' ? state.name : state.name.replace(/s$/, '');
  const built = (value: ts.Expression | undefined): boolean => {
    if (!value || !ts.isNewExpression(value) || (value.arguments?.length ?? 0) === 0) return false;
    return CLIENT_NAME.test(entryName) || CLIENT_NAME.test(value.expression.getText());
  };
  const fills = state.holds === 'value' ? writes : writes.filter((write) => storedValue(write.mutation) !== undefined);
  const isBuilt = (write: StateWrite): boolean => {
    if (state.holds === 'value') return built(assignedValue(write.mutation));
    const stored = storedValue(write.mutation)!;
    return built(constructedValue(stored)) || isJobQueueHandle(stored);
  };
  // Clients made per session or per user (`clients.set(randomUUID(), new ApiClient(token))`) hold what each user brought.
  if (state.holds !== 'value' && (isKeyedByFreshId(writes.map((write) => write.mutation)) || isPerUserRequestWrite(writes.map((write) => write.mutation)))) return false;
  return fills.length > 0 && fills.every(isBuilt) && fills.some((write) => carriesPassedData(write.mutation) && write.reaches.some(passesSettings));
}

/** `new Provider(…)`, written in place or held by a local (`const provider = new Provider(…); m.set(k, provider)`). */
function constructedValue(value: ts.Expression): ts.Expression | undefined {
  const expression = skipOuterExpressions(value);
  const settled = ts.isIdentifier(expression) ? localInitializer(expression) : expression;
  return settled && skipOuterExpressions(settled);
}

/** The call into the writing function passes what a request sent or what was loaded (`initAudit(req.body)`, `const config = await getConfig(); initAudit(config.audit)`). */
function passesSettings(reach: Reach): boolean {
  const call = reach.calls[reach.calls.length - 1];
  if (!call || !ts.isCallExpression(call)) return false;
  return call.arguments.some((argument) => {
    let value = skipOuterExpressions(argument);
    while (ts.isPropertyAccessExpression(value) && ts.isIdentifier(value.expression)) value = value.expression;
    // `req.body.providers.map((provider) => init(provider.config))`: an element of what the request sent.
    const source = ts.isIdentifier(value) ? (localInitializer(value) ?? elementSource(value)) : value;
    if (!source) return false;
    const settled = skipOuterExpressions(source);
    return isRequestData(settled) || ts.isAwaitExpression(settled);
  });
}

/** The collection a callback's parameter is an element of (`providers.map((provider) => …)`), through the local that holds it. */
function elementSource(parameter: ts.Identifier): ts.Expression | undefined {
  const fn = ts.findAncestor(parameter, (node): node is ts.SignatureDeclaration => ts.isFunctionLike(node) && node.parameters.some((declared) => ts.isIdentifier(declared.name) && declared.name.text === parameter.text));
  const receiver = fn && iteratedReceiver(fn);
  if (!receiver) return undefined;
  const collection = skipOuterExpressions(receiver);
  return ts.isIdentifier(collection) ? localInitializer(collection) : collection;
}

/**
 * A single binding that holds the promise of work this process started: declared `Promise<…>`, or
 * every value assigned to it is one (`new Promise(…)`, a `.then`/`.catch`/`.finally` chain,
 * `Promise.all(…)`).
 */
function holdsPendingWork(state: SharedState, mutations: readonly Mutation[]): boolean {
  if (state.holds !== 'value') return false;
  const declaration = state.nameNode.parent;
  const declared = (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.type ? declaration.type.getText() : undefined;
  if (declared !== undefined) return /^Promise\s*</.test(declared);
  const assigned = mutations.map(assignedValue);
  return assigned.length > 0 && assigned.every((value) => value !== undefined && isPromiseExpression(value));
}

function isPromiseExpression(value: ts.Expression): boolean {
  if (ts.isNewExpression(value)) return ts.isIdentifier(value.expression) && value.expression.text === 'Promise';
  if (!ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression)) return false;
  const callee = value.expression;
  return ['then', 'catch', 'finally'].includes(callee.name.text) || (ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise');
}

/** Something is stored, and every value stored (outer parentheses and casts skipped) passes `test`. */
function everyFillStores(mutations: readonly Mutation[], test: (stored: ts.Expression, mutation: Mutation) => boolean): boolean {
  const fills = mutations.filter((mutation) => !isRemoval(mutation) && !mutation.isReassignment);
  return (
    fills.length > 0 &&
    fills.every((mutation) => {
      const value = storedValue(mutation);
      return value !== undefined && test(skipOuterExpressions(value), mutation);
    })
  );
}

/**
 * Every entry stored is a record of fields a request's body sent, directly or through locals
 * (`streams[id] = { position: req.body.position, playing }`), and constants: what users are doing,
 * not a connection or a stream the process writes to, whatever the map is called.
 */
function storesRequestRecords(mutations: readonly Mutation[]): boolean {
  return everyFillStores(mutations, (stored) => {
    if (!ts.isObjectLiteralExpression(stored)) return false;
    const fields = stored.properties.map(fieldValue);
    return fields.some((value) => value !== undefined && isRequestData(value)) && fields.every((value) => value !== undefined && (isRequestData(value) || isConstant(value)));
  });
}

/** What a record's field holds, through the local it names (`{ position }` after `const position = req.body.position`). */
function fieldValue(property: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  const written = ts.isShorthandPropertyAssignment(property) ? property.name : ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : undefined;
  const value = written && ts.isIdentifier(written) ? localInitializer(written) : written;
  return value && skipOuterExpressions(value);
}

function isConstant(value: ts.Expression): boolean {
  return ts.isStringLiteralLike(value) || ts.isNumericLiteral(value) || [ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(value.kind);
}

/**
 * Every entry added or set is keyed by what the client presents in its socket.io handshake
 * (`socket.handshake.auth.clientId`, `.query.token`), directly or through a helper that reads it
 * (`const clientIdOf = (socket) => socket.handshake.auth.clientId`): an identity the client brings back
 * on every connection, to any instance, so a login kept under it is a session, not a connection.
 */
function keysByHandshakeIdentity(mutations: readonly Mutation[]): boolean {
  const fills = mutations.filter((mutation) => !isRemoval(mutation) && !mutation.isReassignment);
  return (
    fills.length > 0 &&
    fills.every((mutation) => {
      const key = keyNode(mutation);
      return key !== undefined && readsHandshakeIdentity(skipOuterExpressions(key));
    })
  );
}

const HANDSHAKE_IDENTITY = /\.handshake\.(?:auth|query)\.\w+/;

function readsHandshakeIdentity(key: ts.Expression): boolean {
  if (HANDSHAKE_IDENTITY.test(key.getText())) return true;
  if (ts.isIdentifier(key)) return valuesOfLocal(key).some((value) => readsHandshakeIdentity(skipOuterExpressions(value)));
  // `getClientId(socket)`: a helper of the same file whose body reads it.
  if (!ts.isCallExpression(key) || !ts.isIdentifier(key.expression)) return false;
  const helper = getFileFacts(key.getSourceFile()).topLevel.get(key.expression.text);
  const body = helper && ts.isFunctionDeclaration(helper) ? helper.body : helper && ts.isVariableDeclaration(helper) && helper.initializer && ts.isArrowFunction(skipOuterExpressions(helper.initializer)) ? (skipOuterExpressions(helper.initializer) as ts.ArrowFunction).body : undefined;
  return body !== undefined && HANDSHAKE_IDENTITY.test(body.getText());
}

/** Every entry stored is a rate limiter a library builds (`limiters.set(id, rateLimit({…}))`, directly or through a local). */
function holdsRateLimiters(mutations: readonly Mutation[]): boolean {
  return everyFillStores(mutations, (settled, mutation) => isRateLimiterCreation(ts.isIdentifier(settled) ? (localInitializer(settled) ?? settled) : settled, getFileFacts(mutation.node.getSourceFile())));
}

/** What makes a client of another system: `new S3Client(…)`, `createPool(…)`, `await loadStorageDriver(config)`. */
const CLIENT_FACTORY = /(client|driver|connection|pool|transport|transporter|agent|sdk)$/i;

/**
 * Every entry stored is a client, driver or pool the code makes for a key (`pools[tenant] = new
 * Pool(…)`, `let driver = drivers.get(config); if (!driver) { driver = await loadStorageDriver(config);
 * drivers.set(config, driver) }`): handles this process opens to shared systems, not their data.
 */
function holdsClients(mutations: readonly Mutation[]): boolean {
  const makesClient = (expression: ts.Expression): boolean => {
    let value = skipOuterExpressions(expression);
    if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
    if (!ts.isNewExpression(value) && !ts.isCallExpression(value)) return false;
    const callee = skipOuterExpressions(value.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    // One built from what a request sent (`new Transport(req.body.smtp)`) or from a record loaded for it
    // (`new StoreClient(tenant.key)` after `const tenant = await loadTenant(id)`) holds those settings: a copy.
    if (value.arguments?.some((argument) => isRequestData(skipOuterExpressions(argument)) || mentionsAwaitedLocal(argument))) return false;
    return CLIENT_FACTORY.test(name) || RESOURCE_VALUE.test(`${name}(`);
  };
  return everyFillStores(mutations, (settled, mutation) => {
    // A local given the client where it is declared or behind a miss check; what the map gave back does not count.
    const owner = ownerText(mutation);
    const made = ts.isIdentifier(settled) ? valuesOfLocal(settled).filter((local) => owner === undefined || !local.getText().replace(/\s+/g, '').startsWith(owner)) : [settled];
    return made.length > 0 && made.every(makesClient);
  });
}

/** Every entry stored is what an identity provider publishes, or made from it, also through a local given it behind a miss check. */
function holdsIdentityProviderHandles(mutations: readonly Mutation[]): boolean {
  return everyFillStores(mutations, (settled, mutation) => {
    const owner = ownerText(mutation);
    const made = ts.isIdentifier(settled) ? valuesOfLocal(settled).filter((local) => owner === undefined || !local.getText().replace(/\s+/g, '').startsWith(owner)) : [settled];
    return made.length > 0 && made.every((value) => isIdentityProviderHandle(value));
  });
}

/** Every value a single variable is given is an identity provider's (`x = await discovery(…)`), or nothing (`x = null`). */
function holdsIdentityProviderHandle(mutations: readonly Mutation[]): boolean {
  const stores = mutations.filter((mutation) => mutation.isReassignment && !isReset(mutation));
  return (
    stores.length > 0 &&
    stores.length === mutations.filter((mutation) => !isReset(mutation)).length &&
    stores.every((mutation) => {
      const value = assignedValue(mutation);
      return value !== undefined && isIdentityProviderHandle(value);
    })
  );
}

/** `tenant.keyPath` where `const tenant = await loadTenant(id)`: an expression reading a local that an awaited call gave. */
function mentionsAwaitedLocal(expression: ts.Node): boolean {
  if (ts.isIdentifier(expression)) {
    const initializer = localInitializer(expression);
    return initializer !== undefined && ts.isAwaitExpression(skipOuterExpressions(initializer));
  }
  return ts.forEachChild(expression, (child) => mentionsAwaitedLocal(child) || undefined) ?? false;
}

/**
 * A single value replaced by what an asynchronous load settled with (`info = await load()`, a part
 * of it: `const data = await loadAll(); settings = data.server`, a `.then` callback's write): a copy
 * of shared data. A value computed synchronously (a class looked up, a module required) is the
 * process's own.
 */
function isAsyncResult(mutation: Mutation): boolean {
  const value = assignedValue(mutation);
  if (!value) return false;
  let root = value;
  while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  const settled = ts.isIdentifier(root) ? localInitializer(root) : value;
  if (settled && ts.isAwaitExpression(skipOuterExpressions(settled))) return true;
  // const rows = await db.all(); const index = new Fuse(rows, …) or lunr(function () { for (const r of rows) this.add(r) }): a structure built from what the load settled with.
  if (settled && ts.isIdentifier(root) && isBuiltFromSettledLocal(settled)) return true;
  for (let current: ts.Node | undefined = mutation.node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) {
      const call = current.parent;
      return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'then';
    }
  }
  return false;
}

/** A call or `new` whose arguments (a builder callback's body too) name a local that an `await` initialised. */
function isBuiltFromSettledLocal(initializer: ts.Expression): boolean {
  const built = skipOuterExpressions(initializer);
  if (!ts.isCallExpression(built) && !ts.isNewExpression(built)) return false;
  const namesSettled = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const initial = (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === node ? undefined : localInitializer(node);
      return initial !== undefined && ts.isAwaitExpression(skipOuterExpressions(initial)) && isSharedData(initial, undefined, 0, true);
    }
    return ts.forEachChild(node, (child) => namesSettled(child) || undefined) ?? false;
  };
  return (built.arguments ?? []).some(namesSettled);
}

/**
 * A fill whose entry a `setTimeout` in the same function deletes again (`m.set(k, p); setTimeout(() => m.delete(k), ttl)`).
 * A timer the same function clears before it arms it again (`clearTimeout(pending[k].timer); pending[k].timer = setTimeout(…)`)
 * is a debounce: the entry lives as long as writes keep coming, then its callback hands it on.
 */
function hasTimedExpiry(mutations: readonly Mutation[]): boolean {
  const expiries = mutations.filter((mutation) => inTimerCallback(mutation.node) && (ts.isDeleteExpression(mutation.node) || (ts.isCallExpression(mutation.node) && ts.isPropertyAccessExpression(mutation.node.expression) && mutation.node.expression.name.text === 'delete')));
  return expiries.some((expiry) => mutations.some((fill) => fill !== expiry && fill.function !== undefined && !inTimerCallback(fill.node) && expiry.node.pos >= fill.function.pos && expiry.node.end <= fill.function.end && ownerText(fill) === ownerText(expiry) && !clearsTimerOf(fill.function, ownerText(fill))));
}

/** `clearTimeout(searches[uid].timer)` in the function: a timer kept in the state's own entries, cleared before it is armed again. */
function clearsTimerOf(fn: ts.Node, owner: string | undefined): boolean {
  if (owner === undefined) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const cleared = ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'clearTimeout' && node.arguments.length === 1 ? node.arguments[0].getText().replace(/\s+/g, '') : undefined;
    if (cleared !== undefined && cleared.startsWith(owner) && /^[.[]/.test(cleared.slice(owner.length))) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** Written in the body of a handler itself (`app.post('/login', () => { cfg.authenticated = true })`), not in code it calls. */
function isWrittenByHandler(write: StateWrite): boolean {
  return write.reaches.some((reach) => reach.calls.length === 0);
}

/**
 * Every chain from a handler to the write starts with a call that passes nothing (`scanner.run()`),
 * from outside the handler's own closures: what the write stores came from the process, not the request.
 */
function startsWithoutArguments(write: StateWrite): boolean {
  const fn = write.mutation.function;
  return write.reaches.every((reach) => {
    const first = reach.calls[0];
    const handler = reach.entry.handler;
    const nested = fn !== undefined && fn.getSourceFile() === handler.getSourceFile() && fn.pos >= handler.pos && fn.end <= handler.end;
    return first !== undefined && ts.isCallExpression(first) && first.arguments.length === 0 && !nested;
  });
}

/**
 * Whether the key, value or argument a write stores comes from what the function was given: a
 * parameter of the function (or of one around it), or a local computed from one. A scan that
 * keeps its own client, a sync job that loads a public table, a singleton's start-up fields store
 * what the process made itself: no user's data, nothing per user. The elements a callback is handed
 * (`hooks.callAll('x').forEach((name) => known.add(name))`) are passed only when the collection is.
 */
function carriesPassedData(mutation: Mutation): boolean {
  const node = mutation.node;
  const payload: ts.Node[] = [];
  if (ts.isCallExpression(node)) payload.push(...node.arguments);
  else if (ts.isBinaryExpression(node)) payload.push(node.right);
  const target = ts.isBinaryExpression(node) ? node.left : ts.isDeleteExpression(node) ? node.expression : ts.isCallExpression(node) ? node.expression : undefined;
  for (let current = target && skipOuterExpressions(target); current && (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)); ) {
    if (ts.isElementAccessExpression(current)) payload.push(current.argumentExpression);
    if (ts.isCallExpression(current)) payload.push(...current.arguments);
    current = skipOuterExpressions(current.expression);
  }
  const passed = passedNames(node);
  return payload.some((part) => mentionsAny(part, passed));
}

/** Parameters of the functions around a node, and locals of those functions computed from them (two steps deep). */
function passedNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const locals: ts.VariableDeclaration[] = [];
  // `xs.forEach((x) => …)`: the callback's parameters are elements of its receiver, passed data only when the receiver is.
  const elementCallbacks: { receiver: ts.Expression; parameters: readonly ts.ParameterDeclaration[] }[] = [];
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const receiver = iteratedReceiver(current);
    if (receiver) elementCallbacks.push({ receiver, parameters: current.parameters });
    else for (const parameter of current.parameters) collectBindingNames(parameter.name, names);
    const body = (current as ts.FunctionLikeDeclaration).body;
    if (body) {
      const visit = (child: ts.Node): void => {
        if (ts.isVariableDeclaration(child) && child.initializer) locals.push(child);
        if (!ts.isFunctionLike(child)) ts.forEachChild(child, visit);
      };
      ts.forEachChild(body, visit);
    }
  }
  for (let round = 0; round < 2 + elementCallbacks.length; round++) {
    for (const local of locals) if (mentionsAny(local.initializer!, names)) collectBindingNames(local.name, names);
    for (const callback of elementCallbacks) {
      if (mentionsAny(callback.receiver, names)) for (const parameter of callback.parameters) collectBindingNames(parameter.name, names);
    }
  }
  return names;
}

const ELEMENT_CALLBACK_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex']);

/** `hooks.callAll('x').forEach((element) => …)`: the collection a callback is handed the elements of. */
function iteratedReceiver(fn: ts.SignatureDeclaration): ts.Expression | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  return ELEMENT_CALLBACK_METHODS.has(call.expression.name.text) ? call.expression.expression : undefined;
}

export function collectBindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectBindingNames(element.name, into);
}

export function mentionsAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(child) && names.has(child.text) && !(ts.isPropertyAccessExpression(child.parent) && child.parent.name === child)) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** `n = 0`, `hits[k] = 0`, `m.set(k, 0)`, `m.delete(k)`, `m.clear()`: resetting a counter keeps it a counter. */
function isCounterReset(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isBinaryExpression(node)) return node.operatorToken.kind === SyntaxKind.EqualsToken && ts.isNumericLiteral(skipOuterExpressions(node.right));
  if (ts.isDeleteExpression(node)) return true;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const method = node.expression.name.text;
  if (method === 'delete' || method === 'clear') return true;
  return method === 'set' && node.arguments.length === 2 && ts.isNumericLiteral(skipOuterExpressions(node.arguments[1]));
}

/**
 * `const worker = workers[next]; if (++next === workers.length) next = 0;`: a cursor that picks the element of a list
 * that serves next (mediasoup's servers spread rooms over their workers so) and goes back to 0 at the list's length.
 * It counts no one's requests: every reset is guarded by a comparison of the cursor with a `.length`, and the cursor
 * indexes a list in its file.
 */
function isRoundRobinCursor(state: SharedState, mutations: readonly Mutation[]): boolean {
  if (state.holds !== 'value' || !ts.isIdentifier(state.nameNode)) return false;
  const name = state.name;
  const isCursor = (node: ts.Expression): boolean => {
    const value = skipOuterExpressions(node);
    if (ts.isIdentifier(value)) return value.text === name;
    return (ts.isPrefixUnaryExpression(value) || ts.isPostfixUnaryExpression(value)) && ts.isIdentifier(value.operand) && value.operand.text === name;
  };
  const isLength = (node: ts.Expression): boolean => {
    const value = skipOuterExpressions(node);
    return ts.isPropertyAccessExpression(value) && value.name.text === 'length';
  };
  const resets = mutations.filter((mutation) => !mutation.isIncrement);
  if (resets.length === 0) return false;
  const guardedByLength = resets.every((reset) => {
    if (!isCounterReset(reset)) return false;
    const guard = ts.findAncestor(reset.node, ts.isIfStatement);
    const condition = guard && skipOuterExpressions(guard.expression);
    if (!condition || !ts.isBinaryExpression(condition) || !within(reset.node, guard.thenStatement)) return false;
    const operator = condition.operatorToken.kind;
    if (![SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.GreaterThanEqualsToken, SyntaxKind.GreaterThanToken].includes(operator)) return false;
    return isCursor(condition.left) && isLength(condition.right);
  });
  if (!guardedByLength) return false;
  let indexes = false;
  const visit = (node: ts.Node): void => {
    if (indexes) return;
    if (ts.isElementAccessExpression(node) && ts.isIdentifier(skipOuterExpressions(node.argumentExpression)) && (skipOuterExpressions(node.argumentExpression) as ts.Identifier).text === name) indexes = true;
    ts.forEachChild(node, visit);
  };
  visit(state.nameNode.getSourceFile());
  return indexes;
}

function assignedValue(mutation: Mutation): ts.Expression | undefined {
  return ts.isBinaryExpression(mutation.node) && mutation.node.operatorToken.kind === SyntaxKind.EqualsToken ? skipOuterExpressions(mutation.node.right) : undefined;
}

/** Classes with one instance per process: NestJS providers/controllers, `new X()` at module scope or only at start-up, `static instance` singletons. */
export function singletonClasses(graph: RequestGraph): Set<ts.ClassLikeDeclaration> {
  // An untyped graph takes in files as its resolver enters them: a set is good for the files it saw.
  const cached = singletonsOf.get(graph);
  if (cached?.files === graph.files.length) return cached.classes;
  const result = new Set<ts.ClassLikeDeclaration>();
  for (const file of graphFilesWhere(graph, singletonCandidates, hasSingletonCandidates)) {
    const { classes, created, lazy, started } = singletonCandidates(file);
    // A provider a factory makes afresh per call, and nothing injects, is one object per call.
    for (const declaration of classes) if (!isMadePerCall(graph, declaration)) result.add(declaration);
    // A test's `session = new UserSession()` in a hook makes one per test: only serving files' module variables hold one per process.
    // `module.exports = class Index { … }` created once by the module that requires it is a singleton as a declared class is.
    // A script's or a test's `new Server(…);` statement makes one for that run: only serving files' count.
    for (const callee of graph.isIgnoredFile(file) ? created : [...created, ...lazy, ...started]) for (const declaration of graph.resolver.declarationsOf(callee)) for (const created of classesOf(declaration)) result.add(created);
  }
  // What `main()` builds as it starts and hands to the handlers (a store, a socket manager) exists once per process too.
  for (const declaration of startUpMadeClasses(graph)) result.add(declaration);
  // What a singleton's constructor creates for its fields (`this.auth = new Auth()`) exists once too.
  for (let added = [...result]; added.length > 0; ) {
    const next: ts.ClassLikeDeclaration[] = [];
    for (const owner of added) {
      for (const callee of createdByConstructor(owner)) {
        for (const declaration of graph.resolver.declarationsOf(callee)) {
          if (ts.isClassDeclaration(declaration) && !result.has(declaration)) {
            result.add(declaration);
            next.push(declaration);
          }
        }
      }
    }
    added = next;
  }
  for (const base of singletonBases(graph, result)) result.add(base);
  singletonsOf.set(graph, { files: graph.files.length, classes: result });
  return result;
}

function extendedClassOf(declaration: ts.ClassLikeDeclaration): ts.ExpressionWithTypeArguments | undefined {
  return declaration.heritageClauses?.find((clause) => clause.token === SyntaxKind.ExtendsKeyword)?.types[0];
}

function declaresSubclass(file: ts.SourceFile): boolean {
  return getFileFacts(file).classes.some((declaration) => extendedClassOf(declaration) !== undefined);
}

/**
 * `constructor() { this.sessions = new SessionManager() }` and `private sessions = new SessionManager()`: the
 * classes each instance creates for its fields, in its constructor's own statements or its instance fields'
 * initializers (which run as the constructor starts).
 */
function createdByConstructor(declaration: ts.ClassLikeDeclaration): ts.Expression[] {
  const assigned = declaration.members.filter(ts.isConstructorDeclaration).flatMap((constructor) => constructorAssignments(constructor).flatMap(({ value }) => (ts.isNewExpression(value) ? [value.expression] : [])));
  const initialized = declaration.members.flatMap((member) => {
    const value = ts.isPropertyDeclaration(member) && member.initializer && !isStaticMember(member) ? skipOuterExpressions(member.initializer) : undefined;
    return value && ts.isNewExpression(value) ? [value.expression] : [];
  });
  return [...assigned, ...initialized];
}

/**
 * Base classes no code creates by themselves (`abstract`, or a constructor only subclasses may
 * call) whose every subclass is a singleton: their fields live once per process, in the singletons.
 */
function singletonBases(graph: RequestGraph, singletons: ReadonlySet<ts.ClassLikeDeclaration>): ts.ClassDeclaration[] {
  const subclasses = new Map<ts.ClassDeclaration, ts.ClassDeclaration[]>();
  for (const file of graphFilesWhere(graph, extendedClassOf, declaresSubclass)) {
    for (const declaration of getFileFacts(file).classes) {
      const extended = extendedClassOf(declaration);
      if (!extended) continue;
      for (const base of graph.resolver.declarationsOf(extended.expression)) {
        if (!ts.isClassDeclaration(base)) continue;
        // Pushed, not copied: a base of every model (a project's own `Model`) has hundreds of subclasses.
        const derived = subclasses.get(base);
        if (derived) derived.push(declaration);
        else subclasses.set(base, [declaration]);
      }
    }
  }
  const bases: ts.ClassDeclaration[] = [];
  for (const [base, derived] of subclasses) {
    if (!singletons.has(base) && isOnlyExtended(base) && derived.every((declaration) => singletons.has(declaration))) bases.push(base);
  }
  return bases;
}

/** `abstract class`, or one whose constructors are all `protected` or `private`: never created by itself. */
function isOnlyExtended(declaration: ts.ClassDeclaration): boolean {
  if (ts.getModifiers(declaration)?.some((modifier) => modifier.kind === SyntaxKind.AbstractKeyword)) return true;
  const constructors = declaration.members.filter(ts.isConstructorDeclaration);
  return constructors.length > 0 && constructors.every((constructor) => ts.getModifiers(constructor)?.some((modifier) => modifier.kind === SyntaxKind.ProtectedKeyword || modifier.kind === SyntaxKind.PrivateKeyword));
}

/** A JavaScript constructor function (`function Store() { this.items = [] }`, `var Store = function () {…}`) whose methods are put on its prototype. */
type ConstructorFunction = ts.FunctionDeclaration | ts.FunctionExpression;

/**
 * Constructor functions created once, at module scope (`app.games = new Games()`, `module.exports =
 * new Store()`): what their constructor puts on `this` lives once per process, as a singleton class's fields do.
 */
function singletonConstructors(graph: RequestGraph): Set<ConstructorFunction> {
  const cached = constructorsOf.get(graph);
  if (cached?.files === graph.files.length) return cached.constructors;
  const result = new Set<ConstructorFunction>();
  for (const file of graphFilesWhere(graph, singletonCandidates, hasSingletonCandidates)) {
    for (const callee of singletonCandidates(file).created) {
      for (const declaration of graph.resolver.declarationsOf(callee)) {
        const constructor = constructorFunctionOf(declaration);
        if (constructor) result.add(constructor);
      }
    }
  }
  constructorsOf.set(graph, { files: graph.files.length, constructors: result });
  return result;
}

const constructorsOf = new WeakMap<RequestGraph, { files: number; constructors: Set<ConstructorFunction> }>();

/** Whether a constructor function is made once at module scope: its fields are the process's state, reported as such. */
export function isSingletonConstructor(graph: RequestGraph, constructor: ts.FunctionDeclaration | ts.FunctionExpression): boolean {
  return singletonConstructors(graph).has(constructor);
}

/** The function a declaration makes instances with: a function declaration, or a variable given a function expression, that assigns to `this`. */
function constructorFunctionOf(declaration: ts.Node): ConstructorFunction | undefined {
  const value = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : declaration;
  if (!(ts.isFunctionDeclaration(value) || ts.isFunctionExpression(value)) || !value.body) return undefined;
  return value.body.statements.some((statement) => thisAssignmentOf(statement) !== undefined) ? value : undefined;
}

/** `this.name = value;` as a statement of a constructor function's body. */
function thisAssignmentOf(statement: ts.Statement): { name: ts.Identifier | ts.PrivateIdentifier; value: ts.Expression } | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
  const left = statement.expression.left;
  return ts.isPropertyAccessExpression(left) && left.expression.kind === SyntaxKind.ThisKeyword ? { name: left.name, value: statement.expression.right } : undefined;
}

/**
 * `this.games.push(game)` in `Lobby.prototype.add = function (game) {…}` (or in a method of
 * `Lobby.prototype = {…}`) where `function Lobby() { this.games = [] }` is created once at module
 * scope: the field its constructor set is the state.
 */
function constructorFunctionState(graph: RequestGraph, node: ts.Node, member: string): SharedState | undefined {
  const constructor = prototypeOwner(node);
  if (!constructor || !singletonConstructors(graph).has(constructor)) return undefined;
  for (const statement of constructor.body?.statements ?? []) {
    const assignment = thisAssignmentOf(statement);
    if (assignment?.name.text === member) return stateOfField({ node: assignment.name, initializer: assignment.value, readonly: false }, member, 'singleton-field');
  }
  return undefined;
}

/** The constructor function whose prototype the (non-arrow) function around `node` is a method of, declared in the same file. */
function prototypeOwner(node: ts.Node): ConstructorFunction | undefined {
  const declaration = prototypeOwnerDeclaration(node);
  return declaration && constructorFunctionOf(declaration);
}

const singletonsOf = new WeakMap<RequestGraph, { files: number; classes: Set<ts.ClassLikeDeclaration> }>();
const candidatesOf = new WeakMap<ts.SourceFile, SingletonCandidates>();

interface SingletonCandidates {
  readonly classes: readonly ts.ClassDeclaration[];
  readonly created: readonly ts.Expression[];
  readonly lazy: readonly ts.Expression[];
  /** `new WsServer(server, conf);` as a statement of the module scope: kept alive by what its constructor registers. */
  readonly started: readonly ts.Expression[];
}

function hasSingletonCandidates(file: ts.SourceFile): boolean {
  const { classes, created, lazy, started } = singletonCandidates(file);
  return classes.length > 0 || created.length > 0 || lazy.length > 0 || started.length > 0;
}

/** What a file says by syntax alone about singletons (kept as long as the file is): provider and `instance` classes, and what module scope creates with `new`. */
function singletonCandidates(file: ts.SourceFile): SingletonCandidates {
  const known = candidatesOf.get(file);
  if (known) return known;
  const candidates = { classes: [] as ts.ClassDeclaration[], created: [] as ts.Expression[], lazy: [] as ts.Expression[], started: [] as ts.Expression[] };
  for (const declaration of getFileFacts(file).classes) {
    const decorators = decoratorsOf(declaration);
    const provider = decorators.find((d) => SINGLETON_DECORATORS.has(d.name));
    if (provider && !(provider.call && REQUEST_SCOPES.test(provider.call.getText()))) candidates.classes.push(declaration);
    else if (decorators.some((decorator) => isContainerSingleton(decorator, file))) candidates.classes.push(declaration);
    // `static instance` / `static getInstance()`: a field named `instance` of each object (`this.instance.name = …` in a
    // class made once per connected account) says nothing about how many objects there are.
    else if (declaration.members.some((member) => isStaticMember(member) && (/^_?(instance|INSTANCE)$/.test(propertyNameText(member.name) ?? '') || (propertyNameText(member.name) === 'getInstance' && !keepsInstancePerKey(member, declaration))))) candidates.classes.push(declaration);
  }
  for (const statement of moduleScopeStatements(file)) {
    const creations: ts.Expression[] = [];
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (d.initializer) creations.push(d.initializer);
    if (ts.isExportAssignment(statement)) creations.push(statement.expression);
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) creations.push(statement.expression.right);
    // `new PairDropWsServer(server, conf);`: made for what its constructor sets up (a server's listeners), kept by them.
    if (ts.isExpressionStatement(statement) && ts.isNewExpression(skipOuterExpressions(statement.expression))) {
      candidates.started.push((skipOuterExpressions(statement.expression) as ts.NewExpression).expression);
    }
    for (const creation of creations) {
      const value = skipOuterExpressions(creation);
      if (ts.isNewExpression(value)) candidates.created.push(value.expression);
      // A service container: `export const services = { auth: new AuthService(db), hives: new HiveService(db) }`.
      else if (ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          const member = ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : undefined;
          if (member && ts.isNewExpression(member)) candidates.created.push(member.expression);
        }
      }
    }
  }
  candidates.lazy.push(...lazyModuleInstances(file));
  candidatesOf.set(file, candidates);
  return candidates;
}

/**
 * The statements the module scope runs: its own, and those of the blocks of its `if`s
 * (`if (!conf.signalingServer) { new WsServer(server, conf) }`: a deployment's choice, made once).
 */
function moduleScopeStatements(file: ts.SourceFile): ts.Statement[] {
  const result: ts.Statement[] = [];
  const add = (statement: ts.Statement | undefined, depth: number): void => {
    if (!statement) return;
    if (ts.isBlock(statement)) {
      for (const inner of statement.statements) add(inner, depth);
      return;
    }
    if (ts.isIfStatement(statement)) {
      if (depth >= 3) return;
      add(statement.thenStatement, depth + 1);
      add(statement.elseStatement, depth + 1);
      return;
    }
    result.push(statement);
  };
  for (const statement of file.statements) add(statement, 0);
  return result;
}

/**
 * `let instance = null; … init() { instance = new IOServer(options) }`: a module variable declared
 * empty that the file only ever sets to a new instance of one class (or back to empty) holds the
 * process's one instance of it, made on first use or by a start-up `init`.
 */
function lazyModuleInstances(file: ts.SourceFile): ts.Expression[] {
  const empty = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.Const) !== 0) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && (!declaration.initializer || isEmptyValue(declaration.initializer))) empty.add(declaration.name.text);
    }
  }
  if (empty.size === 0) return [];
  const created = new Map<string, ts.Expression[]>();
  const spoiled = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && empty.has(node.left.text)) {
      const value = skipOuterExpressions(node.right);
      if (ts.isNewExpression(value) && !inCallback(node)) created.set(node.left.text, [...(created.get(node.left.text) ?? []), value.expression]);
      else if (ts.isNewExpression(value)) spoiled.add(node.left.text);
      else if (!isEmptyValue(value)) spoiled.add(node.left.text);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  const result: ts.Expression[] = [];
  for (const [name, callees] of created) {
    if (spoiled.has(name) || new Set(callees.map((callee) => callee.getText())).size !== 1) continue;
    result.push(callees[0]);
  }
  return result;
}

/** Inside a function handed to a call (`beforeEach(() => …)`, `app.post(path, (req) => …)`), which may run many times. */
function inCallback(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) continue;
    let outer: ts.Node = current;
    while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    if ((ts.isCallExpression(outer.parent) || ts.isNewExpression(outer.parent)) && outer.parent.arguments?.includes(outer as ts.Expression)) return true;
  }
  return false;
}

function isEmptyValue(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  return value.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined');
}

/**
 * `static getInstance(chatId) { if (!X.instances.has(chatId)) X.instances.set(chatId, new X(…)) }`:
 * one instance per key (a chat, a tenant), made and dropped as they come, so its fields are that
 * key's, not the process's.
 */
function keepsInstancePerKey(member: ts.ClassElement, declaration: ts.ClassDeclaration): boolean {
  const className = declaration.name?.text;
  if (!className || !ts.isMethodDeclaration(member) || !member.body || member.parameters.length === 0) return false;
  let keyed = false;
  const createsInstance = (expression: ts.Expression | undefined): boolean => {
    const value = expression && skipOuterExpressions(expression);
    return value !== undefined && ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === className;
  };
  const visit = (node: ts.Node): void => {
    if (keyed) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set' && node.arguments.length === 2 && createsInstance(node.arguments[1])) keyed = true;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && ts.isElementAccessExpression(skipOuterExpressions(node.left)) && createsInstance(node.right)) keyed = true;
    else ts.forEachChild(node, visit);
  };
  visit(member.body);
  return keyed;
}

/** The process state a write changes, as a request-path write is resolved (a lazy first fill is none). */
export function resolveWrittenState(graph: RequestGraph, mutation: Mutation): SharedState | undefined {
  const state = resolveState(graph, mutation, singletonClasses(graph));
  return state && !isLazyInitialisation(mutation, state) ? state : undefined;
}

function resolveState(graph: RequestGraph, mutation: Mutation, singletons: ReadonlySet<ts.ClassLikeDeclaration>): SharedState | undefined {
  const state = resolveStateOf(graph, mutation, singletons);
  // A field holding a client or store (`this.sessions = createSessionStore(…)`) changes only when reassigned, as a `const` does.
  if (state && state.kind !== 'module' && state.holds === 'value' && !mutation.isReassignment) return undefined;
  return state;
}

function resolveStateOf(graph: RequestGraph, mutation: Mutation, singletons: ReadonlySet<ts.ClassLikeDeclaration>): SharedState | undefined {
  const root = mutation.root;
  if (root.kind === 'this') {
    // `this.db = db` in the constructor sets up the instance: once per instance (at load for a
    // singleton, per call for an object made per request), never a request's write to shared state.
    if (mutation.function && ts.isConstructorDeclaration(mutation.function)) return undefined;
    const owner = enclosingClass(mutation.node.parent ?? mutation.node);
    if (!owner) return constructorFunctionState(graph, mutation.node, root.member) ?? exportedObjectThisState(graph, mutation, root.member);
    const field = findField(owner.declaration, root.member, owner.isStatic);
    if (!field) return undefined;
    if (owner.isStatic) return stateOfField(field, root.member, 'static');
    if (!singletons.has(owner.declaration)) return undefined;
    // `this.catalog.items.push(…)`: a field given no value of its own (an injected service), or set from the constructor's
    // parameter (`this.monitor = monitor`), holds another singleton, whose field is written.
    const injected = field.initializer === undefined || isConstructorParameter(field.initializer);
    const through = injected && ts.isPropertyAccessExpression(root.memberNode.parent) ? fieldOfSingletonThrough(graph, mutation, root.memberNode.parent, singletons) : undefined;
    return through ?? stateOfField(field, root.member, 'singleton-field');
  }
  const identifier = root.identifier;
  // `req.app.locals.carts.set(…)`, `app.locals.visits++`: Express's one object per process.
  const locals = appLocalsWrite(mutation, initializerFiles(graph)) ?? appMemberWrite(mutation, (fn, index) => handsRequestApp(graph, fn, index));
  if (locals) return appLocalsState(graph, locals, mutation);
  if (mutation.isReassignment && isOwnRequireBinding(identifier)) return ownRequireBindingState(identifier);
  // A name its file does not bind reaches a global namespace (`WIKI.config.title = …`): the namespace
  // object is the app's registry of services, not state; data put on it is (`globalNamespaceState`).
  const throughGlobal = isUnboundName(identifier);
  let declaration = throughGlobal ? undefined : moduleDeclarationOf(graph, identifier);
  let member = root.member;
  const parent = identifier.parent;
  if (!declaration && member !== undefined && ts.isPropertyAccessExpression(parent) && parent.expression === identifier) {
    // store.sessions.set(…) with `const store = require('./store')` or `import * as store`: the module's export is the state.
    declaration = throughGlobal ? undefined : moduleDeclarationOf(graph, parent);
    member = undefined;
    // module.exports = { sessions: {}, stats: { … } }: each property of the exported object is module state.
    const property = declaration ? undefined : exportedObjectProperty(graph, parent);
    if (property) {
      const holds = holdsOf(property.initializer);
      if (holds === undefined || holds === 'value') return undefined;
      return { nameNode: property.name, name: parent.name.text, kind: 'module', holds };
    }
  }
  if (!declaration && root.member !== undefined && ts.isPropertyAccessExpression(parent) && parent.expression === identifier && !graph.resolver.declarationsOf(identifier).some((found) => !ts.isParameter(found))) {
    // fastify.sessions.set(…) where a plugin did fastify.decorate('sessions', new Map()): the decoration is the state.
    const decoration = fastifyDecoration(graph, root.member);
    if (decoration) {
      const holds = holdsOf(decoration.arguments[1]);
      if (holds === undefined || holds === 'value') return undefined;
      return { nameNode: decoration.arguments[0], name: root.member, kind: 'module', holds };
    }
  }
  // `const settings = getSettings(); settings.items.push(…)`: a field of the one instance, reached from outside its class.
  const throughInstance = (of?: ts.ClassLikeDeclaration) => (root.member !== undefined && !throughGlobal ? fieldOfSingletonThrough(graph, mutation, identifier, singletons, of) : undefined);
  if (!declaration) return (throughGlobal ? globalNamespaceState(graph, mutation, identifier) : undefined) ?? closureState(graph, mutation, identifier) ?? throughInstance();
  if (isCommonJsExportTarget(declaration)) {
    // exports.cache = {} / module.exports.cache = {}: written elsewhere through the module.
    const holds = holdsOf((declaration.parent as ts.BinaryExpression).right);
    if (holds === undefined || (holds === 'value' && !mutation.isReassignment)) return undefined;
    const nameNode = ts.isPropertyAccessExpression(declaration) ? declaration.name : declaration.argumentExpression;
    return { nameNode, name: ts.isPropertyAccessExpression(declaration) ? declaration.name.text : identifier.text, kind: 'module', holds };
  }
  if (ts.isClassDeclaration(declaration)) {
    if (member === undefined) return undefined;
    const field = findField(declaration, member, true);
    return field ? stateOfField(field, member, 'static') : undefined;
  }
  const initializer = declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (initializer && ts.isNewExpression(initializer)) {
    // const store = new SessionStore(): its fields are the state.
    const classes = graph.resolver.declarationsOf(initializer.expression).filter(ts.isClassDeclaration);
    if (classes.length > 0) {
      if (member === undefined) return undefined;
      const field = findField(classes[0], member, false);
      // `store.main = …` through a setter: the field behind it.
      return field ? stateOfField(field, member, 'singleton-field') : throughInstance(classes[0]);
    }
  }
  // `const self = { onHold: new Set() }; self.zipEmitters = new Map()` at module scope: the collection hung on the object is the state, where it is hung.
  const hung = member !== undefined && ts.isVariableDeclaration(declaration) ? hungModuleMemberState(declaration, member) : undefined;
  if (hung) return hung;
  const holds = holdsOf(initializer);
  const isConst = (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
  if (holds === undefined) return throughInstance();
  // `let settings: Settings | undefined`, made on first use by `getSettings()`: its fields are the state.
  if (holds === 'value' && (isConst || !mutation.isReassignment)) {
    if (mutation.isReassignment) return undefined;
    // `let systemConfig = null`, loaded from storage and changed in place by a route that saves it whole: the document is the state,
    // not the fields of the class it is an instance of.
    if (!isConst && ts.isIdentifier(declaration.name)) {
      const moduleState: SharedState = { nameNode: declaration.name, name: declaration.name.text, kind: 'module', holds: 'object' };
      if (isFieldOfWrittenThroughCopy(moduleState.name, mutation, mutationsOfState(moduleState))) return moduleState;
    }
    return throughInstance();
  }
  if (holds !== 'value' && isConst && mutation.isReassignment) return undefined;
  // The declared name: an import may rename it (`import { sessions as s }`).
  return { nameNode: declaration.name, name: ts.isIdentifier(declaration.name) ? declaration.name.text : identifier.text, kind: 'module', holds };
}

/**
 * The files whose module scope gives `locals` or `context` a member, for `appLocalsInitializer`, which
 * keeps what it gathers per list: typed, the list carried along the lineage (the same list while no
 * such file changed, so its initializers are not gathered again on a keystroke); untyped, the
 * graph's files, a list that lasts as long as the graph.
 */
function initializerFiles(graph: RequestGraph): readonly ts.SourceFile[] {
  return graph.resolver.program ? graphFilesWhere(graph, hasModuleScopeInitializers, hasModuleScopeInitializers) : graph.files;
}

/**
 * `settings.items.push(…)` where `settings` is the one instance of a singleton class (what
 * `getSettings()` made on first use, an injected service), from outside the class: the field the
 * member is, or, for an accessor, the field behind it (`set main(v) { this.data.main = v }`,
 * `get main() { return this.data.main }`). `holder` is the expression whose member is written.
 */
function fieldOfSingletonThrough(graph: RequestGraph, mutation: Mutation, holder: ts.Expression, singletons: ReadonlySet<ts.ClassLikeDeclaration>, of?: ts.ClassLikeDeclaration): SharedState | undefined {
  const access = holder.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== holder) return undefined;
  // Assigned itself (`settings.main = …`): through a setter; written inside (`settings.main.locale = …`): through a getter.
  const assigned = ts.isBinaryExpression(mutation.node) && skipOuterExpressions(mutation.node.left) === access;
  // An untyped graph takes in files as its resolver enters them (the holder's module may be new): asked again then.
  const isSingleton = (owner: ts.ClassLikeDeclaration): boolean => singletons.has(owner) || singletonClasses(graph).has(owner);
  // The class is known when the holder's value was read as `new X()`; else the resolver names the member.
  const members = of ? of.members.filter((member) => propertyNameText(member.name) === access.name.text) : graph.resolver.declarationsOf(access);
  for (const declaration of members) {
    const owner = declaration.parent;
    if (!ts.isClassLike(owner) || !isSingleton(owner) || (ts.canHaveModifiers(declaration) && ts.getModifiers(declaration)?.some((m) => m.kind === SyntaxKind.StaticKeyword))) continue;
    const name = ts.isPropertyDeclaration(declaration) ? propertyNameText(declaration.name) : fieldBehindAccessor(declaration, assigned);
    const field = name === undefined ? undefined : findField(owner, name, false);
    const state = field && name !== undefined ? stateOfField(field, name, 'singleton-field') : undefined;
    if (state) return state;
  }
  // Untyped, a field the class declares only by setting it in its constructor (`this.instances = {}`) is no member the
  // resolver names: the class of what the holder holds (`const monitor = new MonitorService()` handed to the constructor).
  if (members.length === 0 && !of && !graph.resolver.checker) {
    for (const owner of madeClassesOf(graph, holder)) {
      if (!isSingleton(owner)) continue;
      const field = findField(owner, access.name.text, false);
      const state = field ? stateOfField(field, access.name.text, 'singleton-field') : undefined;
      if (state) return state;
    }
  }
  return undefined;
}

/** The classes of the objects an expression holds, where each was made at its declaration (`const monitor = new MonitorService()`). */
function madeClassesOf(graph: RequestGraph, holder: ts.Expression): ts.ClassLikeDeclaration[] {
  const result: ts.ClassLikeDeclaration[] = [];
  for (const declaration of graph.resolver.declarationsOf(holder)) {
    const initializer = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
    if (!initializer || !ts.isNewExpression(initializer)) continue;
    for (const made of graph.resolver.declarationsOf(initializer.expression)) if (ts.isClassLike(made) && !result.includes(made)) result.push(made);
  }
  return result;
}

/** `monitor` in `constructor(monitor) { this.monitor = monitor }`: the constructor's own parameter, by name. */
function isConstructorParameter(value: ts.Expression): boolean {
  const settled = skipOuterExpressions(value);
  if (!ts.isIdentifier(settled)) return false;
  for (let current: ts.Node | undefined = settled.parent; current; current = current.parent) {
    if (ts.isConstructorDeclaration(current)) return current.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === settled.text);
    if (isFunctionNode(current) || ts.isClassLike(current)) return false;
  }
  return false;
}

/** The field a setter writes (`this.data.main = v` → `data`) or a getter hands out (`return this.data.main` → `data`). */
function fieldBehindAccessor(declaration: ts.Node, assigned: boolean): string | undefined {
  if (assigned ? !ts.isSetAccessorDeclaration(declaration) : !ts.isGetAccessorDeclaration(declaration)) return undefined;
  const body = (declaration as ts.AccessorDeclaration).body;
  if (!body) return undefined;
  if (assigned) {
    const write = getFileFacts(declaration.getSourceFile()).mutations.find((candidate) => candidate.function === declaration && candidate.root.kind === 'this');
    return write?.root.kind === 'this' ? write.root.member : undefined;
  }
  const returned = body.statements.length === 1 && ts.isReturnStatement(body.statements[0]) ? body.statements[0].expression : undefined;
  const root = returned && mutationRoot(returned);
  return root?.kind === 'this' ? root.member : undefined;
}

/** A name neither its scopes, its module nor its imports bind (`exports` and `module` are CommonJS's own). */
function isUnboundName(identifier: ts.Identifier): boolean {
  const name = identifier.text;
  if (name === 'exports' || name === 'module' || isShadowed(identifier, name)) return false;
  const facts = getFileFacts(identifier.getSourceFile());
  return !facts.topLevel.has(name) && !facts.imports.has(name);
}

/**
 * `onlineUsers.set(…)` after `global.onlineUsers = new Map()`, `APP.stats.hits++` after
 * `APP.stats = { hits: 0 }`: a global namespace, or a member of one, that was given data is module
 * state that every module shares without an import.
 */
function globalNamespaceState(graph: RequestGraph, mutation: Mutation, identifier: ts.Identifier): SharedState | undefined {
  const parent = identifier.parent;
  const member = mutation.root.member !== undefined && ts.isPropertyAccessExpression(parent) && parent.expression === identifier ? parent : undefined;
  // Only the global's own assignment (`global.stats = …`), or one of its member (`APP.stats = …`, `global.APP.stats = …`).
  const assigns = (left: ts.PropertyAccessExpression, target: ts.Expression): boolean => {
    if (target === identifier) return globalPropertyName(left) === identifier.text;
    const owner = skipOuterExpressions(left.expression);
    return left.name.text === member?.name.text && ((ts.isIdentifier(owner) && owner.text === identifier.text) || globalPropertyName(owner) === identifier.text);
  };
  for (const target of member ? [identifier, member] : [identifier]) {
    for (const declaration of graph.resolver.declarationsOf(target)) {
      if (!ts.isBinaryExpression(declaration) || declaration.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
      const left = skipOuterExpressions(declaration.left);
      if (!ts.isPropertyAccessExpression(left) || !assigns(left, target)) continue;
      const holds = holdsOf(skipOuterExpressions(declaration.right));
      if (holds === undefined || (holds === 'value' && !mutation.isReassignment)) continue;
      return { nameNode: left.name, name: left.name.text, kind: 'module', holds };
    }
  }
  return undefined;
}

/**
 * A variable of a function that no request runs, written by a function inside it that requests do
 * run: `function rateLimit(n) { const hits = new Map(); return (req, res, next) => { hits.set(…) } }`
 * used as `app.use(rateLimit(10))`, a Fastify plugin's `const cache = new Map()` beside its routes,
 * `function attachSockets(io) { const users = {}; io.on('connection', …) }`. The outer function ran
 * once, at start-up, so every request shares the variable for the life of the process.
 */
function closureState(graph: RequestGraph, mutation: Mutation, identifier: ts.Identifier): SharedState | undefined {
  const declaration = localVariableOf(identifier);
  if (!declaration || !ts.isIdentifier(declaration.name) || !mutation.function) return undefined;
  const owner = enclosingFunction(declaration);
  // Made by the function that writes it, or by one a request runs: a request's own value.
  if (!owner || owner === mutation.function || graph.reachesOf(declaration).length > 0) return undefined;
  if (!ts.findAncestor(mutation.function.parent, (node) => node === owner)) return undefined;
  const initializer = declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  const holds = holdsOf(initializer);
  const isConst = (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
  if (holds === undefined) return undefined;
  if (holds === 'value' && (isConst || !mutation.isReassignment)) return undefined;
  if (holds !== 'value' && isConst && mutation.isReassignment) return undefined;
  return { nameNode: declaration.name, name: declaration.name.text, kind: 'closure', holds };
}

/**
 * `let config = require('./config-validator')` … `config = req.body.config`: reassigning the
 * importer's own binding changes that binding only; the exporting module's variable keeps its
 * value, so the write is not the exporter's state.
 */
function isOwnRequireBinding(identifier: ts.Identifier): boolean {
  if (localInitializer(identifier) !== undefined || isShadowed(identifier, identifier.text)) return false;
  const declaration = getFileFacts(identifier.getSourceFile()).topLevel.get(identifier.text);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const value = skipOuterExpressions(declaration.initializer);
  return ts.isCallExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'require';
}

/** The importer's own `let config = require('./config')`: replacing it changes this module's binding, which is the state. */
function ownRequireBindingState(identifier: ts.Identifier): SharedState | undefined {
  const declaration = getFileFacts(identifier.getSourceFile()).topLevel.get(identifier.text);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || (declaration.parent.flags & ts.NodeFlags.Const) !== 0) return undefined;
  return { nameNode: declaration.name, name: declaration.name.text, kind: 'module', holds: 'value' };
}

/**
 * The module-scope variable, class, or CommonJS export (`exports.x = …`) an expression refers to:
 * typed, in any file; untyped, in this file or, with a project index, in the module it is imported from.
 */
export function moduleDeclarationOf(graph: RequestGraph, expression: ts.Expression): ts.VariableDeclaration | ts.ClassDeclaration | ts.PropertyAccessExpression | ts.ElementAccessExpression | undefined {
  for (const declaration of graph.resolver.declarationsOf(expression)) {
    if (ts.isClassDeclaration(declaration)) return declaration;
    if (isCommonJsExportTarget(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && ts.isVariableDeclarationList(declaration.parent) && ts.isVariableStatement(declaration.parent.parent) && ts.isSourceFile(declaration.parent.parent.parent)) {
      return declaration;
    }
  }
  return undefined;
}

const localsNames = new WeakMap<RequestGraph, Map<string, ts.Node>>();

/**
 * A member of `app.locals` a request writes: named where start-up code first gives it a value
 * (`app.locals.carts = new Map()`, which says what it holds), else at the first write found, so every
 * write of the member is one state. A request replacing `locals` itself writes `app.locals`.
 */
function appLocalsState(graph: RequestGraph, locals: AppLocalsWrite, mutation: Mutation): SharedState | undefined {
  const key = `${locals.object}.${locals.member ?? ''}`;
  let names = localsNames.get(graph);
  if (!names) localsNames.set(graph, (names = new Map<string, ts.Node>()));
  const initial = locals.member === undefined || locals.object === 'app' ? undefined : appLocalsInitializer(initializerFiles(graph), locals.member, locals.object);
  const nameNode = initial ? (initial.left as ts.PropertyAccessExpression).name : names.get(key) ?? locals.memberNode;
  names.set(key, nameNode);
  if (locals.member === undefined) return { nameNode, name: `app.${locals.object}`, kind: 'module', holds: 'object', on: locals.object };
  if (locals.object === 'app') {
    const holds = appMemberHolds(mutation);
    return holds === undefined ? undefined : { nameNode, name: `app.${locals.member}`, kind: 'module', holds, on: 'app' };
  }
  const used = ts.isCallExpression(mutation.node) && ts.isPropertyAccessExpression(skipOuterExpressions(mutation.node.expression)) ? (skipOuterExpressions(mutation.node.expression) as ts.PropertyAccessExpression).name.text : undefined;
  const holds = initial ? holdsOf(initial.right) : used === undefined ? 'value' : used === 'push' || used === 'splice' || used === 'unshift' ? 'array' : used === 'add' ? 'set' : used === 'set' || used === 'delete' || used === 'clear' ? 'map' : 'object';
  return holds === undefined ? undefined : { nameNode, name: `app.${locals.object}.${locals.member}`, kind: 'module', holds, on: locals.object };
}

/** What an app member holds, read from a write: the value assigned whole, or the collection a method changes. */
function appMemberHolds(mutation: Mutation): SharedState['holds'] | undefined {
  if (ts.isBinaryExpression(mutation.node)) {
    const written = skipOuterExpressions(mutation.node.left);
    // req.app.featured = rows is the member replaced; req.app.featured[id] = row a change inside it.
    return ts.isElementAccessExpression(written) ? 'object' : 'value';
  }
  const callee = ts.isCallExpression(mutation.node) ? skipOuterExpressions(mutation.node.expression) : undefined;
  const used = callee && ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return used === 'push' || used === 'splice' || used === 'unshift' ? 'array' : used === 'add' ? 'set' : used === 'set' || used === 'delete' || used === 'clear' ? 'map' : 'object';
}

const appHandedParameters = new WeakMap<RequestGraph, Map<ts.SignatureDeclaration, Set<number>>>();

/** Per file, whether its text hands some `x.app` as an argument: asked for every file of every program an editor builds. */
const requestAppMentions = new WeakMap<ts.SourceFile, boolean>();

function mentionsRequestApp(file: ts.SourceFile): boolean {
  let mentions = requestAppMentions.get(file);
  if (mentions === undefined) requestAppMentions.set(file, (mentions = /\.app\s*[,)]/.test(file.text)));
  return mentions;
}

/** Whether a call of the graph's files hands a request's app (`rebuildIndex(req.app)`) to parameter `index` of `fn`. */
function handsRequestApp(graph: RequestGraph, fn: ts.SignatureDeclaration, index: number): boolean {
  let handed = appHandedParameters.get(graph);
  if (!handed) {
    handed = new Map();
    for (const file of graph.files) {
      if (!mentionsRequestApp(file)) continue;
      for (const { node } of getFileFacts(file).calls) {
        const at = node.arguments?.findIndex(isRequestApp) ?? -1;
        if (at < 0) continue;
        for (const target of graph.callTargets(node)) {
          const indices = handed.get(target) ?? new Set<number>();
          indices.add(at);
          handed.set(target, indices);
        }
      }
    }
    appHandedParameters.set(graph, handed);
  }
  return handed.get(fn)?.has(index) ?? false;
}

const decorations = new WeakMap<RequestGraph, Map<string, ts.CallExpression | undefined>>();

/**
 * `x.decorate('name', value)` (Fastify's way to share a value between plugins), the only one of
 * that name in the program's files: the process-wide value behind `fastify.name`.
 */
export function fastifyDecoration(graph: RequestGraph, name: string): (ts.CallExpression & { arguments: readonly [ts.StringLiteralLike, ts.Expression] }) | undefined {
  let byName = decorations.get(graph);
  if (!byName) {
    byName = new Map();
    for (const file of graph.files) {
      for (const node of decorateCalls(file)) {
        const key = node.arguments[0] as ts.StringLiteralLike;
        // Two decorations of one name (on different instances): which one a use reads is not known.
        byName.set(key.text, byName.has(key.text) ? undefined : node);
      }
    }
    decorations.set(graph, byName);
  }
  return byName.get(name) as (ts.CallExpression & { arguments: readonly [ts.StringLiteralLike, ts.Expression] }) | undefined;
}

const decorateCallsOf = new WeakMap<ts.SourceFile, ts.CallExpression[]>();

/** A file's `x.decorate('name', value)` calls (syntax only: kept as long as the file is). */
function decorateCalls(file: ts.SourceFile): ts.CallExpression[] {
  let calls = decorateCallsOf.get(file);
  if (calls) return calls;
  calls = [];
  if (file.text.includes('decorate')) {
    for (const { node } of getFileFacts(file).calls) {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'decorate' && node.arguments.length === 2 && ts.isStringLiteralLike(node.arguments[0])) calls.push(node);
    }
  }
  decorateCallsOf.set(file, calls);
  return calls;
}

/**
 * `this.exportStatus.status = 'running'` in a method of `module.exports = { exportStatus: {…}, async export() {…} }`:
 * `this` is the module object when the method is only ever called on it (`system.export()`), so the
 * property is module state, as `system.exportStatus` written from outside is. A method handed on
 * detached (`router.get('/', ctrl.list)`, `setTimeout(mod.load)`) runs with another `this`: quiet.
 */
function exportedObjectThisState(graph: RequestGraph, mutation: Mutation, member: string): SharedState | undefined {
  const method = objectMethodAround(mutation.node);
  if (!method || !isExportedObject(method.object)) return undefined;
  const property = method.object.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && propertyNameText(candidate.name) === member);
  if (!property) return undefined;
  const holds = holdsOf(property.initializer);
  if (holds === undefined || (holds === 'value' && !mutation.isReassignment)) return undefined;
  if (isEverDetached(graph, method.name)) return undefined;
  return { nameNode: property.name, name: member, kind: 'module', holds };
}

/** The object literal and method name of the (non-arrow) function `this` is written in: `export() {…}` or `export: function () {…}`. */
function objectMethodAround(node: ts.Node): { object: ts.ObjectLiteralExpression; name: string } | undefined {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !(ts.isFunctionLike(fn) && !ts.isArrowFunction(fn)) && !ts.isClassLike(fn)) fn = fn.parent;
  if (!fn || ts.isClassLike(fn)) return undefined;
  const named = ts.isMethodDeclaration(fn) ? fn : ts.isFunctionExpression(fn) && ts.isPropertyAssignment(fn.parent) && fn.parent.initializer === fn ? fn.parent : undefined;
  const name = named && propertyNameText(named.name);
  return named && name !== undefined && ts.isObjectLiteralExpression(named.parent) ? { object: named.parent, name } : undefined;
}

/** `module.exports = {…}`, `exports = {…}` or `export default {…}` at module scope. */
function isExportedObject(object: ts.ObjectLiteralExpression): boolean {
  let holder: ts.Node = object;
  while (ts.isParenthesizedExpression(holder.parent) || ts.isAsExpression(holder.parent) || ts.isSatisfiesExpression(holder.parent)) holder = holder.parent;
  const parent = holder.parent;
  if (ts.isExportAssignment(parent)) return ts.isSourceFile(parent.parent);
  return ts.isBinaryExpression(parent) && parent.right === holder && parent.operatorToken.kind === SyntaxKind.EqualsToken && /^(module\.)?exports$/.test(parent.left.getText()) && ts.isExpressionStatement(parent.parent) && ts.isSourceFile(parent.parent.parent);
}

/**
 * Whether a method of that name is taken off its object anywhere (`.export` not called on the spot:
 * handed as a callback, bound, stored), by text over the project's files: then `this` in it need not be
 * the module. Any file's use counts, whatever object it names, so a common name errs on the quiet side.
 */
function isEverDetached(graph: RequestGraph, name: string): boolean {
  const escaped = name.replace(/[$]/g, '\\$');
  const detached = new RegExp(`\\.\\s*${escaped}\\b(?!\\s*(?:\\(|=[^=>]))`);
  const files = graph.resolver.filesMatching(detached) ?? graph.files.filter((file) => detached.test(file.text));
  return files.length > 0;
}

/** `store.sessions` where `store` is a module whose `module.exports = { sessions: {} }` (or `export default { … }`): that property. */
function exportedObjectProperty(graph: RequestGraph, access: ts.PropertyAccessExpression): ts.PropertyAssignment | undefined {
  for (const declaration of graph.resolver.declarationsOf(access)) {
    if (!ts.isPropertyAssignment(declaration) || !ts.isObjectLiteralExpression(declaration.parent)) continue;
    const holder = skipOuterExpressions(declaration.parent).parent;
    const exported = ts.isExportAssignment(holder) || (ts.isBinaryExpression(holder) && holder.operatorToken.kind === SyntaxKind.EqualsToken && /^(module\.)?exports$/.test(holder.left.getText()));
    if (exported && ts.isSourceFile(holder.parent.parent ?? holder.parent)) return declaration;
  }
  return undefined;
}

/** What a declaration's initializer holds; undefined for things that are not data (clients, apps, functions, WeakMaps). */
/**
 * An entry given an open write stream: `uploads[id].stream = fs.createWriteStream(file)`, `uploads.set(id, { stream:
 * createWriteStream(file) })`, `uploads[id] = { out: jetpack.createWriteStream(file) }`. What the entry counts is that transfer's progress.
 */
function holdsWriteStreamPerEntry(mutations: readonly Mutation[]): boolean {
  const opensStream = (value: ts.Expression | undefined): boolean => {
    const inner = value && skipOuterExpressions(value);
    if (!inner) return false;
    if (ts.isCallExpression(inner)) {
      const callee = skipOuterExpressions(inner.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      return name === 'createWriteStream';
    }
    return ts.isObjectLiteralExpression(inner) && inner.properties.some((property) => ts.isPropertyAssignment(property) && opensStream(property.initializer));
  };
  return mutations.some((mutation) => {
    const node = mutation.node;
    if (mutation.isReassignment) return false;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      const entry = ts.isPropertyAccessExpression(left) ? skipOuterExpressions(left.expression) : left;
      return ts.isElementAccessExpression(entry) && opensStream(node.right);
    }
    return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set' && opensStream(node.arguments[1]);
  });
}

/**
 * A collection hung on a module object after its literal, among the module's top-level statements (`const self = { titleMaxLength: 70 }`,
 * then `self.zipEmitters = new Map()`; `moduleObjectMembers`): its own state, named and reported where it is hung, not the object's, whose
 * other members hold other things. A member the literal names, or one hung more than once, stays the object's.
 */
function hungModuleMemberState(declaration: ts.VariableDeclaration, member: string): SharedState | undefined {
  const literal = declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (!literal || !ts.isObjectLiteralExpression(literal) || literal.properties.some((property) => property.name !== undefined && propertyNameText(property.name) === member)) return undefined;
  const assignments = moduleObjectMembers(declaration, member);
  if (assignments.length !== 1) return undefined;
  const left = skipOuterExpressions(assignments[0].left);
  const holds = holdsOf(assignments[0].right);
  if (!ts.isPropertyAccessExpression(left) || holds === undefined || holds === 'value') return undefined;
  return { nameNode: left.name, name: member, kind: 'module', holds };
}

function holdsOf(initializer: ts.Expression | undefined): SharedState['holds'] | undefined {
  if (!initializer) return 'value';
  const value = chainedValue(globalSingletonValue(initializer));
  if (ts.isArrayLiteralExpression(value)) return 'array';
  if (ts.isObjectLiteralExpression(value)) return value.properties.some((p) => ts.isMethodDeclaration(p) || (ts.isPropertyAssignment(p) && (ts.isArrowFunction(p.initializer) || ts.isFunctionExpression(p.initializer)))) ? undefined : 'object';
  if (ts.isNewExpression(value)) {
    const name = ts.isIdentifier(value.expression) ? value.expression.text : undefined;
    if (name === 'Map') return 'map';
    if (name === 'Set') return 'set';
    if (name === 'Array') return 'array';
    if (name === 'Object') return 'object';
    return undefined;
  }
  if (ts.isCallExpression(value) && value.expression.getText() === 'Object.create') return 'object';
  if (ts.isLiteralExpression(value) || value.kind === SyntaxKind.NullKeyword || value.kind === SyntaxKind.TrueKeyword || value.kind === SyntaxKind.FalseKeyword || (ts.isIdentifier(value) && value.text === 'undefined') || ts.isPrefixUnaryExpression(value)) return 'value';
  return 'value';
}

/** `const staff = (module.exports.staff = [])`, `const games = exports.games = {}`: the value exported and kept under both names. */
function chainedValue(value: ts.Expression): ts.Expression {
  let current = value;
  while (ts.isBinaryExpression(current) && current.operatorToken.kind === SyntaxKind.EqualsToken) current = skipOuterExpressions(current.right);
  return current;
}

type FieldNode = ts.PropertyDeclaration | ts.Identifier | ts.PrivateIdentifier;

/** What a field starts as: its initializer, or what the constructor assigns it (`private bus: Subject<E>;` … `this.bus = new Subject()`). */
export function fieldInitializer(declaration: ts.PropertyDeclaration): ts.Expression | undefined {
  const name = propertyNameText(declaration.name);
  if (declaration.initializer || name === undefined || ts.getModifiers(declaration)?.some((m) => m.kind === SyntaxKind.StaticKeyword)) return declaration.initializer;
  return constructorAssignment(declaration.parent, name)?.right;
}

/** `this.<name> = …` written directly in the class's constructor. */
function constructorAssignment(declaration: ts.ClassLikeDeclaration, name: string): ts.BinaryExpression | undefined {
  const constructor = declaration.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined);
  for (const statement of constructor?.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const left = statement.expression.left;
    if (ts.isPropertyAccessExpression(left) && left.expression.kind === SyntaxKind.ThisKeyword && left.name.text === name) return statement.expression;
  }
  return undefined;
}

function findField(declaration: ts.ClassLikeDeclaration, name: string, isStatic: boolean): { node: FieldNode; initializer: ts.Expression | undefined; readonly: boolean } | undefined {
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || propertyNameText(member.name) !== name) continue;
    const memberStatic = ts.getModifiers(member)?.some((m) => m.kind === SyntaxKind.StaticKeyword) ?? false;
    if (memberStatic !== isStatic) continue;
    // `private locks: Map<K, Mutex>;` given its value by the constructor (`this.locks = new Map()`) holds what the constructor gives it.
    return { node: member, initializer: fieldInitializer(member), readonly: ts.getModifiers(member)?.some((m) => m.kind === SyntaxKind.ReadonlyKeyword) ?? false };
  }
  if (isStatic) return undefined;
  // A field the constructor's parameter declares (`constructor(@Inject(CONFIG) private settings: Config[])`):
  // what the injector hands it at start-up, which a request may replace (`this.settings = await db.findMany()`).
  const parameter = parameterProperty(declaration, name);
  if (parameter) return { node: parameter.name as ts.Identifier, initializer: parameter.initializer, readonly: ts.getModifiers(parameter)?.some((m) => m.kind === SyntaxKind.ReadonlyKeyword) ?? false };
  // Fields created in the constructor: this.sessions = new Map()
  const assignment = constructorAssignment(declaration, name);
  const left = assignment?.left;
  return assignment && left && ts.isPropertyAccessExpression(left) ? { node: left.name, initializer: assignment.right, readonly: false } : undefined;
}

function parameterProperty(declaration: ts.ClassLikeDeclaration, name: string): ts.ParameterDeclaration | undefined {
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  return constructor?.parameters.find((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.isParameterPropertyDeclaration(parameter, constructor));
}

function stateOfField(field: NonNullable<ReturnType<typeof findField>>, name: string, kind: SharedState['kind']): SharedState | undefined {
  // `private static sessions = sessions`: the field keeps the module's collection, whose declaration is the state.
  const kept = field.initializer ? moduleCollectionOf(field.initializer) : undefined;
  if (kept) return kept;
  const holds = holdsOf(field.initializer);
  if (holds === undefined) return undefined;
  const nameNode = ts.isPropertyDeclaration(field.node) ? field.node.name : field.node;
  return { nameNode, name, kind, holds };
}

/** A `const` of the field's module that holds a collection, named by the field's initializer, in a class declared at the top of that module. */
function moduleCollectionOf(initializer: ts.Expression): SharedState | undefined {
  const name = skipOuterExpressions(initializer);
  const file = name.getSourceFile();
  const declaringClass = ts.isPropertyDeclaration(initializer.parent) ? initializer.parent.parent : undefined;
  if (!ts.isIdentifier(name) || !declaringClass || declaringClass.parent !== file) return undefined;
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.Const) === 0) continue;
    const declaration = statement.declarationList.declarations.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name.text);
    if (!declaration) continue;
    const holds = declaration.initializer ? holdsOf(skipOuterExpressions(declaration.initializer)) : undefined;
    return holds === undefined || holds === 'value' ? undefined : { nameNode: declaration.name, name: name.text, kind: 'module', holds };
  }
  return undefined;
}

/**
 * A value a reader loads on first use (`if (!this._settings) this._settings = await db.settings.find()`,
 * `x ??= await load()`) that requests only drop (`this._settings = undefined`, `= null`): each drop makes
 * this process load it again, while every other instance keeps serving the copy it loaded.
 */
export function isDroppedLazyLoad(state: SharedState, mutations: readonly Mutation[]): boolean {
  if (state.holds !== 'value' || mutations.length === 0 || !mutations.every(isReset) || RESOURCE_NAME.test(state.name.replace(/^_+/, '')) || CLIENT_NAME.test(state.name)) return false;
  return mutationsOfState(state).some((fill) => {
    if (!isLazyInitialisation(fill, state) || !ts.isBinaryExpression(fill.node)) return false;
    const value = skipOuterExpressions(fill.node.right);
    // A connection or client made on first use and dropped to reconnect is a handle, not data.
    return ts.isAwaitExpression(value) && ts.isCallExpression(skipOuterExpressions(value.expression)) && !RESOURCE_VALUE.test(value.getText());
  });
}

/** Every write of the state in its file, on a request path or not (`this.x = …` in its class, or the module binding). */
export function mutationsOfState(state: SharedState): Mutation[] {
  const owner = ts.findAncestor(state.nameNode, ts.isClassLike);
  return getFileFacts(state.nameNode.getSourceFile()).mutations.filter((fill) =>
    fill.root.kind === 'this' ? fill.root.member === state.name && owner !== undefined && ts.findAncestor(fill.node, ts.isClassLike) === owner : state.kind === 'module' && fill.root.identifier.text === state.name && fill.root.member === undefined,
  );
}

/** `x = undefined`, `this.x = null`: the value dropped. */
function isReset(mutation: Mutation): boolean {
  if (!ts.isBinaryExpression(mutation.node) || mutation.node.operatorToken.kind !== SyntaxKind.EqualsToken || !mutation.isReassignment) return false;
  const value = skipOuterExpressions(mutation.node.right);
  return value.kind === SyntaxKind.NullKeyword || value.kind === SyntaxKind.UndefinedKeyword || (ts.isIdentifier(value) && value.text === 'undefined');
}

/**
 * `if (!db) db = await connect()`, `client ??= createClient()`, `x = x || make()`: a value created
 * once per process on first use, not state about requests.
 */
function isLazyInitialisation(mutation: Mutation, state: SharedState): boolean {
  if (!ts.isBinaryExpression(mutation.node)) return false;
  const left = skipOuterExpressions(mutation.node.left);
  // x = …, this.x = …, Class.x = …
  const isWholeValue = ts.isIdentifier(left) || (ts.isPropertyAccessExpression(left) && (left.expression.kind === SyntaxKind.ThisKeyword || ts.isIdentifier(left.expression)) && left.name.text === state.name);
  if (!isWholeValue) return false;
  const operator = mutation.node.operatorToken.kind;
  if (operator === SyntaxKind.QuestionQuestionEqualsToken || operator === SyntaxKind.BarBarEqualsToken) return true;
  const target = mutation.node.left.getText();
  const right = skipOuterExpressions(mutation.node.right);
  // if (!sent) { sent = true; …; setTimeout(() => { sent = false }, ms) }: a throttle taken, not a value made once.
  if (right.kind === SyntaxKind.TrueKeyword && mutation.function && hasTimedRelease(mutation.function, target.replace(/\s+/g, ''))) return false;
  // if (!running) { running = true; try { await dump() } finally { running = false } }: a guard taken and given back, not a value made once.
  if (mutation.function && isTakenAndReleased(mutation.function, target.replace(/\s+/g, ''))) return false;
  if (ts.isBinaryExpression(right) && (right.operatorToken.kind === SyntaxKind.BarBarToken || right.operatorToken.kind === SyntaxKind.QuestionQuestionToken) && right.left.getText() === target) return true;
  for (let current: ts.Node | undefined = mutation.node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (ts.isIfStatement(current) && testsAbsence(current.expression, target, state.name)) return true;
  }
  return false;
}

/**
 * `running = true` and `running = false` both written in `fn`, the `false` outside a `catch` (in a
 * `finally`, or after the work): a flag the function takes and gives back around its work. One that
 * only a failure resets (`loaded = true; … catch { loaded = false }`) is a first load that may retry.
 */
function isTakenAndReleased(fn: ts.Node, owner: string): boolean {
  let taken = false;
  let released = false;
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && compactText(skipOuterExpressions(node.left)) === owner) {
      const value = skipOuterExpressions(node.right).kind;
      if (value === SyntaxKind.TrueKeyword) taken = true;
      else if (value === SyntaxKind.FalseKeyword && !ts.findAncestor(node, (ancestor) => (ancestor === fn ? 'quit' : ts.isCatchClause(ancestor)))) released = true;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return taken && released;
}

function compactText(node: ts.Node): string {
  return node.getText().replace(/\s+/g, '');
}

/** `!x`, `x === undefined`, `x == null`, `!x || …`, `typeof x === 'undefined'`. */
function testsAbsence(condition: ts.Expression, target: string, name: string): boolean {
  const value = skipOuterExpressions(condition);
  const mentions = (node: ts.Node): boolean => {
    const text = node.getText();
    return text === target || text === name || text === `this.${name}` || text.endsWith(`.${name}`);
  };
  if (ts.isPrefixUnaryExpression(value) && value.operator === SyntaxKind.ExclamationToken) return mentions(skipOuterExpressions(value.operand));
  if (ts.isBinaryExpression(value)) {
    const operator = value.operatorToken.kind;
    if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.AmpersandAmpersandToken) return testsAbsence(value.left, target, name) || testsAbsence(value.right, target, name);
    if (operator === SyntaxKind.EqualsEqualsEqualsToken || operator === SyntaxKind.EqualsEqualsToken) {
      const other = mentions(value.left) ? value.right : mentions(value.right) ? value.left : undefined;
      if (!other) return ts.isTypeOfExpression(value.left) && mentions(value.left.expression);
      return other.kind === SyntaxKind.NullKeyword || other.kind === SyntaxKind.UndefinedKeyword || (ts.isIdentifier(other) && other.text === 'undefined');
    }
  }
  return false;
}
