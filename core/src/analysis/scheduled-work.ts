import ts = require('typescript');
import { databaseClaimOf, guardedByClaim, handsClaimedResult, testsHandedResult } from './database-claims';
import { getFileFacts, type CallLike, type FileFacts, type FunctionNode } from './file-facts';
import { resolveImportedMember, schedulerModule, SCHEDULER_LIBRARIES } from './imports';
import { isWrapperInside, wrappedScheduleOf } from './scheduler-wrappers';
import { emittedEvent } from './event-listeners';
import { callsWithin, enclosingFunction, type RequestGraph } from './request-graph';
import { enclosingClass } from './resolve';
import type { ScheduleStart } from './schedulers';
import { isGuardedByRoleFlag } from './startup';
import { localInitializer } from './scope';
import { entryTakenOut, isAccumulated, isFlushed } from './state-reads';
import { moduleDeclarationOf, statesWrittenOnRequestPath, type StateClass, type StateWithWrites } from './shared-state';
import { isAllowedName } from './state-findings';
import { awaitedValue, skipOuterExpressions, stringValue } from './text';

/**
 * What a scheduled job does that must happen once, not once per instance: e-mail, notifications,
 * payments, database writes, enqueued jobs, calls to other services. A job that only touches this
 * process (sweeps a Map, flushes metrics, pings its sockets, refreshes a cached config) has none.
 */
export interface SharedWork {
  /** `sends e-mail`, `writes to the database`, … */
  effect: string;
  /** The call that does it, as written (`transporter.sendMail`). */
  callee: string;
  /** The first function of the program the job calls on the way there (`expireCarts`), if any. */
  via: string | undefined;
  /** The call itself, or the SQL tagged template (shown beside the finding). */
  node: CallLike | ts.TaggedTemplateExpression;
  /** A call into the project the analysis could not follow: work by assumption, not by evidence. */
  unresolved?: boolean;
}

export interface WorkOptions {
  /** Calls that only touch this process, never reported (names or /regex/). */
  localOnlyCallees: readonly string[];
  /** Calls that do shared work, beyond the built-in ones (names or /regex/). */
  sharedWorkCallees: readonly string[];
}

const MAX_FOLLOW_DEPTH = 4;
/** Calls that let one instance run the job: Stateless's leader-lock adapter, Redlock, and the usual names of such helpers. */
const LEADER_GUARD = /(?:^|\.)(?:runAsLeader|isLeader|withLeader\w*|runOnLeader|withLock|acquireLock|tryLock)$|^redlock\.(?:using|acquire)$/i;
/**
 * A lock helper of the project's own named for where its lock lives (`withDistributedLock`, `withRedisLock`,
 * `acquireAdvisoryLock`), not for this process (`withLocalLock`, `withMutexLock`, `withInMemoryLock`).
 */
const NAMED_SHARED_LOCK = /(?:^|\.)(?:with|acquire)(?!\w*(?:Local|Process|Memory|Mutex|Thread))[A-Z]\w*Lock$/;

const MAIL_MODULES = new Set(['nodemailer', '@sendgrid/mail', 'resend', 'postmark', 'mailgun.js', '@aws-sdk/client-ses', '@aws-sdk/client-sesv2']);
const NOTIFY_MODULES = new Set(['twilio', 'web-push', 'firebase-admin', 'firebase-admin/messaging', '@slack/web-api', 'expo-server-sdk']);
const QUEUE_MODULES = new Set(['bullmq', 'bull', 'bee-queue', 'amqplib', 'kafkajs', '@aws-sdk/client-sqs', '@aws-sdk/client-sns', '@google-cloud/pubsub']);
const DATABASE_MODULES = /^(?:@prisma\/client|\.prisma\/client|drizzle-orm(?:\/.*)?|knex|mongoose|mongodb|sequelize|typeorm|pg|postgres|mysql2?(?:\/promise)?|kysely|@mikro-orm\/.*|better-sqlite3|@supabase\/supabase-js|objection|redbean-node)$/;

/** Methods that always write when called on a database client, model or repository. */
const DATABASE_WRITES = new Set([
  'insert', 'insertOne', 'insertMany', 'update', 'updateOne', 'updateMany', 'upsert', 'create', 'createMany', 'deleteOne', 'deleteMany',
  'destroy', 'bulkWrite', 'bulkCreate', 'findOneAndUpdate', 'findByIdAndUpdate', 'findOneAndDelete', 'findByIdAndDelete', 'findOneAndRemove',
  'increment', 'decrement', 'truncate', 'save', 'delete', 'remove', 'softDelete', '$executeRaw', '$executeRawUnsafe', 'executeRaw', 'store', 'trash',
]);
/** A project model's own write methods: `saveAllNotesRevision`, `createDefault`, `deleteExpired`. */
const MODEL_WRITE = /^(?:save|create|update|upsert|insert|delete|destroy|remove|purge|prune|clean|expire|archive)(?:[A-Z]\w*)?$/;
/**
 * Methods that write only with a writing statement (`pool.query('DELETE …')`), also run over many rows of
 * parameters (node-oracledb's `executeMany(sql, binds)`, a service's own `sql.executeMany`).
 */
const DATABASE_STATEMENTS = new Set(['query', 'execute', 'executeMany', 'exec', 'run', 'raw', 'none', 'oneOrNone']);
const WRITING_SQL = /^\s*(?:insert|update|delete|merge|truncate|replace|upsert)\b/i;
/** Names a database client, model or repository goes by. */
const DATABASE_RECEIVER = /^(?:db|database|prisma|knex|sql|pool|pg|mysql|conn|connection|orm|em|entityManager|manager|dataSource|repo|\w*Repo|\w*Repository|\w*Model|models|sequelize|kysely|supabase|drizzle|collection|\w*Collection|tx|trx)$/i;
const HTTP_CLIENTS = /^(?:axios|got|ky|superagent|request|needle|http|httpService|httpClient|api|apiClient)$/i;
const HTTP_WRITES = new Set(['post', 'put', 'patch', 'delete']);
/** Node's own clients, whose `request(options)` is a GET unless the options say otherwise. */
const NODE_HTTP_MODULES = new Set(['http', 'https', 'http2']);
/** Receivers of project code that does work for other services, when the call cannot be followed. */
const SERVICE_RECEIVER = /(?:Service|Manager|Mailer|Notifier|Processor|UseCase|Jobs?|Tasks?|Billing|Payments?)$|^(?:mailer|notifier|billing|payments?|jobs|tasks)$/i;
const LOCAL_SERVICES = /^(?:configService|config|logger|log|console|metrics|registry|cache|\w*Cache|Logger|ConfigService|\w*Cache(?:Service|Manager))$/i;

