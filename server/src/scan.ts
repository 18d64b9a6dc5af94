/**
 * The workspace scan (`stateless.scanWorkspace`): every source file of every project under the
 * workspace folders is analysed and its diagnostics published, with `$/progress` reports; the
 * result is a {@link ScanSummary}. Cancelling the request stops it between two files.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { DiagnosticsService } from './diagnostics';
import { isAnalysable, type Documents } from './documents';
import type { Projects } from './projects';
import type { DiagnosticData, ScanSummary } from './protocol';
import type { SettingsStore } from './settings';

export async function scanWorkspace(
  connection: Connection,
  folders: readonly string[],
  projects: Projects,
  documents: Documents,
  diagnostics: DiagnosticsService,
  settings: SettingsStore,
  progress: WorkDoneProgressReporter,
  token: CancellationToken,
): Promise<ScanSummary | ResponseError<void>> {
  const started = Date.now();
  const inWorkspace = (fileName: string): boolean => folders.some((folder) => fileName.startsWith(`${folder}/`)) && !fileName.includes('/node_modules/');
  const files = new Set<string>();
  for (const project of projects.allProjects()) {
    for (const fileName of project.rootFiles()) if (isAnalysable(fileName) && inWorkspace(fileName)) files.add(fileName);
  }
  const summary: ScanSummary = { files: 0, findings: 0, byRule: {}, durationMs: 0 };
  progress.begin('Stateless: scanning the workspace', 0, `0/${files.size} files`, true);
  // One workspace/configuration request for every file, instead of one per file.
  await settings.forResources([...files].map((fileName) => documents.uriFor(fileName)));
  try {
    for (const fileName of files) {
      if (token.isCancellationRequested) {
        connection.console.log(`Stateless: workspace scan cancelled after ${summary.files} of ${files.size} files.`);
        return new ResponseError(LSPErrorCodes.RequestCancelled, 'The workspace scan was cancelled.');
      }
      const published = await diagnostics.validate(documents.uriFor(fileName));
      summary.files++;
      for (const diagnostic of published) {
        const { ruleId } = diagnostic.data as DiagnosticData;
        summary.byRule[ruleId] = (summary.byRule[ruleId] ?? 0) + 1;
        summary.findings++;
      }
      progress.report(Math.floor((summary.files / files.size) * 100), `${summary.files}/${files.size} files`);
      // Let a cancellation (or an edit) in between two files.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    progress.done();
  }
  summary.durationMs = Date.now() - started;
  connection.console.log(`Stateless: scanned ${summary.files} files in ${summary.durationMs} ms: ${summary.findings} findings.`);
  return summary;
}
