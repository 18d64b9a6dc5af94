import * as fs from 'node:fs';
import * as path from 'node:path';
import ts = require('typescript');
import { moduleSpecifiers } from './import-scan';
import { FOLDER_LOADER_TEXT, mayServeOrStart } from '../analysis/entry-text';
import { GLOBAL_WRITE_TEXT } from '../analysis/global-namespaces';
import { isCommandLineTool, isNonServerPath, relativeTo, startsServerInBin } from '../analysis/paths';
import { listSourceFiles } from './file-list';
import { ModuleResolver } from './module-resolution';
import { workspaceRootOf } from './workspaces';

/** What the index knows about one file: its text as of `stamp`, the specifiers it imports, and its AST once someone asked. */
interface IndexedFile {
  /** `mtimeMs:size` on disk when read; '' for a file that is not on disk (an editor buffer, a test's code). */
  stamp: string;
  text: string;
  /** The text is not what disk holds (the file being linted, as ESLint gave it). */
  overlay: boolean;
  /** Scanned on first use: usually only the files some serving file imports, directly or not, are needed. */
  specifiers?: readonly string[];
  /** Could register request handlers (by its text and path): the request graph starts from these files. */
  mayServe: boolean;
  /** The AST a request graph uses (parsed by the index, or a caller's AST that a graph asked for). */
  sourceFile: ts.SourceFile | undefined;
  /**
   * A caller's AST of the file (ESLint's), held weakly until a graph asks for the file: most linted
   * files are in no graph, and nothing needs their AST once they are linted. While anything holds
   * it (the linter, a graph, a cached result), it is the file's AST.
   */
  adopted?: WeakRef<ts.SourceFile>;
  /** The project files its specifiers resolve to (computed on first use). */
  imports?: string[];
}

/**
 * A project seen through syntax alone, for analysis without a type checker: every source file under
 * the root, the modules each imports (read off the text by `import-scan.ts`: ESM imports,
 * `export … from`, `require()`, `import()`), resolved by path; full ASTs are parsed only for the
 * files the request graph visits.
 *
 * Freshness, the way import plugins keep their module map: a file's mtime and size are checked
 * before the index uses it for the file being analysed (once per analysed file), so an entry is
 * never used after its file changed. Files the analysis does not read (those that might start
 * importing it, or new files) are checked all together at most once per `FULL_CHECK_MS`.
 * `generation` moves whenever anything changed; what is derived from the index (request graphs,
 * results) is keyed by it.
 */
export class ProjectIndex {
  readonly rootDir: string;
  private files = new Map<string, IndexedFile>();
  private readonly resolver: ModuleResolver;
  private importersOf: Map<string, string[]> | undefined;
  private lastAdopted: ts.SourceFile | undefined;
  private overlayFile: string | undefined;
  /** Files whose stamp was checked since the last adopted AST: each file is checked once per analysed file. */
  private readonly checked = new Set<string>();
  private lastFullCheck = 0;
  /** How long the last full check took: checks are spaced so that they cost at most 1/FULL_CHECK_SHARE of the time. */
  private fullCheckMs = 0;
  /** Moves whenever a file's text, or the set of files, changed. */
  generation = 0;

  constructor(rootDir: string) {
    this.rootDir = rootDir.replace(/\\/g, '/').replace(/\/+$/, '');
    this.resolver = new ModuleResolver(this.rootDir, (fileName) => this.files.has(fileName) || (!fileName.startsWith(`${this.rootDir}/`) && fileExists(fileName)));
    for (const fileName of listSourceFiles(this.rootDir)) this.readFromDisk(fileName);
    this.lastFullCheck = Date.now();
  }

  get fileNames(): readonly string[] {
    return [...this.files.keys()];
  }