/** The first thing the job does that other instances would do again; undefined when it only touches this process. */
export function sharedWorkOf(job: FunctionNode, graph: RequestGraph, options: WorkOptions, unknownIsWork = false): SharedWork | undefined {
  const visited = new Set<FunctionNode>();
  // A call the analysis cannot follow is work by assumption: a later call with a recognised effect (`knex('links')` then `query.delete()`) is the evidence to show.
  let assumed: SharedWork | undefined;
  // A Redis set-if-absent anywhere on the way (`set(key, v, 'NX', 'EX', ttl)`, `{ NX: true }`, `setnx`): the
  // first instance takes the key and the others find it taken, so the job, or what it guards, happens once.
  let setIfAbsent = false;
  const visit = (fn: FunctionNode, via: string | undefined, depth: number): SharedWork | undefined => {
    if (visited.has(fn)) return undefined;
    visited.add(fn);
    // A job handed to a schedule (`scheduler.scheduleJob(at, () => bus.emit(…))`) runs at its own time, where it is armed.
    const calls = callsWithin(fn, (nested) => !isArmedJob(nested, graph));
    // A claim won by one instance (an insert that does nothing on conflict, its result tested) guards what follows it.
    const claims = calls.map(databaseClaimOf).filter((claim) => claim !== undefined);
    // A callback handed a row only once the function it is given to has claimed it runs on that instance alone.
    const claimedCallbacks = callbacksOfClaims(calls, graph);
    for (const call of calls) {
      // `@Cron(…)` on the method is written inside it, as far as the file's facts go, and so are the calls
      // that compute its arguments (`@Interval('cleanup', ms('5m'))`): they run once, as the class is declared.
      if (isInDecorator(call, fn)) continue;
      if (claims.some((claim) => guardedByClaim(call, claim))) continue;
      if (claimedCallbacks.some((callback) => call.getStart() >= callback.getStart() && call.getEnd() <= callback.getEnd())) continue;
      const callee = calleeText(call);
      // The job runs on one instance already: behind a leader lock or a deployment flag.
      if (depth === 0 && LEADER_GUARD.test(callee)) return undefined;
      // What a function runs inside its shared lock (`syncToWarehouse()` whose body is `withDistributedLock(…)`) happens once.
      if (NAMED_SHARED_LOCK.test(callee)) return undefined;
      if (isSetIfAbsent(call)) {
        setIfAbsent = true;
        continue;
      }
      if (matches(callee, options.localOnlyCallees) || isGuardedByRoleFlag(call)) continue;
      if (matches(callee, options.sharedWorkCallees)) return { effect: 'runs shared work', callee, via, node: call };
      const facts = getFileFacts(call.getSourceFile());
      const effect = libraryEffect(call, facts);
      if (effect) return { effect, callee, via, node: call };
      // Logging and metrics do nothing another instance would repeat, however they are written inside.
      if (isLoggingCall(call) || isCacheInvalidation(call)) continue;
      // Arming or cancelling this process's own schedules (a daily job that re-arms the day's timers): what
      // those do is reported where they are armed.
      if (isScheduleHandling(call, facts)) continue;
      // Keeping, under a fixed key, the copy of a document the job just downloaded: every instance stores the same.
      if (storesDownloadedCopy(call, fn, facts)) continue;
      let targets: readonly FunctionNode[] = [];
      try {
        // An event the job raises on this process's emitter runs its listeners inside the tick: their work is the job's.
        targets = emittedEvent(call) ? graph.listenersOf(call) : graph.callTargets(call);
      } catch {
        targets = [];
      }
      if (targets.length > 0) {
        if (depth >= MAX_FOLLOW_DEPTH) continue;
        for (const target of targets) {
          const found = visit(target, via ?? callee, depth + 1);
          if (found) return found;
        }
        // The service's database module builds its statements from what it is given (a table, columns, rows), which reads as no write; the name it gives the call does.
        if (isProjectDatabaseWrite(call, facts)) return { effect: 'writes to the database', callee, via, node: call };
        continue;
      }
      const unresolved = unresolvedProjectCall(call, facts);
      // A later call whose name says what it does (`service.device.poll()`) tells more than a lookup before it (`getService()`).
      if (unresolved && (!assumed || (!WORK_NAME.test(assumed.callee) && WORK_NAME.test(callee)))) assumed = { effect: unresolved, callee, via, node: call, unresolved: true };
      else if (unknownIsWork && !isEvidentlyLocal(call, facts) && !callsOwnParameter(call)) assumed ??= { effect: `calls \`${callee}()\``, callee, via, node: call, unresolved: true };
    }
    // ``sql`DELETE FROM sessions WHERE …` ``: a statement the client's tag runs, with no call to show.
    const statement = writingTaggedStatement(fn);
    if (statement) return { effect: 'writes to the database', callee: `${statement.tag.getText()} ${(sqlText(statement) ?? '').trim().split(/\s/)[0].toUpperCase()}`, via, node: statement };
    return undefined;
  };
  const found = visit(job, undefined, 0);
  return setIfAbsent ? undefined : (found ?? assumed);
}

/**
 * `findUnprocessed((err, job) => { if (!job) return retry(); process(job); })`: the function literals among
 * the calls' arguments that are handed a result only after the called function claimed it in the database,
 * and that test what they were handed before going on.
 */
function callbacksOfClaims(calls: readonly CallLike[], graph: RequestGraph): ts.Node[] {
  const claimsIn = (target: ts.SignatureDeclaration): ts.CallExpression[] =>
    callsWithin(target as FunctionNode).map(databaseClaimOf).filter((claim) => claim !== undefined);
  const found: ts.Node[] = [];
  for (const call of calls) {
    (call.arguments ?? []).forEach((argument, index) => {
      const literal = skipOuterExpressions(argument);
      if (!(ts.isArrowFunction(literal) || ts.isFunctionExpression(literal)) || !testsHandedResult(literal)) return;
      const targets = graph.callTargets(call);
      if (targets.length > 0 && targets.every((target) => handsClaimedResult(target, index, claimsIn))) found.push(literal);
    });
  }
  return found;
}

/**
 * The first writing statement run through a tag in the function or the functions written in it:
 * ``sql`DELETE …` `` (postgres.js, `@vercel/postgres`, Slonik), ``this.db`UPDATE …` ``,
 * ``prisma.$executeRaw`…` ``. A tag named otherwise (``html`…` ``, ``css`…` ``) is not a client.
 */
function writingTaggedStatement(fn: FunctionNode): ts.TaggedTemplateExpression | undefined {
  const facts = getFileFacts(fn.getSourceFile());
  const stack: FunctionNode[] = [fn];
  const found: ts.TaggedTemplateExpression[] = [];
  while (stack.length > 0) {
    const info = facts.functions.get(stack.pop()!);
    if (!info) continue;
    for (const tagged of info.taggedTemplates) if (isWritingStatement(tagged, facts) && !isGuardedByRoleFlag(tagged)) found.push(tagged);
    stack.push(...info.children);
  }
  return found.sort((a, b) => a.getStart() - b.getStart())[0];
}

function isWritingStatement(tagged: ts.TaggedTemplateExpression, facts: FileFacts): boolean {
  const tag = skipOuterExpressions(tagged.tag);
  const name = ts.isIdentifier(tag) ? tag.text : ts.isPropertyAccessExpression(tag) ? tag.name.text : undefined;
  if (name === undefined) return false;
  const root = ts.isPropertyAccessExpression(tag) ? rootOf(tag.expression) : name;
  const rootModule = root ? facts.imports.get(root)?.module : undefined;
  const isClient = /^\$executeRaw(?:Unsafe)?$/.test(name) || DATABASE_RECEIVER.test(name) || (rootModule !== undefined && DATABASE_MODULES.test(rootModule));
  return isClient && WRITING_SQL.test(sqlText(tagged) ?? '');
}

