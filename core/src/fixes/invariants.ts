import ts = require('typescript');
import type { FixPlan, TextEdit } from '../types';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/** Calls that answer a request: `res.send(…)`, `res.status(201).json(…)`, `reply.send(…)`, Hono's `c.json(…)`. */
const RESPONSE_METHODS = new Set(['send', 'json', 'jsonp', 'end', 'redirect', 'render', 'sendFile', 'sendStatus', 'download', 'writeHead', 'text', 'html']);
/** Callees that hand an error on: Express's `next(err)`, a Node callback's `cb(err)`. */
const ERROR_CALLEES = new Set(['next', 'cb', 'callback', 'done']);
/** Response objects that answer with an assignment: Koa's `ctx.body = …`. */
const RESPONSE_PROPERTIES = new Set(['body']);

export type PlanCheck = { notes: string[] } | { refused: string };

/** How the check names places and reads the texts a plan edits. */
export interface CheckHost {
  /** The text a plan's edits are offsets into (undefined: the file does not exist yet). */
  textOf: (fileName: string) => string | undefined;
  displayPath: (fileName: string) => string;
}

/**
 * The fix invariants, checked on every plan before anyone applies it: each statement of the
 * original that an edit replaces is in the result again (possibly awaited, inside a `.then`, or
 * after an awaited call), replaced by what the plan says, or removed with a stated reason; every
 * response sent in the edited code is still sent; every error handed to `next(err)`, a callback or
 * a `catch` still is. Cheap and conservative: statements are compared by normalised text (without
 * `await`/`async` and layout), responses and error routes by count per object. A plan that breaks
 * one is refused with the statement that blocks it; the notes name each declared removal.
 */
export function checkPlan(plan: Pick<FixPlan, 'edits' | 'removedStatements' | 'replacedStatements'>, host: CheckHost): PlanCheck {
  const notes: string[] = [];
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of plan.edits) byFile.set(edit.fileName, [...(byFile.get(edit.fileName) ?? []), edit]);
  for (const [fileName, edits] of byFile) {
    const original = host.textOf(fileName);
    if (original === undefined) continue;
    const result = checkFile(fileName, original, edits, plan, host);
    if ('refused' in result) return result;
    notes.push(...result.notes);
  }
  return { notes };
}

function checkFile(fileName: string, original: string, edits: TextEdit[], plan: Pick<FixPlan, 'removedStatements' | 'replacedStatements'>, host: CheckHost): PlanCheck {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const before = parse(fileName, original);
  const where = (offset: number): string => `${host.displayPath(fileName)}:${before.getLineAndCharacterOfPosition(offset).line + 1}`;
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1];
    const edit = sorted[index];
    if (edit.start < previous.end && (previous.start !== previous.end || edit.start !== edit.end)) return { refused: `two of its edits overlap at ${where(edit.start)}` };
  }
  const afterText = applyEdits(original, sorted);
  const after = parse(fileName, afterText);
  const removed = (plan.removedStatements ?? []).filter((span) => span.fileName === fileName);
  const replaced = (plan.replacedStatements ?? []).filter((span) => span.fileName === fileName);
  const declared = (node: ts.Node): boolean => [...removed, ...replaced].some((span) => span.start <= node.getStart(before) && node.getEnd() <= span.end);
  const replacing = sorted.filter((edit) => edit.end > edit.start);
  // An edit of exactly an expression statement's expression rewrites the statement, it does not replace it:
  // without a `;` (ASI style) the statement ends where its expression does, and must not count as covered
  // when the same statement with a `;` does not.
  const rewritesExpressionOnly = (node: ts.Node, edit: TextEdit): boolean => ts.isExpressionStatement(node) && edit.start === node.expression.getStart(before) && edit.end === node.expression.getEnd();
  const covered = (node: ts.Node): boolean => replacing.some((edit) => edit.start <= node.getStart(before) && node.getEnd() <= edit.end && !rewritesExpressionOnly(node, edit));
  const overlapped = (node: ts.Node): boolean => replacing.some((edit) => edit.start < node.getEnd() && node.getStart(before) < edit.end);

  let statementsAfter: Set<string> | undefined;
  const inResult = (text: string): boolean => (statementsAfter ??= new Set(statementsOf(after).map((statement) => normalise(statement, after)))).has(text);

  const notes: string[] = [];
  for (const span of replaced) {
    const statement = shown(original.slice(span.start, span.end));
    if (!inResult(normaliseText(fileName, span.replacement))) return { refused: `it replaces \`${statement}\` (${where(span.start)}) with \`${shown(span.replacement)}\`, which is not in the result` };
    notes.push(`replaces \`${statement}\` (${where(span.start)}) with \`${shown(span.replacement)}\`: ${span.reason}`);
  }
  for (const span of removed) notes.push(`removes \`${shown(original.slice(span.start, span.end))}\` (${where(span.start)}): ${span.reason}`);

  for (const statement of statementsOf(before)) {
    if (!covered(statement) || declared(statement)) continue;
    if (inResult(normalise(statement, before))) continue;
    // A block, `if` or `try` is judged by the statements inside it: they may move (into a `catch`, after an `await`).
    if (statementsOf(statement).length > 0) continue;
    const sink = firstSink(statement);
    return { refused: `it drops \`${shown(statement.getText(before))}\` (${where(statement.getStart(before))})${sink ? `, which ${sink.kind === 'response' ? 'sends the response' : 'passes the error on'}` : ''}` };
  }

  const sinksBefore = sinksOf(before);
  const sinksAfter = sinksOf(after);
  for (const sink of sinksBefore) {
    if (!overlapped(sink.node) || declared(sink.node)) continue;
    const count = (sinks: Sink[], file: ts.SourceFile): number => sinks.filter((other) => other.key === sink.key).length + (sink.kind === 'response' ? handedOver(file, sink.root) : 0);
    if (count(sinksAfter, after) >= count(sinksBefore, before)) continue;
    const what = sink.kind === 'response' ? 'sends the response' : sink.key === 'catch' ? 'catches the error' : 'passes the error on';
    return { refused: `it drops \`${shown(sink.node.getText(before))}\` (${where(sink.node.getStart(before))}), which ${what}` };
  }
  return { notes };
}

