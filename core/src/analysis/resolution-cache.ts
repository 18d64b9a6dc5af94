import ts = require('typescript');
import { moduleSpecifiers } from '../project-index/import-scan';
import { nodeAt, unaffectedPrefixEnd } from './edited-body';

/** What the type checker said a name refers to, per file and per name node. */
type Resolutions = Map<ts.SourceFile, Map<ts.Node, readonly ts.Declaration[]>>;

/**
 * A program and the one before it in its project, and which files' earlier analysis still holds.
 * An editor builds a new program on every keystroke, and a new program has a new checker: without
 * carrying answers over, every call on every request path would be resolved again (type-checking
 * most of the program) and every file's entry points found again. Programs of one project share
 * their compiler options object (a language service asks its host once per project), which is how
 * a program's predecessor is found.
 */
export interface Lineage {
  /** The program this one follows, when little enough changed between them to carry anything over. */
  readonly previous: ts.Program | undefined;
  /**
   * Whether what the previous program's analysis said about this file still holds: the file is the
   * same in both programs (asked with either program's file), and it imports no module whose shape changed. Answers that point into a changed file must
   * still be checked by the caller (their nodes are gone).
   */
  carries(file: ts.SourceFile): boolean;
  /**
   * A node of the previous program in this program: itself in a file that did not change; in a
   * changed file whose edit stayed inside one function body that nothing outside it depends on, the
   * node at the same place (shifted past the edit), unless it is in that body after its statements the edit
   * cannot affect (`unaffectedPrefixEnd`); else undefined.
   */
  current(node: ts.Node): ts.Node | undefined;
  /**
   * The inverse of `current`: the node of the previous program a node of this one was. Itself in a
   * file the lineage carries; in a file changed by a local edit whose imports kept their shape, the
   * node at the same place (before the edit's shift), unless it is in the edited body after its statements
   * the edit cannot affect; else undefined.
   */
  previousOf(node: ts.Node): ts.Node | undefined;
  /** Whether the previous program has the same files (none added or removed), so module specifiers resolve to the same files. */
  readonly sameFiles: boolean;
  /**
   * The files this program changed, each with its edit, when every one was changed by a local edit
   * (none added, removed or reshaped); else undefined. An answer about a whole walk (start-up's) is
   * carried by checking again only what contains an edit.
   */
  readonly localEdits: readonly EditSpan[] | undefined;
  /**
   * Every file whose text changed, each as it was and as it is, when no file was added or removed
   * and the program lists its files in the same order; else undefined. What holds of a file's syntax alone (the files a pattern matches) is carried by
   * asking again of these only (`programFilesWhere`).
   */
  readonly changedFiles: readonly { readonly before: ts.SourceFile; readonly after: ts.SourceFile }[] | undefined;
  /**
   * A node of the previous program that contains a local edit (the function whose body is being
   * typed in, the call it is given to, the class around it), in this program: the node of the same
   * kind that starts where it did and ends as much further as the edit added. Undefined for any
   * other node: `current` maps those.
   */
  currentAround(node: ts.Node): ts.Node | undefined;
  /** Forgets the previous program (once a newer program follows this one): nothing is carried any more. */
  release(): void;
}

const latest = new WeakMap<ts.CompilerOptions, ts.Program>();
const lineages = new WeakMap<ts.Program, Lineage>();
const ofProgram = new WeakMap<ts.Program, Resolutions>();

/** More changed files than this (a branch switch, a codegen run) and nothing is carried over. */
const MAX_CHANGED_FILES = 64;

const NO_LINEAGE: Lineage = {
  previous: undefined,
  sameFiles: false,
  localEdits: undefined,
  changedFiles: undefined,
  carries: () => false,
  current: () => undefined,
  currentAround: () => undefined,
  previousOf: () => undefined,
  release: () => undefined,
};

/** A local edit of one file: its two texts, the edit's span in the old text, and how much longer the new text is. */
export interface EditSpan {
  readonly before: ts.SourceFile;
  readonly after: ts.SourceFile;
  readonly start: number;
  readonly oldEnd: number;
  readonly delta: number;
}

/**
 * An edit of one file that changed nothing outside function bodies whose content nothing else
 * depends on (see `surfaceOf`): a node of the old text before the edit is at the same place in the
 * new text, one after it is `delta` further; nodes in the body the edit is in are not carried, but for
 * those in the statements before the edited one when nothing from there on reaches back to them.
 */
