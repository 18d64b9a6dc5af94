import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// What a process keeps to run its own code, written on request paths: templates a template engine
// compiled (Handlebars, Pug, lodash), memoised by the source they came from, and the callbacks of its
// requests to a child process, kept under a message id until the child answers. Round 27 of
// test/real-world (a newsletter server's mail-template memos and report-executor callbacks) had them
// reported as sessions; written here in other shapes (the callbacks' map, so written, was a lock). A map of rendered pages per user, and one of
// what a user asked for under a message id, stay sessions.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session', 'no-in-process-lock'];

const files = {
  'render.js': `const _ = require('lodash');
const fs = require('fs');
const hash = require('object-hash');

let compiled = new Map();
let pagesByUser = new Map();

function loadView(view, next) {
  const key = typeof view === 'string' ? view : hash(view);
  if (compiled.has(key)) return next(null, compiled.get(key));
  const finish = (text) => {
    let fn = _.template(text);
    compiled.set(key, fn);
    next(null, fn);
  };
  if (typeof view !== 'string') return finish(view.source);
  fs.readFile(view, 'utf8', (err, text) => {
    if (err) return next(err);
    finish(text);
  });
}

exports.renderMail = (mail, view, next) => {
  loadView(view.body, (err, fn) => {
    if (err) return next(err);
    mail.html = fn(view.data);
    next(null, mail);
  });
};

exports.remember = (user, html) => {
  pagesByUser.set(user, { html, at: Date.now() });
};
`,
  'worker.js': `const { fork } = require('child_process');

const child = fork('./child.js');
const pending = {};
const asked = {};
let seq = 0;

exports.run = (job, startedCallback, finishedCallback) => {
  pending[seq] = { startedCallback, finishedCallback };
  child.send({ seq, job });
  seq++;
};

exports.ask = (user, question) => {
  asked[seq] = { user, question };
  child.send({ seq, question });
  seq++;
};

child.on('message', (message) => {
  const callbacks = pending[message.seq];
  if (callbacks) callbacks.finishedCallback(message.result);
  delete pending[message.seq];
});
`,
  'app.js': `const express = require('express');
const render = require('./render');
const worker = require('./worker');

const app = express();
app.post('/preview', (req, res) => {
  render.renderMail({ to: req.body.email }, { body: 'views/mail.html', data: { name: req.body.name } }, () => undefined);
  render.remember(req.body.user, req.body.html);
  res.send('ok');
});
app.post('/reports/:id/run', (req, res) => {
  worker.run(req.params.id, () => undefined, () => undefined);
  worker.ask(req.body.user, req.body.question);
  res.status(202).end();
});
app.listen(3000);
`,
};

describe("templates a template engine compiled, and callbacks kept for a child process, are this process's own", () => {
  it('the compiled-template memos and the pending callbacks are not reported; pages kept per user and questions kept per message stay sessions (untyped)', () => {
    expect(untyped(files, 'render.js', RULES)).toEqual([
      '6:5 no-in-memory-session: `pagesByUser` holds per-user state in this process; it is written by POST /preview (app.js:6). A second instance will not see it.',
    ]);
    expect(untyped(files, 'worker.js', RULES)).toEqual([
      '5:7 no-in-memory-session: `asked` holds application data in this process; it is written by POST /reports/:id/run (app.js:11). A second instance will not see it.',
    ]);
  });
  it('the same typed', () => {
    expect(typed(files, 'render.js', RULES)).toEqual([
      '6:5 no-in-memory-session: `pagesByUser` holds per-user state in this process; it is written by POST /preview (app.js:6). A second instance will not see it.',
    ]);
    expect(typed(files, 'worker.js', RULES)).toEqual([
      '5:7 no-in-memory-session: `asked` holds application data in this process; it is written by POST /reports/:id/run (app.js:11). A second instance will not see it.',
    ]);
  });
});
