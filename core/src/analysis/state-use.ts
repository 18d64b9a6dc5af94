import ts = require('typescript');
import { isRemoteEmitter } from './event-listeners';
import { getFileFacts, type Mutation } from './file-facts';
import type { Reach } from './request-graph';
import { drawsAtRandom } from './drawn-secrets';
import { localInitializer, valuesOfLocal } from './scope';
import { propertyNameText, returnedValues, skipOuterExpressions, sqlText, WRITE_SQL } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * How request paths use a piece of state, read from its writes and the code around them (STYLE.md:
 * classify by use, names break ties):
 * - `lock`: taken and released again by the same function, after a check of it or with the release
 *   in a `finally` (`if (busy) return; busy = true; try { … } finally { busy = false }`,
 *   `locks.add(id) … locks.delete(id)`, a list of ids in progress pushed after a check and filtered
 *   or spliced out again), or a map of in-flight promises around work that writes;
 * - `single-flight`: a map of in-flight promises whose callers share the stored promise around work
 *   that only reads (`if (m.has(k)) return m.get(k)`): each instance doing the read once is correct;
 * - `flag`: a boolean set one way and never released by the function that sets it (`ready = true`);
 * - `cache`: filled once per key (guarded by a miss, or after an early return on a hit) and
 *   otherwise only invalidated (`delete`, `clear`, an expiry timer);
 * - `refresh`: a clock stamp gating only a same-file refresh of this module's own copies: the time of
 *   this process's last refresh.
 */
export type StateUse = 'lock' | 'single-flight' | 'flag' | 'cache' | 'refresh';

