import * as nodePath from 'node:path';
import ts = require('typescript');
import { isModuleExports } from '../analysis/module-exports';
import { skipOuterExpressions, stringValue } from '../analysis/text';
import { fsCallOf } from './file-calls';
import { symbolOf } from './references';

/**
 * The files a write puts on disk, as the code names them: so the fix can find every other use of
 * the same files (readers, deletes, static serving) and move it too, or refuse naming it.
 */
export interface FileSet {
  /** Whether a path argument names files of this set. */
  matches(argument: ts.Expression): boolean;
  /** Whether a path argument is the folder itself (`mkdir`, `existsSync` of the folder), not a file in it. */
  isFolderItself(argument: ts.Expression): boolean;
  /** Whether a path argument is a folder the files are inside (`public` of `public/avatars`): serving it serves them too. */
  containsFolder(argument: ts.Expression): boolean;
  /**
   * A function of the program the path comes from that picks among several literal folders (`return
   * 'public/images/device'` in one case, `'public/firmwares'` in another): the code may name each of
   * those folders itself elsewhere (`express.static('public/images')`), which the set cannot follow.
   */
  chooser?: { name: string; folders: string[] };
  /** Where the path starts, as far as its leading literal pieces spell it (`../frontend/public/img` of the process's folder). */
  start?: PathStart;
}

/** A path's known start: relative to the process's working folder, or to the folder of the module that writes it. */
export interface PathStart {
  from: 'working folder' | 'module folder';
  /** The module the path is written in. */
  fileName: string;
  /** `../frontend/public/img`, `../../uploads`. */
  path: string;
}

/** fs calls whose value is what a file holds or says about itself (its bytes, a stream of them, its stats), not a path. */
const CONTENT_READS = new Set(['readFile', 'readJson', 'readJSON', 'createReadStream', 'stat', 'lstat', 'exists', 'pathExists']);

/** How deep a path is followed through the `const`s it is built from (`const dir = path.join(ROOT, 'uploads')`). */
const MAX_DEPTH = 3;

/** The pieces a path expression is built from: its string parts and the program's own names it uses. */
interface PathParts {
  literals: string[];
  /** `const UPLOAD_DIR`, `invoicePath` — values and functions declared in the program. */
  anchors: Set<ts.Symbol>;
  /**
   * Settings the checker has no symbol for (`config.exportDir` of an untyped `require('../config')`),
   * named by the module they come from and the property chain: `/app/config:exportDir`.
   */
  settings: Set<string>;
  /** Whether the path is one literal, with nothing computed. */
  constant: boolean;
  /** Literal starts of a file's name a template goes on computing (`export_` of `` `export_${id}.zip` ``): no folder. */
  fragments: Set<string>;
}

