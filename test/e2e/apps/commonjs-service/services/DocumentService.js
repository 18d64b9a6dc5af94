'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const zlib = require('zlib');
const { pipeline } = require('stream');
const db = require('../lib/db');
const settings = require('../lib/settings');
const store = require('../lib/store');

// Reads the whole file and builds what the preview endpoint shows: checksum, first lines, and how
// well it compresses. Slow on big files, but documents are small.
function buildPreview(file) {
  const data = fs.readFileSync(file);
  const sha256 = crypto.createHash('sha256').update(data).digest('hex');
  const compressed = zlib.gzipSync(data, { level: 9 });
  const text = data.toString('utf8');
  return {
    sha256,
    bytes: data.length,
    gzipRatio: data.length ? Math.round((compressed.length / data.length) * 100) / 100 : 0,
    lines: text.split('\n').length,
    head: text.split('\n').slice(0, 3)
  };
}

class DocumentService {
  constructor() {
    this.dir = path.join(settings.uploadDir, 'documents');
    this.incoming = path.join(settings.uploadDir, 'incoming');
    this.downloads = {};
    this.previews = {};
    // what runs after a document is stored
    this.afterStore = [buildPreview];
    fs.mkdirSync(this.dir, { recursive: true });
    fs.mkdirSync(this.incoming, { recursive: true });
  }

  pathFor(name) {
    return path.join(this.dir, path.basename(name));
  }

  // Streams the request body to incoming/, then moves it into place.
  save(name, owner, req, callback) {
    const tmp = path.join(this.incoming, `${Date.now()}-${crypto.randomBytes(4).toString('hex')}`);
    let bytes = 0;
    req.on('data', (chunk) => { bytes += chunk.length; });
    pipeline(req, fs.createWriteStream(tmp), (err) => {
      if (err) return callback(err);
      const target = this.pathFor(name);
      fs.rename(tmp, target, (err) => {
        if (err) return callback(err);
        store.stats.uploads++;
        store.stats.bytesIn += bytes;
        const results = this.afterStore.map((step) => step(target));
        this.previews[name] = results[0];
        db.primary
          .query(
            `INSERT INTO documents (name, owner, size, sha256) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO UPDATE SET size = EXCLUDED.size, sha256 = EXCLUDED.sha256, uploaded_at = now()`,
            [name, owner, bytes, results[0].sha256]
          )
          .then(() => callback(null, { name, bytes, sha256: results[0].sha256 }), callback);
      });
    });
  }

  open(name) {
    const file = this.pathFor(name);
    if (!fs.existsSync(file)) return null;
    this.downloads[name] = (this.downloads[name] || 0) + 1;
    return fs.createReadStream(file);
  }

  preview(name) {
    if (!this.previews[name]) {
      const file = this.pathFor(name);
      if (!fs.existsSync(file)) return null;
      this.previews[name] = buildPreview(file);
    }
    return Object.assign({ downloads: this.downloads[name] || 0 }, this.previews[name]);
  }

  async list() {
    const { rows } = await db.replica.query('SELECT name, size, sha256 FROM documents ORDER BY name');
    return rows.map((row) => Object.assign(row, { downloads: this.downloads[row.name] || 0 }));
  }

  async addComment(name, author, text) {
    await db.primary.query('INSERT INTO comments (document, author, text) VALUES ($1, $2, $3)', [name, author, text]);
    const { rows } = await db.replica.query('SELECT id, author, text FROM comments WHERE document = $1 ORDER BY id', [name]);
    return rows;
  }

  async comments(name) {
    const { rows } = await db.replica.query('SELECT id, author, text FROM comments WHERE document = $1 ORDER BY id', [name]);
    return rows;
  }
}

module.exports = new DocumentService();
module.exports.buildPreview = buildPreview;
