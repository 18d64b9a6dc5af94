import ts = require('typescript');
import { moduleSpecifiers } from '../project-index/import-scan';

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
   * same, and it imports no module whose shape changed. Answers that point into a changed file must
   * still be checked by the caller (their nodes are gone).
   */
  carries(file: ts.SourceFile): boolean;
  /**
   * A node of the previous program in this program: itself in a file that did not change; in a
   * changed file whose edit stayed inside one function body that nothing outside it depends on, the
   * node at the same place (shifted past the edit), unless it is in that body; else undefined.
   */
  current(node: ts.Node): ts.Node | undefined;
  /** Forgets the previous program (once a newer program follows this one): nothing is carried any more. */
  release(): void;
}

const latest = new WeakMap<ts.CompilerOptions, ts.Program>();
const lineages = new WeakMap<ts.Program, Lineage>();
const ofProgram = new WeakMap<ts.Program, Resolutions>();

/** More changed files than this (a branch switch, a codegen run) and nothing is carried over. */
const MAX_CHANGED_FILES = 64;

const NO_LINEAGE: Lineage = { previous: undefined, carries: () => false, current: () => undefined, release: () => undefined };

/**
 * An edit of one file that changed nothing outside function bodies whose content nothing else
 * depends on (see `surfaceOf`): a node of the old text before the edit is at the same place in the
 * new text, one after it is `delta` further; nodes in the body the edit is in are not carried.
 */
interface LocalEdit {
  after: ts.SourceFile;
  /** The edit's span in the old text, and how much longer the new text is. */
  start: number;
  oldEnd: number;
  delta: number;
  /** The innermost function body around the edit, in the new text. */
  body: { pos: number; end: number } | undefined;
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
  let changed = 0;
  for (const file of program.getSourceFiles()) {
    const before = previous.getSourceFile(file.fileName);
    if (before === file) continue;
    changed++;
    if (!before || surfaceOf(before) !== surfaceOf(file)) reshaped.push(file.fileName);
    else if (changed <= MAX_CHANGED_FILES) {
      const local = localEdit(before, file);
      if (local) localEdits.set(before, local);
    }
  }
  for (const file of previous.getSourceFiles()) {
    if (!program.getSourceFile(file.fileName)) {
      changed++;
      reshaped.push(file.fileName);
    }
  }
  if (changed > MAX_CHANGED_FILES) return NO_LINEAGE;
  const reshapedNames = new Set(reshaped.flatMap(moduleNames));
  const verdicts = new WeakMap<ts.SourceFile, boolean>();
  let before: ts.Program | undefined = previous;
  return {
    get previous() {
      return before;
    },
    carries(file) {
      if (!before) return false;
      let verdict = verdicts.get(file);
      if (verdict === undefined) {
        verdict = before.getSourceFile(file.fileName) === file && !(reshapedNames.size > 0 && importedNames(file).some((name) => reshapedNames.has(name)));
        verdicts.set(file, verdict);
      }
      return verdict;
    },
    current(node) {
      if (!before) return undefined;
      const file = node.getSourceFile();
      if (program.getSourceFile(file.fileName) === file) return node;
      const local = localEdits.get(file);
      return local && nodeAfter(local, node);
    },
    release() {
      before = undefined;
      localEdits.clear();
    },
  };
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
    const current = currentDeclarations(program, known);
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

/** A carried answer's declarations in this program (the same ones, or moved by a local edit), or undefined when one is gone. */
function currentDeclarations(program: ts.Program, known: readonly ts.Declaration[]): readonly ts.Declaration[] | undefined {
  let moved: ts.Declaration[] | undefined;
  for (let i = 0; i < known.length; i++) {
    const declaration = known[i];
    if (program.getSourceFile(declaration.getSourceFile().fileName) === declaration.getSourceFile()) {
      moved?.push(declaration);
      continue;
    }
    const current = lineageOf(program).current(declaration) as ts.Declaration | undefined;
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
        const after = lineage.previous && program.getSourceFile(file.fileName);
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
  let body: { pos: number; end: number } | undefined;
  let straddled = false;
  const visit = (node: ts.Node): void => {
    if (node.end < start || node.pos > newEnd) return;
    const contains = node.pos <= start && node.end >= newEnd;
    if (isSealedBody(node)) {
      // An edit from one body into code around it (or into another body): nothing of the file is carried.
      if (!contains) straddled = true;
      else body = { pos: node.pos, end: node.end };
    }
    if (contains || !straddled) ts.forEachChild(node, visit);
  };
  visit(after);
  return straddled ? undefined : { after, start, oldEnd: a.length - suffix, delta, body };
}

/** The node of the new text at the place of an old node outside the edit and outside the edited body. */
function nodeAfter(edit: LocalEdit, node: ts.Node): ts.Node | undefined {
  let pos: number;
  let end: number;
  if (node.end <= edit.start) [pos, end] = [node.pos, node.end];
  else if (node.pos >= edit.oldEnd) [pos, end] = [node.pos + edit.delta, node.end + edit.delta];
  else return undefined;
  if (edit.body && pos < edit.body.end && end > edit.body.pos) return undefined;
  let found: ts.Node | undefined;
  const descend = (current: ts.Node): void => {
    if (current.pos === pos && current.end === end && current.kind === node.kind) found = current;
    ts.forEachChild(current, (child) => {
      if (!found && child.pos <= pos && child.end >= end) descend(child);
    });
  };
  descend(edit.after);
  return found;
}
