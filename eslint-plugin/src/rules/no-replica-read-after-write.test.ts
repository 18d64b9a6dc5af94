import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-replica-read-after-write';

type Options = StatelessRuleOptions<'no-replica-read-after-write'>;
type MessageIds = 'replicaReadAfterWrite' | 'readFromPrimary';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts. Routes and writes are named by the path of
// their file relative to the project root (the nearest package.json). The rule reports the read, at
// the query call; its message names the earlier write (with its file and line) and the route.

/** The suggestion's output: `code` with `from` (which must occur exactly once) replaced by `to`. */
function edited(code: string, from: string, to: string): string {
  const at = code.indexOf(from);
  if (at === -1 || code.indexOf(from, at + 1) !== -1) throw new Error(`\`${from}\` must occur exactly once in the test code`);
  return code.slice(0, at) + to + code.slice(at + from.length);
}

const readFromPrimary = (code: string, replacement: string, from: string, to: string) => ({
  messageId: 'readFromPrimary' as const,
  data: { replacement },
  output: edited(code, from, to),
});

const drizzleExpress = `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { eq } from 'drizzle-orm';
import { orders } from './schema';

const primary = drizzle(process.env.DATABASE_URL!);
const replica = drizzle(process.env.REPLICA_URL!);
const db = withReplicas(primary, [replica]);

const app = express();
app.post('/orders', async (req, res) => {
  const [created] = await db.insert(orders).values(req.body).returning({ id: orders.id });
  const [order] = await db.select().from(orders).where(eq(orders.id, created.id));
  res.status(201).json(order);
});
`;

const drizzleHono = `
import { Hono } from 'hono';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import * as schema from './schema';

const primary = drizzle(process.env.DATABASE_URL!, { schema });
const db = withReplicas(primary, [drizzle(process.env.REPLICA_URL!, { schema })]);

const app = new Hono();
app.post('/todos', async (c) => {
  await primary.insert(schema.todos).values(await c.req.json());
  const todo = await db.query.todos.findFirst({ orderBy: (t, { desc }) => desc(t.id) });
  const count = await db.$count(schema.todos);
  const onPrimary = await db.$primary.select().from(schema.todos);
  return c.json({ todo, count, onPrimary });
});
`;

const drizzleKoa = `
import Router from '@koa/router';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { eq } from 'drizzle-orm';
import { carts } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

export const router = new Router();
router.delete('/carts/:id', async (ctx) => {
  await db.$primary.delete(carts).where(eq(carts.id, ctx.params.id));
  ctx.body = await db.select().from(carts);
});
`;

const drizzleFastifyTransaction = `
import Fastify from 'fastify';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { desc } from 'drizzle-orm';
import { accounts, transfers } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);
const recent = db.$with('recent').as(db.select().from(transfers).orderBy(desc(transfers.id)).limit(20));

const fastify = Fastify();
fastify.post('/transfers', async (request) => {
  await db.transaction(async (tx) => {
    await tx.insert(transfers).values(request.body as typeof transfers.$inferInsert);
    await tx.update(accounts).set({ updatedAt: new Date() });
  });
  return db.with(recent).select().from(recent);
});
`;

const prismaExpress = `
import express from 'express';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';

const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));

const app = express();
app.use(express.json());
app.put('/users/:id', async (req, res) => {
  await prisma.user.update({ where: { id: req.params.id }, data: { name: req.body.name } });
  const user = await prisma.user.findUnique({ where: { id: req.params.id } });
  const again = await prisma.$replica().user.findFirst({ where: { id: req.params.id } });
  const fresh = await prisma.$primary().user.findUnique({ where: { id: req.params.id } });
  res.json({ user, again, fresh });
});
`;

const prismaFastify = `
import Fastify from 'fastify';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';

const prisma = new PrismaClient().$extends(readReplicas({ url: [process.env.REPLICA_URL_1!, process.env.REPLICA_URL_2!] }));

const fastify = Fastify();
fastify.post('/posts/:id/archive', async (request) => {
  const { id } = request.params as { id: string };
  await prisma.$executeRawUnsafe('UPDATE "Post" SET archived = true WHERE id = $1', id);
  return prisma.post.findUniqueOrThrow({ where: { id } });
});
fastify.post('/posts/:id/move', async (request) => {
  const { id, folderId } = request.body as { id: string; folderId: string };
  await prisma.$transaction(async (tx) => {
    await tx.post.update({ where: { id }, data: { folderId } });
    await tx.folder.update({ where: { id: folderId }, data: { updatedAt: new Date() } });
  });
  return prisma.folder.count({ where: { id: folderId } });
});
`;

const sequelizeExpress = `
import express from 'express';
import { DataTypes, Model, Sequelize } from 'sequelize';

const sequelize = new Sequelize('app', 'app', process.env.DB_PASSWORD, {
  dialect: 'postgres',
  replication: {
    read: [{ host: 'replica-1.internal' }, { host: 'replica-2.internal' }],
    write: { host: 'primary.internal' },
  },
});

class User extends Model {}
User.init({ name: DataTypes.STRING }, { sequelize });
const Order = sequelize.define('Order', { total: DataTypes.INTEGER });

const app = express();
app.post('/users', async (req, res) => {
  const user = await User.create({ name: req.body.name });
  const found = await User.findByPk(user.get('id') as number);
  const namesakes = await User.findAll({ where: { name: req.body.name } });
  const orders = await Order.findAll();
  const orderCount = await Order.count({});
  res.status(201).json({ found, namesakes, orders, orderCount });
});
`;

const pgHelperThenReplica = `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const replica = new Pool({ connectionString: process.env.REPLICA_URL });

async function addComment(postId: string, body: string) {
  await pool.query('INSERT INTO comments (post_id, body) VALUES ($1, $2)', [postId, body]);
}

const app = express();
app.post('/posts/:id/comments', async (req, res) => {
  await addComment(req.params.id, req.body.body);
  const { rows } = await replica.query('SELECT * FROM comments WHERE post_id = $1', [req.params.id]);
  res.status(201).json(rows);
});
`;

