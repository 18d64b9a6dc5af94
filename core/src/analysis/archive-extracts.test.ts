import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 28 of test/real-world: a restore route pipes an uploaded zip into unzipper's `Extract({ path })`,
// which unpacks it into a folder of this instance. Written here in another shape: a theme upload
// extracted into the themes folder is a local write; reading the archive's entries is not.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'] as const;

describe('an uploaded archive unpacked into a folder', () => {
  const themes = (unpack: string) => ({
    'server.ts': `import express from 'express';
import { Readable } from 'node:stream';
import unzipper from 'unzipper';

const app = express();
app.post('/themes/:name', express.raw({ type: 'application/zip', limit: '20mb' }), async (req, res) => {
  ${unpack}
  res.sendStatus(201);
});
`,
  });

  it("unzipper's Extract writes the theme into this instance's folder (untyped and typed)", () => {
    const files = themes("await Readable.from(req.body as Buffer).pipe(unzipper.Extract({ path: 'themes/' + req.params.name })).promise();");
    const expected = [
      "7:48 no-local-disk-write: `unzipper.Extract` writes to this instance's local disk on POST /themes/:name (server.ts:6). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'server.ts', [...RULES])).toEqual(expected);
  });

  it("look-alike, quiet: the archive's entries read in memory (untyped and typed)", () => {
    const files = themes("const archive = await unzipper.Open.buffer(req.body as Buffer);\n  if (!archive.files.some((entry) => entry.path === 'theme.json')) return res.sendStatus(400);");
    expect(untyped(files, 'server.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'server.ts', [...RULES])).toEqual([]);
  });
});
