import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A cache library kept as the store of logins in flight: the route that starts an OAuth or OIDC login puts the
// PKCE verifier under the state it draws and hands the identity provider; the callback reads it back by that
// state. Behind a load balancer the callback often lands on another instance, which has no entry: the login fails.

afterAll(removeAnalysedProjects);

const untyped = (files: Record<string, string>, file: string): string[] => untypedFindings(files, file, ['no-in-memory-session', 'no-process-local-cache']);
const typed = (files: Record<string, string>, file: string): string[] => typedFindings(files, file, ['no-in-memory-session', 'no-process-local-cache']);

describe('a cache library holding the logins a callback finishes', () => {
  it('reports the LRU the login route fills under a drawn state and the callback reads, typed and untyped', () => {
    const files = {
      'src/auth.ts': `import Fastify from 'fastify';
import { LRUCache } from 'lru-cache';
import { generators, Issuer } from 'openid-client';

const pending = new LRUCache<string, { codeVerifier: string }>({ max: 500, ttl: 5 * 60 * 1000 });
const issuer = await Issuer.discover(String(process.env.OIDC_ISSUER));
const client = new issuer.Client({ client_id: String(process.env.OIDC_CLIENT_ID), redirect_uris: ['https://desk.example.com/callback'] });
const app = Fastify();

app.get('/auth/login', async (_request, reply) => {
  switch (process.env.SSO) {
    case 'oidc':
      const codeVerifier = generators.codeVerifier();
      const state = generators.state();
      pending.set(state, { codeVerifier });
      return reply.redirect(client.authorizationUrl({ state, code_challenge: generators.codeChallenge(codeVerifier) }));
    default:
      return reply.code(404).send();
  }
});

app.get('/auth/callback', async (request, reply) => {
  const params = client.callbackParams(request.raw);
  const login = pending.get(String(params.state));
  if (!login) return reply.code(400).send('Invalid or expired login');
  pending.delete(String(params.state));
  return client.callback('https://desk.example.com/callback', params, { code_verifier: login.codeVerifier, state: params.state });
});
`,
    };
    const expected = ['5:17 no-in-memory-session: `pending` holds per-user state in this process; it is written by GET /auth/login (src/auth.ts:10). A second instance will not see it.'];
    expect(untyped(files, 'src/auth.ts')).toEqual(expected);
    expect(typed(files, 'src/auth.ts')).toEqual(expected);
  });

  it('quiet: an LRU of rendered pages keyed by path, and one whose drawn keys only the same route reads', () => {
    const files = {
      'src/app.ts': `import express from 'express';
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const pages = new LRUCache<string, string>({ max: 100, ttl: 60_000 });
const attempts = new LRUCache<string, number>({ max: 100, ttl: 60_000 });
const app = express();
app.get('/docs/:page', (req, res) => {
  const cached = pages.get(req.params.page);
  if (cached) return res.send(cached);
  const html = '<h1>' + req.params.page + '</h1>';
  pages.set(req.params.page, html);
  res.send(html);
});
app.post('/uploads', (req, res) => {
  const id = randomUUID();
  attempts.set(id, 1);
  res.json({ id, seen: attempts.has(id) });
});
app.listen(3000);
`,
    };
    expect(untyped(files, 'src/app.ts')).toEqual([]);
    expect(typed(files, 'src/app.ts')).toEqual([]);
  });
});
