import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// fs-extra's folder makers (`mkdirsSync`, `mkdirpSync`, `ensureDirSync`) behind `if (!existsSync(dir))`
// make the folder once per process, as Node's guarded `mkdirSync` does: quiet for the blocking rule.
// Look-alikes that stay reported: `ensureDirSync` on every request, and a guard that tests another path.

afterAll(removeAnalysedProjects);

const files = {
  'assets.ts': `import fs from 'fs-extra';
import path from 'path';

const UPLOADS = path.join(process.cwd(), 'public', 'uploads');

export async function saveAsset(name: string, data: Buffer) {
  if (!fs.existsSync(UPLOADS)) fs.mkdirsSync(UPLOADS);
  await fs.writeFile(path.join(UPLOADS, name), data);
}

export async function saveThumbnail(name: string, data: Buffer) {
  const folder = path.join(UPLOADS, 'thumbs');
  if (!fs.existsSync(folder)) fs.mkdirpSync(folder);
  await fs.writeFile(path.join(folder, name), data);
}

export async function saveExport(name: string, data: Buffer) {
  const folder = path.join(UPLOADS, 'exports');
  fs.ensureDirSync(folder);
  await fs.writeFile(path.join(folder, name), data);
}

export async function saveAvatar(user: string, data: Buffer) {
  const folder = path.join(UPLOADS, 'avatars', user);
  if (!fs.existsSync(UPLOADS)) fs.mkdirsSync(folder);
  await fs.writeFile(path.join(folder, 'avatar.png'), data);
}
`,
  'app.ts': `import express from 'express';
import { saveAsset, saveAvatar, saveExport, saveThumbnail } from './assets';

const app = express();
app.post('/assets/:name', express.raw(), async (req, res) => {
  await saveAsset(req.params.name, req.body);
  await saveThumbnail(req.params.name, req.body);
  await saveExport(req.params.name, req.body);
  await saveAvatar(String(req.query.user), req.body);
  res.sendStatus(201);
});
app.listen(3000);
`,
};

const ROUTE = 'POST /assets/:name (app.ts:5)';
const sync = (line: number, column: number, callee: string) =>
  `${line}:${column} no-blocking-request-work: \`${callee}\` blocks the event loop on ${ROUTE}: while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.`;
const EXPECTED = [sync(19, 3, 'fs.ensureDirSync'), sync(25, 32, 'fs.mkdirsSync')];

describe("fs-extra's folder makers behind an existsSync guard", () => {
  it('are quiet when the guard tests the same folder; unguarded or guarded by another path they stay reported (typed)', () => {
    expect(typedFindings(files, 'assets.ts', ['no-blocking-request-work'])).toEqual(EXPECTED);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'assets.ts', ['no-blocking-request-work'])).toEqual(EXPECTED);
  });
});
