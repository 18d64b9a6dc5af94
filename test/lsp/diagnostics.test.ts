// Diagnostics as an LSP client sees them: exact ranges, codes, messages and related information;
// re-published when another open file changes; silenced by eslint-disable comments; shaped by the
// `stateless` settings.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, uriOf } from './client';
import { copyFixture, removeWorkspace } from './workspace';

let root: string;
let client: LspClient;
const settings: { current: unknown } = { current: {} };

beforeEach(async () => {
  root = copyFixture('shop');
  settings.current = {};
  client = await LspClient.start(root, { settings: () => settings.current });
});

afterEach(async () => {
  await client.stop();
  removeWorkspace(root);
});

/** The one finding of the shop fixture: `sessions` in store.ts, written by POST /login through helpers.ts. */
function sessionDiagnostic(severity: DiagnosticSeverity = DiagnosticSeverity.Warning): Diagnostic {
  const app = uriOf(`${root}/src/app.ts`);
  const helpers = uriOf(`${root}/src/helpers.ts`);
  const write = { start: { line: 3, character: 2 }, end: { line: 3, character: 24 } };
  return {
    range: { start: { line: 0, character: 13 }, end: { line: 0, character: 21 } },
    severity,
    source: 'stateless',
    code: 'no-in-memory-session',
    codeDescription: { href: 'https://github.com/stateless-dev/stateless/blob/main/rules-docs/no-in-memory-session.md' },
    message: '`sessions` holds per-user state in this process; it is written by POST /login (src/app.ts:6). A second instance will not see it.',
    relatedInformation: [
      { location: { uri: app, range: { start: { line: 5, character: 0 }, end: { line: 8, character: 2 } } }, message: 'POST /login' },
      { location: { uri: app, range: { start: { line: 6, character: 2 }, end: { line: 6, character: 54 } } }, message: 'calls remember()' },
      { location: { uri: helpers, range: write }, message: 'writes sessions' },
      { location: { uri: helpers, range: write }, message: 'sessions is written here on POST /login' },
    ],
    data: { ruleId: 'no-in-memory-session', findingKey: 'no-in-memory-session:sessionInMemory:13:21' },
  };
}

/** store.ts and helpers.ts opened, once store.ts shows its finding. */
async function openStoreAndHelpers(): Promise<{ store: string; helpers: string }> {
  const store = await client.open(`${root}/src/store.ts`);
  const helpers = await client.open(`${root}/src/helpers.ts`, readFileSync(`${root}/src/helpers.ts`, 'utf8'));
  expect(await client.diagnostics(store, (params) => params.diagnostics.length === 1)).toEqual([sessionDiagnostic()]);
  return { store, helpers };
}

/** helpers.ts line 4 stops writing the sessions map, and writes it again. */
const dropTheWrite = { range: { start: { line: 3, character: 2 }, end: { line: 3, character: 24 } }, text: 'void [id, user, sessions];' };
const restoreTheWrite = { range: { start: { line: 3, character: 2 }, end: { line: 3, character: 28 } }, text: 'sessions.set(id, user);' };

