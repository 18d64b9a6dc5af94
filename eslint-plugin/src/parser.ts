import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { Linter } from 'eslint';
import { heldSourceFileOf } from '@stateless/core';

/**
 * `@typescript-eslint/parser`, except that a file the project index has already parsed (for the
 * request graph, before ESLint reached the file) is not parsed again: typescript-eslint accepts a
 * `ts.SourceFile` as the code. The result is the parser's own, from the same text: only the
 * TypeScript parse is shared. Opt-in (`languageOptions: { parser: stateless.parser }`), untyped
 * linting only; anything else goes to the parser unchanged.
 */
export interface TypeScriptEslintParser {
  meta?: { name?: string; version?: string };
  parseForESLint(code: string | ts.SourceFile, options?: ParserOptions): unknown;
}

interface ParserOptions {
  filePath?: string;
  project?: unknown;
  projectService?: unknown;
  programs?: unknown;
  jsDocParsingMode?: string;
  [key: string]: unknown;
}

let loaded: TypeScriptEslintParser | undefined;
/** Whether the parser's TypeScript is the module the index parses with (else an AST of one cannot go to the other). */
let sameTypeScript = false;

/**
 * The project's `@typescript-eslint/parser`: from the folder ESLint runs in, else next to this
 * plugin; directly, or the one the `typescript-eslint` package depends on (pnpm does not hoist it).
 */
function typescriptEslintParser(): TypeScriptEslintParser {
  if (loaded) return loaded;
  const failures: string[] = [];
  for (const from of [path.join(process.cwd(), 'package.json'), __filename]) {
    for (const via of [undefined, 'typescript-eslint']) {
      try {
        const requireVia = via ? createRequire(createRequire(from).resolve(via)) : createRequire(from);
        const parserFile = requireVia.resolve('@typescript-eslint/parser');
        const parser = requireVia('@typescript-eslint/parser') as TypeScriptEslintParser;
        sameTypeScript = isSameTypeScript(parserFile);
        loaded = parser;
        return parser;
      } catch (error) {
        failures.push(error instanceof Error ? error.message.split('\n')[0] : String(error));
      }
    }
  }
  throw new Error(`stateless.parser wraps @typescript-eslint/parser, which could not be loaded (${failures.join('; ')})`);
}

/** Whether the parser's typescript-estree parses with the TypeScript module the index parses with. */
function isSameTypeScript(parserFile: string): boolean {
  try {
    const estreeFile = createRequire(parserFile).resolve('@typescript-eslint/typescript-estree');
    return (createRequire(estreeFile)('typescript') as typeof ts).SyntaxKind === ts.SyntaxKind;
  } catch {
    return false;
  }
}

/** The AST the project index holds for this file with this very text, when the parser may take it. */
function heldSourceFile(code: string, options: ParserOptions | undefined): ts.SourceFile | undefined {
  const filePath = options?.filePath;
  if (!sameTypeScript || !filePath || !path.isAbsolute(filePath)) return undefined;
  // Typed linting parses through a Program; JSDoc is parsed only when asked for (the index parses without it).
  if (options.project || options.projectService || options.programs || (options.jsDocParsingMode !== undefined && options.jsDocParsingMode !== 'none')) return undefined;
  try {
    return heldSourceFileOf(filePath, code);
  } catch {
    return undefined;
  }
}

export const parser: Linter.Parser = {
  meta: { name: 'eslint-plugin-stateless/parser', version: '1' },
  parseForESLint(code: string, options?: ParserOptions) {
    const typescriptEslint = typescriptEslintParser();
    const held = heldSourceFile(code, options);
    return typescriptEslint.parseForESLint(held ?? code, options) as ReturnType<NonNullable<Extract<Linter.Parser, { parseForESLint: unknown }>['parseForESLint']>>;
  },
};
