// Projects as the server keeps them: a plain JavaScript project configured by jsconfig.json is a
// project (cross-file paths included), and a scan of a workspace of several projects unloads each
// one that no open file needs, so memory holds the projects in use, not the whole workspace.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LspClient, uriOf } from './client';

let root: string;
let client: LspClient;

afterEach(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stateless-lsp-projects-'))).replace(/\\/g, '/');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const STORE_JS = 'const sessions = new Map();\nfunction remember(id, user) {\n  sessions.set(id, user);\n}\nmodule.exports = { remember };\n';
const ROUTES_JS = "const express = require('express');\nconst { remember } = require('./store');\nconst app = express();\napp.post('/login', (req, res) => {\n  remember(req.body.id, req.body.user);\n  res.end();\n});\napp.listen(3000);\n";

describe('projects', () => {
  it('a jsconfig.json project is analysed across its files', async () => {
    root = workspace({ 'jsconfig.json': '{ "compilerOptions": { "checkJs": false }, "include": ["src"] }\n', 'package.json': '{ "name": "js-app" }\n', 'src/store.js': STORE_JS, 'src/routes.js': ROUTES_JS });
    client = await LspClient.start(root);
    const store = await client.open(`${root}/src/store.js`, STORE_JS, 'javascript');
    const diagnostics = await client.diagnostics(store, (params) => params.diagnostics.length > 0);
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line, diagnostic.range.start.character])).toEqual([['no-in-memory-session', 0, 6]]);
    expect(diagnostics[0].message).toBe('`sessions` holds per-user state in this process; it is written by POST /login (src/routes.js:4). A second instance will not see it.');
  });

  it('a scan unloads every project no open file belongs to', async () => {
    const project = (name: string): Record<string, string> => ({
      [`${name}/tsconfig.json`]: '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext", "allowJs": true }, "include": ["src"] }\n',
      [`${name}/src/store.js`]: STORE_JS,
      [`${name}/src/routes.js`]: ROUTES_JS,
    });
    root = workspace({ ...project('api'), ...project('worker'), ...project('admin') });
    client = await LspClient.start(root);
    await client.open(`${root}/api/src/routes.js`, ROUTES_JS, 'javascript');
    const summary = (await client.executeCommand('stateless.scanWorkspace')) as { files: number; findings: number };
    expect(summary).toMatchObject({ files: 6, findings: 3 });
    const unloaded = client.logs.filter((message) => message.startsWith('Stateless: unloaded'));
    expect(unloaded.sort()).toEqual([`Stateless: unloaded 1 project with no open file (${root}/admin/tsconfig.json).`, `Stateless: unloaded 1 project with no open file (${root}/worker/tsconfig.json).`]);
    // Every file was published, including those of the unloaded projects, and they are found again.
    expect(client.published.get(uriOf(`${root}/admin/src/store.js`))?.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['no-in-memory-session']);
    const reopened = await client.open(`${root}/admin/src/store.js`, STORE_JS, 'javascript');
    expect((await client.diagnostics(reopened, (params) => params.version === 1)).map((diagnostic) => diagnostic.code)).toEqual(['no-in-memory-session']);
  });
});
