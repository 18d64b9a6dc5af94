/**
 * How the extension talks to the Stateless language server: the server module bundled beside the
 * extension (dist/server.js) forked over node IPC, the documents it sees, and the middleware that
 * tells the user what a workspace scan found.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Commands, type ScanSummary } from '@stateless/language-server/protocol';
import { plural } from './report';

/** The client's id: VS Code reads its trace setting from `stateless.trace.server`. */
export const CLIENT_ID = 'stateless';

/** The languages whose files the server analyses (the extension activates on them too). */
export const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

/** The summary line for a workspace scan, as the notification and the report show it. */
export function describeScan(summary: ScanSummary): string {
  return `${plural(summary.findings, 'scaling hazard')} in ${plural(summary.files, 'file')} scanned (${(summary.durationMs / 1000).toFixed(1)} s)`;
}

function isScanSummary(value: unknown): value is ScanSummary {
  return typeof value === 'object' && value !== null && typeof (value as ScanSummary).findings === 'number' && typeof (value as ScanSummary).files === 'number';
}

/**
 * `stateless.scanWorkspace` is registered by the client from the server's capabilities; this wraps
 * it so a scan started from the command palette ends with a notification (the server reports the
 * progress itself).
 */
function scanNotification(output: vscode.LogOutputChannel): Middleware['executeCommand'] {
  return async (command, args, next) => {
    const result: unknown = await next(command, args);
    if (command === Commands.scanWorkspace && isScanSummary(result)) {
      const line = `Stateless: ${describeScan(result)}`;
      output.info(line);
      void vscode.window.showInformationMessage(line, 'Show Report').then((choice) => {
        if (choice === 'Show Report') void vscode.commands.executeCommand('stateless.showReport');
      });
    }
    return result;
  };
}

/** A client for the server in `dist/server.js` of the installed extension; not started yet. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Only files on disk: the server resolves tsconfig projects and stateless.config.json from the path.
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    outputChannel: output,
    // The server registers its own file watchers and asks for the `stateless` section per resource.
    middleware: { executeCommand: scanNotification(output) },
  };
  return new LanguageClient(CLIENT_ID, 'Stateless', serverOptions, clientOptions);
}
