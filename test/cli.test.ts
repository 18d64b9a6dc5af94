import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// The built CLI (npm test builds first), as the `stateless` bin runs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../server/dist/cli/main.js') as { main(argv: string[], out: (text: string) => void, err: (text: string) => void): number };
const exampleDir = path.resolve(__dirname, '../examples/legacy-shop');

function runCli(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (text) => (out += text), (text) => (err += text));
  return { code, out, err };
}

describe('stateless CLI', () => {
  it('report --format json lists every finding of the example with its route', () => {
    const { code, out } = runCli(['report', exampleDir, '--format', 'json']);
    expect(code).toBe(0);
    const findings = JSON.parse(out) as { ruleId: string; path: string; line: number; column: number; route: string | null }[];
    expect(findings).toHaveLength(19);
    expect(findings.find((finding) => finding.ruleId === 'no-replica-read-after-write')).toEqual({
      ruleId: 'no-replica-read-after-write',
      path: 'src/routes/orders.ts',
      line: 72,
      column: 27,
      message: expect.stringContaining('`db.select()` reads from a read replica after `db.insert()` (src/routes/orders.ts:65)') as unknown as string,
      route: 'POST /orders',
    });
  }, 60_000);

  it('report --format sarif is SARIF 2.1.0 with one result per finding', () => {
    const sarif = JSON.parse(runCli(['report', exampleDir, '--format', 'sarif']).out) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((rule) => rule.id)).toEqual(['no-in-memory-session', 'no-local-disk-write', 'no-in-memory-counter', 'no-blocking-request-work', 'no-replica-read-after-write', 'no-in-process-scheduler', 'no-in-memory-pubsub', 'no-in-process-lock', 'no-process-local-cache']);
    expect(sarif.runs[0].results).toHaveLength(19);
    const replica = sarif.runs[0].results.find((result) => result.ruleId === 'no-replica-read-after-write')!;
    expect(replica.locations[0].physicalLocation.region).toMatchObject({ startLine: 72, startColumn: 27 });
  }, 60_000);

  it('report (markdown) groups by hazard and by route and names the adapters', () => {
    const { out } = runCli(['report', exampleDir]);
    expect(out.split('\n').slice(0, 3)).toEqual(['# Stateless report', '', '19 hazards in 13 files.']);
    expect(out).toContain('## By route');
    expect(out).toContain('- **POST /orders**: ');
    expect(out).toContain('- no-replica-read-after-write: none: read from the primary');
    expect(out).toContain('- no-in-memory-pubsub: pub/sub (Redis) / @socket.io/redis-adapter');
    expect(out).toContain('- no-in-process-scheduler: job scheduler (BullMQ) and worker / leader lock (Redis)');
  }, 60_000);

  it('rejects bad arguments with the usage and exit code 2', () => {
    const { code, err } = runCli(['report', exampleDir, '--format', 'xml']);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe('unknown format: xml (md, json or sarif)');
    expect(runCli(['frobnicate']).code).toBe(2);
    expect(runCli(['fix', '/does/not/exist']).err).toBe('not a directory: /does/not/exist\n');
  });
});
