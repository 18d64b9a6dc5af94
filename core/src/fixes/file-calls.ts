import ts = require('typescript');
import type { TextEdit } from '../types';
import { getFileFacts } from '../analysis/file-facts';
import { resolveImportedMember } from '../analysis/imports';
import { short, skipOuterExpressions, stringValue } from '../analysis/text';
import type { AsyncRewriter } from './asyncify';
import type { FixContext } from './context';
import type { FileSet } from './file-sets';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';

export const FS_MODULES = new Set(['fs', 'fs-extra', 'graceful-fs']);

/** How an fs function is called: with a callback, as a promise (`fs.promises`, fs-extra without callback), or sync. */
export interface FsCall {
  call: ts.CallExpression;
  /** `writeFile` for `fs.writeFileSync`, `fs.promises.writeFile` and `fs.writeFile`. */
  base: string;
  style: 'callback' | 'promise' | 'sync';
  /** The callback, verbatim, for the callback style. */
  callback?: ts.Expression;
  /** The arguments before the callback. */
  args: readonly ts.Expression[];
}

/** fs functions without a callback that return at once (a stream, a watcher). */
const RETURNS_AT_ONCE = new Set(['createReadStream', 'createWriteStream', 'watch', 'watchFile', 'unwatchFile']);

/** fs calls whose first two arguments are a path and the data or a second path. */
const TWO_PATH_OR_DATA = new Set(['writeFile', 'outputFile', 'appendFile', 'outputJson', 'writeJson', 'rename', 'copyFile', 'copy', 'move', 'link', 'symlink', 'cp']);

export function fsCallOf(call: ts.CallExpression): FsCall | undefined {
  const member = resolveImportedMember(call.expression, getFileFacts(call.getSourceFile()).imports);
  if (!member || !FS_MODULES.has(member.module) || member.path.length === 0) return undefined;
  const name = member.path[member.path.length - 1];
  const last = call.arguments[call.arguments.length - 1] as ts.Expression | undefined;
  // A name passed last is the callback only after the arguments the call needs: `fs.outputFile(path, file)` writes `file`.
  const needed = TWO_PATH_OR_DATA.has(name.replace(/Sync$/, '')) ? 2 : 1;
  const lastIsFunction = last !== undefined && (ts.isFunctionLike(skipOuterExpressions(last)) || (ts.isIdentifier(last) && !/^(?:undefined|null)$/.test(last.text) && call.arguments.length > needed));
  const style = member.path[0] === 'promises' ? 'promise' : name.endsWith('Sync') || RETURNS_AT_ONCE.has(name) ? 'sync' : member.module === 'fs-extra' && !lastIsFunction ? 'promise' : 'callback';
  const args = style === 'callback' && last ? call.arguments.slice(0, -1) : [...call.arguments];
  return { call, base: name.replace(/Sync$/, ''), style, callback: style === 'callback' ? last : undefined, args };
}

/** The edits a fix collects across files: direct edits, awaits, and per file the adapter names and `callbackify` it needs. */
export class FileEdits {
  readonly edits: TextEdit[] = [];
  private readonly adapterNames = new Map<ts.SourceFile, Set<string>>();
  private readonly callbackified = new Set<ts.SourceFile>();
  /** Per file, the `node:stream` classes a retyped annotation names (`Readable` for `fs.ReadStream`). */
  private readonly streamClasses = new Map<ts.SourceFile, Set<string>>();
  private readonly retyped = new Set<ts.TypeReferenceNode>();
  /** Where moved renames and copies put files (`fs.rename(req.file.path, target)`): their other uses move too. */
  readonly movedInto: ts.Expression[] = [];

  constructor(
    readonly context: FixContext,
    readonly rewriter: AsyncRewriter,
  ) {}

  useAdapter(file: ts.SourceFile, ...names: string[]): void {
    const set = this.adapterNames.get(file) ?? new Set<string>();
    for (const name of names) set.add(name);
    this.adapterNames.set(file, set);
  }

  /**
   * A callback-style call whose work is now `promise`: `callbackify(() => promise)(callback)`. The
   * callback, kept verbatim, runs with the same arguments (`null, value` or the error), and the
   * enclosing function stays as it is.
   */
  callbackStyle(call: ts.CallExpression, callback: ts.Expression, promise: string): void {
    const file = call.getSourceFile();
    this.callbackified.add(file);
    // Two edits around the callback, so edits inside it (an awaited reader) still apply.
    this.edits.push({ fileName: file.fileName, start: call.getStart(file), end: callback.getStart(file), newText: `callbackify(() => ${promise})(` });
    this.edits.push({ fileName: file.fileName, start: callback.getEnd(), end: call.getEnd(), newText: ')' });
  }

  /** A promise or sync call whose work is now `promise`: awaited where it is (async up through the callers). */
  awaited(call: ts.CallExpression, promise: string): void {
    this.rewriter.awaitExpression(call, promise);
  }

