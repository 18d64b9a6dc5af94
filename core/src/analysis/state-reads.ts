import ts = require('typescript');
import { getFileFacts, type Mutation } from './file-facts';
import { isShadowed, localInitializer, localVariableOf } from './scope';
import { sameFileFunction } from './state-use';
import { compactCode, skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** What `readsOf` needs of a state: where it is declared, its name, and how code reaches it. */
export interface ReadableState {
  nameNode: ts.Node;
  name: string;
  kind: 'module' | 'static' | 'singleton-field' | 'closure';
}

const CLOCK = /\b(Date\.now|newDate|performance\.now|getTime|valueOf|timestamp|time|at|expires\w*|createdAt|updatedAt)\b/i;
const COMPARISONS = new Set([SyntaxKind.LessThanToken, SyntaxKind.LessThanEqualsToken, SyntaxKind.GreaterThanToken, SyntaxKind.GreaterThanEqualsToken]);

const readsCache = new WeakMap<ts.Node, ts.Expression[]>();

/**
 * Where the declaring file reads a state: the module binding by name (not where a local shadows
 * it), a class field as `this.name` in its class or `Class.name`. Reads in other files are not
 * looked for: how a state is used is written beside it.
 */
export function readsOf(state: ReadableState): ts.Expression[] {
  let reads = readsCache.get(state.nameNode);
  if (reads) return reads;
  reads = [];
  const found = reads;
  const file = state.nameNode.getSourceFile();
  const visit = (node: ts.Node): void => {
    if (state.kind === 'module' ? isModuleRead(node, state) : state.kind === 'closure' ? isClosureRead(node, state) : isFieldRead(node, state)) found.push(node as ts.Expression);
    ts.forEachChild(node, visit);
  };
  if (file.text.includes(state.name)) visit(file);
  readsCache.set(state.nameNode, found);
  return found;
}

function isModuleRead(node: ts.Node, state: ReadableState): boolean {
  return isNameUse(node, state) && !isShadowed(node, state.name);
}

/** The factory's variable by name, where the name binds to that declaration. */
function isClosureRead(node: ts.Node, state: ReadableState): boolean {
  return isNameUse(node, state) && localVariableOf(node)?.name === state.nameNode;
}

/** The state's name used as a value: not its declaration, nor a property or binding of the same name. */
function isNameUse(node: ts.Node, state: ReadableState): node is ts.Identifier {
  if (!ts.isIdentifier(node) || node.text !== state.name || node === state.nameNode) return false;
  const parent = node.parent;
  return !((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent)) && parent.name === node);
}

function isFieldRead(node: ts.Node, state: ReadableState): boolean {
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== state.name) return false;
  const owner = skipOuterExpressions(node.expression);
  return owner.kind === SyntaxKind.ThisKeyword || ts.isIdentifier(owner);
}

/**
 * Whether code reads the state's size or tally and compares it with a limit before it acts
 * (`if (used.count + n > limits.tpd) throw …`, `if (log.length + 1 > rpm)`, `if (tries[user] >= 5)`):
 * what a counter is for, whatever it holds. Comparisons with a clock (expiry checks) and with 0
 * (emptiness) are not limits.
 */
export function isComparedToLimit(state: ReadableState): boolean {
  return readsOf(state).some((read) => valueUses(read).some(comparesWithLimit));
}

/**
 * The expression a read evaluates to (`state.count`, `state.reduce(…)`, `state.length`, also after a
 * default: `(state.get(ip) ?? []).filter(…)`), and for a local that holds it, what each use of the
 * local evaluates to (`const recent = …; recent.length`), through one more local at most.
 */
function valueUses(read: ts.Expression, depth = 0): ts.Expression[] {
  const value = evaluated(read);
  const parent = value.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name) && depth < 2) {
    const local = parent.name.text;
    const block = enclosingFunction(parent);
    const uses: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      // `const recent = timestamps.filter(…)`: the local's value goes on into another local.
      if (ts.isIdentifier(node) && node.text === local && node !== parent.name && localInitializer(node) === value) uses.push(...valueUses(node, depth + 1));
      ts.forEachChild(node, visit);
    };
    if (block) visit(block);
    return uses;
  }
  return [value];
}

/** The outermost member access, call, or defaulted value (`x ?? 0`, `x || []`) an expression is the start of. */
function evaluated(start: ts.Expression): ts.Expression {
  let value = start;
  for (let next = enclosingValue(value); next; next = enclosingValue(value)) value = next;
  return value;
}

function enclosingValue(value: ts.Expression): ts.Expression | undefined {
  const parent = value.parent;
  if (ts.isPropertyAccessExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) return parent;
  if (ts.isElementAccessExpression(parent)) return parent.argumentExpression === value ? undefined : parent;
  if (ts.isCallExpression(parent)) return parent.expression === value ? parent : undefined;
  const defaulted = ts.isBinaryExpression(parent) && parent.left === value && (parent.operatorToken.kind === SyntaxKind.QuestionQuestionToken || parent.operatorToken.kind === SyntaxKind.BarBarToken);
  return defaulted ? parent : undefined;
}

function comparesWithLimit(value: ts.Expression): boolean {
  let current: ts.Expression = value;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || (ts.isBinaryExpression(current.parent) && (current.parent.operatorToken.kind === SyntaxKind.PlusToken || current.parent.operatorToken.kind === SyntaxKind.MinusToken)))) {
    current = current.parent;
  }
  const comparison = current.parent;
  if (!comparison || !ts.isBinaryExpression(comparison) || !COMPARISONS.has(comparison.operatorToken.kind)) return false;
  const other = skipOuterExpressions(comparison.left === current ? comparison.right : comparison.left);
  if (ts.isNumericLiteral(other) && Number(other.text) === 0) return false;
  // `index > -1` after `list.findIndex(…)`: whether an entry is there, not an amount against a limit.
  if (ts.isPrefixUnaryExpression(other) && other.operator === SyntaxKind.MinusToken && ts.isNumericLiteral(other.operand)) return false;
  if (CLOCK.test(comparison.getText().replace(/\s+/g, ''))) return false;
  // `config.maxElu <= config.triggerElu`: two fields of one record checked against each other, a
  // consistency check of settings, not an amount against a limit.
  if (sameRoot(current, other)) return false;
  // `if (history.length > 100) history.shift()`: a cap on what is kept (the last N entries), not a limit on the work.
  if (trimsOnly(comparison, value)) return false;
  // `if (buffer.length >= maxBatch) void flush()`: the size at which a write-behind buffer is sent on, not a limit on the work.
  if (flushesOnly(comparison, value)) return false;
  // `const before = games.length; games = games.filter(…); if (games.length < before)`: whether the filter removed anything.
  if (measuresSameList(current, other)) return false;
  return inCondition(comparison);
}

/** Array methods whose result is the same list with entries left out. */
const SUBLISTS = new Set(['filter', 'slice']);

/**
 * The list whose size an expression is, as written (`xs` of `xs.length`, of a local
 * `const before = xs.size`, and of `kept.length` after `const kept = xs.filter(…)`).
 */
function measuredList(expression: ts.Expression): string | undefined {
  let value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) value = skipOuterExpressions(localInitializer(value) ?? value);
  if (!ts.isPropertyAccessExpression(value) || (value.name.text !== 'length' && value.name.text !== 'size')) return undefined;
  const list = skipOuterExpressions(value.expression);
  const part = ts.isIdentifier(list) ? localInitializer(list) : undefined;
  const call = part && skipOuterExpressions(part);
  if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && SUBLISTS.has(call.expression.name.text)) return skipOuterExpressions(call.expression.expression).getText();
  return list.getText();
}

/**
 * The size of a list compared with the size the same list had before (`const before = xs.length`) or
 * with a part of it (`const kept = xs.filter(…); kept.length === xs.length`): a check that something
 * was removed, not an amount against a limit.
 */
function measuresSameList(size: ts.Expression, other: ts.Expression): boolean {
  const list = measuredList(size);
  return list !== undefined && list === measuredList(other);
}

/** Array methods that drop entries from the list they are called on. */
const TRIMS = new Set(['shift', 'pop', 'splice']);

/**
 * The comparison guards only statements that drop entries of the list whose length it reads
 * (`if (log.length > max) log.shift();`, `while (log.length > max) log.pop();`,
 * `if (a.length > n) a.splice(0, a.length - n)`, `if (a.length > n) a = a.slice(-n)`).
 */
