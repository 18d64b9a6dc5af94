import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { analyseTyped, analyseUntyped, removeAnalysedProjects } from '../testing/project-findings';
import type { RuleId } from '../types';

const RULES: RuleId[] = ['no-local-disk-write', 'no-blocking-request-work'];
afterAll(removeAnalysedProjects);

/** `line ruleId messageId: callee on route` for each finding in `file`. */
function describeFindings(sourceFile: ts.SourceFile, findings: ReturnType<typeof analyzeSourceFile>): string[] {
  return findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1} ${finding.ruleId} ${finding.messageId}: ${finding.data.callee} on ${finding.data.route}`);
}

/** Findings in `file`, untyped, with the project index of a project written to a temp folder. */
function untyped(files: Record<string, string>, file: string): string[] {
  const { sourceFile, findings } = analyseUntyped(files, file, RULES);
  return describeFindings(sourceFile, findings);
}

/** Findings in `file`, typed, with an in-memory program of the files (under /project). */
function typed(files: Record<string, string>, file: string): string[] {
  const { sourceFile, findings } = analyseTyped(files, file, RULES);
  return describeFindings(sourceFile, findings);
}

/** NestJS: a storage service calls the driver chosen by configuration through an interface and a DI token. */
const nestDrivers: Record<string, string> = {
  'src/storage/storage-driver.ts': `
import type { Readable } from 'stream';
export interface StorageDriver {
  upload(path: string, body: Buffer): Promise<void>;
  delete(path: string): Promise<void>;
  read(path: string): Promise<Buffer>;
}
`,
  'src/storage/local.driver.ts': `
import { promises as fs } from 'fs';
import { join } from 'path';
import type { StorageDriver } from './storage-driver';

export class LocalDriver implements StorageDriver {
  constructor(private readonly root: string) {}
  async upload(path: string, body: Buffer): Promise<void> {
    await fs.writeFile(this.fullPath(path), body);
  }
  async delete(path: string): Promise<void> {
    await fs.unlink(this.fullPath(path));
  }
  async read(path: string): Promise<Buffer> {
    return fs.readFile(this.fullPath(path));
  }
  private fullPath(path: string): string {
    return join(this.root, path);
  }
}
`,
  'src/storage/s3.driver.ts': `
import type { StorageDriver } from './storage-driver';
export class S3Driver implements StorageDriver {
  async upload(path: string, body: Buffer): Promise<void> {}
  async delete(path: string): Promise<void> {}
  async read(path: string): Promise<Buffer> { return Buffer.alloc(0); }
}
`,
  'src/storage/storage.service.ts': `
import { Inject, Injectable } from '@nestjs/common';
import type { StorageDriver } from './storage-driver';

@Injectable()
export class StorageService {
  constructor(@Inject('STORAGE_DRIVER') private readonly storageDriver: StorageDriver) {}
  upload(path: string, body: Buffer) {
    return this.storageDriver.upload(path, body);
  }
  remove(path: string) {
    return this.storageDriver.delete(path);
  }
}
`,
  'src/storage/storage.module.ts': `
import { Module } from '@nestjs/common';
import { LocalDriver } from './local.driver';
import { S3Driver } from './s3.driver';
import { StorageService } from './storage.service';

@Module({
  providers: [
    StorageService,
    { provide: 'STORAGE_DRIVER', useFactory: () => (process.env.STORAGE === 's3' ? new S3Driver() : new LocalDriver('data/storage')) },
  ],
  exports: [StorageService],
})
export class StorageModule {}
`,
  'src/main.ts': `
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AttachmentsController } from './attachments.controller';
import { StorageModule } from './storage/storage.module';

@Module({ imports: [StorageModule], controllers: [AttachmentsController] })
class AppModule {}

NestFactory.create(AppModule).then((app) => app.listen(3000));
`,
  'src/attachments.controller.ts': `
import { Controller, Delete, Param, Post, Body } from '@nestjs/common';
import { StorageService } from './storage/storage.service';

