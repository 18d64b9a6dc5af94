import * as path from 'node:path';
import ts = require('typescript');
import type { AnalyzeOptions, Finding, FixPlan } from '../types';
import { analyzeSourceFile, getRequestGraph } from '../analysis/analyze';
import { defaultConfig, loadProjectConfig, resolveConfig } from '../config';
import { renderMessage } from '../messages';
import { ruleDefinitions } from '../rules';
import { statesWrittenOnRequestPath, type SharedState } from '../analysis/shared-state';
import { enclosingFunction, type RequestGraph } from '../analysis/request-graph';
import { referencesOf } from './references';
import { getFileFacts, type FunctionNode } from '../analysis/file-facts';
import { pickedRow, valueGoesNowhere } from '../analysis/dispatch-tables';
import { AsyncRewriter } from './asyncify';
import type { FixContext } from './context';
import { blockingPlan } from './blocking-fixes';
import { objectStorePlan } from './disk-fixes';
import { cachePlan, libraryCachePlan, libraryLockPlan, lockPlan } from './lock-cache-fixes';
import { BROADCAST_THROUGH_REDIS, broadcastPlan, graphqlPubSubRefusal, pubSubPlan, socketIoAdapterPlan } from './pubsub-fixes';
import { schedulerPlans } from './scheduler-fixes';
import { counterPlan, sessionStorePlan, type PlanResult } from './state-fixes';
import { holdsUsersState } from '../analysis/state-use';
import { listPlan } from './list-state';
import { valuePlan } from './value-state';
import { throttlePlan } from './throttle-fixes';
import { throttlerStoragePlan } from './throttler-fixes';
import { checkPlan, type PlanCheck } from './invariants';
import { factoryStateName } from './factory-state';
import { forwardHandlerRejections } from './express-errors';
import { hapiServerCachePlan } from './hapi-cache-fixes';
import { nestCacheStorePlan } from './nest-cache-fixes';
import { koaSessionStorePlan } from './koa-session-fixes';
import { inProjectLanguage, planLanguage, projectLanguage } from './language';
import { projectRedisClient, withProjectRedis } from './project-redis';
import { callbackStoreRelease, findMemoryRateLimiters, redisRateLimitStoreFix } from '../analysis/rate-limiters';
import { owningPackageRoot } from './installed-packages';
import { adapterFolder, moduleSpecifier, useAdapter } from './module-edits';
import { relativeTo } from '../analysis/paths';
import { withoutImportsLeftUnused } from './unused-imports';
import { uniqueStoreName } from './store-names';

export interface PlannedFixes {
  /** Every fix for the finding: its one-file plans and the multi-file ones that need the whole program. */
  plans: FixPlan[];
  /** Why a fix that moves the state cannot be offered here (shown as a disabled code action). */
  refused?: { title: string; reason: string };
}

/**
 * The fix plans for one finding, including those that rewrite other files (make callers async,
 * create adapter modules, add dependencies). Computed on demand — by the language server for a
 * code action, by `stateless fix` — since they need the program's references.
 */
