import ts = require('typescript');
import type { SharedState } from '../analysis/shared-state';
import { libraryInstancesIn, type LibraryInstance } from '../analysis/state-libraries';
import type { RequestGraph } from '../analysis/request-graph';
import { short, skipOuterExpressions } from '../analysis/text';
import type { Finding, FixPlan, TextEdit, RemovedStatement, ReplacedStatement } from '../types';
import type { FixContext } from './context';
import { bindingRemoval, bindingsRemoval, endOfImports, importEdit, moduleSpecifier, onlyUseBinding, useAdapter } from './module-edits';
import { referencesOf } from './references';
import { literalValue } from './windowed-counts';
import { changesThrough, isImportOrExportName, mapToAdapter, type PlanResult } from './state-fixes';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

const CACHE_METHODS = new Set(['get', 'set', 'has', 'delete', 'clear']);
/** Values that do not survive JSON: a cache of them cannot move to Redis as it is. */
const NOT_JSON = new Set(['Promise', 'PromiseLike', 'Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'RegExp', 'Buffer', 'Uint8Array', 'ArrayBuffer']);
/** What the Redis cache adapter tags in its JSON and gives back as itself (a row's `createdAt`, a Map of settings). */
const CACHE_KEEPS: ReadonlySet<string> = new Set(['Date', 'Map', 'Set', 'Buffer']);

/**
 * Moves a module-level `Map` cache to the Redis cache adapter: the declaration becomes
 * `createCache<V>('name')`, every `get/set/has/delete/clear` is awaited, and the functions around
 * them become async up through their callers. Refused when the values would not survive JSON
 * (promises of in-flight loads, functions, objects with methods); the Dates, Maps, Sets and Buffers
 * it holds the adapter tags in its JSON and gives back as they were.
 */
export function cachePlan(state: SharedState, context: FixContext): PlanResult {
  const declaration = state.nameNode.parent;
  if ((state.kind === 'module' || state.kind === 'closure') && ts.isVariableDeclaration(declaration)) {
    const problem = notJsonValue(context.program.getTypeChecker(), declaration);
    if (problem) return { refused: `\`${state.name}\` holds ${problem}, which the Redis cache would give back changed` };
  }
  return mapToAdapter(state, context, { adapter: 'cache.ts', factory: 'createCache', messageId: 'cacheMoveToRedis', methods: CACHE_METHODS });
}

function notJsonValue(checker: ts.TypeChecker, declaration: ts.VariableDeclaration): string | undefined {
  try {
    const mapType = checker.getTypeAtLocation(declaration.name);
    const [, valueType] = checker.getTypeArguments(mapType as ts.TypeReference);
    return valueType ? unsafePart(checker, valueType, 0, CACHE_KEEPS) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What part of a value JSON would not give back as it was (promises, Dates, functions, objects with
 * methods), undefined when all of it survives; `kept` names the types a store tags and restores
 * (the cache adapter's Dates, Maps, Sets and Buffers), whose contents are still checked.
 */
export function unsafePart(checker: ts.TypeChecker, type: ts.Type, depth: number, kept: ReadonlySet<string> = new Set()): string | undefined {
  if (depth > 3) return undefined;
  if (type.isUnion() || type.isIntersection()) {
    for (const part of type.types) {
      const found = unsafePart(checker, part, depth + 1, kept);
      if (found) return found;
    }
    return undefined;
  }
  const symbolName = (type.aliasSymbol ?? type.getSymbol())?.getName();
  if (symbolName && kept.has(symbolName)) {
    // Map<K, V>, Set<T>: what they hold must survive too.
    const contents = symbolName === 'Map' || symbolName === 'Set' ? checker.getTypeArguments(type as ts.TypeReference) : [];
    for (const part of contents) {
      const found = unsafePart(checker, part, depth + 1, kept);
      if (found) return found;
    }
    return undefined;
  }
  if (symbolName && NOT_JSON.has(symbolName)) return `${symbolName === 'Promise' || symbolName === 'PromiseLike' ? 'promises' : `${symbolName} values`}`;
  if (type.getCallSignatures().length > 0) return 'functions';
  if (!(type.flags & ts.TypeFlags.Object)) return undefined;
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    return element ? unsafePart(checker, element, depth + 1, kept) : undefined;
  }
  for (const property of type.getProperties()) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    if (declaration && (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration))) return 'objects with methods';
    // A property a mapped type made (an ORM's inferred row, a Record) has no declaration: its type is the symbol's.
    const found = unsafePart(checker, declaration ? checker.getTypeOfSymbolAtLocation(property, declaration) : checker.getTypeOfSymbol(property), depth + 1, kept);
    if (found) return found;
  }
  return undefined;
}

interface GuardUses {
  /** `if (busy) return …` / `if (ids.has(id)) throw …` */
  check: ts.IfStatement;
  /** `busy = true;` / `ids.add(id);`, the statement right after the check. */
  take: ts.ExpressionStatement;
  /** `busy = false` / `ids.delete(id)`, usually in a `finally`. */
  release: ts.Expression;
  /** The key's text for a Set of keys, undefined for a flag. */
  key: string | undefined;
  /** Reads that only report the lock (`busy` in a status reply, `ids.size` on a dashboard), not take or release it. */
  reads: LockRead[];
}

/** A status read of the lock: `ids.size` counts the held keys, `busy` / `ids.has(k)` asks whether one is held. */
interface LockRead {
  node: ts.Expression;
  /** `count`: how many keys are held; `held`: whether the lock (or the key's lock) is held. */
  asks: 'count' | 'held';
  key?: string;
}

/**
 * Moves a guard-then-release lock to the Redis lock adapter, when it has the one shape whose
 * meaning is clear: `if (flag) <exit>; flag = true; … flag = false` (or `if (ids.has(k)) <exit>;
 * ids.add(k); … ids.delete(k)`), all in one function. The check becomes
 * `const xLock = await tryAcquireLock(…, { keepAlive: true }); if (!xLock) <exit>`, taking the
 * lock replaces `flag = true`, and the release becomes `await xLock.release()`. The declaration is
 * replaced by a comment that says where the lock now lives. Anything else is refused.
 */
export function lockPlan(state: SharedState, context: FixContext): PlanResult {
  const declaration = state.nameNode.parent;
  if ((state.kind !== 'module' && state.kind !== 'closure') || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return { refused: `only a module-level lock can move to Redis, and \`${state.name}\` is a class field` };
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return { refused: `\`${state.name}\` is declared together with other variables` };
  const uses = guardUses(state, referencesOf(context.program, declaration.name).filter((reference) => reference !== declaration.name), context);
  if ('refused' in uses) return uses;
  const file = declaration.getSourceFile();
  const fileName = file.fileName;
  const lockName = freshName(file, `${state.name}Lock`);
  // 'busy', or a factory's `${storeName}.busy`: a key of a Set of keys follows a colon, in one template literal.
  const lockKeyOf = (key: string | undefined): string => (key === undefined ? context.storeName(state.name) : `\`${context.storeName(state.name).slice(1, -1)}:\${${key}}\``);
  const lockKey = lockKeyOf(uses.key);
  const indent = indentationOf(file, uses.check.getStart(file));
  const rewriter = context.rewriter();
  rewriter.requireAsync(uses.check);
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('lock.ts', context.projectRoot, context.adapterDir, context.exists);
  const edits: TextEdit[] = [
    { fileName, start: uses.check.getStart(file), end: uses.check.getStart(file), newText: `const ${lockName} = await tryAcquireLock(${lockKey}, { keepAlive: true });\n${indent}` },
    { fileName, start: uses.check.expression.getStart(file), end: uses.check.expression.getEnd(), newText: `!${lockName}` },
    lineRemoval(file, uses.take),
    { fileName, start: uses.release.getStart(file), end: uses.release.getEnd(), newText: `await ${lockName}.release()` },
    {
      fileName,
      start: statement.getStart(file),
      end: statement.getEnd(),
      newText: `// \`${state.name}\` is now a Redis lock (tryAcquireLock in ${context.displayPath(use.fileName)}): it excludes requests on every instance.`,
    },
  ];
  // A status read asks Redis what every instance holds: `ids.size` → countHeldLocks, `busy` → isLockHeld.
  const imported = new Set(['tryAcquireLock']);
  for (const read of uses.reads) {
    const name = read.asks === 'count' ? 'countHeldLocks' : 'isLockHeld';
    imported.add(name);
    rewriter.awaitExpression(read.node, `${name}(${lockKeyOf(read.key)})`);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const importLine = importEdit(file, [...imported].sort(), moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  // What the engine must know it removes on purpose: the in-process lock itself and the statement that took it.
  const removedStatements: RemovedStatement[] = [
    { fileName, start: statement.getStart(file), end: statement.getEnd(), reason: `the lock lives in Redis now (tryAcquireLock); a comment says so in its place` },
    { fileName, start: uses.take.getStart(file), end: uses.take.getEnd(), reason: `\`${lockName}\` above takes the Redis lock in its place` },
  ];
  // The release statement keeps its place but does other work: it frees the Redis lock.
  const release = uses.release.parent;
  const replacedStatements: ReplacedStatement[] = [
    { fileName, start: release.getStart(file), end: release.getEnd(), replacement: `await ${lockName}.release()`, reason: `it frees the Redis lock \`${lockName}\` took` },
  ];
  return { plan: { messageId: 'lockMoveToRedis', data: { name: state.name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies, removedStatements, replacedStatements } };
}

/**
 * async-mutex's `const lock = new Mutex()` (or `new Semaphore(1)`) at module level, taken only as `lock.runExclusive(async () => …)`:
 * each becomes `withLock('lock', async () => …)` from the Redis lock adapter, which waits for the lock
 * as the Mutex does (up to its `waitMs`, 10 s by default, then throws). The declaration is replaced by a
 * comment that says where the lock now lives. A field of a singleton service
 * (`private readonly bookingLock = new Mutex()`, taken as `this.bookingLock.runExclusive(…)` in its
 * class) moves the same way, named with its class (`withLock('AppointmentsService.bookingLock', …)`).
 * Any other library, shape or use is refused, naming it.
 */
export function libraryLockPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext, graph: RequestGraph): PlanResult {
  const instance = libraryInstancesIn(graph, sourceFile).find((candidate) => candidate.kind === 'lock' && candidate.creation.getStart(sourceFile) === finding.start);
  if (!instance) return { refused: 'the lock is not where the analysis found it' };
  // A Semaphore of one permit (`new Semaphore(1)`) excludes as a Mutex does.
  const onePermit = instance.library === 'async-mutex' && instance.what === 'Semaphore' && instance.creation.arguments?.length === 1 && skipOuterExpressions(instance.creation.arguments[0]).getText() === '1';
  const asyncLock = instance.library === 'async-lock';
  if (!asyncLock && (instance.library !== 'async-mutex' || (instance.what !== 'Mutex' && !onePermit))) {
    const why = instance.what === 'Semaphore' ? `no Redis fix for ${instance.library}'s ${instance.what} of more than one permit yet` : `no Redis fix for ${instance.library}'s ${instance.what} yet`;
    return { refused: `${why}: take it with withLock from the lock adapter (lock.ts)` };
  }
  // `withTimeout(new Mutex(), 5000)`: a Mutex whose waiters give up after 5 s; the Redis lock waits as long (`waitMs`).
  const timeout = timeoutWrapper(instance.creation, context);
  if (typeof timeout === 'string') return { refused: timeout };
  const declaration = skipOuterExpressions(timeout?.call ?? instance.creation).parent;
  const statement = ts.isPropertyDeclaration(declaration) ? declaration : declaration?.parent?.parent;
  const moduleConst = ts.isVariableDeclaration(declaration) && statement && ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent) && statement.declarationList.declarations.length === 1;
  const owner = ts.isPropertyDeclaration(declaration) && !ts.getModifiers(declaration)?.some((modifier) => modifier.kind === SyntaxKind.StaticKeyword) ? ts.findAncestor(declaration, ts.isClassLike)?.name?.text : undefined;
  if (!(moduleConst || owner) || !(ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) || !ts.isIdentifier(declaration.name) || !statement) {
    return { refused: `only a Mutex kept in a module-level \`const\` of its own or in a field of a singleton service can move to Redis` };
  }
  if (!onePermit && (instance.creation.arguments?.length ?? 0) > 0) return { refused: `\`${instance.creation.getText()}\` is given arguments the Redis lock has no counterpart for` };
  const name = declaration.name.text;
  const lockName = owner ? `${owner}.${name}` : name;
  const file = sourceFile;
  const fileName = file.fileName;
  const edits: TextEdit[] = [];
  for (const reference of referencesOf(context.program, declaration.name)) {
    if (reference === declaration.name) continue;
    if (reference.getSourceFile() !== file) return { refused: `\`${name}\` is used in another module (${context.where(reference)})` };
    // A field is taken through `this` of its own class: `this.bookingLock.runExclusive(work)`.
    const holder = owner && ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference && reference.parent.expression.kind === SyntaxKind.ThisKeyword && ts.findAncestor(reference, ts.isClassLike) === ts.findAncestor(declaration, ts.isClassLike) ? reference.parent : reference;
    const access = holder.parent;
    const call = access.parent;
    // async-lock takes a key and the work (`lock.acquire(\`boat:${id}\`, async () => …)`): one lock per key.
    const method = asyncLock ? 'acquire' : 'runExclusive';
    const key = asyncLock && ts.isCallExpression(call) && call.arguments.length === 2 ? skipOuterExpressions(call.arguments[0]) : undefined;
    const work = ts.isCallExpression(call) && call.arguments.length === (asyncLock ? 2 : 1) ? skipOuterExpressions(call.arguments[asyncLock ? 1 : 0]) : undefined;
    if ((owner && holder === reference) || !ts.isPropertyAccessExpression(access) || access.expression !== holder || access.name.text !== method || !ts.isCallExpression(call) || call.expression !== access || !work) {
      return { refused: `\`${access.getText()}\` (${context.where(reference)}) is not \`${holder.getText()}.${asyncLock ? 'acquire(key, work)' : 'runExclusive(work)'}\`, the one use the Redis lock takes in its place` };
    }
    if (key && ts.isArrayLiteralExpression(key)) return { refused: `\`${access.getText()}(${short(key)}, …)\` (${context.where(call)}) takes several keys at once, which one Redis lock does not` };
    // withLock awaits what the work returns: a work that is not async could return a plain value.
    if (!(ts.isArrowFunction(work) || ts.isFunctionExpression(work)) || !(ts.getCombinedModifierFlags(work) & ts.ModifierFlags.Async)) {
      return { refused: `the work given to \`${name}.${method}\` (${context.where(work)}) is not an async function` };
    }
    // A Semaphore hands the work its value, async-lock a \`done\` callback; withLock hands it nothing.
    if (work.parameters.length > 0) return { refused: `the work given to \`${name}.${method}\` (${context.where(work)}) takes what the ${instance.what} hands it, which the Redis lock does not` };
    // `lock.runExclusive(work)` → `withLock('lock', work)`; `lock.acquire(key, work)` → `withLock(\`lock:${key}\`, work)`: a promise of what the work gives, as before.
    edits.push({ fileName, start: access.getStart(file), end: asyncLock ? call.arguments[1].getStart(file) : call.arguments.pos, newText: `withLock(${key ? keyedLockName(lockName, key) : `'${lockName}'`}, ` });
    if (timeout) edits.push({ fileName, start: call.arguments[call.arguments.length - 1].getEnd(), end: call.arguments[call.arguments.length - 1].getEnd(), newText: `, { waitMs: ${timeout.waitMs.getText()} }` });
  }
  const use = useAdapter('lock.ts', context.projectRoot, context.adapterDir, context.exists);
  edits.push({
    fileName,
    start: statement.getStart(file),
    end: statement.getEnd(),
    newText: `// \`${name}\` is now a Redis lock (withLock in ${context.displayPath(use.fileName)}): it excludes requests on every instance.`,
  });
  const importLine = importEdit(file, ['withLock'], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
  const removedStatements: RemovedStatement[] = [{ fileName, start: statement.getStart(file), end: statement.getEnd(), reason: `the lock lives in Redis now (withLock); a comment says so in its place` }];
  // `import { Mutex } from 'async-mutex'` used only here would be left unused (an error under noUnusedLocals).
  // So would `withTimeout` of `withTimeout(new Mutex(), ms)`.
  const constructor = skipOuterExpressions(instance.creation.expression);
  const unused = [constructor, ...(timeout ? [timeout.callee] : [])].flatMap((used) => {
    const binding = ts.isIdentifier(used) ? onlyUseBinding(used, context) : undefined;
    return binding ? [binding] : [];
  });
  if (unused.length > 0) {
    const removal = bindingsRemoval(unused, importLine);
    edits.push(...removal.edits);
    if (removal.statement) removedStatements.push({ fileName, start: removal.statement.getStart(file), end: removal.statement.getEnd(), reason: `${unused.map((binding) => `\`${binding.name.getText()}\``).join(' and ')} ${unused.length > 1 ? 'have' : 'has'} no other use once \`${name}\` is a Redis lock` });
  } else if (importLine) edits.push(importLine);
  return { plan: { messageId: 'lockMoveToRedis', data: { name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies, removedStatements } };
}

/**
 * async-mutex's `withTimeout(lock, ms)` around the lock's creation: the call, its `withTimeout`, and
 * the wait it allows (the Redis lock's `waitMs`). A reason when it cannot move: an error of its own
 * to throw, or `E_TIMEOUT` compared in the file (the Redis lock throws LockNotAcquiredError).
 */
function timeoutWrapper(creation: ts.Expression, context: FixContext): { call: ts.CallExpression; callee: ts.Identifier; waitMs: ts.Expression } | string | undefined {
  let outer: ts.Node = creation;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent)) outer = outer.parent;
  const call = outer.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== outer || !ts.isIdentifier(call.expression)) return undefined;
  const declaration = context.program.getTypeChecker().getSymbolAtLocation(call.expression)?.declarations?.[0];
  const imported = declaration && ts.isImportSpecifier(declaration) ? (declaration.propertyName ?? declaration.name).text : undefined;
  const from = declaration && ts.isImportSpecifier(declaration) ? declaration.parent.parent.parent.moduleSpecifier : undefined;
  if (imported !== 'withTimeout' || !from || !ts.isStringLiteral(from) || from.text !== 'async-mutex') return undefined;
  if (call.arguments.length !== 2) return `\`${short(call)}\` (${context.where(call)}) is given an error of its own to throw, which the Redis lock does not throw`;
  const compared = findIdentifier(call.getSourceFile(), 'E_TIMEOUT');
  if (compared) return `\`E_TIMEOUT\` (${context.where(compared)}) is what \`${short(call)}\` throws, and the Redis lock throws LockNotAcquiredError instead`;
  return { call, callee: call.expression, waitMs: call.arguments[1] };
}

function findIdentifier(node: ts.Node, text: string): ts.Identifier | undefined {
  if (ts.isIdentifier(node) && node.text === text) return node;
  return ts.forEachChild(node, (child) => findIdentifier(child, text));
}

/** The Redis lock's name for one key of an async-lock: the lock's own name, a colon, the key (`'Bookings.lock:' + key` written as one string or template). */
function keyedLockName(lockName: string, key: ts.Expression): string {
  if (ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key)) return `'${lockName}:${key.text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (ts.isTemplateExpression(key)) return `\`${lockName}:${key.getText().slice(1)}`;
  return `\`${lockName}:\${${key.getText()}}\``;
}

