import * as fs from 'node:fs';
import ts = require('typescript');
import type { DependencyToAdd, Finding, FixPlan, RuleId, StatelessConfig } from './types';
import { analyzeSourceFile } from './analysis/analyze';
import { ModuleResolver } from './project-index/module-resolution';
import { MAX_FILE_SIZE } from './project-index/project-index';
import { listSourceFiles } from './project-index/file-list';
import { moduleSpecifiers } from './project-index/import-scan';
import { moduleFileOf } from './analysis/resolution-cache';
import { SERVER_START_TEXT } from './analysis/entry-text';
import { withWorkspacePresets } from './project-index/workspace-presets';
import { extendsMissingSvelteKitBase, withoutMissingSvelteKitBase } from './project-index/compiler-paths';
import { loadProjectConfig, resolveConfig } from './config';
import { planFixes } from './fixes';
import { errorsOf, firstNewError, isUninstalledDependency, typeScriptResolvesFrom, type FileError } from './fixes/type-check';
import { admitsMajor, manifestOf, owningPackageRoot, usedPackageVersion } from './fixes/installed-packages';
import { isSharedDeclaration, sharedDeclaration } from './shared-declarations';

/** Compiler options for a JavaScript project (a jsconfig.json, or no config at all), as editors assume them. */
const JAVASCRIPT_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  jsx: ts.JsxEmit.Preserve,
  allowSyntheticDefaultImports: true,
  maxNodeModuleJsDepth: 0,
  skipLibCheck: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
};
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Whether a file on disk is larger than any source file the analysis reads. */
function isOversized(fileName: string): boolean {
  try {
    return fs.statSync(fileName).size > MAX_FILE_SIZE;
  } catch {
    return false;
  }
}

const NOT_SOURCE = ['**/node_modules', '**/dist', '**/build', '**/out', '**/coverage', '**/.next', '**/.nuxt', '**/.turbo', '**/.cache'];

/**
 * The compiler config of a project folder: its own tsconfig.json, else its jsconfig.json (a
 * JavaScript project, e.g. Next.js), else the nearest tsconfig.json or jsconfig.json above it that
 * includes its files (as TypeScript's editor support finds a file's project): a folder of a
 * JavaScript service's modules (`server/lib`) is analysed with the entry module that starts them.
 */
export function findCompilerConfig(rootDir: string): string | undefined {
  const root = rootDir.replace(/\\/g, '/').replace(/\/+$/, '');
  for (const name of ['tsconfig.json', 'jsconfig.json']) if (ts.sys.fileExists(`${root}/${name}`)) return `${root}/${name}`;
  const found = ['tsconfig.json', 'jsconfig.json'].map((name) => ts.findConfigFile(root, (fileName) => ts.sys.fileExists(fileName), name)).filter((name): name is string => name !== undefined);
  // The nearest; a tsconfig.json beside a jsconfig.json wins, as TypeScript's editor support has it.
  const above = found.sort((a, b) => b.lastIndexOf('/') - a.lastIndexOf('/'))[0];
  if (!above) return undefined;
  return configFileNames(above).some((fileName) => fileName.startsWith(`${root}/`)) ? above : undefined;
}

/** Folders below a checkout's root that hold no service of their own: dependencies, build output, tests, tooling. */
const NOT_A_SERVICE_FOLDER = /^(?:node_modules|dist|build|out|coverage|tmp|\..*|tests?|__tests__|e2e|cypress|playwright|docs?|examples?|fixtures|scripts|storybook|stories)$/i;

/** How deep below the root a project of its own is looked for (`apps/api`, `packages/server/src` is too deep to matter). */
const NESTED_PROJECT_DEPTH = 3;

/**
 * The projects of their own below a checkout's root project: a folder with a tsconfig.json or
 * jsconfig.json none of whose files the root's config lists (a service in `server/` with its own
 * tsconfig beside the Next.js front end the root's tsconfig compiles), or a folder with no config
 * whose files start a server none of which the root's config lists (a JavaScript service in
 * `server/` beside a Vite front end's tsconfig). `stateless report .` there would otherwise say
 * nothing about the service. The outermost such folder is the project; tests,
 * examples, scripts and build output are not looked into.
 */
export function nestedProjects(root: Project): Project[] {
  const listed = new Set(root.rootFileNames());
  const found: Project[] = [];
  const visit = (folder: string, depth: number): void => {
    for (const name of [...ts.sys.getDirectories(folder)].sort()) {
      if (NOT_A_SERVICE_FOLDER.test(name)) continue;
      const child = `${folder}/${name}`;
      const config = ['tsconfig.json', 'jsconfig.json'].map((name) => `${child}/${name}`).find((name) => ts.sys.fileExists(name));
      // Its own files: a config that also takes in a folder the root lists (`../shared`) is still a project of its own.
      const files = config ? configFileNames(config).filter((fileName) => fileName.startsWith(`${child}/`) && !fileName.includes('/node_modules/')) : [];
      if (files.length > 0 && !files.some((fileName) => listed.has(fileName))) {
        // Rooted at the checkout: its config and workspaces apply, and messages name files as the report does.
        found.push(new Project(root.rootDir, config));
        continue;
      }
      // A JavaScript service with no config at all (`server/` beside the front end the root's tsconfig compiles): its folder is the project.
      if (!config && holdsServerOfItsOwn(child, listed)) {
        found.push(new Project(child));
        continue;
      }
      if (depth < NESTED_PROJECT_DEPTH) visit(child, depth + 1);
    }
  };
  visit(root.rootDir, 1);
  return found;
}

