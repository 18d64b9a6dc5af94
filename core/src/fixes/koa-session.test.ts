import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../analysis/analyze';
import { applyPlan } from '../testing/fix-plans';
import { createProgram } from '../testing/program';
import { planFixes } from './index';

// koa-session keeps only the key in the cookie when it is given a store; a store of the app's own
// around a module Map keeps the sessions in one process. The fix gives koa-session the Redis store.

const STORE_JS = `// koa-session keeps only the key in the cookie; the session itself lives here.
const sessions = new Map();

export default {
  get(key) {
    const entry = sessions.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      sessions.delete(key);
      return undefined;
    }
    return entry.session;
  },
  set(key, session, maxAge) {
    sessions.set(key, { session, expires: Date.now() + (typeof maxAge === 'number' ? maxAge : 86400000) });
  },
  destroy(key) {
    sessions.delete(key);
  },
};
`;

const APP_JS = `import Koa from 'koa';
import session from 'koa-session';
import sessionStore from './lib/sessionStore.js';
import users from './routes/users.js';

const app = new Koa();
app.keys = ['dev'];
app.use(session({ key: 'snap.sid', maxAge: 86400000, store: sessionStore }, app));
app.use(users.routes());

export default app;
`;

const USERS_JS = `import Router from '@koa/router';

const router = new Router();
router.post('/login', async (ctx) => {
  ctx.session.user = { name: ctx.request.body.name };
  ctx.body = { user: ctx.session.user };
});

export default router;
`;

/** An ESM JavaScript project on disk (the fix reads its package.json), its sources given in memory. */
function koaProject(sources: Record<string, string>, type: 'module' | 'commonjs' = 'module'): { root: string; files: Record<string, string> } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-koa-session-'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', type, dependencies: { koa: '2.15.3', 'koa-session': '6.4.0' } }));
  return { root, files: Object.fromEntries(Object.entries(sources).map(([name, text]) => [`${root}/${name}`, text])) };
}

function sessionPlan(root: string, files: Record<string, string>, app = 'src/app.js') {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(`${root}/${app}`)!;
  const findings = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-in-memory-session'] });
  expect(findings.map((finding) => [finding.messageId, finding.data.store])).toEqual([['sessionStoreInMemory', 'a store of its own that keeps them in `sessions`']]);
  return planFixes(sourceFile, findings[0], { program, projectRoot: root });
}

