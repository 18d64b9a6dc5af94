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

/** A `/* eslint-disable *\/` or `/* eslint-enable *\/` comment: from its line on, in source order. */
interface BlockDirective {
  kind: 'disable' | 'enable';
  /** null: every rule. */
  rules: Set<string> | null;
  line: number;
}

/** An `eslint-disable-line` or `eslint-disable-next-line` comment: one line. */
interface LineDirective {
  rules: Set<string> | null;
  line: number;
}

/** Finds the directives in a file's text (comments only: strings and templates are skipped). */
export function parseSuppressions(text: string): Suppressions {
  const blocks: BlockDirective[] = [];
  const lines: LineDirective[] = [];
  for (const comment of comments(text)) {
    const match = DIRECTIVE.exec(comment.body.replace(/\s--\s[^]*$/, '').replace(/\s--$/, ''));
    if (!match) continue;
    const [, kind, list] = match;
    const rules = list ? list.split(',').map((rule) => rule.trim()).filter(Boolean) : [];
    const ours = rules.filter((rule) => rule.startsWith(PLUGIN_PREFIX)).map((rule) => rule.slice(PLUGIN_PREFIX.length));
    if (rules.length > 0 && ours.length === 0) continue;
    const set = rules.length === 0 ? null : new Set(ours);
    if (kind === 'eslint-disable-next-line') {
      // ESLint applies a next-line block comment spanning lines to the line after its end.
      lines.push({ rules: set, line: comment.endLine + 1 });
    } else if (kind === 'eslint-disable-line') {
      // ESLint rejects a disable-line block comment that spans lines.
      if (comment.endLine === comment.line) lines.push({ rules: set, line: comment.line });
    } else if (comment.block) {
      // `// eslint-disable` and `// eslint-enable` are not directives in ESLint.
      blocks.push({ kind: kind === 'eslint-disable' ? 'disable' : 'enable', rules: set, line: comment.line });
    }
  }
  return {
    isSuppressed(ruleId, line) {
      if (lines.some((directive) => directive.line === line && (directive.rules === null || directive.rules.has(ruleId)))) return true;
      return blockSuppressed(blocks, ruleId, line);
    },
  };
}

/**
 * ESLint's state machine for block directives, replayed up to `line`: a disable-all can have rules
 * enabled again one by one, and an enable-all ends every disable.
 */
function blockSuppressed(blocks: readonly BlockDirective[], ruleId: string, line: number): boolean {
  let disabledAll = false;
  let disabled = false; // this rule, by name
  let enabled = false; // this rule, by name, inside a disable-all
  for (const directive of blocks) {
    if (directive.line > line) break;
    const names = directive.rules === null || directive.rules.has(ruleId);
    if (!names) continue;
    if (directive.kind === 'disable') {
      if (directive.rules === null) {
        disabledAll = true;
        enabled = false;
        disabled = false;
      } else {
        enabled = false;
        disabled = true;
      }
    } else if (directive.rules === null) {
      disabledAll = false;
      disabled = false;
    } else {
      if (disabledAll) enabled = true;
      disabled = false;
    }
  }
  return disabled || (disabledAll && !enabled);
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
