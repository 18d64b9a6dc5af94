import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Idioms of services written before classes and ES modules settled: a socket server object made by
// an `init` into a module variable, its middleware registered with `io.use`; cleanup timers that run
// SQL through the service's own query wrapper from a module that imports with ES syntax but exports
// with `module.exports` (Babel's output); shell commands run through shelljs; a download tally
// buffered per instance and flushed by a timer.

afterAll(removeAnalysedProjects);

const socketServer = {
  'io/server.js': `const sio = require('socket.io');

class SocketServer {
  constructor() {
    this.attempts = new Map();
    this.openSockets = new Map();
  }

  throttleHandshake(socket, next) {
    const ip = socket.handshake.address;
    const attempts = (this.attempts.get(ip) || 0) + 1;
    this.attempts.set(ip, attempts);
    if (attempts > 5) return next(new Error('Rate limit exceeded'));
    next();
  }

  handleConnection(socket) {
    const ip = socket.handshake.address;
    this.openSockets.set(ip, (this.openSockets.get(ip) || 0) + 1);
    socket.once('disconnect', () => this.openSockets.set(ip, this.openSockets.get(ip) - 1));
  }

  start(httpServer) {
    const io = this.io = sio(httpServer);
    io.use(this.throttleHandshake.bind(this));
    io.on('connection', this.handleConnection.bind(this));
  }
}

let instance = null;

module.exports = {
  init(httpServer) {
    if (instance !== null) throw new Error('already started');
    instance = new SocketServer();
    instance.start(httpServer);
  },
};
`,
  'main.js': `const http = require('http');
const server = http.createServer().listen(8080);
require('./io/server').init(server);
`,
};

describe('a socket server object an init makes into a module variable, with io.use middleware', () => {
  const expected = [
    "5:10 no-in-memory-counter: `attempts` counts in this process; it is changed by socket handshake (io/server.js:25). Each instance keeps its own count, so totals and limits are wrong once there is more than one.",
    "6:10 no-in-memory-counter: `openSockets` counts in this process; it is changed by socket connection (io/server.js:26). Each instance keeps its own count, so totals and limits are wrong once there is more than one.",
  ];

  it('the handshake throttle and the open-socket count are the process’s one instance’s (untyped)', () => {
    expect(untypedFindings(socketServer, 'io/server.js', ['no-in-memory-counter'])).toEqual(expected);
  });

  it('the same, typed', () => {
    expect(typedFindings(socketServer, 'io/server.js', ['no-in-memory-counter'])).toEqual(expected);
  });

  it('look-alike: a module variable a route sets to a new game on every request holds no process-wide instance', () => {
    const files = {
      'games.js': `const express = require('express');
class Game {
  constructor() {
    this.moves = new Map();
  }
  play(player) {
    this.moves.set(player, (this.moves.get(player) || 0) + 1);
  }
}
let lastGame = null;
const app = express();
app.post('/games', (req, res) => {
  const previous = lastGame;
  lastGame = new Game();
  lastGame.play(req.body.player);
  res.json({ moves: lastGame.moves.size, previous: previous !== null });
});
app.listen(8080);
`,
    };
    expect(untypedFindings(files, 'games.js', ['no-in-memory-counter'])).toEqual([]);
    expect(typedFindings(files, 'games.js', ['no-in-memory-counter'])).toEqual([]);
  });
});

const cleanupTimers = {
  'database.js': `import { promisify } from 'util';
const knex = require('knex')({ client: 'mysql' });

module.exports.query = function (statement, params, callback) {
  knex.raw(statement, params).then((rows) => callback(null, rows), callback);
};

module.exports.cleanOldAliases = function (maxAge, callback) {
  var statement = 'DELETE FROM aliases WHERE time < ?';
  module.exports.query(statement, [Date.now() - maxAge], callback);
};

module.exports.countAliases = function (callback) {
  var statement = 'SELECT COUNT(*) AS n FROM aliases';
  module.exports.query(statement, [], callback);
};

module.exports.queryAsync = promisify(module.exports.query);
`,
  'tasks.js': `var db = require('./database');
var aliasCount = 0;

module.exports = function startTasks() {
  setInterval(function () {
    db.cleanOldAliases(7 * 86400000, function (err) {
      if (err) console.error(err);
    });
  }, 3600000);
  setInterval(function () {
    db.countAliases(function (err, rows) {
      if (!err) aliasCount = rows[0].n;
    });
  }, 60000);
};
`,
  'server.js': `const http = require('http');
const express = require('express');
const app = express();
app.get('/aliases/count', (req, res) => res.json({ ok: true }));
http.createServer(app).listen(8080);
require('./tasks')();
`,
};

describe('cleanup timers running SQL through a query wrapper of a Babel-style module', () => {
  const expected = [
    "5:3 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `db.cleanOldAliases()` writes to the database (`module.exports.query`) every hour. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
  ];

  it('the deleting job is reported, the counting one is not (untyped)', () => {
    expect(untypedFindings(cleanupTimers, 'tasks.js', ['no-in-process-scheduler'])).toEqual(expected);
  });

  it('the same, typed: the checker reads database.js as an ES module without its module.exports members, syntax finds them', () => {
    expect(typedFindings(cleanupTimers, 'tasks.js', ['no-in-process-scheduler'])).toEqual(expected);
  });
});