function guardUses(state: SharedState, references: readonly ts.Identifier[], context: FixContext): GuardUses | { refused: string } {
  let check: ts.IfStatement | undefined;
  let take: ts.ExpressionStatement | undefined;
  let release: ts.Expression | undefined;
  const keys = new Set<string>();
  const reads: LockRead[] = [];
  const unexpected = (reference: ts.Node): { refused: string } => ({ refused: `\`${reference.parent.getText()}\` (${context.where(reference)}) is not the check, the take, the release or a status read of a lock` });
  for (const reference of references) {
    const use = lockUseOf(reference, state.holds);
    if (use?.role === 'read') {
      reads.push({ node: use.node as ts.Expression, asks: use.asks ?? 'held', key: use.key });
      continue;
    }
    if (!use || (use.role === 'check' && check) || (use.role === 'take' && take) || (use.role === 'release' && release)) return unexpected(reference);
    if (use.key !== undefined) keys.add(use.key);
    if (use.role === 'check') check = use.node as ts.IfStatement;
    else if (use.role === 'take') take = use.node as ts.ExpressionStatement;
    else release = use.node as ts.Expression;
  }
  if (!check || !take || !release) return { refused: `\`${state.name}\` is not checked, taken and released in one function` };
  if (keys.size > 1) return { refused: `\`${state.name}\` is checked, taken and released with different keys` };
  const block = check.parent;
  if (!ts.isBlock(block) || block.statements[block.statements.indexOf(check) + 1] !== take) return { refused: `\`${state.name}\` is not taken right after its check (${context.where(take)})` };
  if (check.elseStatement || !exits(check.thenStatement)) return { refused: `the check of \`${state.name}\` (${context.where(check)}) does not simply return or throw` };
  const fn = enclosingFunctionOf(check);
  if (!fn || enclosingFunctionOf(release) !== fn || release.pos < take.end) return { refused: `\`${state.name}\` is released outside the function that takes it (${context.where(release)})` };
  return { check, take, release, key: [...keys][0], reads };
}

