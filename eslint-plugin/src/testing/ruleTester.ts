// Shared set-up for the rule tests: typescript-eslint's RuleTester on vitest, untyped and typed.
import { readFileSync } from 'node:fs';
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

/** `@typescript-eslint/parser` without type information: other files are read through the project index. */
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

/**
 * A file of `fixtures/untyped-project` (a project of its own: package.json, tsconfig paths) as a
 * RuleTester case: linted untyped, with the project index reading its other files from disk.
 */
export function untypedProjectFile(relativePath: string): { filename: string; code: string } {
  const filename = fixturePath(path.join('untyped-project', relativePath));
  return { filename, code: readFileSync(filename, 'utf8') };
}

/**
 * A file of `fixtures/untyped-monorepo` (a workspace: a server package whose routes call a storage
 * package) as a RuleTester case, linted untyped with the monorepo's project index.
 */
export function untypedMonorepoFile(relativePath: string): { filename: string; code: string } {
  const filename = fixturePath(path.join('untyped-monorepo', relativePath));
  return { filename, code: readFileSync(filename, 'utf8') };
}

/**
 * A file of `fixtures/untyped-local-packages` (no workspace: a server whose route calls a folder it
 * depends on by a local path, `file:../common`) as a RuleTester case, linted untyped.
 */
export function untypedLocalPackagesFile(relativePath: string): { filename: string; code: string } {
  const filename = fixturePath(path.join('untyped-local-packages', relativePath));
  return { filename, code: readFileSync(filename, 'utf8') };
}
