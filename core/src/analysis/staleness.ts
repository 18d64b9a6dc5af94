import ts = require('typescript');
import { emittedEvent } from './event-listeners';
import { getFileFacts, type Mutation } from './file-facts';
import { resolveImportedMember } from './imports';
import type { Reach } from './request-graph';
import { bindsName, localInitializer, valuesOfLocal } from './scope';
import { inTimerCallback, isClockNow, isFill, isInvalidation, isRequestData, keyNode, ownerText, sameFileFunction, storedValue } from './state-use';
import { calledName, isPlainData, isPredicateSearch, propertyNameText, skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Calls that load data another instance can change: a database, another service, an API. */
const LOADING_CALL = /^(fetch|load|find|query|select|lookup|retrieve|request|search|list|count|aggregate|get[A-Z_]|read[A-Z]|axios|got|ky|call[A-Z]|invoke)|^(findOne|findMany|findUnique|findFirst|findById|findAll|exec|execute|hget|hgetall|mget)$/;
/** Files, modules and compilers: deploy-time data, the same on every instance. */
const DEPLOY_TIME_CALL = /^(readFile|readFileSync|readdir|readdirSync|require|import|compile|compileFile|template|parse|RegExp|precompile|createRequire)$/;
const PREDICATE_CALL = /^(is|has|can|should|check|validate|verify|compare)[A-Z_]/;
/** Code and asset transforms (`await compressJS(source)`, `minify(css)`): as shared as what they are given, no load of their own. */
const PURE_TRANSFORM = /^(compress|minify|uglify|transpile|terser)([A-Z_]|$)/i;
const HTTP_CLIENT = /(^|\.)(axios|http|https|got|ky|api|apiClient|httpClient|httpService|client|fetcher|upstream)$/i;
const EXPIRY_PROPERTY = /^(expires|expiresAt|expiry|expiration|exp|validUntil|staleAt|expireAt|expiresOn)$/i;
const CLOCK = /Date\.now\(\)|newDate\(\)|performance\.now\(\)/;
const TIMER_CALL = /^(?:(?:globalThis|window|global)\.)?(?:setTimeout|setInterval|setImmediate)$/;

/**
 * Whether a cached value is shared, mutable data: loaded by an awaited or promise-returning call
 * (a database, another service), or written through from a request's body. Sync computations, file
 * reads and compiled templates are the same on every instance.
 */
export function isSharedData(value: ts.Expression, checker: ts.TypeChecker | undefined, depth = 0, loadsOnly = false): boolean {
  const expression = skipOuterExpressions(value);
  if (!loadsOnly && isRequestData(expression)) return true;
  // `entry.timer = setTimeout(async () => { await flush(entry) }, ms)`: the handle of a timer, whatever its callback loads.
  if (ts.isCallExpression(expression) && TIMER_CALL.test(expression.expression.getText())) return false;
  let shared = false;
  const visit = (node: ts.Node): void => {
    if (shared) return;
    if (ts.isIdentifier(node)) {
      // A local: what it was initialised or assigned with (`let p = m.get(k); if (!p) p = await load(k)`).
      if (depth < 3 && !isPropertyName(node)) shared = valuesOfData(node).some((assigned) => isSharedData(assigned, checker, depth + 1, loadsOnly));
      return;
    }
    if (ts.isAwaitExpression(node)) {
      const awaited = skipOuterExpressions(node.expression);
      // A yes/no answer (`await isPresenter(…)`, `await canEdit(…)`) is not a copy of anyone's data.
      if (isDeployTimeCall(awaited) || ((ts.isCallExpression(awaited) || ts.isNewExpression(awaited)) && PREDICATE_CALL.test(calleeName(awaited)))) return;
      if (ts.isCallExpression(awaited) && PURE_TRANSFORM.test(calleeName(awaited))) {
        awaited.arguments.forEach(visit);
        return;
      }
      // A fixed document's body or its stored offline copy (`await response.json()`, `await Settings.get('rdapData')`) is
      // reference data: its promise type says nothing more.
      if (ts.isCallExpression(awaited) && (readsFixedDocument(awaited) || isStoredFixedDocument(awaited))) return;
      // Any awaited call may load; with `loadsOnly`, only calls that say they load (`find`, `fetch`, an HTTP client) do.
      if (!loadsOnly && !(ts.isCallExpression(awaited) && sameFileFunction(awaited))) shared = true;
      else ts.forEachChild(node, visit);
      return;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const name = calleeName(node);
      if (isDeployTimeCall(node) || readsEnvironmentOnly(node)) return;
      if (PURE_TRANSFORM.test(name)) {
        node.arguments?.forEach(visit);
        return;
      }
      // A function of this file (`getSocketIP(socket)`, `getFile(name)`): judged by what it returns and awaits, not by its name.
      const own = ts.isCallExpression(node) ? sameFileFunction(node) : undefined;
      if (own && ts.isCallExpression(node)) {
        if (depth < 3 && functionReturnsSharedData(own, checker, depth + 1, loadsOnly)) shared = true;
        else node.arguments.forEach(visit);
        return;
      }
      // fetch(FIXED_URL).then((r) => r.json()): what the fixed document settles with.
      const callee = skipOuterExpressions(node.expression);
      if (name === 'then' && ts.isPropertyAccessExpression(callee) && isDeployTimeCall(skipOuterExpressions(callee.expression))) return;
      // `todos.findIndex(…)` on a module array: a lookup in this process's memory, not a load.
      if (isModuleCollectionCall(node)) {
        node.arguments?.forEach(visit);
        return;
      }
      // `userList.find((user) => user.userName === name)` on a list another module keeps: an array searched with a predicate, in memory.
      if (isArraySearch(node)) {
        visit((callee as ts.PropertyAccessExpression).expression);
        return;
      }
      if (LOADING_CALL.test(name) || isHttpClientCall(node) || (!loadsOnly && (name === 'then' || name === 'Promise'))) shared = true;
      else if (!loadsOnly && checker && ts.isCallExpression(node) && isPromiseType(checker, node)) shared = true;
      if (shared) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return shared;
}

/**
 * Whether a write keeps data loaded from shared storage: the stored value is loaded by a call
 * that says it loads (`m.set(id, await db.find(id))`, `list = await fetchList()`), or a keyed the writing function loaded it for that key first and
 * stores what it built from it (`const [map, nodes] = await Promise.all([find(id), nodes(id)]);
 * … m.set(id, { doc })`). Request bodies written through are not loads.
 */
export function holdsLoadedData(mutation: Mutation, checker: ts.TypeChecker | undefined): boolean {
  const value = storedValue(mutation);
  if (value === undefined) return false;
  if (isSharedData(value, checker, 0, true)) return true;
  const key = keyNode(mutation);
  const fn = mutation.function;
  if (!key || !fn) return false;
  const keyText = skipOuterExpressions(key).getText();
  if (!/^[\w$.]+$/.test(keyText)) return false;
  let loaded = false;
  const visit = (node: ts.Node): void => {
    if (loaded || node.pos >= mutation.node.pos || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isAwaitExpression(node) && mentionsText(node.expression, keyText) && isSharedData(node, checker, 0, true)) loaded = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return loaded;
}

/**
 * Whether a request-path write keeps data loaded from shared storage, as far as the write and its
 * callers tell: the value is loaded here (`holdsLoadedData`); it is what the write's caller loaded
 * and passed in (`setLoadedBoard(name, BoardData.load(name))`, `store.create(id, (await
 * revisions.latest(id)).content)`); or it is written through to shared storage with the same value
 * (`db.set(name, value); cached.set(name, value)`), so reads here go on seeing it after another
 * instance changes it.
 */
export function storesLoadedData(mutation: Mutation, reaches: readonly Reach[], checker: ts.TypeChecker | undefined): boolean {
  return holdsLoadedData(mutation, checker) || loadedByCaller(mutation, reaches, checker) || isWriteThrough(mutation);
}

function loadedByCaller(mutation: Mutation, reaches: readonly Reach[], checker: ts.TypeChecker | undefined): boolean {
  const value = storedValue(mutation);
  if (!value) return false;
  for (let fn: ts.Node | undefined = mutation.function; fn; fn = fn.parent) {
    if (!ts.isFunctionLike(fn)) continue;
    const name = calledName(fn);
    const indexes = fn.parameters.flatMap((parameter, index) => (ts.isIdentifier(parameter.name) && flowsInto(value, parameter.name.text, fn) ? [index] : []));
    if (name === undefined || indexes.length === 0) continue;
    for (const reach of reaches) {
      const call = reach.calls[reach.calls.length - 1];
      // A listener of an event a request emits with data (`bus.emit('data-update', { changes })`): what it keeps is what the request wrote or read.
      if (call && ts.isCallExpression(call) && emittedEvent(call) && indexes.some((index) => call.arguments[index + 1] !== undefined)) return true;
      if (!call || !ts.isCallExpression(call) || calleeName(call) !== name) continue;
      if (indexes.some((index) => call.arguments[index] !== undefined && isAsyncLoad(call.arguments[index]) && isSharedData(call.arguments[index], checker, 0, true))) return true;
    }
    return false;
  }
  return false;
}

/**
 * What a caller passes was loaded asynchronously: it awaits or chains a promise, itself or in the
 * locals it is computed from (`board = Boards.load(name).then(…)`, `latest = await revisions.get(id)`).
 * A synchronous call named like a load (`listBoards().length`) is the process's own bookkeeping.
 */
function isAsyncLoad(argument: ts.Expression, depth = 0): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(node) || (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'then')) found = true;
    else if (ts.isIdentifier(node) && depth < 2 && !isPropertyName(node)) found = valuesOfData(node).some((value) => isAsyncLoad(value, depth + 1));
    else ts.forEachChild(node, visit);
  };
  visit(argument);
  return found;
}

/** Whether `value` mentions the parameter, itself or through a local of `fn` computed from it. */
function flowsInto(value: ts.Expression, parameter: string, fn: ts.SignatureDeclaration): boolean {
  const names = new Set([parameter]);
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body) {
    const locals: ts.VariableDeclaration[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.initializer && ts.isIdentifier(node.name)) locals.push(node);
      if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
    };
    ts.forEachChild(body, visit);
    for (let round = 0; round < 2; round++) for (const local of locals) if ([...names].some((name) => mentionsName(local.initializer!, name))) names.add((local.name as ts.Identifier).text);
  }
  return [...names].some((name) => mentionsName(value, name));
}

