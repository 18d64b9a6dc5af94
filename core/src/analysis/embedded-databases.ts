import ts = require('typescript');
import type { CallLike, FileFacts } from './file-facts';
import { mentionsTempDir } from './disk-writes';
import { resolveImportedMember } from './imports';
import { findOption } from './options';
import { localInitializer } from './scope';
import { isTempLibraryPath } from './temp-libraries';
import { skipOuterExpressions, stringValue } from './text';

/**
 * A database the process keeps in a file of its own disk: SQLite (`sqlite3`, `better-sqlite3`,
 * `node:sqlite`, `bun:sqlite`, libSQL on a `file:` URL), a JSON file database (lowdb's file
 * adapters, node-json-db), an NeDB datastore with a `filename`, a LevelDB folder. Run as N instances,
 * each opens its own file: what one saves the others never see.
 */
export interface EmbeddedDatabaseOpen {
  /** The call that opens it, where it is reported. */
  call: CallLike;
  /** The library, as a reader knows it: `SQLite (better-sqlite3)`, `lowdb`. */
  library: string;
}

interface Opener {
  modules: readonly string[];
  /** The member path of the opening class or function in its module; '' for the default export. */
  members: readonly string[];
  library: string;
  /** Where the file's path or its options are: the argument index. */
  pathArgument: number;
  /** Options saying the file is only read, or that the data is kept in memory. */
  notStored?: (call: CallLike) => boolean;
  /** For an options object that names the file (`{ filename }`, `{ url }`): its property. */
  pathProperty?: string;
}

const OPENERS: readonly Opener[] = [
  { modules: ['sqlite3'], members: ['Database', 'cached.Database'], library: 'SQLite (sqlite3)', pathArgument: 0, notStored: (call) => /\bOPEN_READONLY\b/.test(call.arguments?.[1]?.getText() ?? '') },
  { modules: ['better-sqlite3'], members: ['', 'Database'], library: 'SQLite (better-sqlite3)', pathArgument: 0, notStored: (call) => opensReadOnly(call.arguments?.[1]) },
  // `node:sqlite` (the prefix is dropped: `sqlite`), and the npm `sqlite` wrapper's `open({ filename, driver })`.
  { modules: ['sqlite'], members: ['DatabaseSync'], library: 'SQLite (node:sqlite)', pathArgument: 0, notStored: (call) => opensReadOnly(call.arguments?.[1]) },
  { modules: ['sqlite'], members: ['open'], library: 'SQLite (sqlite)', pathArgument: 0, pathProperty: 'filename', notStored: (call) => /\bOPEN_READONLY\b/.test(call.arguments?.[0]?.getText() ?? '') },
  { modules: ['bun:sqlite'], members: ['Database', ''], library: 'SQLite (bun:sqlite)', pathArgument: 0, notStored: (call) => opensReadOnly(call.arguments?.[1]) },
  { modules: ['libsql'], members: ['', 'Database'], library: 'SQLite (libsql)', pathArgument: 0, notStored: (call) => opensReadOnly(call.arguments?.[1]) },
  { modules: ['@libsql/client', '@libsql/client/node', '@libsql/client/sqlite3'], members: ['createClient'], library: 'SQLite (libSQL)', pathArgument: 0, pathProperty: 'url' },
  { modules: ['lowdb/adapters/FileSync', 'lowdb/adapters/FileAsync'], members: [''], library: 'lowdb', pathArgument: 0 },
  { modules: ['lowdb', 'lowdb/node'], members: ['JSONFile', 'JSONFileSync', 'JSONFilePreset', 'JSONFileSyncPreset', 'TextFile', 'TextFileSync'], library: 'lowdb', pathArgument: 0 },
  { modules: ['node-json-db'], members: ['JsonDB', 'Config'], library: 'node-json-db', pathArgument: 0 },
  {
    modules: ['nedb', '@seald-io/nedb', 'nedb-promises', 'nedb-core'],
    members: ['', 'Datastore', 'create', 'Datastore.create'],
    library: 'NeDB',
    pathArgument: 0,
    pathProperty: 'filename',
    notStored: (call) => optionValue(call.arguments?.[0], 'inMemoryOnly')?.kind === ts.SyntaxKind.TrueKeyword,
  },
  { modules: ['level', 'classic-level'], members: ['', 'Level', 'ClassicLevel'], library: 'LevelDB', pathArgument: 0 },
];

