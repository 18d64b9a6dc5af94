import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { config } from '../config.js';
import { replica, sql } from '../db.js';
import { requireUser } from '../lib/sessions.js';
import { votesFor } from '../lib/votes.js';
import type { AppEnv } from '../types.js';

interface Board {
  id: number;
  ownerId: number;
  title: string;
  createdAt: Date;
}

interface FileRow {
  id: number;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  storedName: string;
}

const boards = new Hono<AppEnv>();
boards.use('*', requireUser);

boards.get('/', async (c) => {
  const rows = await replica<Board[]>`SELECT id, owner_id, title, created_at FROM boards WHERE owner_id = ${c.get('user').id} ORDER BY id`;
  return c.json({ boards: rows });
});

boards.post('/', async (c) => {
  const { title } = await c.req.json<{ title?: string }>();
  if (!title?.trim()) return c.json({ error: 'title is required' }, 400);
  const user = c.get('user');
  const [board] = await sql<Board[]>`
    INSERT INTO boards (owner_id, title) VALUES (${user.id}, ${title.trim()})
    RETURNING id, owner_id, title, created_at`;
  // The sidebar is redrawn from this list.
  const all = await replica<Board[]>`SELECT id, owner_id, title, created_at FROM boards WHERE owner_id = ${user.id} ORDER BY id`;
  return c.json({ ...board, boards: all }, 201);
});

boards.get('/:id', async (c) => {
  const id = Number(c.req.param('id'));
  const [board] = await replica<Board[]>`SELECT id, owner_id, title, created_at FROM boards WHERE id = ${id}`;
  if (!board) return c.json({ error: 'no such board' }, 404);
  const files = await replica<FileRow[]>`SELECT id, name, mime, size, sha256 FROM files WHERE board_id = ${id} ORDER BY id`;
  return c.json({
    ...board,
    files: files.map((file) => ({ ...file, url: `/api/files/${file.id}`, votes: votesFor(file.id) })),
  });
});

// Everything on a board in one download: the files inline, gzipped.
boards.get('/:id/export', async (c) => {
  const id = Number(c.req.param('id'));
  const [board] = await sql<Board[]>`SELECT id, owner_id, title, created_at FROM boards WHERE id = ${id}`;
  if (!board) return c.json({ error: 'no such board' }, 404);
  const files = await sql<FileRow[]>`SELECT id, name, mime, size, sha256, stored_name FROM files WHERE board_id = ${id} ORDER BY id`;
  const bundle = {
    board: { id: board.id, title: board.title },
    files: files.map((file) => ({
      name: file.name,
      mime: file.mime,
      sha256: file.sha256,
      content: readFileSync(path.join(config.uploadDir, file.storedName)).toString('base64'),
    })),
  };
  const archive = gzipSync(JSON.stringify(bundle));
  return c.body(archive, 200, {
    'Content-Type': 'application/gzip',
    'Content-Disposition': `attachment; filename="board-${board.id}.json.gz"`,
  });
});

export default boards;
