'use strict';

const express = require('express');
const { bus, since } = require('../lib/notifications');
const { requireUser } = require('../lib/auth');

const router = express.Router();

// catch-up for clients that were offline
router.get('/notifications', requireUser, (req, res) => {
  res.json({ notifications: since(Number(req.query.after) || 0) });
});

// server-sent events for the dashboard
router.get('/events', requireUser, (req, res) => {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  const send = (n) => res.write(`id: ${n.id}\nevent: ${n.type}\ndata: ${JSON.stringify(n.payload)}\n\n`);
  since(Number(req.get('Last-Event-ID')) || 0).forEach(send);
  bus.on('notification', send);
  req.on('close', () => bus.off('notification', send));
});

module.exports = router;
