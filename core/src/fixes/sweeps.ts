import ts = require('typescript');
import { getFileFacts } from '../analysis/file-facts';
import { short, skipOuterExpressions } from '../analysis/text';
import { constantNumber } from '../analysis/staleness';
import type { TextEdit } from '../types';
import type { FixContext } from './context';
import { endOfImports, moduleSpecifier, statementSpan, usesRequire } from './module-edits';
import { referencesOf, referencesOfSymbol, symbolOf } from './references';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** A statement the fix removes with the sweep, and why. */
export interface SweepRemoval {
  start: number;
  end: number;
  fileName: string;
  reason: string;
}

/**
 * A timer that deletes a store's old entries: what a Redis TTL does. The fix gives the store that
 * TTL and removes the timer's statement, and what only served the timer (`timer.unref()`,
 * `clearInterval(timer)`, `return timer;` whose callers drop the value), each declared with the reason.
 */
export interface Sweep {
  /** The statement that starts the timer (`setInterval(() => { … }, 60_000);`, `const timer = setInterval(…)`). */
  statement: ts.Statement;
  /** The timer's statement first (with its own leading comment lines), then the uses of its handle. */
  removals: SweepRemoval[];
  /** The maximum age in milliseconds, as the code writes it (`SESSION_MAX_AGE_MS`). */
  maxAge: ts.Expression;
  /** The entry field the age is measured from (`createdAt`, `lastSeen`), or the expiry itself (`expiresAt`) when `absolute`. */
  field: string;
  /** The entries carry their own expiry (`if (session.expiresAt < now)`): `maxAge` is what every write adds to `Date.now()`. */
  absolute?: boolean;
}

/**
 * `setInterval(() => { const now = Date.now(); for (const [key, value] of map) if (now - value.createdAt > MAX) map.delete(key); }, ms)`:
 * a Map through `for…of`, `map.entries()` or `map.forEach((value, key) => …)`; a plain object through
 * `Object.keys(o)` / `Object.entries(o)` (`forEach` or `for…of`) or `for…in`, deleting with `delete o[key]`;
 * the age as `now - value.at > MAX` or against a cutoff (`const cutoff = Date.now() - MAX; … value.at < cutoff`).
 * Undefined when `holder` is not the store of such a sweep; a string when it is a sweep the store's
 * TTL cannot replace (the reason).
 */
export function sweepOf(holder: ts.Expression, context: FixContext): Sweep | string | undefined {
  const loop = loopOver(holder);
  if (!loop) return undefined;
  const timer = enclosingTimer(loop.statement);
  if (!timer) return functionSweep(loop, holder, context);
  const { callback, statement } = timer;
  const body = callback.body;
  const statements = ts.isBlock(body) ? body.statements : undefined;
  const nowNames = new Set<string>();
  const cutoffs = new Map<string, ts.Expression>();
  for (const other of statements ?? []) {
    if (other === loop.statement) continue;
    const declaration = ts.isVariableStatement(other) && other.declarationList.declarations.length === 1 ? other.declarationList.declarations[0] : undefined;
    const cutoff = declaration?.initializer ? maxAgeBefore(declaration.initializer, nowNames) : undefined;
    if (declaration && ts.isIdentifier(declaration.name) && declaration.initializer && isDateNow(declaration.initializer)) nowNames.add(declaration.name.text);
    else if (declaration && ts.isIdentifier(declaration.name) && cutoff) cutoffs.set(declaration.name.text, cutoff);
    else return `the sweep (${context.where(other)}) does more than delete old entries`;
  }
  if (statements && !statements.includes(loop.statement)) return `the sweep (${context.where(loop.statement)}) does more than delete old entries`;
  const found = withMaxAge(cutoffOf(loop, holder.getText(), nowNames, cutoffs, context), holder, context);
  if (typeof found === 'string') return found;
  if (!found) return `the sweep (${context.where(loop.statement)}) deletes by a condition other than \`now - entry.<time> > maxAge\``;
  const file = statement.getSourceFile();
  const removals: SweepRemoval[] = [{ fileName: file.fileName, ...removalSpan(statement), reason: `the timer ${deleted(found)}; the store's TTL expires them in Redis now` }];
  if (timer.handle) {
    const uses = handleUses(timer.handle, statement, context);
    if (typeof uses === 'string') return uses;
    removals.push(...uses);
  }
  return { statement, removals, maxAge: found.maxAge, field: found.field, absolute: found.absolute };
}

/** What a sweep deleted, for the reason its removal gives. */
function deleted(found: { maxAge: ts.Expression; field: string; absolute?: boolean }): string {
  return found.absolute ? `deleted entries past their \`${found.field}\` (each written as \`Date.now() + ${found.maxAge.getText()}\`)` : `deleted entries older than \`${found.maxAge.getText()}\` (by \`${found.field}\`)`;
}

/**
 * The sweep as a function of its own that a scheduler calls (node-cron's `cron.schedule(spec, sweepSessions)`):
 * its body is the loop, with at most `const now = Date.now()`, a cutoff, a `let removed = 0` the loop
 * counts in and `return removed;` around it. The loop goes (the function stays, and finds nothing to
 * delete); undefined for any other function, which is then not a sweep.
 */
