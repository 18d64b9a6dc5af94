import ts = require('typescript');
import type { TextEdit } from '../types';
import { getFileFacts, isFunctionNode, type FunctionNode } from '../analysis/file-facts';
import { resolveImportedMember } from '../analysis/imports';
import { enclosingFunction } from '../analysis/request-graph';
import { callsThroughList } from './function-lists';
import { forEachLoop } from './for-each-loops';
import { callerOutsideProgram } from './outside-callers';
import { referencesOf, referencesOfSymbol } from './references';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Fastify's hooks, by how many parameters they take with `done` last (`onResponse(request, reply, done)`). */
const FASTIFY_HOOK_ARITY: Record<string, number> = { onRequest: 3, preParsing: 4, preValidation: 3, preHandler: 3, preSerialization: 4, onError: 4, onSend: 4, onResponse: 3, onTimeout: 3, onRequestAbort: 3, onReady: 1, onListen: 1, onClose: 2, preClose: 1 };

/** `fastify.addHook('onResponse', (request, reply, done) => …)`: the hook's name when the function is one that takes `done`. */
function fastifyHookTakingDone(fn: FunctionNode): string | undefined {
  let value: ts.Node = fn;
  while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const call = value.parent;
  if (!ts.isCallExpression(call) || call.arguments[1] !== value || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'addHook') return undefined;
  const name = call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : undefined;
  const arity = name !== undefined && Object.hasOwn(FASTIFY_HOOK_ARITY, name) ? FASTIFY_HOOK_ARITY[name] : undefined;
  return arity !== undefined && fn.parameters.length >= arity ? name : undefined;
}

