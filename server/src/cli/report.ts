import type { Finding, RuleId } from '@stateless/core';
import { lineAndColumn, ruleDefinitions, ruleDocsUrl } from '@stateless/core';
import type { SourceFile } from 'typescript';

export interface ReportEntry {
  file: SourceFile;
  finding: Finding;
}

/** Where each hazard is and what moves it out: which adapter a fix uses. */
const ADAPTER_OF: Record<RuleId, string> = {
  'no-in-memory-session': 'session store (Redis) / connect-redis',
  'no-local-disk-write': 'object store (S3)',
  'no-in-memory-counter': 'counter (Redis) / rate-limit-redis',
  'no-blocking-request-work': 'job queue (BullMQ) and worker',
  'no-replica-read-after-write': 'none: read from the primary',
  'no-in-process-scheduler': 'job scheduler (BullMQ) and worker / leader lock (Redis)',
  'no-in-memory-pubsub': 'pub/sub (Redis) / @socket.io/redis-adapter',
  'no-in-process-lock': 'lock (Redis)',
  'no-process-local-cache': 'cache (Redis), or a stated TTL',
};

function location(entry: ReportEntry, relative: (fileName: string) => string): { path: string; line: number; column: number } {
  const { line, column } = lineAndColumn(entry.file, entry.finding.start);
  return { path: relative(entry.file.fileName), line, column: column + 1 };
}

export function jsonReport(entries: readonly ReportEntry[], relative: (fileName: string) => string): string {
  return JSON.stringify(
    entries.map((entry) => ({ ruleId: entry.finding.ruleId, ...location(entry, relative), message: entry.finding.message, route: entry.finding.path[0]?.label ?? null })),
    null,
    2,
  );
}

/** Markdown for a review: a summary by hazard, then by route, then the adapters the migration needs. */
export function markdownReport(entries: readonly ReportEntry[], relative: (fileName: string) => string): string {
  const lines = ['# Stateless report', '', `${entries.length} hazard${entries.length === 1 ? '' : 's'} in ${new Set(entries.map((entry) => entry.file.fileName)).size} files.`, '', '## By hazard', ''];
  for (const rule of ruleDefinitions) {
    const ofRule = entries.filter((entry) => entry.finding.ruleId === rule.id);
    if (ofRule.length === 0) continue;
    lines.push(`### [${rule.id}](${ruleDocsUrl(rule.id)}) (${ofRule.length})`, '', rule.whatBreaks, '');
    for (const entry of ofRule) {
      const where = location(entry, relative);
      lines.push(`- \`${where.path}:${where.line}\` ${entry.finding.message}`);
    }
    lines.push('');
  }
  lines.push('## By route', '');
  const byRoute = new Map<string, ReportEntry[]>();
  for (const entry of entries) {
    const route = entry.finding.path[0]?.label ?? '(configuration, not on a route)';
    byRoute.set(route, [...(byRoute.get(route) ?? []), entry]);
  }
  for (const [route, list] of [...byRoute].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`- **${route}**: ${list.map((entry) => `${entry.finding.ruleId} at \`${location(entry, relative).path}:${location(entry, relative).line}\``).join(', ')}`);
  }
  lines.push('', '## Adapters the migration needs', '');
  // An embedded database file moves to a database server, not to the object store the rule's other findings need.
  const adapterOf = (entry: ReportEntry): string => (entry.finding.messageId === 'embeddedDatabase' ? `${entry.finding.ruleId}: none: a database server every instance shares (PostgreSQL, MySQL)` : `${entry.finding.ruleId}: ${ADAPTER_OF[entry.finding.ruleId]}`);
  for (const adapter of new Set(entries.map(adapterOf))) lines.push(`- ${adapter}`);
  return `${lines.join('\n')}\n`;
}

/** SARIF 2.1.0, for code-scanning uploads. */
export function sarifReport(entries: readonly ReportEntry[], relative: (fileName: string) => string): string {
  const rules = ruleDefinitions.map((rule) => ({ id: rule.id, shortDescription: { text: rule.description }, fullDescription: { text: rule.whatBreaks }, helpUri: ruleDocsUrl(rule.id) }));
  const results = entries.map((entry) => {
    const start = lineAndColumn(entry.file, entry.finding.start);
    const end = lineAndColumn(entry.file, entry.finding.end);
    return {
      ruleId: entry.finding.ruleId,
      level: 'warning',
      message: { text: entry.finding.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: relative(entry.file.fileName) }, region: { startLine: start.line, startColumn: start.column + 1, endLine: end.line, endColumn: end.column + 1 } } }],
    };
  });
  return JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [{ tool: { driver: { name: 'stateless', informationUri: 'https://github.com/stateless-dev/stateless', rules } }, results }] }, null, 2);
}
