import type * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { getRequestGraph } from '../index';
import { analyseTyped, analyseUntyped, describeFindings, removeAnalysedProjects } from '../testing/project-findings';

// Routes registered through a helper of the service's own that takes the handler as an argument
// (`setupApiRoute(router, 'post', '/login', [auth], users.login)` whose body calls `router[verb](name, …, tryRoute(controller))`):
// each call of the helper is a route, its handler the call's argument, its path the one the call gives.

afterAll(removeAnalysedProjects);

function untyped(files: Record<string, string>, file: string): { entries: string[]; findings: string[] } {
  const { sourceFile, findings, root, index } = analyseUntyped(files, file);
  const graph = getRequestGraph(sourceFile, { projectIndex: index, projectRoot: root });
  const where = (node: ts.Node): string => `${graph.displayPath(node.getSourceFile().fileName)}:${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  return {
    entries: graph.entries.map((entry) => `${entry.label} (${where(entry.registration)}) ${where(entry.handler)}`),
    findings: describeFindings(sourceFile, findings),
  };
}

function typed(files: Record<string, string>, file: string): string[] {
  const { sourceFile, findings } = analyseTyped(files, file);
  return describeFindings(sourceFile, findings);
}

const USERS = `const sessions = new Map();
exports.login = (req, res) => {
  sessions.set(req.body.token, req.body.user);
  res.sendStatus(204);
};
exports.list = (req, res) => res.json([...sessions.values()]);
`;

const sessionFinding = (route: string) => `1:7 no-in-memory-session: \`sessions\` holds per-user state in this process; it is written by ${route}. A second instance will not see it.`;

describe('a helper in another module that takes router, verb, path, middlewares and controller (CommonJS, untyped)', () => {
  // NodeBB's shape: a rest parameter read by position, the middlewares spread into the helper's own, the controller wrapped.
  const helpers = `const helpers = module.exports;
const auth = (req, res, next) => next();
helpers.setupApiRoute = function (...args) {
  const [router, verb, name] = args;
  let middlewares = args.length > 4 ? args[args.length - 2] : [];
  const controller = args[args.length - 1];
  middlewares = [auth, ...middlewares];
  router[verb](name, middlewares, helpers.tryRoute(controller, (err, res) => res.status(400).end()));
};
helpers.setupPageRoute = function (router, name, middlewares, controller) {
  router.get(name, middlewares, helpers.tryRoute(controller));
  router.get(\`/api\${name}\`, middlewares, helpers.tryRoute(controller));
};
helpers.tryRoute = function (controller, handler) {
  return async function (req, res, next) {
    try {
      await controller(req, res, next);
    } catch (err) {
      if (handler) return handler(err, res);
      next(err);
    }
  };
};
`;
  const write = `const router = require('express').Router();
const users = require('../users');
const { setupApiRoute } = require('./helpers');
const limit = (req, res, next) => next();
setupApiRoute(router, 'post', '/login', [limit], users.login);
setupApiRoute(router, 'get', '/users', users.list);
module.exports = router;
`;
  const app = `const express = require('express');
const helpers = require('./routes/helpers');
const users = require('./users');
const app = express();
app.use('/api/v3', require('./routes/write'));
helpers.setupPageRoute(app, '/people', [], users.list);
app.listen(3000);
`;

  it('each call is a route with the path it gives, under the router\'s mount, its middlewares and controller entries', () => {
    const result = untyped({ 'users.js': USERS, 'routes/helpers.js': helpers, 'routes/write.js': write, 'app.js': app }, 'users.js');
    expect(result.entries).toEqual([
      'GET /people (app.js:6) users.js:6',
      'GET /api/people (app.js:6) users.js:6',
      'POST /api/v3/login (routes/write.js:5) routes/write.js:4',
      'POST /api/v3/login (routes/write.js:5) users.js:2',
      'GET /api/v3/users (routes/write.js:6) users.js:6',
    ]);
    expect(result.findings).toEqual([sessionFinding('POST /api/v3/login (routes/write.js:5)')]);
  });

  it('quiet: the same calls in a test file, or in a development-only branch', () => {
    const spec = `const router = require('express').Router();
const users = require('../users');
const { setupApiRoute } = require('../routes/helpers');
setupApiRoute(router, 'post', '/login', [], users.login);
`;
    const devOnly = `const express = require('express');
const helpers = require('./routes/helpers');
const users = require('./users');
const app = express();
if (process.env.NODE_ENV === 'development') helpers.setupApiRoute(app, 'post', '/login', [], users.login);
helpers.setupPageRoute(app, '/people', [], users.list);
app.listen(3000);
`;
    // The production call of the other helper is a route: the helpers are seen, the test's and the development branch's calls are not.
    expect(untyped({ 'users.js': USERS, 'routes/helpers.js': helpers, 'test/write.test.js': spec, 'app.js': devOnly }, 'users.js')).toEqual({
      entries: ['GET /people (app.js:6) users.js:6', 'GET /api/people (app.js:6) users.js:6'],
      findings: [],
    });
  });
});

describe('routes registered in mount functions that take the controllers as a parameter', () => {
  // NodeBB's `_mounts.main = (app, middleware, controllers) => { setupPageRoute(app, '/search', [], controllers.search.search) }`,
  // called as `_mounts.main(app, middleware, controllers)` with the module's own `controllers`.
  const helpers = `const helpers = module.exports;
helpers.setupPageRoute = function (...args) {
  const [router, name] = args;
  const controller = args[args.length - 1];
  router.get(name, helpers.tryRoute(controller));
};
helpers.tryRoute = (controller) => async (req, res, next) => {
  try {
    await controller(req, res, next);
  } catch (err) {
    next(err);
  }
};
`;
  const controllers = `module.exports = { users: require('./users') };
`;
  const routes = `const controllers = require('./controllers');
const { setupPageRoute } = require('./helpers');
const _mounts = {};
_mounts.main = (app, middleware, controllers) => {
  setupPageRoute(app, '/login', [], controllers.users.login);
  app.get('/people', controllers.users.list);
};
module.exports = function (app, middleware) {
  _mounts.main(app, middleware, controllers);
};
`;
  const app = `const express = require('express');
const app = express();
require('./routes')(app, {});
app.listen(3000);
`;
  const files = { 'users.js': USERS, 'helpers.js': helpers, 'controllers.js': controllers, 'routes.js': routes, 'app.js': app };

  it('untyped: the parameter holds what the file\'s own calls hand it, through the helper and the plain route alike', () => {
    const result = untyped(files, 'users.js');
    expect(result.entries.filter((entry) => entry.includes('users.js'))).toEqual(['GET /people (routes.js:6) users.js:6', 'GET /login (routes.js:5) users.js:2']);
    expect(result.findings).toEqual([sessionFinding('GET /login (routes.js:5)')]);
  });

  it('typed (JavaScript): the helper destructured from the module is the member the checker knows', () => {
    expect(typed(files, 'users.js')).toEqual([sessionFinding('GET /login (routes.js:5)')]);
  });
});

describe('helpers written in the same file', () => {
  it('an arrow helper that wraps the handler, and a class method that registers on its own app (untyped)', () => {
    const app = `const express = require('express');
const users = require('./users');
const router = express.Router();
const asyncHandler = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
const get = (path, handler) => router.get(path, asyncHandler(handler));
get('/users', users.list);

class Server {
  constructor() {
    this.app = express();
  }
  route(method, path, handler) {
    this.app[method](path, (req, res, next) => handler(req, res).catch(next));
  }
  start() {
    this.app.use('/v1', router);
    this.route('post', '/login', users.login);
    this.app.listen(3000);
  }
}
new Server().start();
`;
    const result = untyped({ 'users.js': USERS, 'app.js': app }, 'users.js');
    expect(result.entries.filter((entry) => entry.includes('users.js'))).toEqual(['GET /v1/users (app.js:6) users.js:6', 'POST /login (app.js:17) users.js:2']);
    expect(result.findings).toEqual([sessionFinding('POST /login (app.js:17)')]);
  });

  it('typed: a helper exported from another module, the verb a parameter', () => {
    const files = {
      'src/users.ts': `const sessions = new Map<string, unknown>();
export const login = (req: any, res: any) => {
  sessions.set(req.body.token, req.body.user);
  res.sendStatus(204);
};
`,
      'src/route.ts': `import type { Express, Request, Response, NextFunction } from 'express';
type Handler = (req: Request, res: Response) => Promise<void> | void;
const wrap = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => Promise.resolve(handler(req, res)).catch(next);
export function route(app: Express, method: 'get' | 'post', path: string, handler: Handler): void {
  app[method](path, wrap(handler));
}
`,
      'src/app.ts': `import express from 'express';
import { route } from './route';
import { login } from './users';
const app = express();
route(app, 'post', '/login', login);
app.listen(3000);
`,
    };
    expect(typed(files, 'src/users.ts')).toEqual([sessionFinding('POST /login (src/app.ts:5)')]);
  });
});

describe('helpers that take the route as an object, or switch over the method', () => {
  it('untyped: register({ url, method, handle }) under a configured prefix, and a switch that registers one verb per case', () => {
    const register = `const app = require('./app');
const config = require('./config');
module.exports = {
  register: ({ url, method, handle }) => {
    method = method.toLowerCase();
    const prefix = config.prefix;
    app[method](\`\${prefix}\${url}\`, handle);
  },
  registerRoute(method, path, handler) {
    switch (method.toUpperCase()) {
      case 'GET':
        app.get(path, handler);
        break;
      case 'POST':
        app.post(path, handler);
        break;
    }
  },
};
`;
    const routes = `const { register, registerRoute } = require('./register');
const users = require('./users');
register({ url: '/login', method: 'POST', handle: users.login });
registerRoute('get', '/users', users.list);
`;
    const app = `const express = require('express');
const app = express();
module.exports = app;
require('./routes');
app.listen(3000);
`;
    const result = untyped({ 'users.js': USERS, 'config.js': 'module.exports = { prefix: process.env.PREFIX };\n', 'register.js': register, 'routes.js': routes, 'app.js': app }, 'users.js');
    expect(result.entries.filter((entry) => entry.includes('users.js'))).toEqual(['POST ${prefix}/login (routes.js:3) users.js:2', 'GET /users (routes.js:4) users.js:6']);
    expect(result.findings).toEqual([sessionFinding('POST ${prefix}/login (routes.js:3)')]);
  });
});

describe('quiet look-alikes: helpers that take a callback but register no route', () => {
  it('an event helper, a retry wrapper run at start-up, a cache helper, a client helper, a query helper, a model\'s getter', () => {
    const app = `const express = require('express');
const http = require('http');
const { EventEmitter } = require('events');
const users = require('./users');
const cache = new Map();
const emitter = new EventEmitter();
const database = require('./database');
const app = express();
const wrap = (fn) => (...args) => fn(...args);
function on(event, handler) {
  emitter.on(event, wrap(handler));
}
on('/login', users.login);
function retry(task) {
  return task().catch(() => task());
}
retry(async () => users.login({ body: {} }, { sendStatus() {} }));
function cached(path, loader) {
  return cache.get(path, wrap(loader));
}
cached('/login', users.login);
function getJson(path, done) {
  http.get(path, (res) => done(res));
}
getJson('/login', users.login);
function query(sql, callback) {
  database.all(sql, wrap(callback));
}
query('SELECT 1', users.login);
const Topics = require('./database');
function getTopic(path, uid) {
  return Topics.get(path, uid);
}
getTopic('/topics/1', users.login);
function route(path, handler) {
  app.get(path, wrap(handler));
}
route('/people', users.list);
app.listen(3000);
`;
    const result = untyped({ 'users.js': USERS, 'database.js': 'module.exports = {};\n', 'app.js': app }, 'users.js');
    // Only the route helper's call is a route (it reads the sessions, writes none); the helper's own
    // registration keeps its entry for the wrapper, as before.
    expect(result.entries).toEqual(['GET <path> (app.js:36) app.js:9', 'GET /people (app.js:38) users.js:6']);
    expect(result.findings).toEqual([]);
  });
});
