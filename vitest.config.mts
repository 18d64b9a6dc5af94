import { defineConfig } from 'vitest/config';

// The suites that start whole systems (PostgreSQL, nginx, Redis, app instances, npm installs, a real
// editor, Neovim) and measure them in wall-clock terms (job ticks, time-outs) run one file at a
// time; every other file runs on all the cores. `vitest run` runs the two projects one after the
// other; `npm test` (scripts/test.mjs) runs them side by side, the unit project under `nice`. The
// .vsix packaging test is a system suite too: it rebuilds extension/dist, which the editor test's
// installed run packs; and so are the adapters' tests against a real redis-server, which count
// scheduler ticks and wait out lock and cache TTLs.
const systemSuites = [
  'adapters/test/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/packaging/**/*.test.ts',
  'test/editor/code-server.test.ts',
  'test/editor/package.test.ts',
  'test/nvim/**/*.test.ts',
];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/dist/**', 'examples/*/node_modules/**', 'bench/.corpus/**'],
    // Typed RuleTester cases start a TypeScript project service, and the package tests spawn the
    // generator: seconds, not milliseconds, on a cold cache.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Every core: vitest's default leaves one free, which on two cores runs the files one by one.
    maxWorkers: '100%',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // One module registry per worker, not per file: each file importing TypeScript, typescript-eslint
          // and core afresh, and warming them up again, was half the unit project's CPU time (927 s of user
          // CPU isolated, 472 s shared, same 119 files). Tests restore what they spy on, and core's caches
          // are keyed by file text or program, so a file sees nothing another left.
          isolate: false,
          include: [
            'core/src/**/*.test.ts',
            'eslint-plugin/src/**/*.test.ts',
            'test/**/*.test.ts',
            'rules-docs/**/*.test.ts',
            'adapters/test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**', 'examples/*/node_modules/**', 'bench/.corpus/**', ...systemSuites],
        },
      },
      { extends: true, test: { name: 'systems', include: systemSuites, fileParallelism: false } },
    ],
  },
});
