import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 28 of test/real-world: a media upload reads the image's size with sharp's `metadata()` and
// leaves conversion to a queue's worker. Reading the header is not image processing; a chain that
// resizes, recodes or computes statistics still is.

afterAll(removeAnalysedProjects);

const RULES = ['no-blocking-request-work'] as const;

describe('sharp reading only the image header', () => {
  const avatars = (read: string) => ({
    'server.ts': `import express from 'express';
import multer from 'multer';
import sharp from 'sharp';
import { db } from './db';

const app = express();
const upload = multer({ storage: multer.memoryStorage() });

app.post('/avatars', upload.single('image'), async (req, res) => {
  ${read}
  const saved = await db.saveAvatar(req.file!.buffer, width, height);
  res.status(201).json(saved);
});
`,
    'db.ts': 'export const db = { async saveAvatar(data: Buffer, width?: number, height?: number) { return { size: data.length, width, height }; } };\n',
  });

  it('`sharp(buffer).metadata()` reads the size from the header: quiet (untyped and typed)', () => {
    const files = avatars('const { width, height } = await sharp(req.file!.buffer).metadata();');
    expect(untyped(files, 'server.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'server.ts', [...RULES])).toEqual([]);
  });

  it('look-alike, stays reported: statistics decode every pixel (untyped and typed)', () => {
    const files = avatars('const { channels } = await sharp(req.file!.buffer).stats();\n  const width = channels.length, height = 0;');
    const expected = [
      '10:30 no-blocking-request-work: `sharp` holds the request open on POST /avatars (server.ts:9) while image processing with sharp runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'server.ts', [...RULES])).toEqual(expected);
  });
});
