'use strict';

const Crypto = require('crypto');

exports.hash = (password, salt) => Crypto.scryptSync(password, salt, 32).toString('hex');

exports.salt = () => Crypto.randomBytes(16).toString('hex');
