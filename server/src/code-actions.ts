/**
 * Quick fixes for Stateless diagnostics: every fix plan core makes for the finding (a multi-file
 * `WorkspaceEdit` when the plan changes or creates other files or adds dependencies), a disabled
 * action with the reason when core refuses the fix, "Disable stateless/<rule> for this line" and
 * "Show documentation".
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import {
  CodeActionKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CreateFile,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { manifestOf, owningPackageRoot, planAddsError, planFixes, typeScriptResolvesFrom, withDependencies, type Finding, type FixPlan } from '@stateless/core';
import type { CurrentAnalysis } from './diagnostics';
import { rangeIn } from './diagnostics';
import type { Documents } from './documents';
import { Commands, DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';

/** What the client can apply, read once from its capabilities. */
export interface EditCapabilities {
  documentChanges: boolean;
  createFiles: boolean;
  disabledActions: boolean;
}

export function editCapabilities(capabilities: ClientCapabilities): EditCapabilities {
  const workspaceEdit = capabilities.workspace?.workspaceEdit;
  const createFiles = workspaceEdit?.resourceOperations?.includes('create') === true;
  return {
    // Resource operations only exist in `documentChanges`: a client that lists them (Neovim 0.7) applies them.
    documentChanges: workspaceEdit?.documentChanges === true || createFiles,
    createFiles,
    disabledActions: capabilities.textDocument?.codeAction?.disabledSupport === true,
  };
}