const pgWrapperCallbacks = `
import express from 'express';
import { Pool } from 'pg';

const primary = new Pool({ connectionString: process.env.DATABASE_URL });
const replica = new Pool({ connectionString: process.env.REPLICA_URL });
const db = {
  query: (text: string, params: unknown[], callback: (err: Error | null, result?: { rows: unknown[] }) => void) => primary.query(text, params, callback),
  read: (text: string, params: unknown[], callback: (err: Error | null, result?: { rows: unknown[] }) => void) => replica.query(text, params, callback),
};

const app = express();
app.post('/books/:id/reviews', (req, res, next) => {
  db.query('INSERT INTO reviews (book_id, body) VALUES ($1, $2)', [req.params.id, req.body.text], (err) => {
    if (err) return next(err);
    db.read('SELECT id, body FROM reviews WHERE book_id = $1', [req.params.id], (err, result) => {
      if (err) return next(err);
      res.status(201).json({ reviews: result?.rows });
    });
  });
});
app.get('/books/:id/reviews', (req, res, next) => {
  db.read('SELECT id, body FROM reviews WHERE book_id = $1', [req.params.id], (err, result) => (err ? next(err) : res.json({ reviews: result?.rows })));
});
`;

const pgVotes = `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const readPool = new Pool({ connectionString: process.env.REPLICA_URL });

const app = express();
app.post('/votes', async (req, res) => {
  await pool.query('SELECT pg_advisory_xact_lock(1)');
  const { rows: before } = await readPool.query('SELECT count(*) FROM votes');
  await pool.query({ text: 'WITH v AS (SELECT $1::int AS id) INSERT INTO votes (poll_id) SELECT id FROM v', values: [req.body.pollId] });
  await pool.query(\`UPDATE polls SET votes = votes + 1 WHERE id = \${Number(req.body.pollId)}\`);
  const { rows: after } = await readPool.query('SELECT count(*) FROM votes');
  res.json({ before, after });
});
`;

const clientsNest = `
import { Injectable, Controller, Post, Body } from '@nestjs/common';
import { Pool } from 'pg';

@Injectable()
export class NotesService {
  private readonly writer = new Pool({ connectionString: process.env.DATABASE_URL });
  private readonly reader = new Pool({ connectionString: process.env.REPLICA_URL });

  async create(body: string) {
    await this.writer.query({ text: 'INSERT INTO notes (body) VALUES ($1)', values: [body] });
    const { rows } = await this.reader.query('SELECT * FROM notes ORDER BY id DESC LIMIT 20');
    return rows;
  }
}

@Controller('notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Post()
  create(@Body() body: { text: string }) {
    return this.notes.create(body.text);
  }
}
`;

const knexExpress = `
import express from 'express';
import knex from 'knex';

const writer = knex({ client: 'pg', connection: process.env.DATABASE_URL });
const reader = knex({ client: 'pg', connection: process.env.REPLICA_URL });

const app = express();
app.post('/tags', async (req, res) => {
  await writer('tags').insert({ name: req.body.name });
  const tag = await reader('tags').where({ name: req.body.name }).first();
  res.status(201).json(tag);
});
`;

const trpcPrisma = `
import { initTRPC } from '@trpc/server';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';

const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));
const t = initTRPC.create();

export const appRouter = t.router({
  addTodo: t.procedure.mutation(async ({ input }) => {
    await prisma.todo.create({ data: { title: String(input) } });
    return prisma.todo.findMany();
  }),
});
`;

const graphqlPrisma = `
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';

const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));

export const resolvers = {
  Mutation: {
    async renameProject(_parent: unknown, args: { id: string; name: string }) {
      await prisma.project.update({ where: { id: args.id }, data: { name: args.name } });
      return prisma.project.findUniqueOrThrow({ where: { id: args.id } });
    },
  },
};
`;

const nestPrisma = `
import { Body, Controller, Injectable, Post } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';

const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));

@Injectable()
export class ProjectsService {
  async create(name: string) {
    const project = await prisma.project.create({ data: { name } });
    return prisma.project.findUnique({ where: { id: project.id } });
  }
}

@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  create(@Body() body: { name: string }) {
    return this.projects.create(body.name);
  }
}
`;

const drizzleTwoRoutes = `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { eq } from 'drizzle-orm';
import { profiles } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

async function loadProfile(userId: string) {
  const [profile] = await db.select().from(profiles).where(eq(profiles.userId, userId));
  return profile;
}

const app = express();
app.put('/profile', async (req, res) => {
  await db.update(profiles).set(req.body).where(eq(profiles.userId, req.body.userId));
  res.json(await loadProfile(req.body.userId));
});
app.post('/profile/avatar', async (req, res) => {
  await db.update(profiles).set({ avatarUrl: req.body.url }).where(eq(profiles.userId, req.body.userId));
  res.json(await loadProfile(req.body.userId));
});
app.get('/profile/:userId', async (req, res) => {
  res.json(await loadProfile(req.params.userId));
});
`;

const drizzleTryCatch = `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

const app = express();
app.post('/users', async (req, res) => {
  try {
    await db.insert(users).values(req.body);
  } catch (error) {
    return res.status(400).json({ error: String(error) });
  }
  res.status(201).json(await db.select().from(users));
});
`;

/** Cases that need no file name: run untyped and typed. `file` is how messages name the linted file. */
const prismaTagged = `
import express from 'express';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';

const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));
const app = express();
app.post('/posts/:id/publish', async (req, res) => {
  await prisma.$executeRaw\`UPDATE "Post" SET published = true WHERE id = \${req.params.id}\`;
  res.json(await prisma.post.findUnique({ where: { id: req.params.id } }));
});
`;

const drizzleSwitchBreak = `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

const app = express();
app.post('/users', async (req, res) => {
  switch (req.body.op) {
    case 'create':
      await db.insert(users).values(req.body.users);
      break;
  }
  res.json(await db.select().from(users));
});
`;

const TYPEORM_EXPRESS = `
import express from 'express';
import { DataSource } from 'typeorm';
import { Invoice } from './entities/invoice';

export const dataSource = new DataSource({
  type: 'postgres',
  replication: {
    master: { host: 'primary.internal' },
    slaves: [{ host: 'replica-1.internal' }],
  },
  entities: [Invoice],
});
const invoices = dataSource.getRepository(Invoice);

const app = express();
app.post('/invoices', async (req, res) => {
  const saved = await invoices.save(invoices.create(req.body));
  const invoice = await invoices.findOneBy({ id: saved.id });
  const total = await dataSource.manager.count(Invoice);
  const sameCustomer = await invoices.createQueryBuilder('invoice').where('invoice.customerId = :id', { id: saved.customerId }).getMany();
  res.status(201).json({ invoice, total, sameCustomer });
});
`;

