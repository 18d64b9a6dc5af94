import ts = require('typescript');
import type { SharedState } from '../analysis/shared-state';
import { enclosingFunction, type RequestGraph } from '../analysis/request-graph';
import type { FunctionNode } from '../analysis/file-facts';
import { skipOuterExpressions } from '../analysis/text';
import type { TextEdit } from '../types';
import type { FixContext } from './context';
import { referencesOf } from './references';
import { isJavaScript } from './state-fixes';
import { uniqueStoreName } from './store-names';

/** The parameter that carries a call's name into the factory, when the factory is called more than once. */
const NAME_PARAMETER = 'storeName';

/**
 * How a variable of a start-up factory (`function rateLimit(n) { const hits = new Map(); return … }`)
 * is named in Redis, so that the state each call of the factory made stays that call's own:
 *
 * - the factory runs once in the whole program (one call, at module scope, not in a loop; a
 *   Fastify plugin registered once; an IIFE): one name, `'rateLimit.hits'`;
 * - it runs once per call site and every call site names its result (`const loginLimiter =
 *   rateLimit(5)`, distinct across the program): the factory takes the name as a last parameter,
 *   each call passes its variable's name, and the state is named `` `${storeName}.hits` ``.
 *
 * Anything else is refused with the reason: the fix cannot tell how many variables there are, or
 * which one a request used.
 */
export interface FactoryStateName {
  /** The Redis name of the state (or of one of its parts, `hits.total`), as code. */
  storeName: (name: string) => string;
  /** The factory's new parameter and the names its calls pass. */
  edits: TextEdit[];
  /** The factory: the fix may not make it async (its callers would get a promise). */
  factory: FunctionNode;
}

export function factoryStateName(state: SharedState, context: FixContext, graph: RequestGraph): FactoryStateName | { refused: string } {
  const declaration = state.nameNode.parent;
  const factory = ts.isVariableDeclaration(declaration) ? enclosingFunction(declaration) : undefined;
  if (!factory) return { refused: `\`${state.name}\` is not a variable the fix can find the factory of` };
  const label = factoryLabel(factory);
  const runsOnce = (call: ts.Node, what: string): string | undefined => onceAtStartUp(call, what, context, graph, state.name);
  // (function () { … })(), fastify.register(async (app) => { … }): the function runs where it is written.
  const parent = skipParentheses(factory);
  if (ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
    const problem = runsOnce(parent.parent, 'the function around it');
    return problem ? { refused: problem } : { storeName: (name) => quoted(uniqueStoreName(name, declaration.getSourceFile().fileName, context.program)), edits: [], factory };
  }
  if (ts.isCallExpression(parent.parent) && isRegistration(parent.parent, parent)) {
    const problem = runsOnce(parent.parent, `the plugin \`${label}\``);
    return problem ? { refused: problem } : { storeName: (name) => quoted(uniqueStoreName(name, declaration.getSourceFile().fileName, context.program)), edits: [], factory };
  }
  const nameNode = factoryName(factory);
  if (!nameNode) return { refused: `\`${state.name}\` is a variable of ${label}, which is not a named function the fix can find the calls of` };
  const library = libraryEntry(nameNode, factory);
  if (library) return { refused: `\`${nameNode.text}\` is exported by ${library}, the entry of a package: callers outside this project may call it too, each call with its own \`${state.name}\`, and the fix cannot name them` };
  const calls: ts.CallExpression[] = [];
  for (const reference of referencesOf(context.program, nameNode)) {
    if (isDeclarationOrExport(reference)) continue;
    const use = skipParentheses(reference).parent;
    if (ts.isCallExpression(use) && skipOuterExpressions(use.expression) === reference) calls.push(use);
    else if (ts.isCallExpression(use) && isRegistration(use, reference)) calls.push(use);
    else if (!ts.isTypeQueryNode(reference.parent)) return { refused: `\`${shown(use)}\` (${context.where(reference)}) uses \`${nameNode.text}\` as a value: the fix cannot tell how often it runs, and each run makes its own \`${state.name}\`` };
  }
  if (calls.length === 0) return { refused: `\`${nameNode.text}\` is called nowhere the fix can see, and each call makes its own \`${state.name}\`` };
  for (const call of calls) {
    const problem = runsOnce(call, `\`${nameNode.text}\``);
    if (problem) return { refused: problem };
  }
  if (calls.length === 1 && !isRegistration(calls[0], undefined)) {
    const existing = nameParameter(factory, calls);
    if (existing) return existing;
  }
  if (calls.length === 1) return { storeName: (name) => quoted(`${nameNode.text}.${name}`), edits: [], factory };
  return namedCalls(state, factory, nameNode, calls, context);
}

