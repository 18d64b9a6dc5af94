import ts = require('typescript');
import type { SharedState } from '../analysis/shared-state';
import { localInitializer } from '../analysis/scope';
import { skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { importEdit, moduleSpecifier, statementSpan, useAdapter } from './module-edits';
import { referencesOf } from './references';
import type { PlanResult } from './state-fixes';
import type { RemovedStatement, TextEdit } from '../types';
import type { AsyncRewriter } from './asyncify';
import { sweepOf, type Sweep } from './sweeps';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * A count per key in a time window that starts at the key's first attempt, kept by hand:
 *
 *     var entry = attempts[ip];
 *     if (!entry || now - entry.since > 60 * 1000) {
 *       entry = attempts[ip] = { since: now, count: 0 };
 *     }
 *     entry.count++;
 *
 * is what the Redis counter does with a TTL: the first increment starts the window, and the key
 * expires with it. The read becomes `var entry = { count: await attempts.increment(ip) }`, so what
 * follows reads `entry.count` as before; the window's `if` and the `++` are removed with the reason.
 * `undefined` when the state is not exactly this shape (its other fixes then apply).
 */
export function windowedCountPlan(state: SharedState, context: FixContext, messageId = 'sessionCountMoveToRedis'): PlanResult | undefined {
  const declaration = state.nameNode.parent;
  const field = state.kind === 'singleton-field' && isFieldStore(declaration);
  if (!field && ((state.kind !== 'module' && state.kind !== 'closure') || !isStoreDeclaration(declaration))) return undefined;
  const initializer = skipOuterExpressions(declaration.initializer);
  if (ts.isNewExpression(initializer) && (initializer.arguments?.length ?? 0) === 0 && initializer.expression.getText() === 'Map') {
    const store = storeOf(declaration, context);
    if (!store) return undefined;
    return (
      (field ? undefined : expiringWindowPlan(declaration as ModuleStore, context, messageId)) ??
      apartWindowPlan(store, context, messageId) ??
      checkExpiredWindowPlan(store, context, messageId) ??
      (field ? undefined : resetInPlaceWindowPlan(declaration as ModuleStore, context, messageId))
    );
  }
  if (field || !ts.isObjectLiteralExpression(initializer) || initializer.properties.length > 0) return undefined;
  const references = referencesOf(context.program, declaration.name);
  if (references.length !== 2) return undefined;
  const [read, write] = references;
  // var entry = attempts[ip];
  const access = read.parent;
  if (!ts.isElementAccessExpression(access) || access.expression !== read || !ts.isVariableDeclaration(access.parent) || !ts.isIdentifier(access.parent.name)) return undefined;
  const localName = access.parent.name;
  const local = localName.text;
  const key = access.argumentExpression.getText();
  const readStatement = access.parent.parent.parent;
  if (!ts.isVariableStatement(readStatement) || readStatement.declarationList.declarations.length !== 1 || !ts.isBlock(readStatement.parent)) return undefined;
  const block = readStatement.parent;
  const statements = block.statements;
  const windowCheck = statements.find((statement) => statement.pos <= write.pos && write.end <= statement.end);
  const increment = windowCheck ? statements[statements.indexOf(windowCheck) + 1] : undefined;
  if (!windowCheck || !ts.isIfStatement(windowCheck) || windowCheck.elseStatement || statements.indexOf(windowCheck) < statements.indexOf(readStatement) || !increment) return undefined;
  const shape = windowShape(windowCheck, local, declaration.name.text, key);
  if (!shape || !isIncrementOf(increment, local, shape.count)) return undefined;
  // After the `++`, `entry` is read for its count only; before the read, not at all.
  const fn = block.parent;
  let otherUse: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (otherUse) return;
    if (ts.isIdentifier(node) && node.text === local && node !== localName && !within(node, windowCheck) && !within(node, increment)) {
      const property = node.parent;
      const readsCount = ts.isPropertyAccessExpression(property) && property.expression === node && property.name.text === shape.count && !isWritten(property) && node.pos > increment.end;
      if (!readsCount) otherUse = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  if (otherUse) return undefined;
  const name = declaration.name.text;
  return windowPlan({ declaration: declaration as ModuleStore, readStatement, read: access, counted: `{ ${shape.count}: await ${name}.increment(${key}) }`, windowCheck, increment, key, ...shape }, context, messageId);
}

/**
 * `if (!entry || now - entry.since > LENGTH) { entry = attempts[ip] = { since: now, count: 0 }; }`
 * with `now` from `Date.now()` and a windowCheck length of number literals: the names of the start and
 * count fields, and the length.
 */
function windowShape(statement: ts.IfStatement, local: string, name: string, key: string): { count: string; length: ts.Expression; seconds: number } | undefined {
  const expired = expiredClause(statement, local);
  if (!expired || !ts.isBinaryExpression(expired) || expired.operatorToken.kind !== SyntaxKind.GreaterThanToken) return undefined;
  // A TTL counts whole seconds: a window of 60 * 1000 ms is 60 s.
  const milliseconds = literalValue(expired.right);
  if (milliseconds === undefined || milliseconds <= 0 || milliseconds % 1000 !== 0) return undefined;
  const age = skipOuterExpressions(expired.left);
  if (!ts.isBinaryExpression(age) || age.operatorToken.kind !== SyntaxKind.MinusToken || !ts.isPropertyAccessExpression(age.right) || age.right.expression.getText() !== local) return undefined;
  const now = age.left.getText();
  if (!isNow(age.left)) return undefined;
  const since = age.right.name.text;
  const then = ts.isBlock(statement.thenStatement) && statement.thenStatement.statements.length === 1 ? statement.thenStatement.statements[0] : statement.thenStatement;
  if (!ts.isExpressionStatement(then)) return undefined;
  const reset = then.expression;
  if (!ts.isBinaryExpression(reset) || reset.operatorToken.kind !== SyntaxKind.EqualsToken || reset.left.getText() !== local) return undefined;
  const store = reset.right;
  if (!ts.isBinaryExpression(store) || store.operatorToken.kind !== SyntaxKind.EqualsToken || store.left.getText().replace(/\s+/g, '') !== `${name}[${key}]`.replace(/\s+/g, '')) return undefined;
  const fresh = skipOuterExpressions(store.right);
  if (!ts.isObjectLiteralExpression(fresh) || fresh.properties.length !== 2) return undefined;
  let count: string | undefined;
  for (const property of fresh.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) return undefined;
    const value = property.initializer.getText();
    if (property.name.text === since && value === now) continue;
    if (property.name.text !== since && value === '0') count = property.name.text;
    else return undefined;
  }
  return count ? { count, length: expired.right, seconds: milliseconds / 1000 } : undefined;
}

/** `if (!entry || EXPIRED)`: the expiry clause. */
function expiredClause(statement: ts.IfStatement, local: string): ts.Expression | undefined {
  const condition = skipOuterExpressions(statement.expression);
  if (!ts.isBinaryExpression(condition) || condition.operatorToken.kind !== SyntaxKind.BarBarToken) return undefined;
  const missing = skipOuterExpressions(condition.left);
  if (!ts.isPrefixUnaryExpression(missing) || missing.operator !== SyntaxKind.ExclamationToken || missing.operand.getText() !== local) return undefined;
  return skipOuterExpressions(condition.right);
}

/** `Date.now()`, or a local that holds it (`const now = Date.now()`, also in a function around a callback). */
export function isNow(expression: ts.Expression, depth = 0): boolean {
  const value = skipOuterExpressions(expression);
  if (ts.isCallExpression(value) && value.arguments.length === 0 && value.expression.getText() === 'Date.now') return true;
  if (!ts.isIdentifier(value) || depth >= 3) return false;
  const initializer = localInitializer(value);
  return initializer !== undefined && isNow(initializer, depth + 1);
}

/** `60 * 1000`, `60000`, or a module constant of them (`WINDOW_MS`): a length of number literals, its value. */
export function literalValue(expression: ts.Expression, depth = 0): number | undefined {
  const value = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(value)) return Number(value.text.replace(/_/g, ''));
  // A few constants deep at most: `const A = B; const B = A;` ends here too.
  if (ts.isIdentifier(value)) {
    const constant = depth < 4 ? moduleConstant(value) : undefined;
    return constant && literalValue(constant, depth + 1);
  }
  if (!ts.isBinaryExpression(value)) return undefined;
  const left = literalValue(value.left, depth);
  const right = literalValue(value.right, depth);
  if (left === undefined || right === undefined) return undefined;
  if (value.operatorToken.kind === SyntaxKind.AsteriskToken) return left * right;
  if (value.operatorToken.kind === SyntaxKind.PlusToken) return left + right;
  return undefined;
}