function mentionsName(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name && !isPropertyName(node);
  return ts.forEachChild(node, (child) => (mentionsName(child, name) ? true : undefined)) ?? false;
}

const STORAGE_WRITE = /^(set|save|store|put|insert|upsert|update|mutate|write|persist|create|replace|hset)([A-Z_]|$)/;

/**
 * Whether a write keeps reference data: what a fixed public document settles with (`fetch(FIXED_URL)`,
 * its `.json()`, a `.then` callback's parameter). A cache of it is stale only by the document's own
 * updates, the same for every instance.
 */
export function holdsReferenceData(mutation: Mutation): boolean {
  const value = storedValue(mutation);
  if (value === undefined) return false;
  if (reachesFixedDocument(value, 0)) return true;
  const key = keyNode(mutation);
  return key !== undefined && PUBLIC_IDENTIFIER_KEY.test(lastName(key)) && reachesPublicLookup(value, compactText(key), 0);
}

/** `ip`, `clientIp`, `signupIP`, `ipAddress`, `domain`, `hostname`, `tld`: an address or name on the public internet. */
const PUBLIC_IDENTIFIER_KEY = /(^ip|IP|Ip)(v4|v6|V4|V6|Address|Addr)?$|(^d|D)omain(Name)?$|(^h|H)ost(name|Name)?$|(^t|T)ld$/;

/**
 * A GET of a third-party service about the cache's key (`fetch(\`https://check.getipintel.net/check.php?ip=${ip}&contact=${process.env.EMAIL}\`)`):
 * a URL whose host is written in the code and whose other parts are the key and deploy-time
 * configuration. What the service answers about a public address is the same for every instance
 * and can be asked again; no instance writes it. A host taken from settings (the user's own
 * Radarr, an internal API) is not this: its data changes through the app.
 */
function reachesPublicLookup(node: ts.Node, key: string, depth: number): boolean {
  if (depth > 3) return false;
  if (ts.isIdentifier(node)) return !isPropertyName(node) && valuesOfData(node).some((value) => reachesPublicLookup(value, key, depth + 1));
  if (ts.isCallExpression(node) && isPublicLookup(node, key)) return true;
  return ts.forEachChild(node, (child) => (reachesPublicLookup(child, key, depth) ? true : undefined)) ?? false;
}

function isPublicLookup(call: ts.CallExpression, key: string): boolean {
  const name = calleeName(call);
  const isGet = name === 'fetch' ? !sendsMethod(call.arguments[1]) : name === 'get' && isHttpClientCall(call);
  const url = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!isGet || !url || !ts.isTemplateExpression(url) || !/^https?:\/\/[\w-]+(\.[\w-]+)*\.[a-z]{2,}[/:?]/i.test(url.head.text)) return false;
  const spans = url.templateSpans.map((span) => skipOuterExpressions(span.expression));
  const isKey = (expression: ts.Expression): boolean => compactText(expression) === key || (ts.isCallExpression(expression) && /^encodeURI(Component)?$/.test(calleeName(expression)) && expression.arguments.length === 1 && compactText(expression.arguments[0]) === key);
  return spans.some(isKey) && spans.every((span) => isKey(span) || isModuleLevelName(span) || /^process\.env\.\w+$/.test(compactText(span)));
}