export function planFixes(sourceFile: ts.SourceFile, finding: Finding, options: AnalyzeOptions & { program: ts.Program }): PlannedFixes {
  const candidates = finding.fixes.map((fix) => throughProjectRedis(fix, sourceFile, finding, options) ?? fix);
  let refused: PlannedFixes['refused'];
  try {
    if (finding.ruleId === 'no-in-process-scheduler') {
      const scheduled = planSchedulerFixes(sourceFile, finding, options);
      candidates.push(...scheduled.plans);
      refused = scheduled.refused;
    } else {
      const result = planStateFix(sourceFile, finding, options);
      if (result && 'plan' in result) {
        const definition = ruleDefinitions.find((rule) => rule.id === finding.ruleId)!;
        const plan = inProjectLanguage(result.plan, planLanguage(result.plan, projectLanguage(options.program, packageRootOf(sourceFile, options))));
        candidates.push({ ...plan, message: renderMessage(definition.messages[plan.messageId] ?? plan.messageId, plan.data) });
      } else if (result) refused = { title: titleOf(finding), reason: oneLineQuotes(result.refused) };
    }
  } catch {
    // A fix that cannot be planned is not offered; the finding stays.
  }
  // The invariants hold for every plan, whichever fix made it: a plan that breaks one is refused.
  const plans: FixPlan[] = [];
  const root = projectRootOf(sourceFile, options);
  const host = { textOf: (fileName: string) => options.program.getSourceFile(fileName)?.text ?? ts.sys.readFile(fileName), displayPath: (fileName: string) => relativeTo(root, fileName) };
  const packageRoot = packageRootOf(sourceFile, options);
  for (const candidate of candidates) {
    // A project that already has its ioredis client: the shared-connection adapter hands out that one.
    const plan = withProjectRedis(withoutImportsLeftUnused(candidate, host.textOf), options.program, root, packageRoot);
    // A workspace package the service imports (`../../packages/trpc`): other apps of the repository run that code too.
    const outside = [...plan.edits, ...plan.createFiles].find((change) => !change.fileName.startsWith(`${root}/`));
    if (outside) {
      refused ??= { title: plan.message, reason: oneLineQuotes(`it changes \`${path.posix.relative(root, outside.fileName)}\`, outside this project's folder: other apps of the repository may run that code too, and would change with it. Fix it from the project that folder belongs to`) };
      continue;
    }
    let check: PlanCheck;
    try {
      check = checkPlan(plan, host);
    } catch {
      check = { refused: 'its edits could not be checked' };
    }
    if ('refused' in check) refused ??= { title: plan.message, reason: oneLineQuotes(check.refused) };
    else plans.push(check.notes.length > 0 ? { ...plan, notes: [...(plan.notes ?? []), ...check.notes] } : plan);
  }
  return refused ? { plans, refused } : { plans };
}

/**
 * A limiter's Redis store in a project that already has its own ioredis client: through the
 * shared-connection adapter (which hands out that client), instead of a node-redis client of its
 * own beside it. Undefined for any other fix, or when the project has no such client.
 */
function throughProjectRedis(fix: FixPlan, sourceFile: ts.SourceFile, finding: Finding, options: AnalyzeOptions & { program: ts.Program }): FixPlan | undefined {
  if (fix.messageId !== 'rateLimitMoveToRedis' || !projectRedisClient(options.program, projectRootOf(sourceFile, options))) return undefined;
  const facts = getFileFacts(sourceFile);
  const call = findMemoryRateLimiters(facts).find((limiter) => limiter.fixableCall && limiter.node.getStart(sourceFile) === finding.start)?.fixableCall;
  if (!call) return undefined;
  const context = fixContext(sourceFile, options, getRequestGraph(sourceFile, options));
  const use = useAdapter('redis.ts', context.projectRoot, context.adapterDir, context.exists);
  const plan = redisRateLimitStoreFix(call, facts, { specifier: moduleSpecifier(sourceFile, use.fileName, options.program.getCompilerOptions()) });
  const shared = inProjectLanguage({ ...plan, createFiles: [...plan.createFiles, ...use.createFiles], dependencies: [...plan.dependencies, ...use.dependencies] }, projectLanguage(options.program, packageRootOf(sourceFile, options)));
  const definition = ruleDefinitions.find((rule) => rule.id === finding.ruleId)!;
  return { ...shared, message: renderMessage(definition.messages[shared.messageId] ?? shared.messageId, shared.data) };
}

/** Where the file's adapters and dependencies go: its own package of a monorepo, or the project root. */
function packageRootOf(sourceFile: ts.SourceFile, options: AnalyzeOptions): string {
  return owningPackageRoot(sourceFile.fileName, projectRootOf(sourceFile, options));
}

function projectRootOf(sourceFile: ts.SourceFile, options: AnalyzeOptions): string {
  if (options.projectRoot !== undefined) return options.projectRoot;
  const folder = sourceFile.fileName.slice(0, sourceFile.fileName.lastIndexOf('/'));
  return loadProjectConfig(folder).rootDir ?? folder;
}