export function codeActions(
  params: CodeActionParams,
  current: CurrentAnalysis,
  documents: Documents,
  capabilities: EditCapabilities,
  token: CancellationToken,
): CodeAction[] {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const actions: CodeAction[] = [];
  const handledRules = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (token.isCancellationRequested) return [];
    const finding = findingOf(diagnostic, current, document);
    if (!finding) continue;
    const { analysis } = current;
    const planned = planFixes(analysis.sourceFile, finding, { program: analysis.program, config: analysis.config, projectRoot: analysis.projectRoot });
    for (const [index, plan] of planned.plans.entries()) {
      if (token.isCancellationRequested) return [];
      const edit = addedError(current, finding, index, plan) ?? workspaceEdit(plan, current, documents, capabilities);
      if (typeof edit !== 'string') actions.push({ title: plan.message, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
      else if (capabilities.disabledActions) actions.push({ title: plan.message, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], disabled: { reason: edit } });
    }
    if (planned.refused && capabilities.disabledActions) {
      actions.push({ title: planned.refused.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], disabled: { reason: planned.refused.reason } });
    }
    const lineKey = `${finding.ruleId}:${diagnostic.range.start.line}`;
    if (!handledRules.has(lineKey)) {
      handledRules.add(lineKey);
      actions.push(disableForLine(document, diagnostic, finding, capabilities));
      actions.push({
        title: `Show documentation for stateless/${finding.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: `Show documentation for stateless/${finding.ruleId}`, command: Commands.showDocumentation, arguments: [finding.ruleId] },
      });
    }
  }
  return actions;
}

/** Per analysis (one version of the texts): what each plan's check said, by finding and plan. */
const checkedPlans = new WeakMap<CurrentAnalysis, Map<string, string | undefined>>();

/**
 * Why the plan cannot be offered as an edit: it adds a syntax or type error to the files it touches
 * or their importers (as `stateless fix --write` would refuse it), checked once per version of the texts.
 */
function addedError(current: CurrentAnalysis, finding: Finding, index: number, plan: FixPlan): string | undefined {
  let byPlan = checkedPlans.get(current);
  if (!byPlan) {
    byPlan = new Map();
    checkedPlans.set(current, byPlan);
  }
  const key = `${finding.ruleId}:${finding.start}:${finding.end}:${index}`;
  if (!byPlan.has(key)) {
    const { program, projectRoot } = current.analysis;
    let reason: string | undefined;
    try {
      reason = planAddsError(program, plan, (fileName) => (projectRoot ? path.posix.relative(projectRoot, fileName) : fileName), hasTypeScript(projectRoot ?? path.posix.dirname(current.analysis.fileName)));
    } catch {
      // A check that trips leaves the fix as core planned it, as the editor offered it before.
      reason = undefined;
    }
    byPlan.set(key, reason && `This fix is not offered because ${reason}`);
  }
  return byPlan.get(key);
}

const typeScriptAt = new Map<string, boolean>();

/**
 * Whether type errors count, as for `stateless fix --write`: the project can type-check (the
 * `typescript` package resolves from its root; without it, its types are not installed either).
 * Syntax errors always count.
 */
function hasTypeScript(root: string): boolean {
  let found = typeScriptAt.get(root);
  if (found === undefined) {
    found = typeScriptResolvesFrom(root);
    typeScriptAt.set(root, found);
  }
  return found;
}

/** The finding behind a diagnostic: by `data.findingKey`, or by rule and range for clients that drop `data`. */
function findingOf(diagnostic: Diagnostic, current: CurrentAnalysis, document: TextDocument): Finding | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  // By key first; a diagnostic published by an earlier analysis of the same text (a scan, then a
  // re-analysis for the code action) still finds its finding by rule and range.
  const byKey = typeof data?.findingKey === 'string' ? current.findings.get(data.findingKey) : undefined;
  if (byKey) return byKey;
  const start = document.offsetAt(diagnostic.range.start);
  const end = document.offsetAt(diagnostic.range.end);
  return [...current.findings.values()].find((finding) => finding.ruleId === diagnostic.code && finding.start === start && finding.end === end);
}

/**
 * `// eslint-disable-next-line stateless/<rule>` above the diagnostic's line, indented like it, or
 * the rule added to a next-line directive that is already there.
 */
function disableForLine(document: TextDocument, diagnostic: Diagnostic, finding: Finding, capabilities: EditCapabilities): CodeAction {
  const rule = `stateless/${finding.ruleId}`;
  const line = diagnostic.range.start.line;
  const lineText = lineAt(document, line);
  const previous = line > 0 ? lineAt(document, line - 1) : '';
  const existing = /^(\s*\/\/\s*eslint-disable-next-line\s+)(\S[^]*?)(\s+--\s[^]*)?$/.exec(previous);
  let edit: TextEdit;
  if (existing) {
    const character = existing[1].length + existing[2].length;
    edit = { range: { start: { line: line - 1, character }, end: { line: line - 1, character } }, newText: `, ${rule}` };
  } else {
    const indent = /^\s*/.exec(lineText)![0];
    const eol = document.getText().includes('\r\n') ? '\r\n' : '\n';
    edit = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// eslint-disable-next-line ${rule}${eol}` };
  }
  return {
    title: `Disable ${rule} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: capabilities.documentChanges
      ? { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: [edit] }] }
      : { changes: { [document.uri]: [edit] } },
  };
}

function lineAt(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/**
 * The plan as a WorkspaceEdit: created files (CreateFile, then their text), edits per file on the
 * texts the analysis saw, and package.json with the missing dependencies. A string says why the
 * client cannot apply it.
 */
function workspaceEdit(plan: FixPlan, current: CurrentAnalysis, documents: Documents, capabilities: EditCapabilities): WorkspaceEdit | string {
  const { program, projectRoot, fileName } = current.analysis;
  const created = plan.createFiles.filter((file) => !documents.byFileName(file.fileName) && !ts.sys.fileExists(file.fileName));
  if (created.length > 0 && !capabilities.createFiles) return 'This fix creates files, and the editor cannot create files from a code action.';
  const edits = new Map<string, TextEdit[]>();
  const textOf = (name: string): string | undefined => documents.byFileName(name)?.getText() ?? program.getSourceFile(name)?.text ?? ts.sys.readFile(name);
  for (const edit of plan.edits) {
    const file = program.getSourceFile(edit.fileName);
    const text = textOf(edit.fileName);
    if (text === undefined) return `${edit.fileName} cannot be read.`;
    const range = file && file.text === text ? rangeIn(file, edit.start, edit.end) : rangeInText(text, edit.start, edit.end);
    edits.set(edit.fileName, [...(edits.get(edit.fileName) ?? []), { range, newText: edit.newText }]);
  }
  if (plan.dependencies.length > 0) {
    // The file's own package of a monorepo: where `stateless fix` adds them too.
    const packageJson = manifestOf(owningPackageRoot(fileName, projectRoot ?? path.posix.dirname(fileName)));
    const text = packageJson === undefined ? undefined : textOf(packageJson);
    const updated = text === undefined ? undefined : withDependencies(text, plan.dependencies, packageJson);
    if (packageJson !== undefined && text !== undefined && updated !== undefined) edits.set(packageJson, [{ range: rangeInText(text, 0, text.length), newText: updated }]);
  }
  if (!capabilities.documentChanges) {
    if (created.length > 0) return 'This fix creates files, and the editor cannot create files from a code action.';
    return { changes: Object.fromEntries([...edits].map(([name, fileEdits]) => [documents.uriFor(name), fileEdits])) };
  }
  const changes: (TextDocumentEdit | CreateFile)[] = [];
  for (const file of created) {
    const uri = documents.uriFor(file.fileName);
    changes.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    changes.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.text }] });
  }
  for (const [name, fileEdits] of edits) {
    changes.push({ textDocument: { uri: documents.uriFor(name), version: documents.byFileName(name)?.version ?? null }, edits: fileEdits });
  }
  return { documentChanges: changes };
}

function rangeInText(text: string, start: number, end: number): TextEdit['range'] {
  const document = TextDocument.create('untitled:stateless', 'plaintext', 0, text);
  return { start: document.positionAt(start), end: document.positionAt(end) };
}