/** Array and promise methods whose callbacks must stay synchronous: an async callback there changes what the code does. */
const SYNC_CALLBACK_METHODS = new Set(['map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'sort', 'toSorted']);
/** Fastify's decorators: the value they add is what the augmented declaration says. */
const DECORATE_METHODS = new Set(['decorate', 'decorateRequest', 'decorateReply']);
/** Promise methods whose callbacks may return a promise: the chain waits for it. */
const PROMISE_CONTINUATIONS = new Set(['then', 'catch', 'finally']);
/** How many functions one fix may turn async before it is too large to offer. */
const MAX_FUNCTIONS = 40;

/**
 * Turns synchronous code that now calls an async API into async code: awaits each call, makes
 * the enclosing functions async (return types become `Promise<T>`), and awaits their callers in
 * turn, across the program. Refuses, with a reason, where that would change what the code means
 * or a contract it does not own: a function passed as a value that is not a request handler, a
 * callback of `map`/`forEach`, a constructor or accessor, a call at module scope.
 */
export class AsyncRewriter {
  private readonly edits = new Map<string, TextEdit>();
  private readonly madeAsync = new Set<FunctionNode>();
  /** The functions this rewrite adds `async` to (not those that already were), in order. */
  readonly turnedAsync: FunctionNode[] = [];
  private readonly awaited = new Set<ts.Node>();
  /** Why the rewrite cannot be offered, if it cannot. */
  refused: string | undefined;

  constructor(
    private readonly program: ts.Program,
    private readonly isHandler: (fn: FunctionNode) => boolean,
    private readonly displayPath: (fileName: string) => string,
  ) {}

  /**
   * `expression` now gives a promise: await it where it is used. With `replacement`, the
   * expression is also rewritten (one edit: `await <replacement>`).
   */
  awaitExpression(expression: ts.Expression, replacement?: string): void {
    if (this.refused || this.awaited.has(expression)) return;
    this.awaited.add(expression);
    const parent = expression.parent;
    const file = expression.getSourceFile();
    const start = expression.getStart(file);
    const text = replacement ?? expression.getText(file);
    if (ts.isAwaitExpression(parent)) {
      if (replacement !== undefined) this.addEdit({ fileName: file.fileName, start, end: expression.getEnd(), newText: replacement });
    } else {
      const needsParentheses = awaitNeedsParentheses(expression);
      if (replacement !== undefined) this.addEdit({ fileName: file.fileName, start, end: expression.getEnd(), newText: needsParentheses ? `(await ${text})` : `await ${text}` });
      else if (needsParentheses) {
        this.addEdit({ fileName: file.fileName, start, end: start, newText: '(await ' });
        this.addEdit({ fileName: file.fileName, start: expression.getEnd(), end: expression.getEnd(), newText: ')' });
      } else this.addEdit({ fileName: file.fileName, start, end: start, newText: 'await ' });
    }
    this.requireAsync(expression);
  }

  /** `list.map(async …)` gives promises: `await Promise.all(list.map(async …))` gives the values, in order. */
  private awaitAll(map: ts.CallExpression): void {
    const file = map.getSourceFile();
    const awaited = ts.isAwaitExpression(map.parent);
    const parentheses = !awaited && awaitNeedsParentheses(map);
    const opening = `${parentheses ? '(' : ''}${awaited ? '' : 'await '}Promise.all(`;
    this.addEdit({ fileName: file.fileName, start: map.getStart(file), end: map.getStart(file), newText: opening });
    this.addEdit({ fileName: file.fileName, start: map.getEnd(), end: map.getEnd(), newText: parentheses ? '))' : ')' });
    this.requireAsync(map);
  }

  /**
   * `array.map((p) => read(p))`: each element's value depends only on that element, with no
   * statement before it that another element could see, so the callbacks may run together.
   */
  private isIndependentMapping(fn: FunctionNode, map: ts.CallExpression, byName?: ts.Identifier): boolean {
    if (map.arguments[0] !== (byName ?? skipParentheses(fn)) || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !(byName && ts.isFunctionDeclaration(fn))) || !ts.isPropertyAccessExpression(map.expression) || !fn.body) return false;
    // By name, it is given the element, its index and the array: a function of one parameter uses the element alone.
    if (byName && fn.parameters.length > 1) return false;
    const checker = this.program.getTypeChecker();
    const receiver = checker.getTypeAtLocation(map.expression.expression);
    // Array-like: an array, a tuple, or an array with more to it (postgres.js rows are `T[] & Iterable<T> & ResultQueryMeta`).
    if (!(receiver.flags & ts.TypeFlags.Any) && !checker.isArrayLikeType(receiver)) return false;
    if (!ts.isBlock(fn.body)) return true;
    const statements = fn.body.statements;
    return statements.length > 0 && ts.isReturnStatement(statements[statements.length - 1]) && statements.slice(0, -1).every((statement) => ts.isVariableStatement(statement) && (statement.declarationList.flags & ts.NodeFlags.Const) !== 0);
  }

  /** Code at `node` now awaits: the function around it must be async. */
  requireAsync(node: ts.Node): void {
    if (this.refused) return;
    const fn = enclosingFunction(node);
    if (!fn) {
      this.refuse(`it is used at module scope (${this.where(node)})`);
      return;
    }
    this.makeAsync(fn);
  }

  /** Makes a function async and awaits every call of it. */
  makeAsync(fn: FunctionNode): void {
    if (this.refused || this.madeAsync.has(fn)) return;
    this.madeAsync.add(fn);
    if (this.madeAsync.size > MAX_FUNCTIONS) {
      this.refuse(`it would make more than ${MAX_FUNCTIONS} functions async`);
      return;
    }
    if (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) return;
    // `list.forEach(cb)` waits for no promise: the same work in a `for…of` loop awaits each element in turn.
    const loop = forEachLoop(this.program, fn, (node) => this.where(node));
    if (loop && 'refused' in loop) {
      this.refuse(`${this.describe(fn)} is a callback of \`${(skipParentheses(fn).parent as ts.CallExpression).expression.getText()}\` that must stay synchronous (${this.where(fn)}), and a \`for…of\` loop would not do the same: ${loop.refused}`);
      return;
    }
    if (loop) {
      for (const edit of loop.edits) this.addEdit(edit);
      this.requireAsync(loop.statement);
      return;
    }
    if (ts.isConstructorDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) {
      this.refuse(`${this.describe(fn)} cannot be async (${this.where(fn)})`);
      return;
    }
    if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.asteriskToken) {
      this.refuse(`${this.describe(fn)} is a generator (${this.where(fn)})`);
      return;
    }
    const hook = fastifyHookTakingDone(fn);
    if (hook) {
      this.refuse(`${this.describe(fn)} is a Fastify \`${hook}\` hook that calls back \`done\` (${this.where(fn)}), and Fastify refuses an async hook that takes \`done\``);
      return;
    }
    const file = fn.getSourceFile();
    const returnsPromise = this.returnsPromise(fn);
    this.addEdit({ fileName: file.fileName, start: asyncInsertionPoint(fn), end: asyncInsertionPoint(fn), newText: 'async ' });
    this.turnedAsync.push(fn);
    if (fn.type) {
      const typeText = fn.type.getText(file);
      if (!/^Promise\s*</.test(typeText)) this.addEdit({ fileName: file.fileName, start: fn.type.getStart(file), end: fn.type.getEnd(), newText: `Promise<${typeText}>` });
    }
    // It gave a promise already: async, it gives a promise of the same value, and its callers stay as they are.
    if (!returnsPromise) this.awaitCallers(fn);
  }

  private awaitCallers(fn: FunctionNode): void {
    const callback = callbackCall(fn);
    if (callback) {
      if (this.isHandler(fn)) return;
      const method = ts.isPropertyAccessExpression(callback.expression) ? callback.expression.name.text : '';
      if (this.isPromiseContinuation(callback)) return; // `.then(async …)` settles with what the async callback settles with
      if (isErrorFirstCallback(fn, callback)) return;
      const decorated = ts.isCallExpression(callback) ? this.fastifyDecoration(fn, callback) : undefined;
      if (decorated) {
        this.makeDecorationAsync(decorated);
        return;
      }
      // A timer or a cron schedule runs it on its own: async, it runs the same, its promise ignored (node-cron awaits it).
      if (ts.isCallExpression(callback) && runsDetached(callback)) return;
      if (method === 'map' && ts.isCallExpression(callback) && this.isIndependentMapping(fn, callback)) {
        this.awaitAll(callback);
        return;
      }
      if (SYNC_CALLBACK_METHODS.has(method) || ts.isNewExpression(callback)) this.refuse(`${this.describe(fn)} is a callback of \`${callback.expression.getText()}\` that must stay synchronous (${this.where(fn)})`);
      else if (!this.isHandler(fn)) this.refuse(`${this.describe(fn)} is called by \`${callback.expression.getText()}\`, which does not wait for a promise (${this.where(fn)})`);
      return;
    }
    const name = declarationName(fn);
    if (!name) {
      if (!this.isHandler(fn)) this.refuse(`${this.describe(fn)} is used as a value (${this.where(fn)})`);
      return;
    }
    // A script of the repository that imports the module and calls it would get a promise, and the fix cannot await it there.
    const outside = callerOutsideProgram(this.program, fn.getSourceFile(), name.text);
    if (outside) {
      this.refuse(`${this.describe(fn)} is also used by \`${this.displayPath(outside)}\`, which is outside the project the fix rewrites and would get a promise from it`);
      return;
    }
    const references = referencesOf(this.program, name);
    // `store = (ctx, cb) => { … }` of a class whose object is handed to a library (passport's state store): nothing of the
    // program calls it, so what does waits for no promise, and an error thrown in it would no longer reach that caller.
    if (isClassMember(fn) && !this.isHandler(fn) && references.every(isDeclarationOrModuleSyntax)) {
      this.refuse(`${this.describe(fn)} is not called by the program itself (${this.where(fn)}): what calls it, through the object it is handed to, does not wait for a promise`);
      return;
    }
    for (const reference of references) {
      if (this.refused) return;
      const call = calledBy(reference);
      if (call) {
        this.awaitExpression(call);
        continue;
      }
      if (isDeclarationOrModuleSyntax(reference)) continue;
      if (this.isHandler(fn)) continue; // registered as a handler: the framework awaits it
      if (this.awaitValueUse(reference, new Set(references))) continue;
      // `loans.map(showLoan)`: mapped independently, as a callback written in place would be.
      const map = reference.parent;
      if (ts.isCallExpression(map) && map.arguments.length === 1 && map.arguments[0] === reference && ts.isPropertyAccessExpression(map.expression) && map.expression.name.text === 'map' && this.isIndependentMapping(fn, map, reference)) {
        this.awaitAll(map);
        continue;
      }
      this.refuse(`\`${reference.getText()}\` is passed as a value at ${this.where(reference)}`);
    }
  }

  /**
   * A use of the function as a value whose calls the rewrite can still find and await: an element
   * of a list the code runs (`this.afterStore = [buildPreview]` with `this.afterStore.map((step) =>
   * step(target))`: each `step(…)` is awaited), or a CommonJS export (`module.exports.f = f`: the
   * calls of the export are awaited). False when it is neither; a refusal when the list is run in
   * a way the rewrite cannot follow.
   */
  private awaitValueUse(reference: ts.Identifier, seen: ReadonlySet<ts.Identifier>): boolean {
    const through = callsThroughList(reference, this.program, (node) => this.where(node));
    if (through && 'refused' in through) {
      this.refuse(through.refused);
      return true;
    }
    if (through) {
      for (const call of through.calls) this.awaitExpression(call);
      return true;
    }
    const exportedProperty = exportedObjectProperty(reference);
    if (exportedProperty) {
      // module.exports = { create, lookup }: the callers reach it as the exported object's property.
      const symbol = this.program.getTypeChecker().getSymbolAtLocation(exportedProperty);
      for (const use of symbol ? referencesOfSymbol(this.program, exportedProperty.text, symbol) : []) {
        if (this.refused) return true;
        if (use === exportedProperty || seen.has(use)) continue;
        const call = calledBy(use);
        if (call) this.awaitExpression(call);
        else if (!isDeclarationOrModuleSyntax(use)) this.refuse(`\`${use.parent.getText()}\` is used as a value at ${this.where(use)}`);
      }
      return true;
    }
    const assignment = reference.parent;
    if (!ts.isBinaryExpression(assignment) || assignment.right !== reference || assignment.operatorToken.kind !== SyntaxKind.EqualsToken || !ts.isExpressionStatement(assignment.parent)) return false;
    const exported = assignment.left;
    // module.exports = handle: the module is the function, called through the names its importers require it as.
    if (isExportsObject(exported) && ts.isPropertyAccessExpression(exported)) {
      for (const use of this.requiredAs(reference.getSourceFile()).flatMap((local) => referencesOf(this.program, local))) {
        if (this.refused) return true;
        if (use === reference || seen.has(use)) continue;
        const call = calledBy(use);
        if (call) this.awaitExpression(call);
        else if (!isDeclarationOrModuleSyntax(use)) this.refuse(`\`${use.parent.getText()}\` is used as a value at ${this.where(use)}`);
      }
      return true;
    }
    if (!ts.isPropertyAccessExpression(exported) || !ts.isIdentifier(exported.name) || !isExportsObject(exported.expression)) return false;
    // In JavaScript the export is an alias of the function: its references met already are awaited there.
    for (const use of referencesOf(this.program, exported.name)) {
      if (this.refused) return true;
      if (seen.has(use)) continue;
      const call = calledBy(use);
      if (call) this.awaitExpression(call);
      else if (!isDeclarationOrModuleSyntax(use)) this.refuse(`\`${use.parent.getText()}\` is used as a value at ${this.where(use)}`);
    }
    return true;
  }

  /** The names the program's files bind a module to: `const handle = require('./router')`. */
  private requiredAs(module: ts.SourceFile): ts.Identifier[] {
    const checker = this.program.getTypeChecker();
    const names: ts.Identifier[] = [];
    for (const file of this.program.getSourceFiles()) {
      if (file.isDeclarationFile || this.program.isSourceFileFromExternalLibrary(file) || !file.text.includes('require')) continue;
      for (const { node } of getFileFacts(file).calls) {
        if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require' || node.arguments.length !== 1 || !ts.isStringLiteralLike(node.arguments[0])) continue;
        const declaration = node.parent;
        if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== node || !ts.isIdentifier(declaration.name)) continue;
        if (checker.getSymbolAtLocation(node.arguments[0])?.declarations?.includes(module)) names.push(declaration.name);
      }
    }
    return names;
  }

  /**
   * `fastify.decorate('render', fn)` with `render` declared on `FastifyInstance` (or the request or
   * reply) by module augmentation: the declaration says what callers get.
   */
  private fastifyDecoration(fn: FunctionNode, call: ts.CallExpression): ts.MethodSignature | ts.PropertySignature | undefined {
    const callee = skipParentheses(call.expression);
    const [name, value] = call.arguments;
    if (!ts.isPropertyAccessExpression(callee) || !DECORATE_METHODS.has(callee.name.text) || value !== skipParentheses(fn) || !name || !ts.isStringLiteralLike(name)) return undefined;
    const owner = { decorate: 'FastifyInstance', decorateRequest: 'FastifyRequest', decorateReply: 'FastifyReply' }[callee.name.text];
    for (const file of this.program.getSourceFiles()) {
      if (file.isDeclarationFile || this.program.isSourceFileFromExternalLibrary(file) || !file.text.includes(owner ?? '')) continue;
      for (const statement of file.statements) {
        if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name) || statement.name.text !== 'fastify' || !statement.body || !ts.isModuleBlock(statement.body)) continue;
        for (const member of statement.body.statements.filter(ts.isInterfaceDeclaration).filter((declaration) => declaration.name.text === owner).flatMap((declaration) => [...declaration.members])) {
          if ((ts.isMethodSignature(member) || ts.isPropertySignature(member)) && ts.isIdentifier(member.name) && member.name.text === name.text) return member;
        }
      }
    }
    return undefined;
  }

  /** The declared member now gives a promise: `render(…): Promise<string>`, and every call of it is awaited. */
  private makeDecorationAsync(member: ts.MethodSignature | ts.PropertySignature): void {
    const file = member.getSourceFile();
    const returned = ts.isMethodSignature(member) ? member.type : member.type && ts.isFunctionTypeNode(member.type) ? member.type.type : undefined;
    if (!returned) {
      this.refuse(`the declaration of \`${member.name.getText(file)}\` (${this.where(member)}) does not say what it returns`);
      return;
    }
    const typeText = returned.getText(file);
    if (!/^Promise\s*</.test(typeText)) this.addEdit({ fileName: file.fileName, start: returned.getStart(file), end: returned.getEnd(), newText: `Promise<${typeText}>` });
    else return;
    for (const reference of referencesOf(this.program, member.name as ts.Identifier)) {
      if (this.refused) return;
      const call = calledBy(reference);
      if (call) this.awaitExpression(call);
      else this.refuse(`\`${reference.parent.getText()}\` is used as a value at ${this.where(reference)}`);
    }
  }

  /** Every return of the function gives a promise (`Promise<T>`, declared or inferred). */
  private returnsPromise(fn: FunctionNode): boolean {
    if (fn.type) return /^Promise\s*</.test(fn.type.getText(fn.getSourceFile()));
    const checker = this.program.getTypeChecker();
    const signature = checker.getSignatureFromDeclaration(fn);
    if (!signature) return false;
    const returned = checker.getReturnTypeOfSignature(signature);
    if (returned.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return returnsPromiseChains(fn);
    const parts = returned.isUnion() ? returned.types : [returned];
    return parts.every((part) => part.getSymbol()?.getName() === 'Promise');
  }

  /**
   * `promise.then(fn)`, `.catch(fn)`, `.finally(fn)` on a promise (or an untyped value): the chain
   * waits for what the callback returns, so an async callback leaves the chain's value and its
   * errors where they were.
   */
  private isPromiseContinuation(callback: ts.CallExpression | ts.NewExpression): boolean {
    if (!ts.isCallExpression(callback) || !ts.isPropertyAccessExpression(callback.expression) || !PROMISE_CONTINUATIONS.has(callback.expression.name.text)) return false;
    const receiver = this.program.getTypeChecker().getTypeAtLocation(callback.expression.expression);
    if (receiver.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    return receiver.getProperty('then') !== undefined && receiver.getProperty('catch') !== undefined;
  }

  private addEdit(edit: TextEdit): void {
    const key = `${edit.fileName}\u0000${edit.start}\u0000${edit.end}\u0000${edit.newText}`;
    if (!this.edits.has(key)) this.edits.set(key, edit);
  }

  private refuse(reason: string): void {
    this.refused ??= reason;
  }

  private where(node: ts.Node): string {
    const file = node.getSourceFile();
    return `${this.displayPath(file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
  }

  private describe(fn: FunctionNode): string {
    const name = declarationName(fn);
    return name ? `\`${name.text}\`` : 'the function';
  }

  /** The edits, or none when the rewrite was refused. */
  result(): TextEdit[] {
    return this.refused ? [] : [...this.edits.values()];
  }
}

/** `(await x).y`, `(await f)()`, `!(await x)`: where `await x` must be parenthesized. */
/**
 * A method of a class, or a function kept in a class's property (`store = (ctx) => { … }`), that is
 * not private. A decorated one (`@Cron`, `@Interval`, `@OnEvent`) is the framework's to call: it runs
 * it on its own, as a timer does, or awaits it, as a route's.
 */
/**
 * Every return of the function is written as a promise, where the checker has no type for it (an
 * untyped `pg` in JavaScript): `Promise.resolve(row)`, `new Promise(…)`, or a chain ending in
 * `.then(…)`/`.catch(…)`/`.finally(…)`. `return db.query(…).then((r) => r.rows[0])` gives a promise
 * whatever `db` is. False for a function with no return, or one that returns anything else.
 */
function returnsPromiseChains(fn: FunctionNode): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return isWrittenPromise(body);
  const returns: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node)) returns.push(node);
    else if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  // A function that can end without a return gives undefined there.
  const last = body.statements[body.statements.length - 1];
  return returns.length > 0 && last !== undefined && ts.isReturnStatement(last) && returns.every((statement) => statement.expression !== undefined && isWrittenPromise(statement.expression));
}