  /**
   * The index's SourceFile for a file being analysed, given the AST its caller has. When the text
   * equals what the index holds, the index's own AST is returned (one AST per file for the whole
   * graph) or, if it has none yet, the caller's becomes it: no second parse. A different text (an
   * unsaved editor buffer, a test's code) is used for this file until another file is adopted.
   * Adopting a new AST first checks every file for changes on disk.
   */
  adopt(sourceFile: ts.SourceFile): ts.SourceFile {
    const fileName = normalize(sourceFile.fileName);
    if (sourceFile !== this.lastAdopted) {
      this.lastAdopted = sourceFile;
      this.checked.clear();
      if (this.overlayFile !== undefined && this.overlayFile !== fileName) this.dropOverlay(this.overlayFile);
      if (Date.now() - this.lastFullCheck >= Math.max(FULL_CHECK_MS, FULL_CHECK_SHARE * this.fullCheckMs)) this.refresh();
    }
    let entry = this.files.get(fileName);
    if (!entry) {
      // On disk but not listed (a folder the listing skips): from now on a file of the index like any other.
      entry = this.readFromDisk(fileName);
      if (entry) this.fileAdded();
    }
    if (entry && entry.text === sourceFile.text) {
      const held = entry.sourceFile ?? entry.adopted?.deref();
      if (held) return held;
      entry.adopted = new WeakRef(sourceFile);
      return sourceFile;
    }
    if (entry && isShebangHidden(entry.text, sourceFile.text)) {
      // ESLint hands its parser the text with the `#!` line turned into a comment: the file is the one
      // on disk, a CLI, and is analysed as the disk text reads (as the CLI and the editor read it).
      // Taking it as an edit moved the generation twice per such file, and rebuilt the shared graph.
      return this.sourceFileOf(fileName, entry);
    }
    const stamp = entry?.stamp ?? '';
    this.files.set(fileName, { ...scan(this.rootDir, fileName, sourceFile.text), stamp, overlay: true, sourceFile });
    this.overlayFile = fileName;
    // A file that is not on disk (a test's or an editor's buffer) changes no other file's imports.
    this.changed('text');
    return sourceFile;
  }

  /** The parsed file (parsed on first use), or undefined when it is not part of the project. */
  sourceFile(fileName: string): ts.SourceFile | undefined {
    const name = normalize(fileName);
    let entry = this.current(name);
    if (!entry && !name.includes('/node_modules/') && fileExists(name)) entry = this.readFromDisk(name);
    if (!entry) return undefined;
    return this.sourceFileOf(name, entry);
  }

  /**
   * The AST the index already holds for a file whose text is `text` (parsed for a request graph, or
   * a caller's that is still alive), without parsing, reading or checking anything: a parser can take
   * it instead of parsing the file a second time. Undefined when the index holds none, or another text.
   */
  heldSourceFile(fileName: string, text: string): ts.SourceFile | undefined {
    const entry = this.files.get(normalize(fileName));
    if (!entry || entry.text !== text) return undefined;
    const held = entry.sourceFile ?? entry.adopted?.deref();
    return held?.text === text ? held : undefined;
  }

  /** The entry's AST, held from now on: the one a caller gave if it is still alive, else a parse of the text. */
  private sourceFileOf(fileName: string, entry: IndexedFile): ts.SourceFile {
    if (!entry.sourceFile) {
      entry.sourceFile = entry.adopted?.deref() ?? parse(fileName, entry.text);
      entry.adopted = undefined;
    }
    return entry.sourceFile;
  }

  /** The file an import names, or undefined for packages and anything that is not a source file of the project. */
  resolveImport(fromFile: string, specifier: string): string | undefined {
    return this.resolver.resolve(normalize(fromFile), specifier);
  }

  /** The project files whose text matches, sorted (where a global namespace is written: `global.WIKI = …`, `WIKI.cache = …`). */
  filesMatching(pattern: RegExp): string[] {
    return [...this.files].filter(([, entry]) => pattern.test(entry.text)).map(([name]) => name).sort();
  }

