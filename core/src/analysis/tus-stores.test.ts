import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A tus server (resumable uploads) whose data store keeps the uploads in a local folder (round 29 of
// test/real-world: a collaboration server's file storage provider, the default, hands `@tus/server` a
// `FileStore`), written here in shapes of our own: a storage class picked by a setting, and the older
// `tus-node-server` package. Each PATCH of an upload appends to the file on the instance that took
// it; a PATCH or HEAD balanced to another instance finds no upload. Look-alikes: the S3 store, and a
// file store in the OS temp folder of a one-off import script.

afterAll(removeAnalysedProjects);

describe('tus upload servers with a file data store', () => {
  const files = {
    'src/storage/file.ts': `import { FileStore } from '@tus/file-store';
import type { DataStore } from '@tus/server';

export class FileStorage {
  readonly tusStore: DataStore;

  constructor(private readonly directory: string) {
    this.tusStore = new FileStore({ directory: this.directory });
  }
}
`,
    'src/storage/s3.ts': `import { S3Store } from '@tus/s3-store';
import type { DataStore } from '@tus/server';

export class S3Storage {
  readonly tusStore: DataStore;

  constructor(bucket: string) {
    this.tusStore = new S3Store({ s3ClientConfig: { bucket, region: process.env.AWS_REGION ?? 'eu-west-1' } });
  }
}
`,
    'src/storage/index.ts': `import { FileStorage } from './file';
import { S3Storage } from './s3';

export const storage = process.env.STORAGE === 's3' ? new S3Storage(process.env.BUCKET ?? 'uploads') : new FileStorage(process.env.UPLOAD_DIR ?? './data/uploads');
`,
    'src/server.ts': `import express from 'express';
import { Server } from '@tus/server';
import { storage } from './storage';

const tus = new Server({ path: '/files', datastore: storage.tusStore });
const app = express();
app.all('/files/*', (req, res) => tus.handle(req, res));
app.listen(3000);
`,
    'src/legacy.js': `const tus = require('tus-node-server');
const http = require('http');

const server = new tus.Server();
server.datastore = new tus.FileStore({ path: '/files' });
http.createServer((req, res) => server.handle(req, res)).listen(1080);
`,
    'scripts/import.ts': `import os from 'node:os';
import { FileStore } from '@tus/file-store';

export const scratch = new FileStore({ directory: os.tmpdir() });
`,
  };

  it('reports the file stores a server uses (untyped and typed); the S3 store and a temp-folder store stay quiet', () => {
    const message = (library: string, detail: string): string =>
      `no-local-disk-write: ${library} stores uploads on this instance's local disk (${detail}). Other instances will not find them; keep uploads in memory and put them in an object store (S3).`;
    expect(untyped(files, 'src/storage/file.ts')).toEqual([`8:25 ${message('@tus/file-store', '`directory: this.directory`')}`]);
    expect(typed(files, 'src/storage/file.ts')).toEqual([`8:25 ${message('@tus/file-store', '`directory: this.directory`')}`]);
    expect(untyped(files, 'src/legacy.js')).toEqual([`5:24 ${message('tus-node-server', "`path: '/files'`")}`]);
    expect(typed(files, 'src/legacy.js')).toEqual([`5:24 ${message('tus-node-server', "`path: '/files'`")}`]);
    expect(untyped(files, 'src/storage/s3.ts')).toEqual([]);
    expect(typed(files, 'src/storage/s3.ts')).toEqual([]);
    expect(untyped(files, 'scripts/import.ts')).toEqual([]);
    expect(typed(files, 'scripts/import.ts')).toEqual([]);
  });
});
