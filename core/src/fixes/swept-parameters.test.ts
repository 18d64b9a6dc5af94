import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// Sessions in a Map of a module that exports its functions, swept by `sweep(maxAgeMs)` that a
// start-up timer calls with the age written out; the router the server's callback runs is the
// module itself (`module.exports = handle`). The store takes the TTL every call of the sweep passes,
// and `handle`, made async, is awaited where the server calls it through the name it requires it as.
const SERVER_JS = `const http = require('http');
const sessions = require('./sessions');
const handle = require('./router');
http.createServer(function (req, res) {
  handle(req, res);
}).listen(3000);
setInterval(function () {
  sessions.sweep(60 * 60 * 1000);
}, 60000);
`;

const ROUTER_JS = `const sessions = require('./sessions');
function handle(req, res) {
  if (req.url === '/login') {
    const sid = sessions.create(req.headers['x-user']);
    return res.end(sid);
  }
  const session = sessions.current(req.headers['x-sid']);
  res.end(session ? session.user : 'who?');
}
module.exports = handle;
`;

const SESSIONS_JS = `const crypto = require('crypto');
const sessions = new Map();
function create(user) {
  const sid = crypto.randomBytes(16).toString('hex');
  sessions.set(sid, { user: user, at: Date.now() });
  return sid;
}
function current(sid) {
  return sessions.get(sid) || null;
}
function sweep(maxAgeMs) {
  const now = Date.now();
  sessions.forEach(function (session, sid) {
    if (now - session.at > maxAgeMs) sessions.delete(sid);
  });
}
module.exports = { create: create, current: current, sweep: sweep };
`;

describe('planFixes: a sweep function handed its maximum age, a router exported as the module', () => {
  it('takes the TTL every call passes and awaits the router through the name the server requires it as', () => {
    const files = { [`${ROOT}/server.js`]: SERVER_JS, [`${ROOT}/router.js`]: ROUTER_JS, [`${ROOT}/sessions.js`]: SESSIONS_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/sessions.js`));
    expect(fixed[`${ROOT}/sessions.js`]).toBe(`const crypto = require('crypto');
const { createSessionStore } = require('./src/scaling/session-store');
const sessions = createSessionStore('sessions', { ttlSeconds: 3600 });
async function create(user) {
  const sid = crypto.randomBytes(16).toString('hex');
  await sessions.set(sid, { user: user, at: Date.now() });
  return sid;
}
async function current(sid) {
  return await sessions.get(sid) || null;
}
function sweep(maxAgeMs) {
  const now = Date.now();
}
module.exports = { create: create, current: current, sweep: sweep };
`);
    expect(fixed[`${ROOT}/router.js`]).toBe(`const sessions = require('./sessions');
async function handle(req, res) {
  if (req.url === '/login') {
    const sid = await sessions.create(req.headers['x-user']);
    return res.end(sid);
  }
  const session = await sessions.current(req.headers['x-sid']);
  res.end(session ? session.user : 'who?');
}
module.exports = handle;
`);
    expect(fixed[`${ROOT}/server.js`]).toBe(`const http = require('http');
const sessions = require('./sessions');
const handle = require('./router');
http.createServer(async function (req, res) {
  await handle(req, res);
}).listen(3000);
setInterval(function () {
  sessions.sweep(60 * 60 * 1000);
}, 60000);
`);
  });

  it('refuses when the calls pass different ages', () => {
    const files = { [`${ROOT}/server.js`]: SERVER_JS.replace("}, 60000);", "}, 60000);\nsetInterval(function () {\n  sessions.sweep(30 * 60 * 1000);\n}, 60000);"), [`${ROOT}/router.js`]: ROUTER_JS, [`${ROOT}/sessions.js`]: SESSIONS_JS };
    expect(planFirst(files, 'no-in-memory-session', `${ROOT}/sessions.js`).refused?.reason).toBe("`sessions` is swept by a timer (sessions.js:13), but the sweep's maximum age is `maxAgeMs`, which its calls pass as `60 * 60 * 1000` and `30 * 60 * 1000`");
  });
});
