import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A SQLite file opened through an ORM or a key-value store instead of a driver (round 36 of
// test/real-world: a cron panel's models in `new Sequelize({ dialect: 'sqlite', storage })` and its
// login state in `new KeyvSqlite(file)`; round 35b's speed-test service, Sequelize on `data/storage.db`).
// Each instance opens its own file: what one saves the others never see. Look-alikes: Sequelize on a
// database server, SQLite without `storage` (Sequelize keeps it in memory) or in memory by URL, a dialect
// picked by a setting, Keyv on Redis.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'];

const message = (callee: string, library: string) =>
  `no-local-disk-write: \`${callee}\` keeps the app's data in a ${library} file on this instance's local disk. Each instance opens its own copy: what one saves the others never see, and it is lost when this instance is replaced. Keep the data in a database server every instance shares.`;

const server = (imports: string) => `import express from 'express';
${imports}

const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.listen(5700);
`;

describe('a SQLite file an ORM or a key-value store opens', () => {
  const files = {
    'package.json': '{ "name": "panel", "dependencies": { "express": "4", "sequelize": "6", "keyv": "4", "@keyv/sqlite": "3", "@keyv/redis": "2" } }',
    'data/index.ts': `import { Sequelize } from 'sequelize';
import { join } from 'path';

const dataPath = process.env.QL_DATA_DIR || '/ql/data';

export const sequelize = new Sequelize({
  dialect: 'sqlite',
  storage: join(dataPath, 'database.sqlite'),
  logging: false,
});

export const byUrl = new Sequelize('sqlite:data/legacy.sqlite');
export const server = new Sequelize(process.env.DB_NAME!, process.env.DB_USER!, process.env.DB_PASS, { dialect: 'postgres', host: 'db' });
export const inMemory = new Sequelize({ dialect: 'sqlite' });
export const memoryUrl = new Sequelize('sqlite::memory:');
export const configured = new Sequelize({ dialect: process.env.DB_DIALECT as 'sqlite', storage: 'data/app.db' });
`,
    'shared/store.ts': `import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis from '@keyv/redis';
import path from 'path';

export const keyvStore = new Keyv({ store: new KeyvSqlite(path.join('/ql/data', 'keyv.sqlite')) });
export const settings = new Keyv('sqlite://data/settings.sqlite');
export const shared = new Keyv({ store: new KeyvRedis(process.env.REDIS_URL) });
export const scratch = new Keyv();
`,
    'app.ts': server(`import { sequelize } from './data/index';
import { keyvStore } from './shared/store';`),
  };

  it('Sequelize with a storage file, options alone or after the credentials, or a sqlite: URL (untyped and typed)', () => {
    const expected = [`6:30 ${message('Sequelize', 'SQLite (Sequelize)')}`, `12:26 ${message('Sequelize', 'SQLite (Sequelize)')}`];
    expect(untyped(files, 'data/index.ts', RULES)).toEqual(expected);
    expect(typed(files, 'data/index.ts', RULES)).toEqual(expected);
  });

  it("@keyv/sqlite's store on a file, and Keyv on a sqlite:// URI; Keyv on Redis or in memory is quiet (untyped and typed)", () => {
    const expected = [`6:48 ${message('KeyvSqlite', 'SQLite (@keyv/sqlite)')}`, `7:29 ${message('Keyv', 'SQLite (keyv)')}`];
    expect(untyped(files, 'shared/store.ts', RULES)).toEqual(expected);
    expect(typed(files, 'shared/store.ts', RULES)).toEqual(expected);
  });
});
