// fixProject on real temp projects: a fix that adds a type error is taken back, and the report says so.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeInstalledProjects, removeProject, writeInstalledProject, writeProject } from './testing/disk-project';
import { fixProject, Project } from './project';



const roots: string[] = [];
afterAll(() => {
  removeInstalledProjects();
  roots.forEach(removeProject);
});

const REPORTS_TS = `import fs from 'node:fs';
import express from 'express';
export const app = express();
app.post('/reports/:id', async (req, res) => {
  await fs.promises.writeFile(\`reports/\${req.params.id}.txt\`, String(req.body));
  res.status(201).end();
});
`;

const tsconfig = (extra: Record<string, unknown>): string => JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'], ...extra }, include: ['src'] });

const BYTES_READ_TS = `import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
const UPLOAD_DIR = path.join(__dirname, 'uploads');
export const app = express();
app.post('/files/:name', (req, res) => {
  req.pipe(fs.createWriteStream(path.join(UPLOAD_DIR, req.params.name))).on('finish', () => res.status(201).end());
});
app.get('/files/:name', (req, res) => {
  const stream = fs.createReadStream(path.join(UPLOAD_DIR, req.params.name));
  stream.on('end', () => console.log(stream.bytesRead)).pipe(res);
});
`;

// @koa/multer's typings (as published for it): a file has no `stream`, the engine's callbacks take a
// whole file and an `Error`. The object store's engine must stand in for its disk storage there too.
const KOA_MULTER_DTS = `declare module '@koa/multer' {
  import type { IncomingMessage } from 'node:http';
  namespace multer {
    interface File { fieldname: string; originalname: string; encoding: string; mimetype: string; size: number; destination: string; filename: string; path: string; buffer: Buffer }
    interface StorageEngine {
      _handleFile(req: IncomingMessage, file: File, callback: (error?: any, info?: File) => void): void;
      _removeFile(req: IncomingMessage, file: File, callback: (error: Error) => void): void;
    }
    interface DiskStorageOptions {
      destination?: string | ((req: IncomingMessage, file: File, callback: (error: Error | null, destination: string) => void) => void);
      filename?(req: IncomingMessage, file: File, callback: (error: Error | null, filename: string) => void): void;
    }
    function diskStorage(options: DiskStorageOptions): StorageEngine;
  }
  function multer(options?: { storage?: multer.StorageEngine }): { single(field: string): unknown };
  export = multer;
}
`;
const KOA_UPLOAD_TS = `import fs from 'node:fs';
import path from 'node:path';
import multer from '@koa/multer';
const UPLOAD_DIR = process.env.UPLOAD_DIR || path.join(__dirname, 'uploads');
const EXTENSIONS: Record<string, string> = { 'image/png': '.png' };
const storage = multer.diskStorage({
  destination: (_req, _file, cb) => cb(null, UPLOAD_DIR),
  filename: (_req, file, cb) => cb(null, \`\${Date.now()}\${EXTENSIONS[file.mimetype] || ''}\`),
});
export const upload = multer({ storage });
export function open(name: string): fs.ReadStream {
  return fs.createReadStream(path.join(UPLOAD_DIR, name));
}
`;

describe('fixProject: @koa/multer disk storage under its own typings', () => {
  it("the object store's engine type-checks as its storage engine, and a filename callback still reads `file.mimetype`", () => {
    const dir = writeInstalledProject({ 'package.json': '{ "name": "photos" }\n', 'tsconfig.json': tsconfig({}), 'src/koa-multer.d.ts': KOA_MULTER_DTS, 'src/upload.ts': KOA_UPLOAD_TS });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused.map((fix) => fix.reason)).toEqual([]);
    expect(project.changedFiles().find((change) => change.fileName === `${dir}/src/upload.ts`)?.after).toBe(
      KOA_UPLOAD_TS.replace("import fs from 'node:fs';\n", '')
        .replace("import multer from '@koa/multer';\n", "import multer from '@koa/multer';\nimport { objectStorage, objectStore } from './scaling/object-store';\nimport { Readable } from 'node:stream';\n")
        .replace('const storage = multer.diskStorage({', 'const storage = objectStorage({')
        .replace('export function open(name: string): fs.ReadStream {\n  return fs.createReadStream(', 'export function open(name: string): Readable {\n  return objectStore.createReadStream('),
    );
  }, 120_000);
});

