import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile, getRequestGraph } from '../index';
import { removeProject, writeProject } from '../testing/disk-project';
import { createProgram } from '../testing/program';
import { ProjectIndex } from './project-index';

const roots: string[] = [];

/** A full garbage collection (V8's `gc`, exposed for this test process). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}
afterAll(() => roots.forEach(removeProject));

function indexOf(files: Record<string, string>): { root: string; index: ProjectIndex } {
  const root = writeProject({ 'package.json': '{ "name": "app" }', ...files });
  roots.push(root);
  return { root, index: new ProjectIndex(root) };
}

/** Every entry of the untyped graph seen from `file`: its label and where its handler is written. */
function entries(files: Record<string, string>, file: string): string[] {
  const { root, index } = indexOf(files);
  const sourceFile = index.sourceFile(`${root}/${file}`)!;
  const graph = getRequestGraph(sourceFile, { projectIndex: index, projectRoot: root });
  // The graph is shared by the project's files: the entries of the files that can reach this one.
  const concerned = new Set(index.entryFilesFor(sourceFile.fileName));
  return graph.entries.filter((entry) => concerned.has(entry.registration.getSourceFile().fileName)).map((entry) => {
    const handlerFile = entry.handler.getSourceFile();
    const line = handlerFile.getLineAndCharacterOfPosition(entry.handler.getStart()).line + 1;
    return `${entry.label} → ${graph.displayPath(handlerFile.fileName)}:${line}`;
  });
}

/** Messages of the findings in `file`, analysed untyped with the project index. */
function findings(files: Record<string, string>, file: string): string[] {
  const { root, index } = indexOf(files);
  const sourceFile = index.sourceFile(`${root}/${file}`)!;
  return analyzeSourceFile(sourceFile, { projectIndex: index, projectRoot: root }).map((finding) => `${finding.ruleId}: ${finding.message}`);
}

