import ts = require('typescript');
import type { Finding, TextEdit } from '../types';
import { isFileUploadMove } from '../analysis/disk-writes';
import { getFileFacts } from '../analysis/file-facts';
import { requiredPath, resolveImportedMember, type ImportBinding, type ImportTable } from '../analysis/imports';
import { short, skipOuterExpressions, stringValue } from '../analysis/text';
import type { FixContext } from './context';
import { FileEdits, fsCallOf, moveFsCall, type FsCall } from './file-calls';
import { fileSetOfFolder, fileSetOfPath, isCodeFolder, outsidePackage, type FileSet } from './file-sets';
import { functionsOfElement, functionsOfLoopVariable } from './function-lists';
import { referencesOf, symbolOf } from './references';
import { useAdapter } from './module-edits';
import type { PlanResult } from './state-fixes';

/**
 * Moves local files to the object-store adapter, with every other use of the same files: a
 * `writeFile(path, data)` becomes `objectStore.putFile(path, data)` (a callback-style call keeps
 * its callback: `callbackify(() => objectStore.putFile(path, data))(callback)`), a write stream
 * piped from the request becomes the adapter's streaming `upload`, multer's `dest`/`diskStorage`
 * become the adapter's `objectStorage(…)` engine; then the reads, deletes and serving of the same
 * files (`res.sendFile`, `readFile`, `unlink`) move too, or the whole fix is refused naming the use
 * that cannot (`express.static`, `createReadStream`, `readdir`, …). Keys are the paths relative to
 * the working directory, so `uploads/<id>` written by one instance is `uploads/<id>` on every other.
 */
export function objectStorePlan(sourceFile: ts.SourceFile, finding: Finding, context: FixContext): PlanResult {
  const node = nodeAt(sourceFile, finding.start, finding.end);
  if (!node) return { refused: 'the write is not where the analysis found it' };
  const checker = context.program.getTypeChecker();
  const rewriter = context.rewriter();
  const edits = new FileEdits(context, rewriter);
  let written: { files: FileSet | undefined; handled: ts.Node } | { refused: string };
  if (finding.messageId === 'diskWrite') {
    // At the callee, or at the output method of a chain (`.screenshots` of `ffmpeg(input).on(…).screenshots(…)`).
    const callee = ts.isIdentifier(node) && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? node.parent : node;
    const call = callee.parent;
    if (!ts.isCallExpression(call) || call.expression !== callee) return { refused: 'the write is not a call' };
    written = moveWrite(call, edits, checker);
  } else if (finding.messageId === 'uploadToDisk') {
    const upload = uploadRewrite(node, checker);
    if (!upload) return { refused: 'only multer `dest` and `diskStorage` and formidable `uploadDir` can move to the object store automatically' };
    edits.edits.push(upload.edit);
    edits.useAdapter(sourceFile, upload.adapter ?? 'objectStorage');
    written = { files: upload.files, handled: node };
  } else if (finding.messageId === 'diskRemove') {
    // A delete on its own: the files are written elsewhere (another handler, a job, an upload parser).
    return { refused: `\`${finding.data.callee ?? node.getText(sourceFile)}\` only deletes: the object-store fix moves a file's write together with its reads and deletes, so it is offered where these files are written; once that write moves, this delete moves with it` };
  } else if (finding.messageId === 'embeddedDatabase') {
    // The store is a database: its tables, queries and transactions move to a server, not to an object store.
    return { refused: `the app's data is in a ${finding.data.library ?? 'database'} file: moving it to a database server every instance shares (PostgreSQL, MySQL) changes the schema and the queries, which no adapter does for you` };
  } else return { refused: 'no object-store fix for this finding' };
  if ('refused' in written) return written;
  if (!written.files) return { refused: 'the path names no folder or path function, so the other uses of the same files cannot be found' };
  // `../frontend/public/img`: another app of the repository (or a web server) reads the files there, out of the fix's sight.
  const outside = outsidePackage(written.files.start, context.projectRoot);
  if (outside) return { refused: `the files go to \`${outside}\`, outside this package: what reads them there (another app of the repository, a web server) is not in this project, so the fix cannot move those reads with the write` };
  if (isCodeFolder(written.files.start)) return { refused: `the files go straight into the folder of the app's own code (${written.files.start?.from === 'module folder' ? '`__dirname`' : 'the working folder'}) under names the code computes: its modules and package.json are there too, and must stay on this disk` };
  const chooser = written.files.chooser;
  if (chooser) {
    const listed = chooser.folders.slice(0, 3).map((folder) => `\`${folder}\``).join(', ');
    return { refused: `\`${chooser.name}(…)\` picks the folder among ${chooser.folders.length} (${listed}${chooser.folders.length > 3 ? ', …' : ''}): the code may name each of them elsewhere (a static route, a delete), which the fix cannot tell from the files it moves` };
  }
  const returned = returnedPathTo(written.handled, written.files, context.program, edits);
  if (typeof returned === 'string') return { refused: returned };
  const refusal = moveOtherUses(context.program, written.files, written.handled, edits, returned);
  if (refusal) return { refused: refusal };
  if (rewriter.refused) return { refused: rewriter.refused };
  const use = useAdapter('object-store.ts', context.projectRoot, context.adapterDir, context.exists);
  return { plan: { messageId: 'diskMoveToObjectStore', data: { adapter: context.displayPath(use.fileName) }, edits: dedupe(edits.result()), createFiles: use.createFiles, dependencies: use.dependencies } };
}

/** The write the finding is at, moved: whole-file writes, write streams from a request, a rename or copy of a file from elsewhere on this disk (an upload's temp file). */
function moveWrite(call: ts.CallExpression, edits: FileEdits, checker: ts.TypeChecker): { files: FileSet | undefined; handled: ts.Node } | { refused: string } {
  if (isFileUploadMove(call, getFileFacts(call.getSourceFile()).imports)) return moveFileUpload(call, edits, checker);
  const fsCall = fsCallOf(call);
  if (!fsCall) return { refused: `\`${short(call)}\` has no one-call counterpart in the object store; write the file with \`objectStore.putFile(path, data)\`` };
  const [path, target] = fsCall.args;
  if (!path) return { refused: 'the write has no path' };
  if (fsCall.base === 'writeFile' || fsCall.base === 'outputFile') {
    const files = fileSetOfPath(path, checker);
    const refusal = moveFsCall(fsCall, files ?? NO_FILES, edits);
    return refusal ? { refused: refusal } : { files, handled: call };
  }
  if (fsCall.base === 'createWriteStream') {
    const stream = streamUpload(call, path, edits);
    return 'refused' in stream ? stream : { files: fileSetOfPath(path, checker), handled: stream.handled };
  }
  if (COPIES_IN.has(fsCall.base) && target) {
    const refusal = uploadFromDisk(fsCall, target, edits);
    return refusal ? { refused: refusal } : { files: fileSetOfPath(target, checker), handled: call };
  }
  return { refused: `\`${short(call)}\` has no one-call counterpart in the object store; write the file with \`objectStore.putFile(path, data)\`` };
}

/**
 * express-fileupload's `photo.mv(path)`: the upload's bytes (`photo.data`, in memory as the parser
 * keeps them by default) put at the path's key, `mv(path, callback)` keeping its callback. With
 * `useTempFiles` the bytes are in a temp file and `data` is empty: refused, naming the option.
 */
