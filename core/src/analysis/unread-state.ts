import ts = require('typescript');
import type { Mutation } from './file-facts';
import type { RequestGraph } from './request-graph';
import { readsOf, type ReadableState } from './state-reads';
import { isShadowed } from './scope';
import { skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * State requests only add to, that nothing the program runs reads: this process's request timings
 * pushed by a middleware and trimmed to the last thousand, with the one function that sums them up
 * exported and imported by no file (`getMetrics`), or a metrics service's samples read only by a
 * `report()` nothing calls. Each instance keeps its own part of a record no one asks for, so no answer
 * differs between instances; once a route, a job or a log call reads it, it is reported as before.
 *
 * Sound where every read can be seen: a module binding the module does not export, or a field the
 * class declares `private` (or `#`); reads outside the declaring file are then impossible. The reads
 * that keep the state (`log.push(x)`, `if (log.length > 1000) log.shift()`, `this.samples =
 * this.samples.filter(…)`) are not reads of its data; any other read must sit in a function whose name
 * no file of the project uses (not called, not exported under that name to an importer, not named in
 * a string), or only in other such functions.
 */
export function isReadByNoRunningCode(state: ReadableState, mutations: readonly Mutation[], graph: RequestGraph): boolean {
  if (!isPrivateState(state)) return false;
  const reads = readsOf(state).filter((read) => !isUpkeep(read, mutations));
  // Never read at all: kept reported, as the rules always read a request-path write (fixtures and half-written code).
  if (reads.length === 0) return false;
  const dead = new Map<ts.Node, boolean>();
  return reads.every((read) => {
    // On a request path (a framework's handler, however it is registered): read.
    if (graph.reachesOf(read).length > 0) return false;
    const fn = namedFunctionAround(read);
    return fn !== undefined && !isCalledByConvention(fn.fn) && isNeverCalled(fn, graph, dead, 0);
  });
}

function isPrivateState(state: ReadableState): boolean {
  const declaration = state.nameNode.parent;
  if (state.kind === 'module') {
    if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return false;
    const statement = declaration.parent.parent;
    return ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent) && !statement.modifiers?.some((m) => m.kind === SyntaxKind.ExportKeyword) && !isExportedLater(statement.parent, state.name);
  }
  if (state.kind === 'singleton-field' && ts.isPropertyDeclaration(declaration)) {
    return ts.isPrivateIdentifier(declaration.name) || (ts.getModifiers(declaration)?.some((m) => m.kind === SyntaxKind.PrivateKeyword) ?? false);
  }
  return false;
}

/** `export { log }`, `module.exports = { log }`, `exports.log = log`: the binding handed to other modules. */
function isExportedLater(file: ts.SourceFile, name: string): boolean {
  return new RegExp(`\\bexport\\s*\\{[^}]*\\b${name}\\b|\\bexports\\b[^;]*\\b${name}\\b`).test(file.text);
}

/** A read that only keeps the state: inside one of its own writes, or the size test of a trim (`if (log.length > n) log.shift()`). */
function isUpkeep(read: ts.Expression, mutations: readonly Mutation[]): boolean {
  // Inside a write whose value nothing uses (`log.push(x);`, `this.samples = this.samples.filter(f);`): the read only feeds the write.
  // `if (++attempts > 5)` uses what it read.
  const inWrite = (node: ts.Node): boolean => mutations.some((mutation) => node.pos >= mutation.node.pos && node.end <= mutation.node.end && isValueUnused(mutation.node));
  if (inWrite(read)) return true;
  const size = read.parent;
  if (!ts.isPropertyAccessExpression(size) || size.expression !== read || size.name.text !== 'length') return false;
  let condition: ts.Node = size;
  while (ts.isBinaryExpression(condition.parent) || ts.isParenthesizedExpression(condition.parent)) condition = condition.parent;
  const test = condition.parent;
  if (!(ts.isIfStatement(test) || ts.isWhileStatement(test)) || test.expression !== condition || (ts.isIfStatement(test) && test.elseStatement)) return false;
  const body = ts.isIfStatement(test) ? test.thenStatement : test.statement;
  const statements = ts.isBlock(body) ? body.statements : [body];
  return statements.length > 0 && statements.every((statement) => ts.isExpressionStatement(statement) && inWrite(statement.expression));
}

function isValueUnused(node: ts.Node): boolean {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return ts.isExpressionStatement(parent) || (ts.isForStatement(parent) && parent.incrementor === current) || (ts.isVoidExpression(parent));
}

/** The function a read is in, by the name code calls it with: a declaration, a method, `const f = () => …`; a callback counts as the function it is written in. */
function namedFunctionAround(node: ts.Node): { fn: ts.Node; name: ts.Identifier | ts.PrivateIdentifier } | undefined {
  for (let current: ts.Node | undefined = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionDeclaration(current)) return current.name ? { fn: current, name: current.name } : undefined;
    if (ts.isMethodDeclaration(current)) return ts.isIdentifier(current.name) || ts.isPrivateIdentifier(current.name) ? { fn: current, name: current.name } : undefined;
    if (ts.isGetAccessorDeclaration(current) || ts.isSetAccessorDeclaration(current) || ts.isConstructorDeclaration(current)) return undefined;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isVariableDeclaration(current.parent) && current.parent.initializer === current) {
      return ts.isIdentifier(current.parent.name) ? { fn: current, name: current.parent.name } : undefined;
    }
  }
  return undefined;
}