@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly storage: StorageService) {}
  @Post()
  create(@Body() body: { name: string; data: string }) {
    return this.storage.upload(body.name, Buffer.from(body.data));
  }
  @Delete(':name')
  remove(@Param('name') name: string) {
    return this.storage.remove(name);
  }
}
`,
};

describe('a local storage driver chosen by configuration', () => {
  it('NestJS: the local driver’s writes and deletes run on the routes that call the driver through its interface (typed and untyped)', () => {
    const expected = [
      '9 no-local-disk-write diskWrite: fs.writeFile on POST /attachments (AttachmentsController.create, src/attachments.controller.ts:8)',
      '12 no-local-disk-write diskRemove: fs.unlink on DELETE /attachments/:name (AttachmentsController.remove, src/attachments.controller.ts:12)',
    ];
    expect(typed(nestDrivers, 'src/storage/local.driver.ts')).toEqual(expected);
    expect(untyped(nestDrivers, 'src/storage/local.driver.ts')).toEqual(expected);
  });

  it('the only implementation of the interface: without a sibling there is no family to go by, but the call through the field declared with the interface reaches it (typed by the checker’s dispatch, untyped by the classes that implement it)', () => {
    const alone = Object.fromEntries(Object.entries(nestDrivers).filter(([name]) => name !== 'src/storage/s3.driver.ts'));
    alone['src/storage/storage.module.ts'] = nestDrivers['src/storage/storage.module.ts']!.replace("import { S3Driver } from './s3.driver';", '').replace("process.env.STORAGE === 's3' ? new S3Driver() : ", '');
    const expected = [
      '9 no-local-disk-write diskWrite: fs.writeFile on POST /attachments (AttachmentsController.create, src/attachments.controller.ts:8)',
      '12 no-local-disk-write diskRemove: fs.unlink on DELETE /attachments/:name (AttachmentsController.remove, src/attachments.controller.ts:12)',
    ];
    expect(typed(alone, 'src/storage/local.driver.ts')).toEqual(expected);
    expect(untyped(alone, 'src/storage/local.driver.ts')).toEqual(expected);
  });

  it('quiet: a driver family no request calls (only a migration script uploads)', () => {
    const files = {
      ...nestDrivers,
      'src/attachments.controller.ts': `
import { Controller, Get } from '@nestjs/common';
@Controller('attachments')
export class AttachmentsController {
  @Get()
  list() { return []; }
}
`,
      'scripts/migrate.ts': `
import { StorageService } from '../src/storage/storage.service';
export async function migrate(storage: StorageService) { await storage.upload('a', Buffer.from('x')); }
`,
    };
    expect(typed(files, 'src/storage/local.driver.ts')).toEqual([]);
    expect(untyped(files, 'src/storage/local.driver.ts')).toEqual([]);
  });

  it('Next.js: an abstract datasource, the local subclass picked by a config switch, called from an API route', () => {
    const files: Record<string, string> = {
      'src/lib/datasources/Datasource.ts': `
export abstract class Datasource {
  public abstract save(file: string, data: Buffer): Promise<void>;
}
`,
      'src/lib/datasources/Local.ts': `
import { writeFile } from 'fs/promises';
import { join } from 'path';
import { Datasource } from './Datasource';
export class Local extends Datasource {
  constructor(public path: string) { super(); }
  public async save(file: string, data: Buffer): Promise<void> {
    await writeFile(join(this.path, file), data);
  }
}
`,
      'src/lib/datasources/S3.ts': `
import { Datasource } from './Datasource';
export class S3 extends Datasource {
  public async save(file: string, data: Buffer): Promise<void> {}
}
`,
      'src/lib/datasource.ts': `
import { Datasource } from './datasources/Datasource';
import { Local } from './datasources/Local';
import { S3 } from './datasources/S3';
const datasource: Datasource = process.env.DATASOURCE === 's3' ? new S3() : new Local('./uploads');
export default datasource;
`,
      'src/pages/api/upload.ts': `
