import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A map the service fills outside any request with the rows a store load returns (all custom
// domains, read as the manager is made) and that the routes which save a row patch in place
// (round 29's precision pass, test/real-world: a status-page service's domain map; public services
// preload routing rules or domain routes the same way), written here in a shape of our own. It is
// this process's copy of stored records, a cache a reader would name, not a user's session; the
// look-alikes: the same map that nothing preloads stays a session finding, and a preloaded map of
// users' own entries stays one too.

afterAll(removeAnalysedProjects);

const db = `export const db = {
  site: {
    findMany: async (_query?: unknown) => [] as { id: string; host: string; theme: string }[],
    create: async (query: { data: { host: string; theme: string } }) => ({ id: 'x', ...query.data }),
  },
  draft: {
    findMany: async () => [] as { userId: string; text: string }[],
  },
};
`;

describe('a keyed copy of stored rows, preloaded outside requests and patched by the routes that save', () => {
  const files = {
    'src/db.ts': db,
    'src/site-hosts.ts': `import { db } from './db';

class SiteHosts {
  private byHost: Record<string, { siteId: string; theme: string }> = {};

  constructor() {
    void this.preload();
  }

  private async preload() {
    const sites = await db.site.findMany({ where: { host: { not: null } } });
    sites.forEach((site) => {
      this.byHost[site.host] = { siteId: site.id, theme: site.theme };
    });
  }

  remember(host: string, entry: { siteId: string; theme: string }) {
    this.byHost[host] = entry;
  }

  lookup(host: string) {
    return this.byHost[host];
  }
}

export const siteHosts = new SiteHosts();
`,
    'src/server.ts': `import express from 'express';
import { db } from './db';
import { siteHosts } from './site-hosts';

const app = express();
app.use(express.json());
app.post('/sites', async (req, res) => {
  const site = await db.site.create({ data: { host: req.body.host, theme: req.body.theme } });
  siteHosts.remember(site.host, { siteId: site.id, theme: site.theme });
  res.json(site);
});
app.get('/', (req, res) => res.json(siteHosts.lookup(req.hostname) ?? null));
app.listen(3000);
`,
  };

  it('is reported as a process-local cache (untyped and typed)', () => {
    const result = untyped(files, 'src/site-hosts.ts');
    expect(result).toEqual(typed(files, 'src/site-hosts.ts'));
    expect(result).toEqual([
      '4:11 no-process-local-cache: `byHost` caches shared data in this process; it is written by POST /sites (src/server.ts:7). When another instance changes that data, this copy stays stale until this process restarts.',
    ]);
  });

  it('the same map that nothing preloads stays a session finding', () => {
    const bare = { ...files, 'src/site-hosts.ts': files['src/site-hosts.ts'].replace('    void this.preload();\n', '').replace(/  private async preload\(\) \{[\s\S]*?\n  \}\n\n/, '') };
    const result = untyped(bare, 'src/site-hosts.ts');
    expect(result).toEqual(typed(bare, 'src/site-hosts.ts'));
    expect(result).toEqual([
      '4:11 no-in-memory-session: `byHost` holds application data in this process; it is written by POST /sites (src/server.ts:7). A second instance will not see it.',
    ]);
  });

  it("a preloaded map of users' own entries stays a session finding", () => {
    const drafts = {
      'src/db.ts': db,
      'src/drafts.ts': `import express from 'express';
import { db } from './db';

const userDrafts: Record<string, string> = {};

async function preload() {
  const rows = await db.draft.findMany();
  for (const row of rows) userDrafts[row.userId] = row.text;
}
void preload();

function keepDraft(userId: string, text: string) {
  userDrafts[userId] = text;
}

const app = express();
app.use(express.json());
app.put('/draft', (req, res) => {
  keepDraft(String(req.headers['x-user']), String(req.body.text));
  res.sendStatus(204);
});
app.get('/draft', (req, res) => res.json(userDrafts[String(req.headers['x-user'])] ?? ''));
app.listen(3000);
`,
    };
    const result = untyped(drafts, 'src/drafts.ts');
    expect(result).toEqual(typed(drafts, 'src/drafts.ts'));
    expect(result.map((line) => line.slice(0, line.indexOf(':', line.indexOf(' '))))).toEqual(['4:7 no-in-memory-session']);
  });
});

// A memo filled from loaded rows states its TTL with a random jitter added to spread expiries
// (`expiresAt: now + TTL + jitter`, as growthbook's user e-mail memo does): the TTL still bounds it.
describe('a memo filled from loaded rows, with a jittered TTL', () => {
  const memo = (expiry: string, missing = '!(emailCache.get(id)?.expiresAt! > now)') => ({
    'src/db.ts': `export const db = { users: { getByIds: async (ids: string[]) => ids.map((id) => ({ id, email: id + '@example.com' })) } };
`,
    'src/emails.ts': `import express from 'express';
import { db } from './db';

const TTL_MS = 15 * 60 * 1000;
const emailCache = new Map<string, { email: string; expiresAt: number }>();

function remember(id: string, email: string, now: number) {
  const jitter = Math.floor(Math.random() * TTL_MS * 0.1);
  emailCache.set(id, { email, ${expiry} });
}

async function emailsOf(ids: string[]) {
  const now = Date.now();
  const missing = ids.filter((id) => ${missing});
  const users = await db.users.getByIds(missing);
  users.forEach((user) => remember(user.id, user.email, now));
  return ids.map((id) => emailCache.get(id)?.email);
}

const app = express();
app.get('/owners', async (req, res) => res.json(await emailsOf(String(req.query.ids).split(','))));
app.listen(3000);
`,
  });

  it('stays quiet (untyped and typed)', () => {
    const files = memo('expiresAt: now + TTL_MS + jitter');
    const result = untyped(files, 'src/emails.ts');
    expect(result).toEqual(typed(files, 'src/emails.ts'));
    expect(result).toEqual([]);
  });

  it('the same memo whose entries never expire is reported', () => {
    const files = memo('expiresAt: Number.MAX_SAFE_INTEGER + jitter', '!emailCache.has(id)');
    const result = untyped(files, 'src/emails.ts');
    expect(result).toEqual(typed(files, 'src/emails.ts'));
    expect(result.map((line) => line.slice(0, line.indexOf(':', line.indexOf(' '))))).toEqual(['5:7 no-process-local-cache']);
  });
});
