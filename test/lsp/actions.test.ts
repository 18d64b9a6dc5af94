// Hover text and code actions, applied to the text the way an editor applies them: the multi-file
// fix (created adapter files, callers made async, package.json), the disable comment, the docs.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { planFixes, Project } from '@stateless/core';
import { applyWorkspaceEdit, LspClient, uriOf } from './client';
import { copyFixture, removeWorkspace } from './workspace';

let root: string;
let client: LspClient;
let sessionsUri: string;
let diagnostics: Diagnostic[];

const SESSIONS_RANGE = { start: { line: 3, character: 6 }, end: { line: 3, character: 14 } };
const disk = (uri: string): string => readFileSync(fileURLToPath(uri), 'utf8');

beforeAll(async () => {
  root = copyFixture('sessions');
  client = await LspClient.start(root);
  sessionsUri = await client.open(`${root}/src/sessions.ts`);
  diagnostics = await client.diagnostics(sessionsUri, (params) => params.diagnostics.length === 1);
});

afterAll(async () => {
  await client.stop();
  removeWorkspace(root);
});

describe('hover', () => {
  it('shows what breaks, the route, the fixes and the docs link on a flagged range', async () => {
    expect(await client.hover(sessionsUri, 3, 9)).toEqual({
      contents: {
        kind: 'markdown',
        value: [
          '**stateless/no-in-memory-session**: `sessions` holds per-user state in this process; it is written by POST /login (src/routes.ts:6). A second instance will not see it.',
          '',
          '**With N instances:** Each instance keeps its own copy: a user who logs in on one instance is a stranger to the others, so the next request the load balancer sends elsewhere loses the session.',
          '',
          '**Route:**',
          '1. POST /login — src/routes.ts:6',
          '2. calls createSession() — src/routes.ts:7',
          '3. writes sessions — src/sessions.ts:8',
          '',
          '**Fix** (quick fixes):',
          '- Move `sessions` to the Redis session store (src/scaling/session-store.ts)',
          '',
          '[Documentation for stateless/no-in-memory-session](https://github.com/stateless-dev/stateless/blob/main/rules-docs/no-in-memory-session.md)',
        ].join('\n'),
      },
      range: SESSIONS_RANGE,
    });
  });

  it('has nothing to say outside findings', async () => {
    expect(await client.hover(sessionsUri, 0, 3)).toBeNull();
  });
});