function partsOf(expression: ts.Expression, checker: ts.TypeChecker): PathParts {
  const parts: PathParts = { literals: [], anchors: new Set(), settings: new Set(), constant: true, fragments: new Set() };
  const visit = (node: ts.Node, depth: number): void => {
    const text = stringValue(node);
    if (text !== undefined) {
      parts.literals.push(text);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      parts.constant = false;
      parts.literals.push(node.head.text);
      if (node.head.text !== '' && !node.head.text.includes('/')) parts.fragments.add(node.head.text);
      for (const span of node.templateSpans) visit(span.expression, depth);
      return;
    }
    if (ts.isIdentifier(node)) {
      const symbol = symbolOf(checker, node);
      const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      const file = declaration?.getSourceFile();
      if (!symbol || !declaration || !file || file.isDeclarationFile) {
        if (node.text !== '__dirname' && node.text !== 'process') parts.constant = false;
        return;
      }
      // ESM's own `__dirname` (or the package's folder above it) holds every file of the app, so it names no set of files, as `__dirname` does not.
      if (ts.isVariableDeclaration(declaration) && declaration.initializer && namesAppFolder(declaration.initializer)) return;
      if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) {
        if (isModuleScope(declaration)) parts.anchors.add(symbol);
        if (depth < MAX_DEPTH) visit(declaration.initializer, depth + 1);
        else parts.constant = false;
        return;
      }
      if (ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration)) parts.anchors.add(symbol);
      parts.constant = false;
      return;
    }
    if (ts.isPropertyAccessExpression(node) && !(ts.isCallExpression(node.parent) && node.parent.expression === node)) {
      // `config.uploadDir`: the property is the anchor.
      // `config.uploadDir`, `settings.paths.uploads`: a setting of a module-level object is the anchor.
      const symbol = symbolOf(checker, node.name);
      const declaration = symbol?.declarations?.[0];
      if (symbol && declaration && !declaration.getSourceFile().isDeclarationFile && isModuleSetting(node, checker)) {
        parts.anchors.add(symbol);
        if (ts.isPropertyAssignment(declaration) && depth < MAX_DEPTH) visit(declaration.initializer, depth + 1);
        else parts.constant = false;
      } else if (!/^process\.env\./.test(node.getText())) {
        const setting = symbol ? undefined : untypedSetting(node, checker);
        if (setting) parts.settings.add(setting);
        parts.constant = false;
      }
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      // `JSON.parse(await fs.promises.readFile(file))`, `sharp(await readFile(file))`: what a file holds, not where it is.
      const read = fsCallOf(node);
      if (read && CONTENT_READS.has(read.base)) {
        parts.constant = false;
        return;
      }
      // path.join(…) / path.resolve(…) are made of their arguments; any other call is a source of its own.
      let ownFunction = true;
      if (!/^path\.(?:join|resolve|normalize)$|^(?:join|resolve)$/.test(callee.getText())) {
        const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
        const symbol = name ? symbolOf(checker, name) : undefined;
        const file = symbol?.declarations?.[0]?.getSourceFile();
        ownFunction = symbol !== undefined && file !== undefined && !file.isDeclarationFile;
        if (symbol && file && !file.isDeclarationFile) {
          parts.anchors.add(symbol);
          // `coverPath(name)` of `return path.join(config.uploadDir, name)`: the program's own path function names the
          // folders and settings its returns name, so a use through it is a use of the same files. Only those its returns
          // name themselves (visited at the depth limit): `pdfPath(id)` of `path.join(pdfDir, …)` names `pdfDir`, not the
          // `config.uploadDir` that pdfDir is made from, which the attachments' folder is made from too. Its literal
          // pieces stay its own: the folder the call names is still told by its anchors.
          if (depth < MAX_DEPTH) {
            const { literals, fragments } = parts;
            const kept = { literals: literals.length, fragments: new Set(fragments) };
            for (const returned of returnedValues(symbol)) visit(returned, MAX_DEPTH);
            literals.length = kept.literals;
            parts.fragments = kept.fragments;
          }
        }
        parts.constant = false;
      }
      // `digest('hex')`, `toString('base64')`, `padStart(6, '0')`: a string a library's method is given says how it
      // computes its value, not a folder; only a path function's own (and the program's own functions') literals name one.
      const pathLike = ownFunction || /(?:^|\.)(?:join|resolve|normalize)$/.test(callee.getText());
      for (const argument of node.arguments) if (pathLike || stringValue(skipOuterExpressions(argument)) === undefined) visit(argument, depth);
      return;
    }
    if (!ts.isBinaryExpression(node) && !ts.isParenthesizedExpression(node) && !ts.isAsExpression(node) && !ts.isNonNullExpression(node)) parts.constant = false;
    ts.forEachChild(node, (child) => visit(child, depth));
  };
  visit(expression, 0);
  return parts;
}

/** What a function of the program returns (each `return`'s value, or an arrow's expression body); nothing for anything else. */
function returnedValues(symbol: ts.Symbol): ts.Expression[] {
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  const fn = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : declaration;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) || !fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) values.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return values;
}