/** A file's text parsed as its extension says (JavaScript, JSX, TypeScript, TSX), with parents set. */
export function parse(fileName: string, text: string): ts.SourceFile {
  const kind = /\.[cm]?jsx?$/.test(fileName) ? (fileName.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS) : fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** A statement's first line, shortened: how messages quote it. */
function shown(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  const first = lines[0].trim().replace(/;$/, '');
  if (first.length > 80) return `${first.slice(0, 77)}…`;
  return lines.length > 1 ? `${first} …` : first;
}

/** Every statement inside `root` (not `root` itself), at every depth. */
function statementsOf(root: ts.Node): ts.Statement[] {
  const found: ts.Statement[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== root && isStatement(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function isStatement(node: ts.Node): node is ts.Statement {
  const parent = node.parent as ts.Node | undefined;
  if (!parent || ts.isBlock(node)) return false;
  if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isModuleBlock(parent)) return true;
  if (ts.isIfStatement(parent)) return node === parent.thenStatement || node === parent.elseStatement;
  if (ts.isIterationStatement(parent, false) || ts.isLabeledStatement(parent)) return node === parent.statement;
  return false;
}

/**
 * A node's text as the check compares it: tokens joined by one space, without `await`, the
 * parentheses around an awaited expression, `async`, or a trailing `;`.
 */
function normalise(node: ts.Node, file: ts.SourceFile): string {
  const start = node.getStart(file);
  const cuts: [number, number][] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isAwaitExpression(child)) cuts.push([child.getStart(file), child.expression.getStart(file)]);
    if (ts.isParenthesizedExpression(child) && ts.isAwaitExpression(child.expression)) {
      cuts.push([child.getStart(file), child.expression.getStart(file)], [child.expression.getEnd(), child.getEnd()]);
    }
    if (child.kind === SyntaxKind.AsyncKeyword) cuts.push([child.getStart(file), child.getEnd()]);
    ts.forEachChild(child, visit);
    if (ts.canHaveModifiers(child)) for (const modifier of ts.getModifiers(child) ?? []) if (modifier.kind === SyntaxKind.AsyncKeyword) cuts.push([modifier.getStart(file), modifier.getEnd()]);
  };
  visit(node);
  cuts.sort((a, b) => a[0] - b[0]);
  let text = '';
  let at = start;
  for (const [from, to] of cuts) {
    if (from < at) continue;
    text += file.text.slice(at, from);
    at = to;
  }
  text += file.text.slice(at, node.getEnd());
  return tokens(text, file.languageVariant);
}

function normaliseText(fileName: string, text: string): string {
  const file = parse(fileName, text);
  const statement = file.statements[0];
  return statement ? normalise(statement, file) : tokens(text, file.languageVariant);
}

function tokens(text: string, variant: ts.LanguageVariant): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const parts: string[] = [];
  // The `}` that closes a template's `${…}` goes on with the template's text (`}), 0)::int\``), which a
  // plain scan would read as code up to the next backtick: lines re-indented around it would differ.
  const openBraces: number[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === SyntaxKind.TemplateHead) openBraces.push(0);
    else if (kind === SyntaxKind.OpenBraceToken && openBraces.length > 0) openBraces[openBraces.length - 1]++;
    else if (kind === SyntaxKind.CloseBraceToken && openBraces.length > 0) {
      if (openBraces[openBraces.length - 1] > 0) openBraces[openBraces.length - 1]--;
      else if (scanner.reScanTemplateToken(false) === SyntaxKind.TemplateTail) openBraces.pop();
    }
    parts.push(scanner.getTokenText());
  }
  while (parts[parts.length - 1] === ';') parts.pop();
  return parts.join(' ');
}