/** The work a single-flight map guards writes: then the dedupe is mutual exclusion (a charge, an order, a file). */
const WRITING_WORK = /^(charge|pay|capture|refund|transfer|withdraw|debit|credit|create|insert|update|upsert|delete|remove|save|store|write|put|post|send|submit|place|book|reserve|process|handle|import|sync|provision|fulfil|ship|migrate|rotate|issue|redeem|claim|apply|execute|run)/i;
const REQUEST_ROOTS = /^(req|request|ctx|body|input|payload|dto|event)$/;
/** Keys that name a user or a session: `req.user.id`, `userId`, `ctx.session.id`, `token`. */
const PER_USER_KEY = /\b(user|userId|session|sessionId|sid|account|accountId|customer|customerId|token|member|memberId)\b|\.(user|session)\b/i;
/** Ids created for a new session or token: state keyed by them is per-user, whatever it is called. */
const FRESH_ID = /\b(randomUUID|uuid|uuidv4|v4|nanoid|randomBytes|cuid|createId|ulid|generateId|generateToken|createToken)\s*\(/;

/** The use the writes show, or undefined when they do not settle it (then names decide). */
export function lockUseOf(holds: string, mutations: readonly Mutation[]): StateUse | undefined {
  const acquires = mutations.filter((m) => isAcquire(m));
  const releases = mutations.filter((m) => isRelease(m) && !inTimerCallback(m.node));
  for (const acquire of acquires) {
    const key = keyOf(acquire);
    const owner = ownerText(acquire);
    const release = releases.find((r) => !inListenerCallback(r.node, acquire.node) && keyOf(r) === key && ownerText(r) === owner && acquire.function !== undefined && contains(acquire.function, r.node) && !isOtherOutcome(acquire.node, r.node));
    if (!release || !acquire.function) continue;
    const coalesced = coalescedWork(acquire, owner, key);
    if (coalesced) return namesWritingWork(coalesced, owner) ? 'lock' : 'single-flight';
    if (!inFinally(release.node) && !testsBefore(acquire.function, acquire.node, owner)) continue;
    if (holds === 'value' || !ts.isCallExpression(acquire.node) || !isPromiseSet(acquire.node)) return 'lock';
    // Each task started after the one before it for the key (`m.set(k, (m.get(k) ?? none).then(task))`): callers wait their turn, a queue per key.
    if (chainsAfterPrevious(acquire.node, owner, key)) return 'lock';
    if (!sharesStoredValue(acquire.function, owner, key)) return 'lock';
    return guardsWritingWork(acquire.node, owner) ? 'lock' : 'single-flight';
  }
  if (isBusyList(mutations)) return 'lock';
  if (holds === 'value' && isFlagReleasedElsewhere(acquires, mutations)) return 'lock';
  if (holds === 'value' && isThrottle(acquires)) return 'lock';
  const stamped = throttledWork(mutations);
  if (stamped === 'sends') return 'lock';
  if (stamped === 'refreshes') return 'refresh';
  if (holds !== 'value' && isLease(mutations)) return 'lock';
  if (holds !== 'value' && isTimedHold(mutations)) return 'lock';
  if (holds === 'value' && mutations.length > 0 && mutations.every((m) => isBooleanWrite(m))) return 'flag';
  return undefined;
}

/**
 * A list of what is in progress: `if (scanning.includes(id)) return; scanning.push(id); …;
 * scanning = scanning.filter((x) => x !== id)` (or `splice`), the check written before the push,
 * directly or through a method of the same class (`if (this.isScanning(id)) return`). Each process
 * refuses only its own second run; another instance starts the same work.
 */
function isBusyList(mutations: readonly Mutation[]): boolean {
  return mutations.some((push) => {
    const fn = push.function;
    if (!fn || !isPush(push)) return false;
    const owner = ownerText(push);
    const released = mutations.some((release) => release !== push && ownerText(release) === owner && contains(fn, release.node) && release.node.pos > push.node.pos && isListRemoval(release) && !inTimerCallback(release.node) && !inListenerCallback(release.node, push.node));
    return released && owner !== undefined && (testsBefore(fn, push.node, owner) || testsThroughMethodBefore(fn, push.node, owner));
  });
}

/**
 * A lease per key: `const current = holds.get(key); if (current && current.expires > Date.now() &&
 * current.user !== user) return null; holds.set(key, { user, expires: … })`. Another owner's entry,
 * until it expires, refuses the request (a seat held during checkout, a page someone is editing).
 * Each process refuses only the leases it holds: another instance gives the same seat to a second buyer.
 */
function isLease(mutations: readonly Mutation[]): boolean {
  return mutations.some((set) => {
    const fn = set.function;
    const key = keyOf(set);
    const owner = ownerText(set);
    if (!fn || key === undefined || owner === undefined || !isAcquire(set)) return false;
    const entry = readEntryLocal(fn, owner, key);
    if (entry === undefined) return false;
    let lease = false;
    const visit = (node: ts.Node): void => {
      if (lease || node.pos >= set.node.pos || (ts.isFunctionLike(node) && node !== fn)) return;
      if (ts.isIfStatement(node) && !contains(node, set.node) && exits(node.thenStatement)) lease = comparesWithNow(node.expression, entry) && comparesOwner(node.expression, entry);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn, visit);
    return lease;
  });
}

/**
 * A hold per key with a timer of its own: `if (locks.has(path)) return refuse(); const timeout =
 * setTimeout(() => release(path), ms); locks.set(path, { token, timeout })`. While the entry is there the
 * request is refused without reading it (a cache answers from it instead), and the timer armed as it is
 * taken lets it go when its holder does not (a WebDAV lock, a reservation): a lease. Each process refuses
 * only the holds it keeps: another instance grants the same key to a second holder.
 */
function isTimedHold(mutations: readonly Mutation[]): boolean {
  return mutations.some((set) => {
    const fn = set.function;
    const key = keyOf(set);
    const owner = ownerText(set);
    if (!fn || key === undefined || owner === undefined || !ts.isCallExpression(set.node) || !ts.isPropertyAccessExpression(set.node.expression) || set.node.expression.name.text !== 'set') return false;
    return refusedWhilePresent(fn, set.node, owner, key) && armsRelease(fn, owner, key);
  });
}

/** `if (owner.has(key)) return …` before `node` in `fn`, whose exit does not read the state: a refusal, not a hit. */
function refusedWhilePresent(fn: ts.Node, node: ts.Node, owner: string, key: string): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || current.pos >= node.pos || (ts.isFunctionLike(current) && current !== fn)) return;
    if (ts.isIfStatement(current) && !contains(current, node) && !current.elseStatement && exits(current.thenStatement) && compact(skipOuterExpressions(current.expression).getText()) === `${owner}.has(${key})` && !compact(current.thenStatement.getText()).includes(owner)) found = true;
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** A `setTimeout` in `fn` whose callback deletes the key from the state, directly or through a function of the same file. */
function armsRelease(fn: ts.Node, owner: string, key: string): boolean {
  const deletes = (body: ts.Node): boolean => compact(body.getText()).includes(`${owner}.delete(`);
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || (ts.isFunctionLike(current) && current !== fn && !inTimerCallback(current))) return;
    if (ts.isCallExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === 'setTimeout' && current.arguments.length > 0) {
      const callback = skipOuterExpressions(current.arguments[0]);
      if (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) {
        if (deletes(callback.body) && compact(callback.body.getText()).includes(key)) found = true;
        const call = ts.isCallExpression(callback.body) ? callback.body : undefined;
        const released = call && sameFileFunction(call);
        if (call && released?.body && deletes(released.body) && call.arguments.some((argument) => compact(argument.getText()) === key)) found = true;
      }
    }
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** The local `fn` reads the entry into: `const current = holds.get(key)` or `= holds[key]`. */
function readEntryLocal(fn: ts.Node, owner: string, key: string): string | undefined {
  let local: string | undefined;
  const visit = (node: ts.Node): void => {
    if (local || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const read = compact(skipOuterExpressions(node.initializer).getText());
      if (read === `${owner}.get(${key})` || read === `${owner}[${key}]`) local = node.name.text;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return local;
}

const ORDERINGS = new Set([SyntaxKind.LessThanToken, SyntaxKind.LessThanEqualsToken, SyntaxKind.GreaterThanToken, SyntaxKind.GreaterThanEqualsToken]);

/** `entry.expires > Date.now()` (either side, any order), anywhere in the condition. */
function comparesWithNow(condition: ts.Expression, entry: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && ORDERINGS.has(node.operatorToken.kind)) {
      const sides = [skipOuterExpressions(node.left), skipOuterExpressions(node.right)];
      found = sides.some((side) => ts.isPropertyAccessExpression(side) && compact(side.expression.getText()) === entry) && sides.some((side) => isClockNow(side));
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** `entry.user !== user`: the entry belongs to someone else. */
function comparesOwner(condition: ts.Expression, entry: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === SyntaxKind.ExclamationEqualsEqualsToken || node.operatorToken.kind === SyntaxKind.ExclamationEqualsToken)) {
      found = [node.left, node.right].some((side) => {
        const value = skipOuterExpressions(side);
        return ts.isPropertyAccessExpression(value) && compact(value.expression.getText()) === entry;
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/**
 * A busy flag taken in one function and given back in another: `if (this.sending) { queue.push(e);
 * return false } this.sending = true` in `claim()`, `this.sending = false` in the `finished()` the
 * work calls when it is done (often after a delay, in a timer). The flag refuses a second run while
 * it is set, and a request path gives it back, so it is a lock of this process only. A flag set
 * without an exit on it (`if (!connected) connected = true`) or given back only outside request
 * paths (at shutdown) is not.
 */
function isFlagReleasedElsewhere(acquires: readonly Mutation[], mutations: readonly Mutation[]): boolean {
  return acquires.some((acquire) => {
    const fn = acquire.function;
    const owner = ownerText(acquire);
    if (!fn || owner === undefined || !isBooleanWrite(acquire) || !exitsWhileTaken(fn, acquire.node, owner)) return false;
    return mutations.some((release) => ownerText(release) === owner && isBooleanWrite(release) && isRelease(release) && !contains(fn, release.node));
  });
}

/** `if (busy) return` (or `if (this.busy && …) { …; return false }`) before `node` in `fn`: the work is refused while the flag is set. */
function exitsWhileTaken(fn: ts.Node, node: ts.Node, owner: string): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || current.pos >= node.pos || (ts.isFunctionLike(current) && current !== fn)) return;
    if (ts.isIfStatement(current) && !contains(current, node) && exits(current.thenStatement) && testsSet(current.expression, owner)) found = true;
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** The condition holds while the flag is set: the flag itself, `flag === true`, or either side of an `&&`. */
function testsSet(condition: ts.Expression, owner: string): boolean {
  const value = skipOuterExpressions(condition);
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) return testsSet(value.left, owner) || testsSet(value.right, owner);
  if (ts.isBinaryExpression(value) && (value.operatorToken.kind === SyntaxKind.EqualsEqualsEqualsToken || value.operatorToken.kind === SyntaxKind.EqualsEqualsToken)) {
    return compact(value.left.getText()) === owner && skipOuterExpressions(value.right).kind === SyntaxKind.TrueKeyword;
  }
  return compact(value.getText()) === owner;
}

function isPush(mutation: Mutation): boolean {
  const node = mutation.node;
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'push' && node.arguments.length === 1;
}

/** `xs = xs.filter(…)` or `xs.splice(…)`: an entry taken out again. */
function isListRemoval(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isCallExpression(node)) return ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'splice';
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
  const value = skipOuterExpressions(node.right);
  return ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'filter' && compact(skipOuterExpressions(value.expression.expression).getText()) === compact(skipOuterExpressions(node.left).getText());
}

/** `if (this.isScanning(id)) return` before `node`, the method reading `this.<field>` the owner names. */
function testsThroughMethodBefore(fn: ts.Node, node: ts.Node, owner: string): boolean {
  if (!owner.startsWith('this.')) return false;
  const owningClass = enclosingClassOf(fn);
  if (!owningClass) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || current.pos >= node.pos) return;
    const condition = ts.isIfStatement(current) ? current.expression : ts.isConditionalExpression(current) ? current.condition : undefined;
    if (condition) found = callsMethodReading(condition, owningClass, owner);
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

function callsMethodReading(condition: ts.Expression, owningClass: ts.ClassLikeDeclaration, owner: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.kind === SyntaxKind.ThisKeyword) {
      const name = node.expression.name.text;
      const method = owningClass.members.find((member) => ts.isMethodDeclaration(member) && member.name.getText() === name);
      if (method && ts.isMethodDeclaration(method) && method.body && includesName(method.body.getText(), owner)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

function enclosingClassOf(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (ts.isClassLike(current)) return current;
  return undefined;
}

/** `setTimeout(() => { flag = false }, ms)` written in `fn`: the flag is given back later, by the clock. */
export function hasTimedRelease(fn: ts.Node, owner: string | undefined): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && compact(skipOuterExpressions(node.left).getText()) === owner && skipOuterExpressions(node.right).kind === SyntaxKind.FalseKeyword && inTimerCallback(node)) found = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

const SENDING_WORK = /^(emit|send|notify|publish|broadcast|push|alert|mail|sendMail|enqueue)/i;

/**
 * `if (!sent) { sent = true; notify(…); setTimeout(() => { sent = false }, 5000) }`: a flag taken
 * after a check of it and given back by a timer the same function starts, around work that sends or
 * writes. It throttles that work per process: N instances send N times per period.
 */
function isThrottle(acquires: readonly Mutation[]): boolean {
  return acquires.some((acquire) => {
    const fn = acquire.function;
    const owner = ownerText(acquire);
    if (!fn || !isBooleanWrite(acquire) || !testsBefore(fn, acquire.node, owner)) return false;
    if (!hasTimedRelease(fn, owner)) return false;
    let sends = false;
    const visit = (node: ts.Node): void => {
      if (sends || (ts.isFunctionLike(node) && node !== fn)) return;
      if (ts.isCallExpression(node)) {
        const callee = skipOuterExpressions(node.expression);
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        if (SENDING_WORK.test(name) || (WRITING_WORK.test(name) && !/^(set|clear)(Timeout|Interval)$/.test(name))) sends = true;
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn, visit);
    return sends;
  });
}

/** `Date.now()`, `new Date()`, `+new Date()`, `new Date().getTime()`, `performance.now()`, or a local holding one (`const now = Date.now()`). */
export function isClockNow(expression: ts.Expression, depth = 0): boolean {
  const value = skipOuterExpressions(expression);
  if (/^(\+?newDate\(\)|Date\.now\(\)|newDate\(\)\.(getTime|valueOf)\(\)|performance\.now\(\))$/.test(compact(value.getText()))) return true;
  if (ts.isIdentifier(value) && depth === 0) {
    const initializer = localInitializer(value);
    return initializer !== undefined && isClockNow(initializer, depth + 1);
  }
  return false;
}

/** The clock now, or a time from it (`Date.now() + period`). */
function isClockValue(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  return isClockNow(value) || (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken && isClockNow(value.left));
}

/** The value a write stores: `x = v`, `m[k] = v`, `m.set(k, v)`. */
function storedByWrite(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) return node.right;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set') return node.arguments[1];
  return undefined;
}

/**
 * `if (Date.now() - lastAlertAt > PERIOD) { lastAlertAt = Date.now(); sendMail(…) }`, also per key
 * (`sent[key] = Date.now()`) or after an early return (`if (now - last < PERIOD) return;`): a time
 * stamped when work that sends or writes runs, checked against the clock so the work runs at most
 * once per period. It throttles per process: N instances send N times per period.
 * That is `sends`. When the work is only a same-file refresh of this module's own copies (`if (now -
 * lastRefresh > PERIOD) { lastRefresh = now; updateReleaseNotes() }`), `refreshes`: the time of this
 * process's last refresh, neither a lock nor a count.
 */
function throttledWork(mutations: readonly Mutation[]): 'sends' | 'refreshes' | undefined {
  if (mutations.length === 0 || !mutations.every((m) => !m.isIncrement && (isRemovalWrite(m) || (storedByWrite(m) !== undefined && isClockValue(storedByWrite(m)!))))) return undefined;
  let refreshes = false;
  const sends = mutations.some((stamp) => {
    const fn = stamp.function;
    const owner = ownerText(stamp);
    if (!fn || owner === undefined || isRemovalWrite(stamp) || !clockTestBefore(fn, stamp.node, owner)) return false;
    if (stampsFillBeside(stamp.node, owner, fn)) refreshes = true;
    // The work the stamp is written with: in the same block, after it.
    let block: ts.Node = stamp.node;
    while (block.parent && !ts.isBlock(block.parent) && !ts.isSourceFile(block.parent) && block.parent !== fn) block = block.parent;
    const scope = block.parent ?? fn;
    let sends = false;
    const visit = (node: ts.Node): void => {
      if (sends || (ts.isFunctionLike(node) && node !== fn)) return;
      if (ts.isCallExpression(node) && node.pos >= stamp.node.end && !isResponseCall(node)) {
        const callee = skipOuterExpressions(node.expression);
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        if (refreshesOwnCopy(node)) refreshes = true;
        else if (SENDING_WORK.test(name) || (WRITING_WORK.test(name) && !/^(set|clear)(Timeout|Interval)$/.test(name))) sends = true;
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(scope, visit);
    return sends;
  });
  return sends ? 'sends' : refreshes ? 'refreshes' : undefined;
}

/**
 * `this.versions = versions; this.versionsFetchedAt = now` after `if (this.versions.length > 0 && now -
 * this.versionsFetchedAt < DAY) return this.versions`: the stamp is written with a whole value of another
 * state, in the same block, and nothing between the function's start and the stamp sends or writes (it
 * fetched, parsed, sorted): the age of this process's copy beside it, which its own reading covers.
 * `await mailer.sendMail(…); lastAlert = now; lastAlertText = text` is still the throttle of a send.
 */
function stampsFillBeside(stamp: ts.Node, owner: string, fn: ts.Node): boolean {
  let statement: ts.Node = stamp;
  while (statement.parent && !ts.isBlock(statement.parent) && statement.parent !== fn) statement = statement.parent;
  const block = statement.parent;
  if (!block || !ts.isBlock(block) || !ts.isExpressionStatement(statement)) return false;
  const filled = block.statements.some((other) => {
    if (other === statement || !ts.isExpressionStatement(other)) return false;
    const expression = skipOuterExpressions(other.expression);
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
    const target = skipOuterExpressions(expression.left);
    const isState = (ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword) || (ts.isIdentifier(target) && localInitializer(target) === undefined);
    return isState && compact(target.getText()) !== owner && !isClockValue(expression.right) && !isRemovalText(expression.right);
  });
  if (!filled) return false;
  let works = false;
  const visit = (node: ts.Node): void => {
    if (works || node.pos >= stamp.pos) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (SENDING_WORK.test(name) || (WRITING_WORK.test(name) && !/^(set|clear)(Timeout|Interval)$/.test(name))) works = true;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return !works;
}

function isRemovalText(value: ts.Expression): boolean {
  return /^(0|null|undefined|\[\]|\{\})$/.test(compact(skipOuterExpressions(value).getText()));
}

/** Calls that compute or log, not work: `Math.max(…)`, `String(…)`, `JSON.parse(…)`, `logger.debug(…)`, a promise's `.then`. */
const PURE_RECEIVER = /^(Math|JSON|Number|String|Object|Array|Date|console|logger|Logger|log|debug)$/;
const PROMISE_PLUMBING = /^(then|catch|finally|resolve)$/;

/**
 * `updateReleaseNotes()` where this file declares it and its body only loads (`axios.get(URL).then((r) => { notes = r.data })`,
 * `getStoreUsers(id).then(…)`): a refresh of this process's own copy, whatever its name says. One load per instance per
 * period is what a local copy needs; it sends nothing and writes nothing another instance shares.
 */
function refreshesOwnCopy(call: ts.CallExpression): boolean {
  const body = sameFileFunction(call)?.body;
  if (!body) return false;
  let loads = false;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isCallExpression(node)) {
      const target = skipOuterExpressions(node.expression);
      const name = ts.isPropertyAccessExpression(target) ? target.name.text : ts.isIdentifier(target) ? target.text : '';
      const receiver = ts.isPropertyAccessExpression(target) ? skipOuterExpressions(target.expression) : undefined;
      if (READ_CALL.test(name) && !isWritingCall(node)) loads = true;
      else if (!PROMISE_PLUMBING.test(name) && !PURE_RECEIVER.test(receiver && ts.isIdentifier(receiver) ? receiver.text : name)) other = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return loads && !other;
}

/** `res.send(…)`, `reply.status(429).send(…)`, `ctx.throw(…)`: answering the request, not work the stamp throttles. */
function isResponseCall(call: ts.CallExpression): boolean {
  let root: ts.Expression = call.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isElementAccessExpression(root)) root = ts.isCallExpression(root) ? root.expression : root.expression;
  return ts.isIdentifier(root) && /^(res|response|reply|ctx|context)$/.test(root.text);
}

/** `delete sent[key]`, `sent.delete(key)`, `last = 0`: forgetting a stamp. */
function isRemovalWrite(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isDeleteExpression(node)) return true;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) return node.expression.name.text === 'delete' || node.expression.name.text === 'clear';
  return ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && (/^(0|null|undefined)$/.test(skipOuterExpressions(node.right).getText()));
}

/** A condition before `node` in `fn` that reads the state and the clock (`Date.now() - last > period`, `now - sent[key] < ttl`). */
function clockTestBefore(fn: ts.Node, node: ts.Node, owner: string): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || current.pos >= node.pos) return;
    const condition = ts.isIfStatement(current) ? current.expression : ts.isConditionalExpression(current) ? current.condition : undefined;
    if (condition && mentionsState(condition, owner) && /\b(Date\.now|newDate|now|performance\.now)\b/.test(compact(condition.getText()))) found = true;
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** Every write fills the state once per key or invalidates it, and at least one fills it. */
export function isCacheUse(mutations: readonly Mutation[]): boolean {
  const fills = mutations.filter(isFill);
  return fills.length > 0 && mutations.every((m) => fills.includes(m) || isInvalidation(m));
}

/**
 * Any write keyed by a freshly generated id (`sessions.set(randomUUID(), user)`), or by a member the
 * same function gives one when the client sent none (`if (!file.id) file.id = randomUUID()`, then
 * `uploads[file.id] = …`): per-user state, found again by the id the client sends back.
 */
export function isKeyedByFreshId(mutations: readonly Mutation[]): boolean {
  return mutations.some((m) => {
    const key = keyNode(m) ?? listedKey(m);
    if (!key) return false;
    const value = skipOuterExpressions(key);
    const text = ts.isIdentifier(value) ? (localInitializer(value)?.getText() ?? '') : value.getText();
    if (FRESH_ID.test(text) || (ts.isPropertyAccessExpression(value) && ((m.function !== undefined && assignsFreshId(m.function, compact(value.getText()))) || isFreshIdOfNewInstance(value)))) return true;
    if (ts.isIdentifier(value) && drawnByOwnHelper(localInitializer(value) ?? value)) return true;
    // `let key; do { key = Math.random().toString(36).substring(2) } while (keys.includes(key)); keys.push(key)`: a token drawn here.
    return ts.isIdentifier(value) && valuesOfLocal(value).some(isMintedToken);
  });
}

/**
 * `const finalState = state || this.generateState()`, where the class's `generateState()` returns
 * `crypto.randomBytes(32).toString('hex')`: a token drawn by a helper of the same class or file (a
 * method called on `this`, a function of the module), alone or as the fallback of a value the caller
 * may pass. The helper's every returned value is a minted token.
 */
function drawnByOwnHelper(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(value) && (value.operatorToken.kind === SyntaxKind.BarBarToken || value.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) return drawnByOwnHelper(value.right);
  if (ts.isConditionalExpression(value)) return drawnByOwnHelper(value.whenTrue) || drawnByOwnHelper(value.whenFalse);
  if (ts.isAwaitExpression(value)) return drawnByOwnHelper(value.expression);
  if (!ts.isCallExpression(value) || value.arguments.length > 0) return false;
  const helper = ownMethodCalled(value) ?? sameFileFunction(value);
  if (!helper?.body) return false;
  const returned = returnedValues(helper);
  return returned.length > 0 && returned.every(isMintedToken);
}

/** `this.generateState()`: the method of that name of the class the call is written in. */
function ownMethodCalled(call: ts.CallExpression): ts.MethodDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== SyntaxKind.ThisKeyword) return undefined;
  const owner = ts.findAncestor(call, ts.isClassLike);
  return owner?.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.body !== undefined && propertyNameText(member.name) === callee.name.text);
}

