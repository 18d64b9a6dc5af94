import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of ours, without declarations
import { failureAccount } from '../scripts/failure-account.mjs';

const ESC = '\u001b';
/** What vitest 4 printed for a file with one passing and one failing test (colours kept, as in CI). */
const failedRun = [
  '',
  ` ${ESC}[31m❯${ESC}[39m a.test.mjs ${ESC}[2m(2 tests | ${ESC}[31m1 failed${ESC}[39m)`,
  `   ${ESC}[32m✓${ESC}[39m passes`,
  `${ESC}[31m   ${ESC}[31m×${ESC}[31m fails${ESC}[39m`,
  '',
  `${ESC}[31m⎯⎯⎯⎯⎯⎯⎯${ESC}[39m${ESC}[1m${ESC}[41m Failed Tests 1 ${ESC}[49m${ESC}[22m${ESC}[31m⎯⎯⎯⎯⎯⎯⎯${ESC}[39m`,
  '',
  `${ESC}[41m${ESC}[1m FAIL ${ESC}[22m${ESC}[49m a.test.mjs > fails`,
  'AssertionError: expected 1 to be 2',
  '',
  ' Test Files  1 failed (1)',
].join('\n');

it('is the failures and the summary, from the first banner on', () => {
  const account: string = failureAccount(failedRun);
  expect(account.split('\n')[0]).toContain('Failed Tests 1');
  expect(account).toContain('FAIL');
  expect(account).toContain('a.test.mjs > fails');
  expect(account.endsWith(' Test Files  1 failed (1)')).toBe(true);
  expect(account).not.toContain('passes');
});

it('is the last 150 lines when vitest printed no banner (it died before its summary)', () => {
  const lines = Array.from({ length: 400 }, (_, index) => `line ${index}`);
  const account: string = failureAccount(lines.join('\n'));
  expect(account.split('\n')).toEqual(lines.slice(-150));
});

it('keeps the first 300 and the last 30 lines of a long account', () => {
  const lines = [' ⎯⎯⎯ Unhandled Errors ⎯⎯⎯', ...Array.from({ length: 999 }, (_, index) => `line ${index}`)];
  const account: string[] = failureAccount(lines.join('\n')).split('\n');
  expect(account).toEqual([...lines.slice(0, 300), '… 670 lines left out …', ...lines.slice(-30)]);
});