const typeormConstructorInjection = `
import { Body, Controller, Module, Param, Put } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Column, Entity, PrimaryGeneratedColumn, Repository } from 'typeorm';

@Entity()
class Invoice {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column() paid!: boolean;
}

@Module({ imports: [TypeOrmModule.forRoot({ type: 'postgres', replication: { master: { url: process.env.DATABASE_URL }, slaves: [{ url: process.env.REPLICA_URL }] } })] })
export class AppModule {}

@Controller('invoices')
export class InvoicesController {
  constructor(@InjectRepository(Invoice) private readonly invoices: Repository<Invoice>) {}

  @Put(':id')
  async pay(@Param('id') id: string, @Body() body: { paid: boolean }) {
    await this.invoices.save({ id, paid: body.paid });
    return this.invoices.findOneBy({ id });
  }
}
`;

const postgresTagged = `
import express from 'express';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!);
const replica = postgres(process.env.REPLICA_URL!);

const app = express();
app.post('/posts/:id/likes', async (req, res) => {
  await sql\`INSERT INTO likes (post_id) VALUES (\${req.params.id})\`;
  const [{ count }] = await replica\`SELECT count(*) FROM likes\`;
  res.json({ count });
});
`;

const typeormDataSourceQuery = `
import express from 'express';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
class Invoice {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column() paid!: boolean;
}

export const dataSource = new DataSource({ type: 'postgres', entities: [Invoice], replication: { master: { url: process.env.DATABASE_URL }, slaves: [{ url: process.env.REPLICA_URL }] } });
const app = express();
app.post('/invoices/:id/pay', async (req, res) => {
  await dataSource.query('UPDATE invoice SET paid = true WHERE id = $1', [req.params.id]);
  res.json(await dataSource.getRepository(Invoice).findOneBy({ id: req.params.id }));
});
`;

const sameFileInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: "Express + pg, the project's own wrappers: db.read in the callback of db.query('INSERT …'); the GET route's db.read is quiet",
    code: pgWrapperCallbacks,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 16,
        column: 5,
        endLine: 19,
        endColumn: 7,
        data: { read: 'db.read()', write: 'db.query()', writeAt: `${file}:14`, route: `POST /books/:id/reviews (${file}:13)` },
        suggestions: [readFromPrimary(pgWrapperCallbacks, '`query`', "db.read('SELECT id, body FROM reviews WHERE book_id = $1', [req.params.id], (err, result) => {", "db.query('SELECT id, body FROM reviews WHERE book_id = $1', [req.params.id], (err, result) => {")],
      },
    ],
  },
  {
    name: 'Express + Drizzle withReplicas: db.insert() then db.select()',
    code: drizzleExpress,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 15,
        column: 25,
        endLine: 15,
        endColumn: 36,
        data: { read: 'db.select()', write: 'db.insert()', writeAt: `${file}:14`, route: `POST /orders (${file}:13)` },
        suggestions: [readFromPrimary(drizzleExpress, '`db.$primary`', 'await db.select()', 'await db.$primary.select()')],
      },
    ],
  },
  {
    name: 'Hono + Drizzle: a write on the primary given to withReplicas, then db.query.todos.findFirst() and db.$count(); db.$primary.select() is quiet',
    code: drizzleHono,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 13,
        column: 22,
        endLine: 13,
        endColumn: 88,
        data: { read: 'db.query.todos.findFirst()', write: 'primary.insert()', writeAt: `${file}:12`, route: `POST /todos (${file}:11)` },
        suggestions: [readFromPrimary(drizzleHono, '`db.$primary`', 'await db.query.todos', 'await db.$primary.query.todos')],
      },
      {
        messageId: 'replicaReadAfterWrite',
        line: 14,
        column: 23,
        endLine: 14,
        endColumn: 46,
        data: { read: 'db.$count()', write: 'primary.insert()', writeAt: `${file}:12`, route: `POST /todos (${file}:11)` },
        suggestions: [readFromPrimary(drizzleHono, '`db.$primary`', 'await db.$count(', 'await db.$primary.$count(')],
      },
    ],
  },
  {
    name: 'Koa + @koa/router + Drizzle: db.$primary.delete() is a write too',
    code: drizzleKoa,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 13,
        column: 20,
        endLine: 13,
        endColumn: 31,
        data: { read: 'db.select()', write: 'db.$primary.delete()', writeAt: `${file}:12`, route: `DELETE /carts/:id (${file}:11)` },
        suggestions: [readFromPrimary(drizzleKoa, '`db.$primary`', 'await db.select()', 'await db.$primary.select()')],
      },
    ],
  },
  {
    name: 'Fastify + Drizzle: db.transaction(…) then db.with(cte).select(); the CTE built at module scope is start-up code',
    code: drizzleFastifyTransaction,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 17,
        column: 10,
        endLine: 17,
        endColumn: 34,
        data: { read: 'db.select()', write: 'db.transaction()', writeAt: `${file}:13`, route: `POST /transfers (${file}:12)` },
        suggestions: [readFromPrimary(drizzleFastifyTransaction, '`db.$primary`', 'return db.with(', 'return db.$primary.with(')],
      },
    ],
  },
  {
    name: 'Express + Drizzle: the read in a helper that two writing routes call names both; the reading-only route is not named',
    code: drizzleTwoRoutes,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 11,
        column: 27,
        endLine: 11,
        endColumn: 38,
        data: { read: 'db.select()', write: 'db.update()', writeAt: `${file}:17`, route: `PUT /profile (${file}:16) and 1 other route` },
        suggestions: [readFromPrimary(drizzleTwoRoutes, '`db.$primary`', 'await db.select()', 'await db.$primary.select()')],
      },
    ],
  },
  {
    name: 'Express + Drizzle: a write in try whose catch returns still runs before the read',
    code: drizzleTryCatch,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 16,
        column: 30,
        endLine: 16,
        endColumn: 41,
        data: { read: 'db.select()', write: 'db.insert()', writeAt: `${file}:12`, route: `POST /users (${file}:10)` },
        suggestions: [readFromPrimary(drizzleTryCatch, '`db.$primary`', 'await db.select()', 'await db.$primary.select()')],
      },
    ],
  },
  {
    name: 'Express + Prisma readReplicas: update then findUnique and $replica().findFirst; $primary().findUnique is quiet',
    code: prismaExpress,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 12,
        column: 22,
        endLine: 12,
        endColumn: 78,
        data: { read: 'prisma.user.findUnique()', write: 'prisma.user.update()', writeAt: `${file}:11`, route: `PUT /users/:id (${file}:10)` },
        suggestions: [readFromPrimary(prismaExpress, '`prisma.$primary()`', 'const user = await prisma.user', 'const user = await prisma.$primary().user')],
      },
      {
        messageId: 'replicaReadAfterWrite',
        line: 13,
        column: 23,
        endLine: 13,
        endColumn: 89,
        data: { read: 'prisma.user.findFirst()', write: 'prisma.user.update()', writeAt: `${file}:11`, route: `PUT /users/:id (${file}:10)` },
        suggestions: [readFromPrimary(prismaExpress, '`prisma.$primary`', 'prisma.$replica()', 'prisma.$primary()')],
      },
    ],
  },
  {
    name: 'Fastify + Prisma: $executeRawUnsafe and $transaction(callback) are writes',
    code: prismaFastify,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 12,
        column: 10,
        endLine: 12,
        endColumn: 58,
        data: {
          read: 'prisma.post.findUniqueOrThrow()',
          write: 'prisma.$executeRawUnsafe()',
          writeAt: `${file}:11`,
          route: `POST /posts/:id/archive (${file}:9)`,
        },
        suggestions: [readFromPrimary(prismaFastify, '`prisma.$primary()`', 'return prisma.post', 'return prisma.$primary().post')],
      },
      {
        messageId: 'replicaReadAfterWrite',
        line: 20,
        column: 10,
        endLine: 20,
        endColumn: 58,
        data: { read: 'prisma.folder.count()', write: 'prisma.$transaction()', writeAt: `${file}:16`, route: `POST /posts/:id/move (${file}:14)` },
        suggestions: [readFromPrimary(prismaFastify, '`prisma.$primary()`', 'return prisma.folder', 'return prisma.$primary().folder')],
      },
    ],
  },
  {
    name: 'Express + Sequelize replication: create then findByPk and findAll({ where }) on the same model; reads of another model (Order) are quiet',
    code: sequelizeExpress,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 20,
        column: 23,
        endLine: 20,
        endColumn: 62,
        data: { read: 'User.findByPk()', write: 'User.create()', writeAt: `${file}:19`, route: `POST /users (${file}:18)` },
        suggestions: [
          readFromPrimary(sequelizeExpress, '`useMaster: true`', "User.findByPk(user.get('id') as number)", "User.findByPk(user.get('id') as number, { useMaster: true })"),
        ],
      },
      {
        messageId: 'replicaReadAfterWrite',
        line: 21,
        column: 27,
        endLine: 21,
        endColumn: 75,
        data: { read: 'User.findAll()', write: 'User.create()', writeAt: `${file}:19`, route: `POST /users (${file}:18)` },
        suggestions: [
          readFromPrimary(
            sequelizeExpress,
            '`useMaster: true`',
            'User.findAll({ where: { name: req.body.name } })',
            'User.findAll({ where: { name: req.body.name }, useMaster: true })',
          ),
        ],
      },
    ],
  },
  {
    name: 'Express + TypeORM replication: repository save then findOneBy, dataSource.manager.count() and a select query builder (only the entity manager read gets a suggestion: a repository needs its type to be known)',
    code: TYPEORM_EXPRESS,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 19,
        column: 25,
        endLine: 19,
        endColumn: 61,
        data: { read: 'invoices.findOneBy()', write: 'invoices.save()', writeAt: `${file}:18`, route: `POST /invoices (${file}:17)` },
        suggestions: [],
      },
      {
        messageId: 'replicaReadAfterWrite',
        line: 20,
        column: 23,
        endLine: 20,
        endColumn: 56,
        data: { read: 'dataSource.manager.count()', write: 'invoices.save()', writeAt: `${file}:18`, route: `POST /invoices (${file}:17)` },
        suggestions: [readFromPrimary(TYPEORM_EXPRESS, '`dataSource.manager.transaction(…)`', 'await dataSource.manager.count(Invoice)', 'await dataSource.manager.transaction((primary) => primary.count(Invoice))')],
      },
      {
        messageId: 'replicaReadAfterWrite',
        line: 21,
        column: 30,
        endLine: 21,
        endColumn: 138,
        data: {
          read: "invoices.createQueryBuilder('invoice')….getMany()",
          write: 'invoices.save()',
          writeAt: `${file}:18`,
          route: `POST /invoices (${file}:17)`,
        },
        suggestions: [],
      },
    ],
  },
  {
    name: 'NestJS + TypeORM: an update query builder then findOne on an @InjectRepository property; queryRunner.manager and a builder given the runner are the primary',
    code: `
import { Controller, Param, Put } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Invoice } from './invoice.entity';

export const dataSource = new DataSource({
  type: 'postgres',
  replication: { master: { host: 'primary.internal' }, slaves: [{ host: 'replica-1.internal' }] },
});

@Controller('invoices')
export class InvoicesController {
  @InjectRepository(Invoice)
  private readonly invoices!: Repository<Invoice>;

  @Put(':id/pay')
  async pay(@Param('id') id: string) {
    await this.invoices.createQueryBuilder().update(Invoice).set({ paid: true }).where('id = :id', { id }).execute();
    const queryRunner = dataSource.createQueryRunner();
    const onPrimary = await queryRunner.manager.findOneBy(Invoice, { id });
    const alsoOnPrimary = await this.invoices.createQueryBuilder('invoice', queryRunner).getOne();
    await queryRunner.release();
    const stale = await this.invoices.findOne({ where: { id } });
    return { onPrimary, alsoOnPrimary, stale };
  }
}
`,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 24,
        column: 25,
        endLine: 24,
        endColumn: 65,
        data: {
          read: 'this.invoices.findOne()',
          write: 'this.invoices.createQueryBuilder()….execute()',
          writeAt: `${file}:19`,
          route: `PUT /invoices/:id/pay (InvoicesController.pay, ${file}:17)`,
        },
        suggestions: [],
      },
    ],
  },
  {
    name: 'Express + TypeORM: static BaseEntity methods',
    code: `
import express from 'express';
import { BaseEntity, Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
class Subscriber extends BaseEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  email!: string;
}

export const dataSource = new DataSource({
  type: 'mysql',
  replication: { master: { host: 'primary.internal' }, slaves: [{ host: 'replica-1.internal' }] },
  entities: [Subscriber],
});

const app = express();
app.post('/subscribers', async (req, res) => {
  await Subscriber.insert({ email: req.body.email });
  res.status(201).json(await Subscriber.findOneBy({ email: req.body.email }));
});
`,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 23,
        column: 30,
        endLine: 23,
        endColumn: 77,
        data: { read: 'Subscriber.findOneBy()', write: 'Subscriber.insert()', writeAt: `${file}:22`, route: `POST /subscribers (${file}:21)` },
        suggestions: [],
      },
    ],
  },
  {
    name: "Express + pg: pool.query('INSERT …') in a helper, then replica.query(…); the fix reads from the pool the flow wrote with",
    code: pgHelperThenReplica,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 15,
        column: 26,
        endLine: 15,
        endColumn: 101,
        data: { read: 'replica.query()', write: 'pool.query()', writeAt: `${file}:9`, route: `POST /posts/:id/comments (${file}:13)` },
        suggestions: [readFromPrimary(pgHelperThenReplica, '`pool`', 'await replica.query(', 'await pool.query(')],
      },
    ],
  },
  {
    name: 'Express + pg: { text } WITH … INSERT INTO votes is the write a SELECT … FROM votes misses; UPDATE polls (another table) and SELECT on the primary are not',
    code: pgVotes,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 14,
        column: 33,
        endLine: 14,
        endColumn: 77,
        data: { read: 'readPool.query()', write: 'pool.query()', writeAt: `${file}:12`, route: `POST /votes (${file}:9)` },
        suggestions: [readFromPrimary(pgVotes, '`pool`', '{ rows: after } = await readPool.query(', '{ rows: after } = await pool.query(')],
      },
    ],
  },
  {
    name: 'Express + pg: the helper writes through its own `db` parameter, which the handler cannot name: no suggestion',
    code: `
import express from 'express';
import { Pool } from 'pg';

const replicaPool = new Pool({ connectionString: process.env.REPLICA_URL });

async function addTag(db: Pool, name: string) {
  await db.query('INSERT INTO tags (name) VALUES ($1)', [name]);
}

const app = express();
app.post('/tags', async (req, res) => {
  await addTag(new Pool(), req.body.name);
  const { rows } = await replicaPool.query('SELECT * FROM tags');
  res.status(201).json(rows);
});
`,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 14,
        column: 26,
        endLine: 14,
        endColumn: 65,
        data: { read: 'replicaPool.query()', write: 'db.query()', writeAt: `${file}:8`, route: `POST /tags (${file}:12)` },
        suggestions: [],
      },
    ],
  },
  {
    name: "Express + knex: writer('tags').insert() then reader('tags').where(…).first(), reported once at reader('tags')",
    code: knexExpress,
    options: [{ primaryClients: ['writer'] }],
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 11,
        column: 21,
        endLine: 11,
        endColumn: 35,
        data: { read: 'reader()', write: "writer('tags').insert()", writeAt: `${file}:10`, route: `POST /tags (${file}:9)` },
        suggestions: [readFromPrimary(knexExpress, '`writer`', "await reader('tags')", "await writer('tags')")],
      },
    ],
  },
  {
    name: 'NestJS + pg: this.writer.query({ text: INSERT }) then this.reader.query(…) in a service; primaryClients names the fix',
    code: clientsNest,
    options: [{ primaryClients: ['writer'] }],
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 12,
        column: 28,
        endLine: 12,
        endColumn: 94,
        data: {
          read: 'this.reader.query()',
          write: 'this.writer.query()',
          writeAt: `${file}:11`,
          route: `POST /notes (NotesController.create, ${file}:21)`,
        },
        suggestions: [readFromPrimary(clientsNest, '`this.writer`', 'await this.reader.query(', 'await this.writer.query(')],
      },
    ],
  },
  {
    name: 'replicaClients and primaryClients replace the defaults: warehouse writes, analytics reads',
    code: `
import express from 'express';
import { Pool } from 'pg';

const warehouse = new Pool({ connectionString: process.env.WAREHOUSE_URL });
const analytics = new Pool({ connectionString: process.env.ANALYTICS_REPLICA_URL });

const app = express();
app.post('/events', async (req, res) => {
  await warehouse.query('INSERT INTO events (name) VALUES ($1)', [req.body.name]);
  const { rows } = await analytics.query('SELECT count(*) FROM events');
  res.json(rows[0]);
});
`,
    options: [{ replicaClients: ['/^analytics$/'], primaryClients: ['warehouse'] }],
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 11,
        column: 26,
        endLine: 11,
        endColumn: 72,
        data: { read: 'analytics.query()', write: 'warehouse.query()', writeAt: `${file}:10`, route: `POST /events (${file}:9)` },
        suggestions: [
          {
            messageId: 'readFromPrimary',
            data: { replacement: '`warehouse`' },
            output: `
import express from 'express';
import { Pool } from 'pg';

const warehouse = new Pool({ connectionString: process.env.WAREHOUSE_URL });
const analytics = new Pool({ connectionString: process.env.ANALYTICS_REPLICA_URL });

const app = express();
app.post('/events', async (req, res) => {
  await warehouse.query('INSERT INTO events (name) VALUES ($1)', [req.body.name]);
  const { rows } = await warehouse.query('SELECT count(*) FROM events');
  res.json(rows[0]);
});
`,
          },
        ],
      },
    ],
  },
  {
    name: 'NestJS controller calling an @Injectable service in the same file',
    code: nestPrisma,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 12,
        column: 12,
        endLine: 12,
        endColumn: 68,
        data: {
          read: 'prisma.project.findUnique()',
          write: 'prisma.project.create()',
          writeAt: `${file}:11`,
          route: `POST /projects (ProjectsController.create, ${file}:20)`,
        },
        suggestions: [readFromPrimary(nestPrisma, '`prisma.$primary()`', 'return prisma.project', 'return prisma.$primary().project')],
      },
    ],
  },
  {
    name: 'tRPC mutation + Prisma',
    code: trpcPrisma,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 12,
        column: 12,
        endLine: 12,
        endColumn: 34,
        data: { read: 'prisma.todo.findMany()', write: 'prisma.todo.create()', writeAt: `${file}:11`, route: `tRPC mutation addTodo (${file}:10)` },
        suggestions: [readFromPrimary(trpcPrisma, '`prisma.$primary()`', 'return prisma.todo', 'return prisma.$primary().todo')],
      },
    ],
  },
  {
    name: 'GraphQL resolver map + Prisma',
    code: graphqlPrisma,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 11,
        column: 14,
        endLine: 11,
        endColumn: 74,
        data: {
          read: 'prisma.project.findUniqueOrThrow()',
          write: 'prisma.project.update()',
          writeAt: `${file}:10`,
          route: `GraphQL mutation renameProject (${file}:9)`,
        },
        suggestions: [readFromPrimary(graphqlPrisma, '`prisma.$primary()`', 'return prisma.project', 'return prisma.$primary().project')],
      },
    ],
  },
  {
    name: 'Prisma: a tagged-template $executeRaw is a write',
    code: prismaTagged,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 10,
        column: 18,
        endLine: 10,
        endColumn: 74,
        data: { read: 'prisma.post.findUnique()', write: 'prisma.$executeRaw`…`', writeAt: `${file}:9`, route: `POST /posts/:id/publish (${file}:8)` },
        suggestions: [readFromPrimary(prismaTagged, '`prisma.$primary()`', 'res.json(await prisma.post', 'res.json(await prisma.$primary().post')],
      },
    ],
  },
  {
    name: 'Drizzle: break leaves the switch, and the read after it still runs',
    code: drizzleSwitchBreak,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 16,
        column: 18,
        endLine: 16,
        endColumn: 29,
        data: { read: 'db.select()', write: 'db.insert()', writeAt: `${file}:13`, route: `POST /users (${file}:10)` },
        suggestions: [readFromPrimary(drizzleSwitchBreak, '`db.$primary`', 'await db.select()', 'await db.$primary.select()')],
      },
    ],
  },
  {
    name: 'NestJS + TypeORM: a repository injected through the constructor',
    code: typeormConstructorInjection,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 22,
        column: 12,
        endLine: 22,
        endColumn: 43,
        data: { read: 'this.invoices.findOneBy()', write: 'this.invoices.save()', writeAt: `${file}:21`, route: `PUT /invoices/:id (InvoicesController.pay, ${file}:19)` },
        suggestions: [],
      },
    ],
  },
  {
    name: 'postgres.js tagged templates: an INSERT on sql, then a query on replica',
    code: postgresTagged,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 11,
        column: 29,
        endLine: 11,
        endColumn: 64,
        data: { read: 'replica`…`', write: 'sql`…`', writeAt: `${file}:10`, route: `POST /posts/:id/likes (${file}:9)` },
        // The tag is the client: the read moves to the tag the write used.
        suggestions: [readFromPrimary(postgresTagged, '`sql`', 'await replica`SELECT', 'await sql`SELECT')],
      },
    ],
  },
  {
    name: 'TypeORM: a raw UPDATE on the data source, then a repository read',
    code: typeormDataSourceQuery,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 15,
        column: 18,
        endLine: 15,
        endColumn: 84,
        data: { read: 'dataSource.getRepository(Invoice).findOneBy()', write: 'dataSource.query()', writeAt: `${file}:14`, route: `POST /invoices/:id/pay (${file}:13)` },
        suggestions: [],
      },
    ],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  {
    name: 'A write to another table or model cannot be what the read misses (Drizzle tables, Prisma models)',
    code: `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';
import { auditLog, users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);
const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));

const app = express();
app.get('/users', async (req, res) => {
  await db.insert(auditLog).values({ path: req.path });
  await prisma.loginEvent.create({ data: { path: req.path } });
  res.json({ users: await db.select().from(users), templates: await prisma.emailTemplate.findMany() });
});
`,
  },
  {
    name: 'Drizzle: a write in a callback that runs after the response (res.on finish) does not come before the read',
    code: `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { auditLog, users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

const app = express();
app.get('/users', async (req, res) => {
  res.on('finish', () => {
    void db.insert(auditLog).values({ path: req.path });
  });
  setImmediate(() => void db.insert(auditLog).values({ path: req.path }));
  res.json(await db.select().from(users));
});
`,
  },
  {
    name: 'Drizzle: the read runs before the write',
    code: `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { eq } from 'drizzle-orm';
import { users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

const app = express();
app.post('/signup', async (req, res) => {
  const [existing] = await db.select().from(users).where(eq(users.email, req.body.email));
  if (existing) return res.status(409).end();
  await db.insert(users).values(req.body);
  res.sendStatus(201);
});
`,
  },
  {
    name: 'Drizzle: write and read in exclusive branches (if/else, ?:, switch cases) and a write whose branch returns first',
    code: `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { eq } from 'drizzle-orm';
import { sessions, users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

const app = express();
app.post('/users/upsert', async (req, res) => {
  if (req.body.id) {
    await db.update(users).set(req.body).where(eq(users.id, req.body.id));
  } else {
    res.json(await db.select().from(users));
  }
});
app.post('/users/preview', async (req, res) => {
  res.json(req.body.dryRun ? await db.select().from(users) : await db.insert(users).values(req.body).returning());
});
app.post('/users/op', async (req, res) => {
  switch (req.body.op) {
    case 'create':
      await db.insert(users).values(req.body);
      return res.sendStatus(201);
    case 'list':
      return res.json(await db.select().from(users));
  }
});
app.post('/sessions', async (req, res) => {
  const [session] = await db.select().from(sessions).where(eq(sessions.token, req.body.token));
  if (!session) {
    await db.insert(sessions).values({ token: req.body.token });
    return res.status(201).json({ created: true });
  }
  const [user] = await db.select().from(users).where(eq(users.id, session.userId));
  res.json(user);
});
`,
  },
  {
    name: 'Drizzle: the write in one route, the read in another',
    code: `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

const app = express();
app.post('/users', async (req, res) => {
  await db.insert(users).values(req.body);
  res.sendStatus(201);
});
app.get('/users', async (req, res) => {
  res.json(await db.select().from(users));
});
`,
  },
  {
    name: 'reads on the primary: db.$primary.select(), prisma.$primary(), useMaster: true, a transaction option and a sequelize.transaction callback',
    code: `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';
import { DataTypes, Sequelize } from 'sequelize';
import { users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);
const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));
const sequelize = new Sequelize(process.env.DATABASE_URL!, {
  replication: { read: [{ host: 'replica.internal' }], write: { host: 'primary.internal' } },
});
const Order = sequelize.define('Order', { total: DataTypes.INTEGER });

const app = express();
app.post('/users', async (req, res) => {
  await db.insert(users).values(req.body);
  res.json(await db.$primary.select().from(users));
});
app.post('/teams', async (req, res) => {
  const team = await prisma.team.create({ data: req.body });
  res.json(await prisma.$primary().team.findUnique({ where: { id: team.id } }));
});
app.post('/orders', async (req, res) => {
  const order = await Order.create({ total: req.body.total });
  const fresh = await Order.findByPk(order.get('id') as number, { useMaster: true });
  const placed = await sequelize.transaction(async (transaction) => {
    const created = await Order.create({ total: req.body.total }, { transaction });
    return Order.findByPk(created.get('id') as number, { transaction });
  });
  res.json({ fresh, placed, all: await sequelize.transaction(async () => Order.findAll()) });
});
`,
  },
  {
    name: 'Sequelize: read options built elsewhere may say useMaster',
    code: `
import express from 'express';
import { DataTypes, Sequelize, type FindOptions } from 'sequelize';

const sequelize = new Sequelize(process.env.DATABASE_URL!, {
  replication: { read: [{ host: 'replica.internal' }], write: { host: 'primary.internal' } },
});
const Order = sequelize.define('Order', { total: DataTypes.INTEGER });
const fromPrimary: FindOptions = { useMaster: true };

const app = express();
app.post('/orders', async (req, res) => {
  await Order.create({ total: req.body.total });
  res.json(await Order.findAll(fromPrimary));
});
`,
  },
  {
    name: 'no replication configured: plain drizzle, a plain PrismaClient, Sequelize without replication',
    code: `
import express from 'express';
import { PrismaClient } from '@prisma/client';
import { drizzle } from 'drizzle-orm/node-postgres';
import { DataTypes, Sequelize } from 'sequelize';
import { users } from './schema';

const prisma = new PrismaClient();
const db = drizzle(process.env.DATABASE_URL!);
const sequelize = new Sequelize(process.env.DATABASE_URL!);
const Tag = sequelize.define('Tag', { name: DataTypes.STRING });

const app = express();
app.post('/users', async (req, res) => {
  await prisma.user.create({ data: req.body });
  await db.insert(users).values(req.body);
  await Tag.create({ name: req.body.tag });
  res.json({ a: await prisma.user.findMany(), b: await db.select().from(users), c: await Tag.findAll() });
});
`,
  },
  {
    name: 'start-up code: writes and reads at module scope and in initDatabase() before listen; a user object with a select method; a Prisma write then a Drizzle read',
    code: `
import express from 'express';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { auditLog } from './schema';

const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));
const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

const search = {
  select(fields: string[]) {
    return { fields };
  },
};

async function initDatabase() {
  await prisma.setting.upsert({ where: { key: 'version' }, create: { key: 'version', value: '1' }, update: {} });
  return prisma.setting.findMany();
}

await prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
const settings = await prisma.setting.findMany();

const app = express();
app.post('/users', async (req, res) => {
  const user = await prisma.user.create({ data: req.body });
  const fields = search.select(['id', 'email']);
  const log = await db.select().from(auditLog);
  res.status(201).json({ user, fields, log, settings });
});

await initDatabase();
app.listen(3000);
`,
  },
  {
    name: 'configured clients: only SELECTs on the primary, pool management calls on the replica',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const replica = new Pool({ connectionString: process.env.REPLICA_URL });

const app = express();
app.post('/reports', async (req, res) => {
  await pool.query('SELECT set_config($1, $2, true)', ['app.user', String(req.body.userId)]);
  const { rows } = await replica.query({ text: 'SELECT * FROM reports' });
  replica.on('error', (error) => console.error(error));
  res.json(rows);
});
`,
  },
  {
    name: 'replicaClients replaces the defaults: replica is not a replica client any more',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const replica = new Pool({ connectionString: process.env.REPLICA_URL });

const app = express();
app.post('/comments', async (req, res) => {
  await pool.query('INSERT INTO comments (body) VALUES ($1)', [req.body.body]);
  res.json((await replica.query('SELECT * FROM comments')).rows);
});
`,
    options: [{ replicaClients: ['analytics'] }],
  },
];