function isWrittenPromise(expression: ts.Expression): boolean {
  const value = skipParentheses(expression) as ts.Expression;
  if (ts.isNewExpression(value)) return ts.isIdentifier(value.expression) && value.expression.text === 'Promise';
  if (!ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression)) return false;
  const { expression: receiver, name } = value.expression;
  if (ts.isIdentifier(receiver) && receiver.text === 'Promise') return ['resolve', 'reject', 'all', 'allSettled', 'race', 'any'].includes(name.text);
  return PROMISE_CONTINUATIONS.has(name.text);
}

function isClassMember(fn: FunctionNode): boolean {
  const member = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyDeclaration(skipParentheses(fn).parent) ? (skipParentheses(fn).parent as ts.PropertyDeclaration) : undefined;
  if (!member || !ts.isClassLike(member.parent) || (ts.getDecorators(member)?.length ?? 0) > 0) return false;
  return !(ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Private) && !(member.name && ts.isPrivateIdentifier(member.name));
}

function awaitNeedsParentheses(expression: ts.Expression): boolean {
  const parent = expression.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.expression === expression) ||
    (ts.isElementAccessExpression(parent) && parent.expression === expression) ||
    (ts.isCallExpression(parent) && parent.expression === expression) ||
    ts.isTaggedTemplateExpression(parent) ||
    // `m.get(k)!` asserts the value, not the promise: `(await m.get(k))!`.
    ts.isNonNullExpression(parent) ||
    ts.isPrefixUnaryExpression(parent) ||
    (ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.AsteriskAsteriskToken)
  );
}

