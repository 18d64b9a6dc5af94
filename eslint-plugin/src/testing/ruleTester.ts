// Shared set-up for the rule tests: typescript-eslint's RuleTester on vitest, untyped and typed.
import * as path from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** Typed fixtures: a tsconfig and the files cross-file cases import (see fixtures/cross-file). */
export const fixturesDir = path.join(__dirname, '..', 'rules', 'fixtures');

export function fixturePath(relativePath: string): string {
  return path.join(fixturesDir, relativePath);
}

/** `@typescript-eslint/parser` without type information: each file is analysed on its own. */
export function createUntypedRuleTester(): RuleTester {
  return new RuleTester();
}

/** Typed linting through the project service: request paths are followed across fixture files. */
export function createTypedRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        // fixtures/tsconfig.json includes every fixture, the default file.ts and react.tsx too.
        projectService: true,
        tsconfigRootDir: fixturesDir,
      },
    },
  });
}