function moveFileUpload(call: ts.CallExpression, edits: FileEdits, checker: ts.TypeChecker): { files: FileSet | undefined; handled: ts.Node } | { refused: string } {
  const [path, callback] = call.arguments;
  const receiver = (skipOuterExpressions(call.expression) as ts.PropertyAccessExpression).expression;
  const tempFiles = tempFilesOption(edits.context.program);
  if (tempFiles) return { refused: `express-fileupload keeps the uploads in temp files (\`${short(tempFiles)}\`, ${edits.context.where(tempFiles)}), so \`${receiver.getText()}.data\` is empty: read the temp file (\`tempFilePath\`) into the object store, or drop the option so the bytes stay in memory` };
  if (call.arguments.length > 2) return { refused: `\`${short(call)}\` has more arguments than a path and a callback` };
  const promise = `objectStore.putFile(${path.getText()}, ${receiver.getText()}.data)`;
  edits.useAdapter(call.getSourceFile(), 'objectStore');
  if (callback) edits.callbackStyle(call, callback, promise);
  else edits.awaited(call, promise);
  return { files: fileSetOfPath(path, checker), handled: call };
}

/** `fileUpload({ useTempFiles: true })` anywhere in the program: the option's property (a value other than `false`). */
function tempFilesOption(program: ts.Program): ts.Node | undefined {
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    const facts = getFileFacts(file);
    if (![...facts.imports.values()].some((binding) => binding.module === 'express-fileupload')) continue;
    for (const { node } of facts.calls) {
      if (!ts.isCallExpression(node) || resolveImportedMember(node.expression, facts.imports)?.module !== 'express-fileupload') continue;
      const options = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
      if (!options) continue;
      if (!ts.isObjectLiteralExpression(options)) return options;
      const option = options.properties.find((property) => property.name?.getText() === 'useTempFiles');
      if (option && !(ts.isPropertyAssignment(option) && option.initializer.kind === ts.SyntaxKind.FalseKeyword)) return option;
    }
  }
  return undefined;
}

/** Calls that put a file of this disk at a path (`fs.rename(tmp, target)`, `fs.copyFile`, fs-extra's `move`). */
const COPIES_IN = new Set(['rename', 'copyFile', 'move']);

/**
 * A file of this disk put into the moved files (an upload parsed to a temp file, then renamed or
 * copied into the folder): its content streamed up to the store at the target's key, the temp file
 * removed after a rename or move as the rename did, kept after a copy.
 */
function uploadFromDisk(fsCall: FsCall, target: ts.Expression, edits: FileEdits): string | undefined {
  const { call, base } = fsCall;
  const [path] = fsCall.args;
  const namespace = fsNamespace(call);
  if (!namespace) return `\`${short(call)}\` (${edits.context.where(call)}) is imported by name; call it on the module (\`fs.${base}\`) so the fix can read the file it puts there`;
  edits.useAdapter(call.getSourceFile(), 'objectKey', 'objectStore');
  const upload = `objectStore.upload(objectKey(${target.getText()}), ${namespace}.createReadStream(${path.getText()}))`;
  const promise = base === 'copyFile' ? upload : `${upload}.then(() => ${namespace}.promises.unlink(${path.getText()}))`;
  if (fsCall.style === 'callback' && fsCall.callback) edits.callbackStyle(call, fsCall.callback, promise);
  else edits.awaited(call, promise);
  return undefined;
}

const NO_FILES: FileSet = { matches: () => false, isFolderItself: () => false, containsFolder: () => false };

/** `fs` of `fs.rename(…)` / `fs.promises.rename(…)` / `fs.renameSync(…)`. */
function fsNamespace(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const owner = skipOuterExpressions(callee.expression);
  if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'promises') return owner.expression.getText();
  return ts.isIdentifier(owner) ? owner.text : undefined;
}

/**
 * A write stream the request is piped into: `pipeline(req, fs.createWriteStream(p), cb)`, `await
 * pipeline(req, fs.createWriteStream(p))`, `req.pipe(fs.createWriteStream(p))` with its
 * `.on('finish'|'close', done)` and `.on('error', fail)` → the adapter's streaming upload.
 */
function streamUpload(create: ts.CallExpression, path: ts.Expression, edits: FileEdits): { handled: ts.Node } | { refused: string } {
  const file = create.getSourceFile();
  const upload = (source: ts.Expression): string => `objectStore.upload(objectKey(${path.getText()}), ${source.getText()})`;
  const parent = create.parent;
  if (ts.isCallExpression(parent) && parent.arguments.length >= 2 && parent.arguments[1] === create) {
    const member = resolveImportedMember(parent.expression, getFileFacts(file).imports);
    const isPipeline = member?.module === 'stream' && member.path[member.path.length - 1] === 'pipeline';
    if (isPipeline && parent.arguments.length <= 3) {
      edits.useAdapter(file, 'objectKey', 'objectStore');
      const callback = member.path[0] === 'promises' ? undefined : parent.arguments[2];
      if (callback) edits.callbackStyle(parent, callback, upload(parent.arguments[0]));
      else if (member.path[0] === 'promises') edits.awaited(parent, upload(parent.arguments[0]));
      else return { refused: `\`${short(parent)}\` (${edits.context.where(parent)}) has no callback to run when the upload ends` };
      return { handled: parent };
    }
  }
  if (ts.isCallExpression(parent) && parent.arguments.length === 1 && parent.arguments[0] === create && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'pipe') {
    // source.pipe(ws)[.on('finish', done)][.on('error', fail)];
    const listeners = new Map<string, ts.Expression>();
    let outer: ts.Expression = parent;
    while (ts.isPropertyAccessExpression(outer.parent) && outer.parent.name.text === 'on' && ts.isCallExpression(outer.parent.parent) && outer.parent.parent.arguments.length === 2) {
      const event = stringValue(outer.parent.parent.arguments[0]);
      const event2 = event === 'close' ? 'finish' : event;
      if (event2 !== 'finish' && event2 !== 'error') break;
      if (listeners.has(event2)) return { refused: `\`${short(outer.parent.parent)}\` (${edits.context.where(outer)}) listens twice for the end of the write` };
      listeners.set(event2, outer.parent.parent.arguments[1]);
      outer = outer.parent.parent;
    }
    if (!ts.isExpressionStatement(outer.parent)) return writeStream(create, path, edits);
    edits.useAdapter(file, 'objectKey', 'objectStore');
    const done = listeners.get('finish');
    const fail = listeners.get('error');
    const then = done && fail ? `.then(${done.getText()}, ${fail.getText()})` : done ? `.then(${done.getText()})` : fail ? `.catch(${fail.getText()})` : '';
    edits.replace(outer, `${upload(parent.expression.expression)}${then}`);
    return { handled: outer };
  }
  return writeStream(create, path, edits);
}

/** A write stream used as a value (`doc.pipe(out)`, `out.on('finish', …)`): the store's write stream, which finishes once the object is stored. */
function writeStream(create: ts.CallExpression, path: ts.Expression, edits: FileEdits): { handled: ts.Node } | { refused: string } {
  if (create.arguments.length > 1) return { refused: `the write stream \`${short(create)}\` (${edits.context.where(create)}) has options the object store has no counterpart for` };
  edits.useAdapter(create.getSourceFile(), 'objectStore');
  edits.replace(create, `objectStore.createWriteStream(${path.getText()})`);
  edits.retypeFsStream(create, 'WriteStream');
  return { handled: create };
}

function dedupe(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.fileName}\u0000${edit.start}\u0000${edit.end}\u0000${edit.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function nodeAt(sourceFile: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) <= start && end <= node.getEnd()) {
      if (node.getStart(sourceFile) === start && node.getEnd() === end) found = node;
      ts.forEachChild(node, visit);
    }
  };
  visit(sourceFile);
  return found;
}

