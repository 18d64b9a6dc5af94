import ts = require('typescript');

/** The TypeScript versions whose JavaScript compiler API Stateless is built and tested on (typescript-eslint's range). */
export const SUPPORTED_TYPESCRIPT = '>=5.4 <6.1';

/**
 * Why the `typescript` package that `require` finds cannot serve Stateless, or undefined when it can.
 * TypeScript 7 is the native compiler: its package exports a version and an unstable IPC API, not
 * the compiler API (`createSourceFile`, `createProgram`) every part of Stateless is built on.
 */
export function typescriptApiProblem(api: Partial<typeof ts> = ts): string | undefined {
  const version = typeof api.version === 'string' ? api.version : 'unknown';
  if (typeof api.createSourceFile === 'function' && typeof api.createProgram === 'function' && api.SyntaxKind !== undefined) {
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 5 || (major === 5 && minor < 4)) return `Stateless needs typescript ${SUPPORTED_TYPESCRIPT}, found ${version}: install a supported version (npm i -D typescript@~5.9).`;
    return undefined;
  }
  return `Stateless needs the TypeScript compiler API (typescript ${SUPPORTED_TYPESCRIPT}); typescript ${version} is the native compiler and has none. Install typescript 6.0 for the tools that need the API (npm i -D typescript@~6.0).`;
}

/** An error that prints as its one-line message: hosts such as ESLint print `error.stack`. */
export class UnsupportedTypeScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedTypeScriptError';
    this.stack = message;
  }
}

/** Stops loading with a one-line reason when the installed `typescript` has no usable compiler API. */
export function assertTypeScriptApi(): void {
  const problem = typescriptApiProblem();
  if (problem) throw new UnsupportedTypeScriptError(problem);
}

assertTypeScriptApi();