/**
 * `path.dirname(fileURLToPath(import.meta.url))`, `fileURLToPath(new URL('.', import.meta.url))`,
 * `import.meta.dirname`, `process.cwd()`: the folder of the code itself, which an ES module names
 * where CommonJS has `__dirname`.
 */
const MODULE_FOLDER = /^(?:\w+\.)?dirname\((?:\w+\.)?fileURLToPath\(import\.meta\.url\)\)$|^(?:\w+\.)?fileURLToPath\(newURL\((['"`])\.\/?\1,import\.meta\.url\)\)$|^import\.meta\.dirname$|^process\.cwd\(\)$/;

function namesModuleFolder(initializer: ts.Expression): boolean {
  return MODULE_FOLDER.test(skipOuterExpressions(initializer).getText().replace(/\s+/g, ''));
}

/**
 * The module's folder or a folder above it: `path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')`,
 * `path.join(__dirname, '..')`, the package's folder above the module's, holds every file of the app too
 * (package.json, a config file read at start-up), so it names no set of files either.
 */
function namesAppFolder(initializer: ts.Expression, depth = 0): boolean {
  const value = skipOuterExpressions(initializer);
  if (namesModuleFolder(value)) return true;
  if (!ts.isCallExpression(value) || value.arguments.length < 2 || depth > MAX_DEPTH || !/^path\.(?:join|resolve)$|^(?:join|resolve)$/.test(skipOuterExpressions(value.expression).getText())) return false;
  const [first, ...rest] = value.arguments.map(skipOuterExpressions);
  if (!rest.every((part) => /^(?:\.\.?\/?)+$/.test(stringValue(part) ?? ''))) return false;
  if (ts.isIdentifier(first) && first.text === '__dirname') return true;
  if (ts.isIdentifier(first)) {
    const declaration = findConst(first);
    return declaration !== undefined && namesAppFolder(declaration, depth + 1);
  }
  return namesAppFolder(first, depth + 1);
}

/** The initializer of the module-level `const` an identifier names, found by name in its file (no checker here). */
function findConst(name: ts.Identifier): ts.Expression | undefined {
  for (const statement of name.getSourceFile().statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === name.text) return declaration.initializer;
  }
  return undefined;
}

/** Whether a property chain starts at a module-level variable (directly or imported), not at a parameter or local. */
function isModuleSetting(access: ts.PropertyAccessExpression, checker: ts.TypeChecker): boolean {
  let root: ts.Expression = access;
  while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const declaration = symbolOf(checker, root)?.valueDeclaration;
  // `import config from './config'` of `export default { uploadDir: … }` is a module-level object too, and
  // so is `const config = require('./config')` of `module.exports = { uploadDir: … }` (the require is an alias of that assignment).
  return (
    declaration !== undefined &&
    ((ts.isVariableDeclaration(declaration) && isModuleScope(declaration)) || ts.isExportAssignment(declaration) || (ts.isBinaryExpression(declaration) && isModuleExports(declaration.left)))
  );
}

/**
 * `config.exportDir` where `config` is a module-level `require('../config')` (or another module-level
 * value) whose properties the checker cannot see: the module and the property chain name it.
 */
function untypedSetting(access: ts.PropertyAccessExpression, checker: ts.TypeChecker): string | undefined {
  const chain: string[] = [];
  let root: ts.Expression = access;
  while (ts.isPropertyAccessExpression(root)) {
    chain.unshift(root.name.text);
    root = skipOuterExpressions(root.expression);
  }
  if (!ts.isIdentifier(root)) return undefined;
  const declaration = symbolOf(checker, root)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !isModuleScope(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
  const required = initializer && ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && initializer.expression.text === 'require' ? stringValue(initializer.arguments[0]) : undefined;
  const file = declaration.getSourceFile().fileName;
  const origin = required?.startsWith('.') ? nodePath.posix.resolve(nodePath.posix.dirname(file), required).replace(/\.[cm]?[jt]s$/, '').replace(/\/index$/, '') : required ?? `${file}#${declaration.name.text}`;
  return `${origin}:${chain.join('.')}`;
}

function isModuleScope(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent.parent;
  return ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent);
}

/**
 * `./uploads/`, `/uploads`, `uploads` → `uploads`; `../uploads` (`new URL('../uploads', import.meta.url)`,
 * like `path.join(__dirname, '..', 'uploads')`) → `uploads`, not the folder `..` that holds every other file.
 */
/** The path a path's literal pieces spell: `path.join(__dirname, 'public', 'avatars')` → `public/avatars`. */
function joinedPath(parts: PathParts): string {
  return parts.literals.map(normalize).filter(Boolean).join('/');
}

function normalize(text: string): string {
  return text.replace(/^(?:\.{0,2}\/+)+/, '').replace(/\/+$/, '');
}

/** The folder a literal path piece names: `uploads/` → `uploads`, `uploads/a.txt` → `uploads` (with a dynamic rest). */
function folderOf({ literals, constant, fragments }: PathParts): string | undefined {
  const pieces = literals.filter((literal) => !fragments.has(literal)).map(normalize).filter((piece) => piece !== '' && piece !== '.' && piece !== '..');
  // `join(dir, \`export_${id}.zip\`)`: the literal is how a file's name starts, not the folder it is in.
  if (pieces.length === 0) return undefined;
  if (constant) return pieces.join('/');
  const first = pieces[0];
  const slash = first.indexOf('/');
  // `uploads/${id}` or path.join(__dirname, 'uploads', id): the folder is the literal before the computed part.
  if (slash >= 0) return !/[.]\w+$/.test(first.slice(0, slash)) ? first.slice(0, slash) : first;
  // path.join(opts.path, 'pages.json.gz'): a file's name in a folder the code is given, which names no folder.
  return /^[^.][^/]*\.[A-Za-z0-9]+$/.test(first) ? undefined : first;
}

/**
 * The set of files a written path names: the same folder literal (`uploads`), or the same
 * program name it is built from (`UPLOAD_DIR`, `invoicePath(…)`, `config.invoiceDir`).
 * Undefined when the path names neither (`req.body.dest`): then no other use can be told apart.
 */
export function fileSetOfPath(written: ts.Expression, checker: ts.TypeChecker): FileSet | undefined {
  const parts = partsOf(written, checker);
  const folder = folderOf(parts);
  if (folder === undefined && parts.anchors.size === 0 && parts.settings.size === 0) return undefined;
  return { ...withChooser(fileSet(folder, parts, checker, false), parts), start: pathStart(written, checker) };
}

/** The files under a folder given as an option (multer `dest`, `diskStorage({ destination })`). */
export function fileSetOfFolder(option: ts.Expression, checker: ts.TypeChecker): FileSet | undefined {
  const parts = partsOf(option, checker);
  const folder = parts.literals.length > 0 ? joinedPath(parts) : undefined;
  if (!folder && parts.anchors.size === 0 && parts.settings.size === 0) return undefined;
  return { ...withChooser(fileSet(folder || undefined, parts, checker, true), parts), start: pathStart(option, checker) };
}

/**
 * The start of a path its leading literal pieces spell: `'../frontend/public/img'`,
 * `` `${IMAGES_PATH}/logo.png` `` of such a constant, `path.join(__dirname, '..', 'uploads', id)`.
 * Only relative starts: an absolute path (`/data/uploads`, a mounted volume) is where the deployment
 * puts it.
 */
export function pathStart(expression: ts.Expression, checker: ts.TypeChecker): PathStart | undefined {
  const fileName = expression.getSourceFile().fileName;
  const start = (node: ts.Expression, depth: number): { from: PathStart['from']; pieces: string[] } | undefined => {
    const value = skipOuterExpressions(node);
    const text = stringValue(value);
    if (text !== undefined) return text.startsWith('/') || /^\w+:/.test(text) ? undefined : { from: 'working folder', pieces: [text] };
    if (ts.isTemplateExpression(value)) {
      if (value.head.text !== '') return value.head.text.startsWith('/') ? undefined : { from: 'working folder', pieces: [value.head.text] };
      const first = start(value.templateSpans[0].expression, depth);
      const literal = value.templateSpans[0].literal.text;
      return first && { from: first.from, pieces: [...first.pieces, literal.slice(0, literal.lastIndexOf('/') + 1)] };
    }
    if (ts.isIdentifier(value)) {
      if (value.text === '__dirname') return { from: 'module folder', pieces: [] };
      const declaration = symbolOf(checker, value)?.valueDeclaration;
      if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || depth >= MAX_DEPTH) return undefined;
      if (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Let) return undefined;
      if (namesModuleFolder(declaration.initializer)) return /process\.cwd/.test(declaration.initializer.getText()) ? { from: 'working folder', pieces: [] } : { from: 'module folder', pieces: [] };
      return start(declaration.initializer, depth + 1);
    }
    if (ts.isCallExpression(value) && /^path\.(?:join|resolve)$|^(?:join|resolve)$/.test(skipOuterExpressions(value.expression).getText()) && value.arguments.length > 0) {
      const first = start(value.arguments[0], depth);
      if (!first) return undefined;
      const pieces = [...first.pieces];
      for (const argument of value.arguments.slice(1)) {
        const piece = stringValue(skipOuterExpressions(argument));
        if (piece === undefined || piece.startsWith('/')) break;
        pieces.push(piece);
      }
      return { from: first.from, pieces };
    }
    if (ts.isCallExpression(value) && /^process\.cwd$/.test(value.expression.getText())) return { from: 'working folder', pieces: [] };
    return undefined;
  };
  const known = start(expression, 0);
  if (!known) return undefined;
  const joined = nodePath.posix.normalize(known.pieces.join('/') || '.');
  return { from: known.from, fileName, path: joined };
}

/**
 * Where a path start leads when it leaves the package at `root`: `../frontend/public/img`, seen from the
 * package (a module-relative start is taken from the source module's folder, as `src/` compiles to a
 * `dist/` of the same depth). Undefined when it stays inside, or cannot be told.
 */
export function outsidePackage(start: PathStart | undefined, root: string): string | undefined {
  if (!start) return undefined;
  const base = root.replace(/\/+$/, '');
  const inside = (target: string): boolean => target === base || target.startsWith(`${base}/`);
  const moduleFolder = nodePath.posix.dirname(start.fileName);
  const resolved = nodePath.posix.join(start.from === 'working folder' ? base : moduleFolder, start.path);
  return inside(resolved) ? undefined : nodePath.posix.relative(base, resolved);
}

/**
 * Whether a path start is the folder the app's code is in, the names in it computed
 * (`path.join(__dirname, name)`, `path.join(process.cwd(), entry.path)`): the program's own modules
 * and package.json are there too, and nothing tells the written files from them.
 */
export function isCodeFolder(start: PathStart | undefined): boolean {
  return start !== undefined && start.path === '.';
}

function withChooser(set: FileSet, parts: PathParts): FileSet {
  for (const anchor of parts.anchors) {
    const folders = chosenFolders(anchor);
    if (folders.length >= 2) return { ...set, chooser: { name: anchor.name, folders } };
  }
  return set;
}

/** The literal folders a function of the program returns, directly or through a local it assigns them to (`pathname = 'public/images/user'; … return pathname`). */
function chosenFolders(symbol: ts.Symbol): string[] {
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  const fn = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : declaration;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) || !fn.body) return [];
  const returned = new Set<string>();
  const folders = new Set<string>();
  const pathLike = (text: string): boolean => /^[\w.@-]+(?:\/[\w.@-]+)+\/?$/.test(text) && !/\.\w+$/.test(text);
  // A returned value: a literal, a local, or a choice between them (`kind === 'device' ? 'public/images/device' : 'public/images'`).
  const take = (expression: ts.Expression): void => {
    const value = skipOuterExpressions(expression);
    const text = stringValue(value);
    if (text !== undefined && pathLike(text)) folders.add(text);
    else if (ts.isIdentifier(value)) returned.add(value.text);
    else if (ts.isConditionalExpression(value)) [value.whenTrue, value.whenFalse].forEach(take);
    else if (ts.isBinaryExpression(value) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(value.operatorToken.kind)) [value.left, value.right].forEach(take);
  };
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) take(node.expression);
    ts.forEachChild(node, visit);
  };
  if (ts.isBlock(fn.body)) visit(fn.body);
  else take(fn.body);
  const assign = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    const target = ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken ? node.left : ts.isVariableDeclaration(node) ? node.name : undefined;
    const value = ts.isBinaryExpression(node) ? node.right : ts.isVariableDeclaration(node) ? node.initializer : undefined;
    const text = value && stringValue(skipOuterExpressions(value));
    if (target && ts.isIdentifier(target) && returned.has(target.text) && text !== undefined && pathLike(text)) folders.add(text);
    ts.forEachChild(node, assign);
  };
  if (returned.size > 0) assign(fn.body);
  return [...folders];
}

