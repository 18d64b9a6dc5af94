import ts = require('typescript');
import type { AnalyzeOptions, Finding, RuleId, StatelessConfig } from '../types';
import { defaultConfig, loadProjectConfig } from '../config';
import { ruleDefinitions } from '../rules';
import { createFinding, type AnalysisContext, type ReportDescriptor } from './context';
import { getFileFacts } from './file-facts';
import { collectImports, type ImportBinding } from './imports';
import { ENTRY_PATH, ENTRY_TEXT, SERVER_START_TEXT } from './entry-text';
import { mayBeStorageBackend } from './storage-backends';
import { isIgnoredSourceFile, relativeTo } from './paths';
import { buildRequestGraph, type RequestGraph } from './request-graph';
import type { ProjectIndex } from '../project-index/project-index';

/** Larger files are analysed too, but nothing larger than this (generated bundles, minified code). */
const MAX_FILE_LENGTH = 5_000_000;

const resultCache = new WeakMap<ts.SourceFile, { program: ts.Program | undefined; config: StatelessConfig; rules: string; generation: number; findings: Finding[] }[]>();
let sharedDefaultConfig: StatelessConfig | undefined;

/**
 * Every finding in one file. With a program, request paths are followed across files by the type
 * checker; without one, by the project index when one is given. Never throws: a file it cannot make
 * sense of gives fewer findings. Cached per SourceFile, program, config object and index generation,
 * so several ESLint rules on one file analyse it once.
 */
export function analyzeSourceFile(given: ts.SourceFile, options: AnalyzeOptions = {}): Finding[] {
  const config = options.config ?? (sharedDefaultConfig ??= defaultConfig());
  const rules = options.rules ? [...options.rules].sort().join(',') : '*';
  const index = options.program ? undefined : options.projectIndex;
  let sourceFile = given;
  try {
    // The index's own AST of this file (same text), so the graph and this analysis share nodes.
    if (index) sourceFile = index.adopt(given);
  } catch {
    sourceFile = given;
  }
  const generation = index?.generation ?? -1;
  const cached = resultCache.get(sourceFile)?.find((entry) => entry.program === options.program && entry.config === config && entry.rules === rules && entry.generation === generation);
  if (cached) return cached.findings;
  let findings: Finding[];
  try {
    findings = runRules(sourceFile, options.program, config, options.rules, options.projectRoot, index);
  } catch {
    findings = [];
  }
  const list = resultCache.get(sourceFile) ?? [];
  list.push({ program: options.program, config, rules, generation, findings });
  if (list.length > 8) list.shift();
  resultCache.set(sourceFile, list);
  return findings;
}

/** The request graph the analysis of this file uses (for hover, reports and tests). */
export function getRequestGraph(sourceFile: ts.SourceFile, options: AnalyzeOptions = {}): RequestGraph {
  const config = options.config ?? (sharedDefaultConfig ??= defaultConfig());
  const index = options.program ? undefined : options.projectIndex;
  const file = index ? index.adopt(sourceFile) : sourceFile;
  return buildRequestGraph(file, options.program, config.requestPath, projectRootOf(file, options), index);
}

function projectRootOf(sourceFile: ts.SourceFile, options: AnalyzeOptions): string | undefined {
  if (options.projectRoot !== undefined) return options.projectRoot;
  const fileName = sourceFile.fileName.replace(/\\/g, '/');
  const slash = fileName.lastIndexOf('/');
  if (slash <= 0) return undefined;
  try {
    return loadProjectConfig(fileName.slice(0, slash)).rootDir;
  } catch {
    return undefined;
  }
}

/**
 * Without a program, findings need a request handler in this very file or (with a project index) in
 * a file that imports it, or a session or upload library imported by it. Most files (types, constants, utilities, components, tests) have
 * neither: a look at the path, the imports and the text settles that without walking the tree.
 */