function trimsOnly(comparison: ts.BinaryExpression, value: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(value) || value.name.text !== 'length') return false;
  const list = value.expression.getText();
  const guard = comparison.parent;
  if (!((ts.isIfStatement(guard) && !guard.elseStatement) || ts.isWhileStatement(guard)) || guard.expression !== comparison) return false;
  const body = ts.isIfStatement(guard) ? guard.thenStatement : guard.statement;
  const statements = ts.isBlock(body) ? body.statements : [body];
  return statements.length > 0 && statements.every((statement) => {
    if (!ts.isExpressionStatement(statement)) return false;
    const expression = skipOuterExpressions(statement.expression);
    if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression)) {
      return TRIMS.has(expression.expression.name.text) && expression.expression.expression.getText() === list;
    }
    // `a = a.slice(-n)`
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.EqualsToken && expression.left.getText() === list) {
      const right = skipOuterExpressions(expression.right);
      return ts.isCallExpression(right) && ts.isPropertyAccessExpression(right.expression) && right.expression.name.text === 'slice' && right.expression.expression.getText() === list;
    }
    return false;
  });
}

/**
 * `if (queue.length >= max) void flush()`, `if (this.pending.length > n) await this.flush()`: the branch
 * only calls a function of the same file that empties the list (`queue = []`, `queue.splice(0)`,
 * `queue.length = 0`), so reaching the size sends the buffer on sooner.
 */
function flushesOnly(comparison: ts.BinaryExpression, value: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(value) || value.name.text !== 'length') return false;
  const list = value.expression.getText();
  const guard = comparison.parent;
  if (!ts.isIfStatement(guard) || guard.elseStatement || guard.expression !== comparison) return false;
  const statements = ts.isBlock(guard.thenStatement) ? guard.thenStatement.statements : [guard.thenStatement];
  return statements.length > 0 && statements.every((statement) => {
    if (!ts.isExpressionStatement(statement)) return false;
    let expression = skipOuterExpressions(statement.expression);
    while (ts.isVoidExpression(expression) || ts.isAwaitExpression(expression)) expression = skipOuterExpressions(expression.expression);
    if (!ts.isCallExpression(expression) || expression.arguments.length > 0) return false;
    const callee = expression.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && callee.expression.kind === SyntaxKind.ThisKeyword ? callee.name.text : undefined;
    return name !== undefined && functionsNamed(comparison.getSourceFile(), name).some((fn) => emptiesList(fn, list));
  });
}

/** Function declarations, methods and functions held in a `const` of that name in the file. */
function functionsNamed(file: ts.SourceFile, name: string): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && ts.isIdentifier(node.name) && node.name.text === name && node.body) found.push(node.body);
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      const initializer = skipOuterExpressions(node.initializer);
      if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) found.push(initializer.body);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Whether the body empties the list named `list` (written as the guard reads it: `buffer`, `this.pending`). */
function emptiesList(body: ts.Node, list: string): boolean {
  let emptied = false;
  const visit = (node: ts.Node): void => {
    if (emptied) return;
    if ((ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) && node.getText() === list && emptiedBy(node) !== undefined) emptied = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return emptied;
}

function sameRoot(a: ts.Expression, b: ts.Expression): boolean {
  const rootOf = (expression: ts.Expression): ts.Expression => {
    let current = skipOuterExpressions(expression);
    while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) {
      // `this.config.a`: the field is the root, not `this`.
      if (ts.isPropertyAccessExpression(current) && current.expression.kind === SyntaxKind.ThisKeyword) break;
      current = skipOuterExpressions(current.expression);
    }
    return current;
  };
  const left = rootOf(a);
  const right = rootOf(b);
  return left !== skipOuterExpressions(a) && right !== skipOuterExpressions(b) && (ts.isIdentifier(left) || ts.isPropertyAccessExpression(left)) && left.getText() === right.getText();
}

/** In the condition of an `if`, a `while`, a `?:` or a returned boolean. */
function inCondition(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && parent.expression === current) return true;
    if (ts.isConditionalExpression(parent) && parent.condition === current) return true;
    if (ts.isReturnStatement(parent)) return true;
    if (!ts.isBinaryExpression(parent) && !ts.isParenthesizedExpression(parent) && !ts.isPrefixUnaryExpression(parent)) return false;
  }
  return false;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  let current: ts.Node | undefined = node.parent;
  while (current && !ts.isFunctionLike(current)) current = current.parent;
  return current;
}

/**
 * A number bumped to mint ids (`++this.replyId; const replyId = this.replyId`, `id: nextId++`,
 * `names[seq++]`): unique within the process, a sequence, not a tally anyone reads as a count.
 */
export function isIdSequence(state: ReadableState, mutations: readonly Mutation[]): boolean {
  if (!mutations.every((m) => m.isIncrement)) return false;
  const reads = readsOf(state);
  if (reads.length === 0) return false;
  const mints = (read: ts.Expression): boolean => mintsId(read) || mutations.some((m) => read.pos >= m.node.pos && read.end <= m.node.end && mintsId(m.node));
  return reads.some(mints) && reads.every((read) => isIncrementTarget(read, mutations) || mints(read));
}

function isIncrementTarget(read: ts.Expression, mutations: readonly Mutation[]): boolean {
  return mutations.some((m) => read.pos >= m.node.pos && read.end <= m.node.end && !mintsId(m.node));
}

const ID_NAME = /(^|[a-z_])(id|Id|ID|seq|Seq|key|Key|suffix|Suffix|serial|Serial)$/;

/** `const replyId = x`, `{ id: x++ }`, `store[x++]`, `` `tmp-${x++}` ``: the value names something. */
function mintsId(node: ts.Node): boolean {
  let current = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isPostfixUnaryExpression(current.parent) || ts.isPrefixUnaryExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (!parent) return false;
  if (ts.isVariableDeclaration(parent) && parent.initializer === current) return ts.isIdentifier(parent.name) && ID_NAME.test(parent.name.text);
  if (ts.isPropertyAssignment(parent) && parent.initializer === current) return ID_NAME.test(parent.name.getText());
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === current) return true;
  return ts.isTemplateSpan(parent);
}

/**
 * Every value the writes store carries a handle of this process: a timer (`setTimeout(…)`), a
 * callback or listener function (a debounced or throttled one too), a promise resolver. Such a map
 * schedules or wires this process's own work (debounced saves, pending replies); its entries mean
 * nothing to another instance.
 */
export function holdsProcessHandles(mutations: readonly Mutation[]): boolean {
  // `tasks[key].job = null` after `tasks[key].job.cancel()`: the handle let go, not a value kept.
  const stored = mutations.map(storedExpression).filter((value): value is ts.Expression => value !== undefined && !isNothing(value));
  // `streams[id] = [stream]` then `streams[id].push(stream)`: what is appended counts as much as what is set. A bare
  // function pushed may be a subscriber that code sends to (`appendsProcessHandles` leaves those out too).
  const appended = mutations.map(appendedExpression).filter((value): value is ts.Expression => value !== undefined);
  return stored.length > 0 && stored.every((value) => isProcessHandle(value)) && appended.every((value) => !isBareFunction(value) && isProcessHandle(value));
}

function isBareFunction(value: ts.Expression): boolean {
  const expression = skipOuterExpressions(value);
  return ts.isArrowFunction(expression) || ts.isFunctionExpression(expression) || (ts.isIdentifier(expression) && HANDLE_NAME.test(expression.text));
}

function isNothing(value: ts.Expression): boolean {
  const expression = skipOuterExpressions(value);
  return expression.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(expression) && expression.text === 'undefined');
}

/**
 * `hooks.push({ key, order, callback })`: every entry appended to the list is a record that
 * carries a function this process will run (shutdown hooks, handlers to call back), and nothing
 * else stores into it. The caller rules out lists that are sent to (subscribers).
 */
export function appendsProcessHandles(mutations: readonly Mutation[]): boolean {
  const appended = mutations.map(appendedExpression).filter((value): value is ts.Expression => value !== undefined);
  return appended.length > 0 && appended.every((value) => isRecord(value) && isProcessHandle(value)) && mutations.every((mutation) => appendedExpression(mutation) !== undefined || storedExpression(mutation) === undefined);
}

/**
 * `pending.push(loadProps(node).then(…))` and, elsewhere, only `await Promise.all(pending)`: every
 * entry is a promise of work this process runs, and the list is only waited on. Pending work of
 * this instance (a leak, if nothing empties it), not data a user left here for later requests. A
 * list read any other way (a status route looking a job up by index) is not this.
 */
