import ts = require('typescript');
import type { FixPlan, TextEdit } from '../types';
import type { FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { propertyNameText, skipOuterExpressions } from './text';

/** A session middleware that keeps sessions in this process. */
export interface MemorySessionStore {
  node: ts.Node;
  library: string;
  store: string;
  /** The express-session call whose options lack a store, when the fix can add one. */
  fixableCall: ts.CallExpression | undefined;
}

const MEMORY_STORE_MODULES = new Set(['memorystore']);

export function findMemorySessionStores(facts: FileFacts): MemorySessionStore[] {
  const found: MemorySessionStore[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (ts.isNewExpression(node)) {
      const store = memoryStoreLibrary(node, facts);
      if (store) found.push({ node, library: store, store: 'MemoryStore', fixableCall: undefined });
      continue;
    }
    // fastify.register(fastifySession, { secret }) without a store
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'register' && node.arguments.length >= 1) {
      const plugin = resolveImportedMember(node.arguments[0], facts.imports);
      if (plugin && ['@fastify/session', 'fastify-session'].includes(plugin.module) && plugin.path.every((part) => part === 'fastifySession')) {
        const options = optionsObject(node.arguments[1], facts);
        if (options !== 'unknown' && (!options || !hasProperty(options, 'store'))) {
          found.push({ node: node.arguments[0], library: plugin.module, store: 'the default MemoryStore', fixableCall: undefined });
        }
      }
      continue;
    }
    if (!member || !ts.isCallExpression(node)) continue;
    if (member.module === 'express-session' && member.path.length === 0) {
      const options = optionsObject(node.arguments[0], facts);
      if (options === 'unknown') continue;
      if (!options || !hasProperty(options, 'store')) {
        found.push({ node: node.expression, library: 'express-session', store: 'the default MemoryStore', fixableCall: node });
      }
    }
  }
  return found;
}

/** `new session.MemoryStore()`, `new MemoryStore()` from express-session, or memorystore's `require('memorystore')(session)`. */
function memoryStoreLibrary(creation: ts.NewExpression, facts: FileFacts): string | undefined {
  const member = resolveImportedMember(creation.expression, facts.imports);
  if (member?.module === 'express-session' && member.path.join('.') === 'MemoryStore') return 'express-session';
  if (member && MEMORY_STORE_MODULES.has(member.module)) return member.module;
  const callee = skipOuterExpressions(creation.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const declaration = facts.topLevel.get(callee.text);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const init = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(init)) return undefined;
  const factory = resolveImportedMember(init.expression, facts.imports);
  return factory && MEMORY_STORE_MODULES.has(factory.module) ? factory.module : undefined;
}

/** The options object literal of a call, following a same-file `const options = { … }`; `unknown` when it cannot be seen. */
function optionsObject(argument: ts.Expression | undefined, facts: FileFacts): ts.ObjectLiteralExpression | undefined | 'unknown' {
  if (!argument) return undefined;
  const value = skipOuterExpressions(argument);
  if (ts.isObjectLiteralExpression(value)) return value;
  if (ts.isIdentifier(value)) {
    const declaration = facts.topLevel.get(value.text);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipOuterExpressions(declaration.initializer);
      if (ts.isObjectLiteralExpression(init)) return init;
    }
  }
  return 'unknown';
}

function hasProperty(object: ts.ObjectLiteralExpression, name: string): boolean {
  // A spread may bring a store in: treat it as having one.
  return object.properties.some((property) => ts.isSpreadAssignment(property) || propertyNameText(property.name) === name);
}

/** Adds `store: new RedisStore({ client: redisClient })` and what it needs: imports and a client from REDIS_URL. */
export function redisSessionStoreFix(call: ts.CallExpression, facts: FileFacts): Omit<FixPlan, 'message'> {
  const sourceFile = facts.sourceFile;
  const fileName = sourceFile.fileName;
  const edits: TextEdit[] = [];
  const clientName = 'redisClient';
  const storeExpression = `new RedisStore({ client: ${clientName} })`;
  const options = call.arguments[0] ? skipOuterExpressions(call.arguments[0]) : undefined;
  if (options && ts.isObjectLiteralExpression(options)) edits.push(insertFirstProperty(options, `store: ${storeExpression}`, sourceFile));
  else {
    const open = call.arguments.pos;
    edits.push({ fileName, start: open, end: call.arguments.end, newText: `{ store: ${storeExpression} }` });
  }

  const usesRequire = !sourceFile.statements.some((s) => ts.isImportDeclaration(s)) && facts.imports.size > 0;
  const lines: string[] = [];
  const hasRedisStore = [...facts.imports].some(([local, binding]) => local === 'RedisStore' && binding.module === 'connect-redis');
  const hasCreateClient = [...facts.imports].some(([local, binding]) => local === 'createClient' && binding.module === 'redis');
  if (!hasRedisStore) lines.push(usesRequire ? "const { RedisStore } = require('connect-redis');" : "import { RedisStore } from 'connect-redis';");
  if (!hasCreateClient) lines.push(usesRequire ? "const { createClient } = require('redis');" : "import { createClient } from 'redis';");
  const isTypeScript = /\.[cm]?tsx?$/.test(fileName);
  const clientLines = facts.topLevel.has(clientName)
    ? []
    : [
        '',
        `const ${clientName} = createClient({ url: process.env.REDIS_URL });`,
        `${clientName}.connect().catch((error${isTypeScript ? ': unknown' : ''}) => console.error('Redis connection failed', error));`,
      ];
  const insertAt = endOfImports(sourceFile);
  const newline = sourceFile.text.includes('\r\n') ? '\r\n' : '\n';
  const block = [...lines, ...clientLines];
  if (block.length > 0) {
    const text = insertAt === 0 ? `${block.join(newline)}${newline}${newline}` : `${newline}${block.join(newline)}`;
    edits.push({ fileName, start: insertAt, end: insertAt, newText: text });
  }
  return {
    messageId: 'sessionStoreMoveToRedis',
    data: {},
    edits,
    createFiles: [],
    dependencies: [
      { name: 'connect-redis', version: '^10.0.0' },
      { name: 'redis', version: '^5.0.0' },
    ],
  };
}

function insertFirstProperty(object: ts.ObjectLiteralExpression, property: string, sourceFile: ts.SourceFile): TextEdit {
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

/** After the last import or top-level require, or at the very top (after directives and a leading comment). */
function endOfImports(sourceFile: ts.SourceFile): number {
  let end = 0;
  for (const statement of sourceFile.statements) {
    const isImport = ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement);
    const isRequire = ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => d.initializer !== undefined && /^require\(|^await import\(/.test(d.initializer.getText()));
    const isDirective = ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression);
    if (isImport || isRequire || isDirective) end = statement.getEnd();
    else break;
  }
  return end;
}