  /**
   * The project files with a class whose `implements` clause names this interface (`class SesProvider
   * implements IEmailProvider`), sorted: read off the texts once per generation, one pass over the
   * files that mention `implements`, without parsing them.
   */
  filesImplementing(interfaceName: string): readonly string[] {
    if (this.implementing?.generation !== this.generation) {
      const byName = new Map<string, string[]>();
      for (const [fileName, entry] of [...this.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (!entry.text.includes('implements')) continue;
        for (const match of entry.text.matchAll(IMPLEMENTS_CLAUSE)) {
          for (const name of implementedNames(match[1])) {
            const list = byName.get(name);
            if (!list) byName.set(name, [fileName]);
            else if (list[list.length - 1] !== fileName) list.push(fileName);
          }
        }
      }
      this.implementing = { generation: this.generation, byName };
    }
    return this.implementing.byName.get(interfaceName) ?? [];
  }

  private implementing: { generation: number; byName: ReadonlyMap<string, readonly string[]> } | undefined;

  /** The project files in a folder (and its subfolders when `recursive`), sorted. */
  filesUnder(directory: string, recursive: boolean): string[] {
    const folder = normalize(directory).replace(/\/+$/, '');
    const names: string[] = [];
    for (const name of this.files.keys()) {
      if (!name.startsWith(`${folder}/`)) continue;
      if (recursive || !name.slice(folder.length + 1).includes('/')) names.push(name);
    }
    return names.sort();
  }

  /** The project files this file imports (packages and other non-source modules left out). */
  importsOf(fileName: string): readonly string[] {
    const entry = this.files.get(normalize(fileName));
    if (!entry) return [];
    entry.imports ??= this.resolveImports(normalize(fileName), specifiersOf(entry));
    return entry.imports;
  }

  /**
   * The files a request graph for `fileName` needs to start from: the files that may register
   * handlers among this file and every file that imports it, directly or through others. Without
   * a checker a handler reaches another file only through an import, so no other file can have
   * an entry point whose path ends here.
   */
  entryFilesFor(fileName: string): string[] {
    const start = normalize(fileName);
    for (let attempt = 0; ; attempt++) {
      const generation = this.generation;
      const importers = this.reverseEdges();
      const seen = new Set<string>([start]);
      const queue = [start];
      for (let i = 0; i < queue.length; i++) {
        for (const importer of importers.get(queue[i]) ?? []) {
          if (seen.has(importer)) continue;
          seen.add(importer);
          queue.push(importer);
        }
      }
      // The answer reads these files' imports: check them, and start over if one changed.
      for (const name of queue) this.current(name);
      if (generation === this.generation || attempt >= 3) return queue.filter((name) => name === start || this.files.get(name)?.mayServe === true).sort();
    }
  }

  /**
   * Whether a file that may register handlers imports this one, directly or through others: what
   * `entryFilesFor` answers beyond the file itself, for every file at once (one walk down the
   * imports from the serving files per generation, instead of one walk up per analysed file, which
   * also checked each importer on disk; serving files too, which are answered by the same walk).
   * Files changed on disk since are seen by the periodic full check, as the shared graph sees them.
   */
  hasServingImporter(fileName: string): boolean {
    const name = normalize(fileName);
    if (this.served?.generation !== this.generation) this.served = { generation: this.generation, origins: this.servingOrigins() };
    const origins = this.served.origins.get(name);
    if (!origins) return false;
    // A serving file reached only through a cycle back to itself has no other serving importer.
    return !this.mayServe(name) || origins.some((origin) => origin !== name);
  }

  private served: { generation: number; origins: ReadonlyMap<string, readonly string[]> } | undefined;

  /**
   * Whether a file writes a global namespace (`global.WIKI = …`, `global.sessions = new Map()`) or
   * one that does imports it, directly or through others: what such a file requires may be put into
   * the namespace (`WIKI.models = require('./db')`), and the namespace may be state; any serving
   * file reaches them through it, without an import of its own.
   */
  mayFeedGlobalNamespace(fileName: string): boolean {
    if (this.globalReach?.generation !== this.generation) {
      const queue = [...this.files].filter(([, entry]) => GLOBAL_WRITE_TEXT.test(entry.text)).map(([name]) => name);
      const reached = new Set<string>(queue);
      for (let i = 0; i < queue.length; i++) {
        for (const target of this.importsOf(queue[i])) {
          if (reached.has(target)) continue;
          reached.add(target);
          queue.push(target);
        }
      }
      this.globalReach = { generation: this.generation, reached };
    }
    return this.globalReach.reached.has(normalize(fileName));
  }

  private globalReach: { generation: number; reached: ReadonlySet<string> } | undefined;

  /**
   * Every file one import or more away from a serving file, with up to two of the serving files it
   * is reached from: two are enough to tell whether one other than the file itself reaches it. Each
   * file is entered at most twice, and only the imports of the files reached are scanned.
   */
  private servingOrigins(): Map<string, string[]> {
    const origins = new Map<string, string[]>();
    const queue: { fileName: string; origin: string }[] = [];
    const visit = (from: string, origin: string): void => {
      const entry = this.files.get(from);
      if (!entry) return;
      entry.imports ??= this.resolveImports(from, specifiersOf(entry));
      for (const target of entry.imports) {
        const reachedFrom = origins.get(target);
        if (!reachedFrom) origins.set(target, [origin]);
        else if (reachedFrom.length >= 2 || reachedFrom.includes(origin)) continue;
        else reachedFrom.push(origin);
        queue.push({ fileName: target, origin });
      }
    };
    for (const fileName of this.servingFiles()) visit(fileName, fileName);
    for (let i = 0; i < queue.length; i++) visit(queue[i].fileName, queue[i].origin);
    return origins;
  }

  /**
   * Every file that may register request handlers, sorted: the entry files of the one request
   * graph a whole-project lint shares. Read as the index holds them (a file changed on disk
   * since is picked up by the periodic full check or when it is itself analysed).
   */
  servingFiles(): readonly string[] {
    if (this.serving?.generation !== this.generation) {
      this.serving = { generation: this.generation, files: [...this.files].filter(([, entry]) => entry.mayServe).map(([name]) => name).sort() };
    }
    return this.serving.files;
  }

  private serving: { generation: number; files: readonly string[] } | undefined;

  /**
   * Whether a serving file that lists a folder and loads its modules (a route loader) sits where the
   * folder it lists may hold this file: below the loader's own folder's parent (`src/lib/routes.ts`
   * listing `../routes` loads `src/routes/users.ts`). Such a module has no importer, and may be a route.
   */
  mayBeLoadedFromFolder(fileName: string): boolean {
    if (this.loaderFolders?.generation !== this.generation) {
      const folders = this.servingFiles().filter((name) => FOLDER_LOADER_TEXT.test(this.files.get(name)?.text ?? '')).map((name) => path.posix.dirname(path.posix.dirname(name)));
      this.loaderFolders = { generation: this.generation, folders };
    }
    const name = normalize(fileName);
    return this.loaderFolders.folders.some((folder) => name.startsWith(`${folder}/`));
  }

  private loaderFolders: { generation: number; folders: readonly string[] } | undefined;

  /** Whether the index holds this file as one that may register request handlers. */
  mayServe(fileName: string): boolean {
    return this.files.get(normalize(fileName))?.mayServe === true;
  }

  /** The entry of a file, re-read first if it changed on disk since it was read (checked once per analysed file). */
  private current(fileName: string): IndexedFile | undefined {
    const entry = this.files.get(fileName);
    if (!entry || this.checked.has(fileName)) return entry;
    this.checked.add(fileName);
    const stamp = stampOf(fileName);
    if (entry.overlay ? stamp === entry.stamp || stamp === '' : stamp === entry.stamp) return entry;
    if (stamp === '') {
      this.files.delete(fileName);
      this.changed('files');
      return undefined;
    }
    const updated = this.readFromDisk(fileName);
    this.changed('text');
    return updated;
  }

  /** Every file whose text differs from the index re-read; returns whether anything changed. */
  refresh(): boolean {
    const started = performance.now();
    try {
      return this.refreshFiles();
    } finally {
      this.lastFullCheck = Date.now();
      this.fullCheckMs = performance.now() - started;
    }
  }

  private refreshFiles(): boolean {
    let changed = false;
    let removed = false;
    for (const [fileName, entry] of this.files) {
      this.checked.add(fileName);
      const stamp = stampOf(fileName);
      if (entry.overlay ? stamp === entry.stamp || stamp === '' : stamp === entry.stamp) continue;
      if (stamp === '') {
        this.files.delete(fileName);
        removed = true;
      } else this.readFromDisk(fileName);
      changed = true;
    }
    if (!changed) return false;
    // A changed file may import one that is new: list the folders again.
    let added = false;
    for (const fileName of listSourceFiles(this.rootDir)) {
      if (this.files.has(fileName)) continue;
      this.readFromDisk(fileName);
      added = true;
    }
    this.changed(added || removed ? 'files' : 'text');
    return true;
  }

  private dropOverlay(fileName: string): void {
    this.overlayFile = undefined;
    const entry = this.files.get(fileName);
    if (!entry?.overlay) return;
    if (entry.stamp === '') {
      this.files.delete(fileName);
      this.changed('text');
      return;
    }
    if (stampOf(fileName) === '') this.files.delete(fileName);
    else this.readFromDisk(fileName);
    this.changed('files');
  }

  /** A file joined the index: only imports that did not resolve before can resolve to it now. */
  private fileAdded(): void {
    this.generation++;
    this.importersOf = undefined;
    this.resolver.forgetUnresolved();
    for (const entry of this.files.values()) if (entry.imports && entry.imports.length < specifiersOf(entry).length) entry.imports = undefined;
  }

  /** `text`: some file's text changed (its own imports are re-resolved); `files`: files came or went on disk, so any import may resolve differently. */
  private changed(what: 'text' | 'files'): void {
    this.generation++;
    this.importersOf = undefined;
    if (what === 'files') {
      this.resolver.clear();
      for (const entry of this.files.values()) entry.imports = undefined;
    }
  }

  private reverseEdges(): Map<string, string[]> {
    if (this.importersOf) return this.importersOf;
    const importers = new Map<string, string[]>();
    for (const [fileName, entry] of this.files) {
      entry.imports ??= this.resolveImports(fileName, specifiersOf(entry));
      for (const target of entry.imports) {
        const list = importers.get(target);
        if (!list) importers.set(target, [fileName]);
        else if (list[list.length - 1] !== fileName) list.push(fileName);
      }
    }
    this.importersOf = importers;
    return importers;
  }

  private resolveImports(fileName: string, specifiers: readonly string[]): string[] {
    const targets: string[] = [];
    for (const specifier of specifiers) {
      const target = this.resolver.resolve(fileName, specifier);
      if (target && target !== fileName && !targets.includes(target)) targets.push(target);
    }
    return targets;
  }

  private readFromDisk(fileName: string): IndexedFile | undefined {
    let text: string;
    let stamp: string;
    try {
      const stats = fs.statSync(fileName);
      if (stats.size > MAX_FILE_SIZE) return undefined;
      stamp = `${stats.mtimeMs}:${stats.size}`;
      text = fs.readFileSync(fileName, 'utf8');
    } catch {
      this.files.delete(fileName);
      return undefined;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const entry: IndexedFile = { ...scan(this.rootDir, fileName, text), stamp, overlay: false, sourceFile: undefined };
    this.files.set(fileName, entry);
    return entry;
  }
}

/** A class's `implements` list, up to its body: `class A extends B implements C, ns.D<E> {`. */
const IMPLEMENTS_CLAUSE = /\bclass\b[^{;]*?\bimplements\s+([^{;]+)\{/g;

/** The interfaces' last names in an `implements` list: `C, ns.D<E>` → `C`, `D`. */
function implementedNames(list: string): string[] {
  let text = list;
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(/<[^<>]*>/g, '');
  }
  return text.split(',').map((part) => /([A-Za-z_$][\w$]*)\s*$/.exec(part.trim())?.[1]).filter((name): name is string => name !== undefined);
}

/** ESLint's text of a file that starts with `#!`: the same text with the two characters as `//`. */
function isShebangHidden(diskText: string, givenText: string): boolean {
  return diskText.startsWith('#!') && givenText.startsWith('//') && diskText.length === givenText.length && diskText.endsWith(givenText.slice(2));
}

/** How often files the analysis does not read are checked for changes (they could start importing it). */
const FULL_CHECK_MS = 1000;
/** A full check of a large project (a stat of each of its files) waits at least this many times its own duration. */
const FULL_CHECK_SHARE = 100;
/** Bundles and generated files above this size are left out of the index (and of a project's program). */
export const MAX_FILE_SIZE = 2_000_000;

function scan(rootDir: string, fileName: string, text: string): Pick<IndexedFile, 'text' | 'mayServe'> {
  const relativePath = relativeTo(rootDir, fileName);
  // `bin/www.js` that starts the server is the service's start file, as the request graph reads it (paths.ts).
  const mayServe = !isCommandLineTool(fileName, text) && (!isNonServerPath(relativePath) || startsServerInBin(text, relativePath)) && mayServeOrStart(relativePath, text);
  return { text, mayServe };
}

/** The modules a file imports, read off its text (`moduleSpecifiers`), on first use. */
function specifiersOf(entry: IndexedFile): readonly string[] {
  entry.specifiers ??= moduleSpecifiers(entry.text);
  return entry.specifiers;
}

function stampOf(fileName: string): string {
  try {
    const stats = fs.statSync(fileName);
    return `${stats.mtimeMs}:${stats.size}`;
  } catch {
    return '';
  }
}

function fileExists(fileName: string): boolean {
  try {
    return fs.statSync(fileName).isFile();
  } catch {
    return false;
  }
}

function normalize(fileName: string): string {
  return path.resolve(fileName).replace(/\\/g, '/');
}

/**
 * Without JSDoc, as typescript-eslint parses when typed linting is off: no rule reads JSDoc, and the
 * index's ASTs then match ESLint's and hold fewer nodes for the whole run.
 */
const PARSE_OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

export function parse(fileName: string, text: string): ts.SourceFile {
  try {
    return ts.createSourceFile(fileName, text, PARSE_OPTIONS, true, scriptKindOf(fileName));
  } catch {
    // The parser recurses: absurdly nested input is analysed as if it were empty.
    return ts.createSourceFile(fileName, '', PARSE_OPTIONS, true, scriptKindOf(fileName));
  }
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

const indexes = new Map<string, ProjectIndex>();

function indexKey(rootDir: string): string {
  return rootDir.replace(/\\/g, '/').replace(/\/+$/, '');
}

/** The index of the project at `rootDir`, created on first use and kept for the process (each ESLint worker has its own). */
export function projectIndexFor(rootDir: string): ProjectIndex {
  const key = indexKey(rootDir);
  let index = indexes.get(key);
  if (!index) {
    index = new ProjectIndex(key);
    indexes.set(key, index);
  }
  return index;
}

/**
 * The index a file of the project at `rootDir` is analysed with, untyped, and the root it reads paths
 * from: its own project's, or, for a package of a monorepo's workspace that another package of it
 * depends on (`workspaceRootOf`), the monorepo's, rooted where the workspace is declared. A storage
 * package's code runs on the routes of the server package that imports it (Flowise's components,
 * novu's providers, versia's kit), which the storage package's own index never sees; and a package
 * with handler-shaped files of its own (Flowise's components) is no reason to stop there. A service
 * nothing depends on, a package only installed as a dependency, and a project that is no workspace
 * keep their own index.
 */
export function projectIndexOfFile(rootDir: string): { index: ProjectIndex; rootDir: string } {
  const workspaceRoot = workspaceRootOf(indexKey(rootDir));
  if (!workspaceRoot) return { index: projectIndexFor(rootDir), rootDir };
  const index = projectIndexFor(workspaceRoot);
  return { index, rootDir: index.rootDir };
}

/** The index of the project at `rootDir` if this process built one, without building it. */
export function builtProjectIndex(rootDir: string): ProjectIndex | undefined {
  return indexes.get(indexKey(rootDir));
}

/**
 * The AST some index of this process holds for a file with this very text, without parsing, reading
 * or building anything (see `ProjectIndex.heldSourceFile`). Which project it belongs to does not
 * matter: the same text gives the same tree.
 */
export function heldSourceFileOf(fileName: string, text: string): ts.SourceFile | undefined {
  for (const index of indexes.values()) {
    const held = index.heldSourceFile(fileName, text);
    if (held) return held;
  }
  return undefined;
}
