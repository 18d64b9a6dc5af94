import bcrypt from 'bcryptjs';
import { db, ensureSchema } from '@/lib/db';

export default async function handler(req, res) {
  if (req.method !== 'POST') return res.status(405).json({ error: 'Method not allowed' });
  const { handle, password } = req.body || {};
  if (!handle || !password || password.length < 8) {
    return res.status(400).json({ error: 'handle and a password of 8+ characters required' });
  }
  await ensureSchema();
  const hash = bcrypt.hashSync(password, 10);
  try {
    const { rows } = await db.query('INSERT INTO authors (handle, password_hash) VALUES ($1, $2) RETURNING id, handle', [handle, hash]);
    res.status(201).json({ author: rows[0] });
  } catch (e) {
    if (e.code === '23505') return res.status(409).json({ error: 'handle taken' });
    throw e;
  }
}
