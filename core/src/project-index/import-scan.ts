/**
 * The module specifiers a file's text names, without parsing it: every string that follows
 * `from`, `import`, `import(` or `require(` (comments between `import(` and the string included).
 *
 * A superset of what a scanner pass (`ts.preProcessFile`) finds: the same patterns also match in
 * comments and strings, which only adds specifiers that resolve to nothing or to a file the code
 * does not load (the index then does a little more work for it; the analysis reads imports from
 * the AST, so no finding depends on a specifier found here). About ten times cheaper than the
 * scanner, which matters because the project index scans every file a serving file reaches
 * before the first file's analysis.
 */
export function moduleSpecifiers(text: string): string[] {
  const specifiers: string[] = [];
  if (!MENTIONS_A_MODULE.test(text)) return specifiers;
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[2];
    if (!specifiers.includes(specifier)) specifiers.push(specifier);
  }
  return specifiers;
}

const MENTIONS_A_MODULE = /\b(?:import|require|from)\b/;

// `from 'x'` (imports and re-exports), `import 'x'`, `import('x')`, `import(/* chunk */ 'x')`,
// `require('x')`, `import x = require('x')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*(?:\/\*[^]*?\*\/\s*)*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\r\n\\]+)\1/g;
