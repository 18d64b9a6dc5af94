/**
 * One TypeScript language service per tsconfig.json (or jsconfig.json) of the workspace, created
 * when a file of it is first needed and disposed when no open file needs it any more, and one
 * inferred project for files outside every tsconfig. Services read open
 * documents first and the disk second, so analysis sees unsaved edits, including in other files.
 * Nothing here runs workspace code: tsconfig files are parsed as JSON and no plugins are loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { withWorkspacePresets } from '@stateless/core';
import type { Documents } from './documents';
import { isAnalysable, MAX_FILE_LENGTH } from './documents';

/** Folders never searched for tsconfig files. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'coverage']);
/** How long a project with no open file stays loaded (reopening a file soon after is common). */
const UNLOAD_AFTER_CLOSE_MILLISECONDS = 60_000;
/** Enough for large monorepos; the search stops there rather than walk a home folder. */
const MAX_FOLDERS_SEARCHED = 20_000;

const INFERRED_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  jsx: ts.JsxEmit.Preserve,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  skipLibCheck: true,
  noEmit: true,
};

/** Versions of files on disk, bumped by the file watcher; shared by every project. */
class DiskVersions {
  private readonly versions = new Map<string, number>();
  get(fileName: string): number {
    return this.versions.get(fileName) ?? 0;
  }
  bump(fileName: string): void {
    this.versions.set(fileName, this.get(fileName) + 1);
  }
}

/** A TypeScript project: a tsconfig.json's files, or the inferred project's open files. */
export class Project {
  private readonly service: ts.LanguageService;
  private parsed: { fileNames: string[]; options: ts.CompilerOptions; files: Set<string> } | undefined;
  private version = 0;
  private lastProgram: ts.Program | undefined;
  private readonly diskSnapshots = new Map<string, { version: number; snapshot: ts.IScriptSnapshot | undefined }>();