interface LockUse {
  role: 'check' | 'take' | 'release' | 'read';
  node: ts.Node;
  key?: string;
  asks?: LockRead['asks'];
}

/**
 * What one reference does: the `if` that checks, the statement that takes, the expression that
 * releases, or a status read (`busy` as a value, `ids.size`, `ids.has(k)` outside the check).
 */
function lockUseOf(reference: ts.Identifier, holds: SharedState['holds']): LockUse | undefined {
  const parent = reference.parent;
  if (holds === 'value') {
    if (ts.isIfStatement(parent) && parent.expression === reference) return { role: 'check', node: parent };
    if (ts.isBinaryExpression(parent) && parent.left === reference && parent.operatorToken.kind === SyntaxKind.EqualsToken) {
      const value = skipOuterExpressions(parent.right).kind;
      if (value === SyntaxKind.TrueKeyword && ts.isExpressionStatement(parent.parent)) return { role: 'take', node: parent.parent };
      if (value === SyntaxKind.FalseKeyword && ts.isExpressionStatement(parent.parent)) return { role: 'release', node: parent };
      return undefined;
    }
    return isPlainRead(reference) ? { role: 'read', node: reference, asks: 'held' } : undefined;
  }
  if (holds !== 'set' || !ts.isPropertyAccessExpression(parent) || parent.expression !== reference) return undefined;
  if (parent.name.text === 'size') return isPlainRead(parent) ? { role: 'read', node: parent, asks: 'count' } : undefined;
  if (!ts.isCallExpression(parent.parent) || parent.parent.arguments.length !== 1) return undefined;
  const call = parent.parent;
  const key = call.arguments[0].getText();
  const method = parent.name.text;
  if (method === 'has' && ts.isIfStatement(call.parent) && call.parent.expression === call) return { role: 'check', node: call.parent, key };
  if (method === 'has') return { role: 'read', node: call, asks: 'held', key };
  if (method === 'add' && ts.isExpressionStatement(call.parent)) return { role: 'take', node: call.parent, key };
  if (method === 'delete' && ts.isExpressionStatement(call.parent)) return { role: 'release', node: call, key };
  return undefined;
}

