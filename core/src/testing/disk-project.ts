import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes files (paths relative to a new temporary folder) and returns the folder, with forward slashes. */
export function writeProject(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stateless-index-'))).replace(/\\/g, '/');
  for (const [name, text] of Object.entries(files)) {
    const fileName = path.join(root, name);
    fs.mkdirSync(path.dirname(fileName), { recursive: true });
    fs.writeFileSync(fileName, text);
  }
  return root;
}

export function removeProject(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

const repoRoot = path.resolve(__dirname, '../../..');

/**
 * writeProject, with this repository's node_modules linked into the folder: TypeScript, @types and
 * the packages fixes import resolve as in an installed project.
 */
export function writeInstalledProject(files: Record<string, string>): string {
  const root = writeProject(files);
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  installed.push(root);
  return root;
}

const installed: string[] = [];

/** Removes every folder writeInstalledProject wrote (a test file's afterAll). */
export function removeInstalledProjects(): void {
  for (const root of installed.splice(0)) removeProject(root);
}