/**
 * `uploaded` (multer's folder): an uploaded file's own path (`req.file.path`, `req.files[0].path`,
 * a parameter typed `Express.Multer.File`) names a file of the set too, wherever the handler is.
 */
function fileSet(folder: string | undefined, written: PathParts, checker: ts.TypeChecker, uploaded: boolean): FileSet {
  const mentions = (parts: PathParts): boolean => {
    if ([...parts.anchors].some((anchor) => written.anchors.has(anchor))) return true;
    if ([...parts.settings].some((setting) => written.settings.has(setting))) return true;
    if (folder === undefined) return false;
    const joined = joinedPath(parts);
    return joined === folder || joined.startsWith(`${folder}/`) || parts.literals.some((literal) => normalize(literal) === folder || normalize(literal).startsWith(`${folder}/`));
  };
  return {
    matches: (argument) => (uploaded && isUploadedFilePath(argument, checker)) || mentions(partsOf(argument, checker)),
    containsFolder: (argument) => {
      const parts = partsOf(argument, checker);
      const joined = joinedPath(parts);
      return folder !== undefined && parts.constant && parts.settings.size === 0 && joined !== '' && folder.startsWith(`${joined}/`);
    },
    isFolderItself: (argument) => {
      const parts = partsOf(argument, checker);
      if (!mentions(parts)) return false;
      if (namesFolder(argument, checker, 0)) return true;
      // The same constant path: the folder, unless it ends in a file's name (`path.join(__dirname, 'data', 'db.json')` is the file the app keeps).
      return parts.constant && folder !== undefined && joinedPath(parts) === folder && !endsInFileName(argument, checker, 0);
    },
  };
}

