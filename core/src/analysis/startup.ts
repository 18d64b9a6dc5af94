import ts = require('typescript');
import { getFileFacts, type CallLike, type FileFacts, type FunctionNode } from './file-facts';
import { decoratorsOf } from './frameworks/nest';
import { resolveImportedMember, SCHEDULER_LIBRARIES, schedulerModule } from './imports';
import { callsWithin, enclosingFunction, graphFilesWhere, predecessorOf, type RequestGraph } from './request-graph';
import { cachedNodes, keptWhileFilesStay, moduleFileOf, sourceFileNamed } from './resolution-cache';
import type { Resolver } from './resolve';
import { awaitedValue, compactCode, isPredicateSearch, propertyNameText, skipOuterExpressions, stringValue } from './text';

/**
 * What runs when the web process starts: the module scope of every file the server loads and the
 * functions that module scope calls. A timer started there runs once per instance.
 *
 * The web process is seeded by files that start a server (`app.listen`, `http.createServer`,
 * `NestFactory.create`, Hono's `serve`) or register request handlers, and by Next.js
 * `instrumentation.ts`. With a program, every file such a file imports (transitively) is loaded by
 * the server too; without one, only the file itself is known. Files that nothing of the server
 * imports (`worker.ts`, `jobs/*.ts` run by their own `node` command) are not the web process.
 */
export interface StartupReach {
  /** Whether `node` runs as part of the web process's start-up (module scope of a loaded file, or a function start-up calls). */
  runsAtStartUp(node: ts.Node): boolean;
  /**
   * Whether start-up itself calls the code, not only through a callback a module-scope call is given
   * (`app.get('/x', handler)` registers a handler, which start-up reach counts too): an `onModuleInit`,
   * the function `bootstrap()` calls, a `listen` callback.
   */
  calledAtStartUp(node: ts.Node): boolean;
  /** Whether the file is loaded by the web process (a seed, or imported by one when typed). */
  isWebProcessFile(sourceFile: ts.SourceFile): boolean;
  /** Whether the file is loaded only by a separate Nest application context (a worker), not by the web process. */
  isWorkerOnlyFile(sourceFile: ts.SourceFile): boolean;
  /** The files the web process loads (the seeds and what they import). */
  webProcessFiles(): Iterable<ts.SourceFile>;
}

const reachCache = new WeakMap<RequestGraph, StartupReach>();

export function getStartupReach(graph: RequestGraph, program: ts.Program | undefined, maxDepth: number): StartupReach {
  let reach = reachCache.get(graph);
  if (!reach) {
    reach = new Startup(graph, program, maxDepth);
    reachCache.set(graph, reach);
  }
  return reach;
}

/** Per function, the calls it makes when it runs: not those of a function it hands back (a handler its factory returns). Syntax only, kept as long as the file is. */
const callsWhenRun = new WeakMap<FunctionNode, CallLike[]>();

function startUpCalls(fn: FunctionNode): CallLike[] {
  let calls = callsWhenRun.get(fn);
  if (!calls) callsWhenRun.set(fn, (calls = callsWithin(fn, (nested) => !isReturnedFunction(nested))));
  return calls;
}

/** Per program, what `importedClassMethod` found for each call asked about. */
const importedClassMethods = new WeakMap<ts.Program, Map<ts.Node, readonly FunctionNode[]>>();

const INSTRUMENTATION_FILE = /(?:^|\/)(?:src\/)?instrumentation\.[cm]?[jt]s$/;

class Startup implements StartupReach {
  private readonly webFiles: Set<ts.SourceFile>;
  private readonly workerFiles: Set<ts.SourceFile>;
  /** The files handlers are registered in (seeds of the web process), and the entry modules found (`entryModules`). */
  private readonly handlerFiles: Set<ts.SourceFile>;
  private readonly entryFiles: Set<ts.SourceFile>;
  private readonly reached = new Set<FunctionNode>();
  /** The part of `reached` that start-up calls, leaving out callbacks given to module-scope calls and what they call. */
  private readonly called = new Set<FunctionNode>();
  /** Branches of an entry module that run instead of starting the server (another command of the same entry). */
  private readonly otherCommands = new Set<ts.Node>();

  constructor(
    private readonly graph: RequestGraph,
    private readonly program: ts.Program | undefined,
    private readonly maxDepth: number,
  ) {
    this.handlerFiles = new Set(graph.entries.map((entry) => entry.registration.getSourceFile()));
    const files = this.carriedFiles() ?? this.findFiles();
    this.webFiles = files.web;
    this.workerFiles = files.worker;
    this.entryFiles = files.entries;
  }

  /** The web process's files and the workers': the seeds and every project file they load. */
  private findFiles(): { web: Set<ts.SourceFile>; worker: Set<ts.SourceFile>; entries: Set<ts.SourceFile> } {
    const webSeeds: ts.SourceFile[] = [];
    const workerSeeds: ts.SourceFile[] = [];
    for (const file of this.graph.files) {
      if (this.graph.isIgnoredFile(file)) continue;
      const kind = this.seedKind(file);
      if (kind === 'web') webSeeds.push(file);
      else if (kind === 'worker') workerSeeds.push(file);
    }
    const entries = this.entryModules(webSeeds);
    webSeeds.push(...entries);
    return { web: this.loadedBy(webSeeds), worker: this.loadedBy(workerSeeds), entries: new Set(entries) };
  }

  private seedKind(file: ts.SourceFile): 'web' | 'worker' | undefined {
    const kind = processKind(file);
    return kind === 'web' || this.handlerFiles.has(file) || INSTRUMENTATION_FILE.test(this.graph.displayPath(file.fileName)) ? 'web' : kind;
  }

  /**
   * The previous program's files, when a keystroke changed none of what they follow from: every
   * changed file was changed inside function bodies (`Lineage.localEdits`: the same files, and the
   * same imports and module-scope requires, which are outside function bodies), handlers are
   * registered in the same files, and each edited file seeds the same process, starts a server from
   * the same functions and is not an entry module, before or after. The seeds are then the same, each
   * unchanged file an entry module as before (its calls' targets are carried), and what they load the
   * same files. On outline, finding them again (every file's imports, every program) was about a
   * tenth of a keystroke's analysis.
   */
  private carriedFiles(): { web: Set<ts.SourceFile>; worker: Set<ts.SourceFile>; entries: Set<ts.SourceFile> } | undefined {
    const program = this.program;
    const before = program && predecessorOf(this.graph);
    const edits = before?.lineage.localEdits;
    if (!program) return undefined;
    const previous = before && reachCache.get(before.graph);
    if (!edits || !(previous instanceof Startup) || previous.graph.files.length !== this.graph.files.length || !sameFileNames(previous.handlerFiles, this.handlerFiles)) return undefined;
    const lineage = before.lineage;
    const now = (fn: FunctionNode): FunctionNode | undefined => (lineage.current(fn) ?? lineage.currentAround(fn)) as FunctionNode | undefined;
    const starters = this.serverStarters();
    for (const edit of edits) {
      if (this.graph.isIgnoredFile(edit.after)) continue;
      if (previous.seedKind(edit.before) !== this.seedKind(edit.after) || !sameFunctions(serverStartingFunctions(edit.before), serverStartingFunctions(edit.after), now)) return undefined;
      if (previous.entryFiles.has(edit.before) || (this.seedKind(edit.after) !== 'web' && this.startingCalls(edit.after, starters).length > 0)) return undefined;
    }
    const inThisProgram = (files: ReadonlySet<ts.SourceFile>): Set<ts.SourceFile> | undefined => {
      const mapped = new Set<ts.SourceFile>();
      for (const file of files) {
        const current = sourceFileNamed(program, file.fileName);
        if (!current) return undefined;
        mapped.add(current);
      }
      return mapped;
    };
    const web = inThisProgram(previous.webFiles);
    const worker = inThisProgram(previous.workerFiles);
    const entries = inThisProgram(previous.entryFiles);
    if (!web || !worker || !entries) return undefined;
    // The other commands are branches of entry modules, none of them edited: the same nodes.
    for (const branch of previous.otherCommands) this.otherCommands.add(branch);
    return { web, worker, entries };
  }