describe('fixProject: safe to run', () => {
  it('a file read back from the store is still a Response body, as the bytes fs.readFile gave were (route handlers answer with them)', () => {
    const photos = `import fs from 'node:fs';
import path from 'node:path';
const UPLOAD_DIR = path.join(__dirname, 'uploads');
export async function POST(request: Request): Promise<Response> {
  await fs.promises.writeFile(path.join(UPLOAD_DIR, 'wall.png'), Buffer.from(await request.arrayBuffer()));
  return new Response(null, { status: 201 });
}
export async function GET(): Promise<Response> {
  const bytes = await fs.promises.readFile(path.join(UPLOAD_DIR, 'wall.png'));
  return new Response(bytes, { headers: { 'Content-Type': 'image/png' } });
}
`;
    const dir = writeInstalledProject({ 'package.json': '{ "name": "photos" }\n', 'tsconfig.json': tsconfig({ lib: ['ES2022', 'DOM'] }), 'src/app/api/photos/route.ts': photos });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused.map((fix) => fix.reason)).toEqual([]);
    expect(project.changedFiles().find((change) => change.fileName === `${dir}/src/app/api/photos/route.ts`)?.after).toContain("  const bytes = await objectStore.getFile(path.join(UPLOAD_DIR, 'wall.png'));\n  return new Response(bytes, { headers: { 'Content-Type': 'image/png' } });\n");
  }, 120_000);

  it('refuses a fix whose result has a type error the project did not have, and keeps the texts as they were', () => {
    // The fix streams from the store: a Readable, which has no `bytesRead` (an fs stream's).
    const dir = writeInstalledProject({ 'package.json': '{ "name": "attachments" }\n', 'tsconfig.json': tsconfig({}), 'src/app.ts': BYTES_READ_TS });
    const project = new Project(dir);
    expect(project.hasTypeScript()).toBe(true);
    const outcome = fixProject(project);
    expect(outcome.applied).toEqual([]);
    expect(outcome.refused.map((fix) => [fix.ruleId, fix.line, fix.reason])).toEqual([['no-local-disk-write', 7, "it adds a type error: src/app.ts:11:45 TS2339 Property 'bytesRead' does not exist on type 'Readable'."]]);
    expect(project.changedFiles()).toEqual([]);
  }, 120_000);

  it('takes out the import the fix leaves unused, so a project with noUnusedLocals still type-checks', () => {
    const dir = writeInstalledProject({ 'package.json': '{ "name": "reports" }\n', 'tsconfig.json': tsconfig({ noUnusedLocals: true }), 'src/app.ts': REPORTS_TS });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => fix.notes)).toEqual([["removes `import fs from 'node:fs'` (src/app.ts:1): `fs` has no use left after the fix"]]);
    expect(project.changedFiles().find((change) => change.fileName === `${dir}/src/app.ts`)?.after.split('\n').slice(0, 2)).toEqual(["import express from 'express';", "import { objectStore } from './scaling/object-store';"]);
  }, 120_000);

  it('applies the same fix when the result type-checks, and says what it touched', () => {
    const dir = writeInstalledProject({ 'package.json': '{ "name": "reports" }\n', 'tsconfig.json': tsconfig({}), 'src/app.ts': REPORTS_TS });
    const outcome = fixProject(new Project(dir));
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied).toEqual([
      {
        ruleId: 'no-local-disk-write',
        fileName: `${dir}/src/app.ts`,
        line: 5,
        message: 'Keep the files in the object store (S3) instead (src/scaling/object-store.ts)',
        files: [
          { fileName: `${dir}/package.json`, created: false },
          { fileName: `${dir}/src/app.ts`, created: false },
          { fileName: `${dir}/src/scaling/object-store.ts`, created: true },
        ],
        dependencies: [
          { name: '@aws-sdk/client-s3', version: expect.any(String) as unknown as string },
          { name: '@aws-sdk/lib-storage', version: expect.any(String) as unknown as string },
        ],
        environment: ['S3_ACCESS_KEY_ID', 'S3_BUCKET', 'S3_ENDPOINT', 'S3_REGION', 'S3_SECRET_ACCESS_KEY'],
        notes: ["removes `import fs from 'node:fs'` (src/app.ts:1): `fs` has no use left after the fix"],
      },
    ]);
  }, 120_000);

  // A service layer that declares its return types: `stream: fs.ReadStream` would not hold the store's Readable.
  const ATTACHMENTS_TS = `import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
const UPLOAD_DIR = path.join(__dirname, 'uploads');
export async function open(name: string): Promise<{ name: string; stream: fs.ReadStream }> {
  return { name, stream: fs.createReadStream(path.join(UPLOAD_DIR, name)) };
}
export const app = express();
app.post('/files/:name', (req, res) => {
  req.pipe(fs.createWriteStream(path.join(UPLOAD_DIR, req.params.name))).on('finish', () => res.status(201).end());
});
app.get('/files/:name', async (req, res) => {
  const { stream } = await open(req.params.name);
  stream.pipe(res);
});
`;

  it('in a monorepo, gives a workspace package the adapter and the dependencies its code imports, not the workspace root', () => {
    const dir = writeInstalledProject({
      'package.json': '{ "name": "shop", "private": true, "workspaces": ["packages/*"] }\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] }, include: ['packages'] }),
      'packages/api/package.json': '{ "name": "@shop/api", "dependencies": { "express": "^4.21.0" } }\n',
      'packages/api/src/app.ts': REPORTS_TS,
      // Sets the module system of its folder only: not a package of its own.
      'packages/api/src/jobs/package.json': '{ "type": "commonjs" }\n',
      'packages/api/src/jobs/export.ts': REPORTS_TS.replace("'/reports/:id'", "'/exports/:id'"),
    });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => fix.files.map((file) => `${file.fileName.slice(dir.length + 1)}${file.created ? ' (created)' : ''}`))).toEqual([
      ['packages/api/package.json', 'packages/api/src/app.ts', 'packages/api/src/scaling/object-store.ts (created)'],
      ['packages/api/src/jobs/export.ts'],
    ]);
    const changed = new Map(project.changedFiles().map((change) => [change.fileName.slice(dir.length + 1), change.after]));
    expect([...changed.keys()]).toEqual(['packages/api/package.json', 'packages/api/src/app.ts', 'packages/api/src/jobs/export.ts', 'packages/api/src/scaling/object-store.ts']);
    expect(changed.get('packages/api/src/jobs/export.ts')).toContain("import { objectStore } from '../scaling/object-store';");
    expect(Object.keys((JSON.parse(changed.get('packages/api/package.json')!) as { dependencies: Record<string, string> }).dependencies)).toEqual(['@aws-sdk/client-s3', '@aws-sdk/lib-storage', 'express']);
  }, 120_000);

  it('beside the S3 client the project pins, the streaming upload package is added at most at that version, whose peer the pin satisfies', () => {
    const dir = writeProject({
      'package.json': '{ "name": "reports", "dependencies": { "@aws-sdk/client-s3": "3.1011.0", "express": "^4.21.0" } }\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: [] }, include: ['src'] }),
      'src/app.ts': REPORTS_TS,
    });
    roots.push(dir);
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.applied.map((fix) => fix.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`))).toEqual([['@aws-sdk/lib-storage@<=3.1011.0']]);
    const manifest = JSON.parse(project.changedFiles().find((change) => change.fileName.endsWith('/package.json'))!.after) as { dependencies: Record<string, string> };
    expect(manifest.dependencies).toEqual({ '@aws-sdk/client-s3': '3.1011.0', '@aws-sdk/lib-storage': '<=3.1011.0', express: '^4.21.0' });
  }, 120_000);

  it('a service of a monorepo: its own code is fixed, a workspace package it imports is not changed (other apps run it too), and the refusal says so', () => {
    const dir = writeProject({
      'package.json': '{ "name": "shop", "private": true, "workspaces": ["apps/*", "packages/*"] }\n',
      'apps/api/package.json': '{ "name": "@shop/api", "dependencies": { "@shop/templates": "*" } }\n',
      'apps/api/tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: [] }, include: ['src'] }),
      'apps/api/src/app.ts': `import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { renderTemplate } from '@shop/templates';

createServer((req, res) => {
  const banner = readFileSync('banner.txt', 'utf8');
  res.end(banner + renderTemplate('home'));
}).listen(3000);
`,
      'packages/templates/package.json': '{ "name": "@shop/templates", "main": "src/index.ts" }\n',
      'packages/templates/src/index.ts': `import { readFileSync } from 'node:fs';

export function renderTemplate(name: string): string {
  return readFileSync(\`templates/\${name}.html\`, 'utf8');
}
`,
    });
    roots.push(dir);
    const outcome = fixProject(new Project(`${dir}/apps/api`));
    expect(outcome.applied.map((fix) => `${fix.fileName.slice(dir.length + 1)}:${fix.line}`)).toEqual(['apps/api/src/app.ts:6']);
    expect(outcome.refused.map((fix) => `${fix.fileName.slice(dir.length + 1)}:${fix.line} ${fix.reason}`)).toEqual([
      "packages/templates/src/index.ts:4 it changes `../../packages/templates/src/index.ts`, outside this project's folder: other apps of the repository may run that code too, and would change with it. Fix it from the project that folder belongs to",
    ]);
  }, 120_000);

  it('a plugin folder whose package.json only describes it (a name, no dependencies, nothing installed) is part of the app: the adapter and the dependencies go to the app', () => {
    const dir = writeInstalledProject({
      'package.json': '{ "name": "bot-api", "dependencies": { "express": "^4.21.0" } }\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }),
      'src/app.ts': REPORTS_TS,
      // Read by the app's plugin loader for the plugin's name and version; nothing installs it.
      'src/plugins/exports/package.json': '{ "name": "bot-plugin-exports", "version": "1.0.0", "description": "Exports for the bot", "dependencies": {} }\n',
      'src/plugins/exports/index.ts': REPORTS_TS.replace("'/reports/:id'", "'/exports/:id'"),
    });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    const changed = new Map(project.changedFiles().map((change) => [change.fileName.slice(dir.length + 1), change.after]));
    expect([...changed.keys()].sort()).toEqual(['package.json', 'src/app.ts', 'src/plugins/exports/index.ts', 'src/scaling/object-store.ts']);
    expect(changed.get('src/plugins/exports/index.ts')).toContain("import { objectStore } from '../../scaling/object-store';");
  }, 120_000);

  it('puts the adapters in the folder the tsconfig compiles (`server/`), where tsc accepts them and the build output keeps its layout', () => {
    const HITS_TS = "import express from 'express';\nconst app = express();\nlet hits = 0;\napp.get('/hits', (req, res) => {\n  hits++;\n  res.json({ hits });\n});\napp.listen(3000);\n";
    const options = { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'], outDir: 'dist' };
    const placed = (compilerOptions: Record<string, unknown>, include: string[], extra: Record<string, string> = {}) => {
      const dir = writeInstalledProject({ 'package.json': '{ "name": "hits" }\n', 'tsconfig.json': JSON.stringify({ compilerOptions, include }), 'server/app.ts': HITS_TS, ...extra });
      const outcome = fixProject(new Project(dir));
      return { refused: outcome.refused.map((fix) => fix.reason), files: outcome.applied.flatMap((fix) => fix.files.map((file) => file.fileName.slice(dir.length + 1))) };
    };
    const inServer = { refused: [], files: ['package.json', 'server/app.ts', 'server/scaling/counter.ts', 'server/scaling/redis.ts'] };
    // `rootDir: "server"`: tsc refused src/scaling (TS6059), so the fix was taken back.
    expect(placed({ ...options, rootDir: 'server' }, ['server'])).toEqual(inServer);
    // No rootDir: src/scaling would have moved the build to dist/server/app.js.
    expect(placed(options, ['server'])).toEqual(inServer);
    // A configured adapterDir is where they go; sources at the root keep the default.
    expect(placed(options, ['server'], { 'stateless.config.json': '{ "adapterDir": "server/lib/redis" }' }).files).toEqual(['package.json', 'server/app.ts', 'server/lib/redis/counter.ts', 'server/lib/redis/redis.ts']);
    expect(placed(options, ['server', 'index.ts'], { 'index.ts': "import './server/app';\n" }).files).toEqual(['package.json', 'server/app.ts', 'src/scaling/counter.ts', 'src/scaling/redis.ts']);
    // No tsconfig at the root: the server's own (server/tsconfig.json) beside a front end's src/ with one of its own.
    const split = writeInstalledProject({
      'package.json': '{ "name": "hits", "type": "commonjs" }\n',
      'server/tsconfig.json': JSON.stringify({ compilerOptions: { ...options, noEmit: true }, include: ['.'] }),
      'server/app.ts': HITS_TS,
      'src/tsconfig.json': JSON.stringify({ compilerOptions: { jsx: 'react-jsx', strict: true }, include: ['.'] }),
      'src/index.ts': 'export const title = "hits";\n',
    });
    const outcome = fixProject(new Project(split));
    expect(outcome.applied.flatMap((fix) => fix.files.map((file) => file.fileName.slice(split.length + 1)))).toEqual(['package.json', 'server/app.ts', 'server/scaling/counter.ts', 'server/scaling/redis.ts']);
  }, 120_000);

  it("applies the disk fix when a declared return type names fs.ReadStream: it names the store's Readable, and the result type-checks", () => {
    const dir = writeInstalledProject({ 'package.json': '{ "name": "attachments" }\n', 'tsconfig.json': tsconfig({}), 'src/app.ts': ATTACHMENTS_TS });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => [fix.ruleId, fix.line])).toEqual([['no-local-disk-write', 10]]);
    // `fs` has no use left: its import goes.
    expect(project.changedFiles().find((change) => change.fileName === `${dir}/src/app.ts`)?.after.split('\n').slice(2, 7)).toEqual([
      "import { objectKey, objectStore } from './scaling/object-store';",
      "import { Readable } from 'node:stream';",
      "const UPLOAD_DIR = path.join(__dirname, 'uploads');",
      'export async function open(name: string): Promise<{ name: string; stream: Readable }> {',
      '  return { name, stream: objectStore.createReadStream(path.join(UPLOAD_DIR, name)) };',
    ]);
  }, 120_000);

  it('still refuses it when the caller reads what only fs streams have (`stream.bytesRead`)', () => {
    const reads = ATTACHMENTS_TS.replace('  stream.pipe(res);', "  stream.on('end', () => console.log(stream.bytesRead)).pipe(res);");
    const dir = writeInstalledProject({ 'package.json': '{ "name": "attachments" }\n', 'tsconfig.json': tsconfig({}), 'src/app.ts': reads });
    const outcome = fixProject(new Project(dir));
    expect(outcome.applied).toEqual([]);
    expect(outcome.refused.map((fix) => fix.reason)).toEqual(["it adds a type error: src/app.ts:15:45 TS2339 Property 'bytesRead' does not exist on type 'Readable'."]);
  }, 120_000);

  it('fixes two findings of one message in one file in the same run (two limiters), so a second run plans nothing', () => {
    const limits = `import rateLimit from 'express-rate-limit';
export const apiLimiter = rateLimit({ windowMs: 60 * 1000, limit: 100 });
export const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });
`;
    const dir = writeInstalledProject({ 'package.json': '{ "name": "limits" }\n', 'tsconfig.json': tsconfig({}), 'src/limits.ts': limits });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => [fix.ruleId, fix.line])).toEqual([
      ['no-in-memory-counter', 2],
      ['no-in-memory-counter', 3],
    ]);
    writeFixed(project, dir);
    writeFixed(project, dir);
    expect(fixProject(new Project(dir))).toEqual({ applied: [], refused: [] });
  }, 120_000);

  it('a refusal names places by the original line numbers, also after an earlier fix added lines above them', () => {
    const app = `const express = require('express');
const app = express();
const sessions = new Map();
let served = 0;
process.on('SIGHUP', () => { served = 0; });
app.post('/login', (req, res) => { sessions.set(req.body.id, { at: Date.now() }); res.end(); });
app.get('/me', (req, res) => { served++; res.json({ session: sessions.get(req.query.id), served }); });
module.exports = app;
`;
    const dir = writeInstalledProject({ 'package.json': '{ "name": "places" }\n', 'app.js': app });
    const outcome = fixProject(new Project(dir));
    expect(outcome.applied.map((fix) => [fix.ruleId, fix.line])).toEqual([['no-in-memory-session', 3]]);
    expect(outcome.refused.map((refusal) => [refusal.ruleId, refusal.line, refusal.reason])).toEqual([['no-in-memory-counter', 4, 'the function is called by `process.on`, which does not wait for a promise (app.js:5)']]);
  }, 120_000);

  it('takes back the refusal of a job fixed later, once the count it resets is in Redis, though that fix edited the job in between', () => {
    // jobs/nightly.js is met first: its job resets this process's count, so it is refused; the count's fix then awaits
    // `bookings.resetDay()` inside the job (the finding's text changes), and the job is fixed on the retry.
    const nightly = `const cron = require('node-cron');
const nodemailer = require('nodemailer');
const bookings = require('../routes/bookings');

const transport = nodemailer.createTransport({ jsonTransport: true });

exports.start = () => {
  return cron.schedule('0 0 * * *', async () => {
    bookings.resetDay();
    await transport.sendMail({ to: 'desk@example.test', subject: 'A new day' });
  });
};
`;
    const routes = `const express = require('express');

const router = express.Router();
let bookingsToday = 0;

exports.resetDay = () => {
  bookingsToday = 0;
};

router.post('/bookings', (req, res) => {
  bookingsToday += 1;
  res.status(201).json({ number: bookingsToday });
});

exports.router = router;
`;
    const server = `const express = require('express');
const nightly = require('./jobs/nightly');
const bookings = require('./routes/bookings');

const app = express();
app.use(bookings.router);
app.listen(3000, () => nightly.start());
`;
    const dir = writeInstalledProject({ 'package.json': '{ "name": "desk" }\n', 'server.js': server, 'jobs/nightly.js': nightly, 'routes/bookings.js': routes });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.applied.map((fix) => [fix.ruleId, fix.fileName.slice(dir.length + 1), fix.line])).toEqual([
      ['no-in-memory-counter', 'routes/bookings.js', 4],
      ['no-in-process-scheduler', 'jobs/nightly.js', 8],
    ]);
    expect(outcome.refused).toEqual([]);
    const fixed = writeFixed(project, dir);
    expect(fixed['jobs/nightly.js']).toBe(`const cron = require('node-cron');
const nodemailer = require('nodemailer');
const bookings = require('../routes/bookings');
const { runAsLeader } = require('../src/scaling/leader-lock');

const transport = nodemailer.createTransport({ jsonTransport: true });

exports.start = () => {
  return cron.schedule('0 0 * * *', () => void runAsLeader('nightly:0 0 * * *', 30_000, async () => {
    await bookings.resetDay();
    await transport.sendMail({ to: 'desk@example.test', subject: 'A new day' });
  }));
};
`);
    expect(fixProject(new Project(dir))).toEqual({ applied: [], refused: [] });
  }, 120_000);

  it('tries a refused fix again once a later fix has moved what it was refused for: the queued mail counted in a field goes once the count is in Redis', () => {
    // The mail is found before the count (line 7, line 11): queued first, the worker would count in its own copy.
    const mailer = `import nodemailer from 'nodemailer';

class Mailer {
  private transport = nodemailer.createTransport({ jsonTransport: true });

  async send(to: string, subject: string): Promise<void> {
    await this.transport.sendMail({ to, subject });
    this.sent++;
  }

  sent = 0;
}

export const mailer = new Mailer();
`;
    const app = `import express from 'express';
import { mailer } from './mailer';
export const app = express();
app.post('/invite', async (req, res) => {
  await mailer.send(String(req.body.email), 'Join us');
  res.status(201).end();
});
app.get('/stats', (req, res) => {
  res.json({ mailsSent: mailer.sent });
});
`;
    const dir = writeInstalledProject({ 'package.json': '{ "name": "invites" }\n', 'tsconfig.json': tsconfig({}), 'src/mailer.ts': mailer, 'src/app.ts': app });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => [fix.ruleId, fix.line, fix.message])).toEqual([
      ['no-in-memory-counter', 11, 'Count `sent` in Redis (src/scaling/counter.ts)'],
      ['no-blocking-request-work', 7, 'Run `mailer.send` on the job queue: the worker does it and the request no longer waits'],
    ]);
    const fixed = writeFixed(project, dir);
    expect(fixed['src/app.ts']).toContain("  await enqueueJob('mailer.send', [String(req.body.email), 'Join us']);\n");
    expect(fixed['src/app.ts']).toContain('  res.json({ mailsSent: await mailer.sent.get() });\n');
    expect(fixed['src/mailer.ts']).toContain('    await this.sent.increment();\n');
    // The instance the module exports by name is imported by name, and the job calls the method on it.
    expect(fixed['src/scaling/jobs.ts']).toBe(`// Jobs the worker runs (worker.ts), by name. Stateless adds an entry each time it moves slow work off a request.
import { mailer } from '../mailer';

export const jobs = {
  'mailer.send': (...args: Parameters<typeof mailer.send>) => mailer.send(...args),
};
`);
    expect(fixProject(new Project(dir))).toEqual({ applied: [], refused: [] });
  }, 120_000);
});

