import ts = require('typescript');
import type { FixPlan } from '../types';

/** An error of a file: its identity (file, code, message; positions move with edits) and how it reads. */
export interface FileError {
  key: string;
  code: number;
  /** `src/routes/auth.ts:12:5 TS2345 Argument of type …` */
  text: string;
}

/** Cannot find module, no declaration file for module, module not resolvable under these settings. */
const MISSING_MODULE_CODES = new Set([2307, 7016, 2792]);

/** The first error in `after` that `before` does not have as often. */
export function firstNewError(before: readonly FileError[], after: readonly FileError[]): FileError | undefined {
  const counts = new Map<string, number>();
  for (const error of before) counts.set(error.key, (counts.get(error.key) ?? 0) + 1);
  for (const error of after) {
    const left = counts.get(error.key) ?? 0;
    if (left === 0) return error;
    counts.set(error.key, left - 1);
  }
  return undefined;
}

/** The packages a fix adds are not installed yet: their imports cannot resolve before `npm install`. */
export function isUninstalledDependency(error: FileError, plan: FixPlan): boolean {
  return MISSING_MODULE_CODES.has(error.code) && plan.dependencies.some((dependency) => error.text.includes(`'${dependency.name}'`) || error.text.includes(`'${dependency.name}/`));
}

/** A file's errors: syntax errors, and type errors with `typeCheck`. */
export function errorsOf(
  program: ts.Program,
  file: ts.SourceFile,
  typeCheck: boolean,
  relative: (fileName: string) => string,
  semantic: (file: ts.SourceFile) => readonly ts.Diagnostic[] = (checked) => program.getSemanticDiagnostics(checked),
): FileError[] {
  const errors: FileError[] = [];
  const diagnostics = [...program.getSyntacticDiagnostics(file), ...(typeCheck ? semantic(file) : [])];
  for (const diagnostic of diagnostics) {
    if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const at = diagnostic.start === undefined ? undefined : file.getLineAndCharacterOfPosition(diagnostic.start);
    const position = at ? `:${at.line + 1}:${at.character + 1}` : '';
    errors.push({ key: `${file.fileName}\u0000${diagnostic.code}\u0000${message}`, code: diagnostic.code, text: `${relative(file.fileName)}${position} TS${diagnostic.code} ${message}` });
  }
  return errors;
}

/** Whether a project can type-check: the `typescript` package resolves from its root (without it, its types are not installed either). */
export function typeScriptResolvesFrom(rootDir: string): boolean {
  return ts.resolveModuleName('typescript', `${rootDir}/index.ts`, { moduleResolution: ts.ModuleResolutionKind.Node10 }, ts.sys).resolvedModule !== undefined;
}

/** Importers checked beyond the files a plan touches: a plan edits the callers it changes itself, these are the safety net. */
const MAX_IMPORTERS = 40;

/**
 * The first error a plan adds to a program (read as `relative` names it), or undefined: the check
 * `stateless fix --write` makes on the whole project, made on the files the plan edits or creates
 * and the files that import an edited one, on a program built from the old one (unchanged files
 * are reused, not parsed again). For the editor's quick-fixes, which offer the plan disabled
 * instead of an edit that breaks the build.
 */
export function planAddsError(program: ts.Program, plan: FixPlan, relative: (fileName: string) => string, typeCheck = true): string | undefined {
  const texts = new Map<string, string>();
  const byFile = new Map<string, FixPlan['edits']>();
  for (const edit of plan.edits) byFile.set(edit.fileName, [...(byFile.get(edit.fileName) ?? []), edit]);
  for (const [fileName, edits] of byFile) {
    let text = program.getSourceFile(fileName)?.text ?? ts.sys.readFile(fileName);
    if (text === undefined) continue;
    for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    texts.set(fileName, text);
  }
  const created = plan.createFiles.filter((file) => !program.getSourceFile(file.fileName) && !ts.sys.fileExists(file.fileName));
  for (const file of created) texts.set(file.fileName, file.text);
  if (texts.size === 0) return undefined;

  const options = program.getCompilerOptions();
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => texts.get(name) ?? readFile(name);
  host.fileExists = (name) => texts.has(name) || fileExists(name);
  // Module resolution looks for a folder before its files: the folders of created files exist too.
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => [...texts.keys()].some((file) => file.startsWith(`${name}/`)) || (directoryExists?.(name) ?? true);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const text = texts.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, languageVersion, true);
    return program.getSourceFile(name) ?? getSourceFile(name, languageVersion, onError, shouldCreate);
  };
  const rootNames = [...program.getRootFileNames(), ...created.map((file) => file.fileName).filter((name) => /\.[cm]?[jt]sx?$/.test(name))];
  const after = ts.createProgram({ rootNames, options, host, oldProgram: program });

  const checked = [...texts.keys()].filter((name) => !name.endsWith('.json'));
  checked.push(...importersOf(program, new Set(byFile.keys())).slice(0, MAX_IMPORTERS));
  const before: FileError[] = [];
  const afterErrors: FileError[] = [];
  for (const name of checked) {
    const old = program.getSourceFile(name);
    if (old) before.push(...errorsOf(program, old, typeCheck, relative));
    const current = after.getSourceFile(name);
    if (current) afterErrors.push(...errorsOf(after, current, typeCheck, relative).filter((error) => !isUninstalledDependency(error, plan)));
  }
  const added = firstNewError(before, afterErrors);
  return added && `it adds ${added.code >= 2000 ? 'a type error' : 'a syntax error'}: ${added.text}`;
}

/** The program's own files (not the edited ones) that import one of these files. */
function importersOf(program: ts.Program, files: ReadonlySet<string>): string[] {
  const checker = program.getTypeChecker();
  const importers: string[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || files.has(file.fileName)) continue;
    const imports = (specifier: ts.Expression): boolean => {
      const declaration = ts.isStringLiteralLike(specifier) ? checker.getSymbolAtLocation(specifier)?.valueDeclaration : undefined;
      return declaration !== undefined && ts.isSourceFile(declaration) && files.has(declaration.fileName);
    };
    const found = file.statements.some((statement) => {
      if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) return imports(statement.moduleSpecifier);
      if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) return imports(statement.moduleReference.expression);
      return false;
    });
    if (found) importers.push(file.fileName);
  }
  return importers;
}