  /** Whether the walk from the web process's module scope has run: asked for on first use, since most questions need only the files. */
  private walked = false;
  /**
   * Functions the carried walk reached only as handlers start-up registers (not in `called`) that
   * contain an edit since `reached` was last walked or compared, each with the functions its calls ran
   * then (as nodes of this program). `reached` holds while each still calls those: compared on the
   * first question only `reached` answers (`settle`), since a handler's calls cost the checker most of
   * a keystroke to resolve and `called` does not depend on them.
   */
  private readonly unsettled = new Map<FunctionNode, readonly FunctionNode[]>();

  isWebProcessFile(sourceFile: ts.SourceFile): boolean {
    return this.webFiles.has(sourceFile);
  }

  webProcessFiles(): Iterable<ts.SourceFile> {
    return this.webFiles;
  }

  isWorkerOnlyFile(sourceFile: ts.SourceFile): boolean {
    return this.workerFiles.has(sourceFile) && !this.webFiles.has(sourceFile);
  }

  runsAtStartUp(node: ts.Node): boolean {
    if (this.unsettled.size > 0) {
      // What start-up calls runs at start-up; only anything else needs the handlers' edges compared.
      if (this.within(node, this.called)) return true;
      this.settle();
    }
    return this.within(node, this.reached);
  }

  calledAtStartUp(node: ts.Node): boolean {
    return this.within(node, this.called);
  }

  private within(node: ts.Node, functions: ReadonlySet<FunctionNode>): boolean {
    if (!this.walked) {
      this.walked = true;
      this.walk();
    }
    // A deployment flag's guard is asked last: most nodes asked about (every creation, every timer) are in code start-up does not run.
    return this.withinFunctions(node, functions) && !isGuardedByRoleFlag(node);
  }

  private withinFunctions(node: ts.Node, functions: ReadonlySet<FunctionNode>): boolean {
    const file = node.getSourceFile();
    const fn = enclosingFunction(node);
    if (!fn) return this.webFiles.has(file);
    const facts = getFileFacts(file);
    for (let current: FunctionNode | undefined = fn; current; current = facts.functions.get(current)?.parent) {
      if (functions.has(current)) return true;
      // A handler a plugin registers is not called by the plugin's body, though it is written there.
      const parent = facts.functions.get(current)?.parent;
      if (functions === this.called && parent && this.plugins.has(parent) && isRegisteredCallback(current, parent)) return false;
      // `function createHandler(config) { return async (req, res) => { … } }`: made at start-up, run later by whoever holds it.
      if (isReturnedFunction(current)) return false;
    }
    return false;
  }

  /**
   * The seeds and every project file they import (their module scope runs when the server loads
   * them): through the program when typed, through the project index's resolution untyped.
   */
  private loadedBy(seeds: readonly ts.SourceFile[]): Set<ts.SourceFile> {
    const loaded = new Set<ts.SourceFile>(seeds);
    const queue = [...seeds];
    while (queue.length > 0) {
      const file = queue.pop()!;
      const imported = this.program ? importedFiles(file, this.program) : indexedImports(file, this.graph);
      for (const next of imported) {
        if (loaded.has(next) || this.graph.isIgnoredFile(next)) continue;
        loaded.add(next);
        queue.push(next);
      }
    }
    return loaded;
  }

  /**
   * `const { start } = require('./api'); (async () => { await app.start(); start(app, port); })()`: the
   * process's entry module, which neither listens nor registers a handler itself but calls, as it
   * loads, the function of an imported file that starts the server. Its module scope is the web
   * process's start-up, and so is what it requires (the services it builds and starts before serving).
   */
  private entryModules(seeds: readonly ts.SourceFile[]): ts.SourceFile[] {
    const starters = this.serverStarters();
    if (starters.functions.size === 0) return [];
    const found: ts.SourceFile[] = [];
    for (const file of this.graph.files) {
      if (seeds.includes(file) || this.graph.isIgnoredFile(file)) continue;
      const starts = this.startingCalls(file, starters);
      if (starts.length === 0) continue;
      found.push(file);
      // `if (process.argv[2] === '--migrate') migrate(); else startServer();`: the other branch is another command of the same entry.
      for (const node of starts) for (const branch of otherBranches(node)) this.otherCommands.add(branch);
    }
    return found;
  }

  /** The functions of the graph's files that start a server, and their files. */
  private serverStarters(): { functions: Set<FunctionNode>; files: Set<ts.SourceFile> } {
    const functions = new Set<FunctionNode>();
    const files = new Set<ts.SourceFile>();
    for (const file of graphFilesWhere(this.graph, serverStartingFunctions, startsServer)) {
      if (this.graph.isIgnoredFile(file)) continue;
      for (const starter of serverStartingFunctions(file)) {
        functions.add(starter);
        files.add(file);
      }
    }
    return { functions, files };
  }

  /** The calls of a file that imports a server-starting file, run as it loads, that call a function starting the server: what makes it an entry module. */
  private startingCalls(file: ts.SourceFile, starters: { functions: ReadonlySet<FunctionNode>; files: ReadonlySet<ts.SourceFile> }): CallLike[] {
    if (starters.functions.size === 0) return [];
    const imported = this.program ? importedFiles(file, this.program) : indexedImports(file, this.graph);
    if (!imported.some((next) => starters.files.has(next))) return [];
    const facts = getFileFacts(file);
    // `async function init() { await initDb(); createServer(…) } init().catch(log)`: the entry module's own
    // function, called as the module loads, runs as it loads (`runsAsModuleLoads`), so its call starts the server.
    return facts.calls.filter(({ node, function: fn }) => runsAsModuleLoads(fn, facts) && !isGuardedByRoleFlag(node) && this.graph.callTargets(node).some((target) => starters.functions.has(target))).map(({ node }) => node);
  }

