import ts = require('typescript');
import type { Finding, RemovedStatement, TextEdit } from '../types';
import { getFileFacts, type CallLike } from '../analysis/file-facts';
import { resolveImportedMember } from '../analysis/imports';
import { optionsObject } from '../analysis/options';
import { insertFirstProperty } from '../analysis/store-fixes';
import { globalSingletonValue, isWriteTarget, skipOuterExpressions } from '../analysis/text';
import type { FixContext } from './context';
import { projectLanguage } from './language';
import { parseVersion, usedPackageVersion } from './installed-packages';
import { endOfImports, importEdit, importLeftUnused, importSwap, moduleSpecifier, useAdapter } from './module-edits';
import { referencesOf } from './references';
import { unsafePart } from './lock-cache-fixes';
import { isImportOrExportName, type PlanResult } from './state-fixes';

/** EventEmitter methods the pub/sub adapter has with the same meaning (all but `emit` unchanged). */
const SAME_SHAPE = new Set(['on', 'addListener', 'once', 'off', 'removeListener', 'removeAllListeners', 'listenerCount', 'setMaxListeners']);
const EMITTER_MODULES = new Set(['events', 'eventemitter2', 'eventemitter3']);

/**
 * Gives a socket.io server the Redis adapter: `adapter: redisAdapter()` as the first option (or a
 * new options argument), the import of the generated `socket-io.ts` adapter, and its dependencies.
 * Nothing else changes: `io.emit`, rooms and handlers stay as they are.
 */