import type { NextApiRequest, NextApiResponse } from 'next';
import datasource from '../../lib/datasource';
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  await datasource.save(String(req.query.name), Buffer.from(String(req.body)));
  res.status(200).end();
}
`,
    };
    const expected = ['8 no-local-disk-write diskWrite: writeFile on API /api/upload (src/pages/api/upload.ts:4)'];
    expect(typed(files, 'src/lib/datasources/Local.ts')).toEqual(expected);
    expect(untyped(files, 'src/lib/datasources/Local.ts')).toEqual(expected);
  });
});

/** Connect/Express ES5: a store module picked by `require('./stores/' + type)`, called through a prototype-style handler class. */
const es5Stores: Record<string, string> = {
  'lib/stores/file.js': `
var fs = require('fs');
function FileStore(options) {
  this.basePath = options.path || './data';
}
FileStore.prototype.set = function (key, data, callback) {
  var _this = this;
  fs.mkdir(this.basePath, function () {
    fs.writeFile(_this.basePath + '/' + key, data, callback);
  });
};
FileStore.prototype.get = function (key, callback) {
  fs.readFile(this.basePath + '/' + key, 'utf8', callback);
};
module.exports = FileStore;
`,
  'lib/stores/redis.js': `
function RedisStore(options, client) { this.client = client; }
RedisStore.prototype.set = function (key, data, callback) { this.client.set(key, data, callback); };
RedisStore.prototype.get = function (key, callback) { this.client.get(key, callback); };
module.exports = RedisStore;
`,
  'lib/document_handler.js': `
var DocumentHandler = function (options) {
  this.store = options.store;
};
DocumentHandler.prototype.handlePost = function (req, res) {
  this.store.set(req.params.id, req.body, function () { res.end(); });
};
module.exports = DocumentHandler;
`,
  'server.js': `
var express = require('express');
var DocumentHandler = require('./lib/document_handler');
var config = { storage: { type: process.env.STORE || 'file' } };
var Store = require('./lib/stores/' + config.storage.type);
var handler = new DocumentHandler({ store: new Store(config.storage) });
var app = express();
app.post('/documents/:id', function (req, res) {
  return handler.handlePost(req, res);
});
app.listen(7777);
`,
};

describe('a store module picked by a dynamic require', () => {
  it('Express ES5: the file store’s write runs on the route that calls the store, through a prototype-style class (untyped and typed)', () => {
    const expected = ['9 no-local-disk-write diskWrite: fs.writeFile on POST /documents/:id (server.js:8)'];
    expect(untyped(es5Stores, 'lib/stores/file.js')).toEqual(expected);
    expect(typed(es5Stores, 'lib/stores/file.js')).toEqual(expected);
  });

  it('quiet: the same module required by a fixed path (no family), and a Map named store on the route', () => {
    const files = {
      ...es5Stores,
      'server.js': es5Stores['server.js']!.replace(`require('./lib/stores/' + config.storage.type)`, `require('./lib/stores/redis')`),
      'lib/document_handler.js': es5Stores['lib/document_handler.js']!.replace('this.store = options.store;', 'this.store = new Map();'),
    };
    expect(untyped(files, 'lib/stores/file.js')).toEqual([]);
  });
});

describe('a provider required in one branch of a configuration switch (Koa)', () => {
  const files: Record<string, string> = {
    'app/files/local.js': `
const fs = require('fs');
exports.uploadImage = function (imagePath, callback) {
  fs.copyFileSync(imagePath, 'public/uploads/' + require('path').basename(imagePath));
  callback(null, '/uploads/' + imagePath);
};
`,
    'app/files.js': `
const config = require('./config');
let uploadProvider;
if (config.uploads === 'local') {
  uploadProvider = require('./files/local');
} else {
  uploadProvider = require('./plugins').load(config.uploads);
}
module.exports = uploadProvider;
`,
    'app/config.js': `module.exports = { uploads: process.env.UPLOADS || 'local' };\n`,
    'app/plugins.js': `exports.load = function (name) { return require(name); };\n`,
    'app/server.js': `
