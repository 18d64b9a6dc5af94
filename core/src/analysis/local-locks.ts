import ts = require('typescript');
import { getFileFacts, type Mutation } from './file-facts';
import type { Reach } from './request-graph';
import { resolveImportedMember } from './imports';
import { localInitializer } from './scope';
import { skipOuterExpressions } from './text';
import { drawsAtRandom } from './drawn-secrets';

// Locks whose exclusion is whole even with many instances: what they guard is this process's own.

const PATH_MODULES = new Set(['path', 'node:path', 'upath']);
const PATH_BUILDERS = new Set(['join', 'resolve']);

/**
 * A lock kept per file path (`locks[path.join(dir, name)] = true`, `delete locks[file]`): the file is
 * on this instance's disk, so no other instance can touch it and excluding this process's requests
 * is all the exclusion it needs (whether files belong on local disk is the disk rule's business).
 * Every write is keyed, at least one key is a local built by `path.join`/`path.resolve`, and the
 * others are that or a parameter the path is handed through (`takeLock(file, cb)`).
 */
export function isKeyedByLocalFile(mutations: readonly Mutation[]): boolean {
  let builtPath = false;
  for (const mutation of mutations) {
    const key = keyOf(mutation.node);
    if (!key || !ts.isIdentifier(key)) return false;
    if (isPathBuilt(key)) builtPath = true;
    else if (!isParameter(key)) return false;
  }
  return builtPath;
}

/**
 * A lock kept per key whose every write is keyed by a parameter of the function taking it, and whose
 * every call on the way from a route hands that parameter a path built by `path.join`/`path.resolve`
 * (`inTurn(file, () => appendFile(file, line))`): a lock per local file, as above, with the path built
 * by the callers. The path may be handed on through helpers' own parameters first
 * (`save(file)` → `withFileLock(file, fn)` → `lockOf(file)`), each call on the way passing it along.
 */
export function isKeyedByHandedLocalFile(writes: readonly { mutation: Mutation; reaches: readonly Reach[] }[]): boolean {
  let handed = false;
  for (const { mutation, reaches } of writes) {
    const key = keyOf(mutation.node);
    if (!key || !ts.isIdentifier(key)) return false;
    for (const reach of reaches) {
      const verdict = handsLocalPath(key, reach.calls, 0);
      if (verdict === false) return false;
      if (verdict) handed = true;
    }
  }
  return handed;
}

/** How many helpers a path may be handed through before it is built. */
const MAX_HANDED_DEPTH = 4;

/**
 * Whether the calls of one reach hand `parameter` a path built by `path.join`/`path.resolve`, directly
 * or through a parameter of the calling function that an earlier call hands a built path; `undefined`
 * when no call of the reach passes it a value.
 */
function handsLocalPath(parameter: ts.Identifier, calls: readonly ts.Node[], depth: number): boolean | undefined {
  const taker = declaringFunction(parameter);
  const name = taker && calledAs(taker);
  if (!taker || !name) return false;
  const index = taker.parameters.findIndex((declared) => ts.isIdentifier(declared.name) && declared.name.text === parameter.text);
  let handed: boolean | undefined;
  for (const [position, call] of calls.entries()) {
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== name) continue;
    const argument = call.arguments[index] && skipOuterExpressions(call.arguments[index]);
    if (!argument || !ts.isIdentifier(argument)) return false;
    if (isPathBuilt(argument)) handed = true;
    else if (depth < MAX_HANDED_DEPTH && isParameter(argument) && handsLocalPath(argument, calls.slice(0, position), depth + 1) === true) handed = true;
    else return false;
  }
  return handed;
}

/** The function, around the key, whose parameter it is. */
function declaringFunction(key: ts.Identifier): ts.SignatureDeclaration | undefined {
  for (let fn = ts.findAncestor(key, ts.isFunctionLike); fn; fn = ts.findAncestor(fn.parent, ts.isFunctionLike)) {
    if (fn.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === key.text)) return fn;
  }
  return undefined;
}

/** The name callers call it by: `function inTurn(…)`, `const inTurn = (…) => …` (a named function expression's own name is only seen inside it). */
function calledAs(fn: ts.SignatureDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  const holder = fn.parent;
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
}

/** Libraries that draw a random string: `randomstring.generate(8)`, `cryptoRandomString({ length: 10 })`. */
const RANDOM_STRING_MODULES = new Set(['randomstring', 'crypto-random-string', 'random-string', 'randomatic']);

/**
 * Identifiers drawn at random and held while a lookup says whether one is taken (`const id =
 * randomstring.generate(8); if (onHold.has(id)) continue; onHold.add(id); await db.find(id)`, released
 * when the response is sent): the set keeps two requests of this process from drawing the same name at
 * once, and another instance draws names of its own, which meet this process's only by the chance the
 * lookup is there for. Every write that adds a key adds a local of its function drawn at random
 * (`drawsAtRandom`, or a random-string library's call); removals may name any key; at least one add.
 */
