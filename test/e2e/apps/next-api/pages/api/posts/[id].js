import { readDb } from '@/lib/db';
import { countView } from '@/lib/views';

export default async function handler(req, res) {
  const { id } = req.query;
  const { rows } = await readDb.query(
    'SELECT p.id, p.title, p.body, p.cover, a.handle AS author FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.id = $1',
    [id],
  );
  if (!rows.length) return res.status(404).json({ error: 'Post not found' });
  res.status(200).json({ ...rows[0], views: countView(id) });
}