const Koa = require('koa');
const Router = require('@koa/router');
const uploadProvider = require('./files');
const app = new Koa();
const router = new Router();
router.post('/images', async (ctx) => {
  await new Promise((resolve) => uploadProvider.uploadImage(ctx.request.files.image.filepath, resolve));
  ctx.status = 201;
});
app.use(router.routes());
app.listen(3000);
`,
  };

  it('the copy is a local write and a sync call on the route that calls the provider', () => {
    expect(untyped(files, 'app/files/local.js')).toEqual([
      '4 no-blocking-request-work syncCall: fs.copyFileSync on POST /images (app/server.js:7)',
      '4 no-local-disk-write diskWrite: fs.copyFileSync on POST /images (app/server.js:7)',
    ]);
  });

  it('quiet: the provider required unconditionally and never called on a request (a CLI import)', () => {
    const cli = {
      ...files,
      'app/files.js': `module.exports = require('./files/local');\n`,
      'app/server.js': files['app/server.js']!.replace('uploadProvider.uploadImage(ctx.request.files.image.filepath, resolve)', 'resolve()'),
    };
    expect(untyped(cli, 'app/files/local.js')).toEqual([]);
  });
});

describe('a local store chosen by an exported fallback: module.exports = cloud || local (Express, callbacks)', () => {
  const files: Record<string, string> = {
    'common/store_local.js': `
var fs = require('fs');
var path = require('path');
exports.upload = function (file, options, callback) {
  var filePath = path.join(__dirname, '../public/upload', options.filename);
  file.on('end', function () { callback(null, { url: '/public/upload/' + options.filename }); });
  file.pipe(fs.createWriteStream(filePath));
};
`,
    'common/store_cloud.js': `
var cloud = require('cloud-sdk');
var client = null;
if (process.env.CLOUD_KEY) client = cloud.create({ key: process.env.CLOUD_KEY });
module.exports = client;
`,
    'common/store.js': `
var cloud = require('./store_cloud');
var local = require('./store_local');
module.exports = cloud || local;
`,
    'controllers/topic.js': `
var store = require('../common/store');
exports.upload = function (req, res, next) {
  req.busboy.on('file', function (fieldname, file, filename) {
    store.upload(file, { filename: filename }, function (err, result) {
      if (err) return next(err);
      res.json({ url: result.url });
    });
  });
  req.pipe(req.busboy);
};
`,
    'app.js': `
var express = require('express');
var topic = require('./controllers/topic');
var app = express();
app.post('/upload', topic.upload);
app.listen(3000);
`,
  };
  const finding = '7 no-local-disk-write diskWrite: fs.createWriteStream on POST /upload (app.js:5)';

  it('the write stream of the local store is on the route that calls the chosen store, typed and untyped', () => {
    expect(untyped(files, 'common/store_local.js')).toEqual([finding]);
    expect(typed(files, 'common/store_local.js')).toEqual([finding]);
  });

  it('quiet: the same local store required and never chosen (a migration script uses it)', () => {
    const unused = { ...files, 'common/store.js': "var cloud = require('./store_cloud');\nvar local = require('./store_local');\nmodule.exports = cloud;\n" };
    expect(untyped(unused, 'common/store_local.js')).toEqual([]);
    expect(typed(unused, 'common/store_local.js')).toEqual([]);
  });
});

describe('members of a Fastify decoration whose type the checker cannot see', () => {
  const files: Record<string, string> = {
    'src/plugins/file-manager.ts': `
import fs from 'fs';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    fileManager: Helpers<typeof createFileManager>;
  }
}

function createFileManager(fastify: FastifyInstance) {
  return {
    ensureDir(dir: string) {
      fs.mkdirSync(dir, { recursive: true });
    },
    async upload(body: NodeJS.ReadableStream, destination: string) {
      body.pipe(fs.createWriteStream(destination));
    },
    async unlink(file: string) {
      await fs.promises.unlink(file);
    },
  };
}