  constructor(
    /** The tsconfig.json, or undefined for the inferred project. */
    readonly configFile: string | undefined,
    private readonly documents: Documents,
    private readonly disk: DiskVersions,
    private readonly inferredRoots: () => string[],
    private readonly log: (message: string) => void,
  ) {
    this.service = ts.createLanguageService(this.host(), ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames));
  }

  get name(): string {
    return this.configFile ?? 'inferred project';
  }

  /** The project's program over the current texts (built incrementally by the language service). */
  program(): ts.Program | undefined {
    try {
      this.lastProgram = this.service.getProgram();
      return this.lastProgram;
    } catch (error) {
      this.log(`Stateless: could not build the TypeScript program of ${this.name}: ${String(error)}`);
      return undefined;
    }
  }

  /** Whether the file is one of the project's root files (for the inferred project: an open file outside every tsconfig). */
  owns(fileName: string): boolean {
    return this.configFile ? this.config().files.has(fileName) : this.inferredRoots().includes(fileName);
  }

  /** Whether the last program built reads this file (root or imported), without building a new one. */
  reads(fileName: string): boolean {
    return this.owns(fileName) || this.lastProgram?.getSourceFile(fileName) !== undefined;
  }

  /** The root files the workspace scan analyses. */
  rootFiles(): string[] {
    return this.configFile ? this.config().fileNames : this.inferredRoots();
  }

  /** Something the project reads changed: the next program is rebuilt (reusing unchanged files). */
  touch(): void {
    this.version++;
  }

  /** The file list may have changed (a file was created or deleted): read the tsconfig again. */
  reloadFileList(): void {
    this.parsed = undefined;
    this.touch();
  }

  dispose(): void {
    this.lastProgram = undefined;
    this.diskSnapshots.clear();
    this.service.dispose();
  }

  private config(): { fileNames: string[]; options: ts.CompilerOptions; files: Set<string> } {
    if (this.parsed) return this.parsed;
    if (!this.configFile) return (this.parsed = { fileNames: [], options: INFERRED_OPTIONS, files: new Set() });
    const host: ts.ParseConfigFileHost = withWorkspacePresets(this.configFile, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => this.log(`Stateless: ${this.configFile}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`),
    });
    // A jsconfig.json is a tsconfig.json with allowJs on (what VS Code's TypeScript server assumes).
    const existing: ts.CompilerOptions = isJsConfig(this.configFile) ? { noEmit: true, allowJs: true, skipLibCheck: true } : { noEmit: true };
    const parsed = ts.getParsedCommandLineOfConfigFile(this.configFile, existing, host);
    const fileNames = (parsed?.fileNames ?? []).map((name) => name.replace(/\\/g, '/'));
    this.parsed = { fileNames, options: parsed?.options ?? INFERRED_OPTIONS, files: new Set(fileNames) };
    return this.parsed;
  }

  private host(): ts.LanguageServiceHost {
    const directory = this.configFile ? path.posix.dirname(this.configFile) : process.cwd();
    return {
      getProjectVersion: () => String(this.version),
      getCompilationSettings: () => this.config().options,
      getScriptFileNames: () => this.rootFiles(),
      getScriptVersion: (fileName) => {
        const document = this.documents.byFileName(fileName);
        return document ? `open:${document.version}` : `disk:${this.disk.get(fileName)}`;
      },
      getScriptSnapshot: (fileName) => {
        const document = this.documents.byFileName(fileName);
        if (document) {
          const text = document.getText();
          return ts.ScriptSnapshot.fromString(text);
        }
        // The language service asks for the snapshot of every file of the program on every update
        // (to compare versions): a file on disk is read once per disk version, not per keystroke.
        const version = this.disk.get(fileName);
        const known = this.diskSnapshots.get(fileName);
        if (known?.version === version) return known.snapshot;
        const text = this.read(fileName);
        const snapshot = text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
        this.diskSnapshots.set(fileName, { version, snapshot });
        return snapshot;
      },
      getCurrentDirectory: () => directory,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (fileName) => this.documents.byFileName(fileName) !== undefined || ts.sys.fileExists(fileName),
      readFile: (fileName) => this.read(fileName),
      readDirectory: (...args) => ts.sys.readDirectory(...args),
      directoryExists: (name) => ts.sys.directoryExists(name),
      getDirectories: (name) => ts.sys.getDirectories(name),
      realpath: (name) => (ts.sys.realpath ? ts.sys.realpath(name) : name),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
  }

  /** Open document first, disk second; source files over the size limit read as empty. */
  private read(fileName: string): string | undefined {
    const document = this.documents.byFileName(fileName);
    if (document) return document.getText();
    if (isAnalysable(fileName)) {
      try {
        const { size } = fs.statSync(fileName);
        if (size > MAX_FILE_LENGTH) {
          this.log(`Stateless: ${this.name} reads ${fileName} as empty: it is ${(size / (1024 * 1024)).toFixed(1)} MB, over the ${(MAX_FILE_LENGTH / (1024 * 1024)).toFixed(1)} MB limit.`);
          return '';
        }
      } catch {
        return undefined;
      }
    }
    return ts.sys.readFile(fileName);
  }
}

