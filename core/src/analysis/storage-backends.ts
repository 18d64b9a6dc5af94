import ts = require('typescript');
import { getFileFacts, type CallLike, type FileFacts, type FunctionNode } from './file-facts';
import type { Reach, RequestGraph } from './request-graph';
import { propertyNameText, skipOuterExpressions } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/*
 * Pluggable storage backends. A service that keeps files "locally or in S3, as configured" writes
 * them through one interface with several implementations: `class LocalDriver implements
 * StorageDriver` beside `S3Driver`, `datasources/Local.ts` beside `S3.ts`, a folder of modules
 * picked by `require('./stores/' + config.type)`, a provider required in one branch of a config
 * switch. Requests call `this.storageDriver.upload(…)` or `store.set(…)`, which no resolver can
 * follow to the local implementation (the instance comes from configuration, a DI token or a
 * dynamic require), so the local backend's writes look unreached.
 *
 * The rule here: a function that is a member of such a backend runs on every request path that
 * calls a member of the same name on a storage-shaped receiver (`storage`, `store`, `driver`,
 * `datasource`, `provider`, `backend`, or a word of the interface's name) when that call resolves to
 * no function body. Both halves must hold, so a lone `fs.writeFile` helper, a `Map#set` on
 * a request path, or a backend nothing on a request path calls stay quiet.
 */

/** Receiver words that say "the configured storage": `this.storageDriver`, `datasource`, `uploadProvider`. */
const STORAGE_WORDS = new Set(['store', 'storage', 'driver', 'datasource', 'provider', 'backend', 'uploader', 'persistence', 'disk']);
/** Interface words too generic to link a receiver to a backend family. */
const GENERIC_WORDS = new Set(['base', 'abstract', 'interface', 'service', 'manager', 'handler', 'i', 'type', 'default', 'file', 'files']);
const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
const MAX_INTERNAL_HOPS = 4;

/** A member of a backend: the name requests call it by, and what it belongs to (a class, or the module). */
interface Member {
  name: string;
  fn: FunctionNode;
  container: ts.ClassDeclaration | ts.ClassExpression | ts.SourceFile;
}

const FS_TEXT = /['"](?:node:)?fs(?:\/promises)?['"]|['"]fs-extra['"]/;

/**
 * Whether a file no serving file imports may still be a storage backend a request reaches: it uses
 * the file system, and it declares a class of a storage interface (`implements StorageDriver`,
 * wired by a DI container or a provider factory) or its folder is picked from by a dynamic
 * `require('./stores/' + type)`.
 */
export function mayBeStorageBackend(sourceFile: ts.SourceFile): boolean {
  if (!FS_TEXT.test(sourceFile.text)) return false;
  for (const match of sourceFile.text.matchAll(HERITAGE)) {
    if (wordsOf(match[1]).some((word) => STORAGE_WORDS.has(word))) return true;
  }
  const fileName = sourceFile.fileName.replace(/\\/g, '/');
  const directory = fileName.slice(0, fileName.lastIndexOf('/'));
  const folder = folderFiles(directory, undefined);
  if (folder.length < 2) return false;
  return [...folder, ...nearbyFiles(directory, undefined)].some((file) => picksFromFolder(file, directory));
}

const HERITAGE = /\bclass\s+[\w$]+[^{]*?\b(?:extends|implements)\s+([\w$]+)/g;

/** The reaches of a call in an unreached member of a storage backend, through the requests that call the backend by its interface. */
export function backendReaches(node: ts.Node, graph: RequestGraph, program: ts.Program | undefined): Reach[] {
  const sourceFile = node.getSourceFile();
  const facts = getFileFacts(sourceFile);
  const member = memberOf(enclosingFunctionOf(node, facts), facts);
  if (!member) return [];
  const words = familyWords(member, program);
  if (!words) return [];
  // The member, and the members of the same backend that call it (`save` → `this.copyFile`).
  const chains = new Map<string, CallLike[]>([[member.name, []]]);
  let frontier: [string, CallLike[]][] = [[member.name, []]];
  for (let hop = 0; hop < MAX_INTERNAL_HOPS && frontier.length > 0; hop++) {
    const next: [string, CallLike[]][] = [];
    for (const [name, chain] of frontier) {
      for (const { node: call, function: owner } of facts.calls) {
        if (!ts.isCallExpression(call) || calledName(call) !== name || !isInternalCall(call)) continue;
        const caller = memberOf(owner, facts);
        if (!caller || caller.container !== member.container || chains.has(caller.name)) continue;
        const callerChain = [call, ...chain];
        chains.set(caller.name, callerChain);
        next.push([caller.name, callerChain]);
      }
    }
    frontier = next;
  }
  const reaches: Reach[] = [];
  const dispatches = dispatchCalls(graph);
  for (const [name, chain] of chains) {
    for (const call of dispatches.get(name) ?? []) {
      if (isWithinContainer(call, member.container) || !matchesFamily(call, words) || !dispatchesToFamily(call, member, graph, program)) continue;
      for (const reach of graph.reachesOf(call)) reaches.push({ entry: reach.entry, calls: [...reach.calls, call, ...chain] });
    }
  }
  return reaches;
}

/** A call inside the backend itself (its class, or its module): not a request calling it. */
function isWithinContainer(call: ts.Node, container: Member['container']): boolean {
  if (ts.isSourceFile(container)) return call.getSourceFile() === container;
  return call.pos >= container.pos && call.end <= container.end && call.getSourceFile() === container.getSourceFile();
}

function enclosingFunctionOf(node: ts.Node, facts: FileFacts): FunctionNode | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (facts.functions.has(current as FunctionNode)) return current as FunctionNode;
  }
  return undefined;
}

