import ts = require('typescript');
import type { FixPlan, RemovedStatement, TextEdit } from '../types';
import type { SharedState } from '../analysis/shared-state';
import { isCommonJsExportTarget, isModuleExports } from '../analysis/module-exports';
import { localInitializer } from '../analysis/scope';
import { globalSingletonValue, short, skipOuterExpressions, within } from '../analysis/text';
import { importEdit, moduleSpecifier, statementSpan, useAdapter } from './module-edits';
import { referencesOf } from './references';
import { changesThroughCallers, writeBackOf, type WriteBack } from './write-back';
import { changedEntry, listingUse } from './map-listing';
import { listPlan } from './list-state';
import type { FixContext } from './context';
import { counterRecordPlan, decoratedRecord } from './counter-records';
import { windowedCountPlan } from './windowed-counts';
import { isEntryLog, isPushOnto, logWindowSeconds } from './window-logs';
import { countedReads, isCountWrite } from './counted-values';
import { entryExpiryTimer, renewalOf, sweepOf, ttlOption, type Sweep } from './sweeps';
import { fastifyDecoration, unresolvedUse } from './decorations';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Map methods the adapters offer, all async. */
const STORE_METHODS = new Set(['get', 'set', 'has', 'delete']);
/** A counter Map's: a store's, and `clear()` (a daily count emptied at midnight) empties every count on every instance. */
const COUNTER_MAP_METHODS = new Set([...STORE_METHODS, 'clear']);

export type PlanResult = { plan: Omit<FixPlan, 'message'> } | { refused: string };

/**
 * Moves a module-level `Map` of sessions to the Redis session-store adapter: the declaration
 * becomes `createSessionStore<V>('name')`, every `get/set/has/delete` is awaited, and the
 * functions around them become async up through their callers.
 */
export function sessionStorePlan(state: SharedState, context: FixContext, perUser = true): PlanResult {
  // A per-key count in a time window (a login limiter) is a counter with a TTL, not a session.
  const windowed = windowedCountPlan(state, context);
  if (windowed) return windowed;
  return withExpiry(state, perUser, mapToAdapter(state, context, { adapter: 'session-store.ts', factory: 'createSessionStore', messageId: 'sessionMoveToStore', objects: true, lists: true, appends: true, ...(perUser ? {} : { ttlSeconds: 0 }) }));
}

/**
 * The application's own records (a page's view count, a game) moved to the session store never
 * expire, as nothing expired them in the Map; a user's entries expire after SESSION_TTL_SECONDS of
 * no write, as sessions do. A sweep's age or a timer's TTL, where the code has one, is kept.
 */
function withExpiry(state: SharedState, perUser: boolean, moved: PlanResult): PlanResult {
  if (perUser || !('plan' in moved)) return moved;
  const creation = moved.plan.edits.find((edit) => /^createSessionStore\b/.test(edit.newText));
  if (!creation || !/\bttlSeconds: 0\b/.test(creation.newText)) return moved;
  return { plan: { ...moved.plan, notes: [...(moved.plan.notes ?? []), `\`${state.name}\` holds the application's records, not a user's: they never expire in Redis, as nothing expired them in this process`] } };
}

/**
 * Moves a counter to the Redis counter adapter. A `Map<K, number>` becomes `createCounterMap`,
 * `m.set(k, (m.get(k) ?? 0) + 1)` becomes one atomic `m.increment(k)`; a `let n = 0` becomes
 * `createCounter`, `n++` / `n += k` become `n.increment(k)` and reads of `n` become `n.get()`.
 */
export function counterPlan(state: SharedState, context: FixContext, perUser = true): PlanResult {
  // A count per key in a time window (a login limiter's `{ since, count }` per ip): the window becomes the count's TTL.
  const windowed = windowedCountPlan(state, context, 'counterWindowMoveToRedis');
  if (windowed) return windowed;
  // A list of entries per key compared with a limit (a sliding window's log of times per client) is no count either: the lists move to the Redis store.
  if (state.holds === 'map' && isEntryLog(state, context)) return entryLogPlan(state, context);
  if (state.holds === 'map') return orRecords(state, context, perUser, mapToAdapter(state, context, { adapter: 'counter.ts', factory: 'createCounterMap', messageId: 'counterMoveToRedis', methods: COUNTER_MAP_METHODS, increments: true }));
  if (state.holds === 'value') return valueCounter(state, context);
  if (state.holds === 'object') return orRecords(state, context, perUser, objectCounter(state, context));
  // A list of entries compared with a limit (a sliding window's log, loans counted per member) is no count: its entries move to a Redis list every instance reads.
  if (state.holds === 'array') {
    const moved = listPlan(state, context);
    return 'plan' in moved ? { plan: { ...moved.plan, messageId: 'counterMoveToList' } } : moved;
  }
  return { refused: `\`${state.name}\` is not a Map or a number` };
}

/**
 * Counts kept in records (`failures[email] ?? { count: 0, lockedUntil: 0 }`, the count and the lock
 * changed, the record set back) are no numbers the Redis counter can hold: the records move to the
 * Redis store whole, each change read and written back as the code already does. The counter's
 * refusal stands when the records cannot move either.
 */
function orRecords(state: SharedState, context: FixContext, perUser: boolean, counted: PlanResult): PlanResult {
  if (!('refused' in counted) || !IN_PLACE_CHANGE.test(counted.refused)) return counted;
  const records = mapToAdapter(state, context, { adapter: 'session-store.ts', factory: 'createSessionStore', messageId: 'counterRecordsMoveToStore', objects: true, ...(perUser ? {} : { ttlSeconds: 0 }) });
  return 'plan' in records ? withExpiry(state, perUser, records) : counted;
}

