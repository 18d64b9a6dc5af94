import ts = require('typescript');
import { getFileFacts } from './file-facts';
import { enclosingFunction, graphFilesWhere, type RequestGraph } from './request-graph';
import { getStartupReach } from './startup';
import { propertyNameText, skipOuterExpressions } from './text';
import { classesOf } from './untyped-resolve';

/**
 * Classes whose every instance the web process makes while it starts: `main()` builds its state
 * (`ServerState.create(config)` → `Stores.from(config.storage)` → `new InMemoryStore(config)`, a static
 * `create` that ends in `new PostgresStore(…)`) and hands it to the handlers through a state or context
 * object. Each instance lives as long as the process, exactly as one made at module scope does, so what
 * requests write into its fields is the process's state.
 *
 * A class with a creation that a request reaches (a handler, what a handler calls), or in a callback the
 * module scope hands out (a listener, a timer's job), is made per request or per event, and is none. (A
 * callback a function start-up calls hands out counts as that function's own code, as the start-up walk
 * reads it.)
 * Creations in files the web process does not load (a CLI, a worker, a test), and in code nothing is
 * seen to run, do not count.
 */
export function startUpMadeClasses(graph: RequestGraph): ts.ClassLikeDeclaration[] {
  const cached = madeAtStartUp.get(graph);
  if (cached?.files === graph.files.length) return cached.classes;
  const classes = findStartUpMadeClasses(graph);
  madeAtStartUp.set(graph, { files: graph.files.length, classes });
  return classes;
}

const madeAtStartUp = new WeakMap<RequestGraph, { files: number; classes: ts.ClassLikeDeclaration[] }>();

function findStartUpMadeClasses(graph: RequestGraph): ts.ClassLikeDeclaration[] {
  // Syntax first: creations inside a function of a serving file. Most projects have some, but only
  // those whose class another creation does not rule out need the start-up walk's answer.
  const files = graphFilesWhere(graph, creationsIn, createsOwnClass).filter((file) => !graph.isIgnoredFile(file));
  if (files.length === 0) return [];
  const startup = getStartupReach(graph, graph.resolver.program, graph.maxDepth);
  // Only the web process's files count, asked once per file.
  const creations = files.filter((file) => startup.isWebProcessFile(file)).flatMap(creationsIn);
  const madeAtStart = (creation: ts.NewExpression): boolean => startup.calledAtStartUp(creation) && graph.reachesOf(creation).length === 0;
  const madeLater = (creation: ts.NewExpression): boolean => graph.reachesOf(creation).length > 0 || (startup.runsAtStartUp(creation) && !startup.calledAtStartUp(creation));
  const candidates = new Map<ts.ClassLikeDeclaration, string>();
  for (const { node: creation, name: calledName } of creations) {
    if (!madeAtStart(creation)) continue;
    for (const declaration of graph.resolver.declarationsOf(creation.expression)) {
      for (const created of classesOf(declaration)) {
        const name = created.name?.text ?? calledName;
        if (isProjectClass(created, graph)) candidates.set(created, name);
      }
    }
  }
  if (candidates.size === 0) return [];
  // No other creation of a candidate in the web process's files, matched by name and confirmed by the
  // resolver, may be made later.
  const names = new Set(candidates.values());
  const ruledOut = new Set<ts.ClassLikeDeclaration>();
  for (const { node: creation, name } of creations) {
    if (!names.has(name) || !madeLater(creation)) continue;
    for (const declaration of graph.resolver.declarationsOf(creation.expression)) for (const created of classesOf(declaration)) ruledOut.add(created);
  }
  const kept = [...candidates.keys()].filter((declaration) => !ruledOut.has(declaration));
  if (kept.length === 0) return [];
  // The creations of each kept class made at start-up, found in one pass (a pass per class made it creations × classes).
  const madeBy = new Map<ts.ClassLikeDeclaration, ts.NewExpression[]>(kept.map((declaration) => [declaration, []]));
  // (Any file's: a function start-up calls may be in a file the web process does not import.)
  for (const { node: creation } of files.flatMap(creationsIn)) {
    if (!madeAtStart(creation)) continue;
    for (const declaration of graph.resolver.declarationsOf(creation.expression)) for (const created of classesOf(declaration)) madeBy.get(created)?.push(creation);
  }
  return kept.filter((declaration) => !isTemporaryServer(declaration, madeBy.get(declaration)!, graph));
}

