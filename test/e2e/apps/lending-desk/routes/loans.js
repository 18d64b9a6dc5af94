const express = require('express');
const config = require('../config');
const auth = require('../lib/auth');
const mailer = require('../lib/mailer');
const { findBook } = require('./books');

const router = express.Router();

let loans = [];
let nextLoanId = 1;

const DAY = 24 * 60 * 60 * 1000;

function showLoan(loan) {
  const book = findBook(loan.bookId);
  return {
    id: loan.id,
    bookId: loan.bookId,
    title: book ? book.title : '(removed)',
    memberId: loan.memberId,
    due: loan.due,
    returned: loan.returnedAt !== null,
    overdue: loan.overdue
  };
}

router.use(auth.requireLogin);

// the librarian sees every loan, a member their own
router.get('/', (req, res) => {
  const mine = req.member.role === 'librarian' ? loans : loans.filter((l) => l.memberId === req.member.id);
  res.json({ count: mine.length, loans: mine.map(showLoan) });
});

router.post('/', async (req, res, next) => {
  try {
    const book = findBook(req.body.bookId);
    if (!book) return res.status(404).json({ error: 'no such book' });
    if (book.available < 1) return res.status(409).json({ error: 'every copy is out' });
    const open = loans.filter((l) => l.memberId === req.member.id && l.returnedAt === null);
    if (open.length >= config.maxLoans) return res.status(409).json({ error: 'bring something back first' });
    book.available = book.available - 1;
    const loan = {
      id: nextLoanId++,
      bookId: book.id,
      memberId: req.member.id,
      due: new Date(Date.now() + config.loanDays[book.kind] * DAY).toISOString(),
      returnedAt: null,
      overdue: false
    };
    loans.push(loan);
    await mailer.loanReceipt(req.member, book, loan);
    res.status(201).json({ loan: showLoan(loan) });
  } catch (err) {
    next(err);
  }
});

router.post('/:id/return', (req, res) => {
  const loan = loans.find((l) => l.id === Number(req.params.id));
  if (!loan) return res.status(404).json({ error: 'no such loan' });
  if (loan.memberId !== req.member.id && req.member.role !== 'librarian') return res.status(403).json({ error: 'not your loan' });
  if (loan.returnedAt) return res.status(409).json({ error: 'already returned' });
  loan.returnedAt = new Date().toISOString();
  loan.overdue = false;
  const book = findBook(loan.bookId);
  if (book) book.available++;
  res.json({ loan: showLoan(loan) });
});

// the librarian clears the history now and then
router.delete('/returned', auth.requireLibrarian, (req, res) => {
  const before = loans.length;
  loans = loans.filter((l) => l.returnedAt === null);
  res.json({ removed: before - loans.length });
});

function openLoans() {
  return loans.filter((l) => l.returnedAt === null);
}

module.exports = router;
module.exports.openLoans = openLoans;
