import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A file a temp-file library made under the OS temp folder, under a random name, for this call
// (temp-write, tempy, tmp, tmp-promise, temp): its path comes back as a result, a promise's value
// or a callback's argument. Writing or removing that path is the call's scratch work; nothing
// another instance needs. The same library's file moved into a stored folder stays reported, and
// so does a removal of a path another call's promise resolves to.

afterAll(removeAnalysedProjects);

const files = {
  'routes/reports.ts': `import { Router } from 'express';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import tempWrite from 'temp-write';
import { file as htmlFile } from 'tmp-promise';
import scratchFiles from 'tmp';
import { archive } from '../archive';

const run = promisify(execFile);
export const reports = Router();

reports.post('/keys/check', (req, res) => {
  tempWrite(req.body.key).then((keyFile) => {
    run('openssl', ['pkey', '-in', keyFile, '-check']).finally(() => fs.unlinkSync(keyFile));
    res.sendStatus(202);
  });
});

reports.post('/pdf', async (req, res) => {
  const { path: scratch } = await htmlFile({ postfix: '.html' });
  await writeFile(scratch, req.body.html);
  const { stdout } = await run('wkhtmltopdf', [scratch, '-']);
  await unlink(scratch);
  res.send(stdout);
});

reports.post('/thumb', (req, res) => {
  const made = scratchFiles.fileSync({ postfix: '.png' }).name;
  fs.writeFileSync(made, req.body.png);
  fs.rmSync(made);
  res.sendStatus(204);
});

reports.post('/reports/:id', async (req, res) => {
  const draft = await tempWrite(req.body.csv, 'report.csv');
  await rename(draft, 'reports/' + req.params.id + '.csv');
  res.sendStatus(201);
});

reports.delete('/reports/:id', (req, res) => {
  archive(req.params.id).then((stored) => {
    fs.unlinkSync(stored);
    res.sendStatus(204);
  });
});
`,
  'archive.ts': `export async function archive(id: string): Promise<string> {
  return 'reports/' + id + '.csv';
}
`,
};

const EXPECTED = [
  "38:9 no-local-disk-write: `rename` writes to this instance's local disk on POST /reports/:id (routes/reports.ts:36). Other instances will not find the file, and it is lost when this instance is replaced.",
  "44:5 no-local-disk-write: `fs.unlinkSync` deletes a stored file from this instance's local disk on DELETE /reports/:id (routes/reports.ts:42). The other instances keep their copy, or never had it: the files belong in shared storage.",
];

describe('a temp-file library’s path is scratch of the call', () => {
  it('temp-write’s promise value, tmp-promise’s destructured path and tmp’s name, written and removed, stay quiet; a move into a stored folder and another call’s path are reported (typed)', () => {
    expect(typedFindings(files, 'routes/reports.ts', ['no-local-disk-write'])).toEqual(EXPECTED);
  });

  it('the same untyped', () => {
    expect(untypedFindings(files, 'routes/reports.ts', ['no-local-disk-write'])).toEqual(EXPECTED);
  });
});
