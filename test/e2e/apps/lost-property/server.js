var http = require('http');
var fs = require('fs');
var config = require('./config');
var db = require('./lib/db');
var live = require('./lib/live');
var sessions = require('./lib/sessions');
var charity = require('./jobs/charity');
var handle = require('./router');

fs.mkdirSync(config.uploadDir, { recursive: true });

var server = http.createServer(function (req, res) {
  try {
    handle(req, res);
  } catch (e) {
    console.error(e);
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    }
  }
});

live.attach(server);

db.createSchema().then(function () {
  charity.start();
  // forget clerks who went home without logging out
  setInterval(function () {
    sessions.sweep(12 * 60 * 60 * 1000);
  }, 10 * 60 * 1000);
  server.listen(config.port, function () {
    console.log(config.office.office + ' listening on ' + config.port);
  });
}).catch(function (e) {
  console.error('could not create the schema', e);
  process.exit(1);
});