  private inOtherCommand(node: ts.Node): boolean {
    if (this.otherCommands.size === 0) return false;
    for (let current: ts.Node | undefined = node; current && !ts.isSourceFile(current); current = current.parent) if (this.otherCommands.has(current)) return true;
    return false;
  }

  /** Breadth-first from the module scope of the web process's files through the functions it calls. */
  private walk(): void {
    if (this.carryWalk()) return;
    const called: FunctionNode[] = [];
    const given: FunctionNode[] = [];
    for (const file of this.webFiles) {
      const seeds = this.seedsOf(file);
      called.push(...seeds.called);
      given.push(...seeds.given);
    }
    this.spread(called, this.called);
    this.spread([...called, ...given], this.reached);
  }

  /** What a web process file's module scope starts: the functions it calls and those it hands on (handlers it registers). */
  private seedsOf(file: ts.SourceFile): { called: FunctionNode[]; given: FunctionNode[] } {
    // Typed, kept per file: the next program's carried walk compares an edited file's seeds with these.
    let seeds = this.seeds.get(file);
    if (!seeds) {
      seeds = this.readSeeds(file);
      if (this.program) this.seeds.set(file, seeds);
    }
    return seeds;
  }

  private readonly seeds = new Map<ts.SourceFile, { called: FunctionNode[]; given: FunctionNode[] }>();

  private readSeeds(file: ts.SourceFile): { called: FunctionNode[]; given: FunctionNode[] } {
    const called: FunctionNode[] = [];
    const given: FunctionNode[] = [];
    const facts = getFileFacts(file);
    for (const { node, function: fn } of facts.calls) {
      if (fn || isGuardedByRoleFlag(node) || this.inOtherCommand(node)) continue;
      const started = this.startedBy(node);
      called.push(...started.called);
      given.push(...started.given);
    }
    called.push(...serverStartingFunctions(file), ...nestProviderStartUp(file, this.graph.resolver));
    if (INSTRUMENTATION_FILE.test(this.graph.displayPath(file.fileName))) {
      const register = facts.topLevel.get('register');
      if (register && ts.isFunctionDeclaration(register) && register.body) called.push(register);
    }
    return { called, given };
  }

  /** Breadth-first from `seeds` through the functions they call, into `into`. */
  private spread(seeds: readonly FunctionNode[], into: Set<FunctionNode>): void {
    const queue: { fn: FunctionNode; depth: number }[] = [];
    const enqueue = (fn: FunctionNode, depth: number): void => {
      if (into.has(fn)) return;
      into.add(fn);
      queue.push({ fn, depth });
    };
    for (const seed of seeds) enqueue(seed, 0);
    for (let index = 0; index < queue.length; index++) {
      const { fn, depth } = queue[index];
      if (depth >= this.maxDepth) continue;
      for (const next of this.edgesOf(fn)) enqueue(next, depth + 1);
    }
  }

  /** The functions running `fn` at start-up runs next: its calls' targets and the callbacks start-up runs. */
  private edgesOf(fn: FunctionNode): FunctionNode[] {
    const edges: FunctionNode[] = [];
    // A plugin's body runs at start-up; the handlers and hooks it registers on its instance run on requests.
    const calls = this.plugins.has(fn) ? startUpCalls(fn).filter((call) => !inRegisteredCallback(call, fn)) : startUpCalls(fn);
    for (const call of calls) {
      if (isGuardedByRoleFlag(call)) continue;
      const targets = this.graph.callTargets(call);
      edges.push(...(targets.length > 0 ? targets : this.importedClassMethod(call)), ...startUpCallbacks(call), ...this.registeredPlugins(call));
    }
    return edges;
  }

