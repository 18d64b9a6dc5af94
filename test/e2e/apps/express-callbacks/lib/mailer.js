var nodemailer = require('nodemailer');
var config = require('../config');

var transporter;
if (process.env.SMTP_HOST) {
  transporter = nodemailer.createTransport({
    host: process.env.SMTP_HOST,
    port: Number(process.env.SMTP_PORT || 587),
    auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } : undefined
  });
} else {
  // dev: print the message instead of sending it
  transporter = nodemailer.createTransport({ jsonTransport: true });
}

exports.sendWelcome = function (member, callback) {
  transporter.sendMail({
    from: config.mailFrom,
    to: member.email,
    subject: 'Welcome to ' + config.siteName,
    text: 'Hi ' + member.name + ',\n\nthanks for joining ' + config.siteName + '.\n'
  }, callback);
};

exports.sendExportReady = function (email, file, callback) {
  transporter.sendMail({
    from: config.mailFrom,
    to: email,
    subject: 'Your export is ready',
    text: 'Download it at /exports/' + file
  }, callback);
};
