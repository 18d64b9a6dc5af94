import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';

// A package copied into the project (`server/libs/expressFileupload/`, with its LICENSE) is the
// library's code, as it would be in node_modules: its temp files are its own business. The same
// code in a folder of the project's own is reported.

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const UPLOADS = `const fs = require('fs');
const express = require('express');
const app = express();
app.post('/upload', (req, res) => {
  fs.writeFileSync('/tmp/upload-' + Date.now(), req.body);
  res.end();
});
module.exports = app;
`;

/** The rule and line of each finding of `relative` in a project laid out from `files`. */
function findingsOf(files: Record<string, string>, relative: string): string[] {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-vendored-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  const fileName = path.join(root, relative);
  const sourceFile = ts.createSourceFile(fileName, files[relative], ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  return analyzeSourceFile(sourceFile, { projectRoot: root, rules: ['no-local-disk-write', 'no-blocking-request-work'] }).map((finding) => `${finding.ruleId}:${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);
}

describe('packages copied into the project', () => {
  it('quiet: a folder in libs/, vendor/ or third_party/ that carries its own LICENSE and no package.json', () => {
    expect(findingsOf({ 'server/libs/fileUpload/LICENSE': 'MIT License\n', 'server/libs/fileUpload/index.js': UPLOADS }, 'server/libs/fileUpload/index.js')).toEqual([]);
    expect(findingsOf({ 'vendor/uploader/LICENSE.md': '# MIT\n', 'vendor/uploader/lib/index.js': UPLOADS }, 'vendor/uploader/lib/index.js')).toEqual([]);
  });

  it('reported: the same code in a libs/ folder of the project (no LICENSE, or a package.json or project.json of its own), or with a LICENSE outside such a folder', () => {
    const reported = ['no-blocking-request-work:5', 'no-local-disk-write:5'];
    expect(findingsOf({ 'server/libs/uploads/index.js': UPLOADS }, 'server/libs/uploads/index.js')).toEqual(reported);
    expect(findingsOf({ 'libs/uploads/LICENSE': 'MIT\n', 'libs/uploads/package.json': '{ "name": "@acme/uploads" }\n', 'libs/uploads/src/index.js': UPLOADS }, 'libs/uploads/src/index.js')).toEqual(reported);
    expect(findingsOf({ 'libs/uploads/LICENSE': 'MIT\n', 'libs/uploads/project.json': '{}\n', 'libs/uploads/src/index.js': UPLOADS }, 'libs/uploads/src/index.js')).toEqual(reported);
    expect(findingsOf({ 'src/enterprise/LICENSE.md': '# Commercial\n', 'src/enterprise/uploads.js': UPLOADS }, 'src/enterprise/uploads.js')).toEqual(reported);
  });
});
