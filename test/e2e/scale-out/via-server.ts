// Applies every Stateless quick-fix through the language server, as an editor user would: scan the
// workspace, ask for the code actions of a diagnostic, apply the preferred fix's WorkspaceEdit to
// the files, tell the server the files changed, and go again until nothing is left to fix.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { applyWorkspaceEdit, LspClient } from '../../lsp/client';

export interface ServerFixResult {
  applied: string[];
}

export async function fixViaLanguageServer(dir: string, maxFixes = 60): Promise<ServerFixResult> {
  const client = await LspClient.start(dir);
  const applied: string[] = [];
  const tried = new Set<string>();
  try {
    for (let round = 0; round < maxFixes; round++) {
      await client.executeCommand('stateless.scanWorkspace');
      let fixed = false;
      const published = [...client.published.values()].sort((a, b) => a.uri.localeCompare(b.uri));
      for (const { uri, diagnostics } of published) {
        for (const diagnostic of diagnostics) {
          const key = `${uri}\u0000${String(diagnostic.code)}\u0000${diagnostic.message}`;
          if (tried.has(key)) continue;
          tried.add(key);
          // An editor asks for code actions on an open document.
          const opened = await client.open(fileURLToPath(uri));
          const current = (await client.diagnostics(opened, (params) => params.diagnostics.length > 0)).find((candidate) => candidate.message === diagnostic.message) ?? diagnostic;
          const actions = await client.codeActions(opened, current.range, [current]);
          await client.close(opened);
          // The fix that moves the state (the last fix plan, as `stateless fix` applies), not "Disable … for this line".
          const fixes = actions.filter((action) => action.edit && !action.disabled && !action.title.startsWith('Disable '));
          const fix = fixes.find((action) => action.isPreferred) ?? fixes.at(-1);
          if (!fix?.edit) continue;
          const texts = applyWorkspaceEdit(fix.edit, (target) => {
            const file = fileURLToPath(target);
            return existsSync(file) ? readFileSync(file, 'utf8') : '';
          });
          const changes: { fileName: string; type: FileChangeType }[] = [];
          for (const [target, text] of texts) {
            const file = fileURLToPath(target);
            const created = !existsSync(file);
            mkdirSync(path.dirname(file), { recursive: true });
            writeFileSync(file, text);
            changes.push({ fileName: file, type: created ? FileChangeType.Created : FileChangeType.Changed });
          }
          await client.filesChanged(changes);
          applied.push(fix.title);
          fixed = true;
          break;
        }
        if (fixed) break;
      }
      if (!fixed) break;
    }
  } finally {
    await client.stop();
  }
  return { applied };
}
