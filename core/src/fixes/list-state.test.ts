import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// Lists of entries kept in a module array, as services write them: the last N notifications a
// reconnecting client catches up from, a chat's recent messages, an activity feed.

const NOTIFICATIONS_JS = `'use strict';

// the last few notifications, so a client that (re)connects can catch up
const recent = [];

function notify(type, payload) {
  const notification = { type, payload, at: new Date().toISOString() };
  recent.push(notification);
  if (recent.length > 50) recent.shift();
  return notification;
}

function since(at) {
  return recent.filter((n) => n.at > at);
}

module.exports = { notify, since };
`;

const ROUTES_JS = `const express = require('express');
const { notify, since } = require('../lib/notifications');
const router = express.Router();

router.post('/rooms/:id/price', (req, res) => {
  const notification = notify('price', { room: req.params.id, price: req.body.price });
  res.status(201).json(notification);
});
router.get('/notifications', (req, res) => {
  res.json({ notifications: since(req.query.after || '') });
});
module.exports = router;
`;

const FEED_TS = `import express from 'express';

interface Message {
  from: string;
  text: string;
}

const MAX_MESSAGES = 200;
const messages: Message[] = [];

export const chat = express.Router();

chat.post('/messages', (req, res) => {
  const message: Message = { from: req.body.from, text: req.body.text };
  messages.unshift(message);
  while (messages.length >= MAX_MESSAGES) messages.pop();
  res.status(201).json({ count: messages.length });
});

chat.get('/messages', (req, res) => {
  res.json({ messages, latest: messages[0] });
});

chat.delete('/messages', (req, res) => {
  messages.length = 0;
  res.status(204).end();
});
`;

describe('planFixes: a list of entries moves to a Redis list', () => {
  it('CommonJS: push and its cap become the list\'s push and keepLast, a read goes through a snapshot; the functions and their callers become async', () => {
    const files = { [`${ROOT}/lib/notifications.js`]: NOTIFICATIONS_JS, [`${ROOT}/routes/rooms.js`]: ROUTES_JS };
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/lib/notifications.js`);
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/lib/notifications.js`]).toBe(`'use strict';
const { createList } = require('../src/scaling/list');

// the last few notifications, so a client that (re)connects can catch up
const recent = createList('recent');

async function notify(type, payload) {
  const notification = { type, payload, at: new Date().toISOString() };
  await recent.push(notification);
  await recent.keepLast(50);
  return notification;
}

async function since(at) {
  return (await recent.all()).filter((n) => n.at > at);
}

module.exports = { notify, since };
`);
    expect(fixed[`${ROOT}/routes/rooms.js`]).toBe(
      ROUTES_JS.replace("'/rooms/:id/price', (req, res) => {\n  const notification = notify(", "'/rooms/:id/price', async (req, res) => {\n  const notification = await notify(").replace(
        "'/notifications', (req, res) => {\n  res.json({ notifications: since(",
        "'/notifications', async (req, res) => {\n  res.json({ notifications: await since(",
      ),
    );
    expect(plan.notes).toEqual(['replaces `if (recent.length > 50) recent.shift()` (lib/notifications.js:9) with `await recent.keepLast(50)`: the Redis list is trimmed to the same entries (LTRIM), whichever instance added them']);
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('TypeScript: unshift with a `>=` cap keeps the first n - 1, the whole list and an entry read from a snapshot, `length` asks the size, `length = 0` clears', () => {
    const files = { [`${ROOT}/src/chat.ts`]: FEED_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/src/chat.ts`));
    expect(fixed[`${ROOT}/src/chat.ts`]).toBe(`import express from 'express';
import { createList } from './scaling/list';

interface Message {
  from: string;
  text: string;
}

const MAX_MESSAGES = 200;
const messages = createList<Message>('messages');

export const chat = express.Router();

chat.post('/messages', async (req, res) => {
  const message: Message = { from: req.body.from, text: req.body.text };
  await messages.unshift(message);
  await messages.keepFirst(MAX_MESSAGES - 1);
  res.status(201).json({ count: await messages.size() });
});

chat.get('/messages', async (req, res) => {
  res.json({ messages: await messages.all(), latest: (await messages.all())[0] });
});

chat.delete('/messages', async (req, res) => {
  await messages.clear();
  res.status(204).end();
});
`);
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('a second fix on the fixed copy finds nothing to move', () => {
    const files = { [`${ROOT}/lib/notifications.js`]: NOTIFICATIONS_JS, [`${ROOT}/routes/rooms.js`]: ROUTES_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/lib/notifications.js`));
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
    expect(countFindings(fixed, 'no-in-memory-counter')).toBe(0);
  });
});

