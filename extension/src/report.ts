/**
 * The "Stateless: Show Report" document: the scan summary and every Stateless diagnostic, grouped
 * by rule and by file, as markdown. Plain data in, text out (no `vscode` import), so it is unit
 * tested without an editor.
 */
import type { ScanSummary } from '@stateless/language-server/protocol';

/** One Stateless diagnostic as the report shows it. */
export interface ReportFinding {
  /** Workspace-relative path, with `/` separators. */
  file: string;
  /** 1-based, as editors show them. */
  line: number;
  column: number;
  ruleId: string;
  message: string;
  docsUrl?: string;
}

/** `1 file`, `2 files`. */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report's markdown. Findings are sorted by file, line and column. */
export function buildReport(summary: ScanSummary, findings: readonly ReportFinding[]): string {
  const sorted = [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const files = new Set(sorted.map((finding) => finding.file));
  const lines = [
    '# Stateless report',
    '',
    `${summary.findings === 0 ? 'No scaling hazards' : `${plural(summary.findings, 'scaling hazard')} in ${plural(files.size, 'file')}`}; ` +
      `${plural(summary.files, 'file')} scanned in ${(summary.durationMs / 1000).toFixed(1)} s.`,
  ];
  const byRule = Object.entries(summary.byRule).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
  if (byRule.length > 0) {
    const docs = new Map(sorted.map((finding) => [finding.ruleId, finding.docsUrl]));
    lines.push('', '| Rule | Findings |', '| :--- | ---: |');
    for (const [ruleId, count] of byRule.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      const url = docs.get(ruleId);
      lines.push(`| ${url ? `[stateless/${ruleId}](${url})` : `stateless/${ruleId}`} | ${count} |`);
    }
  }
  for (const file of files) {
    lines.push('', `## ${file}`, '');
    for (const finding of sorted.filter((candidate) => candidate.file === file)) {
      lines.push(`- ${finding.line}:${finding.column} \`stateless/${finding.ruleId}\` — ${cell(finding.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
