import zlib from 'zlib';
import { db } from '@/lib/db';
import { withAuth } from '@/lib/session';

export default withAuth(async function exportPosts(req, res) {
  const { rows } = await db.query('SELECT id, title, body, cover FROM posts WHERE author_id = $1 ORDER BY id', [req.session.authorId]);
  const json = JSON.stringify({ author: req.session.handle, posts: rows });
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Encoding', 'gzip');
  res.status(200).send(zlib.gzipSync(json));
});
