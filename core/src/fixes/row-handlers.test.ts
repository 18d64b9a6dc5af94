import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// A hand-written router over `http.createServer`: a table of `{ method, pattern, handler }` rows,
// `return route.handler(req, res, params)` for the row that matches. As with a framework's handlers,
// nothing waits for what a row's handler returns: made async where it stands in the table, it runs
// the same. A function whose value a row's caller uses (`const body = route.render(req)`) is a call,
// and making it async is still refused.
const SERVER_JS = `const http = require('http');
const handle = require('./router');
http.createServer(function (req, res) {
  handle(req, res);
}).listen(3000);
`;

const ROUTER_JS = `const desk = require('./desk');
const routes = [
  { method: 'POST', pattern: /^\\/queue$/, handler: desk.takeNumber },
  { method: 'GET', pattern: /^\\/stats$/, handler: desk.stats },
];
function handle(req, res) {
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i];
    if (route.method !== req.method) continue;
    const match = route.pattern.exec(req.url);
    if (!match) continue;
    return route.handler(req, res, match.slice(1));
  }
  res.writeHead(404);
  res.end();
}
module.exports = handle;
`;

const DESK_JS = `let queueNumber = 0;
function takeNumber(req, res) {
  queueNumber++;
  res.writeHead(201);
  res.end(JSON.stringify({ number: queueNumber }));
}
function stats(req, res) {
  res.end(JSON.stringify({ lastNumber: queueNumber }));
}
module.exports = { takeNumber: takeNumber, stats: stats };
`;

const RENDERED_ROUTER_JS = ROUTER_JS.replace('return route.handler(req, res, match.slice(1));', 'const body = route.handler(req, res, match.slice(1));\n    return res.end(body);');

describe('planFixes: the handlers of a route table a hand-written router runs', () => {
  it('are made async where they stand in the table', () => {
    const files = { [`${ROOT}/server.js`]: SERVER_JS, [`${ROOT}/router.js`]: ROUTER_JS, [`${ROOT}/desk.js`]: DESK_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/desk.js`));
    expect(fixed[`${ROOT}/router.js`]).toBe(ROUTER_JS);
    expect(fixed[`${ROOT}/desk.js`]).toBe(`const { createCounter } = require('./src/scaling/counter');
const queueNumber = createCounter('queueNumber');
async function takeNumber(req, res) {
  const queueNumberNow = await queueNumber.increment();
  res.writeHead(201);
  res.end(JSON.stringify({ number: queueNumberNow }));
}
async function stats(req, res) {
  res.end(JSON.stringify({ lastNumber: await queueNumber.get() }));
}
module.exports = { takeNumber: takeNumber, stats: stats };
`);
  });

  it('a row function whose value the router uses stays a call, and the fix is refused', () => {
    const files = { [`${ROOT}/server.js`]: SERVER_JS, [`${ROOT}/router.js`]: RENDERED_ROUTER_JS, [`${ROOT}/desk.js`]: DESK_JS };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/desk.js`).refused?.reason).toBe('`desk.takeNumber` is used as a value at router.js:3');
  });
});

// The slow work a row's handler starts is the job: the call in that handler (`mailer.receipt(claim)`),
// not the router's `handle(req, res)` that the server's callback starts.
const CLAIMS_ROUTER_JS = `const claims = require('./claims');
const routes = [{ method: 'POST', pattern: /^\\/claims$/, handler: claims.create }];
function handle(req, res) {
  for (const route of routes) {
    if (route.method === req.method && route.pattern.test(req.url)) return route.handler(req, res);
  }
  res.end();
}
module.exports = handle;
`;

const CLAIMS_JS = `const mailer = require('./mailer');
async function create(req, res) {
  const claim = { id: 1, email: req.headers['x-email'] };
  await mailer.receipt(claim);
  res.end(JSON.stringify({ claim: claim }));
}
module.exports = { create: create };
`;

const MAILER_JS = `const nodemailer = require('nodemailer');
const transport = nodemailer.createTransport({ jsonTransport: true });
function receipt(claim) {
  return transport.sendMail({ to: claim.email, subject: 'Your claim ' + claim.id });
}
module.exports = { receipt: receipt };
`;

describe('planFixes: slow work in the handler of a route table a hand-written router runs', () => {
  it('queues the call the row handler makes', () => {
    const files = { [`${ROOT}/server.js`]: SERVER_JS, [`${ROOT}/router.js`]: CLAIMS_ROUTER_JS, [`${ROOT}/claims.js`]: CLAIMS_JS, [`${ROOT}/mailer.js`]: MAILER_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/mailer.js`));
    expect(fixed[`${ROOT}/server.js`]).toBe(SERVER_JS);
    expect(fixed[`${ROOT}/claims.js`]).toBe(`require('./mailer');
const { enqueueJob } = require('./src/scaling/job-queue');
async function create(req, res) {
  const claim = { id: 1, email: req.headers['x-email'] };
  await enqueueJob('receipt', [claim]);
  res.end(JSON.stringify({ claim: claim }));
}
module.exports = { create: create };
`);
  });
});

