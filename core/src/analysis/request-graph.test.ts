import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, getRequestGraph, resolveConfig } from '../index';
import { createProgram } from '../testing/program';
import { displayRelative } from './request-graph';

/** Entry labels and the names of functions they reach, for one untyped file. */
function entryLabels(code: string, fileName = '/project/src/server.ts'): string[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  return getRequestGraph(sourceFile, { projectRoot: '/project' }).entries.map((entry) => entry.label);
}

describe('entry points', () => {
  it('Express app, Router, app.route chains and middleware', () => {
    expect(
      entryLabels(`
        import express, { Router } from 'express';
        const app = express();
        const router = Router();
        app.use(express.json());
        app.use((req, res, next) => next());
        app.get('/health', (req, res) => res.send('ok'));
        router.post('/login', validate, async (req, res) => res.end());
        app.route('/items/:id').get((req, res) => res.end()).delete((req, res) => res.end());
        app.use('/api', router);
        function validate(req: any, res: any, next: any) { next(); }
      `),
    ).toEqual(['middleware for all routes', 'GET /health', 'POST /api/login', 'POST /api/login', 'GET /items/:id', 'DELETE /items/:id']);
  });

  it('Fastify shorthand, route() with preHandler, hooks and plugins', () => {
    expect(
      entryLabels(`
        import Fastify from 'fastify';
        const fastify = Fastify();
        fastify.get('/a', { schema: {} }, async (request, reply) => 'a');
        fastify.route({ method: ['POST', 'PUT'], url: '/b', preHandler: [auth], handler: async (request) => 'b' });
        fastify.addHook('onRequest', async (request) => {});
        fastify.register(async function plugin(instance) {
          instance.delete('/c', async (request) => 'c');
        });
        async function auth(request: unknown) {}
      `),
    ).toEqual(['GET /a', 'POST|PUT /b', 'POST|PUT /b', 'onRequest hook for all routes', 'DELETE /c']);
  });

  it('Koa with @koa/router and Hono', () => {
    expect(
      entryLabels(`
        import Koa from 'koa';
        import Router from '@koa/router';
        import { Hono } from 'hono';
        const app = new Koa();
        const router = new Router();
        router.get('/k', async (ctx) => { ctx.body = 'k'; }).post('/k', create).del('/k/:id', remove);
        async function create(ctx: any) {}
        async function remove(ctx: any) {}
        app.use(async (ctx, next) => next());
        const api = new Hono();
        api.post('/h', (c) => c.text('h'));
        api.on(['GET', 'HEAD'], '/o', (c) => c.text('o'));
      `),
    ).toEqual(['GET /k', 'POST /k', 'DELETE /k/:id', 'middleware for all routes', 'POST /h', 'GET|HEAD /o']);
  });

  it('NestJS controllers, gateways, resolvers and guards', () => {
    expect(
      entryLabels(`
        import { Controller, Get, Post, Injectable, CanActivate } from '@nestjs/common';
        import { WebSocketGateway, SubscribeMessage } from '@nestjs/websockets';
        import { Resolver, Query } from '@nestjs/graphql';
        @Controller('users')
        export class UsersController {
          @Get(':id') find() {}
          @Post() create() {}
          helper() {}
        }
        @WebSocketGateway()
        export class ChatGateway { handleConnection() {} @SubscribeMessage('join') join() {} }
        @Resolver()
        export class UsersResolver { @Query(() => String) me() { return ''; } }
        @Injectable()
        export class AuthGuard implements CanActivate { canActivate() { return true; } }
      `),
    ).toEqual([
      'GET /users/:id (UsersController.find)',
      'POST /users (UsersController.create)',
      'WebSocket connection (ChatGateway.handleConnection)',
      'WebSocket message "join" (ChatGateway.join)',
      'GraphQL query me (UsersResolver.me)',
      'guard AuthGuard (every request it guards)',
    ]);
  });

  it('Next.js route handlers, pages/api, server actions and Lambda handlers', () => {
    expect(entryLabels(`export async function GET() {} export const POST = async (req: Request) => new Response();`, '/project/src/app/(shop)/api/cart/[id]/route.ts')).toEqual([
      'GET /api/cart/[id]',
      'POST /api/cart/[id]',
    ]);
    expect(entryLabels(`export default function handler(req: any, res: any) {}`, '/project/pages/api/users/index.ts')).toEqual(['API /api/users']);
    expect(entryLabels(`export function middleware(req: Request) {}`, '/project/src/middleware.ts')).toEqual(['Next.js middleware (every matched request)']);
    expect(entryLabels(`export function middleware(req: Request) {}`, '/project/src/app/api/x/middleware.ts')).toEqual([]);
    expect(entryLabels(`'use server';\nexport async function save(form: FormData) {}`, '/project/app/actions.ts')).toEqual(['server action save']);
    expect(entryLabels(`export const handler = async (event: unknown) => ({ statusCode: 200 });`, '/project/src/lambda.ts')).toEqual(['Lambda handler (every invocation)']);
  });

  it('http.createServer, socket.io and tRPC', () => {
    expect(
      entryLabels(`
        import http from 'node:http';
        import { Server } from 'socket.io';
        import { router, publicProcedure } from './trpc';
        const server = http.createServer((req, res) => res.end());
        const io = new Server(server);
        io.on('connection', (socket) => {
          socket.on('join', (room) => socket.join(room));
        });
        export const appRouter = router({
          addItem: publicProcedure.input((x: unknown) => x).mutation(async ({ input }) => input),
        });
      `),
    ).toEqual(['every request (http.createServer)', 'socket connection', 'socket event "join"', 'tRPC mutation addItem']);
  });

  it('a socket.io server kept in a local of the function that starts it (any name)', () => {
    expect(
      entryLabels(`
        import { Server as ioServer } from 'socket.io';
        import type { Server as HttpServer } from 'node:http';
        export function start(server: HttpServer) {
          const sockets = new ioServer(server, { serveClient: false });
          sockets.on('connect', (socket) => {
            socket.on('input', (data: unknown) => socket.emit('ack', data));
          });
        }
      `),
    ).toEqual(['socket connection', 'socket event "input"']);
    // A local with the same name that is not a socket.io server registers nothing.
    expect(
      entryLabels(`
        import { EventEmitter } from 'node:events';
        export function start() {
          const sockets = new EventEmitter();
          sockets.on('connect', (socket: EventEmitter) => socket.on('input', () => undefined));
        }
      `),
    ).toEqual([]);
  });

  it('GraphQL resolver maps (Apollo, yoga, mercurius)', () => {
    expect(
      entryLabels(`
        const items: string[] = [];
        const resolvers = {
          Query: { items: () => items },
          Mutation: { addItem(_parent: unknown, args: { item: string }) { items.push(args.item); return args.item; } },
          Subscription: { itemAdded: { subscribe: () => null } },
          Item: { id: () => 1 },
        };
      `),
    ).toEqual(['GraphQL query items', 'GraphQL mutation addItem', 'GraphQL subscription itemAdded']);
    // Namespace types a root field returns (Wiki.js: `Mutation: { system: () => ({}) }`, `SystemMutation: { export }`) run per request too.
    expect(
      entryLabels(`
        const resolvers = {
          Mutation: { system: () => ({}) },
          SystemMutation: { async export(_parent: unknown, args: { path: string }) { return args.path; } },
          SystemQuery: { info: () => 'ok' },
          SystemInfo: { mutationCount: () => 1 },
        };
      `),
    ).toEqual(['GraphQL mutation system', 'GraphQL mutation SystemMutation.export', 'GraphQL query SystemQuery.info']);
    // Without a root operation type, a map whose keys merely end in Mutation is no resolver map.
    expect(entryLabels(`const table = { UserMutation: { rename: () => 'x' } };`)).toEqual([]);
  });

  it('Lambda needs a Lambda shape: Koa route modules that export `handler` are not Lambda', () => {
    expect(entryLabels(`module.exports = { method: 'get', handler: async (ctx) => { ctx.body = 1; } };`, '/project/src/routes/items.js')).toEqual([]);
    expect(entryLabels(`exports.handler = async (event, context) => ({ statusCode: 200 });`, '/project/src/fn.js')).toEqual(['Lambda handler (every invocation)']);
    expect(entryLabels(`import type { APIGatewayProxyEvent } from 'aws-lambda';\nexport async function handler(req: APIGatewayProxyEvent) { return { statusCode: 200 }; }`)).toEqual(['Lambda handler (every invocation)']);
  });

  it('configured handler callees', () => {
    const sourceFile = ts.createSourceFile('/project/src/rpc.ts', `api.register('/x', (req) => {});`, ts.ScriptTarget.Latest, true);
    const graph = getRequestGraph(sourceFile, { projectRoot: '/project', config: withCallees(['api.register']) });
    expect(graph.entries.map((entry) => entry.label)).toEqual(['api.register /x']);
  });

  it('stays quiet on look-alikes: HTTP clients, Map.get, jQuery, event emitters', () => {
    expect(
      entryLabels(`
        import axios from 'axios';
        import { rest, http as mockHttp } from 'msw';
        const cache = new Map();
        rest.get('/api/user', (req, res, ctx) => res(ctx.json({})));
        mockHttp.post('/api/login', ({ request }) => new Response());
        axios.get('/users', { params: {} });
        cache.get('/x');
        $.get('/api/items', function (data) {});
        process.on('SIGTERM', () => {});
        emitter.on('connection', (c) => {});
      `),
    ).toEqual([]);
  });

  it('a web installer that closes its own server and starts the application has no entry points; a graceful-shutdown route keeps them', () => {
    const installer = `
      const express = require('express');
      const childProcess = require('child_process');
      const app = express();
      let server;
      let success = false;
      app.get('/', (req, res) => res.render('install', { success }));
      app.post('/', (req, res) => {
        const child = childProcess.fork('app', ['--setup']);
        child.on('close', (code) => { success = code === 0; launch(); });
        res.redirect('/');
      });
      function launch() {
        server.close();
        childProcess.spawn('node', ['loader.js'], { detached: true }).unref();
        process.exit(0);
      }
      server = app.listen(4567);
    `;
    expect(entryLabels(installer, '/project/install/web.js')).toEqual([]);
    const shutdown = installer.replace("childProcess.spawn('node', ['loader.js'], { detached: true }).unref();", '');
    expect(entryLabels(shutdown, '/project/src/app.js')).toEqual(['GET /', 'POST /']);
  });

  it('ignores tests, scripts and browser code', () => {
    const code = `import express from 'express'; const app = express(); app.get('/x', (req, res) => res.end());`;
    expect(entryLabels(code, '/project/src/app.test.ts')).toEqual([]);
    expect(entryLabels(code, '/project/scripts/dev-server.ts')).toEqual([]);
    expect(entryLabels(`'use client';\n${code}`, '/project/src/app.ts')).toEqual([]);
    // Browser scripts: an AMD module calling its server through a client named `api`, and the static folder.
    expect(entryLabels(`'use strict';\ndefine('forum/users', ['api'], function (api) {\n  api.get('/api/users', { query: 'a' }, function (err, data) {});\n});`, '/project/public/src/client/users.js')).toEqual([]);
    expect(entryLabels(`define(['api'], (api) => { api.post('/api/login', (req, res) => res.end()); });`, '/project/src/client/login.js')).toEqual([]);
    expect(entryLabels(code, '/project/public/js/app.ts')).toEqual([]);
    expect(entryLabels(`#!/usr/bin/env node\n${code}`, '/project/src/serve-fixtures.ts')).toEqual([]);
    expect(entryLabels(code, '/project/src/app.ts')).toEqual(['GET /x']);
  });

  it('a browser framework\'s app (choo, Vue, page.js) registers stores and pages, not routes of a server', () => {
    // The app of a single-page front end, bundled beside the server (`app/main.js`), named `app` as a server's would be.
    const choo = `import choo from 'choo';\nimport controller from './controller';\nexport default function start() {\n  const app = routes(choo({ hash: true }));\n  app.use(controller);\n  app.use((state, emitter) => { state.user = {}; });\n  app.route('/share/:id', (state, emit) => state.id);\n  return app;\n}\nfunction routes(app) { return app; }`;
    expect(entryLabels(choo, '/project/app/main.js')).toEqual([]);
    expect(entryLabels(`const page = require('page');\nconst app = { use: page };\napp.use('/users/:id', (ctx, next) => next());`, '/project/app/pages.js')).toEqual([]);
    // A server file that also imports a front-end package (server-side rendering) keeps its routes.
    expect(entryLabels(`import express from 'express';\nimport { createSSRApp } from 'vue';\nconst app = express();\napp.use((req, res, next) => next());\napp.get('/x', (req, res) => res.end(String(createSSRApp)));`, '/project/src/server.js')).toEqual(['middleware for all routes', 'GET /x']);
  });
});

