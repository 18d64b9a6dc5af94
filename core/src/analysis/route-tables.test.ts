import type * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { getRequestGraph } from '../index';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

// Routes registered from a table of rows, `routes.forEach((route) => app[route.method](route.path, route.handler))`:
// each row is an entry with its own method and path, and what the call names with the row is that row's value.

afterAll(removeAnalysedProjects);

function untyped(files: Record<string, string>, file: string): { entries: string[]; findings: string[] } {
  const { sourceFile, findings, root, index } = analyseUntyped(files, file);
  const graph = getRequestGraph(sourceFile, { projectIndex: index, projectRoot: root });
  const line = (node: ts.Node): number => node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
  return {
    entries: graph.entries.map((entry) => `${entry.label} (${graph.displayPath(entry.registration.getSourceFile().fileName)}:${line(entry.registration)})`),
    findings: describeFindings({ sourceFile, findings }),
  };
}

function typed(files: Record<string, string>, file: string): string[] {
  return describeFindings(analyseTyped(files, file));
}

function describeFindings({ sourceFile, findings }: Pick<AnalysedFile, 'sourceFile' | 'findings'>): string[] {
  return findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
}

const USERS = `const sessions = new Map();
exports.login = (req, res) => {
  sessions.set(req.body.token, req.body.user);
  res.sendStatus(204);
};
exports.list = (req, res) => res.json([...sessions.values()]);
`;

const sessionMessage = (route: string) => `no-in-memory-session 1: \`sessions\` holds per-user state in this process; it is written by ${route}. A second instance will not see it.`;

describe('a table of routes in another module (CommonJS, untyped)', () => {
  const routes = `const users = require('./users');
const auth = (req, res, next) => next();
module.exports = [
  { method: 'post', path: '/login', middlewares: [auth], handler: users.login },
  { method: 'get', path: '/users', middlewares: [], handler: users.list },
];
`;

  it('forEach over the rows: each row is an entry, registered where the row is written', () => {
    const app = `const express = require('express');
const routes = require('./routes');
const app = express();
routes.forEach((route) => {
  app[route.method](route.path, ...route.middlewares, route.handler);
});
app.listen(3000);
`;
    const result = untyped({ 'users.js': USERS, 'routes.js': routes, 'app.js': app }, 'users.js');
    // The row's middleware and its handler are both entries of POST /login, as with router.post('/login', auth, handler).
    expect(result.entries).toEqual(['POST /login (routes.js:4)', 'POST /login (routes.js:4)', 'GET /users (routes.js:5)']);
    expect(result.findings).toEqual([sessionMessage('POST /login (routes.js:4)')]);
  });

  it('for…of with the row destructured, a router mounted under a prefix, and a named function given to forEach', () => {
    const app = `const express = require('express');
const table = require('./routes');
const app = express();
const router = express.Router();
for (const { method, path, handler } of table) router[method.toLowerCase()](path, handler);
app.use('/api', router);
function setRoute(route) {
  app[route.method]('/v2' + route.path, route.handler);
}
table.forEach(setRoute);
app.listen(3000);
`;
    const result = untyped({ 'users.js': USERS, 'routes.js': routes, 'app.js': app }, 'users.js');
    expect(result.entries).toEqual(['POST /api/login (routes.js:4)', "POST <'/v2' + route.path> (routes.js:4)", 'GET /api/users (routes.js:5)', "GET <'/v2' + route.path> (routes.js:5)"]);
    expect(result.findings).toEqual([sessionMessage('POST /api/login (routes.js:4) and 1 other handler')]);
  });

  it('the row destructured in the loop body, and an inline handler that calls the row\'s own function', () => {
    const app = `const express = require('express');
const routes = require('./routes');
const app = express();
routes.forEach((route) => {
  const { method, path, middlewares } = route;
  app[method](path, ...middlewares, (req, res, next) => {
    route.handler(req, res).then(() => next()).catch(next);
  });
});
app.listen(3000);
`;
    const result = untyped({ 'users.js': USERS, 'routes.js': routes, 'app.js': app }, 'users.js');
    expect(result.findings).toEqual([sessionMessage('POST /login (routes.js:4)')]);
  });

  it('methods and paths named by constants: an enum (typed), a member named like the method (untyped)', () => {
    const files = {
      'src/users.ts': USERS.replace('const sessions = new Map();', 'const sessions = new Map<string, unknown>();').replace(/exports\.(\w+) = \(req, res\)/g, 'export const $1 = (req: any, res: any)'),
      'src/routes.ts': `import * as users from './users';
export enum Methods { GET = 'get', POST = 'post' }
export enum Paths { LOGIN = '/login', USERS = '/users' }
export const routes = [
  { method: Methods.POST, path: Paths.LOGIN, handler: users.login },
  { method: Methods.GET, path: Paths.USERS, handler: users.list },
];
`,
      'src/app.ts': `import express from 'express';
import { routes } from './routes';
const app = express();
routes.forEach((route) => (app as any)[route.method](route.path, route.handler));
app.listen(3000);
`,
    };
    expect(typed(files, 'src/users.ts')).toEqual([sessionMessage('POST /login (src/routes.ts:5)')]);
    expect(untyped(files, 'src/users.ts').findings).toEqual([sessionMessage('POST <Paths.LOGIN> (src/routes.ts:5)')]);
  });

  it('quiet: a client calling a table of endpoints, a table registered on no server, rows without a literal method', () => {
    const client = `const axios = require('axios');
const endpoints = [{ method: 'post', path: '/login', handler: (req, res) => res.end() }];
endpoints.forEach((e) => axios[e.method](e.path, e.handler));
const cache = new Map();
endpoints.forEach((e) => cache[e.method](e.path, e.handler));
`;
    const app = `const express = require('express');
const users = require('./users');
const app = express();
const method = process.env.METHOD;
[{ method, path: '/login', handler: users.login }].forEach((route) => app[route.method](route.path, route.handler));
app.listen(3000);
`;
    expect(untyped({ 'users.js': USERS, 'client.js': client, 'app.js': app }, 'users.js')).toEqual({ entries: [], findings: [] });
  });
});