/** The initializer of a top-level `const NAME = …` of the identifier's file (never reassigned: it is a const). */
function moduleConstant(name: ts.Identifier): ts.Expression | undefined {
  for (const statement of name.getSourceFile().statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    const found = statement.declarationList.declarations.find((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name.text);
    if (found) return found.initializer;
  }
  return undefined;
}

/** `entry.count++;`, `++entry.count;`, `entry.count += 1;` */
function isIncrementOf(statement: ts.Statement, local: string, count: string): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const expression = statement.expression;
  const target = `${local}.${count}`;
  if ((ts.isPostfixUnaryExpression(expression) || ts.isPrefixUnaryExpression(expression)) && expression.operator === SyntaxKind.PlusPlusToken) return expression.operand.getText() === target;
  return ts.isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.PlusEqualsToken && expression.left.getText() === target && expression.right.getText() === '1';
}

function isWritten(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= SyntaxKind.FirstAssignment && parent.operatorToken.kind <= SyntaxKind.LastAssignment) return true;
  return (ts.isPostfixUnaryExpression(parent) || ts.isPrefixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken);
}

function within(node: ts.Node, container: ts.Node): boolean {
  return container.pos <= node.pos && node.end <= container.end;
}


/**
 * The same window kept in a Map with the time it ends (a fixed window from the first attempt):
 *
 *     let window = windows.get(key);
 *     if (!window || window.resetAt <= now) {
 *       window = { count: 0, resetAt: now + 60_000 };
 *       windows.set(key, window);
 *     }
 *     window.count++;
 *
 * The read becomes `{ count: await windows.increment(key) }`, with `resetAt: await
 * windows.expiresAt(key)` when what follows reads when the window ends (a Retry-After header).
 */
