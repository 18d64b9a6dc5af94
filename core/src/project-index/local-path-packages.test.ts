import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile, type Finding } from '../index';
import { removeProject, writeProject } from '../testing/disk-project';
import { createProgram } from '../testing/program';
import { projectIndexOfFile } from './project-index';
import { ModuleResolver } from './module-resolution';
import { workspaceRootOf } from './workspaces';

const roots: string[] = [];
afterAll(() => roots.forEach(removeProject));

function lineOf(sourceFile: ts.SourceFile, finding: Finding): string {
  return `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`;
}

const records = [
  "import fs from 'node:fs';",
  'export function saveRecord(name: string, data: string) { fs.writeFileSync(`data/${name}.json`, data); }',
  "export function exportAll(dir: string) { fs.writeFileSync(`${dir}/all.json`, '[]'); }",
].join('\n');

/**
 * No workspace: a repository of projects side by side, the server depending on a shared folder by a
 * local path (npm's `file:`, pnpm's and yarn's `link:`), which npm links into its `node_modules`.
 */
const repository: Record<string, string> = {
  'package.json': '{ "name": "panel-workspace", "private": true, "scripts": { "dev": "cd server && npm run dev" } }',
  'server/package.json': '{ "name": "panel-server", "dependencies": { "panel-common": "file:../common", "koa": "^2.0.0" } }',
  'server/src/app.ts': [
    "import express from 'express';",
    "import { saveRecord } from 'panel-common';",
    'const app = express();',
    "app.post('/records', (req, res) => { saveRecord(req.body.name, req.body.data); res.end(); });",
    'app.listen(3000);',
  ].join('\n'),
  // Built to dist/, imported by its source before the build, as the link gives it.
  'common/package.json': '{ "name": "panel-common", "main": "dist/index.js" }',
  'common/src/index.ts': "export * from './records';\n",
  'common/src/records.ts': records,
  // Depended on by nothing by path: a copy kept beside the others is its own project.
  'common-old/package.json': '{ "name": "panel-common-old", "main": "src/index.ts" }',
  'common-old/src/index.ts': records,
};

describe('a package another project of the repository depends on by a local path', () => {
  it('is read with the index of the folder that holds both', () => {
    const root = writeProject(repository);
    roots.push(root);
    expect(workspaceRootOf(`${root}/common`)).toBe(root);
    expect(workspaceRootOf(`${root}/server`)).toBeUndefined();
    expect(workspaceRootOf(`${root}/common-old`)).toBeUndefined();
  });

  it("resolves a bare import through the importing package's `file:` and `link:` dependencies", () => {
    const root = writeProject({
      ...repository,
      'worker/package.json': '{ "name": "panel-worker", "dependencies": { "panel-common": "link:../common" } }',
      'worker/src/run.ts': "import { saveRecord } from 'panel-common';\n",
      // A tarball is an installed copy, not the folder.
      'cli/package.json': '{ "name": "panel-cli", "dependencies": { "panel-common": "file:../common.tgz" } }',
      'cli/src/run.ts': "import { saveRecord } from 'panel-common';\n",
    });
    roots.push(root);
    const resolver = new ModuleResolver(root);
    expect(resolver.resolve(`${root}/server/src/app.ts`, 'panel-common')).toBe(`${root}/common/src/index.ts`);
    expect(resolver.resolve(`${root}/worker/src/run.ts`, 'panel-common')).toBe(`${root}/common/src/index.ts`);
    expect(resolver.resolve(`${root}/cli/src/run.ts`, 'panel-common')).toBeUndefined();
    expect(resolver.resolve(`${root}/server/src/app.ts`, 'panel-common-old')).toBeUndefined();
  });

  it("reports the shared folder's write on the server's route, untyped", () => {
    const root = writeProject(repository);
    roots.push(root);
    const findingsOf = (packageDir: string, file: string): string[] => {
      const { index, rootDir } = projectIndexOfFile(`${root}/${packageDir}`);
      const sourceFile = index.sourceFile(`${root}/${file}`)!;
      return analyzeSourceFile(sourceFile, { projectIndex: index, projectRoot: rootDir }).map((finding) => lineOf(sourceFile, finding));
    };
    expect(projectIndexOfFile(`${root}/common`).rootDir).toBe(root);
    // exportAll is called by no route.
    expect(findingsOf('common', 'common/src/records.ts')).toEqual(['no-blocking-request-work 2', 'no-local-disk-write 2']);
    // The copy nothing depends on keeps its own index, which no route reaches.
    expect(findingsOf('common-old', 'common-old/src/index.ts')).toEqual([]);
  });
});

describe('typed, the same repository through the compiler paths a project maps the package with', () => {
  it('reaches the shared folder from the route as the untyped index does', () => {
    const program = createProgram(
      {
        '/repo/server/src/app.ts': repository['server/src/app.ts'],
        '/repo/common/src/index.ts': repository['common/src/index.ts'],
        '/repo/common/src/records.ts': records,
      },
      { baseUrl: '/repo/server', paths: { 'panel-common': ['../common/src/index.ts'] } },
    );
    const file = program.getSourceFile('/repo/common/src/records.ts') as ts.SourceFile;
    expect(analyzeSourceFile(file, { program, projectRoot: '/repo/server' }).map((finding) => lineOf(file, finding))).toEqual(['no-blocking-request-work 2', 'no-local-disk-write 2']);
  });
});