export function isKeyedByDrawnIdentifier(mutations: readonly Mutation[]): boolean {
  let drawn = false;
  for (const mutation of mutations) {
    if (isRemoval(mutation.node)) continue;
    const key = keyOf(mutation.node);
    if (!key || !ts.isIdentifier(key) || isParameter(key)) return false;
    const initializer = localInitializer(key);
    if (!initializer || !isDrawnIdentifier(initializer, key.getSourceFile())) return false;
    drawn = true;
  }
  return drawn;
}

/** What a handler names its client's connection: a socket.io socket, a ws client, a peer. */
const CONNECTION_NAME = /^(?:socket|client|ws|conn|connection|peer|websocket)$/i;

/**
 * A lock keyed by the id of the caller's own connection (`busy.add(socket.id)`, or a helper's key
 * parameter every request path passes `socket.id` to: `runIfOpen(socket.id, async () => …)`): a
 * connection lives on one instance, so the events it sends are all handled there and excluding this
 * process's handlers is the whole exclusion. Every write that adds a key adds such an id; removals may
 * name any key; at least one add.
 */
export function isKeyedByConnectionId(writes: readonly { mutation: Mutation; reaches: readonly Reach[] }[]): boolean {
  let keyed = false;
  for (const { mutation, reaches } of writes) {
    if (isRemoval(mutation.node)) continue;
    const key = keyOf(mutation.node);
    if (!key) return false;
    if (isConnectionId(key)) {
      keyed = true;
      continue;
    }
    const fn = mutation.function;
    const index = ts.isIdentifier(key) && fn && ts.isFunctionLike(fn) ? fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === key.text) : -1;
    if (index < 0 || reaches.length === 0) return false;
    for (const reach of reaches) {
      const call = reach.calls[reach.calls.length - 1];
      const argument = call && ts.isCallExpression(call) ? call.arguments[index] : undefined;
      if (!argument || !isConnectionId(argument)) return false;
    }
    keyed = true;
  }
  return keyed;
}

/** `socket.id`, `client.id`, or a local given one where it is declared (`const socketID = socket.id`). */
function isConnectionId(expression: ts.Expression, depth = 0): boolean {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) {
    const initializer = depth === 0 ? localInitializer(value) : undefined;
    return initializer !== undefined && isConnectionId(initializer, depth + 1);
  }
  if (!ts.isPropertyAccessExpression(value) || value.name.text !== 'id') return false;
  const owner = skipOuterExpressions(value.expression);
  const name = ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : undefined;
  return name !== undefined && CONNECTION_NAME.test(name);
}

function isDrawnIdentifier(initializer: ts.Expression, file: ts.SourceFile): boolean {
  if (drawsAtRandom(initializer)) return true;
  const value = skipOuterExpressions(initializer);
  if (!ts.isCallExpression(value)) return false;
  const member = resolveImportedMember(value.expression, getFileFacts(file).imports);
  return !!member && RANDOM_STRING_MODULES.has(member.module);
}

/** `x.delete(k)`, `delete x[k]`: a key given back. */
function isRemoval(node: ts.Expression): boolean {
  if (ts.isDeleteExpression(node)) return true;
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'delete';
}

/** The key of a keyed write: `x[k] = …`, `delete x[k]`, `x.set(k, …)`, `x.add(k)`, `x.delete(k)`. */
function keyOf(node: ts.Expression): ts.Expression | undefined {
  const target = ts.isBinaryExpression(node) ? skipOuterExpressions(node.left) : ts.isDeleteExpression(node) ? skipOuterExpressions(node.expression) : undefined;
  if (target) return ts.isElementAccessExpression(target) ? skipOuterExpressions(target.argumentExpression) : undefined;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  return ['set', 'add', 'delete'].includes(node.expression.name.text) && node.arguments[0] ? skipOuterExpressions(node.arguments[0]) : undefined;
}

function isPathBuilt(key: ts.Identifier): boolean {
  const initializer = localInitializer(key);
  const value = initializer && skipOuterExpressions(initializer);
  if (!value || !ts.isCallExpression(value)) return false;
  const member = resolveImportedMember(value.expression, getFileFacts(key.getSourceFile()).imports);
  return !!member && PATH_MODULES.has(member.module) && PATH_BUILDERS.has(member.path[member.path.length - 1] ?? '');
}

/** A parameter of the function the key is in or of one around it (`setInterval(() => { locks[file] = true })`). */
function isParameter(key: ts.Identifier): boolean {
  for (let fn = ts.findAncestor(key, ts.isFunctionLike); fn; fn = ts.findAncestor(fn.parent, ts.isFunctionLike)) {
    if (fn.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === key.text)) return true;
  }
  return false;
}

/**
 * A lock library around the refill of a copy the function taking it serves (double-checked):
 * `await lock.acquire(key, async () => { if (copies[key] && fresh) return; … })` in a function that
 * fills `copies[key]` and ends `return copies[key]`. The lock only spares this process concurrent
 * fills of its own copy; another instance fills its own (how stale a copy may be is the cache rule's).
 */
