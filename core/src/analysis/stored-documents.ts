import ts = require('typescript');
import type { Mutation } from './file-facts';
import { localInitializer } from './scope';
import { holdsLoadedData } from './staleness';
import type { Reach } from './request-graph';
import { holdsUsersState, namesUsers } from './state-use';
import { skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Calls that read a stored document back: a file (fs, fs-extra, jsonfile) or a record of a store. */
const LOADS = /^(?:readJson|readJSON|readJsonSync|readJSONSync|readFile|readFileSync|findOne|findFirst|findUnique|findById|load\w*)$/;
/** Calls that save one: a file written whole, or a record of a store. */
const SAVES = /^(?:writeJson|writeJSON|writeJsonSync|writeJSONSync|outputJson|outputJSON|outputJsonSync|outputJSONSync|writeFile|writeFileSync|outputFile|outputFileSync|save\w*|upsert\w*|update\w*|persist\w*|store\w*)$/;

/**
 * `getLayout() { if (!this.layout) this.layout = await readJson(file) }` and
 * `setLayout(layout) { writeJsonSync(file, layout); this.layout = layout }`: a single value that
 * requests replace only with what the same function saves to a file or store, and that some write
 * in its file loads from one. It is this process's copy of a stored document: the save route writes
 * the document for every instance, and only the instance that served it replaces its copy. A value
 * a request sets without loading it anywhere (`lastUser = req.user`) stays as it is classified.
 * `requestWrites` are the writes on request paths; `allWrites` every write of the state in its file.
 */
export function mirrorsStoredDocument(requestWrites: readonly Mutation[], allWrites: readonly Mutation[]): boolean {
  const assigned = (mutation: Mutation): ts.Expression | undefined => {
    const node = mutation.node;
    return ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken ? skipOuterExpressions(node.right) : undefined;
  };
  let saved = false;
  for (const mutation of requestWrites) {
    const value = assigned(mutation);
    if (value === undefined) return false;
    if (isNothing(value) || isLoadedDocument(value)) continue;
    if (!mutation.function || !isSavedInFunction(value, mutation.function)) return false;
    saved = true;
  }
  return saved && allWrites.some((mutation) => {
    const value = assigned(mutation);
    return value !== undefined && isLoadedDocument(value);
  });
}

/**
 * `preload() { for (const site of await db.site.findMany()) this.byHost[site.host] = { id: site.id } }`,
 * run as the holder is made, and `remember(host, entry) { this.byHost[host] = entry }` from the route
 * that saved the row: a keyed state that a write outside every request fills with records a store
 * load returned. What the routes add to it are more of those records, so it is this process's copy
 * of stored rows, patched only where they were saved (a cache), not data requests keep here. A state
 * of users' own entries (named for users, keyed by their ids) stays as it is classified.
 * `requestWrites` are the writes on request paths; `allWrites` every write of the state in its file.
 */
export function isPreloadedCopyOfRecords(name: string, requestWrites: readonly { mutation: Mutation; reaches: readonly Reach[] }[], allWrites: readonly Mutation[]): boolean {
  const onRequestPaths = new Set(requestWrites.map((write) => write.mutation));
  if (holdsUsersState(name, requestWrites)) return false;
  return allWrites.some((mutation) => !onRequestPaths.has(mutation) && holdsLoadedData(mutation, undefined));
}

/**
 * `constructor() { this.apply(readJsonSync(path)) }`, `apply(settings) { this.settings = settings; … }`,
 * and a save route that writes the file and hands the setter what it wrote (`writeJsonSync(path,
 * config); service.apply(JSON.parse(JSON.stringify(config)))`): the single value is replaced whole
 * only by a setter's parameter, which something outside requests hands a loaded document and every
 * request path hands what its caller saved (or a copy of it). It is this process's copy of a stored
 * document, as in `mirrorsStoredDocument`, with the load and the save one call away. The setter may
 * fill in defaults of the value it keeps (`this.settings.theme ??= …`).
 */
export function mirrorsStoredDocumentThroughSetter(requestWrites: readonly { mutation: Mutation; reaches: readonly Reach[] }[]): boolean {
  const replacements = requestWrites.filter(({ mutation }) => mutation.isReassignment);
  if (replacements.length === 0) return false;
  const setters = new Set(replacements.map(({ mutation }) => mutation.function));
  if (requestWrites.some(({ mutation }) => !setters.has(mutation.function))) return false;
  return replacements.every(({ mutation, reaches }) => {
    const fn = mutation.function;
    const value = ts.isBinaryExpression(mutation.node) && mutation.node.operatorToken.kind === SyntaxKind.EqualsToken ? skipOuterExpressions(mutation.node.right) : undefined;
    if (!fn || !value || !ts.isIdentifier(value) || !ts.isFunctionLike(fn)) return false;
    const index = fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === value.text);
    const name = fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name)) ? fn.name.text : undefined;
    if (index < 0 || name === undefined || reaches.length === 0) return false;
    return reaches.every((reach) => handsSavedDocument(reach.calls[reach.calls.length - 1], index)) && isHandedLoadedDocument(fn.getSourceFile(), name, index);
  });
}

