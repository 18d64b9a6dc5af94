/**
 * The commands the extension itself implements: "Stateless: Show Report" and "Stateless: Restart
 * Server". "Stateless: Scan Workspace" (`stateless.scanWorkspace`) is the server's command; the
 * language client registers it from the server's capabilities.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { Commands, DIAGNOSTIC_SOURCE, type ScanSummary } from '@stateless/language-server/protocol';
import { buildReport, type ReportFinding } from './report';

/** How long the report waits for the scan's diagnostics to reach VS Code (the client converts them in the background). */
const DIAGNOSTICS_SETTLE_MS = 5_000;

function statelessDiagnostics(): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages
    .getDiagnostics()
    .map(([uri, diagnostics]): [vscode.Uri, vscode.Diagnostic[]] => [uri, diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE)])
    .filter(([, diagnostics]) => diagnostics.length > 0);
}

const countOf = (entries: [vscode.Uri, vscode.Diagnostic[]][]): number => entries.reduce((sum, [, diagnostics]) => sum + diagnostics.length, 0);

/** Resolves once VS Code holds `expected` Stateless diagnostics, or after {@link DIAGNOSTICS_SETTLE_MS}. */
function diagnosticsSettled(expected: number): Promise<void> {
  if (countOf(statelessDiagnostics()) === expected) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, DIAGNOSTICS_SETTLE_MS);
    const listener = vscode.languages.onDidChangeDiagnostics(() => {
      if (countOf(statelessDiagnostics()) === expected) done();
    });
  });
}

function relativePath(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? path.posix.relative(folder.uri.path, uri.path) : uri.fsPath;
}

function asReportFinding(uri: vscode.Uri, diagnostic: vscode.Diagnostic): ReportFinding {
  const code = diagnostic.code;
  const ruleId = typeof code === 'object' ? String(code.value) : String(code ?? '');
  return {
    file: relativePath(uri),
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    ruleId,
    message: diagnostic.message,
    docsUrl: typeof code === 'object' ? code.target.toString(true) : undefined,
  };
}

/** Scans the workspace and opens the report as an untitled markdown document; returns that document. */
async function showReport(client: LanguageClient): Promise<vscode.TextDocument | undefined> {
  const summary = (await client.sendRequest(ExecuteCommandRequest.type, { command: Commands.scanWorkspace, arguments: [] })) as ScanSummary | null;
  if (!summary) {
    void vscode.window.showWarningMessage('Stateless: the workspace scan returned no result (see the Stateless output).');
    return undefined;
  }
  await diagnosticsSettled(summary.findings);
  const findings = statelessDiagnostics().flatMap(([uri, diagnostics]) => diagnostics.map((diagnostic) => asReportFinding(uri, diagnostic)));
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: buildReport(summary, findings) });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** Registers the extension's own commands; dispose the result to remove them. */
export function registerCommands(client: LanguageClient): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('stateless.showReport', () => showReport(client)),
    vscode.commands.registerCommand('stateless.restartServer', () => client.restart()),
  ];
}
