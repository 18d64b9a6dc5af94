/**
 * Hover on a flagged range: the finding's message, what breaks with N instances (core's rule
 * metadata), the route as a numbered list with file:line, the fixes on offer and the docs link.
 */
import * as path from 'node:path';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { planFixes, ruleDefinitions, ruleDocsUrl, type Finding } from '@stateless/core';
import type { CurrentAnalysis } from './diagnostics';

export function hover(current: CurrentAnalysis, document: TextDocument, position: Position): Hover | null {
  const offset = document.offsetAt(position);
  const findings = [...current.findings.values()].filter((finding) => finding.start <= offset && offset <= finding.end);
  if (findings.length === 0) return null;
  const first = findings[0];
  return {
    contents: { kind: MarkupKind.Markdown, value: findings.map((finding) => hoverText(current, finding)).join('\n\n---\n\n') },
    range: { start: document.positionAt(first.start), end: document.positionAt(first.end) },
  };
}

/** The markdown shown for one finding. */
export function hoverText(current: CurrentAnalysis, finding: Finding): string {
  const { analysis } = current;
  const definition = ruleDefinitions.find((rule) => rule.id === finding.ruleId);
  const root = analysis.projectRoot ?? path.posix.dirname(analysis.fileName);
  const where = (fileName: string, start: number): string => {
    const file = analysis.program.getSourceFile(fileName);
    const line = file ? file.getLineAndCharacterOfPosition(start).line + 1 : 0;
    return `${path.posix.relative(root, fileName)}:${line}`;
  };
  const sections = [`**stateless/${finding.ruleId}**: ${finding.message}`];
  if (definition) sections.push(`**With N instances:** ${definition.whatBreaks}`);
  if (finding.path.length > 0) {
    sections.push(['**Route:**', ...finding.path.map((step, index) => `${index + 1}. ${step.label} — ${where(step.fileName, step.start)}`)].join('\n'));
  }
  const planned = planFixes(analysis.sourceFile, finding, { program: analysis.program, config: analysis.config, projectRoot: analysis.projectRoot });
  const fixes = planned.plans.map((plan) => `- ${plan.message}`);
  if (planned.refused) fixes.push(`- ${planned.refused.title} — not offered: ${planned.refused.reason}`);
  if (fixes.length > 0) sections.push(['**Fix** (quick fixes):', ...fixes].join('\n'));
  sections.push(`[Documentation for stateless/${finding.ruleId}](${ruleDocsUrl(finding.ruleId)})`);
  return sections.join('\n\n');
}
