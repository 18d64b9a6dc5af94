import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/src/**/*.test.ts',
      'eslint-plugin/src/**/*.test.ts',
      'test/**/*.test.ts',
      'rules-docs/**/*.test.ts',
      'adapters/test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', 'examples/*/node_modules/**', 'bench/.corpus/**'],
    // Typed RuleTester cases start a TypeScript project service, and the package tests spawn the
    // generator: seconds, not milliseconds, on a cold cache.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
