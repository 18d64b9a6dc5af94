import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';
import { ROOT, applyPlan, countFindings, findingsIn, movePlan, planFirst } from '../testing/fix-plans';

// State a start-up factory keeps in its own scope (`function rateLimit(n) { const hits = new Map(); … }`)
// moves to Redis where it is declared, under a name that keeps each call's state its own: the
// factory's name when it runs once, the name of each call's `const` when it runs once per call.

const ONCE_JS = `const express = require('express');
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

const NAMED_TS = `import express from 'express';
const app = express();
function rateLimit(perMinute: number) {
  const hits = new Map<string, number>();
  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const count = (hits.get(req.ip!) ?? 0) + 1;
    hits.set(req.ip!, count);
    if (count > perMinute) return res.status(429).send('slow down');
    next();
  };
}
const loginLimiter = rateLimit(5);
const apiLimiter = rateLimit(100);
app.post('/login', loginLimiter, (req, res) => res.send('ok'));
app.get('/api', apiLimiter, (req, res) => res.send('ok'));
app.listen(3000);
`;

const HONO_LIMITER = `import { createMiddleware } from 'hono/factory';

// Fixed count per client address.
export function rateLimit(perMinute: number) {
  const attempts: Record<string, number> = {};
  return createMiddleware(async (c, next) => {
    const key = c.req.header('x-forwarded-for') ?? 'local';
    attempts[key] = (attempts[key] ?? 0) + 1;
    if (attempts[key] > perMinute) return c.json({ error: 'too many attempts' }, 429);
    await next();
  });
}
`;

const HONO_APP = `import { Hono } from 'hono';
import { rateLimit } from './lib/rateLimit';

const app = new Hono();
app.post('/login', rateLimit(10), (c) => c.text('ok'));
export default app;
`;

const FASTIFY_PLUGIN = `import type { FastifyInstance } from 'fastify';

export default async function visits(app: FastifyInstance) {
  const seen = new Map<string, number>();
  app.get('/visit/:page', async (request) => {
    const page = (request.params as { page: string }).page;
    seen.set(page, (seen.get(page) ?? 0) + 1);
    return { visits: seen.get(page) };
  });
}
`;

const FASTIFY_SERVER = `import Fastify from 'fastify';
import visits from './plugins/visits';

