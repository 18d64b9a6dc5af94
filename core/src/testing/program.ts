import * as ts from 'typescript';

/**
 * Declaration files from disk (TypeScript's libs, @types, packages' .d.ts) parsed once per test
 * process, by name and options: every program of a test file reads the same ones, and TypeScript
 * reuses a parsed and bound file across programs of the same options (as its language service does).
 */
const declarations = new Map<string, ts.SourceFile | undefined>();

/** A program over in-memory files, for typed (cross-file) analysis. */
export function createProgram(files: Record<string, string>, extraOptions: ts.CompilerOptions = {}): ts.Program {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, experimentalDecorators: true, allowJs: true, ...extraOptions };
  const optionsKey = JSON.stringify(options);
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files[name] ?? readFile(name);
  host.fileExists = (name) => name in files || fileExists(name);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => Object.keys(files).some((file) => file.startsWith(`${name}/`)) || (directoryExists?.(name) ?? false);
  host.getSourceFile = (name, languageVersion) => {
    if (name in files) return ts.createSourceFile(name, files[name], languageVersion, true);
    if (!name.endsWith('.d.ts')) return getSourceFile(name, languageVersion);
    const key = `${optionsKey}\u0000${JSON.stringify(languageVersion)}\u0000${name}`;
    if (!declarations.has(key)) declarations.set(key, getSourceFile(name, languageVersion));
    return declarations.get(key);
  };
  return ts.createProgram(Object.keys(files), options, host);
}