/** An expression whose value is only read: not assigned to, not updated, not called. */
function isPlainRead(expression: ts.Expression): boolean {
  const parent = expression.parent;
  if (ts.isCallExpression(parent) && parent.expression === expression) return false;
  if (ts.isBinaryExpression(parent) && parent.left === expression && parent.operatorToken.kind >= SyntaxKind.FirstAssignment && parent.operatorToken.kind <= SyntaxKind.LastAssignment) return false;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken)) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return false;
  return !ts.isDeleteExpression(parent) && !ts.isTypeOfExpression(parent) && !ts.isTypeQueryNode(parent);
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.length > 0 && exits(statement.statements[statement.statements.length - 1]);
}

function enclosingFunctionOf(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

function freshName(file: ts.SourceFile, wanted: string): string {
  let name = wanted;
  for (let index = 2; new RegExp(`\\b${name}\\b`).test(file.text); index++) name = `${wanted}${index}`;
  return name;
}

function indentationOf(file: ts.SourceFile, position: number): string {
  const lineStart = file.text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(lineStart, position))?.[0] ?? '';
}

/** Removes a statement with its line when it is alone on it. */
function lineRemoval(file: ts.SourceFile, statement: ts.Statement): TextEdit {
  const start = statement.getStart(file);
  const lineStart = file.text.lastIndexOf('\n', start - 1) + 1;
  const end = statement.getEnd();
  const aloneOnLine = /^[ \t]*$/.test(file.text.slice(lineStart, start)) && /^[ \t]*(\r?\n|$)/.test(file.text.slice(end));
  if (!aloneOnLine) return { fileName: file.fileName, start, end, newText: '' };
  const newline = /^[ \t]*(\r?\n)?/.exec(file.text.slice(end))![0].length;
  return { fileName: file.fileName, start: lineStart, end: end + newline, newText: '' };
}

