var express = require('express');
var fs = require('fs');
var path = require('path');
var multer = require('multer');
var db = require('../db');
var auth = require('../lib/auth');
var stats = require('../lib/stats');
var genres = require('../config/genres');
var config = require('../config');

var router = express.Router();
var coverDir = path.join(config.uploadDir, 'covers');
var upload = multer({ dest: path.join(config.uploadDir, 'tmp'), limits: { fileSize: config.maxCoverBytes } });

function toJson(row) {
  var genre = genres[row.genre] || { label: row.genre, shelf: '?' };
  return {
    id: row.id,
    title: row.title,
    author: row.author,
    genre: genre.label,
    shelf: genre.shelf,
    cover: row.cover ? '/books/' + row.id + '/cover' : null
  };
}

router.get('/', function (req, res, next) {
  db.read('SELECT * FROM books ORDER BY id LIMIT $1', [config.pageSize], function (err, result) {
    if (err) return next(err);
    res.json({ books: result.rows.map(toJson) });
  });
});

router.post('/', auth.requireLogin, function (req, res, next) {
  var b = req.body;
  if (!b.title || !b.author) return res.status(400).json({ error: 'title and author are required' });
  if (!genres[b.genre]) return res.status(400).json({ error: 'unknown genre', genres: Object.keys(genres) });
  db.query(
    'INSERT INTO books (title, author, genre, added_by) VALUES ($1, $2, $3, $4) RETURNING *',
    [b.title, b.author, b.genre, req.member.id],
    function (err, result) {
      if (err) return next(err);
      res.status(201).json(toJson(result.rows[0]));
    }
  );
});

router.get('/:id', function (req, res, next) {
  db.query('SELECT * FROM books WHERE id = $1', [req.params.id], function (err, result) {
    if (err) return next(err);
    if (!result.rows.length) return res.status(404).json({ error: 'no such book' });
    var book = toJson(result.rows[0]);
    book.views = stats.hit(req.params.id);
    res.json(book);
  });
});

router.post('/:id/cover', auth.requireLogin, upload.single('cover'), function (req, res, next) {
  if (!req.file) return res.status(400).json({ error: 'cover file missing' });
  var name = req.params.id + path.extname(req.file.originalname || '.jpg');
  var target = path.join(coverDir, name);
  fs.mkdir(coverDir, { recursive: true }, function (err) {
    if (err) return next(err);
    fs.rename(req.file.path, target, function (err) {
      if (err) return next(err);
      db.query('UPDATE books SET cover = $1 WHERE id = $2', [name, req.params.id], function (err) {
        if (err) return next(err);
        res.status(201).json({ cover: '/books/' + req.params.id + '/cover', bytes: req.file.size });
      });
    });
  });
});

router.get('/:id/cover', function (req, res, next) {
  db.query('SELECT cover FROM books WHERE id = $1', [req.params.id], function (err, result) {
    if (err) return next(err);
    var row = result.rows[0];
    if (!row || !row.cover) return res.status(404).json({ error: 'no cover' });
    res.sendFile(path.join(coverDir, row.cover), function (err) {
      if (err && !res.headersSent) res.status(404).json({ error: 'cover file missing' });
    });
  });
});

router.post('/:id/reviews', auth.requireLogin, function (req, res, next) {
  var rating = parseInt(req.body.rating, 10);
  if (!(rating >= 1 && rating <= 5)) return res.status(400).json({ error: 'rating must be 1..5' });
  db.query(
    'INSERT INTO reviews (book_id, member_id, rating, body) VALUES ($1, $2, $3, $4)',
    [req.params.id, req.member.id, rating, req.body.text || ''],
    function (err) {
      if (err) return next(err);
      // send back the updated list so the page can re-render
      db.read(
        'SELECT r.id, r.rating, r.body, m.name FROM reviews r JOIN members m ON m.id = r.member_id WHERE r.book_id = $1 ORDER BY r.id',
        [req.params.id],
        function (err, result) {
          if (err) return next(err);
          res.status(201).json({ reviews: result.rows });
        }
      );
    }
  );
});

router.get('/:id/reviews', function (req, res, next) {
  db.read(
    'SELECT r.id, r.rating, r.body, m.name FROM reviews r JOIN members m ON m.id = r.member_id WHERE r.book_id = $1 ORDER BY r.id',
    [req.params.id],
    function (err, result) {
      if (err) return next(err);
      res.json({ reviews: result.rows });
    }
  );
});

module.exports = router;
