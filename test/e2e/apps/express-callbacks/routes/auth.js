var express = require('express');
var bcrypt = require('bcryptjs');
var db = require('../db');
var auth = require('../lib/auth');
var mailer = require('../lib/mailer');
var config = require('../config');

var router = express.Router();

router.post('/signup', function (req, res, next) {
  var email = (req.body.email || '').trim().toLowerCase();
  var name = (req.body.name || '').trim();
  if (!email || !name || !req.body.password) {
    return res.status(400).json({ error: 'email, name and password are required' });
  }
  var hash = bcrypt.hashSync(req.body.password, 10);
  db.query(
    'INSERT INTO members (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id, email, name',
    [email, name, hash],
    function (err, result) {
      if (err) {
        if (err.code === '23505') return res.status(409).json({ error: 'email already registered' });
        return next(err);
      }
      var member = result.rows[0];
      mailer.sendWelcome(member, function (err, info) {
        if (err) console.error('welcome mail failed', err.message);
        res.status(201).json({ id: member.id, email: member.email, name: member.name, welcomeSent: !err });
      });
    }
  );
});

router.post('/login', function (req, res, next) {
  if (auth.tooManyAttempts(req.ip, config.loginAttemptsPerMinute)) {
    return res.status(429).json({ error: 'too many attempts, try again in a minute' });
  }
  var email = (req.body.email || '').trim().toLowerCase();
  db.query('SELECT id, email, name, password_hash FROM members WHERE email = $1', [email], function (err, result) {
    if (err) return next(err);
    var row = result.rows[0];
    if (!row || !bcrypt.compareSync(req.body.password || '', row.password_hash)) {
      // slow down guessing a little
      return setTimeout(function () {
        res.status(401).json({ error: 'wrong email or password' });
      }, 150);
    }
    var member = { id: row.id, email: row.email, name: row.name };
    req.session.regenerate(function (err) {
      if (err) return next(err);
      req.session.member = member;
      res.json({ member: member, token: auth.issueToken(member) });
    });
  });
});

router.get('/me', auth.requireLogin, function (req, res) {
  res.json({ member: { id: req.member.id, email: req.member.email, name: req.member.name } });
});

router.post('/logout', function (req, res, next) {
  var header = req.get('authorization');
  if (header) auth.revokeToken(header.replace(/^Bearer\s+/i, ''));
  req.session.destroy(function (err) {
    if (err) return next(err);
    res.clearCookie('connect.sid');
    res.json({ ok: true });
  });
});

module.exports = router;
