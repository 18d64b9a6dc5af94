// `stateless report` and `stateless fix` say what is wrong with stateless.config.json on stderr, one
// line per problem (as ESLint does for its own config), and still run with the parts that are valid.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../server/dist/cli/main.js') as { main(argv: string[], out: (text: string) => void, err: (text: string) => void): number };

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'stateless-cli-config-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const HANDLER = `import express from 'express';
const app = express();
const sessions = new Map<string, string>();
app.post('/login', (req, res) => {
  sessions.set(String(req.query.id), 'user');
  res.end();
});
app.listen(3000);
`;

function projectWith(name: string, config: string): string {
  const dir = path.join(temp, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
  fs.writeFileSync(path.join(dir, 'src/app.ts'), HANDLER);
  fs.writeFileSync(path.join(dir, 'stateless.config.json'), config);
  return dir;
}

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (text) => (out += text), (text) => (err += text));
  return { code, out, err };
}

describe('stateless CLI with a wrong stateless.config.json', () => {
  it('prints each problem on stderr and reports with the valid parts', () => {
    const dir = projectWith('wrong-keys', '{ "rules": { "no-such-rule": {}, "no-in-memory-session": { "allowNames": "sessions" } }, "adapterDirectory": "lib" }\n');
    const { code, out, err } = run(['report', dir, '--format', 'json']);
    expect(code).toBe(0);
    expect(err).toBe(
      [
        'stateless: stateless.config.json: unknown rule "no-such-rule"; using the defaults for it',
        'stateless: stateless.config.json: option "allowNames" of "no-in-memory-session" must be of type array; using the defaults for it',
        'stateless: stateless.config.json: unknown key "adapterDirectory"; using the defaults for it',
        '',
      ].join('\n'),
    );
    expect((JSON.parse(out) as { ruleId: string; line: number }[]).map((finding) => [finding.ruleId, finding.line])).toEqual([['no-in-memory-session', 3]]);
  }, 60_000);

  it('says when the file is not valid JSON, for fix too', () => {
    const dir = projectWith('not-json', '{ "rules": ');
    const { code, err } = run(['fix', dir]);
    expect(code).toBe(0);
    expect(err.split('\n')[0]).toMatch(/^stateless: stateless\.config\.json: is not valid JSON: .+; using the defaults for it$/);
  }, 60_000);
});