describe('handlers across files, by every import and export form', () => {
  it('ESM named, default, namespace, default object, class instances, re-exports and factories', () => {
    const result = entries(
      {
        'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
        'src/routes.ts': `import { Router } from 'express';
import { login } from './handlers/login';
import logout from './handlers/logout';
import * as users from './handlers/users';
import orders from './handlers/orders';
import { profile } from './handlers/profile';
import account from './handlers/account';
import { health, ping, admin } from './handlers';
import { makeHandler } from '@/handlers/factory';
import { viaJs } from './handlers/via-js.js';
import { aliased } from './handlers/local-alias';
import byName from './handlers/default-name';
export const router = Router();
router.post('/login', login);
router.post('/logout', logout);
router.get('/users', users.list);
router.post('/orders', orders.create);
router.get('/me', profile.me);
router.get('/account', account.show);
router.get('/health', health);
router.get('/ping', ping);
router.get('/stats', admin.stats);
router.post('/made', makeHandler(new Map()));
router.get('/js', viaJs);
router.get('/alias', aliased);
router.get('/by-name', byName);
`,
        'src/handlers/local-alias.ts': 'function handler(req, res) {}\nexport { handler as aliased };\n',
        'src/handlers/default-name.ts': '\nconst show = (req, res) => {};\nexport default show;\n',
        'src/handlers/login.ts': 'export async function login(req, res) {}\n',
        'src/handlers/logout.ts': 'export default function (req, res) {}\n',
        'src/handlers/users.ts': 'export const list = (req, res) => {};\n',
        'src/handlers/orders.ts': 'export default {\n  create(req, res) {},\n};\n',
        'src/handlers/profile.ts': 'class ProfileController {\n  me(req, res) {}\n}\nexport const profile = new ProfileController();\n',
        'src/handlers/account.ts': 'class AccountController {\n  show(req, res) {}\n}\nexport default new AccountController();\n',
        'src/handlers/index.ts': "export * from './health';\nexport { pingHandler as ping } from './ping';\nexport * as admin from './admin';\n",
        'src/handlers/health.ts': 'export const health = (req, res) => {};\n',
        'src/handlers/ping.ts': '\nexport function pingHandler(req, res) {}\n',
        'src/handlers/admin.ts': '\n\nexport function stats(req, res) {}\n',
        'src/handlers/factory.ts': 'export function makeHandler(store) {\n  return (req, res) => store.set(req.ip, 1);\n}\n',
        'src/handlers/via-js.ts': 'export const viaJs = (req, res) => {};\n',
      },
      'src/routes.ts',
    );
    expect(result).toEqual([
      'POST /login → src/handlers/login.ts:1',
      'POST /logout → src/handlers/logout.ts:1',
      'GET /users → src/handlers/users.ts:1',
      'POST /orders → src/handlers/orders.ts:2',
      'GET /me → src/handlers/profile.ts:2',
      'GET /account → src/handlers/account.ts:2',
      'GET /health → src/handlers/health.ts:1',
      'GET /ping → src/handlers/ping.ts:2',
      'GET /stats → src/handlers/admin.ts:3',
      'POST /made → src/handlers/factory.ts:2',
      'GET /js → src/handlers/via-js.ts:1',
      'GET /alias → src/handlers/local-alias.ts:1',
      'GET /by-name → src/handlers/default-name.ts:2',
    ]);
  });

  it('CommonJS: require of exports.x, module.exports objects, functions and instances, destructuring, import = require', () => {
    const result = entries(
      {
        'routes/index.js': `const express = require('express');
const auth = require('../controllers/auth');
const { remove, update } = require('../controllers/items');
const upload = require('../controllers/upload');
const profile = require('../controllers/profile');
const router = express.Router();
router.post('/login', auth.login);
router.delete('/items/:id', remove);
router.put('/items/:id', update);
router.post('/upload', upload);
router.get('/me', profile.me);
module.exports = router;
`,
        'controllers/auth.js': 'exports.login = async (req, res) => {};\n',
        'controllers/items.js': 'function remove(req, res) {}\nmodule.exports = {\n  remove,\n  update(req, res) {},\n};\n',
        'controllers/upload.js': 'module.exports = function upload(req, res) {};\n',
        'controllers/profile.js': 'class Profile {\n  me(req, res) {}\n}\nmodule.exports = new Profile();\n',
        'src/legacy.ts': "import express = require('express');\nimport handlers = require('./legacy-handlers');\nconst app = express();\napp.get('/legacy', handlers.old);\n",
        'src/legacy-handlers.ts': 'export const old = (req, res) => {};\n',
      },
      'routes/index.js',
    );
    expect(result).toEqual([
      'POST /login → controllers/auth.js:1',
      'DELETE /items/:id → controllers/items.js:1',
      'PUT /items/:id → controllers/items.js:4',
      'POST /upload → controllers/upload.js:1',
      'GET /me → controllers/profile.js:2',
    ]);
    expect(
      entries(
        {
          'src/legacy.ts': "import express = require('express');\nimport handlers = require('./legacy-handlers');\nconst app = express();\napp.get('/legacy', handlers.old);\n",
          'src/legacy-handlers.ts': 'export const old = (req, res) => {};\n',
        },
        'src/legacy.ts',
      ),
    ).toEqual(['GET /legacy → src/legacy-handlers.ts:1']);
  });

  it('routers exported from one file and mounted in another get the mount prefix', () => {
    const files = {
      'src/app.js': `const express = require('express');
import authRouter from './routes/auth';
const app = express();
app.use('/auth', authRouter);
app.use('/api/users', require('./routes/users'));
`,
      'src/routes/auth.ts': "import { Router } from 'express';\nconst router = Router();\nrouter.post('/login', (req, res) => {});\nexport default router;\n",
      'src/routes/users.js': "const router = require('express').Router();\nrouter.get('/:id', (req, res) => {});\nmodule.exports = router;\n",
    };
    expect(entries(files, 'src/routes/auth.ts')).toEqual(['POST /auth/login → src/routes/auth.ts:3']);
    expect(entries(files, 'src/routes/users.js')).toEqual(['GET /api/users/:id → src/routes/users.js:2']);
  });

  it('a file imported by no handler file has a graph of its own; tests and scripts do not count as importers', () => {
    const files = {
      'src/helpers.ts': 'export const sessions = new Map();\nexport function remember(id, user) {\n  sessions.set(id, user);\n}\n',
      'scripts/seed.ts': "import express from 'express';\nimport { remember } from '../src/helpers';\nconst app = express();\napp.post('/seed', (req, res) => remember(req.body.id, req.body));\n",
      'src/helpers.test.ts': "import { remember } from './helpers';\nconst app = require('express')();\napp.post('/t', (req, res) => remember('a', 'b'));\n",
    };
    expect(entries(files, 'src/helpers.ts')).toEqual([]);
    expect(findings(files, 'src/helpers.ts')).toEqual([]);
  });
});