function functionSweep(loop: Loop, holder: ts.Expression, context: FixContext): Sweep | string | undefined {
  const block = loop.statement.parent;
  if (!ts.isBlock(block) || !(ts.isFunctionDeclaration(block.parent) || ts.isFunctionExpression(block.parent) || ts.isArrowFunction(block.parent) || ts.isMethodDeclaration(block.parent))) return undefined;
  const nowNames = new Set<string>();
  const cutoffs = new Map<string, ts.Expression>();
  const counts = new Set<string>();
  for (const other of block.statements) {
    if (other === loop.statement) continue;
    if (ts.isReturnStatement(other) && other.expression && ts.isIdentifier(other.expression) && counts.has(other.expression.text) && other === block.statements[block.statements.length - 1]) continue;
    const declaration = ts.isVariableStatement(other) && other.declarationList.declarations.length === 1 ? other.declarationList.declarations[0] : undefined;
    if (!declaration || !ts.isIdentifier(declaration.name) || !declaration.initializer || other.getStart() > loop.statement.getStart()) return undefined;
    const cutoff = maxAgeBefore(declaration.initializer, nowNames);
    if (isDateNow(declaration.initializer)) nowNames.add(declaration.name.text);
    else if (cutoff) cutoffs.set(declaration.name.text, cutoff);
    else if (skipOuterExpressions(declaration.initializer).getText() === '0' && !(declaration.parent.flags & ts.NodeFlags.Const)) counts.add(declaration.name.text);
    else return undefined;
  }
  const found = withMaxAge(cutoffOf(loop, holder.getText(), nowNames, cutoffs, context, counts), holder, context);
  if (found === undefined || typeof found === 'string') return found;
  const maxAge = passedMaxAge(found.maxAge, block.parent, context);
  if (typeof maxAge === 'string') return maxAge;
  const file = loop.statement.getSourceFile();
  return {
    statement: loop.statement,
    removals: [{ fileName: file.fileName, ...removalSpan(loop.statement), reason: `the loop ${deleted(found)}; the store's TTL expires them in Redis now` }],
    maxAge,
    field: found.field,
    absolute: found.absolute,
  };
}

/**
 * A sweep function handed its maximum age (`function sweep(maxAgeMs)`, called by a start-up timer as
 * `sessions.sweep(12 * 60 * 60 * 1000)`): the age every call of it passes, when each passes the same
 * constant of literals. Any other maximum age is itself; a reason when the calls differ or pass a name.
 */
function passedMaxAge(maxAge: ts.Expression, fn: ts.SignatureDeclaration, context: FixContext): ts.Expression | string {
  const name = skipOuterExpressions(maxAge);
  const index = ts.isIdentifier(name) ? fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name.text) : -1;
  const declared = ts.isFunctionDeclaration(fn) ? fn.name : undefined;
  if (index < 0 || !declared) return maxAge;
  const checker = context.program.getTypeChecker();
  const runs = (callee: ts.Expression): boolean => {
    const symbol = symbolOf(checker, ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    return (symbol?.declarations ?? []).some((declaration) => {
      if (declaration === fn) return true;
      // `module.exports = { sweep: sweep }` / `{ sweep }`: the property holds the function.
      const value = ts.isPropertyAssignment(declaration) ? declaration.initializer : ts.isShorthandPropertyAssignment(declaration) ? declaration.name : undefined;
      const held = value && ts.isIdentifier(value) ? (ts.isShorthandPropertyAssignment(declaration) ? checker.getShorthandAssignmentValueSymbol(declaration) : symbolOf(checker, value)) : undefined;
      return held?.declarations?.includes(fn) === true;
    });
  };
  let passed: ts.Expression | undefined;
  for (const file of context.program.getSourceFiles()) {
    if (file.isDeclarationFile || context.program.isSourceFileFromExternalLibrary(file) || !file.text.includes(declared.text)) continue;
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isCallExpression(node)) continue;
      const callee = skipOuterExpressions(node.expression);
      const written = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (written !== declared.text || !runs(callee)) continue;
      const argument = node.arguments[index];
      if (!argument || literalValue(argument.getText()) === undefined) return `the sweep's maximum age is \`${name.getText()}\`, which \`${short(node)}\` (${context.where(node)}) passes as something other than a number written out`;
      if (passed && passed.getText() !== argument.getText()) return `the sweep's maximum age is \`${name.getText()}\`, which its calls pass as \`${passed.getText()}\` and \`${argument.getText()}\``;
      passed = argument;
    }
  }
  return passed ?? `the sweep's maximum age is \`${name.getText()}\`, which no call of \`${declared.text}\` passes`;
}

/**
 * A sweep by the entries' own expiry takes its maximum age from the writes: every `store.set(k, { …, expiresAt: Date.now() + TTL })`
 * with the same `TTL`; a reason when a write says otherwise.
 */
