import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// A counter read inside `list.forEach(cb)`: the read becomes async, and forEach waits for no
// promise, so the callback becomes the body of a `for…of` loop where that loop means the same.

const STATS_JS = `// page views per book
var views = {};

exports.hit = function (bookId) {
  views[bookId] = (views[bookId] || 0) + 1;
  return views[bookId];
};

exports.get = function (bookId) {
  return views[bookId] || 0;
};
`;

const statsWith = (route: string): Record<string, string> => ({ [`${ROOT}/lib/stats.js`]: STATS_JS, [`${ROOT}/routes/exports.js`]: route });

const refusal = (route: string): string | undefined => planFirst(statsWith(route), 'no-in-memory-counter', `${ROOT}/lib/stats.js`).refused?.reason;

describe('planFixes: a counter read in a forEach callback', () => {
  it('CommonJS: the forEach becomes a for…of loop in the error-first callback, which becomes async', () => {
    const files = statsWith(`var express = require('express');
var db = require('../db');
var stats = require('../lib/stats');
var router = express.Router();

router.post('/', function (req, res, next) {
  db.query('SELECT id, title FROM books', [], function (err, result) {
    if (err) return next(err);
    var csv = 'id,title,views\\n';
    result.rows.forEach(function (row) {
      csv += [row.id, row.title, stats.get(row.id)].join(',') + '\\n';
    });
    res.status(201).json({ csv: csv });
  });
});
router.get('/:id', function (req, res) {
  res.json({ views: stats.hit(req.params.id) });
});
module.exports = router;
`);
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/stats.js`));
    expect(fixed[`${ROOT}/routes/exports.js`]).toBe(`var express = require('express');
var db = require('../db');
var stats = require('../lib/stats');
var router = express.Router();

router.post('/', function (req, res, next) {
  db.query('SELECT id, title FROM books', [], async function (err, result) {
    if (err) return next(err);
    var csv = 'id,title,views\\n';
    for (const row of result.rows) {
      csv += [row.id, row.title, await stats.get(row.id)].join(',') + '\\n';
    }
    res.status(201).json({ csv: csv });
  });
});
router.get('/:id', async function (req, res) {
  res.json({ views: await stats.hit(req.params.id) });
});
module.exports = router;
`);
    expect(countFindings(fixed, 'no-in-memory-counter')).toBe(0);
  });

  it('TypeScript: an arrow with an expression body over a typed array; the parameter keeps its name, the loop its type from the array', () => {
    const files = {
      [`${ROOT}/src/likes.ts`]: `const likes: Record<string, number> = {};

export function like(id: string): void {
  likes[id] = (likes[id] || 0) + 1;
}
`,
      [`${ROOT}/src/routes.ts`]: `import express from 'express';
import { like } from './likes';

export const router = express.Router();
router.post('/likes', async (req, res) => {
  const ids: string[] = req.body.ids;
  ids.forEach((id: string) => like(id));
  res.json({ ok: true });
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/likes.ts`));
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(`import express from 'express';
import { like } from './likes';

export const router = express.Router();
router.post('/likes', async (req, res) => {
  const ids: string[] = req.body.ids;
  for (const id of ids) await like(id);
  res.json({ ok: true });
});
`);
    expect(fixed[`${ROOT}/src/likes.ts`]).toBe(`import { createCounterMap } from './scaling/counter';
const likes = createCounterMap('likes');

export async function like(id: string): Promise<void> {
  await likes.increment(id);
}
`);
  });

  it('nested forEach callbacks become nested loops; a parameter the body assigns is bound with let', () => {
    const files = statsWith(`var express = require('express');
var stats = require('../lib/stats');
var router = express.Router();

router.post('/total', function (req, res) {
  var total = 0;
  req.body.shelves.forEach(function (shelf) {
    shelf.books.forEach(function (id) {
      id = String(id);
      total += stats.get(id);
    });
  });
  res.json({ total: total });
});
router.get('/:id', function (req, res) {
  res.json({ views: stats.hit(req.params.id) });
});
`);
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/stats.js`));
    expect(fixed[`${ROOT}/routes/exports.js`]).toBe(`var express = require('express');
var stats = require('../lib/stats');
var router = express.Router();

router.post('/total', async function (req, res) {
  var total = 0;
  for (const shelf of req.body.shelves) {
    for (let id of shelf.books) {
      id = String(id);
      total += await stats.get(id);
    }
  }
  res.json({ total: total });
});
router.get('/:id', async function (req, res) {
  res.json({ views: await stats.hit(req.params.id) });
});
`);
  });

  const route = (loop: string): string => `var express = require('express');
var stats = require('../lib/stats');
var router = express.Router();
router.post('/', function (req, res) {
  var rows = req.body.rows;
  var csv = '';
${loop}
  res.send(csv);
});
router.get('/:id', function (req, res) {
  res.json({ views: stats.hit(req.params.id) });
});
`;

  it('refuses a callback that returns early: in a loop the return would leave the handler', () => {
    expect(refusal(route(`  rows.forEach(function (row) {
    if (!row) return;
    csv += stats.get(row.id);
  });`))).toBe('the function is a callback of `rows.forEach` that must stay synchronous (routes/exports.js:7), and a `for…of` loop would not do the same: its `return` (routes/exports.js:8) would leave the enclosing function, not the element');
  });

  it('refuses a callback that takes the index, or is given a this value', () => {
    expect(refusal(route(`  rows.forEach(function (row, i) {
    csv += i + stats.get(row.id);
  });`))).toBe('the function is a callback of `rows.forEach` that must stay synchronous (routes/exports.js:7), and a `for…of` loop would not do the same: it takes the index or the list too');
    expect(refusal(route(`  rows.forEach(function (row) {
    csv += this.prefix + stats.get(row.id);
  }, { prefix: '-' });`))).toBe('the function is a callback of `rows.forEach` that must stay synchronous (routes/exports.js:7), and a `for…of` loop would not do the same: it is given a `this` value (routes/exports.js:9)');
  });

  it('refuses a function expression that reads this, a var that would move to the handler, and a list changed while it is walked', () => {
    expect(refusal(route(`  rows.forEach(function (row) {
    csv += String(this) + stats.get(row.id);
  });`))).toBe('the function is a callback of `rows.forEach` that must stay synchronous (routes/exports.js:7), and a `for…of` loop would not do the same: its `this` (routes/exports.js:8) is the callback\'s own');
    expect(refusal(route(`  rows.forEach(function (row) {
    var views = stats.get(row.id);
    csv += views;
  });`))).toBe('the function is a callback of `rows.forEach` that must stay synchronous (routes/exports.js:7), and a `for…of` loop would not do the same: its `var` (routes/exports.js:8) would belong to the enclosing function');
    expect(refusal(route(`  rows.forEach(function (row) {
    if (stats.get(row.id) > 10) rows.push(row);
  });`))).toBe('the function is a callback of `rows.forEach` that must stay synchronous (routes/exports.js:7), and a `for…of` loop would not do the same: it uses `rows` itself (routes/exports.js:8), which a loop reads as it goes');
  });

  it('refuses forEach over a Map, whose loop would visit entries, not values', () => {
    const files = {
      [`${ROOT}/src/likes.ts`]: `const likes: Record<string, number> = {};

export function likesOf(id: string): number {
  return likes[id] || 0;
}
export function like(id: string): void {
  likes[id] = (likes[id] || 0) + 1;
}
`,
      [`${ROOT}/src/routes.ts`]: `import express from 'express';
import { like, likesOf } from './likes';

const names = new Map<string, string>([['a', 'A']]);
export const router = express.Router();
router.get('/likes', (req, res) => {
  let total = 0;
  names.forEach((id) => { total += likesOf(id); });
  res.json({ total });
});
router.post('/likes/:id', (req, res) => {
  like(req.params.id);
  res.json({ ok: true });
});
`,
    };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/src/likes.ts`).refused?.reason).toBe('the function is a callback of `names.forEach` that must stay synchronous (src/routes.ts:8), and a `for…of` loop would not do the same: `names` is not an array, and a loop over it would not visit what `forEach` visits');
  });
});

describe('planFixes: a counter read in a forEach callback, as other authors write it', () => {
  it('TypeScript ESM in Koa: an arrow with braces that assigns to the element; the exported arrow reading the count becomes async', () => {
    const files = {
    [`${ROOT}/src/likes.ts`]: `const likes: Record<string, number> = {};

export function like(id: string): number {
  likes[id] = (likes[id] ?? 0) + 1;
  return likes[id];
}

export const likesOf = (id: string): number => likes[id] ?? 0;
`,
    [`${ROOT}/src/routes.ts`]: `import Router from '@koa/router';
import { like, likesOf } from './likes';

interface Photo { id: string; title: string; likes?: number }
const photos: Photo[] = [];

export const router = new Router();
router.get('/photos', async (ctx) => {
  const list = photos.slice();
  list.forEach((photo) => {
    photo.likes = likesOf(photo.id);
  });
  ctx.body = list;
});
router.post('/photos/:id/like', async (ctx) => {
  ctx.body = { likes: like(ctx.params.id) };
});
`,
  };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/likes.ts`));
    expect(fixed[`${ROOT}/src/likes.ts`]).toBe(`import { createCounterMap } from './scaling/counter';
const likes = createCounterMap('likes');

export async function like(id: string): Promise<number> {
  return await likes.increment(id);
}

export const likesOf = async (id: string): Promise<number> => await likes.get(id) ?? 0;
`);
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(`import Router from '@koa/router';
import { like, likesOf } from './likes';

interface Photo { id: string; title: string; likes?: number }
const photos: Photo[] = [];

export const router = new Router();
router.get('/photos', async (ctx) => {
  const list = photos.slice();
  for (const photo of list) {
    photo.likes = await likesOf(photo.id);
  }
  ctx.body = list;
});
router.post('/photos/:id/like', async (ctx) => {
  ctx.body = { likes: await like(ctx.params.id) };
});
`);
  });

  it('CommonJS in a promise chain: the forEach in a .then callback becomes a loop and the callback async, the chain waits for it', () => {
    const files = {
    [`${ROOT}/lib/views.js`]: `var counts = {};
module.exports.bump = function bump(id) { counts[id] = (counts[id] || 0) + 1; };
module.exports.count = function count(id) { return counts[id] || 0; };
`,
    [`${ROOT}/app.js`]: `var express = require('express');
var views = require('./lib/views');
var db = require('./db');
var app = express();
app.get('/articles', function (req, res, next) {
  db.listArticles().then(function (articles) {
    var out = [];
    articles.forEach(function (a) {
      out.push({ id: a.id, views: views.count(a.id) });
    });
    res.json(out);
  }).catch(next);
});
app.get('/articles/:id', function (req, res) {
  views.bump(req.params.id);
  res.end();
});
module.exports = app;
`,
    [`${ROOT}/db.js`]: `exports.listArticles = function () { return Promise.resolve([]); };\n`,
  };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/lib/views.js`));
    expect(fixed[`${ROOT}/lib/views.js`]).toBe(`const { createCounterMap } = require('../src/scaling/counter');
var counts = createCounterMap('counts');
module.exports.bump = async function bump(id) { await counts.increment(id); };
module.exports.count = async function count(id) { return await counts.get(id) || 0; };
`);
    expect(fixed[`${ROOT}/app.js`]).toBe(`var express = require('express');
var views = require('./lib/views');
var db = require('./db');
var app = express();
app.get('/articles', function (req, res, next) {
  db.listArticles().then(async function (articles) {
    var out = [];
    for (const a of articles) {
      out.push({ id: a.id, views: await views.count(a.id) });
    }
    res.json(out);
  }).catch(next);
});
app.get('/articles/:id', async function (req, res) {
  await views.bump(req.params.id);
  res.end();
});
module.exports = app;
`);
  });
});