export function guardsServedCopyFill(work: ts.Node | undefined, taker: ts.Node | undefined): boolean {
  if (!work || !taker || !ts.isFunctionLike(work) || !ts.isFunctionLike(taker)) return false;
  const check = openingCheck(work);
  if (!check) return false;
  const condition = compact(check.expression.getText());
  return servedCopies(taker).some((copy) => includesWhole(condition, copy));
}

/** The callback's first statement when it is `if (…) return;`, also as the first statement of a `try`. */
function openingCheck(work: ts.SignatureDeclaration): ts.IfStatement | undefined {
  const body = 'body' in work ? work.body : undefined;
  if (!body || !ts.isBlock(body)) return undefined;
  let first: ts.Statement | undefined = body.statements[0];
  while (first && ts.isTryStatement(first)) first = first.tryBlock.statements[0];
  if (!first || !ts.isIfStatement(first) || first.elseStatement) return undefined;
  const then = first.thenStatement;
  const exits = ts.isReturnStatement(then) || (ts.isBlock(then) && then.statements.length > 0 && ts.isReturnStatement(then.statements[then.statements.length - 1]));
  return exits ? first : undefined;
}

/**
 * What the function returns (`return copies[key]`) and also fills with a value, not a flag: in its
 * own body or in a callback of it (the lock's own, where the refill happens).
 */
function servedCopies(taker: ts.SignatureDeclaration): string[] {
  const returned = new Set<string>();
  const filled = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression && ts.findAncestor(node.parent, ts.isFunctionLike) === taker) {
      const value = skipOuterExpressions(node.expression);
      if (ts.isElementAccessExpression(value) || ts.isPropertyAccessExpression(value) || ts.isIdentifier(value)) returned.add(compact(value.getText()));
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isFlagValue(skipOuterExpressions(node.right))) filled.add(compact(skipOuterExpressions(node.left).getText()));
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(taker, visit);
  return [...returned].filter((copy) => filled.has(copy));
}

function isFlagValue(value: ts.Expression): boolean {
  return (
    value.kind === ts.SyntaxKind.TrueKeyword ||
    value.kind === ts.SyntaxKind.FalseKeyword ||
    value.kind === ts.SyntaxKind.NullKeyword ||
    ts.isNumericLiteral(value) ||
    (ts.isIdentifier(value) && value.text === 'undefined')
  );
}

function compact(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\./g, '.');
}

/** `copies[key]` within `!force&&copies[key]&&stamps[key]>since`, not within `oldcopies[key]`. */
function includesWhole(condition: string, copy: string): boolean {
  let from = 0;
  for (let at = condition.indexOf(copy, from); at >= 0; at = condition.indexOf(copy, from)) {
    const before = condition[at - 1];
    const after = condition[at + copy.length];
    if ((before === undefined || !/[\w$.]/.test(before)) && (after === undefined || !/[\w$[(]/.test(after))) return true;
    from = at + 1;
  }
  return false;
}

const CHILD_PROCESS_MODULES = new Set(['child_process', 'node:child_process']);
const CHILD_PROCESS_STARTS = new Set(['spawn', 'fork', 'exec', 'execFile']);

/**
 * A flag around the restart of a child process this instance runs (`if (this.restarting) return;
 * this.restarting = true; try { await this.stop(); await this.spawnProcess(); } finally { … }`): the
 * guarded work, itself or through the methods of its class it calls, both kills the child (`.kill()`)
 * and starts it again (`spawn`/`fork` of `child_process`). Each instance runs its own child, so
 * refusing a second restart in this process is all the exclusion the child needs.
 */
export function guardsChildProcessRestart(functions: readonly (ts.Node | undefined)[]): boolean {
  return functions.length > 0 && functions.every((fn) => {
    if (!fn || !ts.isFunctionLike(fn)) return false;
    let kills = false;
    let starts = false;
    const seen = new Set<ts.Node>();
    const visitBody = (body: ts.Node, depth: number): void => {
      if (seen.has(body)) return;
      seen.add(body);
      const facts = getFileFacts(body.getSourceFile());
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const callee = skipOuterExpressions(node.expression);
          if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'kill') kills = true;
          const started = resolveImportedMember(callee, facts.imports);
          if (started && CHILD_PROCESS_MODULES.has(started.module) && started.path.length === 1 && CHILD_PROCESS_STARTS.has(started.path[0])) starts = true;
          // `this.stop()`, `this.spawnProcess(prisma)`: a method of the same class, followed a few levels.
          const method = depth < 3 ? ownMethod(callee) : undefined;
          if (method?.body) visitBody(method.body, depth + 1);
        }
        ts.forEachChild(node, visit);
      };
      visit(body);
    };
    visitBody(fn, 0);
    return kills && starts;
  });
}

/** The method of the enclosing class a `this.name(…)` call names. */
function ownMethod(callee: ts.Expression): ts.MethodDeclaration | undefined {
  if (!ts.isPropertyAccessExpression(callee) || skipOuterExpressions(callee.expression).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const owner = ts.findAncestor(callee, ts.isClassLike);
  return owner?.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.name.getText() === callee.name.text);
}