export function isAwaitedPromiseList(state: ReadableState, mutations: readonly Mutation[]): boolean {
  const appended = mutations.map(appendedExpression);
  if (appended.length === 0 || !appended.every((value) => value !== undefined && isPendingPromise(value))) return false;
  const reads = readsOf(state).filter((read) => !mutations.some((m) => read.pos >= m.node.pos && read.end <= m.node.end));
  return reads.length > 0 && reads.every(isAwaitedTogether);
}

/** `work.then(…)`, `.catch(…)`, `.finally(…)`, `new Promise(…)`, `Promise.all(…)`, held by a local or written in place. */
function isPendingPromise(value: ts.Expression, depth = 0): boolean {
  const expression = skipOuterExpressions(value);
  if (ts.isIdentifier(expression)) {
    const initializer = depth < 2 ? localInitializer(expression) : undefined;
    return initializer !== undefined && isPendingPromise(initializer, depth + 1);
  }
  if (ts.isNewExpression(expression)) return ts.isIdentifier(expression.expression) && expression.expression.text === 'Promise';
  if (!ts.isCallExpression(expression) || !ts.isPropertyAccessExpression(expression.expression)) return false;
  const { name, expression: receiver } = expression.expression;
  return ['then', 'catch', 'finally'].includes(name.text) || (ts.isIdentifier(receiver) && receiver.text === 'Promise' && PROMISE_COMBINATORS.has(name.text));
}

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any', 'resolve', 'reject']);

/** The list handed whole to `Promise.all` (or `allSettled`, `race`, `any`): waited on, not looked into. */
function isAwaitedTogether(read: ts.Expression): boolean {
  const call = read.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(read) || !ts.isPropertyAccessExpression(call.expression)) return false;
  const { name, expression: receiver } = call.expression;
  return ts.isIdentifier(receiver) && receiver.text === 'Promise' && ['all', 'allSettled', 'race', 'any'].includes(name.text);
}

/** An object literal, written in place or held by a local: a bare function pushed may be a subscriber that code sends to. */
function isRecord(value: ts.Expression): boolean {
  const expression = skipOuterExpressions(value);
  const settled = ts.isIdentifier(expression) ? localInitializer(expression) : expression;
  return settled !== undefined && ts.isObjectLiteralExpression(skipOuterExpressions(settled));
}

function appendedExpression(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || !['push', 'unshift'].includes(node.expression.name.text)) return undefined;
  return node.arguments.length === 1 ? node.arguments[0] : undefined;
}

/**
 * `searches.set(requestId, controller)` with `const controller = new AbortController()`: every
 * entry lets this process cancel work it is running. Refusing a second start while the entry is
 * there guards that work, not data another instance shares: no lock. A field holds the one run's
 * the same way (`this.abortController = signal ?? new AbortController()`, `= undefined` when the run
 * ends): the handle of this process's running work, not a busy flag.
 */
export function holdsAbortControllers(mutations: readonly Mutation[]): boolean {
  const stored = mutations.map(heldExpression).filter((value): value is ts.Expression => value !== undefined && !isReleased(value));
  return stored.length > 0 && stored.every(isAbortController);
}

function isAbortController(value: ts.Expression): boolean {
  let expression = skipOuterExpressions(value);
  if (ts.isIdentifier(expression)) expression = skipOuterExpressions(localInitializer(expression) ?? expression);
  // `handed || new AbortController()`: the caller's controller, else one of its own.
  if (ts.isBinaryExpression(expression) && (expression.operatorToken.kind === SyntaxKind.BarBarToken || expression.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) return isAbortController(expression.right);
  return ts.isNewExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === 'AbortController';
}

/** What a write stores: an entry's value, or what replaces the binding (`this.controller = …`). */
function heldExpression(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  if (mutation.isReassignment && ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) return node.right;
  return storedExpression(mutation);
}

/** `undefined`, `null`, a fresh empty container (`this.controllers = new Map()`): the handles let go of. */
function isReleased(value: ts.Expression): boolean {
  const expression = skipOuterExpressions(value);
  return expression.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(expression) && expression.text === 'undefined') || isEmptyValue(expression);
}

function storedExpression(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set') return node.arguments[1];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && !mutation.isReassignment) return node.right;
  return undefined;
}

const TIMER_CALL = /(^|\.)(setTimeout|setInterval|setImmediate)$/;

/**
 * `timer = setInterval(flush, 2000)`, `this.healthCheckTimer = setTimeout(…)`, `job = schedule.scheduleJob(cron,
 * () => run())`, `= null` once cleared: a binding every write gives a timer or a scheduled job of this process
 * (or lets go of it) holds that timer's handle, whatever its callback does. The timer itself is the scheduler
 * rule's; the handle is no data of a user's.
 */
export function holdsTimerHandle(mutations: readonly Mutation[]): boolean {
  let timers = 0;
  for (const mutation of mutations) {
    const node = mutation.node;
    if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
    const value = skipOuterExpressions(node.right);
    if (ts.isCallExpression(value) && TIMER_CALL.test(value.expression.getText())) timers++;
    else if ((ts.isCallExpression(value) || ts.isNewExpression(value)) && isCronTask(value)) timers++;
    else if (value.kind !== SyntaxKind.NullKeyword && !(ts.isIdentifier(value) && value.text === 'undefined')) return false;
  }
  return timers > 0;
}
/** Streams this process opens on its own files (`fs.createReadStream(path, { start, end })`), to close when done. */
const STREAM_CALL = /(^|\.)(createReadStream|createWriteStream)$/;
/** Cron libraries' scheduled tasks: node-cron's `cron.schedule(pattern, fn)`, node-schedule's `scheduleJob(…, fn)`, cron's `new CronJob(pattern, fn)`, croner's `new Cron(pattern, fn)`. */
const CRON_TASK_CALL = /(^|\.)(schedule|scheduleJob)$/;
const CRON_TASK_CLASS = /(^|\.)(CronJob|Cron)$/;
const HANDLE_NAME = /^(resolve|reject|callback|cb|done|listener|handler|observer)$/i;
/** A callback handed in under a name that says so (`startedCallback`, `onDoneCb`), kept to call back later. */
const CALLBACK_NAME = /^[a-z]\w*(?:Callback|Cb)$/;
/**
 * A template engine's compile (`Handlebars.compile(source)`, `hbs.handlebars.compile`, `pug.compile`,
 * `ejs.compile`, `_.template`): the function it returns is code this process built from the source, the
 * same on every instance that compiles that source.
 */
const TEMPLATE_COMPILE = /(?:^|\.)(?:handlebars|hbs|pug|ejs|nunjucks|mustache|doT|dot|lodash|_)(?:\.handlebars)?\.(?:compile|template)$/i;
/** Wrappers that return a debounced or throttled function of this process (`_.debounce(fn, ms)`, `Util.throttle(fn, ms)`). */
const WRAPPER_CALL = /(^|\.)(debounce|throttle)$/i;

/** node-cron's `cron.schedule(pattern, fn)`, node-schedule's `scheduleJob(…, fn)`, `new CronJob(pattern, fn)`, `new Cron(pattern, fn)`. */
function isCronTask(value: ts.CallExpression | ts.NewExpression): boolean {
  const callee = value.expression.getText();
  return (ts.isNewExpression(value) ? CRON_TASK_CLASS : CRON_TASK_CALL).test(callee) && runsCallback(value);
}

