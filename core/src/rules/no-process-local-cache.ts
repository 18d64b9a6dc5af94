import ts = require('typescript');
import { describeRoutes, pathSteps, primaryReach, type AnalysisContext } from '../analysis/context';
import { isAnnouncedToOtherInstances } from '../analysis/event-listeners';
import { statesFilledInBackground } from '../analysis/background-state';
import { getStartupReach } from '../analysis/startup';
import { isClientBuiltFromSettings, isDroppedLazyLoad, isReplacedWhole, mutationsOfState, type StateWithWrites } from '../analysis/shared-state';
import { isAllowedName, reportStates, sortReaches } from '../analysis/state-findings';
import { findResponseCaches } from '../analysis/response-caches';
import { getFileFacts } from '../analysis/file-facts';
import { CACHE_FILL_METHODS, libraryInstancesIn, libraryStaleness, type LibraryInstance } from '../analysis/state-libraries';
import { describeDuration, holdsReferenceData, isInvalidatedBeforeExpiry, isSavedAsSetting, isSharedData, stalenessOfStateCache, storesLoadedData } from '../analysis/staleness';
import { isOneWaySwitch, isToggledSetting, storedValue } from '../analysis/state-use';
import { isPreloadedCopyOfRecords, isWrittenThroughCopy, mirrorsStoredDocument, mirrorsStoredDocumentThroughSetter } from '../analysis/stored-documents';
import { isNonServerPath } from '../analysis/paths';
import { spanOf } from '../analysis/text';
import type { RuleDefinition } from '../rule-definition';