/** `row.photo`, `req.params.name`, `file['filename']`: a member of a parameter or of a function's local, a value of the call, not a setting of the module's. */
function isMemberOfLocalValue(argument: ts.Expression, checker: ts.TypeChecker): boolean {
  let node = skipOuterExpressions(argument);
  if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return false;
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = skipOuterExpressions(node.expression);
  if (!ts.isIdentifier(node)) return false;
  const declaration = symbolOf(checker, node)?.valueDeclaration;
  const root = declaration && ts.isBindingElement(declaration) ? ts.walkUpBindingElementsAndPatterns(declaration) : declaration;
  return root !== undefined && (ts.isParameter(root) || (ts.isVariableDeclaration(root) && !isModuleScope(root)));
}

/**
 * Whether a path names a folder rather than a file in it: a module-level name or a setting
 * (`UPLOAD_DIR`, `config.uploadDir`), or `path.join` of those and extension-less literals; a local
 * `const file = path.join(UPLOAD_DIR, name)` is a file.
 */
function namesFolder(argument: ts.Expression, checker: ts.TypeChecker, depth: number): boolean {
  const node = skipOuterExpressions(argument);
  if (ts.isPropertyAccessExpression(node)) return true;
  if (ts.isIdentifier(node)) {
    if (node.text === '__dirname') return true;
    const declaration = symbolOf(checker, node)?.valueDeclaration;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return true;
    // A module-level name is a folder (`UPLOAD_DIR`) unless it is built to end in a file's name (`DB_FILE = path.join(__dirname, 'data', 'db.json')`).
    if (isModuleScope(declaration)) return !endsInFileName(declaration.initializer, checker, depth + 1);
    return depth < MAX_DEPTH && namesFolder(declaration.initializer, checker, depth + 1);
  }
  const text = stringValue(node);
  if (text !== undefined) return !/\.\w+$/.test(text);
  if (ts.isCallExpression(node) && /^path\.(?:join|resolve|normalize)$|^(?:join|resolve)$/.test(skipOuterExpressions(node.expression).getText())) {
    // `path.join(config.uploadDir, row.photo)`: a last part read off a request's data (a row, `req.params`) is a file's name in the folder.
    const last = node.arguments[node.arguments.length - 1];
    if (node.arguments.length > 1 && isMemberOfLocalValue(last, checker)) return false;
    return node.arguments.every((part) => namesFolder(part, checker, depth));
  }
  return false;
}