  /**
   * `app.register(authRoutes, { prefix: '/auth' })`: Fastify runs a plugin's body once, while the server
   * starts (before `listen` resolves), with the instance to register its routes on as its first parameter;
   * so what the body makes (`const controller = new AuthController()`) is made once per process. A
   * function is taken for a plugin when its body registers on that parameter (`fastify.get(…)`,
   * `.route`, `.register`, `.addHook`, `.decorate`); the handlers it registers stay handlers.
   */
  private registeredPlugins(call: CallLike): FunctionNode[] {
    if (!ts.isCallExpression(call) || call.arguments.length < 1 || call.arguments.length > 2) return [];
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'register') return [];
    let plugins: FunctionNode[];
    try {
      plugins = this.graph.resolver.handlerFunctions(call.arguments[0]);
    } catch {
      return [];
    }
    const found = plugins.filter(registersOnFirstParameter);
    for (const plugin of found) this.plugins.add(plugin);
    return found;
  }

  /** The Fastify plugins `register` calls start-up makes hand on (`registeredPlugins`). */
  private readonly plugins = new Set<FunctionNode>();

  /**
   * The previous program's walk, when an editor's keystroke changed none of it: every changed file
   * was changed inside function bodies (`Lineage.localEdits`), the web process loads the same files,
   * and each function the walk reached, and each module scope, that contains an edit starts the same
   * functions as before. The graph is then the same one, so the walk reaches the same functions, in
   * this program. On outline, re-walking was 260 ms of a keystroke's 680.
   */
  private carryWalk(): boolean {
    const before = this.program && predecessorOf(this.graph);
    const edits = before?.lineage.localEdits;
    const previous = before && reachCache.get(before.graph);
    if (!edits || !(previous instanceof Startup) || !previous.walked || previous.maxDepth !== this.maxDepth) return false;
    const lineage = before.lineage;
    const now = <T extends ts.Node>(node: T): T | undefined => (lineage.current(node) ?? lineage.currentAround(node)) as T | undefined;
    if (!sameFileNames(previous.webFiles, this.webFiles) || !sameNodes(previous.otherCommands, this.otherCommands, now)) return false;
    for (const edit of edits) {
      if (!this.webFiles.has(edit.after)) continue;
      const was = previous.seedsOf(edit.before);
      const is = this.seedsOf(edit.after);
      if (!sameFunctions(was.called, is.called, now) || !sameFunctions(was.given, is.given, now)) return false;
    }
    const reached = new Set<FunctionNode>();
    const unsettled = new Map<FunctionNode, readonly FunctionNode[]>();
    const mapAll = (functions: readonly FunctionNode[]): FunctionNode[] | undefined => {
      const mapped: FunctionNode[] = [];
      for (const fn of functions) {
        const current = now(fn);
        if (!current) return undefined;
        mapped.push(current);
      }
      return mapped;
    };
    // Handlers compared on a question only `reached` answers, since the previous program or before.
    for (const [fn, edges] of previous.unsettled) {
      const current = now(fn);
      const mappedEdges = mapAll(edges);
      if (!current || !mappedEdges) return false;
      unsettled.set(current, mappedEdges);
    }
    for (const fn of previous.reached) {
      const unchanged = lineage.current(fn) as FunctionNode | undefined;
      const current = unchanged ?? (lineage.currentAround(fn) as FunctionNode | undefined);
      if (!current) return false;
      if (!unchanged && !unsettled.has(current)) {
        // A function around an edit (the handler being typed in): the same calls, to the same functions.
        // A function start-up calls is compared now; a handler it only registers, once `reached` is asked about.
        if (previous.called.has(fn)) {
          if (!sameFunctions(previous.edgesOf(fn), this.edgesOf(current), now)) return false;
        } else {
          const edges = mapAll(previous.edgesOf(fn));
          if (!edges) return false;
          unsettled.set(current, edges);
        }
      }
      reached.add(current);
    }
    for (const fn of reached) this.reached.add(fn);
    for (const fn of previous.called) this.called.add(now(fn)!);
    for (const [fn, edges] of unsettled) this.unsettled.set(fn, edges);
    return true;
  }

  /** Compares the unsettled handlers' calls with what they ran when `reached` was walked; walks `reached` again if one changed. */
  private settle(): void {
    const changed = [...this.unsettled].some(([fn, edges]) => !sameFunctions(edges, this.edgesOf(fn), (same) => same));
    this.unsettled.clear();
    if (!changed) return;
    this.reached.clear();
    const seeds: FunctionNode[] = [];
    for (const file of this.webFiles) {
      const { called, given } = this.seedsOf(file);
      seeds.push(...called, ...given);
    }
    this.spread(seeds, this.reached);
  }

  /**
   * `for (const monitor of await R.find('monitor')) monitor.start(io)`, `saveRevisionJob.start()`: a
   * method called at start-up on a value the analysis cannot follow (a record an ORM hands back, an
   * instance of a class exported as `exports.Job`), when exactly one class the file imports from the
   * project has a method of that name, or one the receiver is named after. Typed, only for a receiver
   * of type `any`. Start-up only: the request graph does not guess.
   */
  private importedClassMethod(call: CallLike): readonly FunctionNode[] {
    if (!ts.isCallExpression(call)) return [];
    // Typed, carried to the next program as call targets are: an editor asks on every keystroke.
    return this.program ? cachedNodes(importedClassMethods, this.program, call, () => this.findImportedClassMethod(call)) : this.findImportedClassMethod(call);
  }

  private findImportedClassMethod(call: ts.CallExpression): FunctionNode[] {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(skipOuterExpressions(callee.expression))) return [];
    const name = callee.name.text;
    const receiver = skipOuterExpressions(callee.expression).getText().toLowerCase();
    const facts = getFileFacts(call.getSourceFile());
    const found: FunctionNode[] = [];
    const named: FunctionNode[] = [];
    for (const binding of facts.imports.values()) {
      if (!binding.module.startsWith('.')) continue;
      const imported = this.program ? moduleFileOf(this.program, call.getSourceFile().fileName, binding.module) : this.graph.resolver.importedFile(call.getSourceFile().fileName, binding.module);
      for (const statement of imported?.statements ?? []) {
        // `const { Job } = require('./job')` names the class; a whole-module import is the module's class.
        if (!ts.isClassDeclaration(statement) || (binding.path.length > 0 && statement.name?.text !== binding.path[0])) continue;
        for (const member of statement.members) {
          const isStatic = ts.getModifiers(member as ts.MethodDeclaration)?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword) ?? false;
          if (ts.isMethodDeclaration(member) && member.body && !isStatic && propertyNameText(member.name) === name && !found.includes(member)) found.push(member);
          if (ts.isMethodDeclaration(member) && member.body && !isStatic && propertyNameText(member.name) === name && statement.name && receiver.includes(statement.name.text.toLowerCase())) named.push(member);
        }
      }
    }
    // Several imported classes have the method: the one the receiver is named after (`monitor.start()` → `Monitor`).
    const methods = found.length === 1 ? found : named.length === 1 ? named : [];
    // Typed, only a receiver the checker could not type (`any`, as JavaScript's ORM records are).
    // Asked last: typing a receiver can cost the checker a framework's whole type graph.
    if (methods.length > 0 && this.program && !isUntypedValue(this.program, callee.expression)) return [];
    return methods;
  }

  /**
   * What a module-scope call runs: its targets, an IIFE and the callbacks that run as start-up
   * (`app.listen(port, () => …)`, `main().then(…)`) are called; the other callbacks it is given may be
   * handlers it registers (`app.get('/x', (req, res) => …)`).
   */
  private startedBy(call: CallLike): { called: FunctionNode[]; given: FunctionNode[] } {
    const targets = this.graph.callTargets(call);
    const called: FunctionNode[] = [...(targets.length > 0 ? targets : this.importedClassMethod(call))];
    const given: FunctionNode[] = [];
    const callee = skipOuterExpressions(call.expression);
    if (ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) called.push(callee);
    const callbacks = startUpCallbacks(call);
    called.push(...this.registeredPlugins(call));
    for (const argument of call.arguments ?? []) {
      const value = skipOuterExpressions(argument);
      if (ts.isFunctionExpression(value) || ts.isArrowFunction(value)) (callbacks.includes(value) ? called : given).push(value);
    }
    return { called, given };
  }
}

/** Whether two sets of files have the same names (a program's files and the next one's). */
function sameFileNames(before: ReadonlySet<ts.SourceFile>, after: ReadonlySet<ts.SourceFile>): boolean {
  if (before.size !== after.size) return false;
  const names = new Set([...after].map((file) => file.fileName));
  for (const file of before) if (!names.has(file.fileName)) return false;
  return true;
}

/** Whether nodes of the previous program, mapped by `now`, are the nodes given. */
function sameNodes<T extends ts.Node>(before: ReadonlySet<T>, after: ReadonlySet<T>, now: (node: T) => T | undefined): boolean {
  if (before.size !== after.size) return false;
  for (const node of before) {
    const current = now(node);
    if (!current || !after.has(current)) return false;
  }
  return true;
}

/** Whether functions of the previous program, mapped by `now`, are the functions given (as sets). */
function sameFunctions(before: readonly FunctionNode[], after: readonly FunctionNode[], now: (fn: FunctionNode) => FunctionNode | undefined): boolean {
  return sameNodes(new Set(before), new Set(after), now);
}

/** A function its enclosing function hands back (`return (req, res) => …`, `(config) => async (req, res) => …`) rather than runs. */
function isReturnedFunction(fn: FunctionNode): boolean {
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  return ts.isReturnStatement(node.parent) || (ts.isArrowFunction(node.parent) && node.parent.body === node);
}

/** The branches of the `if`s and conditionals around a call that do not contain it (`else` of the branch that starts the server). */
function otherBranches(call: ts.Node): ts.Node[] {
  const branches: ts.Node[] = [];
  for (let child: ts.Node = call, parent = call.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression) {
      const other = child === parent.thenStatement ? parent.elseStatement : parent.thenStatement;
      if (other) branches.push(other);
    } else if (ts.isConditionalExpression(parent) && child !== parent.condition) branches.push(child === parent.whenTrue ? parent.whenFalse : parent.whenTrue);
  }
  return branches;
}

