import ts = require('typescript');
import type { RequestPathSettings } from '../types';
import { getFileFacts, isFunctionNode, type CallLike, type FileFacts, type FunctionNode } from './file-facts';
import { EventListeners } from './event-listeners';
import { detectAdonisRoutes } from './frameworks/adonis';
import { detectAuthProviders } from './frameworks/auth-providers';
import { detectOrmHooks } from './frameworks/orm-hooks';
import { detectExportedHandlers } from './frameworks/exports';
import { detectExpressIo } from './frameworks/express-io';
import { detectConfiguredCallees, detectRealtime, detectTrpc } from './frameworks/events';
import { detectTsRest } from './frameworks/ts-rest';
import { detectGraphqlResolvers } from './frameworks/graphql';
import { valueGoesNowhere } from './dispatch-tables';
import { detectHttpRouters, rowRouteLabel } from './frameworks/http-routers';
import { detectNest } from './frameworks/nest';
import { detectFolderRoutes } from './frameworks/route-folders';
import { detectHandedStores } from './frameworks/handed-stores';
import { helperCallEntries } from './frameworks/route-helpers';
import type { DetectorContext, EntryCandidate, EntryDetector } from './frameworks/types';
import { hasMountCalls, MountPrefixes } from './mounts';
import { isIgnoredSourceFile, relativeTo } from './paths';
import { Resolver } from './resolve';
import { handsOverServer } from './server-lifecycle';
import { keepsParameterForLater } from './stored-callbacks';
import { flagParameters, flagsGuarding, flagsTurnedOn } from './flag-parameters';
import { currentNodes, lineageOf, programFilesWhere, sourceFileNamed, type Lineage } from './resolution-cache';
import type { ModuleLookup } from './untyped-resolve';
import type { ProjectIndex } from '../project-index/project-index';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** A request handler and the place it is registered. One registration with three handlers gives three entry points. */
export interface EntryPoint {
  label: string;
  /**
   * The label the readings that go by a route's words read (`MountPrefixes.wordsOf`: Express-style
   * mounts only), so naming routes better in other frameworks does not change what a state is taken to hold.
   */
  written?: string;
  framework: string;
  registration: ts.Node;
  handler: FunctionNode;
}

/** How one entry point reaches a function: the chain of calls from the handler, shortest first found. */
export interface Reach {
  entry: EntryPoint;
  calls: readonly CallLike[];
}

export interface RequestGraph {
  readonly entries: readonly EntryPoint[];
  readonly resolver: Resolver;
  /** Every entry point that reaches the code at `node`, each with its shortest call chain; empty off the request path. */
  reachesOf(node: ts.Node): readonly Reach[];
  /**
   * Of `reaches` (the node's, from `reachesOf`), those whose entry runs the node with every flag
   * parameter on that opens a branch around it (`if (sync) appendFileSync(…)` in
   * `append(path, lines, sync = false)`), along calls that do the same: a branch a parameter opens and
   * no request's calls pass is the work of another caller (an exit handler's flush), not the request's.
   */
  withFlagsOn(node: ts.Node, reaches: readonly Reach[]): readonly Reach[];
  /** Functions a call may run (resolved once per call and cached). */
  callTargets(call: CallLike): readonly FunctionNode[];
  /** The listeners an emit on this process's own emitter runs, synchronously (`bus.emit('x')` → `bus.on('x', listener)`). */
  listenersOf(call: CallLike): readonly FunctionNode[];
  /** An emit of the service's code on the process's own emitter a subscription names, of its event or of a name read at run time. */
  emitOnEmitterOf(subscribe: ts.CallExpression): CallLike | undefined;
  /** Whether a file is one that never serves requests (tests, scripts, ignored by configuration, browser code). */
  isIgnoredFile(sourceFile: ts.SourceFile): boolean;
  /**
   * The files the graph covers: the whole program when typed; untyped with a project index, the
   * files that may register handlers and import the analysed file (directly or not) plus every file
   * the walk from their handlers entered; otherwise the one file.
   */
  readonly files: readonly ts.SourceFile[];
  /** The files with a function some entry point reaches: code in any other file is off every request path. */
  readonly reachedFiles: ReadonlySet<ts.SourceFile>;
  /** Files of a one-shot set-up server (a web installer whose handlers close it and start the real application): no production traffic reaches them. */
  readonly oneShotServerFiles: ReadonlySet<ts.SourceFile>;
  /** A file's path relative to the project root, as messages show it. */
  displayPath(fileName: string): string;
  /** How many calls deep a walk follows (the `requestPath.maxDepth` setting): the start-up walk keeps to it too. */
  readonly maxDepth: number;
}

const DETECTORS: readonly EntryDetector[] = [detectHttpRouters, detectNest, detectExportedHandlers, detectRealtime, detectTrpc, detectGraphqlResolvers, detectConfiguredCallees, detectExpressIo, detectAuthProviders, detectOrmHooks, detectFolderRoutes, detectHandedStores, detectTsRest, detectAdonisRoutes];