const writesThenReads = `
import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { users } from './schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

const app = express();
app.post('/users', async (req, res) => {
  await db.insert(users).values(req.body);
  res.json(await db.select().from(users));
});
`;

/** A data source with replication in the linted file only: typed runs see one in fixtures/replica/data-source.ts. */
const typeormWithoutReplicationHere = `
import express from 'express';
import { DataSource } from 'typeorm';
import { Invoice } from './entities/invoice';

const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, entities: [Invoice] });
const invoices = dataSource.getRepository(Invoice);

const app = express();
app.post('/invoices', async (req, res) => {
  const saved = await invoices.save(invoices.create(req.body));
  res.status(201).json(await invoices.findOneBy({ id: saved.id }));
});
`;

/** Cases whose file name decides what the file is. */
const typeormDataSources = `
import express from 'express';
import { DataSource } from 'typeorm';
import { Order } from './order';

const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });
const ReplicaDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_REPLICA_URL });
const app = express();
app.post('/orders', async (req, res) => {
  await AppDataSource.getRepository(Order).save(req.body);
  res.json(await ReplicaDataSource.getRepository(Order).findBy({ customer: req.body.customer }));
});
`;

const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'Express + two TypeORM data sources of its own, the second named as the replica',
    filename: 'src/orders.ts',
    code: typeormDataSources,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 11,
        column: 18,
        endLine: 11,
        endColumn: 96,
        data: { read: 'ReplicaDataSource.getRepository(Order).findBy()', write: 'AppDataSource.getRepository(Order).save()', writeAt: 'src/orders.ts:10', route: 'POST /orders (src/orders.ts:9)' },
        suggestions: [readFromPrimary(typeormDataSources, '`AppDataSource`', 'await ReplicaDataSource.getRepository(Order).findBy', 'await AppDataSource.getRepository(Order).findBy')],
      },
    ],
  },
  {
    name: 'Next.js route handler export POST + Drizzle',
    filename: 'app/api/x/route.ts',
    code: `
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { NextResponse } from 'next/server';
import { posts } from '@/db/schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

export async function POST(request: Request) {
  await db.insert(posts).values((await request.json()) as typeof posts.$inferInsert);
  const latest = await db.select().from(posts).limit(10);
  return NextResponse.json(latest, { status: 201 });
}
`,
    errors: [
      {
        messageId: 'replicaReadAfterWrite',
        line: 11,
        column: 24,
        endLine: 11,
        endColumn: 35,
        data: { read: 'db.select()', write: 'db.insert()', writeAt: 'app/api/x/route.ts:10', route: 'POST /api/x (app/api/x/route.ts:9)' },
        suggestions: [
          {
            messageId: 'readFromPrimary',
            data: { replacement: '`db.$primary`' },
            output: `
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas } from 'drizzle-orm/pg-core';
import { NextResponse } from 'next/server';
import { posts } from '@/db/schema';

const db = withReplicas(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);

export async function POST(request: Request) {
  await db.insert(posts).values((await request.json()) as typeof posts.$inferInsert);
  const latest = await db.$primary.select().from(posts).limit(10);
  return NextResponse.json(latest, { status: 201 });
}
`,
          },
        ],
      },
    ],
  },
];