const IN_PLACE_CHANGE = /changes a value read from `[^`]+` in place, and the store would not keep the change$|^`[^`]+` holds .+ values, and the Redis counter holds numbers$|stores what may not be a number, and the Redis counter holds numbers$/;

export interface MapAdapter {
  adapter: string;
  factory: string;
  messageId: string;
  /** Map methods the adapter offers (default: get, set, has, delete). */
  methods?: ReadonlySet<string>;
  /** Rewrite read-modify-write increments into one atomic `increment`. */
  increments?: boolean;
  /** The store lists its entries in order (`values`, `keys`, `entries`, `size`) when the Map is read whole. */
  lists?: boolean;
  /** A plain object used as a store (`o[k] = v`, `o[k]`, `delete o[k]`, `k in o`) moves too. */
  objects?: boolean;
  /** `m.get(k).push(x)` becomes the store's atomic `append`. */
  appends?: boolean;
  /** The store's expiry when no sweep says it (seconds; 0 never expires). */
  ttlSeconds?: number;
}

/**
 * A log of entries per key (times of a client's recent requests, trimmed to a window and counted
 * against a limit) moves to the Redis store as lists, appended to in one step. Each key expires a
 * window after its last write, when every entry in it is older than the window; without a window
 * the code spells out, never, as the Map kept them.
 */
function entryLogPlan(state: SharedState, context: FixContext): PlanResult {
  const seconds = logWindowSeconds(state, context);
  const moved = mapToAdapter(state, context, { adapter: 'session-store.ts', factory: 'createSessionStore', messageId: 'counterMoveToLog', lists: true, appends: true, ttlSeconds: seconds ?? 0 });
  if (!('plan' in moved)) return moved;
  const expiry =
    seconds === undefined
      ? `the lists of \`${state.name}\` never expire in Redis, as the Map kept them: no window the code spells out says when their entries are all stale`
      : `each list of \`${state.name}\` expires ${seconds} s after its last write, the window its filter keeps, when every entry in it is older than that`;
  return { plan: { ...moved.plan, notes: [...(moved.plan.notes ?? []), expiry] } };
}

/** Where a Map is created: a module variable, a field of a singleton, or `this.x = new Map()` in its constructor. */
interface MapDeclaration {
  name: ts.Identifier;
  initializer: ts.Expression;
  /** The annotation the store's type replaces (`: Map<string, Session>`), from the name's end. */
  type?: ts.TypeNode;
  /** A Fastify decoration's declared type (`sessions: Map<string, Agent>` on `FastifyInstance`), which becomes the store's type. */
  memberType?: ts.TypeNode;
}

function mapDeclarationOf(state: SharedState, objects = false, context?: FixContext): MapDeclaration | string {
  const kind = state.kind === 'module' ? 'a module variable' : state.kind === 'closure' ? 'a variable of a factory' : state.kind === 'static' ? 'a static field' : 'a field';
  if (state.holds !== 'map' && !(objects && state.holds === 'object')) return `only a Map${objects ? ' or an object' : ''} can move to the adapter, and \`${state.name}\` is a${state.holds === 'object' || state.holds === 'array' ? 'n' : ''} ${state.holds}`;
  const parent = state.nameNode.parent;
  if ((state.kind === 'module' || state.kind === 'closure') && ts.isVariableDeclaration(parent) && parent.initializer && ts.isIdentifier(parent.name)) return { name: parent.name, initializer: parent.initializer, type: parent.type };
  // module.exports = { sessions: {} }: a property of the exported object
  if (state.kind === 'module' && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return { name: parent.name, initializer: parent.initializer };
  if (state.kind === 'singleton-field' && ts.isPropertyDeclaration(parent) && parent.initializer && ts.isIdentifier(parent.name)) return { name: parent.name, initializer: parent.initializer, type: parent.type };
  // this.sessions = new Map() in the constructor
  if (state.kind === 'singleton-field' && ts.isIdentifier(state.nameNode) && ts.isPropertyAccessExpression(parent) && ts.isBinaryExpression(parent.parent) && parent.parent.left === parent) return { name: state.nameNode, initializer: parent.parent.right };
  if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'decorate') {
    // Its uses are the references of the member the decoration is declared as.
    const decoration = context ? fastifyDecoration(parent, context.program) : undefined;
    if (context && decoration && typeof decoration === 'object') {
      const unknown = unresolvedUse(state.name, context.program);
      if (unknown) return `\`${state.name}\` is a Fastify decoration, and \`${unknown.getText()}\` (${context.where(unknown)}) is a use whose type is not known: the fix cannot tell whether it reads the decoration`;
      return { name: decoration.member.name, initializer: decoration.value, memberType: decoration.member.type };
    }
    return `\`${state.name}\` is a Fastify decoration (\`${parent.expression.getText()}('${state.name}', …)\`), read through the Fastify instance: ${typeof decoration === 'string' ? decoration : 'the fix cannot move a decoration yet'}`;
  }
  return `\`${state.name}\` is ${kind} the fix cannot rewrite`;
}

/**
 * The name a state keeps in Redis. A field is named with its class (`'Mailer.sent'`,
 * `'VetsService.cache'`): the services of one app each keep a `count` or a `cache`, and two of
 * them under one name would read and clear each other's entries.
 */
export function storeNameOf(state: SharedState): string {
  const owner = state.kind === 'singleton-field' ? ts.findAncestor(state.nameNode, ts.isClassLike)?.name?.text : undefined;
  return owner ? `${owner}.${state.name}` : state.name;
}

/** The expression a use goes through: `sessions` for a module Map, `this.sessions` for a field. */
function holderOf(reference: ts.Identifier): ts.Expression {
  return ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
}

export function mapToAdapter(state: SharedState, context: FixContext, target: MapAdapter): PlanResult {
  const declaration = mapDeclarationOf(state, target.objects, context);
  if (typeof declaration === 'string') return { refused: declaration };
  const initializer = globalSingletonValue(declaration.initializer);
  const isObject = ts.isObjectLiteralExpression(initializer);
  if (isObject ? initializer.properties.length > 0 : !ts.isNewExpression(initializer) || (initializer.arguments?.length ?? 0) > 0) return { refused: `\`${state.name}\` starts with entries` };
  const valueType = ts.isNewExpression(initializer) ? mapValueType(declaration, initializer) : objectValueType(declaration);
  const rewriter = context.rewriter();
  const edits: TextEdit[] = [];
  const removedStatements: RemovedStatement[] = [];
  const skipped = new Set<ts.Node>();
  // `set` calls first: an increment they form consumes the `get` inside it.
  const isSetCall = (reference: ts.Identifier): boolean => ts.isPropertyAccessExpression(holderOf(reference).parent) && (holderOf(reference).parent as ts.PropertyAccessExpression).name.text === 'set';
  const references = referencesOf(context.program, declaration.name)
    .filter((reference) => !isInitialAssignment(reference, declaration))
    .sort((a, b) => Number(isSetCall(b)) - Number(isSetCall(a)));
  // A timer deleting old entries is what the store's TTL does: found first, so its uses are not rewritten.
  let sweep: Sweep | undefined;
  for (const reference of target.increments ? [] : references) {
    const found = sweepOf(holderOf(reference), context);
    if (typeof found === 'string') return { refused: `\`${state.name}\` is swept by a timer (${context.where(reference)}), but ${found}` };
    if (!found) continue;
    if (sweep) return { refused: `\`${state.name}\` is swept by two timers (${context.where(sweep.statement)}, ${context.where(reference)})` };
    sweep = found;
  }
  const ttl = sweep ? ttlOption(sweep, declaration.initializer, context) : undefined;
  if (typeof ttl === 'string') return { refused: `\`${state.name}\` is swept by a timer (${context.where(sweep!.statement)}), but ${ttl}` };
  let ordered: boolean | 'object' = false;
  // A value changed in place is set again after each statement that changes it (once per statement).
  const writtenBackAfter = new Set<ts.Statement>();
  const keepChange = (change: ts.Node, read: ts.Expression, store: string, key: string): WriteBack | string | undefined => {
    const kept = writeBackOf(change, read, store, key, context);
    if (typeof kept !== 'object' || writtenBackAfter.has(kept.anchor)) return kept;
    writtenBackAfter.add(kept.anchor);
    edits.push(...kept.edits);
    rewriter.requireAsync(kept.anchor);
    return kept;
  };
  for (const reference of references) {
    if (skipped.has(reference) || (sweep && within(reference, sweep.statement)) || isImportOrExportName(reference)) continue;
    const holder = holderOf(reference);
    if (isObject) {
      const use = objectStoreUse(holder);
      const returned = 'key' in use && use.key !== undefined ? changesThroughCallers(use.node, context.program, changesThrough)[0] : undefined;
      if (returned) return { refused: `\`${returned.getText()}\` (${context.where(returned)}) changes in place a value a function returns from \`${state.name}\`, and the store would not keep the change` };
      if ('unsupported' in use) return { refused: `\`${use.unsupported.getText()}\` (${context.where(use.why ? use.unsupported : reference)}) ${use.why ?? 'has no counterpart in the Redis adapter'}` };
      if (use.listing) ordered = 'object';
      for (const change of use.changes ?? []) {
        if (use.key !== undefined && writtenBack(change, holder.getText(), use.key)) continue;
        // `session.lastSeen = Date.now()` renewed what the sweep measured: the store's TTL is renewed there instead.
        const renewal = sweep && use.key !== undefined ? renewalOf(change, sweep, holder.getText(), use.key, context) : undefined;
        if (typeof renewal === 'object') {
          edits.push(...renewal);
          rewriter.requireAsync(change);
          continue;
        }
        const kept = renewal ?? (use.key !== undefined && !target.increments ? keepChange(change, use.node, holder.getText(), use.key) : undefined);
        if (typeof kept !== 'object') return { refused: kept ?? `\`${change.getText()}\` (${context.where(change)}) changes a value read from \`${state.name}\` in place, and the store would not keep the change` };
      }
      rewriter.awaitExpression(use.node, use.text);
      continue;
    }
    const listing = target.lists ? listingUse(holder) : undefined;
    if (listing && 'unsupported' in listing) return { refused: `\`${listing.unsupported.getText()}\` (${context.where(listing.unsupported)}) ${listing.why}` };
    if (listing) {
      // Read whole: the store keeps the order keys were first set in, and lists them in it.
      if (listing.awaited) {
        const listed = listing.node.getSourceFile();
        edits.push({ fileName: listed.fileName, start: listing.node.getStart(listed), end: listing.node.getEnd(), newText: listing.text });
        rewriter.requireAsync(listing.node);
      } else rewriter.awaitExpression(listing.node, listing.text);
      ordered = true;
      continue;
    }
    const access = holder.parent;
    // `todos.clear()`: the store empties its namespace on every instance.
    if (target.lists && ts.isPropertyAccessExpression(access) && access.expression === holder && access.name.text === 'clear' && ts.isCallExpression(access.parent) && access.parent.expression === access && access.parent.arguments.length === 0) {
      rewriter.awaitExpression(access.parent);
      continue;
    }
    if (!ts.isPropertyAccessExpression(access) || access.expression !== holder || !(target.methods ?? STORE_METHODS).has(access.name.text) || !ts.isCallExpression(access.parent) || access.parent.expression !== access) {
      return { refused: `\`${access.getText()}\` (${context.where(reference)}) has no counterpart in the Redis adapter` };
    }
    const call = access.parent;
    // `tokens.set(t, v); setTimeout(() => tokens.delete(t), ms);`: the entry is set with that TTL, and the timer goes.
    const expiry = !target.increments && access.name.text === 'set' ? entryExpiryTimer(call, holder.getText()) : undefined;
    if (expiry) {
      edits.push(expiry.ttl, { fileName: expiry.removal.fileName, start: expiry.removal.start, end: expiry.removal.end, newText: '' });
      removedStatements.push(expiry.removal);
      for (const inner of references) if (within(inner, expiry.deleteCall)) skipped.add(inner);
    }
    // `hits.get(ip).push(now)`: one atomic append in Redis, so appends made at once on two instances are both kept.
    if (target.appends && access.name.text === 'get' && call.arguments.length === 1 && isPushOnto(call) && !containsCall(call.arguments[0])) {
      const push = (call.parent as ts.PropertyAccessExpression).parent as ts.CallExpression;
      const file = call.getSourceFile();
      edits.push({ fileName: file.fileName, start: call.getStart(file), end: push.arguments[0].getStart(file), newText: `await ${holder.getText()}.append(${call.arguments[0].getText()}, ` });
      rewriter.requireAsync(push);
      continue;
    }
    if (target.increments && access.name.text === 'set') {
      const increment = incrementOf(call, holder.getText());
      if (increment) {
        if (increment.replacement !== undefined) rewriter.awaitExpression(call, increment.replacement);
        else {
          edits.push(...increment.edits);
          removedStatements.push(...(increment.removedStatements ?? []));
          rewriter.requireAsync(call);
        }
        for (const node of increment.consumed) skipped.add(node);
        continue;
      }
      const stored = call.arguments[1];
      // Untyped, what is stored tells; a declared value type is checked once the uses are read.
      if (stored && valueType === undefined && !isNumberValued(stored)) return { refused: `\`${call.getText()}\` (${context.where(reference)}) stores what may not be a number, and the Redis counter holds numbers` };
    }
    // A value read from the Map and changed in place would lose the change (a counter's bucket too:
    // `bucket.n += 1` on `hits.get(key)`); renewed in place where a sweep measured it, the store's TTL is renewed there instead.
    // `function memberOf(id) { return members.get(id); }` and a caller that changes what it returns: no key to write it back under.
    // `const times = …; hits.set(ip, times); return times;` and a caller that changes what it returns (`recent(ip).push(now)`):
    // the Map held that very value, the store holds a copy, so the change would be lost too.
    const storedLocal = access.name.text === 'set' && call.arguments.length === 2 ? skipOuterExpressions(call.arguments[1]) : undefined;
    const stored = storedLocal && ts.isIdentifier(storedLocal) ? localInitializer(storedLocal) : undefined;
    const returned = access.name.text === 'get' ? changesThroughCallers(call, context.program, changesThrough)[0] : stored ? changesThroughCallers(stored, context.program, changesThrough)[0] : undefined;
    if (returned) return { refused: `\`${returned.getText()}\` (${context.where(returned)}) changes in place a value a function returns from \`${state.name}\`, and the store would not keep the change` };
    for (const change of access.name.text === 'get' && call.arguments.length === 1 ? changesThrough(call) : []) {
      if (writtenBack(change, holder.getText(), call.arguments[0].getText())) continue;
      const renewal = sweep ? renewalOf(change, sweep, holder.getText(), call.arguments[0].getText(), context) : undefined;
      if (typeof renewal === 'object') {
        edits.push(...renewal);
        rewriter.requireAsync(change);
        continue;
      }
      // Counters hold numbers: a record changed in place is not one, whatever is written back.
      const kept = renewal ?? (target.increments ? undefined : keepChange(change, call, holder.getText(), call.arguments[0].getText()));
      if (typeof kept !== 'object') return { refused: kept ?? `\`${change.getText()}\` (${context.where(change)}) changes a value read from \`${state.name}\` in place, and the store would not keep the change` };
    }
    rewriter.awaitExpression(call);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  // Declared values other than numbers (what the uses above did not already name): the counter cannot hold them.
  if (target.increments && valueType !== undefined && valueType !== 'number') return { refused: `\`${state.name}\` holds ${valueType} values, and the Redis counter holds numbers` };
  const use = useAdapter(target.adapter, context.projectRoot, context.adapterDir, context.exists);
  const file = declaration.name.getSourceFile();
  // A Map read whole lists its keys: typed as the Map's (`Map<number, Todo>` lists numbers).
  // An object's keys are strings.
  const keyType = ordered === 'object' ? 'string' : ordered && ts.isNewExpression(initializer) ? mapKeyType(declaration, initializer) : undefined;
  const typeArgument = target.increments || isJavaScript(file) ? '' : `<${valueType ?? 'any'}${keyType === 'number' || keyType === 'string' ? `, ${keyType}` : ''}>`;
  // Records the app lists are its data, which no Map expired: they never expire unless a sweep said when.
  const settings = [...(ttl ? [`ttlSeconds: ${ttl.text}`] : target.ttlSeconds !== undefined ? [`ttlSeconds: ${target.ttlSeconds}`] : ordered ? ['ttlSeconds: 0'] : []), ...(ordered ? [`ordered: ${ordered === 'object' ? "'object'" : 'true'}`] : [])];
  const options = settings.length > 0 ? `, { ${settings.join(', ')} }` : '';
  if (ttl) edits.push(...ttl.edits);
  edits.push({ fileName: file.fileName, start: declaration.initializer.getStart(file), end: declaration.initializer.getEnd(), newText: `${target.factory}${typeArgument}(${context.storeName(storeNameOf(state))}${options})` });
  if (declaration.type) edits.push({ fileName: file.fileName, start: declaration.name.getEnd(), end: declaration.type.getEnd(), newText: '' });
  if (declaration.memberType) edits.push({ fileName: file.fileName, start: declaration.memberType.getStart(file), end: declaration.memberType.getEnd(), newText: `ReturnType<typeof ${target.factory}${typeArgument}>` });
  for (const removal of sweep?.removals ?? []) {
    removedStatements.push(removal);
    edits.push({ fileName: removal.fileName, start: removal.start, end: removal.end, newText: '' });
  }
  const importLine = importEdit(file, [target.factory], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: target.messageId, data: { name: state.name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies, ...(removedStatements.length > 0 ? { removedStatements } : {}) } };
}

/** `V` of a `Record<K, V>` or `{ [key: string]: V }` annotation. */
function objectValueType(declaration: MapDeclaration): string | undefined {
  const annotation = declaration.type;
  if (annotation && ts.isTypeReferenceNode(annotation) && annotation.typeName.getText() === 'Record') return annotation.typeArguments?.[1]?.getText();
  if (annotation && ts.isTypeLiteralNode(annotation) && annotation.members.length === 1) {
    const [member] = annotation.members;
    if (member && ts.isIndexSignatureDeclaration(member)) return member.type.getText();
  }
  return undefined;
}

/**
 * One use of a plain object kept as a store, as the adapter's call: `o[k] = v;` sets, `o[k]` gets,
 * `delete o[k]` deletes, `k in o` asks `has`. Anything else (the whole object, an assignment whose
 * value is used) is `unsupported`; a change made in place to a value read from it is a `change`.
 */
function objectStoreUse(holder: ts.Expression): { node: ts.Expression; text: string; key?: string; changes?: ts.Node[]; listing?: true } | { unsupported: ts.Node; why?: string } {
  const name = holder.getText();
  const access = holder.parent;
  if (ts.isBinaryExpression(access) && access.operatorToken.kind === SyntaxKind.InKeyword && access.right === holder) return { node: access, text: `${name}.has(${access.left.getText()})` };
  // Object.keys(o).length: how many entries
  const count = access.parent;
  const whole = ts.isCallExpression(access) && access.arguments.length === 1 && access.arguments[0] === holder ? /^Object\.(keys|values|entries)$/.exec(access.expression.getText()) : null;
  if (whole && count && ts.isPropertyAccessExpression(count) && count.expression === access && count.name.text === 'length') {
    return { node: count, text: `${name}.size()` };
  }
  // Object.values(o): the store lists its entries as the object would
  if (whole && ts.isCallExpression(access)) {
    const changed = whole[1] === 'keys' ? undefined : changedEntry(access, whole[1] === 'entries');
    if (changed) return { unsupported: changed, why: 'changes an entry it lists in place, and the store would not keep the change' };
    return { node: access, text: `${name}.${whole[1]}()`, listing: true };
  }
  if (!ts.isElementAccessExpression(access) || access.expression !== holder) return { unsupported: access };
  const key = access.argumentExpression.getText();
  const use = access.parent;
  // `o[k] = v` (and compound assignments, which the store cannot do); `o[k] ?? fallback` is a read.
  if (ts.isBinaryExpression(use) && use.left === access && use.operatorToken.kind >= SyntaxKind.FirstAssignment && use.operatorToken.kind <= SyntaxKind.LastAssignment) {
    if (use.operatorToken.kind === SyntaxKind.EqualsToken && ts.isExpressionStatement(use.parent)) return { node: use, text: `${name}.set(${key}, ${use.right.getText()})` };
    return { unsupported: use };
  }
  if (ts.isDeleteExpression(use)) return { node: use, text: `${name}.delete(${key})` };
  return { node: access, text: `${name}.get(${key})`, key, changes: changesThrough(access) };
}

/**
 * Where a value read from a store is changed in place: `o[k].n++`, `o[k].x = 1`, `o[k].list.push(x)`,
 * or the same through a local it was put in (`const s = o[k]; s.seen = now;`, also `const s = id && o[id]`).
 * The store keeps a copy, so such a change would be lost.
 */
export function changesThrough(read: ts.Expression): ts.Node[] {
  const direct = changeOf(read);
  if (direct) return [direct];
  // `id && o[id]`, `o[k] || fallback`, `c ? o[k] : undefined`, `(o[k])`: the value may be the one read.
  let value: ts.Expression = read;
  for (;;) {
    const parent = value.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isAwaitExpression(parent)) value = parent;
    else if (ts.isBinaryExpression(parent) && [SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken].includes(parent.operatorToken.kind)) value = parent;
    else if (ts.isConditionalExpression(parent) && parent.condition !== value) value = parent;
    else break;
  }
  const declaration = value.parent;
  let local: ts.Identifier | undefined;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer === value && ts.isIdentifier(declaration.name)) local = declaration.name;
  if (ts.isBinaryExpression(declaration) && declaration.right === value && declaration.operatorToken.kind === SyntaxKind.EqualsToken && ts.isIdentifier(declaration.left)) local = declaration.left;
  if (!local) return [];
  const name = local;
  const scope = enclosingScope(read);
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name.text && node !== name) {
      const change = changeOf(node);
      if (change) found.push(change);
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

function containsCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isAwaitExpression(node) || (ts.forEachChild(node, (child) => containsCall(child) || undefined) ?? false);
}

