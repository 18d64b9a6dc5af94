import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Idiom classes behind misses of no-process-local-cache read in the corpus (issue 12's sixth cache
// pass), written here in other shapes: each hazard, and the look-alikes that stay quiet.

afterAll(removeAnalysedProjects);

const RULES = ['no-process-local-cache', 'no-in-memory-session', 'no-in-memory-counter'] as const;

describe('data a request hangs on the Express app itself', () => {
  const files = {
    'app.js': `const express = require('express');
const { buildArticleIndex } = require('./search');
const app = express();
app.use(express.json());
app.use('/articles', require('./routes/articles'));
buildArticleIndex(app).then(() => app.listen(3000));
`,
    'db.js': `const { Pool } = require('pg');
module.exports = new Pool();
`,
    'search.js': `const Fuse = require('fuse.js');
const db = require('./db');

async function buildArticleIndex(app) {
  const { rows } = await db.query('SELECT id, title, body FROM articles');
  const index = new Fuse(rows, { keys: ['title', 'body'] });
  app.articleIndex = index;
}

module.exports = { buildArticleIndex };
`,
    'routes/articles.js': `const router = require('express').Router();
const db = require('../db');
const { buildArticleIndex } = require('../search');

router.get('/search', (req, res) => res.json(req.app.articleIndex.search(req.query.q)));
router.post('/', async (req, res) => {
  await db.query('INSERT INTO articles (title, body) VALUES ($1, $2)', [req.body.title, req.body.body]);
  await buildArticleIndex(req.app);
  res.sendStatus(201);
});
router.put('/featured', async (req, res) => {
  await db.query('UPDATE articles SET featured = true WHERE id = $1', [req.body.id]);
  const { rows } = await db.query('SELECT id, title FROM articles WHERE featured');
  req.app.featured = rows;
  res.sendStatus(204);
});
router.get('/featured', (req, res) => res.json(req.app.featured || []));
module.exports = router;
`,
  };

  it('an index a helper handed req.app rebuilds from the database is a cache on the app (untyped and typed)', () => {
    const expected = [
      "7:7 no-process-local-cache: `app.articleIndex` caches shared data in this process; it is written by POST /articles (routes/articles.js:6). When another instance changes that data, this copy stays stale until this process restarts.",
    ];
    expect(untyped(files, 'search.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'search.js', [...RULES])).toEqual(expected);
  });

  it('rows a route loads and sets on req.app are a cache on the app (untyped and typed)', () => {
    const expected = [
      "14:11 no-process-local-cache: `app.featured` caches shared data in this process; it is written by PUT /articles/featured (routes/articles.js:11). When another instance changes that data, this copy stays stale until this process restarts.",
    ];
    expect(untyped(files, 'routes/articles.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'routes/articles.js', [...RULES])).toEqual(expected);
  });

  it("a request's own data kept per user on req.app stays a session; a value read from a settings file is no user's", () => {
    const routes = `const router = require('express').Router();
const fs = require('fs');

const readSettings = () => JSON.parse(fs.readFileSync('settings.json', 'utf8'));

router.post('/cart', (req, res) => {
  req.app.carts = req.app.carts || {};
  req.app.carts[req.body.user] = req.body.items;
  res.sendStatus(204);
});
router.post('/settings/reload', (req, res) => {
  req.app.settings2 = readSettings();
  res.sendStatus(204);
});
module.exports = router;
`;
    const withRoutes = { ...files, 'routes/articles.js': routes };
    const expected = ['7:11 no-in-memory-session: `app.carts` holds per-user state in this process; it is written by POST /articles/cart (routes/articles.js:6). A second instance will not see it.'];
    expect(untyped(withRoutes, 'routes/articles.js', [...RULES])).toEqual(expected);
    expect(typed(withRoutes, 'routes/articles.js', [...RULES])).toEqual(expected);
  });

  it('quiet: an app parameter handed a row the request loaded, and an index built only at start-up', () => {
    const quiet = {
      ...files,
      'routes/articles.js': `const router = require('express').Router();
const db = require('../db');

function rename(app, name) {
  app.name = name;
  return db.query('UPDATE apps SET name = $1 WHERE id = $2', [name, app.id]);
}

router.get('/search', (req, res) => res.json(req.app.articleIndex.search(req.query.q)));
router.put('/apps/:id', async (req, res) => {
  const { rows } = await db.query('SELECT * FROM apps WHERE id = $1', [req.params.id]);
  const app = rows[0];
  await rename(app, req.body.name);
  res.json(app);
});
module.exports = router;
`,
    };
    expect(untyped(quiet, 'routes/articles.js', [...RULES])).toEqual([]);
    expect(typed(quiet, 'routes/articles.js', [...RULES])).toEqual([]);
    expect(untyped(quiet, 'search.js', [...RULES])).toEqual([]);
    expect(typed(quiet, 'search.js', [...RULES])).toEqual([]);
  });
});

describe("a passport strategy's verify given as a method of the service's own, referenced or bound", () => {
  const files = {
    'src/server.js': `import express from 'express';
import passport from 'passport';
import { Auth } from './auth.js';

const app = express();
const auth = new Auth();
auth.init();
app.use(passport.initialize());
app.get('/api/me', passport.authenticate('jwt', { session: false }), (req, res) => res.json(req.user));
app.listen(3000);
`,
    'src/auth.js': `import passport from 'passport';
import { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';
import { TokenService } from './tokens.js';

export class Auth {
  constructor() {
    this.tokens = new TokenService();
  }

  init() {
    const options = { secretOrKey: process.env.JWT_SECRET, jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken() };
    passport.use(new JwtStrategy(options, this.tokens.verifyApiKey.bind(this.tokens)));
  }
}
`,
    'src/tokens.js': `import { db } from './db.js';

const keys = new Map();

export class TokenService {
  async verifyApiKey(payload, done) {
    let key = keys.get(payload.keyId);
    if (!key) {
      key = await db.apiKeys.findById(payload.keyId);
      keys.set(payload.keyId, key);
    }
    done(null, key && key.active ? key.user : false);
  }
}
`,
    'src/db.js': `export const db = { apiKeys: { async findById(id) { return { id, active: true, user: {} }; } } };
`,
  };

  it('the bound method runs on the requests the strategy authenticates: the keys it memoizes from the database are a cache (untyped and typed)', () => {
    const expected = [
      "3:7 no-process-local-cache: `keys` caches shared data in this process; it is written by passport sign-in (passport-jwt strategy's verify, src/auth.js:12). When another instance changes that data, this copy stays stale until this process restarts.",
    ];
    expect(untyped(files, 'src/tokens.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'src/tokens.js', [...RULES])).toEqual(expected);
  });

  it('quiet: the same method bound as the callback of a class of the project that is no strategy', () => {
    const quiet = { ...files, 'src/auth.js': files['src/auth.js'].replace("import { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';", "import { Strategy as JwtStrategy, ExtractJwt } from './local-strategy.js';"), 'src/local-strategy.js': 'export class Strategy { constructor(options, verify) { this.verify = verify; } }\nexport const ExtractJwt = { fromAuthHeaderAsBearerToken() { return () => null; } };\n' };
    expect(untyped(quiet, 'src/tokens.js', [...RULES])).toEqual([]);
    expect(typed(quiet, 'src/tokens.js', [...RULES])).toEqual([]);
  });
});
