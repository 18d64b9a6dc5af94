const nodemailer = require('nodemailer');
const config = require('../config');

class Mailer {
  constructor() {
    if (process.env.SMTP_HOST) {
      this.transport = nodemailer.createTransport({
        host: process.env.SMTP_HOST,
        port: Number(process.env.SMTP_PORT || 587),
        auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } : undefined
      });
    } else {
      // no SMTP server on a laptop: render the message as JSON instead
      this.transport = nodemailer.createTransport({ jsonTransport: true });
    }
    this.sent = 0;
  }

  async send(to, subject, text) {
    const info = await this.transport.sendMail({ from: config.mailFrom, to, subject, text });
    this.sent++;
    return info;
  }

  loanReceipt(member, book, loan) {
    return this.send(member.email, 'You borrowed ' + book.title,
      'Hi ' + member.name + ',\n\nplease bring "' + book.title + '" back by ' + loan.due.slice(0, 10) + '.\n\n' + config.libraryName);
  }

  overdueReminder(member, book) {
    return this.send(member.email, 'Overdue: ' + book.title,
      'Hi ' + member.name + ',\n\n"' + book.title + '" was due back. Someone else may be waiting for it.\n\n' + config.libraryName);
  }
}

module.exports = new Mailer();