/** Whether a path ends in a file's name: a last part with an extension (`'db.json'`, `${name}.csv`), through `path.join` and the consts it is built from. */
function endsInFileName(argument: ts.Expression, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const node = skipOuterExpressions(argument);
  const text = stringValue(node) ?? (ts.isTemplateExpression(node) ? node.templateSpans[node.templateSpans.length - 1].literal.text : undefined);
  if (text !== undefined) return /\.\w+$/.test(text);
  if (ts.isCallExpression(node) && node.arguments.length > 0 && /^path\.(?:join|resolve|normalize)$|^(?:join|resolve)$/.test(skipOuterExpressions(node.expression).getText())) {
    return endsInFileName(node.arguments[node.arguments.length - 1], checker, depth);
  }
  if (ts.isIdentifier(node)) {
    const declaration = symbolOf(checker, node)?.valueDeclaration;
    return declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && endsInFileName(declaration.initializer, checker, depth + 1);
  }
  return false;
}

/** `req.file`, `req.files[0]`: the upload the middleware parsed. */
function isUploadedFile(owner: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'file') return true;
  if (!ts.isElementAccessExpression(owner)) return false;
  const list = skipOuterExpressions(owner.expression);
  return ts.isPropertyAccessExpression(list) && list.name.text === 'files';
}