describe('files the shared graph does not hold', () => {
  const files = {
    'src/app.ts': "import express from 'express';\nimport { shout } from './text';\nexport const app = express();\nexport const loud = shout;\napp.get('/health', (req, res) => res.send('ok'));\n",
    'src/text.ts': "import { format } from './format';\nexport function shout(text: string) {\n  return text.toUpperCase();\n}\nexport function title() {\n  return format('shop');\n}\n",
    'src/format.ts': 'const seen = new Map<string, number>();\nexport function format(name: string) {\n  seen.set(name, seen.size);\n  return name;\n}\n',
    'src/main.ts': "import { PrismaClient } from '@prisma/client';\nimport { app } from './app';\nconst prisma = new PrismaClient();\napp.listen(3000);\nsetInterval(async () => {\n  await prisma.session.deleteMany({});\n}, 60_000);\n",
  };

  it('a file no handler reaches is answered by the shared graph, with nothing on a request path', () => {
    const { root, index } = indexOf(files);
    const app = index.sourceFile(`${root}/src/app.ts`)!;
    const format = index.sourceFile(`${root}/src/format.ts`)!;
    const shared = getRequestGraph(app, { projectIndex: index, projectRoot: root });
    const graph = getRequestGraph(format, { projectIndex: index, projectRoot: root });
    expect(graph).toBe(shared);
    expect(graph.files.map((file) => graph.displayPath(file.fileName))).toEqual(['src/app.ts', 'src/main.ts']);
    // Its own graph (its serving importers' handlers and start-up) reached nothing in it either.
    expect(index.entryFilesFor(format.fileName).map((name) => graph.displayPath(name))).toEqual(['src/app.ts', 'src/format.ts', 'src/main.ts']);
    expect(analyzeSourceFile(format, { projectIndex: index, projectRoot: root })).toEqual([]);
  });

  it('whether a serving file imports a file, directly or not, is what the walk up its importers says', () => {
    const { root, index } = indexOf({
      'src/routes.ts': "import express from 'express';\nimport { save } from './service';\nconst app = express();\napp.post('/x', (req, res) => res.json(save()));\n",
      'src/service.ts': "import { db } from './db';\nexport function save() {\n  return db;\n}\n",
      'src/db.ts': 'export const db = {};\n',
      // Serving, and only in a cycle with a file it imports: no other serving importer.
      'src/socket.ts': "import { peers } from './peers';\nexport function attach(io) {\n  io.on('connection', (s) => peers.push(s));\n}\n",
      'src/peers.ts': "import './socket';\nexport const peers = [];\n",
      'src/unused.ts': 'export const unused = 1;\n',
      'test/routes.test.ts': "import { save } from '../src/service';\nconst app = require('express')();\napp.get('/t', () => save());\n",
    });
    const names = ['src/routes.ts', 'src/service.ts', 'src/db.ts', 'src/socket.ts', 'src/peers.ts', 'src/unused.ts'];
    const answers = names.map((name) => index.hasServingImporter(`${root}/${name}`));
    expect(answers).toEqual([false, true, true, false, true, false]);
    expect(answers).toEqual(names.map((name) => index.entryFilesFor(`${root}/${name}`).some((entry) => entry !== `${root}/${name}`)));
  });

  it('a file that starts the server (`app.listen()` on an app another module builds) is one of the web process\'s files: the shared graph holds it', () => {
    const { root, index } = indexOf(files);
    const main = index.sourceFile(`${root}/src/main.ts`)!;
    const shared = getRequestGraph(index.sourceFile(`${root}/src/app.ts`)!, { projectIndex: index, projectRoot: root });
    const graph = getRequestGraph(main, { projectIndex: index, projectRoot: root });
    expect(index.mayServe(main.fileName)).toBe(true);
    expect(graph).toBe(shared);
    expect(analyzeSourceFile(main, { projectIndex: index, projectRoot: root }).map((finding) => `${finding.ruleId} ${finding.start}`)).toEqual([`no-in-process-scheduler ${files['src/main.ts'].indexOf('setInterval')}`]);
  });
});