/** multer `dest: 'uploads/'` → `storage: objectStorage({ destination: 'uploads/' })`; `multer.diskStorage(…)` or `diskStorage(…)` imported from multer → `objectStorage(…)`. */
function uploadRewrite(node: ts.Node, checker: ts.TypeChecker): { edit: TextEdit; files: FileSet | undefined; adapter?: string } | undefined {
  const file = node.getSourceFile();
  if (ts.isPropertyAssignment(node) && node.name.getText() === 'dest') {
    return {
      edit: { fileName: file.fileName, start: node.getStart(), end: node.getEnd(), newText: `storage: objectStorage({ destination: ${node.initializer.getText()} })` },
      files: fileSetOfFolder(node.initializer, checker),
    };
  }
  if (ts.isPropertyAssignment(node) && node.name.getText() === 'uploadDir') {
    // formidable (alone or under koa-body) streams each file to what fileWriteStreamHandler returns; file.filepath stays the path in the folder.
    return {
      edit: { fileName: file.fileName, start: node.getEnd(), end: node.getEnd(), newText: ', fileWriteStreamHandler: (file) => objectStore.createWriteStream(file.filepath)' },
      files: fileSetOfFolder(node.initializer, checker),
      adapter: 'objectStore',
    };
  }
  const named = ts.isPropertyAccessExpression(node) ? node.name : ts.isIdentifier(node) ? node : undefined;
  if (named?.text === 'diskStorage' && ts.isCallExpression(node.parent) && node.parent.expression === node) {
    const options = node.parent.arguments[0];
    const destination = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'destination') : undefined;
    return {
      edit: { fileName: file.fileName, start: node.getStart(), end: node.getEnd(), newText: 'objectStorage' },
      files: destination ? folderSet(destination.initializer, checker) : undefined,
    };
  }
  return undefined;
}

function folderSet(option: ts.Expression, checker: ts.TypeChecker): FileSet | undefined {
  const folder = folderOption(option);
  if (folder) return fileSetOfFolder(folder, checker);
  return ts.isFunctionLike(skipOuterExpressions(option)) ? undefined : fileSetOfFolder(option, checker);
}

/** `(req, file, cb) => cb(null, UPLOAD_DIR)`: the one folder a destination function calls back with. */
function folderOption(option: ts.Expression): ts.Expression | undefined {
  const value = skipOuterExpressions(option);
  if (!ts.isArrowFunction(value) && !ts.isFunctionExpression(value)) return undefined;
  const callback = value.parameters[2]?.name;
  if (!callback || !ts.isIdentifier(callback)) return undefined;
  const folders: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === callback.text && node.arguments.length === 2) folders.push(node.arguments[1]);
    ts.forEachChild(node, visit);
  };
  visit(value.body);
  return folders.length === 1 ? folders[0] : undefined;
}

/** Packages that serve a folder's files over HTTP. */
const STATIC_SERVERS = new Set(['serve-static', 'koa-static', 'koa-static-cache', '@fastify/static', 'fastify-static', 'serve-index', 'sirv', 'st', 'ecstatic', 'serve-handler', 'koa-send', 'send', '@hono/node-server/serve-static']);

/**
 * Packages whose calls take a moved file's path without opening the file: path and URL helpers, the
 * stream plumbing the moved streams go through, the upload middleware whose folder the fix itself
 * moves, and the frameworks' decorators that configure it.
 */
const NAMES_PATHS_ONLY = new Set(['url', 'next/server', 'util', 'stream', 'stream/promises', 'events', 'querystring', 'multer', '@koa/multer', 'koa-multer', 'fastify-multer', 'formidable', '@nestjs/common', '@nestjs/platform-express', 'mime', 'mime-types', 'sanitize-filename', 'slugify', 'uuid', 'nanoid']);

/**
 * Methods that take a path as a value to keep, compare or send (`names.push(file)`, `res.json(file)`,
 * `db.query(sql, [file])`, `emitter.emit('saved', file)`), never opening the file it names.
 */
const NAME_ONLY_METHODS = new Set([
  // lists, maps, sets and strings
  'push', 'unshift', 'splice', 'set', 'add', 'has', 'get', 'delete', 'includes', 'indexOf', 'lastIndexOf', 'concat', 'join', 'startsWith', 'endsWith', 'replace', 'split', 'toString', 'localeCompare', 'test', 'match', 'exec',
  // promises, callbacks, events, responses and redirects
  'then', 'catch', 'finally', 'resolve', 'reject', 'emit', 'next', 'json', 'jsonp', 'send', 'end', 'redirect', 'location', 'render', 'status', 'type', 'header', 'setHeader', 'cookie', 'body', 'text', 'html',
  // database rows and queries: the path is stored as a value
  'query', 'execute', 'run', 'all', 'prepare', 'insert', 'insertOne', 'insertMany', 'update', 'updateOne', 'updateMany', 'upsert', 'create', 'save', 'where', 'values', 'hset', 'hmset', 'lpush', 'rpush', 'sadd', 'zadd', 'publish',
  // a stream the moved write made, piped on
  'pipe',
]);

/**
 * `zip.addLocalFile(file)`, `doc.image(file)`, `command.input(file)`: a method of a value the program
 * did not write (a library's object, or one the checker cannot see) given the path itself. Unless it
 * is known to take paths as names (`NAME_ONLY_METHODS`, the built-in lists, maps and strings), it may
 * open the file on this disk.
 */
function mayOpenPath(call: ts.CallExpression, callee: ts.PropertyAccessExpression, path: ts.Expression, checker: ts.TypeChecker): boolean {
  if (NAME_ONLY_METHODS.has(callee.name.text) || !isPathItself(path, checker)) return false;
  const declaration = checker.getResolvedSignature(call)?.declaration;
  // The built-ins (`Array`, `Map`, `String`, `Promise`): a value kept or compared.
  return !declaration || !/[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]*\.d\.ts$/.test(declaration.getSourceFile().fileName);
}

/**
 * The path as it is: a name or member holding text (`file`, `req.file.path`), `path.join(dir, name)`, a
 * template that does not start at `/`. Not a value built from it (`{ photo }`, `[file]`, `read(file)`),
 * a function or object (`app.register(attachments)`), nor a literal (`app.use('/uploads', …)` is a route).
 */
function isPathItself(argument: ts.Expression, checker: ts.TypeChecker): boolean {
  const value = skipOuterExpressions(argument);
  if (ts.isTemplateExpression(value)) return !value.head.text.startsWith('/');
  if (ts.isCallExpression(value)) return /^path\.(?:join|resolve|normalize)$|^(?:join|resolve)$/.test(skipOuterExpressions(value.expression).getText());
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value) && !ts.isElementAccessExpression(value)) return false;
  if (ts.isIdentifier(value) && namesFunctionOrObject(value, checker)) return false;
  return (checker.getTypeAtLocation(value).flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

/** A name the program declares as a function, a class or an object (`attachments` of `const attachments: FastifyPluginAsync = async (fastify) => …`), also through an import, whatever the checker makes of its type. */
function namesFunctionOrObject(name: ts.Identifier, checker: ts.TypeChecker): boolean {
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration;
  if (!declaration) return false;
  if (ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration)) return true;
  const initializer = ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  return initializer !== undefined && (ts.isFunctionLike(initializer) || ts.isClassExpression(initializer) || ts.isObjectLiteralExpression(initializer) || ts.isArrayLiteralExpression(initializer));
}

/** The package whose call or constructor made a receiver (`zip` of `const zip = new AdmZip()`, `AdmZip` required from `adm-zip`). */
function creatingPackage(receiver: ts.Expression, checker: ts.TypeChecker, depth = 0): string | undefined {
  let value = skipOuterExpressions(receiver);
  while (ts.isCallExpression(value) || ts.isNewExpression(value) || ts.isPropertyAccessExpression(value)) value = skipOuterExpressions(value.expression);
  if (!ts.isIdentifier(value)) return undefined;
  const member = resolveImportedMember(value, getFileFacts(value.getSourceFile()).imports);
  if (member) return member.module.startsWith('.') ? undefined : member.module;
  const declaration = symbolOf(checker, value)?.valueDeclaration;
  const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  return initializer && (ts.isCallExpression(initializer) || ts.isNewExpression(initializer)) && depth < 3 ? creatingPackage(initializer, checker, depth + 1) : undefined;
}

