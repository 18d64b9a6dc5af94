import path from 'node:path';
import { Router } from 'express';
import multer from 'multer';
import { config } from '../config.js';
import { requireAdmin, requireUser } from '../middleware/auth.js';
import { updateProduct } from '../services/catalog.js';

export const uploadsRouter = Router();

// Customer attachments (photos of damaged parcels, ...).
// hazard: no-local-disk-write
const attachmentUpload = multer({ dest: 'uploads/', limits: { fileSize: 5 * 1024 * 1024 } });

// Product photos for the catalogue (admin only).
// hazard: no-local-disk-write
const productImageStorage = multer.diskStorage({
  destination: config.productImageDir,
  filename: (req, file, cb) => cb(null, `${String(req.params.id)}-${Date.now()}${path.extname(file.originalname)}`),
});
const productImageUpload = multer({ storage: productImageStorage, limits: { fileSize: 2 * 1024 * 1024 } });

// quiet: memory storage, the CSV is parsed from the buffer and never touches the disk
const csvUpload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 1024 * 1024 } });

uploadsRouter.post('/uploads', requireUser, attachmentUpload.single('file'), (req, res) => {
  if (!req.file) {
    res.status(400).json({ error: 'field "file" missing' });
    return;
  }
  res.status(201).json({ id: req.file.filename, name: req.file.originalname, size: req.file.size });
});

uploadsRouter.get('/uploads/:id', requireUser, (req, res) => {
  const id = String(req.params.id);
  if (!/^[a-f0-9]{32}$/.test(id)) {
    res.status(400).json({ error: 'bad id' });
    return;
  }
  res.sendFile(path.resolve('uploads', id), (err) => {
    if (err && !res.headersSent) res.status(404).json({ error: 'no such upload' });
  });
});

uploadsRouter.post('/products/:id/image', requireAdmin, productImageUpload.single('image'), async (req, res) => {
  if (!req.file) {
    res.status(400).json({ error: 'field "image" missing' });
    return;
  }
  const product = await updateProduct(Number(req.params.id), { imagePath: req.file.path });
  res.status(product ? 201 : 404).json(product ?? { error: 'no such product' });
});

// Bulk price update: a CSV of "productId,priceCents" lines.
uploadsRouter.post('/admin/prices', requireAdmin, csvUpload.single('csv'), async (req, res) => {
  // quiet: per-request local Map (a later line for the same product wins)
  const prices = new Map<number, number>();
  for (const line of (req.file?.buffer.toString('utf8') ?? '').split(/\r?\n/)) {
    const [id, cents] = line.split(',').map(Number);
    if (Number.isInteger(id) && Number.isInteger(cents)) prices.set(id, cents);
  }
  for (const [id, priceCents] of prices) await updateProduct(id, { priceCents });
  res.json({ updated: prices.size });
});