/** Finds the project of a file; keeps the projects in step with tsconfig and source changes. */
export class Projects {
  private readonly configured = new Map<string, Project>();
  private configFiles: string[] = [];
  private readonly inferred: Project;
  private readonly disk = new DiskVersions();
  private readonly ownerCache = new Map<string, Project>();
  private unloadTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly documents: Documents,
    private readonly log: (message: string) => void,
  ) {
    this.inferred = new Project(undefined, documents, this.disk, () => this.inferredRoots(), log);
  }

  /** Looks for tsconfig.json files in the workspace folders (projects are created later, on demand). */
  setWorkspaceFolders(folders: readonly string[]): void {
    this.reset();
    this.configFiles = folders.flatMap(findConfigFiles).sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b));
  }

  /** The file's project: the nearest tsconfig.json that includes it, any other that does, else the inferred project. */
  projectFor(fileName: string): Project {
    const cached = this.ownerCache.get(fileName);
    if (cached) return cached;
    const nearestFirst = [...ancestorConfigFiles(fileName), ...this.configFiles];
    const owner = nearestFirst.map((configFile) => this.configuredProject(configFile)).find((project) => project.owns(fileName)) ?? this.inferred;
    this.ownerCache.set(fileName, owner);
    if (owner === this.inferred) this.inferred.reloadFileList();
    return owner;
  }

  /** Every project of the workspace (creating those not used yet), for the workspace scan. */
  allProjects(): Project[] {
    for (const configFile of this.configFiles) this.configuredProject(configFile);
    return [...this.configured.values(), this.inferred];
  }

  /** The projects created so far. */
  loadedProjects(): Project[] {
    return [...this.configured.values(), this.inferred];
  }

  /** An open document's text changed. */
  documentChanged(fileName: string): void {
    for (const project of this.loadedProjects()) if (project.reads(fileName)) project.touch();
  }

  /** A document was opened or closed: the inferred project's roots may change, and open text replaces disk text or back. */
  documentOpenedOrClosed(fileName: string): void {
    this.ownerCache.delete(fileName);
    this.inferred.reloadFileList();
    this.documentChanged(fileName);
  }

  /** The watcher saw a source file change on disk; created and deleted files change file lists. */
  diskFileChanged(fileName: string, createdOrDeleted: boolean): void {
    this.disk.bump(fileName);
    if (createdOrDeleted) {
      this.ownerCache.clear();
      for (const project of this.loadedProjects()) project.reloadFileList();
    } else {
      this.documentChanged(fileName);
    }
  }

  /** After the last file of a project is closed, its project goes once no file of it was reopened for a while. */
  scheduleUnload(): void {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.unloadTimer = setTimeout(() => {
      this.unloadTimer = undefined;
      this.unloadUnused();
    }, UNLOAD_AFTER_CLOSE_MILLISECONDS);
    this.unloadTimer.unref();
  }

  /**
   * Disposes the configured projects that no open document belongs to (their language service,
   * program and the analyses cached on it): a workspace of many projects holds only those in use.
   * A project is created again, on demand, when one of its files is needed.
   */
  unloadUnused(only?: Project): Project[] {
    const inUse = new Set(this.documents.openFileNames().map((fileName) => this.projectFor(fileName)));
    const unloaded: Project[] = [];
    for (const [configFile, project] of this.configured) {
      if ((only && project !== only) || inUse.has(project)) continue;
      project.dispose();
      this.configured.delete(configFile);
      unloaded.push(project);
    }
    if (unloaded.length > 0) {
      for (const [fileName, owner] of this.ownerCache) if (unloaded.includes(owner)) this.ownerCache.delete(fileName);
      this.log(`Stateless: unloaded ${unloaded.length} project${unloaded.length === 1 ? '' : 's'} with no open file (${unloaded.map((project) => project.name).join(', ')}).`);
    }
    return unloaded;
  }

  /** A tsconfig changed, appeared or went away: start over with the same folders. */
  configChanged(folders: readonly string[]): void {
    this.setWorkspaceFolders(folders);
  }

  private reset(): void {
    for (const project of this.configured.values()) project.dispose();
    this.configured.clear();
    this.ownerCache.clear();
    this.inferred.reloadFileList();
  }

  private configuredProject(configFile: string): Project {
    let project = this.configured.get(configFile);
    if (!project) {
      project = new Project(configFile, this.documents, this.disk, () => [], this.log);
      this.configured.set(configFile, project);
    }
    return project;
  }

  private inferredRoots(): string[] {
    return this.documents.openFileNames().filter((fileName) => isAnalysable(fileName) && this.projectFor(fileName) === this.inferred);
  }
}

/** The project file names, in the order a folder's are preferred (as VS Code's TypeScript server does). */
const CONFIG_FILE_NAMES = ['tsconfig.json', 'jsconfig.json'];

function isJsConfig(configFile: string): boolean {
  return configFile.endsWith('/jsconfig.json');
}

/** tsconfig.json (else jsconfig.json) files in the folders above a file, nearest first. */
function ancestorConfigFiles(fileName: string): string[] {
  const found: string[] = [];
  for (let directory = path.posix.dirname(fileName); ; directory = path.posix.dirname(directory)) {
    const prefix = directory === '/' ? '' : directory;
    const candidate = CONFIG_FILE_NAMES.map((name) => `${prefix}/${name}`).find((file) => ts.sys.fileExists(file));
    if (candidate) found.push(candidate);
    if (path.posix.dirname(directory) === directory) return found;
  }
}

/** Every tsconfig.json (or jsconfig.json) under a folder, skipping dependencies, build output and hidden folders. */
function findConfigFiles(root: string): string[] {
  const found: string[] = [];
  const queue = [root.replace(/\\/g, '/').replace(/\/+$/, '')];
  for (let searched = 0; queue.length > 0 && searched < MAX_FOLDERS_SEARCHED; searched++) {
    const directory = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) queue.push(`${directory}/${entry.name}`);
    }
    // A folder's tsconfig.json, else its jsconfig.json: a plain JavaScript project is a project too.
    const configFile = CONFIG_FILE_NAMES.find((name) => entries.some((entry) => entry.isFile() && entry.name === name));
    if (configFile) found.push(`${directory}/${configFile}`);
  }
  return found;
}
