import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { bearerToken, requireUser } from '../middleware/auth.js';
import { createSession, destroySession } from '../services/sessions.js';
import { verifyCredentials } from '../services/users.js';

export const authRouter = Router();

// Slow down password guessing: 10 attempts per IP per 15 minutes.
// hazard: no-in-memory-counter
const loginLimiter = rateLimit({ windowMs: 15 * 60_000, limit: 10, standardHeaders: 'draft-8', legacyHeaders: false });

authRouter.post('/login', loginLimiter, async (req, res) => {
  const { email, password } = (req.body ?? {}) as { email?: unknown; password?: unknown };
  if (typeof email !== 'string' || typeof password !== 'string') {
    res.status(400).json({ error: 'email and password required' });
    return;
  }
  const user = await verifyCredentials(email, password);
  if (!user) {
    res.status(401).json({ error: 'invalid credentials' });
    return;
  }
  req.session.user = { id: user.id, email: user.email };
  const apiSession = createSession(user);
  res.json({ token: apiSession.token, user: { id: user.id, email: user.email, name: user.name } });
});

authRouter.post('/logout', (req, res) => {
  const token = bearerToken(req.get('authorization'));
  if (token) destroySession(token);
  req.session.destroy(() => res.status(204).end());
});

authRouter.get('/me', requireUser, (_req, res) => {
  res.json(res.locals.user);
});
