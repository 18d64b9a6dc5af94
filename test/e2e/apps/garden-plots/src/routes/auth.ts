import { Router, type NextFunction, type Request, type Response } from 'express';
import { eq } from 'drizzle-orm';
import { db } from '../db/client.js';
import { members, type Member } from '../db/schema.js';
import { checkPassword, hashPassword } from '../lib/passwords.js';
import { clearFailures, isLocked, recordFailure } from '../lib/lockout.js';
import { findMember, remember } from '../lib/memberCache.js';

declare module 'express-session' {
  interface SessionData {
    memberId: number;
  }
}

export const router = Router();

const publicMember = (m: Member) => ({ id: m.id, email: m.email, name: m.name });

export async function requireMember(req: Request, res: Response, next: NextFunction) {
  const member = req.session.memberId ? await findMember(req.session.memberId) : undefined;
  if (!member) {
    res.status(401).json({ error: 'please log in' });
    return;
  }
  res.locals.member = member;
  next();
}

router.post('/signup', async (req, res) => {
  const { email, name, password } = req.body ?? {};
  if (!email || !name || !password || password.length < 8) {
    return res.status(400).json({ error: 'email, name and a password of 8 characters or more' });
  }
  const [existing] = await db.select({ id: members.id }).from(members).where(eq(members.email, email));
  if (existing) return res.status(409).json({ error: 'that email is already a member' });
  const [member] = await db.insert(members).values({ email, name, passwordHash: hashPassword(password) }).returning();
  res.status(201).json(publicMember(member));
});

router.post('/login', async (req, res) => {
  const { email, password } = req.body ?? {};
  if (isLocked(email)) return res.status(429).json({ error: 'too many wrong passwords, try again later' });
  const [member] = await db.select().from(members).where(eq(members.email, email));
  if (!member || !checkPassword(password, member.passwordHash)) {
    recordFailure(email);
    return res.status(401).json({ error: 'wrong email or password' });
  }
  clearFailures(email);
  req.session.regenerate((err) => {
    if (err) return res.status(500).json({ error: 'could not log in' });
    req.session.memberId = member.id;
    remember(member);
    res.json(publicMember(member));
  });
});

router.post('/logout', (req, res, next) => {
  req.session.destroy((err) => {
    if (err) return next(err);
    res.clearCookie('garden.sid');
    res.json({ ok: true });
  });
});

router.get('/me', requireMember, (req, res) => {
  res.json(publicMember(res.locals.member));
});

router.patch('/me', requireMember, async (req, res) => {
  const name = String(req.body?.name ?? '').trim();
  if (!name) return res.status(400).json({ error: 'a name please' });
  const [updated] = await db.update(members).set({ name }).where(eq(members.id, res.locals.member.id)).returning();
  remember(updated);
  res.json(publicMember(updated));
});