  /**
   * The store's streams are plain `Readable`/`Writable`s: an annotation the replaced call's value
   * lands in that names fs's own class (`stream: fs.ReadStream` in a declared return type, `const
   * out: WriteStream = …`) names the stream class instead. A use of what only fs's streams have
   * (`.path`, `.bytesRead`) still fails the fix's type check, and the fix is refused as before.
   */
  retypeFsStream(call: ts.CallExpression, fsClass: 'ReadStream' | 'WriteStream'): void {
    const annotation = declaredTypeOf(call);
    if (!annotation) return;
    const file = call.getSourceFile();
    const imports = getFileFacts(file).imports;
    const references: ts.TypeReferenceNode[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isTypeReferenceNode(node) && !node.typeArguments && namesFsClass(node.typeName, fsClass, imports)) references.push(node);
      ts.forEachChild(node, visit);
    };
    visit(annotation);
    if (references.length === 0) return;
    const streamClass = fsClass === 'ReadStream' ? 'Readable' : 'Writable';
    // `Readable` as the file already imports it from `stream`, or imported now; never a clash with another `Readable`.
    const imported = [...imports].find(([, binding]) => binding.module === 'stream' && binding.path.length === 1 && binding.path[0] === streamClass)?.[0];
    if (!imported && imports.has(streamClass)) return;
    if (!imported) this.streamClasses.set(file, (this.streamClasses.get(file) ?? new Set<string>()).add(streamClass));
    for (const reference of references) {
      if (this.retyped.has(reference)) continue;
      this.retyped.add(reference);
      this.replace(reference, imported ?? streamClass);
    }
  }

  replace(node: ts.Node, newText: string): void {
    const file = node.getSourceFile();
    this.edits.push({ fileName: file.fileName, start: node.getStart(file), end: node.getEnd(), newText });
  }

  /** The edits with the imports each file needs (in its own module style). */
  result(): TextEdit[] {
    const adapter = useAdapter('object-store.ts', this.context.projectRoot, this.context.adapterDir, this.context.exists);
    const imports: TextEdit[] = [];
    for (const [file, names] of this.adapterNames) {
      const line = importEdit(file, [...names].sort(), moduleSpecifier(file, adapter.fileName, this.context.program.getCompilerOptions()));
      if (line) imports.push(line);
    }
    for (const file of this.callbackified) {
      const alreadyImported = [...getFileFacts(file).imports].some(([local, binding]) => local === 'callbackify' && binding.module === 'util');
      const line = alreadyImported ? undefined : importEdit(file, ['callbackify'], 'node:util');
      if (line) imports.push(line);
    }
    for (const [file, names] of this.streamClasses) {
      const line = importEdit(file, [...names].sort(), 'node:stream');
      if (line) imports.push(line);
    }
    // Several imports at one place in a file go in one edit, in a fixed order.
    const merged = new Map<string, TextEdit>();
    for (const edit of imports) {
      const key = `${edit.fileName}\u0000${edit.start}`;
      const earlier = merged.get(key);
      merged.set(key, earlier ? { ...earlier, newText: earlier.newText + edit.newText } : edit);
    }
    return [...this.edits, ...merged.values(), ...this.rewriter.result()];
  }
}