export const noProcessLocalCache: RuleDefinition<'no-process-local-cache'> = {
  id: 'no-process-local-cache',
  description: 'Disallow caches of shared, changing data in process memory',
  whatBreaks:
    'Each instance caches its own copy: after a write through one instance, the others keep serving the old data until their copy expires or the process restarts.',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    cacheInMemory:
      '`{{name}}` caches shared data in this process; it is written by {{route}}. When another instance changes that data, this copy stays stale {{staleness}}.',
    cacheLibraryInMemory:
      '{{library}} `{{name}}` caches shared data in this process; it is filled by {{route}}. When another instance changes that data, this copy stays stale {{staleness}}.',
    responseCacheInMemory:
      '{{library}} `{{name}}` keeps whole responses in this process for {{route}}. When another instance changes the data behind a response, this instance keeps serving the old one {{staleness}}.',
    cacheFilledBySchedule:
      '`{{name}}` holds shared data that the scheduled job `{{callee}}` loads into this process {{when}}, and {{route}} reads it. That job does shared work and belongs on one instance: there, the other instances read a copy that nothing fills.',
    cacheFilledByConsumer:
      '`{{name}}` holds what the {{library}} consumer `{{callee}}` receives in this process, and {{route}} reads it. The queue hands each message to one consumer: every instance holds only its share, and answers without the rest.',
    cacheMoveToRedis: 'Move `{{name}}` to the Redis cache ({{adapter}})',
    cacheMoveToValue: 'Keep `{{name}}` in Redis, where every instance reads what was last set ({{adapter}})',
    nestCacheToRedis: 'Give CacheModule a Redis store where it is registered, so every instance reads and deletes in one cache',
    hapiCacheToRedis: "Give the hapi server a Redis cache provider where it is created ({{where}}), so every instance shares `{{name}}`'s cached results and their drops",
  },
  optionsSchema: {
    type: 'object',
    properties: {
      maxStalenessSeconds: {
        type: 'number',
        minimum: 0,
        description:
          'Caches whose entries expire within this many seconds (an explicit TTL) are accepted as knowingly stale and not reported. A longer TTL is reported only when the code also drops or overwrites entries before they expire.',
      },
      checkLibraries: {
        type: 'boolean',
        description: 'Report process-local cache libraries (lru-cache, node-cache, memory-cache) filled on a request path, and response-cache middleware (apicache) without a Redis client on routes.',
      },
      allowNames: {
        type: 'array',
        items: { type: 'string' },
        description: 'Names of caches that are knowingly per instance; `/regex/` strings match by pattern.',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { maxStalenessSeconds: 60, checkLibraries: true, allowNames: [] },
  hasSuggestions: false,
  check(context, options) {
    if (context.isIgnoredFile) return;
    const checker = context.program?.getTypeChecker();
    const maxStaleness = options.maxStalenessSeconds * 1000;
    reportStates(context, {
      ruleId: 'no-process-local-cache',
      messageId: 'cacheInMemory',
      classification: 'cache',
      verb: 'written',
      allowNames: options.allowNames,
      describe: ({ state, writes }: StateWithWrites) => {
        const mutations = writes.map((write) => write.mutation);
        // A client rebuilt from settings a request saved or loaded holds those settings; a switch a request raised for good (a maintenance lock), or turns on and off, is one;
        // so is a value loaded on first use that a request drops.
        const holdsSharedData = isClientBuiltFromSettings(state, writes) || isDroppedLazyLoad(state, mutations) || (isReplacedWhole(state, mutations) && mutations.some((mutation) => isSavedAsSetting(state.name, mutation))) || (state.holds === 'value' && (isOneWaySwitch(mutations) || mirrorsStoredDocument(mutations, mutationsOfState(state)) || mirrorsStoredDocumentThroughSetter(writes))) || isToggledSetting(writes) || (state.holds !== 'value' && isPreloadedCopyOfRecords(state.name, writes, mutationsOfState(state))) || isWrittenThroughCopy(state.name, writes, mutationsOfState(state)) || writes.some(({ mutation, reaches }) => {
          const value = storedValue(mutation);
          if (holdsReferenceData(mutation)) return false;
          return (value !== undefined && isSharedData(value, checker)) || storesLoadedData(mutation, reaches, checker);
        });
        if (!holdsSharedData) return undefined;
        // Reloaded here and announced to the other instances, which run the same reload (a handler that boots
        // the application, as a set-up server's does, reaches the reload through start-up code: every instance runs that).
        const filesMatching = (pattern: RegExp): readonly ts.SourceFile[] => context.graph.resolver.filesMatching(pattern) ?? context.graph.files.filter((file) => pattern.test(file.text));
        const startup = getStartupReach(context.graph, context.program, context.config.requestPath.maxDepth);
        const reaches = writes.flatMap((write) => write.reaches);
        const announced = reaches.filter((reach) => isAnnouncedToOtherInstances(reach.calls, filesMatching));
        const isStartUp = (reach: (typeof reaches)[number]): boolean => reach.calls.length > 0 && startup.runsAtStartUp(reach.calls[reach.calls.length - 1]);
        if (announced.length > 0 && reaches.every((reach) => announced.includes(reach) || isStartUp(reach))) return undefined;
        const staleness = stalenessOfStateCache(mutations);
        if (staleness === undefined || staleness <= maxStaleness) return undefined;
        // Entries that only expire are as stale on one instance as on N: only forgetting them on one instance is a scaling hazard.
        if (staleness !== Infinity && !isInvalidatedBeforeExpiry(mutations, (fn) => isCalledOnlyByTests(fn, context))) return undefined;
        return { staleness: describeStaleness(staleness, 'until this process restarts') };
      },
    });
    reportBackgroundStates(context, options.allowNames);
    if (!options.checkLibraries) return;
    for (const instance of libraryInstancesIn(context.graph, context.sourceFile)) {
      if (instance.kind !== 'cache' || isAllowedName(instance.name, options.allowNames)) continue;
      const fills = instance.uses.filter((use) => CACHE_FILL_METHODS.has(use.method) && (use.method === 'fetch' || fillsSharedData(use, checker)));
      if (fills.length === 0) continue;
      const staleness = libraryStaleness(instance);
      if (staleness === undefined || staleness <= maxStaleness) continue;
      if (staleness !== Infinity && instance.invalidations?.length === 0) continue;
      const reaches = sortReaches(fills.flatMap((use) => use.reaches));
      const first = primaryReach(reaches)!;
      const firstUse = fills.find((use) => use.reaches.some((reach) => reach.entry === first.entry && reach.calls === first.calls)) ?? fills[0];
      context.report({
        ruleId: 'no-process-local-cache',
        messageId: 'cacheLibraryInMemory',
        data: { library: instance.library, name: instance.name, route: describeRoutes(reaches, context.graph), staleness: describeStaleness(staleness, 'until it is evicted or this process restarts') },
        node: instance.creation,
        path: pathSteps(first, firstUse.call, `fills ${instance.name}`),
        related: fills.map((use) => ({ ...spanOf(use.call), message: `${instance.name} is filled here on ${sortReaches(use.reaches)[0].entry.label}` })),
      });
    }
    for (const cache of findResponseCaches(context.graph, context.sourceFile)) {
      if (isAllowedName(cache.name, options.allowNames) || cache.staleness === undefined || cache.staleness <= maxStaleness) continue;
      const reaches = sortReaches(cache.uses.flatMap((use) => use.reaches));
      const first = primaryReach(reaches);
      const labels = cache.uses.flatMap((use) => (use.label ? [use.label] : []));
      const route = first ? describeRoutes(reaches, context.graph) : labels.length === 1 ? labels[0] : `${labels[0]} and ${labels.length - 1} other uses`;
      const firstUse = (first && cache.uses.find((use) => use.reaches.includes(first))) ?? cache.uses[0];
      context.report({
        ruleId: 'no-process-local-cache',
        messageId: 'responseCacheInMemory',
        data: { library: cache.library, name: cache.name, route, staleness: describeStaleness(cache.staleness, 'until this process restarts') },
        node: cache.node,
        path: first ? pathSteps(first, firstUse.call, `caches the response with ${cache.name}`) : [],
        related: cache.uses.map((use) => ({ ...spanOf(use.call), message: `responses are kept in this process here${use.reaches.length > 0 ? ` (${sortReaches(use.reaches)[0].entry.label})` : ''}` })),
      });
    }
  },
};

/** State only a scheduled job or a queue consumer of every instance fills, read by requests: reported at its declaration. */
function reportBackgroundStates(context: AnalysisContext, allowNames: readonly string[]): void {
  const startup = getStartupReach(context.graph, context.program, context.config.requestPath.maxDepth);
  for (const { state, filledBy, fills, reads } of statesFilledInBackground(context.graph, context.sourceFile, startup, context.program?.getTypeChecker())) {
    if (isAllowedName(state.name, allowNames)) continue;
    const reaches = sortReaches(reads.flatMap((read) => read.reaches));
    const first = primaryReach(reaches)!;
    const firstRead = reads.find((read) => read.reaches.includes(first)) ?? reads[0];
    const route = describeRoutes(reaches, context.graph);
    const filler = filledBy.kind === 'schedule' ? `the job \`${filledBy.callee}\` starts` : `the consumer \`${filledBy.callee}\``;
    context.report({
      ruleId: 'no-process-local-cache',
      ...(filledBy.kind === 'schedule'
        ? { messageId: 'cacheFilledBySchedule', data: { name: state.name, callee: filledBy.callee, when: filledBy.when, route } }
        : { messageId: 'cacheFilledByConsumer', data: { name: state.name, callee: filledBy.callee, library: filledBy.library, route } }),
      node: state.nameNode,
      path: pathSteps(first, firstRead.node, `reads ${state.name}`),
      related: [
        ...fills.map((fill) => ({ ...spanOf(fill.node), message: `${state.name} is filled here by ${filler}` })),
        ...reads.map((read) => ({ ...spanOf(read.node), message: `${state.name} is read here on ${sortReaches(read.reaches)[0].entry.label}` })),
      ],
    });
  }
}

/**
 * A library fill stores shared data: the value is loaded here (`cache.set(id, await db.find(id))`),
 * or it is what the caller of a wrapper loaded and passed in (`set(user) { this.cache.set(user.id,
 * user) }` called with `await User.findByPk(id)`), as for caches kept in a Map.
 */
function fillsSharedData(use: LibraryInstance['uses'][number], checker: ts.TypeChecker | undefined): boolean {
  const value = use.call.arguments[1];
  if (value === undefined) return false;
  if (isSharedData(value, checker)) return true;
  const mutation = getFileFacts(use.call.getSourceFile()).mutations.find((candidate) => candidate.node === use.call);
  return mutation !== undefined && storesLoadedData(mutation, use.reaches, checker);
}

/**
 * A helper its own file never calls and that only test files name (`export const resetUsageCache =
 * () => …`, called between test cases): what it does to a cache, no request does. One no file names
 * may be called from anywhere (a package's export): that proves nothing.
 */
function isCalledOnlyByTests(fn: ts.Node, context: AnalysisContext): boolean {
  const declaration = ts.isFunctionDeclaration(fn) ? fn : fn.parent;
  const name = declaration && (ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration)) && declaration.name && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  if (name === undefined) return false;
  const pattern = new RegExp(`(?:^|[^\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  const file = fn.getSourceFile();
  if ((file.text.match(pattern) ?? []).length !== 1) return false;
  const mentions = (other: ts.SourceFile): boolean => new RegExp(pattern.source).test(other.text);
  const { program } = context;
  // Without a program or a project index the other files are unknown: anything may call it.
  const files = program ? program.getSourceFiles().filter((other) => !other.isDeclarationFile && !program.isSourceFileFromExternalLibrary(other) && mentions(other)) : context.graph.resolver.filesMatching(new RegExp(pattern.source));
  const callers = files?.filter((other) => other !== file);
  return callers !== undefined && callers.length > 0 && callers.every((other) => isNonServerPath(context.graph.displayPath(other.fileName)));
}

function describeStaleness(milliseconds: number, withoutTtl: string): string {
  return milliseconds === Infinity ? withoutTtl : `for up to ${describeDuration(milliseconds)} (its TTL)`;
}
