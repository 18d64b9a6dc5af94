import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// An object of the project handed to middleware mounted on a route: the middleware runs the methods
// its protocol names while the route's request waits, so what they write is written on that route.

afterAll(removeAnalysedProjects);

const DISK = ['no-local-disk-write' as const];

// Resumable uploads through middleware the service wrote: the factory hands the store on to the
// handler factories, which call `open` and `add` on it; `purge` is the service's own nightly call.
const CHUNKED_MIDDLEWARE = {
  'src/chunked/index.ts': `import { Router } from 'express';
import { begin } from './begin';
import { resume } from './resume';

export function chunkedUploads(store: any, limits: { maxBytes: number }) {
  const router = Router();
  router.post('/', begin(store, limits.maxBytes));
  router.patch('/:id', resume(store));
  return router;
}
`,
  'src/chunked/begin.ts': `export const begin = (store: any, maxBytes: number) => async (req: any, res: any) => {
  if (Number(req.headers['upload-length']) > maxBytes) return res.status(413).end();
  const id = await store.open(req.headers['upload-length']);
  res.status(201).location(id).end();
};
`,
  'src/chunked/resume.ts': `export function resume(store: any) {
  return async (req: any, res: any) => {
    const offset = await store.add(req.params.id, req, Number(req.headers['upload-offset']));
    res.set('Upload-Offset', String(offset)).status(204).end();
  };
}
`,
  'src/chunks.ts': `import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export class DiskChunks {
  constructor(private readonly folder: string) {}

  async open(length: string): Promise<string> {
    const id = Math.random().toString(36).slice(2);
    await fs.writeFile(path.join(this.folder, id + '.meta'), JSON.stringify({ length }));
    return id;
  }

  async add(id: string, body: AsyncIterable<Buffer>, offset: number): Promise<number> {
    let written = offset;
    for await (const chunk of body) {
      await fs.appendFile(path.join(this.folder, id), chunk);
      written += chunk.length;
    }
    return written;
  }

  async purge(olderThan: number): Promise<void> {
    for (const name of await fs.readdir(this.folder)) {
      if (Number(name.split('.')[1] ?? 0) < olderThan) await fs.unlink(path.join(this.folder, name));
    }
  }
}
`,
  'src/app.ts': `import express from 'express';
import { chunkedUploads } from './chunked';
import { DiskChunks } from './chunks';

const chunks = new DiskChunks('/var/lib/uploads');
export const app = express();
app.use('/uploads', chunkedUploads(chunks, { maxBytes: 1 << 30 }));
app.listen(3000);
`,
};

const CHUNKED_FINDINGS = [
  "9:11 no-local-disk-write: `fs.writeFile` writes to this instance's local disk on middleware for /uploads (chunkedUploads runs DiskChunks.open, src/app.ts:7). Other instances will not find the file, and it is lost when this instance is replaced.",
  "16:13 no-local-disk-write: `fs.appendFile` writes to this instance's local disk on middleware for /uploads (chunkedUploads runs DiskChunks.add, src/app.ts:7). Other instances will not find the file, and it is lost when this instance is replaced.",
];

// tusboy from npm, given a store class of the service's own.
const TUSBOY = {
  'src/tus-disk.js': `const fs = require('fs');
const path = require('path');

class TusDiskStore {
  constructor(root) {
    this.root = root;
  }
  async create(key, { uploadLength, metadata }) {
    await fs.promises.writeFile(path.join(this.root, key + '.info'), JSON.stringify({ uploadLength, metadata }));
    return { uploadId: key };
  }
  async append(uploadId, stream, offset) {
    await new Promise((resolve, reject) => stream.pipe(fs.createWriteStream(path.join(this.root, uploadId), { flags: 'r+', start: offset })).on('finish', resolve).on('error', reject));
    return { offset };
  }
  async compact() {
    await fs.promises.rm(path.join(this.root, 'tmp'), { recursive: true, force: true });
  }
}
module.exports = TusDiskStore;
`,
  'src/server.js': `const express = require('express');
const tusboy = require('tusboy');
const TusDiskStore = require('./tus-disk');

const app = express();
app.use('/tus', tusboy(new TusDiskStore('/srv/tus'), { getKey: (req) => req.user.id + '-' + Date.now() }));
app.listen(8080);
`,
};

const TUSBOY_FINDINGS = [
  "9:11 no-local-disk-write: `fs.promises.writeFile` writes to this instance's local disk on middleware for /tus (tusboy runs TusDiskStore.create, src/server.js:6). Other instances will not find the file, and it is lost when this instance is replaced.",
  "13:56 no-local-disk-write: `fs.createWriteStream` writes to this instance's local disk on middleware for /tus (tusboy runs TusDiskStore.append, src/server.js:6). Other instances will not find the file, and it is lost when this instance is replaced.",
];