/**
 * The nearest function around (or at) `fn` that is a named member: a class method, a
 * `X.prototype.m = function`, `exports.m = …`/`module.exports.m = …`, a method of an object
 * literal, or a module-scope function. Callbacks inside a member count as the member.
 */
function memberOf(fn: FunctionNode | undefined, facts: FileFacts): Member | undefined {
  for (let current = fn; current; current = facts.functions.get(current)?.parent) {
    if (ts.isMethodDeclaration(current) && current.name) {
      const name = propertyNameText(current.name);
      const container = current.parent;
      if (name && (ts.isClassDeclaration(container) || ts.isClassExpression(container))) return { name, fn: current, container };
      if (name && ts.isObjectLiteralExpression(container)) return { name, fn: current, container: facts.sourceFile };
    }
    if (ts.isFunctionDeclaration(current) && current.name && ts.isSourceFile(current.parent)) return { name: current.name.text, fn: current, container: facts.sourceFile };
    const parent = current.parent;
    if (ts.isPropertyAssignment(parent) && parent.initializer === current && ts.isObjectLiteralExpression(parent.parent)) {
      const name = propertyNameText(parent.name);
      if (name) return { name, fn: current, container: facts.sourceFile };
    }
    if (ts.isPropertyDeclaration(parent) && parent.initializer === current && (ts.isClassDeclaration(parent.parent) || ts.isClassExpression(parent.parent))) {
      const name = propertyNameText(parent.name);
      if (name) return { name, fn: current, container: parent.parent };
    }
    if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(parent.left)) {
      // X.prototype.save = function, exports.uploadImage = function, module.exports.set = …
      const target = parent.left.expression.getText().replace(/\s+/g, '');
      if (/(?:^|\.)prototype$|^(?:module\.)?exports$/.test(target)) return { name: parent.left.name.text, fn: current, container: facts.sourceFile };
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === current && ts.isIdentifier(parent.name) && ts.isSourceFile(parent.parent.parent.parent)) {
      return { name: parent.name.text, fn: current, container: facts.sourceFile };
    }
  }
  return undefined;
}

/** `this.copyFile(…)`, `self.copyFile(…)`, `copyFile(…)`: a call from one member of the backend to another. */
function isInternalCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return true;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  return receiver.kind === SyntaxKind.ThisKeyword || (ts.isIdentifier(receiver) && /^(?:self|_this|that|exports)$/.test(receiver.text));
}

function calledName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/**
 * The words a receiver may carry to stand for this backend's family, when the member's container is
 * one implementation among several (`undefined` otherwise):
 * - a class that extends or implements a type another class in its folder extends or implements too;
 * - a module in a folder that a dynamic `require('./stores/' + type)` / `` import(`./stores/${type}`) `` picks from;
 * - a module required in one branch of a configuration switch (`if (provider === 'local') P = require('./files/local')`),
 *   or required into a name that is one alternative of an exported choice (`module.exports = qn || local`).
 */