/** `keys.push(key)`: a list whose members are the keys (one-time codes, invite keys) looked up by membership. */
function listedKey(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['push', 'unshift'].includes(node.expression.name.text) && node.arguments.length === 1 ? node.arguments[0] : undefined;
}

/** A value drawn at random as text (`randomBytes(32).toString('hex')`, `` `${Math.random().toString(36).slice(2)}${…}` ``): a token. */
function isMintedToken(value: ts.Expression): boolean {
  const text = compact(value.getText());
  // A bare `Math.random()` is a number (a sample, a jitter), not a token.
  return (drawsAtRandom(value) && text !== 'Math.random()') || FRESH_ID.test(text) || MINTED_TEXT.test(text);
}

/** `Math.random().toString(36)`: the classic random token, written without a library. */
const MINTED_TEXT = /\bMath\.random\(\)\.toString\(36\)/;

/**
 * `run.id` of `const run = new Run()`, a class of this file whose `id` is drawn as it is made
 * (`readonly id = crypto.randomUUID()`, or `this.id = id ?? crypto.randomUUID()` in its constructor).
 */
function isFreshIdOfNewInstance(key: ts.PropertyAccessExpression): boolean {
  const holder = skipOuterExpressions(key.expression);
  const made = ts.isIdentifier(holder) ? localInitializer(holder) : undefined;
  const value = made && skipOuterExpressions(made);
  if (!value || !ts.isNewExpression(value) || !ts.isIdentifier(value.expression)) return false;
  const className = value.expression.text;
  const declaration = key.getSourceFile().statements.find((statement): statement is ts.ClassDeclaration => ts.isClassDeclaration(statement) && statement.name?.text === className);
  if (!declaration) return false;
  const member = key.name.text;
  return declaration.members.some((element) => {
    if (ts.isPropertyDeclaration(element) && ts.isIdentifier(element.name) && element.name.text === member && element.initializer) return FRESH_ID.test(element.initializer.getText());
    return ts.isConstructorDeclaration(element) && element.body !== undefined && assignsFreshId(element.body, `this.${member}`);
  });
}

