import ts = require('typescript');
import type { FixPlan } from '../types';
import type { FileFacts } from './file-facts';
import { resolveImportedMember } from './imports';
import { findOption, optionsObject } from './options';
import { drawnValue } from './drawn-secrets';
import { addRedisBackedStore, nodeRedisMajor } from './store-fixes';
import { short, skipOuterExpressions } from './text';
import { localInitializer } from './scope';
import type { RequestGraph } from './request-graph';
import { defaultTruth, type SettingLookup } from './setting-defaults';

/** A session middleware that keeps sessions in this process, or in files on this instance's disk. */
export interface MemorySessionStore {
  node: ts.Node;
  library: string;
  store: string;
  /** Where the sessions are: process memory, or this instance's disk (a file store, an SQLite file). */
  medium: 'memory' | 'disk';
  /** The express-session call, or the `register` of @fastify/session, whose options lack a store, when the fix can add one. */
  fixableCall: ts.CallExpression | undefined;
}

const MEMORY_STORE_MODULES = new Set(['memorystore']);
/** express-session stores that write the sessions into files next to the app: each instance has its own. */
const LOCAL_DISK_STORE_MODULES = new Set(['session-file-store', 'connect-sqlite3', 'connect-loki']);

export function findMemorySessionStores(facts: FileFacts, settings?: SettingLookup): MemorySessionStore[] {
  const found: MemorySessionStore[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (ts.isNewExpression(node)) {
      const store = sessionStoreLibrary(node, facts);
      if (store && !isSqliteDeploymentBranch(node) && !(store.medium === 'memory' && (isFallbackOfSharedStore(node) || isBranchOffByDefault(node, settings)))) found.push({ node, library: store.module, store: store.medium === 'disk' ? skipOuterExpressions(node.expression).getText() : 'MemoryStore', medium: store.medium, fixableCall: store.module === 'express-session' ? sessionCallGiven(node, facts) : undefined });
      continue;
    }
    // fastify.register(fastifySession, { secret }) without a store
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'register' && node.arguments.length >= 1) {
      const plugin = resolveImportedMember(node.arguments[0], facts.imports);
      if (plugin && ['@fastify/session', 'fastify-session'].includes(plugin.module) && plugin.path.every((part) => part === 'fastifySession')) {
        const options = optionsObject(node.arguments[1], facts);
        if (options !== 'unknown' && (!options || !findOption(options, 'store'))) {
          found.push({ node: node.arguments[0], library: plugin.module, store: 'the default MemoryStore', medium: 'memory', fixableCall: node });
        }
      }
      continue;
    }
    if (!member || !ts.isCallExpression(node)) continue;
    if (member.module === 'express-session' && member.path.length === 0) {
      const options = optionsObject(node.arguments[0], facts);
      if (options === 'unknown') continue;
      if ((!options || !findOption(options, 'store')) && !isBranchOffByDefault(node, settings)) {
        found.push({ node: node.expression, library: 'express-session', store: 'the default MemoryStore', medium: 'memory', fixableCall: node });
      }
    }
  }
  return found;
}

/**
 * koa-session given a store of the app's own (`session({ store: sessionStore }, app)`) whose
 * methods keep the sessions in a module `Map` or object, or an instance of its own class whose methods
 * keep them in a field (`store: new MemorySessionStore()`): reported at the `store` option. Without a
 * store koa-session keeps the session in the cookie, which is not state in the process.
 */
export function findOwnMemorySessionStores(facts: FileFacts, graph: RequestGraph): MemorySessionStore[] {
  const found: MemorySessionStore[] = [];
  for (const { node } of facts.calls) {
    if (!ts.isCallExpression(node)) continue;
    const member = resolveImportedMember(node.expression, facts.imports);
    if (member?.module !== 'koa-session' || (member.path.length > 0 && member.path.join('.') !== 'default')) continue;
    const options = optionsObject(node.arguments[0], facts);
    if (typeof options !== 'object' || options === undefined) continue;
    const store = findOption(options, 'store');
    const value = store && (ts.isPropertyAssignment(store) ? store.initializer : ts.isShorthandPropertyAssignment(store) ? store.name : undefined);
    if (!store || !value) continue;
    const held = memoryHeldBy(value, graph);
    if (held) found.push({ node: store, library: 'koa-session', store: `a store of its own that keeps them in \`${held}\``, medium: 'memory', fixableCall: undefined });
  }
  return found;
}

