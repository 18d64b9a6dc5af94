import ts = require('typescript');
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';
import { ROOT, planFirst } from '../testing/fix-plans';
import { analyseTyped, analyseUntyped, describeFindings, removeAnalysedProjects } from '../testing/project-findings';

const nodeTypes = path.resolve(__dirname, '../../../node_modules/@types');

/** Findings of the rule with their line and column, untyped (no program) or typed. */
function found(sourceFile: ts.SourceFile, program?: ts.Program): string[] {
  return analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-blocking-request-work'] }).map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${line + 1}:${character + 1} ${finding.ruleId} ${finding.message}`;
  });
}

function blocking(code: string): string[] {
  const sourceFile = ts.createSourceFile('/project/src/app.ts', code, ts.ScriptTarget.Latest, true);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-blocking-request-work'] }).map((f) => `${f.messageId}: ${f.data.callee}`);
}

describe('when a request waits for slow work', () => {
  const head = `import express from 'express';\nimport nodemailer from 'nodemailer';\nconst app = express();\nconst transporter = nodemailer.createTransport({ jsonTransport: true });\n`;

  it('awaited, awaited through Promise.all, returned, or kept: reported', () => {
    expect(
      blocking(`${head}
app.post('/a', async (req, res) => { await transporter.sendMail({}); res.end(); });
app.post('/b', async (req, res) => { await Promise.all([transporter.sendMail({}), transporter.sendMail({})]); res.end(); });
app.post('/c', (req, res) => transporter.sendMail({}).then(() => res.end()));
`),
    ).toEqual(['slowCall: transporter.sendMail', 'slowCall: transporter.sendMail', 'slowCall: transporter.sendMail', 'slowCall: transporter.sendMail']);
  });

  it('callback style: sendMail given the caller’s callback, which answers the request, is reported', () => {
    expect(
      blocking(`${head}
function sendWelcome(to: string, callback: (err: Error | null) => void) {
  transporter.sendMail({ to }, callback);
}
app.post('/signup', (req, res) => {
  sendWelcome(req.body.email, function (err) { res.status(201).json({ welcomeSent: !err }); });
});
`),
    ).toEqual(['slowCall: transporter.sendMail']);
  });

  it('callback style, quiet: a module-level logger as the callback (fire and forget), and a one-argument call', () => {
    expect(
      blocking(`${head}
function logFailure(err: Error | null) { if (err) console.error(err.message); }
app.post('/signup', (req, res) => {
  transporter.sendMail({ to: req.body.email }, logFailure);
  res.status(201).end();
});
app.post('/ping', (req, res, next) => {
  transporter.sendMail(next);
  res.end();
});
`),
    ).toEqual([]);
  });

  it('callback style with an inline callback: reported when it answers the response or calls the caller’s continuation, quiet when it only logs', () => {
    expect(
      blocking(`${head}
app.post('/invite', (req, res) => {
  transporter.sendMail({ to: req.body.email }, (err) => res.status(err ? 502 : 201).end());
});
function notify(to: string, done: (err: Error | null) => void) {
  transporter.sendMail({ to }, function (err) { if (err) console.error(err); done(err); });
}
app.post('/notify', (req, res) => notify(req.body.email, () => res.end()));
app.post('/fire', (req, res) => {
  transporter.sendMail({ to: req.body.email }, (err) => { if (err) console.error(err.message); });
  res.status(202).end();
});
`),
    ).toEqual(['slowCall: transporter.sendMail', 'slowCall: transporter.sendMail']);
  });

  it('fire and forget: not reported (the request does not wait)', () => {
    expect(blocking(`${head}\napp.post('/d', (req, res) => { transporter.sendMail({}).catch(() => undefined); res.end(); });\n`)).toEqual([]);
  });
});