/** `redis.set(key, value, 'NX', 'PX', ttl)` (ioredis), `client.set(key, value, { NX: true })` (node-redis), `setnx(key, value)`. */
function isSetIfAbsent(call: CallLike): boolean {
  const callee = skipOuterExpressions(call.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (method === undefined) return false;
  if (/^setnx$/i.test(method)) return true;
  if (method !== 'set') return false;
  return (call.arguments ?? []).slice(2).some((argument) => {
    const value = skipOuterExpressions(argument);
    if (stringValue(value)?.toUpperCase() === 'NX') return true;
    return ts.isObjectLiteralExpression(value) && value.properties.some((property) => ts.isPropertyAssignment(property) && property.name.getText() === 'NX' && property.initializer.kind === ts.SyntaxKind.TrueKeyword);
  });
}

/** Builtins, logging, metrics, collections, local files, reads: what a job may call and still only touch this process. */
const LOCAL_FUNCTIONS = new Set([
  'parseInt', 'parseFloat', 'String', 'Number', 'Boolean', 'BigInt', 'Symbol', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', 'require', 'fetch', 'gc',
]);
const LOCAL_ROOTS = new Set([
  'console', 'logger', 'log', 'Logger', 'Math', 'JSON', 'Date', 'Object', 'Array', 'Promise', 'Number', 'String', 'Buffer', 'process', 'path', 'os', 'util', 'fs',
  'performance', 'Intl', 'Reflect', 'Symbol', 'global', 'globalThis', 'v8', 'metrics', 'registry', 'statsd', 'dayjs', 'moment', '_', 'lodash',
]);
const LOCAL_METHODS = new Set([
  'get', 'set', 'has', 'delete', 'clear', 'add', 'push', 'pop', 'shift', 'unshift', 'splice', 'slice', 'concat', 'forEach', 'map', 'filter', 'reduce', 'find', 'findIndex',
  'some', 'every', 'includes', 'indexOf', 'keys', 'values', 'entries', 'sort', 'reverse', 'join', 'split', 'trim', 'replace', 'toString', 'toJSON', 'toISOString', 'toFixed',
  'toLowerCase', 'toUpperCase', 'getTime', 'valueOf', 'format', 'toDate', 'then', 'catch', 'finally', 'json', 'text', 'ping', 'terminate', 'inc', 'dec', 'observe', 'gauge', 'increment',
  'timing', 'histogram', 'reset', 'log', 'info', 'warn', 'error', 'debug', 'trace', 'emit', 'on', 'once', 'off', 'removeListener', 'unref', 'ref', 'bind', 'call', 'apply',
  // The rest of String's and Array's own methods: they compute a value from one in memory.
  'startsWith', 'endsWith', 'padStart', 'padEnd', 'trimStart', 'trimEnd', 'replaceAll', 'substring', 'charAt', 'charCodeAt', 'codePointAt', 'localeCompare', 'normalize',
  'repeat', 'match', 'matchAll', 'search', 'at', 'lastIndexOf', 'findLast', 'findLastIndex', 'flat', 'flatMap', 'toSorted', 'toReversed', 'toLocaleString',
]);
const SOCKET_SELECTORS = new Set(['to', 'in', 'except', 'of']);
const SOCKET_SERVER = /^(?:io|ioServer|socketServer|socketIo|socketIO|nsp|namespace|sockets|socket)$/;
/** Methods that name a read: discovery documents, key sets, lists a job keeps for this process. */
const READ_VERB = /^(?:get|fetch|load|read|list|find|discover|lookup|resolve|retrieve|download)(?:[A-Z]\w*)?$/;
/** A check that answers yes or no (`isObject(x)`, `validator.isEmail(s)`): nothing changes. */
const PREDICATE = /^(?:is|has)[A-Z]\w*$/;
/** Calls on a database client that only read, pick what to read from (`db.collection(name)`, a subquery named with `.as(alias)`), or build a fragment of a statement (`Sequelize.fn('lower', …)`). */
const DATABASE_READS = /^(?:as|select|from|where|and|or|orderBy|groupBy|limit|offset|innerJoin|leftJoin|join|returning|find\w*|count|aggregate|all|get|first|pluck|exec|lean|populate|sort|skip|select\w*|collection|fn|col|literal|cast)$/;

/** A function handed to a call that arms a schedule: a scheduler library's, or a wrapper's (`this.scheduler.scheduleJob(rule, () => …)`). */
function isArmedJob(fn: FunctionNode, graph: RequestGraph): boolean {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  if (isScheduleHandling(call, getFileFacts(call.getSourceFile()))) return true;
  try {
    return wrappedScheduleOf(call, graph.resolver) !== undefined;
  } catch {
    return false;
  }
}

/**
 * `func(...args)` where `func` is a parameter of the function it is called in (a wrapper's callback):
 * what runs is what its callers hand it, which the walk follows from them.
 */
function callsOwnParameter(call: CallLike): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  for (let fn = enclosingFunction(call); fn; fn = ts.isArrowFunction(fn) ? enclosingFunction(fn.parent) : undefined) {
    if (fn.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === callee.text)) return true;
  }
  return false;
}

/**
 * A call that arms or cancels a schedule of this process: a scheduler library's (`schedule.scheduleJob(…)`),
 * a wrapper's own call of one, or a handle's `cancel()`/`stop()` on a receiver named for it (`job.cancel()`,
 * `this.cronTask.stop()`).
 */
function isScheduleHandling(call: CallLike, facts: FileFacts): boolean {
  const member = resolveImportedMember(call.expression, facts.imports);
  if (member && SCHEDULER_LIBRARIES.has(schedulerModule(member.module))) return true;
  if (isWrapperInside(call)) return true;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !HANDLE_STOPS.has(callee.name.text)) return false;
  const receiver = receiverName(callee.expression);
  return receiver !== undefined && SCHEDULE_HANDLE.test(receiver);
}

const ITERATION_METHODS = new Set(['forEach', 'map', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex', 'flatMap']);
const HANDLE_STOPS = new Set(['cancel', 'stop', 'cancelNext']);
const SCHEDULE_HANDLE = /(?:job|task|schedule|cron|timer|interval)s?$/i;

/**
 * `this.variable.setValue(STORE_INDEX_CACHE, JSON.stringify({ fetched_at, index: data }))` after `const { data }
 * = await axios.get(url)`: a refresh that keeps the document it downloaded under one fixed key. Done by N
 * instances it stores the same copy N times, which is what once would leave; a job that adds the rows it
 * fetched (`readings.insertMany(data)`, no key) still writes them N times.
 */
function storesDownloadedCopy(call: CallLike, fn: FunctionNode, facts: FileFacts): boolean {
  if (!ts.isCallExpression(call) || call.arguments.length < 2) return false;
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (name === undefined || !KEEPS_VALUE.test(name)) return false;
  const key = skipOuterExpressions(call.arguments[0]);
  const fixedKey = ts.isStringLiteralLike(key) || (ts.isIdentifier(key) && CONSTANT_NAME.test(key.text)) || (ts.isPropertyAccessExpression(key) && CONSTANT_NAME.test(key.name.text));
  if (!fixedKey) return false;
  const downloaded = downloadedNames(fn, facts);
  if (downloaded.size === 0) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && downloaded.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) found = true;
    else ts.forEachChild(node, visit);
  };
  for (const argument of call.arguments.slice(1)) visit(argument);
  return found;
}

