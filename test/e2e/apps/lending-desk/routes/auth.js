const express = require('express');
const auth = require('../lib/auth');
const limiter = require('../lib/limiter');

const router = express.Router();

router.post('/signup', (req, res) => {
  const { name, email, password } = req.body;
  if (!name || !email || !password) return res.status(400).json({ error: 'name, email and password are required' });
  if (auth.findByEmail(email)) return res.status(409).json({ error: 'that e-mail already has an account' });
  const member = auth.addMember(name, email, password);
  res.status(201).json({ member: auth.publicMember(member) });
});

router.post('/login', (req, res) => {
  if (limiter.blocked(req.ip)) return res.status(429).json({ error: 'too many failed logins, try again later' });
  const member = auth.findByEmail(req.body.email || '');
  if (!member || !auth.checkPassword(member, req.body.password || '')) {
    limiter.failed(req.ip);
    return res.status(401).json({ error: 'wrong e-mail or password' });
  }
  const token = auth.startSession(member);
  res.cookie('sid', token, { httpOnly: true, sameSite: 'lax' });
  res.json({ member: auth.publicMember(member) });
});

router.post('/logout', (req, res) => {
  auth.endSession(req.cookies.sid);
  res.clearCookie('sid');
  res.json({ ok: true });
});

router.get('/me', auth.requireLogin, (req, res) => {
  res.json({ member: auth.publicMember(req.member) });
});

module.exports = router;