export function socketIoAdapterPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  const facts = getFileFacts(sourceFile);
  const creation = madeServer(facts.calls.find(({ node }) => node.getStart(sourceFile) === finding.start)?.node);
  if (!creation && finding.data.server?.startsWith('@WebSocketGateway')) return nestGatewayAdapterPlan(context);
  // `express().http().io()` (express.oi), a server a library makes: no options the fix can give it.
  if (!creation) return { refused: `\`${finding.data.server}\` makes the socket.io server, and takes no options the fix can give it; give that server the Redis adapter where it is made (\`io.adapter(createAdapter(pubClient, subClient))\` from @socket.io/redis-adapter)` };
  const line = adapterLine(sourceFile.fileName);
  if ('refused' in line) return line;
  const clash = clashingName(facts, 'redisAdapter', line.adapter.replace(/\.ts$/, ''));
  if (clash) return { refused: clash };
  const use = useAdapter(line.adapter, context.projectRoot, context.adapterDir, context.exists);
  const fileName = sourceFile.fileName;
  const property = 'adapter: redisAdapter()';
  const args = creation.arguments;
  if (!args) return { refused: `\`${creation.getText(sourceFile)}\` has no argument list to give the adapter to` };
  const edits: TextEdit[] = [];
  const first = args[0] && skipOuterExpressions(args[0]);
  const options = first && ts.isObjectLiteralExpression(first) ? first : args.length > 1 ? optionsObject(args[1], facts) : undefined;
  if (options === 'unknown') return { refused: 'the server options are not visible here' };
  const existing = typeof options === 'object' ? options.properties.find((candidate) => candidate.name !== undefined && ts.isIdentifier(candidate.name) && candidate.name.text === 'adapter') : undefined;
  // `adapter: undefined` gets a value; a second `adapter` key would be a type error, and the last one wins.
  if (existing && ts.isPropertyAssignment(existing)) edits.push({ fileName, start: existing.initializer.getStart(sourceFile), end: existing.initializer.getEnd(), newText: 'redisAdapter()' });
  else if (existing) return { refused: `\`${existing.getText(sourceFile)}\` already names the adapter option` };
  else if (options) edits.push(insertFirstProperty(options, property, sourceFile));
  else if (args.length === 0) edits.push({ fileName, start: args.pos, end: args.end, newText: `{ ${property} }` });
  else edits.push({ fileName, start: args[args.length - 1].getEnd(), end: args[args.length - 1].getEnd(), newText: `, { ${property} }` });
  const importLine = importEdit(sourceFile, ['redisAdapter'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  return { plan: { messageId: line.messageId, data: {}, edits, createFiles: use.createFiles, dependencies: use.dependencies } };
}

/**
 * `require('socket.io')({ … }).listen(server, { … })`, `new Server().attach(httpServer, { … })`: the
 * call that makes the server, which is the one that reads the `adapter` option (`listen` and `attach`
 * hand theirs to engine.io, which ignores it). Both calls start where the finding does.
 */
function madeServer(call: CallLike | undefined): CallLike | undefined {
  let found = call;
  while (found && ts.isCallExpression(found) && ts.isPropertyAccessExpression(found.expression) && ['listen', 'attach'].includes(found.expression.name.text)) {
    const receiver = skipOuterExpressions(found.expression.expression);
    // `require('socket.io').listen(server)`: the module itself, not a server it made.
    if (!(ts.isCallExpression(receiver) || ts.isNewExpression(receiver)) || (ts.isIdentifier(receiver.expression) && receiver.expression.text === 'require')) break;
    found = receiver;
  }
  return found;
}

/**
 * The Redis adapter of the socket.io line the project uses (installed, or the lowest it declares):
 * @socket.io/redis-adapter for socket.io 4 (and when the project does not say); socket.io-redis 5 for
 * socket.io 2, whose rooms are socket.io-adapter 1.x's, in JavaScript (socket.io-redis ships no types,
 * so a TypeScript file is left to the user). socket.io 3 (socket.io-adapter 2.0) and a TypeScript file
 * on socket.io 2 are refused, with what to do instead: an adapter of another line fails to broadcast.
 */
function adapterLine(fileName: string): { adapter: string; messageId: string } | { refused: string } {
  const version = usedPackageVersion(fileName, 'socket.io');
  const major = version === undefined ? undefined : parseVersion(version)?.[0];
  if (major === undefined || major >= 4) return { adapter: 'socket-io.ts', messageId: 'socketIoAddRedisAdapter' };
  if (major === 2 && /\.[cm]?jsx?$/.test(fileName)) return { adapter: 'socket-io-v2.ts', messageId: 'socketIoAddLegacyRedisAdapter' };
  return {
    refused: `socket.io ${version} predates the Redis adapter the fix installs (@socket.io/redis-adapter, for socket.io 4.3.1 and later): upgrade socket.io to 4 (and its client, which a socket.io 4 server needs at 3 or later), or give this server the Redis adapter of its own line by hand (socket.io-redis ${major <= 2 ? '5' : '6.0'}: \`io.adapter(redisAdapter({ pubClient, subClient }))\`)`,
  };
}

const NEST_ADAPTER_STEPS = 'extend IoAdapter from @nestjs/platform-socket.io, call `server.adapter(redisAdapter())` in its createIOServer, and install it with `app.useWebSocketAdapter(…)` in main.ts';
const NEST_GATEWAY_BY_HAND = `a NestJS gateway gets its adapter where the app starts: ${NEST_ADAPTER_STEPS}`;

/**
 * A NestJS gateway's socket.io server is made by the app's WebSocket adapter, so the adapter is
 * where Redis goes: the file that starts the app (`const app = await NestFactory.create(AppModule)`,
 * the one such call in the program, in TypeScript) gets a `RedisIoAdapter` extending IoAdapter whose
 * `createIOServer` gives each server `redisAdapter()`, installed right after the app is created
 * (`app.useWebSocketAdapter(new RedisIoAdapter(app))`). Every gateway's rooms then reach the clients
 * of every instance. Refused, with what to do by hand, when the app installs an adapter of its own,
 * @nestjs/platform-socket.io is not the project's, or the start is not that one statement.
 */
function nestGatewayAdapterPlan(context: FixContext): PlanResult {
  const files = context.program.getSourceFiles().filter((file) => !file.isDeclarationFile && !file.fileName.includes('/node_modules/'));
  const starts: ts.CallExpression[] = [];
  for (const file of files) {
    if (file.text.includes('useWebSocketAdapter(')) return { refused: `${context.displayPath(file.fileName)} installs a WebSocket adapter of its own: ${NEST_ADAPTER_STEPS}` };
    if (!file.text.includes('NestFactory')) continue;
    const fileFacts = getFileFacts(file);
    for (const { node } of fileFacts.calls) {
      const member = ts.isCallExpression(node) ? resolveImportedMember(node.expression, fileFacts.imports) : undefined;
      if (member?.module === '@nestjs/core' && member.path.join('.') === 'NestFactory.create') starts.push(node as ts.CallExpression);
    }
  }
  const start = starts.length === 1 ? starts[0] : undefined;
  const awaited = start && ts.isAwaitExpression(start.parent) ? start.parent : undefined;
  const declaration = awaited && ts.isVariableDeclaration(awaited.parent) && awaited.parent.initializer === awaited ? awaited.parent : undefined;
  const statement = declaration?.parent.parent;
  if (!start || !declaration || !ts.isIdentifier(declaration.name) || !statement || !ts.isVariableStatement(statement) || !ts.isBlock(statement.parent)) return { refused: NEST_GATEWAY_BY_HAND };
  const file = start.getSourceFile();
  if (!/\.[cm]?tsx?$/.test(file.fileName) || usedPackageVersion(file.fileName, '@nestjs/platform-socket.io') === undefined) return { refused: NEST_GATEWAY_BY_HAND };
  const fileFacts = getFileFacts(file);
  for (const name of ['RedisIoAdapter', 'IoAdapter', 'ServerOptions']) {
    const imported = fileFacts.imports.get(name);
    if (fileFacts.topLevel.has(name) || (imported && imported.module !== (name === 'ServerOptions' ? 'socket.io' : '@nestjs/platform-socket.io'))) return { refused: `\`${name}\` already names something else in ${context.displayPath(file.fileName)}: ${NEST_GATEWAY_BY_HAND}` };
  }
  const clash = clashingName(fileFacts, 'redisAdapter', 'socket-io');
  if (clash) return { refused: clash };
  const use = useAdapter('socket-io.ts', context.projectRoot, context.adapterDir, context.exists);
  const newline = file.text.includes('\r\n') ? '\r\n' : '\n';
  const app = declaration.name.text;
  const at = endOfImports(file);
  if (at === 0) return { refused: NEST_GATEWAY_BY_HAND };
  const imports = [
    ...(fileFacts.imports.has('IoAdapter') ? [] : ["import { IoAdapter } from '@nestjs/platform-socket.io';"]),
    ...(fileFacts.imports.has('ServerOptions') ? [] : ["import type { ServerOptions } from 'socket.io';"]),
  ];
  const adapterClass = [
    '',
    "/** Gives every gateway's socket.io server the Redis adapter: rooms and broadcasts reach the clients of every instance. */",
    'class RedisIoAdapter extends IoAdapter {',
    '  createIOServer(port: number, options?: ServerOptions) {',
    '    const server = super.createIOServer(port, options);',
    '    server.adapter(redisAdapter());',
    '    return server;',
    '  }',
    '}',
  ];
  const lineStart = file.text.lastIndexOf('\n', statement.getStart(file) - 1) + 1;
  const indentation = /^[ \t]*/.exec(file.text.slice(lineStart))?.[0] ?? '';
  const edits: TextEdit[] = [];
  const importLine = importEdit(file, ['redisAdapter'], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
  edits.push({ fileName: file.fileName, start: at, end: at, newText: `${imports.map((line) => `${newline}${line}`).join('')}${importLine ? importLine.newText : ''}${newline}${adapterClass.join(newline)}` });
  edits.push({ fileName: file.fileName, start: statement.getEnd(), end: statement.getEnd(), newText: `${newline}${indentation}${app}.useWebSocketAdapter(new RedisIoAdapter(${app}));` });
  return { plan: { messageId: 'socketIoAddRedisAdapter', data: {}, edits, createFiles: use.createFiles, dependencies: use.dependencies } };
}

/** `new Bus()` where the module declares `class Bus extends EventEmitter { … }`: the class's name and the names of its own members. */
function emitterSubclass(creation: ts.NewExpression, facts: ReturnType<typeof getFileFacts>): { name: string; members: string[] } | undefined {
  const callee = skipOuterExpressions(creation.expression);
  const declaration = ts.isIdentifier(callee) ? facts.topLevel.get(callee.text) : undefined;
  if (!declaration || !ts.isClassDeclaration(declaration) || !declaration.name) return undefined;
  const base = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  const member = base && resolveImportedMember(base.expression, facts.imports);
  if (!member || !EMITTER_MODULES.has(member.module)) return undefined;
  return { name: declaration.name.text, members: declaration.members.flatMap((each) => (each.name && !ts.isConstructorDeclaration(each) ? [each.name.getText()] : [])) };
}

/**
 * Moves a module-level EventEmitter to the Redis pub/sub adapter, which has the same
 * `on`/`once`/`off`/`emit` shape: the declaration becomes `createPubSub('name')` and each `emit`
 * is awaited (it now publishes, and resolves once Redis has the message), the functions around it
 * becoming async up through their callers. Refused when a use has no counterpart: more than one
 * payload, a payload that cannot travel as JSON, the result of `emit` used, any other member.
 */
export function pubSubPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  const facts = getFileFacts(sourceFile);
  const name = finding.data.name;
  const declaration = facts.topLevel.get(name);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || declaration.name.getStart(sourceFile) !== finding.start || !declaration.initializer) {
    return { refused: `only a module-level emitter can move to the adapter, and \`${name}\` is a class field` };
  }
  // `globalForEvents.bus ?? (globalForEvents.bus = new EventEmitter())` (kept across dev reloads) is replaced whole: Redis outlives a reload.
  const initializer = globalSingletonValue(declaration.initializer);
  const member = ts.isNewExpression(initializer) ? resolveImportedMember(initializer.expression, facts.imports) : undefined;
  if (!ts.isNewExpression(initializer) || !member || !EMITTER_MODULES.has(member.module)) {
    const subclass = ts.isNewExpression(initializer) ? emitterSubclass(initializer, facts) : undefined;
    if (subclass) {
      return { refused: `\`${name}\` is a \`${subclass.name}\`, a subclass of EventEmitter${subclass.members.length > 0 ? ` with members of its own (${subclass.members.map((member) => `\`${member}\``).join(', ')})` : ''}, and the adapter is only an emitter: publish its values through the pub/sub adapter by hand` };
    }
    return { refused: `\`${name}\` is not an EventEmitter (an RxJS Subject or a subclass): publish its values through the pub/sub adapter by hand` };
  }
  if ((initializer.arguments?.length ?? 0) > 0) return { refused: `\`${name}\` is created with options the adapter does not take (${initializer.arguments!.map((a) => a.getText(sourceFile)).join(', ')})` };
  const clash = clashingName(facts, 'createPubSub', 'pubsub');
  if (clash) return { refused: clash };
  const checker = context.program.getTypeChecker();
  const rewriter = context.rewriter();
  for (const reference of referencesOf(context.program, declaration.name)) {
    const parent = reference.parent;
    if (isImportOrExportName(reference)) continue;
    const call = ts.isPropertyAccessExpression(parent) && parent.expression === reference && ts.isCallExpression(parent.parent) && parent.parent.expression === parent ? parent.parent : undefined;
    const method = call && (parent as ts.PropertyAccessExpression).name.text;
    if (!call || !method || (!SAME_SHAPE.has(method) && method !== 'emit')) {
      return { refused: `\`${parent.getText()}\` (${context.where(reference)}) has no counterpart in the Redis pub/sub adapter` };
    }
    if (method !== 'emit') continue;
    if (call.arguments.length > 2) return { refused: `\`${call.getText()}\` (${context.where(call)}) sends more than one value; the adapter sends one payload` };
    const payload = call.arguments[1];
    if (payload && !travelsAsJson(checker, payload)) return { refused: `the payload of \`${call.getText()}\` (${context.where(call)}) is a function or a Map/Set, which does not travel as JSON` };
    if (!ts.isExpressionStatement(call.parent) && !ts.isAwaitExpression(call.parent)) return { refused: `\`${call.getText()}\` (${context.where(call)}) uses what emit returns, which the adapter answers differently` };
    rewriter.awaitExpression(call);
  }
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('pubsub.ts', context.projectRoot, context.adapterDir, context.exists);
  const edits: TextEdit[] = [{ fileName: sourceFile.fileName, start: declaration.initializer.getStart(sourceFile), end: declaration.initializer.getEnd(), newText: `createPubSub('${name}')` }];
  if (declaration.type) edits.push({ fileName: sourceFile.fileName, start: declaration.name.getEnd(), end: declaration.type.getEnd(), newText: '' });
  const callee = skipOuterExpressions(initializer.expression);
  const unusedImport = ts.isIdentifier(callee) ? importLeftUnused(sourceFile, callee, declaration.type ? [declaration.type] : []) : undefined;
  const importLine = importEdit(sourceFile, ['createPubSub'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  edits.push(...importSwap(sourceFile, unusedImport, importLine));
  edits.push(...rewriter.result());
  const removedStatements: RemovedStatement[] = unusedImport
    ? [{ fileName: sourceFile.fileName, start: unusedImport.getStart(sourceFile), end: unusedImport.getEnd(), reason: `it imported only what \`${name}\` was made of, a Redis channel now` }]
    : [];
  return { plan: { messageId: 'emitterMoveToRedisPubSub', data: { name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies, ...(removedStatements.length > 0 ? { removedStatements } : {}) } };
}

/** A top-level name the fix would import that the file already uses for something else. */
function clashingName(facts: ReturnType<typeof getFileFacts>, name: string, adapter: string): string | undefined {
  const imported = facts.imports.get(name);
  if (imported) return imported.module.endsWith(adapter) ? undefined : `\`${name}\` already names something else in this file`;
  return facts.topLevel.has(name) ? `\`${name}\` already names something else in this file` : undefined;
}

function travelsAsJson(checker: ts.TypeChecker, payload: ts.Expression): boolean {
  try {
    const type = checker.getTypeAtLocation(payload);
    if (type.getCallSignatures().length > 0) return false;
    const symbolName = type.getSymbol()?.getName();
    return symbolName !== 'Map' && symbolName !== 'Set' && symbolName !== 'WeakMap' && symbolName !== 'WeakSet';
  } catch {
    return false;
  }
}

/** The engine every instance shares that stands in for an in-memory GraphQL subscription engine, by the package the in-memory one comes from. */
function sharedGraphqlEngine(module: string): string {
  if (module === 'mercurius') return "Mercurius' `subscription: { emitter }` option given mqemitter-redis";
  if (module.includes('yoga')) return '`createPubSub({ eventTarget })` given `createRedisEventTarget({ publishClient, subscribeClient })` from @graphql-yoga/redis-event-target';
  return "graphql-redis-subscriptions' `RedisPubSub` (a publisher and a subscriber Redis connection), whose `publish` and `asyncIterator` keep their shape";
}

/**
 * An in-memory GraphQL subscription engine (graphql-subscriptions' `PubSub`, Yoga's `createPubSub()`,
 * Mercurius' default emitter) is swapped where it is made, by hand: what is published then reaches
 * the subscribers as JSON, and only the resolvers that read the payloads can tell whether that
 * changes them (a `Date` arrives as a string, a class instance as a plain object).
 */
export function graphqlPubSubRefusal(finding: Finding): PlanResult {
  return {
    refused: `the subscriptions' engine is chosen where \`${finding.data.engine}\` is made: give it one every instance shares, ${sharedGraphqlEngine(finding.data.module)}; what is published then travels between instances as JSON, so check what the subscription resolvers read from each payload first (a \`Date\` arrives as a string, a class instance as a plain object)`,
  };
}

/** What a broadcast to this instance's own clients takes, said when the fix cannot do it. */
export const BROADCAST_THROUGH_REDIS =
  "every instance must hear the broadcast: publish it to a Redis channel on the request path, and send to this instance's own clients in a subscription started at start-up (the loop moves into the subscriber)";

/**
 * A broadcast over this instance's connections written as a module function (`export function
 * broadcast(type, payload) { … wss.clients.forEach((client) => client.send(message)) }`): the
 * function now publishes its arguments to a Redis channel, and its body, unchanged, becomes the
 * channel's listener, registered when the module loads, so every instance sends to its own clients.
 * Refused where the function is not a module function whose callers only call it, or its body
 * returns a value or uses `this`.
 */
export function broadcastPlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  // `wss.clients` is where the finding is; a list of clients is reported at its declaration, with each loop that sends to it beside it.
  const spans = finding.messageId === 'clientListInMemory' ? finding.related.filter((related) => related.fileName === sourceFile.fileName && related.message.startsWith('sends to the clients')) : [finding];
  const functions = new Set<ts.Node | undefined>();
  for (const span of spans) {
    let loop: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
      if (!loop && node.getStart(sourceFile) === span.start && node.end >= span.end) loop = node;
      if (!loop) ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    let enclosing: ts.Node | undefined = loop;
    while (enclosing && !ts.isFunctionLike(enclosing)) enclosing = enclosing.parent;
    functions.add(enclosing);
  }
  const refuse = (why: string): PlanResult => ({ refused: `${BROADCAST_THROUGH_REDIS}; ${why}` });
  const [fn] = functions;
  // One loop written in a handler: the loop itself moves into the listener, the values it uses travel.
  if (functions.size === 1 && spans.length === 1 && fn && !(ts.isFunctionDeclaration(fn) && ts.isSourceFile(fn.parent))) {
    const loop = loopStatementAt(sourceFile, spans[0].start, fn);
    if (loop) return inlineBroadcastPlan(sourceFile, loop, fn as ts.FunctionLikeDeclaration, context, refuse);
  }
  if (functions.size !== 1 || !fn || !ts.isFunctionDeclaration(fn) || !fn.name || !fn.body || !ts.isSourceFile(fn.parent)) return refuse('the fix moves a broadcast written as one module function declaration, and the loops that send are not in one');
  const body = fn.body;
  const name = fn.name.text;
  if (!/\.[cm]?tsx?$/.test(sourceFile.fileName) && projectLanguage(context.program, context.projectRoot).typescript) return { refused: 'the generated adapter modules are TypeScript and this file is JavaScript' };
  const parameters = fn.parameters;
  if (parameters.some((parameter) => !ts.isIdentifier(parameter.name) || parameter.dotDotDotToken || parameter.initializer)) return refuse(`\`${name}\`'s parameters are not plain names the channel can carry`);
  let problem: string | undefined;
  const check = (node: ts.Node): void => {
    if (problem) return;
    if (node.kind === ts.SyntaxKind.ThisKeyword) problem = `\`${name}\` uses \`this\``;
    if (ts.isReturnStatement(node) && node.expression) problem = `\`${name}\` returns a value (${context.where(node)}), which a listener cannot hand back`;
    if (ts.isFunctionLike(node) && !ts.isArrowFunction(node)) return;
    ts.forEachChild(node, check);
  };
  ts.forEachChild(body, check);
  if (problem) return refuse(problem);
  const checker = context.program.getTypeChecker();
  const typed = /\.[cm]?tsx?$/.test(sourceFile.fileName);
  for (const parameter of parameters) {
    const unsafe = typed ? unsafePart(checker, checker.getTypeAtLocation(parameter.name), 0) : undefined;
    if (unsafe) return refuse(`\`${parameter.name.getText()}\` holds ${unsafe}, which would reach the other instances as JSON, changed`);
  }
  // Every use of the function calls it: a function passed on as a value keeps its old contract.
  for (const reference of referencesOf(context.program, fn.name)) {
    if (reference === fn.name || isImportOrExportName(reference)) continue;
    // `publish(…)`, or `events.publish(…)` through the module's namespace (`const events = require('./events')`).
    const callee = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    const call = callee.parent;
    if (!ts.isCallExpression(call) || call.expression !== callee) return refuse(`\`${reference.parent.getText()}\` (${context.where(reference)}) uses \`${name}\` other than by calling it`);
  }
  const facts = getFileFacts(sourceFile);
  const clash = clashingName(facts, 'createPubSub', 'pubsub');
  if (clash) return refuse(clash);
  const channel = `${name}Channel`;
  if (facts.topLevel.has(channel)) return refuse(`\`${channel}\` already names something else in this file`);
  const rewriter = context.rewriter();
  rewriter.requireAsync(body.statements[0] ?? body);
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('pubsub.ts', context.projectRoot, context.adapterDir, context.exists);
  const fileName = sourceFile.fileName;
  const names = parameters.map((parameter) => parameter.name.getText());
  const payload = `{ ${names.join(', ')} }`;
  const types = typed ? `: { ${parameters.map((parameter) => `${parameter.name.getText()}${parameter.questionToken ? '?' : ''}: ${parameter.type ? parameter.type.getText() : checker.typeToString(checker.getTypeAtLocation(parameter.name), fn)}`).join('; ')} }` : '';
  const statement: ts.Statement = fn;
  const indent = '  ';
  const edits: TextEdit[] = [
    // After the statement before it (the function keeps its comments, and \`async\` goes where it starts).
    { fileName, start: statement.pos, end: statement.pos, newText: `\n\nconst ${channel} = createPubSub(${context.storeName(name)});` },
    { fileName, start: body.getStart(sourceFile), end: body.getEnd(), newText: `{\n${indent}await ${channel}.emit('${name}', ${payload});\n}` },
    { fileName, start: statement.getEnd(), end: statement.getEnd(), newText: `\n\n// Each instance sends what any instance published to its own clients.\n${channel}.on('${name}', (${payload}${types}) => ${body.getText(sourceFile)});` },
  ];
  const importLine = importEdit(sourceFile, ['createPubSub'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: 'broadcastThroughRedis', data: { name, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies } };
}

/** The statement of `fn` that is the loop at `start` (`for (const c of clients) …`, `clients.forEach(…);`). */
function loopStatementAt(sourceFile: ts.SourceFile, start: number, fn: ts.Node): ts.Statement | undefined {
  let found: ts.Statement | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isExpressionStatement(node)) && node.getStart(sourceFile) <= start && start < node.end) {
      if (ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isCallExpression(skipOuterExpressions(node.expression))) found = node;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(fn);
  return found && ts.isBlock(found.parent) ? found : undefined;
}

/**
 * `app.post('/messages', (req, res) => { const message = {…}; for (const c of clients) c.write(…); res.end(); })`:
 * the loop becomes `await clientsChannel.emit('send', { message })`, and a listener registered after
 * the handler's statement runs the loop, unchanged, with the values it used from the handler.
 */
function inlineBroadcastPlan(sourceFile: ts.SourceFile, loop: ts.Statement, fn: ts.FunctionLikeDeclaration, context: FixContext, refuse: (why: string) => PlanResult): PlanResult {
  const checker = context.program.getTypeChecker();
  const typed = /\.[cm]?tsx?$/.test(sourceFile.fileName);
  if (!typed && projectLanguage(context.program, context.projectRoot).typescript) return { refused: 'the generated adapter modules are TypeScript and this file is JavaScript' };
  // The handler's values the loop reads: they travel with the message.
  const carried = new Map<string, ts.Identifier>();
  let problem: string | undefined;
  const visit = (node: ts.Node): void => {
    if (problem) return;
    if (node.kind === ts.SyntaxKind.ThisKeyword) problem = 'the loop uses `this`';
    if (ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node) || ts.isAwaitExpression(node)) {
      // Inside a callback of its own, a return is the callback's; a break or an await is the loop's own business there too.
      let owner: ts.Node = node.parent;
      while (owner !== loop && !ts.isFunctionLike(owner)) owner = owner.parent;
      if (owner === loop && (ts.isReturnStatement(node) || ts.isAwaitExpression(node))) problem = `the loop ${ts.isReturnStatement(node) ? 'returns from the handler' : 'awaits'} (${context.where(node)})`;
    }
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) {
      const declaration = checker.getSymbolAtLocation(node)?.declarations?.[0];
      const inHandler = declaration !== undefined && declaration.getSourceFile() === sourceFile && fn.pos <= declaration.pos && declaration.end <= fn.end;
      const inLoop = declaration !== undefined && loop.pos <= declaration.pos && declaration.end <= loop.end;
      if (inHandler && !inLoop) {
        if (ts.isParameter(declaration) && declaration.parent === fn) problem = `the loop uses \`${node.text}\`, the handler's own parameter, which cannot travel to the other instances`;
        else if (isWriteTarget(node)) problem = `the loop changes \`${node.text}\` (${context.where(node)}), a value of the handler`;
        else carried.set(node.text, node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(loop);
  if (problem) return refuse(problem);
  for (const value of carried.values()) {
    const unsafe = typed ? unsafePart(checker, checker.getTypeAtLocation(value), 0) : undefined;
    if (unsafe) return refuse(`\`${value.text}\` holds ${unsafe}, which would reach the other instances as JSON, changed`);
    const declaration = checker.getSymbolAtLocation(value)?.declarations?.[0];
    const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
    if (initializer && (ts.isNewExpression(initializer) || ts.isFunctionLike(initializer))) return refuse(`\`${value.text}\` is not plain data, and would reach the other instances as JSON, changed`);
  }
  // After the top-level statement the handler is written in (an `app.post(…)` registration).
  let top: ts.Node = fn;
  while (!ts.isSourceFile(top.parent)) top = top.parent;
  const facts = getFileFacts(sourceFile);
  const clash = clashingName(facts, 'createPubSub', 'pubsub');
  if (clash) return refuse(clash);
  const collection = loopCollectionName(loop) ?? 'broadcast';
  const channel = `${collection}Channel`;
  if (facts.topLevel.has(channel)) return refuse(`\`${channel}\` already names something else in this file`);
  const rewriter = context.rewriter();
  rewriter.requireAsync(loop);
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('pubsub.ts', context.projectRoot, context.adapterDir, context.exists);
  const names = [...carried.keys()];
  const payload = `{ ${names.join(', ')} }`;
  const types = typed && names.length > 0 ? `: { ${[...carried.values()].map((value) => `${value.text}: ${checker.typeToString(checker.getTypeAtLocation(value), loop, ts.TypeFormatFlags.NoTruncation)}`).join('; ')} }` : '';
  const parameter = names.length > 0 ? `(${payload}${types})` : '()';
  const fileName = sourceFile.fileName;
  const loopText = loop.getText(sourceFile);
  const edits: TextEdit[] = [
    { fileName, start: loop.getStart(sourceFile), end: loop.getEnd(), newText: `await ${channel}.emit('send', ${payload});` },
    { fileName, start: top.getEnd(), end: top.getEnd(), newText: `\n\n// Each instance sends what any instance published to its own clients.\nconst ${channel} = createPubSub(${context.storeName(collection)});\n${channel}.on('send', ${parameter} => {\n  ${reindent(loopText, sourceFile, loop)}\n});` },
  ];
  const importLine = importEdit(sourceFile, ['createPubSub'], moduleSpecifier(sourceFile, use.fileName, context.program.getCompilerOptions()));
  if (importLine) edits.push(importLine);
  edits.push(...rewriter.result());
  return { plan: { messageId: 'broadcastThroughRedis', data: { name: collection, adapter: context.displayPath(use.fileName) }, edits, createFiles: use.createFiles, dependencies: use.dependencies } };
}

/** `clients` of `for (const c of clients)`, `clients.forEach(…)`, `wss.clients.forEach(…)`. */
function loopCollectionName(loop: ts.Statement): string | undefined {
  let collection: ts.Expression | undefined;
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) collection = loop.expression;
  else if (ts.isExpressionStatement(loop)) {
    const call = skipOuterExpressions(loop.expression);
    if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) collection = call.expression.expression;
  }
  let current = collection && skipOuterExpressions(collection);
  while (current && ts.isCallExpression(current)) current = ts.isPropertyAccessExpression(current.expression) ? current.expression.expression : undefined;
  if (current && ts.isPropertyAccessExpression(current)) return current.name.text;
  return current && ts.isIdentifier(current) ? current.text : undefined;
}

/** The loop's text moved to the top level: its lines lose the indentation they had in the handler, and get the listener's. */
function reindent(text: string, sourceFile: ts.SourceFile, loop: ts.Statement): string {
  const lineStart = sourceFile.text.lastIndexOf('\n', loop.getStart(sourceFile) - 1) + 1;
  const indentation = sourceFile.text.slice(lineStart, loop.getStart(sourceFile));
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? line : `  ${line.startsWith(indentation) ? line.slice(indentation.length) : line}`))
    .join('\n');
}
