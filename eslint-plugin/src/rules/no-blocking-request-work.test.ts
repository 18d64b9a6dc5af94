import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath, untypedProjectFile } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-blocking-request-work';

type Options = StatelessRuleOptions<'no-blocking-request-work'>;
type MessageIds = 'syncCall' | 'slowCall';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts. Routes are named by the path of their
// file relative to the project root (the nearest package.json).

/** Cases that need no file name: run untyped and typed. `file` is how messages name the linted file. */
const sameFileInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: "a route helper's verb given by a constant of the module (const PST = 'post'; route(PST, '/login', [], login)): the handler's scryptSync is on POST /login",
    code: `
import crypto from 'node:crypto';
import express from 'express';

const GET = 'get', PST = 'post';
const router = express.Router();

function login(req: express.Request, res: express.Response) {
  res.send(crypto.scryptSync(req.body.password, 'salt', 32).toString('hex'));
}

function route(method: string, path: string, middleware: express.RequestHandler[], routeHandler: express.RequestHandler) {
  (router as any)[method](path, ...middleware, (req: express.Request, res: express.Response, next: express.NextFunction) => {
    try {
      routeHandler(req, res, next);
    } catch (e) {
      next(e);
    }
  });
}

route(PST, '/login', [], login);
route(GET, '/health', [], (req, res) => res.send('ok'));
`,
    errors: [{ messageId: 'syncCall', line: 9, column: 12, endColumn: 29, data: { callee: 'crypto.scryptSync', route: `POST /login (${file}:22)` } }],
  },
  {
    name: "a route helper that registers through another (function apiRoute(method, path, h) { route(method, path, [auth], h); }): the handler's scryptSync is on POST /api/login; a wrapper writing no verb registers nothing",
    code: `
import crypto from 'node:crypto';
import express from 'express';

const PST = 'post';
const router = express.Router();
const auth: express.RequestHandler = (req, res, next) => next();

function login(req: express.Request, res: express.Response) {
  res.send(crypto.scryptSync(req.body.password, 'salt', 32).toString('hex'));
}

function hashOnly(req: express.Request, res: express.Response) {
  res.send(crypto.scryptSync(req.body.token, 'salt', 32).toString('hex'));
}

function route(method: string, path: string, middleware: express.RequestHandler[], routeHandler: express.RequestHandler) {
  (router as any)[method](path, ...middleware, (req: express.Request, res: express.Response, next: express.NextFunction) => routeHandler(req, res, next));
}

function apiRoute(method: string, path: string, routeHandler: express.RequestHandler) {
  route(method, path, [auth], routeHandler);
}

function model(path: string, routeHandler: express.RequestHandler) {
  route('model', path, [], routeHandler);
}

apiRoute(PST, '/api/login', login);
model('/tokens', hashOnly);
`,
    errors: [{ messageId: 'syncCall', line: 10, column: 12, endColumn: 29, data: { callee: 'crypto.scryptSync', route: `POST /api/login (${file}:29)` } }],
  },
  {
    name: "socket.io: handlers kept as a list of objects the connection loops over; one handler's event writes synchronously",
    code: `
import fs from 'node:fs';
import http from 'node:http';
import { Server, type Socket } from 'socket.io';

abstract class SocketHandler {
  abstract create(socket: Socket, stacksDir: string): void;
  abstract describe(stacksDir: string): void;
}

class StackSocketHandler extends SocketHandler {
  create(socket: Socket, stacksDir: string) {
    socket.on('saveStack', (name: string, yaml: string) => {
      fs.writeFileSync(stacksDir + '/' + name + '/compose.yaml', yaml);
    });
  }

  describe(stacksDir: string) {
    fs.writeFileSync(stacksDir + '/README.txt', 'stacks');
  }
}

class PingSocketHandler extends SocketHandler {
  create(socket: Socket) {
    socket.on('ping', (callback: (ok: boolean) => void) => callback(true));
  }

  describe() {}
}

class AppServer {
  httpServer = http.createServer();
  io = new Server(this.httpServer);
  handlers: SocketHandler[] = [new PingSocketHandler(), new StackSocketHandler()];

  constructor() {
    for (const handler of this.handlers) handler.describe('/opt/stacks');
    this.io.on('connection', (socket: Socket) => {
      for (const handler of this.handlers) handler.create(socket, '/opt/stacks');
    });
  }
}

new AppServer().httpServer.listen(5001);
`,
    errors: [{ messageId: 'syncCall', line: 14, column: 7, data: { callee: 'fs.writeFileSync', route: `socket connection (${file}:38)` } }],
  },
  {
    name: 'Express: the sync branch a flag parameter opens, when a route passes the flag on',
    code: `
import fs from 'node:fs';
import express from 'express';

async function append(file: string, lines: string, sync = false) {
  if (sync) fs.appendFileSync(file, lines);
  else await fs.promises.appendFile(file, lines);
}
const app = express();
app.post('/events', async (req, res) => {
  await append('events.log', String(req.body), true);
  res.sendStatus(202);
});
`,
    errors: [{ messageId: 'syncCall', line: 6, column: 13, endColumn: 30, data: { callee: 'fs.appendFileSync', route: `POST /events (${file}:10)` } }],
  },
  {
    name: "Express: an uploaded PDF's text extracted with pdf-parse 2's PDFParse and a DOCX with mammoth while the upload waits",
    code: `
import express from 'express';
import multer from 'multer';
import { PDFParse } from 'pdf-parse';
import mammoth from 'mammoth';

const app = express();
const upload = multer({ storage: multer.memoryStorage() });
app.post('/documents', upload.single('file'), async (req, res) => {
  if (req.file!.mimetype === 'application/pdf') {
    const parser = new PDFParse({ data: req.file!.buffer });
    const { text } = await parser.getText();
    return res.json({ text });
  }
  const { value } = await mammoth.extractRawText({ buffer: req.file!.buffer });
  res.json({ text: value });
});
`,
    errors: [
      { messageId: 'slowCall', line: 12, column: 28, endColumn: 42, data: { callee: 'parser.getText', route: `POST /documents (${file}:9)`, what: 'PDF parsing with pdf-parse' } },
      { messageId: 'slowCall', line: 15, column: 27, endColumn: 49, data: { callee: 'mammoth.extractRawText', route: `POST /documents (${file}:9)`, what: 'DOCX parsing with mammoth' } },
    ],
  },
  {
    name: 'Express: an uploaded theme unpacked with adm-zip, which reads and writes every entry before it returns',
    code: `
import express from 'express';
import AdmZip from 'adm-zip';

const app = express();
app.post('/themes/:name', express.raw({ type: 'application/zip' }), (req, res) => {
  const archive = new AdmZip(req.body);
  archive.extractAllTo('themes/' + req.params.name, true);
  res.sendStatus(201);
});
`,
    errors: [{ messageId: 'syncCall', line: 8, column: 3, endColumn: 23, data: { callee: 'archive.extractAllTo', route: `POST /themes/:name (${file}:6)` } }],
  },
  {
    name: 'NestJS: an exception filter known by @Catch() (built with new for useGlobalFilters, no @Injectable) lists a folder with readdirSync on every failing request; a class that only implements ExceptionFilter is no filter',
    code: `
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { readdirSync } from 'node:fs';

@Catch()
export class HelpLinksFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    const topics = readdirSync('docs/help');
    host.switchToHttp().getResponse().status(500).json({ error: String(exception), topics });
  }
}

export class UnusedFilter implements ExceptionFilter {
  catch(_exception: unknown, host: ArgumentsHost) {
    host.switchToHttp().getResponse().json(readdirSync('docs/drafts'));
  }
}
`,
    errors: [{ messageId: 'syncCall', line: 8, column: 20, endColumn: 31, data: { callee: 'readdirSync', route: `exception filter HelpLinksFilter (every request it guards, ${file}:7)` } }],
  },
  {
    name: "Express: the v3 SDK's aggregated SES client sends a raw message the receipt route waits for; its quota read stays quiet",
    code: `
import express from 'express';
import { SES } from '@aws-sdk/client-ses';

const ses = new SES({ region: process.env.AWS_REGION });
const app = express();
app.post('/orders/:id/receipt', async (req, res) => {
  await ses.sendRawEmail({ RawMessage: { Data: Buffer.from('Subject: Receipt') } });
  res.sendStatus(201);
});
app.get('/mail/quota', async (_req, res) => {
  res.json(await ses.getSendQuota({}));
});
`,
    errors: [{ messageId: 'slowCall', line: 8, column: 9, endColumn: 25, data: { callee: 'ses.sendRawEmail', route: `POST /orders/:id/receipt (${file}:7)`, what: 'sending e-mail' } }],
  },
  {
    name: "Express: a mail controller handed its transport awaits the transport's sendMail on the reset route; the welcome mail sent with a logging callback stays quiet",
    code: `
import express from 'express';
import nodemailer from 'nodemailer';

class EmailController {
  constructor(mailer, from) {
    this.mailer = mailer;
    this.from = from;
  }
  async sendPasswordReset(address, url) {
    return await this.mailer.sendMail({ from: this.from, to: address, subject: 'Reset your password', text: url });
  }
  sendWelcome(address) {
    this.mailer.sendMail({ from: this.from, to: address, subject: 'Welcome' }, (error) => error && console.error(error));
  }
}

const emails = new EmailController(nodemailer.createTransport({ host: 'smtp.example.com' }), 'noreply@example.com');
const app = express();
app.post('/account/reset', async (req, res) => {
  await emails.sendPasswordReset(req.body.email, 'https://example.com/reset');
  res.sendStatus(204);
});
app.post('/account', (req, res) => {
  emails.sendWelcome(req.body.email);
  res.sendStatus(201);
});
`,
    errors: [{ messageId: 'slowCall', line: 11, column: 18, endColumn: 38, data: { callee: 'this.mailer.sendMail', route: `POST /account/reset (${file}:20)`, what: 'sending e-mail' } }],
  },
  {
    name: "NestJS: a backup route running shelljs commands, every one synchronous; the async exec and the which probe stay quiet",
    code: `
import { Controller, Post } from '@nestjs/common';
import shell from 'shelljs';

@Controller('system')
export class BackupController {
  @Post('backup')
  backup() {
    if (!shell.which('mongodump')) throw new Error('mongodump missing');
    shell.rm('-rf', 'backup.prev');
    shell.mkdir('-p', 'backup');
    const dump = shell.exec('mongodump --out backup');
    shell.exec('zip -r backup.zip backup', { async: true }, (code) => console.log('zipped', code));
    return { code: dump.code };
  }
}
`,
    errors: [
      { messageId: 'syncCall', line: 10, column: 5, endColumn: 13, data: { callee: 'shell.rm', route: `POST /system/backup (BackupController.backup, ${file}:7)` } },
      { messageId: 'syncCall', line: 11, column: 5, endColumn: 16 },
      { messageId: 'syncCall', line: 12, column: 18, endColumn: 28 },
    ],
  },
  {
    name: 'Fastify: a mailer decorated onto the instance (`fastify.decorate(\'email\', { … })`) sends on the route that calls `request.server.email.sendWelcome`; a member the decoration lacks resolves to nothing',
    code: `
import Fastify from 'fastify';
import nodemailer from 'nodemailer';

const app = Fastify();
app.register(async (fastify) => {
  const transporter = nodemailer.createTransport({ host: process.env.SMTP_HOST });
  fastify.decorate('email', {
    async sendWelcome(to: string) {
      await transporter.sendMail({ from: 'team@example.com', to, subject: 'Welcome' });
    },
  });
});
app.register(async (fastify) => {
  fastify.post('/signup', async (request) => {
    const { email } = request.body as { email: string };
    await request.server.email.sendWelcome(email);
    await request.server.audit.record('signup', email);
    return { ok: true };
  });
});
`,
    errors: [{ messageId: 'slowCall', line: 10, column: 13, endColumn: 33, data: { callee: 'transporter.sendMail', route: `POST /signup (${file}:15)`, what: 'sending e-mail' } }],
  },
  {
    name: 'Fastify: a send destructured from what a mailer factory typed `{ send: Send }` returns is its nodemailer send; the close beside it is not slow',
    code: `
import Fastify from 'fastify';
import nodemailer from 'nodemailer';

type Send = (to: string) => Promise<void>;

function createMailer(host: string): { send: Send; close: () => void } {
  const transporter = nodemailer.createTransport({ host });
  return {
    send: async (to) => {
      await transporter.sendMail({ to, subject: 'Welcome' });
    },
    close: () => transporter.close(),
  };
}

const app = Fastify();
app.register(async (instance) => {
  const { send, close } = createMailer(process.env.SMTP_HOST ?? 'localhost');
  instance.post('/signup', async (request) => {
    await send((request.body as { email: string }).email);
    return { ok: true };
  });
  instance.post('/mail/close', async () => {
    close();
    return { ok: true };
  });
});
`,
    errors: [{ messageId: 'slowCall', line: 11, column: 13, endColumn: 33, data: { callee: 'transporter.sendMail', route: `POST /signup (${file}:20)`, what: 'sending e-mail' } }],
  },
  {
    name: 'Express: an ffmpeg remux piped into the response is the response itself; a transcode saved to a file before answering holds the request',
    code: `
import express from 'express';
import ffmpeg from 'fluent-ffmpeg';
import { pipeline } from 'node:stream';
import { openVideo } from './videos';

const app = express();
app.get('/videos/:id/webm', (req, res) => {
  res.type('video/webm');
  const remux = ffmpeg(openVideo(req.params.id)).videoCodec('libvpx').format('webm');
  pipeline(remux, res, () => undefined);
});
app.post('/videos/:id/mp4', (req, res) => {
  ffmpeg(openVideo(req.params.id))
    .format('mp4')
    .on('end', () => res.json({ ok: true }))
    .save(\`/srv/videos/\${req.params.id}.mp4\`);
});
`,
    errors: [{ messageId: 'slowCall', line: 14, column: 3, endColumn: 9, data: { callee: 'ffmpeg', route: `POST /videos/:id/mp4 (${file}:13)`, what: 'video transcoding with ffmpeg' } }],
  },
  {
    name: 'Express: glob.sync and an fs-jetpack listing walk folders while the request waits; the walk at start-up and the async glob do not',
    code: `
import express from 'express';
import glob from 'glob';
import jetpack from 'fs-jetpack';

const layouts = glob.sync('views/layouts/*.hbs');
const app = express();
app.get('/products/:id/images', async (req, res) => {
  const images = glob.sync(\`public/uploads/\${req.params.id}/*\`);
  const thumbs = await glob(\`public/thumbs/\${req.params.id}/*\`);
  res.json({ images, thumbs, themes: jetpack.list('themes'), layouts });
});
`,
    errors: [
      { messageId: 'syncCall', line: 9, column: 18, endColumn: 27, data: { callee: 'glob.sync', route: `GET /products/:id/images (${file}:8)` } },
      { messageId: 'syncCall', line: 11, column: 38, endColumn: 50, data: { callee: 'jetpack.list', route: `GET /products/:id/images (${file}:8)` } },
    ],
  },
  {
    name: "Express: Mailgun's mg.messages.create awaited by the route is reported; the app's own db.messages.create beside it is not",
    code: `
import express from 'express';
import formData from 'form-data';
import Mailgun from 'mailgun.js';

declare const db: { messages: { create(data: { text: string }): Promise<void> } };
const mg = new Mailgun(formData).client({ username: 'api', key: 'key' });
const app = express();
app.post('/signup', async (req, res) => {
  await mg.messages.create('mg.example.com', { to: req.body.email, subject: 'Welcome' });
  await db.messages.create({ text: 'signed up' });
  res.status(201).end();
});
`,
    errors: [{ messageId: 'slowCall', line: 10, column: 9, endColumn: 27, data: { callee: 'mg.messages.create', route: `POST /signup (${file}:9)`, what: 'sending e-mail' } }],
  },
  {
    name: 'Express: members of a module memo filled in the block that creates it stay quiet; a local memo, made again by every request, is reported',
    code: `
import express from 'express';
import fs from 'node:fs';

const app = express();
let build: { sha: string; date: string } | undefined;
function getBuild() {
  if (!build) {
    build = { sha: '', date: '' };
    if (fs.existsSync('buildinfo/SHA')) build.sha = fs.readFileSync('buildinfo/SHA', 'utf8').trim();
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
`,
    errors: [{ messageId: 'syncCall', line: 19, column: 21, endColumn: 36, data: { callee: 'fs.readFileSync', route: `GET /release (${file}:24)` } }],
  },
  {
    name: 'Express: a sharp resize chosen by a branch, kept in a local and awaited after the branches; a mail assigned but never awaited stays quiet',
    code: `
import express from 'express';
import sharp from 'sharp';
import nodemailer from 'nodemailer';

const transporter = nodemailer.createTransport({ host: 'smtp.example.com' });
const app = express();
app.post('/avatars', async (req, res) => {
  let resized: Promise<Buffer>;
  if (req.query.small) resized = sharp(req.body).resize(64).toBuffer();
  else resized = sharp(req.body).resize(256).toBuffer();
  let receipt: Promise<unknown>;
  receipt = transporter.sendMail({ to: 'owner@example.com', subject: 'new avatar' });
  res.type('png').send(await resized);
  void receipt;
});
`,
    errors: [
      { messageId: 'slowCall', line: 10, column: 34, endColumn: 39, data: { callee: 'sharp', route: `POST /avatars (${file}:8)`, what: 'image processing with sharp' } },
      { messageId: 'slowCall', line: 11, column: 18, endColumn: 23, data: { callee: 'sharp', route: `POST /avatars (${file}:8)`, what: 'image processing with sharp' } },
    ],
  },
  {
    name: "Express: a runner taking the argv as a parameter, called in its file with ImageMagick's argv, is reported where it starts the process; the same shape called with git's is not",
    code: `
import express from 'express';

declare function safeExec(argv: string[], options: { timeout: number }): Promise<void>;
const prefix: string[] = [];

async function run(source: string, format: string, command: string[]) {
  command.push(\`\${source}.\${format}\`);
  command = prefix.concat(command);
  await safeExec(command, { timeout: 40_000 });
}
async function thumbnail(source: string) {
  return run(source, 'png', ['convert', '-flatten', \`\${source}[0]\`, '-resize', '260x']);
}
async function vcs(command: string[]) {
  await safeExec(command, { timeout: 5_000 });
}

const app = express();
app.get('/files/:id/thumbnail', async (req, res) => {
  await thumbnail(req.params.id);
  await vcs(['git', 'pull']);
  res.sendStatus(200);
});
`,
    errors: [{ messageId: 'slowCall', line: 10, column: 9, endColumn: 17, data: { callee: 'safeExec', route: `GET /files/:id/thumbnail (${file}:20)`, what: 'a child process of convert' } }],
  },
  {
    name: 'Express: converters run in child processes on a request: execFile of pdftoppm answered from its callback, a promisified exec of soffice',
    code: `
import express from 'express';
import { exec, execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execAsync = promisify(exec);
const app = express();
app.get('/docs/:id/preview', (req, res) => {
  execFile('pdftoppm', ['-png', '-singlefile', \`/srv/docs/\${req.params.id}.pdf\`, '/tmp/preview'], (error) => {
    if (error) return res.sendStatus(500);
    res.sendFile('/tmp/preview.png');
  });
});
app.post('/docs/:id/pdf', async (req, res) => {
  await execAsync(\`soffice --headless --convert-to pdf /srv/docs/\${req.params.id}.docx\`);
  res.sendStatus(201);
});
`,
    errors: [
      { messageId: 'slowCall', line: 9, column: 3, endColumn: 11, data: { callee: 'execFile', route: `GET /docs/:id/preview (${file}:8)`, what: 'a child process of pdftoppm' } },
      { messageId: 'slowCall', line: 15, column: 9, endColumn: 18, data: { callee: 'execAsync', route: `POST /docs/:id/pdf (${file}:14)`, what: 'a child process of soffice' } },
    ],
  },
  {
    name: "Koa and Fastify: a service's own runner given the argv (in a local first), waited for by the request; execa of ffmpeg",
    code: `
import Koa from 'koa';
import Fastify from 'fastify';
import { execa } from 'execa';

declare function safeExec(argv: string[], options: { timeout: number }): Promise<void>;

async function compressPng(localPath: string) {
  const args = ['optipng', localPath];
  await safeExec(args, { timeout: 30_000 });
}

const app = new Koa();
app.use(async (ctx) => {
  await compressPng(String(ctx.query.file));
  ctx.status = 204;
});

const fastify = Fastify();
fastify.post('/clips/:id', async (request) => {
  const { id } = request.params as { id: string };
  await execa('ffmpeg', ['-i', \`/srv/in/\${id}.mov\`, \`/srv/out/\${id}.mp4\`]);
  return { id };
});
`,
    errors: [
      { messageId: 'slowCall', line: 10, column: 9, endColumn: 17, data: { callee: 'safeExec', route: `middleware for all routes (${file}:14)`, what: 'a child process of optipng' } },
      { messageId: 'slowCall', line: 22, column: 9, endColumn: 14, data: { callee: 'execa', route: `POST /clips/:id (${file}:20)`, what: 'a child process of ffmpeg' } },
    ],
  },
  {
    name: 'Express: a stat whose size is read, and a read behind a guard that neither returns what it keeps nor is raised first',
    code: `
import fs from 'node:fs';
import express from 'express';

let maintenance = false;
const app = express();
app.post('/maintenance', (req, res) => {
  maintenance = true;
  res.end();
});
app.get('/report', (req, res) => {
  if (maintenance) return res.sendStatus(503);
  const { size } = fs.statSync('report.csv');
  res.type('text/csv').set('X-Size', String(size)).send(fs.readFileSync('report.csv'));
});
`,
    errors: [
      { messageId: 'syncCall', line: 13, column: 20, endColumn: 31, data: { callee: 'fs.statSync', route: `GET /report (${file}:11)` } },
      { messageId: 'syncCall', line: 14, column: 57, endColumn: 72, data: { callee: 'fs.readFileSync', route: `GET /report (${file}:11)` } },
    ],
  },
  {
    name: 'Express: fs.readFileSync from a default import of node:fs',
    code: `
import fs from 'node:fs';
import express from 'express';

const app = express();
app.get('/terms', (req, res) => {
  res.type('text/plain').send(fs.readFileSync('terms.txt', 'utf8'));
});
`,
    errors: [
      { messageId: 'syncCall', line: 7, column: 31, endLine: 7, endColumn: 46, data: { callee: 'fs.readFileSync', route: `GET /terms (${file}:6)` } },
    ],
  },
  {
    name: 'Express: fs.readdirSync from a namespace import of fs',
    code: `
import * as fs from 'fs';
import express from 'express';

const app = express();
app.get('/uploads', (req, res) => {
  res.json(fs.readdirSync('uploads'));
});
`,
    errors: [{ messageId: 'syncCall', line: 7, column: 12, endColumn: 26, data: { callee: 'fs.readdirSync', route: `GET /uploads (${file}:6)` } }],
  },
  {
    name: 'Express: readFileSync imported by name from fs',
    code: `
import { readFileSync } from 'fs';
import express from 'express';

const app = express();
app.get('/config', (req, res) => {
  const config = JSON.parse(readFileSync('config.json', 'utf8'));
  res.json(config);
});
`,
    errors: [{ messageId: 'syncCall', line: 7, column: 29, endColumn: 41, data: { callee: 'readFileSync', route: `GET /config (${file}:6)` } }],
  },
  {
    name: 'Express: readFileSync aliased on import from node:fs',
    code: `
import { readFileSync as readFileNow } from 'node:fs';
import express from 'express';

const app = express();
app.get('/logo', (req, res) => {
  res.type('svg').send(readFileNow('logo.svg'));
});
`,
    errors: [{ messageId: 'syncCall', line: 7, column: 24, endColumn: 35, data: { callee: 'readFileNow', route: `GET /logo (${file}:6)` } }],
  },
  {
    name: 'Fastify: fs-extra readJsonSync',
    code: `
import fse from 'fs-extra';
import Fastify from 'fastify';

const fastify = Fastify();
fastify.get('/settings', async () => {
  return fse.readJsonSync('settings.json');
});
`,
    errors: [{ messageId: 'syncCall', line: 7, column: 10, endColumn: 26, data: { callee: 'fse.readJsonSync', route: `GET /settings (${file}:6)` } }],
  },
  {
    name: 'Koa + @koa/router: child_process execSync',
    code: `
import Router from '@koa/router';
import { execSync } from 'node:child_process';

export const router = new Router();
router.post('/convert', (ctx) => {
  execSync('libreoffice --headless --convert-to pdf upload.docx');
  ctx.status = 204;
});
`,
    errors: [{ messageId: 'syncCall', line: 7, column: 3, endColumn: 11, data: { callee: 'execSync', route: `POST /convert (${file}:6)` } }],
  },
  {
    name: 'Fastify: crypto.pbkdf2Sync (default import) and scryptSync (named import)',
    code: `
import crypto, { scryptSync } from 'node:crypto';
import Fastify from 'fastify';

const fastify = Fastify();
fastify.post('/login', async (request) => {
  const { password, salt } = request.body as { password: string; salt: string };
  const legacy = crypto.pbkdf2Sync(password, salt, 310_000, 32, 'sha256');
  const current = scryptSync(password, salt, 64);
  return { legacy: legacy.toString('hex'), current: current.toString('hex') };
});
`,
    errors: [
      { messageId: 'syncCall', line: 8, column: 18, endColumn: 35, data: { callee: 'crypto.pbkdf2Sync', route: `POST /login (${file}:6)` } },
      { messageId: 'syncCall', line: 9, column: 19, endColumn: 29, data: { callee: 'scryptSync', route: `POST /login (${file}:6)` } },
    ],
  },
  {
    name: 'Express: zlib.gzipSync in a helper two routes call (reported once, at the helper)',
    code: `
import zlib from 'node:zlib';
import express from 'express';

const app = express();

function compressReport(report: unknown): Buffer {
  return zlib.gzipSync(JSON.stringify(report));
}

app.get('/reports/daily', (req, res) => {
  res.set('Content-Encoding', 'gzip').send(compressReport({ day: req.query.day }));
});

app.get('/reports/monthly', (req, res) => {
  res.set('Content-Encoding', 'gzip').send(compressReport({ month: req.query.month }));
});
`,
    errors: [
      {
        messageId: 'syncCall',
        line: 8,
        column: 10,
        endColumn: 23,
        data: { callee: 'zlib.gzipSync', route: `GET /reports/daily (${file}:11) and 1 other route` },
      },
    ],
  },
  {
    name: 'NestJS: bcrypt hashSync and compareSync in an @Injectable service the controller calls',
    code: `
import { Body, Controller, Injectable, Post } from '@nestjs/common';
import bcrypt from 'bcrypt';

@Injectable()
export class PasswordService {
  hash(password: string): string {
    return bcrypt.hashSync(password, 12);
  }

  verify(password: string, hash: string): boolean {
    return bcrypt.compareSync(password, hash);
  }
}

@Controller('accounts')
export class AccountsController {
  constructor(private readonly passwords: PasswordService) {}

  @Post()
  create(@Body() body: { password: string }) {
    return { hash: this.passwords.hash(body.password) };
  }

  @Post('verify')
  verify(@Body() body: { password: string; hash: string }) {
    return { ok: this.passwords.verify(body.password, body.hash) };
  }
}
`,
    errors: [
      {
        messageId: 'syncCall',
        line: 8,
        column: 12,
        endColumn: 27,
        data: { callee: 'bcrypt.hashSync', route: `POST /accounts (AccountsController.create, ${file}:20)` },
      },
      {
        messageId: 'syncCall',
        line: 12,
        column: 12,
        endColumn: 30,
        data: { callee: 'bcrypt.compareSync', route: `POST /accounts/verify (AccountsController.verify, ${file}:25)` },
      },
    ],
  },
  {
    name: 'socket.io event handler: bcryptjs compareSync',
    code: `
import { Server } from 'socket.io';
import { compareSync } from 'bcryptjs';

const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('join room', (room: { id: string; password: string; hash: string }) => {
    if (compareSync(room.password, room.hash)) void socket.join(room.id);
  });
});
`,
    errors: [{ messageId: 'syncCall', line: 8, column: 9, endColumn: 20, data: { callee: 'compareSync', route: `socket event "join room" (${file}:7)` } }],
  },
  {
    name: "tRPC mutation: bcryptjs hashSync is reported; the genSaltSync before it only draws a salt",
    code: `
import { initTRPC } from '@trpc/server';
import bcrypt from 'bcryptjs';

const t = initTRPC.create();
const publicProcedure = t.procedure;

export const appRouter = t.router({
  createUser: publicProcedure.mutation(({ input }: { input: { password: string } }) => {
    const salt = bcrypt.genSaltSync(10);
    return bcrypt.hashSync(input.password, salt);
  }),
});
`,
    errors: [{ messageId: 'syncCall', line: 11, column: 12, endColumn: 27, data: { callee: 'bcrypt.hashSync', route: `tRPC mutation createUser (${file}:9)` } }],
  },
  {
    name: 'tRPC mutation: crypto generateKeyPairSync',
    code: `
import { initTRPC } from '@trpc/server';
import { generateKeyPairSync } from 'node:crypto';

const t = initTRPC.create();
const publicProcedure = t.procedure;

export const appRouter = t.router({
  createApiKey: publicProcedure.mutation(() => {
    const { publicKey } = generateKeyPairSync('ed25519');
    return publicKey.export({ type: 'spki', format: 'pem' });
  }),
});
`,
    errors: [
      { messageId: 'syncCall', line: 10, column: 27, endColumn: 46, data: { callee: 'generateKeyPairSync', route: `tRPC mutation createApiKey (${file}:9)` } },
    ],
  },
  {
    name: 'AWS Lambda handler: gunzipSync from zlib',
    code: `
import { gunzipSync } from 'zlib';

export const handler = async (event: { body: string }) => {
  const payload = JSON.parse(gunzipSync(Buffer.from(event.body, 'base64')).toString());
  return { statusCode: 200, body: JSON.stringify(payload) };
};
`,
    errors: [
      { messageId: 'syncCall', line: 5, column: 30, endColumn: 40, data: { callee: 'gunzipSync', route: `Lambda handler (every invocation, ${file}:4)` } },
    ],
  },
  {
    name: 'Express: an awaited sharp chain is reported once, at sharp',
    code: `
import sharp from 'sharp';
import express from 'express';

const app = express();
app.post('/avatars', async (req, res) => {
  const avatar = await sharp(req.body).resize(256, 256).webp().toBuffer();
  res.type('webp').send(avatar);
});
`,
    errors: [
      {
        messageId: 'slowCall',
        line: 7,
        column: 24,
        endColumn: 29,
        data: { callee: 'sharp', route: `POST /avatars (${file}:6)`, what: 'image processing with sharp' },
      },
    ],
  },
  {
    name: 'Express: fluent-ffmpeg started in a handler (event API, no await needed)',
    code: `
import ffmpeg from 'fluent-ffmpeg';
import express from 'express';

const app = express();
app.post('/videos/:id/transcode', (req, res) => {
  ffmpeg(\`uploads/\${req.params.id}.mov\`)
    .videoCodec('libx264')
    .on('end', () => res.sendStatus(201))
    .save(\`videos/\${req.params.id}.mp4\`);
});
`,
    errors: [
      {
        messageId: 'slowCall',
        line: 7,
        column: 3,
        endColumn: 9,
        data: { callee: 'ffmpeg', route: `POST /videos/:id/transcode (${file}:6)`, what: 'video transcoding with ffmpeg' },
      },
    ],
  },
  {
    name: 'Express: pdfkit new PDFDocument(…) is reported at the whole new expression',
    code: `
import PDFDocument from 'pdfkit';
import express from 'express';

const app = express();
app.get('/invoices/:id/pdf', (req, res) => {
  const doc = new PDFDocument({ size: 'A4' });
  doc.pipe(res);
  doc.text(\`Invoice \${req.params.id}\`);
  doc.end();
});
`,
    errors: [
      {
        messageId: 'slowCall',
        line: 7,
        column: 15,
        endColumn: 46,
        data: { callee: 'new PDFDocument()', route: `GET /invoices/:id/pdf (${file}:6)`, what: 'PDF rendering with pdfkit' },
      },
    ],
  },
  {
    name: 'Fastify: puppeteer await page.pdf()',
    code: `
import puppeteer from 'puppeteer';
import Fastify from 'fastify';

const fastify = Fastify();
fastify.get('/reports/:id/pdf', async (request, reply) => {
  const browser = await puppeteer.launch();
  const page = await browser.newPage();
  await page.goto(\`http://localhost:3000/reports/\${(request.params as { id: string }).id}\`);
  const pdf = await page.pdf({ format: 'A4' });
  await browser.close();
  return reply.type('application/pdf').send(pdf);
});
`,
    errors: [
      {
        messageId: 'slowCall',
        line: 10,
        column: 21,
        endColumn: 29,
        data: { callee: 'page.pdf', route: `GET /reports/:id/pdf (${file}:6)`, what: 'PDF rendering in a headless browser' },
      },
    ],
  },
  {
    name: 'Fastify: a Playwright browser launched to scrape while the request waits',
    code: `
import Fastify from 'fastify';
import { chromium } from 'playwright';

const app = Fastify();
async function scrape(limit: number) {
  const browser = await chromium.launch({ headless: true });
  const page = await browser.newPage();
  await page.goto('https://example.com/listings');
  const titles = await page.$$eval('h2', (nodes) => nodes.slice(0, limit).map((node) => node.textContent));
  await browser.close();
  return titles;
}
app.get('/listings', async () => scrape(50));
`,
    errors: [
      { messageId: 'slowCall', line: 7, column: 25, endColumn: 40, data: { callee: 'chromium.launch', route: `GET /listings (${file}:14)`, what: 'launching a headless browser' } },
    ],
  },
  {
    name: "Express: Jimp's callback style, the inline callback calling the helper's continuation",
    code: `
import express from 'express';
import Jimp from 'jimp';

const app = express();
function thumbnail(raw: string, done: (err: Error | null, out?: Buffer) => void) {
  Jimp.read(Buffer.from(raw, 'base64'), (err, image) => {
    if (err) return done(err);
    image.resize(64, 64).getBuffer(Jimp.MIME_PNG, done);
  });
}
app.post('/thumbnails', (req, res) => {
  thumbnail(req.body.image, (err, out) => res.status(err ? 400 : 201).send(out));
});
`,
    errors: [
      { messageId: 'slowCall', line: 7, column: 3, endColumn: 12, data: { callee: 'Jimp.read', route: `POST /thumbnails (${file}:12)`, what: 'image processing with jimp' } },
    ],
  },
  {
    name: 'Fastify instance imported from another module, route with the request left unused: (_, reply)',
    code: `
import { chromium } from 'playwright';
import { initializedFastify } from './config';

initializedFastify.get('/listings', async (_, reply) => {
  const browser = await chromium.launch();
  const page = await browser.newPage();
  await page.goto('https://example.com/listings');
  reply.header('cache-control', 'no-store');
  return page.title();
});
`,
    errors: [
      { messageId: 'slowCall', line: 6, column: 25, endColumn: 40, data: { callee: 'chromium.launch', route: `GET /listings (${file}:5)`, what: 'launching a headless browser' } },
    ],
  },
  {
    name: 'Koa + @koa/router: playwright await page.screenshot()',
    code: `
import Router from '@koa/router';
import { chromium } from 'playwright';

export const router = new Router();
router.get('/preview', async (ctx) => {
  const browser = await chromium.launch();
  const page = await browser.newPage();
  await page.goto(String(ctx.query.url));
  ctx.body = await page.screenshot({ fullPage: true });
  await browser.close();
});
`,
    errors: [
      {
        messageId: 'slowCall',
        line: 10,
        column: 20,
        endColumn: 35,
        data: { callee: 'page.screenshot', route: `GET /preview (${file}:6)`, what: 'a headless-browser screenshot' },
      },
    ],
  },
  {
    name: 'tRPC mutation: nodemailer await transporter.sendMail',
    code: `
import { initTRPC } from '@trpc/server';
import nodemailer from 'nodemailer';

const t = initTRPC.create();
const publicProcedure = t.procedure;
const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });

export const appRouter = t.router({
  inviteUser: publicProcedure.mutation(async ({ input }) => {
    await transporter.sendMail({ to: String(input), subject: 'You are invited', text: 'Welcome aboard' });
    return { invited: true };
  }),
});
`,
    errors: [
      {
        messageId: 'slowCall',
        line: 11,
        column: 11,
        endColumn: 31,
        data: { callee: 'transporter.sendMail', route: `tRPC mutation inviteUser (${file}:10)`, what: 'sending e-mail' },
      },
    ],
  },
  {
    name: 'Express: await transporter.sendMail in a helper the handler calls',
    code: `
import nodemailer from 'nodemailer';
import express from 'express';

const app = express();
const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });

async function sendWelcome(to: string) {
  await transporter.sendMail({ to, subject: 'Welcome', text: 'Thanks for signing up' });
}

app.post('/signup', async (req, res) => {
  await sendWelcome(req.body.email);
  res.sendStatus(201);
});
`,
    errors: [
      { messageId: 'slowCall', line: 9, column: 9, endColumn: 29, data: { callee: 'transporter.sendMail', route: `POST /signup (${file}:12)`, what: 'sending e-mail' } },
    ],
  },
  {
    name: "Express: transporter.sendMail given the caller's callback, which answers the request",
    code: `
import nodemailer from 'nodemailer';
import express from 'express';

const app = express();
const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });

function sendWelcome(to: string, callback: (error: Error | null) => void) {
  transporter.sendMail({ to, subject: 'Welcome', text: 'Thanks for signing up' }, callback);
}

app.post('/signup', (req, res) => {
  sendWelcome(req.body.email, (error) => res.status(201).json({ welcomeSent: !error }));
});
`,
    errors: [
      { messageId: 'slowCall', line: 9, column: 3, endColumn: 23, data: { callee: 'transporter.sendMail', route: `POST /signup (${file}:12)`, what: 'sending e-mail' } },
    ],
  },
  {
    name: 'Express: @sendgrid/mail await sgMail.send',
    code: `
import sgMail from '@sendgrid/mail';
import express from 'express';

const app = express();
app.post('/contact', async (req, res) => {
  await sgMail.send({ to: 'support@example.com', from: 'noreply@example.com', subject: 'Contact', text: String(req.body.message) });
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'slowCall', line: 7, column: 9, endColumn: 20, data: { callee: 'sgMail.send', route: `POST /contact (${file}:6)`, what: 'sending e-mail' } }],
  },
  {
    name: 'NestJS: @nestjs-modules/mailer MailerService.sendMail awaited in the service the controller calls',
    code: `
import { Body, Controller, Injectable, Post } from '@nestjs/common';
import { MailerService } from '@nestjs-modules/mailer';

@Injectable()
export class MailService {
  constructor(private readonly mailer: MailerService) {}

  async sendWelcome(to: string) {
    await this.mailer.sendMail({ to, subject: 'Welcome', template: 'welcome' });
  }
}

@Controller('auth')
export class AuthController {
  constructor(private readonly mail: MailService) {}

  @Post('register')
  async register(@Body() body: { email: string }) {
    await this.mail.sendWelcome(body.email);
    return { ok: true };
  }
}
`,
    errors: [{ messageId: 'slowCall', line: 10, column: 11, endColumn: 31, data: { callee: 'this.mailer.sendMail', route: `POST /auth/register (AuthController.register, ${file}:18)`, what: 'sending e-mail' } }],
  },
  {
    name: 'Koa + @koa/router: @sendgrid/mail imported as sendgrid, its send returned by a helper the handler awaits',
    code: `
import sendgrid from '@sendgrid/mail';
import Router from '@koa/router';

function sendWelcome(to: string) {
  return sendgrid.send({ to, from: 'noreply@example.com', subject: 'Welcome', html: '' });
}

const router = new Router();
router.post('/sign-up', async (ctx) => {
  await sendWelcome(String((ctx.request as unknown as { body: { email: string } }).body.email));
  ctx.body = {};
});
`,
    errors: [{ messageId: 'slowCall', line: 6, column: 10, endColumn: 23, data: { callee: 'sendgrid.send', route: `POST /sign-up (${file}:10)`, what: 'sending e-mail' } }],
  },
  {
    name: 'Express: mkdirSync of another folder than the one the guard tests, and in the else branch',
    code: `
import fs from 'node:fs';
import express from 'express';

const app = express();
app.post('/ingest/:user', (req, res) => {
  const dir = \`rag/\${req.params.user}\`;
  if (!fs.existsSync('rag')) fs.mkdirSync(dir);
  if (!fs.existsSync(dir)) res.sendStatus(404); else fs.mkdirSync(dir);
  res.end();
});
`,
    errors: [
      { messageId: 'syncCall', line: 8, column: 30, endColumn: 42, data: { callee: 'fs.mkdirSync', route: `POST /ingest/:user (${file}:6)` } },
      { messageId: 'syncCall', line: 9, column: 54, endColumn: 66, data: { callee: 'fs.mkdirSync', route: `POST /ingest/:user (${file}:6)` } },
    ],
  },
  {
    name: "Koa: fs-extra's ensureDirSync on every request, and mkdirsSync behind a guard that tests another folder",
    code: `
import fs from 'fs-extra';
import Router from '@koa/router';

const router = new Router();
router.post('/exports/:user', async (ctx) => {
  const folder = 'exports/' + ctx.params.user;
  fs.ensureDirSync(folder);
  if (!fs.existsSync('exports')) fs.mkdirsSync(folder);
  ctx.body = folder;
});
`,
    errors: [
      { messageId: 'syncCall', line: 8, column: 3, endColumn: 19, data: { callee: 'fs.ensureDirSync', route: `POST /exports/:user (${file}:6)` } },
      { messageId: 'syncCall', line: 9, column: 34, endColumn: 47, data: { callee: 'fs.mkdirsSync', route: `POST /exports/:user (${file}:6)` } },
    ],
  },
  {
    name: 'Koa: the same mail helper awaited by the handler is reported at sendMail',
    code: `
import nodemailer from 'nodemailer';
import Router from '@koa/router';

const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
async function sendReset(email: string) {
  await transporter.sendMail({ to: email, subject: 'Reset your password' });
}
const router = new Router();
router.post('/reset', async (ctx) => {
  await sendReset('a@example.com');
  ctx.status = 204;
});
`,
    errors: [{ messageId: 'slowCall', line: 7, column: 9, endColumn: 29, data: { callee: 'transporter.sendMail', route: `POST /reset (${file}:10)`, what: 'sending e-mail' } }],
  },
  {
    name: 'AWS Lambda handler: await Jimp.read',
    code: `
import { Jimp } from 'jimp';

export const handler = async (event: { imageUrl: string }) => {
  const image = await Jimp.read(event.imageUrl);
  return { statusCode: 200, body: JSON.stringify({ width: image.width }) };
};
`,
    errors: [
      {
        messageId: 'slowCall',
        line: 5,
        column: 23,
        endColumn: 32,
        data: { callee: 'Jimp.read', route: `Lambda handler (every invocation, ${file}:4)`, what: 'image processing with jimp' },
      },
    ],
  },
  {
    name: 'slowCalls: a named import, and the same member through the default import',
    code: `
import express from 'express';
import renderer, { render } from 'my-renderer';

const app = express();
app.get('/pages/:slug', async (req, res) => {
  const body = await render(req.params.slug);
  const sidebar = await renderer.render('sidebar');
  res.send(body + sidebar);
});
`,
    options: [{ slowCalls: [{ module: 'my-renderer', name: 'render' }] }],
    errors: [
      { messageId: 'slowCall', line: 7, column: 22, endColumn: 28, data: { callee: 'render', route: `GET /pages/:slug (${file}:6)`, what: "my-renderer's render" } },
      {
        messageId: 'slowCall',
        line: 8,
        column: 25,
        endColumn: 40,
        data: { callee: 'renderer.render', route: `GET /pages/:slug (${file}:6)`, what: "my-renderer's render" },
      },
    ],
  },
  {
    name: "slowCalls: name 'default' is the default import called itself",
    code: `
import express from 'express';
import convert from 'video-converter';

const app = express();
app.post('/videos', async (req, res) => {
  res.json(await convert(req.body.file));
});
`,
    options: [{ slowCalls: [{ module: 'video-converter', name: 'default' }] }],
    errors: [
      { messageId: 'slowCall', line: 7, column: 18, endColumn: 25, data: { callee: 'convert', route: `POST /videos (${file}:6)`, what: 'video-converter' } },
    ],
  },
  {
    name: 'checkSlowCalls: false still reports sync calls, not the awaited sharp chain',
    code: `
import fs from 'node:fs';
import sharp from 'sharp';
import express from 'express';

const app = express();
app.post('/watermark', async (req, res) => {
  const watermark = fs.readFileSync('watermark.png');
  res.send(await sharp(req.body).composite([{ input: watermark }]).toBuffer());
});
`,
    options: [{ checkSlowCalls: false }],
    errors: [{ messageId: 'syncCall', line: 8, column: 21, endColumn: 36, data: { callee: 'fs.readFileSync', route: `POST /watermark (${file}:7)` } }],
  },
  {
    name: 'socket.io admin events: reading the settings file on "load" is reported; the same read before restartServer is the restart, quiet',
    code: `
import fs from 'node:fs';
import { Server } from 'socket.io';

const hooks = { callAll: (name: string) => name };
function readSettings() {
  return JSON.parse(fs.readFileSync('settings.json', 'utf8'));
}
const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('load', () => socket.emit('settings', readSettings()));
  socket.on('restartServer', () => {
    readSettings();
    hooks.callAll('restartServer');
  });
});
`,
    errors: [{ messageId: 'syncCall', line: 7, column: 21, endColumn: 36, data: { callee: 'fs.readFileSync', route: `socket event "load" (${file}:11)` } }],
  },
  {
    name: 'Express: a read of an uploaded file beside a plugin linked into node_modules: the upload read is reported',
    code: `
import path from 'node:path';
import { readFileSync, symlinkSync } from 'node:fs';
import express from 'express';

const node_modules = path.join(__dirname, 'node_modules');
const uploadsDir = path.join(__dirname, 'uploads');
const app = express();
app.post('/plugins/:name', (req, res) => {
  symlinkSync(path.join('plugin_packages', req.params.name), path.join(node_modules, req.params.name), 'dir');
  res.send(readFileSync(path.join(uploadsDir, req.params.name)));
});
`,
    errors: [{ messageId: 'syncCall', line: 11, column: 12, endColumn: 24, data: { callee: 'readFileSync', route: `POST /plugins/:name (${file}:9)` } }],
  },
  {
    name: 'Express: a handler that only tells the user to run npm install is no installer: its read is reported',
    code: `
import fs from 'node:fs';
import express from 'express';

const app = express();
app.get('/widgets', (req, res) => {
  if (!fs.existsSync('node_modules/widgets')) return res.status(500).send('Run npm install widgets first');
  res.send(fs.readFileSync('widgets.json', 'utf8'));
});
`,
    errors: [{ messageId: 'syncCall', line: 8, column: 12, endColumn: 27, data: { callee: 'fs.readFileSync', route: `GET /widgets (${file}:6)` } }],
  },
  {
    name: "Express: key generation in a handler that destroys the client's socket, not its server, is reported",
    code: `
import crypto from 'node:crypto';
import express from 'express';

const app = express();
app.post('/keys', (req, res) => {
  const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  res.json({ publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) });
  req.socket.destroy();
});
`,
    errors: [{ messageId: 'syncCall', line: 7, column: 16, endColumn: 42, data: { callee: 'crypto.generateKeyPairSync', route: `POST /keys (${file}:6)` } }],
  },
  {
    name: 'NestJS: bcryptjs compareSync in a @nestjs/passport strategy\'s validate runs on the login its guard authenticates; a helper method beside it does not',
    code: `
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { compareSync, hashSync } from 'bcryptjs';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  private readonly users = new Map<string, string>();

  async validate(email: string, password: string) {
    const hash = this.users.get(email);
    if (!hash || !compareSync(password, hash)) throw new UnauthorizedException();
    return { email };
  }

  seed(email: string, password: string) {
    this.users.set(email, hashSync(password, 10));
  }
}
`,
    errors: [{ messageId: 'syncCall', line: 13, column: 19, endColumn: 30, data: { callee: 'compareSync', route: `passport sign-in (LocalStrategy.validate, a @nestjs/passport strategy, ${file}:11)` } }],
  },
  {
    name: 'Express: a mail helper whose promise one route swallows with .then(() => {}) is not waited for there; the route that answers in its .then is',
    code: `
import express from 'express';
import nodemailer from 'nodemailer';

const transporter = nodemailer.createTransport({ host: 'smtp.example.com' });
function notify(to: string, text: string) {
  return new Promise((resolve, reject) => {
    transporter.sendMail({ to, text }, (error, info) => (error ? reject(error) : resolve(info)));
  });
}
const app = express();
app.post('/invite', (req, res) => {
  notify(req.body.email, 'welcome').then(() => {}).catch(() => {});
  res.status(202).end();
});
app.post('/reminder', (req, res) => {
  notify(req.body.email, 'reminder').then(() => res.status(200).end());
});
`,
    errors: [{ messageId: 'slowCall', line: 8, column: 5, endColumn: 25, data: { callee: 'transporter.sendMail', route: `POST /reminder (${file}:16)`, what: 'sending e-mail' } }],
  },
  {
    name: "Express: a mail helper handed a callback that only logs is not waited for (the route answers apart from the send); the route whose callback answers is",
    code: `
import express from 'express';
import nodemailer from 'nodemailer';

const transporter = nodemailer.createTransport({ host: 'smtp.example.com' });
function notify(to: string, text: string, done: (error: Error | null) => void) {
  transporter.sendMail({ to, text }, (error) => done(error));
}
const app = express();
app.post('/invite', (req, res) => {
  notify(req.body.email, 'welcome', (error) => {
    if (error) console.error('invite mail failed', error);
  });
  res.status(202).end();
});
app.post('/reminder', (req, res) => {
  notify(req.body.email, 'reminder', (error) => {
    if (error) return res.status(502).end();
    res.status(200).end();
  });
});
`,
    errors: [{ messageId: 'slowCall', line: 7, column: 3, endColumn: 23, data: { callee: 'transporter.sendMail', route: `POST /reminder (${file}:16)`, what: 'sending e-mail' } }],
  },
  {
    name: 'TypeORM: bcryptjs hashSync in an entity\'s @BeforeInsert listener runs inside the save a route makes; a method beside it that nothing calls does not',
    code: `
import { BeforeInsert, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { compareSync, hashSync } from 'bcryptjs';

@Entity()
export class Member {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  pin!: string;

  @BeforeInsert()
  hashPin() {
    this.pin = hashSync(this.pin, 10);
  }

  matches(pin: string) {
    return compareSync(pin, this.pin);
  }
}
`,
    errors: [{ messageId: 'syncCall', line: 15, column: 16, endColumn: 24, data: { callee: 'hashSync', route: `TypeORM BeforeInsert listener (Member.hashPin, ${file}:13)` } }],
  },
  {
    name: "Mongoose: bcryptjs hashSync in schema.pre('save') runs inside the save a route makes; pre('save') of an object that is not a schema does not",
    code: `
import mongoose from 'mongoose';
import bcrypt from 'bcryptjs';

declare const stages: { pre(name: string, fn: () => void): void };
const memberSchema = new mongoose.Schema({ pin: String });
memberSchema.pre('save', function () {
  this.set('pin', bcrypt.hashSync(String(this.get('pin')), 10));
});
stages.pre('save', () => bcrypt.hashSync('stage', 4));
export const Member = mongoose.model('Member', memberSchema);
`,
    errors: [{ messageId: 'syncCall', line: 8, column: 19, endColumn: 34, data: { callee: 'bcrypt.hashSync', route: `Mongoose pre('save') middleware of memberSchema (${file}:7)` } }],
  },
  {
    name: 'Express: pbkdf2Sync of the password blocks the login; the realpathSync of the upload and the hkdfSync of a session key beside it do not',
    code: `
import crypto from 'node:crypto';
import fs from 'node:fs';
import express from 'express';

const app = express();
app.post('/login', (req, res) => {
  const upload = fs.realpathSync(req.body.avatarPath);
  const sessionKey = crypto.hkdfSync('sha256', process.env.SECRET ?? '', '', 'session', 32);
  const hash = crypto.pbkdf2Sync(req.body.password, 'salt', 100000, 64, 'sha512');
  res.json({ upload, sessionKey: Buffer.from(sessionKey).toString('hex'), hash: hash.toString('hex') });
});
`,
    errors: [{ messageId: 'syncCall', line: 10, column: 16, endColumn: 33, data: { callee: 'crypto.pbkdf2Sync', route: `POST /login (${file}:7)` } }],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  { name: "look-alike: the same list of handler objects, whose only sync write is in the method run over it once at start-up", code: `
import fs from 'node:fs';
import http from 'node:http';
import { Server, type Socket } from 'socket.io';

abstract class SocketHandler {
  abstract create(socket: Socket, stacksDir: string): void;
  abstract describe(stacksDir: string): void;
}

class StackSocketHandler extends SocketHandler {
  create(socket: Socket, stacksDir: string) {
    socket.on('saveStack', (name: string, yaml: string) => {
      void fs.promises.writeFile(stacksDir + '/' + name + '/compose.yaml', yaml);
    });
  }

  describe(stacksDir: string) {
    fs.writeFileSync(stacksDir + '/README.txt', 'stacks');
  }
}

class PingSocketHandler extends SocketHandler {
  create(socket: Socket) {
    socket.on('ping', (callback: (ok: boolean) => void) => callback(true));
  }

  describe() {}
}

class AppServer {
  httpServer = http.createServer();
  io = new Server(this.httpServer);
  handlers: SocketHandler[] = [new PingSocketHandler(), new StackSocketHandler()];

  constructor() {
    for (const handler of this.handlers) handler.describe('/opt/stacks');
    this.io.on('connection', (socket: Socket) => {
      for (const handler of this.handlers) handler.create(socket, '/opt/stacks');
    });
  }
}

new AppServer().httpServer.listen(5001);
` },
  {
    name: 'Express: uploads mailed as one digest from a timer the route arms five seconds after the last one; the request does not wait for the send',
    code: `
import express from 'express';
import nodemailer from 'nodemailer';

const transporter = nodemailer.createTransport({ host: process.env.SMTP_HOST });
const pending = new Map<string, { names: string[]; timer?: NodeJS.Timeout }>();
const app = express();
app.post('/files/:owner', express.json(), (req, res) => {
  const owner = req.params.owner;
  const batch = pending.get(owner) ?? { names: [] };
  batch.names.push(String(req.body.name));
  pending.set(owner, batch);
  if (batch.timer) clearTimeout(batch.timer);
  batch.timer = setTimeout(async () => {
    await transporter.sendMail({ to: owner, subject: 'New files', text: batch.names.join(', ') });
    pending.delete(owner);
  }, 5000);
  res.sendStatus(202);
});
`,
  },
  {
    name: "a sync append in the branch a flag parameter opens, which the routes' calls leave off: only the exit handler's flush passes it on",
    code: `
import fs from 'node:fs';
import express from 'express';

async function append(file: string, lines: string, sync = false) {
  if (sync) fs.appendFileSync(file, lines);
  else await fs.promises.appendFile(file, lines);
}
process.on('exit', () => void append('events.log', 'bye', true));
const app = express();
app.post('/events', async (req, res) => {
  await append('events.log', String(req.body));
  res.sendStatus(202);
});
`,
  },
  {
    name: 'Express: a manual parsed with pdf-parse once at start-up and served from memory',
    code: `
import express from 'express';
import pdf from 'pdf-parse';
import { readFile } from 'node:fs/promises';

const app = express();
const manual = readFile('docs/manual.pdf').then((data) => pdf(data));
app.get('/manual', async (req, res) => {
  res.send((await manual).text);
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
    name: 'Express: converters asked only for their version (`spawn(pandoc, [--version])`, `exec(ffmpeg -version)`, `execFile(soffice, [--help])`): answered at once',
    code: `
import express from 'express';
import { exec, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);
const app = express();
app.get('/converters', async (_req, res) => {
  const pandoc = await new Promise<boolean>((resolve) => spawn('pandoc', ['--version']).on('close', (code) => resolve(code === 0)));
  const { stdout } = await execAsync('ffmpeg -version');
  const office = await execFileAsync('soffice', ['--help']).then(() => true, () => false);
  res.json({ pandoc, ffmpeg: stdout.split(' ')[2], office });
});
`,
  },
  {
    name: "Express: sharp's metadata() reads an uploaded image's size from its header, no processing",
    code: `
import express from 'express';
import sharp from 'sharp';

const app = express();
app.post('/banners', express.raw({ type: 'image/*' }), async (req, res) => {
  const { width = 0, height = 0 } = await sharp(req.body as Buffer).metadata();
  if (width > 4000 || height > 4000) return res.status(413).end();
  res.json({ width, height });
});
`,
  },
  {
    name: "Express: a queue's own `sendEmail` in a file that imports the SES package for its plain client",
    code: `
import express from 'express';
import { SESClient } from '@aws-sdk/client-ses';

export const ses = new SESClient({});
const mailQueue = { async sendEmail(job: { to: string }) { return job; } };
const app = express();
app.post('/invites', async (req, res) => {
  await mailQueue.sendEmail({ to: req.body.email });
  res.sendStatus(202);
});
`,
  },
  {
    name: 'Express: a statSync in a try block whose catch makes the missing folder only probes that it exists',
    code: `
import fs from 'node:fs';
import express from 'express';

const app = express();
app.get('/exports/:name', (req, res) => {
  try {
    fs.statSync(\`exports/\${req.params.name}\`);
  } catch {
    return res.sendStatus(404);
  }
  res.sendFile(\`exports/\${req.params.name}\`);
});
`,
  },
  {
    name: 'quiet: a job named convert queued by the request, git asked for the revision, a sentence that starts with convert, a converter probed at start-up, a converter run by a script',
    code: `
import express from 'express';
import { Queue } from 'bullmq';
import { execFile, execSync } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
declare function audit(line: string): Promise<void>;
const conversions = new Queue('conversions');
const ffmpegVersion = execSync('ffmpeg -version').toString();

const app = express();
app.post('/docs/:id/convert', async (req, res) => {
  const job = await conversions.add('convert', { id: req.params.id });
  res.status(202).json({ job: job.id, ffmpegVersion });
});
app.get('/version', async (req, res) => {
  const { stdout } = await execFileAsync('git', ['rev-parse', 'HEAD']);
  await audit(\`convert requested by \${req.ip}\`);
  res.send(stdout);
});

export async function rebuildThumbnails(files: string[]) {
  for (const file of files) await execFileAsync('convert', [file, '-resize', '256x', \`\${file}.png\`]);
}
`,
  },
  {
    name: 'a headless browser launched once on first use and shared; a mail whose inline callback only logs',
    code: `
import express from 'express';
import nodemailer from 'nodemailer';
import { chromium, type Browser } from 'playwright';

const app = express();
const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
let browser: Browser | undefined;
async function getBrowser() {
  if (!browser) browser = await chromium.launch();
  return browser;
}
app.get('/title', async (req, res) => {
  const page = await (await getBrowser()).newPage();
  await page.goto(String(req.query.url));
  res.send(await page.title());
});
app.post('/invite', (req, res) => {
  transporter.sendMail({ to: req.body.email }, (err) => { if (err) console.error(err.message); });
  res.status(202).end();
});
`,
  },
  {
    name: 'a template read when the map misses and kept in the same map (Express)',
    code: `
import fs from 'fs';
import ejs from 'ejs';
import express from 'express';

const templateCache = new Map();
const settings = { maxAge: 6 * 60 * 60 };
function render(file: string, args: object) {
  const cache = settings.maxAge !== 0;
  const template = cache && templateCache.get(file) || ejs.compile(fs.readFileSync(file).toString(), { filename: file });
  if (cache) templateCache.set(file, template);
  return template(args);
}
const app = express();
app.get('/p/:pad', (req, res) => {
  res.send(render('templates/pad.html', { pad: req.params.pad }));
});
`,
  },
  {
    name: 'existence probes: accessSync, and statSync/lstatSync asked only for the kind of entry (Express, Fastify)',
    code: `
import fs, { accessSync, constants } from 'node:fs';
import express from 'express';
import Fastify from 'fastify';

const app = express();
app.get('/admin/{*file}', (req, res) => {
  let file = \`admin/\${req.params.file}\`;
  try { accessSync(file, constants.F_OK); } catch { return res.sendStatus(404); }
  if (fs.statSync(file).isDirectory()) file += '/index.html';
  res.sendFile(file);
});
const fastify = Fastify();
fastify.get('/plugins/:name', async (request) => {
  const { name } = request.params as { name: string };
  return { linked: fs.lstatSync(\`node_modules/\${name}\`).isSymbolicLink() };
});
`,
  },
  {
    name: 'a sync read kept in module state behind an early return: a once-per-process flag (Koa) and a cached value (Express)',
    code: `
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import Router from '@koa/router';
import express from 'express';

let commitFetched = false;
let commit: string | undefined;
export function gitCommit() {
  if (commitFetched) {
    return commit;
  }
  commitFetched = true;
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  return commit;
}
const router = new Router();
router.get('/version', (ctx) => {
  ctx.body = { commit: gitCommit() };
});

const cache: { themes?: string[] } = {};
function themes() {
  if (cache.themes != null) return cache.themes;
  const installed = Object.keys(JSON.parse(fs.readFileSync('themes/package.json', 'utf8')).dependencies);
  setTimeout(() => { delete cache.themes; }, 15 * 60 * 1000);
  return store(installed);
}
function store(names: string[]) {
  cache.themes = names;
  return names;
}
const app = express();
app.get('/themes', (req, res) => {
  res.json(themes());
});
`,
  },
  {
    name: 'a mail helper that awaits sendMail, called by the handler without waiting (Express, Fastify)',
    code: `
import nodemailer from 'nodemailer';
import express from 'express';
import Fastify from 'fastify';

const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
async function sendReset(email: string) {
  await transporter.sendMail({ to: email, subject: 'Reset your password' });
}
const app = express();
app.post('/reset', (req, res) => {
  sendReset(String(req.body.email)).catch((error: unknown) => console.error(error));
  res.sendStatus(202);
});
const fastify = Fastify();
fastify.post('/reset', async () => {
  void sendReset('a@example.com').catch(() => undefined);
  return { queued: true };
});
`,
  },
  {
    name: 'a folder made with mkdirSync when existsSync finds it missing: once per process (Express, Fastify)',
    code: `
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import Fastify from 'fastify';

const app = express();
app.post('/ingest', (req, res) => {
  const inputDir = path.join(__dirname, 'rag_input');
  if (!fs.existsSync(inputDir)) {
    fs.mkdirSync(inputDir, { recursive: true });
  }
  res.end();
});
const fastify = Fastify();
const config = { tmpPath: '/tmp/export' };
fastify.get('/export', async () => {
  if (!fs.existsSync(config.tmpPath)) fs.mkdirSync(config.tmpPath);
  return 'ok';
});
`,
  },
  {
    name: "fs-extra's mkdirsSync and mkdirpSync of a folder when existsSync finds it missing: once per process (Koa)",
    code: `
import fs from 'fs-extra';
import path from 'node:path';
import Router from '@koa/router';

const UPLOADS = path.join(process.cwd(), 'public', 'uploads');
const router = new Router();
router.post('/assets', async (ctx) => {
  if (!fs.existsSync(UPLOADS)) fs.mkdirsSync(UPLOADS);
  const thumbs = path.join(UPLOADS, 'thumbs');
  if (!fs.existsSync(thumbs)) fs.mkdirpSync(thumbs);
  ctx.body = 'ok';
});
`,
  },
  {
    name: '@sendgrid/mail send fired without waiting, and send of a queue',
    code: `
import sendgrid from '@sendgrid/mail';
import express from 'express';

const queue = { send: async (message: object) => message };
const app = express();
app.post('/sign-up', async (req, res) => {
  await queue.send({ to: String(req.body.email) });
  sendgrid.send({ to: String(req.body.email), from: 'noreply@example.com', subject: 'Hi', text: '' }).catch(() => undefined);
  res.end();
});
`,
  },
  {
    name: 'the same calls at module scope (start-up)',
    code: `
import fs from 'node:fs';
import { execSync } from 'node:child_process';
import bcrypt from 'bcrypt';
import sharp from 'sharp';
import express from 'express';

const indexHtml = fs.readFileSync('public/index.html', 'utf8');
const commit = execSync('git rev-parse HEAD').toString().trim();
const adminHash = bcrypt.hashSync(process.env.ADMIN_PASSWORD ?? '', 12);
const placeholder = await sharp('placeholder.png').resize(64).toBuffer();

const app = express();
app.get('/', (req, res) => {
  res.send(indexHtml);
});
app.get('/version', (req, res) => {
  res.json({ commit, hasAdmin: adminHash.length > 0, placeholder: placeholder.toString('base64') });
});
`,
  },
  {
    name: 'functions no handler calls',
    code: `
import { execSync } from 'node:child_process';
import zlib from 'node:zlib';
import express from 'express';

export function buildAssets(): void {
  execSync('npm run build:assets');
}

export function archive(data: string): Buffer {
  return zlib.gzipSync(data);
}

const app = express();
app.get('/health', (req, res) => {
  res.send('ok');
});
`,
  },
  {
    name: 'setInterval and node-cron callbacks registered at module scope',
    code: `
import fs from 'node:fs';
import cron from 'node-cron';
import nodemailer from 'nodemailer';
import sharp from 'sharp';
import express from 'express';

const app = express();
const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });

setInterval(() => {
  fs.writeFileSync('heartbeat.txt', new Date().toISOString());
}, 60_000);

cron.schedule('0 3 * * *', async () => {
  await sharp('banner.png').resize(1200).toFile('banner-small.png');
  await transporter.sendMail({ to: 'ops@example.com', subject: 'Nightly job done', text: 'ok' });
});

app.get('/health', (req, res) => {
  res.send('ok');
});
`,
  },
  {
    name: 'fs.existsSync, fs-extra pathExistsSync, fs.promises.readFile and readFile from node:fs/promises in a handler',
    code: `
import fs from 'node:fs';
import fse from 'fs-extra';
import { readFile } from 'node:fs/promises';
import express from 'express';

const app = express();
app.get('/docs/:name', async (req, res) => {
  const file = \`docs/\${req.params.name}.md\`;
  if (!fs.existsSync(file) || !fse.pathExistsSync(file)) return res.sendStatus(404);
  const intro = await fs.promises.readFile('docs/intro.md', 'utf8');
  res.send(intro + (await readFile(file, 'utf8')));
});
`,
  },
  {
    name: "a user's own readFileSync method and an execSync imported from a local module",
    code: `
import express from 'express';
import { execSync } from './shell';

const templates = {
  readFileSync(name: string): string {
    return \`<h1>\${name}</h1>\`;
  },
};

function hashSync(value: string): string {
  return value.split('').reverse().join('');
}

const app = express();
app.get('/pages/:name', (req, res) => {
  res.send(templates.readFileSync(req.params.name) + execSync('echo') + hashSync(req.params.name));
});
`,
  },
  {
    name: 'transporter.sendMail(…).catch(…) without await is fire and forget',
    code: `
import nodemailer from 'nodemailer';
import express from 'express';

const app = express();
const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });

app.post('/signup', (req, res) => {
  transporter.sendMail({ to: req.body.email, subject: 'Welcome', text: 'Thanks' }).catch((error: unknown) => console.error(error));
  res.sendStatus(201);
});
`,
  },
  {
    name: 'transporter.sendMail with a module-level logger as its callback is fire and forget',
    code: `
import nodemailer from 'nodemailer';
import express from 'express';

const app = express();
const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
function logFailure(error: Error | null) {
  if (error) console.error(error.message);
}

app.post('/signup', (req, res) => {
  transporter.sendMail({ to: req.body.email, subject: 'Welcome', text: 'Thanks' }, logFailure);
  res.sendStatus(201);
});
`,
  },
  {
    name: "enqueueing the e-mail: await queue.add('email', …)",
    code: `
import { Queue } from 'bullmq';
import nodemailer from 'nodemailer';
import express from 'express';

const app = express();
const emailQueue = new Queue('email');
export const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });

app.post('/signup', async (req, res) => {
  await emailQueue.add('email', { to: req.body.email, template: 'welcome' });
  res.sendStatus(202);
});
`,
  },
  {
    name: 'a sharp chain the request does not wait for',
    code: `
import sharp from 'sharp';
import express from 'express';

const app = express();
app.post('/avatars/:id', (req, res) => {
  void sharp(req.body).resize(256).toFile(\`avatars/\${req.params.id}.webp\`);
  res.sendStatus(202);
});
`,
  },
  {
    name: 'slowCalls: a configured call the request does not wait for, and an unconfigured member',
    code: `
import express from 'express';
import { preview, render } from 'my-renderer';

const app = express();
app.get('/pages/:slug', async (req, res) => {
  void render(req.params.slug);
  res.send(await preview(req.params.slug));
});
`,
    options: [{ slowCalls: [{ module: 'my-renderer', name: 'render' }] }],
  },
  {
    name: 'checkSlowCalls: false',
    code: `
import sharp from 'sharp';
import express from 'express';

const app = express();
app.post('/avatars', async (req, res) => {
  res.type('webp').send(await sharp(req.body).resize(256, 256).webp().toBuffer());
});
`,
    options: [{ checkSlowCalls: false }],
  },
  {
    name: 'a handler that restarts the server: settings read again before restartServer() (Express) or pm2.restart (Koa)',
    code: `
import fs from 'node:fs';
import express from 'express';
import Koa from 'koa';
import Router from '@koa/router';

declare const pm2: { restart(name: string): void };
declare function restartServer(): Promise<void>;
const app = express();
app.post('/admin/restart', async (req, res) => {
  const settings = JSON.parse(fs.readFileSync('settings.json', 'utf8'));
  res.json({ restarting: true, port: settings.port });
  await restartServer();
});
const router = new Router();
router.post('/admin/reload', (ctx) => {
  fs.writeFileSync('settings.json', JSON.stringify(ctx.request.body));
  ctx.body = 'restarting';
  pm2.restart('web');
});
new Koa().use(router.routes());
`,
  },
  {
    name: 'a one-shot set-up server: the config written by the set-up request that then closes the server (Express)',
    code: `
import fs from 'node:fs';
import express from 'express';

const app = express();
const tempServer = app.listen(3001);
app.post('/setup-database', (req, res) => {
  fs.writeFileSync('data/db-config.json', JSON.stringify(req.body));
  res.json({ ok: true });
  tempServer.close();
});
`,
  },
  {
    name: 'a set-up wizard that generates its keys and then destroys its server, kept on a namespace (server-destroy)',
    code: `
import crypto from 'node:crypto';
import express from 'express';
import enableDestroy from 'server-destroy';

const app = express();
const setup = { server: app.listen(3001) };
enableDestroy(setup.server);
app.post('/finalize', async (req, res) => {
  const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  res.json({ publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) });
  setup.server.destroy(() => process.exit(0));
});
`,
  },
  {
    name: 'a plugin manager linking packages into node_modules, and a tool installed with apt when missing (Fastify)',
    code: `
import path from 'node:path';
import childProcess from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import Fastify from 'fastify';

const pluginInstallPath = path.join(__dirname, 'plugin_packages');
const node_modules = path.join(__dirname, 'node_modules');
function linkDependency(name: string) {
  const manifest = JSON.parse(readFileSync(path.join(pluginInstallPath, name, 'package.json'), 'utf8'));
  symlinkSync(path.join(pluginInstallPath, name), path.join(node_modules, name), 'dir');
  return manifest;
}
async function installChromium(bin: string) {
  await new Promise<void>((resolve) => {
    const child = childProcess.exec('apt update && apt --yes install chromium');
    child.on('exit', () => {
      console.log(childProcess.execSync(bin + ' --version').toString());
      resolve();
    });
  });
}
const fastify = Fastify();
fastify.post('/plugins/:name', async (request) => linkDependency((request.params as { name: string }).name));
fastify.post('/monitors/browser', async () => installChromium('/usr/bin/chromium'));
`,
  },
];

const blocksOnRequestPath = `
import fs from 'node:fs';
import sharp from 'sharp';
import express from 'express';

const app = express();
app.get('/thumbnail', async (req, res) => {
  const image = fs.readFileSync('image.png');
  res.send(await sharp(image).resize(100).toBuffer());
});
`;

/** Cases whose file name decides what the file is. */
const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'Next.js route handler: a Postmark client and a Resend client awaited before the response',
    code: `
import { ServerClient } from 'postmark';
import { Resend } from 'resend';

const postmark = new ServerClient(process.env.POSTMARK_TOKEN ?? '');
const resend = new Resend(process.env.RESEND_KEY);

export async function POST(request: Request) {
  const { email } = (await request.json()) as { email: string };
  await postmark.sendEmail({ From: 'hi@example.com', To: email, Subject: 'Sign in', TextBody: 'Your link' });
  await resend.emails.send({ from: 'hi@example.com', to: email, subject: 'Welcome', text: 'Hello' });
  return Response.json({ sent: true });
}
`,
    filename: 'app/api/invite/route.ts',
    errors: [
      { messageId: 'slowCall', line: 10, column: 9, endColumn: 27, data: { callee: 'postmark.sendEmail', route: 'POST /api/invite (app/api/invite/route.ts:8)', what: 'sending e-mail' } },
      { messageId: 'slowCall', line: 11, column: 9, endColumn: 27, data: { callee: 'resend.emails.send', route: 'POST /api/invite (app/api/invite/route.ts:8)', what: 'sending e-mail' } },
    ],
  },
  {
    name: 'Next.js route handler export: pdf-lib PDFDocument.create and readFileSync',
    filename: 'app/api/x/route.ts',
    code: `
import { PDFDocument } from 'pdf-lib';
import { readFileSync } from 'node:fs';

export async function POST(request: Request) {
  const { name } = (await request.json()) as { name: string };
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText(name);
  await pdf.embedPng(readFileSync('public/logo.png'));
  return new Response(await pdf.save(), { headers: { 'Content-Type': 'application/pdf' } });
}
`,
    errors: [
      {
        messageId: 'slowCall',
        line: 7,
        column: 21,
        endColumn: 39,
        data: { callee: 'PDFDocument.create', route: 'POST /api/x (app/api/x/route.ts:5)', what: 'PDF rendering with pdf-lib' },
      },
      { messageId: 'syncCall', line: 9, column: 22, endColumn: 34, data: { callee: 'readFileSync', route: 'POST /api/x (app/api/x/route.ts:5)' } },
    ],
  },
];

const fileNameValid: ValidTestCase<Options>[] = [
  { name: 'a test file never serves requests', filename: 'src/app.test.ts', code: blocksOnRequestPath },
  { name: 'a script never serves requests', filename: 'scripts/x.ts', code: blocksOnRequestPath },
  { name: 'a development server (webpack or Vite dev mode) never serves production traffic', filename: 'server/plugins/dev-server.ts', code: blocksOnRequestPath },
  {
    name: 'untyped analysis stays within one file: the route that calls renderTemplate() is in another file',
    filename: 'src/templates.ts',
    code: readFileSync(fixturePath('blocking/templates.ts'), 'utf8'),
  },
];

/** Untyped, across files (`fixtures/untyped-project`, read from disk by the project index). */
const untypedProjectInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: "untyped controller actions by name: yapi's createAction(router, '/api', Controller, item.action, prefix + item.path, item.method) per row of a table keyed by controller; the action no row names stays quiet",
    ...untypedProjectFile('controller-actions/controllers/test.js'),
    errors: [{ messageId: 'syncCall', line: 8, column: 5, endColumn: 21, data: { callee: 'fs.writeFileSync', route: 'POST /api/test/single/upload (controller-actions/router.js:9)' } }],
  },
  {
    name: "untyped Next.js pages router: a page's getServerSideProps runs on every request of the page; its getStaticProps runs at build time and stays quiet",
    ...untypedProjectFile('next-pages/pages/onboard.ts'),
    errors: [{ messageId: 'syncCall', line: 8, column: 19, endColumn: 33, data: { callee: 'fs.readdirSync', route: 'page /onboard (getServerSideProps, next-pages/pages/onboard.ts:7)' } }],
  },
  {
    name: 'untyped SvelteKit endpoint: the POST export of src/routes/(manage)/upload/+server.js writes the upload synchronously; an exported helper no request calls stays quiet',
    ...untypedProjectFile('sveltekit/src/routes/(manage)/upload/+server.js'),
    errors: [{ messageId: 'syncCall', line: 7, column: 3, endColumn: 16, data: { callee: 'writeFileSync', route: 'POST /upload (sveltekit/src/routes/(manage)/upload/+server.js:4)' } }],
  },
  {
    name: "untyped ES5 store picked by require('./stores/' + type): its writeFileSync blocks the Express route that calls this.store.set",
    ...untypedProjectFile('legacy/stores/file.js'),
    errors: [{ messageId: 'syncCall', line: 8, column: 3, endColumn: 19, data: { callee: 'fs.writeFileSync', route: 'POST /documents/:id (legacy/documents.js:16)' } }],
  },
  {
    name: 'untyped call through interfaces: getHandler() is declared to return MailHandler, whose implementing base class sends through a field declared MailProvider; SmtpProvider implements it, and its readFileSync blocks POST /test-email',
    ...untypedProjectFile('mail/providers/smtp.provider.ts'),
    errors: [{ messageId: 'syncCall', line: 6, column: 22, endColumn: 37, data: { callee: 'fs.readFileSync', route: 'POST /test-email (mail/app.ts:7)' } }],
  },
  {
    name: "untyped exit hook: the rename handed to onProcessExit, which keeps it in a module's Set for the exit handler, is not the update route's; the one withLock runs at once is",
    ...untypedProjectFile('exit-hooks/update.ts'),
    errors: [{ messageId: 'syncCall', line: 10, column: 5, endColumn: 15, data: { callee: 'renameSync', route: 'POST /update (exit-hooks/app.ts:6)' } }],
  },
  {
    name: "untyped ts-rest: the handler of initServer().router(contract, { approve: { handler } }) that createExpressEndpoints serves reads and writes the quote file synchronously",
    ...untypedProjectFile('ts-rest/dal/quotes.ts'),
    errors: [
      { messageId: 'syncCall', line: 8, column: 29, endColumn: 41, data: { callee: 'readFileSync', route: 'ts-rest approve (ts-rest/routes/quotes.ts:7)' } },
      { messageId: 'syncCall', line: 10, column: 3, endColumn: 16, data: { callee: 'writeFileSync', route: 'ts-rest approve (ts-rest/routes/quotes.ts:7)' } },
    ],
  },
  {
    name: "untyped AdonisJS: the controller method a route names by string ('RecipeController.list') parses a bundled file synchronously; the method no route names stays quiet",
    ...untypedProjectFile('adonis/app/Controllers/Http/RecipeController.ts'),
    errors: [{ messageId: 'syncCall', line: 6, column: 21, endColumn: 36, data: { callee: 'fs.readJsonSync', route: 'GET /v1/recipes (adonis/start/routes.ts:4)' } }],
  },

];

const untypedProjectValid: ValidTestCase<Options>[] = [
  { name: 'untyped: a method named as the provider interface\'s, in a class implementing none, is reached by no call through the interface', ...untypedProjectFile('mail/digest/writer.ts') },
  { name: "untyped worker thread: the export worker's writeFileSync blocks the worker's thread, not the event loop of the route that starts it", ...untypedProjectFile('worker-threads/workers/export.worker.ts') },
  { name: 'untyped ts-rest: the contract (initContract().router) registers no handler', ...untypedProjectFile('ts-rest/contract.ts') },
];

createUntypedRuleTester().run('no-blocking-request-work', rule, {
  valid: [...sameFileValid, ...fileNameValid, ...untypedProjectValid],
  invalid: [...sameFileInvalid('file.ts'), ...fileNameInvalid, ...untypedProjectInvalid],
});

createTypedRuleTester().run('no-blocking-request-work (typed)', rule, {
  valid: [
    ...sameFileValid,
    {
      name: 'cross-file: routes.ts reaches blocking calls in other files but makes none',
      filename: fixturePath('blocking/routes.ts'),
      code: readFileSync(fixturePath('blocking/routes.ts'), 'utf8'),
    },
    {
      name: 'cross-file NestJS: the controller reaches bcrypt.hashSync in the service but makes no blocking call',
      filename: fixturePath('blocking/accounts.controller.ts'),
      code: readFileSync(fixturePath('blocking/accounts.controller.ts'), 'utf8'),
    },
  ],
  invalid: [
    ...sameFileInvalid('src/rules/fixtures/file.ts'),
    {
      name: 'cross-file: GET /invoices/:id in routes.ts calls renderTemplate() here; listTemplates() runs only at start-up',
      filename: fixturePath('blocking/templates.ts'),
      code: readFileSync(fixturePath('blocking/templates.ts'), 'utf8'),
      errors: [
        {
          messageId: 'syncCall',
          line: 9,
          column: 20,
          endColumn: 35,
          data: { callee: 'fs.readFileSync', route: 'GET /invoices/:id (src/rules/fixtures/blocking/routes.ts:8)' },
        },
      ],
    },
    {
      name: 'cross-file: POST /thumbnails in routes.ts awaits makeThumbnail(), which returns the sharp chain',
      filename: fixturePath('blocking/thumbnails.ts'),
      code: readFileSync(fixturePath('blocking/thumbnails.ts'), 'utf8'),
      errors: [
        {
          messageId: 'slowCall',
          line: 4,
          column: 10,
          endColumn: 15,
          data: { callee: 'sharp', route: 'POST /thumbnails (src/rules/fixtures/blocking/routes.ts:12)', what: 'image processing with sharp' },
        },
      ],
    },
    {
      name: 'cross-file NestJS: POST /accounts in the controller calls PasswordService.hash(), which calls bcrypt.hashSync',
      filename: fixturePath('blocking/password.service.ts'),
      code: readFileSync(fixturePath('blocking/password.service.ts'), 'utf8'),
      errors: [
        {
          messageId: 'syncCall',
          line: 7,
          column: 12,
          endColumn: 27,
          data: { callee: 'bcrypt.hashSync', route: 'POST /accounts (AccountsController.create, src/rules/fixtures/blocking/accounts.controller.ts:8)' },
        },
      ],
    },
  ],
});
