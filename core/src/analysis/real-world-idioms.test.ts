import ts = require('typescript');
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import type { RuleId } from '../types';

/** Idiom classes read in real services (see test/real-world): each hazard, and the look-alikes that must stay quiet. */
function findings(code: string, rules: RuleId[], fileName = '/project/src/app.js'): string[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules }).map((finding) => {
    const line = sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1;
    return `${line} ${finding.messageId}: ${finding.data.callee ?? finding.data.name ?? ''}`;
  });
}

describe('a stored file deleted on a request path', () => {
  const head = `const fs = require('fs');\nconst path = require('path');\nconst express = require('express');\nconst app = express();\n`;

  it('unlink and rm of a file kept in a folder: reported at the call, wherever the handler calls it', () => {
    expect(
      findings(
        `${head}
function removePicture(filename) {
  fs.unlinkSync(path.join('public/images/device', filename));
}
app.delete('/devices/:id', async (req, res) => {
  const device = await loadDevice(req.params.id);
  removePicture(device.picture);
  await fs.promises.rm(path.join(__dirname, 'firmware', req.params.id));
  res.sendStatus(204);
});
async function loadDevice(id) { return { picture: id }; }
`,
        ['no-local-disk-write'],
      ),
    ).toEqual(['7 diskRemove: fs.unlinkSync', '12 diskRemove: fs.promises.rm']);
  });

  // The report written and removed once it is downloaded is scratch by its use (round 28): neither the write nor its removal is reported.
  it('quiet: temp files, the upload parser’s own temp file, the request’s own upload removed on failure, a file the same function wrote and removes once sent', () => {
    expect(
      findings(
        `${head}
const os = require('os');
app.post('/export', (req, res) => {
  const tmpFile = path.join(os.tmpdir(), 'export.pdf');
  fs.unlink(config.tmpPath + '/old.pdf', () => {});
  fs.unlink(req.file.path, () => {});
  fs.unlink(files.image.filepath, () => {});
  res.sendStatus(200);
});
app.post('/pictures', (req, res, next) => {
  try {
    res.json(save(req.file));
  } catch (error) {
    if (req.file) fs.unlinkSync(path.join('public/images', req.file.filename));
    next(error);
  }
});
app.post('/report', async (req, res) => {
  const out = path.join('reports', req.body.id);
  await fs.promises.writeFile(out, req.body.text);
  res.download(out, () => fs.unlink(out, () => {}));
});
const config = { tmpPath: '/tmp' };
const files = { image: { filepath: '' } };
function save(file) { return file; }
`,
        ['no-local-disk-write'],
      ),
    ).toEqual([]);
  });

  it('a folder cleared to be written again is reported once, at the write', () => {
    expect(
      findings(
        `${head}
app.put('/images/:id', async (req, res) => {
  const dir = path.join('cache/images', req.params.id);
  const filename = path.join(dir, 'image.png');
  await fs.promises.rm(dir, { force: true, recursive: true });
  await fs.promises.mkdir(dir, { recursive: true });
  await fs.promises.writeFile(filename, req.body);
  res.end();
});
`,
        ['no-local-disk-write'],
      ),
    ).toEqual(['11 diskWrite: fs.promises.writeFile']);
  });

  it('quiet: a removal at start-up or in a script-like function no route reaches', () => {
    expect(
      findings(
        `${head}
fs.rmSync(path.join(__dirname, 'cache'), { recursive: true, force: true });
function cleanOldUploads() { fs.unlinkSync(path.join('uploads', 'old.png')); }
setTimeout(cleanOldUploads, 1000);
app.get('/', (req, res) => res.send('ok'));
`,
        ['no-local-disk-write'],
      ),
    ).toEqual([]);
  });
});

