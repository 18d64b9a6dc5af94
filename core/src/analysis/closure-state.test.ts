import ts = require('typescript');
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';
import type { RuleId } from '../types';

// State a factory keeps in its own scope for the functions it registers or returns: the factory
// ran once, at start-up, so the variable lives as long as the process, like a module variable.

const RULES: RuleId[] = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'];

function describeFindings(sourceFile: ts.SourceFile, findings: ReturnType<typeof analyzeSourceFile>): string[] {
  return findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1} ${finding.ruleId}: ${finding.message}`);
}

function untyped(code: string, fileName = '/project/src/app.js'): string[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return describeFindings(sourceFile, analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: RULES }));
}

function typed(code: string, fileName = '/project/src/app.ts'): string[] {
  const program = createProgram({ [fileName]: code });
  const sourceFile = program.getSourceFile(fileName)!;
  return describeFindings(sourceFile, analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: RULES }));
}

const expressLimiter = `const express = require('express');
const app = express();
function rateLimit(perMinute) {
  const hits = new Map();
  return (req, res, next) => {
    const count = (hits.get(req.ip) || 0) + 1;
    hits.set(req.ip, count);
    if (count > perMinute) return res.status(429).send('slow down');
    next();
  };
}
app.post('/login', rateLimit(10), (req, res) => res.send('ok'));
app.listen(3000);
`;

const limiterMessage =
  "4 no-in-memory-counter: `hits` counts in this process; it is changed by POST /login (src/app.js:12). Each instance keeps its own count, so totals and limits are wrong once there is more than one.";

describe('state in the scope of a function that runs at start-up', () => {
  it('Express: a hand-written limiter made by a middleware factory', () => {
    expect(untyped(expressLimiter)).toEqual([limiterMessage]);
    expect(typed(expressLimiter, '/project/src/app.js')).toEqual([limiterMessage]);
  });

  it('Hono: the factory hands back its middleware through createMiddleware', () => {
    const code = `import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
export function rateLimit(perMinute: number) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return createMiddleware(async (c, next) => {
    const key = c.req.header('x-forwarded-for') ?? 'local';
    const window = windows.get(key) ?? { count: 0, resetAt: Date.now() + 60_000 };
    windows.set(key, window);
    window.count++;
    if (window.count > perMinute) return c.json({ error: 'too many attempts' }, 429);
    await next();
  });
}
const app = new Hono();
app.post('/login', rateLimit(10), (c) => c.text('ok'));
export default app;
`;
    const expected = [
      "4 no-in-memory-counter: `windows` counts in this process; it is changed by POST /login (src/app.ts:15). Each instance keeps its own count, so totals and limits are wrong once there is more than one.",
    ];
    expect(untyped(code, '/project/src/app.ts')).toEqual(expected);
    expect(typed(code)).toEqual(expected);
  });

  it('socket.io: users kept by the function that attaches the connection handler', () => {
    const code = `const { Server } = require('socket.io');
function attach(io) {
  const online = {};
  io.on('connection', (socket) => {
    online[socket.handshake.auth.user] = Date.now();
  });
}
attach(new Server(3000));
`;
    expect(untyped(code)).toEqual([
      '3 no-in-memory-session: `online` holds per-user state in this process; it is written by socket connection (src/app.js:4). A second instance will not see it.',
    ]);
  });

  it('quiet: a variable of the handler itself, of a function a request runs, and one only read by the closure', () => {
    const code = `const express = require('express');
const app = express();
function summarise(items) {
  const seen = new Set();
  items.forEach((item) => seen.add(item.id));
  return seen.size;
}
function limits(perMinute) {
  const allowed = new Map([['admin', Infinity]]);
  return (req, res, next) => (allowed.get(req.user) ?? perMinute) > 0 ? next() : res.sendStatus(429);
}
app.post('/items', limits(10), (req, res) => {
  const counts = {};
  req.body.items.forEach((item) => { counts[item.kind] = (counts[item.kind] || 0) + 1; });
  res.json({ distinct: summarise(req.body.items), counts });
});
app.listen(3000);
`;
    expect(untyped(code)).toEqual([]);
    expect(typed(code, '/project/src/app.js')).toEqual([]);
  });
});

describe('fixes of state in a factory’s scope', () => {
  it('name the state after the factory when it runs once (more shapes in fixes/factory-state.test.ts)', () => {
    const program = createProgram({ '/project/src/app.js': expressLimiter });
    const sourceFile = program.getSourceFile('/project/src/app.js')!;
    const [finding] = analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-in-memory-counter'] });
    const planned = planFixes(sourceFile, finding, { program, projectRoot: '/project' });
    expect(planned.refused).toBeUndefined();
    expect(planned.plans.at(-1)?.edits.map((edit) => edit.newText)).toContain("createCounterMap('rateLimit.hits')");
  });
});