interface GraphKey {
  settings: RequestPathSettings;
  projectRoot: string | undefined;
}

const programGraphs = new WeakMap<ts.Program, Map<string, RequestGraph>>();
const fileGraphs = new WeakMap<ts.SourceFile, Map<string, RequestGraph>>();
/** Untyped project graphs, per index, valid for one generation of it. */
const indexGraphs = new WeakMap<ProjectIndex, { generation: number; graphs: Map<string, Graph> }>();

function keyText(key: GraphKey): string {
  return JSON.stringify([key.settings.handlerCallees, key.settings.ignoreFiles, key.settings.maxDepth, key.projectRoot ?? '']);
}

/**
 * The request graph for a program (every file, cross-file calls resolved by the type checker);
 * without a program, for the files of the project index that can reach this file (see
 * `RequestGraph.files`), or for this one file. Built once and cached by program (or file, or index
 * generation and entry files) identity.
 */
export function buildRequestGraph(sourceFile: ts.SourceFile, program: ts.Program | undefined, settings: RequestPathSettings, projectRoot: string | undefined, index?: ProjectIndex): RequestGraph {
  const key = keyText({ settings, projectRoot });
  if (!program && index) {
    // One graph from every serving file, shared by every file it holds (a serving file, or one a
    // handler's walk entered), as the typed graph is shared by the program: a graph per file (the
    // file and its serving importers) walked the same handlers again for each file. A file it does
    // not hold gets a graph of its own, with itself as an entry, when the shared graph could answer
    // differently for it (see `answersForUnheld`), as does one that may register handlers through
    // configured callees without the index counting it as serving.
    if (settings.handlerCallees.length === 0 || index.mayServe(sourceFile.fileName)) {
      const shared = indexGraph(sourceFile, index.servingFiles(), index, settings, projectRoot, `${key}\u0000serving`);
      if (shared.holds(sourceFile) || answersForUnheld(sourceFile, index)) return shared;
    }
    const entryFiles = index.entryFilesFor(sourceFile.fileName);
    return indexGraph(sourceFile, entryFiles, index, settings, projectRoot, `${key}\u0000${entryFiles.join('\u0000')}`);
  }
  const owner = program ?? sourceFile;
  const cache = program ? programGraphs : fileGraphs;
  let byKey = (cache as WeakMap<object, Map<string, RequestGraph>>).get(owner);
  if (!byKey) {
    byKey = new Map();
    (cache as WeakMap<object, Map<string, RequestGraph>>).set(owner, byKey);
  }
  let graph = byKey.get(key);
  if (!graph) {
    const files = program ? program.getSourceFiles().filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file)) : [sourceFile];
    graph = new Graph(files, new Resolver(program), settings, projectRoot, program && predecessor(program, key));
    byKey.set(key, graph);
  }
  return graph;
}

/**
 * The graph's files for which `holds`, a question about a file's syntax alone that `key` names, is
 * true, in the graph's order. A typed graph's files are its program's own, so the list is carried
 * along the program's lineage, asking again only of the files that changed (`programFilesWhere`):
 * a program-wide pass then visits the few files that matter instead of every file on each keystroke.
 */
export function graphFilesWhere(graph: RequestGraph, key: unknown, holds: (file: ts.SourceFile) => boolean): readonly ts.SourceFile[] {
  const program = graph.resolver.program;
  return program ? programFilesWhere(program, key, graph.files, holds) : graph.files.filter(holds);
}

/**
 * The graph of the previous program of the project (same settings) this one carried answers from,
 * with the lineage between them; undefined once a newer graph is built, and for graphs without a program.
 */
export function predecessorOf(graph: RequestGraph): { readonly graph: RequestGraph; readonly lineage: Lineage } | undefined {
  return graph instanceof Graph ? graph.previous : undefined;
}

/** The graph of the program before this one in its project (same settings), with what of it still holds. */
function predecessor(program: ts.Program, key: string): Predecessor | undefined {
  const lineage = lineageOf(program);
  const graph = lineage.previous && programGraphs.get(lineage.previous)?.get(key);
  return graph instanceof Graph ? { graph, lineage, program } : undefined;
}

/**
 * Whether the shared graph answers for a file it does not hold as a graph of the file's own would.
 * No handler's walk entered the file, and it registers none (it is not serving): nothing in it is on
 * a request path, in either graph, since its own graph would walk the same handlers of its serving
 * importers. Only passes that read the graph's files as a whole could tell the two apart: a server
 * started (start-up code, schedulers), a socket.io server or adapter, a replicated database client,
 * a Fastify decoration. A file that mentions none of them needs no graph of its own, which cost a
 * walk of its serving importers' handlers per file (on a 1,076-file server, 219 such graphs made
 * a third of the plugin's time).
 */