export default fp(async (fastify: FastifyInstance) => {
  fastify.decorate('fileManager', createFileManager(fastify));
});
`,
    'src/routes/images.ts': `
import type { FastifyInstance } from 'fastify';

export default async function (fastify: FastifyInstance) {
  const { fileManager } = fastify;
  fileManager.ensureDir('uploads');
  fastify.put('/images/:name', async (request) => {
    await fileManager.upload(request.raw, 'uploads/' + (request.params as { name: string }).name);
    return { ok: true };
  });
  fastify.delete('/images/:name', async (request) => {
    await fastify.fileManager.unlink('uploads/' + (request.params as { name: string }).name);
    return { ok: true };
  });
}
`,
  };

  it('typed: the factory’s returned methods run on the routes that call them, through destructuring or the instance; start-up mkdir stays quiet', () => {
    expect(typed(files, 'src/plugins/file-manager.ts')).toEqual([
      '18 no-local-disk-write diskWrite: fs.createWriteStream on PUT /images/:name (src/routes/images.ts:7)',
      '21 no-local-disk-write diskRemove: fs.promises.unlink on DELETE /images/:name (src/routes/images.ts:11)',
    ]);
  });
});

describe('a function a plugin decorates, run as a hook or called through the instance (plain JavaScript)', () => {
  const files: Record<string, string> = {
    'server/plugins/audit.js': `
import fs from 'fs';
import fp from 'fastify-plugin';

export default fp((fastify, options, done) => {
  fastify.decorate('audit', async (request) => {
    fs.appendFileSync('audit.log', request.method + ' ' + request.url + '\\n');
  });
  fastify.decorate('archive', async (name, body) => {
    await fs.promises.writeFile('archive/' + name, body);
  });
  fastify.addHook('onRequest', fastify.audit);
  done();
});
`,
    'server/routes/notes.js': `
export default async function (fastify) {
  fastify.post('/notes/:name', async (request) => {
    await fastify.archive(request.params.name, request.body.text);
    return { ok: true };
  });
}
`,
  };

  it('typed: the decorated hook runs on every request, the decorated helper on the route that calls it', () => {
    expect(typed(files, 'server/plugins/audit.js')).toEqual([
      '7 no-blocking-request-work syncCall: fs.appendFileSync on onRequest hook for all routes (server/plugins/audit.js:12)',
      '7 no-local-disk-write diskWrite: fs.appendFileSync on onRequest hook for all routes (server/plugins/audit.js:12)',
      '10 no-local-disk-write diskWrite: fs.promises.writeFile on POST /notes/:name (server/routes/notes.js:3)',
    ]);
  });

  it('the helper called through the instance a request carries (`request.server.archive(…)`), typed and untyped', () => {
    const carried = {
      'server/plugins/audit.js': files['server/plugins/audit.js'],
      'server/routes/drafts.js': `
export default async function (fastify) {
  fastify.put('/drafts/:name', async (request, reply) => {
    await request.server.archive('drafts/' + request.params.name, request.body.text);
    return reply.code(204).send();
  });
}
`,
    };
    const archived = ['10 no-local-disk-write diskWrite: fs.promises.writeFile on PUT /drafts/:name (server/routes/drafts.js:3)'];
    expect(typed(carried, 'server/plugins/audit.js').filter((line) => line.startsWith('10 '))).toEqual(archived);
    expect(untyped(carried, 'server/plugins/audit.js').filter((line) => line.startsWith('10 '))).toEqual(archived);
  });

  it('names the routes in the order they are registered (file, then place), whatever order the walk met them in, typed and untyped', () => {
    const both = { ...files, 'server/routes/drafts.js': `
