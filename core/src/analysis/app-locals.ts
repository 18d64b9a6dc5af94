import ts = require('typescript');
import { getFileFacts, type Mutation } from './file-facts';
import { localDeclarations, localInitializer } from './scope';
import { skipOuterExpressions } from './text';

const { SyntaxKind } = ts;

/**
 * Express's `app.locals`: one object per process, meant for values templates read (`app.locals.title
 * = 'Shop'`). Written by requests, it is the app's memory, which no other instance shares:
 * `req.app.locals.carts.set(user, cart)`, `app.locals.visits++`, an OTP kept as
 * `req.app.locals.resetSession = true`, or the whole object replaced (`req.app.locals = { otp }`).
 */
export interface AppLocalsWrite {
  /** Express's `locals`, Koa's `context`, or the app object itself (`req.app.searchIndex = …`). */
  object: 'locals' | 'context' | 'app';
  /** The member written (`carts`), or undefined when a request replaces `locals` itself. */
  member: string | undefined;
  /** Where the state is named: the member's name in the write. */
  memberNode: ts.Node;
}

/**
 * The `app.locals` member a mutation writes: through `req.app.locals` / `res.app.locals` (any
 * request's app), an app made by `express()` or named `app`, or a local holding such a member
 * (`const carts = req.app.locals.carts; carts.set(…)`). Undefined for anything else (`res.locals` is
 * the request's own).
 */
export function appLocalsWrite(mutation: Mutation, files: readonly ts.SourceFile[]): AppLocalsWrite | undefined {
  const target = writtenExpression(mutation.node);
  return target ? (localsChain(target, 0) ?? koaContextMember(target, !ts.isCallExpression(mutation.node), files)) : undefined;
}

/**
 * A member a request hangs on the app object itself, beside `locals`: `req.app.featured = rows`, or
 * `app.searchIndex = index` in a helper whose `app` parameter some call hands a request's `req.app`
 * (`rebuildIndex(req.app)`). The app is one object per process, so what a request keeps there is the
 * process's memory, as `app.locals` is. `handedRequestApp(fn, index)` says whether a call the graph
 * knows hands `x.app` to that parameter; a parameter named `app` that callers hand a row stays quiet.
 */
export function appMemberWrite(mutation: Mutation, handedRequestApp: (fn: ts.SignatureDeclaration, index: number) => boolean): AppLocalsWrite | undefined {
  const target = writtenExpression(mutation.node);
  if (!target) return undefined;
  const { names, root } = memberChain(target);
  if (!ts.isIdentifier(root) || names.length === 0) return undefined;
  const [declared] = localDeclarations(root);
  if (!declared || !ts.isParameter(declared)) return undefined;
  // req.app.featured = rows, req.app.index.add(doc)
  if (names[0].text === 'app' && names.length >= 2) return isAppMember(names[1]) ? { object: 'app', member: names[1].text, memberNode: names[1].node } : undefined;
  // function rebuildIndex(app) { app.searchIndex = index }, called as rebuildIndex(req.app)
  const fn = declared.parent;
  if (!ts.isFunctionLike(fn) || !isAppMember(names[0])) return undefined;
  return handedRequestApp(fn, fn.parameters.indexOf(declared)) ? { object: 'app', member: names[0].text, memberNode: names[0].node } : undefined;
}

/** A named member of the app other than the objects Express and Koa keep there (`locals`, `context`, `settings`). */
function isAppMember(name: Name): boolean {
  return name.text !== '' && name.text !== 'locals' && name.text !== 'context' && name.text !== 'settings';
}

/** `req.app` / `ctx.app`: the app a request arrived at, handed as an argument. */
export function isRequestApp(argument: ts.Expression): boolean {
  const value = skipOuterExpressions(argument);
  if (!ts.isPropertyAccessExpression(value) || value.name.text !== 'app' || !ts.isIdentifier(value.expression)) return false;
  const [declared] = localDeclarations(value.expression);
  return declared !== undefined && ts.isParameter(declared);
}

/**
 * Koa's `app.context`: the prototype of every request's `ctx`. A member start-up code puts there
 * (`app.context.carts = new Map()`) is changed for every request by `ctx.carts.set(…)` or
 * `ctx.app.context.hits += 1`; `ctx.carts = v` gives this request's ctx a property of its own and
 * changes nothing shared.
 */
function koaContextMember(expression: ts.Expression, assigned: boolean, files: readonly ts.SourceFile[]): AppLocalsWrite | undefined {
  const { names, root: current } = memberChain(expression);
  if (!ts.isIdentifier(current) || names.length === 0) return undefined;
  // ctx.app.context.hits += 1
  if (names.length >= 3 && names[0].text === 'app' && names[1].text === 'context' && names[2].text !== '') return { object: 'context', member: names[2].text, memberNode: names[2].node };
  // ctx.carts.set(…), ctx.carts[id] = v: the member's value is changed; `ctx.carts = v` would give this ctx its own.
  if ((assigned && names.length === 1) || names[0].text === '' || !appLocalsInitializer(files, names[0].text, 'context')) return undefined;
  // Asked last: every write through a local's member asks, and few members are put on `context` at start-up.
  const [declared] = localDeclarations(current);
  return declared && ts.isParameter(declared) ? { object: 'context', member: names[0].text, memberNode: names[0].node } : undefined;
}

/** What a mutation writes into: the left of an assignment, the receiver of a mutating call, the operand of `++`/`delete`. */
function writtenExpression(node: ts.Expression): ts.Expression | undefined {
  if (ts.isBinaryExpression(node)) return node.left;
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    return ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
  }
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) return node.operand;
  if (ts.isDeleteExpression(node)) return node.expression;
  return undefined;
}

