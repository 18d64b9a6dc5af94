import ts = require('typescript');
import { describeRoutes, pathSteps, primaryReach } from '../analysis/context';
import { enclosingFunction } from '../analysis/request-graph';
import type { StateWithWrites } from '../analysis/shared-state';
import { isAllowedName, reportStates, sortReaches } from '../analysis/state-findings';
import { guardsChildProcessRestart, guardsServedCopyFill, isKeyedByDrawnIdentifier, isKeyedByHandedLocalFile, isKeyedByLocalFile } from '../analysis/local-locks';
import { CACHE_FILL_METHODS, isLockRegistry, libraryInstancesIn, type LibraryInstance } from '../analysis/state-libraries';
import { guardsCopyRefresh, guardsOnlyLocalResources } from '../analysis/state-use';
import { spanOf } from '../analysis/text';
import type { RuleDefinition } from '../rule-definition';

export const noInProcessLock: RuleDefinition<'no-in-process-lock'> = {
  id: 'no-in-process-lock',
  description: 'Disallow locks that only exclude requests in the same process',
  whatBreaks:
    'A lock in process memory excludes only the requests of its own instance: two requests on two instances take "the" lock at the same time and run the guarded work twice.',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    lockInProcess:
      '`{{name}}` guards work only within this process; it is taken by {{route}}. A request on another instance does not see it and runs the same work at the same time.',
    lockLibraryInProcess:
      '{{library}} `{{name}}` excludes only callers in this process; it is used by {{route}}. A request on another instance runs the guarded work at the same time.',
    lockMoveToRedis: 'Take `{{name}}` as a Redis lock ({{adapter}})',
    throttleMoveToRedis: 'Take a Redis lock for each period instead of stamping `{{name}}` ({{adapter}})',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      checkLibraries: {
        type: 'boolean',
        description:
          'Report lock libraries used on a request path: async-mutex Mutex and Semaphore (also behind withTimeout), async-lock, and p-limit, p-queue or Bottleneck limited to one at a time.',
      },
      allowNames: {
        type: 'array',
        items: { type: 'string' },
        description: "Names of locks that knowingly guard only this process's own resources; `/regex/` strings match by pattern.",
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { checkLibraries: true, allowNames: [] },
  hasSuggestions: false,
  check(context, options) {
    if (context.isIgnoredFile) return;
    reportStates(context, {
      ruleId: 'no-in-process-lock',
      messageId: 'lockInProcess',
      classification: 'lock',
      verb: 'changed',
      allowNames: options.allowNames,
      describe: ({ state, writes }: StateWithWrites) => {
        const functions = isLockRegistry(writes.map((write) => write.mutation)) ? registryCallers(state.nameNode, writes) : writes.map((write) => write.mutation.function);
        const mutations = writes.map((write) => write.mutation);
        return guardsOnlyLocalResources(functions) || guardsCopyRefresh(functions) || guardsChildProcessRestart(functions) || isTaskQueue(writes) || isKeyedByLocalFile(mutations) || isKeyedByHandedLocalFile(writes) || isKeyedByDrawnIdentifier(mutations) ? undefined : {};
      },
    });
    if (!options.checkLibraries) return;
    for (const instance of libraryInstancesIn(context.graph, context.sourceFile)) {
      if (instance.kind !== 'lock' || isAllowedName(instance.name, options.allowNames)) continue;
      const uses = instance.uses.filter((use) => !CACHE_FILL_METHODS.has(use.method));
      if (uses.length === 0 || guardsOnlyLocalResources(uses.map(guardedWork))) continue;
      if (uses.every((use) => guardsServedCopyFill(guardedWork(use), enclosingFunction(use.call)))) continue;
      const reaches = sortReaches(uses.flatMap((use) => use.reaches));
      const first = primaryReach(reaches)!;
      const firstUse = uses.find((use) => use.reaches.some((reach) => reach.entry === first.entry && reach.calls === first.calls)) ?? uses[0];
      context.report({
        ruleId: 'no-in-process-lock',
        messageId: 'lockLibraryInProcess',
        data: { library: instance.library, name: instance.name, route: describeRoutes(reaches, context.graph) },
        node: instance.creation,
        path: pathSteps(first, firstUse.call, `takes ${instance.name}`),
        related: uses.map((use) => ({ ...spanOf(use.call), message: `${instance.name} is taken here on ${sortReaches(use.reaches)[0].entry.label}` })),
      });
    }
  },
};

/**
 * Where a registry of locks is used: a lock is made on first use where the registry fills it, but
 * the work it guards is its caller's, the first function on the way in from outside the class (or
 * module) that keeps the registry (`const release = await mutexes.lock(id); try { … } finally { release() }`).
 */
function registryCallers(nameNode: ts.Node, writes: StateWithWrites['writes']): (ts.Node | undefined)[] {
  const owner: ts.Node = ts.findAncestor(nameNode, ts.isClassLike) ?? nameNode.getSourceFile();
  const inOwner = (node: ts.Node): boolean => node.getSourceFile() === owner.getSourceFile() && node.pos >= owner.pos && node.end <= owner.end;
  return writes.flatMap(({ mutation, reaches }) =>
    reaches.map((reach) => {
      const outside = [...reach.calls].reverse().find((call) => !inOwner(call));
      return outside ? enclosingFunction(outside) : mutation.function;
    }),
  );
}

/**
 * A promise chain that runs whatever task its caller passes (`this.tail = this.tail.then(task)`):
 * a queue class whose work is chosen where it is used, so the field says nothing about what it
 * guards. Reported, if at all, where a lock library is used; the class itself is not the hazard.
 */
function isTaskQueue(writes: StateWithWrites['writes']): boolean {
  return writes.every(({ mutation }) => {
    const node = mutation.node;
    const fn = mutation.function;
    if (!fn || !ts.isFunctionLike(fn) || !ts.isBinaryExpression(node) || !mutation.isReassignment) return false;
    const parameters = new Set(fn.parameters.flatMap((parameter) => (ts.isIdentifier(parameter.name) ? [parameter.name.text] : [])));
    let chainsParameter = false;
    const visit = (child: ts.Node): void => {
      if (ts.isCallExpression(child) && ts.isPropertyAccessExpression(child.expression) && child.expression.name.text === 'then' && child.arguments.some((argument) => ts.isIdentifier(argument) && parameters.has(argument.text))) chainsParameter = true;
      ts.forEachChild(child, visit);
    };
    visit(fn);
    return chainsParameter;
  });
}

/** The work a lock call guards: the callback it runs (`runExclusive(fn)`, `acquire(key, fn)`, `limit(fn)`), or the function that calls `acquire()`. */
function guardedWork(use: LibraryInstance['uses'][number]): ts.Node | undefined {
  const callback = use.call.arguments.find((argument) => ts.isArrowFunction(argument) || ts.isFunctionExpression(argument));
  if (callback) return callback;
  let current: ts.Node | undefined = use.call.parent;
  while (current && !ts.isFunctionLike(current)) current = current.parent;
  return current;
}