function isProcessHandle(value: ts.Expression, depth = 0): boolean {
  const expression = skipOuterExpressions(value);
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return true;
  if (ts.isCallExpression(expression)) {
    const callee = expression.expression.getText();
    return (
      TIMER_CALL.test(callee) ||
      STREAM_CALL.test(callee) ||
      TEMPLATE_COMPILE.test(callee) ||
      ((CRON_TASK_CALL.test(callee) || WRAPPER_CALL.test(callee)) && runsCallback(expression)) ||
      (ts.isPropertyAccessExpression(expression.expression) && expression.expression.name.text === 'bind') ||
      (depth < 2 && returnsProcessHandle(expression, depth + 1))
    );
  }
  // `[stream]`: a list started with one handle.
  if (ts.isArrayLiteralExpression(expression)) return expression.elements.length > 0 && expression.elements.every((element) => isProcessHandle(element, depth + 1));
  if (ts.isNewExpression(expression)) return CRON_TASK_CLASS.test(expression.expression.getText()) && runsCallback(expression);
  // `evictors[key] || throttle(…)`: the entry already there, or a new handle.
  if (ts.isBinaryExpression(expression) && [SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken].includes(expression.operatorToken.kind)) {
    const existing = skipOuterExpressions(expression.left);
    return (ts.isElementAccessExpression(existing) || ts.isPropertyAccessExpression(existing) || isProcessHandle(existing, depth + 1)) && isProcessHandle(expression.right, depth + 1);
  }
  if (ts.isIdentifier(expression)) {
    if (HANDLE_NAME.test(expression.text) || CALLBACK_NAME.test(expression.text)) return true;
    const initializer = depth < 2 ? localInitializer(expression) : undefined;
    return initializer !== undefined && isProcessHandle(initializer, depth + 1);
  }
  if (ts.isObjectLiteralExpression(expression)) {
    // { doc, timer: null, observer }: a listener or a running timer makes the entry a registration of this process's work.
    return expression.properties.some((property) => {
      if (ts.isShorthandPropertyAssignment(property)) return isProcessHandle(property.name, depth + 1);
      return ts.isPropertyAssignment(property) && isProcessHandle(property.initializer, depth + 1);
    });
  }
  return false;
}

/**
 * `scheduleJob(key, rule)` of a function declared at the top of the same file whose every `return`
 * gives a handle, or nothing (`return null` when the rule is invalid): a wrapper around a timer or a
 * cron library's task.
 */
function returnsProcessHandle(call: ts.CallExpression, depth: number): boolean {
  if (!ts.isIdentifier(call.expression) || isShadowed(call.expression, call.expression.text)) return false;
  const declaration = getFileFacts(call.getSourceFile()).topLevel.get(call.expression.text);
  const fn = declaration && ts.isFunctionDeclaration(declaration) ? declaration : declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer)) ? declaration.initializer : undefined;
  if (!fn?.body || !ts.isBlock(fn.body)) return false;
  // `return;` and `return null` give nothing; every other `return` must give a handle.
  const returned: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression && !isNothing(node.expression)) returned.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return returned.length > 0 && returned.every((value) => isProcessHandle(value, depth));
}

/** A scheduling call handed the function it will run (`cron.schedule('0 * * * *', () => …)`), not a `schedule(job)` of a queue. */
function runsCallback(call: ts.CallExpression | ts.NewExpression): boolean {
  return (call.arguments ?? []).some((argument) => {
    const value = skipOuterExpressions(argument);
    return ts.isArrowFunction(value) || ts.isFunctionExpression(value);
  });
}

/**
 * `tasks++` when a job starts, `tasks--` when it ends, `if (tasks === 0) onAllDone()`: a number
 * that goes up and down around this process's own work and is only read to learn that none is
 * left. It counts what runs here (another instance's work is not this one's to wait for), so it is
 * no tally to share. A count compared with a limit (`if (active >= max)`) or sent out is a counter.
 */
export function isIdleCount(state: ReadableState, mutations: readonly Mutation[]): boolean {
  const steps = mutations.map((m) => stepOf(m.node));
  if (!steps.includes(1) || !steps.includes(-1)) return false;
  const reads = readsOf(state).filter((read) => !mutations.some((m) => read.pos >= m.node.pos && read.end <= m.node.end));
  return reads.length > 0 && reads.every(comparesWithZero);
}

/**
 * `metrics.gauge('active_calls', ++active)` before an await and `metrics.gauge('active_calls',
 * --active)` in its `finally`, or `active++` then `statsd.gauge('active', active)`: the number of
 * calls in flight in this process, raised and lowered around them and only reported, to a metrics
 * client or a log line. Each instance reports its own, as it does for its CPU; the backend adds
 * them up. Read anywhere else (compared with a limit, sent in a response) it is a counter.
 */
export function isInFlightGauge(state: ReadableState, mutations: readonly Mutation[]): boolean {
  const steps = mutations.map((m) => stepOf(m.node));
  if (!steps.includes(1) || !steps.includes(-1)) return false;
  let reported = false;
  for (const read of readsOf(state)) {
    const mutation = mutations.find((m) => read.pos >= m.node.pos && read.end <= m.node.end);
    // A write whose value is not used (`active--;`) reads nothing; `gauge('x', ++active)` reads the new value.
    const value = mutation ? mutation.node : read;
    if (mutation && isUnusedValue(mutation.node)) continue;
    if (!isReportedValue(value)) return false;
    reported = true;
  }
  return reported;
}

/**
 * `cache.hits += 1` on a hit, `cache.misses += 1` on a miss: how often this process's
 * own cache answered. Each instance has its own cache and so its own hit rate, as it has its own
 * memory use; it is a statistic of the process, not a tally of what users did.
 */
export function isCacheStatistic(mutations: readonly Mutation[]): boolean {
  const names = mutations.filter((mutation) => mutation.isIncrement).map((mutation) => {
    const node = mutation.node;
    const target = ts.isBinaryExpression(node) ? node.left : ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node) ? node.operand : undefined;
    return target !== undefined && ts.isPropertyAccessExpression(target) ? target.name.text : '';
  });
  // Both, as a cache counts them: a page's `hits` alone is its visitors.
  return names.some((name) => CACHE_HITS.test(name)) && names.some((name) => CACHE_MISSES.test(name)) && names.every((name) => CACHE_HITS.test(name) || CACHE_MISSES.test(name));
}

const CACHE_HITS = /^(?:hits|hitCount|cacheHits)$/;

const CACHE_MISSES = /^(?:misses|missCount|cacheMisses)$/;

/**
 * `running++; executor.start(job, function onFinished() { running--; startNext() })` with `if (running <
 * max) startNext()`: the number of jobs this process is running, raised where one starts and lowered
 * in the completion callback handed to the work started there, read only against a cap that decides
 * when to start the next job (and in log lines), never to turn a request away. The cap sizes this process's own load (its CPU, the workers it
 * forks): each instance has its own machine to protect, so N instances running N times the cap is the
 * design. A count a request raises and nothing lowers when work ends, or one read out to users, stays a
 * counter; so does a count per key (per address, per document), which is no single number.
 */
export function isRunningWorkCap(state: ReadableState, mutations: readonly Mutation[]): boolean {
  const raises = mutations.filter((m) => stepOf(m.node) === 1);
  const lowers = mutations.filter((m) => stepOf(m.node) === -1);
  if (raises.length === 0 || lowers.length === 0 || raises.length + lowers.length !== mutations.length) return false;
  if (!lowers.every((lower) => raises.some((raise) => endsWorkStartedBy(lower.node, raise.node)))) return false;
  const reads = readsOf(state).filter((read) => !mutations.some((m) => read.pos >= m.node.pos && read.end <= m.node.end));
  if (reads.some(answersRequest)) return false;
  return reads.some(isComparedWithCap) && reads.every((read) => isComparedWithCap(read) || comparesWithZero(read) || isSubtractedFromCap(read) || isReportedValue(read));
}

/** The lowering runs when the raising function's work ends: in a callback written inside that function and handed to the work. */
function endsWorkStartedBy(lower: ts.Node, raise: ts.Node): boolean {
  const raisedIn = ts.findAncestor(raise.parent, ts.isFunctionLike);
  if (!raisedIn) return false;
  let sawCallback = false;
  for (let current: ts.Node | undefined = lower.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (current === raisedIn) return sawCallback;
    if (ts.isFunctionLike(current)) sawCallback = true;
  }
  return false;
}

/**
 * `if (running >= 4) return res.sendStatus(429)`: the cap turns clients away, so with N instances they
 * get N times it. Only a cap that decides when this process starts its next job is its own load's.
 */
function answersRequest(read: ts.Expression): boolean {
  const test = ts.findAncestor(read, (node) => ts.isIfStatement(node) || ts.isConditionalExpression(node) || ts.isFunctionLike(node));
  if (!test || ts.isFunctionLike(test)) return false;
  const branches = ts.isIfStatement(test) ? [test.thenStatement, test.elseStatement] : [test.whenTrue, test.whenFalse];
  return branches.some((branch) => branch !== undefined && ANSWER.test(branch.getText()));
}

const ANSWER = /\b(?:res|reply|response|ctx)\s*\.\s*(?:status|sendStatus|send|json|code|end|body|throw)\b|\bthrow\b/;

