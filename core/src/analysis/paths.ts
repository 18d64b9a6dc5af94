import ts = require('typescript');

/** Which files serve requests, judged by their path relative to the project root. */

// `public/`: the folder a server hands to browsers as it is (express.static), so the scripts in it are browser code.
const NON_SERVER_FOLDER = /(?:^|\/)(?:__tests__|__mocks__|mocks?|tests?|specs?|e2e|scripts?|bin|migrations?|seeds?|seeders|cypress|playwright|\.storybook|stories|public)\//;
// `dev-server.ts`, `devServer.js`, `build/dev-server.js`: the server a developer runs with hot reload (webpack, Vite), never deployed.
const NON_SERVER_FILE = /(?:\.(?:test|spec|e2e|stories|story|bench|config)\.[cm]?[jt]sx?$)|(?:^|\/)(?:cli|gulpfile|gruntfile|jakefile|dev[-_.]?server)\.[cm]?[jt]s$/i;

/**
 * Files that never serve requests: tests, scripts, CLIs (a `#!` line), migrations, seeds, tool
 * configs, development servers (`dev-server.ts`), browser code (`'use client'`, AMD modules, `public/`) and what the configuration ignores. Judged from the path
 * and the first statements only, so it costs nothing before any analysis.
 */
export function isIgnoredSourceFile(sourceFile: ts.SourceFile, relativePath: string, ignoreFiles: readonly string[]): boolean {
  if (sourceFile.text.startsWith('#!') || (isNonServerPath(relativePath) && !startsServerInBin(sourceFile.text, relativePath))) return true;
  for (const statement of sourceFile.statements) {
    if (isAmdModule(statement)) return true;
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    if (statement.expression.text === 'use client') return true;
  }
  return ignoreFiles.some((pattern) => matchesGlob(relativePath, pattern));
}

/**
 * `define(['api', 'alerts'], function (api, alerts) { … })`: an AMD (RequireJS) module, which only a
 * browser loads; its `api.get('/api/users', …)` calls a server, it is not one.
 */
function isAmdModule(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return false;
  const call = statement.expression;
  const last = call.arguments[call.arguments.length - 1];
  return ts.isIdentifier(call.expression) && call.expression.text === 'define' && last !== undefined && (ts.isFunctionExpression(last) || ts.isArrowFunction(last));
}

const BIN_FOLDER = /(^|\/)bin\//;
const LISTEN_CALL = /\.\s*listen\s*\(/;
/** ESLint hands rules the text with a `#!` line turned into a comment: `///usr/bin/env node`. */
const ESLINT_HASHBANG = /^\/\/\/[^\n]*\bnode\b/;

/**
 * `bin/www.js`, `bin/dev.js`: a file in `bin/` without a `#!` line that calls `.listen(` is the
 * service's start file (express-generator's layout), not a command-line tool; what it creates (an
 * io server stored on `global`) serves requests. Only `bin/` is judged so: tests and scripts stay out.
 */
function startsServerInBin(text: string, relativePath: string): boolean {
  return BIN_FOLDER.test(relativePath) && !isNonServerPath(relativePath.replace(BIN_FOLDER, '$1')) && !ESLINT_HASHBANG.test(text) && LISTEN_CALL.test(text);
}

/** Tests, scripts, CLIs, migrations, seeds and tool configs never serve requests. */
export function isNonServerPath(relativePath: string): boolean {
  return NON_SERVER_FOLDER.test(relativePath) || NON_SERVER_FILE.test(relativePath);
}

const globCache = new Map<string, RegExp>();

/** gitignore-like globs: `**` crosses folders, `*` and `?` do not; a pattern without `/` matches a name in any folder. */
export function matchesGlob(relativePath: string, pattern: string): boolean {
  let regex = globCache.get(pattern);
  if (!regex) {
    const anchored = pattern.includes('/') && !pattern.startsWith('**/');
    const body = pattern
      .replace(/^\.?\//, '')
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '\u0000')
      .replace(/\*\*$/, '\u0001')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .replace(/\u0000/g, '(?:.*/)?')
      .replace(/\u0001/g, '.*');
    regex = new RegExp(`${anchored ? '^' : '(?:^|/)'}${body}(?:/.*)?$`);
    globCache.set(pattern, regex);
  }
  return regex.test(relativePath);
}

/** `fileName` relative to `root` with forward slashes; the whole name when it is not under the root. */
export function relativeTo(root: string | undefined, fileName: string): string {
  const file = fileName.replace(/\\/g, '/');
  if (!root) return file;
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
  return file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file;
}
