// The before/after table printed at the end of the test: one row per check, what a scale-safe
// app shows, and what each phase observed.
import type { CounterKillResult, ScenarioResult, Tally } from './scenario';

export interface CheckRow {
  check: string;
  expected: string;
  observed: string;
}

const tallyText = (statuses: Tally) =>
  Object.entries(statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');

export function checkRows(result: ScenarioResult): CheckRow[] {
  const { session, bearer, upload, counter, slowJob, writeThenRead } = result;
  const probes = upload.probes.length;
  return [
    {
      check: `session cookie holds (GET /me ×${session.requests})`,
      expected: `${session.requests}/${session.requests} 200`,
      observed: `${session.ok}/${session.requests} 200 (${tallyText(session.statuses)})`,
    },
    {
      check: `bearer token holds (GET /me ×${bearer.requests})`,
      expected: `${bearer.requests}/${bearer.requests} 200`,
      observed: `${bearer.ok}/${bearer.requests} 200 (${tallyText(bearer.statuses)})`,
    },
    {
      check: `upload then download via LB (×${upload.downloads.requests})`,
      expected: `${upload.downloads.requests}/${upload.downloads.requests} 200`,
      observed: upload.id ? `${upload.downloads.ok}/${upload.downloads.requests} 200 (${tallyText(upload.downloads.statuses)})` : `upload answered ${upload.status}`,
    },
    {
      check: 'upload on every instance (login + GET there)',
      expected: `${probes}/${probes} instances`,
      observed: upload.id ? `${upload.instancesWithFile}/${probes} (${upload.probes.map((p) => p.status).join(', ')})` : 'no upload',
    },
    {
      check: `counter after ${counter.hits} views`,
      expected: String(counter.hits),
      observed: `${String(counter.total)} (per instance: ${Object.values(counter.byInstance).join('/')})`,
    },
    {
      check: 'slow job: POST /orders (PDF + mail)',
      expected: '2xx without waiting (202 + job)',
      observed: `${slowJob.status} in ${slowJob.ms} ms`,
    },
    {
      check: 'write-then-read: order in POST answer',
      expected: 'yes',
      observed: writeThenRead.orderInResponse ? 'yes' : `no (${slowJob.status})`,
    },
    {
      check: 'write-then-read: GET /orders right after',
      expected: 'listed (or lag documented)',
      observed: `${writeThenRead.listedRightAway ? 'listed' : 'not yet'}; after the lag: ${writeThenRead.listedAfterLag ? 'listed' : 'missing'}`,
    },
    {
      check: 'requests re-sent after a 401',
      expected: '0',
      observed: String(result.sessionRetries),
    },
  ];
}

export function killRow(result: CounterKillResult): CheckRow {
  return {
    check: `kill 1 instance mid-run (${result.requests} views, kill at #${result.killAfter})`,
    expected: `count = acknowledged (${result.acknowledged})`,
    observed: `${String(result.total)} (${result.acknowledged} acknowledged, ${result.failed} failed)`,
  };
}

/** A plain-text table; `phases` are the observed columns (e.g. before, after) for the same checks. */
export function formatTable(phases: Record<string, CheckRow[]>): string {
  const names = Object.keys(phases);
  const first = phases[names[0]] ?? [];
  const header = ['check', 'expected', ...names];
  const rows = first.map((row, i) => [row.check, row.expected, ...names.map((name) => phases[name][i]?.observed ?? '')]);
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => row[col].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, col) => cell.padEnd(widths[col])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
