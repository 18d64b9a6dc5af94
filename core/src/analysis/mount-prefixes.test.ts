import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A route is named as a client calls it: the prefixes of the routers or plugins it is mounted under,
// in every framework that mounts them, not the path written beside the handler alone (`GET /:id` is
// every router's).

afterAll(removeAnalysedProjects);

const counter = (line: number, column: number, name: string, route: string): string =>
  `${line}:${column} no-in-memory-counter: \`${name}\` counts in this process; it is changed by ${route}. Each instance keeps its own count, so totals and limits are wrong once there is more than one.`;

const both = (files: Record<string, string>, file: string, expected: string[]): void => {
  expect(typedFindings(files, file, ['no-in-memory-counter'])).toEqual(expected);
  expect(untypedFindings(files, file, ['no-in-memory-counter'])).toEqual(expected);
};

describe('mount prefixes', () => {
  it('Koa: a router with a prefix of its own, another mounted under it with `use(path, router.routes())` (typed and untyped)', () => {
    const files = {
      'src/books.js': `const Router = require('@koa/router');

const views = new Map();
const books = new Router();

books.get('/:id', (ctx) => {
  views.set(ctx.params.id, (views.get(ctx.params.id) || 0) + 1);
  ctx.body = { id: ctx.params.id };
});

module.exports = books;
`,
      'src/app.js': `const Koa = require('koa');
const Router = require('@koa/router');
const books = require('./books');

const app = new Koa();
const api = new Router({ prefix: '/api' });
api.use('/books', books.routes(), books.allowedMethods());
app.use(api.routes());
app.listen(3000);
`,
    };
    both(files, 'src/books.js', [counter(3, 7, 'views', 'GET /api/books/:id (src/books.js:6)')]);
  });

  it('Hono: `app.route(path, subApp)` under an app with a `basePath` (typed and untyped)', () => {
    const files = {
      'src/routes/books.ts': `import { Hono } from 'hono';

const views = new Map<string, number>();
const books = new Hono();

books.get('/:id', (c) => {
  const id = c.req.param('id');
  views.set(id, (views.get(id) ?? 0) + 1);
  return c.json({ id });
});

export default books;
`,
      'src/index.ts': `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import books from './routes/books';

const app = new Hono().basePath('/api');
app.route('/books', books);
serve({ fetch: app.fetch, port: 3000 });
`,
    };
    both(files, 'src/routes/books.ts', [counter(3, 7, 'views', 'GET /api/books/:id (src/routes/books.ts:6)')]);
  });

  it('Fastify: `register(plugin, { prefix })`, nested in a plugin registered with a prefix (typed and untyped)', () => {
    const files = {
      'src/routes/books.js': `const views = new Map();

module.exports = async function books(fastify) {
  fastify.get('/:id', async (request) => {
    views.set(request.params.id, (views.get(request.params.id) || 0) + 1);
    return { id: request.params.id };
  });
};
`,
      'src/routes/index.js': `module.exports = async function api(fastify) {
  fastify.register(require('./books'), { prefix: '/books' });
};
`,
      'src/app.js': `const fastify = require('fastify')();

fastify.register(require('./routes'), { prefix: '/api' });
fastify.listen({ port: 3000 });
`,
    };
    both(files, 'src/routes/books.js', [counter(1, 7, 'views', 'GET /api/books/:id (src/routes/books.js:4)')]);
  });

  it('NestJS: `app.setGlobalPrefix(…)` in main.ts comes before every controller path; an e2e test’s own prefix is not the app’s (typed and untyped)', () => {
    const files = {
      'src/books.controller.ts': `import { Controller, Get, Param } from '@nestjs/common';

@Controller('books')
export class BooksController {
  private views = new Map<string, number>();

  @Get(':id')
  show(@Param('id') id: string) {
    this.views.set(id, (this.views.get(id) ?? 0) + 1);
    return { id };
  }
}
`,
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('/api/');
  await app.listen(3000);
}
bootstrap();
`,
      'test/app.e2e-spec.ts': `import { Test } from '@nestjs/testing';
import { AppModule } from '../src/app.module';

it('serves', async () => {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication();
  app.setGlobalPrefix('v2');
  await app.init();
});
`,
    };
    both(files, 'src/books.controller.ts', [counter(5, 11, 'views', 'GET /api/books/:id (BooksController.show, src/books.controller.ts:7)')]);
  });

  it('the prefix names the route, but what a state holds is still read from the words it was read from before (a Koa prefix `/users` does not make boards per-user state)', () => {
    const files = {
      'src/boards.js': `const Router = require('@koa/router');

const boards = new Map();
const router = new Router({ prefix: '/users' });

router.post('/:id/boards', (ctx) => {
  boards.set(ctx.params.id, ctx.request.body);
  ctx.status = 204;
});

module.exports = router;
`,
      'src/app.js': `const Koa = require('koa');
const boards = require('./boards');

const app = new Koa();
app.use(boards.routes());
app.listen(3000);
`,
    };
    const expected = ['3:7 no-in-memory-session: `boards` holds application data in this process; it is written by POST /users/:id/boards (src/boards.js:6). A second instance will not see it.'];
    expect(typedFindings(files, 'src/boards.js', ['no-in-memory-session'])).toEqual(expected);
    expect(untypedFindings(files, 'src/boards.js', ['no-in-memory-session'])).toEqual(expected);
  });

  it('a router mounted at two paths keeps the path written beside its handler', () => {
    const files = {
      'src/routes/books.ts': `import { Hono } from 'hono';

const views = new Map<string, number>();
const books = new Hono();

books.get('/:id', (c) => {
  views.set(c.req.param('id'), 1 + (views.get(c.req.param('id')) ?? 0));
  return c.json({});
});

export default books;
`,
      'src/index.ts': `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import books from './routes/books';

const app = new Hono();
app.route('/books', books);
app.route('/v1/books', books);
serve({ fetch: app.fetch, port: 3000 });
`,
    };
    both(files, 'src/routes/books.ts', [counter(3, 7, 'views', 'GET /:id (src/routes/books.ts:6)')]);
  });
});
