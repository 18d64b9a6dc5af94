function parseCookies(req) {
  var out = {};
  if (!req.headers.cookie) return out;
  req.headers.cookie.split(';').forEach(function (part) {
    var i = part.indexOf('=');
    if (i < 0) return;
    var name = part.slice(0, i).trim();
    out[name] = decodeURIComponent(part.slice(i + 1).trim());
  });
  return out;
}

module.exports = { parseCookies: parseCookies };
