import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';
import { applyPlan, findingsIn, movePlan } from '../testing/fix-plans';

// Session stores that write the sessions into files next to the app: every instance has its own
// files, so a user signed in through one instance is a stranger to the others.

const APP = `const express = require('express');
const session = require('express-session');
const FileStore = require('session-file-store')(session);

const app = express();
app.use(session({ store: new FileStore({ path: './sessions', ttl: 3600 }), secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.get('/', (req, res) => res.send(req.session.user ? 'hello' : 'sign in'));
module.exports = app;
`;

function analyze(files: Record<string, string>, fileName: string) {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(fileName)!;
  return { program, sourceFile, findings: analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-in-memory-session'] }) };
}

describe('session stores on the local disk', () => {
  it('session-file-store: reported at the new store, and the fix is refused with what to do instead', () => {
    const { program, sourceFile, findings } = analyze({ '/project/app.js': APP }, '/project/app.js');
    expect(findings.map((finding) => [finding.messageId, finding.message])).toEqual([
      ['sessionStoreOnDisk', "session-file-store keeps sessions in files on this instance's disk (FileStore). Behind a load balancer users are logged out whenever a request reaches another instance."],
    ]);
    expect(planFixes(sourceFile, findings[0], { program, projectRoot: '/project' })).toEqual({
      plans: [],
      refused: {
        title: 'Keep the sessions in Redis',
        reason: 'the sessions are in files this instance owns: replace the store with one every instance reads (`new RedisStore({ client })` from connect-redis), after the users can sign in again or the existing sessions are copied over',
      },
    });
  });

  it('quiet: a Redis store, and a file store in a script that is not the web process', () => {
    const redis = APP.replace("const FileStore = require('session-file-store')(session);", "const { RedisStore } = require('connect-redis');\nconst { createClient } = require('redis');\nconst client = createClient({ url: process.env.REDIS_URL });").replace("new FileStore({ path: './sessions', ttl: 3600 })", 'new RedisStore({ client })');
    expect(analyze({ '/project/app.js': redis }, '/project/app.js').findings).toEqual([]);
    expect(analyze({ '/project/scripts/dev-login.js': APP }, '/project/scripts/dev-login.js').findings).toEqual([]);
  });
});

// @fastify/session takes express-session's stores, given in the options `register` passes it;
// connect-redis's store extends express-session's `Store`, so a Fastify app needs express-session too.
describe('the Redis session store fix', () => {
  const FASTIFY = `import Fastify from 'fastify';
import fastifySession from '@fastify/session';

const app = Fastify();
app.register(fastifySession, {
  secret: process.env.SESSION_SECRET,
  cookie: { secure: false },
});
`;

  it('@fastify/session: the store goes into the options register passes, and express-session is installed beside connect-redis', () => {
    const plan = movePlan({ '/proj/src/server.js': FASTIFY }, 'no-in-memory-session', '/proj/src/server.js');
    expect(plan.message).toBe('Store sessions in Redis with connect-redis (client from REDIS_URL)');
    expect(applyPlan({ '/proj/src/server.js': FASTIFY }, plan)['/proj/src/server.js']).toBe(`import Fastify from 'fastify';
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error) => console.error('Redis connection failed', error));

const app = Fastify();
app.register(fastifySession, {
  store: new RedisStore({ client: redisClient }),
  secret: process.env.SESSION_SECRET,
  cookie: { secure: false },
});
`);
    expect(plan.dependencies).toEqual([
      { name: 'connect-redis', version: '^9.0.0' },
      { name: 'express-session', version: '^1.18.1' },
      { name: 'redis', version: '^5.0.0' },
    ]);
  });

  it('express-session: the store goes into the first argument, and express-session is not added again', () => {
    const EXPRESS = "import express from 'express';\nimport session from 'express-session';\n\nconst app = express();\napp.use(session({ secret: 'x' }));\n";
    const plan = movePlan({ '/proj/src/app.js': EXPRESS }, 'no-in-memory-session', '/proj/src/app.js');
    expect(applyPlan({ '/proj/src/app.js': EXPRESS }, plan)['/proj/src/app.js']).toContain("app.use(session({ store: new RedisStore({ client: redisClient }), secret: 'x' }));");
    expect(plan.dependencies.map((dependency) => dependency.name)).toEqual(['connect-redis', 'redis']);
  });

  it('no fix, and no finding, when the options are built where the analysis cannot read them', () => {
    const built = FASTIFY.replace(/\{\n {2}secret[^}]*\},\n\}/, 'sessionOptions()');
    expect(built).toContain('app.register(fastifySession, sessionOptions());');
    expect(findingsIn({ '/proj/src/server.js': built }, 'no-in-memory-session', '/proj/src/server.js').findings).toEqual([]);
  });
});
