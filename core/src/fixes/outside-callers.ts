import * as path from 'node:path';
import ts = require('typescript');
import { listSourceFiles } from '../project-index/file-list';
import { moduleSpecifiers } from '../project-index/import-scan';
import { MAX_FILE_SIZE } from '../project-index/project-index';
import { isTestPath } from '../analysis/paths';

/**
 * Files of the repository outside the program that import one of its modules by relative path:
 * a script beside the service (`scripts/reset-password.js` requiring `../server/utils/hash`), an
 * app of another folder. A fix that makes a function of that module async changes what those
 * callers get (a promise where they used a value), and it cannot await them: they are not in the
 * program it rewrites. Tests are left out: a test that calls the function is the test's to update.
 */
const EXTENSION = /\.(?:d\.)?[cm]?[jt]sx?$/;

interface Importer {
  fileName: string;
  text: string;
}

/** Per program, per repository folder: the outside files that import by relative path, by the module (without extension) they name. */
const importersOfProgram = new WeakMap<ts.Program, Map<string, Map<string, Importer[]>>>();

/** The folder a module's callers may live in: the repository's (where `.git` is), else the outermost folder with a package.json above the file. */
function repositoryFolder(fileName: string): string | undefined {
  let outermostPackage: string | undefined;
  for (let folder = fileName.slice(0, fileName.lastIndexOf('/')); folder.includes('/') && !/\/node_modules(?:\/|$)/.test(folder); folder = folder.slice(0, folder.lastIndexOf('/'))) {
    if (ts.sys.fileExists(`${folder}/.git`) || ts.sys.directoryExists(`${folder}/.git`)) return folder;
    if (ts.sys.fileExists(`${folder}/package.json`)) outermostPackage = folder;
  }
  return outermostPackage;
}

function importersIn(program: ts.Program, folder: string): Map<string, Importer[]> {
  let byFolder = importersOfProgram.get(program);
  if (!byFolder) importersOfProgram.set(program, (byFolder = new Map<string, Map<string, Importer[]>>()));
  let importers = byFolder.get(folder);
  if (importers) return importers;
  importers = new Map();
  byFolder.set(folder, importers);
  for (const fileName of listSourceFiles(folder)) {
    if (program.getSourceFile(fileName) || isTestPath(fileName.slice(folder.length)) || /\.d\.[cm]?ts$/.test(fileName)) continue;
    if ((ts.sys.getFileSize?.(fileName) ?? 0) > MAX_FILE_SIZE) continue;
    const text = ts.sys.readFile(fileName);
    if (text === undefined) continue;
    for (const specifier of moduleSpecifiers(text)) {
      if (!specifier.startsWith('.')) continue;
      const target = path.posix.resolve(fileName.slice(0, fileName.lastIndexOf('/')), specifier).replace(EXTENSION, '');
      const list = importers.get(target) ?? [];
      if (!list.some((importer) => importer.fileName === fileName)) list.push({ fileName, text });
      importers.set(target, list);
    }
  }
  return importers;
}

/**
 * The first file outside the program that imports `module` by a relative path and names `name`
 * (`generateHash`, a method `set`): a caller the fix cannot change. Undefined when there is none,
 * or when the module is in no repository or package folder.
 */
export function callerOutsideProgram(program: ts.Program, module: ts.SourceFile, name: string): string | undefined {
  const folder = repositoryFolder(module.fileName);
  if (!folder) return undefined;
  const importers = importersIn(program, folder);
  const bare = module.fileName.replace(EXTENSION, '');
  const named = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
  const candidates = [...(importers.get(bare) ?? []), ...(/\/index$/.test(bare) ? (importers.get(bare.slice(0, -'/index'.length)) ?? []) : [])];
  return candidates.find((importer) => named.test(importer.text))?.fileName;
}