function cannotHaveFindings(sourceFile: ts.SourceFile, relativePath: string, config: StatelessConfig, index: ProjectIndex | undefined): boolean {
  if (isIgnoredSourceFile(sourceFile, relativePath, config.requestPath.ignoreFiles)) return true;
  if (config.requestPath.handlerCallees.length > 0 || ENTRY_PATH.test(relativePath) || ENTRY_TEXT.test(sourceFile.text) || startsSchedulesWithoutRoutes(sourceFile.text, relativePath)) return false;
  // A file that another file able to register handlers imports (directly or not) may be on its request path.
  if (index?.hasServingImporter(sourceFile.fileName)) return false;
  // A module a route loader may list in its folder and load at start-up: it may export a route's handler.
  if (index?.mayBeLoadedFromFolder(sourceFile.fileName)) return false;
  // A global namespace, or a module it may hold (`WIKI.models = require('./db')`): handlers reach them through the namespace.
  if (index?.mayFeedGlobalNamespace(sourceFile.fileName)) return false;
  // An AdonisJS controller: routes name its methods by a string (`Route.get('me', 'UserController.me')`), which no import says.
  if (index && ADONIS_CONTROLLER_PATH.test(relativePath) && /\bexport\s+default\b/.test(sourceFile.text)) return false;
  // A storage backend picked by configuration (a DI token, `require('./stores/' + type)`): requests reach it through its interface.
  if (index && mayBeStorageBackend(sourceFile)) return false;
  // A Fastify plugin's decoration (`fastify.decorate('email', mailer)`): routes reach its members through the instance.
  if (index && FASTIFY_DECORATION_TEXT.test(sourceFile.text)) return false;
  // A worker thread's file (`parentPort`, `workerData`): a route may start it by its path (`new Worker(file)`), which no import says.
  if (index && WORKER_FILE_TEXT.test(sourceFile.text)) return false;
  const imports = new Map<string, ImportBinding>();
  for (const statement of sourceFile.statements) collectImports(sourceFile, imports, statement);
  for (const binding of imports.values()) if (MIDDLEWARE_MODULES.has(binding.module)) return false;
  // require() inside a function, or an import the table above cannot see
  return !/require\s*\(|import\s*\(/.test(sourceFile.text) || !MIDDLEWARE_TEXT.test(sourceFile.text);
}

/** Where AdonisJS keeps the controllers its routes name by string (`app/Controllers/Http`, v6's `app/controllers`). */
const ADONIS_CONTROLLER_PATH = /(?:^|\/)app\/[Cc]ontrollers\//;
/** What a worker thread's own file reads of `worker_threads`. */
const WORKER_FILE_TEXT = /\b(?:parentPort|workerData)\b/;
const FASTIFY_DECORATION_TEXT = /\.decorate(?:Request|Reply)?\s*\(\s*['"`]/;

/** Timers and scheduler libraries (no-in-process-scheduler): a server file may start them without any route. */
const SCHEDULER_TEXT = /\bset(?:Interval|Timeout)\b|['"](?:node-cron|cron|node-schedule|toad-scheduler|@fastify\/schedule|@nestjs\/schedule|bree|croner)['"]/;

function startsSchedulesWithoutRoutes(text: string, relativePath: string): boolean {
  return (SERVER_START_TEXT.test(text) || /(?:^|\/)instrumentation\.[cm]?[jt]s$/.test(relativePath)) && SCHEDULER_TEXT.test(text);
}
/** Libraries whose configuration alone is a finding (session stores, upload storage, rate limiters). */
const MIDDLEWARE_MODULES = new Set([
  'express-session', 'memorystore', '@fastify/session', 'fastify-session', 'multer', 'fastify-multer', '@koa/multer', 'koa-multer', 'formidable', 'koa-body', 'express-fileupload',
  '@nestjs/platform-express', 'express-rate-limit', 'express-slow-down', 'rate-limiter-flexible', '@nestjs/throttler',
  '@fastify/rate-limit', 'fastify-rate-limit', 'koa-ratelimit', 'connect-ratelimit', 'limiter',
  'graphql-subscriptions', 'graphql-yoga', '@graphql-yoga/subscription', '@graphql-yoga/node', 'mercurius',
  'graphql-rate-limit-directive', 'graphql-rate-limit',
  'chainpad-server', 'sharedb', '@hocuspocus/server', 'y-websocket/bin/utils', 'y-websocket/bin/utils.cjs', '@y/websocket-server/utils',
  'apollo-server', 'apollo-server-express', 'apollo-server-koa', 'apollo-server-fastify', 'apollo-server-hapi',
  'ioredis-mock', 'redis-mock', 'fakeredis', 'jquery-file-upload-middleware', 'multiparty', 'connect-multiparty',
  '@tus/file-store', 'tus-node-server', '@ioc:Adonis/Lucid/Database', '@adonisjs/lucid',
]);
const MIDDLEWARE_TEXT = /express-session|memorystore|fastify-session|@fastify\/session|multer|formidable|koa-body|express-fileupload|platform-express|rate-limit|ratelimit|slow-down|rate-limiter-flexible|throttler|['"]limiter['"]|graphql-subscriptions|graphql-yoga|mercurius|apollo-server|chainpad-server|sharedb|@hocuspocus\/server|websocket-server\/utils|y-websocket\/bin\/utils|redis-mock|fakeredis|multiparty|jquery-file-upload|@tus\/file-store|tus-node-server|Adonis\/Lucid|@adonisjs\/lucid/;

function runRules(sourceFile: ts.SourceFile, program: ts.Program | undefined, config: StatelessConfig, only: readonly RuleId[] | undefined, projectRoot: string | undefined, index: ProjectIndex | undefined): Finding[] {
  if (sourceFile.text.length > MAX_FILE_LENGTH) return [];
  // A program that does not contain this very SourceFile object (e.g. an editor buffer newer than the program) cannot resolve its nodes.
  const usableProgram = program && program.getSourceFile(sourceFile.fileName) === sourceFile ? program : undefined;
  const root = projectRootOf(sourceFile, { projectRoot });
  if (!usableProgram && cannotHaveFindings(sourceFile, relativeTo(root, sourceFile.fileName), config, index)) return [];
  const graph = buildRequestGraph(sourceFile, usableProgram, config.requestPath, root, usableProgram ? undefined : index);
  const findings: Finding[] = [];
  for (const definition of ruleDefinitions) {
    if (only && !only.includes(definition.id)) continue;
    const context: AnalysisContext = {
      sourceFile,
      program: usableProgram,
      config,
      facts: getFileFacts(sourceFile),
      graph,
      isIgnoredFile: graph.isIgnoredFile(sourceFile),
      report: (descriptor: ReportDescriptor) => findings.push(createFinding(descriptor, definition.messages)),
    };
    try {
      definition.check(context, config.rules[definition.id]);
    } catch {
      // One rule failing on odd code must not take the others' findings with it.
    }
  }
  return findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
}
