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

  it('an entry changed in place, through find or a callback', () => {
    expect(refusal(`app.post('/messages/:id/like', (req, res) => {
  const message = messages.find((m) => m.id === req.params.id);
  message.likes++;
  res.end();
});`)).toBe('`message.likes++` (app.js:10) changes an entry of the list in place, and the Redis list would not keep the change');
    expect(refusal(`app.post('/messages/read', (req, res) => {
  messages.forEach((m) => { m.read = true; });
  res.end();
});`)).toBe('`m.read = true` (app.js:9) changes an entry of the list in place, and the Redis list would not keep the change');
  });

  it('the array sorted in place, an entry replaced by index, the array handed to a function of the program', () => {
    expect(refusal(`app.get('/messages', (req, res) => res.json(messages.sort((a, b) => a.id - b.id)));`)).toBe(
      '`messages.sort((a, b) => a.id - b.id)` (app.js:8) has no counterpart in the Redis list',
    );
    expect(refusal(`app.put('/messages/0', (req, res) => { messages[0] = req.body; res.end(); });`)).toBe(
      '`messages[0] = req.body` (app.js:8) has no counterpart in the Redis list',
    );
    expect(refusal(`function prune(list) { list.splice(1, 1); }\napp.delete('/messages/1', (req, res) => { prune(messages); res.end(); });`)).toBe(
      '`prune(messages)` (app.js:9) hands the array on, and what it does with it is not known',
    );
  });
});
