import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';

const HAZARDOUS = `
import express from 'express';
import session from 'express-session';
import fs from 'node:fs';
const app = express();
const sessions = new Map<string, string>();
app.use(session({ secret: 's' }));
app.post('/login', (req, res) => {
  sessions.set(req.body.id, req.body.user);
  fs.writeFileSync('last-login.txt', req.body.user);
  res.end();
});
`;

function analyze(text: string, fileName = '/project/src/app.ts') {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project' });
}

describe('the engine never throws', () => {
  it('finds every hazard in the complete file', () => {
    expect(analyze(HAZARDOUS).map((f) => f.messageId)).toEqual(['sessionInMemory', 'sessionStoreInMemory', 'syncCall', 'diskWrite']);
  });

  it('survives every truncation of a hazardous file', () => {
    for (let end = 0; end <= HAZARDOUS.length; end += 3) {
      expect(() => analyze(HAZARDOUS.slice(0, end))).not.toThrow();
    }
  });

  it('survives syntax errors, half-typed code and odd input', () => {
    const inputs = [
      '',
      '\u0000\u0001\u0002\uFFFD binary \u0000',
      'app.post(',
      'app.post("/x", (req, res) => { sessions.set(',
      'const = new Map(); app.get("/", () => { .set(1) })',
      '@Controller() class { @Get() }',
      'export default',
      '}'.repeat(1000),
      '('.repeat(5000),
      'a.b.c.d.e.f.g.h.i.j.k.'.repeat(500),
      HAZARDOUS.replace(/\)/g, ''),
      HAZARDOUS.replace(/\{/g, ''),
    ];
    for (const input of inputs) {
      let sourceFile: ts.SourceFile;
      try {
        sourceFile = ts.createSourceFile('/project/src/app.ts', input, ts.ScriptTarget.Latest, true);
      } catch {
        continue; // TypeScript's own parser gives up on some of these; adapters catch that, the engine never sees it.
      }
      expect(() => analyzeSourceFile(sourceFile, { projectRoot: '/project' })).not.toThrow();
    }
  });

  it('gives fewer findings, not an exception, on a syntax error', () => {
    const broken = HAZARDOUS.replace("fs.writeFileSync('last-login.txt', req.body.user);", "fs.writeFileSync('last-login.txt', req.body.user;");
    expect(() => analyze(broken)).not.toThrow();
  });

  it('handles a very large generated file', () => {
    const routes = Array.from({ length: 3000 }, (_, i) => `app.get('/r${i}', (req, res) => { res.send(LOOKUP[${i % 10}]); });`).join('\n');
    const text = `import express from 'express';\nconst app = express();\nconst LOOKUP = [0,1,2,3,4,5,6,7,8,9];\n${routes}\n`;
    expect(analyze(text)).toEqual([]);
  });

  it('handles deep recursion between helpers', () => {
    const text = `import express from 'express';
const app = express();
const seen = new Set<string>();
function a(n: number): void { if (n > 0) b(n - 1); seen.add(String(n)); }
function b(n: number): void { if (n > 0) a(n - 1); }
app.get('/loop', (req, res) => { a(10); res.end(); });`;
    expect(analyze(text).map((f) => f.message)).toEqual(['`seen` holds application data in this process; it is written by GET /loop (src/app.ts:6). A second instance will not see it.']);
  });

  it('handles JavaScript and JSX files', () => {
    const js = ts.createSourceFile('/project/src/app.js', HAZARDOUS.replace('<string, string>', ''), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    expect(analyzeSourceFile(js, { projectRoot: '/project' }).map((f) => f.messageId)).toEqual(['sessionInMemory', 'sessionStoreInMemory', 'syncCall', 'diskWrite']);
    const tsx = ts.createSourceFile('/project/src/page.tsx', 'export default function Page() { return <div onClick={() => fetch("/x")} />; }', ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    expect(analyzeSourceFile(tsx, { projectRoot: '/project' })).toEqual([]);
  });
});