/** The opening of an embedded database on a file of this disk, or undefined (in memory, read only, a temp file, or no such call). */
export function embeddedDatabaseOpen(call: CallLike, facts: FileFacts): EmbeddedDatabaseOpen | undefined {
  const member = resolveImportedMember(call.expression, facts.imports);
  if (!member) return undefined;
  const name = member.path.join('.');
  if (member.module === 'knex' && (name === '' || name === 'knex' || name === 'default')) return knexSqliteOpen(call, facts);
  if (SEQUELIZE_MODULES.has(member.module) && name === 'Sequelize') return sequelizeSqliteOpen(call, facts);
  if (KEYV_SQLITE_MODULES.has(member.module) && (name === '' || name === 'KeyvSqlite')) return keyvSqliteOpen(call, facts, 'SQLite (@keyv/sqlite)');
  if (member.module === 'keyv' && (name === '' || name === 'Keyv')) {
    const first = call.arguments?.[0];
    return first && stringValue(valueOf(first))?.startsWith('sqlite://') ? keyvSqliteOpen(call, facts, 'SQLite (keyv)') : undefined;
  }
  const opener = OPENERS.find((candidate) => candidate.modules.includes(member.module) && candidate.members.includes(name));
  if (!opener) return undefined;
  // `new JsonDB(new Config(file))`: the inner `Config` names the file, and is the one finding.
  if (opener.library === 'node-json-db' && name === 'JsonDB' && call.arguments?.[0] && ts.isNewExpression(skipOuterExpressions(call.arguments[0]))) return undefined;
  if (opener.notStored?.(call)) return undefined;
  const argument = call.arguments?.[opener.pathArgument];
  if (!argument) return undefined;
  const path = opener.pathProperty ? optionValue(argument, opener.pathProperty) ?? (opener.library === 'NeDB' ? argument : undefined) : argument;
  if (!path || ts.isObjectLiteralExpression(valueOf(path))) return undefined;
  if (!namesStoredFile(path, facts, opener.pathProperty === 'url')) return undefined;
  return { call, library: opener.library };
}

/**
 * `knex({ client: 'better-sqlite3', connection: { filename } })`: the query builder opens a SQLite file
 * (`sqlite3`, `better-sqlite3`). The client may be picked by a setting: `client: isSqlite ?
 * 'better-sqlite3' : 'pg'` (a deployment that picks SQLite keeps its data on this disk), or a variable the
 * enclosing branch compared to a SQLite client (`if (type === 'better-sqlite3') knex({ client: type, … })`).
 */
function knexSqliteOpen(call: CallLike, facts: FileFacts): EmbeddedDatabaseOpen | undefined {
  const options = call.arguments?.[0];
  const client = optionValue(options, 'client');
  const library = client && sqliteClientOf(client, call);
  if (!library) return undefined;
  const connection = optionValue(options, 'connection');
  const filename = connection && optionValue(connection, 'filename');
  if (!filename || ts.isObjectLiteralExpression(valueOf(filename)) || !namesStoredFile(filename, facts, false)) return undefined;
  return { call, library: `SQLite (knex, ${library})` };
}

const SEQUELIZE_MODULES = new Set(['sequelize', 'sequelize-typescript']);
const KEYV_SQLITE_MODULES = new Set(['@keyv/sqlite']);

/**
 * `new Sequelize({ dialect: 'sqlite', storage: 'data/app.db' })`, the options last after a database name
 * and credentials, or a `sqlite:` URL (`new Sequelize('sqlite:data/app.db')`): the ORM opens a SQLite file.
 * Without `storage` Sequelize keeps the database in memory; a dialect picked by a setting (`dialect:
 * env.DB_DIALECT`) names no file this reading can see.
 */
function sequelizeSqliteOpen(call: CallLike, facts: FileFacts): EmbeddedDatabaseOpen | undefined {
  const args = call.arguments ?? [];
  if (args.length === 0) return undefined;
  const url = stringValue(valueOf(args[0]));
  if (url !== undefined && /^sqlite:/.test(url)) {
    const file = url.replace(/^sqlite:(?:\/\/)?/, '');
    return file !== '' && file !== ':memory:' && !/^:memory:/.test(file) ? { call, library: 'SQLite (Sequelize)' } : undefined;
  }
  const options = args[args.length - 1];
  if (stringValue(optionValue(options, 'dialect') ?? options) !== 'sqlite') return undefined;
  const storage = optionValue(options, 'storage');
  if (!storage || ts.isObjectLiteralExpression(valueOf(storage)) || !namesStoredFile(storage, facts, false)) return undefined;
  return { call, library: 'SQLite (Sequelize)' };
}

