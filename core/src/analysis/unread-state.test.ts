import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';

/** Every state finding of one JavaScript module, typed or untyped: `rule line:column message`. */
function findings(code: string, typed: boolean, fileName = '/project/src/reports.js'): string[] {
  const program = typed ? createProgram({ [fileName]: code }) : undefined;
  const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  return analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'] }).map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${finding.ruleId} ${line + 1}:${character + 1} ${finding.message}`;
  });
}

// A socket handler records the last report; only a getter for the tests reads it back.
const REPORTS = `const express = require('express');
const app = express();
let lastReport = null;
function handleReport(body) {
  const entry = { board: body.board, reporter: body.reporter };
  lastReport = entry;
  return entry;
}
app.post('/report', (req, res) => res.json(handleReport(req.body)));
function getLastReport() {
  return lastReport;
}
function resetReports() {
  lastReport = null;
}
module.exports = { testInternals: { getLastReport, resetReports } };
app.listen(3000);
`;

const REPORTED = [
  'no-in-memory-session 3:5 `lastReport` holds application data in this process; it is written by POST /report (src/reports.js:9). A second instance will not see it.',
];

describe('state no request reads back', () => {
  it('quiet: a module binding only a test getter reads, typed and untyped', () => {
    expect(findings(REPORTS, true)).toEqual([]);
    expect(findings(REPORTS, false)).toEqual([]);
  });

  it('reported: a route reads the same binding back through the getter, typed and untyped', () => {
    const readBack = REPORTS.replace('app.listen(3000);', "app.get('/report/last', (req, res) => res.json(getLastReport()));\napp.listen(3000);");
    expect(findings(readBack, true)).toEqual(REPORTED);
    expect(findings(readBack, false)).toEqual(REPORTED);
  });

  it('reported: a binding the module exports may be read by any file, typed and untyped', () => {
    const exported = REPORTS.replace('module.exports = { testInternals: { getLastReport, resetReports } };', 'module.exports = { lastReport, testInternals: { getLastReport, resetReports } };');
    expect(findings(exported, true)).toEqual(REPORTED);
    expect(findings(exported, false)).toEqual(REPORTED);
  });

  it('reported: the getter is also run by a timer of this process, typed and untyped', () => {
    const timer = REPORTS.replace('app.listen(3000);', 'setInterval(getLastReport, 60_000);\napp.listen(3000);');
    expect(findings(timer, true)).toEqual(REPORTED);
    expect(findings(timer, false)).toEqual(REPORTED);
  });

  it('quiet: an ES module exporting the getter by name, typed and untyped', () => {
    const esm = REPORTS.replace("const express = require('express');", "import express from 'express';").replace('module.exports = { testInternals: { getLastReport, resetReports } };', 'export { getLastReport, resetReports };');
    expect(findings(esm, true, '/project/src/reports.ts')).toEqual([]);
    expect(findings(esm, false, '/project/src/reports.ts')).toEqual([]);
  });
});
