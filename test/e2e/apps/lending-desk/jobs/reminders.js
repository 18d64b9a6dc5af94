const auth = require('../lib/auth');
const mailer = require('../lib/mailer');
const { findBook } = require('../routes/books');
const { openLoans } = require('../routes/loans');

const EVERY_HOUR = 60 * 60 * 1000;

// marks the loans past their due date and mails their borrowers, once per loan
async function remindOverdue() {
  const now = new Date().toISOString();
  for (const loan of openLoans()) {
    if (loan.overdue || loan.due > now) continue;
    loan.overdue = true;
    const member = auth.members.get(loan.memberId);
    const book = findBook(loan.bookId);
    if (member && book) {
      try {
        await mailer.overdueReminder(member, book);
      } catch (err) {
        console.error('reminder to ' + member.email + ' failed:', err.message);
      }
    }
  }
}

function start() {
  return setInterval(remindOverdue, EVERY_HOUR);
}

module.exports = { start, remindOverdue };
