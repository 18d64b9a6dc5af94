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

describe('a helper that runs a controller\'s action by name, called from tables of actions per controller (yapi\'s createAction)', () => {
  // `router[method](baseurl + path, async (ctx) => { const inst = new Controller(ctx); await inst[action].call(inst, ctx) })`,
  // called per row of `{ action, path, method }` tables keyed by controller, and once directly.
  const commons = `exports.createAction = (router, baseurl, routerController, action, path, method) => {
  router[method](baseurl + path, async (ctx) => {
    const inst = new routerController(ctx);
    try {
      await inst.init(ctx);
      await inst[action].call(inst, ctx);
    } catch (err) {
      ctx.body = { errcode: 400 };
    }
  });
};
`;
  const base = `class baseController {
  constructor(ctx) {
    this.ctx = ctx;
  }
  async init(ctx) {
    this.uid = ctx.cookies.get('_uid');
  }
}
module.exports = baseController;
`;
  const user = `const baseController = require('./base.js');
const sessions = new Map();
class userController extends baseController {
  constructor(ctx) {
    super(ctx);
  }
  async login(ctx) {
    sessions.set(ctx.request.body.token, ctx.request.body.user);
    ctx.body = { errcode: 0 };
  }
  async list(ctx) {
    ctx.body = [...sessions.values()];
  }
}
module.exports = userController;
`;
  const group = `const baseController = require('./base.js');
class groupController extends baseController {
  async list(ctx) {
    ctx.body = [];
  }
}
module.exports = groupController;
`;
  const router = `const koaRouter = require('koa-router');
const userController = require('./controllers/user.js');
const groupController = require('./controllers/group.js');
const { createAction } = require('./utils/commons.js');
const router = koaRouter();
const INTERFACE_CONFIG = {
  user: { prefix: '/user/', controller: userController },
  group: { prefix: '/group/', controller: groupController },
};
const routerConfig = {
  user: [
    { action: 'login', path: 'login', method: 'post' },
    { action: 'list', path: 'list', method: 'get' },
  ],
  group: [{ action: 'list', path: 'list', method: 'get' }],
};
for (let ctrl in routerConfig) {
  let actions = routerConfig[ctrl];
  actions.forEach((item) => {
    let routerController = INTERFACE_CONFIG[ctrl].controller;
    let routerPath = INTERFACE_CONFIG[ctrl].prefix + item.path;
    createAction(router, '/api', routerController, item.action, routerPath, item.method);
  });
}
createAction(router, '/api', userController, 'login', '/user/login_by_token', 'post');
module.exports = router;
`;
  const app = `const Koa = require('koa');
const router = require('./router.js');
const app = new Koa();
app.use(router.routes());
app.listen(3000);
`;
  const files = { 'server/utils/commons.js': commons, 'server/controllers/base.js': base, 'server/controllers/user.js': user, 'server/controllers/group.js': group, 'server/router.js': router, 'server/app.js': app };
  const loginFinding = (routes: string) => `2:7 no-in-memory-session: \`sessions\` holds per-user state in this process; it is written by ${routes}. A second instance will not see it.`;

  it('untyped: each row is a route with its built path, registered where the row is written; its entries are the helper\'s handler, the constructors and the action', () => {
    const result = untyped(files, 'server/controllers/user.js');
    expect(result.entries).toEqual([
      'POST /api/user/login (server/router.js:12) server/utils/commons.js:2',
      'POST /api/user/login (server/router.js:12) server/controllers/user.js:4',
      'POST /api/user/login (server/router.js:12) server/controllers/user.js:7',
      'GET /api/user/list (server/router.js:13) server/utils/commons.js:2',
      'GET /api/user/list (server/router.js:13) server/controllers/user.js:4',
      'GET /api/user/list (server/router.js:13) server/controllers/user.js:11',
      'GET /api/group/list (server/router.js:15) server/utils/commons.js:2',
      'GET /api/group/list (server/router.js:15) server/controllers/base.js:2',
      'GET /api/group/list (server/router.js:15) server/controllers/group.js:3',
      'POST /api/user/login_by_token (server/router.js:25) server/utils/commons.js:2',
      'POST /api/user/login_by_token (server/router.js:25) server/controllers/user.js:4',
      'POST /api/user/login_by_token (server/router.js:25) server/controllers/user.js:7',
    ]);
    expect(result.findings).toEqual([loginFinding('POST /api/user/login (server/router.js:12) and 1 other route')]);
  });

  it('typed (JavaScript): the same routes', () => {
    expect(typed(files, 'server/controllers/user.js')).toEqual([loginFinding('POST /api/user/login (server/router.js:12) and 1 other route')]);
  });

  it('quiet: the tables iterated by a script, an action no controller has, a controller that is no class of the program, a helper never called', () => {
    const script = `const router = require('koa-router')();
const userController = require('../server/controllers/user.js');
const { createAction } = require('../server/utils/commons.js');
[{ action: 'login', path: 'login', method: 'post' }].forEach((item) => createAction(router, '/api', userController, item.action, '/user/' + item.path, item.method));
`;
    const quietRouter = `const koaRouter = require('koa-router');
const userController = require('./controllers/user.js');
const { createAction } = require('./utils/commons.js');
const router = koaRouter();
const rows = [{ action: 'signIn', path: '/user/sign_in', method: 'post' }];
rows.forEach((item) => createAction(router, '/api', userController, item.action, item.path, item.method));
createAction(router, '/api', require('koa-session'), 'login', '/user/login', 'post');
module.exports = router;
`;
    const quiet = { ...files, 'server/router.js': quietRouter, 'scripts/seed-routes.js': script };
    expect(untyped(quiet, 'server/controllers/user.js')).toEqual({ entries: [], findings: [] });
  });
});

