/**
 * The language server's wiring: capabilities, and which module answers which message. Documents,
 * projects, diagnostics, code actions, hover, settings and the scan live in their own files.
 */
import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  WorkDoneProgressReporter,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { clearProjectConfigCache, ruleDocsUrl, ruleDefinitions } from '@stateless/core';
import { codeActions, editCapabilities } from './code-actions';
import { ConfigProblems } from './config-problems';
import { DiagnosticsService } from './diagnostics';
import { Documents, fileNameOf, isAnalysable } from './documents';
import { hover } from './hover';
import { Projects } from './projects';
import { Commands } from './protocol';
import { scanWorkspace } from './scan';
import { SettingsStore } from './settings';

/** Files whose change means the project configuration must be read again. */
const PROJECT_CONFIG_FILES = new Set(['stateless.config.json', 'package.json']);
const TSCONFIG_FILE = /^[jt]sconfig(?:\.[^/]*)?\.json$/;
const WATCHED_GLOBS = ['**/stateless.config.json', '**/package.json', '**/tsconfig*.json', '**/jsconfig*.json', '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];

export function startServer(connection: Connection): void {
  const documents = new Documents();
  const log = (message: string): void => connection.console.info(message);
  const projects = new Projects(documents, log);
  let folders: string[] = [];
  let capabilities: ClientCapabilities = {};
  let settings: SettingsStore | undefined;
  let diagnostics: DiagnosticsService | undefined;

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    const workspaceFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    folders = workspaceFolders.map((folder) => fileNameOf(folder.uri)).filter((name): name is string => name !== undefined);
    projects.setWorkspaceFolders(folders);
    settings = new SettingsStore(connection, capabilities.workspace?.configuration === true, params.initializationOptions);
    diagnostics = new DiagnosticsService(connection, documents, projects, settings, log, new ConfigProblems(connection, (fileName) => documents.uriFor(fileName)));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [...Commands.all] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'stateless-language-server' },
    };
  });

  connection.onInitialized(() => {
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
    }
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'stateless' });
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((folder) => fileNameOf(folder.uri)));
        const added = event.added.map((folder) => fileNameOf(folder.uri)).filter((name): name is string => name !== undefined);
        folders = [...folders.filter((folder) => !removed.has(folder)), ...added];
        projects.setWorkspaceFolders(folders);
        diagnostics?.scheduleAllOpen();
      });
    }
  });

  documents.all.onDidOpen(({ document }) => {
    const fileName = fileNameOf(document.uri);
    if (fileName) projects.documentOpenedOrClosed(fileName);
  });
  documents.all.onDidChangeContent(({ document }) => {
    const fileName = fileNameOf(document.uri);
    if (!fileName || !isAnalysable(fileName)) return;
    projects.documentChanged(fileName);
    diagnostics?.scheduleDependents(fileName, document.uri);
  });
  documents.all.onDidClose(({ document }) => {
    diagnostics?.clear(document.uri);
    const fileName = fileNameOf(document.uri);
    if (!fileName) return;
    projects.documentOpenedOrClosed(fileName);
    diagnostics?.scheduleDependents(fileName);
    projects.scheduleUnload();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      const fileName = fileNameOf(change.uri);
      if (!fileName) continue;
      const base = path.posix.basename(fileName);
      if (PROJECT_CONFIG_FILES.has(base)) {
        clearProjectConfigCache();
        if (change.type === FileChangeType.Deleted) diagnostics?.configFileDeleted(fileName);
      }
      else if (TSCONFIG_FILE.test(base)) projects.configChanged(folders);
      else if (isAnalysable(fileName)) projects.diskFileChanged(fileName, change.type !== FileChangeType.Changed);
    }
    diagnostics?.scheduleAllOpen();
  });

  connection.onDidChangeConfiguration(({ settings: pushed }) => {
    settings?.changed(pushed);
    diagnostics?.scheduleAllOpen();
  });

  connection.onHover(async ({ textDocument, position }, token) => {
    const document = documents.get(textDocument.uri);
    const current = await diagnostics?.currentAnalysis(textDocument.uri);
    if (!document || !current || token.isCancellationRequested) return null;
    return hover(current, document, position);
  });

  connection.onCodeAction(async (params, token) => {
    const current = await diagnostics?.currentAnalysis(params.textDocument.uri);
    if (!current || token.isCancellationRequested) return [];
    return codeActions(params, current, documents, editCapabilities(capabilities), token);
  });

  connection.onExecuteCommand(async (params, token, clientProgress: WorkDoneProgressReporter) => {
    if (params.command === Commands.showDocumentation) {
      const ruleId = params.arguments?.[0] as unknown;
      if (!ruleDefinitions.some((rule) => rule.id === ruleId)) return null;
      const uri = ruleDocsUrl(ruleId as string);
      if (capabilities.window?.showDocument?.support) await connection.window.showDocument({ uri, external: true });
      // A notification: `window.showInformationMessage` is a request, which not every client implements.
      else void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `Stateless: the documentation is at ${uri}` });
      return null;
    }
    if (params.command === Commands.scanWorkspace && diagnostics && settings) {
      // vscode-languageserver consumes `params.workDoneToken` into `clientProgress`; a null reporter means there was none.
      const created = WorkDoneProgressReporter.isNullInstance(clientProgress) ? await connection.window.createWorkDoneProgress() : undefined;
      const cancellation = created ? { get isCancellationRequested() { return token.isCancellationRequested || created.token.isCancellationRequested; }, onCancellationRequested: token.onCancellationRequested } : token;
      return scanWorkspace(connection, folders, projects, documents, diagnostics, settings, created ?? clientProgress, cancellation);
    }
    return null;
  });

  documents.all.listen(connection);
  connection.listen();
}
