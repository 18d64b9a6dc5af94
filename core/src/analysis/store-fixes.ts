import ts = require('typescript');
import type { DependencyToAdd, FixPlan, TextEdit } from '../types';
import type { FileFacts } from './file-facts';
import { admitsMajor, peerRanges } from '../fixes/installed-packages';
import { endOfImports } from '../fixes/module-edits';
import { optionsObject } from './options';

export interface RedisStoreFix {
  /** The middleware factory call whose options get the store: `session({…})`, `rateLimit({…})`, `fastify.register(fastifySession, {…})`. */
  call: ts.CallExpression;
  /** Which of its arguments holds the options: 0 (the default) for a factory, 1 for a Fastify `register`. */
  optionsArgument?: number;
  /** The store expression, given the Redis client (a name, or `redis()` of the shared-connection adapter) and its library. */
  store: (client: string, library: 'redis' | 'ioredis') => string;
  /** Named imports the store needs (`RedisStore` from connect-redis, …). */
  imports: { name: string; local?: string; module: string }[];
  messageId: string;
  dependencies: DependencyToAdd[];
  /**
   * The project already has its own ioredis client, which the shared-connection adapter hands out:
   * the store goes through `redis()` imported from it (`specifier`), with the imports it needs beyond
   * the store's own, and no node-redis client is made.
   */
  shared?: { specifier: string; imports?: string[] };
}

const CLIENT_NAME = 'redisClient';

/**
 * The node-redis major the project can install: 5, unless a package it has installed accepts
 * `redis` as a peer only up to 4 (TypeORM up to 0.3.26: `^3.1.1 || ^4.0.0`), when npm would refuse
 * v5. v4 has the same `createClient({ url })`, `connect()` and `sendCommand`.
 */
export function nodeRedisMajor(fileName: string): 4 | 5 {
  const ranges = peerRanges(fileName, 'redis');
  return ranges.every((range) => admitsMajor(range, 5)) || !ranges.every((range) => admitsMajor(range, 4)) ? 5 : 4;
}

/**
 * Gives a middleware a Redis-backed store: adds `store: …` to its options, the imports it needs in
 * the file's own module style, and one `redis` client from `REDIS_URL` (reused when the file has
 * one). Applying it twice changes nothing: the second time the middleware has a store.
 */
