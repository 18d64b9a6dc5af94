import ts = require('typescript');
import { getFileFacts, type CallLike, type FileFacts, type FunctionNode } from './file-facts';
import { resolveImportedMember, type ImportBinding, type ImportTable } from './imports';
import { libraryInstanceCall } from './library-instances';
import { localInitializer, valuesOfLocal } from './scope';
import { isFixedDocumentLoad } from './staleness';
import { isTempLibraryPath } from './temp-libraries';
import { propertyNameText, skipOuterExpressions, stringValue } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

const FS_MODULES = new Set(['fs', 'fs-extra', 'graceful-fs', 'original-fs', 'fs-promise', 'mz/fs', 'fs-extra-promise']);
const WRITE_FUNCTIONS = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'rename', 'renameSync', 'copyFile',
  'copyFileSync', 'cp', 'cpSync', 'symlink', 'symlinkSync', 'link', 'linkSync', 'truncate', 'truncateSync',
  // fs-extra
  'outputFile', 'outputFileSync', 'outputJson', 'outputJsonSync', 'outputJSON', 'outputJSONSync', 'writeJson', 'writeJsonSync',
  'writeJSON', 'writeJSONSync', 'move', 'moveSync', 'copy', 'copySync',
  // An empty file whose existence is the data (a new page of a flat-file wiki, a marker).
  'ensureFile', 'ensureFileSync',
]);
// Creating a folder (mkdir, ensureDir) stores nothing by itself: the write into it is the hazard.
const OPEN_FUNCTIONS = new Set(['open', 'openSync']);
const REMOVE_FUNCTIONS = new Set(['unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'remove', 'removeSync']);

export interface DiskWriteCall {
  call: ts.CallExpression;
  callee: ts.Expression;
  /** Where the finding sits when not at the callee: the output method of a long chain (`.screenshots` of `ffmpeg(input).on(…).screenshots(…)`). */
  at?: ts.Node;
  /** The callee as the message names it, when not its own text (`ffmpeg(…).screenshots`). */
  label?: string;
}

/** fs write calls by import binding: `fs.writeFile`, `fsp.writeFile`, `writeFileSync` imported by name, `fs.promises.appendFile`, fs-extra. */
export function fsWriteCall(call: CallLike, facts: FileFacts): DiskWriteCall | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  if (isBunWrite(call, facts)) return { call, callee: call.expression };
  const member = resolveImportedMember(call.expression, facts.imports);
  if (member && ARCHIVE_EXTRACTS.get(member.module)?.has(member.path.join('.'))) return { call, callee: call.expression };
  if (writesArchive(call, facts) || savesImage(call, facts)) return { call, callee: call.expression };
  const media = savesMedia(call, facts);
  if (media) return { call, callee: call.expression, at: media.name, label: mediaCommandLabel(media) };
  const name = fsFunctionName(member);
  if (name === undefined) return undefined;
  if (WRITE_FUNCTIONS.has(name)) return { call, callee: call.expression };
  if (OPEN_FUNCTIONS.has(name)) {
    const flags = stringValue(call.arguments[1]);
    if (flags !== undefined && /[wa+]/.test(flags)) return { call, callee: call.expression };
  }
  return undefined;
}

/**
 * Archive libraries whose call unpacks files into a folder: unzipper's `Extract({ path })` stream,
 * extract-zip's and decompress's default export, tar's `x`/`extract`. Reading an archive's entries
 * (`unzipper.Open.buffer(…)`, `tar.t(…)`) writes nothing.
 */
const ARCHIVE_EXTRACTS = new Map<string, ReadonlySet<string>>([
  ['unzipper', new Set(['Extract'])],
  ['extract-zip', new Set(['', 'default'])],
  ['decompress', new Set(['', 'default'])],
  ['tar', new Set(['x', 'extract'])],
]);

/**
 * adm-zip's instance writing the archive to a file or unpacking it into a folder (`zip.writeZip(file)`,
 * `new AdmZip(upload).extractAllTo(dir)`, and their promise and async forms). Reading entries writes nothing.
 */
function writesArchive(call: ts.CallExpression, facts: FileFacts): boolean {
  const run = libraryInstanceCall(call, facts, ADM_ZIP_WRITES);
  return run?.module === 'adm-zip' && run.className === '';
}
const ADM_ZIP_WRITES = new Set(['writeZip', 'writeZipPromise', 'extractAllTo', 'extractAllToAsync', 'extractEntryTo']);

/**
 * Image libraries saving their result to a path: sharp's `sharp(input).resize(…).toFile(path)`, Jimp's
 * `image.write(path)` / `writeAsync(path)` on an image `Jimp.read(…)` or `new Jimp(…)` made, gm's
 * `gm(input).resize(…).write(path, done)`. The receiver is followed through the chain and through
 * locals and module bindings to the library's own call; their in-memory results (`toBuffer()`,
 * `getBufferAsync()`) and another package's method of the same name write nothing.
 */
const IMAGE_SAVES = new Map<string, ReadonlySet<string>>([
  ['sharp', new Set(['toFile'])],
  ['jimp', new Set(['write', 'writeAsync'])],
  ['gm', new Set(['write'])],
]);
const IMAGE_SAVE_METHODS = new Set(['toFile', 'write', 'writeAsync']);

function savesImage(call: ts.CallExpression, facts: FileFacts): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !IMAGE_SAVE_METHODS.has(callee.name.text) || call.arguments.length === 0) return false;
  const module = imageLibraryOf(callee.expression, facts, 0);
  return module !== undefined && IMAGE_SAVES.get(module)!.has(callee.name.text);
}

/** The image library whose call a receiver comes from (`sharp(data).png()`, `await Jimp.read(file)`, a local holding either); undefined for anything else. */
function imageLibraryOf(expression: ts.Expression, facts: FileFacts, depth: number, libraries: ReadonlyMap<string, unknown> = IMAGE_SAVES): string | undefined {
  if (depth > 12) return undefined;
  let value = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  if (ts.isIdentifier(value)) {
    const declaration = facts.topLevel.get(value.text);
    const initializer = localInitializer(value) ?? (declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined);
    return initializer && initializer !== expression ? imageLibraryOf(initializer, facts, depth + 1, libraries) : undefined;
  }
  if (!ts.isCallExpression(value) && !ts.isNewExpression(value)) return undefined;
  const module = resolveImportedMember(value.expression, facts.imports)?.module;
  if (module !== undefined) return libraries.has(module) ? module : undefined;
  const callee = skipOuterExpressions(value.expression);
  return ts.isPropertyAccessExpression(callee) ? imageLibraryOf(callee.expression, facts, depth + 1, libraries) : undefined;
}

/** The text a string expression starts with: a literal, a template's head, the left end of a `+` chain; undefined for anything else. */
function leadingText(value: ts.Expression): string | undefined {
  if (ts.isStringLiteralLike(value)) return value.text;
  if (ts.isTemplateExpression(value)) return value.head.text;
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken) return leadingText(skipOuterExpressions(value.left));
  return undefined;
}

/**
 * fluent-ffmpeg's command writing its output into a file or a folder: `ffmpeg(input)….save(path)`,
 * `.output(path)` (run by a later `.run()`), and the frames `.screenshots({ folder, filename })`,
 * `.screenshot(options, folder)`, `.takeScreenshots(…)`, `.thumbnail(s)(…)` write (into the working
 * folder when none is named). The command is followed through the chain and through locals to the
 * library's call, `new` or not. An output that is a stream (`.output(res)`, `.output(passThrough)`) writes
 * nothing to this disk; nor does another package's `save` or `output`.
 */
const MEDIA_SAVES = new Map<string, ReadonlySet<string>>([
  ['fluent-ffmpeg', new Set(['save', 'output', 'screenshots', 'screenshot', 'takeScreenshots', 'thumbnail', 'thumbnails'])],
]);
const MEDIA_PATH_OUTPUTS = new Set(['save', 'output']);

/** The output method's access (`….screenshots`) when the call writes the command's output to this disk. */
function savesMedia(call: ts.CallExpression, facts: FileFacts): ts.PropertyAccessExpression | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !MEDIA_SAVES.get('fluent-ffmpeg')!.has(callee.name.text)) return undefined;
  if (MEDIA_PATH_OUTPUTS.has(callee.name.text) && (call.arguments.length === 0 || isStreamTarget(call.arguments[0]))) return undefined;
  const module = imageLibraryOf(callee.expression, facts, 0, MEDIA_SAVES);
  return module !== undefined && MEDIA_SAVES.get(module)!.has(callee.name.text) ? callee : undefined;
}

/** `ffmpeg(…).screenshots` for `ffmpeg(input).on(…).screenshots`, `command.save` for a command held in a local: the chain's start and the output method. */
function mediaCommandLabel(access: ts.PropertyAccessExpression): string {
  let root = skipOuterExpressions(access.expression);
  while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(skipOuterExpressions(root.expression))) root = skipOuterExpressions((skipOuterExpressions(root.expression) as ts.PropertyAccessExpression).expression);
  const start = ts.isCallExpression(root) || ts.isNewExpression(root) ? `${root.expression.getText()}(…)` : root.getText();
  return `${start.replace(/\s+/g, '')}.${access.name.text}`;
}