function expiringWindowPlan(declaration: ModuleStore, context: FixContext, messageId: string): PlanResult | undefined {
  const name = declaration.name.text;
  const references = referencesOf(context.program, declaration.name);
  if (references.length !== 2) return undefined;
  const [read, write] = references;
  // let window = windows.get(key);
  const get = read.parent.parent;
  if (!ts.isPropertyAccessExpression(read.parent) || read.parent.name.text !== 'get' || !ts.isCallExpression(get) || get.arguments.length !== 1) return undefined;
  const holder = get.parent;
  if (!ts.isVariableDeclaration(holder) || holder.initializer !== get || !ts.isIdentifier(holder.name) || holder.type) return undefined;
  const localName = holder.name;
  const local = localName.text;
  const key = get.arguments[0].getText();
  const readStatement = holder.parent.parent;
  if (!ts.isVariableStatement(readStatement) || readStatement.declarationList.declarations.length !== 1 || !ts.isBlock(readStatement.parent)) return undefined;
  const statements = readStatement.parent.statements;
  const windowCheck = statements[statements.indexOf(readStatement) + 1];
  const increment = statements[statements.indexOf(readStatement) + 2];
  if (!windowCheck || !increment || !ts.isIfStatement(windowCheck) || windowCheck.elseStatement || !within(write, windowCheck)) return undefined;
  const shape = expiryShape(windowCheck, local, name, key);
  if (!shape || !isIncrementOf(increment, local, shape.count)) return undefined;
  // After the `++`, `window` is read for its count and its end only.
  let otherUse: ts.Node | undefined;
  let readsEnd = false;
  const visit = (node: ts.Node): void => {
    if (otherUse) return;
    if (ts.isIdentifier(node) && node.text === local && node !== localName && !within(node, windowCheck) && !within(node, increment)) {
      const property = node.parent;
      const field = ts.isPropertyAccessExpression(property) && property.expression === node && !isWritten(property) && node.pos > increment.end ? property.name.text : undefined;
      if (field === shape.end) readsEnd = true;
      else if (field !== shape.count) otherUse = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(readStatement.parent.parent);
  if (otherUse) return undefined;
  const ends = readsEnd ? `, ${shape.end}: await ${name}.expiresAt(${key})` : '';
  const counted = `{ ${shape.count}: await ${name}.increment(${key})${ends} }`;
  return windowPlan({ declaration, readStatement, read: get, counted, windowCheck, increment, key, ...shape, endRead: readsEnd ? `\`${name}.expiresAt(${key})\` reads when it ends` : undefined }, context, messageId);
}

/**
 * The same window with the entry made on first sight and reset in place, then stored back:
 *
 *     const entry = hits.get(ip) || { count: 0, since: now };
 *     if (now - entry.since > 60_000) {
 *       entry.count = 0;
 *       entry.since = now;
 *     }
 *     entry.count++;
 *     hits.set(ip, entry);
 *
 * The read becomes `{ count: await hits.increment(ip) }`; the reset, the `++` and the store-back
 * are removed with the reason (the TTL starts the window at the first increment).
 */
function resetInPlaceWindowPlan(declaration: ModuleStore, context: FixContext, messageId: string): PlanResult | undefined {
  const name = declaration.name.text;
  const references = referencesOf(context.program, declaration.name);
  if (references.length !== 2) return undefined;
  const [read, write] = references;
  // `const entry = hits.get(ip) || { count: 0, since: now };`
  const entryRead = storeRead(read, true);
  if (!entryRead?.fallback) return undefined;
  const { fallback, key, statement: readStatement, statements } = entryRead;
  const localName = entryRead.local;
  const local = localName.text;
  const index = statements.indexOf(readStatement);
  const [windowCheck, second, third] = statements.slice(index + 1, index + 4);
  if (!windowCheck || !second || !third || !ts.isIfStatement(windowCheck) || windowCheck.elseStatement) return undefined;
  const fresh = freshEntry(fallback.right);
  if (!fresh) return undefined;
  const reset = inPlaceReset(windowCheck, local, fresh);
  if (!reset) return undefined;
  const storesBack = (statement: ts.Statement): boolean => ts.isExpressionStatement(statement) && within(write, statement) && statement.expression.getText().replace(/\s+/g, '') === `${name}.set(${key},${local})`.replace(/\s+/g, '');
  const [increment, storeBack] = storesBack(third) ? [second, third] : [third, second];
  if (!storesBack(storeBack) || !isIncrementOf(increment, local, fresh.count)) return undefined;
  // After the `++`, the entry is read for its count only.
  const otherUse = usesOf(localName, readStatement.parent).find((use) => {
    if (within(use, windowCheck) || within(use, increment) || within(use, storeBack)) return false;
    const property = use.parent;
    return !(ts.isPropertyAccessExpression(property) && property.expression === use && property.name.text === fresh.count && !isWritten(property) && use.pos > increment.end);
  });
  if (otherUse) return undefined;
  return windowPlan({ declaration, readStatement, read: fallback, counted: `{ ${fresh.count}: await ${name}.increment(${key}) }`, windowCheck, increment, key, length: reset.length, seconds: reset.seconds, storeBack }, context, messageId);
}

/** `{ count: 0, since: now }`: the names of the count (starting at 0) and of the window's start (now). */
function freshEntry(expression: ts.Expression): { count: string; since: string } | undefined {
  const fresh = skipOuterExpressions(expression);
  if (!ts.isObjectLiteralExpression(fresh) || fresh.properties.length !== 2) return undefined;
  let count: string | undefined;
  let since: string | undefined;
  for (const property of fresh.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) return undefined;
    if (property.initializer.getText() === '0') count = property.name.text;
    else if (isNow(property.initializer)) since = property.name.text;
  }
  return count && since ? { count, since } : undefined;
}

/** `if (now - entry.since > LENGTH) { entry.count = 0; entry.since = now; }` (either order, `>` or `>=`), a length in whole seconds. */
function inPlaceReset(statement: ts.IfStatement, local: string, fresh: { count: string; since: string }): { length: ts.Expression; seconds: number } | undefined {
  const expired = skipOuterExpressions(statement.expression);
  if (!ts.isBinaryExpression(expired) || (expired.operatorToken.kind !== SyntaxKind.GreaterThanToken && expired.operatorToken.kind !== SyntaxKind.GreaterThanEqualsToken)) return undefined;
  if (ageOf(expired.left, local)?.since !== fresh.since) return undefined;
  const milliseconds = literalValue(expired.right);
  if (milliseconds === undefined || milliseconds <= 0 || milliseconds % 1000 !== 0) return undefined;
  const block = statement.thenStatement;
  if (!ts.isBlock(block) || block.statements.length !== 2) return undefined;
  const assigned = new Map<string, ts.Expression>();
  for (const statement of block.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
    const target = statement.expression.left;
    if (!ts.isPropertyAccessExpression(target) || target.expression.getText() !== local) return undefined;
    assigned.set(target.name.text, statement.expression.right);
  }
  const count = assigned.get(fresh.count);
  const since = assigned.get(fresh.since);
  return count?.getText() === '0' && since && isNow(since) ? { length: expired.right, seconds: milliseconds / 1000 } : undefined;
}

type ModuleStore = ts.VariableDeclaration & { name: ts.Identifier; initializer: ts.Expression };
/** A store kept in a module (or factory) variable, or in a field of a singleton service (`private readonly failures = new Map()`). */
type StoreDeclaration = ModuleStore | (ts.PropertyDeclaration & { name: ts.Identifier; initializer: ts.Expression });

function isStoreDeclaration(node: ts.Node): node is ModuleStore {
  return ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined;
}

function isFieldStore(node: ts.Node): node is StoreDeclaration {
  return ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined && !ts.getModifiers(node)?.some((modifier) => modifier.kind === SyntaxKind.StaticKeyword);
}

/** A store as its uses name it: `failures`, or `this.failures` for a field; the expressions each use goes through; its name in Redis (a field's with its class). */
interface Store {
  declaration: StoreDeclaration;
  text: string;
  uses: ts.Expression[];
  redisName: string;
}

/** Undefined for a field used otherwise than through `this` of its class (another object may hold the service). */
function storeOf(declaration: StoreDeclaration, context: FixContext): Store | undefined {
  const name = declaration.name.text;
  const references = referencesOf(context.program, declaration.name).filter((reference) => reference !== declaration.name);
  if (!ts.isPropertyDeclaration(declaration)) return { declaration, text: name, uses: references, redisName: name };
  const owner = ts.findAncestor(declaration, ts.isClassLike);
  const uses: ts.Expression[] = [];
  for (const reference of references) {
    const access = reference.parent;
    if (!ts.isPropertyAccessExpression(access) || access.name !== reference || access.expression.kind !== SyntaxKind.ThisKeyword || ts.findAncestor(access, ts.isClassLike) !== owner) return undefined;
    uses.push(access);
  }
  return { declaration, text: `this.${name}`, uses, redisName: owner?.name ? `${owner.name.text}.${name}` : name };
}

interface CountedWindow {
  declaration: ModuleStore;
  readStatement: ts.Statement;
  /** The read of the entry, and what replaces it: the count (and the window's end) from Redis. */
  read: ts.Expression;
  counted: string;
  windowCheck: ts.Statement;
  increment: ts.Statement;
  key: string;
  length: ts.Expression;
  seconds: number;
  /** What reads the window's end now, when something does. */
  endRead?: string;
  /** `hits.set(ip, entry);` after an entry changed in place: the increment keeps the count now. */
  storeBack?: ts.Statement;
}

/** The plan both window shapes make: a counter map with the window as its TTL; the window's check and the `++` removed with the reason. */
function windowPlan(window: CountedWindow, context: FixContext, messageId: string): PlanResult {
  const { declaration, windowCheck, increment, key } = window;
  const rewriter = context.rewriter();
  rewriter.requireAsync(window.readStatement);
  if (rewriter.refused) return { refused: rewriter.refused };
  const file = declaration.getSourceFile();
  const name = declaration.name.text;
  const edits = [
    { fileName: file.fileName, start: window.read.getStart(file), end: window.read.getEnd(), newText: window.counted },
    { fileName: file.fileName, ...statementSpan(windowCheck), newText: '' },
    { fileName: file.fileName, ...statementSpan(increment), newText: '' },
    ...(window.storeBack ? [{ fileName: file.fileName, ...statementSpan(window.storeBack), newText: '' }] : []),
  ];
  return counterMapPlan(declaration, window.seconds, edits, rewriter, context, messageId, [
    { fileName: file.fileName, start: windowCheck.getStart(file), end: windowCheck.getEnd(), reason: `${windowReason(key, window.seconds, window.length)}${window.endRead ? `; ${window.endRead}` : ''}` },
    { fileName: file.fileName, start: increment.getStart(file), end: increment.getEnd(), reason: `\`${name}.increment(${key})\` above counts the attempt in one atomic step` },
    ...(window.storeBack ? [{ fileName: file.fileName, start: window.storeBack.getStart(file), end: window.storeBack.getEnd(), reason: `the count is kept in Redis by \`${name}.increment(${key})\` above, with its window as the TTL` }] : []),
  ]);
}

/** The store becomes a Redis counter map whose TTL is the window, imported from the counter adapter; `edits` do the rest. */
function counterMapPlan(declaration: StoreDeclaration, seconds: number, edits: TextEdit[], rewriter: AsyncRewriter, context: FixContext, messageId: string, removedStatements: RemovedStatement[], redisName = declaration.name.text): PlanResult {
  const file = declaration.getSourceFile();
  const name = declaration.name.text;
  const adapter = useAdapter('counter.ts', context.projectRoot, context.adapterDir, context.exists);
  edits.unshift(
    { fileName: file.fileName, start: declaration.initializer.getStart(file), end: declaration.initializer.getEnd(), newText: `createCounterMap(${context.storeName(redisName)}, { ttlSeconds: ${seconds} })` },
    // The annotation (`Map<string, Window>`) is the counter map's own type now.
    ...(declaration.type ? [{ fileName: file.fileName, start: declaration.name.getEnd(), end: declaration.type.getEnd(), newText: '' }] : []),
  );
  const importLine = importEdit(file, ['createCounterMap'], moduleSpecifier(file, adapter.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId, data: { name, adapter: context.displayPath(adapter.fileName) }, edits, createFiles: adapter.createFiles, dependencies: adapter.dependencies, removedStatements } };
}

function windowReason(key: string, seconds: number, length: ts.Expression): string {
  return `the count's window: Redis expires the count of \`${key}\` ${seconds} s (\`${length.getText()}\` ms) after its first increment, and the next one starts a new window at 1`;
}

/**
 * `if (!window || window.resetAt <= now) { window = { count: 0, resetAt: now + LENGTH }; windows.set(key, window); }`
 * (also `now >= window.resetAt`, `<`, `>`), `now` from `Date.now()`, a length of number literals in whole seconds.
 */
function expiryShape(statement: ts.IfStatement, local: string, name: string, key: string): { count: string; end: string; length: ts.Expression; seconds: number } | undefined {
  const expired = expiredClause(statement, local);
  if (!expired || !ts.isBinaryExpression(expired)) return undefined;
  const operator = expired.operatorToken.kind;
  const [end, now] = operator === SyntaxKind.LessThanEqualsToken || operator === SyntaxKind.LessThanToken ? [expired.left, expired.right] : operator === SyntaxKind.GreaterThanEqualsToken || operator === SyntaxKind.GreaterThanToken ? [expired.right, expired.left] : [];
  if (!end || !now || !ts.isPropertyAccessExpression(end) || end.expression.getText() !== local || !isNow(now)) return undefined;
  const block = statement.thenStatement;
  if (!ts.isBlock(block) || block.statements.length !== 2) return undefined;
  const [reset, store] = block.statements;
  if (!ts.isExpressionStatement(reset) || !ts.isBinaryExpression(reset.expression) || reset.expression.operatorToken.kind !== SyntaxKind.EqualsToken || reset.expression.left.getText() !== local) return undefined;
  if (!ts.isExpressionStatement(store) || store.expression.getText().replace(/\s+/g, '') !== `${name}.set(${key},${local})`.replace(/\s+/g, '')) return undefined;
  const fresh = skipOuterExpressions(reset.expression.right);
  if (!ts.isObjectLiteralExpression(fresh) || fresh.properties.length !== 2) return undefined;
  let count: string | undefined;
  let length: ts.Expression | undefined;
  for (const property of fresh.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) return undefined;
    const value = skipOuterExpressions(property.initializer);
    if (property.name.text === end.name.text && ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken && value.left.getText() === now.getText()) length = value.right;
    else if (property.name.text !== end.name.text && value.getText() === '0') count = property.name.text;
    else return undefined;
  }
  const milliseconds = length ? literalValue(length) : undefined;
  if (!count || !length || milliseconds === undefined || milliseconds <= 0 || milliseconds % 1000 !== 0) return undefined;
  return { count, end: end.name.text, length, seconds: milliseconds / 1000 };
}

