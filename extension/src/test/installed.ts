/**
 * The shipped artifact in a real VS Code: test/editor/run-code-server.mjs --installed packs the
 * .vsix, installs it with `--install-extension` into a fresh extensions folder and opens the
 * example with this module as the test runner (its development folder holds no extension code).
 * The extension that reports must be the installed copy, with its bundled server.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ORDERS_DIAGNOSTICS } from './expectations';
import { describeDiagnostic, runCases, waitForDiagnostics } from './harness';

const EXTENSION_ID = 'stateless-dev.stateless-vscode';

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test needs the legacy-shop copy open as the workspace folder');
  await runCases([
    {
      name: 'VS Code runs the extension installed from the .vsix, with its bundled server',
      run() {
        const extension = vscode.extensions.getExtension(EXTENSION_ID);
        assert.ok(extension, `${EXTENSION_ID} is not installed`);
        const extensionsDir = process.env.STATELESS_INSTALLED_EXTENSIONS_DIR;
        assert.ok(extensionsDir, 'STATELESS_INSTALLED_EXTENSIONS_DIR is not set');
        assert.equal(path.dirname(extension.extensionPath), extensionsDir, `the extension runs from ${extension.extensionPath}`);
        assert.equal((extension.packageJSON as { version: string }).version, '0.1.0');
        for (const shipped of ['dist/extension.js', 'dist/server.js', 'package.json']) assert.ok(existsSync(path.join(extension.extensionPath, shipped)), `${shipped} is not in the installed extension`);
        for (const absent of ['node_modules', 'src', 'out']) assert.equal(existsSync(path.join(extension.extensionPath, absent)), false, `${absent} was shipped`);
        return Promise.resolve();
      },
    },
    {
      name: 'the installed extension reports the hazards of src/routes/orders.ts',
      async run() {
        const uri = vscode.Uri.joinPath(folder.uri, 'src/routes/orders.ts');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
        // The first analysis of a cold workspace builds the whole program: give it most of the step's time.
        const diagnostics = await waitForDiagnostics(uri, (current) => current.length === ORDERS_DIAGNOSTICS.length, 85_000);
        assert.deepEqual(diagnostics.map(describeDiagnostic).sort((a, b) => parseInt(a, 10) - parseInt(b, 10)), ORDERS_DIAGNOSTICS);
        assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
      },
    },
  ]);
}