/**
 * An output that is no file of this disk: the response or a stream (`res`, `reply.raw`, `passThrough`, a local made by
 * `new PassThrough()` or `createWriteStream(…)`, whose own write is found on its own), or a URL the command streams to
 * (`'rtmp://live.example.com/app/' + key`, `this.rtmpUrl`, `pipe:1`).
 */
function isStreamTarget(target: ts.Expression, depth = 0): boolean {
  if (depth > 8) return false;
  const value = skipOuterExpressions(target);
  const start = leadingText(value);
  if (start !== undefined) return /^[a-z][a-z0-9+.-]+:/i.test(start);
  if (ts.isNewExpression(value) || ts.isCallExpression(value)) return /stream|passthrough/i.test(value.expression.getText());
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return false;
  // A name: the response, a name that says stream or URL, or a local made by a stream's constructor.
  const text = value.getText().replace(/\s+/g, '');
  if (/^(?:res|resp|response|reply(?:\.raw)?|ctx\.res|ctx\.response)$/.test(text) || /(?:stream|passthrough|socket|url|uri)$/i.test(text) || /rtmp|rtsp/i.test(text)) return true;
  const initializer = ts.isIdentifier(value) ? localInitializer(value) : undefined;
  return initializer !== undefined && initializer !== target && isStreamTarget(initializer, depth + 1);
}

/**
 * Bun's file API: `Bun.write(path, data)` with `Bun` the runtime's global (not a local or an import),
 * or the same function imported from the runtime's module (`import { write } from 'bun'`).
 */
function isBunWrite(call: ts.CallExpression, facts: FileFacts): boolean {
  const member = resolveImportedMember(call.expression, facts.imports);
  if (member?.module === 'bun') return member.path.join('.') === 'write' && call.arguments.length >= 2;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'write' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Bun') return false;
  return call.arguments.length >= 2 && !facts.imports.has('Bun') && !facts.topLevel.has('Bun') && !isBoundAbove(callee.expression);
}

/** A parameter or local of a function around the name binds it (`function save(Bun) { Bun.write(…) }`). */
function isBoundAbove(name: ts.Identifier): boolean {
  for (let node: ts.Node | undefined = name.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node) && node.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name.text)) return true;
  }
  return localInitializer(name) !== undefined;
}

/**
 * File libraries with their own names, each method under the fs or fs-extra name of what it does:
 * fs-jetpack's methods are synchronous unless they end in `Async`; rimraf's module is the removal
 * itself (`rimraf(dir, done)`, `rimraf.sync(dir)`, v4's `{ rimraf, rimrafSync }`).
 */
const FILE_LIBRARIES = new Map<string, ReadonlyMap<string, string>>([
  ['fs-jetpack', new Map([
    ['write', 'writeFileSync'], ['writeAsync', 'writeFile'], ['append', 'appendFileSync'], ['appendAsync', 'appendFile'],
    ['copy', 'copySync'], ['copyAsync', 'copy'], ['move', 'moveSync'], ['moveAsync', 'move'], ['rename', 'renameSync'],
    ['renameAsync', 'rename'], ['remove', 'removeSync'], ['removeAsync', 'remove'], ['file', 'ensureFileSync'],
    ['fileAsync', 'ensureFile'], ['dir', 'mkdirsSync'], ['dirAsync', 'mkdirs'], ['createWriteStream', 'createWriteStream'],
    ['symlink', 'symlinkSync'], ['symlinkAsync', 'symlink'],
  ])],
  ['rimraf', new Map([
    ['', 'remove'], ['rimraf', 'remove'], ['sync', 'removeSync'], ['rimrafSync', 'removeSync'],
    ['native', 'remove'], ['nativeSync', 'removeSync'], ['manual', 'remove'], ['manualSync', 'removeSync'],
  ])],
]);

function fsFunctionName(member: ImportBinding | undefined): string | undefined {
  if (!member) return undefined;
  const library = FILE_LIBRARIES.get(member.module);
  if (library) return member.path.length <= 1 ? library.get(member.path[0] ?? '') : undefined;
  if (!FS_MODULES.has(member.module)) return undefined;
  const path = member.path;
  if (path.length === 1) return path[0];
  if (path.length === 2 && path[0] === 'promises') return path[1];
  return undefined;
}

function isRemoveCall(call: CallLike, facts: FileFacts): boolean {
  if (!ts.isCallExpression(call)) return false;
  const name = fsFunctionName(resolveImportedMember(call.expression, facts.imports));
  return name !== undefined && REMOVE_FUNCTIONS.has(name);
}

/**
 * express-fileupload: `req.files.avatar.mv(path)`, or `file.mv(path)` with `const file = req.files…`,
 * or with `file` a parameter declared as express-fileupload's `UploadedFile` (a service method the
 * controller hands the upload: `savePhoto(id: number, photo: UploadedFile)`); AdonisJS's
 * `request.file('avatar').move(folder)`.
 */
export function isFileUploadMove(call: CallLike, imports?: ImportTable): boolean {
  if (!ts.isCallExpression(call) || call.arguments.length === 0) return false;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'move') return isAdonisUpload(skipOuterExpressions(callee.expression));
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'mv') return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (/\bfiles\b/.test(receiver.getText())) return true;
  if (!ts.isIdentifier(receiver)) return false;
  const initializer = localInitializer(receiver);
  if (initializer !== undefined) return /\bfiles\b/.test(initializer.getText());
  return imports !== undefined && isUploadedFileParameter(receiver, imports);
}

/** AdonisJS's request body: `request.file('avatar')`, `ctx.request.files('photos')`, `request.allFiles()`. */
const ADONIS_UPLOAD = /^(?:ctx\.|context\.)?request\.(?:file|files|allFiles)\s*\(/;

/**
 * AdonisJS: `request.file('icon').move(folder)`, or `icon.move(folder, { name })` with `const icon =
 * request.file('icon', { size: '2mb' })` (v4 and v5 keep the upload where `move` puts it; v6's
 * `moveToDisk` hands it to Drive, whose disk is judged apart).
 */
function isAdonisUpload(receiver: ts.Expression): boolean {
  if (ADONIS_UPLOAD.test(receiver.getText())) return true;
  if (!ts.isIdentifier(receiver)) return false;
  const initializer = localInitializer(receiver);
  if (initializer === undefined) return false;
  const value = skipOuterExpressions(initializer);
  return ADONIS_UPLOAD.test((ts.isAwaitExpression(value) ? value.expression : value).getText());
}

/** `photo` is a parameter of an enclosing function whose declared type is (or is a union with) express-fileupload's `UploadedFile`. */
function isUploadedFileParameter(name: ts.Identifier, imports: ImportTable): boolean {
  for (let current: ts.Node | undefined = name.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const parameter = current.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name.text);
    if (!parameter) continue;
    const types = parameter.type && ts.isUnionTypeNode(parameter.type) ? parameter.type.types : parameter.type ? [parameter.type] : [];
    return types.some((type) => {
      if (!ts.isTypeReferenceNode(type)) return false;
      const typeName = type.typeName;
      const [local, path] = ts.isIdentifier(typeName) ? [typeName.text, [] as string[]] : ts.isIdentifier(typeName.left) ? [typeName.left.text, [typeName.right.text]] : [undefined, []];
      const binding = local === undefined ? undefined : imports.get(local);
      return binding?.module === 'express-fileupload' && [...binding.path, ...path].join('.') === 'UploadedFile';
    });
  }
  return false;
}

/**
 * `writeFileSync(pathTemp, data); renameSync(pathTemp, pathReal)`: a file written under a temporary
 * name and renamed into place is one save, reported at the write; the rename adds no second finding.
 */
export function isRenameOfOwnWrite(call: ts.CallExpression, fn: FunctionNode | undefined, facts: FileFacts): boolean {
  const name = fsFunctionName(resolveImportedMember(call.expression, facts.imports));
  const source = call.arguments[0];
  if (!fn || !source || !(name === 'rename' || name === 'renameSync' || name === 'move' || name === 'moveSync')) return false;
  const sourceText = source.getText().replace(/\s+/g, '');
  return facts.calls.some(({ node, function: owner }) => {
    if (node === call || owner !== fn || node.end > call.getStart() || !fsWriteCall(node, facts)) return false;
    const written = writtenPath(node as ts.CallExpression, facts);
    return written !== undefined && written.getText().replace(/\s+/g, '') === sourceText;
  });
}

/** The path a write call creates: the destination of a rename, move, copy or link, else the first argument. */
function writtenPath(call: ts.CallExpression, facts: FileFacts): ts.Expression | undefined {
  const name = fsFunctionName(resolveImportedMember(call.expression, facts.imports)) ?? '';
  return /^(rename|move|copy|copyFile|cp|link|symlink)(Sync)?$/.test(name) ? call.arguments[1] : call.arguments[0];
}

