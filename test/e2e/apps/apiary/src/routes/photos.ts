import { randomUUID } from 'crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import path from 'path';
import { config } from '../config';
import { PHOTO_TYPES } from '../constants';
import { tokenFrom } from '../context';
import { services } from '../services';
import type { Session } from '../services/AuthService';

const storage = multer.diskStorage({
  destination: (_req, _file, cb) => cb(null, config.uploadDir),
  filename: (req, file, cb) => cb(null, `hive-${req.params.id}-${randomUUID()}${PHOTO_TYPES[file.mimetype]}`),
});

const upload = multer({
  storage,
  limits: { fileSize: 5 * 1024 * 1024 },
  fileFilter: (_req, file, cb) => cb(null, file.mimetype in PHOTO_TYPES),
});

function requireBeekeeper(req: Request, res: Response, next: NextFunction) {
  const viewer = services.auth.sessionFor(tokenFrom(req));
  if (!viewer) return res.status(401).json({ error: 'You must be logged in' });
  res.locals.viewer = viewer;
  next();
}

export const photos = Router();

photos.post('/hives/:id/photo', requireBeekeeper, upload.single('photo'), async (req, res, next) => {
  try {
    if (!req.file) return res.status(415).json({ error: 'A hive photo must be a JPEG or a PNG' });
    const viewer = res.locals.viewer as Session;
    const hive = await services.hives.byId(Number(req.params.id));
    if (!hive || hive.owner_id !== viewer.beekeeperId) return res.status(404).json({ error: 'No such hive' });
    await services.hives.setPhoto(hive.id, req.file.filename);
    res.status(201).json({ hiveId: String(hive.id), url: `/photos/${req.file.filename}`, size: req.file.size });
  } catch (err) {
    next(err);
  }
});

photos.get('/photos/:name', (req, res) => {
  const file = path.join(config.uploadDir, path.basename(req.params.name));
  res.sendFile(file, (err) => {
    if (err && !res.headersSent) res.status(404).json({ error: 'No such photo' });
  });
});