describe('sync calls loaded once on first use', () => {
  const head = `import express from 'express';\nimport fs from 'node:fs';\nconst app = express();\n`;

  it('lazy loads stay quiet', () => {
    expect(
      blocking(`${head}
let template: string | undefined;
let config: { name: string } | undefined;
const pages = new Map<string, string>();
app.get('/a', (req, res) => { template ??= fs.readFileSync('a.html', 'utf8'); res.send(template); });
app.get('/b', (req, res) => { if (!config) config = JSON.parse(fs.readFileSync('c.json', 'utf8')); res.json(config); });
app.get('/c/:p', (req, res) => {
  if (!pages.has(req.params.p)) pages.set(req.params.p, fs.readFileSync(req.params.p, 'utf8'));
  res.send(pages.get(req.params.p));
});
`),
    ).toEqual([]);
  });

  const memoMembers = `${head}
let build: { sha: string; date: string } | undefined;
export function getBuild() {
  if (!build) {
    build = { sha: '', date: '' };
    if (fs.existsSync('buildinfo/SHA')) {
      build.sha = fs.readFileSync('buildinfo/SHA', 'utf8').trim();
    }
    build.date = fs.readFileSync('buildinfo/DATE', 'utf8');
  }
  return build;
}
function describeRelease() {
  let release: { notes: string } | undefined;
  if (!release) {
    release = { notes: '' };
    release.notes = fs.readFileSync('RELEASE.md', 'utf8');
  }
  return release;
}
app.get('/version', (req, res) => { res.json(getBuild()); });
app.get('/release', (req, res) => { res.json(describeRelease()); });
`;

  it('members of a module memo filled in the block that creates it stay quiet; a local memo, made again by every request, is reported (untyped)', () => {
    expect(blocking(memoMembers)).toEqual(['syncCall: fs.readFileSync']);
  });

  it('the same, typed', () => {
    const program = createProgram({ '/project/src/app.ts': memoMembers }, { types: ['node'], typeRoots: [nodeTypes] });
    expect(found(program.getSourceFile('/project/src/app.ts')!, program).map((finding) => finding.split(' ').slice(0, 2).join(' '))).toEqual(['20:21 no-blocking-request-work']);
  });

  it('a block that fills what it found missing, and a helper only that block calls, stay quiet (an archive opened once per name)', () => {
    expect(
      blocking(`${head}
const archives: Record<string, { fd: number; size: number }> = {};
const headers = new Map<string, number>();
function headerSize(fd: number) {
  const buffer = Buffer.alloc(8);
  fs.readSync(fd, buffer, 0, 8, null);
  return buffer.readUInt32LE(0);
}
app.get('/a/:name', (req, res) => {
  if (!archives[req.params.name]) {
    const fd = fs.openSync(req.params.name, 'r');
    archives[req.params.name] = { fd, size: headerSize(fd) };
  }
  res.json(archives[req.params.name]);
});
app.get('/b/:name', (req, res) => {
  if (!headers.has(req.params.name)) {
    const fd = fs.openSync(req.params.name, 'r');
    headers.set(req.params.name, fd);
  }
  res.json(headers.get(req.params.name));
});
`),
    ).toEqual([]);
  });

  it('a block that does not fill what it tests, and a helper also called on every request, are reported', () => {
    expect(
      blocking(`${head}
const archives: Record<string, number> = {};
function headerSize(fd: number) {
  const buffer = Buffer.alloc(8);
  fs.readSync(fd, buffer, 0, 8, null);
  return buffer.readUInt32LE(0);
}
app.get('/a/:name', (req, res) => {
  if (!archives[req.params.name]) {
    const fd = fs.openSync(req.params.name, 'r');
    res.json({ size: headerSize(fd) });
    return;
  }
  res.json({ size: headerSize(archives[req.params.name]) });
});
`),
    ).toEqual(['syncCall: fs.readSync', 'syncCall: fs.openSync']);
  });

  it('a read on every request is reported', () => {
    expect(blocking(`${head}\nlet last = '';\napp.get('/d', (req, res) => { last = fs.readFileSync('d.txt', 'utf8'); res.send(last); });\n`)).toEqual(['syncCall: fs.readFileSync']);
  });
});