/**
 * A write to a file under a temp folder (`os.tmpdir()`, a `tmp`/`temp` name such as
 * `config.temp_directory`) that the same function removes again (`unlink`, `rm`, or a helper of the
 * project that removes its parameter, `deleteTmpFile(newPath)`, when the path's value is in a temp
 * folder, not only its name): scratch space for one request, not state. The function is the one that names the path: a removal in a sibling callback of the same
 * handler (`.then(() => pipe(…, createWriteStream(tmp))).catch(() => deleteTmpFile(tmp))`) counts.
 */
export function isRemovedTempFile(
  write: ts.CallExpression,
  fn: FunctionNode | undefined,
  facts: FileFacts,
  removesArgument: (call: ts.CallExpression, index: number) => boolean = () => false,
): boolean {
  const target = write.arguments[0];
  if (!target || !fn) return false;
  const written = writtenPath(write, facts);
  if (written && removedByOwnFlow(written, fn, facts)) return true;
  // `copyFile(scratch, 'pages/1.html')`: a copy or move out of scratch stores its destination, whatever becomes of the source.
  const destination = copiedTo(write, facts);
  if (destination && !isScratchPath(destination) && !isTempLibraryPath(destination, facts)) return false;
  // The names the path is built from, followed through local initializers:
  // video = path.join(workDir, 'in.mp4'), workDir = await mkdtemp(path.join(os.tmpdir(), 'x-'))
  const names = new Set<string>();
  const madeByLibrary = isTempLibraryPath(target, facts);
  let isTemp = madeByLibrary || mentionsTempDir(target) || TEMP_NAME.test(target.getText());
  // What the path's value says, past the local's own name (`tempPath = join(this.backupPath, name)` is no temp folder).
  let valueIsTemp = madeByLibrary || (!ts.isIdentifier(skipOuterExpressions(target)) && isTemp);
  const pending: ts.Node[] = [target];
  for (let guard = 0; pending.length > 0 && guard < 32; guard++) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && !names.has(node.text)) {
        const initializer = localInitializer(node);
        if (initializer) {
          names.add(node.text);
          const temp = mentionsTempDir(initializer) || TEMP_NAME.test(initializer.getText());
          isTemp ||= temp;
          valueIsTemp ||= temp;
          pending.push(initializer);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(pending.shift()!);
  }
  if (!isTemp) return removedInOwnFinally(target, fn, facts);
  const scope = awaitingFunction(namingFunction(target, fn, facts), facts);
  // The same path, or one built from the path's own locals (`rm(workDir)` for a file in it); a
  // property of the same name (`exportDb.path` beside a local `path`) is another file.
  const isSamePath = (removed: ts.Expression): boolean => removed.getText() === target.getText() || identifiersOf(removed).some((name) => names.has(name));
  for (const { node, function: owner } of facts.calls) {
    if (!ts.isCallExpression(node) || !isWithin(owner, scope, facts)) continue;
    if (isRemoveCall(node, facts) ? node.arguments[0] !== undefined && isSamePath(node.arguments[0]) : valueIsTemp && node.arguments.some((argument, index) => isSamePath(argument) && removesArgument(node, index))) return true;
  }
  return valueIsTemp && removedByEveryCaller(target, fn, facts);
}

/**
 * `cpSync(profiles, exportDir); archive.directory(exportDir); output.on('close', () => { rmSync(exportDir,
 * { recursive: true }); … })`: the path a write creates (a copy's destination) is removed again, at
 * the same expression, later in the same function or a callback it defines, whatever happens in between:
 * the call's scratch space in whichever folder, by its use. A removal only where something failed or
 * was decided (a `catch`, an `error` handler, an `if`) leaves the file the other way keeps.
 */
function removedByOwnFlow(written: ts.Expression, fn: FunctionNode, facts: FileFacts): boolean {
  const text = written.getText().replace(/\s+/g, '');
  return facts.calls.some(({ node, function: owner }) => {
    if (!ts.isCallExpression(node) || node.pos < written.end || !isWithin(owner, fn, facts) || !isRemoveCall(node, facts)) return false;
    const removed = node.arguments[0];
    return removed !== undefined && removed.getText().replace(/\s+/g, '') === text && !isOnDecidedPath(node, fn);
  });
}

/** Inside a `catch`, an `if` or `?:`, a `.catch(…)` callback or an `error` handler, below `fn`. */
function isOnDecidedPath(node: ts.Node, fn: FunctionNode): boolean {
  for (let child: ts.Node = node, parent = node.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (ts.isCatchClause(parent) || ts.isIfStatement(parent) || ts.isConditionalExpression(parent)) return true;
    if (!ts.isCallExpression(parent) || !parent.arguments.includes(child as ts.Expression)) continue;
    const callee = skipOuterExpressions(parent.expression);
    if (!ts.isPropertyAccessExpression(callee)) continue;
    if (callee.name.text === 'catch') return true;
    if ((callee.name.text === 'on' || callee.name.text === 'once') && /error/i.test(stringValue(parent.arguments[0]) ?? '')) return true;
  }
  return false;
}

/**
 * `async function createTempWorkerFile(code) { const file = path.join(os.tmpdir(), …); await writeFile(file, …);
 * return file; }` whose every caller in the file keeps the path (`const script = await createTempWorkerFile(code)`)
 * and removes it (`fs.rmSync(script)`, in a callback of its own too): a scratch file one call makes and
 * its caller deletes, as if written in the caller.
 */
function removedByEveryCaller(target: ts.Expression, fn: FunctionNode, facts: FileFacts): boolean {
  const path = skipOuterExpressions(target);
  if (!ts.isIdentifier(path) || !('body' in fn) || !fn.body || !returnsName(fn.body, path.text)) return false;
  const name = ts.isFunctionDeclaration(fn) && fn.name ? fn.name.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  if (name === undefined) return false;
  const callers = facts.calls.filter(({ node }) => ts.isCallExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression)) && (skipOuterExpressions(node.expression) as ts.Identifier).text === name);
  return (
    callers.length > 0 &&
    callers.every(({ node, function: owner }) => {
      let holder: ts.Node = node;
      while (ts.isAwaitExpression(holder.parent) || ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
      const local = ts.isVariableDeclaration(holder.parent) && holder.parent.initializer === holder && ts.isIdentifier(holder.parent.name) ? holder.parent.name.text : undefined;
      if (local === undefined || !owner) return false;
      return facts.calls.some(({ node: removal, function: inside }) => isWithin(inside, owner, facts) && isRemoveCall(removal, facts) && removal.arguments?.[0] !== undefined && identifiersOf(removal.arguments[0]).includes(local));
    })
  );
}

/** Whether the function body hands back the local `name` (`return file`), not counting functions inside it. */
function returnsName(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== body)) return;
    if (ts.isReturnStatement(node) && node.expression && ts.isIdentifier(skipOuterExpressions(node.expression)) && (skipOuterExpressions(node.expression) as ts.Identifier).text === name) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * The function whose local the written path is (`const newPath = …` in the handler, written in a
 * `.then` callback of it), when that function holds the write; else the write's own function.
 */
function namingFunction(target: ts.Expression, fn: FunctionNode, facts: FileFacts): FunctionNode {
  const root = skipOuterExpressions(target);
  const initializer = ts.isIdentifier(root) ? localInitializer(root) : undefined;
  if (!initializer) return fn;
  const owner = ts.findAncestor(initializer.parent, (node) => facts.functions.has(node as FunctionNode)) as FunctionNode | undefined;
  return owner && isWithin(fn, owner, facts) ? owner : fn;
}

/**
 * `await Promise.all(notes.map(async (note) => { await writeFile(path.join(exportDir, name), text) }))`: a
 * callback run once per element, whose every run the function around it awaits (`Promise.all`,
 * `allSettled`, of a `map` over a list), is part of that function's flow, so a write there into a
 * folder the function removes after the wait is the function's scratch as much as one written in its
 * own body. A callback nothing waits for (`forEach`, a `map` left unawaited) may still be writing
 * when the removal runs, and keeps its own scope.
 */
function awaitingFunction(fn: FunctionNode, facts: FileFacts): FunctionNode {
  let scope = fn;
  for (let depth = 0; depth < 4; depth++) {
    const waited = awaitedElementCallback(scope);
    const outer = waited ? facts.functions.get(scope)?.parent : undefined;
    if (!outer) break;
    scope = outer;
  }
  return scope;
}

const PROMISE_COMBINATORS = new Set(['all', 'allSettled']);