function familyWords(member: Member, program: ts.Program | undefined): Set<string> | undefined {
  const fileName = member.fn.getSourceFile().fileName.replace(/\\/g, '/');
  const directory = fileName.slice(0, fileName.lastIndexOf('/'));
  // The member's own file as analysed (an editor's unsaved text, a docs example), then the others on disk.
  const own = member.fn.getSourceFile();
  const folder = [{ fileName, text: own.text }, ...folderFiles(directory, program).filter((file) => file.fileName !== fileName)];
  if (!ts.isSourceFile(member.container)) {
    const heritage = heritageNames(member.container);
    for (const name of heritage) {
      // Only a storage interface (`StorageDriver`, `MediaBackend`, `Datasource`): a `Logger` with a file and a console implementation is not one.
      const words = wordsOf(name).filter((word) => !GENERIC_WORDS.has(word));
      if (!words.some((word) => STORAGE_WORDS.has(word))) continue;
      const otherImplementation = new RegExp(`\\bclass\\s+(?!${escape(member.container.name?.text ?? '\u0000')}\\b)[\\w$]+[^{]*\\b(?:extends|implements)\\b[^{]*\\b${escape(name)}\\b`);
      if (folder.some(({ text }) => otherImplementation.test(text))) return new Set([...STORAGE_WORDS, ...words]);
    }
  }
  const selectors = [...folder, ...nearbyFiles(directory, program)];
  if (folder.length >= 2 && selectors.some((file) => picksFromFolder(file, directory))) return STORAGE_WORDS;
  if (selectors.some((file) => requiresInBranch(file, fileName))) return STORAGE_WORDS;
  for (const file of selectors) {
    const selector = importReturnedInBranch(file, fileName);
    if (selector !== undefined) return new Set([...STORAGE_WORDS, ...wordsOf(selector).filter((word) => !GENERIC_WORDS.has(word))]);
  }
  return undefined;
}

/** The files of the two folders above `directory`, where the module that picks a backend usually is. */
function nearbyFiles(directory: string, program: ts.Program | undefined): FolderFile[] {
  const parent = directory.slice(0, directory.lastIndexOf('/'));
  const grandparent = parent.slice(0, parent.lastIndexOf('/'));
  return [...folderFiles(parent, program), ...(grandparent ? folderFiles(grandparent, program) : [])];
}

function heritageNames(declaration: ts.ClassLikeDeclaration): string[] {
  const names: string[] = [];
  for (const clause of declaration.heritageClauses ?? []) {
    for (const type of clause.types) {
      const expression = type.expression;
      if (ts.isIdentifier(expression)) names.push(expression.text);
      else if (ts.isPropertyAccessExpression(expression)) names.push(expression.name.text);
    }
  }
  return names;
}

interface FolderFile {
  fileName: string;
  text: string;
}

/** The source files directly in a folder: the program's when typed, else the disk's. */
function folderFiles(directory: string, program: ts.Program | undefined): FolderFile[] {
  if (program) {
    return program.getSourceFiles().filter((file) => !file.isDeclarationFile && file.fileName.slice(0, file.fileName.lastIndexOf('/')) === directory).map((file) => ({ fileName: file.fileName, text: file.text }));
  }
  const cached = folderCache.get(directory);
  if (cached && Date.now() - cached.read < FOLDER_CACHE_MS) return cached.files;
  const files: FolderFile[] = [];
  try {
    for (const name of ts.sys.readDirectory(directory, undefined, undefined, undefined, 1)) {
      if (!SOURCE_FILE.test(name) || name.endsWith('.d.ts')) continue;
      const text = ts.sys.readFile(name);
      if (text !== undefined && text.length < 500_000) files.push({ fileName: name.replace(/\\/g, '/'), text });
      if (files.length >= 64) break;
    }
  } catch {
    // An unreadable folder has no family to offer.
  }
  folderCache.set(directory, { read: Date.now(), files });
  if (folderCache.size > 256) folderCache.delete(folderCache.keys().next().value!);
  return files;
}

/** Folders read from disk, briefly: one lint run asks for the same folders once per backend member. */
const folderCache = new Map<string, { read: number; files: FolderFile[] }>();
const FOLDER_CACHE_MS = 2000;