interface LocalEdit extends EditSpan {
  /** The innermost function body around the edit, in the new text. */
  body: { pos: number; end: number } | undefined;
  /** Where the statements of that body before the edited one end (`unaffectedPrefixEnd`): nodes of the body that end by then are carried. */
  unaffectedEnd: number | undefined;
}

/** The program's lineage, fixed the first time it is asked for (the project's latest program becomes this one). */
export function lineageOf(program: ts.Program): Lineage {
  let lineage = lineages.get(program);
  if (lineage) return lineage;
  const options = program.getCompilerOptions();
  const previous = latest.get(options);
  latest.set(options, program);
  lineage = previous && previous !== program ? lineageFrom(previous, program) : NO_LINEAGE;
  lineages.set(program, lineage);
  // The previous program's own lineage lets its predecessor go: a chain of every program since the
  // project opened would stay in memory otherwise.
  if (previous) lineages.get(previous)?.release();
  return lineage;
}

/**
 * An import is matched by the module's name (the specifier's last segment, or the folder of an
 * `index` file), which errs towards dropping: a re-export or an alias whose target changed drops
 * its importers. A changed file whose shape is the same (an edit in a comment, in whitespace, in
 * the text of a template literal) drops no importer: nothing an importer resolves through it can
 * have changed, and answers pointing into it fail the same-file check and are resolved again.
 */
function lineageFrom(previous: ts.Program, program: ts.Program): Lineage {
  const reshaped: string[] = [];
  const localEdits = new Map<ts.SourceFile, LocalEdit>();
  /** The same edits by the file of this program. */
  const editedFiles = new Map<ts.SourceFile, LocalEdit>();
  const changedFiles: { before: ts.SourceFile; after: ts.SourceFile }[] = [];
  let changed = 0;
  let sameFiles = true;
  const previousFiles = previous.getSourceFiles();
  // The same files in the same order: a list of files carried with its changed files replaced is the one a fresh pass makes.
  let sameOrder = true;
  program.getSourceFiles().forEach((file, index) => {
    if (sameOrder && previousFiles[index]?.fileName !== file.fileName) sameOrder = false;
  });
  for (const file of program.getSourceFiles()) {
    const before = sourceFileNamed(previous, file.fileName);
    if (before === file) continue;
    changed++;
    if (!before) sameFiles = false;
    else changedFiles.push({ before, after: file });
    if (!before || surfaceOf(before) !== surfaceOf(file)) reshaped.push(file.fileName);
    else if (changed <= MAX_CHANGED_FILES) {
      const local = localEdit(before, file);
      if (local) {
        localEdits.set(before, local);
        editedFiles.set(file, local);
      }
    }
  }
  for (const file of previous.getSourceFiles()) {
    if (!sourceFileNamed(program, file.fileName)) {
      changed++;
      sameFiles = false;
      reshaped.push(file.fileName);
    }
  }
  if (changed > MAX_CHANGED_FILES) return NO_LINEAGE;
  const everyEditLocal = sameFiles && reshaped.length === 0 && localEdits.size === changed;
  const reshapedNames = new Set(reshaped.flatMap(moduleNames));
  const verdicts = new WeakMap<ts.SourceFile, boolean>();
  let before: ts.Program | undefined = previous;
  const keepsImports = (file: ts.SourceFile): boolean => !(reshapedNames.size > 0 && importedNames(file).some((name) => reshapedNames.has(name)));
  const carries = (file: ts.SourceFile): boolean => {
    if (!before) return false;
    let verdict = verdicts.get(file);
    if (verdict === undefined) {
      verdict = sourceFileNamed(before, file.fileName) === file && sourceFileNamed(program, file.fileName) === file && keepsImports(file);
      verdicts.set(file, verdict);
    }
    return verdict;
  };
  return {
    get previous() {
      return before;
    },
    sameFiles,
    get localEdits() {
      return before && everyEditLocal ? [...localEdits.values()] : undefined;
    },
    get changedFiles() {
      return before && sameFiles && sameOrder ? changedFiles : undefined;
    },
    carries,
    currentAround(node) {
      if (!before) return undefined;
      const local = localEdits.get(node.getSourceFile());
      if (!local || node.pos > local.start || node.end < local.oldEnd) return undefined;
      return nodeAt(local.after, node.pos, node.end + local.delta, node.kind);
    },
    current(node) {
      if (!before) return undefined;
      const file = node.getSourceFile();
      if (sourceFileNamed(program, file.fileName) === file) return node;
      const local = localEdits.get(file);
      return local && nodeAfter(local, node);
    },
    previousOf(node) {
      if (!before) return undefined;
      const file = node.getSourceFile();
      if (carries(file)) return node;
      const local = editedFiles.get(file);
      return local && keepsImports(file) ? nodeBefore(local, node) : undefined;
    },
    release() {
      before = undefined;
      localEdits.clear();
      editedFiles.clear();
      changedFiles.length = 0;
    },
  };
}