/**
 * The factory runs more than once: each call site must name what it makes (`const loginLimiter =
 * rateLimit(5)`), and the name goes into the factory as a new last parameter.
 */
function namedCalls(state: SharedState, factory: FunctionNode, nameNode: ts.Identifier, calls: ts.CallExpression[], context: FixContext): FactoryStateName | { refused: string } {
  const existing = nameParameter(factory, calls);
  if (existing) return existing;
  const where = calls.map((call) => context.where(call)).join(', ');
  const names = new Map<string, ts.CallExpression>();
  for (const call of calls) {
    const holder = skipParentheses(call).parent;
    if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name) || !(holder.parent.flags & ts.NodeFlags.Const)) {
      return { refused: `\`${nameNode.text}\` is called ${calls.length} times (${where}), each call with its own \`${state.name}\`, and \`${shown(call)}\` (${context.where(call)}) is not kept in a \`const\` whose name could tell its state from the others'` };
    }
    const other = names.get(holder.name.text);
    if (other) return { refused: `\`${nameNode.text}\` is called ${calls.length} times, each call with its own \`${state.name}\`, and two of them are named \`${holder.name.text}\` (${context.where(other)}, ${context.where(call)}): their states would share one Redis name` };
    names.set(holder.name.text, call);
  }
  const parameters = factory.parameters;
  const last = parameters.at(-1);
  if (last?.dotDotDotToken) return { refused: `\`${nameNode.text}\` is called ${calls.length} times, each call with its own \`${state.name}\`, and its rest parameter \`${last.getText()}\` leaves no place for the name of each call` };
  if (parameters.some((parameter) => parameter.questionToken)) return { refused: `\`${nameNode.text}\` is called ${calls.length} times, each call with its own \`${state.name}\`, and a name for each call after its optional parameter would have to be optional too` };
  const short = calls.find((call) => call.arguments.length !== parameters.length || call.arguments.some(ts.isSpreadElement));
  if (short) return { refused: `\`${nameNode.text}\` is called ${calls.length} times, each call with its own \`${state.name}\`, and \`${shown(short)}\` (${context.where(short)}) does not pass each of its ${parameters.length} parameters, so a name for each call has no place after them` };
  if (declaredType(factory)) return { refused: `\`${nameNode.text}\` is called ${calls.length} times, each call with its own \`${state.name}\`, and its type is declared (\`${declaredType(factory)!.getText()}\`), so it cannot take a name for each call` };
  if (usesName(factory, NAME_PARAMETER)) return { refused: `\`${nameNode.text}\` is called ${calls.length} times, each call with its own \`${state.name}\`, and already uses the name \`${NAME_PARAMETER}\` that would carry each call's name` };
  const file = factory.getSourceFile();
  const parameter = isJavaScript(file) ? NAME_PARAMETER : `${NAME_PARAMETER}: string`;
  const edits: TextEdit[] = [];
  if (ts.isArrowFunction(factory) && parameters.length === 1 && file.text[parameters[0].getStart(file) - 1] !== '(' && !factory.getText().startsWith('(')) {
    // rateLimit = n => …: the one parameter gets parentheses.
    edits.push({ fileName: file.fileName, start: parameters[0].getStart(file), end: parameters[0].getEnd(), newText: `(${parameters[0].getText()}, ${parameter})` });
  } else {
    edits.push({ fileName: file.fileName, start: parameters.end, end: parameters.end, newText: parameters.length === 0 ? parameter : parameters.hasTrailingComma ? ` ${parameter}` : `, ${parameter}` });
  }
  for (const [name, call] of names) {
    const argumentsList = call.arguments;
    const callFile = call.getSourceFile();
    edits.push({ fileName: callFile.fileName, start: argumentsList.end, end: argumentsList.end, newText: argumentsList.length === 0 ? quoted(name) : argumentsList.hasTrailingComma ? ` ${quoted(name)}` : `, ${quoted(name)}` });
  }
  return { storeName: (name) => `\`\${${NAME_PARAMETER}}.${name}\``, edits, factory };
}