/** `{ method: 'POST', body }`: a request that sends, not a look-up. */
function sendsMethod(options: ts.Expression | undefined): boolean {
  const value = options && skipOuterExpressions(options);
  if (!value) return false;
  if (!ts.isObjectLiteralExpression(value)) return true;
  return value.properties.some((property) => {
    const name = property.name && propertyNameText(property.name);
    if (name === 'body') return true;
    if (name !== 'method') return false;
    return !ts.isPropertyAssignment(property) || !ts.isStringLiteralLike(property.initializer) || property.initializer.text.toUpperCase() !== 'GET';
  });
}

function lastName(expression: ts.Expression): string {
  const value = skipOuterExpressions(expression);
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isPropertyAccessExpression(value)) return value.name.text;
  return '';
}

function compactText(node: ts.Node): string {
  return node.getText().replace(/\s+/g, '');
}

function reachesFixedDocument(node: ts.Node, depth: number): boolean {
  if (depth > 3) return false;
  if (ts.isIdentifier(node)) return !isPropertyName(node) && valuesOfData(node).some((value) => reachesFixedDocument(value, depth + 1));
  if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && isFixedDocumentLoad(node)) return true;
  return ts.forEachChild(node, (child) => (reachesFixedDocument(child, depth) ? true : undefined)) ?? false;
}

/**
 * A write whose outcome the code waits for or reads (`await db.put(…)`, `const result = db.set(…)`)
 * on something that is not a collection of this module (`tokens.set(…)` on a module Map is one more
 * in-memory write, not storage).
 */
function isStorageCall(call: ts.CallExpression): boolean {
  if (isModuleCollectionCall(call, false)) return false;
  let parent = call.parent;
  while (ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return !ts.isExpressionStatement(parent);
}

/**
 * A call on a collection this module keeps (`todos.findIndex(…)` on `let todos = []`, `users.get(id)`
 * on a module Map): memory, not storage. `deep` also takes a member of it (`sessions.active.set(…)`);
 * otherwise the method must be the collection's own, and an object literal with functions in it (a
 * repository of queries, `const db = { users: { findByPk() {…} } }`) is no collection.
 */
function isModuleCollectionCall(call: ts.CallExpression | ts.NewExpression, direct = true): boolean {
  const callee = skipOuterExpressions(call.expression);
  let root: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root) || root === callee) return false;
  if (direct && !(ts.isPropertyAccessExpression(callee) && skipOuterExpressions(callee.expression) === root)) return false;
  const declaration = getFileFacts(root.getSourceFile()).topLevel.get(root.text);
  const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (initializer === undefined) return false;
  if (ts.isObjectLiteralExpression(initializer)) return !direct || !initializer.properties.some((property) => ts.isMethodDeclaration(property) || (ts.isPropertyAssignment(property) && !isPlainData(property.initializer)));
  return ts.isArrayLiteralExpression(initializer) || (ts.isNewExpression(initializer) && /^(Map|Set)$/.test(initializer.expression.getText()));
}

/** `list.find((item) => …)` on a name or a member (not on a call's result, as a query builder's chain is): an array searched in memory. */
function isArraySearch(call: ts.CallExpression | ts.NewExpression): boolean {
  if (!isPredicateSearch(call)) return false;
  let receiver = skipOuterExpressions((skipOuterExpressions(call.expression) as ts.PropertyAccessExpression).expression);
  while (ts.isPropertyAccessExpression(receiver)) receiver = skipOuterExpressions(receiver.expression);
  return ts.isIdentifier(receiver) || receiver.kind === SyntaxKind.ThisKeyword;
}

/** `db.set(name, value); cached.set(name, value)`: the same value written to storage by another call in the same function. */
function isWriteThrough(mutation: Mutation): boolean {
  const value = storedValue(mutation);
  const fn = mutation.function;
  if (!value || !fn || !ts.isIdentifier(skipOuterExpressions(value)) || reachesFixedDocument(value, 0)) return false;
  const stored = (skipOuterExpressions(value) as ts.Identifier).text;
  const owner = ownerText(mutation);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isCallExpression(node) && node !== mutation.node && ts.isPropertyAccessExpression(node.expression) && STORAGE_WRITE.test(node.expression.name.text)) {
      const receiver = node.expression.expression.getText().replace(/\s+/g, '');
      if (receiver !== owner && isStorageCall(node) && node.arguments.some((argument) => ts.isIdentifier(skipOuterExpressions(argument)) && (skipOuterExpressions(argument) as ts.Identifier).text === stored)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

function mentionsText(node: ts.Node, text: string): boolean {
  if (node.getText() === text) return true;
  return ts.forEachChild(node, (child) => (mentionsText(child, text) ? true : undefined)) ?? false;
}

/** Whether what a function returns or awaits is shared data. */
function functionReturnsSharedData(fn: ts.FunctionLikeDeclaration, checker: ts.TypeChecker | undefined, depth: number, loadsOnly: boolean): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return isSharedData(body, checker, depth, loadsOnly);
  let shared = false;
  const visit = (node: ts.Node): void => {
    if (shared || (ts.isFunctionLike(node) && node !== fn)) return;
    if ((ts.isReturnStatement(node) && node.expression && isSharedData(node.expression, checker, depth, loadsOnly)) || (ts.isAwaitExpression(node) && isSharedData(node, checker, depth, loadsOnly))) shared = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return shared;
}

function isPropertyName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === identifier) || (ts.isPropertyAssignment(parent) && parent.name === identifier);
}

/**
 * What a local holds: its assignments, what a `.then` callback's parameter settles with, the list a
 * `forEach` callback's element comes from, and `const [row] = await db.select()…` / `const { data } = await axios.get(…)`.
 */
function valuesOfData(identifier: ts.Identifier): ts.Expression[] {
  let fn: ts.Node | undefined = identifier.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const settled = fn && callbackSource(fn, identifier.text);
  const values = valuesOfLocal(identifier, (node, found) => {
    if (ts.isVariableDeclaration(node) && !ts.isIdentifier(node.name) && node.initializer && bindsName(node.name, identifier.text)) found.push(node.initializer);
  });
  return settled ? [...values, settled] : values;
}

/**
 * Where a callback's first parameter comes from: `load(id).then((row) => …)` settles with what
 * `load(id)` loads; `accounts.forEach((user) => …)` hands an element of `accounts`, as shared as the list.
 */
