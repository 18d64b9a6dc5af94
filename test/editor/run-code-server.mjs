// Runs the extension's own test suite (extension/out/test/index.js) inside a real VS Code: the VS
// Code server shipped in the npm `code-server` package, on Node 24, with the workbench in headless
// Chromium driven by playwright-core (the recipe in shared/REAL-EDITOR.md). The workspace is a
// scratch copy of examples/legacy-shop. Writes test/artifacts/vscode-stateless-hover.png (and the
// workbench's logs, vscode-workbench.log and vscode-logs/) and exits
// with the suite's code; 3 when the prerequisites are missing and could not be installed.
//
// With --installed it runs the shipped artifact instead: it packs the .vsix (`npm run package`),
// installs it with VS Code's `--install-extension` into a fresh extensions folder, and runs
// extension/out/test/installed.js from a development folder that holds no extension code, so the
// extension that reports is the installed copy (no screenshot in that mode).
//
// Usage: node test/editor/run-code-server.mjs [--installed]   (after `tsc -b`; it bundles the extension itself)
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installEditor, missingPrerequisites } from './install-editor.mjs';

export const EXIT_PREREQUISITES_MISSING = 3;
const installed = process.argv.includes('--installed');
const SUITE_TIMEOUT_MS = 6 * 60_000;
const SCREENSHOT_MARKER = 'STATELESS_SCREENSHOT_READY';
/** What extension/src/test/harness.ts prints: a line per case, warnings (`  ! `), the failures' stacks, the tally. */
const SUITE_LINE = /^(?: {2}[✓✗!] |Editor tests: |Error: \d+ of \d+ editor tests failed)/;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const extensionRoot = path.join(repoRoot, 'extension');
const artifacts = path.join(repoRoot, 'test', 'artifacts');
const require = createRequire(import.meta.url);

const log = (message) => process.stderr.write(`[editor] ${message}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, server, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the VS Code server exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the VS Code server did not answer ${url} within ${ms} ms`);
}

