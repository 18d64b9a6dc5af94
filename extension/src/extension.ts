/**
 * The Stateless extension: starts the language server bundled with it and shows what it reports.
 * Client options live in client.ts, the status-bar item in status-bar.ts, commands in commands.ts.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification } from '@stateless/language-server/protocol';
import { createLanguageClient } from './client';
import { registerCommands } from './commands';
import { StatusBar } from './status-bar';

/** What `activate` returns: read by the extension's own tests through `Extension.exports`. */
export interface StatelessExtensionApi {
  /** The status-bar item's current text. */
  readonly statusBarText: string;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<StatelessExtensionApi> {
  const output = vscode.window.createOutputChannel('Stateless', { log: true });
  const statusBar = new StatusBar();
  const languageClient = createLanguageClient(context, output);
  client = languageClient;
  context.subscriptions.push(
    output,
    statusBar,
    languageClient.onDidChangeState(({ newState }) => statusBar.setState(newState === State.Running ? 'running' : newState === State.Starting ? 'starting' : 'stopped')),
    languageClient.onNotification(StatusNotification.type, (status) => statusBar.update(status)),
    ...registerCommands(languageClient),
  );
  try {
    await languageClient.start();
  } catch (error) {
    output.error(`the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showErrorMessage('Stateless: the language server did not start (see the Stateless output).');
  }
  return {
    get statusBarText() {
      return statusBar.text;
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