/** A scheduler finding has two fixes: the job scheduler, and (for an interval) the leader lock. */
function planSchedulerFixes(sourceFile: ts.SourceFile, finding: Finding, options: AnalyzeOptions & { program: ts.Program }): PlannedFixes {
  analyzeSourceFile(sourceFile, options);
  const graph = getRequestGraph(sourceFile, options);
  const result = schedulerPlans(sourceFile, finding, fixContext(sourceFile, options, graph), graph);
  const messages = ruleDefinitions.find((rule) => rule.id === finding.ruleId)!.messages;
  // In a JavaScript project the leader lock's adapters are written as JavaScript, like every other fix's.
  const language = projectLanguage(options.program, packageRootOf(sourceFile, options));
  const textOf = (fileName: string): string | undefined => options.program.getSourceFile(fileName)?.text ?? ts.sys.readFile(fileName);
  // The finding's own fixes are planFixes' candidates already; the invariants check these with them.
  const plans = result.plans.map((plan) => withoutImportsLeftUnused(inProjectLanguage(plan, planLanguage(plan, language)), textOf)).map((plan) => ({ ...plan, message: renderMessage(messages[plan.messageId] ?? plan.messageId, plan.data) }));
  return result.refused ? { plans, refused: { title: titleOf(finding), reason: oneLineQuotes(result.refused) } } : { plans };
}

/**
 * A reason quotes the code it is about (`store.set(key, { … })`): on one line, as the CLI's summary,
 * a diagnostic's related message and a code action's title print it, with the user's line breaks
 * and indentation as single spaces.
 */
export function oneLineQuotes(reason: string): string {
  return reason.replace(/`[^`]*`/g, (quote) => quote.replace(/\s*\n\s*(?=\??\.)/g, '').replace(/\s*\n\s*/g, ' '));
}

function titleOf(finding: Finding): string {
  if (finding.ruleId === 'no-in-process-scheduler') return 'Run the job from the job queue\'s scheduler';
  if (finding.ruleId === 'no-in-memory-counter') return finding.messageId === 'rateLimitInMemory' ? `Count ${finding.data.library}'s requests in Redis` : `Count \`${finding.data.name}\` in Redis`;
  if (finding.ruleId === 'no-local-disk-write') return finding.messageId === 'embeddedDatabase' ? 'Keep the data in a shared database server' : 'Keep the files in the object store (S3)';
  if (finding.ruleId === 'no-blocking-request-work') return 'Take the work off the request';
  if (finding.ruleId === 'no-process-local-cache') return `Move \`${finding.data.name}\` to the Redis cache`;
  if (finding.ruleId === 'no-in-process-lock') return `Take \`${finding.data.name}\` in Redis`;
  if (finding.ruleId === 'no-in-memory-pubsub') return finding.messageId === 'emitterInMemory' ? `Publish \`${finding.data.name}\` through Redis pub/sub` : finding.messageId === 'presenceInMemory' ? `Keep \`${finding.data.name}\` in Redis` : finding.messageId === 'graphqlPubSubInMemory' ? 'Share the GraphQL subscription engine through Redis' : 'Broadcast through Redis';
  if (finding.messageId === 'sessionStoreInMemory' || finding.messageId === 'sessionStoreOnDisk') return 'Keep the sessions in Redis';
  return `Move \`${finding.data.name}\` to the Redis session store`;
}

