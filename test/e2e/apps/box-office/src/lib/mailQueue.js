import nodemailer from 'nodemailer';
import config from '../config.js';

const transport = config.smtp ? nodemailer.createTransport(config.smtp) : nodemailer.createTransport({ jsonTransport: true });

// Mail goes out in the background so a checkout never waits for the mail server.
const queue = [];
let sending = false;

export function enqueueMail(message) {
  queue.push({ from: `${config.venue.name} <${config.venue.boxOfficeEmail}>`, ...message });
}

async function drain() {
  if (sending) return;
  sending = true;
  try {
    while (queue.length > 0) {
      const message = queue.shift();
      try {
        await transport.sendMail(message);
      } catch (err) {
        console.error('mail to %s failed: %s', message.to, err.message);
      }
    }
  } finally {
    sending = false;
  }
}

export function startMailWorker() {
  setInterval(drain, 2000);
}