/** `req.file.path`, `req.files[0].path`, `file.path` of an `Express.Multer.File`, formidable's `file.filepath`: where the upload middleware put an upload. */
export function isUploadedFilePath(argument: ts.Expression, checker: ts.TypeChecker): boolean {
  const node = skipOuterExpressions(argument);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'filepath') return true;
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'path') return false;
  const owner = skipOuterExpressions(node.expression);
  if (isUploadedFile(owner)) return true;
  // `const file = req.file; … file.path`, `const { file } = req`: the upload under a name of its own.
  if (ts.isIdentifier(owner)) {
    const declaration = symbolOf(checker, owner)?.valueDeclaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name) && isUploadedFile(skipOuterExpressions(declaration.initializer))) return true;
    if (declaration && ts.isBindingElement(declaration) && (declaration.propertyName ?? declaration.name).getText() === 'file' && ts.isObjectBindingPattern(declaration.parent) && ts.isVariableDeclaration(declaration.parent.parent)) return true;
  }
  try {
    const type = checker.getTypeAtLocation(owner);
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    const declaration = symbol?.declarations?.[0];
    return symbol?.name === 'File' && declaration !== undefined && /[\\/]@types[\\/]multer[\\/]/.test(declaration.getSourceFile().fileName);
  } catch {
    return false;
  }
}
