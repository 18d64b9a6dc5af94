import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { applyPlan } from '../testing/fix-plans';
import { createProgram } from '../testing/program';

// A project's own query module: `db.query` passes the SQL to the primary pool, `db.read` to the
// replica pool. A route's `db.read(…)` after its `db.query('INSERT …')` is a replica read after a
// write, reported where the route reads, and fixed by calling the primary wrapper.

const DB = `var pg = require('pg');
var primary = new pg.Pool({ connectionString: process.env.DATABASE_URL });
var replica = new pg.Pool({ connectionString: process.env.REPLICA_URL });
module.exports = {
  query: function (text, params, callback) {
    return primary.query(text, params, callback);
  },
  read: function (text, params, callback) {
    return replica.query(text, params, callback);
  },
};
`;

function analyze(route: string) {
  const files = { '/project/db.js': DB, '/project/routes/books.js': route };
  const program = createProgram(files);
  const sourceFile = program.getSourceFile('/project/routes/books.js')!;
  const findings = analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-replica-read-after-write'] });
  return { files, sourceFile, findings };
}

const head = `var express = require('express');
var db = require('../db');
var router = express.Router();
`;

describe('replica reads through the project’s own wrapper module (Express, CommonJS, callbacks)', () => {
  it('db.read in the callback of db.query INSERT: reported at the read, fixed to db.query', () => {
    const { files, sourceFile, findings } = analyze(`${head}router.post('/:id/reviews', function (req, res, next) {
  db.query('INSERT INTO reviews (book_id, body) VALUES ($1, $2)', [req.params.id, req.body.text], function (err) {
    if (err) return next(err);
    db.read('SELECT id, body FROM reviews WHERE book_id = $1', [req.params.id], function (err, result) {
      if (err) return next(err);
      res.status(201).json({ reviews: result.rows });
    });
  });
});
module.exports = router;
`);
    expect(findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.data.read} after ${finding.data.write}`)).toEqual(['7: db.read() after db.query()']);
    const fixed = applyPlan(files, { ...findings[0].fixes[0], message: '' });
    expect(fixed['/project/routes/books.js']).toBe(`${head}router.post('/:id/reviews', function (req, res, next) {
  db.query('INSERT INTO reviews (book_id, body) VALUES ($1, $2)', [req.params.id, req.body.text], function (err) {
    if (err) return next(err);
    db.query('SELECT id, body FROM reviews WHERE book_id = $1', [req.params.id], function (err, result) {
      if (err) return next(err);
      res.status(201).json({ reviews: result.rows });
    });
  });
});
module.exports = router;
`);
    expect(findings[0].fixes[0].data).toEqual({ replacement: '`query`' });
  });

  it('quiet: a db.read with no write before it, and a read of another table after the write', () => {
    expect(
      analyze(`${head}router.get('/:id', function (req, res, next) {
  db.read('SELECT * FROM books WHERE id = $1', [req.params.id], function (err, result) {
    if (err) return next(err);
    res.json(result.rows[0]);
  });
});
router.post('/:id/views', function (req, res, next) {
  db.query('UPDATE counters SET views = views + 1 WHERE id = $1', [req.params.id], function (err) {
    if (err) return next(err);
    db.read('SELECT * FROM books WHERE id = $1', [req.params.id], function (err, result) {
      res.json(result.rows[0]);
    });
  });
});
module.exports = router;
`).findings,
    ).toEqual([]);
  });
});