/** `list.push(x); map.set(key, list);`: the changed value is set again under its key after the change, so the store keeps it. */
function writtenBack(change: ts.Node, map: string, key: string): boolean {
  // The local the change goes through: `list` of `list.push(x)`, `s` of `s.n += 1`.
  let changed: ts.Node = ts.isBinaryExpression(change) ? change.left : ts.isCallExpression(change) ? change.expression : ts.isDeleteExpression(change) ? change.expression : ts.isPrefixUnaryExpression(change) || ts.isPostfixUnaryExpression(change) ? change.operand : change;
  while (ts.isPropertyAccessExpression(changed) || ts.isElementAccessExpression(changed)) changed = changed.expression;
  if (!ts.isIdentifier(changed)) return false;
  const local = changed.text;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.getStart() >= change.getEnd() && node.expression.getText() === `${map}.set` && node.arguments.length === 2 && node.arguments[0].getText() === key && node.arguments[1].getText() === local) found = true;
    // `failures[email] = f`: the object form.
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && node.getStart() >= change.getEnd() && node.left.getText().replace(/\s+/g, '') === `${map}[${key}]`.replace(/\s+/g, '') && node.right.getText() === local) found = true;
    ts.forEachChild(node, visit);
  };
  visit(enclosingScope(change));
  return found;
}