const app = Fastify();
app.register(visits);
app.listen({ port: 3000 });
`;

const LIMIT_CJS = `function limiter(max) {
  const hits = {};
  return function (req, res, next) {
    hits[req.ip] = (hits[req.ip] || 0) + 1;
    if (hits[req.ip] > max) return res.status(429).end();
    next();
  };
}
module.exports = { limiter };
`;

const APP_CJS = `const express = require('express');
const { limiter } = require('./lib/limit');
const app = express();
const loginLimit = limiter(5);
const searchLimit = limiter(50);
app.post('/login', loginLimit, (req, res) => res.send('ok'));
app.get('/search', searchLimit, (req, res) => res.send('ok'));
app.listen(3000);
`;

/** The fixed files, after checking that a second run finds nothing left to move. */
function fixedOnce(files: Record<string, string>, fileName: string): Record<string, string> {
  const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', fileName));
  expect(countFindings(fixed, 'no-in-memory-counter')).toBe(0);
  expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  return fixed;
}

describe('planFixes: state of a factory that runs once', () => {
  it('Express, JavaScript: the Map is named after the factory, the increment is atomic, the middleware async', () => {
    const files = { [`${ROOT}/src/app.js`]: ONCE_JS };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.js`);
    expect(plan.message).toBe('Count `hits` in Redis (src/scaling/counter.js)');
    expect(fixedOnce(files, `${ROOT}/src/app.js`)[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const { createCounterMap } = require('./scaling/counter');
const app = express();
function rateLimit(perMinute) {
  const hits = createCounterMap('rateLimit.hits');
  return async (req, res, next) => {
    const count = await hits.increment(req.ip);
    if (count > perMinute) return res.status(429).send('slow down');
    next();
  };
}
app.post('/login', rateLimit(10), (req, res) => res.send('ok'));
app.listen(3000);
`);
  });

  it('Hono: a factory exported from its module and called once in another; the object of counts becomes a counter map', () => {
    const files = { [`${ROOT}/src/lib/rateLimit.ts`]: HONO_LIMITER, [`${ROOT}/src/app.ts`]: HONO_APP };
    const fixed = fixedOnce(files, `${ROOT}/src/lib/rateLimit.ts`);
    expect(fixed[`${ROOT}/src/lib/rateLimit.ts`]).toBe(`import { createMiddleware } from 'hono/factory';
import { createCounterMap } from '../scaling/counter';

// Fixed count per client address.
export function rateLimit(perMinute: number) {
  const attempts = createCounterMap('rateLimit.attempts');
  return createMiddleware(async (c, next) => {
    const key = c.req.header('x-forwarded-for') ?? 'local';
    if (await attempts.increment(key) > perMinute) return c.json({ error: 'too many attempts' }, 429);
    await next();
  });
}
`);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(HONO_APP);
  });

  it('Fastify: a plugin registered once keeps its Map under the plugin\'s name', () => {
    const files = { [`${ROOT}/src/plugins/visits.ts`]: FASTIFY_PLUGIN, [`${ROOT}/src/server.ts`]: FASTIFY_SERVER };
    const fixed = fixedOnce(files, `${ROOT}/src/plugins/visits.ts`);
    expect(fixed[`${ROOT}/src/plugins/visits.ts`]).toBe(`import type { FastifyInstance } from 'fastify';
import { createCounterMap } from '../scaling/counter';

export default async function visits(app: FastifyInstance) {
  const seen = createCounterMap('visits.seen');
  app.get('/visit/:page', async (request) => {
    const page = (request.params as { page: string }).page;
    await seen.increment(page);
    return { visits: await seen.get(page) };
  });
}
`);
    expect(fixed[`${ROOT}/src/server.ts`]).toBe(FASTIFY_SERVER);
  });

  it('Fastify, CommonJS: an inline plugin registered once at start-up; its number becomes a counter', () => {
    const server = `const fastify = require('fastify')();

fastify.register(async (app) => {
  let served = 0;
  app.get('/hello', async () => {
    served++;
    return { served };
  });
});
fastify.listen({ port: 3000 });
`;
    const files = { [`${ROOT}/src/server.js`]: server };
    expect(fixedOnce(files, `${ROOT}/src/server.js`)[`${ROOT}/src/server.js`]).toBe(`const fastify = require('fastify')();
const { createCounter } = require('./scaling/counter');

fastify.register(async (app) => {
  const served = createCounter('served');
  app.get('/hello', async () => {
    const servedNow = await served.increment();
    return { served: servedNow };
  });
});
fastify.listen({ port: 3000 });
`);
  });

  it('a factory called once inside a function called once at start-up (`buildApp()`)', () => {
    const code = ONCE_JS.replace("const app = express();\n", '').replace("app.post('/login', rateLimit(10), (req, res) => res.send('ok'));\napp.listen(3000);\n", "function buildApp() {\n  const app = express();\n  app.post('/login', rateLimit(10), (req, res) => res.send('ok'));\n  return app;\n}\nbuildApp().listen(3000);\n");
    const fixed = fixedOnce({ [`${ROOT}/src/app.js`]: code }, `${ROOT}/src/app.js`);
    expect(fixed[`${ROOT}/src/app.js`]).toContain("  const hits = createCounterMap('rateLimit.hits');\n  return async (req, res, next) => {\n    const count = await hits.increment(req.ip);\n");
  });
});

describe('planFixes: a factory\'s cache and lock move with the same names', () => {
  it('a cache of what the factory\'s loader loads: `createCache` named after the factory', () => {
    const code = `import express from 'express';
const app = express();
function lookup(load: (id: string) => Promise<string>) {
  const cache = new Map<string, string>();
  return async (req: express.Request, res: express.Response) => {
    let name = cache.get(req.params.id);
    if (name === undefined) {
      name = await load(req.params.id);
      cache.set(req.params.id, name);
    }
    res.json({ name });
  };
}
app.get('/users/:id', lookup(async (id) => 'user ' + id));
app.listen(3000);
`;
    const files = { [`${ROOT}/src/app.ts`]: code };
    const fixed = applyPlan(files, movePlan(files, 'no-process-local-cache', `${ROOT}/src/app.ts`));
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { createCache } from './scaling/cache';
const app = express();
function lookup(load: (id: string) => Promise<string>) {
  const cache = createCache<string>('lookup.cache');
  return async (req: express.Request, res: express.Response) => {
    let name = await cache.get(req.params.id);
    if (name === undefined) {
      name = await load(req.params.id);
      await cache.set(req.params.id, name);
    }
    res.json({ name });
  };
}
app.get('/users/:id', lookup(async (id) => 'user ' + id));
app.listen(3000);
`);
    expect(countFindings(fixed, 'no-process-local-cache')).toBe(0);
  });

  it('a busy flag of the handler the factory makes: a Redis lock named after the factory', () => {
    const code = `const express = require('express');
const app = express();
function exclusive(work) {
  let busy = false;
  return async (req, res) => {
    if (busy) return res.status(409).end();
    busy = true;
    try {
      res.json(await work());
    } finally {
      busy = false;
    }
  };
}
app.post('/rebuild', exclusive(async () => 'done'));
app.listen(3000);
`;
    const files = { [`${ROOT}/src/app.js`]: code };
    const fixed = applyPlan(files, movePlan(files, 'no-in-process-lock', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const { tryAcquireLock } = require('./scaling/lock');
const app = express();
function exclusive(work) {
  // \`busy\` is now a Redis lock (tryAcquireLock in src/scaling/lock.js): it excludes requests on every instance.
  return async (req, res) => {
    const busyLock = await tryAcquireLock('exclusive.busy', { keepAlive: true });
    if (!busyLock) return res.status(409).end();
    try {
      res.json(await work());
    } finally {
      await busyLock.release();
    }
  };
}
app.post('/rebuild', exclusive(async () => 'done'));
app.listen(3000);
`);
    expect(countFindings(fixed, 'no-in-process-lock')).toBe(0);
  });
});

describe('planFixes: a Hono limiter\'s window of counts, made by the factory', () => {
  it('the window ends where Redis expires the count, and Retry-After reads that end', () => {
    const limiter = `import { createMiddleware } from 'hono/factory';

interface Window {
  count: number;
  resetAt: number;
}

export function rateLimit(perMinute: number) {
  const windows = new Map<string, Window>();
  return createMiddleware(async (c, next) => {
    const key = c.req.header('x-forwarded-for')?.split(',')[0].trim() || 'local';
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + 60_000 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > perMinute) {
      c.header('Retry-After', String(Math.ceil((window.resetAt - now) / 1000)));
      return c.json({ error: 'too many attempts, try again later' }, 429);
    }
    await next();
  });
}
`;
    const files = { [`${ROOT}/src/lib/rateLimit.ts`]: limiter, [`${ROOT}/src/app.ts`]: HONO_APP };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/lib/rateLimit.ts`);
    expect(plan.message).toBe("Count `windows` in Redis, its time window as the count's expiry (src/scaling/counter.ts)");
    expect(plan.removedStatements?.map((removed) => removed.reason)).toEqual([
      "the count's window: Redis expires the count of `key` 60 s (`60_000` ms) after its first increment, and the next one starts a new window at 1; `windows.expiresAt(key)` reads when it ends",
      '`windows.increment(key)` above counts the attempt in one atomic step',
    ]);
    expect(fixedOnce(files, `${ROOT}/src/lib/rateLimit.ts`)[`${ROOT}/src/lib/rateLimit.ts`]).toBe(`import { createMiddleware } from 'hono/factory';
import { createCounterMap } from '../scaling/counter';

interface Window {
  count: number;
  resetAt: number;
}

export function rateLimit(perMinute: number) {
  const windows = createCounterMap('rateLimit.windows', { ttlSeconds: 60 });
  return createMiddleware(async (c, next) => {
    const key = c.req.header('x-forwarded-for')?.split(',')[0].trim() || 'local';
    const now = Date.now();
    let window = { count: await windows.increment(key), resetAt: await windows.expiresAt(key) };
    if (window.count > perMinute) {
      c.header('Retry-After', String(Math.ceil((window.resetAt - now) / 1000)));
      return c.json({ error: 'too many attempts, try again later' }, 429);
    }
    await next();
  });
}
`);
  });
});

