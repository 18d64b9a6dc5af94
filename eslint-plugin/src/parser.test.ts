// stateless.parser: typescript-eslint's parser, given the project index's AST of a file the request
// graph already parsed instead of parsing the file again. Through a real ESLint Linter.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Linter, type Rule } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { builtProjectIndex } from '@stateless/core';
import rules from './rules';
import { parser } from './parser';

const projects: string[] = [];
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'stateless-parser-'));
  projects.push(dir);
  for (const [name, text] of Object.entries({ 'package.json': '{ "name": "parser-fixture" }', ...files })) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const server = `import express from 'express';
import { login } from './sessions';
const app = express();
app.post('/login', login);
app.listen(3000);
`;
const sessions = `const sessions = new Map<string, string>();
export function login(req: { body: { token: string; user: string } }, res: { end(): void }) {
  sessions.set(req.body.token, req.body.user);
  res.end();
}
`;

/** The TypeScript SourceFile behind the ESTree ESLint linted, read by a rule. */
let seen: ts.SourceFile | undefined;
const capture: Rule.RuleModule = {
  create(context) {
    return {
      Program(node) {
        const services = context.sourceCode.parserServices as { esTreeNodeToTSNodeMap?: WeakMap<object, ts.Node> };
        seen = services.esTreeNodeToTSNodeMap?.get(node) as ts.SourceFile | undefined;
      },
    };
  },
};

function lint(dir: string, fileName: string, useParser: Linter.Parser, parserOptions: Record<string, unknown> = {}, code?: string) {
  const linter = new Linter({ cwd: dir });
  const config: Linter.Config[] = [
    { files: ['**/*.ts'], languageOptions: { parser: useParser, parserOptions } },
    {
      plugins: { stateless: { rules } as unknown as NonNullable<Linter.Config['plugins']>[string], test: { rules: { capture } } },
      rules: { 'stateless/no-in-memory-session': 'error', 'test/capture': 'error' },
    },
  ];
  const fullName = path.join(dir, fileName);
  seen = undefined;
  const messages = linter.verify(code ?? readFileSync(fullName, 'utf8'), config, { filename: fullName });
  return messages.map(({ ruleId, line, column, messageId }) => ({ ruleId, line, column, messageId }));
}

const finding = { ruleId: 'stateless/no-in-memory-session', line: 1, column: 7, messageId: 'sessionInMemory' };

describe('stateless.parser', () => {
  it("hands typescript-eslint the index's AST of a file the request graph parsed, with the same findings", () => {
    const dir = project({ 'src/server.ts': server, 'src/sessions.ts': sessions });
    // Linting the server builds the request graph, which parses sessions.ts for the walk from /login.
    expect(lint(dir, 'src/server.ts', parser)).toEqual([]);
    const held = builtProjectIndex(dir)?.heldSourceFile(path.join(dir, 'src/sessions.ts'), sessions);
    expect(held?.fileName).toBe(path.join(dir, 'src/sessions.ts').replace(/\\/g, '/'));
    expect(lint(dir, 'src/sessions.ts', parser)).toEqual([finding]);
    expect(seen).toBe(held);
  });

  it('reports what @typescript-eslint/parser reports', () => {
    const dir = project({ 'src/server.ts': server, 'src/sessions.ts': sessions });
    expect(lint(dir, 'src/server.ts', tsParser as Linter.Parser)).toEqual([]);
    expect(lint(dir, 'src/sessions.ts', tsParser as Linter.Parser)).toEqual([finding]);
  });

  it('parses a file the index holds no AST for', () => {
    const dir = project({ 'src/server.ts': server, 'src/sessions.ts': sessions });
    expect(lint(dir, 'src/sessions.ts', parser)).toEqual([finding]);
    expect(seen?.fileName).toBe(path.join(dir, 'src/sessions.ts'));
    expect(seen?.text).toBe(sessions);
  });

  it('parses the text it is given when it differs from what the index holds (an unsaved buffer)', () => {
    const dir = project({ 'src/server.ts': server, 'src/sessions.ts': sessions });
    lint(dir, 'src/server.ts', parser);
    const held = builtProjectIndex(dir)?.heldSourceFile(path.join(dir, 'src/sessions.ts'), sessions);
    expect(held).toBeDefined();
    const edited = sessions.replace('new Map', 'new  Map');
    expect(lint(dir, 'src/sessions.ts', parser, {}, edited)).toEqual([finding]);
    expect(seen).not.toBe(held);
    expect(seen?.text).toBe(edited);
  });

  it('parses itself when JSDoc is asked for (the index parses without it)', () => {
    const dir = project({ 'src/server.ts': server, 'src/sessions.ts': sessions });
    lint(dir, 'src/server.ts', parser);
    const held = builtProjectIndex(dir)?.heldSourceFile(path.join(dir, 'src/sessions.ts'), sessions);
    expect(held).toBeDefined();
    expect(lint(dir, 'src/sessions.ts', parser, { jsDocParsingMode: 'all' })).toEqual([finding]);
    expect(seen).not.toBe(held);
  });
});
