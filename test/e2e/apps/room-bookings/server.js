'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const express = require('express');
const session = require('express-session');
const config = require('./config');
const { migrate } = require('./lib/db');
const auth = require('./lib/auth');
const { attachSockets, onlineCount } = require('./lib/sockets');
const { startJobs } = require('./jobs');

fs.mkdirSync(config.uploadDir, { recursive: true });

const app = express();
const sessionMiddleware = session({
  secret: config.sessionSecret,
  resave: false,
  saveUninitialized: false,
  cookie: { maxAge: 8 * 60 * 60 * 1000 },
});

app.use(express.json());
app.use(sessionMiddleware);
app.use(express.static(path.join(__dirname, 'public')));
app.use('/uploads', express.static(config.uploadDir));

app.get('/health', (req, res) => res.json({ ok: true }));
app.use('/api', auth.router);
app.use('/api/rooms', require('./routes/rooms'));
app.use('/api/bookings', require('./routes/bookings'));
app.use('/api', require('./routes/events'));
app.get('/api/online', auth.requireUser, (req, res) => res.json({ online: onlineCount() }));

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'something went wrong' });
});

const server = http.createServer(app);
attachSockets(server, sessionMiddleware);

migrate()
  .then(() => {
    startJobs();
    server.listen(config.port, () => console.log(`room bookings on :${config.port}`));
  })
  .catch((err) => {
    console.error('could not start', err);
    process.exit(1);
  });
