// What editors throw at a server: huge and binary files, syntax errors, a file deleted while open,
// a thousand edits in a burst, and configuration files changing under it. It keeps serving, says
// in the log what it skipped, and publishes for the latest version only.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { LspClient } from './client';
import { copyFixture, removeWorkspace } from './workspace';

let root: string;
let client: LspClient;

beforeEach(async () => {
  root = copyFixture('shop');
  client = await LspClient.start(root);
});

afterEach(async () => {
  await client.stop();
  removeWorkspace(root);
});

/** Rule and start line:character of each published diagnostic. */
const brief = (diagnostics: { code?: unknown; range: { start: { line: number; character: number } } }[]): string[] =>
  diagnostics.map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}`);

/** The server still analyses: the fixture's finding is published for store.ts. */
async function stillServing(): Promise<void> {
  const store = await client.open(`${root}/src/store.ts`);
  expect(brief(await client.diagnostics(store, (params) => params.version === 1))).toEqual(['no-in-memory-session 0:13']);
}

describe('robustness', () => {
  it('skips a 5 MB file with a log line, and answers hover on it', async () => {
    const line = 'export const sessions = new Map<string, string>();\n';
    const huge = await client.open(`${root}/src/huge.ts`, line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
    expect(await client.diagnostics(huge, (params) => params.version === 1)).toEqual([]);
    expect(client.logs).toContain(`Stateless: skipped ${root}/src/huge.ts: it is 5.0 MB, over the 2.0 MB limit.`);
    expect(await client.hover(huge, 0, 14)).toBeNull();
    await stillServing();
  });

  it('reads a 5 MB file on disk as empty, with a log line, and analyses the rest of the project', async () => {
    const line = 'export const sessions = new Map<string, string>();\n';
    writeFileSync(`${root}/src/huge.ts`, line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
    await stillServing();
    expect(client.logs).toContain(`Stateless: ${root}/tsconfig.json reads ${root}/src/huge.ts as empty: it is 5.0 MB, over the 2.0 MB limit.`);
  });

  it('skips a binary file with a log line', async () => {
    const binary = await client.open(`${root}/src/logo.js`, 'GIF89a\u0000\u0001\u0000\u0000\u00ff\u00ff', 'javascript');
    expect(await client.diagnostics(binary, (params) => params.version === 1)).toEqual([]);
    expect(client.logs).toContain(`Stateless: skipped ${root}/src/logo.js: it looks like a binary file (it contains NUL characters).`);
    await stillServing();
  });

  it('analyses a file with a syntax error as far as it parses', async () => {
    const text = `${readFileSync(`${root}/src/store.ts`, 'utf8')}\nexport function broken( {\n  return [;\n`;
    const store = await client.open(`${root}/src/store.ts`, text);
    expect(brief(await client.diagnostics(store, (params) => params.version === 1))).toEqual(['no-in-memory-session 0:13']);
  });

  it('keeps the open text of a file deleted on disk, and drops it when the file is closed', async () => {
    const store = await client.open(`${root}/src/store.ts`);
    const helpers = await client.open(`${root}/src/helpers.ts`);
    expect(brief(await client.diagnostics(store, (params) => params.diagnostics.length === 1))).toEqual(['no-in-memory-session 0:13']);
    rmSync(`${root}/src/helpers.ts`);
    await client.filesChanged([{ fileName: `${root}/src/helpers.ts`, type: FileChangeType.Deleted }]);
    await client.change(helpers, 2, [{ range: { start: { line: 4, character: 1 }, end: { line: 4, character: 1 } }, text: '\n' }]);
    expect(await client.diagnostics(helpers, (params) => params.version === 2)).toEqual([]);
    expect(brief(client.published.get(store)!.diagnostics)).toEqual(['no-in-memory-session 0:13']);
    // Closed, the helper is gone: no route writes the map any more.
    await client.close(helpers);
    expect(await client.diagnostics(store, (params) => params.diagnostics.length === 0)).toEqual([]);
  });

  it('publishes only versions it analysed last, and the final one, after 1,000 rapid edits', async () => {
    const store = await client.open(`${root}/src/store.ts`);
    for (let version = 2; version <= 1001; version++) {
      void client.change(store, version, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    }
    expect(brief(await client.diagnostics(store, (params) => params.version === 1001))).toEqual(['no-in-memory-session 1000:13']);
    const publishes = client.history.filter((params) => params.uri === store);
    // Every publish matches the text of its version (the finding moves down one line per edit), in order.
    for (const params of publishes) expect(brief(params.diagnostics)).toEqual([`no-in-memory-session ${params.version! - 1}:13`]);
    const versions = publishes.map((params) => params.version!);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('reloads stateless.config.json when the watcher reports it', async () => {
    const store = await client.open(`${root}/src/store.ts`);
    expect(brief(await client.diagnostics(store, (params) => params.diagnostics.length === 1))).toEqual(['no-in-memory-session 0:13']);
    writeFileSync(`${root}/stateless.config.json`, JSON.stringify({ rules: { 'no-in-memory-session': { allowNames: ['sessions'] } } }));
    await client.filesChanged([{ fileName: `${root}/stateless.config.json`, type: FileChangeType.Created }]);
    expect(await client.diagnostics(store, (params) => params.diagnostics.length === 0)).toEqual([]);
    rmSync(`${root}/stateless.config.json`);
    await client.filesChanged([{ fileName: `${root}/stateless.config.json`, type: FileChangeType.Deleted }]);
    expect(brief(await client.diagnostics(store, (params) => params.diagnostics.length === 1))).toEqual(['no-in-memory-session 0:13']);
  });

  it('never runs workspace code: eslint.config.js and TypeScript plugins stay unexecuted', async () => {
    const marker = `${root}/executed.txt`;
    const payload = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nmodule.exports = [];\n`;
    writeFileSync(`${root}/eslint.config.js`, payload);
    mkdirSync(`${root}/node_modules/evil-plugin`, { recursive: true });
    writeFileSync(`${root}/node_modules/evil-plugin/package.json`, '{ "name": "evil-plugin", "main": "index.js" }');
    writeFileSync(`${root}/node_modules/evil-plugin/index.js`, payload);
    const tsconfig = JSON.parse(readFileSync(`${root}/tsconfig.json`, 'utf8')) as { compilerOptions: Record<string, unknown> };
    writeFileSync(`${root}/tsconfig.json`, JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, plugins: [{ name: 'evil-plugin' }] } }));
    expect(await client.executeCommand('stateless.scanWorkspace')).toMatchObject({ files: 3, findings: 1 });
    expect(existsSync(marker)).toBe(false);
  });

  it('reloads the project when tsconfig.json changes', async () => {
    const store = await client.open(`${root}/src/store.ts`);
    expect(brief(await client.diagnostics(store, (params) => params.diagnostics.length === 1))).toEqual(['no-in-memory-session 0:13']);
    // Without app.ts in the project, no route reaches the map.
    const tsconfig = JSON.parse(readFileSync(`${root}/tsconfig.json`, 'utf8')) as Record<string, unknown>;
    writeFileSync(`${root}/tsconfig.json`, JSON.stringify({ ...tsconfig, include: ['src/store.ts', 'src/helpers.ts'] }));
    await client.filesChanged([{ fileName: `${root}/tsconfig.json`, type: FileChangeType.Changed }]);
    expect(await client.diagnostics(store, (params) => params.diagnostics.length === 0)).toEqual([]);
  });
});