const REPORTS_CJS = `const fs = require('node:fs');
const express = require('express');
const app = express();
app.post('/reports/:id', async (req, res) => {
  await fs.promises.writeFile(\`reports/\${req.params.id}.txt\`, String(req.body));
  res.status(201).end();
});
module.exports = { app };
`;

const REPORTS_ESM = `import fs from 'node:fs';
import express from 'express';
export const app = express();
app.post('/reports/:id', async (req, res) => {
  await fs.promises.writeFile(\`reports/\${req.params.id}.txt\`, String(req.body));
  res.status(201).end();
});
`;

/** Writes the fixed texts and returns them by path relative to the project. */
function writeFixed(project: Project, dir: string): Record<string, string> {
  const written: Record<string, string> = {};
  for (const change of project.changedFiles()) {
    fs.mkdirSync(path.dirname(change.fileName), { recursive: true });
    fs.writeFileSync(change.fileName, change.after);
    written[path.relative(dir, change.fileName)] = change.after;
  }
  return written;
}

describe('fixProject: lists, values, ids and once-per-period stamps type-check once moved', () => {
  it('a strict TypeScript project with noUnusedLocals: every fix applied, none taken back for a type error, and a second run plans nothing', () => {
    const feed = `import express from 'express';

interface Message {
  id: number;
  from: string;
  text: string;
}

declare function notifyOnCall(text: string): Promise<void>;

const messages: Message[] = [];
let nextId = 1;
let topic: string | null = null;
let lastAlertAt = 0;

export const app = express();

app.post('/messages', async (req, res) => {
  const message: Message = { id: nextId++, from: String(req.body.from), text: String(req.body.text) };
  messages.push(message);
  if (messages.length > 100) messages.shift();
  if (message.text.includes('help') && Date.now() - lastAlertAt > 10 * 60 * 1000) {
    lastAlertAt = Date.now();
    await notifyOnCall(message.text);
  }
  res.status(201).json(message);
});
app.get('/messages', (req, res) => {
  res.json({ topic, messages: messages.filter((message) => message.id > Number(req.query.after ?? 0)) });
});
app.put('/topic', (req, res) => {
  topic = String(req.body.topic);
  res.status(204).end();
});
`;
    const dir = writeInstalledProject({ 'package.json': '{ "name": "feed" }\n', 'tsconfig.json': tsconfig({ noUnusedLocals: true }), 'src/app.ts': feed });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => `${fix.ruleId}:${fix.line} ${fix.message}`)).toEqual([
      'no-in-memory-session:11 Keep `messages` in a Redis list every instance reads (src/scaling/list.ts)',
      'no-in-memory-counter:12 Count `nextId` in Redis (src/scaling/counter.ts)',
      'no-in-memory-session:13 Keep `topic` in Redis, where every instance reads what was last set (src/scaling/value.ts)',
      'no-in-process-lock:14 Take a Redis lock for each period instead of stamping `lastAlertAt` (src/scaling/lock.ts)',
    ]);
    writeFixed(project, dir);
    expect(fixProject(new Project(dir))).toEqual({ applied: [], refused: [] });
  }, 120_000);

  it('records of a Map edited where they are read: each change is set again, the result type-checks under strict, and a second run plans nothing', () => {
    const todos = `import express from 'express';

interface Todo {
  id: number;
  title: string;
  done: boolean;
  tags: string[];
}

const todos = new Map<number, Todo>();

export const app = express();

app.patch('/todos/:id', (req, res) => {
  const todo = todos.get(Number(req.params.id));
  if (!todo) return res.status(404).json({ error: 'not found' });
  if (typeof req.body.title === 'string') todo.title = req.body.title;
  const tags: string[] = Array.isArray(req.body.tags) ? req.body.tags : [];
  tags.forEach((tag) => todo.tags.push(tag));
  res.json(todo);
});
app.post('/todos', (req, res) => {
  const todo: Todo = { id: Number(req.body.id), title: String(req.body.title), done: false, tags: [] };
  todos.set(todo.id, todo);
  res.status(201).json(todo);
});
app.get('/todos', (req, res) => {
  const newest: number = Math.max(0, ...todos.keys());
  res.json({ newest, count: todos.size, todos: [...todos.values()] });
});
`;
    const dir = writeInstalledProject({ 'package.json': '{ "name": "todos" }\n', 'tsconfig.json': tsconfig({ noUnusedLocals: true }), 'src/app.ts': todos });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => `${fix.ruleId}:${fix.line} ${fix.message}`)).toEqual(['no-in-memory-session:10 Move `todos` to the Redis session store (src/scaling/session-store.ts)']);
    writeFixed(project, dir);
    expect(fs.readFileSync(path.join(dir, 'src/app.ts'), 'utf8').split('\n')[10]).toBe('const todos = createSessionStore<Todo, number>(\'todos\', { ttlSeconds: 0, ordered: true });');
    expect(fs.readFileSync(path.join(dir, 'src/app.ts'), 'utf8').split('\n').slice(15, 21)).toEqual([
      '  const todo = await todos.get(Number(req.params.id));',
      "  if (!todo) return res.status(404).json({ error: 'not found' });",
      "  if (typeof req.body.title === 'string') { todo.title = req.body.title; await todos.set(Number(req.params.id), todo); }",
      '  const tags: string[] = Array.isArray(req.body.tags) ? req.body.tags : [];',
      '  tags.forEach((tag) => todo.tags.push(tag));',
      '  await todos.set(Number(req.params.id), todo);',
    ]);
    expect(fixProject(new Project(dir))).toEqual({ applied: [], refused: [] });
  }, 120_000);
});

