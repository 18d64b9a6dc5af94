import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// `fs.rmdir(dir)` without `recursive` fails unless the folder is empty: it removes no data. A storage
// backend that deletes an object and then tidies the folders left empty is reported once, at the
// delete. `rmdir` asked to be recursive, or given options nobody wrote out, deletes what the folder
// holds and stays reported.

afterAll(removeAnalysedProjects);

const files = {
  'storage.ts': `import * as fs from 'node:fs/promises';
import { rmdirSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(process.cwd(), 'storage');

export async function removeObject(key: string): Promise<void> {
  const file = path.join(root, key);
  await fs.unlink(file);
  await fs.rmdir(path.dirname(file));
}

export function removeEmptyBucket(bucket: string): void {
  rmdirSync(path.join(root, bucket));
}

export async function removeBucket(bucket: string): Promise<void> {
  await fs.rmdir(path.join(root, bucket), { recursive: true });
}

export async function removePrefix(prefix: string, options: { recursive?: boolean }): Promise<void> {
  await fs.rmdir(path.join(root, prefix), options);
}
`,
  'app.ts': `import express from 'express';
import { removeBucket, removeEmptyBucket, removeObject, removePrefix } from './storage';

const app = express();
app.delete('/objects/:key', async (req, res) => {
  await removeObject(req.params.key);
  res.sendStatus(204);
});
app.delete('/buckets/:name', async (req, res) => {
  if (req.query.empty) removeEmptyBucket(req.params.name);
  else await removeBucket(req.params.name);
  res.sendStatus(204);
});
app.delete('/prefixes/:prefix', async (req, res) => {
  await removePrefix(req.params.prefix, { recursive: true });
  res.sendStatus(204);
});
app.listen(3000);
`,
};

const removal = (line: number, column: number, callee: string, route: string): string =>
  `${line}:${column} no-local-disk-write: \`${callee}\` deletes a stored file from this instance's local disk on ${route}. The other instances keep their copy, or never had it: the files belong in shared storage.`;

const EXPECTED = [
  removal(9, 9, 'fs.unlink', 'DELETE /objects/:key (app.ts:5)'),
  removal(18, 9, 'fs.rmdir', 'DELETE /buckets/:name (app.ts:9)'),
  removal(22, 9, 'fs.rmdir', 'DELETE /prefixes/:prefix (app.ts:14)'),
];

describe('an empty folder removed after the object it held', () => {
  it('the delete is reported, the rmdir of the emptied folders is not; recursive or unknown options stay reported (typed)', () => {
    expect(typedFindings(files, 'storage.ts', ['no-local-disk-write'])).toEqual(EXPECTED);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'storage.ts', ['no-local-disk-write'])).toEqual(EXPECTED);
  });
});