describe('planFixes: lists the Redis list cannot keep are refused with the reason', () => {
  const refusal = (body: string): string | undefined => {
    const code = `const express = require('express');
const app = express();
const messages = [];
app.post('/messages', (req, res) => {
  messages.push({ id: req.body.id, text: req.body.text, likes: 0 });
  res.status(201).end();
});
${body}
`;
    return planFirst({ [`${ROOT}/app.js`]: code }, 'no-in-memory-session', `${ROOT}/app.js`).refused?.reason;
  };

  it('an entry changed in place directly on a search, through a callback, or kept in a local assigned again', () => {
    expect(refusal(`app.post('/messages/:id/like', (req, res) => {
  messages.find((m) => m.id === req.params.id).likes++;
  res.end();
});`)).toBe('`messages.find((m) => m.id === req.params.id).likes++` (app.js:9) changes an entry of the list in place, and the Redis list would not keep the change');
    expect(refusal(`app.post('/messages/read', (req, res) => {
  messages.forEach((m) => { m.read = true; });
  res.end();
});`)).toBe('`m.read = true` (app.js:9) changes an entry of the list in place, and the Redis list would not keep the change');
    expect(refusal(`app.post('/messages/:id/like', (req, res) => {
  let message = messages.find((m) => m.id === req.params.id);
  if (!message) message = messages[0];
  message.likes++;
  res.end();
});`)).toBe('`message.likes++` (app.js:11) changes `message`, which is assigned again, so the fix cannot tell which value to write back');
    expect(refusal(`app.post('/messages/:id/like', (req, res) => {
  const message = messages.find((m) => m.id === req.params.id);
  setImmediate(() => { message.likes++; });
  res.end();
});`)).toBe('`message.likes++` (app.js:10) changes the value inside a function that may run later, where the fix cannot write it back');
  });

  it('the array sorted in place, an entry replaced by an index that reads the list again, the array handed to a function of the program', () => {
    expect(refusal(`app.get('/messages', (req, res) => res.json(messages.sort((a, b) => a.id - b.id)));`)).toBe(
      '`messages.sort((a, b) => a.id - b.id)` (app.js:8) has no counterpart in the Redis list',
    );
    expect(refusal(`app.put('/messages/last', (req, res) => { messages[messages.push(req.body) - 1] = req.body; res.end(); });`)).toBe(
      '`messages[messages.push(req.body) - 1] = req.body;` (app.js:8) uses the list in a way the fix cannot rewrite with the entry it replaces',
    );
    expect(refusal(`function prune(list) { list.splice(1, 1); }\napp.delete('/messages/1', (req, res) => { prune(messages); res.end(); });`)).toBe(
      '`prune(messages)` (app.js:9) hands the array on, and what it does with it is not known',
    );
  });
});

// The app's data in a module array, as small services and tutorials keep it before a database:
// records found and edited in place, replaced and removed by index, and filtered out.
const TODOS_JS = `const express = require('express');
const app = express();
let todos = [];
app.get('/todos', (req, res) => res.json(todos));
app.post('/todos', (req, res) => {
  const todo = { id: req.body.id, title: req.body.title, done: false };
  todos.push(todo);
  res.status(201).json(todo);
});
app.patch('/todos/:id', (req, res) => {
  const todo = todos.find((t) => t.id === req.params.id);
  if (!todo) return res.status(404).end();
  if (req.body.done !== undefined) todo.done = Boolean(req.body.done);
  todo.title = req.body.title || todo.title;
  res.json(todo);
});
app.put('/todos/:id', (req, res) => {
  const index = todos.findIndex((t) => t.id === req.params.id);
  if (index === -1) return res.status(404).end();
  todos[index] = { ...todos[index], title: req.body.title };
  res.json(todos[index]);
});
app.delete('/todos/done', (req, res) => {
  todos = todos.filter((t) => !t.done);
  res.json({ left: todos.length });
});
app.delete('/todos/:id', (req, res) => {
  const index = todos.findIndex((t) => t.id === req.params.id);
  if (index === -1) return res.status(404).end();
  todos.splice(index, 1);
  res.status(204).end();
});
module.exports = app;
`;

