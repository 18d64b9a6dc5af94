import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A notes server's API (round 36b's follow-up): most routes go through a second helper of the routes
// module that hands its arguments to the first, `function apiRoute(method, path, handler) { route(method,
// path, [auth], handler, resultHandler); }`, over `route`, which registers `router[method](path, …)`.
// A verb helper does the same with its verb written (`const post = (path, handler) => route('post', …)`).
// A wrapper that writes no verb, or hands on no argument of its own as the handler, registers nothing of the call's.

afterAll(removeAnalysedProjects);

const routes = (wrapper: string, registration: string) => `const express = require('express');
const login = require('./login.js');

const GET = 'get', PST = 'post';
const router = express.Router();
const auth = (req, res, next) => next();
const fallback = (req, res) => res.sendStatus(404);

function route(method, path, middleware, routeHandler, resultHandler) {
  router[method](path, ...middleware, (req, res, next) => {
    const result = routeHandler(req, res, next);
    if (resultHandler) resultHandler(req, res, result);
  });
}

${wrapper}

function register(app) {
  ${registration}
  app.use('/', router);
}

module.exports = { register };
`;

const files = (wrapper: string, registration: string) => ({
  'src/app.js': `const express = require('express');
const routes = require('./routes/routes.js');

const app = express();
routes.register(app);
app.listen(3000);
`,
  'src/routes/routes.js': routes(wrapper, registration),
  'src/routes/login.js': `const crypto = require('crypto');

function login(req) {
  return crypto.scryptSync(req.body.password, 'salt', 32).toString('hex');
}

module.exports = { login };
`,
});

const blocking = (route: string, line: number) =>
  `4:10 no-blocking-request-work: \`crypto.scryptSync\` blocks the event loop on ${route} (src/routes/routes.js:${line}): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.`;

const API_ROUTE = `function apiRoute(method, path, routeHandler) {
  route(method, path, [auth], routeHandler, (req, res, result) => res.send(result));
}`;

describe('a route helper that registers through another helper of its module', () => {
  it('a call of the wrapper is the route the inner helper registers (typed and untyped)', () => {
    const project = files(API_ROUTE, "apiRoute(PST, '/api/login', login.login);");
    expect(typedFindings(project, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([blocking('POST /api/login', 21)]);
    expect(untypedFindings(project, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([blocking('POST /api/login', 21)]);
  });

  it('a wrapper of the wrapper, and a verb helper that writes its verb', () => {
    const wrappers = `${API_ROUTE}

function adminRoute(method, path, routeHandler) {
  apiRoute(method, path, routeHandler);
}

const post = (path, routeHandler) => route('post', path, [], routeHandler);`;
    const twice = files(wrappers, "adminRoute(GET, '/admin/login', login.login);");
    expect(untypedFindings(twice, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([blocking('GET /admin/login', 27)]);
    expect(typedFindings(twice, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([blocking('GET /admin/login', 27)]);
    const verb = files(wrappers, "post('/login', login.login);");
    expect(untypedFindings(verb, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([blocking('POST /login', 27)]);
    expect(typedFindings(verb, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([blocking('POST /login', 27)]);
  });

  it('a wrapper that writes no verb, or hands on a handler of its own, registers nothing of the call', () => {
    const model = files("function model(path, routeHandler) {\n  route('model', path, [], routeHandler);\n}", "model('/login', login.login);");
    expect(untypedFindings(model, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([]);
    expect(typedFindings(model, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([]);
    const own = files("function notFound(method, path, reason) {\n  route(method, path, [], fallback);\n  return reason;\n}", "notFound(GET, '/login', login.login);");
    expect(untypedFindings(own, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([]);
    expect(typedFindings(own, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([]);
  });
});