/**
 * A session store class of your own that keeps the sessions in one of its fields: it extends
 * express-session's `Store` (`class MapStore extends session.Store`), or implements a store
 * interface of a session or passport library (`implements SessionStore` from passport-openidconnect),
 * and its methods keep what they are handed in a `Map` or object field (`this.sessions.set(sid, data)`,
 * `this.states[h] = { ctx, at }`); a field of its own bookkeeping (expiry timers of a database-backed store) is not the sessions.
 * The library calls those methods on every request; reported at the field, which is the state.
 */
export function findSessionStoreClasses(facts: FileFacts): MemorySessionStore[] {
  return facts.classes.flatMap((declaration) => {
    const library = declaration.heritageClauses ? storeBaseLibrary(declaration, facts) : undefined;
    const field = library && fieldHoldingEntries(declaration);
    return library && field ? [{ node: field, library, store: `${declaration.name?.text ?? 'a class'}, a store of its own that keeps them in \`this.${field.getText()}\``, medium: 'memory' as const, fixableCall: undefined }] : [];
  });
}

const STORE_LIBRARY = /^(express-session|@fastify\/session|fastify-session|passport-[\w-]+|openid-client)$/;

/** The session or passport library whose store the class extends or implements (`Store`, `SessionStore`, `StateStore`). */
function storeBaseLibrary(declaration: ts.ClassLikeDeclaration, facts: FileFacts): string | undefined {
  for (const clause of declaration.heritageClauses ?? []) {
    for (const type of clause.types) {
      const member = resolveImportedMember(type.expression, facts.imports);
      const name = member?.path.at(-1) ?? (ts.isIdentifier(type.expression) ? type.expression.text : undefined);
      if (member && STORE_LIBRARY.test(member.module) && name !== undefined && /Store$/.test(name)) return member.module;
    }
  }
  return undefined;
}

/** A field created as an empty `Map` or object (in its declaration or the constructor) that a method of the class writes. */
function fieldHoldingEntries(declaration: ts.ClassLikeDeclaration): ts.Identifier | undefined {
  const empty = (value: ts.Expression | undefined): boolean => value !== undefined && /^(new Map\b[^]*\)|\{\s*\}|Object\.create\(null\))$/.test(skipOuterExpressions(value).getText());
  const fields = new Map<string, ts.Identifier>();
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && empty(member.initializer)) fields.set(member.name.text, member.name);
    if (ts.isConstructorDeclaration(member) && member.body) {
      for (const statement of member.body.statements) {
        const assignment = ts.isExpressionStatement(statement) ? statement.expression : undefined;
        if (assignment && ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(assignment.left) && ts.isIdentifier(assignment.left.name) && assignment.left.expression.kind === ts.SyntaxKind.ThisKeyword && empty(assignment.right)) {
          fields.set(assignment.left.name.text, assignment.left.name);
        }
      }
    }
  }
  let written: ts.Identifier | undefined;
  for (const member of declaration.members) {
    if (!ts.isMethodDeclaration(member) || !member.body) continue;
    const parameters = new Set(member.parameters.flatMap((parameter) => (ts.isIdentifier(parameter.name) ? [parameter.name.text] : [])));
    const visit = (node: ts.Node): void => {
      if (written) return;
      // `this.sessions.set(sid, data)`, `this.states[handle] = { ctx, at: Date.now() }`: what the library hands the method is kept.
      const [target, value] = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set' ? [node.expression.expression, node.arguments[1]] : ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(node.left) ? [node.left.expression, node.right] : [undefined, undefined];
      if (target && value && ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword && keepsParameter(value, parameters)) written = fields.get(target.name.text);
      ts.forEachChild(node, visit);
    };
    visit(member.body);
  }
  return written;
}

/** The value is one of the method's parameters, or an object literal that holds one (`{ ctx, meta, at: Date.now() }`). */
function keepsParameter(value: ts.Expression, parameters: ReadonlySet<string>): boolean {
  const inner = skipOuterExpressions(value);
  if (ts.isIdentifier(inner)) return parameters.has(inner.text);
  if (!ts.isObjectLiteralExpression(inner)) return false;
  return inner.properties.some((property) => (ts.isShorthandPropertyAssignment(property) ? parameters.has(property.name.text) : ts.isPropertyAssignment(property) && ts.isIdentifier(skipOuterExpressions(property.initializer)) && parameters.has(skipOuterExpressions(property.initializer).getText())));
}