describe('koa-session with a hand-written in-memory store gets the Redis-backed store', () => {
  it('replaces the store, removes its import with the reason, and creates the adapter as ESM JavaScript', () => {
    const { root, files } = koaProject({ 'src/lib/sessionStore.js': STORE_JS, 'src/app.js': APP_JS, 'src/routes/users.js': USERS_JS });
    const planned = sessionPlan(root, files);
    expect(planned.refused).toBeUndefined();
    const plan = planned.plans.at(-1)!;
    expect(plan.message).toBe('Keep the sessions in Redis with a Redis-backed store (src/scaling/koa-session-store.js)');
    expect(plan.notes).toEqual([
      "removes `import sessionStore from './lib/sessionStore.js'` (src/app.js:3): koa-session now keeps the sessions in Redis: the hand-written store is no longer used (./lib/sessionStore.js stays, unused)",
    ]);
    const fixed = applyPlan(files, plan);
    expect(fixed[`${root}/src/app.js`]).toBe(`import Koa from 'koa';
import session from 'koa-session';
import users from './routes/users.js';
import { redisSessionStore } from './scaling/koa-session-store.js';

const app = new Koa();
app.keys = ['dev'];
app.use(session({ key: 'snap.sid', maxAge: 86400000, store: redisSessionStore() }, app));
app.use(users.routes());

export default app;
`);
    expect(fixed[`${root}/src/lib/sessionStore.js`]).toBe(STORE_JS);
    const adapter = plan.createFiles.find((created) => created.fileName === `${root}/src/scaling/koa-session-store.js`)?.text;
    expect(adapter).toContain('export function redisSessionStore(');
    expect(adapter).toContain("import { redis } from './redis.js';");
    expect(plan.createFiles.map((created) => created.fileName.slice(root.length + 1)).sort()).toEqual(['src/scaling/koa-session-store.js', 'src/scaling/redis.js']);
    expect(plan.dependencies.map((dependency) => dependency.name)).toEqual(['ioredis']);
  });

  it('refuses when the file also uses the store elsewhere: that use would read this process\'s sessions', () => {
    const { root, files } = koaProject({
      'src/lib/sessionStore.js': STORE_JS,
      'src/app.js': APP_JS.replace('export default app;', "app.use(async (ctx, next) => {\n  if (ctx.path === '/logout-all') sessionStore.destroy(ctx.cookies.get('snap.sid'));\n  await next();\n});\n\nexport default app;"),
      'src/routes/users.js': USERS_JS,
    });
    expect(sessionPlan(root, files).refused?.reason).toBe("the store `sessionStore` is also used at src/app.js:12, which would go on reading this process's sessions");
  });

  it('refuses when another module imports the hand-written store', () => {
    const { root, files } = koaProject({
      'src/lib/sessionStore.js': STORE_JS,
      'src/app.js': APP_JS,
      'src/routes/users.js': USERS_JS.replace("import Router from '@koa/router';", "import Router from '@koa/router';\nimport store from '../lib/sessionStore.js';").replace('export default router;', "router.post('/logout', async (ctx) => {\n  store.destroy(ctx.cookies.get('snap.sid'));\n  ctx.status = 204;\n});\n\nexport default router;"),
    });
    expect(sessionPlan(root, files).refused?.reason).toBe("the store's module (src/lib/sessionStore.js) is also imported at src/routes/users.js:2, which would go on reading this process's sessions");
  });

  it('TypeScript: an instance of a class of its own (`store: new MemorySessionStore()`) whose field keeps the sessions gets the Redis store, and its import goes', () => {
    const storeTs = `import type { Session } from 'koa-session';

interface Stored {
  session: Partial<Session>;
  expires: number;
}

export class MemorySessionStore {
  private sessions = new Map<string, Stored>();

  get(key: string): Partial<Session> | undefined {
    const stored = this.sessions.get(key);
    return stored && stored.expires > Date.now() ? stored.session : undefined;
  }

  set(key: string, session: Partial<Session>, maxAge: number | 'session' | undefined): void {
    this.sessions.set(key, { session, expires: Date.now() + (typeof maxAge === 'number' ? maxAge : 3600000) });
  }

  destroy(key: string): void {
    this.sessions.delete(key);
  }
}
`;
    const appTs = APP_JS.replace("import sessionStore from './lib/sessionStore.js';", "import { MemorySessionStore } from './lib/sessionStore.js';").replace('store: sessionStore', 'store: new MemorySessionStore()');
    const { root, files } = koaProject({ 'src/lib/sessionStore.ts': storeTs, 'src/app.ts': appTs, 'src/routes/users.js': USERS_JS });
    const program = createProgram(files);
    const sourceFile = program.getSourceFile(`${root}/src/app.ts`)!;
    const findings = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-in-memory-session'] });
    expect(findings.map((finding) => [finding.messageId, finding.data.store])).toEqual([['sessionStoreInMemory', 'a store of its own that keeps them in `this.sessions`']]);
    const plan = planFixes(sourceFile, findings[0], { program, projectRoot: root }).plans.at(-1)!;
    expect(applyPlan(files, plan)[`${root}/src/app.ts`]).toBe(
      appTs.replace("import { MemorySessionStore } from './lib/sessionStore.js';\n", '').replace("import users from './routes/users.js';\n", "import users from './routes/users.js';\nimport { redisSessionStore } from './scaling/koa-session-store.js';\n").replace('store: new MemorySessionStore()', 'store: redisSessionStore()'),
    );
    // A class that keeps nothing it is handed (a store over the database, its own cache of nothing) is no finding.
    const database = { ...files, [`${root}/src/lib/sessionStore.ts`]: storeTs.replace('this.sessions.set(key, { session, expires: Date.now() + (typeof maxAge === \'number\' ? maxAge : 3600000) });', 'void [key, session, maxAge];') };
    const databaseProgram = createProgram(database);
    expect(analyzeSourceFile(databaseProgram.getSourceFile(`${root}/src/app.ts`)!, { program: databaseProgram, projectRoot: root, rules: ['no-in-memory-session'] })).toEqual([]);
  });

  // The same hazard as another author writes it.
  it('CommonJS: a plain-object store required from its module, its methods arrows; the store option gets the Redis store', () => {
    const { root, files } = koaProject({
    'src/lib/memory-store.js': `const sessions = {};

module.exports = {
  get: (key) => sessions[key],
  set: (key, sess) => {
    sessions[key] = sess;
  },
  destroy: (key) => {
    delete sessions[key];
  },
};
`,
    'src/app.js': `const Koa = require('koa');
const session = require('koa-session');
const memoryStore = require('./lib/memory-store');

const app = new Koa();
app.keys = [process.env.KEY || 'dev'];
app.use(session({ store: memoryStore, maxAge: 2 * 60 * 60 * 1000 }, app));
app.use(async (ctx) => {
  ctx.session.views = (ctx.session.views || 0) + 1;
  ctx.body = { views: ctx.session.views };
});
module.exports = app;
`,
  }, 'commonjs');
    const planned = sessionPlan(root, files);
    expect(planned.refused).toBeUndefined();
    const fixed = applyPlan(files, planned.plans.at(-1)!);
    expect(fixed[`${root}/src/app.js`]).toBe(`const Koa = require('koa');
const session = require('koa-session');
require('./lib/memory-store');
const { redisSessionStore } = require('./scaling/koa-session-store');

const app = new Koa();
app.keys = [process.env.KEY || 'dev'];
app.use(session({ store: redisSessionStore(), maxAge: 2 * 60 * 60 * 1000 }, app));
app.use(async (ctx) => {
  ctx.session.views = (ctx.session.views || 0) + 1;
  ctx.body = { views: ctx.session.views };
});
module.exports = app;
`);
    expect(fixed[`${root}/src/lib/memory-store.js`]).toBe(files[`${root}/src/lib/memory-store.js`]);
  });

  it('TypeScript: the store written in the app file over a Map, passed as the shorthand `store`', () => {
    const { root, files } = koaProject({
    'src/app.ts': `import Koa from 'koa';
import session from 'koa-session';

const sessions = new Map<string, unknown>();
const store = {
  async get(key: string) {
    return sessions.get(key);
  },
  async set(key: string, value: unknown) {
    sessions.set(key, value);
  },
  async destroy(key: string) {
    sessions.delete(key);
  },
};

const app = new Koa();
app.keys = ['k'];
app.use(session({ store }, app));
app.use(async (ctx) => {
  ctx.session!.seen = true;
  ctx.body = 'ok';
});
export default app;
`,
  });
    const planned = sessionPlan(root, files, 'src/app.ts');
    expect(planned.refused).toBeUndefined();
    expect(applyPlan(files, planned.plans.at(-1)!)[`${root}/src/app.ts`]).toBe(`import Koa from 'koa';
import session from 'koa-session';
import { redisSessionStore } from './scaling/koa-session-store';

const sessions = new Map<string, unknown>();
const store = {
  async get(key: string) {
    return sessions.get(key);
  },
  async set(key: string, value: unknown) {
    sessions.set(key, value);
  },
  async destroy(key: string) {
    sessions.delete(key);
  },
};

const app = new Koa();
app.keys = ['k'];
app.use(session({ store: redisSessionStore() }, app));
app.use(async (ctx) => {
  ctx.session!.seen = true;
  ctx.body = 'ok';
});
export default app;
`);
  });
});
