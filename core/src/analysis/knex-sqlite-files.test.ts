import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// knex configured with a SQLite client keeps the app's data in a file of this disk, as better-sqlite3
// opened directly does. Services pick the client by a setting: `client: isSqlite ? 'better-sqlite3' :
// 'pg'`, or a variable a branch compared first (`if (type === 'better-sqlite3') knex({ client: type,
// connection: { filename } })`: round 33 of test/real-world, an uptime monitor on SQLite by default).
// Look-alikes: PostgreSQL chosen the same way, and SQLite kept in memory.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'];

const service = (connect: string) => ({
  'db.js': `import knex from 'knex';

const databaseType = process.env.DATABASE_TYPE || 'better-sqlite3';
export const db = {};

export async function connect() {
${connect}
}
`,
  'server.js': `import express from 'express';
import { connect, db } from './db.js';

const app = express();
app.post('/monitors', express.json(), async (req, res) => {
  await db.client('monitors').insert({ url: String(req.body.url) });
  res.sendStatus(201);
});
await connect();
app.listen(3000);
`,
});

const message = (library: string) =>
  `no-local-disk-write: \`knex\` keeps the app's data in a ${library} file on this instance's local disk. Each instance opens its own copy: what one saves the others never see, and it is lost when this instance is replaced. Keep the data in a database server every instance shares.`;

describe('knex on a SQLite file, its client picked by a setting', () => {
  it('a variable the branch compared to the SQLite client, typed and untyped', () => {
    const files = service(`  if (databaseType === 'better-sqlite3') {
    db.client = knex({ client: databaseType, connection: { filename: \`\${process.cwd()}/data/app.db\` }, useNullAsDefault: true });
  } else {
    db.client = knex({ client: databaseType, connection: process.env.DATABASE_URL });
  }`);
    const expected = [`8:17 ${message('SQLite (knex, better-sqlite3)')}`];
    expect(untyped(files, 'db.js', RULES)).toEqual(expected);
    expect(typed(files, 'db.js', RULES)).toEqual(expected);
  });

  it('a `?:` with a SQLite branch, typed and untyped', () => {
    const files = service(`  const isSqlite = databaseType !== 'pg';
  db.client = knex({ client: isSqlite ? 'sqlite3' : 'pg', connection: { filename: './data/app.sqlite', host: process.env.PGHOST } });`);
    const expected = [`8:15 ${message('SQLite (knex, sqlite3)')}`];
    expect(untyped(files, 'db.js', RULES)).toEqual(expected);
    expect(typed(files, 'db.js', RULES)).toEqual(expected);
  });

  it('look-alikes: PostgreSQL picked the same way, and SQLite in memory, stay quiet', () => {
    const postgres = service(`  if (databaseType === 'pg') {
    db.client = knex({ client: databaseType, connection: { filename: process.env.DATABASE_URL } });
  }`);
    expect(untyped(postgres, 'db.js', RULES)).toEqual([]);
    expect(typed(postgres, 'db.js', RULES)).toEqual([]);
    const memory = service(`  db.client = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });`);
    expect(untyped(memory, 'db.js', RULES)).toEqual([]);
    expect(typed(memory, 'db.js', RULES)).toEqual([]);
  });
});