/** A value another call made (`serve(dir)`, `fs.createReadStream(file)`), not a path built with `path.join`/`path.resolve`. */
function isMadeByCall(argument: ts.Expression): boolean {
  const value = skipOuterExpressions(argument);
  return ts.isCallExpression(value) && !/^path\.(?:join|resolve|normalize)$|^(?:join|resolve)$/.test(skipOuterExpressions(value.expression).getText());
}

/** Packages that run another program with the arguments they are given. */
const PROGRAM_RUNNERS = new Set(['child_process', 'execa', 'cross-spawn', 'shelljs', 'youtube-dl-exec', 'zx']);

/**
 * Whether a call gives a path of the set to another program: any argument of a program runner, or an
 * argument beside a command-line flag (`args.push('--cookies', path)`, a `['-i', file]` list).
 */
function runsProgramWith(call: ts.CallExpression, member: ImportBinding | undefined, files: FileSet): boolean {
  const flag = (node: ts.Node): boolean => /^--?[A-Za-z]/.test(stringValue(node) ?? '');
  const flagged = (argument: ts.Expression): boolean => {
    const value = skipOuterExpressions(argument);
    return flag(value) || (ts.isArrayLiteralExpression(value) && value.elements.some(flag));
  };
  if (member && PROGRAM_RUNNERS.has(member.module)) return call.arguments.some((argument) => files.matches(argument));
  return call.arguments.some(flagged) && call.arguments.some((argument) => !flag(skipOuterExpressions(argument)) && files.matches(argument));
}

/** How many folders one fix follows through renames (uploads → covers → archive) before it gives up. */
const MAX_FOLDERS = 4;

/**
 * Every other use of the same files in the program, and of the files they are renamed or copied
 * to: reads, streams, looks, renames, deletes and writes move to the object store; serving the
 * folder, listing it or appending to its files has no counterpart, and the first such use is the
 * refusal.
 */
function moveOtherUses(program: ts.Program, files: FileSet, handled: ts.Node, edits: FileEdits, returned: ts.Identifier[] = []): string | undefined {
  const sets = [files];
  const moved = new Set<ts.Node>();
  const checker = program.getTypeChecker();
  const followed: ts.Identifier[] = [];
  for (let index = 0; index < sets.length; index++) {
    const names: ts.Identifier[] = index === 0 ? [...returned] : [];
    const refusal = moveUsesOf(program, sets[index], handled, edits, moved, names);
    if (refusal) return refusal;
    // A path passed to the program's own function, or resolved to its callers: their uses of that name are uses of the files.
    for (const name of names) {
      const symbol = symbolOf(checker, name);
      if (!symbol) return `\`${name.text}\` (${edits.context.where(name)}) holds the files' path, and the fix cannot follow it`;
      if (sets.length >= MAX_FOLDERS * 2) return `the files are passed on through more functions than the fix follows`;
      followed.push(name);
      sets.push({ matches: (argument) => ts.isIdentifier(skipOuterExpressions(argument)) && symbolOf(checker, skipOuterExpressions(argument)) === symbol, isFolderItself: () => false, containsFolder: () => false });
    }
    for (const target of edits.movedInto.splice(0)) {
      const set = fileSetOfPath(target, program.getTypeChecker());
      if (!set) return `\`${short(target.parent)}\` (${edits.context.where(target)}) puts the files at a path that names no folder or path function, so the other uses of them cannot be found`;
      if (sets.length >= MAX_FOLDERS) return `\`${short(target.parent)}\` (${edits.context.where(target)}) moves the files on through more folders than the fix follows`;
      sets.push(set);
    }
  }
  // A followed name must be used only where the fix moved it: any other use would still read this disk.
  for (const name of followed) {
    for (const reference of referencesOf(program, name)) {
      if (!isMovedUse(reference, moved)) return `\`${short(useOf(reference))}\` (${edits.context.where(reference)}) uses the files' path in a way the fix cannot follow`;
    }
  }
  return undefined;
}

/**
 * `return configPath` in the function that writes the file: its callers get the path
 * (`configPath = await writeConfig()`), and what they do with it (`spawn(bin, ['serve', configPath])`)
 * is a use of the same files. The names the callers give the value, to follow as the files' path; a
 * refusal naming the caller that uses it otherwise.
 */
function returnedPathTo(handled: ts.Node, files: FileSet, program: ts.Program, edits: FileEdits): ts.Identifier[] | string {
  const fn = ts.findAncestor(handled, ts.isFunctionLike);
  if (!fn || !('body' in fn) || !fn.body || !ts.isBlock(fn.body)) return [];
  let returns = false;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression && ts.isIdentifier(skipOuterExpressions(node.expression)) && files.matches(node.expression)) returns = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  if (!returns) return [];
  const name = ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) ? fn.parent.name : undefined;
  if (!name || !ts.isIdentifier(name)) return `the function that writes the files returns their path to callers the fix cannot follow`;
  const names: ts.Identifier[] = [];
  for (const reference of referencesOf(program, name)) {
    const access = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    const caller = access.parent;
    if (!ts.isCallExpression(caller) || caller.expression !== access) continue;
    const value = ts.isAwaitExpression(caller.parent) ? caller.parent : caller;
    if (ts.isExpressionStatement(value.parent)) continue;
    const receiver = ts.isVariableDeclaration(value.parent) && value.parent.initializer === value ? value.parent.name : ts.isBinaryExpression(value.parent) && value.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && value.parent.right === value ? value.parent.left : undefined;
    if (!receiver || !ts.isIdentifier(receiver)) return `the caller \`${short(caller)}\` (${edits.context.where(caller)}) uses the files' path that \`${name.text}\` returns in a way the fix cannot follow`;
    names.push(receiver);
  }
  return names;
}

/** Whether a reference to a followed path is an argument of a moved call, or only named in `path.basename(…)`/`path.extname(…)`. */
function isMovedUse(reference: ts.Identifier, moved: ReadonlySet<ts.Node>): boolean {
  for (let node: ts.Node = reference; !ts.isStatement(node) && !ts.isFunctionLike(node) && node.parent; node = node.parent) {
    if (moved.has(node)) return true;
    if (ts.isCallExpression(node) && /^path\.(?:basename|extname)$/.test(node.expression.getText())) return true;
  }
  return false;
}

function useOf(reference: ts.Identifier): ts.Node {
  let node: ts.Node = reference;
  while (node.parent && !ts.isStatement(node.parent) && !ts.isFunctionLike(node.parent) && !ts.isCallExpression(node)) node = node.parent;
  return node;
}

/**
 * `resolve(file)` in `new Promise((resolve) => …)` that a function returns (directly or at the end of
 * a `.then` chain): the names its callers give the resolved value (`const file = await render(…)`,
 * `render(…).then((file) => …)`), or a refusal naming the caller that uses it otherwise.
 */