function callbackSource(fn: ts.Node, name: string): ts.Expression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const first = fn.parameters[0];
  const call = fn.parent;
  if (!first || !ts.isIdentifier(first.name) || first.name.text !== name || !ts.isCallExpression(call) || call.arguments[0] !== fn) return undefined;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'then' || callee.name.text === 'forEach') ? callee.expression : undefined;
}

const URL_FETCH = /^(fetch|fetchJson|fetchText|get|request)$/;

/**
 * An HTTP GET of one fixed document (`fetch('https://data.iana.org/rdap/dns.json')`,
 * `axios.get(\`${settings.updateServer}/info.json\`)`): its URL holds nothing a caller or a request
 * chose, only literals and module-level configuration. Reference data no instance writes: each
 * copy is as good as another's.
 */
export function isFixedDocumentLoad(node: ts.CallExpression | ts.NewExpression): boolean {
  if (!ts.isCallExpression(node)) return false;
  const name = calleeName(node);
  if (!URL_FETCH.test(name) || (name !== 'fetch' && !name.startsWith('fetch') && !isHttpClientCall(node))) return false;
  const url = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
  if (!url) return false;
  if (ts.isStringLiteralLike(url)) return /^https?:\/\//.test(url.text);
  if (ts.isIdentifier(url)) return isFixedUrlConstant(url);
  if (!ts.isTemplateExpression(url)) return false;
  return url.templateSpans.every((span) => isModuleLevelName(skipOuterExpressions(span.expression))) && /\//.test(url.getText());
}

/** `const TOKEN_URL = 'https://api.example.com/oauth/token'` at the top of the file: the same fixed URL, named once. */
function isFixedUrlConstant(name: ts.Identifier): boolean {
  if (!isModuleLevelName(name)) return false;
  const declaration = getFileFacts(name.getSourceFile()).topLevel.get(name.text);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return false;
  const value = skipOuterExpressions(declaration.initializer);
  return ts.isStringLiteralLike(value) && /^https?:\/\/[^/]+\//.test(value.text);
}

/** `settings.updateServer`, `CONFIG.base`, `BASE_URL`: a name (or member of one) bound at module scope. */
function isModuleLevelName(expression: ts.Expression): boolean {
  let current = expression;
  while (ts.isPropertyAccessExpression(current)) current = skipOuterExpressions(current.expression);
  if (!ts.isIdentifier(current)) return false;
  if (localInitializer(current)) return false;
  for (let node: ts.Node | undefined = current.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node) && node.parameters.some((parameter) => bindsName(parameter.name, current.text))) return false;
  }
  return getFileFacts(current.getSourceFile()).topLevel.has(current.text) || getFileFacts(current.getSourceFile()).imports.has(current.text);
}

/**
 * `await Settings.get('rdapData')` where this file only ever stores a fixed document under that key
 * (`Settings.set('rdapData', data)` with `data` from `fetch(FIXED_URL)`): the offline copy of the
 * same reference data.
 */
function isStoredFixedDocument(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const key = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!ts.isPropertyAccessExpression(callee) || !/^get/.test(callee.name.text) || !key || !ts.isStringLiteralLike(key)) return false;
  const receiver = callee.expression.getText();
  const stores = getFileFacts(call.getSourceFile()).calls.filter(({ node }) => {
    const target = skipOuterExpressions(node.expression);
    const stored = node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
    return ts.isCallExpression(node) && ts.isPropertyAccessExpression(target) && /^set/.test(target.name.text) && target.expression.getText() === receiver && stored !== undefined && ts.isStringLiteralLike(stored) && stored.text === key.text;
  });
  return stores.length > 0 && stores.every(({ node }) => node.arguments?.[1] !== undefined && reachesFixedDocument(node.arguments[1], 0));
}

/** `response.json()` where `response` is only ever a fixed document's response. */
function readsFixedDocument(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(receiver)) return false;
  const values = valuesOfData(receiver);
  return values.length > 0 && values.every((value) => {
    const loaded = skipOuterExpressions(value);
    return isDeployTimeCall(ts.isAwaitExpression(loaded) ? skipOuterExpressions(loaded.expression) : loaded);
  });
}

/** `axios.get(url)`, `http.post(…)`, `this.api.get(…)`: another service. */
function isHttpClientCall(node: ts.CallExpression | ts.NewExpression): boolean {
  const callee = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(callee) && /^(get|post|put|patch|request)$/.test(callee.name.text) && HTTP_CLIENT.test(callee.expression.getText());
}

function isDeployTimeCall(node: ts.Expression): boolean {
  if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return false;
  if (node.expression.kind === SyntaxKind.ImportKeyword) return true;
  // JSON.parse(row.value) is as shared as the row it parses.
  if (skipOuterExpressions(node.expression).getText() === 'JSON.parse') return false;
  if (isFixedDocumentLoad(node)) return true;
  if (readsBundledDatabase(node)) return true;
  return DEPLOY_TIME_CALL.test(calleeName(node));
}

/** Readers of a database file deployed with the service (MaxMind's GeoIP `.mmdb`): each instance's copy answers the same. */
const BUNDLED_DATABASE_MODULES = new Set(['maxmind', '@maxmind/geoip2-node', 'mmdb-lib', 'geoip-lite', 'geoip-country', 'ip2location-nodejs']);

/**
 * `geoip.lookup(ip)`, or `reader.get(ip)` where every value `reader` is given comes from such a library
 * (`reader = await maxmind.open(path)`): a lookup in a file that ships with the deployment, so a memo
 * of its answers is a memo of deploy-time data, whichever instance fills it.
 */
function readsBundledDatabase(node: ts.CallExpression | ts.NewExpression): boolean {
  const imports = getFileFacts(node.getSourceFile()).imports;
  const fromLibrary = (expression: ts.Expression): boolean => {
    const member = resolveImportedMember(expression, imports);
    return member !== undefined && BUNDLED_DATABASE_MODULES.has(member.module);
  };
  if (fromLibrary(node.expression)) return true;
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(receiver)) return false;
  const values = valuesOfData(receiver);
  return (
    values.length > 0 &&
    values.every((value) => {
      const made = skipOuterExpressions(ts.isAwaitExpression(skipOuterExpressions(value)) ? (skipOuterExpressions(value) as ts.AwaitExpression).expression : value);
      return (ts.isCallExpression(made) || ts.isNewExpression(made)) && fromLibrary(made.expression);
    })
  );
}

/**
 * A call given nothing but the deployment's settings (`readSecret(process.env.APP_STORE_KEY)`, a key
 * file the environment names), not awaited: every instance reads the same. A request to a service
 * (`fetch(process.env.FEED_URL)`) loads what that service holds now, so it is not one.
 */