/** Starts VS Code's server-main.js on Node 24 with fresh data folders; resolves once it answers. */
async function startVsCodeServer(paths, scratch, env) {
  const port = await freePort();
  const data = (name) => {
    const folder = path.join(scratch, name);
    mkdirSync(folder, { recursive: true });
    return folder;
  };
  const args = [
    paths.serverMain,
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', '--disable-telemetry',
    '--disable-workspace-trust', '--enable-smoke-test-driver',
    '--extensions-dir', data('extensions'), '--user-data-dir', data('user'), '--server-data-dir', data('server'),
  ];
  const server = spawn(paths.node, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = [];
  const keep = (chunk) => output.push(chunk.toString());
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/version`, server, 30_000);
  } catch (error) {
    process.stderr.write(output.join(''));
    throw error;
  }
  return { server, port, output };
}

function stopProcessGroup(child) {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function main() {
  if (missingPrerequisites().length > 0) {
    try {
      installEditor();
    } catch (error) {
      log(`installing the editor failed: ${error.message}`);
    }
    const missing = missingPrerequisites();
    if (missing.length > 0) {
      log(`missing prerequisites: ${missing.join('; ')}`);
      return EXIT_PREREQUISITES_MISSING;
    }
  }
  const paths = installEditor();

  // tsc compiles the suite (extension/out/test); esbuild bundles the extension into a scratch copy,
  // minified as it ships, so a concurrent `npm run package` rewriting extension/dist cannot pull files
  // from under it.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', extensionRoot], { stdio: 'inherit' });
  const { copyExampleWorkspace } = require(path.join(extensionRoot, 'out', 'test', 'workspace.js'));
  const workspace = copyExampleWorkspace();
  const scratch = mkdtempSync(path.join(tmpdir(), 'stateless-code-server-'));
  const screenshotDone = path.join(scratch, 'screenshot-done');
  const extensionsDir = path.join(scratch, 'extensions');
  const extension = path.join(scratch, installed ? 'probe' : 'extension');
  if (installed) {
    // The .vsix as users get it, installed the way `code --install-extension` installs it.
    const vsix = path.join(scratch, 'stateless-vscode.vsix');
    execFileSync('npm', ['run', 'package', '-w', 'stateless-vscode', '--', '--out', vsix], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
    execFileSync(paths.node, [paths.serverMain, '--accept-server-license-terms', '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(scratch, 'user'), '--server-data-dir', path.join(scratch, 'server')], { stdio: ['ignore', 2, 2] });
    mkdirSync(extension, { recursive: true });
    writeFileSync(path.join(extension, 'package.json'), `${JSON.stringify({ name: 'stateless-installed-probe', publisher: 'stateless-dev', version: '0.0.0', engines: { vscode: '^1.91.0' } }, null, 2)}\n`);
    cpSync(path.join(extensionRoot, 'out', 'test'), path.join(extension, 'out', 'test'), { recursive: true });
  } else {
    execFileSync(process.execPath, [path.join(extensionRoot, 'esbuild.mjs'), '--production', '--outdir', path.join(extension, 'dist')], { stdio: 'inherit' });
    cpSync(path.join(extensionRoot, 'package.json'), path.join(extension, 'package.json'));
    cpSync(path.join(extensionRoot, 'out'), path.join(extension, 'out'), { recursive: true });
  }
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
    XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
    XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'),
    // Read by the suite (extension/src/test/index.ts) in the extension host.
    STATELESS_SCREENSHOT_DONE: screenshotDone,
    STATELESS_INSTALLED_EXTENSIONS_DIR: extensionsDir,
  };
  mkdirSync(artifacts, { recursive: true });
  const screenshot = path.join(artifacts, 'vscode-stateless-hover.png');
  if (!installed) rmSync(screenshot, { force: true });
  const suffix = installed ? '-installed' : '';
  const workbenchLog = path.join(artifacts, `vscode-workbench${suffix}.log`);
  writeFileSync(workbenchLog, '');
  const logsDir = path.join(artifacts, `vscode-logs${suffix}`);
  rmSync(logsDir, { recursive: true, force: true });

  let vscodeServer;
  let context;
  try {
    vscodeServer = await startVsCodeServer(paths, scratch, env);
    log(`VS Code server on port ${vscodeServer.port}; workspace ${workspace.folder}`);
    context = await chromium.launchPersistentContext(path.join(scratch, 'chromium-profile'), {
      executablePath: paths.chromium,
      headless: true,
      viewport: { width: 1600, height: 1000 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());

    let settle;
    const exited = new Promise((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      // The workbench logs a lot (no network here); the suite's own lines go to stdout, all to the artifact.
      appendFileSync(workbenchLog, `[${level}] ${message}\n`);
      if (SUITE_LINE.test(String(message))) process.stdout.write(`${message}\n`);
      if (String(message).includes(SCREENSHOT_MARKER)) {
        // Take the picture while the suite waits for it, then let the suite go on.
        page
          .screenshot({ path: screenshot })
          .then(() => log(`screenshot: ${path.relative(repoRoot, screenshot)}`))
          .catch((error) => log(`screenshot failed: ${error.message}`))
          .finally(() => writeFileSync(screenshotDone, 'done\n'));
      }
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      // The workbench hands over its log files (extension host, output channels such as Stateless's).
      for (const { relativePath, contents } of logs ?? []) {
        const target = path.join(logsDir, relativePath);
        if (!target.startsWith(logsDir + path.sep)) continue;
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, contents);
      }
      settle(code);
    });

    const remote = (file) => `vscode-remote://remote${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extension)],
      ['extensionTestsPath', remote(path.join(extension, 'out', 'test', installed ? 'installed.js' : 'index.js'))],
      ['skipWelcome', 'true'],
    ];
    const url = `http://127.0.0.1:${vscodeServer.port}/?folder=${encodeURIComponent(workspace.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS)));
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') {
      await page.screenshot({ path: path.join(artifacts, 'vscode-timeout.png') }).catch(() => undefined);
      log(`the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`);
      process.stderr.write(vscodeServer.output.join(''));
      return 1;
    }
    if (!installed && !existsSync(screenshot)) {
      log('the suite ended without the screenshot of the diagnostic and its hover');
      return code === 0 ? 1 : code;
    }
    log(`the suite exited with ${code}`);
    return code;
  } finally {
    await context?.close().catch(() => undefined);
    if (vscodeServer) stopProcessGroup(vscodeServer.server);
    // The remote extension host's logs, with the Stateless output channel (the language server's log).
    const serverLogs = path.join(scratch, 'user', 'logs');
    if (existsSync(serverLogs)) cpSync(serverLogs, path.join(logsDir, 'server'), { recursive: true });
    workspace.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((error) => {
  log(error.stack ?? String(error));
  return 1;
});