/** Whether code in `fn` runs as its module loads: at module scope, or in a function called where it is written there (`(async () => {…})()`). */
function runsAsModuleLoads(fn: FunctionNode | undefined, facts: FileFacts): boolean {
  for (let current = fn; current; current = facts.functions.get(current)?.parent) {
    // `async function main() { … } main().catch(exit)`: the module's own entry function, which its top level calls.
    if (isCalledByModuleScope(current, facts)) continue;
    if (!(ts.isArrowFunction(current) || ts.isFunctionExpression(current))) return false;
    let callee: ts.Node = current;
    while (ts.isParenthesizedExpression(callee.parent)) callee = callee.parent;
    if (!ts.isCallExpression(callee.parent) || callee.parent.expression !== callee) return false;
  }
  return true;
}

/** A function declared at module scope (`function main()`, `const main = async () => …`) that the module's top level calls by name. */
function isCalledByModuleScope(fn: FunctionNode, facts: FileFacts): boolean {
  const name = ts.isFunctionDeclaration(fn) ? fn.name?.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  if (name === undefined || facts.topLevel.get(name) !== (ts.isFunctionDeclaration(fn) ? fn : fn.parent)) return false;
  return facts.calls.some(({ node, function: caller }) => caller === undefined && ts.isIdentifier(skipOuterExpressions(node.expression)) && (skipOuterExpressions(node.expression) as ts.Identifier).text === name);
}

function isUntypedValue(program: ts.Program, expression: ts.Expression): boolean {
  try {
    return (program.getTypeChecker().getTypeAtLocation(expression).flags & ts.TypeFlags.Any) !== 0;
  } catch {
    return false;
  }
}

/** What a Fastify plugin's body calls on the instance it is handed: routes, hooks, nested plugins, decorations. */
const PLUGIN_REGISTRATIONS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'route', 'register', 'addHook', 'decorate', 'decorateRequest', 'decorateReply', 'setErrorHandler', 'addSchema']);

/** Whether a function registers routes, hooks or plugins on its first parameter (`async function routes(fastify) { fastify.get(…) }`). */
function registersOnFirstParameter(fn: FunctionNode): boolean {
  const first = fn.parameters[0];
  if (!first || !ts.isIdentifier(first.name)) return false;
  const name = first.name.text;
  return (getFileFacts(fn.getSourceFile()).functions.get(fn)?.calls ?? []).some((call) => {
    const callee = skipOuterExpressions(call.expression);
    return ts.isPropertyAccessExpression(callee) && PLUGIN_REGISTRATIONS.has(callee.name.text) && ts.isIdentifier(skipOuterExpressions(callee.expression)) && (skipOuterExpressions(callee.expression) as ts.Identifier).text === name;
  });
}

/**
 * A call inside a callback a plugin hands to its instance (`fastify.get('/x', async (req) => …)`, `fastify.addHook(…)`):
 * the handler's code, run by requests, not by the plugin's body.
 */
function inRegisteredCallback(call: CallLike, plugin: FunctionNode): boolean {
  const facts = getFileFacts(plugin.getSourceFile());
  for (let current = enclosingFunction(call); current && current !== plugin; current = facts.functions.get(current)?.parent) {
    if (isRegisteredCallback(current, plugin)) return true;
  }
  return false;
}

/** A function handed to a registration on the plugin's instance (`fastify.get(path, fn)`), not to a nested `register`. */
function isRegisteredCallback(fn: FunctionNode, plugin: FunctionNode): boolean {
  const first = plugin.parameters[0];
  if (!first || !ts.isIdentifier(first.name)) return false;
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const registration = node.parent;
  if (!ts.isCallExpression(registration) || !registration.arguments.includes(node as ts.Expression)) return false;
  const callee = skipOuterExpressions(registration.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text === 'register') return false;
  const receiver = skipOuterExpressions(callee.expression);
  return ts.isIdentifier(receiver) && receiver.text === first.name.text;
}

/** Calls whose function arguments run as part of start-up: `server.listen(port, () => startMonitors())`, `init().then(…)`. */
const START_UP_CALLBACK_METHODS = new Set(['listen', 'then', 'finally', 'ready', 'nextTick', 'setImmediate']);

function startUpCallbacks(call: CallLike): FunctionNode[] {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (name === undefined || !START_UP_CALLBACK_METHODS.has(name)) return [];
  return (call.arguments ?? []).map((argument) => skipOuterExpressions(argument)).filter((value): value is ts.ArrowFunction | ts.FunctionExpression => ts.isArrowFunction(value) || ts.isFunctionExpression(value));
}

/** `process.env.RUN_CRON`, `config.enableScheduler`, `isLeader`: a flag that picks the one instance that runs jobs. */
const ROLE_FLAG = /\b(?:process\.env\.|env\.)?\w*(?:CRON|SCHEDUL|JOBS?|WORKER|LEADER|PRIMARY|INSTANCE|ROLE)\w*\b/i;
/**
 * Not deployment roles: the environment, and pm2's `NODE_APP_INSTANCE`, the index of a process within
 * one host's cluster (every host, container or pod has its own instance 0).
 */
const NOT_A_ROLE = /\b(?:process\.env\.|env\.)(?:NODE_ENV|NEXT_RUNTIME|NODE_APP_INSTANCE)\b/g;

/**
 * The code runs only where a deployment flag says so: `if (process.env.CRON_SERVER) startJobs()`,
 * `if (!config.runScheduler) return;` before it, `process.env.IS_LEADER === 'true' && …`.
 * Deployments use such flags to run jobs on one instance; the rule trusts them.
 */
/** Per node, what `isGuardedByRoleFlag` said: read off the syntax alone, kept as long as the file is. */
const guardedNodes = new WeakMap<ts.Node, boolean>();

export function isGuardedByRoleFlag(node: ts.Node): boolean {
  let guarded = guardedNodes.get(node);
  if (guarded === undefined) guardedNodes.set(node, (guarded = readGuardedByRoleFlag(node)));
  return guarded;
}

function readGuardedByRoleFlag(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent && !ts.isSourceFile(current); current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === current && isRoleCondition(parent.expression) && !isFillOnceGuard(parent)) return true;
    if (ts.isConditionalExpression(parent) && parent.whenTrue === current && isRoleCondition(parent.condition)) return true;
    if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && isRoleCondition(parent.left)) return true;
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      // `if (!process.env.RUN_JOBS) return;` earlier in the same block
      const statements = parent.statements;
      for (const statement of statements.slice(0, statements.indexOf(current as ts.Statement))) {
        if (ts.isIfStatement(statement) && isRoleCondition(statement.expression) && exits(statement.thenStatement)) return true;
      }
    }
  }
  return false;
}