function awaitedElementCallback(fn: FunctionNode): boolean {
  const map = fn.parent;
  if (!ts.isCallExpression(map) || map.arguments[0] !== fn || !ts.isPropertyAccessExpression(map.expression) || map.expression.name.text !== 'map') return false;
  const combinator = skipParents(map);
  if (!ts.isCallExpression(combinator) || !combinator.arguments.some((argument) => skipOuterExpressions(argument) === map)) return false;
  const callee = skipOuterExpressions(combinator.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Promise' || !PROMISE_COMBINATORS.has(callee.name.text)) return false;
  let holder = combinator.parent;
  while (ts.isParenthesizedExpression(holder)) holder = holder.parent;
  return ts.isAwaitExpression(holder) || ts.isReturnStatement(holder);
}

/**
 * `const deleteTmpFile = async (file) => { await jetpack.removeAsync(file) }`: the function removes
 * the file its parameter names, whatever else it does (logs a failure).
 */
export function removesParameter(fn: FunctionNode, index: number): boolean {
  const parameter = fn.parameters[index];
  if (!parameter || !ts.isIdentifier(parameter.name)) return false;
  const name = parameter.name.text;
  const facts = getFileFacts(fn.getSourceFile());
  return facts.calls.some(({ node, function: owner }) => {
    if (!isWithin(owner, fn, facts) || !isRemoveCall(node, facts)) return false;
    const removed = node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
    return removed !== undefined && ts.isIdentifier(removed) && removed.text === name;
  });
}

/**
 * `await fs.writeFile(file, json); await nfs.upload(file, { key })`, `bucket.upload(localPath)`,
 * `minio.fPutObject(bucket, key, file)`, `cloudinary.uploader.upload(file)`: a file written only to
 * be handed, by its path, to an upload into shared storage later in the same function. The stored
 * copy is the uploaded one; the local file is its staging copy, whichever folder it is in.
 */
export function isStagedForUpload(write: ts.CallExpression, fn: FunctionNode | undefined, facts: FileFacts): boolean {
  const target = writtenPath(write, facts);
  const value = target && skipOuterExpressions(target);
  if (!fn || !value || !ts.isIdentifier(value) || !isLocalOf(value, fn)) return false;
  return facts.calls.some(({ node, function: owner }) => {
    if (!ts.isCallExpression(node) || node.pos < write.end || !isWithin(owner, fn, facts)) return false;
    const callee = skipOuterExpressions(node.expression);
    return ts.isPropertyAccessExpression(callee) && UPLOADS_BY_PATH.has(callee.name.text) && node.arguments.some((argument) => {
      const passed = skipOuterExpressions(argument);
      return ts.isIdentifier(passed) && passed.text === value.text;
    });
  });
}

/**
 * `writeFileSync(file, json); await git.add([file]); await git.commit(msg); await git.push('origin', 'main')`: a
 * file written into a git working copy that the same function then commits and pushes, with simple-git or
 * isomorphic-git (the file imports one), or with a `git push` command it runs. The remote repository is the
 * shared store; the working copy is its staging copy, as a file staged for an upload is.
 */
export function isCommittedAndPushed(write: ts.CallExpression, fn: FunctionNode | undefined, facts: FileFacts): boolean {
  if (!fn) return false;
  const usesGitLibrary = [...facts.imports.values()].some((binding) => GIT_LIBRARIES.has(binding.module));
  const later = facts.calls.filter(({ node, function: owner }) => ts.isCallExpression(node) && node.pos >= write.end && isWithin(owner, fn, facts)).map(({ node }) => node as ts.CallExpression);
  const member = (call: ts.CallExpression): { receiver: string; name: string } | undefined => {
    const callee = skipOuterExpressions(call.expression);
    return ts.isPropertyAccessExpression(callee) ? { receiver: skipOuterExpressions(callee.expression).getText(), name: callee.name.text } : undefined;
  };
  if (usesGitLibrary) {
    const commits = new Set(later.flatMap((call) => (member(call)?.name === 'commit' ? [member(call)!.receiver] : [])));
    if (later.some((call) => member(call)?.name === 'push' && commits.has(member(call)!.receiver))) return true;
  }
  return later.some((call) => call.arguments.some((argument) => GIT_PUSH_COMMAND.test(stringValue(argument) ?? '')) && rootModuleOf(call, facts) === 'child_process');
}

const GIT_LIBRARIES = new Set(['simple-git', 'isomorphic-git']);
const GIT_PUSH_COMMAND = /(?:^|&&\s*|;\s*)git\s+push\b/;

/** Storage clients' methods that read a local file by its path and store it remotely. */
const UPLOADS_BY_PATH = new Set(['upload', 'uploadFile', 'fPutObject', 'putFile', 'uploadFromPath']);

/**
 * `const dir = await mkdtemp(join(tmpdir(), 'x-')); const input = join(dir, 'in'); await
 * writeFile(input, data); ffmpeg(input)…; return readFile(join(dir, 'out.png'))`: a file written into
 * a folder `mkdtemp` just made under a random name, where the folder and the paths built from it are
 * only handed to fs, path and the converters the call runs, never returned, stored or passed on. No
 * later request can name that folder, so the file is scratch of this call even when nothing removes
 * it (a leak of this disk, not data another instance misses).
 */
export function isPrivateTempFolderFile(write: ts.CallExpression, fn: FunctionNode | undefined, facts: FileFacts): boolean {
  // The folder may be made by a function around the one that writes (`await new Promise((done) => ffmpeg(input).on('end', done).screenshots({ folder: dir }))`).
  for (let scope: ts.Node | undefined = fn, depth = 0; scope && depth < 4; scope = scope?.parent, depth++) {
    while (scope && !ts.isFunctionLike(scope)) scope = scope.parent;
    if (scope && isPrivateTempFolderFileIn(write, scope as FunctionNode, facts)) return true;
  }
  return false;
}

function isPrivateTempFolderFileIn(write: ts.CallExpression, fn: FunctionNode | undefined, facts: FileFacts): boolean {
  const target = write.arguments[0];
  if (!target || !fn) return false;
  // The locals the path is built from, followed back to the mkdtemp call that made the folder.
  const names = new Set<string>();
  let madeByMkdtemp = false;
  const pending: ts.Node[] = [target];
  for (let guard = 0; pending.length > 0 && guard < 32; guard++) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && !names.has(node.text)) {
        const initializer = localInitializer(node);
        if (initializer && ts.findAncestor(initializer, (ancestor) => ancestor === fn)) {
          names.add(node.text);
          madeByMkdtemp ||= isMkdtempCall(skipOuterExpressions(initializer), facts);
          pending.push(initializer);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(pending.shift()!);
  }
  if (!madeByMkdtemp) return false;
  // Every use of those names, and of the locals built from them, stays inside this call.
  let escapes = false;
  for (let grown = true, guard = 0; grown && !escapes && guard < 8; guard++) {
    grown = false;
    const visit = (node: ts.Node): void => {
      if (escapes) return;
      if (ts.isIdentifier(node) && names.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isVariableDeclaration(node.parent) && node.parent.name === node)) {
        const use = useOfPath(node, fn, facts);
        if (use === 'escapes') escapes = true;
        else if (use !== 'stays' && !names.has(use.builds)) {
          names.add(use.builds);
          grown = true;
        }
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn, visit);
  }
  return !escapes;
}

/** fs calls that put a file at their second path, copying or moving the first there. */
const COPY_OR_MOVE = new Set(['rename', 'renameSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'copy', 'copySync', 'move', 'moveSync', 'link', 'linkSync', 'symlink', 'symlinkSync']);

/** The destination of a copy or move (`copyFile(src, dest)`), or `undefined` for a write of its own path. */
function copiedTo(call: ts.CallExpression, facts: FileFacts): ts.Expression | undefined {
  const name = fsFunctionName(resolveImportedMember(call.expression, facts.imports));
  return name !== undefined && COPY_OR_MOVE.has(name) ? call.arguments[1] : undefined;
}

function isMkdtempCall(node: ts.Node, facts: FileFacts): boolean {
  const call = ts.isAwaitExpression(node) ? skipOuterExpressions(node.expression) : node;
  if (!ts.isCallExpression(call)) return false;
  const name = fsFunctionName(resolveImportedMember(call.expression, facts.imports));
  return name === 'mkdtemp' || name === 'mkdtempSync';
}

/** Converters a request runs on a scratch path and waits for: the path goes to their process, not to a later request. */
const SCRATCH_CONSUMERS = new Set(['fluent-ffmpeg', 'sharp', 'jimp', 'child_process', 'execa', 'cross-spawn', 'gm']);

/**
 * Where a use of a scratch path leads: it `stays` (an fs call, a converter, a condition), it
 * names a new local built from it (`const out = join(dir, 'out.png')`), or it `escapes`:
 * returned, assigned to something outside the function's locals, or handed to any other call.
 */
function useOfPath(reference: ts.Identifier, fn: FunctionNode, facts: FileFacts): 'stays' | 'escapes' | { builds: string } {
  let node: ts.Node = reference;
  for (let parent = node.parent; parent && parent !== fn; node = parent, parent = parent.parent) {
    if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node)) return 'escapes';
    if (ts.isVariableDeclaration(parent) && parent.initializer === node) return ts.isIdentifier(parent.name) ? { builds: parent.name.text } : 'escapes';
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && parent.right === node) {
      const local = ts.isIdentifier(parent.left) ? localInitializer(parent.left) : undefined;
      return local && ts.findAncestor(local, (ancestor) => ancestor === fn) && ts.isIdentifier(parent.left) ? { builds: parent.left.text } : 'escapes';
    }
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node as ts.Expression)) {
      const consumer = rootModuleOf(parent, facts);
      if (consumer === 'path') continue;
      if (ts.isCallExpression(parent) && fsFunctionName(resolveImportedMember(parent.expression, facts.imports)) !== undefined) return 'stays';
      return consumer !== undefined && SCRATCH_CONSUMERS.has(consumer) ? 'stays' : 'escapes';
    }
    if (ts.isStatement(parent)) return 'stays';
  }
  return 'stays';
}

