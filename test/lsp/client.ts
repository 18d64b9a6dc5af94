/**
 * A small LSP client for the protocol tests: spawns the built server (`server/dist/bin.js --stdio`)
 * and talks JSON-RPC with vscode-languageserver-protocol, recording what the server publishes.
 * Waits are on events (a publish that matches), never on time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  DidChangeWatchedFilesNotification,
  WorkDoneProgress,
  type CancellationToken,
  type FileChangeType,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const repoRoot = path.resolve(__dirname, '../..');
export const serverBin = path.join(repoRoot, 'server/dist/bin.js');

export const uriOf = (fileName: string): string => pathToFileURL(fileName).href;

export const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
    executeCommand: {},
  },
  textDocument: {
    synchronization: {},
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown'] },
    codeAction: { disabledSupport: true, dataSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
  window: { workDoneProgress: true, showDocument: { support: true } },
};

export interface ClientOptions {
  /** The `stateless` settings section for a resource (default: the server's defaults). */
  settings?: (scopeUri: string | undefined) => unknown;
  capabilities?: ClientCapabilities;
  /** The server command line (default: this repository's built server, `--stdio`). */
  command?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** The LSP client side of one server process. */
export class LspClient {
  /** The latest publish per URI. */
  readonly published = new Map<string, PublishDiagnosticsParams>();
  /** Every publish, in order. */
  readonly history: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly registrations: unknown[] = [];
  readonly shownDocuments: unknown[] = [];
  settings: (scopeUri: string | undefined) => unknown;
  /** Answers `window/workDoneProgress/create` (tests replace it to act while the server waits). */
  onCreateProgress: (token: string | number) => void = () => undefined;
  private readonly listeners = new Set<() => void>();
  private readonly progressValues = new Map<string | number, unknown[]>();
  private stderr = '';

  private constructor(
    readonly connection: ProtocolConnection,
    readonly process: ChildProcessWithoutNullStreams,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? (() => ({}));
    process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, params);
      this.history.push(params);
      this.changed();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.changed();
    });
    connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      this.changed();
    });
    connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) => params.items.map((item) => this.settings(item.scopeUri)));
    connection.onRequest('client/registerCapability', (params: unknown) => {
      this.registrations.push(params);
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.trackProgress(params.token);
      this.onCreateProgress(params.token);
      return null;
    });
    connection.onRequest('window/showDocument', (params: unknown) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
  }

  static async start(workspace: string, options: ClientOptions = {}): Promise<LspClient> {
    const [command, ...args] = options.command ?? [process.execPath, serverBin, '--stdio'];
    const child = spawn(command, args, { cwd: workspace, stdio: 'pipe', env: options.env ?? process.env });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(connection, child, options);
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(workspace),
      workspaceFolders: [{ uri: uriOf(workspace), name: path.basename(workspace) }],
      capabilities: options.capabilities ?? CAPABILITIES,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a file with its disk text (or the given text) as version 1. */
  async open(fileName: string, text = readFileSync(fileName, 'utf8'), languageId = 'typescript'): Promise<string> {
    const uri = uriOf(fileName);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Resolves with the first publish for `uri` (the latest one included) that satisfies `accept`. */
  diagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true): Promise<Diagnostic[]> {
    return this.until(() => {
      const params = this.published.get(uri);
      return params && accept(params) ? params.diagnostics : undefined;
    });
  }

  /** Resolves once `probe` returns a value, checking after everything the server sends. */
  until<T>(probe: () => T | undefined): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const exited = (code: number | null): void => reject(new Error(`the server exited (${code}) while a test waited:\n${this.stderr}`));
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          this.listeners.delete(check);
          this.process.off('exit', exited);
          resolve(value);
        }
      };
      this.listeners.add(check);
      this.process.once('exit', exited);
    });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
  }

  executeCommand(command: string, args: unknown[] = [], workDoneToken?: string, token?: CancellationToken): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args, workDoneToken }, token);
  }

  /** Tells the server files changed on disk (what an editor's file watcher sends). */
  async filesChanged(changes: { fileName: string; type: FileChangeType }[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: changes.map(({ fileName, type }) => ({ uri: uriOf(fileName), type })) });
  }

  /** Records the `$/progress` values sent on a token (tokens the server creates are tracked already). */
  trackProgress(token: string | number): void {
    const values: unknown[] = [];
    this.progressValues.set(token, values);
    this.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      values.push(value);
      this.changed();
    });
  }

  /** The `$/progress` values sent on a tracked token, in order. */
  progress(token: string | number): unknown[] {
    return this.progressValues.get(token) ?? [];
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
      await exited;
    }
    this.connection.dispose();
  }

  /** What the server wrote to stderr (for failure messages). */
  get errorOutput(): string {
    return this.stderr;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * Applies a WorkspaceEdit the way an editor does: created files start empty, edits apply to the
 * text each file had before the edit. Returns the new text of every file it touched.
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit, textOf: (uri: string) => string): Map<string, string> {
  const texts = new Map<string, string>();
  const current = (uri: string): string => texts.get(uri) ?? textOf(uri);
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') throw new Error(`unexpected resource operation ${change.kind}`);
      texts.set(change.uri, '');
      continue;
    }
    const document = TextDocument.create(change.textDocument.uri, 'typescript', 0, current(change.textDocument.uri));
    texts.set(change.textDocument.uri, TextDocument.applyEdits(document, change.edits.filter((e) => 'range' in e)));
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    texts.set(uri, TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 0, current(uri)), edits));
  }
  return texts;
}
