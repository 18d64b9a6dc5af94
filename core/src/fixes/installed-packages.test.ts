import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rateLimitRedisFor } from '../analysis/rate-limiters';
import { admitsMajor, atLeast, owningPackageRoot, peerRanges, usedPackageVersion } from './installed-packages';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-installed-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('usedPackageVersion', () => {
  it('reads the installed package.json nearest to the file', () => {
    const root = project({
      'package.json': JSON.stringify({ dependencies: { 'express-rate-limit': '^7.0.0' } }),
      'node_modules/express-rate-limit/package.json': JSON.stringify({ name: 'express-rate-limit', version: '7.4.1' }),
      'src/app.ts': '',
    });
    expect(usedPackageVersion(path.join(root, 'src/app.ts'), 'express-rate-limit')).toBe('7.4.1');
  });

  it('falls back to the lowest version the declared range allows when nothing is installed', () => {
    const root = project({ 'package.json': JSON.stringify({ dependencies: { 'express-rate-limit': '~8.5.2' } }), 'src/app.ts': '' });
    expect(usedPackageVersion(path.join(root, 'src/app.ts'), 'express-rate-limit')).toBe('8.5.2');
  });

  it('is undefined for a package the project neither installs nor declares', () => {
    const root = project({ 'package.json': '{}', 'src/app.ts': '' });
    expect(usedPackageVersion(path.join(root, 'src/app.ts'), 'express-rate-limit')).toBeUndefined();
  });
});

describe('rateLimitRedisFor: the rate-limit-redis line whose peer range takes the app’s express-rate-limit', () => {
  it.each([
    ['6.11.2', '^4.3.1'],
    ['7.4.1', '^4.3.1'],
    ['8.4.9', '^4.3.1'],
    ['8.5.0', '^5.0.0'],
    ['8.6.0', '^6.0.1'],
    ['9.0.0', '^6.0.1'],
    [undefined, '^6.0.1'],
  ])('express-rate-limit %s → %s', (used, expected) => {
    expect(rateLimitRedisFor(used)).toBe(expected);
  });

  it('compares versions by number, not by text', () => {
    expect(atLeast('8.10.0', '8.6.0')).toBe(true);
    expect(atLeast('8.5.9', '8.6.0')).toBe(false);
  });
});

describe('peerRanges and admitsMajor: what the installed packages accept as a peer', () => {
  it('reads every package’s peer range from the nearest package-lock.json', () => {
    const root = project({
      'package-lock.json': JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', dependencies: { typeorm: '0.3.20' } },
          'node_modules/typeorm': { version: '0.3.20', peerDependencies: { redis: '^3.1.1 || ^4.0.0', ioredis: '^5.0.4' } },
          'node_modules/cache-manager-redis': { version: '1.0.0', peerDependencies: { redis: '>=4' } },
          'node_modules/pg': { version: '8.13.0' },
        },
      }),
      'src/main.ts': '',
    });
    expect(peerRanges(path.join(root, 'src/main.ts'), 'redis')).toEqual(['^3.1.1 || ^4.0.0', '>=4']);
    expect(peerRanges(path.join(root, 'src/main.ts'), 'express')).toEqual([]);
    expect(peerRanges(path.join(project({ 'src/main.ts': '' }), 'src/main.ts'), 'redis')).toEqual([]);
  });

  it.each([
    ['^3.1.1 || ^4.0.0', 4, true],
    ['^3.1.1 || ^4.0.0', 5, false],
    ['^3.1.1 || ^4.0.0 || ^5.0.14', 5, true],
    ['>=5', 5, true],
    ['>= 4 < 5', 5, false],
    ['>=4 <6', 5, true],
    ['5.x', 5, true],
    ['~4.6.0', 5, false],
    ['<=4.7.1', 4, false],
    ['*', 5, true],
    ['', 5, true],
  ])('%j admits the newer releases of %i: %s', (range, major, admits) => {
    expect(admitsMajor(range, major)).toBe(admits);
  });
});

describe('owningPackageRoot', () => {
  it('is the package a project root without a manifest or config of its own is a folder of; a folder with a tsconfig is a project of its own', () => {
    const root = project({
      'package.json': JSON.stringify({ name: 'sync', dependencies: { express: '^4.21.0' } }),
      'src/bgtask.js': 'module.exports = {};\n',
      'services/api/tsconfig.json': '{}\n',
      'services/api/index.ts': 'export {};\n',
    });
    expect(owningPackageRoot(`${root}/src/bgtask.js`, `${root}/src`)).toBe(root);
    expect(owningPackageRoot(`${root}/src/bgtask.js`, root)).toBe(root);
    expect(owningPackageRoot(`${root}/services/api/index.ts`, `${root}/services/api`)).toBe(`${root}/services/api`);
  });
});
