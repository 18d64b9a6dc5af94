import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// An export assembled in a temp folder: one file per record written by a callback that
// `await Promise.all(records.map(async …))` runs once per element, the folder zipped and removed after
// the wait. The callbacks are part of the exporting function's flow, so their writes are its scratch.
// Stay reported: the same callbacks under `forEach`, which nothing waits for (the removal may run
// while they still write), and a callback writing into a kept folder.

afterAll(removeAnalysedProjects);

const files = {
  'paths.ts': `import * as path from 'path';
export const TEMP_PATH = path.join(process.cwd(), '.data', 'temp');
export const UPLOAD_PATH = path.join(process.cwd(), '.data', 'uploads');
`,
  'routes/exports.ts': `import express from 'express';
import * as fs from 'fs';
import { writeFile } from 'fs/promises';
import * as path from 'path';
import { TEMP_PATH, UPLOAD_PATH } from '../paths';

export const router = express.Router();

async function loadNotes(user: string): Promise<{ id: number; text: string; files: string[] }[]> {
  return [{ id: 1, text: user, files: [] }];
}

router.post('/export', async (req, res) => {
  const notes = await loadNotes(String(req.query.user));
  const exportDir = path.join(TEMP_PATH, 'exports');
  const filesDir = path.join(exportDir, 'files');
  fs.mkdirSync(filesDir, { recursive: true });
  await Promise.all(notes.map(async (note) => {
    await Promise.all(note.files.map(async (name) => {
      const response = await fetch('https://files.example.com/' + name);
      const target = path.join(filesDir, name);
      await writeFile(target, Buffer.from(await response.arrayBuffer()));
    }));
    await writeFile(path.join(exportDir, 'note-' + note.id + '.md'), note.text);
  }));
  const archive = Buffer.from(String(notes.length));
  fs.rmSync(exportDir, { recursive: true, force: true });
  res.send(archive);
});

router.post('/export-later', async (req, res) => {
  const notes = await loadNotes(String(req.query.user));
  const exportDir = path.join(TEMP_PATH, 'later');
  notes.forEach(async (note) => {
    await writeFile(path.join(exportDir, 'note-' + note.id + '.md'), note.text);
  });
  fs.rmSync(exportDir, { recursive: true, force: true });
  res.sendStatus(202);
});

router.post('/publish', async (req, res) => {
  const notes = await loadNotes(String(req.query.user));
  await Promise.all(notes.map(async (note) => {
    await writeFile(path.join(UPLOAD_PATH, 'note-' + note.id + '.md'), note.text);
  }));
  res.sendStatus(201);
});
`,
};

const UNAWAITED =
  "35:11 no-local-disk-write: `writeFile` writes to this instance's local disk on POST /export-later (routes/exports.ts:31). Other instances will not find the file, and it is lost when this instance is replaced.";
const KEPT =
  "44:11 no-local-disk-write: `writeFile` writes to this instance's local disk on POST /publish (routes/exports.ts:41). Other instances will not find the file, and it is lost when this instance is replaced.";

describe('writes in callbacks an awaited Promise.all runs, into a temp folder removed after the wait', () => {
  it('the export files are scratch; an unawaited forEach and a kept folder stay reported (typed)', () => {
    expect(typedFindings(files, 'routes/exports.ts', ['no-local-disk-write'])).toEqual([UNAWAITED, KEPT]);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'routes/exports.ts', ['no-local-disk-write'])).toEqual([UNAWAITED, KEPT]);
  });
});
