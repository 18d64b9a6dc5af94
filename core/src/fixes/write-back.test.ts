import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// Records kept in a Map and edited where they are read, as small services keep their data before
// they have a database: the value read is changed in place, and the Redis copy must get the change.

const TODOS_TS = `import express from 'express';
import { randomUUID } from 'node:crypto';

interface Todo { id: string; title: string; done: boolean; tags: string[] }
const todos = new Map<string, Todo>();

export const app = express();
app.use(express.json());

app.post('/todos', (req, res) => {
  const todo: Todo = { id: randomUUID(), title: String(req.body.title), done: false, tags: [] };
  todos.set(todo.id, todo);
  res.status(201).json(todo);
});

app.patch('/todos/:id', (req, res) => {
  const todo = todos.get(req.params.id);
  if (!todo) return res.status(404).json({ error: 'not found' });
  if (req.body.title !== undefined) todo.title = String(req.body.title);
  if (req.body.done !== undefined) todo.done = Boolean(req.body.done);
  res.json(todo);
});

app.post('/todos/:id/tags', (req, res) => {
  const todo = todos.get(req.params.id);
  if (!todo) return res.status(404).json({ error: 'not found' });
  const tags: string[] = req.body.tags;
  tags.forEach((tag) => {
    if (!todo.tags.includes(tag)) todo.tags.push(tag);
  });
  res.json(todo.tags);
});
`;

const file = `${ROOT}/src/app.ts`;

function reason(source: string): string | undefined {
  return planFirst({ [file]: source }, 'no-in-memory-session', file).refused?.reason;
}