/** The module `Map` or object the methods of a store object write (`sessions.set(…)`, `sessions[k] = …`), by name. */
function memoryHeldBy(value: ts.Expression, graph: RequestGraph): string | undefined {
  // `store: new MemorySessionStore()`: a class of the app's own whose methods keep what koa-session hands them in a field.
  const made = skipOuterExpressions(value);
  if (ts.isNewExpression(made)) {
    for (const declaration of graph.resolver.declarationsOf(made.expression)) {
      const field = ts.isClassLike(declaration) ? fieldHoldingEntries(declaration) : undefined;
      if (field) return `this.${field.text}`;
    }
    return undefined;
  }
  for (const declaration of [skipOuterExpressions(value), ...graph.resolver.declarationsOf(value)]) {
    const object = ts.isObjectLiteralExpression(declaration) ? declaration : ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : ts.isExportAssignment(declaration) ? skipOuterExpressions(declaration.expression) : commonJsExport(declaration);
    if (!object || !ts.isObjectLiteralExpression(object)) continue;
    const file = object.getSourceFile();
    const moduleState = (name: string): boolean =>
      file.statements.some((statement) => ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name && d.initializer !== undefined && /^(new Map\b|\{\s*\}$)/.test(skipOuterExpressions(d.initializer).getText())));
    let held: string | undefined;
    const visit = (node: ts.Node): void => {
      if (held) return;
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['set', 'delete'].includes(node.expression.name.text) && ts.isIdentifier(node.expression.expression) && moduleState(node.expression.expression.text)) held = node.expression.expression.text;
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(node.left) && ts.isIdentifier(node.left.expression) && moduleState(node.left.expression.text)) held = node.left.expression.text;
      ts.forEachChild(node, visit);
    };
    for (const property of object.properties) if (ts.isMethodDeclaration(property) || ts.isPropertyAssignment(property)) visit(property);
    if (held) return held;
  }
  return undefined;
}

/** What a CommonJS module exports: `module.exports = { … }` (the declaration is the assignment or the module). */
function commonJsExport(declaration: ts.Node): ts.Expression | undefined {
  const isExport = (node: ts.Node): node is ts.BinaryExpression => ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.left.getText() === 'module.exports';
  if (isExport(declaration)) return skipOuterExpressions(declaration.right);
  if (!ts.isSourceFile(declaration)) return undefined;
  const statement = declaration.statements.find((candidate) => ts.isExpressionStatement(candidate) && isExport(candidate.expression));
  return statement && ts.isExpressionStatement(statement) && isExport(statement.expression) ? skipOuterExpressions(statement.expression.right) : undefined;
}

/**
 * A store built in the branch a configuration takes when the application's own database is SQLite
 * (`case 'sqlite':`, `if (dbType === 'sqlite')`): that deployment keeps all its data in one local
 * file, so it runs as one instance anyway; deployments that scale out take another branch.
 */
function isSqliteDeploymentBranch(node: ts.Node): boolean {
  for (let child: ts.Node = node, parent = node.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (ts.isCaseClause(parent) && SQLITE.test(parent.expression.getText())) return true;
    if (ts.isIfStatement(parent) && parent.thenStatement === child && SQLITE.test(parent.expression.getText())) return true;
  }
  return false;
}

/**
 * `if (config.REDIS_ENABLED) { session({ store: new RedisStore(…) }) } else { session({ … }) }` with
 * `REDIS_ENABLED: defaultsBool('REDIS_ENABLED', true)`, or `process.env.REDIS_ENABLED !== 'false' ? … : …`:
 * the memory store is built only in the branch a setting turns on away from its default, while the
 * branch the default takes gives a shared store, so a deployment runs on that store unless it opts
 * out (the way the corpus labels a branch, by the default the code states). A test whose default the
 * code does not state (`if (process.env.REDIS_URL)`: unset, the memory branch) keeps it reported.
 */
