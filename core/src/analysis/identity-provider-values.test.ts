import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A sign-in module keeps the provider's discovered configuration in one variable, with the hash of
// the settings it was fetched with (`cachedConfig = await oidc.discovery(issuerUrl, clientId, secret)`),
// reset to null when discovery fails: what the identity provider publishes, the same for every
// instance, as a map of discovered issuers is. The look-alike keeps the sign-in settings loaded from
// the database in the same shape, dropped by the route that saves them: a cache of shared data.

afterAll(removeAnalysedProjects);

const sso = (load: string) => `import crypto from 'node:crypto';
import * as oidc from 'openid-client';
import { db } from './db';

let cachedConfig: unknown = null;
let cachedConfigKey = '';

function configKey(issuer: string, clientId: string): string {
  return crypto.createHash('sha256').update(issuer + '\\n' + clientId).digest('hex');
}

export async function getConfig(issuer: string, clientId: string, secret: string): Promise<unknown> {
  const key = configKey(issuer, clientId);
  if (cachedConfig && cachedConfigKey === key) return cachedConfig;
  try {
    cachedConfig = ${load};
    cachedConfigKey = key;
    return cachedConfig;
  } catch (err) {
    cachedConfig = null;
    throw err;
  }
}

export function forgetConfig(): void {
  cachedConfig = null;
}
`;

const routes = `import express from 'express';
import { forgetConfig, getConfig } from './sso';

const app = express();
app.get('/auth/sso/authorize', async (req, res) => {
  const config = await getConfig(String(process.env.ISSUER), String(process.env.CLIENT_ID), String(process.env.SECRET));
  res.json({ ok: Boolean(config) });
});
app.put('/settings/sso', (req, res) => {
  forgetConfig();
  res.sendStatus(204);
});
app.listen(3000);
`;

const db = `export const db = { settings: { findOne: async (query: object) => ({ query }) } };
`;

const RULES = ['no-in-memory-session', 'no-process-local-cache', 'no-in-process-lock'] as const;
const DISCOVERED = 'await oidc.discovery(new URL(issuer), clientId, secret)';
const LOADED = "await db.settings.findOne({ key: 'sso' })";
const project = (load: string) => ({ 'sso.ts': sso(load), 'routes.ts': routes, 'db.ts': db });
const places = (findings: string[]) => findings.map((finding) => finding.split(':').slice(0, 2).join(':'));

describe("an identity provider's discovered configuration kept in one variable", () => {
  it('is the provider’s, not a cache of shared data (typed)', () => {
    expect(typedFindings(project(DISCOVERED), 'sso.ts', [...RULES])).toEqual([]);
  });

  it('is the provider’s, not a cache of shared data (untyped)', () => {
    expect(untypedFindings(project(DISCOVERED), 'sso.ts', [...RULES])).toEqual([]);
  });

  it('sign-in settings loaded from the database in the same shape stay a cache (typed)', () => {
    expect(places(typedFindings(project(LOADED), 'sso.ts', [...RULES]))).toEqual(['5:5 no-process-local-cache']);
  });

  it('sign-in settings loaded from the database in the same shape stay a cache (untyped)', () => {
    expect(places(untypedFindings(project(LOADED), 'sso.ts', [...RULES]))).toEqual(['5:5 no-process-local-cache']);
  });
});