describe('typed: sync APIs through the project’s own re-exports', () => {
  it('finds `load` re-exported from fs, and not a user function of the same shape', () => {
    const program = createProgram(
      {
        '/project/src/fsx.ts': `export { readFileSync as load } from 'fs';\nexport function readAllSync(p: string): string { return p; }\n`,
        '/project/src/app.ts': `import express from 'express';
import { load, readAllSync } from './fsx';
const app = express();
app.get('/t', (req, res) => { res.send(String(load('t.html')) + readAllSync('x')); });
`,
      },
      { types: ['node'], typeRoots: [nodeTypes] },
    );
    const app = program.getSourceFile('/project/src/app.ts')!;
    expect(analyzeSourceFile(app, { program, projectRoot: '/project', rules: ['no-blocking-request-work'] }).map((f) => `${f.messageId}: ${f.data.callee}`)).toEqual(['syncCall: load']);
  });
});

describe('a CommonJS export given through a wrapper (`exports.x = forwardErrors(async function …)`)', () => {
  const files = {
    '/project/handlers.js': `const zlib = require('zlib');
const { forwardErrors } = require('./errors');

exports.preview = forwardErrors(async function (req, res) {
  res.json({ bytes: zlib.gzipSync(String(req.query.text)).length });
});

exports.offline = forwardErrors(async function (text) {
  return zlib.gzipSync(text);
});
`,
    '/project/errors.js': `exports.forwardErrors = function (handler) {
  return function (req, res, next) {
    Promise.resolve(handler.call(this, req, res, next)).catch(next);
  };
};
`,
    '/project/server.js': `const express = require('express');
const handlers = require('./handlers');
const app = express();
app.get('/preview', handlers.preview);
app.listen(3000);
`,
  };

  it('is followed to the function it wraps: the registered one is reported, the unregistered one stays quiet', () => {
    const program = createProgram(files);
    const findings = analyzeSourceFile(program.getSourceFile('/project/handlers.js')!, { program, projectRoot: '/project', rules: ['no-blocking-request-work'] });
    const file = program.getSourceFile('/project/handlers.js')!;
    expect(findings.map((finding) => [finding.messageId, finding.data.callee, file.getLineAndCharacterOfPosition(finding.start).line + 1, file.getLineAndCharacterOfPosition(finding.start).character + 1])).toEqual([['syncCall', 'zlib.gzipSync', 5, 21]]);
  });
});