const fixture = (relativePath: string) => ({ filename: fixturePath(relativePath), code: readFileSync(fixturePath(relativePath), 'utf8') });

const fileNameValid: ValidTestCase<Options>[] = [
  { name: 'a test file never serves requests', filename: 'src/users.test.ts', code: writesThenReads },
  { name: 'a script never serves requests', filename: 'scripts/seed.ts', code: writesThenReads },
];

/** Found typed and untyped: the project index follows the controller's import of the service and the service's import of the client. */
const projectsServiceCrossFile: InvalidTestCase<MessageIds, Options> = {
  name: 'cross-file NestJS + Prisma: POST /projects calls create() then findOne() of the service; GET /projects/:id only reads',
  ...fixture('replica/projects.service.ts'),
  errors: [
    {
      messageId: 'replicaReadAfterWrite',
      line: 12,
      column: 12,
      endLine: 12,
      endColumn: 56,
      data: {
        read: 'prisma.project.findUnique()',
        write: 'prisma.project.create()',
        writeAt: 'src/rules/fixtures/replica/projects.service.ts:7',
        route: 'POST /projects (ProjectsController.create, src/rules/fixtures/replica/projects.controller.ts:8)',
      },
      suggestions: [
        {
          messageId: 'readFromPrimary',
          data: { replacement: '`prisma.$primary()`' },
          output: edited(fixture('replica/projects.service.ts').code, 'return prisma.project', 'return prisma.$primary().project'),
        },
      ],
    },
  ],
};

