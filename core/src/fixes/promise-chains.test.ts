import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan } from '../testing/fix-plans';

// A cache of rows in JavaScript over an untyped database client: `findItem` returns
// `Promise.resolve(cached)` or the query's `.then(…)` chain, a promise either way though the checker
// types the chain `any`. Made async for the Redis cache, it still gives a promise: its callers'
// `findItem(id).then(…)` stay as they are (no `await` in front of a chain, no handler made async).
const DB_JS = `const pg = require('pg');
module.exports = new pg.Pool({ connectionString: process.env.DATABASE_URL });
`;

const ITEMS_JS = `const db = require('./db');
const itemCache = new Map();
function findItem(id) {
  if (itemCache.has(id)) return Promise.resolve(itemCache.get(id));
  return db.query('SELECT * FROM items WHERE id = $1', [id]).then(function (result) {
    const row = result.rows[0] || null;
    if (row) itemCache.set(id, row);
    return row;
  });
}
function show(req, res) {
  findItem(Number(req.params.id)).then(function (row) {
    if (!row) return res.status(404).end();
    res.json({ item: row });
  });
}
function markReturned(req, res) {
  const id = Number(req.params.id);
  db.query("UPDATE items SET status = 'returned' WHERE id = $1 RETURNING *", [id]).then(function (result) {
    itemCache.delete(id);
    res.json({ item: result.rows[0] });
  });
}
module.exports = { show: show, markReturned: markReturned, findItem: findItem };
`;

const APP_JS = `const express = require('express');
const items = require('./items');
const app = express();
app.get('/items/:id', items.show);
app.post('/items/:id/return', items.markReturned);
app.listen(3000);
`;

describe('planFixes: a function whose every return is a promise chain, over an untyped client', () => {
  it('is made async for the Redis cache and its callers keep their `.then` chains', () => {
    const files = { [`${ROOT}/db.js`]: DB_JS, [`${ROOT}/items.js`]: ITEMS_JS, [`${ROOT}/app.js`]: APP_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-process-local-cache', `${ROOT}/items.js`));
    expect(fixed[`${ROOT}/items.js`]).toBe(`const db = require('./db');
const { createCache } = require('./src/scaling/cache');
const itemCache = createCache('itemCache');
async function findItem(id) {
  if (await itemCache.has(id)) return Promise.resolve(await itemCache.get(id));
  return db.query('SELECT * FROM items WHERE id = $1', [id]).then(async function (result) {
    const row = result.rows[0] || null;
    if (row) await itemCache.set(id, row);
    return row;
  });
}
function show(req, res) {
  findItem(Number(req.params.id)).then(function (row) {
    if (!row) return res.status(404).end();
    res.json({ item: row });
  });
}
function markReturned(req, res) {
  const id = Number(req.params.id);
  db.query("UPDATE items SET status = 'returned' WHERE id = $1 RETURNING *", [id]).then(async function (result) {
    await itemCache.delete(id);
    res.json({ item: result.rows[0] });
  });
}
module.exports = { show: show, markReturned: markReturned, findItem: findItem };
`);
  });
});
