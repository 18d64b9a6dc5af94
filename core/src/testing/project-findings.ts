import type * as ts from 'typescript';
import { analyzeSourceFile } from '../analysis/analyze';
import { ProjectIndex } from '../project-index/project-index';
import type { Finding, RuleId } from '../types';
import { removeProject, writeProject } from './disk-project';
import { createProgram } from './program';

/** A file analysed as one of a project's files, with the findings in it. */
export interface AnalysedFile {
  sourceFile: ts.SourceFile;
  findings: Finding[];
  /** Where the project lives: a temporary folder (untyped), `/project` (typed, in memory). */
  root: string;
  /** Untyped: the project index the file was analysed with. */
  index?: ProjectIndex;
}

const written: string[] = [];

/** Untyped: the files written to a temporary project (with a package.json), `file` analysed with its project index. */
export function analyseUntyped(files: Record<string, string>, file: string, rules?: RuleId[]): AnalysedFile {
  const root = writeProject({ 'package.json': '{ "name": "app" }', ...files });
  written.push(root);
  const index = new ProjectIndex(root);
  const sourceFile = index.sourceFile(`${root}/${file}`)!;
  return { sourceFile, findings: analyzeSourceFile(sourceFile, { projectIndex: index, projectRoot: root, rules }), root, index };
}

/** Typed: an in-memory program of the files under `/project`, `file` analysed with it. */
export function analyseTyped(files: Record<string, string>, file: string, rules?: RuleId[]): AnalysedFile {
  const root = '/project';
  const program = createProgram(Object.fromEntries(Object.entries(files).map(([name, text]) => [`${root}/${name}`, text])));
  const sourceFile = program.getSourceFile(`${root}/${file}`)!;
  return { sourceFile, findings: analyzeSourceFile(sourceFile, { program, projectRoot: root, rules }), root };
}

/** Removes the projects analyseUntyped wrote (a test file's afterAll). */
export function removeAnalysedProjects(): void {
  for (const root of written.splice(0)) removeProject(root);
}

/** `line:column ruleId: message` for each finding in a file. */
export function describeFindings(sourceFile: ts.SourceFile, findings: readonly Finding[]): string[] {
  return findings.map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${line + 1}:${character + 1} ${finding.ruleId}: ${finding.message}`;
  });
}

/** Untyped: the findings in `file` of a project of `files`, described by `describeFindings`. */
export function untypedFindings(files: Record<string, string>, file: string, rules?: RuleId[]): string[] {
  const { sourceFile, findings } = analyseUntyped(files, file, rules);
  return describeFindings(sourceFile, findings);
}

/** Typed: the findings in `file` of an in-memory program of `files`, described by `describeFindings`. */
export function typedFindings(files: Record<string, string>, file: string, rules?: RuleId[]): string[] {
  const { sourceFile, findings } = analyseTyped(files, file, rules);
  return describeFindings(sourceFile, findings);
}
