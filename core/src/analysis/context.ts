import ts = require('typescript');
import { emittedEvent } from './event-listeners';
import type { FixPlan, Finding, PathStep, RelatedLocation, RuleId, StatelessConfig } from '../types';
import { renderMessage } from '../messages';
import type { FileFacts } from './file-facts';
import type { Reach, RequestGraph } from './request-graph';
import { lineAndColumn, spanOf } from './text';

/** What a rule's check gets: the file, its facts, the request graph, and a way to report. */
export interface AnalysisContext {
  readonly sourceFile: ts.SourceFile;
  readonly program: ts.Program | undefined;
  readonly config: StatelessConfig;
  readonly facts: FileFacts;
  readonly graph: RequestGraph;
  /** True for tests, scripts, CLIs, browser code and files the configuration ignores. */
  readonly isIgnoredFile: boolean;
  report(finding: ReportDescriptor): void;
}

export interface ReportDescriptor {
  ruleId: RuleId;
  messageId: string;
  data: Record<string, string>;
  node: ts.Node;
  path?: PathStep[];
  related?: RelatedLocation[];
  fixes?: Omit<FixPlan, 'message'>[];
}

export function createFinding(descriptor: ReportDescriptor, messages: Record<string, string>): Finding {
  const span = spanOf(descriptor.node);
  return {
    ruleId: descriptor.ruleId,
    messageId: descriptor.messageId,
    data: descriptor.data,
    message: renderMessage(messages[descriptor.messageId] ?? descriptor.messageId, descriptor.data),
    ...span,
    path: descriptor.path ?? [],
    related: descriptor.related ?? [],
    fixes: (descriptor.fixes ?? []).map((plan) => ({ ...plan, message: renderMessage(messages[plan.messageId] ?? plan.messageId, plan.data) })),
  };
}

/**
 * `POST /login (src/routes/auth.ts:12)`, or `… and 2 other routes` when several entry points reach
 * the hazard, the first by where it is registered whatever order the walk met them in. A label that
 * already ends in parentheses gets the place inside them.
 */
export function describeRoutes(reaches: readonly Reach[], graph: RequestGraph): string {
  const labels: string[] = [];
  const seen = new Set<string>();
  let allHttp = true;
  for (const reach of [...reaches].sort(byRegistration)) {
    if (seen.has(reach.entry.label)) continue;
    seen.add(reach.entry.label);
    const registration = reach.entry.registration;
    const file = registration.getSourceFile();
    const where = `${graph.displayPath(file.fileName)}:${lineAndColumn(file, registration.getStart(file)).line}`;
    const label = reach.entry.label;
    labels.push(label.endsWith(')') ? `${label.slice(0, -1)}, ${where})` : `${label} (${where})`);
    allHttp &&= /^[A-Z|]+ \/|^API \/|^middleware /.test(label);
  }
  if (labels.length === 0) return 'a request handler';
  const others = labels.length - 1;
  const noun = allHttp ? 'route' : 'handler';
  return others === 0 ? labels[0] : `${labels[0]} and ${others} other ${noun}${others === 1 ? '' : 's'}`;
}

/** Registration → each call on the way → the hazard. */
export function pathSteps(reach: Reach, hazard: ts.Node, hazardLabel: string): PathStep[] {
  const steps: PathStep[] = [{ ...spanOf(reach.entry.registration), label: reach.entry.label }];
  reach.calls.forEach((call, index) => {
    const emitted = emittedEvent(call);
    const label = emitted ? `emits ${emitted.constant ? emitted.event : `'${emitted.event}'`} → ${listenerName(reach.calls[index + 1] ?? hazard)}` : `calls ${calleeName(call)}`;
    steps.push({ ...spanOf(call), label });
  });
  steps.push({ ...spanOf(hazard), label: hazardLabel });
  return steps;
}

/** The name of the listener an emit ran, from the first step inside it: `dataChanged`, or `listener` for an unnamed one. */
function listenerName(inside: ts.Node): string {
  for (let node: ts.Node | undefined = inside.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isFunctionLike(node)) continue;
    const name = declaredName(node);
    if (name) return `${name}()`;
    if (ts.isCallExpression(node.parent)) return 'listener';
  }
  return 'listener';
}

function declaredName(fn: ts.SignatureDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
  return undefined;
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const text = call.expression.getText().replace(/\s+/g, '');
  const short = text.length > 40 ? `…${text.slice(-39)}` : text;
  return ts.isNewExpression(call) ? `new ${short}()` : `${short}()`;
}

/**
 * Picks the reach to show first: the shortest chain, then the earliest registration (by file, then
 * place), so the answer does not depend on the order the walk met the routes in.
 */
export function primaryReach(reaches: readonly Reach[]): Reach | undefined {
  let best: Reach | undefined;
  for (const reach of reaches) {
    if (!best || reach.calls.length < best.calls.length || (reach.calls.length === best.calls.length && byRegistration(reach, best) < 0)) best = reach;
  }
  return best;
}

/** Orders reaches by where their routes are registered: file name, then place in the file. */
export function byRegistration(a: Reach, b: Reach): number {
  const fileA = a.entry.registration.getSourceFile().fileName;
  const fileB = b.entry.registration.getSourceFile().fileName;
  return fileA === fileB ? a.entry.registration.pos - b.entry.registration.pos : fileA < fileB ? -1 : 1;
}