const KEEPS_VALUE = /^(?:set|save|store|put|upsert|persist)(?:[A-Z]\w*)?$/;
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;

/** The locals a function sets from an HTTP GET it awaits (`const { data } = await axios.get(url)`, `const body = await got(url).json()`). */
function downloadedNames(fn: FunctionNode, facts: FileFacts): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isVariableDeclaration(node) && node.initializer && isAwaitedGet(node.initializer, facts)) {
      if (ts.isIdentifier(node.name)) names.add(node.name.text);
      else for (const element of node.name.elements) if (ts.isBindingElement(element) && ts.isIdentifier(element.name)) names.add(element.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return names;
}

function isAwaitedGet(initializer: ts.Expression, facts: FileFacts): boolean {
  let value = skipOuterExpressions(initializer);
  if (!ts.isAwaitExpression(value)) return false;
  value = skipOuterExpressions(value.expression);
  // `(await fetch(url)).json()`, `got(url).json()`: the body of the response.
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'json' && ts.isCallExpression(skipOuterExpressions(value.expression.expression))) value = skipOuterExpressions(value.expression.expression);
  if (!ts.isCallExpression(value)) return false;
  const callee = skipOuterExpressions(value.expression);
  if (ts.isIdentifier(callee)) return (callee.text === 'fetch' && !facts.imports.has('fetch') && !isWritingFetch(value)) || ['axios', 'got'].includes(facts.imports.get(callee.text)?.module ?? '');
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get') return false;
  const receiver = receiverName(callee.expression);
  const root = rootOf(callee.expression);
  const rootModule = root ? facts.imports.get(root)?.module : undefined;
  return (receiver !== undefined && HTTP_CLIENTS.test(receiver)) || (rootModule !== undefined && ['axios', 'got', 'ky', 'superagent'].includes(rootModule));
}

/** `this.logger.error(…)`, `console.log(…)`, `metrics.inc(…)`. */
function isLoggingCall(call: CallLike): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const root = rootOf(callee.expression);
  return root !== undefined && /^(?:this\.)?(?:logger|log|console|metrics|statsd)$/i.test(root);
}

/**
 * `apicache.clear()`, `this.cache.del(key)`, `cacheManager.reset()`: dropping cached copies is the
 * same done once or N times, whichever store the cache uses inside.
 */
function isCacheInvalidation(call: CallLike): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !CACHE_INVALIDATIONS.has(callee.name.text)) return false;
  const receiver = receiverName(callee.expression);
  return receiver !== undefined && /cache/i.test(receiver);
}

const CACHE_INVALIDATIONS = new Set(['clear', 'del', 'delete', 'flush', 'flushAll', 'reset', 'invalidate', 'evict']);

/** A call that only reads or touches this process; used to tell a cron job's work from housekeeping when no effect is recognised. */
/** Modules whose calls touch only this process: its files, its clock, its metrics and logs, pure helpers. */
const LOCAL_MODULES = new Set([
  'uuid', 'nanoid',
  'fs', 'path', 'os', 'util', 'url', 'crypto', 'zlib', 'events', 'timers', 'prom-client', 'hot-shots', 'pino', 'winston', 'dayjs', 'moment', 'date-fns', 'lodash',
  // Colours for log lines.
  'colors', 'chalk', 'kleur', 'picocolors', 'ansi-colors', 'cli-color',
  // In-memory search indexes, built in this process from what it read.
  'lunr', 'elasticlunr', 'minisearch', 'flexsearch', 'fuse.js',
  // Drizzle's condition builders (`eq`, `and`, `lt`, `isNull`): a WHERE clause; the client's call runs it.
  'drizzle-orm',
]);

function isEvidentlyLocal(call: CallLike, facts: FileFacts): boolean {
  const callee = skipOuterExpressions(call.expression);
  // Building an object (`new Issuer({ … })`, `new issuer.Client(…)`) does nothing another instance would repeat; what it does is in the calls made on it.
  if (ts.isNewExpression(call)) return true;
  // `super(…)` in a constructor: the class being built runs its base's constructor; what that does is read where it is written.
  if (callee.kind === ts.SyntaxKind.SuperKeyword) return true;
  // `moment()`, `dayjs(date)`: a default export of a module that only computes, called directly.
  if (ts.isIdentifier(callee)) return (LOCAL_FUNCTIONS.has(callee.text) || PREDICATE.test(callee.text) || LOCAL_MODULES.has(facts.imports.get(callee.text)?.module ?? '')) && !(callee.text === 'fetch' && isWritingFetch(call));
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  if (callee.expression.kind === ts.SyntaxKind.ThisKeyword && isLocalBuilderConfig(call, facts)) return true;
  const root = rootOf(callee.expression);
  const rootModule = root ? facts.imports.get(root)?.module : undefined;
  if (root !== undefined && (LOCAL_ROOTS.has(root) || /^(?:this\.)?(?:logger|log|cache|\w+Cache|metrics)$/i.test(root))) return true;
  if (rootModule !== undefined && LOCAL_MODULES.has(rootModule)) return true;
  const receiver = receiverName(callee.expression);
  // `io.to(room)`, `this.io.in(room)`: picking this instance's own sockets to send to, as `emit` then does.
  if (SOCKET_SELECTORS.has(method) && receiver !== undefined && SOCKET_SERVER.test(receiver)) return true;
  const isDatabase = receiver !== undefined && ((rootModule !== undefined && DATABASE_MODULES.test(rootModule)) || DATABASE_RECEIVER.test(receiver) || (root !== undefined && DATABASE_RECEIVER.test(root)));
  if (isDatabase && DATABASE_READS.test(method)) return true;
  if (isTableRead(call)) return true;
  // `collection.find(query).toArray()`: the rows of a read cursor.
  if (method === 'toArray' && isCursorRead(callee.expression)) return true;
  if (isDatabase && DATABASE_STATEMENTS.has(method)) {
    const statement = sqlText(call.arguments?.[0]);
    return statement !== undefined && !WRITING_SQL.test(statement);
  }
  if (['get', 'head'].includes(method) && receiver !== undefined && (HTTP_CLIENTS.test(receiver) || (rootModule !== undefined && ['axios', 'got', 'ky', 'superagent'].includes(rootModule)))) return true;
  // A library call that says it reads (`Issuer.discover(url)`, `client.fetchKeys()`): a refresh of this process's copy.
  if (!isDatabase && (READ_VERB.test(method) || PREDICATE.test(method))) return true;
  return LOCAL_METHODS.has(method) && !isDatabase;
}

/** A query builder's reading methods beyond the clients' (`andWhere`, `whereIn`, `orWhereNotNull`, `distinct`, `max`). */
const BUILDER_READS = /^(?:(?:(?:and|or)(?:Where|Having)|where|having)\w*|distinct\w*|max|min|sum|avg|count\w*|union\w*|modify|timeout|clone)$/;
const isBuilderRead = (method: string): boolean => DATABASE_READS.test(method) || BUILDER_READS.test(method);

/** A query builder's writing methods (knex's). */
const BUILDER_WRITES = /^(?:insert|update|del|delete|truncate|upsert|increment|decrement)$/;

