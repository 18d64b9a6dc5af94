import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan } from '../testing/fix-plans';

// A hand-written photo route: the row the request loaded names the file (`path.join(uploadDir,
// row.photo)`), looked for with a callback `fs.stat` before it is streamed back. The stat looks for a
// file of the moved folder, not for the folder: it moves to the store with the stream. A look for a
// folder the module's own settings name (`path.join(uploadDir, settings.thumbs)`) stays as it is.
const APP_JS = `const http = require('http');
const fs = require('fs');
const path = require('path');
const uploadDir = path.join(__dirname, 'uploads');
const settings = { thumbs: 'thumbs' };
function upload(req, res) {
  const out = fs.createWriteStream(path.join(uploadDir, 'item-' + req.url.slice(1)));
  req.pipe(out);
  out.on('finish', function () {
    res.end('ok');
  });
}
function photo(req, res) {
  find(req.url).then(function (row) {
    var file = path.join(uploadDir, row.photo);
    fs.stat(file, function (err, stat) {
      if (err) return res.end('no photo');
      res.writeHead(200, { 'Content-Length': stat.size });
      fs.createReadStream(file).pipe(res);
    });
  });
}
function thumbs(req, res) {
  res.end(String(fs.existsSync(path.join(uploadDir, settings.thumbs))));
}
function find(url) {
  return Promise.resolve({ photo: 'item-' + url.slice(1) });
}
http.createServer(function (req, res) {
  if (req.method === 'PUT') return upload(req, res);
  if (req.url === '/thumbs') return thumbs(req, res);
  photo(req, res);
}).listen(3000);
`;

describe('planFixes: a file named by a member of the row the request loaded', () => {
  it('moves the callback stat of `path.join(folder, row.photo)` with the stream it guards; a folder the settings name stays', () => {
    const files = { [`${ROOT}/app.js`]: APP_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/app.js`));
    expect(fixed[`${ROOT}/app.js`]).toBe(`const http = require('http');
const fs = require('fs');
const path = require('path');
const { objectStore } = require('./src/scaling/object-store');
const { callbackify } = require('node:util');
const uploadDir = path.join(__dirname, 'uploads');
const settings = { thumbs: 'thumbs' };
function upload(req, res) {
  const out = objectStore.createWriteStream(path.join(uploadDir, 'item-' + req.url.slice(1)));
  req.pipe(out);
  out.on('finish', function () {
    res.end('ok');
  });
}
function photo(req, res) {
  find(req.url).then(function (row) {
    var file = path.join(uploadDir, row.photo);
    callbackify(() => objectStore.stat(file))(function (err, stat) {
      if (err) return res.end('no photo');
      res.writeHead(200, { 'Content-Length': stat.size });
      objectStore.createReadStream(file).pipe(res);
    });
  });
}
function thumbs(req, res) {
  res.end(String(fs.existsSync(path.join(uploadDir, settings.thumbs))));
}
function find(url) {
  return Promise.resolve({ photo: 'item-' + url.slice(1) });
}
http.createServer(function (req, res) {
  if (req.method === 'PUT') return upload(req, res);
  if (req.url === '/thumbs') return thumbs(req, res);
  photo(req, res);
}).listen(3000);
`);
  });
});