describe('fixProject: a module array used as the app’s data type-checks once moved', () => {
  it('found entries written back, replaced and removed by index, filtered: strict TypeScript with noUnusedLocals, and a second run plans nothing', () => {
    const notes = `import express from 'express';

interface Note {
  id: string;
  text: string;
  pinned: boolean;
}

let notes: Note[] = [];

export const app = express();

app.post('/notes', (req, res) => {
  const note: Note = { id: String(req.body.id), text: String(req.body.text), pinned: false };
  notes.push(note);
  res.status(201).json(note);
});
app.post('/notes/:id/pin', (req, res) => {
  const note = notes.find((candidate) => candidate.id === req.params.id);
  if (!note) return res.status(404).end();
  note.pinned = true;
  res.json(note);
});
app.put('/notes/:id', (req, res) => {
  const index = notes.findIndex((candidate) => candidate.id === req.params.id);
  if (index === -1) return res.status(404).end();
  notes[index] = { ...notes[index], text: String(req.body.text) };
  res.json(notes[index]);
});
app.delete('/notes', (req, res) => {
  notes = notes.filter((note) => note.pinned);
  res.status(204).end();
});
app.delete('/notes/:id', (req, res) => {
  const index = notes.findIndex((candidate) => candidate.id === req.params.id);
  if (index !== -1) notes.splice(index, 1);
  res.status(204).end();
});
`;
    const dir = writeInstalledProject({ 'package.json': '{ "name": "notes" }\n', 'tsconfig.json': tsconfig({ noUnusedLocals: true }), 'src/app.ts': notes });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => `${fix.ruleId}:${fix.line} ${fix.message}`)).toEqual(['no-in-memory-session:9 Keep `notes` in a Redis list every instance reads (src/scaling/list.ts)']);
    writeFixed(project, dir);
    expect(fixProject(new Project(dir))).toEqual({ applied: [], refused: [] });
  }, 120_000);
});