/** `target = randomUUID()` somewhere in `fn`. */
function assignsFreshId(fn: ts.Node, target: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && compact(node.left.getText()) === target && FRESH_ID.test(node.right.getText())) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** Names and keys that say a state is about users: their sessions, logins, tokens, carts, presence. */
const USER_WORDS = /user|session|\bsid\b|\buid\b|\bip\b|login|logged|auth|token|account|customer|member|cart|profile|pref|visitor|online|presence|grant|nonce|otp|captcha|oauth|oidc|credential|password/i;

/**
 * Whether what a state holds is its users': named for users or sessions, written under a user's,
 * a session's or a fresh id (`carts[req.user.id]`, `pending.set(nonce, …)`), or by a sign-in route
 * (`POST /login`), or a member so named is written (`state.lastVisitor = name`). Else it holds the
 * application's data (games, rooms, uploads, records), which a message should not call per-user.
 */
export function holdsUsersState(name: string, writes: readonly { mutation: Mutation; reaches: readonly Reach[] }[]): boolean {
  return isKeyedByFreshId(writes.map((write) => write.mutation)) || namesUsers(name, writes);
}

/** Whether the state's name, its routes, a member written or a key say it is about users (`drafts[userId]`, `POST /login`): holdsUsersState without the fresh ids records carry. */
export function namesUsers(name: string, writes: readonly { mutation: Mutation; reaches: readonly Reach[] }[], membersNameSettings = false): boolean {
  const mutations = writes.map((write) => write.mutation);
  const routes = writes.flatMap((write) => write.reaches.map((reach) => reach.entry.written ?? reach.entry.label));
  if (USER_WORDS.test(name) || routes.some((route) => USER_WORDS.test(route))) return true;
  return mutations.some((m) => {
    // The member written (`state.lastVisitor = name`) names what is kept as well as a key does, unless the members are a
    // settings document's, set one after another from a form (`config.loginCheckIp = body.loginCheckIp`).
    if (!membersNameSettings && ts.isBinaryExpression(m.node) && ts.isPropertyAccessExpression(skipOuterExpressions(m.node.left)) && USER_WORDS.test((skipOuterExpressions(m.node.left) as ts.PropertyAccessExpression).name.text)) return true;
    const key = keyNode(m);
    if (!key) return false;
    const value = skipOuterExpressions(key);
    return USER_WORDS.test(ts.isIdentifier(value) ? (localInitializer(value)?.getText() ?? value.text) : value.getText());
  });
}

/**
 * A write of request data under a per-user key (`prefs.set(req.user.id, req.body)`): per-user
 * state, whatever the Map is called.
 */
export function isPerUserRequestWrite(mutations: readonly Mutation[]): boolean {
  return mutations.some((m) => {
    const key = keyNode(m);
    const value = storedValue(m);
    return key !== undefined && value !== undefined && PER_USER_KEY.test(key.getText()) && isRequestData(skipOuterExpressions(value));
  });
}

/**
 * A module binding or field initialised with what a call loads at start-up (`let config =
 * require('./config')`, `let settings = loadSettings()`) and only ever replaced whole, by request
 * data at least once (`config = req.body.config`): one copy of data every user shares (a
 * configuration, settings), which the saving instance replaces and the others keep. A binding that
 * starts empty (`let lastUser = ''`) and takes a request's value is per-user state instead.
 */
export function isLoadedCopyReplacedByRequest(nameNode: ts.Node, mutations: readonly Mutation[]): boolean {
  const declaration = nameNode.parent;
  const initializer = declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.name === nameNode ? declaration.initializer : undefined;
  if (!initializer) return false;
  const loaded = skipOuterExpressions(initializer);
  if (!ts.isCallExpression(ts.isAwaitExpression(loaded) ? skipOuterExpressions(loaded.expression) : loaded)) return false;
  const replacements = mutations.map((mutation) => (mutation.isReassignment && ts.isBinaryExpression(mutation.node) && mutation.node.operatorToken.kind === SyntaxKind.EqualsToken ? skipOuterExpressions(mutation.node.right) : undefined));
  return replacements.every((value) => value !== undefined) && replacements.some((value) => value !== undefined && isRequestData(value));
}

/** `req.body`, `{ ...req.body, id }`, `ctx.request.body.user`: data a request writes through. */
export function isRequestData(expression: ts.Expression): boolean {
  if (ts.isObjectLiteralExpression(expression)) {
    return expression.properties.some((p) => (ts.isSpreadAssignment(p) && isRequestData(skipOuterExpressions(p.expression))) || (ts.isPropertyAssignment(p) && isRequestData(skipOuterExpressions(p.initializer))));
  }
  let current = expression;
  let depth = 0;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
    current = skipOuterExpressions(current.expression);
    depth++;
  }
  return depth > 0 && ts.isIdentifier(current) && REQUEST_ROOTS.test(current.text) && /\bbody\b/.test(expression.getText());
}

/** A write that fills a cache: once per key behind a miss check, or after an early return on a hit. */
export function isFill(mutation: Mutation): boolean {
  const node = mutation.node;
  const owner = ownerText(mutation);
  if (owner === undefined) return false;
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === SyntaxKind.QuestionQuestionEqualsToken || operator === SyntaxKind.BarBarEqualsToken) return !mutation.isReassignment;
    if (operator !== SyntaxKind.EqualsToken || !ts.isElementAccessExpression(skipOuterExpressions(node.left))) return false;
    const target = compact(node.left.getText());
    return guardedBy(node, [`!${target}`, `in${owner})`]) || afterEarlyReturnOnHit(mutation, owner);
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 'set') return false;
  return guardedBy(node, [`!${owner}.has(`, `!${owner}.get(`, ...localReadsOf(mutation.function, owner).map((local) => `!${local}`)]) || afterEarlyReturnOnHit(mutation, owner);
}