function answersForUnheld(sourceFile: ts.SourceFile, index: ProjectIndex): boolean {
  return !index.mayServe(sourceFile.fileName) && !GRAPH_WIDE_TEXT.test(sourceFile.text) && !INSTRUMENTATION_PATH.test(sourceFile.fileName);
}

/** What the passes over all of a graph's files look for in a file (startup.ts, pubsub.ts, replicas.ts, fastify decorations). */
const GRAPH_WIDE_TEXT = /listen|createServer|NestFactory|serve\s*\(|startStandaloneServer|socket\.io|WebSocket|adapter|Adapter|decorate|readReplicas|withReplicas|\$primary|replication/;
const INSTRUMENTATION_PATH = /(?:^|\/)instrumentation\.[cm]?[jt]s$/;

/** The graph from these entry files, built once per index generation and `graphKey` (settings and entry files). */
function indexGraph(sourceFile: ts.SourceFile, entryFiles: readonly string[], index: ProjectIndex, settings: RequestPathSettings, projectRoot: string | undefined, graphKey: string): Graph {
  let cached = indexGraphs.get(index);
  if (!cached || cached.generation !== index.generation) {
    cached = { generation: index.generation, graphs: new Map() };
    indexGraphs.set(index, cached);
  }
  let graph = cached.graphs.get(graphKey);
  if (!graph) {
    const files: ts.SourceFile[] = [];
    for (const fileName of entryFiles) {
      const file = fileName === sourceFile.fileName ? sourceFile : index.sourceFile(fileName);
      if (file) files.push(file);
    }
    // Files the resolver enters through imports join the graph (their mutations and classes count).
    const entered = new Set<ts.SourceFile>(files);
    const enter = (file: ts.SourceFile): void => {
      if (entered.has(file)) return;
      entered.add(file);
      files.push(file);
    };
    const enterAll = (fileNames: readonly string[]): ts.SourceFile[] => {
      const found = fileNames.flatMap((fileName) => index.sourceFile(fileName) ?? []);
      found.forEach(enter);
      return found;
    };
    const lookup: ModuleLookup = {
      moduleFile(fromFile, specifier) {
        const target = index.resolveImport(fromFile, specifier);
        const file = target === undefined ? undefined : index.sourceFile(target);
        if (file) enter(file);
        return file;
      },
      // Where global namespaces are assigned: read for their values; the modules those values require join the graph through `moduleFile`.
      filesMatching: (pattern) => index.filesMatching(pattern).flatMap((fileName) => index.sourceFile(fileName) ?? []),
      // The route modules a loader lists in a folder join the graph as imported modules do.
      filesUnder: (directory, recursive) => enterAll(index.filesUnder(directory, recursive)),
      enter,
      // The classes implementing an interface a call is made through join the graph as imported modules do.
      implementersOf: (interfaceName) => enterAll(index.filesImplementing(interfaceName)),
    };
    graph = new Graph(files, new Resolver(undefined, lookup), settings, projectRoot);
    cached.graphs.set(graphKey, graph);
  }
  return graph;
}

/**
 * The previous program's graph, when the editor built this program from it: a file it carries (the
 * same file, importing no module whose shape changed) keeps its handlers and its calls' targets, as
 * long as they are in files that did not change either. Only the walk from the handlers runs again.
 */
interface Predecessor {
  graph: Graph;
  lineage: Lineage;
  program: ts.Program;
}

/** A file's handler registrations before labelling (the label depends on mounts in other files). */
interface FileHandlers {
  candidate: EntryCandidate;
  functions: FunctionNode[];
}

class Graph implements RequestGraph {
  readonly entries: EntryPoint[] = [];
  private readonly reached = new Map<FunctionNode, Map<EntryPoint, Reach>>();
  readonly reachedFiles = new Set<ts.SourceFile>();
  readonly oneShotServerFiles = new Set<ts.SourceFile>();
  private readonly targetCache = new Map<CallLike, readonly FunctionNode[]>();
  /** What decides whether a file is ignored: the project root and the configured globs. */
  private readonly ignoreKey: string;
  private readonly handlersOfFile = new Map<ts.SourceFile, FileHandlers[]>();
  /** Listeners an emit on a request path runs (`bus.emit('x')` → `bus.on('x', listener)`): the request's work too. */
  private readonly listeners: EventListeners;

  constructor(
    readonly files: readonly ts.SourceFile[],
    readonly resolver: Resolver,
    private readonly settings: RequestPathSettings,
    private readonly projectRoot: string | undefined,
    private predecessor?: Predecessor,
  ) {
    this.ignoreKey = JSON.stringify([projectRoot ?? '', settings.ignoreFiles]);
    this.listeners = new EventListeners(resolver, () => this.files);
    // `files` may grow as the resolver enters files through imports: only the first ones are entry files.
    const entryFiles = files.slice();
    const mounts = new MountPrefixes(graphFilesWhere(this, hasMountCalls, hasMountCalls), resolver);
    for (const file of entryFiles) this.collectEntries(file, mounts);
    this.collectHelperCalls(entryFiles, mounts);
    for (const entry of this.entries) this.walkFrom(entry);
    this.dropOneShotServers();
    // Calls resolved after building (the start-up walk, the passes over every file) carry the
    // predecessor's targets too, so it stays; its own predecessor goes, or every program since the
    // project opened would stay in memory.
    this.predecessor?.graph.forgetPredecessor();
  }

  get maxDepth(): number {
    return this.settings.maxDepth;
  }

  private forgetPredecessor(): void {
    this.predecessor = undefined;
  }

  /** The previous program's graph and the lineage between the two, until a newer graph is built. */
  get previous(): { readonly graph: RequestGraph; readonly lineage: Lineage } | undefined {
    return this.predecessor;
  }

  displayPath(fileName: string): string {
    return displayRelative(this.projectRoot, fileName);
  }

  /**
   * A set-up server (a web installer) serves until its own handlers close it and start the real
   * application: its routes never take production traffic, so the files that register them have no
   * entry points. Rare, so the walk runs again only when one is found.
   */
  private dropOneShotServers(): void {
    const oneShot = this.oneShotServerFiles;
    for (const [fn, reaches] of this.reached) {
      if (!handsOverServer(fn)) continue;
      for (const entry of reaches.keys()) oneShot.add(entry.registration.getSourceFile());
    }
    if (oneShot.size === 0) return;
    const kept = this.entries.filter((entry) => !oneShot.has(entry.registration.getSourceFile()));
    this.entries.length = 0;
    this.entries.push(...kept);
    this.reached.clear();
    this.reachedFiles.clear();
    for (const entry of this.entries) this.walkFrom(entry);
  }

  /** Whether the graph covers this file (an entry file, or one the walk entered). */
  holds(sourceFile: ts.SourceFile): boolean {
    return this.files.includes(sourceFile);
  }

  isIgnoredFile(sourceFile: ts.SourceFile): boolean {
    // Every pass over the files asks for each: this graph's own answers first, one lookup.
    const known = this.ignored.get(sourceFile);
    if (known !== undefined) return known;
    const ignored = this.readIgnoredFile(sourceFile);
    this.ignored.set(sourceFile, ignored);
    return ignored;
  }

  private readonly ignored = new Map<ts.SourceFile, boolean>();

  private readIgnoredFile(sourceFile: ts.SourceFile): boolean {
    let verdicts = ignoredFiles.get(sourceFile);
    if (!verdicts) {
      verdicts = new Map();
      ignoredFiles.set(sourceFile, verdicts);
    }
    let ignored = verdicts.get(this.ignoreKey);
    if (ignored === undefined) {
      ignored = isIgnoredSourceFile(sourceFile, relativeTo(this.projectRoot, sourceFile.fileName), this.settings.ignoreFiles);
      verdicts.set(this.ignoreKey, ignored);
    }
    return ignored;
  }

  reachesOf(node: ts.Node): readonly Reach[] {
    const fn = this.reachedFunctionOf(node);
    return fn ? [...this.reached.get(fn)!.values()] : [];
  }

  /** The function around a node that entry points reach: the node's own, or one it is written in. */
  private reachedFunctionOf(node: ts.Node): FunctionNode | undefined {
    const facts = getFileFacts(node.getSourceFile());
    for (let fn = enclosingFunction(node); fn; fn = facts.functions.get(fn)?.parent) {
      if (this.reached.has(fn)) return fn;
      // A callback the function around it hands to a registry runs later, not with that function.
      if (this.keptForLater.has(fn)) return undefined;
    }
    return undefined;
  }

  withFlagsOn(node: ts.Node, reaches: readonly Reach[]): readonly Reach[] {
    const fn = reaches.length > 0 ? this.reachedFunctionOf(node) : undefined;
    const flagged = fn && this.flaggedWalk();
    if (!fn || !flagged) return reaches;
    const arrivals = flagged.get(fn);
    const needed = flagsGuarding(node, fn);
    return reaches.filter((reach) => {
      const on = arrivals?.get(reach.entry);
      return on !== undefined && needed.every((flag) => on.has(flag));
    });
  }

  /** Per function and entry, the flag parameters some call on the way turns on; `null` when no reached function has flags. */
  private flagged?: Map<FunctionNode, Map<EntryPoint, Set<string>>> | null;

  /**
   * The walk again, leaving out the calls in a branch a flag parameter opens when the calls that got
   * there leave it off, and noting which flags each entry's calls may turn on. Only graphs whose
   * reached functions have flags walk twice, and only when a rule asks.
   */
  private flaggedWalk(): Map<FunctionNode, Map<EntryPoint, Set<string>>> | undefined {
    if (this.flagged !== undefined) return this.flagged ?? undefined;
    if (![...this.reached.keys()].some((fn) => flagParameters(fn).size > 0)) return (this.flagged = null) ?? undefined;
    const flagged = new Map<FunctionNode, Map<EntryPoint, Set<string>>>();
    for (const entry of this.entries) {
      const queue: { fn: FunctionNode; on: ReadonlySet<string> }[] = [{ fn: entry.handler, on: flagsTurnedOn(undefined, entry.handler) }];
      for (let index = 0; index < queue.length; index++) {
        const { fn, on } = queue[index];
        // Within what the walk itself reached (its depth included).
        if (!this.reached.get(fn)?.has(entry)) continue;
        let arrivals = flagged.get(fn);
        if (!arrivals) flagged.set(fn, (arrivals = new Map<EntryPoint, Set<string>>()));
        const known = arrivals.get(entry);
        if (known && [...on].every((flag) => known.has(flag))) continue;
        const merged = new Set([...(known ?? []), ...on]);
        arrivals.set(entry, merged);
        for (const call of this.walkedCallsOf(fn)) {
          if (!flagsGuarding(call, fn).every((flag) => merged.has(flag))) continue;
          for (const target of this.targetsOf(call)) queue.push({ fn: target, on: flagsTurnedOn(call, target) });
          for (const target of this.listeners.listenersOf(call)) queue.push({ fn: target, on: flagsTurnedOn(undefined, target) });
        }
      }
    }
    this.flagged = flagged;
    return flagged;
  }

  private collectEntries(file: ts.SourceFile, mounts: MountPrefixes): void {
    if (this.isIgnoredFile(file)) return;
    const handlers = this.carriedHandlers(file) ?? this.detectHandlers(file);
    this.handlersOfFile.set(file, handlers);
    const seen = new Set<string>();
    for (const { candidate, functions } of handlers) {
      const label = mounts.labelOf(candidate);
      const written = mounts.wordsOf(candidate);
      for (const fn of functions) {
        const id = `${label}\u0000${fn.pos}:${fn.getSourceFile().fileName}`;
        if (seen.has(id)) continue;
        seen.add(id);
        this.entries.push({ label, written, framework: candidate.framework, registration: candidate.registration, handler: fn });
      }
    }
  }

  /**
   * Routes registered by calling a helper of the service's own (`setupPageRoute(router, '/login', …, controllers.login)`):
   * the helpers are written in the entry files; their calls may be in any file (typed, the program's;
   * untyped, the index's files that write the helper's name), which joins the graph.
   */
  private collectHelperCalls(entryFiles: readonly ts.SourceFile[], mounts: MountPrefixes): void {
    let candidates: EntryCandidate[];
    try {
      candidates = helperCallEntries(entryFiles, {
        resolver: this.resolver,
        settings: this.settings,
        relativePath: (file) => relativeTo(this.projectRoot, file.fileName),
        filesMentioning: (pattern) => this.resolver.filesMatching(pattern) ?? this.files.filter((file) => pattern.test(file.text)),
        callTargets: (call) => this.targetsOf(call),
        isIgnoredFile: (file) => this.isIgnoredFile(file),
        isDevelopmentOnly,
      });
    } catch {
      return;
    }
    const seen = new Set(this.entries.map((entry) => `${entry.label}\u0000${entry.handler.pos}:${entry.handler.getSourceFile().fileName}`));
    for (const candidate of candidates) {
      const file = candidate.registration.getSourceFile();
      if (!this.files.includes(file)) (this.files as ts.SourceFile[]).push(file);
      const label = mounts.labelOf(candidate);
      const written = mounts.wordsOf(candidate);
      for (const fn of candidate.handlers.flatMap((handler) => (isFunctionNode(handler) ? [handler] : this.resolver.handlerFunctions(handler)))) {
        const id = `${label}\u0000${fn.pos}:${fn.getSourceFile().fileName}`;
        if (seen.has(id)) continue;
        seen.add(id);
        this.entries.push({ label, written, framework: candidate.framework, registration: candidate.registration, handler: fn });
      }
    }
  }

  /** The file's registrations in source order, each with the functions its handlers stand for. */
  private detectHandlers(file: ts.SourceFile): FileHandlers[] {
    const facts = getFileFacts(file);
    const context: DetectorContext = { facts, resolver: this.resolver, settings: this.settings, relativePath: relativeTo(this.projectRoot, file.fileName) };
    const candidates: EntryCandidate[] = [];
    for (const detect of DETECTORS) {
      try {
        detect(context, candidates);
      } catch {
        // A detector that trips on odd code loses its entries for this file, nothing more.
      }
    }
    candidates.sort((a, b) => a.registration.getStart() - b.registration.getStart());
    const handlers: FileHandlers[] = [];
    for (const candidate of candidates) {
      if (isDevelopmentOnly(candidate.registration)) continue;
      handlers.push({ candidate, functions: candidate.handlers.flatMap((handler) => (isFunctionNode(handler) ? [handler] : this.resolver.handlerFunctions(handler))) });
    }
    return handlers;
  }

  /** The predecessor's registrations of a file it carries, when every handler is in an unchanged file. */
  private carriedHandlers(file: ts.SourceFile): FileHandlers[] | undefined {
    const predecessor = this.predecessor;
    if (!predecessor?.lineage.carries(file)) return undefined;
    const handlers = predecessor.graph.handlersOfFile.get(file);
    if (!handlers) return undefined;
    for (const { functions } of handlers) if (!functions.every((fn) => isCurrent(predecessor.program, fn))) return undefined;
    return handlers;
  }

  /** Breadth-first from one handler so each function keeps the shortest chain of calls per entry. */
  private walkFrom(entry: EntryPoint): void {
    const queue: { fn: FunctionNode; calls: CallLike[] }[] = [{ fn: entry.handler, calls: [] }];
    for (let index = 0; index < queue.length; index++) {
      const { fn, calls } = queue[index];
      let reaches = this.reached.get(fn);
      if (!reaches) {
        reaches = new Map();
        this.reached.set(fn, reaches);
        this.reachedFiles.add(fn.getSourceFile());
      }
      if (reaches.has(entry)) continue;
      reaches.set(entry, { entry, calls });
      if (calls.length >= this.settings.maxDepth) continue;
      for (const call of this.walkedCallsOf(fn)) {
        const targets = this.targetsOf(call);
        if (targets.length > 0 && this.isRowDispatch(call)) continue;
        for (const target of targets) if (!this.reached.get(target)?.has(entry)) queue.push({ fn: target, calls: [...calls, call] });
        for (const target of this.listeners.listenersOf(call)) if (!this.reached.get(target)?.has(entry)) queue.push({ fn: target, calls: [...calls, call] });
      }
    }
  }

  private readonly rowDispatches = new Map<CallLike, boolean>();

  /**
   * A hand-written router's call of the row it picked (`route.handler(req, res, params)` of
   * `routes[i]`) whose every row names its method and path: each row is an entry of its own,
   * labelled with its route and registered where the row is written, so a finding names the route a
   * client calls rather than the server that hands every request to the router. The walk that met
   * the call goes no further through it (the rows' own walks cover what they run); a table with a
   * row that names no route, or a call whose value the router uses (`const body = route.render(req)`:
   * a function it calls, not a handler whose result nothing waits for), is followed as any call is.
   */
  private isRowDispatch(call: CallLike): boolean {
    let known = this.rowDispatches.get(call);
    if (known !== undefined) return known;
    known = false;
    const rows = (ts.isCallExpression(call) && valueGoesNowhere(call) ? this.dispatchedRowsOf(call) : undefined)?.map((each) => ({ ...each, label: rowRouteLabel(each.row) }));
    if (rows && rows.length > 0 && rows.every(({ label }) => label !== undefined) && rows.some(({ functions }) => functions.length > 0)) {
      known = true;
      const seen = new Set(this.entries.map((entry) => entry.registration));
      for (const { row, functions, label } of rows) {
        if (seen.has(row) || label === undefined) continue;
        for (const handler of functions) this.entries.push({ label, written: label, framework: 'node:http', registration: row, handler });
      }
    }
    this.rowDispatches.set(call, known);
    return known;
  }

  private dispatchedRowsOf(call: ts.CallExpression): ReturnType<Resolver['dispatchedRows']> {
    try {
      return this.resolver.dispatchedRows(call);
    } catch {
      return undefined;
    }
  }

  private readonly walkedCallsCache = new Map<FunctionNode, readonly CallLike[]>();
  private readonly keptForLater = new Set<FunctionNode>();

  /**
   * The calls a walk goes on from (`walkedCalls`), less those of a callback the function hands to a registry of
   * the service's own that keeps it for later (`onProcessExit(() => renameSync(…))`, `stored-callbacks.ts`):
   * it runs when the registry's reader calls it, not in this request.
   */
  private walkedCallsOf(fn: FunctionNode): readonly CallLike[] {
    let calls = this.walkedCallsCache.get(fn);
    if (calls) return calls;
    calls = walkedCalls(fn);
    const kept = this.callbacksKeptForLater(fn);
    if (kept.length > 0) calls = calls.filter((call) => !kept.some((callback) => call.pos >= callback.pos && call.end <= callback.end));
    this.walkedCallsCache.set(fn, calls);
    return calls;
  }

  private callbacksKeptForLater(fn: FunctionNode): FunctionNode[] {
    const facts = getFileFacts(fn.getSourceFile());
    const kept: FunctionNode[] = [];
    const stack = [...(facts.functions.get(fn)?.children ?? [])];
    while (stack.length > 0) {
      const callback = stack.pop()!;
      let node: ts.Node = callback;
      while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
      const call = node.parent;
      const index = ts.isCallExpression(call) ? call.arguments.indexOf(node as ts.Expression) : -1;
      if (index >= 0) {
        const targets = this.targetsOf(call as ts.CallExpression);
        if (targets.length > 0 && targets.every((target) => keepsParameterForLater(target, index))) {
          kept.push(callback);
          this.keptForLater.add(callback);
          continue;
        }
      }
      stack.push(...(facts.functions.get(callback)?.children ?? []));
    }
    return kept;
  }

  /**
   * The predecessor's targets of the call this one was (the same call in a file it carries, or the
   * call at the same place outside the edited body of a local edit), each still in this program
   * (moved by a local edit, or unchanged).
   */
  private carriedTargets(call: CallLike): readonly FunctionNode[] | undefined {
    const predecessor = this.predecessor;
    const was = predecessor?.lineage.previousOf(call) as CallLike | undefined;
    const targets = was && predecessor!.graph.targetCache.get(was);
    return targets && currentNodes(predecessor!.program, targets);
  }

  callTargets(call: CallLike): readonly FunctionNode[] {
    return this.targetsOf(call);
  }

  listenersOf(call: CallLike): readonly FunctionNode[] {
    return this.listeners.listenersOf(call);
  }

  emitOnEmitterOf(subscribe: ts.CallExpression): CallLike | undefined {
    return this.listeners.emitOnEmitterOf(subscribe);
  }

  private targetsOf(call: CallLike): readonly FunctionNode[] {
    let targets = this.targetCache.get(call) ?? this.carriedTargets(call);
    if (targets) this.targetCache.set(call, targets);
    else {
      try {
        targets = this.resolver.callTargets(call);
      } catch {
        targets = [];
      }
      this.targetCache.set(call, targets);
    }
    return targets;
  }
}

/** Whether a file is ignored, per file and `Graph.ignoreKey`: kept as long as the file is. */
const ignoredFiles = new WeakMap<ts.SourceFile, Map<string, boolean>>();

/** Whether a node is in a file the program still has as it was. */
function isCurrent(program: ts.Program, node: ts.Node): boolean {
  const file = node.getSourceFile();
  return sourceFileNamed(program, file.fileName) === file;
}

/** Calls in a function and in the functions written inside it (callbacks run as part of the request too), those `enters` admits. */
export function callsWithin(fn: FunctionNode, enters: (nested: FunctionNode) => boolean = () => true): CallLike[] {
  const facts: FileFacts = getFileFacts(fn.getSourceFile());
  const result: CallLike[] = [];
  const stack: FunctionNode[] = [fn];
  while (stack.length > 0) {
    const info = facts.functions.get(stack.pop()!);
    if (!info) continue;
    result.push(...info.calls);
    for (const child of info.children) if (enters(child)) stack.push(child);
  }
  return result;
}

/** Per function, the calls a request's walk goes on from (syntax only: kept as long as the file is). */
const walkedCallsOf = new WeakMap<FunctionNode, readonly CallLike[]>();

/**
 * The calls within a function that run with it: not a first-use initialisation, not after an exit.
 * Each handler's walk asks for most functions again, and each program for every reached one.
 */
function walkedCalls(fn: FunctionNode): readonly CallLike[] {
  let calls = walkedCallsOf.get(fn);
  if (!calls) walkedCallsOf.set(fn, (calls = callsWithin(fn).filter((call) => !isOnceInitialisation(call) && !followsExit(call))));
  return calls;
}

/**
 * A call no run of its function gets to: a statement before it in the same block (or in a block
 * around it, within the function) leaves unconditionally (`throw new Error('Not enabled')` at the
 * top of a disabled route, `return` before leftover code).
 */
export function followsExit(call: CallLike): boolean {
  for (let node: ts.Node = call; node.parent && !ts.isFunctionLike(node); node = node.parent) {
    const parent = node.parent;
    if (!(ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent))) continue;
    for (const statement of parent.statements) {
      if (statement === node) break;
      if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement)) return true;
    }
  }
  return false;
}

