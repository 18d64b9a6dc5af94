// `npm run package -w stateless-vscode` builds a self-contained .vsix: the manifest VS Code reads,
// the two bundles and TypeScript's lib files, no node_modules. The bundled server, unpacked far from
// any node_modules, still answers LSP and reports a cross-file finding.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleDefinitions, ruleDocsUrl } from '@stateless/core';
import {
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { readZip, type ZipEntry } from './zip';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'stateless-vsix-'));
const vsixPath = path.join(scratch, 'stateless-vscode.vsix');
const typescriptLibFiles = readdirSync(path.join(root, 'node_modules/typescript/lib')).filter((name) => /^lib\..*\.d\.ts$/.test(name));

interface Manifest {
  name: string;
  publisher: string;
  main: string;
  engines: Record<string, string>;
  activationEvents: string[];
  capabilities: unknown;
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { scope: string; description?: string; markdownDescription?: string; default: unknown; enum?: string[] }> };
  };
}

let entries: ZipEntry[] = [];
let manifest: Manifest;
const entry = (name: string): ZipEntry => {
  const found = entries.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${name} is not in the .vsix`);
  return found;
};

function runPackage(): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'package', '-w', 'stateless-vscode', '--', '--out', vsixPath], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => resolve({ status, output }));
  });
}

beforeAll(async () => {
  const { status, output } = await runPackage();
  if (status !== 0) throw new Error(`npm run package failed (${status}):\n${output}`);
  entries = readZip(readFileSync(vsixPath));
  manifest = JSON.parse(entry('extension/package.json').data().toString('utf8')) as Manifest;
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the .vsix', () => {
  it('holds the manifest, the two bundles, the readme, the licence and TypeScript lib files: nothing else', () => {
    const libEntries = entries.filter((candidate) => /^extension\/dist\/lib\..*\.d\.ts$/.test(candidate.name)).map((candidate) => candidate.name);
    expect(libEntries.sort()).toEqual(typescriptLibFiles.map((name) => `extension/dist/${name}`).sort());
    expect(entries.map((candidate) => candidate.name).filter((name) => !libEntries.includes(name)).sort()).toEqual([
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/dist/extension.js',
      'extension/dist/server.js',
      'extension/package.json',
      'extension/readme.md',
    ]);
  });

  it('is small: under 3 MB packed, each bundle under 5 MB', () => {
    expect(statSync(vsixPath).size).toBeLessThan(3 * 1024 * 1024);
    expect(entry('extension/dist/server.js').size).toBeLessThan(5 * 1024 * 1024);
    expect(entry('extension/dist/extension.js').size).toBeLessThan(1024 * 1024);
  });

  it('bundles every dependency: the bundles require only Node built-ins (and `vscode`, which the editor provides)', () => {
    const required = (name: string): string[] => [...new Set([...entry(name).data().toString('utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]))];
    const builtin = (id: string): boolean => builtinModules.includes(id.replace(/^node:/, ''));
    // TypeScript's optional debugging aid, required inside a try/catch only.
    expect(required('extension/dist/server.js').filter((id) => !builtin(id))).toEqual(['source-map-support']);
    expect(required('extension/dist/extension.js').filter((id) => !builtin(id))).toEqual(['vscode']);
  });
});

describe('the manifest in the .vsix', () => {
  it('starts dist/extension.js on TypeScript/JavaScript files and stateless.config.json, in untrusted workspaces too', () => {
    expect(manifest.name).toBe('stateless-vscode');
    expect(manifest.publisher).toBe('stateless-dev');
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.engines.vscode).toBe('^1.91.0');
    expect(manifest.activationEvents).toEqual([
      'onLanguage:typescript',
      'onLanguage:typescriptreact',
      'onLanguage:javascript',
      'onLanguage:javascriptreact',
      'workspaceContains:**/stateless.config.json',
    ]);
    expect(manifest.capabilities).toEqual({ untrustedWorkspaces: { supported: true }, virtualWorkspaces: false });
  });

  it('contributes the three commands under the "Stateless" category', () => {
    expect(manifest.contributes.commands).toEqual([
      { command: 'stateless.scanWorkspace', title: 'Scan Workspace', category: 'Stateless' },
      { command: 'stateless.showReport', title: 'Show Report', category: 'Stateless' },
      { command: 'stateless.restartServer', title: 'Restart Server', category: 'Stateless' },
    ]);
  });

  it('contributes enable, trace and one severity setting per core rule, each scoped and described', () => {
    const properties = manifest.contributes.configuration.properties;
    expect(Object.keys(properties)).toEqual(['stateless.enable', 'stateless.trace.server', ...ruleDefinitions.map((rule) => `stateless.rules.${rule.id}`)]);
    for (const [key, setting] of Object.entries(properties)) {
      expect(setting.scope, key).toBe(key === 'stateless.trace.server' ? 'window' : 'resource');
      expect(setting.description ?? setting.markdownDescription, key).toMatch(/\S/);
    }
    for (const rule of ruleDefinitions) {
      const setting = properties[`stateless.rules.${rule.id}`];
      expect(setting.enum).toEqual(['error', 'warning', 'information', 'hint', 'off']);
      expect(setting.default).toBe(rule.configs.includes('recommended') ? 'warning' : 'off');
      expect(setting.markdownDescription).toContain(ruleDocsUrl(rule.id));
    }
  });
});

describe('the bundled server, unpacked outside the repository', () => {
  let server: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => server?.kill());

  it('answers LSP over stdio and reports a cross-file finding (TypeScript and its lib files come from the bundle)', async () => {
    const unpacked = path.join(scratch, 'unpacked');
    for (const candidate of entries.filter((item) => item.name.startsWith('extension/dist/'))) {
      const target = path.join(unpacked, candidate.name);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, candidate.data());
    }
    server = spawn(process.execPath, [path.join(unpacked, 'extension/dist/server.js'), '--stdio'], { cwd: scratch });
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const exampleDir = path.join(root, 'examples/legacy-shop');
    const sessionsFile = path.join(exampleDir, 'src/services/sessions.ts');
    const published = new Promise<PublishDiagnosticsParams>((resolve) => {
      connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
        if (params.uri === pathToFileURL(sessionsFile).href && params.diagnostics.length > 0) resolve(params);
      });
    });
    connection.listen();
    const rootUri = pathToFileURL(exampleDir).href;
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'legacy-shop' }], capabilities: {} });
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: pathToFileURL(sessionsFile).href, languageId: 'typescript', version: 1, text: readFileSync(sessionsFile, 'utf8') },
    });
    const { diagnostics } = await published;
    expect(diagnostics.map((diagnostic) => ({ line: diagnostic.range.start.line + 1, column: diagnostic.range.start.character + 1, code: diagnostic.code, message: diagnostic.message }))).toEqual([
      {
        line: 12,
        column: 7,
        code: 'no-in-memory-session',
        message:
          '`sessions` holds per-user state in this process; it is written by POST /login (src/routes/auth.ts:13) and 1 other route. A second instance will not see it.',
      },
    ]);
    connection.dispose();
  }, 60_000);
});
