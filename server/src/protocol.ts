/**
 * The messages Stateless adds to LSP, typed once for the server, the VS Code client and the tests
 * (vscode-eslint's `customMessages.ts` style: a namespace per message with its `method` and `type`).
 */
/* eslint-disable @typescript-eslint/no-namespace -- a namespace per message, as vscode-eslint's customMessages.ts (STYLE.md) */
import { NotificationType } from 'vscode-languageserver-protocol';
import type { RuleId } from '@stateless/core';

/** Diagnostics carry this `source`, so clients and tests can tell them from other linters'. */
export const DIAGNOSTIC_SOURCE = 'stateless';

/** What a Stateless diagnostic's `data` holds: enough for a code action to find its finding again. */
export interface DiagnosticData {
  ruleId: RuleId;
  /** Identifies the finding within its file's latest analysis (rule, message id and range). */
  findingKey: string;
}

/** Commands the server executes (`workspace/executeCommand`). */
export namespace Commands {
  /**
   * Client → server: analyse every file of every project in the workspace, publish their
   * diagnostics and return a {@link ScanSummary}. Reports `$/progress` on the client's
   * `workDoneToken`, or on one the server creates with `window/workDoneProgress/create`.
   */
  export const scanWorkspace = 'stateless.scanWorkspace';
  /** Client → server, arguments `[ruleId]`: the server asks the client to open the rule's docs page (`window/showDocument`). */
  export const showDocumentation = 'stateless.showDocumentation';
  export const all: readonly string[] = [scanWorkspace, showDocumentation];
}

/** The result of {@link Commands.scanWorkspace}. */
export interface ScanSummary {
  /** Files analysed. */
  files: number;
  /** Findings published (after settings and suppression comments). */
  findings: number;
  byRule: Partial<Record<RuleId, number>>;
  durationMs: number;
}

/** The parameters of {@link StatusNotification}. */
export interface StatusParams {
  /** Diagnostics currently published, in all files. */
  findings: number;
  /** Files that currently have at least one diagnostic. */
  files: number;
}

/** Server → client after each publish: the totals, for a status-bar item showing the hazard count. */
export namespace StatusNotification {
  export const method = 'stateless/status';
  export const type = new NotificationType<StatusParams>(method);
}
