/**
 * ESLint's inline disable comments, read the way ESLint reads them, so a suppression written for
 * CI silences the editor too: `// eslint-disable-next-line stateless/x -- why`,
 * `// eslint-disable-line`, `/* eslint-disable *\/ … /* eslint-enable *\/`, with or without rule
 * lists. Only `stateless/<rule>` names (or no names: every rule) concern us.
 */
export interface Suppressions {
  /** Whether a finding of `ruleId` on the 1-based `line` is disabled. */
  isSuppressed(ruleId: string, line: number): boolean;
}

const PLUGIN_PREFIX = 'stateless/';
const DIRECTIVE = /^\s*(eslint-disable-next-line|eslint-disable-line|eslint-disable|eslint-enable)(?:\s+([^]*?))?\s*$/;

interface Range {
  /** null: every rule. */
  rules: Set<string> | null;
  from: number;
  to: number;
}

/** Finds the directives in a file's text (comments only: strings and templates are skipped). */
export function parseSuppressions(text: string): Suppressions {
  const ranges: Range[] = [];
  // Open block disables: rule name (or '*') → the line they start at.
  const open = new Map<string, number>();
  for (const comment of comments(text)) {
    const match = DIRECTIVE.exec(comment.body.replace(/\s--\s[^]*$/, '').replace(/\s--$/, ''));
    if (!match) continue;
    const [, kind, list] = match;
    const rules = list ? list.split(',').map((rule) => rule.trim()).filter(Boolean) : [];
    const ours = rules.filter((rule) => rule.startsWith(PLUGIN_PREFIX)).map((rule) => rule.slice(PLUGIN_PREFIX.length));
    if (rules.length > 0 && ours.length === 0) continue;
    const set = rules.length === 0 ? null : new Set(ours);
    if (kind === 'eslint-disable-next-line') {
      // ESLint: only line comments, or block comments on one line, may use -next-line.
      if (comment.block && comment.endLine !== comment.line) continue;
      ranges.push({ rules: set, from: comment.endLine + 1, to: comment.endLine + 1 });
    } else if (kind === 'eslint-disable-line') {
      if (comment.block && comment.endLine !== comment.line) continue;
      ranges.push({ rules: set, from: comment.line, to: comment.line });
    } else if (kind === 'eslint-disable') {
      if (!comment.block) continue; // `// eslint-disable` is not a directive in ESLint
      for (const rule of set ?? ['*']) if (!open.has(rule)) open.set(rule, comment.line);
    } else {
      if (!comment.block) continue;
      const closing = set ? [...set] : [...open.keys()];
      for (const rule of closing) {
        const from = open.get(rule);
        if (from === undefined) continue;
        ranges.push({ rules: rule === '*' ? null : new Set([rule]), from, to: comment.line });
        open.delete(rule);
      }
      // `/* eslint-enable */` also ends a disable-all.
      if (!set && open.has('*')) open.delete('*');
    }
  }
  for (const [rule, from] of open) ranges.push({ rules: rule === '*' ? null : new Set([rule]), from, to: Number.POSITIVE_INFINITY });
  return {
    isSuppressed(ruleId, line) {
      return ranges.some((range) => line >= range.from && line <= range.to && (range.rules === null || range.rules.has(ruleId)));
    },
  };
}

interface Comment {
  body: string;
  block: boolean;
  /** 1-based lines where the comment starts and ends. */
  line: number;
  endLine: number;
}

/** Comments of JavaScript/TypeScript text, skipping strings, templates and regex-free code well enough for directives. */
function comments(text: string): Comment[] {
  const result: Comment[] = [];
  let line = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') {
      line++;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') {
      for (index++; index < text.length && text[index] !== char; index++) {
        if (text[index] === '\\') index++;
        else if (text[index] === '\n') {
          line++;
          if (char !== '`') break;
        }
      }
      continue;
    }
    if (char !== '/') continue;
    const next = text[index + 1];
    if (next === '/') {
      const end = text.indexOf('\n', index);
      const stop = end === -1 ? text.length : end;
      result.push({ body: text.slice(index + 2, stop), block: false, line, endLine: line });
      index = stop - 1;
    } else if (next === '*') {
      const end = text.indexOf('*/', index + 2);
      const stop = end === -1 ? text.length : end;
      const body = text.slice(index + 2, stop);
      const startLine = line;
      for (const c of body) if (c === '\n') line++;
      result.push({ body, block: true, line: startLine, endLine: line });
      index = stop + 1;
    }
  }
  return result;
}