/**
 * `if (!TaskSchedulerSingleton.instance) TaskSchedulerSingleton.instance = new TaskScheduler()`: the test of a
 * slot its own branch fills, a singleton made once per process, whatever the slot is named; not a deployment flag.
 */
function isFillOnceGuard(statement: ts.IfStatement): boolean {
  const tested = absentValue(statement.expression);
  if (!tested) return false;
  let fills = false;
  const visit = (node: ts.Node): void => {
    if (fills || ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind) && compactCode(skipOuterExpressions(node.left).getText()) === tested) fills = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement.thenStatement);
  return fills;
}

const ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]);

/** The value a condition tests the absence of (`!x`, `x == null`, `x === undefined`), as compact text. */
function absentValue(condition: ts.Expression): string | undefined {
  const value = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) return compactCode(skipOuterExpressions(value.operand).getText());
  if (!ts.isBinaryExpression(value) || !EQUALITY.has(value.operatorToken.kind) || value.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken || value.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken) return undefined;
  const isNothing = (side: ts.Expression): boolean => side.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(side) && side.text === 'undefined');
  if (isNothing(value.right)) return compactCode(skipOuterExpressions(value.left).getText());
  if (isNothing(value.left)) return compactCode(skipOuterExpressions(value.right).getText());
  return undefined;
}

/** `AppInstance.isReady()`, `dbInstance.connected`: an object that holds an instance (of the app, a client), not a role. */
const INSTANCE_HOLDER = /\b\w*instance\s*\??\.(?=\s*[A-Za-z_$])/gi;

/** A dotted name (`schedulerState.isInitialized`, `this.cronStarted`, `jobsRunning`). */
const NAME_CHAIN = /(?<![\w$.])[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*/g;
/** A chain whose last name says the process has already started something: `isInitialized`, `cronJobsStarted`, `isSchedulerRunning`. */
const ONCE_FLAG = /(?:initiali[sz]ed|started|running|booted)$/i;
/** A deployment's setting read from the environment (`process.env.CRON_STARTED`) stays what it says. */
const ENVIRONMENT = /^(?:process\??\.)?env\??\./;

/** A schedule's own setting (`this.backupSchedule`, `task.schedule`, `CRON_SCHEDULE`): the cron expression of a job the service offers, not which instance runs it. */
const SCHEDULE_SETTING = /\b[\w$]*schedule\b/gi;
/** A name standing first in an expression, not a member of another (`cron` in `!cron.validate(x)`, not in `config.cron.enabled`). */
const LEADING_NAME = /(?<![\w$.])[A-Za-z_$][\w$]*/g;

function isRoleCondition(condition: ts.Expression): boolean {
  // Syntax alone, asked for the conditions around every call start-up reaches: once per condition, for as long as its file is unchanged.
  let known = roleConditions.get(condition);
  if (known === undefined) {
    known = readsRoleFlag(condition);
    roleConditions.set(condition, known);
  }
  return known;
}

const roleConditions = new WeakMap<ts.Expression, boolean>();

function readsRoleFlag(condition: ts.Expression): boolean {
  const libraries = schedulerBindings(condition.getSourceFile());
  const text = withoutLocalData(condition)
    .replace(NOT_A_ROLE, '')
    // `if (cronJobsStarted) return; cronJobsStarted = true;`: a guard against starting twice in this process, not a role.
    .replace(NAME_CHAIN, (chain) => (ONCE_FLAG.test(chain) && !ENVIRONMENT.test(chain) ? '' : chain))
    .replace(INSTANCE_HOLDER, '')
    .replace(SCHEDULE_SETTING, (name) => (SWITCH_NAME.test(name) ? name : ''))
    // The scheduler library itself (`if (!cron.validate(expression)) return`) is no deployment flag.
    .replace(LEADING_NAME, (name) => (libraries.has(name) ? '' : name));
  return ROLE_FLAG.test(text);
}

/** The names a file binds to a scheduler library or its copy (`cron` for `require('../libs/nodeCron')`). */
function schedulerBindings(file: ts.SourceFile): ReadonlySet<string> {
  let names = schedulerNames.get(file);
  if (names) return names;
  names = new Set([...getFileFacts(file).imports].filter(([, binding]) => SCHEDULER_LIBRARIES.has(schedulerModule(binding.module))).map(([name]) => name));
  schedulerNames.set(file, names);
  return names;
}

const schedulerNames = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken]);

/** A member named as a switch (`settings.enableScheduler`, `cfg.cron.enabled`, `options.runJobs`): configuration, even when loaded into a local. */
const SWITCH_NAME = /^(?:is|run|enable|disable|use|should|can)[A-Z_]|(?:enabled|disabled)$/i;

/**
 * The condition's text without what it reads of a record the function holds in a variable of its own
 * (`if (!workflow.schedule) return`, `if (job.type !== JobType.scheduled) return`): that is the row's
 * data, not a deployment flag; so is a local handed to a call (`Object.keys(cronExpressionMap)`) and a local
 * named as a noun and set from no flag (`if (!podcastCron) return` after `const podcastCron = crons.find(…)`).
 * A variable whose own name is the flag (`const isWorker = …`) or that is set from one, a member
 * named as a switch (`settings.enableScheduler`) and a comparison with a string (`conf.role !== 'worker'`) stay.
 */
