import ts = require('typescript');

/** What the type checker said a name refers to, per file and per name node. */
type Resolutions = Map<ts.SourceFile, Map<ts.Node, readonly ts.Declaration[]>>;

/**
 * Typed resolutions carried from a program to the next one of the same project. An editor builds a
 * new program on every keystroke, and a new program has a new checker, so without this every call on
 * every request path would be resolved again, type-checking most of the program each time. Programs
 * of one project share their compiler options object (a language service asks its host once per
 * project), which is how a program's predecessor is found.
 */
const lineages = new WeakMap<ts.CompilerOptions, { program: ts.Program; resolutions: Resolutions }>();
const ofProgram = new WeakMap<ts.Program, Resolutions>();

/** More changed files than this (a branch switch, a codegen run) and nothing is carried over. */
const MAX_CHANGED_FILES = 64;

/**
 * The resolution of `name` in `program`: a carried-over answer when its file, the files it imports
 * by name and the files its declarations are in are all unchanged, else `resolve()`.
 */
export function cachedResolution(program: ts.Program, name: ts.Node, resolve: () => readonly ts.Declaration[]): readonly ts.Declaration[] {
  const resolutions = resolutionsOf(program);
  const file = name.getSourceFile();
  let inFile = resolutions.get(file);
  const known = inFile?.get(name);
  if (known && known.every((declaration) => program.getSourceFile(declaration.getSourceFile().fileName) === declaration.getSourceFile())) return known;
  const resolved = resolve();
  if (!inFile) resolutions.set(file, (inFile = new Map<ts.Node, readonly ts.Declaration[]>()));
  inFile.set(name, resolved);
  return resolved;
}

function resolutionsOf(program: ts.Program): Resolutions {
  let resolutions = ofProgram.get(program);
  if (resolutions) return resolutions;
  const options = program.getCompilerOptions();
  const previous = lineages.get(options);
  resolutions = previous && previous.program !== program ? carriedOver(previous.program, previous.resolutions, program) : new Map();
  lineages.set(options, { program, resolutions });
  ofProgram.set(program, resolutions);
  return resolutions;
}

/**
 * The previous program's resolutions that still hold: those of unchanged files that import no
 * changed file. An import is matched by the module's name (the specifier's last segment, or the
 * folder of an `index` file), which errs towards dropping: a re-export or an alias whose target
 * changed is dropped with its importer. Answers that point into a changed file fail the check in
 * `cachedResolution` and are resolved again.
 */
function carriedOver(previous: ts.Program, resolutions: Resolutions, program: ts.Program): Resolutions {
  const changed: string[] = [];
  for (const file of program.getSourceFiles()) if (previous.getSourceFile(file.fileName) !== file) changed.push(file.fileName);
  for (const file of previous.getSourceFiles()) if (!program.getSourceFile(file.fileName)) changed.push(file.fileName);
  if (changed.length > MAX_CHANGED_FILES) return new Map();
  const changedNames = new Set(changed.flatMap(moduleNames));
  const kept: Resolutions = new Map();
  for (const [file, byName] of resolutions) {
    if (program.getSourceFile(file.fileName) !== file) continue;
    if (changedNames.size > 0 && importedNames(file).some((name) => changedNames.has(name))) continue;
    kept.set(file, byName);
  }
  return kept;
}

/** The names an import of this file may use: `src/users/service.ts` → `service`; `lib/db/index.ts` → `index`, `db`. */
function moduleNames(fileName: string): string[] {
  const parts = fileName.split('/');
  const base = (parts.at(-1) ?? '').replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
  return base === 'index' && parts.length > 1 ? [base, parts.at(-2) ?? ''] : [base];
}

const importedNamesOf = new WeakMap<ts.SourceFile, string[]>();

/** The last segment of every module specifier of a file (imports, re-exports, requires, import()). */
function importedNames(file: ts.SourceFile): string[] {
  let names = importedNamesOf.get(file);
  if (!names) {
    names = ts.preProcessFile(file.text, true, true).importedFiles.map((reference) => (reference.fileName.split('/').at(-1) ?? '').replace(/\.[cm]?[jt]sx?$/, ''));
    importedNamesOf.set(file, names);
  }
  return names;
}
