'use strict';

const accounts = require('../services/AccountService');
const sessions = require('../lib/sessions');

exports.login = function (req, res, next) {
  const { username, password } = req.body || {};
  accounts.verify(username, password).then((account) => {
    if (!account) return res.status(401).json({ error: 'bad credentials' });
    const sid = sessions.create(account);
    res.cookie('sid', sid, { httpOnly: true, sameSite: 'lax' });
    res.json({ username: account.username });
  }, next);
};

exports.whoami = function (req, res) {
  res.json({ username: req.session.username });
};

exports.logout = function (req, res) {
  sessions.destroy(req.session.sid);
  res.clearCookie('sid');
  res.json({ bye: req.session.username });
};