/** `x.a = …`, `x.a++`, `delete x.a`, `x.a.push(…)` on `x`: the changing expression. */
function changeOf(value: ts.Expression): ts.Node | undefined {
  let current: ts.Expression = value;
  if (!(ts.isPropertyAccessExpression(current.parent) || ts.isElementAccessExpression(current.parent)) || current.parent.expression !== current) return undefined;
  while ((ts.isPropertyAccessExpression(current.parent) || ts.isElementAccessExpression(current.parent)) && current.parent.expression === current) current = current.parent;
  const parent = current.parent;
  if (ts.isBinaryExpression(parent) && parent.left === current && parent.operatorToken.kind >= SyntaxKind.FirstAssignment && parent.operatorToken.kind <= SyntaxKind.LastAssignment) return parent;
  if ((ts.isPostfixUnaryExpression(parent) || ts.isPrefixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken)) return parent;
  if (ts.isDeleteExpression(parent)) return parent;
  if (ts.isCallExpression(parent) && parent.expression === current && ts.isPropertyAccessExpression(current) && MUTATING_METHODS.has(current.name.text)) return parent;
  return undefined;
}

/** Methods that change the array, Map or Set they are called on. */
const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);

function enclosingScope(node: ts.Node): ts.Node {
  let current: ts.Node = node;
  while (current.parent && !ts.isFunctionLike(current) && !ts.isSourceFile(current)) current = current.parent;
  return current;
}

/** `import { usage }`, `export { usage }`: the name moves with the value, nothing to rewrite. */
/**
 * A name that only passes the value between modules, which the fix leaves as it is: an import or
 * export specifier, and their CommonJS forms, `module.exports = { bus }` (or `exports.bus = bus`) and
 * `const { bus } = require('./bus')`.
 */
