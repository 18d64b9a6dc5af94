/**
 * Problems in a project's `stateless.config.json` (or package.json `"stateless"` key), shown the
 * way ESLint's editor integration shows a broken config: a diagnostic on the key in the config
 * file, and one warning message per new set of problems. The valid parts of the file still apply.
 */
import * as fs from 'node:fs';
import { DiagnosticSeverity, MessageType, ShowMessageNotification, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { locateConfigProblem } from '@stateless/core';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from './protocol';

export class ConfigProblems {
  /** What was last published per config file (its problems joined), so nothing is sent twice. */
  private readonly published = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly uriFor: (fileName: string) => string,
    private readonly textOf: (fileName: string) => string | undefined = (fileName) => readText(fileName),
  ) {}

  /** The problems of a config file as read now (none clears what was shown for it). */
  report(configFile: string, problems: readonly string[]): void {
    const key = problems.join('\n');
    if ((this.published.get(configFile) ?? '') === key) return;
    if (problems.length === 0) this.published.delete(configFile);
    else this.published.set(configFile, key);
    const text = this.textOf(configFile) ?? '';
    const document = TextDocument.create(this.uriFor(configFile), 'json', 0, text);
    const diagnostics: Diagnostic[] = problems.map((problem) => {
      const { start, end } = locateConfigProblem(configFile, text, problem);
      return {
        range: { start: document.positionAt(start), end: document.positionAt(end) },
        severity: DiagnosticSeverity.Warning,
        source: DIAGNOSTIC_SOURCE,
        message: `${problem.replace(`${configFile} `, '')}; ignored (the default applies)`,
      };
    });
    void this.connection.sendDiagnostics({ uri: this.uriFor(configFile), diagnostics });
    if (problems.length > 0) {
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
      // A notification, not `window.showWarningMessage` (a request that clients may not implement).
      void this.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `Stateless: ${configFile}: ${problems[0].replace(`${configFile} `, '')}${more}. The defaults replace those settings; see the Problems panel.`,
      });
    }
  }

  /** The config file was deleted: its problems go with it. */
  forget(configFile: string): void {
    if (this.published.has(configFile)) this.report(configFile, []);
  }
}

function readText(fileName: string): string | undefined {
  try {
    return fs.readFileSync(fileName, 'utf8');
  } catch {
    return undefined;
  }
}
