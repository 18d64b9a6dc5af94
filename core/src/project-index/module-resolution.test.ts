import { afterAll, describe, expect, it } from 'vitest';
import { removeProject, writeProject } from '../testing/disk-project';
import { ModuleResolver } from './module-resolution';

const roots: string[] = [];
afterAll(() => roots.forEach(removeProject));

function project(files: Record<string, string>): { root: string; resolve: (from: string, specifier: string) => string | undefined } {
  const root = writeProject(files);
  roots.push(root);
  const resolver = new ModuleResolver(root);
  return { root, resolve: (from, specifier) => resolver.resolve(`${root}/${from}`, specifier)?.slice(root.length + 1) };
}

describe('ModuleResolver', () => {
  it('probes every source extension, in TypeScript order, and index files', () => {
    const { resolve } = project({
      'package.json': '{}',
      'src/a.ts': '', 'src/b.tsx': '', 'src/c.js': '', 'src/d.jsx': '', 'src/e.mjs': '', 'src/f.cjs': '', 'src/g.mts': '', 'src/h.cts': '',
      'src/both.ts': '', 'src/both.js': '',
      'src/routes/index.ts': '', 'src/legacy/index.js': '',
    });
    expect(['./a', './b', './c', './d', './e', './f', './g', './h'].map((s) => resolve('src/app.ts', s))).toEqual([
      'src/a.ts', 'src/b.tsx', 'src/c.js', 'src/d.jsx', 'src/e.mjs', 'src/f.cjs', 'src/g.mts', 'src/h.cts',
    ]);
    expect(resolve('src/app.ts', './both')).toBe('src/both.ts');
    expect(resolve('src/app.ts', './routes')).toBe('src/routes/index.ts');
    expect(resolve('src/app.ts', './legacy/')).toBe('src/legacy/index.js');
    expect(resolve('src/routes/users.ts', '..')).toBeUndefined();
    expect(resolve('src/routes/users.ts', '../a')).toBe('src/a.ts');
    expect(resolve('src/app.ts', './missing')).toBeUndefined();
    expect(resolve('src/app.ts', 'express')).toBeUndefined();
    expect(resolve('src/app.ts', 'node:fs')).toBeUndefined();
  });

  it('maps output extensions in specifiers to their sources (.js → .ts, .mjs → .mts, .cjs → .cts, .jsx → .tsx) and keeps real .js files', () => {
    const { resolve } = project({ 'src/a.ts': '', 'src/b.mts': '', 'src/c.cts': '', 'src/d.tsx': '', 'src/plain.js': '', 'src/data.json': '' });
    expect(resolve('src/x.ts', './a.js')).toBe('src/a.ts');
    expect(resolve('src/x.ts', './b.mjs')).toBe('src/b.mts');
    expect(resolve('src/x.ts', './c.cjs')).toBe('src/c.cts');
    expect(resolve('src/x.ts', './d.jsx')).toBe('src/d.tsx');
    expect(resolve('src/x.ts', './plain.js')).toBe('src/plain.js');
    expect(resolve('src/x.ts', './data.json')).toBeUndefined();
  });

  it('reads tsconfig paths and baseUrl (with comments and a relative extends), longest prefix first', () => {
    const { resolve } = project({
      'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"], "@lib": ["src/lib/index.ts"] } } }',
      'tsconfig.json': '{\n  // comments are allowed\n  "extends": "./tsconfig.base.json",\n  "compilerOptions": { "strict": true },\n}',
      'src/lib/index.ts': '', 'src/lib/db.ts': '', 'src/services/users.ts': '',
    });
    expect(resolve('src/app.ts', '@/services/users')).toBe('src/services/users.ts');
    expect(resolve('src/app.ts', '@lib')).toBe('src/lib/index.ts');
    expect(resolve('src/app.ts', '@/lib/db.js')).toBe('src/lib/db.ts');
    // baseUrl alone: bare specifiers are looked up under it too.
    expect(resolve('src/app.ts', 'src/lib/db')).toBe('src/lib/db.ts');
  });

  it('reads jsconfig.json when there is no tsconfig.json; paths without baseUrl are relative to the config', () => {
    const { resolve } = project({ 'jsconfig.json': '{ "compilerOptions": { "paths": { "~/*": ["./app/*"] } } }', 'app/models/user.js': '' });
    expect(resolve('pages/api/login.js', '~/models/user')).toBe('app/models/user.js');
  });

  it('a monorepo: each file uses the aliases of its nearest tsconfig, which extends the root tsconfig.base.json (Nx); no root tsconfig.json', () => {
    const { resolve } = project({
      'package.json': '{}',
      'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/server/*": ["apps/server/src/*"], "@shared/utils": ["libs/utils/src/index.ts"] } } }',
      'apps/server/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "files": [], "references": [{ "path": "./tsconfig.app.json" }] }',
      'apps/server/src/printer/printer.service.ts': '',
      'apps/server/src/app.module.ts': '',
      'libs/utils/src/index.ts': '',
      // A project with aliases of its own that do not extend the base: `@/` means its own folder there.
      'apps/admin/tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
      'apps/admin/src/server/page.ts': '',
      'tools/scripts/seed.ts': '',
    });
    expect(resolve('apps/server/src/app.module.ts', '@/server/printer/printer.service')).toBe('apps/server/src/printer/printer.service.ts');
    expect(resolve('apps/server/src/app.module.ts', '@shared/utils')).toBe('libs/utils/src/index.ts');
    expect(resolve('apps/admin/src/index.ts', '@/server/page')).toBe('apps/admin/src/server/page.ts');
    expect(resolve('apps/admin/src/index.ts', '@shared/utils')).toBeUndefined();
    // Outside every project's folder the root's base config applies.
    expect(resolve('tools/scripts/seed.ts', '@shared/utils')).toBe('libs/utils/src/index.ts');
  });

  it('resolves workspace packages by exports, main, and their source when the output is not built', () => {
    const { resolve } = project({
      'package.json': '{ "private": true, "workspaces": ["packages/*", "services/api"] }',
      'packages/db/package.json': '{ "name": "@shop/db", "exports": { ".": { "types": "./dist/index.d.ts", "import": "./dist/index.js" }, "./sessions": "./src/sessions.ts" } }',
      'packages/db/src/index.ts': '', 'packages/db/src/sessions.ts': '',
      'packages/util/package.json': '{ "name": "util", "main": "lib/main.js" }',
      'packages/util/lib/main.js': '',
      'services/api/package.json': '{ "name": "api" }',
      'services/api/src/server.ts': '',
    });
    expect(resolve('services/api/src/server.ts', '@shop/db')).toBe('packages/db/src/index.ts');
    expect(resolve('services/api/src/server.ts', '@shop/db/sessions')).toBe('packages/db/src/sessions.ts');
    expect(resolve('services/api/src/server.ts', 'util')).toBe('packages/util/lib/main.js');
    expect(resolve('services/api/src/server.ts', '@shop/missing')).toBeUndefined();
  });

  it('reads pnpm-workspace.yaml', () => {
    const { resolve } = project({
      'pnpm-workspace.yaml': "packages:\n  - 'libs/*'\n  - \"!libs/ignored\"\n",
      'libs/auth/package.json': '{ "name": "@acme/auth" }',
      'libs/auth/index.js': '',
    });
    expect(resolve('apps/web/server.js', '@acme/auth')).toBe('libs/auth/index.js');
  });

  it('never throws on broken configuration files', () => {
    const { resolve } = project({ 'tsconfig.json': '{ "compilerOptions": { "paths": 42 ', 'package.json': '{ broken', 'src/a.ts': '' });
    expect(resolve('src/b.ts', './a')).toBe('src/a.ts');
    expect(resolve('src/b.ts', '@/a')).toBeUndefined();
  });
});