/**
 * `if (X.instance == null) X.instance = new X()`, `client ??= createClient()`, `db = db || connect()`:
 * the call fills a process-wide value on first use and never runs again, so what it runs (a
 * singleton's constructor, a client's set-up) is start-up work, not the request's. Only whole
 * values count: `cache[key] = load(key)` under `if (!cache[key])` runs once per key, per request.
 */
export function isOnceInitialisation(call: CallLike): boolean {
  let node: ts.Node = call;
  if (ts.isAwaitExpression(node.parent)) node = node.parent;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  // x = x || create(): the right side of the `||` is the call.
  if (ts.isBinaryExpression(parent) && parent.right === node && (parent.operatorToken.kind === SyntaxKind.BarBarToken || parent.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) {
    const assignment = parent.parent;
    return ts.isBinaryExpression(assignment) && assignment.right === parent && assignment.operatorToken.kind === SyntaxKind.EqualsToken && isWholeValue(assignment.left) && assignment.left.getText() === parent.left.getText();
  }
  if (!ts.isBinaryExpression(parent) || parent.right !== node || !isWholeValue(parent.left)) return false;
  const operator = parent.operatorToken.kind;
  if (operator === SyntaxKind.QuestionQuestionEqualsToken || operator === SyntaxKind.BarBarEqualsToken) return true;
  if (operator !== SyntaxKind.EqualsToken) return false;
  const target = parent.left.getText().replace(/\s+/g, '');
  for (let current: ts.Node = parent.parent; !ts.isFunctionLike(current) && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isIfStatement(current) && testsAbsence(current.expression, target)) return true;
  }
  return false;
}

