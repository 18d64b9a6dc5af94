import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import multer from 'multer';
import { QueryTypes } from 'sequelize';
import config from '../config.js';
import { Show, replica } from '../db.js';
import { requireManager } from '../auth.js';
import { showCache } from '../lib/showCache.js';
import { publish } from '../lib/live.js';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: 2 * 1024 * 1024 },
  fileFilter: (req, file, cb) => cb(null, file.mimetype.startsWith('image/')),
});

export function presentShow(show) {
  return {
    id: show.id,
    title: show.title,
    startsAt: new Date(show.startsAt).toISOString(),
    priceCents: show.priceCents,
    seats: show.seats,
    seatsLeft: show.seats - show.seatsSold,
    soldOut: show.seatsSold >= show.seats,
    poster: show.poster ? `/api/shows/${show.id}/poster` : null,
    status: show.status,
  };
}

async function findShow(id) {
  const cached = showCache.get(id);
  if (cached) return cached;
  const row = await Show.findByPk(id);
  if (!row) return null;
  const show = row.get({ plain: true });
  showCache.set(id, show);
  return show;
}

export const showRoutes = Router();

showRoutes.get('/api/shows', async (req, res) => {
  const rows = await replica.query(
    'SELECT id, title, starts_at AS "startsAt", price_cents AS "priceCents", seats, seats_sold AS "seatsSold", poster, status FROM shows ORDER BY starts_at, id',
    { type: QueryTypes.SELECT },
  );
  res.json({ shows: rows.map(presentShow) });
});

showRoutes.get('/api/shows/:id', async (req, res) => {
  const show = await findShow(Number(req.params.id));
  if (!show) return res.status(404).json({ error: 'no such show' });
  res.json({ show: presentShow(show) });
});

showRoutes.post('/api/shows', requireManager, async (req, res) => {
  const { title, startsAt, priceCents, seats } = req.body ?? {};
  if (!title || !startsAt || !Number.isInteger(priceCents) || !Number.isInteger(seats)) {
    return res.status(400).json({ error: 'title, startsAt, priceCents and seats are required' });
  }
  const show = await Show.create({ title, startsAt: new Date(startsAt), priceCents, seats });
  res.status(201).json({ show: presentShow(show) });
});

showRoutes.patch('/api/shows/:id', requireManager, async (req, res) => {
  const id = Number(req.params.id);
  const show = await Show.findByPk(id);
  if (!show) return res.status(404).json({ error: 'no such show' });
  const { title, priceCents } = req.body ?? {};
  if (priceCents !== undefined && !Number.isInteger(priceCents)) return res.status(400).json({ error: 'priceCents must be a whole number' });
  await show.update({ title: title ?? show.title, priceCents: priceCents ?? show.priceCents });
  showCache.delete(id);
  publish(id, 'show-updated', presentShow(show));
  res.json({ show: presentShow(show) });
});

showRoutes.post('/api/shows/:id/poster', requireManager, upload.single('poster'), async (req, res) => {
  const show = await Show.findByPk(Number(req.params.id));
  if (!show) return res.status(404).json({ error: 'no such show' });
  if (!req.file) return res.status(415).json({ error: 'the poster must be an image' });
  const fileName = `show-${show.id}-${Date.now()}${path.extname(req.file.originalname).toLowerCase()}`;
  await fs.promises.writeFile(path.join(config.uploadDir, fileName), req.file.buffer);
  await show.update({ poster: fileName, posterType: req.file.mimetype });
  showCache.delete(show.id);
  res.status(201).json({ poster: `/api/shows/${show.id}/poster` });
});

showRoutes.get('/api/shows/:id/poster', async (req, res) => {
  const show = await Show.findByPk(Number(req.params.id));
  if (!show || !show.poster) return res.status(404).json({ error: 'no poster' });
  const bytes = await fs.promises.readFile(path.join(config.uploadDir, show.poster));
  res.type(show.posterType).send(bytes);
});
