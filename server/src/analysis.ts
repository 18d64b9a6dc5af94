/**
 * Runs core on one file of a project: the file's source from its project's program (so request
 * paths cross files), the project's `stateless.config.json`, and the findings located in the file.
 * Configuration is resolved the way the ESLint plugin resolves it, so editor and CI agree.
 */
import * as path from 'node:path';
import type ts from 'typescript';
import {
  analyzeSourceFile,
  loadProjectConfig,
  resolveConfig,
  type Finding,
  type LoadedProjectConfig,
  type StatelessConfig,
  type StatelessConfigInput,
} from '@stateless/core';
import type { Project } from './projects';

/** One file's findings and what produced them (code actions plan fixes from the same inputs). */
export interface FileAnalysis {
  fileName: string;
  sourceFile: ts.SourceFile;
  program: ts.Program;
  config: StatelessConfig;
  projectRoot: string | undefined;
  /** Findings of every rule located in this file, before settings and suppression comments. */
  findings: Finding[];
}

/** Resolved configurations by the identity of the project file's input: core caches analyses per config object. */
const resolvedConfigs = new WeakMap<object, StatelessConfig>();
const NO_INPUT = {};

/** Problems already logged, so a broken config file is reported once, not on every keystroke. */
const reportedProblems = new Set<string>();

/** Where the analysis says what it noticed about the configuration. */
export interface AnalysisReporter {
  log(message: string): void;
  /** The problems of a config file each time it is read anew (none when it is fine). */
  configProblems(configFile: string, problems: readonly string[]): void;
}

/** Config files read (core re-reads them every few seconds): each read's problems are reported once. */
const reportedLoads = new WeakSet<LoadedProjectConfig>();

export function analyzeFile(project: Project, fileName: string, reporter: AnalysisReporter): FileAnalysis | undefined {
  const program = project.program();
  const sourceFile = program?.getSourceFile(fileName);
  if (!program || !sourceFile) return undefined;
  const loaded = projectConfig(fileName);
  const config = configOf(loaded, (message) => reporter.log(message));
  if (loaded?.configFile && !reportedLoads.has(loaded)) {
    reportedLoads.add(loaded);
    const problems = [...loaded.problems];
    resolveConfig([loaded.input], problems);
    reporter.configProblems(loaded.configFile, problems);
  }
  const findings = analyzeSourceFile(sourceFile, { program, config, projectRoot: loaded?.rootDir }).filter((finding) => finding.fileName === sourceFile.fileName);
  return { fileName, sourceFile, program, config, projectRoot: loaded?.rootDir, findings };
}

function projectConfig(fileName: string): LoadedProjectConfig | undefined {
  try {
    return loadProjectConfig(path.posix.dirname(fileName));
  } catch {
    return undefined;
  }
}

function configOf(loaded: LoadedProjectConfig | undefined, log: (message: string) => void): StatelessConfig {
  const input: StatelessConfigInput | undefined = loaded?.input;
  const key = (typeof input === 'object' && input) || NO_INPUT;
  let config = resolvedConfigs.get(key);
  if (!config) {
    const problems = [...(loaded?.problems ?? [])];
    config = resolveConfig([input], problems);
    resolvedConfigs.set(key, config);
    for (const problem of problems) {
      const message = `Stateless: ${loaded?.configFile ?? 'configuration'}: ${problem}; using the defaults for it`;
      if (!reportedProblems.has(message)) {
        reportedProblems.add(message);
        log(message);
      }
    }
  }
  return config;
}

/** A finding's identity within its file's analysis (diagnostic `data.findingKey`). */
export function findingKey(finding: Finding): string {
  return `${finding.ruleId}:${finding.messageId}:${finding.start}:${finding.end}`;
}