/** Locals a function reads an entry into (`let label = labels.get(code)`), so `if (!label) { …; labels.set(code, label) }` is a fill behind a miss. */
function localReadsOf(fn: ts.Node | undefined, owner: string): string[] {
  if (!fn) return [];
  const locals: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && node !== fn) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && compact(skipOuterExpressions(node.initializer).getText()).startsWith(`${owner}.get(`)) locals.push(node.name.text);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return locals;
}

/** `m.delete(k)`, `m.clear()`, `delete o[k]`, `o[k] = undefined`: making a cache forget. */
export function isInvalidation(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isDeleteExpression(node)) return true;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) return node.expression.name.text === 'delete' || node.expression.name.text === 'clear';
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
  const value = skipOuterExpressions(node.right);
  // cache = {}, cache = new Map(): starting over empty forgets every entry at once.
  if (mutation.isReassignment || !ts.isElementAccessExpression(skipOuterExpressions(node.left))) return isEmptyValue(value) || isEmptyCollection(value);
  return isEmptyValue(value);
}

function isEmptyCollection(value: ts.Expression): boolean {
  if (ts.isObjectLiteralExpression(value) || ts.isArrayLiteralExpression(value)) return (ts.isObjectLiteralExpression(value) ? value.properties : value.elements).length === 0;
  return ts.isNewExpression(value) && ts.isIdentifier(value.expression) && (value.expression.text === 'Map' || value.expression.text === 'Set') && (value.arguments?.length ?? 0) === 0;
}

/** The value a write stores: `m.set(k, v)` → v, `o[k] = v` → v, `x = v` → v. */
export function storedValue(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set') return node.arguments[1];
  if (ts.isBinaryExpression(node)) return node.right;
  return undefined;
}

/** `m.set(k, …)`, `m.add(k)`, `o[k] = truthy`, `flag = true`, `current = work()`. */
function isAcquire(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isCallExpression(node)) return ts.isPropertyAccessExpression(node.expression) && (node.expression.name.text === 'set' || node.expression.name.text === 'add');
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
  return !isEmptyValue(skipOuterExpressions(node.right)) && skipOuterExpressions(node.right).kind !== SyntaxKind.FalseKeyword;
}

/** `m.delete(k)`, `delete o[k]`, `flag = false`, `current = null`. */
function isRelease(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isDeleteExpression(node)) return true;
  if (ts.isCallExpression(node)) return ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'delete';
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
  const value = skipOuterExpressions(node.right);
  return isEmptyValue(value) || value.kind === SyntaxKind.FalseKeyword;
}

/**
 * A switch a request turns on for good (`this.locked = true` in an admin's `lock()`, `maintenance =
 * true`), read by other code: never turned off, and not tested where it is raised, so it guards no
 * work of its own, as a lock or a run-once guard (`if (started) return; started = true`) does.
 */
export function isOneWaySwitch(mutations: readonly Mutation[]): boolean {
  return (
    mutations.length > 0 &&
    mutations.every((mutation) => {
      const node = mutation.node;
      const raises = ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && skipOuterExpressions(node.right).kind === SyntaxKind.TrueKeyword;
      return raises && mutation.function !== undefined && !testsBefore(mutation.function, node, ownerText(mutation));
    })
  );
}

/**
 * A setting requests turn on and off (`maintenance.status = true` for an admin's `disable…` action,
 * `= false` for its `enable…`, in separate handlers or separate branches of one): never tested where
 * it is written, so it guards no work, as a lock (`if (busy) return; busy = true … busy = false`) or a
 * run-once guard does. What it holds is a choice every instance should see. A flag one request raises
 * and the same request lowers when its work ends (`startRun()` … `endRun()`) is that work's status.
 */
export function isToggledSetting(writes: readonly { mutation: Mutation; reaches: readonly Reach[] }[]): boolean {
  const mutations = writes.map((write) => write.mutation);
  if (mutations.length < 2 || !mutations.every(isBooleanWrite)) return false;
  const raised = (mutation: Mutation): boolean => skipOuterExpressions((mutation.node as ts.BinaryExpression).right).kind === SyntaxKind.TrueKeyword;
  const ons = writes.filter((write) => raised(write.mutation));
  const offs = writes.filter((write) => !raised(write.mutation));
  if (ons.length === 0 || offs.length === 0) return false;
  const untested = mutations.every((mutation) => {
    const node = mutation.node as ts.BinaryExpression;
    return mutation.function !== undefined && !inTimerCallback(node) && !testsBefore(mutation.function, node, compact(node.left.getText()));
  });
  // Separate handlers that no one request runs both of, or exclusive branches of one.
  const apart = (on: (typeof writes)[number], off: (typeof writes)[number]): boolean => {
    const [a, b] = [on.mutation, off.mutation];
    if (a.function === undefined || b.function === undefined || a.function === b.function) return inExclusiveBranches(a.node, b.node);
    const entries = new Set(on.reaches.map((reach) => reach.entry));
    return !contains(a.function, b.node) && !contains(b.function, a.node) && !off.reaches.some((reach) => entries.has(reach.entry));
  };
  return untested && ons.every((on) => offs.every((off) => apart(on, off)));
}

/** Two nodes in different clauses of one `switch`, or in the two branches of one `if`: never both run. */
function inExclusiveBranches(a: ts.Node, b: ts.Node): boolean {
  const branchesOf = (node: ts.Node): ts.Node[] => {
    const path: ts.Node[] = [];
    for (let current: ts.Node | undefined = node; current && !ts.isFunctionLike(current); current = current.parent) path.push(current);
    return path;
  };
  const pathB = branchesOf(b);
  const onPathB = new Set(pathB);
  for (const child of branchesOf(a)) {
    const parent = child.parent;
    if (!parent || !onPathB.has(parent)) continue;
    const other = pathB.find((node) => node.parent === parent);
    if (ts.isCaseBlock(parent)) return other !== undefined && other !== child;
    if (ts.isIfStatement(parent)) return other !== undefined && other !== child && other !== parent.expression && child !== parent.expression;
    return false;
  }
  return false;
}

function isBooleanWrite(mutation: Mutation): boolean {
  const node = mutation.node;
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) return false;
  const kind = skipOuterExpressions(node.right).kind;
  return kind === SyntaxKind.TrueKeyword || kind === SyntaxKind.FalseKeyword;
}

function isEmptyValue(value: ts.Expression): boolean {
  return value.kind === SyntaxKind.NullKeyword || value.kind === SyntaxKind.UndefinedKeyword || (ts.isIdentifier(value) && value.text === 'undefined');
}

/** Whitespace-free text of what a write changes: `locks` for `locks.add(k)`, `this.busy` for `this.busy = true`. */
/**
 * An entry read into a local whose number is then counted (`const attempt = tries[name];
 * attempt.count++`, `tries.get(ip).hits += 1`) where the state is filled: a record of counts per
 * key, so a counter, whatever the fill and the delete around it look like.
 */
export function countsThroughEntries(mutations: readonly Mutation[]): boolean {
  return mutations.some((mutation) => {
    const key = keyOf(mutation);
    const owner = ownerText(mutation);
    if (key === undefined || owner === undefined || !mutation.function) return false;
    const entryTexts = new Set([`${owner}[${key}]`, `${owner}.get(${key})`]);
    const isEntry = (expression: ts.Expression): boolean => {
      const value = skipOuterExpressions(expression);
      if (entryTexts.has(compact(value.getText()))) return true;
      const initializer = ts.isIdentifier(value) ? localInitializer(value) : undefined;
      return initializer !== undefined && entryTexts.has(compact(skipOuterExpressions(initializer).getText()));
    };
    let counted = false;
    const visit = (node: ts.Node): void => {
      if (counted) return;
      const target = countedTarget(node);
      if (target && ts.isPropertyAccessExpression(target) && isEntry(target.expression)) counted = true;
      else ts.forEachChild(node, visit);
    };
    ts.forEachChild(mutation.function, visit);
    return counted;
  });
}

/** What `x++`, `--x`, `x += n` and `x -= n` count. */
function countedTarget(node: ts.Node): ts.Expression | undefined {
  if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && (node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken)) return skipOuterExpressions(node.operand);
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === SyntaxKind.PlusEqualsToken || node.operatorToken.kind === SyntaxKind.MinusEqualsToken) && ts.isNumericLiteral(skipOuterExpressions(node.right))) return skipOuterExpressions(node.left);
  return undefined;
}