/** Per program, its files by name. */
const filesByName = new WeakMap<ts.Program, Map<string, ts.SourceFile>>();

/**
 * `program.getSourceFile(fileName)` for the names of the program's own files, looked up by the name as
 * the program wrote it: `getSourceFile` makes a canonical path of the name first, and the lineage and
 * the start-up walk ask it for most files of the program on every keystroke. Other names (another
 * spelling, a file the program lacks) are asked of the program.
 */
export function sourceFileNamed(program: ts.Program, fileName: string): ts.SourceFile | undefined {
  let byName = filesByName.get(program);
  if (!byName) {
    byName = new Map();
    for (const file of program.getSourceFiles()) byName.set(file.fileName, file);
    filesByName.set(program, byName);
  }
  return byName.get(fileName) ?? program.getSourceFile(fileName);
}

/** Per program, the file each `fromFile\0specifier` resolves to (undefined: a package or nothing), shared along a lineage whose files stay the same. */
const moduleFiles = new WeakMap<ts.Program, Map<string, string | undefined>>();

/**
 * The project file a module specifier names from a file of the program (undefined for packages and
 * for what does not resolve), resolved as the program's compiler options resolve it, the program's
 * own files first (in-memory buffers of an editor or a test resolve as on disk). A module the
 * checker cannot bind (a package that is not installed, an untyped one, a `require` in a
 * TypeScript file) is looked up through the file system, up every `node_modules` folder above the
 * file: an editor builds a program per keystroke, so answers are kept along the program's lineage
 * while no file is added or removed (outline: 9 of 27 s of six keystrokes went into looking up its
 * uninstalled packages again).
 */
export function moduleFileOf(program: ts.Program, fromFile: string, specifier: string): ts.SourceFile | undefined {
  const resolved = keptWhileFilesStay(moduleFiles, program, () => new Map<string, string | undefined>());
  const key = `${fromFile}\0${specifier}`;
  let fileName = resolved.get(key);
  if (fileName === undefined && !resolved.has(key)) {
    fileName = resolveModuleFile(program, fromFile, specifier);
    resolved.set(key, fileName);
  }
  return fileName === undefined ? undefined : sourceFileNamed(program, fileName);
}

/**
 * A program's entry of `store`: the previous program's while no file was added or removed (answers
 * that depend only on which files exist and on unchanged files' own text, keyed by file name or by
 * `ts.SourceFile`, which an unchanged file keeps), else a new one.
 */
export function keptWhileFilesStay<T extends object>(store: WeakMap<ts.Program, T>, program: ts.Program, make: () => T): T {
  let kept = store.get(program);
  if (!kept) {
    const lineage = lineageOf(program);
    kept = (lineage.sameFiles && lineage.previous && store.get(lineage.previous)) || make();
    store.set(program, kept);
  }
  return kept;
}

/** Per program, per question, the program's own files it holds for (see `programFilesWhere`), and how many own files there were. */
const filesWhereByProgram = new WeakMap<ts.Program, Map<unknown, { files: readonly ts.SourceFile[]; of: number }>>();

/**
 * The files of `files` (the program's own files, in the program's order) for which `holds` is true,
 * a question about a file's syntax alone (`key` names it): the previous program's list when no file
 * was added or removed, with each changed file asked again in place of what it was. A pass over every
 * file of the program on every keystroke was much of what some program-wide passes cost (outline:
 * 2,460 files, each looked up in a per-file cache by pass after pass). An edit that makes a file hold
 * where it did not builds the list again, which keeps the program's order.
 */
