import crypto from 'node:crypto';
import { Router } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import rateLimit from 'express-rate-limit';
import { User } from './db.js';

// OWASP's 2023 advice for PBKDF2-HMAC-SHA256.
const ITERATIONS = 600000;

function hashPassword(password) {
  const salt = crypto.randomBytes(16).toString('hex');
  const key = crypto.pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  return `${salt}:${key.toString('hex')}`;
}

function checkPassword(password, stored) {
  const [salt, hex] = stored.split(':');
  const key = crypto.pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  return crypto.timingSafeEqual(key, Buffer.from(hex, 'hex'));
}

export function publicUser(user) {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

passport.use(new LocalStrategy({ usernameField: 'email' }, async (email, password, done) => {
  try {
    const user = await User.findOne({ where: { email: String(email).toLowerCase() } });
    if (!user || !checkPassword(password, user.passwordHash)) return done(null, false, { message: 'wrong email or password' });
    return done(null, user);
  } catch (err) {
    return done(err);
  }
}));

passport.serializeUser((user, done) => done(null, user.id));
passport.deserializeUser(async (id, done) => {
  try {
    const user = await User.findByPk(id);
    done(null, user || false);
  } catch (err) {
    done(err);
  }
});

export function requireLogin(req, res, next) {
  if (!req.isAuthenticated()) return res.status(401).json({ error: 'log in first' });
  next();
}

export function requireManager(req, res, next) {
  if (!req.isAuthenticated()) return res.status(401).json({ error: 'log in first' });
  if (req.user.role !== 'manager') return res.status(403).json({ error: 'box office managers only' });
  next();
}

// Five wrong passwords in 15 minutes and the address waits.
const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 5,
  skipSuccessfulRequests: true,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
  message: { error: 'too many login attempts, try again later' },
});

export const authRoutes = Router();

authRoutes.post('/api/signup', async (req, res) => {
  const { email, name, password } = req.body ?? {};
  if (!email || !name || !password) return res.status(400).json({ error: 'email, name and password are required' });
  const existing = await User.findOne({ where: { email: email.toLowerCase() } });
  if (existing) return res.status(409).json({ error: 'that email has an account already' });
  // The first account is the box office manager's.
  const role = (await User.count()) === 0 ? 'manager' : 'patron';
  const user = await User.create({ email: email.toLowerCase(), name, passwordHash: hashPassword(password), role });
  res.status(201).json({ user: publicUser(user) });
});

authRoutes.post('/api/login', loginLimiter, (req, res, next) => {
  passport.authenticate('local', (err, user, info) => {
    if (err) return next(err);
    if (!user) return res.status(401).json({ error: info?.message || 'wrong email or password' });
    req.logIn(user, (loginErr) => {
      if (loginErr) return next(loginErr);
      res.json({ user: publicUser(user) });
    });
  })(req, res, next);
});

authRoutes.get('/api/me', requireLogin, (req, res) => {
  res.json({ user: publicUser(req.user) });
});

authRoutes.post('/api/logout', requireLogin, (req, res, next) => {
  req.logout((err) => {
    if (err) return next(err);
    req.session.destroy(() => {
      res.clearCookie('connect.sid');
      res.json({ ok: true });
    });
  });
});