describe('existence probes and reads kept in module state', () => {
  const head = `import express from 'express';\nimport fs from 'node:fs';\nconst app = express();\n`;

  it('accessSync and a stat asked only for the kind of entry stay quiet; a stat whose size is read is reported', () => {
    expect(
      blocking(`${head}
app.get('/a/:name', (req, res) => {
  try { fs.accessSync(req.params.name, fs.constants.R_OK); } catch { return res.sendStatus(404); }
  if (fs.statSync(req.params.name).isDirectory() || !(fs.lstatSync(req.params.name)).isFile()) return res.sendStatus(400);
  res.json({ size: fs.statSync(req.params.name).size });
});
`),
    ).toEqual(['syncCall: fs.statSync']);
  });

  it('behind an early return of the kept value, or a flag raised before the work: quiet', () => {
    expect(
      blocking(`${head}
let fetched = false;
let commit: string | null = null;
const cache: { plugins?: string[] } = {};
function gitCommit() {
  if (fetched) return commit;
  fetched = true;
  try { commit = fs.readFileSync('.git/HEAD', 'utf8'); } catch { commit = null; }
  return commit;
}
function plugins() {
  if (cache.plugins !== undefined) return cache.plugins;
  const names = Object.keys(JSON.parse(fs.readFileSync('plugins/package.json', 'utf8')));
  remember(names);
  return names;
}
function remember(names: string[]) { cache.plugins = names; }
app.get('/about', (req, res) => { res.json({ commit: gitCommit(), plugins: plugins() }); });
`),
    ).toEqual([]);
  });

  it('a map miss filled by the read and kept in the same map: quiet; a map only read from: reported', () => {
    expect(
      blocking(`${head}
const templates = new Map<string, string>();
const defaults = new Map<string, string>();
const useCache = process.env.NODE_ENV === 'production';
app.get('/p/:name', (req, res) => {
  const file = \`views/\${req.params.name}.html\`;
  const template = (useCache && templates.get(file)) || fs.readFileSync(file, 'utf8').trim();
  if (useCache) templates.set(file, template);
  const fallback = defaults.get(file) ?? fs.readFileSync('views/default.html', 'utf8');
  res.send(template + fallback);
});
`),
    ).toEqual(['syncCall: fs.readFileSync']);
  });

  it('a guard that neither returns the kept value nor is raised before the work, or tests a parameter: reported', () => {
    expect(
      blocking(`${head}
let maintenance = false;
app.post('/maintenance', (req, res) => { maintenance = true; res.end(); });
function page(options: { html?: string }) {
  if (options.html !== undefined) return options.html;
  options.html = fs.readFileSync('page.html', 'utf8');
  return options.html;
}
app.get('/b', (req, res) => {
  if (maintenance) return res.sendStatus(503);
  res.send(fs.readFileSync('b.html', 'utf8') + page({}));
});
`),
    ).toEqual(['syncCall: fs.readFileSync', 'syncCall: fs.readFileSync']);
  });
});

describe('a connection kept in a field and checked before it is reused', () => {
  const head = `import express from 'express';\nimport fs from 'node:fs';\nimport os from 'node:os';\nconst app = express();\ndeclare class SshClient { connect(options: object): Promise<void>; isConnected(): boolean; exec(command: string): Promise<string> }\n`;

  it('the key read only when no live connection is kept: quiet; a guard that tests another flag first: reported', () => {
    expect(
      blocking(`${head}
class Hosts {
  private ssh: SshClient | undefined;
  private paused = false;
  connection = async () => {
    if (this.ssh && this.ssh.isConnected()) return this.ssh;
    const privateKey = fs.readFileSync(os.homedir() + '/.ssh/id_rsa', 'utf8');
    this.ssh = new SshClient();
    await this.ssh.connect({ privateKey });
    return this.ssh;
  };
  async status() {
    if (this.paused && this.ssh) return this.ssh;
    return fs.readFileSync('/etc/hostname', 'utf8');
  }
}
const hosts = new Hosts();
app.post('/vm', async (req, res) => {
  const ssh = await hosts.connection();
  res.json({ out: await ssh.exec('docker ps'), host: await hosts.status() });
});
`),
    ).toEqual(['syncCall: fs.readFileSync']);
  });
});