describe('state and calls across files', () => {
  it('state exported by one module (ESM, CommonJS) and written on a request path in another is reported where it is declared', () => {
    const files = {
      'src/routes.ts': "import express from 'express';\nimport { login } from './auth';\nconst app = express();\napp.post('/login', login);\n",
      'src/auth.ts': "import { sessions } from './store';\nimport * as cache from './cache';\nconst legacy = require('./legacy');\nexport function login(req, res) {\n  sessions.set(req.body.token, req.body.user);\n  cache.hits[req.path] = (cache.hits[req.path] ?? 0) + 1;\n  legacy.users[req.body.id] = req.body;\n  res.end();\n}\n",
      'src/store.ts': 'export const sessions = new Map<string, string>();\n',
      'src/cache.ts': 'export const hits: Record<string, number> = {};\n',
      'src/legacy.js': 'module.exports.users = {};\n',
      'src/constants.ts': "export const ROLES = { admin: 'admin' };\n",
    };
    expect(findings(files, 'src/store.ts')).toEqual([
      'no-in-memory-session: `sessions` holds per-user state in this process; it is written by POST /login (src/routes.ts:4). A second instance will not see it.',
    ]);
    expect(findings(files, 'src/cache.ts').map((f) => f.split(':')[0])).toEqual(['no-in-memory-counter']);
    expect(findings(files, 'src/legacy.js')).toEqual([
      'no-in-memory-session: `users` holds per-user state in this process; it is written by POST /login (src/routes.ts:4). A second instance will not see it.',
    ]);
    expect(findings(files, 'src/auth.ts')).toEqual([]);
    expect(findings(files, 'src/constants.ts')).toEqual([]);
  });

  it('CommonJS barrels that merge other modules: module.exports = { ...a, ...b } and Object.assign({}, a, b)', () => {
    const files = {
      'routes/events/moderation.js': "const fs = require('fs');\nmodule.exports.renameCardback = (from, to) => {\n  fs.copyFile(`public/cardbacks/${from}.png`, `public/cardbacks/${to}.png`, () => {});\n};\n",
      'routes/events/chat.js': "module.exports.say = (socket, text) => socket.emit('chat', text);\n",
      'routes/events/index.js': "const chat = require('./chat');\nconst moderation = require('./moderation');\nmodule.exports = Object.assign({}, chat, moderation);\n",
      'routes/socket.js': "const { renameCardback } = require('./events');\nmodule.exports = (io) => {\n  io.on('connection', (socket) => {\n    socket.on('rename', (data) => renameCardback(data.from, data.to));\n  });\n};\n",
      'api/handlers/uploads.js': "const { writeFile } = require('fs/promises');\nexports.saveLogo = async (req, res) => {\n  await writeFile('public/logo.png', req.body);\n  res.end();\n};\n",
      'api/handlers/index.js': "const uploads = require('./uploads');\nconst misc = { ping: (req, res) => res.end() };\nmodule.exports = { ...misc, ...uploads };\n",
      'api/app.js': "const express = require('express');\nconst handlers = require('./handlers');\nconst app = express();\napp.post('/logo', handlers.saveLogo);\napp.get('/ping', handlers.ping);\nmodule.exports = app;\n",
    };
    expect(findings(files, 'routes/events/moderation.js')).toEqual([
      "no-local-disk-write: `fs.copyFile` writes to this instance's local disk on socket connection (routes/socket.js:3) and 1 other handler. Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
    expect(findings(files, 'api/handlers/uploads.js')).toEqual([
      "no-local-disk-write: `writeFile` writes to this instance's local disk on POST /logo (api/app.js:4). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });

  it('classes exported as expressions: module.exports = class { static login(ctx) }, this.helper() inside them, instances of a class held in a const', () => {
    const files = {
      'router.js': "const Router = require('koa-router');\nconst { user, files } = require('./controllers');\nconst router = new Router({ prefix: '/api' });\nexports.api = router\n  .post('/login', user.login)\n  .post('/upload', files.save);\n",
      'controllers/index.js': "module.exports = {\n  user: require('./user'),\n  files: require('./files')\n};\n",
      'controllers/user.js': "const util = require('../util');\nmodule.exports = class UserController {\n  static async login(ctx) {\n    ctx.body = { ok: util.check(ctx.request.body.password, 'hash') };\n  }\n};\n",
      'controllers/files.js': "const fs = require('fs');\nconst Store = class {\n  put(name, data) {\n    fs.writeFile(`public/${name}`, data, () => {});\n  }\n};\nconst store = new Store();\nmodule.exports = class FilesController {\n  static async save(ctx) {\n    store.put(ctx.query.name, ctx.request.body);\n    ctx.body = 'ok';\n  }\n};\n",
      'util/index.js': "const bcrypt = require('bcryptjs');\nmodule.exports = class BaseUtil {\n  static check(password, hash) {\n    return this.compare(password, hash);\n  }\n  static compare(password, hash) {\n    return bcrypt.compareSync(password, hash);\n  }\n  static seed() {\n    return bcrypt.hashSync('admin', 8);\n  }\n};\n",
      'scripts/reset.js': "const util = require('../util');\nconsole.log(util.seed());\n",
    };
    const compareSync = 'no-blocking-request-work: `bcrypt.compareSync` blocks the event loop on POST /api/login (router.js:4): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.';
    const writeFile = "no-local-disk-write: `fs.writeFile` writes to this instance's local disk on POST /api/upload (router.js:6). Other instances will not find the file, and it is lost when this instance is replaced.";
    // The static method only a script calls (`seed`, hashSync) is no request's.
    expect(findings(files, 'util/index.js')).toEqual([compareSync]);
    expect(findings(files, 'controllers/files.js')).toEqual([writeFile]);
    expect(findings(files, 'scripts/reset.js')).toEqual([]);
    // Typed, the checker knows class expressions already: the same findings.
    const program = createProgram(Object.fromEntries(Object.entries(files).map(([name, text]) => [`/app/${name}`, text])));
    const typed = (name: string) => analyzeSourceFile(program.getSourceFile(`/app/${name}`)!, { program, projectRoot: '/app' }).map((finding) => `${finding.ruleId}: ${finding.message}`);
    expect(typed('util/index.js')).toEqual([compareSync]);
    expect(typed('controllers/files.js')).toEqual([writeFile]);
  });

  it('the path of a finding runs from the registration in one file through the calls in others to the write', () => {
    const { root, index } = indexOf({
      'src/routes.ts': "import express from 'express';\nimport { login } from './auth';\nconst app = express();\napp.post('/login', login);\n",
      'src/auth.ts': "import { remember } from './store';\nexport function login(req, res) {\n  remember(req.body.token, req.body.user);\n}\n",
      'src/store.ts': 'const sessions = new Map();\nexport function remember(token, user) {\n  sessions.set(token, user);\n}\n',
    });
    const [finding] = analyzeSourceFile(index.sourceFile(`${root}/src/store.ts`)!, { projectIndex: index, projectRoot: root });
    expect(finding.path.map((step) => `${step.label} @ ${step.fileName.slice(root.length + 1)}`)).toEqual([
      'POST /login @ src/routes.ts',
      'calls remember() @ src/auth.ts',
      'writes sessions @ src/store.ts',
    ]);
  });

  it('calls from a handler into services of other files are followed (class fields typed by an imported class)', () => {
    const files = {
      'src/orders.controller.ts': "import { Controller, Post } from '@nestjs/common';\nimport { OrdersService } from './orders.service';\n@Controller('orders')\nexport class OrdersController {\n  constructor(private readonly orders: OrdersService) {}\n  @Post()\n  create() {\n    return this.orders.create();\n  }\n}\n",
      'src/orders.service.ts': "import { Injectable } from '@nestjs/common';\nimport { writeFileSync } from 'fs';\n@Injectable()\nexport class OrdersService {\n  create() {\n    writeFileSync('/tmp/order.json', '{}');\n  }\n}\n",
    };
    expect(findings(files, 'src/orders.service.ts')).toEqual([
      'no-blocking-request-work: `writeFileSync` blocks the event loop on POST /orders (OrdersController.create, src/orders.controller.ts:6): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      "no-local-disk-write: `writeFileSync` writes to this instance's local disk on POST /orders (OrdersController.create, src/orders.controller.ts:6). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });
});

describe('keeping the index current', () => {
  it('re-reads a file whose mtime or size changed, and moves the generation', () => {
    const { root, index } = indexOf({ 'src/a.ts': 'export const a = 1;\n' });
    const before = index.generation;
    const first = index.sourceFile(`${root}/src/a.ts`)!;
    expect(index.refresh()).toBe(false);
    fs.writeFileSync(`${root}/src/a.ts`, 'export const a = 22;\n');
    expect(index.refresh()).toBe(true);
    expect(index.generation).toBeGreaterThan(before);
    const second = index.sourceFile(`${root}/src/a.ts`)!;
    expect(second).not.toBe(first);
    expect(second.text).toBe('export const a = 22;\n');
  });

  it('checks a file it is about to use for changes on disk, also between full checks', () => {
    const { root, index } = indexOf({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
    const a = (text: string) => ts.createSourceFile(`${root}/src/a.ts`, text, ts.ScriptTarget.Latest, true);
    index.adopt(a('export const a = 1;\n'));
    expect(index.sourceFile(`${root}/src/b.ts`)?.text).toBe('export const b = 1;\n');
    fs.writeFileSync(`${root}/src/b.ts`, 'export const b = 12;\n');
    // The next analysed file (a new AST) sees the change even inside the full-check interval.
    index.adopt(a('export const a = 1;\n'));
    expect(index.sourceFile(`${root}/src/b.ts`)?.text).toBe('export const b = 12;\n');
  });

  it('a file on disk in a folder the listing skips joins the index when it is analysed, and stays', () => {
    const { root, index } = indexOf({ '.generated/routes.ts': 'export const r = 1;\n', 'src/a.ts': 'export const a = 1;\n' });
    expect(index.fileNames.some((name) => name.includes('.generated'))).toBe(false);
    const hidden = ts.createSourceFile(`${root}/.generated/routes.ts`, 'export const r = 1;\n', ts.ScriptTarget.Latest, true);
    expect(index.adopt(hidden)).toBe(hidden);
    index.adopt(ts.createSourceFile(`${root}/src/a.ts`, 'export const a = 1;\n', ts.ScriptTarget.Latest, true));
    expect(index.sourceFile(`${root}/.generated/routes.ts`)).toBe(hidden);
  });

  it('a file whose `#!` line ESLint hands over as a comment is the file on disk: no edit, no new generation', () => {
    const text = "#!/usr/bin/env node\nimport express from 'express';\nconst app = express();\napp.get('/x', (req, res) => res.end());\n";
    const { root, index } = indexOf({ 'src/cli.ts': text, 'src/a.ts': 'export const a = 1;\n' });
    const generation = index.generation;
    const fromEslint = ts.createSourceFile(`${root}/src/cli.ts`, `//${text.slice(2)}`, ts.ScriptTarget.Latest, true);
    const adopted = index.adopt(fromEslint);
    expect(adopted.text).toBe(text);
    expect(index.sourceFile(`${root}/src/cli.ts`)).toBe(adopted);
    index.adopt(ts.createSourceFile(`${root}/src/a.ts`, 'export const a = 1;\n', ts.ScriptTarget.Latest, true));
    expect(index.adopt(fromEslint)).toBe(adopted);
    expect(index.generation).toBe(generation);
    // A CLI, as the language server and `stateless report` read it.
    expect(index.mayServe(`${root}/src/cli.ts`)).toBe(false);
    expect(analyzeSourceFile(fromEslint, { projectIndex: index, projectRoot: root })).toEqual([]);
  });

  it('holds a caller’s AST only as long as something else does, until a graph asks for the file', async () => {
    const { root, index } = indexOf({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
    const a = () => ts.createSourceFile(`${root}/src/a.ts`, 'export const a = 1;\n', ts.ScriptTarget.Latest, true);
    let given: ts.SourceFile | undefined = a();
    expect(index.adopt(given)).toBe(given);
    // While ESLint holds it, it is the file's AST for every caller.
    expect(index.adopt(a())).toBe(given);
    const held = new WeakRef(given);
    given = undefined;
    index.adopt(ts.createSourceFile(`${root}/src/b.ts`, 'export const b = 1;\n', ts.ScriptTarget.Latest, true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(held.deref()).toBeUndefined();
    // Parsed again when needed, and held from then on.
    const parsed = index.sourceFile(`${root}/src/a.ts`)!;
    expect(parsed.text).toBe('export const a = 1;\n');
    expect(index.adopt(a())).toBe(parsed);
  });

  it('parses without JSDoc, as typescript-eslint does without type information', () => {
    const { root, index } = indexOf({ 'src/a.ts': '/** Doubles.\n * @param n a number */\nexport function double(n: number) {\n  return n * 2;\n}\n' });
    const file = index.sourceFile(`${root}/src/a.ts`)!;
    expect((file.statements[0] as { jsDoc?: unknown }).jsDoc).toBeUndefined();
    expect(ts.getJSDocTags(file.statements[0])).toEqual([]);
  });

  it('adopts the caller’s AST for a file it has not parsed, and uses a different text only while that file is analysed', () => {
    const { root, index } = indexOf({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
    const given = ts.createSourceFile(`${root}/src/a.ts`, 'export const a = 1;\n', ts.ScriptTarget.Latest, true);
    expect(index.adopt(given)).toBe(given);
    expect(index.sourceFile(`${root}/src/a.ts`)).toBe(given);
    const edited = ts.createSourceFile(`${root}/src/b.ts`, 'export const b = 2;\n', ts.ScriptTarget.Latest, true);
    expect(index.adopt(edited)).toBe(edited);
    expect(index.sourceFile(`${root}/src/b.ts`)?.text).toBe('export const b = 2;\n');
    index.adopt(given);
    expect(index.sourceFile(`${root}/src/b.ts`)?.text).toBe('export const b = 1;\n');
  });
});

describe('the AST an index holds, for a parser', () => {
  it('gives the tree it parsed for the same text, and nothing before the parse, for another text or another file', () => {
    const text = "export const limit = 10;\n";
    const { root, index } = indexOf({ 'src/limits.ts': text, 'src/other.ts': text });
    const fileName = `${root}/src/limits.ts`;
    expect(index.heldSourceFile(fileName, text)).toBeUndefined();
    const parsed = index.sourceFile(fileName);
    expect(index.heldSourceFile(fileName, text)).toBe(parsed);
    expect(index.heldSourceFile(fileName, "export const limit = 11;\n")).toBeUndefined();
    expect(index.heldSourceFile(`${root}/src/other.ts`, text)).toBeUndefined();
  });
});