function readsEnvironmentOnly(node: ts.CallExpression | ts.NewExpression): boolean {
  const args = node.arguments ?? [];
  if (args.length === 0 || isHttpClientCall(node) || /^(fetch|request|axios|got|ky|query|get)$/.test(calleeName(node))) return false;
  const values = args.map((argument) => skipOuterExpressions(argument));
  return values.some(isEnvironmentRead) && values.every((value) => isEnvironmentRead(value) || ts.isStringLiteralLike(value) || ts.isNumericLiteral(value));
}

/** `process.env.KEY`, `process.env['KEY']`. */
function isEnvironmentRead(value: ts.Expression): boolean {
  const owner = ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value) ? skipOuterExpressions(value.expression) : undefined;
  return owner !== undefined && owner.getText().replace(/\s+/g, '') === 'process.env';
}

function calleeName(node: ts.CallExpression | ts.NewExpression): string {
  const callee = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isIdentifier(callee)) return callee.text;
  return '';
}

function isPromiseType(checker: ts.TypeChecker, node: ts.CallExpression): boolean {
  try {
    const type = checker.getTypeAtLocation(node);
    return type.getProperty('then') !== undefined;
  } catch {
    return false;
  }
}

/** A number the code states as a constant: literals, `5 * 60 * 1000`, a `const` holding one. */
export function constantNumber(expression: ts.Expression | undefined, depth = 0): number | undefined {
  if (!expression || depth > 4) return undefined;
  const value = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(value)) return Number(value.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(value) && value.operator === SyntaxKind.MinusToken) {
    const operand = constantNumber(value.operand, depth + 1);
    return operand === undefined ? undefined : -operand;
  }
  if (ts.isBinaryExpression(value)) {
    const left = constantNumber(value.left, depth + 1);
    const right = constantNumber(value.right, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (value.operatorToken.kind) {
      case SyntaxKind.AsteriskToken:
        return left * right;
      case SyntaxKind.PlusToken:
        return left + right;
      case SyntaxKind.MinusToken:
        return left - right;
      case SyntaxKind.SlashToken:
        return right === 0 ? undefined : left / right;
      default:
        return undefined;
    }
  }
  if (ts.isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword) {
    // this.CACHE_TTL_MS where the class declares `readonly CACHE_TTL_MS = 86_400_000`.
    const owner = ts.findAncestor(value, ts.isClassLike);
    const field = owner?.members.find((member): member is ts.PropertyDeclaration => ts.isPropertyDeclaration(member) && propertyNameText(member.name) === value.name.text);
    const readonly = field && ts.getModifiers(field)?.some((modifier) => modifier.kind === SyntaxKind.ReadonlyKeyword);
    if (readonly) return constantNumber(field.initializer, depth + 1);
    return owner ? constructorSetNumber(owner, value.name.text, depth) : undefined;
  }
  if (ts.isIdentifier(value)) {
    const local = localInitializer(value);
    if (local) return constantNumber(local, depth + 1);
    const declaration = getFileFacts(value.getSourceFile()).topLevel.get(value.text);
    if (declaration && ts.isVariableDeclaration(declaration) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0) return constantNumber(declaration.initializer, depth + 1);
  }
  return undefined;
}

/**
 * `constructor(load, ttl = 30) { this.ttl = ttl * 1000 }`, and no other method sets `this.ttl`: the
 * number the field holds when callers pass none (`new MemoryCache(load)`), as `parameterDefault`
 * reads a setter's. A field set anywhere else, or from a parameter without a default, has none.
 */
function constructorSetNumber(owner: ts.ClassLikeDeclaration, name: string, depth: number): number | undefined {
  const constructor = owner.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined);
  if (!constructor) return undefined;
  const assignments: ts.BinaryExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind) && ts.isPropertyAccessExpression(node.left) && node.left.expression.kind === SyntaxKind.ThisKeyword && node.left.name.text === name) assignments.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(owner, visit);
  const [only] = assignments;
  if (assignments.length !== 1 || only.operatorToken.kind !== SyntaxKind.EqualsToken || ts.findAncestor(only, ts.isFunctionLike) !== constructor) return undefined;
  const withDefaults = (expression: ts.Expression): number | undefined => {
    const value = skipOuterExpressions(expression);
    if (ts.isIdentifier(value)) {
      const parameter = constructor.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === value.text);
      if (parameter) return parameter.initializer ? constantNumber(parameter.initializer, depth + 1) : undefined;
    }
    if (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.AsteriskToken) {
      const left = withDefaults(value.left);
      const right = withDefaults(value.right);
      return left === undefined || right === undefined ? undefined : left * right;
    }
    return constantNumber(value, depth + 1);
  };
  return withDefaults(only.right);
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

/**
 * How stale a hand-written cache can get, in milliseconds: the longest expiry over its fills
 * (`setTimeout(() => m.delete(k), ttl)`, `{ value, expiresAt: Date.now() + ttl }`, a hit check
 * `Date.now() - hit.at < ttl`, a sweep every P ms dropping entries older than A, which serves an
 * entry for up to A + P); Infinity when some fill has none; undefined when the code bounds it with
 * a delay it computes (`setTimeout(…, this.ttl / 2)`): stated, but not a number to judge.
 */
export function stalenessOfStateCache(mutations: readonly Mutation[]): number | undefined {
  const fills = mutations.filter((m) => storedValue(m) !== undefined && !inTimerCallback(m.node) && (isFill(m) || !isEmpty(storedValue(m)!)));
  if (fills.length === 0) return Infinity;
  const timers = mutations.filter((m) => inTimerCallback(m.node));
  let longest = 0;
  for (const fill of fills) {
    const ttl = expiryOfFill(fill, timers);
    if (ttl === 'unknown') return undefined;
    if (ttl === undefined) return Infinity;
    longest = Math.max(longest, ttl);
  }
  return longest;
}

/**
 * Whether a hand-written cache is made to forget or replace entries before they expire: a
 * `delete`, `clear` or emptying (in any function of its file, a model hook as much as a route) that
 * is not the expiry itself (a sweep, a hit check against the clock) nor a size cap, or a write of
 * what a request sent. A TTL cache without one is as stale on one instance as on N: the code
 * accepts its TTL, and scaling out changes nothing.
 */