describe('cross-file request paths (typed)', () => {
  const files = {
    '/project/src/routes.ts': `
      import { Router } from 'express';
      import { login } from './auth';
      export const routes = Router();
      routes.post('/login', async (req, res) => { await login(req.body.user); res.end(); });
    `,
    '/project/src/auth.ts': `
      import { remember } from './store';
      export async function login(user: string) { remember(user, Date.now()); }
    `,
    '/project/src/store.ts': `
      const lastLogin = new Map<string, number>();
      const startedAt = new Map<string, number>([['boot', Date.now()]]);
      export function remember(user: string, at: number) { lastLogin.set(user, at); }
      export function readStart() { return startedAt.get('boot'); }
    `,
  };

  it('reports the state where it is declared, with the route and the call chain', () => {
    const program = createProgram(files);
    const store = program.getSourceFile('/project/src/store.ts')!;
    const findings = analyzeSourceFile(store, { program, projectRoot: '/project' });
    expect(findings.map((f) => [f.ruleId, f.messageId, f.message])).toEqual([
      ['no-in-memory-session', 'sessionInMemory', '`lastLogin` holds per-user state in this process; it is written by POST /login (src/routes.ts:5). A second instance will not see it.'],
    ]);
    expect(findings[0].path.map((step) => step.label)).toEqual(['POST /login', 'calls login()', 'calls remember()', 'writes lastLogin']);
    expect(findings[0].related.map((r) => r.message)).toEqual(['lastLogin is written here on POST /login']);
  });

  it('without a program the helper file alone has no request path', () => {
    const sourceFile = ts.createSourceFile('/project/src/store.ts', files['/project/src/store.ts'], ts.ScriptTarget.Latest, true);
    expect(analyzeSourceFile(sourceFile, { projectRoot: '/project' })).toEqual([]);
  });

  it('a router mounted as `app.use(prefix, require(path))` gets the prefix in a typed program too', () => {
    const routes = {
      '/project/server.js': "const express = require('express');\nconst app = express();\napp.use('/api/bookings', require('./routes/bookings'));\nconst rooms = require('./routes/rooms');\napp.use('/api/rooms', rooms);\napp.listen(3000);\n",
      '/project/routes/bookings.js': "const express = require('express');\nconst router = express.Router();\nrouter.post('/holds', (req, res) => res.end());\nmodule.exports = router;\n",
      '/project/routes/rooms.js': "const express = require('express');\nconst router = express.Router();\nrouter.get('/:id', (req, res) => res.end());\nmodule.exports = router;\n",
    };
    const program = createProgram(routes);
    const graph = getRequestGraph(program.getSourceFile('/project/routes/bookings.js')!, { program, projectRoot: '/project' });
    expect(graph.entries.map((entry) => entry.label).sort()).toEqual(['GET /api/rooms/:id', 'POST /api/bookings/holds']);
  });

  it('caches the graph per program', () => {
    const program = createProgram(files);
    const first = getRequestGraph(program.getSourceFile('/project/src/store.ts')!, { program, projectRoot: '/project' });
    const second = getRequestGraph(program.getSourceFile('/project/src/auth.ts')!, { program, projectRoot: '/project' });
    expect(second).toBe(first);
  });
});