/** `running < max`, `active >= this.limit`: a comparison with something other than zero. */
function isComparedWithCap(read: ts.Expression): boolean {
  let current: ts.Node = read;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (!ts.isBinaryExpression(parent) || !COMPARISONS.has(parent.operatorToken.kind)) return false;
  const other = skipOuterExpressions(parent.left === current ? parent.right : parent.left);
  return !(ts.isNumericLiteral(other) && Number(other.text) === 0);
}

/** `max - running`: the room left under the cap. */
function isSubtractedFromCap(read: ts.Expression): boolean {
  let current: ts.Node = read;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.MinusToken && parent.right === current;
}

/**
 * `const row = await getStats(); lastFetch = row` in a handler, and in `getStats` itself `if (db.highLoad())
 * return Promise.resolve(lastFetch)`: the last result of a load, replaced by every load and read only to
 * answer with while the load is skipped (the database under high load, an outage). Each instance serves
 * its own last good answer for as long as it cannot load, as one instance would: no one's data to share.
 * A value read anywhere else (a handler's response, another function), or written with anything but the
 * load's result, is no such fallback.
 */
export function isLastResultFallback(state: ReadableState, mutations: readonly Mutation[]): boolean {
  if (mutations.length === 0) return false;
  const loaders = new Set<ts.Node>();
  for (const mutation of mutations) {
    const loader = ts.isBinaryExpression(mutation.node) && mutation.isReassignment && mutation.node.operatorToken.kind === SyntaxKind.EqualsToken ? loaderOf(mutation.node.right) : undefined;
    if (!loader) return false;
    loaders.add(loader);
  }
  const reads = readsOf(state).filter((read) => !mutations.some((m) => read.pos >= m.node.pos && read.end <= m.node.end));
  return reads.length > 0 && reads.every((read) => isFallbackAnswer(read, loaders));
}

/** The same-file function whose awaited result the value is: `await getStats()`, or a local holding it. */
function loaderOf(value: ts.Expression): ts.Node | undefined {
  let current = skipOuterExpressions(value);
  if (ts.isIdentifier(current)) {
    const initializer = localInitializer(current);
    if (!initializer) return undefined;
    current = skipOuterExpressions(initializer);
  }
  if (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
  return ts.isCallExpression(current) ? sameFileFunction(current) : undefined;
}

/** `return lastFetch` or `return Promise.resolve(lastFetch)` in a branch of the loader that skips the load. */
function isFallbackAnswer(read: ts.Expression, loaders: ReadonlySet<ts.Node>): boolean {
  let current: ts.Node = read;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  const resolved = ts.isCallExpression(parent) && /^Promise\.resolve$/.test(parent.expression.getText()) ? parent.parent : parent;
  if (!ts.isReturnStatement(resolved)) return false;
  const fn = ts.findAncestor(resolved, ts.isFunctionLike);
  if (!fn || !loaders.has(fn)) return false;
  for (let node: ts.Node = resolved; node !== fn; node = node.parent) if (ts.isIfStatement(node.parent) && node.parent.thenStatement === node) return true;
  return false;
}

/** `n--;`, `for (…; …; n++)`: the expression's value is thrown away. */
function isUnusedValue(node: ts.Expression): boolean {
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return ts.isExpressionStatement(parent) || (ts.isForStatement(parent) && parent.incrementor === current);
}

/** Metrics clients by the receiver's name: `metrics.gauge`, `this.statsd.gauge`, `promActiveCalls.set`, `Metrics.summary`. */
const METRIC_RECEIVER = /(?:^|\.)(?:\w*metrics?|\w*stats[dD]?|dogstatsd|datadog|\w*[gG]auge|prom\w*|meter|telemetry)$/i;
const METRIC_REPORTS = new Set(['gauge', 'set', 'observe', 'record', 'histogram', 'summary', 'timing', 'update']);

/** The value is an argument of a metrics report or a log call (as is, or in an object literal handed to it). */
function isReportedValue(value: ts.Expression): boolean {
  let current: ts.Node = value;
  for (;;) {
    const parent = current.parent;
    if (ts.isParenthesizedExpression(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === current) || ts.isShorthandPropertyAssignment(parent) || ts.isObjectLiteralExpression(parent)) {
      current = parent;
      continue;
    }
    if (!ts.isCallExpression(parent) || !parent.arguments.includes(current as ts.Expression)) return false;
    const callee = skipOuterExpressions(parent.expression);
    if (LOGGING_CALLEE.test(callee.getText())) return true;
    return ts.isPropertyAccessExpression(callee) && METRIC_REPORTS.has(callee.name.text) && METRIC_RECEIVER.test(skipOuterExpressions(callee.expression).getText());
  }
}

/** +1 for `n++`, `++n`, `n += 1`; -1 for `n--`, `--n`, `n -= 1`; 0 for any other write. */
function stepOf(node: ts.Expression): number {
  if (ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) return node.operator === SyntaxKind.PlusPlusToken ? 1 : node.operator === SyntaxKind.MinusMinusToken ? -1 : 0;
  if (!ts.isBinaryExpression(node) || !ts.isNumericLiteral(skipOuterExpressions(node.right))) return 0;
  return node.operatorToken.kind === SyntaxKind.PlusEqualsToken ? 1 : node.operatorToken.kind === SyntaxKind.MinusEqualsToken ? -1 : 0;
}

/** `n === 0`, `n > 0`, `0 < n`, `!n`, `if (n)`: the read asks whether anything is left, nothing more. */
function comparesWithZero(read: ts.Expression): boolean {
  let current: ts.Node = read;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === SyntaxKind.ExclamationToken) return true;
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && parent.expression === current) return true;
  if (!ts.isBinaryExpression(parent) || !(ZERO_TESTS.has(parent.operatorToken.kind))) return false;
  const other = skipOuterExpressions(parent.left === current ? parent.right : parent.left);
  return ts.isNumericLiteral(other) && Number(other.text) === 0;
}

const ZERO_TESTS = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.ExclamationEqualsToken, ...COMPARISONS]);

/** OpenTelemetry observable instruments (`gauge.addCallback((o) => o.observe(x))`) and prom-client's `collect()`. */
const METRIC_OBSERVERS = new Set(['observe', 'addCallback', 'addBatchObservableCallback']);

/**
 * `runtimeState.connectedUsers = n` on requests, read only in `gauge.addCallback((observer) =>
 * observer.observe(runtimeState.connectedUsers))`: a metric of this process, which the metrics
 * backend adds up across instances, as it does for prom-client's own gauges.
 */
export function isReadOnlyByMetrics(state: ReadableState, mutations: readonly Mutation[]): boolean {
  const reads = readsOf(state).filter((read) => !mutations.some((m) => read.pos >= m.node.pos && read.end <= m.node.end) && !isStatementFill(read));
  return reads.length > 0 && reads.every(isInMetricObserver);
}

/** `states.add(overflow)` as a statement (at start-up, say): a write of the state, not a read of it. */
function isStatementFill(use: ts.Expression): boolean {
  const access = use.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== use || !FILLS.has(access.name.text)) return false;
  const call = access.parent;
  return ts.isCallExpression(call) && call.expression === access && ts.isExpressionStatement(call.parent);
}

const FILLS = new Set(['add', 'set', 'push']);

function isInMetricObserver(read: ts.Node): boolean {
  for (let current: ts.Node | undefined = read.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      if (ts.isPropertyAccessExpression(callee) && METRIC_OBSERVERS.has(callee.name.text)) return true;
    }
    if ((ts.isMethodDeclaration(current) || ts.isPropertyAssignment(current)) && current.name.getText() === 'collect' && ts.isObjectLiteralExpression(current.parent)) return true;
  }
  return false;
}

/** Calls that only report a value (a log line), which sending a buffer somewhere is not. */
const LOGGING_CALLEE = /^(?:console|logger|log|winston|pino|debug)\b|\.(?:log|debug|info|warn|error|trace|verbose)$/;

/**
 * `lastUserReportLog = entry; logger.warn('user.reported', entry)`, `_lastLog = message; if (debug)
 * winston.verbose(message)`: every write keeps the value its function hands to a logger right there.
 * The binding is this process's copy of its last log entry, handed out only by a getter (for tests
 * or a debug page), as per-instance as the log itself.
 */