/** The call hands, at `index`, a local its function saves, or a copy of one (`JSON.parse(JSON.stringify(saved))`, `structuredClone(saved)`, `{ ...saved }`). */
function handsSavedDocument(call: ts.Node | undefined, index: number): boolean {
  if (!call || !ts.isCallExpression(call)) return false;
  const argument = call.arguments[index] && skipOuterExpressions(call.arguments[index]);
  let caller: ts.Node | undefined = call.parent;
  while (caller && !ts.isFunctionLike(caller)) caller = caller.parent;
  if (!argument || !caller) return false;
  if (ts.isIdentifier(argument) && isSavedInFunction(argument, caller)) return true;
  const copied = copiedLocal(ts.isIdentifier(argument) ? localInitializer(argument) : argument);
  return copied !== undefined && isSavedInFunction(copied, caller);
}

function copiedLocal(initializer: ts.Expression | undefined): ts.Identifier | undefined {
  if (!initializer) return undefined;
  const value = skipOuterExpressions(initializer);
  if (ts.isObjectLiteralExpression(value) && value.properties.length === 1 && ts.isSpreadAssignment(value.properties[0])) {
    const spread = skipOuterExpressions(value.properties[0].expression);
    return ts.isIdentifier(spread) ? spread : undefined;
  }
  if (!ts.isCallExpression(value) || !value.arguments[0]) return undefined;
  const name = calledName(value);
  const argument = skipOuterExpressions(value.arguments[0]);
  if (name === 'parse' && ts.isCallExpression(argument) && argument.expression.getText() === 'JSON.stringify' && argument.arguments[0]) return copiedLocal(argument) ?? (ts.isIdentifier(skipOuterExpressions(argument.arguments[0])) ? (skipOuterExpressions(argument.arguments[0]) as ts.Identifier) : undefined);
  if ((name === 'structuredClone' || name === 'cloneDeep') && ts.isIdentifier(argument)) return argument;
  return undefined;
}

/** Some call of the setter in its file (`this.apply(settings)`, `apply(settings)`) hands it a loaded document at `index`. */
function isHandedLoadedDocument(file: ts.SourceFile, name: string, index: number): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && calledName(node) === name && node.arguments[index] && isLoadedDocument(node.arguments[index])) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** `null`, `undefined`: a reset, which the next read refills. */
function isNothing(value: ts.Expression): boolean {
  return value.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined');
}

