// "Stateless: Show Report" builds its markdown from the scan summary and the diagnostics
// (extension/src/report.ts: plain data, no editor needed).
import { expect, it } from 'vitest';
import { buildReport } from '../../extension/src/report';

const DOCS = 'https://github.com/stateless-dev/stateless/blob/main/rules-docs';

it('lists the totals, the findings per rule (most first) and each file\'s findings in line order', () => {
  const report = buildReport(
    { files: 24, findings: 3, byRule: { 'no-in-memory-counter': 1, 'no-blocking-request-work': 2, 'no-local-disk-write': 0 }, durationMs: 1234 },
    [
      { file: 'src/routes/orders.ts', line: 117, column: 19, ruleId: 'no-blocking-request-work', message: '`zlib.gzipSync` blocks | the loop', docsUrl: `${DOCS}/no-blocking-request-work.md` },
      { file: 'src/b.ts', line: 3, column: 1, ruleId: 'no-blocking-request-work', message: 'second\nline', docsUrl: `${DOCS}/no-blocking-request-work.md` },
      { file: 'src/routes/orders.ts', line: 20, column: 5, ruleId: 'no-in-memory-counter', message: '`ordersPlaced` counts in this process' },
    ],
  );
  expect(report).toBe(
    [
      '# Stateless report',
      '',
      '3 scaling hazards in 2 files; 24 files scanned in 1.2 s.',
      '',
      '| Rule | Findings |',
      '| :--- | ---: |',
      `| [stateless/no-blocking-request-work](${DOCS}/no-blocking-request-work.md) | 2 |`,
      '| stateless/no-in-memory-counter | 1 |',
      '',
      '## src/b.ts',
      '',
      '- 3:1 `stateless/no-blocking-request-work` — second line',
      '',
      '## src/routes/orders.ts',
      '',
      '- 20:5 `stateless/no-in-memory-counter` — `ordersPlaced` counts in this process',
      '- 117:19 `stateless/no-blocking-request-work` — `zlib.gzipSync` blocks \\| the loop',
      '',
    ].join('\n'),
  );
});

it('says so when the scan found nothing', () => {
  expect(buildReport({ files: 1, findings: 0, byRule: {}, durationMs: 40 }, [])).toBe('# Stateless report\n\nNo scaling hazards; 1 file scanned in 0.0 s.\n');
});
