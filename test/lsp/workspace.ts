/** Test workspaces: fixtures copied to a temporary folder, so tests may edit and delete files. */
import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const fixturesDir = path.join(__dirname, 'fixtures');

/** A fresh copy of `test/lsp/fixtures/<name>`; remove it with {@link removeWorkspace}. */
export function copyFixture(name: string): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), `stateless-lsp-${name}-`)));
  cpSync(path.join(fixturesDir, name), dir, { recursive: true });
  return dir.replace(/\\/g, '/');
}

export function removeWorkspace(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
