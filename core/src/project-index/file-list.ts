import * as fs from 'node:fs';
import { isSourceFileName } from './module-resolution';

/** Folders that hold no source of the project: dependencies, build output, caches, VCS. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'bower_components', 'jspm_packages', 'vendor', 'tmp', 'temp']);
/** Beyond this many files the index stops listing (a root that is a home folder, a generated tree). */
export const MAX_INDEXED_FILES = 20_000;

/** Source files under `rootDir` (forward slashes), skipping dependencies, build output and dot-folders. */
export function listSourceFiles(rootDir: string): string[] {
  const result: string[] = [];
  const stack = [rootDir];
  while (stack.length > 0 && result.length < MAX_INDEXED_FILES) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const name = entry.name;
      if (entry.isDirectory()) {
        if (!name.startsWith('.') && !SKIPPED_FOLDERS.has(name)) stack.push(`${dir}/${name}`);
      } else if (entry.isFile() && isSourceFileName(name) && !name.endsWith('.min.js')) {
        result.push(`${dir}/${name}`);
      }
    }
  }
  return result.sort();
}
