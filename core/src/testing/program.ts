import * as ts from 'typescript';

/** A program over in-memory files, for typed (cross-file) analysis. */
export function createProgram(files: Record<string, string>, extraOptions: ts.CompilerOptions = {}): ts.Program {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, experimentalDecorators: true, allowJs: true, ...extraOptions };
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files[name] ?? readFile(name);
  host.fileExists = (name) => name in files || fileExists(name);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => Object.keys(files).some((file) => file.startsWith(`${name}/`)) || (directoryExists?.(name) ?? false);
  host.getSourceFile = (name, languageVersion) => (name in files ? ts.createSourceFile(name, files[name], languageVersion, true) : getSourceFile(name, languageVersion));
  return ts.createProgram(Object.keys(files), options, host);
}
