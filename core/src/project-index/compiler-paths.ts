import * as fs from 'node:fs';
import * as path from 'node:path';
import ts = require('typescript');

/** `compilerOptions.paths` and `baseUrl` of a project, as absolute folders: what `@/lib/db` means. */
export interface CompilerPaths {
  baseUrl: string | undefined;
  /** `@/*` → [`/abs/src/*`], in the order the config lists them. */
  paths: { prefix: string; suffix: string; hasWildcard: boolean; targets: string[] }[];
}

const NO_PATHS: CompilerPaths = { baseUrl: undefined, paths: [] };

/** The config files a folder's code is compiled with, in the order TypeScript's tools look for them. */
export const CONFIG_FILE_NAMES = ['tsconfig.json', 'jsconfig.json'] as const;
/**
 * At a repository's root only: the config a monorepo's projects extend (Nx and others keep the
 * aliases there, with no root `tsconfig.json`).
 */
export const ROOT_BASE_CONFIG = 'tsconfig.base.json';

/**
 * Reads `tsconfig.json` (else `jsconfig.json`) at the project root, following relative `extends`.
 * The files are parsed as JSON with comments; nothing is executed. A missing or broken file means
 * no aliases.
 */
export function readCompilerPaths(rootDir: string): CompilerPaths {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(rootDir, name);
    if (fs.existsSync(file)) return readCompilerPathsOf(file);
  }
  return NO_PATHS;
}

/** The aliases one config file declares or inherits through relative `extends`; none when it is missing or broken. */
export function readCompilerPathsOf(configFile: string): CompilerPaths {
  try {
    return collect(configFile, 0) ?? NO_PATHS;
  } catch {
    return NO_PATHS;
  }
}

interface RawOptions {
  baseUrl?: unknown;
  paths?: unknown;
}

function collect(configFile: string, depth: number): CompilerPaths | undefined {
  if (depth > 8) return undefined;
  const parsed = ts.readConfigFile(configFile, (name) => readText(name));
  const config = parsed.config as { extends?: unknown; compilerOptions?: RawOptions } | undefined;
  if (!config || typeof config !== 'object') return undefined;
  const dir = path.dirname(configFile);
  let inherited: CompilerPaths | undefined;
  const parents = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends.filter((e): e is string => typeof e === 'string') : [];
  for (const parent of parents) {
    // Relative parents only: a package's shared config (`@tsconfig/node20`) sets no project aliases.
    if (!parent.startsWith('.')) continue;
    const parentFile = path.resolve(dir, parent.endsWith('.json') ? parent : `${parent}.json`);
    inherited = svelteKitGenerated(parentFile) ?? collect(parentFile, depth + 1) ?? inherited;
  }
  const options = config.compilerOptions ?? {};
  const baseUrl = typeof options.baseUrl === 'string' ? path.resolve(dir, options.baseUrl) : inherited?.baseUrl;
  if (!options.paths || typeof options.paths !== 'object') return { baseUrl, paths: inherited?.paths ?? [] };
  // TypeScript resolves `paths` targets against baseUrl when set, else against the config's folder.
  const targetBase = typeof options.baseUrl === 'string' ? baseUrl! : dir;
  const paths: CompilerPaths['paths'] = [];
  for (const [pattern, targets] of Object.entries(options.paths as Record<string, unknown>)) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf('*');
    paths.push({
      prefix: star < 0 ? pattern : pattern.slice(0, star),
      suffix: star < 0 ? '' : pattern.slice(star + 1),
      hasWildcard: star >= 0,
      targets: targets.filter((t): t is string => typeof t === 'string').map((target) => path.resolve(targetBase, target)),
    });
  }
  // The longest prefix wins, as in TypeScript.
  paths.sort((a, b) => b.prefix.length - a.prefix.length);
  return { baseUrl, paths };
}

/**
 * The config SvelteKit writes at `svelte-kit sync` (`.svelte-kit/tsconfig.json`, which a SvelteKit
 * project's own tsconfig or jsconfig extends) is not in a checkout: where it is missing, its aliases
 * are SvelteKit's defaults, `$lib` for `src/lib` (what `import { db } from '$lib/server/db'` means).
 */