/**
 * Functions a framework calls without the project naming them: a decorated method or a method of a
 * decorated class (Nest's handlers and hooks), a default export, and the exports file-based routers
 * and serverless platforms look up by name.
 */
function isCalledByConvention(fn: ts.Node): boolean {
  if (ts.isMethodDeclaration(fn)) {
    const owner = fn.parent;
    if (!ts.isClassLike(owner)) return true;
    return (ts.getDecorators(owner)?.length ?? 0) > 0 || owner.members.some((member) => ts.canHaveDecorators(member) && (ts.getDecorators(member)?.length ?? 0) > 0);
  }
  const statement = ts.isFunctionDeclaration(fn) ? fn : fn.parent.parent.parent;
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  if (modifiers?.some((m) => m.kind === SyntaxKind.DefaultKeyword)) return true;
  const name = ts.isFunctionDeclaration(fn) ? fn.name?.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  return modifiers?.some((m) => m.kind === SyntaxKind.ExportKeyword) === true && name !== undefined && CONVENTIONAL_EXPORTS.test(name);
}

const CONVENTIONAL_EXPORTS = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|handler|default|loader|action|load|getServerSideProps|getStaticProps|middleware|main|run|start|init|register|setup|plugin)$/;

const MAX_DEPTH = 4;

/**
 * Whether nothing calls the function: its name appears in no file of the project but where it is
 * declared, in its own body, where a local of the same name is meant, or (for a method) as `this.name`
 * in another method of its class that is itself never called.
 */
function isNeverCalled(target: { fn: ts.Node; name: ts.Identifier | ts.PrivateIdentifier }, graph: RequestGraph, dead: Map<ts.Node, boolean>, depth: number): boolean {
  const known = dead.get(target.fn);
  if (known !== undefined) return known;
  if (depth > MAX_DEPTH) return false;
  // Assumed dead while its callers are asked (a method and its helper calling each other are dead together).
  dead.set(target.fn, true);
  const verdict = noCallerRuns(target, graph, dead, depth);
  dead.set(target.fn, verdict);
  return verdict;
}

function noCallerRuns(target: { fn: ts.Node; name: ts.Identifier | ts.PrivateIdentifier }, graph: RequestGraph, dead: Map<ts.Node, boolean>, depth: number): boolean {
  const name = target.name.text;
  const own = target.fn.getSourceFile();
  const isMethod = ts.isMethodDeclaration(target.fn);
  const owner = isMethod ? target.fn.parent : undefined;
  const exported = !isMethod && isExportedFunction(target.fn);
  const files = graph.resolver.filesMatching(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`));
  if (!files && (exported || isMethod)) return false;
  const wordPattern = new RegExp(`(?:^|[^\\w$])${name.replace(/\$/g, '\\$')}(?:$|[^\\w$])`);
  for (const file of files ?? [own]) {
    if (file !== own && !isMethod && !exported) continue;
    let called = false;
    const visit = (node: ts.Node): void => {
      if (called) return;
      // A string naming it (`'UsersController.index'`, a dispatch table's key): called through it.
      if (ts.isStringLiteralLike(node) && wordPattern.test(node.text)) {
        called = true;
        return;
      }
      if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.text === name && node !== target.name && !within(node, target.fn)) {
        called = isCall(node, target, owner, graph, dead, depth);
        if (called) return;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (called) return false;
  }
  return true;
}

function isCall(node: ts.Identifier | ts.PrivateIdentifier, target: { fn: ts.Node; name: ts.Identifier | ts.PrivateIdentifier }, owner: ts.Node | undefined, graph: RequestGraph, dead: Map<ts.Node, boolean>, depth: number): boolean {
  const parent = node.parent;
  // Another thing's declaration of the same name: no use of this one.
  if (isDeclarationName(node)) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
    const receiver = skipOuterExpressions(parent.expression);
    if (receiver.kind !== SyntaxKind.ThisKeyword) return true;
    const around = ts.findAncestor(parent, ts.isClassLike);
    // `this.name` in another class, or in a module function's file: not the module function.
    if (!owner) return false;
    if (around !== owner) return true;
    const caller = namedFunctionAround(parent);
    return caller === undefined || !ts.isMethodDeclaration(caller.fn) || caller.fn.parent !== owner || !isNeverCalled(caller, graph, dead, depth + 1);
  }
  // A local of the same name (`const report = { … }`): not the function.
  if (ts.isIdentifier(node) && isShadowed(node, node.text)) return false;
  // A module function by its name: a call (or a reference) from a function, alive unless that function is never called.
  if (!owner && node.getSourceFile() === target.fn.getSourceFile()) {
    const caller = namedFunctionAround(node);
    return caller === undefined || !isNeverCalled(caller, graph, dead, depth + 1);
  }
  return true;
}

function isDeclarationName(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isFunctionDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent)) &&
    parent.name === node
  );
}

function isExportedFunction(fn: ts.Node): boolean {
  const statement = ts.isFunctionDeclaration(fn) ? fn : fn.parent.parent.parent;
  return (ts.canHaveModifiers(statement) && (ts.getModifiers(statement)?.some((m) => m.kind === SyntaxKind.ExportKeyword) ?? false)) || /\bexports\b|\bexport\s*\{/.test(fn.getSourceFile().text);
}

/** Whether `node` is inside `container`, in the same file (positions alone match across files). */
function within(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}