/** What a query builder is called as when handed a table: `knex('users')`, `SQLite.client('t')`, `db.table('t')`, `trx('t')`. */
const TABLE_CALLEE = /^(?:knex|client|table|queryBuilder|builder|qb)$/i;

/** A table's name as a query builder is handed it: `'status_page'`, `'public.users'`, `'users as u'`. */
const TABLE_NAME = /^[A-Za-z_][\w.]*(?:\s+as\s+\w+)?$/;

/**
 * What a reading method is called on is a query builder's read of a table, whatever the client is
 * named: `SQLite.client('status_page')`, `knex('users').where({ id })`, `this.db('monitor')
 * .select('id')`: a call given a table's name alone, then only reading builder methods. The
 * service's own SQLite handle (`SQLite.client`) names no database, and the chain still says it.
 */
function isTableQueryRead(expression: ts.Expression): boolean {
  let node = skipOuterExpressions(expression);
  for (let links = 0; links < 12; links++) {
    if (!ts.isCallExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (isTableCall(node)) return true;
    if (!ts.isPropertyAccessExpression(callee) || !isBuilderRead(callee.name.text)) return false;
    node = skipOuterExpressions(callee.expression);
  }
  return false;
}

/** A link of a query builder's chain that reads a table: `knex('users').where({ id }).first()`, its `knex('users')`, its `.where({ id })`. */
function isTableRead(call: CallLike): boolean {
  if (!ts.isCallExpression(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && isBuilderRead(callee.name.text) && isTableQueryRead(callee.expression)) return readingLinksAfter(call) !== undefined;
  return startsTableQueryRead(call);
}

/** How many reading links are chained on `call` (`.where(…).first()`: 2); undefined when a later link is no read (`.del()`). */
function readingLinksAfter(call: ts.CallExpression): number | undefined {
  let outer: ts.Node = call;
  let reads = 0;
  while (ts.isPropertyAccessExpression(outer.parent) && outer.parent.expression === outer && ts.isCallExpression(outer.parent.parent) && outer.parent.parent.expression === outer.parent) {
    if (!isBuilderRead(outer.parent.name.text)) return undefined;
    reads++;
    outer = outer.parent.parent;
  }
  return reads;
}

/** `knex('users')`, `SQLite.client('status_page')`: a call given a table's name alone. */
function isTableCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const [first] = call.arguments;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return call.arguments.length === 1 && first !== undefined && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) && TABLE_NAME.test(first.text) && name !== undefined && (TABLE_CALLEE.test(name) || DATABASE_RECEIVER.test(name));
}

/**
 * `SQLite.client('status_page')` of `SQLite.client('status_page').select()`: the table call of a
 * chain that only reads; or the table call alone, returned or awaited (`return knex('monitor')`:
 * every row).
 */
function startsTableQueryRead(call: ts.CallExpression): boolean {
  if (!isTableCall(call)) return false;
  const reads = readingLinksAfter(call);
  if (reads === undefined) return false;
  if (reads > 0) return true;
  const parent = skipOuterExpressionsUp(call);
  return ts.isReturnStatement(parent) || ts.isAwaitExpression(parent) || (ts.isArrowFunction(parent) && parent.body !== call);
}

/** The first node above `node` that is not a parenthesis or a type assertion. */
function skipOuterExpressionsUp(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) parent = parent.parent;
  return parent;
}

/**
 * `lunr(function () { this.field('title'); this.add(doc); })`: `this` in a function handed to a
 * module that only computes in this process is the object that module builds.
 */
function isLocalBuilderConfig(call: CallLike, facts: FileFacts): boolean {
  const fn = ts.findAncestor(call.parent, (node) => ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node));
  if (!fn || !ts.isFunctionExpression(fn) || !ts.isCallExpression(fn.parent) || !fn.parent.arguments.includes(fn)) return false;
  const builder = skipOuterExpressions(fn.parent.expression);
  return ts.isIdentifier(builder) && LOCAL_MODULES.has(facts.imports.get(builder.text)?.module ?? '');
}

/** `db.products.find({})`, `orders.aggregate(pipeline)`: a MongoDB call that opens a read cursor. */
function isCursorRead(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  if (!ts.isCallExpression(value)) return false;
  const callee = skipOuterExpressions(value.expression);
  return ts.isPropertyAccessExpression(callee) && ['find', 'aggregate', 'listCollections', 'listIndexes'].includes(callee.name.text);
}

function matches(callee: string, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  const bare = callee.replace(/^this\./, '');
  return isAllowedName(bare, names) || isAllowedName(bare.slice(bare.lastIndexOf('.') + 1), names);
}

/** A call's callee as written, a chain split over lines joined back (`db.table('items').where('expires', '<', new Date()).delete`). */
function calleeText(call: CallLike): string {
  const text = skipOuterExpressions(call.expression).getText().replace(/\s*\n\s*/g, '');
  return ts.isNewExpression(call) ? `new ${text}` : text;
}

/**
 * A module of the project's models folder (`require('../models/Speedtests')`, `import Tag from './db/models/tag'`):
 * what it exports is a model, whatever the binding is called (`tests.destroy({ where })`).
 */
const PROJECT_MODEL_MODULE = /^\.\.?\/(?:[\w.-]+\/)*models?(?:\/[\w.-]+)?$/;

/** Effects recognised by the library a call goes to, or by the shape of a client call. */
function libraryEffect(call: CallLike, facts: FileFacts): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  const member = resolveImportedMember(call.expression, facts.imports);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (method === undefined) return undefined;
  const receiver = ts.isPropertyAccessExpression(callee) ? receiverName(callee.expression) : undefined;
  const root = ts.isPropertyAccessExpression(callee) ? rootOf(callee.expression) : undefined;
  const rootModule = root ? facts.imports.get(root)?.module : member?.module;

  // `new Worker('./thumbnail.js', { workerData })` from a job: the work runs in a thread of this instance, once per instance.
  if (ts.isNewExpression(call) && member?.module === 'worker_threads' && member.path.join('.') === 'Worker') return 'starts worker threads';
  if (method === 'sendMail' || (method === 'send' && receiver !== undefined && /mail/i.test(receiver)) || (rootModule && MAIL_MODULES.has(rootModule) && /^send/.test(method))) return 'sends e-mail';
  if (rootModule && NOTIFY_MODULES.has(rootModule) && /^(?:send|create|post|notify)/.test(method)) return 'sends notifications';
  if (rootModule === 'stripe' || (root !== undefined && /^stripe$/i.test(root) && method === 'create')) return 'charges payments';
  if (rootModule && QUEUE_MODULES.has(rootModule) && /^(?:add|addBulk|publish|sendToQueue|send|sendMessage|produce)$/.test(method)) return 'enqueues jobs';
  if ((method === 'add' || method === 'addBulk') && receiver !== undefined && /queue$/i.test(receiver)) return 'enqueues jobs';
  if (ts.isIdentifier(callee) && method === 'fetch' && !facts.imports.has('fetch') && isWritingFetch(call)) return 'posts to an HTTP API';
  if (method === 'request' && member !== undefined && NODE_HTTP_MODULES.has(member.module) && member.path.length === 1 && isWritingRequest(call)) return 'posts to an HTTP API';
  if (receiver !== undefined && HTTP_WRITES.has(method) && (HTTP_CLIENTS.test(receiver) || (rootModule !== undefined && ['axios', 'got', 'ky', 'superagent'].includes(rootModule)))) return 'posts to an HTTP API';
  if (isDatabaseWrite(call, callee, method, receiver, root, rootModule) || runsWritingStatement(call, callee, method)) return 'writes to the database';
  // `SQLite.client('heartbeat').where('date', '<', date).del()`: the service's own query builder, writing a table.
  if (BUILDER_WRITES.test(method) && ts.isPropertyAccessExpression(callee) && isTableQueryRead(callee.expression)) return 'writes to the database';
  return undefined;
}