/** The module a call or a chain of calls on its result comes from: `ffmpeg(input).on(…).screenshots(…)` is fluent-ffmpeg's. */
function rootModuleOf(call: ts.CallExpression | ts.NewExpression, facts: FileFacts): string | undefined {
  let callee = skipOuterExpressions(call.expression);
  while (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(skipOuterExpressions(callee.expression))) callee = skipOuterExpressions((skipOuterExpressions(callee.expression) as ts.CallExpression).expression);
  return resolveImportedMember(callee, facts.imports)?.module;
}

/**
 * `fs.unlink(path.join('public/avatars', old))` on a request path: a stored file removed from this
 * instance's disk only; the others keep their copy, or never had it. Scratch files are left alone:
 * a path under a temp folder (`os.tmpdir()`, a `tmp`/`temp` name), an upload's own temp file
 * (`req.file.path`, `files.image.filepath`, a name built from `req.file`), or a file the same function
 * writes itself.
 */
export function fsRemoveOfStoredFile(call: CallLike, fn: FunctionNode | undefined, facts: FileFacts): DiskWriteCall | undefined {
  if (!ts.isCallExpression(call) || !fn || !isRemoveCall(call, facts) || removesOnlyAnEmptyFolder(call, facts)) return undefined;
  const target = call.arguments[0];
  if (!target || isUploadTempPath(target)) return undefined;
  const names = pathNames(target);
  const texts = [target, ...names.values()];
  if (texts.some((node) => mentionsTempDir(node) || TEMP_NAME.test(node.getText()) || REQUEST_UPLOAD.test(node.getText()))) return undefined;
  // `tempWrite(pem).then((file) => … unlinkSync(file))`: a random temp path a library made for this call.
  if (isTempLibraryPath(target, facts)) return undefined;
  if (isOwnFinallyCleanup(call, fn) || isRemovedOnceSent(call, fn)) return undefined;
  for (const { node, function: owner } of facts.calls) {
    // The write in the same function, in one it defines, or in one around it (`res.download(out, () => fs.unlink(out))`).
    if (node === call || !owner || !(isWithin(owner, fn, facts) || isWithin(fn, owner, facts)) || !fsWriteCall(node, facts)) continue;
    // The path written, or a copy's or move's destination as well as its source.
    for (const written of new Set([node.arguments?.[0], writtenPath(node as ts.CallExpression, facts)])) {
      if (written === undefined) continue;
      // The same file, or one built from the same names: scratch, or a folder cleared to be written again (the write is the finding).
      const writtenNames = new Set([...pathNames(written).keys(), ...identifiersOf(written)]);
      if (written.getText() === target.getText() || [...names.keys(), ...identifiersOf(target)].some((name) => writtenNames.has(name))) return undefined;
    }
  }
  return { call, callee: call.expression };
}

/**
 * `fs.rmdir(dir)` and `rmdirSync(dir)` without `recursive`: the call fails unless the folder is
 * empty, so it removes no data; the removals of the files it held are the findings. Options that are
 * not written out might ask for `recursive`, and stay reported.
 */
function removesOnlyAnEmptyFolder(call: ts.CallExpression, facts: FileFacts): boolean {
  const name = fsFunctionName(resolveImportedMember(call.expression, facts.imports));
  if (name !== 'rmdir' && name !== 'rmdirSync') return false;
  const options = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  if (options === undefined || ts.isFunctionLike(options)) return true;
  if (!ts.isObjectLiteralExpression(options)) return false;
  return options.properties.every((property) => {
    if (ts.isSpreadAssignment(property)) return false;
    if (property.name === undefined || propertyNameText(property.name) !== 'recursive') return true;
    return ts.isPropertyAssignment(property) && skipOuterExpressions(property.initializer).kind === SyntaxKind.FalseKeyword;
  });
}

/**
 * `res.sendFile(zipPath, (err) => { if (!err) fs.unlinkSync(zipPath) })`, `res.download(file, () =>
 * rm(file))`: the file is removed in the callback the response calls once it has sent that same
 * file. The file was made for this response (an archive, an export); the removal is its cleanup,
 * not a stored file deleted.
 */
function isRemovedOnceSent(removal: ts.CallExpression, fn: FunctionNode): boolean {
  const removed = removal.arguments[0] && skipOuterExpressions(removal.arguments[0]);
  if (!removed || !ts.isIdentifier(removed) || !ts.isCallExpression(fn.parent) || !fn.parent.arguments.includes(fn as ts.Expression)) return false;
  const callee = skipOuterExpressions(fn.parent.expression);
  const sent = fn.parent.arguments[0] && skipOuterExpressions(fn.parent.arguments[0]);
  return ts.isPropertyAccessExpression(callee) && SENDS_FILE.has(callee.name.text) && RESPONSE_NAME.test(skipOuterExpressions(callee.expression).getText()) && sent !== undefined && ts.isIdentifier(sent) && sent.text === removed.text;
}

/** Express's methods that send a file by its path and call back once it is sent. */
const SENDS_FILE = new Set(['sendFile', 'sendfile', 'download']);
const RESPONSE_NAME = /^(?:res|resp|response)$/;

/**
 * `const file = join(dir, name); try { await store.download(key, file); … } finally { fs.unlink(file, noop) }`:
 * the function's `finally` removes, whatever happens, a file at a path of its own (a local, not a
 * parameter) that the `try` hands on. That file is the call's scratch space in whichever folder it
 * lies: the removal is cleanup, not a stored file deleted. A stored file is removed on purpose, never
 * as a `finally`'s cleanup.
 */
function isOwnFinallyCleanup(removal: ts.CallExpression, fn: FunctionNode): boolean {
  const target = removal.arguments[0] && skipOuterExpressions(removal.arguments[0]);
  if (!target || !ts.isIdentifier(target) || !isLocalOf(target, fn)) return false;
  const attempt = finallyAround(removal, fn);
  return attempt !== undefined && handsOn(attempt.tryBlock, target.text);
}

/**
 * A write whose path the same function's `finally` removes again (`ws = createWriteStream(file)`
 * before `try { … } finally { unlink(file) }`): scratch space of the call, in whichever folder.
 */
function removedInOwnFinally(target: ts.Expression, fn: FunctionNode, facts: FileFacts): boolean {
  const value = skipOuterExpressions(target);
  if (!ts.isIdentifier(value) || !isLocalOf(value, fn)) return false;
  return facts.calls.some(({ node, function: owner }) => {
    if (owner !== fn || !isRemoveCall(node, facts) || node.pos < target.end) return false;
    const removed = node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
    return removed !== undefined && ts.isIdentifier(removed) && removed.text === value.text && finallyAround(node, fn) !== undefined;
  });
}

/** The `try` statement whose `finally` block holds the node, within `fn`. */
function finallyAround(node: ts.Node, fn: FunctionNode): ts.TryStatement | undefined {
  for (let child: ts.Node = node, parent = node.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (ts.isTryStatement(parent) && parent.finallyBlock === child) return parent;
  }
  return undefined;
}

/** A `const`/`let`/`var` declared in `fn` itself (a parameter is the caller's file). */
function isLocalOf(identifier: ts.Identifier, fn: FunctionNode): boolean {
  const initializer = localInitializer(identifier);
  if (initializer) return initializer.pos >= fn.pos && initializer.end <= fn.end;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === identifier.text) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** Whether a call in the block is given the name as an argument (`download(key, file)`). */
