import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';

/** The response-cache findings of one file, untyped: `name: staleness`. */
function responseCaches(code: string, fileName = '/project/src/routes.js'): string[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-process-local-cache'] })
    .filter((finding) => finding.messageId === 'responseCacheInMemory')
    .map((finding) => `${finding.data.library} ${finding.data.name}: ${finding.data.staleness}`);
}

describe('response-cache middleware kept in process memory (apicache)', () => {
  it('finds a copy of apicache vendored into the project, required by path (uptime-kuma keeps one in server/modules)', () => {
    expect(
      responseCaches(`const express = require('express');
const apicache = require('../modules/apicache');
const router = express.Router();
let cache = apicache.middleware;
router.get('/api/badge/:id/status', cache('5 minutes'), async (request, response) => {
  response.send('ok');
});
module.exports = router;
`),
    ).toEqual(['apicache cache: for up to 5 minutes (its TTL)']);
  });

  it('reads durations as apicache does: plain English, plural or not, milliseconds as a number, an hour without one', () => {
    const route = (duration: string) => `import express from 'express';\nimport apicache from 'apicache-plus';\nconst app = express();\napp.get('/feed', apicache.middleware(${duration}), (req, res) => res.json([]));\n`;
    expect(responseCaches(route("'2 days'"), '/project/src/a.ts')).toEqual(['apicache-plus apicache.middleware: for up to 2 days (its TTL)']);
    expect(responseCaches(route("'1 minute'"), '/project/src/a.ts')).toEqual([]);
    expect(responseCaches(route('120000'), '/project/src/a.ts')).toEqual(['apicache-plus apicache.middleware: for up to 2 minutes (its TTL)']);
    expect(responseCaches(route(''), '/project/src/a.ts')).toEqual(['apicache-plus apicache.middleware: for up to 1 hour (its TTL)']);
    expect(responseCaches(route("'soon'"), '/project/src/a.ts')).toEqual([]);
  });

  it('is quiet for an instance given a Redis client, for middleware no route uses, and in tests and scripts', () => {
    expect(
      responseCaches(`import express from 'express';
import apicache from 'apicache';
import Redis from 'ioredis';
const app = express();
const shared = apicache.newInstance({ redisClient: new Redis(process.env.REDIS_URL) });
app.get('/feed', shared.middleware('1 hour'), (req, res) => res.json([]));
export const unused = apicache.middleware('1 hour');
`, '/project/src/a.ts'),
    ).toEqual([]);
    const onRoute = `import express from 'express';\nimport apicache from 'apicache';\nconst app = express();\napp.get('/feed', apicache.middleware('1 hour'), (req, res) => res.json([]));\n`;
    expect(responseCaches(onRoute, '/project/src/feed.test.ts')).toEqual([]);
    expect(responseCaches(onRoute, '/project/scripts/feed.ts')).toEqual([]);
  });

  it('offers no move to the Redis cache adapter: it refuses, saying where the Redis client goes', () => {
    const files = { '/project/src/feed.ts': `import express from 'express';\nimport apicache from 'apicache';\nexport const app = express();\napp.get('/feed', apicache.middleware('1 hour'), (req, res) => res.json([]));\n` };
    const program = createProgram(files);
    const sourceFile = program.getSourceFile('/project/src/feed.ts')!;
    const [finding] = analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-process-local-cache'] });
    expect(finding.message).toBe('apicache `apicache.middleware` keeps whole responses in this process for GET /feed (src/feed.ts:4). When another instance changes the data behind a response, this instance keeps serving the old one for up to 1 hour (its TTL).');
    expect(planFixes(sourceFile, finding, { program, projectRoot: '/project' })).toEqual({
      plans: [],
      refused: { title: 'Move `apicache.middleware` to the Redis cache', reason: 'apicache keeps responses where it is configured: give it a Redis client (`apicache.options({ redisClient })`, set once at start-up) so every instance serves one cache, or pass a duration within the staleness you accept' },
    });
  });
});