function withMaxAge(found: { maxAge?: ts.Expression; field: string; absolute?: boolean } | string | undefined, holder: ts.Expression, context: FixContext): { maxAge: ts.Expression; field: string; absolute?: boolean } | string | undefined {
  if (found === undefined || typeof found === 'string') return found;
  if (!found.absolute) return found.maxAge ? { maxAge: found.maxAge, field: found.field } : undefined;
  const name = symbolOf(context.program.getTypeChecker(), holder)?.valueDeclaration;
  // A module variable (`const sessions = new Map()`) or a class field (`private sessions = new Map()`, written through `this.sessions`).
  const declared = name && (ts.isVariableDeclaration(name) || ts.isPropertyDeclaration(name)) && ts.isIdentifier(name.name) ? name.name : undefined;
  if (!declared) return `the entries' \`${found.field}\` is written where the fix cannot see it`;
  let ttl: ts.Expression | undefined;
  for (const reference of referencesOf(context.program, declared)) {
    const store = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    const access = store.parent;
    const call = access.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== store || access.name.text !== 'set' || !ts.isCallExpression(call) || call.expression !== access) continue;
    const entry = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
    const property = entry && ts.isObjectLiteralExpression(entry) ? entry.properties.find((candidate) => candidate.name?.getText() === found.field) : undefined;
    const value = property && ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : undefined;
    const added = value && ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken && isDateNow(value.left) ? value.right : undefined;
    if (!added || (ttl && ttl.getText() !== added.getText())) return `\`${call.getText().split('\n')[0]}\` (${context.where(call)}) does not write \`${found.field}\` as \`Date.now() + ${ttl?.getText() ?? '<TTL>'}\`, which the store's TTL would repeat`;
    ttl = added;
  }
  return ttl ? { maxAge: ttl, field: found.field, absolute: true } : `nothing writes the entries' \`${found.field}\` as \`Date.now() + <TTL>\``;
}

interface Loop {
  statement: ts.Statement;
  key: string;
  /** How the loop reads an entry: its name (`session`) or `store[key]`. */
  value: string;
  body: ts.Node;
  /** A Map deletes with `map.delete(key)`, an object with `delete o[key]`. */
  kind: 'map' | 'object';
}

function loopOver(holder: ts.Expression): Loop | undefined {
  const parent = holder.parent;
  const name = holder.getText();
  // Object.keys(o) / Object.entries(o)
  if (ts.isCallExpression(parent) && parent.arguments.length === 1 && parent.arguments[0] === holder && ts.isPropertyAccessExpression(parent.expression) && parent.expression.expression.getText() === 'Object') {
    const method = parent.expression.name.text;
    if (method !== 'keys' && method !== 'entries') return undefined;
    const use = parent.parent;
    if (ts.isForOfStatement(use) && use.expression === parent) {
      const binding = loopBinding(use);
      if (method === 'keys' && binding && ts.isIdentifier(binding)) return { statement: use, key: binding.text, value: `${name}[${binding.text}]`, body: use.statement, kind: 'object' };
      const pair = binding && pairOf(binding);
      return method === 'entries' && pair ? { statement: use, key: pair[0], value: pair[1], body: use.statement, kind: 'object' } : undefined;
    }
    const callback = forEachCallback(parent);
    if (!callback || callback.parameters.length !== 1) return undefined;
    const parameter = callback.parameters[0].name;
    if (method === 'keys' && ts.isIdentifier(parameter)) return { statement: callback.parent.parent as ts.Statement, key: parameter.text, value: `${name}[${parameter.text}]`, body: callback.body, kind: 'object' };
    const pair = pairOf(parameter);
    return method === 'entries' && pair ? { statement: callback.parent.parent as ts.Statement, key: pair[0], value: pair[1], body: callback.body, kind: 'object' } : undefined;
  }
  // for (const key in o)
  if (ts.isForInStatement(parent) && parent.expression === holder) {
    const binding = loopBinding(parent);
    return binding && ts.isIdentifier(binding) ? { statement: parent, key: binding.text, value: `${name}[${binding.text}]`, body: parent.statement, kind: 'object' } : undefined;
  }
  let iterated: ts.Node = holder;
  // map.entries()
  if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'entries' && ts.isCallExpression(parent.parent)) iterated = parent.parent;
  if (ts.isForOfStatement(iterated.parent) && iterated.parent.expression === iterated) {
    const loop = iterated.parent;
    const binding = loopBinding(loop);
    const pair = binding && pairOf(binding);
    return pair ? { statement: loop, key: pair[0], value: pair[1], body: loop.statement, kind: 'map' } : undefined;
  }
  // map.forEach((value, key) => …)
  if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'forEach' && ts.isCallExpression(parent.parent)) {
    const callback = forEachCallback(holder);
    if (!callback || callback.parameters.length !== 2) return undefined;
    const [value, key] = callback.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
    return key && value ? { statement: callback.parent.parent as ts.Statement, key, value, body: callback.body, kind: 'map' } : undefined;
  }
  return undefined;
}

/** The one name a `for (const x of …)` / `for (const x in …)` declares. */
function loopBinding(loop: ts.ForOfStatement | ts.ForInStatement): ts.BindingName | undefined {
  const declarations = ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations : undefined;
  return declarations?.length === 1 ? declarations[0].name : undefined;
}

/** `[key, value]` as two names. */
function pairOf(binding: ts.BindingName): [string, string] | undefined {
  if (!ts.isArrayBindingPattern(binding) || binding.elements.length !== 2) return undefined;
  const [key, value] = binding.elements.map((element) => (ts.isBindingElement(element) && ts.isIdentifier(element.name) ? element.name.text : undefined));
  return key && value ? [key, value] : undefined;
}

/** The callback of `x.forEach(callback)` written as a statement. */
function forEachCallback(target: ts.Expression): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const access = target.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== target || access.name.text !== 'forEach') return undefined;
  const call = access.parent;
  if (!ts.isCallExpression(call) || call.expression !== access || !ts.isExpressionStatement(call.parent)) return undefined;
  const callback = call.arguments[0];
  return callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? callback : undefined;
}

