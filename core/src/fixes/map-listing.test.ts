import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// A Map of records read whole, as small services list their data: the Redis store keeps the order
// keys were first set in, so the listing reads as the Map's did.

const TODOS_JS = `const express = require('express');
const todos = new Map();
let nextId = 1;
const app = express();
app.get('/todos', (req, res) => {
  res.json([...todos.values()]);
});
app.get('/stats', (req, res) => {
  let done = 0;
  for (const [, todo] of todos) if (todo.done) done++;
  res.json({ total: todos.size, empty: todos.size === 0, done, ids: Array.from(todos.keys()) });
});
app.get('/titles', (req, res) => {
  const titles = [];
  todos.forEach((todo) => titles.push(todo.title));
  res.json(titles);
});
app.post('/todos', (req, res) => {
  const todo = { id: nextId++, title: req.body.title, done: false };
  todos.set(todo.id, todo);
  res.status(201).json(todo);
});
module.exports = app;
`;

const file = `${ROOT}/src/app.js`;

function reason(source: string): string | undefined {
  return planFirst({ [file]: source }, 'no-in-memory-session', file).refused?.reason;
}

describe('planFixes: a Map store read whole', () => {
  it('values, keys, entries, size, for … of and forEach over the values read the ordered store', () => {
    const input = { [file]: TODOS_JS };
    const fixed = applyPlan(input, movePlan(input, 'no-in-memory-session', file));
    expect(fixed[file]).toBe(`const express = require('express');
const { createSessionStore } = require('./scaling/session-store');
const todos = createSessionStore('todos', { ttlSeconds: 0, ordered: true });
let nextId = 1;
const app = express();
app.get('/todos', async (req, res) => {
  res.json([...await todos.values()]);
});
app.get('/stats', async (req, res) => {
  let done = 0;
  for (const [, todo] of await todos.entries()) if (todo.done) done++;
  res.json({ total: await todos.size(), empty: await todos.size() === 0, done, ids: Array.from(await todos.keys()) });
});
app.get('/titles', async (req, res) => {
  const titles = [];
  (await todos.values()).forEach((todo) => titles.push(todo.title));
  res.json(titles);
});
app.post('/todos', async (req, res) => {
  const todo = { id: nextId++, title: req.body.title, done: false };
  await todos.set(todo.id, todo);
  res.status(201).json(todo);
});
module.exports = app;
`);
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('a store never read whole is created as before, without an order to keep', () => {
    const source = TODOS_JS.replace(/app\.get\('\/todos'[\s\S]*?\napp\.post/, 'app.post');
    const input = { [file]: source };
    expect(applyPlan(input, movePlan(input, 'no-in-memory-session', file))[file]).toContain("const todos = createSessionStore('todos', { ttlSeconds: 0 });");
  });

  it('is refused when an entry listed is changed in place: through for … of, a forEach callback, or an array made from the values', () => {
    const loop = TODOS_JS.replace('for (const [, todo] of todos) if (todo.done) done++;', 'for (const [, todo] of todos) todo.done = true;');
    expect(reason(loop)).toBe('`todo.done = true` (src/app.js:10) changes an entry it lists in place, and the store would not keep the change');
    const callback = TODOS_JS.replace('todos.forEach((todo) => titles.push(todo.title));', 'todos.forEach((todo) => { todo.seen = true; });');
    expect(reason(callback)).toBe('`todo.seen = true` (src/app.js:15) changes an entry it lists in place, and the store would not keep the change');
    const array = TODOS_JS.replace('res.json([...todos.values()]);', 'const all = Array.from(todos.values());\n  for (const todo of all) todo.listed = true;\n  res.json(all);');
    expect(reason(array)).toBe('`todo.listed = true` (src/app.js:7) changes an entry it lists in place, and the store would not keep the change');
  });

  it('forEach given the key too runs over a Map of the entries listed; given the Map as well, it is refused, naming the use; clear() empties the store on every instance', () => {
    const keyed = { [file]: TODOS_JS.replace('todos.forEach((todo) => titles.push(todo.title));', 'todos.forEach((todo, id) => titles.push(`${id}: ${todo.title}`));') };
    expect(applyPlan(keyed, movePlan(keyed, 'no-in-memory-session', file))[file]).toContain("app.get('/titles', async (req, res) => {\n  const titles = [];\n  new Map(await todos.entries()).forEach((todo, id) => titles.push(`${id}: ${todo.title}`));\n");
    expect(reason(TODOS_JS.replace('todos.forEach((todo) => titles.push(todo.title));', 'todos.forEach((todo, id, all) => titles.push(`${id} of ${all.size}`));'))).toBe('`todos.forEach` (src/app.js:15) has no counterpart in the Redis adapter');
    const cleared = { [file]: TODOS_JS.replace("  res.json(titles);\n", '  todos.clear();\n  res.json(titles);\n') };
    expect(applyPlan(cleared, movePlan(cleared, 'no-in-memory-session', file))[file]).toContain('  await todos.clear();\n  res.json(titles);\n');
  });
});

describe('planFixes: a plain object store read whole', () => {
  const USERS_JS = `const express = require('express');
const users = {};
const app = express();
app.post('/users', (req, res) => {
  users[req.body.name] = { name: req.body.name, admin: false };
  res.status(201).end();
});
app.get('/users', (req, res) => {
  res.json({ names: Object.keys(users), users: Object.values(users), count: Object.keys(users).length });
});
module.exports = app;
`;

  it('Object.keys, Object.values and Object.entries read a store that lists as the object did (integer keys first)', () => {
    const input = { [file]: USERS_JS };
    const fixed = applyPlan(input, movePlan(input, 'no-in-memory-session', file))[file];
    expect(fixed).toContain("const users = createSessionStore('users', { ttlSeconds: 0, ordered: 'object' });");
    expect(fixed).toContain('  res.json({ names: await users.keys(), users: await users.values(), count: await users.size() });');
  });

  it('is refused when an entry listed is changed in place, naming the change', () => {
    const source = USERS_JS.replace("  res.json({ names", '  Object.values(users).forEach((user) => { user.seen = true; });\n  res.json({ names');
    expect(reason(source)).toBe('`user.seen = true` (src/app.js:9) changes an entry it lists in place, and the store would not keep the change');
  });
});
