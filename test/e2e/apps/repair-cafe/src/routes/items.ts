import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import Router from '@koa/router';
import multer from '@koa/multer';
import send from 'koa-send';
import { Mutex, withTimeout } from 'async-mutex';
import { config } from '../config.js';
import { db, replica } from '../db.js';
import { requireVolunteer } from '../middleware/auth.js';
import { benchName, benches } from '../lib/benches.js';
import { isCategory } from '../lib/categories.js';
import { cacheItem, cachedItem, forgetItem } from '../lib/itemCache.js';
import { mailReady } from '../lib/mailer.js';
import { announce } from '../lib/screen.js';
import { countRepair, takeTicket } from '../lib/tally.js';

export interface ItemRow {
  id: number;
  ticket: number;
  owner: string;
  owner_email: string | null;
  description: string;
  category: string;
  status: string;
  photo: string | null;
  bench_id: number | null;
  volunteer_id: number | null;
}

const STATUSES = ['waiting', 'fixed', 'unfixable'];

const upload = multer({
  storage: multer.diskStorage({
    destination: async (_req, _file, cb) => {
      await mkdir(config.uploadDir, { recursive: true });
      cb(null, config.uploadDir);
    },
    filename: (_req, file, cb) => cb(null, `${crypto.randomUUID()}${path.extname(file.originalname).toLowerCase()}`),
  }),
  limits: { fileSize: 5 * 1024 * 1024 },
  fileFilter: (_req, file, cb) => cb(null, config.cafe.photoTypes.includes(file.mimetype)),
});

// Two volunteers pressing "take it" at once must not end up at the same bench.
const benchLock = withTimeout(new Mutex(), 5000);

function present(row: ItemRow) {
  return {
    id: row.id,
    ticket: row.ticket,
    owner: row.owner,
    description: row.description,
    category: row.category,
    status: row.status,
    bench: benchName(row.bench_id),
    hasPhoto: row.photo !== null,
  };
}

async function findItem(id: number): Promise<ItemRow | undefined> {
  const hit = cachedItem(id);
  if (hit) return hit;
  const { rows } = await db.query<ItemRow>('SELECT * FROM items WHERE id = $1', [id]);
  if (rows[0]) cacheItem(rows[0]);
  return rows[0];
}

export const items = new Router({ prefix: '/api/items' });

items.get('/', async (ctx) => {
  const { rows } = await replica.query<ItemRow>('SELECT * FROM items ORDER BY ticket');
  ctx.body = { items: rows.map(present) };
});

items.post('/', requireVolunteer, async (ctx) => {
  const { owner, ownerEmail, description, category } = ctx.request.body as Record<string, string | undefined>;
  if (!owner || !description || !isCategory(category)) return ctx.throw(400, 'Owner, description and a category the café takes');
  const ticket = takeTicket();
  const { rows } = await db.query<ItemRow>(
    'INSERT INTO items (ticket, owner, owner_email, description, category, booked_in_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
    [ticket, owner, ownerEmail ?? null, description, category, ctx.session!.volunteerId],
  );
  announce('booked-in', { ticket, description });
  ctx.status = 201;
  ctx.body = { item: present(rows[0]) };
});

items.get('/:id', async (ctx) => {
  const item = await findItem(Number(ctx.params.id));
  if (!item) return ctx.throw(404, 'No such item');
  ctx.body = { item: present(item) };
});

items.patch('/:id', requireVolunteer, async (ctx) => {
  const { status } = ctx.request.body as { status?: string };
  if (!status || !STATUSES.includes(status)) return ctx.throw(400, `Status is one of ${STATUSES.join(', ')}`);
  const { rows } = await db.query<ItemRow>('UPDATE items SET status = $1, bench_id = CASE WHEN $1 = \'waiting\' THEN bench_id ELSE NULL END WHERE id = $2 RETURNING *', [status, Number(ctx.params.id)]);
  const item = rows[0];
  if (!item) return ctx.throw(404, 'No such item');
  forgetItem(item.id);
  if (status === 'fixed') {
    countRepair();
    if (item.owner_email) await mailReady(item.owner_email, item.owner, item.description, item.ticket);
  }
  announce('status', { ticket: item.ticket, status });
  ctx.body = { item: present(item) };
});

items.post('/:id/bench', requireVolunteer, async (ctx) => {
  const id = Number(ctx.params.id);
  const volunteerId = ctx.session!.volunteerId as number;
  const claimed = await benchLock.runExclusive(async () => {
    const item = await findItem(id);
    if (!item) return ctx.throw(404, 'No such item');
    if (item.status !== 'waiting' || item.bench_id !== null) return ctx.throw(409, 'That item is not waiting for a bench');
    const { rows: busy } = await db.query<{ bench_id: number }>('SELECT bench_id FROM items WHERE bench_id IS NOT NULL');
    const free = benches.find((bench) => !busy.some((row) => row.bench_id === bench.id));
    if (!free) return ctx.throw(409, 'Every bench is busy');
    const { rows } = await db.query<ItemRow>('UPDATE items SET bench_id = $1, volunteer_id = $2 WHERE id = $3 RETURNING *', [free.id, volunteerId, id]);
    forgetItem(id);
    return rows[0];
  });
  // How many items this volunteer has on a bench now, for the badge on their tablet.
  const { rows } = await replica.query<{ count: string }>('SELECT count(*) FROM items WHERE volunteer_id = $1 AND bench_id IS NOT NULL', [volunteerId]);
  announce('bench', { ticket: claimed.ticket, bench: benchName(claimed.bench_id) });
  ctx.body = { item: present(claimed), onMyBenches: Number(rows[0].count) };
});

items.post('/:id/photo', requireVolunteer, upload.single('photo'), async (ctx) => {
  const file = ctx.file;
  if (!file) return ctx.throw(415, `A photo is one of ${config.cafe.photoTypes.join(', ')}`);
  const { rowCount } = await db.query('UPDATE items SET photo = $1 WHERE id = $2', [file.filename, Number(ctx.params.id)]);
  if (!rowCount) return ctx.throw(404, 'No such item');
  forgetItem(Number(ctx.params.id));
  ctx.status = 201;
  ctx.body = { url: `/api/items/${ctx.params.id}/photo` };
});

items.get('/:id/photo', async (ctx) => {
  const item = await findItem(Number(ctx.params.id));
  if (!item?.photo) return ctx.throw(404, 'No photo of that item');
  await send(ctx, item.photo, { root: config.uploadDir });
});
