import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';
import { typedFindings, untypedFindings } from '../testing/project-findings';

function uploads(code: string, fileName = '/project/src/upload.ts'): string[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-local-disk-write'] }).map((finding) => `${finding.messageId}: ${finding.data.detail}`);
}

/** Every disk finding of one file, typed or untyped (by its extension, TypeScript or JavaScript): `rule line:column message`. */
function diskFindings(code: string, fileName: string, typed: boolean): string[] {
  const program = typed ? createProgram({ [fileName]: code }) : undefined;
  const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-local-disk-write'] }).map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${finding.ruleId} ${line + 1}:${character + 1} ${finding.message}`;
  });
}

describe('upload parsers that keep files in the OS temp folder', () => {
  it('os.tmpdir() given directly, through a module constant or a local one, and a diskStorage without a destination: quiet', () => {
    expect(
      uploads(`import formidable from 'formidable';
import multer from 'multer';
import { koaBody } from 'koa-body';
import os from 'node:os';
const tmpDirectory = os.tmpdir();
export function parser() {
  const scratch = os.tmpdir();
  return formidable({ uploadDir: scratch, keepExtensions: true });
}
export const form = formidable({ uploadDir: tmpDirectory, maxFileSize: 50 * 1024 * 1024 });
export const upload = multer({ dest: os.tmpdir() });
export const named = multer({ storage: multer.diskStorage({ filename: (req, file, cb) => cb(null, file.originalname) }) });
export const body = koaBody({ multipart: true, formidable: { uploadDir: tmpDirectory } });
`),
    ).toEqual([]);
  });

  it('a project folder, a folder named tmp in the project, and a destination chosen elsewhere: reported', () => {
    expect(
      uploads(`const multer = require('multer');
const formidable = require('formidable');
const path = require('path');
const uploadDir = path.join(__dirname, 'tmp', 'uploads');
const options = { destination: 'uploads/' };
exports.upload = multer({ dest: uploadDir });
exports.form = formidable({ uploadDir: 'public/uploads' });
exports.stored = multer({ storage: multer.diskStorage(options) });
`, '/project/src/upload.js'),
    ).toEqual(['uploadToDisk: `dest: uploadDir`', "uploadToDisk: `uploadDir: 'public/uploads'`", 'uploadToDisk: `multer.diskStorage`']);
  });
});

describe("multer's ports to Fastify and Koa, which keep its options", () => {
  // fastify-multer and @koa/multer take multer's options and storage engines: `dest` and `diskStorage` keep
  // uploads on this instance's disk, `memoryStorage` keeps them in the request.
  const files = {
    'src/routes.ts': `import Fastify from 'fastify';
import multer from 'fastify-multer';

const upload = multer({ dest: 'uploads/' });
const avatars = multer({ storage: multer.diskStorage({ destination: 'public/avatars' }) });
const inMemory = multer({ storage: multer.memoryStorage() });
const app = Fastify();
app.register(multer.contentParser);
app.post('/tickets/:id/files', { preHandler: upload.single('file') }, async (request) => ({ path: request.file.path }));
app.post('/me/avatar', { preHandler: avatars.single('avatar') }, async () => ({ ok: true }));
app.post('/imports', { preHandler: inMemory.single('csv') }, async (request) => ({ size: request.file.size }));
app.listen({ port: 3000 });
`,
  };

  it('reports fastify-multer keeping uploads in a project folder, typed and untyped; its memory storage stays quiet', () => {
    const expected = [
      '4:25 no-local-disk-write: fastify-multer stores uploads on this instance\'s local disk (`dest: \'uploads/\'`). Other instances will not find them; keep uploads in memory and put them in an object store (S3).',
      '5:35 no-local-disk-write: fastify-multer stores uploads on this instance\'s local disk (`multer.diskStorage`). Other instances will not find them; keep uploads in memory and put them in an object store (S3).',
    ];
    expect(untypedFindings(files, 'src/routes.ts', ['no-local-disk-write'])).toEqual(expected);
    expect(typedFindings(files, 'src/routes.ts', ['no-local-disk-write'])).toEqual(expected);
  });

  it('quiet: @koa/multer with its memory storage, and a Koa upload into the OS temp folder', () => {
    expect(
      uploads(`const multer = require('@koa/multer');
const os = require('os');
exports.inMemory = multer({ storage: multer.memoryStorage() });
exports.scratch = multer({ dest: os.tmpdir() });
`, '/project/src/upload.js'),
    ).toEqual([]);
  });
});

