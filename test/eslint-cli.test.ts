import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const eslintBin = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'stateless-cli-'));
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

const files: Record<string, string> = {
  'package.json': '{ "name": "cli-fixture", "type": "module" }',
  'src/store.ts': `export const carts = new Map<string, string[]>();\n`,
  'src/app.ts': `import express from 'express';
import session from 'express-session';
import { writeFile } from 'node:fs/promises';
const app = express();
const visitors = new Set<string>();
app.use(session({ secret: 'dev' }));
app.post('/visit', async (req, res) => {
  visitors.add(req.ip ?? '');
  await writeFile('visits.log', String(visitors.size));
  res.end();
});
`,
  // Untyped and cross-file: routes.ts registers addToCart from cart.ts, which writes the Map store.ts exports.
  'src/routes.ts': `import express from 'express';\nimport { addToCart } from './cart';\nexport const router = express.Router();\nrouter.post('/cart', addToCart);\n`,
  'src/cart.ts': `import { carts } from './store';\nexport function addToCart(req: any, res: any) {\n  carts.set(req.body.user, [req.body.sku]);\n  res.end();\n}\n`,
  'src/quiet.ts': `const RATES = { eu: 1 };\nexport const rate = (k: keyof typeof RATES) => RATES[k];\n`,
  'src/plain.js': `const express = require('express');
const fs = require('fs');
const app = express();
app.get('/dump', (req, res) => { fs.writeFileSync('dump.json', '{}'); res.end(); });
`,
};

function writeProject(configImport: string): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
    fs.writeFileSync(path.join(project, name), text);
  }
  const parser = path.join(root, 'node_modules', '@typescript-eslint', 'parser', 'dist', 'index.js');
  fs.writeFileSync(
    path.join(project, 'eslint.config.mjs'),
    `${configImport}
import tsParser from ${JSON.stringify(parser)};
export default [
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  stateless.configs.recommended,
];
`,
  );
}

function runEslint(...flags: string[]): { ruleId: string; file: string; line: number; column: number }[] {
  let output: string;
  try {
    output = execFileSync(process.execPath, [eslintBin, '--format', 'json', ...flags, '.'], { cwd: project, encoding: 'utf8' });
  } catch (error) {
    output = (error as { stdout: string }).stdout; // exit code 1: findings were reported
  }
  const results = JSON.parse(output) as { filePath: string; messages: { ruleId: string; line: number; column: number; fatal?: boolean }[] }[];
  return results
    .flatMap((result) => result.messages.map((m) => ({ ruleId: m.ruleId, file: path.relative(project, result.filePath), line: m.line, column: m.column })))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

const expected = [
  { ruleId: 'stateless/no-in-memory-session', file: 'src/app.ts', line: 5, column: 7 },
  { ruleId: 'stateless/no-in-memory-session', file: 'src/app.ts', line: 6, column: 9 },
  { ruleId: 'stateless/no-local-disk-write', file: 'src/app.ts', line: 9, column: 9 },
  { ruleId: 'stateless/no-local-disk-write', file: 'src/plain.js', line: 4, column: 34 },
  { ruleId: 'stateless/no-blocking-request-work', file: 'src/plain.js', line: 4, column: 34 },
  { ruleId: 'stateless/no-in-memory-session', file: 'src/store.ts', line: 1, column: 14 },
];

describe('the plugin under the ESLint CLI', () => {
  // Each --concurrency worker builds its own project index from disk, so the cross-file finding in
  // store.ts is the same whichever worker lints it.
  it('reports the same findings, across files too, with --cache (cold and warm) and --concurrency', () => {
    writeProject(`import stateless from ${JSON.stringify(path.join(root, 'eslint-plugin', 'dist', 'index.js'))};`);
    const cache = path.join(project, '.eslintcache');
    expect(runEslint()).toEqual(expected);
    expect(runEslint('--cache', '--cache-location', cache)).toEqual(expected);
    expect(runEslint('--cache', '--cache-location', cache)).toEqual(expected);
    expect(runEslint('--concurrency', '2')).toEqual(expected);
  });

  it('loads with require() from a CommonJS config', () => {
    writeProject(
      `import { createRequire } from 'node:module';\nconst stateless = createRequire(import.meta.url)(${JSON.stringify(path.join(root, 'eslint-plugin', 'dist', 'index.js'))});`,
    );
    expect(runEslint()).toEqual(expected);
  });
});