describe('diagnostics', () => {
  it('publishes the finding with its route as related information, and the totals', async () => {
    const store = await client.open(`${root}/src/store.ts`);
    expect(await client.diagnostics(store, (params) => params.version === 1)).toEqual([sessionDiagnostic()]);
    expect(client.published.get(store)?.version).toBe(1);
    // The totals follow the publish, for the status bar.
    expect(await client.until(() => client.notifications.find((n) => n.method === 'stateless/status')?.params)).toEqual({ findings: 1, files: 1 });
  });

  it('re-publishes an open file when a helper it depends on changes in another open file', async () => {
    const { store, helpers } = await openStoreAndHelpers();

    // The helper stops writing the map (unsaved): the state is no longer written on a request path.
    await client.change(helpers, 2, [dropTheWrite]);
    expect(await client.diagnostics(store, (params) => params.diagnostics.length === 0)).toEqual([]);

    await client.change(helpers, 3, [restoreTheWrite]);
    expect(await client.diagnostics(store, (params) => params.diagnostics.length === 1)).toEqual([sessionDiagnostic()]);
    expect(client.published.get(store)?.version).toBe(1);
    // The helper itself has no finding at any version.
    expect(await client.diagnostics(helpers, (params) => params.version === 3)).toEqual([]);
  });

  it('never publishes an analysis that an edit made stale while it ran ahead of the debounce', async () => {
    const { store, helpers } = await openStoreAndHelpers();

    // The write goes, and comes back once the analysis has started early (before the debounce ends):
    // store.ts, still version 1, was analysed without the write, a result the second edit makes
    // stale. What stays published is the analysis of the texts after the second edit.
    await client.change(helpers, 2, [dropTheWrite]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.change(helpers, 3, [restoreTheWrite]);
    expect(await client.diagnostics(helpers, (params) => params.version === 3)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(client.published.get(store)?.diagnostics).toEqual([sessionDiagnostic()]);
  });

  it('honours eslint-disable-next-line stateless/<rule> and block disables as ESLint does', async () => {
    const text = readFileSync(`${root}/src/store.ts`, 'utf8');
    const store = await client.open(`${root}/src/store.ts`, `// eslint-disable-next-line stateless/no-in-memory-session -- one instance only\n${text}`);
    expect(await client.diagnostics(store, (params) => params.version === 1)).toEqual([]);

    // Another plugin's rule does not silence ours.
    await client.change(store, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '/* eslint-disable no-console */\n' }]);
    const moved = sessionDiagnostic();
    moved.range = { start: { line: 1, character: 13 }, end: { line: 1, character: 21 } };
    moved.data = { ruleId: 'no-in-memory-session', findingKey: 'no-in-memory-session:sessionInMemory:45:53' };
    expect(await client.diagnostics(store, (params) => params.version === 2)).toEqual([moved]);

    await client.change(store, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 31 } }, text: '/* eslint-disable */' }]);
    expect(await client.diagnostics(store, (params) => params.version === 3)).toEqual([]);
  });

  it('takes severity and rule switches from the settings, and re-publishes when they change', async () => {
    settings.current = { rules: { 'no-in-memory-session': 'error' } };
    const store = await client.open(`${root}/src/store.ts`);
    expect(await client.diagnostics(store, (params) => params.version === 1)).toEqual([sessionDiagnostic(DiagnosticSeverity.Error)]);

    settings.current = { rules: { 'no-in-memory-session': 'hint' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    expect(await client.diagnostics(store, (params) => params.diagnostics[0]?.severity !== DiagnosticSeverity.Error)).toEqual([sessionDiagnostic(DiagnosticSeverity.Hint)]);

    settings.current = { rules: { 'no-in-memory-session': 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    expect(await client.diagnostics(store, (params) => params.diagnostics.length === 0)).toEqual([]);

    settings.current = { enable: false };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const helpers = await client.open(`${root}/src/helpers.ts`);
    expect(await client.diagnostics(helpers, (params) => params.version === 1)).toEqual([]);
    expect(client.published.get(store)?.diagnostics).toEqual([]);
  });

  it('asks for the settings of each resource, and registers its file watchers', async () => {
    const scopes: (string | undefined)[] = [];
    client.settings = (scopeUri) => {
      scopes.push(scopeUri);
      return {};
    };
    const store = await client.open(`${root}/src/store.ts`);
    await client.diagnostics(store, (params) => params.version === 1);
    expect(scopes).toEqual([store]);
    expect(client.registrations).toEqual([
      {
        registrations: [
          expect.objectContaining({
            method: 'workspace/didChangeWatchedFiles',
            registerOptions: { watchers: ['**/stateless.config.json', '**/package.json', '**/tsconfig*.json', '**/jsconfig*.json', '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'].map((globPattern) => ({ globPattern })) },
          }),
        ],
      },
      { registrations: [expect.objectContaining({ method: 'workspace/didChangeConfiguration', registerOptions: { section: 'stateless' } })] },
    ]);
  });

  it('analyses a file outside every tsconfig in the inferred project', async () => {
    const text = [
      "const express = require('express');",
      'const app = express();',
      'const carts = new Map();',
      "app.post('/cart', (req, res) => {",
      '  carts.set(req.body.user, req.body.items);',
      '  res.end();',
      '});',
      '',
    ].join('\n');
    const script = await client.open(`${root}/web/cart.js`, text, 'javascript');
    const [diagnostic] = await client.diagnostics(script, (params) => params.version === 1);
    expect([diagnostic.code, diagnostic.range, diagnostic.message]).toEqual([
      'no-in-memory-session',
      { start: { line: 2, character: 6 }, end: { line: 2, character: 11 } },
      '`carts` holds per-user state in this process; it is written by POST /cart (web/cart.js:4). A second instance will not see it.',
    ]);
  });

  it('clears a document’s diagnostics when it is closed', async () => {
    const store = await client.open(`${root}/src/store.ts`);
    await client.diagnostics(store, (params) => params.diagnostics.length === 1);
    await client.close(store);
    expect(await client.diagnostics(store, (params) => params.version === undefined)).toEqual([]);
    expect(await client.until(() => {
      const status = client.notifications.filter((n) => n.method === 'stateless/status').at(-1)?.params as { findings: number } | undefined;
      return status?.findings === 0 ? status : undefined;
    })).toEqual({ findings: 0, files: 0 });
  });
});
