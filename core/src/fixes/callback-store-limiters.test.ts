import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';

// From a real game server's forum routes (express-rate-limit ^5): the fix gave the limiter
// rate-limit-redis 4's store, whose `increment(key)` express-rate-limit 5 never calls. It calls
// `store.incr(key, callback)`, which is not there: every limited request would have thrown. The
// version is read from the project on disk, as `npm install` would see it.

function projectWith(dependencies: Record<string, string>, installed: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-callback-store-'));
  const write = (name: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  };
  write('package.json', JSON.stringify({ name: 'forum', dependencies }));
  for (const [name, version] of Object.entries(installed)) write(`node_modules/${name}/package.json`, JSON.stringify({ name, version }));
  return root;
}

const ROUTES = (library: string, factory: string) => `const express = require('express');
const ${factory} = require('${library}');

const router = express.Router();
const newCommentLimiter = ${factory}({
  windowMs: 60 * 60 * 1000,
  max: 10,
});

router.post('/forum/:id/comments', newCommentLimiter, (req, res) => {
  res.status(201).json({ ok: true });
});

module.exports = router;
`;

function planned(root: string, code: string) {
  const fileName = path.join(root, 'routes/forum.js');
  const program = createProgram({ [fileName]: code }, { allowJs: true, checkJs: false });
  const sourceFile = program.getSourceFile(fileName)!;
  const findings = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-in-memory-counter'] });
  const at = (offset: number) => sourceFile.getLineAndCharacterOfPosition(offset);
  expect(findings.map((finding) => [at(finding.start).line + 1, at(finding.start).character + 1, finding.message])).toEqual([
    [5, 27, `${code.includes('express-slow-down') ? 'express-slow-down' : 'express-rate-limit'} counts requests in this process (the default MemoryStore). Behind a load balancer every instance allows the full limit, so clients get N times the limit.`],
  ]);
  return { finding: findings[0], planned: planFixes(sourceFile, findings[0], { program, projectRoot: root }) };
}

describe('planFixes: a limiter whose library calls its store with callbacks gets no Redis store', () => {
  it('express-rate-limit 5 (declared, not installed): refused, saying what to upgrade; no fix offered to the editor either', () => {
    const { finding, planned: result } = planned(projectWith({ express: '^4.17.1', 'express-rate-limit': '^5.0.0' }), ROUTES('express-rate-limit', 'rateLimit'));
    expect(finding.fixes).toEqual([]);
    expect(result).toEqual({
      plans: [],
      refused: {
        title: "Count express-rate-limit's requests in Redis",
        reason:
          'express-rate-limit 5.0.0 calls its store with callbacks (`incr(key, callback)`), which rate-limit-redis 3 and later do not implement, so a Redis store given to it would fail every request: upgrade express-rate-limit to 6 or later (some options were renamed, see its changelog), then the fix gives it a Redis store',
      },
    });
  });

  it('the installed release decides over the declared range: express-rate-limit 5.5.1 installed under `*`, express-slow-down 1.6.0', () => {
    const installed = planned(projectWith({ 'express-rate-limit': '*' }, { 'express-rate-limit': '5.5.1' }), ROUTES('express-rate-limit', 'rateLimit')).planned;
    expect(installed.refused?.reason).toMatch(/^express-rate-limit 5\.5\.1 calls its store with callbacks/);
    const slowDown = planned(projectWith({ 'express-slow-down': '^1.6.0' }), ROUTES('express-slow-down', 'slowDown')).planned;
    expect(slowDown.refused?.reason).toMatch(/^express-slow-down 1\.6\.0 calls its store with callbacks .* upgrade express-slow-down to 2 or later/);
  });

  it('express-rate-limit 6 and 7, and a project that does not say: the Redis store, on the rate-limit-redis line the release takes', () => {
    for (const [dependencies, line] of [
      [{ 'express-rate-limit': '^6.11.2' }, '^4.3.1'],
      [{ 'express-rate-limit': '^7.4.1' }, '^4.3.1'],
      [{}, '^6.0.1'],
    ] as const) {
      const { finding, planned: result } = planned(projectWith(dependencies), ROUTES('express-rate-limit', 'rateLimit'));
      expect(finding.fixes.map((fix) => fix.message)).toEqual(['Count requests in Redis with rate-limit-redis (client from REDIS_URL)']);
      expect(result.refused).toBeUndefined();
      expect(result.plans.at(-1)?.dependencies.find((dependency) => dependency.name === 'rate-limit-redis')?.version).toBe(line);
    }
  });
});