/** `await readJson(file)`, `JSON.parse(readFileSync(file, 'utf8'))`, or a local holding one. */
function isLoadedDocument(value: ts.Expression, depth = 0): boolean {
  let current = skipOuterExpressions(value);
  if (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
  if (ts.isIdentifier(current)) {
    const initializer = depth < 2 ? localInitializer(current) : undefined;
    return initializer !== undefined && isLoadedDocument(initializer, depth + 1);
  }
  if (!ts.isCallExpression(current)) return false;
  const name = calledName(current);
  if (name === 'parse' && current.arguments[0]) return isLoadedDocument(current.arguments[0], depth + 1);
  return name !== undefined && LOADS.test(name);
}

/** The value (a local or a parameter) is handed to a save in the function that assigns it. */
function isSavedInFunction(value: ts.Expression, fn: ts.Node): boolean {
  if (!ts.isIdentifier(value)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isCallExpression(node)) {
      const name = calledName(node);
      if (name !== undefined && SAVES.test(name) && node.arguments.some((argument) => isWhole(argument, value.text))) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** `layout`, `JSON.stringify(layout, null, 2)`: the whole value, not a part of it. */
function isWhole(argument: ts.Expression, name: string): boolean {
  const passed = skipOuterExpressions(argument);
  if (ts.isIdentifier(passed)) return passed.text === name;
  return ts.isCallExpression(passed) && passed.expression.getText() === 'JSON.stringify' && passed.arguments[0] !== undefined && isWhole(passed.arguments[0], name);
}

function calledName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/**
 * `addProvider(p) { this.config.providers.push(p); this.saveConfig(); }` with
 * `saveConfig() { writeFileSync(file, JSON.stringify(this.config)) }` and, elsewhere,
 * `this.config = JSON.parse(readFileSync(file))`: a state loaded from a file or store, that requests
 * change in place, each changing function then saving the whole state back (itself, or through a
 * method of its class it calls). It is this process's copy of a stored document (a settings file),
 * written through on the instance that served the change: the others keep the copy they loaded (a
 * cache), not data requests keep here. A state named for users or written under their keys stays as
 * it is classified.
 */
export function isWrittenThroughCopy(name: string, requestWrites: readonly { mutation: Mutation; reaches: readonly Reach[] }[], allWrites: readonly Mutation[]): boolean {
  // Records a request adds with a fresh id (`{ id: randomUUID(), … }` pushed) are the file's entries, not users' sessions.
  if (requestWrites.length === 0 || namesUsers(name, requestWrites, setsManyMembers(requestWrites.map((write) => write.mutation)))) return false;
  const loaded = allWrites.some((mutation) => {
    const node = mutation.node;
    return ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && isLoadedDocument(node.right);
  });
  return loaded && requestWrites.every(({ mutation }) => mutation.function !== undefined && savesWhole(mutation.function, name, 0));
}

/**
 * `systemConfig.httpPort = body.httpPort; saveSystemConfig(systemConfig)` in a route, with
 * `let systemConfig = null` and `systemConfig = Storage.load('SystemConfig', …)` in its module: a
 * field of a module variable that holds a document loaded from a file or store, changed in place by a
 * function that then saves the whole variable back. The variable is this process's copy of that
 * document, and the write is a write to it (as a field of a singleton's document is); a variable
 * never loaded from storage, or a change not saved whole, says nothing of the kind.
 */
export function isFieldOfWrittenThroughCopy(name: string, mutation: Mutation, wholeWrites: readonly Mutation[]): boolean {
  if (mutation.isReassignment || mutation.function === undefined) return false;
  const loaded = wholeWrites.some((write) => {
    const node = write.node;
    return ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && isLoadedDocument(node.right);
  });
  return loaded && savesWhole(mutation.function, name, 0);
}

/** Some function sets three or more members of the state one after another (a settings form saved whole): its members name settings, not what a user keeps. */
function setsManyMembers(mutations: readonly Mutation[]): boolean {
  const membersByFunction = new Map<ts.Node, Set<string>>();
  for (const mutation of mutations) {
    if (mutation.function === undefined || mutation.isReassignment || !ts.isBinaryExpression(mutation.node)) continue;
    const left = skipOuterExpressions(mutation.node.left);
    if (!ts.isPropertyAccessExpression(left)) continue;
    const members = membersByFunction.get(mutation.function) ?? new Set<string>();
    members.add(left.name.text);
    membersByFunction.set(mutation.function, members);
  }
  return [...membersByFunction.values()].some((members) => members.size >= 3);
}

/** The function hands the whole state (`this.config`, `config`, `JSON.stringify(this.config)`) to a save, itself or through a method of its class it calls (`this.saveConfig()`). */
function savesWhole(fn: ts.Node, name: string, depth: number): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isCallExpression(node)) {
      const called = calledName(node);
      if (called !== undefined && SAVES.test(called) && node.arguments.some((argument) => isWholeState(argument, name))) found = true;
      const method = depth < 2 ? ownMethodOf(node.expression) : undefined;
      if (!found && method?.body && savesWhole(method, name, depth + 1)) found = true;
      if (found) return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** `config`, `this.config`, `JSON.stringify(this.config, null, 2)`. */
function isWholeState(argument: ts.Expression, name: string): boolean {
  const passed = skipOuterExpressions(argument);
  if (ts.isIdentifier(passed)) return passed.text === name;
  if (ts.isPropertyAccessExpression(passed)) return passed.name.text === name && skipOuterExpressions(passed.expression).kind === SyntaxKind.ThisKeyword;
  return ts.isCallExpression(passed) && passed.expression.getText() === 'JSON.stringify' && passed.arguments[0] !== undefined && isWholeState(passed.arguments[0], name);
}

/** The method of the enclosing class a `this.name(…)` call names. */
function ownMethodOf(callee: ts.Expression): ts.MethodDeclaration | undefined {
  const target = skipOuterExpressions(callee);
  if (!ts.isPropertyAccessExpression(target) || skipOuterExpressions(target.expression).kind !== SyntaxKind.ThisKeyword) return undefined;
  const owner = ts.findAncestor(target, ts.isClassLike);
  return owner?.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.name.getText() === target.name.text);
}