export function programFilesWhere(program: ts.Program, key: unknown, files: readonly ts.SourceFile[], holds: (file: ts.SourceFile) => boolean): readonly ts.SourceFile[] {
  let byKey = filesWhereByProgram.get(program);
  if (!byKey) filesWhereByProgram.set(program, (byKey = new Map<unknown, { files: readonly ts.SourceFile[]; of: number }>()));
  const known = byKey.get(key);
  if (known?.of === files.length) return known.files;
  const lineage = lineageOf(program);
  const changed = lineage.changedFiles;
  const before = changed && lineage.previous && filesWhereByProgram.get(lineage.previous)?.get(key);
  let found = before && before.of === files.length ? carriedFilesWhere(before.files, changed, holds) : undefined;
  found ??= files.filter(holds);
  byKey.set(key, { files: found, of: files.length });
  return found;
}

/** The previous list with each changed file asked again; undefined when one holds now that did not (its place in the order is unknown). */
function carriedFilesWhere(
  previous: readonly ts.SourceFile[],
  changed: readonly { readonly before: ts.SourceFile; readonly after: ts.SourceFile }[],
  holds: (file: ts.SourceFile) => boolean,
): ts.SourceFile[] | undefined {
  let result: ts.SourceFile[] | undefined;
  for (const { before, after } of changed) {
    const index = (result ?? previous).indexOf(before);
    const now = holds(after);
    if (index < 0) {
      if (now) return undefined;
      continue;
    }
    result ??= previous.slice();
    if (now) result[index] = after;
    else result.splice(index, 1);
  }
  return result ?? (previous as ts.SourceFile[]);
}

