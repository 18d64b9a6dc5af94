// The plugin as it ships (eslint-plugin/dist, built by `tsc -b` before the tests): every core rule
// is exported under its own name, documented, tested and in the right configs — unicorn's
// test/package.js, for our one-name-everywhere rule.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RuleDefinition } from '@stateless/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

interface LoadedRule {
  meta: {
    type: string;
    docs: { description: string; url: string };
    messages: Record<string, string>;
    schema: { type: string; properties: Record<string, { description?: unknown }>; additionalProperties: unknown }[];
    hasSuggestions?: boolean;
    defaultOptions?: unknown;
  };
  defaultOptions: unknown[];
}
interface LoadedConfig {
  name: string;
  plugins: Record<string, unknown>;
  rules: Record<string, unknown>;
}
interface LoadedPlugin {
  meta: { name: string; version: string };
  rules: Record<string, LoadedRule>;
  configs: Record<string, LoadedConfig>;
}

const plugin = require('eslint-plugin-stateless') as LoadedPlugin;
const { ruleDefinitions } = require('@stateless/core') as { ruleDefinitions: readonly RuleDefinition[] };
const packageJson = JSON.parse(readFileSync(join(root, 'eslint-plugin/package.json'), 'utf8')) as { name: string; version: string };

const DOCS_SECTIONS = ['## Examples', '## How to fix', '## Options', '## When Not To Use It', '## Further Reading'];

