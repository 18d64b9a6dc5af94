import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';
import { applyPlan, findingsIn, movePlan, planFirst } from '../testing/fix-plans';

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

/** The untyped findings of one file, without a project index. */
function untyped(code: string, fileName: string) {
  return analyzeSourceFile(ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true), { projectRoot: '/project', rules: ['no-in-memory-session'] });
}

/** Rule, line, column and message of each finding in `code`. */
function shape(code: string, findings: readonly { ruleId: string; start: number; message: string }[]) {
  return findings.map((finding) => {
    const before = code.slice(0, finding.start).split('\n');
    return [finding.ruleId, before.length, before[before.length - 1].length + 1, finding.message];
  });
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

// A web installer serves one administrator once, closes its server and starts the real application:
// its session middleware never keeps a user's session behind a balancer.
describe('session middleware of a one-shot set-up server', () => {
  const INSTALLER = `const express = require('express');
const session = require('express-session');
const childProcess = require('child_process');
const app = express();
let server;
app.use(session({ secret: 'x', resave: false, saveUninitialized: false }));
app.get('/', (req, res) => res.render('install', { step: req.session.step }));
app.post('/launch', (req, res) => {
  res.redirect('/');
  server.close();
  childProcess.spawn('node', ['loader.js'], { detached: true }).unref();
});
server = app.listen(4567);
`;
  const expected = [['no-in-memory-session', 6, 9, 'express-session keeps sessions in this process (the default MemoryStore). Behind a load balancer users are logged out whenever a request reaches another instance.']];

  it('quiet: the installer that closes its server and spawns the application, typed and untyped', () => {
    expect(analyze({ '/project/install/web.js': INSTALLER }, '/project/install/web.js').findings).toEqual([]);
    expect(untyped(INSTALLER, '/project/install/web.js')).toEqual([]);
  });

  it('a server that only closes (a graceful-shutdown route) still keeps sessions: reported, typed and untyped', () => {
    const shutdown = INSTALLER.replace("  childProcess.spawn('node', ['loader.js'], { detached: true }).unref();\n", '');
    expect(shape(shutdown, analyze({ '/project/src/app.js': shutdown }, '/project/src/app.js').findings)).toEqual(expected);
    expect(shape(shutdown, untyped(shutdown, '/project/src/app.js'))).toEqual(expected);
  });
});

// A deployment whose own database is SQLite keeps everything in one local file: one instance. The
// branch that picks a SQLite session store for it is no hazard; the same store in a branch any
// deployment may take is.
describe('a session store picked for the deployment whose database is SQLite', () => {
  const STORES = (branch: string) => `const express = require('express');
const session = require('express-session');
const app = express();
function sessionStore() {
  switch (process.env.DATABASE_TYPE || 'sqlite') {
    case 'postgres': {
      const PgSession = require('connect-pg-simple')(session);
      return new PgSession({ conString: process.env.DATABASE_URL });
    }
    ${branch}: {
      const SqliteStore = require('connect-sqlite3')(session);
      return new SqliteStore({ db: 'sessions.sqlite', dir: process.env.DATA_DIR });
    }
  }
}
app.use(session({ store: sessionStore(), secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.get('/', (req, res) => res.send(req.session.user ? 'hello' : 'sign in'));
`;

  it('quiet in the sqlite case, typed and untyped', () => {
    const code = STORES("case 'sqlite'");
    expect(analyze({ '/project/src/app.js': code }, '/project/src/app.js').findings).toEqual([]);
    expect(untyped(code, '/project/src/app.js')).toEqual([]);
  });

  it('reported in a default branch any deployment may take, typed and untyped', () => {
    const code = STORES('default');
    const expected = [['no-in-memory-session', 12, 14, "connect-sqlite3 keeps sessions in files on this instance's disk (SqliteStore). Behind a load balancer users are logged out whenever a request reaches another instance."]];
    expect(shape(code, analyze({ '/project/src/app.js': code }, '/project/src/app.js').findings)).toEqual(expected);
    expect(shape(code, untyped(code, '/project/src/app.js'))).toEqual(expected);
  });
});

describe("express-session's MemoryStore as the fallback of a shared store", () => {
  const CODE = `import express from 'express';
import session from 'express-session';
import { TypeormStore } from 'connect-typeorm';
import { dataSource, isReady } from './data-source';
import { Session } from './session.entity';

const buildTypeormStore = (): session.Store => {
  if (!isReady()) {
    return new session.MemoryStore();
  }
  return new TypeormStore({ ttl: 86400 }).connect(dataSource.getRepository(Session));
};

let sessionStore: session.Store | null = null;
export const getSessionStore = (): session.Store => {
  if (!sessionStore) {
    try {
      sessionStore = buildTypeormStore();
    } catch (error) {
      console.warn('[session-store] Falling back to in-memory store:', error);
      sessionStore = new session.MemoryStore();
    }
  }
  return sessionStore;
};

export const previewStore = (): session.Store => {
  try {
    return JSON.parse(process.env.PREVIEW ?? 'null');
  } catch {
    return new session.MemoryStore();
  }
};

const app = express();
app.use(session({ store: getSessionStore(), secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
app.get('/', (req, res) => res.send(req.session.id));
`;

  it('quiet where the same code builds the shared store, typed and untyped; a memory store in any other catch is reported', () => {
    const expected = [['no-in-memory-session', 31, 12, "express-session keeps sessions in this process (MemoryStore). Behind a load balancer users are logged out whenever a request reaches another instance."]];
    expect(shape(CODE, analyze({ '/project/src/app.ts': CODE }, '/project/src/app.ts').findings)).toEqual(expected);
    expect(shape(CODE, untyped(CODE, '/project/src/app.ts'))).toEqual(expected);
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

  // `store: new MemoryStore()` written out is the default made explicit: the Redis store takes its place, and the import left unused goes.
  it("express-session's MemoryStore given as the store option: replaced by the Redis store, typed TypeScript and CommonJS", () => {
    const TS = `import express from 'express';
import session, { MemoryStore } from 'express-session';

export function createApp() {
  const app = express();
  app.use(
    session({
      name: 'harbour.sid',
      secret: process.env.SESSION_SECRET!,
      store: new MemoryStore(),
      resave: false,
    }),
  );
  return app;
}
`;
    const files = { '/proj/src/app.ts': TS };
    const plan = movePlan(files, 'no-in-memory-session', '/proj/src/app.ts');
    expect(plan.message).toBe('Store sessions in Redis with connect-redis (client from REDIS_URL)');
    expect(applyPlan(files, plan)['/proj/src/app.ts']).toBe(`import express from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error: unknown) => console.error('Redis connection failed', error));

export function createApp() {
  const app = express();
  app.use(
    session({
      name: 'harbour.sid',
      secret: process.env.SESSION_SECRET!,
      store: new RedisStore({ client: redisClient }),
      resave: false,
    }),
  );
  return app;
}
`);
    const CJS = "const express = require('express');\nconst session = require('express-session');\n\nconst app = express();\napp.use(session({ secret: 'x', store: new session.MemoryStore(), resave: false }));\nmodule.exports = app;\n";
    const cjs = { '/proj/app.js': CJS };
    expect(applyPlan(cjs, movePlan(cjs, 'no-in-memory-session', '/proj/app.js'))['/proj/app.js']).toContain("app.use(session({ secret: 'x', store: new RedisStore({ client: redisClient }), resave: false }));");
  });

  it('a MemoryStore made into a variable and handed to the middleware: refused with the reason, never passed over', () => {
    const HELD = "const express = require('express');\nconst session = require('express-session');\n\nconst store = new session.MemoryStore();\nconst app = express();\napp.use(session({ secret: 'x', store, resave: false }));\nmodule.exports = app;\n";
    const planned = planFirst({ '/proj/app.js': HELD }, 'no-in-memory-session', '/proj/app.js');
    expect(planned.plans).toEqual([]);
    expect(planned.refused).toEqual({
      title: 'Keep the sessions in Redis',
      reason: 'express-session keeps the sessions in MemoryStore, and the fix cannot give the middleware a Redis store here (the store is made apart from it, or the file has a Redis store of its own): give it one where it is set up (`store: new RedisStore({ client })` from connect-redis)',
    });
  });

  it('a secret drawn as the process starts is read from SESSION_SECRET, the draw kept as the fallback; a fixed or configured secret is left alone', () => {
    const LEGACY = `const express = require('express');
const session = require('express-session');
const crypto = require('crypto');
const { v4: uuid } = require('uuid');

const SECRET = crypto.randomBytes(32).toString('hex');
const app = express();
app.use(session({ secret: uuid(), resave: true, saveUninitialized: true }));
app.use('/admin', session({ secret: SECRET }));
module.exports = app;
`;
    const files = { '/proj/app.js': LEGACY };
    const plan = movePlan(files, 'no-in-memory-session', '/proj/app.js');
    const fixed = applyPlan(files, plan)['/proj/app.js'];
    expect(fixed).toContain("app.use(session({ store: new RedisStore({ client: redisClient }), secret: process.env.SESSION_SECRET || uuid(), resave: true, saveUninitialized: true }));");
    expect(plan.notes).toEqual(['the session secret `uuid()` is drawn when each process starts, so each instance signs cookies the others reject: it is read from SESSION_SECRET now, and the drawn one stays the fallback when that is not set']);
    const named = { '/proj/app.js': LEGACY.replace('secret: uuid(), resave', 'secret: SECRET, resave').replace("session({ secret: SECRET })", 'session({ secret: process.env.ADMIN_SECRET })') };
    expect(applyPlan(named, movePlan(named, 'no-in-memory-session', '/proj/app.js'))['/proj/app.js']).toContain('secret: process.env.SESSION_SECRET || SECRET, resave');
    const shorthand = { '/proj/app.js': named['/proj/app.js'].replace('const SECRET =', 'const secret =').replace('secret: SECRET, resave', 'secret, resave') };
    expect(applyPlan(shorthand, movePlan(shorthand, 'no-in-memory-session', '/proj/app.js'))['/proj/app.js']).toContain('{ store: new RedisStore({ client: redisClient }), secret: process.env.SESSION_SECRET || secret, resave');
    const fixedSecret = { '/proj/app.js': LEGACY.replace('secret: uuid()', "secret: 'keyboard cat'") };
    const kept = movePlan(fixedSecret, 'no-in-memory-session', '/proj/app.js');
    expect(applyPlan(fixedSecret, kept)['/proj/app.js']).toContain("secret: 'keyboard cat', resave");
    expect(kept.notes).toBeUndefined();
  });

  // npm refuses redis 5 beside a package that takes it as a peer only up to 4, even an optional
  // peer: TypeORM up to 0.3.26 in a NestJS app with express-session. connect-redis 8.1 takes v4.
  it('express-session beside TypeORM 0.3.20 (a peer of redis ^3.1.1 || ^4.0.0): redis 4 and connect-redis 8.1, the same code', () => {
    const NEST = "import { NestFactory } from '@nestjs/core';\nimport session from 'express-session';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.use(session({ secret: 'x', resave: false, saveUninitialized: false }));\n  await app.listen(3000);\n}\nbootstrap();\n";
    const lock = (typeormPeer: string) => JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'clinic' }, 'node_modules/typeorm': { version: '0.3.20', peerDependencies: { redis: typeormPeer, pg: '^8.5.1' }, peerDependenciesMeta: { redis: { optional: true } } } } });
    const planIn = (lockText: string | undefined) => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-session-peers-'));
      if (lockText !== undefined) writeFileSync(path.join(root, 'package-lock.json'), lockText);
      mkdirSync(path.join(root, 'src'));
      const fileName = path.join(root, 'src/main.ts');
      const program = createProgram({ [fileName]: NEST, [path.join(root, 'src/app.module.ts')]: 'export class AppModule {}\n' });
      const sourceFile = program.getSourceFile(fileName)!;
      const findings = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-in-memory-session'] });
      const plan = planFixes(sourceFile, findings[0], { program, projectRoot: root }).plans[0];
      return { text: applyPlan({ [fileName]: NEST }, plan)[fileName], dependencies: plan.dependencies };
    };
    const old = planIn(lock('^3.1.1 || ^4.0.0'));
    expect(old.dependencies).toEqual([
      { name: 'connect-redis', version: '^8.1.0' },
      { name: 'redis', version: '^4.7.1' },
    ]);
    expect(old.text).toBe(`import { NestFactory } from '@nestjs/core';
import session from 'express-session';
import { AppModule } from './app.module';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch((error: unknown) => console.error('Redis connection failed', error));

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(session({ store: new RedisStore({ client: redisClient }), secret: 'x', resave: false, saveUninitialized: false }));
  await app.listen(3000);
}
bootstrap();
`);
    // TypeORM 0.3.27 takes redis 5 too; no lock file says nothing against it.
    for (const lockText of [lock('^3.1.1 || ^4.0.0 || ^5.0.14'), undefined]) {
      const plan = planIn(lockText);
      expect(plan.dependencies).toEqual([
        { name: 'connect-redis', version: '^9.0.0' },
        { name: 'redis', version: '^5.0.0' },
      ]);
      expect(plan.text).toBe(old.text);
    }
  });

  it('no fix, and no finding, when the options are built where the analysis cannot read them', () => {
    const built = FASTIFY.replace(/\{\n {2}secret[^}]*\},\n\}/, 'sessionOptions()');
    expect(built).toContain('app.register(fastifySession, sessionOptions());');
    expect(findingsIn({ '/proj/src/server.js': built }, 'no-in-memory-session', '/proj/src/server.js').findings).toEqual([]);
  });
});

