import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../analysis/analyze';
import { applyPlan } from '../testing/fix-plans';
import { createProgram } from '../testing/program';
import { planFixes } from './index';

// Express 4 ignores what a handler returns: a fix that makes a handler async must keep its errors
// going to the error handler (a throw did; a rejection would not, and would end the process).

/** A project on disk (the fix reads which express the project has), its sources given in memory. */
function expressProject(expressVersion: string | undefined, sources: Record<string, string>): { root: string; files: Record<string, string> } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-express-errors-'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: expressVersion ? { express: expressVersion, bcryptjs: '2.4.3' } : { bcryptjs: '2.4.3' } }));
  if (expressVersion) {
    mkdirSync(path.join(root, 'node_modules/express'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules/express/package.json'), JSON.stringify({ name: 'express', version: expressVersion }));
  }
  return { root, files: Object.fromEntries(Object.entries(sources).map(([name, text]) => [`${root}/${name}`, text])) };
}

function blockingPlan(root: string, files: Record<string, string>, fileName: string) {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(`${root}/${fileName}`)!;
  const finding = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-blocking-request-work'] })[0];
  expect(finding, 'a no-blocking-request-work finding').toBeDefined();
  return planFixes(sourceFile, finding, { program, projectRoot: root });
}

const ROUTES = `const express = require('express');
const bcrypt = require('bcryptjs');
const router = express.Router();

router.post('/signup', function (req, res, next) {
  const hash = bcrypt.hashSync(req.body.password, 10);
  res.status(201).json({ hash });
});

module.exports = router;
`;

describe('a handler made async on Express 4 keeps its errors going to the error handler', () => {
  it('wraps the handler in forwardErrors and creates the adapter in the project\'s language', () => {
    const { root, files } = expressProject('4.21.2', { 'routes/auth.js': ROUTES });
    const planned = blockingPlan(root, files, 'routes/auth.js');
    expect(planned.refused).toBeUndefined();
    const plan = planned.plans.at(-1)!;
    const fixed = applyPlan(files, plan);
    expect(fixed[`${root}/routes/auth.js`]).toBe(`const express = require('express');
const bcrypt = require('bcryptjs');
const { forwardErrors } = require('../src/scaling/express-errors');
const router = express.Router();

router.post('/signup', forwardErrors(async function (req, res, next) {
  const hash = await bcrypt.hash(req.body.password, 10);
  res.status(201).json({ hash });
}));

module.exports = router;
`);
    const adapter = plan.createFiles.find((created) => created.fileName === `${root}/src/scaling/express-errors.js`);
    expect(adapter?.text).toContain('function forwardErrors(handler)');
    expect(adapter?.text).toContain('module.exports');
  });

  it('leaves the handler as it is on Express 5, which passes rejections to the error handler itself', () => {
    const { root, files } = expressProject('5.1.0', { 'routes/auth.js': ROUTES });
    const fixed = applyPlan(files, blockingPlan(root, files, 'routes/auth.js').plans.at(-1)!);
    expect(fixed[`${root}/routes/auth.js`]).toContain("router.post('/signup', async function (req, res, next) {");
    expect(fixed[`${root}/routes/auth.js`]).not.toContain('forwardErrors');
  });

  it('refuses when the handler made async is a function declaration it cannot wrap where it is written', () => {
    const { root, files } = expressProject('4.21.2', {
      'routes/auth.js': ROUTES.replace("router.post('/signup', function (req, res, next) {", 'function signup(req, res, next) {').replace('});\n\nmodule', "}\nrouter.post('/signup', signup);\n\nmodule"),
    });
    expect(blockingPlan(root, files, 'routes/auth.js').refused?.reason).toBe(
      'Express 4 does not pass a rejected promise to the error handler, and the handler made async (routes/auth.js:5) is not a function expression the fix can wrap in `forwardErrors`',
    );
  });
});