describe('code actions', () => {
  let actions: CodeAction[];
  beforeAll(async () => {
    actions = await client.codeActions(sessionsUri, SESSIONS_RANGE, diagnostics);
  });

  it('offers the fix plan, the disable comment and the docs, each tied to the diagnostic', () => {
    expect(actions.map((action) => [action.title, action.kind, action.diagnostics])).toEqual([
      ['Move `sessions` to the Redis session store (src/scaling/session-store.ts)', 'quickfix', diagnostics],
      ['Disable stateless/no-in-memory-session for this line', 'quickfix', diagnostics],
      ['Show documentation for stateless/no-in-memory-session', 'quickfix', diagnostics],
    ]);
  });

  it('moves the Map to the Redis session store across files: created adapters, async callers, the dependency', () => {
    const edit = actions[0].edit!;
    const adapter = uriOf(`${root}/src/scaling/session-store.ts`);
    const redis = uriOf(`${root}/src/scaling/redis.ts`);
    expect(edit.documentChanges!.map((change) => ('kind' in change ? [change.kind, change.uri] : ['edit', change.textDocument.uri, change.textDocument.version]))).toEqual([
      ['create', adapter],
      ['edit', adapter, null],
      ['create', redis],
      ['edit', redis, null],
      ['edit', sessionsUri, 1],
      ['edit', uriOf(`${root}/src/routes.ts`), null],
      ['edit', uriOf(`${root}/package.json`), null],
    ]);
    const texts = applyWorkspaceEdit(edit, disk);
    // The adapters are core's templates (core's tests own their text): the same files `stateless fix` writes.
    const project = new Project(root);
    const program = project.getProgram();
    const { file, finding } = project.analyze(['no-in-memory-session'])[0];
    const plan = planFixes(file, finding, { program, config: project.config, projectRoot: project.rootDir }).plans.at(-1)!;
    expect(texts.get(adapter)).toBe(plan.createFiles.find((created) => created.fileName.endsWith('/session-store.ts'))!.text);
    expect(texts.get(redis)).toBe(plan.createFiles.find((created) => created.fileName.endsWith('/redis.ts'))!.text);
    expect(texts.get(sessionsUri)).toBe(`import { createSessionStore } from './scaling/session-store';
export interface ApiSession { token: string; userId: number }

// Kept in memory so lookups are free.
const sessions = createSessionStore<ApiSession>('sessions');

export async function createSession(userId: number): Promise<ApiSession> {
  const session = { token: String(Math.random()), userId };
  await sessions.set(session.token, session);
  return session;
}

export async function findSession(token: string): Promise<ApiSession | undefined> {
  return await sessions.get(token);
}
`);
    expect(texts.get(uriOf(`${root}/src/routes.ts`))).toBe(`import express from 'express';
import { createSession, findSession } from './sessions';

export const app = express();

app.post('/login', async (req, res) => {
  const session = await createSession(1);
  res.json({ token: session.token });
});

app.get('/me', async (req, res) => {
  const userId = (await findSession(String(req.headers.authorization))).userId;
  res.json({ userId });
});
`);
    expect(texts.get(uriOf(`${root}/package.json`))).toBe(`{
  "name": "lsp-fixture-sessions",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "express": "5.3.0",
    "ioredis": "${plan.dependencies.find((dependency) => dependency.name === 'ioredis')!.version}"
  }
}
`);
  });

  it('disables the rule for the line with a comment above it, indented like it, which silences the server', async () => {
    const texts = applyWorkspaceEdit(actions[1].edit!, disk);
    const disabled = disk(sessionsUri).replace('const sessions', '// eslint-disable-next-line stateless/no-in-memory-session\nconst sessions');
    expect([...texts]).toEqual([[sessionsUri, disabled]]);
    await client.change(sessionsUri, 2, [{ text: disabled }]);
    expect(await client.diagnostics(sessionsUri, (params) => params.version === 2)).toEqual([]);
  });

  it('adds the rule to a next-line directive that is already there', async () => {
    const text = disk(sessionsUri).replace('const sessions', '  // eslint-disable-next-line no-console -- legacy\n  const sessions');
    await client.change(sessionsUri, 3, [{ text }]);
    const [diagnostic] = await client.diagnostics(sessionsUri, (params) => params.version === 3);
    const [, disable] = await client.codeActions(sessionsUri, diagnostic.range, [diagnostic]);
    expect((disable.edit!.documentChanges![0] as TextDocumentEdit).edits).toEqual([{ range: { start: { line: 3, character: 40 }, end: { line: 3, character: 40 } }, newText: ', stateless/no-in-memory-session' }]);
    expect(applyWorkspaceEdit(disable.edit!, () => text).get(sessionsUri)).toBe(text.replace('no-console --', 'no-console, stateless/no-in-memory-session --'));
  });

  it('shows a refused fix as a disabled action with the reason', async () => {
    const text = `${disk(sessionsUri)}\nexport const sessionIds = (ids: string[]) => sessions.forEach((session, sid, all) => ids.push(sid + ' of ' + all.size));\n`;
    await client.change(sessionsUri, 4, [{ text }]);
    const [diagnostic] = await client.diagnostics(sessionsUri, (params) => params.version === 4);
    const [refused] = await client.codeActions(sessionsUri, diagnostic.range, [diagnostic]);
    expect(refused).toEqual({
      title: 'Move `sessions` to the Redis session store',
      kind: 'quickfix',
      diagnostics: [diagnostic],
      disabled: { reason: '`sessions.forEach` (src/sessions.ts:16) has no counterpart in the Redis adapter' },
    });
  });

  it('opens the docs page through window/showDocument', async () => {
    expect(actions[2].command).toEqual({ title: 'Show documentation for stateless/no-in-memory-session', command: 'stateless.showDocumentation', arguments: ['no-in-memory-session'] });
    expect(await client.executeCommand('stateless.showDocumentation', ['no-in-memory-session'])).toBeNull();
    expect(client.shownDocuments).toEqual([{ uri: 'https://github.com/stateless-dev/stateless/blob/main/rules-docs/no-in-memory-session.md', external: true }]);
  });
});