// The client reads REDIS_URL when it is made: a file that loads its .env after its requires must
// have loaded it by then (the URL in .env would be missed, and the client would dial localhost).
describe('the Redis client a store fix adds is made after the file loads its .env', () => {
  const EXPRESS = (load: string): string => `const express = require('express');
const session = require('express-session');
${load}

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
module.exports = app;
`;
  const fixed = (text: string): string => applyPlan({ '/proj/src/app.js': text }, movePlan({ '/proj/src/app.js': text }, 'no-in-memory-session', '/proj/src/app.js'))['/proj/src/app.js'];

  it.each([
    ["require('dotenv').config();", "const session = require('express-session');\n"],
    ["const dotenv = require('dotenv');\ndotenv.config({ path: '.env.local' });", "const dotenv = require('dotenv');\n"],
    ["try {\n  process.loadEnvFile('.env');\n} catch {}", "const session = require('express-session');\n"],
  ])('after `%s`', (load, lastImport) => {
    expect(fixed(EXPRESS(load))).toBe(
      EXPRESS(load)
        .replace(lastImport, `${lastImport}const { RedisStore } = require('connect-redis');\nconst { createClient } = require('redis');\n`)
        .replace(load.split('\n').at(-1)!, `${load.split('\n').at(-1)!}\n\nconst redisClient = createClient({ url: process.env.REDIS_URL });\nredisClient.connect().catch((error) => console.error('Redis connection failed', error));`)
        .replace('app.use(session({ secret', 'app.use(session({ store: new RedisStore({ client: redisClient }), secret'),
    );
  });

  it('with no .env loaded (or one loaded after the middleware), right after the imports as before', () => {
    expect(fixed(EXPRESS(''))).toContain("const { createClient } = require('redis');\n\nconst redisClient = createClient({ url: process.env.REDIS_URL });\n");
    const late = EXPRESS('').replace('module.exports = app;', "require('dotenv').config();\nmodule.exports = app;");
    expect(fixed(late)).toContain("const { createClient } = require('redis');\n\nconst redisClient = createClient({ url: process.env.REDIS_URL });\n");
  });
});
