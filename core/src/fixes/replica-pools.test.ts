import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../analysis/analyze';
import { createProgram } from '../testing/program';
import { planFixes } from './index';
import { ROOT, applyPlan, countFindings, findingsIn, planFirst } from '../testing/fix-plans';

// Two plain pg pools, one per server: real services export them from one module and import both
// where the handlers are. The read after a write moves to the pool the same flow wrote with.

const DB_TS = `import { Pool } from 'pg';
export const primaryPool = new Pool({ connectionString: process.env.DATABASE_URL });
export const replicaPool = new Pool({ connectionString: process.env.REPLICA_URL });
`;

const ROUTES_TS = `import express from 'express';
import { primaryPool, replicaPool } from './db';
export const app = express();
app.post('/comments', async (req, res) => {
  await primaryPool.query('INSERT INTO comments (body) VALUES ($1)', [req.body.body]);
  const { rows } = await replicaPool.query('SELECT * FROM comments ORDER BY id DESC LIMIT 10');
  res.status(201).json(rows);
});
app.get('/comments', async (req, res) => {
  const { rows } = await replicaPool.query('SELECT * FROM comments');
  res.json(rows);
});
`;

const DB_JS = `const { Pool } = require('pg');
exports.primaryPool = new Pool({ connectionString: process.env.DATABASE_URL });
exports.replicaPool = new Pool({ connectionString: process.env.REPLICA_URL });
`;

const ROUTES_JS = `const express = require('express');
const { primaryPool, replicaPool } = require('./db');
const app = express();
app.post('/comments', function (req, res, next) {
  primaryPool.query('INSERT INTO comments (body) VALUES ($1)', [req.body.body])
    .then(() => replicaPool.query('SELECT * FROM comments ORDER BY id DESC LIMIT 10'))
    .then((result) => res.status(201).json(result.rows), next);
});
module.exports = app;
`;

