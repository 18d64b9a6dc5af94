import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A working file a function makes in a folder of the service's own (not a temp folder by name), hands
// on in its `try`, and removes in its `finally` whatever happens: the call's scratch space. A file
// removed on purpose (the record's stored copy) is never a `finally`'s cleanup, and stays reported.

afterAll(removeAnalysedProjects);

const files = {
  'config.ts': `import * as path from 'path';
export const dataDir = path.join(__dirname, '..', 'data');
`,
  'store.ts': `export const store = {
  async download(key: string, target: string): Promise<void> {
    await fetch('https://objects.example.com/' + key).then((response) => response.arrayBuffer()).then(() => target);
  },
  async upload(source: string, key: string): Promise<string> {
    return key + source;
  },
};
`,
  'routes/packages.ts': `import express from 'express';
import * as fs from 'fs';
import * as path from 'path';
import { dataDir } from '../config';
import { store } from '../store';

export const router = express.Router();

router.get('/packages/:name/manifest', async (req, res) => {
  const filePath = path.join(dataDir, 'work', req.params.name + '.json');
  try {
    await store.download('manifests/' + req.params.name, filePath);
    res.json(JSON.parse(await fs.promises.readFile(filePath, 'utf8')));
  } finally {
    fs.unlink(filePath, () => {});
  }
});

router.put('/packages/:name', async (req, res) => {
  const filePath = path.join(dataDir, 'work', req.params.name + '.tgz');
  const stream = fs.createWriteStream(filePath);
  try {
    req.pipe(stream);
    await new Promise((resolve) => stream.on('finish', resolve));
    res.json({ key: await store.upload(filePath, 'tarballs/' + req.params.name) });
  } finally {
    fs.unlink(filePath, () => {});
  }
});

router.delete('/packages/:name', (req, res) => {
  fs.unlink(path.join(dataDir, 'packages', req.params.name + '.tgz'), () => res.sendStatus(204));
});
`,
};

const STORED_REMOVAL =
  "32:3 no-local-disk-write: `fs.unlink` deletes a stored file from this instance's local disk on DELETE /packages/:name (routes/packages.ts:31). The other instances keep their copy, or never had it: the files belong in shared storage.";

describe('a working file removed in the finally of the function that made it', () => {
  it('the download and the write before the try are scratch; the stored package removed by the DELETE route is reported (typed)', () => {
    expect(typedFindings(files, 'routes/packages.ts', ['no-local-disk-write'])).toEqual([STORED_REMOVAL]);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'routes/packages.ts', ['no-local-disk-write'])).toEqual([STORED_REMOVAL]);
  });
});
