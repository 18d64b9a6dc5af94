import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A converter asked whether it is installed (`pandoc --version`) before the request uses it (round 29
// of test/real-world: a document parser's availability check), written here in a shape of our own:
// the probe prints one line and exits, the conversion beside it is the slow work.

afterAll(removeAnalysedProjects);

const untyped = (files: Record<string, string>, file: string): string[] => untypedFindings(files, file, ['no-blocking-request-work']);
const typed = (files: Record<string, string>, file: string): string[] => typedFindings(files, file, ['no-blocking-request-work']);

describe('a converter probed for its version, then run', () => {
  const files = {
    'src/convert.ts': `import { spawn } from 'node:child_process';

export class Converter {
  private available(): Promise<boolean> {
    return new Promise((resolve) => {
      const probe = spawn('pandoc', ['--version']);
      probe.on('close', (code) => resolve(code === 0));
      probe.on('error', () => resolve(false));
    });
  }

  async toMarkdown(input: Buffer): Promise<string> {
    if (!(await this.available())) throw new Error('pandoc is not installed');
    return new Promise((resolve, reject) => {
      const run = spawn('pandoc', ['-f', 'docx', '-t', 'gfm']);
      let out = '';
      run.stdout.on('data', (chunk) => (out += chunk));
      run.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error('pandoc failed'))));
      run.stdin.end(input);
    });
  }
}
`,
    'src/server.ts': `import express from 'express';
import { Converter } from './convert';

const converter = new Converter();
const app = express();
app.post('/convert', express.raw({ type: '*/*', limit: '10mb' }), async (req, res) => {
  res.type('text/markdown').send(await converter.toMarkdown(req.body));
});
app.listen(3000);
`,
  };

  it('reports the conversion; the version probe stays quiet (untyped and typed)', () => {
    const expected = [
      '15:19 no-blocking-request-work: `spawn` holds the request open on POST /convert (src/server.ts:6) while a child process of pandoc runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'src/convert.ts')).toEqual(expected);
    expect(typed(files, 'src/convert.ts')).toEqual(expected);
  });
});
