import { db, readDb } from '@/lib/db';
import { withAuth } from '@/lib/session';

async function createPost(req, res) {
  const { title, body, cover } = req.body || {};
  if (!title || !body) return res.status(400).json({ error: 'title and body required' });
  const inserted = await db.query('INSERT INTO posts (author_id, title, body, cover) VALUES ($1, $2, $3, $4) RETURNING id', [
    req.session.authorId,
    title,
    body,
    cover || null,
  ]);
  const { rows } = await readDb.query(
    'SELECT p.id, p.title, p.body, p.cover, a.handle AS author FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.id = $1',
    [inserted.rows[0].id],
  );
  res.status(201).json({ id: inserted.rows[0].id, post: rows[0] });
}

export default async function handler(req, res) {
  if (req.method === 'POST') return withAuth(createPost)(req, res);
  if (req.method === 'GET') {
    const { rows } = await readDb.query(
      'SELECT p.id, p.title, a.handle AS author FROM posts p JOIN authors a ON a.id = p.author_id ORDER BY p.id DESC LIMIT 50',
    );
    return res.status(200).json({ posts: rows });
  }
  res.setHeader('Allow', 'GET, POST');
  res.status(405).end();
}