/** `'utf8'`, `{ encoding: 'base64' }`: the encoding an fs options argument names; `null` when it sets more than that. */
export function encodingOf(options: ts.Expression | undefined): string | undefined | null {
  if (!options) return undefined;
  const value = skipOuterExpressions(options);
  // `fs.writeFile(path, data, null)`: no options, the defaults.
  if (value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined')) return undefined;
  const literal = stringValue(value);
  if (literal !== undefined) return literal;
  if (ts.isObjectLiteralExpression(value)) {
    if (value.properties.length === 0) return undefined;
    if (value.properties.length > 1) return null;
    const [property] = value.properties;
    if (ts.isPropertyAssignment(property) && property.name.getText() === 'encoding') return stringValue(skipOuterExpressions(property.initializer)) ?? null;
  }
  return null;
}

const UTF8 = /^utf-?8$/i;

/** `objectStore.putFile(path, data)` for `writeFile(path, data, options)`; undefined when the options set a flag or mode. */
export function putText(path: ts.Expression, data: ts.Expression, options: ts.Expression | undefined): string | undefined {
  const encoding = encodingOf(options);
  if (encoding === null) return undefined;
  const body = encoding === undefined || UTF8.test(encoding) ? data.getText() : `Buffer.from(${data.getText()}, '${encoding}')`;
  return `objectStore.putFile(${path.getText()}, ${body})`;
}

/** `objectStore.getFile(path)` for `readFile(path, options)`, decoded when the options name an encoding. */
export function getText(path: ts.Expression, options: ts.Expression | undefined): string | undefined {
  const encoding = encodingOf(options);
  if (encoding === null) return undefined;
  return encoding === undefined ? `objectStore.getFile(${path.getText()})` : `objectStore.getFile(${path.getText()}).then((data) => data.toString('${encoding}'))`;
}

/** Moves one fs call on the files to the object store, or says why it cannot. */
export function moveFsCall(fsCall: FsCall, files: FileSet, edits: FileEdits): string | undefined {
  const { call, base, style, callback, args } = fsCall;
  const [path, second, third] = args;
  if (!path) return 'no path';
  let promise: string | undefined;
  if (base === 'writeFile' || base === 'outputFile') {
    if (!second) return 'no data';
    promise = putText(path, second, third);
    if (!promise) return `\`${short(call)}\` (${edits.context.where(call)}) sets a flag or mode the object store has no counterpart for`;
    edits.useAdapter(call.getSourceFile(), 'objectStore');
  } else if (base === 'readFile') {
    promise = getText(path, second);
    if (!promise) return `\`${short(call)}\` (${edits.context.where(call)}) reads with options the object store has no counterpart for`;
    edits.useAdapter(call.getSourceFile(), 'objectStore');
  } else if (base === 'unlink' || base === 'rm') {
    promise = `objectStore.delete(objectKey(${path.getText()}))`;
    edits.useAdapter(call.getSourceFile(), 'objectKey', 'objectStore');
  } else if (/^(?:mkdir|mkdirp|ensureDir|mkdirs)$/.test(base)) {
    // Making the local folder changes no file: kept as it is.
    return undefined;
  } else if (/^(?:exists|access|stat|lstat|pathExists)$/.test(base) && files.isFolderItself(path)) {
    return undefined;
  } else if ((base === 'rename' || base === 'copyFile' || base === 'move') && second && !third) {
    // A rename within the store is a copy and a delete; the target's own uses move with it.
    promise = `objectStore.${base === 'copyFile' ? 'copyFile' : 'rename'}(${path.getText()}, ${second.getText()})`;
    edits.movedInto.push(second);
    edits.useAdapter(call.getSourceFile(), 'objectStore');
  } else if (base === 'stat' || base === 'lstat' || base === 'access' || base === 'pathExists' || (base === 'exists' && style !== 'callback')) {
    if (second) return `\`${short(call)}\` (${edits.context.where(call)}) looks for the file with ${base === 'access' ? 'a mode' : 'options'} the object store has no counterpart for`;
    const exists = base === 'exists' || base === 'pathExists';
    promise = `objectStore.stat(${path.getText()})${exists ? '.then(() => true, () => false)' : base === 'access' ? '.then(() => undefined)' : ''}`;
    edits.useAdapter(call.getSourceFile(), 'objectStore');
  } else if ((base === 'createReadStream' || base === 'createWriteStream') && !second) {
    // The adapter's streams are returned at once, like fs's: the call is replaced where it is.
    edits.useAdapter(call.getSourceFile(), 'objectStore');
    edits.replace(call, `objectStore.${base}(${path.getText()})`);
    edits.retypeFsStream(call, base === 'createReadStream' ? 'ReadStream' : 'WriteStream');
    return undefined;
  } else return `\`${short(call)}\` (${edits.context.where(call)}) ${VERBS[base] ?? 'uses'} the same files on this instance's disk, and the object store has no counterpart for it`;
  if (style === 'callback' && callback) edits.callbackStyle(call, callback, promise);
  else edits.awaited(call, promise);
  return undefined;
}

/**
 * The annotation a call's value is declared with: the variable's (`const out: fs.WriteStream = call`)
 * or, returned (in an object literal or not), the function's return type.
 */
function declaredTypeOf(call: ts.CallExpression): ts.TypeNode | undefined {
  let node: ts.Node = call;
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === node) || ts.isObjectLiteralExpression(parent)) node = parent;
    else if (ts.isVariableDeclaration(parent) && parent.initializer === node) return parent.type;
    else if (ts.isReturnStatement(parent)) return ts.findAncestor(parent, ts.isFunctionLike)?.type;
    else if (ts.isArrowFunction(parent) && parent.body === node) return parent.type;
    else return undefined;
  }
}

/** `fs.ReadStream` (fs imported as a namespace or default) or `ReadStream` imported from fs. */
function namesFsClass(name: ts.EntityName, fsClass: string, imports: ReadonlyMap<string, { module: string; path: readonly string[] }>): boolean {
  if (ts.isIdentifier(name)) {
    const binding = imports.get(name.text);
    return binding !== undefined && FS_MODULES.has(binding.module) && binding.path.length === 1 && binding.path[0] === fsClass;
  }
  const binding = ts.isIdentifier(name.left) ? imports.get(name.left.text) : undefined;
  return name.right.text === fsClass && binding !== undefined && FS_MODULES.has(binding.module) && binding.path.length === 0;
}

const VERBS: Record<string, string> = { createReadStream: 'streams', readdir: 'lists', rename: 'renames', copyFile: 'copies', appendFile: 'appends to', createWriteStream: 'writes', exists: 'looks for', access: 'looks for', stat: 'looks for', lstat: 'looks for', watch: 'watches' };