/** A read of the store into a local: `const entry = failures.get(ip);`, alone in its statement, in a block. */
interface StoreRead {
  call: ts.CallExpression;
  local: ts.Identifier;
  key: string;
  statement: ts.VariableStatement;
  statements: ts.NodeArray<ts.Statement>;
  /** `failures.get(ip) || { count: 0, since: now }`: the read with what it falls back to, when asked for. */
  fallback?: ts.BinaryExpression;
}

function storeRead(reference: ts.Node, withFallback = false): StoreRead | undefined {
  const access = reference.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== reference || access.name.text !== 'get') return undefined;
  const call = access.parent;
  if (!ts.isCallExpression(call) || call.expression !== access || call.arguments.length !== 1) return undefined;
  const fallback = withFallback ? call.parent : undefined;
  if (withFallback && (!fallback || !ts.isBinaryExpression(fallback) || fallback.left !== call || (fallback.operatorToken.kind !== SyntaxKind.BarBarToken && fallback.operatorToken.kind !== SyntaxKind.QuestionQuestionToken))) return undefined;
  const value = (fallback as ts.BinaryExpression | undefined) ?? call;
  const holder = value.parent;
  if (!ts.isVariableDeclaration(holder) || holder.initializer !== value || !ts.isIdentifier(holder.name) || holder.type) return undefined;
  const statement = holder.parent.parent;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1 || !ts.isBlock(statement.parent)) return undefined;
  return { call, local: holder.name, key: call.arguments[0].getText(), statement, statements: statement.parent.statements, ...(fallback ? { fallback: fallback as ts.BinaryExpression } : {}) };
}