interface Timer {
  callback: ts.ArrowFunction | ts.FunctionExpression;
  statement: ts.Statement;
  /** The name the timer is kept under (`timer` of `const timer = setInterval(…)`, `sweeper` of `this.sweeper = …`). */
  handle?: ts.Identifier;
}

/** `setInterval(() => { … }, ms)` as a statement (also with `.unref()`, kept in a variable or a field), around the loop. */
function enclosingTimer(loop: ts.Statement): Timer | undefined {
  let node: ts.Node = loop;
  while (node.parent && !ts.isArrowFunction(node.parent) && !ts.isFunctionExpression(node.parent)) {
    if (!ts.isBlock(node.parent)) return undefined;
    node = node.parent;
  }
  const callback = node.parent as ts.ArrowFunction | ts.FunctionExpression | undefined;
  if (!callback) return undefined;
  const timer = callback.parent;
  if (!ts.isCallExpression(timer) || timer.arguments[0] !== callback || !/^(?:global\.|globalThis\.)?setInterval$/.test(timer.expression.getText())) return undefined;
  let outer: ts.Expression = timer;
  if (ts.isPropertyAccessExpression(outer.parent) && outer.parent.name.text === 'unref' && ts.isCallExpression(outer.parent.parent)) outer = outer.parent.parent;
  const parent = outer.parent;
  if (ts.isExpressionStatement(parent)) return { callback, statement: parent };
  // const timer = setInterval(…);
  if (ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name) && ts.isVariableDeclarationList(parent.parent) && parent.parent.declarations.length === 1 && ts.isVariableStatement(parent.parent.parent)) {
    return { callback, statement: parent.parent.parent, handle: parent.name };
  }
  // this.sweeper = setInterval(…);  timer = setInterval(…);
  if (ts.isBinaryExpression(parent) && parent.right === outer && parent.operatorToken.kind === SyntaxKind.EqualsToken && ts.isExpressionStatement(parent.parent)) {
    const target = parent.left;
    if (ts.isIdentifier(target)) return { callback, statement: parent.parent, handle: target };
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword && ts.isIdentifier(target.name)) return { callback, statement: parent.parent, handle: target.name };
  }
  return undefined;
}

/**
 * The statements that only serve the timer's handle, removed with it: `timer.unref();`, `clearInterval(timer);`,
 * the field's declaration, and `return timer;` when every caller drops the value. Any other use blocks the fix (a string).
 */
function handleUses(handle: ts.Identifier, timer: ts.Statement, context: FixContext): SweepRemoval[] | string {
  const removals: SweepRemoval[] = [];
  const name = handle.text;
  const reason = `\`${name}\` was the sweep's timer, removed with it`;
  const remove = (statement: ts.Statement | ts.PropertyDeclaration): void => {
    const span = statementSpan(statement);
    if (!removals.some((removal) => removal.start === span.start && removal.fileName === statement.getSourceFile().fileName)) removals.push({ fileName: statement.getSourceFile().fileName, ...span, reason });
  };
  for (const reference of referencesOf(context.program, handle)) {
    if (within(reference, timer)) continue;
    const parent = reference.parent;
    // private sweeper: NodeJS.Timeout;  let timer;
    if (ts.isPropertyDeclaration(parent) && parent.name === reference && !parent.initializer) {
      remove(parent);
      continue;
    }
    const list = parent.parent;
    if (ts.isVariableDeclaration(parent) && parent.name === reference && !parent.initializer && ts.isVariableDeclarationList(list) && list.declarations.length === 1 && ts.isVariableStatement(list.parent)) {
      remove(list.parent);
      continue;
    }
    const value: ts.Expression = ts.isPropertyAccessExpression(parent) && parent.name === reference && parent.expression.kind === SyntaxKind.ThisKeyword ? parent : reference;
    const use = value.parent;
    // timer.unref();
    if (ts.isPropertyAccessExpression(use) && use.expression === value && (use.name.text === 'unref' || use.name.text === 'ref') && ts.isCallExpression(use.parent) && use.parent.arguments.length === 0 && ts.isExpressionStatement(use.parent.parent)) {
      remove(use.parent.parent);
      continue;
    }
    // clearInterval(timer);
    if (ts.isCallExpression(use) && use.arguments.length === 1 && use.arguments[0] === value && /^(?:global\.|globalThis\.)?clear(?:Interval|Timeout)$/.test(use.expression.getText()) && ts.isExpressionStatement(use.parent)) {
      remove(use.parent);
      continue;
    }
    // return timer;
    if (ts.isReturnStatement(use) && use.expression === value) {
      const used = resultUse(use, context);
      if (used) return `the function that starts the sweep returns its timer, and ${used}`;
      remove(use);
      continue;
    }
    return `the sweep's timer \`${name}\` is also used at ${context.where(reference)}`;
  }
  return removals;
}

