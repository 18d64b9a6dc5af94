'use strict';

const crypto = require('crypto');
const store = require('./store');
const settings = require('./settings');

function parseCookies(header) {
  const out = {};
  (header || '').split(';').forEach((part) => {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  });
  return out;
}

function create(account) {
  const sid = crypto.randomBytes(18).toString('base64url');
  store.sessions[sid] = { accountId: account.id, username: account.username, lastSeen: Date.now() };
  return sid;
}

function lookup(req) {
  const sid = parseCookies(req.headers.cookie).sid;
  const session = sid && store.sessions[sid];
  if (!session) return null;
  session.lastSeen = Date.now();
  return Object.assign({ sid }, session);
}

function destroy(sid) {
  delete store.sessions[sid];
}

// drop idle sessions once a minute
function startSweeper() {
  const timer = setInterval(() => {
    const cutoff = Date.now() - settings.sessionIdleMinutes * 60 * 1000;
    Object.keys(store.sessions).forEach((sid) => {
      if (store.sessions[sid].lastSeen < cutoff) delete store.sessions[sid];
    });
  }, settings.sweepEverySeconds * 1000);
  timer.unref();
  return timer;
}

function requireSession(req, res, next) {
  const session = lookup(req);
  if (!session) return res.status(401).json({ error: 'not logged in' });
  req.session = session;
  next();
}

module.exports = { create, lookup, destroy, startSweeper, requireSession };