export default async function (fastify) {
  fastify.put('/drafts/:name', async (request, reply) => {
    await request.server.archive('drafts/' + request.params.name, request.body.text);
    return reply.code(204).send();
  });
}
` };
    const archived = ['10 no-local-disk-write diskWrite: fs.promises.writeFile on PUT /drafts/:name (server/routes/drafts.js:3) and 1 other route'];
    expect(typed(both, 'server/plugins/audit.js').filter((line) => line.startsWith('10 '))).toEqual(archived);
    expect(untyped(both, 'server/plugins/audit.js').filter((line) => line.startsWith('10 '))).toEqual(archived);
  });
});

describe('ES modules of the same shape, one returned per configured adapter (Express, plain JavaScript)', () => {
  const files: Record<string, string> = {
    'src/storage/local.js': `
import { promises as fs } from 'fs';
import path from 'path';

const root = process.env.MEDIA_DIR || 'media';

export async function save(name, data) {
  await fs.writeFile(path.join(root, name), data);
  return name;
}

export async function drop(name) {
  await fs.unlink(path.join(root, name));
}
`,
    'src/storage/bucket.js': `
import { S3Client, PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';

const s3 = new S3Client({});

export async function save(name, data) {
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: name, Body: data }));
  return name;
}

export async function drop(name) {
  await s3.send(new DeleteObjectCommand({ Bucket: process.env.BUCKET, Key: name }));
}
`,
    'src/storage/index.js': `
import * as local from './local.js';
import * as bucket from './bucket.js';

export function mediaStore() {
  switch (process.env.MEDIA_STORE) {
    case 'local':
      return local;
    default:
      return bucket;
  }
}
`,
    'src/app.js': `
import express from 'express';
import { mediaStore } from './storage/index.js';

const app = express();
const media = mediaStore();
app.put('/media/:name', express.raw({ type: '*/*' }), async (req, res) => {
  res.json({ name: await media.save(req.params.name, req.body) });
});
app.delete('/media/:name', async (req, res) => {
  await media.drop(req.params.name);
  res.sendStatus(204);
});
app.listen(3000);
`,
  };

  it('the local module’s write and delete run on the routes that call the chosen adapter, typed (the checker keeps only one of two modules of the same shape) and untyped', () => {
    const expected = [
      '8 no-local-disk-write diskWrite: fs.writeFile on PUT /media/:name (src/app.js:7)',
      '13 no-local-disk-write diskRemove: fs.unlink on DELETE /media/:name (src/app.js:10)',
    ];
    expect(typed(files, 'src/storage/local.js')).toEqual(expected);
    expect(untyped(files, 'src/storage/local.js')).toEqual(expected);
  });

  it('quiet: the same modules when no function picks one by a branch (the local one is imported only by a migration script)', () => {
    const fixed = {
      ...files,
      'src/storage/index.js': `import * as bucket from './bucket.js';\nexport function mediaStore() {\n  return bucket;\n}\n`,
      'scripts/import-media.js': `import * as local from '../src/storage/local.js';\nawait local.save('seed.png', Buffer.from(''));\n`,
    };
    expect(typed(fixed, 'src/storage/local.js')).toEqual([]);
    expect(untyped(fixed, 'src/storage/local.js')).toEqual([]);
  });
});

describe('hooks in Fastify route options (plain JavaScript)', () => {
  const files: Record<string, string> = {
    'server/hooks/attachments.js': `
import fs from 'node:fs/promises';

export async function storeAttachments(request) {
  for (const file of request.body.files ?? []) {
    await fs.writeFile('attachments/' + file.name, file.content);
  }
}
`,
    'server/routes/messages.js': `
import { storeAttachments } from '../hooks/attachments.js';

export default async function (fastify) {
  fastify.post('/messages', { preValidation: [fastify.authenticate, storeAttachments], schema: { body: { type: 'object' } } }, async (request) => {
    return { ok: true };
  });
  fastify.get('/messages/:id', { onRequest: fastify.authenticate }, async () => ({ ok: true }));
}
`,
  };

  it('a hook listed in the route options runs on that route (typed and untyped)', () => {
    const expected = ['6 no-local-disk-write diskWrite: fs.writeFile on POST /messages (server/routes/messages.js:5)'];
    expect(typed(files, 'server/hooks/attachments.js')).toEqual(expected);
    expect(untyped(files, 'server/hooks/attachments.js')).toEqual(expected);
  });
});

describe('a command bus that dispatches through an interface (typed)', () => {
  const files: Record<string, string> = {
    'src/bus.ts': `
