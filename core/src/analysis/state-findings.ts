import type { RuleId } from '../types';
import { byRegistration, describeRoutes, pathSteps, primaryReach, type AnalysisContext } from './context';
import type { Reach } from './request-graph';
import { statesWrittenOnRequestPath, type StateClass, type StateWithWrites } from './shared-state';
import { spanOf } from './text';

/**
 * Reports each piece of state of one class that this file declares, once, at its declaration:
 * the route that reaches it in the message, the shortest call chain as the path, and every
 * request-path write as related information.
 */
export function reportStates(
  context: AnalysisContext,
  report: {
    ruleId: RuleId;
    messageId: string;
    classification: StateClass;
    verb: keyof typeof VERB_LABELS;
    allowNames: readonly string[];
    /** More placeholder values for the message, or `undefined` to leave this state unreported. */
    describe?: (entry: StateWithWrites) => Record<string, string> | undefined;
  },
): void {
  for (const entry of statesWrittenOnRequestPath(context.graph, context.sourceFile)) {
    const { state, writes, classification } = entry;
    if (classification !== report.classification || isAllowedName(state.name, report.allowNames)) continue;
    const extra = report.describe ? report.describe(entry) : {};
    if (!extra) continue;
    const reaches = sortReaches(writes.flatMap((write) => write.reaches));
    const first = primaryReach(reaches)!;
    const firstWrite = writes.find((write) => write.reaches.some((reach) => reach.entry === first.entry && reach.calls === first.calls)) ?? writes[0];
    context.report({
      ruleId: report.ruleId,
      messageId: report.messageId,
      data: { name: state.name, route: describeRoutes(reaches, context.graph), ...extra },
      node: state.nameNode,
      path: pathSteps(first, firstWrite.mutation.node, `${VERB_LABELS[report.verb]} ${state.name}`),
      related: writes.map((write) => ({
        ...spanOf(write.mutation.node),
        message: `${state.name} is ${report.verb} here on ${sortReaches(write.reaches)[0].entry.label}`,
      })),
    });
  }
}

/** The path step's verb for the participle the related locations use. */
const VERB_LABELS = { written: 'writes', changed: 'changes' } as const;

/** Stable order: by file, then by where the route is registered. */
export function sortReaches(reaches: readonly Reach[]): Reach[] {
  return [...reaches].sort(byRegistration);
}

export function isAllowedName(name: string, allowNames: readonly string[]): boolean {
  return allowNames.some((allowed) => {
    const pattern = patternOf(allowed);
    return pattern === undefined ? allowed === name : pattern !== null && pattern.test(name);
  });
}

const patterns = new Map<string, RegExp | null | undefined>();

/** The RegExp a `/regex/flags` option stands for (compiled once), `undefined` for a plain name, `null` when it does not compile. */
function patternOf(option: string): RegExp | null | undefined {
  if (patterns.has(option)) return patterns.get(option);
  const match = /^\/(.*)\/([a-z]*)$/.exec(option);
  let pattern: RegExp | null | undefined;
  if (match) {
    try {
      pattern = new RegExp(match[1], match[2].replace(/[gy]/g, ''));
    } catch {
      pattern = null;
    }
  }
  patterns.set(option, pattern);
  return pattern;
}