function localsChain(expression: ts.Expression, depth: number): AppLocalsWrite | undefined {
  const { names, root: current } = memberChain(expression);
  if (!ts.isIdentifier(current)) return undefined;
  const at = names.findIndex((name) => name.text === 'locals');
  if (at === 1 && names[0].text === 'app') return memberAfter(names, at);
  if (at === 0 && isExpressApp(current)) return memberAfter(names, at);
  // app.context.carts.set(…) outside a request (a Koa app's own module), rare but the same object
  const context = names.findIndex((name) => name.text === 'context');
  if (context === 0 && /^app$/.test(current.text) && names[1] && names[1].text !== '' && names.length >= 2 && depth === 0) return { object: 'context', member: names[1].text, memberNode: names[1].node };
  if (at === -1 && depth === 0) {
    // const carts = req.app.locals.carts; carts.set(…)
    const initializer = localInitializer(current);
    const held = initializer && localsChain(initializer, depth + 1);
    return held?.member !== undefined ? held : undefined;
  }
  return undefined;
}

interface Name {
  /** The member's name; '' when it is computed (`x[key]`). */
  text: string;
  node: ts.Node;
}

/**
 * The members an expression reads, from its root outwards: `req.app.locals.carts.get(id).items` →
 * `req` and app, locals, carts (a method call's result starts the chain again at its receiver).
 */
function memberChain(expression: ts.Expression): { names: Name[]; root: ts.Expression } {
  const names: Name[] = [];
  let current = skipOuterExpressions(expression);
  for (let guard = 0; guard < 32; guard++) {
    if (ts.isPropertyAccessExpression(current)) {
      names.unshift({ text: current.name.text, node: current.name });
      current = skipOuterExpressions(current.expression);
    } else if (ts.isElementAccessExpression(current)) {
      names.unshift({ text: ts.isStringLiteralLike(current.argumentExpression) ? current.argumentExpression.text : '', node: current.argumentExpression });
      current = skipOuterExpressions(current.expression);
    } else if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(skipOuterExpressions(current.expression))) {
      names.length = 0;
      current = skipOuterExpressions((skipOuterExpressions(current.expression) as ts.PropertyAccessExpression).expression);
    } else break;
  }
  return { names, root: current };
}

function memberAfter(names: readonly Name[], at: number): AppLocalsWrite | undefined {
  const member = names[at + 1];
  if (member && member.text === '') return undefined;
  return member ? { object: 'locals', member: member.text, memberNode: member.node } : { object: 'locals', member: undefined, memberNode: names[at].node };
}

/** `app` of `const app = express()`, or a name `app` the code does not say more about. */
function isExpressApp(identifier: ts.Identifier): boolean {
  const file = identifier.getSourceFile();
  const topLevel = getFileFacts(file).topLevel.get(identifier.text);
  const initializer = localInitializer(identifier) ?? (topLevel && ts.isVariableDeclaration(topLevel) ? topLevel.initializer : undefined);
  if (initializer) {
    const value = skipOuterExpressions(initializer);
    return ts.isCallExpression(value) && skipOuterExpressions(value.expression).getText() === 'express';
  }
  return identifier.text === 'app' && file.text.includes('express');
}

/**
 * Where start-up code gives the member its first value (`app.locals.carts = new Map()`), in any of
 * `files`: what the state holds is read there.
 */
export function appLocalsInitializer(files: readonly ts.SourceFile[], member: string, object: 'locals' | 'context' = 'locals'): ts.BinaryExpression | undefined {
  // Every write through a request's parameter asks (`ctx.state.user = …` in each of a Koa app's
  // handlers): the files' initializers are gathered once per list of files, the first of each member kept.
  let gathered = initializersIn.get(files);
  if (!gathered || gathered.length !== files.length) {
    gathered = { length: files.length, locals: new Map(), context: new Map() };
    for (const file of files) {
      const found = moduleScopeInitializers(file);
      for (const kind of ['locals', 'context'] as const) for (const [name, initializer] of found[kind]) if (!gathered[kind].has(name)) gathered[kind].set(name, initializer);
    }
    initializersIn.set(files, gathered);
  }
  return gathered[object].get(member);
}

/** Per list of files (a graph's, which an untyped graph may lengthen), the members' first initializers. */
const initializersIn = new WeakMap<readonly ts.SourceFile[], { length: number } & Record<'locals' | 'context', Map<string, ts.BinaryExpression>>>();

/**
 * A file's module-scope `….locals.x = v` and `….context.x = v`, by member (the first of each), read
 * once per file: every write through a request's parameter asks about every file of the program.
 */
function moduleScopeInitializers(file: ts.SourceFile): Record<'locals' | 'context', Map<string, ts.BinaryExpression>> {
  let found = initializersOf.get(file);
  if (found) return found;
  found = { locals: new Map(), context: new Map() };
  if (/\b(?:locals|context)\s*\.\s*[\w$]+\s*=[^=]/.test(file.text)) {
    const into = found;
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
        const owner = skipOuterExpressions(node.left.expression);
        const object = ts.isPropertyAccessExpression(owner) ? owner.name.text : undefined;
        if ((object === 'locals' || object === 'context') && !into[object].has(node.left.name.text) && !ts.findAncestor(node, ts.isFunctionLike)) into[object].set(node.left.name.text, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  initializersOf.set(file, found);
  return found;
}

const initializersOf = new WeakMap<ts.SourceFile, Record<'locals' | 'context', Map<string, ts.BinaryExpression>>>();

/** Whether a file gives `locals` or `context` a member at module scope (the files `appLocalsInitializer` reads). */
export function hasModuleScopeInitializers(file: ts.SourceFile): boolean {
  const found = moduleScopeInitializers(file);
  return found.locals.size > 0 || found.context.size > 0;
}
