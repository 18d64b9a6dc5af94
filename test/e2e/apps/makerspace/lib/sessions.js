'use strict';

const Crypto = require('crypto');

// sid -> the member logged in with it. The cookie only carries the sid.
const sessions = new Map();

exports.create = (member) => {

    const sid = Crypto.randomBytes(18).toString('hex');
    sessions.set(sid, { id: member.id, name: member.name, email: member.email, since: Date.now() });
    return sid;
};

exports.get = (sid) => sessions.get(sid);

exports.destroy = (sid) => {

    sessions.delete(sid);
};
