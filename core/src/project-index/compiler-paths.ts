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
    inherited = collect(parentFile, depth + 1) ?? inherited;
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
