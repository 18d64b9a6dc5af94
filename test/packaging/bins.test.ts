// The monorepo's own bins, as the README's quick start runs them from the repository root after
// `npm ci && npm run build`: npm links them at install time because they are committed launchers
// (server/bin), not build output.
import { spawnSync } from 'node:child_process';
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(__dirname, '../..');

function npx(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('npx', ['--no-install', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, input: '' });
}

describe('bins in the repository', () => {
  it('are linked into node_modules/.bin to the committed launchers', () => {
    for (const bin of ['stateless', 'stateless-language-server']) {
      const link = path.join(repoRoot, 'node_modules/.bin', bin);
      expect(lstatSync(link).isSymbolicLink(), link).toBe(true);
      expect(readlinkSync(link)).toBe(`../@stateless/language-server/bin/${bin}.js`);
    }
  });

  it('npx stateless report examples/legacy-shop --format json lists the findings', () => {
    const { status, stdout, stderr } = npx('stateless', 'report', 'examples/legacy-shop', '--format', 'json');
    expect(status, stderr).toBe(0);
    const findings = JSON.parse(stdout) as { ruleId: string; route: string | null }[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.find((finding) => finding.ruleId === 'no-replica-read-after-write')?.route).toBe('POST /orders');
  }, 120_000);

  it('npx stateless-language-server without a transport prints its usage and exits 2', () => {
    const { status, stderr } = npx('stateless-language-server');
    expect(status).toBe(2);
    expect(stderr).toBe('Usage: stateless-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n');
  }, 60_000);
});
