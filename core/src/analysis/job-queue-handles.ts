import ts = require('typescript');
import { getFileFacts, type Mutation } from './file-facts';
import { resolveImportedMember } from './imports';
import { isRemoval } from './process-work';
import { localInitializer } from './scope';
import { storedValue } from './state-use';
import { propertyNameText, skipOuterExpressions } from './text';

/** Classes of job-queue libraries whose instances are handles to a queue kept in Redis (a default import's path is empty). */
const JOB_QUEUE_CLASSES = new Map<string, ReadonlySet<string>>([
  ['bullmq', new Set(['Queue', 'Worker', 'QueueEvents', 'FlowProducer'])],
  ['bull', new Set(['', 'default'])],
  ['bee-queue', new Set(['', 'default'])],
]);

/** `new Queue(name, …)` of BullMQ, Bull or Bee-Queue, with its arguments. */
function isJobQueueConstruction(expression: ts.Expression): expression is ts.NewExpression {
  const value = skipOuterExpressions(expression);
  if (!ts.isNewExpression(value)) return false;
  const member = resolveImportedMember(value.expression, getFileFacts(value.getSourceFile()).imports);
  return member !== undefined && (JOB_QUEUE_CLASSES.get(member.module)?.has(member.path.join('.')) ?? false);
}

/**
 * Whether a stored value is a job-queue handle: `new Queue(…)` in place or through a local, or a
 * property of the object a same-file factory returns (`const { queue: mailQueue } = makeQueue(region)`
 * where `makeQueue` ends with `return { queue, worker }`). Such a handle is how this process reaches a
 * queue every instance shares, not data of its own.
 */
export function isJobQueueHandle(stored: ts.Expression): boolean {
  const value = skipOuterExpressions(stored);
  if (isJobQueueConstruction(value)) return true;
  if (!ts.isIdentifier(value)) return false;
  const initializer = localInitializer(value);
  if (!initializer) return false;
  const declaration = initializer.parent;
  if (ts.isVariableDeclaration(declaration) && ts.isObjectBindingPattern(declaration.name)) {
    const element = declaration.name.elements.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === value.text);
    const property = element && (element.propertyName ? propertyNameText(element.propertyName) : value.text);
    return property !== undefined && factoryReturnsJobQueue(initializer, property);
  }
  return isJobQueueConstruction(initializer);
}

/** `makeQueue(…)` naming a function of the same file whose every returned object holds a job-queue handle under `property`. */
function factoryReturnsJobQueue(call: ts.Expression, property: string): boolean {
  const value = skipOuterExpressions(call);
  if (!ts.isCallExpression(value) || !ts.isIdentifier(value.expression)) return false;
  const name = value.expression.text;
  const factory = value.getSourceFile().statements.find((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === name);
  if (!factory?.body) return false;
  const returned: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(factory.body, visit);
  return (
    returned.length > 0 &&
    returned.every((expression) => {
      const object = skipOuterExpressions(expression);
      if (!ts.isObjectLiteralExpression(object)) return false;
      const field = object.properties.find((candidate) => candidate.name !== undefined && propertyNameText(candidate.name) === property);
      if (field && ts.isShorthandPropertyAssignment(field)) return isJobQueueHandle(field.name);
      return field !== undefined && ts.isPropertyAssignment(field) && isJobQueueHandle(field.initializer);
    })
  );
}

/**
 * Every entry stored is a job-queue handle (`queues.set(region, new Queue(region))`); a call on a
 * stored entry (`queues[tenant].add(job)`) uses the handle and stores nothing.
 */
export function holdsJobQueueHandles(mutations: readonly Mutation[]): boolean {
  const fills = mutations.filter((mutation) => !isRemoval(mutation) && !mutation.isReassignment && !callsAnEntry(mutation));
  return (
    fills.length > 0 &&
    fills.every((mutation) => {
      const value = storedValue(mutation);
      return value !== undefined && isJobQueueHandle(value);
    })
  );
}

/** `queues[tenant].add(…)` or `queues.get(region).pause()`: a method of an entry, not of the collection. */
function callsAnEntry(mutation: Mutation): boolean {
  const node = mutation.node;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const receiver = skipOuterExpressions(node.expression.expression);
  return ts.isElementAccessExpression(receiver) || (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.name.text === 'get');
}
