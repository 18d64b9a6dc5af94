import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

// An update route swaps the binary at exit: it hands the swap to a registry of the service's own
// (`onProcessExit(cb)` keeps `{ cb, order }` in a module's Set, which the exit handler runs), then quits
// with a status (`exitCode = code`, read only by `process.exit(exitCode)`). Neither the swap's sync renames
// nor the exit status are the request's. Look-alikes: a helper that calls its callback at once
// (`withLock(cb)`), and a status a route answers with, stay reported.

afterAll(removeAnalysedProjects);

const files: Record<string, string> = {
  'src/first.ts': `const cbsOnExit = new Set<{ cb: () => void; order: number }>();
export function onProcessExit(cb: () => void, order = 10) {
  const rec = { cb, order };
  cbsOnExit.add(rec);
  return () => cbsOnExit.delete(rec);
}
export let exitCode = 0;
export function quit(code = 0) {
  exitCode = code;
  process.emit('SIGINT');
}
process.once('SIGINT', () => {
  for (const { cb } of cbsOnExit) cb();
  process.exit(exitCode);
});
`,
  'src/locks.ts': `export function withLock(cb: () => void) {
  cb();
}
`,
  'src/update.ts': `import { renameSync } from 'node:fs';
import { onProcessExit, quit } from './first';
import { withLock } from './locks';
let lastStatus = 'idle';
export function update(bin: string) {
  onProcessExit(() => {
    renameSync(bin, bin + '.old');
  });
  withLock(() => {
    renameSync('update.zip', 'installed.zip');
  });
  lastStatus = 'updating ' + bin;
  setTimeout(() => quit(100), 200);
  return lastStatus;
}
export function status() {
  return lastStatus;
}
`,
  'src/app.ts': `import express from 'express';
import { status, update } from './update';
const app = express();
app.post('/update', (req, res) => {
  res.json({ status: update(String(req.body.bin)) });
});
app.get('/update', (req, res) => {
  res.json({ status: status() });
});
app.listen(3000);
`,
};

const lines = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);

describe('a callback kept by a registry for later, and the exit status, are not the request', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the swap handed to onProcessExit is quiet, the one withLock runs now is reported', (_mode, analyse) => {
    expect(lines(analyse(files, 'src/update.ts'))).toEqual(['no-in-memory-session 4', 'no-blocking-request-work 10', 'no-local-disk-write 10']);
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the status the process exits with is its own', (_mode, analyse) => {
    expect(lines(analyse(files, 'src/first.ts'))).toEqual([]);
  });
});
