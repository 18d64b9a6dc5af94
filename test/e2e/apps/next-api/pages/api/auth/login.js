import bcrypt from 'bcryptjs';
import { db } from '@/lib/db';
import { createSession } from '@/lib/session';
import rateLimit from '@/lib/rate-limit';

const limiter = rateLimit({ interval: 60 * 1000, uniqueTokenPerInterval: 500 });

export default async function handler(req, res) {
  if (req.method !== 'POST') return res.status(405).json({ error: 'Method not allowed' });
  const ip = req.headers['x-forwarded-for'] || req.socket.remoteAddress;
  if (!limiter.check(res, 10, ip)) return res.status(429).json({ error: 'Rate limit exceeded' });

  const { handle, password } = req.body || {};
  const { rows } = await db.query('SELECT id, handle, password_hash FROM authors WHERE handle = $1', [handle]);
  if (!rows[0] || !bcrypt.compareSync(password || '', rows[0].password_hash)) {
    return res.status(401).json({ error: 'Wrong handle or password' });
  }
  const token = createSession(rows[0]);
  res.setHeader('Set-Cookie', `journal_token=${token}; Path=/; HttpOnly; SameSite=Lax`);
  res.status(200).json({ handle: rows[0].handle });
}