/** Where a caller uses what the function around `statement` returns (undefined when every caller drops it). */
function resultUse(statement: ts.ReturnStatement, context: FixContext): string | undefined {
  let fn: ts.Node = statement;
  while (fn.parent && !ts.isFunctionLike(fn)) fn = fn.parent;
  const name = ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) ? fn.parent.name : undefined;
  if (!name || !ts.isIdentifier(name)) return `the function has no name to find its callers by`;
  const checker = context.program.getTypeChecker();
  const pending = referencesOf(context.program, name);
  const seen = new Set<ts.Node>(pending);
  while (pending.length > 0) {
    const reference = pending.pop()!;
    const parent = reference.parent;
    // module.exports = { startSweeper } / { startSweeper: startSweeper }: its uses through the export
    if ((ts.isShorthandPropertyAssignment(parent) && parent.name === reference) || (ts.isPropertyAssignment(parent) && parent.initializer === reference)) {
      const symbol = checker.getSymbolAtLocation(parent.name);
      for (const other of symbol ? referencesOfSymbol(context.program, parent.name.getText(), symbol) : []) {
        if (other !== parent.name && !seen.has(other)) {
          seen.add(other);
          pending.push(other);
        }
      }
      continue;
    }
    if (ts.isExportSpecifier(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent)) continue;
    const callee = ts.isPropertyAccessExpression(parent) && parent.name === reference ? parent : reference;
    const call = callee.parent;
    if (ts.isCallExpression(call) && call.expression === callee) {
      const outer = ts.isAwaitExpression(call.parent) ? call.parent : call;
      if (ts.isExpressionStatement(outer.parent)) continue;
      return `the value is used at ${context.where(call)}`;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.name === reference && ts.isBinaryExpression(parent.parent) && parent.parent.left === parent) continue;
    return `it is passed on at ${context.where(reference)}`;
  }
  return undefined;
}

/** `Date.now() - MAX` or `now - MAX` (a name set to `Date.now()` before): the `MAX`. */
function maxAgeBefore(expression: ts.Expression, nowNames: ReadonlySet<string>): ts.Expression | undefined {
  const difference = skipOuterExpressions(expression);
  if (!ts.isBinaryExpression(difference) || difference.operatorToken.kind !== SyntaxKind.MinusToken) return undefined;
  return isNow(difference.left, nowNames) ? difference.right : undefined;
}

/**
 * `if (now - value.at > MAX) map.delete(key);` (also `>=`, `MAX < now - value.at`, `Date.now()`, braces),
 * `if (value.at < cutoff) delete o[key];` with `cutoff = now - MAX`, or `value.at < now - MAX`.
 */
function cutoffOf(loop: Loop, store: string, nowNames: ReadonlySet<string>, cutoffs: ReadonlyMap<string, ts.Expression>, context: FixContext, counts: ReadonlySet<string> = new Set()): { maxAge?: ts.Expression; field: string; absolute?: boolean } | string | undefined {
  let statement: ts.Node = loop.body;
  if (ts.isBlock(statement)) {
    if (statement.statements.length !== 1) return undefined;
    statement = statement.statements[0];
  }
  if (!ts.isIfStatement(statement) || statement.elseStatement) return undefined;
  let action: ts.Node = statement.thenStatement;
  if (ts.isBlock(action)) {
    // if (old) { audit.write(…); delete o[key]; }: the TTL would delete, but nothing would write the log.
    const removal = action.statements.find((other) => ts.isExpressionStatement(other) && isDeleteOf(skipOuterExpressions(other.expression), loop, store));
    // `removed++`: a count of the deleted entries the function returns, nothing else.
    const more = removal ? action.statements.find((other) => other !== removal && !isCountOf(other, counts)) : undefined;
    if (more) return `the sweep does more than delete old entries: \`${firstLine(more)}\` (${context.where(more)}) would no longer run`;
    if (!removal) return undefined;
    action = removal;
  }
  if (!ts.isExpressionStatement(action) || !isDeleteOf(skipOuterExpressions(action.expression), loop, store)) return undefined;
  const condition = skipOuterExpressions(statement.expression);
  if (!ts.isBinaryExpression(condition)) return undefined;
  const operator = condition.operatorToken.kind;
  // Written as `larger > smaller`.
  const [larger, smaller] = operator === SyntaxKind.GreaterThanToken || operator === SyntaxKind.GreaterThanEqualsToken ? [condition.left, condition.right] : operator === SyntaxKind.LessThanToken || operator === SyntaxKind.LessThanEqualsToken ? [condition.right, condition.left] : [];
  if (!larger || !smaller) return undefined;
  // now - value.at > MAX
  const age = skipOuterExpressions(larger);
  if (ts.isBinaryExpression(age) && age.operatorToken.kind === SyntaxKind.MinusToken && isNow(age.left, nowNames)) {
    const field = fieldOf(age.right, loop.value);
    return field ? { maxAge: smaller, field } : undefined;
  }
  // now > value.expiresAt: the entry carries its own expiry
  const field = fieldOf(smaller, loop.value);
  if (field && isNow(larger, nowNames)) return { field, absolute: true };
  // cutoff > value.at, with cutoff = now - MAX (named or written in place)
  const cutoff = skipOuterExpressions(larger);
  const maxAge = ts.isIdentifier(cutoff) ? cutoffs.get(cutoff.text) : maxAgeBefore(cutoff, nowNames);
  return field && maxAge ? { maxAge, field } : undefined;
}

/** `removed++`, `++removed`, `removed += 1` of a count the sweep function keeps. */
function isCountOf(statement: ts.Statement, counts: ReadonlySet<string>): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const expression = skipOuterExpressions(statement.expression);
  if ((ts.isPostfixUnaryExpression(expression) || ts.isPrefixUnaryExpression(expression)) && expression.operator === SyntaxKind.PlusPlusToken) return ts.isIdentifier(expression.operand) && counts.has(expression.operand.text);
  return ts.isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.PlusEqualsToken && ts.isIdentifier(expression.left) && counts.has(expression.left.text) && expression.right.getText() === '1';
}

