import fs from 'fs';
import path from 'path';
import formidable from 'formidable';
import { getSession } from '@/lib/session';
import { UPLOAD_DIR } from '@/lib/uploads';

export const config = {
  api: { bodyParser: false },
};

export default async function handler(req, res) {
  if (req.method !== 'POST') return res.status(405).json({ error: 'Method not allowed' });
  if (!getSession(req)) return res.status(401).json({ error: 'Not signed in' });
  fs.mkdirSync(UPLOAD_DIR, { recursive: true });
  const form = formidable({
    uploadDir: UPLOAD_DIR,
    keepExtensions: true,
    maxFileSize: 8 * 1024 * 1024,
    filename: (name, ext, part) => `${Date.now()}-${path.basename(part.originalFilename || 'file', ext)}${ext}`,
  });
  const [, files] = await form.parse(req);
  const file = files.file?.[0];
  if (!file) return res.status(400).json({ error: 'file missing' });
  res.status(201).json({ url: `/api/media/${file.newFilename}`, size: file.size });
}
