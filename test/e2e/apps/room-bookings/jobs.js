'use strict';

const { db } = require('./lib/db');
const { notify } = require('./lib/notifications');

let lastDigestAt = new Date();

// every minute: how many bookings came in, written down for the office manager's report
async function digest() {
  const from = lastDigestAt;
  lastDigestAt = new Date();
  const [{ count }] = await db('bookings').where('created_at', '>', from).count('* as count');
  if (Number(count) === 0) return;
  await db('digests').insert({ bookings: Number(count) });
  notify('digest', { bookings: Number(count) });
}

function startJobs() {
  setInterval(() => {
    digest().catch((err) => console.error('digest failed', err));
  }, 60 * 1000);

  // keep a connection warm so the first request after a quiet night is not slow
  setInterval(() => {
    db.raw('select 1').catch(() => {});
  }, 30 * 1000).unref();
}

module.exports = { startJobs, digest };
