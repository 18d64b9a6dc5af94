import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// An in-process event bus: a route emits an event with the data it wrote, and a listener registered at
// start-up (in another module, on the same emitter) keeps that data or takes a lock. The listener runs
// synchronously inside `emit`, on the request's path.

afterAll(removeAnalysedProjects);

const server = `const express = require('express');
const bus = require('./bus');
const db = require('./db');
require('./cache');
require('./exports');
const app = express();
app.post('/posts', async (req, res) => {
  const post = await db.insert(req.body);
  bus.emit('post-saved', post);
  res.json(post);
});
app.post('/exports', (req, res) => {
  bus.emit('export-requested', { by: req.body.user });
  res.sendStatus(202);
});
app.get('/posts/:id', (req, res) => res.json(require('./cache').get(req.params.id)));
app.listen(3000);
`;

const moduleBus = {
  'server.js': server,
  'bus.js': `const { EventEmitter } = require('events');
module.exports = new EventEmitter();
`,
  'db.js': `exports.insert = async (row) => ({ id: 1, ...row });
`,
  'cache.js': `const bus = require('./bus');
const posts = new Map();
bus.on('post-saved', function remember(post) {
  posts.set(post.id, post);
});
exports.get = (id) => posts.get(id);
`,
  'exports.js': `const bus = require('./bus');
const archive = require('./archive');
let exporting = false;
bus.on('export-requested', async (job) => {
  if (exporting) return;
  exporting = true;
  try {
    await archive.build(job);
  } finally {
    exporting = false;
  }
});
`,
  'archive.js': `exports.build = async (job) => job;
`,
};

const cacheHazard = [
  '2:7 no-process-local-cache: `posts` caches shared data in this process; it is written by POST /posts (server.js:7). When another instance changes that data, this copy stays stale until this process restarts.',
];
const lockHazard = [
  '3:5 no-in-process-lock: `exporting` guards work only within this process; it is taken by POST /exports (server.js:12). A request on another instance does not see it and runs the same work at the same time.',
];