function handsOn(block: ts.Block, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.arguments.some((argument) => ts.isIdentifier(skipOuterExpressions(argument)) && (skipOuterExpressions(argument) as ts.Identifier).text === name)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

const FOLDER_FUNCTIONS = new Set(['mkdir', 'mkdirSync', 'mkdirs', 'mkdirsSync', 'mkdirp', 'mkdirpSync', 'ensureDir', 'ensureDirSync']);

/** `req.body.name`, `request.params.slug`, `ctx.request.body.title`, `ctx.params.id`: what the client sent. */
const REQUEST_CHOSEN = /\b(?:req|request|ctx(?:\.request)?)\.(?:body|params|query)\b/;

/**
 * A folder named by the request and left as it is (`fs.mkdir(path.join(contentDir, req.body.category))`,
 * nothing written into it by the same function, its path handed nowhere after): the folder itself
 * is what the user stored, such as a category of a flat-file wiki. A folder made to write into is not
 * reported: the write into it is the finding (and a folder made at start-up is no request's).
 */
export function fsFolderAsContent(call: CallLike, fn: FunctionNode | undefined, facts: FileFacts): DiskWriteCall | undefined {
  if (!ts.isCallExpression(call) || !fn) return undefined;
  const name = fsFunctionName(resolveImportedMember(call.expression, facts.imports));
  const target = call.arguments[0];
  if (name === undefined || !FOLDER_FUNCTIONS.has(name) || !target) return undefined;
  const names = pathNames(target);
  const texts = [target, ...names.values()];
  const requestParameters = new Set(fn.parameters.filter(isRequestParameter).map((parameter) => parameter.name.getText()));
  const chosen = (node: ts.Expression): boolean => REQUEST_CHOSEN.test(node.getText()) || identifiersOf(node).some((identifier) => requestParameters.has(identifier));
  if (!texts.some(chosen) || texts.some((node) => mentionsTempDir(node) || TEMP_NAME.test(node.getText()))) return undefined;
  for (const { node, function: owner } of facts.calls) if (node !== call && isWithin(owner, fn, facts) && fsWriteCall(node, facts)) return undefined;
  let usedAfter = false;
  const visit = (node: ts.Node): void => {
    if (usedAfter) return;
    if (ts.isIdentifier(node) && node.pos >= call.end && names.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) usedAfter = true;
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return usedAfter ? undefined : { call, callee: call.expression };
}

/** A NestJS handler parameter the client fills: `@Param('slug') slug`, `@Body() body`, `@Query('q') q`. */
function isRequestParameter(parameter: ts.ParameterDeclaration): boolean {
  return ts.isIdentifier(parameter.name) && (ts.getDecorators(parameter) ?? []).some((decorator) => {
    const expression = decorator.expression;
    return ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && ['Param', 'Body', 'Query'].includes(expression.expression.text);
  });
}

/** Names a path expression is built from, each with its local initializer, followed through those initializers. */
function pathNames(target: ts.Expression): Map<string, ts.Expression> {
  const names = new Map<string, ts.Expression>();
  const pending: ts.Node[] = [target];
  for (let guard = 0; pending.length > 0 && guard < 32; guard++) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && !names.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
        const initializer = localInitializer(node);
        if (initializer) {
          names.set(node.text, initializer);
          pending.push(initializer);
        }
      }
      // A path kept in a field (`this.filePath = path.join(this.tmpDir, name)`): what the class assigns it.
      if (ts.isPropertyAccessExpression(node) && node.expression.kind === SyntaxKind.ThisKeyword && !names.has(`this.${node.name.text}`)) {
        fieldValues(node).forEach((value, index) => {
          names.set(index === 0 ? `this.${node.name.text}` : `this.${node.name.text}#${index}`, value);
          pending.push(value);
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(pending.shift()!);
  }
  return names;
}

/** The values a class gives one of its fields: its initializer and every `this.name = value` in the class. */
function fieldValues(access: ts.PropertyAccessExpression): ts.Expression[] {
  const owner = ts.findAncestor(access, ts.isClassLike);
  if (!owner) return [];
  const name = access.name.text;
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyDeclaration(node) && node.name.getText() === name && node.initializer) values.push(node.initializer);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.expression.kind === SyntaxKind.ThisKeyword && node.left.name.text === name) values.push(node.right);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(owner, visit);
  return values;
}

/** Plain identifiers of an expression (not property names), minus the ones every path shares: `path.join(dir, name)` → dir, name. */
function identifiersOf(node: ts.Node): string[] {
  const found: string[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && !(ts.isPropertyAccessExpression(child.parent) && child.parent.name === child)) found.push(child.text);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found.filter((name) => !COMMON_PATH_NAMES.has(name));
}

/** Names any two paths share without being the same file. */
const COMMON_PATH_NAMES = new Set(['path', 'join', 'resolve', 'fs', 'os', 'process', 'cwd', '__dirname', 'config', 'Config', 'this', 'String', 'Date', 'now']);

/** `tmpPath`, `tempFile`, `'/tmp/x'`, `TEMP_DIR`: a name or literal that says scratch space. */
const TEMP_NAME = /(?:^|[^a-z])(?:tmp|temp(?!lat))|Tmp|Temp(?!lat)|TMP|TEMP(?!LAT)/;

/** `req.file.filename`, `request.files`, `ctx.request.files`: the request's own upload, removed when the request fails. */
const REQUEST_UPLOAD = /\b(?:req|request|ctx\.request)\.files?\b/;

/** `req.file.path`, `files.image.filepath`, `upload.tempFilePath`: where an upload parser left the request's file. */
function isUploadTempPath(target: ts.Expression): boolean {
  const value = skipOuterExpressions(target);
  if (!ts.isPropertyAccessExpression(value) || !/^(path|filepath|filePath|tempFilePath|tmpPath)$/.test(value.name.text)) return false;
  return /\bfiles?\b|\bupload/i.test(value.expression.getText()) && !isLookedUpRecord(value.expression);
}

/**
 * `const file = await this.fileRepository.findOne({ where: { id } })`, `const upload = await
 * Upload.findById(id)`: a record of a stored file looked up by a call that is not given the request
 * (`form.parse(req)` and `request.saveRequestFiles()` do hand back the request's own temp files).
 */
function isLookedUpRecord(receiver: ts.Expression): boolean {
  let root = skipOuterExpressions(receiver);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const initializer = localInitializer(root);
  if (!initializer) return false;
  let value = skipOuterExpressions(initializer);
  if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  if (!ts.isCallExpression(value)) return false;
  // A method of the request, or the request or its upload handed over; a key such as req.params.id is only a lookup.
  if (REQUEST_OBJECT.test(value.expression.getText())) return false;
  return !value.arguments.some((argument) => REQUEST_OBJECT_ONLY.test(argument.getText()) || REQUEST_UPLOAD.test(argument.getText()));
}

/** The request object as frameworks name it: `req`, `request`, Koa's `ctx` (and its `ctx.req`, `ctx.request`), Hono's `c.req`. */
const REQUEST_OBJECT = /^(?:req|request|ctx|c\.req)\b/;
const REQUEST_OBJECT_ONLY = /^(?:req|request|ctx|c\.req|ctx\.req(?:uest)?)$/;

/** A path built on the OS temp folder (`os.tmpdir()`, `mkdtemp(…)`, `$TMPDIR`). */
export function mentionsTempDir(node: ts.Node): boolean {
  return /\btmpdir\s*\(|\bmkdtemp(Sync)?\s*\(|\bTMPDIR\b/.test(node.getText());
}

function isWithin(owner: FunctionNode | undefined, fn: FunctionNode, facts: FileFacts): boolean {
  for (let current = owner; current; current = facts.functions.get(current)?.parent) if (current === fn) return true;
  return false;
}

export interface DiskUploadConfig {
  node: ts.Node;
  library: string;
  detail: string;
}

const NEST_FILE_INTERCEPTORS = new Set(['FileInterceptor', 'FilesInterceptor', 'FileFieldsInterceptor', 'AnyFilesInterceptor']);
/** multer and its ports to other frameworks, which keep its options and storage engines (`dest`, `diskStorage`, `memoryStorage`). */
const MULTER_MODULES = new Set(['multer', 'fastify-multer', '@koa/multer', 'koa-multer']);

/** The tus protocol's file data store: `@tus/file-store`, and the older `tus-node-server` that carried it. */
const TUS_FILE_STORES = new Set(['@tus/file-store', 'tus-node-server']);

/** Upload middleware configured to keep files on local disk. */
export function findDiskUploadConfigs(facts: FileFacts): DiskUploadConfig[] {
  const found: DiskUploadConfig[] = [];
  for (const { node } of facts.calls) {
    const member = resolveImportedMember(node.expression, facts.imports);
    if (!member || isUnusedConfiguration(node, facts)) continue;
    const options = node.arguments?.[0] ? skipOuterExpressions(node.arguments[0]) : undefined;
    const objectOptions = options && ts.isObjectLiteralExpression(options) ? options : undefined;
    if (member.module === '@nestjs/platform-express') {
      // FileInterceptor('photo', { dest }) and MulterModule.register({ dest }) take multer's options.
      const nestOptions = NEST_FILE_INTERCEPTORS.has(member.path.join('.')) ? node.arguments?.[node.arguments.length - 1] : /^MulterModule\.register/.test(member.path.join('.')) ? node.arguments?.[0] : undefined;
      const value = nestOptions ? skipOuterExpressions(nestOptions) : undefined;
      const dest = value && ts.isObjectLiteralExpression(value) ? property(value, 'dest') : undefined;
      if (dest && !isOsTempDir(dest)) found.push({ node: dest, library: 'multer', detail: `\`${dest.getText().replace(/\s+/g, ' ')}\`` });
    } else if (MULTER_MODULES.has(member.module) && member.path.length === 0 && objectOptions) {
      const dest = property(objectOptions, 'dest');
      if (dest && !isOsTempDir(dest)) found.push({ node: dest, library: member.module, detail: `\`${dest.getText().replace(/\s+/g, ' ')}\`` });
    } else if (MULTER_MODULES.has(member.module) && member.path.join('.') === 'diskStorage') {
      const destination = objectOptions && property(objectOptions, 'destination');
      if (!node.arguments?.length || (objectOptions && (!destination || isOsTempDir(destination)))) continue;
      found.push({ node: node.expression, library: member.module, detail: `\`${node.expression.getText()}\`` });
    } else if (member.module === 'formidable' && objectOptions) {
      const uploadDir = property(objectOptions, 'uploadDir');
      if (uploadDir && !isOsTempDir(uploadDir) && !property(objectOptions, 'fileWriteStreamHandler')) found.push({ node: uploadDir, library: 'formidable', detail: `\`${uploadDir.getText().replace(/\s+/g, ' ')}\`` });
    } else if (member.module === 'koa-body' && /^(?:|koaBody|default)$/.test(member.path.join('.')) && objectOptions) {
      // koaBody({ multipart: true, formidable: { uploadDir } }): formidable under koa-body keeps the uploads in that folder.
      const multipart = property(objectOptions, 'multipart');
      const formidableOptions = property(objectOptions, 'formidable');
      const inner = formidableOptions && ts.isPropertyAssignment(formidableOptions) ? skipOuterExpressions(formidableOptions.initializer) : undefined;
      const uploadDir = inner && ts.isObjectLiteralExpression(inner) ? property(inner, 'uploadDir') : undefined;
      const parsesFiles = multipart !== undefined && !(ts.isPropertyAssignment(multipart) && multipart.initializer.kind === SyntaxKind.FalseKeyword);
      if (uploadDir && !isOsTempDir(uploadDir) && parsesFiles && inner && ts.isObjectLiteralExpression(inner) && !property(inner, 'fileWriteStreamHandler')) found.push({ node: uploadDir, library: 'koa-body', detail: `\`${uploadDir.getText().replace(/\s+/g, ' ')}\`` });
    } else if (member.module === 'jquery-file-upload-middleware' && (member.path.join('.') === 'fileHandler' || member.path.join('.') === 'configure') && node.arguments?.length) {
      // `upload.fileHandler({ uploadDir, uploadUrl })(req, res)`: the package writes every upload (and its resized
      // versions) into `uploadDir`, by default a `public/files` folder, and serves them from `uploadUrl`.
      const given = knownObject(node.arguments[0]);
      const uploadDir = given && property(given, 'uploadDir');
      if (given && (!uploadDir || !isOsTempDir(uploadDir))) found.push({ node: node.expression, library: member.module, detail: uploadDir ? `\`${optionValueText(uploadDir)}\`` : 'its default `public/files` folder' });
    } else if ((member.module === 'multiparty' && ts.isNewExpression(node) && member.path.join('.') === 'Form') || (member.module === 'connect-multiparty' && member.path.length === 0)) {
      // `new multiparty.Form({ uploadDir })`, `multipart({ uploadDir })`: uploads land in that folder (the OS temp folder by default).
      const given = node.arguments?.[0] ? knownObject(node.arguments[0]) : undefined;
      const uploadDir = given && property(given, 'uploadDir');
      if (uploadDir && !isOsTempDir(uploadDir)) found.push({ node: uploadDir, library: member.module, detail: `\`${optionValueText(uploadDir)}\`` });
    } else if (ts.isNewExpression(node) && TUS_FILE_STORES.has(member.module) && member.path.join('.') === 'FileStore') {
      // `new FileStore({ directory })` (`path` in the older tus-node-server): a tus server writes every upload, chunk
      // by chunk, into that folder, and the upload's later PATCH and HEAD requests read it back from there.
      const given = node.arguments?.[0] ? knownObject(node.arguments[0]) : undefined;
      const folder = given && (property(given, 'directory') ?? property(given, 'path'));
      if (!folder || !isOsTempDir(folder)) found.push({ node: node.expression, library: member.module, detail: folder ? `\`${optionValueText(folder)}\`` : 'its folder' });
    } else if (member.module === 'express-fileupload' && member.path.length === 0 && objectOptions) {
      const useTempFiles = property(objectOptions, 'useTempFiles');
      if (useTempFiles && ts.isPropertyAssignment(useTempFiles) && useTempFiles.initializer.kind !== SyntaxKind.FalseKeyword) {
        found.push({ node: useTempFiles, library: 'express-fileupload', detail: '`useTempFiles: true`' });
      }
    }
  }
  return found;
}

/**
 * `uploadDir: os.tmpdir()`, `dest: tmpDirectory` with `const tmpDirectory = os.tmpdir()`, a
 * `diskStorage` without a `destination`: the parser keeps each upload in the OS temp folder, where
 * formidable and multer's disk storage put it by default, as a scratch file of the request that
 * parses it. Where the handler then copies or moves the file is a write of its own, reported there.
 */
function isOsTempDir(option: ts.ObjectLiteralElementLike): boolean {
  const value = ts.isPropertyAssignment(option) ? skipOuterExpressions(option.initializer) : ts.isShorthandPropertyAssignment(option) ? option.name : undefined;
  if (!value) return false;
  if (mentionsTempDir(value)) return true;
  if (!ts.isIdentifier(value)) return false;
  const initializer = localInitializer(value) ?? moduleInitializer(value);
  return initializer !== undefined && mentionsTempDir(initializer);
}

function moduleInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  for (const statement of identifier.getSourceFile().statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const declaration = statement.declarationList.declarations.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === identifier.text);
    if (declaration) return declaration.initializer;
  }
  return undefined;
}

/**
 * `const upload = multer({ dest })` that nothing uses (a leftover): the configuration stores
 * nothing. A storage is unused when the multer instance it is given to is unused.
 */
function isUnusedConfiguration(call: CallLike, facts: FileFacts, depth = 0): boolean {
  const declaration = call.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || depth > 2) return false;
  const statement = declaration.parent.parent;
  if (ts.isVariableStatement(statement) && ts.getModifiers(statement)?.some((m) => m.kind === SyntaxKind.ExportKeyword)) return false;
  const name = declaration.name.text;
  const uses = facts.sourceFile.text.match(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
  if (uses <= 1) return true;
  if (uses === 2) {
    // `const storage = multer.diskStorage(…); const upload = multer({ storage });` with `upload` unused
    for (const other of facts.calls) {
      if (other.node === call || !other.node.arguments?.some((argument) => argument.getText().includes(name))) continue;
      return isUnusedConfiguration(other.node, facts, depth + 1);
    }
  }
  return false;
}

/** An options object written inline, or held in a local or module `const opts = { … }` the call is given. */
function knownObject(argument: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let value = skipOuterExpressions(argument);
  if (ts.isIdentifier(value)) {
    const initializer = localInitializer(value) ?? moduleInitializer(value);
    value = initializer ? skipOuterExpressions(initializer) : value;
  }
  return ts.isObjectLiteralExpression(value) ? value : undefined;
}

function optionValueText(option: ts.ObjectLiteralElementLike): string {
  return option.getText().replace(/\s+/g, ' ');
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => propertyNameText(p.name) === name);
}

