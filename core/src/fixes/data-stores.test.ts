import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// The app's data kept in module arrays and Maps and reached the ways such apps reach it: through a
// finder function other modules call, a local that holds the array, a list counted against a limit.

const BOOKS_JS = `const express = require('express');
const router = express.Router();
let books = [];
function findBook(id) {
  return books.find((b) => b.id === Number(id));
}
router.get('/', (req, res) => {
  let list = books;
  if (req.query.genre) list = list.filter((b) => b.genre === req.query.genre);
  res.json({ count: list.length, books: list });
});
router.post('/', (req, res) => {
  books.push({ id: Number(req.body.id), title: req.body.title, available: 1 });
  res.sendStatus(201);
});
module.exports = router;
module.exports.findBook = findBook;
`;

const LOANS_JS = `const express = require('express');
const { findBook } = require('./books');
const router = express.Router();
function showLoan(loan) {
  const book = findBook(loan.bookId);
  return { id: loan.id, title: book ? book.title : null };
}
router.post('/:id/borrow', (req, res) => {
  const book = findBook(req.params.id);
  if (!book) return res.sendStatus(404);
  book.available--;
  res.json(book);
});
router.post('/shown', (req, res) => {
  res.json({ loans: req.body.loans.map(showLoan) });
});
module.exports = router;
`;

