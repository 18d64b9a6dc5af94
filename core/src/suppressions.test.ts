import { describe, expect, it } from 'vitest';
import { parseSuppressions } from './suppressions';

const suppressed = (text: string, rule: string, line: number): boolean => parseSuppressions(text).isSuppressed(rule, line);

describe('ESLint disable comments, as ESLint reads them', () => {
  it('next-line and line, with rule lists and descriptions', () => {
    const text = ['// eslint-disable-next-line stateless/no-in-memory-session -- one instance only', 'const a = 1;', 'const b = 2; // eslint-disable-line stateless/no-local-disk-write, stateless/no-in-memory-counter', '/* eslint-disable-next-line */', 'const c = 3;'].join('\n');
    expect(suppressed(text, 'no-in-memory-session', 2)).toBe(true);
    expect(suppressed(text, 'no-local-disk-write', 2)).toBe(false);
    expect(suppressed(text, 'no-in-memory-counter', 3)).toBe(true);
    expect(suppressed(text, 'no-local-disk-write', 3)).toBe(true);
    expect(suppressed(text, 'no-blocking-request-work', 5)).toBe(true);
    expect(suppressed(text, 'no-blocking-request-work', 4)).toBe(false);
  });

  it('block disable … enable, per rule and for every rule; other plugins’ rules are not ours', () => {
    const text = ['/* eslint-disable stateless/no-in-memory-counter */', 'a;', '/* eslint-enable stateless/no-in-memory-counter */', 'b;', '// eslint-disable-next-line no-console', 'c;', '/* eslint-disable */', 'd;'].join('\n');
    expect(suppressed(text, 'no-in-memory-counter', 2)).toBe(true);
    expect(suppressed(text, 'no-in-memory-counter', 4)).toBe(false);
    expect(suppressed(text, 'no-in-memory-counter', 6)).toBe(false);
    expect(suppressed(text, 'no-local-disk-write', 8)).toBe(true);
    expect(suppressed(text, 'no-local-disk-write', 800)).toBe(true);
  });

  it('re-enables one rule inside a disable-all; a next-line block comment over two lines covers the line after it', () => {
    const text = ['/* eslint-disable */', 'a;', '/* eslint-enable stateless/no-local-disk-write */', 'b;', '/* eslint-disable-next-line', '   stateless/no-local-disk-write */', 'c;', 'd;'].join('\n');
    expect(suppressed(text, 'no-local-disk-write', 2)).toBe(true);
    expect(suppressed(text, 'no-local-disk-write', 4)).toBe(false);
    expect(suppressed(text, 'no-in-memory-counter', 4)).toBe(true);
    expect(suppressed(text, 'no-local-disk-write', 7)).toBe(true);
    expect(suppressed(text, 'no-local-disk-write', 8)).toBe(false);
  });

  it('ignores directives in strings and a line-comment eslint-disable (not a directive in ESLint)', () => {
    const text = ["const s = '// eslint-disable-next-line stateless/no-local-disk-write';", 'x;', '// eslint-disable stateless/no-local-disk-write', 'y;'].join('\n');
    expect(suppressed(text, 'no-local-disk-write', 2)).toBe(false);
    expect(suppressed(text, 'no-local-disk-write', 4)).toBe(false);
  });
});