describe('planFixes: state of a factory called once per named call site', () => {
  it('TypeScript: the factory takes each call\'s name as a last parameter, and each `const` passes its own', () => {
    const files = { [`${ROOT}/src/app.ts`]: NAMED_TS };
    expect(fixedOnce(files, `${ROOT}/src/app.ts`)[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { createCounterMap } from './scaling/counter';
const app = express();
function rateLimit(perMinute: number, storeName: string) {
  const hits = createCounterMap(\`\${storeName}.hits\`);
  return async (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const count = await hits.increment(req.ip!);
    if (count > perMinute) return res.status(429).send('slow down');
    next();
  };
}
const loginLimiter = rateLimit(5, 'loginLimiter');
const apiLimiter = rateLimit(100, 'apiLimiter');
app.post('/login', loginLimiter, (req, res) => res.send('ok'));
app.get('/api', apiLimiter, (req, res) => res.send('ok'));
app.listen(3000);
`);
  });

  it('CommonJS: a factory exported through module.exports and called in another file; no type on the new parameter', () => {
    const files = { [`${ROOT}/lib/limit.js`]: LIMIT_CJS, [`${ROOT}/app.js`]: APP_CJS };
    const fixed = fixedOnce(files, `${ROOT}/lib/limit.js`);
    expect(fixed[`${ROOT}/lib/limit.js`]).toBe(`const { createCounterMap } = require('../src/scaling/counter');
function limiter(max, storeName) {
  const hits = createCounterMap(\`\${storeName}.hits\`);
  return async function (req, res, next) {
    await hits.increment(req.ip);
    if (await hits.get(req.ip) > max) return res.status(429).end();
    next();
  };
}
module.exports = { limiter };
`);
    expect(fixed[`${ROOT}/app.js`]).toBe(APP_CJS.replace('limiter(5)', "limiter(5, 'loginLimit')").replace('limiter(50)', "limiter(50, 'searchLimit')"));
  });

  it('a second variable of the same factory uses the name parameter the first fix added', () => {
    const code = NAMED_TS.replace('  const hits = new Map<string, number>();\n', '  const hits = new Map<string, number>();\n  const blocked = new Map<string, number>();\n').replace("if (count > perMinute) return", "if (count > perMinute) {\n      blocked.set(req.ip!, (blocked.get(req.ip!) ?? 0) + 1);\n      return");
    const withBlocked = code.replace("res.status(429).send('slow down');\n", "res.status(429).send('slow down');\n    }\n");
    const first = applyPlan({ [`${ROOT}/src/app.ts`]: withBlocked }, movePlan({ [`${ROOT}/src/app.ts`]: withBlocked }, 'no-in-memory-counter', `${ROOT}/src/app.ts`));
    const second = movePlan(first, 'no-in-memory-counter', `${ROOT}/src/app.ts`);
    const fixed = applyPlan(first, second)[`${ROOT}/src/app.ts`];
    expect(fixed).toContain('function rateLimit(perMinute: number, storeName: string) {\n');
    expect(fixed).toContain("const loginLimiter = rateLimit(5, 'loginLimiter');\nconst apiLimiter = rateLimit(100, 'apiLimiter');\n");
    expect(fixed.match(/createCounterMap\(`\$\{storeName\}\.\w+`\)/g)).toEqual(['createCounterMap(`${storeName}.hits`)', 'createCounterMap(`${storeName}.blocked`)']);
    expect(countFindings({ ...first, [`${ROOT}/src/app.ts`]: fixed }, 'no-in-memory-counter')).toBe(0);
  });
});

describe('planFixes: state of a factory refused, with the reason', () => {
  const refusal = (files: Record<string, string>, fileName: string): string | undefined => planFirst(files, 'no-in-memory-counter', fileName).refused?.reason;
  const limiter = ONCE_JS.slice(ONCE_JS.indexOf('function rateLimit'), ONCE_JS.indexOf("app.post('/login'"));

  it('called twice with no name to tell the calls apart', () => {
    const code = `const express = require('express');\nconst app = express();\n${limiter}app.post('/login', rateLimit(5), (req, res) => res.send('ok'));\napp.get('/search', rateLimit(50), (req, res) => res.send('ok'));\napp.listen(3000);\n`;
    expect(refusal({ [`${ROOT}/app.js`]: code }, `${ROOT}/app.js`)).toBe(
      "`rateLimit` is called 2 times (app.js:12, app.js:13), each call with its own `hits`, and `rateLimit(5)` (app.js:12) is not kept in a `const` whose name could tell its state from the others'",
    );
  });

  it('called twice into consts of the same name in two files', () => {
    const files = {
      [`${ROOT}/lib/limit.js`]: LIMIT_CJS,
      [`${ROOT}/auth.js`]: "const { limiter } = require('./lib/limit');\nconst limit = limiter(5);\nmodule.exports = (app) => app.post('/login', limit, (req, res) => res.send('ok'));\n",
      [`${ROOT}/app.js`]: "const express = require('express');\nconst { limiter } = require('./lib/limit');\nconst app = express();\nconst limit = limiter(50);\nrequire('./auth')(app);\napp.get('/search', limit, (req, res) => res.send('ok'));\napp.listen(3000);\n",
    };
    expect(refusal(files, `${ROOT}/lib/limit.js`)).toBe(
      '`limiter` is called 2 times, each call with its own `hits`, and two of them are named `limit` (auth.js:2, app.js:4): their states would share one Redis name',
    );
  });

  it('called in a loop', () => {
    const code = `const express = require('express');\nconst app = express();\n${limiter}for (const path of ['/login', '/signup']) app.post(path, rateLimit(5), (req, res) => res.send('ok'));\napp.listen(3000);\n`;
    expect(refusal({ [`${ROOT}/app.js`]: code }, `${ROOT}/app.js`)).toBe('`rateLimit(5)` (app.js:12) runs in a loop (app.js:12), and each turn makes its own `hits` under the same name');
  });

  it('called per request: each request has its own variable, which is no shared state (no finding)', () => {
    const code = `const express = require('express');\nconst app = express();\n${limiter}app.post('/login', (req, res, next) => rateLimit(5)(req, res, next), (req, res) => res.send('ok'));\napp.listen(3000);\n`;
    expect(findingsIn({ [`${ROOT}/app.js`]: code }, 'no-in-memory-counter', `${ROOT}/app.js`).findings).toEqual([]);
  });

  it('called inside a function the fix cannot count the runs of', () => {
    const code = `const express = require('express');\nconst app = express();\n${limiter}function protect(path) {\n  app.post(path, rateLimit(5), (req, res) => res.send('ok'));\n}\nprotect('/login');\nprotect('/signup');\napp.listen(3000);\n`;
    expect(refusal({ [`${ROOT}/app.js`]: code }, `${ROOT}/app.js`)).toBe(
      '`rateLimit(5)` (app.js:13) runs inside `protect`, which is called 2 times (app.js:15, app.js:16); each run makes its own `hits`',
    );
  });

  it('exported by the entry of a package: callers outside the project may make more', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'stateless-factory-'));
    try {
      writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'tiny-limit', main: 'dist/index.js' }));
      const files = {
        [`${root}/src/index.ts`]: `export function rateLimit(perMinute: number) {\n  const hits = new Map<string, number>();\n  return (req: any, res: any, next: () => void) => {\n    const count = (hits.get(req.ip) ?? 0) + 1;\n    hits.set(req.ip, count);\n    if (count > perMinute) return res.status(429).end();\n    next();\n  };\n}\n`,
        [`${root}/src/demo.ts`]: "import express from 'express';\nimport { rateLimit } from './index';\nconst app = express();\napp.post('/login', rateLimit(5), (req, res) => res.send('ok'));\napp.listen(3000);\n",
      };
      const program = createProgram(files);
      const sourceFile = program.getSourceFile(`${root}/src/index.ts`)!;
      const [finding] = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-in-memory-counter'] });
      expect(planFixes(sourceFile, finding, { program, projectRoot: root }).refused?.reason).toBe(
        "`rateLimit` is exported by `tiny-limit`'s src/index.ts, the entry of a package: callers outside this project may call it too, each call with its own `hits`, and the fix cannot name them",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a factory that uses its variable while it runs would have to become async', () => {
    const code = ONCE_JS.replace('  const hits = new Map();\n', "  const hits = new Map();\n  hits.set('warm-up', 0);\n");
    expect(refusal({ [`${ROOT}/app.js`]: code }, `${ROOT}/app.js`)).toBe(
      '`hits` is used where the factory around it runs (app.js:5), which would have to become async and hand its callers a promise instead of what it makes',
    );
  });
});