describe('planFixes: a read after a write on two pg pools reads from the pool that wrote', () => {
  it('TypeScript: pools imported from a db module', () => {
    const files = { [`${ROOT}/src/db.ts`]: DB_TS, [`${ROOT}/src/routes.ts`]: ROUTES_TS };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/routes.ts`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `primaryPool`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(ROUTES_TS.replace("const { rows } = await replicaPool.query('SELECT * FROM comments ORDER BY", "const { rows } = await primaryPool.query('SELECT * FROM comments ORDER BY"));
    // The GET route reads without a write before it: it stays on the replica, and nothing is left to fix.
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });

  it('CommonJS: pools from require(), a promise chain', () => {
    const files = { [`${ROOT}/src/db.js`]: DB_JS, [`${ROOT}/src/routes.js`]: ROUTES_JS };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/routes.js`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `primaryPool`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/routes.js`]).toBe(ROUTES_JS.replace("const { primaryPool, replicaPool } = require('./db');", "const { primaryPool } = require('./db');").replace('.then(() => replicaPool.query(', '.then(() => primaryPool.query('));
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });
});

// postgres.js: the client is the tag (``sql`INSERT …` ``, ``replica<Row[]>`SELECT …` ``). The read after
// the write moves to the tag the write used; its type arguments and template stay.

const PG_DB_TS = `import postgres from 'postgres';
export const sql = postgres(process.env.DATABASE_URL!);
export const replica = postgres(process.env.DATABASE_REPLICA_URL!);
`;

const BOARDS_TS = `import express from 'express';
import { replica, sql } from './db';
interface Board { id: number; title: string }
export const app = express();
app.post('/boards', async (req, res) => {
  const [board] = await sql<Board[]>\`INSERT INTO boards (title) VALUES (\${req.body.title}) RETURNING id, title\`;
  const all = await replica<Board[]>\`SELECT id, title FROM boards ORDER BY id\`;
  res.status(201).json({ ...board, boards: all });
});
app.get('/boards', async (req, res) => {
  res.json(await replica<Board[]>\`SELECT id, title FROM boards ORDER BY id\`);
});
`;

describe('planFixes: postgres.js tagged templates read from the tag that wrote', () => {
  it('``replica<Board[]>`SELECT …` `` after ``sql`INSERT …` `` becomes ``sql<Board[]>`SELECT …` ``; the GET route stays on the replica', () => {
    const files = { [`${ROOT}/src/db.ts`]: PG_DB_TS, [`${ROOT}/src/boards.ts`]: BOARDS_TS };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/boards.ts`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `sql`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/boards.ts`]).toBe(BOARDS_TS.replace('const all = await replica<Board[]>`SELECT', 'const all = await sql<Board[]>`SELECT'));
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });

  it('JavaScript, untyped: the same move when both tags are imported where the read is', () => {
    const files = {
      [`${ROOT}/src/db.js`]: PG_DB_TS.replace(/!/g, ''),
      [`${ROOT}/src/boards.js`]: BOARDS_TS.replace("import { replica, sql } from './db';", "const { replica, sql } = require('./db');").replace('interface Board { id: number; title: string }\n', '').replace(/<Board\[\]>/g, ''),
    };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/boards.js`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `sql`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/boards.js`]).toBe(files[`${ROOT}/src/boards.js`].replace('const all = await replica`SELECT', 'const all = await sql`SELECT'));
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });
});

// Clients reached as members of one object: a CommonJS module that exports both pools, or a Fastify
// instance decorated with both. The read moves to the member the same flow wrote with.

const DB_MODULE_JS = `const { Pool } = require('pg');
const primary = new Pool({ connectionString: process.env.DATABASE_URL });
const replica = new Pool({ connectionString: process.env.DATABASE_REPLICA_URL });
module.exports = { primary, replica };
`;

const COMMENTS_JS = `const express = require('express');
const db = require('./db');
const router = express.Router();
router.post('/documents/:name/comments', async function (req, res) {
  await db.primary.query('INSERT INTO comments (document, text) VALUES ($1, $2)', [req.params.name, req.body.text]);
  const { rows } = await db.replica.query('SELECT id, text FROM comments WHERE document = $1 ORDER BY id', [req.params.name]);
  res.status(201).json(rows);
});
module.exports = router;
`;

const TICKETS_TS = `import type { FastifyInstance } from 'fastify';
export default async function tickets(fastify: FastifyInstance) {
  fastify.post<{ Params: { id: string }; Body: { body: string } }>('/tickets/:id/replies', async (request, reply) => {
    await fastify.pg.query('INSERT INTO replies (ticket_id, body) VALUES ($1, $2)', [request.params.id, request.body.body]);
    const thread = await fastify.replica.query('SELECT id, body FROM replies WHERE ticket_id = $1 ORDER BY id', [request.params.id]);
    return reply.code(201).send({ replies: thread.rows });
  });
  fastify.get<{ Params: { id: string } }>('/tickets/:id/replies', async (request) => {
    const thread = await fastify.replica.query('SELECT id, body FROM replies WHERE ticket_id = $1 ORDER BY id', [request.params.id]);
    return thread.rows;
  });
}
`;

const ORDERS_PG_JS = `export default async function orders(fastify) {
  fastify.post('/orders', async (request, reply) => {
    await fastify.pg.query('INSERT INTO orders (customer_id) VALUES ($1)', [request.body.customerId]);
    const { rows } = await fastify.pg.replica.query('SELECT * FROM orders WHERE customer_id = $1', [request.body.customerId]);
    return reply.code(201).send(rows);
  });
  fastify.get('/orders', async () => {
    const { rows } = await fastify.pg.replica.query('SELECT * FROM orders');
    return rows;
  });
  fastify.get('/report', async () => (await fastify.pg.replica.query('SELECT count(*) FROM orders')).rows);
}
`;

describe('planFixes: replica and primary clients that are members of one object', () => {
  it('CommonJS: `db.replica.query` after `db.primary.query` reads through `db.primary`', () => {
    const files = { [`${ROOT}/src/db.js`]: DB_MODULE_JS, [`${ROOT}/src/comments.js`]: COMMENTS_JS };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/comments.js`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `db.primary`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/comments.js`]).toBe(COMMENTS_JS.replace("const { rows } = await db.replica.query('SELECT", "const { rows } = await db.primary.query('SELECT"));
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });

  it('Fastify: `fastify.replica.query` after `fastify.pg.query` on the same instance reads through `fastify.pg`; the GET route stays on the replica', () => {
    const files = { [`${ROOT}/src/tickets.ts`]: TICKETS_TS };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/tickets.ts`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `fastify.pg`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/tickets.ts`]).toBe(TICKETS_TS.replace("const thread = await fastify.replica.query('SELECT id, body FROM replies WHERE ticket_id = $1 ORDER BY id', [request.params.id]);\n    return reply", "const thread = await fastify.pg.query('SELECT id, body FROM replies WHERE ticket_id = $1 ORDER BY id', [request.params.id]);\n    return reply"));
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });

  it("Fastify: @fastify/postgres's named pool `fastify.pg.replica.query` after `fastify.pg.query` reads through `fastify.pg`; the GET route and a read with no write before it stay on the replica", () => {
    const files = { [`${ROOT}/src/orders.js`]: ORDERS_PG_JS };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/orders.js`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `fastify.pg`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/orders.js`]).toBe(
      ORDERS_PG_JS.replace(
        "const { rows } = await fastify.pg.replica.query('SELECT * FROM orders WHERE customer_id = $1', [request.body.customerId]);\n    return reply",
        "const { rows } = await fastify.pg.query('SELECT * FROM orders WHERE customer_id = $1', [request.body.customerId]);\n    return reply",
      ),
    );
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });

  it('a write inside a lock callback that returns its row is still before the read after the lock (the return ends only the callback); a write in a branch that returns from the handler is not', () => {
    const locked = ORDERS_PG_JS.replace(
      "    await fastify.pg.query('INSERT INTO orders (customer_id) VALUES ($1)', [request.body.customerId]);\n",
      "    const order = await stockLock.runExclusive(async () => {\n      const { rows: placed } = await fastify.pg.query('INSERT INTO orders (customer_id) VALUES ($1) RETURNING *', [request.body.customerId]);\n      return placed[0];\n    });\n    if (!order) return reply.code(409).send({});\n",
    );
    const files = { [`${ROOT}/src/orders.js`]: locked };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/orders.js`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `fastify.pg`']);
    expect(applyPlan(files, planned.plans[0])[`${ROOT}/src/orders.js`]).toBe(locked.replace("const { rows } = await fastify.pg.replica.query('SELECT * FROM orders WHERE customer_id", "const { rows } = await fastify.pg.query('SELECT * FROM orders WHERE customer_id"));
    const returned = ORDERS_PG_JS.replace(
      "    await fastify.pg.query('INSERT INTO orders (customer_id) VALUES ($1)', [request.body.customerId]);\n",
      "    if (request.body.again) {\n      await fastify.pg.query('INSERT INTO orders (customer_id) VALUES ($1)', [request.body.customerId]);\n      return reply.code(201).send({});\n    }\n",
    );
    expect(countFindings({ [`${ROOT}/src/orders.js`]: returned }, 'no-replica-read-after-write')).toBe(0);
  });

  it('offers nothing when the object the write went through is not in scope where the read is', () => {
    const files = {
      [`${ROOT}/src/db.js`]: DB_MODULE_JS,
      [`${ROOT}/src/comment-store.js`]: `const db = require('./db');
exports.addComment = function (name, text) {
  return db.primary.query('INSERT INTO comments (document, text) VALUES ($1, $2)', [name, text]);
};
`,
      [`${ROOT}/src/comments.js`]: COMMENTS_JS.replace("const db = require('./db');", "const pools = require('./db');\nconst { addComment } = require('./comment-store');")
        .replace("await db.primary.query('INSERT INTO comments (document, text) VALUES ($1, $2)', [req.params.name, req.body.text]);", 'await addComment(req.params.name, req.body.text);')
        .replace('await db.replica.query(', 'await pools.replica.query('),
    };
    const { findings } = findingsIn(files, 'no-replica-read-after-write', `${ROOT}/src/comments.js`);
    expect(findings.map((finding) => [finding.data.read, finding.data.write, finding.data.writeAt])).toEqual([['pools.replica.query()', 'db.primary.query()', 'src/comment-store.js:3']]);
    expect(findings[0].fixes).toEqual([]);
  });
});

// TypeORM with `replication` sends a find or count outside a query runner to a slave; a transaction
// runs on the master. The project's installed typeorm decides whether `withRepository` exists (0.3+).

const TYPEORM_TYPES = `export declare class DataSource {
  constructor(options: object);
  readonly manager: EntityManager;
  getRepository<E>(target: new () => E): Repository<E>;
}
export declare class EntityManager {
  readonly connection: DataSource;
  transaction<T>(run: (manager: EntityManager) => Promise<T>): Promise<T>;
  withRepository<R extends Repository<any>>(repository: R): R;
  find<E>(target: new () => E, options?: object): Promise<E[]>;
  save<E>(entity: E): Promise<E>;
}
export declare class Repository<E> {
  readonly target: new () => E;
  readonly manager: EntityManager;
  readonly metadata: object;
  create(entity: Partial<E>): E;
  save(entity: E): Promise<E>;
  count(options?: object): Promise<number>;
}
`;

const ENROL_TS = `import express from 'express';
import { DataSource } from 'typeorm';
class Enrolment { courseId = 0; userId = 0; }
const dataSource = new DataSource({ type: 'postgres', replication: { master: { url: process.env.DATABASE_URL }, slaves: [{ url: process.env.DATABASE_REPLICA_URL }] } });
const enrolments = dataSource.getRepository(Enrolment);
export const app = express();
app.post('/courses/:id/enrol', async (req, res) => {
  const courseId = Number(req.params.id);
  await enrolments.save(enrolments.create({ courseId, userId: req.body.userId }));
  const taken = await enrolments.count({ where: { courseId } });
  res.status(201).json({ courseId, taken });
});
app.post('/courses/:id/enrol-all', async (req, res) => {
  await dataSource.manager.save(Object.assign(new Enrolment(), { courseId: Number(req.params.id), userId: req.body.userId }));
  const all = await dataSource.manager.find(Enrolment, { where: { courseId: Number(req.params.id) } });
  res.status(201).json(all);
});
`;

/** A project on disk with the given typeorm installed (the fix reads its version), its sources in memory. */
function typeormProject(version: string): { root: string; files: Record<string, string> } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-typeorm-'));
  mkdirSync(path.join(root, 'node_modules/typeorm'), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { typeorm: version } }));
  writeFileSync(path.join(root, 'node_modules/typeorm/package.json'), JSON.stringify({ name: 'typeorm', version, types: 'index.d.ts' }));
  return { root, files: { [`${root}/node_modules/typeorm/index.d.ts`]: TYPEORM_TYPES, [`${root}/src/enrol.ts`]: ENROL_TS } };
}

function replicaPlans(root: string, files: Record<string, string>) {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(`${root}/src/enrol.ts`)!;
  const findings = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-replica-read-after-write'] });
  expect(findings.map((finding) => finding.data.read)).toEqual(['enrolments.count()', 'dataSource.manager.find()']);
  return findings.map((finding) => planFixes(sourceFile, finding, { program, projectRoot: root }));
}

describe('planFixes: a TypeORM read after a write runs in a transaction, on the master', () => {
  it('a repository read goes through `withRepository` on the transaction\'s manager; an entity manager read through the manager itself', () => {
    const { root, files } = typeormProject('0.3.20');
    const [repository, manager] = replicaPlans(root, files);
    expect(repository.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `enrolments.manager.transaction(…)`']);
    expect(applyPlan(files, repository.plans[0])[`${root}/src/enrol.ts`]).toBe(
      ENROL_TS.replace(
        'const taken = await enrolments.count({ where: { courseId } });',
        'const taken = await enrolments.manager.transaction((primary) => primary.withRepository(enrolments).count({ where: { courseId } }));',
      ),
    );
    expect(manager.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `dataSource.manager.transaction(…)`']);
    const fixed = applyPlan(files, manager.plans[0]);
    expect(fixed[`${root}/src/enrol.ts`]).toBe(
      ENROL_TS.replace(
        'const all = await dataSource.manager.find(Enrolment, { where: { courseId: Number(req.params.id) } });',
        'const all = await dataSource.manager.transaction((primary) => primary.find(Enrolment, { where: { courseId: Number(req.params.id) } }));',
      ),
    );
    // Both reads moved: inside a transaction's callback nothing reads a slave, and a second fix finds nothing.
    const both = applyPlan(fixed, repository.plans[0]);
    const program = createProgram(both);
    expect(analyzeSourceFile(program.getSourceFile(`${root}/src/enrol.ts`)!, { program, projectRoot: root, rules: ['no-replica-read-after-write'] })).toEqual([]);
  });

  it('names the transaction\'s manager so that it hides nothing the read uses', () => {
    const { root, files } = typeormProject('0.3.20');
    files[`${root}/src/enrol.ts`] = ENROL_TS.replace('const courseId = Number(req.params.id);', 'const primary = Number(req.params.id);\n  const courseId = primary;').replace('count({ where: { courseId } })', 'count({ where: { courseId: primary } })');
    const [repository] = replicaPlans(root, files);
    expect(applyPlan(files, repository.plans[0])[`${root}/src/enrol.ts`]).toContain(
      'const taken = await enrolments.manager.transaction((primaryManager) => primaryManager.withRepository(enrolments).count({ where: { courseId: primary } }));',
    );
  });

  it('offers no repository fix on TypeORM 0.2, which has no `withRepository`; the entity manager read still moves', () => {
    const { root, files } = typeormProject('0.2.45');
    const [repository, manager] = replicaPlans(root, files);
    expect(repository).toEqual({ plans: [] });
    expect(manager.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `dataSource.manager.transaction(…)`']);
  });
});

// Sequelize models on the primary instance and a second `new Sequelize(…)` on the standby that some
// reads go through as raw SQL: the model write (`Order.create`, in a transaction's callback) is a
// write on the instance the model was defined on, and the read after it moves there.

const SEQUELIZE_DB_JS = `import { Sequelize, DataTypes } from 'sequelize';
export const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres' });
export const replica = new Sequelize(process.env.DATABASE_REPLICA_URL, { dialect: 'postgres' });
export const Order = sequelize.define('Order', { quantity: DataTypes.INTEGER }, { tableName: 'orders', underscored: true });
export const AuditEntry = sequelize.define('AuditEntry', { what: DataTypes.STRING }, { tableName: 'audit_entries' });
export const Ticket = sequelize.define('Ticket', { seat: DataTypes.STRING });
`;

const CHECKOUT_JS = `import { Router } from 'express';
import { QueryTypes } from 'sequelize';
import { AuditEntry, Order, Ticket, sequelize, replica } from './db.js';
export const routes = Router();
function ordersOf(userId) {
  return replica.query('SELECT * FROM orders WHERE user_id = :userId', { replacements: { userId }, type: QueryTypes.SELECT });
}
routes.post('/checkout', async (req, res) => {
  const order = await sequelize.transaction(async (transaction) => {
    return Order.create({ quantity: req.body.quantity }, { transaction });
  });
  res.status(201).json({ order, mine: await ordersOf(req.user.id) });
});
routes.get('/orders', async (req, res) => {
  res.json({ orders: await ordersOf(req.user.id) });
});
routes.post('/notes', async (req, res) => {
  await AuditEntry.create({ what: 'note' });
  res.json({ orders: await ordersOf(req.user.id) });
});
routes.post('/tickets', async (req, res) => {
  await Ticket.create({ seat: req.body.seat });
  res.json({ tickets: await replica.query('SELECT * FROM tickets', { type: QueryTypes.SELECT }) });
});
`;

describe('planFixes: a raw read on a second Sequelize instance after a model write reads from the instance the model is defined on', () => {
  it('`replica.query` after `Order.create` in a transaction becomes `sequelize.query`; a write to another table and a read with no write before it stay quiet', () => {
    const files = { [`${ROOT}/src/db.js`]: SEQUELIZE_DB_JS, [`${ROOT}/src/checkout.js`]: CHECKOUT_JS };
    const { findings, sourceFile } = findingsIn(files, 'no-replica-read-after-write', `${ROOT}/src/checkout.js`);
    const lineOf = (start: number) => sourceFile.getLineAndCharacterOfPosition(start).line + 1;
    // The helper's read after the order (POST /checkout), and the tickets read after a model with no tableName (`Ticket`, table `tickets`).
    expect(findings.map((finding) => [lineOf(finding.start), finding.data.read, finding.data.write, finding.data.writeAt, finding.data.route])).toEqual([
      [6, 'replica.query()', 'Order.create()', 'src/checkout.js:10', 'POST /checkout (src/checkout.js:8)'],
      [23, 'replica.query()', 'Ticket.create()', 'src/checkout.js:22', 'POST /tickets (src/checkout.js:21)'],
    ]);
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/checkout.js`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `sequelize`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/checkout.js`]).toBe(CHECKOUT_JS.replace("  return replica.query('SELECT * FROM orders", "  return sequelize.query('SELECT * FROM orders"));
  });

  it('offers nothing when the instance the model is defined on is not in scope where the read is', () => {
    const files = { [`${ROOT}/src/db.js`]: SEQUELIZE_DB_JS, [`${ROOT}/src/checkout.js`]: CHECKOUT_JS.replace('AuditEntry, Order, Ticket, sequelize, replica', 'AuditEntry, Order, Ticket, replica').replace('await sequelize.transaction(async (transaction) => {\n    return Order.create({ quantity: req.body.quantity }, { transaction });\n  })', 'await Order.create({ quantity: req.body.quantity })') };
    const { findings, sourceFile } = findingsIn(files, 'no-replica-read-after-write', `${ROOT}/src/checkout.js`);
    const lineOf = (start: number) => sourceFile.getLineAndCharacterOfPosition(start).line + 1;
    expect(findings.map((finding) => [lineOf(finding.start), finding.data.write, finding.fixes])).toEqual([
      [6, 'Order.create()', []],
      [21, 'Ticket.create()', []],
    ]);
  });

  it('stays quiet on a model defined on the replica instance', () => {
    const files = { [`${ROOT}/src/db.js`]: SEQUELIZE_DB_JS.replace(/sequelize\.define\(/g, 'replica.define('), [`${ROOT}/src/checkout.js`]: CHECKOUT_JS };
    expect(findingsIn(files, 'no-replica-read-after-write', `${ROOT}/src/checkout.js`).findings).toEqual([]);
  });
});