describe('planFixes: a module array used as the app\'s data', () => {
  it('an entry found and changed is written back after each change, `list[i] = v` and `splice(i, 1)` act at the index, `list = list.filter(f)` keeps what f accepts', () => {
    const input = { [`${ROOT}/app.js`]: TODOS_JS };
    const plan = movePlan(input, 'no-in-memory-session', `${ROOT}/app.js`);
    expect(applyPlan(input, plan)[`${ROOT}/app.js`]).toBe(`const express = require('express');
const { createList } = require('./src/scaling/list');
const app = express();
let todos = createList('todos');
app.get('/todos', async (req, res) => res.json(await todos.all()));
app.post('/todos', async (req, res) => {
  const todo = { id: req.body.id, title: req.body.title, done: false };
  await todos.push(todo);
  res.status(201).json(todo);
});
app.patch('/todos/:id', async (req, res) => {
  const todo = (await todos.all()).find((t) => t.id === req.params.id);
  if (!todo) return res.status(404).end();
  if (req.body.done !== undefined) { todo.done = Boolean(req.body.done); await todos.update(todo); }
  todo.title = req.body.title || todo.title;
  await todos.update(todo);
  res.json(todo);
});
app.put('/todos/:id', async (req, res) => {
  const index = (await todos.all()).findIndex((t) => t.id === req.params.id);
  if (index === -1) return res.status(404).end();
  await todos.setAt(index, { ...(await todos.all())[index], title: req.body.title });
  res.json((await todos.all())[index]);
});
app.delete('/todos/done', async (req, res) => {
  await todos.keepWhere((t) => !t.done);
  res.json({ left: await todos.size() });
});
app.delete('/todos/:id', async (req, res) => {
  const index = (await todos.all()).findIndex((t) => t.id === req.params.id);
  if (index === -1) return res.status(404).end();
  await todos.removeAt(index);
  res.status(204).end();
});
module.exports = app;
`);
    expect(plan.replacedStatements?.map((replaced) => [replaced.replacement, replaced.reason])).toEqual([
      ['await todos.keepWhere((t) => !t.done)', 'the Redis list drops the same entries (LREM of each one the callback rejects), and keeps entries other instances add meanwhile'],
    ]);
    expect(countFindings(applyPlan(input, plan), 'no-in-memory-session')).toBe(0);
  });

  it('a filter whose callback changes the entries it is given is not a filter the list can run', () => {
    const source = TODOS_JS.replace('todos = todos.filter((t) => !t.done);', 'todos = todos.filter((t) => { t.seen = true; return !t.done; });');
    expect(planFirst({ [`${ROOT}/app.js`]: source }, 'no-in-memory-session', `${ROOT}/app.js`).refused?.reason).toBe('`todos = todos.filter((t) => { t.seen = true; return !t.done; })` (app.js:24) has no counterpart in the Redis list');
  });
});

describe('planFixes: a module array of records whose ids come from its length, removed by splice whose entry is used', () => {
  it('`photos.length + 1` reads the size (it is no assignment to `length`), and `const [photo] = photos.splice(i, 1)` is what removeAt removed', () => {
    const input = {
      [`${ROOT}/app.js`]: `const express = require('express');
const app = express();
const photos = [];
app.post('/photos', (req, res) => {
  const photo = { id: photos.length + 1, url: req.body.url };
  photos.push(photo);
  res.status(201).json(photo);
});
app.delete('/photos/:id', (req, res) => {
  const index = photos.findIndex((p) => p.id === Number(req.params.id));
  if (index === -1) return res.sendStatus(404);
  const [photo] = photos.splice(index, 1);
  res.json({ removed: photo.url });
});
module.exports = app;
`,
    };
    const plan = movePlan(input, 'no-in-memory-session', `${ROOT}/app.js`);
    expect(applyPlan(input, plan)[`${ROOT}/app.js`]).toBe(`const express = require('express');
const { createList } = require('./src/scaling/list');
const app = express();
const photos = createList('photos');
app.post('/photos', async (req, res) => {
  const photo = { id: await photos.size() + 1, url: req.body.url };
  await photos.push(photo);
  res.status(201).json(photo);
});
app.delete('/photos/:id', async (req, res) => {
  const index = (await photos.all()).findIndex((p) => p.id === Number(req.params.id));
  if (index === -1) return res.sendStatus(404);
  const [photo] = await photos.removeAt(index);
  res.json({ removed: photo.url });
});
module.exports = app;
`);
  });
});

describe('planFixes: a module array that starts with entries', () => {
  it('starts the Redis list with them, once for every instance: the entries move into the list\'s initial option', () => {
    const input = { [`${ROOT}/app.js`]: TODOS_JS.replace('let todos = [];', "let todos = [\n  { id: '1', title: 'Read the docs', done: false },\n  { id: '2', title: 'Try it', done: true, tags: ['first', -1, null] },\n];") };
    const fixed = applyPlan(input, movePlan(input, 'no-in-memory-session', `${ROOT}/app.js`))[`${ROOT}/app.js`];
    expect(fixed.split('\n').slice(3, 7)).toEqual([
      "let todos = createList('todos', { initial: [",
      "  { id: '1', title: 'Read the docs', done: false },",
      "  { id: '2', title: 'Try it', done: true, tags: ['first', -1, null] },",
      '] });',
    ]);
  });

  it('is refused for entries JSON would not give back as written, naming the first', () => {
    const reason = (seed: string): string | undefined => planFirst({ [`${ROOT}/app.js`]: TODOS_JS.replace('let todos = [];', `let todos = [${seed}];`) }, 'no-in-memory-session', `${ROOT}/app.js`).refused?.reason;
    expect(reason("{ id: '1', createdAt: new Date() }")).toBe("`todos` starts with `{ id: '1', createdAt: new Date() }`, which the Redis list cannot start with as written (its entries are JSON)");
    expect(reason("{ id: '1', title }")).toBe("`todos` starts with `{ id: '1', title }`, which the Redis list cannot start with as written (its entries are JSON)");
  });
});
