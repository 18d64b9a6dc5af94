import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A collection the service makes itself and names its database (`const db = { users: [], posts: [] }`,
// `this.db = {}` in a class made once): the app's records live in this process, the oldest way small
// services and prototypes keep data. The name `db` reads as a handle to a database server
// elsewhere, which hid such stores and the id counters whose ids are kept in them. Written in shapes
// of our own; the look-alikes: a `db` that is a client, and a `db` object of models assembled at start-up.

afterAll(removeAnalysedProjects);

describe('a module object named db holding the records', () => {
  const files = {
    'src/server.ts': `import express from 'express';

const app = express();
app.use(express.json());
const db: { notes: { id: number; text: string }[] } = { notes: [] };
let nextId = 1;

app.post('/notes', (req, res) => {
  const note = { id: nextId++, text: String(req.body.text) };
  db.notes.push(note);
  res.status(201).json(note);
});
app.get('/notes', (_req, res) => res.json(db.notes));
app.listen(3000);
`,
  };

  it('is reported, and so is the id counter whose ids it keeps (untyped and typed)', () => {
    const result = untyped(files, 'src/server.ts');
    expect(result).toEqual(typed(files, 'src/server.ts'));
    expect(result).toEqual([
      '5:7 no-in-memory-session: `db` holds application data in this process; it is written by POST /notes (src/server.ts:8). A second instance will not see it.',
      '6:5 no-in-memory-counter: `nextId` mints ids in this process, and they are kept in `db`, which every instance should share; it is changed by POST /notes (src/server.ts:8). Each instance counts from the same start, so two of them hand out the same id.',
    ]);
  });

  it('a db that is a client of a database server stays quiet', () => {
    const client = {
      'src/server.ts': `import express from 'express';
import knex from 'knex';

const app = express();
app.use(express.json());
let db = knex({ client: 'pg', connection: process.env.DATABASE_URL });

app.post('/notes', async (req, res) => {
  if (req.query.reconnect) db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
  const [note] = await db('notes').insert({ text: String(req.body.text) }).returning('*');
  res.status(201).json(note);
});
app.listen(3000);
`,
    };
    expect(untyped(client, 'src/server.ts')).toEqual([]);
    expect(typed(client, 'src/server.ts')).toEqual([]);
  });

  it('a db object of models assembled at start-up stays quiet', () => {
    const models = {
      'src/models.js': `const Sequelize = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL);
const db = {};
for (const name of ['User', 'Note']) db[name] = sequelize.define(name, {});
db.sequelize = sequelize;
module.exports = db;
`,
      'src/server.js': `const express = require('express');
const db = require('./models');

const app = express();
app.post('/notes', async (req, res) => res.status(201).json(await db.Note.create({ text: req.body.text })));
app.listen(3000);
`,
    };
    expect(untyped(models, 'src/models.js')).toEqual([]);
    expect(typed(models, 'src/models.js')).toEqual([]);
  });
});

describe('a field named db of a class made once', () => {
  const files = {
    'lib/store.js': `class Store {
  constructor() {
    this.db = {};
  }

  add(bucket, file) {
    if (!this.db[bucket]) this.db[bucket] = [];
    this.db[bucket].push(file);
  }

  list(bucket) {
    return this.db[bucket] || [];
  }
}
module.exports = Store;
`,
    'lib/app.js': `const express = require('express');
const Store = require('./store');

const store = new Store();
const app = express();
app.post('/buckets/:id', express.json(), (req, res) => {
  store.add(req.params.id, { name: req.body.name });
  res.sendStatus(201);
});
app.get('/buckets/:id', (req, res) => res.json(store.list(req.params.id)));
module.exports = app;
`,
    'server.js': `require('./lib/app').listen(3000);\n`,
  };

  it('is reported (untyped and typed)', () => {
    const result = untyped(files, 'lib/store.js');
    expect(result).toEqual(typed(files, 'lib/store.js'));
    expect(result).toEqual([
      '3:10 no-in-memory-session: `db` holds application data in this process; it is written by POST /buckets/:id (lib/app.js:6). A second instance will not see it.',
    ]);
  });
});
