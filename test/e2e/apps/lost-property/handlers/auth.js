var db = require('../lib/db');
var passwords = require('../lib/passwords');
var sessions = require('../lib/sessions');
var attempts = require('../lib/attempts');
var helpers = require('../lib/send');
var send = helpers.send;

function clientIp(req) {
  return (req.headers['x-forwarded-for'] || '').split(',')[0].trim() || req.socket.remoteAddress;
}

function signup(req, res) {
  helpers.readJson(req, function (err, body) {
    if (err) return send(res, 400, { error: 'invalid JSON' });
    if (!body.email || !body.name || !body.password) return send(res, 400, { error: 'name, email and password are required' });
    var email = String(body.email).toLowerCase();
    var salt = passwords.newSalt();
    var hash = passwords.hash(body.password, salt);
    db.primary.query(
      'INSERT INTO staff (email, name, password_hash, salt) VALUES ($1, $2, $3, $4) RETURNING id, email, name',
      [email, body.name, hash, salt]
    ).then(function (result) {
      send(res, 201, { staff: result.rows[0] });
    }).catch(function (e) {
      if (e.code === '23505') return send(res, 409, { error: 'that e-mail already has an account' });
      console.error(e);
      send(res, 500, { error: 'could not sign up' });
    });
  });
}

function login(req, res) {
  var ip = clientIp(req);
  if (attempts.blocked(ip)) return send(res, 429, { error: 'too many attempts, try again later' });
  helpers.readJson(req, function (err, body) {
    if (err) return send(res, 400, { error: 'invalid JSON' });
    var email = String(body.email || '').toLowerCase();
    db.primary.query('SELECT * FROM staff WHERE email = $1', [email]).then(function (result) {
      var staff = result.rows[0];
      if (!staff || passwords.hash(String(body.password || ''), staff.salt) !== staff.password_hash) {
        attempts.failed(ip);
        return send(res, 401, { error: 'wrong e-mail or password' });
      }
      attempts.succeeded(ip);
      var sid = sessions.create(staff);
      send(res, 200, { staff: { id: staff.id, name: staff.name, email: staff.email } }, {
        'Set-Cookie': 'sid=' + sid + '; HttpOnly; Path=/; SameSite=Lax',
      });
    }).catch(function (e) {
      console.error(e);
      send(res, 500, { error: 'could not log in' });
    });
  });
}

function logout(req, res) {
  sessions.destroy(req);
  send(res, 200, { ok: true }, { 'Set-Cookie': 'sid=; HttpOnly; Path=/; Max-Age=0' });
}

function me(req, res) {
  var session = sessions.current(req);
  if (!session) return send(res, 401, { error: 'not logged in' });
  send(res, 200, { staff: { id: session.staffId, name: session.name, email: session.email } });
}

module.exports = { signup: signup, login: login, logout: logout, me: me };