export interface CommandHandler<C = unknown, R = unknown> {
  readonly key: string;
  execute(command: C): Promise<R>;
}
export class CommandBus {
  private readonly handlers = new Map<string, CommandHandler>();
  register(handler: CommandHandler) {
    this.handlers.set(handler.key, handler);
  }
  async execute<R>(key: string, command: unknown): Promise<R> {
    const handler = this.handlers.get(key);
    if (!handler) throw new Error('no handler for ' + key);
    return (await handler.execute(command)) as R;
  }
}
`,
    'src/account.ts': `
import bcrypt from 'bcrypt';
export class Account {
  constructor(private password: string) {}
  comparePassword(password: string) {
    if (!bcrypt.compareSync(password, this.password)) throw new Error('wrong password');
  }
}
`,
    'src/login.handler.ts': `
import type { CommandHandler } from './bus';
import { Account } from './account';
export class LoginHandler implements CommandHandler<{ email: string; password: string }, string> {
  readonly key = 'login';
  async execute({ password }: { email: string; password: string }) {
    const account = new Account('$2b$10$hash');
    account.comparePassword(password);
    return 'token';
  }
}
`,
    'src/server.ts': `
import express from 'express';
import { CommandBus } from './bus';
import { LoginHandler } from './login.handler';
const bus = new CommandBus();
bus.register(new LoginHandler());
const app = express();
app.post('/login', async (req, res) => {
  res.json({ token: await bus.execute('login', req.body) });
});
app.listen(3000);
`,
  };

  it('the handler’s sync bcrypt runs on the route that executes the command', () => {
    expect(typed(files, 'src/account.ts')).toEqual(['6 no-blocking-request-work syncCall: bcrypt.compareSync on POST /login (src/server.ts:8)']);
  });
});

describe('a module written as an immediately invoked function (typed and untyped)', () => {
  const files: Record<string, string> = {
    'server/image-data-uri.js': `
const fs = require('fs');
const ImageDataURI = (() => {
  function decode(dataURI) {
    return Buffer.from(dataURI.split(',')[1], 'base64');
  }
  function outputFile(dataURI, filePath) {
    return new Promise((resolve) => fs.writeFile(filePath, decode(dataURI), () => resolve(filePath)));
  }
  return { decode: decode, outputFile: outputFile };
})();
module.exports = ImageDataURI;
`,
    'server/server.js': `
const { Server } = require('socket.io');
const ImageDataURI = require('./image-data-uri');
const io = new Server(3001);
io.on('connection', (socket) => {
  socket.on('saveLogo', async (slug, logo, callback) => {
    await ImageDataURI.outputFile(logo, './data/upload/logo-' + slug + '.png');
    callback({ ok: true });
  });
});
`,
  };

  it('the returned object’s members resolve to the functions inside it: the socket event writes the logo', () => {
    expect(untyped(files, 'server/image-data-uri.js')).toEqual(['8 no-local-disk-write diskWrite: fs.writeFile on socket connection (server/server.js:5) and 1 other handler']);
    expect(typed(files, 'server/image-data-uri.js')).toEqual(['8 no-local-disk-write diskWrite: fs.writeFile on socket connection (server/server.js:5) and 1 other handler']);
  });

  it('typed: an ES module that reveals its functions by shorthand (`return { save }`), called from an Express route', () => {
    const revealing = {
      'src/attachments.mjs': `
import { writeFile } from 'node:fs/promises';
export const attachments = (function () {
  const folder = process.env.ATTACHMENTS ?? 'attachments';
  async function save(name, body) {
    await writeFile(folder + '/' + name, body);
  }
  return { save };
})();
`,
      'src/app.mjs': `