describe('planFixes: a value read from a store and changed in place is set again', () => {
  it('after each statement that changes it: a braced block where the change was an if without one, after a synchronous forEach that changes it', () => {
    const input = { [file]: TODOS_TS };
    const fixed = applyPlan(input, movePlan(input, 'no-in-memory-session', file));
    expect(fixed[file]).toBe(`import express from 'express';
import { randomUUID } from 'node:crypto';
import { createSessionStore } from './scaling/session-store';

interface Todo { id: string; title: string; done: boolean; tags: string[] }
const todos = createSessionStore<Todo>('todos', { ttlSeconds: 0 });

export const app = express();
app.use(express.json());

app.post('/todos', async (req, res) => {
  const todo: Todo = { id: randomUUID(), title: String(req.body.title), done: false, tags: [] };
  await todos.set(todo.id, todo);
  res.status(201).json(todo);
});

app.patch('/todos/:id', async (req, res) => {
  const todo = await todos.get(req.params.id);
  if (!todo) return res.status(404).json({ error: 'not found' });
  if (req.body.title !== undefined) { todo.title = String(req.body.title); await todos.set(req.params.id, todo); }
  if (req.body.done !== undefined) { todo.done = Boolean(req.body.done); await todos.set(req.params.id, todo); }
  res.json(todo);
});

app.post('/todos/:id/tags', async (req, res) => {
  const todo = await todos.get(req.params.id);
  if (!todo) return res.status(404).json({ error: 'not found' });
  const tags: string[] = req.body.tags;
  tags.forEach((tag) => {
    if (!todo.tags.includes(tag)) todo.tags.push(tag);
  });
  await todos.set(req.params.id, todo);
  res.json(todo.tags);
});
`);
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('once per statement, with a converted key read again (`Number(req.params.id)`)', () => {
    const source = `const express = require('express');
const users = new Map();
const app = express();
app.put('/users/:id', (req, res) => {
  const user = users.get(Number(req.params.id));
  if (!user) return res.sendStatus(404);
  user.name = user.nickname = req.body.name;
  res.json(user);
});
app.post('/users', (req, res) => {
  users.set(req.body.id, { name: req.body.name, nickname: req.body.name });
  res.sendStatus(201);
});
module.exports = app;
`;
    const input = { [`${ROOT}/src/app.js`]: source };
    expect(applyPlan(input, movePlan(input, 'no-in-memory-session', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`]).toContain(`  const user = await users.get(Number(req.params.id));
  if (!user) return res.sendStatus(404);
  user.name = user.nickname = req.body.name;
  await users.set(Number(req.params.id), user);
  res.json(user);`);
  });

  it('is refused for a fallback the code never stored: setting it would store what the process dropped', () => {
    const source = TODOS_TS.replace('const todo = todos.get(req.params.id);\n  if (!todo) return res.status(404).json({ error: \'not found\' });\n  if (req.body.title', "const todo = todos.get(req.params.id) ?? { id: '', title: '', done: false, tags: [] };\n  if (req.body.title");
    expect(reason(source)).toBe("`todo.title = String(req.body.title)` (src/app.ts:18) changes a value read from `todos` in place, and the store would not keep the change");
  });

  it('is refused for a change in a callback that may run later, naming it', () => {
    const source = TODOS_TS.replace('  tags.forEach((tag) => {', '  setTimeout(() => tags.forEach((tag) => {').replace('    if (!todo.tags.includes(tag)) todo.tags.push(tag);\n  });', '    if (!todo.tags.includes(tag)) todo.tags.push(tag);\n  }), 10);');
    expect(reason(source)).toBe('`todo.tags.push(tag)` (src/app.ts:29) changes the value inside a function that may run later, where the fix cannot write it back');
  });

  it('is refused when the local is assigned again, or the key is a call the fix would make twice', () => {
    const reassigned = TODOS_TS.replace('const todo = todos.get(req.params.id);\n  if (!todo) return res.status(404).json({ error: \'not found\' });\n  if (req.body.title', "let todo = todos.get(req.params.id);\n  if (!todo) todo = { id: '', title: '', done: false, tags: [] };\n  if (req.body.title");
    expect(reason(reassigned)).toBe('`todo.title = String(req.body.title)` (src/app.ts:19) changes `todo`, which is assigned again, so the fix cannot tell which value to write back');
    const called = TODOS_TS.replace('const todo = todos.get(req.params.id);\n  if (!todo) return res.status(404).json({ error: \'not found\' });\n  if (req.body.title', "const todo = todos.get(randomUUID());\n  if (!todo) return res.status(404).json({ error: 'not found' });\n  if (req.body.title");
    expect(reason(called)).toBe('`todo.title = String(req.body.title)` (src/app.ts:19) changes a value whose key `randomUUID()` the fix cannot read a second time to write it back');
  });

  it('is refused for a Map or Set changed inside a value: JSON keeps neither', () => {
    const source = `import express from 'express';
const rooms = new Map<string, { members: Set<string> }>();
export const app = express();
app.post('/rooms/:id/join', (req, res) => {
  const room = rooms.get(req.params.id);
  if (!room) return res.sendStatus(404);
  room.members.add(String(req.body.user));
  res.json({ members: room.members.size });
});
app.post('/rooms/:id', (req, res) => {
  rooms.set(req.params.id, { members: new Set() });
  res.sendStatus(201);
});
`;
    expect(reason(source)).toBe('`room.members.add(String(req.body.user))` (src/app.ts:7) changes a Map or Set inside a value of `rooms`, which the store keeps as JSON');
  });
});

describe('planFixes: a list per key pushed onto where it is read', () => {
  // A room's messages in a Map of lists, each post pushed onto the room's list.
  const rooms = (post: string): string => `const express = require('express');
const router = express.Router();
const history = new Map();

router.post('/rooms/:id/messages', (req, res) => {
  if (!history.has(req.params.id)) history.set(req.params.id, []);
${post}
});
`;

  it('`history.get(id).push(message)` becomes one atomic append, so messages posted at once through two instances are both kept', () => {
    const files = {
      [`${ROOT}/src/rooms.js`]: `${rooms('  history.get(req.params.id).push({ text: req.body.text, at: Date.now() });\n  res.status(201).json({ ok: true });')}
router.get('/rooms/:id/messages', (req, res) => {
  res.json(history.get(req.params.id) || []);
});

module.exports = router;
`,
    };
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/src/rooms.js`);
    expect(applyPlan(files, plan)[`${ROOT}/src/rooms.js`]).toBe(`const express = require('express');
const { createSessionStore } = require('./scaling/session-store');
const router = express.Router();
const history = createSessionStore('history', { ttlSeconds: 0 });

router.post('/rooms/:id/messages', async (req, res) => {
  if (!(await history.has(req.params.id))) await history.set(req.params.id, []);
  await history.append(req.params.id, { text: req.body.text, at: Date.now() });
  res.status(201).json({ ok: true });
});

router.get('/rooms/:id/messages', async (req, res) => {
  res.json(await history.get(req.params.id) || []);
});

module.exports = router;
`);
  });

  it('a push whose new length is used stays refused: the store keeps no change made in place', () => {
    const files = {
      [`${ROOT}/src/rooms.js`]: `${rooms('  const count = history.get(req.params.id).push(req.body.text);\n  res.status(201).json({ count });')}

module.exports = router;
`,
    };
    expect(planFirst(files, 'no-in-memory-session', `${ROOT}/src/rooms.js`).refused?.reason).toBe(
      '`history.get(req.params.id).push(req.body.text)` (src/rooms.js:7) changes a value read from `history` in place, and the store would not keep the change',
    );
  });
});
