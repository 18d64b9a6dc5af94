import type * as ts from 'typescript';
import type { ProjectIndex } from './project-index/project-index';

/** Kebab-case rule id: names the core check, the ESLint rule, its docs page and its setting key. */
export type RuleId =
  | 'no-in-memory-session'
  | 'no-local-disk-write'
  | 'no-in-memory-counter'
  | 'no-blocking-request-work'
  | 'no-replica-read-after-write'
  | 'no-in-process-scheduler'
  | 'no-in-memory-pubsub'
  | 'no-in-process-lock'
  | 'no-process-local-cache';

/** A span of source text. Offsets are 0-based character offsets into the file's text. */
export interface Span {
  fileName: string;
  start: number;
  end: number;
}

/** One step of the route that reaches a hazard: registration → calls … → hazard. */
export interface PathStep extends Span {
  /** e.g. `POST /login`, `calls saveSession()`, `writes sessions`. */
  label: string;
}

/** A location shown beside the finding (LSP relatedInformation), e.g. each request-path write of a piece of state. */
export interface RelatedLocation extends Span {
  message: string;
}

export interface TextEdit extends Span {
  newText: string;
}

export interface FileToCreate {
  fileName: string;
  text: string;
}

export interface DependencyToAdd {
  name: string;
  version: string;
  dev?: boolean;
}

/**
 * A fix the user can apply. The ESLint adapter offers it as a suggestion only when every edit is
 * in the finding's own file and it creates no files; `dependencies` are then for the user to
 * install (the rule's docs say so), while the language server adds them to package.json.
 */
export interface FixPlan {
  /** camelCase message id of the fix, e.g. `sessionInMemoryMoveToRedis`. */
  messageId: string;
  data: Record<string, string>;
  /** The rendered message (the same template as the ESLint message). */
  message: string;
  edits: TextEdit[];
  createFiles: FileToCreate[];
  dependencies: DependencyToAdd[];
  /**
   * Statements of the original that the plan removes on purpose, each with why (a sweep made
   * obsolete by a TTL). The fix engine refuses a plan that drops any other statement.
   */
  removedStatements?: RemovedStatement[];
  /** Statements the plan rewrites into a different statement that does the same work (X → Y). */
  replacedStatements?: ReplacedStatement[];
  /** Set by the fix engine once the plan passed its checks: each declared removal or replacement, with its place and reason. */
  notes?: string[];
}

/** A statement of the original text that a plan removes, and why. */
export interface RemovedStatement extends Span {
  reason: string;
}

/** A statement of the original text that a plan replaces by `replacement` (which must be in the result), and why. */
export interface ReplacedStatement extends Span {
  replacement: string;
  reason: string;
}

export interface Finding extends Span {
  ruleId: RuleId;
  /** camelCase message id, e.g. `sessionInMemory`. */
  messageId: string;
  /** Placeholder values for the message template. */
  data: Record<string, string>;
  /** The rendered message. */
  message: string;
  /** Registration → … → hazard. Empty for hazards that are not reached through a route (e.g. middleware created with a memory store). */
  path: PathStep[];
  related: RelatedLocation[];
  fixes: FixPlan[];
}

/** Options shared by every rule: where requests enter and which files are never servers. */
export interface RequestPathSettings {
  /**
   * Extra callees that register request handlers, as `object.method` or `method` (e.g.
   * `api.register`, `addRoute`). Every function argument of such a call is a handler.
   */
  handlerCallees: string[];
  /** Glob patterns (relative to the project root, or matched against any path suffix) of files that never serve requests. */
  ignoreFiles: string[];
  /** How many calls deep to follow from a handler. */
  maxDepth: number;
}

export interface NoInMemorySessionOptions {
  /** Report session middleware that keeps sessions in process memory (express-session default store, MemoryStore, …). */
  checkSessionMiddleware: boolean;
  /** Names (or /regex/) of module state that is knowingly per instance and never reported. */
  allowNames: string[];
}

export interface NoLocalDiskWriteOptions {
  /** Allow writes under `os.tmpdir()` when the same handler removes the file again. */
  allowTempFiles: boolean;
  /** Report a database the web process keeps in a file of its own disk (SQLite, lowdb, node-json-db, NeDB with a filename, LevelDB). */
  checkEmbeddedDatabases: boolean;
  /** Report upload middleware configured to store on local disk (multer `dest`/`diskStorage`, formidable `uploadDir`, express-fileupload `useTempFiles`). */
  checkUploadMiddleware: boolean;
}

