import Router from '@koa/router';
import { db, replica } from '../db.js';
import { requireUser } from '../middleware/auth.js';
import { buildArchive } from '../lib/archive.js';
import { likesOf } from '../lib/likes.js';

const router = new Router({ prefix: '/api/albums' });

router.use(requireUser);

router.get('/', async (ctx) => {
  const { rows } = await replica.query('SELECT id, title FROM albums WHERE owner_id = $1 ORDER BY id', [ctx.session.user.id]);
  ctx.body = { albums: rows };
});

router.post('/', async (ctx) => {
  const { title } = ctx.request.body;
  ctx.assert(title, 400, 'title required');
  const { rows } = await db.query('INSERT INTO albums (owner_id, title) VALUES ($1, $2) RETURNING id', [ctx.session.user.id, title]);
  // respond with the full list so the sidebar updates
  const albums = await replica.query('SELECT id, title FROM albums WHERE owner_id = $1 ORDER BY id', [ctx.session.user.id]);
  ctx.status = 201;
  ctx.body = { id: rows[0].id, albums: albums.rows };
});

router.get('/:id', async (ctx) => {
  const album = await replica.query('SELECT id, title FROM albums WHERE id = $1 AND owner_id = $2', [ctx.params.id, ctx.session.user.id]);
  ctx.assert(album.rows.length, 404, 'album not found');
  const photos = await replica.query('SELECT id, file, original_name, caption FROM photos WHERE album_id = $1 ORDER BY id', [ctx.params.id]);
  ctx.body = {
    ...album.rows[0],
    photos: photos.rows.map((p) => ({ id: p.id, url: `/uploads/${p.file}`, name: p.original_name, caption: p.caption, likes: likesOf(p.id) })),
  };
});

router.get('/:id/archive', async (ctx) => {
  const album = await db.query('SELECT id, title FROM albums WHERE id = $1 AND owner_id = $2', [ctx.params.id, ctx.session.user.id]);
  ctx.assert(album.rows.length, 404, 'album not found');
  const photos = await db.query('SELECT file, original_name FROM photos WHERE album_id = $1 ORDER BY id', [ctx.params.id]);
  ctx.set('Content-Disposition', `attachment; filename="album-${ctx.params.id}.snap.gz"`);
  ctx.type = 'application/gzip';
  ctx.body = buildArchive(album.rows[0], photos.rows);
});

export default router;
