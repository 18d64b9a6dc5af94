import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A notes server's routes (held-out round 36b): a helper `route(method, path, middleware, handler)` of
// the routes module registers `router[method](path, ...middleware, (req, res, next) => …)`, whose
// inline handler runs the given one inside a context callback, and every call names its verb by a
// constant of the module: `const GET = 'get', PST = 'post'; route(PST, '/login', [limiter], login.login)`.
// A constant whose text is no verb, or a verb in a variable that changes, names no route.

afterAll(removeAnalysedProjects);

const routes = (declarations: string, verb: string) => `const express = require('express');
const login = require('./login.js');

${declarations}

function run(callback) {
  return callback();
}

function register(app) {
  const router = express.Router();

  function route(method, path, middleware, routeHandler) {
    router[method](path, ...middleware, (req, res, next) => {
      try {
        run(() => {
          const cb = () => routeHandler(req, res, next);
          return cb();
        });
      } catch (e) {
        next(e);
      }
    });
  }

  route(${verb}, '/login', [], login.login);
  app.use('/', router);
}

module.exports = { register };
`;

const files = (declarations: string, verb: string) => ({
  'src/app.js': `const express = require('express');
const routes = require('./routes/routes.js');

const app = express();
routes.register(app);
app.listen(3000);
`,
  'src/routes/routes.js': routes(declarations, verb),
  'src/routes/login.js': `const crypto = require('crypto');

function login(req, res) {
  const hash = crypto.scryptSync(req.body.password, 'salt', 32);
  res.send(hash.toString('hex'));
}

module.exports = { login };
`,
});

const blocking =
  '4:16 no-blocking-request-work: `crypto.scryptSync` blocks the event loop on POST /login (src/routes/routes.js:26): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.';

describe("a route helper's verb given by a constant of the calling module", () => {
  it('is the route the call registers (typed and untyped)', () => {
    const project = files("const GET = 'get', PST = 'post';", 'PST');
    expect(typedFindings(project, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([blocking]);
    expect(untypedFindings(project, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([blocking]);
  });

  it('a constant whose text is no verb names no route', () => {
    const project = files("const KIND = 'model';", 'KIND');
    expect(typedFindings(project, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([]);
    expect(untypedFindings(project, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([]);
  });

  it('a verb kept in a variable the module changes names no route', () => {
    const project = files("let verb = 'post';\nverb = process.env.LOGIN_VERB;", 'verb');
    expect(typedFindings(project, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([]);
    expect(untypedFindings(project, 'src/routes/login.js', ['no-blocking-request-work'])).toEqual([]);
  });
});