/** `map.delete(key)` for a Map, `delete o[key]` for an object. */
function isDeleteOf(expression: ts.Expression, loop: Loop, store: string): boolean {
  if (loop.kind === 'object') return ts.isDeleteExpression(expression) && compact(expression.expression.getText()) === compact(`${store}[${loop.key}]`);
  return ts.isCallExpression(expression) && expression.expression.getText() === `${store}.delete` && expression.arguments.length === 1 && expression.arguments[0].getText() === loop.key;
}

/** `value.at` (or `o[key].at`): `at`. */
function fieldOf(expression: ts.Expression, value: string): string | undefined {
  const since = skipOuterExpressions(expression);
  return ts.isPropertyAccessExpression(since) && compact(since.expression.getText()) === compact(value) ? since.name.text : undefined;
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

function isNow(expression: ts.Expression, nowNames: ReadonlySet<string>): boolean {
  const value = skipOuterExpressions(expression);
  return isDateNow(value) || (ts.isIdentifier(value) && nowNames.has(value.text));
}

function isDateNow(expression: ts.Expression): boolean {
  return /^Date\.now\(\)$/.test(skipOuterExpressions(expression).getText());
}

/** A statement's first line, shortened (`audit.write(\`expired ${id}\`);`). */
function firstLine(node: ts.Node): string {
  const text = node.getText().split('\n')[0].trim();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && container.getStart() <= node.getStart() && node.getEnd() <= container.getEnd();
}

/** The statement's lines: from the start of its first leading comment's line to after its line break. */
function removalSpan(statement: ts.Statement): { start: number; end: number } {
  const file = statement.getSourceFile();
  const text = file.text;
  const comments = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
  const first = comments.length > 0 ? comments[0].pos : statement.getStart(file);
  const start = text.lastIndexOf('\n', first - 1) + 1;
  let end = statement.getEnd();
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  // Between two blank lines, one of them goes too.
  const blankBefore = /\n\r?\n$/.test(text.slice(Math.max(0, start - 3), start));
  const blankAfter = /^\r?\n/.exec(text.slice(end, end + 2));
  if (blankBefore && blankAfter) end += blankAfter[0].length;
  return { start, end };
}

/**
 * The store's `{ ttlSeconds: … }` from the sweep's maximum age in milliseconds, written where the store
 * is created: a literal product is computed (`30 * 60 * 1000` → 1800), `X * 1000` becomes `X`, anything
 * else `Math.ceil(X / 1000)`. The names it uses are brought to the store's file: an import or `require`
 * of the sweep's file is repeated there; a constant of literals declared later, or in another file, is
 * written out. A string when a name cannot be brought (the reason).
 */
export function ttlOption(sweep: Sweep, store: ts.Node, context: FixContext): { text: string; edits: TextEdit[] } | string {
  const storeFile = store.getSourceFile();
  const sweepFile = sweep.statement.getSourceFile();
  const replacements: { start: number; end: number; text: string }[] = [];
  const imports = new Map<string, string>();
  let problem: string | undefined;
  const visit = (node: ts.Node): void => {
    if (problem) return;
    if (ts.isPropertyAccessExpression(node)) {
      visit(node.expression);
      return;
    }
    if (ts.isIdentifier(node)) {
      const brought = bring(node, store, storeFile, sweepFile, context);
      if (typeof brought === 'string') problem = brought;
      else if (brought?.inline !== undefined) replacements.push({ start: node.getStart(), end: node.getEnd(), text: brought.inline });
      else if (brought?.importText) imports.set(node.text, brought.importText);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sweep.maxAge);
  if (problem) return problem;
  let text = sweep.maxAge.getText();
  const offset = sweep.maxAge.getStart();
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) text = text.slice(0, replacement.start - offset) + replacement.text + text.slice(replacement.end - offset);
  const edits: TextEdit[] = [];
  if (imports.size > 0) {
    const at = endOfImports(storeFile);
    const lines = [...imports.values()].join('\n');
    edits.push({ fileName: storeFile.fileName, start: at, end: at, newText: at === 0 ? `${lines}\n` : `\n${lines}` });
  }
  return { text: secondsOf(text), edits };
}

/** `ttlSeconds` for milliseconds written as `text`. */
function secondsOf(text: string): string {
  const literal = literalValue(text);
  if (literal !== undefined) return String(Math.ceil(literal / 1000));
  const times1000 = /^([\s\S]+?)\s*\*\s*1_?000$/.exec(text);
  if (times1000 && !/[+\-?:<>=|&]/.test(times1000[1])) return `Math.ceil(${times1000[1]})`;
  return `Math.ceil(${text} / 1000)`;
}

/** The value of a product or sum of number literals (`30 * 60 * 1000`, `3600000`), else undefined. */
function literalValue(text: string): number | undefined {
  const expression = ts.createSourceFile('ttl.ts', `(${text})`, ts.ScriptTarget.Latest, true).statements[0];
  return expression && ts.isExpressionStatement(expression) ? constantNumber(expression.expression) : undefined;
}

/**
 * How a name the maximum age uses reads where the store is created: as it is (declared before the store,
 * in its file), its literal value (a constant of literals), or through an import repeated in the store's file.
 */
function bring(name: ts.Identifier, store: ts.Node, storeFile: ts.SourceFile, sweepFile: ts.SourceFile, context: FixContext): { inline?: string; importText?: string } | string | undefined {
  const declaration = declarationIn(sweepFile, name.text);
  if (!declaration) return `the sweep's maximum age uses \`${name.text}\`, which is not declared at the top of ${context.displayPath(sweepFile.fileName)}`;
  const initializer = ts.isVariableDeclaration(declaration) && isConst(declaration) ? declaration.initializer : undefined;
  const literal = initializer && literalValue(initializer.getText()) !== undefined ? initializer.getText() : undefined;
  if (sweepFile === storeFile) {
    if (declaration.getStart() < store.getStart()) return undefined;
    return literal !== undefined ? { inline: literal } : `\`${name.text}\` is declared after the store, so the store cannot take its TTL from it`;
  }
  if (literal !== undefined) return { inline: literal };
  const specifier = importedFrom(declaration);
  if (!specifier) return `the sweep's maximum age uses \`${name.text}\`, declared in ${context.displayPath(sweepFile.fileName)} (not a constant of literals nor an import ${context.displayPath(storeFile.fileName)} can repeat)`;
  const existing = declarationIn(storeFile, name.text);
  const wanted = respecify(specifier.text, sweepFile, storeFile, context);
  if (existing) {
    const other = importedFrom(existing);
    if (other && respecify(other.text, storeFile, storeFile, context) === wanted && existing.getText() === declaration.getText().replace(specifier.text, other.text)) return undefined;
    return `the sweep's maximum age uses \`${name.text}\`, which is something else in ${context.displayPath(storeFile.fileName)}`;
  }
  const statement = statementOf(declaration);
  if (!statement) return `the sweep's maximum age uses \`${name.text}\`, imported in a way the fix cannot repeat`;
  const text = statement.getText().replace(`'${specifier.text}'`, `'${wanted}'`).replace(`"${specifier.text}"`, `"${wanted}"`);
  const esm = !usesRequire(storeFile);
  if (esm !== ts.isImportDeclaration(statement)) return `the sweep's maximum age uses \`${name.text}\`, imported with ${esm ? 'require' : 'import'} in a file of the other module system`;
  return { importText: text };
}

/** A module-level declaration of `name` in `file`: a variable (also a `require`), an import, a function. */
function declarationIn(file: ts.SourceFile, name: string): ts.Declaration | undefined {
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const found = statement.declarationList.declarations.find((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name);
      if (found) return found;
    }
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name?.text === name) return clause;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return bindings;
      if (bindings && ts.isNamedImports(bindings)) {
        const found = bindings.elements.find((element) => element.name.text === name);
        if (found) return found;
      }
    }
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) return statement;
  }
  return undefined;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** The module a declaration imports: `require('./settings')`, `import x from './settings'`. */
