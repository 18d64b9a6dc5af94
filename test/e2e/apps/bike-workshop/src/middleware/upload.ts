import crypto from 'crypto';
import multer from '@koa/multer';
import { config } from '../config';
import { PHOTO_TYPES } from '../constants';

const storage = multer.diskStorage({
  destination: (_req, _file, cb) => cb(null, config.uploadDir),
  filename: (_req, file, cb) => cb(null, `${Date.now()}-${crypto.randomBytes(6).toString('hex')}${PHOTO_TYPES[file.mimetype] || ''}`),
});

export const photoUpload = multer({
  storage,
  limits: { fileSize: 5 * 1024 * 1024 },
  fileFilter: (_req, file, cb) => {
    if (!PHOTO_TYPES[file.mimetype]) {
      const err: any = new Error('photos must be JPEG, PNG or WebP');
      err.status = 415;
      return cb(err, false);
    }
    cb(null, true);
  },
});