/** `new KeyvSqlite('data/keyv.sqlite')`, `new KeyvSqlite({ uri: 'sqlite://data/cache.sqlite' })`, `new Keyv('sqlite://data/db.sqlite')`. */
function keyvSqliteOpen(call: CallLike, facts: FileFacts, library: string): EmbeddedDatabaseOpen | undefined {
  const argument = call.arguments?.[0];
  if (!argument) return undefined;
  const uri = ts.isObjectLiteralExpression(valueOf(argument)) ? optionValue(argument, 'uri') : argument;
  if (!uri) return undefined;
  const text = stringValue(valueOf(uri));
  if (text !== undefined) {
    const file = text.replace(/^sqlite:\/\//, '');
    return file !== '' && file !== ':memory:' ? { call, library } : undefined;
  }
  return namesStoredFile(uri, facts, false) ? { call, library } : undefined;
}

const SQLITE_CLIENTS = new Set(['sqlite3', 'better-sqlite3', 'sqlite']);

/** The SQLite client a knex `client` option names: a literal, a branch of a `?:`, or a variable the enclosing `if`/`case` compared to one. */
function sqliteClientOf(client: ts.Expression, call: CallLike): string | undefined {
  const value = skipOuterExpressions(client);
  const text = stringValue(value);
  if (text !== undefined) return SQLITE_CLIENTS.has(text) ? text : undefined;
  if (ts.isConditionalExpression(value)) return sqliteClientOf(value.whenTrue, call) ?? sqliteClientOf(value.whenFalse, call);
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return undefined;
  const name = value.getText();
  for (let node: ts.Node = call; node.parent && !ts.isFunctionLike(node.parent); node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === node) {
      const compared = comparedClient(parent.expression, name);
      if (compared) return compared;
    }
    if (ts.isCaseClause(parent) && ts.isCaseBlock(parent.parent) && parent.parent.parent.expression.getText() === name) {
      const label = stringValue(parent.expression);
      if (label !== undefined && SQLITE_CLIENTS.has(label)) return label;
    }
  }
  return undefined;
}

/** `type === 'better-sqlite3'` (either side, `==` too): the client the test says `name` holds in its branch. */
function comparedClient(test: ts.Expression, name: string): string | undefined {
  const value = skipOuterExpressions(test);
  if (!ts.isBinaryExpression(value)) return undefined;
  const operator = value.operatorToken.kind;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return comparedClient(value.left, name) ?? comparedClient(value.right, name);
  if (operator !== ts.SyntaxKind.EqualsEqualsEqualsToken && operator !== ts.SyntaxKind.EqualsEqualsToken) return undefined;
  const [side, other] = skipOuterExpressions(value.left).getText() === name ? [value.left, value.right] : [value.right, value.left];
  if (skipOuterExpressions(side).getText() !== name) return undefined;
  const label = stringValue(skipOuterExpressions(other));
  return label !== undefined && SQLITE_CLIENTS.has(label) ? label : undefined;
}

/** `{ filename: 'data/users.db' }`: the named option's value (a spread brings none the reading can see). */
function optionValue(argument: ts.Expression | undefined, name: string): ts.Expression | undefined {
  const options = argument && valueOf(argument);
  const option = options && ts.isObjectLiteralExpression(options) ? findOption(options, name, () => new Set()) : undefined;
  if (option && ts.isPropertyAssignment(option)) return option.initializer;
  return option && ts.isShorthandPropertyAssignment(option) ? option.name : undefined;
}

/** `{ readonly: true }` (better-sqlite3, bun:sqlite, libsql) or `{ readOnly: true }` (node:sqlite). */
function opensReadOnly(argument: ts.Expression | undefined): boolean {
  return [optionValue(argument, 'readonly'), optionValue(argument, 'readOnly')].some((value) => value?.kind === ts.SyntaxKind.TrueKeyword);
}

function valueOf(expression: ts.Expression): ts.Expression {
  const value = skipOuterExpressions(expression);
  return ts.isIdentifier(value) ? skipOuterExpressions(localInitializer(value) ?? value) : value;
}

/**
 * Whether the path names a file kept on this disk: not SQLite's in-memory (`':memory:'`) or private
 * temporary (`''`) database, not a file under the temp folder, and, for a URL option, a `file:` URL
 * written in the code (a URL from the configuration may name a server every instance shares).
 */
function namesStoredFile(path: ts.Expression, facts: FileFacts, isUrl: boolean): boolean {
  const value = valueOf(path);
  const text = stringValue(value);
  if (text !== undefined) {
    if (text === '' || text === ':memory:' || /^file::memory:/.test(text) || /mode=memory/.test(text)) return false;
    return !isUrl || text.startsWith('file:');
  }
  if (isUrl) return ts.isTemplateExpression(value) && value.head.text.startsWith('file:');
  return !mentionsTempDir(value) && !isTempLibraryPath(value, facts);
}

