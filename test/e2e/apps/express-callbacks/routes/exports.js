var express = require('express');
var fs = require('fs');
var path = require('path');
var zlib = require('zlib');
var stream = require('stream');
var db = require('../db');
var auth = require('../lib/auth');
var mailer = require('../lib/mailer');
var stats = require('../lib/stats');
var config = require('../config');

var router = express.Router();

function csvLine(values) {
  return values.map(function (v) {
    var s = String(v == null ? '' : v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }).join(',') + '\n';
}

// writes books.csv plus a gzipped copy for the archive, then mails the member
router.post('/', auth.requireLogin, function (req, res, next) {
  db.query('SELECT id, title, author, genre FROM books ORDER BY id', [], function (err, result) {
    if (err) return next(err);
    var csv = csvLine(['id', 'title', 'author', 'genre', 'views']);
    result.rows.forEach(function (row) {
      csv += csvLine([row.id, row.title, row.author, row.genre, stats.get(row.id)]);
    });
    var name = 'books-' + req.member.id + '-' + Date.now() + '.csv';
    fs.mkdir(config.exportDir, { recursive: true }, function (err) {
      if (err) return next(err);
      fs.writeFile(path.join(config.exportDir, name), csv, function (err) {
        if (err) return next(err);
        var gz = zlib.gzipSync(csv);
        fs.writeFile(path.join(config.exportDir, name + '.gz'), gz, function (err) {
          if (err) return next(err);
          mailer.sendExportReady(req.member.email, name, function () {
            res.status(201).json({ file: name, rows: result.rows.length, url: '/exports/' + name });
          });
        });
      });
    });
  });
});

router.get('/:name', auth.requireLogin, function (req, res, next) {
  var name = path.basename(req.params.name);
  var file = path.join(config.exportDir, name);
  fs.stat(file, function (err) {
    if (err) return res.status(404).json({ error: 'no such export' });
    res.type('text/csv');
    stream.pipeline(fs.createReadStream(file), res, function (err) {
      if (err) console.error('export download failed', err.message);
    });
  });
});

module.exports = router;