import express from 'express';
import { attachments } from './attachments.mjs';
const app = express();
app.post('/attachments/:name', express.raw(), async (req, res) => {
  await attachments.save(req.params.name, req.body);
  res.sendStatus(201);
});
`,
    };
    expect(typed(revealing, 'src/attachments.mjs')).toEqual(['6 no-local-disk-write diskWrite: writeFile on POST /attachments/:name (src/app.mjs:5)']);
  });
});

/** A base class whose methods only throw ("Not implemented"), drivers extending it, one picked from configuration by a loader. */
const placeholderDrivers: Record<string, string> = {
  'src/storage/StorageDriverBase.ts': `
export default class StorageDriverBase {
  public constructor(protected readonly config: { path?: string }) {}
  public async write(_id: string, _content: Buffer): Promise<void> { throw new Error('Not implemented'); }
  public async delete(_id: string): Promise<void> { throw new Error('Not implemented'); }
}
`,
  'src/storage/StorageDriverFs.ts': `
import { writeFile, remove } from 'fs-extra';
import StorageDriverBase from './StorageDriverBase';
export default class StorageDriverFs extends StorageDriverBase {
  public async write(id: string, content: Buffer): Promise<void> {
    await writeFile(this.config.path + '/' + id, content);
  }
  public async delete(id: string): Promise<void> {
    await remove(this.config.path + '/' + id);
  }
}
`,
  'src/storage/StorageDriverS3.ts': `
import StorageDriverBase from './StorageDriverBase';
export default class StorageDriverS3 extends StorageDriverBase {
  public async write(id: string, content: Buffer): Promise<void> {}
  public async delete(id: string): Promise<void> {}
}
`,
  'src/storage/loadStorageDriver.ts': `
import StorageDriverBase from './StorageDriverBase';
import StorageDriverFs from './StorageDriverFs';
import StorageDriverS3 from './StorageDriverS3';
export default function loadStorageDriver(type: string): StorageDriverBase {
  if (type === 'fs') return new StorageDriverFs({ path: process.env.STORAGE_PATH });
  return new StorageDriverS3({});
}
`,
  'src/models/ItemModel.ts': `
import StorageDriverBase from '../storage/StorageDriverBase';
import loadStorageDriver from '../storage/loadStorageDriver';
export default class ItemModel {
  private driver_: StorageDriverBase | null = null;
  private storageDriver(): StorageDriverBase {
    if (!this.driver_) this.driver_ = loadStorageDriver(process.env.STORAGE_DRIVER || 'fs');
    return this.driver_;
  }
  public async save(id: string, content: Buffer) {
    const storageDriver = this.storageDriver();
    await storageDriver.write(id, content);
  }
}
`,
  'src/server.ts': `
import express from 'express';
import ItemModel from './models/ItemModel';
const app = express();
const items = new ItemModel();
app.put('/items/:id', async (req, res) => {
  await items.save(req.params.id, req.body);
  res.end();
});
app.listen(3000);
`,
};

describe('a driver family under a base class whose methods only throw', () => {
  it('the filesystem driver’s write runs on the route that calls the base method (typed and untyped)', () => {
    const expected = ['6 no-local-disk-write diskWrite: writeFile on PUT /items/:id (src/server.ts:6)'];
    expect(typed(placeholderDrivers, 'src/storage/StorageDriverFs.ts')).toEqual(expected);
    expect(untyped(placeholderDrivers, 'src/storage/StorageDriverFs.ts')).toEqual(expected);
  });

  it('quiet: a base method with a body of its own runs itself, not the subclasses’ overrides', () => {
    const files = {
      ...placeholderDrivers,
      'src/storage/StorageDriverBase.ts': placeholderDrivers['src/storage/StorageDriverBase.ts']!.replace(
        "public async write(_id: string, _content: Buffer): Promise<void> { throw new Error('Not implemented'); }",
        'public async write(id: string, content: Buffer): Promise<void> { console.info(id, content.length); }',
      ),
    };
    expect(typed(files, 'src/storage/StorageDriverFs.ts')).toEqual([]);
  });
});
