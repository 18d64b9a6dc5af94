// The workspace scan: diagnostics for every file of the projects, `$/progress` on the client's
// token or on one the server creates, a summary, and a clean stop when the request is cancelled.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { LspClient, uriOf } from './client';
import { copyFixture, removeWorkspace } from './workspace';

let root: string;
let client: LspClient;

beforeEach(async () => {
  root = copyFixture('shop');
  client = await LspClient.start(root);
});

afterEach(async () => {
  await client.stop();
  removeWorkspace(root);
});

describe('stateless.scanWorkspace', () => {
  it('publishes every file, reports progress on the client token and returns the summary', async () => {
    client.trackProgress('scan-1');
    const summary = await client.executeCommand('stateless.scanWorkspace', [], 'scan-1');
    expect(summary).toEqual({ files: 3, findings: 1, byRule: { 'no-in-memory-session': 1 }, durationMs: expect.any(Number) as number });
    expect(client.progress('scan-1')).toEqual([
      { kind: 'begin', title: 'Stateless: scanning the workspace', percentage: 0, message: '0/3 files', cancellable: true },
      { kind: 'report', percentage: 33, message: '1/3 files' },
      { kind: 'report', percentage: 66, message: '2/3 files' },
      { kind: 'report', percentage: 100, message: '3/3 files' },
      { kind: 'end' },
    ]);
    const published = Object.fromEntries(['app', 'helpers', 'store'].map((name) => {
      const params = client.published.get(uriOf(`${root}/src/${name}.ts`));
      return [name, params?.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message])];
    }));
    expect(published).toEqual({
      app: [],
      helpers: [],
      store: [['no-in-memory-session', 0, 13, '`sessions` holds per-user state in this process; it is written by POST /login (src/app.ts:6). A second instance will not see it.']],
    });
    expect(client.logs.at(-1)).toMatch(/^Stateless: scanned 3 files in \d+ ms: 1 findings\.$/);
  });

  it('creates a progress token when the client gives none', async () => {
    const created: (string | number)[] = [];
    client.onCreateProgress = (token) => created.push(token);
    await client.executeCommand('stateless.scanWorkspace');
    expect(created).toHaveLength(1);
    expect(client.progress(created[0]).map((value) => (value as { kind: string }).kind)).toEqual(['begin', 'report', 'report', 'report', 'end']);
  });

  it('stops when the request is cancelled, answers RequestCancelled and keeps serving', async () => {
    const cancellation = new CancellationTokenSource();
    // Cancelled while the server waits for its progress token: the next thing it checks is the token.
    client.onCreateProgress = () => cancellation.cancel();
    const error = await client.executeCommand('stateless.scanWorkspace', [], undefined, cancellation.token).then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError<unknown>).code).toBe(LSPErrorCodes.RequestCancelled);
    expect(client.logs).toContain('Stateless: workspace scan cancelled after 0 of 3 files.');

    const store = await client.open(`${root}/src/store.ts`);
    expect((await client.diagnostics(store, (params) => params.version === 1)).map((d) => d.code)).toEqual(['no-in-memory-session']);
  });
});
