'use strict';

const crypto = require('crypto');
const db = require('../lib/db');

function hash(password, salt) {
  return crypto.pbkdf2Sync(password, salt, 100000, 32, 'sha256').toString('hex');
}

class AccountService {
  async seed(username, password) {
    const salt = crypto.randomBytes(8).toString('hex');
    await db.primary.query(
      'INSERT INTO accounts (username, salt, hash) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING',
      [username, salt, hash(password, salt)]
    );
  }

  async verify(username, password) {
    const { rows } = await db.primary.query('SELECT id, username, salt, hash FROM accounts WHERE username = $1', [username]);
    if (!rows.length) return null;
    const account = rows[0];
    return hash(password, account.salt) === account.hash ? { id: account.id, username: account.username } : null;
  }
}

module.exports = new AccountService();