function svelteKitGenerated(configFile: string): CompilerPaths | undefined {
  if (path.basename(path.dirname(configFile)) !== '.svelte-kit' || path.basename(configFile) !== 'tsconfig.json' || fs.existsSync(configFile)) return undefined;
  return { baseUrl: undefined, paths: svelteKitLibAliases(path.dirname(path.dirname(configFile))) };
}

/** SvelteKit's default `$lib` aliases for a project folder, longest prefix first. */
export function svelteKitLibAliases(projectDir: string): CompilerPaths['paths'] {
  const lib = path.join(projectDir, 'src', 'lib');
  return [
    { prefix: '$lib/', suffix: '', hasWildcard: true, targets: [path.join(lib, '*')] },
    { prefix: '$lib', suffix: '', hasWildcard: false, targets: [lib] },
  ];
}

function parentsOf(config: { extends?: unknown }): string[] {
  return typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends.filter((e): e is string => typeof e === 'string') : [];
}

function isMissingSvelteKitBase(dir: string, parent: string): boolean {
  return parent.startsWith('.') && svelteKitGenerated(path.resolve(dir, parent.endsWith('.json') ? parent : `${parent}.json`)) !== undefined;
}

/**
 * Whether a config extends SvelteKit's generated config and that file is missing: SvelteKit builds
 * with Vite, which resolves imports as TypeScript's `bundler` resolution does (`$lib/server/db`
 * without an extension, in an ES module), whatever defaults a JavaScript project is otherwise read with.
 */
export function extendsMissingSvelteKitBase(configFile: string, read: (fileName: string) => string | undefined): boolean {
  const raw = ts.readConfigFile(configFile, read).config as { extends?: unknown } | undefined;
  return !!raw && typeof raw === 'object' && parentsOf(raw).some((parent) => isMissingSvelteKitBase(path.dirname(configFile), parent));
}

/**
 * A config as TypeScript should read it when it extends SvelteKit's generated config and that file is
 * missing (a checkout before `svelte-kit sync`): TypeScript drops the whole config's options when an
 * `extends` cannot be read, so the missing base is left out and what it would have given is added,
 * SvelteKit's `$lib` aliases (unless the config sets `paths` itself) and an ES module kind for the
 * `bundler` resolution SvelteKit projects use. Any other config is returned as it is.
 */
export function withoutMissingSvelteKitBase(configFile: string, raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const config = raw as { extends?: unknown; compilerOptions?: Record<string, unknown> };
  const dir = path.dirname(configFile);
  const parents = parentsOf(config);
  const missing = parents.filter((parent) => isMissingSvelteKitBase(dir, parent));
  if (missing.length === 0) return raw;
  const rest = parents.filter((parent) => !missing.includes(parent));
  const options = { ...(config.compilerOptions ?? {}) };
  if (!options.paths) {
    const paths: Record<string, string[]> = {};
    for (const alias of svelteKitLibAliases(dir)) paths[alias.hasWildcard ? `${alias.prefix}*` : alias.prefix] = alias.targets;
    options.paths = paths;
  }
  if (options.module === undefined && typeof options.moduleResolution === 'string' && options.moduleResolution.toLowerCase() === 'bundler') options.module = 'esnext';
  const others: Record<string, unknown> = { ...config };
  delete others.extends;
  return { ...others, ...(rest.length > 0 ? { extends: rest.length === 1 ? rest[0] : rest } : {}), compilerOptions: options };
}

function readText(fileName: string): string | undefined {
  try {
    return fs.readFileSync(fileName, 'utf8');
  } catch {
    return undefined;
  }
}

/** Candidate locations (without extension probing) for a specifier under `paths`, best first. */
export function pathCandidates(specifier: string, compilerPaths: CompilerPaths): string[] {
  for (const entry of compilerPaths.paths) {
    if (entry.hasWildcard) {
      if (!specifier.startsWith(entry.prefix) || !specifier.endsWith(entry.suffix) || specifier.length < entry.prefix.length + entry.suffix.length) continue;
      const matched = specifier.slice(entry.prefix.length, specifier.length - entry.suffix.length);
      return entry.targets.map((target) => target.replace('*', matched));
    }
    if (specifier === entry.prefix) return entry.targets;
  }
  return [];
}