function withCallees(handlerCallees: string[]) {
  return resolveConfig([{ requestPath: { handlerCallees } }]);
}

describe('work that runs once per process is not request work', () => {
  /** Blocking calls with the routes that reach them, untyped (one file) or typed (a program). */
  function blocking(files: Record<string, string>, file: string, typed: boolean): string[] {
    const program = typed ? createProgram(files) : undefined;
    const sourceFile = program?.getSourceFile(file) ?? ts.createSourceFile(file, files[file], ts.ScriptTarget.Latest, true, file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
    return analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-blocking-request-work'] }).map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message.replace(/: while it runs.*$/, '')}`);
  }

  const server = `import express from 'express';
import fs from 'node:fs';
const app = express();
class Server {
  static instance = null;
  monitors = {};
  static getInstance() {
    if (Server.instance == null) Server.instance = new Server();
    return Server.instance;
  }
  constructor() {
    this.indexHtml = fs.readFileSync('./dist/index.html', 'utf8');
  }
}
class Room {
  constructor(id) {
    this.log = fs.readFileSync('/rooms/' + id + '.log', 'utf8');
  }
}
let lobby;
let archive;
const rooms = {};
app.get('/status', (req, res) => res.json(Server.getInstance().monitors));
app.get('/lobby', (req, res) => { lobby ??= new Room('lobby'); res.json(lobby); });
app.get('/archive', async (req, res) => { archive = archive || new Room('archive'); res.end(); });
app.get('/rooms/:id', (req, res) => {
  if (!rooms[req.params.id]) rooms[req.params.id] = new Room(req.params.id);
  res.json(rooms[req.params.id]);
});
app.get('/fresh', (req, res) => res.json(new Room(req.query.id)));
`;

  for (const typed of [false, true]) {
    it(`a lazily created singleton's constructor (and ??=, x = x || …) is start-up work; a per-key or per-request construction is not (${typed ? 'typed' : 'untyped'})`, () => {
      expect(blocking({ '/project/src/server.js': server }, '/project/src/server.js', typed)).toEqual([
        '17: `fs.readFileSync` blocks the event loop on GET /rooms/:id (src/server.js:26) and 1 other route',
      ]);
    });
  }

  it('a lazy singleton in another module, reached from a NestJS controller and a socket.io handler (typed)', () => {
    const files = {
      '/project/src/registry.ts': `import fs from 'node:fs';
export class Registry {
  private static instance: Registry | undefined;
  readonly plugins: string[];
  static get(): Registry {
    if (!Registry.instance) {
      Registry.instance = new Registry();
    }
    return Registry.instance;
  }
  private constructor() {
    this.plugins = fs.readdirSync('./plugins');
  }
  reload(): void {
    fs.readdirSync('./plugins');
  }
}
`,
      '/project/src/plugins.controller.ts': `import { Controller, Get, Post } from '@nestjs/common';
import { Registry } from './registry';
@Controller('plugins')
export class PluginsController {
  @Get() list() { return Registry.get().plugins; }
  @Post('reload') reload() { Registry.get().reload(); }
}
`,
      '/project/src/socket.ts': `import { Server } from 'socket.io';
import { Registry } from './registry';
const io = new Server();
io.on('connection', (socket) => {
  socket.on('plugins', () => socket.emit('plugins', Registry.get().plugins));
});
`,
    };
    expect(blocking(files, '/project/src/registry.ts', true)).toEqual(['15: `fs.readdirSync` blocks the event loop on POST /plugins/reload (PluginsController.reload, src/plugins.controller.ts:6)']);
  });
});

describe('routes of development and test switches', () => {
  it('routes registered under a development or test switch are not entry points; the else branch and production switches are', () => {
    expect(
      entryLabels(`
        import express from 'express';
        import Fastify from 'fastify';
        import { Hono } from 'hono';
        const app = express();
        const isDev = process.env.NODE_ENV === 'development';
        if (isDev) {
          app.get('/_e2e/snapshot', (req, res) => res.end());
        } else {
          app.get('/metrics', (req, res) => res.end());
        }
        if (process.env.NODE_ENV === 'test') app.post('/test/reset', (req, res) => res.end());
        if (config.e2eMode && process.env.CI) app.post('/e2e/seed', (req, res) => res.end());
        if (process.env.NODE_ENV !== 'development') app.post('/login', (req, res) => res.end());
        if (!isDev) app.post('/logout', (req, res) => res.end());
        if (process.env.NODE_ENV === 'production') app.post('/signup', (req, res) => res.end());
        const fastify = Fastify();
        if (fastify.config.isDevelopment) fastify.get('/debug/routes', async () => 'routes');
        fastify.get('/items', async () => []);
        const hono = new Hono();
        if (options.debug) hono.get('/debug', (c) => c.text('debug'));
        hono.get('/h', (c) => c.text('h'));
      `),
    ).toEqual(['GET /metrics', 'POST /login', 'POST /logout', 'POST /signup', 'GET /items', 'GET /h']);
  });

  it('socket handlers of a development switch are not entry points (untyped, JavaScript)', () => {
    expect(
      entryLabels(
        `
        const { Server } = require('socket.io');
        const io = new Server();
        if (process.env.NODE_ENV === 'development') {
          io.on('connection', (socket) => socket.on('reload', () => socket.emit('ok')));
        }
        io.of('/chat').on('connection', (socket) => socket.on('message', () => {}));
      `,
        '/project/src/server.js',
      ),
    ).toEqual(['socket connection', 'socket event "message"']);
  });
});

describe('displayRelative', () => {
  it('names a file under the root relative to it, one beside the root in the same tree with ../, and one in another tree whole', () => {
    expect(displayRelative('/work/app/services/filestore', '/work/app/services/filestore/app/js/LocalFileWriter.js')).toBe('app/js/LocalFileWriter.js');
    expect(displayRelative('/work/app/services/filestore/', '/work/app/libraries/object-persistor/src/FSPersistor.js')).toBe('../../libraries/object-persistor/src/FSPersistor.js');
    expect(displayRelative('/project', '/lib/node/fs.d.ts')).toBe('/lib/node/fs.d.ts');
    expect(displayRelative(undefined, '/work/app/index.js')).toBe('/work/app/index.js');
  });
});