describe('fixProject: adapters in the project’s own language and module system', () => {
  it('gives a CommonJS JavaScript project a .js adapter with require/module.exports, required from the user file', () => {
    const dir = writeInstalledProject({ 'package.json': '{ "name": "reports" }\n', 'src/app.js': REPORTS_CJS });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => fix.message)).toEqual(['Keep the files in the object store (S3) instead (src/scaling/object-store.js)']);
    const written = writeFixed(project, dir);
    expect(Object.keys(written).sort()).toEqual(['package.json', 'src/app.js', 'src/scaling/object-store.js']);
    expect(written['src/app.js']).toBe(`const express = require('express');
const { objectStore } = require('./scaling/object-store');
const app = express();
app.post('/reports/:id', async (req, res) => {
  await objectStore.putFile(\`reports/\${req.params.id}.txt\`, String(req.body));
  res.status(201).end();
});
module.exports = { app };
`);
    const adapter = written['src/scaling/object-store.js'];
    expect(adapter).toContain("const { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, PutObjectCommand, S3Client } = require('@aws-sdk/client-s3');");
    expect(adapter).not.toMatch(/^(?:import|export) /m);
    expect(adapter.trimEnd().split('\n').at(-1)).toBe('module.exports = { validateKey, objectKey, objectStore, serveStatic, fastifyObjectStatic, hapiFile, koaServe, koaSend, objectStorage };');
    // Node loads both: the adapter with its S3 client, the app with express.
    const loaded = execFileSync(process.execPath, ['-e', "console.log(Object.keys(require('./src/scaling/object-store.js')).join(','), typeof require('./src/app.js').app)"], { cwd: dir, encoding: 'utf8' });
    expect(loaded).toBe('validateKey,objectKey,objectStore,serveStatic,fastifyObjectStatic,hapiFile,koaServe,koaSend,objectStorage function\n');
  }, 120_000);

  it('gives an ESM JavaScript project an ESM .js adapter, imported with its extension', () => {
    const dir = writeInstalledProject({ 'package.json': '{ "name": "reports", "type": "module" }\n', 'src/app.js': REPORTS_ESM });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    const written = writeFixed(project, dir);
    expect(Object.keys(written).sort()).toEqual(['package.json', 'src/app.js', 'src/scaling/object-store.js']);
    expect(written['src/app.js'].split('\n').slice(0, 3)).toEqual(["import express from 'express';", "import { objectStore } from './scaling/object-store.js';", 'export const app = express();']);
    expect(written['src/scaling/object-store.js']).toMatch(/^export const objectStore = \{$/m);
    expect(written['src/scaling/object-store.js']).not.toMatch(/require\(|module\.exports/);
    const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', "const store = await import('./src/scaling/object-store.js'); const app = await import('./src/app.js'); console.log(Object.keys(store).sort().join(','), typeof app.app)"], { cwd: dir, encoding: 'utf8' });
    expect(loaded).toBe('fastifyObjectStatic,hapiFile,koaSend,koaServe,objectKey,objectStorage,objectStore,serveStatic,validateKey function\n');
  }, 120_000);

  it('gives .mjs sources without "type": "module" a CommonJS adapter, which they import by name', () => {
    const dir = writeInstalledProject({ 'package.json': '{ "name": "reports" }\n', 'src/app.mjs': REPORTS_ESM });
    const project = new Project(dir);
    expect(fixProject(project).refused).toEqual([]);
    const written = writeFixed(project, dir);
    expect(Object.keys(written).sort()).toEqual(['package.json', 'src/app.mjs', 'src/scaling/object-store.js']);
    expect(written['src/app.mjs'].split('\n')[1]).toBe("import { objectStore } from './scaling/object-store.js';");
    expect(written['src/scaling/object-store.js']).toContain('module.exports = { validateKey, objectKey, objectStore, serveStatic, fastifyObjectStatic, hapiFile, koaServe, koaSend, objectStorage };');
    const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', "const app = await import('./src/app.mjs'); console.log(typeof app.app)"], { cwd: dir, encoding: 'utf8' });
    expect(loaded).toBe('function\n');
  }, 120_000);

  // A real whiteboard server: `.mjs` server files in a CommonJS package that also holds TypeScript
  // (its browser tests' config). ES-module adapters as `.js` there would be read as CommonJS.
  it('gives .mjs sources of a CommonJS package with TypeScript beside them ES-module adapters and a folder package.json, and the app loads', () => {
    const dir = writeInstalledProject({
      'package.json': '{ "name": "reports" }\n',
      'playwright.config.ts': "export default { testDir: './playwright' };\n",
      'src/app.mjs': REPORTS_ESM,
    });
    const project = new Project(dir);
    expect(fixProject(project).refused).toEqual([]);
    const written = writeFixed(project, dir);
    expect(Object.keys(written).sort()).toEqual(['package.json', 'src/app.mjs', 'src/scaling/object-store.js', 'src/scaling/package.json']);
    expect(written['src/app.mjs'].split('\n')[1]).toBe("import { objectStore } from './scaling/object-store.js';");
    expect(written['src/scaling/object-store.js']).toMatch(/^export const objectStore = \{$/m);
    expect(JSON.parse(written['src/scaling/package.json']).type).toBe('module');
    const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', "const app = await import('./src/app.mjs'); console.log(typeof app.app)"], { cwd: dir, encoding: 'utf8' });
    expect(loaded).toBe('function\n');
  }, 120_000);

  it('moves slow work of a CommonJS project to the queue: jobs.js requires the functions, the second fix adds to it, and the worker loads', () => {
    const dir = writeInstalledProject({
      'package.json': '{ "name": "shop" }\n',
      'src/mail.js': `const nodemailer = require('nodemailer');
const transporter = nodemailer.createTransport({ jsonTransport: true });
async function sendWelcome(to) {
  await transporter.sendMail({ to, subject: 'Welcome' });
}
async function sendReceipt(to) {
  await transporter.sendMail({ to, subject: 'Receipt' });
}
module.exports = { sendWelcome, sendReceipt };
`,
      'src/app.js': `const express = require('express');
const { sendWelcome, sendReceipt } = require('./mail');
const app = express();
app.post('/signup', async (req, res) => {
  await sendWelcome(req.body.email);
  res.status(201).end();
});
app.post('/orders', async (req, res) => {
  await sendReceipt(req.body.email);
  res.status(201).end();
});
module.exports = { app };
`,
    });
    const project = new Project(dir);
    const outcome = fixProject(project);
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((fix) => fix.message)).toEqual([
      'Run `sendWelcome` on the job queue: the worker does it and the request no longer waits',
      'Run `sendReceipt` on the job queue: the worker does it and the request no longer waits',
    ]);
    const written = writeFixed(project, dir);
    expect(written['src/scaling/jobs.js']).toBe(`// Jobs the worker runs (worker.js), by name. Stateless adds an entry each time it moves slow work off a request.
const { sendWelcome, sendReceipt } = require('../mail');
const jobs = {
  sendWelcome,
  sendReceipt,
};

module.exports = { jobs };
`);
    // The mail functions are the worker's now; the module is still loaded, for what it does when it loads.
    expect(written['src/app.js']).toBe(`const express = require('express');
require('./mail');
const { enqueueJob } = require('./scaling/job-queue');
const app = express();
app.post('/signup', async (req, res) => {
  await enqueueJob('sendWelcome', [req.body.email]);
  res.status(201).end();
});
app.post('/orders', async (req, res) => {
  await enqueueJob('sendReceipt', [req.body.email]);
  res.status(201).end();
});
module.exports = { app };
`);
    const loaded = execFileSync(process.execPath, ['-e', "console.log(Object.keys(require('./src/scaling/jobs.js').jobs).join(','), typeof require('./src/scaling/worker.js').startWorker)"], { cwd: dir, encoding: 'utf8' });
    expect(loaded).toBe('sendWelcome,sendReceipt function\n');
  }, 120_000);
});