describe('planFixes: entries a finder function returns, and locals that hold the list', () => {
  it('a caller in another module that changes the entry saves it (saveEntry finds the list it came from); a local holding the list reads a snapshot', () => {
    const files = { [`${ROOT}/routes/books.js`]: BOOKS_JS, [`${ROOT}/routes/loans.js`]: LOANS_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/routes/books.js`));
    expect(fixed[`${ROOT}/routes/books.js`]).toContain(`async function findBook(id) {
  return (await books.all()).find((b) => b.id === Number(id));
}`);
    expect(fixed[`${ROOT}/routes/books.js`]).toContain('  let list = await books.all();\n');
    expect(fixed[`${ROOT}/routes/loans.js`]).toContain(`const { saveEntry } = require('../src/scaling/list');`);
    expect(fixed[`${ROOT}/routes/loans.js`]).toContain(`  const book = await findBook(req.params.id);
  if (!book) return res.sendStatus(404);
  book.available--;
  await saveEntry(book);
  res.json(book);`);
    // A function made async and passed to map by name: its calls are awaited together.
    expect(fixed[`${ROOT}/routes/loans.js`]).toContain('  res.json({ loans: await Promise.all(req.body.loans.map(showLoan)) });');
  });

  it('a local that holds the list and changes it, or an entry of it, is refused, naming the change', () => {
    const sorted = { [`${ROOT}/routes/books.js`]: BOOKS_JS.replace('  res.json({ count: list.length, books: list });', '  list.sort((a, b) => a.title.localeCompare(b.title));\n  res.json({ count: list.length, books: list });'), [`${ROOT}/routes/loans.js`]: LOANS_JS };
    expect(planFirst(sorted, 'no-in-memory-session', `${ROOT}/routes/books.js`).refused?.reason).toBe(
      '`list.sort((a, b) => a.title.localeCompare(b.title))` (routes/books.js:10) changes, through a local that holds the array, the array or an entry of it in place, and the Redis list would not keep the change',
    );
  });

  it('a Map value a function returns and a caller changes in place is refused: the caller has no key to set it again under', () => {
    const members = `const express = require('express');
const members = new Map();
function memberOf(id) {
  return members.get(Number(id));
}
const app = express();
app.post('/members', (req, res) => {
  members.set(req.body.id, { id: req.body.id, name: req.body.name });
  res.sendStatus(201);
});
app.patch('/members/:id', (req, res) => {
  const member = memberOf(req.params.id);
  member.name = req.body.name;
  res.json(member);
});
module.exports = app;
`;
    expect(planFirst({ [`${ROOT}/app.js`]: members }, 'no-in-memory-session', `${ROOT}/app.js`).refused?.reason).toBe(
      '`member.name = req.body.name` (app.js:13) changes in place a value a function returns from `members`, and the store would not keep the change',
    );
  });

  it('a value a function sets in a Map and returns, changed in place by a caller, is refused: the Map held that very array, the store a copy', () => {
    const guard = `const WINDOW_MS = 15 * 60 * 1000;
const failures = new Map();
function recent(email) {
  const now = Date.now();
  const times = (failures.get(email) ?? []).filter((at) => now - at < WINDOW_MS);
  failures.set(email, times);
  return times;
}
function lockedOut(email) {
  return recent(email).length >= 3;
}
function recordFailure(email) {
  recent(email).push(Date.now());
}
const app = require('express')();
app.post('/login', (req, res) => {
  if (lockedOut(req.body.email)) return res.sendStatus(429);
  recordFailure(req.body.email);
  res.sendStatus(401);
});
module.exports = app;
`;
    expect(planFirst({ [`${ROOT}/app.js`]: guard }, 'no-in-memory-session', `${ROOT}/app.js`).refused?.reason).toBe(
      '`recent(email).push(Date.now())` (app.js:13) changes in place a value a function returns from `failures`, and the store would not keep the change',
    );
    // Only read by its callers, the same value moves.
    const readOnly = guard.replace('  recent(email).push(Date.now());', '  failures.set(email, [...recent(email), Date.now()]);');
    const plan = movePlan({ [`${ROOT}/app.js`]: readOnly }, 'no-in-memory-session', `${ROOT}/app.js`);
    expect(applyPlan({ [`${ROOT}/app.js`]: readOnly }, plan)[`${ROOT}/app.js`]).toContain('  await failures.set(email, [...await recent(email), Date.now()]);');
  });

  it('a list of records counted against a limit moves to the Redis list, its count read from there', () => {
    const loans = `const express = require('express');
const app = express();
let loans = [];
app.post('/loans', (req, res) => {
  const open = loans.filter((loan) => loan.member === req.body.member && !loan.returned);
  if (open.length >= 3) return res.status(409).json({ error: 'three books at a time' });
  loans.push({ member: req.body.member, book: req.body.book, returned: false });
  res.sendStatus(201);
});
module.exports = app;
`;
    const plan = movePlan({ [`${ROOT}/app.js`]: loans }, 'no-in-memory-counter', `${ROOT}/app.js`);
    expect(plan.message).toBe('Keep the entries of `loans` in a Redis list every instance reads and counts (src/scaling/list.js)');
    expect(applyPlan({ [`${ROOT}/app.js`]: loans }, plan)[`${ROOT}/app.js`]).toContain('  const open = (await loans.all()).filter(');
  });
});

describe('planFixes: slow work that counts in its own process', () => {
  it('is refused: the worker would count in its copy, and the web process reads its own', () => {
    const mailer = `const nodemailer = require('nodemailer');
class Mailer {
  constructor() {
    this.transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
    this.sent = 0;
  }
  async send(to, subject) {
    await this.transport.sendMail({ to, subject });
    this.sent++;
  }
  receipt(to) {
    return this.send(to, 'Your receipt');
  }
}
module.exports = new Mailer();
`;
    const app = `const express = require('express');
const mailer = require('./mailer');
const app = express();
app.post('/orders', async (req, res) => {
  await mailer.receipt(req.body.email);
  res.json({ mailsSent: mailer.sent });
});
module.exports = app;
`;
    expect(planFirst({ [`${ROOT}/src/mailer.js`]: mailer, [`${ROOT}/src/app.js`]: app }, 'no-blocking-request-work', `${ROOT}/src/mailer.js`).refused?.reason).toBe(
      "`mailer.receipt(req.body.email)` changes `this.sent++` (src/mailer.js:9), which this process keeps and reads; run by the worker, it would change the worker's copy instead",
    );
  });
});
