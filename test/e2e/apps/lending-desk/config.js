var fs = require('fs');
var path = require('path');

// settings.json is edited by the office manager; read it once when the server starts
var settings = JSON.parse(fs.readFileSync(path.join(__dirname, 'settings.json'), 'utf8'));

module.exports = {
  port: process.env.PORT || 3000,
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, 'uploads'),
  libraryName: settings.libraryName,
  mailFrom: settings.mailFrom,
  maxLoans: settings.maxLoansPerMember,
  // how long each kind of item may be borrowed, in days
  loanDays: {
    book: 21,
    magazine: 7,
    dvd: 7
  }
};
