// Loaded first, before typescript-eslint's utilities read `typescript`: core stops with a one-line
// reason when the installed TypeScript has no compiler API (TypeScript 7, the native compiler).
import '@stateless/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import allConfig from './configs/all';
import recommendedConfig from './configs/recommended';
import strictConfig from './configs/strict';
import { parser } from './parser';
import rules from './rules';
import type { StatelessPlugin } from './types';

// Read at run time rather than imported: package.json sits outside `rootDir`, and this works the
// same from src/ (tests) and dist/ (published).
const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

const plugin: StatelessPlugin = {
  meta: { name: packageJson.name, version: packageJson.version },
  // typescript-eslint rule modules, seen through ESLint's types (see StatelessPlugin).
  rules: rules as unknown as StatelessPlugin['rules'],
  configs: {} as StatelessPlugin['configs'],
  parser,
};

// The configs name the plugin object itself, so `stateless.configs.recommended` alone is a
// complete flat config entry.
plugin.configs.recommended = recommendedConfig(plugin);
plugin.configs.strict = strictConfig(plugin);
plugin.configs.all = allConfig(plugin);

// `export =` makes `module.exports` the plugin: `require('eslint-plugin-stateless')` and
// `import stateless from 'eslint-plugin-stateless'` (Node's CommonJS interop) give the same object.
export = plugin;
