import { createHash, randomUUID } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Mutex } from 'async-mutex';
import { Hono } from 'hono';
import { config } from '../config.js';
import { sql } from '../db.js';
import { requireUser } from '../lib/sessions.js';
import { vote } from '../lib/votes.js';
import type { AppEnv } from '../types.js';

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/markdown': '.md',
};

// Two uploads at once must not both squeeze under the quota.
const quotaLock = new Mutex();

const files = new Hono<AppEnv>();
files.use('*', requireUser);

files.post('/boards/:id/files', async (c) => {
  const boardId = Number(c.req.param('id'));
  const body = await c.req.parseBody();
  const upload = body['file'];
  if (!(upload instanceof File)) return c.json({ error: 'attach a file as "file"' }, 400);
  const mime = upload.type.split(';')[0];
  const ext = EXTENSIONS[mime];
  if (!ext) return c.json({ error: `files of type ${mime} are not accepted` }, 415);
  if (upload.size > config.limits.maxFileBytes) return c.json({ error: 'file too large' }, 413);
  const bytes = Buffer.from(await upload.arrayBuffer());
  const user = c.get('user');

  return quotaLock.runExclusive(async () => {
    const [{ used }] = await sql<{ used: number }[]>`SELECT COALESCE(SUM(size), 0)::int AS used FROM files WHERE uploaded_by = ${user.id}`;
    if (used + bytes.length > config.limits.quotaBytes) return c.json({ error: 'storage quota exceeded' }, 413);
    const storedName = `${randomUUID()}${ext}`;
    await writeFile(path.join(config.uploadDir, storedName), bytes);
    const [file] = await sql<{ id: number; name: string; mime: string; size: number; sha256: string }[]>`
      INSERT INTO files (board_id, uploaded_by, name, mime, size, sha256, stored_name)
      VALUES (${boardId}, ${user.id}, ${upload.name}, ${mime}, ${bytes.length}, ${createHash('sha256').update(bytes).digest('hex')}, ${storedName})
      RETURNING id, name, mime, size, sha256`;
    return c.json({ ...file, url: `/api/files/${file.id}` }, 201);
  });
});

files.get('/files/:id', async (c) => {
  const [file] = await sql<{ name: string; mime: string; storedName: string }[]>`SELECT name, mime, stored_name FROM files WHERE id = ${Number(c.req.param('id'))}`;
  if (!file) return c.json({ error: 'no such file' }, 404);
  const data = await readFile(path.join(config.uploadDir, file.storedName));
  return c.body(data, 200, { 'Content-Type': file.mime, 'Content-Disposition': `inline; filename="${file.name}"` });
});

files.post('/files/:id/vote', async (c) => {
  const id = Number(c.req.param('id'));
  return c.json({ id, votes: vote(id) });
});

files.delete('/files/:id', async (c) => {
  const [file] = await sql<{ storedName: string }[]>`
    DELETE FROM files WHERE id = ${Number(c.req.param('id'))} AND uploaded_by = ${c.get('user').id}
    RETURNING stored_name`;
  if (!file) return c.json({ error: 'no such file' }, 404);
  await unlink(path.join(config.uploadDir, file.storedName));
  return c.body(null, 204);
});

export default files;