/** node-cache's methods that have a Redis cache counterpart: the adapter's name for each. */
const NODE_CACHE_METHODS = new Map([
  ['get', 'get'],
  ['set', 'set'],
  ['has', 'has'],
  ['del', 'delete'],
  ['flushAll', 'clear'],
]);

/**
 * node-cache's `const cache = new NodeCache({ stdTTL })` at module level, used only through
 * `get`, `set` (its seconds TTL as the adapter takes it), `has`, `del(key)` and `flushAll()`:
 * the declaration becomes `createCache('cache', { ttlSeconds })` from the Redis cache adapter and
 * every call is awaited (`del` → `delete`, `flushAll` → `clear`), so an entry deleted where the
 * data changes is deleted for every instance. node-cache clones what it stores by default, so its
 * callers already get copies, as they do from JSON. Any other library, option or use is refused,
 * naming it.
 */
export function libraryCachePlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext, graph: RequestGraph): PlanResult {
  const instance = libraryInstancesIn(graph, sourceFile).find((candidate) => candidate.kind === 'cache' && candidate.creation.getStart(sourceFile) === finding.start);
  if (!instance) return { refused: 'the cache is not where the analysis found it' };
  if (instance.library === 'memory-cache' && instance.what === 'cache') return memoryCachePlan(sourceFile, instance.name, context);
  if (instance.library === 'lru-cache') return lruCachePlan(sourceFile, instance, context);
  if (instance.library !== 'node-cache') return { refused: `no Redis fix for ${instance.library}'s ${instance.what} yet: keep the entries in the cache adapter (createCache in cache.ts) and delete them where the data changes` };
  const declaration = moduleConstantOf(instance);
  if (!declaration) return { refused: 'only a NodeCache kept in a module-level `const` of its own can move to Redis' };
  const ttl = nodeCacheTtl(instance.creation);
  if (typeof ttl === 'object') return ttl;
  const name = declaration.name.text;
  const file = sourceFile;
  const rewriter = context.rewriter();
  for (const reference of referencesOf(context.program, declaration.name)) {
    if (reference === declaration.name || isImportOrExportName(reference)) continue;
    const access = reference.parent;
    const call = access.parent;
    const method = ts.isPropertyAccessExpression(access) && access.expression === reference ? NODE_CACHE_METHODS.get(access.name.text) : undefined;
    if (!method || !ts.isPropertyAccessExpression(access) || !ts.isCallExpression(call) || call.expression !== access) return { refused: `\`${access.getText()}\` (${context.where(reference)}) has no counterpart in the Redis cache adapter` };
    // node-cache's `set` answers true and `del` the number deleted; the adapter's do not: their values must go unused.
    if ((method === 'set' || method === 'delete') && !ts.isExpressionStatement(skipAwaited(call).parent)) return { refused: `the value of \`${call.getText()}\` (${context.where(reference)}) is used, and the Redis cache answers it differently` };
    if (method === 'delete' && (call.arguments.length !== 1 || ts.isArrayLiteralExpression(skipOuterExpressions(call.arguments[0])))) return { refused: `\`${call.getText()}\` (${context.where(reference)}) deletes several keys at once` };
    rewriter.awaitExpression(call, method === access.name.text ? undefined : `${name}.${method}(${call.arguments.map((argument) => argument.getText()).join(', ')})`);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const moved = cacheCreation(instance, `createCache('${name}', { ttlSeconds: ${ttl} })`, context);
  const importLine = importEdit(file, ['createCache'], moved.specifier);
  return { plan: { ...moved.plan, data: { name, adapter: moved.adapter }, edits: [...moved.plan.edits, ...rewriter.result(), ...(importLine ? [importLine] : [])] } };
}

/** The library cache's variable, when it is a module-level `const` of its own (`const roomCache = new NodeCache(…)`). */
function moduleConstantOf(instance: LibraryInstance): (ts.VariableDeclaration & { name: ts.Identifier }) | undefined {
  const declaration = skipOuterExpressions(instance.creation).parent;
  const statement = declaration?.parent?.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !statement || !ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent) || statement.declarationList.declarations.length !== 1) return undefined;
  return declaration as ts.VariableDeclaration & { name: ts.Identifier };
}

