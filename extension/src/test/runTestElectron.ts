/**
 * Runs the extension's suite (./index) in desktop VS Code downloaded by @vscode/test-electron, for
 * machines that can reach VS Code's download site (CI here cannot: it runs
 * test/editor/run-code-server.mjs instead). Build first: `tsc -b && npm run build -w stateless-vscode`.
 *
 * Usage: npm run test:electron -w stateless-vscode
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyExampleWorkspace } from './workspace';

const extensionRoot = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  const workspace = copyExampleWorkspace();
  try {
    await runTests({
      extensionDevelopmentPath: extensionRoot,
      extensionTestsPath: path.join(__dirname, 'index'),
      launchArgs: [workspace.folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } finally {
    workspace.cleanup();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