export function keepsLastLogged(state: ReadableState, mutations: readonly Mutation[]): boolean {
  // Handed out only by a getter (`return lastReport`): a handler that sends it (`res.json(lastOrder)`) makes it a user's.
  const isAssigned = (read: ts.Expression): boolean => ts.isBinaryExpression(read.parent) && read.parent.left === read && read.parent.operatorToken.kind === SyntaxKind.EqualsToken;
  if (!readsOf(state).every((read) => isAssigned(read) || ts.isReturnStatement(read.parent))) return false;
  let keeps = false;
  for (const mutation of mutations) {
    const node = mutation.node;
    if (!mutation.isReassignment || !ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken || !mutation.function) return false;
    const value = skipOuterExpressions(node.right);
    // A reset (`= null`) keeps nothing.
    if (value.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined')) continue;
    if (!ts.isIdentifier(value) || !logsInFunction(mutation.function, value.text)) return false;
    keeps = true;
  }
  return keeps;
}

/** A logger call of the function (not of a function inside it) is handed the name. */
function logsInFunction(fn: ts.Node, name: string): boolean {
  let logged = false;
  const visit = (child: ts.Node): void => {
    if (logged || (child !== fn && ts.isFunctionLike(child))) return;
    if (ts.isCallExpression(child) && LOGGING_CALLEE.test(child.expression.getText()) && child.arguments.some((argument) => ts.isIdentifier(argument) && argument.text === name)) logged = true;
    else ts.forEachChild(child, visit);
  };
  visit(fn);
  return logged;
}

/**
 * A write-behind buffer: requests add to it, and a function reads it out (sends it, or hands a copy
 * on) and then empties it (`publish({ local }); local = cloneDeep(empty)`, `const batch = queue.splice(0)`,
 * `flush(stats); stats.clear()`). Each instance adds its own part to wherever the buffer goes, so
 * nothing is lost between instances: it is this process's pending work, not state to share. A
 * value only logged before it is reset is still the state the requests count in.
 */
export function isDrainedBuffer(state: ReadableState): boolean {
  const uses = readsOf(state);
  return uses.some((use) => entryTakenOut(use) !== undefined) || isFlushed(uses, isAccumulated(uses));
}

/**
 * Requests add to the state: a count (`pending[k]++`, `n += 1`, `m.set(k, (m.get(k) ?? 0) + 1)`) or
 * an append (`queue.push(event)`). Only such a buffer is flushed by a loop that saves each entry and
 * then clears it; a registry of connections closed one by one and cleared is taken down, not flushed.
 */
export function isAccumulated(uses: readonly ts.Expression[]): boolean {
  return uses.some((use) => {
    let target: ts.Node = use;
    while ((ts.isPropertyAccessExpression(target.parent) || ts.isElementAccessExpression(target.parent)) && target.parent.expression === target) target = target.parent;
    const parent = target.parent;
    if ((ts.isPostfixUnaryExpression(parent) || ts.isPrefixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken)) return true;
    if (ts.isBinaryExpression(parent) && parent.left === target && (parent.operatorToken.kind === SyntaxKind.PlusEqualsToken || parent.operatorToken.kind === SyntaxKind.MinusEqualsToken)) return true;
    const access = use.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== use || !ts.isCallExpression(access.parent) || access.parent.expression !== access) return false;
    const call = access.parent;
    if (access.name.text === 'push' || access.name.text === 'unshift') return true;
    // m.set(k, (m.get(k) ?? 0) + 1), or through a local: const n = (m.get(k) || 0) + 1; m.set(k, n)
    const argument = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
    const initializer = argument && ts.isIdentifier(argument) ? localInitializer(argument) : undefined;
    const value = initializer ? skipOuterExpressions(initializer) : argument;
    return access.name.text === 'set' && value !== undefined && ts.isBinaryExpression(value) && (value.operatorToken.kind === SyntaxKind.PlusToken || value.operatorToken.kind === SyntaxKind.MinusToken);
  });
}

/**
 * Uses of one state (in one function or anywhere) of which one empties it after an earlier use in
 * the same function handed it on: `const batch = [...pending.entries()]; pending.clear();`,
 * `send(stats); stats = {}`, `const items = queue.splice(0)`.
 */
export function isFlushed(uses: readonly ts.Expression[], loops = true): boolean {
  return uses.some((reset) => {
    const emptied = emptiedBy(reset);
    if (emptied === undefined) return false;
    if (emptied === 'handed-on') return true;
    let fn: ts.Node | undefined = reset.parent;
    while (fn && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
    if (!fn || ts.isSourceFile(fn)) return false;
    const body = fn;
    return uses.some((use) => use.pos < reset.pos && use.pos >= body.pos && use.end <= body.end && isHandedOn(use, loops));
  });
}

/**
 * A use that takes one entry out in a loop over every key of the state, the entry's value used
 * first: `for (const code of Object.keys(pending)) { const n = pending[code]; delete pending[code]; … }`
 * (also `for…in`, keys taken into a local first, a Map's `for (const [k, v] of m) { m.delete(k); … }`).
 * Every entry is taken out unconditionally: the loop drains the buffer, one key at a time. The loop, when it is one.
 */
export function entryTakenOut(use: ts.Expression): ts.ForOfStatement | ts.ForInStatement | undefined {
  const parent = use.parent;
  // delete pending[code] / pending.delete(code)
  let key: ts.Expression | undefined;
  let statement: ts.Node | undefined;
  if (ts.isElementAccessExpression(parent) && parent.expression === use && ts.isDeleteExpression(parent.parent)) {
    key = parent.argumentExpression;
    statement = parent.parent.parent;
  } else if (ts.isPropertyAccessExpression(parent) && parent.expression === use && parent.name.text === 'delete' && ts.isCallExpression(parent.parent) && parent.parent.arguments.length === 1) {
    key = parent.parent.arguments[0];
    statement = parent.parent.parent;
  }
  if (!key || !ts.isIdentifier(key) || !statement || !ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
  const loop = statement.parent.parent;
  if (!ts.isForOfStatement(loop) && !ts.isForInStatement(loop)) return undefined;
  const name = use.getText();
  const declared = ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0]?.name : undefined;
  if (!declared) return undefined;
  // The loop's key: `const code` over the keys, or `[code, n]` over a Map's entries.
  const loopKey = ts.isIdentifier(declared) ? declared : ts.isArrayBindingPattern(declared) && declared.elements[0] && ts.isBindingElement(declared.elements[0]) && ts.isIdentifier(declared.elements[0].name) ? declared.elements[0].name : undefined;
  if (!loopKey || loopKey.text !== key.text) return undefined;
  const iterated = keysSource(loop.expression);
  const overKeys = ts.isForInStatement(loop) ? iterated === name : ts.isIdentifier(declared) ? iterated === `keys:${name}` : iterated === name;
  if (!overKeys) return undefined;
  // The value is read before it is dropped: pending[code], or the entry's value the loop destructured.
  const valueRead = ts.isArrayBindingPattern(declared) ? declared.elements.length > 1 : loop.statement.getText().replace(/\s+/g, '').includes(`${name}[${key.text}]`) || loop.statement.getText().replace(/\s+/g, '').includes(`${name}.get(${key.text})`);
  return valueRead ? loop : undefined;
}

/** What a loop iterates: `name` for the state itself, `keys:name` for `Object.keys(name)`, `name.keys()`, or a local holding one of them. */
function keysSource(expression: ts.Expression, depth = 0): string | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) {
    const initializer = depth < 2 ? localInitializer(value) : undefined;
    return initializer ? keysSource(initializer, depth + 1) : value.text;
  }
  if (ts.isCallExpression(value)) {
    const callee = value.expression.getText();
    if ((callee === 'Object.keys' || callee === 'Array.from') && value.arguments.length === 1) {
      const inner = keysSource(value.arguments[0], depth);
      return callee === 'Object.keys' ? (inner && !inner.startsWith('keys:') ? `keys:${inner}` : undefined) : inner;
    }
    if (ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'keys' && value.arguments.length === 0) return `keys:${value.expression.expression.getText()}`;
  }
  if (ts.isArrayLiteralExpression(value) && value.elements.length === 1 && ts.isSpreadElement(value.elements[0])) return keysSource(value.elements[0].expression, depth);
  return undefined;
}