export function ownerText(mutation: Mutation): string | undefined {
  const node = mutation.node;
  let owner: ts.Expression | undefined;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) owner = node.expression.expression;
  else if (ts.isDeleteExpression(node)) owner = elementOwner(node.expression);
  else if (ts.isBinaryExpression(node)) owner = mutation.isReassignment ? node.left : elementOwner(node.left);
  return owner ? compact(skipOuterExpressions(owner).getText()) : undefined;
}

function elementOwner(expression: ts.Expression): ts.Expression | undefined {
  const target = skipOuterExpressions(expression);
  return ts.isElementAccessExpression(target) ? target.expression : undefined;
}

/** The key a keyed write uses: `m.set(k, …)`, `m.add(k)`, `m.delete(k)`, `o[k] = …`, `delete o[k]`. */
export function keyNode(mutation: Mutation): ts.Expression | undefined {
  const node = mutation.node;
  if (ts.isCallExpression(node)) return ts.isPropertyAccessExpression(node.expression) && ['set', 'add', 'delete'].includes(node.expression.name.text) ? node.arguments[0] : undefined;
  const target = ts.isDeleteExpression(node) ? node.expression : ts.isBinaryExpression(node) ? node.left : undefined;
  const element = target && skipOuterExpressions(target);
  return element && ts.isElementAccessExpression(element) ? element.argumentExpression : undefined;
}

function keyOf(mutation: Mutation): string | undefined {
  const key = keyNode(mutation);
  return key ? compact(key.getText()) : undefined;
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** The text without layout but for one space between two words (`id in locks`, not `idinlocks`: the name `locks` is still a word). */
function withoutLayout(text: string): string {
  return text.trim().replace(/\s+/g, ' ').replace(/ (?![\w$])|(?<![\w$]) /g, '');
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}

/** In a `finally` block, or in a callback given to `.finally(…)`. */
function inFinally(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isTryStatement(parent) && parent.finallyBlock === current) return true;
    if (ts.isFunctionLike(current) && ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'finally') return true;
  }
  return false;
}

/** In a callback given to `setTimeout` or a `setInterval` sweep: a delayed delete is an expiry, not a release. */
export function inTimerCallback(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isFunctionLike(current) && ts.isCallExpression(parent) && /(^|\.)set(Timeout|Interval)$/.test(parent.expression.getText())) return true;
  }
  return false;
}

/**
 * In a callback given to an event subscription (`note.on('destroy', () => m.delete(id))`): the
 * entry is dropped when something later happens, as an expiry is, not released by the work that
 * took it. A listener that also takes the entry (`bus.on('export', () => { busy = true; … busy = false })`)
 * is the work itself.
 */
function inListenerCallback(node: ts.Node, taken: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    // `ws.onclose = () => rooms.delete(id)`: a handler property is a listener too, called when the connection ends.
    if (ts.isFunctionLike(current) && isHandlerProperty(parent, current)) return !contains(current, taken);
    if (!ts.isFunctionLike(current) || !ts.isCallExpression(parent) || !ts.isPropertyAccessExpression(parent.expression) || !LISTENER_METHODS.has(parent.expression.name.text)) continue;
    // A listener of the process's own bus that takes the entry too is the guarded work; a socket's message handler leaves the entry to the next message.
    return !contains(current, taken) || isRemoteEmitter(parent.expression.expression);
  }
  return false;
}

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'addEventListener', 'prependListener', 'prependOnceListener', 'subscribe']);

/** `ws.onclose = handler`, `transport.onerror = handler`: a function assigned to an object's event-handler property. */
function isHandlerProperty(parent: ts.Node, fn: ts.Node): boolean {
  return ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && parent.right === fn && ts.isPropertyAccessExpression(parent.left) && /^on[a-z]+$/.test(parent.left.name.text);
}

/**
 * A "release" in the `catch` of the `try` that holds the acquire, or written before it: the other
 * outcome of one computation (`try { root = find() } catch { root = null }`), not a release after
 * guarded work.
 */
function isOtherOutcome(acquire: ts.Node, release: ts.Node): boolean {
  for (let current: ts.Node | undefined = release.parent; current; current = current.parent) {
    if (ts.isCatchClause(current) && ts.isTryStatement(current.parent) && contains(current.parent.tryBlock, acquire)) return true;
    // A callback (`work().finally(() => m.delete(k))`) runs after the work, wherever it is written.
    if (ts.isFunctionLike(current)) return !contains(current, acquire) ? false : release.pos < acquire.pos;
  }
  return false;
}

/**
 * Whether a condition before `node` in `fn` tests the state (or a local read from it). A function
 * written before `node` that does not hold it runs when it is called, later (`const cleanup = () => {
 * if (timers.get(k)) timers.delete(k) }` before `timers.set(k, …)`): its tests guard nothing here.
 */
function testsBefore(fn: ts.Node, node: ts.Node, owner: string | undefined): boolean {
  if (owner === undefined) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || current.pos >= node.pos || (ts.isFunctionLike(current) && !contains(current, node))) return;
    let condition: ts.Expression | undefined;
    if (ts.isIfStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) condition = current.expression;
    else if (ts.isConditionalExpression(current)) condition = current.condition;
    if (condition && mentionsState(condition, owner)) found = true;
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

function mentionsState(condition: ts.Expression, owner: string): boolean {
  const text = withoutLayout(condition.getText());
  if (includesName(text, owner)) return true;
  let viaLocal = false;
  const visit = (node: ts.Node): void => {
    if (viaLocal) return;
    if (ts.isIdentifier(node)) {
      const initializer = localInitializer(node);
      if (initializer && includesName(withoutLayout(initializer.getText()), owner)) viaLocal = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return viaLocal;
}

/** `owner` as a whole name in `text` (`locks` in `locks.has(k)`, not in `clocks`). */
function includesName(text: string, owner: string): boolean {
  let index = text.indexOf(owner);
  while (index >= 0) {
    const before = index === 0 ? '' : text[index - 1];
    const after = text[index + owner.length] ?? '';
    if (!/[\w$]/.test(before) && !/[\w$]/.test(after)) return true;
    index = text.indexOf(owner, index + 1);
  }
  return false;
}

/** Whether an enclosing `if` in the same function tests one of the (whitespace-free) conditions. */
function guardedBy(node: ts.Node, tests: readonly string[]): boolean {
  for (let current: ts.Node | undefined = node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (!ts.isIfStatement(current)) continue;
    const condition = compact(current.expression.getText());
    if (tests.some((test) => condition.includes(test))) return true;
  }
  return false;
}

/** Cache-aside: `const hit = m.get(k); if (hit) return hit; const v = await load(k); m.set(k, v)`. */
function afterEarlyReturnOnHit(mutation: Mutation, owner: string): boolean {
  const fn = mutation.function;
  if (!fn) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || current.pos >= mutation.node.pos || (ts.isFunctionLike(current) && current !== fn)) return;
    if (ts.isIfStatement(current) && !contains(current, mutation.node) && exits(current.thenStatement) && mentionsState(current.expression, owner)) found = true;
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s));
}

/** `m.set(k, p)` where p is a promise: `load(k).finally(…)`, an async IIFE, a call whose result callers await. */
function isPromiseSet(call: ts.CallExpression): boolean {
  const value = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  if (!value) return false;
  const expression = ts.isIdentifier(value) ? localInitializer(value) : value;
  if (!expression) return false;
  const stored = skipOuterExpressions(expression);
  return ts.isCallExpression(stored) && !ts.isAwaitExpression(stored);
}

/**
 * Whether callers that find the key get the stored promise's result (`return m.get(k)`,
 * `return existing`, `return res.json(await running)`): sharing a result, not refusing or waiting
 * to run the work again as a lock does.
 */
function sharesStoredValue(fn: ts.Node, owner: string | undefined, key: string | undefined): boolean {
  if (owner === undefined || key === undefined) return false;
  const stored = `${owner}.get(${key})`;
  const isStored = (node: ts.Node): boolean => {
    if (compact(node.getText()).startsWith(stored)) return true;
    return ts.isIdentifier(node) && compact(localInitializer(node)?.getText() ?? '').startsWith(stored);
  };
  const mentionsStored = (node: ts.Node): boolean => isStored(node) || (ts.forEachChild(node, (child) => (mentionsStored(child) ? true : undefined)) ?? false);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isReturnStatement(node) && node.expression && mentionsStored(node.expression)) found = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/**
 * `const running = pending[key] ?? loadStats(key); pending[key] = running; … await running; delete pending[key]`
 * (also `||`, `m.get(key)` and `m.set(key, running)`): the entry read for the key and, when there is
 * none, the work started in its place, stored and dropped again by the same function. Callers that
 * find the entry share its promise; the work is what follows `??`.
 */
