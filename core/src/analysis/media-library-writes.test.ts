import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// fluent-ffmpeg writing its output into this disk: a thumbnail taken by `.screenshots({ folder })`, a
// transcode saved with `.save(path)` or sent to `.output(path)` and run. On a request path the file
// lands on this instance's disk, as sharp's `toFile` does. Look-alikes that stay quiet: the same
// command streamed into the response or a PassThrough or to an RTMP URL, another package's `save` and
// `output`, a scratch output in the temp folder removed by the same request, and a script. The finding sits at the output
// method, where the chain writes, not where the command's chain starts.

afterAll(removeAnalysedProjects);

const files = {
  'media.ts': `import ffmpeg from 'fluent-ffmpeg';
import path from 'path';
import os from 'os';
import { PassThrough } from 'stream';
import { unlink, readFile } from 'fs/promises';
import type { Response } from 'express';

const THUMBS = path.join(process.cwd(), 'public', 'thumbs');
const VIDEOS = path.join(process.cwd(), 'public', 'videos');
const report = { save(name: string) { return name; }, output(name: string) { return name; } };

export function thumbnail(input: string, name: string) {
  return new Promise<void>((resolve, reject) => {
    ffmpeg(input)
      .on('error', reject)
      .on('end', () => resolve())
      .screenshots({ folder: THUMBS, filename: name + '.png', timemarks: ['20%'] });
  });
}

export function transcode(input: string, name: string) {
  return new Promise<void>((resolve, reject) => {
    const command = ffmpeg(input).videoCodec('libx264');
    command.on('end', () => resolve()).on('error', reject).save(path.join(VIDEOS, name + '.mp4'));
  });
}

export function strip(input: string, output: string) {
  return new Promise<void>((resolve, reject) => {
    ffmpeg(input)
      .output(output)
      .outputOptions(['-map_metadata -1'])
      .on('end', () => resolve())
      .on('error', reject)
      .run();
  });
}

export function play(input: string, res: Response) {
  ffmpeg(input).format('webm').output(res).run();
  const passThrough = new PassThrough();
  ffmpeg(input).format('mp3').output(passThrough).run();
  return passThrough;
}

export function broadcast(input: string, rtmpUrl: string, key: string) {
  ffmpeg(input).format('flv').output(rtmpUrl).run();
  ffmpeg(input).format('flv').output('rtmp://live.example.com/app/' + key).run();
}

export async function poster(input: string): Promise<Buffer> {
  const scratch = path.join(os.tmpdir(), 'poster-' + Date.now() + '.png');
  await new Promise((resolve) => ffmpeg(input).on('end', resolve).save(scratch));
  const data = await readFile(scratch);
  await unlink(scratch);
  return data;
}

export function names(input: string) {
  return [report.save(input), report.output(input)];
}
`,
  'app.ts': `import express from 'express';
import { broadcast, names, play, poster, strip, thumbnail, transcode } from './media';

const app = express();
app.post('/videos/:name', async (req, res) => {
  const input = String(req.query.file);
  await thumbnail(input, req.params.name);
  await transcode(input, req.params.name);
  await strip(input, 'public/videos/' + req.params.name);
  names(input);
  res.json({ poster: (await poster(input)).length });
});
app.get('/play/:name', (req, res) => { play(req.params.name, res); });
app.post('/live/:key', (req, res) => { broadcast(String(req.query.file), String(req.query.url), req.params.key); res.end(); });
app.listen(3000);
`,
  'scripts/posters.ts': `import ffmpeg from 'fluent-ffmpeg';
for (const file of ['intro.mp4', 'outro.mp4']) ffmpeg(file).screenshots({ folder: 'public/posters', count: 1 });
`,
};

const expected = [
  "17:8 no-local-disk-write: `ffmpeg(…).screenshots` writes to this instance's local disk on POST /videos/:name (app.ts:5). Other instances will not find the file, and it is lost when this instance is replaced.",
  "24:60 no-local-disk-write: `command.save` writes to this instance's local disk on POST /videos/:name (app.ts:5). Other instances will not find the file, and it is lost when this instance is replaced.",
  "31:8 no-local-disk-write: `ffmpeg(…).output` writes to this instance's local disk on POST /videos/:name (app.ts:5). Other instances will not find the file, and it is lost when this instance is replaced.",
];

describe('fluent-ffmpeg outputs written to a path', () => {
  it('untyped: screenshots into a folder, save and output to a path on a request path are disk writes; streams, a scratch output removed again, another object\'s save and a script stay quiet', () => {
    expect(untypedFindings(files, 'media.ts', ['no-local-disk-write'])).toEqual(expected);
    expect(untypedFindings(files, 'scripts/posters.ts', ['no-local-disk-write'])).toEqual([]);
  });

  it('typed: the same', () => {
    expect(typedFindings(files, 'media.ts', ['no-local-disk-write'])).toEqual(expected);
    expect(typedFindings(files, 'scripts/posters.ts', ['no-local-disk-write'])).toEqual([]);
  });
});