export function addRedisBackedStore(fix: RedisStoreFix, facts: FileFacts): Omit<FixPlan, 'message'> {
  const sourceFile = facts.sourceFile;
  const fileName = sourceFile.fileName;
  const edits: TextEdit[] = [];
  const storeProperty = `store: ${fix.shared ? fix.store('redis()', 'ioredis') : fix.store(CLIENT_NAME, 'redis')}`;
  const index = fix.optionsArgument ?? 0;
  const options = optionsObject(fix.call.arguments[index], facts);
  // `store: new MemoryStore()` given explicitly: the Redis store takes its place.
  const given = typeof options === 'object' ? options.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && property.name.getText(sourceFile) === 'store') : undefined;
  if (given) edits.push({ fileName, start: given.getStart(sourceFile), end: given.getEnd(), newText: storeProperty });
  else if (typeof options === 'object') edits.push(insertFirstProperty(options, storeProperty, sourceFile));
  else if (index === 0) edits.push({ fileName, start: fix.call.arguments.pos, end: fix.call.arguments.end, newText: `{ ${storeProperty} }` });
  else {
    const before = fix.call.arguments[index - 1];
    edits.push({ fileName, start: before.getEnd(), end: fix.call.arguments[index]?.getEnd() ?? before.getEnd(), newText: `, { ${storeProperty} }` });
  }

  const usesRequire = !sourceFile.statements.some((s) => ts.isImportDeclaration(s)) && facts.imports.size > 0;
  const imported = (local: string, module: string): boolean => [...facts.imports].some(([name, binding]) => name === local && binding.module === module);
  const lines: string[] = [];
  for (const { name, local = name, module } of [...fix.imports, fix.shared ? { name: 'redis', module: fix.shared.specifier } : { name: 'createClient', module: 'redis' }]) {
    if (imported(local, module)) continue;
    const binding = local === name ? name : usesRequire ? `${name}: ${local}` : `${name} as ${local}`;
    lines.push(usesRequire ? `const { ${binding} } = require('${module}');` : `import { ${binding} } from '${module}';`);
  }
  if (fix.shared) lines.push(...(fix.shared.imports ?? []));
  const isTypeScript = /\.[cm]?tsx?$/.test(fileName);
  const client = fix.shared || facts.topLevel.has(CLIENT_NAME)
    ? []
    : [`const ${CLIENT_NAME} = createClient({ url: process.env.REDIS_URL });`, `${CLIENT_NAME}.connect().catch((error${isTypeScript ? ': unknown' : ''}) => console.error('Redis connection failed', error));`];
  const insertAt = endOfImports(sourceFile);
  const newline = sourceFile.text.includes('\r\n') ? '\r\n' : '\n';
  // The client reads REDIS_URL when it is made: after the file loads its .env (`dotenv.config()`, `process.loadEnvFile()`), if it does before the middleware.
  const envLoaded = envLoadedBefore(fix.call, facts);
  const clientAt = envLoaded !== undefined && envLoaded > insertAt ? envLoaded : undefined;
  if (clientAt === undefined) lines.push(...(client.length > 0 ? ['', ...client] : []));
  if (lines.length > 0) {
    const text = insertAt === 0 ? `${lines.join(newline)}${newline}${newline}` : `${newline}${lines.join(newline)}`;
    edits.push({ fileName, start: insertAt, end: insertAt, newText: text });
  }
  if (clientAt !== undefined && client.length > 0) edits.push({ fileName, start: clientAt, end: clientAt, newText: `${newline}${newline}${client.join(newline)}` });
  const redis: DependencyToAdd = { name: 'redis', version: nodeRedisMajor(fileName) === 4 ? '^4.7.1' : '^5.0.0' };
  return { messageId: fix.messageId, data: {}, edits, createFiles: [], dependencies: fix.shared ? fix.dependencies : [...fix.dependencies, redis] };
}


/**
 * The end of the last top-level statement before `call`'s that loads environment variables from a
 * file: `require('dotenv').config()`, `dotenv.config({ path })`, `config()` imported from dotenv,
 * `process.loadEnvFile('.env')` (also inside a top-level `try` or `if`).
 */
function envLoadedBefore(call: ts.CallExpression, facts: FileFacts): number | undefined {
  const sourceFile = facts.sourceFile;
  let top: ts.Node = call;
  while (!ts.isSourceFile(top.parent)) top = top.parent;
  const loaders = [...facts.imports].filter(([, binding]) => /^dotenv(?:-[\w-]+)?$/.test(binding.module)).map(([name]) => name);
  const loads = (text: string): boolean =>
    /process\.loadEnvFile\s*\(|require\(\s*['"]dotenv(?:-[\w-]+)?['"]\s*\)\s*\.config\s*\(/.test(text) || loaders.some((name) => new RegExp(`\\b${name}(?:\\.config)?\\s*\\(`).test(text));
  let end: number | undefined;
  for (const statement of sourceFile.statements) {
    if (statement === top) break;
    if (!ts.isImportDeclaration(statement) && loads(statement.getText(sourceFile))) end = statement.getEnd();
  }
  return end;
}

export function insertFirstProperty(object: ts.ObjectLiteralExpression, property: string, sourceFile: ts.SourceFile): TextEdit {
  const open = object.getStart(sourceFile) + 1;
  const first = object.properties[0];
  if (!first) return { fileName: sourceFile.fileName, start: open, end: object.getEnd() - 1, newText: ` ${property} ` };
  const firstStart = first.getStart(sourceFile);
  const between = sourceFile.text.slice(open, firstStart);
  if (between.includes('\n')) {
    const indent = between.slice(between.lastIndexOf('\n') + 1);
    return { fileName: sourceFile.fileName, start: firstStart, end: firstStart, newText: `${property},\n${indent}` };
  }
  return { fileName: sourceFile.fileName, start: firstStart, end: firstStart, newText: `${property}, ` };
}
