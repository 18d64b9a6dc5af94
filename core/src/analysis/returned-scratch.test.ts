import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A helper that writes a scratch file into the temp folder and hands its path back to a caller that
// removes it once used (a script for a worker thread, a file for a converter) makes that call's scratch
// space, as if the caller wrote it (round 24 of test/real-world: a sandbox's worker script). Written here
// in other shapes; a caller that keeps the file stays reported.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'];

const report = (cleanup: string): Record<string, string> => ({
  'pdf.ts': `import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';

async function writeTempHtml(html: string): Promise<string> {
  const file = path.join(os.tmpdir(), \`report-\${randomUUID()}.html\`);
  await fs.writeFile(file, html);
  return file;
}

export async function renderPdf(html: string): Promise<Buffer> {
  const input = await writeTempHtml(html);
  return new Promise((resolve, reject) => {
    execFile('wkhtmltopdf', [input, '-'], { encoding: 'buffer' }, (error, stdout) => {
      ${cleanup}
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}
`,
  'app.ts': `import express from 'express';
import { renderPdf } from './pdf';

const app = express();
app.post('/reports', express.json(), async (req, res) => {
  res.type('application/pdf').send(await renderPdf(String(req.body.html)));
});
app.listen(3000);
`,
});

describe('a temp file a helper writes and hands back to a caller that removes it', () => {
  it('TypeScript: removed in the callback of the caller that used it: not reported, typed or untyped', () => {
    const files = report('rmSync(input, { force: true });');
    expect(untyped(files, 'pdf.ts', RULES)).toEqual([]);
    expect(typed(files, 'pdf.ts', RULES)).toEqual([]);
  });

  it('look-alike: a caller that keeps the file leaves it on this instance: reported', () => {
    const files = report('console.log(input);');
    const expected = [
      "9:9 no-local-disk-write: `fs.writeFile` writes to this instance's local disk on POST /reports (app.ts:5). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untyped(files, 'pdf.ts', RULES)).toEqual(expected);
    expect(typed(files, 'pdf.ts', RULES)).toEqual(expected);
  });
});
