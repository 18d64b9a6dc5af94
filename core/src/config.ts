import ts = require('typescript');
import type { RuleId, StatelessConfig, StatelessConfigInput } from './types';
import { ruleDefinitions } from './rules';

export const CONFIG_FILE_NAME = 'stateless.config.json';

export const defaultRequestPathSettings: StatelessConfig['requestPath'] = {
  handlerCallees: [],
  ignoreFiles: [],
  maxDepth: 8,
};

export const DEFAULT_ADAPTER_DIR = 'src/scaling';

/** JSON schema of the shared settings (`requestPath`), used by ESLint `settings.stateless` validation and the docs. */
export const requestPathSchema = {
  type: 'object',
  properties: {
    handlerCallees: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Extra callees that register request handlers, as `object.method` or `method`; every function argument of such a call is a handler.',
    },
    ignoreFiles: {
      type: 'array',
      items: { type: 'string' },
      description: 'Glob patterns of files that never serve requests (scripts, CLIs, jobs run once).',
    },
    maxDepth: {
      type: 'integer',
      minimum: 0,
      maximum: 32,
      description: 'How many calls deep to follow from a handler.',
    },
  },
  additionalProperties: false,
} as const;

export function defaultConfig(): StatelessConfig {
  const rules = {} as { [K in RuleId]: StatelessConfig['rules'][K] };
  for (const definition of ruleDefinitions) {
    (rules as Record<string, unknown>)[definition.id] = { ...definition.defaultOptions };
  }
  return {
    requestPath: { ...defaultRequestPathSettings, handlerCallees: [], ignoreFiles: [] },
    adapterDir: DEFAULT_ADAPTER_DIR,
    rules,
  };
}

/**
 * Merges partial configurations, later ones winning, over the defaults. Unknown keys and values of
 * the wrong type are dropped (and reported through `problems`), never thrown.
 */
export function resolveConfig(
  inputs: readonly (StatelessConfigInput | undefined)[],
  problems: string[] = [],
): StatelessConfig {
  const config = defaultConfig();
  for (const input of inputs) {
    if (input === undefined || input === null) continue;
    if (typeof input !== 'object' || Array.isArray(input)) {
      problems.push('the configuration must be an object');
      continue;
    }
    for (const [key, value] of Object.entries(input)) {
      if (key === 'requestPath') mergeRequestPath(config, value, problems);
      else if (key === 'adapterDir') {
        if (typeof value === 'string' && value.trim() !== '') config.adapterDir = value;
        else problems.push('"adapterDir" must be a non-empty string');
      } else if (key === 'rules') mergeRules(config, value, problems);
      else if (key !== '$schema') problems.push(`unknown key "${key}"`);
    }
  }
  return config;
}

function mergeRequestPath(config: StatelessConfig, value: unknown, problems: string[]): void {
  if (!isPlainObject(value)) {
    problems.push('"requestPath" must be an object');
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === 'handlerCallees' || key === 'ignoreFiles') {
      if (Array.isArray(item) && item.every((entry) => typeof entry === 'string')) config.requestPath[key] = [...item];
      else problems.push(`"requestPath.${key}" must be an array of strings`);
    } else if (key === 'maxDepth') {
      if (typeof item === 'number' && Number.isInteger(item) && item >= 0 && item <= 32) config.requestPath.maxDepth = item;
      else problems.push('"requestPath.maxDepth" must be an integer from 0 to 32');
    } else problems.push(`unknown key "requestPath.${key}"`);
  }
}

function mergeRules(config: StatelessConfig, value: unknown, problems: string[]): void {
  if (!isPlainObject(value)) {
    problems.push('"rules" must be an object');
    return;
  }
  for (const [ruleId, options] of Object.entries(value)) {
    const definition = ruleDefinitions.find((candidate) => candidate.id === ruleId);
    if (!definition) {
      problems.push(`unknown rule "${ruleId}"`);
      continue;
    }
    const merged = mergeRuleOptions(definition.id, (config.rules as Record<string, object>)[ruleId], options, problems);
    (config.rules as Record<string, object>)[ruleId] = merged;
  }
}

