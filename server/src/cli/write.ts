import * as nodeFs from 'node:fs';
import * as path from 'node:path';

/** The file operations `writeAll` uses (a test passes one that fails on purpose). */
export interface WriteFileSystem {
  writeFileSync(fileName: string, text: string): void;
  renameSync(from: string, to: string): void;
  unlinkSync(fileName: string): void;
  mkdirSync(folder: string, options: { recursive: true }): string | undefined;
  rmdirSync(folder: string): void;
}

export interface FileChange {
  fileName: string;
  /** undefined: the file is new. */
  before: string | undefined;
  after: string;
}

/**
 * Writes every change or none: each new text goes to a temporary file beside its target first,
 * then the temporary files are renamed over the targets. When anything fails, the files already
 * renamed get their old text back (new files are removed), the temporary files and new folders
 * are removed, and the error is thrown again.
 */
export function writeAll(changes: readonly FileChange[], fs: WriteFileSystem = nodeFs): void {
  const suffix = `.stateless-${process.pid}.tmp`;
  const folders: string[] = [];
  const temporary: string[] = [];
  const renamed: FileChange[] = [];
  try {
    for (const change of changes) {
      const created = fs.mkdirSync(path.dirname(change.fileName), { recursive: true });
      if (created !== undefined) folders.push(created);
      fs.writeFileSync(`${change.fileName}${suffix}`, change.after);
      temporary.push(`${change.fileName}${suffix}`);
    }
    for (const change of changes) {
      fs.renameSync(`${change.fileName}${suffix}`, change.fileName);
      temporary.splice(temporary.indexOf(`${change.fileName}${suffix}`), 1);
      renamed.push(change);
    }
  } catch (error) {
    for (const change of renamed.reverse()) {
      attempt(() => (change.before === undefined ? fs.unlinkSync(change.fileName) : fs.writeFileSync(change.fileName, change.before)));
    }
    for (const fileName of temporary) attempt(() => fs.unlinkSync(fileName));
    // mkdirSync returns the first folder it made: remove the deepest new folders first.
    for (const folder of folders.reverse()) removeEmptyFolders(fs, folder, changes);
    throw error;
  }
}

function attempt(operation: () => void): void {
  try {
    operation();
  } catch {
    // Best effort while undoing: the first error is the one reported.
  }
}

/** Removes `top` and the folders below it that the changes' files would have been in, if empty. */
function removeEmptyFolders(fs: WriteFileSystem, top: string, changes: readonly FileChange[]): void {
  const below = new Set<string>();
  for (const change of changes) {
    for (let folder = path.dirname(change.fileName); folder.startsWith(top) && folder.length >= top.length; folder = path.dirname(folder)) below.add(folder);
  }
  for (const folder of [...below].sort((a, b) => b.length - a.length)) attempt(() => fs.rmdirSync(folder));
}