/** `db = new Database(file)`, `db ??= …`, `db ||= …` into a module-scope variable: opened once and kept for every later request. */
export function isKeptInModuleBinding(call: CallLike, facts: FileFacts): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const assignment = node.parent;
  if (!ts.isBinaryExpression(assignment) || assignment.right !== node) return false;
  const operator = assignment.operatorToken.kind;
  if (operator !== ts.SyntaxKind.EqualsToken && operator !== ts.SyntaxKind.QuestionQuestionEqualsToken && operator !== ts.SyntaxKind.BarBarEqualsToken) return false;
  const target = skipOuterExpressions(assignment.left);
  const declaration = ts.isIdentifier(target) ? facts.topLevel.get(target.text) : undefined;
  return declaration !== undefined && ts.isVariableDeclaration(declaration);
}

/** AdonisJS Lucid's configuration: v5 types it `DatabaseConfig` (`@ioc:Adonis/Lucid/Database`), v6 passes it to `defineConfig` of `@adonisjs/lucid`. */
const LUCID_MODULES = new Set(['@ioc:Adonis/Lucid/Database', '@adonisjs/lucid', '@adonisjs/lucid/database']);

/** A Lucid connection, chosen by default, that keeps the app's data in a SQLite file of this disk. */
export interface LucidSqliteConnection {
  /** The connection's `client` value, where it is reported. */
  node: ts.Expression;
  /** `connections.sqlite`. */
  name: string;
  library: string;
}

/**
 * `const databaseConfig: DatabaseConfig = { connection: Env.get('DB_CONNECTION', 'sqlite'), connections:
 * { sqlite: { client: 'sqlite', connection: { filename: path.join(dataDir, 'app.sqlite') } }, mysql: … } }`
 * (v5) or `defineConfig({ connection: 'sqlite', connections: { sqlite: { client: 'better-sqlite3', … } } })`
 * (v6): the application loads it at boot, and the connection it uses unless a setting names another one
 * keeps the data in a SQLite file on this disk. A default connection to a database server, a setting
 * with no default written, and SQLite in memory stay quiet.
 */
export function findLucidSqliteConnections(facts: FileFacts): LucidSqliteConnection[] {
  const imported = [...facts.imports.values()].filter((binding) => LUCID_MODULES.has(binding.module));
  if (imported.length === 0) return [];
  const configs: ts.ObjectLiteralExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.type && /\bDatabaseConfig\b/.test(node.type.getText()) && node.initializer) {
      const value = skipOuterExpressions(node.initializer);
      if (ts.isObjectLiteralExpression(value)) configs.push(value);
    }
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = resolveImportedMember(node.expression, facts.imports);
      const value = skipOuterExpressions(node.arguments[0]);
      if (callee && LUCID_MODULES.has(callee.module) && callee.path.join('.') === 'defineConfig' && ts.isObjectLiteralExpression(value)) configs.push(value);
    }
    ts.forEachChild(node, visit);
  };
  visit(facts.sourceFile);
  const found: LucidSqliteConnection[] = [];
  for (const config of configs) {
    const chosen = optionValue(config, 'connection');
    const name = chosen && defaultConnectionName(chosen);
    const connections = optionValue(config, 'connections');
    const connection = name !== undefined ? optionValue(connections, name) : undefined;
    const client = connection && optionValue(connection, 'client');
    const clientName = client && stringValue(skipOuterExpressions(client));
    if (!client || clientName === undefined || !SQLITE_CLIENTS.has(clientName)) continue;
    const filename = optionValue(optionValue(connection, 'connection'), 'filename');
    if (!filename || ts.isObjectLiteralExpression(valueOf(filename)) || !namesStoredFile(filename, facts, false)) continue;
    found.push({ node: client, name: `connections.${name}`, library: `SQLite (Lucid, ${clientName})` });
  }
  return found;
}

/** `'sqlite'`, or the default of a setting read with one: `Env.get('DB_CONNECTION', 'sqlite')`, `env.get('DB_CONNECTION', 'sqlite')`. */
function defaultConnectionName(chosen: ts.Expression): string | undefined {
  const value = valueOf(chosen);
  const text = stringValue(value);
  if (text !== undefined) return text;
  if (!ts.isCallExpression(value) || value.arguments.length < 2) return undefined;
  const callee = skipOuterExpressions(value.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get' || !/^env$/i.test(callee.expression.getText())) return undefined;
  return stringValue(skipOuterExpressions(value.arguments[1]));
}
