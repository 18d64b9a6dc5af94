import * as path from 'node:path';
import * as ts from 'typescript';
import type { TSESLint } from '@typescript-eslint/utils';
import {
  analyzeSourceFile,
  loadProjectConfig,
  resolveConfig,
  type Finding,
  type LoadedProjectConfig,
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
 * Canonical config objects, keyed by the JSON of the resolved config. Core caches analysis by
 * SourceFile + config identity, and the cross-file request graph by program + config identity, so
 * equal configs must be the same object. Scoped by program (typed) or SourceFile (untyped) so
 * nothing outlives the program it served: no global mutable state under `--concurrency`.
 */
const canonicalConfigs = new WeakMap<ts.Program | ts.SourceFile, Map<string, StatelessConfig>>();

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
  const { sourceFile, program } = sourceFileAndProgram(sourceCode, context.filename);
  const configScope = program ?? sourceFile;

  const project = projectConfig(context.physicalFilename);
  const projectInput = project?.input;
  const settingsInput = (context.settings as { stateless?: StatelessConfigInput }).stateless;
  const problems: string[] = [...(project?.problems ?? [])];
  const fileConfig = canonicalConfig(configScope, resolveConfig([projectInput, settingsInput], problems));
  warnOnce(project?.configFile ?? 'settings.stateless', problems);
  const ruleOptions = context.options[0];
  const ruleConfig =
    ruleOptions === undefined
      ? fileConfig
      : canonicalConfig(configScope, resolveConfig([projectInput, settingsInput, { rules: { [ruleId]: ruleOptions } }]));

  const findings =
    ruleConfig === fileConfig
      ? analyzeSourceFile(sourceFile, { program, config: fileConfig, projectRoot: project?.rootDir })
      : analyzeSourceFile(sourceFile, { program, config: ruleConfig, rules: [ruleId], projectRoot: project?.rootDir });
  const fileName = normalizeFileName(sourceFile.fileName);
  return {
    sourceFile,
    findings: findings.filter((finding) => finding.ruleId === ruleId && normalizeFileName(finding.fileName) === fileName),
  };
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
    return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  } catch {
    return ts.createSourceFile(fileName, '', ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  }
}

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

/** The project's root and its `stateless.config.json` settings (problems are warned about by the caller). */
function projectConfig(physicalFilename: string): LoadedProjectConfig | undefined {
  if (!path.isAbsolute(physicalFilename)) return undefined; // `<text>` and other stdin names
  try {
    return loadProjectConfig(path.dirname(physicalFilename));
  } catch {
    return undefined;
  }
}

function canonicalConfig(scope: ts.Program | ts.SourceFile, config: StatelessConfig): StatelessConfig {
  let byJson = canonicalConfigs.get(scope);
  if (!byJson) {
    byJson = new Map();
    canonicalConfigs.set(scope, byJson);
  }
  const key = JSON.stringify(config);
  const existing = byJson.get(key);
  if (existing) return existing;
  byJson.set(key, config);
  return config;
}

export function normalizeFileName(fileName: string): string {
  return fileName.replace(/\\/g, '/');
}
