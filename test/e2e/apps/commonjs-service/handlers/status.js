'use strict';

const store = require('../lib/store');

const startedAt = new Date();

exports.health = function (req, res) {
  res.json({ ok: true });
};

exports.stats = function (req, res) {
  res.json({
    since: startedAt.toISOString(),
    sessions: Object.keys(store.sessions).length,
    requests: store.stats.requests,
    uploads: store.stats.uploads,
    bytesIn: store.stats.bytesIn
  });
};