/** Where `async ` goes in front of a function. */
export function asyncInsertionPoint(fn: FunctionNode): number {
  const file = fn.getSourceFile();
  if (ts.isArrowFunction(fn)) return fn.getStart(file);
  if (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) {
    const keyword = fn.getChildren(file).find((child) => child.kind === SyntaxKind.FunctionKeyword);
    return keyword ? keyword.getStart(file) : fn.getStart(file);
  }
  // Methods: after modifiers (`public static`), before the name.
  return (fn as ts.MethodDeclaration).name.getStart(file);
}

/** The identifier a function is known by: `function f`, `const f = () => …`, a method name, `f: function () {}`. */
export function declarationName(fn: FunctionNode): ts.Identifier | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name;
  const parent = skipParentheses(fn).parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name;
  // CommonJS: exports.f = function () {}, module.exports.f = …
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && parent.right === skipParentheses(fn) && ts.isPropertyAccessExpression(parent.left) && ts.isIdentifier(parent.left.name) && isExportsObject(parent.left.expression)) return parent.left.name;
  return undefined;
}

/** `module.exports = { create }` / `{ create: create }`: the property's name, through which other files call it. */
function exportedObjectProperty(reference: ts.Identifier): ts.Identifier | undefined {
  const property = reference.parent;
  const name = ts.isShorthandPropertyAssignment(property) && property.name === reference ? property.name : ts.isPropertyAssignment(property) && property.initializer === reference && ts.isIdentifier(property.name) ? property.name : undefined;
  const object = property.parent;
  if (!name || !ts.isObjectLiteralExpression(object)) return undefined;
  const assignment = object.parent;
  return ts.isBinaryExpression(assignment) && assignment.right === object && assignment.operatorToken.kind === SyntaxKind.EqualsToken && isExportsObject(assignment.left) && ts.isExpressionStatement(assignment.parent) ? name : undefined;
}

