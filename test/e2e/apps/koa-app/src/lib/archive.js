import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import config from '../config.js';

// A tiny archive format the desktop client understands: a JSON index line, then the files
// back to back, all gzipped.
export function buildArchive(album, photos) {
  const files = photos.map((p) => fs.readFileSync(path.join(config.uploadDir, p.file)));
  const index = photos.map((p, i) => ({ name: p.original_name, bytes: files[i].length }));
  const header = Buffer.from(JSON.stringify({ album: album.title, files: index }) + '\n');
  return zlib.gzipSync(Buffer.concat([header, ...files]));
}
