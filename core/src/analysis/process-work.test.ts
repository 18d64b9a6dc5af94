import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';

/** Every state finding of one JavaScript file, typed or untyped: `rule line:column message`. */
function stateFindings(code: string, typed: boolean): string[] {
  const fileName = '/project/src/app.js';
  const program = typed ? createProgram({ [fileName]: code }) : undefined;
  const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const rules = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'] as const;
  return analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: [...rules] }).map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${finding.ruleId} ${line + 1}:${character + 1} ${finding.message}`;
  });
}

const EXPRESS = `const express = require('express');
const app = express();
`;

describe.each([false, true])('what a process keeps about its own work (typed: %s)', (typed) => {
  it('elements of a list a plugin hook returns are the process’s, not what the request passed; elements of what the request sent stay a session', () => {
    const code = `${EXPRESS}const hooks = require('./hooks');
const supported = new Set(['b', 'i', 'ul']);
const grants = new Map();
function makeCollector(options) {
  hooks.callAll('registerElements').forEach((element) => {
    supported.add(element);
  });
  return { options, supported };
}
function grant(userId, roles) {
  roles.forEach((role) => grants.set(userId + ':' + role, true));
}
app.post('/import', (req, res) => {
  res.json(makeCollector(req.body));
});
app.post('/roles', (req, res) => {
  grant(req.user.id, req.body.roles);
  res.end();
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 5:7 `grants` holds per-user state in this process; it is written by POST /roles (src/app.js:18). A second instance will not see it.',
    ]);
  });
});
