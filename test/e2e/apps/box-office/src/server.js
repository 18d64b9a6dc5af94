import http from 'node:http';
import { mkdirSync } from 'node:fs';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import config from './config.js';
import { initDatabase } from './db.js';
import { authRoutes } from './auth.js';
import { showRoutes } from './routes/shows.js';
import { orderRoutes } from './routes/orders.js';
import { attachLive } from './lib/live.js';
import { startMailWorker } from './lib/mailQueue.js';
import { venueSettings } from './lib/venue.js';
import { startJobs } from './jobs.js';

mkdirSync(config.uploadDir, { recursive: true });
await initDatabase();

const app = express();
app.use(express.json());
app.use(session({
  secret: config.sessionSecret,
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: true, sameSite: 'lax', maxAge: 8 * 60 * 60 * 1000 },
}));
app.use(passport.session());

app.get('/health', (req, res) => res.json({ ok: true, venue: venueSettings().name }));
app.use(authRoutes);
app.use(showRoutes);
app.use(orderRoutes);

app.use((err, req, res, next) => {
  console.error(err);
  res.status(err.status || 500).json({ error: err.expose ? err.message : 'something went wrong' });
});

const server = http.createServer(app);
attachLive(server);
server.listen(config.port, () => console.log(`box office on ${config.port}`));
startMailWorker();
startJobs();
