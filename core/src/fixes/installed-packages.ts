import ts = require('typescript');
import { findWorkspacePackages } from '../project-index/workspaces';

/**
 * The version of a package the user's project uses, read (never loaded) from the nearest
 * `node_modules/<name>/package.json` above a file, or else from the lowest version the nearest
 * package.json that lists it allows (`^7.4.1` → 7.4.1). Undefined when neither says.
 */
export function usedPackageVersion(fromFile: string, name: string): string | undefined {
  let declared: string | undefined;
  for (let folder = fromFile.slice(0, fromFile.lastIndexOf('/')); folder !== ''; ) {
    const installed = readJson(`${folder}/node_modules/${name}/package.json`)?.version;
    if (typeof installed === 'string' && parseVersion(installed)) return installed;
    if (declared === undefined) {
      const manifest = readJson(`${folder}/package.json`);
      for (const table of ['dependencies', 'devDependencies', 'peerDependencies']) {
        const range = (manifest?.[table] as Record<string, unknown> | undefined)?.[name];
        const lowest = typeof range === 'string' ? /\d+\.\d+\.\d+/.exec(range)?.[0] : undefined;
        if (lowest) {
          declared = lowest;
          break;
        }
      }
    }
    const parent = folder.slice(0, folder.lastIndexOf('/'));
    if (parent === folder) break;
    folder = parent;
  }
  return declared;
}

/**
 * The package a file belongs to within its project: the nearest folder between the file and the
 * project root whose package.json names a package (a `name`, or dependencies of its own). A
 * workspace package of a monorepo (`packages/server`) gets the adapters and the dependencies its
 * code imports, as its own package.json is what installs them; a package.json that only sets
 * `"type"` for a folder is not a package. Below another package, a manifest that declares no
 * dependency and has no lockfile or install beside it describes a folder of that package (a plugin's
 * name and version read by the app that loads it, `src/extensions/storage/package.json`): nothing
 * installs it, so the enclosing package is the one. The project root when no folder below it is one,
 * or the package it is a folder of.
 */
export function owningPackageRoot(fileName: string, projectRoot: string): string {
  const root = projectRoot.replace(/\/+$/, '');
  let nearest: string | undefined;
  for (let folder = fileName.slice(0, fileName.lastIndexOf('/')); folder.startsWith(`${root}/`); folder = folder.slice(0, folder.lastIndexOf('/'))) {
    if (/\/node_modules(?:\/|$)/.test(folder.slice(root.length))) return root;
    const manifest = readJson(`${folder}/package.json`);
    if (!namesPackage(manifest)) continue;
    if (installsItself(folder, manifest!)) return folder;
    nearest ??= folder;
  }
  if (nearest !== undefined) return manifestOf(root) === undefined ? nearest : root;
  return packageAbove(root) ?? root;
}

/**
 * A project root that is only a folder of a package (`stateless fix src` in a JavaScript service
 * whose package.json is beside `src`, no config of its own): the package above is the project, so
 * adapters go to its `src/scaling`, not to `src/src/scaling`. A folder with a tsconfig or jsconfig
 * compiles as a project of its own, as a service folder of a repository does.
 */
function packageAbove(root: string): string | undefined {
  if (['package.json', 'tsconfig.json', 'jsconfig.json'].some((name) => ts.sys.fileExists(`${root}/${name}`))) return undefined;
  const manifest = manifestOf(root);
  return manifest === undefined ? undefined : manifest.slice(0, manifest.lastIndexOf('/'));
}

/**
 * Whether a package folder is installed as a package: it declares a dependency, a lockfile or
 * `node_modules` sits beside its manifest, or it is one of the monorepo's workspace packages.
 */
function installsItself(folder: string, manifest: Record<string, unknown>): boolean {
  const declares = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((table) => {
    const entries = manifest[table];
    return typeof entries === 'object' && entries !== null && Object.keys(entries).length > 0;
  });
  if (declares || ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'node_modules'].some((name) => ts.sys.fileExists(`${folder}/${name}`) || ts.sys.directoryExists(`${folder}/${name}`))) return true;
  // Last, as it lists the workspace's folders: a package of its own that declares nothing (`@shop/types`).
  return [...findWorkspacePackages(folder).values()].some((workspace) => workspace.dir.replace(/\\/g, '/') === folder);
}

