import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 28 of test/real-world: a backup route copies the browser profiles into a folder of the app,
// zips it and removes the copy when the archive is written. Written here in another shape: a copy
// made to be archived and removed again by the same handler's flow is scratch, whatever its folder is
// called, and so is its removal; a copy removed only when the archive fails is kept, and reported.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'] as const;

describe('a folder copied to be archived and removed again by the same flow', () => {
  const exportRoute = (cleanup: string) => ({
    'server.ts': `import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import archiver from 'archiver';

const DATA_DIR = process.env.DATA_DIR ?? 'data';
const app = express();

app.get('/projects/:id/export', (req, res) => {
  const copy = path.join(DATA_DIR, 'exports', req.params.id);
  fs.cpSync(path.join(DATA_DIR, 'projects', req.params.id), copy, { recursive: true });
  const archive = archiver('zip');
  ${cleanup}
  archive.pipe(res);
  archive.directory(copy, req.params.id);
  void archive.finalize();
});
`,
  });

  it('removed once the response is sent: scratch, neither the copy nor its removal is reported (untyped and typed)', () => {
    const files = exportRoute("res.on('finish', () => fs.rmSync(copy, { recursive: true, force: true }));");
    expect(untyped(files, 'server.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'server.ts', [...RULES])).toEqual([]);
  });

  it('look-alike, stays reported: removed only when the archive fails, the copy is kept (untyped and typed)', () => {
    const files = exportRoute("archive.on('error', () => fs.rmSync(copy, { recursive: true, force: true }));");
    const expected = [
      "11:3 no-local-disk-write: `fs.cpSync` writes to this instance's local disk on GET /projects/:id/export (server.ts:9). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'server.ts', [...RULES])).toEqual(expected);
  });
});
