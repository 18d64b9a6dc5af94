// The editor and CI must agree: on the same fixtures, typed ESLint with the plugin's `all` config
// and the language server's workspace scan (every rule on) report the same findings — rule, start,
// end and message.
import path from 'node:path';
import { createRequire } from 'node:module';
import { ESLint, type Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ruleDefinitions } from '@stateless/core';
import { LspClient, repoRoot } from './client';

const require = createRequire(__filename);
const plugin = require('eslint-plugin-stateless') as { configs: { all: Linter.Config } };

const FIXTURE_SETS = [
  { name: 'examples/legacy-shop', dir: path.join(repoRoot, 'examples/legacy-shop'), patterns: ['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'] },
  { name: 'eslint-plugin rule fixtures', dir: path.join(repoRoot, 'eslint-plugin/src/rules/fixtures'), patterns: ['**/*.ts', '**/*.tsx'] },
  { name: 'test/lsp/fixtures/shop', dir: path.join(__dirname, 'fixtures/shop'), patterns: ['src/**/*.ts'] },
  { name: 'test/lsp/fixtures/sessions', dir: path.join(__dirname, 'fixtures/sessions'), patterns: ['src/**/*.ts'] },
];

const rulesSeen = new Set<string>();

/** `file:line:column-endLine:endColumn rule message`, 1-based like ESLint prints. */
type Finding = string;

async function eslintFindings(dir: string, patterns: string[]): Promise<Finding[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      { ignores: ['dist/**', 'node_modules/**'] },
      { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: dir } } },
      plugin.configs.all,
    ],
  });
  const results = await eslint.lintFiles(patterns);
  return results
    .flatMap((result) =>
      result.messages.map((m) => {
        expect(m.ruleId, `${result.filePath}: ${m.message}`).toMatch(/^stateless\//);
        return `${path.relative(dir, result.filePath)}:${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId} ${m.message}`;
      }),
    )
    .sort();
}

async function serverFindings(dir: string): Promise<Finding[]> {
  const everyRule = Object.fromEntries(ruleDefinitions.map((rule) => [rule.id, 'warning']));
  const client = await LspClient.start(dir, { settings: () => ({ rules: everyRule }) });
  try {
    await client.executeCommand('stateless.scanWorkspace');
    return [...client.published]
      .flatMap(([uri, params]) =>
        params.diagnostics.map((d) => `${path.relative(dir, new URL(uri).pathname)}:${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} stateless/${String(d.code)} ${d.message}`),
      )
      .sort();
  } finally {
    await client.stop();
  }
}

describe.each(FIXTURE_SETS)('parity with ESLint: $name', ({ dir, patterns }) => {
  let fromEslint: Finding[];
  let fromServer: Finding[];
  // ESLint over every fixture and a server scan of them: about a minute in CI, where the unit project
  // runs under nice beside the system suites; past two minutes on a machine loaded twice over.
  beforeAll(async () => {
    [fromEslint, fromServer] = await Promise.all([eslintFindings(dir, patterns), serverFindings(dir)]);
  }, 300_000);

  it('reports the same findings', () => {
    expect(fromEslint.length).toBeGreaterThan(0);
    expect(fromServer).toEqual(fromEslint);
    for (const finding of fromEslint) rulesSeen.add(finding.split(' ')[1]);
  });
});

describe('parity fixtures', () => {
  it('exercise every rule (a new rule needs a fixture here)', () => {
    expect([...rulesSeen].sort()).toEqual(ruleDefinitions.map((rule) => `stateless/${rule.id}`).sort());
  });
});
