#!/usr/bin/env node
// `npm test` (after `tsc -b`): every test, as two vitest runs side by side. The system suites
// (vitest.config.ts's `systems` project: whole systems, one file at a time, measured in wall-clock
// terms) run at normal priority and print as they go; the `unit` project runs beside them under
// `nice -n 19`, so it takes the cores the system suites leave idle (npm installs, app start-ups, waits on
// Redis, PostgreSQL and the editor) instead of running before them, and yields them when the system
// suites need them: at niceness 19, so a request the scale-out checks time against another (two
// checkouts at the same moment on two instances) is not held up by a unit file. The unit run's output is printed whole once both have ended. Exits with the
// first failing run's code.
//
// With arguments it is one plain `vitest run` (`npm test -- core/src/project.test.ts`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureAccount } from './failure-account.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = process.argv.slice(2);

/** Runs vitest; resolves with its exit code (1 when it died of a signal). */
function run(vitestArgs, { niceness = 0, capture = false, echo = false } = {}) {
  const command = niceness > 0 ? ['nice', ['-n', String(niceness), process.execPath, vitest, ...vitestArgs]] : [process.execPath, [vitest, ...vitestArgs]];
  const child = spawn(command[0], command[1], { cwd: root, stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'], env: process.env });
  const output = [];
  if (capture) {
    child.stdout.on('data', (chunk) => {
      output.push(chunk);
      if (echo) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output.push(chunk);
      if (echo) process.stderr.write(chunk);
    });
  }
  const done = new Promise((resolve) => {
    child.on('error', (error) => {
      output.push(Buffer.from(`could not start vitest: ${error.message}\n`));
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
  return { done, output: () => Buffer.concat(output).toString('utf8') };
}

if (args.length > 0) {
  process.exitCode = await run(['run', ...args]).done;
} else {
  const started = Date.now();
  const unit = run(['run', '--project', 'unit'], { niceness: 19, capture: true });
  const systems = run(['run', '--project', 'systems'], { capture: true, echo: true });
  const [unitCode, systemsCode] = await Promise.all([unit.done, systems.done]);
  process.stdout.write(`\n── unit tests (ran beside the system suites, under nice -n 19) ──\n${unit.output()}`);
  // A CI log is often read from its end: what failed in the system suites is said again after the unit output.
  if (systemsCode !== 0) process.stdout.write(`\n── system suites failed; vitest's account of the failures, again ──\n${failureAccount(systems.output())}\n`);
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`\nnpm test: unit ${unitCode === 0 ? 'passed' : `failed (exit ${unitCode})`}, systems ${systemsCode === 0 ? 'passed' : `failed (exit ${systemsCode})`}, ${seconds} s in all`);
  process.exitCode = unitCode !== 0 ? unitCode : systemsCode;
}