/** Validates one rule's options against its schema (types of the known properties only) and merges them. */
export function mergeRuleOptions<T extends object>(ruleId: string, base: T, options: unknown, problems: string[] = []): T {
  const definition = ruleDefinitions.find((candidate) => candidate.id === ruleId);
  if (!definition || !isPlainObject(options)) {
    if (options !== undefined) problems.push(`options of "${ruleId}" must be an object`);
    return base;
  }
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, item] of Object.entries(options)) {
    const schema = definition.optionsSchema.properties[key];
    if (!schema) {
      problems.push(`unknown option "${key}" of "${ruleId}"`);
      continue;
    }
    if (matchesSchemaType(schema, item)) merged[key] = item;
    else problems.push(`option "${key}" of "${ruleId}" must be of type ${String(schema.type)}`);
  }
  return merged as T;
}

function matchesSchemaType(schema: Record<string, unknown>, value: unknown): boolean {
  switch (schema.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value) && value.every((entry) => typeof entry === 'string' || isPlainObject(entry));
    default:
      return true;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface LoadedProjectConfig {
  /** Folder of the configuration file or package.json that holds it (the project root). */
  rootDir: string | undefined;
  /** The file the configuration came from, if any. */
  configFile: string | undefined;
  input: StatelessConfigInput | undefined;
  problems: string[];
}

/** Long-running hosts (eslint_d, editors) must see edits to the config file: entries live this long. */
const CONFIG_CACHE_MILLISECONDS = 10_000;
const projectConfigCache = new Map<string, { loaded: LoadedProjectConfig; at: number }>();

/**
 * Finds the project configuration for a file: the nearest `stateless.config.json`, or the nearest
 * package.json with a `"stateless"` key, walking up from `fromDir`. The nearest package.json without
 * the key still marks the project root. Results are cached per folder for ten seconds (a
 * lint run reads the file once, a long-running host sees edits); `clearProjectConfigCache` forgets
 * them at once (the server calls it when a config file changes).
 */
export function loadProjectConfig(fromDir: string, host: Pick<ts.System, 'fileExists' | 'readFile'> = ts.sys): LoadedProjectConfig {
  const now = Date.now();
  const cached = projectConfigCache.get(fromDir);
  if (cached && now - cached.at < CONFIG_CACHE_MILLISECONDS) return cached.loaded;
  const loaded = findProjectConfig(fromDir, host);
  // Every folder between here and the root has the same answer: a sibling folder's lookup stops early.
  const root = loaded.configFile ? loaded.configFile.replace(/\/[^/]*$/, '') : loaded.rootDir;
  for (let dir = normalizeSlashes(fromDir); ; dir = dir.replace(/\/[^/]*$/, '')) {
    projectConfigCache.set(dir, { loaded, at: now });
    if (root === undefined || dir === root || !dir.startsWith(`${root}/`)) break;
  }
  projectConfigCache.set(fromDir, { loaded, at: now });
  return loaded;
}

export function clearProjectConfigCache(): void {
  projectConfigCache.clear();
}

function findProjectConfig(fromDir: string, host: Pick<ts.System, 'fileExists' | 'readFile'>): LoadedProjectConfig {
  let dir = normalizeSlashes(fromDir);
  let packageRoot: string | undefined;
  for (let guard = 0; guard < 64; guard++) {
    const configFile = `${dir}/${CONFIG_FILE_NAME}`;
    if (host.fileExists(configFile)) {
      const problems: string[] = [];
      const input = parseJson(host.readFile(configFile), configFile, problems);
      return { rootDir: dir, configFile, input: input as StatelessConfigInput | undefined, problems };
    }
    const packageJson = `${dir}/package.json`;
    if (host.fileExists(packageJson)) {
      const problems: string[] = [];
      const parsed = parseJson(host.readFile(packageJson), packageJson, problems);
      if (isPlainObject(parsed) && parsed.stateless !== undefined) {
        return { rootDir: dir, configFile: packageJson, input: parsed.stateless as StatelessConfigInput, problems };
      }
      // `{ "type": "module" }` alone sets the module system of a folder (`src/jobs/package.json`): not a project's root.
      if (!(isPlainObject(parsed) && Object.keys(parsed).length === 1 && 'type' in parsed)) packageRoot ??= dir;
    }
    const parent = dir.replace(/\/[^/]*$/, '');
    if (parent === dir || parent === '') break;
    dir = parent;
  }
  return { rootDir: packageRoot, configFile: undefined, input: undefined, problems: [] };
}

function parseJson(text: string | undefined, fileName: string, problems: string[]): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.push(`${fileName} is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

export function normalizeSlashes(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  return slashed.length > 1 ? slashed.replace(/\/+$/, '') : slashed;
}