function planStateFix(sourceFile: ts.SourceFile, finding: Finding, options: AnalyzeOptions & { program: ts.Program }): PlanResult | undefined {
  const isSession = finding.ruleId === 'no-in-memory-session' && finding.messageId === 'sessionInMemory';
  const isCounter = finding.ruleId === 'no-in-memory-counter' && (finding.messageId === 'counterInMemory' || finding.messageId === 'idSequenceInMemory');
  const isDisk = finding.ruleId === 'no-local-disk-write';
  const isBlocking = finding.ruleId === 'no-blocking-request-work';
  const isCache = finding.ruleId === 'no-process-local-cache' && finding.messageId === 'cacheInMemory';
  const isLock = finding.ruleId === 'no-in-process-lock' && finding.messageId === 'lockInProcess';
  const isLibraryLock = finding.ruleId === 'no-in-process-lock' && finding.messageId === 'lockLibraryInProcess';
  const isLibraryCache = finding.ruleId === 'no-process-local-cache' && finding.messageId === 'cacheLibraryInMemory';
  const isPubsub = finding.ruleId === 'no-in-memory-pubsub';
  const isSessionMiddleware = finding.ruleId === 'no-in-memory-session' && finding.messageId === 'sessionStoreInMemory';
  if (finding.ruleId === 'no-in-memory-session' && finding.messageId === 'sessionStoreOnDisk') {
    return {
      refused:
        'the sessions are in files this instance owns: replace the store with one every instance reads (`new RedisStore({ client })` from connect-redis), after the users can sign in again or the existing sessions are copied over',
    };
  }
  if (finding.ruleId === 'no-process-local-cache' && finding.messageId === 'cacheFilledBySchedule') {
    return {
      refused:
        'no request fills it: a scheduled job does, in every instance. Run that job once (on the job queue\'s scheduler, or under a leader lock) and have it keep what it loaded in Redis (a set or a hash every instance reads) instead of this process\'s memory',
    };
  }
  if (finding.ruleId === 'no-process-local-cache' && finding.messageId === 'cacheFilledByConsumer') {
    return {
      refused:
        'no request fills it: a queue consumer does, with the messages this instance was handed. Have the consumer write what it receives to Redis (a hash or a set every instance reads), or subscribe every instance to the updates (pub/sub) instead of sharing one queue',
    };
  }
  if (finding.ruleId === 'no-process-local-cache' && finding.messageId === 'responseCacheInMemory') {
    return {
      refused:
        'apicache keeps responses where it is configured: give it a Redis client (`apicache.options({ redisClient })`, set once at start-up) so every instance serves one cache, or pass a duration within the staleness you accept',
    };
  }
  const isThrottler = finding.ruleId === 'no-in-memory-counter' && finding.messageId === 'rateLimitInMemory' && finding.data.library === '@nestjs/throttler';
  // A limiter whose finding brings no fix of its own (its store is not one the fix can swap here): said, never passed over in silence.
  if (finding.ruleId === 'no-in-memory-counter' && finding.messageId === 'rateLimitInMemory' && !isThrottler && finding.fixes.length === 0) {
    const release = callbackStoreRelease(finding.data.library, sourceFile.fileName);
    if (release !== undefined) {
      return {
        refused: `${finding.data.library} ${release} calls its store with callbacks (\`incr(key, callback)\`), which rate-limit-redis 3 and later do not implement, so a Redis store given to it would fail every request: upgrade ${finding.data.library} to ${finding.data.library === 'express-rate-limit' ? '6' : '2'} or later (some options were renamed, see its changelog), then the fix gives it a Redis store`,
      };
    }
    return { refused: `${finding.data.library} counts in ${finding.data.store}, and the fix has no Redis store to give it where it is created: give it one there (its Redis store or client option), or a limiter that counts in Redis` };
  }
  if (!isSession && !isCounter && !isDisk && !isBlocking && !isCache && !isLibraryCache && !isLock && !isLibraryLock && !isPubsub && !isSessionMiddleware && !isThrottler) return undefined;
  // Make sure the analysis (and its request graph) is the one the finding came from.
  analyzeSourceFile(sourceFile, options);
  const graph = getRequestGraph(sourceFile, options);
  const context = fixContext(sourceFile, options, graph);
  // Whichever fix made a handler async, an Express 4 handler keeps sending its errors to the error handler.
  const finish = (result: PlanResult | undefined): PlanResult | undefined => (result && 'plan' in result ? forwardHandlerRejections(result.plan, graph, context) : result);
  if (isSessionMiddleware) {
    const own = koaSessionStorePlan(sourceFile, finding, context, graph);
    // A store the rule's own fix cannot swap where it is made (held in a variable, built by a helper): said, never passed over in silence.
    if (!own && finding.fixes.length === 0) {
      return { refused: `${finding.data.library} keeps the sessions in ${finding.data.store}, and the fix cannot give the middleware a Redis store here (the store is made apart from it, or the file has a Redis store of its own): give it one where it is set up (\`store: new RedisStore({ client })\` from connect-redis)` };
    }
    return finish(own);
  }
  if (isThrottler) return throttlerStoragePlan(sourceFile, finding, context);
  if (isDisk) return finish(objectStorePlan(sourceFile, finding, context));
  if (isPubsub) return finish(pubsubPlan(sourceFile, finding, context));
  if (isLibraryLock) return finish(libraryLockPlan(sourceFile, finding, context, graph));
  if (isLibraryCache && finding.data.library === '@hapi/hapi') return hapiServerCachePlan(sourceFile, finding, context, graph);
  if (isLibraryCache && finding.data.library?.startsWith('@nestjs/')) return nestCacheStorePlan(sourceFile, finding, context);
  if (isLibraryCache) return finish(libraryCachePlan(sourceFile, finding, context, graph));
  if (isBlocking) return finish(blockingPlan(sourceFile, finding, context, graph, (options.config ?? context.config).rules['no-blocking-request-work'].slowCalls));
  const written = statesWrittenOnRequestPath(graph, sourceFile).find((entry) => entry.state.nameNode.getStart(sourceFile) === finding.start);
  if (!written) return undefined;
  const state = written.state;
  // Users' sessions and counts expire in the store as sessions do; the application's own records (pages' view counts, games) never did.
  const perUser = holdsUsersState(state.name, written.writes);
  // Express's app.locals and Koa's app.context: read through every request's `req.app` or `ctx`, which no reference search reaches.
  if (state.on) {
    const [framework, reader] = state.on === 'locals' ? ["Express's app.locals", 'every route reads through `req.app`'] : state.on === 'app' ? ['the app object', 'every route reads through `req.app`'] : ["Koa's app.context", 'every middleware reads through `ctx`'];
    return finish({ refused: `\`${state.name}\` is kept on ${framework}, which ${reader}: keep it in a module of its own (\`const carts = new Map()\`, exported), and the fix moves that to Redis` });
  }
  const plan = (planContext: FixContext): PlanResult => {
    // A single value requests replace whole (a switch, an announcement, settings): one shared value.
    if ((isCache || isSession) && state.holds === 'value') return valuePlan(state, planContext, isCache ? 'cacheMoveToValue' : 'sessionMoveToValue');
    if (isCache) return cachePlan(state, planContext);
    if (isLock) return throttlePlan(state, planContext) ?? lockPlan(state, planContext);
    if (isSession) return state.holds === 'array' ? listPlan(state, planContext) : sessionStorePlan(state, planContext, perUser);
    return counterPlan(state, planContext, perUser);
  };
  if (state.kind === 'closure') return finish(factoryStatePlan(state, context, graph, plan));
  return finish(plan(context));
}