export function isImportOrExportName(reference: ts.Identifier): boolean {
  const parent = reference.parent;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent)) return true;
  if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === reference)) {
    const assignment = parent.parent.parent;
    return ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === SyntaxKind.EqualsToken && assignment.right === parent.parent && isModuleExports(assignment.left);
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && parent.right === reference) return isCommonJsExportTarget(parent.left);
  if (ts.isBindingElement(parent) && ts.isObjectBindingPattern(parent.parent) && ts.isVariableDeclaration(parent.parent.parent)) {
    const initializer = parent.parent.parent.initializer && skipOuterExpressions(parent.parent.parent.initializer);
    return initializer !== undefined && ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && initializer.expression.text === 'require';
  }
  return false;
}

export function isJavaScript(file: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/.test(file.fileName);
}

/** `this.sessions = new Map()` in the constructor: the creation the fix replaces, not a use. */
function isInitialAssignment(reference: ts.Identifier, declaration: MapDeclaration): boolean {
  const holder = holderOf(reference);
  return ts.isBinaryExpression(holder.parent) && holder.parent.left === holder && holder.parent.right === declaration.initializer;
}

/** `V` of `new Map<K, V>()` or of a `Map<K, V>` annotation. */
const ARITHMETIC = new Set([ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.AsteriskAsteriskToken]);

/**
 * A value that is a number by its form: a numeric literal, arithmetic (`+` with a number on one
 * side), `Math.*`/`Number()`/`parseInt()`, a default to a number (`x ?? 0`), or a local holding one.
 */
function isNumberValued(expression: ts.Expression, depth = 0): boolean {
  const value = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(value)) return true;
  if (ts.isPrefixUnaryExpression(value) || ts.isPostfixUnaryExpression(value)) return true;
  if (ts.isBinaryExpression(value)) {
    const operator = value.operatorToken.kind;
    if (ARITHMETIC.has(operator)) return true;
    if (operator === ts.SyntaxKind.PlusToken) return isNumberValued(value.left, depth) || isNumberValued(value.right, depth);
    if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) return isNumberValued(value.right, depth);
    return false;
  }
  if (ts.isCallExpression(value)) return /^(Math\.\w+|Number|parseInt|parseFloat)$/.test(value.expression.getText());
  if (ts.isIdentifier(value) && depth < 3) {
    const initializer = localInitializer(value);
    return initializer !== undefined && isNumberValued(initializer, depth + 1);
  }
  return false;
}

function mapKeyType(declaration: MapDeclaration, initializer: ts.NewExpression): string | undefined {
  const annotation = declaration.type;
  const key = initializer.typeArguments?.[0] ?? (annotation && ts.isTypeReferenceNode(annotation) ? annotation.typeArguments?.[0] : undefined);
  return key?.getText();
}

function mapValueType(declaration: MapDeclaration, initializer: ts.NewExpression): string | undefined {
  const fromNew = initializer.typeArguments?.[1];
  if (fromNew) return fromNew.getText();
  const annotation = declaration.type;
  if (annotation && ts.isTypeReferenceNode(annotation) && annotation.typeArguments?.[1]) return annotation.typeArguments[1].getText();
  return undefined;
}

interface IncrementRewrite {
  /** The `set` call's new text, to be awaited in place (one-statement form). */
  replacement?: string;
  /** Edits of the two-statement form (already awaited). */
  edits: TextEdit[];
  /** References already handled (the `get` inside the increment). */
  consumed: ts.Node[];
  /** The `set` statement of the two-statement form, which the increment makes redundant. */
  removedStatements?: RemovedStatement[];
}

/**
 * Recognises `m.set(k, (m.get(k) ?? 0) + n)` and the two-statement form
 * `const v = (m.get(k) ?? 0) + n; m.set(k, v);` and rewrites each into one `increment`.
 */
function incrementOf(setCall: ts.CallExpression, name: string): IncrementRewrite | undefined {
  const [key, value] = setCall.arguments;
  if (!key || !value) return undefined;
  const file = setCall.getSourceFile();
  const direct = incrementExpression(value, name, key);
  if (direct) {
    // m.set(k, (m.get(k) ?? 0) + n) → m.increment(k, n)
    return { replacement: `${name}.increment(${key.getText()}${direct.by === '1' ? '' : `, ${direct.by}`})`, edits: [], consumed: [direct.getReference] };
  }
  // const v = (m.get(k) ?? 0) + n; m.set(k, v);
  const local = skipOuterExpressions(value);
  if (!ts.isIdentifier(local)) return undefined;
  const statement = setCall.parent;
  if (!ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
  const statements = statement.parent.statements;
  const index = statements.indexOf(statement);
  const previous = statements[index - 1];
  if (!previous || !ts.isVariableStatement(previous)) return undefined;
  const declaration = previous.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === local.text);
  if (!declaration?.initializer) return undefined;
  const increment = incrementExpression(declaration.initializer, name, key);
  if (!increment) return undefined;
  const text = `${name}.increment(${key.getText()}${increment.by === '1' ? '' : `, ${increment.by}`})`;
  const lineStart = file.text.lastIndexOf('\n', statement.getStart(file) - 1) + 1;
  return {
    edits: [
      { fileName: file.fileName, start: declaration.initializer.getStart(file), end: declaration.initializer.getEnd(), newText: `await ${text}` },
      { fileName: file.fileName, start: lineStart, end: statement.getEnd() + (file.text[statement.getEnd()] === '\r' ? 2 : file.text[statement.getEnd()] === '\n' ? 1 : 0), newText: '' },
    ],
    consumed: [increment.getReference],
    removedStatements: [{ fileName: file.fileName, start: statement.getStart(file), end: statement.getEnd(), reason: `\`${text}\` above writes the new count in one atomic step` }],
  };
}

/** `(m.get(k) ?? 0) + n`, `(m.get(k) || 0) + n`, `n + (m.get(k) ?? 0)` with the same key text. */
function incrementExpression(expression: ts.Expression, name: string, key: ts.Expression): { by: string; getReference: ts.Node } | undefined {
  const value = skipOuterExpressions(expression);
  if (!ts.isBinaryExpression(value) || value.operatorToken.kind !== SyntaxKind.PlusToken) return undefined;
  for (const [current, other] of [[value.left, value.right], [value.right, value.left]] as const) {
    const inner = skipOuterExpressions(current);
    if (!ts.isBinaryExpression(inner) || (inner.operatorToken.kind !== SyntaxKind.QuestionQuestionToken && inner.operatorToken.kind !== SyntaxKind.BarBarToken)) continue;
    if (skipOuterExpressions(inner.right).getText() !== '0') continue;
    const get = skipOuterExpressions(inner.left);
    if (!ts.isCallExpression(get) || !ts.isPropertyAccessExpression(get.expression) || get.expression.name.text !== 'get') continue;
    if (get.expression.expression.getText() !== name || get.arguments[0]?.getText() !== key.getText()) continue;
    return { by: other.getText(), getReference: get.expression.expression };
  }
  return undefined;
}

/**
 * `let n = 0` counted with `n++`, `n += k`, `n = n + k`, reset with `n = 0`, read anywhere. A
 * sequence that starts elsewhere (`let nextId = 1`, minting `id: nextId++`) keeps its numbers: the
 * Redis count starts at 0, so each use adds the start back (`nextId++` is `await nextId.increment()`
 * when it starts at 1).
 */