/** Found typed and untyped as well: the routes file imports the write (and the client) from other files. */
const ordersRoutesCrossFile: InvalidTestCase<MessageIds, Options> = {
  name: 'cross-file Drizzle: POST /orders calls placeOrder() in orders.ts, then reads db (withReplicas in db.ts); GET /orders/:id only reads',
  ...fixture('replica/orders.routes.ts'),
  errors: [
    {
      messageId: 'replicaReadAfterWrite',
      line: 13,
      column: 25,
      endLine: 13,
      endColumn: 36,
      data: {
        read: 'db.select()',
        write: 'db.insert()',
        writeAt: 'src/rules/fixtures/replica/orders.ts:7',
        route: 'POST /orders (src/rules/fixtures/replica/orders.routes.ts:9)',
      },
      suggestions: [
        {
          messageId: 'readFromPrimary',
          data: { replacement: '`db.$primary`' },
          output: edited(
            fixture('replica/orders.routes.ts').code,
            'const [order] = await db.select().from(orders).where(eq(orders.id, id));',
            'const [order] = await db.$primary.select().from(orders).where(eq(orders.id, id));',
          ),
        },
      ],
    },
  ],
};

const commentsRoutesCrossFile: InvalidTestCase<MessageIds, Options> = {
  name: "cross-file pg: POST /posts/:id/comments calls addComment() (pool.query('INSERT …') in comments.ts), then replica.query(…)",
  ...fixture('replica/comments.routes.ts'),
  errors: [
    {
      messageId: 'replicaReadAfterWrite',
      line: 10,
      column: 26,
      endLine: 10,
      endColumn: 102,
      data: {
        read: 'replica.query()',
        write: 'pool.query()',
        writeAt: 'src/rules/fixtures/replica/comments.ts:4',
        route: 'POST /posts/:id/comments (src/rules/fixtures/replica/comments.routes.ts:7)',
      },
      suggestions: [],
    },
  ],
};

