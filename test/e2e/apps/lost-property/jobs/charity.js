var db = require('../lib/db');
var mailer = require('../lib/mailer');
var config = require('../config');

// Every morning's sweep: what nobody came for goes to the charity shop.
function sendUnclaimedToCharity() {
  return db.primary.query(
    "UPDATE items SET status = 'charity' WHERE status = 'waiting' AND created_at < now() - ($1 || ' days')::interval RETURNING id, description",
    [String(config.office.keepDays)]
  ).then(function (result) {
    if (result.rows.length > 0) return mailer.unclaimedReport(result.rows);
  }).catch(function (e) {
    console.error('charity sweep failed', e);
  });
}

function start() {
  return setInterval(sendUnclaimedToCharity, 6 * 60 * 60 * 1000);
}

module.exports = { start: start, sendUnclaimedToCharity: sendUnclaimedToCharity };