const DEVELOPMENT_FLAG = /^(is|in)?_?(dev|development|test|testing|e2e|e2eTest|debug)_?(mode|env|environment|testMode)?$/i;
const DEVELOPMENT_ENV = new Set(['dev', 'development', 'test', 'testing', 'e2e']);

/**
 * Whether code sits in the then-branch of a development or test switch (`if (isDev)`,
 * `if (process.env.NODE_ENV === 'development')`, `if (config.e2e && …)`): routes registered there
 * (dev servers, end-to-end snapshot endpoints) never serve production traffic.
 */
export function isDevelopmentOnly(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent && !ts.isSourceFile(current.parent); current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === current && isDevelopmentCondition(parent.expression)) return true;
  }
  return false;
}

function isDevelopmentCondition(condition: ts.Expression): boolean {
  let value = condition;
  while (ts.isParenthesizedExpression(value)) value = value.expression;
  if (ts.isIdentifier(value)) return DEVELOPMENT_FLAG.test(value.text);
  if (ts.isPropertyAccessExpression(value)) return DEVELOPMENT_FLAG.test(value.name.text);
  if (!ts.isBinaryExpression(value)) return false;
  const operator = value.operatorToken.kind;
  if (operator === SyntaxKind.AmpersandAmpersandToken) return isDevelopmentCondition(value.left) || isDevelopmentCondition(value.right);
  if (operator !== SyntaxKind.EqualsEqualsEqualsToken && operator !== SyntaxKind.EqualsEqualsToken) return false;
  const literal = ts.isStringLiteralLike(value.right) ? value.right : ts.isStringLiteralLike(value.left) ? value.left : undefined;
  const other = literal === value.right ? value.left : value.right;
  return literal !== undefined && DEVELOPMENT_ENV.has(literal.text.toLowerCase()) && /env/i.test(other.getText());
}

