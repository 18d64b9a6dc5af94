'use strict';

const express = require('express');
const settings = require('./lib/settings');
const db = require('./lib/db');
const store = require('./lib/store');
const sessions = require('./lib/sessions');
const accounts = require('./services/AccountService');
const auth = require('./handlers/auth');
const documents = require('./handlers/documents');
const status = require('./handlers/status');

const app = express();

app.use((req, res, next) => {
  store.stats.requests++;
  next();
});

const json = express.json();

app.get('/health', status.health);
app.get('/stats', status.stats);
app.post('/login', json, auth.login);
app.get('/whoami', sessions.requireSession, auth.whoami);
app.post('/logout', sessions.requireSession, auth.logout);

app.get('/documents', sessions.requireSession, documents.list);
app.put('/documents/:name', sessions.requireSession, documents.upload);
app.get('/documents/:name', sessions.requireSession, documents.download);
app.get('/documents/:name/preview', sessions.requireSession, documents.preview);
app.get('/documents/:name/comments', sessions.requireSession, documents.comments);
app.post('/documents/:name/comments', sessions.requireSession, json, documents.comment);

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'internal' });
});

async function main() {
  await db.init();
  await accounts.seed('admin', process.env.ADMIN_PASSWORD || 'admin');
  await accounts.seed('editor', process.env.EDITOR_PASSWORD || 'editor');
  sessions.startSweeper();
  app.listen(settings.port, () => console.log(`docstore on :${settings.port}`));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