function coalescedWork(acquire: Mutation, owner: string | undefined, key: string | undefined): ts.Expression | undefined {
  if (owner === undefined || key === undefined) return undefined;
  const stored = storedByWrite(acquire);
  if (!stored) return undefined;
  let value = skipOuterExpressions(stored);
  if (ts.isIdentifier(value)) {
    const initializer = localInitializer(value);
    if (!initializer) return undefined;
    value = skipOuterExpressions(initializer);
  }
  if (!ts.isBinaryExpression(value) || (value.operatorToken.kind !== SyntaxKind.QuestionQuestionToken && value.operatorToken.kind !== SyntaxKind.BarBarToken)) return undefined;
  const read = compact(skipOuterExpressions(value.left).getText());
  if (read !== `${owner}.get(${key})` && read !== `${owner}[${key}]`) return undefined;
  const work = skipOuterExpressions(value.right);
  // A promise the function waits for (`await running`), not a fresh container (`m.get(k) || new Set()`) it fills.
  const local = skipOuterExpressions(stored);
  return ts.isCallExpression(work) && ts.isIdentifier(local) && acquire.function !== undefined && awaitsLocal(acquire.function, local.text) ? work : undefined;
}

/** `await running` or `running.then(…)` in `fn`. */
function awaitsLocal(fn: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(node) && compact(skipOuterExpressions(node.expression).getText()) === name) found = true;
    else if (ts.isPropertyAccessExpression(node) && node.name.text === 'then' && compact(skipOuterExpressions(node.expression).getText()) === name) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** The call whose promise is stored names work that writes (`chargeCard(id)`, `orders.create(…)`), not counting the map's own release. */
function guardsWritingWork(call: ts.CallExpression, owner: string | undefined): boolean {
  return namesWritingWork(skipOuterExpressions(call.arguments[1]), owner);
}

function namesWritingWork(work: ts.Expression, owner: string | undefined): boolean {
  let writes = false;
  const visit = (node: ts.Node, depth: number): void => {
    if (writes) return;
    if (ts.isIdentifier(node) && depth < 3) {
      const initializer = localInitializer(node);
      if (initializer) visit(initializer, depth + 1);
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const onOwner = ts.isPropertyAccessExpression(callee) && compact(callee.expression.getText()) === owner;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (!onOwner && name !== 'finally' && name !== 'then' && name !== 'catch' && WRITING_WORK.test(name)) writes = true;
    }
    ts.forEachChild(node, (child) => visit(child, depth));
  };
  visit(work, 0);
  return writes;
}

/** Per-process resources a lock may rightly guard: opening a connection, launching a browser, loading a model. */
/** Taking the lock itself is not work it guards. */
const LOCK_CALL = /^(acquire|runExclusive|waitForUnlock|schedule|wrap|submit)$/;
const LOCAL_RESOURCE_CALL = /^(connect|launch|init|initiali[sz]e|open|createPool|createConnection|createClient|getConnection|warm[uU]p|start|listen|loadModel|compile)$/;
/**
 * Reads: a refresh that fetches data and keeps it in this process (`if (refreshing) return;
 * refreshing = true; cache = await fetch(…)…`) is one load per instance, which is what a local
 * copy needs; it changes nothing another instance shares.
 */
const READ_CALL = /^(fetch|load|find|query|select|lookup|retrieve|search|list|count|get|read|stat|lstat|access|exists|download|parse|json|text|arrayBuffer|blob)([A-Z_]|$)/;

/** This process looking at itself: a heap snapshot, heap statistics or a CPU profile of the running isolate. */
const SELF_INSPECTION_CALL = /^(getHeapSnapshot|writeHeapSnapshot|getHeapStatistics|getHeapSpaceStatistics|takeHeapSnapshot|startProfiling|stopProfiling)$/;

/**
 * Whether the work under a lock only sets up or refreshes this process's own resources: every
 * awaited call in the guarding functions opens or starts something local (`await client.connect()`,
 * `await puppeteer.launch()`) or only reads (`await fetch(url)`, `await this.loadFromFile()`), and
 * one at least opens or reads. Such a lock is right per instance; anything else it guards (a row, a
 * payment, a file in shared storage) needs a lock every instance sees. Two more shapes guard nothing
 * another instance shares: a snapshot or profile of this process (one capture at a time is the
 * process's own limit), and, taken and given back in one function, synchronous work with nothing
 * awaited, returned or left to a callback (`const release = await mutex.acquire(); try {
 * limiters.set(id, rateLimit(…)) } finally { release() }`): no other request can run in between.
 */
export function guardsOnlyLocalResources(functions: readonly (ts.Node | undefined)[]): boolean {
  const guarding = new Set(functions);
  let awaited = 0;
  let local = 0;
  let writes = false;
  let inspects = false;
  let callbacks = false;
  let returnsWork = false;
  const visit = (node: ts.Node): void => {
    // `@Post(':id')` on a handler routes it; it is not work the lock guards.
    if (ts.isDecorator(node)) return;
    if (ts.isCallExpression(node)) {
      // `runExclusive(…)` names a run, but taking the lock is not work it guards.
      if (isWritingCall(node) && !LOCK_CALL.test(calleeNameOf(node))) writes = true;
      if (SELF_INSPECTION_CALL.test(calleeNameOf(node))) inspects = true;
      if (node.arguments.some((argument) => ts.isArrowFunction(argument) || ts.isFunctionExpression(argument))) callbacks = true;
    }
    if (ts.isAwaitExpression(node)) {
      const operand = skipOuterExpressions(node.expression);
      if (ts.isCallExpression(operand)) {
        awaited++;
        const name = calleeNameOf(operand);
        if (LOCK_CALL.test(name)) awaited--;
        else if (LOCAL_RESOURCE_CALL.test(name) || (READ_CALL.test(name) && !isWritingCall(operand))) local++;
      }
    }
    // What a guarding function returns, its caller (or the lock running it) waits for; a function
    // it only builds (`sendCommand: (...args) => redis.call(...args)`) runs later, if at all.
    const returned = ts.isReturnStatement(node) ? node.expression : ts.isArrowFunction(node) && !ts.isBlock(node.body) ? node.body : undefined;
    const returner = ts.isReturnStatement(node) ? ts.findAncestor(node.parent, ts.isFunctionLike) : node;
    if (returned && ts.isCallExpression(skipOuterExpressions(returned)) && guarding.has(returner)) returnsWork = true;
    ts.forEachChild(node, visit);
  };
  for (const fn of guarding) if (fn) visit(fn);
  if (writes) return false;
  if (awaited > 0) return awaited === local;
  return inspects || (!callbacks && !returnsWork && guarding.size === 1 && !guarding.has(undefined));
}

/**
 * A flag around the refresh of a copy the same function serves: `if (copy && fresh) return copy;
 * if (refreshing) return old(); refreshing = true; … copy = await load(); …`. One refresh per
 * instance is what a per-instance copy needs (the copy itself is the cache rule's business).
 */
export function guardsCopyRefresh(functions: readonly (ts.Node | undefined)[]): boolean {
  return functions.some((fn) => {
    if (!fn) return false;
    const served = new Set<string>();
    const assigned = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && node !== fn) return;
      if (ts.isIfStatement(node) && exits(node.thenStatement)) {
        const returned = returnedName(node.thenStatement);
        if (returned && includesName(compact(node.expression.getText()), returned)) served.add(returned);
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
        const target = compact(skipOuterExpressions(node.left).getText());
        const value = skipOuterExpressions(node.right);
        if (!isEmptyValue(value) && value.kind !== SyntaxKind.TrueKeyword && value.kind !== SyntaxKind.FalseKeyword) assigned.add(target);
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn, visit);
    return [...served].some((name) => assigned.has(name));
  });
}

function returnedName(statement: ts.Statement): string | undefined {
  const returns = ts.isReturnStatement(statement) ? [statement] : ts.isBlock(statement) ? statement.statements.filter(ts.isReturnStatement) : [];
  const expression = returns[0]?.expression && skipOuterExpressions(returns[0].expression);
  return expression && (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) ? compact(expression.getText()) : undefined;
}

function calleeNameOf(call: ts.CallExpression): string {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
}

/**
 * A call that changes something outside the process: `wallets.update(…)`, `charge(…)`,
 * `fetch(url, { method: 'POST' })`, `db.query('UPDATE products SET stock = stock - $2 …')` (a
 * query's name says read, its SQL says write).
 */
