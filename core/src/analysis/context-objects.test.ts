import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A service's context object: made once at start-up, handed to every module's factory, which the
// start-up code keeps on it (`ctx.cache = require('./cache')(env, ctx)`), then read by the route
// modules through their own parameter (`module.exports = function (env, ctx) { … ctx.cache.x() … }`),
// as nightscout does; `services.users = createUsers(services)` then `createRouter(services)` elsewhere.

afterAll(removeAnalysedProjects);

/** Start-up that gets its `ctx` from a boot library (nightscout's `bootevent`): no file creates the object. */
const boot = {
  'server.js': `const express = require('express');
require('./boot')(function booted(ctx) {
  const app = express();
  app.use('/api', require('./api')(ctx.settings, ctx));
  app.listen(3000);
});
`,
  'boot.js': `const bootevent = require('bootevent');
module.exports = function boot(done) {
  bootevent().acquire(setup).boot(done);
};
function setup(ctx, next) {
  ctx.settings = { units: 'mg/dl', exportFolder: '/srv/export' };
  ctx.stats = require('./stats')(ctx.settings, ctx);
  ctx.exporter = require('./exporter')(ctx);
  next();
}
`,
  'stats.js': `function init(settings, ctx) {
  function stats() {
    return stats;
  }
  const hits = {};
  stats.count = function (ip) {
    hits[ip] = (hits[ip] || 0) + 1;
    return hits[ip];
  };
  return stats();
}
module.exports = init;
`,
  'exporter.js': `const fs = require('fs');
module.exports = function (ctx) {
  const exporter = {};
  exporter.exportAll = function (folder) {
    fs.writeFileSync(folder + '/pages.json', '[]');
  };
  return exporter;
};
`,
  'api.js': `const express = require('express');
module.exports = function (settings, ctx) {
  const api = express.Router();
  api.post('/export', (req, res) => {
    ctx.exporter.exportAll(ctx.settings.exportFolder);
    res.json({ hits: ctx.stats.count(req.ip), units: ctx.settings.units });
  });
  return api;
};
`,
};

const exportHazard = [
  '5:5 no-blocking-request-work: `fs.writeFileSync` blocks the event loop on POST /export (api.js:4): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
  "5:5 no-local-disk-write: `fs.writeFileSync` writes to this instance's local disk on POST /export (api.js:4). Other instances will not find the file, and it is lost when this instance is replaced.",
];
const countHazard = ['5:9 no-in-memory-counter: `hits` counts in this process; it is changed by POST /export (api.js:4). Each instance keeps its own count, so totals and limits are wrong once there is more than one.'];

describe('a call through a context object handed to factories', () => {
  it("nightscout's shape: `ctx.exporter = require('./exporter')(ctx)` at boot, `ctx.exporter.exportAll()` in a route factory's handler (untyped and typed)", () => {
    expect(untyped(boot, 'exporter.js')).toEqual(exportHazard);
    expect(typed(boot, 'exporter.js')).toEqual(exportHazard);
  });

  it('state of a factory the context holds: `function stats() { return stats; } stats.count = …; return stats();` (untyped and typed)', () => {
    expect(untyped(boot, 'stats.js')).toEqual(countHazard);
    expect(typed(boot, 'stats.js')).toEqual(countHazard);
  });
});

/** `createServices()` wires the services object in TypeScript; `createRouter(services)` is handed it. */
const services = {
  'src/server.ts': `import express from 'express';
import { createServices } from './services';
import { createRouter } from './router';
const app = express();
const services = createServices();
app.use('/api', createRouter(services));
app.listen(3000);
`,
  'src/services.ts': `import { createLimiter } from './limiter';
import { createMailer } from './mailer';
export function createServices() {
  const services: any = {};
  services.limiter = createLimiter(services);
  services.mailer = createMailer(services);
  services.config = { maxAttempts: 5 };
  return services;
}
`,
  'src/limiter.ts': `export function createLimiter(services: any) {
  const attempts = new Map<string, number>();
  return {
    attempt(ip: string): boolean {
      const count = (attempts.get(ip) ?? 0) + 1;
      attempts.set(ip, count);
      return count <= services.config.maxAttempts;
    },
  };
}
`,
  'src/mailer.ts': `export function createMailer(services: any) {
  return { send: (to: string) => console.log('mail', to, services.config.maxAttempts) };
}
`,
  'src/router.ts': `import { Router } from 'express';
export function createRouter(services: any) {
  const router = Router();
  router.post('/login', (req, res) => {
    if (!services.limiter.attempt(req.ip)) return res.sendStatus(429);
    services.mailer.send(req.body.email);
    res.sendStatus(204);
  });
  return router;
}
`,
};