/** A server framework, or Node's own server, imported or required. */
const SERVER_MODULE_TEXT = /(?:\brequire\s*\(\s*|\bfrom\s*|\bimport\s*\(\s*)['"`](?:node:)?(?:https?|http2|express|fastify|koa|hono|@hono\/node-server|@nestjs\/core|socket\.io|ws|restify|@hapi\/hapi|polka|micro)['"`]/;

/** Beyond this many files a folder without a config is not read for a server (a folder of data or generated code). */
const MAX_SERVICE_FOLDER_FILES = 5_000;

/**
 * Whether a folder with no compiler config holds a service none of whose files the root's config
 * lists: one of its files starts a server (`app.listen(port)`) and one imports a server framework
 * or Node's `http`. A front end's sources, scripts and data folders start none.
 */
function holdsServerOfItsOwn(folder: string, listed: ReadonlySet<string>): boolean {
  const files = listSourceFiles(folder).filter((fileName) => !/\.d\.[cm]?ts$/.test(fileName));
  if (files.length === 0 || files.length > MAX_SERVICE_FOLDER_FILES || files.some((fileName) => listed.has(fileName))) return false;
  let starts = false;
  let imports = false;
  for (const fileName of files) {
    if (isOversized(fileName)) continue;
    const text = ts.sys.readFile(fileName) ?? '';
    starts ||= SERVER_START_TEXT.test(text);
    imports ||= SERVER_MODULE_TEXT.test(text);
    if (starts && imports) return true;
  }
  return false;
}

/** The files a tsconfig.json or jsconfig.json (with JavaScript defaults) lists; none when it cannot be read. */
function configFileNames(configFile: string): string[] {
  try {
    const existing = configFile.endsWith('/jsconfig.json') ? { allowJs: true } : undefined;
    return ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, (name) => ts.sys.readFile(name)).config ?? {}, ts.sys, configFile.replace(/\/[^/]*$/, ''), existing).fileNames;
  } catch {
    return [];
  }
}

/** References of a solution-style tsconfig that hold tests, stories or end-to-end suites, not the service. */
const TEST_REFERENCE = /(^|[./-])(spec|test|tests|e2e|cypress|storybook|stories)([./-]|$)/i;

/**
 * A solution-style tsconfig (`"files": []` and `references`, as Nx and `tsc --init` monorepos write
 * them) holds no files itself: its referenced configs do (`tsconfig.app.json`; the spec and e2e
 * configs are left out when another one is there), with the first one's compiler options. Other configs are returned as they are.
 */
function solutionMember(parsed: ts.ParsedCommandLine, parse: (configFile: string) => ts.ParsedCommandLine): ts.ParsedCommandLine {
  const references = parsed.projectReferences ?? [];
  if (parsed.fileNames.length > 0 || references.length === 0) return parsed;
  const configs = references.map((reference) => (/\.json$/.test(reference.path) ? reference.path : `${reference.path}/tsconfig.json`).replace(/\\/g, '/'));
  const service = configs.filter((config) => !TEST_REFERENCE.test(config.replace(/^.*\//, '')));
  let result: ts.ParsedCommandLine | undefined;
  for (const config of service.length > 0 ? service : configs) {
    try {
      const member = parse(config);
      if (member.fileNames.length === 0) continue;
      // The first member's options; every member's files.
      if (!result) result = member;
      else result = { ...result, fileNames: [...new Set([...result.fileNames, ...member.fileNames])] };
    } catch {
      // An unreadable reference holds nothing we can analyse.
    }
  }
  if (result) return result;
  return parsed;
}

interface CompilerSetup {
  /** The compiler config's text it was made from (undefined: no config). */
  configText: string | undefined;
  fileNames: string[];
  options: ts.CompilerOptions;
  host: ts.CompilerHost;
}

/** A TypeScript or JavaScript project on disk, seen through in-memory edits (nothing is written until the caller writes `changedFiles`). */
export class Project {
  private readonly overlay = new Map<string, string>();
  private program: ts.Program | undefined;
  /** The program the next one is built from (the current one, or the last one before the latest edits): its unchanged files are reused. */
  private basis: ts.Program | undefined;
  private readonly errorCache = new WeakMap<ts.Program, { typed?: FileError[]; syntax?: FileError[] }>();
  /**
   * Every file parsed so far, by name and parse options: a program after an edit takes the unchanged
   * ones as they are (TypeScript then reuses their binding and the analysis its answers about them).
   */
  private readonly parsed = new Map<string, ts.SourceFile>();
  private parsedCount = 0;
  /** Per program, its type errors so far: files no edit can have affected keep their errors from the program before. */
  private readonly checked = new WeakMap<ts.Program, ts.SemanticDiagnosticsBuilderProgram>();
  /** The check the next program's check starts from: the latest one, or the one of a program taken back to. */
  private checkedBefore: ts.SemanticDiagnosticsBuilderProgram | undefined;
  private setup: CompilerSetup | undefined;
  readonly rootDir: string;
  readonly config: StatelessConfig;
  /** The `stateless.config.json` (or package.json) the configuration came from, if any. */
  readonly configFile: string | undefined;
  /** What was wrong with that configuration (the rest of it applies, the defaults replace the wrong parts). */
  readonly configProblems: readonly string[];

  constructor(rootDir: string, private readonly tsconfig: string | undefined = findCompilerConfig(rootDir)) {
    this.rootDir = rootDir.replace(/\\/g, '/').replace(/\/+$/, '');
    const loaded = loadProjectConfig(this.rootDir);
    const problems = [...loaded.problems];
    this.config = resolveConfig([loaded.input], problems);
    this.configFile = loaded.configFile;
    this.configProblems = problems;
  }

  /** The compiler options the project's programs use (`allowJs` set when a tsconfig leaves it unset over a JavaScript service). */
  get compilerOptions(): ts.CompilerOptions {
    return this.compilerSetup().options;
  }

  /** The program over the current texts (rebuilt after edits, reusing the files that did not change). */
  getProgram(): ts.Program {
    if (this.program) return this.program;
    const { fileNames, options, host } = this.compilerSetup();
    // Files a fix created are part of the program (JavaScript ones when the program has JavaScript).
    // (Only its own: another project of the checkout may have handed over the adapters it created.)
    const own = this.tsconfig ? this.tsconfig.slice(0, this.tsconfig.lastIndexOf('/')) : this.rootDir;
    const created = [...this.overlay.keys()].filter((name) => name.startsWith(`${own}/`) && (/\.[cm]?tsx?$/.test(name) || (options.allowJs === true && /\.[cm]?jsx?$/.test(name))) && !fileNames.includes(name));
    this.program = ts.createProgram({ rootNames: [...fileNames, ...created], options, host, oldProgram: this.basis });
    this.basis = this.program;
    return this.program;
  }

  /**
   * The file names, options and compiler host, made again only when the compiler config's text
   * changes: one options object for every program of the project, which is how the analysis knows a
   * program for the successor of the one before.
   */
  private compilerSetup(): CompilerSetup {
    const configText = this.tsconfig === undefined ? undefined : this.read(this.tsconfig);
    if (this.setup && this.setup.configText === configText) return this.setup;
    let fileNames: string[];
    let options: ts.CompilerOptions;
    if (this.tsconfig) {
      // jsconfig.json is a tsconfig with JavaScript defaults (allowJs), as TypeScript's editor support reads it.
      const isJsConfig = this.tsconfig.endsWith('/jsconfig.json');
      let parsed = solutionMember(this.parseConfig(this.tsconfig, isJsConfig ? JAVASCRIPT_OPTIONS : undefined), (config) => this.parseConfig(config, undefined));
      if (!isJsConfig && parsed.options.allowJs === undefined) parsed = this.javaScriptFirst(this.tsconfig, parsed) ?? parsed;
      fileNames = parsed.fileNames.filter((fileName) => !NOT_SOURCE.some((folder) => fileName.includes(`/${folder.slice(3)}/`)));
      // A config that names no file (`"files": []` without references: the base that uptime-kuma's
      // other configs extend) says nothing of the project's files: every source file is, as without one.
      if (fileNames.length === 0) {
        fileNames = ts.sys.readDirectory(this.rootDir, SOURCE_EXTENSIONS, NOT_SOURCE, undefined);
        parsed = { ...parsed, options: { ...JAVASCRIPT_OPTIONS, ...parsed.options, allowJs: true, checkJs: false } };
      }
      // An import that resolves to a `.tsx` file is dropped from the program when `jsx` is unset (a
      // config whose `extends` names a package not installed loses it): the analysis emits nothing.
      options = { ...parsed.options, noEmit: true, jsx: parsed.options.jsx ?? ts.JsxEmit.Preserve };
      // A SvelteKit checkout before `svelte-kit sync` resolves as Vite does (extensionless ES module imports).
      if (extendsMissingSvelteKitBase(this.tsconfig, (name) => this.read(name))) options = { ...options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    } else {
      fileNames = ts.sys.readDirectory(this.rootDir, SOURCE_EXTENSIONS, NOT_SOURCE, undefined);
      options = { ...JAVASCRIPT_OPTIONS, noEmit: true };
    }
    // A bundle or generated file of megabytes (an emscripten worker, a vendored player in `www/js`) is
    // no service code, and checking it would take the program minutes: left out, as the project index leaves it.
    fileNames = fileNames.filter((fileName) => this.overlay.has(fileName) || !isOversized(fileName));
    const host = ts.createCompilerHost(options, true);
    this.resolveUninstalledWorkspaces(host, options);
    host.readFile = (name) => this.read(name);
    host.fileExists = (name) => this.overlay.has(name) || ts.sys.fileExists(name);
    // Module resolution looks into a folder only when it exists: a fix's new folder does in the overlay.
    host.directoryExists = (name) => ts.sys.directoryExists(name) || [...this.overlay.keys()].some((file) => file.startsWith(`${name.replace(/\/+$/, '')}/`));
    host.getSourceFile = (name, languageVersion, onError) => {
      const text = this.read(name);
      if (text === undefined) {
        onError?.(`cannot read ${name}`);
        return undefined;
      }
      const key = typeof languageVersion === 'object' ? `${name}\u0000${languageVersion.languageVersion}\u0000${languageVersion.impliedNodeFormat ?? ''}\u0000${languageVersion.jsDocParsingMode ?? ''}` : `${name}\u0000${languageVersion}`;
      if (isSharedDeclaration(name)) return sharedDeclaration(key, name, text, languageVersion);
      const known = this.parsed.get(key);
      if (known?.text === text) return known;
      const file = ts.createSourceFile(name, text, languageVersion, true);
      // The version TypeScript's incremental checking compares (`checked`): a new one for each new text.
      (file as ts.SourceFile & { version: string }).version = String(++this.parsedCount);
      this.parsed.set(key, file);
      return file;
    };
    this.setup = { configText, fileNames, options, host };
    return this.setup;
  }

  /**
   * A monorepo checked out without its dependencies installed (a CI step before the install, a
   * fresh clone): TypeScript finds the workspace's own packages (`@shop/db`) through the
   * `node_modules` links an install makes, so without them the service's imports of its sibling
   * packages resolve to nothing and their code is not analysed. An import TypeScript cannot
   * resolve is looked up among the workspace's packages by their manifests, as the link would.
   */
  private resolveUninstalledWorkspaces(host: ts.CompilerHost, options: ts.CompilerOptions): void {
    const workspaces = new ModuleResolver(this.rootDir);
    const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (name) => host.getCanonicalFileName(name), options);
    // TypeScript reads each file's package scope (its module format under NodeNext) through the cache's
    // package.json store: without it, every program a fix checks read the manifests of node_modules again.
    host.getModuleResolutionCache = () => cache;
    host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, compilerOptions, containingSourceFile) =>
      literals.map((literal) => {
        const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
        const resolved = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirectedReference, mode);
        if (resolved.resolvedModule) return resolved;
        const fileName = workspaces.resolveWorkspaceImport(literal.text);
        if (!fileName) return resolved;
        return { resolvedModule: { resolvedFileName: fileName, extension: extensionOf(fileName), isExternalLibraryImport: false } };
      });
  }

  /**
   * A tsconfig.json that leaves `allowJs` unset in a repository whose service is JavaScript (a
   * `{}` config kept for a few typed scripts, or for editor settings): TypeScript would compile
   * only the `.ts` files, and the JavaScript server would go unanalysed. When the config's own
   * patterns match more JavaScript sources (not the output of a `.ts` twin) than TypeScript ones,
   * the JavaScript is read too, as a jsconfig would. An explicit `allowJs: false` is kept.
   */
  private javaScriptFirst(configFile: string, parsed: ts.ParsedCommandLine): ts.ParsedCommandLine | undefined {
    const withJs = solutionMember(this.parseConfig(configFile, { allowJs: true, checkJs: false }), (config) => this.parseConfig(config, { allowJs: true, checkJs: false }));
    const typescript = new Set(parsed.fileNames.filter((fileName) => !fileName.endsWith('.d.ts')));
    const javascript = withJs.fileNames.filter(
      (fileName) => /\.[cm]?jsx?$/.test(fileName) && !NOT_SOURCE.some((folder) => fileName.includes(`/${folder.slice(3)}/`)) && ![`.ts`, `.tsx`].some((extension) => typescript.has(fileName.replace(/\.[cm]?jsx?$/, extension))),
    );
    return javascript.length > typescript.size ? withJs : undefined;
  }

  private parseConfig(configFile: string, defaults: ts.CompilerOptions | undefined): ts.ParsedCommandLine {
    const configDir = configFile.replace(/\/[^/]*$/, '');
    // A preset a workspace package keeps is read where the workspace keeps it, as an install would link it.
    return ts.parseJsonConfigFileContent(withoutMissingSvelteKitBase(configFile, ts.readConfigFile(configFile, (name) => this.read(name)).config ?? {}), withWorkspacePresets(configFile, { ...ts.sys, readFile: (name: string) => this.read(name) }), configDir, defaults, configFile);
  }

  /** A file name as messages show it: relative to the project root. */
  relative(fileName: string): string {
    return fileName.startsWith(`${this.rootDir}/`) ? fileName.slice(this.rootDir.length + 1) : fileName;
  }

  read(fileName: string): string | undefined {
    return this.overlay.get(fileName) ?? ts.sys.readFile(fileName);
  }

  /** The project's own source files (no declarations, no node_modules). */
  sourceFiles(): ts.SourceFile[] {
    const program = this.getProgram();
    return program.getSourceFiles().filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && !file.fileName.includes('/node_modules/'));
  }

  /**
   * The files a folder of the project serves from, when the config above it also compiles its
   * siblings (`backend/apps/selfhosted` beside `backend/apps/production`): every file but those of the
   * sibling folders that the folder's files do not import, directly or through others. Files further
   * away (`libs/`, `packages/`, reached through workspace packages the walk does not follow) stay.
   * Undefined when every file of the program is in the folder.
   */
  filesServedFrom(folder: string): ReadonlySet<string> | undefined {
    const program = this.getProgram();
    const prefix = `${folder.replace(/\\/g, '/').replace(/\/+$/, '')}/`;
    const files = this.sourceFiles();
    if (files.every((file) => file.fileName.startsWith(prefix))) return undefined;
    const parent = `${prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/'))}/`;
    const own = new Set(files.map((file) => file.fileName));
    const served = new Set<string>();
    const pending = files.filter((file) => file.fileName.startsWith(prefix));
    for (let file = pending.pop(); file; file = pending.pop()) {
      if (served.has(file.fileName)) continue;
      served.add(file.fileName);
      for (const specifier of moduleSpecifiers(file.text)) {
        const imported = moduleFileOf(program, file.fileName, specifier);
        if (imported && own.has(imported.fileName) && !served.has(imported.fileName)) pending.push(imported);
      }
    }
    return new Set(files.filter((file) => served.has(file.fileName) || !file.fileName.startsWith(parent)).map((file) => file.fileName));
  }

  /** The findings of the project's files (of `only` among them, when given: the program is the whole project's still). */
  analyze(rules?: readonly RuleId[], only?: ReadonlySet<string>): { file: ts.SourceFile; finding: Finding }[] {
    const program = this.getProgram();
    return this.sourceFiles().filter((file) => !only || only.has(file.fileName)).flatMap((file) => analyzeSourceFile(file, { program, config: this.config, rules, projectRoot: this.rootDir }).map((finding) => ({ file, finding })));
  }

  /** Whether the project is TypeScript: a tsconfig, and the `typescript` package resolvable from its root. */
  hasTypeScript(): boolean {
    return this.tsconfig !== undefined && typeScriptResolvesFrom(this.rootDir);
  }

  /**
   * The errors of the project's own files in the current texts: syntax errors always, type errors
   * with `typeCheck` (computed once per program).
   */
  errors(typeCheck: boolean): FileError[] {
    const program = this.getProgram();
    const cacheKey = typeCheck ? 'typed' : 'syntax';
    const cached = this.errorCache.get(program)?.[cacheKey];
    if (cached) return cached;
    const semantic = typeCheck ? this.semanticDiagnostics(program) : undefined;
    const errors = this.sourceFiles().flatMap((file) => errorsOf(program, file, typeCheck, (fileName) => this.relative(fileName), semantic));
    this.errorCache.set(program, { ...this.errorCache.get(program), [cacheKey]: errors });
    return errors;
  }

  /**
   * The type errors of a program's own files, checked again only where an edit can have changed them:
   * the edited files, and the files depending on one whose declarations changed (TypeScript's
   * incremental builder, over the program this one was built from). Declaration files are not checked.
   */
  private semanticDiagnostics(program: ts.Program): (file: ts.SourceFile) => readonly ts.Diagnostic[] {
    let builder = this.checked.get(program);
    if (!builder) {
      builder = ts.createSemanticDiagnosticsBuilderProgram(program, { createHash: (data) => ts.sys.createHash?.(data) ?? data }, this.checkedBefore);
      const ignored = (file: ts.SourceFile): boolean => file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || file.fileName.includes('/node_modules/');
      while (builder.getSemanticDiagnosticsOfNextAffectedFile(undefined, ignored));
      this.checked.set(program, builder);
      this.checkedBefore = builder;
    }
    const checked = builder;
    return (file) => checked.getSemanticDiagnostics(file);
  }

  /** The in-memory state, to take a fix back with `restore`. */
  snapshot(): ProjectSnapshot {
    const overlay = new Map(this.overlay);
    return { overlay, program: this.program, read: (fileName) => overlay.get(fileName) ?? ts.sys.readFile(fileName) };
  }

  restore(snapshot: ProjectSnapshot): void {
    this.overlay.clear();
    for (const [fileName, text] of snapshot.overlay) this.overlay.set(fileName, text);
    this.program = snapshot.program;
    this.basis = snapshot.program ?? this.basis;
    // The check of the program taken back is the one the next check starts from.
    const builder = snapshot.program && this.checked.get(snapshot.program);
    if (builder) this.checkedBefore = builder;
  }

  /** Applies a plan's edits, created files and dependencies to the in-memory texts; returns the dependencies it added. */
  apply(plan: FixPlan, packageRoot = this.rootDir): DependencyToAdd[] {
    const byFile = new Map<string, FixPlan['edits']>();
    for (const edit of plan.edits) byFile.set(edit.fileName, [...(byFile.get(edit.fileName) ?? []), edit]);
    for (const [fileName, edits] of byFile) {
      let text = this.read(fileName) ?? '';
      for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
      this.overlay.set(fileName, text);
    }
    for (const file of plan.createFiles) if (this.read(file.fileName) === undefined) this.overlay.set(file.fileName, file.text);
    const manifest = plan.dependencies.length > 0 ? manifestOf(packageRoot) : undefined;
    const added = manifest ? this.addDependencies(plan.dependencies, manifest) : [];
    this.program = undefined;
    return added;
  }

  private addDependencies(wanted: readonly DependencyToAdd[], packageJson: string): DependencyToAdd[] {
    const text = this.read(packageJson);
    const updated = text === undefined ? undefined : withDependencies(text, wanted, packageJson);
    if (updated === undefined || text === undefined) return [];
    this.overlay.set(packageJson, updated);
    // What was added, at the versions written: the manifest's new entries.
    const had = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
    const now = JSON.parse(updated) as Record<string, Record<string, string> | undefined>;
    return wanted.map((dependency) => ({ ...dependency, version: now[dependency.dev ? 'devDependencies' : 'dependencies']?.[dependency.name] ?? dependency.version })).filter((dependency) => ![had.dependencies, had.devDependencies, had.peerDependencies].some((table) => table && dependency.name in table));
  }

  /**
   * Takes over the texts another project of the same checkout changed before this one is fixed: both
   * may add to one package.json, and the second must add to what the first wrote.
   */
  carryOver(changes: readonly { fileName: string; after: string }[]): void {
    for (const change of changes) this.overlay.set(change.fileName, change.after);
    this.program = undefined;
  }

  /** The root names of the project's program: the files its compiler config lists, not those they import. */
  rootFileNames(): readonly string[] {
    return this.compilerSetup().fileNames;
  }

  /** Files whose text differs from disk, with both texts (`before` undefined for a new file). */
  changedFiles(): { fileName: string; before: string | undefined; after: string }[] {
    return [...this.overlay]
      .map(([fileName, after]) => ({ fileName, before: ts.sys.readFile(fileName), after }))
      .filter((change) => change.before !== change.after)
      .sort((a, b) => a.fileName.localeCompare(b.fileName));
  }
}

/** The in-memory texts and program at one moment (`Project.snapshot`). */
export interface ProjectSnapshot {
  overlay: ReadonlyMap<string, string>;
  program: ts.Program | undefined;
  read: (fileName: string) => string | undefined;
}

export interface AppliedFix {
  ruleId: RuleId;
  /** The finding's file and 1-based line. */
  fileName: string;
  line: number;
  message: string;
  /** Every file the fix writes, in name order; `created` for new files. */
  files: { fileName: string; created: boolean }[];
  /** Packages the fix added to package.json (not those it already had). */
  dependencies: DependencyToAdd[];
  /** Environment variables the new code reads (`REDIS_URL`, `S3_BUCKET`, …). */
  environment: string[];
  /** Statements the fix removes or replaces on purpose, with why. */
  notes: string[];
}

export interface RefusedFix {
  ruleId: RuleId;
  fileName: string;
  line: number;
  title: string;
  reason: string;
}

export interface FixOutcome {
  applied: AppliedFix[];
  refused: RefusedFix[];
}

export interface FixProjectOptions {
  rules?: readonly RuleId[];
  /** Fix only the findings in these files (absolute names); every file of the project is still analysed. */
  files?: readonly string[];
  maxFixes?: number;
  /**
   * Refuse a fix whose result has type errors the project did not have before. Default: when the
   * project has TypeScript (a tsconfig and the `typescript` package resolvable from its root);
   * syntax errors are refused in every project.
   */
  typeCheck?: boolean;
}

/**
 * Applies every fix Stateless can plan, one at a time, re-analysing after each (edits move
 * offsets): the same plans the editor offers as quick-fixes. Each finding is tried once; the
 * last plan of a finding (the one that moves the state) is the one applied, unless it adds a
 * syntax or type error: then it is taken back and reported as refused with the first new error.
 */
export function fixProject(project: Project, options: FixProjectOptions = {}): FixOutcome {
  const { rules, maxFixes = 200, typeCheck = project.hasTypeScript() } = options;
  const only = options.files && new Set(options.files.map((fileName) => fileName.replace(/\\/g, '/')));
  const outcome: FixOutcome = { applied: [], refused: [] };
  const tried = new Set<string>();
  // Refused findings by key, tried again once more fixes have landed: a refusal can depend on state
  // another fix moves (queued work that counts in a field, until the count is in Redis).
  const refusedBy = new Map<string, RefusedFix>();
  // The same finding by its original line and message: a fix that edits inside a refused finding's
  // node (`resetDay()` awaited once the count it resets is in Redis) changes its key, and the finding
  // fixed under the new key must still take its earlier refusal back.
  const refusedAt = new Map<string, string>();
  let appliedSinceRetry = false;
  // Each file's edits so far, per fix in the order they were made: lines are reported as the original numbers them.
  const appliedEdits = new Map<string, FixPlan['edits'][]>();
  // A reason names places in the text as the run's fixes left it (`(src/jobs.js:42)`): name them as the original numbers them.
  const originalPlaces = (reason: string): string =>
    reason.replace(/\(([^()\s:]+):(\d+)\)/g, (match: string, relative: string, line: string) => {
      const fileName = `${project.rootDir.replace(/\/+$/, '')}/${relative}`;
      const fixes = appliedEdits.get(fileName);
      const text = fixes && project.read(fileName);
      if (!fixes || text === undefined) return match;
      const position = text.split('\n').slice(0, Number(line) - 1).reduce((sum, earlier) => sum + earlier.length + 1, 0);
      return `(${relative}:${originalLineAt(fileName, position, fixes) ?? line})`;
    });
  const refuse = (key: string, given: RefusedFix): void => {
    const entry = { ...given, reason: originalPlaces(given.reason) };
    // A refused finding is met again after each fix, its places moved by the edits: report it once.
    const same = (other: RefusedFix): boolean => other.ruleId === entry.ruleId && other.fileName === entry.fileName && other.title === entry.title && withoutPlaces(other.reason) === withoutPlaces(entry.reason);
    const reported = outcome.refused.find(same);
    if (!reported) outcome.refused.push(entry);
    const earlier = refusedBy.get(key);
    refusedBy.set(key, reported ?? entry);
    // Tried again and refused for another reason now: the earlier reason no longer holds.
    if (earlier) forget(earlier);
  };
  const forget = (entry: RefusedFix): void => {
    if (![...refusedBy.values()].includes(entry) && outcome.refused.includes(entry)) outcome.refused.splice(outcome.refused.indexOf(entry), 1);
  };
  for (let round = 0; round < maxFixes; round++) {
    const program = project.getProgram();
    let applied = false;
    // Files in name order, findings in text order: the order an editor user working down the Problems list applies them.
    const found = project.analyze(rules, only).sort((a, b) => (a.file.fileName < b.file.fileName ? -1 : a.file.fileName > b.file.fileName ? 1 : a.finding.start - b.finding.start));
    const seen = new Map<string, number>();
    for (const { file, finding } of found) {
      // Two findings with one message (two limiters of one file) are told apart by their lines' text.
      const lineStart = file.text.lastIndexOf('\n', finding.start - 1) + 1;
      const lineEnd = file.text.indexOf('\n', finding.start);
      const place = `${file.fileName}\u0000${finding.message}\u0000${file.text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd)}\u0000${file.text.slice(finding.start, finding.end)}`;
      const ordinal = seen.get(place) ?? 0;
      seen.set(place, ordinal + 1);
      const key = `${finding.ruleId}\u0000${place}\u0000${ordinal}`;
      if (tried.has(key)) continue;
      tried.add(key);
      const line = originalLine(file, finding.start, appliedEdits.get(file.fileName));
      const at = `${finding.ruleId}\u0000${file.fileName}\u0000${line}\u0000${finding.message}\u0000${ordinal}`;
      const planned = planFixes(file, finding, { program, config: project.config, projectRoot: project.rootDir });
      // A workspace package of a monorepo installs what its own code imports.
      const packageRoot = owningPackageRoot(file.fileName, project.rootDir);
      const plan = planned.plans[planned.plans.length - 1];
      if (!plan) {
        if (planned.refused) {
          refuse(key, { ruleId: finding.ruleId, fileName: file.fileName, line, ...planned.refused });
          refusedAt.set(at, key);
        }
        continue;
      }
      // A file the plan creates that is already there (with other text) would be left as it is: half a fix.
      const clash = plan.createFiles.find((created) => (project.read(created.fileName) ?? created.text) !== created.text);
      if (clash) {
        refuse(key, { ruleId: finding.ruleId, fileName: file.fileName, line, title: plan.message, reason: `it creates ${project.relative(clash.fileName)}, which exists with other content` });
        refusedAt.set(at, key);
        continue;
      }
      const errorsBefore = project.errors(typeCheck);
      const snapshot = project.snapshot();
      const dependencies = project.apply(plan, packageRoot);
      // The packages the fix adds are not installed yet: their imports cannot resolve before `npm install`.
      const added = firstNewError(errorsBefore, project.errors(typeCheck).filter((error) => !isUninstalledDependency(error, plan)));
      if (added) {
        project.restore(snapshot);
        refuse(key, { ruleId: finding.ruleId, fileName: file.fileName, line, title: plan.message, reason: `it adds ${added.code >= 2000 ? 'a type error' : 'a syntax error'}: ${added.text}` });
        refusedAt.set(at, key);
        continue;
      }
      for (const fileName of new Set(plan.edits.map((edit) => edit.fileName))) {
        const inFile = plan.edits.filter((edit) => edit.fileName === fileName).sort((a, b) => a.start - b.start);
        appliedEdits.set(fileName, [...(appliedEdits.get(fileName) ?? []), inFile]);
      }
      outcome.applied.push({ ruleId: finding.ruleId, fileName: file.fileName, line, message: plan.message, files: filesOf(plan, snapshot, dependencies.length > 0 ? manifestOf(packageRoot) : undefined), dependencies, environment: environmentOf(plan), notes: plan.notes ?? [] });
      applied = true;
      appliedSinceRetry = true;
      // Refused before, fixed now: the refusal no longer holds (unless another finding still gives it).
      for (const refusedKey of new Set([key, refusedAt.get(at) ?? key])) {
        const earlier = refusedBy.get(refusedKey);
        refusedBy.delete(refusedKey);
        if (earlier) forget(earlier);
      }
      break;
    }
    if (applied) continue;
    if (!appliedSinceRetry || refusedBy.size === 0) break;
    for (const key of refusedBy.keys()) tried.delete(key);
    appliedSinceRetry = false;
  }
  return outcome;
}

/**
 * The line a position of a file's current text had in the original, undoing the run's fixes latest
 * first (a position inside inserted text goes to where the insertion was). A file the run created
 * has no original: its current line.
 */
function originalLine(file: ts.SourceFile, position: number, fixes: readonly FixPlan['edits'][] | undefined): number {
  return originalLineAt(file.fileName, position, fixes) ?? file.getLineAndCharacterOfPosition(position).line + 1;
}

/** The line of the file on disk (before the run) that a position of its current text comes from; undefined without fixes or a file on disk. */
function originalLineAt(fileName: string, position: number, fixes: readonly FixPlan['edits'][] | undefined): number | undefined {
  const original = fixes && ts.sys.readFile(fileName);
  if (!fixes || original === undefined) return undefined;
  let at = position;
  for (let i = fixes.length - 1; i >= 0; i--) at = beforeEdits(at, fixes[i]);
  return original.slice(0, at).split('\n').length;
}

/** A position of a text after one fix's edits (offsets into the text before, sorted) in the text before them. */
function beforeEdits(position: number, edits: FixPlan['edits']): number {
  let shift = 0;
  for (const edit of edits) {
    const start = edit.start + shift;
    if (position < start) break;
    if (position < start + edit.newText.length) return edit.start;
    shift += edit.newText.length - (edit.end - edit.start);
  }
  return position - shift;
}

function withoutPlaces(text: string): string {
  return text.replace(/:\d+(?::\d+)?\b/g, '');
}

function filesOf(plan: FixPlan, before: ProjectSnapshot, packageJson: string | undefined): { fileName: string; created: boolean }[] {
  const files = new Map<string, boolean>();
  for (const edit of plan.edits) files.set(edit.fileName, false);
  for (const file of plan.createFiles) if (before.read(file.fileName) === undefined) files.set(file.fileName, true);
  if (packageJson) files.set(packageJson, false);
  return [...files].map(([fileName, created]) => ({ fileName, created })).sort((a, b) => a.fileName.localeCompare(b.fileName));
}

function environmentOf(plan: FixPlan): string[] {
  const names = new Set<string>();
  for (const text of [...plan.createFiles.map((file) => file.text), ...plan.edits.map((edit) => edit.newText)]) {
    for (const match of text.matchAll(/process\.env(?:\.([A-Za-z_]\w*)|\[\s*['"]([A-Za-z_]\w*)['"]\s*\])/g)) names.add(match[1] ?? match[2]);
  }
  return [...names].sort();
}

/** Packages an adapter adds that ask for a package as a peer at their own version or later: `@aws-sdk/lib-storage` 3.1169.0 wants `@aws-sdk/client-s3` ^3.1169.0. */
const PEER_AT_OWN_VERSION: Readonly<Record<string, string>> = { '@aws-sdk/lib-storage': '@aws-sdk/client-s3' };

/**
 * Dependencies whose peer the project already has (`"@aws-sdk/client-s3": "3.1011.0"`): added at
 * most at the peer's version the project uses (`<=3.1011.0`), so npm installs one the project's pin
 * satisfies, where the adapter's own version would ask for a newer peer and stop the install.
 */
function besidePeers(dependencies: readonly DependencyToAdd[], packageJson: string, manifest: Record<string, unknown>): DependencyToAdd[] {
  const declares = (name: string): boolean => [manifest.dependencies, manifest.devDependencies].some((table) => table !== null && typeof table === 'object' && name in table);
  return dependencies.map((dependency) => {
    const peer = PEER_AT_OWN_VERSION[dependency.name];
    const used = peer && declares(peer) ? usedPackageVersion(packageJson, peer) : undefined;
    return used ? { ...dependency, version: `<=${used}` } : dependency;
  });
}

/** The BullMQ range the job-queue adapters ask for. */
const BULLMQ_RANGE = '^5.66.0';
/**
 * BullMQ 5.66.0, the release the adapters are tested with: before 5.77, which began to ask for
 * node-redis 5 or later as an optional peer, and (unlike 5.66.1 to 5.76, which pin one ioredis) on
 * `ioredis ^5.8.2`, the range the adapters' own client takes, so npm installs one ioredis and the
 * connection the adapters hand BullMQ has BullMQ's own type.
 */
const BULLMQ_BESIDE_REDIS_4 = '5.66.0';

function declaredIn(manifest: Record<string, unknown>, name: string): 'dependencies' | 'devDependencies' | undefined {
  return (['dependencies', 'devDependencies'] as const).find((field) => {
    const table = manifest[field];
    return table !== null && typeof table === 'object' && name in table;
  });
}

function declaredRange(manifest: Record<string, unknown>, name: string): string | undefined {
  const field = declaredIn(manifest, name);
  const range = field ? (manifest[field] as Record<string, unknown>)[name] : undefined;
  return typeof range === 'string' ? range : undefined;
}

/**
 * BullMQ from 5.77 asks for node-redis 5 or later as an optional peer, so npm refuses to install it
 * beside node-redis 4, which a project keeps when a package it has takes only 4 as a peer (TypeORM up
 * to 0.3.26, and the session store's fix follows it). Beside node-redis 4, declared or added in the
 * same run, the job queue's BullMQ is the adapters' own 5.66.0.
 */
function besideRedis4(dependencies: readonly DependencyToAdd[], manifest: Record<string, unknown>): DependencyToAdd[] {
  const redis = dependencies.find((dependency) => dependency.name === 'redis')?.version ?? declaredRange(manifest, 'redis');
  if (redis === undefined || admitsMajor(redis, 5) || !admitsMajor(redis, 4)) return [...dependencies];
  const bullmq = dependencies.some((dependency) => dependency.name === 'bullmq') ? undefined : declaredRange(manifest, 'bullmq');
  const added = dependencies.map((dependency) => (dependency.name === 'bullmq' && dependency.version === BULLMQ_RANGE ? { ...dependency, version: BULLMQ_BESIDE_REDIS_4 } : dependency));
  // Said as a dependency too when an earlier fix of this run added BullMQ: the caller rewrites its range.
  return bullmq === BULLMQ_RANGE ? [...added, { name: 'bullmq', version: BULLMQ_BESIDE_REDIS_4 }] : added;
}

/**
 * package.json text with the dependencies it lacks added (each table sorted, in the file's own
 * indentation), or undefined when nothing changes or the text is not JSON. Only the tables that
 * change are rewritten: the rest of the file keeps its text (a one-line `scripts`, key order). Given
 * the manifest's path, a package whose peer the project pins is added at the pinned version or below.
 */
export function withDependencies(text: string, wanted: readonly DependencyToAdd[], packageJson?: string): string | undefined {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const dependencies = besideRedis4(packageJson === undefined ? wanted : besidePeers(wanted, packageJson, manifest), manifest);
  const changedFields = new Set<string>();
  // BullMQ added by an earlier fix of this run at the adapter's range, before node-redis 4 came: kept below 5.77 now.
  if (dependencies.some((dependency) => dependency.name === 'redis') && declaredRange(manifest, 'bullmq') === BULLMQ_RANGE && dependencies.some((dependency) => dependency.name === 'bullmq' && dependency.version === BULLMQ_BESIDE_REDIS_4)) {
    const field = declaredIn(manifest, 'bullmq')!;
    manifest[field] = { ...(manifest[field] as Record<string, string>), bullmq: BULLMQ_BESIDE_REDIS_4 };
    changedFields.add(field);
  }
  for (const dependency of dependencies) {
    const field = dependency.dev ? 'devDependencies' : 'dependencies';
    const present = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies].some((table) => table && typeof table === 'object' && dependency.name in table);
    if (present) continue;
    const table = { ...((manifest[field] as Record<string, string> | undefined) ?? {}), [dependency.name]: dependency.version };
    manifest[field] = Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
    changedFields.add(field);
  }
  if (changedFields.size === 0) return undefined;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const whole = `${JSON.stringify(manifest, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
  const json = ts.parseJsonText('package.json', text);
  const root = json.statements[0]?.expression;
  if (!root || !ts.isObjectLiteralExpression(root)) return whole;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const edits: { start: number; end: number; newText: string }[] = [];
  for (const field of changedFields) {
    const table = JSON.stringify(manifest[field], null, indent);
    const property = root.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && ts.isStringLiteral(candidate.name) && candidate.name.text === field);
    if (property) {
      if (!ts.isObjectLiteralExpression(property.initializer)) return whole;
      const lineStart = text.lastIndexOf('\n', property.getStart(json)) + 1;
      const lineIndent = /^[ \t]*/.exec(text.slice(lineStart))![0];
      edits.push({ start: property.initializer.getStart(json), end: property.initializer.getEnd(), newText: table.replace(/\n/g, `${newline}${lineIndent}`) });
    } else {
      const last = root.properties[root.properties.length - 1];
      const at = last ? last.getEnd() : root.getStart(json) + 1;
      edits.push({ start: at, end: at, newText: `${last ? ',' : ''}${newline}${indent}${JSON.stringify(field)}: ${table.replace(/\n/g, `${newline}${indent}`)}${last ? '' : newline}` });
    }
  }
  let updated = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) updated = updated.slice(0, edit.start) + edit.newText + updated.slice(edit.end);
  return updated;
}

/** The `ts.Extension` of a source file name (`.tsx`, `.mjs`, …; a declaration file's `.d.ts`). */
function extensionOf(fileName: string): ts.Extension {
  const extensions = [ts.Extension.Dts, ts.Extension.Dmts, ts.Extension.Dcts, ts.Extension.Tsx, ts.Extension.Ts, ts.Extension.Mts, ts.Extension.Cts, ts.Extension.Jsx, ts.Extension.Js, ts.Extension.Mjs, ts.Extension.Cjs, ts.Extension.Json];
  return extensions.find((extension) => fileName.endsWith(extension)) ?? ts.Extension.Ts;
}