/** Untyped analysis does not see these: the replica client or the write is configured in another file (the replica classifier reads one file). */
const untypedCrossFileValid: ValidTestCase<Options>[] = [
  { name: 'untyped: invoices.service.ts has no replication config in its file', ...fixture('replica/invoices.service.ts') },
  { name: 'untyped: TypeORM without replication in the file', code: typeormWithoutReplicationHere },
];

createUntypedRuleTester().run('no-replica-read-after-write', rule, {
  valid: [...sameFileValid, ...fileNameValid, ...untypedCrossFileValid],
  invalid: [...sameFileInvalid('file.ts'), ...fileNameInvalid, projectsServiceCrossFile, ordersRoutesCrossFile, commentsRoutesCrossFile],
});

createTypedRuleTester().run('no-replica-read-after-write (typed)', rule, {
  valid: [
    ...sameFileValid,
    { name: 'cross-file: orders.ts reads findCustomer() before placeOrder() writes in POST /orders', ...fixture('replica/orders.ts') },
    { name: 'cross-file: db.ts declares the clients and queries nothing', ...fixture('replica/db.ts') },
    { name: 'cross-file NestJS: the controller reaches the service reads but makes no query itself', ...fixture('replica/projects.controller.ts') },
    { name: 'cross-file NestJS + TypeORM: the controller makes no query itself', ...fixture('replica/invoices.controller.ts') },
    { name: 'cross-file: comments.ts writes, it reads nothing', ...fixture('replica/comments.ts') },
  ],
  invalid: [
    ...sameFileInvalid('src/rules/fixtures/file.ts'),
    ordersRoutesCrossFile,
    projectsServiceCrossFile,
    commentsRoutesCrossFile,
    {
      name: 'cross-file NestJS + TypeORM: replication in data-source.ts, the controller calls markPaid() then findOne() of the service',
      ...fixture('replica/invoices.service.ts'),
      errors: [
        {
          messageId: 'replicaReadAfterWrite',
          line: 15,
          column: 12,
          endLine: 15,
          endColumn: 43,
          data: {
            read: 'this.invoices.findOneBy()',
            write: 'this.invoices.update()',
            writeAt: 'src/rules/fixtures/replica/invoices.service.ts:11',
            route: 'POST /invoices/:id/pay (InvoicesController.pay, src/rules/fixtures/replica/invoices.controller.ts:8)',
          },
          suggestions: [],
        },
      ],
    },
    {
      name: 'TypeORM: typed, the replication config of fixtures/replica/data-source.ts applies to every file of the program',
      code: typeormWithoutReplicationHere,
      errors: [
        {
          messageId: 'replicaReadAfterWrite',
          line: 12,
          column: 30,
          endLine: 12,
          endColumn: 66,
          data: {
            read: 'invoices.findOneBy()',
            write: 'invoices.save()',
            writeAt: 'src/rules/fixtures/file.ts:11',
            route: 'POST /invoices (src/rules/fixtures/file.ts:10)',
          },
          suggestions: [],
        },
      ],
    },
  ],
});
