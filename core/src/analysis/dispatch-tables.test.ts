import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

afterAll(removeAnalysedProjects);

const koaFiles: Record<string, string> = {
  'src/index.ts': `import Koa from 'koa';
import mount from 'koa-mount';
import { apiMiddleware } from './apiMiddleware';
import { adminApis } from './adminApis';
import { frontEndApis } from './frontEndApis';
const app = new Koa();
app.use(mount('/~/api/', apiMiddleware({ ...frontEndApis, ...adminApis })));
app.listen(3000);
`,
  'src/apiMiddleware.ts': `import type Koa from 'koa';
export type ApiHandler = (params: any, ctx: Koa.Context) => unknown;
export type ApiHandlers = Record<string, ApiHandler>;
export function apiMiddleware(apis: ApiHandlers): Koa.Middleware {
  return async (ctx) => {
    const params = ctx.query;
    const apiName = ctx.path.slice(1);
    const apiFun = apis.hasOwnProperty(apiName) && apis[apiName]!;
    if (!apiFun) { ctx.status = 400; return; }
    ctx.body = await apiFun(params, ctx);
  };
}
`,
  'src/adminApis.ts': `import * as fs from 'node:fs';
import langApis from './api.lang';
export const adminApis = {
  ...langApis,
  async set_config({ values }: any) {
    fs.writeFileSync('config.yaml', JSON.stringify(values));
    return {};
  },
};
`,
  'src/api.lang.ts': `import { rm } from 'node:fs/promises';
const apis = {
  async del_lang({ code }: any) {
    await rm('langs/hfs-lang-' + code + '.json');
    return {};
  },
};
export default apis;
`,
  'src/frontEndApis.ts': `import { writeFile } from 'node:fs/promises';
const progress: Record<string, number> = {};
export const frontEndApis = {
  async save_note({ uri, text }: any) {
    await writeFile('notes/' + uri, text);
    return {};
  },
  get_folder_size_partial({ id }: any) {
    progress[id] = (progress[id] ?? 0) + 1;
    return { done: progress[id] };
  },
};
`,
};

// A JSON-RPC endpoint in CommonJS: the method named in the body, picked from an object of functions
// another module exports, the pick bound to its object; a per-request object and a Redis-backed store
// written by methods of the same table stay quiet.
const rpcFiles: Record<string, string> = {
  'app.js': `const express = require('express');
const createRpcHandler = require('./rpc');
const methods = require('./methods');
const app = express();
app.post('/rpc', express.json(), createRpcHandler(methods));
app.listen(3000);
`,
  'rpc.js': `module.exports = function createRpcHandler(methods) {
  return async (req, res) => {
    const { method, params } = req.body;
    const methodFn = typeof methods[method] === 'function' ? methods[method].bind(methods) : undefined;
    if (!methodFn) return res.status(404).json({ error: 'unknown method' });
    res.json({ result: await methodFn(...params, req) });
  };
};
`,
  'methods.js': `const fs = require('fs');
const redis = require('./redis');
const drafts = new Map();
module.exports = {
  saveDraft(id, text) {
    drafts.set(id, text);
    return true;
  },
  exportDraft(id) {
    fs.writeFileSync('exports/' + id + '.txt', drafts.get(id));
    return true;
  },
  rememberTheme(theme, req) {
    req.session = { ...req.session, theme };
    return redis.set('theme', theme);
  },
};
`,
  'redis.js': `const Redis = require('ioredis');
module.exports = new Redis(process.env.REDIS_URL);
`,
};

// Look-alikes: a table whose member a route picks by a constant (`tasks['ping']`) runs that member only;
// a table of tasks only start-up runs, each by its name, is no route's; a table of plain values picked
// by the request's key is data, not handlers.
const quietFiles: Record<string, string> = {
  'src/app.ts': `import express from 'express';
import { tasks, runAll } from './tasks';
const limits: Record<string, number> = { free: 10, pro: 100 };
const app = express();
app.get('/ping', (req, res) => {
  res.json({ pong: tasks['ping'](), limit: limits[String(req.query.plan)] });
});
runAll();
app.listen(3000);
`,
  'src/tasks.ts': `import * as fs from 'node:fs';
export const tasks: Record<string, () => unknown> = {
  ping() {
    return 'pong';
  },
  purge() {
    fs.rmSync('cache', { recursive: true, force: true });
    return 'purged';
  },
};
export function runAll(): void {
  for (const name of Object.keys(tasks)) tasks[name]();
}
`,
};

const lines = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);

describe('a dispatch table: an object of handlers a middleware calls by the name in the URL', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: every handler of the table is on the route', (_mode, analyse) => {
    expect(lines(analyse(koaFiles, 'src/adminApis.ts'))).toEqual(['no-blocking-request-work 6', 'no-local-disk-write 6']);
    expect(lines(analyse(koaFiles, 'src/api.lang.ts'))).toEqual(['no-local-disk-write 4']);
    expect(lines(analyse(koaFiles, 'src/frontEndApis.ts'))).toEqual(['no-in-memory-counter 2', 'no-local-disk-write 5']);
  });
});

describe('a JSON-RPC endpoint: the method named in the body, bound to its table', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the methods run on the route; a per-request object and a Redis store stay quiet', (_mode, analyse) => {
    expect(lines(analyse(rpcFiles, 'methods.js'))).toEqual(['no-in-memory-session 3', 'no-blocking-request-work 10', 'no-local-disk-write 10']);
    expect(analyse(rpcFiles, 'methods.js').findings.at(-1)!.message).toContain('POST /rpc');
  });
});

describe('look-alikes of a dispatch table', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: a member picked by a constant, a table only start-up runs, a table of values stay quiet', (_mode, analyse) => {
    expect(lines(analyse(quietFiles, 'src/tasks.ts'))).toEqual([]);
    expect(lines(analyse(quietFiles, 'src/app.ts'))).toEqual([]);
  });
});
