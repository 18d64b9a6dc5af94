import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath, untypedLocalPackagesFile, untypedMonorepoFile, untypedProjectFile } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-local-disk-write';

type Options = StatelessRuleOptions<'no-local-disk-write'>;
type MessageIds = 'diskWrite' | 'diskRemove' | 'uploadToDisk' | 'embeddedDatabase';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts. Routes are named by the path of their
// file relative to the project root (the nearest package.json).

/** Cases that need no file name: run untyped and typed. `file` is how messages name the linted file. */
const sameFileInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: "Express: a route path concatenated from a prefix constant and a literal (`API + '/notes'`), labelled as a template writes it",
    code: `
import express from 'express';
import fs from 'node:fs';

const API = '/api/v1';
const app = express();
app.post(API + '/notes', (req, res) => {
  fs.writeFile('notes/' + req.body.id, req.body.text, () => res.sendStatus(201));
});
`,
    errors: [{ messageId: 'diskWrite', line: 8, column: 3, data: { callee: 'fs.writeFile', route: `POST \${API}/notes (${file}:7)` } }],
  },
  {
    name: "Express: fs-jetpack's write stream into the uploads folder; its read stream stays quiet",
    code: `
import express from 'express';
import path from 'node:path';
import jetpack from 'fs-jetpack';

const app = express();
app.post('/uploads/:name', (req, res) => {
  req.pipe(jetpack.createWriteStream(path.join('uploads', req.params.name))).on('finish', () => res.sendStatus(201));
});
app.get('/uploads/:name', (req, res) => {
  jetpack.createReadStream(path.join('uploads', req.params.name)).pipe(res);
});
`,
    errors: [{ messageId: 'diskWrite', line: 8, column: 12, data: { callee: 'jetpack.createWriteStream', route: `POST /uploads/:name (${file}:7)` } }],
  },
  {
    name: "Express: fluent-ffmpeg's screenshots into the thumbs folder and its output to a path; the same command streamed into the response stays quiet",
    code: `
import express from 'express';
import path from 'node:path';
import ffmpeg from 'fluent-ffmpeg';

const app = express();
app.post('/videos/:name', (req, res) => {
  ffmpeg(path.join('uploads', req.params.name))
    .on('end', () => res.sendStatus(201))
    .screenshots({ folder: 'thumbs', filename: req.params.name + '.png' });
});
app.post('/videos/:name/strip', (req, res) => {
  ffmpeg(path.join('uploads', req.params.name)).output(path.join('uploads', 'clean-' + req.params.name)).on('end', () => res.sendStatus(201)).run();
});
app.get('/videos/:name', (req, res) => {
  ffmpeg(path.join('uploads', req.params.name)).format('webm').output(res).run();
});
`,
    errors: [
      { messageId: 'diskWrite', line: 10, column: 6, endColumn: 17, data: { callee: 'ffmpeg(…).screenshots', route: `POST /videos/:name (${file}:7)` } },
      { messageId: 'diskWrite', line: 13, column: 49, endColumn: 55, data: { callee: 'ffmpeg(…).output', route: `POST /videos/:name/strip (${file}:12)` } },
    ],
  },
  {
    name: "Express: knex on a SQLite file, its client a setting the branch compared to 'better-sqlite3' first",
    code: `
import express from 'express';
import knex from 'knex';

const databaseType = process.env.DATABASE_TYPE || 'better-sqlite3';
let db: ReturnType<typeof knex>;
if (databaseType === 'better-sqlite3') {
  db = knex({ client: databaseType, connection: { filename: 'data/app.db' }, useNullAsDefault: true });
} else {
  db = knex({ client: databaseType, connection: process.env.DATABASE_URL });
}
const app = express();
app.post('/notes', express.json(), async (req, res) => {
  await db('notes').insert({ text: String(req.body.text) });
  res.sendStatus(201);
});
app.listen(3000);
`,
    errors: [{ messageId: 'embeddedDatabase', line: 8, column: 8, endColumn: 12, data: { callee: 'knex', library: 'SQLite (knex, better-sqlite3)' } }],
  },
  {
    name: "Koa: an upload moved with fs-extra into the service's folder under a name that keeps the temp file's extension (`v4() + path.extname(tmpFile.originalFilename)`): the name comes from the temp file, the folder does not",
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import * as fs from 'fs-extra';
import os from 'node:os';
import path from 'node:path';
import { v4 } from 'uuid';

const router = new Router();
router.post('/assets', async (ctx) => {
  const tmpFile = (ctx.request as unknown as { files: { file: { filepath: string; originalFilename?: string } } }).files.file;
  try {
    const newFileName = v4() + path.extname(tmpFile.originalFilename || '');
    const target = path.join(process.cwd(), 'public/upload_files', newFileName);
    await fs.move(tmpFile.filepath, target);
    ctx.body = newFileName;
  } finally {
    fs.remove(tmpFile.filepath, () => {});
  }
});
new Koa().use(router.routes()).listen(3000);
`,
    errors: [{ messageId: 'diskWrite', line: 15, column: 11, endColumn: 18, data: { callee: 'fs.move', route: `POST /assets (${file}:10)` } }],
  },
  {
    name: 'Express: a page created when missing at a path the request names holds what the user made: reported',
    code: `
import express from 'express';
import * as fs from 'fs';

const app = express();
app.post('/pages/:name', (req, res) => {
  const page = 'pages/' + req.params.name + '.md';
  if (!fs.existsSync(page)) fs.writeFileSync(page, '# New page');
  res.sendStatus(201);
});
`,
    errors: [{ messageId: 'diskWrite', line: 8, column: 29, endColumn: 45, data: { callee: 'fs.writeFileSync', route: `POST /pages/:name (${file}:6)` } }],
  },
  {
    name: 'Express: a shipped template copied to a page the request names, when that page is missing',
    code: `
import express from 'express';
import { copyFileSync, existsSync } from 'fs';
import { join } from 'path';

const app = express();
app.post('/pages/:title', (req, res) => {
  const page = join(process.cwd(), 'pages', req.params.title);
  if (!existsSync(page)) copyFileSync(join(process.cwd(), 'defaults', 'page.md'), page);
  res.sendStatus(201);
});
`,
    errors: [{ messageId: 'diskWrite', line: 9, column: 26, endColumn: 38, data: { callee: 'copyFileSync', route: `POST /pages/:title (${file}:7)` } }],
  },
  {
    name: "Express: the app's data kept in a SQLite file that better-sqlite3 opens at start-up",
    code: `
import express from 'express';
import Database from 'better-sqlite3';

const db = new Database('data/app.db');
const app = express();
app.post('/notes', express.json(), (req, res) => {
  db.prepare('INSERT INTO notes (text) VALUES (?)').run(String(req.body.text));
  res.sendStatus(201);
});
`,
    errors: [{ messageId: 'embeddedDatabase', line: 5, column: 16, endColumn: 24, data: { callee: 'Database', library: 'SQLite (better-sqlite3)' } }],
  },
  {
    name: "Express: the models kept by Sequelize in a SQLite storage file, and login state in @keyv/sqlite's file; Sequelize without storage keeps its database in memory",
    code: `
import express from 'express';
import { Sequelize } from 'sequelize';
import KeyvSqlite from '@keyv/sqlite';

export const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'data/database.sqlite' });
export const store = new KeyvSqlite('data/keyv.sqlite');
export const scratch = new Sequelize({ dialect: 'sqlite' });
const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.listen(5700);
`,
    errors: [
      { messageId: 'embeddedDatabase', line: 6, column: 30, endColumn: 39, data: { callee: 'Sequelize', library: 'SQLite (Sequelize)' } },
      { messageId: 'embeddedDatabase', line: 7, column: 26, endColumn: 36, data: { callee: 'KeyvSqlite', library: 'SQLite (@keyv/sqlite)' } },
    ],
  },
  {
    name: 'Koa: an export zipped with adm-zip and written into a folder of this instance',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import AdmZip from 'adm-zip';

const router = new Router();
router.post('/exports/:id', (ctx) => {
  const zip = new AdmZip();
  zip.addFile('notes.json', Buffer.from(JSON.stringify(ctx.request.body)));
  zip.writeZip('exports/' + ctx.params.id + '.zip');
  ctx.status = 201;
});
new Koa().use(router.routes()).listen(3000);
`,
    errors: [{ messageId: 'diskWrite', line: 10, column: 3, endColumn: 15, data: { callee: 'zip.writeZip', route: `POST /exports/:id (${file}:7)` } }],
  },
  {
    name: 'Koa: a plugin upload unpacked with extract-zip into the plugins folder',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import extract from 'extract-zip';

const router = new Router();
router.post('/plugins', async (ctx) => {
  await extract(ctx.request.body.archivePath, { dir: '/srv/app/plugins/' + ctx.request.body.name });
  ctx.status = 201;
});
new Koa().use(router.routes()).listen(3000);
`,
    errors: [{ messageId: 'diskWrite', line: 8, column: 9, endColumn: 16, data: { callee: 'extract', route: `POST /plugins (${file}:7)` } }],
  },
  {
    name: "Hono on Bun: a cover image written with write imported from 'bun'",
    code: `
import { Hono } from 'hono';
import { write } from 'bun';

const app = new Hono();
app.put('/books/:id/cover', async (c) => {
  await write(\`covers/\${c.req.param('id')}.jpg\`, await c.req.arrayBuffer());
  return c.body(null, 204);
});
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 9, endColumn: 14, data: { callee: 'write', route: `PUT /books/:id/cover (${file}:6)` } }],
  },
  {
    name: 'jquery-file-upload-middleware given an uploadDir under public/ in a local options object stores the uploads on this disk; the same handler given the OS temp folder stays quiet',
    code: `
import express from 'express';
import os from 'node:os';
import path from 'node:path';
import upload from 'jquery-file-upload-middleware';

const app = express();
app.post('/editor/images', (req, res) => {
  const opts = { uploadDir: path.join(__dirname, 'public', 'uploads'), uploadUrl: '/uploads' };
  upload.fileHandler(opts)(req, res);
});
app.post('/logos', (req, res) => {
  upload.fileHandler({ uploadDir: os.tmpdir(), uploadUrl: '/logos' })(req, res);
});
`,
    errors: [{ messageId: 'uploadToDisk', line: 10, column: 3, endColumn: 21, data: { library: 'jquery-file-upload-middleware', detail: "`uploadDir: path.join(__dirname, 'public', 'uploads')`" } }],
  },
  {
    name: 'Express: a store made with lodash’s extend over an EventEmitter: its add, called by the route, saves the list to the local disk; its get does not write',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import _ from 'lodash';

const feeds: Record<string, { url: string; added: number }> = {};

const store = _.extend(new EventEmitter(), {
  async add(url: string) {
    feeds[url] = { url, added: Date.now() };
    await writeFile('/var/lib/feeds/feeds.json', JSON.stringify(Object.keys(feeds)));
  },
  get(url: string) {
    return feeds[url];
  },
});

const api = express();
api.post('/feeds', express.json(), async (req, res) => {
  await store.add(req.body.url);
  res.sendStatus(201);
});
api.get('/feeds/:url', (req, res) => {
  res.json(store.get(req.params.url));
});
`,
    errors: [{ messageId: 'diskWrite', line: 12, column: 11, endColumn: 20, data: { callee: 'writeFile', route: `POST /feeds (${file}:20)` } }],
  },
  {
    name: 'Hono: a flydrive Disk that takes FSDriver when configured so stores and deletes on this instance; a Disk over S3 only stays quiet',
    code: `
import { Hono } from 'hono';
import { Disk } from 'flydrive';
import { FSDriver } from 'flydrive/drivers/fs';
import { S3Driver } from 'flydrive/drivers/s3';

const uploads = new Disk(
  process.env.DRIVE_DISK === 'fs'
    ? new FSDriver({ location: new URL('./uploads/', import.meta.url), visibility: 'public' })
    : new S3Driver({ bucket: process.env.S3_BUCKET ?? 'uploads', region: 'auto', visibility: 'public' }),
);
const archive = new Disk(new S3Driver({ bucket: 'archive', region: 'auto', visibility: 'private' }));

const app = new Hono();
app.post('/emojis/:code', async (c) => {
  const image = new Uint8Array(await c.req.arrayBuffer());
  await uploads.put(\`emojis/\${c.req.param('code')}.png\`, image);
  await archive.put(\`emojis/\${c.req.param('code')}.png\`, image);
  return c.json({ ok: true });
});
app.delete('/emojis/:code', async (c) => {
  await uploads.delete(\`emojis/\${c.req.param('code')}.png\`);
  return c.body(null, 204);
});
`,
    errors: [
      { messageId: 'diskWrite', line: 17, column: 9, endColumn: 20, data: { callee: 'uploads.put', route: `POST /emojis/:code (${file}:15)` } },
      { messageId: 'diskRemove', line: 22, column: 9, endColumn: 23, data: { callee: 'uploads.delete', route: `DELETE /emojis/:code (${file}:21)` } },
    ],
  },
  {
    name: 'Hono: a poster frame made in a folder mkdtemp created for the call is scratch, even left behind; an export staged the same way and its path returned is reported',
    code: `
import { Hono } from 'hono';
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
`,
    errors: [{ messageId: 'diskWrite', line: 19, column: 9, endColumn: 18, data: { callee: 'writeFile', route: `POST /exports (${file}:28)` } }],
  },
  {
    name: 'Express: an export written by callbacks an awaited Promise.all runs, into a temp folder removed after the wait, is scratch; the same callbacks under forEach are reported',
    code: `
import express from 'express';
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_PATH = join(process.cwd(), 'temp');
const notes = [{ id: 1, text: 'a' }];
const app = express();
app.post('/export', async (req, res) => {
  const exportDir = join(TEMP_PATH, 'exports');
  await Promise.all(notes.map(async (note) => {
    await writeFile(join(exportDir, note.id + '.md'), note.text);
  }));
  rmSync(exportDir, { recursive: true, force: true });
  res.sendStatus(200);
});
app.post('/export-later', async (req, res) => {
  const exportDir = join(TEMP_PATH, 'later');
  notes.forEach(async (note) => {
    await writeFile(join(exportDir, note.id + '.md'), note.text);
  });
  rmSync(exportDir, { recursive: true, force: true });
  res.sendStatus(202);
});
`,
    errors: [{ messageId: 'diskWrite', line: 21, column: 11, endColumn: 20, data: { callee: 'writeFile', route: `POST /export-later (${file}:18)` } }],
  },
  {
    name: 'Fastify: a file tempy made for the call, written and removed, is scratch; the same library’s file moved into a stored folder is reported',
    code: `
import Fastify from 'fastify';
import { temporaryFile as draftFile } from 'tempy';
import { copyFile, unlink, writeFile } from 'node:fs/promises';

const app = Fastify();
app.post('/previews', async (request) => {
  const page = draftFile({ extension: 'html' });
  await writeFile(page, String(request.body));
  await unlink(page);
  return { ok: true };
});
app.post('/pages/:id', async (request) => {
  const page = draftFile({ extension: 'html' });
  await writeFile(page, String(request.body));
  await copyFile(page, 'pages/' + (request.params as { id: string }).id + '.html');
  await unlink(page);
  return { ok: true };
});
`,
    errors: [{ messageId: 'diskWrite', line: 16, column: 9, endColumn: 17, data: { callee: 'copyFile', route: `POST /pages/:id (${file}:13)` } }],
  },
  {
    name: "Express: rimraf removing a stored gallery and fs-jetpack's moveAsync keeping an upload; rimraf of a temp folder stays quiet",
    code: `
import express from 'express';
import jetpack from 'fs-jetpack';
import { rimraf } from 'rimraf';

const app = express();
app.delete('/galleries/:id', async (req, res) => {
  await rimraf(\`galleries/\${req.params.id}\`);
  await rimraf(\`/tmp/gallery-\${req.params.id}\`);
  res.sendStatus(204);
});
app.post('/galleries/:id/cover', async (req, res) => {
  await jetpack.moveAsync(req.body.upload, \`galleries/\${req.params.id}/cover.jpg\`);
  res.sendStatus(201);
});
`,
    errors: [
      { messageId: 'diskRemove', line: 8, column: 9, endColumn: 15, data: { callee: 'rimraf', route: `DELETE /galleries/:id (${file}:7)` } },
      { messageId: 'diskWrite', line: 13, column: 9, endColumn: 26 },
    ],
  },
  {
    name: 'Express: fs.writeFileSync in a handler',
    code: `
import fs from 'node:fs';
import express from 'express';

const app = express();
app.post('/notes', (req, res) => {
  fs.writeFileSync(\`notes/\${req.body.id}.txt\`, req.body.text);
  res.sendStatus(201);
});
`,
    errors: [
      { messageId: 'diskWrite', line: 7, column: 3, endLine: 7, endColumn: 19, data: { callee: 'fs.writeFileSync', route: `POST /notes (${file}:6)` } },
    ],
  },
  {
    name: 'Fastify: writeFile imported by name from node:fs/promises',
    code: `
import { writeFile } from 'node:fs/promises';
import Fastify from 'fastify';

const fastify = Fastify();
fastify.put('/avatar/:id', async (request) => {
  await writeFile(\`avatars/\${(request.params as { id: string }).id}.png\`, request.body as Buffer);
  return { ok: true };
});
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 9, endColumn: 18, data: { callee: 'writeFile', route: `PUT /avatar/:id (${file}:6)` } }],
  },
  {
    name: 'Fastify route({ handler })',
    code: `
import fs from 'node:fs';
import Fastify from 'fastify';

const server = Fastify();
server.route({
  method: 'POST',
  url: '/exports',
  handler: async (request) => {
    fs.appendFileSync('exports.csv', String(request.body));
    return { ok: true };
  },
});
`,
    errors: [{ messageId: 'diskWrite', line: 10, column: 5, endColumn: 22, data: { callee: 'fs.appendFileSync', route: `POST /exports (${file}:6)` } }],
  },
  {
    name: 'Hono: fs.promises.appendFile in a helper the handler calls',
    code: `
import fs from 'node:fs';
import { Hono } from 'hono';

const app = new Hono();

async function storeReport(id: string, body: string) {
  await fs.promises.appendFile(\`reports/\${id}.log\`, body);
}

app.post('/reports/:id', async (c) => {
  await storeReport(c.req.param('id'), await c.req.text());
  return c.body(null, 204);
});
`,
    errors: [
      { messageId: 'diskWrite', line: 8, column: 9, endColumn: 31, data: { callee: 'fs.promises.appendFile', route: `POST /reports/:id (${file}:11)` } },
    ],
  },
  {
    name: 'Koa + @koa/router: fs.createWriteStream',
    code: `
import fs from 'node:fs';
import Router from '@koa/router';

export const router = new Router();
router.post('/upload', (ctx) => {
  ctx.req.pipe(fs.createWriteStream(\`uploads/\${Date.now()}\`));
  ctx.status = 201;
});
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 16, endColumn: 36, data: { callee: 'fs.createWriteStream', route: `POST /upload (${file}:6)` } }],
  },
  {
    name: 'Express app.route(path).verb(handler) chain',
    code: `
import { writeFileSync } from 'fs';
import express from 'express';

const app = express();
app.route('/profile').put((req, res) => {
  writeFileSync(\`profiles/\${req.body.id}.json\`, JSON.stringify(req.body));
  res.end();
});
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 3, endColumn: 16, data: { callee: 'writeFileSync', route: `PUT /profile (${file}:6)` } }],
  },
  {
    name: 'NestJS controller method',
    code: `
import fs from 'node:fs';
import { Body, Controller, Post } from '@nestjs/common';

@Controller('files')
export class FilesController {
  @Post()
  save(@Body() body: { name: string; content: string }) {
    fs.writeFileSync(\`files/\${body.name}\`, body.content);
  }
}
`,
    errors: [{ messageId: 'diskWrite', line: 9, column: 5, endColumn: 21 }],
  },
  {
    name: 'AWS Lambda handler export',
    code: `
import { writeFileSync } from 'node:fs';

export const handler = async (event: { body: string }) => {
  writeFileSync('/var/data/last-event.json', event.body);
  return { statusCode: 200 };
};
`,
    errors: [{ messageId: 'diskWrite', line: 5, column: 3, endColumn: 16 }],
  },
  {
    name: 'http.createServer',
    code: `
import http from 'node:http';
import fs from 'node:fs';

http
  .createServer((req, res) => {
    req.pipe(fs.createWriteStream(\`uploads/\${Date.now()}.bin\`));
    req.on('end', () => res.end());
  })
  .listen(3000);
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 14, endColumn: 34 }],
  },
  {
    name: 'a hand-written router over http.createServer: the finding names the row that reaches it',
    code: `
const http = require('http');
const fs = require('fs');

function upload(req, res, params) {
  req.pipe(fs.createWriteStream('uploads/' + params[0]));
  req.on('end', () => res.end());
}
function health(req, res) {
  res.end('ok');
}
const routes = [
  { method: 'GET', path: '/health', handler: health },
  { method: 'PUT', pattern: /^\\/files\\/(\\w+)$/, handler: upload },
];
http
  .createServer((req, res) => {
    for (const route of routes) {
      const match = req.method === route.method && (route.pattern ?? new RegExp('^' + route.path + '$')).exec(req.url);
      if (match) return route.handler(req, res, match.slice(1));
    }
    res.writeHead(404).end();
  })
  .listen(3000);
`,
    errors: [
      {
        messageId: 'diskWrite',
        data: { callee: 'fs.createWriteStream', route: `PUT /^\\/files\\/(\\w+)$/ (${file}:14)` },
        line: 6,
        column: 12,
      },
    ],
  },
  {
    name: 'socket.io: a user file written under a temporary name and renamed into place is one save, reported at the write',
    code: `
import fs from 'fs';
import { Server } from 'socket.io';

class ClientManager {
  saveUser(name: string, data: string) {
    const pathReal = \`users/\${name}.json\`;
    const pathTemp = pathReal + '.tmp';
    fs.writeFileSync(pathTemp, data, { mode: 0o600 });
    fs.renameSync(pathTemp, pathReal);
  }
}
const manager = new ClientManager();
const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('settings', (settings: { name: string }) => {
    manager.saveUser(settings.name, JSON.stringify(settings));
  });
});
`,
    errors: [{ messageId: 'diskWrite', line: 9, column: 5, endColumn: 21 }],
  },
  {
    name: 'socket.io event handler',
    code: `
import { Server } from 'socket.io';
import { appendFile } from 'node:fs/promises';

const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('chat', async (message: string) => {
    await appendFile('chat.log', message);
  });
});
`,
    errors: [{ messageId: 'diskWrite', line: 8, column: 11, endColumn: 21 }],
  },
  {
    name: 'tRPC mutation',
    code: `
import { initTRPC } from '@trpc/server';
import { writeFile } from 'node:fs/promises';

const t = initTRPC.create();
const publicProcedure = t.procedure;

export const appRouter = t.router({
  saveNote: publicProcedure.mutation(async ({ input }) => {
    await writeFile('notes.txt', String(input));
  }),
});
`,
    errors: [{ messageId: 'diskWrite', line: 10, column: 11, endColumn: 20 }],
  },
  {
    name: 'tRPC: a procedure of a router merged under a key is named by its path (`notes.save`), as a client calls it',
    code: `
import { initTRPC } from '@trpc/server';
import { writeFile } from 'node:fs/promises';

const t = initTRPC.create();
const publicProcedure = t.procedure;

const notesRouter = t.router({
  save: publicProcedure.mutation(async ({ input }) => {
    await writeFile('notes.txt', String(input));
  }),
});

export const appRouter = t.router({ notes: notesRouter });
`,
    errors: [{ messageId: 'diskWrite', line: 10, column: 11, endColumn: 20, data: { callee: 'writeFile', route: `tRPC mutation notes.save (${file}:9)` } }],
  },
  {
    name: 'multer({ dest }) stores uploads on disk',
    code: `
import multer from 'multer';

export const upload = multer({ dest: 'uploads/' });
`,
    errors: [{ messageId: 'uploadToDisk', line: 4, column: 32, endColumn: 48, data: { library: 'multer', detail: "`dest: 'uploads/'`" } }],
  },
  {
    name: "fastify-multer({ dest }), multer's port to Fastify, stores a ticket's attachments on disk",
    code: `
import Fastify from 'fastify';
import multer from 'fastify-multer';

const upload = multer({ dest: 'uploads/' });
const app = Fastify();
app.register(multer.contentParser);
app.post('/tickets/:id/files', { preHandler: upload.single('file') }, async () => ({ ok: true }));
`,
    errors: [{ messageId: 'uploadToDisk', line: 5, column: 25, endColumn: 41, data: { library: 'fastify-multer', detail: "`dest: 'uploads/'`" } }],
  },
  {
    name: 'multer.diskStorage',
    code: `
import multer from 'multer';

const storage = multer.diskStorage({
  destination: 'uploads/avatars',
  filename: (req, file, cb) => cb(null, file.originalname),
});
export const upload = multer({ storage });
`,
    errors: [{ messageId: 'uploadToDisk', line: 4, column: 17, endColumn: 35, data: { library: 'multer', detail: '`multer.diskStorage`' } }],
  },
  {
    name: 'formidable({ uploadDir })',
    code: `
import formidable from 'formidable';

export const form = formidable({ uploadDir: 'uploads', keepExtensions: true });
`,
    errors: [{ messageId: 'uploadToDisk', line: 4, column: 34, endColumn: 54, data: { library: 'formidable', detail: "`uploadDir: 'uploads'`" } }],
  },
  {
    name: 'koa-body multipart with formidable.uploadDir',
    code: `
import { koaBody } from 'koa-body';

export const upload = koaBody({ multipart: true, formidable: { uploadDir: 'uploads', keepExtensions: true } });
`,
    errors: [{ messageId: 'uploadToDisk', line: 4, column: 64, endColumn: 84, data: { library: 'koa-body', detail: "`uploadDir: 'uploads'`" } }],
  },
  {
    name: 'a tus server handed @tus/file-store: every upload is appended to a file in that folder',
    code: `
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

export const tus = new Server({ path: '/files', datastore: new FileStore({ directory: './uploads' }) });
`,
    errors: [{ messageId: 'uploadToDisk', line: 5, column: 64, endColumn: 73, data: { library: '@tus/file-store', detail: "`directory: './uploads'`" } }],
  },
  {
    name: 'express-fileupload: useTempFiles, and file.mv() on a request path',
    code: `
import express from 'express';
import fileUpload from 'express-fileupload';

const app = express();
app.use(fileUpload({ useTempFiles: true, tempFileDir: '/tmp/' }));
app.post('/avatar', (req, res) => {
  const avatar = req.files!.avatar as { mv(path: string): Promise<void> };
  void avatar.mv(\`avatars/\${req.body.userId}.png\`);
  res.sendStatus(201);
});
`,
    errors: [
      { messageId: 'uploadToDisk', line: 6, column: 22, endColumn: 40, data: { library: 'express-fileupload', detail: '`useTempFiles: true`' } },
      { messageId: 'diskWrite', line: 9, column: 8, endColumn: 17, data: { callee: 'avatar.mv', route: `POST /avatar (${file}:7)` } },
    ],
  },
  {
    name: 'allowTempFiles: false reports a removed os.tmpdir() file too',
    code: `
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import express from 'express';

const app = express();
app.post('/convert', async (req, res) => {
  const tempFile = path.join(os.tmpdir(), \`upload-\${Date.now()}\`);
  await fs.writeFile(tempFile, req.body);
  try {
    res.send(await fs.readFile(tempFile));
  } finally {
    await fs.unlink(tempFile);
  }
});
`,
    options: [{ allowTempFiles: false }],
    errors: [{ messageId: 'diskWrite', line: 10, column: 9, endColumn: 21, data: { callee: 'fs.writeFile', route: `POST /convert (${file}:8)` } }],
  },
  {
    name: 'Express: a stored picture unlinked by a service function the handler calls',
    code: `
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

function removePicture(filename: string) {
  fs.unlinkSync(path.join('public/images/device', filename));
}

const app = express();
app.delete('/devices/:id', (req, res) => {
  removePicture(req.params.id);
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'diskRemove', line: 7, column: 3, endColumn: 16, data: { callee: 'fs.unlinkSync', route: `DELETE /devices/:id (${file}:11)` } }],
  },
  {
    name: 'Koa: a stored avatar deleted, then its folder removed once empty (`rmdir` without `recursive` removes no data: one finding, at the delete)',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { rmdir, unlink } from 'node:fs/promises';

const router = new Router();
router.delete('/users/:id/avatar', async (ctx) => {
  await unlink(\`uploads/avatars/\${ctx.params.id}/avatar.png\`);
  await rmdir(\`uploads/avatars/\${ctx.params.id}\`);
  ctx.status = 204;
});
new Koa().use(router.routes()).listen(3000);
`,
    errors: [{ messageId: 'diskRemove', line: 8, column: 9, endColumn: 15, data: { callee: 'unlink', route: `DELETE /users/:id/avatar (${file}:7)` } }],
  },
  {
    name: 'Fastify: fs.promises.rm of a task image',
    code: `
import { promises as fsp } from 'node:fs';
import Fastify from 'fastify';

const fastify = Fastify();
fastify.delete('/tasks/:id/image', async (request) => {
  await fsp.rm(\`uploads/tasks/\${(request.params as { id: string }).id}.png\`, { force: true });
  return { ok: true };
});
`,
    errors: [{ messageId: 'diskRemove', line: 7, column: 9, endColumn: 15, data: { callee: 'fsp.rm', route: `DELETE /tasks/:id/image (${file}:6)` } }],
  },
  {
    name: 'Express: fs-extra ensureFile creating a new page in the content folder',
    code: `
import fs from 'fs-extra';
import path from 'node:path';
import express from 'express';

const app = express();
app.post('/pages', async (req, res) => {
  await fs.ensureFile(path.join('content', String(req.body.category), \`\${String(req.body.name)}.md\`));
  res.json({ status: 0 });
});
`,
    errors: [{ messageId: 'diskWrite', line: 8, column: 9, endColumn: 22, data: { callee: 'fs.ensureFile', route: `POST /pages (${file}:7)` } }],
  },
  {
    name: 'Koa + @koa/router: a folder the request names, made and left as it is (the folder is the stored album)',
    code: `
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';

const router = new Router();
router.post('/albums', async (ctx) => {
  const albumDir = path.join(process.env.MEDIA_ROOT ?? 'media', ctx.request.body.title);
  await mkdir(albumDir);
  ctx.status = 201;
});
`,
    errors: [{ messageId: 'diskWrite', line: 9, column: 9, endColumn: 14, data: { callee: 'mkdir', route: `POST /albums (${file}:7)` } }],
  },
  {
    name: 'NestJS controller method creating a project workspace folder from the route parameter',
    code: `
import { Controller, Param, Post } from '@nestjs/common';
import * as fs from 'node:fs';

@Controller('projects')
export class ProjectsController {
  @Post(':slug/workspace')
  create(@Param('slug') slug: string) {
    fs.mkdirSync(\`workspaces/\${slug}\`, { recursive: true });
    return { created: slug };
  }
}
`,
    errors: [{ messageId: 'diskWrite', line: 9, column: 5, endColumn: 17 }],
  },
  {
    name: 'Koa + @koa/router: fs-extra remove of a user folder',
    code: `
import fse from 'fs-extra';
import Router from '@koa/router';

const router = new Router();
router.delete('/users/:id', async (ctx) => {
  await fse.remove(\`data/users/\${ctx.params.id}\`);
  ctx.status = 204;
});
`,
    errors: [{ messageId: 'diskRemove', line: 7, column: 9, endColumn: 19, data: { callee: 'fse.remove', route: `DELETE /users/:id (${file}:6)` } }],
  },
  {
    name: 'NestJS controller method deleting a stored firmware file',
    code: `
import { Controller, Delete, Param } from '@nestjs/common';
import { unlink } from 'node:fs/promises';

@Controller('firmware')
export class FirmwareController {
  @Delete(':name')
  async remove(@Param('name') name: string) {
    await unlink(\`public/firmwares/\${name}\`);
  }
}
`,
    errors: [{ messageId: 'diskRemove', line: 9, column: 11, endColumn: 17, data: { callee: 'unlink', route: `DELETE /firmware/:name (FirmwareController.remove, ${file}:7)` } }],
  },
  {
    name: 'NestJS service: the record of a stored file found by id names a kept file, not the upload\'s temp file',
    code: `
import { Controller, Delete, Injectable, Param } from '@nestjs/common';
import { unlink } from 'node:fs/promises';

@Injectable()
export class FileService {
  constructor(private readonly files: { findOne(query: object): Promise<{ path: string }> }) {}
  async remove(id: number) {
    const file = await this.files.findOne({ where: { id } });
    await unlink(file.path);
  }
}

@Controller('files')
export class FileController {
  constructor(private readonly service: FileService) {}
  @Delete(':id')
  remove(@Param('id') id: string) {
    return this.service.remove(Number(id));
  }
}
`,
    errors: [{ messageId: 'diskRemove', line: 10, column: 11, endColumn: 17, data: { callee: 'unlink', route: `DELETE /files/:id (FileController.remove, ${file}:17)` } }],
  },
  {
    name: 'Hono OpenAPI: app.openapi(createRoute(…), handler) writing with Bun.write',
    code: `
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';

const app = new OpenAPIHono();
const uploadRoute = createRoute({ method: 'post', path: '/images/{id}', responses: {} });
app.openapi(uploadRoute, async (c) => {
  await Bun.write(\`static/images/\${c.req.param('id')}\`, await c.req.blob());
  return c.json({ ok: true });
});
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 9, endColumn: 18, data: { callee: 'Bun.write', route: `POST /images/:id (${file}:6)` } }],
  },
  {
    name: 'socket.io: the installed-plugins record written by the handler that then restarts the server is reported; the plugin linked into node_modules is not',
    code: `
import path from 'node:path';
import { promises as fsp, symlinkSync } from 'node:fs';
import { Server } from 'socket.io';

const hooks = { aCallAll: async (name: string) => name };
const node_modules = path.join(__dirname, 'node_modules');
const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('install', async (name: string) => {
    symlinkSync(path.join('plugin_packages', name), path.join(node_modules, name), 'dir');
    await fsp.writeFile('var/installed_plugins.json', JSON.stringify({ plugins: [name] }));
    await hooks.aCallAll('restartServer');
  });
});
`,
    errors: [{ messageId: 'diskWrite', line: 12, column: 11, endColumn: 24, data: { callee: 'fsp.writeFile', route: `socket event "install" (${file}:10)` } }],
  },
  {
    name: 'Express: a set-up server that closes itself keeps its config write quiet; the main server\'s settings route is reported',
    code: `
import fs from 'node:fs';
import express from 'express';

const setup = express();
const tempServer = setup.listen(3001);
setup.post('/setup-database', (req, res) => {
  fs.writeFileSync('data/db-config.json', JSON.stringify(req.body));
  res.json({ ok: true });
  tempServer.close();
});
const app = express();
app.post('/settings', (req, res) => {
  fs.writeFileSync('data/settings.json', JSON.stringify(req.body));
  res.end();
});
`,
    errors: [{ messageId: 'diskWrite', line: 14, column: 3, endColumn: 19, data: { callee: 'fs.writeFileSync', route: `POST /settings (${file}:13)` } }],
  },
  {
    name: 'Express: the same removal helper given a stored avatar is reported; given the upload\'s temp file it is not',
    code: `
import path from 'node:path';
import { promises as fs } from 'node:fs';
import express from 'express';
import multer from 'multer';

const upload = multer();
const rm = async (file: string) => {
  await fs.unlink(file);
};
const app = express();
app.delete('/avatars/:id', async (req, res) => {
  await rm(path.join('public/avatars', req.params.id));
  res.end();
});
app.post('/imports', upload.single('file'), async (req, res) => {
  await rm(req.file!.path);
  res.end();
});
`,
    errors: [{ messageId: 'diskRemove', line: 9, column: 9, endColumn: 18, data: { callee: 'fs.unlink', route: `DELETE /avatars/:id (${file}:12)` } }],
  },
  {
    name: 'Express: an image downloaded from a URL the request names is reported, beside a fixed document downloaded the same way',
    code: `
import fs from 'node:fs';
import axios from 'axios';
import express from 'express';

const MAPPING_URL = 'https://raw.githubusercontent.com/Anime-Lists/anime-lists/master/anime-list.xml';
const app = express();
app.post('/posters', async (req, res) => {
  const poster = await axios.get(String(req.body.url), { responseType: 'stream' });
  poster.data.pipe(fs.createWriteStream(\`public/posters/\${req.body.id}.jpg\`));
  const mapping = await axios.get(MAPPING_URL, { responseType: 'stream' });
  mapping.data.pipe(fs.createWriteStream('config/anime-list.xml'));
  res.end();
});
`,
    errors: [{ messageId: 'diskWrite', line: 10, column: 20, endColumn: 40, data: { callee: 'fs.createWriteStream', route: `POST /posters (${file}:8)` } }],
  },
  {
    name: "@tus/server given a DataStore of the service's own runs its create and write on the route that calls handle; deleteExpired, which the server's clean-up runs, stays quiet",
    code: `
import express from 'express';
import { DataStore, Server, type Upload } from '@tus/server';
import { createWriteStream, promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';

class ScratchVolumeStore extends DataStore {
  async create(upload: Upload): Promise<Upload> {
    await fs.writeFile(\`/mnt/uploads/\${upload.id}.json\`, JSON.stringify(upload));
    return upload;
  }
  async write(stream: Readable, id: string, offset: number): Promise<number> {
    stream.pipe(createWriteStream(\`/mnt/uploads/\${id}\`, { flags: 'r+', start: offset }));
    return offset;
  }
  async deleteExpired(): Promise<number> {
    await fs.rm('/mnt/uploads/expired', { recursive: true, force: true });
    return 0;
  }
}

const tus = new Server({ path: '/uploads', datastore: new ScratchVolumeStore() });
const app = express();
app.all('/uploads/*', (req, res) => tus.handle(req, res));
`,
    errors: [
      { messageId: 'diskWrite', line: 9, column: 11, endColumn: 23, data: { callee: 'fs.writeFile', route: `ALL /uploads/* (@tus/server runs ScratchVolumeStore.create, ${file}:24)` } },
      { messageId: 'diskWrite', line: 13, column: 17, endColumn: 34, data: { callee: 'createWriteStream', route: `ALL /uploads/* (@tus/server runs ScratchVolumeStore.write, ${file}:24)` } },
    ],
  },
  {
    name: "Express: a working file removed in its function's finally is scratch space (downloaded into, or written before the try); the stored package's removal is reported",
    code: `
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { objects } from './objects';

const app = express();
app.get('/packages/:name/manifest', async (req, res) => {
  const workFile = path.join('data/work', req.params.name + '.json');
  try {
    await objects.download('manifests/' + req.params.name, workFile);
    res.json(JSON.parse(await fs.promises.readFile(workFile, 'utf8')));
  } finally {
    fs.unlink(workFile, () => {});
  }
});
app.put('/packages/:name', async (req, res) => {
  const workFile = path.join('data/work', req.params.name + '.tgz');
  const stream = fs.createWriteStream(workFile);
  try {
    req.pipe(stream);
    res.json({ key: await objects.upload(workFile) });
  } finally {
    fs.unlink(workFile, () => {});
  }
});
app.delete('/packages/:name', (req, res) => {
  fs.unlink(path.join('data/packages', req.params.name + '.tgz'), () => res.sendStatus(204));
});
`,
    errors: [{ messageId: 'diskRemove', line: 28, column: 3, endColumn: 12, data: { callee: 'fs.unlink', route: `DELETE /packages/:name (${file}:27)` } }],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  { name: "Express: knex with the client a setting the branch compared to 'pg' first", code: `
import express from 'express';
import knex from 'knex';

const databaseType = process.env.DATABASE_TYPE || 'pg';
let db: ReturnType<typeof knex>;
if (databaseType === 'pg') {
  db = knex({ client: databaseType, connection: { filename: 'data/app.db' }, useNullAsDefault: true });
} else {
  db = knex({ client: databaseType, connection: process.env.DATABASE_URL });
}
const app = express();
app.post('/notes', express.json(), async (req, res) => {
  await db('notes').insert({ text: String(req.body.text) });
  res.sendStatus(201);
});
app.listen(3000);
` },
  {
    name: 'Koa: the same upload moved under the same name into the temp folder and removed by the same request',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import * as fs from 'fs-extra';
import os from 'node:os';
import path from 'node:path';
import { v4 } from 'uuid';

const router = new Router();
router.post('/assets', async (ctx) => {
  const tmpFile = (ctx.request as unknown as { files: { file: { filepath: string; originalFilename?: string } } }).files.file;
  try {
    const newFileName = v4() + path.extname(tmpFile.originalFilename || '');
    const target = path.join(os.tmpdir(), newFileName);
    await fs.move(tmpFile.filepath, target);
    await fs.remove(target);
    ctx.body = newFileName;
  } finally {
    fs.remove(tmpFile.filepath, () => {});
  }
});
new Koa().use(router.routes()).listen(3000);
`,
  },
  {
    name: "Express: a default settings file the service ships, copied into its settings folder under the same name when it is missing",
    code: `
import express from 'express';
import { copyFileSync, existsSync } from 'fs';
import { join } from 'path';

const SETTINGS_DIR = process.env.SETTINGS_DIR ?? join(process.cwd(), 'settings');

function ensureDefault(name: string) {
  const target = join(SETTINGS_DIR, name);
  if (!existsSync(target)) copyFileSync(join(process.cwd(), 'defaults', name), target);
  return target;
}

const app = express();
app.get('/theme.css', (req, res) => {
  res.sendFile(ensureDefault('theme.css'));
});
`,
  },
  {
    name: "Express: the service's own record file seeded with fixed content when it is missing, at a place its code fixes",
    code: `
import express from 'express';
import * as fs from 'fs';

const RECORD = 'data/uploads.json';
const app = express();
app.get('/uploads', (req, res) => {
  if (!fs.existsSync(RECORD)) {
    const empty = { files: [] };
    fs.writeFileSync(RECORD, JSON.stringify(empty, null, 2));
  }
  res.sendFile(RECORD, { root: process.cwd() });
});
`,
  },
  {
    name: 'Express: reports copied into a folder of the app, archived into the response and removed when it closes, are scratch by their use',
    code: `
import express from 'express';
import { copyFileSync, rmSync } from 'node:fs';
import archiver from 'archiver';

const app = express();
app.get('/reports/:month.zip', (req, res) => {
  const staging = 'var/reports-' + req.params.month;
  copyFileSync('var/ledger.csv', staging);
  const zip = archiver('zip');
  res.on('close', () => {
    rmSync(staging, { force: true });
  });
  zip.pipe(res);
  zip.file(staging, { name: 'ledger.csv' });
  void zip.finalize();
});
`,
  },
  {
    name: 'Express: a temp file a helper writes and returns, removed by its only caller once the converter is done',
    code: `
import express from 'express';
import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';

async function writeTempHtml(html: string): Promise<string> {
  const file = path.join(os.tmpdir(), \`report-\${Date.now()}.html\`);
  await fs.writeFile(file, html);
  return file;
}

const app = express();
app.post('/reports', express.json(), async (req, res) => {
  const input = await writeTempHtml(String(req.body.html));
  execFile('wkhtmltopdf', [input, '-'], { encoding: 'buffer' }, (error, pdf) => {
    rmSync(input, { force: true });
    if (error) res.sendStatus(500);
    else res.type('application/pdf').send(pdf);
  });
});
`,
  },
  {
    name: "Fastify: a file fetched into the temp folder for a thumbnail, removed by the project's own removal helper in a sibling callback of the handler",
    code: `
import Fastify from 'fastify';
import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

const tmpDir = path.join(process.cwd(), 'uploads', 'tmp');
const deleteTmpFile = async (file: string) => {
  await rm(file, { force: true });
};
declare function makeThumbnail(file: string): Promise<void>;

const app = Fastify();
app.post('/files/:name/process', async (request, reply) => {
  const { name } = request.params as { name: string };
  const newPath = path.join(tmpDir, name);
  fetch('https://cdn.example.com/' + name)
    .then(async (res) => {
      await fs.promises.writeFile(newPath, Buffer.from(await res.arrayBuffer()));
    })
    .then(() => makeThumbnail(newPath))
    .catch(() => deleteTmpFile(newPath));
  return reply.code(202).send({ queued: true });
});
`,
  },
  {
    name: "@koa/multer, multer's port to Koa, keeping uploads in memory",
    code: `
import Router from '@koa/router';
import multer from '@koa/multer';

const upload = multer({ storage: multer.memoryStorage() });
const router = new Router();
router.post('/imports', upload.single('csv'), (ctx) => {
  ctx.body = { size: ctx.file.size };
});
`,
  },
  {
    name: "@tus/server given the S3 store of @tus/s3-store: the package's store keeps uploads in the bucket",
    code: `
import express from 'express';
import { Server } from '@tus/server';
import { S3Store } from '@tus/s3-store';

const tus = new Server({ path: '/uploads', datastore: new S3Store({ s3ClientConfig: { bucket: 'uploads', region: 'eu-central-1' } }) });
const app = express();
app.all('/uploads/*', tus.handle.bind(tus));
`,
  },
  {
    name: "a lookup given the request hands back the request's own upload: formidable's parse(req), Fastify's saveRequestFiles",
    code: `
import Fastify from 'fastify';
import formidable from 'formidable';
import { unlink } from 'node:fs/promises';

const app = Fastify();
app.post('/import', async (request) => {
  const files = await request.saveRequestFiles();
  await unlink(files[0].filepath);
  const upload = await formidable({}).parse(request.raw);
  const file = await Promise.resolve(request);
  await unlink(file.filepath);
  return { ok: upload.length };
});
`,
  },
  {
    name: 'a scratch file in a folder the configuration names as temp, removed by the same handler (Fastify)',
    code: `
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Fastify from 'fastify';

const config = { core: { temp_directory: process.env.TEMP_DIRECTORY ?? '/tmp/zipline' } };
const fastify = Fastify();
fastify.get('/api/exif/:id', async (request) => {
  const { id } = request.params as { id: string };
  const file = join(config.core.temp_directory, \`exif-read-\${Date.now()}-\${id}\`);
  await pipeline(await fetch(\`https://files.example.com/\${id}\`).then((r) => r.body!), createWriteStream(file));
  await rm(file);
  return { id };
});
`,
  },
  {
    name: 'upload parsers that keep files in the OS temp folder: formidable, multer dest and a diskStorage without a destination, koa-body (Express, Koa)',
    code: `
import formidable from 'formidable';
import multer from 'multer';
import { koaBody } from 'koa-body';
import Router from '@koa/router';
import express from 'express';
import os from 'node:os';

const tmpDirectory = os.tmpdir();
const app = express();
const scratch = multer({ dest: os.tmpdir() });
const named = multer({ storage: multer.diskStorage({ filename: (req, file, cb) => cb(null, file.originalname) }) });
app.post('/import', scratch.single('file'), named.single('attachment'), async (req, res) => {
  const form = formidable({ uploadDir: tmpDirectory, keepExtensions: true });
  const [, files] = await form.parse(req);
  res.json({ count: Object.keys(files).length });
});
const router = new Router();
router.post('/avatars', koaBody({ multipart: true, formidable: { uploadDir: tmpDirectory } }), (ctx) => {
  ctx.status = 202;
});
`,
  },
  {
    name: 'an os.tmpdir() file removed in the same handler',
    code: `
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import express from 'express';

const app = express();
app.post('/convert', async (req, res) => {
  const tempFile = path.join(os.tmpdir(), \`upload-\${Date.now()}\`);
  await fs.writeFile(tempFile, req.body);
  try {
    res.send(await fs.readFile(tempFile));
  } finally {
    await fs.unlink(tempFile);
  }
});
`,
  },
  {
    name: 'removals of scratch files: a temp path, the upload parser’s temp file, the request’s own upload on failure, a file the handler wrote',
    code: `
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';

type UploadRequest = express.Request & { file: { path: string; filename: string } };
const config = { tmpPath: '/tmp/app' };
const app = express();
app.post('/pictures', (req: UploadRequest, res, next) => {
  fs.unlink(config.tmpPath + '/export.pdf', () => {});
  fs.unlink(req.file.path, () => {});
  try {
    res.json({ ok: true });
  } catch (error) {
    fs.unlinkSync(path.join('public/images', req.file.filename));
    next(error);
  }
});
app.post('/report', async (req, res) => {
  const out = path.join(os.tmpdir(), String(req.body.id));
  fs.writeFileSync(out, String(req.body.text));
  res.download(out, () => fs.unlink(out, () => {}));
});
`,
  },
  {
    name: 'a stored file removed at start-up, not on a request path',
    code: `
import fs from 'node:fs';
import express from 'express';

fs.rmSync('cache', { recursive: true, force: true });
const app = express();
app.get('/', (req, res) => res.send('ok'));
`,
  },
  {
    name: 'Bun.write at start-up, and openapi() of an object that is not an app',
    code: `
import { OpenAPIHono } from '@hono/zod-openapi';

await Bun.write('static/boot.txt', 'ok');
const app = new OpenAPIHono();
const spec = { openapi: (version: string, info: object) => ({ version, info }) };
spec.openapi('3.1.0', { title: 'x' });
app.get('/', (c) => c.text('ok'));
`,
  },
  {
    name: 'multer.memoryStorage()',
    code: `
import multer from 'multer';

export const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 5_000_000 } });
`,
  },
  {
    name: 'fs.readFile in a handler',
    code: `
import fs from 'node:fs/promises';
import express from 'express';

const app = express();
app.get('/terms', async (req, res) => {
  res.type('text/plain').send(await fs.readFile('terms.txt', 'utf8'));
});
`,
  },
  {
    name: 'folders made on a request path to write into, or not named by the request: the write is the finding, not the folder',
    code: `
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import express from 'express';

const app = express();
const exporter = { render: async (dir: string) => dir };
app.post('/exports/:id', async (req, res) => {
  const dir = path.join('exports', req.params.id);
  await fs.mkdir(dir, { recursive: true });
  res.json({ file: await exporter.render(dir) });
});
app.post('/scratch', async (req, res) => {
  await fs.mkdir(path.join(os.tmpdir(), req.body.name), { recursive: true });
  res.sendStatus(204);
});
app.get('/cache/warm', async (req, res) => {
  await fs.mkdir('cache', { recursive: true });
  res.sendStatus(204);
});
`,
  },
  {
    name: 'fs writes at start-up',
    code: `
import fs from 'node:fs';
import express from 'express';

fs.mkdirSync('logs', { recursive: true });
fs.writeFileSync('server.pid', String(process.pid));

const app = express();
app.get('/health', (req, res) => {
  res.send('ok');
});
`,
  },
  {
    name: 'formidable streaming to storage instead of uploadDir',
    code: `
import formidable from 'formidable';
import { PassThrough } from 'node:stream';

export const form = formidable({ uploadDir: 'unused', fileWriteStreamHandler: () => new PassThrough() });
`,
  },
  {
    name: 'koa-body without multipart, or streaming to storage, keeps no upload folder',
    code: `
import { koaBody } from 'koa-body';
import { PassThrough } from 'node:stream';

export const json = koaBody({ multipart: false, formidable: { uploadDir: 'uploads' } });
export const streamed = koaBody({ multipart: true, formidable: { uploadDir: 'uploads', fileWriteStreamHandler: () => new PassThrough() } });
export const plain = koaBody({ formidable: { uploadDir: 'uploads' } });
`,
  },
  {
    name: 'express-fileupload without temp files',
    code: `
import express from 'express';
import fileUpload from 'express-fileupload';

const app = express();
app.use(fileUpload({ useTempFiles: false }));
`,
  },
  {
    name: 'checkUploadMiddleware: false',
    code: `
import multer from 'multer';

export const upload = multer({ dest: 'uploads/' });
`,
    options: [{ checkUploadMiddleware: false }],
  },
  {
    name: 'a plugin manager linking and unlinking packages in node_modules and its plugin-install folder (Koa)',
    code: `
import path from 'node:path';
import { rmSync, symlinkSync, unlinkSync } from 'node:fs';
import Koa from 'koa';
import Router from '@koa/router';

const pluginInstallPath = path.join(__dirname, 'plugin_packages');
const NODE_MODULES = path.join(__dirname, 'node_modules');
const router = new Router();
router.post('/plugins/:name', (ctx) => {
  symlinkSync(path.join(pluginInstallPath, ctx.params.name), path.join(NODE_MODULES, ctx.params.name), 'dir');
  ctx.status = 204;
});
router.delete('/plugins/:name', (ctx) => {
  unlinkSync(path.join(NODE_MODULES, ctx.params.name));
  rmSync(path.join(pluginInstallPath, ctx.params.name), { recursive: true, force: true });
  ctx.status = 204;
});
new Koa().use(router.routes());
`,
  },
  {
    name: 'a one-shot set-up server that closes itself after the set-up request (Express on http.createServer)',
    code: `
import fs from 'node:fs';
import http from 'node:http';
import express from 'express';

declare function startMainServer(): void;
const wizard = express();
const httpServer = http.createServer(wizard);
wizard.post('/setup', (req, res) => {
  fs.writeFileSync('data/db-config.json', JSON.stringify(req.body));
  res.json({ ok: true });
  httpServer.close(() => startMainServer());
});
httpServer.listen(3001);
`,
  },
  {
    name: 'Koa: a removal helper given only the upload\'s temp file and a file in the temp folder, and the upload renamed within its temp folder',
    code: `
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import Koa from 'koa';
import Router from '@koa/router';
import formidable from 'formidable';

declare function importFile(source: string, destination: string): Promise<void>;
const tmpDirectory = os.tmpdir();
const rm = async (file: string) => {
  await fs.unlink(file);
};
const router = new Router();
router.post('/p/:pad/import', async (ctx) => {
  const [, files] = await formidable({ uploadDir: tmpDirectory }).parse(ctx.req);
  let srcFile = files.file![0].filepath;
  const oldSrcFile = srcFile;
  srcFile = path.join(path.dirname(srcFile), path.basename(srcFile, '.bin') + '.txt');
  await fs.rename(oldSrcFile, srcFile);
  const destFile = path.join(tmpDirectory, 'import.html');
  await importFile(srcFile, destFile);
  await rm(srcFile);
  await rm(destFile);
  ctx.status = 204;
});
new Koa().use(router.routes());
`,
  },
  {
    name: 'a fixed public document downloaded to disk by a sync route: piped from axios, and fetched then written (Express, Fastify)',
    code: `
import fs from 'node:fs';
import axios from 'axios';
import express from 'express';
import Fastify from 'fastify';

const MAPPING_URL = 'https://raw.githubusercontent.com/Anime-Lists/anime-lists/master/anime-list.xml';
const app = express();
app.post('/jobs/anime-list/run', async (req, res) => {
  const response = await axios.get(MAPPING_URL, { responseType: 'stream' });
  await new Promise<void>((resolve) => {
    const writer = fs.createWriteStream('config/anime-list.xml');
    writer.on('finish', resolve);
    response.data.pipe(writer);
  });
  res.end();
});
const fastify = Fastify();
fastify.post('/jobs/geoip/run', async () => {
  const body = await (await fetch('https://download.example.org/geoip/country.mmdb')).arrayBuffer();
  await fs.promises.writeFile('data/country.mmdb', Buffer.from(body));
  return { ok: true };
});
`,
  },
];

const writesOnRequestPath = `
import fs from 'node:fs';
import express from 'express';

const app = express();
app.post('/notes', (req, res) => {
  fs.writeFileSync('notes.txt', String(req.body.text));
  res.end();
});
`;

/** Cases whose file name decides what the file is. */
const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: "AdonisJS Lucid: the connection used unless DB_CONNECTION names another is SQLite on a file of the data folder",
    filename: 'config/database.ts',
    code: `
import path from 'node:path';
import Env from '@ioc:Adonis/Core/Env';
import { DatabaseConfig } from '@ioc:Adonis/Lucid/Database';

const databaseConfig: DatabaseConfig = {
  connection: Env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      client: 'sqlite',
      connection: { filename: path.join(Env.get('DATA_DIR', 'data'), 'ferdium.sqlite') },
    },
    mysql: { client: 'mysql', connection: { host: Env.get('DB_HOST', 'localhost') } },
  },
};

export default databaseConfig;
`,
    errors: [{ messageId: 'embeddedDatabase', line: 10, column: 15, endColumn: 23, data: { callee: 'connections.sqlite', library: 'SQLite (Lucid, sqlite)' } }],
  },
  {
    name: 'Next.js route handler export',
    filename: 'app/api/upload/route.ts',
    code: `
import { writeFile } from 'node:fs/promises';

export async function POST(request: Request) {
  const form = await request.formData();
  const file = form.get('file') as File;
  await writeFile(\`public/uploads/\${file.name}\`, Buffer.from(await file.arrayBuffer()));
  return Response.json({ ok: true });
}
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 9, endColumn: 18, data: { callee: 'writeFile', route: 'POST /api/upload (app/api/upload/route.ts:4)' } }],
  },
  {
    name: 'Next.js pages/api default export',
    filename: 'pages/api/feedback.ts',
    code: `
import fs from 'node:fs';
import type { NextApiRequest, NextApiResponse } from 'next';

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  fs.appendFileSync('feedback.log', JSON.stringify(req.body));
  res.status(204).end();
}
`,
    errors: [{ messageId: 'diskWrite', line: 6, column: 3, endColumn: 20 }],
  },
  {
    name: "Next.js 'use server' action",
    filename: 'app/actions.ts',
    code: `
'use server';

import { writeFile } from 'node:fs/promises';

export async function saveDraft(userId: string, text: string) {
  await writeFile(\`drafts/\${userId}.md\`, text);
}
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 9, endColumn: 18 }],
  },
  {
    name: "express-fileupload: a service function handed the upload as a parameter declared `UploadedFile` moves it with `mv`",
    filename: 'src/photos.ts',
    code: `
import express from 'express';
import fileUpload, { type UploadedFile } from 'express-fileupload';
import path from 'node:path';

async function savePhoto(id: string, photo: UploadedFile): Promise<void> {
  await photo.mv(path.join('uploads', \`boat-\${id}.png\`));
}

const app = express();
app.use(fileUpload());
app.post('/boats/:id/photo', async (req, res) => {
  await savePhoto(req.params.id, req.files!.photo as UploadedFile);
  res.status(201).end();
});
`,
    errors: [{ messageId: 'diskWrite', line: 7, column: 9, endColumn: 17, data: { callee: 'photo.mv', route: 'POST /boats/:id/photo (src/photos.ts:12)' } }],
  },
];

const fileNameValid: ValidTestCase<Options>[] = [
  {
    name: 'quiet: an AdonisJS Lucid configuration whose default connection is MySQL (SQLite only when a setting picks it)',
    filename: 'config/database.ts',
    code: `
import path from 'node:path';
import Env from '@ioc:Adonis/Core/Env';
import { DatabaseConfig } from '@ioc:Adonis/Lucid/Database';

const databaseConfig: DatabaseConfig = {
  connection: Env.get('DB_CONNECTION', 'mysql'),
  connections: {
    sqlite: {
      client: 'sqlite',
      connection: { filename: path.join(Env.get('DATA_DIR', 'data'), 'ferdium.sqlite') },
    },
    mysql: { client: 'mysql', connection: { host: Env.get('DB_HOST', 'localhost') } },
  },
};

export default databaseConfig;
`,
  },
  {
    name: "quiet: `mv` on a parameter of the app's own type (a move between two of its own records), not express-fileupload's UploadedFile",
    filename: 'src/moves.ts',
    code: `
import express from 'express';

interface Piece { mv(to: string): Promise<void> }

async function movePiece(piece: Piece): Promise<void> {
  await piece.mv('e4');
}

const app = express();
app.post('/games/:id/moves', async (req, res) => {
  await movePiece(req.body as Piece);
  res.status(201).end();
});
`,
  },
  { name: 'a test file never serves requests', filename: 'src/app.test.ts', code: writesOnRequestPath },
  { name: 'a script never serves requests', filename: 'scripts/seed.ts', code: writesOnRequestPath },
  {
    name: 'untyped analysis stays within one file: the route that calls this helper is in another file',
    filename: 'src/avatar-storage.ts',
    code: readFileSync(fixturePath('cross-file/avatar-storage.ts'), 'utf8'),
  },
];

/** Untyped, across files (`fixtures/untyped-project`, read from disk by the project index). */
const untypedProjectInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: "untyped controller actions by name: yapi's createAction(router, '/api', Controller, item.action, prefix + item.path, item.method) per row of a table keyed by controller; the action no row names stays quiet",
    ...untypedProjectFile('controller-actions/controllers/test.js'),
    errors: [{ messageId: 'diskWrite', line: 8, column: 5, endColumn: 21, data: { callee: 'fs.writeFileSync', route: 'POST /api/test/single/upload (controller-actions/router.js:9)' } }],
  },
  {
    name: "untyped cross-file handler factory: router.put('/avatar', makeAvatarHandler(folder)) in routes/auth.ts (imported through a tsconfig path), the returned handler writes the file",
    ...untypedProjectFile('src/handlers/avatar.ts'),
    errors: [{ messageId: 'diskWrite', line: 6, column: 11, endColumn: 20, data: { callee: 'writeFile', route: 'PUT /api/avatar (src/routes/auth.ts:9)' } }],
  },
  {
    name: 'untyped storage driver: the local implementation of StorageDriver (an S3 one beside it) runs on the Fastify routes that call the decorated `this.storage`; its migrateAll, which no route calls, stays quiet',
    ...untypedProjectFile('storage/drivers/local.driver.ts'),
    errors: [
      { messageId: 'diskWrite', line: 9, column: 11, endColumn: 23, data: { callee: 'fs.writeFile', route: 'PUT /files/:name (storage/app.ts:12)' } },
      { messageId: 'diskRemove', line: 13, column: 11, endColumn: 20, data: { callee: 'fs.unlink', route: 'DELETE /files/:name (storage/app.ts:19)' } },
    ],
  },
  {
    name: "untyped ES5 store picked by require('./stores/' + type): the file store's set runs on the Express route that calls this.store.set",
    ...untypedProjectFile('legacy/stores/file.js'),
    errors: [{ messageId: 'diskWrite', line: 8, column: 3, endColumn: 19, data: { callee: 'fs.writeFileSync', route: 'POST /documents/:id (legacy/documents.js:16)' } }],
  },
  {
    name: 'untyped constructor functions: the registry storage made by `Storage(config)` (guarded against a missing `new`) makes its own tarball store (`this.tarballs = new TarballStore(dir)`) and is handed to a module factory of routes',
    ...untypedProjectFile('legacy-registry/tarball-store.js'),
    errors: [{ messageId: 'diskWrite', line: 9, column: 13, endColumn: 33, data: { callee: 'fs.createWriteStream', route: 'PUT /:name/-/:file (legacy-registry/api.js:13)' } }],
  },
  {
    name: 'untyped Fastify: a function a plugin decorates, called through the instance the request carries (`request.server.archive(…)`)',
    ...untypedProjectFile('fastify-carried/plugins/archive.js'),
    errors: [{ messageId: 'diskWrite', line: 7, column: 11, endColumn: 32, data: { callee: 'fs.promises.writeFile', route: 'PUT /drafts/:name (fastify-carried/routes/drafts.js:2)' } }],
  },
  {
    name: "untyped ES5 inheritance: the registry's metadata store takes `write` from its base through `util.inherits`, and the storage calls it on the instance",
    ...untypedProjectFile('legacy-registry/json-file.js'),
    errors: [{ messageId: 'diskWrite', line: 9, column: 3, endColumn: 15, data: { callee: 'fs.writeFile', route: 'PUT /:name (legacy-registry/api.js:6)' } }],
  },
  {
    name: "untyped controller module wrapped member by member: app.post('/users/:id/avatar', avatarsController.postAvatar) where avatarsController = wrapController(avatarsControllerRaw); seedAvatars, which no route names, stays quiet",
    ...untypedProjectFile('wrapped/avatars.controller.ts'),
    errors: [{ messageId: 'diskWrite', line: 5, column: 9, endColumn: 30, data: { callee: 'fs.promises.writeFile', route: 'POST /users/:id/avatar (wrapped/app.ts:9)' } }],
  },
  {
    name: 'untyped CommonJS barrel: socket handlers destructure renameCardback from module.exports = Object.assign({}, chat, cardbacks)',
    ...untypedProjectFile('legacy/socket/events/cardbacks.js'),
    errors: [{ messageId: 'diskWrite', line: 4, column: 3, endColumn: 14, data: { callee: 'fs.copyFile', route: 'socket connection (legacy/socket/index.js:4) and 1 other handler' } }],
  },
  {
    name: "untyped monorepo: the storage package's saveUpload (main: dist/, imported from its src/ by `export *`) runs on the server package's POST /files; exportAll, which no route calls, stays quiet",
    ...untypedMonorepoFile('packages/storage/src/local.ts'),
    errors: [{ messageId: 'diskWrite', line: 4, column: 3, endColumn: 19, data: { callee: 'fs.writeFileSync', route: 'POST /files (packages/server/src/app.ts:6)' } }],
  },
  {
    name: "untyped, no workspace: the shared folder the server depends on by `file:../common` (main: dist/, read from its src/) has saveRecord run on the server's POST /records; exportAll, which no route calls, stays quiet",
    ...untypedLocalPackagesFile('common/src/records.ts'),
    errors: [{ messageId: 'diskWrite', line: 4, column: 3, endColumn: 19, data: { callee: 'fs.writeFileSync', route: 'POST /records (server/src/app.ts:6)' } }],
  },
  {
    name: "untyped services wired at module scope: the controller's `this.eventEmitter`, handed the module's emitter by `new InstanceController(waMonitor, eventEmitter)`, runs the listener the monitor registered on the same emitter, handed by `new MonitorService(eventEmitter)`",
    ...untypedProjectFile('wired-services/monitor.service.ts'),
    errors: [{ messageId: 'diskRemove', line: 10, column: 5, endColumn: 11, data: { callee: 'rmSync', route: 'DELETE /instance/:name (wired-services/app.ts:7)' } }],
  },
  {
    name: "untyped DI container: the route's `Container.get(ScriptService)` (typedi) hands out the service whose `save` writes; `backup`, which no route calls, stays quiet",
    ...untypedProjectFile('container-services/script.service.ts'),
    errors: [{ messageId: 'diskWrite', line: 7, column: 11, endColumn: 20, data: { callee: 'writeFile', route: 'PUT /scripts (container-services/app.ts:7)' } }],
  },
  {
    name: "untyped static dispatch: `this.runTask()` in the base job's static `start`, called as `BackupJob.start()`, runs the subclass's static override",
    ...untypedProjectFile('wired-services/backup.job.ts'),
    errors: [{ messageId: 'diskWrite', line: 6, column: 5, endColumn: 21, data: { callee: 'fs.writeFileSync', route: 'POST /tasks/backup (wired-services/app.ts:11)' } }],
  },
  {
    name: "untyped dispatch table: the API middleware calls the handler its object of APIs holds under the URL's name (`apis[apiName]`), the object spread from two modules, one spreading a third's default export",
    ...untypedProjectFile('dispatch-tables/lang-apis.ts'),
    errors: [{ messageId: 'diskRemove', line: 5, column: 11, endColumn: 13, data: { callee: 'rm', route: 'middleware for all routes (dispatch-tables/server.ts:9)' } }],
  },
  {
    name: "untyped worker thread: the route starts `new Worker(path.join(__dirname, 'workers', 'export.worker.js'))`, whose module scope runs the export that writes the file",
    ...untypedProjectFile('worker-threads/workers/export.worker.ts'),
    errors: [{ messageId: 'diskWrite', line: 6, column: 3, endColumn: 19, data: { callee: 'fs.writeFileSync', route: 'POST /exports/:id (worker-threads/app.ts:7)' } }],
  },
  {
    name: "untyped worker thread named by a task table's row: the route hands `addTask` a row, whose `new Worker(task.path)` may run any file the imported table names",
    ...untypedProjectFile('worker-table/tasks/backup-task.js'),
    errors: [{ messageId: 'diskWrite', line: 4, column: 9, endColumn: 21, data: { callee: 'fs.writeFile', route: 'POST /backup (worker-table/server.js:6)' } }],
  },
  {
    name: "untyped module object: `const self = { onHold: new Set() }`, then `self.upload = …` and `self.store = …` at module scope and `module.exports = self`: the route's `upload.upload` runs the assigned handler, and its `self.store(…)` the assigned writer",
    ...untypedProjectFile('module-objects/controllers/upload.js'),
    errors: [{ messageId: 'diskWrite', line: 15, column: 9, endColumn: 30, data: { callee: 'fs.promises.writeFile', route: 'POST /api/upload (module-objects/app.js:6)' } }],
  },
  {
    name: 'untyped dispatch table: a method of the spread object is a handler of the same middleware',
    ...untypedProjectFile('dispatch-tables/admin-apis.ts'),
    errors: [{ messageId: 'diskWrite', line: 7, column: 11, endColumn: 20, data: { callee: 'writeFile', route: 'middleware for all routes (dispatch-tables/server.ts:9)' } }],
  },
  {
    name: "untyped AdonisJS: a controller a route names in a sub-folder ('Api/ServiceController.edit') moves the uploaded icon into this instance's folder; the unrouted move stays quiet",
    ...untypedProjectFile('adonis/app/Controllers/Http/Api/ServiceController.ts'),
    errors: [{ messageId: 'diskWrite', line: 5, column: 11, endColumn: 20, data: { callee: 'icon.move', route: 'PUT /v1/service/:id (adonis/start/routes.ts:5)' } }],
  },
];

const untypedProjectValid: ValidTestCase<Options>[] = [
  { name: 'untyped: a listener of the same event on another emitter handed at module scope (the audit bus) is not run by the emit on the main one', ...untypedProjectFile('wired-services/audit.cleanup.ts') },
  { name: 'untyped: a static of the same name in a class outside the job hierarchy is not what `this.runTask()` runs', ...untypedProjectFile('wired-services/digest.ts') },
  { name: 'untyped: a table of tasks that only start-up runs by name is no dispatch table of a route', ...untypedProjectFile('dispatch-tables/maintenance.ts') },
  { name: 'untyped: a worker thread start-up starts is no request', ...untypedProjectFile('worker-threads/workers/index.worker.ts') },
  { name: 'untyped monorepo: a copy of the storage package in a folder the workspace does not list is no package of it: no route reaches it', ...untypedMonorepoFile('vendor-copies/storage/src/local.ts') },
  { name: 'untyped, no workspace: a copy of the shared folder that nothing depends on by a local path is a project of its own: no route reaches it', ...untypedLocalPackagesFile('common-old/src/index.ts') },
  { name: 'untyped: a controller module handed to a function that only lists its keys is not wrapped member by member: its route reaches nothing', ...untypedProjectFile('wrapped/reports.controller.ts') },
  { name: 'the remote implementation of the same storage interface writes nothing locally', ...untypedProjectFile('storage/drivers/s3.driver.ts') },
  { name: 'the redis store of the same family writes nothing locally', ...untypedProjectFile('legacy/stores/redis.js') },
  { name: "untyped module object: a function's own local `self`, whose `run` writes a file, is not the module object the route's `exportsCtl.run` names", ...untypedProjectFile('module-objects/controllers/exports.js') },
  {
    name: 'a Logger with a file and a console implementation is not a storage backend: its log file stays quiet untyped on PUT /files/:name',
    ...untypedProjectFile('storage/loggers.ts'),
  },
  { name: 'untyped: a file written into a git working copy the same function commits and pushes (simple-git), on a ts-rest route', ...untypedProjectFile('ts-rest/dal/quotes.ts') },
];

createUntypedRuleTester().run('no-local-disk-write', rule, {
  valid: [...sameFileValid, ...fileNameValid, ...untypedProjectValid],
  invalid: [...sameFileInvalid('file.ts'), ...fileNameInvalid, ...untypedProjectInvalid],
});

createTypedRuleTester().run('no-local-disk-write (typed)', rule, {
  valid: [
    ...sameFileValid,
    {
      name: 'cross-file: a controller module handed to a function that only lists its keys is not wrapped member by member',
      filename: fixturePath('wrapped-controllers/reports.controller.ts'),
      code: readFileSync(fixturePath('wrapped-controllers/reports.controller.ts'), 'utf8'),
    },
  ],
  invalid: [
    {
      name: 'cross-file: a controller module wrapped member by member (wrapController(avatarsControllerRaw)), whose record type has no declarations; seedAvatars stays quiet',
      filename: fixturePath('wrapped-controllers/avatars.controller.ts'),
      code: readFileSync(fixturePath('wrapped-controllers/avatars.controller.ts'), 'utf8'),
      errors: [{ messageId: 'diskWrite', line: 5, column: 9, endColumn: 30, data: { callee: 'fs.promises.writeFile', route: 'POST /users/:id/avatar (src/rules/fixtures/wrapped-controllers/app.ts:9)' } }],
    },
    ...sameFileInvalid('src/rules/fixtures/file.ts'),
    {
      name: 'cross-file: PUT /avatar in routes.ts calls saveAvatar() here',
      filename: fixturePath('cross-file/avatar-storage.ts'),
      code: readFileSync(fixturePath('cross-file/avatar-storage.ts'), 'utf8'),
      errors: [
        { messageId: 'diskWrite', line: 5, column: 9, endColumn: 18, data: { callee: 'writeFile', route: 'PUT /avatar (src/rules/fixtures/cross-file/routes.ts:17)' } },
      ],
    },
    {
      name: 'storage interface: Koa route calls store.put on a BlobStore that is LocalStore unless a bucket is configured',
      filename: fixturePath('storage/local-store.ts'),
      code: readFileSync(fixturePath('storage/local-store.ts'), 'utf8'),
      errors: [{ messageId: 'diskWrite', line: 9, column: 11, endColumn: 20, data: { callee: 'writeFile', route: 'PUT /blobs/:key (src/rules/fixtures/storage/routes.ts:11)' } }],
    },
    {
      name: "Fastify decoration: fastify.decorate('fileManager', createFileManager()) with a type the checker cannot see; the route calls the factory's move through `const { fileManager } = fastify`, start-up mkdir stays quiet",
      filename: fixturePath('storage/file-manager.ts'),
      code: readFileSync(fixturePath('storage/file-manager.ts'), 'utf8'),
      errors: [{ messageId: 'diskWrite', line: 17, column: 13, endColumn: 31, data: { callee: 'fs.promises.rename', route: 'POST /images/:name/publish (src/rules/fixtures/storage/images.ts:9)' } }],
    },
  ],
});
