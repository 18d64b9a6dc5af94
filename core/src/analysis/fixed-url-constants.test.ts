import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A copy of what a fixed third-party URL answers, the URL named once at the top of the file
// (`const TOKEN_URL = 'https://…/oauth/token'`) rather than written in the call: an access token this
// process asks a partner API for, kept until that API rejects it and asked for again. Every instance
// asks for its own; nothing a request does on another instance changes it, so it is reference data,
// as `fetch('https://…')` with the URL written in place already is. The look-alike that stays
// reported: the same memo filled from a URL the service's settings give (an API of its own, whose
// data changes through the app).

afterAll(removeAnalysedProjects);

const rules = ['no-process-local-cache' as const, 'no-in-memory-session' as const];

const partner = (url: string) => `import { settings } from './settings';

const TOKEN_URL = 'https://auth.partner.example/oauth/token';
let accessToken: string | undefined;

async function partnerToken(renew = false): Promise<string | undefined> {
  if (accessToken && !renew) return accessToken;
  const grant = await fetch(${url}, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) }).then((r) => r.json());
  if (grant?.access_token) accessToken = grant.access_token;
  return accessToken;
}

export async function shipmentStatus(id: string) {
  let token = await partnerToken();
  let answer = await fetch('https://api.partner.example/shipments/' + encodeURIComponent(id), { headers: { authorization: 'Bearer ' + token } });
  if (answer.status === 401) {
    token = await partnerToken(true);
    answer = await fetch('https://api.partner.example/shipments/' + encodeURIComponent(id), { headers: { authorization: 'Bearer ' + token } });
  }
  return answer.json();
}

void settings;
`;

const settings = `export const settings = { tokenUrl: process.env.TOKEN_URL ?? 'http://localhost:8080/token' };
`;

const routes = `import express from 'express';
import { shipmentStatus } from './partner';

const app = express();
app.get('/shipments/:id', async (req, res) => {
  res.json(await shipmentStatus(req.params.id));
});
app.listen(3000);
`;

describe('a token asked of a fixed third-party URL named by a module constant', () => {
  it('quiet: the URL is a constant of the file; every instance asks for its own token (untyped and typed)', () => {
    const files = { 'partner.ts': partner('TOKEN_URL'), 'settings.ts': settings, 'routes.ts': routes };
    expect(untyped(files, 'partner.ts', rules)).toEqual([]);
    expect(typed(files, 'partner.ts', rules)).toEqual([]);
  });

  it('the same memo filled from a URL the settings give: reported (untyped and typed)', () => {
    const files = { 'partner.ts': partner('settings.tokenUrl'), 'settings.ts': settings, 'routes.ts': routes };
    const expected = [
      '4:5 no-process-local-cache: `accessToken` caches shared data in this process; it is written by GET /shipments/:id (routes.ts:5). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'partner.ts', rules)).toEqual(expected);
    expect(typed(files, 'partner.ts', rules)).toEqual(expected);
  });
});