const attemptsHazard = [
  '2:9 no-in-memory-counter: `attempts` counts in this process; it is changed by POST /login (src/router.ts:4). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
];

describe('a services object made by a factory', () => {
  it('`services.limiter = createLimiter(services)`: the router handed `services` reaches the limiter\'s Map (untyped and typed)', () => {
    expect(untyped(services, 'src/limiter.ts')).toEqual(attemptsHazard);
    expect(typed(services, 'src/limiter.ts')).toEqual(attemptsHazard);
  });
});

/** A module factory's parameter is what its caller hands it: `authorization.endpoints = require('./endpoints')(authorization)`. */
const authorization = {
  'server.js': `const express = require('express');
const app = express();
const authorization = require('./authorization')({});
app.use('/auth', authorization.endpoints);
app.listen(3000);
`,
  'authorization/index.js': `function init(env) {
  const delays = require('./delays')(env);
  const addFailure = delays.addFailure;
  const authorization = {};
  var storage = authorization.storage = require('./storage')(env);
  authorization.check = function (token, ip) {
    const ok = storage.findSubject(token) !== undefined;
    if (!ok) addFailure(ip);
    return ok;
  };
  authorization.endpoints = require('./endpoints')(env, authorization);
  return authorization;
}
module.exports = init;
`,
  'authorization/delays.js': `function init(env) {
  const failures = {};
  failures.addFailure = function (ip) {
    failures[ip] = (failures[ip] || 0) + 1;
  };
  return failures;
}
module.exports = init;
`,
  'authorization/storage.js': `function init(env) {
  const storage = {};
  storage.subjects = [];
  function create(collection) {
    function doCreate(subject) {
      storage.subjects.push(subject);
    }
    return doCreate;
  }
  storage.createSubject = create('subjects');
  storage.findSubject = function (token) {
    return storage.subjects.find((subject) => subject.token === token);
  };
  return storage;
}
module.exports = init;
`,
  'authorization/endpoints.js': `const express = require('express');
function init(env, authorization) {
  const endpoints = express.Router();
  endpoints.post('/subjects', (req, res) => {
    authorization.storage.createSubject(req.body);
    res.sendStatus(201);
  });
  endpoints.get('/check/:token', (req, res) => {
    res.json({ ok: authorization.check(req.params.token, req.ip) });
  });
  return endpoints;
}
module.exports = init;
`,
};

describe("a factory's parameter, from the call that hands it", () => {
  it("`require('./endpoints')(env, authorization)`: the endpoints reach the storage's subjects through `authorization.storage.createSubject`, the function `create()` made (untyped and typed)", () => {
    const hazard = ['2:9 no-in-memory-session: `storage` holds application data in this process; it is written by POST /subjects (authorization/endpoints.js:4). A second instance will not see it.'];
    expect(untyped(authorization, 'authorization/storage.js')).toEqual(hazard);
    expect(typed(authorization, 'authorization/storage.js')).toEqual(hazard);
  });

  it('`const addFailure = delays.addFailure` in a factory: calling the alias runs the member (untyped and typed)', () => {
    const hazard = ['2:9 no-in-memory-counter: `failures` counts in this process; it is changed by GET /check/:token (authorization/endpoints.js:8). Each instance keeps its own count, so totals and limits are wrong once there is more than one.'];
    expect(untyped(authorization, 'authorization/delays.js')).toEqual(hazard);
    expect(typed(authorization, 'authorization/delays.js')).toEqual(hazard);
  });
});