function resolvedInto(call: ts.CallExpression, program: ts.Program, edits: FileEdits): ts.Identifier[] | string | undefined {
  const checker = program.getTypeChecker();
  const callee = skipOuterExpressions(call.expression);
  const parameter = ts.isIdentifier(callee) ? symbolOf(checker, callee)?.valueDeclaration : undefined;
  if (!parameter || !ts.isParameter(parameter)) return undefined;
  const executor = parameter.parent;
  const promise = executor.parent;
  if (!ts.isFunctionLike(executor) || executor.parameters[0] !== parameter || !ts.isNewExpression(promise) || promise.expression.getText() !== 'Promise' || promise.arguments?.[0] !== executor) return undefined;
  const cannot = `\`${short(call)}\` (${edits.context.where(call)}) hands the files' path to code the fix cannot follow`;
  let value: ts.Node = promise;
  let owner: ts.SignatureDeclaration | undefined;
  for (let step = 0; step < 8 && !owner; step++) {
    const parent: ts.Node = value.parent;
    const returned = ts.isReturnStatement(parent) ? parent : ts.isArrowFunction(parent) && parent.body === value ? parent : undefined;
    if (ts.isPropertyAccessExpression(parent) && /^(?:then|catch|finally)$/.test(parent.name.text) && ts.isCallExpression(parent.parent)) {
      value = parent.parent;
      continue;
    }
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)) {
      value = parent;
      continue;
    }
    if (!returned) return cannot;
    const fn: ts.Node | undefined = ts.isArrowFunction(returned) ? returned : ts.findAncestor(returned, ts.isFunctionLike);
    if (!fn || !ts.isFunctionLike(fn)) return cannot;
    // The function returning it is a `.then(() => new Promise(…))` callback: the chain's value carries it on.
    const chain = fn.parent;
    if (ts.isCallExpression(chain) && chain.arguments[0] === fn && ts.isPropertyAccessExpression(chain.expression) && chain.expression.name.text === 'then') value = chain;
    else owner = fn;
  }
  const name = owner && (ts.isFunctionDeclaration(owner) || ts.isMethodDeclaration(owner)) ? owner.name : owner && ts.isVariableDeclaration(owner.parent) ? owner.parent.name : undefined;
  if (!name || !ts.isIdentifier(name)) return cannot;
  const names: ts.Identifier[] = [];
  for (const reference of referencesOf(program, name)) {
    const access = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    const caller = access.parent;
    if (!ts.isCallExpression(caller) || caller.expression !== access) continue;
    const awaited = caller.parent;
    const then = ts.isPropertyAccessExpression(awaited) && awaited.name.text === 'then' && ts.isCallExpression(awaited.parent) ? awaited.parent.arguments[0] : undefined;
    const receiver = ts.isAwaitExpression(awaited) && ts.isVariableDeclaration(awaited.parent) ? awaited.parent.name : then && ts.isFunctionLike(skipOuterExpressions(then)) ? (skipOuterExpressions(then) as ts.SignatureDeclaration).parameters[0]?.name : undefined;
    // The value is not used: `await render(…);`, `render(…).then(() => …)`.
    const unused = ts.isExpressionStatement(awaited) || (ts.isAwaitExpression(awaited) && ts.isExpressionStatement(awaited.parent)) || (then !== undefined && ts.isFunctionLike(skipOuterExpressions(then)) && (skipOuterExpressions(then) as ts.SignatureDeclaration).parameters.length === 0);
    if (unused) continue;
    if (!receiver || !ts.isIdentifier(receiver)) return `the caller \`${short(caller)}\` (${edits.context.where(caller)}) uses the files' path that \`${name.text}\` resolves with in a way the fix cannot follow`;
    names.push(receiver);
  }
  return names;
}

const LOG_METHODS = new Set(['log', 'debug', 'info', 'warn', 'error', 'trace', 'fatal', 'verbose', 'silly']);

/** `logger.debug(\`writing ${file}\`)`, `console.log('saved', file)`: the path is written to a log, no file is opened. */
function isLogCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && LOG_METHODS.has(callee.name.text) && /(?:^|\.)(?:console|logger|log)$/i.test(skipOuterExpressions(callee.expression).getText());
}

function moveUsesOf(program: ts.Program, files: FileSet, handled: ts.Node, edits: FileEdits, moved: Set<ts.Node>, parameters: ts.Identifier[]): string | undefined {
  let unknownMethod: string | undefined;
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    const facts = getFileFacts(file);
    for (const { node } of facts.calls) {
      // `new Hapi.Server({ routes: { files: { relativeTo: dir } } })`, as `Hapi.server(…)` below.
      if (ts.isNewExpression(node) && !moved.has(node) && resolveImportedMember(node.expression, facts.imports)?.path.join('.') === 'Server' && HAPI_MODULES.has(resolveImportedMember(node.expression, facts.imports)?.module ?? '')) {
        if (!(node.arguments ?? []).some((argument) => mentionsDeep(argument, files) || containsDeep(argument, files))) continue;
        moved.add(node);
        const refusal = hapiFilesFromStore(node, files, program, edits);
        if (refusal) return refusal;
        continue;
      }
      // The moved write itself is handled; a call in its callback (the continuation) is another use.
      if (!ts.isCallExpression(node) || moved.has(node) || (within(node, handled) && !inCallbackOf(node, handled)) || within(handled, node)) continue;
      const member = resolveImportedMember(node.expression, facts.imports);
      if (member?.module === 'path') continue;
      const servesFolder = (member && (STATIC_SERVERS.has(member.module) || (member.module === 'express' && member.path[member.path.length - 1] === 'static'))) || node.arguments.some((argument) => STATIC_SERVERS.has(pluginModule(argument, facts.imports) ?? ''));
      if (servesFolder) {
        // The folder itself, or one it is inside (`express.static('public')` of uploads in `public/avatars`).
        if (!node.arguments.some((argument) => mentionsDeep(argument, files) || containsDeep(argument, files))) continue;
        moved.add(node);
        const refusal = serveFromStore(node, member, facts.imports, edits);
        if (refusal) return refusal;
        continue;
      }
      // `Hapi.server({ routes: { files: { relativeTo: dir } } })`: the folder inert's `h.file(name)` reads; each read moves to the store.
      if (member && HAPI_MODULES.has(member.module) && member.path.join('.') === 'server') {
        if (!node.arguments.some((argument) => mentionsDeep(argument, files) || containsDeep(argument, files))) continue;
        moved.add(node);
        const refusal = hapiFilesFromStore(node, files, program, edits);
        if (refusal) return refusal;
        continue;
      }
      const path = node.arguments[0];
      if (!path || isLogCall(node)) continue;
      // `spawn('ffmpeg', ['-i', file])`, `args.push('--cookies', cookiesPath)`: another program opens the path on this disk.
      if (runsProgramWith(node, member, files)) return `\`${short(node)}\` (${edits.context.where(node)}) hands the same files to another program as a command-line argument, and that program opens them on this instance's disk`;
      const fsCall = fsCallOf(node);
      // `fs.copyFile(req.file.path, target)`: a file of this disk put among the moved files is written to the store.
      const target = fsCall && COPIES_IN.has(fsCall.base) ? fsCall.args[1] : undefined;
      if (fsCall && target && !files.matches(path) && files.matches(target)) {
        moved.add(node);
        const refusal = uploadFromDisk(fsCall, target, edits);
        if (refusal) return refusal;
        continue;
      }
      const root = sendFileRoot(node);
      if (!files.matches(path) && !(root && files.matches(root))) {
        // `sendInvoiceMail(to, id, file)`: the path, held by a name, handed on as another argument of the program's own function
        // (not an element of a list of values: `db.query(sql, [name, id], cb)` stores the name, it does not open the file).
        const position = member && !member.module.startsWith('.') ? -1 : node.arguments.findIndex((argument, index) => index > 0 && ts.isIdentifier(skipOuterExpressions(argument)) && files.matches(argument));
        const receivers = position > 0 ? receivingParameters(node, program, position) : undefined;
        // `callback(null, target)`: the callers' callbacks get the path.
        const calledBack = receivers === 'unknown' ? calledBackInto(node, position, program) : undefined;
        if (calledBack === 'unknown') return `\`${short(node)}\` (${edits.context.where(node)}) calls back with the files' path, and the fix cannot follow every callback it calls`;
        if (calledBack || (receivers && receivers !== 'unknown')) {
          moved.add(node);
          parameters.push(...(calledBack ?? (receivers as ts.Identifier[])));
        }
        continue;
      }
      moved.add(node);
      // `h.file(path.join(dir, name), { confine: false })` in a hapi handler: inert reads the path.
      const hapiRead = hapiFileCall(node);
      if (hapiRead) {
        const refusal = readHapiFileFromStore(hapiRead, edits);
        if (refusal) return refusal;
        continue;
      }
      if (fsCall) {
        const refusal = moveFsCall(fsCall, files, edits);
        if (refusal) return refusal;
        continue;
      }
      const resolved = member ? undefined : resolvedInto(node, program, edits);
      if (typeof resolved === 'string') return resolved;
      if (resolved) {
        parameters.push(...resolved);
        continue;
      }
      const receivers = member ? undefined : receivingParameters(node, program);
      const calledBack = receivers === 'unknown' ? calledBackInto(node, 0, program) : undefined;
      if (calledBack && calledBack !== 'unknown') {
        parameters.push(...calledBack);
        continue;
      }
      if (receivers === 'unknown') return `\`${short(node)}\` (${edits.context.where(node)}) passes the same files to a function the fix cannot follow`;
      if (receivers) {
        parameters.push(...receivers);
        continue;
      }
      // `sharp(file)`, `readLastLines.read(logPath, 20)`, `winston.createLogger({ transports: [file] })`: a package that opens,
      // writes or watches the same files on this disk, which the store will not have. Only packages known to take a path
      // without opening it are passed.
      // (`mount('/files', serve(dir))` passes a route and what another call made of the path: that call is a use of its own.)
      if (member && !member.module.startsWith('.') && !NAMES_PATHS_ONLY.has(member.module) && !isMadeByCall(path) && !stringValue(skipOuterExpressions(path))?.startsWith('/')) return `\`${short(node)}\` (${edits.context.where(node)}) opens the same files on this instance's disk through \`${member.module}\`, and the fix cannot move it`;
      const callee = skipOuterExpressions(node.expression);
      if (!ts.isPropertyAccessExpression(callee) || member) continue;
      const isFunction = (argument: ts.Expression | undefined): boolean => argument !== undefined && (ts.isFunctionLike(skipOuterExpressions(argument)) || ts.isIdentifier(argument));
      const [, second, third, fourth] = node.arguments;
      // res.sendFile(path[, { root }][, callback]); res.download(path[, filename][, callback]): no other options.
      const sends = callee.name.text === 'sendFile' ? (root ? !fourth && (!third || isFunction(third)) : !third && (!second || isFunction(second))) : callee.name.text === 'download' ? !fourth && !(second && ts.isObjectLiteralExpression(skipOuterExpressions(second))) && (!third || isFunction(third)) : undefined;
      if (sends === false) return `\`${short(node)}\` (${edits.context.where(node)}) sends the file with options the object store has no counterpart for`;
      if (sends) {
        edits.useAdapter(file, 'objectStore');
        edits.replace(node.expression, `objectStore.${callee.name.text}`);
        edits.edits.push({ fileName: file.fileName, start: path.getStart(file), end: path.getStart(file), newText: `${callee.expression.getText(file)}, ` });
      } else if (callee.name.text === 'attachment') {
        return `\`${short(node)}\` (${edits.context.where(node)}) sends the same files from this instance's disk, and the object store has no counterpart for it`;
      } else if (!unknownMethod && mayOpenPath(node, callee, path, program.getTypeChecker())) {
        // Kept for last: a more telling refusal of the same files (`sharp(file)` inside `sharp(file).resize(200).toFile(…)`) comes first.
        const from = creatingPackage(callee.expression, program.getTypeChecker());
        unknownMethod = `\`${short(node)}\` (${edits.context.where(node)}) passes the same files to \`${callee.name.text}\`${from ? ` of \`${from}\`` : ''}, which may open them on this instance's disk: the fix cannot tell, so it moves none of them`;
      }
    }
  }
  return unknownMethod;
}

