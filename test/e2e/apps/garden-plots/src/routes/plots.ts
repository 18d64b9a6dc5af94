import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { Router } from 'express';
import multer from 'multer';
import { and, asc, eq } from 'drizzle-orm';
import { config } from '../config.js';
import { PHOTO_TYPES, PLOT_SIZES, type PlotSize } from '../constants.js';
import { db, readDb } from '../db/client.js';
import { members, photos, plots } from '../db/schema.js';
import { broadcast } from '../lib/live.js';
import { sendMail } from '../lib/mailer.js';
import { wateredToday, water } from '../lib/watering.js';
import { requireMember } from './auth.js';

export const router = Router();

const upload = multer({
  storage: multer.diskStorage({
    destination: config.uploadDir,
    filename: (req, file, cb) => cb(null, `${Date.now()}-${randomBytes(6).toString('hex')}${PHOTO_TYPES[file.mimetype] ?? ''}`),
  }),
  limits: { fileSize: 8 * 1024 * 1024 },
  fileFilter: (req, file, cb) => cb(null, file.mimetype in PHOTO_TYPES),
});

const photoJson = (p: { id: number; fileName: string; caption: string }) => ({ id: p.id, caption: p.caption, url: `/uploads/${p.fileName}` });

router.use(requireMember);

router.get('/', async (req, res) => {
  const rows = await readDb.select().from(plots).orderBy(asc(plots.id));
  res.json({ plots: rows.map((p) => ({ id: p.id, label: p.label, size: p.size })) });
});

router.post('/', async (req, res) => {
  const { label, size } = req.body ?? {};
  if (!label || !(size in PLOT_SIZES)) return res.status(400).json({ error: `label and size (${Object.keys(PLOT_SIZES).join(', ')})` });
  const [plot] = await db.insert(plots).values({ label, size, holderId: res.locals.member.id }).returning();
  const all = await readDb.select().from(plots).orderBy(asc(plots.id));
  broadcast({ type: 'plot', id: plot.id, label: plot.label });
  res.status(201).json({
    id: plot.id,
    label: plot.label,
    rent: PLOT_SIZES[size as PlotSize].rent,
    plots: all.map((p) => ({ id: p.id, label: p.label, size: p.size })),
  });
});

router.get('/:id', async (req, res) => {
  const id = Number(req.params.id);
  const [plot] = await readDb.select().from(plots).where(eq(plots.id, id));
  if (!plot) return res.status(404).json({ error: 'no such plot' });
  const plotPhotos = await readDb.select().from(photos).where(eq(photos.plotId, id)).orderBy(asc(photos.id));
  res.json({
    id: plot.id,
    label: plot.label,
    size: plot.size,
    area: PLOT_SIZES[plot.size as PlotSize].area,
    wateredToday: wateredToday.get(id) ?? 0,
    photos: plotPhotos.map(photoJson),
  });
});

router.post('/:id/water', (req, res) => {
  const id = Number(req.params.id);
  const times = water(id);
  if (times > config.garden.waterPerDay) {
    return res.json({ wateredToday: times, note: 'that is plenty for today' });
  }
  res.json({ wateredToday: times });
});

router.post('/:id/photos', upload.single('photo'), async (req, res) => {
  if (!req.file) return res.status(415).json({ error: 'a JPEG, PNG or WebP photo please' });
  const [plot] = await db.select().from(plots).where(eq(plots.id, Number(req.params.id)));
  if (!plot) {
    await unlink(req.file.path);
    return res.status(404).json({ error: 'no such plot' });
  }
  const [photo] = await db
    .insert(photos)
    .values({ plotId: plot.id, fileName: req.file.filename, caption: String(req.body.caption ?? ''), takenBy: res.locals.member.id })
    .returning();
  broadcast({ type: 'photo', plotId: plot.id, url: `/uploads/${photo.fileName}` });
  res.status(201).json(photoJson(photo));
});

router.delete('/:id/photos/:photoId', async (req, res) => {
  const [photo] = await db
    .select()
    .from(photos)
    .where(and(eq(photos.id, Number(req.params.photoId)), eq(photos.plotId, Number(req.params.id))));
  if (!photo) return res.status(404).json({ error: 'no such photo' });
  if (photo.takenBy !== res.locals.member.id) return res.status(403).json({ error: 'only the photographer can delete it' });
  await db.delete(photos).where(eq(photos.id, photo.id));
  await unlink(path.join(config.uploadDir, photo.fileName));
  res.status(204).end();
});

// Ask the plot holder whether they would share: the mail goes out before we answer.
router.post('/:id/share-requests', async (req, res) => {
  const [row] = await db
    .select({ label: plots.label, holderEmail: members.email, holderName: members.name })
    .from(plots)
    .innerJoin(members, eq(members.id, plots.holderId))
    .where(eq(plots.id, Number(req.params.id)));
  if (!row) return res.status(404).json({ error: 'no such plot' });
  const asker = res.locals.member;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('mail server did not answer')), 10_000);
  });
  try {
    await Promise.race([
      sendMail(row.holderEmail, `Share ${row.label}?`, `Hello ${row.holderName},\n\n${asker.name} would like to share ${row.label} with you.\n`),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
  res.status(202).json({ sent: true, to: row.holderName });
});
