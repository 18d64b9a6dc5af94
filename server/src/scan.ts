/**
 * The workspace scan (`stateless.scanWorkspace`): every source file of every project under the
 * workspace folders is analysed and its diagnostics published, with `$/progress` reports; the
 * result is a {@link ScanSummary}. Cancelling the request stops it between two files.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { DiagnosticsService } from './diagnostics';
import { isAnalysable, type Documents } from './documents';
import type { Project, Projects } from './projects';
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
  // Project by project, unloading each one no open file needs once its files are done: memory holds
  // one project's program at a time, not the whole workspace's.
  const byProject = new Map<Project, string[]>();
  for (const fileName of files) {
    const project = projects.projectFor(fileName);
    byProject.set(project, [...(byProject.get(project) ?? []), fileName]);
  }
  try {
    for (const [project, projectFiles] of byProject) {
      for (const fileName of projectFiles) {
        if (token.isCancellationRequested) {
          connection.console.log(`Stateless: workspace scan cancelled after ${summary.files} of ${files.size} files.`);
          return new ResponseError(LSPErrorCodes.RequestCancelled, 'The workspace scan was cancelled.');
        }
        await validateInto(summary, fileName);
        progress.report(Math.floor((summary.files / files.size) * 100), `${summary.files}/${files.size} files`);
        // Let a cancellation (or an edit) in between two files.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // A workspace of one project keeps it: the next file opened needs it again at once.
      if (byProject.size > 1) projects.unloadUnused(project);
    }
  } finally {
    progress.done();
  }
  summary.durationMs = Date.now() - started;
  connection.console.log(`Stateless: scanned ${summary.files} files in ${summary.durationMs} ms: ${summary.findings} findings.`);
  return summary;

  async function validateInto(into: ScanSummary, fileName: string): Promise<void> {
    const published = await diagnostics.validate(documents.uriFor(fileName));
    into.files++;
    for (const diagnostic of published) {
      const { ruleId } = diagnostic.data as DiagnosticData;
      into.byRule[ruleId] = (into.byRule[ruleId] ?? 0) + 1;
      into.findings++;
    }
  }
}