/**
 * `symlinkSync(path.join(pluginInstallPath, name), path.join(node_modules, name))`,
 * `readFileSync(path.join(pluginInstallPath, dependency, 'package.json'))`: file work on
 * `node_modules` or a plugin-install folder installs code (a plugin manager linking a package), which
 * is deployment work, not data a user stores; what records the installed set (a JSON file of
 * installed plugins) is written elsewhere and judged there. The path's text and its locals'
 * initializers are read.
 */
export function isPackageFolderPath(target: ts.Expression | undefined): boolean {
  if (!target) return false;
  return [target, ...pathNames(target).values()].some((node) => PACKAGE_FOLDER.test(node.getText()));
}

/** `node_modules`, `NODE_MODULES_DIR`, `pluginInstallPath`, `'plugin_packages'`: where packages are installed. */
const PACKAGE_FOLDER = /node_modules|plugins?_?install(?:ed)?_?(?:path|dir|folder|root)\b|plugin_packages/i;

/** The file a write, removal or read names: the destination of a rename, move, copy or link, else the first argument. */
export function fileCallPath(call: ts.CallExpression, facts: FileFacts): ts.Expression | undefined {
  return writtenPath(call, facts);
}

/** `apt --yes install chromium`, `npm install ${name}`, `pnpm add x`: a shell command that installs packages. */
const INSTALL_COMMAND = /\b(?:apt(?:-get)?|apk|yum|dnf|brew|npm|pnpm|yarn|pip3?)\b[^'"`\n]{0,80}?\b(?:install|add)\b/;

/** `exec`, `execSync`, `spawn`, execa, a `runCmd` helper: a call that runs a shell command. */
const RUNS_COMMAND = /^(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|execa|execaSync|execaCommand|execaCommandSync|runCmd|runCommand)$/;

/**
 * Whether a call is written in a function (or a callback inside one) that runs a package manager's
 * install command (`childProcess.exec('apt … install chromium')`, then `execSync(bin + ' --version')`
 * once it exits): provisioning this machine when something is missing, once per machine, as an image
 * build would; not work of the traffic it serves. Only commands the function itself runs count (a
 * message that says "run npm install" does not), and only calls written directly in each function
 * around the call (a module wrapper that installs in one route does not quiet its other routes).
 */
export function isInPackageInstall(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current) || !isFunctionBody(current)) continue;
    const calls = getFileFacts(current.getSourceFile()).functions.get(current)?.calls ?? [];
    if (calls.some(runsInstallCommand)) return true;
  }
  return false;
}

