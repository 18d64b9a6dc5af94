import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// One value loaded from a file or store on first read and replaced by what the save route writes
// there (round 25 of test/real-world: a dashboard layout a NestJS service kept in a field), written
// here as a module binding of a Koa service: this process's copy of a stored document, a cache that
// goes stale where the save did not run, not a user's session. A value a request only sets and
// records, never loaded, stays as it was read.

afterAll(removeAnalysedProjects);

const files = {
  'server.ts': `import Koa from 'koa';
import Router from '@koa/router';
import { readJson, writeJson } from 'fs-extra';
import { audit } from './audit';

const BANNER_FILE = '/srv/data/banner.json';
let banner: { text: string } | undefined;
let lastEditor: { id: string } | undefined;

const app = new Koa();
const router = new Router();

router.get('/banner', async (ctx) => {
  if (!banner) {
    const stored = await readJson(BANNER_FILE);
    banner = stored;
  }
  ctx.body = banner;
});

router.put('/banner', async (ctx) => {
  const next = ctx.request.body as { text: string };
  await writeJson(BANNER_FILE, next);
  banner = next;
  lastEditor = ctx.state.user;
  await audit.save(lastEditor);
  ctx.status = 204;
});

app.use(router.routes());
app.listen(3000);
`,
  'audit.ts': `export const audit = { async save(entry: unknown) { return entry; } };
`,
};

const EXPECTED = [
  '7:5 no-process-local-cache: `banner` caches shared data in this process; it is written by PUT /banner (server.ts:21). When another instance changes that data, this copy stays stale until this process restarts.',
  '8:5 no-in-memory-session: `lastEditor` holds application data in this process; it is written by PUT /banner (server.ts:21). A second instance will not see it.',
];

describe('a value loaded from its file and replaced by what the save route writes there', () => {
  it('is a cache of that document; the editor a request records stays a session (typed)', () => {
    expect(typed(files, 'server.ts', ['no-in-memory-session', 'no-process-local-cache'])).toEqual(EXPECTED);
  });
  it('the same untyped', () => {
    expect(untyped(files, 'server.ts', ['no-in-memory-session', 'no-process-local-cache'])).toEqual(EXPECTED);
  });
});
