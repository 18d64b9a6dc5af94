import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// adm-zip works synchronously on an instance: `addLocalFolder` reads every file in, `writeZip` compresses
// and writes the archive, `extractAllTo` unpacks into a folder, each before the call returns (round 30 of
// test/real-world: a notes app's export route zips a folder and writes the zip where a download route
// reads it). Written here in shapes of our own: an export zipped into a folder of this instance and an
// uploaded theme unpacked into one. The zip built in steps is one piece of blocking work, reported at
// its first step; the look-alikes: entries read from an uploaded archive, the archive built in memory
// with callbacks, a zip written by a start-up script.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write', 'no-blocking-request-work'] as const;

const app = (route: string) => ({
  'server.ts': `import express from 'express';
import path from 'node:path';
import AdmZip from 'adm-zip';

const app = express();
${route}
app.listen(3000);
`,
});

describe('adm-zip on a request path', () => {
  it('an export zipped into a folder of this instance: the write, and the blocking work at its first step (untyped and typed)', () => {
    const files = app(`app.post('/exports/:id', (req, res) => {
  const zip = new AdmZip();
  zip.addLocalFolder(path.join('notes', req.params.id));
  zip.addLocalFile('notes/README.md');
  zip.writeZip(path.join('exports', req.params.id + '.zip'));
  res.json({ download: '/exports/' + req.params.id + '.zip' });
});`);
    const expected = [
      '8:3 no-blocking-request-work: `zip.addLocalFolder` blocks the event loop on POST /exports/:id (server.ts:6): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      "10:3 no-local-disk-write: `zip.writeZip` writes to this instance's local disk on POST /exports/:id (server.ts:6). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'server.ts', [...RULES])).toEqual(expected);
  });

  it('an uploaded theme unpacked into a folder (untyped and typed)', () => {
    const files = app(`app.post('/themes/:name', express.raw({ type: 'application/zip', limit: '20mb' }), (req, res) => {
  new AdmZip(req.body as Buffer).extractAllTo(path.join('themes', req.params.name), true);
  res.sendStatus(201);
});`);
    const expected = [
      '7:3 no-blocking-request-work: `new AdmZip(req.body as Buffer).extractAllTo` blocks the event loop on POST /themes/:name (server.ts:6): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      "7:3 no-local-disk-write: `new AdmZip(req.body as Buffer).extractAllTo` writes to this instance's local disk on POST /themes/:name (server.ts:6). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'server.ts', [...RULES])).toEqual(expected);
  });

  it("look-alike, quiet: an uploaded archive's entries listed, and a zip built in memory with callbacks (untyped and typed)", () => {
    const files = app(`app.post('/themes/check', express.raw({ type: 'application/zip' }), (req, res) => {
  const archive = new AdmZip(req.body as Buffer);
  res.json(archive.getEntries().map((entry) => entry.entryName));
});
app.get('/bundle', (req, res) => {
  const zip = new AdmZip();
  zip.addFile('hello.txt', Buffer.from('hello'));
  zip.toBuffer((buffer) => res.type('application/zip').send(buffer), (error) => res.status(500).send(String(error)));
});`);
    expect(untyped(files, 'server.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'server.ts', [...RULES])).toEqual([]);
  });

  it('look-alike, quiet: a zip written by a start-up script of the server (untyped and typed)', () => {
    const files = {
      ...app(`app.get('/health', (_req, res) => res.send('ok'));`),
      'scripts/pack.ts': `import AdmZip from 'adm-zip';

const zip = new AdmZip();
zip.addLocalFolder('public');
zip.writeZip('dist/public.zip');
`,
    };
    expect(untyped(files, 'scripts/pack.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'scripts/pack.ts', [...RULES])).toEqual([]);
  });
});