const DYNAMIC_REQUIRE = /\b(?:require|import)\s*\(\s*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*))\s*(?:\+|\$\{)/g;

/** `require('./document_stores/' + type)` in `file`, naming `directory`. */
function picksFromFolder(file: FolderFile, directory: string): boolean {
  for (const match of file.text.matchAll(DYNAMIC_REQUIRE)) {
    const prefix = match[1] ?? match[2] ?? match[3] ?? '';
    if (!prefix.startsWith('.') || !prefix.endsWith('/') && prefix !== '.' && prefix !== '..') continue;
    const from = file.fileName.slice(0, file.fileName.lastIndexOf('/'));
    if (joinPath(from, prefix) === directory) return true;
  }
  return false;
}

const STATIC_REQUIRE = /\brequire\s*\(\s*(?:'(\.[^'\n]*)'|"(\.[^"\n]*)")\s*\)/g;

/** `if (settings.provider === 'local') Provider = require('./files/local'); else …` in `file`, naming `target`. */
function requiresInBranch(file: FolderFile, target: string): boolean {
  if (file.fileName === target) return false;
  const from = file.fileName.slice(0, file.fileName.lastIndexOf('/'));
  const stem = target.replace(SOURCE_FILE, '');
  for (const match of file.text.matchAll(STATIC_REQUIRE)) {
    const resolved = joinPath(from, match[1] ?? match[2] ?? '').replace(SOURCE_FILE, '');
    if (resolved !== stem && `${resolved}/index` !== stem) continue;
    const sourceFile = ts.createSourceFile(file.fileName, file.text, ts.ScriptTarget.Latest, true);
    const call = nodeAt(sourceFile, match.index);
    if (call && (isAssignedInBranch(call) || isChosenAlternative(call))) return true;
  }
  return false;
}

const STATIC_IMPORT = /\bimport\s+(?:\*\s+as\s+)?([\w$]+)\s+from\s+(?:'(\.[^'\n]*)'|"(\.[^"\n]*)")/g;

/**
 * `import * as disk from './disk.js'` in `file`, naming `target`, and a function there that returns
 * it in one branch of a configuration switch (`function fileAdapter() { if (adapter === 'disk') return disk; … }`):
 * the name of that function, whose words the receivers of the chosen backend carry (`fileAdapter.upload(…)`).
 */
