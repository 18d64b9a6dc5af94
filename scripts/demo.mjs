#!/usr/bin/env node
// `npm run demo`: lints the bundled legacy app with the plugin's recommended config, typed (so
// request paths are followed across files), and prints every finding with the route that reaches it.
// Pass --untyped to see what plain (untyped) linting finds.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const exampleDir = path.join(root, 'examples', 'legacy-shop');
const typed = !process.argv.includes('--untyped');

const { ESLint } = require('eslint');
const tsParser = require('@typescript-eslint/parser');
const pluginModule = require(path.join(root, 'eslint-plugin', 'dist', 'index.js'));
const stateless = pluginModule.default ?? pluginModule;

const eslint = new ESLint({
  cwd: exampleDir,
  overrideConfigFile: true,
  overrideConfig: [
    { ignores: ['dist/**', 'node_modules/**', 'uploads/**'] },
    {
      files: ['**/*.ts'],
      languageOptions: {
        parser: tsParser,
        parserOptions: typed ? { projectService: true, tsconfigRootDir: exampleDir } : {},
      },
    },
    stateless.configs.recommended,
  ],
});

const started = process.hrtime.bigint();
const results = await eslint.lintFiles(['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts']);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

let total = 0;
const byRule = new Map();
for (const result of results) {
  if (result.messages.length === 0) continue;
  console.log(`\n${path.relative(root, result.filePath)}`);
  for (const message of result.messages) {
    total++;
    byRule.set(message.ruleId, (byRule.get(message.ruleId) ?? 0) + 1);
    const where = `${message.line}:${message.column}`.padEnd(7);
    console.log(`  ${where} ${message.severity === 2 ? 'error' : 'warn '}  ${message.message}  ${message.ruleId ?? ''}`);
  }
}
console.log(`\n${total} finding${total === 1 ? '' : 's'} in ${results.length} files (${typed ? 'typed' : 'untyped'} linting, ${seconds.toFixed(1)} s)`);
for (const [rule, count] of [...byRule].sort()) console.log(`  ${String(count).padStart(3)}  ${rule}`);
if (results.some((result) => result.messages.some((message) => message.fatal))) process.exitCode = 1;
