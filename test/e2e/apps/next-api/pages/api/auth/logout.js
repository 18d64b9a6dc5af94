import { destroySession } from '@/lib/session';

export default function handler(req, res) {
  destroySession(req);
  res.setHeader('Set-Cookie', 'journal_token=; Path=/; Max-Age=0');
  res.status(200).json({ ok: true });
}