describe('helper calls in loops over tables of routes (Express, untyped)', () => {
  it('routes.forEach, Object.keys over a map of paths, for…of with the row destructured: a route per row, its handler the row\'s', () => {
    const app = `const express = require('express');
const users = require('./users');
const app = express();
function route(app, method, path, handler) {
  app[method](path, (req, res, next) => Promise.resolve(handler(req, res)).catch(next));
}
const routes = [
  { method: 'post', path: '/login', handler: users.login },
  { method: 'get', path: '/users', handler: users.list },
];
routes.forEach((r) => route(app, r.method, r.path, r.handler));
const pages = { '/people': users.list };
Object.keys(pages).forEach((path) => route(app, 'get', path, pages[path]));
for (const { method, path, handler } of [{ method: 'put', path: '/session', handler: users.login }]) route(app, method, '/v2' + path, handler);
app.listen(3000);
`;
    const result = untyped({ 'users.js': USERS, 'app.js': app }, 'users.js');
    expect(result.entries.filter((entry) => entry.includes('users.js'))).toEqual([
      'POST /login (app.js:8) users.js:2',
      'GET /users (app.js:9) users.js:6',
      'GET /people (app.js:13) users.js:6',
      'PUT /v2/session (app.js:14) users.js:2',
    ]);
    expect(result.findings).toEqual([sessionFinding('POST /login (app.js:8) and 1 other route')]);
  });

  it('quiet: a table of client-side routes a browser helper goes over, a table of rows without a method', () => {
    const app = `const express = require('express');
const users = require('./users');
const app = express();
function route(app, method, path, handler) {
  app[method](path, handler);
}
[{ path: '/login', handler: users.login }].forEach((r) => route(app, r.method, r.path, r.handler));
app.listen(3000);
`;
    const client = `import page from 'page';
import { login } from '../users';
function show(router, path, view) {
  router.show(path, view);
}
[{ path: '/login', view: login }].forEach((r) => show(page, r.path, r.view));
`;
    const result = untyped({ 'users.js': USERS, 'app.js': app, 'client/routes.js': client }, 'users.js');
    expect(result.entries.filter((entry) => entry.includes('users.js'))).toEqual([]);
    expect(result.findings).toEqual([]);
  });
});

