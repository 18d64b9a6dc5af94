#!/usr/bin/env node
// The editor as a user feels it: the built language server over stdio on a real workspace.
//
//   node bench/editor.mjs --workspace DIR [--file REL] [--at LINE:COLUMN] [--keystrokes N] [--no-scan]
//
// - cold open: didOpen of the file → its first published diagnostics (a fresh server: the project's
//   language service, program and request graph are built on the way);
// - keystroke: one character typed (then removed, alternately) after a pause → the diagnostics of
//   that version published; reported beyond the server's 150 ms debounce (median and p90). Typed at
//   the end of the file's first line, or at --at (1-based line and column: e.g. inside a name in a
//   function body, an edit that changes what the code refers to);
// - memory: the server's resident set after the open and the keystrokes, and after a workspace scan.
// Without --workspace it uses the generated corpus (bench/.corpus, `npm run bench` makes it). The
// file defaults to the workspace's largest non-test TypeScript file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CORPUS_DIR } from './corpus.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const rpc = require('vscode-jsonrpc/node');
const DEBOUNCE_MS = 150;

function parseArgs(argv) {
  const value = (flag) => {
    const i = argv.indexOf(flag);
    return i < 0 ? undefined : argv[i + 1];
  };
  return {
    workspace: path.resolve(value('--workspace') ?? CORPUS_DIR),
    file: value('--file'),
    at: value('--at'),
    keystrokes: Number.parseInt(value('--keystrokes') ?? '30', 10),
    scan: !argv.includes('--no-scan'),
  };
}

function largestSourceFile(root) {
  let best;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist' || entry.name === 'build') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !/\.(test|spec)\.|\.d\.ts$|__tests__|__mocks__/.test(full)) {
        const lines = fs.readFileSync(full, 'utf8').split('\n').length;
        if (!best || lines > best.lines) best = { file: full, lines };
      }
    }
  };
  walk(root);
  return best.file;
}

function sourceFileCount(root) {
  let count = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.[cm]?[jt]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) count++;
    }
  };
  walk(root);
  return count;
}

function residentMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const file = path.resolve(args.workspace, args.file ?? largestSourceFile(args.workspace));
  const text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const server = spawn(process.execPath, [...(process.env.STATELESS_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), path.join(REPO_ROOT, 'server/dist/bin.js'), '--stdio'], { cwd: args.workspace, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  const waiting = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    if (params.uri !== uri) return;
    const resolve = waiting.get(params.version);
    if (resolve) {
      waiting.delete(params.version);
      resolve(params);
    }
  });
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));

  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(args.workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(args.workspace).href, name: path.basename(args.workspace) }],
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
  });
  await connection.sendNotification('initialized', {});

  const coldStart = performance.now();
  const firstPublish = published(1);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  const first = await firstPublish;
  const coldOpenMs = performance.now() - coldStart;
  const afterOpenMiB = residentMiB(server.pid);

  // A character typed at the end of the file's first line, then removed, alternately: the file
  // stays valid for most edits, as between keystrokes of a real edit.
  const firstLineEnd = text.indexOf('\n');
  const [line, character] = args.at ? args.at.split(':').map((part) => Number.parseInt(part, 10) - 1) : [0, firstLineEnd < 0 ? text.length : firstLineEnd];
  const beyondDebounce = [];
  let version = 1;
  for (let i = 0; i < args.keystrokes; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    version++;
    const insert = i % 2 === 0;
    const range = insert ? { start: { line, character }, end: { line, character } } : { start: { line, character }, end: { line, character: character + 1 } };
    const done = published(version);
    const started = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert ? (args.at ? 'x' : ' ') : '' }] });
    await done;
    beyondDebounce.push(performance.now() - started - DEBOUNCE_MS);
  }
  const afterTypingMiB = residentMiB(server.pid);

  let scan;
  if (args.scan) {
    const scanStart = performance.now();
    const summary = await connection.sendRequest('workspace/executeCommand', { command: 'stateless.scanWorkspace', arguments: [] });
    scan = { ms: Math.round(performance.now() - scanStart), summary, residentMiB: residentMiB(server.pid) };
  }
  await connection.sendRequest('shutdown');
  const exited = new Promise((resolve) => server.once('exit', resolve));
  await connection.sendNotification('exit');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  server.kill();

  const round = (ms) => Math.round(ms);
  const result = {
    workspace: args.workspace,
    sourceFiles: sourceFileCount(args.workspace),
    file: path.relative(args.workspace, file),
    at: args.at ?? `1:${character + 1}`,
    fileLines: text.split('\n').length,
    findingsInFile: first.diagnostics.length,
    coldOpenMs: round(coldOpenMs),
    keystrokeBeyondDebounceMs: { median: round(percentile(beyondDebounce, 50)), p90: round(percentile(beyondDebounce, 90)), samples: beyondDebounce.length },
    residentMiB: { afterOpen: afterOpenMiB, afterTyping: afterTypingMiB, afterScan: scan?.residentMiB },
    scan: scan && { ms: scan.ms, summary: scan.summary },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(
    `editor: ${result.sourceFiles} files, ${result.file} (${result.fileLines} lines): cold open ${result.coldOpenMs} ms; keystroke → diagnostics ${result.keystrokeBeyondDebounceMs.median} ms median, ${result.keystrokeBeyondDebounceMs.p90} ms p90 beyond the ${DEBOUNCE_MS} ms debounce (target ≤ 50 ms median); RSS ${afterTypingMiB} MiB${scan ? `, ${scan.residentMiB} MiB after a scan of ${scan.ms} ms` : ''}\n`,
  );
}

await main();