/** A factory given its calls' names by an earlier fix: its last parameter is `storeName`, and every call passes a string. */
function nameParameter(factory: FunctionNode, calls: readonly ts.CallExpression[]): FactoryStateName | undefined {
  const last = factory.parameters.at(-1);
  if (!last || !ts.isIdentifier(last.name) || last.name.text !== NAME_PARAMETER) return undefined;
  const index = factory.parameters.length - 1;
  if (!calls.every((call) => call.arguments.length === index + 1 && ts.isStringLiteral(call.arguments[index]))) return undefined;
  return { storeName: (name) => `\`\${${NAME_PARAMETER}}.${name}\``, edits: [], factory };
}

/**
 * Why `call` may run more than once (undefined when it runs once, at start-up): on requests, in a
 * loop, or in a function that itself runs more than once or an unknown number of times. A function
 * runs once when it is an IIFE or a registered plugin that runs once, or a named function with one
 * call that runs once (`buildApp()` called from the entry file).
 */
function onceAtStartUp(call: ts.Node, what: string, context: FixContext, graph: RequestGraph, stateName: string, depth = 0): string | undefined {
  const around = enclosingFunction(call.parent);
  if (around && graph.reachesOf(call).length > 0) return `\`${shown(call)}\` (${context.where(call)}) runs on requests, so each request gets a new \`${stateName}\`: make ${what} once, at start-up, and use what it made`;
  const loop = ts.findAncestor(call.parent, (node) => node === around || ts.isIterationStatement(node, false));
  if (loop && loop !== around) return `\`${shown(call)}\` (${context.where(call)}) runs in a loop (${context.where(loop)}), and each turn makes its own \`${stateName}\` under the same name`;
  // class Api { limiter = rateLimit(5) }: a field's initializer runs for each instance.
  const field = ts.findAncestor(call.parent, (node) => node === around || (ts.isPropertyDeclaration(node) && !ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)));
  if (field && field !== around) return `\`${shown(call)}\` (${context.where(call)}) runs for each instance of the class whose field it sets, and each instance gets its own \`${stateName}\``;
  if (!around) return undefined;
  const unknown = `\`${shown(call)}\` (${context.where(call)}) runs inside ${factoryLabel(around)}, and the fix cannot tell how often that runs; each run makes its own \`${stateName}\``;
  if (depth >= 4) return unknown;
  const outer = skipParentheses(around);
  if (ts.isCallExpression(outer.parent) && (outer.parent.expression === outer || isRegistration(outer.parent, outer))) return onceAtStartUp(outer.parent, what, context, graph, stateName, depth + 1);
  const name = factoryName(around);
  if (!name || libraryEntry(name, around)) return unknown;
  const calls: ts.CallExpression[] = [];
  for (const reference of referencesOf(context.program, name)) {
    if (isDeclarationOrExport(reference)) continue;
    const use = skipParentheses(reference).parent;
    if (!ts.isCallExpression(use) || (skipOuterExpressions(use.expression) !== reference && !isRegistration(use, reference))) return unknown;
    calls.push(use);
  }
  if (calls.length !== 1) return calls.length === 0 ? unknown : `\`${shown(call)}\` (${context.where(call)}) runs inside \`${name.text}\`, which is called ${calls.length} times (${calls.map((other) => context.where(other)).join(', ')}); each run makes its own \`${stateName}\``;
  return onceAtStartUp(calls[0], what, context, graph, stateName, depth + 1);
}

/** `fastify.register(plugin, opts)`, `app.register(async (app) => …)`: Fastify runs the plugin once per registration. */
function isRegistration(call: ts.CallExpression, plugin: ts.Node | undefined): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'register') return false;
  const first = call.arguments[0];
  return first !== undefined && (plugin === undefined || skipOuterExpressions(first) === plugin || first === plugin);
}

