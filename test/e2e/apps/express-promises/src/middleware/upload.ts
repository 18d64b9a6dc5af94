import fs from 'fs';
import path from 'path';
import multer from 'multer';
import { config } from '../config';

export const attachmentDir = path.join(config.uploadDir, 'attachments');
fs.mkdirSync(attachmentDir, { recursive: true });

const storage = multer.diskStorage({
  destination: (_req, _file, cb) => cb(null, attachmentDir),
  filename: (req, file, cb) => cb(null, `${req.params.id}-${file.originalname.replace(/[^\w.-]/g, '_')}`),
});

export const upload = multer({ storage, limits: { fileSize: 5 * 1024 * 1024 } });
