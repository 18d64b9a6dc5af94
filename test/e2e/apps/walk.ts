// The statement walk of issue 10: for a file `stateless fix` changed, every statement of the
// original is accounted for in the file it wrote. Written apart from core's own check
// (core/src/fixes/invariants.ts), from the two texts and what the CLI printed only, so it can catch
// what that check lets through:
//   - kept: the statement is in the fixed file (anywhere, at any depth: a continuation moved after
//     an `await` or into a `.then` counts), compared token by token without `await`/`async`;
//   - rewritten in place: the statement is still there, at the place a token diff aligns it with,
//     and parses as one statement, with an expression inside it changed by the fix (an awaited
//     adapter call instead of a Map lookup);
//   - removed or replaced with a reason: inside a statement the fix output names in a
//     "removes `…` (file:line): reason" or "replaces `…` (file:line) with `…`: reason" line;
//   - dropped: none of these. The test expects none.
// Only simple statements (those with no statement inside) are judged: a block, `if` or callback is
// judged by the statements inside it, which is where the work and the responses are.
import ts from 'typescript';

export interface StatementWalk {
  file: string;
  kept: number;
  rewritten: string[];
  declared: string[];
  dropped: string[];
}

interface Declared {
  file: string;
  line: number;
  quoted: string;
  reason: string;
}

/** The "removes …" and "replaces …" notes of `stateless fix` output. */
export function declaredRemovals(fixOutput: string): Declared[] {
  const found: Declared[] = [];
  for (const match of fixOutput.matchAll(/^\s+(?:removes|replaces) `(.+?)` \(([^():]+):(\d+)\)(?: with `.*?`)?: (.+)$/gm)) {
    found.push({ quoted: match[1], file: match[2], line: Number(match[3]), reason: match[4] });
  }
  return found;
}

export function walkStatements(file: string, original: string, fixed: string, fixOutput: string): StatementWalk {
  const before = parse(file, original);
  const after = parse(file, fixed);
  const inAfter = new Set(allStatements(after).map((statement) => normalised(statement, after)));
  // Statements of the fixed file by where they end, with where they start: a statement rewritten in
  // place may have gained an `await` in front (`fs.mkdirSync(…)` → `await fs.promises.mkdir(…)`).
  const afterStarts = new Map<number, number[]>();
  for (const statement of allStatements(after)) afterStarts.set(statement.getEnd(), [...(afterStarts.get(statement.getEnd()) ?? []), statement.getStart(after)]);
  const statementAt = (start: number, end: number): number | undefined =>
    afterStarts.get(end)?.find((candidate) => candidate <= start && tokensOf(after, candidate, start).every((token) => token.text === 'await'));
  const aligned = alignTokens(tokensOf(before), tokensOf(after));
  const alignedLines = alignTokens(linesOf(before), linesOf(after));
  // Each statement of the fixed file stands in for at most one statement of the original.
  const claimed = new Set<ts.Statement>();
  const declaredSpans = declaredRemovals(fixOutput)
    .filter((note) => note.file === file)
    .flatMap((note) => {
      // The CLI numbers lines in the file as the fixes before this one left it (their imports move it down, a block
      // they collapsed moves it up), and quotes its text as they left it (an `async`/`await` added): the statement
      // with the quoted text, `await` and `async` aside, on that line, or else the one with that text nearest above
      // it, or else the first below it.
      const quoted = allStatements(before).filter((candidate) => withoutAwait(shown(candidate.getText(before))) === withoutAwait(note.quoted));
      const statement = quoted.find((candidate) => lineOf(before, candidate) === note.line) ?? quoted.filter((candidate) => lineOf(before, candidate) < note.line).at(-1) ?? quoted[0];
      return statement ? [{ start: statement.getStart(before), end: statement.getEnd(), note }] : [];
    });

  const walk: StatementWalk = { file, kept: 0, rewritten: [], declared: [], dropped: [] };
  for (const statement of allStatements(before)) {
    if (allStatements(statement).length > 0) continue;
    const at = `${file}:${lineOf(before, statement)}`;
    const declaration = declaredSpans.find((span) => span.start <= statement.getStart(before) && statement.getEnd() <= span.end);
    if (inAfter.has(normalised(statement, before))) walk.kept++;
    else if (declaration) walk.declared.push(`${at} \`${shown(statement.getText(before))}\`: ${declaration.note.reason}`);
    else {
      const first = aligned.get(statement.getStart(before));
      const last = aligned.get(lastTokenStart(statement, before));
      const end = last === undefined ? undefined : last + (statement.getEnd() - lastTokenStart(statement, before));
      const start = first === undefined || end === undefined ? undefined : statementAt(first, end);
      const replacement = start === undefined ? replacementInGap(statement, before, after, alignedLines, claimed) : undefined;
      if (start !== undefined) walk.rewritten.push(`${at} \`${shown(statement.getText(before))}\` → \`${shown(fixed.slice(start, end))}\``);
      else if (replacement) walk.rewritten.push(`${at} \`${shown(statement.getText(before))}\` → \`${shown(replacement.getText(after))}\``);
      else walk.dropped.push(`${at} \`${shown(statement.getText(before))}\``);
    }
  }
  return walk;
}

/**
 * A statement rewritten into another form (`delete tokens[t]` → `await tokens.delete(t)`,
 * `var tokens = {}` → `const tokens = createSessionStore('tokens')`): the lines kept on either side
 * of it (a line diff, which a token diff's many repeated tokens cannot mislead) anchor a gap in the
 * fixed file, and one statement lies wholly in that gap and names one of the same identifiers. A
 * statement deleted with nothing in its place has no such replacement.
 */