function valueCounter(state: SharedState, context: FixContext): PlanResult {
  const declaration = counterDeclarationOf(state);
  if (!declaration) return { refused: `only a module-level counter or a field of a singleton can move to the adapter` };
  const initial = declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  const start = initial === undefined ? 0 : ts.isNumericLiteral(initial) && Number.isInteger(Number(initial.text)) ? Number(initial.text) : undefined;
  if (start === undefined) return { refused: `\`${state.name}\` starts at \`${short(initial!)}\`, not at a whole number` };
  const file = declaration.name.getSourceFile();
  const rewriter = context.rewriter();
  const edits: TextEdit[] = [];
  const holders = referencesOf(context.program, declaration.name)
    .filter((reference) => !(declaration.field && reference === declaration.name))
    .map((reference) => (declaration.field ? holderOf(reference) : reference))
    .filter((holder) => !(declaration.assignment && holder.parent === declaration.assignment));
  // A count read right after the increment, before anything else can count: the number the increment returns.
  const writes = new Set(holders.filter(isCountWrite));
  const keptIn = new Map<ts.Node, string>();
  const readFrom = new Map<ts.Expression, string>();
  for (const holder of writes) {
    const use = counterUse(holder, holder.parent, holder.getText(), start);
    const counted = use && use.offset === 0 && use.node === holder.parent ? countedReads(use.node, holders, writes, state.name) : undefined;
    if (!counted) continue;
    keptIn.set(use!.node, counted.local);
    for (const read of counted.reads) readFrom.set(read, counted.local);
  }
  for (const holder of holders) {
    const reference = ts.isIdentifier(holder) ? holder : (holder as ts.PropertyAccessExpression).name;
    const parent = holder.parent;
    // `n` read on the right of `n = n + k`: the assignment's own increment replaces the whole.
    if (isReadOfOwnIncrement(holder)) continue;
    const local = readFrom.get(holder);
    if (local !== undefined) {
      const value = start === 0 ? local : `(${local} + ${start})`;
      const readFile = holder.getSourceFile();
      const node = ts.isShorthandPropertyAssignment(parent) ? parent : holder;
      edits.push({ fileName: readFile.fileName, start: node.getStart(readFile), end: node.getEnd(), newText: ts.isShorthandPropertyAssignment(parent) ? `${state.name}: ${value}` : value });
      continue;
    }
    if (ts.isShorthandPropertyAssignment(parent)) {
      // { ordersPlaced } → { ordersPlaced: await ordersPlaced.get() }
      edits.push({ fileName: parent.getSourceFile().fileName, start: parent.getStart(), end: parent.getEnd(), newText: `${state.name}: ${offset(`await ${state.name}.get()`, start)}` });
      rewriter.requireAsync(parent);
      continue;
    }
    const replaced = counterUse(holder, parent, holder.getText(), start);
    if (!replaced) return { refused: `\`${parent.getText()}\` (${context.where(reference)}) has no counterpart in the Redis counter` };
    const keeping = keptIn.get(replaced.node);
    if (keeping !== undefined) {
      // `ticket += 1;` → `const ticketNow = await ticket.increment(1);`
      const incrementFile = replaced.node.getSourceFile();
      edits.push({ fileName: incrementFile.fileName, start: replaced.node.getStart(incrementFile), end: replaced.node.getEnd(), newText: `const ${keeping} = await ${replaced.text}` });
      rewriter.requireAsync(replaced.node);
    } else if (replaced.offset === 0) rewriter.awaitExpression(replaced.node, replaced.text);
    else {
      // The count read back with the start added: `(await nextId.get()) + 1`, parenthesized as one value.
      const replacedFile = replaced.node.getSourceFile();
      edits.push({ fileName: replacedFile.fileName, start: replaced.node.getStart(replacedFile), end: replaced.node.getEnd(), newText: `(${offset(`await ${replaced.text}`, replaced.offset)})` });
      rewriter.requireAsync(replaced.node);
    }
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('counter.ts', context.projectRoot, context.adapterDir, context.exists);
  const created = `createCounter(${context.storeName(storeNameOf(state))})`;
  if (declaration.field) {
    // `private sent = 0` → `private sent = createCounter('sent')` (an annotation `: number` goes); `this.sent = 0` in the constructor → `this.sent = createCounter('sent')`.
    const value = declaration.initializer!;
    edits.push({ fileName: file.fileName, start: declaration.type ? declaration.name.getEnd() : value.getStart(file), end: value.getEnd(), newText: declaration.type ? ` = ${created}` : created });
  } else {
    const variable = declaration.name.parent as ts.VariableDeclaration;
    const list = variable.parent;
    if (ts.isVariableDeclarationList(list) && list.declarations.length === 1 && !(list.flags & ts.NodeFlags.Const)) {
      const keyword = list.getFirstToken(file);
      if (keyword) edits.push({ fileName: file.fileName, start: keyword.getStart(file), end: keyword.getEnd(), newText: 'const' });
    }
    edits.push({ fileName: file.fileName, start: declaration.name.getEnd(), end: variable.getEnd(), newText: ` = ${created}` });
  }
  const importLine = importEdit(file, ['createCounter'], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: 'counterMoveToRedis', data: { name: state.name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies } };
}

/** `n` in `n = n + k` (or `this.sent = this.sent + 1`), on the right: what the assignment increments. */
function isReadOfOwnIncrement(holder: ts.Expression): boolean {
  const sum = holder.parent;
  if (!ts.isBinaryExpression(sum) || sum.operatorToken.kind !== SyntaxKind.PlusToken || sum.left !== holder) return false;
  let outer: ts.Node = sum;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const assignment = outer.parent;
  return ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === SyntaxKind.EqualsToken && assignment.right === outer && assignment.left.getText() === holder.getText();
}

/**
 * Where a number counter is created: a module (or factory) variable, `let n = 0`; a field of a
 * singleton, `private sent = 0`; or `this.sent = 0` in the singleton's constructor (the field's
 * only `=` there, which the counter replaces). Fields are read through their object (`this.sent`,
 * `mailer.sent`).
 */
function counterDeclarationOf(state: SharedState): { name: ts.Identifier; initializer?: ts.Expression; type?: ts.TypeNode; field?: ts.PropertyDeclaration | ts.BinaryExpression; assignment?: ts.BinaryExpression } | undefined {
  const parent = state.nameNode.parent;
  if ((state.kind === 'module' || state.kind === 'closure') && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return { name: parent.name, initializer: parent.initializer };
  if (state.kind !== 'singleton-field') return undefined;
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name) && parent.initializer && !parent.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)) return { name: parent.name, initializer: parent.initializer, type: parent.type, field: parent };
  if (!ts.isPropertyAccessExpression(parent) || parent.expression.kind !== ts.SyntaxKind.ThisKeyword || !ts.isIdentifier(state.nameNode)) return undefined;
  const assignment = ts.isBinaryExpression(parent.parent) && parent.parent.left === parent && parent.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken ? parent.parent : undefined;
  if (!assignment || !ts.findAncestor(assignment, ts.isConstructorDeclaration)) return undefined;
  return { name: state.nameNode, initializer: assignment.right, field: assignment, assignment };
}

/** `await n.get()` with `by` added (`(await n.get()) + 1`); as it is when `by` is 0. */
function offset(awaited: string, by: number): string {
  if (by === 0) return awaited;
  return `(${awaited}) ${by > 0 ? '+' : '-'} ${Math.abs(by)}`;
}

/**
 * How one use of a number counter reads with the adapter: the node to replace, its new text (later
 * awaited), and what to add to the awaited value so it is the number the code saw (the counter's
 * start; for `n++` whose value is used, the number before the increment).
 */
