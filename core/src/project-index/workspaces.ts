import * as fs from 'node:fs';
import * as path from 'node:path';

/** A package of the monorepo the project is part of: `@shop/db` → its folder and manifest. */
export interface WorkspacePackage {
  dir: string;
  manifest: { main?: unknown; module?: unknown; exports?: unknown; source?: unknown; dependencies?: unknown; optionalDependencies?: unknown };
}

/**
 * The workspace packages visible from `rootDir`: the nearest package.json above (or at) it with a
 * `workspaces` field, or a `pnpm-workspace.yaml`, gives folder globs (`packages/*`, `apps/**`);
 * each folder with a package.json and a name is a package.
 */
export function findWorkspacePackages(rootDir: string): Map<string, WorkspacePackage> {
  const packages = new Map<string, WorkspacePackage>();
  for (let dir = path.resolve(rootDir), guard = 0; guard < 32; guard++) {
    const patterns = workspacePatterns(dir);
    if (patterns) {
      for (const folder of expandFolders(dir, patterns)) {
        const manifest = readJson(path.join(folder, 'package.json'));
        if (manifest && typeof manifest.name === 'string') packages.set(manifest.name, { dir: folder, manifest });
      }
      return packages;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return packages;
}

/**
 * The root of the monorepo whose workspace globs list `packageDir` as one of its packages, when another
 * package of it depends on this one at run time (`dependencies`, `optionalDependencies`): a library the
 * monorepo's services import (Flowise's `packages/components`, novu's `packages/providers`), whose code
 * runs on their routes. Undefined for the root itself, a package nothing of the workspace depends on (a
 * service, an app: it is its own project), a folder no glob lists (a package only installed as a
 * dependency), and a project that is no workspace. The nearest folder above with a `workspaces` field
 * or a `pnpm-workspace.yaml` decides; once per folder for the life of the process, as
 * `projectIndexFor` keeps its indexes.
 */
export function workspaceRootOf(packageDir: string): string | undefined {
  const dir = path.resolve(packageDir);
  if (workspaceRoots.has(dir)) return workspaceRoots.get(dir);
  let root: string | undefined;
  for (let parent = path.dirname(dir), guard = 0; guard < 32; guard++) {
    if (workspacePatterns(parent)) {
      let packages = packagesOfRoot.get(parent);
      if (!packages) {
        packages = findWorkspacePackages(parent);
        packagesOfRoot.set(parent, packages);
      }
      const own = [...packages].find(([, pkg]) => path.resolve(pkg.dir) === dir);
      const dependedOn = own !== undefined && [...packages.values()].some((pkg) => pkg !== own[1] && dependsOn(pkg.manifest, own[0]));
      if (dependedOn) root = parent;
      break;
    }
    const next = path.dirname(parent);
    if (next === parent) break;
    parent = next;
  }
  root ??= localDependentsRoot(dir);
  workspaceRoots.set(dir, root);
  return root;
}

/**
 * The folder holding both a package and the packages of the same repository that depend on it by a local
 * path (`"common": "file:../common"`, pnpm's and yarn's `link:../common`, yarn's `portal:`), when no
 * workspace lists it: npm links the folder into the dependents' `node_modules`, so its code runs on their
 * routes, as a workspace package's does (MCSManager's `common`, imported by its panel and its daemon).
 * The dependents are looked for two folders deep under the repository's root folder: the nearest of the
 * package's parent and grandparent with a package.json or a `.git` (a folder holding a repository's
 * projects side by side, or `packages/` beside `apps/`); never above a repository the package is the root of.
 */
function localDependentsRoot(dir: string): string | undefined {
  if (fs.existsSync(path.join(dir, '.git'))) return undefined;
  for (let ancestor = path.dirname(dir), level = 0; level < 2; level++) {
    if (fs.existsSync(path.join(ancestor, 'package.json')) || fs.existsSync(path.join(ancestor, '.git'))) {
      const dependents = packageFoldersUnder(ancestor, 2).filter((folder) => folder !== dir && dependsOnFolder(folder, dir));
      return dependents.length > 0 ? dependents.reduce(commonFolder, dir) : undefined;
    }
    const next = path.dirname(ancestor);
    if (next === ancestor) break;
    ancestor = next;
  }
  return undefined;
}

/** The folders at most `depth` levels below `dir` with a package.json (`node_modules` and dot-folders left out). */
function packageFoldersUnder(dir: string, depth: number): string[] {
  return subfolders(dir, depth).filter((folder) => fs.existsSync(path.join(folder, 'package.json')));
}

function dependsOnFolder(packageDir: string, target: string): boolean {
  const manifest = readJson(path.join(packageDir, 'package.json'));
  return manifest !== undefined && [...localPackageDependencies(manifest, packageDir).values()].includes(target);
}

function commonFolder(a: string, b: string): string {
  let common = a;
  while (common !== path.dirname(common) && b !== common && !b.startsWith(`${common}${path.sep}`)) common = path.dirname(common);
  return common;
}

/** A dependency's local path: `file:../common`, `link:../common`, `portal:../common` (a folder; tarballs are installed copies). */
const LOCAL_SPECIFIER = /^(?:file|link|portal):(.+)$/;

/**
 * The run-time dependencies of a package that name a folder of the disk by a local path, by the name the
 * package imports them with, resolved against the package's folder.
 */
export function localPackageDependencies(manifest: Record<string, unknown>, packageDir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const field of [manifest.dependencies, manifest.optionalDependencies]) {
    if (field === null || typeof field !== 'object') continue;
    for (const [name, spec] of Object.entries(field as Record<string, unknown>)) {
      const local = typeof spec === 'string' ? LOCAL_SPECIFIER.exec(spec.trim())?.[1] : undefined;
      if (local === undefined || /\.(?:tgz|tar(?:\.gz)?|zip)$/i.test(local)) continue;
      found.set(name, path.resolve(packageDir, local));
    }
  }
  return found;
}

/**
 * The package a bare import names by a local path in the package.json nearest to the importing folder
 * (`import { save } from 'common'` with `"common": "file:../common"`): what npm's link of the folder into
 * `node_modules` gives once installed. Undefined when the nearest manifest has no such dependency.
 */
export function localPackageOf(folder: string, name: string): WorkspacePackage | undefined {
  const manifestDir = nearestManifestDir(folder);
  if (manifestDir === undefined) return undefined;
  const dir = localDependenciesOf(manifestDir).get(name);
  if (dir === undefined) return undefined;
  const manifest = readJson(path.join(dir, 'package.json'));
  return { dir, manifest: manifest ?? {} };
}

/** The folder of the package.json nearest at or above a folder (kept for the process, as workspace roots are). */
export function nearestManifestDir(folder: string): string | undefined {
  for (let dir = path.resolve(folder), guard = 0; guard < 32; guard++) {
    if (manifestDirs.has(dir)) return manifestDirs.get(dir);
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      manifestDirs.set(path.resolve(folder), dir);
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  manifestDirs.set(path.resolve(folder), undefined);
  return undefined;
}

function localDependenciesOf(manifestDir: string): Map<string, string> {
  let known = localDependencies.get(manifestDir);
  if (!known) {
    const manifest = readJson(path.join(manifestDir, 'package.json'));
    known = manifest ? localPackageDependencies(manifest, manifestDir) : new Map<string, string>();
    localDependencies.set(manifestDir, known);
  }
  return known;
}

const manifestDirs = new Map<string, string | undefined>();
const localDependencies = new Map<string, Map<string, string>>();

function dependsOn(manifest: WorkspacePackage['manifest'], name: string): boolean {
  return [manifest.dependencies, manifest.optionalDependencies].some((field) => field !== null && typeof field === 'object' && name in field);
}

const workspaceRoots = new Map<string, string | undefined>();
const packagesOfRoot = new Map<string, Map<string, WorkspacePackage>>();

function workspacePatterns(dir: string): string[] | undefined {
  const manifest = readJson(path.join(dir, 'package.json'));
  const field = manifest?.workspaces;
  if (Array.isArray(field)) return field.filter((p): p is string => typeof p === 'string');
  if (field && typeof field === 'object' && Array.isArray((field as { packages?: unknown }).packages)) {
    return ((field as { packages: unknown[] }).packages).filter((p): p is string => typeof p === 'string');
  }
  let yaml: string;
  try {
    yaml = fs.readFileSync(path.join(dir, 'pnpm-workspace.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  // The `packages:` list of pnpm-workspace.yaml: `  - 'packages/*'` lines.
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const match = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(?:#.*)?$/.exec(line);
      if (match) patterns.push(match[1]);
    }
  }
  return patterns;
}

/** Folders a workspace glob names: `packages/*` (one level), `apps/**` (any depth, bounded), or a plain folder. Negations are skipped. */
function expandFolders(root: string, patterns: readonly string[]): string[] {
  const folders: string[] = [];
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    const parts = pattern.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
    let current = [root];
    for (const part of parts) {
      const next: string[] = [];
      for (const dir of current) {
        if (part === '*' || part === '**') next.push(...subfolders(dir, part === '**' ? 3 : 1));
        else next.push(path.join(dir, part));
      }
      current = next;
    }
    folders.push(...current);
  }
  return folders;
}

function subfolders(dir: string, depth: number): string[] {
  if (depth === 0) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const result: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const child = path.join(dir, entry.name);
    result.push(child, ...subfolders(child, depth - 1));
  }
  return result;
}

function readJson(fileName: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(fileName, 'utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Conditions in the order a server-side import of the package's source would pick them. */
const CONDITIONS = ['source', 'development', 'node', 'import', 'require', 'default'];

/**
 * The files (without extension probing) a specifier into a workspace package names: `exports`
 * (a string, a conditions object, or a subpath map), else `source`/`module`/`main`, else `index`.
 */
export function packageEntryCandidates(pkg: WorkspacePackage, subpath: string): string[] {
  const candidates: string[] = [];
  const exportsField = pkg.manifest.exports;
  const key = subpath === '' ? '.' : `./${subpath}`;
  if (typeof exportsField === 'string' && key === '.') candidates.push(exportsField);
  else if (exportsField && typeof exportsField === 'object') {
    const map = exportsField as Record<string, unknown>;
    const isSubpathMap = Object.keys(map).some((k) => k.startsWith('.'));
    if (isSubpathMap) {
      const direct = map[key];
      if (direct !== undefined) candidates.push(...conditionTargets(direct));
      else {
        for (const [pattern, target] of Object.entries(map)) {
          const star = pattern.indexOf('*');
          if (star < 0 || !key.startsWith(pattern.slice(0, star)) || !key.endsWith(pattern.slice(star + 1))) continue;
          const matched = key.slice(star, key.length - (pattern.length - star - 1));
          candidates.push(...conditionTargets(target).map((t) => t.replace('*', matched)));
        }
      }
    } else if (key === '.') candidates.push(...conditionTargets(map));
  }
  if (key === '.') {
    for (const field of [pkg.manifest.source, pkg.manifest.module, pkg.manifest.main]) if (typeof field === 'string') candidates.push(field);
    candidates.push('src/index', 'index');
  } else candidates.push(subpath, `src/${subpath}`);
  return candidates.map((candidate) => path.resolve(pkg.dir, candidate));
}

function conditionTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(conditionTargets);
  if (!value || typeof value !== 'object') return [];
  const map = value as Record<string, unknown>;
  return CONDITIONS.filter((condition) => condition in map).flatMap((condition) => conditionTargets(map[condition]));
}
