import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile, type Finding } from '../index';
import { removeProject, writeProject } from '../testing/disk-project';
import { createProgram } from '../testing/program';
import { projectIndexOfFile } from './project-index';
import { workspaceRootOf } from './workspaces';

const roots: string[] = [];

function lineOf(sourceFile: ts.SourceFile, finding: Finding): string {
  return `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`;
}
afterAll(() => roots.forEach(removeProject));

/** A monorepo: a server package whose route stores uploads through a storage package of the same workspace. */
const monorepo: Record<string, string> = {
  'package.json': '{ "private": true, "workspaces": { "packages": ["packages/*"] } }',
  'packages/server/package.json': '{ "name": "@mono/server", "dependencies": { "@mono/storage": "*" } }',
  'packages/server/src/app.ts': [
    "import express from 'express';",
    "import { saveUpload } from '@mono/storage';",
    'const app = express();',
    "app.post('/files', async (req, res) => { res.json(await saveUpload(req.body.name, req.body.data)); });",
    'app.listen(3000);',
  ].join('\n'),
  // Built to dist/, imported by its source before the build, as the workspace's link gives it.
  'packages/storage/package.json': '{ "name": "@mono/storage", "main": "dist/index.js" }',
  'packages/storage/src/index.ts': "export * from './local';\n",
  'packages/storage/src/local.ts': [
    "import fs from 'node:fs';",
    'export async function saveUpload(name: string, data: string) { fs.writeFileSync(`uploads/${name}`, data); return name; }',
    "export function exportAll(dir: string) { fs.writeFileSync(`${dir}/all.json`, '[]'); }",
  ].join('\n'),
  // Not listed by the workspace globs: installed from a registry when used, never the server's code.
  'vendor-copies/storage/package.json': '{ "name": "@mono/storage-copy" }',
  'vendor-copies/storage/src/local.ts': "import fs from 'node:fs';\nexport function saveUpload(name: string, data: string) { fs.writeFileSync(name, data); }\n",
};

describe('the packages of a monorepo share its index', () => {
  it('finds the workspace root of a listed package another one depends on only', () => {
    const root = writeProject(monorepo);
    roots.push(root);
    expect(workspaceRootOf(`${root}/packages/storage`)).toBe(root);
    // The service: nothing of the workspace depends on it, it is its own project.
    expect(workspaceRootOf(`${root}/packages/server`)).toBeUndefined();
    expect(workspaceRootOf(root)).toBeUndefined();
    expect(workspaceRootOf(`${root}/vendor-copies/storage`)).toBeUndefined();
  });

  it("reports a storage package's write on the server package's route, untyped as typed", () => {
    const root = writeProject(monorepo);
    roots.push(root);
    const findingsOf = (packageDir: string, file: string): string[] => {
      const { index, rootDir } = projectIndexOfFile(`${root}/${packageDir}`);
      const sourceFile = index.sourceFile(`${root}/${file}`)!;
      return analyzeSourceFile(sourceFile, { projectIndex: index, projectRoot: rootDir }).map((finding) => lineOf(sourceFile, finding));
    };
    expect(projectIndexOfFile(`${root}/packages/storage`).rootDir).toBe(root);
    const untyped = findingsOf('packages/storage', 'packages/storage/src/local.ts');
    expect(untyped).toEqual(['no-blocking-request-work 2', 'no-local-disk-write 2']);
    // exportAll is called by no route; the copy outside the workspace keeps its own index, which no route reaches.
    expect(findingsOf('vendor-copies/storage', 'vendor-copies/storage/src/local.ts')).toEqual([]);
  });
});

describe('typed, the same monorepo through its compiler paths', () => {
  it('reaches the storage package from the route as the untyped index does', () => {
    const program = createProgram(
      {
        '/app/packages/server/src/app.ts': monorepo['packages/server/src/app.ts'],
        '/app/packages/storage/src/index.ts': monorepo['packages/storage/src/index.ts'],
        '/app/packages/storage/src/local.ts': monorepo['packages/storage/src/local.ts'],
      },
      { baseUrl: '/app', paths: { '@mono/storage': ['packages/storage/src/index.ts'] } },
    );
    const local = program.getSourceFile('/app/packages/storage/src/local.ts') as ts.SourceFile;
    expect(analyzeSourceFile(local, { program, projectRoot: '/app' }).map((finding) => lineOf(local, finding))).toEqual(['no-blocking-request-work 2', 'no-local-disk-write 2']);
  });
});