describe('code actions after another open file changed', () => {
  it('plan the fix on the editor’s texts, not on those of the last publish', async () => {
    const dir = copyFixture('sessions');
    const other = await LspClient.start(dir);
    try {
      const sessions = await other.open(`${dir}/src/sessions.ts`);
      const routesText = `// Routes of the API.\n${readFileSync(`${dir}/src/routes.ts`, 'utf8')}`;
      const routes = await other.open(`${dir}/src/routes.ts`, readFileSync(`${dir}/src/routes.ts`, 'utf8'));
      const published = await other.diagnostics(sessions, (params) => params.diagnostics.length === 1);
      // routes.ts changes; sessions.ts keeps its version, and the action is asked at once.
      await other.change(routes, 2, [{ text: routesText }]);
      const [move] = await other.codeActions(sessions, SESSIONS_RANGE, published);
      const routesEdit = move.edit!.documentChanges!.find((change) => 'textDocument' in change && change.textDocument.uri === routes) as TextDocumentEdit;
      expect(routesEdit.textDocument.version).toBe(2);
      expect(applyWorkspaceEdit({ documentChanges: [routesEdit] }, () => routesText).get(routes)).toBe(`// Routes of the API.
import express from 'express';
import { createSession, findSession } from './sessions';

export const app = express();

app.post('/login', async (req, res) => {
  const session = await createSession(1);
  res.json({ token: session.token });
});

app.get('/me', async (req, res) => {
  const userId = (await findSession(String(req.headers.authorization))).userId;
  res.json({ userId });
});
`);
    } finally {
      await other.stop();
      removeWorkspace(dir);
    }
  });
});

describe('a fix that would break the build', () => {
  /** The first quick fix on the disk write of a TypeScript project that can type-check (its packages resolve). */
  const REPORTS = "import fs from 'node:fs';\nimport express from 'express';\nexport const app = express();\napp.post('/reports/:id', async (req, res) => {\n  await fs.promises.writeFile(`reports/${req.params.id}.txt`, String(req.body));\n  res.status(201).end();\n});\n";
  // The fix streams from the store: a Readable, which has no `bytesRead` (an fs stream's).
  const BYTES_READ =
    "import fs from 'node:fs';\nimport path from 'node:path';\nimport express from 'express';\nconst UPLOAD_DIR = path.join(__dirname, 'uploads');\nexport const app = express();\napp.post('/files/:name', (req, res) => {\n  req.pipe(fs.createWriteStream(path.join(UPLOAD_DIR, req.params.name))).on('finish', () => res.status(201).end());\n});\napp.get('/files/:name', (req, res) => {\n  const stream = fs.createReadStream(path.join(UPLOAD_DIR, req.params.name));\n  stream.on('end', () => console.log(stream.bytesRead)).pipe(res);\n});\n";
  async function moveAction(compilerOptions: Record<string, unknown>, source = REPORTS): Promise<{ move: CodeAction; diagnostic: Diagnostic }> {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stateless-lsp-typecheck-')));
    writeFileSync(`${dir}/package.json`, '{ "name": "reports" }\n');
    writeFileSync(`${dir}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, ...compilerOptions }, include: ['src'] }));
    mkdirSync(`${dir}/src`);
    symlinkSync(fileURLToPath(new URL('../../node_modules', import.meta.url)), `${dir}/node_modules`, 'dir');
    writeFileSync(`${dir}/src/app.ts`, source);
    const other = await LspClient.start(dir);
    try {
      const app = await other.open(`${dir}/src/app.ts`);
      const [diagnostic] = await other.diagnostics(app, (params) => params.diagnostics.length === 1);
      expect(diagnostic.code).toBe('no-local-disk-write');
      const [move] = await other.codeActions(app, diagnostic.range, [diagnostic]);
      return { move, diagnostic };
    } finally {
      await other.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('is offered disabled, with the error it would add, as `stateless fix --write` refuses it', async () => {
    const { move, diagnostic } = await moveAction({}, BYTES_READ);
    expect(move).toEqual({
      title: 'Keep the files in the object store (S3) instead (src/scaling/object-store.ts)',
      kind: 'quickfix',
      diagnostics: [diagnostic],
      disabled: { reason: "This fix is not offered because it adds a type error: src/app.ts:11:45 TS2339 Property 'bytesRead' does not exist on type 'Readable'." },
    });
  });

  it('is offered as an edit when the result type-checks, also under noUnusedLocals (the import it leaves unused goes)', async () => {
    for (const options of [{}, { noUnusedLocals: true }]) {
      const { move } = await moveAction(options);
      expect(move.disabled).toBeUndefined();
      expect(move.edit?.documentChanges?.length).toBeGreaterThan(0);
    }
  });
});