const backupRoute = {
  'backup.ts': `import express from 'express';
import shell from 'shelljs';

const app = express();
app.post('/admin/backup', (req, res) => {
  if (!shell.which('mongodump')) return res.status(500).end();
  shell.rm('-rf', 'dump.prev');
  shell.mv('dump', 'dump.prev');
  const result = shell.exec('mongodump --out dump');
  shell.exec('zip -r dump.zip dump', { async: true }, (code) => console.log('zipped', code));
  res.json({ code: result.code, files: shell.ls('dump').length });
});
app.listen(8080);
`,
};

describe('shelljs commands on a request path', () => {
  const expected = [
    "7:3 no-blocking-request-work: `shell.rm` blocks the event loop on POST /admin/backup (backup.ts:5): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
    "8:3 no-blocking-request-work: `shell.mv` blocks the event loop on POST /admin/backup (backup.ts:5): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
    "9:18 no-blocking-request-work: `shell.exec` blocks the event loop on POST /admin/backup (backup.ts:5): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
    "11:40 no-blocking-request-work: `shell.ls` blocks the event loop on POST /admin/backup (backup.ts:5): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
  ];

  it('every command is synchronous but `which` and an exec given a callback (untyped)', () => {
    expect(untypedFindings(backupRoute, 'backup.ts', ['no-blocking-request-work'])).toEqual(expected);
  });

  it('the same, typed', () => {
    expect(typedFindings(backupRoute, 'backup.ts', ['no-blocking-request-work'])).toEqual(expected);
  });
});

const downloadTally = (flush: string) => ({
  'downloads.js': `const express = require('express');
const db = require('./db');

let pending = new Map();
const app = express();
app.get('/packages/:name/download', (req, res) => {
  const count = (pending.get(req.params.name) || 0) + 1;
  pending.set(req.params.name, count);
  res.redirect('https://cdn.example.com/' + req.params.name);
});
${flush}
app.listen(8080);
`,
  'db.js': `exports.addDownloads = async function (name, count) {
  return { name, count };
};
`,
});

describe('a download tally counted through a local and flushed by a timer', () => {
  const flushed = `setInterval(async () => {
  const totals = [];
  for (const [name, count] of pending) totals.push([name, count]);
  pending = new Map();
  for (const [name, count] of totals) await db.addDownloads(name, count);
}, 5000);`;

  it('is this instance’s pending work, handed on whole and emptied (untyped and typed)', () => {
    expect(untypedFindings(downloadTally(flushed), 'downloads.js', ['no-in-memory-counter'])).toEqual([]);
    expect(typedFindings(downloadTally(flushed), 'downloads.js', ['no-in-memory-counter'])).toEqual([]);
  });

  it('look-alike: never flushed, the tally is a count per instance', () => {
    const expected = [
      "4:5 no-in-memory-counter: `pending` counts in this process; it is changed by GET /packages/:name/download (downloads.js:6). Each instance keeps its own count, so totals and limits are wrong once there is more than one.",
    ];
    expect(untypedFindings(downloadTally(''), 'downloads.js', ['no-in-memory-counter'])).toEqual(expected);
    expect(typedFindings(downloadTally(''), 'downloads.js', ['no-in-memory-counter'])).toEqual(expected);
  });
});

const mailController = (send: string) => ({
  'controller/email.js': `class EmailController {
  constructor(mailer, config) {
    this.mailer = mailer;
    this.config = config;
  }

  async sendPasswordReset({ address, url }) {
    ${send}
  }
}

module.exports = { EmailController };
`,
  'app.js': `const express = require('express');
const nodemailer = require('nodemailer');
const { EmailController } = require('./controller/email');

const emails = new EmailController(nodemailer.createTransport({ host: 'smtp.example.com' }), { from: 'noreply@example.com' });
const app = express();
app.post('/account/passwordreset', async (req, res) => {
  await emails.sendPasswordReset({ address: req.body.email, url: 'https://example.com/reset' });
  res.sendStatus(204);
});
app.listen(8080);
`,
});

describe('a mail controller handed its transport', () => {
  it('the reset route waits for the transport’s sendMail (untyped and typed)', () => {
    const files = mailController("return await this.mailer.sendMail({ from: this.config.from, to: address, subject: 'Reset', text: url });");
    const expected = [
      '8:18 no-blocking-request-work: `this.mailer.sendMail` holds the request open on POST /account/passwordreset (app.js:7) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untypedFindings(files, 'controller/email.js', ['no-blocking-request-work'])).toEqual(expected);
    expect(typedFindings(files, 'controller/email.js', ['no-blocking-request-work'])).toEqual(expected);
  });

  it('look-alike: the send handed a logging callback leaves the request free', () => {
    const files = mailController("this.mailer.sendMail({ from: this.config.from, to: address, subject: 'Reset', text: url }, (error) => error && console.error(error));");
    expect(untypedFindings(files, 'controller/email.js', ['no-blocking-request-work'])).toEqual([]);
    expect(typedFindings(files, 'controller/email.js', ['no-blocking-request-work'])).toEqual([]);
  });
});
