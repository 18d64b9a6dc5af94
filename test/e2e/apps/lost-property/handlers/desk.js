var db = require('../lib/db');
var CATEGORIES = require('../lib/categories');
var config = require('../config');
var send = require('../lib/send').send;

// The number people take when they arrive at the desk.
var queueNumber = 0;

function takeNumber(req, res) {
  queueNumber = queueNumber + 1;
  send(res, 201, { number: queueNumber, desk: config.office.desk });
}

function categories(req, res) {
  send(res, 200, {
    categories: Object.keys(CATEGORIES).map(function (code) {
      return { code: code, name: CATEGORIES[code].name, keepDays: CATEGORIES[code].keepDays };
    }),
  });
}

function stats(req, res) {
  db.primary.query("SELECT status, count(*)::int AS n FROM items GROUP BY status ORDER BY status").then(function (result) {
    var byStatus = {};
    result.rows.forEach(function (r) { byStatus[r.status] = r.n; });
    send(res, 200, { items: byStatus, lastNumber: queueNumber });
  }).catch(function (e) {
    console.error(e);
    send(res, 500, { error: 'could not count' });
  });
}

function health(req, res) {
  send(res, 200, { ok: true, office: config.office.office });
}

module.exports = { takeNumber: takeNumber, categories: categories, stats: stats, health: health };
