// The bin: `--stdio` for any LSP client, `--node-ipc` for VS Code's (which forks it), usage otherwise.
// Both transports answer `initialize` with the same capabilities.
import { fork, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InitializeRequest, type InitializeResult } from 'vscode-languageserver-protocol';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-languageserver-protocol/node';
import { CAPABILITIES, LspClient, repoRoot, serverBin, uriOf } from './client';

const EXPECTED: InitializeResult = {
  capabilities: {
    textDocumentSync: { openClose: true, change: 2 },
    hoverProvider: true,
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    executeCommandProvider: { commands: ['stateless.scanWorkspace', 'stateless.showDocumentation'] },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  },
  serverInfo: { name: 'stateless-language-server' },
};

describe('stateless-language-server', () => {
  it('serves over node IPC', async () => {
    const child = fork(serverBin, ['--node-ipc'], { silent: true });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: uriOf(repoRoot), workspaceFolders: null, capabilities: CAPABILITIES });
      expect(result).toEqual(EXPECTED);
    } finally {
      connection.dispose();
      child.kill();
    }
  });

  it('serves over stdio, and shuts down and exits when asked', async () => {
    const client = await LspClient.start(`${repoRoot}/test/lsp/fixtures/shop`);
    const exited = new Promise<number | null>((resolve) => client.process.once('exit', resolve));
    await client.stop();
    expect(await exited).toBe(0);
  });

  it('prints its usage without a transport', () => {
    const result = spawnSync(process.execPath, [serverBin], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([2, 'Usage: stateless-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n']);
  });
});
