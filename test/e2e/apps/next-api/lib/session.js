import crypto from 'crypto';

// token -> { authorId, handle }
const sessions = globalThis.__sessions ?? (globalThis.__sessions = new Map());

export function createSession(author) {
  const token = crypto.randomBytes(24).toString('hex');
  sessions.set(token, { authorId: author.id, handle: author.handle, createdAt: Date.now() });
  return token;
}

function readCookie(req, name) {
  const match = (req.headers.cookie || '').match(new RegExp(`(?:^|; )${name}=([^;]*)`));
  return match ? decodeURIComponent(match[1]) : undefined;
}

export function getSession(req) {
  const token = readCookie(req, 'journal_token');
  return token ? sessions.get(token) : undefined;
}

export function destroySession(req) {
  const token = readCookie(req, 'journal_token');
  if (token) sessions.delete(token);
}

export function withAuth(handler) {
  return async (req, res) => {
    const session = getSession(req);
    if (!session) return res.status(401).json({ error: 'Not signed in' });
    req.session = session;
    return handler(req, res);
  };
}
