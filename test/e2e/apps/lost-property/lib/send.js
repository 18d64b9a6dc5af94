// Tiny helpers so the handlers don't repeat the header dance.
function send(res, status, body, headers) {
  var h = Object.assign({ 'Content-Type': 'application/json; charset=utf-8' }, headers || {});
  res.writeHead(status, h);
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function readJson(req, callback) {
  var chunks = [];
  var size = 0;
  req.on('data', function (chunk) {
    size += chunk.length;
    if (size > 64 * 1024) {
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', function () {
    var text = Buffer.concat(chunks).toString('utf8');
    if (!text) return callback(null, {});
    var body;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return callback(new Error('bad json'));
    }
    callback(null, body);
  });
  req.on('error', function (err) {
    callback(err);
  });
}

module.exports = { send: send, readJson: readJson };