function isExportsObject(node: ts.Expression): boolean {
  return (ts.isIdentifier(node) && node.text === 'exports') || (ts.isPropertyAccessExpression(node) && node.name.text === 'exports' && ts.isIdentifier(node.expression) && node.expression.text === 'module');
}

function skipParentheses(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isSatisfiesExpression(current.parent)) current = current.parent;
  return current;
}

/**
 * `db.query(sql, params, function (err, result) { … })`: a Node-style callback, passed last, whose
 * first parameter is the error. The API calls it once the work is done and ignores what it
 * returns, and nothing after the call waits for it, so it may be async; an error thrown after its
 * first await is an unhandled rejection where it was an uncaught exception, both fatal.
 */
function isErrorFirstCallback(fn: FunctionNode, call: ts.CallExpression | ts.NewExpression): boolean {
  if (!ts.isCallExpression(call) || call.arguments[call.arguments.length - 1] !== skipParentheses(fn)) return false;
  // `list.forEach((err) => …)`, `emitter.on('error', (err) => …)`: the first parameter is an element or an event, not the error of a finished call.
  const method = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
  if (SYNC_CALLBACK_METHODS.has(method) || LISTENER_METHODS.has(method)) return false;
  const first = fn.parameters[0] as ts.ParameterDeclaration | undefined;
  return first !== undefined && ts.isIdentifier(first.name) && ERROR_PARAMETER.test(first.name.text);
}