describe('handlers that end their server, and provisioning', () => {
  // Settings read at start-up and again by the admin events that restart the server; the
  // settings page reads them on every "load" event.
  const files = {
    '/project/src/settings.ts': `import fs from 'fs';
export function readSettings() {
  return JSON.parse(fs.readFileSync('settings.json', 'utf8'));
}
export const settings = readSettings();
`,
    '/project/src/admin.ts': `import { Server } from 'socket.io';
import { readSettings } from './settings';
declare const hooks: { aCallAll(name: string): Promise<void> };
const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('load', () => socket.emit('settings', readSettings()));
  socket.on('restartServer', async () => {
    readSettings();
    await hooks.aCallAll('restartServer');
  });
});
`,
  };

  it('typed, across files: the read is reported on "load" only, not on the restart', () => {
    const program = createProgram(files, { types: ['node'], typeRoots: [nodeTypes] });
    const settings = program.getSourceFile('/project/src/settings.ts')!;
    const findings = analyzeSourceFile(settings, { program, projectRoot: '/project', rules: ['no-blocking-request-work'] });
    expect(findings.map((f) => `${settings.getLineAndCharacterOfPosition(f.start).line + 1}: ${f.data.callee} on ${f.data.route}`)).toEqual(['3: fs.readFileSync on socket event "load" (src/admin.ts:6)']);
  });

  it('untyped, in one file: the same', () => {
    const code = `import fs from 'fs';
import { Server } from 'socket.io';
declare const hooks: { aCallAll(name: string): Promise<void> };
function readSettings() {
  return JSON.parse(fs.readFileSync('settings.json', 'utf8'));
}
const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('load', () => socket.emit('settings', readSettings()));
  socket.on('restartServer', async () => {
    readSettings();
    await hooks.aCallAll('restartServer');
  });
});
`;
    const sourceFile = ts.createSourceFile('/project/src/admin.ts', code, ts.ScriptTarget.Latest, true);
    const findings = analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-blocking-request-work'] });
    expect(findings.map((f) => `${sourceFile.getLineAndCharacterOfPosition(f.start).line + 1}: ${f.data.callee} on ${f.data.route}`)).toEqual(['5: fs.readFileSync on socket event "load" (src/admin.ts:9)']);
  });

  it('a listener for a restart event does not make its registering function a restart', () => {
    expect(
      blocking(`import fs from 'fs';
import { Server } from 'socket.io';
const io = new Server(3000);
io.on('connection', (socket) => {
  const motd = fs.readFileSync('motd.txt', 'utf8');
  socket.emit('motd', motd);
  socket.on('restartServer', () => undefined);
});
`),
    ).toEqual(['syncCall: fs.readFileSync']);
  });

  it('dev-server.ts serves no production traffic', () => {
    const code = `import fs from 'fs';\nimport express from 'express';\nexport default (app: express.Application) => {\n  app.get('/', (req, res) => { res.send(fs.readFileSync('client/index.html', 'utf8')); });\n};\n`;
    const devServer = ts.createSourceFile('/project/server/plugins/dev-server.ts', code, ts.ScriptTarget.Latest, true);
    const server = ts.createSourceFile('/project/server/plugins/index-page.ts', code, ts.ScriptTarget.Latest, true);
    const run = (file: ts.SourceFile) => analyzeSourceFile(file, { projectRoot: '/project', rules: ['no-blocking-request-work'] }).length;
    expect([run(devServer), run(server)]).toEqual([0, 1]);
  });
});