/**
 * `module.exports.query(sql, [cutoff], cb)` with `var sql = "DELETE FROM aliases WHERE time < ?"`: a
 * statement that can only be SQL, handed to the service's own statement-running wrapper (a function
 * called by name, or a member of its own module or object), writes to the database. Other receivers
 * are judged as clients are (`isDatabaseWrite`).
 */
function runsWritingStatement(call: CallLike, callee: ts.Expression, method: string): boolean {
  if (!DATABASE_STATEMENTS.has(method)) return false;
  const receiver = ts.isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : undefined;
  const ownWrapper = ts.isIdentifier(callee) || (receiver !== undefined && (receiver.kind === ts.SyntaxKind.ThisKeyword || /^(?:module\.)?exports$/.test(receiver.getText())));
  if (!ownWrapper) return false;
  const text = sqlText(call.arguments?.[0]);
  return text !== undefined && WRITING_SQL_STATEMENT.test(text);
}

/** The opening of a writing SQL statement, past the keyword: `DELETE FROM t`, `UPDATE t SET`, `INSERT INTO t`. */
const WRITING_SQL_STATEMENT = /^\s*(?:insert\s+(?:ignore\s+)?into|replace\s+into|update\s+[\w`".]+\s+set|delete\s+from|truncate\s+(?:table\s+)?[\w`"]|merge\s+into)\b/i;

function isDatabaseWrite(call: CallLike, callee: ts.Expression, method: string, receiver: string | undefined, root: string | undefined, rootModule: string | undefined): boolean {
  if (!ts.isPropertyAccessExpression(callee) || receiver === undefined) return false;
  const isDatabase = (rootModule !== undefined && (DATABASE_MODULES.test(rootModule) || (receiver === root && PROJECT_MODEL_MODULE.test(rootModule)))) || DATABASE_RECEIVER.test(receiver) || (root !== undefined && DATABASE_RECEIVER.test(root)) || isModelName(receiver, root) || isProjectModel(callee.expression) || isLocalQuery(callee.expression);
  if (!isDatabase) return false;
  if (DATABASE_WRITES.has(method) || (isProjectModel(callee.expression) && MODEL_WRITE.test(method))) return true;
  if (!DATABASE_STATEMENTS.has(method)) return false;
  const text = sqlText(call.arguments?.[0]);
  return text !== undefined && WRITING_SQL.test(text);
}

/** The start of an SQL statement given as a string, a template or a tagged template. */
function sqlText(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  let value = skipOuterExpressions(argument);
  // `var query = "DELETE FROM …"; db.query(query, …)`: the statement a local holds.
  const initializer = ts.isIdentifier(value) ? localInitializer(value) : undefined;
  if (initializer) value = skipOuterExpressions(initializer);
  return stringValue(value) ?? (ts.isTemplateExpression(value) ? value.head.text : ts.isTaggedTemplateExpression(value) ? value.template.getText().slice(1) : undefined);
}

/** `const query = knex('links'); …; query.delete()`: a local built by a call on the database client. */
function isLocalQuery(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  if (!ts.isIdentifier(value)) return false;
  const initializer = localInitializer(value);
  const root = initializer && ts.isCallExpression(skipOuterExpressions(initializer)) ? rootOf(initializer) : undefined;
  return root !== undefined && DATABASE_RECEIVER.test(root);
}

/**
 * `db.insertBulk('activity', rows, columns)`, `database.deleteExpired()`, `db.delete_expired(cb)`: a method named as a
 * write, called on the service's own database module (imported from the project under a database's name).
 */
function isProjectDatabaseWrite(call: CallLike, facts: FileFacts): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !PROJECT_DATABASE_WRITE.test(callee.name.text)) return false;
  const owner = skipOuterExpressions(callee.expression);
  return ts.isIdentifier(owner) && DATABASE_RECEIVER.test(owner.text) && (facts.imports.get(owner.text)?.module.startsWith('.') ?? false);
}

/** A write verb, alone or opening a camelCase or snake_case name: `insertBulk`, `deleteExpired`, `delete_expired`. */
const PROJECT_DATABASE_WRITE = /^(?:save|create|update|upsert|insert|delete|destroy|remove|purge|prune|clean|expire|archive)(?:[A-Z_]\w*)?$/;

/** `models.Revision.saveAllNotesRevision(…)`, `db.Order.update(…)`: a capitalised model of the project's models module. */
function isProjectModel(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(value) || !/^[A-Z][a-z]\w*$/.test(value.name.text)) return false;
  const owner = skipOuterExpressions(value.expression);
  return ts.isIdentifier(owner) && /^(?:models|db|database|orm|sequelize)$/i.test(owner.text) && (getFileFacts(owner.getSourceFile()).imports.get(owner.text)?.module.startsWith('.') ?? false);
}

/** `Session.deleteMany(…)`, `prisma.session.deleteMany(…)`: a capitalised model, or a model on a client. */
function isModelName(receiver: string, root: string | undefined): boolean {
  return /^[A-Z][a-z]\w*$/.test(receiver) && receiver === root && !['Object', 'Reflect', 'JSON', 'Math', 'Promise', 'Array', 'Date', 'Buffer', 'Number', 'String', 'Map', 'Set'].includes(receiver);
}

/** `fetch(url, { method: 'POST' })`: a GET only reads (a refresh of this process's copy). */
function isWritingFetch(call: CallLike): boolean {
  const init = call.arguments?.[1];
  if (!init) return false;
  const value = skipOuterExpressions(init);
  if (!ts.isObjectLiteralExpression(value)) return false;
  for (const property of value.properties) {
    if (ts.isPropertyAssignment(property) && property.name.getText() === 'method') {
      const methodName = stringValue(property.initializer);
      return methodName === undefined || methodName.toUpperCase() !== 'GET';
    }
  }
  return false;
}

/**
 * `https.request(options, callback)` or `http.request(url, options, …)` whose options object (written
 * there or in a local) names a method other than GET: a GET only reads.
 */
function isWritingRequest(call: CallLike): boolean {
  for (const argument of call.arguments ?? []) {
    let value = skipOuterExpressions(argument);
    if (ts.isIdentifier(value)) value = skipOuterExpressions(localInitializer(value) ?? value);
    if (!ts.isObjectLiteralExpression(value)) continue;
    const property = value.properties.find((candidate) => ts.isPropertyAssignment(candidate) && candidate.name.getText() === 'method');
    if (!property || !ts.isPropertyAssignment(property)) return false;
    const methodName = stringValue(property.initializer);
    return methodName === undefined || methodName.toUpperCase() !== 'GET';
  }
  return false;
}