/**
 * The window counted in one place and checked in others (a failed-login lock-out counts failures
 * only, and the limiter in front of the login reads them):
 *
 *     const entry = failures.get(ip);
 *     if (!entry || Date.now() - entry.since >= WINDOW_MS) {
 *       failures.set(ip, { count: 1, since: Date.now() });
 *     } else {
 *       entry.count += 1;
 *     }
 *
 *     const entry = failures.get(ip);
 *     if (entry && Date.now() - entry.since < WINDOW_MS && entry.count >= MAX) …
 *
 * The count becomes `await failures.increment(ip)`, which starts the window at its first increment
 * (the TTL), so the read and the window's `if` are removed with the reason; each check reads `{
 * count: (await failures.get(ip)) ?? 0 }` and loses its window clause, which the TTL keeps now.
 */
function apartWindowPlan(store: Store, context: FixContext, messageId: string): PlanResult | undefined {
  const { declaration, text: name, uses: references } = store;
  const sets = references.filter((reference) => ts.isPropertyAccessExpression(reference.parent) && reference.parent.name.text === 'set');
  if (sets.length !== 1) return undefined;
  const reads = references.filter((reference) => !sets.includes(reference)).map((reference) => storeRead(reference));
  if (reads.some((read) => !read)) return undefined;
  let record: { read: StoreRead; update: ts.IfStatement; count: string; since: string; length: ts.Expression; seconds: number } | undefined;
  const checks: StoreRead[] = [];
  for (const read of reads as StoreRead[]) {
    const next = read.statements[read.statements.indexOf(read.statement) + 1];
    if (next && ts.isIfStatement(next) && within(sets[0], next)) {
      const shape = recordShape(next, read.local.text, name, read.key);
      if (!shape) return undefined;
      record = { read, update: next, ...shape };
    } else checks.push(read);
  }
  if (!record || checks.length === 0) return undefined;
  const found = record;
  // The recording function reads its entry in the window's `if` only.
  if (usesOf(found.read.local, found.read.statement.parent).some((use) => !within(use, found.update))) return undefined;
  const clauses: ts.BinaryExpression[] = [];
  for (const check of checks) {
    const clause = checkShape(check, found);
    if (!clause) return undefined;
    clauses.push(clause);
  }

  const rewriter = context.rewriter();
  rewriter.requireAsync(found.read.statement);
  for (const check of checks) rewriter.requireAsync(check.statement);
  if (rewriter.refused) return { refused: rewriter.refused };
  const recordFile = found.read.statement.getSourceFile();
  const edits: TextEdit[] = [
    { fileName: recordFile.fileName, start: found.read.statement.getStart(), end: found.read.statement.getEnd(), newText: `await ${name}.increment(${found.read.key});` },
    { fileName: recordFile.fileName, ...statementSpan(found.update), newText: '' },
  ];
  for (const [index, check] of checks.entries()) {
    const checkFile = check.call.getSourceFile();
    edits.push({ fileName: checkFile.fileName, start: check.call.getStart(checkFile), end: check.call.getEnd(), newText: `{ ${found.count}: (await ${name}.get(${check.key})) ?? 0 }` });
    // `a && WINDOW && b`: the clause goes with the `&&` that joins it to what is left.
    const clause = clauses[index];
    const chain = clause.parent as ts.BinaryExpression;
    edits.push(chain.right === clause ? { fileName: checkFile.fileName, start: chain.left.getEnd(), end: clause.getEnd(), newText: '' } : { fileName: checkFile.fileName, start: clause.getStart(checkFile), end: chain.right.getStart(checkFile), newText: '' });
  }
  return counterMapPlan(
    declaration,
    found.seconds,
    edits,
    rewriter,
    context,
    messageId,
    [
      { fileName: recordFile.fileName, start: found.read.statement.getStart(), end: found.read.statement.getEnd(), reason: `\`${name}.increment(${found.read.key})\` in its place counts in one atomic step; it needs no entry read first` },
      { fileName: recordFile.fileName, start: found.update.getStart(), end: found.update.getEnd(), reason: windowReason(found.read.key, found.seconds, found.length) },
    ],
    store.redisName,
  );
}

