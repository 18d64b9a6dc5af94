import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES, pathCandidates, readCompilerPathsOf, ROOT_BASE_CONFIG, type CompilerPaths } from './compiler-paths';
import { findWorkspacePackages, localPackageOf, nearestManifestDir, packageEntryCandidates, type WorkspacePackage } from './workspaces';

/** Source extensions probed after a specifier without one, in TypeScript's order. */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
/** A `.js` specifier may name a `.ts` source (ESM TypeScript writes the output's extension). */
const OUTPUT_TO_SOURCE: Record<string, readonly string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

export function isSourceFileName(fileName: string): boolean {
  return SOURCE_FILE.test(fileName) && !DECLARATION_FILE.test(fileName);
}

/**
 * Module specifiers → source files of the project, by path alone (the way import resolvers for
 * linters work): relative paths with extension and `index` probing, `.js` specifiers naming `.ts`
 * sources, `paths` and `baseUrl` of the tsconfig/jsconfig nearest to the importing file (as each
 * project of a monorepo compiles its own files), and workspace packages by their package.json
 * `exports`/`main` (with `dist/` → `src/` when only the source exists). Packages in node_modules
 * are outside the project: undefined.
 */
export class ModuleResolver {
  private workspaces: Map<string, WorkspacePackage> | undefined;
  private readonly cache = new Map<string, string | null>();
  /** Folder → the config file its code is compiled with ('' for none), and config file → its aliases. */
  private readonly configOfFolder = new Map<string, string>();
  private readonly pathsOfConfig = new Map<string, CompilerPaths>();

  /**
   * @param exists whether a source file exists; the project index answers from its file list, so
   *   resolving costs no file-system calls for files inside the project.
   */
  constructor(
    readonly rootDir: string,
    private readonly exists: (fileName: string) => boolean = fileExists,
  ) {}