export function isInvalidatedBeforeExpiry(writes: readonly Mutation[], isCalledOnlyByTests: (fn: ts.Node) => boolean = () => false): boolean {
  const owners = new Set(writes.map(ownerText));
  owners.delete(undefined);
  const files = new Set(writes.map((write) => write.node.getSourceFile()));
  const mutations = new Set(writes);
  for (const file of files) for (const mutation of getFileFacts(file).mutations) if (owners.has(ownerText(mutation))) mutations.add(mutation);
  for (const mutation of mutations) {
    // `export const resetUsageCache = () => { … }` that only a test file calls: no instance forgets anything.
    if (!writes.includes(mutation) && mutation.function && isCalledOnlyByTests(outermostFunction(mutation.function))) continue;
    const value = storedValue(mutation);
    // What a request sent, written over an entry (a fill behind a miss check answers the miss instead).
    if (value !== undefined && isRequestData(skipOuterExpressions(value)) && !isFill(mutation)) return true;
    if (!isInvalidation(mutation) || inTimerCallback(mutation.node) || isCapped(mutation.node)) continue;
    if (mutation.function && (clockComparisonIn(outermostFunction(mutation.function)) !== undefined || comparesClockWithExpiry(outermostFunction(mutation.function)))) continue;
    return true;
  }
  return false;
}

/**
 * `if (Date.now() > entry.expires) cache.delete(key)`, `const now = Date.now(); … if (now > hit.expiresAt)`:
 * the clock compared with the expiry an entry was stored with drops what has expired, nothing sooner.
 */
function comparesClockWithExpiry(fn: ts.Node): boolean {
  const isClock = (side: ts.Expression): boolean => {
    const value = skipOuterExpressions(side);
    if (CLOCK.test(value.getText().replace(/\s+/g, ''))) return true;
    const local = ts.isIdentifier(value) ? localInitializer(value) : undefined;
    return local !== undefined && CLOCK.test(local.getText().replace(/\s+/g, ''));
  };
  const isExpiry = (side: ts.Expression): boolean => {
    const value = skipOuterExpressions(side);
    return ts.isPropertyAccessExpression(value) && EXPIRY_PROPERTY.test(value.name.text);
  };
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && isComparison(node.operatorToken.kind) && ((isClock(node.left) && isExpiry(node.right)) || (isExpiry(node.left) && isClock(node.right)))) found = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** `if (cache.size > 100) cache.clear()`: making room, not invalidating. */
function isCapped(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent && !ts.isFunctionLike(current); current = current.parent) {
    const parent = current.parent;
    if ((ts.isIfStatement(parent) && parent.thenStatement === current) || (ts.isConditionalExpression(parent) && parent.whenTrue === current)) {
      const condition = ts.isIfStatement(parent) ? parent.expression : parent.condition;
      if (/\.(size|length)\b|\.keys\(\)/.test(condition.getText())) return true;
    }
  }
  return false;
}

function expiryOfFill(fill: Mutation, timers: readonly Mutation[]): number | 'unknown' | undefined {
  const value = storedValue(fill);
  const stored = value && skipOuterExpressions(value);
  if (stored && ts.isObjectLiteralExpression(stored)) {
    for (const property of stored.properties) {
      if (!ts.isPropertyAssignment(property) || !EXPIRY_PROPERTY.test(propertyNameText(property.name) ?? '')) continue;
      const initializer = skipOuterExpressions(property.initializer);
      if (ts.isBinaryExpression(initializer) && initializer.operatorToken.kind === SyntaxKind.PlusToken && CLOCK.test(initializer.left.getText().replace(/\s+/g, ''))) {
        const ttl = constantNumber(initializer.right) ?? parameterDefault(initializer.right);
        if (ttl !== undefined) return ttl;
      }
      const jittered = jitteredTtl(initializer);
      if (jittered !== undefined) return jittered;
    }
  }
  const owner = ownerText(fill);
  for (const timer of timers) {
    if (ownerText(timer) !== owner || !fill.function || !(timer.node.pos >= fill.function.pos && timer.node.end <= fill.function.end)) continue;
    const call = timerCall(timer.node);
    if (!call) continue;
    return constantNumber(call.arguments[1]) ?? 'unknown';
  }
  const inFill = fill.function ? clockComparisonIn(outermostFunction(fill.function)) : undefined;
  return inFill ?? (owner === undefined ? undefined : clockComparisonWhereRead(fill, owner)) ?? (fill.function ? refreshPeriodOf(outermostFunction(fill.function)) : undefined);
}

/**
 * `updateStoreCounts()` at module scope and, in a handler, `if (now - lastCheck > PERIOD) { lastCheck = now;
 * updateStoreCounts() }`: the function that fills the copy runs when the module loads and again once per
 * period, so what it keeps is at most that period old (plus the wait for the next request). Every call of
 * it in its file must be one of the two; a call outside such a gate refills on other terms.
 */