// @tus/server given a DataStore of the service's own; the look-alike next to it is given the S3 store.
const TUS_SERVER = {
  'src/volume-store.ts': `import { DataStore, Upload } from '@tus/server';
import { createWriteStream, promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';

export class VolumeStore extends DataStore {
  constructor(private readonly directory: string) {
    super();
  }
  async create(upload: Upload): Promise<Upload> {
    await fs.writeFile(\`\${this.directory}/\${upload.id}.json\`, JSON.stringify(upload));
    return upload;
  }
  async write(stream: Readable, id: string, offset: number): Promise<number> {
    const target = createWriteStream(\`\${this.directory}/\${id}\`, { flags: 'r+', start: offset });
    stream.pipe(target);
    await new Promise((resolve) => target.on('finish', resolve));
    return offset + target.bytesWritten;
  }
  async deleteExpired(): Promise<number> {
    await fs.rm(\`\${this.directory}/expired\`, { recursive: true, force: true });
    return 0;
  }
}
`,
  'src/uploads.ts': `import express from 'express';
import { Server } from '@tus/server';
import { S3Store } from '@tus/s3-store';
import { VolumeStore } from './volume-store';

const local = new Server({ path: '/files', datastore: new VolumeStore('/mnt/volume') });
const cloud = new Server({ path: '/cloud', datastore: new S3Store({ s3ClientConfig: { bucket: 'uploads', region: 'eu-west-1' } }) });

export const app = express();
app.all('/files/*', (req, res) => local.handle(req, res));
app.all('/cloud/*', cloud.handle.bind(cloud));
app.listen(4000);
`,
};

const TUS_SERVER_FINDINGS = [
  "10:11 no-local-disk-write: `fs.writeFile` writes to this instance's local disk on ALL /files/* (@tus/server runs VolumeStore.create, src/uploads.ts:10). Other instances will not find the file, and it is lost when this instance is replaced.",
  "14:20 no-local-disk-write: `createWriteStream` writes to this instance's local disk on ALL /files/* (@tus/server runs VolumeStore.write, src/uploads.ts:10). Other instances will not find the file, and it is lost when this instance is replaced.",
];

describe('a store of the project handed to middleware mounted on a route', () => {
  it('untyped: middleware the service wrote runs the methods it calls on its parameter; a method it never calls stays quiet', () => {
    expect(untypedFindings(CHUNKED_MIDDLEWARE, 'src/chunks.ts', DISK)).toEqual(CHUNKED_FINDINGS);
  });

  it('typed: the same', () => {
    expect(typedFindings(CHUNKED_MIDDLEWARE, 'src/chunks.ts', DISK)).toEqual(CHUNKED_FINDINGS);
  });

  it('untyped: tusboy runs the tus store methods of a class given inline; the class’s own clean-up is not a request’s', () => {
    expect(untypedFindings(TUSBOY, 'src/tus-disk.js', DISK)).toEqual(TUSBOY_FINDINGS);
  });

  it('typed: the same', () => {
    expect(typedFindings(TUSBOY, 'src/tus-disk.js', DISK)).toEqual(TUSBOY_FINDINGS);
  });

  it('untyped: @tus/server runs its DataStore’s create and write on the route that calls handle; not deleteExpired, and the S3 store is the package’s', () => {
    expect(untypedFindings(TUS_SERVER, 'src/volume-store.ts', DISK)).toEqual(TUS_SERVER_FINDINGS);
    expect(untypedFindings(TUS_SERVER, 'src/uploads.ts', DISK)).toEqual([]);
  });

  it('typed: the same', () => {
    expect(typedFindings(TUS_SERVER, 'src/volume-store.ts', DISK)).toEqual(TUS_SERVER_FINDINGS);
    expect(typedFindings(TUS_SERVER, 'src/uploads.ts', DISK)).toEqual([]);
  });

  it('quiet: the same store handed to a function that is not mounted on a route, or kept by a route for its own calls', () => {
    const files = {
      ...CHUNKED_MIDDLEWARE,
      'src/app.ts': `import express from 'express';
import { chunkedUploads } from './chunked';
import { DiskChunks } from './chunks';

const chunks = new DiskChunks('/var/lib/uploads');
const uploads = chunkedUploads(chunks, { maxBytes: 1 << 30 });
export const app = express();
app.get('/uploads/health', (req, res) => res.json({ ok: Boolean(uploads) }));
app.listen(3000);
`,
    };
    expect(untypedFindings(files, 'src/chunks.ts', DISK)).toEqual([]);
    expect(typedFindings(files, 'src/chunks.ts', DISK)).toEqual([]);
  });
});