describe('image work and headless browsers a request waits for', () => {
  function slow(code: string, fileName = '/project/src/app.ts'): string[] {
    const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
    return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-blocking-request-work'] }).map((f) => `${f.messageId}: ${f.data.callee} ${sourceFile.getLineAndCharacterOfPosition(f.start).line + 1}`);
  }

  it("Jimp's callback style in a CommonJS helper whose continuation answers the upload: reported where the work starts", () => {
    expect(
      slow(`const Jimp = require('jimp');
const express = require('express');
const app = express();
function resizeAvatar(raw, callback) {
  Jimp.read(Buffer.from(raw, 'base64'), (err, image) => {
    if (err) return callback(err);
    image.resize(64, 64).getBuffer(Jimp.MIME_PNG, (err2, buffer) => callback(err2, buffer));
  });
}
app.post('/avatar', (req, res) => {
  resizeAvatar(req.body.image, (err, buffer) => res.json({ ok: !err, size: buffer && buffer.length }));
});
`, '/project/routes/avatar.js'),
    ).toEqual(['slowCall: Jimp.read 5']);
  });

  it('a browser launched for the request (Express with puppeteer, Fastify with Playwright, a Nest service with puppeteer-extra): reported', () => {
    expect(
      slow(`import express from 'express';
import puppeteer from 'puppeteer';
const app = express();
app.get('/preview', async (req, res) => {
  const browser = await puppeteer.launch();
  const page = await browser.newPage();
  await page.goto(String(req.query.url));
  res.send(await page.content());
  await browser.close();
});
`),
    ).toEqual(['slowCall: puppeteer.launch 5']);
    expect(
      slow(`import Fastify from 'fastify';
import { chromium } from 'playwright';
const app = Fastify();
async function scrapeListings(limit: number) {
  const browser = await chromium.launch({ headless: true });
  const page = await browser.newPage();
  await page.goto('https://example.com/listings');
  const items = await page.$$eval('.item', (nodes) => nodes.slice(0, limit).map((node) => node.textContent));
  await browser.close();
  return items;
}
app.get('/listings', async () => scrapeListings(50));
`),
    ).toEqual(['slowCall: chromium.launch 5']);
    expect(
      slow(`import { Controller, Get, Injectable, Query } from '@nestjs/common';
import puppeteer from 'puppeteer-extra';
@Injectable()
export class RenderService {
  async render(url: string) {
    const browser = await puppeteer.launch();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      return await page.content();
    } finally {
      await browser.close();
    }
  }
}
@Controller('render')
export class RenderController {
  constructor(private readonly renderer: RenderService) {}
  @Get()
  render(@Query('url') url: string) {
    return this.renderer.render(url);
  }
}
`),
    ).toEqual(['slowCall: puppeteer.launch 6']);
  });

  it('a route whose request is left unused, `(_, reply)` or `(_req, res)`, on a server imported from another module: reported; a callback whose second parameter is no response: quiet', () => {
    expect(
      slow(`import { server } from './config';
import { v1 } from './v1';
import { settings } from './settings';
import { chromium } from 'playwright';
import sharp from 'sharp';
async function scrape() {
  const browser = await chromium.launch();
  await browser.close();
  return [];
}
initializedFastify.get('/listings', async (_, reply) => {
  reply.header('cache-control', 'no-store');
  return scrape();
});
v1.post('/logo', async (_unused, res) => {
  res.send(await sharp('logo.png').resize(64).toBuffer());
});
settings.get('/thumbnail', async (_, value) => sharp(String(value)).toBuffer());
`),
    ).toEqual(['slowCall: chromium.launch 7', 'slowCall: sharp 16']);
  });

  it('quiet: a browser launched at start-up or once on first use and shared, a remote browser reached with connect, a launch in a script', () => {
    expect(
      slow(`import express from 'express';
import puppeteer from 'puppeteer';
import { chromium, type Browser } from 'playwright';
const app = express();
const shared = await puppeteer.launch();
let browser: Browser | undefined;
async function getBrowser() {
  if (!browser) browser = await chromium.launch();
  return browser;
}
let pending: Promise<Browser> | undefined;
app.get('/a', async (req, res) => {
  const page = await shared.newPage();
  res.send(await page.title());
});
app.get('/b', async (req, res) => {
  const page = await (await getBrowser()).newPage();
  pending ??= chromium.launch();
  const remote = await puppeteer.connect({ browserWSEndpoint: process.env.BROWSER_URL });
  res.send(String(Boolean(page && remote && pending)));
});
`),
    ).toEqual([]);
    expect(
      slow(`import { chromium } from 'playwright';
const browser = await chromium.launch();
await browser.close();
`, '/project/scripts/screenshots.ts'),
    ).toEqual([]);
  });
});