/** The library's `new …(…)` replaced by the Redis cache's creation: the cache adapter, the edit, and how the file imports the adapter. */
function cacheCreation(instance: LibraryInstance, creation: string, context: FixContext): { plan: Omit<FixPlan, 'message' | 'data'> & { messageId: string }; adapter: string; specifier: string } {
  const file = instance.creation.getSourceFile();
  const use = useAdapter('cache.ts', context.projectRoot, context.adapterDir, context.exists);
  return {
    plan: { messageId: 'cacheMoveToRedis', edits: [{ fileName: file.fileName, start: instance.creation.getStart(file), end: instance.creation.getEnd(), newText: creation }], createFiles: use.createFiles, dependencies: use.dependencies },
    adapter: context.displayPath(use.fileName),
    specifier: moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()),
  };
}

/** lru-cache's methods (also those of its versions before 7: `del`, `reset`) that have a Redis cache counterpart. */
const LRU_CACHE_METHODS = new Map([
  ['get', 'get'],
  ['peek', 'get'],
  ['set', 'set'],
  ['has', 'has'],
  ['delete', 'delete'],
  ['del', 'delete'],
  ['clear', 'clear'],
  ['reset', 'clear'],
]);

/** Options that only bound the process's own copy (its size, how stale entries are purged) and mean nothing once Redis expires entries. */
const LRU_BOUNDS = new Set(['max', 'maxSize', 'sizeCalculation', 'length', 'ttlAutopurge', 'allowStale', 'stale', 'updateAgeOnGet', 'updateAgeOnHas', 'noDeleteOnStaleGet']);

/**
 * lru-cache's `new LRUCache({ max, ttl })` (or `new LRU({ max, maxAge })` before version 7) kept in a
 * module-level `const`: it becomes `createCache('name', { ttlSeconds })` from the Redis cache
 * adapter, its `ttl` (ms) as seconds; without one, the adapter's default (CACHE_TTL_SECONDS, five
 * minutes) bounds what a cache of `max` entries kept until evicted. Every call is awaited (`peek` is
 * `get`, `del` is `delete`, `reset` is `clear`; `set(k, v, { ttl })` passes its seconds). lru-cache
 * hands out the objects it keeps, Redis a copy: a value read and then changed in place, which the
 * cache kept changed, is refused, as are the `dispose` and `fetchMethod` hooks.
 */
