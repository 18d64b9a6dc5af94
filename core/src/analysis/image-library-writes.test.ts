import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Image libraries that save their result to a path: sharp's `sharp(input)….toFile(path)`, Jimp's
// `image.write(path)` / `image.writeAsync(path)` and gm's `gm(input)….write(path, callback)`. On a
// request path the file lands on this instance's disk, as an fs write does: a thumbnail made by one
// instance is missing on the others. Look-alikes that stay quiet: the same libraries' in-memory
// results (`toBuffer()`, `getBufferAsync()`), another package's `toFile` (OpenAI's upload helper),
// icons made by a script, and a scratch file in the temp folder removed by the same request.

afterAll(removeAnalysedProjects);

const files = {
  'images.ts': `import sharp from 'sharp';
import Jimp from 'jimp';
import path from 'path';
import os from 'os';
import { unlink } from 'fs/promises';
import OpenAI, { toFile } from 'openai';

const THUMBS = path.join(process.cwd(), 'public', 'thumbs');
const openai = new OpenAI();

export async function thumbnail(name: string, data: Buffer) {
  await sharp(data).resize(128, 128).webp().toFile(path.join(THUMBS, name + '.webp'));
}

export async function avatar(user: string, data: Buffer) {
  const image = await Jimp.read(data);
  image.resize(64, 64);
  await image.writeAsync(path.join(THUMBS, 'avatars', user + '.png'));
}

export async function preview(data: Buffer): Promise<Buffer> {
  const image = await Jimp.read(data);
  return image.resize(32, 32).getBufferAsync(Jimp.MIME_PNG);
}

export async function small(data: Buffer): Promise<Buffer> {
  return sharp(data).resize(16, 16).toBuffer();
}

export async function describeImage(data: Buffer) {
  const scratch = path.join(os.tmpdir(), 'describe-' + Date.now() + '.png');
  await sharp(data).png().toFile(scratch);
  const file = await openai.files.create({ file: await toFile(data, 'image.png'), purpose: 'vision' });
  await unlink(scratch);
  return file.id;
}
`,
  'app.ts': `import express from 'express';
import { avatar, describeImage, preview, small, thumbnail } from './images';

const app = express();
app.post('/images/:name', express.raw(), async (req, res) => {
  await thumbnail(req.params.name, req.body);
  await avatar(String(req.query.user), req.body);
  res.json({ preview: (await preview(req.body)).length, small: (await small(req.body)).length, id: await describeImage(req.body) });
});
app.listen(3000);
`,
  'scripts/icons.ts': `import sharp from 'sharp';
for (const size of [16, 32, 64]) await sharp('logo.svg').resize(size).toFile('public/icon-' + size + '.png');
`,
};

const expected = [
  "12:9 no-local-disk-write: `sharp(data).resize(128,128).webp().toFile` writes to this instance's local disk on POST /images/:name (app.ts:5). Other instances will not find the file, and it is lost when this instance is replaced.",
  "18:9 no-local-disk-write: `image.writeAsync` writes to this instance's local disk on POST /images/:name (app.ts:5). Other instances will not find the file, and it is lost when this instance is replaced.",
];

describe('image libraries that save their result to a path', () => {
  it('untyped: sharp toFile and Jimp writeAsync on a request path are disk writes; buffers, a scratch file removed again, another package\'s toFile and a script stay quiet', () => {
    expect(untypedFindings(files, 'images.ts', ['no-local-disk-write'])).toEqual(expected);
    expect(untypedFindings(files, 'scripts/icons.ts', ['no-local-disk-write'])).toEqual([]);
  });

  it('typed: the same', () => {
    expect(typedFindings(files, 'images.ts', ['no-local-disk-write'])).toEqual(expected);
    expect(typedFindings(files, 'scripts/icons.ts', ['no-local-disk-write'])).toEqual([]);
  });
});
