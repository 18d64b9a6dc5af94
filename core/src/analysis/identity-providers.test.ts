import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// What an identity provider publishes, kept per issuer (held-out round 29: tududi's discovered OIDC
// issuers; the corpus labels the same memo quiet in HedgeDoc, Pingvin Share and GrowthBook's JWKS
// middleware): the issuer found from its discovery document, a client made from it, and JWT
// middleware verifying against a remote key set. The provider's metadata and keys are the same on
// every instance and the libraries fetch and rotate them. Stays reported: an OAuth client of another
// kind built from a provider row a route edits (a copy of that row, stale on the other instances).

afterAll(removeAnalysedProjects);

const STATE_RULES = ['no-in-memory-session', 'no-process-local-cache', 'no-in-process-lock', 'no-in-memory-counter'] as const;

const files = {
  'package.json': '{ "name": "sso", "type": "commonjs" }',
  'src/providers.js': `const providers = {
  google: { issuer: process.env.GOOGLE_ISSUER, clientId: process.env.GOOGLE_CLIENT_ID },
  corporate: { issuer: process.env.CORP_ISSUER, clientId: process.env.CORP_CLIENT_ID },
};

module.exports = { providers };
`,
  'src/oidc.js': `const { Issuer } = require('openid-client');
const { providers } = require('./providers');

const issuers = new Map();

async function discover(config) {
  if (issuers.has(config.issuer)) return issuers.get(config.issuer);
  const issuer = await Issuer.discover(config.issuer);
  issuers.set(config.issuer, issuer);
  return issuer;
}

async function loginUrl(slug) {
  const config = providers[slug];
  const issuer = await discover(config);
  const client = new issuer.Client({ client_id: config.clientId });
  return client.authorizationUrl({ scope: 'openid email' });
}

module.exports = { loginUrl };
`,
  'src/verify.js': `const jwks = require('jwks-rsa');
const { expressjwt } = require('express-jwt');
const { providers } = require('./providers');

const verifiers = {};

function verifyToken(req, res, next) {
  const config = providers.corporate;
  let middleware = verifiers[config.issuer];
  if (!middleware) {
    const secret = jwks.expressJwtSecret({ jwksUri: config.issuer + '/.well-known/jwks.json', cache: true });
    middleware = expressjwt({ secret, algorithms: ['RS256'] });
    verifiers[config.issuer] = middleware;
  }
  middleware(req, res, next);
}

module.exports = { verifyToken };
`,
  'src/oauth.js': `const { AuthorizationCode } = require('simple-oauth2');
const db = require('./db');

const clients = {};

async function oauthClient(name) {
  if (!clients[name]) {
    const row = await db.findProvider(name);
    clients[name] = new AuthorizationCode({ client: { id: row.clientId, secret: row.clientSecret }, auth: { tokenHost: row.tokenUrl } });
  }
  return clients[name];
}

module.exports = { oauthClient };
`,
  'src/db.js': `const { Pool } = require('pg');

const pool = new Pool();

async function findProvider(name) {
  const result = await pool.query('SELECT * FROM providers WHERE name = $1', [name]);
  return result.rows[0];
}

async function saveProvider(name, fields) {
  await pool.query('UPDATE providers SET client_id = $2 WHERE name = $1', [name, fields.clientId]);
}

module.exports = { findProvider, saveProvider };
`,
  'src/server.js': `const express = require('express');
const { loginUrl } = require('./oidc');
const { verifyToken } = require('./verify');
const { oauthClient } = require('./oauth');
const db = require('./db');

const app = express();
app.get('/auth/:slug', async (req, res) => {
  res.redirect(await loginUrl(req.params.slug));
});
app.get('/me', verifyToken, (req, res) => {
  res.json(req.auth);
});
app.get('/oauth/:name', async (req, res) => {
  const client = await oauthClient(req.params.name);
  res.redirect(client.authorizeURL({ redirect_uri: 'https://app.example.com/callback' }));
});
app.put('/providers/:name', async (req, res) => {
  await db.saveProvider(req.params.name, req.body);
  res.sendStatus(204);
});
app.listen(3000);
`,
};

describe('what an identity provider publishes, kept per issuer', () => {
  it('discovered issuers and JWKS-backed middleware are no cache of shared data (untyped and typed)', () => {
    for (const file of ['src/oidc.js', 'src/verify.js']) {
      const result = untyped(files, file, [...STATE_RULES]);
      expect(result).toEqual(typed(files, file, [...STATE_RULES]));
      expect(result).toEqual([]);
    }
  });

  it('an OAuth client built from a provider row a route edits stays reported', () => {
    const result = untyped(files, 'src/oauth.js', [...STATE_RULES]);
    expect(result).toEqual(typed(files, 'src/oauth.js', [...STATE_RULES]));
    expect(result).toEqual([
      '4:7 no-process-local-cache: `clients` caches shared data in this process; it is written by GET /oauth/:name (src/server.js:14). When another instance changes that data, this copy stays stale until this process restarts.',
    ]);
  });
});
