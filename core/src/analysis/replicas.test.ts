import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';

function reads(code: string): string[] {
  const sourceFile = ts.createSourceFile('/project/src/app.ts', code, ts.ScriptTarget.Latest, true);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-replica-read-after-write'] }).map((finding) => `${finding.data.read} after ${finding.data.write}`);
}

describe('replicated clients as real services set them up (untyped, same file)', () => {
  it('finds withReplicas imported under another name', () => {
    expect(
      reads(`import express from 'express';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withReplicas as replicated } from 'drizzle-orm/pg-core';
import { users } from './schema';
const db = replicated(drizzle(process.env.DATABASE_URL!), [drizzle(process.env.REPLICA_URL!)]);
const app = express();
app.post('/users', async (req, res) => {
  await db.insert(users).values(req.body);
  res.json(await db.select().from(users));
});
`),
    ).toEqual(['db.select() after db.insert()']);
  });

  it('a Sequelize model write before a raw read on a second instance named replica; not a write to another table', () => {
    const app = `import express from 'express';
import { Sequelize, DataTypes, QueryTypes } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL);
const replica = new Sequelize(process.env.DATABASE_REPLICA_URL);
const Order = sequelize.define('Order', { quantity: DataTypes.INTEGER });
const Visit = sequelize.define('Visit', { path: DataTypes.STRING }, { tableName: 'visits' });
const app = express();
app.post('/orders', async (req, res) => {
  await Order.create(req.body);
  res.json(await replica.query('SELECT * FROM orders', { type: QueryTypes.SELECT }));
});
app.get('/orders', async (req, res) => {
  await Visit.create({ path: req.path });
  res.json(await replica.query('SELECT * FROM orders', { type: QueryTypes.SELECT }));
});
`;
    expect(reads(app)).toEqual(['replica.query() after Order.create()']);
  });

  it('follows a client given as a parameter default (`(client = prisma) => …`)', () => {
    expect(
      reads(`import express from 'express';
import { PrismaClient } from '@prisma/client';
import { readReplicas } from '@prisma/extension-read-replicas';
const prisma = new PrismaClient().$extends(readReplicas({ url: process.env.REPLICA_URL! }));
async function publish(id: string, client = prisma) {
  await client.post.update({ where: { id }, data: { published: true } });
  return client.post.findUnique({ where: { id } });
}
const app = express();
app.post('/posts/:id/publish', async (req, res) => res.json(await publish(req.params.id)));
`),
    ).toEqual(['client.post.findUnique() after client.post.update()']);
  });

  it('knows a custom TypeORM repository (a subclass of Repository) injected into a controller', () => {
    expect(
      reads(`import { Body, Controller, Post } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
export const dataSource = new DataSource({ type: 'postgres', replication: { master: { url: 'a' }, slaves: [{ url: 'b' }] } });
class TodoRepository extends Repository<object> {}
@Controller('todos')
export class TodosController {
  constructor(private readonly todos: TodoRepository) {}
  @Post()
  async create(@Body() body: { title: string }) {
    const saved = await this.todos.save(body);
    return this.todos.findOne({ where: { id: saved } });
  }
}
`),
    ).toEqual(['this.todos.findOne() after this.todos.save()']);
  });
});
