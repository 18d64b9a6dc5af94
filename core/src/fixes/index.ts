import ts = require('typescript');
import type { AnalyzeOptions, Finding, FixPlan } from '../types';
import { analyzeSourceFile, getRequestGraph } from '../analysis/analyze';
import { defaultConfig, loadProjectConfig, resolveConfig } from '../config';
import { renderMessage } from '../messages';
import { ruleDefinitions } from '../rules';
import { statesWrittenOnRequestPath } from '../analysis/shared-state';
import type { FunctionNode } from '../analysis/file-facts';
import { AsyncRewriter } from './asyncify';
import type { FixContext } from './context';
import { blockingPlan } from './blocking-fixes';
import { objectStorePlan } from './disk-fixes';
import { cachePlan, lockPlan } from './lock-cache-fixes';
import { pubSubPlan, socketIoAdapterPlan } from './pubsub-fixes';
import { schedulerPlans } from './scheduler-fixes';
import { counterPlan, sessionStorePlan, type PlanResult } from './state-fixes';

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
  const plans = [...finding.fixes];
  try {
    if (finding.ruleId === 'no-in-process-scheduler') return planSchedulerFixes(sourceFile, finding, options);
    const result = planStateFix(sourceFile, finding, options);
    if (!result) return { plans };
    const definition = ruleDefinitions.find((rule) => rule.id === finding.ruleId)!;
    if ('plan' in result) return { plans: [...plans, { ...result.plan, message: renderMessage(definition.messages[result.plan.messageId] ?? result.plan.messageId, result.plan.data) }] };
    return { plans, refused: { title: titleOf(finding), reason: result.refused } };
  } catch {
    return { plans };
  }
}

/** A scheduler finding has two fixes: the job scheduler, and (for an interval) the leader lock. */
function planSchedulerFixes(sourceFile: ts.SourceFile, finding: Finding, options: AnalyzeOptions & { program: ts.Program }): PlannedFixes {
  analyzeSourceFile(sourceFile, options);
  const graph = getRequestGraph(sourceFile, options);
  const result = schedulerPlans(sourceFile, finding, fixContext(sourceFile, options, graph), graph);
  const messages = ruleDefinitions.find((rule) => rule.id === finding.ruleId)!.messages;
  const plans = [...finding.fixes, ...result.plans.map((plan) => ({ ...plan, message: renderMessage(messages[plan.messageId] ?? plan.messageId, plan.data) }))];
  return result.refused ? { plans, refused: { title: titleOf(finding), reason: result.refused } } : { plans };
}

function titleOf(finding: Finding): string {
  if (finding.ruleId === 'no-in-process-scheduler') return 'Run the job from the job queue\'s scheduler';
  if (finding.ruleId === 'no-in-memory-counter') return `Count \`${finding.data.name}\` in Redis`;
  if (finding.ruleId === 'no-local-disk-write') return 'Keep the files in the object store (S3)';
  if (finding.ruleId === 'no-blocking-request-work') return 'Take the work off the request';
  if (finding.ruleId === 'no-process-local-cache') return `Move \`${finding.data.name}\` to the Redis cache`;
  if (finding.ruleId === 'no-in-process-lock') return `Take \`${finding.data.name}\` in Redis`;
  if (finding.ruleId === 'no-in-memory-pubsub') return finding.messageId === 'emitterInMemory' ? `Publish \`${finding.data.name}\` through Redis pub/sub` : 'Broadcast through Redis';
  return `Move \`${finding.data.name}\` to the Redis session store`;
}

function planStateFix(sourceFile: ts.SourceFile, finding: Finding, options: AnalyzeOptions & { program: ts.Program }): PlanResult | undefined {
  const isSession = finding.ruleId === 'no-in-memory-session' && finding.messageId === 'sessionInMemory';
  const isCounter = finding.ruleId === 'no-in-memory-counter' && finding.messageId === 'counterInMemory';
  const isDisk = finding.ruleId === 'no-local-disk-write';
  const isBlocking = finding.ruleId === 'no-blocking-request-work';
  const isCache = finding.ruleId === 'no-process-local-cache' && finding.messageId === 'cacheInMemory';
  const isLock = finding.ruleId === 'no-in-process-lock' && finding.messageId === 'lockInProcess';
  const isPubsub = finding.ruleId === 'no-in-memory-pubsub';
  if (!isSession && !isCounter && !isDisk && !isBlocking && !isCache && !isLock && !isPubsub) return undefined;
  // Make sure the analysis (and its request graph) is the one the finding came from.
  analyzeSourceFile(sourceFile, options);
  const graph = getRequestGraph(sourceFile, options);
  if (isDisk) return objectStorePlan(sourceFile, finding, fixContext(sourceFile, options, graph));
  if (isPubsub) return pubsubPlan(sourceFile, finding, fixContext(sourceFile, options, graph));
  if (isBlocking) {
    const context = fixContext(sourceFile, options, graph);
    return blockingPlan(sourceFile, finding, context, graph, (options.config ?? context.config).rules['no-blocking-request-work'].slowCalls);
  }
  const state = statesWrittenOnRequestPath(graph, sourceFile).find((entry) => entry.state.nameNode.getStart(sourceFile) === finding.start)?.state;
  if (!state) return undefined;
  const context = fixContext(sourceFile, options, graph);
  if (isCache) return cachePlan(state, context);
  if (isLock) return lockPlan(state, context);
  return isSession ? sessionStorePlan(state, context) : counterPlan(state, context);
}

function pubsubPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  if (finding.messageId === 'socketIoWithoutAdapter') return socketIoAdapterPlan(sourceFile, finding, context);
  if (finding.messageId === 'emitterInMemory') return pubSubPlan(sourceFile, finding, context);
  return {
    refused:
      'every instance must hear the broadcast: publish it to a Redis channel on the request path, and send to this instance\'s own clients in a subscription started at start-up (the loop moves into the subscriber)',
  };
}

function fixContext(sourceFile: ts.SourceFile, options: AnalyzeOptions & { program: ts.Program }, graph: ReturnType<typeof getRequestGraph>): FixContext {
  const program = options.program;
  const slash = sourceFile.fileName.lastIndexOf('/');
  const loaded = options.projectRoot === undefined ? loadProjectConfig(sourceFile.fileName.slice(0, slash)) : undefined;
  const projectRoot = options.projectRoot ?? loaded?.rootDir ?? sourceFile.fileName.slice(0, slash);
  const config = options.config ?? (loaded?.input ? resolveConfig([loaded.input]) : defaultConfig());
  const handlers = new Set<FunctionNode>(graph.entries.map((entry) => entry.handler));
  return {
    program,
    config,
    projectRoot,
    adapterDir: config.adapterDir,
    exists: (fileName) => program.getSourceFile(fileName) !== undefined || ts.sys.fileExists(fileName),
    displayPath: (fileName) => graph.displayPath(fileName),
    where: (node) => {
      const file = node.getSourceFile();
      return `${graph.displayPath(file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
    },
    isHandler: (fn) => handlers.has(fn),
    rewriter: () => new AsyncRewriter(program, (fn) => handlers.has(fn), (fileName) => graph.displayPath(fileName)),
  };
}
