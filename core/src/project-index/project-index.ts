import * as fs from 'node:fs';
import * as path from 'node:path';
import ts = require('typescript');
import { mayServeRequests } from '../analysis/entry-text';
import { isNonServerPath, relativeTo } from '../analysis/paths';
import { listSourceFiles } from './file-list';
import { ModuleResolver } from './module-resolution';

/** What the index knows about one file: its text as of `stamp`, the specifiers it imports, and its AST once someone asked. */
interface IndexedFile {
  /** `mtimeMs:size` on disk when read; '' for a file that is not on disk (an editor buffer, a test's code). */
  stamp: string;
  text: string;
  /** The text is not what disk holds (the file being linted, as ESLint gave it). */
  overlay: boolean;
  specifiers: readonly string[];
  /** Could register request handlers (by its text and path): the request graph starts from these files. */
  mayServe: boolean;
  sourceFile: ts.SourceFile | undefined;
}

/**
 * A project seen through syntax alone, for analysis without a type checker: every source file under
 * the root, the modules each imports (from a scanner pass, `ts.preProcessFile`: ESM imports,
 * `export … from`, `require()`, `import()`), resolved by path; full ASTs are parsed only for the
 * files the request graph visits. Files are re-read when their mtime or size changes, checked once
 * per linted file, so an entry is never used after its file changed; `generation` moves whenever
 * anything did, and whatever was derived from the index (request graphs, results) is keyed by it.
 */
export class ProjectIndex {
  readonly rootDir: string;
  private files = new Map<string, IndexedFile>();
  private readonly resolver: ModuleResolver;
  private importersOf: Map<string, string[]> | undefined;
  private lastAdopted: ts.SourceFile | undefined;
  private overlayFile: string | undefined;
  /** Moves whenever a file's text, or the set of files, changed. */
  generation = 0;

  constructor(rootDir: string) {
    this.rootDir = rootDir.replace(/\\/g, '/').replace(/\/+$/, '');
    this.resolver = new ModuleResolver(this.rootDir, (fileName) => this.files.has(fileName) || (!fileName.startsWith(`${this.rootDir}/`) && fileExists(fileName)));
    for (const fileName of listSourceFiles(this.rootDir)) this.readFromDisk(fileName);
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
      if (this.overlayFile !== undefined && this.overlayFile !== fileName) this.dropOverlay(this.overlayFile);
      this.refresh();
    }
    const entry = this.files.get(fileName);
    if (entry && entry.text === sourceFile.text) {
      entry.sourceFile ??= sourceFile;
      return entry.sourceFile;
    }
    const stamp = entry?.stamp ?? '';
    this.files.set(fileName, { ...scan(this.rootDir, fileName, sourceFile.text), stamp, overlay: true, sourceFile });
    this.overlayFile = fileName;
    this.changed(!entry);
    return sourceFile;
  }

  /** The parsed file (parsed on first use), or undefined when it is not part of the project. */
  sourceFile(fileName: string): ts.SourceFile | undefined {
    const name = normalize(fileName);
    let entry = this.files.get(name);
    if (!entry && !name.includes('/node_modules/') && fileExists(name)) entry = this.readFromDisk(name);
    if (!entry) return undefined;
    entry.sourceFile ??= parse(name, entry.text);
    return entry.sourceFile;
  }

  /** The file an import names, or undefined for packages and anything that is not a source file of the project. */
  resolveImport(fromFile: string, specifier: string): string | undefined {
    return this.resolver.resolve(normalize(fromFile), specifier);
  }

  /**
   * The files a request graph for `fileName` needs to start from: the files that may register
   * handlers among this file and every file that imports it, directly or through others. Without
   * a checker a handler reaches another file only through an import, so no other file can have
   * an entry point whose path ends here.
   */
  entryFilesFor(fileName: string): string[] {
    const start = normalize(fileName);
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
    return queue.filter((name) => name === start || this.files.get(name)?.mayServe === true).sort();
  }

  /** Every file whose text differs from the index re-read; returns whether anything changed. */
  refresh(): boolean {
    let changed = false;
    for (const [fileName, entry] of this.files) {
      const stamp = stampOf(fileName);
      if (entry.overlay ? stamp === entry.stamp || stamp === '' : stamp === entry.stamp) continue;
      if (stamp === '') this.files.delete(fileName);
      else this.readFromDisk(fileName);
      changed = true;
    }
    if (changed) {
      // A changed file may import one that is new: list the folders again.
      for (const fileName of listSourceFiles(this.rootDir)) if (!this.files.has(fileName)) this.readFromDisk(fileName);
      this.changed(true);
    }
    return changed;
  }

  private dropOverlay(fileName: string): void {
    this.overlayFile = undefined;
    const entry = this.files.get(fileName);
    if (!entry?.overlay) return;
    if (entry.stamp === '' || stampOf(fileName) === '') this.files.delete(fileName);
    else this.readFromDisk(fileName);
    this.changed(true);
  }

  private changed(filesAddedOrRemoved: boolean): void {
    this.generation++;
    this.importersOf = undefined;
    if (filesAddedOrRemoved) this.resolver.clear();
  }

  private reverseEdges(): Map<string, string[]> {
    if (this.importersOf) return this.importersOf;
    const importers = new Map<string, string[]>();
    for (const [fileName, entry] of this.files) {
      for (const specifier of entry.specifiers) {
        const target = this.resolver.resolve(fileName, specifier);
        if (!target || target === fileName) continue;
        const list = importers.get(target);
        if (!list) importers.set(target, [fileName]);
        else if (list[list.length - 1] !== fileName) list.push(fileName);
      }
    }
    this.importersOf = importers;
    return importers;
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

/** Bundles and generated files above this size are left out of the index. */
const MAX_FILE_SIZE = 2_000_000;

function scan(rootDir: string, fileName: string, text: string): Pick<IndexedFile, 'text' | 'specifiers' | 'mayServe'> {
  let specifiers: string[] = [];
  try {
    specifiers = ts.preProcessFile(text, true, true).importedFiles.map((reference) => reference.fileName);
  } catch {
    // An unreadable file imports nothing we can see.
  }
  const relativePath = relativeTo(rootDir, fileName);
  const mayServe = !text.startsWith('#!') && !isNonServerPath(relativePath) && mayServeRequests(relativePath, text);
  return { text, specifiers, mayServe };
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

export function parse(fileName: string, text: string): ts.SourceFile {
  try {
    return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  } catch {
    // The parser recurses: absurdly nested input is analysed as if it were empty.
    return ts.createSourceFile(fileName, '', ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  }
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

const indexes = new Map<string, ProjectIndex>();

/** The index of the project at `rootDir`, created on first use and kept for the process (each ESLint worker has its own). */
export function projectIndexFor(rootDir: string): ProjectIndex {
  const key = rootDir.replace(/\\/g, '/').replace(/\/+$/, '');
  let index = indexes.get(key);
  if (!index) {
    index = new ProjectIndex(key);
    indexes.set(key, index);
  }
  return index;
}