describe('a table of Fastify route options: routes.forEach((route) => fastify.route(route))', () => {
  const controller = `const fs = require('fs');
exports.addCar = async (req, reply) => {
  fs.writeFileSync('cars/' + req.body.id + '.json', JSON.stringify(req.body));
  return req.body;
};
exports.getCars = async () => [];
`;
  const routes = `const carController = require('../controllers/carController');
const routes = [
  { method: 'GET', url: '/api/cars', handler: carController.getCars },
  { method: 'POST', url: '/api/cars', handler: carController.addCar },
];
module.exports = routes;
`;
  const server = `const fastify = require('fastify')({ logger: true });
const routes = require('./routes');
routes.forEach((route, index) => {
  fastify.route(route);
});
fastify.listen({ port: 3000 });
`;

  it('each row is a route, with its own method and url', () => {
    const result = untyped({ 'src/controllers/carController.js': controller, 'src/routes/index.js': routes, 'src/server.js': server }, 'src/controllers/carController.js');
    expect(result.entries).toEqual(['GET /api/cars (src/routes/index.js:3)', 'POST /api/cars (src/routes/index.js:4)']);
    expect(result.findings).toEqual([
      'no-blocking-request-work 3: `fs.writeFileSync` blocks the event loop on POST /api/cars (src/routes/index.js:4): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      "no-local-disk-write 3: `fs.writeFileSync` writes to this instance's local disk on POST /api/cars (src/routes/index.js:4). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });

  it('quiet: a table handed to something that is not a server', () => {
    const client = server.replace("const fastify = require('fastify')({ logger: true });", "const fastify = require('./client');").replace('fastify.route(route)', 'menu.route(route)');
    expect(untyped({ 'src/controllers/carController.js': controller, 'src/routes/index.js': routes, 'src/server.js': client, 'src/client.js': 'module.exports = {};' }, 'src/controllers/carController.js')).toEqual({ entries: [], findings: [] });
  });
});

describe('the TypeORM starter: one inline handler runs the row\'s controller action', () => {
  const files = {
    'src/index.ts': `import * as express from "express"
import { Request, Response } from "express"
import { Routes } from "./routes"

const app = express()
Routes.forEach(route => {
    (app as any)[route.method](route.route, (req: Request, res: Response, next: Function) => {
        const result = (new (route.controller as any))[route.action](req, res, next)
        if (result instanceof Promise) {
            result.then(result => result !== null && result !== undefined ? res.send(result) : undefined)
        } else if (result !== null && result !== undefined) {
            res.json(result)
        }
    })
})
app.listen(3000)
`,
    'src/routes.ts': `import { UserController } from "./controller/UserController"

export const Routes = [{
    method: "get",
    route: "/users",
    controller: UserController,
    action: "all"
}, {
    method: "post",
    route: "/users",
    controller: UserController,
    action: "save"
}]
`,
    'src/controller/UserController.ts': `import { Request } from "express"
import * as fs from "fs"

export class UserController {
    async all(request: Request) {
        return fs.promises.readdir("data")
    }

    async save(request: Request) {
        fs.writeFileSync("data/" + request.body.name + ".json", JSON.stringify(request.body))
        return request.body
    }
}
`,
  };
  const expected = (rule: string) =>
    rule === 'no-local-disk-write'
      ? "no-local-disk-write 10: `fs.writeFileSync` writes to this instance's local disk on POST /users (src/routes.ts:8). Other instances will not find the file, and it is lost when this instance is replaced."
      : 'no-blocking-request-work 10: `fs.writeFileSync` blocks the event loop on POST /users (src/routes.ts:8): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.';

  it('untyped: the action of each row is reached on its own route', () => {
    const result = untyped(files, 'src/controller/UserController.ts');
    expect(result.entries).toEqual(['GET /users (src/routes.ts:3)', 'GET /users (src/routes.ts:3)', 'POST /users (src/routes.ts:8)', 'POST /users (src/routes.ts:8)']);
    expect(result.findings).toEqual([expected('no-blocking-request-work'), expected('no-local-disk-write')]);
  });

  it('untyped: the row destructured in the parameters, `new (controller)()[action]`', () => {
    const destructured = {
      ...files,
      'src/index.ts': files['src/index.ts']
        .replace('Routes.forEach(route => {', 'Routes.forEach(({ method, route, controller, action }) => {')
        .replace('(app as any)[route.method](route.route,', '(app as any)[method](route,')
        .replace('(new (route.controller as any))[route.action]', 'new (controller as any)()[action]'),
    };
    expect(untyped(destructured, 'src/controller/UserController.ts').findings).toEqual([expected('no-blocking-request-work'), expected('no-local-disk-write')]);
  });

  it('typed: the same findings', () => {
    expect(typed(files, 'src/controller/UserController.ts')).toEqual([expected('no-blocking-request-work'), expected('no-local-disk-write')]);
  });
});

describe('a handler given as `require(path)` itself (CommonJS)', () => {
  const app = `const express = require('express');
const app = express();
const auth = (req, res, next) => next();
app.post('/upload', auth, require('./routes/upload'));
app.get('/files/:id', require('./routes/download'));
app.use(require('./routes/logger')('combined'));
app.listen(3000);
`;
  const upload = `const fs = require('fs');
module.exports = async function (req, res) {
  fs.writeFileSync('/srv/files/' + req.params.id, req.body);
  res.sendStatus(201);
};
`;
  // A module that exports an object, not a function, registers nothing; the factory's returned middleware runs on every request.
  const download = `const fs = require('fs');
module.exports = { table: fs.readFileSync('/srv/files/index.json', 'utf8') };
`;
  const logger = `const fs = require('fs');
module.exports = function (format) {
  fs.mkdirSync('/var/log/app', { recursive: true });
  return function (req, res, next) {
    fs.appendFileSync('/var/log/app/access.log', format + ' ' + req.url + '\\n');
    next();
  };
};
`;
  const files = { 'app.js': app, 'routes/upload.js': upload, 'routes/download.js': download, 'routes/logger.js': logger };
  const uploadFindings = [
    'no-blocking-request-work 3: `fs.writeFileSync` blocks the event loop on POST /upload (app.js:4): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    "no-local-disk-write 3: `fs.writeFileSync` writes to this instance's local disk on POST /upload (app.js:4). Other instances will not find the file, and it is lost when this instance is replaced.",
  ];

  it('untyped: the exported function is the route handler; a module that exports no function is no handler', () => {
    expect(untyped(files, 'routes/upload.js').findings).toEqual(uploadFindings);
    expect(untyped(files, 'routes/download.js').findings).toEqual([]);
  });

  it('typed: the same', () => {
    expect(typed(files, 'routes/upload.js')).toEqual(uploadFindings);
    expect(typed(files, 'routes/download.js')).toEqual([]);
  });

  it('a factory required and called in place (`app.use(require(path)(options))`): what it returns runs per request, its own body at start-up', () => {
    const expected = ['no-blocking-request-work 5: `fs.appendFileSync` blocks the event loop on middleware for all routes (app.js:6): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.'];
    expect(untyped(files, 'routes/logger.js').findings.filter((f) => f.startsWith('no-blocking'))).toEqual(expected);
    expect(typed(files, 'routes/logger.js').filter((f) => f.startsWith('no-blocking'))).toEqual(expected);
  });
});

describe('a module required and called in place (`require(path)()`) after the set-up server closes', () => {
  // The set-up route closes its server and boots the application in the close callback; the boot
  // reads the TLS key synchronously, start-up work of the next server. A reload route boots it per request.
  const files = {
    'setup.js': `const express = require('express');
const http = require('http');
const app = express();
const server = http.createServer(app);
app.post('/finalize', (req, res) => {
  res.json({ ok: true });
  server.close(() => {
    setTimeout(() => require('./boot')(), 1000);
  });
});
app.get('/reload', (req, res) => {
  require('./boot')();
  res.end();
});
server.listen(3000);
`,
    'boot.js': `const fs = require('fs');
module.exports = function boot() {
  return fs.readFileSync('/etc/ssl/key.pem');
};
`,
  };
  const expected = ['no-blocking-request-work 3: `fs.readFileSync` blocks the event loop on GET /reload (setup.js:11): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.'];

  it('untyped: reported on the reload route only', () => {
    expect(untyped(files, 'boot.js').findings).toEqual(expected);
  });

  it('typed: the same', () => {
    expect(typed(files, 'boot.js')).toEqual(expected);
  });
});

describe('a table whose rows name a controller\'s action: router[r.method](r.path, controller[r.action])', () => {
  const controller = `const sessions = new Map();
class UserController {
  async login(ctx) {
    sessions.set(ctx.request.body.token, ctx.request.body.user);
    ctx.status = 204;
  }
  async list(ctx) {
    ctx.body = [...sessions.values()];
  }
}
module.exports = UserController;
`;
  const router = `const Router = require('@koa/router');
const Koa = require('koa');
const UserController = require('./user-controller');
const controller = new UserController();
const handlers = { health: async (ctx) => { ctx.body = 'ok'; } };
const router = new Router();
const routes = [
  { method: 'post', path: '/login', action: 'login' },
  { method: 'get', path: '/users', action: 'list' },
];
routes.forEach((r) => router[r.method](r.path, controller[r.action].bind(controller)));
for (const r of [{ method: 'get', path: '/health', action: 'health' }]) router[r.method](r.path, handlers[r.action]);
const app = new Koa();
app.use(router.routes());
app.listen(3000);
`;
  const message = 'no-in-memory-session 1: `sessions` holds per-user state in this process; it is written by POST /login (app.js:8). A second instance will not see it.';

  it('untyped: the member of the class instance (bound or not) or the object the row names is the route\'s handler', () => {
    const result = untyped({ 'user-controller.js': controller, 'app.js': router }, 'user-controller.js');
    expect(result.entries).toEqual(['POST /login (app.js:8)', 'GET /users (app.js:9)', 'GET /health (app.js:12)']);
    expect(result.findings).toEqual([message]);
  });

  it('typed (JavaScript): the same', () => {
    expect(typed({ 'user-controller.js': controller, 'app.js': router }, 'user-controller.js')).toEqual([message]);
  });
});
