'use strict';

const express = require('express');
const bcrypt = require('bcryptjs');
const { db } = require('./db');

const router = express.Router();

function requireUser(req, res, next) {
  if (!req.session.userId) return res.status(401).json({ error: 'please log in' });
  next();
}

function requireAdmin(req, res, next) {
  if (!req.session.userId) return res.status(401).json({ error: 'please log in' });
  if (!req.session.admin) return res.status(403).json({ error: 'admins only' });
  next();
}

router.post('/signup', async (req, res, next) => {
  try {
    const { email, name, password } = req.body;
    if (!email || !password || !name) return res.status(400).json({ error: 'email, name and password are required' });
    const existing = await db('users').where({ email }).first();
    if (existing) return res.status(409).json({ error: 'that email is taken' });
    const [{ count }] = await db('users').count('* as count');
    const hash = bcrypt.hashSync(password, 10);
    // whoever sets the tool up first looks after the rooms
    const [user] = await db('users').insert({ email, name, password_hash: hash, admin: Number(count) === 0 }).returning(['id', 'email', 'name', 'admin']);
    res.status(201).json(user);
  } catch (err) {
    next(err);
  }
});

router.post('/login', async (req, res, next) => {
  try {
    const { email, password } = req.body;
    const user = await db('users').where({ email: email || '' }).first();
    if (!user || !bcrypt.compareSync(password || '', user.password_hash)) {
      return res.status(401).json({ error: 'wrong email or password' });
    }
    req.session.userId = user.id;
    req.session.name = user.name;
    req.session.admin = user.admin;
    res.json({ id: user.id, name: user.name, admin: user.admin });
  } catch (err) {
    next(err);
  }
});

router.get('/me', requireUser, (req, res) => {
  res.json({ id: req.session.userId, name: req.session.name, admin: req.session.admin });
});

router.post('/logout', (req, res) => {
  req.session.destroy(() => res.json({ ok: true }));
});

module.exports = { router, requireUser, requireAdmin };