function isWritingCall(call: ts.CallExpression): boolean {
  const name = calleeNameOf(call);
  const sql = /^(query|execute|exec|run|raw)$/.test(name) ? sqlText(call.arguments[0]) : undefined;
  if (sql !== undefined) return WRITE_SQL.test(sql);
  if (name === 'fetch') {
    const init = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
    const method = init && ts.isObjectLiteralExpression(init) ? init.properties.find((property) => property.name?.getText() === 'method') : undefined;
    return method !== undefined && !(ts.isPropertyAssignment(method) && /^['"`](GET|HEAD)['"`]$/i.test(method.initializer.getText()));
  }
  return WRITING_WORK.test(name) && !READ_CALL.test(name) && !LISTENER_PLUMBING.test(name);
}

/** `signal.removeEventListener('abort', abort)`, `emitter.removeAllListeners()`: wiring of this process's own events. */
const LISTENER_PLUMBING = /^remove(All)?(Event)?Listeners?$/;

/**
 * A run's status that its caller tests before starting it: `if (backups.status.state === 'running')
 * throw …; backups.run()`, where `run()` sets `this.status.state = 'running'` and later moves it on
 * (`'done'`, `'failed'`). The status is the run's busy flag: each process refuses only its own second
 * run, and another instance starts the same work (and its progress poll says nothing is running).
 */
export function isRunningStatus(writes: readonly { mutation: Mutation; reaches: readonly Reach[] }[]): boolean {
  return writes.some(({ mutation, reaches }) => {
    const marker = statusWritten(mutation);
    const fn = mutation.function;
    if (!marker || !fn) return false;
    const moved = writes.some((other) => {
      const next = statusWritten(other.mutation);
      return next !== undefined && next.field === marker.field && next.value !== marker.value && other.mutation.node.pos > mutation.node.pos && contains(fn, other.mutation.node);
    });
    return moved && reaches.some((reach) => reach.calls.some((call) => testsStatusBefore(call, marker.field, marker.value)));
  });
}

/** `x.state = 'running'`: the field a string status is written to, and the status. */
function statusWritten(mutation: Mutation): { field: string; value: string } | undefined {
  const node = mutation.node;
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
  const left = skipOuterExpressions(node.left);
  const right = skipOuterExpressions(node.right);
  return ts.isPropertyAccessExpression(left) && ts.isStringLiteralLike(right) ? { field: left.name.text, value: right.text } : undefined;
}

/** Whether the function around `call` leaves before it when `….field === 'value'` (`if (…) return`, `if (…) throw`). */
function testsStatusBefore(call: ts.Node, field: string, value: string): boolean {
  let fn: ts.Node | undefined = call.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node.pos >= call.pos || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isIfStatement(node) && comparesStatus(node.expression, field, value) && exits(node.thenStatement)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

function comparesStatus(condition: ts.Expression, field: string, value: string): boolean {
  const test = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(test)) return false;
  const operator = test.operatorToken.kind;
  if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.AmpersandAmpersandToken) return comparesStatus(test.left, field, value) || comparesStatus(test.right, field, value);
  if (operator !== SyntaxKind.EqualsEqualsEqualsToken && operator !== SyntaxKind.EqualsEqualsToken) return false;
  const sides = [skipOuterExpressions(test.left), skipOuterExpressions(test.right)];
  return sides.some((side) => ts.isPropertyAccessExpression(side) && side.name.text === field) && sides.some((side) => ts.isStringLiteralLike(side) && side.text === value);
}

/**
 * The waiting line of a busy slot: `if (this.current) { this.waiting.push(job); return } this.current
 * = job; … this.current = null; if (this.waiting.length) this.start(this.waiting.shift())`. Every entry
 * is added in the branch that finds the slot taken and leaves, by the function that takes the slot
 * after that branch and frees it again, and is only taken out (`shift`, a filter, emptied). The line
 * holds work waiting for that in-process lock, whose finding (no-in-process-lock) is the hazard: one
 * state, one rule, so the line is not a user's data of its own.
 */
export function isLockWaitList(mutations: readonly Mutation[]): boolean {
  const pushes = mutations.filter(isPush);
  if (pushes.length === 0 || !mutations.every((mutation) => isPush(mutation) || isTakenOut(mutation))) return false;
  return pushes.every((push) => {
    const fn = push.function;
    if (!fn) return false;
    // The busy branch may hold its own test (`if (!waiting.some(same)) waiting.push(job)`).
    for (let node: ts.Node = push.node; node !== fn && node.parent; node = node.parent) {
      const branch = node.parent;
      if (ts.isIfStatement(branch) && branch.thenStatement === node && exits(branch.thenStatement) && slotsTestedBy(branch.expression).some((slot) => takesAndFrees(fn, branch, slot))) return true;
    }
    return false;
  });
}

/** `q.shift()`, `q.splice(i, 1)`, `q = q.filter(…)`, `q = []`, `q.length = 0`: an entry taken out, or all of them. */
function isTakenOut(mutation: Mutation): boolean {
  const node = mutation.node;
  if (ts.isCallExpression(node)) return ts.isPropertyAccessExpression(node.expression) && /^(?:shift|splice|pop)$/.test(node.expression.name.text);
  if (isListRemoval(mutation)) return true;
  return ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && isEmptyValue(skipOuterExpressions(node.right));
}

/** The bindings a busy test reads: `this.current`, `current`, `this.current !== null`, `running && …`. */
function slotsTestedBy(condition: ts.Expression): string[] {
  const slots: string[] = [];
  const visit = (node: ts.Node): void => {
    const value = skipOuterExpressions(node as ts.Expression);
    if (ts.isIdentifier(value) || (ts.isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword)) {
      slots.push(compact(value.getText()));
      return;
    }
    if (ts.isBinaryExpression(value) || ts.isPrefixUnaryExpression(value) || ts.isParenthesizedExpression(value)) ts.forEachChild(value, visit);
  };
  visit(condition);
  return slots;
}

/** After the busy branch the function stores something in the slot, and later empties it again. */
function takesAndFrees(fn: ts.Node, branch: ts.IfStatement, slot: string): boolean {
  let taken: ts.Node | undefined;
  let freed = false;
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && node.getStart() >= branch.end && compact(skipOuterExpressions(node.left).getText()) === slot) {
      const value = skipOuterExpressions(node.right);
      const empties = isEmptyValue(value) || value.kind === SyntaxKind.NullKeyword || value.kind === SyntaxKind.FalseKeyword || (ts.isIdentifier(value) && value.text === 'undefined');
      if (!empties && !taken) taken = node;
      else if (empties && taken) freed = true;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return freed;
}

/**
 * The promise stored under a key continues the one already stored there: `m.set(k, (m.get(k) ??
 * Promise.resolve()).then(task))`, through locals (`const previous = m.get(k) || none; const next =
 * previous.then(run, run)`) and more links (`.catch(…)`, `.finally(…)`). The caller waits for the
 * tasks before it, as with a mutex per key, rather than sharing one result as a single flight does.
 */
function chainsAfterPrevious(set: ts.CallExpression, owner: string | undefined, key: string | undefined): boolean {
  if (owner === undefined || key === undefined || set.arguments.length < 2) return false;
  const previous = new Set([`${owner}.get(${key})`, `${owner}[${key}]`]);
  let value: ts.Expression = set.arguments[1];
  let chained = false;
  for (let steps = 0; steps < 12; steps++) {
    value = skipOuterExpressions(value);
    if (previous.has(compact(value.getText()))) return chained;
    if (ts.isIdentifier(value)) {
      const initializer = localInitializer(value);
      if (!initializer) return false;
      value = initializer;
    } else if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && /^(?:then|catch|finally)$/.test(value.expression.name.text)) {
      if (value.expression.name.text === 'then') chained = true;
      value = value.expression.expression;
    } else if (ts.isBinaryExpression(value) && (value.operatorToken.kind === SyntaxKind.QuestionQuestionToken || value.operatorToken.kind === SyntaxKind.BarBarToken)) {
      value = value.left;
    } else return false;
  }
  return false;
}

/** `name(…)` where `name` is a function declared at the top of the same file (not shadowed by a local). */
export function sameFileFunction(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) || localInitializer(callee)) return undefined;
  const declaration = getFileFacts(callee.getSourceFile()).topLevel.get(callee.text);
  if (declaration && ts.isFunctionDeclaration(declaration) && declaration.body) return declaration;
  const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  return initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) ? initializer : undefined;
}
