import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Idiom classes behind false positives of no-process-local-cache and no-in-memory-session read in the
// corpus (round 24 of test/real-world), written here in other shapes: one state, one rule, and the
// look-alikes that stay where they were.

afterAll(removeAnalysedProjects);

const RULES = ['no-process-local-cache', 'no-in-memory-session'] as const;

describe('a per-user buffer behind a debounce timer', () => {
  const views = (rearm: string) => `import express from 'express';
import { db } from './db';

const app = express();
const pendingViews: Record<string, { timer?: ReturnType<typeof setTimeout>; pages: string[] }> = {};

function recordView(userId: string, page: string) {
  pendingViews[userId] = pendingViews[userId] || { pages: [] };
  pendingViews[userId].pages.push(page);
${rearm}
  pendingViews[userId].timer = setTimeout(async () => {
    const pages = pendingViews[userId].pages;
    delete pendingViews[userId];
    const user = await db.findUser(userId);
    await db.insertViews(user.id, pages);
  }, 3000);
}

app.get('/pages/:page', (req, res) => {
  recordView(String(req.query.user), req.params.page);
  res.end();
});
`;
  const db = 'export const db = { async findUser(id: string) { return { id }; }, async insertViews(userId: string, pages: string[]) { return pages.length; } };\n';

  it('cleared and armed again on each view: the user’s pending views, not an expiring cache (untyped and typed)', () => {
    const files = { 'views.ts': views('  if (pendingViews[userId].timer) clearTimeout(pendingViews[userId].timer);'), 'db.ts': db };
    const expected = [
      '5:7 no-in-memory-session: `pendingViews` holds per-user state in this process; it is written by GET /pages/:page (views.ts:19). A second instance will not see it.',
    ];
    expect(untyped(files, 'views.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'views.ts', [...RULES])).toEqual(expected);
  });

  it('quiet look-alike: profiles loaded per user and dropped by a five-minute timer that nothing re-arms: a TTL cache, and no user’s state (untyped and typed)', () => {
    const files = {
      'profiles.ts': `import express from 'express';
import { db } from './db';

const app = express();
const profiles: Record<string, unknown> = {};

async function profileOf(userId: string) {
  if (!profiles[userId]) {
    profiles[userId] = await db.loadProfile(userId);
    setTimeout(() => {
      delete profiles[userId];
    }, 5 * 60 * 1000);
  }
  return profiles[userId];
}

app.get('/profiles/:id', async (req, res) => {
  res.json(await profileOf(req.params.id));
});
`,
      'db.ts': 'export const db = { async loadProfile(userId: string) { return { userId }; } };\n',
    };
    expect(untyped(files, 'profiles.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'profiles.ts', [...RULES])).toEqual([]);
  });
});

describe('registries of this process’s own handles', () => {
  const registry = `const fs = require('fs');

exports.openReads = {}; // closed before a file is removed
exports.tracks = {};

exports.removeMedia = (id) => {
  for (const stream of exports.openReads[id] || []) stream.destroy();
  delete exports.tracks[id];
  fs.unlinkSync('/srv/media/' + id);
};
`;
  const media = `const fs = require('fs');
const express = require('express');
const registry = require('./registry');
const db = require('./db');

const app = express();

app.get('/media/:id', async (req, res) => {
  const id = req.params.id;
  const file = await db.findFile(id);
  const stream = fs.createReadStream(file.path, { start: Number(req.query.from) || 0 });
  if (registry.openReads[id]) registry.openReads[id].push(stream);
  else registry.openReads[id] = [stream];
  stream.on('close', () => {
    registry.openReads[id].splice(registry.openReads[id].indexOf(stream), 1);
  });
  registry.tracks[id] = await db.findTrack(id);
  stream.pipe(res);
});

app.delete('/media/:id', (req, res) => {
  registry.removeMedia(req.params.id);
  res.end();
});
`;

  it('read streams kept per file, in another module, to close them before a delete: quiet; the track records loaded beside them stay a cache (untyped and typed)', () => {
    const files = { 'registry.js': registry, 'media.js': media, 'db.js': "exports.findTrack = async (id) => ({ id });\nexports.findFile = async (id) => ({ path: '/srv/media/' + id });\n" };
    const expected = [
      '4:9 no-process-local-cache: `tracks` caches shared data in this process; it is written by GET /media/:id (media.js:8) and 1 other route. When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'registry.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'registry.js', [...RULES])).toEqual(expected);
  });

  const jobs = `const schedule = require('node-schedule');
const express = require('express');
const store = require('./store');

const app = express();
const JOBS = {
  purge: { title: 'Purge old exports', handle: null },
  digest: { title: 'Send the weekly digest', handle: null },
};

function plan(key, when) {
  if (!when) return null;
  return schedule.scheduleJob(new Date(when), () => store.runJob(key));
}

app.post('/jobs/:key/plan', (req, res) => {
  const key = req.params.key;
  if (JOBS[key].handle) {
    JOBS[key].handle.cancel();
    JOBS[key].handle = null;
  }
  JOBS[key].handle = plan(key, req.body.when);
  res.json({ planned: Boolean(JOBS[key].handle) });
});
`;

  it('a job table whose entries keep the handles a wrapper of node-schedule gives back: quiet (untyped and typed)', () => {
    const files = { 'jobs.js': jobs, 'store.js': 'exports.runJob = async (key) => key;\n' };
    expect(untyped(files, 'jobs.js', [...RULES])).toEqual([]);
    expect(typed(files, 'jobs.js', [...RULES])).toEqual([]);
  });
});

describe('a memo re-fetched after a cut-off the code states', () => {
  const plans = (cutOff: string, extra = '', compared = 'cutOff') => `import express from 'express';
import { billing } from './billing';

const app = express();
const planByOrg: Record<string, unknown> = {};
const fetchedAt: Record<string, Date> = {};

export async function planOf(orgId: string) {
${cutOff}
  if (!planByOrg[orgId] || fetchedAt[orgId] <= ${compared}) {
    planByOrg[orgId] = await billing.fetchPlan(orgId);
    fetchedAt[orgId] = new Date();
  }
  return planByOrg[orgId];
}

export function resetPlans() {
  for (const orgId of Object.keys(planByOrg)) delete planByOrg[orgId];
}

app.get('/orgs/:id/plan', async (req, res) => {
  res.json(await planOf(req.params.id));
});
${extra}`;
  const billing = 'export const billing = { async fetchPlan(orgId: string) { return { orgId }; } };\n';
  const test = `import { resetPlans } from '../plans';\n\nafterEach(() => resetPlans());\n`;

  it('quiet: a minute-old cut-off (`new Date(Date.now() - 60 * 1000)`) is within the accepted staleness (untyped and typed)', () => {
    const files = { 'plans.ts': plans('  const cutOff = new Date(Date.now() - 60 * 1000);'), 'billing.ts': billing };
    expect(untyped(files, 'plans.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'plans.ts', [...RULES])).toEqual([]);
  });

  it('quiet: the cut-off written in the comparison (`fetchedAt[orgId] <= new Date(Date.now() - 30 * 1000)`); a day written so, cleared early by a route, stays reported (untyped and typed)', () => {
    const inPlace = { 'plans.ts': plans('', '', 'new Date(Date.now() - 30 * 1000)'), 'billing.ts': billing };
    expect(untyped(inPlace, 'plans.ts', [...RULES])).toEqual([]);
    expect(typed(inPlace, 'plans.ts', [...RULES])).toEqual([]);
    const upgrade = `\napp.post('/orgs/:id/upgrade', async (req, res) => {\n  await billing.fetchPlan(req.params.id);\n  resetPlans();\n  res.end();\n});\n`;
    const aDay = { 'plans.ts': plans('', upgrade, 'new Date(Date.now() - 24 * 60 * 60 * 1000)'), 'billing.ts': billing };
    const expected = [
      '5:7 no-process-local-cache: `planByOrg` caches shared data in this process; it is written by GET /orgs/:id/plan (plans.ts:21) and 1 other route. When another instance changes that data, this copy stays stale for up to 1 day (its TTL).',
    ];
    expect(untyped(aDay, 'plans.ts', [...RULES])).toEqual(expected);
    expect(typed(aDay, 'plans.ts', [...RULES])).toEqual(expected);
  });

  it('quiet: an hour’s cut-off (`cutOff.setHours(cutOff.getHours() - 1)`) that only a test’s reset helper clears early (untyped and typed)', () => {
    const files = { 'plans.ts': plans('  const cutOff = new Date();\n  cutOff.setHours(cutOff.getHours() - 1);'), 'billing.ts': billing, 'test/plans.test.ts': test };
    expect(untyped(files, 'plans.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'plans.ts', [...RULES])).toEqual([]);
  });

  it('an hour’s cut-off, cleared early by an upgrade route of this instance: stale elsewhere for up to an hour (untyped and typed)', () => {
    const upgrade = `\napp.post('/orgs/:id/upgrade', async (req, res) => {\n  await billing.fetchPlan(req.params.id);\n  resetPlans();\n  res.end();\n});\n`;
    const files = { 'plans.ts': plans('  const cutOff = new Date();\n  cutOff.setHours(cutOff.getHours() - 1);', upgrade), 'billing.ts': billing };
    const expected = [
      '5:7 no-process-local-cache: `planByOrg` caches shared data in this process; it is written by GET /orgs/:id/plan (plans.ts:22) and 1 other route. When another instance changes that data, this copy stays stale for up to 1 hour (its TTL).',
    ];
    expect(untyped(files, 'plans.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'plans.ts', [...RULES])).toEqual(expected);
  });
});

describe('a single list served while the stamp its load writes is young', () => {
  const catalog = (fresh: string) => `import express from 'express';
import { db } from './db';

interface Plan { id: string; price: number }

class PlanCatalog {
  private plans: Plan[] = [];
  private syncedAt: Date | null = null;

  async list(): Promise<Plan[]> {
    if (${fresh}) {
      return this.plans;
    }
    return this.load();
  }

  private async load(): Promise<Plan[]> {
    const rows = await db.plans.findMany();
    this.plans = rows;
    this.syncedAt = new Date();
    return rows;
  }
}

const catalog = new PlanCatalog();
const app = express();
app.get('/plans', async (_req, res) => {
  res.json(await catalog.list());
});
app.listen(3000);
`;
  const db = 'export const db = { plans: { async findMany() { return [{ id: "basic", price: 5 }]; } } };\n';

  it('quiet: served for ten seconds after the load (`this.syncedAt > new Date(Date.now() - 10 * 1000)`), a stated TTL (untyped and typed)', () => {
    const files = { 'catalog.ts': catalog('this.syncedAt && this.plans.length > 0 && this.syncedAt > new Date(Date.now() - 10 * 1000)'), 'db.ts': db };
    expect(untyped(files, 'catalog.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'catalog.ts', [...RULES])).toEqual([]);
  });

  it('stays reported: the same list served whenever it is loaded, whatever its age (untyped and typed)', () => {
    const files = { 'catalog.ts': catalog('this.syncedAt && this.plans.length > 0'), 'db.ts': db };
    const expected = [
      '7:11 no-process-local-cache: `plans` caches shared data in this process; it is written by GET /plans (catalog.ts:27). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'catalog.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'catalog.ts', [...RULES])).toEqual(expected);
  });
});

describe('clients built from settings a request saved, kept per name', () => {
  const providers = `import express from 'express';
import { OidcProvider, type ProviderSettings } from './oidc';
import { db } from './db';

class LoginProviders {
  providers: Map<string, OidcProvider> = new Map();

  configure(name: string, settings: ProviderSettings) {
    const existing = this.providers.get(name);
    if (existing) {
      existing.reconfigure(settings);
      return;
    }
    const provider = new OidcProvider(name, settings);
    this.providers.set(name, provider);
  }
}

export const loginProviders = new LoginProviders();
const app = express();

app.put('/admin/login-methods', async (req, res) => {
  await db.saveLoginMethods(req.body.methods);
  req.body.methods.forEach((method: { name: string; settings: ProviderSettings }) => loginProviders.configure(method.name, method.settings));
  res.end();
});
`;
  const oidc = `export interface ProviderSettings { clientId: string; issuer: string }
export class OidcProvider {
  constructor(readonly name: string, private settings: ProviderSettings) {}
  reconfigure(settings: ProviderSettings) { this.settings = settings; }
}
`;
  const db = 'export const db = { async saveLoginMethods(methods: unknown[]) { return methods.length; } };\n';

  it('a map of login providers rebuilt from the methods an admin saved: a cache of settings, not a user’s session (untyped and typed)', () => {
    const files = { 'providers.ts': providers, 'oidc.ts': oidc, 'db.ts': db };
    const expected = [
      '6:3 no-process-local-cache: `providers` caches shared data in this process; it is written by PUT /admin/login-methods (providers.ts:22). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'providers.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'providers.ts', [...RULES])).toEqual(expected);
  });

  it('look-alike: API clients made per login under a fresh id stay a session (untyped and typed)', () => {
    const files = {
      'clients.ts': `import express from 'express';
import { randomUUID } from 'node:crypto';
import { RemoteAccount } from './remote-account';

const app = express();
const apiClients = new Map<string, RemoteAccount>();

function connect(token: string) {
  const id = randomUUID();
  apiClients.set(id, new RemoteAccount(token));
  return id;
}

app.post('/connect', (req, res) => {
  res.json({ id: connect(req.body.token) });
});
`,
      'remote-account.ts': 'export class RemoteAccount { constructor(readonly token: string) {} }\n',
    };
    const expected = [
      '6:7 no-in-memory-session: `apiClients` holds per-user state in this process; it is written by POST /connect (clients.ts:14). A second instance will not see it.',
    ];
    expect(untyped(files, 'clients.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'clients.ts', [...RULES])).toEqual(expected);
  });
});

describe('a value a request sets and saves as a setting', () => {
  const storage = (save: string) => `const express = require('express');
const config = require('./config');

const app = express();
let storageBackend = config.getConfigItem('storage_backend');

function switchBackend(target) {
  storageBackend = target === 'remote' ? 'remote' : 'local';
${save}
}

app.post('/admin/storage', (req, res) => {
  switchBackend(req.body.target);
  res.json({ storageBackend });
});
`;
  const config = `const settings = {};\nexports.getConfigItem = (key) => settings[key];\nexports.setConfigItem = (key, value) => { settings[key] = value; };\nexports.setPreference = (user, value) => value;\n`;

  it('saved under its setting’s name: each instance’s copy of that setting (untyped and typed)', () => {
    const files = { 'storage.js': storage("  config.setConfigItem('storage_backend', storageBackend);"), 'config.js': config };
    const expected = [
      '5:5 no-process-local-cache: `storageBackend` caches shared data in this process; it is written by POST /admin/storage (storage.js:12). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'storage.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'storage.js', [...RULES])).toEqual(expected);
  });

  it('look-alike: saved under a name the caller passes, not a setting’s, stays where it was (untyped and typed)', () => {
    const files = { 'storage.js': storage('  config.setPreference(target, storageBackend);'), 'config.js': config };
    const expected = [
      '5:5 no-in-memory-session: `storageBackend` holds application data in this process; it is written by POST /admin/storage (storage.js:12). A second instance will not see it.',
    ];
    expect(untyped(files, 'storage.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'storage.js', [...RULES])).toEqual(expected);
  });
});