function importedFrom(declaration: ts.Declaration): ts.StringLiteralLike | undefined {
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const call = skipOuterExpressions(declaration.initializer);
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1 && ts.isStringLiteralLike(call.arguments[0])) return call.arguments[0];
    return undefined;
  }
  let node: ts.Node = declaration;
  while (!ts.isImportDeclaration(node) && node.parent) node = node.parent;
  return ts.isImportDeclaration(node) && ts.isStringLiteralLike(node.moduleSpecifier) ? node.moduleSpecifier : undefined;
}

/** The whole statement of an import or a `require` of one name. */
function statementOf(declaration: ts.Declaration): ts.Statement | undefined {
  let node: ts.Node = declaration;
  while (node.parent && !ts.isSourceFile(node.parent)) node = node.parent;
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    const count = (clause?.name ? 1 : 0) + (clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.length : clause?.namedBindings ? 1 : 0);
    return count === 1 ? node : undefined;
  }
  return ts.isVariableStatement(node) && node.declarationList.declarations.length === 1 ? node : undefined;
}

/** A relative specifier of `from`, spelled for `to` (packages stay as they are). */
function respecify(specifier: string, from: ts.SourceFile, to: ts.SourceFile, context: FixContext): string {
  if (!specifier.startsWith('.')) return specifier;
  const base = normalise(`${from.fileName.slice(0, from.fileName.lastIndexOf('/'))}/${specifier}`);
  const stem = base.replace(/\.[cm]?js$/, '');
  const resolved = ['', '.ts', '.tsx', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs', '/index.ts', '/index.js'].map((extension) => `${stem}${extension}`).find((candidate) => context.program.getSourceFile(candidate) !== undefined);
  return moduleSpecifier(to, resolved ?? `${stem}.js`, context.program.getCompilerOptions());
}

/** `/a/b/../c/./d` → `/a/c/d`. */
function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/**
 * `session.lastSeen = Date.now();` on a value read from the store, where the sweep measured `lastSeen`:
 * a sliding expiry. The statement stays (the value the code goes on using is renewed as before) and the
 * store's TTL is renewed after it, `await store.touch(key);` (which, unlike writing the entry back, cannot
 * bring back an entry deleted meanwhile). Undefined when the change is something else; a string when it
 * renews in a way the fix cannot follow.
 */
export function renewalOf(change: ts.Node, sweep: Sweep, store: string, key: string, context: FixContext): TextEdit[] | string | undefined {
  if (!ts.isBinaryExpression(change) || change.operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
  const target = change.left;
  if (!ts.isPropertyAccessExpression(target) || target.name.text !== sweep.field) return undefined;
  if (sweep.absolute) return `\`${change.getText()}\` (${context.where(change)}) moves the entry's own expiry, which the store's TTL would not follow`;
  const statement = change.parent;
  if (!ts.isExpressionStatement(statement)) return `\`${change.getText()}\` (${context.where(change)}) renews the entry inside a larger expression, where the fix cannot renew the store's TTL`;
  if (!/^(?:this\.)?[\w$]+(?:\.[\w$]+)*$/.test(key)) return `\`${change.getText()}\` (${context.where(change)}) renews an entry whose key \`${key}\` the fix cannot read a second time`;
  const read = fieldRead(sweep, context);
  if (read) return `\`${read.getText()}\` (${context.where(read)}) reads \`${sweep.field}\`, which the store would no longer renew (its TTL replaces the sweep)`;
  const file = statement.getSourceFile();
  const touch = `await ${store}.touch(${key});`;
  const start = statement.getStart(file);
  const end = statement.getEnd();
  if (ts.isBlock(statement.parent) || ts.isSourceFile(statement.parent) || ts.isCaseClause(statement.parent) || ts.isDefaultClause(statement.parent)) {
    const indentation = /[ \t]*$/.exec(file.text.slice(file.text.lastIndexOf('\n', start - 1) + 1, start))?.[0] ?? '';
    return [{ fileName: file.fileName, start: end, end, newText: `\n${indentation}${touch}` }];
  }
  // if (session) session.lastSeen = Date.now();
  return [
    { fileName: file.fileName, start, end: start, newText: '{ ' },
    { fileName: file.fileName, start: end, end, newText: ` ${touch} }` },
  ];
}

/** A read of the sweep's field outside the sweep and outside renewals of it (`s.lastSeen` shown on a page). */
function fieldRead(sweep: Sweep, context: FixContext): ts.Node | undefined {
  for (const file of context.program.getSourceFiles()) {
    if (file.isDeclarationFile || context.program.isSourceFileFromExternalLibrary(file) || !file.text.includes(sweep.field)) continue;
    let found: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
      if (found || within(node, sweep.statement)) return;
      if (ts.isPropertyAccessExpression(node) && node.name.text === sweep.field && !(ts.isBinaryExpression(node.parent) && node.parent.left === node && node.parent.operatorToken.kind === SyntaxKind.EqualsToken)) found = node;
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (found) return found;
  }
  return undefined;
}

/**
 * `tokens.set(token, email); setTimeout(() => tokens.delete(token), 15 * 60 * 1000);`: an entry that
 * lives for a time, deleted by a timer in the process that set it (which a restart forgets, and
 * which no other instance has). The store sets the entry with that TTL instead
 * (`tokens.set(token, email, 900)`), and the timer goes: the `, seconds` to add after the set's
 * value, the timer's removal, and the `delete` reference inside it (not to be rewritten). Undefined
 * when the statement after the set is not such a timer (a whole number of seconds, the same key).
 */
export function entryExpiryTimer(setCall: ts.CallExpression, store: string): { ttl: TextEdit; removal: SweepRemoval; deleteCall: ts.CallExpression } | undefined {
  const statement = setCall.parent;
  const [key, value] = setCall.arguments;
  if (!key || !value || setCall.arguments.length !== 2 || !ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
  const next = statement.parent.statements[statement.parent.statements.indexOf(statement) + 1];
  const timer = next && ts.isExpressionStatement(next) ? skipOuterExpressions(next.expression) : undefined;
  if (!timer || !ts.isCallExpression(timer) || !/^(?:global\.|globalThis\.)?setTimeout$/.test(timer.expression.getText()) || timer.arguments.length !== 2) return undefined;
  const callback = skipOuterExpressions(timer.arguments[0]);
  if ((!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) || callback.parameters.length > 0) return undefined;
  const body = ts.isBlock(callback.body) ? (callback.body.statements.length === 1 && ts.isExpressionStatement(callback.body.statements[0]) ? callback.body.statements[0].expression : undefined) : callback.body;
  const deleteCall = body && skipOuterExpressions(body);
  if (!deleteCall || !ts.isCallExpression(deleteCall) || !ts.isPropertyAccessExpression(deleteCall.expression) || deleteCall.expression.name.text !== 'delete' || deleteCall.expression.expression.getText() !== store) return undefined;
  if (deleteCall.arguments.length !== 1 || deleteCall.arguments[0].getText() !== key.getText()) return undefined;
  const milliseconds = constantNumber(timer.arguments[1]);
  if (milliseconds === undefined || milliseconds <= 0 || milliseconds % 1000 !== 0) return undefined;
  const file = setCall.getSourceFile();
  const seconds = milliseconds / 1000;
  return {
    ttl: { fileName: file.fileName, start: value.getEnd(), end: value.getEnd(), newText: `, ${seconds}` },
    removal: { fileName: file.fileName, ...removalSpan(next), reason: `the timer deleted \`${key.getText()}\` ${seconds} s after it was set, in this process only; the store sets the entry with that TTL (\`${store}.set(…, ${seconds})\`) and Redis expires it on every instance` },
    deleteCall,
  };
}
