import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

afterAll(removeAnalysedProjects);

const lines = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);

const files: Record<string, string> = {
  'server.js': `var http = require('http');
var handle = require('./router');
var server = http.createServer(function (req, res) {
  handle(req, res);
});
server.listen(3000);
`,
  'router.js': `var url = require('url');
var items = require('./handlers/items');
var claims = require('./handlers/claims');
var routes = [
  { method: 'GET', pattern: /^\\/api\\/claims$/, handler: claims.list },
  { method: 'POST', pattern: /^\\/api\\/claims$/, handler: claims.create },
  { method: 'GET', pattern: /^\\/api\\/items$/, handler: items.list },
  { method: 'POST', pattern: /^\\/api\\/items\\/(\\d+)\\/photo$/, handler: items.upload },
];
function handle(req, res) {
  var parsed = url.parse(req.url, true);
  for (var i = 0; i < routes.length; i++) {
    var route = routes[i];
    if (route.method !== req.method) continue;
    var match = route.pattern.exec(parsed.pathname);
    if (!match) continue;
    return route.handler(req, res, match.slice(1));
  }
  res.writeHead(404);
  res.end();
}
module.exports = handle;
`,
  'handlers/items.js': `var fs = require('fs');
var seen = 0;
function list(req, res) {
  seen++;
  res.end(String(seen));
}
function upload(req, res, params) {
  req.pipe(fs.createWriteStream('uploads/item-' + params[0]));
  res.end();
}
module.exports = { list: list, upload: upload };
`,
  'lib/db.js': `var pg = require('pg');
var primary = new pg.Pool({ connectionString: process.env.DATABASE_URL });
var replica = new pg.Pool({ connectionString: process.env.DATABASE_REPLICA_URL });
module.exports = { primary: primary, replica: replica };
`,
  'handlers/claims.js': `var db = require('../lib/db');
function create(req, res) {
  readBody(req, async function (body) {
    await db.primary.query('INSERT INTO claims (name) VALUES ($1)', [body.name]);
    var all = await db.replica.query('SELECT id FROM claims');
    res.end(String(all.rows.length));
  });
}
function list(req, res) {
  db.replica.query('SELECT id FROM claims').then(function (result) {
    res.end(JSON.stringify(result.rows));
  });
}
function readBody(req, callback) {
  var chunks = [];
  req.on('data', function (chunk) { chunks.push(chunk); });
  req.on('end', function () { callback(JSON.parse(Buffer.concat(chunks).toString())); });
}
module.exports = { create: create, list: list };
`,
};

describe('a route table a hand-written router loops over', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the handler of each row runs on the requests of the server', (_mode, analyse) => {
    expect(lines(analyse(files, 'handlers/items.js'))).toEqual(['no-in-memory-counter 2', 'no-local-disk-write 8']);
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: a replica read after the insert of its own row is found; the list of another row, read with no write before it, stays quiet', (_mode, analyse) => {
    expect(lines(analyse(files, 'handlers/claims.js'))).toEqual(['no-replica-read-after-write 5']);
  });
});

const messages = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1} ${finding.message}`);

describe('the routes a hand-written router names in its rows', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: a finding names the row that reaches it, registered where the row is written, not the server that hands every request to the router', (_mode, analyse) => {
    expect(messages(analyse(files, 'handlers/items.js'))).toEqual([
      '2 `seen` counts in this process; it is changed by GET /^\\/api\\/items$/ (router.js:7). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
      "8 `fs.createWriteStream` writes to this instance's local disk on POST /^\\/api\\/items\\/(\\d+)\\/photo$/ (router.js:8). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: look-alike: a table with a row that says no method names no routes; the server runs every row', (_mode, analyse) => {
    const anyMethod = { ...files, 'router.js': files['router.js'].replace("{ method: 'GET', pattern: /^\\/api\\/claims$/,", '{ pattern: /^\\/api\\/claims$/,') };
    expect(messages(analyse(anyMethod, 'handlers/items.js'))).toEqual([
      '2 `seen` counts in this process; it is changed by every request (http.createServer, server.js:3). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
      "8 `fs.createWriteStream` writes to this instance's local disk on every request (http.createServer, server.js:3). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });
});