const ERROR_PARAMETER = /^(?:err|error|er)$/;
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);

/** The call a function literal is passed to as an argument (`router.get(path, async (req, res) => …)`). */
const TIMERS = new Set(['setInterval', 'setTimeout', 'setImmediate']);

/**
 * A call that runs its callback on its own, with no caller waiting for what it gives: Node's
 * timers (`setInterval(cb, ms)`, also as `global.`/`timers.`), node-cron's `cron.schedule(pattern,
 * cb)` and node-schedule's `schedule.scheduleJob(rule, cb)`. A sync callback that throws ends the
 * process as an async one that rejects does (node-cron catches both).
 */
function runsDetached(call: ts.CallExpression): boolean {
  const callee = skipParentheses(call.expression) as ts.Expression;
  if (ts.isIdentifier(callee) && TIMERS.has(callee.text)) return true;
  if (ts.isPropertyAccessExpression(callee) && TIMERS.has(callee.name.text) && ts.isIdentifier(callee.expression) && (callee.expression.text === 'global' || callee.expression.text === 'globalThis')) return true;
  const member = resolveImportedMember(callee, getFileFacts(call.getSourceFile()).imports);
  const name = member?.path.join('.');
  return (member?.module === 'timers' && name !== undefined && TIMERS.has(name)) || (member?.module === 'node-cron' && name === 'schedule') || (member?.module === 'node-schedule' && name === 'scheduleJob');
}