/** How a use empties the state: `x = …` (not from itself), `x.clear()`, `x.length = 0`, or `x.splice(0)` whose removed entries go on. */
export function emptiedBy(use: ts.Expression): 'emptied' | 'handed-on' | undefined {
  const access = ts.isPropertyAccessExpression(use.parent) && use.parent.expression === use ? use.parent : undefined;
  const parent = use.parent;
  if (ts.isBinaryExpression(parent) && parent.left === use && parent.operatorToken.kind === SyntaxKind.EqualsToken) return isEmptyValue(parent.right) ? 'emptied' : undefined;
  if (!access) return undefined;
  const call = ts.isCallExpression(access.parent) && access.parent.expression === access ? access.parent : undefined;
  if (call && access.name.text === 'clear' && call.arguments.length === 0) return 'emptied';
  if (call && access.name.text === 'splice' && call.arguments.length <= 1 && (call.arguments.length === 0 || (ts.isNumericLiteral(call.arguments[0]) && call.arguments[0].text === '0'))) {
    return ts.isExpressionStatement(call.parent) ? 'emptied' : 'handed-on';
  }
  const assignment = access.parent;
  if (access.name.text === 'length' && ts.isBinaryExpression(assignment) && assignment.left === access && ts.isNumericLiteral(assignment.right) && assignment.right.text === '0') return 'emptied';
  return undefined;
}

/**
 * A fresh, empty value: `{}`, `[]`, `0`, `''`, `new Map()`, or a copy of an empty template
 * (`_.cloneDeep(empty)`, `structuredClone(initial)`, `{ ...blank }`). Not `null` (a cache dropped),
 * nor whatever else a reassignment stores (a cache filled).
 */
function isEmptyValue(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  if (ts.isObjectLiteralExpression(value)) return value.properties.every((property) => ts.isSpreadAssignment(property) && EMPTY_TEMPLATE.test(property.expression.getText()));
  if (ts.isArrayLiteralExpression(value)) return value.elements.length === 0;
  if (ts.isNumericLiteral(value)) return value.text === '0';
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return value.text === '';
  if (ts.isNewExpression(value)) return (value.arguments?.length ?? 0) === 0 && /^(?:Map|Set|Array|Object)$/.test(value.expression.getText());
  if (ts.isCallExpression(value)) return value.arguments.length > 0 && value.arguments.every((argument) => EMPTY_TEMPLATE.test(argument.getText()));
  return false;
}

/** `pending.entries()`, `Object.values(stats)`, `Array.from(queue)`: the state's whole contents, read through a call that copies or lists them; the use itself otherwise. */
function wholeContents(use: ts.Expression): ts.Expression {
  const parent = use.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === use && /^(?:entries|values|keys)$/.test(parent.name.text) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent && parent.parent.arguments.length === 0) return parent.parent;
  if (ts.isCallExpression(parent) && parent.arguments.length === 1 && parent.arguments[0] === use && /^(?:Object\.(?:entries|values|keys)|Array\.from)$/.test(parent.expression.getText())) return parent;
  return use;
}

/** Array methods that fold every entry into one value. */
const FOLDS = /^(?:reduce|reduceRight|join)$/;

/**
 * The expression that summarises the whole buffer when `use` is folded (`samples.reduce(sum, 0)`,
 * `lines.join('\n')`) and then only computed with (`(… / 5).toFixed(2)`): the value that replaces the
 * entries wherever it goes. Undefined when the use is no fold.
 */
function summaryOf(use: ts.Expression): ts.Expression | undefined {
  const access = use.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== use || !FOLDS.test(access.name.text)) return undefined;
  if (!ts.isCallExpression(access.parent) || access.parent.expression !== access) return undefined;
  let value: ts.Expression = access.parent;
  for (;;) {
    const parent = value.parent;
    if (ts.isParenthesizedExpression(parent) || (ts.isBinaryExpression(parent) && ARITHMETIC.has(parent.operatorToken.kind))) value = parent;
    // `.toFixed(2)`, `.toString()`: a rendering of the summary.
    else if (ts.isPropertyAccessExpression(parent) && parent.expression === value && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) value = parent.parent;
    else return value;
  }
}

const ARITHMETIC = new Set([SyntaxKind.PlusToken, SyntaxKind.MinusToken, SyntaxKind.AsteriskToken, SyntaxKind.SlashToken]);

/** The expression is handed to a call other than a logger's, directly or as a property of an object literal argument. */
function isArgumentOfCall(value: ts.Expression): boolean {
  let argument: ts.Node = value;
  if (ts.isPropertyAssignment(value.parent) && value.parent.initializer === value) argument = value.parent.parent;
  const call = argument.parent;
  return ts.isCallExpression(call) && call.arguments.includes(argument as ts.Expression) && !LOGGING_CALLEE.test(call.expression.getText());
}

/** A loop whose body calls something other than a logger: the entries go somewhere. */
function loopHandsOn(loop: ts.ForOfStatement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && !LOGGING_CALLEE.test(node.expression.getText())) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return found;
}

const EMPTY_TEMPLATE = /^(?:empty|initial|blank|fresh|zero|clean|default)\w*$/i;

/** The whole state passed on before it is emptied: a call's argument (or in an object literal given to one), or a copy kept in a local. */
function isHandedOn(use: ts.Expression, loops = true): boolean {
  // `send(samples.reduce((a, b) => a + b, 0) / samples.length)`: a summary of the whole buffer goes on in its place.
  const summary = summaryOf(use);
  if (summary) return isArgumentOfCall(summary);
  let value: ts.Node = wholeContents(use);
  // for (const [id, n] of pending) { await save(id, n); }: every entry handed on in the loop.
  if (ts.isForOfStatement(value.parent) && value.parent.expression === value) return loops && loopHandsOn(value.parent);
  while (ts.isParenthesizedExpression(value.parent) || ts.isSpreadElement(value.parent) || ts.isArrayLiteralExpression(value.parent)) value = value.parent;
  const parent = value.parent;
  // new Map(views): a copy, handed on where the copy goes.
  if (ts.isNewExpression(parent) && parent.arguments?.includes(value as ts.Expression)) return isHandedOn(parent);
  if (ts.isVariableDeclaration(parent) && parent.initializer === value) return true;
  let argument: ts.Node = value;
  if ((ts.isPropertyAssignment(parent) && parent.initializer === value) || ts.isShorthandPropertyAssignment(parent)) argument = parent.parent;
  const call = argument.parent;
  return ts.isCallExpression(call) && call.arguments.includes(argument as ts.Expression) && !LOGGING_CALLEE.test(call.expression.getText());
}

/** Callees that report this process's own diagnostics: loggers, and the project's debug helpers (`debugReport(job, note)`). */
const DIAGNOSTIC_CALLEE = /^(?:console|logger|log|winston|pino)\b|\.(?:log|debug|info|warn|error|trace|verbose)$|^debug(?:[A-Z_]\w*)?$/;

/**
 * `if (reported.includes(id)) return; …; logger.warn('slow job', id); reported.push(id)`: a record of
 * the keys this process has already logged or reported for diagnosis, so each is reported once.
 * Every write adds a key beside a diagnostic call of its own block, and every other use only asks
 * whether a key is in it. It de-duplicates this process's own log; nothing a user sees depends on it
 * (a key another instance reports again is one more log line). A record beside a mail, a push or
 * any other call stays what its other uses make it.
 */
export function isLoggedOnceRecord(state: ReadableState, mutations: readonly Mutation[]): boolean {
  if (mutations.length === 0) return false;
  const adds = new Set<ts.Node>();
  for (const mutation of mutations) {
    const add = addedKeyStatement(mutation.node);
    if (!add) return false;
    const block = add.parent;
    if (!ts.isBlock(block) || !block.statements.some((statement) => statement !== add && isDiagnosticStatement(statement))) return false;
    adds.add(mutation.node);
  }
  return readsOf(state).every((use) => {
    const access = use.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== use || !ts.isCallExpression(access.parent) || access.parent.expression !== access) return false;
    if (adds.has(access.parent)) return true;
    return /^(?:includes|indexOf|has)$/.test(access.name.text) && isInCondition(access.parent);
  });
}

/** The statement of `keys.push(k)` / `keys.add(k)`, when the write is one on its own. */
function addedKeyStatement(node: ts.Expression): ts.ExpressionStatement | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || !/^(?:push|add)$/.test(node.expression.name.text) || node.arguments.length !== 1) return undefined;
  return ts.isExpressionStatement(node.parent) ? node.parent : undefined;
}

function isDiagnosticStatement(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  let expression = skipOuterExpressions(statement.expression);
  if (ts.isAwaitExpression(expression) || ts.isVoidExpression(expression)) expression = skipOuterExpressions(expression.expression);
  return ts.isCallExpression(expression) && DIAGNOSTIC_CALLEE.test(expression.expression.getText());
}