  resolve(fromFile: string, specifier: string): string | undefined {
    // A bare import reads the compiler paths and the local-path dependencies of the importing file's folder.
    const folder = path.dirname(fromFile);
    const key = specifier.startsWith('.') ? `${folder}\u0000${specifier}` : `${this.configOf(folder)}\u0000${nearestManifestDir(folder) ?? ''}\u0000${specifier}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let resolved: string | undefined;
    try {
      resolved = this.resolveUncached(fromFile, specifier);
    } catch {
      resolved = undefined;
    }
    this.cache.set(key, resolved ?? null);
    return resolved;
  }

  /** Forgets answers (after files were added or removed). */
  clear(): void {
    this.cache.clear();
  }

  /** Forgets the specifiers that resolved to nothing (a file was added, nothing removed). */
  forgetUnresolved(): void {
    for (const [key, value] of this.cache) if (value === null) this.cache.delete(key);
  }

  private resolveUncached(fromFile: string, specifier: string): string | undefined {
    const bare = specifier.replace(/[?#].*$/, '');
    if (bare.startsWith('./') || bare.startsWith('../') || bare === '.' || bare === '..') return this.probe(path.resolve(path.dirname(fromFile), bare));
    if (path.isAbsolute(bare)) return this.probe(bare);
    if (bare.startsWith('node:')) return undefined;
    const compilerPaths = this.compilerPathsOf(this.configOf(path.dirname(fromFile)));
    for (const candidate of pathCandidates(bare, compilerPaths)) {
      const found = this.probe(candidate);
      if (found) return found;
    }
    const fromPackage = this.resolveWorkspacePackage(bare) ?? this.resolveLocalPackage(fromFile, bare);
    if (fromPackage) return fromPackage;
    if (compilerPaths.baseUrl) return this.probe(path.resolve(compilerPaths.baseUrl, bare));
    return undefined;
  }

  /**
   * The config file code in this folder is compiled with: the nearest `tsconfig.json` (else
   * `jsconfig.json`) at or above it up to the root, else the root's `tsconfig.base.json`; '' for none.
   */
  private configOf(folder: string): string {
    const known = this.configOfFolder.get(folder);
    if (known !== undefined) return known;
    let config = '';
    const inRoot = folder === this.rootDir || folder.startsWith(`${this.rootDir}/`);
    const own = inRoot ? CONFIG_FILE_NAMES.map((name) => path.posix.join(folder, name)).find((file) => fs.existsSync(file)) : undefined;
    if (own) config = own;
    else if (inRoot && folder !== this.rootDir) config = this.configOf(path.posix.dirname(folder));
    else {
      const base = path.posix.join(this.rootDir, ROOT_BASE_CONFIG);
      config = fs.existsSync(base) ? base : '';
    }
    this.configOfFolder.set(folder, config);
    return config;
  }

  private compilerPathsOf(configFile: string): CompilerPaths {
    let paths = this.pathsOfConfig.get(configFile);
    if (!paths) {
      paths = configFile ? readCompilerPathsOf(configFile) : { baseUrl: undefined, paths: [] };
      this.pathsOfConfig.set(configFile, paths);
    }
    return paths;
  }

  /**
   * A bare import of a package of the monorepo the root belongs to (`@shop/db`, `@shop/db/users`):
   * its source entry, as the workspace's `node_modules` link would give it once installed.
   */
  resolveWorkspaceImport(specifier: string): string | undefined {
    const bare = specifier.replace(/[?#].*$/, '');
    if (bare.startsWith('.') || path.isAbsolute(bare) || bare.startsWith('node:')) return undefined;
    try {
      return this.resolveWorkspacePackage(bare);
    } catch {
      return undefined;
    }
  }

  private resolveWorkspacePackage(specifier: string): string | undefined {
    const { name, subpath } = packageName(specifier);
    if (name === undefined) return undefined;
    this.workspaces ??= findWorkspacePackages(this.rootDir);
    const pkg = this.workspaces.get(name);
    return pkg && this.packageEntry(pkg, subpath);
  }

  /** A bare import of a package the importing file's package.json names by a local path (`"common": "file:../common"`). */
  private resolveLocalPackage(fromFile: string, specifier: string): string | undefined {
    const { name, subpath } = packageName(specifier);
    const pkg = name === undefined ? undefined : localPackageOf(path.dirname(fromFile), name);
    return pkg && this.packageEntry(pkg, subpath);
  }

  private packageEntry(pkg: WorkspacePackage, subpath: string): string | undefined {
    for (const candidate of packageEntryCandidates(pkg, subpath)) {
      const found = this.probe(candidate) ?? this.probe(outputToSourceFolder(pkg.dir, candidate));
      if (found) return found;
    }
    return undefined;
  }

  /** A path without or with an extension → the source file: exact, `.js`→`.ts`, `+ext`, `/index+ext`. */
  private probe(base: string): string | undefined {
    const normalized = base.replace(/\\/g, '/');
    const extension = path.extname(normalized);
    for (const sourceExtension of OUTPUT_TO_SOURCE[extension] ?? []) {
      const twin = normalized.slice(0, -extension.length) + sourceExtension;
      if (this.exists(twin)) return twin;
    }
    if (isSourceFileName(normalized) && this.exists(normalized)) return normalized;
    for (const sourceExtension of SOURCE_EXTENSIONS) {
      if (this.exists(normalized + sourceExtension)) return normalized + sourceExtension;
    }
    for (const sourceExtension of SOURCE_EXTENSIONS) {
      const index = `${normalized}/index${sourceExtension}`;
      if (this.exists(index)) return index;
    }
    return undefined;
  }
}

/** `@shop/db/users` → `@shop/db` and `users`; `lodash` → `lodash` and ''. */
function packageName(specifier: string): { name: string | undefined; subpath: string } {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < nameLength) return { name: undefined, subpath: '' };
  return { name: parts.slice(0, nameLength).join('/'), subpath: parts.slice(nameLength).join('/') };
}

/** `pkg/dist/index.js` → `pkg/src/index.js` (probed as `.ts` too): a workspace package's source before it is built. */
function outputToSourceFolder(packageDir: string, candidate: string): string {
  const relative = path.relative(packageDir, candidate).replace(/\\/g, '/');
  return path.join(packageDir, relative.replace(/^(?:dist|lib|build|out)(?:\/(?:cjs|esm|src))?\//, 'src/'));
}

function fileExists(fileName: string): boolean {
  try {
    return fs.statSync(fileName).isFile();
  } catch {
    return false;
  }
}
