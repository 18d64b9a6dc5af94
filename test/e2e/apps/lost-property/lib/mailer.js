var nodemailer = require('nodemailer');
var config = require('../config');

var transport = config.smtp ? nodemailer.createTransport(config.smtp) : nodemailer.createTransport({ jsonTransport: true });

function claimReceived(claim, item) {
  return transport.sendMail({
    from: config.office.sender,
    to: claim.email,
    subject: 'We have your claim for item ' + item.id,
    text:
      'Hello ' + claim.name + ',\n\nWe received your claim for "' + item.description + '". ' +
      'Bring a photo ID to ' + config.office.desk + '.\n\n' + config.office.office,
  });
}

function unclaimedReport(items) {
  return transport.sendMail({
    from: config.office.sender,
    to: config.office.sender,
    subject: items.length + ' items go to charity today',
    text: items.map(function (i) { return i.id + ' ' + i.description; }).join('\n'),
  });
}

module.exports = { claimReceived: claimReceived, unclaimedReport: unclaimedReport };
