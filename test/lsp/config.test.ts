// A broken stateless.config.json is never silent in the editor: a diagnostic on the key it is about
// (or where the JSON breaks) and one warning message, as ESLint's editor integration shows a broken
// config; the valid parts still apply, and fixing the file clears the diagnostics.
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosticSeverity, FileChangeType } from 'vscode-languageserver-protocol';
import { LspClient, uriOf } from './client';
import { copyFixture, removeWorkspace } from './workspace';

let root: string;
let client: LspClient;

beforeEach(() => {
  root = copyFixture('shop');
});

afterEach(async () => {
  await client.stop();
  removeWorkspace(root);
});

const WRONG = `{
  "rules": {
    "no-such-rule": {},
    "no-local-disk-write": { "allowTempFiles": "yes" }
  }
}
`;

describe('stateless.config.json problems', () => {
  it('are diagnostics on the keys they are about, and one warning message', async () => {
    const configFile = `${root}/stateless.config.json`;
    writeFileSync(configFile, WRONG);
    client = await LspClient.start(root);
    const store = await client.open(`${root}/src/store.ts`);
    // The hazard is still reported: the rest of the configuration applies.
    expect((await client.diagnostics(store)).map((diagnostic) => diagnostic.code)).toEqual(['no-in-memory-session']);
    expect(await client.diagnostics(uriOf(configFile))).toEqual([
      {
        range: { start: { line: 2, character: 4 }, end: { line: 2, character: 18 } },
        severity: DiagnosticSeverity.Warning,
        source: 'stateless',
        message: 'unknown rule "no-such-rule"; ignored (the default applies)',
      },
      {
        range: { start: { line: 3, character: 29 }, end: { line: 3, character: 45 } },
        severity: DiagnosticSeverity.Warning,
        source: 'stateless',
        message: 'option "allowTempFiles" of "no-local-disk-write" must be of type boolean; ignored (the default applies)',
      },
    ]);
    const shown = await client.until(() => {
      const messages = client.notifications.filter((notification) => notification.method === 'window/showMessage').map((notification) => notification.params);
      return messages.length > 0 ? messages : undefined;
    });
    expect(shown).toEqual([
      {
        type: 2,
        message: `Stateless: ${configFile}: unknown rule "no-such-rule" (and 1 more problem). The defaults replace those settings; see the Problems panel.`,
      },
    ]);

    // Fixed on disk: the diagnostics go away.
    writeFileSync(configFile, '{ "rules": { "no-local-disk-write": { "allowTempFiles": false } } }\n');
    await client.filesChanged([{ fileName: configFile, type: FileChangeType.Changed }]);
    expect(await client.diagnostics(uriOf(configFile), (params) => params.diagnostics.length === 0)).toEqual([]);
  });

  it('marks where a file that is not valid JSON breaks', async () => {
    const configFile = `${root}/stateless.config.json`;
    writeFileSync(configFile, '{\n  "rules": {\n    "no-in-memory-session": { "allowNames": [] }\n  \n');
    client = await LspClient.start(root);
    await client.open(`${root}/src/store.ts`);
    const [diagnostic] = await client.diagnostics(uriOf(configFile));
    expect(diagnostic.range.start).toEqual({ line: 4, character: 0 });
    expect(diagnostic.message).toMatch(/^is not valid JSON: .+; ignored \(the default applies\)$/);
  });
});
