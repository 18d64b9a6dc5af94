const express = require('express');
const multer = require('multer');
const path = require('path');
const config = require('../config');
const auth = require('../lib/auth');
const { GENRES, genreName } = require('../lib/genres');

const router = express.Router();
const upload = multer({ dest: config.uploadDir, limits: { fileSize: 2 * 1024 * 1024 } });

// the shelf. The first two came with the office move.
let books = [
  { id: 1, title: 'The Mythical Man-Month', author: 'Frederick P. Brooks Jr.', genre: 'CMP', kind: 'book', copies: 2, available: 2, cover: null },
  { id: 2, title: 'A Brief History of Time', author: 'Stephen Hawking', genre: 'SCI', kind: 'book', copies: 1, available: 1, cover: null }
];
let nextBookId = 3;

function findBook(id) {
  return books.find((b) => b.id === Number(id));
}

function showBook(book) {
  return {
    id: book.id,
    title: book.title,
    author: book.author,
    genre: genreName(book.genre),
    kind: book.kind,
    copies: book.copies,
    available: book.available,
    cover: book.cover ? '/api/books/' + book.id + '/cover' : null
  };
}

function validBook(body) {
  if (!body.title || !body.author) return 'title and author are required';
  if (body.genre && !GENRES[body.genre]) return 'unknown genre ' + body.genre;
  if (body.kind && !config.loanDays[body.kind]) return 'unknown kind ' + body.kind;
  return null;
}

router.get('/', (req, res) => {
  let list = books;
  if (req.query.genre) list = list.filter((b) => b.genre === req.query.genre);
  if (req.query.available === 'yes') list = list.filter((b) => b.available > 0);
  res.json({ count: list.length, books: list.map(showBook) });
});

router.get('/:id', (req, res) => {
  const book = findBook(req.params.id);
  if (!book) return res.status(404).json({ error: 'no such book' });
  res.json({ book: showBook(book) });
});

router.post('/', auth.requireLogin, auth.requireLibrarian, (req, res) => {
  const problem = validBook(req.body);
  if (problem) return res.status(400).json({ error: problem });
  const copies = Number(req.body.copies) || 1;
  const book = {
    id: nextBookId++,
    title: req.body.title,
    author: req.body.author,
    genre: req.body.genre || null,
    kind: req.body.kind || 'book',
    copies,
    available: copies,
    cover: null
  };
  books.push(book);
  res.status(201).json({ book: showBook(book) });
});

// the catalogue form sends the whole record back
router.put('/:id', auth.requireLogin, auth.requireLibrarian, (req, res) => {
  const i = books.findIndex((b) => b.id === Number(req.params.id));
  if (i === -1) return res.status(404).json({ error: 'no such book' });
  const problem = validBook(req.body);
  if (problem) return res.status(400).json({ error: problem });
  const old = books[i];
  const copies = Number(req.body.copies) || old.copies;
  const onLoan = old.copies - old.available;
  if (copies < onLoan) return res.status(409).json({ error: onLoan + ' copies are out on loan' });
  books[i] = {
    id: old.id,
    title: req.body.title,
    author: req.body.author,
    genre: req.body.genre || null,
    kind: req.body.kind || old.kind,
    copies,
    available: copies - onLoan,
    cover: old.cover
  };
  res.json({ book: showBook(books[i]) });
});

router.delete('/:id', auth.requireLogin, auth.requireLibrarian, (req, res) => {
  const i = books.findIndex((b) => b.id === Number(req.params.id));
  if (i === -1) return res.status(404).json({ error: 'no such book' });
  if (books[i].available < books[i].copies) return res.status(409).json({ error: 'this book is out on loan' });
  books.splice(i, 1);
  res.json({ ok: true });
});

// weeding: drop everything of one genre at once
router.post('/weed', auth.requireLogin, auth.requireLibrarian, (req, res) => {
  const before = books.length;
  books = books.filter((b) => b.genre !== req.body.genre || b.available < b.copies);
  res.json({ removed: before - books.length, count: books.length });
});

router.post('/:id/cover', auth.requireLogin, auth.requireLibrarian, upload.single('cover'), (req, res) => {
  const book = findBook(req.params.id);
  if (!book) return res.status(404).json({ error: 'no such book' });
  if (!req.file) return res.status(400).json({ error: 'send the picture as "cover"' });
  if (!/^image\//.test(req.file.mimetype)) return res.status(415).json({ error: 'covers are images' });
  book.cover = { file: req.file.filename, type: req.file.mimetype };
  res.status(201).json({ book: showBook(book) });
});

router.get('/:id/cover', (req, res) => {
  const book = findBook(req.params.id);
  if (!book || !book.cover) return res.status(404).json({ error: 'no cover' });
  res.type(book.cover.type);
  res.sendFile(path.join(config.uploadDir, book.cover.file));
});

module.exports = router;
module.exports.findBook = findBook;