function isFunctionBody(node: ts.SignatureDeclaration): node is FunctionNode {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

function runsInstallCommand(call: CallLike): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const command = call.arguments?.[0];
  if (name === undefined || !RUNS_COMMAND.test(name) || !command) return false;
  // exec('apt install x'), spawn('npm', ['install', name]), runCmd(['pnpm', 'add', name])
  const text = [command, call.arguments?.[1]].filter((argument) => argument !== undefined).map((argument) => argument.getText().replace(/['"`,[\]\s]+/g, ' ')).join(' ');
  return INSTALL_COMMAND.test(text);
}

/**
 * Whether a path expression names a scratch file: a temp folder or name, the upload parser's temp
 * file (`files.file[0].filepath`, `req.file.path`), or the request's own upload, followed through
 * the locals it is built from: their initializers and every `name = …` in the function around them
 * (`let src; … src = files.file[0].filepath`).
 */
export function isScratchPath(target: ts.Expression, depth = 0): boolean {
  if (isNameOnly(target)) return false;
  const text = locationText(target);
  if (isUploadTempPath(target) || mentionsTempDir(target) || TEMP_NAME.test(text) || REQUEST_UPLOAD.test(text)) return true;
  if (depth >= 3) return false;
  // `files.file ? files.file.filepath : null`: the upload's temp file when there is one, else no path at all.
  const value = skipOuterExpressions(target);
  if (ts.isConditionalExpression(value)) {
    const branches = [value.whenTrue, value.whenFalse].filter((branch) => !isNoPath(branch));
    return branches.length > 0 && branches.every((branch) => isScratchPath(branch, depth + 1));
  }
  let scratch = false;
  const visit = (node: ts.Node): void => {
    if (scratch || isNameOnly(node)) return;
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      scratch = valuesOfLocal(node).some((value) => isScratchPath(value, depth + 1));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(target);
  return scratch;
}

/**
 * A name taken from a file, not where it is: `path.extname(upload.originalFilename)`, `basename(tmpPath)`,
 * `file.originalname`. A stored file named after the upload (`v4() + extname(tmpFile.originalFilename)`) is
 * in the folder it is joined to, not in the upload's temp folder.
 */
function isNameOnly(node: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(node)) return UPLOAD_NAME_FIELDS.has(node.name.text);
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name === 'extname' || name === 'basename';
}

const UPLOAD_NAME_FIELDS = new Set(['originalFilename', 'originalname', 'originalName', 'mimetype']);

/** A path's text without the names it takes from other files (`isNameOnly`). */
function locationText(target: ts.Expression): string {
  const source = target.getSourceFile().text;
  let text = '';
  let at = target.getStart();
  const visit = (node: ts.Node): void => {
    if (isNameOnly(node)) {
      text += source.slice(at, node.getStart());
      at = node.end;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(target, visit);
  return text + source.slice(at, target.end);
}

/** `null`, `undefined`, `''`: a branch that names no file. */
function isNoPath(node: ts.Expression): boolean {
  const value = skipOuterExpressions(node);
  return value.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined') || (ts.isStringLiteral(value) && value.text === '');
}

/**
 * `fs.rename(src, path.join(path.dirname(src), base + '.txt'))` (also through a local that holds
 * that path) with `src` the upload parser's temp file: the upload renamed within its own (temp) folder stays scratch space of the request.
 */
export function isScratchRenameInPlace(call: ts.CallExpression, facts: FileFacts): boolean {
  const name = fsFunctionName(resolveImportedMember(call.expression, facts.imports));
  const [source, destination] = call.arguments;
  if (!(name === 'rename' || name === 'renameSync' || name === 'move' || name === 'moveSync') || !source || !destination) return false;
  const inSameFolder = (node: ts.Expression): boolean => /\bdirname\s*\(/.test(node.getText());
  const target = skipOuterExpressions(destination);
  const sameFolder = inSameFolder(target) || (ts.isIdentifier(target) && valuesOfLocal(target).some(inSameFolder));
  return sameFolder && isScratchPath(source);
}

/**
 * `const rm = async (path) => { await fs.unlink(path) }` called as `rm(srcFile)`, `rm(destFile)`,
 * or `async function sanitizeSvg(filePath) { … await fs.writeFile(filePath, clean) }` called as
 * `sanitizeSvg(tempPath)`: a write or removal of its parameter touches whatever the caller names, so
 * it is judged at the call that reached it: scratch paths there (an upload's temp file, a file in the
 * temp folder) are not stored files. A rename or move is scratch only when its source is too.
 */
export function touchesParameterGivenScratch(call: ts.CallExpression, fn: FunctionNode, callers: readonly (CallLike | undefined)[], facts: FileFacts): boolean {
  // A rename or move takes its source away too: `move(oldPath, tempPath)` moves a stored file aside, whatever the destination.
  const paths = !fsWriteCall(call, facts) ? [call.arguments[0]] : /^(rename|move)(Sync)?$/.test(fsFunctionName(resolveImportedMember(call.expression, facts.imports)) ?? '') ? [call.arguments[0], call.arguments[1]] : [writtenPath(call, facts)];
  if (callers.length === 0) return false;
  return paths.every((path) => {
    const target = path ? skipOuterExpressions(path) : undefined;
    const index = target && ts.isIdentifier(target) ? fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === target.text) : -1;
    return index >= 0 && callers.every((caller) => {
      const argument = caller?.arguments?.[index];
      return argument !== undefined && isScratchPath(argument);
    });
  });
}

/**
 * `const response = await axios.get(MAPPING_URL, { responseType: 'stream' }); response.data.pipe(
 * fs.createWriteStream(LOCAL_PATH))`, `fs.writeFile(GEOIP_PATH, (await fetch(GEOIP_URL)).body)`: a
 * copy of one fixed public document (its URL only literals and module-level constants) kept on
 * disk. Every instance can download the same document again; nothing a user stored is in it.
 */
export function isFixedDocumentDownload(write: ts.CallExpression, facts: FileFacts): boolean {
  const name = fsFunctionName(resolveImportedMember(write.expression, facts.imports));
  if (name === 'createWriteStream') {
    // const writer = fs.createWriteStream(path); … source.pipe(writer), or source.pipe(fs.createWriteStream(path))
    const parent = skipParents(write);
    const writer = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
    const fn = enclosingFunctionLike(write);
    if (!fn) return false;
    let piped = false;
    const visit = (node: ts.Node): void => {
      if (piped) return;
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'pipe' && node.arguments[0]) {
        const target = skipOuterExpressions(node.arguments[0]);
        if ((target === write || (writer !== undefined && ts.isIdentifier(target) && target.text === writer)) && comesFromFixedDocument(node.expression.expression)) piped = true;
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn, visit);
    return piped;
  }
  const data = write.arguments[1];
  return (name === 'writeFile' || name === 'writeFileSync' || name === 'outputFile' || name === 'outputFileSync') && data !== undefined && comesFromFixedDocument(data);
}

function skipParents(node: ts.Node): ts.Node {
  let current = node.parent;
  while (ts.isParenthesizedExpression(current) || ts.isAwaitExpression(current)) current = current.parent;
  return current;
}

function enclosingFunctionLike(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

/**
 * `response.data` with `response = await axios.get(FIXED_URL)`, `(await fetch(FIXED_URL)).body`,
 * `Buffer.from(await response.arrayBuffer())`: what is read from the fixed document's response.
 */
function comesFromFixedDocument(expression: ts.Expression, depth = 0): boolean {
  const node = skipOuterExpressions(expression);
  if (depth > 4) return false;
  if (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node) || ts.isPropertyAccessExpression(node)) return comesFromFixedDocument(node.expression, depth);
  if (ts.isCallExpression(node)) {
    if (isFixedUrlFetch(node)) return true;
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && comesFromFixedDocument(callee.expression, depth + 1)) return true;
    return node.arguments.length === 1 && comesFromFixedDocument(node.arguments[0], depth + 1);
  }
  if (!ts.isIdentifier(node)) return false;
  const values = valuesOfLocal(node);
  return values.length > 0 && values.every((value) => comesFromFixedDocument(value, depth + 1));
}

/** An HTTP GET whose URL is fixed: a literal, a template of module-level names, or a module-level constant holding an `http(s)://` literal. */
function isFixedUrlFetch(call: ts.CallExpression): boolean {
  if (isFixedDocumentLoad(call)) return true;
  const callee = skipOuterExpressions(call.expression);
  const isGet = (ts.isIdentifier(callee) && callee.text === 'fetch') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 'get' && /^(axios|got|http|https|ky|superagent|needle)$/.test(callee.expression.getText()));
  const url = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!isGet || !url || !ts.isIdentifier(url) || localInitializer(url)) return false;
  const declaration = getFileFacts(url.getSourceFile()).topLevel.get(url.text);
  const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  return initializer !== undefined && ts.isStringLiteralLike(initializer) && /^https?:\/\//.test(initializer.text) && (declaration!.parent.flags & ts.NodeFlags.Const) !== 0;
}