describe('scripts evaluated in a sandbox on a request path', () => {
  const code = `const express = require('express');
const vm = require('vm');
const { VM } = require('vm2');
const app = express();
const rules = new vm.Script('total > 100');
const defaults = vm.runInNewContext('({ currency: "EUR" })');
const pricing = { run: (expr) => expr.length };
app.post('/mock', (req, res) => {
  const sandbox = new VM({ timeout: 1000, sandbox: { input: req.body } });
  res.json(sandbox.run(req.body.template));
});
app.post('/formula', (req, res) => {
  res.json({ value: vm.runInNewContext(req.body.formula, { row: req.body.row }), pricing: pricing.run(req.body.formula) });
});
app.post('/rule', (req, res) => {
  res.json({ pass: rules.runInNewContext({ total: req.body.total }), defaults });
});
`;
  const expected = [
    '10:12 no-blocking-request-work `sandbox.run` blocks the event loop on POST /mock (src/app.js:8): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    '13:21 no-blocking-request-work `vm.runInNewContext` blocks the event loop on POST /formula (src/app.js:12): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    '16:20 no-blocking-request-work `rules.runInNewContext` blocks the event loop on POST /rule (src/app.js:15): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
  ];

  // Quiet: the script compiled and the defaults evaluated at start-up, and an object of the app's own with a `run` method.
  it('untyped', () => {
    expect(found(ts.createSourceFile('/project/src/app.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS))).toEqual(expected);
  });

  it('typed', () => {
    const program = createProgram({ '/project/src/app.js': code });
    expect(found(program.getSourceFile('/project/src/app.js')!, program)).toEqual(expected);
  });

  it('the fix refuses with the reason: a sandboxed script has no async twin', () => {
    const files = { [`${ROOT}/src/app.js`]: code.replace(/app\.post\('\/formula'[\s\S]*$/, '') };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.js`).refused).toEqual({
      title: 'Take the work off the request',
      reason: '`sandbox.run` has no drop-in async twin; move the work to a job queue',
    });
  });
});

describe('a mail service whose own method is named like the package’s', () => {
  // The class wraps nodemailer in its own `sendMail`: the package's call inside it is the finding,
  // the class's own `this.sendMail(…)` calls from its other methods are not the package's.
  const code = `import express from 'express';
import nodemailer from 'nodemailer';
const app = express();
class MailService {
  transport() {
    return nodemailer.createTransport({ host: 'smtp.example.com' });
  }
  async sendMail(to: string, subject: string) {
    await this.transport().sendMail({ to, subject });
  }
  async sendWelcome(to: string) {
    await this.sendMail(to, 'Welcome');
  }
  async sendReset(to: string) {
    return this.sendMail(to, 'Reset your password');
  }
}
const mail = new MailService();
class Notifier {
  transporter = nodemailer.createTransport({ host: 'smtp.example.com' });
  sendMail = this.transporter.sendMail.bind(this.transporter);
  async notify(to: string) {
    await this.transporter.sendMail({ to });
    await this.sendMail({ to, subject: 'copy' });
  }
}
const notifier = new Notifier();
app.post('/signup', async (req, res) => {
  await mail.sendWelcome(req.body.email);
  res.sendStatus(201);
});
app.post('/reset', async (req, res) => {
  await mail.sendReset(req.body.email);
  await notifier.notify(req.body.email);
  res.sendStatus(202);
});
`;
  const expected = [
    '9:11 no-blocking-request-work `this.transport().sendMail` holds the request open on POST /signup (src/app.ts:28) and 1 other route while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    '23:11 no-blocking-request-work `this.transporter.sendMail` holds the request open on POST /reset (src/app.ts:32) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    '24:11 no-blocking-request-work `this.sendMail` holds the request open on POST /reset (src/app.ts:32) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
  ];

  it('untyped', () => {
    expect(found(ts.createSourceFile('/project/src/app.ts', code, ts.ScriptTarget.Latest, true))).toEqual(expected);
  });

  it('typed', () => {
    const program = createProgram({ '/project/src/app.ts': code });
    expect(found(program.getSourceFile('/project/src/app.ts')!, program)).toEqual(expected);
  });
});

describe('cheap sync calls beside a slow one', () => {
  // Resolving an upload's links (a stat per segment) and deriving a key with HKDF (a few HMACs)
  // cost what an existence probe costs; the password hash beside them is the finding.
  const code = `import crypto from 'node:crypto';
import { realpathSync } from 'node:fs';
import express from 'express';

const app = express();
app.post('/avatar', (req, res) => {
  const source = realpathSync(req.body.tempPath);
  const key = crypto.hkdfSync('sha256', process.env.SECRET ?? '', '', 'avatar', 32);
  const digest = crypto.scryptSync(req.body.password, 'salt', 64);
  res.json({ source, key: Buffer.from(key).toString('hex'), digest: digest.toString('hex') });
});
`;
  const expected = [
    '9:18 no-blocking-request-work `crypto.scryptSync` blocks the event loop on POST /avatar (src/app.ts:6): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
  ];

  it('untyped', () => {
    expect(found(ts.createSourceFile('/project/src/app.ts', code, ts.ScriptTarget.Latest, true))).toEqual(expected);
  });

  it('typed', () => {
    const program = createProgram({ '/project/src/app.ts': code });
    expect(found(program.getSourceFile('/project/src/app.ts')!, program)).toEqual(expected);
  });
});

describe('a transcode piped into the response', () => {
  // The remux is the response itself: the client plays it as ffmpeg writes it, so there is no answer
  // to give early. A transcode written to a file, or one the request waits to finish, still holds it.
  const code = `const express = require('express');
const ffmpeg = require('fluent-ffmpeg');
const pump = require('pump');
const app = express();
app.get('/videos/:id/webm', (req, res) => {
  res.type('video/webm');
  const command = ffmpeg(videoStream(req.params.id)).videoCodec('libvpx').format('webm').on('error', (err) => console.error(err));
  pump(command, res);
});
app.get('/videos/:id/audio', (req, res) => {
  ffmpeg(videoStream(req.params.id)).noVideo().format('mp3').pipe(res, { end: true });
});
app.post('/videos/:id/mp4', (req, res) => {
  ffmpeg(videoStream(req.params.id)).format('mp4').on('end', () => res.json({ ok: true })).save('/srv/videos/' + req.params.id + '.mp4');
});
`;
  const expected = [
    "14:3 no-blocking-request-work `ffmpeg` holds the request open on POST /videos/:id/mp4 (src/app.js:13) while video transcoding with ffmpeg runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).",
  ];

  it('untyped', () => {
    expect(found(ts.createSourceFile('/project/src/app.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS))).toEqual(expected);
  });

  it('typed', () => {
    const program = createProgram({ '/project/src/app.js': code });
    expect(found(program.getSourceFile('/project/src/app.js')!, program)).toEqual(expected);
  });
});

describe('fs handed on as a member of the object another module exports (yapi\'s `yapi.fs.readFileSync`)', () => {
  afterAll(removeAnalysedProjects);
  const yapi = `const fs = require('fs-extra');
const path = require('path');
const WEBROOT = path.resolve(__dirname, '..');
let r = { fs: fs, path, WEBROOT };
module.exports = r;
`;
  const avatar = `const express = require('express');
const yapi = require('./yapi.js');
const helpers = { fs: { readFileSync: (file) => file } };
const app = express();
app.get('/avatar', (req, res) => {
  res.send(yapi.fs.readFileSync(yapi.path.join(yapi.WEBROOT, 'static/image/avatar.png')));
});
app.get('/echo', (req, res) => res.send(helpers.fs.readFileSync(req.query.name)));
app.listen(3000);
`;
  const finding = "6:12 no-blocking-request-work: `yapi.fs.readFileSync` blocks the event loop on GET /avatar (app.js:5): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.";

  it('untyped: the member is the module it holds; an object of the file\'s own with a member of that name is not', () => {
    const { sourceFile, findings } = analyseUntyped({ 'yapi.js': yapi, 'app.js': avatar }, 'app.js', ['no-blocking-request-work']);
    expect(describeFindings(sourceFile, findings)).toEqual([finding]);
  });

  it('typed (JavaScript): the same', () => {
    const { sourceFile, findings } = analyseTyped({ 'yapi.js': yapi, 'app.js': avatar }, 'app.js', ['no-blocking-request-work']);
    expect(describeFindings(sourceFile, findings)).toEqual([finding]);
  });
});
