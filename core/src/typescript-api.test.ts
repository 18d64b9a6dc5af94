import { describe, expect, it } from 'vitest';
import ts = require('typescript');
import { typescriptApiProblem, UnsupportedTypeScriptError } from './typescript-api';
import { locateConfigProblem } from './config-problems';

describe('typescriptApiProblem', () => {
  it('accepts the TypeScript the tests run on', () => {
    expect(typescriptApiProblem()).toBeUndefined();
  });

  it('names the native compiler (TypeScript 7 exports a version and no compiler API) in one line', () => {
    expect(typescriptApiProblem({ version: '7.0.2' } as Partial<typeof ts>)).toBe(
      'Stateless needs the TypeScript compiler API (typescript >=5.4 <6.1); typescript 7.0.2 is the native compiler and has none. Install typescript 6.0 for the tools that need the API (npm i -D typescript@~6.0).',
    );
  });

  it('names a TypeScript older than 5.4', () => {
    expect(typescriptApiProblem({ ...ts, version: '5.3.3' })).toBe('Stateless needs typescript >=5.4 <6.1, found 5.3.3: install a supported version (npm i -D typescript@~5.9).');
    expect(typescriptApiProblem({ ...ts, version: '6.0.3' })).toBeUndefined();
  });

  it('prints as its message alone: hosts that print `stack` show one line', () => {
    const error = new UnsupportedTypeScriptError('one line');
    expect(error.stack).toBe('one line');
    expect(error.name).toBe('UnsupportedTypeScriptError');
  });
});

describe('locateConfigProblem', () => {
  const text = '{\n  "adapterDir": 3,\n  "rules": { "nope": {}, "no-local-disk-write": { "allowTempFiles": 1 } }\n}\n';
  const at = (problem: string, fileName = '/p/stateless.config.json', source = text): string => {
    const { start, end } = locateConfigProblem(fileName, source, problem);
    return source.slice(start, end);
  };

  it('points at the key a problem is about', () => {
    expect(at('"adapterDir" must be a non-empty string')).toBe('"adapterDir"');
    expect(at('unknown rule "nope"')).toBe('"nope"');
    expect(at('option "allowTempFiles" of "no-local-disk-write" must be of type boolean')).toBe('"allowTempFiles"');
    expect(at('unknown key "requestPath.foo"')).toBe('{');
  });

  it('looks under "stateless" in a package.json', () => {
    const packageJson = '{ "name": "x", "stateless": { "rules": { "nope": {} } } }';
    expect(at('unknown rule "nope"', '/p/package.json', packageJson)).toBe('"nope"');
  });

  it('points where invalid JSON breaks', () => {
    const broken = '{ "rules": { "a": 1 }\n';
    const { start } = locateConfigProblem('/p/stateless.config.json', broken, '/p/stateless.config.json is not valid JSON: Unexpected end');
    expect(start).toBe(broken.length);
  });
});
