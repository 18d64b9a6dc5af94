import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { ProjectIndex } from '../project-index/project-index';
import { removeProject, writeProject } from '../testing/disk-project';
import { typedFindings } from '../testing/project-findings';

// Untyped, with the project index: the class instance a method is called on, from syntax alone — a
// singleton reached through its accessor (`UploadStore.getInstance().save()`), a parameter or field
// declared with a class type (`(client: Client) => client.save()`), `const self = this`.

const roots: string[] = [];
afterAll(() => roots.forEach(removeProject));

/** `rule line: message` of the findings in `file`. */
function findings(files: Record<string, string>, file: string): string[] {
  const root = writeProject({ 'package.json': '{ "name": "app" }', ...files });
  roots.push(root);
  const index = new ProjectIndex(root);
  const sourceFile = index.sourceFile(`${root}/${file}`)!;
  return analyzeSourceFile(sourceFile, { projectIndex: index, projectRoot: root }).map(
    (finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`,
  );
}

const store = (accessor: string): string => `const fs = require('fs');
const path = require('path');
class UploadStore {
  save(name, body) {
    fs.writeFileSync(path.join('uploads', name), body);
  }
${accessor}
}
module.exports = { UploadStore };
`;

const route = `const express = require('express');
const { UploadStore } = require('./upload-store');
const app = express();
app.put('/files/:name', express.raw(), (req, res) => {
  UploadStore.getInstance().save(req.params.name, req.body);
  res.sendStatus(201);
});
app.listen(3000);
`;

const writeMessage = (line: number) =>
  `no-local-disk-write ${line}: \`fs.writeFileSync\` writes to this instance's local disk on PUT /files/:name (app.js:4). Other instances will not find the file, and it is lost when this instance is replaced.`;
const blockingMessage = (line: number) =>
  `no-blocking-request-work ${line}: \`fs.writeFileSync\` blocks the event loop on PUT /files/:name (app.js:4): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.`;

describe('a method called on what a singleton accessor returns', () => {
  it.each([
    ['a static getInstance that creates the instance once', `  static getInstance() {\n    if (!UploadStore.instance) UploadStore.instance = new UploadStore();\n    return UploadStore.instance;\n  }`],
    ['a static accessor with ??=', `  static getInstance() {\n    return (this.instance ??= new UploadStore());\n  }`],
    ['a static factory returning a new instance', `  static getInstance() {\n    return new UploadStore();\n  }`],
  ])('%s: the route reaches the write', (_name, accessor) => {
    const result = findings({ 'upload-store.js': store(accessor), 'app.js': route }, 'upload-store.js');
    expect(result).toEqual([blockingMessage(5), writeMessage(5)]);
  });

  it('a module function that keeps the instance in a module variable', () => {
    const files = {
      'upload-store.js': `const fs = require('fs');
class UploadStore {
  save(name, body) {
    fs.writeFileSync('uploads/' + name, body);
  }
}
let instance;
function getStore() {
  if (!instance) {
    instance = new UploadStore();
  }
  return instance;
}
module.exports = { getStore };
`,
      'app.js': route.replace("{ UploadStore } = require('./upload-store')", "{ getStore } = require('./upload-store')").replace('UploadStore.getInstance()', 'getStore()'),
    };
    expect(findings(files, 'upload-store.js')).toEqual([blockingMessage(4), writeMessage(4)]);
  });

  it('quiet: an accessor returning something other than a new instance, and a method of the same name on another class', () => {
    const other = `const fs = require('fs');
class UploadStore {
  save(name, body) {
    fs.writeFileSync('uploads/' + name, body);
  }
  static getInstance() {
    return remoteStore;
  }
}
class Archive {
  save(name, body) {
    fs.writeFileSync('archive/' + name, body);
  }
  static getInstance() {
    return new Archive();
  }
}
const remoteStore = { save() {} };
module.exports = { UploadStore, Archive };
`;
    expect(findings({ 'upload-store.js': other, 'app.js': route }, 'upload-store.js')).toEqual([]);
  });
});

describe('a scheduled job that calls a singleton accessor’s method', () => {
  const server = `const express = require('express');
const { Server } = require('socket.io');
const { Cron } = require('croner');
const { Hub } = require('./hub');
const app = express();
const httpServer = app.listen(3000);
const io = new Server(httpServer);
Hub.getInstance().io = io;
new Cron('*/5 * * * *', async () => {
  await Hub.getInstance().JOB;
});
`;
  const hub = `const db = require('./db');
class Hub {
  static getInstance() {
    if (Hub.instance == null) {
      Hub.instance = new Hub();
    }
    return Hub.instance;
  }
  async sendList(userID) {
    const list = await db.select('items').where({ userID });
    this.io.to(userID).emit('list', list);
  }
  async expireItems() {
    await db.table('items').where('expires', '<', new Date()).delete();
  }
}
module.exports = { Hub };
`;
  const files = (job: string) => ({ 'server.js': server.replace('JOB', job), 'hub.js': hub, 'db.js': "module.exports = require('knex')({});\n" });
  const schedulerFindings = (job: string) => findings(files(job), 'server.js').filter((finding) => finding.startsWith('no-in-process-scheduler'));

  it('quiet: the job only reads and sends to this instance’s sockets', () => {
    expect(schedulerFindings("sendList('u1')")).toEqual([]);
  });

  it('reported: the job deletes rows, once per instance', () => {
    expect(schedulerFindings('expireItems()')).toEqual([
      "no-in-process-scheduler 9: `new Cron` runs in every instance of the web process: `Hub.getInstance().expireItems()` writes to the database (`db.table('items').where('expires', '<', new Date()).delete`) every 5 minutes. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ]);
  });
});

describe('instances known by their declared class or as `this`', () => {
  const manager = `import * as fs from 'fs';
import type Client from './client';
export default class ClientManager {
  clients: Client[] = [];
  saveUser(client: Client) {
    fs.writeFileSync('users/' + client.name + '.json', JSON.stringify(client.config));
  }
}
`;
  const client = `import type ClientManager from './client-manager';
export default class Client {
  manager!: ClientManager;
  name = '';
  config = {};
  setPassword(hash: string) {
    const client = this;
    client.config = { hash };
    client.manager.saveUser(client);
  }
}
`;
  const server = (handler: string): string => `import { Server } from 'socket.io';
import type Client from './client';
const io = new Server(3000);
function attach(socket: any, client: Client) {
${handler}
}
io.on('connection', (socket) => attach(socket, socket.data.client));
`;
  const files = (handler: string) => ({ 'src/client-manager.ts': manager, 'src/client.ts': client, 'src/server.ts': server(handler) });
  const write = (via: string) =>
    `no-local-disk-write 6: \`fs.writeFileSync\` writes to this instance's local disk on socket connection (src/server.ts:7)${via}. Other instances will not find the file, and it is lost when this instance is replaced.`;

  it('a parameter declared as a class, `const client = this`, and a field declared as a class: the socket event reaches the write', () => {
    const result = findings(files("  socket.on('password', (hash: string) => client.setPassword(hash));"), 'src/client-manager.ts');
    expect(result.filter((finding) => finding.startsWith('no-local-disk-write'))).toEqual([write('')]);
  });

  it('quiet: a parameter declared as an interface or a type with no class of that name, and a `this` outside any class', () => {
    const other = {
      ...files("  socket.on('password', (hash: string) => settings.save(hash));"),
      'src/server.ts': server("  socket.on('password', (hash: string) => settings.save(hash));").replace('function attach(socket: any, client: Client)', 'interface Settings { save(hash: string): void }\nfunction attach(socket: any, settings: Settings)'),
    };
    expect(findings(other, 'src/client-manager.ts')).toEqual([]);
  });
});

// `module.exports = class Index { … }` made once by the module that requires it: a singleton whose
// methods run where it is called, as a declared class's do.
describe('a class expression a CommonJS module exports', () => {
  const files = (app: string): Record<string, string> => ({
    'lib/shelf.js': `'use strict';
module.exports = class Shelf {
  constructor(root) {
    this.root = root;
    this.items = {};
  }
  put(owner, id, item) {
    if (!this.items[owner]) this.items[owner] = [];
    this.items[owner].push({ id, item });
  }
  list(owner) {
    return this.items[owner] || [];
  }
};
`,
    'lib/app.js': app,
  });

  it('made once at module scope: a route that calls its method writes its field', () => {
    const app = `const express = require('express');
const Bookshelf = require('./shelf');
const shelf = new Bookshelf('/srv/books');
const app = express();
app.post('/shelves/:owner', (req, res) => {
  shelf.put(req.params.owner, req.body.id, req.body);
  res.status(201).end();
});
app.listen(3000);
`;
    expect(findings(files(app), 'lib/shelf.js')).toEqual([
      'no-in-memory-session 5: `items` holds application data in this process; it is written by POST /shelves/:owner (lib/app.js:5). A second instance will not see it.',
    ]);
    expect(typedFindings(files(app), 'lib/shelf.js')).toEqual([
      '5:10 no-in-memory-session: `items` holds application data in this process; it is written by POST /shelves/:owner (lib/app.js:5). A second instance will not see it.',
    ]);
  });

  it('quiet: one made per request', () => {
    const app = `const express = require('express');
const Bookshelf = require('./shelf');
const app = express();
app.post('/shelves/:owner', (req, res) => {
  const shelf = new Bookshelf('/srv/books');
  shelf.put(req.params.owner, req.body.id, req.body);
  res.json(shelf.list(req.params.owner));
});
app.listen(3000);
`;
    expect(findings(files(app), 'lib/shelf.js')).toEqual([]);
    expect(typedFindings(files(app), 'lib/shelf.js')).toEqual([]);
  });
});

// A JavaScript constructor keeps what it is given (`this.blobs = blobs`): a call through that field
// runs what the code creating the class hands it (`new Catalog(blobs)` in another module).
describe('a field a constructor sets from its parameter', () => {
  const files = (app: string): Record<string, string> => ({
    'lib/disk-blobs.js': `const fs = require('fs');
const path = require('path');
class DiskBlobs {
  constructor(root) {
    this.root = root;
  }
  async remove(id) {
    await fs.promises.unlink(path.join(this.root, id));
  }
}
module.exports = DiskBlobs;
`,
    'lib/cloud-blobs.js': `const { S3Client, DeleteObjectCommand } = require('@aws-sdk/client-s3');
class CloudBlobs {
  constructor(bucket) {
    this.bucket = bucket;
    this.client = new S3Client({});
  }
  async remove(id) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: id }));
  }
}
module.exports = CloudBlobs;
`,
    'lib/catalog.js': `module.exports = class Catalog {
  constructor(blobs) {
    this.blobs = blobs;
  }
  async drop(id) {
    await this.blobs.remove(id);
  }
};
`,
    'scripts/sweep.js': `const DiskBlobs = require('../lib/disk-blobs');
const Catalog = require('../lib/catalog');
new Catalog(new DiskBlobs('/srv/blobs')).drop(process.argv[2]);
`,
    'lib/app.js': app,
  });

  const app = (blobs: string): string => `const express = require('express');
const Catalog = require('./catalog');
const DiskBlobs = require('./disk-blobs');
const CloudBlobs = require('./cloud-blobs');
const catalog = new Catalog(${blobs});
const app = express();
app.delete('/items/:id', async (req, res) => {
  await catalog.drop(req.params.id);
  res.status(204).end();
});
app.listen(3000);
`;

  it('untyped and typed: the route that calls drop removes the file through the store the app handed the catalog', () => {
    const disk = files(app("new DiskBlobs('/srv/blobs')"));
    expect(findings(disk, 'lib/disk-blobs.js')).toEqual([
      "no-local-disk-write 8: `fs.promises.unlink` deletes a stored file from this instance's local disk on DELETE /items/:id (lib/app.js:7). The other instances keep their copy, or never had it: the files belong in shared storage.",
    ]);
    expect(typedFindings(disk, 'lib/disk-blobs.js')).toEqual([
      "8:11 no-local-disk-write: `fs.promises.unlink` deletes a stored file from this instance's local disk on DELETE /items/:id (lib/app.js:7). The other instances keep their copy, or never had it: the files belong in shared storage.",
    ]);
  });

  it('quiet: the app hands it the bucket store; the disk store is made only by a script', () => {
    const cloud = files(app("new CloudBlobs('media')"));
    expect(findings(cloud, 'lib/disk-blobs.js')).toEqual([]);
    expect(typedFindings(cloud, 'lib/disk-blobs.js')).toEqual([]);
  });
});
