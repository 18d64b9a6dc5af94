/**
 * Findings as LSP diagnostics, and when to publish them: an edit re-analyses the edited file and
 * every open file whose project reads it (debounced), so a helper changed in one file updates the
 * diagnostics of the files that call it. Only the latest version of a document is published, and a
 * re-analysis that changes nothing publishes nothing.
 *
 * Publishing waits until edits have paused for the debounce, so diagnostics do not change under
 * the cursor while the user types; the analysis itself starts sooner, after a shorter pause, so
 * what is published when the debounce ends is usually ready by then. A change (an edit, settings,
 * a file on disk) that arrives while the early analysis runs makes its results stale: they are
 * computed again.
 */
import { type Connection, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver/node';
import type ts from 'typescript';
import { parseSuppressions, ruleDocsUrl, type Finding } from '@stateless/core';
import { analyzeFile, findingKey, type FileAnalysis } from './analysis';
import type { ConfigProblems } from './config-problems';
import { fileNameOf, isAnalysable, whyNotAnalysed, type Documents } from './documents';
import type { Projects } from './projects';
import { DIAGNOSTIC_SOURCE, StatusNotification, type DiagnosticData } from './protocol';
import { severityOf, type Settings, type SettingsStore } from './settings';

/** Quiet time after the last edit before publishing: diagnostics do not change on every key. */
const DEBOUNCE_MILLISECONDS = 150;
/** Quiet time after the last edit before the analysis starts, to have it ready when the debounce ends. */
const EARLY_START_MILLISECONDS = 40;

/** A range in a file of the program (TypeScript counts UTF-16 code units, as LSP does by default). */
export function rangeIn(sourceFile: ts.SourceFile, start: number, end: number): Range {
  return { start: sourceFile.getLineAndCharacterOfPosition(start), end: sourceFile.getLineAndCharacterOfPosition(end) };
}

/** The diagnostics of an analysis under the resource's settings and the file's `eslint-disable` comments. */
export function toDiagnostics(analysis: FileAnalysis, settings: Settings, uriFor: (fileName: string) => string): { diagnostics: Diagnostic[]; findings: Map<string, Finding> } {
  const suppressions = parseSuppressions(analysis.sourceFile.text);
  const diagnostics: Diagnostic[] = [];
  const findings = new Map<string, Finding>();
  for (const finding of analysis.findings) {
    const severity = severityOf(settings, finding.ruleId);
    const range = rangeIn(analysis.sourceFile, finding.start, finding.end);
    if (severity === undefined || suppressions.isSuppressed(finding.ruleId, range.start.line + 1)) continue;
    const related = [...finding.path.map((step) => ({ ...step, message: step.label })), ...finding.related];
    const relatedInformation: DiagnosticRelatedInformation[] = [];
    for (const location of related) {
      const file = analysis.program.getSourceFile(location.fileName);
      if (file) relatedInformation.push({ location: { uri: uriFor(location.fileName), range: rangeIn(file, location.start, location.end) }, message: location.message });
    }
    const key = findingKey(finding);
    const data: DiagnosticData = { ruleId: finding.ruleId, findingKey: key };
    findings.set(key, finding);
    diagnostics.push({
      range,
      severity,
      source: DIAGNOSTIC_SOURCE,
      code: finding.ruleId,
      codeDescription: { href: ruleDocsUrl(finding.ruleId) },
      message: finding.message,
      relatedInformation,
      data,
    });
  }
  return { diagnostics, findings };
}

/** The analysis behind a document's published diagnostics. */
export interface CurrentAnalysis {
  version: number;
  /** `DiagnosticsService.changes` when the analysis started: a later change may make it stale. */
  changes: number;
  analysis: FileAnalysis;
  settings: Settings;
  diagnostics: Diagnostic[];
  /** Published findings by `findingKey`. */
  findings: Map<string, Finding>;
}

export class DiagnosticsService {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private earlyTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  /** Counts the changes scheduled (edits, settings, files on disk): an analysis started before the last one may be stale. */
  private changes = 0;
  private readonly current = new Map<string, CurrentAnalysis>();
  private readonly published = new Map<string, { key: string; count: number }>();
  private readonly skipReasons = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: Documents,
    private readonly projects: Projects,
    private readonly settings: SettingsStore,
    private readonly log: (message: string) => void,
    private readonly configProblems?: ConfigProblems,
  ) {}

  /** Re-analyses these open documents once edits pause. */
  schedule(uris: Iterable<string>): void {
    this.changes++;
    for (const uri of uris) this.pending.add(uri);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, DEBOUNCE_MILLISECONDS);
    if (this.earlyTimer) clearTimeout(this.earlyTimer);
    this.earlyTimer = setTimeout(() => {
      this.earlyTimer = undefined;
      void this.startEarly();
    }, EARLY_START_MILLISECONDS);
  }

  /** A file changed (open or on disk): it and the open documents whose projects read it. */
  scheduleDependents(fileName: string, changedUri?: string): void {
    const readers = this.projects.loadedProjects().filter((project) => project.reads(fileName));
    const uris = this.documents.all.all().map((document) => document.uri).filter((uri) => {
      const name = fileNameOf(uri);
      return name !== undefined && readers.includes(this.projects.projectFor(name));
    });
    this.schedule(changedUri ? [changedUri, ...uris] : uris);
  }

  scheduleAllOpen(): void {
    this.schedule(this.documents.all.all().map((document) => document.uri));
  }

  configFileDeleted(fileName: string): void {
    this.configProblems?.forget(fileName);
  }

  /** The document was closed: its diagnostics go away with it. */
  clear(uri: string): void {
    this.pending.delete(uri);
    this.current.delete(uri);
    this.skipReasons.delete(uri);
    this.publish(uri, undefined, []);
  }

  /**
   * The analysis of the document's current version on its project's current program, analysing it
   * now if the stored one is older (this file or another one it reads changed): fix plans must be
   * computed on the texts the editor has.
   */
  async currentAnalysis(uri: string): Promise<CurrentAnalysis | undefined> {
    const document = this.documents.get(uri);
    const fileName = fileNameOf(uri);
    if (!document || !fileName) return undefined;
    const stored = this.current.get(uri);
    if (stored?.version === document.version && stored.analysis.program === this.projects.projectFor(fileName).program()) return stored;
    return this.analyse(uri);
  }

  /** Analyses a document or a file on disk and publishes its diagnostics (the scan's entry point too). */
  async validate(uri: string): Promise<Diagnostic[]> {
    const document = this.documents.get(uri);
    const early = this.current.get(uri);
    const result = document && early?.version === document.version && early.changes === this.changes ? early : await this.analyse(uri);
    if (document && this.documents.get(uri)?.version !== document.version) return []; // a newer version is scheduled
    const diagnostics = result?.diagnostics ?? [];
    this.publish(uri, document?.version, diagnostics);
    return diagnostics;
  }

  private async analyse(uri: string): Promise<CurrentAnalysis | undefined> {
    const changes = this.changes;
    const fileName = fileNameOf(uri);
    if (!fileName || !isAnalysable(fileName)) return undefined;
    const settings = await this.settings.forResource(uri);
    if (!settings.enable) return undefined;
    const document = this.documents.get(uri);
    const text = document?.getText() ?? this.projects.projectFor(fileName).program()?.getSourceFile(fileName)?.text;
    const reason = text === undefined ? undefined : whyNotAnalysed(text);
    if (reason) {
      if (this.skipReasons.get(uri) !== reason) this.log(`Stateless: skipped ${fileName}: ${reason}.`);
      this.skipReasons.set(uri, reason);
      return undefined;
    }
    this.skipReasons.delete(uri);
    const analysis = analyzeFile(this.projects.projectFor(fileName), fileName, {
      log: this.log,
      configProblems: (configFile, problems) => this.configProblems?.report(configFile, problems),
    });
    if (!analysis) return undefined;
    const result: CurrentAnalysis = { version: document?.version ?? -1, changes, analysis, settings, ...toDiagnostics(analysis, settings, (name) => this.documents.uriFor(name)) };
    if (document) this.current.set(uri, result);
    return result;
  }

  /**
   * Analyses the documents waiting to be published, without publishing them: the flush at the end
   * of the debounce publishes these results when nothing changed since they started. Stops at the
   * first change that arrives meanwhile (and starts again for it) or when the flush begins.
   */
  private async startEarly(): Promise<void> {
    if (this.flushing || this.starting) return;
    const changes = this.changes;
    this.starting = (async () => {
      for (const uri of [...this.pending]) {
        if (this.changes !== changes || this.flushing || !this.timer) return;
        if (!this.documents.get(uri)) continue;
        try {
          await this.analyse(uri);
        } catch {
          // The flush analyses it again and logs what went wrong.
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      await this.starting;
    } finally {
      this.starting = undefined;
    }
    // A change arrived while it ran (its own early start found this one busy): start again for it.
    if (this.changes !== changes && this.timer && !this.earlyTimer && !this.flushing) void this.startEarly();
  }

  private async flush(): Promise<void> {
    if (this.starting) await this.starting;
    if (this.flushing) {
      await this.flushing;
      if (this.pending.size > 0 && !this.timer) return this.flush();
      return;
    }
    this.flushing = (async () => {
      while (this.pending.size > 0) {
        const [uri] = this.pending;
        this.pending.delete(uri);
        if (!this.documents.get(uri)) continue;
        try {
          await this.validate(uri);
        } catch (error) {
          this.log(`Stateless: analysing ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
        // Let edits and cancellations that arrived meanwhile in before the next file.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  /** Publishes unless the client already has exactly these diagnostics for this version; then the totals. */
  private publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    const key = JSON.stringify([version, diagnostics]);
    if (this.published.get(uri)?.key === key) return;
    if (diagnostics.length === 0 && version === undefined) this.published.delete(uri);
    else this.published.set(uri, { key, count: diagnostics.length });
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
    let findings = 0;
    let files = 0;
    for (const { count } of this.published.values()) {
      findings += count;
      if (count > 0) files++;
    }
    void this.connection.sendNotification(StatusNotification.type, { findings, files });
  }
}