function counterUse(reference: ts.Expression, parent: ts.Node, name: string, start: number): { node: ts.Expression; text: string; offset: number } | undefined {
  // n++ / ++n / n--: as a statement, or minting a value (`id: nextId++` is the number before the increment)
  if ((ts.isPostfixUnaryExpression(parent) || ts.isPrefixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken)) {
    const step = parent.operator === SyntaxKind.PlusPlusToken ? 1 : -1;
    const text = `${name}.increment(${step === 1 ? '' : '-1'})`;
    if (ts.isExpressionStatement(parent.parent)) return { node: parent, text, offset: 0 };
    return { node: parent, text, offset: start - (ts.isPostfixUnaryExpression(parent) ? step : 0) };
  }
  // `nextTicket - 1`, `count >= limit`: on the left of an operator that assigns nothing, a read like any other.
  if (ts.isBinaryExpression(parent) && parent.left === reference && parent.operatorToken.kind >= SyntaxKind.FirstAssignment && parent.operatorToken.kind <= SyntaxKind.LastAssignment) {
    const operator = parent.operatorToken.kind;
    const statement = ts.isExpressionStatement(parent.parent);
    // A compound assignment's value is the new number; as a statement, nothing reads it.
    if (operator === SyntaxKind.PlusEqualsToken) return { node: parent, text: `${name}.increment(${parent.right.getText()})`, offset: statement ? 0 : start };
    if (operator === SyntaxKind.MinusEqualsToken) return { node: parent, text: `${name}.increment(-(${parent.right.getText()}))`, offset: statement ? 0 : start };
    if (operator === SyntaxKind.EqualsToken) {
      const right = skipOuterExpressions(parent.right);
      if (ts.isBinaryExpression(right) && right.operatorToken.kind === SyntaxKind.PlusToken && skipOuterExpressions(right.left).getText() === name) return { node: parent, text: `${name}.increment(${right.right.getText()})`, offset: statement ? 0 : start };
      if (!statement) return undefined;
      const value = skipOuterExpressions(parent.right);
      const operand = ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isCallExpression(value) ? value.getText() : `(${parent.right.getText()})`;
      const stored = start === 0 ? parent.right.getText() : ts.isNumericLiteral(value) ? String(Number(value.text) - start) : `${operand} - ${start}`;
      return { node: parent, text: `${name}.set(${stored})`, offset: 0 };
    }
    return undefined;
  }
  // Any other use reads the count.
  return { node: reference, text: `${name}.get()`, offset: start };
}

/**
 * A plain object keyed by id (`const hits = {}`, `hits[id] = (hits[id] || 0) + 1`) → `createCounterMap`:
 * each read-modify-write becomes one atomic `increment`, `hits[id]` reads `get`, `delete hits[id]`
 * deletes; an `if (!hits[id]) hits[id] = 0;` before an increment is removed (a missing count starts at 0).
 */
