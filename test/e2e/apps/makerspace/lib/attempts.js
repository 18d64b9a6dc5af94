'use strict';

// Wrong passwords per client address; three in a quarter of an hour lock the address out.
const failures = new Map();
const WINDOW = 15 * 60 * 1000;
const LIMIT = 3;

exports.locked = (ip) => {

    const entry = failures.get(ip);
    return Boolean(entry) && Date.now() - entry.first < WINDOW && entry.count >= LIMIT;
};

exports.failed = (ip) => {

    const entry = failures.get(ip);
    if (!entry || Date.now() - entry.first >= WINDOW) {
        failures.set(ip, { count: 1, first: Date.now() });
        return;
    }

    entry.count++;
};

exports.succeeded = (ip) => {

    failures.delete(ip);
};
