/**
 * The workspace the editor tests open: a scratch copy of examples/legacy-shop, since the quick-fix
 * tests edit it. Shared by both runners (runTestElectron.ts, test/editor/run-code-server.mjs).
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');

/** A scratch copy of examples/legacy-shop (the quick-fix tests edit it), resolving packages from the repo's node_modules. */
export function copyExampleWorkspace(): { folder: string; cleanup: () => void } {
  const scratch = mkdtempSync(path.join(tmpdir(), 'stateless-editor-'));
  const folder = path.join(scratch, 'legacy-shop');
  const source = path.join(repoRoot, 'examples', 'legacy-shop');
  const skipped = new Set(['node_modules', 'dist', 'uploads'].map((name) => path.join(source, name)));
  cpSync(source, folder, { recursive: true, filter: (file) => !skipped.has(file) });
  // Outside the workspace folder, so the scan does not walk it; module resolution still finds it.
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
  return { folder, cleanup: () => rmSync(scratch, { recursive: true, force: true }) };
}
