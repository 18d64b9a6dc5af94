var crypto = require('crypto');

// API tokens for the mobile client: token -> member
var tokens = {};

exports.issueToken = function (member) {
  var token = crypto.randomBytes(24).toString('hex');
  tokens[token] = { id: member.id, email: member.email, name: member.name, issued: Date.now() };
  return token;
};

exports.revokeToken = function (token) {
  delete tokens[token];
};

exports.requireLogin = function (req, res, next) {
  if (req.session && req.session.member) {
    req.member = req.session.member;
    return next();
  }
  var header = req.get('authorization') || '';
  var token = header.replace(/^Bearer\s+/i, '');
  if (token && tokens[token]) {
    req.member = tokens[token];
    return next();
  }
  res.status(401).json({ error: 'login required' });
};

// simple brute force protection: 5 tries per minute per ip
var attempts = {};

exports.tooManyAttempts = function (ip, limit) {
  var now = Date.now();
  var entry = attempts[ip];
  if (!entry || now - entry.since > 60 * 1000) {
    entry = attempts[ip] = { since: now, count: 0 };
  }
  entry.count++;
  return entry.count > limit;
};