/** Within the condition of an `if` or of a `?:`, where only the answer is used. */
function isInCondition(node: ts.Node): boolean {
  for (let current = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent)) return parent.expression === current;
    if (ts.isConditionalExpression(parent)) return parent.condition === current;
    if (!ts.isExpression(parent) || ts.isCallExpression(parent) || ts.isFunctionLike(parent)) return false;
  }
  return false;
}

/**
 * `if (failures == 0) { failures++; console.log('cannot reach the server') }` … `if (failures > 0) {
 * console.log('connection restored'); failures = 0 }`: a latch that has this process log a failure
 * once and its recovery once. Every read of it is the condition of an `if` (with no `else`) whose
 * block holds only diagnostic calls and writes of the latch, and every write sits in such a block:
 * nothing but this process's own log depends on it, however it counts. A count read anywhere else (a
 * limit, a response, a metric) stays what that use makes it.
 */
export function isLogOnceLatch(state: ReadableState, mutations: readonly Mutation[]): boolean {
  if (mutations.length === 0) return false;
  const blocks: ts.Node[] = [];
  for (const read of readsOf(state)) {
    if (isAssignedOrStepped(read)) continue;
    const guard = guardingIf(read);
    if (!guard || guard.elseStatement) return false;
    const statements = ts.isBlock(guard.thenStatement) ? guard.thenStatement.statements : [guard.thenStatement];
    if (!statements.some(isDiagnosticStatement)) return false;
    if (!statements.every((statement) => isDiagnosticStatement(statement) || writesName(statement, state.name))) return false;
    blocks.push(guard.thenStatement);
  }
  return blocks.length > 0 && mutations.every((mutation) => blocks.some((block) => mutation.node.pos >= block.pos && mutation.node.end <= block.end));
}

/** The target of an assignment or of `++`/`--`: a write, not a read. */
function isAssignedOrStepped(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent)) return parent.left === node && parent.operatorToken.kind >= SyntaxKind.FirstAssignment && parent.operatorToken.kind <= SyntaxKind.LastAssignment;
  return (ts.isPostfixUnaryExpression(parent) || ts.isPrefixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken);
}

/** The `if` whose condition `node` is part of, through comparisons, `!` and parentheses only. */
function guardingIf(node: ts.Node): ts.IfStatement | undefined {
  let current = node;
  while (current.parent && (ts.isBinaryExpression(current.parent) || ts.isParenthesizedExpression(current.parent) || ts.isPrefixUnaryExpression(current.parent))) current = current.parent;
  return current.parent && ts.isIfStatement(current.parent) && current.parent.expression === current ? current.parent : undefined;
}

/** `x = 0`, `this.x++`: a statement that only writes the name. */
function writesName(statement: ts.Statement, name: string): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const expression = skipOuterExpressions(statement.expression);
  const target = ts.isBinaryExpression(expression) && expression.operatorToken.kind >= SyntaxKind.FirstAssignment && expression.operatorToken.kind <= SyntaxKind.LastAssignment
    ? expression.left
    : ts.isPostfixUnaryExpression(expression) || ts.isPrefixUnaryExpression(expression) ? expression.operand : undefined;
  if (!target) return false;
  const value = skipOuterExpressions(target);
  return (ts.isIdentifier(value) && value.text === name) || (ts.isPropertyAccessExpression(value) && value.name.text === name);
}

/**
 * `exitCode = code; process.emit('SIGINT')` … `process.exit(exitCode)`: the status this process exits with.
 * Every read of it is the argument of `process.exit` or the value `process.exitCode` is set to; a value read
 * anywhere else (a response, a condition) stays what that use makes it.
 */
export function isExitStatus(state: ReadableState): boolean {
  const reads = readsOf(state).filter((read) => !isAssignedOrStepped(read));
  return reads.length > 0 && reads.every(isExitArgument);
}

function isExitArgument(read: ts.Expression): boolean {
  let node: ts.Node = read;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isCallExpression(parent)) return parent.arguments[0] === node && compactCode(parent.expression.getText()) === 'process.exit';
  return ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === SyntaxKind.EqualsToken && compactCode(parent.left.getText()) === 'process.exitCode';
}

/**
 * `if (++requestsSinceGC == 10) { for (const id in waiting) if (expired(waiting[id])) delete waiting[id];
 * requestsSinceGC = 0 }`: a tick that decides when this process sweeps its own memory, every tenth
 * request here. What it guards only drops entries and resets the tick; each instance sweeping on its own
 * tenth request is what one instance does. A guarded block that answers, throws, calls anything but a
 * removal or a clock, or writes anything but locals and the tick, makes it a count that matters (an
 * attempt limit, a rollover that saves), and it stays a counter.
 */
export function isSweepTick(state: ReadableState, mutations: readonly Mutation[]): boolean {
  if (state.kind !== 'module' || mutations.length === 0) return false;
  const reads = readsOf(state);
  if (reads.length === 0) return false;
  let guards = 0;
  for (const read of reads) {
    const test = guardedTest(read);
    if (!test) {
      // The tick's own reset or a plain `++tick;` statement: no other read.
      if (mutations.some((m) => read.pos >= m.node.pos && read.end <= m.node.end && ts.isExpressionStatement(m.node.parent))) continue;
      return false;
    }
    if (!onlySweeps(test.thenStatement, state.name)) return false;
    guards++;
  }
  return guards > 0;
}

/** The `if` whose condition compares the read (or its increment) with a number literal, with no `else`. */
function guardedTest(read: ts.Expression): ts.IfStatement | undefined {
  let current: ts.Node = read;
  while (ts.isParenthesizedExpression(current.parent) || (ts.isPrefixUnaryExpression(current.parent) && (current.parent.operator === SyntaxKind.PlusPlusToken))) current = current.parent;
  const comparison = current.parent;
  if (!ts.isBinaryExpression(comparison) || !TICK_COMPARISONS.has(comparison.operatorToken.kind)) return undefined;
  const other = skipOuterExpressions(comparison.left === current ? comparison.right : comparison.left);
  if (!ts.isNumericLiteral(other) && !(ts.isIdentifier(other) && /^[A-Z][A-Z0-9_]*$/.test(other.text))) return undefined;
  let condition: ts.Node = comparison;
  while (ts.isParenthesizedExpression(condition.parent)) condition = condition.parent;
  const test = condition.parent;
  return ts.isIfStatement(test) && test.expression === condition && !test.elseStatement ? test : undefined;
}

const TICK_COMPARISONS = new Set([SyntaxKind.EqualsEqualsToken, SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.GreaterThanEqualsToken, SyntaxKind.GreaterThanToken]);

/** Drops entries, reads the clock and resets the tick: nothing else happens in the block. */
function onlySweeps(block: ts.Statement, tick: string): boolean {
  let resets = false;
  // A block that only resets (`if (hits > 1e9) hits = 0`) sweeps nothing: the number is a count that wraps.
  let drops = false;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node) || ts.isAwaitExpression(node) || ts.isYieldExpression(node) || ts.isFunctionLike(node) || ts.isNewExpression(node)) {
      other = true;
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (!SWEEP_CALLS.has(name) && callee.getText() !== 'Date.now') {
        other = true;
        return;
      }
      if (DROP_CALLS.has(name)) drops = true;
    }
    if (ts.isDeleteExpression(node)) drops = true;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= SyntaxKind.FirstAssignment && node.operatorToken.kind <= SyntaxKind.LastAssignment) {
      const target = skipOuterExpressions(node.left);
      if (ts.isIdentifier(target) && target.text === tick && ts.isNumericLiteral(skipOuterExpressions(node.right)) && Number((skipOuterExpressions(node.right) as ts.NumericLiteral).text) === 0) resets = true;
      else if (!(ts.isIdentifier(target) && isShadowed(target, target.text))) {
        other = true;
        return;
      }
    }
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken)) {
      const target = skipOuterExpressions(node.operand);
      if (!(ts.isIdentifier(target) && isShadowed(target, target.text))) {
        other = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return resets && drops && !other;
}

/** Removals, and the reads a sweep makes to find what to remove. */
const SWEEP_CALLS = new Set(['delete', 'clear', 'splice', 'has', 'get', 'keys', 'values', 'entries']);
const DROP_CALLS = new Set(['delete', 'clear', 'splice']);