function isBranchOffByDefault(node: ts.Node, settings: SettingLookup | undefined): boolean {
  for (let child: ts.Node = node, parent = node.parent; parent && !ts.isSourceFile(parent) && !ts.isFunctionLike(parent); child = parent, parent = parent.parent) {
    const branches = ts.isIfStatement(parent) ? { test: parent.expression, yes: parent.thenStatement, no: parent.elseStatement } : ts.isConditionalExpression(parent) ? { test: parent.condition, yes: parent.whenTrue, no: parent.whenFalse } : undefined;
    if (!branches || (child !== branches.yes && child !== branches.no)) continue;
    const other = child === branches.yes ? branches.no : branches.yes;
    if (!other || !givesSharedStore(other)) continue;
    const holds = defaultTruth(branches.test, settings);
    if (holds !== undefined) return child === branches.yes ? !holds : holds;
  }
  return false;
}

/** A `store` option that is no memory store, or a store made (`new RedisStore(…)`), in the other branch. */
function givesSharedStore(branch: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(node) && node.name.getText() === 'store' && !/MemoryStore|^(?:undefined|null)$/.test(node.initializer.getText())) found = true;
    else if (ts.isNewExpression(node) && /Store\b/.test(skipOuterExpressions(node.expression).getText()) && !/MemoryStore/.test(node.expression.getText())) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(branch);
  return found;
}

const SQLITE = /^['"`]?sqlite3?['"`]?$|===?\s*['"`]sqlite3?['"`]|['"`]sqlite3?['"`]\s*===?/i;

/**
 * `try { store = buildTypeormStore() } catch { store = new session.MemoryStore() }`, or a builder
 * that returns `new session.MemoryStore()` early (`if (!app.isReady()) return …`) and otherwise
 * `new TypeormStore(…)`: the memory store is the fallback of a shared store the same code builds,
 * the way a Redis limiter's `insuranceLimiter` is, not the store the deployment runs on.
 */
function isFallbackOfSharedStore(creation: ts.NewExpression): boolean {
  for (let parent: ts.Node = creation.parent; parent && !ts.isSourceFile(parent); parent = parent.parent) {
    if (ts.isCatchClause(parent) && callsStoreBuilder(parent.parent)) return true;
    if (ts.isFunctionLike(parent)) return ts.isReturnStatement(creation.parent) && returnsSharedStore(parent, creation);
  }
  return false;
}

/** A call or `new` in the `try` block that names a store (`buildTypeormStore()`, `new RedisStore(…)`). */
function callsStoreBuilder(attempt: ts.TryStatement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && /Store\b/.test(skipOuterExpressions(node.expression).getText()) && !/MemoryStore/.test(node.expression.getText())) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(attempt.tryBlock);
  return found;
}

/** Another `return` of the function hands back a store that is not this memory store (`return new TypeormStore(…).connect(repository)`). */
function returnsSharedStore(fn: ts.SignatureDeclaration, creation: ts.NewExpression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isReturnStatement(node) && node.expression && node !== creation.parent && /^new \w*Store\b/.test(node.expression.getText()) && !/MemoryStore/.test(node.expression.getText())) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/**
 * `session({ store: new MemoryStore(), … })`: express-session's own MemoryStore written out as the
 * `store` option of the middleware's options. The fix gives that call a Redis store in its place.
 */
function sessionCallGiven(creation: ts.NewExpression, facts: FileFacts): ts.CallExpression | undefined {
  let value: ts.Node = creation;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  const property = value.parent;
  if (!ts.isPropertyAssignment(property) || property.initializer !== value || property.name.getText() !== 'store' || !ts.isObjectLiteralExpression(property.parent)) return undefined;
  const call = property.parent.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== property.parent) return undefined;
  // A file that sets up a Redis store of its own already (the other branch of a setting): its names would clash with the fix's.
  if (/\bRedisStore\b|\bredisClient\b|connect-redis/.test(facts.sourceFile.text)) return undefined;
  const member = resolveImportedMember(call.expression, facts.imports);
  return member?.module === 'express-session' && member.path.length === 0 ? call : undefined;
}

/**
 * `new session.MemoryStore()`, `new MemoryStore()` from express-session, memorystore's
 * `require('memorystore')(session)`, and the stores that keep sessions in local files
 * (`require('session-file-store')(session)`, connect-sqlite3, connect-loki).
 */
