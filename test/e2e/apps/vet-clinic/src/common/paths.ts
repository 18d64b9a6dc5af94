import { resolve } from 'path';

export const UPLOAD_DIR = process.env.UPLOAD_DIR || resolve(__dirname, '..', '..', 'uploads');
