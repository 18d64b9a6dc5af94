import Router from '@koa/router';
import fs from 'node:fs/promises';
import { koaBody } from 'koa-body';
import config from '../config.js';
import { db } from '../db.js';
import { requireUser } from '../middleware/auth.js';
import { like } from '../lib/likes.js';

const router = new Router({ prefix: '/api/photos' });

const ALLOWED = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

const upload = koaBody({
  multipart: true,
  formidable: {
    uploadDir: config.uploadDir,
    keepExtensions: true,
    maxFileSize: config.maxUploadMb * 1024 * 1024,
  },
});

router.post('/', requireUser, upload, async (ctx) => {
  const file = ctx.request.files?.photo;
  ctx.assert(file && !Array.isArray(file), 400, 'one photo please');
  if (!ALLOWED[file.mimetype]) {
    await fs.unlink(file.filepath);
    ctx.throw(415, 'only images');
  }
  const { albumId, caption } = ctx.request.body;
  const album = await db.query('SELECT id FROM albums WHERE id = $1 AND owner_id = $2', [albumId, ctx.session.user.id]);
  ctx.assert(album.rows.length, 404, 'album not found');
  const { rows } = await db.query(
    'INSERT INTO photos (album_id, file, original_name, size, caption) VALUES ($1, $2, $3, $4, $5) RETURNING id, file',
    [albumId, file.newFilename, file.originalFilename, file.size, caption || null],
  );
  ctx.status = 201;
  ctx.body = { id: rows[0].id, url: `/uploads/${rows[0].file}`, size: file.size };
});

router.post('/:id/like', requireUser, async (ctx) => {
  ctx.body = { likes: like(ctx.params.id, ctx.session.user.id) };
});

router.delete('/:id', requireUser, async (ctx) => {
  const { rows } = await db.query(
    'DELETE FROM photos p USING albums a WHERE p.id = $1 AND a.id = p.album_id AND a.owner_id = $2 RETURNING p.file',
    [ctx.params.id, ctx.session.user.id],
  );
  ctx.assert(rows.length, 404, 'photo not found');
  await fs.unlink(`${config.uploadDir}/${rows[0].file}`);
  ctx.status = 204;
});

export default router;