/**
 * The parameters of the program's own functions that a call passes its first argument to
 * (`buildPreview(file)`, `this.store(file)`, `step(file)` over a list of the program's functions:
 * `this.afterStore.map((step) => step(file))`); `unknown` when the callee is a value the fix cannot
 * trace (a parameter of an exported function, a list that is added to); undefined for library functions.
 */
function receivingParameters(call: ts.CallExpression, program: ts.Program, position = 0): ts.Identifier[] | 'unknown' | undefined {
  const checker = program.getTypeChecker();
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  const declaration = name ? symbolOf(checker, name)?.valueDeclaration : undefined;
  if (!declaration || declaration.getSourceFile().isDeclarationFile || /[\\/]node_modules[\\/]/.test(declaration.getSourceFile().fileName)) return undefined;
  if (ts.isParameter(declaration) || ts.isBindingElement(declaration) || ts.isVariableDeclaration(declaration)) {
    const listed = ts.isParameter(declaration) ? functionsOfElement(declaration, program) : ts.isVariableDeclaration(declaration) ? functionsOfLoopVariable(declaration, program) : undefined;
    if (listed) {
      const receivers = listed.map((fn) => parameterAt(fn, position));
      return receivers.every((receiver): receiver is ts.Identifier => receiver !== 'unknown') ? receivers.filter((receiver) => receiver !== undefined) : 'unknown';
    }
    if (!ts.isVariableDeclaration(declaration)) return 'unknown';
  }
  const value = ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration) ? declaration.initializer && skipOuterExpressions(declaration.initializer) : declaration;
  if (!value || !ts.isFunctionLike(value)) return undefined;
  const receiver = parameterAt(value, position);
  return receiver === undefined ? undefined : receiver === 'unknown' ? 'unknown' : [receiver];
}

/**
 * `callback(null, target)` where `callback` is a parameter of the program's own function
 * (`function save(data, callback)`): the parameters that each caller's callback receives the value at
 * `position` in (`save(data, (err, file) => res.sendFile(file))`). `unknown` when a caller passes
 * something else (a value the fix cannot trace) or the function is used other than called or exported;
 * undefined when the callee is not such a parameter or the program never calls the function.
 */
function calledBackInto(call: ts.CallExpression, position: number, program: ts.Program): ts.Identifier[] | 'unknown' | undefined {
  const checker = program.getTypeChecker();
  const callee = skipOuterExpressions(call.expression);
  const parameter = ts.isIdentifier(callee) ? symbolOf(checker, callee)?.valueDeclaration : undefined;
  if (!parameter || !ts.isParameter(parameter) || !ts.isIdentifier(parameter.name)) return undefined;
  // `callback(null, fileUrl)` with `fileUrl = staticDirUrl + '/' + fileName`: a link to the file, which the store serves under the same name.
  const handed = call.arguments[position];
  if (handed && namesLink(handed, checker)) return undefined;
  const fn = parameter.parent;
  const index = fn.parameters.indexOf(parameter);
  // Only the program's named functions: a callback handed to a library (multer's `destination: (req, file, cb) => cb(null, dir)`) is called by the library.
  const name = ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn ? fn.parent.name : undefined;
  if (!name || !ts.isIdentifier(name)) return undefined;
  const receivers: ts.Identifier[] = [];
  let called = false;
  for (const reference of referencesOf(program, name)) {
    const access = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    const caller = access.parent;
    if (!ts.isCallExpression(caller) || caller.expression !== access) {
      // Exported (`module.exports = { save }`, `exports.save = save`, `export { save }`): its callers are the references above.
      if (ts.isShorthandPropertyAssignment(caller) || ts.isExportSpecifier(caller) || (ts.isPropertyAssignment(caller) && caller.initializer === access) || (ts.isBinaryExpression(caller) && caller.right === access)) continue;
      return 'unknown';
    }
    called = true;
    const argument = caller.arguments[index] as ts.Expression | undefined;
    if (!argument) continue;
    const value = skipOuterExpressions(argument);
    const declared = ts.isIdentifier(value) ? symbolOf(checker, value)?.valueDeclaration : undefined;
    const callback = ts.isFunctionLike(value) ? value : declared && ts.isFunctionDeclaration(declared) ? declared : declared && ts.isVariableDeclaration(declared) && declared.initializer && ts.isFunctionLike(skipOuterExpressions(declared.initializer)) ? (skipOuterExpressions(declared.initializer) as ts.SignatureDeclaration) : undefined;
    if (!callback) return 'unknown';
    const receiver = parameterAt(callback, position);
    if (receiver === 'unknown') return 'unknown';
    if (receiver) receivers.push(receiver);
  }
  return called ? receivers : undefined;
}

