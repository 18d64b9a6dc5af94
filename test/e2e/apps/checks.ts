// Small readers for the scale-out checks' expectations: each returns undefined when the reply holds
// what it should, else a sentence saying what it holds instead.
import { pick, type Vars } from './harness';

type Expect = (body: unknown, vars: Vars) => string | undefined;

/** The body (a downloaded file) is exactly this text. */
export const bodyIs =
  (text: string): Expect =>
  (body) =>
    body === text ? undefined : `the body is not the ${text.length} characters uploaded`;

/** The value at a dotted path equals what `expected` computes from the saved values. */
export const valueAt =
  (dotted: string, expected: (vars: Vars) => unknown): Expect =>
  (body, vars) => {
    const got = pick(body, dotted);
    const want = expected(vars);
    return JSON.stringify(got) === JSON.stringify(want) ? undefined : `${dotted} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
  };

/** The number at a dotted path is at least what `least` computes from the saved values (a count other requests may also have moved on). */
export const atLeastAt =
  (dotted: string, least: (vars: Vars) => number): Expect =>
  (body, vars) => {
    const got = pick(body, dotted);
    const want = least(vars);
    return typeof got === 'number' && got >= want ? undefined : `${dotted} is ${JSON.stringify(got)}, expected at least ${want}`;
  };

/** The array at a dotted path has this many items. */
export const lengthAt =
  (dotted: string, length: number): Expect =>
  (body) => {
    const got = pick(body, dotted);
    return Array.isArray(got) && got.length === length ? undefined : `${dotted} has ${Array.isArray(got) ? got.length : 'no'} items, expected ${length}`;
  };

/** The array at a dotted path has an item whose `key` equals the saved value `variable`. */
export const listsSaved =
  (dotted: string, key: string, variable: string): Expect =>
  (body, vars) => {
    const got = pick(body, dotted);
    const found = Array.isArray(got) && got.some((item) => String(pick(item, key)) === vars[variable]);
    return found ? undefined : `${dotted} has no item with ${key} ${vars[variable]} (the row just written): ${JSON.stringify(got)}`;
  };
