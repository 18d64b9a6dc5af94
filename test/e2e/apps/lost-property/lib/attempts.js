// Wrong passwords per address: three and you wait a quarter of an hour.
var attempts = new Map();
var LIMIT = 3;
var WINDOW = 15 * 60 * 1000;

function blocked(ip) {
  var entry = attempts.get(ip);
  if (!entry) return false;
  if (Date.now() - entry.first > WINDOW) {
    attempts.delete(ip);
    return false;
  }
  return entry.count >= LIMIT;
}

function failed(ip) {
  var entry = attempts.get(ip);
  if (!entry) attempts.set(ip, { count: 1, first: Date.now() });
  else entry.count++;
}

function succeeded(ip) {
  attempts.delete(ip);
}

module.exports = { blocked: blocked, failed: failed, succeeded: succeeded };
