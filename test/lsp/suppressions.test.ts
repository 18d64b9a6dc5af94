// core's parseSuppressions against ESLint itself: on each snippet, the lines ESLint still reports
// for two `stateless/*` rules (reporting every expression statement) are exactly the lines core
// does not consider suppressed. So a comment that silences CI silences the editor, and no other.
import { Linter, type Rule } from 'eslint';
import { describe, expect, it } from 'vitest';
import { parseSuppressions } from '@stateless/core';

const everyStatement: Rule.RuleModule = {
  meta: { type: 'problem', schema: [] },
  create: (context) => ({ ExpressionStatement: (node) => context.report({ node, message: 'here' }) }),
};
const RULES = ['no-in-memory-session', 'no-local-disk-write'];

const SNIPPETS: Record<string, string> = {
  'next-line with a rule list and a description': ['// eslint-disable-next-line stateless/no-in-memory-session -- one instance', 'a;', 'b;'].join('\n'),
  'next-line without rules': ['//eslint-disable-next-line', 'a;', 'b;'].join('\n'),
  'next-line in a one-line block comment': ['/* eslint-disable-next-line stateless/no-local-disk-write */', 'a;'].join('\n'),
  'next-line in a block comment over two lines (not a directive)': ['/* eslint-disable-next-line', '   stateless/no-local-disk-write */', 'a;'].join('\n'),
  'same line, two rules': ['a; // eslint-disable-line stateless/no-in-memory-session, stateless/no-local-disk-write', 'b;'].join('\n'),
  'same line in a block comment over two lines (not a directive)': ['a; /* eslint-disable-line', '   stateless/no-local-disk-write */ b;', 'c;'].join('\n'),
  'disable one rule inside a disable-all, enable it, enable all': ['/* eslint-disable */', '/* eslint-disable stateless/no-local-disk-write */', 'a;', '/* eslint-enable stateless/no-local-disk-write */', 'b;', '/* eslint-enable */', 'c;'].join('\n'),
  'same line in a block comment': ['a; /* eslint-disable-line stateless/no-local-disk-write */', 'b;'].join('\n'),
  'block disable and enable of one rule': ['/* eslint-disable stateless/no-in-memory-session */', 'a;', '/* eslint-enable stateless/no-in-memory-session */', 'b;'].join('\n'),
  'disable everything, enable one rule': ['/* eslint-disable */', 'a;', '/* eslint-enable stateless/no-local-disk-write */', 'b;', '/* eslint-enable */', 'c;'].join('\n'),
  'disable without enable lasts to the end': ['a;', '/* eslint-disable stateless/no-local-disk-write -- generated below */', 'b;', 'c;'].join('\n'),
  'a line comment eslint-disable is not a directive': ['// eslint-disable stateless/no-local-disk-write', 'a;'].join('\n'),
  'other plugins’ rules do not apply': ['// eslint-disable-next-line no-console, other/no-in-memory-session', 'a;'].join('\n'),
  'directives inside strings and templates are text': ["const s = '// eslint-disable-next-line';", 'a;', 'const t = `', '/* eslint-disable */', '`;', 'b;'].join('\n'),
};

function eslintLines(text: string, ruleId: string): number[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(text, [
    {
      plugins: { stateless: { rules: Object.fromEntries(RULES.map((rule) => [rule, everyStatement])) } },
      rules: Object.fromEntries(RULES.map((rule) => [`stateless/${rule}`, 'error'])),
      linterOptions: { reportUnusedDisableDirectives: 'off' },
    },
  ]);
  return messages.filter((message) => message.ruleId === `stateless/${ruleId}`).map((message) => message.line);
}

/** Lines of expression statements (what the rules report), found the same way as ESLint's AST would. */
function coreLines(text: string, ruleId: string): number[] {
  const reported = eslintLines(text.replace(/eslint-(disable|enable)/g, 'eslint-$1-x'), ruleId);
  const suppressions = parseSuppressions(text);
  return reported.filter((line) => !suppressions.isSuppressed(ruleId, line));
}

describe('parseSuppressions agrees with ESLint', () => {
  it.each(Object.entries(SNIPPETS))('%s', (_name, text) => {
    for (const rule of RULES) expect(coreLines(text, rule), rule).toEqual(eslintLines(text, rule));
  });
});