function replacementInGap(statement: ts.Statement, before: ts.SourceFile, after: ts.SourceFile, alignedLines: Map<number, number>, claimed: Set<ts.Statement>): ts.Statement | undefined {
  const beforeLines = linesOf(before);
  const afterLines = linesOf(after);
  const first = before.getLineAndCharacterOfPosition(statement.getStart(before)).line;
  const last = before.getLineAndCharacterOfPosition(statement.getEnd()).line;
  let gapStart = 0;
  for (let line = first - 1; line >= 0; line--) {
    const mapped = alignedLines.get(beforeLines[line].start);
    if (mapped !== undefined) {
      gapStart = mapped + afterLines.find((candidate) => candidate.start === mapped)!.length;
      break;
    }
  }
  let gapEnd = after.text.length;
  for (let line = last + 1; line < beforeLines.length; line++) {
    const mapped = alignedLines.get(beforeLines[line].start);
    if (mapped !== undefined) {
      gapEnd = mapped;
      break;
    }
  }
  const names = new Set(identifiersOf(statement));
  const gapLine = after.getLineAndCharacterOfPosition(gapStart).line;
  const gapFirstBefore = beforeGapLine(first, beforeLines, alignedLines);
  // The candidate sharing most names, then the one as far into the gap as the statement was.
  let best: { statement: ts.Statement; score: number } | undefined;
  for (const candidate of allStatements(after)) {
    if (claimed.has(candidate) || candidate.getStart(after) < gapStart || candidate.getEnd() > gapEnd || allStatements(candidate).length > 0) continue;
    const shared = new Set(identifiersOf(candidate).filter((name) => names.has(name))).size;
    if (shared === 0) continue;
    const distance = Math.abs(after.getLineAndCharacterOfPosition(candidate.getStart(after)).line - gapLine - (first - gapFirstBefore));
    const score = shared * 1000 - distance;
    if (!best || score > best.score) best = { statement: candidate, score };
  }
  if (best) claimed.add(best.statement);
  return best?.statement;
}

/** The first line of the gap around `line` in the original (the line after the kept line above it). */
function beforeGapLine(line: number, beforeLines: Token[], alignedLines: Map<number, number>): number {
  for (let index = line - 1; index >= 0; index--) if (alignedLines.has(beforeLines[index].start)) return index + 1;
  return 0;
}

/** Each line of a file as a token of a line diff: its trimmed text, where it starts, how long it is. */
function linesOf(file: ts.SourceFile): (Token & { length: number })[] {
  const lines: (Token & { length: number })[] = [];
  let start = 0;
  for (const line of file.text.split('\n')) {
    lines.push({ text: line.trim(), start, length: line.length });
    start += line.length + 1;
  }
  return lines;
}

function identifiersOf(node: ts.Node): string[] {
  const found: string[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) || ts.isPrivateIdentifier(child)) found.push(child.text);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function parse(fileName: string, text: string): ts.SourceFile {
  const kind = /\.[cm]?jsx?$/.test(fileName) ? ts.ScriptKind.JSX : fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
}

function lineOf(file: ts.SourceFile, node: ts.Node): number {
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

/** Every statement below `root`, at every depth (inside functions and callbacks too). */
function allStatements(root: ts.Node): ts.Statement[] {
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
  if (!parent || ts.isBlock(node) || node.kind === ts.SyntaxKind.EndOfFileToken) return false;
  if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isModuleBlock(parent)) return true;
  if (ts.isIfStatement(parent)) return node === parent.thenStatement || node === parent.elseStatement;
  if (ts.isIterationStatement(parent, false) || ts.isLabeledStatement(parent)) return node === parent.statement;
  return false;
}

interface Token {
  text: string;
  start: number;
}

function tokensOf(file: ts.SourceFile, from = 0, to = file.text.length): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, file.languageVariant, file.text, undefined, from, to - from);
  const tokens: Token[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) tokens.push({ text: scanner.getTokenText(), start: scanner.getTokenStart() });
  return tokens;
}

function lastTokenStart(node: ts.Node, file: ts.SourceFile): number {
  const tokens = tokensOf(file, node.getStart(file), node.getEnd());
  return tokens[tokens.length - 1].start;
}

/** A quoted statement without the `async` and `await` keywords an earlier fix may have added to it. */
function withoutAwait(text: string): string {
  return text.replace(/\b(?:async|await)\s+/g, '');
}

/** A statement's tokens joined by one space, without `await`, `async` and a trailing `;`. */
function normalised(node: ts.Node, file: ts.SourceFile): string {
  const texts = tokensOf(file, node.getStart(file), node.getEnd())
    .map((token) => token.text)
    .filter((text) => text !== 'await' && text !== 'async');
  while (texts[texts.length - 1] === ';') texts.pop();
  return texts.join(' ');
}

/** How `stateless fix` quotes a statement: its first line, shortened. */
function shown(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  const first = lines[0].trim().replace(/;$/, '');
  if (first.length > 80) return `${first.slice(0, 77)}…`;
  return lines.length > 1 ? `${first} …` : first;
}

/**
 * Myers' diff of two token lists: for each token of `a` that the shortest edit script keeps, its
 * offset in `a` → the offset of the same token in `b`.
 */
export function alignTokens(a: Token[], b: Token[]): Map<number, number> {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x].text === b[y].text) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk the trace back from the end, collecting the diagonal (kept) moves.
  const kept = new Map<number, number>();
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const saved = trace[d];
    const at = (k: number) => saved[k + d + 1];
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      kept.set(a[x].start, b[y].start);
    }
    if (d > 0) {
      x = previousX;
      y = previousY;
    }
  }
  return kept;
}
