import ts = require('typescript');

/**
 * Declaration files of installed packages and of TypeScript's own libs (`node_modules/**.d.ts`),
 * parsed once per process and shared by every project's programs while any of them holds the file,
 * as TypeScript's language service shares them through its document registry. The projects of one
 * checkout (a monorepo's services, the folders `stateless fix .` runs one after another) and the
 * programs of one project all read the same `@types/node` and `lib.dom.d.ts`; parsing and binding
 * them again for each costs more than analysing the service.
 *
 * Held weakly: a file no program uses any longer is the garbage collector's, so a server that
 * unloads its projects frees their declarations too.
 */
const files = new Map<string, WeakRef<ts.SourceFile>>();
const forget = new FinalizationRegistry<string>((key) => {
  if (files.get(key)?.deref() === undefined) files.delete(key);
});
let versions = 0;

/** Whether a file is one the cache shares: a declaration file under a `node_modules` folder. */
export function isSharedDeclaration(fileName: string): boolean {
  return fileName.endsWith('.d.ts') && fileName.includes('/node_modules/');
}

/**
 * The parsed file of this name and text, from the cache when a program parsed the same text with
 * the same options (`key` names them), else parsed now and kept. Its `version` is new for each new
 * text, as TypeScript's incremental checking expects.
 */
export function sharedDeclaration(key: string, fileName: string, text: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.SourceFile {
  const known = files.get(key)?.deref();
  if (known?.text === text) return known;
  const file = ts.createSourceFile(fileName, text, languageVersion, true);
  (file as ts.SourceFile & { version: string }).version = `declaration-${++versions}`;
  files.set(key, new WeakRef(file));
  forget.register(file, key);
  return file;
}
