import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import multer from 'multer';
import { config } from '../config';
import { COVER_TYPES } from '../constants';
import { HttpError } from '../types';

fs.mkdirSync(config.uploadDir, { recursive: true });

const storage = multer.diskStorage({
  destination: (_req, _file, cb) => cb(null, config.uploadDir),
  filename: (_req, file, cb) => cb(null, `${crypto.randomUUID()}${COVER_TYPES[file.mimetype] ?? ''}`),
});

export const coverUpload = multer({
  storage,
  limits: { fileSize: 5 * 1024 * 1024 },
  fileFilter: (_req, file, cb) => {
    if (COVER_TYPES[file.mimetype]) cb(null, true);
    else cb(new HttpError(415, 'covers must be JPEG or PNG'));
  },
});

export function coverPath(fileName: string): string {
  if (fileName !== path.basename(fileName)) throw new HttpError(400, 'bad file name');
  return path.join(config.uploadDir, fileName);
}