/** A creation of a class the project may have written, with the name it is called by (`InMemoryStore`, `Memory` of `new Stores.Memory(…)`). */
interface Creation {
  node: ts.NewExpression;
  name: string;
}

/** Per file, its creations inside a function of a class that may be the project's (syntax only, kept as long as the file is). */
const creationsOfFile = new WeakMap<ts.SourceFile, readonly Creation[]>();

function creationsIn(file: ts.SourceFile): readonly Creation[] {
  let creations = creationsOfFile.get(file);
  if (!creations) {
    const found: Creation[] = [];
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isNewExpression(node) || enclosingFunction(node) === undefined) continue;
      const name = ownClassName(node.expression);
      if (name !== undefined) found.push({ node, name });
    }
    creationsOfFile.set(file, (creations = found));
  }
  return creations;
}

function createsOwnClass(file: ts.SourceFile): boolean {
  return creationsIn(file).length > 0;
}

/**
 * A class that starts a server of its own and closes it again while the process starts (a set-up page
 * whose form closes it, a migration page start-up stops once the migration is done): what its routes
 * keep lives only until then. A close that only a shutdown signal's listener calls leaves a server
 * that runs for the life of the process.
 */
function isTemporaryServer(declaration: ts.ClassLikeDeclaration, creations: readonly ts.NewExpression[], graph: RequestGraph): boolean {
  const calls = getFileFacts(declaration.getSourceFile()).calls.filter(({ node }) => node.pos >= declaration.pos && node.end <= declaration.end);
  if (!calls.some(({ node }) => calledName(node) === 'listen')) return false;
  const closes = calls.filter(({ node }) => calledName(node) === 'close');
  // Its own route closes it (a set-up form), or the function that made it stops it, not in a callback (a shutdown listener's).
  if (closes.some(({ node }) => graph.reachesOf(node).length > 0)) return true;
  // `const page = new MigrationPage(); await page.start(port); …; await page.stop()`: the function that made it stops it.
  const closing = new Set(closes.map(({ function: fn }) => fn).filter((fn): fn is ts.MethodDeclaration => fn !== undefined && ts.isMethodDeclaration(fn)).map((method) => propertyNameText(method.name)));
  return creations.some((creation) => {
    const holder = holderName(creation);
    const fn = enclosingFunction(creation);
    if (holder === undefined || !fn) return false;
    return getFileFacts(creation.getSourceFile()).calls.some(({ node, function: caller }) => {
      const callee = skipOuterExpressions(node.expression);
      return caller === fn && ts.isPropertyAccessExpression(callee) && closing.has(callee.name.text) && ts.isIdentifier(callee.expression) && callee.expression.text === holder;
    });
  });
}

function calledName(node: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = ts.isCallExpression(node) ? skipOuterExpressions(node.expression) : undefined;
  return callee !== undefined && ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** The variable a creation is put in: `const page = new Page()`, `page = new Page()`. */
function holderName(creation: ts.NewExpression): string | undefined {
  let node: ts.Node = creation;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) return parent.left.text;
  return undefined;
}

/** `new InMemoryStore(…)`, `new Stores.Memory(…)`: the name a class of the project may go by, not a builtin's (`Map`, `Error`, `Promise`). */
function ownClassName(callee: ts.Expression): string | undefined {
  const name = lastName(callee);
  return name !== undefined && /^[A-Z]/.test(name) && !BUILTIN_CLASSES.has(name) && !name.endsWith('Error') ? name : undefined;
}

const BUILTIN_CLASSES = new Set([
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Array', 'Object', 'Promise', 'Date', 'RegExp', 'Error', 'URL', 'URLSearchParams', 'Buffer', 'Uint8Array',
  'ArrayBuffer', 'DataView', 'Function', 'Proxy', 'AbortController', 'TextEncoder', 'TextDecoder', 'Headers', 'Request', 'Response', 'FormData', 'Blob', 'Event', 'EventTarget',
]);

function lastName(callee: ts.Expression): string | undefined {
  const value = skipOuterExpressions(callee);
  return ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
}

/** A class written in a file of the graph: a package's class keeps its own state, judged by the libraries' readings. */
function isProjectClass(declaration: ts.ClassLikeDeclaration, graph: RequestGraph): boolean {
  const file = declaration.getSourceFile();
  return !file.isDeclarationFile && !file.fileName.includes('/node_modules/') && !graph.isIgnoredFile(file);
}
