import type * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { getRequestGraph } from '../index';
import { analyseTyped, analyseUntyped, describeFindings, removeAnalysedProjects } from '../testing/project-findings';

// Routes kept in an object keyed by method and path ('post /api/notes': { controller }) and registered
// by a loop that splits each key: each key is an entry, registered where the key is written.

afterAll(removeAnalysedProjects);

function untypedEntries(files: Record<string, string>, file: string): { entries: string[]; findings: string[] } {
  const { sourceFile, findings, root, index } = analyseUntyped(files, file);
  const graph = getRequestGraph(sourceFile, { projectIndex: index, projectRoot: root });
  const line = (node: ts.Node): number => node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
  return {
    entries: graph.entries.map((entry) => `${entry.label} (${graph.displayPath(entry.registration.getSourceFile().fileName)}:${line(entry.registration)})`),
    findings: describeFindings(sourceFile, findings),
  };
}

const NOTES_CONTROLLER = `const caught = require('./caught');
const drafts = new Map();
module.exports = function NotesController(store) {
  async function saveDraft(req, res) {
    drafts.set(req.user.id, req.body);
    res.status(201).end();
  }
  async function list(req, res) {
    res.json(await store.all());
  }
  return Object.freeze({ saveDraft: caught(saveDraft), list: caught(list) });
};
`;
const ROUTES = `const NotesController = require('./notes.controller');
function getRoutes(store) {
  const notes = NotesController(store);
  const routes = {};
  const coreRoutes = {
    'post /api/notes/draft': { signedIn: true, controller: notes.saveDraft },
    'get /api/notes': { signedIn: false, controller: notes.list },
  };
  Object.assign(routes, coreRoutes);
  return routes;
}
module.exports = getRoutes;
`;
const SETUP = `const express = require('express');
const getRoutes = require('./routes');
const requireUser = (req, res, next) => next();
function setupRoutes(store) {
  const router = express.Router();
  const routes = getRoutes(store);
  Object.keys(routes).forEach((key) => {
    const parts = key.split(' ');
    const method = parts[0];
    const path = parts[1];
    const params = [];
    if (routes[key].signedIn) params.push(requireUser);
    params.push(routes[key].controller);
    router[method](path, ...params);
  });
  return router;
}
module.exports = { setupRoutes };
`;
const APP = `const express = require('express');
const { setupRoutes } = require('./setup');
const app = express();
app.use(setupRoutes({ all: async () => [] }));
app.listen(3000);
`;
const CAUGHT = `module.exports = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
`;
const SESSION = '2:7 no-in-memory-session: `drafts` holds per-user state in this process; it is written by POST /api/notes/draft (api/routes.js:6). A second instance will not see it.';
const FILES = { 'api/caught.js': CAUGHT, 'api/notes.controller.js': NOTES_CONTROLLER, 'api/routes.js': ROUTES, 'api/setup.js': SETUP, 'api/app.js': APP };

describe('a table keyed by method and path, registered by a loop over its keys', () => {
  it('untyped: each key is a route, registered where the key is written, with the controller its row names', () => {
    const result = untypedEntries(FILES, 'api/notes.controller.js');
    // The wrapper's returned function and the controller it wraps are both entries of the route.
    expect(result.entries.filter((entry) => entry.includes('/api/'))).toEqual(['POST /api/notes/draft (api/routes.js:6)', 'POST /api/notes/draft (api/routes.js:6)', 'GET /api/notes (api/routes.js:7)', 'GET /api/notes (api/routes.js:7)']);
    expect(result.findings).toEqual([SESSION]);
  });

  it('typed: the same routes', () => {
    const { sourceFile, findings } = analyseTyped(FILES, 'api/notes.controller.js');
    expect(describeFindings(sourceFile, findings)).toEqual([SESSION]);
  });
});

describe('look-alikes: tables of paths that no server registers', () => {
  it('a client that calls the API by a table of method and path keys, and a table no loop registers', () => {
    const files = {
      'web/api.js': `const axios = require('axios');
const cache = new Map();
const endpoints = {
  'post /api/notes/draft': { remember: (body) => cache.set(body.id, body) },
  'get /api/notes': { remember: () => cache.clear() },
};
const client = axios.create({ baseURL: '/' });
Object.keys(endpoints).forEach((key) => {
  const [method, path] = key.split(' ');
  client[method](path, endpoints[key].remember);
});
module.exports = { endpoints };
`,
      'server/app.js': `const express = require('express');
const docs = {
  'post /api/notes/draft': { summary: 'save a draft', example: (store) => store.set('x', 1) },
};
const app = express();
app.get('/docs', (req, res) => res.json(Object.keys(docs)));
app.listen(3000);
`,
    };
    expect(untypedEntries(files, 'web/api.js').entries).toEqual(['GET /docs (server/app.js:6)']);
    expect(untypedEntries(files, 'web/api.js').findings).toEqual([]);
  });
});
