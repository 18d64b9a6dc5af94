import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Node's own HTTP clients in a scheduled job: `https.request(options)` with a method other than GET
// posts to another service once per instance, as `fetch` with a method does; without one it is a GET
// that only refreshes this process's copy.

afterAll(removeAnalysedProjects);

describe("timers that call Node's http.request", () => {
  const files = {
    'server.js': `const express = require('express');
const usage = require('./usage');

const app = express();
app.get('/health', (req, res) => res.send('ok'));

setInterval(() => usage.reportUsage(), 24 * 3600 * 1000);
setInterval(() => usage.refreshPlans(), 3600 * 1000);
setInterval(() => usage.checkStatus(), 60 * 1000);

app.listen(3000);
`,
    'usage.js': `const Https = require('https');
const { request } = require('http');

exports.reportUsage = function () {
  const body = JSON.stringify({ users: 42 });
  const options = { host: 'accounts.example.org', path: '/api/usage', method: 'POST', headers: { 'Content-Type': 'application/json' } };
  const req = Https.request(options, (response) => response.resume());
  req.end(body);
};

exports.refreshPlans = function () {
  Https.request({ host: 'accounts.example.org', path: '/api/plans' }, (response) => response.resume()).end();
};

exports.checkStatus = function () {
  request('http://status.internal/ping', { method: 'GET' }, (response) => response.resume()).end();
};
`,
  };

  it('reports the job that posts, not the GETs (untyped and typed)', () => {
    const expected = [
      '7:1 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `usage.reportUsage()` posts to an HTTP API (`Https.request`) every day. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'server.js')).toEqual(expected);
    expect(typed(files, 'server.js')).toEqual(expected);
  });
});

// A module whose exported factory attaches a ws server to the HTTP server its caller made (the
// caller, the entry script, may be outside the folder analysed): the factory runs at start-up,
// as the function that calls `listen` does, so the timers it starts run in every instance.
describe('a factory that attaches a WebSocket server runs at start-up', () => {
  const files = {
    'lib/api.js': `const WebSocketServer = require('ws').Server;
const stats = require('./stats');

module.exports.create = function (env) {
  const wss = new WebSocketServer({ server: env.httpServer });
  wss.on('connection', (ws) => ws.send('hello'));
  setInterval(() => stats.pingAccounts(env), 24 * 3600 * 1000);
  setInterval(() => wss.clients.forEach((ws) => ws.ping()), 30000);
};
`,
    'lib/stats.js': `const Https = require('https');

exports.pingAccounts = function (env) {
  const options = { host: env.accountsHost, path: '/api/ping', method: 'POST' };
  Https.request(options, (response) => response.resume()).end(JSON.stringify({ users: env.users }));
};
`,
  };

  it('reports the job that posts, not the ping of its own connections (untyped and typed)', () => {
    const expected = [
      '7:3 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `stats.pingAccounts()` posts to an HTTP API (`Https.request`) every day. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'lib/api.js')).toEqual(expected);
    expect(typed(files, 'lib/api.js')).toEqual(expected);
  });
});