/**
 * A call the analysis cannot follow into: a function imported from the project's own modules
 * (another file, without a type checker), or a method of a service. It is work the job does for
 * the application, not housekeeping of this process.
 */
function unresolvedProjectCall(call: CallLike, facts: FileFacts): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  // `SQLite.client('status_page').select()`: the service's own query builder, reading.
  if (isTableRead(call)) return undefined;
  if (ts.isIdentifier(callee)) {
    const binding = facts.imports.get(callee.text);
    // `knex('links')`, `db('users')`: a query builder; what it does is in the calls made on it.
    return binding && binding.module.startsWith('.') && !DATABASE_RECEIVER.test(callee.text) ? `calls \`${callee.text}()\`` : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = receiverName(callee.expression);
  if (receiver === undefined || LOCAL_SERVICES.test(receiver)) return undefined;
  // `this.jobs.forEach(…)`: iterating a list held under a service's name runs only the callback, read in its turn.
  if (ITERATION_METHODS.has(callee.name.text)) return undefined;
  const root = rootOf(callee.expression);
  const fromProject = root !== undefined && (facts.imports.get(root)?.module.startsWith('.') ?? false);
  // `this.notifications.send()` with `private readonly notifications: NotificationsService`
  const fieldType = injectedTypeName(callee.expression);
  const isService = SERVICE_RECEIVER.test(receiver) || ((fromProject || lookedUpService(callee.expression)) && SERVICE_RECEIVER.test(root!)) || (fieldType !== undefined && (SERVICE_RECEIVER.test(fieldType) || (facts.imports.get(fieldType)?.module.startsWith('.') ?? false)) && !LOCAL_SERVICES.test(fieldType));
  return isService ? `calls \`${callee.getText().replace(/\s*\n\s*/g, '')}()\`` : undefined;
}

/**
 * The receiver starts from a local that a service manager handed out (`const service =
 * this.serviceManager.getService(device.service.name)`, then `service.device.poll(device)`): an
 * integration looked up by name, whose work lies beyond what the analysis can follow.
 */
function lookedUpService(expression: ts.Expression): boolean {
  let value = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(value)) value = skipOuterExpressions(value.expression);
  if (!ts.isIdentifier(value)) return false;
  const initializer = localInitializer(value);
  const lookup = initializer && awaitedValue(initializer);
  if (!lookup || !ts.isCallExpression(lookup)) return false;
  const callee = skipOuterExpressions(lookup.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const owner = receiverName(callee.expression);
  return owner !== undefined && SERVICE_RECEIVER.test(owner) && !LOCAL_SERVICES.test(owner);
}

/** The declared class of `this.field`: a constructor parameter property or a typed field of the enclosing class. */
function injectedTypeName(expression: ts.Expression): string | undefined {
  const value = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(value) || value.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const owner = enclosingClass(value);
  if (!owner) return undefined;
  const name = value.name.text;
  for (const member of owner.declaration.members) {
    const candidates: (ts.ParameterDeclaration | ts.PropertyDeclaration)[] = ts.isConstructorDeclaration(member) ? [...member.parameters] : ts.isPropertyDeclaration(member) ? [member] : [];
    for (const candidate of candidates) {
      if (!ts.isIdentifier(candidate.name) || candidate.name.text !== name || !candidate.type || !ts.isTypeReferenceNode(candidate.type)) continue;
      return ts.isIdentifier(candidate.type.typeName) ? candidate.type.typeName.text : undefined;
    }
  }
  return undefined;
}

/** `this.orders.repo` → `repo`; `db` → `db`; `prisma.session` → `session`. */
function receiverName(expression: ts.Expression): string | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isPropertyAccessExpression(value)) return value.name.text;
  if (ts.isCallExpression(value)) return receiverName(value.expression);
  return undefined;
}

/** The name a member chain starts from, `this.` skipped: `this.prisma.session` → `prisma`. */
function rootOf(expression: ts.Expression): string | undefined {
  let value = skipOuterExpressions(expression);
  for (let guard = 0; guard < 16; guard++) {
    if (ts.isPropertyAccessExpression(value)) {
      if (value.expression.kind === ts.SyntaxKind.ThisKeyword) return value.name.text;
      value = skipOuterExpressions(value.expression);
    } else if (ts.isCallExpression(value)) value = skipOuterExpressions(value.expression);
    else if (ts.isElementAccessExpression(value)) value = skipOuterExpressions(value.expression);
    else break;
  }
  return ts.isIdentifier(value) ? value.text : undefined;
}

const WORK_NAME = /send|notif|mail|charge|bill|invoice|pay|report|digest|sync|publish|enqueue|import|export|backup|webhook|remind|poll/i;

/** What the job does that must happen once, in words; undefined for a job that only touches this process. */
/** Whether `call` is written in a decorator of the job (its call or the arguments it is given), not in the job's body. */
function isInDecorator(call: ts.Node, job: FunctionNode): boolean {
  for (let node: ts.Node | undefined = call.parent; node && node !== job; node = node.parent) if (ts.isDecorator(node)) return true;
  return false;
}

export function scheduledWork(schedule: ScheduleStart, graph: RequestGraph, options: WorkOptions): { text: string; shared: SharedWork | undefined } | undefined {
  if (schedule.library === 'bree') return { text: schedule.jobText ? `the Bree jobs ${schedule.jobText} run` : 'its Bree jobs run', shared: undefined };
  if (!schedule.job) return referencedProjectJob(schedule);
  // A cron library runs jobs: work unless everything it calls only reads or touches this process.
  // A timer is as often housekeeping: work only with evidence.
  const shared = sharedWorkOf(schedule.job, graph, options) ?? (schedule.library === 'timers' ? undefined : sharedWorkOf(schedule.job, graph, options, true));
  // The job flushes a buffer of this process (each instance its own share), itself or in the function doing the work.
  if (!shared || drainsProcessQueue(shared.node) || takesEntriesOut(schedule.job)) return undefined;
  // A timer is as often housekeeping as a job: a call it cannot follow counts only when its name says it does work for others.
  if (shared.unresolved && schedule.library === 'timers' && !WORK_NAME.test(shared.callee)) return undefined;
  const subject = shared.via ? `\`${shared.via}()\`` : 'the job';
  const text = shared.effect.startsWith('calls ') ? `${subject} ${shared.effect}` : `${subject} ${shared.effect} (\`${shared.callee}\`)`;
  return { text, shared };
}

/** Calls that take items off an array: what a queue's or a buffer's worker drains it with. */
const DRAINS = new Set(['shift', 'splice', 'pop']);

/**
 * The function doing the work takes its items off an array of this process: a module-level
 * `const queue = []` or a class field `pending = []` that requests fill (`queue.shift()`,
 * `buffer.splice(0)`, their items used: a `history.shift();` that trims a buffer takes nothing).
 * Each instance sends or writes only what it queued, once: nothing is repeated, and a leader lock
 * would leave the other instances' items waiting.
 */
function drainsProcessQueue(work: ts.Node): boolean {
  const fn = enclosingFunction(work);
  return fn !== undefined && (callsWithin(fn).some((call) => takesItems(call) && processQueueOf(call, DRAINS) !== undefined) || takesEntriesOut(fn));
}

