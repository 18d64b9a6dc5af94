import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A sync server on AdonisJS 5 (held-out round 37): `config/database.ts` types its configuration
// `DatabaseConfig`, and the connection it uses unless `DB_CONNECTION` names another is SQLite on a file
// of its data folder. The framework opens it at boot; each instance keeps its own users. Look-alikes:
// a default connection to a database server, a setting with no default, SQLite in memory.

afterAll(removeAnalysedProjects);

const v5 = (connection: string, filename = "path.join(Env.get('DATA_DIR', 'data'), 'ferdium.sqlite')") => `import path from 'node:path';
import Env from '@ioc:Adonis/Core/Env';
import { DatabaseConfig } from '@ioc:Adonis/Lucid/Database';

const databaseConfig: DatabaseConfig = {
  connection: ${connection},
  connections: {
    sqlite: {
      client: 'sqlite',
      connection: {
        filename: ${filename},
      },
      useNullAsDefault: true,
    },
    pg: {
      client: 'pg',
      connection: { host: Env.get('DB_HOST', 'localhost'), database: 'ferdium' },
    },
  },
};

export default databaseConfig;
`;

const sqliteDefault = (line: number, column: number, client: string) =>
  `${line}:${column} no-local-disk-write: \`connections.sqlite\` keeps the app's data in a SQLite (Lucid, ${client}) file on this instance's local disk. Each instance opens its own copy: what one saves the others never see, and it is lost when this instance is replaced. Keep the data in a database server every instance shares.`;

describe('an AdonisJS Lucid configuration whose default connection is a SQLite file', () => {
  it("v5: the default of the setting that picks the connection is SQLite (typed and untyped)", () => {
    const files = { 'config/database.ts': v5("Env.get('DB_CONNECTION', 'sqlite')") };
    expect(typedFindings(files, 'config/database.ts', ['no-local-disk-write'])).toEqual([sqliteDefault(9, 15, 'sqlite')]);
    expect(untypedFindings(files, 'config/database.ts', ['no-local-disk-write'])).toEqual([sqliteDefault(9, 15, 'sqlite')]);
  });

  it('v6: defineConfig with SQLite as the connection', () => {
    const files = {
      'config/database.ts': `import app from '@adonisjs/core/services/app';
import { defineConfig } from '@adonisjs/lucid';

export default defineConfig({
  connection: 'sqlite',
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: { filename: app.tmpPath('db.sqlite3') },
    },
  },
});
`,
    };
    expect(typedFindings(files, 'config/database.ts', ['no-local-disk-write'])).toEqual([sqliteDefault(8, 15, 'better-sqlite3')]);
    expect(untypedFindings(files, 'config/database.ts', ['no-local-disk-write'])).toEqual([sqliteDefault(8, 15, 'better-sqlite3')]);
  });

  it('a default connection to a database server, a setting with no default and SQLite in memory are quiet', () => {
    for (const files of [
      { 'config/database.ts': v5("Env.get('DB_CONNECTION', 'pg')") },
      { 'config/database.ts': v5("Env.get('DB_CONNECTION')") },
      { 'config/database.ts': v5("'sqlite'", "':memory:'") },
    ]) {
      expect(typedFindings(files, 'config/database.ts', ['no-local-disk-write'])).toEqual([]);
      expect(untypedFindings(files, 'config/database.ts', ['no-local-disk-write'])).toEqual([]);
    }
  });
});