function refreshPeriodOf(fn: ts.Node): number | 'unknown' | undefined {
  if (!(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  let period: number | 'unknown' | undefined;
  for (const { node, function: caller } of getFileFacts(fn.getSourceFile()).calls) {
    // A call at module scope is the load when the module starts.
    if (!ts.isCallExpression(node) || sameFileFunction(node) !== fn || caller === undefined) continue;
    let gate: number | 'unknown' | undefined;
    for (let child: ts.Node = node, parent = node.parent; parent && !ts.isFunctionLike(parent); child = parent, parent = parent.parent) {
      if (ts.isIfStatement(parent) && parent.thenStatement === child) gate = clockComparisonIn(parent.expression, true);
      if (gate !== undefined) break;
    }
    if (gate === undefined) return undefined;
    period = gate === 'unknown' || period === 'unknown' ? 'unknown' : Math.max(period ?? 0, gate);
  }
  return period;
}

/**
 * `expiresAt: now + TTL_MS + jitter`, with `now` the clock (a local or parameter so named, or `Date.now()`)
 * and `jitter` a local drawn with `Math.random()` to spread expiries: the constant terms are the TTL, the
 * jitter only lengthens it a little.
 */
function jitteredTtl(expression: ts.Expression): number | undefined {
  const terms: ts.Expression[] = [];
  const flatten = (node: ts.Expression): void => {
    const value = skipOuterExpressions(node);
    if (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken) {
      flatten(value.left);
      flatten(value.right);
    } else terms.push(value);
  };
  flatten(expression);
  let clock = false;
  let ttl: number | undefined;
  for (const term of terms) {
    const text = term.getText().replace(/\s+/g, '');
    if (CLOCK.test(text) || (ts.isIdentifier(term) && term.text === 'now')) {
      clock = true;
      continue;
    }
    const constant = constantNumber(term) ?? parameterDefault(term);
    if (constant !== undefined) {
      ttl = (ttl ?? 0) + constant;
      continue;
    }
    const initializer = ts.isIdentifier(term) ? localInitializer(term) : undefined;
    if (!initializer || !/\bMath\.random\(\)/.test(initializer.getText())) return undefined;
  }
  return clock ? ttl : undefined;
}

/**
 * `function setCache(key, value, ttl = FIVE_MINUTES) { cache.set(key, { value, expires: Date.now() + ttl }) }`:
 * the TTL a setter's parameter defaults to is the one its callers get when they pass none.
 */
function parameterDefault(expression: ts.Expression): number | undefined {
  const value = skipOuterExpressions(expression);
  if (!ts.isIdentifier(value)) return undefined;
  const fn = ts.findAncestor(value, ts.isFunctionLike);
  const parameter = fn?.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === value.text);
  return parameter?.initializer ? constantNumber(parameter.initializer) : undefined;
}

/**
 * `function get(k) { const hit = cache.get(k); if (hit && Date.now() - hit.at < TTL) return hit.data; }`
 * next to `function set(k, data) { cache.set(k, { at: Date.now(), data }) }`: the hit check that
 * bounds the entries is where they are read, not where they are filled. The functions of the same
 * file that read an entry of the cache (`cache.get(`, `cache[`) are looked at.
 */
function clockComparisonWhereRead(fill: Mutation, owner: string): number | 'unknown' | undefined {
  const name = owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const reads = new RegExp(`(^|[^\\w$.])${name}(\\.get\\(|\\[)`);
  const mentions = new RegExp(`(^|[^\\w$.])${name}(?![\\w$])`);
  const filling = fill.function && outermostFunction(fill.function);
  let stamps: ReadonlySet<string> | undefined;
  for (const [fn, info] of getFileFacts(fill.node.getSourceFile()).functions) {
    if (info.parent !== undefined || fn === filling) continue;
    const text = fn.getText();
    if (reads.test(text)) {
      const found = clockComparisonIn(fn);
      if (found !== undefined) return found;
    } else if (filling && mentions.test(text)) {
      // `if (this.syncedAt > new Date(Date.now() - 10_000)) return this.list;` beside a load that sets both:
      // a single value served while the stamp its fill writes is younger than the age.
      stamps ??= assignedTargets(filling);
      const found = stampComparisonIn(fn, stamps);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The targets a function assigns (`this.list`, `this.syncedAt`, `loadedAt`), as written. */
function assignedTargets(fn: ts.Node): ReadonlySet<string> {
  const targets = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) targets.add(compactText(skipOuterExpressions(node.left)));
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return targets;
}

/** A comparison with the clock in `fn` one of whose sides is one of `stamps`: the age it allows. */
function stampComparisonIn(fn: ts.Node, stamps: ReadonlySet<string>): number | 'unknown' | undefined {
  let found: number | 'unknown' | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isBinaryExpression(node) && isComparison(node.operatorToken.kind) && readsClock(node) && [node.left, node.right].some((side) => stamps.has(compactText(skipOuterExpressions(side)).replace(/\?\./g, '.')))) {
      found = clockComparisonIn(node, true);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** The function a callback is written in, up to the one declared in a class or at module scope. */
function outermostFunction(fn: ts.Node): ts.Node {
  let outer = fn;
  for (let current: ts.Node | undefined = fn.parent; current && !ts.isSourceFile(current) && !ts.isClassLike(current); current = current.parent) {
    if (ts.isFunctionLike(current)) outer = current;
  }
  return outer;
}

function isEmpty(value: ts.Expression): boolean {
  const stored = skipOuterExpressions(value);
  return stored.kind === SyntaxKind.NullKeyword || stored.kind === SyntaxKind.UndefinedKeyword || (ts.isIdentifier(stored) && stored.text === 'undefined');
}

function timerCall(node: ts.Node): ts.CallExpression | undefined {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isFunctionLike(current) && ts.isCallExpression(parent) && /(^|\.)setTimeout$/.test(parent.expression.getText())) return parent;
  }
  return undefined;
}

/**
 * `Date.now() - hit.at < TTL_MS` in the filling function: the hit is served for at most TTL_MS; in a
 * `setInterval` sweep, for up to TTL_MS plus the sweep's period. The clock may be read into a local
 * first (`const now = Date.now(); … hit.at + maxAgeMs < now`). A duration the code does not fix as a
 * number (a memo factory's `maxAgeMs` parameter, a setting) still bounds the entries: 'unknown',
 * stated but not a number to judge, as a timer's computed delay is.
 */
function clockComparisonIn(fn: ts.Node, itself = false): number | 'unknown' | undefined {
  let found: number | undefined;
  let stated = false;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isBinaryExpression(node) && isComparison(node.operatorToken.kind) && readsClock(node)) {
      found = constantNumber(node.right) ?? constantNumber(node.left) ?? additiveConstant(node.left) ?? additiveConstant(node.right) ?? defaultedDuration(node) ?? cutOffAge(node.left) ?? cutOffAge(node.right);
      // An age against a duration (`now - hit.at < maxAge`, `hit.at + ttl > now`); a bare `expiresAt > now` states none here.
      if (found === undefined && [node.left, node.right].some(isArithmetic)) stated = true;
      const sweep = found === undefined ? undefined : sweepOf(node);
      if (sweep) found = found! + (constantNumber(sweep.arguments[1]) ?? Infinity);
    } else if (ts.isBinaryExpression(node) && isComparison(node.operatorToken.kind)) {
      found = cutOffAge(node.left) ?? cutOffAge(node.right);
    }
    ts.forEachChild(node, visit);
  };
  if (itself) visit(fn);
  else ts.forEachChild(fn, visit);
  return found ?? (stated ? 'unknown' : undefined);
}

function isArithmetic(side: ts.Expression): boolean {
  const value = skipOuterExpressions(side);
  return ts.isBinaryExpression(value) && (value.operatorToken.kind === SyntaxKind.PlusToken || value.operatorToken.kind === SyntaxKind.MinusToken);
}

