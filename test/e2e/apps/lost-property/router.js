var url = require('url');
var sessions = require('./lib/sessions');
var send = require('./lib/send').send;
var auth = require('./handlers/auth');
var items = require('./handlers/items');
var claims = require('./handlers/claims');
var desk = require('./handlers/desk');

// staff: true means the desk clerk must be logged in
var routes = [
  { method: 'GET', pattern: /^\/health$/, handler: desk.health },
  { method: 'POST', pattern: /^\/api\/signup$/, handler: auth.signup },
  { method: 'POST', pattern: /^\/api\/login$/, handler: auth.login },
  { method: 'POST', pattern: /^\/api\/logout$/, handler: auth.logout },
  { method: 'GET', pattern: /^\/api\/me$/, handler: auth.me },
  { method: 'GET', pattern: /^\/api\/categories$/, handler: desk.categories },
  { method: 'POST', pattern: /^\/api\/queue$/, handler: desk.takeNumber },
  { method: 'GET', pattern: /^\/api\/stats$/, handler: desk.stats, staff: true },
  { method: 'GET', pattern: /^\/api\/items$/, handler: items.list },
  { method: 'POST', pattern: /^\/api\/items$/, handler: items.create, staff: true },
  { method: 'GET', pattern: /^\/api\/items\/(\d+)$/, handler: items.show },
  { method: 'PUT', pattern: /^\/api\/items\/(\d+)\/photo$/, handler: items.uploadPhoto, staff: true },
  { method: 'GET', pattern: /^\/api\/items\/(\d+)\/photo$/, handler: items.photo },
  { method: 'GET', pattern: /^\/api\/items\/(\d+)\/label$/, handler: items.label, staff: true },
  { method: 'POST', pattern: /^\/api\/items\/(\d+)\/return$/, handler: items.markReturned, staff: true },
  { method: 'POST', pattern: /^\/api\/items\/(\d+)\/claims$/, handler: claims.create },
  { method: 'GET', pattern: /^\/api\/items\/(\d+)\/claims$/, handler: claims.list, staff: true },
];

function handle(req, res) {
  var parsed = url.parse(req.url, true);
  // nothing we do should take this long; answer something rather than hang the desk screen
  var timer = setTimeout(function () {
    if (!res.headersSent) send(res, 503, { error: 'timed out' });
  }, 15000);
  res.on('finish', function () {
    clearTimeout(timer);
  });

  for (var i = 0; i < routes.length; i++) {
    var route = routes[i];
    if (route.method !== req.method) continue;
    var match = route.pattern.exec(parsed.pathname);
    if (!match) continue;
    var staff = null;
    if (route.staff) {
      staff = sessions.current(req);
      if (!staff) return send(res, 401, { error: 'staff only' });
    }
    return route.handler(req, res, match.slice(1), parsed.query, staff);
  }
  send(res, 404, { error: 'not found' });
}

module.exports = handle;
