import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// File libraries other than fs and fs-extra, and a stat used as an existence probe (round 19 of
// test/real-world), written here in other shapes: each hazard, and the look-alikes that stay quiet.

afterAll(removeAnalysedProjects);

describe('rimraf and fs-jetpack on request paths', () => {
  const files = {
    'server.js': `const express = require('express');
const rimraf = require('rimraf');
const { galleryDir } = require('./paths');
const albums = require('./albums');

const app = express();

app.delete('/galleries/:id', (req, res) => {
  rimraf(galleryDir(req.params.id), (err) => {
    if (err) return res.status(500).end();
    res.sendStatus(204);
  });
});

app.delete('/galleries/:id/cache', (req, res) => {
  rimraf.sync('/tmp/gallery-' + req.params.id);
  res.sendStatus(204);
});

app.post('/albums/:id/cover', albums.saveCover);
app.delete('/albums/:id', albums.removeAlbum);
app.get('/albums/:id', albums.readAlbum);

app.listen(3000);
`,
    'paths.js': `const path = require('path');

exports.galleryDir = (id) => path.join(__dirname, 'galleries', id);
`,
    'albums.ts': `import jetpack from 'fs-jetpack';
import { rimraf } from 'rimraf';
import type { Request, Response } from 'express';

export async function saveCover(req: Request, res: Response) {
  await jetpack.moveAsync(req.body.upload, jetpack.path('albums', req.params.id, 'cover.jpg'));
  res.sendStatus(201);
}

export async function removeAlbum(req: Request, res: Response) {
  await rimraf('albums/' + req.params.id);
  res.sendStatus(204);
}

export async function readAlbum(req: Request, res: Response) {
  const meta = await jetpack.readAsync('albums/' + req.params.id + '/meta.json', 'json');
  res.json(meta);
}
`,
  };

  it('the folder of a stored gallery removed with rimraf, in a callback or synchronously (untyped and typed)', () => {
    const expected = [
      "9:3 no-local-disk-write: `rimraf` deletes a stored file from this instance's local disk on DELETE /galleries/:id (server.js:8). The other instances keep their copy, or never had it: the files belong in shared storage.",
      '16:3 no-blocking-request-work: `rimraf.sync` blocks the event loop on DELETE /galleries/:id/cache (server.js:15): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'server.js')).toEqual(expected);
    expect(typed(files, 'server.js')).toEqual(expected);
  });

  it("fs-jetpack's promise methods and rimraf v4's named export in a TypeScript module (untyped and typed)", () => {
    const expected = [
      "6:9 no-local-disk-write: `jetpack.moveAsync` writes to this instance's local disk on POST /albums/:id/cover (server.js:20). Other instances will not find the file, and it is lost when this instance is replaced.",
      "11:9 no-local-disk-write: `rimraf` deletes a stored file from this instance's local disk on DELETE /albums/:id (server.js:21). The other instances keep their copy, or never had it: the files belong in shared storage.",
    ];
    expect(untyped(files, 'albums.ts')).toEqual(expected);
    expect(typed(files, 'albums.ts')).toEqual(expected);
  });
});

describe("fs-jetpack's synchronous methods, and what stays quiet", () => {
  const files = {
    'app.ts': `import express from 'express';
import jetpack from 'fs-jetpack';

const templates = jetpack.read('templates/invoice.html');
const app = express();

app.get('/themes', (_req, res) => {
  res.json(jetpack.list('themes'));
});

app.get('/exports/:name', (req, res) => {
  if (!jetpack.exists('exports/' + req.params.name)) return res.sendStatus(404);
  res.send(templates);
});

app.listen(3000);
`,
  };

  it('a synchronous listing on a request is reported; a read at start-up and the existence probe are not (untyped and typed)', () => {
    const expected = [
      '8:12 no-blocking-request-work: `jetpack.list` blocks the event loop on GET /themes (app.ts:7): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'app.ts')).toEqual(expected);
    expect(typed(files, 'app.ts')).toEqual(expected);
  });
});

describe('a synchronous glob on a request path', () => {
  const files = {
    'routes.js': `const express = require('express');
const glob = require('glob');
const fg = require('fast-glob');

const router = express.Router();
const layouts = glob.sync('views/layouts/*.hbs');

router.get('/products/:id/images', (req, res) => {
  const images = glob.sync('public/uploads/' + req.params.id + '/*');
  res.json({ images, layouts });
});

router.get('/products/:id/files', async (req, res) => {
  res.json(await fg('public/uploads/' + req.params.id + '/**'));
});

module.exports = router;
`,
    'app.js': `const express = require('express');
const app = express();
app.use(require('./routes'));
app.listen(3000);
`,
  };

  it('glob.sync walks the folder tree while the request waits; the async glob and the walk at start-up do not (untyped and typed)', () => {
    const expected = [
      '9:18 no-blocking-request-work: `glob.sync` blocks the event loop on GET /products/:id/images (routes.js:8): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'routes.js')).toEqual(expected);
    expect(typed(files, 'routes.js')).toEqual(expected);
  });
});

describe('a stat in a try block that only asks whether the folder exists', () => {
  const files = {
    'upload.ts': `import fs from 'node:fs';
import express from 'express';

const app = express();

function ensureFolder(folder: string) {
  try {
    fs.statSync(folder);
  } catch {
    fs.mkdirSync(folder, { recursive: true });
  }
}

app.post('/products/:id/images', (req, res) => {
  ensureFolder('uploads/' + req.params.id);
  res.sendStatus(202);
});

app.get('/products/:id/size', (req, res) => {
  try {
    const stats = fs.statSync('uploads/' + req.params.id);
    res.json({ size: stats.size });
  } catch {
    res.sendStatus(404);
  }
});

app.listen(3000);
`,
  };

  it('the probe is quiet, the mkdirSync it guards and a stat whose size is read stay reported (untyped and typed)', () => {
    const expected = [
      '10:5 no-blocking-request-work: `fs.mkdirSync` blocks the event loop on POST /products/:id/images (upload.ts:14): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      '21:19 no-blocking-request-work: `fs.statSync` blocks the event loop on GET /products/:id/size (upload.ts:19): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'upload.ts')).toEqual(expected);
    expect(typed(files, 'upload.ts')).toEqual(expected);
  });
});

// Round 35 of test/real-world: a file host streams each upload into its folder with fs-jetpack's
// `createWriteStream`, pipes album zips into another the same way, and links a placeholder thumbnail
// with `symlinkAsync`; `createReadStream` only reads.
describe("fs-jetpack's write streams and symlinks", () => {
  const files = {
    'server.js': `const express = require('express');
const path = require('path');
const jetpack = require('fs-jetpack');

const app = express();

app.post('/uploads/:name', (req, res) => {
  const out = jetpack.createWriteStream(path.join('uploads', req.params.name));
  req.pipe(out).on('finish', () => res.sendStatus(201));
});

app.post('/thumbs/:name/placeholder', async (req, res) => {
  await jetpack.symlinkAsync('public/unavailable.png', path.join('uploads', 'thumbs', req.params.name));
  res.sendStatus(201);
});

app.get('/uploads/:name', (req, res) => {
  jetpack.createReadStream(path.join('uploads', req.params.name)).pipe(res);
});

app.listen(3000);
`,
  };

  it('a stream into the uploads folder and a link made in it are disk writes; the read stream is not (untyped and typed)', () => {
    const expected = [
      "8:15 no-local-disk-write: `jetpack.createWriteStream` writes to this instance's local disk on POST /uploads/:name (server.js:7). Other instances will not find the file, and it is lost when this instance is replaced.",
      "13:9 no-local-disk-write: `jetpack.symlinkAsync` writes to this instance's local disk on POST /thumbs/:name/placeholder (server.js:12). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'server.js', ['no-local-disk-write'])).toEqual(expected);
    expect(typed(files, 'server.js', ['no-local-disk-write'])).toEqual(expected);
  });
});