/**
 * `if (!entry || NOW - entry.since >= LENGTH) { store.set(key, { count: 1, since: NOW }); } else { entry.count += 1; }`
 * (also `>`), `NOW` being `Date.now()` or a variable holding it: the count and start fields, and the length.
 */
function recordShape(statement: ts.IfStatement, local: string, name: string, key: string): { count: string; since: string; length: ts.Expression; seconds: number } | undefined {
  const expired = expiredClause(statement, local);
  if (!expired || !ts.isBinaryExpression(expired) || (expired.operatorToken.kind !== SyntaxKind.GreaterThanToken && expired.operatorToken.kind !== SyntaxKind.GreaterThanEqualsToken)) return undefined;
  const age = ageOf(expired.left, local);
  const milliseconds = literalValue(expired.right);
  if (!age || milliseconds === undefined || milliseconds <= 0 || milliseconds % 1000 !== 0) return undefined;
  const fields = windowStart(onlyStatement(statement.thenStatement), name, key);
  const counted = onlyStatement(statement.elseStatement);
  if (!fields || fields.since !== age.since || !counted || !isIncrementOf(counted, local, fields.count)) return undefined;
  return { count: fields.count, since: age.since, length: expired.right, seconds: milliseconds / 1000 };
}

/** The one statement of a branch: itself, or the only statement of its block. */
function onlyStatement(branch: ts.Statement | undefined): ts.Statement | undefined {
  return branch && ts.isBlock(branch) ? (branch.statements.length === 1 ? branch.statements[0] : undefined) : branch;
}

/** `store.set(key, { count: 1, since: NOW })`, a window started: its count and start fields. */
function windowStart(start: ts.Statement | undefined, name: string, key: string): { count: string; since: string } | undefined {
  if (!start || !ts.isExpressionStatement(start) || !ts.isCallExpression(start.expression)) return undefined;
  const set = start.expression;
  if (set.expression.getText() !== `${name}.set` || set.arguments.length !== 2 || set.arguments[0].getText() !== key) return undefined;
  const fresh = skipOuterExpressions(set.arguments[1]);
  if (!ts.isObjectLiteralExpression(fresh) || fresh.properties.length !== 2) return undefined;
  let count: string | undefined;
  let since: string | undefined;
  for (const property of fresh.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) return undefined;
    if (isNow(property.initializer)) since = property.name.text;
    else if (property.initializer.getText() === '1') count = property.name.text;
    else return undefined;
  }
  return count && since ? { count, since } : undefined;
}