/**
 * A variable of a start-up factory moves as a module variable does, named so that each state the
 * factory made keeps its own Redis name; the factory itself stays synchronous (its callers use
 * what it returns at once).
 */
function factoryStatePlan(state: SharedState, context: FixContext, graph: RequestGraph, plan: (context: FixContext) => PlanResult): PlanResult {
  const naming = factoryStateName(state, context, graph);
  if ('refused' in naming) return naming;
  // Read or written while the factory runs (not only by what it returns): the factory would await.
  const direct = ts.isIdentifier(state.nameNode) ? referencesOf(context.program, state.nameNode).find((reference) => enclosingFunction(reference) === naming.factory) : undefined;
  if (direct) return factoryTurnsAsync(state, context, direct);
  const planned = plan({ ...context, storeName: naming.storeName });
  if (!('plan' in planned)) return planned;
  if (context.functionsMadeAsync().includes(naming.factory)) return factoryTurnsAsync(state, context, naming.factory);
  return { plan: { ...planned.plan, edits: [...planned.plan.edits, ...naming.edits] } };
}

function factoryTurnsAsync(state: SharedState, context: FixContext, use: ts.Node): PlanResult {
  return { refused: `\`${state.name}\` is used where the factory around it runs (${context.where(use)}), which would have to become async and hand its callers a promise instead of what it makes` };
}

function pubsubPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  if (finding.messageId === 'socketIoWithoutAdapter' || finding.messageId === 'socketIoEventWithoutAdapter') return socketIoAdapterPlan(sourceFile, finding, context);
  if (finding.messageId === 'emitterInMemory') return pubSubPlan(sourceFile, finding, context);
  if (finding.messageId === 'wsBroadcastInMemory' || finding.messageId === 'clientListInMemory') return broadcastPlan(sourceFile, finding, context);
  if (finding.messageId === 'graphqlPubSubInMemory') return graphqlPubSubRefusal(finding);
  if (finding.messageId === 'presenceInMemory') {
    return {
      refused:
        'who is connected must be known to every instance: keep the list in Redis (a hash per room of connection id → user, written on connect and join, deleted on disconnect, with each instance\'s entries expiring when it stops renewing them) and read it from there where it is sent',
    };
  }
  return { refused: BROADCAST_THROUGH_REDIS };
}

const rowHandlersOfGraph = new WeakMap<RequestGraph, readonly FunctionNode[]>();

/**
 * The handlers of a route table a hand-written router runs on the requests it is handed
 * (`return route.handler(req, res, params)` of `routes[i]`, `dispatch-tables.ts`): as a framework's
 * handlers, nothing waits for what they return, so one may be made async where it stands in the table.
 * Only a dispatch whose value is dropped, returned or awaited; one whose value is used is a call.
 */
function rowHandlers(graph: RequestGraph): readonly FunctionNode[] {
  let found = rowHandlersOfGraph.get(graph);
  if (found) return found;
  const result = new Set<FunctionNode>();
  for (const file of graph.reachedFiles) {
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isCallExpression(node) || !pickedRow(node.expression) || !valueGoesNowhere(node)) continue;
      for (const fn of graph.callTargets(node)) result.add(fn);
    }
  }
  found = [...result];
  rowHandlersOfGraph.set(graph, found);
  return found;
}

function fixContext(sourceFile: ts.SourceFile, options: AnalyzeOptions & { program: ts.Program }, graph: ReturnType<typeof getRequestGraph>): FixContext {
  const program = options.program;
  const slash = sourceFile.fileName.lastIndexOf('/');
  const loaded = options.projectRoot === undefined ? loadProjectConfig(sourceFile.fileName.slice(0, slash)) : undefined;
  const projectFolder = options.projectRoot ?? loaded?.rootDir ?? sourceFile.fileName.slice(0, slash);
  const projectRoot = owningPackageRoot(sourceFile.fileName, projectFolder);
  const config = options.config ?? (loaded?.input ? resolveConfig([loaded.input]) : defaultConfig());
  const handlers = new Set<FunctionNode>([...graph.entries.map((entry) => entry.handler), ...rowHandlers(graph)]);
  const rewriters: AsyncRewriter[] = [];
  return {
    program,
    config,
    projectRoot,
    adapterDir: adapterFolder(program, sourceFile.fileName, projectRoot, config.adapterDir, projectFolder),
    // An adapter planned as `x.ts` exists as `x.js` in a JavaScript project.
    exists: (fileName) => [fileName, fileName.replace(/\.ts$/, '.js')].some((name) => program.getSourceFile(name) !== undefined || ts.sys.fileExists(name)),
    displayPath: (fileName) => graph.displayPath(fileName),
    where: (node) => {
      const file = node.getSourceFile();
      return `${graph.displayPath(file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
    },
    isHandler: (fn) => handlers.has(fn),
    rewriter: () => {
      const rewriter = new AsyncRewriter(program, (fn) => handlers.has(fn), (fileName) => graph.displayPath(fileName));
      rewriters.push(rewriter);
      return rewriter;
    },
    storeName: (name) => `'${uniqueStoreName(name, sourceFile.fileName, program)}'`,
    functionsMadeAsync: () => rewriters.filter((rewriter) => !rewriter.refused).flatMap((rewriter) => rewriter.turnedAsync),
  };
}
