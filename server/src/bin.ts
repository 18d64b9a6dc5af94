#!/usr/bin/env node
/**
 * `stateless-language-server --stdio` (any LSP client) or `--node-ipc` (VS Code's client, which
 * forks this file). `--socket=<port>` and `--pipe=<name>` work as in every vscode-languageserver.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket=', '--pipe=', '--clientProcessId='];

if (!process.argv.slice(2).some((argument) => TRANSPORTS.some((transport) => argument.startsWith(transport)))) {
  process.stderr.write('Usage: stateless-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n');
  process.exit(2);
}
// A request the client rejects (a method it does not implement) must not take the server down.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`stateless-language-server: ${reason instanceof Error ? reason.message : String(reason)}\n`);
});
startServer(createConnection(ProposedFeatures.all));
