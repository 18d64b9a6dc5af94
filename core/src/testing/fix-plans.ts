import type * as ts from 'typescript';
import { analyzeSourceFile, planFixes, type Finding, type FixPlan, type PlannedFixes, type RuleId } from '../index';
import { createProgram } from './program';

/** The project root of the in-memory files the fix tests plan over. */
export const ROOT = '/proj';

/** Applies one plan to in-memory files: edits from the end backwards, created files added. Overlapping edits throw (an LSP WorkspaceEdit may not hold them). */
export function applyPlan(files: Record<string, string>, plan: FixPlan): Record<string, string> {
  const result = { ...files };
  const byFile = new Map<string, FixPlan['edits']>();
  for (const edit of plan.edits) byFile.set(edit.fileName, [...(byFile.get(edit.fileName) ?? []), edit]);
  for (const [fileName, edits] of byFile) {
    const ordered = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let index = 1; index < ordered.length; index++) if (ordered[index].start < ordered[index - 1].end) throw new Error(`edits overlap in ${fileName} at ${ordered[index].start}`);
    let text = result[fileName];
    for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    result[fileName] = text;
  }
  for (const created of plan.createFiles) result[created.fileName] ??= created.text;
  return result;
}

/** The findings of one rule in one file, typed over all the files. */
export function findingsIn(files: Record<string, string>, ruleId: RuleId, fileName: string, options: ts.CompilerOptions = {}): { findings: Finding[]; program: ts.Program; sourceFile: ts.SourceFile } {
  const program = createProgram(files, options);
  const sourceFile = program.getSourceFile(fileName);
  if (!sourceFile) throw new Error(`no ${fileName} in the program`);
  return { findings: analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: [ruleId] }), program, sourceFile };
}

/** The fixes planned for the rule's first finding in `fileName` (the test fails when there is none). */
export function planFirst(files: Record<string, string>, ruleId: RuleId, fileName: string, options: ts.CompilerOptions = {}): PlannedFixes {
  const { findings, program, sourceFile } = findingsIn(files, ruleId, fileName, options);
  if (!findings[0]) throw new Error(`no ${ruleId} finding in ${fileName}`);
  return planFixes(sourceFile, findings[0], { program, projectRoot: ROOT });
}

/** The last plan (the multi-file one) of the rule's first finding; the test fails when the fix is refused. */
export function movePlan(files: Record<string, string>, ruleId: RuleId, fileName: string): FixPlan {
  const planned = planFirst(files, ruleId, fileName);
  if (planned.refused) throw new Error(`refused: ${planned.refused.reason}`);
  const plan = planned.plans.at(-1);
  if (!plan) throw new Error(`no plan for ${ruleId} in ${fileName}`);
  return plan;
}

/** How many findings of the rule remain in the program's .ts/.js files (0 once a fix did its job). */
export function countFindings(files: Record<string, string>, ruleId: RuleId): number {
  const program = createProgram(files);
  return Object.keys(files)
    .filter((name) => /\.[cm]?[jt]s$/.test(name))
    .reduce((count, name) => count + analyzeSourceFile(program.getSourceFile(name)!, { program, projectRoot: ROOT, rules: [ruleId] }).length, 0);
}
