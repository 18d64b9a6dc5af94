import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';
import { ROOT, planFirst } from '../testing/fix-plans';

// A service that keeps its data in a database file of its own disk (SQLite through sqlite3,
// better-sqlite3, node:sqlite or bun:sqlite, a lowdb JSON file, an NeDB datastore): run as N
// instances, each opens its own copy (test/real-world: a game server's SQLite file of chat and
// failed logins, a downloader's lowdb database, a Hono service's bun:sqlite file under drizzle).
// Written here in shapes of our own. The look-alikes: an in-memory or read-only database, a file in
// the temp folder, an uploaded database a request opens to import, a URL from the configuration,
// and a script that is not the web process.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'] as const;

const message = (callee: string, library: string) =>
  `no-local-disk-write: \`${callee}\` keeps the app's data in a ${library} file on this instance's local disk. Each instance opens its own copy: what one saves the others never see, and it is lost when this instance is replaced. Keep the data in a database server every instance shares.`;

describe('an embedded database opened by the web process', () => {
  it('sqlite3 opened at module scope by the module the routes use (untyped and typed)', () => {
    const files = {
      'src/db.js': `const sqlite3 = require('sqlite3').verbose();
const path = require('path');

const db = new sqlite3.Database(path.join(__dirname, 'data', 'app.sqlite'));
module.exports = db;
`,
      'src/server.js': `const express = require('express');
const db = require('./db');

const app = express();
app.post('/messages', express.json(), (req, res) => {
  db.run('INSERT INTO messages (text) VALUES (?)', [req.body.text], (err) => (err ? res.sendStatus(500) : res.sendStatus(201)));
});
app.listen(3000);
`,
    };
    const expected = [`4:16 ${message('sqlite3.Database', 'SQLite (sqlite3)')}`];
    expect(untyped(files, 'src/db.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'src/db.js', [...RULES])).toEqual(expected);
  });

  it('better-sqlite3 opened by a start-up function, and lowdb and NeDB files at module scope (untyped and typed)', () => {
    const files = {
      'src/store.ts': `import Database from 'better-sqlite3';
import { JSONFilePreset } from 'lowdb/node';
import Datastore from '@seald-io/nedb';

export let db: Database.Database;
export function openStore(file: string) {
  db = new Database(file);
  db.pragma('journal_mode = WAL');
}
export const settings = await JSONFilePreset('data/settings.json', { theme: 'light' });
export const visits = new Datastore({ filename: 'data/visits.db', autoload: true });
`,
      'src/server.ts': `import express from 'express';
import { db, openStore, settings, visits } from './store';

openStore(process.env.DB_FILE ?? 'data/app.db');
const app = express();
app.post('/notes', express.json(), async (req, res) => {
  db.prepare('INSERT INTO notes (text) VALUES (?)').run(String(req.body.text));
  await visits.insertAsync({ at: Date.now() });
  await settings.update((data) => Object.assign(data, { lastNote: Date.now() }));
  res.sendStatus(201);
});
app.listen(3000);
`,
    };
    const expected = [
      `7:12 ${message('Database', 'SQLite (better-sqlite3)')}`,
      `10:31 ${message('JSONFilePreset', 'lowdb')}`,
      `11:27 ${message('Datastore', 'NeDB')}`,
    ];
    expect(untyped(files, 'src/store.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'src/store.ts', [...RULES])).toEqual(expected);
  });

  it('a database a request opens once and keeps for the next ones (untyped and typed)', () => {
    const files = {
      'src/server.ts': `import express from 'express';
import { DatabaseSync } from 'node:sqlite';

let db: DatabaseSync | undefined;
const app = express();
app.get('/count', (_req, res) => {
  db ??= new DatabaseSync('data/counts.db');
  res.json(db.prepare('SELECT count(*) AS n FROM hits').get());
});
app.listen(3000);
`,
    };
    const expected = [`7:14 ${message('DatabaseSync', 'SQLite (node:sqlite)')}`];
    expect(untyped(files, 'src/server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'src/server.ts', [...RULES])).toEqual(expected);
  });

  it('look-alikes, quiet: in memory, read only, in the temp folder, an uploaded file a request imports, a configured URL (untyped and typed)', () => {
    const files = {
      'src/server.ts': `import express from 'express';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from '@libsql/client';
import Datastore from 'nedb';

const cache = new Database(':memory:');
const geo = new Database('data/geo.sqlite', { readonly: true });
const scratch = new Database(path.join(os.tmpdir(), 'render.sqlite'));
const turso = createClient({ url: process.env.DATABASE_URL ?? '', authToken: process.env.DATABASE_TOKEN });
const recent = new Datastore();

const app = express();
app.post('/import', express.raw({ type: 'application/octet-stream' }), (req, res) => {
  const uploaded = new Database(req.body as Buffer);
  const rows = uploaded.prepare('SELECT * FROM notes').all();
  cache.prepare('SELECT 1').get();
  res.json({ rows: rows.length, geo: geo.name, scratch: scratch.name, turso: typeof turso, recent: typeof recent });
});
app.listen(3000);
`,
    };
    expect(untyped(files, 'src/server.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'src/server.ts', [...RULES])).toEqual([]);
  });

  it('look-alike, quiet: a seed script that is not the web process (untyped and typed)', () => {
    const files = {
      'src/server.ts': `import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(3000);\n`,
      'scripts/seed.ts': `import Database from 'better-sqlite3';

const db = new Database('data/app.db');
db.exec('CREATE TABLE IF NOT EXISTS notes (text TEXT)');
`,
    };
    expect(untyped(files, 'scripts/seed.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'scripts/seed.ts', [...RULES])).toEqual([]);
  });
});

describe('the fix of an embedded database', () => {
  it('is refused, saying the data moves to a database server and why no adapter does it', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const Database = require('better-sqlite3');

const db = new Database('data/app.db');
const app = express();
app.post('/notes', express.json(), (req, res) => {
  db.prepare('INSERT INTO notes (text) VALUES (?)').run(String(req.body.text));
  res.sendStatus(201);
});
app.listen(3000);
`,
    };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused).toEqual({
      title: 'Keep the data in a shared database server',
      reason: "the app's data is in a SQLite (better-sqlite3) file: moving it to a database server every instance shares (PostgreSQL, MySQL) changes the schema and the queries, which no adapter does for you",
    });
  });
});