function lruCachePlan(sourceFile: ts.SourceFile, instance: LibraryInstance, context: FixContext): PlanResult {
  const declaration = moduleConstantOf(instance);
  if (!declaration) return { refused: `only an ${instance.what} kept in a module-level \`const\` of its own can move to Redis` };
  const [options, ...rest] = instance.creation.arguments ?? [];
  const literal = options && skipOuterExpressions(options);
  if (rest.length > 0 || (literal && !ts.isObjectLiteralExpression(literal))) return { refused: `\`${short(instance.creation)}\` is given options the fix cannot read` };
  let ttl: string | undefined;
  for (const property of literal && ts.isObjectLiteralExpression(literal) ? literal.properties : []) {
    const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (key !== undefined && LRU_BOUNDS.has(key)) continue;
    if ((key === 'ttl' || key === 'maxAge') && ts.isPropertyAssignment(property)) ttl = secondsOf(property.initializer);
    else return { refused: `the ${instance.what} option \`${short(property)}\` has no counterpart in the Redis cache adapter` };
  }
  const name = declaration.name.text;
  const rewriter = context.rewriter();
  for (const reference of referencesOf(context.program, declaration.name)) {
    if (reference === declaration.name || isImportOrExportName(reference)) continue;
    const access = reference.parent;
    const call = access.parent;
    const method = ts.isPropertyAccessExpression(access) && access.expression === reference ? LRU_CACHE_METHODS.get(access.name.text) : undefined;
    if (!method || !ts.isPropertyAccessExpression(access) || !ts.isCallExpression(call) || call.expression !== access) return { refused: `\`${access.getText()}\` (${context.where(reference)}) has no counterpart in the Redis cache adapter` };
    // lru-cache's `set` answers the cache itself; the adapter's answers nothing.
    if (method === 'set' && !ts.isExpressionStatement(skipAwaited(call).parent)) return { refused: `the value of \`${short(call)}\` (${context.where(reference)}) is used, and the Redis cache answers it differently` };
    const changed = method === 'get' ? changesThrough(call)[0] : undefined;
    if (changed) return { refused: `\`${short(changed)}\` (${context.where(changed)}) changes a value read from \`${name}\` in place, which lru-cache kept changed and Redis would not` };
    let args = call.arguments.map((argument) => argument.getText());
    if (method === 'set' && call.arguments.length > 2) {
      const perEntry = skipOuterExpressions(call.arguments[2]);
      const entryTtl = ts.isObjectLiteralExpression(perEntry) && perEntry.properties.length === 1 ? perEntry.properties[0] : undefined;
      if (call.arguments.length > 3 || !entryTtl || !ts.isPropertyAssignment(entryTtl) || entryTtl.name.getText() !== 'ttl') return { refused: `\`${short(call)}\` (${context.where(reference)}) is given options the Redis cache has no counterpart for` };
      args = [args[0], args[1], secondsOf(entryTtl.initializer)];
    }
    rewriter.awaitExpression(call, method === access.name.text && args.length === call.arguments.length && args.every((text, index) => text === call.arguments[index].getText()) ? undefined : `${name}.${method}(${args.join(', ')})`);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const file = sourceFile;
  const moved = cacheCreation(instance, `createCache(${context.storeName(name)}${ttl === undefined ? '' : `, { ttlSeconds: ${ttl} }`})`, context);
  const edits: TextEdit[] = [...moved.plan.edits, ...rewriter.result()];
  const importLine = importEdit(file, ['createCache'], moved.specifier);
  const removedStatements: RemovedStatement[] = [];
  // `import { LRUCache } from 'lru-cache'` used only here would be left unused (an error under noUnusedLocals).
  const constructor = skipOuterExpressions(instance.creation.expression);
  const binding = ts.isIdentifier(constructor) ? onlyUseBinding(constructor, context) : undefined;
  if (binding) {
    const removal = bindingRemoval(binding, importLine);
    edits.push(...removal.edits);
    if (removal.statement) removedStatements.push({ fileName: file.fileName, start: removal.statement.getStart(file), end: removal.statement.getEnd(), reason: `\`${constructor.getText()}\` has no other use once \`${name}\` is a Redis cache` });
  } else if (importLine) edits.push(importLine);
  const notes = ttl === undefined ? [`\`${name}\` had no ttl: its entries now expire after CACHE_TTL_SECONDS (default five minutes), where lru-cache kept them until evicted`] : [];
  return { plan: { ...moved.plan, data: { name, adapter: moved.adapter }, edits, ...(removedStatements.length > 0 ? { removedStatements } : {}), ...(notes.length > 0 ? { notes } : {}) } };
}

/** `stdTTL` of `new NodeCache({ … })` as the text of the adapter's `ttlSeconds` (0: no expiry, node-cache's default), or why it cannot move. */
function nodeCacheTtl(creation: ts.CallExpression | ts.NewExpression): string | { refused: string } {
  const [options, ...rest] = creation.arguments ?? [];
  if (rest.length > 0 || (options && !ts.isObjectLiteralExpression(skipOuterExpressions(options)))) return { refused: `\`${creation.getText()}\` is given options the fix cannot read` };
  let ttl = '0';
  for (const property of options ? (skipOuterExpressions(options) as ts.ObjectLiteralExpression).properties : []) {
    const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    // checkperiod paces node-cache's own sweep of expired entries: Redis expires them itself.
    if (key === 'checkperiod' && ts.isPropertyAssignment(property)) continue;
    if (key === 'stdTTL' && ts.isPropertyAssignment(property)) ttl = property.initializer.getText();
    else return { refused: `the NodeCache option \`${property.getText()}\` has no counterpart in the Redis cache adapter` };
  }
  return ttl;
}

function skipAwaited(node: ts.Expression): ts.Expression {
  return ts.isAwaitExpression(node.parent) ? node.parent : node;
}

/**
 * memory-cache's default export, one cache for the whole process (`cache.put(key, value, ms)`),
 * imported by this file only and used through `get`, `put` (its milliseconds as the adapter's
 * seconds, none: no expiry), `del` and `clear`: the import becomes `const cache =
 * createCache('memory-cache', { ttlSeconds: 0 })` from the Redis cache adapter, and every call is
 * awaited. A miss still reads `null` (`(await cache.get(key)) ?? null`), as memory-cache answers
 * it. Another file importing it, a `put` with a timeout callback or whose value is used, and any
 * other use are refused, naming them.
 */
function memoryCachePlan(sourceFile: ts.SourceFile, name: string, context: FixContext): PlanResult {
  const importing = sourceFile.statements.find((statement) => memoryCacheBinding(statement) !== undefined);
  const local = importing && memoryCacheBinding(importing);
  if (!importing || !local || local.text !== name) return { refused: "only memory-cache's default export imported by a module-level `import cache from 'memory-cache'` or `const cache = require('memory-cache')` of its own can move to Redis" };
  const other = context.program.getSourceFiles().find((file) => file !== sourceFile && !file.isDeclarationFile && !file.fileName.includes('/node_modules/') && file.statements.some((statement) => memoryCacheBinding(statement) !== undefined));
  if (other) return { refused: `${context.displayPath(other.fileName)} uses the same process-wide memory-cache: move both to the cache adapter (createCache in cache.ts) under one name` };
  const rewriter = context.rewriter();
  const checker = context.program.getTypeChecker();
  const edits: TextEdit[] = [];
  const references = referencesOf(context.program, local).filter((reference) => reference !== local);
  for (const reference of references) {
    // One rewrite per call: a call of the cache inside another's arguments would be rewritten twice.
    const nested = references.find((other) => other !== reference && ts.isCallExpression(reference.parent.parent) && reference.parent.parent.arguments.some((argument) => argument.pos <= other.pos && other.end <= argument.end));
    if (nested) return { refused: `\`${reference.parent.parent.getText()}\` (${context.where(reference)}) calls the cache inside its arguments` };
    const access = reference.parent;
    const call = access.parent;
    const method = ts.isPropertyAccessExpression(access) && access.expression === reference && ts.isCallExpression(call) && call.expression === access ? access.name.text : undefined;
    const args = method ? (call as ts.CallExpression).arguments.map((argument) => argument.getText()) : [];
    if (method === 'get' && args.length === 1) {
      const file = call.getSourceFile();
      edits.push({ fileName: file.fileName, start: call.getStart(file), end: call.getEnd(), newText: `((await ${name}.get(${args[0]})) ?? null)` });
      rewriter.requireAsync(call);
    } else if (method === 'put' && (args.length === 2 || args.length === 3)) {
      // memory-cache's `put` answers the value; the adapter's `set` answers nothing.
      if (!ts.isExpressionStatement(skipAwaited(call as ts.CallExpression).parent)) return { refused: `the value of \`${call.getText()}\` (${context.where(reference)}) is used, and the Redis cache answers it differently` };
      // memory-cache keeps the value itself; Redis keeps its JSON, with Dates, Maps, Sets and Buffers tagged.
      const problem = unsafePart(checker, checker.getTypeAtLocation((call as ts.CallExpression).arguments[1]), 0, CACHE_KEEPS);
      if (problem) return { refused: `\`${call.getText()}\` (${context.where(reference)}) stores ${problem}, which the Redis cache would give back changed` };
      rewriter.awaitExpression(call as ts.CallExpression, `${name}.set(${args[0]}, ${args[1]}, ${args.length === 3 ? secondsOf((call as ts.CallExpression).arguments[2]) : '0'})`);
    } else if (method === 'del' && args.length === 1) rewriter.awaitExpression(call as ts.CallExpression, `${name}.delete(${args[0]})`);
    else if (method === 'clear' && args.length === 0) rewriter.awaitExpression(call as ts.CallExpression);
    else return { refused: `\`${(method ? call : reference.parent).getText()}\` (${context.where(reference)}) has no counterpart in the Redis cache adapter` };
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('cache.ts', context.projectRoot, context.adapterDir, context.exists);
  const importLine = importEdit(sourceFile, ['createCache'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  const adapterImport = importLine?.newText.trim() ?? '';
  const creation = `const ${name} = createCache('memory-cache', { ttlSeconds: 0 });`;
  const newline = sourceFile.text.includes('\r\n') ? '\r\n' : '\n';
  const start = importing.getStart(sourceFile);
  // The cache is made after the last import, so the adapter is loaded first and no import follows code.
  if (endOfImports(sourceFile) === importing.getEnd()) {
    edits.push({ fileName: sourceFile.fileName, start, end: importing.getEnd(), newText: adapterImport ? `${adapterImport}${newline}${creation}` : creation });
  } else {
    edits.push({ fileName: sourceFile.fileName, start, end: importing.getEnd(), newText: adapterImport });
    edits.push({ fileName: sourceFile.fileName, start: endOfImports(sourceFile), end: endOfImports(sourceFile), newText: `${newline}${creation}` });
  }
  edits.push(...rewriter.result());
  const reason = `\`${name}\` is the Redis cache now: \`${creation}\` after the imports`;
  return {
    plan: {
      messageId: 'cacheMoveToRedis',
      data: { name, adapter: context.displayPath(use.fileName) },
      edits,
      createFiles: use.createFiles,
      dependencies: use.dependencies,
      removedStatements: [{ fileName: sourceFile.fileName, start, end: importing.getEnd(), reason }],
    },
  };
}

/** `import cache from 'memory-cache'` or `const cache = require('memory-cache')`, alone in its statement: the local name. */
function memoryCacheBinding(statement: ts.Statement): ts.Identifier | undefined {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    return ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === 'memory-cache' && clause?.name && !clause.namedBindings && !clause.isTypeOnly ? clause.name : undefined;
  }
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const [declaration] = statement.declarationList.declarations;
  const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
  const required = initializer && ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && initializer.expression.text === 'require' && initializer.arguments.length === 1 ? initializer.arguments[0] : undefined;
  return required && ts.isStringLiteral(required) && required.text === 'memory-cache' && ts.isIdentifier(declaration.name) ? declaration.name : undefined;
}

/**
 * Milliseconds (memory-cache's, lru-cache's) as the adapter's whole seconds, rounded up: `600` for `10 * 60 *
 * 1000`; a named length keeps its name (`TEN_MINUTES / 1000`, `Math.ceil(ttlMs / 1000)`).
 */
function secondsOf(milliseconds: ts.Expression): string {
  const inner = skipOuterExpressions(milliseconds);
  const value = literalValue(milliseconds);
  const named = /[A-Za-z_$]/.test(inner.getText());
  if (value !== undefined && value > 0 && !named) return String(Math.ceil(value / 1000));
  const operand = ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) || ts.isCallExpression(inner) ? inner.getText() : `(${inner.getText()})`;
  return value !== undefined && value > 0 && value % 1000 === 0 ? `${operand} / 1000` : `Math.ceil(${operand} / 1000)`;
}
