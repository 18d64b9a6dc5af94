import ts = require('typescript');
import { getFileFacts, type Mutation } from './file-facts';
import { resolveImportedMember } from './imports';
import { localInitializer } from './scope';
import { propertyNameText, skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Work-queue and concurrency-limiter packages: what their instances hold is this process's pending work. */
const QUEUE_PACKAGES = new Set(['p-queue', 'p-queue-cjs', 'p-limit', 'p-throttle', 'fastq', 'bottleneck', 'async', 'async/queue', 'queue']);
/** How work is handed to such an instance: `queue.add(fn)`, `limit(fn)`, `queue.push(job)`, `limiter.schedule(fn)`. */
const HAND_OFF = new Set(['add', 'addAll', 'push', 'unshift', 'schedule', 'wrap']);
const ADDS = new Set(['add', 'set', 'push', 'unshift']);

/**
 * A class's record of the work it has queued in its own work-queue instance: `runDependency(dep, fn) {
 * this.queuedIds.add(dep.id); return this.installQueue.add(fn) }` beside `private installQueue = new
 * PQueue({ concurrency: 1 })`, or the runs waiting per cron added where the cron's run is queued. The
 * entries describe this process's queue, as the queue's own counts do; they leave it when the work ends.
 * Whatever hazard there is lies in the queue (a one-at-a-time queue is a lock), not in its bookkeeping.
 *
 * Every write that adds an entry must be in a method that, in its own body, hands work to a field of
 * the same class made by a work-queue package (p-queue, p-limit, fastq, Bottleneck, async's queue).
 * A record also filled elsewhere (a route adding ids by hand), or a queue of the project's own making,
 * is not read so.
 */
export function recordsQueuedWork(nameNode: ts.Node, mutations: readonly Mutation[]): boolean {
  const declaration = nameNode.parent;
  if (!ts.isPropertyDeclaration(declaration) || !ts.isClassLike(declaration.parent)) return false;
  const owner = declaration.parent;
  const queues = queueFields(owner);
  if (queues.size === 0) return false;
  const adds = mutations.filter(isAdd);
  if (adds.length === 0) return false;
  const name = propertyNameText(declaration.name);
  return name !== undefined && adds.every((mutation) => mutation.function !== undefined && handsWorkTo(mutation.function, queues) && !testsMembership(mutation.function, name) && ts.findAncestor(mutation.node, ts.isClassLike) === owner);
}

/**
 * `if (this.queued.has(id)) return; this.queued.add(id)`: work kept from running twice, which on N
 * instances runs N times: a lock's use, judged as one. Reading an entry (`this.runs.get(cron)`) is not.
 */
function testsMembership(fn: ts.Node, field: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === SyntaxKind.ThisKeyword && node.name.text === field) {
      const use = node.parent;
      if (ts.isPropertyAccessExpression(use) && use.expression === node && MEMBERSHIP.has(use.name.text)) found = true;
      if (ts.isBinaryExpression(use) && use.right === node && use.operatorToken.kind === SyntaxKind.InKeyword) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

const MEMBERSHIP = new Set(['has', 'includes', 'indexOf', 'some', 'find']);

function isAdd(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isBinaryExpression(node)) return node.operatorToken.kind === SyntaxKind.EqualsToken && !mutation.isReassignment;
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ADDS.has(node.expression.name.text) && !isWriteBack(node);
}

/** `const runs = this.queued.get(id); runs.pop(); this.queued.set(id, runs)`: the entry read from the same record, stored again. */
function isWriteBack(call: ts.CallExpression): boolean {
  const callee = call.expression as ts.PropertyAccessExpression;
  const value = call.arguments[1];
  if (callee.name.text !== 'set' || !value || !ts.isIdentifier(value)) return false;
  const initializer = localInitializer(value);
  if (!initializer) return false;
  const read = skipOuterExpressions(initializer);
  return ts.isCallExpression(read) && ts.isPropertyAccessExpression(read.expression) && read.expression.name.text === 'get' && read.expression.expression.getText() === callee.expression.getText();
}

/** The names of the class's fields made by a work-queue package (`new PQueue(…)`, `pLimit(2)`, `fastq(worker, 1)`). */
function queueFields(owner: ts.ClassLikeDeclaration): Set<string> {
  const imports = getFileFacts(owner.getSourceFile()).imports;
  const names = new Set<string>();
  for (const member of owner.members) {
    if (!ts.isPropertyDeclaration(member) || !member.initializer) continue;
    const value = skipOuterExpressions(member.initializer);
    if (!(ts.isNewExpression(value) || ts.isCallExpression(value))) continue;
    const binding = resolveImportedMember(value.expression, imports);
    const name = propertyNameText(member.name);
    if (binding && QUEUE_PACKAGES.has(binding.module) && name !== undefined) names.add(name);
  }
  return names;
}

/** Whether the function hands work to one of the queues: `this.queue.add(fn)`, `this.limit(fn)`. */
function handsWorkTo(fn: ts.Node, queues: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const receiver = skipOuterExpressions(callee.expression);
        if (isQueueField(receiver, queues) && HAND_OFF.has(callee.name.text)) found = true;
        else if (isQueueField(callee, queues)) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

function isQueueField(node: ts.Expression, queues: ReadonlySet<string>): boolean {
  return ts.isPropertyAccessExpression(node) && node.expression.kind === SyntaxKind.ThisKeyword && queues.has(node.name.text);
}