function withoutLocalData(condition: ts.Expression): string {
  const fn = enclosingFunction(condition);
  const text = condition.getText();
  const checks = hasValidityCheck(condition);
  if ((!fn || !('body' in fn) || !fn.body) && !checks) return text;
  const locals = new Set<string>();
  /** Locals that hold a record, not a flag: named as a noun and set from something no flag is read from (`const podcastCron = this.podcastCrons.find(…)`). */
  const records = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      locals.add(node.name.text);
      if (node.initializer && !SWITCH_NAME.test(node.name.text) && (!ROLE_FLAG.test(node.initializer.getText()) || isSearch(node.initializer))) records.add(node.name.text);
    }
    ts.forEachChild(node, collect);
  };
  if (fn && 'body' in fn && fn.body) collect(fn.body);
  const elements = iteratedElements(condition);
  if (locals.size === 0 && elements.size === 0 && !checks) return text;
  /** `trigger.scheduler_type` where `trigger` is an element of a collection being iterated: that element's data, compared with whatever. */
  const readsElementMember = (expression: ts.Expression): boolean => {
    let current = skipOuterExpressions(expression);
    if (!ts.isPropertyAccessExpression(current) && !ts.isElementAccessExpression(current)) return false;
    while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isNonNullExpression(current)) current = skipOuterExpressions(current.expression);
    return ts.isIdentifier(current) && elements.has(current.text);
  };
  const readsLocalMember = (expression: ts.Expression): boolean => {
    let current = skipOuterExpressions(expression);
    if (!ts.isPropertyAccessExpression(current) && !ts.isElementAccessExpression(current)) return false;
    if (ts.isPropertyAccessExpression(current) && SWITCH_NAME.test(current.name.text)) return false;
    while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current) || ts.isNonNullExpression(current)) current = skipOuterExpressions(current.expression);
    return ts.isIdentifier(current) && locals.has(current.text);
  };
  const start = condition.getStart();
  const cuts: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    // `isValidCron(cron)`: whether a value is well formed, whatever it is named after.
    if (isValidityCheck(node)) {
      cuts.push([node.getStart() - start, node.getEnd() - start]);
      return;
    }
    const comparesText = ts.isBinaryExpression(node) && (ts.isStringLiteralLike(skipOuterExpressions(node.left)) || ts.isStringLiteralLike(skipOuterExpressions(node.right)));
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind) && ((!comparesText && (readsLocalMember(node.left) || readsLocalMember(node.right))) || readsElementMember(node.left) || readsElementMember(node.right))) {
      cuts.push([node.getStart() - start, node.getEnd() - start]);
      return;
    }
    // A local handed to a call (`Object.keys(cronExpressionMap).length`) is data the call reads.
    const handed = ts.isIdentifier(node) && locals.has(node.text) && ts.isCallExpression(node.parent) && node.parent.arguments.includes(node);
    const record = ts.isIdentifier(node) && records.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node);
    if ((ts.isExpression(node) && (readsLocalMember(node) || readsElementMember(node))) || handed || record) {
      cuts.push([node.getStart() - start, node.getEnd() - start]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  let result = '';
  let from = 0;
  for (const [cutStart, cutEnd] of cuts) {
    result += text.slice(from, cutStart);
    from = cutEnd;
  }
  return result + text.slice(from);
}

/**
 * `isValidCron(expression)`, `cronValidator.isValidCron(x)`, `validateCronExpression(x)`, `cron.validate(x)`:
 * a check that a value is well formed (a schedule expression a setting or a request gives), not which
 * instance runs jobs, though the checker is named after what it checks.
 */
const VALIDITY_CHECK = /^(?:isValid|validate|valid)(?:[A-Z_$][\w$]*)?$/;

function isValidityCheck(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return false;
  const callee = skipOuterExpressions(node.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  return name !== undefined && VALIDITY_CHECK.test(name);
}

function hasValidityCheck(node: ts.Node): boolean {
  return isValidityCheck(node) || (ts.forEachChild(node, (child) => (hasValidityCheck(child) ? true : undefined)) ?? false);
}

/**
 * The names the code around a condition gives the elements of a collection it iterates: the parameter
 * of a callback handed to `forEach`/`map`/… (`scene.triggers.forEach((trigger) => …)`) and the variable
 * of a `for…of` loop. What they hold is one row's data.
 */
function iteratedElements(condition: ts.Expression): ReadonlySet<string> {
  const names = new Set<string>();
  for (let node: ts.Node = condition; node.parent && !ts.isSourceFile(node); node = node.parent) {
    const parent = node.parent;
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isCallExpression(parent) && parent.arguments[0] === node) {
      const callee = skipOuterExpressions(parent.expression);
      if (ts.isPropertyAccessExpression(callee) && ELEMENT_ITERATIONS.has(callee.name.text) && node.parameters.length > 0 && ts.isIdentifier(node.parameters[0].name)) names.add(node.parameters[0].name.text);
    }
    if (ts.isForOfStatement(parent) && parent.statement === node && ts.isVariableDeclarationList(parent.initializer)) {
      for (const declaration of parent.initializer.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    }
    if (ts.isFunctionLike(node) && !ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) break;
  }
  return names;
}

const ELEMENT_ITERATIONS = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find']);

/** `crons.find((cron) => cron.expression === expression)`: an element of a collection, picked by a callback. */
function isSearch(expression: ts.Expression): boolean {
  return isPredicateSearch(awaitedValue(expression));
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.length > 0 && exits(statement.statements[statement.statements.length - 1]);
}

const SERVER_MODULES = new Set(['http', 'https', 'http2']);
/** `new WebSocketServer({ server })` of ws (also `new WebSocket.Server(…)`, `require('ws').Server`): a WebSocket server on the web process's port. */
const WS_SERVER_PATHS = new Set(['Server', 'WebSocketServer', 'WebSocket.Server']);

/**
 * `web`: the file starts a server; `worker`: it starts a Nest application context without HTTP
 * (`NestFactory.createApplicationContext`, a worker or cron process of its own).
 */
/** Per file, what `processKind` said: read off the file alone, kept as long as the file is. */
const processKinds = new WeakMap<ts.SourceFile, 'web' | 'worker' | undefined>();

function processKind(file: ts.SourceFile): 'web' | 'worker' | undefined {
  if (processKinds.has(file)) return processKinds.get(file);
  const kind = readProcessKind(file);
  processKinds.set(file, kind);
  return kind;
}

function readProcessKind(file: ts.SourceFile): 'web' | 'worker' | undefined {
  if (!SERVER_TEXT.test(file.text)) return undefined;
  const facts: FileFacts = getFileFacts(file);
  let kind: 'web' | 'worker' | undefined;
  for (const { node } of facts.calls) {
    const started = serverStartedBy(node, facts);
    if (started === 'web') return 'web';
    if (started === 'worker') kind = 'worker';
  }
  return kind;
}

const SERVER_TEXT = /listen|createServer|NestFactory|serve\s*\(|startStandaloneServer|Server\s*\(/;

/** Whether a call starts a web server (`server.listen`, `http.createServer`, a ws server, `NestFactory.create`, …) or a Nest worker context. */
function serverStartedBy(node: CallLike, facts: FileFacts): 'web' | 'worker' | undefined {
  const callee = skipOuterExpressions(node.expression);
  const member = resolveImportedMember(node.expression, facts.imports);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (name === 'listen' && ts.isPropertyAccessExpression(callee)) return 'web';
  if (member && SERVER_MODULES.has(member.module) && member.path[member.path.length - 1] === 'createServer') return 'web';
  if (ts.isNewExpression(node) && member?.module === 'ws' && WS_SERVER_PATHS.has(member.path.join('.'))) return 'web';
  if (member?.module === '@nestjs/core' && member.path.join('.') === 'NestFactory.create') return 'web';
  if (member?.module === '@nestjs/core' && /^NestFactory\.create(?:ApplicationContext|Microservice)$/.test(member.path.join('.'))) return 'worker';
  if (member && (member.module === '@hono/node-server' || member.module === '@apollo/server/standalone') && ['serve', 'startStandaloneServer'].includes(member.path.join('.'))) return 'web';
  return undefined;
}

/** Nest's singleton providers, and its modules: each made once when the application starts (a request- or transient-scoped provider is not). */
const NEST_PROVIDERS = new Set(['Injectable', 'Controller', 'Resolver', 'WebSocketGateway', 'Module']);
const NEST_REQUEST_SCOPES = /Scope\.(REQUEST|TRANSIENT)/;
const NEST_START_HOOKS = new Set(['onModuleInit', 'onApplicationBootstrap']);

/**
 * What Nest runs of a provider or a `@Module()` class when the application starts: its constructor (the
 * injector makes each singleton and each module once) and its `onModuleInit` / `onApplicationBootstrap`
 * hooks (a module's own: an image host's usage module starts its telemetry interval there), its own or, when it declares
 * none of that name, the hook of the class it extends (`class RuleJob extends TaskBase`, whose
 * `onApplicationBootstrap` creates each job's cron).
 */
function nestProviderStartUp(file: ts.SourceFile, resolver: Resolver): FunctionNode[] {
  if (!file.text.includes('@nestjs/')) return [];
  const facts = getFileFacts(file);
  const result: FunctionNode[] = [];
  for (const declaration of facts.classes) {
    const provider = decoratorsOf(declaration).find((decorator) => NEST_PROVIDERS.has(decorator.name) && (facts.imports.get(decorator.name)?.module.startsWith('@nestjs/') ?? false));
    if (!provider || (provider.call && NEST_REQUEST_SCOPES.test(provider.call.getText()))) continue;
    for (const member of declaration.members) {
      if (ts.isConstructorDeclaration(member) && member.body) result.push(member);
      else if (ts.isMethodDeclaration(member) && member.body && NEST_START_HOOKS.has(propertyNameText(member.name) ?? '')) result.push(member);
    }
    for (const hook of NEST_START_HOOKS) if (!declaresMethod(declaration, hook)) result.push(...inheritedMethod(declaration, hook, resolver, 0));
  }
  return result;
}

function declaresMethod(declaration: ts.ClassLikeDeclaration, name: string): boolean {
  return declaration.members.some((member) => ts.isMethodDeclaration(member) && propertyNameText(member.name) === name);
}

/** The method of a name a class inherits: its base's (resolved by the resolver), or that base's base's, a few levels up. */
function inheritedMethod(declaration: ts.ClassLikeDeclaration, name: string, resolver: Resolver, depth: number): FunctionNode[] {
  const base = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!base || depth >= 3) return [];
  let declarations: ts.Declaration[] = [];
  try {
    declarations = resolver.declarationsOf(base.expression);
  } catch {
    declarations = [];
  }
  return declarations.filter(ts.isClassLike).filter((found) => found !== declaration).flatMap((found) => {
    const own = found.members.filter((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.body !== undefined && propertyNameText(member.name) === name);
    return own.length > 0 ? own : inheritedMethod(found, name, resolver, depth + 1);
  });
}

/**
 * `export function startServer() { …; server.listen(port); dbLoop(); }`, called by an entry module
 * the web files do not import (`index.ts` choosing between migrating and serving): the function
 * that starts the server runs at start-up, whoever calls it (its outermost function, callbacks in it included).
 */
/** Per file, what `serverStartingFunctions` found: read off the file alone, kept as long as the file is. */
const serverStarters = new WeakMap<ts.SourceFile, FunctionNode[]>();

function serverStartingFunctions(file: ts.SourceFile): FunctionNode[] {
  let starters = serverStarters.get(file);
  if (!starters) serverStarters.set(file, (starters = readServerStartingFunctions(file)));
  return starters;
}

function startsServer(file: ts.SourceFile): boolean {
  return serverStartingFunctions(file).length > 0;
}

function readServerStartingFunctions(file: ts.SourceFile): FunctionNode[] {
  if (!SERVER_TEXT.test(file.text)) return [];
  const facts = getFileFacts(file);
  const result: FunctionNode[] = [];
  for (const { node, function: fn } of facts.calls) {
    if (!fn || serverStartedBy(node, facts) !== 'web' || isGuardedByRoleFlag(node)) continue;
    let outer = fn;
    for (let parent = facts.functions.get(outer)?.parent; parent; parent = facts.functions.get(parent)?.parent) outer = parent;
    if (!result.includes(outer)) result.push(outer);
  }
  return result;
}

/** Per program, the names of the project files each file imports, kept while no file is added or removed (an unchanged file's imports resolve the same). */
const importedNamesByProgram = new WeakMap<ts.Program, WeakMap<ts.SourceFile, readonly string[]>>();

/** Project files a file imports or re-exports statically (dynamic imports load lazily and are left out). */
function importedFiles(file: ts.SourceFile, program: ts.Program): ts.SourceFile[] {
  const known = keptWhileFilesStay(importedNamesByProgram, program, () => new WeakMap<ts.SourceFile, readonly string[]>());
  let names = known.get(file);
  if (!names) {
    names = resolveImportedFiles(file, program).map((imported) => imported.fileName);
    known.set(file, names);
  }
  return names.flatMap((name) => sourceFileNamed(program, name) ?? []);
}

function resolveImportedFiles(file: ts.SourceFile, program: ts.Program): ts.SourceFile[] {
  const result: ts.SourceFile[] = [];
  const checker = program.getTypeChecker();
  const add = (specifier: ts.Expression | undefined): void => {
    const text = stringValue(specifier);
    if (!specifier || text === undefined) return;
    try {
      const declaration = checker.getSymbolAtLocation(specifier)?.valueDeclaration;
      // `declare module 'express'`: a package's ambient types, no file of the project; resolving it would only look through node_modules.
      if (declaration && ts.isModuleDeclaration(declaration)) return;
      const imported = declaration && ts.isSourceFile(declaration) ? declaration : moduleFileOf(program, file.fileName, text);
      if (imported && !imported.isDeclarationFile && !program.isSourceFileFromExternalLibrary(imported)) result.push(imported);
    } catch {
      // an unresolvable import adds nothing
    }
  };
  for (const statement of file.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) {
      if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly) continue;
      add(statement.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      add(statement.moduleReference.expression);
    }
  }
  for (const specifier of moduleScopeRequires(file)) add(specifier);
  return result;
}

/** `require('./cron')` run by the module scope, unless a deployment flag picks the instances that load it. */
function moduleScopeRequires(file: ts.SourceFile): ts.Expression[] {
  const found: ts.Expression[] = [];
  for (const { node, function: fn } of getFileFacts(file).calls) {
    if (!fn && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length > 0 && !isGuardedByRoleFlag(node)) found.push(node.arguments[0]);
  }
  return found;
}

/** Untyped: the project files a file imports or requires at module scope, as the project index resolves them. */
function indexedImports(file: ts.SourceFile, graph: RequestGraph): ts.SourceFile[] {
  const specifiers: string[] = [];
  for (const statement of file.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) {
      if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly) continue;
      const text = stringValue(statement.moduleSpecifier);
      if (text !== undefined) specifiers.push(text);
    }
  }
  for (const argument of moduleScopeRequires(file)) {
    const text = stringValue(argument);
    if (text !== undefined) specifiers.push(text);
  }
  const result: ts.SourceFile[] = [];
  for (const specifier of specifiers) {
    const imported = graph.resolver.importedFile(file.fileName, specifier);
    if (imported && !imported.isDeclarationFile) result.push(imported);
  }
  return result;
}
