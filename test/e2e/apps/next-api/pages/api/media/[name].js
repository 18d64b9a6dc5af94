import fs from 'fs';
import path from 'path';
import { UPLOAD_DIR } from '@/lib/uploads';

const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.gif': 'image/gif', '.txt': 'text/plain' };

export default function handler(req, res) {
  const file = path.join(UPLOAD_DIR, path.basename(req.query.name));
  if (!fs.existsSync(file)) return res.status(404).json({ error: 'Not found' });
  res.setHeader('Content-Type', TYPES[path.extname(file)] || 'application/octet-stream');
  fs.createReadStream(file).pipe(res);
}
