var crypto = require('crypto');

function hash(password, salt) {
  return crypto.pbkdf2Sync(password, salt, 60000, 32, 'sha256').toString('hex');
}

function newSalt() {
  return crypto.randomBytes(16).toString('hex');
}

module.exports = { hash: hash, newSalt: newSalt };