describe('a file written under a temporary name and renamed into place', () => {
  function writes(code: string): string[] {
    const sourceFile = ts.createSourceFile('/project/src/users.ts', code, ts.ScriptTarget.Latest, true);
    return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-local-disk-write'] }).map((finding) => `${finding.messageId}: ${finding.data.callee} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);
  }

  it('is one save, reported at the write; a rename of a file this function did not write is reported', () => {
    expect(
      writes(`import fs from 'node:fs';
import express from 'express';
const app = express();
app.put('/users/:name', (req, res) => {
  const pathReal = \`users/\${req.params.name}.json\`;
  const pathTemp = pathReal + '.tmp';
  fs.writeFileSync(pathTemp, JSON.stringify(req.body), { mode: 0o600 });
  fs.renameSync(pathTemp, pathReal);
  res.end();
});
app.post('/users/:name/archive', async (req, res) => {
  await fs.promises.rename(\`users/\${req.params.name}.json\`, \`archive/\${req.params.name}.json\`);
  res.end();
});
app.post('/ingest', (req, res) => {
  const filePath = \`inbox/\${req.body.file}\`;
  if (req.body.skip) fs.renameSync(filePath, 'skipped/' + req.body.file);
  else fs.renameSync(filePath, 'ingested/' + req.body.file);
  res.end();
});
`),
    ).toEqual(['diskWrite: fs.writeFileSync 7', 'diskWrite: fs.promises.rename 12', 'diskWrite: fs.renameSync 17', 'diskWrite: fs.renameSync 18']);
  });
});

describe('a scratch file in a temp folder the same function removes again', () => {
  function writes(code: string): string[] {
    const sourceFile = ts.createSourceFile('/project/pages/api/exif.ts', code, ts.ScriptTarget.Latest, true);
    return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-local-disk-write'] }).map((finding) => `${finding.messageId}: ${finding.data.callee}`);
  }

  it('a folder named as temp in the configuration is scratch like os.tmpdir(); a kept folder, a removal only on failure, or the removal of another file of the temp folder (an older export) is reported', () => {
    expect(
      writes(`import { createWriteStream } from 'fs';
import { rm, writeFile, unlink } from 'fs/promises';
import { join } from 'path';
import type { NextApiRequest, NextApiResponse } from 'next';
const config = { core: { temp_directory: '/var/zipline/tmp', uploads: 'uploads' } };
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const file = join(config.core.temp_directory, \`exif-\${Date.now()}\`);
  const stream = createWriteStream(file);
  stream.end(req.body);
  await rm(file);
  const path = join(config.core.temp_directory, \`export-\${Date.now()}.zip\`);
  const exportDb = { path: String(req.query.old) };
  createWriteStream(path).end(req.body);
  if (req.method === 'DELETE') await rm(join(config.core.temp_directory, exportDb.path));
  const kept = join(config.core.uploads, String(req.query.name));
  try {
    await writeFile(kept, req.body);
  } catch {
    await unlink(kept);
  }
  res.json({ ok: true });
}
`),
    ).toEqual(['diskWrite: createWriteStream', 'diskWrite: writeFile']);
  });
});