/** `NOW - entry.since`: the start field. */
function ageOf(expression: ts.Expression, local: string): { since: string } | undefined {
  const age = skipOuterExpressions(expression);
  if (!ts.isBinaryExpression(age) || age.operatorToken.kind !== SyntaxKind.MinusToken || !isNow(age.left)) return undefined;
  const start = skipOuterExpressions(age.right);
  return ts.isPropertyAccessExpression(start) && start.expression.getText() === local ? { since: start.name.text } : undefined;
}

/**
 * A check of the same window: its entry guards (`entry && …`), is read for its count, and for its
 * start only in one clause `NOW - entry.since < LENGTH` (or `<=`) of an `&&` chain, with the
 * record's length. That clause, which the count's TTL keeps now.
 */
function checkShape(check: StoreRead, record: { count: string; since: string; seconds: number }): ts.BinaryExpression | undefined {
  let clause: ts.BinaryExpression | undefined;
  for (const use of usesOf(check.local, check.statement.parent)) {
    const parent = use.parent;
    if (ts.isBinaryExpression(parent) && parent.left === use && parent.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) continue;
    if (!ts.isPropertyAccessExpression(parent) || parent.expression !== use || isWritten(parent)) return undefined;
    if (parent.name.text === record.count) continue;
    if (parent.name.text !== record.since || clause) return undefined;
    const age = parent.parent;
    const compared = ts.isBinaryExpression(age) ? age.parent : undefined;
    if (!compared || !ts.isBinaryExpression(compared) || compared.left !== age || (compared.operatorToken.kind !== SyntaxKind.LessThanToken && compared.operatorToken.kind !== SyntaxKind.LessThanEqualsToken)) return undefined;
    if (!ageOf(age as ts.Expression, check.local.text) || literalValue(compared.right) !== record.seconds * 1000) return undefined;
    const chain = compared.parent;
    if (!ts.isBinaryExpression(chain) || chain.operatorToken.kind !== SyntaxKind.AmpersandAmpersandToken) return undefined;
    clause = compared;
  }
  return clause;
}

/** The identifier's uses (its name, not its declaration) inside `scope`. */
function usesOf(local: ts.Identifier, scope: ts.Node): ts.Identifier[] {
  const uses: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== local && node.text === local.text && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) uses.push(node);
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return uses;
}

/**
 * The window counted in one place and expired by the check that reads it (the count goes on until a
 * check finds the window over and forgets the entry):
 *
 *     const entry = failures.get(ip);
 *     if (entry) entry.count++;
 *     else failures.set(ip, { count: 1, first: Date.now() });
 *
 *     const entry = failures.get(ip);
 *     if (!entry) return false;
 *     if (Date.now() - entry.first > WINDOW_MS) { failures.delete(ip); return false; }
 *     return entry.count >= MAX;
 *
 * The count becomes `await failures.increment(ip)`, whose TTL starts the window at the first
 * failure; each check reads `{ count: (await failures.get(ip)) ?? 0 }` and loses the expiry `if`,
 * which the TTL does now.
 */