function callbackCall(fn: FunctionNode): ts.CallExpression | ts.NewExpression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const node = skipParentheses(fn);
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node as ts.Expression)) return parent;
  return undefined;
}

/** The call whose callee is this reference (`f(…)`, `obj.f(…)`, `this.f(…)`). */
export function calledBy(reference: ts.Identifier): ts.CallExpression | undefined {
  let callee: ts.Node = reference;
  if (ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference) callee = reference.parent;
  const parent = callee.parent;
  return ts.isCallExpression(parent) && parent.expression === callee ? parent : undefined;
}

/** A reference that declares, imports or exports the name rather than using its value. */
/** A name destructured from `require(…)` (`const { f } = require('./m')`). */
function isRequireBinding(element: ts.BindingElement): boolean {
  const declaration = element.parent.parent;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = declaration.initializer;
  return ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && initializer.expression.text === 'require';
}

export function isDeclarationOrModuleSyntax(reference: ts.Identifier): boolean {
  const parent = reference.parent;
  return (
    ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isExportAssignment(parent) ||
    ((ts.isFunctionDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name === reference) ||
    ts.isTypeQueryNode(parent) || isFunctionNode(parent) && (parent as ts.FunctionDeclaration).name === reference ||
    // `const { f } = require('./m')`: CommonJS's import specifier.
    (ts.isBindingElement(parent) && (parent.name === reference || parent.propertyName === reference) && isRequireBinding(parent)) ||
    (ts.isPropertyAccessExpression(parent) && parent.name === reference && isExportsObject(parent.expression) && ts.isBinaryExpression(parent.parent) && parent.parent.left === parent)
  );
}
