import * as path from 'node:path';
import * as ts from 'typescript';
import type { TSESLint } from '@typescript-eslint/utils';
import {
  analyzeSourceFile,
  loadProjectConfig,
  projectIndexOfFile,
  resolveConfig,
  type Finding,
  type LoadedProjectConfig,
  type ProjectIndex,
  type RuleId,
  type StatelessConfig,
  type StatelessConfigInput,
} from '@stateless/core';

/** The context of any Stateless rule; the adapter needs nothing rule-specific from it. */
export type StatelessRuleContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

export interface RuleFindings {
  sourceFile: ts.SourceFile;
  /** This rule's findings located in the linted file (offsets into `sourceCode.text`). */
  findings: Finding[];
}

/**
 * Files parsed by a parser that gives us no TypeScript AST (espree on plain `.js`), keyed by the
 * ESLint SourceCode every rule on that file shares, so N rules parse the file once.
 */
const parsedWithoutTypeScriptParser = new WeakMap<TSESLint.SourceCode, ts.SourceFile>();

/**
 * Resolved configurations, by the identity of their inputs: the project file's content (a new
 * object whenever core re-reads the file), ESLint's `settings.stateless`, and the rule's options.
 * Core caches analysis by SourceFile + config identity, so equal inputs must give the same config
 * object; and resolving once per input instead of once per file keeps the adapter cheap. Weakly
 * keyed, so nothing outlives the configuration it served.
 */
const resolvedConfigs = new WeakMap<object, WeakMap<object, Map<string, { config: StatelessConfig; problems: string[] }>>>();
const NO_INPUT = {};

function resolvedConfig(
  projectInput: StatelessConfigInput | undefined,
  settingsInput: StatelessConfigInput | undefined,
  rule?: { id: RuleId; options: unknown },
): { config: StatelessConfig; problems: string[] } {
  const projectKey = (typeof projectInput === 'object' && projectInput) || NO_INPUT;
  const settingsKey = (typeof settingsInput === 'object' && settingsInput) || NO_INPUT;
  let bySettings = resolvedConfigs.get(projectKey);
  if (!bySettings) {
    bySettings = new WeakMap();
    resolvedConfigs.set(projectKey, bySettings);
  }
  let byRule = bySettings.get(settingsKey);
  if (!byRule) {
    byRule = new Map<string, { config: StatelessConfig; problems: string[] }>();
    bySettings.set(settingsKey, byRule);
  }
  const ruleKey = rule ? `${rule.id}\u0000${JSON.stringify(rule.options)}` : '';
  let resolved = byRule.get(ruleKey);
  if (!resolved) {
    const problems: string[] = [];
    const inputs: (StatelessConfigInput | undefined)[] = [projectInput, settingsInput];
    if (rule) inputs.push({ rules: { [rule.id]: rule.options } });
    resolved = { config: resolveConfig(inputs, problems), problems };
    // Options that change nothing (`{ allowTempFiles: true }`, the default) share the file's analysis.
    if (rule) {
      const base = resolvedConfig(projectInput, settingsInput);
      if (JSON.stringify(base.config) === JSON.stringify(resolved.config)) resolved = base;
    }
    byRule.set(ruleKey, resolved);
  }
  return resolved;
}

/**
 * This rule's findings in the linted file.
 *
 * Config precedence, lowest first: `stateless.config.json` (or package.json `"stateless"`), ESLint
 * `settings.stateless`, then this rule's options. The rules that have no options of their own (the
 * common case) share one file-level config object, so they share one core analysis of the file.
 * A rule with its own options gets its own config and asks core for only its own findings: that
 * keeps options that change what the engine looks at (like `allowTempFiles`) correct, which
 * filtering a shared result could not.
 */
export function findingsForRule(context: StatelessRuleContext, ruleId: RuleId): RuleFindings | undefined {
  const { sourceCode } = context;
  // Another ESLint language (JSON, Markdown, CSS) has no JavaScript program to analyse.
  if ((sourceCode.ast as { type?: string } | undefined)?.type !== 'Program') return undefined;
  const settingsInput = (context.settings as { stateless?: StatelessConfigInput }).stateless;
  const file = linted(sourceCode, context, settingsInput);
  const { sourceFile, program, project, rootDir, fileConfig, projectIndex } = file;
  const ruleOptions = context.options[0];
  const ruleConfig = ruleOptions === undefined ? fileConfig : resolvedConfig(project?.input, settingsInput, { id: ruleId, options: ruleOptions }).config;

  const findings =
    ruleConfig === fileConfig
      ? analyzeSourceFile(sourceFile, { program, config: fileConfig, projectRoot: rootDir, projectIndex })
      : analyzeSourceFile(sourceFile, { program, config: ruleConfig, rules: [ruleId], projectRoot: rootDir, projectIndex });
  return {
    sourceFile,
    findings: findings.filter((finding) => finding.ruleId === ruleId && normalizeFileName(path.resolve(finding.fileName)) === file.fileName),
  };
}

/** What every Stateless rule on one linted file shares: its AST, its project, its configuration and the project index. */
interface LintedFile {
  settingsInput: StatelessConfigInput | undefined;
  sourceFile: ts.SourceFile;
  program: ts.Program | undefined;
  project: LoadedProjectConfig | undefined;
  /** The project's root: its package.json's folder, else the folder ESLint runs in (see `rootOf`). */
  rootDir: string | undefined;
  fileConfig: StatelessConfig;
  projectIndex: ProjectIndex | undefined;
  /** The AST's file name, resolved and with forward slashes, to match findings against. */
  fileName: string;
}