export interface NoInMemoryCounterOptions {
  /** Report rate limiters that count in process memory (express-rate-limit without a store, RateLimiterMemory, @nestjs/throttler without storage). */
  checkRateLimiters: boolean;
  /** Names (or /regex/) of counters that are knowingly per instance and never reported. */
  allowNames: string[];
}

export interface NoBlockingRequestWorkOptions {
  /** More slow calls a request should not wait for, as the imported function's module and name. */
  slowCalls: { module: string; name: string }[];
  /** Report slow awaited work (image/video processing, PDF rendering, e-mail), not only sync calls. */
  checkSlowCalls: boolean;
}

export interface NoReplicaReadAfterWriteOptions {
  /** Names (or /regex/) of database clients that read from a replica; every query on them is a replica read. */
  replicaClients: string[];
  /** Names (or /regex/) of database clients that write to the primary; the first plain name is what the fix switches to. */
  primaryClients: string[];
}

export interface NoInProcessSchedulerOptions {
  /** Calls that only touch this process (names, `object.method` or /regex/): a job making only such calls is not reported. */
  localOnlyCallees: string[];
  /** Calls that do work that must happen once, beyond the built-in ones (names, `object.method` or /regex/). */
  sharedWorkCallees: string[];
  /** Report `setInterval` and self-rescheduling `setTimeout` loops, not only scheduler libraries. */
  checkTimers: boolean;
}

export interface NoInMemoryPubsubOptions {
  /** Report socket.io servers and NestJS socket.io gateways that broadcast on a request path without an adapter. */
  checkServers: boolean;
  /** Names (or /regex/) of client lists and event emitters that are knowingly per instance and never reported. */
  allowNames: string[];
}

export interface NoInProcessLockOptions {
  /** Report lock libraries (async-mutex, async-lock, p-limit/p-queue/Bottleneck with a limit of one) used on a request path. */
  checkLibraries: boolean;
  /** Names (or /regex/) of locks that knowingly guard only this process's own resources. */
  allowNames: string[];
}

export interface NoProcessLocalCacheOptions {
  /** Caches whose entries expire within this many seconds are knowingly stale and not reported. */
  maxStalenessSeconds: number;
  /** Report cache libraries (lru-cache, node-cache, memory-cache) filled on a request path. */
  checkLibraries: boolean;
  /** Names (or /regex/) of caches that are knowingly per instance and never reported. */
  allowNames: string[];
}

export interface RuleOptionsMap {
  'no-in-memory-session': NoInMemorySessionOptions;
  'no-local-disk-write': NoLocalDiskWriteOptions;
  'no-in-memory-counter': NoInMemoryCounterOptions;
  'no-blocking-request-work': NoBlockingRequestWorkOptions;
  'no-replica-read-after-write': NoReplicaReadAfterWriteOptions;
  'no-in-process-scheduler': NoInProcessSchedulerOptions;
  'no-in-memory-pubsub': NoInMemoryPubsubOptions;
  'no-in-process-lock': NoInProcessLockOptions;
  'no-process-local-cache': NoProcessLocalCacheOptions;
}

/** The project-level configuration: `stateless.config.json`, or the `"stateless"` key of package.json. */
export interface StatelessConfig {
  requestPath: RequestPathSettings;
  /** Folder (relative to the project root) where fixes generate adapter modules. */
  adapterDir: string;
  rules: { [K in RuleId]: RuleOptionsMap[K] };
}

/** Partial user input of the configuration, as written in a config file or ESLint settings. */
export interface StatelessConfigInput {
  requestPath?: Partial<RequestPathSettings>;
  adapterDir?: string;
  rules?: { [K in RuleId]?: Partial<RuleOptionsMap[K]> };
}

export interface AnalyzeOptions {
  /** With a program, handlers and helpers are resolved across files with the type checker. */
  program?: ts.Program;
  config?: StatelessConfig;
  /** Only run these rules (default: all). */
  rules?: readonly RuleId[];
  /**
   * The project root that file paths are judged against (tests, scripts, `ignoreFiles`, Next.js
   * routes). Default: the folder of the nearest `stateless.config.json` or package.json.
   */
  projectRoot?: string;
  /**
   * Without a program: the project index (`projectIndexFor(root)`) that follows imports, exports
   * and `require` across the project's files by syntax, so routes in one file reach handlers and
   * state in others. The analysed file is looked up in it by name and text.
   */
  projectIndex?: ProjectIndex;
}
