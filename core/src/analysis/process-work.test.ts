import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';

/** Every state finding of one JavaScript file, typed or untyped: `rule line:column message`. */
function stateFindings(code: string, typed: boolean): string[] {
  const fileName = '/project/src/app.js';
  const program = typed ? createProgram({ [fileName]: code }) : undefined;
  const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const rules = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'] as const;
  return analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: [...rules] }).map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${finding.ruleId} ${line + 1}:${character + 1} ${finding.message}`;
  });
}

const EXPRESS = `const express = require('express');
const app = express();
`;

describe.each([false, true])('what a process keeps about its own work (typed: %s)', (typed) => {
  it("express-rate-limit without a store in the one-process branch, whose other branch gives the same limiter a Redis store, is quiet; a condition between two limiters without a store reports both", () => {
    const code = `${EXPRESS}const { rateLimit } = require('express-rate-limit');
const { RedisStore } = require('rate-limit-redis');
const limiters = new Map();
function addLimiter(id, limit, redis) {
  if (redis) {
    limiters.set(id, rateLimit({ windowMs: 60000, max: limit, store: new RedisStore({ prefix: 'rl:' + id, sendCommand: (...args) => redis.call(...args) }) }));
  } else {
    limiters.set(id, rateLimit({ windowMs: 60000, max: limit }));
  }
}
const apiLimiter = process.env.STRICT ? rateLimit({ windowMs: 60000, max: 5 }) : rateLimit({ windowMs: 60000, max: 50 });
app.use('/api', apiLimiter);
module.exports = { addLimiter };
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-counter 13:41 express-rate-limit counts requests in this process (the default MemoryStore). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
      'no-in-memory-counter 13:82 express-rate-limit counts requests in this process (the default MemoryStore). Behind a load balancer every instance allows the full limit, so clients get N times the limit.',
    ]);
  });

  it("the last entry a function hands to its logger is this process's copy of its log; the last order a user placed, also logged, is theirs", () => {
    const code = `${EXPRESS}const logger = require('./logger');
let lastReport = null;
let lastOrder = null;
function reportUser(board, reporter, reported) {
  const entry = { board, reporter, reported, at: Date.now() };
  lastReport = entry;
  logger.warn('user.reported', entry);
}
function getLastReport() {
  return lastReport;
}
function resetReports() {
  lastReport = null;
}
app.post('/boards/:board/reports', express.json(), (req, res) => {
  reportUser(req.params.board, req.user.id, req.body.userId);
  res.sendStatus(202);
});
app.post('/orders', express.json(), (req, res) => {
  const order = { ...req.body, user: req.user.id };
  lastOrder = order;
  logger.info('order placed', order);
  res.status(201).json(order);
});
app.get('/orders/last', (req, res) => res.json(lastOrder));
module.exports = { getLastReport, resetReports };
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 5:5 `lastOrder` holds application data in this process; it is written by POST /orders (src/app.js:21). A second instance will not see it.',
    ]);
  });

  it("the numbers of a module that runs a pool of forked workers count that pool; a quota counted beside a one-off command stays a counter", () => {
    const code = `${EXPRESS}const { fork, spawn } = require('child_process');
const POOL_SIZE = 4;
let workers = [];
let jobCounter = 0;
let generation = 0;
let bootFailures = 0;
let circuitOpenUntil = 0;
let conversionsToday = 0;
const pending = new Map();

function spawnWorker() {
  const proc = fork(__dirname + '/eval-worker.js');
  const worker = { proc, busy: false, generation };
  proc.on('message', (message) => {
    worker.busy = false;
    bootFailures = 0;
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  proc.on('exit', () => {
    workers = workers.filter((w) => w !== worker);
    bootFailures++;
    if (bootFailures >= 3) circuitOpenUntil = Date.now() + 30000;
  });
  return worker;
}

function restartPool() {
  generation++;
  for (const w of workers) w.proc.kill();
  workers = [];
}

function runInSandbox(code) {
  if (circuitOpenUntil > Date.now()) return Promise.reject(new Error('sandbox unavailable'));
  let worker = workers.find((w) => !w.busy);
  if (!worker && workers.length < POOL_SIZE) {
    worker = spawnWorker();
    workers.push(worker);
  }
  const id = ++jobCounter;
  worker.busy = true;
  worker.proc.send({ id, code });
  return new Promise((resolve) => pending.set(id, resolve));
}

app.post('/evaluate', express.json(), async (req, res) => {
  res.json({ result: await runInSandbox(req.body.code) });
});
app.post('/admin/sandbox/restart', (req, res) => {
  restartPool();
  res.sendStatus(204);
});
app.post('/convert', (req, res) => {
  if (conversionsToday >= 1000) return res.status(429).end();
  conversionsToday++;
  spawn('pandoc', ['-o', '/dev/stdout']).stdout.pipe(res);
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-counter 10:5 `conversionsToday` counts in this process; it is changed by POST /convert (src/app.js:56). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
  });

  it("a cache's hits and misses counted where it answers are this process's statistics; a page's hits alone are its visitors", () => {
    const code = `${EXPRESS}const db = require('./db');
function createCache(opts) {
  const entries = new Map();
  const cache = {};
  cache.name = opts.name;
  cache.hits = 0;
  cache.misses = 0;
  cache.get = function (key) {
    const value = entries.get(key);
    if (value === undefined) {
      cache.misses += 1;
    } else {
      cache.hits += 1;
    }
    return value;
  };
  cache.set = function (key, value) {
    entries.set(key, value);
  };
  return cache;
}
const userCache = createCache({ name: 'users', ttl: 60000 });
const page = { hits: 0 };
app.get('/users/:id', async (req, res) => {
  let user = userCache.get(req.params.id);
  if (!user) {
    user = await db.users.findById(req.params.id);
    userCache.set(req.params.id, user);
  }
  page.hits += 1;
  res.json({ user, views: page.hits });
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-process-local-cache 5:9 `entries` caches shared data in this process; it is written by GET /users/:id (src/app.js:26). When another instance changes that data, this copy stays stale until this process restarts.',
      'no-in-memory-counter 25:7 `page` counts in this process; it is changed by GET /users/:id (src/app.js:26). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
  });

  it('elements of a list a plugin hook returns are the process’s, not what the request passed; elements of what the request sent stay a session', () => {
    const code = `${EXPRESS}const hooks = require('./hooks');
const supported = new Set(['b', 'i', 'ul']);
const grants = new Map();
function makeCollector(options) {
  hooks.callAll('registerElements').forEach((element) => {
    supported.add(element);
  });
  return { options, supported };
}
function grant(userId, roles) {
  roles.forEach((role) => grants.set(userId + ':' + role, true));
}
app.post('/import', (req, res) => {
  res.json(makeCollector(req.body));
});
app.post('/roles', (req, res) => {
  grant(req.user.id, req.body.roles);
  res.end();
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 5:7 `grants` holds per-user state in this process; it is written by POST /roles (src/app.js:18). A second instance will not see it.',
    ]);
  });

  it('a class that watches folders (chokidar, fs.watch, a copy of `watcher` under libs/) keeps its own account of this disk; the same fields in a class that watches nothing stay sessions', () => {
    const code = `${EXPRESS}const chokidar = require('chokidar');
const fs = require('fs');
const Watcher = require('./libs/watcher/watcher');
class FolderWatcher {
  constructor() {
    this.watchers = [];
    this.filesBeingAdded = new Set();
    this.ignoreDirs = [];
  }
  watchLibrary(library) {
    const watcher = chokidar.watch(library.paths);
    this.watchers.push({ id: library.id, paths: library.paths, watcher });
  }
  onFileAdded(path) {
    this.filesBeingAdded.add(path);
  }
  addIgnoreDir(path) {
    this.ignoreDirs.push(path);
  }
}
class ConfigWatcher {
  constructor() { this.seen = new Set(); }
  watch(file) { fs.watch(file, () => {}); }
  note(path) { this.seen.add(path); }
}
class LibraryWatcher {
  constructor() { this.pending = []; }
  start(paths) { return new Watcher(paths); }
  queue(update) { this.pending.push(update); }
}
class Uploads {
  constructor() { this.ignoreDirs = []; this.byUser = new Map(); }
  addIgnoreDir(path) { this.ignoreDirs.push(path); }
  remember(userId, upload) { this.byUser.set(userId, upload); }
}
const folders = new FolderWatcher();
const config = new ConfigWatcher();
const library = new LibraryWatcher();
const uploads = new Uploads();
app.post('/libraries', (req, res) => {
  folders.watchLibrary(req.body);
  folders.onFileAdded(req.body.path);
  folders.addIgnoreDir(req.body.dir);
  config.note(req.body.path);
  library.queue(req.body);
  uploads.addIgnoreDir(req.body.dir);
  uploads.remember(req.user.id, req.body);
  res.end();
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 34:24 `ignoreDirs` holds application data in this process; it is written by POST /libraries (src/app.js:42). A second instance will not see it.',
      'no-in-memory-session 34:46 `byUser` holds per-user state in this process; it is written by POST /libraries (src/app.js:42). A second instance will not see it.',
    ]);
  });

  it('a queue of jobs taken one at a time, capped or not, and the index that keeps a job from being queued twice, are this process’s work; a mailbox per user, players waiting for a match (taken where they are added, or two at a time) and a window of request times stay reported', () => {
    const code = `${EXPRESS}const mailer = require('./mailer');
const settings = require('./settings');
class Notifier {
  constructor() {
    this.sending = false;
    this.backlog = [];
  }
  trigger(event) {
    if (this.sending) {
      if (this.backlog.length >= settings.maxBacklog) return;
      this.backlog.push(event);
      return;
    }
    this.sending = true;
    mailer.send(event).then(() => this.finished());
  }
  finished() {
    setTimeout(() => {
      this.sending = false;
      if (this.backlog.length) this.trigger(this.backlog.shift());
    }, 1000);
  }
}
class ConnectQueue {
  constructor() {
    this.queue = [];
    this.queued = new Map();
  }
  isQueued(id) { return this.queued.has(id); }
  push(id, work) {
    if (this.isQueued(id)) return false;
    this.queued.set(id, true);
    this.queue.push({ id, work });
    setImmediate(() => this.process());
    return true;
  }
  process() {
    const task = this.queue.shift();
    if (!task) return;
    this.queued.delete(task.id);
    task.work();
  }
}
const notifier = new Notifier();
const connections = new ConnectQueue();
const mailboxes = {};
const hits = [];
const waiting = [];
app.post('/notify', (req, res) => {
  notifier.trigger(req.body);
  connections.push(req.body.id, () => mailer.send(req.body));
  res.end();
});
app.post('/messages/:to', (req, res) => {
  mailboxes[req.params.to] = mailboxes[req.params.to] || [];
  mailboxes[req.params.to].push(req.body.text);
  res.end();
});
app.get('/messages', (req, res) => {
  res.json(mailboxes[req.user.id].shift());
});
const pairs = [];
app.post('/match', (req, res) => {
  const opponent = waiting.shift();
  if (!opponent) {
    waiting.push(req.user.id);
    return res.json({ waiting: true });
  }
  res.json({ opponent });
});
app.post('/lobby', (req, res) => {
  pairs.push(req.user.id);
  res.end();
});
setInterval(() => {
  while (pairs.length >= 2) mailer.send({ players: [pairs.shift(), pairs.shift()] });
}, 1000);
app.get('/limited', (req, res) => {
  const now = Date.now();
  while (hits.length && hits[0] < now - 60000) hits.shift();
  if (hits.length >= 100) return res.status(429).end();
  hits.push(now);
  res.end();
});
`;
    expect(stateFindings(code, typed)).toEqual([
      // The busy flag the notifier gives back when its work is done is a lock (each instance sends at once); its backlog is this process's work.
      'no-in-process-lock 7:10 `sending` guards work only within this process; it is taken by POST /notify (src/app.js:51). A request on another instance does not see it and runs the same work at the same time.',
      'no-in-memory-session 48:7 `mailboxes` holds application data in this process; it is written by POST /messages/:to (src/app.js:56) and 1 other route. A second instance will not see it.',
      'no-in-memory-counter 49:7 `hits` counts in this process; it is changed by GET /limited (src/app.js:80). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
      'no-in-memory-session 50:7 `waiting` holds application data in this process; it is written by POST /match (src/app.js:65). A second instance will not see it.',
      'no-in-memory-counter 64:7 `pairs` counts in this process; it is changed by POST /lobby (src/app.js:73). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
  });

  it('what only debug routes write is that process’s diagnostics; the same write behind a real route stays a session', () => {
    const code = `${EXPRESS}const seen = [];
const grants = [];
function check(permission) {
  seen.push(permission);
}
function grant(permission) {
  grants.push(permission);
}
app.get('/debug/check/:permission', (req, res) => {
  check(req.params.permission);
  res.json({ check: true });
});
app.post('/grants/:permission', (req, res) => {
  grant(req.params.permission);
  res.end();
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 4:7 `grants` holds per-user state in this process; it is written by POST /grants/:permission (src/app.js:15). A second instance will not see it.',
    ]);
  });

  it('a list of the tasks this process runs, added when a scan starts and taken out by the same scan when it ends through the manager’s helpers, (an early return after finishing it too) is its own work; a session kept until logout, a cart, an upload removed only on its last chunk, a wizard draft a return leaves behind and a token expired by a timer stay reported', () => {
    const code = `${EXPRESS}class TaskManager {
  constructor() {
    this.tasks = [];
  }
  addTask(task) {
    this.tasks.push(task);
    io.emit('task_started', task.toJSON());
  }
  taskFinished(task) {
    if (this.tasks.some((t) => t.id === task.id)) {
      this.tasks = this.tasks.filter((t) => t.id !== task.id);
      io.emit('task_finished', task.toJSON());
    }
  }
  createAndAddTask(action, title) {
    const task = new Task(action, title);
    this.addTask(task);
    return task;
  }
}
const taskManager = new TaskManager();
const sessions = new Map();
const carts = new Map();
const uploads = {};
const resetTokens = new Map();
const drafts = [];
async function scan(library) {
  const task = taskManager.createAndAddTask('scan', library.name);
  try {
    await library.walk();
    task.setFinished();
  } catch (err) {
    task.setFailed(err);
  }
  taskManager.taskFinished(task);
}
function expireLater(token) {
  setTimeout(() => resetTokens.delete(token), 60000);
}
async function embed(item) {
  const task = new Task('embed', item.title);
  taskManager.addTask(task);
  if (!(await item.isWritable())) {
    task.setFailed('not writable');
    taskManager.taskFinished(task);
    return;
  }
  await item.writeTags();
  taskManager.taskFinished(task);
}
function saveStep(draft) {
  drafts.push(draft);
  if (!draft.done) return;
  drafts.splice(drafts.indexOf(draft), 1);
}
app.post('/libraries/:id/scan', async (req, res) => {
  await scan(req.body.library);
  res.end();
});
app.post('/items/:id/embed', async (req, res) => {
  await embed(req.body.item);
  res.end();
});
app.post('/wizard', (req, res) => {
  saveStep(req.body);
  res.end();
});
app.get('/tasks', (req, res) => res.json(taskManager.tasks));
app.post('/login', (req, res) => {
  sessions.set(req.body.token, req.body.user);
  res.end();
});
app.post('/logout', (req, res) => {
  sessions.delete(req.body.token);
  res.end();
});
app.post('/cart', (req, res) => {
  carts.set(req.user.id, req.body.items);
  res.end();
});
app.post('/checkout', (req, res) => {
  carts.delete(req.user.id);
  res.end();
});
app.post('/chunk', async (req, res) => {
  const file = req.body.file;
  if (req.body.index === 0) uploads[file.id] = { parts: [] };
  uploads[file.id].parts.push(req.body.etag);
  if (req.body.index === req.body.total - 1) {
    await complete(uploads[file.id]);
    delete uploads[file.id];
  }
  res.end();
});
app.post('/reset', (req, res) => {
  const token = req.body.token;
  resetTokens.set(token, req.body.email);
  expireLater(token);
  res.end();
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 24:7 `sessions` holds per-user state in this process; it is written by POST /login (src/app.js:71) and 1 other route. A second instance will not see it.',
      'no-in-memory-session 25:7 `carts` holds per-user state in this process; it is written by POST /cart (src/app.js:79) and 1 other route. A second instance will not see it.',
      'no-in-memory-session 26:7 `uploads` holds application data in this process; it is written by POST /chunk (src/app.js:87). A second instance will not see it.',
      'no-in-memory-session 27:7 `resetTokens` holds per-user state in this process; it is written by POST /reset (src/app.js:97). A second instance will not see it.',
      'no-in-memory-session 28:7 `drafts` holds application data in this process; it is written by POST /wizard (src/app.js:66). A second instance will not see it.',
    ]);
  });

  it('start times and token counts kept by listeners handed to a package’s callback manager (llamaindex) trace this process’s own model calls, as do the methods they call; a listener on the project’s own bus that a login emits to stays a session', () => {
    const code = `${EXPRESS}const { Settings } = require('llamaindex');
const EventEmitter = require('events');
const bus = new EventEmitter();
class EvaluationTracer {
  static listening = false;
  static startTimes = new Map();
  static tokenCounts = new Map();
  constructor(id) {
    this.evaluationRunId = id;
    EvaluationTracer.listen();
  }
  static listen() {
    if (EvaluationTracer.listening) return;
    Settings.callbackManager.on('llm-start', (event) => {
      const id = event.reason.caller.evaluationRunId;
      EvaluationTracer.startTimes.set(id, event.timeStamp);
      EvaluationTracer.tokenCounts.set(id, 0);
    });
    Settings.callbackManager.on('llm-end', (event) => {
      const id = event.reason.caller.evaluationRunId;
      EvaluationTracer.report(id, event.timeStamp - EvaluationTracer.startTimes.get(id));
    });
    EvaluationTracer.listening = true;
  }
  static report(id, elapsed) {
    EvaluationTracer.tokenCounts.set(id, elapsed);
    EvaluationTracer.startTimes.delete(id);
  }
}
const logins = new Map();
bus.on('login', (user) => {
  logins.set(user.token, user);
});
app.post('/evaluations', async (req, res) => {
  const tracer = new EvaluationTracer(req.body.id);
  await runEvaluation(tracer, req.body);
  res.end();
});
app.post('/login', (req, res) => {
  bus.emit('login', { token: req.body.token, name: req.body.name });
  res.end();
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 32:7 `logins` holds per-user state in this process; it is written by POST /login (src/app.js:41). A second instance will not see it.',
    ]);
  });

  it('a list of shutdown handlers that requests only take entries out of (`handlers = handlers.filter(…)`, `splice(i, 1)`) is filled elsewhere; a list a request also adds to stays reported', () => {
    const code = `${EXPRESS}class ShutdownHelper {
  static add(key, callback) {
    this.handlers.push({ key, callback });
  }
  static remove(key) {
    this.handlers = this.handlers.filter((handler) => handler.key !== key);
  }
}
ShutdownHelper.handlers = [];
const waiting = [];
let banned = [];
async function release(lock) {
  try {
    await lock.release();
  } finally {
    ShutdownHelper.remove(lock.key);
  }
}
app.post('/unlock', async (req, res) => {
  await release(req.body.lock);
  waiting.splice(waiting.indexOf(req.body.lock), 1);
  res.end();
});
app.post('/ban', (req, res) => {
  banned.push(req.body.user);
  res.end();
});
app.post('/unban', (req, res) => {
  banned = banned.filter((user) => user !== req.body.user);
  res.end();
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 13:5 `banned` holds application data in this process; it is written by POST /ban (src/app.js:26) and 1 other route. A second instance will not see it.',
    ]);
  });

  it('a list of promises of work this process runs, only waited on with Promise.all, is pending work; records a request pushes, and promises a status route looks into, stay sessions', () => {
    const code = `${EXPRESS}const propertyLoads = [];
const drafts = [];
const jobs = [];
async function transform(nodes) {
  nodes.forEach((node) => {
    const task = fetchProps(node.id).then((props) => {
      node.props = props;
    });
    propertyLoads.push(task);
  });
  await Promise.all(propertyLoads);
  return nodes;
}
app.post('/transform', async (req, res) => {
  res.json(await transform(req.body.nodes));
});
app.post('/drafts', (req, res) => {
  drafts.push(req.body.draft);
  res.end();
});
app.post('/jobs', (req, res) => {
  jobs.push(runExport(req.body).then(() => 'done'));
  res.json({ id: jobs.length - 1 });
});
app.get('/jobs/:id', async (req, res) => {
  res.json({ state: await jobs[req.params.id] });
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 4:7 `drafts` holds application data in this process; it is written by POST /drafts (src/app.js:19). A second instance will not see it.',
      'no-in-memory-session 5:7 `jobs` holds application data in this process; it is written by POST /jobs (src/app.js:23). A second instance will not see it.',
    ]);
  });

  it('a stack popped again by the call that pushed (a renderer’s context) is empty between requests; an undo history pushed by one route and popped by another stays a session', () => {
    const code = `${EXPRESS}const ejs = require('ejs');
exports.info = { files: [], args: [] };
const history = [];
function render(file, args) {
  exports.info.args.push(args);
  exports.info.files.push({ path: file });
  const html = ejs.render(file, args);
  exports.info.files.pop();
  exports.info.args.pop();
  return html;
}
app.get('/page/:name', (req, res) => {
  res.send(render(req.params.name, { user: req.user }));
});
app.post('/edit', (req, res) => {
  history.push(req.body);
  res.end();
});
app.post('/undo', (req, res) => {
  res.json(history.pop());
});
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 5:7 `history` holds application data in this process; it is written by POST /edit (src/app.js:17) and 1 other route. A second instance will not see it.',
    ]);
  });

  it('metric states added at start-up and on requests, read only by an OpenTelemetry batch callback, are gauges of this process; the same set also answered by a route stays a session', () => {
    const code = `${EXPRESS}const { metrics } = require('@opentelemetry/api');
const meter = metrics.getMeter('app');
const sizeStates = new Set();
const seenStates = new Set();
const overflow = { bytes: 0 };
sizeStates.add(overflow);
seenStates.add(overflow);
meter.addBatchObservableCallback((observer) => {
  for (const state of sizeStates) observer.observe(state.bytes);
  for (const state of seenStates) observer.observe(state.bytes);
}, []);
app.post('/upload', (req, res) => {
  const state = { bytes: Number(req.headers['content-length']) };
  sizeStates.add(state);
  seenStates.add(state);
  res.end();
});
app.get('/states', (req, res) => res.json([...seenStates]));
`;
    expect(stateFindings(code, typed)).toEqual([
      'no-in-memory-session 6:7 `seenStates` holds application data in this process; it is written by POST /upload (src/app.js:14). A second instance will not see it.',
    ]);
  });
});