/** A name that holds a link to a file rather than its path: named as one (`fileUrl`, `href`), or built from one (`staticDirUrl + '/' + name`). */
function namesLink(argument: ts.Expression, checker: ts.TypeChecker): boolean {
  const LINK = /(?:url|uri|href|link)s?$/i;
  const value = skipOuterExpressions(argument);
  if (!ts.isIdentifier(value)) return false;
  if (LINK.test(value.text)) return true;
  const declaration = symbolOf(checker, value)?.valueDeclaration;
  let first = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  while (first && ts.isBinaryExpression(first) && first.operatorToken.kind === ts.SyntaxKind.PlusToken) first = skipOuterExpressions(first.left);
  return first !== undefined && (ts.isIdentifier(first) || ts.isPropertyAccessExpression(first)) && LINK.test(ts.isIdentifier(first) ? first.text : first.name.text);
}

/** A parameter of a function with a body, by name; `unknown` when it is a pattern or a rest parameter. */
function parameterAt(fn: ts.SignatureDeclaration, position: number): ts.Identifier | 'unknown' | undefined {
  if (!('body' in fn) || !fn.body) return undefined;
  const parameter = fn.parameters[position] as ts.ParameterDeclaration | undefined;
  if (!parameter) return undefined;
  if (!ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return 'unknown';
  return parameter.name;
}

/**
 * Serving the folder over HTTP, from the store: `app.use(express.static(dir))` keeps the local
 * middleware and adds the adapter's `serveStatic(dir)` after it (elsewhere `express.static(dir)` /
 * `serveStatic(dir)` → the adapter's `serveStatic(dir)`); `app.register(fastifyStatic, { root, prefix })` → the adapter's
 * `fastifyObjectStatic` with the app's plugin as `local` (what the store lacks is sent from the disk), and `{ root,
 * serve: false }` (only `reply.sendFile`) the same; koa-send's `send(ctx, name, { root })` → the adapter's
 * `koaSend(ctx, name, { root }, send)`. Options beyond those are refused.
 */
function serveFromStore(call: ts.CallExpression, member: ImportBinding | undefined, imports: ImportTable, edits: FileEdits): string | undefined {
  const file = call.getSourceFile();
  const refusal = `\`${short(call)}\` (${edits.context.where(call)}) serves the same files from this instance's disk with options the object store has no counterpart for`;
  if (member?.module === 'koa-static' && member.path.length === 0) {
    const options = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
    if (call.arguments.length > 2 || (options && (!ts.isObjectLiteralExpression(options) || !options.properties.every((property) => /^(?:maxage|maxAge)$/.test(property.name?.getText() ?? ''))))) return refusal;
    // The folder may hold files the app ships: its own `serve(dir)` answers first, the store after it.
    const root = call.arguments[0];
    edits.useAdapter(file, 'koaServe');
    edits.replace(call, root && !root.getText().includes('\n') ? `koaServe(${root.getText()}, ${options ? options.getText() : '{}'}, ${call.getText()})` : `koaServe${call.getText().slice(call.expression.getWidth())}`);
    return undefined;
  }
  if (member?.module === 'koa-send' && member.path.length === 0) {
    // `await send(ctx, name, { root })` in a handler: the adapter's `koaSend(ctx, name, { root }, send)` sends the
    // store's object, else koa-send itself sends the file from the disk as before (one the app ships, or its 404).
    const options = call.arguments[2] && skipOuterExpressions(call.arguments[2]);
    const known = (property: ts.ObjectLiteralElementLike) => (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && /^(?:root|maxage|maxAge)$/.test(property.name.getText());
    if (call.arguments.length !== 3 || !options || !ts.isObjectLiteralExpression(options) || !options.properties.every(known) || call.getText().includes('\n')) return refusal;
    edits.useAdapter(file, 'koaSend');
    edits.replace(call, `koaSend(${call.arguments.map((argument) => argument.getText()).join(', ')}, ${call.expression.getText()})`);
    return undefined;
  }
  const isExpressStatic = member !== undefined && ((member.module === 'express' && member.path.join('.') === 'static') || (member.module === 'serve-static' && member.path.length === 0));
  if (isExpressStatic) {
    // `app.use(express.static(dir))`: the folder may also hold files the app ships (its CSS, a default
    // avatar) that no upload put in the store. The local middleware stays, with its options, and the
    // store answers what it does not have: `app.use(express.static(dir), serveStatic(dir))`.
    const mount = call.parent;
    const root = call.arguments[0];
    const options = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
    const fallsThrough = !options || (ts.isObjectLiteralExpression(options) && !options.properties.some((property) => property.name?.getText() === 'fallthrough'));
    if (root && ts.isCallExpression(mount) && mount.arguments.includes(call) && ts.isPropertyAccessExpression(mount.expression) && mount.expression.name.text === 'use' && fallsThrough && !root.getText().includes('\n')) {
      edits.useAdapter(file, 'serveStatic');
      edits.replace(call, `${call.getText()}, serveStatic(${root.getText()})`);
      return undefined;
    }
    if (call.arguments.length !== 1) return refusal;
    edits.useAdapter(file, 'serveStatic');
    edits.replace(call.expression, 'serveStatic');
    return undefined;
  }
  const plugin = call.arguments[0];
  const options = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  const isFastifyStatic = ts.isPropertyAccessExpression(skipOuterExpressions(call.expression)) && plugin && /^(?:@fastify\/static|fastify-static)$/.test(pluginModule(plugin, imports) ?? '');
  if (!isFastifyStatic || call.arguments.length !== 2 || !options || !ts.isObjectLiteralExpression(options)) return refusal;
  // `serve: false`: the plugin answers no route, only `reply.sendFile(name)` in the app's handlers.
  const servesNoRoute = options.properties.some((property) => ts.isPropertyAssignment(property) && property.name.getText() === 'serve' && property.initializer.kind === ts.SyntaxKind.FalseKeyword);
  const known = servesNoRoute ? /^(?:root|serve)$/ : /^(?:root|prefix)$/;
  if (!options.properties.every((property) => (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && known.test(property.name.getText()))) return refusal;
  if (servesNoRoute && options.getText().includes('\n')) return refusal;
  edits.useAdapter(file, 'fastifyObjectStatic');
  edits.replace(plugin, 'fastifyObjectStatic');
  // The app's own plugin stays registered under the adapter (`local`): the files the app ships in the
  // folder are still sent from the disk, and `reply.sendFile` keeps the type its import declares.
  if (servesNoRoute) edits.replace(options, `${options.getText().replace(/\s*\}$/, '')}, local: ${plugin.getText()} }`);
  // Serving its routes, the adapter answers them from the store and, for a file the app ships in the
  // folder (a default image, a stylesheet beside the uploads), from the disk through the same plugin.
  else {
    const last = options.properties[options.properties.length - 1];
    if (!last) return refusal;
    edits.replace(last, `${last.getText()}, local: ${plugin.getText()}`);
  }
  return undefined;
}

const HAPI_MODULES = new Set(['@hapi/hapi', 'hapi']);

/**
 * A hapi server created with the folder as its routes' `files.relativeTo`: the names handlers give
 * inert's `h.file(name[, { mode, filename }])` are read there. Each such read returned by its handler
 * becomes the adapter's `hapiFile(h, name, options)` (the store's object, else the disk's file as
 * before). The folder named anywhere else in the options, a route serving it with a `file` or
 * `directory` handler, or an `h.file(…)` whose response the handler goes on using, is refused.
 */
function hapiFilesFromStore(call: ts.CallExpression | ts.NewExpression, files: FileSet, program: ts.Program, edits: FileEdits): string | undefined {
  const refusal = `\`${short(call)}\` (${edits.context.where(call)}) serves the same files from this instance's disk through hapi, in a way the object store has no counterpart for`;
  const options = call.arguments?.length === 1 ? skipOuterExpressions(call.arguments[0]) : undefined;
  const option = (object: ts.Expression | undefined, name: string): ts.Expression | undefined => {
    const value = object && skipOuterExpressions(object);
    const property = value && ts.isObjectLiteralExpression(value) ? value.properties.find((candidate) => ts.isPropertyAssignment(candidate) && candidate.name.getText() === name) : undefined;
    return property && ts.isPropertyAssignment(property) ? property.initializer : undefined;
  };
  const routes = option(options, 'routes');
  const relativeTo = option(option(routes, 'files'), 'relativeTo');
  if (!options || !relativeTo || !(mentionsDeep(relativeTo, files) || containsDeep(relativeTo, files))) return refusal;
  // The folder only there: no other option on the way down to it names it.
  const others = (object: ts.Expression | undefined, keep: string): ts.ObjectLiteralElementLike[] => {
    const value = object && skipOuterExpressions(object);
    return value && ts.isObjectLiteralExpression(value) ? value.properties.filter((property) => !(ts.isPropertyAssignment(property) && property.name.getText() === keep)) : [];
  };
  const filesOption = option(routes, 'files');
  if ([...others(options, 'routes'), ...others(routes, 'files'), ...others(filesOption, 'relativeTo')].some((property) => mentionsDeep(property, files) || containsDeep(property, files))) return refusal;
  const reads: { call: ts.CallExpression; toolkit: ts.Identifier }[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || !/\.file\(|\b(?:file|directory)\s*:/.test(file.text)) continue;
    let refused: string | undefined;
    const visit = (node: ts.Node): void => {
      if (refused) return;
      // `handler: { file: … }` / `handler: { directory: { path } }`: inert serves names from the folder itself.
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'handler' && ts.isObjectLiteralExpression(skipOuterExpressions(node.initializer)) && (option(node.initializer, 'file') || option(node.initializer, 'directory'))) {
        refused = `\`${short(node)}\` (${edits.context.where(node)}) serves files with inert's own handler, which the object store has no counterpart for`;
        return;
      }
      const read = ts.isCallExpression(node) ? hapiFileCall(node) : undefined;
      if (read) reads.push(read);
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (refused) return refused;
  }
  for (const read of reads) {
    const refused = readHapiFileFromStore(read, edits);
    if (refused) return refused;
  }
  return undefined;
}

/** `h.file(…)` where `h` is a handler's response toolkit (its second parameter). */
function hapiFileCall(call: ts.CallExpression): { call: ts.CallExpression; toolkit: ts.Identifier } | undefined {
  const callee = skipOuterExpressions(call.expression);
  const toolkit = ts.isPropertyAccessExpression(callee) && callee.name.text === 'file' ? skipOuterExpressions(callee.expression) : undefined;
  return toolkit && ts.isIdentifier(toolkit) && isToolkitParameter(toolkit) ? { call, toolkit } : undefined;
}

/**
 * A returned `h.file(name[, { mode, filename, confine }])` → the adapter's `hapiFile(h, name, options)`; its response used
 * further, or options the adapter does not know, is refused.
 */
function readHapiFileFromStore(read: { call: ts.CallExpression; toolkit: ts.Identifier }, edits: FileEdits): string | undefined {
  const { call, toolkit } = read;
  const [name, fileOptions, ...rest] = call.arguments;
  const optionsObject = fileOptions && skipOuterExpressions(fileOptions);
  const known = !optionsObject || (ts.isObjectLiteralExpression(optionsObject) && optionsObject.properties.every((property) => ts.isPropertyAssignment(property) && /^(?:mode|filename|confine)$/.test(property.name.getText())));
  const returned = ts.isReturnStatement(call.parent) || (ts.isArrowFunction(call.parent) && call.parent.body === call);
  if (!name || rest.length > 0 || !known || !returned) return `\`${short(call)}\` (${edits.context.where(call)}) sends a file of the same folder with options, or a use of its response, the object store has no counterpart for`;
  const file = call.getSourceFile();
  edits.useAdapter(file, 'hapiFile');
  edits.replace(call.expression, 'hapiFile');
  edits.edits.push({ fileName: file.fileName, start: name.getStart(file), end: name.getStart(file), newText: `${toolkit.text}, ` });
  return undefined;
}

/** The second parameter of the function the identifier is in, by name: a handler's response toolkit (`(request, h) => …`). */
function isToolkitParameter(identifier: ts.Identifier): boolean {
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const parameters = current.parameters;
    if (parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === identifier.text)) return parameters.length >= 2 && ts.isIdentifier(parameters[1].name) && parameters[1].name.text === identifier.text;
  }
  return false;
}

/** The package a plugin argument is: `fastifyStatic` bound by an import, or `require('@fastify/static')` written in place. */
function pluginModule(argument: ts.Expression, imports: ImportTable): string | undefined {
  const value = skipOuterExpressions(argument);
  if (ts.isIdentifier(value)) return imports.get(value.text)?.module;
  const required = ts.isCallExpression(value) || ts.isPropertyAccessExpression(value) ? requiredPath(value) : undefined;
  return required && required.path.length === 0 ? required.module : undefined;
}

/** `dir` of `res.sendFile(name, { root: dir }, …)`, when root is the only option. */
function sendFileRoot(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipOuterExpressions(call.expression);
  const options = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'sendFile' || !options || !ts.isObjectLiteralExpression(options) || options.properties.length !== 1) return undefined;
  const [root] = options.properties;
  return ts.isPropertyAssignment(root) && root.name.getText() === 'root' ? root.initializer : ts.isShorthandPropertyAssignment(root) && root.name.text === 'root' ? root.name : undefined;
}

function containsDeep(node: ts.Node, files: FileSet): boolean {
  if (ts.isExpression(node) && !ts.isObjectLiteralExpression(node) && files.containsFolder(node)) return true;
  return ts.forEachChild(node, (child) => containsDeep(child, files)) ?? false;
}

function mentionsDeep(node: ts.Node, files: FileSet): boolean {
  if (ts.isExpression(node) && !ts.isObjectLiteralExpression(node) && files.matches(node)) return true;
  return ts.forEachChild(node, (child) => mentionsDeep(child, files)) ?? false;
}

/** Whether `node` is inside a function literal nested in `container` (a callback that runs after it). */
function inCallbackOf(node: ts.Node, container: ts.Node): boolean {
  for (let current = node.parent; current && current !== container; current = current.parent) if (ts.isFunctionLike(current)) return true;
  return false;
}

function within(node: ts.Node, container: ts.Node): boolean {
  return container.getStart() <= node.getStart() && node.getEnd() <= container.getEnd();
}