/** The comparison reads the clock: `Date.now()` in its text, or a local holding it (`now` after `const now = Date.now()`). */
function readsClock(comparison: ts.BinaryExpression): boolean {
  if (CLOCK.test(comparison.getText().replace(/\s+/g, ''))) return true;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && !isPropertyName(node) && isClockNow(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(comparison);
  return found;
}

/** `now - hit.at < ttl` in `function get(key, ttl = FIVE_MINUTES)`: the duration callers get when they pass none. */
function defaultedDuration(comparison: ts.BinaryExpression): number | undefined {
  const operands = (side: ts.Expression): ts.Expression[] => {
    const value = skipOuterExpressions(side);
    return isArithmetic(value) ? [(value as ts.BinaryExpression).left, (value as ts.BinaryExpression).right] : [value];
  };
  for (const operand of [...operands(comparison.left), ...operands(comparison.right)]) {
    const duration = parameterDefault(operand);
    if (duration !== undefined) return duration;
  }
  return undefined;
}

/** Milliseconds in each unit a `Date` setter moves (`d.setHours(d.getHours() - 1)`). */
const DATE_SETTER_UNITS: Record<string, number> = { setMilliseconds: 1, setSeconds: 1000, setMinutes: 60_000, setHours: 3_600_000, setDate: 86_400_000 };

/**
 * `stamp <= oneMinuteAgo` with `const oneMinuteAgo = new Date(Date.now() - 60 * 1000)` (or
 * `Date.now() - TTL`), or `const cutOff = new Date(); cutOff.setHours(cutOff.getHours() - 1)`: a
 * local cut-off the clock's reading minus an age; that age is how old an entry compared with it may get.
 */
function cutOffAge(side: ts.Expression): number | undefined {
  const value = skipOuterExpressions(side);
  // Written in place: `syncedAt > new Date(Date.now() - 10_000)`.
  if (!ts.isIdentifier(value)) return ts.isNewExpression(value) ? clockMinusAge(value) : undefined;
  const initializer = localInitializer(value);
  if (!initializer) return undefined;
  const reading = skipOuterExpressions(initializer);
  if (ts.isNewExpression(reading) && reading.expression.getText() === 'Date' && (reading.arguments?.length ?? 0) === 0) return dateSetterAge(value);
  return clockMinusAge(reading);
}

/** `new Date(Date.now() - 60 * 1000)` or `Date.now() - TTL`: the clock's reading minus a constant age, that age. */
function clockMinusAge(expression: ts.Expression): number | undefined {
  let reading = skipOuterExpressions(expression);
  if (ts.isNewExpression(reading) && reading.expression.getText() === 'Date') {
    if (reading.arguments?.length !== 1) return undefined;
    reading = skipOuterExpressions(reading.arguments[0]);
  }
  if (!ts.isBinaryExpression(reading) || reading.operatorToken.kind !== SyntaxKind.MinusToken || !CLOCK.test(reading.left.getText().replace(/\s+/g, ''))) return undefined;
  return constantNumber(reading.right);
}

/** `cutOff.setHours(cutOff.getHours() - 1)` in the function that declares `cutOff = new Date()`. */
function dateSetterAge(local: ts.Identifier): number | undefined {
  const scope = ts.findAncestor(local, ts.isFunctionLike);
  if (!scope) return undefined;
  let age: number | undefined;
  const visit = (node: ts.Node): void => {
    if (age !== undefined) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.getText() === local.text && node.arguments.length === 1) {
      const unit = DATE_SETTER_UNITS[node.expression.name.text];
      const argument = skipOuterExpressions(node.arguments[0]);
      if (unit !== undefined && ts.isBinaryExpression(argument) && argument.operatorToken.kind === SyntaxKind.MinusToken && argument.left.getText().replace(/\s+/g, '') === `${local.text}.get${node.expression.name.text.slice(3)}()`) {
        const amount = constantNumber(argument.right);
        if (amount !== undefined) age = amount * unit;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return age;
}

function sweepOf(node: ts.Node): ts.CallExpression | undefined {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isFunctionLike(current) && ts.isCallExpression(parent) && /(^|\.)setInterval$/.test(parent.expression.getText())) return parent;
  }
  return undefined;
}

/** `hit.at + TTL` → TTL. */
function additiveConstant(expression: ts.Expression): number | undefined {
  const value = skipOuterExpressions(expression);
  if (!ts.isBinaryExpression(value) || value.operatorToken.kind !== SyntaxKind.PlusToken) return undefined;
  return constantNumber(value.right) ?? constantNumber(value.left);
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return kind === SyntaxKind.LessThanToken || kind === SyntaxKind.LessThanEqualsToken || kind === SyntaxKind.GreaterThanToken || kind === SyntaxKind.GreaterThanEqualsToken;
}

/** `45 seconds`, `10 minutes`, `2 hours`, `3 days`. */
export function describeDuration(milliseconds: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, unit] of units) {
    if (milliseconds >= size) {
      const count = Math.round((milliseconds / size) * 10) / 10;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${milliseconds} ms`;
}

/** Where settings are saved: `config.setConfigItem(…)`, `settings.save(…)`, `options.update(…)`. */
const SETTINGS_TEXT = /config|setting|option|preference/i;

/**
 * `usingLocalDb = !toRemote; … config.setConfigItem('use_local_db', usingLocalDb)`: a value a request
 * sets and then saves, itself, under a setting's name. The saved setting is what every instance
 * shares; the variable is each instance's copy of it, changed only where the request ran. The save
 * may name it in an object (`setConfig({ vfs })`) and come after a call of the function that writes
 * it (`await reviewVfs(); await setConfig({ vfs })`, `reviewVfs` ending in `vfs = data`).
 */
export function isSavedAsSetting(name: string, mutation: Mutation): boolean {
  const fn = mutation.function;
  if (!fn || !mutation.isReassignment) return false;
  if (savesAfter(fn, mutation.node.end, name)) return true;
  // A function of the file that calls the writing one, then saves.
  const writer = functionName(fn);
  if (writer === undefined) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === writer) {
      const caller = ts.findAncestor(node.parent, ts.isFunctionLike);
      if (caller && caller !== fn && savesAfter(caller, node.end, name)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.getSourceFile());
  return found;
}

/** A settings save in `fn`, after `from`, that names the value: `config.setConfigItem('key', name)` or `setConfig({ name })`. */
function savesAfter(fn: ts.Node, from: number, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isCallExpression(node) && node.pos >= from) {
      const callee = node.expression;
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
      if (method !== undefined && STORAGE_WRITE.test(method) && SETTINGS_TEXT.test(callee.getText())) {
        const [key, ...rest] = node.arguments;
        if (ts.isPropertyAccessExpression(callee) && key && ts.isStringLiteralLike(key) && rest.some((argument) => isNamed(argument, name))) found = true;
        if (node.arguments.some((argument) => namesInObject(argument, name))) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

function isNamed(argument: ts.Expression, name: string): boolean {
  const value = skipOuterExpressions(argument);
  return ts.isIdentifier(value) && value.text === name;
}

/** `{ vfs }` or `{ vfs: vfs }`: the value saved under its own name. */
function namesInObject(argument: ts.Expression, name: string): boolean {
  const value = skipOuterExpressions(argument);
  return ts.isObjectLiteralExpression(value) && value.properties.some((property) => (ts.isShorthandPropertyAssignment(property) && property.name.text === name) || (ts.isPropertyAssignment(property) && property.name.getText() === name && isNamed(property.initializer, name)));
}

/** `function reviewVfs() {}`, `const reviewVfs = async () => {}`: the name calls use. */
function functionName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  const parent = fn.parent;
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
}
