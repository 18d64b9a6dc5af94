var crypto = require('crypto');
var cookies = require('./cookies');

// sid -> { staffId, name, email, at }
var sessions = new Map();

function create(staff) {
  var sid = crypto.randomBytes(24).toString('hex');
  sessions.set(sid, { staffId: staff.id, name: staff.name, email: staff.email, at: Date.now() });
  return sid;
}

function current(req) {
  var sid = cookies.parseCookies(req).sid;
  if (!sid) return null;
  return sessions.get(sid) || null;
}

function destroy(req) {
  var sid = cookies.parseCookies(req).sid;
  if (sid) sessions.delete(sid);
}

function sweep(maxAgeMs) {
  var now = Date.now();
  sessions.forEach(function (s, sid) {
    if (now - s.at > maxAgeMs) sessions.delete(sid);
  });
}

module.exports = { create: create, current: current, destroy: destroy, sweep: sweep };