interface Sink {
  kind: 'response' | 'error';
  /** What is counted: `response:res`, `error:next`, `catch`. */
  key: string;
  /** The response object (`res`, `reply`, `ctx`), for responses. */
  root: string;
  node: ts.Node;
}

/** Where a request is answered or an error is passed on. */
function sinksOf(file: ts.SourceFile): Sink[] {
  const sinks: Sink[] = [];
  const visit = (node: ts.Node): void => {
    const sink = sinkAt(node);
    if (sink) sinks.push(sink);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sinks;
}

function firstSink(root: ts.Node): Sink | undefined {
  let found = sinkAt(root);
  const visit = (node: ts.Node): void => {
    found ??= sinkAt(node);
    if (!found) ts.forEachChild(node, visit);
  };
  if (!found) ts.forEachChild(root, visit);
  return found;
}

function sinkAt(node: ts.Node): Sink | undefined {
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && RESPONSE_METHODS.has(callee.name.text)) {
      const root = rootOf(callee.expression);
      if (root && answersThrough(node, root)) return { kind: 'response', key: `response:${root}`, root, node };
    }
    if (ts.isIdentifier(callee) && ERROR_CALLEES.has(callee.text) && node.arguments.length > 0) return { kind: 'error', key: `error:${callee.text}`, root: callee.text, node };
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'catch') return { kind: 'error', key: 'catch', root: '', node };
  }
  if (ts.isCatchClause(node)) return { kind: 'error', key: 'catch', root: '', node };
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && RESPONSE_PROPERTIES.has(node.left.name.text)) {
    const root = rootOf(node.left.expression);
    if (root) return { kind: 'response', key: `response:${root}`, root, node };
  }
  if (ts.isReturnStatement(node) && node.expression) {
    const value = node.expression;
    const isResponse =
      (ts.isNewExpression(value) && /^(?:Next)?Response$/.test(value.expression.getText())) ||
      (ts.isCallExpression(value) && /^(?:Next)?Response\.\w+$/.test(value.expression.getText()));
    if (isResponse) return { kind: 'response', key: 'response:Response', root: 'Response', node };
  }
  return undefined;
}

/**
 * Whether `root` can be the response a handler answers through: a parameter of a function around
 * the call (`res`, `reply`, `ctx`, `c`, also destructured), or `this`. A module's own object
 * (`mailer.send(…)` with `mailer` imported or made at the top) is not.
 */
function answersThrough(node: ts.Node, root: string): boolean {
  if (root === 'this') return true;
  const names = (name: ts.BindingName): string[] => (ts.isIdentifier(name) ? [name.text] : name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : names(element.name))));
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && current.parameters.some((parameter) => names(parameter.name).includes(root))) return true;
  }
  return false;
}

/** `res` of `res.status(201).json`: the identifier (or `this`) a call chain starts from. */
function rootOf(expression: ts.Expression): string | undefined {
  let current: ts.Expression = expression;
  for (;;) {
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current) || ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAwaitExpression(current)) current = current.expression;
    else break;
  }
  if (ts.isIdentifier(current)) return current.text;
  if (current.kind === SyntaxKind.ThisKeyword) return 'this';
  return undefined;
}

/** Calls that take the response object as an argument (`objectStore.sendFile(res, key)`) answer through it. */
function handedOver(file: ts.SourceFile, root: string): number {
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && sinkAt(node)?.root !== root && node.arguments.some((argument) => ts.isIdentifier(argument) && argument.text === root)) count++;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return count;
}