describe('eslint-plugin-stateless package', () => {
  it('names itself after its package.json', () => {
    expect(plugin.meta).toEqual({ name: packageJson.name, version: packageJson.version });
  });

  it('exports exactly the core rules, under the same names', () => {
    expect(Object.keys(plugin.rules)).toEqual(ruleDefinitions.map((definition) => definition.id));
  });

  it('has configs recommended, strict and all that carry the plugin itself', () => {
    expect(Object.keys(plugin.configs).sort()).toEqual(['all', 'recommended', 'strict']);
    for (const [name, config] of Object.entries(plugin.configs)) {
      expect(config.name).toBe(`stateless/${name}`);
      expect(config.plugins.stateless).toBe(plugin);
      for (const [ruleName, severity] of Object.entries(config.rules)) {
        expect(ruleName).toMatch(/^stateless\//);
        expect(plugin.rules[ruleName.slice('stateless/'.length)]).toBeDefined();
        expect(severity).toBe('error');
      }
    }
  });
});

describe.each(ruleDefinitions.map((definition) => [definition.id, definition] as const))('%s', (id, definition) => {
  const rule = plugin.rules[id];

  it('is exported', () => {
    expect(rule).toBeDefined();
  });

  it('has its own source file and test file', () => {
    expect(existsSync(join(root, `eslint-plugin/src/rules/${id}.ts`))).toBe(true);
    expect(existsSync(join(root, `eslint-plugin/src/rules/${id}.test.ts`))).toBe(true);
  });

  it('has a docs page whose description equals meta.docs.description', () => {
    const page = join(root, `rules-docs/${id}.md`);
    expect(existsSync(page), `rules-docs/${id}.md`).toBe(true);
    const lines = readFileSync(page, 'utf8').replace(/\r\n?/g, '\n').split('\n');
    expect(lines[0]).toBe(`# ${id}`);
    const descriptionLine = lines.slice(1).find((line) => line.trim() !== '');
    expect(descriptionLine).toBe(`> ${rule.meta.docs.description}`);
    const sections = lines.filter((line) => line.startsWith('## '));
    expect(sections.filter((line) => DOCS_SECTIONS.includes(line))).toEqual(DOCS_SECTIONS);
  });

  it('links meta.docs.url to its docs page', () => {
    expect(rule.meta.docs.url).toBe(`https://github.com/stateless-dev/stateless/blob/main/rules-docs/${id}.md`);
  });

  it('takes its metadata from core', () => {
    expect(rule.meta.type).toBe('problem');
    expect(rule.meta.docs.description).toBe(definition.description);
    expect(rule.meta.docs.description).toMatch(/^[A-Z][a-z]+ .*[^.]$/);
    expect(rule.meta.messages).toEqual(definition.messages);
    expect(Boolean(rule.meta.hasSuggestions)).toBe(definition.hasSuggestions);
  });

  it('uses camelCase message ids', () => {
    for (const messageId of Object.keys(rule.meta.messages)) expect(messageId).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it('has a strict options schema with a description on every property', () => {
    expect(rule.meta.schema).toHaveLength(1);
    const [schema] = rule.meta.schema;
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    for (const [name, property] of Object.entries(schema.properties)) {
      expect(typeof property.description === 'string' && property.description.length > 0, `${id} option ${name}`).toBe(true);
    }
  });

  it('has complete default options, equal to core', () => {
    expect(rule.defaultOptions).toEqual([definition.defaultOptions]);
    expect(Object.keys(definition.defaultOptions as object).sort()).toEqual(Object.keys(rule.meta.schema[0].properties).sort());
    // meta.defaultOptions would make ESLint fill every default into context.options, overriding stateless.config.json.
    expect(rule.meta.defaultOptions).toBeUndefined();
  });

  it('is in `all`, and in `recommended` / `strict` exactly when core says so', () => {
    const key = `stateless/${id}`;
    expect(plugin.configs.all.rules[key]).toBe('error');
    expect(key in plugin.configs.recommended.rules).toBe(definition.configs.includes('recommended'));
    expect(key in plugin.configs.strict.rules).toBe(definition.configs.includes('strict'));
  });
});

describe('a real ESLint run', () => {
  const artifacts = join(root, 'test/artifacts');
  mkdirSync(artifacts, { recursive: true });
  // Inside the repository, so that `eslint-plugin-stateless` resolves by name through its
  // node_modules; its own package.json makes it the project root (files under test/ are tests).
  const dir = mkdtempSync(join(artifacts, 'package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sessionCode = [
    "import express from 'express';",
    "import session from 'express-session';",
    'const app = express();',
    "app.use(session({ secret: 'x' }));",
    '',
  ].join('\n');
  writeFileSync(join(dir, 'package.json'), '{ "name": "package-test-fixture", "private": true }\n');
  writeFileSync(join(dir, 'server.js'), sessionCode);
  writeFileSync(join(dir, 'server.ts'), sessionCode);

  const pluginImports = {
    import: "import stateless from 'eslint-plugin-stateless';\n",
    require: "import { createRequire } from 'node:module';\nconst stateless = createRequire(import.meta.url)('eslint-plugin-stateless');\n",
  };

  it.each(Object.entries(pluginImports))('resolves eslint-plugin-stateless by name with %s', (name, loadPlugin) => {
    const configFile = join(dir, `eslint.config.${name}.mjs`);
    writeFileSync(
      configFile,
      `${loadPlugin}import tseslint from 'typescript-eslint';\n` +
        "export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, stateless.configs.recommended];\n",
    );
    const eslintBin = join(root, 'node_modules/eslint/bin/eslint.js');
    let output: string;
    try {
      output = execFileSync(process.execPath, [eslintBin, '--config', configFile, '--format', 'json', 'server.js', 'server.ts'], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      // Exit code 1 means "lint problems found", which is what we expect; anything else is a crash.
      const failure = error as { status: number; stdout: string; stderr: string };
      expect(failure.status, failure.stderr).toBe(1);
      output = failure.stdout;
    }
    const results = JSON.parse(output) as { messages: { ruleId: string | null; line: number }[] }[];
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.messages.map(({ ruleId, line }) => ({ ruleId, line }))).toEqual([{ ruleId: 'stateless/no-in-memory-session', line: 4 }]);
    }
  });

  it("type-checks in a user's eslint.config.ts (ESLint's defineConfig and typescript-eslint's helper)", () => {
    writeFileSync(
      join(dir, 'eslint.config.ts'),
      [
        "import { defineConfig } from 'eslint/config';",
        "import tseslint from 'typescript-eslint';",
        "import stateless from 'eslint-plugin-stateless';",
        '',
        'export const viaEslint = defineConfig([stateless.configs.recommended, { plugins: { stateless }, rules: { "stateless/no-local-disk-write": "warn" } }]);',
        'export const viaTypescriptEslint = tseslint.config(stateless.configs.strict, { plugins: { stateless } });',
        '',
      ].join('\n'),
    );
    const compilerOptions = { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['eslint.config.ts'] }));
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