function factoryName(factory: FunctionNode): ts.Identifier | undefined {
  if (ts.isFunctionDeclaration(factory)) return factory.name;
  const parent = skipParentheses(factory).parent;
  if ((ts.isFunctionExpression(factory) || ts.isArrowFunction(factory)) && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name;
  return undefined;
}

function factoryLabel(fn: ts.Node): string {
  const name = ts.isFunctionLike(fn) ? factoryName(fn as FunctionNode) : undefined;
  return name ? `\`${name.text}\`` : 'a function';
}

function declaredType(factory: FunctionNode): ts.TypeNode | undefined {
  const parent = skipParentheses(factory).parent;
  return ts.isVariableDeclaration(parent) ? parent.type : undefined;
}

function usesName(factory: FunctionNode, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(factory);
  return found;
}

/** `import { f }`, `export { f }`, `export default f`, `module.exports = f`, `exports.f = f`: the name passed on, not a use. */
function isDeclarationOrExport(reference: ts.Identifier): boolean {
  const parent = reference.parent;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isExportSpecifier(parent) || ts.isExportAssignment(parent) || ts.isImportEqualsDeclaration(parent) || ts.isNamespaceImport(parent)) return true;
  if (ts.isBindingElement(parent) && parent.name === reference) return true;
  if (ts.isVariableDeclaration(parent) && parent.name === reference) return true;
  if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === reference)) return isModuleExports(parent.parent.parent);
  if (ts.isBinaryExpression(parent) && parent.right === reference && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return isModuleExports(parent);
  return false;
}

function isModuleExports(node: ts.Node): boolean {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const target = node.left.getText();
  return target === 'module.exports' || target.startsWith('module.exports.') || target.startsWith('exports.');
}

/**
 * The package whose entry (`main`, `module`, `exports` of the nearest package.json) is the
 * factory's file, when the factory is exported: what other projects import.
 */
function libraryEntry(nameNode: ts.Identifier, factory: FunctionNode): string | undefined {
  const file = factory.getSourceFile();
  if (!isExported(nameNode, factory)) return undefined;
  for (let folder = file.fileName.slice(0, file.fileName.lastIndexOf('/')); folder.includes('/'); folder = folder.slice(0, folder.lastIndexOf('/'))) {
    const text = ts.sys.readFile(`${folder}/package.json`);
    if (text === undefined) continue;
    let manifest: { name?: unknown; main?: unknown; module?: unknown; exports?: unknown };
    try {
      manifest = JSON.parse(text) as typeof manifest;
    } catch {
      return undefined;
    }
    const own = withoutExtension(file.fileName.slice(folder.length + 1));
    const entries = [manifest.main, manifest.module, ...entryPaths(manifest.exports)].filter((entry): entry is string => typeof entry === 'string').map((entry) => withoutExtension(entry.replace(/^\.\//, '')));
    const same = entries.some((entry) => entry === own || entry.replace(/^(dist|lib|build|out)\//, 'src/') === own || (own.startsWith('src/') && entry === own.slice(4)));
    return same ? `\`${typeof manifest.name === 'string' ? manifest.name : folder}\`'s ${file.fileName.slice(folder.length + 1)}` : undefined;
  }
  return undefined;
}

function entryPaths(exports: unknown): unknown[] {
  if (typeof exports === 'string') return [exports];
  if (!exports || typeof exports !== 'object') return [];
  return Object.values(exports as Record<string, unknown>).flatMap(entryPaths);
}

function withoutExtension(path: string): string {
  return path.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
}

function isExported(nameNode: ts.Identifier, factory: FunctionNode): boolean {
  const statement = ts.isFunctionDeclaration(factory) ? factory : nameNode.parent.parent.parent;
  if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return true;
  let exported = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === nameNode.text && node !== nameNode && isDeclarationOrExport(node) && !ts.isImportSpecifier(node.parent) && !ts.isImportClause(node.parent) && !ts.isVariableDeclaration(node.parent)) exported = true;
    if (!exported) ts.forEachChild(node, visit);
  };
  visit(factory.getSourceFile());
  return exported;
}

function skipParentheses(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}

function quoted(text: string): string {
  return `'${text}'`;
}

function shown(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