describe('a path kept in a field', () => {
  function findings(code: string): string[] {
    const sourceFile = ts.createSourceFile('/project/src/spill.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-local-disk-write'] }).map((finding) => {
      const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
      return `${finding.ruleId} ${line + 1}:${character + 1} ${finding.message}`;
    });
  }

  it("the removal of a class's own spill file under a folder it made in os.tmpdir() is scratch; a field holding the uploads folder names stored files", () => {
    expect(
      findings(`const express = require('express');
const os = require('node:os');
const path = require('node:path');
const fsp = require('node:fs/promises');
const app = express();
class SpillBuffer {
  constructor(opts) { this.tmpRoot = opts.tmpRoot ?? os.tmpdir(); this.filePath = null; }
  async spill() {
    this.tmpDir = await fsp.mkdtemp(path.join(this.tmpRoot, 'spill-'));
    this.filePath = path.join(this.tmpDir, 'body');
  }
  async cleanup() {
    if (this.filePath) await fsp.rm(this.filePath, { force: true });
  }
}
class Avatars {
  constructor() { this.dir = path.join(process.cwd(), 'public', 'avatars'); }
  async remove(name) { await fsp.rm(path.join(this.dir, name)); }
}
const avatars = new Avatars();
app.post('/hash', async (req, res) => {
  const buffer = new SpillBuffer({});
  await buffer.spill();
  await buffer.cleanup();
  res.end();
});
app.delete('/avatars/:name', async (req, res) => {
  await avatars.remove(req.params.name);
  res.end();
});
`),
    ).toEqual([
      'no-local-disk-write 18:30 `fsp.rm` deletes a stored file from this instance\'s local disk on DELETE /avatars/:name (src/spill.js:27). The other instances keep their copy, or never had it: the files belong in shared storage.',
    ]);
  });
});

describe('removing a stored file whose record was looked up', () => {
  function removals(code: string, fileName: string): string[] {
    const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
    return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-local-disk-write'] }).map((finding) => `${finding.messageId}: ${finding.data.callee} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);
  }

  it('a record found by id (TypeORM in a Nest service, mongoose in Express, Prisma in Koa) names a kept file: its removal is reported', () => {
    expect(
      removals(`import { Controller, Delete, Injectable, Param } from '@nestjs/common';
import { unlink } from 'fs/promises';
@Injectable()
export class AttachmentService {
  constructor(private readonly attachments: { findOne(query: object): Promise<{ path: string }> }) {}
  async remove(id: number) {
    const file = await this.attachments.findOne({ where: { id } });
    await unlink(file.path);
  }
}
@Controller('attachments')
export class AttachmentController {
  constructor(private readonly service: AttachmentService) {}
  @Delete(':id')
  remove(@Param('id') id: string) {
    return this.service.remove(Number(id));
  }
}
`, '/project/src/attachments.ts'),
    ).toEqual(['diskRemove: unlink 8']);
    expect(
      removals(`const fs = require('fs');
const router = require('express').Router();
const Upload = require('../models/upload');
router.delete('/uploads/:id', async (req, res) => {
  const upload = await Upload.findById(req.params.id);
  fs.unlink(upload.path, () => res.sendStatus(204));
});
module.exports = router;
`, '/project/routes/uploads.js'),
    ).toEqual(['diskRemove: fs.unlink 6']);
    expect(
      removals(`import Router from '@koa/router';
import { promises as fsp } from 'node:fs';
import { prisma } from './db';
const router = new Router();
router.del('/documents/:id', async (ctx) => {
  const document = await prisma.file.findUnique({ where: { id: ctx.params.id } });
  await fsp.rm(document.filePath);
  ctx.status = 204;
});
export default router;
`, '/project/src/documents.ts'),
    ).toEqual(['diskRemove: fsp.rm 7']);
  });

  it("the request's own upload stays quiet: multer's req.file, formidable's parse(req), fastify's saveRequestFiles", () => {
    expect(
      removals(`import express from 'express';
import multer from 'multer';
import formidable from 'formidable';
import { unlink } from 'node:fs/promises';
import os from 'node:os';
const app = express();
const upload = multer({ dest: os.tmpdir() });
app.post('/avatar', upload.single('avatar'), async (req, res) => {
  const file = req.file;
  await unlink(file.path);
  res.end();
});
app.post('/import', async (req, res) => {
  const parsed = await formidable({}).parse(req);
  const files = parsed[1];
  await unlink(files.data[0].filepath);
  res.end();
});
export default app;
`, '/project/src/app.ts'),
    ).toEqual([]);
    expect(
      removals(`import Fastify from 'fastify';
import { unlink } from 'node:fs/promises';
const app = Fastify();
app.post('/import', async (request) => {
  const files = await request.saveRequestFiles();
  await unlink(files[0].filepath);
  return { ok: true };
});
`, '/project/src/server.ts'),
    ).toEqual([]);
  });
});