describe('a folder made the first time a request finds it missing', () => {
  const head = `const fs = require('fs');\nconst path = require('path');\nconst express = require('express');\nconst app = express();\n`;

  it('quiet: mkdirSync under `if (!fs.existsSync(same))`, once per process', () => {
    expect(
      findings(
        `${head}
app.post('/ingest', (req, res) => {
  const dir = path.join(__dirname, 'rag_input');
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  if (!fs.existsSync(config.tmpPath)) fs.mkdirSync(config.tmpPath);
  res.end();
});
const config = { tmpPath: '/tmp/x' };
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual([]);
  });

  it('reported: mkdirSync of another folder than the one tested, in the else branch, or unguarded', () => {
    expect(
      findings(
        `${head}
app.post('/ingest', (req, res) => {
  const dir = path.join(__dirname, 'rag_input', req.body.user);
  if (!fs.existsSync(__dirname)) fs.mkdirSync(dir);
  if (!fs.existsSync(dir)) res.end(); else fs.mkdirSync(dir);
  fs.mkdirSync(dir, { recursive: true });
  res.end();
});
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual(['8 syncCall: fs.mkdirSync', '9 syncCall: fs.mkdirSync', '10 syncCall: fs.mkdirSync']);
  });
});

describe('mail sent through the SendGrid package itself', () => {
  it('`sendgrid.send(…)` awaited or returned on a request path is slow work, whatever the import is named', () => {
    expect(
      findings(
        `const sendgrid = require('@sendgrid/mail');
const Koa = require('koa');
const Router = require('@koa/router');
const router = new Router();
function sendWelcome(to) {
  return sendgrid.send({ to, from: 'app@example.com', subject: 'Welcome', html: '' });
}
router.post('/sign-up', async (ctx) => {
  await sendWelcome(ctx.request.body.email);
  ctx.body = {};
});
new Koa().use(router.routes());
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual(['6 slowCall: sendgrid.send']);
  });

  it('quiet: `send` of another package, and SendGrid’s send fired without waiting', () => {
    expect(
      findings(
        `const sendgrid = require('@sendgrid/mail');
const queue = require('./queue');
const express = require('express');
const app = express();
app.post('/sign-up', async (req, res) => {
  await queue.send({ to: req.body.email });
  sendgrid.send({ to: req.body.email }).catch(() => {});
  res.end();
});
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual([]);
  });
});

describe('fields set in a constructor', () => {
  it('quiet: `this.db = db` in the constructor of a module singleton that handlers also create', () => {
    expect(
      findings(
        `const express = require('express');
const app = express();
class FilesService {
  constructor(accountDb) {
    this.accountDb = accountDb;
    this.names = {};
  }
  rename(id, name) { return this.accountDb.run(id, name); }
}
const filesService = new FilesService(openDb());
app.post('/files/:id', (req, res) => {
  const service = new FilesService(openDb());
  res.json(service.rename(req.params.id, req.body.name));
});
function openDb() { return { run: () => 1 }; }
module.exports = filesService;
`,
        ['no-in-memory-session'],
      ),
    ).toEqual([]);
  });

  it('reported: the same singleton’s field written by a method a handler calls', () => {
    expect(
      findings(
        `const express = require('express');
const app = express();
class FilesService {
  constructor() {
    this.owners = {};
  }
  claim(id, user) { this.owners[id] = user; }
}
const filesService = new FilesService();
app.post('/files/:id', (req, res) => {
  filesService.claim(req.params.id, req.body.user);
  res.end();
});
`,
        ['no-in-memory-session'],
      ),
    ).toEqual(['5 sessionInMemory: owners']);
  });
});

describe('socket.io clients are not servers', () => {
  it('quiet: events of a socket.io-client socket, in a browser bundle or a service connecting out', () => {
    expect(
      findings(
        `const io = require('socket.io-client');
const socket = io.connect({ path: '/socket.io/' });
let onlineUsers = [];
socket.on('connect', () => { socket.emit('refresh'); });
socket.on('online users', (data) => { onlineUsers = data.users; });
const client = require('socket.io-client')('http://api.internal');
client.on('connect', () => { onlineUsers.push('api'); });
`,
        ['no-in-memory-session'],
        '/project/public/js/index.js',
      ),
    ).toEqual([]);
  });

  it('reported: the same write in a socket.io server’s connection handler', () => {
    expect(
      findings(
        `const { Server } = require('socket.io');
const io = new Server(3000);
let onlineUsers = [];
io.on('connection', (socket) => {
  socket.on('join', (user) => { onlineUsers.push(user); });
});
`,
        ['no-in-memory-session'],
      ),
    ).toEqual(['3 sessionInMemory: onlineUsers']);
  });
});

describe('Hono OpenAPI routes and Bun’s file API', () => {
  it('app.openapi(createRoute({ method, path }), handler) is a route, inline or by name; Bun.write is a disk write', () => {
    expect(
      findings(
        `import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
const app = new OpenAPIHono();
const uploadRoute = createRoute({ method: 'post', path: '/images/{id}', responses: {} });
app.openapi(uploadRoute, async (c) => {
  await Bun.write(\`static/images/\${c.req.param('id')}\`, await c.req.blob());
  return c.json({ ok: true });
});
app.openapi(createRoute({ method: 'delete', path: '/images', responses: {} }), async (c) => {
  await Bun.write('static/index.json', '[]');
  return c.json({ ok: true });
});
`,
        ['no-local-disk-write'],
        '/project/src/app.ts',
      ),
    ).toEqual(['5 diskWrite: Bun.write', '9 diskWrite: Bun.write']);
  });

  it('quiet: Bun.write at start-up, a local `Bun` object’s write, and openapi() of a non-route', () => {
    expect(
      findings(
        `import { OpenAPIHono } from '@hono/zod-openapi';
await Bun.write('static/boot.txt', 'ok');
const app = new OpenAPIHono();
app.doc('/doc', { openapi: '3.0.0', info: { title: 'x', version: '1' } });
const spec = { openapi: (version: string, info: object) => ({ version, info }) };
spec.openapi('3.1.0', { title: 'x' });
function save(Bun: { write(a: string, b: string): void }) { Bun.write('a', 'b'); }
app.get('/save', (c) => { save({ write: () => undefined }); return c.text('ok'); });
`,
        ['no-local-disk-write'],
        '/project/src/app.ts',
      ),
    ).toEqual([]);
  });
});

describe('rate limiters with no store at all', () => {
  it('connect-ratelimit, and the limiter package’s token bucket, alone or wrapped in a class (reported at each wrapper made)', () => {
    expect(
      findings(
        `const connect = require('connect');
const connectRateLimit = require('connect-ratelimit');
const { RateLimiter } = require('limiter');
const app = connect();
app.use(connectRateLimit({ normal: { totalRequests: 500, every: 60000 } }));
class KumaRateLimiter {
  constructor(config) {
    this.rateLimiter = new RateLimiter(config);
  }
}
const loginRateLimiter = new KumaRateLimiter({ tokensPerInterval: 20, interval: 'minute' });
const apiRateLimiter = new KumaRateLimiter({ tokensPerInterval: 60, interval: 'minute' });
const uploads = new RateLimiter({ tokensPerInterval: 5, interval: 'second' });
module.exports = { loginRateLimiter, apiRateLimiter, uploads };
`,
        ['no-in-memory-counter'],
      ),
    ).toEqual(['5 rateLimitInMemory: ', '11 rateLimitInMemory: ', '12 rateLimitInMemory: ', '13 rateLimitInMemory: ']);
  });

  it('quiet: a RateLimiter class of the project’s own, and a limiter package member that is not a bucket', () => {
    expect(
      findings(
        `const { getTokens } = require('limiter');
class RateLimiter { constructor(redis) { this.redis = redis; } }
const shared = new RateLimiter(require('./redis'));
module.exports = { shared, getTokens };
`,
        ['no-in-memory-counter'],
      ),
    ).toEqual([]);
  });
});

describe('slow work the handler does not wait for', () => {
  const head = `const nodemailer = require('nodemailer');\nconst express = require('express');\nconst app = express();\nconst transporter = nodemailer.createTransport({ jsonTransport: true });\n`;

  it('quiet: a mail helper that awaits sendMail, called by the handler without waiting (.catch only)', () => {
    expect(
      findings(
        `${head}
async function sendReset(user) {
  await transporter.sendMail({ to: user.email, subject: 'Reset' });
}
app.post('/reset', (req, res) => {
  sendReset(req.body).catch((error) => console.error(error));
  res.sendStatus(202);
});
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual([]);
  });

  it('reported: the same helper awaited by one route, and given the continuation by another', () => {
    expect(
      findings(
        `${head}
async function sendReset(user) {
  await transporter.sendMail({ to: user.email, subject: 'Reset' });
}
function resetThen(user, callback) { sendReset(user).then(() => callback(null), callback); }
app.post('/reset', async (req, res) => {
  await sendReset(req.body);
  res.sendStatus(204);
});
app.post('/reset-cb', (req, res) => {
  resetThen(req.body, function (error) { res.sendStatus(error ? 500 : 204); });
});
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual(['7 slowCall: transporter.sendMail']);
  });
});

describe('slow work reached through a continuation only', () => {
  it('reported: the helper given a callback that answers the request', () => {
    expect(
      findings(
        `const nodemailer = require('nodemailer');
const express = require('express');
const app = express();
const transporter = nodemailer.createTransport({ jsonTransport: true });
async function sendReset(user) {
  await transporter.sendMail({ to: user.email, subject: 'Reset' });
}
function resetThen(user, callback) { sendReset(user).then(() => callback(null), callback); }
app.post('/reset-cb', (req, res) => {
  resetThen(req.body, function (error) { res.sendStatus(error ? 500 : 204); });
});
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual(['6 slowCall: transporter.sendMail']);
  });
});

describe('routes registered on the Express app handed to a function as `express`', () => {
  it('`static router(express) { express.post(…, Uploader.routeUploadFile) }`: the static handler’s write stream is on the route', () => {
    expect(
      findings(
        `const fs = require('fs');
class Uploader {
  static router(express) {
    express.get('/uploads/:name', Uploader.routeGetFile);
    express.post('/uploads/new/:token', Uploader.routeUploadFile);
  }
  static routeGetFile(req, res) {
    res.sendFile(req.params.name, { root: 'uploads' });
  }
  static routeUploadFile(req, res) {
    req.pipe(fs.createWriteStream('uploads/' + req.params.token));
  }
}
module.exports = Uploader;
`,
        ['no-local-disk-write'],
      ),
    ).toEqual(['11 diskWrite: fs.createWriteStream']);
  });

  it('quiet: the express module itself, and a parameter of another name', () => {
    expect(
      findings(
        `const fs = require('fs');
const express = require('express');
const Cache = {
  save(entry) {
    fs.writeFileSync('cache.json', JSON.stringify(entry));
  },
};
function mount(builder) {
  builder.post('/cache', Cache.save);
}
module.exports = { mount, assets: express.static('public') };
`,
        ['no-local-disk-write'],
      ),
    ).toEqual([]);
  });
});

describe('express.io realtime routes', () => {
  it('each member of app.io.route(name, { … }) is a socket event, and a handler given alone is one', () => {
    expect(
      findings(
        `const fs = require('fs');
module.exports = function () {
  const app = this.app;
  app.get('/extras/emotes', function (req) {
    req.io.route('extras:emotes:list');
  });
  app.io.route('extras', {
    'emotes:list': function (req, res) {
      res.json(fs.readFileSync('extras/emotes/emotes.yml', 'utf8'));
    },
    list(req, res) {
      res.json(fs.readdirSync('extras'));
    },
  });
  app.io.route('ready', function (req) {
    fs.appendFileSync('ready.log', req.data);
  });
};
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual(['9 syncCall: fs.readFileSync', '12 syncCall: fs.readdirSync', '16 syncCall: fs.appendFileSync']);
  });

  it('quiet: a route() of something that is not `.io` (a router table, a client)', () => {
    expect(
      findings(
        `const fs = require('fs');
const table = { route(name, handlers) { return handlers; } };
table.route('extras', { list() { return fs.readdirSync('extras'); } });
client.socket.route('ready', function () { fs.appendFileSync('ready.log', 'x'); });
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual([]);
  });
});

describe('modules required inside the function that uses them', () => {
  it('`var fs = require(\'fs\')` in a controller body wrapped in module.exports = function () {…}', () => {
    expect(
      findings(
        `module.exports = function () {
  var fs = require('fs'),
    express = require('express');
  var app = express();
  app.get('/terms', function (req, res) {
    res.send(fs.readFileSync('terms.html', 'utf8'));
  });
};
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual(['6 syncCall: fs.readFileSync']);
  });

  it('quiet: a local `fs` that is not the module (an in-memory file system)', () => {
    expect(
      findings(
        `const express = require('express');
const app = express();
app.get('/terms', function (req, res) {
  const fs = createMemoryFs();
  res.send(fs.readFileSync('terms.html', 'utf8'));
});
`,
        ['no-blocking-request-work'],
      ),
    ).toEqual([]);
  });
});