function sessionStoreLibrary(creation: ts.NewExpression, facts: FileFacts): { module: string; medium: 'memory' | 'disk' } | undefined {
  const member = resolveImportedMember(creation.expression, facts.imports);
  if (member?.module === 'express-session' && member.path.join('.') === 'MemoryStore') return { module: 'express-session', medium: 'memory' };
  const known = (module: string | undefined) => (module === undefined ? undefined : MEMORY_STORE_MODULES.has(module) ? { module, medium: 'memory' as const } : LOCAL_DISK_STORE_MODULES.has(module) ? { module, medium: 'disk' as const } : undefined);
  if (member && known(member.module)) return known(member.module);
  const callee = skipOuterExpressions(creation.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const declaration = facts.topLevel.get(callee.text);
  // `const FileStore = require('session-file-store')(session)` at the top, or where the middleware is set up
  const initializer = localInitializer(callee) ?? (declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined);
  if (!initializer) return undefined;
  const init = skipOuterExpressions(initializer);
  if (!ts.isCallExpression(init)) return undefined;
  return known(resolveImportedMember(init.expression, facts.imports)?.module);
}



/**
 * Adds `store: new RedisStore({ client: redisClient })` and what it needs: imports and a client from
 * REDIS_URL. @fastify/session takes express-session's stores, in the options `register` passes it;
 * connect-redis's store extends express-session's `Store` (a peer dependency), so a Fastify app
 * gets express-session installed beside it.
 */
export function redisSessionStoreFix(call: ts.CallExpression, library: string, facts: FileFacts): Omit<FixPlan, 'message'> {
  const fastify = library !== 'express-session';
  const plan = addRedisBackedStore(
    {
      call,
      optionsArgument: fastify ? 1 : 0,
      store: (client) => `new RedisStore({ client: ${client} })`,
      imports: [{ name: 'RedisStore', module: 'connect-redis' }],
      messageId: 'sessionStoreMoveToRedis',
      // connect-redis 9 wants redis 5 as a peer; 8.1 (the same `RedisStore` export) takes 4 or 5.
      dependencies: [{ name: 'connect-redis', version: nodeRedisMajor(facts.sourceFile.fileName) === 4 ? '^8.1.0' : '^9.0.0' }, ...(fastify ? [{ name: 'express-session', version: '^1.18.1' }] : [])],
    },
    facts,
  );
  const options = optionsObject(call.arguments[fastify ? 1 : 0], facts);
  const secret = typeof options === 'object' ? drawnSecret(options, facts) : undefined;
  if (!secret) return plan;
  // A secret drawn as each process starts: every instance signs cookies the others reject, so a shared store alone keeps logging users out.
  const sourceFile = facts.sourceFile;
  const value = secret.value.getText(sourceFile);
  const edit = ts.isShorthandPropertyAssignment(secret.property)
    ? { fileName: sourceFile.fileName, start: secret.property.getEnd(), end: secret.property.getEnd(), newText: `: process.env.SESSION_SECRET || ${value}` }
    : { fileName: sourceFile.fileName, start: secret.value.getStart(sourceFile), end: secret.value.getEnd(), newText: `process.env.SESSION_SECRET || ${value}` };
  const note = `the session secret \`${short(secret.drawn)}\` is drawn when each process starts, so each instance signs cookies the others reject: it is read from SESSION_SECRET now, and the drawn one stays the fallback when that is not set`;
  return { ...plan, edits: [...plan.edits, edit], notes: [...(plan.notes ?? []), note] };
}


/**
 * The `secret` option when its value is drawn at random as the module loads: `secret: uuid()`,
 * `secret: crypto.randomBytes(32).toString('hex')`, or a module constant made so (`{ secret }`).
 */
function drawnSecret(options: ts.ObjectLiteralExpression, facts: FileFacts): { property: ts.ObjectLiteralElementLike; value: ts.Expression; drawn: ts.Expression } | undefined {
  const property = options.properties.find((candidate) => (ts.isPropertyAssignment(candidate) || ts.isShorthandPropertyAssignment(candidate)) && candidate.name.getText() === 'secret');
  if (!property || !(ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property))) return undefined;
  const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
  const drawn = drawnValue(value, facts);
  return drawn ? { property, value, drawn } : undefined;
}