describe.each([false, true])('a file in a folder mkdtemp made for one call (typed: %s)', (typed) => {
  const findings = (code: string): string[] => diskFindings(code, '/project/src/media.ts', typed);

  it('is scratch of that call when the folder and its paths only go to fs, path and the converter it runs, even left behind; a path the function returns is a file a later request may ask for', () => {
    expect(
      findings(`import { Hono } from 'hono';
import ffmpeg from 'fluent-ffmpeg';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function posterFrame(video: Uint8Array): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'poster-'));
  const input = join(dir, 'input');
  await writeFile(input, video);
  await new Promise((resolve) => ffmpeg(input).on('end', resolve).screenshots({ timestamps: [0], filename: 'frame.png', folder: dir }));
  return new Uint8Array(await readFile(join(dir, 'frame.png')));
}

async function stageExport(rows: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'export-'));
  const file = join(dir, 'export.csv');
  await writeFile(file, rows);
  return file;
}

const app = new Hono();
app.post('/videos', async (c) => {
  const frame = await posterFrame(new Uint8Array(await c.req.arrayBuffer()));
  return c.json({ bytes: frame.byteLength });
});
app.post('/exports', async (c) => {
  const file = await stageExport(await c.req.text());
  return c.json({ file });
});
`),
    ).toEqual([
      'no-local-disk-write 18:9 `writeFile` writes to this instance\'s local disk on POST /exports (src/media.ts:27). Other instances will not find the file, and it is lost when this instance is replaced.',
    ]);
  });
});