/** A package.json that names a package (a `name`, or dependencies of its own), not one that only sets `"type"` for a folder. */
function namesPackage(manifest: Record<string, unknown> | undefined): boolean {
  return manifest !== undefined && (typeof manifest.name === 'string' || ['dependencies', 'devDependencies'].some((table) => typeof manifest[table] === 'object'));
}

/**
 * The package.json a package root's dependencies go to: its own, else the nearest one above it that
 * names a package (a service folder with a tsconfig but no manifest of its own, installed by the
 * repository's package.json). Undefined when there is none: the dependencies are then only listed.
 */
export function manifestOf(packageRoot: string): string | undefined {
  const root = packageRoot.replace(/\/+$/, '');
  if (ts.sys.fileExists(`${root}/package.json`)) return `${root}/package.json`;
  for (let folder = root.slice(0, root.lastIndexOf('/')); folder !== '' && !/\/node_modules$/.test(folder); folder = folder.slice(0, folder.lastIndexOf('/'))) {
    if (namesPackage(readJson(`${folder}/package.json`))) return `${folder}/package.json`;
  }
  return undefined;
}

/**
 * The ranges the installed packages accept `name` in as a peer (optional or not), read from the
 * nearest package-lock.json above a file (lockfile v2 and v3 list each package's peers). npm
 * refuses to add a version of `name` outside any of them, even an optional one: TypeORM up to
 * 0.3.26 declares `redis` `^3.1.1 || ^4.0.0`.
 */
export function peerRanges(fromFile: string, name: string): string[] {
  for (let folder = fromFile.slice(0, fromFile.lastIndexOf('/')); folder !== ''; ) {
    const packages = readJson(`${folder}/package-lock.json`)?.packages;
    if (packages && typeof packages === 'object') {
      return Object.values(packages as Record<string, { peerDependencies?: Record<string, unknown> }>)
        .map((entry) => entry?.peerDependencies?.[name])
        .filter((range): range is string => typeof range === 'string');
    }
    const parent = folder.slice(0, folder.lastIndexOf('/'));
    if (parent === folder) break;
    folder = parent;
  }
  return [];
}

/**
 * Whether a semver range admits the newer releases of one major (`^3.1.1 || ^4.0.0` admits 4, not
 * 5; `>=5`, `5.x`, `*` admit 5). A release late in the major stands for the one npm would pick.
 */
export function admitsMajor(range: string, major: number): boolean {
  const probe: [number, number, number] = [major, 9999, 0];
  return range.split('||').some((alternative) => {
    const comparators = alternative.trim().replace(/([<>=~^]+)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comparators.every((comparator) => {
      const match = /^([<>]=?|=|\^|~)?v?(\d+|[x*])(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?/.exec(comparator);
      if (!match) return true; // a form read nowhere here (`1.2.3 - 2.3.4`) stands in no one's way
      const operator = match[1] ?? '';
      if (match[2] === 'x' || match[2] === '*') return true;
      const bound = [Number(match[2]), match[3] === undefined || /[x*]/.test(match[3]) ? 0 : Number(match[3]), match[4] === undefined || /[x*]/.test(match[4]) ? 0 : Number(match[4])];
      const order = compare(probe, bound);
      if (operator === '>=') return order >= 0;
      if (operator === '>') return order > 0;
      if (operator === '<') return order < 0;
      if (operator === '<=') return order <= 0;
      return bound[0] === major; // ^5.1.0, ~5.1.0, 5.x, 5.1.2: the same major
    });
  });
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** `[major, minor, patch]` of `1.2.3` (pre-release tags ignored). */
export function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether `version` is at least `minimum` (both `major.minor.patch`). */
export function atLeast(version: string, minimum: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(minimum);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** A JSON file's object; undefined when it is missing, unreadable or not an object. */
export function readJson(fileName: string): Record<string, unknown> | undefined {
  const text = ts.sys.readFile(fileName);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