describe('quiet look-alikes', () => {
  it('the context is used at start-up only, and routes read its configuration: nothing on a request path', () => {
    const startupOnly = {
      ...boot,
      'boot.js': boot['boot.js'].replace('  next();', '  ctx.exporter.exportAll(ctx.settings.exportFolder);\n  next();'),
      'api.js': `const express = require('express');
module.exports = function (settings, ctx) {
  const api = express.Router();
  api.get('/units', (req, res) => {
    res.json({ units: ctx.settings.units, folder: ctx.settings.exportFolder });
  });
  return api;
};
`,
    };
    expect(untyped(startupOnly, 'exporter.js')).toEqual([]);
    expect(typed(startupOnly, 'exporter.js')).toEqual([]);
    expect(untyped(startupOnly, 'stats.js')).toEqual([]);
  });

  it('a context that holds a Redis-backed store, a database pool and a logger: the route reaches them, none keeps state here', () => {
    const shared = {
      ...boot,
      'boot.js': `const bootevent = require('bootevent');
module.exports = function boot(done) {
  bootevent().acquire(setup).boot(done);
};
function setup(ctx, next) {
  ctx.settings = { redisUrl: process.env.REDIS_URL };
  ctx.store = require('./store')(ctx.settings, ctx);
  ctx.db = require('./db')(ctx.settings, ctx);
  ctx.log = require('./log')(ctx);
  next();
}
`,
      'store.js': `const { createClient } = require('redis');
module.exports = function (settings, ctx) {
  const client = createClient({ url: settings.redisUrl });
  const store = {};
  store.save = function (id, value) {
    return client.set('item:' + id, JSON.stringify(value));
  };
  return store;
};
`,
      'db.js': `const { Pool } = require('pg');
module.exports = function (settings, ctx) {
  const pool = new Pool();
  return { insert: (row) => pool.query('insert into items values ($1)', [row]) };
};
`,
      'log.js': `module.exports = function (ctx) {
  function log(message) {
    console.log(new Date().toISOString(), message);
  }
  log.info = log;
  return log;
};
`,
      'api.js': `const express = require('express');
module.exports = function (settings, ctx) {
  const api = express.Router();
  api.post('/items/:id', async (req, res) => {
    await ctx.store.save(req.params.id, req.body);
    await ctx.db.insert(req.body);
    ctx.log.info('saved ' + req.params.id);
    res.sendStatus(204);
  });
  return api;
};
`,
    };
    for (const file of ['store.js', 'db.js', 'log.js']) {
      expect(untyped(shared, file)).toEqual([]);
      expect(typed(shared, file)).toEqual([]);
    }
  });

  it("a handler's own object with members hung on it (`const summary = {}; summary.byCol = {}`) is the request's, not a namespace's", () => {
    const handlerLocal = {
      ...boot,
      'api.js': `const express = require('express');
module.exports = function (settings, ctx) {
  const api = express.Router();
  api.get('/summary', (req, res) => {
    const summary = {};
    summary.byCol = {};
    for (const col of req.query.cols || []) summary.byCol[col] = ctx.settings.units;
    res.json(summary);
  });
  return api;
};
`,
    };
    expect(untyped(handlerLocal, 'api.js')).toEqual([]);
    expect(typed(handlerLocal, 'api.js')).toEqual([]);
  });

  it("a Koa middleware that gives each request's `ctx` objects made for it: their state is the request's own", () => {
    const koa = {
      'server.js': `const Koa = require('koa');
const Router = require('@koa/router');
const { createCart } = require('./cart');
const { loadPrefs } = require('./prefs');
const app = new Koa();
const router = new Router();
app.use(async (ctx, next) => {
  ctx.cart = createCart(ctx);
  ctx.prefs = loadPrefs(ctx);
  await next();
});
router.post('/cart', (ctx) => {
  ctx.cart.add(ctx.request.body);
  ctx.body = { items: ctx.cart.count(), theme: ctx.prefs.theme };
});
app.use(router.routes());
app.listen(3000);
`,
      'cart.js': `exports.createCart = function (ctx) {
  const items = [];
  return {
    add(item) {
      items.push(item);
    },
    count() {
      return items.length;
    },
  };
};
`,
      'prefs.js': `exports.loadPrefs = function (ctx) {
  return { theme: ctx.query.theme || 'light' };
};
`,
    };
    expect(untyped(koa, 'cart.js')).toEqual([]);
    expect(typed(koa, 'cart.js')).toEqual([]);
  });

  it("a test's own wiring of the context (`ctx.stats = require('../stats')(…)` in a test) is not what the service holds", () => {
    const { 'boot.js': bootFile, ...rest } = boot;
    const testWired = {
      ...rest,
      'boot.js': bootFile.replace("  ctx.stats = require('./stats')(ctx.settings, ctx);\n", "  ctx.stats = require('./noop-stats')(ctx);\n"),
      'noop-stats.js': `module.exports = function (ctx) {
  return { count: () => 0 };
};
`,
      'test/api.test.js': `const ctx = {};
ctx.settings = {};
ctx.stats = require('../stats')(ctx.settings, ctx);
ctx.exporter = require('../exporter')(ctx);
`,
    };
    expect(untyped(testWired, 'stats.js')).toEqual([]);
    expect(typed(testWired, 'stats.js')).toEqual([]);
    expect(untyped(testWired, 'exporter.js')).toEqual(exportHazard);
  });
});