function objectCounter(state: SharedState, context: FixContext): PlanResult {
  // fastify.decorate('stats', { opened: 0 }): a record read through the instance.
  const decorated = ts.isCallExpression(state.nameNode.parent) ? decoratedRecord(state.nameNode.parent, context) : undefined;
  if (decorated) return typeof decorated === 'string' ? { refused: decorated } : counterRecordPlan(decorated, context);
  const declaration = mapDeclarationOf(state, true);
  if (typeof declaration === 'string') return { refused: declaration };
  const initializer = globalSingletonValue(declaration.initializer);
  if (!ts.isObjectLiteralExpression(initializer)) return { refused: `\`${state.name}\` starts with entries` };
  // `{ requests: 0, uploads: 0 }`: named counts, each its own counter.
  if (initializer.properties.length > 0) {
    const type = declaration.type ?? (ts.isAsExpression(declaration.initializer) ? declaration.initializer.type : undefined);
    const planned = counterRecordPlan({ name: declaration.name, label: state.name, record: initializer, type }, context);
    // `globalForStats.stats ?? (globalForStats.stats = { … })`, kept on globalThis across dev reloads: the record alone
    // stays (its counts live in Redis, which outlives a reload), the slot's own type is no longer read.
    if (skipOuterExpressions(declaration.initializer) === initializer || !('plan' in planned)) return planned;
    const file = initializer.getSourceFile();
    const around: TextEdit[] = [
      { fileName: file.fileName, start: declaration.initializer.getStart(file), end: initializer.getStart(file), newText: '' },
      { fileName: file.fileName, start: initializer.getEnd(), end: declaration.initializer.getEnd(), newText: '' },
    ];
    return { plan: { ...planned.plan, edits: [...around, ...planned.plan.edits] } };
  }
  const file = declaration.name.getSourceFile();
  const rewriter = context.rewriter();
  const edits: TextEdit[] = [];
  const removedStatements: RemovedStatement[] = [];
  const handled = new Set<ts.Node>();
  const references = referencesOf(context.program, declaration.name).filter((reference) => !isInitialAssignment(reference, declaration));
  // `if (!hits[id]) hits[id] = 0;` before an increment: removed, and its uses with it.
  for (const reference of references) {
    const holder = holderOf(reference);
    const assignment = holder.parent.parent;
    if (!ts.isElementAccessExpression(holder.parent) || !ts.isBinaryExpression(assignment) || assignment.left !== holder.parent || skipOuterExpressions(assignment.right).getText() !== '0') continue;
    const guard = initialisation(assignment, holder.getText(), holder.parent.argumentExpression.getText());
    if (!guard) continue;
    const span = statementSpan(guard);
    edits.push({ fileName: guard.getSourceFile().fileName, ...span, newText: '' });
    removedStatements.push({ fileName: guard.getSourceFile().fileName, ...span, reason: `Redis starts a missing count at 0, so \`${guard.thenStatement.getText().replace(/;$/, '')}\` is not needed` });
    for (const other of references) if (other.getStart() >= guard.getStart() && other.getEnd() <= guard.getEnd()) handled.add(other);
  }
  // `o[k].count += 1`: a record read from the object and changed in place; the Redis counter holds numbers, and the change would be lost.
  for (const reference of references) {
    const access = holderOf(reference).parent;
    if (handled.has(reference) || !ts.isElementAccessExpression(access)) continue;
    const [change] = changesThrough(access);
    if (change) return { refused: `\`${change.getText()}\` (${context.where(change)}) changes a value read from \`${state.name}\` in place, and the store would not keep the change` };
  }
  // `o[k].n`: the values are records, not counts.
  for (const reference of references) {
    const access = holderOf(reference).parent;
    if (handled.has(reference) || !ts.isElementAccessExpression(access)) continue;
    if (ts.isPropertyAccessExpression(access.parent) && access.parent.expression === access) {
      return { refused: `\`${access.parent.getText()}\` (${context.where(reference)}) reads a field of a record kept in \`${state.name}\`, and the Redis counter holds numbers` };
    }
  }
  for (const reference of references) {
    if (handled.has(reference) || isImportOrExportName(reference)) continue;
    const holder = holderOf(reference);
    const name = holder.getText();
    const access = holder.parent;
    const refuse = (): PlanResult => ({ refused: `\`${access.getText()}\` (${context.where(reference)}) has no counterpart in the Redis counter` });
    if (isWholeObjectRead(holder)) {
      // Object.entries(o), `return o;`, `{ views: o }`: a snapshot of every count.
      rewriter.awaitExpression(holder, `${name}.all()`);
      continue;
    }
    if (!ts.isElementAccessExpression(access) || access.expression !== holder) return refuse();
    const key = access.argumentExpression.getText();
    const use = access.parent;
    const markConsumed = (node: ts.Node): void => {
      const visit = (child: ts.Node): void => {
        if (ts.isIdentifier(child) && child.text === state.name) handled.add(child);
        ts.forEachChild(child, visit);
      };
      visit(node);
    };
    if (ts.isBinaryExpression(use) && use.left === access && use.operatorToken.kind >= SyntaxKind.FirstAssignment && use.operatorToken.kind <= SyntaxKind.LastAssignment) {
      const operator = use.operatorToken.kind;
      if (operator === SyntaxKind.PlusEqualsToken) rewriter.awaitExpression(use, `${name}.increment(${key}, ${use.right.getText()})`);
      else if (operator === SyntaxKind.MinusEqualsToken) rewriter.awaitExpression(use, `${name}.increment(${key}, -(${use.right.getText()}))`);
      else if (operator === SyntaxKind.EqualsToken) {
        const by = objectIncrement(use.right, name, key);
        const readBack = by !== undefined ? readBackAfter(use, references, name, key) : undefined;
        if (by !== undefined && readBack) {
          // `o[k] = (o[k] ?? 0) + 1; return o[k];` → `return await o.increment(k);`: the count it made, in one atomic step.
          const text = `${name}.increment(${key}${by === '1' ? '' : `, ${by}`})`;
          const statement = use.parent as ts.ExpressionStatement;
          edits.push({ fileName: statement.getSourceFile().fileName, ...statementSpan(statement), newText: '' });
          removedStatements.push({ fileName: statement.getSourceFile().fileName, start: statement.getStart(), end: statement.getEnd(), reason: `\`${text}\` below adds to the count and reads it back in one atomic step` });
          rewriter.awaitExpression(readBack.access, text);
          handled.add(readBack.reference);
        } else if (by !== undefined) rewriter.awaitExpression(use, `${name}.increment(${key}${by === '1' ? '' : `, ${by}`})`);
        else if (ts.isObjectLiteralExpression(skipOuterExpressions(use.right)) || ts.isArrayLiteralExpression(skipOuterExpressions(use.right))) {
          return { refused: `\`${use.getText()}\` (${context.where(use)}) stores a record in \`${state.name}\`, and the Redis counter holds numbers` };
        } else rewriter.awaitExpression(use, `${name}.set(${key}, ${use.right.getText()})`);
      } else return refuse();
      markConsumed(use);
      continue;
    }
    if ((ts.isPostfixUnaryExpression(use) || ts.isPrefixUnaryExpression(use)) && (use.operator === SyntaxKind.PlusPlusToken || use.operator === SyntaxKind.MinusMinusToken)) {
      if (ts.isPostfixUnaryExpression(use) && !ts.isExpressionStatement(use.parent)) return refuse();
      rewriter.awaitExpression(use, `${name}.increment(${key}${use.operator === SyntaxKind.PlusPlusToken ? '' : ', -1'})`);
      continue;
    }
    if (ts.isDeleteExpression(use)) {
      rewriter.awaitExpression(use, `${name}.delete(${key})`);
      continue;
    }
    rewriter.awaitExpression(access, `${name}.get(${key})`);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const adapter = useAdapter('counter.ts', context.projectRoot, context.adapterDir, context.exists);
  edits.push({ fileName: file.fileName, start: declaration.initializer.getStart(file), end: declaration.initializer.getEnd(), newText: `createCounterMap(${context.storeName(storeNameOf(state))})` });
  if (declaration.type) edits.push({ fileName: file.fileName, start: declaration.name.getEnd(), end: declaration.type.getEnd(), newText: '' });
  const importLine = importEdit(file, ['createCounterMap'], moduleSpecifier(file, adapter.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: 'counterMoveToRedis', data: { name: state.name, adapter: context.displayPath(adapter.fileName) }, edits, createFiles: adapter.createFiles, dependencies: adapter.dependencies, ...(removedStatements.length > 0 ? { removedStatements } : {}) } };
}

/** Reads of a whole counter object that a snapshot answers: `Object.keys/values/entries(o)`, `return o;`, `{ views: o }`. */
function isWholeObjectRead(holder: ts.Expression): boolean {
  const parent = holder.parent;
  if (ts.isReturnStatement(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === holder)) return true;
  if (!ts.isCallExpression(parent) || parent.arguments.length !== 1 || parent.arguments[0] !== holder) return false;
  const callee = parent.expression;
  return ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'Object' && ['keys', 'values', 'entries'].includes(callee.name.text);
}

/**
 * `o[k] = (o[k] ?? 0) + 1;` followed at once by a statement that reads `o[k]` once and uses the object
 * nowhere else (`return o[k];`, `res.json({ views: o[k] })`): that read, which the increment's own
 * result answers. The key is a name or a literal, so reading it again gives the same key.
 */
function readBackAfter(increment: ts.BinaryExpression, references: readonly ts.Identifier[], name: string, key: string): { access: ts.ElementAccessExpression; reference: ts.Identifier } | undefined {
  const statement = increment.parent;
  if (!ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
  const keyNode = skipOuterExpressions((increment.left as ts.ElementAccessExpression).argumentExpression);
  if (!ts.isIdentifier(keyNode) && !ts.isStringLiteral(keyNode) && !ts.isNumericLiteral(keyNode)) return undefined;
  const statements = statement.parent.statements;
  const next = statements[statements.indexOf(statement) + 1];
  if (!next) return undefined;
  const inNext = references.filter((reference) => reference.getStart() >= next.getStart() && reference.getEnd() <= next.getEnd());
  if (inNext.length !== 1) return undefined;
  const holder = holderOf(inNext[0]);
  const access = holder.parent;
  if (!ts.isElementAccessExpression(access) || access.expression !== holder || holder.getText() !== name || access.argumentExpression.getText() !== key) return undefined;
  const use = access.parent;
  // Only a plain read: not a write, a delete or a count of its own.
  if (ts.isBinaryExpression(use) && use.left === access && use.operatorToken.kind >= SyntaxKind.FirstAssignment && use.operatorToken.kind <= SyntaxKind.LastAssignment) return undefined;
  if (ts.isDeleteExpression(use) || ts.isPostfixUnaryExpression(use) || ts.isPrefixUnaryExpression(use) || (ts.isPropertyAccessExpression(use) && use.expression === access)) return undefined;
  return { access, reference: inNext[0] };
}

/** `(o[k] || 0) + n`, `(o[k] ?? 0) + n`, `n + (o[k] || 0)`: the `n`. */
function objectIncrement(expression: ts.Expression, name: string, key: string): string | undefined {
  const value = skipOuterExpressions(expression);
  if (!ts.isBinaryExpression(value) || value.operatorToken.kind !== SyntaxKind.PlusToken) return undefined;
  for (const [current, other] of [[value.left, value.right], [value.right, value.left]] as const) {
    const inner = skipOuterExpressions(current);
    if (!ts.isBinaryExpression(inner) || (inner.operatorToken.kind !== SyntaxKind.QuestionQuestionToken && inner.operatorToken.kind !== SyntaxKind.BarBarToken)) continue;
    if (skipOuterExpressions(inner.right).getText() === '0' && skipOuterExpressions(inner.left).getText() === `${name}[${key}]`) return other.getText();
  }
  return undefined;
}

/** `if (!o[k]) o[k] = 0;` (or `=== undefined`, `!(k in o)`) right before an increment of `o[k]`: the `if` statement. */
function initialisation(assignment: ts.BinaryExpression, name: string, key: string): ts.IfStatement | undefined {
  const statement = assignment.parent;
  if (!ts.isExpressionStatement(statement)) return undefined;
  const branch = ts.isBlock(statement.parent) && statement.parent.statements.length === 1 ? statement.parent : statement;
  const guard = branch.parent;
  if (!ts.isIfStatement(guard) || guard.thenStatement !== branch || guard.elseStatement || !ts.isBlock(guard.parent)) return undefined;
  const condition = guard.expression.getText().replace(/\s+/g, ' ');
  if (![`!${name}[${key}]`, `${name}[${key}] === undefined`, `!(${key} in ${name})`].includes(condition)) return undefined;
  const next = guard.parent.statements[guard.parent.statements.indexOf(guard) + 1];
  const text = next && ts.isExpressionStatement(next) ? next.expression.getText().replace(/\s+/g, ' ') : '';
  return text.startsWith(`${name}[${key}]++`) || text.startsWith(`${name}[${key}] +=`) || text.startsWith(`++${name}[${key}]`) ? guard : undefined;
}

