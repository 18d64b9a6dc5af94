import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// flydrive keeps files through one Disk whatever its driver: with the fs driver in some configuration,
// a request's `disk.put` lands in this instance's folder and its `disk.delete` removes a stored file there.

afterAll(removeAnalysedProjects);

const files = {
  'storage.ts': `import { Disk } from 'flydrive';
import { FSDriver } from 'flydrive/drivers/fs';
import { S3Driver } from 'flydrive/drivers/s3';
import type { DriverContract } from 'flydrive/types';

let driver: DriverContract;
switch (process.env.DRIVE_DISK) {
  case 'fs':
    driver = new FSDriver({ location: new URL('./uploads/', import.meta.url), visibility: 'public' });
    break;
  default:
    driver = new S3Driver({ bucket: process.env.S3_BUCKET ?? 'uploads', region: 'auto', visibility: 'public' });
}
export const uploads = new Disk(driver);
export const archive = new Disk(new S3Driver({ bucket: 'archive', region: 'auto', visibility: 'private' }));
`,
  'app.ts': `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { archive, uploads } from './storage';

const pending = new Map<string, number>();
const app = new Hono();
app.post('/avatars/:id', async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer());
  await uploads.put(\`avatars/\${c.req.param('id')}.png\`, body);
  await archive.put(\`avatars/\${c.req.param('id')}.png\`, body);
  return c.json({ ok: true });
});
app.delete('/avatars/:id', async (c) => {
  await uploads.delete(\`avatars/\${c.req.param('id')}.png\`);
  pending.delete(c.req.param('id'));
  return c.body(null, 204);
});
serve(app);
`,
};

describe('a flydrive Disk whose driver is FSDriver in some configuration', () => {
  it('its put and delete on a request path are local writes; a Disk over S3 only and a Map’s delete stay quiet (typed and untyped)', () => {
    const expected = [
      "9:9 no-local-disk-write: `uploads.put` writes to this instance's local disk on POST /avatars/:id (app.ts:7). Other instances will not find the file, and it is lost when this instance is replaced.",
      "14:9 no-local-disk-write: `uploads.delete` deletes a stored file from this instance's local disk on DELETE /avatars/:id (app.ts:13). The other instances keep their copy, or never had it: the files belong in shared storage.",
    ];
    expect(untypedFindings(files, 'app.ts', ['no-local-disk-write'])).toEqual(expected);
    expect(typedFindings(files, 'app.ts', ['no-local-disk-write'])).toEqual(expected);
  });
});