/** `x`, `this.x`, `Server.instance`: a value, not an entry of a keyed collection. */
function isWholeValue(expression: ts.Expression): boolean {
  const value = ts.isParenthesizedExpression(expression) ? expression.expression : expression;
  if (ts.isIdentifier(value)) return true;
  return ts.isPropertyAccessExpression(value) && (value.expression.kind === SyntaxKind.ThisKeyword || ts.isIdentifier(value.expression));
}

/** `!x`, `x == null`, `x === undefined`, `!x || …`, `!x && …`, `typeof x === 'undefined'` for the target's text. */
function testsAbsence(condition: ts.Expression, target: string): boolean {
  let value = condition;
  while (ts.isParenthesizedExpression(value)) value = value.expression;
  const isTarget = (node: ts.Node): boolean => node.getText().replace(/\s+/g, '') === target;
  if (ts.isPrefixUnaryExpression(value) && value.operator === SyntaxKind.ExclamationToken) return isTarget(value.operand);
  if (!ts.isBinaryExpression(value)) return false;
  const operator = value.operatorToken.kind;
  if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.AmpersandAmpersandToken) return testsAbsence(value.left, target) || testsAbsence(value.right, target);
  if (operator !== SyntaxKind.EqualsEqualsEqualsToken && operator !== SyntaxKind.EqualsEqualsToken) return false;
  const [tested, other] = isTarget(value.left) ? [value.left, value.right] : isTarget(value.right) ? [value.right, value.left] : [undefined, undefined];
  if (!tested || !other) return ts.isTypeOfExpression(value.left) && isTarget(value.left.expression) && ts.isStringLiteral(value.right) && value.right.text === 'undefined';
  return other.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined');
}

export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
}

/**
 * A file as messages name it: relative to the project root, also when it lies beside the root in the
 * same repository (`../../libraries/object-persistor/src/FSPersistor.js`, a workspace library a
 * service folder requires); the whole name when the two share no folder.
 */
export function displayRelative(root: string | undefined, fileName: string): string {
  const relative = relativeTo(root, fileName);
  if (!root || relative !== fileName.replace(/\\/g, '/') || !relative.startsWith('/')) return relative;
  const from = root.replace(/\\/g, '/').replace(/\/+$/, '').split('/');
  const to = relative.split('/');
  let shared = 0;
  while (shared < from.length && shared < to.length - 1 && from[shared] === to[shared]) shared++;
  // Only `/` in common: another tree, named whole.
  return shared <= 1 ? relative : [...from.slice(shared).map(() => '..'), ...to.slice(shared)].join('/');
}

