// The adapter's own behaviour, through a real ESLint Linter: where the TypeScript AST comes from,
// which configuration wins, and that several rules on one file share one analysis.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import * as ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';
import rules from '../rules';
import { parseWithTypeScript } from './analysis';

const projects: string[] = [];
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

/** A fresh project folder (core caches project configs per folder, so every case gets its own). */
function project(files: Record<string, string>): string {
  return folder({ 'package.json': '{ "name": "adapter-fixture" }', ...files });
}

/** A fresh folder with these files only. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'stateless-adapter-'));
  projects.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

type RuleEntry = 'error' | ['error', Record<string, unknown>];

function lint(
  dir: string,
  fileName: string,
  code: string,
  options: { rules?: Record<string, RuleEntry>; settings?: Record<string, unknown>; cwd?: string } = {},
): { ruleId: string | null; line: number; messageId?: string; fatal?: boolean }[] {
  const linter = new Linter({ cwd: options.cwd ?? dir });
  const config: Linter.Config[] = [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser } },
    {
      plugins: { stateless: { rules } as unknown as NonNullable<Linter.Config['plugins']>[string] },
      rules: options.rules ?? { 'stateless/no-in-memory-session': 'error', 'stateless/no-local-disk-write': 'error' },
      settings: options.settings ?? {},
    },
  ];
  return linter
    .verify(code, config, { filename: path.join(dir, fileName) })
    .map(({ ruleId, line, messageId, fatal }) => ({ ruleId, line, messageId, ...(fatal ? { fatal } : {}) }));
}

const sessionsOnLogin = `import express from 'express';
const app = express();
const sessions = new Map<string, string>();
app.post('/login', (req, res) => {
  sessions.set(req.body.token, req.body.user);
  res.end();
});
`;
const sessionFinding = { ruleId: 'stateless/no-in-memory-session', line: 3, messageId: 'sessionInMemory' };

const customRegistration = `const sessions = new Map<string, string>();
declare const api: { register(path: string, handler: (body: { token: string }) => void): void };
api.register('/login', (body) => {
  sessions.set(body.token, 'user');
});
`;

describe('configuration precedence: stateless.config.json < settings.stateless < rule options', () => {
  it('reads the project file', () => {
    const dir = project({ 'stateless.config.json': JSON.stringify({ rules: { 'no-in-memory-session': { allowNames: ['sessions'] } } }) });
    expect(lint(dir, 'src/app.ts', sessionsOnLogin)).toEqual([]);
  });

  it('lets rule options override the project file', () => {
    const dir = project({ 'stateless.config.json': JSON.stringify({ rules: { 'no-in-memory-session': { allowNames: ['sessions'] } } }) });
    const rulesWithOptions: Record<string, RuleEntry> = { 'stateless/no-in-memory-session': ['error', { allowNames: [] }] };
    expect(lint(dir, 'src/app.ts', sessionsOnLogin, { rules: rulesWithOptions })).toEqual([sessionFinding]);
  });

  it('lets settings.stateless override the project file', () => {
    const dir = project({ 'stateless.config.json': JSON.stringify({ requestPath: { handlerCallees: ['api.register'] } }) });
    expect(lint(dir, 'src/api.ts', customRegistration)).toEqual([{ ruleId: 'stateless/no-in-memory-session', line: 1, messageId: 'sessionInMemory' }]);
    expect(lint(dir, 'src/api.ts', customRegistration, { settings: { stateless: { requestPath: { handlerCallees: [] } } } })).toEqual([]);
  });

  it('reads the "stateless" key of package.json', () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'fixture', stateless: { rules: { 'no-in-memory-session': { allowNames: ['sessions'] } } } }) });
    expect(lint(dir, 'src/app.ts', sessionsOnLogin)).toEqual([]);
  });

  it('skips requestPath.ignoreFiles, written as in the README', () => {
    const dir = project({ 'stateless.config.json': JSON.stringify({ requestPath: { ignoreFiles: ['src/legacy/**'] } }) });
    expect(lint(dir, 'src/legacy/app.ts', sessionsOnLogin)).toEqual([]);
    expect(lint(dir, 'src/legacy/nested/app.ts', sessionsOnLogin)).toEqual([]);
    expect(lint(dir, 'src/app.ts', sessionsOnLogin)).toEqual([sessionFinding]);
  });

  it('keeps linting with the defaults when the project file is broken', () => {
    const dir = project({ 'stateless.config.json': '{ "rules": { "no-in-memory-session": ' });
    expect(lint(dir, 'src/app.ts', sessionsOnLogin)).toEqual([sessionFinding]);
  });

  it('ignores settings of the wrong shape instead of crashing', () => {
    const dir = project({});
    expect(lint(dir, 'src/app.ts', sessionsOnLogin, { settings: { stateless: 'redis please' } })).toEqual([sessionFinding]);
  });
});

describe('the TypeScript AST', () => {
  it("parses plain .js itself under ESLint's default parser", () => {
    const dir = project({});
    const code = `const express = require('express');
const fs = require('fs');
const app = express();
app.get('/dump', (req, res) => { fs.writeFileSync('dump.json', '{}'); res.end(); });
`;
    expect(lint(dir, 'src/app.js', code)).toEqual([{ ruleId: 'stateless/no-local-disk-write', line: 4, messageId: 'diskWrite' }]);
  });

  it('reports nothing, and does not crash, on code that does not parse', () => {
    const dir = project({});
    const [parseError] = lint(dir, 'src/app.ts', 'const sessions = new Map(;\napp.post(');
    expect(parseError).toMatchObject({ ruleId: null, fatal: true });
  });
});

describe('one analysis per file', () => {
  // core/dist is CommonJS: its index re-exports analyzeSourceFile through a getter that reads this module.
  const analyzeModule = createRequire(require.resolve('@stateless/core'))('./analysis/analyze') as {
    analyzeSourceFile: (...args: unknown[]) => unknown;
  };

  function countAnalyses(run: () => unknown): number {
    const results = new Set<unknown>();
    const original = analyzeModule.analyzeSourceFile;
    const spy = vi.spyOn(analyzeModule, 'analyzeSourceFile').mockImplementation((...args: unknown[]) => {
      const findings = original(...args);
      results.add(findings); // core returns the same array for a cached analysis
      return findings;
    });
    try {
      run();
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    return results.size;
  }

  it('is shared by rules without options, and by options equal to the resolved ones', () => {
    const dir = project({});
    expect(countAnalyses(() => lint(dir, 'src/app.ts', sessionsOnLogin))).toBe(1);
    const sameAsDefaults: Record<string, RuleEntry> = {
      'stateless/no-in-memory-session': 'error',
      'stateless/no-local-disk-write': ['error', { allowTempFiles: true }],
    };
    expect(countAnalyses(() => lint(dir, 'src/app.ts', sessionsOnLogin, { rules: sameAsDefaults }))).toBe(1);
  });

  it('looks up the project once per linted file, not once per rule', () => {
    const configModule = createRequire(require.resolve('@stateless/core'))('./config') as { loadProjectConfig: (...args: unknown[]) => unknown };
    const dir = project({});
    const spy = vi.spyOn(configModule, 'loadProjectConfig');
    try {
      const threeRules: Record<string, RuleEntry> = {
        'stateless/no-in-memory-session': 'error',
        'stateless/no-local-disk-write': 'error',
        'stateless/no-in-memory-counter': 'error',
      };
      expect(lint(dir, 'src/app.ts', sessionsOnLogin, { rules: threeRules })).toEqual([sessionFinding]);
      expect(spy).toHaveBeenCalledTimes(1);
      lint(dir, 'src/other.ts', sessionsOnLogin, { rules: threeRules });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('is separate for a rule whose options change its config', () => {
    const dir = project({});
    const ownOptions: Record<string, RuleEntry> = {
      'stateless/no-in-memory-session': 'error',
      'stateless/no-local-disk-write': ['error', { allowTempFiles: false }],
    };
    expect(countAnalyses(() => lint(dir, 'src/app.ts', sessionsOnLogin, { rules: ownOptions }))).toBe(2);
  });
});

describe('input TypeScript cannot parse', () => {
  it('a file nested deeper than the TypeScript parser can go is analysed as empty, not a crash', () => {
    const deep = `x = ${'a ? b : '.repeat(20_000)}c;`;
    expect(() => ts.createSourceFile('deep.js', deep, ts.ScriptTarget.Latest, true)).toThrow(RangeError);
    const parsed = parseWithTypeScript('/project/src/deep.js', deep);
    expect(parsed.statements).toHaveLength(0);
    expect(parsed.fileName).toBe('/project/src/deep.js');
  });
});

describe('a broken configuration', () => {
  it('warns once per problem and keeps linting with the valid parts', () => {
    const dir = project({ 'stateless.config.json': '{ "requestPath": { "maxDepth": "deep" }, "rules": { "no-local-disk-write": { "allowTempFiles": false } } }' });
    const warnings: string[] = [];
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
      warnings.push(String(warning));
    });
    try {
      expect(lint(dir, 'src/app.ts', sessionsOnLogin)).toEqual([sessionFinding]);
      expect(lint(dir, 'src/other.ts', sessionsOnLogin)).toEqual([sessionFinding]);
    } finally {
      emitWarning.mockRestore();
    }
    expect(warnings).toEqual([`${path.join(dir, 'stateless.config.json')}: "requestPath.maxDepth" must be an integer from 0 to 32; using the defaults for it`]);
  });
});

describe('a project with no package.json', () => {
  // NodeBB keeps its package.json in install/ and copies it to the root at setup: a checkout has none.
  const files = {
    'app.ts': `import express from 'express';
import { login } from './controllers/auth';
const app = express();
app.post('/login', login);
`,
    'controllers/auth.ts': `const sessions = new Map<string, string>();
export function login(req: { body: { token: string; user: string } }, res: { end(): void }) {
  sessions.set(req.body.token, req.body.user);
  res.end();
}
`,
  };

  it('is rooted where ESLint runs, so a route in another file reaches the handler', () => {
    const dir = folder(files);
    expect(lint(dir, 'controllers/auth.ts', files['controllers/auth.ts'])).toEqual([{ ...sessionFinding, line: 1 }]);
  });
});
