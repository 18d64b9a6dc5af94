import type * as ts from 'typescript';
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

  it('SQL in lowercase, in a template literal after a line break, is SQL too; a wrapper given a key or a path is not a query', () => {
    const { sourceFile, findings } = analyze(`${head}router.post('/:id/reviews', function (req, res, next) {
  db.query(\`
    insert into reviews (book_id, body) values ($1, $2)\`, [req.params.id, req.body.text], function (err) {
    if (err) return next(err);
    db.read(\`
      select id, body from reviews where book_id = \${Number(req.params.id)}\`, [], function (err, result) {
      if (err) return next(err);
      res.status(201).json({ reviews: result.rows });
    });
  });
});
router.post('/:id/flags', function (req, res, next) {
  db.query('INSERT INTO flags (book_id) VALUES ($1)', [req.params.id], function (err) {
    if (err) return next(err);
    db.read('recent-flags', [req.params.id], function (err, result) {
      res.json(result);
    });
  });
});
module.exports = router;
`);
    expect(findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.data.read} after ${finding.data.write}`)).toEqual(['8: db.read() after db.query()']);
  });
});

// Next.js API route: the handler calls `withAuth(createPost)(req, res)`; the call runs the
// function given to the wrapper, so its write and read are in the request's flow.

function nextRoute(handler: string): { files: Record<string, string>; findings: ReturnType<typeof analyzeSourceFile>; sourceFile: ts.SourceFile } {
  const files = {
    '/project/lib/db.js': `import { Pool } from 'pg';\nexport const db = new Pool({ connectionString: process.env.DATABASE_URL });\nexport const readDb = new Pool({ connectionString: process.env.DATABASE_REPLICA_URL });\n`,
    '/project/lib/session.js': `export const withAuth = (fn) => async (req, res) => {\n  if (!req.headers.cookie) return res.status(401).end();\n  return fn(req, res);\n};\n`,
    '/project/pages/api/posts/index.js': `import { db, readDb } from '../../../lib/db';
import { withAuth } from '../../../lib/session';
async function createPost(req, res) {
  const inserted = await db.query('INSERT INTO posts (title) VALUES ($1) RETURNING id', [req.body.title]);
  const { rows } = await readDb.query('SELECT id, title FROM posts WHERE id = $1', [inserted.rows[0].id]);
  res.status(201).json({ post: rows[0] });
}
${handler}`,
  };
  const program = createProgram(files);
  const sourceFile = program.getSourceFile('/project/pages/api/posts/index.js')!;
  return { files, sourceFile, findings: analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-replica-read-after-write'] }) };
}

describe('replica reads in a function the handler runs through a wrapper (Next.js, ESM)', () => {
  it('withAuth(createPost)(req, res): the read after the insert is reported and routed to db; the GET branch after the returning POST branch stays quiet', () => {
    const { files, sourceFile, findings } = nextRoute(`export default async function handler(req, res) {
  if (req.method === 'POST') return withAuth(createPost)(req, res);
  const { rows } = await readDb.query('SELECT id, title FROM posts ORDER BY id DESC');
  return res.status(200).json({ posts: rows });
}
`);
    expect(findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.data.read} after ${finding.data.write}`)).toEqual(['5: readDb.query() after db.query()']);
    expect(applyPlan(files, { ...findings[0].fixes[0], message: '' })['/project/pages/api/posts/index.js']).toBe(`import { db, readDb } from '../../../lib/db';
import { withAuth } from '../../../lib/session';
async function createPost(req, res) {
  const inserted = await db.query('INSERT INTO posts (title) VALUES ($1) RETURNING id', [req.body.title]);
  const { rows } = await db.query('SELECT id, title FROM posts WHERE id = $1', [inserted.rows[0].id]);
  res.status(201).json({ post: rows[0] });
}
export default async function handler(req, res) {
  if (req.method === 'POST') return withAuth(createPost)(req, res);
  const { rows } = await readDb.query('SELECT id, title FROM posts ORDER BY id DESC');
  return res.status(200).json({ posts: rows });
}
`);
  });

  it('a write that does not return before the read still counts: the list read after a POST that falls through is reported', () => {
    const { sourceFile, findings } = nextRoute(`export default async function handler(req, res) {
  if (req.method === 'POST') await withAuth(createPost)(req, res);
  const { rows } = await readDb.query('SELECT id, title FROM posts ORDER BY id DESC');
  return res.status(200).json({ posts: rows });
}
`);
    expect(findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.data.read}`)).toEqual(['5: readDb.query()', '10: readDb.query()']);
  });
});

describe('a write returned from a callback does not end the handler', () => {
  it('pool.query(…).then(() => { return pool.query(UPDATE) }).then(() => readPool.query(…)): reported', () => {
    const files = {
      '/project/src/app.ts': `import express from 'express';
import { Pool } from 'pg';
const pool = new Pool();
const readPool = new Pool();
export const app = express();
app.post('/posts/:id/publish', (req, res, next) => {
  pool
    .query('SELECT 1')
    .then(() => {
      return pool.query('UPDATE posts SET published = true WHERE id = $1', [req.params.id]);
    })
    .then(() => readPool.query('SELECT * FROM posts WHERE id = $1', [req.params.id]))
    .then((result) => res.json(result.rows[0]))
    .catch(next);
});
`,
    };
    const program = createProgram(files);
    const sourceFile = program.getSourceFile('/project/src/app.ts')!;
    expect(analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-replica-read-after-write'] }).map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.data.read} after ${finding.data.write}`)).toEqual(['12: readPool.query() after pool.query()']);
  });
});