/**
 * The function takes every entry out of a module-level record or Map of this process (`delete
 * pending[code]` in a loop over its keys), or hands it on and empties it (`const batch =
 * [...pending.entries()]; pending.clear()`): a write-behind buffer it flushes.
 */
function takesEntriesOut(fn: ts.Node): boolean {
  const topLevel = getFileFacts(fn.getSourceFile()).topLevel;
  const uses = new Map<string, ts.Identifier[]>();
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && topLevel.get(node.text) !== undefined && ts.isVariableDeclaration(topLevel.get(node.text)!) && !isMemberName(node)) {
      if (entryTakenOut(node) !== undefined) found = true;
      uses.set(node.text, [...(uses.get(node.text) ?? []), node]);
    } else ts.forEachChild(node, visit);
  };
  visit(fn);
  return found || [...uses.values()].some((named) => isFlushed(named, isAccumulated(usesInFile(fn.getSourceFile(), named[0].text))));
}

/** The module-level name's uses in its file (a local of the same name counts too: this only says whether requests add to it). */
function usesInFile(file: ts.SourceFile, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && !isMemberName(node)) found.push(node);
    else ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function isMemberName(identifier: ts.Identifier): boolean {
  return ts.isPropertyAccessExpression(identifier.parent) && identifier.parent.name === identifier;
}

/** `queue.shift()` whose item is used (`send(queue.shift())`, `const batch = buffer.splice(0)`), not a trim (`history.shift();`). */
function takesItems(call: CallLike): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  return !ts.isExpressionStatement(node.parent);
}

/** The module-level `[]` (or class field `[]`) a call like `queue.shift()` or `queue.push(x)` works on, when the method is one of `methods`. */
function processQueueOf(call: CallLike, methods: ReadonlySet<string>): ts.VariableDeclaration | ts.PropertyDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !methods.has(callee.name.text)) return undefined;
  const target = skipOuterExpressions(callee.expression);
  if (ts.isIdentifier(target)) {
    const declaration = getFileFacts(call.getSourceFile()).topLevel.get(target.text);
    return declaration !== undefined && ts.isVariableDeclaration(declaration) && isEmptyArray(declaration.initializer) ? declaration : undefined;
  }
  if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const field = enclosingClass(target)?.declaration.members.find((member) => ts.isPropertyDeclaration(member) && member.name.getText() === target.name.text);
    return field !== undefined && ts.isPropertyDeclaration(field) && isEmptyArray(field.initializer) ? field : undefined;
  }
  return undefined;
}

const FILLS = new Set(['push', 'unshift']);

/**
 * A module-level queue of this process that the job fills (`enqueueMail(…)` → `queue.push(…)`) and
 * that its own file drains (`queue.shift()` in a worker timer the web process starts), followed
 * through the project's functions: run by another process, the job would queue where nothing sends.
 */
export function processQueueFilledBy(job: FunctionNode, graph: RequestGraph): ts.VariableDeclaration | ts.PropertyDeclaration | undefined {
  return firstInCallTree(job, graph, (fn) => {
    for (const call of callsWithin(fn)) {
      const queue = processQueueOf(call, FILLS);
      if (queue && drainedInItsFile(queue)) return queue;
    }
    return undefined;
  });
}

/** The first thing `find` finds in the job or the program's functions it calls, a few calls deep. */
function firstInCallTree<T>(job: FunctionNode, graph: RequestGraph, find: (fn: FunctionNode) => T | undefined): T | undefined {
  const visited = new Set<FunctionNode>();
  const visit = (fn: FunctionNode, depth: number): T | undefined => {
    if (visited.has(fn) || depth > MAX_FOLLOW_DEPTH) return undefined;
    visited.add(fn);
    const found = find(fn);
    if (found !== undefined) return found;
    for (const call of callsWithin(fn)) {
      let targets: readonly FunctionNode[] = [];
      try {
        // An event the job raises on this process's emitter runs its listeners inside the tick: their work is the job's.
        targets = emittedEvent(call) ? graph.listenersOf(call) : graph.callTargets(call);
      } catch {
        targets = [];
      }
      for (const target of targets) {
        const reached = visit(target, depth + 1);
        if (reached !== undefined) return reached;
      }
    }
    return undefined;
  };
  return visit(job, 0);
}

/** Classes of state each instance keeps its own copy of: records, counts, cached rows. */
const PROCESS_DATA: ReadonlySet<StateClass> = new Set(['session', 'counter', 'cache']);

/**
 * Data of this process that requests write and the job works on (`for (const poll of allPolls())`
 * over a module Map, a count it resets), followed through the program's functions. Each instance's
 * job handles its own copy; run on one instance, or in the worker, it would handle one copy or none.
 */
export function processDataOf(job: FunctionNode, graph: RequestGraph): StateWithWrites | undefined {
  const states = new Map<ts.Node, StateWithWrites>();
  for (const file of graph.files) for (const entry of statesWrittenOnRequestPath(graph, file)) if (PROCESS_DATA.has(entry.classification)) states.set(entry.state.nameNode, entry);
  if (states.size === 0) return undefined;
  const stateOf = (node: ts.Node): StateWithWrites | undefined => {
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = enclosingClass(node);
      const field = owner?.declaration.members.find((member) => ts.isPropertyDeclaration(member) && member.name.getText() === node.name.text);
      return field?.name ? states.get(field.name) : undefined;
    }
    if (!ts.isIdentifier(node) || (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) || ts.isPropertyAssignment(node.parent) && node.parent.name === node) return undefined;
    const declaration = moduleDeclarationOf(graph, node);
    return declaration && ts.isVariableDeclaration(declaration) ? states.get(declaration.name) : undefined;
  };
  return firstInCallTree(job, graph, (fn) => {
    let found: StateWithWrites | undefined;
    const look = (node: ts.Node): void => {
      found ??= stateOf(node);
      if (!found) ts.forEachChild(node, look);
    };
    look(fn);
    return found;
  });
}

function drainedInItsFile(queue: ts.VariableDeclaration | ts.PropertyDeclaration): boolean {
  return getFileFacts(queue.getSourceFile()).calls.some(({ node }) => takesItems(node) && processQueueOf(node, DRAINS) === queue);
}

function isEmptyArray(initializer: ts.Expression | undefined): boolean {
  const value = initializer && skipOuterExpressions(initializer);
  return value !== undefined && ts.isArrayLiteralExpression(value) && value.elements.length === 0;
}

/** `cron.schedule('0 6 * * *', sendDigest)` with `sendDigest` imported from another file of the project, untyped: work we cannot read. */
function referencedProjectJob(schedule: ScheduleStart): { text: string; shared: undefined } | undefined {
  if (!schedule.jobText) return undefined;
  const facts = getFileFacts(schedule.node.getSourceFile());
  const root = /^(?:this\.)?([A-Za-z_$][\w$]*)/.exec(schedule.jobText)?.[1];
  const binding = root ? facts.imports.get(root) : undefined;
  // A cron library's job read from a table (`new Cron(job.interval, job.jobFunc)`) is work, as any job it runs is, unless shown local.
  return binding?.module.startsWith('.') || (schedule.library !== 'timers' && !binding) ? { text: `it runs \`${schedule.jobText}()\``, shared: undefined } : undefined;
}
