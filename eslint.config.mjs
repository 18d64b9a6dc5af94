// Our own lint: typescript-eslint's type-checked recommendations for the packages' sources, and
// Stateless's own recommended config on them (dogfooding). Loads the built plugin, so run
// `tsc -b` first (`npm run lint` does).
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import stateless from './eslint-plugin/dist/index.js';

const packageSources = ['core/src/**/*.ts', 'eslint-plugin/src/**/*.ts', 'server/src/**/*.ts', 'extension/src/**/*.ts'];
// Not part of any package tsconfig (they are not built), so they are linted without types.
const untypedTypeScript = ['**/*.test.ts', '*/src/testing/**', 'test/**', 'vitest.config.mts'];

export default defineConfig([
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'extension/out/**', '.cache/**', 'examples/**', 'bench/.corpus/**', 'rules-docs/**', '**/fixtures/**', 'test/artifacts/**',
      // The legacy apps corpus is other people's code, written in their styles: only its scenarios are ours.
      'test/e2e/apps/*/**/*', '!test/e2e/apps/*/scenario.ts'],
  },
  tseslint.configs.recommended,
  {
    files: packageSources,
    ignores: untypedTypeScript,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // core reads `typescript` with `import ts = require('typescript')`: the module's members are
    // getters, and `import * as ts` would wrap each of them in a second one on a hot path.
    files: ['core/src/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }] },
  },
  {
    // The bins are plain CommonJS launchers (they exist before the build, so npm links them).
    files: ['server/bin/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: packageSources,
    ...stateless.configs.recommended,
  },
]);