describe('a handler a wrapper makes from a controller and an action\'s name: app.post(path, wrap(controller, \'action\'))', () => {
  const controller = `const sessions = new Map<string, unknown>();
export class UsersController {
  constructor(private readonly req: { body: { token: string; user: unknown } }) {}
  login(res: { sendStatus(code: number): void }) {
    sessions.set(this.req.body.token, this.req.body.user);
    res.sendStatus(204);
  }
  list(res: { json(body: unknown): void }) {
    res.json([...sessions.values()]);
  }
}
export const users = {
  logout(req: { body: { token: string } }, res: { sendStatus(code: number): void }) {
    sessions.delete(req.body.token);
    res.sendStatus(204);
  },
};
`;
  const app = `import express from 'express';
import { UsersController, users } from './users';
const app = express();
type Controller = new (req: any) => any;
const action = (Controller: Controller, name: string) => (req: any, res: any) => new Controller(req)[name](res);
const wrap = (controller: any, name: string) => (req: any, res: any, next: any) => Promise.resolve(controller[name](req, res)).catch(next);
app.post('/login', action(UsersController, 'login'));
app.get('/users', action(UsersController, 'list'));
app.post('/logout', wrap(users, 'logout'));
app.listen(3000);
`;
  const message = (routes: string) => `1:7 no-in-memory-session: \`sessions\` holds per-user state in this process; it is written by ${routes}. A second instance will not see it.`;

  it('untyped: the member the call names is an entry of the route, with the constructor of an instance made per request', () => {
    const result = untyped({ 'src/users.ts': controller, 'src/app.ts': app }, 'src/users.ts');
    expect(result.entries).toEqual([
      'POST /login (src/app.ts:7) src/app.ts:5',
      'POST /login (src/app.ts:7) src/users.ts:3',
      'POST /login (src/app.ts:7) src/users.ts:4',
      'GET /users (src/app.ts:8) src/app.ts:5',
      'GET /users (src/app.ts:8) src/users.ts:3',
      'GET /users (src/app.ts:8) src/users.ts:8',
      'POST /logout (src/app.ts:9) src/app.ts:6',
      'POST /logout (src/app.ts:9) src/users.ts:13',
    ]);
    expect(result.findings).toEqual([message('POST /login (src/app.ts:7) and 1 other route')]);
  });

  it('typed: the same', () => {
    expect(typed({ 'src/users.ts': controller, 'src/app.ts': app }, 'src/users.ts')).toEqual([message('POST /login (src/app.ts:7) and 1 other route')]);
  });

  it('quiet: a wrapper given a name no member has, a wrapper called at start-up, a name that is not the wrapper\'s parameter', () => {
    const quiet = `import express from 'express';
import { users } from './users';
const app = express();
const wrap = (controller: any, name: string) => (req: any, res: any) => controller[name](req, res);
const fixed = (controller: any, name: string) => (req: any, res: any) => controller[req.query.action](req, res);
app.post('/logout', wrap(users, 'signOut'));
app.post('/sign-out', fixed(users, 'logout'));
wrap(users, 'logout')({ body: { token: 'seed' } }, { sendStatus() {} });
app.listen(3000);
`;
    const result = untyped({ 'src/users.ts': controller, 'src/app.ts': quiet }, 'src/users.ts');
    expect(result.entries).toEqual(['POST /logout (src/app.ts:6) src/app.ts:4', 'POST /sign-out (src/app.ts:7) src/app.ts:5']);
    expect(result.findings).toEqual([]);
  });
});

describe('helper calls in loops over tables of routes (Fastify, TypeScript)', () => {
  const files = {
    'src/users.ts': `const sessions = new Map<string, unknown>();
export const users = {
  login: async (request: { body: { token: string; user: unknown } }) => {
    sessions.set(request.body.token, request.body.user);
    return { ok: true };
  },
  list: async () => [...sessions.values()],
};
`,
    'src/server.ts': `import Fastify, { type FastifyInstance } from 'fastify';
import { users } from './users';
const fastify = Fastify();
type Method = 'get' | 'post';
function register(app: FastifyInstance, method: Method, url: string, handler: (request: any) => Promise<unknown>) {
  app[method](\`/v1\${url}\`, handler);
}
const routes: { method: Method; url: string; handler: (request: any) => Promise<unknown> }[] = [
  { method: 'post', url: '/login', handler: users.login },
  { method: 'get', url: '/users', handler: users.list },
];
for (const route of routes) register(fastify, route.method, route.url, route.handler);
fastify.listen({ port: 3000 });
`,
  };
  const finding = "1:7 no-in-memory-session: `sessions` holds per-user state in this process; it is written by POST /v1/login (src/server.ts:9). A second instance will not see it.";

  it('untyped and typed: a route per row, labelled with the path the helper builds', () => {
    expect(untyped(files, 'src/users.ts').findings).toEqual([finding]);
    expect(typed(files, 'src/users.ts')).toEqual([finding]);
  });
});