function importReturnedInBranch(file: FolderFile, target: string): string | undefined {
  if (file.fileName === target || !file.text.includes('return')) return undefined;
  const from = file.fileName.slice(0, file.fileName.lastIndexOf('/'));
  const stem = target.replace(SOURCE_FILE, '');
  for (const match of file.text.matchAll(STATIC_IMPORT)) {
    const resolved = joinPath(from, match[2] ?? match[3] ?? '').replace(SOURCE_FILE, '');
    if (resolved !== stem && `${resolved}/index` !== stem) continue;
    const sourceFile = ts.createSourceFile(file.fileName, file.text, ts.ScriptTarget.Latest, true);
    let selector: string | undefined;
    const visit = (node: ts.Node): void => {
      if (selector !== undefined) return;
      if (ts.isReturnStatement(node) && node.expression) {
        const value = skipOuterExpressions(node.expression);
        if (ts.isIdentifier(value) && value.text === match[1]) selector = branchSelectorName(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    if (selector !== undefined) return selector;
  }
  return undefined;
}

/** The name of the function a `return` sits in when it is under an `if` or a `case` of that function. */
function branchSelectorName(returned: ts.ReturnStatement): string | undefined {
  let branched = false;
  for (let node: ts.Node = returned; !ts.isSourceFile(node); node = node.parent) {
    if (ts.isIfStatement(node.parent) || ts.isCaseClause(node.parent)) branched = true;
    if (ts.isFunctionDeclaration(node.parent) && node.parent.name) return branched ? node.parent.name.text : undefined;
    if ((ts.isArrowFunction(node.parent) || ts.isFunctionExpression(node.parent)) && ts.isVariableDeclaration(node.parent.parent) && ts.isIdentifier(node.parent.parent.name)) return branched ? node.parent.parent.name.text : undefined;
    if (ts.isFunctionLike(node.parent)) return undefined;
  }
  return undefined;
}

function nodeAt(sourceFile: ts.SourceFile, offset: number): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (offset < node.getFullStart() || offset >= node.getEnd()) return;
    if (ts.isCallExpression(node) && node.getStart(sourceFile) === offset) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** The required module is assigned (`P = require(…)`, `const P = cond ? require(…) : …`) under an `if`, a `case` or a conditional. */
function isAssignedInBranch(call: ts.CallExpression): boolean {
  let assigned = false;
  for (let node: ts.Node = call; !ts.isSourceFile(node); node = node.parent) {
    const parent = node.parent;
    if ((ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && parent.right === node) || (ts.isVariableDeclaration(parent) && parent.initializer === node)) assigned = true;
    if (assigned && (ts.isIfStatement(parent) || ts.isCaseClause(parent) || ts.isConditionalExpression(parent))) return true;
    if (ts.isFunctionLike(parent) && ts.isSourceFile(parent.parent)) return false;
  }
  return false;
}

/**
 * The required module is bound to a name that is then one alternative of a choice the file exports or
 * keeps (`var local = require('./store_local'); module.exports = qn || local;`, `const store = useS3 ? s3 : local`).
 */
function isChosenAlternative(call: ts.CallExpression): boolean {
  const declaration = call.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== call || !ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  let chosen = false;
  const visit = (node: ts.Node): void => {
    if (chosen) return;
    const choice = ts.isConditionalExpression(node) ? [node.whenTrue, node.whenFalse] : ts.isBinaryExpression(node) && (node.operatorToken.kind === SyntaxKind.BarBarToken || node.operatorToken.kind === SyntaxKind.QuestionQuestionToken) ? [node.left, node.right] : undefined;
    if (choice && choice.some((alternative) => { const value = skipOuterExpressions(alternative); return ts.isIdentifier(value) && value.text === name; }) && isKept(node)) chosen = true;
    else ts.forEachChild(node, visit);
  };
  visit(call.getSourceFile());
  return chosen;
}

/** A value assigned (`module.exports = …`, `store = …`), bound (`const store = …`) or exported (`export default …`). */
function isKept(expression: ts.Node): boolean {
  let node: ts.Node = expression;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return (ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && parent.right === node) || (ts.isVariableDeclaration(parent) && parent.initializer === node) || ts.isExportAssignment(parent);
}

function joinPath(from: string, relative: string): string {
  const parts = from.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** `storageDriver` → storage, driver; `document_stores` → document, store; `IMediaBackend` → i, media, backend. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase().replace(/(?<=[a-z]{3})s$/, ''));
}

/** Whether the receiver of a dispatch call names the family: `this.storageDriver.upload` → storageDriver. */
function matchesFamily(call: ts.CallExpression, words: ReadonlySet<string>): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  return name !== undefined && wordsOf(name).some((word) => words.has(word));
}

/**
 * Whether a call on a request path may run `member` without the graph knowing: it resolves to no
 * function body (an interface, a DI token or a configured module hides the implementation; a base
 * method that only throws is the same contract), or
 * to other members of the same name that are themselves one choice of a switch the member is in.
 * The checker's answer for `fileAdapter().upload(…)` keeps one of two modules of the same shape
 * (return types are reduced to a subtype), so `disk.upload` is lost behind `s3.upload`.
 */
function dispatchesToFamily(call: ts.CallExpression, member: Member, graph: RequestGraph, program: ts.Program | undefined): boolean {
  const targets = graph.callTargets(call).filter((target) => target.body !== undefined && !isPlaceholder(target));
  if (targets.length === 0) return true;
  if (targets.includes(member.fn)) return false;
  return targets.some((target) => {
    const other = memberOf(target, getFileFacts(target.getSourceFile()));
    return other !== undefined && other.name === member.name && ts.isSourceFile(other.container) && ts.isSourceFile(member.container) && other.container !== member.container && familyWords(other, program) !== undefined;
  });
}

/**
 * A base class's stand-in for an abstract method, whose body only throws
 * (`write() { throw new Error('Not implemented'); }`): calling it runs a subclass's override.
 */
function isPlaceholder(fn: FunctionNode): boolean {
  if (!ts.isMethodDeclaration(fn) || !(ts.isClassDeclaration(fn.parent) || ts.isClassExpression(fn.parent))) return false;
  const statements = fn.body?.statements ?? [];
  return statements.length === 1 && ts.isThrowStatement(statements[0]);
}

/**
 * Per graph, the calls on a request path that call a member by name (`datasource.save(…)` → save),
 * for the backends that an interface, a DI token or a configured module hides.
 */
function dispatchCalls(graph: RequestGraph): ReadonlyMap<string, ts.CallExpression[]> {
  let byName = dispatchCache.get(graph);
  if (byName) return byName;
  byName = new Map();
  for (const file of graph.reachedFiles) {
    for (const { node } of getFileFacts(file).calls) {
      if (!ts.isCallExpression(node)) continue;
      const callee = skipOuterExpressions(node.expression);
      if (!ts.isPropertyAccessExpression(callee) || graph.reachesOf(node).length === 0) continue;
      const list = byName.get(callee.name.text) ?? [];
      list.push(node);
      byName.set(callee.name.text, list);
    }
  }
  dispatchCache.set(graph, byName);
  return byName;
}

const dispatchCache = new WeakMap<RequestGraph, Map<string, ts.CallExpression[]>>();

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