/**
 * Per ESLint SourceCode (one linted text), so the rules on a file look up its project, configuration
 * and index once instead of once each (the project lookup walks folders and re-reads the
 * configuration every few seconds).
 */
const lintedFiles = new WeakMap<TSESLint.SourceCode, LintedFile>();

function linted(sourceCode: TSESLint.SourceCode, context: StatelessRuleContext, settingsInput: StatelessConfigInput | undefined): LintedFile {
  const known = lintedFiles.get(sourceCode);
  if (known && known.settingsInput === settingsInput) return known;
  const { sourceFile, program } = sourceFileAndProgram(sourceCode, context.filename);
  const project = projectConfig(context.physicalFilename);
  const file = resolvedConfig(project?.input, settingsInput);
  warnOnce(project?.configFile ?? 'settings.stateless', [...(project?.problems ?? []), ...file.problems]);
  // Without type information the project index follows imports across the project's files on disk.
  // A package of a monorepo is read with the monorepo's index: its code runs on the routes of the packages that import it.
  const fileName = normalizeFileName(path.resolve(sourceFile.fileName));
  const ownRoot = rootOf(project, context);
  const indexed = program || !ownRoot || ownRoot === '/' ? undefined : projectIndexOfFile(ownRoot);
  const rootDir = indexed?.rootDir ?? ownRoot;
  const projectIndex = indexed?.index;
  const result: LintedFile = { settingsInput, sourceFile, program, project, rootDir, fileConfig: file.config, projectIndex, fileName };
  lintedFiles.set(sourceCode, result);
  return result;
}

/**
 * The TypeScript AST of the linted file: the one `@typescript-eslint/parser` already built (and
 * the program, when typed linting is on), else a parse of ESLint's text (same offsets).
 */
function sourceFileAndProgram(
  sourceCode: TSESLint.SourceCode,
  fileName: string,
): { sourceFile: ts.SourceFile; program: ts.Program | undefined } {
  const services = sourceCode.parserServices as Partial<TSESLint.SourceCode['parserServices']> | undefined;
  const mapped = services?.esTreeNodeToTSNodeMap?.get(sourceCode.ast) as ts.Node | undefined;
  if (mapped?.kind === ts.SyntaxKind.SourceFile) {
    return { sourceFile: mapped as ts.SourceFile, program: services?.program ?? undefined };
  }
  let sourceFile = parsedWithoutTypeScriptParser.get(sourceCode);
  if (!sourceFile) {
    sourceFile = parseWithTypeScript(fileName, sourceCode.text);
    parsedWithoutTypeScriptParser.set(sourceCode, sourceFile);
  }
  return { sourceFile, program: undefined };
}

/**
 * TypeScript's parser recurses, and overflows the stack on some deeply nested input that espree
 * accepts (thousands of chained `a ? b : …`). Such a file is analysed as if it were empty.
 */
export function parseWithTypeScript(fileName: string, text: string): ts.SourceFile {
  try {
    return ts.createSourceFile(fileName, text, PARSE_OPTIONS, true, scriptKindOf(fileName));
  } catch {
    return ts.createSourceFile(fileName, '', PARSE_OPTIONS, true, scriptKindOf(fileName));
  }
}

/** No rule reads JSDoc: parsed without it, as typescript-eslint parses when typed linting is off. */
const PARSE_OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

function scriptKindOf(fileName: string): ts.ScriptKind {
  switch (path.extname(fileName).toLowerCase()) {
    case '.ts':
    case '.mts':
    case '.cts':
      return ts.ScriptKind.TS;
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    default:
      // .js, .mjs, .cjs and processor blocks (`README.md/0.js`); TypeScript reads JS with JSX allowed.
      return ts.ScriptKind.JS;
  }
}

const warned = new Set<string>();

/**
 * A broken configuration must not stop a lint run, nor be ignored in silence: one Node warning per
 * problem (the parts that are valid still apply).
 */
function warnOnce(source: string, problems: readonly string[]): void {
  for (const problem of problems) {
    const key = `${source}\u0000${problem}`;
    if (warned.has(key)) continue;
    warned.add(key);
    const message = problem.startsWith(source) ? problem : `${source}: ${problem}`;
    process.emitWarning(`${message}; using the defaults for it`, { code: 'STATELESS_CONFIG' });
  }
}

/**
 * A project with no package.json above the linted file (one its installer writes, as NodeBB copies
 * `install/package.json` at setup) is rooted where ESLint runs (ESLint lints no file outside it), so
 * its other files are read as the project's.
 */
function rootOf(project: LoadedProjectConfig | undefined, context: StatelessRuleContext): string | undefined {
  if (project?.rootDir) return project.rootDir;
  const cwd = normalizeFileName(context.cwd ?? '').replace(/\/$/, '');
  // `<text>`, stdin and other names that are no file on disk have no project.
  return path.isAbsolute(cwd) && normalizeFileName(context.physicalFilename).startsWith(`${cwd}/`) ? cwd : undefined;
}

/** The project's root and its `stateless.config.json` settings (problems are warned about by the caller). */
function projectConfig(physicalFilename: string): LoadedProjectConfig | undefined {
  if (!path.isAbsolute(physicalFilename)) return undefined; // `<text>` and other stdin names
  try {
    return loadProjectConfig(path.dirname(physicalFilename));
  } catch {
    return undefined;
  }
}

export function normalizeFileName(fileName: string): string {
  return fileName.replace(/\\/g, '/');
}
