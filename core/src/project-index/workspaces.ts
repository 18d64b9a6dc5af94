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
  workspaceRoots.set(dir, root);
  return root;
}

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
