const express = require('express');
const cookieParser = require('cookie-parser');
const fs = require('fs');
const config = require('./config');
const auth = require('./lib/auth');
const mailer = require('./lib/mailer');
const reminders = require('./jobs/reminders');
const { openLoans } = require('./routes/loans');

fs.mkdirSync(config.uploadDir, { recursive: true });

const app = express();
app.use(express.json());
app.use(cookieParser());

app.get('/health', (req, res) => res.json({ ok: true, library: config.libraryName }));

app.use('/api', require('./routes/auth'));
app.use('/api/members', require('./routes/members'));
app.use('/api/books', require('./routes/books'));
app.use('/api/loans', require('./routes/loans'));

app.get('/api/stats', auth.requireLogin, (req, res) => {
  res.json({
    members: auth.members.size,
    onLoan: openLoans().length,
    overdue: openLoans().filter((l) => l.overdue).length,
    mailsSent: mailer.sent
  });
});

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'something went wrong' });
});

reminders.start();

app.listen(config.port, () => {
  console.log(config.libraryName + ' lending desk on port ' + config.port);
});