describe.each([false, true])('a temp file removed by the project\'s own removal helper (typed: %s)', (typed) => {
  const findings = (code: string): string[] => diskFindings(code, '/project/src/thumbnails.ts', typed);

  it('is scratch of the handler that names the path, also when a sibling callback removes it; a helper that keeps the file does not make it scratch, nor does a chunk left for the next request, nor a file in a kept folder whose local is only named temp', () => {
    expect(
      findings(`import Fastify from 'fastify';
import fs from 'node:fs';
import { rm, copyFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Readable } from 'node:stream';
import path from 'node:path';

const tmpDir = path.join(process.cwd(), 'uploads', 'tmp');

export const deleteTmpFile = async (filePath: string) => {
  try {
    await rm(filePath, { force: true });
  } catch (error) {
    console.error('could not remove', filePath, error);
  }
};

const keepTmpFile = async (filePath: string) => {
  await copyFile(filePath, path.join('archive', path.basename(filePath)));
};

declare function makeThumbnail(file: string): Promise<void>;

const app = Fastify();

app.post('/files/:name/thumbnail', async (request, reply) => {
  const { name } = request.params as { name: string };
  const tmpPath = path.join(tmpDir, name);
  try {
    const response = await fetch('https://cdn.example.com/' + name);
    await finished(Readable.fromWeb(response.body as never).pipe(fs.createWriteStream(tmpPath)));
  } catch (error) {
    void deleteTmpFile(tmpPath);
    return reply.code(500).send({ error: 'fetch failed' });
  }
  await makeThumbnail(tmpPath);
  return reply.send({ ok: true });
});

app.post('/files/:name/process', async (request, reply) => {
  const { name } = request.params as { name: string };
  const newPath = path.join(tmpDir, name);
  fetch('https://cdn.example.com/' + name)
    .then(async (res) => {
      await finished(Readable.fromWeb(res.body as never).pipe(fs.createWriteStream(newPath)));
    })
    .then(() => makeThumbnail(newPath))
    .catch(() => deleteTmpFile(newPath));
  return reply.code(202).send({ queued: true });
});

app.post('/files/:name/archive', async (request, reply) => {
  const { name } = request.params as { name: string };
  const tempCopy = path.join(tmpDir, name);
  await fs.promises.writeFile(tempCopy, request.body as Buffer);
  await keepTmpFile(tempCopy);
  return reply.send({ ok: true });
});

app.put('/uploads/:id/chunks/:n', async (request, reply) => {
  const { id, n } = request.params as { id: string; n: string };
  await fs.promises.writeFile(path.join(tmpDir, id + '-' + n), request.body as Buffer);
  return reply.code(204).send();
});

app.post('/backups/:name', async (request, reply) => {
  const { name } = request.params as { name: string };
  const tempPath = path.join(process.cwd(), 'backups', name);
  await fs.promises.writeFile(tempPath, request.body as Buffer);
  if (!name.endsWith('.zip')) {
    await deleteTmpFile(tempPath);
    return reply.code(400).send({ error: 'not a backup' });
  }
  return reply.code(201).send({ ok: true });
});
`),
    ).toEqual([
      "no-local-disk-write 19:9 `copyFile` writes to this instance's local disk on POST /files/:name/archive (src/thumbnails.ts:52). Other instances will not find the file, and it is lost when this instance is replaced.",
      "no-local-disk-write 55:9 `fs.promises.writeFile` writes to this instance's local disk on POST /files/:name/archive (src/thumbnails.ts:52). Other instances will not find the file, and it is lost when this instance is replaced.",
      "no-local-disk-write 62:9 `fs.promises.writeFile` writes to this instance's local disk on PUT /uploads/:id/chunks/:n (src/thumbnails.ts:60). Other instances will not find the file, and it is lost when this instance is replaced.",
      "no-local-disk-write 69:9 `fs.promises.writeFile` writes to this instance's local disk on POST /backups/:name (src/thumbnails.ts:66). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });
});

describe.each([false, true])('a file written to be uploaded by its path (typed: %s)', (typed) => {
  const findings = (code: string): string[] => diskFindings(code, '/project/src/backups.ts', typed);

  it('is a staging copy of the stored object; a file uploaded from memory, or one only sent back, stays on this disk', () => {
    expect(
      findings(`import Koa from 'koa';
import Router from '@koa/router';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Storage } from '@google-cloud/storage';

const bucket = new Storage().bucket('package-backups');
declare const nfs: { upload(file: string, options: { key: string; size: number }): Promise<void>; uploadBuffer(data: Buffer, options: { key: string }): Promise<void> };
const dataDir = path.join(process.cwd(), 'data');

const router = new Router();
router.put('/packages/:name/manifest', async (ctx) => {
  const file = JSON.stringify(ctx.request.body);
  const filePath = path.join(dataDir, ctx.params.name + '.json');
  await fs.writeFile(filePath, file);
  await nfs.upload(filePath, { key: ctx.params.name + '/package.json', size: file.length });
  ctx.status = 201;
});
router.put('/packages/:name/readme', async (ctx) => {
  const localPath = path.join(dataDir, ctx.params.name + '.md');
  await fs.writeFile(localPath, String(ctx.request.body));
  await bucket.upload(localPath, { destination: ctx.params.name + '/README.md' });
  ctx.status = 201;
});
router.put('/packages/:name/notes', async (ctx) => {
  const notesPath = path.join(dataDir, ctx.params.name + '.txt');
  const data = Buffer.from(String(ctx.request.body));
  await fs.writeFile(notesPath, data);
  await nfs.uploadBuffer(data, { key: ctx.params.name + '/notes.txt' });
  ctx.status = 201;
});

const app = new Koa();
app.use(router.routes());
`),
    ).toEqual([
      "no-local-disk-write 28:9 `fs.writeFile` writes to this instance's local disk on PUT /packages/:name/notes (src/backups.ts:25). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });
});

describe.each([false, true])('a file removed once the response has sent it (typed: %s)', (typed) => {
  const findings = (code: string): string[] => diskFindings(code, '/project/src/app.js', typed);

  it('is the cleanup of a file made for that response; a stored file removed after another is sent stays reported', () => {
    expect(
      findings(`const express = require('express');
const fs = require('fs');
const path = require('path');
const archives = require('./archives');
const app = express();

app.get('/playlists/:id/download', async function (req, res) {
  let fileToSend;
  if (req.query.zip) {
    fileToSend = await archives.zipPlaylist(req.params.id);
  } else {
    fileToSend = path.join('media', req.params.id + '.mp4');
  }
  res.sendFile(fileToSend, function (err) {
    if (err) {
      console.error(err);
    } else if (req.query.zip) {
      try {
        fs.unlinkSync(fileToSend);
      } catch (e) {
        console.error('could not remove ' + fileToSend);
      }
    }
  });
});

app.get('/shares/:id', function (req, res) {
  const preview = path.join('previews', req.params.id + '.png');
  const original = path.join('shares', req.params.id);
  res.download(preview, function () {
    fs.unlink(original, () => {});
  });
});
`),
    ).toEqual([
      "no-local-disk-write 31:5 `fs.unlink` deletes a stored file from this instance's local disk on GET /shares/:id (src/app.js:27). The other instances keep their copy, or never had it: the files belong in shared storage.",
    ]);
  });
});

describe.each([false, true])('a helper that rewrites the file its parameter names (typed: %s)', (typed) => {
  const findings = (code: string): string[] => diskFindings(code, '/project/src/file.js', typed);

  it("is judged where it is called: the upload's temp file sanitized before it is copied is scratch; the copy, a stored file rewritten by the same helper, and a stored file moved aside into the temp folder, are reported", () => {
    expect(
      findings(`const express = require('express');
const multer = require('multer');
const os = require('os');
const fs = require('fs');
const path = require('path');
const app = express();
const upload = multer({ dest: os.tmpdir() });

async function stripScripts(filePath) {
  const svg = await fs.promises.readFile(filePath, 'utf8');
  await fs.promises.writeFile(filePath, svg.replace(/<script[\\s\\S]*?<\\/script>/g, ''));
}

async function saveFileToLocal(filename, folder, tempPath) {
  if (filename.endsWith('.svg')) await stripScripts(tempPath);
  const uploadPath = path.join('public', 'uploads', folder, filename);
  await fs.promises.copyFile(tempPath, uploadPath);
  return '/uploads/' + folder + '/' + filename;
}

app.post('/api/uploads', upload.single('file'), async (req, res) => {
  res.json({ url: await saveFileToLocal(req.file.originalname, 'files', req.file.path) });
});
app.post('/api/icons/:name/clean', async (req, res) => {
  await stripScripts(path.join('public', 'icons', req.params.name + '.svg'));
  res.sendStatus(204);
});

async function moveFile(source, destination) {
  await fs.promises.rename(source, destination);
}
app.delete('/api/icons/:name', async (req, res) => {
  await moveFile(path.join('public', 'icons', req.params.name + '.svg'), path.join(os.tmpdir(), req.params.name + '.svg'));
  res.sendStatus(204);
});
`),
    ).toEqual([
      "no-local-disk-write 11:9 `fs.promises.writeFile` writes to this instance's local disk on POST /api/icons/:name/clean (src/file.js:24). Other instances will not find the file, and it is lost when this instance is replaced.",
      "no-local-disk-write 17:9 `fs.promises.copyFile` writes to this instance's local disk on POST /api/uploads (src/file.js:21). Other instances will not find the file, and it is lost when this instance is replaced.",
      "no-local-disk-write 30:9 `fs.promises.rename` writes to this instance's local disk on DELETE /api/icons/:name (src/file.js:32). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });
});