describe('listeners of an in-process event bus run on the path of the request that emits', () => {
  it('a module exporting an EventEmitter: the route emits with the saved row, a listener in another module caches it (untyped and typed)', () => {
    expect(untyped(moduleBus, 'cache.js')).toEqual(cacheHazard);
    expect(typed(moduleBus, 'cache.js')).toEqual(cacheHazard);
  });

  it('a busy flag taken and released by a listener of an emitted event (untyped and typed)', () => {
    expect(untyped(moduleBus, 'exports.js')).toEqual(lockHazard);
    expect(typed(moduleBus, 'exports.js')).toEqual(lockHazard);
  });

  it('the path says which event reached which listener', () => {
    for (const analysed of [analyseUntyped(moduleBus, 'cache.js'), analyseTyped(moduleBus, 'cache.js')]) {
      expect(analysed.findings[0].path.map((step) => step.label)).toEqual(['POST /posts', "emits 'post-saved' → remember()", 'writes posts']);
    }
  });

  it('a bus kept on a context object (`ctx.bus = require(\'./bus\')(ctx)` at boot), emitted on by a route factory, listened to by the cache factory (untyped and typed)', () => {
    const hazard = [
      '2:9 no-process-local-cache: `data` caches shared data in this process; it is written by POST /treatments (api.js:4). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(contextBus, 'cache.js')).toEqual(hazard);
    expect(typed(contextBus, 'cache.js')).toEqual(hazard);
  });

  it("a socket's message handler that takes and gives back an entry is not a lock: the entry waits for the next message (untyped)", () => {
    const files = {
      'server.js': `const { Server } = require('socket.io');
const io = new Server(3000);
const drawing = {};
io.on('connection', (socket) => {
  socket.on('draw', async (room) => {
    if (drawing[room]) return;
    drawing[room] = socket.id;
    try {
      await socket.timeout(1000).emitWithAck('ready', room);
    } finally {
      delete drawing[room];
    }
  });
});
`,
    };
    expect(untyped(files, 'server.js').filter((finding) => finding.includes('no-in-process-lock'))).toEqual([]);
  });

  it('a signal without data: the listener reloads a copy of the posts, which the other instances never get the signal for (untyped and typed)', () => {
    const files = { ...lookAlikes, 'listeners.js': reloadOnSignal };
    const expected = [
      '3:5 no-process-local-cache: `all` caches shared data in this process; it is written by POST /posts (server.js:6). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'listeners.js')).toEqual(expected);
    expect(typed(files, 'listeners.js')).toEqual(expected);
  });

  it('quiet: another emitter with the same event, a flag keeping apart two runs of what a signal starts in this process, `process` events', () => {
    expect(untyped(lookAlikes, 'listeners.js')).toEqual([]);
    expect(typed(lookAlikes, 'listeners.js')).toEqual([]);
  });
});

/** nightscout's shape: the bus and the cache are made by factories at boot and reached through `ctx`. */
const contextBus = {
  'server.js': `const express = require('express');
require('./boot')(function booted(ctx) {
  const app = express();
  app.use('/api', require('./api')(ctx));
  app.listen(3000);
});
`,
  'boot.js': `const bootevent = require('bootevent');
module.exports = function boot(done) {
  bootevent().acquire(setup).boot(done);
};
function setup(ctx, next) {
  ctx.bus = require('./bus')(ctx);
  ctx.cache = require('./cache')(ctx);
  ctx.store = require('./store')(ctx);
  next();
}
`,
  'bus.js': `const Stream = require('stream');
module.exports = function init(ctx) {
  const stream = new Stream();
  stream.readable = true;
  return stream;
};
`,
  'store.js': `module.exports = function (ctx) {
  return {
    async create(doc) {
      ctx.bus.emit('data-update', { type: 'treatments', changes: doc });
      return doc;
    },
  };
};
`,
  'cache.js': `module.exports = function cache(ctx) {
  const data = { treatments: [] };
  function dataChanged(operation) {
    data[operation.type] = data[operation.type].concat(operation.changes);
  }
  ctx.bus.on('data-update', dataChanged);
  data.getData = (type) => data[type].slice();
  return data;
};
`,
  'api.js': `const express = require('express');
module.exports = function (ctx) {
  const api = express.Router();
  api.post('/treatments', async (req, res) => {
    res.json(await ctx.store.create(req.body));
  });
  api.get('/treatments', (req, res) => res.json(ctx.cache.getData('treatments')));
  return api;
};
`,
};

const lookAlikes = {
  'server.js': `const express = require('express');
const bus = require('./bus');
const db = require('./db');
require('./listeners');
const app = express();
app.post('/posts', async (req, res) => {
  const post = await db.insert(req.body);
  bus.emit('post-saved', post);
  bus.emit('posts-changed');
  process.emit('post-warning', { id: post.id });
  res.json(post);
});
app.listen(3000);
`,
  'bus.js': `const { EventEmitter } = require('events');
module.exports = new EventEmitter();
`,
  'db.js': `exports.insert = async (row) => ({ id: 1, ...row });
exports.list = async () => [];
`,
  'listeners.js': `const { EventEmitter } = require('events');
const bus = require('./bus');
const db = require('./db');
const audit = new EventEmitter();
const seen = new Map();
audit.on('post-saved', (post) => {
  seen.set(post.id, post);
});
let reloading = false;
bus.on('posts-changed', async () => {
  if (reloading) return;
  reloading = true;
  try {
    await db.insert({ digest: (await db.list()).length });
  } finally {
    reloading = false;
  }
});
const warnings = new Map();
process.on('post-warning', (warning) => {
  warnings.set(warning.id, warning);
});
bus.on('post-saved', (post) => console.log('saved', post.id));
exports.list = () => all;
exports.seen = (id) => seen.get(id) || warnings.get(id);
`,
};

const reloadOnSignal = `const bus = require('./bus');
const db = require('./db');
let all = [];
bus.on('posts-changed', async () => {
  all = await db.list();
});
exports.list = () => all;
`;