function checkExpiredWindowPlan(store: Store, context: FixContext, messageId: string): PlanResult | undefined {
  const { declaration, text: name, uses: references } = store;
  const sets = references.filter((reference) => ts.isPropertyAccessExpression(reference.parent) && reference.parent.name.text === 'set');
  const deletes = references.filter((reference) => ts.isPropertyAccessExpression(reference.parent) && reference.parent.name.text === 'delete');
  if (sets.length !== 1) return undefined;
  // A timer (or a scheduled method) that deletes the entries older than the window: what the TTL does.
  let sweep: Sweep | undefined;
  const others = references.filter((reference) => !sets.includes(reference) && !deletes.includes(reference));
  for (const reference of others) {
    if (storeRead(reference)) continue;
    const found = sweepOf(reference, context);
    if (!found || typeof found === 'string' || sweep) return undefined;
    sweep = found;
  }
  const reads = others.filter((reference) => !(sweep && within(reference, sweep.statement))).map((reference) => storeRead(reference));
  if (reads.length < 2 || reads.some((read) => !read)) return undefined;
  let record: { read: StoreRead; update: ts.IfStatement; count: string; since: string; seconds?: number } | undefined;
  const checks: { read: StoreRead; expiry: ts.IfStatement; seconds: number; length: ts.Expression }[] = [];
  for (const read of reads as StoreRead[]) {
    const next = read.statements[read.statements.indexOf(read.statement) + 1];
    if (next && ts.isIfStatement(next) && within(sets[0], next)) {
      // Counted on, or started again when the window is over (`if (!entry || NOW - entry.since > LENGTH)`).
      const shape = countOrStart(next, read.local.text, name, read.key) ?? recordShape(next, read.local.text, name, read.key);
      if (!shape || record) return undefined;
      record = { read, update: next, ...shape };
      continue;
    }
    const expiry = read.statements.slice(read.statements.indexOf(read.statement) + 1).find((statement): statement is ts.IfStatement => ts.isIfStatement(statement) && deletes.some((reference) => within(reference, statement)));
    if (!expiry) return undefined;
    checks.push({ read, expiry, seconds: 0, length: expiry.expression });
  }
  if (!record || checks.length === 0) return undefined;
  const found = record;
  // The recording function reads its entry in the count's `if` only.
  if (usesOf(found.read.local, found.read.statement.parent).some((use) => !within(use, found.update))) return undefined;
  for (const check of checks) {
    const shape = forgetShape(check.expiry, check.read.local.text, name, check.read.key, found.since);
    if (!shape) return undefined;
    check.seconds = shape.seconds;
    check.length = shape.length;
    // Outside the expiry, the check reads its entry for the count, or tests it is there.
    const others = usesOf(check.read.local, check.read.statement.parent).filter((use) => !within(use, check.expiry));
    if (others.some((use) => !(ts.isPropertyAccessExpression(use.parent) && use.parent.expression === use && use.parent.name.text === found.count && !isWritten(use.parent)) && !(ts.isPrefixUnaryExpression(use.parent) && use.parent.operator === SyntaxKind.ExclamationToken))) return undefined;
  }
  const seconds = checks[0].seconds;
  // One window: the checks', the record's restart and the sweep's agree on its length and its start.
  if (checks.some((check) => check.seconds !== seconds) || (found.seconds !== undefined && found.seconds !== seconds)) return undefined;
  if (sweep && (sweep.absolute || sweep.field !== found.since || literalValue(sweep.maxAge) !== seconds * 1000)) return undefined;
  const rewriter = context.rewriter();
  rewriter.requireAsync(found.read.statement);
  for (const check of checks) rewriter.requireAsync(check.read.statement);
  // The other deletes (a successful login forgets the failures): the counter map deletes in Redis.
  const forgets = deletes.filter((reference) => !checks.some((check) => within(reference, check.expiry)) && !(sweep && within(reference, sweep.statement)));
  for (const reference of forgets) {
    const call = reference.parent.parent;
    if (!ts.isCallExpression(call) || call.expression !== reference.parent) return undefined;
    rewriter.awaitExpression(call);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const recordFile = found.read.statement.getSourceFile();
  const edits: TextEdit[] = [
    { fileName: recordFile.fileName, start: found.read.statement.getStart(), end: found.read.statement.getEnd(), newText: `await ${name}.increment(${found.read.key});` },
    { fileName: recordFile.fileName, ...statementSpan(found.update), newText: '' },
  ];
  const removed: RemovedStatement[] = [
    { fileName: recordFile.fileName, start: found.read.statement.getStart(), end: found.read.statement.getEnd(), reason: `\`${name}.increment(${found.read.key})\` in its place counts in one atomic step; it needs no entry read first` },
    { fileName: recordFile.fileName, start: found.update.getStart(), end: found.update.getEnd(), reason: `counted in one step: Redis starts a missing count at 1, and its TTL is when the window began (\`${found.since}\`)` },
  ];
  for (const check of checks) {
    const checkFile = check.read.call.getSourceFile();
    edits.push({ fileName: checkFile.fileName, start: check.read.call.getStart(checkFile), end: check.read.call.getEnd(), newText: `{ ${found.count}: (await ${name}.get(${check.read.key})) ?? 0 }` });
    edits.push({ fileName: checkFile.fileName, ...statementSpan(check.expiry), newText: '' });
    removed.push({ fileName: checkFile.fileName, start: check.expiry.getStart(), end: check.expiry.getEnd(), reason: windowReason(check.read.key, seconds, check.length) });
  }
  for (const removal of sweep?.removals ?? []) {
    removed.push(removal);
    edits.push({ fileName: removal.fileName, start: removal.start, end: removal.end, newText: '' });
  }
  return counterMapPlan(declaration, seconds, edits, rewriter, context, messageId, removed, store.redisName);
}

/**
 * `if (entry) entry.count++; else store.set(key, { count: 1, first: NOW });` (also the branches the
 * other way round under `!entry`): the count and start fields.
 */
function countOrStart(statement: ts.IfStatement, local: string, name: string, key: string): { count: string; since: string } | undefined {
  const condition = skipOuterExpressions(statement.expression);
  const negated = ts.isPrefixUnaryExpression(condition) && condition.operator === SyntaxKind.ExclamationToken;
  if ((negated ? skipOuterExpressions(condition.operand) : condition).getText() !== local) return undefined;
  const counted = onlyStatement(negated ? statement.elseStatement : statement.thenStatement);
  const fields = windowStart(onlyStatement(negated ? statement.thenStatement : statement.elseStatement), name, key);
  return fields && counted && isIncrementOf(counted, local, fields.count) ? fields : undefined;
}

/** `if (NOW - entry.first > LENGTH) { store.delete(key); return …; }` (also `>=`): the window's length. */
function forgetShape(statement: ts.IfStatement, local: string, name: string, key: string, since: string): { seconds: number; length: ts.Expression } | undefined {
  const condition = skipOuterExpressions(statement.expression);
  if (statement.elseStatement || !ts.isBinaryExpression(condition) || (condition.operatorToken.kind !== SyntaxKind.GreaterThanToken && condition.operatorToken.kind !== SyntaxKind.GreaterThanEqualsToken)) return undefined;
  if (ageOf(condition.left, local)?.since !== since) return undefined;
  const milliseconds = literalValue(condition.right);
  if (milliseconds === undefined || milliseconds <= 0 || milliseconds % 1000 !== 0) return undefined;
  const body = ts.isBlock(statement.thenStatement) ? statement.thenStatement.statements : ts.factory.createNodeArray([statement.thenStatement]);
  if (body.length !== 2) return undefined;
  const [forget, leave] = body;
  if (!ts.isExpressionStatement(forget) || forget.expression.getText().replace(/\s+/g, '') !== `${name}.delete(${key})`.replace(/\s+/g, '')) return undefined;
  if (!ts.isReturnStatement(leave)) return undefined;
  return { seconds: milliseconds / 1000, length: condition.right };
}