function resolveModuleFile(program: ts.Program, fromFile: string, specifier: string): string | undefined {
  try {
    const host: ts.ModuleResolutionHost = {
      fileExists: (name) => program.getSourceFile(name) !== undefined || ts.sys.fileExists(name),
      readFile: (name) => program.getSourceFile(name)?.text ?? ts.sys.readFile(name),
    };
    const resolved = ts.resolveModuleName(specifier, fromFile, program.getCompilerOptions(), host).resolvedModule;
    return resolved && !resolved.isExternalLibraryImport ? resolved.resolvedFileName : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The resolution of `name` in `program`: a carried-over answer when its file, the files it imports
 * by name and the files its declarations are in are all unchanged, else `resolve()`.
 */
export function cachedResolution(program: ts.Program, name: ts.Node, resolve: () => readonly ts.Declaration[]): readonly ts.Declaration[] {
  const resolutions = resolutionsOf(program);
  const file = name.getSourceFile();
  let inFile = resolutions.get(file);
  const known = inFile?.get(name);
  if (known) {
    const current = currentNodes(program, known);
    if (current) {
      if (current !== known) inFile!.set(name, current);
      return current;
    }
  }
  const resolved = resolve();
  if (!inFile) resolutions.set(file, (inFile = new Map<ts.Node, readonly ts.Declaration[]>()));
  inFile.set(name, resolved);
  return resolved;
}

/** Per program, yes/no answers the checker gave about nodes. */
const verdictsByProgram = new WeakMap<ts.Program, Map<ts.Node, boolean>>();

/**
 * A yes/no answer about a node that only the node's file and the shapes of the modules it imports
 * decide (whether the checker types a name `any`): the previous program's answer for the node it
 * was (`Lineage.previousOf`), else `decide()`.
 */
export function cachedVerdict(program: ts.Program, node: ts.Node, decide: () => boolean): boolean {
  return cachedValue(verdictsByProgram, program, node, decide);
}

/**
 * An answer about a node that names no node (a kind, a flag), decided as `cachedVerdict`'s is, kept
 * in the caller's own `store` (one per question).
 */
export function cachedValue<T extends string | number | boolean | null>(store: WeakMap<ts.Program, Map<ts.Node, T>>, program: ts.Program, node: ts.Node, decide: () => T): T {
  let answers = store.get(program);
  if (!answers) store.set(program, (answers = new Map<ts.Node, T>()));
  if (answers.has(node)) return answers.get(node)!;
  const lineage = lineageOf(program);
  const before = lineage.previous && store.get(lineage.previous);
  const was = before && lineage.previousOf(node);
  const answer = was && before.has(was) ? before.get(was)! : decide();
  answers.set(node, answer);
  return answer;
}

/**
 * An answer about a node that is a list of nodes (the functions a call runs), computed from the
 * node's file, the shapes of the modules it imports and the nodes it names: the previous program's
 * answer for the node this one was (`Lineage.previousOf`), each node of it still in this program
 * (unchanged, or moved by a local edit), else `compute()`.
 */
export function cachedNodes<T extends ts.Node>(store: WeakMap<ts.Program, Map<ts.Node, readonly T[]>>, program: ts.Program, node: ts.Node, compute: () => readonly T[]): readonly T[] {
  let answers = store.get(program);
  if (!answers) store.set(program, (answers = new Map<ts.Node, readonly T[]>()));
  let answer = answers.get(node);
  if (answer) return answer;
  const lineage = lineageOf(program);
  const was = lineage.previous && lineage.previousOf(node);
  const before = was && store.get(lineage.previous)?.get(was);
  answer = (before && currentNodes(program, before)) ?? compute();
  answers.set(node, answer);
  return answer;
}

/**
 * Nodes a carried answer names, in this program: the same ones, or moved by a local edit (the same
 * array when none moved), or undefined when one is gone.
 */
export function currentNodes<T extends ts.Node>(program: ts.Program, known: readonly T[]): readonly T[] | undefined {
  let moved: T[] | undefined;
  for (let i = 0; i < known.length; i++) {
    const node = known[i];
    if (sourceFileNamed(program, node.getSourceFile().fileName) === node.getSourceFile()) {
      moved?.push(node);
      continue;
    }
    const current = lineageOf(program).current(node) as T | undefined;
    if (!current) return undefined;
    moved ??= known.slice(0, i);
    moved.push(current);
  }
  return moved ?? known;
}

function resolutionsOf(program: ts.Program): Resolutions {
  let resolutions = ofProgram.get(program);
  if (resolutions) return resolutions;
  const lineage = lineageOf(program);
  const before = lineage.previous && ofProgram.get(lineage.previous);
  resolutions = new Map();
  if (before) {
    for (const [file, byName] of before) {
      if (lineage.carries(file)) resolutions.set(file, byName);
      else {
        // The edited file itself: its names outside the edited body keep their answers.
        const after = lineage.previous && sourceFileNamed(program, file.fileName);
        if (!after || after === file) continue;
        const moved = new Map<ts.Node, readonly ts.Declaration[]>();
        for (const [name, declarations] of byName) {
          const current = lineage.current(name);
          if (current) moved.set(current, declarations);
        }
        if (moved.size > 0) resolutions.set(after, moved);
      }
    }
  }
  ofProgram.set(program, resolutions);
  return resolutions;
}

/** The names an import of this file may use: `src/users/service.ts` → `service`; `lib/db/index.ts` → `index`, `db`. */
function moduleNames(fileName: string): string[] {
  const parts = fileName.split('/');
  const base = (parts.at(-1) ?? '').replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
  return base === 'index' && parts.length > 1 ? [base, parts.at(-2) ?? ''] : [base];
}

const importedNamesOf = new WeakMap<ts.SourceFile, string[]>();

/** The last segment of every module specifier of a file (imports, re-exports, requires, import()). */
function importedNames(file: ts.SourceFile): string[] {
  let names = importedNamesOf.get(file);
  if (!names) {
    names = moduleSpecifiers(file.text).map((specifier) => (specifier.split('/').at(-1) ?? '').replace(/\.[cm]?[jt]sx?$/, ''));
    importedNamesOf.set(file, names);
  }
  return names;
}

const surfaces = new WeakMap<ts.SourceFile, string>();

/**
 * What of a file can change what names resolve to, in it and in its importers: every node's kind,
 * every name and every literal, but not comments, whitespace, JSX text, the text of template
 * literals outside types (CSS, SQL, HTML kept in templates), nor the bodies nothing outside them
 * depends on (`isSealedBody`). In JavaScript, JSDoc comments are types and types are inferred from
 * bodies: the whole text counts.
 */
function surfaceOf(file: ts.SourceFile): string {
  let shape = surfaces.get(file);
  if (shape !== undefined) return shape;
  if (/\.[cm]?jsx?$/.test(file.fileName)) shape = file.text;
  else {
    const parts: string[] = [];
    const visit = (node: ts.Node, inType: boolean): void => {
      parts.push(String(node.kind));
      if (isSealedBody(node)) {
        parts.push('{…})');
        return;
      }
      if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) parts.push(node.text);
      else if (ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isBigIntLiteral(node) || ts.isRegularExpressionLiteral(node)) parts.push(JSON.stringify(node.text));
      else if (ts.isTemplateLiteralToken(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (inType) parts.push(JSON.stringify(node.text));
      }
      const childInType = inType || ts.isTypeNode(node);
      ts.forEachChild(node, (child) => visit(child, childInType));
      parts.push(')');
    };
    visit(file, false);
    shape = parts.join(' ');
  }
  surfaces.set(file, shape);
  return shape;
}

/**
 * A function body whose content no code outside it depends on: the function's type does not come
 * from it (an explicit return type, a constructor) or its value is thrown away (a callback given to a
 * call whose result is unused: `router.post('/x', async (ctx) => { … })`).
 */
function isSealedBody(node: ts.Node): boolean {
  const fn = node.parent;
  if (!fn || !ts.isFunctionLike(fn) || (fn as ts.FunctionLikeDeclaration).body !== node) return false;
  if (ts.isConstructorDeclaration(fn) || fn.type !== undefined) return true;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  let call: ts.Node = fn.parent;
  while (ts.isParenthesizedExpression(call)) call = call.parent;
  if (!ts.isCallExpression(call) || !call.arguments.some((argument) => argument === fn)) return false;
  let use: ts.Node = call.parent;
  while (ts.isParenthesizedExpression(use) || ts.isAwaitExpression(use)) use = use.parent;
  return ts.isExpressionStatement(use);
}

/** The edit between two texts of a file (their common start and end), when it lies in one sealed body. */
function localEdit(before: ts.SourceFile, after: ts.SourceFile): LocalEdit | undefined {
  const a = before.text;
  const b = after.text;
  let start = 0;
  const shorter = Math.min(a.length, b.length);
  while (start < shorter && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < shorter - start && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  const delta = b.length - a.length;
  const newEnd = b.length - suffix;
  // The innermost sealed body around the edit in the new text (none: the edit is in trivia or template text).
  let body: ts.Node | undefined;
  let straddled = false;
  const visit = (node: ts.Node): void => {
    if (node.end < start || node.pos > newEnd) return;
    const contains = node.pos <= start && node.end >= newEnd;
    if (isSealedBody(node)) {
      // An edit from one body into code around it (or into another body): nothing of the file is carried.
      if (!contains) straddled = true;
      else body = node;
    }
    if (contains || !straddled) ts.forEachChild(node, visit);
  };
  visit(after);
  if (straddled) return undefined;
  const unaffectedEnd = body && unaffectedPrefixEnd(before, body, start, newEnd, delta);
  return { before, after, start, oldEnd: a.length - suffix, delta, body: body && { pos: body.pos, end: body.end }, unaffectedEnd };
}

/** The node of the new text at the place of an old node outside the edit and outside the edited body. */
function nodeAfter(edit: LocalEdit, node: ts.Node): ts.Node | undefined {
  let pos: number;
  let end: number;
  if (node.end <= edit.start) [pos, end] = [node.pos, node.end];
  else if (node.pos >= edit.oldEnd) [pos, end] = [node.pos + edit.delta, node.end + edit.delta];
  else return undefined;
  if (edit.body && pos < edit.body.end && end > edit.body.pos && !inUnaffectedPrefix(edit, pos, end)) return undefined;
  return nodeAt(edit.after, pos, end, node.kind);
}

/** The node of the old text at the place of a new node outside the edit and outside the edited body. */
function nodeBefore(edit: LocalEdit, node: ts.Node): ts.Node | undefined {
  if (edit.body && node.pos < edit.body.end && node.end > edit.body.pos && !inUnaffectedPrefix(edit, node.pos, node.end)) return undefined;
  if (node.end <= edit.start) return nodeAt(edit.before, node.pos, node.end, node.kind);
  if (node.pos >= edit.oldEnd + edit.delta) return nodeAt(edit.before, node.pos - edit.delta, node.end - edit.delta, node.kind);
  return undefined;
}

/** Whether a node (before the edit: the same place in both texts) is in the edited body's statements before the edited one. */
function inUnaffectedPrefix(edit: LocalEdit, pos: number, end: number): boolean {
  return edit.unaffectedEnd !== undefined && edit.body !== undefined && pos >= edit.body.pos && end <= edit.unaffectedEnd;
}

